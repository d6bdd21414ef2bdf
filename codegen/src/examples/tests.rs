//! Tests of the example renderer, on a small model written here: the expected Rust is
//! reasoned out from the model, not copied from the renderer's output.

use super::*;
use crate::ir;
use crate::load::ModelsDir;
use serde_json::json;

/// A service `demo` with one operation whose input has a member of every kind, and a
/// listing operation without required input.
fn model() -> serde_json::Value {
    json!({
        "version": "2.0",
        "metadata": {
            "apiVersion": "2024-01-01", "endpointPrefix": "demo", "protocol": "json",
            "jsonVersion": "1.1", "serviceFullName": "Demo", "serviceId": "Demo",
            "signatureVersion": "v4", "targetPrefix": "Demo"
        },
        "operations": {
            "PutWidget": {
                "name": "PutWidget", "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "PutWidgetRequest"}, "output": {"shape": "PutWidgetResult"}
            },
            "ListWidgets": {
                "name": "ListWidgets", "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "ListWidgetsRequest"},
                "errors": [{"shape": "Throttled"}]
            },
            "DeleteWidget": {
                "name": "DeleteWidget", "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "ListWidgetsRequest"}
            }
        },
        "shapes": {
            "PutWidgetRequest": {
                "type": "structure",
                "required": ["Name"],
                "members": {
                    "Name": {"shape": "String"},
                    "Count": {"shape": "Integer"},
                    "Ratio": {"shape": "Double"},
                    "Enabled": {"shape": "Boolean"},
                    "Color": {"shape": "Color"},
                    "Tags": {"shape": "TagMap"},
                    "Limits": {"shape": "LimitMap"},
                    "Parts": {"shape": "PartList"},
                    "Payload": {"shape": "Blob"},
                    "Created": {"shape": "Timestamp"},
                    "Choice": {"shape": "Choice"},
                    "Extra": {"shape": "Doc"},
                    "Type": {"shape": "String"}
                }
            },
            "PutWidgetResult": {"type": "structure", "members": {"Id": {"shape": "String"}}},
            "ListWidgetsRequest": {
                "type": "structure", "members": {"NextToken": {"shape": "String"}}
            },
            "Throttled": {
                "type": "structure", "members": {"Message": {"shape": "String"}},
                "exception": true
            },
            "Part": {
                "type": "structure",
                "members": {"Id": {"shape": "String"}, "Weight": {"shape": "Long"}}
            },
            "PartList": {"type": "list", "member": {"shape": "Part"}},
            "TagMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
            "LimitMap": {"type": "map", "key": {"shape": "Color"}, "value": {"shape": "Integer"}},
            "Choice": {
                "type": "structure", "union": true,
                "members": {"Text": {"shape": "String"}, "Part": {"shape": "Part"}}
            },
            "Color": {"type": "string", "enum": ["light-blue", "red"]},
            "Doc": {"type": "structure", "members": {}, "document": true},
            "String": {"type": "string"},
            "Integer": {"type": "integer"},
            "Long": {"type": "long"},
            "Double": {"type": "double"},
            "Boolean": {"type": "boolean"},
            "Blob": {"type": "blob"},
            "Timestamp": {"type": "timestamp"}
        }
    })
}

/// Loads `demo` with these `PutWidget` examples (and whatever `more` adds) through the
/// loader and the IR, as codegen does, and renders its examples.
fn render(put_widget: serde_json::Value, more: serde_json::Value) -> Examples {
    let mut examples = json!({"version": "1.0", "examples": {"PutWidget": put_widget}});
    if let (Some(all), serde_json::Value::Object(more)) =
        (examples["examples"].as_object_mut(), more)
    {
        all.extend(more);
    }
    let root = std::env::temp_dir().join(format!(
        "stratus-examples-test-{}-{}",
        std::process::id(),
        std::thread::current()
            .name()
            .unwrap_or("main")
            .replace("::", "-")
    ));
    let dir = root.join("demo/2024-01-01");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("service-2.json"), model().to_string()).unwrap();
    std::fs::write(dir.join("examples-1.json"), examples.to_string()).unwrap();
    let files = ModelsDir::new(&root).load("demo").unwrap();
    std::fs::remove_dir_all(&root).unwrap();
    let svc = ir::Service::new(files).unwrap();
    Examples::new(&svc).unwrap()
}

fn example(input: serde_json::Value) -> serde_json::Value {
    json!({"title": "To put a widget", "description": "Puts a <b>widget</b>.", "id": "put-1", "input": input})
}

