//! [`ImdsProvider`]: credentials of the EC2 instance's IAM role, from the instance metadata
//! service (IMDSv2, with botocore's IMDSv1 fallback), and [`region`]: the instance's region.
//!
//! | File | What it holds |
//! |---|---|
//! | `mod.rs` | [`ImdsProvider`], [`region`], botocore's expiry extension |
//! | `client.rs` | `ImdsClient`: settings, the session token, GETs with retries |
//! | `fetch.rs` | one request with a deadline, shared with the container provider |
//! | `test_server.rs` | a loopback server for the tests (tests only) |
//!
//! botocore: `InstanceMetadataProvider` (credentials.py), `IMDSFetcher`,
//! `InstanceMetadataFetcher` and `InstanceMetadataRegionFetcher` (utils.py).

mod client;
pub(crate) mod fetch;
#[cfg(test)]
pub(crate) mod test_server;
#[cfg(test)]
mod tests;

use super::{
    Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext,
};
use crate::DateTime;
use client::{GetError, ImdsClient, NAME};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "/latest/meta-data/placement/region";

/// Credentials of the instance's IAM role, from the EC2 instance metadata service.
///
/// Settings, as botocore reads them (environment variable, then the active profile's key):
/// `AWS_EC2_METADATA_DISABLED` (`true`: not configured, no request),
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` / `ec2_metadata_service_endpoint`,
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` / `ec2_metadata_service_endpoint_mode`
/// (`ipv4`: `http://169.254.169.254`, `ipv6`: `http://[fd00:ec2::254]`; the older
/// `AWS_IMDS_USE_IPV6` / `imds_use_ipv6` too), `AWS_EC2_METADATA_V1_DISABLED` /
/// `ec2_metadata_v1_disabled`, `AWS_METADATA_SERVICE_TIMEOUT` / `metadata_service_timeout`
/// (seconds per request, default 1) and `AWS_METADATA_SERVICE_NUM_ATTEMPTS` /
/// `metadata_service_num_attempts` (default 1).
///
/// When nothing answers (not an EC2 instance) or the instance has no IAM role, the provider
/// is not configured, so a chain's error lists it; an answer that is wrong (an error status,
/// a `Code` other than `Success`, malformed JSON) is a failure.
#[derive(Debug, Clone)]
pub struct ImdsProvider {
    context: ProviderContext,
    /// Built on first use and kept, with its session token.
    client: Arc<OnceLock<Result<Option<Arc<ImdsClient>>, CredentialsError>>>,
}

