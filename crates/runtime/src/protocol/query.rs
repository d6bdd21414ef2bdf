//! The `query` (awsQuery) and `ec2` (ec2Query) protocols: form-encoded requests, XML
//! responses.
//!
//! # Requests
//!
//! `POST /` with `Content-Type: application/x-www-form-urlencoded; charset=utf-8` and the body
//! `Action=<operation>&Version=<apiVersion>` followed by the input's members in schema order,
//! flattened into dotted keys exactly as botocore writes them:
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
//! Maps are written in the order their [`MapValue::for_each`](crate::value::MapValue) visits
//! them (by key for generated maps).
//!
//! # Responses
//!
//! A query output is the `<{resultWrapper}>` child of the root element
//! (`<OpResponse><OpResult>..</OpResult><ResponseMetadata><RequestId>..`); an ec2 output is the
//! root element itself, with a `<requestId>` child. Both are read by
//! [`XmlDecoder`]. An empty body is an empty output.
//!
//! Errors are `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`
//! (query), `<Response><Errors><Error>..</Error></Errors><RequestID/></Response>` (ec2), or a
//! bare `<Error>`; each codec reads all three. A body that is empty or HTML (a proxy's or load
//! balancer's page) gives the HTTP status as the code (`503`) and its reason phrase as the
//! message, as botocore does.

use super::xml::{Element, XmlDecoder, XmlError, is_flattened, ref_name, wire_format};
use super::{
    Codec, ErrorResponse, HttpRequest, HttpResponse, ParseError, ResponseMetadata, SerializeError,
    header_request_id,
};
use crate::datetime::DateTime;
use crate::operation::Operation;
use crate::schema::{Member, Schema, ShapeFlags, ShapeType, TimestampFormat};
use crate::value::{ListValue, MapValue, StructValue, ValueRef};
use base64::Engine as _;
use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::fmt::Write as _;

/// The `Content-Type` of every query and ec2 request.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// What botocore leaves unencoded: ASCII letters, digits and `-._~`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Appends `text` form-encoded: percent-encoded but for [`UNRESERVED`], a space as `+`.
fn push_form_encoded(out: &mut String, text: &str) {
    // The encoder yields each encoded byte as its own `%XX` piece.
    for piece in utf8_percent_encode(text, UNRESERVED) {
        out.push_str(if piece == "%20" { "+" } else { piece });
    }
}

/// The codec of the `query` protocol.
pub static QUERY: QueryCodec = QueryCodec { ec2: false };

/// The codec of the `ec2` protocol.
pub static EC2: QueryCodec = QueryCodec { ec2: true };

/// The `query` or `ec2` codec ([`QUERY`], [`EC2`]).
#[derive(Debug)]
pub struct QueryCodec {
    ec2: bool,
}

impl Codec for QueryCodec {
    fn serialize(
        &self,
        op: &Operation,
        input: &dyn StructValue,
    ) -> Result<HttpRequest, SerializeError> {
        let error = |message: String| SerializeError {
            operation: op.name.to_string(),
            message,
        };
        let mut form = Form {
            ec2: self.ec2,
            out: String::with_capacity(256),
            key: String::with_capacity(64),
            scratch: String::new(),
        };
        form.out.push_str("Action=");
        form.out.extend(utf8_percent_encode(op.name, UNRESERVED));
        form.out.push_str("&Version=");
        form.out
            .extend(utf8_percent_encode(op.service.api_version, UNRESERVED));
        form.write_struct(input, input.schema()).map_err(error)?;
        let method = if op.http_method.is_empty() {
            "POST"
        } else {
            op.http_method
        };
        let body = form.out;
        http::Request::builder()
            .method(method)
            .uri("/")
            .header(http::header::CONTENT_TYPE, CONTENT_TYPE)
            .header(http::header::CONTENT_LENGTH, body.len())
            .body(Bytes::from(body))
            .map_err(|e| error(format!("cannot build the request: {e}")))
    }

