//! `Config`: what every client of an application shares — region, credentials, endpoint
//! override, retries, timeouts, the HTTP client.
//!
//! ```no_run
//! # async fn example() -> Result<(), stratus_runtime::error::ConfigError> {
//! // Like the AWS CLI: region and credentials from the environment and ~/.aws files.
//! let config = stratus_runtime::Config::from_env().await?;
//! // Or explicitly, e.g. for a local endpoint:
//! let config = stratus_runtime::Config::builder()
//!     .region("us-east-1")
//!     .endpoint_url("http://127.0.0.1:5000")
//!     .credentials(stratus_runtime::Credentials::new("AKID", "SECRET", None, None, "example"))
//!     .build();
//! # Ok(()) }
//! ```

mod body;
mod endpoints;

pub use body::{BodySettings, ChecksumWhen};
pub use endpoints::{
    AccountIdEndpointMode, AddressingStyle, BuiltInValue, EndpointSettings, RegionalEndpoints,
    S3Settings,
};

use crate::Credentials;
use crate::credentials::{self, MfaTokenProvider, ProvideCredentials, ProvideToken};
use crate::endpoint::ParamValue;
use crate::error::ConfigError;
use crate::operation::Protocol;
use crate::profile;
use crate::retry::RetryConfig;
use crate::transport::{HttpClient, HyperClient, TransportTimeouts};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Shared configuration of clients. Cheap to clone.
#[derive(Clone)]
pub struct Config {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    region: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    endpoint_url: Option<String>,
    endpoints: EndpointSettings,
    endpoint_params: Vec<(String, ParamValue)>,
    body: BodySettings,
    inject_host_prefix: bool,
    retry: RetryConfig,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    app_name: Option<String>,
    protocol: Option<Protocol>,
    endpoint_discovery: Option<bool>,
    auth_scheme_preference: Vec<String>,
    /// Whether the code (not the environment or a profile) set the auth scheme preference.
    preference_set_in_code: bool,
    /// Whether the code chose the profile ([`ConfigBuilder::profile`]).
    profile_in_code: bool,
    token_provider: Option<Arc<dyn ProvideToken>>,
    /// The token of the profile's `sso_session`, when the configuration read the shared files.
    profile_token: Option<Arc<dyn ProvideToken>>,
    /// Whether `credentials` is the default chain (which a later region or MFA callback
    /// rebuilds), not a provider set in code.
    credentials_from_chain: bool,
    http_client: Result<Arc<dyn HttpClient>, ConfigError>,
    /// The environment and shared config files, for what is resolved per service.
    shared: Option<Arc<SharedConfig>>,
    /// Answers MFA codes for `mfa_serial` profiles.
    mfa_token_provider: Option<MfaTokenProvider>,
}

