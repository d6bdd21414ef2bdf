//! `ClientHandle`: what a generated client holds, and the typed shell of the pipeline that
//! each generated method calls with its operation's static descriptor.

use crate::config::Config;
use crate::error::{ConfigError, RequestError, SdkError, ServiceFailure};
use crate::operation::{Operation, OperationError, ServiceError, ServiceInfo};
use crate::pipeline::endpoint::{EndpointResolver, ResolvedEndpoint};
use crate::pipeline::{self, CallError};
use crate::protocol::{self, Codec};
use crate::retry::RetryQuota;
use crate::value::StructValue;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The runtime side of a generated client: configuration, the service, its resolved
/// endpoint URL and retry quota. Cheap to clone.
#[derive(Clone)]
pub struct ClientHandle {
    pub(crate) inner: Arc<HandleInner>,
}

pub(crate) struct HandleInner {
    pub(crate) config: Config,
    pub(crate) service: &'static ServiceInfo,
    /// The endpoint rules bound to the configuration, or why the configuration could not
    /// bind them.
    pub(crate) endpoint: Result<EndpointResolver, ConfigError>,
    pub(crate) quota: RetryQuota,
    /// `User-Agent` (and `x-amz-user-agent`) of every request.
    pub(crate) user_agent: http::HeaderValue,
    /// Endpoints discovered for operations marked `endpointdiscovery`.
    pub(crate) discovered: pipeline::DiscoveryCache,
}

impl HandleInner {
    /// Whether endpoints depend on the account of the credentials (`AWS::Auth::AccountId`).
    pub(crate) fn needs_account_id(&self) -> bool {
        self.endpoint
            .as_ref()
            .is_ok_and(EndpointResolver::needs_account_id)
    }
}

impl fmt::Debug for ClientHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientHandle")
            .field("service", &self.inner.service.service_id)
            .field(
                "endpoint_url",
                &self
                    .inner
                    .config
                    .endpoint_url_for(self.inner.service.service_id),
            )
            .field("config", &self.inner.config)
            .finish()
    }
}

/// A presigned request: the URL, and the method and headers to send with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    pub method: http::Method,
    pub uri: http::Uri,
    /// Headers the request must carry (signed ones besides `host`); often empty.
    pub headers: Vec<(String, String)>,
}

impl ClientHandle {
    pub fn new(config: &Config, service: &'static ServiceInfo) -> Self {
        ClientHandle {
            inner: Arc::new(HandleInner {
                config: config.clone(),
                service,
                endpoint: config
                    .endpoint_url_for(service.service_id)
                    .and_then(|url| EndpointResolver::new(config, service, url)),
                quota: RetryQuota::default(),
                user_agent: pipeline::user_agent(config.app_name()),
                discovered: Default::default(),
            }),
        }
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Where `op` called with `input` would be sent and how it would be signed, from the
    /// service's endpoint rules, without sending anything (nor looking for credentials: an
    /// endpoint that depends on the account, as DynamoDB's may, is resolved without one).
    pub fn resolve_endpoint<E>(
        &self,
        op: &'static Operation,
        input: &dyn StructValue,
    ) -> Result<Arc<ResolvedEndpoint>, SdkError<E>> {
        let resolver = self
            .inner
            .endpoint
            .as_ref()
            .map_err(|e| SdkError::Config(e.clone()))?;
        resolver.resolve(op, input, None).map_err(SdkError::Config)
    }

    /// The codec of the protocol calls use: the one picked in the configuration, else the
    /// service's.
    fn codec<E>(&self) -> Result<&'static dyn Codec, SdkError<E>> {
        let service = self.inner.service;
        let protocol = match self.inner.config.protocol() {
            Some(picked) if service.protocols.contains(&picked) => picked,
            Some(picked) => {
                let listed: Vec<&str> = service.protocols.iter().map(|p| p.name()).collect();
                return Err(SdkError::Config(ConfigError::new(format!(
                    "{} does not speak the {} protocol the configuration picks; its model lists {}",
                    service.service_id,
                    picked.name(),
                    listed.join(", ")
                ))));
            }
            None => service.protocol,
        };
        protocol::codec(protocol).ok_or_else(|| {
            SdkError::Config(ConfigError::new(format!(
                "the {} protocol of {} is not implemented yet",
                protocol.name(),
                service.service_id
            )))
        })
    }

