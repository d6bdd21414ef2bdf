//! The official AWS SDK for Rust on the end-to-end benchmarks: the twin of Stratus's
//! `stratus-e2e` (benches/src/bin/stratus-e2e.rs), with the same scenarios, options, load
//! loop and JSON line (benches/src/load.rs, included below), the same canned responses
//! (benches/src/fixtures.rs) and the same requests, built with the official builders.
//!
//! ```text
//! official-e2e asg --endpoint http://127.0.0.1:PORT --tasks 32 --seconds 5 --warmup 1
//! official-e2e instances-stub --seconds 5
//! official-e2e get-object --endpoint http://127.0.0.1:PORT --seconds 5
//! ```
//!
//! Configuration as Stratus's side has it: static credentials, region us-east-1, retries
//! disabled, the endpoint URL of the canned server for the network scenarios, and for the
//! `*-stub` scenarios an in-memory HTTP client (the official SDK's own parsers are private
//! to its crates, so parsing is measured through the client with the network left out).
//! Nothing here looks anything up on the network: credentials and region are given, so
//! no provider chain (and no instance metadata) is consulted.
//!
//! S3 as Stratus's side has it: path-style on loopback, the default checksum settings
//! (`when_supported` both ways) and `GetObject` with `ChecksumMode::Enabled` (what Stratus
//! sets by default), so both send `x-amz-checksum-mode: ENABLED` and validate the body's
//! CRC32 as it is read. `PutObject` uploads a stream of known length through
//! `ByteStream::from_body_1_x`, an `http_body::Body` whose size hint is exact (the SDK's
//! way for a body that is neither in memory nor a file); the SDK sends it `aws-chunked`
//! with a CRC32 trailer, as Stratus does.
//!
//! DynamoDB as Stratus's side has it: the same table, keys, items and key condition, built
//! from the same fixtures (`fixtures::Attr`, turned into the SDK's `AttributeValue` here
//! as `benches/src/inputs.rs` does for Stratus), once per run and cloned per call.

#[allow(dead_code)]
#[path = "../../src/fixtures.rs"]
mod fixtures;
#[allow(dead_code)]
#[path = "../../src/load.rs"]
mod load;

use aws_config::BehaviorVersion;
use aws_sdk_autoscaling::config::retry::RetryConfig;
use aws_sdk_autoscaling::config::{Credentials, Region};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
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
use fixtures::Attr;
use std::collections::HashMap;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Answers every request with the same 200 response, from memory.
#[derive(Debug, Clone)]
struct CannedHttp {
    body: Bytes,
    content_type: &'static str,
}

impl CannedHttp {
    /// An XML body, as the query, ec2 and rest-xml services send one.
    fn xml(body: String) -> CannedHttp {
        CannedHttp {
            body: body.into(),
            content_type: "text/xml",
        }
    }

    /// A DynamoDB body (awsJson 1.0).
    fn json(body: String) -> CannedHttp {
        CannedHttp {
            body: body.into(),
            content_type: "application/x-amz-json-1.0",
        }
    }
}

impl HttpConnector for CannedHttp {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        let status = StatusCode::try_from(200).expect("200 is a status");
        let mut response = HttpResponse::new(status, SdkBody::from(self.body.clone()));
        response
            .headers_mut()
            .insert("content-type", self.content_type);
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

/// An S3 client: on loopback path-style, else (in memory) as configured by default.
async fn s3(endpoint: Option<&str>, canned: Option<CannedHttp>) -> aws_sdk_s3::Client {
    let config = config(endpoint, canned).await;
    let config = aws_sdk_s3::config::Builder::from(&config)
        .force_path_style(endpoint.is_some())
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

fn s3_error<E>(error: E) -> String
where
    E: std::error::Error,
{
    format!("{}", aws_sdk_s3::error::DisplayErrorContext(error))
}

/// Streams the object at `key` chunk by chunk, never holding it; returns its length.
async fn get_object(client: &aws_sdk_s3::Client, key: &str) -> Result<u64, String> {
    let output = client
        .get_object()
        .bucket(fixtures::S3_BUCKET)
        .key(key)
        .checksum_mode(aws_sdk_s3::types::ChecksumMode::Enabled)
        .send()
        .await
        .map_err(s3_error)?;
    if output.checksum_crc32().is_none() {
        return Err("the response carries no CRC32: checksum mode was not enabled".into());
    }
    let mut body = output.body;
    let mut bytes = 0u64;
    while let Some(chunk) = body.next().await {
        bytes += chunk.map_err(s3_error)?.len() as u64;
    }
    Ok(bytes)
}

/// A request body of `chunks` times the same chunk, of exact size hint: a stream of known
/// length, as `ByteStream::from_stream(..).with_content_length(..)` is on Stratus's side.
struct ChunkBody {
    chunk: Bytes,
    left: u64,
}

impl http_body::Body for ChunkBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        self.left -= 1;
        Poll::Ready(Some(Ok(http_body::Frame::data(self.chunk.clone()))))
    }

