//! In-process costs of the runtime on real generated clients: serializing and signing
//! `DescribeAutoScalingGroups` (query protocol) and EC2 `RunInstances` (ec2 protocol, nested
//! lists and structures), signing alone, parsing a 50-group `DescribeAutoScalingGroups`
//! response and a 1,000-instance `DescribeInstances` response, and with the rest-xml codec
//! a 1,000-key S3 `ListObjectsV2` response and a 100-distribution CloudFront
//! `ListDistributions` response, and with the awsJson codec serializing and signing a
//! 20-attribute DynamoDB `PutItem` (and validating it, the stage before) and parsing a
//! 750-item (about 1 MB) `Query` response (`stratus_benches::fixtures`). Also the cost a
//! call pays for its credentials: a lookup in the default chain's cache, and a first
//! (cold) lookup from the environment and from the shared credentials file.

use autoscaling_client::DescribeAutoScalingGroupsOutput;
use autoscaling_client::operations::DESCRIBE_AUTO_SCALING_GROUPS;
use cloudfront_client::ListDistributionsOutput;
use cloudfront_client::operations::LIST_DISTRIBUTIONS;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use dynamodb_client::QueryOutput;
use dynamodb_client::operations::{PUT_ITEM, QUERY};
use ec2_client::DescribeInstancesOutput;
use ec2_client::operations::{DESCRIBE_INSTANCES, RUN_INSTANCES};
use s3_client::ListObjectsV2Output;
use s3_client::operations::LIST_OBJECTS_V2;
use std::hint::black_box;
use stratus_benches::{fixtures, inputs};
use stratus_runtime::operation::Protocol;
use stratus_runtime::sigv4::{self, SigningParams};
use stratus_runtime::{Credentials, DateTime, protocol};

