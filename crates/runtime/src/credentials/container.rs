//! [`ContainerProvider`]: credentials from the ECS task or EKS Pod Identity endpoint.
//!
//! botocore: `ContainerProvider` (credentials.py) and `ContainerMetadataFetcher` (utils.py).

use super::imds::fetch::{self, Answer};
use super::{
    Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext,
};
use crate::DateTime;
use crate::datetime::TimestampFormat;
use crate::profile::Env;
use std::time::Duration;

/// The provider's name in errors and [`Credentials::source`].
const NAME: &str = "container";

const RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// The ECS endpoint a relative URI is appended to.
const ECS_ENDPOINT: &str = "http://169.254.170.2";
/// The hosts a full `http://` URI may name besides loopback addresses: ECS, EKS Pod
/// Identity (IPv4 and IPv6), `localhost`. Any host is allowed over `https://`.
const ALLOWED_HOSTS: [&str; 4] = [
    "169.254.170.2",
    "169.254.170.23",
    "fd00:ec2::23",
    "localhost",
];

/// botocore's `ContainerMetadataFetcher`: 2 seconds per request, 3 attempts, 1 second
/// between them. Every failure is retried, a 404 and malformed JSON included.
const TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPTS: u32 = 3;
const PAUSE: Duration = Duration::from_secs(1);

/// Credentials from the ECS and EKS container credentials endpoint.
///
/// Configured by `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (a path on
/// `http://169.254.170.2`, set by ECS) or else `AWS_CONTAINER_CREDENTIALS_FULL_URI` (set by
/// EKS Pod Identity, or by hand: over `http://` it must name a loopback address, the ECS or
/// EKS address, or `localhost`). The `Authorization` header is the content of
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every fetch: the agent rotates it), else
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`. The answer's `AccountId` becomes the credentials'
/// account.
#[derive(Debug, Clone)]
pub struct ContainerProvider {
    context: ProviderContext,
    relative_base: String,
    timeout: Duration,
    attempts: u32,
    pause: Duration,
}

impl ContainerProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        ContainerProvider {
            context,
            relative_base: ECS_ENDPOINT.to_owned(),
            timeout: TIMEOUT,
            attempts: ATTEMPTS,
            pause: PAUSE,
        }
    }

    /// The same provider with a relative URI resolved against `base` and other timings
    /// (tests: the ECS address is not loopback, and botocore's pauses are long).
    #[cfg(test)]
    fn for_test(mut self, base: &str, timeout: Duration, pause: Duration) -> Self {
        self.relative_base = base.to_owned();
        self.timeout = timeout;
        self.pause = pause;
        self
    }

    /// The endpoint's URL, or `None` when neither variable is set.
    fn url(&self) -> Result<Option<http::Uri>, CredentialsError> {
        let env = self.context.env();
        let (text, var) = if let Some(relative) = env.var(RELATIVE_URI) {
            (format!("{}{relative}", self.relative_base), RELATIVE_URI)
        } else if let Some(full) = env.var(FULL_URI) {
            (full.trim().to_owned(), FULL_URI)
        } else {
            return Ok(None);
        };
        // The value is not printed: its query may carry a secret.
        let url: http::Uri = text.parse().map_err(|_| {
            CredentialsError::invalid_configuration(NAME, format!("{var} is not a valid URL"))
        })?;
        if var == FULL_URI {
            check_full_uri(&url)?;
        }
        Ok(Some(url))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(url) = self.url()? else {
            return Err(CredentialsError::not_configured(
                NAME,
                format!("neither {RELATIVE_URI} nor {FULL_URI} is set"),
            ));
        };
        let shown = fetch::redacted(&url);
        let client = self
            .context
            .config()
            .http_client()
            .map_err(|e| CredentialsError::invalid_configuration(NAME, e.to_string()))?;
        let mut headers = vec![(
            http::header::ACCEPT,
            http::HeaderValue::from_static("application/json"),
        )];
        if let Some(token) = authorization(self.context.env())? {
            headers.push((http::header::AUTHORIZATION, token));
        }
        let mut why = String::new();
        for attempt in 1..=self.attempts.max(1) {
            if attempt > 1 {
                tokio::time::sleep(self.pause).await;
            }
            let answer =
                fetch::exchange(&**client, http::Method::GET, &url, &headers, self.timeout).await;
            why = match answer {
                Ok(Answer {
                    status: 200, body, ..
                }) => match parse(&body) {
                    Parsed::Credentials(result) => {
                        return result.map_err(|why| {
                            CredentialsError::provider_failed(
                                NAME,
                                format!("the answer of {shown} {why}"),
                            )
                        });
                    }
                    Parsed::NotJson(why) => why,
                },
                Ok(Answer { status, body, .. }) => {
                    format!("status {status}: {}", fetch::excerpt(&body))
                }
                Err(failure) => failure.to_string(),
            };
        }
        Err(CredentialsError::provider_failed(
            NAME,
            format!(
                "getting credentials from {shown} failed after {} attempts: {why}",
                self.attempts.max(1)
            ),
        ))
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// botocore's `_validate_allowed_url`: any host over `https://`; over `http://` a loopback
/// address (127.0.0.0/8, `::1`) or one of [`ALLOWED_HOSTS`].
fn check_full_uri(url: &http::Uri) -> Result<(), CredentialsError> {
    let host = url.host().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match url.scheme_str() {
        Some("https") => return Ok(()),
        Some("http") => {}
        _ => {
            return Err(CredentialsError::invalid_configuration(
                NAME,
                format!("{FULL_URI} must be an http:// or https:// URL"),
            ));
        }
    }
    let loopback = host
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback());
    if loopback || ALLOWED_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Ok(());
    }
    Err(CredentialsError::invalid_configuration(
        NAME,
        format!(
            "{FULL_URI} names host `{host}`: over http:// only a loopback address or one of {} \
             is allowed",
            ALLOWED_HOSTS.join(", ")
        ),
    ))
}