    fn parse_output(
        &self,
        op: &Operation,
        response: &HttpResponse,
        output: &mut dyn StructValue,
    ) -> Result<ResponseMetadata, ParseError> {
        let mut request_id = None;
        self.read_output(op, response.body(), output, &mut request_id)
            .map_err(|e| parse_error(op, e))?;
        Ok(ResponseMetadata {
            request_id: request_id.or_else(|| header_request_id(response)),
        })
    }

    fn parse_error(
        &self,
        op: &Operation,
        response: &HttpResponse,
    ) -> Result<ErrorResponse, ParseError> {
        if is_generic(response.body()) {
            return Ok(generic_error(response));
        }
        let mut fields = ErrorFields::default();
        let mut decoder = XmlDecoder::new(response.body());
        let (found, outer_id) = find_error(&mut decoder, &mut |decoder, error| {
            fields.read(decoder, error)
        })
        .map_err(|e| parse_error(op, e))?;
        let code = match fields.code {
            Some(code) if found && !code.is_empty() => code,
            _ => {
                return Err(parse_error(
                    op,
                    XmlError("the error response has no <Error> with a <Code>".to_string()),
                ));
            }
        };
        Ok(ErrorResponse {
            code,
            message: fields.message,
            request_id: outer_id
                .or(fields.request_id)
                .or_else(|| header_request_id(response)),
        })
    }

    fn parse_error_members(
        &self,
        op: &Operation,
        response: &HttpResponse,
        exception: &mut dyn StructValue,
    ) -> Result<(), ParseError> {
        if is_generic(response.body()) {
            return Ok(());
        }
        let mut decoder = XmlDecoder::new(response.body());
        find_error(&mut decoder, &mut |decoder, error| {
            decoder.read_struct(&mut *exception, error, None)
        })
        .map(|_| ())
        .map_err(|e| parse_error(op, e))
    }
}

impl QueryCodec {
    fn read_output(
        &self,
        op: &Operation,
        body: &[u8],
        output: &mut dyn StructValue,
        request_id: &mut Option<String>,
    ) -> Result<(), XmlError> {
        let mut decoder = XmlDecoder::new(body);
        let Some(root) = decoder.root()? else {
            // An empty body: an output without members.
            return Ok(());
        };
        match op.result_wrapper {
            Some(wrapper) if !self.ec2 => {
                if root.is_empty() {
                    return Ok(());
                }
                while let Some(child) = decoder.next_child()? {
                    if child.local_name() == wrapper.as_bytes() {
                        decoder.read_struct(output, &child, None)?;
                    } else {
                        decoder.read_request_id(&child, request_id)?;
                    }
                }
                Ok(())
            }
            _ => decoder.read_struct(output, &root, Some(request_id)),
        }
    }
}

fn parse_error(op: &Operation, error: XmlError) -> ParseError {
    ParseError {
        operation: op.name.to_string(),
        message: error.0,
    }
}

