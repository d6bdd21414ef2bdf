//! Creates a CloudFront distribution in front of a web origin, waits for it with the
//! `DistributionDeployed` waiter, lists every distribution with the `ListDistributions`
//! paginator, then disables the new one, waits again and deletes it.
//!
//! Region, credentials and endpoint come from the environment and `~/.aws`, as for the AWS
//! CLI. `cargo xtask demo` runs it against moto, a local AWS stand-in; by hand:
//!
//! ```sh
//! AWS_ENDPOINT_URL=http://127.0.0.1:5000 AWS_REGION=us-east-1 \
//!     AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
//!     cargo run -p cloudfront-client --example distribution
//! ```
//!
//! Against AWS each wait takes minutes: a distribution deploys to every edge location.

use cloudfront_client::*;
use std::time::{Duration, SystemTime};

/// AWS's managed cache policy `Managed-CachingOptimized`.
const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = stratus_runtime::Config::from_env().await?;
    let cloudfront = Client::new(&config);

    // A caller reference makes the request idempotent: a new one per run.
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH)?;
    let distribution_config = DistributionConfig {
        caller_reference: format!("stratus-example-{}", now.as_millis()),
        comment: "Made by Stratus's distribution example".into(),
        enabled: true,
        origins: Origins {
            quantity: 1,
            items: vec![Origin {
                id: "web".into(),
                domain_name: "www.example.com".into(),
                custom_origin_config: Some(CustomOriginConfig {
                    http_port: 80,
                    https_port: 443,
                    origin_protocol_policy: OriginProtocolPolicy::HttpsOnly,
                    ..Default::default()
                }),
                ..Default::default()
            }],
        },
        default_cache_behavior: DefaultCacheBehavior {
            target_origin_id: "web".into(),
            viewer_protocol_policy: ViewerProtocolPolicy::RedirectToHttps,
            cache_policy_id: Some(CACHING_OPTIMIZED.into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let created = cloudfront
        .create_distribution(CreateDistributionInput {
            distribution_config,
        })
        .await?;
    let distribution = created
        .distribution
        .ok_or("no distribution in the response")?;
    let id = distribution.id;
    println!(
        "created distribution {id} ({}): {}",
        distribution.domain_name, distribution.status
    );

    // The model's waiter polls GetDistribution every 60 s; every 5 s shows progress sooner.
    let waiting = WaiterConfig::new()
        .delay(Duration::from_secs(5))
        .max_wait(Duration::from_secs(45 * 60));
    let deployed = cloudfront
        .wait_until_distribution_deployed(GetDistributionInput { id: id.clone() }, waiting.clone())
        .await?;
    println!(
        "DistributionDeployed after {} attempt(s), {:.1} s: {}",
        deployed.attempts,
        deployed.elapsed.as_secs_f64(),
        deployed.acceptor.explanation()
    );

    // Every distribution of the account, ten per request: the paginator follows NextMarker
    // while IsTruncated is true.
    let mut pages = cloudfront
        .list_distributions_paginator(ListDistributionsInput::default())
        .page_size(10)
        .pages();
    let mut number = 0;
    while let Some(page) = pages.next().await {
        let list = page?.distribution_list.unwrap_or_default();
        number += 1;
        let items = list.items.unwrap_or_default();
        println!("page {number}: {} distribution(s)", items.len());
        for summary in items {
            let marker = if summary.id == id { " <- new" } else { "" };
            println!(
                "  {} {} {} enabled={} \"{}\"{marker}",
                summary.id, summary.domain_name, summary.status, summary.enabled, summary.comment
            );
        }
    }

    // Only a disabled, deployed distribution can be deleted; each change needs the ETag
    // of the configuration it replaces.
    let current = cloudfront
        .get_distribution_config(GetDistributionConfigInput { id: id.clone() })
        .await?;
    let mut disabled = current
        .distribution_config
        .ok_or("no configuration in the response")?;
    disabled.enabled = false;
    let updated = cloudfront
        .update_distribution(UpdateDistributionInput {
            distribution_config: disabled,
            id: id.clone(),
            if_match: current.e_tag,
        })
        .await?;
    println!("disabled {id}");
    let deployed = cloudfront
        .wait_until_distribution_deployed(GetDistributionInput { id: id.clone() }, waiting)
        .await?;
    println!(
        "DistributionDeployed after {} attempt(s), {:.1} s",
        deployed.attempts,
        deployed.elapsed.as_secs_f64()
    );
    let etag = deployed
        .response
        .output()
        .and_then(|out| out.e_tag.clone())
        .or(updated.e_tag);
    cloudfront
        .delete_distribution(DeleteDistributionInput {
            id: id.clone(),
            if_match: etag,
        })
        .await?;
    println!("deleted {id}");
    Ok(())
}
