//! In-process costs of the runtime on real generated clients: serializing and signing
//! `DescribeAutoScalingGroups` (query protocol) and EC2 `RunInstances` (ec2 protocol, nested
//! lists and structures), signing alone, parsing a 50-group `DescribeAutoScalingGroups`
//! response and a 1,000-instance `DescribeInstances` response (`stratus_benches::fixtures`).

use autoscaling_client::DescribeAutoScalingGroupsOutput;
use autoscaling_client::operations::DESCRIBE_AUTO_SCALING_GROUPS;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ec2_client::DescribeInstancesOutput;
use ec2_client::operations::{DESCRIBE_INSTANCES, RUN_INSTANCES};
use std::hint::black_box;
use stratus_benches::{fixtures, inputs};
use stratus_runtime::operation::Protocol;
use stratus_runtime::sigv4::{self, SigningParams};
use stratus_runtime::{Credentials, DateTime, protocol};

fn benches(c: &mut Criterion) {
    let query = protocol::codec(Protocol::Query).expect("the query codec");
    let ec2 = protocol::codec(Protocol::Ec2).expect("the ec2 codec");
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
    let sign = |request: &mut protocol::HttpRequest, service: &'static str| {
        let uri = match service {
            "ec2" => &ec2_uri,
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

fn all(c: &mut Criterion) {
    check_describe_instances();
    benches(c);
}

criterion_group!(runtime, all);
criterion_main!(runtime);