/// The environment and `~/.aws` files `Config::from_env` read.
pub(crate) struct SharedConfig {
    pub(crate) env: profile::Env,
    pub(crate) profiles: profile::ProfileSet,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.inner.region)
            .field("credentials", &self.inner.credentials)
            .field("endpoint_url", &self.inner.endpoint_url)
            .field("endpoints", &self.inner.endpoints)
            .field("body", &self.inner.body)
            .field("retry", &self.inner.retry)
            .field("attempt_timeout", &self.inner.attempt_timeout)
            .field("operation_timeout", &self.inner.operation_timeout)
            .field("app_name", &self.inner.app_name)
            .field("protocol", &self.inner.protocol)
            .field("auth_scheme_preference", &self.inner.auth_scheme_preference)
            .field("token_provider", &self.inner.token_provider)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A builder with nothing set: no region, no credentials, default retries and timeouts.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Resolves configuration the way the AWS CLI does: region from `AWS_REGION`,
    /// `AWS_DEFAULT_REGION` or the profile; credentials from the
    /// [default chain](credentials::default_chain) (environment, assume-role and SSO profiles,
    /// web identity, the shared files' keys, `credential_process`, container and instance
    /// credentials, in botocore's order); endpoint URLs from `AWS_ENDPOINT_URL[_<SERVICE>]`
    /// and the profile; `AWS_MAX_ATTEMPTS` / `max_attempts`; `AWS_AUTH_SCHEME_PREFERENCE`. A
    /// malformed config file is an error naming the file and line.
    ///
    /// When neither the environment nor the profile names a region, the EC2 instance
    /// metadata service is asked (unless `AWS_EC2_METADATA_DISABLED` is `true`), with its
    /// short timeout (`metadata_service_timeout`, 1 second per request: on a machine that
    /// drops packets to it, this adds about 2 seconds); when it does not answer, the region
    /// stays unset. Set a region to skip it.
    pub async fn from_env() -> Result<Config, ConfigError> {
        Ok(Self::from_shared(profile::Env::from_process())?
            .or_imds_region()
            .await)
    }

    /// This configuration, with the EC2 instance's region when it has none (the last link
    /// of the region chain, after the environment and the profile).
    pub(crate) async fn or_imds_region(mut self) -> Config {
        if self.region().is_none() {
            let context = credentials::ProviderContext::new(&self);
            match credentials::imds_region(&context).await {
                Ok(Some(region)) => {
                    Arc::make_mut(&mut self.inner).region = Some(region);
                    // The providers that call STS and SSO take their region from the chain's.
                    self.install_providers();
                }
                Ok(None) => {}
                // As botocore, a region lookup that fails leaves the region unset (calls then
                // say that none is set); the cause goes to the trace, not away.
                Err(error) => {
                    tracing::debug!(%error, "no region from the instance metadata service")
                }
            }
        }
        self
    }

    /// [`Config::from_env`] over a given environment snapshot (tests, embedding).
    pub fn from_shared(env: profile::Env) -> Result<Config, ConfigError> {
        ConfigBuilder::default().load(env)
    }

    /// Installs what the environment and shared files provide for identity, over this
    /// configuration (its region, its MFA callback): the profile's IAM Identity Center token,
    /// for services that take a bearer token (CodeCatalyst, as botocore's token resolver falls
    /// back to it), and the default credential chain unless the code set credentials.
    /// Installing again (a region found later, an MFA callback added) replaces what an
    /// earlier call installed and never credentials set in code.
    fn install_providers(&mut self) {
        let mut context = credentials::ProviderContext::new(self);
        if self.inner.profile_in_code {
            context = context.without_env_vars();
        }
        let inner = Arc::make_mut(&mut self.inner);
        inner.profile_token = Some(Arc::new(credentials::SsoTokenProvider::new(
            context.clone(),
        )));
        if inner.credentials.is_none() || inner.credentials_from_chain {
            inner.credentials = Some(Arc::new(credentials::default_chain(&context)));
            inner.credentials_from_chain = true;
        }
    }

    /// The same configuration without credentials, and with the protocol botocore picks:
    /// what a credential provider calls STS or SSO with.
    pub(crate) fn without_credentials(&self) -> Config {
        let mut inner = (*self.inner).clone();
        inner.credentials = None;
        inner.protocol = None;
        Config {
            inner: Arc::new(inner),
        }
    }

    /// The same configuration with another region and credentials provider.
    pub(crate) fn with_region_and_credentials(
        &self,
        region: Option<String>,
        credentials: Option<Arc<dyn ProvideCredentials>>,
    ) -> Config {
        let mut inner = (*self.inner).clone();
        inner.region = region;
        inner.credentials = credentials;
        Config {
            inner: Arc::new(inner),
        }
    }

    /// The same configuration, asking `provider` for the MFA code of profiles with
    /// `mfa_serial` (botocore's `mfa_prompter`). On a configuration from
    /// [`Config::from_env`] or [`Config::from_shared`], the default credential chain is
    /// built again so that its assume-role provider asks it.
    pub fn with_mfa_token_provider(&self, provider: MfaTokenProvider) -> Config {
        let mut inner = (*self.inner).clone();
        inner.mfa_token_provider = Some(provider);
        let mut config = Config {
            inner: Arc::new(inner),
        };
        if self.inner.shared.is_some() {
            config.install_providers();
        }
        config
    }

    /// What answers MFA codes, when set.
    pub(crate) fn mfa_token_provider(&self) -> Option<&MfaTokenProvider> {
        self.inner.mfa_token_provider.as_ref()
    }

    /// The environment snapshot [`Config::from_shared`] read (empty for a built config).
    pub(crate) fn env(&self) -> &profile::Env {
        &self.shared().env
    }

    /// The shared files [`Config::from_shared`] read (none for a built config).
    pub(crate) fn profiles(&self) -> &profile::ProfileSet {
        &self.shared().profiles
    }

    fn shared(&self) -> &SharedConfig {
        static NONE: std::sync::LazyLock<SharedConfig> =
            std::sync::LazyLock::new(|| SharedConfig {
                env: profile::Env::default(),
                profiles: profile::ProfileSet::default(),
            });
        self.inner.shared.as_deref().unwrap_or(&NONE)
    }

    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    pub fn retry(&self) -> RetryConfig {
        self.inner.retry
    }

    /// The endpoint settings: FIPS, dual-stack, S3 addressing and the like.
    pub fn endpoint_settings(&self) -> &EndpointSettings {
        &self.inner.endpoints
    }

    /// Whether operations with a host prefix (`{AccountId}.`, `data.`) put it before the
    /// endpoint's host.
    pub fn inject_host_prefix(&self) -> bool {
        self.inner.inject_host_prefix
    }

    /// When checksums are computed and validated, and whether S3 payloads are signed.
    pub fn body_settings(&self) -> &BodySettings {
        &self.inner.body
    }

    /// Endpoint rule-set parameters set by name (client context parameters).
    pub fn endpoint_params(&self) -> &[(String, ParamValue)] {
        &self.inner.endpoint_params
    }

    /// The limit for one attempt: from sending the request to having read the whole
    /// response (to having its head, for streaming outputs).
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.inner.attempt_timeout
    }

    pub fn operation_timeout(&self) -> Option<Duration> {
        self.inner.operation_timeout
    }

    /// Whether operations whose service can name an endpoint for them use a discovered one:
    /// `Some(true)` for every such operation, `Some(false)` for none, `None` (`auto`, the
    /// default) for those that require it.
    pub fn endpoint_discovery(&self) -> Option<bool> {
        self.inner.endpoint_discovery
    }

    /// The protocol picked with [`ConfigBuilder::protocol`], if any.
    pub fn protocol(&self) -> Option<Protocol> {
        self.inner.protocol
    }

    pub fn app_name(&self) -> Option<&str> {
        self.inner.app_name.as_deref()
    }

    pub fn credentials_provider(&self) -> Option<&Arc<dyn ProvideCredentials>> {
        self.inner.credentials.as_ref()
    }

    /// The bearer token provider set with [`ConfigBuilder::token_provider`], if any.
    pub fn token_provider(&self) -> Option<&Arc<dyn ProvideToken>> {
        self.inner.token_provider.as_ref()
    }

    /// The auth schemes to prefer where an operation supports several, most preferred first
    /// (`sigv4a`, `sigv4`, `httpBearerAuth`, `noAuth`).
    pub fn auth_scheme_preference(&self) -> &[String] {
        &self.inner.auth_scheme_preference
    }

    /// Whether the code chose the auth scheme preference or a token provider (which turns
    /// off taking Bedrock's bearer token from the environment unless preferred).
    pub(crate) fn auth_set_in_code(&self) -> bool {
        self.inner.preference_set_in_code || self.inner.token_provider.is_some()
    }

    /// The bearer token of the profile's `sso_session` (for a configuration that read the
    /// shared files).
    pub(crate) fn profile_token(&self) -> Option<&Arc<dyn ProvideToken>> {
        self.inner.profile_token.as_ref()
    }

    /// Whether the code set the auth scheme preference.
    pub(crate) fn preference_set_in_code(&self) -> bool {
        self.inner.preference_set_in_code
    }

    pub fn http_client(&self) -> Result<&Arc<dyn HttpClient>, ConfigError> {
        self.inner.http_client.as_ref().map_err(Clone::clone)
    }

    /// The endpoint URL for a service: the builder's, else the configured one for this
    /// service id (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile).
    pub fn endpoint_url_for(&self, service_id: &str) -> Result<Option<String>, ConfigError> {
        if let Some(url) = &self.inner.endpoint_url {
            return Ok(Some(url.clone()));
        }
        let Some(shared) = self.inner.shared.as_ref() else {
            return Ok(None);
        };
        profile::resolve_endpoint_url(&shared.env, &shared.profiles, service_id)
            .map_err(|e| ConfigError::new(e.to_string()))
    }
}

