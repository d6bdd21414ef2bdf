//! Endpoint resolution through the generated clients: the `operationInputs` cases of the
//! endpoint test suites bound from operation inputs by the clients' own descriptors (and,
//! for services whose protocol is implemented, checked on the request the stub transport
//! captures, as botocore's own test does), and requests with no configured endpoint going
//! where AWS serves them.

use serde_json::Value as Json;
use stratus_runtime::config::Config;
use stratus_runtime::dynamic::DynValue;
use stratus_runtime::endpoint::{Endpoint, ParamValue};
use stratus_runtime::operation::{Operation, ServiceInfo};
use stratus_runtime::transport::StubClient;
use stratus_runtime::{ClientHandle, Credentials, SdkError};
use stratus_tests::conformance::endpoints::{check_expectation, operation_input_cases};

/// The generated services that have `operationInputs` cases, with their descriptors.
fn services() -> Vec<(
    &'static str,
    &'static ServiceInfo,
    &'static [&'static Operation],
)> {
    vec![
        (
            "s3",
            &s3_client::operations::SERVICE,
            s3_client::operations::ALL,
        ),
        (
            "dynamodb",
            &dynamodb_client::operations::SERVICE,
            dynamodb_client::operations::ALL,
        ),
        (
            "sts",
            &sts_client::operations::SERVICE,
            sts_client::operations::ALL,
        ),
        (
            "kinesis",
            &kinesis_client::operations::SERVICE,
            kinesis_client::operations::ALL,
        ),
    ]
}

/// A config made from a case's `builtInParams` and `clientParams`: the region and endpoint
/// URL as a user sets them, every other built-in parameter set by name to the case's value
/// or, when the case leaves it out, to the rule set's default, so that built-ins the case
/// does not mention are as unset as the suite means them.
fn config_for(service: &ServiceInfo, input: &Json, stub: &StubClient) -> Config {
    let rules = service
        .endpoint_rules
        .expect("generated services carry rules")
        .get()
        .expect("rules decode");
    let built_ins = input.get("builtInParams").and_then(Json::as_object);
    let mut builder = Config::builder()
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .max_attempts(1)
        // As botocore's test: the cases do not account for the model's host prefixes.
        .inject_host_prefix(false)
        .http_client(stub.clone());
    for spec in rules.params() {
        let Some(built_in) = spec.built_in else {
            continue;
        };
        let given = built_ins.and_then(|b| b.get(built_in.name()));
        match (built_in.name(), given) {
            ("AWS::Region", Some(region)) => {
                builder = builder.region(region.as_str().expect("a region string"));
            }
            ("SDK::Endpoint", Some(url)) => {
                builder = builder.endpoint_url(url.as_str().expect("a URL string"));
            }
            ("AWS::Region" | "SDK::Endpoint", None) => {}
            (_, Some(value)) => builder = builder.endpoint_param(&spec.name, param(value)),
            (_, None) => {
                if let Some(default) = &spec.default {
                    builder = builder.endpoint_param(&spec.name, default.clone());
                }
            }
        }
    }
    if let Some(params) = input.get("clientParams").and_then(Json::as_object) {
        for (name, value) in params {
            builder = builder.endpoint_param(name, param(value));
        }
    }
    builder.build()
}

fn param(value: &Json) -> ParamValue {
    match value {
        Json::Bool(b) => ParamValue::Bool(*b),
        Json::String(s) => ParamValue::String(s.clone()),
        Json::Array(items) => ParamValue::StringArray(
            items
                .iter()
                .map(|i| i.as_str().unwrap_or_default().to_owned())
                .collect(),
        ),
        other => panic!("unexpected parameter value {other}"),
    }
}

/// Bucket names botocore's harness skips because its parameter validation refuses them
/// before endpoint resolution (Stratus's does too): their cases are checked at resolution.
const INVALID_BUCKETS: [&str; 2] = ["bucket name", "example.com#"];

