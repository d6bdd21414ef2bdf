//! Wire protocols: one schema-driven encoder and decoder per protocol.
//!
//! A [`Codec`] turns any input into an HTTP request and any response into an output or an
//! error by walking values through their schemas ([`crate::value`]); nothing here knows a
//! generated type. The request pipeline picks the codec of the service's protocol with
//! [`codec`].
//!
//! A protocol is a *format* combined with a *binding*, each written once:
//!
//! | protocol | binding | format |
//! |---|---|---|
//! | `query`, `ec2` ([`query`]) | RPC: `POST /`, everything in the body | [`form`] requests, [`xml`] responses |
//! | `rest-xml` ([`rest_xml`]) | [`binding`]: URI labels, query string, headers, status code, payload | [`xml`] |
//! | `json` 1.0/1.1 ([`aws_json`]) | RPC: `POST /`, `X-Amz-Target` names the operation | [`json`] |
//! | `rest-json` ([`rest_json`]) | [`binding`] | [`json`] |
//! | `smithy-rpc-v2-cbor` ([`rpc_v2_cbor`]) | RPC: `POST /service/{target}/operation/{Operation}` | [`cbor`] |
//!
//! [`text`] holds what every text format shares: floats, timestamps and percent-encoding as
//! botocore writes them.

pub mod aws_json;
pub mod binding;
pub mod cbor;
pub mod form;
pub mod json;
#[cfg(test)]
mod mutate;
mod names;
pub mod query;
pub mod rest_json;
pub mod rest_xml;
pub mod rpc_v2_cbor;
pub mod text;
pub mod xml;

use crate::operation::{Operation, Protocol};
use crate::value::StructValue;
use bytes::Bytes;

/// How deeply aggregates may nest in a JSON or CBOR request or response. DynamoDB allows 32
/// levels of attribute values; the JSON reader stops at 128 (as serde_json does), so a
/// hostile body cannot exhaust the stack either way.
pub const MAX_DEPTH: usize = 128;

/// A request as a codec produces it: method, path and query (relative to the endpoint),
/// headers and body. The pipeline adds the endpoint's scheme and host, then signs it.
pub type HttpRequest = http::Request<Bytes>;

/// A response as the transport delivers it, body read whole.
pub type HttpResponse = http::Response<Bytes>;

/// An input that cannot be put on the wire.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot serialize {operation}: {message}")]
pub struct SerializeError {
    pub operation: String,
    pub message: String,
}

impl SerializeError {
    /// An error serializing `op`'s input.
    pub fn new(op: &Operation, message: impl Into<String>) -> Self {
        SerializeError {
            operation: op.name.to_string(),
            message: message.into(),
        }
    }
}

/// The request a codec has built the parts of.
pub(crate) fn finish_request(
    op: &Operation,
    builder: http::request::Builder,
    body: Bytes,
) -> Result<HttpRequest, SerializeError> {
    builder
        .body(body)
        .map_err(|e| SerializeError::new(op, format!("cannot build the request: {e}")))
}

/// A response that cannot be read as the model says it should look.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed {operation} response: {message} ({body_start})")]
pub struct ParseError {
    pub operation: String,
    pub message: String,
    /// The start of the body (`the body starts "<html>…"`, its first 120 bytes), to tell a
    /// proxy's page or a truncated document from a service's answer; never for an output
    /// that holds sensitive values.
    pub body_start: String,
}

impl ParseError {
    /// A parse error of `op`'s response, whose body was `body`.
    pub fn new(op: &Operation, body: &[u8], message: impl Into<String>) -> Self {
        // A malformed answer can still hold the secret it was meant to carry (credentials
        // from STS or SSO, a secret's value), so such bodies are not shown.
        let body_start = if op.output.holds_sensitive() {
            text::body_withheld(body, "the output holds sensitive values")
        } else {
            text::body_start(body)
        };
        ParseError {
            operation: op.name.to_string(),
            message: message.into(),
            body_start,
        }
    }

    /// A parse error of `op`'s response whose body streams to the caller (so no start of it
    /// was read here).
    pub fn streaming(op: &Operation, message: impl Into<String>) -> Self {
        ParseError {
            operation: op.name.to_string(),
            message: message.into(),
            body_start: "the body streams to the caller".to_string(),
        }
    }
}

/// What a successful response says besides the output members.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponseMetadata {
    /// The request id the service gave the call (from the body where the protocol puts it
    /// there, else from the `x-amzn-RequestId` or `x-amz-request-id` header).
    pub request_id: Option<String>,
}

/// What an error response says, whatever the protocol.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorResponse {
    /// The error code, e.g. `ValidationError` (namespace prefixes removed).
    pub code: String,
    pub message: Option<String>,
    pub request_id: Option<String>,
    /// For a service that was a query service (`awsQueryCompatible`), the code the response
    /// gave before `x-amzn-query-error` replaced it with the query-era one: the exception's
    /// name (`QueueDoesNotExist` for `AWS.SimpleQueueService.NonExistentQueue`), which the
    /// typed error is found by, as botocore's `QueryErrorCode`.
    pub query_error_code: Option<String>,
}

