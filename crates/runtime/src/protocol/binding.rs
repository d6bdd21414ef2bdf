//! HTTP bindings: the parts of a request and response that the `rest-xml` and `rest-json`
//! protocols put outside the body, as botocore's `BaseRestSerializer` and `BaseRestParser`
//! place them. The body format is the codec's; everything here is shared.
//!
//! # Requests
//!
//! * **URI labels.** `{Name}` in the operation's `requestUri` is the `location: uri` member
//!   whose `locationName` is `Name`, percent-encoded but for `A-Z a-z 0-9 - . _ ~`; a greedy
//!   label `{Name+}` keeps its `/` too (an S3 key `a/b c` is `/a/b%20c`). A label must have a
//!   value, and a non-empty one: `DELETE /bucket/` is another operation than
//!   `DELETE /bucket/key`.
//! * **Query string.** A fixed query in the `requestUri` (`?uploads`, `?list-type=2`) comes
//!   first, then every `location: querystring` member in model order: `name=value`, a list as
//!   `name=a&name=b`, a map as one parameter per entry (its values may be lists). A parameter
//!   a member names explicitly wins over a map entry of the same name. Encoded as botocore's
//!   `percent_encode_sequence` (a space is `%20`).
//! * **Headers.** `location: header` members; `location: headers` maps are one header per
//!   entry, the member's `locationName` as the prefix (`x-amz-meta-`). An empty list sends
//!   no header.
//! * **Scalars as text.** Strings as they are; booleans `true`/`false`; floats as Python
//!   prints them; timestamps in ISO 8601 in URIs and query strings and as HTTP dates in
//!   headers unless the model says otherwise; `jsonvalue` strings as base64 of the JSON text
//!   the member holds, in headers (the member holds the JSON text). Header lists join their elements with `,`, quoting strings that hold a
//!   comma or a quote.
//! * **Host prefix.** `endpoint.hostPrefix` (`{AccountId}.`) with its `hostLabel` members
//!   filled in ([`host_prefix`]); the pipeline puts it before the endpoint's host.
//!
//! # Responses
//!
//! `location: header` members from their header (absent headers leave the member unset),
//! `location: headers` maps from every header with the prefix (the rest of the name is the
//! key), `location: statusCode` from the status. A header list is split at commas outside
//! quotes; HTTP dates, which hold a comma themselves, are split at every other one.

use super::text::{
    UNRESERVED, UNRESERVED_AND_SLASH, parse_float, parse_timestamp, push_percent_encoded,
    write_float, write_timestamp,
};
use crate::datetime::DateTime;
use crate::operation::Operation;
use crate::schema::{Location, Member, MemberFlags, Schema, ShapeType, TimestampFormat};
use crate::value::{Scalar, StructValue, Value, ValueRef};
use base64::Engine as _;
use bytes::Bytes;
use std::fmt::Write as _;

/// The method, URI (path and query, relative to the endpoint) and headers of a request, as
/// the HTTP bindings of `op` place `input`'s members. `request_uri` is the operation's
/// `requestUri` (after any customisation of the service).
pub(crate) fn request(
    op: &Operation,
    request_uri: &str,
    input: &dyn StructValue,
) -> Result<http::request::Builder, String> {
    let schema = input.schema();
    let (path_template, fixed_query) = match request_uri.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (request_uri, None),
    };
    let mut uri = String::with_capacity(request_uri.len() + 64);
    render_path(&mut uri, path_template, schema, input)?;
    // An empty path (S3's `/{Bucket}` once the bucket moved to the endpoint) is written `/`,
    // marked so that the endpoint's own path is kept as it is (see `endpoint::join`).
    let empty_path = uri.is_empty();
    if empty_path {
        uri.push('/');
    }
    let mut separator = '?';
    if let Some(query) = fixed_query.filter(|q| !q.is_empty()) {
        uri.push('?');
        uri.push_str(query);
        separator = '&';
    }
    write_query(&mut uri, &mut separator, schema, input)?;
    let method = if op.http_method.is_empty() {
        "POST"
    } else {
        op.http_method
    };
    let mut builder = http::Request::builder().method(method).uri(uri);
    if empty_path {
        builder = builder.extension(EmptyPath);
    }
    let headers = builder
        .headers_mut()
        .ok_or_else(|| format!("`{method}` is not an HTTP method"))?;
    write_headers(headers, schema, input)?;
    Ok(builder)
}

/// Marks a request whose rendered path was empty: its `/` stands for "the endpoint's path",
/// so `https://host/bucket` plus `?list-type=2` is `https://host/bucket?list-type=2`, as
/// botocore joins them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmptyPath;