/// Calls `op` through the pipeline with a stub transport and checks the request it sends
/// against the case's expectation: its URL starts with the expected endpoint's and carries
/// the endpoint's headers; or, for an expected error, nothing is sent and the call fails
/// with the rules' message.
async fn check_on_the_wire(
    handle: &ClientHandle,
    stub: &StubClient,
    op: &'static Operation,
    mut input: DynValue,
    expect: &Json,
) -> Result<(), String> {
    let mut output = DynValue::default_for(op.output);
    let (Some(input), Some(output)) = (input.as_dyn_struct_mut(), output.as_dyn_struct_mut())
    else {
        return Err("input or output is not a structure".into());
    };
    let result = handle
        .invoke_into::<stratus_runtime::operation::ServiceError>(op, input, output)
        .await;
    let requests = stub.requests();
    if let Some(want) = expect.get("error").and_then(Json::as_str) {
        // As botocore's test: nothing sent, and a client-side error. An input the parameter
        // validation refuses (an ARN no rule accepts) fails there first; the rules' message
        // for it is checked at resolution.
        let sent = requests.len();
        return match result {
            Err(SdkError::Config(error)) if sent == 0 && error.message.ends_with(want) => Ok(()),
            Err(SdkError::Validation(_)) if sent == 0 => {
                match handle.resolve_endpoint::<std::convert::Infallible>(op, &*input) {
                    Err(SdkError::Config(error)) if error.message.ends_with(want) => Ok(()),
                    other => Err(format!(
                        "expected the error {want:?} at resolution, got {other:?}"
                    )),
                }
            }
            other => Err(format!(
                "expected the error {want:?}, got {other:?} ({sent} sent)"
            )),
        };
    }
    let endpoint = &expect["endpoint"];
    let url = endpoint["url"].as_str().unwrap_or_default();
    let Some(request) = requests.first() else {
        return Err(format!("nothing was sent: {result:?}"));
    };
    let sent = request.uri().to_string();
    if !sent.starts_with(url) {
        return Err(format!("sent to {sent}, expected {url}"));
    }
    if let Some(headers) = endpoint["headers"].as_object() {
        for (name, values) in headers {
            for value in values.as_array().map(Vec::as_slice).unwrap_or(&[]) {
                let value = value.as_str().unwrap_or_default();
                if !request
                    .headers()
                    .get_all(name.as_str())
                    .iter()
                    .any(|v| v == value)
                {
                    return Err(format!("header {name}: {value} missing from the request"));
                }
            }
        }
    }
    Ok(())
}