fn benches(c: &mut Criterion) {
    let query = protocol::codec(Protocol::Query).expect("the query codec");
    let ec2 = protocol::codec(Protocol::Ec2).expect("the ec2 codec");
    let rest_xml = protocol::codec(Protocol::RestXml).expect("the rest-xml codec");
    let json = protocol::codec(Protocol::Json).expect("the json codec");
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "bench",
    );
    let time = DateTime::from_secs(1_764_150_000);
    // The endpoint's URI, parsed once as a client does when it resolves the endpoint.
    let autoscaling_uri = http::Uri::from_static("https://autoscaling.us-east-1.amazonaws.com/");
    let ec2_uri = http::Uri::from_static("https://ec2.us-east-1.amazonaws.com/");
    let dynamodb_uri = http::Uri::from_static("https://dynamodb.us-east-1.amazonaws.com/");
    let sign = |request: &mut protocol::HttpRequest, service: &'static str| {
        let uri = match service {
            "ec2" => &ec2_uri,
            "dynamodb" => &dynamodb_uri,
            _ => &autoscaling_uri,
        };
        // Cloning a parsed URI only bumps reference counts.
        *request.uri_mut() = uri.clone();
        let params = SigningParams::new(&credentials, "us-east-1", service, time);
        sigv4::sign(request, &params).expect("signs");
    };

    c.bench_function("serialize+sign DescribeAutoScalingGroups", |b| {
        let input = inputs::describe_auto_scaling_groups();
        b.iter(|| {
            let mut request = query
                .serialize(&DESCRIBE_AUTO_SCALING_GROUPS, black_box(&input))
                .expect("serializes");
            sign(&mut request, "autoscaling");
            black_box(request)
        })
    });

    c.bench_function("serialize+sign RunInstances", |b| {
        let input = inputs::run_instances();
        b.iter(|| {
            let mut request = ec2
                .serialize(&RUN_INSTANCES, black_box(&input))
                .expect("serializes");
            sign(&mut request, "ec2");
            black_box(request)
        })
    });

    c.bench_function("serialize+sign PutItem", |b| {
        let input = inputs::put_item();
        b.iter(|| {
            let mut request = json
                .serialize(&PUT_ITEM, black_box(&input))
                .expect("serializes");
            sign(&mut request, "dynamodb");
            black_box(request)
        })
    });

    // The pipeline's first stage on the same input: a client validates every call's input
    // (required members, lengths, ranges) before serializing it.
    c.bench_function("validate PutItem", |b| {
        let input = inputs::put_item();
        b.iter(|| {
            let problems = stratus_runtime::pipeline::validate::validate(black_box(&input));
            assert!(problems.is_empty(), "{problems:?}");
            black_box(problems)
        })
    });

    // Signing alone: each iteration signs a fresh copy of the serialized request, made
    // outside the timed part. Batches of 64 copies: criterion's `SmallInput` batches hold
    // thousands, and freeing them all at once has glibc return the memory to the kernel,
    // so the next batch's signing would be timed taking page faults that no client's
    // steady state has.
    c.bench_function("sign DescribeAutoScalingGroups", |b| {
        let request = query
            .serialize(
                &DESCRIBE_AUTO_SCALING_GROUPS,
                &inputs::describe_auto_scaling_groups(),
            )
            .expect("serializes");
        // The copy has room for the signature's headers, as each attempt's request in the
        // client's pipeline has.
        let copy = || {
            let mut copy = request.clone();
            copy.headers_mut()
                .reserve(stratus_runtime::pipeline::SIGNING_HEADERS);
            copy
        };
        b.iter_batched_ref(
            copy,
            |request| sign(request, "autoscaling"),
            BatchSize::NumIterations(64),
        )
    });

    let body = bytes::Bytes::from(fixtures::describe_auto_scaling_groups_response(
        fixtures::ASG_GROUPS,
    ));
    let mut group = c.benchmark_group("parse DescribeAutoScalingGroups");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("50 groups", |b| {
        let response = http::Response::builder()
            .status(200)
            .body(body.clone())
            .expect("response");
        b.iter(|| {
            let mut output = DescribeAutoScalingGroupsOutput::default();
            query
                .parse_output(
                    &DESCRIBE_AUTO_SCALING_GROUPS,
                    black_box(&response),
                    &mut output,
                )
                .expect("parses");
            assert_eq!(output.auto_scaling_groups.len(), fixtures::ASG_GROUPS);
            black_box(output)
        })
    });
    group.finish();

    let body = bytes::Bytes::from(fixtures::describe_instances_response(
        fixtures::EC2_INSTANCES,
    ));
    let mut group = c.benchmark_group("parse DescribeInstances");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(20);
    group.bench_function("1000 instances", |b| {
        let response = http::Response::builder()
            .status(200)
            .body(body.clone())
            .expect("response");
        b.iter(|| {
            let mut output = DescribeInstancesOutput::default();
            ec2.parse_output(&DESCRIBE_INSTANCES, black_box(&response), &mut output)
                .expect("parses");
            black_box(output)
        })
    });
    group.finish();

    let body = bytes::Bytes::from(fixtures::list_objects_v2_response(fixtures::S3_KEYS));
    let mut group = c.benchmark_group("parse ListObjectsV2");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("1000 keys", |b| {
        let response = xml_response(body.clone());
        b.iter(|| {
            let mut output = ListObjectsV2Output::default();
            rest_xml
                .parse_output(&LIST_OBJECTS_V2, black_box(&response), &mut output)
                .expect("parses");
            black_box(output)
        })
    });
    group.finish();

    let body = bytes::Bytes::from(fixtures::list_distributions_response(
        fixtures::CLOUDFRONT_DISTRIBUTIONS,
    ));
    let mut group = c.benchmark_group("parse ListDistributions");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("100 distributions", |b| {
        let response = xml_response(body.clone());
        b.iter(|| {
            let mut output = ListDistributionsOutput::default();
            rest_xml
                .parse_output(&LIST_DISTRIBUTIONS, black_box(&response), &mut output)
                .expect("parses");
            black_box(output)
        })
    });
    group.finish();

    let body = bytes::Bytes::from(fixtures::query_response(fixtures::DYNAMODB_QUERY_ITEMS));
    let mut group = c.benchmark_group("parse Query");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function(format!("{} items", fixtures::DYNAMODB_QUERY_ITEMS), |b| {
        let response = json_response(body.clone());
        b.iter(|| {
            let mut output = QueryOutput::default();
            json.parse_output(&QUERY, black_box(&response), &mut output)
                .expect("parses");
            black_box(output)
        })
    });
    group.finish();
}

/// A 200 response with a DynamoDB (awsJson 1.0) body.
fn json_response(body: bytes::Bytes) -> http::Response<bytes::Bytes> {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amzn-requestid", "5C3A1B0E9F0D4C368D8E2F1D6A7B9C10")
        .body(body)
        .expect("response")
}

