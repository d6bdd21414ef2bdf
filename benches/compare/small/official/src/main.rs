//! One `DescribeAutoScalingGroups` call with the official AWS SDK for Rust: region,
//! credentials and endpoint from the environment (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, …,
//! `AWS_ENDPOINT_URL`). Its twin is `small/stratus`.

use aws_config::BehaviorVersion;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let client = aws_sdk_autoscaling::Client::new(&config);
    let output = client.describe_auto_scaling_groups().send().await?;
    for group in output.auto_scaling_groups() {
        println!(
            "{}: {} instances wanted",
            group.auto_scaling_group_name().unwrap_or_default(),
            group.desired_capacity().unwrap_or_default()
        );
    }
    Ok(())
}