#[tokio::test]
async fn operation_input_cases_resolve_through_the_generated_clients() {
    let mut on_the_wire = 0;
    let mut total = 0;
    let mut failures = Vec::new();
    for (name, service, operations) in services() {
        let cases = operation_input_cases(name);
        assert!(!cases.is_empty(), "{name} has operationInputs cases");
        for (documentation, inputs, expect) in cases {
            for input in inputs.as_array().expect("operationInputs is a list") {
                total += 1;
                let op_name = input["operationName"].as_str().expect("operationName");
                let Some(op) = operations.iter().copied().find(|op| op.name == op_name) else {
                    failures.push(format!("{name} {documentation}: no operation {op_name}"));
                    continue;
                };
                let params = input
                    .get("operationParams")
                    .cloned()
                    .unwrap_or_else(|| Json::Object(Default::default()));
                let value = match DynValue::from_json(&params, op.input) {
                    Ok(value) => value,
                    Err(e) => {
                        failures.push(format!("{name} {documentation}: input: {e}"));
                        continue;
                    }
                };
                let stub = StubClient::new();
                let handle = ClientHandle::new(&config_for(service, input, &stub), service);
                let bucket = params.get("Bucket").and_then(Json::as_str);
                let invalid_bucket = bucket.is_some_and(|b| INVALID_BUCKETS.contains(&b));
                if stratus_runtime::protocol::codec(service.protocol).is_some() && !invalid_bucket {
                    on_the_wire += 1;
                    if let Err(problem) =
                        check_on_the_wire(&handle, &stub, op, value, &expect).await
                    {
                        failures.push(format!("{name} {op_name} {documentation}: {problem}"));
                    }
                    continue;
                }
                let Some(input_struct) = value.as_struct() else {
                    failures.push(format!("{name} {documentation}: input is not a structure"));
                    continue;
                };
                let result = handle.resolve_endpoint::<std::convert::Infallible>(op, input_struct);
                let outcome = match result {
                    Ok(resolved) => {
                        let endpoint = Endpoint {
                            url: resolved.url.clone(),
                            headers: resolved.headers.clone(),
                            properties: resolved.properties.clone(),
                        };
                        check_expectation(&expect, Ok(&endpoint))
                    }
                    Err(SdkError::Config(error)) => {
                        let prefix = format!(
                            "cannot resolve the endpoint of {} {}: ",
                            service.service_id, op.name
                        );
                        match (expect.get("error").and_then(Json::as_str), error.message) {
                            (Some(want), got) if got.strip_prefix(&prefix) == Some(want) => Ok(()),
                            (_, got) => Err(format!("expected {expect}, got the error {got}")),
                        }
                    }
                    Err(other) => Err(format!("unexpected error {other}")),
                };
                if let Err(problem) = outcome {
                    failures.push(format!("{name} {op_name} {documentation}: {problem}"));
                }
            }
        }
    }
    println!(
        "endpoint operation inputs (tier 1): {total} inputs ({on_the_wire} checked on the \
         request sent), {} failed",
        failures.len()
    );
    assert!(total >= 500, "only {total} operation inputs found");
    assert!(
        on_the_wire >= 200,
        "only {on_the_wire} inputs checked on the wire"
    );
    assert!(
        failures.is_empty(),
        "{} of {total} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A config for `region` sending to a stub that answers every call with `body`.
fn stub_config(region: &str, body: &str) -> (Config, StubClient) {
    let stub = StubClient::new();
    for _ in 0..4 {
        stub.push_response(200, body.to_owned());
    }
    let config = Config::builder()
        .region(region)
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .http_client(stub.clone());
    (config.build(), stub)
}

/// The host and the credential scope after the date (`region/service/aws4_request`) of the
/// only request sent.
fn host_and_scope(stub: &StubClient) -> (String, String) {
    let requests = stub.requests();
    assert_eq!(requests.len(), 1, "one request");
    let request = &requests[0];
    let host = request.uri().host().expect("a host").to_owned();
    let auth = request.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    let credential = auth
        .split("Credential=")
        .nth(1)
        .and_then(|c| c.split(',').next())
        .expect("a credential")
        .to_owned();
    let scope = credential.splitn(3, '/').nth(2).unwrap_or("").to_owned();
    (host, scope)
}

#[tokio::test]
async fn query_services_go_to_their_aws_hostnames() {
    let (config, stub) = stub_config(
        "us-west-2",
        "<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>",
    );
    autoscaling_client::Client::new(&config)
        .describe_auto_scaling_groups(Default::default())
        .await
        .expect("call");
    let (host, scope) = host_and_scope(&stub);
    assert_eq!(host, "autoscaling.us-west-2.amazonaws.com");
    assert_eq!(scope, "us-west-2/autoscaling/aws4_request");

    // IAM is global: one host, signed for us-east-1, whatever the client's region.
    let (config, stub) = stub_config(
        "eu-west-1",
        "<ListUsersResponse><ListUsersResult><Users/></ListUsersResult></ListUsersResponse>",
    );
    iam_client::Client::new(&config)
        .list_users(Default::default())
        .await
        .expect("call");
    let (host, scope) = host_and_scope(&stub);
    assert_eq!(host, "iam.amazonaws.com");
    assert_eq!(scope, "us-east-1/iam/aws4_request");

    // STS is regional by default (botocore's `sts_regional_endpoints = regional`).
    let identity = "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account></GetCallerIdentityResult></GetCallerIdentityResponse>";
    let (config, stub) = stub_config("us-east-1", identity);
    sts_client::Client::new(&config)
        .get_caller_identity(Default::default())
        .await
        .expect("call");
    assert_eq!(host_and_scope(&stub).0, "sts.us-east-1.amazonaws.com");
}

#[tokio::test]
async fn endpoint_settings_choose_among_the_variants() {
    let body = "<DescribeRegionsResponse><regionInfo/></DescribeRegionsResponse>";
    for (fips, dual, want) in [
        (true, false, "ec2-fips.us-east-1.amazonaws.com"),
        (false, true, "ec2.us-east-1.api.aws"),
        (true, true, "ec2-fips.us-east-1.api.aws"),
    ] {
        let stub = StubClient::new();
        stub.push_response(200, body);
        let config = Config::builder()
            .region("us-east-1")
            .use_fips(fips)
            .use_dual_stack(dual)
            .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
            .http_client(stub.clone())
            .build();
        ec2_client::Client::new(&config)
            .describe_regions(Default::default())
            .await
            .expect("call");
        assert_eq!(
            host_and_scope(&stub).0,
            want,
            "fips {fips} dual-stack {dual}"
        );
    }

    // The legacy STS setting sends us-east-1 calls to the global host.
    let stub = StubClient::new();
    stub.push_response(
        200,
        "<GetCallerIdentityResponse><GetCallerIdentityResult/></GetCallerIdentityResponse>",
    );
    let settings = stratus_runtime::config::EndpointSettings {
        sts_regional_endpoints: Some(stratus_runtime::config::RegionalEndpoints::Legacy),
        ..Default::default()
    };
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_settings(settings)
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .http_client(stub.clone())
        .build();
    sts_client::Client::new(&config)
        .get_caller_identity(Default::default())
        .await
        .expect("call");
    let (host, scope) = host_and_scope(&stub);
    assert_eq!(host, "sts.amazonaws.com");
    assert_eq!(scope, "us-east-1/sts/aws4_request");
}

/// Where a call would go, for services whose protocol has no codec yet.
fn resolved(
    config: &Config,
    service: &'static ServiceInfo,
    op: &'static Operation,
    input: Json,
) -> stratus_runtime::pipeline::endpoint::ResolvedEndpoint {
    let value = DynValue::from_json(&input, op.input).expect("input");
    let handle = ClientHandle::new(config, service);
    let resolved = handle
        .resolve_endpoint::<std::convert::Infallible>(op, value.as_struct().expect("a structure"))
        .expect("resolves");
    (*resolved).clone()
}

#[test]
fn rest_services_resolve_to_their_aws_hostnames() {
    let (config, _) = stub_config("eu-central-1", "");
    let cloudfront = resolved(
        &config,
        &cloudfront_client::operations::SERVICE,
        &cloudfront_client::operations::LIST_DISTRIBUTIONS,
        serde_json::json!({}),
    );
    assert_eq!(cloudfront.url, "https://cloudfront.amazonaws.com");
    assert_eq!(cloudfront.auth.signing_region, "us-east-1");
    assert_eq!(cloudfront.auth.signing_name, "cloudfront");

    let (config, _) = stub_config("us-west-2", "");
    let object = serde_json::json!({"Bucket": "amzn-s3-demo-bucket", "Key": "photos/cat.jpg"});
    let virtual_hosted = resolved(
        &config,
        &s3_client::operations::SERVICE,
        &s3_client::operations::GET_OBJECT,
        object.clone(),
    );
    assert_eq!(
        virtual_hosted.url,
        "https://amzn-s3-demo-bucket.s3.us-west-2.amazonaws.com"
    );
    assert_eq!(virtual_hosted.auth.signing_name, "s3");
    assert!(virtual_hosted.auth.disable_double_encoding);

    let path_style = Config::builder()
        .region("us-west-2")
        .s3_force_path_style(true)
        .build();
    let resolved_path = resolved(
        &path_style,
        &s3_client::operations::SERVICE,
        &s3_client::operations::GET_OBJECT,
        object.clone(),
    );
    assert_eq!(
        resolved_path.url,
        "https://s3.us-west-2.amazonaws.com/amzn-s3-demo-bucket"
    );

    // A bucket name that cannot be a host label falls back to path style.
    let dotted = resolved(
        &config,
        &s3_client::operations::SERVICE,
        &s3_client::operations::GET_OBJECT,
        serde_json::json!({"Bucket": "Not_A_Host", "Key": "k"}),
    );
    assert_eq!(dotted.url, "https://s3.us-west-2.amazonaws.com/Not_A_Host");

    let (config, _) = stub_config("ap-southeast-2", "");
    let dynamodb = resolved(
        &config,
        &dynamodb_client::operations::SERVICE,
        &dynamodb_client::operations::LIST_TABLES,
        serde_json::json!({}),
    );
    assert_eq!(
        dynamodb.url,
        "https://dynamodb.ap-southeast-2.amazonaws.com"
    );
}

#[tokio::test]
async fn resolution_errors_name_the_operation_and_the_rule() {
    // FIPS with a custom endpoint is refused by the rules.
    let stub = StubClient::new();
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("https://example.com")
        .endpoint_param("UseFIPS", true)
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .http_client(stub.clone())
        .build();
    let err = autoscaling_client::Client::new(&config)
        .describe_auto_scaling_groups(Default::default())
        .await
        .expect_err("refused");
    assert_eq!(
        err.to_string(),
        "configuration error: cannot resolve the endpoint of Auto Scaling DescribeAutoScalingGroups: \
         Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    assert!(stub.requests().is_empty(), "nothing sent");

    // No region at all is a configuration error that says how to set one.
    let config = Config::builder()
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .http_client(StubClient::new())
        .build();
    let err = autoscaling_client::Client::new(&config)
        .describe_auto_scaling_groups(Default::default())
        .await
        .expect_err("no region");
    assert!(
        err.to_string().contains("no region for Auto Scaling"),
        "{err}"
    );
}

#[test]
fn a_client_reuses_resolutions_only_for_the_same_parameters() {
    let (config, _) = stub_config("us-west-2", "");
    let handle = ClientHandle::new(&config, &s3_client::operations::SERVICE);
    let op = &s3_client::operations::GET_OBJECT;
    let url = |bucket: &str| {
        let value =
            DynValue::from_json(&serde_json::json!({"Bucket": bucket, "Key": "k"}), op.input)
                .expect("input");
        handle
            .resolve_endpoint::<std::convert::Infallible>(op, value.as_struct().expect("struct"))
            .expect("resolves")
            .url
            .clone()
    };
    // More buckets than the client remembers, then the first ones again.
    let buckets: Vec<String> = (0..40).map(|i| format!("bucket-{i}")).collect();
    for _ in 0..2 {
        for bucket in &buckets {
            assert_eq!(
                url(bucket),
                format!("https://{bucket}.s3.us-west-2.amazonaws.com")
            );
        }
    }
    // Operations without input-bound parameters resolve once and stay right.
    let list = &s3_client::operations::LIST_BUCKETS;
    let empty = DynValue::from_json(&serde_json::json!({}), list.input).expect("input");
    for _ in 0..3 {
        let resolved = handle
            .resolve_endpoint::<std::convert::Infallible>(list, empty.as_struct().expect("struct"))
            .expect("resolves");
        assert_eq!(resolved.url, "https://s3.us-west-2.amazonaws.com");
    }
}

/// Endpoint discovery on DynamoDB, whose operations can use a discovered endpoint: turned on,
/// a call first asks `DescribeEndpoints`, then goes to the address it
/// names, which later calls reuse; off (the default `auto`, DynamoDB not requiring it) or with
/// an endpoint URL configured, nothing is discovered; a failed discovery falls back to the
/// rules' endpoint.
#[tokio::test]
async fn dynamodb_discovers_its_endpoint_when_asked() {
    let stub = StubClient::new();
    stub.push_response(
        200,
        r#"{"Endpoints":[{"Address":"cell-7.dynamodb.example.com","CachePeriodInMinutes":5}]}"#,
    );
    stub.push_response(200, "{}");
    stub.push_response(200, "{}");
    let builder = || {
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
            .http_client(stub.clone())
    };
    let client = dynamodb_client::Client::new(&builder().endpoint_discovery(true).build());
    for _ in 0..2 {
        client
            .list_tables(Default::default())
            .await
            .expect("list tables");
    }
    let requests = stub.requests();
    let seen: Vec<(String, String)> = requests
        .iter()
        .map(|r| {
            (
                r.uri().host().unwrap_or_default().to_string(),
                r.headers()["x-amz-target"].to_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "dynamodb.us-east-1.amazonaws.com".to_string(),
                "DynamoDB_20120810.DescribeEndpoints".to_string()
            ),
            (
                "cell-7.dynamodb.example.com".to_string(),
                "DynamoDB_20120810.ListTables".to_string()
            ),
            (
                "cell-7.dynamodb.example.com".to_string(),
                "DynamoDB_20120810.ListTables".to_string()
            ),
        ]
    );
    // The discovered host is signed for DynamoDB in the configured region.
    let auth = requests[1].headers()["authorization"].to_str().unwrap();
    assert!(auth.contains("/us-east-1/dynamodb/aws4_request"), "{auth}");
    // DynamoDB's DescribeEndpoints has no `Operation` member to name the call in.
    assert_eq!(requests[0].body().as_ref(), b"{}");

    // auto (the default) and an endpoint URL: no discovery.
    for config in [
        builder().build(),
        builder()
            .endpoint_discovery(true)
            .endpoint_url("http://127.0.0.1:9")
            .build(),
    ] {
        let stub_before = stub.requests().len();
        stub.push_response(200, "{}");
        dynamodb_client::Client::new(&config)
            .list_tables(Default::default())
            .await
            .expect("list tables");
        let requests = stub.requests();
        assert_eq!(requests.len(), stub_before + 1);
        let target = requests.last().unwrap().headers()["x-amz-target"].clone();
        assert_eq!(target, "DynamoDB_20120810.ListTables");
    }

    // A discovery that fails leaves the rules' endpoint for an operation that does not
    // require one.
    let failing = StubClient::new();
    failing.push_response(400, r#"{"__type":"AccessDeniedException","message":"no"}"#);
    failing.push_response(200, "{}");
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .max_attempts(1)
        .endpoint_discovery(true)
        .http_client(failing.clone())
        .build();
    dynamodb_client::Client::new(&config)
        .list_tables(Default::default())
        .await
        .expect("list tables on the rules' endpoint");
    let hosts: Vec<String> = failing
        .requests()
        .iter()
        .map(|r| r.uri().host().unwrap_or_default().to_string())
        .collect();
    assert_eq!(hosts, ["dynamodb.us-east-1.amazonaws.com"; 2]);
}
