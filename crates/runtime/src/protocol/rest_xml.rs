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
        let error = |message: String| SerializeError::new(op, message);
        let request_uri = crate::customize::request_uri(op);
        let builder = binding::request(op, request_uri, input).map_err(error)?;
        let body = body(op, input).map_err(error)?;
        let builder = if body.is_empty() {
            builder
        } else {
            builder.header(http::header::CONTENT_LENGTH, body.len())
        };
        super::finish_request(op, builder, body)
    }

    fn parse_output(
        &self,
        op: &Operation,
        response: &HttpResponse,
        output: &mut dyn StructValue,
    ) -> Result<ResponseMetadata, ParseError> {
        let fail = |message: String| ParseError::new(op, response.body(), message);
        // A raw payload may be a web page (an object's body); a document may not.
        if !payload_member(op.output).is_some_and(|(_, member)| is_raw_payload(member)) {
            super::refuse_html(response).map_err(fail)?;
        }
        binding::parse_response(response.status(), response.headers(), output).map_err(fail)?;
        read_body(response.body(), output).map_err(|e| fail(e.0))?;
        Ok(ResponseMetadata {
            request_id: header_request_id(response),
        })
    }

    fn parse_error(
        &self,
        op: &Operation,
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
                query_error_code: None,
            }),
            Err(_) => Ok(generic_error(op, response)),
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
    member.serialized_name().unwrap_or(member.target.name)
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
        Some(root) if super::is_html_root(root.local_name()) => Err(XmlError::new(
            "the response is an HTML page, not the service's XML",
        )),
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

#[cfg(all(test, feature = "model"))]
mod tests {
    use super::*;
    use crate::dynamic::DynValue;
    use crate::model::SchemaSet;
    use crate::operation::ServiceInfo;
    use serde_json::json;

    static SERVICE: ServiceInfo = ServiceInfo::test("things", "Things");