    fn is_end_stream(&self) -> bool {
        self.left == 0
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.left * self.chunk.len() as u64)
    }
}

async fn config(endpoint: Option<&str>, canned: Option<CannedHttp>) -> aws_config::SdkConfig {
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
    if let Some(canned) = canned {
        loader = loader.http_client(canned);
    }
    loader.load().await
}

fn check<T: PartialEq + std::fmt::Debug>(what: &str, got: T, want: T) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got:?}, expected {want:?}"))
    }
}

/// A fixture's DynamoDB attribute value as the official SDK's `AttributeValue`, as
/// `stratus_benches::inputs::attribute_value` makes Stratus's.
fn attribute_value(value: &Attr) -> AttributeValue {
    match value {
        Attr::S(text) => AttributeValue::S(text.clone()),
        Attr::N(number) => AttributeValue::N(number.clone()),
        Attr::B(bytes) => AttributeValue::B(Blob::new(bytes.clone())),
        Attr::Bool(b) => AttributeValue::Bool(*b),
        Attr::Null => AttributeValue::Null(true),
        Attr::Ss(values) => AttributeValue::Ss(values.clone()),
        Attr::Ns(values) => AttributeValue::Ns(values.clone()),
        Attr::L(values) => AttributeValue::L(values.iter().map(attribute_value).collect()),
        Attr::M(members) => AttributeValue::M(item(members)),
    }
}

/// A fixture's DynamoDB item (or map) as the official SDK's attribute map.
fn item(attributes: &[(String, Attr)]) -> HashMap<String, AttributeValue> {
    attributes
        .iter()
        .map(|(name, value)| (name.clone(), attribute_value(value)))
        .collect()
}