/// Builds a [`Config`]. Every setter is optional.
#[derive(Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    endpoint_url: Option<String>,
    endpoints: EndpointSettings,
    endpoint_params: Vec<(String, ParamValue)>,
    body: BodySettings,
    /// `None`: on.
    inject_host_prefix: Option<bool>,
    retry: RetryConfig,
    timeouts: TransportTimeouts,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    app_name: Option<String>,
    protocol: Option<Protocol>,
    /// `None`: `auto`.
    endpoint_discovery: Option<bool>,
    /// Set in code: `Some`, else from the environment or profile.
    auth_scheme_preference: Option<Vec<String>>,
    /// The profile chosen in code, over `AWS_PROFILE`.
    profile: Option<String>,
    token_provider: Option<Arc<dyn ProvideToken>>,
    http_client: Option<Arc<dyn HttpClient>>,
    shared: Option<Arc<SharedConfig>>,
    mfa_token_provider: Option<MfaTokenProvider>,
}

impl ConfigBuilder {
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends every request to this URL (scheme, host, optional port and path prefix) instead
    /// of the service's AWS endpoint, e.g. `http://127.0.0.1:5000` for a local stand-in.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Sends requests to FIPS 140 validated endpoints (`AWS_USE_FIPS_ENDPOINT`).
    pub fn use_fips(mut self, enabled: bool) -> Self {
        self.endpoints.use_fips = Some(enabled);
        self
    }

