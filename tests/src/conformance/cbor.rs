//! botocore's CBOR decode suites (`tests/fixtures/cbor/`) against the runtime's
//! [`CborReader`].
//!
//! Each success case's `input` (hex) is decoded whole into a small generic tree (`Node`,
//! built with an explicit stack, not recursion), nothing may be left over, and the tree is
//! compared with `expect`: integers exactly (`negint` down to -2^64, which JSON numbers in
//! `serde_json` cannot hold, so the runner reads those as text), floats by their bit
//! patterns and at the width the case names (`float32` must be a single on the wire,
//! `float64` a double), strings, lists, maps and tags structurally. [`CborReader::skip`]
//! must also pass over exactly the whole input.
//!
//! Each error case must make both the tree builder and `skip` return an error; a panic in
//! the reader is a failure of the case, not of the suite.

use super::{SuiteReport, fixture};
use serde_json::Value as Json;
use std::panic::{AssertUnwindSafe, catch_unwind};
use stratus_runtime::protocol::cbor::{CborError, CborReader, Item};

/// The suites, in report order.
const FILES: [&str; 2] = [
    "cbor/decode-success-tests.json",
    "cbor/decode-error-tests.json",
];

/// Runs both suites; one report per file.
pub fn run() -> Vec<SuiteReport> {
    FILES.iter().map(|file| run_file(file)).collect()
}

fn run_file(file: &str) -> SuiteReport {
    let mut report = SuiteReport::new(file);
    let cases = match read_cases(file) {
        Ok(cases) => cases,
        Err(why) => {
            report.record(file, Err(why));
            return report;
        }
    };
    for case in &cases {
        let name = case["description"]
            .as_str()
            .unwrap_or("(no description)")
            .to_string();
        let outcome = catch_unwind(AssertUnwindSafe(|| run_case(case)))
            .unwrap_or_else(|_| Err("the reader panicked".to_string()));
        report.record(name, outcome);
    }
    report
}

/// Reads a suite. `negint` values below -2^63 do not fit any `serde_json` number without
/// losing digits, so every `negint` value is quoted first and read back as text.
fn read_cases(file: &str) -> Result<Vec<Json>, String> {
    let path = fixture(file);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&quote_negints(&text)).map_err(|e| format!("{}: {e}", path.display()))
}

/// `"negint": -18446744073709551616` becomes `"negint": "-18446744073709551616"`.
fn quote_negints(text: &str) -> String {
    const KEY: &str = "\"negint\":";
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(at) = rest.find(KEY) {
        let (before, after) = rest.split_at(at + KEY.len());
        out.push_str(before);
        let spaces = after.len() - after.trim_start().len();
        out.push_str(&after[..spaces]);
        let after = &after[spaces..];
        let number_len = after
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
            .map_or(after.len(), |(i, _)| i);
        if number_len > 0 {
            out.push('"');
            out.push_str(&after[..number_len]);
            out.push('"');
        }
        rest = &after[number_len..];
    }
    out.push_str(rest);
    out
}

fn run_case(case: &Json) -> Result<(), String> {
    let input = hex(case["input"].as_str().ok_or("the case has no `input`")?)?;
    let skipped = skip_whole(&input);
    if case.get("error").and_then(Json::as_bool) == Some(true) {
        return match (decode(&input), skipped) {
            (Err(_), Err(_)) => Ok(()),
            (Ok(tree), _) => Err(format!("decoded without an error, as {tree:?}")),
            (Err(_), Ok(())) => Err("`skip` passed over it without an error".to_string()),
        };
    }
    let expect = case
        .get("expect")
        .ok_or("the case has no `expect` nor `error`")?;
    let tree = decode(&input).map_err(|e| format!("decoding failed: {e}"))?;
    compare(&tree, expect, "$")?;
    skipped.map_err(|e| format!("decoded, but `skip` failed: {e}"))
}

/// Decodes lowercase or uppercase hex.
fn hex(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) {
        return Err(format!("odd-length hex input {text:?}"));
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|e| format!("bad hex input: {e}")))
        .collect()
}

/// A decoded data item.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Uint(u64),
    /// The value is -1 - n.
    Negint(u64),
    /// The bits as widened to `f64`, and the width on the wire (16, 32 or 64).
    Float {
        value: f64,
        width: u8,
    },
    Bytes(Vec<u8>),
    Text(String),
    List(Vec<Node>),
    Map(Vec<(Node, Node)>),
    Tag(u64, Box<Node>),
    Bool(bool),
    Null,
    Undefined,
}

