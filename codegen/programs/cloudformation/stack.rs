//! Creates a CloudFormation stack holding one SQS queue, waits for it with the
//! `StackCreateComplete` waiter, prints its outputs and (with the `ListStackResources`
//! paginator) its resources, then deletes it and waits with `StackDeleteComplete`.
//!
//! Region, credentials and endpoint come from the environment and `~/.aws`, as for the AWS
//! CLI. `cargo xtask demo` runs it against moto, a local AWS stand-in; by hand:
//!
//! ```sh
//! AWS_ENDPOINT_URL=http://127.0.0.1:5000 AWS_REGION=us-east-1 \
//!     AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
//!     cargo run -p cloudformation-client --example stack
//! ```

use cloudformation_client::*;
use std::time::Duration;

const STACK: &str = "stratus-example";

const TEMPLATE: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "A queue, made by Stratus's stack example",
  "Resources": {
    "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}}
  },
  "Outputs": {
    "QueueUrl": {"Value": {"Ref": "Queue"}},
    "QueueArn": {"Value": {"Fn::GetAtt": ["Queue", "Arn"]}}
  }
}"#;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = stratus_runtime::Config::from_env().await?;
    let cfn = Client::new(&config);

    let created = cfn
        .create_stack(CreateStackInput {
            stack_name: STACK.into(),
            template_body: Some(TEMPLATE.into()),
            ..Default::default()
        })
        .await?;
    let stack_id = created.stack_id.unwrap_or_else(|| STACK.into());
    println!("creating stack {stack_id}");

    // The model's waiter polls DescribeStacks every 30 s; every 5 s suits a small stack.
    // `max_wait` bounds the whole wait.
    let waiting = WaiterConfig::new()
        .delay(Duration::from_secs(5))
        .max_wait(Duration::from_secs(30 * 60));
    let describe = DescribeStacksInput {
        stack_name: Some(stack_id.clone()),
        ..Default::default()
    };
    let created = cfn
        .wait_until_stack_create_complete(describe.clone(), waiting.clone())
        .await?;
    println!(
        "StackCreateComplete after {} attempt(s), {:.1} s: {}",
        created.attempts,
        created.elapsed.as_secs_f64(),
        created.acceptor.explanation()
    );
    let stack = created
        .response
        .output()
        .and_then(|out| out.stacks.as_ref())
        .and_then(|stacks| stacks.first());
    if let Some(stack) = stack {
        println!("{} is {}", stack.stack_name, stack.stack_status);
        for output in stack.outputs.iter().flatten() {
            println!(
                "  output {} = {}",
                output.output_key.as_deref().unwrap_or("?"),
                output.output_value.as_deref().unwrap_or("")
            );
        }
    }

    let mut resources = cfn
        .list_stack_resources_paginator(ListStackResourcesInput {
            stack_name: stack_id.clone(),
            next_token: None,
        })
        .items();
    while let Some(resource) = resources.next().await {
        let resource = resource?;
        println!(
            "  resource {} ({}): {}, {}",
            resource.logical_resource_id,
            resource.resource_type,
            resource.physical_resource_id.as_deref().unwrap_or("-"),
            resource.resource_status
        );
    }

    cfn.delete_stack(DeleteStackInput {
        stack_name: stack_id.clone(),
        ..Default::default()
    })
    .await?;
    let deleted = cfn
        .wait_until_stack_delete_complete(describe, waiting)
        .await?;
    println!(
        "StackDeleteComplete after {} attempt(s), {:.1} s: {}",
        deleted.attempts,
        deleted.elapsed.as_secs_f64(),
        deleted.acceptor.explanation()
    );
    Ok(())
}
