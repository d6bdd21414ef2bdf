//! Resume tokens, written and read as botocore writes and reads them, so a listing the AWS
//! CLI started can be resumed here and the reverse.
//!
//! botocore's token (`TokenEncoder` in `paginate.py`) is base64 of `json.dumps` of a dict:
//! each input token's value (`null` where the service gave none), then
//! `boto_truncate_amount` when the last page was cut short, then `boto_encoded_keys` (the
//! paths of binary values, which go base64-encoded) when a value holds bytes. This module
//! writes exactly that text, with Python's separators and `ensure_ascii` escaping, so a
//! token made here is byte for byte the one botocore would make for the same values.
//!
//! Reading also takes what botocore still accepts: a token in the old `value___value___index`
//! form, and a bare service token (`NextToken` as the service returned it).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value as Json};
use std::fmt::Write as _;

/// One step of a path into a token: what `boto_encoded_keys` lists.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// The service's tokens for a page, in `input_token` order (`None` where the service gave
/// none), with the paths of binary values among them (each starting with the input token's
/// name).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct PageToken {
    pub values: Vec<Option<Json>>,
    pub blobs: Vec<Vec<Step>>,
}

impl PageToken {
    /// No token: the first page.
    pub fn none(count: usize) -> PageToken {
        PageToken {
            values: vec![None; count],
            blobs: Vec::new(),
        }
    }

    /// Whether the service gave no token at all: the listing is complete.
    pub fn is_end(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }
}

/// A decoded starting token: the tokens of the page to fetch and how many items of that
/// page were already handed out.
#[derive(Debug, PartialEq)]
pub(crate) struct Starting {
    pub token: PageToken,
    pub skip: usize,
}

/// The resume token botocore would write for `token` (and `truncate`, the items of that page
/// already handed out).
pub(crate) fn encode(input_tokens: &[&str], token: &PageToken, truncate: Option<usize>) -> String {
    let mut text = String::from("{");
    let mut first = true;
    let mut key = |text: &mut String, name: &str| {
        if !first {
            text.push_str(", ");
        }
        first = false;
        dump_str(name, text);
        text.push_str(": ");
    };
    for (name, value) in input_tokens.iter().zip(&token.values) {
        key(&mut text, name);
        dump(value.as_ref().unwrap_or(&Json::Null), &mut text);
    }
    if let Some(amount) = truncate {
        key(&mut text, "boto_truncate_amount");
        let _ = write!(text, "{amount}");
    }
    if !token.blobs.is_empty() {
        key(&mut text, "boto_encoded_keys");
        let paths = token
            .blobs
            .iter()
            .map(|path| {
                Json::Array(
                    path.iter()
                        .map(|step| match step {
                            Step::Key(k) => Json::String(k.clone()),
                            Step::Index(i) => Json::from(*i),
                        })
                        .collect(),
                )
            })
            .collect();
        dump(&Json::Array(paths), &mut text);
    }
    text.push('}');
    STANDARD.encode(text)
}

/// Reads a starting token as botocore's `_parse_starting_token` does: a token of botocore's
/// form, else the old `___`-separated form, else the whole text as the service's token.
pub(crate) fn decode(token: &str, input_tokens: &[&str]) -> Result<Starting, String> {
    match decode_current(token) {
        Some(object) => from_object(object, input_tokens),
        None => decode_deprecated(token, input_tokens),
    }
}