/// The encoder and decoder of one protocol.
pub trait Codec: Send + Sync {
    /// Serializes `input` (whose schema is `op.input`) into a request.
    fn serialize(
        &self,
        op: &Operation,
        input: &dyn StructValue,
    ) -> Result<HttpRequest, SerializeError>;

    /// Parses a successful response into `output` (whose schema is `op.output`) and returns
    /// its metadata.
    fn parse_output(
        &self,
        op: &Operation,
        response: &HttpResponse,
        output: &mut dyn StructValue,
    ) -> Result<ResponseMetadata, ParseError>;

    /// Reads the code, message and request id of an error response.
    fn parse_error(
        &self,
        op: &Operation,
        response: &HttpResponse,
    ) -> Result<ErrorResponse, ParseError>;

    /// Fills the members of a modeled exception from an error response.
    fn parse_error_members(
        &self,
        op: &Operation,
        response: &HttpResponse,
        exception: &mut dyn StructValue,
    ) -> Result<(), ParseError>;
}

/// The codec of `protocol` (every protocol botocore knows has one).
pub fn codec(protocol: Protocol) -> Option<&'static dyn Codec> {
    match protocol {
        Protocol::Query => Some(&query::QUERY),
        Protocol::Ec2 => Some(&query::EC2),
        Protocol::RestXml => Some(&rest_xml::REST_XML),
        Protocol::Json => Some(&aws_json::AWS_JSON),
        Protocol::RestJson => Some(&rest_json::REST_JSON),
        Protocol::RpcV2Cbor => Some(&rpc_v2_cbor::RPC_V2_CBOR),
    }
}

/// The request id of a response from its headers (`x-amzn-RequestId`, else
/// `x-amz-request-id`), for protocols whose body may not carry it.
pub fn header_request_id(response: &HttpResponse) -> Option<String> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|name| response.headers().get(*name)?.to_str().ok())
        .map(str::to_string)
}

/// An error code as the JSON and CBOR protocols send it, reduced to the exception's name:
/// anything after the first `:` and before the last `#` removed
/// (`aws.protocoltests#FooError:http://internal.amazon.com/` is `FooError`), as botocore
/// reduces it.
pub(crate) fn error_code(code: &str) -> &str {
    let code = code.split_once(':').map_or(code, |(code, _)| code);
    code.rsplit_once('#').map_or(code, |(_, name)| name)
}

/// The code users match for an error of a service that was a query service
/// (`awsQueryCompatible`): `x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender`
/// names the query-era code, which replaces `code` (botocore's
/// `_do_query_compatible_error_parse`); `code` comes back second. Without the header, `code`
/// as it is.
pub(crate) fn query_compatible_code(
    response: &HttpResponse,
    code: String,
) -> (String, Option<String>) {
    let header = response
        .headers()
        .get("x-amzn-query-error")
        .and_then(|v| v.to_str().ok());
    match header.and_then(|h| h.split_once(';')) {
        Some((query_code, kind)) if !query_code.is_empty() && !kind.contains(';') => {
            (query_code.to_string(), Some(code))
        }
        _ => (code, None),
    }
}

/// Refuses a successful response that is a web page rather than the protocol's document: a
/// `text/html` body that is markup, or an XML body whose root is `<html>` (a captive portal
/// or a proxy answering in the service's place). Parsed as a document, it would read as an
/// empty output. A JSON or CBOR body under a `text/html` label is read as what it is, as
/// botocore reads it (moto labels some JSON answers so).
pub(crate) fn refuse_html(response: &HttpResponse) -> Result<(), String> {
    let html_type = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
    if html_type && response.body().trim_ascii_start().starts_with(b"<") {
        return Err(
            "the response is an HTML page (Content-Type: text/html), not the service's answer"
                .to_string(),
        );
    }
    Ok(())
}

/// Whether an XML root element is `<html>`.
pub(crate) fn is_html_root(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"html")
}

/// Whether an error body carries nothing to parse: empty, or an HTML page (a proxy's or load
/// balancer's).
pub(crate) fn is_generic_error_body(body: &[u8]) -> bool {
    let body = body.trim_ascii();
    let starts_with = |prefix: &[u8]| {
        body.len() >= prefix.len() && body[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    body.is_empty() || starts_with(b"<html") || starts_with(b"<!doctype html")
}

/// The error of a response without a protocol body: the status code as the code and its
/// reason phrase as the message, as botocore reports it. A body that is there but is not
/// the protocol's (a proxy's HTML page, a truncated document) is named in the message, with
/// the operation, so the cause can be found.
pub(crate) fn generic_error(op: &Operation, response: &HttpResponse) -> ErrorResponse {
    let status = response.status();
    let reason = status.canonical_reason().unwrap_or("HTTP error");
    let message = if response.body().trim_ascii().is_empty() {
        reason.to_string()
    } else {
        format!(
            "{reason} ({} got a response that is not an AWS error: {})",
            op.name,
            text::body_start(response.body())
        )
    };
    ErrorResponse {
        code: status.as_str().to_string(),
        message: Some(message),
        request_id: header_request_id(response),
        query_error_code: None,
    }
}
