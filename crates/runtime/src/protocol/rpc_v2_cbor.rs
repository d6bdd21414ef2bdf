//! The `smithy-rpc-v2-cbor` protocol (CloudWatch and a dozen newer services offer it): RPC
//! with a [CBOR](super::cbor) body, as botocore's `RpcV2CBORSerializer` and
//! `RpcV2CBORParser`.
//!
//! # Requests
//!
//! `POST /service/{targetPrefix}/operation/{Operation}` with `smithy-protocol: rpc-v2-cbor`,
//! `Accept: application/cbor` and the input as a CBOR map (`Content-Type: application/cbor`);
//! an operation without an input shape sends no body and no `Content-Type`. Services that
//! were query services (`awsQueryCompatible`) also get `x-amzn-query-mode: true`.
//!
//! # Responses
//!
//! The output is the body's map (an empty body is an empty output). An error's code is the
//! body's `__type`, namespace and suffix removed, else the status; a query-compatible
//! service's `x-amzn-query-error` header names the query-era code, which wins.

use super::cbor::{CborWriter, decode, encode};
use super::{
    Codec, ErrorResponse, HttpRequest, HttpResponse, ParseError, ResponseMetadata, SerializeError,
    error_code, header_request_id, query_compatible_code,
};
use crate::document::Document;
use crate::operation::Operation;
use crate::value::StructValue;
use bytes::Bytes;

/// The codec of the `smithy-rpc-v2-cbor` protocol.
pub static RPC_V2_CBOR: RpcV2CborCodec = RpcV2CborCodec;

/// The `smithy-rpc-v2-cbor` codec ([`RPC_V2_CBOR`]).
#[derive(Debug)]
pub struct RpcV2CborCodec;

const CBOR: &str = "application/cbor";

impl Codec for RpcV2CborCodec {
    fn serialize(
        &self,
        op: &Operation,
        input: &dyn StructValue,
    ) -> Result<HttpRequest, SerializeError> {
        let error = |message: String| SerializeError::new(op, message);
        let service = op.service;
        let target = service.target_prefix.ok_or_else(|| {
            error(format!(
                "the model of {} has no targetPrefix, which smithy-rpc-v2-cbor needs",
                service.service_id
            ))
        })?;
        let body = if op.synthetic_input {
            Bytes::new()
        } else {
            let mut writer = CborWriter::new();
            encode::write_struct(&mut writer, input).map_err(error)?;
            Bytes::from(writer.finish())
        };
        let mut builder = http::Request::builder()
            .method("POST")
            .uri(format!("/service/{target}/operation/{}", op.name))
            .header("smithy-protocol", "rpc-v2-cbor")
            .header(http::header::ACCEPT, CBOR);
        if !body.is_empty() {
            builder = builder
                .header(http::header::CONTENT_TYPE, CBOR)
                .header(http::header::CONTENT_LENGTH, body.len());
        }
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
        super::refuse_html(response).map_err(fail)?;
        decode::read_struct(response.body(), output).map_err(fail)?;
        Ok(ResponseMetadata {
            request_id: header_request_id(response),
        })
    }

    fn parse_error(
        &self,
        _op: &Operation,
        response: &HttpResponse,
    ) -> Result<ErrorResponse, ParseError> {
        let body = match decode::read_document(response.body()) {
            Ok(Document::Object(entries)) => entries,
            // Not a CBOR map (empty, a proxy's page): the status is the code.
            _ => Default::default(),
        };
        let text = |key: &str| body.get(key).and_then(Document::as_str);
        let code = match text("__type") {
            Some(code) => error_code(code).to_string(),
            None => response.status().as_str().to_string(),
        };
        let (code, query_error_code) = query_compatible_code(response, code);
        Ok(ErrorResponse {
            code,
            message: text("message")
                .or_else(|| text("Message"))
                .map(str::to_string),
            request_id: header_request_id(response),
            query_error_code,
        })
    }

    fn parse_error_members(
        &self,
        op: &Operation,
        response: &HttpResponse,
        exception: &mut dyn StructValue,
    ) -> Result<(), ParseError> {
        if decode::read_document(response.body()).is_err() {
            // No CBOR error to read members from (the code came from the status).
            return Ok(());
        }
        decode::read_struct(response.body(), exception)
            .map_err(|message| ParseError::new(op, response.body(), message))
    }
}
