//! [`WebIdentityProvider`]: credentials of a role assumed with a web identity token (an
//! OIDC token in a file, as EKS and other platforms mount one), through STS
//! `AssumeRoleWithWebIdentity`, as botocore's `AssumeRoleWithWebIdentityProvider` does.

use super::sts::{self, AssumeRoleOutput, AssumeRoleWithWebIdentityInput};
use super::{
    Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext,
};

/// The provider's name in errors and [`Credentials::source`].
const NAME: &str = "web-identity";

/// Credentials from `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
/// `AWS_ROLE_SESSION_NAME`, else the profile's `web_identity_token_file`, `role_arn` and
/// `role_session_name` (botocore's `_get_config`: each setting from the environment, else
/// from the profile; the environment is ignored for a `source_profile`).
///
/// The token file is read at each fetch: platforms rotate it. The call is not signed, so no
/// other credentials are needed.
#[derive(Debug, Clone)]
pub struct WebIdentityProvider {
    context: ProviderContext,
}

/// One setting and where it came from, for messages.
struct Found {
    value: String,
    origin: String,
}

impl WebIdentityProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        WebIdentityProvider { context }
    }

    /// `key` from its variable, else from the profile (a nested value counts as unset).
    fn setting(&self, key: &str, var: &str) -> Option<Found> {
        if !self.context.env_vars_disabled()
            && let Some(value) = self.context.env().var(var)
        {
            return Some(Found {
                value: value.to_owned(),
                origin: var.to_owned(),
            });
        }
        let profile_name = self.context.profile_name();
        let profile = self.context.profiles().profile(profile_name)?;
        let property = profile.property(key)?;
        Some(Found {
            value: property.value().as_text()?.to_owned(),
            origin: format!(
                "`{key}` of profile `{profile_name}` ({})",
                property.origin()
            ),
        })
    }

    /// The credentials, now.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let token_file = self
            .setting("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE")
            .filter(|found| !found.value.is_empty())
            .ok_or_else(|| {
                let profile = self.context.profile_name();
                let message = if self.context.env_vars_disabled() {
                    format!("profile `{profile}` has no web_identity_token_file")
                } else {
                    format!(
                        "neither AWS_WEB_IDENTITY_TOKEN_FILE nor web_identity_token_file of \
                         profile `{profile}` is set"
                    )
                };
                CredentialsError::not_configured(NAME, message)
            })?;
        let role_arn = self
            .setting("role_arn", "AWS_ROLE_ARN")
            .filter(|found| !found.value.is_empty())
            .ok_or_else(|| {
                CredentialsError::invalid_configuration(
                    NAME,
                    format!(
                        "The provided profile or the current environment is configured to \
                         assume role with web identity (web identity token file from {}) but \
                         has no role ARN configured. Ensure that the profile `{}` has the \
                         role_arn configuration set or the AWS_ROLE_ARN env var is set.",
                        token_file.origin,
                        self.context.profile_name()
                    ),
                )
            })?;
        let session_name = self
            .setting("role_session_name", "AWS_ROLE_SESSION_NAME")
            .map(|found| found.value)
            .unwrap_or_else(sts::default_session_name);
        // botocore's FileWebIdentityTokenLoader sends the file's contents as they are (no
        // trimming, no `~` expansion); so do we.
        let token = tokio::fs::read_to_string(&token_file.value)
            .await
            .map_err(|e| {
                CredentialsError::provider_failed(
                    NAME,
                    format!(
                        "cannot read the web identity token file `{}` (from {}): {e}",
                        token_file.value, token_file.origin
                    ),
                )
                .with_source(e)
            })?;
        let what = format!(
            "AssumeRoleWithWebIdentity of role `{}` (from {}) for profile `{}`",
            role_arn.value,
            role_arn.origin,
            self.context.profile_name()
        );
        let input = AssumeRoleWithWebIdentityInput {
            role_arn: role_arn.value.clone(),
            role_session_name: session_name,
            web_identity_token: token,
        };
        let region = self.context.config().region().or_else(|| {
            self.context
                .profiles()
                .profile(self.context.profile_name())
                .and_then(|p| p.get("region"))
                .filter(|r| !r.is_empty())
        });
        let output: AssumeRoleOutput = super::service::call(
            &self.context,
            &sts::ASSUME_ROLE_WITH_WEB_IDENTITY,
            region,
            None,
            input,
        )
        .await
        .map_err(|e| {
            let message = format!("{what} failed: {e}");
            CredentialsError::provider_failed(NAME, message).with_source(e)
        })?;
        output.into_credentials(NAME, &what)
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}
