//! The `rest-xml` protocol (S3, CloudFront, Route53): the [HTTP bindings](super::binding)
//! with an [XML](super::xml) body.
//!
//! # Requests
//!
//! The method, URI, query string and headers come from the bindings. The body is:
//!
//! * the payload member (`payload` on the input shape), when there is one: a structure or
//!   union as an XML document whose root is named by the member's `locationName`, else the
//!   target's (`xmlNamespace` on the member, else on the target); a blob or string as the
//!   raw body; a streaming blob is attached by the pipeline. An unset payload is an empty
//!   body.
//! * otherwise the members without a location, as a document whose root is named by the input
//!   shape's `locationName`, else the input reference's (`input.locationName`), with the
//!   reference's `xmlNamespace`; no such member set, no body.
//!
//! No `Content-Type` is sent unless a member binds it, as botocore does.
//!
//! # Responses
//!
//! Members bound to headers and the status code come from the bindings; the payload member
//! from the whole body (a document for a structure, the raw bytes or text otherwise), or the
//! other members from the children of the document's root. An empty body is an output
//! without body members.
//!
//! Errors are read from `<Error>` (S3) or `<ErrorResponse><Error>` (CloudFront, Route53),
//! see [`super::xml::error`]. A body that is empty (a `HEAD` 404, a 304) or that is not an
//! XML error (a proxy's HTML page) gives the status as the code and its reason phrase as
//! the message, as botocore does; the pipeline then matches the status against the modeled
//! exceptions.

use super::binding::{self, is_raw_payload, payload_member};
use super::xml::error::{find_error, read_error_fields};
use super::xml::{XmlDecoder, XmlError, XmlWriter};
use super::{
    Codec, ErrorResponse, HttpRequest, HttpResponse, ParseError, ResponseMetadata, SerializeError,
    generic_error, header_request_id,
};
use crate::operation::Operation;
use crate::schema::{Location, MemberFlags, ShapeType, XmlNamespace};
use crate::value::{Scalar, StructValue, ValueRef};
use bytes::Bytes;

/// The codec of the `rest-xml` protocol.
pub static REST_XML: RestXmlCodec = RestXmlCodec;

/// The `rest-xml` codec ([`REST_XML`]).
#[derive(Debug)]
pub struct RestXmlCodec;

impl Codec for RestXmlCodec {
    fn serialize(
        &self,
        op: &Operation,
        input: &dyn StructValue,
    ) -> Result<HttpRequest, SerializeError> {
        let error = |message: String| SerializeError {
            operation: op.name.to_string(),
            message,
        };
        let request_uri = crate::customize::request_uri(op);
        let builder = binding::request(op, request_uri, input).map_err(error)?;
        let body = body(op, input).map_err(error)?;
        let builder = if body.is_empty() {
            builder
        } else {
            builder.header(http::header::CONTENT_LENGTH, body.len())
        };
        builder
            .body(body)
            .map_err(|e| error(format!("cannot build the request: {e}")))
    }

    fn parse_output(
        &self,
        op: &Operation,
        response: &HttpResponse,
        output: &mut dyn StructValue,
    ) -> Result<ResponseMetadata, ParseError> {
        let fail = |message: String| ParseError::new(op, response.body(), message);
        binding::parse_response(response.status(), response.headers(), output).map_err(fail)?;
        read_body(response.body(), output).map_err(|e| fail(e.0))?;
        Ok(ResponseMetadata {
            request_id: header_request_id(response),
        })
    }

    fn parse_error(
        &self,
        _op: &Operation,
        response: &HttpResponse,
    ) -> Result<ErrorResponse, ParseError> {
        // botocore reads the code from the status when the body is not an XML error (empty,
        // HTML, truncated): an error response never fails to be an error.
        match read_error_fields(response.body()) {
            Ok((fields, outer_id)) => Ok(ErrorResponse {
                code: fields.code.unwrap_or_default(),
                message: fields.message,
                request_id: outer_id
                    .or(fields.request_id)
                    .or_else(|| header_request_id(response)),
            }),
            Err(_) => {
                let mut error = generic_error(response);
                if !super::is_generic_error_body(response.body()) {
                    // Not empty and not a proxy's HTML page: say what came instead.
                    let reason = error.message.take().unwrap_or_default();
                    error.message = Some(format!(
                        "{reason} (not an XML error response: {})",
                        super::text::body_start(response.body())
                    ));
                }
                Ok(error)
            }
        }
    }

