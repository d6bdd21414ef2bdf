//! The official AWS SDK for Rust on the end-to-end benchmarks: the twin of Stratus's
//! `stratus-e2e` (benches/src/bin/stratus-e2e.rs), with the same scenarios, options, load
//! loop and JSON line (benches/src/load.rs, included below), the same canned responses
//! (benches/src/fixtures.rs) and the same requests, built with the official builders.
//!
//! ```text
//! official-e2e asg --endpoint http://127.0.0.1:PORT --tasks 32 --seconds 5 --warmup 1
//! official-e2e instances-stub --seconds 5
//! ```
//!
//! Configuration as Stratus's side has it: static credentials, region us-east-1, retries
//! disabled, the endpoint URL of the canned server for the network scenarios, and for the
//! `*-stub` scenarios an in-memory HTTP client (the official SDK's own parsers are private
//! to its crates, so parsing is measured through the client with the network left out).
//! Nothing here looks anything up on the network: credentials and region are given, so
//! no provider chain (and no instance metadata) is consulted.

#[allow(dead_code)]
#[path = "../../src/fixtures.rs"]
mod fixtures;
#[allow(dead_code)]
#[path = "../../src/load.rs"]
mod load;

use aws_config::BehaviorVersion;
use aws_sdk_autoscaling::config::retry::RetryConfig;
use aws_sdk_autoscaling::config::{Credentials, Region};
use aws_sdk_ec2::types::{
    BlockDeviceMapping, EbsBlockDevice, HttpTokensState, IamInstanceProfileSpecification,
    InstanceMetadataEndpointState, InstanceMetadataOptionsRequest,
    InstanceNetworkInterfaceSpecification, InstanceType, Placement, PrivateIpAddressSpecification,
    ResourceType, RunInstancesMonitoringEnabled, ShutdownBehavior, Tag, TagSpecification, Tenancy,
    VolumeType,
};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;

/// Answers every request with the same 200 response, from memory.
#[derive(Debug, Clone)]
struct CannedHttp {
    body: Bytes,
}

impl HttpConnector for CannedHttp {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        let status = StatusCode::try_from(200).expect("200 is a status");
        let mut response = HttpResponse::new(status, SdkBody::from(self.body.clone()));
        response.headers_mut().insert("content-type", "text/xml");
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl HttpClient for CannedHttp {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

async fn config(endpoint: Option<&str>, canned: Option<String>) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "bench",
        ))
        .retry_config(RetryConfig::disabled());
    if let Some(endpoint) = endpoint {
        loader = loader.endpoint_url(endpoint);
    }
    if let Some(body) = canned {
        loader = loader.http_client(CannedHttp { body: body.into() });
    }
    loader.load().await
}

fn check(what: &str, got: usize, want: usize) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got}, expected {want}"))
    }
}