    /// Sends requests to dual-stack (IPv4 and IPv6) endpoints (`AWS_USE_DUALSTACK_ENDPOINT`).
    pub fn use_dual_stack(mut self, enabled: bool) -> Self {
        self.endpoints.use_dual_stack = Some(enabled);
        self
    }

    /// S3: path-style URLs (`https://s3.region.amazonaws.com/bucket/key`) instead of
    /// virtual-hosted ones (`https://bucket.s3.region.amazonaws.com/key`).
    pub fn s3_force_path_style(mut self, enabled: bool) -> Self {
        self.endpoints.s3.addressing_style = Some(if enabled {
            AddressingStyle::Path
        } else {
            AddressingStyle::Virtual
        });
        self
    }

    /// S3: Transfer Acceleration endpoints (`bucket.s3-accelerate.amazonaws.com`).
    pub fn s3_accelerate(mut self, enabled: bool) -> Self {
        self.endpoints.s3.accelerate = Some(enabled);
        self
    }

    /// S3 and S3 Control: whether an ARN's region may differ from the client's region.
    pub fn s3_use_arn_region(mut self, enabled: bool) -> Self {
        self.endpoints.s3.use_arn_region = Some(enabled);
        self
    }

    /// S3: refuse Multi-Region Access Point ARNs.
    pub fn s3_disable_multi_region_access_points(mut self, disabled: bool) -> Self {
        self.endpoints.s3.disable_multi_region_access_points = Some(disabled);
        self
    }

    /// Sets an endpoint rule-set parameter by name for every client whose rule set has it,
    /// e.g. S3's `DisableS3ExpressSessionAuth` (a client context parameter). It overrides
    /// the value the settings give a built-in parameter.
    pub fn endpoint_param(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.endpoint_params.push((name.into(), value.into()));
        self
    }

    /// All endpoint settings at once (replacing what the setters above set).
    pub fn endpoint_settings(mut self, settings: EndpointSettings) -> Self {
        self.endpoints = settings;
        self
    }

    /// Fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// Any credentials provider.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Where an operation supports several auth schemes, the ones to use first, most
    /// preferred first: `sigv4a`, `sigv4`, `httpBearerAuth`, `noAuth`
    /// (`AWS_AUTH_SCHEME_PREFERENCE`, profile `auth_scheme_preference`). Names an operation
    /// does not support are skipped.
    pub fn auth_scheme_preference<S: Into<String>>(
        mut self,
        schemes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.auth_scheme_preference = Some(
            schemes
                .into_iter()
                .map(Into::into)
                .filter(|s: &String| !s.trim().is_empty())
                .map(|s| s.trim().to_owned())
                .collect(),
        );
        self
    }