    fn parse_error_members(
        &self,
        op: &Operation,
        response: &HttpResponse,
        exception: &mut dyn StructValue,
    ) -> Result<(), ParseError> {
        let fail = |message: String| ParseError::new(op, response.body(), message);
        binding::parse_response(response.status(), response.headers(), exception).map_err(fail)?;
        if read_error_fields(response.body()).is_err() {
            // No XML error to read members from (the code came from the status).
            return Ok(());
        }
        let mut decoder = XmlDecoder::new(response.body());
        find_error(&mut decoder, &mut |decoder, error| {
            decoder.read_struct(&mut *exception, error, None)
        })
        .map(|_| ())
        .map_err(|e| fail(e.0))
    }
}

/// The request body of `input`: its payload member, or its body members as a document.
fn body(op: &Operation, input: &dyn StructValue) -> Result<Bytes, String> {
    let schema = input.schema();
    if let Some((index, member)) = payload_member(schema) {
        let Some(value) = input.member(index) else {
            return Ok(Bytes::new());
        };
        return match value.get() {
            ValueRef::Blob(b) => Ok(Bytes::copy_from_slice(b)),
            ValueRef::String(s) => Ok(Bytes::copy_from_slice(s.as_bytes())),
            // A body in memory is written like a blob (without copying it); a stream is the
            // pipeline's to attach.
            ValueRef::Stream(stream) => Ok(stream.as_bytes().cloned().unwrap_or_default()),
            ValueRef::Null => Ok(Bytes::new()),
            _ if is_raw_payload(member) => Err(format!(
                "payload {} of shape {} is not a blob or string",
                member.name, member.target.name
            )),
            value => {
                let name = payload_element_name(member);
                let mut writer = writer(op);
                writer.write_value_as(name, member, value)?;
                Ok(Bytes::from(writer.finish()))
            }
        };
    }
    let has_body_member = schema.members().iter().enumerate().any(|(i, m)| {
        m.location == Location::Body
            && !m.has(MemberFlags::XML_ATTRIBUTE)
            && input.member(i).is_some()
    });
    if !has_body_member {
        return Ok(Bytes::new());
    }
    let root = schema
        .location_name
        .or(op.input_location_name)
        .unwrap_or(schema.name);
    let namespace = op
        .input_xml_namespace
        .map(|uri| XmlNamespace { uri, prefix: None })
        .or(schema.xml_namespace);
    let mut writer = writer(op);
    writer.write_root(root, namespace, input)?;
    Ok(Bytes::from(writer.finish()))
}

fn writer(op: &Operation) -> XmlWriter {
    XmlWriter::new().escape_line_feeds(crate::customize::xml_escapes_line_feeds(op))
}

/// The root element of a structure payload: the member's `locationName` (botocore's rule,
/// which real models rely on: S3's `LifecycleConfiguration` member targets
/// `BucketLifecycleConfiguration`), else the target's `locationName`, else the target's name.
fn payload_element_name(member: &crate::schema::Member) -> &'static str {
    member
        .location_name
        .or(member.target.location_name)
        .unwrap_or(member.target.name)
}

/// Reads the body of a successful response into `output`.
fn read_body(body: &[u8], output: &mut dyn StructValue) -> Result<(), XmlError> {
    let schema = output.schema();
    if let Some((index, member)) = payload_member(schema) {
        if binding::is_streaming(member) {
            // The pipeline hands the stream over.
            return Ok(());
        }
        let target = member.target;
        match target.shape_type {
            ShapeType::Blob => {
                if !body.is_empty() {
                    set_member(output, index, Scalar::Blob(Bytes::copy_from_slice(body)))?;
                }
            }
            ShapeType::String | ShapeType::Enum => {
                if !body.is_empty() {
                    let text = std::str::from_utf8(body).map_err(|e| {
                        XmlError::new(format!("the {} payload is not UTF-8: {e}", member.name))
                    })?;
                    set_member(output, index, Scalar::String(text.to_string()))?;
                }
            }
            ShapeType::Structure | ShapeType::Union => {
                let mut decoder = XmlDecoder::new(body);
                if let Some(root) = decoder.root()? {
                    let value = output
                        .member_mut(index)
                        .and_then(|v| v.as_struct_mut())
                        .ok_or_else(|| {
                            XmlError::new(format!("member {} is not a structure", member.name))
                        })?;
                    decoder.read_struct(value, &root, None)?;
                }
            }
            _ => {
                return Err(XmlError::new(format!(
                    "payload {} of shape {} cannot be read",
                    member.name, target.name
                )));
            }
        }
        return Ok(());
    }
    let mut decoder = XmlDecoder::new(body);
    match decoder.root()? {
        Some(root) => decoder.read_struct(output, &root, None),
        None => Ok(()),
    }
}

fn set_member(output: &mut dyn StructValue, index: usize, value: Scalar) -> Result<(), XmlError> {
    let name = output.schema().name;
    output
        .member_mut(index)
        .ok_or_else(|| XmlError::new(format!("{name} has no member #{index}")))?
        .set(value)
        .map_err(|e| XmlError::new(e.to_string()))
}