/// `RunInstances` as `stratus_benches::inputs::run_instances` builds it, field for field.
fn run_instances(
    client: &aws_sdk_ec2::Client,
) -> aws_sdk_ec2::operation::run_instances::builders::RunInstancesFluentBuilder {
    let tags = fixtures::TAGS
        .iter()
        .map(|(resource, tags)| {
            let mut spec = TagSpecification::builder().resource_type(ResourceType::from(*resource));
            for (key, value) in tags.iter() {
                spec = spec.tags(Tag::builder().key(*key).value(*value).build());
            }
            spec.build()
        })
        .collect();
    client
        .run_instances()
        .image_id("ami-0c02fb55956c7d316")
        .instance_type(InstanceType::from("m6i.large"))
        .min_count(1)
        .max_count(1)
        .key_name("web-deploy")
        .client_token("run-web-42-2026-11-26")
        .user_data(fixtures::USER_DATA)
        .ebs_optimized(true)
        .monitoring(
            RunInstancesMonitoringEnabled::builder()
                .enabled(true)
                .build(),
        )
        .instance_initiated_shutdown_behavior(ShutdownBehavior::from("terminate"))
        .placement(
            Placement::builder()
                .availability_zone("us-east-1a")
                .tenancy(Tenancy::from("default"))
                .build(),
        )
        .iam_instance_profile(
            IamInstanceProfileSpecification::builder()
                .arn("arn:aws:iam::123456789012:instance-profile/web-role")
                .build(),
        )
        .metadata_options(
            InstanceMetadataOptionsRequest::builder()
                .http_tokens(HttpTokensState::from("required"))
                .http_put_response_hop_limit(2)
                .http_endpoint(InstanceMetadataEndpointState::from("enabled"))
                .build(),
        )
        .block_device_mappings(
            BlockDeviceMapping::builder()
                .device_name("/dev/xvda")
                .ebs(
                    EbsBlockDevice::builder()
                        .volume_size(30)
                        .volume_type(VolumeType::from("gp3"))
                        .delete_on_termination(true)
                        .encrypted(true)
                        .build(),
                )
                .build(),
        )
        .block_device_mappings(
            BlockDeviceMapping::builder()
                .device_name("/dev/sdf")
                .ebs(
                    EbsBlockDevice::builder()
                        .volume_size(100)
                        .volume_type(VolumeType::from("gp3"))
                        .iops(3000)
                        .throughput(125)
                        .delete_on_termination(false)
                        .encrypted(true)
                        .kms_key_id(
                            "arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
                        )
                        .build(),
                )
                .build(),
        )
        .network_interfaces(
            InstanceNetworkInterfaceSpecification::builder()
                .device_index(0)
                .subnet_id("subnet-0a1b2c3d4e5f60718")
                .groups("sg-0123456789abcdef0")
                .groups("sg-0fedcba9876543210")
                .associate_public_ip_address(true)
                .delete_on_termination(true)
                .private_ip_addresses(
                    PrivateIpAddressSpecification::builder()
                        .primary(true)
                        .private_ip_address("10.0.1.42")
                        .build(),
                )
                .private_ip_addresses(
                    PrivateIpAddressSpecification::builder()
                        .primary(false)
                        .private_ip_address("10.0.1.43")
                        .build(),
                )
                .build(),
        )
        .set_tag_specifications(Some(tags))
}

async fn run(options: load::Options) -> Result<load::Summary, String> {
    match options.scenario.as_str() {
        "asg" => {
            let config = config(Some(options.endpoint()?), None).await;
            let client = aws_sdk_autoscaling::Client::new(&config);
            load::run(&options, move || {
                let client = client.clone();
                async move {
                    let output = client
                        .describe_auto_scaling_groups()
                        .auto_scaling_group_names("web-01")
                        .auto_scaling_group_names("web-02")
                        .auto_scaling_group_names("batch")
                        .max_records(50)
                        .send()
                        .await
                        .map_err(|e| {
                            format!("{}", aws_sdk_autoscaling::error::DisplayErrorContext(e))
                        })?;
                    check(
                        "groups",
                        output.auto_scaling_groups().len(),
                        fixtures::ASG_GROUPS,
                    )
                }
            })
            .await
        }
        "instances" | "instances-stub" => {
            let config = if options.scenario == "instances" {
                config(Some(options.endpoint()?), None).await
            } else {
                let body = fixtures::describe_instances_response(fixtures::EC2_INSTANCES);
                config(None, Some(body)).await
            };
            let client = aws_sdk_ec2::Client::new(&config);
            load::run(&options, move || {
                let client = client.clone();
                async move {
                    let output =
                        client.describe_instances().send().await.map_err(|e| {
                            format!("{}", aws_sdk_ec2::error::DisplayErrorContext(e))
                        })?;
                    let instances = output
                        .reservations()
                        .iter()
                        .map(|r| r.instances().len())
                        .sum();
                    check("instances", instances, fixtures::EC2_INSTANCES)
                }
            })
            .await
        }
        "run-instances-stub" => {
            let config = config(None, Some(fixtures::run_instances_response())).await;
            let client = aws_sdk_ec2::Client::new(&config);
            load::run(&options, move || {
                let client = client.clone();
                async move {
                    let output = run_instances(&client)
                        .send()
                        .await
                        .map_err(|e| format!("{}", aws_sdk_ec2::error::DisplayErrorContext(e)))?;
                    check("instances", output.instances().len(), 1)
                }
            })
            .await
        }
        other => Err(format!("scenario `{other}` is not implemented")),
    }
}

fn main() -> std::process::ExitCode {
    load::main_with(run)
}