/// The `Authorization` header: the token file's content (read now), else the token variable.
///
/// As botocore, the token is used as it is: a line break in it (a token file ending with a
/// newline included) is an error, not trimmed.
fn authorization(env: &Env) -> Result<Option<http::HeaderValue>, CredentialsError> {
    let (token, source) = if let Some(path) = env.var(TOKEN_FILE) {
        let token = std::fs::read_to_string(path).map_err(|e| {
            CredentialsError::invalid_configuration(
                NAME,
                format!("cannot read {TOKEN_FILE} `{path}`: {e}"),
            )
            .with_source(e)
        })?;
        (token, TOKEN_FILE)
    } else if let Some(token) = env.var(TOKEN) {
        (token.to_owned(), TOKEN)
    } else {
        return Ok(None);
    };
    let illegal = |why: &str| {
        CredentialsError::invalid_configuration(
            NAME,
            format!("the token of {source} is not a legal header value: {why}"),
        )
    };
    if token.contains(['\r', '\n']) {
        return Err(illegal("it holds a line break"));
    }
    let mut value =
        http::HeaderValue::from_str(&token).map_err(|_| illegal("it holds a control character"))?;
    value.set_sensitive(true);
    Ok(Some(value))
}

/// What a 200 answer held.
enum Parsed {
    /// Credentials, or why the JSON does not hold them (not retried, as botocore's
    /// `KeyError`).
    Credentials(Result<Credentials, String>),
    /// Not JSON: retried, as botocore does.
    NotJson(String),
}

fn parse(body: &str) -> Parsed {
    // The serde error names a line and column, never the text (which may hold a secret).
    let value: serde_json::Value = match serde_json::from_str(body) {
        Ok(value) => value,
        Err(e) => return Parsed::NotJson(format!("the answer is not JSON ({e})")),
    };
    Parsed::Credentials(credentials(&value))
}

fn credentials(value: &serde_json::Value) -> Result<Credentials, String> {
    let object = value.as_object().ok_or("is not a JSON object")?;
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
    let expires_at = DateTime::parse(expiration, TimestampFormat::DateTime)
        .map_err(|_| format!("has an `Expiration` that is not an ISO 8601 time: `{expiration}`"))?;
    let credentials = Credentials::new(
        access_key_id,
        secret_access_key,
        Some(token.to_owned()),
        Some(expires_at),
        NAME,
    );
    Ok(match text("AccountId") {
        Some(account) => credentials.with_account_id(account),
        None => credentials,
    })
}
