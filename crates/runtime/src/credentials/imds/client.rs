//! [`ImdsClient`]: the instance metadata service as botocore's `IMDSFetcher` talks to it:
//! an IMDSv2 session token, GETs with it, and the IMDSv1 fallback.

use super::fetch::{self, Answer, Failure};
use crate::credentials::{CredentialsError, ProviderContext};
use crate::profile::{Env, ProfileSet, Setting};
use crate::transport::HttpClient;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// The provider's name in errors and [`crate::Credentials::source`].
pub(crate) const NAME: &str = "imds";

const ENDPOINT_IPV4: &str = "http://169.254.169.254";
const ENDPOINT_IPV6: &str = "http://[fd00:ec2::254]";
const TOKEN_PATH: &str = "/latest/api/token";
const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
/// botocore's `IMDSFetcher._TOKEN_TTL`: six hours.
const TOKEN_TTL: Duration = Duration::from_secs(21_600);

const DISABLED: &str = "AWS_EC2_METADATA_DISABLED";
const V1_DISABLED: Setting = Setting::new(
    &["AWS_EC2_METADATA_V1_DISABLED"],
    "ec2_metadata_v1_disabled",
);
const ENDPOINT: Setting = Setting::new(
    &["AWS_EC2_METADATA_SERVICE_ENDPOINT"],
    "ec2_metadata_service_endpoint",
);
const ENDPOINT_MODE: Setting = Setting::new(
    &["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"],
    "ec2_metadata_service_endpoint_mode",
);
const USE_IPV6: Setting = Setting::new(&["AWS_IMDS_USE_IPV6"], "imds_use_ipv6");
const TIMEOUT: Setting = Setting::new(
    &["AWS_METADATA_SERVICE_TIMEOUT"],
    "metadata_service_timeout",
);
const NUM_ATTEMPTS: Setting = Setting::new(
    &["AWS_METADATA_SERVICE_NUM_ATTEMPTS"],
    "metadata_service_num_attempts",
);

/// How to reach the metadata service (botocore's `configprovider.py` names and defaults).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ImdsSettings {
    /// Without a trailing `/`.
    pub(crate) endpoint: String,
    /// Per request: botocore's `metadata_service_timeout`, 1 second.
    pub(crate) timeout: Duration,
    /// Per request: botocore's `metadata_service_num_attempts`, 1.
    pub(crate) attempts: u32,
    pub(crate) v1_disabled: bool,
    /// The lifetime asked for the session token.
    pub(crate) token_ttl: Duration,
}

impl ImdsSettings {
    /// The settings of `env` and the active profile; `None` when `AWS_EC2_METADATA_DISABLED`
    /// is `true`.
    pub(crate) fn resolve(
        env: &Env,
        profiles: &ProfileSet,
    ) -> Result<Option<Self>, CredentialsError> {
        let invalid = |e: crate::profile::ProfileError| {
            CredentialsError::invalid_configuration(NAME, e.to_string())
        };
        // botocore reads only the variable, and anything but `true` (any case) as false.
        if env
            .var(DISABLED)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            return Ok(None);
        }
        let v1_disabled = V1_DISABLED
            .bool(env, profiles)
            .map_err(invalid)?
            .unwrap_or(false);
        let mode = ENDPOINT_MODE
            .parse(env, profiles, "`ipv4` or `ipv6`", |v| {
                let v = v.trim().to_ascii_lowercase();
                (v == "ipv4" || v == "ipv6").then_some(v)
            })
            .map_err(invalid)?;
        let ipv6 = match mode.as_deref() {
            Some(mode) => mode == "ipv6",
            None => USE_IPV6
                .bool(env, profiles)
                .map_err(invalid)?
                .unwrap_or(false),
        };
        // A custom endpoint wins over the mode (botocore warns when both are set).
        let endpoint = match ENDPOINT.lookup(env, profiles).map_err(invalid)? {
            Some(found) => {
                let url = found.value.trim();
                let valid = url
                    .parse::<http::Uri>()
                    .is_ok_and(|u| u.scheme().is_some() && u.host().is_some());
                if !valid {
                    return Err(CredentialsError::invalid_configuration(
                        NAME,
                        format!("{} is not a URL: `{url}`", found.source),
                    ));
                }
                url.trim_end_matches('/').to_owned()
            }
            None if ipv6 => ENDPOINT_IPV6.to_owned(),
            None => ENDPOINT_IPV4.to_owned(),
        };
        // botocore converts with `int()`; a fraction (`0.5`) is accepted here too.
        let timeout = TIMEOUT
            .parse(env, profiles, "a positive number of seconds", |v| {
                v.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
                    .map(Duration::from_secs_f64)
            })
            .map_err(invalid)?
            .unwrap_or(Duration::from_secs(1));
        let attempts = NUM_ATTEMPTS
            .positive_int(env, profiles)
            .map_err(invalid)?
            .unwrap_or(1);
        Ok(Some(ImdsSettings {
            endpoint,
            timeout,
            attempts,
            v1_disabled,
            token_ttl: TOKEN_TTL,
        }))
    }
}

