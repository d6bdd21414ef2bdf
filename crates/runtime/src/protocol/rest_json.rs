//! The `rest-json` protocol (Lambda, API Gateway, most services since 2015): the
//! [HTTP bindings](super::binding) with a [JSON](super::json) body, as botocore's
//! `RestJSONSerializer` and `RestJSONParser`.
//!
//! # Requests
//!
//! The method, URI, query string and headers come from the bindings. The body is:
//!
//! * the payload member, when the input has one: a blob or string as the raw body (a
//!   streaming blob is attached by the pipeline), a structure, union or document as JSON;
//!   an unset structure payload is `{}`, an unset blob or string no body;
//! * otherwise the members without a location as a JSON object; `{}` when none is set but the
//!   input has such members; no body when it has none.
//!
//! A JSON body gets `Content-Type: application/json` unless a member binds the header.
//!
//! # Responses
//!
//! Members bound to headers and the status code come from the bindings; the payload member
//! from the whole body (JSON for a structure, union or document, the raw bytes or text
//! otherwise), or the other members from the body's object. An error's code is the
//! `X-Amzn-ErrorType` header, else the body's `code` or `__type`, with its namespace and
//! suffix removed.

use super::binding::{self, is_raw_payload, payload_member};
use super::json::{JsonWriter, read_struct, read_value};
use super::{
    Codec, ErrorResponse, HttpRequest, HttpResponse, ParseError, ResponseMetadata, SerializeError,
    header_request_id,
};
use crate::operation::Operation;
use crate::schema::{Location, ShapeType};
use crate::value::{Scalar, StructValue, ValueRef};
use bytes::Bytes;

/// The codec of the `rest-json` protocol.
pub static REST_JSON: RestJsonCodec = RestJsonCodec;

/// The `rest-json` codec ([`REST_JSON`]).
#[derive(Debug)]
pub struct RestJsonCodec;

/// The body keys that may name an error's code, in order: botocore reads `__type` first and
/// lets `code` override it.
const ERROR_CODE_KEYS: [&str; 3] = ["code", "Code", "__type"];

impl Codec for RestJsonCodec {
    fn serialize(
        &self,
        op: &Operation,
        input: &dyn StructValue,
    ) -> Result<HttpRequest, SerializeError> {
        let error = |message: String| SerializeError::new(op, message);
        let mut builder =
            binding::request(op, crate::customize::request_uri(op), input).map_err(error)?;
        let (body, json) = body(input).map_err(error)?;
        if !body.is_empty() {
            let headers = builder
                .headers_mut()
                .ok_or_else(|| error("cannot build the request".to_string()))?;
            if json && !headers.contains_key(http::header::CONTENT_TYPE) {
                headers.insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("application/json"),
                );
            }
            headers.insert(http::header::CONTENT_LENGTH, body.len().into());
        }
        super::finish_request(op, builder, body)
    }

    fn parse_output(
        &self,
        op: &Operation,
        response: &HttpResponse,
        output: &mut dyn StructValue,
    ) -> Result<ResponseMetadata, ParseError> {
        let fail = |message: String| ParseError::new(op, response.body(), message);
        if !payload_member(op.output).is_some_and(|(_, member)| is_raw_payload(member)) {
            super::refuse_html(response).map_err(fail)?;
        }
        binding::parse_response(response.status(), response.headers(), output).map_err(fail)?;
        read_body(response.body(), output).map_err(fail)?;
        Ok(ResponseMetadata {
            request_id: header_request_id(response),
        })
    }

    fn parse_error(
        &self,
        _op: &Operation,
        response: &HttpResponse,
    ) -> Result<ErrorResponse, ParseError> {
        Ok(super::json::error::parse_error(response, &ERROR_CODE_KEYS))
    }

    fn parse_error_members(
        &self,
        op: &Operation,
        response: &HttpResponse,
        exception: &mut dyn StructValue,
    ) -> Result<(), ParseError> {
        let fail = |message: String| ParseError::new(op, response.body(), message);
        binding::parse_response(response.status(), response.headers(), exception).map_err(fail)?;
        if super::is_generic_error_body(response.body()) {
            return Ok(());
        }
        read_body(response.body(), exception).map_err(fail)
    }
}

/// The request body of `input`, and whether it is JSON.
fn body(input: &dyn StructValue) -> Result<(Bytes, bool), String> {
    let schema = input.schema();
    if let Some((index, member)) = payload_member(schema) {
        let value = input.member(index).map(|v| v.get());
        return match value {
            Some(ValueRef::Blob(b)) => Ok((Bytes::copy_from_slice(b), false)),
            Some(ValueRef::String(s)) => Ok((Bytes::copy_from_slice(s.as_bytes()), false)),
            // A body in memory is written like a blob (without copying it); a stream is the
            // pipeline's to attach.
            Some(ValueRef::Stream(stream)) => {
                Ok((stream.as_bytes().cloned().unwrap_or_default(), false))
            }
            None | Some(ValueRef::Null) if is_raw_payload(member) => Ok((Bytes::new(), false)),
            None | Some(ValueRef::Null) => Ok((Bytes::from_static(b"{}"), true)),
            Some(_) if is_raw_payload(member) => Err(format!(
                "payload {} of shape {} is not a blob or string",
                member.name, member.target.name
            )),
            Some(value) => {
                let mut writer = JsonWriter::new();
                writer.write_value(member, value)?;
                Ok((Bytes::from(writer.finish()), true))
            }
        };
    }
    let body_members = schema
        .members()
        .iter()
        .any(|m| m.location == Location::Body);
    if !body_members {
        return Ok((Bytes::new(), false));
    }
    let mut writer = JsonWriter::new();
    writer.write_struct(input, true)?;
    Ok((Bytes::from(writer.finish()), true))
}

/// Reads the body of a response into `output`: its payload member, or its body members.
fn read_body(body: &[u8], output: &mut dyn StructValue) -> Result<(), String> {
    let schema = output.schema();
    let Some((index, member)) = payload_member(schema) else {
        // An output without body members ignores the body, whatever it is (botocore's
        // "Ignores undefined output" case: `OK`).
        if !schema
            .members()
            .iter()
            .any(|m| m.location == Location::Body)
        {
            return Ok(());
        }
        return read_struct(body, output);
    };
    if binding::is_streaming(member) {
        // The pipeline hands the stream over.
        return Ok(());
    }
    let scalar = match member.target.shape_type {
        ShapeType::Blob => Scalar::Blob(Bytes::copy_from_slice(body)),
        ShapeType::String | ShapeType::Enum => Scalar::String(
            std::str::from_utf8(body)
                .map_err(|_| format!("the {} payload is not UTF-8 text", member.name))?
                .to_string(),
        ),
        _ if body.trim_ascii().is_empty() => return Ok(()),
        _ => {
            let slot = output
                .member_mut(index)
                .ok_or_else(|| format!("{} has no member #{index}", schema.name))?;
            return read_value(body, member, slot);
        }
    };
    if body.is_empty() {
        return Ok(());
    }
    output
        .member_mut(index)
        .ok_or_else(|| format!("{} has no member #{index}", schema.name))?
        .set(scalar)
        .map_err(|e| format!("{}: {e}", member.name))
}