impl ImdsProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        ImdsProvider {
            context,
            client: Arc::default(),
        }
    }

    fn client(&self) -> Result<Option<Arc<ImdsClient>>, CredentialsError> {
        self.client
            .get_or_init(|| Ok(ImdsClient::from_context(&self.context)?.map(Arc::new)))
            .clone()
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(client) = self.client()? else {
            return Err(CredentialsError::not_configured(
                NAME,
                "AWS_EC2_METADATA_DISABLED is true",
            ));
        };
        let mut token = client
            .token(false)
            .await
            .map_err(|e| e.into_credentials_error("a session token"))?;
        let listing = client
            .get(ROLE_PATH, &mut token)
            .await
            .map_err(|e| match e {
                // 200 with an empty body: no role either.
                GetError::Status {
                    url,
                    status: status @ (200 | 404),
                    ..
                } => CredentialsError::not_configured(
                    NAME,
                    format!("the instance has no IAM role: {url} answered {status} with no role"),
                ),
                e => e.into_credentials_error("the name of the instance's IAM role"),
            })?;
        // botocore takes the whole answer as the name; the service lists one role.
        let role = listing.lines().next().unwrap_or_default().trim();
        if role.is_empty() {
            return Err(CredentialsError::not_configured(
                NAME,
                format!("the instance has no IAM role: {ROLE_PATH} is empty"),
            ));
        }
        let valid = role
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
        if !valid {
            return Err(CredentialsError::provider_failed(
                NAME,
                format!(
                    "{ROLE_PATH} answered `{}`, which is not an IAM role name",
                    fetch::excerpt(role)
                ),
            ));
        }
        let what = format!("the credentials of IAM role `{role}`");
        let body = client
            .get(&format!("{ROLE_PATH}{role}"), &mut token)
            .await
            .map_err(|e| e.into_credentials_error(&what))?;
        let jitter = Duration::from_secs(fastrand::u64(120..=600));
        parse_credentials(&body, &what, DateTime::now(), jitter)
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// botocore's `ec2_credential_refresh_window`: the advisory refresh window, 15 minutes
/// (`create_credential_resolver` passes `_DEFAULT_ADVISORY_REFRESH_TIMEOUT`).
const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Reads the JSON of `/latest/meta-data/iam/security-credentials/<role>`.
fn parse_credentials(
    body: &str,
    what: &str,
    now: DateTime,
    jitter: Duration,
) -> Result<Credentials, CredentialsError> {
    let failed = |why: String| CredentialsError::provider_failed(NAME, format!("{what}: {why}"));
    // The serde error names a line and column, never the text (which may hold a secret).
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|e| failed(format!("the answer is not JSON ({e})")))?;
    let object = value
        .as_object()
        .ok_or_else(|| failed("the answer is not a JSON object".to_owned()))?;
    let text = |key: &str| object.get(key).and_then(serde_json::Value::as_str);
    if let Some(code) = text("Code").filter(|code| *code != "Success") {
        let message = text("Message").unwrap_or("no message");
        return Err(failed(format!(
            "the service answered Code `{code}`: {}",
            fetch::excerpt(message)
        )));
    }
    fetch::json_credentials(object, NAME, |expires_at| {
        extend_expiring(expires_at, now, jitter)
    })
    .map_err(|why| failed(format!("the answer {why}")))
}

/// botocore's `InstanceMetadataFetcher._evaluate_expiration` (static stability): when the
/// credentials expire within the refresh window plus a jitter of 2 to 10 minutes (or have
/// already expired: the service can hand out stale credentials while it is impaired), their
/// expiry is moved to now plus that much, so that they are used a while longer and the
/// refreshes of a fleet spread out instead of hammering the service. Surprising but
/// deliberate: the new expiry can be later than the real one; a request signed with
/// credentials that really expired then fails with `ExpiredToken` until the next refresh.
fn extend_expiring(expires_at: DateTime, now: DateTime, jitter: Duration) -> DateTime {
    let offset = (REFRESH_WINDOW + jitter).as_nanos() as i128;
    let extend_from = expires_at.as_nanos() - offset;
    if now.as_nanos() >= extend_from {
        DateTime::from_nanos(now.as_nanos() + offset).unwrap_or(expires_at)
    } else {
        expires_at
    }
}

/// The instance's region from the metadata service (`/latest/meta-data/placement/region`),
/// with the same settings, token and fallback as the credentials; `Ok(None)` when the
/// service is disabled or nothing answers.
///
/// botocore itself reads the availability zone and drops its last letter, which gives a
/// wrong region for Local Zones (`us-west-2-lax-1a`); `placement/region`, which the other
/// SDKs read, is the region. Also unlike botocore, whose IMDS region only feeds
/// `defaults_mode = auto`, the region chain ends with it, as the AWS CLI v2's does.
pub(crate) async fn region(context: &ProviderContext) -> Result<Option<String>, CredentialsError> {
    let Some(client) = ImdsClient::from_context(context)? else {
        return Ok(None);
    };
    let answer = match client.token(false).await {
        Ok(mut token) => client.get(REGION_PATH, &mut token).await,
        Err(e) => Err(e),
    };
    match answer {
        Ok(body) => {
            let region = body.trim();
            let valid = !region.is_empty()
                && region.len() <= 64
                && region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if valid {
                Ok(Some(region.to_owned()))
            } else {
                Err(CredentialsError::provider_failed(
                    NAME,
                    format!(
                        "{REGION_PATH} answered `{}`, which is not a region",
                        fetch::excerpt(region)
                    ),
                ))
            }
        }
        Err(GetError::Unreachable { .. }) => Ok(None),
        Err(e) => Err(e.into_credentials_error("the region")),
    }
}