/// Why a GET gave no usable answer.
#[derive(Debug, Clone)]
pub(crate) enum GetError {
    /// Nothing answered (refused, timed out) in any attempt.
    Unreachable { url: String, failure: Failure },
    /// The service answered, with this status, on the last attempt.
    Status {
        url: String,
        status: u16,
        body: String,
    },
    /// The connection broke.
    Broken { url: String, failure: Failure },
    /// The token request failed and IMDSv1 is disabled.
    V1Disabled { url: String, why: String },
    /// The token request was refused as malformed (400), as botocore's `BadIMDSRequestError`.
    BadTokenRequest { url: String },
}

impl GetError {
    /// The error of the provider, for a GET of `what` (e.g. `the role name`).
    pub(crate) fn into_credentials_error(self, what: &str) -> CredentialsError {
        match self {
            GetError::Unreachable { url, failure } => CredentialsError::not_configured(
                NAME,
                format!("no instance metadata service at {url}: {failure}"),
            ),
            GetError::Status { url, status, body } => CredentialsError::provider_failed(
                NAME,
                format!(
                    "getting {what} from {url} failed: status {status}: {}",
                    fetch::excerpt(&body)
                ),
            ),
            GetError::Broken { url, failure } => CredentialsError::provider_failed(
                NAME,
                format!("getting {what} from {url} failed: {failure}"),
            ),
            GetError::V1Disabled { url, why } => CredentialsError::provider_failed(
                NAME,
                format!(
                    "cannot get an IMDSv2 session token from {url} ({why}), and IMDSv1 is \
                     disabled (AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled)"
                ),
            ),
            GetError::BadTokenRequest { url } => CredentialsError::provider_failed(
                NAME,
                format!("the instance metadata service at {url} rejected the token request (400)"),
            ),
        }
    }
}

/// A session token and when to stop using it.
#[derive(Clone)]
struct SessionToken {
    value: http::HeaderValue,
    until: Instant,
}

/// What the token request gave.
enum TokenOutcome {
    Token(http::HeaderValue),
    /// Go on without a token (IMDSv1), for this reason.
    WithoutToken(String, Option<Failure>),
}

/// A client of the metadata service: the settings, the HTTP client, the cached token.
pub(crate) struct ImdsClient {
    settings: ImdsSettings,
    http: Arc<dyn HttpClient>,
    token: Mutex<Option<SessionToken>>,
}