    /// Uses this profile of the shared files, over `AWS_PROFILE` (the AWS CLI's `--profile`,
    /// botocore's `Session(profile=..)`): it must exist, and, as in botocore, the
    /// environment's access keys and web identity variables are then not used for
    /// credentials. Takes effect in [`ConfigBuilder::load`].
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// A fixed bearer token, for services that take one (Bedrock's API keys, CodeCatalyst).
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.token_provider(crate::credentials::Token::new(token, None, "config"))
    }

    /// Any bearer token provider.
    pub fn token_provider(mut self, provider: impl ProvideToken + 'static) -> Self {
        self.token_provider = Some(Arc::new(provider));
        self
    }

    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Attempts in all per call (1 disables retries).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry.max_attempts = attempts.max(1);
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// When request checksums are computed (`AWS_REQUEST_CHECKSUM_CALCULATION`; by default
    /// for every operation that supports one, as botocore does).
    pub fn request_checksum_calculation(mut self, when: ChecksumWhen) -> Self {
        self.body.request_checksum_calculation = Some(when);
        self
    }

    /// When response checksums are validated (`AWS_RESPONSE_CHECKSUM_VALIDATION`; by default
    /// for every operation that supports it, as botocore does).
    pub fn response_checksum_validation(mut self, when: ChecksumWhen) -> Self {
        self.body.response_checksum_validation = Some(when);
        self
    }

    /// Whether S3 request payloads are signed (profile `s3 = payload_signing_enabled`).
    ///
    /// Unset, Stratus does what botocore does: payloads are signed (their SHA-256 in the
    /// signature) except a streaming upload (`PutObject`, `UploadPart`) over HTTPS that
    /// carries a checksum, where TLS and the checksum protect it: held in memory it goes as
    /// `UNSIGNED-PAYLOAD`. Whatever this says, a body whose checksum follows it (a file over
    /// HTTPS, any stream) goes `aws-chunked` as `STREAMING-UNSIGNED-PAYLOAD-TRAILER`, and a
    /// stream without a checksum as `UNSIGNED-PAYLOAD`: a stream cannot be hashed before it
    /// is sent.
    pub fn s3_payload_signing(mut self, enabled: bool) -> Self {
        self.body.s3_payload_signing = Some(enabled);
        self
    }

    /// Whether operations with a host prefix (`{AccountId}.` and the like) put it before the
    /// endpoint's host (botocore's `inject_host_prefix`; on by default). Turn it off for an
    /// endpoint that cannot take the prefix, such as a local stand-in or a proxy.
    pub fn inject_host_prefix(mut self, inject: bool) -> Self {
        self.inject_host_prefix = Some(inject);
        self
    }

    /// Limit for one attempt, from sending the request to reading the whole response (for
    /// an output that streams, such as S3's `GetObject`, to receiving the response's head).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Limit for a whole call, retries and backoff included (for an output that streams, up
    /// to the response's head: reading the body is the caller's, at the caller's pace).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Appended to the user agent (`app/<name>`).
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Endpoint discovery (`endpoint_discovery_enabled`, `AWS_ENDPOINT_DISCOVERY_ENABLED`):
    /// `true` sends every operation that can use a discovered endpoint to one (DynamoDB's
    /// operations, say), `false` none. Unset (`auto`), only operations that require one
    /// (Timestream's) discover it. With an endpoint URL configured nothing is discovered,
    /// as in botocore.
    pub fn endpoint_discovery(mut self, enabled: bool) -> Self {
        self.endpoint_discovery = Some(enabled);
        self
    }

    /// Calls services with `protocol` instead of the one botocore picks, for services whose
    /// model lists it (`smithy-rpc-v2-cbor` for speed where a service offers it, or any
    /// listed protocol in tests). A client of a service that does not list it fails each
    /// call with a configuration error naming the protocols it does list.
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// Sends requests with this client instead of the default hyper client (for example a
    /// [`crate::transport::StubClient`] in tests).
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(Arc::new(client));
        self
    }

    /// Fills what this builder left unset as [`Config::from_env`] does, from `env` and the
    /// shared files it names: what the builder set wins over the environment and profile.
    /// Credentials, unless set, come from the [default chain](credentials::default_chain).
    /// Unlike `from_env` it does not ask the instance metadata service for a region (it is
    /// synchronous): set one, or take the one `from_env` found.
    pub fn load(mut self, env: profile::Env) -> Result<Config, ConfigError> {
        let error = |e: profile::ProfileError| ConfigError::new(e.to_string());
        let env = match &self.profile {
            // Both variables, since `AWS_DEFAULT_PROFILE` is read first (botocore's order).
            Some(name) => env
                .with_var("AWS_DEFAULT_PROFILE", name.clone())
                .with_var("AWS_PROFILE", name.clone()),
            None => env,
        };
        let profiles = profile::load(&env).map_err(error)?;
        if self.region.is_none() {
            self.region = profile::resolve_region(&env, &profiles).map_err(error)?;
        }
        if self.retry == RetryConfig::default()
            && let Some(attempts) = profile::Setting::MAX_ATTEMPTS
                .positive_int(&env, &profiles)
                .map_err(error)?
        {
            self.retry.max_attempts = attempts;
        }
        self.endpoints = self.endpoints.fill_from(&env, &profiles)?;
        self.body = self.body.fill_from(&env, &profiles)?;
        if self.endpoint_discovery.is_none() {
            self.endpoint_discovery = match profile::Setting::ENDPOINT_DISCOVERY_ENABLED
                .one_of(&env, &profiles, profile::Setting::ENDPOINT_DISCOVERY_MODES)
                .map_err(error)?
            {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            };
        }
        let preference = match &self.auth_scheme_preference {
            Some(_) => None,
            None => profile::Setting::AUTH_SCHEME_PREFERENCE
                .string(&env, &profiles)
                .map_err(error)?,
        };
        self.shared = Some(Arc::new(SharedConfig { env, profiles }));
        // One HTTP client for the calls and for the providers that make calls of their own.
        if self.http_client.is_none() {
            self.http_client = Some(Arc::new(HyperClient::new(self.timeouts)?));
        }
        let mut config = self.build();
        let inner = Arc::make_mut(&mut config.inner);
        if let Some(preference) = preference {
            inner.auth_scheme_preference = split_preference(&preference);
        }
        config.install_providers();
        Ok(config)
    }

    /// Asks `provider` for the MFA code of profiles with `mfa_serial` (see
    /// [`Config::with_mfa_token_provider`] for a configuration from the shared files).
    pub fn mfa_token_provider(mut self, provider: MfaTokenProvider) -> Self {
        self.mfa_token_provider = Some(provider);
        self
    }

    pub fn build(self) -> Config {
        let http_client = match self.http_client {
            Some(client) => Ok(client),
            None => HyperClient::new(self.timeouts).map(|c| Arc::new(c) as Arc<dyn HttpClient>),
        };
        Config {
            inner: Arc::new(Inner {
                region: self.region,
                credentials: self.credentials,
                endpoint_url: self.endpoint_url,
                endpoints: self.endpoints,
                endpoint_params: self.endpoint_params,
                body: self.body,
                inject_host_prefix: self.inject_host_prefix.unwrap_or(true),
                retry: self.retry,
                attempt_timeout: self.attempt_timeout,
                operation_timeout: self.operation_timeout,
                app_name: self.app_name,
                protocol: self.protocol,
                endpoint_discovery: self.endpoint_discovery,
                preference_set_in_code: self.auth_scheme_preference.is_some(),
                profile_in_code: self.profile.is_some(),
                auth_scheme_preference: self.auth_scheme_preference.unwrap_or_default(),
                token_provider: self.token_provider,
                profile_token: None,
                credentials_from_chain: false,
                http_client,
                shared: self.shared,
                mfa_token_provider: self.mfa_token_provider,
            }),
        }
    }
}

/// botocore's reading of `auth_scheme_preference`: comma-separated, blanks removed.
fn split_preference(text: &str) -> Vec<String> {
    text.split(',')
        .map(|item| item.replace([' ', '\t'], ""))
        .filter(|item| !item.is_empty())
        .collect()
}
