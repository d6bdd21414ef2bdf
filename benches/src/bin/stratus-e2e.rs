//! The Stratus side of the end-to-end benchmarks: calls an operation in a loop through a
//! generated client and prints calls/s, latency percentiles and peak RSS as one line of
//! JSON (see `stratus_benches::load`). `benches/compare` has the same binary for the
//! official SDK (`official-e2e`), with the same scenarios and options.
//!
//! ```text
//! stratus-e2e asg --endpoint http://127.0.0.1:PORT --tasks 32 --seconds 5 --warmup 1
//! stratus-e2e instances-stub --seconds 5
//! stratus-e2e get-item --endpoint http://127.0.0.1:PORT --tasks 32 --seconds 5
//! stratus-e2e get-object --endpoint http://127.0.0.1:PORT --seconds 5
//! ```
//!
//! Static credentials, region us-east-1, no retries; the `*-stub` scenarios answer from
//! memory instead of the network and leave the endpoint to the client's own resolution.
//! S3 on loopback goes path-style (`http://127.0.0.1:PORT/bucket/key`), with the default
//! checksum settings (`when_supported` both ways: `GetObject` sends
//! `x-amz-checksum-mode: ENABLED` and validates the body's CRC32 as it is read, `PutObject`
//! sends a CRC32 trailer).

use bytes::Bytes;
use std::future::Future;
use std::pin::Pin;
use stratus_benches::{fixtures, inputs, load};
use stratus_runtime::config::ConfigBuilder;
use stratus_runtime::transport::{HttpClient, SendError, TransportRequest, TransportResponse};
use stratus_runtime::{ByteStream, Config, Credentials};

/// Answers every request with the same 200 response, from memory (the request's body, if
/// it streams, is dropped unread: no scenario through it uploads).
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

impl HttpClient for CannedHttp {
    fn send(
        &self,
        _request: TransportRequest,
    ) -> Pin<Box<dyn Future<Output = Result<TransportResponse, SendError>> + Send + '_>> {
        let response = http::Response::builder()
            .status(200)
            .header("content-type", self.content_type)
            .body(ByteStream::from(self.body.clone()))
            .expect("a valid canned response");
        Box::pin(std::future::ready(Ok(response)))
    }
}

fn config(endpoint: Option<&str>, canned: Option<CannedHttp>) -> Config {
    config_builder(endpoint, canned).build()
}

fn config_builder(endpoint: Option<&str>, canned: Option<CannedHttp>) -> ConfigBuilder {
    let mut builder = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "bench",
        ))
        .max_attempts(1);
    if let Some(endpoint) = endpoint {
        builder = builder.endpoint_url(endpoint);
    }
    if let Some(canned) = canned {
        builder = builder.http_client(canned);
    }
    builder
}

/// An S3 client: on loopback path-style, else (in memory) as configured by default.
fn s3(endpoint: Option<&str>, canned: Option<CannedHttp>) -> s3_client::Client {
    let builder = config_builder(endpoint, canned);
    let builder = if endpoint.is_some() {
        builder.s3_force_path_style(true)
    } else {
        builder
    };
    s3_client::Client::new(&builder.build())
}

fn check<T: PartialEq + std::fmt::Debug>(what: &str, got: T, want: T) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got:?}, expected {want:?}"))
    }
}

