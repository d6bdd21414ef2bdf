//! Form encoding (`application/x-www-form-urlencoded`), the request format of the `query` and
//! `ec2` protocols: the input's members in schema order, flattened into dotted keys exactly as
//! botocore writes them.
//!
//! | value | query | ec2 |
//! |---|---|---|
//! | member name | `locationName`, else the member name | `queryName`, else `locationName` with its first letter upper-cased, else the member name upper-cased likewise |
//! | structure | `Outer.Inner=v` | the same |
//! | list | `Name.member.1=v` (`member` renamed by the element's `locationName`); flattened: `Name.1=v`; empty: `Name=` | always `Name.1=v`; an empty list is left out |
//! | map | `Name.entry.1.key=k&Name.entry.1.value=v` (`key`/`value` renamed by `locationName`); flattened: `Name.1.key=k` | the same |
//! | boolean | `true` / `false` | the same |
//! | timestamp | ISO 8601 (`2015-01-25T08:00:00Z`, `.123000Z` with microseconds), or per `timestampFormat` | the same |
//! | blob | base64 | the same |
//! | float, double | Python's `repr` (`10.8`, `1e+16`), `NaN`, `Infinity`, `-Infinity` | the same |
//!
//! A flattened list whose *shape* is flattened takes its element's `locationName` in place of
//! the member name when the member has no `locationName` of its own (botocore's older models),
//! see [`crate::protocol::xml`]. Keys and values are form-encoded as botocore sends them
//! (Python's `urlencode`): everything but ASCII letters, digits and `-._~` is percent-encoded,
//! and a space is `+`. (botocore's protocol-test runner writes spaces as `%20`; services and
//! moto's signature verifier, which rebuilds the body with `urlencode`, read `+`.)
//! Maps are written in the order their [`MapValue::for_each`] visits them (by key for
//! generated maps).

use super::text::{UNRESERVED, write_float, write_timestamp};
use super::xml::is_flattened;
use crate::schema::{Member, Schema, ShapeFlags, ShapeType, TimestampFormat};
use crate::value::{ListValue, MapValue, StructValue, ValueRef};
use base64::Engine as _;
use percent_encoding::utf8_percent_encode;
use std::fmt::Write as _;

/// Appends `text` form-encoded: percent-encoded but for [`UNRESERVED`], a space as `+`.
pub(crate) fn push_form_encoded(out: &mut String, text: &str) {
    // The encoder yields each encoded byte as its own `%XX` piece.
    for piece in utf8_percent_encode(text, UNRESERVED) {
        out.push_str(if piece == "%20" { "+" } else { piece });
    }
}

/// Appends the members of `input` to `out` (which already holds `Action=..&Version=..`), as
/// the `ec2` protocol names them when `ec2` is set, else as `query` does.
pub(crate) fn write_members(
    out: &mut String,
    ec2: bool,
    input: &dyn StructValue,
) -> Result<(), String> {
    let mut form = Form {
        ec2,
        out: std::mem::take(out),
        key: String::with_capacity(64),
        scratch: String::new(),
    };
    let result = form.write_struct(input, input.schema());
    *out = form.out;
    result
}

/// The form body being written, and the key of the value being written.
struct Form {
    ec2: bool,
    out: String,
    /// The dotted key of the current value, e.g. `Filters.member.2.Name`.
    key: String,
    /// Room to format a scalar before encoding it.
    scratch: String,
}

impl Form {
    fn write_struct(&mut self, value: &dyn StructValue, schema: &Schema) -> Result<(), String> {
        for (index, member) in schema.members().iter().enumerate() {
            let Some(field) = value.member(index) else {
                continue;
            };
            let len = self.key.len();
            if len > 0 {
                self.key.push('.');
            }
            self.push_name(member, member.name, true);
            self.write_value(field.get(), member)?;
            self.key.truncate(len);
        }
        Ok(())
    }

    /// Appends a member's name: see the table in the module documentation. `fallback` is the
    /// name when the model gives none; ec2 capitalises it only for structure members.
    fn push_name(&mut self, member: &Member, fallback: &str, capitalize_fallback: bool) {
        if !self.ec2 {
            self.key
                .push_str(member.serialized_name().unwrap_or(fallback));
            return;
        }
        if let Some(name) = member.query_name {
            self.key.push_str(name);
            return;
        }
        let (name, capitalize) = match member.serialized_name() {
            Some(name) => (name, true),
            None => (fallback, capitalize_fallback),
        };
        let mut chars = name.chars();
        if let (true, Some(first)) = (capitalize, chars.next()) {
            self.key.extend(first.to_uppercase());
            self.key.push_str(chars.as_str());
        } else {
            self.key.push_str(name);
        }
    }