    fn schemas() -> SchemaSet {
        let shapes = json!({
            "ListIn": {"type": "structure", "required": ["Bucket"], "members": {
                "Bucket": {"shape": "Str", "location": "uri", "locationName": "Bucket"},
                "Prefix": {"shape": "Str", "location": "querystring", "locationName": "prefix"}
            }},
            "ListOut": {"type": "structure", "members": {
                "Name": {"shape": "Str"},
                "Contents": {"shape": "Things", "flattened": true},
                "Count": {"shape": "Int", "location": "header", "locationName": "x-count"},
                "Meta": {"shape": "Meta", "location": "headers", "locationName": "x-meta-"}
            }},
            "Things": {"type": "list", "member": {"shape": "Thing"}},
            "Thing": {"type": "structure", "members": {"Key": {"shape": "Str"}, "Size": {"shape": "Int"}}},
            "Meta": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}},
            "NoSuchThing": {"type": "structure", "exception": true, "error": {"httpStatusCode": 404},
                "members": {"Message": {"shape": "Str"}, "Resource": {"shape": "Str"}}},
            "Str": {"type": "string"}, "Int": {"type": "integer"}
        });
        SchemaSet::build_shapes(&serde_json::from_value(shapes).unwrap()).unwrap()
    }

    fn operation(set: &SchemaSet) -> &'static Operation {
        Box::leak(Box::new(
            Operation::new(
                "ListThings",
                &SERVICE,
                "GET",
                "/{Bucket}?list-type=2",
                set.get("ListIn").unwrap(),
                set.get("ListOut").unwrap(),
            )
            .errors(Box::leak(Box::new([set.get("NoSuchThing").unwrap()]))),
        ))
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let mut builder = http::Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from(body.to_string())).unwrap()
    }

    #[test]
    fn serializes_labels_query_and_no_body() {
        let set = schemas();
        let op = operation(&set);
        let input =
            DynValue::from_json(&json!({"Bucket": "b c", "Prefix": "a/b c"}), op.input).unwrap();
        let request = REST_XML.serialize(op, input.as_struct().unwrap()).unwrap();
        assert_eq!(request.method(), "GET");
        assert_eq!(request.uri(), "/b%20c?list-type=2&prefix=a%2Fb%20c");
        assert!(request.body().is_empty());
        assert!(!request.headers().contains_key("content-type"));
        // A label must not be empty: `DELETE /bucket/` is not `DELETE /bucket/key`.
        let input = DynValue::from_json(&json!({"Bucket": ""}), op.input).unwrap();
        let err = REST_XML
            .serialize(op, input.as_struct().unwrap())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot serialize ListThings: Bucket must not be empty: it is part of the request path"
        );
    }

    #[test]
    fn parses_headers_prefix_headers_and_the_body() {
        let set = schemas();
        let op = operation(&set);
        let body = "<?xml version=\"1.0\"?><ListResult xmlns=\"urn:x\"><Name>b</Name>\
                    <Contents><Key>k1</Key><Size>3</Size></Contents>\
                    <Contents><Key>k2</Key><Size>4</Size></Contents></ListResult>";
        let mut output = DynValue::default_for(op.output);
        let meta = REST_XML
            .parse_output(
                op,
                &response(
                    200,
                    &[
                        ("x-count", "2"),
                        ("x-meta-Color", "blue"),
                        ("x-amz-request-id", "r1"),
                    ],
                    body,
                ),
                output.as_dyn_struct_mut().unwrap(),
            )
            .unwrap();
        assert_eq!(meta.request_id.as_deref(), Some("r1"));
        assert_eq!(
            output.to_json(),
            json!({"Name": "b", "Count": 2, "Meta": {"color": "blue"},
                   "Contents": [{"Key": "k1", "Size": 3}, {"Key": "k2", "Size": 4}]})
        );
    }

    #[test]
    fn reads_both_error_envelopes_and_their_members() {
        let set = schemas();
        let op = operation(&set);
        let s3 = "<Error><Code>NoSuchThing</Code><Message>gone</Message><Resource>/b/k</Resource>\
                  <RequestId>r2</RequestId></Error>";
        let cloudfront = "<ErrorResponse xmlns=\"urn:x\"><Error><Type>Sender</Type>\
                          <Code>NoSuchThing</Code><Message>gone</Message><Resource>/b/k</Resource>\
                          </Error><RequestId>r2</RequestId></ErrorResponse>";
        for body in [s3, cloudfront] {
            let response = response(404, &[], body);
            let error = REST_XML.parse_error(op, &response).unwrap();
            assert_eq!(
                error,
                ErrorResponse {
                    code: "NoSuchThing".into(),
                    message: Some("gone".into()),
                    request_id: Some("r2".into()),
                    query_error_code: None,
                }
            );
            let mut exception = DynValue::default_for(set.get("NoSuchThing").unwrap());
            REST_XML
                .parse_error_members(op, &response, exception.as_dyn_struct_mut().unwrap())
                .unwrap();
            assert_eq!(
                exception.to_json(),
                json!({"Message": "gone", "Resource": "/b/k"})
            );
        }
    }

    #[test]
    fn errors_without_an_xml_body_use_the_status_and_show_the_body() {
        let set = schemas();
        let op = operation(&set);
        let error = REST_XML
            .parse_error(op, &response(404, &[("x-amz-request-id", "r3")], ""))
            .unwrap();
        assert_eq!(
            error,
            ErrorResponse {
                code: "404".into(),
                message: Some("Not Found".into()),
                request_id: Some("r3".into()),
                query_error_code: None,
            }
        );
        let proxy = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        let error = REST_XML
            .parse_error(op, &response(502, &[], proxy))
            .unwrap();
        assert_eq!(error.code, "502");
        assert_eq!(
            error.message.as_deref(),
            Some(
                "Bad Gateway (ListThings got a response that is not an AWS error: the body \
                 starts \"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>\")"
            )
        );
        let truncated = REST_XML
            .parse_error(op, &response(500, &[], "<Error><Code>Intern"))
            .unwrap();
        assert_eq!(truncated.code, "500");
    }

    #[test]
    fn malformed_truncated_and_foreign_bodies_are_parse_errors_naming_the_operation() {
        let set = schemas();
        let op = operation(&set);
        let cases = [
            "<ListResult><Name>b</Nam></ListResult>",
            "<ListResult><Name>b</Name><Contents><Key>k",
            "<!DOCTYPE html><html><body>Sign in to the captive portal</body></html>",
            "{\"Name\": \"b\"}",
            "<ListResult><Contents><Size>big</Size></Contents></ListResult>",
        ];
        for body in cases {
            let mut output = DynValue::default_for(op.output);
            let err = REST_XML
                .parse_output(
                    op,
                    &response(200, &[("content-type", "text/html")], body),
                    output.as_dyn_struct_mut().unwrap(),
                )
                .expect_err(body);
            let text = err.to_string();
            assert!(
                text.starts_with("malformed ListThings response: "),
                "{text}"
            );
            assert!(
                text.ends_with(&format!("(the body starts {body:?})")),
                "{text}"
            );
        }
        let mut output = DynValue::default_for(op.output);
        let err = REST_XML
            .parse_output(
                op,
                &response(200, &[("x-count", "many")], ""),
                output.as_dyn_struct_mut().unwrap(),
            )
            .unwrap_err();
        assert_eq!(err.message, "header x-count: \"many\" is not an integer");
    }

    #[test]
    fn random_and_mutated_bodies_never_panic() {
        let set = schemas();
        let op = operation(&set);
        let valid = "<ListResult><Name>b</Name><Contents><Key>k&amp;1</Key><Size>3</Size>\
                     </Contents></ListResult>";
        let error = "<ErrorResponse><Error><Code>NoSuchThing</Code><Message>m</Message>\
                     <Resource>r</Resource></Error><RequestId>r</RequestId></ErrorResponse>";
        let bodies =
            crate::protocol::mutate::bodies(0x2545_f491_4f6c_dd1d, &[valid, error], 20_000);
        for (round, bytes) in bodies.enumerate() {
            let response = http::Response::builder()
                .status(if round % 3 == 0 { 404 } else { 200 })
                .header("x-count", "7")
                .body(Bytes::from(bytes))
                .unwrap();
            let mut output = DynValue::default_for(op.output);
            let _ = REST_XML.parse_output(op, &response, output.as_dyn_struct_mut().unwrap());
            let _ = REST_XML.parse_error(op, &response);
            let mut exception = DynValue::default_for(set.get("NoSuchThing").unwrap());
            let _ =
                REST_XML.parse_error_members(op, &response, exception.as_dyn_struct_mut().unwrap());
        }
    }
}
