//! [`SsoProvider`]: credentials from IAM Identity Center (SSO), and [`SsoTokenProvider`]: the
//! SSO token behind them.
//!
//! | File | What it holds |
//! |---|---|
//! | `mod.rs` | [`SsoProvider`]: the token, then SSO `GetRoleCredentials` |
//! | `config.rs` | which profile keys and `sso-session` sections configure it, checked as botocore does |
//! | `token.rs` | the token cache `~/.aws/sso/cache`, [`SsoTokenProvider`] and its refresh |
//! | `ops.rs` | `GetRoleCredentials` and SSO-OIDC `CreateToken` for the runtime's pipeline |
//!
//! A profile is for this provider when it has `sso_account_id` or `sso_role_name`
//! (botocore's `SSOProvider`). It names an `[sso-session NAME]` section with
//! `sso_session` (whose `sso_start_url` and `sso_region` it takes), or carries
//! `sso_start_url` and `sso_region` itself (the legacy form). The token `aws sso login`
//! cached is read from `~/.aws/sso/cache/<sha1 of the session name, or of the start
//! URL>.json`; only `sso-session` tokens are refreshed (through SSO-OIDC `CreateToken`).

mod config;
mod ops;
#[cfg(test)]
mod tests;
mod token;

pub use token::SsoTokenProvider;

use super::{
    Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext, service,
};
use crate::DateTime;
use crate::error::SdkError;
use config::SsoConfig;
use ops::{GET_ROLE_CREDENTIALS, GetRoleCredentialsInput, GetRoleCredentialsOutput};

/// The provider's name in errors and [`Credentials::source`].
const NAME: &str = "sso";

/// botocore's `UnauthorizedSSOTokenError`.
const UNAUTHORIZED: &str = "The SSO session associated with this profile has expired or is \
                            otherwise invalid.";

/// Credentials from IAM Identity Center (SSO): the cached SSO token of the profile's
/// `sso_session` (or legacy `sso_start_url`), traded for the role credentials of
/// `sso_account_id` and `sso_role_name` through SSO `GetRoleCredentials` in `sso_region`.
///
/// The credentials carry `sso_account_id` as their account. A missing or expired token is
/// an error that says to run `aws sso login`.
#[derive(Debug, Clone)]
pub struct SsoProvider {
    context: ProviderContext,
    token: SsoTokenProvider,
}

impl SsoProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        SsoProvider {
            token: SsoTokenProvider::named(context.clone(), NAME),
            context,
        }
    }

    /// The credentials, now.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let profile = self.context.profile_name();
        let config = config::credentials_config(NAME, self.context.profiles(), profile)?
            .ok_or_else(|| {
                CredentialsError::not_configured(
                    NAME,
                    format!("profile `{profile}` has no sso_account_id or sso_role_name"),
                )
            })?;
        let access_token = match &config.session {
            Some(_) => self.token.token().await?.token().to_owned(),
            None => self.legacy_token(&config).await?,
        };
        self.role_credentials(&config, access_token).await
    }

    /// The cached token of a legacy profile (keyed by its start URL), which is never
    /// refreshed: botocore refuses it once expired rather than call SSO with it.
    async fn legacy_token(&self, config: &SsoConfig) -> Result<String, CredentialsError> {
        let profile = self.context.profile_name();
        let path = token::cache_file(NAME, self.context.env(), &config.start_url)?;
        let cached = token::read_cached_token(NAME, profile, &config.start_url, &path).await?;
        if cached.expires_at <= DateTime::now() {
            return Err(CredentialsError::provider_failed(
                NAME,
                format!(
                    "{UNAUTHORIZED} The SSO token in {} expired at {}. {}",
                    path.display(),
                    cached.expires_at,
                    token::login_hint(profile)
                ),
            ));
        }
        Ok(cached.access_token)
    }

    async fn role_credentials(
        &self,
        config: &SsoConfig,
        access_token: String,
    ) -> Result<Credentials, CredentialsError> {
        let input = GetRoleCredentialsInput {
            role_name: config.role_name.clone(),
            account_id: config.account_id.clone(),
            access_token,
        };
        let what = format!(
            "SSO GetRoleCredentials for role `{}` in account {} ({})",
            config.role_name, config.account_id, config.region
        );
        let output: GetRoleCredentialsOutput = service::call(
            &self.context,
            &GET_ROLE_CREDENTIALS,
            Some(&config.region),
            None,
            input,
        )
        .await
        .map_err(|error| {
            let message = match &error {
                SdkError::Service(failure) if failure.raw.code == "UnauthorizedException" => {
                    format!(
                        "{UNAUTHORIZED} {what} answered UnauthorizedException. {}",
                        token::login_hint(self.context.profile_name())
                    )
                }
                _ => format!("{what} failed: {error}"),
            };
            CredentialsError::provider_failed(NAME, message).with_source(error)
        })?;
        let missing = |key: &str| {
            CredentialsError::provider_failed(
                NAME,
                format!("{what} answered without roleCredentials.{key}"),
            )
        };
        let role = output
            .role_credentials
            .ok_or_else(|| missing("accessKeyId"))?;
        let access_key_id = role.access_key_id.ok_or_else(|| missing("accessKeyId"))?;
        let secret = role
            .secret_access_key
            .ok_or_else(|| missing("secretAccessKey"))?;
        let session_token = role.session_token.ok_or_else(|| missing("sessionToken"))?;
        // Epoch milliseconds.
        let expiration = role.expiration.ok_or_else(|| missing("expiration"))?;
        Ok(Credentials::new(
            access_key_id,
            secret,
            Some(session_token),
            Some(DateTime::from_millis(expiration)),
            NAME,
        )
        .with_account_id(config.account_id.clone()))
    }
}

impl ProvideCredentials for SsoProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}