/// A container being filled while decoding.
enum Open {
    List {
        len: Option<u64>,
        items: Vec<Node>,
    },
    Map {
        len: Option<u64>,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
    Tag(u64),
}

/// Decodes one data item that must span the whole buffer, without recursion.
fn decode(input: &[u8]) -> Result<Node, String> {
    let err = |e: CborError| e.to_string();
    let mut reader = CborReader::new(input);
    let mut open: Vec<Open> = Vec::new();
    loop {
        let start = reader.offset();
        let item = reader.next().map_err(err)?;
        let mut done = match item {
            Item::Unsigned(n) => Node::Uint(n),
            Item::Negative(n) => Node::Negint(n),
            Item::Bytes(b) => Node::Bytes(b.into_owned()),
            Item::Text(s) => Node::Text(s.into_owned()),
            Item::Bool(b) => Node::Bool(b),
            Item::Null => Node::Null,
            Item::Undefined => Node::Undefined,
            Item::Float(value) => Node::Float {
                value,
                width: match input[start] {
                    0xf9 => 16,
                    0xfa => 32,
                    _ => 64,
                },
            },
            Item::Array(len) => {
                open.push(Open::List {
                    len,
                    items: Vec::new(),
                });
                match close_empty(&mut open) {
                    Some(node) => node,
                    None => continue,
                }
            }
            Item::Map(len) => {
                open.push(Open::Map {
                    len,
                    entries: Vec::new(),
                    key: None,
                });
                match close_empty(&mut open) {
                    Some(node) => node,
                    None => continue,
                }
            }
            Item::Tag(id) => {
                open.push(Open::Tag(id));
                continue;
            }
            Item::Break => match open.pop() {
                Some(Open::List { len: None, items }) => Node::List(items),
                Some(Open::Map {
                    len: None,
                    entries,
                    key: None,
                }) => Node::Map(entries),
                _ => {
                    return Err(format!(
                        "a break at byte {start} closes no indefinite-length list or map"
                    ));
                }
            },
        };
        // Hand the finished node to the containers it completes, innermost first.
        loop {
            let Some(container) = open.last_mut() else {
                return if reader.is_at_end() {
                    Ok(done)
                } else {
                    Err(format!(
                        "{} bytes left after the item",
                        input.len() - reader.offset()
                    ))
                };
            };
            match container {
                Open::Tag(id) => {
                    let id = *id;
                    open.pop();
                    done = Node::Tag(id, Box::new(done));
                    continue;
                }
                Open::List { len, items } => {
                    items.push(done);
                    if *len != Some(items.len() as u64) {
                        break;
                    }
                }
                Open::Map { len, entries, key } => match key.take() {
                    None => {
                        *key = Some(done);
                        break;
                    }
                    Some(k) => {
                        entries.push((k, done));
                        if *len != Some(entries.len() as u64) {
                            break;
                        }
                    }
                },
            }
            done = match open.pop() {
                Some(Open::List { items, .. }) => Node::List(items),
                Some(Open::Map { entries, .. }) => Node::Map(entries),
                _ => return Err("the decoder lost track of its containers".to_string()),
            };
        }
    }
}

/// A definite-length container of no entries is complete as soon as it opens.
fn close_empty(open: &mut Vec<Open>) -> Option<Node> {
    match open.last() {
        Some(Open::List { len: Some(0), .. }) => {
            open.pop();
            Some(Node::List(Vec::new()))
        }
        Some(Open::Map { len: Some(0), .. }) => {
            open.pop();
            Some(Node::Map(Vec::new()))
        }
        _ => None,
    }
}

/// Skips one item, which must span the whole buffer.
fn skip_whole(input: &[u8]) -> Result<(), String> {
    let mut reader = CborReader::new(input);
    reader.skip().map_err(|e| e.to_string())?;
    if reader.is_at_end() {
        Ok(())
    } else {
        Err(format!(
            "`skip` stopped at byte {} of {}",
            reader.offset(),
            input.len()
        ))
    }
}

/// Compares a decoded tree with a case's typed `expect` (recursion bounded by the nesting
/// `serde_json` accepts).
fn compare(node: &Node, expect: &Json, path: &str) -> Result<(), String> {
    let mismatch = || format!("at {path}: expected {expect}, decoded {node:?}");
    let object = expect.as_object().ok_or_else(mismatch)?;
    let (kind, value) = match object.iter().next() {
        Some(entry) if object.len() == 1 => entry,
        _ => {
            return Err(format!(
                "at {path}: `expect` {expect} is not a one-key object"
            ));
        }
    };
    let ok = match (kind.as_str(), node) {
        ("uint", Node::Uint(n)) => value.as_u64() == Some(*n),
        ("negint", Node::Negint(n)) => negint(value)? == -1 - i128::from(*n),
        ("float32", Node::Float { value: x, width }) => {
            let bits = value.as_u64().and_then(|b| u32::try_from(b).ok());
            let bits = bits.ok_or_else(|| format!("at {path}: bad float32 bits {value}"))?;
            let expected = f32::from_bits(bits);
            *width == 32
                && if expected.is_nan() {
                    x.is_nan()
                } else {
                    f64::from(expected).to_bits() == x.to_bits()
                }
        }
        ("float64", Node::Float { value: x, width }) => {
            let bits = value
                .as_u64()
                .ok_or_else(|| format!("at {path}: bad float64 bits {value}"))?;
            *width == 64 && x.to_bits() == bits
        }
        ("bytestring", Node::Bytes(bytes)) => {
            let expected: Option<Vec<u8>> = value
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                        .collect()
                })
                .and_then(|v: Option<Vec<u8>>| v);
            expected.as_deref() == Some(bytes.as_slice())
        }
        ("string", Node::Text(text)) => value.as_str() == Some(text.as_str()),
        ("bool", Node::Bool(b)) => value.as_bool() == Some(*b),
        ("null", Node::Null) | ("undefined", Node::Undefined) => true,
        ("list", Node::List(items)) => {
            let expected = value.as_array().ok_or_else(mismatch)?;
            if expected.len() != items.len() {
                return Err(mismatch());
            }
            for (i, (item, e)) in items.iter().zip(expected).enumerate() {
                compare(item, e, &format!("{path}[{i}]"))?;
            }
            true
        }
        ("map", Node::Map(entries)) => {
            let expected = value.as_object().ok_or_else(mismatch)?;
            if expected.len() != entries.len() {
                return Err(mismatch());
            }
            // Keys are text in every case; each expected key must be decoded exactly once.
            for (key, e) in expected {
                let mut found = entries
                    .iter()
                    .filter(|(k, _)| matches!(k, Node::Text(t) if t == key));
                let (Some((_, v)), None) = (found.next(), found.next()) else {
                    return Err(mismatch());
                };
                compare(v, e, &format!("{path}.{key}"))?;
            }
            true
        }
        ("tag", Node::Tag(id, inner)) => {
            let expected_id = value["id"].as_u64();
            if expected_id != Some(*id) {
                return Err(mismatch());
            }
            compare(inner, &value["value"], &format!("{path}<tag {id}>"))?;
            true
        }
        (
            "uint" | "negint" | "float32" | "float64" | "bytestring" | "string" | "bool" | "null"
            | "undefined" | "list" | "map" | "tag",
            _,
        ) => false,
        (other, _) => return Err(format!("at {path}: unknown `expect` kind {other:?}")),
    };
    if ok { Ok(()) } else { Err(mismatch()) }
}