/// The DynamoDB page parses into exactly the items the fixture describes.
fn check_query() {
    let codec = protocol::codec(Protocol::Json).expect("the json codec");
    let response = json_response(fixtures::query_response(fixtures::DYNAMODB_QUERY_ITEMS).into());
    let mut output = QueryOutput::default();
    codec
        .parse_output(&QUERY, &response, &mut output)
        .expect("parses");
    assert_eq!(output.count, Some(fixtures::DYNAMODB_QUERY_ITEMS as i32));
    assert_eq!(output.scanned_count, output.count);
    assert_eq!(
        output.last_evaluated_key,
        Some(inputs::item(&fixtures::order_key(
            fixtures::DYNAMODB_QUERY_ITEMS - 1
        )))
    );
    let items = output.items.expect("items");
    assert_eq!(items.len(), fixtures::DYNAMODB_QUERY_ITEMS);
    for (n, item) in items.iter().enumerate() {
        assert_eq!(*item, inputs::item(&fixtures::order_item(n)), "item {n}");
    }
}

/// A 200 response with an XML body, as S3 and CloudFront send one.
fn xml_response(body: bytes::Bytes) -> http::Response<bytes::Bytes> {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/xml")
        .header("x-amz-request-id", "5c3a1b0e9f0d4c36")
        .body(body)
        .expect("response")
}

/// The S3 listing parses into what the XML says, so the bench measures real work.
fn check_list_objects_v2() {
    let codec = protocol::codec(Protocol::RestXml).expect("the rest-xml codec");
    let response = xml_response(fixtures::list_objects_v2_response(fixtures::S3_KEYS).into());
    let mut output = ListObjectsV2Output::default();
    codec
        .parse_output(&LIST_OBJECTS_V2, &response, &mut output)
        .expect("parses");
    assert_eq!(output.name.as_deref(), Some(fixtures::S3_BUCKET));
    assert_eq!(output.key_count, Some(fixtures::S3_KEYS as i32));
    assert_eq!(output.is_truncated, Some(true));
    assert!(output.next_continuation_token.is_some());
    let contents = output.contents.expect("contents");
    assert_eq!(contents.len(), fixtures::S3_KEYS);
    for object in &contents {
        let key = object.key.as_deref().expect("a key");
        assert!(key.starts_with(fixtures::S3_PREFIX), "{key}");
        let etag = object.e_tag.as_deref().expect("an ETag");
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
        assert!(object.last_modified.is_some() && object.size.is_some());
        assert!(object.storage_class.is_some());
        assert_eq!(object.checksum_algorithm.as_ref().map(Vec::len), Some(1));
        assert_eq!(
            object
                .owner
                .as_ref()
                .and_then(|o| o.display_name.as_deref()),
            Some("logs-admin")
        );
    }
}

/// The CloudFront listing parses into what the XML says.
fn check_list_distributions() {
    let codec = protocol::codec(Protocol::RestXml).expect("the rest-xml codec");
    let response = xml_response(
        fixtures::list_distributions_response(fixtures::CLOUDFRONT_DISTRIBUTIONS).into(),
    );
    let mut output = ListDistributionsOutput::default();
    codec
        .parse_output(&LIST_DISTRIBUTIONS, &response, &mut output)
        .expect("parses");
    let list = output.distribution_list.expect("a distribution list");
    assert_eq!(list.quantity, fixtures::CLOUDFRONT_DISTRIBUTIONS as i32);
    let items = list.items.expect("items");
    assert_eq!(items.len(), fixtures::CLOUDFRONT_DISTRIBUTIONS);
    let last = &items[fixtures::CLOUDFRONT_DISTRIBUTIONS - 1];
    assert_eq!(
        last.id,
        fixtures::distribution_id(fixtures::CLOUDFRONT_DISTRIBUTIONS - 1)
    );
    assert_eq!(last.origins.items.len(), 2);
    assert_eq!(last.cache_behaviors.items.as_ref().map(Vec::len), Some(1));
    assert_eq!(
        last.custom_error_responses.items.as_ref().map(Vec::len),
        Some(2)
    );
    assert_eq!(last.alias_icp_recordals.as_ref().map(Vec::len), Some(2));
    assert!(last.enabled && !last.staging);
}

