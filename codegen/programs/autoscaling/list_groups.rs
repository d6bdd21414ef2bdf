//! Creates a launch configuration and five Auto Scaling groups, lists the groups page by
//! page with the `DescribeAutoScalingGroups` paginator (two per request), lists at most three
//! and resumes from where that stopped, then deletes everything it created.
//!
//! Region, credentials and endpoint come from the environment and `~/.aws`, as for the AWS
//! CLI. `cargo xtask demo` runs it against moto, a local AWS stand-in; by hand:
//!
//! ```sh
//! AWS_ENDPOINT_URL=http://127.0.0.1:5000 AWS_REGION=us-east-1 \
//!     AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
//!     cargo run -p autoscaling-client --example list_groups
//! ```
//!
//! The groups want no instances, so they cost nothing. Against AWS, set `IMAGE_ID` to an AMI
//! of your region (the default is one moto knows).

use autoscaling_client::*;

const LAUNCH_CONFIGURATION: &str = "stratus-example-lc";
const GROUPS: usize = 5;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = stratus_runtime::Config::from_env().await?;
    let asg = Client::new(&config);
    let zone = format!("{}a", config.region().unwrap_or("us-east-1"));

    let image_id = std::env::var("IMAGE_ID").unwrap_or_else(|_| "ami-12c6146b".into());
    let created = asg
        .create_launch_configuration(CreateLaunchConfigurationInput {
            launch_configuration_name: LAUNCH_CONFIGURATION.into(),
            image_id: Some(image_id),
            instance_type: Some("t3.micro".into()),
            ..Default::default()
        })
        .await;
    match created {
        Ok(_) => println!("created launch configuration {LAUNCH_CONFIGURATION}"),
        // Left over from an earlier run: use it.
        Err(e)
            if matches!(
                e.service_error(),
                Some(CreateLaunchConfigurationError::AlreadyExistsFault(_))
            ) => {}
        Err(e) => return Err(e.into()),
    }

    let names: Vec<String> = (1..=GROUPS)
        .map(|i| format!("stratus-example-{i}"))
        .collect();
    for name in &names {
        let created = asg
            .create_auto_scaling_group(CreateAutoScalingGroupInput {
                auto_scaling_group_name: name.clone(),
                launch_configuration_name: Some(LAUNCH_CONFIGURATION.into()),
                min_size: 0,
                max_size: 2,
                desired_capacity: Some(0),
                availability_zones: Some(vec![zone.clone()]),
                ..Default::default()
            })
            .await;
        match created {
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.service_error(),
                    Some(CreateAutoScalingGroupError::AlreadyExistsFault(_))
                ) => {}
            Err(e) => return Err(e.into()),
        }
    }
    println!("created {GROUPS} groups in {zone}: {}", names.join(", "));

    // Page by page: the paginator sends each page's NextToken with the next request.
    let input = DescribeAutoScalingGroupsInput {
        auto_scaling_group_names: Some(names.clone()),
        ..Default::default()
    };
    let mut pages = asg
        .describe_auto_scaling_groups_paginator(input.clone())
        .page_size(2)
        .pages();
    let mut number = 0;
    while let Some(page) = pages.next().await {
        let page = page?;
        number += 1;
        println!(
            "page {number}: {} group(s), NextToken {}",
            page.auto_scaling_groups.len(),
            page.next_token.as_deref().unwrap_or("(none: last page)")
        );
        for group in &page.auto_scaling_groups {
            println!(
                "  {}: min {}, max {}, desired {}, launch configuration {}, created {}",
                group.auto_scaling_group_name,
                group.min_size,
                group.max_size,
                group.desired_capacity,
                group.launch_configuration_name.as_deref().unwrap_or("-"),
                group.created_time
            );
        }
    }

    // Item by item, at most three: the listing stops with a resume token (botocore's
    // format, which the AWS CLI's --starting-token takes too), and goes on from it.
    let mut groups = asg
        .describe_auto_scaling_groups_paginator(input.clone())
        .page_size(2)
        .max_items(3)
        .items();
    let mut first = Vec::new();
    while let Some(group) = groups.next().await {
        first.push(group?.auto_scaling_group_name);
    }
    let token = groups.resume_token().unwrap_or_default().to_string();
    println!("max_items(3): {}; resume token {token}", first.join(", "));
    let rest = asg
        .describe_auto_scaling_groups_paginator(input)
        .page_size(2)
        .starting_token(token)
        .items()
        .try_collect()
        .await?;
    let rest: Vec<&str> = rest
        .iter()
        .map(|g| g.auto_scaling_group_name.as_str())
        .collect();
    println!("resumed: {}", rest.join(", "));

    for name in &names {
        asg.delete_auto_scaling_group(DeleteAutoScalingGroupInput {
            auto_scaling_group_name: name.clone(),
            force_delete: Some(true),
        })
        .await?;
    }
    asg.delete_launch_configuration(DeleteLaunchConfigurationInput {
        launch_configuration_name: LAUNCH_CONFIGURATION.into(),
    })
    .await?;
    println!("deleted the {GROUPS} groups and {LAUNCH_CONFIGURATION}");
    Ok(())
}