fn render_path(
    out: &mut String,
    template: &str,
    schema: &Schema,
    input: &dyn StructValue,
) -> Result<(), String> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("the request URI `{template}` has an unclosed label"))?;
        let label = &after[..close];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        let index = schema
            .members()
            .iter()
            .position(|m| m.location == Location::Uri && m.wire_name() == name)
            .ok_or_else(|| format!("no member is bound to the URI label `{{{label}}}`"))?;
        let member = &schema.members()[index];
        let value = input.member(index).ok_or_else(|| {
            format!(
                "{} is required: it is part of the request path",
                member.name
            )
        })?;
        let mut text = String::new();
        scalar_text(&mut text, member, value.get(), TimestampFormat::Iso8601)
            .map_err(|e| format!("{}: {e}", member.name))?;
        if text.is_empty() {
            return Err(format!(
                "{} must not be empty: it is part of the request path",
                member.name
            ));
        }
        let keep = if greedy {
            UNRESERVED_AND_SLASH
        } else {
            UNRESERVED
        };
        push_percent_encoded(out, &text, keep);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(())
}

fn write_query(
    uri: &mut String,
    separator: &mut char,
    schema: &Schema,
    input: &dyn StructValue,
) -> Result<(), String> {
    let members = schema.members();
    let mut push = |uri: &mut String, key: &str, value: &str| {
        uri.push(*separator);
        *separator = '&';
        push_percent_encoded(uri, key, UNRESERVED);
        uri.push('=');
        push_percent_encoded(uri, value, UNRESERVED);
    };
    let mut text = String::new();
    for (index, member) in members.iter().enumerate() {
        if member.location != Location::QueryString {
            continue;
        }
        let Some(value) = input.member(index) else {
            continue;
        };
        let key = member.wire_name();
        match value.get() {
            ValueRef::Null => {}
            ValueRef::List(list) => {
                let element = member
                    .target
                    .list_member()
                    .ok_or_else(|| no_shape(member))?;
                for i in 0..list.len() {
                    let Some(item) = list.item(i) else { continue };
                    text.clear();
                    scalar_text(&mut text, element, item.get(), TimestampFormat::Iso8601)
                        .map_err(|e| format!("{}[{i}]: {e}", member.name))?;
                    push(uri, key, &text);
                }
            }
            ValueRef::Map(map) => {
                let (_, value_member) =
                    member.target.map_entry().ok_or_else(|| no_shape(member))?;
                let mut result = Ok(());
                map.for_each(&mut |name, value| {
                    // A parameter another member names explicitly wins.
                    let named = members.iter().enumerate().any(|(i, m)| {
                        m.location == Location::QueryString
                            && m.location_name == Some(name)
                            && input.member(i).is_some()
                    });
                    if named || result.is_err() {
                        return;
                    }
                    let mut write = |value: ValueRef<'_>, member: &Member| {
                        let mut text = String::new();
                        scalar_text(&mut text, member, value, TimestampFormat::Iso8601)?;
                        push(uri, name, &text);
                        Ok::<(), String>(())
                    };
                    result = match value.get() {
                        ValueRef::List(list) => value_member
                            .target
                            .list_member()
                            .ok_or_else(|| no_shape(value_member))
                            .and_then(|element| {
                                (0..list.len())
                                    .filter_map(|i| list.item(i))
                                    .try_for_each(|item| write(item.get(), element))
                            }),
                        ValueRef::Null => Ok(()),
                        scalar => write(scalar, value_member),
                    }
                    .map_err(|e| format!("{}[{name:?}]: {e}", member.name));
                });
                result?;
            }
            scalar => {
                text.clear();
                scalar_text(&mut text, member, scalar, TimestampFormat::Iso8601)
                    .map_err(|e| format!("{}: {e}", member.name))?;
                push(uri, key, &text);
            }
        }
    }
    Ok(())
}