/// The EC2 response parses into what the XML says, so the bench measures real work.
fn check_describe_instances() {
    let codec = protocol::codec(Protocol::Ec2).expect("the ec2 codec");
    let body = fixtures::describe_instances_response(fixtures::EC2_INSTANCES);
    let response = http::Response::builder()
        .status(200)
        .body(bytes::Bytes::from(body))
        .expect("response");
    let mut output = DescribeInstancesOutput::default();
    codec
        .parse_output(&DESCRIBE_INSTANCES, &response, &mut output)
        .expect("parses");
    let reservations = output.reservations.expect("reservations");
    let instances: Vec<_> = reservations
        .iter()
        .flat_map(|r| r.instances.iter().flatten())
        .collect();
    assert_eq!(instances.len(), fixtures::EC2_INSTANCES);
    let last = instances[fixtures::EC2_INSTANCES - 1];
    assert_eq!(last.tags.as_ref().map(Vec::len), Some(6));
    assert_eq!(last.block_device_mappings.as_ref().map(Vec::len), Some(2));
    let interface = &last.network_interfaces.as_ref().expect("interfaces")[0];
    assert_eq!(
        interface.private_ip_addresses.as_ref().map(Vec::len),
        Some(2)
    );
    assert_eq!(interface.groups.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        last.metadata_options
            .as_ref()
            .and_then(|m| m.http_put_response_hop_limit),
        Some(2)
    );
    assert!(last.launch_time.is_some());
}

