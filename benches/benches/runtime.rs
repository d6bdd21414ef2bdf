//! In-process costs of the runtime on a real generated client (AutoScaling, query protocol):
//! serializing and signing `DescribeAutoScalingGroups`, signing alone, and parsing a
//! 50-group response.

use autoscaling_client::operations::DESCRIBE_AUTO_SCALING_GROUPS;
use autoscaling_client::{DescribeAutoScalingGroupsInput, DescribeAutoScalingGroupsOutput};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use stratus_runtime::operation::Protocol;
use stratus_runtime::sigv4::{self, SigningParams};
use stratus_runtime::{Credentials, DateTime, protocol};

fn input() -> DescribeAutoScalingGroupsInput {
    DescribeAutoScalingGroupsInput {
        auto_scaling_group_names: Some(vec!["web-01".into(), "web-02".into(), "batch".into()]),
        max_records: Some(50),
        ..Default::default()
    }
}

/// A `DescribeAutoScalingGroups` response with `groups` groups of 3 instances and 4 tags each.
fn response_body(groups: usize) -> String {
    let mut body = String::from(
        r#"<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups>"#,
    );
    for g in 0..groups {
        body.push_str(&format!(
            "<member><AutoScalingGroupName>group-{g}</AutoScalingGroupName>\
             <AutoScalingGroupARN>arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:5c9b1f0e-{g:04}:autoScalingGroupName/group-{g}</AutoScalingGroupARN>\
             <LaunchConfigurationName>lc-{g}</LaunchConfigurationName><MinSize>1</MinSize><MaxSize>10</MaxSize>\
             <DesiredCapacity>3</DesiredCapacity><DefaultCooldown>300</DefaultCooldown>\
             <AvailabilityZones><member>us-east-1a</member><member>us-east-1b</member></AvailabilityZones>\
             <LoadBalancerNames/><TargetGroupARNs/><HealthCheckType>EC2</HealthCheckType><HealthCheckGracePeriod>300</HealthCheckGracePeriod><Instances>"
        ));
        for i in 0..3 {
            body.push_str(&format!(
                "<member><InstanceId>i-0{g:04}{i:04}abcdef</InstanceId><InstanceType>t3.micro</InstanceType>\
                 <AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>InService</LifecycleState>\
                 <HealthStatus>Healthy</HealthStatus><LaunchConfigurationName>lc-{g}</LaunchConfigurationName>\
                 <ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>"
            ));
        }
        body.push_str("</Instances><CreatedTime>2026-11-26T10:00:00.123Z</CreatedTime><SuspendedProcesses/><Tags>");
        for t in 0..4 {
            body.push_str(&format!(
                "<member><ResourceId>group-{g}</ResourceId><ResourceType>auto-scaling-group</ResourceType>\
                 <Key>key-{t}</Key><Value>value-{t}</Value><PropagateAtLaunch>true</PropagateAtLaunch></member>"
            ));
        }
        body.push_str(
            "</Tags><TerminationPolicies><member>Default</member></TerminationPolicies>\
             <NewInstancesProtectedFromScaleIn>false</NewInstancesProtectedFromScaleIn></member>",
        );
    }
    body.push_str("</AutoScalingGroups></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>");
    body
}

fn benches(c: &mut Criterion) {
    let codec = protocol::codec(Protocol::Query).expect("the query codec");
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "bench",
    );
    let time = DateTime::from_secs(1_764_150_000);
    let sign = |request: &mut protocol::HttpRequest| {
        *request.uri_mut() = http::Uri::from_static("https://autoscaling.us-east-1.amazonaws.com/");
        let params = SigningParams::new(&credentials, "us-east-1", "autoscaling", time);
        sigv4::sign(request, &params).expect("signs");
    };

    c.bench_function("serialize+sign DescribeAutoScalingGroups", |b| {
        let input = input();
        b.iter(|| {
            let mut request = codec
                .serialize(&DESCRIBE_AUTO_SCALING_GROUPS, black_box(&input))
                .expect("serializes");
            sign(&mut request);
            black_box(request)
        })
    });

    c.bench_function("sign DescribeAutoScalingGroups", |b| {
        let request = codec
            .serialize(&DESCRIBE_AUTO_SCALING_GROUPS, &input())
            .expect("serializes");
        b.iter(|| {
            let mut request = request.clone();
            sign(&mut request);
            black_box(request)
        })
    });

    let body = bytes::Bytes::from(response_body(50));
    let mut group = c.benchmark_group("parse DescribeAutoScalingGroups");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("50 groups", |b| {
        let response = http::Response::builder()
            .status(200)
            .body(body.clone())
            .expect("response");
        b.iter(|| {
            let mut output = DescribeAutoScalingGroupsOutput::default();
            codec
                .parse_output(
                    &DESCRIBE_AUTO_SCALING_GROUPS,
                    black_box(&response),
                    &mut output,
                )
                .expect("parses");
            assert_eq!(output.auto_scaling_groups.len(), 50);
            black_box(output)
        })
    });
    group.finish();
}

criterion_group!(runtime, benches);
criterion_main!(runtime);