/// Whether an error body carries nothing to parse: empty, or an HTML page.
fn is_generic(body: &[u8]) -> bool {
    let body = body.trim_ascii();
    let starts_with = |prefix: &[u8]| {
        body.len() >= prefix.len() && body[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    body.is_empty() || starts_with(b"<html") || starts_with(b"<!doctype html")
}

/// The error of a response without a protocol body: the status code and its reason phrase.
fn generic_error(response: &HttpResponse) -> ErrorResponse {
    let status = response.status();
    ErrorResponse {
        code: status.as_str().to_string(),
        message: status.canonical_reason().map(str::to_string),
        request_id: header_request_id(response),
    }
}

/// Code, message and request id of an `<Error>` element.
#[derive(Default)]
struct ErrorFields {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

impl ErrorFields {
    fn read<'a>(
        &mut self,
        decoder: &mut XmlDecoder<'a>,
        error: &Element<'a>,
    ) -> Result<(), XmlError> {
        if error.is_empty() {
            return Ok(());
        }
        while let Some(field) = decoder.next_child()? {
            let slot = match field.local_name() {
                b"Code" => &mut self.code,
                b"Message" | b"message" => &mut self.message,
                b"RequestId" => &mut self.request_id,
                _ => {
                    decoder.skip(&field)?;
                    continue;
                }
            };
            *slot = Some(decoder.text(&field)?.trim().to_string());
        }
        Ok(())
    }
}

type ErrorVisitor<'v, 'a> =
    dyn FnMut(&mut XmlDecoder<'a>, &Element<'a>) -> Result<(), XmlError> + 'v;

/// Finds the first `<Error>` of an error body (the root itself, a child of the root, or a child
/// of the root's `<Errors>`) and hands it to `visit`, which must read it through. Returns
/// whether there was one, and the request id beside it (`RequestId` or ec2's `RequestID`).
fn find_error<'a>(
    decoder: &mut XmlDecoder<'a>,
    visit: &mut ErrorVisitor<'_, 'a>,
) -> Result<(bool, Option<String>), XmlError> {
    let Some(root) = decoder.root()? else {
        return Ok((false, None));
    };
    if root.local_name() == b"Error" {
        visit(decoder, &root)?;
        return Ok((true, None));
    }
    let (mut found, mut request_id) = (false, None);
    if root.is_empty() {
        return Ok((found, request_id));
    }
    while let Some(child) = decoder.next_child()? {
        match child.local_name() {
            b"Error" if !found => {
                visit(decoder, &child)?;
                found = true;
            }
            b"Errors" if !found && !child.is_empty() => {
                while let Some(error) = decoder.next_child()? {
                    if error.local_name() == b"Error" && !found {
                        visit(decoder, &error)?;
                        found = true;
                    } else {
                        decoder.skip(&error)?;
                    }
                }
            }
            b"RequestId" | b"RequestID" => {
                request_id = Some(decoder.text(&child)?.trim().to_string());
            }
            _ => decoder.skip(&child)?,
        }
    }
    Ok((found, request_id))
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
            self.key.push_str(ref_name(member).unwrap_or(fallback));
            return;
        }
        if let Some(name) = member.query_name {
            self.key.push_str(name);
            return;
        }
        let (name, capitalize) = match ref_name(member) {
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
                let format = member
                    .timestamp_format
                    .or(target.timestamp_format)
                    .unwrap_or(TimestampFormat::Iso8601);
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
                && let Some(name) = ref_name(element)
            {
                // The element's name replaces the member's (the last segment of the key).
                let start = self.key.rfind('.').map_or(0, |dot| dot + 1);
                self.key.truncate(start);
                self.key.push_str(name);
            }
        } else {
            self.key.push('.');
            self.key.push_str(ref_name(element).unwrap_or("member"));
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

/// Writes `value` as Python's `repr` does (botocore sends `str(float)`): the shortest digits
/// that read back as the same number, in positional notation for exponents -5 < e < 16
/// (`10.8`, `10.0`, `0.0001`), else scientific (`1e+16`, `1.5e-05`). `single` takes the shortest
/// digits of the `f32` (a `float` shape), so `10.8f32` is `10.8`, not `10.800000190734863`.
fn write_float(out: &mut String, value: f64, single: bool) {
    if value.is_nan() {
        out.push_str("NaN");
        return;
    }
    if value.is_infinite() {
        out.push_str(if value > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    // `{:e}` gives the shortest round-trip digits: `-1.08e1`, `5e-324`, `0e0`.
    let scientific = if single {
        format!("{:e}", value as f32)
    } else {
        format!("{value:e}")
    };
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        digits.push('0');
    }
    if negative {
        out.push('-');
    }
    if (-5 < exponent) && (exponent < 16) {
        if exponent >= 0 {
            let whole = exponent as usize + 1;
            if digits.len() <= whole {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', whole - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..whole]);
                out.push('.');
                out.push_str(&digits[whole..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
    }
}

/// Writes a timestamp as botocore does: ISO 8601 with whole seconds, or six fraction digits
/// when there are microseconds; RFC 822 in whole seconds; epoch seconds as an integer.
fn write_timestamp(out: &mut String, t: DateTime, format: TimestampFormat) -> Result<(), String> {
    match format {
        TimestampFormat::UnixTimestamp => {
            let _ = write!(out, "{}", t.secs());
        }
        TimestampFormat::Rfc822 | TimestampFormat::Iso8601 => {
            DateTime::from_secs(t.secs())
                .try_fmt_into(wire_format(format), out)
                .map_err(|e| e.to_string())?;
            let micros = t.subsec_nanos() / 1_000;
            if format == TimestampFormat::Iso8601 && micros > 0 && out.ends_with('Z') {
                out.pop();
                let _ = write!(out, ".{micros:06}Z");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::ServiceInfo;
    use crate::schema::{MemberFlags, ShapeType};
    use crate::value::{Value, opt, opt_mut};

    static SERVICE: ServiceInfo = ServiceInfo::test("autoscaling", "Auto Scaling");

    // A hand-written "generated" shape: Count (i32), Name, Tags (list), When.
    static INT: Schema = Schema::scalar("Int", ShapeType::Integer);
    static STRING: Schema = Schema::string("String");
    static TIME: Schema = Schema::scalar("Time", ShapeType::Timestamp);
    static TAG_LIST_MEMBER: [Member; 1] = [Member::new("member", &STRING)];
    static TAG_LIST: Schema = Schema::list("TagList", &TAG_LIST_MEMBER);
    static THING_MEMBERS: [Member; 4] = [
        Member::new("Count", &INT),
        Member::new("Name", &STRING).location_name("name"),
        Member::new("Tags", &TAG_LIST).flag(MemberFlags::FLATTENED),
        Member::new("When", &TIME),
    ];
    static THING: Schema = Schema::structure("Thing", &THING_MEMBERS);
    static MESSAGE_MEMBERS: [Member; 1] = [Member::new("Message", &STRING)];
    static LIMIT_EXCEEDED: Schema = Schema::structure("LimitExceededFault", &MESSAGE_MEMBERS)
        .error(Some("LimitExceeded"), Some(400), true);
    static OP: Operation = Operation::new("DescribeThings", &SERVICE, "POST", "/", &THING, &THING)
        .result_wrapper("DescribeThingsResult");

    #[derive(Default, PartialEq)]
    struct Thing {
        count: Option<i32>,
        name: Option<String>,
        tags: Option<Vec<String>>,
        when: Option<DateTime>,
    }

    impl StructValue for Thing {
        fn schema(&self) -> &'static Schema {
            &THING
        }
        fn member(&self, index: usize) -> Option<&dyn Value> {
            match index {
                0 => opt(&self.count),
                1 => opt(&self.name),
                2 => opt(&self.tags),
                3 => opt(&self.when),
                _ => None,
            }
        }
        fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
            match index {
                0 => opt_mut(&mut self.count),
                1 => opt_mut(&mut self.name),
                2 => opt_mut(&mut self.tags),
                3 => opt_mut(&mut self.when),
                _ => None,
            }
        }
    }
    crate::impl_struct_value!(Thing);

    #[derive(Default)]
    struct LimitExceeded {
        message: Option<String>,
    }

    impl StructValue for LimitExceeded {
        fn schema(&self) -> &'static Schema {
            &LIMIT_EXCEEDED
        }
        fn member(&self, index: usize) -> Option<&dyn Value> {
            match index {
                0 => opt(&self.message),
                _ => None,
            }
        }
        fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
            match index {
                0 => opt_mut(&mut self.message),
                _ => None,
            }
        }
    }
    crate::impl_struct_value!(LimitExceeded);

    fn response(status: u16, body: &str) -> HttpResponse {
        http::Response::builder()
            .status(status)
            .header("x-amzn-RequestId", "header-id")
            .body(Bytes::from(body.to_string()))
            .unwrap()
    }

    fn body(request: &HttpRequest) -> &str {
        std::str::from_utf8(request.body()).unwrap()
    }

    #[test]
    fn serializes_a_generated_structure() {
        let thing = Thing {
            count: Some(3),
            name: Some("a b+c/d~é".into()),
            tags: Some(vec!["x".into(), "y".into()]),
            when: Some(DateTime::from_secs_and_nanos(1_422_172_800, 123_456_789)),
        };
        let request = QUERY.serialize(&OP, &thing).unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri(), "/");
        assert_eq!(request.headers()["content-type"], CONTENT_TYPE);
        assert_eq!(
            request.headers()["content-length"],
            body(&request).len().to_string()
        );
        assert_eq!(
            body(&request),
            "Action=DescribeThings&Version=2020-01-01&Count=3&name=a+b%2Bc%2Fd~%C3%A9\
             &Tags.1=x&Tags.2=y&When=2015-01-25T08%3A00%3A00.123456Z"
        );
        // ec2: names capitalised, lists `Name.N`, empty lists left out.
        let thing = Thing {
            name: Some("n".into()),
            tags: Some(Vec::new()),
            ..Thing::default()
        };
        assert_eq!(
            body(&EC2.serialize(&OP, &thing).unwrap()),
            "Action=DescribeThings&Version=2020-01-01&Name=n"
        );
        assert_eq!(
            body(&QUERY.serialize(&OP, &thing).unwrap()),
            "Action=DescribeThings&Version=2020-01-01&name=n&Tags="
        );
    }

    #[test]
    fn writes_floats_as_python_does() {
        let cases = [
            (10.8, false, "10.8"),
            (10.0, false, "10.0"),
            (-0.0, false, "-0.0"),
            (0.0001, false, "0.0001"),
            (0.00001, false, "1e-05"),
            (1e15, false, "1000000000000000.0"),
            (1e16, false, "1e+16"),
            (-1.5e300, false, "-1.5e+300"),
            (123456789.125, false, "123456789.125"),
            (f64::from(10.8f32), true, "10.8"),
            (f64::from(0.1f32), false, "0.10000000149011612"),
            (f64::NAN, false, "NaN"),
            (f64::NEG_INFINITY, true, "-Infinity"),
        ];
        for (value, single, expected) in cases {
            let mut out = String::new();
            write_float(&mut out, value, single);
            assert_eq!(out, expected, "{value}");
        }
    }

    #[test]
    fn writes_timestamps_as_botocore_does() {
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 120_000_500);
        let cases = [
            (TimestampFormat::Iso8601, "2019-12-16T23:48:18.120000Z"),
            (TimestampFormat::Rfc822, "Mon, 16 Dec 2019 23:48:18 GMT"),
            (TimestampFormat::UnixTimestamp, "1576540098"),
        ];
        for (format, expected) in cases {
            let mut out = String::new();
            write_timestamp(&mut out, t, format).unwrap();
            assert_eq!(out, expected);
        }
        let mut out = String::new();
        write_timestamp(
            &mut out,
            DateTime::from_secs(1_576_540_098),
            TimestampFormat::Iso8601,
        )
        .unwrap();
        assert_eq!(out, "2019-12-16T23:48:18Z");
        assert!(write_timestamp(&mut out, DateTime::MAX, TimestampFormat::Iso8601).is_err());
    }

    #[test]
    fn parses_output_and_request_id() {
        let xml = "<DescribeThingsResponse xmlns=\"https://autoscaling.amazonaws.com/doc/2011-01-01/\">\
            <DescribeThingsResult><Count>2</Count><name>x</name><Tags>a</Tags><Tags>b</Tags>\
            <When>2015-01-25T08:00:00.5Z</When></DescribeThingsResult>\
            <ResponseMetadata><RequestId>body-id</RequestId></ResponseMetadata>\
            </DescribeThingsResponse>";
        let mut thing = Thing::default();
        let meta = QUERY
            .parse_output(&OP, &response(200, xml), &mut thing)
            .unwrap();
        assert_eq!(meta.request_id.as_deref(), Some("body-id"));
        assert!(
            thing
                == Thing {
                    count: Some(2),
                    name: Some("x".into()),
                    tags: Some(vec!["a".into(), "b".into()]),
                    when: Some(DateTime::from_secs_and_nanos(1_422_172_800, 500_000_000)),
                }
        );
        // ec2: the members and <requestId> are children of the root.
        let xml = "<DescribeThingsResponse><requestId>ec2-id</requestId><Count>1</Count>\
                   </DescribeThingsResponse>";
        let mut thing = Thing::default();
        let meta = EC2
            .parse_output(&OP, &response(200, xml), &mut thing)
            .unwrap();
        assert_eq!(meta.request_id.as_deref(), Some("ec2-id"));
        assert_eq!(thing.count, Some(1));
        // An empty body is an empty output; the request id comes from the header.
        let mut thing = Thing::default();
        let meta = QUERY
            .parse_output(&OP, &response(200, ""), &mut thing)
            .unwrap();
        assert_eq!(meta.request_id.as_deref(), Some("header-id"));
        assert!(thing == Thing::default());
    }

    #[test]
    fn malformed_output_is_a_parse_error_naming_element_and_value() {
        let cases = [
            (
                "<R><DescribeThingsResult><Count>12x</Count></DescribeThingsResult></R>",
                "malformed DescribeThings response: \"12x\" in <Count> is not an integer",
            ),
            (
                "<R><DescribeThingsResult><Count>4294967296</Count></DescribeThingsResult></R>",
                "malformed DescribeThings response: \"4294967296\" in <Count>: cannot store \
                 4294967296 in a value of type i32",
            ),
            (
                "<R><DescribeThingsResult><Count>1</Count></R>",
                "malformed DescribeThings response: invalid XML at byte 41: ill-formed document: \
                 expected `</DescribeThingsResult>`, but `</R>` was found",
            ),
        ];
        for (xml, message) in cases {
            let err = QUERY
                .parse_output(&OP, &response(200, xml), &mut Thing::default())
                .unwrap_err();
            assert_eq!(err.to_string(), message);
        }
        let err = QUERY
            .parse_output(
                &OP,
                &response(
                    200,
                    "<R><DescribeThingsResult><When>soon</When></DescribeThingsResult></R>",
                ),
                &mut Thing::default(),
            )
            .unwrap_err();
        assert!(
            err.message
                .starts_with("<When>: invalid date-time timestamp \"soon\""),
            "{err}"
        );
    }

    #[test]
    fn reads_moto_query_errors() {
        // As moto sends them (autoscaling): 400 text/xml.
        let xml = "<ErrorResponse xmlns=\"https://autoscaling.amazonaws.com/doc/2011-01-01/\">\
            <Error><Type>Sender</Type><Code>ValidationError</Code>\
            <Message>Group web not found</Message></Error>\
            <RequestId>moto-id</RequestId></ErrorResponse>";
        let error = QUERY.parse_error(&OP, &response(400, xml)).unwrap();
        assert_eq!(
            error,
            ErrorResponse {
                code: "ValidationError".into(),
                message: Some("Group web not found".into()),
                request_id: Some("moto-id".into()),
            }
        );
        // A modeled exception's members come from the same <Error>.
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>LimitExceeded</Code>\
                   <Message>too many</Message></Error><RequestId>r</RequestId></ErrorResponse>";
        let mut exception = LimitExceeded::default();
        QUERY
            .parse_error_members(&OP, &response(400, xml), &mut exception)
            .unwrap();
        assert_eq!(exception.message.as_deref(), Some("too many"));
        // Without the ErrorResponse wrapper, and without a request id in the body.
        let xml = "<Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error>";
        let error = QUERY.parse_error(&OP, &response(400, xml)).unwrap();
        assert_eq!(error.code, "Throttling");
        assert_eq!(error.request_id.as_deref(), Some("header-id"));
    }

    #[test]
    fn reads_ec2_errors() {
        let xml = "<Response><Errors><Error><Code>InvalidInstanceID.Malformed</Code>\
                   <Message>Invalid id: \"i-1\"</Message></Error></Errors>\
                   <RequestID>ec2-id</RequestID></Response>";
        for codec in [&EC2, &QUERY] {
            let error = codec.parse_error(&OP, &response(400, xml)).unwrap();
            assert_eq!(
                error,
                ErrorResponse {
                    code: "InvalidInstanceID.Malformed".into(),
                    message: Some("Invalid id: \"i-1\"".into()),
                    request_id: Some("ec2-id".into()),
                }
            );
        }
        // moto's ec2 auth failure: 401.
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>\
                   <Code>AuthFailure</Code><Message>AWS was not able to validate the provided \
                   access credentials</Message></Error></Errors><RequestID>x</RequestID></Response>";
        assert_eq!(
            EC2.parse_error(&OP, &response(401, xml)).unwrap().code,
            "AuthFailure"
        );
    }

    #[test]
    fn bodiless_and_html_errors_use_the_status() {
        let error = QUERY.parse_error(&OP, &response(503, "")).unwrap();
        assert_eq!(
            error,
            ErrorResponse {
                code: "503".into(),
                message: Some("Service Unavailable".into()),
                request_id: Some("header-id".into()),
            }
        );
        let html = "\n<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<title>500 Internal Server Error</title>";
        let error = QUERY.parse_error(&OP, &response(500, html)).unwrap();
        assert_eq!(error.code, "500");
        let error = EC2
            .parse_error(&OP, &response(502, "<html><body>Bad gateway</body></html>"))
            .unwrap();
        assert_eq!(error.code, "502");
        assert_eq!(error.message.as_deref(), Some("Bad Gateway"));
    }

    #[test]
    fn malformed_errors_are_parse_errors() {
        for xml in [
            "<ErrorResponse><Error><Code>X</Error>",
            "<Other/>",
            "<Error><Message>m</Message></Error>",
            "not xml",
        ] {
            let err = QUERY.parse_error(&OP, &response(400, xml)).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("malformed DescribeThings response: "),
                "{err}"
            );
        }
    }

    /// A small deterministic generator (xorshift), so the fuzz cases are reproducible.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn random_and_mutated_bodies_never_panic() {
        let valid = "<DescribeThingsResponse><DescribeThingsResult><Count>2</Count><name>x&amp;y</name>\
            <Tags>a</Tags><When>2015-01-25T08:00:00Z</When></DescribeThingsResult>\
            <ResponseMetadata><RequestId>id</RequestId></ResponseMetadata></DescribeThingsResponse>";
        let alphabet = b"<>/=\"'&;!?[]-:aZ0 \n\xff\xc3";
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..20_000 {
            let bytes: Vec<u8> = if round % 2 == 0 {
                let len = (rng.next() % 64) as usize;
                (0..len)
                    .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                    .collect()
            } else {
                let mut bytes = valid.as_bytes().to_vec();
                for _ in 0..=(rng.next() % 4) {
                    let at = (rng.next() % bytes.len() as u64) as usize;
                    match rng.next() % 3 {
                        0 => bytes[at] = alphabet[(rng.next() % alphabet.len() as u64) as usize],
                        1 => {
                            bytes.remove(at);
                        }
                        _ => bytes
                            .insert(at, alphabet[(rng.next() % alphabet.len() as u64) as usize]),
                    }
                }
                bytes
            };
            let response = http::Response::builder()
                .status(400)
                .body(Bytes::from(bytes))
                .unwrap();
            for codec in [&QUERY, &EC2] {
                let _ = codec.parse_output(&OP, &response, &mut Thing::default());
                let _ = codec.parse_error(&OP, &response);
                let _ = codec.parse_error_members(&OP, &response, &mut LimitExceeded::default());
            }
        }
    }
}
