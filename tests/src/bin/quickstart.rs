//! The README's quick start, compiled and run by `tests/tests/suite/e2e/readme.rs` against moto.
//! Keep it identical to the README's code block (the test checks).

use autoscaling_client::{Client, DescribeAutoScalingGroupsInput};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Region, credentials and endpoint come from the environment and ~/.aws, as for the AWS CLI.
    let config = stratus_runtime::Config::from_env().await?;
    let asg = Client::new(&config);
    let out = asg
        .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput {
            auto_scaling_group_names: Some(vec!["web".into()]),
            ..Default::default()
        })
        .await?;
    for group in out.auto_scaling_groups {
        println!(
            "{}: {} instances wanted",
            group.auto_scaling_group_name, group.desired_capacity
        );
    }
    Ok(())
}
