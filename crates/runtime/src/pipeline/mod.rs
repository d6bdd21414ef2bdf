//! The request pipeline, one stage per module, in the order a request takes:
//! customise -> validate -> endpoint -> serialize -> body -> compress -> checksum -> sign ->
//! send -> retry -> parse.
//!
//! Everything here works on `&dyn StructValue` through the operation's static descriptor;
//! the typed shell around it is [`crate::client::ClientHandle::invoke`], a few lines per
//! operation type.

pub(crate) mod auth;
pub(crate) mod body;
pub(crate) mod checksum;
pub mod compress;
mod discovery;
pub(crate) use discovery::DiscoveryCache;
pub mod endpoint;
pub mod validate;

use crate::DateTime;
use crate::client::HandleInner;
use crate::credentials::Credentials;
use crate::error::{
    ConfigError, RequestError, SdkError, TimeoutError, TransportErrorKind, ValidationError,
};
use crate::operation::Operation;
use crate::protocol::{Codec, ErrorResponse, HttpRequest, HttpResponse};
use crate::retry::{RetryKind, classify_response};
use crate::schema::{MemberFlags, ShapeFlags};
use crate::sigv4::{self, SigningError};
#[cfg(feature = "sigv4a")]
use crate::sigv4a;
use crate::transport::SendError;
use crate::transport::TransportResponse;
use crate::value::{Scalar, StructValue};
pub(crate) use auth::Identity;
use body::RequestBody;
use std::convert::Infallible;
use std::time::Duration;

/// Why a call failed, before the error is typed for its operation.
pub(crate) enum CallError {
    /// The service answered with an error response (boxed: errors are the rare path).
    Service(Box<(HttpResponse, ErrorResponse)>),
    /// Anything else.
    Other(SdkError<Infallible>),
}

impl<E> From<E> for CallError
where
    SdkError<Infallible>: From<E>,
{
    fn from(error: E) -> Self {
        CallError::Other(SdkError::from(error))
    }
}

macro_rules! sdk_error_from {
    ($($variant:ident($ty:ty)),*) => {$(
        impl From<$ty> for SdkError<Infallible> {
            fn from(e: $ty) -> Self {
                SdkError::$variant(e)
            }
        }
    )*};
}
sdk_error_from!(
    Validation(ValidationError),
    Config(ConfigError),
    Request(RequestError),
    Timeout(TimeoutError),
    Credentials(crate::error::CredentialsError),
    Response(crate::protocol::ParseError)
);

/// A request ready to sign and send, kept in parts so every attempt can rebuild it.
pub(crate) struct Prepared {
    pub method: http::Method,
    pub uri: http::Uri,
    pub headers: http::HeaderMap,
    pub body: RequestBody,
    /// How the endpoint asks requests to be signed.
    pub auth: endpoint::AuthScheme,
    /// What stands for the body in the signature.
    pub payload: sigv4::PayloadHash,
    /// What the service customisations remember for the response.
    pub state: crate::customize::CallState,
    /// The algorithms whose response checksums are checked (empty: none).
    #[cfg_attr(not(feature = "checksums"), allow(dead_code))]
    pub response_checksums: &'static [&'static str],
}

/// Room for the headers signing adds to an attempt (`x-amz-date` and `authorization`, and
/// for some credentials, services and requests `x-amz-security-token`,
/// `x-amz-content-sha256`, `x-amz-region-set`, `host`).
pub const SIGNING_HEADERS: usize = 6;

impl Prepared {
    /// The head of one attempt, with the body in memory (or empty for a streamed body, which
    /// is attached after signing). Its header map has room for the signature's headers: a
    /// clone would be full, and signing would grow it (a reallocation and rehash per call).
    fn request(&self) -> HttpRequest {
        let body = self.body.bytes().cloned().unwrap_or_default();
        let mut request = http::Request::new(body);
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        let headers = request.headers_mut();
        headers.reserve(self.headers.len() + SIGNING_HEADERS);
        headers.extend(
            self.headers
                .iter()
                .map(|(name, value)| (name.clone(), value.clone())),
        );
        request
    }
}