async fn run(options: load::Options) -> Result<load::Summary, String> {
    match options.scenario.as_str() {
        "asg" => {
            let client = autoscaling_client::Client::new(&config(Some(options.endpoint()?), None));
            load::run(&options, move || {
                let client = client.clone();
                async move {
                    let output = client
                        .describe_auto_scaling_groups(inputs::describe_auto_scaling_groups())
                        .await
                        .map_err(|e| e.to_string())?;
                    check(
                        "groups",
                        output.auto_scaling_groups.len(),
                        fixtures::ASG_GROUPS,
                    )
                }
            })
            .await
        }
        "instances" | "instances-stub" => {
            let config = if options.scenario == "instances" {
                config(Some(options.endpoint()?), None)
            } else {
                let body = fixtures::describe_instances_response(fixtures::EC2_INSTANCES);
                config(None, Some(CannedHttp::xml(body)))
            };
            let client = ec2_client::Client::new(&config);
            load::run(&options, move || {
                let client = client.clone();
                async move {
                    let output = client
                        .describe_instances(Default::default())
                        .await
                        .map_err(|e| e.to_string())?;
                    let reservations = output.reservations.unwrap_or_default();
                    let instances = reservations
                        .iter()
                        .map(|r| r.instances.as_ref().map_or(0, Vec::len))
                        .sum();
                    check("instances", instances, fixtures::EC2_INSTANCES)
                }
            })
            .await
        }
        "run-instances-stub" => {
            let client = ec2_client::Client::new(&config(
                None,
                Some(CannedHttp::xml(fixtures::run_instances_response())),
            ));
            load::run(&options, move || {
                let client = client.clone();
                async move {
                    let output = client
                        .run_instances(inputs::run_instances())
                        .await
                        .map_err(|e| e.to_string())?;
                    check(
                        "instances",
                        output.instances.as_ref().map_or(0, Vec::len),
                        1,
                    )
                }
            })
            .await
        }
        "list-objects-stub" => {
            let body = fixtures::list_objects_v2_response(fixtures::S3_KEYS);
            let bytes = body.len() as u64;
            let client = s3(None, Some(CannedHttp::xml(body)));
            let summary = load::run(&options, move || {
                let client = client.clone();
                async move {
                    let output = client
                        .list_objects_v2(s3_client::ListObjectsV2Input {
                            bucket: fixtures::S3_BUCKET.into(),
                            prefix: Some(fixtures::S3_PREFIX.into()),
                            max_keys: Some(fixtures::S3_KEYS as i32),
                            fetch_owner: Some(true),
                            ..Default::default()
                        })
                        .await
                        .map_err(|e| e.to_string())?;
                    let contents = output.contents.unwrap_or_default();
                    check("keys", contents.len(), fixtures::S3_KEYS)?;
                    check(
                        "owner of the last key",
                        contents[fixtures::S3_KEYS - 1]
                            .owner
                            .as_ref()
                            .and_then(|o| o.display_name.as_deref()),
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
            let client = cloudfront_client::Client::new(&config(None, Some(CannedHttp::xml(body))));
            let summary = load::run(&options, move || {
                let client = client.clone();
                async move {
                    let output = client
                        .list_distributions(cloudfront_client::ListDistributionsInput {
                            max_items: Some(fixtures::CLOUDFRONT_DISTRIBUTIONS.to_string()),
                            ..Default::default()
                        })
                        .await
                        .map_err(|e| e.to_string())?;
                    let items = output
                        .distribution_list
                        .and_then(|list| list.items)
                        .unwrap_or_default();
                    check(
                        "distributions",
                        items.len(),
                        fixtures::CLOUDFRONT_DISTRIBUTIONS,
                    )?;
                    let last = &items[fixtures::CLOUDFRONT_DISTRIBUTIONS - 1];
                    check(
                        "origins of the last distribution",
                        last.origins.items.len(),
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
            let client = dynamodb_client::Client::new(&config(None, Some(CannedHttp::json(body))));
            let input = inputs::query();
            let summary = load::run(&options, move || {
                let client = client.clone();
                let input = input.clone();
                async move {
                    let output = client.query(input).await.map_err(|e| e.to_string())?;
                    let items = output.items.unwrap_or_default();
                    check("items", items.len(), fixtures::DYNAMODB_QUERY_ITEMS)?;
                    check(
                        "Count",
                        output.count,
                        Some(fixtures::DYNAMODB_QUERY_ITEMS as i32),
                    )?;
                    check(
                        "LastEvaluatedKey",
                        output.last_evaluated_key.as_ref().map(|k| k.len()),
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
                            Some(dynamodb_client::AttributeValue::L(lines)) => lines.len(),
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
            let client = dynamodb_client::Client::new(&config(
                None,
                Some(CannedHttp::json(fixtures::put_item_response())),
            ));
            // Built once and cloned per call, as on the official side.
            let input = inputs::put_item();
            load::run(&options, move || {
                let client = client.clone();
                let input = input.clone();
                async move {
                    let output = client.put_item(input).await.map_err(|e| e.to_string())?;
                    check("returned attributes", output.attributes, None)
                }
            })
            .await
        }
        "get-item" => {
            let client = dynamodb_client::Client::new(&config(Some(options.endpoint()?), None));
            let input = inputs::get_item();
            load::run(&options, move || {
                let client = client.clone();
                let input = input.clone();
                async move {
                    let output = client.get_item(input).await.map_err(|e| e.to_string())?;
                    check(
                        "attributes",
                        output.item.map_or(0, |item| item.len()),
                        fixtures::ORDER_ATTRIBUTES,
                    )
                }
            })
            .await
        }
        "get-object" => {
            let client = s3(Some(options.endpoint()?), None);
            // The client validates checksums: a body whose CRC32 is wrong fails it.
            match get_object(&client, &fixtures::corrupt_object_key(64 * 1024)).await {
                Err(error) if error.contains("checksum") => {}
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
            let client = s3(Some(options.endpoint()?), None);
            let chunk = Bytes::from(fixtures::upload_chunk());
            let summary = load::run(&options, move || {
                let client = client.clone();
                let chunk = chunk.clone();
                async move {
                    let chunks = fixtures::PUT_OBJECT_BYTES / fixtures::UPLOAD_CHUNK_BYTES as u64;
                    let stream = futures_util::stream::iter(
                        (0..chunks).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
                    );
                    let output = client
                        .put_object(s3_client::PutObjectInput {
                            bucket: fixtures::S3_BUCKET.into(),
                            key: "uploads/64MiB.bin".into(),
                            body: Some(
                                ByteStream::from_stream(stream)
                                    .with_content_length(fixtures::PUT_OBJECT_BYTES),
                            ),
                            ..Default::default()
                        })
                        .await
                        .map_err(|e| e.to_string())?;
                    check("has an ETag", output.e_tag.is_some(), true)
                }
            })
            .await?;
            Ok(summary.with_bytes_per_call(fixtures::PUT_OBJECT_BYTES))
        }
        other => Err(format!("scenario `{other}` is not implemented")),
    }
}

/// Streams the object at `key` chunk by chunk, never holding it; returns its length.
async fn get_object(client: &s3_client::Client, key: &str) -> Result<u64, String> {
    let output = client
        .get_object(s3_client::GetObjectInput {
            bucket: fixtures::S3_BUCKET.into(),
            key: key.into(),
            ..Default::default()
        })
        .await
        .map_err(|e| e.to_string())?;
    if output.checksum_crc32.is_none() {
        return Err("the response carries no CRC32: checksum mode was not enabled".into());
    }
    let mut body = output.body.unwrap_or_default();
    let mut bytes = 0u64;
    while let Some(chunk) = body.next_chunk().await {
        bytes += chunk.map_err(|e| e.to_string())?.len() as u64;
    }
    Ok(bytes)
}

fn main() -> std::process::ExitCode {
    load::main_with(run)
}
