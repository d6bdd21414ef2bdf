//! AutoScaling end to end against moto (query protocol, signatures checked).

use autoscaling_client::*;
use stratus_tests::e2e::Session;

#[tokio::test]
async fn autoscaling_lifecycle() {
    let session = Session::get().await;
    let config = session.config();
    let asg = Client::new(&config);
    let ec2 = ec2_client::Client::new(&config);

    asg.create_launch_configuration(CreateLaunchConfigurationInput {
        launch_configuration_name: "web-lc".into(),
        image_id: Some("ami-12c6146b".into()),
        instance_type: Some("t2.micro".into()),
        ..Default::default()
    })
    .await
    .expect("create launch configuration");

    for i in 0..25 {
        asg.create_auto_scaling_group(CreateAutoScalingGroupInput {
            auto_scaling_group_name: format!("web-{i:02}"),
            launch_configuration_name: Some("web-lc".into()),
            min_size: 0,
            max_size: 4,
            desired_capacity: Some(0),
            availability_zones: Some(vec!["us-east-1a".into()]),
            ..Default::default()
        })
        .await
        .unwrap_or_else(|e| panic!("create group {i}: {e}"));
    }

    // Page through with an explicit NextToken loop, ten at a time.
    let mut names = Vec::new();
    let mut pages = 0;
    let mut next_token = None;
    loop {
        let page = asg
            .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput {
                max_records: Some(10),
                next_token: next_token.take(),
                ..Default::default()
            })
            .await
            .expect("describe groups");
        pages += 1;
        assert!(page.auto_scaling_groups.len() <= 10);
        names.extend(
            page.auto_scaling_groups
                .into_iter()
                .map(|g| g.auto_scaling_group_name),
        );
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => break,
        }
    }
    names.retain(|n| n.starts_with("web-"));
    names.sort();
    assert_eq!(pages, 3);
    assert_eq!(names.len(), 25);
    assert_eq!(names[0], "web-00");
    assert_eq!(names[24], "web-24");

    // The same through the paginator: at most 15 groups, ten a page, leave botocore's resume
    // token; resuming from it lists the other ten. Asking for the 25 by name keeps groups
    // other tests make out of the count.
    let ours: Vec<String> = (0..25).map(|i| format!("web-{i:02}")).collect();
    let by_name = || DescribeAutoScalingGroupsInput {
        auto_scaling_group_names: Some(ours.clone()),
        ..Default::default()
    };
    let mut items = asg
        .describe_auto_scaling_groups_paginator(by_name())
        .page_size(10)
        .max_items(15)
        .items();
    let mut first = Vec::new();
    while let Some(group) = items.next().await {
        first.push(group.expect("a group").auto_scaling_group_name);
    }
    assert_eq!(first, ours[..15], "the first 15 groups, in order");
    let token = items
        .resume_token()
        .expect("a listing cut by max_items leaves a resume token")
        .to_owned();
    // botocore's token: moto's token for the second page (the last name of the first) and
    // the five items of that page already handed out.
    assert_eq!(
        decoded_token(&token),
        r#"{"NextToken": "web-09", "boto_truncate_amount": 5}"#
    );
    let mut pages = asg
        .describe_auto_scaling_groups_paginator(by_name())
        .page_size(10)
        .starting_token(token)
        .pages();
    let mut rest = Vec::new();
    let mut page_sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        page_sizes.push(page.auto_scaling_groups.len());
        rest.extend(
            page.auto_scaling_groups
                .into_iter()
                .map(|g| g.auto_scaling_group_name),
        );
    }
    assert_eq!(pages.resume_token(), None, "the listing is complete");
    assert_eq!(
        page_sizes,
        [5, 5],
        "the rest of the second page, then the third"
    );
    assert_eq!(rest, ours[15..]);
    let mut together: Vec<String> = first.into_iter().chain(rest).collect();
    together.sort();
    together.dedup();
    assert_eq!(together, ours, "25 distinct groups");

    asg.update_auto_scaling_group(UpdateAutoScalingGroupInput {
        auto_scaling_group_name: "web-00".into(),
        max_size: Some(6),
        ..Default::default()
    })
    .await
    .expect("update group");
    asg.set_desired_capacity(SetDesiredCapacityInput {
        auto_scaling_group_name: "web-00".into(),
        desired_capacity: 1,
        honor_cooldown: None,
    })
    .await
    .expect("set desired capacity");
    let group = describe_one(&asg, "web-00").await;
    assert_eq!((group.max_size, group.desired_capacity), (6, 1));

    // Tags: create, describe, delete.
    let tag = |key: &str, value: &str| Tag {
        resource_id: Some("web-01".into()),
        resource_type: Some("auto-scaling-group".into()),
        key: key.into(),
        value: Some(value.into()),
        propagate_at_launch: Some(true),
    };
    asg.create_or_update_tags(CreateOrUpdateTagsInput {
        tags: vec![tag("team", "web"), tag("env", "test")],
    })
    .await
    .expect("create tags");
    let tags = asg
        .describe_tags(DescribeTagsInput {
            filters: Some(vec![Filter {
                name: Some("auto-scaling-group".into()),
                values: Some(vec!["web-01".into()]),
            }]),
            ..Default::default()
        })
        .await
        .expect("describe tags")
        .tags
        .unwrap_or_default();
    let mut keys: Vec<_> = tags.iter().filter_map(|t| t.key.clone()).collect();
    keys.sort();
    assert_eq!(keys, ["env", "team"]);
    asg.delete_tags(DeleteTagsInput {
        tags: vec![tag("team", "web")],
    })
    .await
    .expect("delete tags");

    // A scaling policy.
    asg.put_scaling_policy(PutScalingPolicyInput {
        auto_scaling_group_name: "web-02".into(),
        policy_name: "scale-out".into(),
        adjustment_type: Some("ChangeInCapacity".into()),
        scaling_adjustment: Some(1),
        ..Default::default()
    })
    .await
    .expect("put scaling policy");
    let policies = asg
        .describe_policies(DescribePoliciesInput {
            auto_scaling_group_name: Some("web-02".into()),
            ..Default::default()
        })
        .await
        .expect("describe policies")
        .scaling_policies
        .unwrap_or_default();
    assert_eq!(policies.len(), 1);
    assert_eq!(policies[0].policy_name.as_deref(), Some("scale-out"));

    // Attach and detach an instance started with the ec2 protocol.
    let reservation = ec2
        .run_instances(ec2_client::RunInstancesInput {
            image_id: Some("ami-12c6146b".into()),
            min_count: 1,
            max_count: 1,
            ..Default::default()
        })
        .await
        .expect("run instance");
    let instance_id = reservation.instances.unwrap_or_default()[0]
        .instance_id
        .clone()
        .expect("instance id");
    asg.attach_instances(AttachInstancesInput {
        instance_ids: Some(vec![instance_id.clone()]),
        auto_scaling_group_name: "web-03".into(),
    })
    .await
    .expect("attach instance");
    let attached = describe_one(&asg, "web-03")
        .await
        .instances
        .unwrap_or_default();
    assert!(attached.iter().any(|i| i.instance_id == instance_id));
    asg.detach_instances(DetachInstancesInput {
        instance_ids: Some(vec![instance_id.clone()]),
        auto_scaling_group_name: "web-03".into(),
        should_decrement_desired_capacity: true,
    })
    .await
    .expect("detach instance");
    let attached = describe_one(&asg, "web-03")
        .await
        .instances
        .unwrap_or_default();
    assert!(!attached.iter().any(|i| i.instance_id == instance_id));

    // Suspend and resume processes.
    asg.suspend_processes(SuspendProcessesInput {
        auto_scaling_group_name: "web-04".into(),
        scaling_processes: Some(vec!["Launch".into()]),
    })
    .await
    .expect("suspend");
    let suspended = describe_one(&asg, "web-04")
        .await
        .suspended_processes
        .unwrap_or_default();
    assert_eq!(suspended.len(), 1);
    asg.resume_processes(ResumeProcessesInput {
        auto_scaling_group_name: "web-04".into(),
        scaling_processes: None,
    })
    .await
    .expect("resume");
    assert!(
        describe_one(&asg, "web-04")
            .await
            .suspended_processes
            .unwrap_or_default()
            .is_empty()
    );

    // Delete everything.
    for i in 0..25 {
        asg.delete_auto_scaling_group(DeleteAutoScalingGroupInput {
            auto_scaling_group_name: format!("web-{i:02}"),
            force_delete: Some(true),
        })
        .await
        .unwrap_or_else(|e| panic!("delete group {i}: {e}"));
    }
    asg.delete_launch_configuration(DeleteLaunchConfigurationInput {
        launch_configuration_name: "web-lc".into(),
    })
    .await
    .expect("delete launch configuration");
    let left = asg
        .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput::default())
        .await
        .expect("describe after delete")
        .auto_scaling_groups;
    assert!(
        left.iter()
            .all(|g| !g.auto_scaling_group_name.starts_with("web-"))
    );

    // A missing group is a service error with the code the service sent.
    let err = asg
        .delete_auto_scaling_group(DeleteAutoScalingGroupInput {
            auto_scaling_group_name: "no-such-group".into(),
            force_delete: None,
        })
        .await
        .expect_err("a missing group must fail");
    assert_eq!(err.code(), Some("ValidationError"), "{err}");
    assert!(
        err.to_string()
            .starts_with("ValidationError: AutoScalingGroup name not found"),
        "{err}"
    );
    assert!(err.request_id().is_some(), "{err}");
}

/// The JSON text of a resume token (base64 of botocore's `json.dumps`).
fn decoded_token(token: &str) -> String {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .expect("a resume token is base64");
    String::from_utf8(bytes).expect("of UTF-8 JSON")
}

async fn describe_one(asg: &Client, name: &str) -> AutoScalingGroup {
    let mut groups = asg
        .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput {
            auto_scaling_group_names: Some(vec![name.into()]),
            ..Default::default()
        })
        .await
        .expect("describe one group")
        .auto_scaling_groups;
    assert_eq!(groups.len(), 1, "{name}");
    groups.remove(0)
}
