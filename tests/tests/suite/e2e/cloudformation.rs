//! CloudFormation end to end against moto: a stack that makes an SQS queue.

use cloudformation_client::*;
use stratus_tests::e2e::Session;

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

    cfn.delete_stack(DeleteStackInput {
        stack_name: "stratus-e2e".into(),
        ..Default::default()
    })
    .await
    .expect("delete stack");
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