    /// Writes `key=value`, both form-encoded.
    fn field(out: &mut String, key: &str, value: &str) {
        out.push('&');
        push_form_encoded(out, key);
        out.push('=');
        push_form_encoded(out, value);
    }

    fn write_value(&mut self, value: ValueRef<'_>, member: &Member) -> Result<(), String> {
        let target = member.target;
        self.scratch.clear();
        match value {
            ValueRef::Null => return Ok(()),
            ValueRef::Struct(s) => return self.write_struct(s, s.schema()),
            ValueRef::List(list) => return self.write_list(list, member),
            ValueRef::Map(map) => return self.write_map(map, member),
            ValueRef::Bool(b) => {
                Self::field(&mut self.out, &self.key, if b { "true" } else { "false" });
                return Ok(());
            }
            ValueRef::String(s) => {
                Self::field(&mut self.out, &self.key, s);
                return Ok(());
            }
            ValueRef::Integer(i) => {
                let _ = write!(self.scratch, "{i}");
            }
            ValueRef::Float(f) => {
                write_float(&mut self.scratch, f, target.shape_type == ShapeType::Float);
            }
            ValueRef::Timestamp(t) => {
                let format = member.timestamp_format_or(TimestampFormat::Iso8601);
                write_timestamp(&mut self.scratch, t, format)
                    .map_err(|e| format!("{}: {e}", self.key))?;
            }
            ValueRef::Blob(b) => {
                base64::engine::general_purpose::STANDARD.encode_string(b, &mut self.scratch);
            }
            ValueRef::Stream(stream) => match stream.as_bytes() {
                Some(b) => {
                    base64::engine::general_purpose::STANDARD.encode_string(b, &mut self.scratch);
                }
                None => {
                    return Err(format!(
                        "{}: a streaming body cannot be sent in a form-encoded request",
                        self.key
                    ));
                }
            },
            ValueRef::Document(_) => {
                return Err(format!(
                    "{}: documents cannot be sent in a form-encoded request",
                    self.key
                ));
            }
        }
        Self::field(&mut self.out, &self.key, &self.scratch);
        Ok(())
    }

    fn write_list(&mut self, list: &dyn ListValue, member: &Member) -> Result<(), String> {
        let target = member.target;
        let element = target
            .list_member()
            .ok_or_else(|| format!("{}: list {} has no member shape", self.key, target.name))?;
        if list.is_empty() {
            // The query protocol says "empty list" with an empty value; ec2 leaves it out.
            if !self.ec2 {
                Self::field(&mut self.out, &self.key, "");
            }
            return Ok(());
        }
        if self.ec2 {
            // Always `Name.N`, whatever the list's names.
        } else if is_flattened(member) {
            if target.has(ShapeFlags::FLATTENED)
                && member.location_name.is_none()
                && let Some(name) = element.serialized_name()
            {
                // The element's name replaces the member's (the last segment of the key).
                let start = self.key.rfind('.').map_or(0, |dot| dot + 1);
                self.key.truncate(start);
                self.key.push_str(name);
            }
        } else {
            self.key.push('.');
            self.key
                .push_str(element.serialized_name().unwrap_or("member"));
        }
        let base = self.key.len();
        for index in 0..list.len() {
            let _ = write!(self.key, ".{}", index + 1);
            if let Some(item) = list.item(index) {
                self.write_value(item.get(), element)?;
            }
            self.key.truncate(base);
        }
        Ok(())
    }

    fn write_map(&mut self, map: &dyn MapValue, member: &Member) -> Result<(), String> {
        let target = member.target;
        let (key_member, value_member) = target
            .map_entry()
            .ok_or_else(|| format!("{}: map {} lacks key or value", self.key, target.name))?;
        if map.is_empty() {
            return Ok(());
        }
        if !is_flattened(member) {
            self.key.push_str(".entry");
        }
        let base = self.key.len();
        let mut index = 0;
        let mut result = Ok(());
        map.for_each(&mut |key, value| {
            if result.is_err() {
                return;
            }
            index += 1;
            self.key.truncate(base);
            let _ = write!(self.key, ".{index}.");
            self.push_name(key_member, "key", false);
            Self::field(&mut self.out, &self.key, key);
            self.key.truncate(base);
            let _ = write!(self.key, ".{index}.");
            self.push_name(value_member, "value", false);
            result = self.write_value(value.get(), value_member);
        });
        self.key.truncate(base);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encodes_as_python_urlencode() {
        let mut out = String::new();
        push_form_encoded(&mut out, "a b+c/d~é-_.");
        assert_eq!(out, "a+b%2Bc%2Fd~%C3%A9-_.");
    }
}