/// The JSON object inside a token of botocore's current form, if it is one.
fn decode_current(token: &str) -> Option<Map<String, Json>> {
    let bytes = STANDARD.decode(token.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    match serde_json::from_str(&text).ok()? {
        Json::Object(object) => Some(object),
        _ => None,
    }
}

fn from_object(mut object: Map<String, Json>, input_tokens: &[&str]) -> Result<Starting, String> {
    let bad = |why: String| Err(format!("bad starting token: {why}"));
    let blobs = match object.shift_remove("boto_encoded_keys") {
        None => Vec::new(),
        Some(Json::Array(paths)) => {
            let mut blobs = Vec::new();
            for path in paths {
                let Json::Array(steps) = path else {
                    return bad("`boto_encoded_keys` lists something that is not a path".into());
                };
                let mut parsed = Vec::new();
                for step in steps {
                    parsed.push(match step {
                        Json::String(key) => Step::Key(key),
                        Json::Number(n) => match n.as_u64().and_then(|i| usize::try_from(i).ok()) {
                            Some(i) => Step::Index(i),
                            None => return bad(format!("`{n}` is not a list index")),
                        },
                        other => return bad(format!("`{other}` is not a path step")),
                    });
                }
                if !matches!(path_get(&object, &parsed), Some(Json::String(_))) {
                    return bad("`boto_encoded_keys` names a value the token does not have".into());
                }
                blobs.push(parsed);
            }
            blobs
        }
        Some(_) => return bad("`boto_encoded_keys` is not a list".into()),
    };
    let skip = match object.shift_remove("boto_truncate_amount") {
        None => 0,
        Some(Json::Number(n)) => match n.as_u64().and_then(|i| usize::try_from(i).ok()) {
            Some(amount) => amount,
            None => return bad(format!("`boto_truncate_amount` {n} is not a count")),
        },
        Some(other) => return bad(format!("`boto_truncate_amount` {other} is not a count")),
    };
    if let Some(unknown) = object.keys().find(|k| !input_tokens.contains(&k.as_str())) {
        return bad(format!(
            "it names `{unknown}`, which is not an input token of this operation ({})",
            input_tokens.join(", ")
        ));
    }
    let values = input_tokens
        .iter()
        .map(|name| object.get(*name).filter(|v| !v.is_null()).cloned())
        .collect();
    Ok(Starting {
        token: PageToken { values, blobs },
        skip,
    })
}

/// botocore's `_parse_starting_token_deprecated`: `a___b___3` is the tokens `a` and `b` and
/// 3 items to skip; a text that is not of that form is the (first) token itself.
fn decode_deprecated(token: &str, input_tokens: &[&str]) -> Result<Starting, String> {
    let mut parts: Vec<&str> = token.split("___").collect();
    let mut skip = 0;
    if parts.len() == input_tokens.len() + 1 {
        match parts
            .last()
            .and_then(|last| last.trim().parse::<usize>().ok())
        {
            Some(amount) => {
                skip = amount;
                parts.pop();
            }
            None => parts = vec![token],
        }
    }
    if parts.len() > input_tokens.len() {
        return Err(format!(
            "bad starting token: {} values for the {} input token(s) {}",
            parts.len(),
            input_tokens.len(),
            input_tokens.join(", ")
        ));
    }
    let mut values: Vec<Option<Json>> = parts
        .into_iter()
        .map(|part| (part != "None").then(|| Json::String(part.to_owned())))
        .collect();
    values.resize(input_tokens.len(), None);
    Ok(Starting {
        token: PageToken {
            values,
            blobs: Vec::new(),
        },
        skip,
    })
}

fn path_get<'a>(object: &'a Map<String, Json>, path: &[Step]) -> Option<&'a Json> {
    let (Step::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let mut value = object.get(first)?;
    for step in rest {
        value = match (step, value) {
            (Step::Key(k), Json::Object(o)) => o.get(k)?,
            (Step::Index(i), Json::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Python's `json.dumps` with its default separators and `ensure_ascii`.
fn dump(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(true) => out.push_str("true"),
        Json::Bool(false) => out.push_str("false"),
        Json::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => out.push_str(&python_float(f)),
            _ => {
                let _ = write!(out, "{n}");
            }
        },
        Json::String(s) => dump_str(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                dump(item, out);
            }
            out.push(']');
        }
        Json::Object(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                dump_str(key, out);
                out.push_str(": ");
                dump(item, out);
            }
            out.push('}');
        }
    }
}

/// A string as `json.dumps` writes it: non-ASCII as `\uXXXX` (surrogate pairs beyond the
/// BMP).
fn dump_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