/// Fills every unset idempotency-token member with a random UUID, so that retries of the
/// call carry the same token.
fn fill_idempotency_tokens(op: &Operation, input: &mut dyn StructValue) {
    for (i, member) in op.input.members().iter().enumerate() {
        if member.has(MemberFlags::IDEMPOTENCY_TOKEN)
            && input.member(i).is_none()
            && let Some(slot) = input.member_mut(i)
        {
            // A string slot accepts a string; nothing else carries tokens.
            let _ = slot.set(Scalar::String(uuid::Uuid::new_v4().to_string()));
        }
    }
}

/// [`prepare`], and the identity that signs the request: credentials, a bearer token, or none
/// for an operation without auth. An endpoint that depends on the account resolves after the
/// credentials (as botocore resolves them for `AWS::Auth::AccountId`); any other before, so
/// that a bad input is reported without looking for credentials.
pub(crate) async fn prepare_signed(
    handle: &HandleInner,
    op: &'static Operation,
    codec: &dyn Codec,
    input: &mut dyn StructValue,
    presigning: bool,
) -> Result<(Prepared, Identity), CallError> {
    let early = match handle.needs_account_id() {
        true => Some(auth::identity(handle, op).await?),
        false => None,
    };
    let account_id = early.as_ref().and_then(Identity::account_id);
    let prepared = prepare(handle, op, codec, input, presigning, account_id).await?;
    let identity = match early {
        Some(identity) => identity,
        None => auth::identity(handle, op).await?,
    };
    Ok((prepared, identity))
}

/// Validates, resolves the endpoint, serializes and prepares the body: everything before the
/// first attempt. `presigning` leaves out what only a sent request carries (a default
/// checksum).
pub(crate) async fn prepare(
    handle: &HandleInner,
    op: &'static Operation,
    codec: &dyn Codec,
    input: &mut dyn StructValue,
    presigning: bool,
    account_id: Option<&str>,
) -> Result<Prepared, CallError> {
    fill_idempotency_tokens(op, input);
    let settings = handle.config.body_settings();
    if !presigning {
        checksum::enable_validation_mode(op, input, settings);
    }
    let mut problems = Vec::new();
    let state = crate::customize::before_validate(op, input).unwrap_or_else(|problem| {
        problems.push(problem);
        Default::default()
    });
    problems.extend(validate::validate(input));
    if !problems.is_empty() {
        return Err(ValidationError {
            operation: op.name,
            problems,
        }
        .into());
    }
    let mut endpoint = handle
        .endpoint
        .as_ref()
        .map_err(Clone::clone)?
        .resolve(op, input, account_id)?;
    if let Some(address) = discovery::address(handle, op, codec).await? {
        // The discovered host, with the scheme and signing of the rules' endpoint.
        let scheme = endpoint.url.split_once("://").map_or("https", |(s, _)| s);
        let mut discovered = (*endpoint).clone();
        discovered.url = format!("{scheme}://{address}");
        endpoint = std::sync::Arc::new(discovered);
    }
    let prefix =
        crate::protocol::binding::host_prefix(op, crate::customize::host_prefix(op), input)
            .map_err(|problem| ValidationError {
                operation: op.name,
                problems: vec![problem],
            })?;
    let prefix = prefix.filter(|_| handle.config.inject_host_prefix());
    let mut request = codec.serialize(op, input).map_err(RequestError::from)?;
    compress::compress(op, &mut request, compress::DEFAULT_MIN_COMPRESSION_SIZE)?;
    let response_checksums = checksum::response_algorithms(op, input);
    let (parts, serialized) = request.into_parts();
    let mut body = RequestBody::take(op, input, serialized);
    let mut path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    if parts
        .extensions
        .get::<crate::protocol::binding::EmptyPath>()
        .is_some()
    {
        path_and_query = path_and_query.strip_prefix('/').unwrap_or(path_and_query);
    }
    let uri = endpoint::join(&endpoint.url, prefix.as_deref(), path_and_query)
        .map_err(RequestError::Build)?;
    let mut headers = parts.headers;
    for (name, values) in &endpoint.headers {
        let name = http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| RequestError::Build(format!("endpoint header `{name}`: {e}")))?;
        for value in values {
            let value = http::HeaderValue::from_str(value)
                .map_err(|e| RequestError::Build(format!("endpoint header `{name}`: {e}")))?;
            headers.append(name.clone(), value);
        }
    }
    // A stream of unknown length whose length the caller gave another way (S3's
    // `ContentLength` member, bound to the header) is sent with it, and held to it, as
    // botocore keeps a caller's `Content-Length`.
    if let Some(length) = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
    {
        body.declare_length(length);
    }
    // As botocore: a length for every method that has a body; none for GET, HEAD and
    // OPTIONS without one.
    let bodyless = matches!(parts.method.as_str(), "GET" | "HEAD" | "OPTIONS");
    match body.content_length() {
        Some(0) if bodyless => {
            headers.remove(http::header::CONTENT_LENGTH);
        }
        Some(length) => {
            headers.insert(
                http::header::CONTENT_LENGTH,
                http::HeaderValue::from(length),
            );
        }
        None => {
            headers.remove(http::header::CONTENT_LENGTH);
        }
    }
    let https = uri.scheme() == Some(&http::uri::Scheme::HTTPS);
    checksum::apply_request(
        op,
        input,
        &mut headers,
        &mut body,
        settings,
        presigning,
        https,
    )
    .await?;
    if crate::customize::expects_continue(op) && !presigning {
        // hyper sends the body without waiting for the interim `100 Continue` (it reads and
        // skips it); the header still tells the service it may answer before the body ends.
        headers.insert(
            http::header::EXPECT,
            http::HeaderValue::from_static("100-continue"),
        );
    }
    let payload = body::payload_hash(
        op,
        &endpoint.auth.signing_name,
        &headers,
        &body,
        https,
        settings,
    )
    .await?;
    headers.insert(http::header::USER_AGENT, handle.user_agent.clone());
    headers.insert("x-amz-user-agent", handle.user_agent.clone());
    if let Ok(value) = http::HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert("amz-sdk-invocation-id", value);
    }
    Ok(Prepared {
        method: parts.method,
        uri,
        headers,
        body,
        auth: endpoint.auth.clone(),
        payload,
        state,
        response_checksums,
    })
}

