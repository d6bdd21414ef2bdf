//! The structures of `src/unions.rs` are emitted as unions: an enum with a documented variant
//! per member and `Unknown`, a `Schema::union`, and the table's `From` impls. (The compiled
//! enums are exercised in `tests/tests/suite/generated_types.rs`.)

use std::path::Path;
use stratus_codegen::{EmitOptions, GeneratedCrate, ModelsDir, RuntimeDependency};

fn generate(service: &str) -> GeneratedCrate {
    let models = ModelsDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../models"));
    let options = EmitOptions {
        runtime: RuntimeDependency::Workspace,
        botocore_version: "0.0.0-test".into(),
    };
    stratus_codegen::generate(&models, service, &options).unwrap()
}

fn file<'a>(generated: &'a GeneratedCrate, path: &str) -> &'a str {
    &generated
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

/// The text of the item that starts with `start`, up to the first line that is only `}`.
fn item<'a>(text: &'a str, start: &str) -> &'a str {
    let at = text.find(start).unwrap_or_else(|| panic!("no `{start}`"));
    let len = text[at..].find("\n}\n").expect("item ends") + 2;
    &text[at..at + len]
}

/// The variants of an enum item, each with the doc lines written just above it.
fn variants(item: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut docs = Vec::new();
    for line in item.lines().skip(1) {
        let line = line.trim();
        if let Some(doc) = line.strip_prefix("///") {
            docs.push(doc.trim().to_string());
        } else if let Some((variant, _)) = line.split_once('(') {
            out.push((variant.to_string(), std::mem::take(&mut docs)));
        }
    }
    out
}

const FROM_IMPLS: &[(&str, &str, &str)] = &[
    ("String", "S", "value"),
    ("&str", "S", "value.into()"),
    ("bool", "Bool", "value"),
    ("Blob", "B", "value"),
    ("Vec<u8>", "B", "value.into()"),
    ("Vec<AttributeValue>", "L", "value"),
    ("HashMap<String, AttributeValue>", "M", "value"),
    ("i32", "N", "value.to_string()"),
    ("i64", "N", "value.to_string()"),
    ("u64", "N", "value.to_string()"),
    ("f64", "N", "value.to_string()"),
];

fn check_attribute_value(service: &str) {
    let generated = generate(service);
    let types = file(&generated, "src/types.rs");
    assert!(!types.contains("pub struct AttributeValue {"), "{service}");
    let enum_item = item(
        types,
        "#[derive(Clone, PartialEq)]\npub enum AttributeValue {",
    );

    // Every member of the model is a variant, in model order, with the model's docs.
    let variants = variants(enum_item);
    let names: Vec<&str> = variants.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(
        names,
        [
            "S", "N", "B", "Ss", "Ns", "Bs", "M", "L", "Null", "Bool", "Unknown"
        ],
        "{service}"
    );
    for ((variant, docs), model_name) in variants
        .iter()
        .zip(["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"])
    {
        assert!(
            docs.first()
                .is_some_and(|d| d.starts_with("An attribute of type")),
            "{service}: {variant} lacks the model's docs: {docs:?}"
        );
        assert!(
            docs.iter()
                .any(|d| d.contains(&format!("\"{model_name}\":"))),
            "{service}: {variant}: {docs:?}"
        );
    }
    assert!(enum_item.contains("    S(String),\n"));
    assert!(enum_item.contains("    B(Blob),\n"));
    assert!(enum_item.contains("    Bs(Vec<Blob>),\n"));
    assert!(enum_item.contains("    M(HashMap<String, AttributeValue>),\n"));
    assert!(enum_item.contains("    L(Vec<AttributeValue>),\n"));
    assert!(enum_item.contains("    Null(bool),\n"));
    assert!(enum_item.contains("    Unknown(String),\n"));

    // The enum's docs say why it is one and list the conversions.
    let docs_start = types[..types.find(enum_item).unwrap()]
        .rfind("\n\n")
        .unwrap();
    let docs = &types[docs_start..types.find(enum_item).unwrap()];
    assert!(docs.contains("AWS defines this shape as a union"), "{docs}");
    assert!(
        docs.contains("/// - [`AttributeValue::S`] from `String` and `&str`\n"),
        "{docs}"
    );
    assert!(
        docs.contains("/// - [`AttributeValue::N`] from `i32`, `i64`, `u64` and `f64`, as the number's decimal text"),
        "{docs}"
    );
    assert!(docs.contains("Rust's shortest form"), "{docs}");

    // The accessor and `Debug` of every union.
    assert!(types.contains("(9, Self::Bool(v)) => Some(v),"));
    assert!(types.contains("stratus_runtime::impl_struct_value!(AttributeValue);"));
    assert!(types.contains("impl Default for AttributeValue {"));

    // Each conversion, once.
    for (source, variant, expr) in FROM_IMPLS {
        let expected = format!(
            "impl From<{source}> for AttributeValue {{\n    fn from(value: {source}) -> Self {{\n        Self::{variant}({expr})\n    }}\n}}\n"
        );
        assert_eq!(types.matches(&expected).count(), 1, "{service}: {expected}");
    }
    assert_eq!(
        types.matches("for AttributeValue {").count(),
        FROM_IMPLS.len() + 2, // and `Default`, `StructValue`
        "{service}"
    );

    let schemas = file(&generated, "src/schemas.rs");
    assert!(
        schemas.contains(
            "pub static ATTRIBUTE_VALUE: Schema = Schema::union(\n    \"AttributeValue\","
        ),
        "{service}"
    );
}

#[test]
fn dynamodb_attribute_value_is_an_enum_with_conversions() {
    check_attribute_value("dynamodb");
}

#[test]
fn dynamodb_streams_attribute_value_is_the_same_enum() {
    check_attribute_value("dynamodbstreams");
}

#[test]
fn entries_without_conversions_are_plain_unions() {
    let generated = generate("s3");
    let types = file(&generated, "src/types.rs");
    for name in ["AnalyticsFilter", "MetricsFilter"] {
        let enum_item = item(types, &format!("pub enum {name} {{"));
        assert!(enum_item.contains("    Prefix(String),\n"), "{enum_item}");
        assert!(enum_item.contains("    Unknown(String),\n"), "{enum_item}");
        assert!(!types.contains(&format!("impl From<String> for {name}")));
    }
    // A structure not in the table stays one.
    assert!(types.contains("pub struct LifecycleRuleFilter {"));
}
