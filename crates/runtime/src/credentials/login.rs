//! [`LoginSessionProvider`]: profiles signed in with `aws login` (`login_session`).
//!
//! botocore 1.43.67 reads such profiles (its `LoginProvider`, between the credentials
//! file's keys and `credential_process`). Stratus does not read their session cache yet;
//! rather than let such a profile fall through to instance or container credentials (the
//! wrong identity), the provider stops the chain and says so.

use super::{CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

const NAME: &str = "login";

/// Stops the chain for a profile with `login_session`, which Stratus cannot use yet.
#[derive(Debug, Clone)]
pub struct LoginSessionProvider {
    context: ProviderContext,
}

impl LoginSessionProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        LoginSessionProvider { context }
    }

    fn load(&self) -> Result<super::Credentials, CredentialsError> {
        let profile = self.context.profile_name();
        let session = self
            .context
            .profiles()
            .profile(profile)
            .and_then(|p| p.get("login_session"));
        Err(match session {
            None => CredentialsError::not_configured(
                NAME,
                format!("profile `{profile}` has no login_session"),
            ),
            Some(_) => CredentialsError::invalid_configuration(
                NAME,
                format!(
                    "profile `{profile}` signs in with `aws login` (login_session), which Stratus \
                     does not support yet: use `aws configure export-credentials --profile \
                     {profile} --format process` as its credential_process, or another profile"
                ),
            ),
        })
    }
}

impl ProvideCredentials for LoginSessionProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;
    use crate::profile::Env;

    fn context(config: &str) -> ProviderContext {
        let dir = std::env::temp_dir().join(format!("stratus-login-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config");
        std::fs::write(&path, config).unwrap();
        let env = Env::from_vars([("AWS_CONFIG_FILE", path.to_str().unwrap())]).with_home(&dir);
        let config = crate::Config::builder().load(env).unwrap();
        ProviderContext::new(&config)
    }

    #[tokio::test]
    async fn a_login_session_profile_stops_the_chain_and_others_pass() {
        let stopped = LoginSessionProvider::new(context(
            "[default]\nlogin_session = arn:aws:iam::1:user/me\n",
        ))
        .provide_credentials()
        .await
        .unwrap_err();
        assert_eq!(stopped.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(stopped.message().contains("aws login"), "{stopped}");
        let passed = LoginSessionProvider::new(context("[default]\nregion = us-east-1\n"))
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(passed.kind(), CredentialsErrorKind::NotConfigured);
    }
}
