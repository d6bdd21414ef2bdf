//! One `DescribeAutoScalingGroups` call with Stratus: region, credentials and endpoint
//! from the environment (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, …, `AWS_ENDPOINT_URL`). Its
//! twin is `small/official`.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = stratus_runtime::Config::from_env().await?;
    let client = autoscaling_client::Client::new(&config);
    let output = client
        .describe_auto_scaling_groups(Default::default())
        .await?;
    for group in output.auto_scaling_groups {
        println!(
            "{}: {} instances wanted",
            group.auto_scaling_group_name, group.desired_capacity
        );
    }
    Ok(())
}