/// A `negint` expectation: text (as `read_cases` quotes it) or a JSON integer.
fn negint(value: &Json) -> Result<i128, String> {
    match value {
        Json::String(text) => text
            .parse::<i128>()
            .map_err(|e| format!("bad negint {text:?}: {e}")),
        _ => value
            .as_i64()
            .map(i128::from)
            .ok_or_else(|| format!("bad negint {value}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negints_are_quoted_exactly() {
        assert_eq!(
            quote_negints(r#"{"negint": -18446744073709551616}, {"negint":-1,"x":2}"#),
            r#"{"negint": "-18446744073709551616"}, {"negint":"-1","x":2}"#
        );
    }

    #[test]
    fn decode_builds_nested_trees() {
        // {"a": [1, -2, 1(h'00')], "b": {_ }} then nothing left.
        let input = hex("a26161830121c141006162bfff").unwrap();
        let tree = decode(&input).unwrap();
        assert_eq!(
            tree,
            Node::Map(vec![
                (
                    Node::Text("a".into()),
                    Node::List(vec![
                        Node::Uint(1),
                        Node::Negint(1),
                        Node::Tag(1, Box::new(Node::Bytes(vec![0]))),
                    ])
                ),
                (Node::Text("b".into()), Node::Map(vec![])),
            ])
        );
        assert!(decode(&hex("0000").unwrap()).is_err());
        assert!(decode(&hex("ff").unwrap()).is_err());
        assert!(decode(&hex("bf01ff").unwrap()).is_err());
    }
}
