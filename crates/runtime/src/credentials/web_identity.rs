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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;
    use crate::credentials::sts::test_support::{StsServer, TempDir, context, error};

    const ENV_ROLE: &str = "arn:aws:iam::444455556666:role/from-env";
    const PROFILE_ROLE: &str = "arn:aws:iam::777788889999:role/from-profile";

    #[tokio::test]
    async fn from_the_environment_unsigned_with_the_token_and_session_name() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        let token = dir.write("token", "header.payload.sig");
        let path = token.display().to_string();
        let env = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", path.as_str()),
            ("AWS_ROLE_ARN", ENV_ROLE),
            ("AWS_ROLE_SESSION_NAME", "pod-1"),
        ];
        let ctx = context(&dir, "", "", &env, &server);
        let creds = WebIdentityProvider::new(ctx).load().await.unwrap();
        assert_eq!(creds.access_key_id(), "ASIAfrom-env");
        assert_eq!(creds.session_token(), Some("token-from-env"));
        assert_eq!(creds.account_id(), Some("444455556666"));
        assert_eq!(creds.source(), "web-identity");
        assert_eq!(creds.expires_at().map(|at| at.secs()), Some(1_893_456_000));
        let sent = &server.received()[0];
        assert_eq!(sent.param("Action"), Some("AssumeRoleWithWebIdentity"));
        assert_eq!(sent.param("RoleArn"), Some(ENV_ROLE));
        assert_eq!(sent.param("RoleSessionName"), Some("pod-1"));
        assert_eq!(sent.param("WebIdentityToken"), Some("header.payload.sig"));
        assert_eq!(sent.authorization, None, "the call must not be signed");
    }

    /// Profile `w` in the config file (`[profile w]`) or the credentials file (`[w]`).
    fn profile_files(dir: &TempDir, in_credentials_file: bool) -> (String, String) {
        let token = dir.write("profile-token", "profile-jwt");
        let body = format!(
            "role_arn = {PROFILE_ROLE}\nweb_identity_token_file = {}\nrole_session_name = prof\n",
            token.display()
        );
        if in_credentials_file {
            (String::new(), format!("[w]\n{body}"))
        } else {
            (format!("[profile w]\n{body}"), String::new())
        }
    }

    #[tokio::test]
    async fn from_the_profile_in_either_file() {
        for in_credentials_file in [false, true] {
            let server = StsServer::start().await;
            let dir = TempDir::new();
            let (config, credentials) = profile_files(&dir, in_credentials_file);
            let ctx = context(&dir, &config, &credentials, &[], &server).with_profile("w");
            let creds = WebIdentityProvider::new(ctx).load().await.unwrap();
            assert_eq!(creds.access_key_id(), "ASIAfrom-profile");
            assert_eq!(creds.account_id(), Some("777788889999"));
            let sent = &server.received()[0];
            assert_eq!(sent.param("WebIdentityToken"), Some("profile-jwt"));
            assert_eq!(sent.param("RoleSessionName"), Some("prof"));
        }
    }

    #[tokio::test]
    async fn the_wrong_section_form_is_not_the_profile() {
        for (config, credentials) in [
            // `[w]` in the config file and `[profile w]` in the credentials file name no
            // profile `w`.
            ("[w]\nweb_identity_token_file = /t\nrole_arn = r\n", ""),
            (
                "",
                "[profile w]\nweb_identity_token_file = /t\nrole_arn = r\n",
            ),
        ] {
            let server = StsServer::start().await;
            let dir = TempDir::new();
            let ctx = context(&dir, config, credentials, &[], &server).with_profile("w");
            let error = WebIdentityProvider::new(ctx).load().await.unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured, "{error}");
        }
    }

    #[tokio::test]
    async fn each_setting_comes_from_the_environment_before_the_profile() {
        // botocore's `_get_config` looks each key up on its own: the environment's token
        // file with the profile's role and session name.
        let server = StsServer::start().await;
        let dir = TempDir::new();
        let (config, _) = profile_files(&dir, false);
        let env_token = dir.write("env-token", "env-jwt");
        let path = env_token.display().to_string();
        let env = [("AWS_WEB_IDENTITY_TOKEN_FILE", path.as_str())];
        let ctx = context(&dir, &config, "", &env, &server).with_profile("w");
        WebIdentityProvider::new(ctx.clone()).load().await.unwrap();
        let sent = &server.received()[0];
        assert_eq!(sent.param("WebIdentityToken"), Some("env-jwt"));
        assert_eq!(sent.param("RoleArn"), Some(PROFILE_ROLE));
        assert_eq!(sent.param("RoleSessionName"), Some("prof"));

        // The environment's role too; and a source profile ignores the environment.
        let env = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", path.as_str()),
            ("AWS_ROLE_ARN", ENV_ROLE),
        ];
        let ctx = context(&dir, &config, "", &env, &server).with_profile("w");
        WebIdentityProvider::new(ctx.clone()).load().await.unwrap();
        let sent = &server.received()[1];
        assert_eq!(sent.param("RoleArn"), Some(ENV_ROLE));
        assert_eq!(sent.param("RoleSessionName"), Some("prof"));
        WebIdentityProvider::new(ctx.without_env_vars())
            .load()
            .await
            .unwrap();
        let sent = &server.received()[2];
        assert_eq!(sent.param("RoleArn"), Some(PROFILE_ROLE));
        assert_eq!(sent.param("WebIdentityToken"), Some("profile-jwt"));
    }

    #[tokio::test]
    async fn the_token_file_is_read_at_each_fetch() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        let token = dir.write("token", "first");
        let path = token.display().to_string();
        let env = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", path.as_str()),
            ("AWS_ROLE_ARN", ENV_ROLE),
        ];
        let provider = WebIdentityProvider::new(context(&dir, "", "", &env, &server));
        provider.load().await.unwrap();
        dir.write("token", "second");
        provider.load().await.unwrap();
        let tokens: Vec<_> = server
            .received()
            .iter()
            .map(|r| r.param("WebIdentityToken").unwrap().to_owned())
            .collect();
        assert_eq!(tokens, ["first", "second"]);
        let session = server.received()[0].params["RoleSessionName"].clone();
        assert!(session.starts_with("stratus-session-"), "{session}");
    }

    #[tokio::test]
    async fn an_unreadable_token_file_is_an_error_naming_it() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        let missing = dir.0.join("no-such-token").display().to_string();
        let env = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", missing.as_str()),
            ("AWS_ROLE_ARN", ENV_ROLE),
        ];
        let ctx = context(&dir, "", "", &env, &server);
        let error = WebIdentityProvider::new(ctx).load().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        assert!(error.message().contains(&missing), "{error}");
        assert!(
            error.message().contains("AWS_WEB_IDENTITY_TOKEN_FILE"),
            "{error}"
        );
        assert!(server.received().is_empty());
    }

    #[tokio::test]
    async fn a_token_file_without_a_role_is_a_configuration_error() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        let env = [("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token")];
        let ctx = context(&dir, "", "", &env, &server);
        let error = WebIdentityProvider::new(ctx).load().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(error.message().contains("AWS_ROLE_ARN"), "{error}");
    }

    #[tokio::test]
    async fn nothing_set_is_not_configured() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        // AWS_ROLE_ARN alone does not configure it.
        let ctx = context(&dir, "", "", &[("AWS_ROLE_ARN", ENV_ROLE)], &server);
        let error = WebIdentityProvider::new(ctx).load().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
        assert!(
            error.message().contains("AWS_WEB_IDENTITY_TOKEN_FILE"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn an_sts_error_is_surfaced_with_its_code() {
        let server =
            StsServer::with(|_| (400, error("InvalidIdentityToken", "token is expired"))).await;
        let dir = TempDir::new();
        let token = dir.write("token", "old");
        let path = token.display().to_string();
        let env = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", path.as_str()),
            ("AWS_ROLE_ARN", ENV_ROLE),
        ];
        let ctx = context(&dir, "", "", &env, &server);
        let error = WebIdentityProvider::new(ctx).load().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        for text in [
            ENV_ROLE,
            "InvalidIdentityToken",
            "token is expired",
            "AWS_ROLE_ARN",
        ] {
            assert!(error.message().contains(text), "{error}");
        }
        assert!(!format!("{error:?}").contains("old"), "{error:?}");
    }

    #[tokio::test]
    async fn the_default_chain_uses_it_before_the_profile_keys() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        let token = dir.write("token", "jwt");
        let path = token.display().to_string();
        let env = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", path.as_str()),
            ("AWS_ROLE_ARN", ENV_ROLE),
        ];
        let credentials = "[default]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = s\n";
        let ctx = context(&dir, "", credentials, &env, &server);
        let chain = crate::credentials::default_chain(&ctx);
        let creds = chain.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "ASIAfrom-env");
    }
}
