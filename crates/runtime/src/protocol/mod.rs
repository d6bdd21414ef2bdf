//! Wire protocols: one schema-driven encoder and decoder per protocol.
//!
//! A [`Codec`] turns any input into an HTTP request and any response into an output or an
//! error by walking values through their schemas ([`crate::value`]); nothing here knows a
//! generated type. The request pipeline picks the codec of the service's protocol with
//! [`codec`].

pub mod query;
pub mod xml;

use crate::operation::{Operation, Protocol};
use crate::value::StructValue;
use bytes::Bytes;

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

/// A response that cannot be read as the model says it should look.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed {operation} response: {message}")]
pub struct ParseError {
    pub operation: String,
    pub message: String,
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

/// The codec of `protocol`, if the runtime implements it yet.
pub fn codec(protocol: Protocol) -> Option<&'static dyn Codec> {
    match protocol {
        Protocol::Query => Some(&query::QUERY),
        Protocol::Ec2 => Some(&query::EC2),
        Protocol::Json | Protocol::RestJson | Protocol::RestXml | Protocol::RpcV2Cbor => None,
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