/// The user agent of a client, built once: `stratus/<version> os/<os> lang/rust`, then
/// `app/<name>` when the configured app name is valid in a header (else it is left out).
pub(crate) fn user_agent(app_name: Option<&str>) -> http::HeaderValue {
    let base = format!(
        "stratus/{} os/{} lang/rust",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS
    );
    app_name
        .and_then(|app| http::HeaderValue::from_str(&format!("{base} app/{app}")).ok())
        .or_else(|| http::HeaderValue::from_str(&base).ok())
        .unwrap_or_else(|| http::HeaderValue::from_static("stratus"))
}

/// How requests of `op` to an endpoint asking for `auth` are signed, with `payload`
/// standing for the body.
pub(crate) fn signing_settings(
    op: &Operation,
    auth: &endpoint::AuthScheme,
    payload: sigv4::PayloadHash,
) -> sigv4::SigningSettings {
    let mut settings = if body::is_s3_signing(op.service.signing_name) {
        sigv4::SigningSettings::s3()
    } else {
        sigv4::SigningSettings::default()
    };
    if auth.disable_double_encoding {
        settings.uri_encoding = sigv4::UriEncoding::Single;
    }
    settings.payload = payload;
    if !matches!(payload, sigv4::PayloadHash::Body) {
        // A payload that is not the body's hash must be said in `x-amz-content-sha256`.
        settings.content_sha256_header = true;
    }
    settings
}