/// The code of the doctest in a section: the lines between the fences, hidden lines
/// included without their `# ` marker.
fn code(section: &str) -> String {
    let start = section.find("```no_run\n").expect("a doctest") + "```no_run\n".len();
    let end = start + section[start..].find("```").expect("a closing fence");
    section[start..end]
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text without whitespace and without trailing commas, so that assertions do not depend
/// on line breaks.
fn squeeze(text: &str) -> String {
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    flat.replace(",}", "}")
        .replace(",]", "]")
        .replace(",)", ")")
}

#[test]
fn every_kind_of_value_renders_as_typed_rust() {
    let examples = render(
        json!([example(json!({
            "Name": "w1",
            "Count": "3",
            "Enabled": true,
            "Color": "light-blue",
            "Tags": {"env": "prod"},
            "Limits": {"red": 2},
            "Parts": [{"Id": "p1", "Weight": -5}],
            "Payload": "aGk=",
            "Created": "2024-01-02T03:04:05Z",
            "Choice": {"Part": {"Id": "p2"}},
            "Extra": {"a": [1, true]},
            "Type": "big"
        }))]),
        json!({}),
    );
    assert_eq!(examples.left_out, Vec::new());
    assert_eq!(examples.counts.generated, 1);
    // "3" for an integer is the one conversion.
    assert_eq!(examples.counts.converted, 1);

    let section = examples.section("PutWidget");
    assert!(section.starts_with("\n\n# Examples\n\n**To put a widget**\n\nPuts a **widget**.\n\n```no_run\n# async fn example()"));
    let code = code(section);
    // The code is Rust: the doctest's own function, with the hidden lines, parses.
    syn::parse_str::<syn::File>(&code).expect("the doctest parses");

    let flat = squeeze(&code);
    for expected in [
        "usedemo_client::{Choice,Color,Part,PutWidgetInput};",
        "usestd::collections::{BTreeMap,HashMap};",
        "usestratus_runtime::{Blob,DateTime,Document};",
        "usestratus_runtime::datetime::TimestampFormat;",
        "client.put_widget(PutWidgetInput{",
        // Required: the plain value. Optional: `Some`.
        "name:\"w1\".into(),",
        "count:Some(3),",
        "enabled:Some(true),",
        "color:Some(Color::LightBlue),",
        "tags:Some(HashMap::from([(\"env\".into(),\"prod\".into())])),",
        "limits:Some(HashMap::from([(Color::Red,2)])),",
        // Both members of `Part` given: no `..Default::default()` inside.
        "parts:Some(vec![Part{id:Some(\"p1\".into()),weight:Some(-5)}]),",
        "payload:Some(Blob::from(\"aGk=\")),",
        "created:Some(DateTime::parse(\"2024-01-02T03:04:05Z\",TimestampFormat::DateTime)?),",
        "choice:Some(Choice::Part(Part{id:Some(\"p2\".into()),..Default::default()})),",
        "extra:Some(Document::from(BTreeMap::from([(\"a\".to_owned(),Document::from(vec![Document::from(1u64),Document::from(true)]))]))),",
        "r#type:Some(\"big\".into()),",
        // `Ratio` is not given.
        "..Default::default()}).await?;",
    ] {
        assert!(flat.contains(expected), "missing `{expected}` in:\n{code}");
    }
    // No output documented: the result is not bound.
    assert!(!flat.contains("letoutput"));
}

#[test]
fn the_documented_output_is_shown_as_json() {
    let mut with_output = example(json!({"Name": "w1"}));
    with_output["output"] = json!({"Id": "w-123"});
    let examples = render(json!([with_output]), json!({}));
    let code = code(examples.section("PutWidget"));
    assert!(code.contains("let output = client"), "{code}");
    assert!(
        code.contains("// The output the example documents:\n// {\n//   \"Id\": \"w-123\"\n// }\n"),
        "{code}"
    );
    // Every member but one is missing: they keep their defaults.
    assert!(squeeze(&code).contains("PutWidgetInput{name:\"w1\".into(),..Default::default()}"));
}

#[test]
fn values_that_fit_once_converted_are_converted_and_counted() {
    let examples = render(
        json!([example(json!({
            "Name": 42,
            "Enabled": "TRUE",
            "Color": "RED ",
            "Created": "2016-09-27T15:50Z",
            "Ratio": 2
        }))]),
        json!({}),
    );
    assert_eq!(examples.counts.generated, 1);
    assert_eq!(examples.counts.converted, 1);
    let flat = squeeze(&code(examples.section("PutWidget")));
    for expected in [
        "name:\"42\".into()",
        "enabled:Some(true)",
        "color:Some(Color::Red)",
        "DateTime::parse(\"2016-09-27T15:50:00Z\",TimestampFormat::DateTime)?",
        "ratio:Some(2.0)",
    ] {
        assert!(flat.contains(expected), "missing `{expected}` in {flat}");
    }
}

#[test]
fn examples_that_do_not_fit_the_model_are_left_out_with_their_reason() {
    let examples = render(
        json!([
            example(json!({"Name": "w1", "Colour": "red"})),
            example(json!({"Name": "w1", "Parts": "p1"})),
            example(json!({"Name": "w1", "Color": "green"})),
            example(json!({"Name": "w1", "Choice": {"Text": "a", "Part": {"Id": "p"}}})),
            example(json!({"Name": "w1", "Count": 3_000_000_000u64})),
            example(json!({"Name": "w1", "Parts": [{"Id": "p1", "Size": 2}]})),
            example(json!({"Name": "w1", "Created": "yesterday"})),
            example(json!({"Name": "w1"})),
        ]),
        json!({"PutGadget": [example(json!({}))]}),
    );
    let reasons: Vec<(LeftOut, &str)> = examples
        .left_out
        .iter()
        .map(|l| (l.reason, l.at.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (LeftOut::UnknownMember, "Colour"),
            (LeftOut::WrongType, "Parts"),
            (LeftOut::NotInEnum, "Color"),
            (LeftOut::NotOneUnionMember, "Choice"),
            (LeftOut::OutOfRange, "Count"),
            (LeftOut::UnknownMember, "Parts[0].Size"),
            (LeftOut::BadTimestamp, "Created"),
            (LeftOut::UnknownOperation, ""),
        ]
    );
    assert_eq!(examples.counts.generated, 1);
    assert_eq!(examples.counts.left_out[&LeftOut::UnknownMember], 2);
    assert_eq!(examples.counts.total_left_out(), 8);
    // The one example that fits is the only one in the docs.
    assert_eq!(
        examples.section("PutWidget").matches("```no_run").count(),
        1
    );
    assert_eq!(examples.section("PutGadget"), "");
    assert_eq!(
        examples.counts.to_string(),
        "examples: 1 generated (0 with converted values), 8 left out (unknown operation 1, \
         unknown member 2, wrong type 1, not in enum 1, union without exactly one member 1, \
         number out of range 1, bad timestamp 1)"
    );
}

#[test]
fn the_quick_start_calls_a_listing_operation_and_matches_its_typed_error() {
    let examples = render(json!([]), json!({}));
    let quick_start = examples.quick_start();
    assert!(quick_start.starts_with("\n\n# Quick start\n\n"));
    assert!(quick_start.contains("here `ListWidgets` with an empty input"));
    let code = code(quick_start);
    syn::parse_str::<syn::File>(&code).expect("the quick start parses");
    let flat = squeeze(&code);
    for expected in [
        "usedemo_client::{Client,ListWidgetsError,ListWidgetsInput};",
        "usestratus_runtime::{Config,SdkError};",
        "letconfig=Config::from_env().await?;",
        "letclient=Client::new(&config);",
        "letinput=ListWidgetsInput::default();",
        "matchclient.list_widgets(input).await{",
        "Err(SdkError::Service(failure))=>",
        "ListWidgetsError::Throttled(exception)=>",
        "Err(other)=>returnErr(other.into())}",
    ] {
        assert!(flat.contains(expected), "missing `{expected}` in:\n{code}");
    }
}

#[test]
fn vec_placeholders_become_vec_macros_outside_string_literals() {
    let laid_out = format!(
        "f({VEC_PLACEHOLDER}(a(1), \"{VEC_PLACEHOLDER}(\\\")\", {VEC_PLACEHOLDER}()), (2))"
    );
    assert_eq!(
        restore_vec_macros(&laid_out),
        format!("f(vec![a(1), \"{VEC_PLACEHOLDER}(\\\")\", vec![]], (2))")
    );
}

#[test]
fn a_literal_that_is_the_only_argument_stays_on_the_call_line() {
    let lines = |text: &str| -> Vec<String> { text.lines().map(str::to_string).collect() };
    let laid_out = lines(
        "a: Some(\n    vec![T {\n        x: Some(\n            U::V(W {\n                y: 1,\n            }),\n        ),\n    }],\n),\nb: f(\n    1,\n    2,\n),",
    );
    assert_eq!(
        overflow_last_arguments(laid_out).join("\n"),
        "a: Some(vec![T {\n    x: Some(U::V(W {\n        y: 1,\n    })),\n}]),\nb: f(\n    1,\n    2,\n),"
    );
}
