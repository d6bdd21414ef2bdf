//! Credentials: the key pair that signs requests, the bearer tokens some services take, and
//! the providers that find them as the AWS CLI does.
//!
//! | File | What it holds |
//! |---|---|
//! | `mod.rs` | [`Credentials`], [`ProvideCredentials`], [`ProviderContext`] |
//! | `error.rs` | [`CredentialsError`]: which provider failed, how, and why |
//! | `cache.rs` | [`CachedProvider`]: one refresh for many callers, before expiry |
//! | `chain.rs` | [`CredentialsChain`] and the [default chain](default_chain) in botocore's order |
//! | `env.rs` | [`EnvProvider`]: `AWS_ACCESS_KEY_ID` and friends |
//! | `profile_keys.rs` | [`ProfileKeysProvider`]: static keys of a profile in the shared files |
//! | `assume_role.rs` | [`AssumeRoleProvider`]: `role_arn` profiles, `source_profile` chains |
//! | `web_identity.rs` | [`WebIdentityProvider`]: `AWS_WEB_IDENTITY_TOKEN_FILE` and the profile keys |
//! | `sso/` | [`SsoProvider`]: IAM Identity Center profiles; [`SsoTokenProvider`]: the SSO token cache and its refresh |
//! | `login.rs` | [`LoginSessionProvider`]: `aws login` profiles, not supported yet, said so |
//! | `process.rs` | [`ProcessProvider`]: `credential_process` |
//! | `container.rs` | [`ContainerProvider`]: ECS and EKS container credentials |
//! | `imds/` | [`ImdsProvider`]: the EC2 instance metadata service, and the region it gives |
//! | `token.rs` | [`Token`], [`ProvideToken`]: bearer tokens |
//! | `service.rs` | STS, SSO and SSO-OIDC as the runtime's pipeline calls them |
//! | `sts.rs` | STS `AssumeRole` and `AssumeRoleWithWebIdentity`: operations, schemas, types |
//! | `rules_data.rs` | the endpoint rules of STS, SSO and SSO-OIDC (generated) |
//!
//! The default chain is cached as a whole ([`CachedProvider`]): until the credentials come
//! close to expiry a call costs a read lock and a reference count (about 90 ns, measured by
//! `cargo xtask bench`).

mod assume_role;
mod cache;
mod chain;
mod container;
mod env;
mod error;
mod imds;
mod login;
mod process;
mod profile_keys;
#[rustfmt::skip] // Generated: `cargo xtask codegen` writes it as it is.
mod rules_data;
pub(crate) mod service;
mod sso;
mod sts;
mod token;
mod web_identity;

pub use assume_role::{AssumeRoleProvider, MfaTokenProvider};
pub use cache::{CachedProvider, RefreshWindows};
pub use chain::{CredentialsChain, default_chain, profile_providers};
pub use container::ContainerProvider;
pub use env::EnvProvider;
pub use error::{CredentialsError, CredentialsErrorKind};
pub use imds::ImdsProvider;
pub(crate) use imds::region as imds_region;
pub use login::LoginSessionProvider;
pub use process::ProcessProvider;
pub use profile_keys::ProfileKeysProvider;
pub use sso::{SsoProvider, SsoTokenProvider};
pub use token::{ProvideToken, Token};
pub use web_identity::WebIdentityProvider;

use crate::Config;
use crate::DateTime;
use crate::profile::{Env, ProfileSet};
use futures_util::future::BoxFuture;
use std::fmt;
use std::sync::Arc;

/// An access key pair, with the session token and expiry of temporary credentials and the
/// account they belong to when the source says so.
///
/// Cloning is cheap (one reference count). `Debug` never prints the secret or the token,
/// and there is no `Display`.
#[derive(Clone)]
pub struct Credentials {
    inner: Arc<Inner>,
}

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expires_at: Option<DateTime>,
    account_id: Option<String>,
    /// Where the credentials came from (e.g. `environment`, `assume-role`), for errors and logs.
    source: &'static str,
}

impl Credentials {
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expires_at: Option<DateTime>,
        source: &'static str,
    ) -> Self {
        Credentials {
            inner: Arc::new(Inner {
                access_key_id: access_key_id.into(),
                secret_access_key: secret_access_key.into(),
                session_token,
                expires_at,
                account_id: None,
                source,
            }),
        }
    }

    /// The same credentials, of the AWS account `account_id` (the endpoint rules of some
    /// services, DynamoDB's among them, route requests by it).
    pub fn with_account_id(mut self, account_id: impl Into<String>) -> Self {
        let account_id = account_id.into();
        Arc::make_mut(&mut self.inner).account_id = (!account_id.is_empty()).then_some(account_id);
        self
    }

    pub fn access_key_id(&self) -> &str {
        &self.inner.access_key_id
    }
    pub fn secret_access_key(&self) -> &str {
        &self.inner.secret_access_key
    }
    pub fn session_token(&self) -> Option<&str> {
        self.inner.session_token.as_deref()
    }
    /// When temporary credentials stop working; `None` for long-term keys.
    pub fn expires_at(&self) -> Option<DateTime> {
        self.inner.expires_at
    }
    /// The AWS account the credentials belong to, when their source says.
    pub fn account_id(&self) -> Option<&str> {
        self.inner.account_id.as_deref()
    }
    /// The provider that found them: `environment`, `assume-role`, `imds`, ...
    pub fn source(&self) -> &'static str {
        self.inner.source
    }

    /// Whether they have expired at `now`.
    pub fn is_expired_at(&self, now: DateTime) -> bool {
        self.inner.expires_at.is_some_and(|at| at <= now)
    }
}

impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner) || self.inner == other.inner
    }
}

impl Eq for Credentials {}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Credentials")
            .field("access_key_id", &inner.access_key_id)
            .field("secret_access_key", &crate::debug::REDACTED)
            .field(
                "session_token",
                &inner.session_token.as_ref().map(|_| crate::debug::REDACTED),
            )
            .field("expires_at", &inner.expires_at)
            .field("account_id", &inner.account_id)
            .field("source", &inner.source)
            .finish()
    }
}

/// What a provider's lookup returns.
pub type CredentialsFuture<'a> = BoxFuture<'a, Result<Credentials, CredentialsError>>;

/// Resolves credentials, possibly asynchronously (a file, a process, a service call).
///
/// A provider does not cache: wrap it in a [`CachedProvider`] (the default chain is).
/// When nothing configures it, it fails with [`CredentialsErrorKind::NotConfigured`] so that
/// a chain goes on to the next provider.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

/// What the providers of the default chain read: the environment and shared files, the
/// active profile, and a configuration (HTTP client, endpoint settings, region) for the
/// calls some of them make (STS, SSO, the instance metadata service).
///
/// Cheap to clone.
#[derive(Clone)]
pub struct ProviderContext {
    config: Config,
    profile: Arc<str>,
    /// botocore's `disable_env_vars`: set for the providers of a `source_profile`, which
    /// read the profile only (`AWS_WEB_IDENTITY_TOKEN_FILE` and friends do not apply).
    env_vars_disabled: bool,
}

impl ProviderContext {
    /// A context over `config` (whose own credentials are never used) and the profile its
    /// environment selects (`AWS_PROFILE`, else `default`).
    pub fn new(config: &Config) -> Self {
        let profile = crate::profile::active_profile(config.env());
        ProviderContext {
            config: config.without_credentials(),
            profile: profile.into(),
            env_vars_disabled: false,
        }
    }

    /// The same context for the providers of a `source_profile`: they read the profile's
    /// keys, not the credential variables of the environment.
    pub(crate) fn without_env_vars(mut self) -> Self {
        self.env_vars_disabled = true;
        self
    }

    /// Whether providers must ignore the environment's credential variables (see
    /// [`ProviderContext::without_env_vars`]).
    pub(crate) fn env_vars_disabled(&self) -> bool {
        self.env_vars_disabled
    }

    /// What answers the MFA code of an `mfa_serial` profile, when the configuration has one
    /// ([`ConfigBuilder::mfa_token_provider`](crate::config::ConfigBuilder::mfa_token_provider)).
    pub fn mfa_token_provider(&self) -> Option<&MfaTokenProvider> {
        self.config.mfa_token_provider()
    }

    /// The same context with `profile` as the active profile.
    pub fn with_profile(mut self, profile: &str) -> Self {
        self.profile = profile.into();
        self
    }

    /// The environment snapshot.
    pub fn env(&self) -> &Env {
        self.config.env()
    }

    /// The shared config and credentials files.
    pub fn profiles(&self) -> &ProfileSet {
        self.config.profiles()
    }

    /// The active profile's name.
    pub fn profile_name(&self) -> &str {
        &self.profile
    }

    /// The configuration for calls: HTTP client, region, endpoint settings, timeouts.
    /// It has no credentials.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

impl fmt::Debug for ProviderContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderContext")
            .field("profile", &self.profile)
            .field("region", &self.config.region())
            .field("env_vars_disabled", &self.env_vars_disabled)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret_and_the_token() {
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG",
            Some("tok3n".into()),
            None,
            "test",
        )
        .with_account_id("123456789012");
        let printed = format!("{creds:?}");
        assert!(printed.contains("AKIDEXAMPLE"));
        assert!(printed.contains("123456789012"));
        assert!(!printed.contains("wJalrXUtnFEMI"));
        assert!(!printed.contains("tok3n"));
    }

    #[test]
    fn an_empty_account_id_is_none_and_clones_compare_equal() {
        let creds = Credentials::new("AK", "SK", None, None, "test").with_account_id("");
        assert_eq!(creds.account_id(), None);
        let other = Credentials::new("AK", "SK", None, None, "test");
        assert_eq!(creds, other);
        assert_eq!(creds.clone(), creds);
        assert!(!creds.is_expired_at(DateTime::from_secs(i64::MAX / 2)));
        let expiring = Credentials::new("AK", "SK", None, Some(DateTime::from_secs(100)), "t");
        assert!(expiring.is_expired_at(DateTime::from_secs(100)));
        assert!(!expiring.is_expired_at(DateTime::from_secs(99)));
    }
}
