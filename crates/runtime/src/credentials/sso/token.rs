//! The SSO token cache (`~/.aws/sso/cache/<sha1>.json`, botocore's `SSOTokenLoader`) and
//! [`SsoTokenProvider`], which refreshes a cached token through SSO-OIDC `CreateToken`
//! (botocore's `SSOTokenProvider` and `DeferredRefreshableToken`).

use super::super::service;
use super::super::token::{ProvideToken, Token};
use super::super::{CredentialsError, ProviderContext};
use super::config::{self, TokenConfig};
use super::ops::{CREATE_TOKEN, CreateTokenInput, CreateTokenOutput};
use crate::DateTime;
use crate::datetime::TimestampFormat;
use crate::profile::Env;
use futures_util::future::BoxFuture;
use serde_json::{Map, Value};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// botocore's `SSOTokenProvider._REFRESH_WINDOW`: a cached token this close to expiry is
/// refreshed through `CreateToken` when it is loaded.
const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);
/// `DeferredRefreshableToken`: in this window before expiry a caller tries a refresh but
/// keeps the current token when another caller is refreshing.
const ADVISORY_WINDOW: Duration = Duration::from_secs(15 * 60);
/// In this window callers wait for the refresh.
const MANDATORY_WINDOW: Duration = Duration::from_secs(10 * 60);
/// At most one refresh attempt a minute, so that a failing refresh does not slow every call.
const ATTEMPT_INTERVAL: Duration = Duration::from_secs(60);

/// What botocore tells the user when the token is missing, expired or refused.
pub(super) fn login_hint(profile: &str) -> String {
    format!(
        "To refresh this SSO session run aws sso login with the corresponding profile \
         (`aws sso login --profile {profile}`)."
    )
}

/// The hex SHA-1 of `key`: the cache file's name without `.json`.
pub(super) fn cache_key(key: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, key.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// The cache file of the token for `key` (the session name, or the start URL of a legacy
/// profile) under the home directory of `env`.
pub(super) fn cache_file(
    provider: &'static str,
    env: &Env,
    key: &str,
) -> Result<PathBuf, CredentialsError> {
    let home = env.home().ok_or_else(|| {
        CredentialsError::provider_failed(
            provider,
            "no home directory is known (HOME is not set), so the SSO token cache \
             ~/.aws/sso/cache cannot be found",
        )
    })?;
    Ok(home
        .join(".aws")
        .join("sso")
        .join("cache")
        .join(format!("{}.json", cache_key(key))))
}

/// A token read from the cache, with the whole JSON object it came in.
pub(super) struct CachedToken {
    pub path: PathBuf,
    pub fields: Map<String, Value>,
    pub access_token: String,
    pub expires_at: DateTime,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("path", &self.path)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl CachedToken {
    fn string(&self, key: &str) -> Option<&str> {
        self.fields.get(key).and_then(Value::as_str)
    }
}

/// Reads a cache timestamp: RFC 3339, or the `2020-06-17T10:18:08UTC` that older versions of
/// the AWS CLI wrote (botocore reads both with `dateutil`).
fn parse_cache_time(text: &str) -> Option<DateTime> {
    let text = text.trim();
    let text = match text.strip_suffix("UTC") {
        Some(rest) => format!("{rest}Z"),
        None => text.to_owned(),
    };
    DateTime::parse(&text, TimestampFormat::DateTime).ok()
}

/// Reads the cached token of `name` (a session name or a start URL) from `path`.
pub(super) async fn read_cached_token(
    provider: &'static str,
    profile: &str,
    name: &str,
    path: &Path,
) -> Result<CachedToken, CredentialsError> {
    let bytes = match tokio::fs::read(path).await {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(CredentialsError::provider_failed(
                provider,
                format!(
                    "Error loading SSO Token: Token for {name} does not exist (no file {}). {}",
                    path.display(),
                    login_hint(profile)
                ),
            ));
        }
        Err(error) => {
            return Err(CredentialsError::provider_failed(
                provider,
                format!(
                    "cannot read the SSO token cache file {}: {error}",
                    path.display()
                ),
            )
            .with_source(error));
        }
    };
    let invalid = |why: &str| {
        CredentialsError::provider_failed(
            provider,
            format!(
                "Error loading SSO Token: Token for {name} is invalid: {} {why}. {}",
                path.display(),
                login_hint(profile)
            ),
        )
    };
    // serde_json's syntax errors give a position, never the text, so no token leaks here.
    let fields = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(fields)) => fields,
        Ok(_) => return Err(invalid("is not a JSON object")),
        Err(error) => {
            return Err(invalid(&format!(
                "is not JSON (line {}, column {})",
                error.line(),
                error.column()
            )));
        }
    };
    let Some(access_token) = fields.get("accessToken").and_then(Value::as_str) else {
        return Err(invalid("has no accessToken"));
    };
    let Some(expires_at) = fields.get("expiresAt").and_then(Value::as_str) else {
        return Err(invalid("has no expiresAt"));
    };
    let Some(expires_at) = parse_cache_time(expires_at) else {
        return Err(invalid(
            "has an expiresAt that is not an ISO 8601 timestamp",
        ));
    };
    Ok(CachedToken {
        path: path.to_owned(),
        access_token: access_token.to_owned(),
        expires_at,
        fields,
    })
}

