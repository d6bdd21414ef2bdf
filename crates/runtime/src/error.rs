//! `SdkError`: what a call returns when it fails, from a typed service error down to a
//! connection that could not be made.

use crate::operation::ServiceError;
use crate::protocol::{ParseError, SerializeError};
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// The error of one operation call. `E` is the operation's error enum, whose variants are
/// the exceptions the model names (plus `Unhandled` for any other service error).
#[derive(Debug)]
pub enum SdkError<E> {
    /// The service answered with an error.
    Service(ServiceFailure<E>),
    /// The input breaks the model's constraints; nothing was sent.
    Validation(ValidationError),
    /// No credentials could be found or loaded.
    Credentials(CredentialsError),
    /// The client's configuration cannot make this request (no region, a bad endpoint, …).
    Config(ConfigError),
    /// The input could not be serialized, or the request could not be signed.
    Request(RequestError),
    /// The call took longer than a configured timeout.
    Timeout(TimeoutError),
    /// The request could not be sent or the response not received.
    Transport(TransportError),
    /// The response does not have the form the model describes.
    Response(ParseError),
    /// The operation needs something this SDK does not implement yet (an event stream);
    /// nothing was sent.
    Unsupported(UnsupportedError),
    /// A paginator cannot go on: a starting token it cannot read, or a service that handed
    /// back the same token twice.
    Pagination(crate::paginate::PaginationError),
}

/// A service error response: the typed error and what the service said.
#[derive(Debug)]
pub struct ServiceFailure<E> {
    pub error: E,
    /// Code, message, request id and HTTP status of the response.
    pub raw: ServiceError,
}

impl<E> SdkError<E> {
    /// The typed error, when the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(failure) => Some(&failure.error),
            _ => None,
        }
    }

    /// The error code of a service error response (e.g. `ValidationError`).
    pub fn code(&self) -> Option<&str> {
        match self {
            SdkError::Service(failure) => Some(&failure.raw.code),
            _ => None,
        }
    }

    /// The request id of a service error response.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(failure) => failure.raw.request_id.as_deref(),
            _ => None,
        }
    }

    /// Maps the typed error, keeping everything else.
    pub fn map_service_error<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::Service(ServiceFailure { error, raw }) => SdkError::Service(ServiceFailure {
                error: f(error),
                raw,
            }),
            SdkError::Validation(e) => SdkError::Validation(e),
            SdkError::Credentials(e) => SdkError::Credentials(e),
            SdkError::Config(e) => SdkError::Config(e),
            SdkError::Request(e) => SdkError::Request(e),
            SdkError::Timeout(e) => SdkError::Timeout(e),
            SdkError::Transport(e) => SdkError::Transport(e),
            SdkError::Response(e) => SdkError::Response(e),
            SdkError::Unsupported(e) => SdkError::Unsupported(e),
            SdkError::Pagination(e) => SdkError::Pagination(e),
        }
    }
}

impl<E> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // `Code: message (request id …)`: what the service said, whatever the typed variant.
            SdkError::Service(failure) => failure.raw.fmt(f),
            SdkError::Validation(e) => e.fmt(f),
            SdkError::Credentials(e) => e.fmt(f),
            SdkError::Config(e) => e.fmt(f),
            SdkError::Request(e) => e.fmt(f),
            SdkError::Timeout(e) => e.fmt(f),
            SdkError::Transport(e) => e.fmt(f),
            SdkError::Response(e) => e.fmt(f),
            SdkError::Unsupported(e) => e.fmt(f),
            SdkError::Pagination(e) => e.fmt(f),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Service(failure) => Some(&failure.error),
            SdkError::Validation(e) => Some(e),
            SdkError::Credentials(e) => Some(e),
            SdkError::Config(e) => Some(e),
            SdkError::Request(e) => Some(e),
            SdkError::Timeout(e) => Some(e),
            SdkError::Transport(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Unsupported(e) => Some(e),
            SdkError::Pagination(e) => Some(e),
        }
    }
}

/// An operation this SDK cannot call yet, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation} cannot be called yet: {what} are not supported yet")]
pub struct UnsupportedError {
    pub operation: String,
    /// What is missing, e.g. `event streams`.
    pub what: String,
}

/// Input that breaks the model's constraints, all problems listed (like botocore's
/// parameter validation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input for {operation}: {}", problems.join("; "))]
pub struct ValidationError {
    pub operation: &'static str,
    pub problems: Vec<String>,
}

pub use crate::credentials::CredentialsError;

/// A configuration mistake (found when building a client or a request, never a panic).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {message}")]
pub struct ConfigError {
    pub message: String,
}

impl ConfigError {
    pub fn new(message: impl Into<String>) -> Self {
        ConfigError {
            message: message.into(),
        }
    }
}

/// The request could not be built or signed.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error(transparent)]
    Serialize(#[from] SerializeError),
    #[error("cannot sign the request: {0}")]
    Signing(String),
    #[error("cannot build the request: {0}")]
    Build(String),
}

/// A configured timeout elapsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} timed out after {after:?}")]
pub struct TimeoutError {
    /// What timed out: `connect`, `attempt` or `operation`.
    pub what: &'static str,
    pub after: Duration,
}

/// The request could not be sent or its response not read.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    pub message: String,
    /// Whether the failure happened before any byte of the request could have reached the
    /// service (connect errors, a pooled connection found closed), so a retry is always safe.
    pub kind: TransportErrorKind,
    #[source]
    pub source: Option<Box<dyn StdError + Send + Sync>>,
}

/// The kinds of transport failure retries care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The connection could not be made (DNS, refused, TLS).
    Connect,
    /// The connection failed while the request or response was in flight.
    Io,
    /// Anything else (a malformed response head, an invalid URI).
    Other,
}

impl TransportError {
    pub fn new(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: Option<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        TransportError {
            message: message.into(),
            kind,
            source,
        }
    }
}