fn write_headers(
    headers: &mut http::HeaderMap,
    schema: &Schema,
    input: &dyn StructValue,
) -> Result<(), String> {
    for (index, member) in schema.members().iter().enumerate() {
        let Some(value) = input.member(index) else {
            continue;
        };
        match member.location {
            Location::Header => {
                let mut text = String::new();
                match value.get() {
                    ValueRef::Null => continue,
                    ValueRef::List(list) if list.is_empty() => continue,
                    ValueRef::List(list) => {
                        let element = member
                            .target
                            .list_member()
                            .ok_or_else(|| no_shape(member))?;
                        let mut first = true;
                        for i in 0..list.len() {
                            let Some(item) = list.item(i) else { continue };
                            if !first {
                                text.push(',');
                            }
                            first = false;
                            let mut item_text = String::new();
                            scalar_text(
                                &mut item_text,
                                element,
                                item.get(),
                                TimestampFormat::Rfc822,
                            )
                            .map_err(|e| format!("{}[{i}]: {e}", member.name))?;
                            if matches!(item.get(), ValueRef::String(_))
                                && item_text.contains([',', '"'])
                            {
                                text.push('"');
                                text.push_str(&item_text.replace('"', "\\\""));
                                text.push('"');
                            } else {
                                text.push_str(&item_text);
                            }
                        }
                    }
                    scalar => scalar_text(&mut text, member, scalar, TimestampFormat::Rfc822)
                        .map_err(|e| format!("{}: {e}", member.name))?,
                }
                insert_header(headers, member.wire_name(), &text, member)?;
            }
            Location::Headers => {
                let ValueRef::Map(map) = value.get() else {
                    return Err(format!("{} is not a map of headers", member.name));
                };
                let prefix = member.wire_name();
                let mut result = Ok(());
                map.for_each(&mut |key, value| {
                    if result.is_err() {
                        return;
                    }
                    if let ValueRef::String(text) = value.get() {
                        result = insert_header(headers, &format!("{prefix}{key}"), text, member);
                    }
                });
                result?;
            }
            _ => {}
        }
    }
    Ok(())
}

fn insert_header(
    headers: &mut http::HeaderMap,
    name: &str,
    value: &str,
    member: &Member,
) -> Result<(), String> {
    let header_name = http::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("{}: `{name}` is not a valid header name", member.name))?;
    let header_value = http::HeaderValue::from_str(value).map_err(|_| {
        format!(
            "{}: the value of header `{name}` must be printable ASCII, got {}",
            member.name,
            super::text::quote(value)
        )
    })?;
    headers.append(header_name, header_value);
    Ok(())
}

fn no_shape(member: &Member) -> String {
    format!("shape {} lacks its member shapes", member.target.name)
}

/// The text of a scalar bound outside the body. `default_format` is the timestamp format
/// of the location (ISO 8601 in URIs and query strings, HTTP dates in headers).
fn scalar_text(
    out: &mut String,
    member: &Member,
    value: ValueRef<'_>,
    default_format: TimestampFormat,
) -> Result<(), String> {
    let target = member.target;
    match value {
        ValueRef::String(s) if member.has(MemberFlags::JSON_VALUE) => {
            // The member holds JSON text; botocore sends it compacted, base64-encoded.
            let compact = super::json::writer::compact_json_value(s);
            base64::engine::general_purpose::STANDARD.encode_string(compact, out);
        }
        ValueRef::String(s) => out.push_str(s),
        ValueRef::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        ValueRef::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        ValueRef::Float(f) => write_float(out, f, target.shape_type == ShapeType::Float),
        ValueRef::Timestamp(t) => {
            let format = member.timestamp_format_or(default_format);
            write_timestamp(out, t, format)?;
        }
        ValueRef::Blob(b) => base64::engine::general_purpose::STANDARD.encode_string(b, out),
        ValueRef::Null => {}
        ValueRef::Stream(_)
        | ValueRef::Document(_)
        | ValueRef::Struct(_)
        | ValueRef::List(_)
        | ValueRef::Map(_) => {
            return Err(format!(
                "a value of shape {} cannot be sent outside the body",
                target.name
            ));
        }
    }
    Ok(())
}

/// A host prefix template (`endpoint.hostPrefix`, e.g. `{AccountId}.`) with `op`'s
/// `hostLabel` members filled in from `input`, or `None` without a template. A label must
/// be a valid part of a host name (letters, digits, `-` and `.`, as botocore checks it).
pub fn host_prefix(
    op: &Operation,
    template: Option<&str>,
    input: &dyn StructValue,
) -> Result<Option<String>, String> {
    let Some(template) = template else {
        return Ok(None);
    };
    let mut prefix = template.to_string();
    for (i, member) in op.input.members().iter().enumerate() {
        if !member.has(MemberFlags::HOST_LABEL) {
            continue;
        }
        let placeholder = format!("{{{}}}", member.name);
        if !prefix.contains(&placeholder) {
            continue;
        }
        let value = match input.member(i).map(|v| v.get()) {
            Some(ValueRef::String(s)) => s.to_string(),
            _ => {
                return Err(format!(
                    "{} is required: it is part of the endpoint's host name",
                    member.name
                ));
            }
        };
        // botocore's `HOST_PREFIX_RE`: `^[A-Za-z0-9\.\-]+$`.
        let valid = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if !valid {
            return Err(format!(
                "{} `{value}` is not a valid host label: it may hold only letters, digits, \
                 hyphens and periods",
                member.name
            ));
        }
        prefix = prefix.replace(&placeholder, &value);
    }
    Ok(Some(prefix))
}

