//! Schema-driven JSON encoding: any [`StructValue`] written as a JSON object through its
//! schema, compactly, members in model order and map entries in key order (so requests are
//! reproducible). Strings are written as UTF-8 with the escapes JSON requires; botocore's
//! `json.dumps` escapes every non-ASCII character as well, which means the same text.

use super::MAX_DEPTH;
use crate::document::Document;
use crate::protocol::text::{write_float, write_timestamp};
use crate::schema::{Location, Member, ShapeType, TimestampFormat};
use crate::value::{StructValue, ValueRef};
use base64::Engine as _;
use std::fmt::Write as _;

/// A JSON document being written.
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: String,
    depth: usize,
}

impl JsonWriter {
    pub fn new() -> Self {
        JsonWriter::default()
    }

    /// The JSON text written so far.
    pub fn finish(self) -> String {
        self.out
    }

    /// Writes `value` as an object. With `body_only`, members bound to another part of the
    /// request (URI, query string, headers) are left out, as the HTTP bindings send them.
    pub fn write_struct(&mut self, value: &dyn StructValue, body_only: bool) -> Result<(), String> {
        let schema = value.schema();
        self.enter(schema.name)?;
        self.out.push('{');
        let mut first = true;
        for (index, member) in schema.members().iter().enumerate() {
            if body_only && member.location != Location::Body {
                continue;
            }
            let Some(member_value) = value.member(index) else {
                continue;
            };
            let member_value = member_value.get();
            if matches!(member_value, ValueRef::Null) {
                continue;
            }
            if !first {
                self.out.push(',');
            }
            first = false;
            write_string(&mut self.out, member.wire_name());
            self.out.push(':');
            self.write_value(member, member_value)?;
        }
        if first && schema.shape_type == ShapeType::Union && !schema.members().is_empty() {
            return Err(format!(
                "{} is a union with no member set (an unknown variant cannot be sent)",
                schema.name
            ));
        }
        self.out.push('}');
        self.depth -= 1;
        Ok(())
    }

    /// Writes one value of `member`'s target.
    pub fn write_value(&mut self, member: &Member, value: ValueRef<'_>) -> Result<(), String> {
        let target = member.target;
        match value {
            ValueRef::Null => self.out.push_str("null"),
            ValueRef::Bool(b) => self.out.push_str(if b { "true" } else { "false" }),
            ValueRef::Integer(n) => {
                let _ = write!(self.out, "{n}");
            }
            ValueRef::Float(x) => {
                if x.is_finite() {
                    write_float(&mut self.out, x, target.shape_type == ShapeType::Float);
                } else {
                    // botocore's `_handle_float`: the JSON-less values as strings.
                    self.out.push('"');
                    write_float(&mut self.out, x, false);
                    self.out.push('"');
                }
            }
            ValueRef::String(s) => match target.shape_type {
                // A big number is held as its text and sent as a JSON number.
                ShapeType::BigInteger | ShapeType::BigDecimal if is_json_number(s) => {
                    self.out.push_str(s)
                }
                _ => write_string(&mut self.out, s),
            },
            ValueRef::Timestamp(t) => {
                let format = member.timestamp_format_or(TimestampFormat::UnixTimestamp);
                if format == TimestampFormat::UnixTimestamp {
                    write_timestamp(&mut self.out, t, format)?;
                } else {
                    let mut text = String::new();
                    write_timestamp(&mut text, t, format)?;
                    write_string(&mut self.out, &text);
                }
            }
            ValueRef::Blob(bytes) => self.write_base64(bytes),
            ValueRef::Stream(stream) => match stream.as_bytes() {
                Some(bytes) => self.write_base64(bytes),
                None => {
                    return Err(format!(
                        "{} is a stream, which cannot be sent inside a JSON document",
                        member.name
                    ));
                }
            },
            ValueRef::Document(document) => {
                // Checked without recursing, then written by `Document`'s own JSON `Display`.
                if self.depth + nesting(document) > MAX_DEPTH {
                    return Err(format!(
                        "{} is nested more than {MAX_DEPTH} levels deep, which no AWS service \
                         accepts",
                        member.name
                    ));
                }
                let _ = write!(self.out, "{document}");
            }
            ValueRef::Struct(value) => self.write_struct(value, false)?,
            ValueRef::List(list) => {
                let element = target
                    .list_member()
                    .ok_or_else(|| format!("list {} has no element", target.name))?;
                self.enter(target.name)?;
                self.out.push('[');
                for i in 0..list.len() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    match list.item(i) {
                        Some(item) => self.write_value(element, item.get())?,
                        None => self.out.push_str("null"),
                    }
                }
                self.out.push(']');
                self.depth -= 1;
            }
            ValueRef::Map(map) => {
                let (_, value_member) = target
                    .map_entry()
                    .ok_or_else(|| format!("map {} has no entry", target.name))?;
                self.enter(target.name)?;
                self.out.push('{');
                let mut first = true;
                let mut result = Ok(());
                map.for_each(&mut |key, value| {
                    if result.is_err() {
                        return;
                    }
                    if !first {
                        self.out.push(',');
                    }
                    first = false;
                    write_string(&mut self.out, key);
                    self.out.push(':');
                    result = self.write_value(value_member, value.get());
                });
                result?;
                self.out.push('}');
                self.depth -= 1;
            }
        }
        Ok(())
    }

    fn write_base64(&mut self, bytes: &[u8]) {
        self.out.push('"');
        base64::engine::general_purpose::STANDARD.encode_string(bytes, &mut self.out);
        self.out.push('"');
    }

    fn enter(&mut self, what: &str) -> Result<(), String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!(
                "{what} is nested more than {MAX_DEPTH} levels deep, which no AWS service \
                 accepts"
            ));
        }
        self.depth += 1;
        Ok(())
    }
}

/// How many levels of arrays and objects `document` nests, counted without recursion.
fn nesting(document: &Document) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(document, 1)];
    while let Some((document, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match document {
            Document::Array(items) => stack.extend(items.iter().map(|d| (d, depth + 1))),
            Document::Object(entries) => stack.extend(entries.values().map(|d| (d, depth + 1))),
            _ => {}
        }
    }
    deepest
}

/// Whether `text` is a JSON number (a big integer or decimal held as text).
fn is_json_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.as_bytes()[0].is_ascii_digit()
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

/// Writes `text` as a JSON string.
pub(crate) fn write_string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// The JSON text a `jsonvalue` member holds, compacted as botocore sends it
/// (`json.dumps(value, separators=(',', ':'))`); text that is not JSON is sent as it is.
pub(crate) fn compact_json_value(text: &str) -> String {
    match super::read_document(text.as_bytes()) {
        Ok(document) => document.to_string(),
        Err(_) => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_quotes_backslashes_and_control_characters() {
        let mut out = String::new();
        write_string(&mut out, "a\"b\\c\nd\u{1}é");
        assert_eq!(out, r#""a\"b\\c\nd\u0001é""#);
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, "a\"b\\c\nd\u{1}é");
    }

    #[test]
    fn json_values_are_compacted() {
        assert_eq!(compact_json_value("{ \"a\" : [1, 2] }"), r#"{"a":[1,2]}"#);
        assert_eq!(compact_json_value("not json"), "not json");
    }
}
