//! The `json` protocol, awsJson 1.0 and 1.1 (DynamoDB, SQS, KMS, CloudWatch Logs, …): RPC
//! with a [JSON](super::json) body, as botocore's `JSONSerializer` and `JSONParser`.
//!
//! # Requests
//!
//! `POST /` with `X-Amz-Target: {targetPrefix}.{Operation}`, `Content-Type:
//! application/x-amz-json-{jsonVersion}` and the whole input as a JSON object (`{}` when no
//! member is set). Services that were query services (`awsQueryCompatible`: SQS,
//! CloudWatch) also get `x-amzn-query-mode: true`.
//!
//! # Responses
//!
//! The output is the body's object (an empty body is an empty output). An error's code is the
//! `X-Amzn-ErrorType` header, else the body's `__type` or `code`, namespace (`aws.sqs#`) and
//! suffix (`:http://…`) removed; query-compatible services send the query-era code
//! (`AWS.SimpleQueueService.NonExistentQueue`) in `x-amzn-query-error`, and that code wins,
//! so users match the codes they always have.

use super::json::{JsonWriter, read_struct};
use super::{
    Codec, ErrorResponse, HttpRequest, HttpResponse, ParseError, ResponseMetadata, SerializeError,
    header_request_id,
};
use crate::operation::Operation;
use crate::value::StructValue;
use bytes::Bytes;

/// The codec of the `json` protocol.
pub static AWS_JSON: AwsJsonCodec = AwsJsonCodec;

/// The awsJson 1.0/1.1 codec ([`AWS_JSON`]).
#[derive(Debug)]
pub struct AwsJsonCodec;

/// The body keys that may name an error's code, in order.
const ERROR_CODE_KEYS: [&str; 3] = ["__type", "code", "Code"];

impl Codec for AwsJsonCodec {
    fn serialize(
        &self,
        op: &Operation,
        input: &dyn StructValue,
    ) -> Result<HttpRequest, SerializeError> {
        let error = |message: String| SerializeError::new(op, message);
        let service = op.service;
        let prefix = service.target_prefix.ok_or_else(|| {
            error(format!(
                "the model of {} has no targetPrefix, which the json protocol needs",
                service.service_id
            ))
        })?;
        let mut writer = JsonWriter::new();
        writer.write_struct(input, false).map_err(error)?;
        let body = Bytes::from(writer.finish());
        let mut builder = http::Request::builder()
            .method(if op.http_method.is_empty() {
                "POST"
            } else {
                op.http_method
            })
            .uri("/")
            .header("X-Amz-Target", format!("{prefix}.{}", op.name))
            .header(
                http::header::CONTENT_TYPE,
                content_type(service.json_version.unwrap_or("1.0")),
            )
            .header(http::header::CONTENT_LENGTH, body.len());
        if service.query_compatible {
            builder = builder.header("x-amzn-query-mode", "true");
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
        // An output without members ignores the body, whatever it is (botocore's "Ignores
        // undefined output" case: `OK`).
        if !op.output.members().is_empty() {
            super::refuse_html(response).map_err(fail)?;
            read_struct(response.body(), output).map_err(fail)?;
        }
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
        if super::is_generic_error_body(response.body()) {
            return Ok(());
        }
        read_struct(response.body(), exception)
            .map_err(|message| ParseError::new(op, response.body(), message))
    }
}

/// The `Content-Type` of a jsonVersion.
fn content_type(version: &str) -> &'static str {
    match version {
        "1.1" => "application/x-amz-json-1.1",
        _ => "application/x-amz-json-1.0",
    }
}
