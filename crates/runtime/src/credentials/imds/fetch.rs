//! One small HTTP exchange with a metadata endpoint (IMDS, the container endpoint): a
//! request with a deadline, the whole (small) body read, and a failure sorted into
//! "nothing answered" and "something answered badly".
//!
//! These calls do not go through the AWS pipeline: no signing, no retries of its own (each
//! provider retries as botocore does), just the configuration's HTTP client.

use crate::ByteStream;
use crate::error::TransportErrorKind;
use crate::transport::{HttpClient, SendError};
use std::fmt;
use std::time::Duration;

/// A response, read whole. `Debug` leaves the body out: it may hold credentials.
#[derive(Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: String,
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answer")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// Why an exchange gave no [`Answer`].
#[derive(Debug, Clone)]
pub(crate) enum Failure {
    /// The connection could not be made (refused, no route, DNS, a connect timeout).
    Connect(String),
    /// No complete answer within the deadline.
    Timeout(Duration),
    /// The connection broke or the answer could not be read (not UTF-8, too large).
    Broken(String),
}

impl Failure {
    /// Whether nothing is there to answer: a refused connection or a deadline passed.
    pub(crate) fn is_unreachable(&self) -> bool {
        matches!(self, Failure::Connect(_) | Failure::Timeout(_))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Connect(why) => write!(f, "cannot connect: {why}"),
            Failure::Timeout(after) => write!(f, "no answer within {after:?}"),
            Failure::Broken(why) => f.write_str(why),
        }
    }
}

/// Metadata answers are a few hundred bytes; anything past this is not one.
const MAX_BODY: usize = 64 * 1024;

/// Sends `method url` with `headers` and reads the whole answer, all within `timeout`.
pub(crate) async fn exchange(
    client: &dyn HttpClient,
    method: http::Method,
    url: &http::Uri,
    headers: &[(http::HeaderName, http::HeaderValue)],
    timeout: Duration,
) -> Result<Answer, Failure> {
    let mut request = http::Request::new(ByteStream::new());
    *request.method_mut() = method;
    *request.uri_mut() = url.clone();
    for (name, value) in headers {
        request.headers_mut().insert(name.clone(), value.clone());
    }
    if let Some(host) = host_header(url) {
        request.headers_mut().insert(http::header::HOST, host);
    }
    let work = async {
        let response = client.send(request).await.map_err(|e| match e {
            SendError::Transport(e) if e.kind == TransportErrorKind::Connect => {
                Failure::Connect(e.message)
            }
            SendError::Transport(e) => Failure::Broken(e.message),
            SendError::Timeout(_) => Failure::Timeout(timeout),
        })?;
        let (head, mut body) = response.into_parts();
        let mut bytes = Vec::new();
        while let Some(chunk) = body.next_chunk().await {
            let chunk = chunk.map_err(|e| Failure::Broken(format!("reading the answer: {e}")))?;
            if bytes.len() + chunk.len() > MAX_BODY {
                return Err(Failure::Broken(format!(
                    "the answer is larger than {MAX_BODY} bytes"
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        let body = String::from_utf8(bytes)
            .map_err(|_| Failure::Broken("the answer is not UTF-8".to_owned()))?;
        Ok(Answer {
            status: head.status.as_u16(),
            headers: head.headers,
            body,
        })
    };
    tokio::time::timeout(timeout, work)
        .await
        .unwrap_or(Err(Failure::Timeout(timeout)))
}

/// The credentials in the JSON object a metadata endpoint answers with (IMDS, the container
/// endpoint): `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration` (ISO 8601, passed
/// through `expiry` first) and, when present, `AccountId`. The error completes "the answer
/// …" and names the field, never a value that could be a secret.
pub(crate) fn json_credentials(
    object: &serde_json::Map<String, serde_json::Value>,
    source: &'static str,
    expiry: impl FnOnce(crate::DateTime) -> crate::DateTime,
) -> Result<crate::Credentials, String> {
    let text = |key: &str| object.get(key).and_then(serde_json::Value::as_str);
    let field = |key: &str| {
        text(key)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("has no `{key}`"))
    };
    let access_key_id = field("AccessKeyId")?;
    let secret_access_key = field("SecretAccessKey")?;
    let token = field("Token")?;
    let expiration = field("Expiration")?;
    let expires_at = crate::DateTime::parse(expiration, crate::datetime::TimestampFormat::DateTime)
        .map_err(|_| format!("has an `Expiration` that is not an ISO 8601 time: `{expiration}`"))?;
    let credentials = crate::Credentials::new(
        access_key_id,
        secret_access_key,
        Some(token.to_owned()),
        Some(expiry(expires_at)),
        source,
    );
    Ok(match text("AccountId") {
        Some(account) => credentials.with_account_id(account),
        None => credentials,
    })
}

/// `Host` for `url` (hyper's client sets it too, but another [`HttpClient`] may not).
/// Never the user info of the URL: `Host` is the host and port alone.
fn host_header(url: &http::Uri) -> Option<http::HeaderValue> {
    let authority = url.authority()?;
    let host = match authority.port() {
        Some(port) => format!("{}:{port}", authority.host()),
        None => authority.host().to_owned(),
    };
    http::HeaderValue::from_str(&host).ok()
}

/// `url` without its query and user info, for messages: a query may carry a secret.
pub(crate) fn redacted(url: &http::Uri) -> String {
    let mut out = String::new();
    if let Some(scheme) = url.scheme_str() {
        out.push_str(scheme);
        out.push_str("://");
    }
    if let Some(authority) = url.authority() {
        let host_port = authority.as_str().rsplit('@').next().unwrap_or_default();
        out.push_str(host_port);
    }
    out.push_str(url.path());
    if url.query().is_some() {
        out.push_str("?…");
    }
    out
}

/// At most the first 200 characters of a body, on one line, for an error message.
pub(crate) fn excerpt(body: &str) -> String {
    let one_line: String = body
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    if body.trim().chars().count() > 200 {
        format!("{one_line}…")
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_drops_the_query_and_user_info() {
        let url: http::Uri = "http://user:pw@127.0.0.1:8080/creds?token=abc"
            .parse()
            .unwrap();
        assert_eq!(redacted(&url), "http://127.0.0.1:8080/creds?…");
        let url: http::Uri = "http://169.254.170.2/v2/credentials/x".parse().unwrap();
        assert_eq!(redacted(&url), "http://169.254.170.2/v2/credentials/x");
    }

    #[test]
    fn an_excerpt_is_short_and_on_one_line() {
        assert_eq!(excerpt(" a\nb "), "a b");
        let long = "x".repeat(300);
        assert_eq!(excerpt(&long).chars().count(), 201);
    }
}