/// A float as Python's `repr`: `1.0`, `1e+16`, `1e-05`.
fn python_float(f: f64) -> String {
    if !f.is_finite() {
        return if f.is_nan() {
            "NaN".into()
        } else if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let exponent = if f == 0.0 {
        0
    } else {
        f.abs().log10().floor() as i32
    };
    if (-4..16).contains(&exponent) {
        let text = format!("{f}");
        if text.contains('.') {
            text
        } else {
            format!("{text}.0")
        }
    } else {
        let text = format!("{f:e}");
        let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let (sign, digits) = match exp.strip_prefix('-') {
            Some(digits) => ('-', digits),
            None => ('+', exp),
        };
        format!("{mantissa}e{sign}{digits:0>2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page(values: Vec<Option<Json>>) -> PageToken {
        PageToken {
            values,
            blobs: Vec::new(),
        }
    }

    fn text_of(token: &str) -> String {
        String::from_utf8(STANDARD.decode(token).unwrap()).unwrap()
    }

    #[test]
    fn encodes_as_python_json_dumps() {
        // base64.b64encode(json.dumps({"NextToken": "abc", "boto_truncate_amount": 5}).encode())
        let token = encode(&["NextToken"], &page(vec![Some(json!("abc"))]), Some(5));
        assert_eq!(
            token,
            "eyJOZXh0VG9rZW4iOiAiYWJjIiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogNX0="
        );
        // json.dumps({"Marker": None, "boto_truncate_amount": 15})
        let token = encode(&["Marker"], &page(vec![None]), Some(15));
        assert_eq!(
            text_of(&token),
            r#"{"Marker": null, "boto_truncate_amount": 15}"#
        );
        // json.dumps({"a": "é\n\U0001F600", "b": [1, 2.5, 1e+16, {"c": True}]})
        let token = encode(
            &["a", "b"],
            &page(vec![
                Some(json!("é\n😀")),
                Some(json!([1, 2.5, 1e16, {"c": true}])),
            ]),
            None,
        );
        assert_eq!(
            text_of(&token),
            r#"{"a": "\u00e9\n\ud83d\ude00", "b": [1, 2.5, 1e+16, {"c": true}]}"#
        );
    }

    #[test]
    fn binary_values_are_listed_in_boto_encoded_keys() {
        let token = PageToken {
            values: vec![Some(json!({"id": {"B": "AAE="}}))],
            blobs: vec![vec![
                Step::Key("ExclusiveStartKey".into()),
                Step::Key("id".into()),
                Step::Key("B".into()),
            ]],
        };
        let text = encode(&["ExclusiveStartKey"], &token, Some(2));
        assert_eq!(
            text_of(&text),
            r#"{"ExclusiveStartKey": {"id": {"B": "AAE="}}, "boto_truncate_amount": 2, "boto_encoded_keys": [["ExclusiveStartKey", "id", "B"]]}"#
        );
        let back = decode(&text, &["ExclusiveStartKey"]).unwrap();
        assert_eq!(back.token, token);
        assert_eq!(back.skip, 2);
    }

    #[test]
    fn decodes_multiple_tokens_and_nulls() {
        let token = STANDARD.encode(
            r#"{"StartRecordName": "a.example.com.", "StartRecordType": "A", "StartRecordIdentifier": null}"#,
        );
        let starting = decode(
            &token,
            &[
                "StartRecordName",
                "StartRecordType",
                "StartRecordIdentifier",
            ],
        )
        .unwrap();
        assert_eq!(
            starting.token.values,
            vec![Some(json!("a.example.com.")), Some(json!("A")), None]
        );
        assert_eq!(starting.skip, 0);
    }

    #[test]
    fn a_bare_service_token_is_the_first_input_token() {
        let starting = decode("opaque-token-from-the-service", &["NextToken"]).unwrap();
        assert_eq!(
            starting.token.values,
            vec![Some(json!("opaque-token-from-the-service"))]
        );
        // Old botocore form: values then the amount to skip.
        let starting = decode("abc___None___7", &["A", "B"]).unwrap();
        assert_eq!(starting.token.values, vec![Some(json!("abc")), None]);
        assert_eq!(starting.skip, 7);
        // `___` without a count is part of the token.
        let starting = decode("abc___def", &["NextToken"]).unwrap();
        assert_eq!(starting.token.values, vec![Some(json!("abc___def"))]);
    }

    #[test]
    fn bad_tokens_are_errors_not_panics() {
        let unknown = STANDARD.encode(r#"{"Marker": "x"}"#);
        let err = decode(&unknown, &["NextToken"]).unwrap_err();
        assert!(err.contains("`Marker`"), "{err}");
        let negative = STANDARD.encode(r#"{"NextToken": "x", "boto_truncate_amount": -1}"#);
        assert!(decode(&negative, &["NextToken"]).is_err());
        let missing_blob = STANDARD.encode(r#"{"K": "x", "boto_encoded_keys": [["K", "y"]]}"#);
        assert!(decode(&missing_blob, &["K"]).is_err());
        assert!(decode("a___b___c", &["NextToken"]).is_err());
    }

    #[test]
    fn floats_read_as_python_repr() {
        for (f, text) in [
            (1.0, "1.0"),
            (0.5, "0.5"),
            (1e16, "1e+16"),
            (1e-5, "1e-05"),
            (123456.75, "123456.75"),
            (-2.0, "-2.0"),
        ] {
            assert_eq!(python_float(f), text);
        }
    }
}
