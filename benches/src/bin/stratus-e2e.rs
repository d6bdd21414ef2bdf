//! The Stratus side of the end-to-end benchmarks: calls an operation in a loop through a
//! generated client and prints calls/s, latency percentiles and peak RSS as one line of
//! JSON (see `stratus_benches::load`). `benches/compare` has the same binary for the
//! official SDK (`official-e2e`), with the same scenarios and options.
//!
//! ```text
//! stratus-e2e asg --endpoint http://127.0.0.1:PORT --tasks 32 --seconds 5 --warmup 1
//! stratus-e2e instances-stub --seconds 5
//! ```
//!
//! Static credentials, region us-east-1, no retries; the `*-stub` scenarios answer from
//! memory instead of the network and leave the endpoint to the client's own resolution.

use bytes::Bytes;
use std::future::Future;
use std::pin::Pin;
use stratus_benches::{fixtures, inputs, load};
use stratus_runtime::transport::{HttpClient, SendError, TransportRequest, TransportResponse};
use stratus_runtime::{ByteStream, Config, Credentials};

/// Answers every request with the same 200 response, from memory.
#[derive(Debug, Clone)]
struct CannedHttp {
    body: Bytes,
}

impl HttpClient for CannedHttp {
    fn send(
        &self,
        _request: TransportRequest,
    ) -> Pin<Box<dyn Future<Output = Result<TransportResponse, SendError>> + Send + '_>> {
        let response = http::Response::builder()
            .status(200)
            .header("content-type", "text/xml")
            .body(ByteStream::from(self.body.clone()))
            .expect("a valid canned response");
        Box::pin(std::future::ready(Ok(response)))
    }
}

fn config(endpoint: Option<&str>, canned: Option<String>) -> Config {
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
    if let Some(body) = canned {
        builder = builder.http_client(CannedHttp { body: body.into() });
    }
    builder.build()
}

fn check(what: &str, got: usize, want: usize) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got}, expected {want}"))
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
                config(None, Some(body))
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
            let client =
                ec2_client::Client::new(&config(None, Some(fixtures::run_instances_response())));
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
        other => Err(format!("scenario `{other}` is not implemented")),
    }
}

fn main() -> std::process::ExitCode {
    load::main_with(run)
}
