//! STS, IAM and EC2 end to end against moto (EC2's instance waiters too), wrong secrets, and
//! presigned URLs.

use std::time::Duration;
use stratus_runtime::Credentials;
use stratus_runtime::waiter::{AcceptorState, Expected, Matcher, WaiterError};
use stratus_tests::e2e::Session;

#[tokio::test]
async fn sts_get_caller_identity() {
    let session = Session::get().await;
    let sts = sts_client::Client::new(&session.config());
    let me = sts
        .get_caller_identity(Default::default())
        .await
        .expect("get caller identity");
    assert!(me.arn.unwrap_or_default().ends_with(":user/stratus-tests"));
    assert_eq!(me.account.as_deref().map(str::len), Some(12));
}

#[tokio::test]
async fn iam_users() {
    let session = Session::get().await;
    let iam = iam_client::Client::new(&session.config());
    for name in ["alice", "bob"] {
        iam.create_user(iam_client::CreateUserInput {
            user_name: name.into(),
            ..Default::default()
        })
        .await
        .expect("create user");
    }
    let users = iam
        .list_users(Default::default())
        .await
        .expect("list users")
        .users;
    let names: Vec<&str> = users.iter().map(|u| u.user_name.as_str()).collect();
    assert!(
        names.contains(&"alice") && names.contains(&"bob"),
        "{names:?}"
    );
    for name in ["alice", "bob"] {
        iam.delete_user(iam_client::DeleteUserInput {
            user_name: name.into(),
        })
        .await
        .expect("delete user");
    }
    let users = iam
        .list_users(Default::default())
        .await
        .expect("list users")
        .users;
    assert!(
        !users
            .iter()
            .any(|u| u.user_name == "alice" || u.user_name == "bob")
    );
}

#[tokio::test]
async fn ec2_instances() {
    let session = Session::get().await;
    let ec2 = ec2_client::Client::new(&session.config());
    let reservation = ec2
        .run_instances(ec2_client::RunInstancesInput {
            image_id: Some("ami-12c6146b".into()),
            instance_type: Some(ec2_client::InstanceType::T2Micro),
            min_count: 2,
            max_count: 2,
            ..Default::default()
        })
        .await
        .expect("run instances");
    let ids: Vec<String> = reservation
        .instances
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| i.instance_id)
        .collect();
    assert_eq!(ids.len(), 2);
    let these = || ec2_client::DescribeInstancesInput {
        instance_ids: Some(ids.clone()),
        ..Default::default()
    };
    let fast = ec2_client::WaiterConfig::new()
        .delay(Duration::from_millis(50))
        .max_attempts(5);
    let running = ec2
        .wait_until_instance_running(these(), fast.clone())
        .await
        .expect("the instances run");
    assert_eq!(
        running.acceptor.matcher,
        Matcher::PathAll {
            argument: "Reservations[].Instances[].State.Name",
            expected: Expected::String("running"),
        }
    );

    let described = ec2
        .describe_instances(ec2_client::DescribeInstancesInput {
            instance_ids: Some(ids.clone()),
            ..Default::default()
        })
        .await
        .expect("describe instances");
    let instances: Vec<_> = described
        .reservations
        .unwrap_or_default()
        .into_iter()
        .flat_map(|r| r.instances.unwrap_or_default())
        .collect();
    assert_eq!(instances.len(), 2);
    assert!(
        instances
            .iter()
            .all(|i| i.instance_type == Some(ec2_client::InstanceType::T2Micro))
    );

    let terminated = ec2
        .terminate_instances(ec2_client::TerminateInstancesInput {
            instance_ids: ids.clone(),
            ..Default::default()
        })
        .await
        .expect("terminate")
        .terminating_instances
        .unwrap_or_default();
    assert_eq!(terminated.len(), 2);

    // A terminated instance never runs: InstanceRunning's failure acceptor ends the wait at
    // the first attempt, with the response that matched it.
    let err = ec2
        .wait_until_instance_running(these(), fast.clone())
        .await
        .expect_err("terminated instances never run");
    match &err {
        WaiterError::Failure {
            waiter,
            acceptor,
            response,
            attempts,
        } => {
            assert_eq!(*waiter, "InstanceRunning");
            assert_eq!(*attempts, 1);
            assert_eq!(acceptor.state, AcceptorState::Failure);
            assert_eq!(
                acceptor.matcher,
                Matcher::PathAny {
                    argument: "Reservations[].Instances[].State.Name",
                    expected: Expected::String("terminated"),
                }
            );
            let states: Vec<_> = response
                .output()
                .expect("the DescribeInstances output")
                .reservations
                .iter()
                .flatten()
                .flat_map(|r| r.instances.iter().flatten())
                .map(|i| i.state.as_ref().and_then(|s| s.name.clone()))
                .collect();
            assert_eq!(
                states,
                vec![Some(ec2_client::InstanceStateName::Terminated); 2]
            );
        }
        other => panic!("expected the failure state, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "Waiter InstanceRunning failed: Waiter encountered a terminal failure state: \
         For expression \"Reservations[].Instances[].State.Name\" we matched expected path: \
         \"terminated\" at least once"
    );
    let gone = ec2
        .wait_until_instance_terminated(these(), fast)
        .await
        .expect("the instances are terminated");
    assert_eq!(gone.attempts, 1);
}

fn wrong_secret(session: &Session) -> Credentials {
    Credentials::new(
        session.credentials.access_key_id(),
        "not-the-secret",
        None,
        None,
        "test",
    )
}

/// (That the error is not retried is shown against a scripted server in `retries.rs`.)
#[tokio::test]
async fn a_wrong_secret_is_a_typed_error() {
    let session = Session::get().await;
    let config = session.config_with(wrong_secret(session));
    let err = sts_client::Client::new(&config)
        .get_caller_identity(Default::default())
        .await
        .expect_err("a wrong secret must fail");
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"), "{err}");
    assert!(matches!(
        err.service_error(),
        Some(sts_client::GetCallerIdentityError::Unhandled(_))
    ));
    let err = ec2_client::Client::new(&config)
        .describe_instances(Default::default())
        .await
        .expect_err("a wrong secret must fail");
    assert_eq!(err.code(), Some("AuthFailure"), "{err}");
}
