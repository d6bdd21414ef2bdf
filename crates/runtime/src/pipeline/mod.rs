//! The request pipeline, one stage per module, in the order a request takes:
//! validate -> endpoint -> serialize -> compress -> sign -> send -> retry -> parse.
//!
//! Everything here works on `&dyn StructValue` through the operation's static descriptor;
//! the typed shell around it is [`crate::client::ClientHandle::invoke`], a few lines per
//! operation type.

pub mod compress;
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
use crate::value::{Scalar, StructValue};
use bytes::Bytes;
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
    pub body: Bytes,
    /// How the endpoint asks requests to be signed.
    pub auth: endpoint::AuthScheme,
}

/// Room for the headers signing adds to an attempt (`x-amz-date` and `authorization`, and
/// for some credentials, services and requests `x-amz-security-token`,
/// `x-amz-content-sha256`, `x-amz-region-set`, `host`).
pub const SIGNING_HEADERS: usize = 6;

impl Prepared {
    /// The request of one attempt. Its header map has room for the signature's headers: a
    /// clone would be full, and signing would grow it (a reallocation and rehash per call).
    fn request(&self) -> HttpRequest {
        let mut request = http::Request::new(self.body.clone());
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

/// Validates, resolves the endpoint and serializes: everything before the first attempt.
pub(crate) fn prepare(
    handle: &HandleInner,
    op: &'static Operation,
    codec: &dyn Codec,
    input: &mut dyn StructValue,
) -> Result<Prepared, CallError> {
    fill_idempotency_tokens(op, input);
    let problems = validate::validate(input);
    if !problems.is_empty() {
        return Err(ValidationError {
            operation: op.name,
            problems,
        }
        .into());
    }
    let endpoint = handle
        .endpoint
        .as_ref()
        .map_err(Clone::clone)?
        .resolve(op, input)?;
    let prefix =
        crate::protocol::binding::host_prefix(op, input).map_err(|problem| ValidationError {
            operation: op.name,
            problems: vec![problem],
        })?;
    let mut request = codec.serialize(op, input).map_err(RequestError::from)?;
    compress::compress(op, &mut request, compress::DEFAULT_MIN_COMPRESSION_SIZE)?;
    let (parts, body) = request.into_parts();
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
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
    headers.insert(
        http::header::CONTENT_LENGTH,
        http::HeaderValue::from(body.len()),
    );
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

/// Whether the operation is signed at all.
fn is_signed(op: &Operation) -> bool {
    let auth = if op.auth.is_empty() {
        op.service.auth
    } else {
        op.auth
    };
    op.auth_type != Some("none") && !auth.contains(&"smithy.api#noAuth")
}

/// How requests of `op` to an endpoint asking for `auth` are signed.
pub(crate) fn signing_settings(
    op: &Operation,
    auth: &endpoint::AuthScheme,
) -> sigv4::SigningSettings {
    let mut settings = if op.service.signing_name == "s3" {
        sigv4::SigningSettings::s3()
    } else {
        sigv4::SigningSettings::default()
    };
    if auth.disable_double_encoding {
        settings.uri_encoding = sigv4::UriEncoding::Single;
    }
    if op.auth_type == Some("v4-unsigned-body") || op.unsigned_payload {
        settings.payload = sigv4::PayloadHash::Unsigned;
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
    credentials: &Credentials,
    f: impl FnOnce(Signer<'_>) -> Result<T, SigningError>,
) -> Result<T, RequestError> {
    let settings = signing_settings(op, auth);
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
    credentials: &Credentials,
    request: &mut HttpRequest,
) -> Result<(), RequestError> {
    with_signer(op, auth, credentials, |signer| match signer {
        Signer::V4(params) => sigv4::sign(request, &params),
        #[cfg(feature = "sigv4a")]
        Signer::V4a(params) => sigv4a::sign(request, &params),
    })
}

/// Presigns `request` as the endpoint's auth scheme asks, valid for `expires_in`.
pub(crate) fn presign(
    op: &Operation,
    auth: &endpoint::AuthScheme,
    credentials: &Credentials,
    request: &HttpRequest,
    expires_in: Duration,
) -> Result<http::Uri, RequestError> {
    with_signer(op, auth, credentials, |signer| match signer {
        Signer::V4(params) => sigv4::presign(request, &params, expires_in),
        #[cfg(feature = "sigv4a")]
        Signer::V4a(params) => sigv4a::presign(request, &params, expires_in),
    })
}

pub(crate) async fn credentials(
    handle: &HandleInner,
    op: &Operation,
) -> Result<Option<Credentials>, CallError> {
    if !is_signed(op) {
        return Ok(None);
    }
    let provider = handle.config.credentials_provider().ok_or_else(|| {
        crate::error::CredentialsError::new(
            "no credentials provider is configured: use Config::from_env() or Config::builder().credentials(..)",
        )
    })?;
    Ok(Some(provider.provide_credentials().await?))
}

/// Sends the prepared request, retrying as the retry settings allow; parses the outcome.
pub(crate) async fn send_with_retries(
    handle: &HandleInner,
    op: &'static Operation,
    codec: &dyn Codec,
    prepared: &Prepared,
    credentials: Option<&Credentials>,
    output: &mut dyn StructValue,
) -> Result<(), CallError> {
    let retry = handle.config.retry();
    let client = handle.config.http_client()?.clone();
    let mut taken = 0;
    let mut attempt = 1;
    loop {
        let mut request = prepared.request();
        let header = format!("attempt={attempt}; max={}", retry.max_attempts);
        if let Ok(value) = http::HeaderValue::from_str(&header) {
            request.headers_mut().insert("amz-sdk-request", value);
        }
        if let Some(credentials) = credentials {
            sign(op, &prepared.auth, credentials, &mut request)?;
        }
        let (kind, failure) = match client.send(request).await {
            Ok(response) if response.status().is_success() => {
                codec.parse_output(op, &response, output)?;
                if retry.quota {
                    handle.quota.release(taken);
                }
                return Ok(());
            }
            Ok(response) => {
                let error = codec.parse_error(op, &response)?;
                let modeled = op
                    .errors
                    .iter()
                    .find(|e| e.error_code() == error.code)
                    .filter(|e| e.has(ShapeFlags::RETRYABLE))
                    .map(|e| e.has(ShapeFlags::THROTTLING));
                let kind = classify_response(&error.code, response.status().as_u16(), modeled);
                (kind, CallError::Service(Box::new((response, error))))
            }
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
        if kind == RetryKind::NotRetryable || attempt >= retry.max_attempts {
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
