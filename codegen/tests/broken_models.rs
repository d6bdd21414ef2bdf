//! A broken model is a clear error that names what is wrong, never a panic.

use std::path::PathBuf;
use stratus_codegen::{EmitOptions, ModelsDir, RuntimeDependency};

/// Writes `service-2.json` for a service `broken` under a fresh models directory.
fn models_with(service_json: &str, name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("stratus-broken-{}-{name}", std::process::id()));
    let dir = root.join("broken/2020-01-01");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("service-2.json"), service_json).unwrap();
    std::fs::write(root.join("VERSION"), "botocore 0.0.0-test\n").unwrap();
    root
}

fn generate_error(service_json: &str, name: &str) -> String {
    let root = models_with(service_json, name);
    let options = EmitOptions {
        runtime: RuntimeDependency::Workspace,
        botocore_version: "0.0.0-test".into(),
    };
    let result = stratus_codegen::generate(&ModelsDir::new(&root), "broken", &options);
    std::fs::remove_dir_all(&root).unwrap();
    format!(
        "{:#}",
        result.expect_err("a broken model must not generate")
    )
}

const METADATA: &str =
    r#""metadata": {"protocol": "json", "apiVersion": "2020-01-01", "serviceId": "Broken"}"#;

#[test]
fn invalid_json_names_the_file() {
    let err = generate_error("{\"metadata\": ", "json");
    assert!(
        err.contains("broken/2020-01-01/service-2.json: invalid JSON"),
        "{err}"
    );
}

#[test]
fn an_undefined_shape_is_named_with_its_referrer() {
    let model = format!(
        r#"{{{METADATA}, "operations": {{}}, "shapes": {{
            "A": {{"type": "structure", "members": {{"B": {{"shape": "Missing"}}}}}}}}}}"#
    );
    let err = generate_error(&model, "undefined");
    assert!(
        err.contains("shape `A` member `B` refers to undefined shape `Missing`"),
        "{err}"
    );
}

#[test]
fn an_operation_referring_to_nothing_is_named() {
    let model = format!(
        r#"{{{METADATA}, "operations": {{"Op": {{"name": "Op", "http": {{"method": "POST", "requestUri": "/"}},
            "input": {{"shape": "Nope"}}}}}}, "shapes": {{}}}}"#
    );
    let err = generate_error(&model, "operation");
    assert!(
        err.contains("operation `Op` refers to undefined shape `Nope`"),
        "{err}"
    );
}

#[test]
fn an_unknown_shape_type_is_named() {
    let model = format!(r#"{{{METADATA}, "shapes": {{"A": {{"type": "strung"}}}}}}"#);
    let err = generate_error(&model, "type");
    assert!(err.contains("shape `A` has unknown type `strung`"), "{err}");
}

#[test]
fn a_list_without_member_is_named() {
    let model = format!(r#"{{{METADATA}, "shapes": {{"L": {{"type": "list"}}}}}}"#);
    let err = generate_error(&model, "list");
    assert!(err.contains("list `L` lacks its `member`"), "{err}");
}

#[test]
fn an_unknown_service_is_an_error() {
    let root = models_with("{}", "missing");
    let err = ModelsDir::new(&root).load("nope").unwrap_err().to_string();
    std::fs::remove_dir_all(&root).unwrap();
    assert!(err.starts_with("no model for service `nope`"), "{err}");
}

#[test]
fn unknown_locations_and_timestamp_formats_are_named() {
    let model = format!(
        r#"{{{METADATA}, "shapes": {{"S": {{"type": "string"}},
            "A": {{"type": "structure", "members": {{"B": {{"shape": "S", "location": "cookie"}}}}}}}}}}"#
    );
    let err = generate_error(&model, "location");
    assert!(
        err.contains("shape `A` member `B` has unknown location `cookie`"),
        "{err}"
    );
    let model = format!(
        r#"{{{METADATA}, "shapes": {{"T": {{"type": "timestamp", "timestampFormat": "mayan"}}}}}}"#
    );
    let err = generate_error(&model, "timestamp");
    assert!(
        err.contains("shape `T` has unknown timestampFormat `mayan`"),
        "{err}"
    );
}