/// The credentials a call looks up: from the default chain's cache once they are in it
/// (every call but the first), and cold (a new configuration's first call).
fn credentials(c: &mut Criterion) {
    use futures_util::FutureExt;
    use stratus_runtime::Config;
    use stratus_runtime::profile::Env;
    let dir =
        std::env::temp_dir().join(format!("stratus-bench-credentials-{}", std::process::id()));
    std::fs::create_dir_all(dir.join(".aws")).expect("a temporary home");
    std::fs::write(
        dir.join(".aws/credentials"),
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = secret\n",
    )
    .expect("a credentials file");
    let env_vars = [
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_REGION", "us-east-1"),
    ];
    let from_env = || Env::from_vars(env_vars).with_home(&dir);
    let from_file = || Env::from_vars([("AWS_REGION", "us-east-1")]).with_home(&dir);
    // The lookups below never wait: the cache answers, or the providers read memory and
    // files, so polling once resolves them (`now_or_never`) without a runtime's overhead.
    let lookup = |config: &Config| {
        config
            .credentials_provider()
            .expect("a provider")
            .provide_credentials()
            .now_or_never()
            .expect("resolved without waiting")
            .expect("credentials")
    };
    let config = Config::from_shared(from_env()).expect("config");
    assert_eq!(lookup(&config).access_key_id(), "AKIDENV");
    c.bench_function("credentials: cached lookup (default chain)", |b| {
        b.iter(|| black_box(lookup(&config)))
    });
    c.bench_function(
        "credentials: first lookup, environment (cold config)",
        |b| {
            b.iter_batched(
                || Config::from_shared(from_env()).expect("config"),
                |config| black_box(lookup(&config)),
                BatchSize::SmallInput,
            )
        },
    );
    let config = Config::from_shared(from_file()).expect("config");
    assert_eq!(lookup(&config).access_key_id(), "AKIDFILE");
    c.bench_function(
        "credentials: first lookup, shared credentials file (cold config)",
        |b| {
            b.iter_batched(
                || Config::from_shared(from_file()).expect("config"),
                |config| black_box(lookup(&config)),
                BatchSize::SmallInput,
            )
        },
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A new configuration's first lookup with each provider that calls out (STS, SSO, the
/// container endpoint, IMDS: answered in memory by the stub transport, so the figure is the
/// SDK's own cost, not a network's) or runs a process (`credential_process`).
fn credentials_cold_providers(c: &mut Criterion) {
    use stratus_runtime::Config;
    use stratus_runtime::profile::Env;
    use stratus_runtime::transport::StubClient;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let home = std::env::temp_dir().join(format!("stratus-bench-cold-{}", std::process::id()));
    std::fs::create_dir_all(home.join(".aws/sso/cache")).expect("a temporary home");
    let write = |path: &str, text: &str| std::fs::write(home.join(path), text).expect("a file");
    let far = "2099-01-01T00:00:00Z";
    let sts = |action: &str| {
        format!(
            "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>\
             <Credentials><AccessKeyId>ASIABENCH</AccessKeyId><SecretAccessKey>s</SecretAccessKey>\
             <SessionToken>t</SessionToken><Expiration>{far}</Expiration></Credentials>\
             <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>\
             <AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser></{action}Result></{action}Response>"
        )
    };
    let json = format!(
        r#"{{"Code":"Success","AccessKeyId":"ASIABENCH","SecretAccessKey":"s","Token":"t","Expiration":"{far}"}}"#
    );
    write(
        ".aws/config",
        &format!(
            "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n\
             [profile sso]\nsso_session = bench\nsso_account_id = 123456789012\nsso_role_name = R\n\
             [sso-session bench]\nsso_start_url = https://bench.awsapps.com/start\nsso_region = us-east-1\n\
             [profile process]\ncredential_process = /bin/sh {}/creds.sh\n",
            home.display()
        ),
    );
    write(
        ".aws/credentials",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n",
    );
    // sha1("bench"), the cache key of the session name.
    write(
        ".aws/sso/cache/e5c89c529dccb9b42716f4d9118d61079c883d9e.json",
        &format!(
            r#"{{"accessToken":"a","expiresAt":"{far}","region":"us-east-1","startUrl":"https://bench.awsapps.com/start"}}"#
        ),
    );
    write(
        "creds.sh",
        "printf '%s' '{\"Version\": 1, \"AccessKeyId\": \"ASIABENCH\", \"SecretAccessKey\": \"s\"}'\n",
    );
    write("token.jwt", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
    let token_file = home.join("token.jwt").display().to_string();
    let sso_answer = r#"{"roleCredentials":{"accessKeyId":"ASIABENCH","secretAccessKey":"s","sessionToken":"t","expiration":4070908800000}}"#.to_string();
    /// A case: its name, its variables, and the answers its calls get, in order.
    type Case = (&'static str, Vec<(&'static str, String)>, Vec<String>);
    let cases: Vec<Case> = vec![
        (
            "assume role",
            vec![("AWS_PROFILE", "role".into())],
            vec![sts("AssumeRole")],
        ),
        (
            "web identity",
            vec![
                ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file),
                ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r".into()),
            ],
            vec![sts("AssumeRoleWithWebIdentity")],
        ),
        ("sso", vec![("AWS_PROFILE", "sso".into())], vec![sso_answer]),
        (
            "credential_process",
            vec![("AWS_PROFILE", "process".into())],
            vec![],
        ),
        (
            "container",
            vec![(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1:9/creds".into(),
            )],
            vec![json.clone()],
        ),
        (
            "imds",
            vec![(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                "http://127.0.0.1:9".into(),
            )],
            vec!["token".into(), "role".into(), json],
        ),
    ];
    for (name, vars, answers) in cases {
        let setup = || {
            let stub = StubClient::new();
            for answer in &answers {
                stub.push_response(200, answer.clone());
            }
            let mut vars: Vec<(String, String)> = vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            vars.push(("AWS_REGION".into(), "us-east-1".into()));
            Config::builder()
                .http_client(stub)
                .load(Env::from_vars(vars).with_home(&home))
                .expect("config")
        };
        let lookup = |config: Config| {
            rt.block_on(async move {
                config
                    .credentials_provider()
                    .expect("a provider")
                    .provide_credentials()
                    .await
                    .expect("credentials")
            })
        };
        assert_eq!(lookup(setup()).access_key_id(), "ASIABENCH", "{name}");
        c.bench_function(
            &format!("credentials: first lookup, {name} (cold config)"),
            |b| {
                b.iter_batched(
                    setup,
                    |config| black_box(lookup(config)),
                    BatchSize::SmallInput,
                )
            },
        );
    }
    let _ = std::fs::remove_dir_all(&home);
}

fn all(c: &mut Criterion) {
    check_describe_instances();
    check_list_objects_v2();
    check_list_distributions();
    check_query();
    benches(c);
    credentials(c);
    credentials_cold_providers(c);
}

criterion_group!(runtime, all);
criterion_main!(runtime);