fn dynamodb_error<E>(error: E) -> String
where
    E: std::error::Error,
{
    format!("{}", aws_sdk_dynamodb::error::DisplayErrorContext(error))
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
                config(None, Some(CannedHttp::xml(body))).await
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
            let config = config(
                None,
                Some(CannedHttp::xml(fixtures::run_instances_response())),
            )
            .await;
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
        "list-objects-stub" => {
            let body = fixtures::list_objects_v2_response(fixtures::S3_KEYS);
            let bytes = body.len() as u64;
            let client = s3(None, Some(CannedHttp::xml(body))).await;
            let summary = load::run(&options, move || {
                let client = client.clone();
                async move {
                    let output = client
                        .list_objects_v2()
                        .bucket(fixtures::S3_BUCKET)
                        .prefix(fixtures::S3_PREFIX)
                        .max_keys(fixtures::S3_KEYS as i32)
                        .fetch_owner(true)
                        .send()
                        .await
                        .map_err(s3_error)?;
                    let contents = output.contents();
                    check("keys", contents.len(), fixtures::S3_KEYS)?;
                    check(
                        "owner of the last key",
                        contents[fixtures::S3_KEYS - 1]
                            .owner()
                            .and_then(|o| o.display_name()),
                        Some("logs-admin"),
                    )
                }
            })
            .await?;
            Ok(summary.with_bytes_per_call(bytes))
        }
        "distributions-stub" => {
            let body = fixtures::list_distributions_response(fixtures::CLOUDFRONT_DISTRIBUTIONS);
            let bytes = body.len() as u64;
            let config = config(None, Some(CannedHttp::xml(body))).await;
            let client = aws_sdk_cloudfront::Client::new(&config);
            let summary = load::run(&options, move || {
                let client = client.clone();
                async move {
                    let output = client
                        .list_distributions()
                        .max_items(fixtures::CLOUDFRONT_DISTRIBUTIONS as i32)
                        .send()
                        .await
                        .map_err(|e| {
                            format!("{}", aws_sdk_cloudfront::error::DisplayErrorContext(e))
                        })?;
                    let items = output
                        .distribution_list()
                        .map(|list| list.items())
                        .unwrap_or_default();
                    check(
                        "distributions",
                        items.len(),
                        fixtures::CLOUDFRONT_DISTRIBUTIONS,
                    )?;
                    let last = &items[fixtures::CLOUDFRONT_DISTRIBUTIONS - 1];
                    check(
                        "origins of the last distribution",
                        last.origins().map_or(0, |o| o.items().len()),
                        2,
                    )
                }
            })
            .await?;
            Ok(summary.with_bytes_per_call(bytes))
        }
        "query-stub" => {
            let body = fixtures::query_response(fixtures::DYNAMODB_QUERY_ITEMS);
            let bytes = body.len() as u64;
            let config = config(None, Some(CannedHttp::json(body))).await;
            let client = aws_sdk_dynamodb::Client::new(&config);
            // As `stratus_benches::inputs::query`.
            let values = item(&fixtures::query_values());
            let summary = load::run(&options, move || {
                let client = client.clone();
                let values = values.clone();
                async move {
                    let output = client
                        .query()
                        .table_name(fixtures::DYNAMODB_TABLE)
                        .key_condition_expression(fixtures::QUERY_KEY_CONDITION)
                        .set_expression_attribute_values(Some(values))
                        .send()
                        .await
                        .map_err(dynamodb_error)?;
                    let items = output.items();
                    check("items", items.len(), fixtures::DYNAMODB_QUERY_ITEMS)?;
                    check(
                        "Count",
                        output.count(),
                        fixtures::DYNAMODB_QUERY_ITEMS as i32,
                    )?;
                    check(
                        "LastEvaluatedKey",
                        output.last_evaluated_key().map(|k| k.len()),
                        Some(2),
                    )?;
                    let last = &items[fixtures::DYNAMODB_QUERY_ITEMS - 1];
                    check(
                        "attributes of the last item",
                        last.len(),
                        fixtures::ORDER_ATTRIBUTES,
                    )?;
                    check(
                        "lines of the last item",
                        match last.get("lines") {
                            Some(AttributeValue::L(lines)) => lines.len(),
                            _ => 0,
                        },
                        (fixtures::DYNAMODB_QUERY_ITEMS - 1) % 3 + 2,
                    )
                }
            })
            .await?;
            Ok(summary.with_bytes_per_call(bytes))
        }
        "put-item-stub" => {
            let config = config(None, Some(CannedHttp::json(fixtures::put_item_response()))).await;
            let client = aws_sdk_dynamodb::Client::new(&config);
            // Built once and cloned per call, as `stratus_benches::inputs::put_item` is on
            // Stratus's side.
            let order = item(&fixtures::order_item(fixtures::DYNAMODB_ORDER));
            load::run(&options, move || {
                let client = client.clone();
                let order = order.clone();
                async move {
                    let output = client
                        .put_item()
                        .table_name(fixtures::DYNAMODB_TABLE)
                        .set_item(Some(order))
                        .send()
                        .await
                        .map_err(dynamodb_error)?;
                    check("returned attributes", output.attributes(), None)
                }
            })
            .await
        }
        "get-item" => {
            let config = config(Some(options.endpoint()?), None).await;
            let client = aws_sdk_dynamodb::Client::new(&config);
            // As `stratus_benches::inputs::get_item`.
            let key = item(&fixtures::order_key(fixtures::DYNAMODB_ORDER));
            load::run(&options, move || {
                let client = client.clone();
                let key = key.clone();
                async move {
                    let output = client
                        .get_item()
                        .table_name(fixtures::DYNAMODB_TABLE)
                        .set_key(Some(key))
                        .send()
                        .await
                        .map_err(dynamodb_error)?;
                    check(
                        "attributes",
                        output.item().map_or(0, |item| item.len()),
                        fixtures::ORDER_ATTRIBUTES,
                    )
                }
            })
            .await
        }
        "get-object" => {
            let client = s3(Some(options.endpoint()?), None).await;
            // The client validates checksums: a body whose CRC32 is wrong fails it.
            match get_object(&client, &fixtures::corrupt_object_key(64 * 1024)).await {
                Err(error) if error.to_lowercase().contains("checksum") => {}
                Err(error) => {
                    return Err(format!("the corrupted object failed otherwise: {error}"));
                }
                Ok(_) => {
                    return Err(
                        "the object with a wrong CRC32 was read without error: checksums are not validated"
                            .into(),
                    );
                }
            }
            let key = fixtures::object_key(fixtures::GET_OBJECT_BYTES);
            let summary = load::run(&options, move || {
                let client = client.clone();
                let key = key.clone();
                async move {
                    let bytes = get_object(&client, &key).await?;
                    check("bytes", bytes, fixtures::GET_OBJECT_BYTES)
                }
            })
            .await?;
            Ok(summary.with_bytes_per_call(fixtures::GET_OBJECT_BYTES))
        }
        "put-object" => {
            let client = s3(Some(options.endpoint()?), None).await;
            let chunk = Bytes::from(fixtures::upload_chunk());
            let summary = load::run(&options, move || {
                let client = client.clone();
                let chunk = chunk.clone();
                async move {
                    let body = ChunkBody {
                        chunk,
                        left: fixtures::PUT_OBJECT_BYTES / fixtures::UPLOAD_CHUNK_BYTES as u64,
                    };
                    let output = client
                        .put_object()
                        .bucket(fixtures::S3_BUCKET)
                        .key("uploads/64MiB.bin")
                        .body(aws_sdk_s3::primitives::ByteStream::from_body_1_x(body))
                        .send()
                        .await
                        .map_err(s3_error)?;
                    check("has an ETag", output.e_tag().is_some(), true)
                }
            })
            .await?;
            Ok(summary.with_bytes_per_call(fixtures::PUT_OBJECT_BYTES))
        }
        other => Err(format!("scenario `{other}` is not implemented")),
    }
}

fn main() -> std::process::ExitCode {
    load::main_with(run)
}