impl std::fmt::Debug for ImdsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImdsClient")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl ImdsClient {
    /// The client for `context`, or `None` when `AWS_EC2_METADATA_DISABLED` is `true`.
    pub(crate) fn from_context(
        context: &ProviderContext,
    ) -> Result<Option<Self>, CredentialsError> {
        let Some(settings) = ImdsSettings::resolve(context.env(), context.profiles())? else {
            return Ok(None);
        };
        let http = context
            .config()
            .http_client()
            .map_err(|e| CredentialsError::invalid_configuration(NAME, e.to_string()))?
            .clone();
        Ok(Some(ImdsClient::new(settings, http)))
    }

    pub(crate) fn new(settings: ImdsSettings, http: Arc<dyn HttpClient>) -> Self {
        ImdsClient {
            settings,
            http,
            token: Mutex::new(None),
        }
    }

    fn url(&self, path: &str) -> Result<http::Uri, GetError> {
        let text = format!("{}{path}", self.settings.endpoint);
        text.parse().map_err(|_| GetError::Broken {
            url: text.clone(),
            failure: Failure::Broken("not a valid URL".to_owned()),
        })
    }

    /// The token for a lookup: the cached one if it is still good, else a new one, or none
    /// (IMDSv1) when the service gives none and IMDSv1 is allowed. A lookup's GETs all use
    /// what this gave, as botocore's do (one token request per lookup).
    pub(crate) async fn token(&self, refresh: bool) -> Result<Option<http::HeaderValue>, GetError> {
        if !refresh {
            let cached = self.token.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(token) = cached.filter(|t| Instant::now() < t.until) {
                return Ok(Some(token.value));
            }
        }
        let url = self.url(TOKEN_PATH)?;
        match self.fetch_token(&url).await? {
            TokenOutcome::Token(value) => Ok(Some(value)),
            TokenOutcome::WithoutToken(why, failure) => {
                if self.settings.v1_disabled {
                    return Err(match failure {
                        // Nothing there at all: not an EC2 instance, whatever v1 says.
                        Some(failure) if failure.is_unreachable() => GetError::Unreachable {
                            url: fetch::redacted(&url),
                            failure,
                        },
                        _ => GetError::V1Disabled {
                            url: fetch::redacted(&url),
                            why,
                        },
                    });
                }
                Ok(None)
            }
        }
    }

    /// botocore's `_fetch_metadata_token`: 200 gives the token; 403, 404 and 405 (IMDSv2
    /// not there or not allowed), a read timeout, and after the attempts any other status or
    /// connection error mean IMDSv1; 400 ends the lookup.
    async fn fetch_token(&self, url: &http::Uri) -> Result<TokenOutcome, GetError> {
        let ttl = self.settings.token_ttl.as_secs().max(1);
        let headers = [(
            http::HeaderName::from_static(TOKEN_TTL_HEADER),
            http::HeaderValue::from(ttl),
        )];
        let mut last = (String::new(), None);
        for _ in 0..self.settings.attempts.max(1) {
            let sent_at = Instant::now();
            let answer = fetch::exchange(
                &*self.http,
                http::Method::PUT,
                url,
                &headers,
                self.settings.timeout,
            )
            .await;
            match answer {
                Ok(Answer {
                    status: 200,
                    headers,
                    body,
                }) => {
                    let Ok(mut value) = http::HeaderValue::from_str(body.trim()) else {
                        last = ("the token is not a valid header value".to_owned(), None);
                        continue;
                    };
                    if body.trim().is_empty() {
                        last = ("the token is empty".to_owned(), None);
                        continue;
                    }
                    value.set_sensitive(true);
                    // The service may grant less than asked (never more); keep a margin for
                    // the clock.
                    let granted = headers
                        .get(TOKEN_TTL_HEADER)
                        .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
                        .unwrap_or(ttl)
                        .min(ttl);
                    let lifetime = Duration::from_secs(granted);
                    let margin = Duration::from_secs(60).min(lifetime / 2);
                    *self.token.lock().unwrap_or_else(|e| e.into_inner()) = Some(SessionToken {
                        value: value.clone(),
                        until: sent_at + lifetime - margin,
                    });
                    return Ok(TokenOutcome::Token(value));
                }
                Ok(Answer { status: 400, .. }) => {
                    return Err(GetError::BadTokenRequest {
                        url: fetch::redacted(url),
                    });
                }
                Ok(Answer {
                    status: status @ 403..=405,
                    ..
                }) => {
                    return Ok(TokenOutcome::WithoutToken(format!("status {status}"), None));
                }
                Ok(Answer { status, .. }) => last = (format!("status {status}"), None),
                // botocore: a read timeout goes straight to IMDSv1.
                Err(failure @ Failure::Timeout(_)) => {
                    return Ok(TokenOutcome::WithoutToken(
                        failure.to_string(),
                        Some(failure),
                    ));
                }
                Err(failure) => last = (failure.to_string(), Some(failure)),
            }
        }
        Ok(TokenOutcome::WithoutToken(last.0, last.1))
    }

    /// GETs `path` (e.g. `/latest/meta-data/placement/region`) with a session token when one
    /// can be had, in up to `attempts` tries; an answer counts when it is 200 with a body.
    /// A 401 (the token expired early or was revoked) gets a new token, once, which
    /// replaces `token` for the rest of the lookup.
    pub(crate) async fn get(
        &self,
        path: &str,
        token: &mut Option<http::HeaderValue>,
    ) -> Result<String, GetError> {
        let url = self.url(path)?;
        let shown = fetch::redacted(&url);
        let mut refreshed = false;
        let mut last = None;
        let mut attempt = 0;
        while attempt < self.settings.attempts.max(1) {
            attempt += 1;
            let headers: Vec<_> = token
                .iter()
                .map(|t| (http::HeaderName::from_static(TOKEN_HEADER), t.clone()))
                .collect();
            let answer = fetch::exchange(
                &*self.http,
                http::Method::GET,
                &url,
                &headers,
                self.settings.timeout,
            )
            .await;
            match answer {
                Ok(answer) if answer.status == 200 && !answer.body.is_empty() => {
                    return Ok(answer.body);
                }
                Ok(answer) if answer.status == 401 && token.is_some() && !refreshed => {
                    refreshed = true;
                    attempt -= 1;
                    *self.token.lock().unwrap_or_else(|e| e.into_inner()) = None;
                    *token = self.token(true).await?;
                    last = Some(GetError::Status {
                        url: shown.clone(),
                        status: 401,
                        body: answer.body,
                    });
                }
                Ok(answer) => {
                    last = Some(GetError::Status {
                        url: shown.clone(),
                        status: answer.status,
                        body: if answer.body.is_empty() {
                            "(empty body)".to_owned()
                        } else {
                            answer.body
                        },
                    });
                }
                Err(failure) if failure.is_unreachable() => {
                    last = Some(GetError::Unreachable {
                        url: shown.clone(),
                        failure,
                    });
                }
                Err(failure) => {
                    last = Some(GetError::Broken {
                        url: shown.clone(),
                        failure,
                    });
                }
            }
        }
        Err(last.unwrap_or(GetError::Broken {
            url: shown,
            failure: Failure::Broken("no attempt was made".to_owned()),
        }))
    }
}