/// The signing parameters an endpoint's auth scheme asks for.
enum Signer<'a> {
    V4(sigv4::SigningParams<'a>),
    #[cfg(feature = "sigv4a")]
    V4a(sigv4a::SigningParams<'a>),
}

/// Calls `f` with the parameters for signing a request of `op` now, as `auth` asks.
fn with_signer<T>(
    op: &Operation,
    auth: &endpoint::AuthScheme,
    payload: sigv4::PayloadHash,
    credentials: &Credentials,
    f: impl FnOnce(Signer<'_>) -> Result<T, SigningError>,
) -> Result<T, RequestError> {
    let settings = signing_settings(op, auth, payload);
    let now = DateTime::now();
    let signed = match auth.name.as_str() {
        #[cfg(feature = "sigv4a")]
        "sigv4a" => {
            let region_set = sigv4a::join_region_set(&auth.signing_region_set);
            f(Signer::V4a(
                sigv4a::SigningParams::new(credentials, &region_set, &auth.signing_name, now)
                    .with_settings(settings),
            ))
        }
        _ => f(Signer::V4(
            sigv4::SigningParams::new(credentials, &auth.signing_region, &auth.signing_name, now)
                .with_settings(settings),
        )),
    };
    signed.map_err(|e| RequestError::Signing(e.to_string()))
}

/// Signs one attempt as the endpoint's auth scheme asks.
fn sign(
    op: &Operation,
    auth: &endpoint::AuthScheme,
    payload: sigv4::PayloadHash,
    credentials: &Credentials,
    request: &mut HttpRequest,
) -> Result<(), RequestError> {
    with_signer(op, auth, payload, credentials, |signer| match signer {
        Signer::V4(params) => sigv4::sign(request, &params),
        #[cfg(feature = "sigv4a")]
        Signer::V4a(params) => sigv4a::sign(request, &params),
    })
}

/// Presigns `request` as the endpoint's auth scheme asks, valid for `expires_in`.
pub(crate) fn presign(
    op: &Operation,
    auth: &endpoint::AuthScheme,
    payload: sigv4::PayloadHash,
    credentials: &Credentials,
    request: &HttpRequest,
    expires_in: Duration,
) -> Result<http::Uri, RequestError> {
    with_signer(op, auth, payload, credentials, |signer| match signer {
        Signer::V4(params) => sigv4::presign(request, &params, expires_in),
        #[cfg(feature = "sigv4a")]
        Signer::V4a(params) => sigv4a::presign(request, &params, expires_in),
    })
}

/// A response as one attempt got it: read whole, or (a successful response of an operation
/// whose output streams) with its body still to read.
enum Received {
    Whole(HttpResponse),
    Streaming(TransportResponse),
}

/// How much of an error response's body is read.
const MAX_ERROR_BODY: usize = 1024 * 1024;

/// Reads a body whole, or its first `limit` bytes.
async fn read_body(
    body: crate::ByteStream,
    limit: Option<usize>,
) -> Result<bytes::Bytes, crate::bytestream::ByteStreamError> {
    let Some(limit) = limit else {
        return body.collect().await;
    };
    let mut body = body;
    let mut buf = bytes::BytesMut::new();
    while let Some(chunk) = body.next_chunk().await {
        let chunk = chunk?;
        let room = limit - buf.len();
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if buf.len() >= limit {
            break;
        }
    }
    Ok(buf.freeze())
}

/// Sends one attempt and reads its response, whole unless it is a success of an operation
/// whose output streams; within the attempt timeout when one is set.
async fn exchange(
    client: &dyn crate::transport::HttpClient,
    request: crate::transport::TransportRequest,
    streams_output: bool,
    limit: Option<Duration>,
) -> Result<Received, SendError> {
    let attempt = async {
        let response = client.send(request).await?;
        let success = response.status().is_success();
        if streams_output && success {
            return Ok(Received::Streaming(response));
        }
        let (parts, body) = response.into_parts();
        // An error's body is read up to a limit: what it says is in its first bytes, and a
        // misbehaving server (or a proxy) cannot make the client hold an unbounded one.
        let limit = if success { None } else { Some(MAX_ERROR_BODY) };
        let body = read_body(body, limit).await.map_err(|e| {
            SendError::Transport(crate::error::TransportError::new(
                TransportErrorKind::Io,
                format!("reading the response body failed: {e}"),
                Some(Box::new(e)),
            ))
        })?;
        Ok(Received::Whole(http::Response::from_parts(parts, body)))
    };
    match limit {
        Some(limit) => tokio::time::timeout(limit, attempt)
            .await
            .unwrap_or_else(|_| {
                Err(SendError::Timeout(TimeoutError {
                    what: "attempt",
                    after: limit,
                }))
            }),
        None => attempt.await,
    }
}

/// Sends the prepared request, retrying as the retry settings allow; parses the outcome into
/// `output` and returns the HTTP status of the response (waiters' `status` matchers read it).
pub(crate) async fn send_with_retries(
    handle: &HandleInner,
    op: &'static Operation,
    codec: &dyn Codec,
    prepared: &Prepared,
    identity: &Identity,
    output: &mut dyn StructValue,
) -> Result<u16, CallError> {
    let retry = handle.config.retry();
    let client = handle.config.http_client()?.clone();
    let streams_output = crate::protocol::binding::streaming_payload(op.output).is_some();
    let mut taken = 0;
    let mut attempt = 1;
    loop {
        let Some(body) = prepared.body.for_attempt() else {
            // Only a stream an earlier attempt consumed has no body, and such calls are not
            // retried.
            return Err(
                RequestError::Build("the request body was already sent".to_string()).into(),
            );
        };
        let mut request = prepared.request();
        let header = format!("attempt={attempt}; max={}", retry.max_attempts);
        if let Ok(value) = http::HeaderValue::from_str(&header) {
            request.headers_mut().insert("amz-sdk-request", value);
        }
        match identity {
            Identity::Credentials(credentials) => sign(
                op,
                &prepared.auth,
                prepared.payload,
                credentials,
                &mut request,
            )?,
            Identity::Token(token) => auth::add_bearer(token, &mut request)?,
            Identity::Anonymous => {}
        }
        let request = request.map(|_| body);
        let received = exchange(
            &*client,
            request,
            streams_output,
            handle.config.attempt_timeout(),
        )
        .await;
        let (kind, failure) = match received {
            Ok(Received::Streaming(response)) => {
                let status = response.status().as_u16();
                finish_streaming(op, codec, prepared, response, output)?;
                if retry.quota {
                    handle.quota.release(taken);
                }
                return Ok(status);
            }
            Ok(Received::Whole(mut response)) if response.status().is_success() => {
                let verdict =
                    crate::customize::check_success(op, response.status(), response.body());
                match verdict {
                    crate::customize::Verdict::Output => {
                        match finish_output(op, codec, prepared, &mut response, output) {
                            Ok(()) => {
                                if retry.quota {
                                    handle.quota.release(taken);
                                }
                                return Ok(response.status().as_u16());
                            }
                            Err(error) if crate::customize::malformed_success_is_retryable(op) => {
                                // A document cut short: retried like a 500 (botocore).
                                (RetryKind::Transient, error)
                            }
                            Err(error) => return Err(error),
                        }
                    }
                    crate::customize::Verdict::Error(status) => {
                        *response.status_mut() = status;
                        service_failure(op, codec, response)?
                    }
                }
            }
            Ok(Received::Whole(response)) => service_failure(op, codec, response)?,
            Err(SendError::Timeout(e)) => {
                (RetryKind::Transient, CallError::Other(SdkError::Timeout(e)))
            }
            Err(SendError::Transport(e)) => {
                let kind = match e.kind {
                    TransportErrorKind::Connect | TransportErrorKind::Io => RetryKind::Transient,
                    TransportErrorKind::Other => RetryKind::NotRetryable,
                };
                (kind, CallError::Other(SdkError::Transport(e)))
            }
        };
        // A body that was a stream went with the first attempt: no retry can send it.
        if kind == RetryKind::NotRetryable
            || attempt >= retry.max_attempts
            || !prepared.body.can_replay()
        {
            return Err(failure);
        }
        if retry.quota {
            let after_timeout = matches!(failure, CallError::Other(SdkError::Timeout(_)));
            match handle.quota.acquire(after_timeout) {
                Some(cost) => taken += cost,
                None => return Err(failure),
            }
        }
        tokio::time::sleep(retry.backoff(attempt)).await;
        attempt += 1;
    }
}

/// An error response: its code and how it may be retried.
fn service_failure(
    op: &Operation,
    codec: &dyn Codec,
    response: HttpResponse,
) -> Result<(RetryKind, CallError), CallError> {
    let error = codec.parse_error(op, &response)?;
    let modeled = op
        .errors
        .iter()
        .find(|e| e.error_code() == error.code)
        .filter(|e| e.has(ShapeFlags::RETRYABLE))
        .map(|e| e.has(ShapeFlags::THROTTLING));
    let kind = classify_response(&error.code, response.status().as_u16(), modeled);
    Ok((kind, CallError::Service(Box::new((response, error)))))
}

/// Parses a successful response read whole into `output`, checking its checksum first.
fn finish_output(
    op: &Operation,
    codec: &dyn Codec,
    prepared: &Prepared,
    response: &mut HttpResponse,
    output: &mut dyn StructValue,
) -> Result<(), CallError> {
    crate::customize::before_parse(op, response.headers_mut());
    check_whole_body(op, prepared, response)?;
    let custom = crate::customize::parse_output_body(op, response.body(), output)
        .map_err(|message| crate::protocol::ParseError::new(op, response.body(), message))?;
    if custom {
        let head = http::Response::from_parts(response_head(response), bytes::Bytes::new());
        codec.parse_output(op, &head, output)?;
    } else {
        codec.parse_output(op, response, output)?;
    }
    crate::customize::after_parse(op, prepared.state, output);
    Ok(())
}

/// The head of a response, for parsing its headers alone.
fn response_head(response: &HttpResponse) -> http::response::Parts {
    let mut head = http::Response::new(());
    *head.status_mut() = response.status();
    *head.headers_mut() = response.headers().clone();
    head.into_parts().0
}

/// Checks the checksum of a body read whole, when the call asked for it.
#[cfg(feature = "checksums")]
fn check_whole_body(
    op: &Operation,
    prepared: &Prepared,
    response: &HttpResponse,
) -> Result<(), CallError> {
    if let Some((algorithm, expected)) =
        checksum::response_checksum(prepared.response_checksums, response.headers())
    {
        crate::checksum::validate::check(response.body(), algorithm, &expected).map_err(|e| {
            CallError::from(crate::protocol::ParseError::new(
                op,
                response.body(),
                e.to_string(),
            ))
        })?;
    }
    Ok(())
}

#[cfg(not(feature = "checksums"))]
fn check_whole_body(_: &Operation, _: &Prepared, _: &HttpResponse) -> Result<(), CallError> {
    Ok(())
}

/// Parses the head of a successful streaming response into `output` and hands its body to
/// the streaming member, validating its checksum as it is read when the call asked for it.
fn finish_streaming(
    op: &Operation,
    codec: &dyn Codec,
    prepared: &Prepared,
    response: TransportResponse,
    output: &mut dyn StructValue,
) -> Result<(), CallError> {
    let (mut parts, body) = response.into_parts();
    crate::customize::before_parse(op, &mut parts.headers);
    #[cfg(feature = "checksums")]
    let body = match checksum::response_checksum(prepared.response_checksums, &parts.headers) {
        Some((algorithm, expected)) => {
            crate::checksum::validate::validating(body, algorithm, expected)
        }
        None => body,
    };
    let head = http::Response::from_parts(parts, bytes::Bytes::new());
    codec.parse_output(op, &head, output)?;
    crate::customize::after_parse(op, prepared.state, output);
    attach_stream(op, output, body)
        .map_err(|message| crate::protocol::ParseError::streaming(op, message).into())
}

/// Puts a response body into `output`'s streaming payload member.
pub fn attach_stream(
    op: &Operation,
    output: &mut dyn StructValue,
    body: crate::ByteStream,
) -> Result<(), String> {
    let Some(index) = crate::protocol::binding::streaming_payload(op.output) else {
        return Ok(());
    };
    let slot = output
        .member_mut(index)
        .ok_or_else(|| format!("{} has no member #{index}", op.output.name))?;
    slot.set(Scalar::Stream(body)).map_err(|e| e.to_string())
}

/// Runs `future` within the operation timeout, if one is set.
pub(crate) async fn with_timeout<T>(
    limit: Option<Duration>,
    future: impl std::future::Future<Output = Result<T, CallError>>,
) -> Result<T, CallError> {
    match limit {
        Some(limit) => tokio::time::timeout(limit, future)
            .await
            .unwrap_or_else(|_| {
                Err(CallError::Other(SdkError::Timeout(TimeoutError {
                    what: "operation",
                    after: limit,
                })))
            }),
        None => future.await,
    }
}
