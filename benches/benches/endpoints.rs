//! Endpoint resolution, the step every request takes before it is signed: S3 (the largest
//! rule set) for a GetObject-like call and DynamoDB for a plain regional endpoint. The rule
//! sets go the way a generated crate's do: compiled by codegen, then decoded by the runtime.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use stratus_codegen::ModelsDir;
use stratus_runtime::endpoint::{ParamValue, Params, RuleSet};

/// Compiles and decodes a service's rule set from `models/`.
fn rule_set(service: &str) -> RuleSet {
    let models = ModelsDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../models"));
    let json = models
        .load_endpoint_rules(service)
        .expect("reading the rule set")
        .expect("the service has a rule set");
    let compiled = stratus_codegen::endpoints::compile(&json).expect("the rule set compiles");
    RuleSet::decode(compiled.encoded()).expect("the encoding decodes")
}

fn params(rules: &RuleSet, values: &[(&str, ParamValue)]) -> Params {
    let mut params = Params::new(rules);
    for (name, value) in values {
        params
            .set_by_name(rules, name, value.clone())
            .expect("a parameter of the rule set");
    }
    params
}

fn benches(c: &mut Criterion) {
    let s3 = rule_set("s3");
    let s3_params = params(
        &s3,
        &[
            ("Region", "us-west-2".into()),
            ("Bucket", "amzn-s3-demo-bucket".into()),
            ("UseFIPS", false.into()),
            ("UseDualStack", false.into()),
            ("Accelerate", false.into()),
            ("ForcePathStyle", false.into()),
            ("UseArnRegion", false.into()),
            ("DisableMultiRegionAccessPoints", false.into()),
            ("UseGlobalEndpoint", false.into()),
            ("Key", "photos/2026/cat.jpg".into()),
        ],
    );
    assert_eq!(
        s3.resolve(&s3_params).expect("an endpoint").url,
        "https://amzn-s3-demo-bucket.s3.us-west-2.amazonaws.com"
    );
    c.bench_function(
        "endpoint: resolve S3 GetObject (us-west-2, virtual-hosted bucket)",
        |b| b.iter(|| s3.resolve(black_box(&s3_params))),
    );

    let dynamodb = rule_set("dynamodb");
    let dynamodb_params = params(
        &dynamodb,
        &[
            ("Region", "us-east-1".into()),
            ("UseFIPS", false.into()),
            ("UseDualStack", false.into()),
        ],
    );
    assert_eq!(
        dynamodb.resolve(&dynamodb_params).expect("an endpoint").url,
        "https://dynamodb.us-east-1.amazonaws.com"
    );
    c.bench_function("endpoint: resolve DynamoDB (us-east-1)", |b| {
        b.iter(|| dynamodb.resolve(black_box(&dynamodb_params)))
    });

    let encoded = {
        let models = ModelsDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../models"));
        let json = models
            .load_endpoint_rules("s3")
            .ok()
            .flatten()
            .expect("s3 rules");
        stratus_codegen::endpoints::compile(&json)
            .expect("compiles")
            .encoded()
            .to_owned()
    };
    c.bench_function("endpoint: decode the S3 rule set (once per process)", |b| {
        b.iter(|| RuleSet::decode(black_box(&encoded)))
    });
}

criterion_group!(endpoint_benches, benches);
criterion_main!(endpoint_benches);
