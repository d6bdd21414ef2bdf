//! The static schemas of every generated crate agree with the model: for each service in
//! `sdk/services.toml`, the runtime builds the schema of every shape from `models/` at run
//! time, and it must equal the generated static one (members followed into their targets).
//! The model is taken as codegen takes it: with the structures of `codegen/src/unions.rs`
//! made unions.

use std::path::Path;
use stratus_codegen::{ModelsDir, unions};
use stratus_runtime::model::{SchemaSet, schema_diff};
use stratus_runtime::schema::{Schema, ShapeType};

macro_rules! services {
    ($($name:literal => $krate:ident),* $(,)?) => {
        const SERVICES: &[(&str, &[&Schema])] = &[$(($name, $krate::schemas::ALL)),*];
    };
}

services! {
    "autoscaling" => autoscaling_client,
    "cloudformation" => cloudformation_client,
    "cloudfront" => cloudfront_client,
    "sts" => sts_client,
    "iam" => iam_client,
    "sns" => sns_client,
    "ec2" => ec2_client,
    "s3" => s3_client,
    "route53" => route53_client,
    "dynamodb" => dynamodb_client,
    "sqs" => sqs_client,
    "kms" => kms_client,
    "ssm" => ssm_client,
    "secretsmanager" => secretsmanager_client,
    "logs" => logs_client,
    "lambda" => lambda_client,
    "sso" => sso_client,
    "sso-oidc" => sso_oidc_client,
    "cloudwatch" => cloudwatch_client,
    "kinesis" => kinesis_client,
    "bedrock-runtime" => bedrock_runtime_client,
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
}

#[test]
fn every_listed_service_is_checked() {
    #[derive(serde::Deserialize)]
    struct Listed {
        services: Vec<String>,
    }
    let text = std::fs::read_to_string(repo().join("sdk/services.toml")).unwrap();
    let listed: Listed = toml::from_str(&text).unwrap();
    let checked: Vec<&str> = SERVICES.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        listed.services, checked,
        "add the new service to this test and to tests/Cargo.toml"
    );
}

#[test]
fn generated_schemas_equal_schemas_built_from_the_models() {
    let models = ModelsDir::new(repo().join("models"));
    let mut compared = 0;
    for (service, generated) in SERVICES {
        let mut files = models.load(service).unwrap();
        // Codegen makes the structures AWS defines as unions unions (codegen/src/unions.rs).
        unions::apply(unions::UNIONS, service, &mut files.model).unwrap();
        let built = SchemaSet::build(&files.model).unwrap();
        let mut synthetic = 0;
        for schema in *generated {
            match built.get(schema.name) {
                Some(expected) => {
                    if let Some(diff) = schema_diff(schema, expected) {
                        panic!("{service}: generated schema differs from the model: {diff}");
                    }
                    compared += 1;
                }
                None => {
                    // Only the empty input/output of an operation without one is not in the model.
                    assert_eq!(
                        schema.shape_type,
                        ShapeType::Structure,
                        "{service}: {}",
                        schema.name
                    );
                    assert!(schema.members().is_empty(), "{service}: {}", schema.name);
                    synthetic += 1;
                }
            }
        }
        let missing_input = files
            .model
            .operations
            .values()
            .filter(|o| o.input.is_none())
            .count();
        let missing_output = files
            .model
            .operations
            .values()
            .filter(|o| o.output.is_none())
            .count();
        assert_eq!(
            synthetic,
            missing_input + missing_output,
            "{service}: synthetic shapes"
        );
        assert_eq!(
            generated.len() - synthetic,
            files.model.shapes.len(),
            "{service}: every model shape has a generated schema"
        );
    }
    assert!(compared > 12_000, "compared only {compared} schemas");
}

#[test]
fn a_changed_model_is_detected() {
    // The comparison can fail: a model with one trait changed differs from the generated schema.
    let models = ModelsDir::new(repo().join("models"));
    let mut files = models.load("autoscaling").unwrap();
    files.model.shapes.get_mut("XmlString").unwrap().sensitive = true;
    let built = SchemaSet::build(&files.model).unwrap();
    let generated = autoscaling_client::schemas::ALL
        .iter()
        .find(|s| s.name == "AutoScalingGroupNamesType")
        .unwrap();
    let diff = schema_diff(generated, built.get("AutoScalingGroupNamesType").unwrap()).unwrap();
    assert_eq!(
        diff,
        "AutoScalingGroupNamesType.NextToken: flags differs: {} != {\"SENSITIVE\"}"
    );
}