/// The payload member of `schema` (`payload`), by index.
pub(crate) fn payload_member(schema: &Schema) -> Option<(usize, &'static Member)> {
    let index = usize::from(schema.payload?);
    schema.members().get(index).map(|member| (index, member))
}

/// Whether a payload member is carried as the raw body (a blob or string, streaming or not)
/// rather than in the protocol's format.
pub(crate) fn is_raw_payload(member: &Member) -> bool {
    matches!(
        member.target.shape_type,
        ShapeType::Blob | ShapeType::String | ShapeType::Enum
    )
}

/// Whether a member is a streaming blob (`streaming` on the member or its target).
pub(crate) fn is_streaming(member: &Member) -> bool {
    member.target.shape_type == ShapeType::Blob
        && (member.has(MemberFlags::STREAMING)
            || member.target.has(crate::schema::ShapeFlags::STREAMING))
}

/// The index of `schema`'s streaming payload member, if it has one.
pub fn streaming_payload(schema: &Schema) -> Option<usize> {
    payload_member(schema)
        .filter(|(_, member)| is_streaming(member))
        .map(|(index, _)| index)
}

/// Reads the members of `output` bound to headers and the status code from `response`.
pub(crate) fn parse_response(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    output: &mut dyn StructValue,
) -> Result<(), String> {
    let schema = output.schema();
    for (index, member) in schema.members().iter().enumerate() {
        match member.location {
            Location::StatusCode => {
                let slot = slot(output, index)?;
                slot.set(Scalar::Integer(i64::from(status.as_u16())))
                    .map_err(|e| format!("{}: {e}", member.name))?;
            }
            Location::Header => {
                let name = member.wire_name();
                let mut values = headers.get_all(name).iter().peekable();
                if values.peek().is_none() {
                    continue;
                }
                let mut text = String::new();
                for (i, value) in values.enumerate() {
                    if i > 0 {
                        text.push_str(", ");
                    }
                    text.push_str(&header_text(name, value)?);
                }
                read_header(output, index, member, &text)?;
            }
            Location::Headers => {
                // The map is set even when no header has the prefix, as botocore does. Without
                // a `locationName` the prefix is empty: every header is an entry.
                let prefix = member.serialized_name().unwrap_or("").to_ascii_lowercase();
                let map = slot(output, index)?
                    .as_map_mut()
                    .ok_or_else(|| format!("{} is not a map of headers", member.name))?;
                for (name, value) in headers {
                    let Some(key) = name.as_str().strip_prefix(&prefix) else {
                        continue;
                    };
                    let text = header_text(name.as_str(), value)?;
                    map.entry_default(key)
                        .set(Scalar::String(text))
                        .map_err(|e| format!("header {name}: {e}"))?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn slot(output: &mut dyn StructValue, index: usize) -> Result<&mut dyn Value, String> {
    let name = output.schema().name;
    output
        .member_mut(index)
        .ok_or_else(|| format!("{name} has no member #{index}"))
}

/// A header's value as text. Bytes outside ASCII are read as Latin-1, as HTTP/1.1 defines
/// them (and Python's `http.client` reads them).
fn header_text(name: &str, value: &http::HeaderValue) -> Result<String, String> {
    match value.to_str() {
        Ok(text) => Ok(text.to_string()),
        Err(_) => {
            let bytes = value.as_bytes();
            if bytes.iter().any(|&b| b < 0x20 && b != b'\t') {
                return Err(format!("header {name} holds control characters"));
            }
            Ok(bytes.iter().map(|&b| char::from(b)).collect())
        }
    }
}

fn read_header(
    output: &mut dyn StructValue,
    index: usize,
    member: &Member,
    text: &str,
) -> Result<(), String> {
    let header = member.wire_name();
    let target = member.target;
    if target.shape_type == ShapeType::List {
        let element = target.list_member().ok_or_else(|| no_shape(member))?;
        let http_dates = element.target.shape_type == ShapeType::Timestamp
            && element
                .timestamp_format
                .or(element.target.timestamp_format)
                .is_none_or(|f| f == TimestampFormat::Rfc822);
        let items = split_header_list(text, http_dates);
        let list = slot(output, index)?
            .as_list_mut()
            .ok_or_else(|| format!("{} is not a list", member.name))?;
        for item in items {
            if let Some(scalar) = header_scalar(&item, element, header)? {
                list.push_default()
                    .set(scalar)
                    .map_err(|e| format!("header {header}: {e}"))?;
            }
        }
        return Ok(());
    }
    if let Some(scalar) = header_scalar(text, member, header)? {
        slot(output, index)?
            .set(scalar)
            .map_err(|e| format!("header {header}: {e}"))?;
    }
    Ok(())
}

/// The scalar a header's text stands for as a value of `member`'s target.
fn header_scalar(text: &str, member: &Member, header: &str) -> Result<Option<Scalar>, String> {
    let target = member.target;
    let invalid = |what: &str| {
        format!(
            "header {header}: {} is not {what}",
            super::text::quote(text)
        )
    };
    let trimmed = text.trim();
    Ok(Some(match target.shape_type {
        ShapeType::String | ShapeType::Enum if member.has(MemberFlags::JSON_VALUE) => {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(trimmed)
                .map_err(|_| invalid("base64"))?;
            Scalar::String(String::from_utf8(decoded).map_err(|_| invalid("base64 of UTF-8"))?)
        }
        ShapeType::String | ShapeType::Enum | ShapeType::BigInteger | ShapeType::BigDecimal => {
            Scalar::String(text.to_string())
        }
        ShapeType::Boolean => match trimmed.to_ascii_lowercase().as_str() {
            "true" => Scalar::Bool(true),
            "false" => Scalar::Bool(false),
            _ => return Err(invalid("a boolean (true or false)")),
        },
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long => {
            Scalar::Integer(trimmed.parse().map_err(|_| invalid("an integer"))?)
        }
        ShapeType::Float | ShapeType::Double => {
            Scalar::Float(parse_float(trimmed).ok_or_else(|| invalid("a number"))?)
        }
        ShapeType::Timestamp => {
            let declared = member.timestamp_format_or(TimestampFormat::Rfc822);
            let t: DateTime =
                parse_timestamp(trimmed, declared).map_err(|e| format!("header {header}: {e}"))?;
            Scalar::Timestamp(t)
        }
        ShapeType::Blob => Scalar::Blob(Bytes::from(
            base64::engine::general_purpose::STANDARD
                .decode(trimmed)
                .map_err(|_| invalid("base64"))?,
        )),
        ShapeType::Document
        | ShapeType::Structure
        | ShapeType::Union
        | ShapeType::List
        | ShapeType::Map => return Ok(None),
    }))
}

/// Splits a header list (RFC 9110 §5.6.1): at commas outside double quotes, each element
/// trimmed and unquoted (`\"` inside quotes is a quote). HTTP dates hold a comma of their own
/// (`Mon, 16 Dec 2019 23:48:18 GMT`), so with `http_dates` every other comma splits.
pub(crate) fn split_header_list(text: &str, http_dates: bool) -> Vec<String> {
    if http_dates {
        let pieces: Vec<&str> = text.split(',').collect();
        return pieces
            .chunks(2)
            .map(|pair| pair.join(",").trim().to_string())
            .filter(|item| !item.is_empty())
            .collect();
    }
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => quoted = false,
            '"' if current.trim().is_empty() => {
                current.clear();
                quoted = true;
                was_quoted = true;
            }
            '\\' if quoted => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ',' if !quoted => {
                items.push(finish_item(&mut current, was_quoted));
                was_quoted = false;
            }
            c => current.push(c),
        }
    }
    let last = finish_item(&mut current, was_quoted);
    if !last.is_empty() || !items.is_empty() {
        items.push(last);
    }
    items
}

fn finish_item(current: &mut String, was_quoted: bool) -> String {
    let item = if was_quoted {
        current.trim_end().to_string()
    } else {
        current.trim().to_string()
    };
    current.clear();
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_header_lists_outside_quotes() {
        assert_eq!(split_header_list("a, b,c", false), ["a", "b", "c"]);
        assert_eq!(
            split_header_list(r#""b,c", "\"def\"", a"#, false),
            ["b,c", "\"def\"", "a"]
        );
        assert_eq!(split_header_list("", false), Vec::<String>::new());
        assert_eq!(
            split_header_list(
                "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT",
                true
            ),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Mon, 16 Dec 2019 23:48:18 GMT"
            ]
        );
    }
}