    /// Calls `op` with `input`: validate, resolve the endpoint, serialize, sign, send,
    /// retry, parse.
    pub async fn invoke<I, O, E>(
        &self,
        op: &'static Operation,
        mut input: I,
    ) -> Result<O, SdkError<E>>
    where
        I: StructValue,
        O: StructValue + Default,
        E: OperationError,
    {
        let mut output = O::default();
        self.invoke_into(op, &mut input, &mut output).await?;
        Ok(output)
    }

    /// Calls `op` with an input and an output of any type that matches the operation's
    /// schemas (a `DynValue` of the `model` feature, say): the pipeline of [`ClientHandle::invoke`]
    /// without the generated types. The input may be changed (idempotency tokens filled, a
    /// streaming body taken). Errors come back typed as `E`; with
    /// [`ServiceError`] every service error is its code,
    /// message and request id.
    pub async fn invoke_into<E: OperationError>(
        &self,
        op: &'static Operation,
        input: &mut dyn StructValue,
        output: &mut dyn StructValue,
    ) -> Result<(), SdkError<E>> {
        self.call(op, input, output).await.map(drop)
    }

    /// [`ClientHandle::invoke`] that also returns the HTTP status of the response, which
    /// waiters' `status` matchers compare.
    pub(crate) async fn invoke_with_status<I, O, E>(
        &self,
        op: &'static Operation,
        mut input: I,
    ) -> Result<(O, u16), SdkError<E>>
    where
        I: StructValue,
        O: StructValue + Default,
        E: OperationError,
    {
        let mut output = O::default();
        let status = self.call(op, &mut input, &mut output).await?;
        Ok((output, status))
    }

    /// The pipeline of every call; the HTTP status of the response it parsed into `output`.
    async fn call<E: OperationError>(
        &self,
        op: &'static Operation,
        input: &mut dyn StructValue,
        output: &mut dyn StructValue,
    ) -> Result<u16, SdkError<E>> {
        refuse_event_streams(op)?;
        let codec = self.codec()?;
        let handle = &*self.inner;
        let call = async {
            let (prepared, identity) =
                pipeline::prepare_signed(handle, op, codec, input, false).await?;
            pipeline::send_with_retries(handle, op, codec, &prepared, &identity, output).await
        };
        pipeline::with_timeout(handle.config.operation_timeout(), call)
            .await
            .map_err(|error| typed_error(op, codec, error))
    }

    /// A presigned URL for `op` with `input`, valid for `expires_in` (1 s to 7 days):
    /// anyone holding it can make that one call. Query-protocol calls become a `GET` with
    /// their parameters in the query string, as botocore presigns them.
    pub async fn presign<I, E>(
        &self,
        op: &'static Operation,
        mut input: I,
        expires_in: Duration,
    ) -> Result<PresignedRequest, SdkError<E>>
    where
        I: StructValue,
        E: OperationError,
    {
        refuse_event_streams(op)?;
        let codec = self.codec()?;
        let handle = &*self.inner;
        let (prepared, identity) = pipeline::prepare_signed(handle, op, codec, &mut input, true)
            .await
            .map_err(|e| typed_error(op, codec, e))?;
        let pipeline::Identity::Credentials(credentials) = identity else {
            return Err(SdkError::Request(RequestError::Signing(format!(
                "{} is not signed with SigV4, so it cannot be presigned",
                op.name
            ))));
        };
        let body = prepared.body.bytes().cloned().unwrap_or_default();
        let mut request = http::Request::new(body);
        *request.method_mut() = prepared.method.clone();
        *request.uri_mut() = prepared.uri.clone();
        // The headers the input binds are part of the call: they are signed and the caller
        // sends them. What only a sent request carries (user agent, invocation id, length,
        // `Expect`) is not.
        for (name, value) in &prepared.headers {
            if !PIPELINE_HEADERS.contains(&name.as_str()) {
                request.headers_mut().append(name.clone(), value.clone());
            }
        }
        let is_form = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if is_form {
            // Move the form into the query string: a URL alone must carry the call.
            // The form writes a space as `+` (and a literal `+` as `%2B`); in a URL `%20` is
            // the spelling every reader agrees on.
            let query = String::from_utf8_lossy(request.body()).replace('+', "%20");
            let base = prepared.uri.to_string();
            let joined = if base.contains('?') {
                format!("{base}&{query}")
            } else {
                format!("{base}?{query}")
            };
            *request.uri_mut() = joined.parse().map_err(|e| {
                SdkError::Request(RequestError::Build(format!(
                    "presigned URL `{joined}`: {e}"
                )))
            })?;
            *request.method_mut() = http::Method::GET;
            *request.body_mut() = bytes::Bytes::new();
            request.headers_mut().remove(http::header::CONTENT_TYPE);
        }
        // S3 presigns `UNSIGNED-PAYLOAD` (whoever uses the URL sends the body); other
        // services sign the body the URL carries, empty for a GET (botocore's
        // `S3SigV4QueryAuth` and `SigV4QueryAuth`).
        let payload = if pipeline::body::is_s3_signing(&prepared.auth.signing_name) {
            crate::sigv4::PayloadHash::Unsigned
        } else {
            crate::sigv4::PayloadHash::Body
        };
        let uri = pipeline::presign(
            op,
            &prepared.auth,
            payload,
            &credentials,
            &request,
            expires_in,
        )
        .map_err(SdkError::Request)?;
        let headers = request
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                Some((name.as_str().to_string(), value.to_str().ok()?.to_string()))
            })
            .collect();
        Ok(PresignedRequest {
            method: request.method().clone(),
            uri,
            headers,
        })
    }
}

