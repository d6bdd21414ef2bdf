//! Sending requests: the [`HttpClient`] trait, the default hyper client, and a stub for
//! tests that call AWS without a network.
//!
//! Bodies stream both ways: a request's body is a [`ByteStream`] (bytes in memory, a file, or
//! a stream), and a response arrives as soon as its head does, its body a [`ByteStream`] the
//! pipeline reads whole, or hands to the caller for streaming outputs (S3's `GetObject`).

use crate::ByteStream;
use crate::error::{ConfigError, TimeoutError, TransportError, TransportErrorKind};
use crate::protocol::{HttpRequest, HttpResponse};
use bytes::Bytes;
use futures_util::future::BoxFuture;
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A request as the transport sends it.
pub type TransportRequest = http::Request<ByteStream>;

/// A response as the transport receives it: the head, and the body still to read.
pub type TransportResponse = http::Response<ByteStream>;

/// Why one attempt failed before a response arrived.
#[derive(Debug)]
pub enum SendError {
    Transport(TransportError),
    Timeout(TimeoutError),
}

/// Sends one request and returns the response once its head has arrived.
///
/// Implement it to plug in another HTTP stack, or use [`StubClient`] in tests. The pipeline
/// applies the attempt and operation timeouts around it, so an implementation needs none of
/// its own (but a connect timeout).
pub trait HttpClient: Send + Sync + fmt::Debug {
    fn send(
        &self,
        request: TransportRequest,
    ) -> BoxFuture<'_, Result<TransportResponse, SendError>>;
}

/// Timeouts of the default client. (The attempt and operation timeouts are the pipeline's:
/// see [`crate::config::ConfigBuilder::attempt_timeout`].)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransportTimeouts {
    /// Establishing a connection (TCP and TLS).
    pub connect: Duration,
}

impl Default for TransportTimeouts {
    fn default() -> Self {
        TransportTimeouts {
            connect: Duration::from_secs(10),
        }
    }
}

/// The size of every read from a connection. hyper's default grows its buffer up to about
/// 400 KiB for a large body, past the CPU's L2 cache. Measured with the `get-object` bench
/// (1 GiB over loopback), back to back: 4.3-4.4 GB/s and 7.7-7.9 MiB peak with the default,
/// 5.6-5.9 GB/s and 6.5-6.6 MiB with 128 KiB reads (64 KiB and 256 KiB were both slower);
/// small responses and 32 concurrent calls stayed where they were.
const READ_BUF: usize = 128 * 1024;

type Connector = hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>;

/// The default client: hyper with a connection pool, rustls (ring, webpki roots) for
/// `https://`, plain HTTP for `http://` (local endpoints); HTTP/1.1, as botocore.
#[derive(Clone)]
pub struct HyperClient {
    client: hyper_util::client::legacy::Client<Connector, ByteStream>,
    timeouts: TransportTimeouts,
}

impl fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperClient")
            .field("timeouts", &self.timeouts)
            .finish()
    }
}

impl HyperClient {
    /// A client with these timeouts. Needs a Tokio runtime when requests are sent.
    pub fn new(timeouts: TransportTimeouts) -> Result<Self, ConfigError> {
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(timeouts.connect));
        http.set_nodelay(true);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| {
                ConfigError::new(format!("cannot set up TLS with the ring provider: {e}"))
            })?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .pool_idle_timeout(Duration::from_secs(90))
                .http1_read_buf_exact_size(READ_BUF)
                // A request sent on a pooled connection the server had already closed is resent
                // on a new one: nothing of it reached the service.
                .retry_canceled_requests(true)
                .build(connector);
        Ok(HyperClient { client, timeouts })
    }
}

impl HttpClient for HyperClient {
    fn send(
        &self,
        request: TransportRequest,
    ) -> BoxFuture<'_, Result<TransportResponse, SendError>> {
        Box::pin(async move {
            let response = self.client.request(request).await.map_err(|e| {
                // The request's own body failing (a stream's error, a length it did not keep)
                // is not the network's: sending it again would not help.
                let kind = if e.is_connect() {
                    TransportErrorKind::Connect
                } else if body_error(&e) {
                    TransportErrorKind::Other
                } else {
                    TransportErrorKind::Io
                };
                let message = format!("sending the request failed: {}", error_chain(&e));
                SendError::Transport(TransportError::new(kind, message, Some(Box::new(e))))
            })?;
            Ok(response.map(ByteStream::from_body))
        })
    }
}

/// Whether a send failed because the request's body failed.
fn body_error(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(cause) = source {
        if cause.is::<crate::bytestream::ByteStreamError>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// The error and its causes, joined (hyper's top-level messages alone say little).
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let message = cause.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = cause.source();
    }
    text
}

/// A canned response for [`StubClient`].
pub type StubResponse = Result<HttpResponse, SendError>;

/// An [`HttpClient`] that answers from a queue of canned responses and records every
/// request (its body read whole), to unit-test code that calls AWS without a network (like
/// botocore's Stubber).
///
/// ```
/// use stratus_runtime::transport::StubClient;
/// let stub = StubClient::new();
/// stub.push_response(200, "<DescribeThingsResponse/>");
/// // Build a Config with `.http_client(stub.clone())`, call the client, then:
/// assert_eq!(stub.requests().len(), 0); // nothing sent yet in this example
/// ```
#[derive(Clone, Default)]
pub struct StubClient {
    inner: Arc<Mutex<StubState>>,
}

#[derive(Default)]
struct StubState {
    responses: VecDeque<StubResponse>,
    requests: Vec<HttpRequest>,
}

impl fmt::Debug for StubClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("StubClient")
            .field("queued", &state.responses.len())
            .field("recorded", &state.requests.len())
            .finish()
    }
}

impl StubClient {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, StubState> {
        // A panic while holding the lock cannot leave the queue half-updated.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues a response with this status and body. A status outside 100..=999 is queued as
    /// a transport error that says so, rather than as some other response.
    pub fn push_response(&self, status: u16, body: impl Into<Bytes>) -> &Self {
        let response = http::Response::builder()
            .status(status)
            .body(body.into())
            .map_err(|e| {
                SendError::Transport(TransportError::new(
                    TransportErrorKind::Other,
                    format!("the stub response has an invalid status {status}: {e}"),
                    None,
                ))
            });
        self.push(response)
    }

    /// Queues any canned outcome (a full response, or a transport error or timeout).
    pub fn push(&self, response: StubResponse) -> &Self {
        self.lock().responses.push_back(response);
        self
    }

    /// Every request sent so far, bodies read whole.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.lock().requests.clone()
    }
}

impl HttpClient for StubClient {
    fn send(
        &self,
        request: TransportRequest,
    ) -> BoxFuture<'_, Result<TransportResponse, SendError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.collect().await.map_err(|e| {
                SendError::Transport(TransportError::new(
                    TransportErrorKind::Io,
                    format!("the stub client could not read the request body: {e}"),
                    Some(Box::new(e)),
                ))
            })?;
            let mut state = self.lock();
            state.requests.push(http::Request::from_parts(parts, body));
            let response = state.responses.pop_front().unwrap_or_else(|| {
                Err(SendError::Transport(TransportError::new(
                    TransportErrorKind::Other,
                    "the stub client has no response queued for this request",
                    None,
                )))
            });
            response.map(|response| response.map(ByteStream::from))
        })
    }
}