/// Writes `fields` to `path` as botocore's `JSONFileCache` does: into a temporary file of
/// the same directory (readable by the owner only), then renamed over the old file.
pub(super) async fn write_cached_token(
    path: &Path,
    fields: &Map<String, Value>,
) -> std::io::Result<()> {
    let text = serde_json::to_vec(fields).map_err(std::io::Error::other)?;
    let path = path.to_owned();
    let write = move || -> std::io::Result<()> {
        use std::io::Write as _;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let temp = dir.join(format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let result = (|| {
            let mut file = options.open(&temp)?;
            file.write_all(&text)?;
            file.sync_all()?;
            std::fs::rename(&temp, &path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        result
    };
    tokio::task::spawn_blocking(write)
        .await
        .map_err(std::io::Error::other)?
}

/// A bearer token from IAM Identity Center: the token `aws sso login` cached for the
/// profile's `sso_session`, refreshed through SSO-OIDC `CreateToken` when it comes within
/// 15 minutes of expiry (and the client registration has not expired), with the refreshed
/// token written back to the cache file for the AWS CLI and other SDKs to use.
///
/// For the `smithy.api#httpBearerAuth` services that take an SSO token (CodeCatalyst). The
/// [`SsoProvider`](super::SsoProvider) uses one for its `sso_session` profiles.
///
/// A profile without `sso_session` is [not
/// configured](super::super::CredentialsErrorKind::NotConfigured) for it (legacy SSO profiles
/// have no refreshable token). A failed refresh keeps the cached token while it has not
/// expired, as botocore does; an expired token is an error that says to run `aws sso login`.
#[derive(Clone)]
pub struct SsoTokenProvider {
    shared: Arc<Shared>,
}

struct Shared {
    context: ProviderContext,
    /// The provider's name in errors: `sso-token`, or `sso` inside the credential provider.
    name: &'static str,
    current: Mutex<Option<Current>>,
    /// Held by the one caller that refreshes.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Current {
    token: Token,
    /// No refresh is attempted before this instant.
    next_refresh: DateTime,
}

#[derive(Debug, PartialEq, Eq)]
enum Refresh {
    None,
    Advisory,
    Mandatory,
}

impl fmt::Debug for SsoTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoTokenProvider")
            .field("profile", &self.shared.context.profile_name())
            .finish_non_exhaustive()
    }
}

fn plus(at: DateTime, duration: Duration) -> DateTime {
    DateTime::from_nanos(at.as_nanos() + duration.as_nanos() as i128).unwrap_or(at)
}

impl SsoTokenProvider {
    /// The token of `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        Self::named(context, "sso-token")
    }

    pub(super) fn named(context: ProviderContext, name: &'static str) -> Self {
        SsoTokenProvider {
            shared: Arc::new(Shared {
                context,
                name,
                current: Mutex::new(None),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    fn current(&self) -> Option<Current> {
        self.shared
            .current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn refresh_kind(current: Option<&Current>, now: DateTime) -> Refresh {
        let Some(current) = current else {
            return Refresh::Mandatory;
        };
        let Some(expiry) = current.token.expires_at() else {
            return Refresh::None;
        };
        // botocore waits for `next_refresh` even past expiry; an expired token is of no
        // use to anyone, so it is always refreshed (re-read from the cache, at least).
        if expiry <= now {
            return Refresh::Mandatory;
        }
        if now < current.next_refresh {
            return Refresh::None;
        }
        let remaining = expiry.as_nanos() - now.as_nanos();
        if remaining < MANDATORY_WINDOW.as_nanos() as i128 {
            Refresh::Mandatory
        } else if remaining < ADVISORY_WINDOW.as_nanos() as i128 {
            Refresh::Advisory
        } else {
            Refresh::None
        }
    }

    /// The token, refreshed as botocore's `DeferredRefreshableToken` refreshes it.
    pub async fn token(&self) -> Result<Token, CredentialsError> {
        let shared = &self.shared;
        let config = config::token_config(
            shared.name,
            shared.context.profiles(),
            shared.context.profile_name(),
        )?
        .ok_or_else(|| {
            CredentialsError::not_configured(
                shared.name,
                format!(
                    "profile `{}` has no sso_session",
                    shared.context.profile_name()
                ),
            )
        })?;
        let current = self.current();
        let kind = Self::refresh_kind(current.as_ref(), DateTime::now());
        let _guard = match (kind, &current) {
            (Refresh::None, Some(current)) => return Ok(current.token.clone()),
            (Refresh::Advisory, Some(current)) => match shared.refreshing.try_lock() {
                Ok(guard) => guard,
                Err(_) => return Ok(current.token.clone()),
            },
            _ => shared.refreshing.lock().await,
        };
        // Another caller may have refreshed while this one waited.
        let current = self.current();
        let now = DateTime::now();
        let kind = Self::refresh_kind(current.as_ref(), now);
        if let (Refresh::None, Some(current)) = (&kind, &current) {
            return Ok(current.token.clone());
        }
        match self.load(&config, now).await {
            Ok(token) => {
                *shared
                    .current
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Current {
                    token: token.clone(),
                    next_refresh: plus(now, ATTEMPT_INTERVAL),
                });
                Ok(token)
            }
            Err(error) => match current {
                // An advisory refresh that fails keeps the current token.
                Some(current) if kind == Refresh::Advisory => {
                    if let Some(slot) = shared
                        .current
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .as_mut()
                    {
                        slot.next_refresh = plus(now, ATTEMPT_INTERVAL);
                    }
                    Ok(current.token)
                }
                _ => Err(error),
            },
        }
    }

    /// botocore's `SSOTokenProvider._refresher`: the cached token, refreshed through
    /// `CreateToken` when it is within [`REFRESH_WINDOW`] of expiry.
    async fn load(&self, config: &TokenConfig, now: DateTime) -> Result<Token, CredentialsError> {
        let shared = &self.shared;
        let profile = shared.context.profile_name();
        let path = cache_file(shared.name, shared.context.env(), &config.session)?;
        let cached = read_cached_token(shared.name, profile, &config.session, &path).await?;
        let remaining = cached.expires_at.as_nanos() - now.as_nanos();
        let mut why_not_refreshed = None;
        if remaining < REFRESH_WINDOW.as_nanos() as i128 {
            match self.refresh(config, &cached, now).await {
                Ok(token) => return Ok(token),
                Err(why) => why_not_refreshed = Some(why),
            }
        }
        if cached.expires_at <= now {
            let why = why_not_refreshed
                .map(|why| format!(" ({why})"))
                .unwrap_or_default();
            return Err(CredentialsError::provider_failed(
                shared.name,
                format!(
                    "The SSO token for sso-session `{}` in {} expired at {} and could not be \
                     refreshed{why}. {}",
                    config.session,
                    path.display(),
                    cached.expires_at,
                    login_hint(profile)
                ),
            ));
        }
        Ok(Token::new(
            cached.access_token,
            Some(cached.expires_at),
            "sso",
        ))
    }

    /// botocore's `_refresh_access_token`: `Err` says why no refresh was possible.
    async fn refresh(
        &self,
        config: &TokenConfig,
        cached: &CachedToken,
        now: DateTime,
    ) -> Result<Token, String> {
        let keys = [
            "refreshToken",
            "clientId",
            "clientSecret",
            "registrationExpiresAt",
        ];
        let missing: Vec<_> = keys
            .into_iter()
            .filter(|key| cached.string(key).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "the cache file has no {} to refresh it with",
                missing.join(", ")
            ));
        }
        let registration = cached.string("registrationExpiresAt").unwrap_or_default();
        match parse_cache_time(registration) {
            Some(at) if at > now => {}
            Some(at) => return Err(format!("the client registration expired at {at}")),
            None => return Err("registrationExpiresAt is not an ISO 8601 timestamp".into()),
        }
        let input = CreateTokenInput {
            client_id: cached.string("clientId").unwrap_or_default().to_owned(),
            client_secret: cached.string("clientSecret").unwrap_or_default().to_owned(),
            grant_type: "refresh_token".to_owned(),
            refresh_token: cached.string("refreshToken").map(str::to_owned),
        };
        let output: CreateTokenOutput = service::call(
            &self.shared.context,
            &CREATE_TOKEN,
            Some(&config.region),
            None,
            input,
        )
        .await
        .map_err(|error| format!("SSO-OIDC CreateToken in {} failed: {error}", config.region))?;
        let (Some(access_token), Some(expires_in)) = (output.access_token, output.expires_in)
        else {
            return Err("SSO-OIDC CreateToken answered without accessToken or expiresIn".into());
        };
        let expires_at = plus(
            DateTime::from_secs(now.secs()),
            Duration::from_secs(u64::try_from(expires_in).unwrap_or(0)),
        );
        let mut fields = cached.fields.clone();
        let mut set = |key: &str, value: String| {
            fields.insert(key.to_owned(), Value::String(value));
        };
        set("startUrl", config.start_url.clone());
        set("region", config.region.clone());
        set("accessToken", access_token.clone());
        // botocore writes `%Y-%m-%dT%H:%M:%SZ`: whole seconds.
        set("expiresAt", expires_at.format(TimestampFormat::DateTime));
        // botocore drops the old refresh token when the response has no new one; OAuth 2.0
        // (RFC 6749, section 6) says the old one then stays valid, so it is kept.
        if let Some(refresh_token) = output.refresh_token {
            set("refreshToken", refresh_token);
        }
        // The refreshed token is good whether or not the cache can be written; a failed
        // write only means the next process refreshes again (botocore would raise).
        let _ = write_cached_token(&cached.path, &fields).await;
        Ok(Token::new(access_token, Some(expires_at), "sso"))
    }
}

impl ProvideToken for SsoTokenProvider {
    fn provide_token(&self) -> BoxFuture<'_, Result<Token, CredentialsError>> {
        Box::pin(self.token())
    }
}