/// Headers the pipeline adds to every sent request, which a presigned request leaves out.
const PIPELINE_HEADERS: [&str; 7] = [
    "user-agent",
    "x-amz-user-agent",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "content-length",
    "expect",
    "transfer-encoding",
];

/// The modeled exception of an error response that had no body to name one (a `HEAD` 404, so
/// its code is the status): the one exception of the operation with that HTTP status, if
/// there is exactly one.
fn by_status(op: &Operation, raw: &ServiceError) -> Option<usize> {
    let status = raw.status?;
    if raw.code != status.to_string() {
        return None;
    }
    let mut matching = op
        .errors
        .iter()
        .enumerate()
        .filter(|(_, e)| e.error.and_then(|t| t.http_status) == Some(status));
    match (matching.next(), matching.next()) {
        (Some((index, _)), None) => Some(index),
        _ => None,
    }
}

/// Types a failed call for its operation: a modeled exception when the error code names
/// one (its members parsed from the response), `Unhandled` otherwise.
fn typed_error<E: OperationError>(
    op: &'static Operation,
    codec: &dyn Codec,
    error: CallError,
) -> SdkError<E> {
    let (response, parsed) = match error {
        CallError::Other(other) => return other.map_service_error(|never| match never {}),
        CallError::Service(failure) => *failure,
    };
    let raw = ServiceError {
        code: parsed.code.clone(),
        message: parsed.message.clone(),
        request_id: parsed.request_id.clone(),
        status: Some(response.status().as_u16()),
    };
    // A query-compatible service's exception is found by its query-era code when the model
    // gives it one, else by the name the response gave before the swap (botocore's SQS
    // lookup by `QueryErrorCode`).
    let modeled = op
        .errors
        .iter()
        .position(|e| e.error_code() == raw.code)
        .or_else(|| {
            let original = parsed.query_error_code.as_deref()?;
            op.errors.iter().position(|e| e.error_code() == original)
        })
        .or_else(|| by_status(op, &raw))
        .and_then(E::modeled);
    let error = match modeled {
        Some(mut error) => {
            if let Some(payload) = error.payload_mut()
                && let Err(parse) = codec.parse_error_members(op, &response, payload)
            {
                return SdkError::Response(parse);
            }
            error
        }
        None => E::unhandled(raw.clone()),
    };
    SdkError::Service(ServiceFailure { error, raw })
}

/// Refuses an operation whose input or output is an event stream (Kinesis
/// `SubscribeToShard`, Transcribe streaming, S3 `SelectObjectContent`, …), before anything is
/// sent: the runtime does not frame or read event streams yet.
fn refuse_event_streams<E>(op: &Operation) -> Result<(), SdkError<E>> {
    let streams = |schema: &crate::schema::Schema| {
        schema
            .members()
            .iter()
            .any(|m| m.target.has(crate::schema::ShapeFlags::EVENT_STREAM))
    };
    if streams(op.input) || streams(op.output) {
        return Err(SdkError::Unsupported(crate::error::UnsupportedError {
            operation: op.name.to_string(),
            what: "event streams".to_string(),
        }));
    }
    Ok(())
}
