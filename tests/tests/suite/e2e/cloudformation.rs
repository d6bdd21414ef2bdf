//! CloudFormation end to end against moto: a stack that makes an SQS queue, and the stack
//! waiters on it (moto settles a stack at once, so these succeed or fail at the first attempt;
//! `cloudfront.rs` has a waiter that polls).

use cloudformation_client::*;
use std::time::Duration;
use stratus_runtime::waiter::{AcceptorState, Expected, Matcher, WaiterError};
use stratus_tests::e2e::Session;

/// moto settles stacks at once: a short delay keeps a wait that polls again short.
fn fast() -> WaiterConfig {
    WaiterConfig::new()
        .delay(Duration::from_millis(50))
        .max_attempts(5)
}

fn by_name(name: &str) -> DescribeStacksInput {
    DescribeStacksInput {
        stack_name: Some(name.into()),
        ..Default::default()
    }
}

const TEMPLATE: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "A queue for the Stratus end-to-end tests",
  "Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "stratus-e2e", "VisibilityTimeout": 30}}},
  "Outputs": {"QueueUrl": {"Value": {"Ref": "Queue"}}}
}"#;

#[tokio::test]
async fn stack_lifecycle() {
    let session = Session::get().await;
    let cfn = Client::new(&session.config());

    let validated = cfn
        .validate_template(ValidateTemplateInput {
            template_body: Some(TEMPLATE.into()),
            ..Default::default()
        })
        .await
        .expect("validate template");
    assert_eq!(
        validated.description.as_deref(),
        Some("A queue for the Stratus end-to-end tests")
    );

    let created = cfn
        .create_stack(CreateStackInput {
            stack_name: "stratus-e2e".into(),
            template_body: Some(TEMPLATE.into()),
            ..Default::default()
        })
        .await
        .expect("create stack");
    let stack_id = created.stack_id.expect("stack id");

    let waited = cfn
        .wait_until_stack_create_complete(by_name("stratus-e2e"), fast())
        .await
        .expect("the stack reaches CREATE_COMPLETE");
    assert_eq!(waited.attempts, 1, "moto creates the stack at once");
    assert_eq!(waited.acceptor.state, AcceptorState::Success);
    assert_eq!(
        waited.acceptor.matcher,
        Matcher::PathAll {
            argument: "Stacks[].StackStatus",
            expected: Expected::String("CREATE_COMPLETE"),
        }
    );
    let stacks = waited
        .response
        .output()
        .and_then(|o| o.stacks.as_ref())
        .expect("the last response lists the stack");
    assert_eq!(stacks.len(), 1);
    assert_eq!(stacks[0].stack_id.as_deref(), Some(stack_id.as_str()));

    let stacks = cfn
        .describe_stacks(DescribeStacksInput {
            stack_name: Some("stratus-e2e".into()),
            ..Default::default()
        })
        .await
        .expect("describe stacks")
        .stacks
        .unwrap_or_default();
    assert_eq!(stacks.len(), 1);
    assert_eq!(stacks[0].stack_id.as_deref(), Some(stack_id.as_str()));
    assert_eq!(stacks[0].stack_status, StackStatus::CreateComplete);

    let events = cfn
        .describe_stack_events(DescribeStackEventsInput {
            stack_name: "stratus-e2e".into(),
            next_token: None,
        })
        .await
        .expect("describe events")
        .stack_events
        .unwrap_or_default();
    assert!(!events.is_empty());

    let resources = cfn
        .describe_stack_resources(DescribeStackResourcesInput {
            stack_name: Some("stratus-e2e".into()),
            ..Default::default()
        })
        .await
        .expect("describe resources")
        .stack_resources
        .unwrap_or_default();
    assert_eq!(resources.len(), 1);
    assert_eq!(resources[0].resource_type, "AWS::SQS::Queue");

    let template = cfn
        .get_template(GetTemplateInput {
            stack_name: Some("stratus-e2e".into()),
            ..Default::default()
        })
        .await
        .expect("get template");
    assert!(
        template
            .template_body
            .unwrap_or_default()
            .contains("AWS::SQS::Queue")
    );

    let updated = TEMPLATE.replace("\"VisibilityTimeout\": 30", "\"VisibilityTimeout\": 60");
    cfn.update_stack(UpdateStackInput {
        stack_name: "stratus-e2e".into(),
        template_body: Some(updated),
        ..Default::default()
    })
    .await
    .expect("update stack");
    let waited = cfn
        .wait_until_stack_update_complete(by_name("stratus-e2e"), fast())
        .await
        .expect("the stack reaches UPDATE_COMPLETE");
    assert_eq!(
        waited.acceptor.matcher,
        Matcher::PathAll {
            argument: "Stacks[].StackStatus",
            expected: Expected::String("UPDATE_COMPLETE"),
        }
    );

    cfn.delete_stack(DeleteStackInput {
        stack_name: "stratus-e2e".into(),
        ..Default::default()
    })
    .await
    .expect("delete stack");
    // By id, the deleted stack is still described: DELETE_COMPLETE is the success path.
    let waited = cfn
        .wait_until_stack_delete_complete(by_name(&stack_id), fast())
        .await
        .expect("the stack reaches DELETE_COMPLETE");
    assert_eq!(waited.attempts, 1);
    assert_eq!(
        waited.acceptor.matcher,
        Matcher::PathAll {
            argument: "Stacks[].StackStatus",
            expected: Expected::String("DELETE_COMPLETE"),
        }
    );
    // By name it is gone: the ValidationError that says so is success too.
    let waited = cfn
        .wait_until_stack_delete_complete(by_name("stratus-e2e"), fast())
        .await
        .expect("a stack that is gone is deleted");
    assert_eq!(waited.acceptor.state, AcceptorState::Success);
    assert_eq!(waited.acceptor.matcher, Matcher::Error("ValidationError"));
    assert_eq!(
        waited.response.error().and_then(|e| e.code()),
        Some("ValidationError")
    );
    // Waiting for a stack that does not exist to be created fails at once: its
    // ValidationError is a failure state of StackCreateComplete.
    let err = cfn
        .wait_until_stack_create_complete(by_name("stratus-e2e-never-created"), fast())
        .await
        .expect_err("no such stack");
    match &err {
        WaiterError::Failure {
            waiter,
            acceptor,
            attempts,
            response,
        } => {
            assert_eq!(*waiter, "StackCreateComplete");
            assert_eq!(acceptor.matcher, Matcher::Error("ValidationError"));
            assert_eq!(*attempts, 1);
            assert_eq!(
                response.error().and_then(|e| e.code()),
                Some("ValidationError")
            );
        }
        other => panic!("expected a failure state, got {other:?}"),
    }
    assert!(
        err.to_string().starts_with(
            "Waiter StackCreateComplete failed: Waiter encountered a terminal failure state: Matched expected service error code: ValidationError"
        ),
        "{err}"
    );
    let after = cfn
        .describe_stacks(DescribeStacksInput {
            stack_name: Some(stack_id),
            ..Default::default()
        })
        .await
        .expect("describe deleted stack")
        .stacks
        .unwrap_or_default();
    assert!(
        after
            .iter()
            .all(|s| s.stack_status == StackStatus::DeleteComplete)
    );
}
