//! [`EnvProvider`]: credentials from `AWS_ACCESS_KEY_ID` and the variables that go with it.

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::profile::{self, Env};

/// Credentials from the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_SESSION_TOKEN` (else the legacy `AWS_SECURITY_TOKEN`), `AWS_CREDENTIAL_EXPIRATION`
/// and `AWS_ACCOUNT_ID`, as botocore's `EnvProvider` reads them.
#[derive(Debug, Clone)]
pub struct EnvProvider {
    env: Env,
}

/// The provider's name in errors and [`Credentials::source`].
const NAME: &str = "environment";

impl EnvProvider {
    pub fn new(env: Env) -> Self {
        EnvProvider { env }
    }

    /// The credentials, now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let found = profile::environment_credentials(&self.env)
            .map_err(|e| CredentialsError::invalid_configuration(NAME, e.to_string()))?;
        let credentials = found.ok_or_else(|| {
            CredentialsError::not_configured(NAME, "AWS_ACCESS_KEY_ID is not set")
        })?;
        Ok(match self.env.var("AWS_ACCOUNT_ID") {
            Some(account) => credentials.with_account_id(account),
            None => credentials,
        })
    }
}

impl ProvideCredentials for EnvProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;

    #[test]
    fn reads_the_key_pair_token_expiry_and_account() {
        let env = Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_SESSION_TOKEN", "token"),
            ("AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z"),
            ("AWS_ACCOUNT_ID", "111122223333"),
        ]);
        let creds = EnvProvider::new(env).load().unwrap();
        assert_eq!(creds.access_key_id(), "AKIDENV");
        assert_eq!(creds.session_token(), Some("token"));
        assert_eq!(creds.account_id(), Some("111122223333"));
        assert_eq!(creds.expires_at().unwrap().secs(), 1_893_456_000);
        assert_eq!(creds.source(), "environment");
    }

    #[test]
    fn unset_is_not_configured_and_half_a_pair_is_an_error() {
        let error = EnvProvider::new(Env::default()).load().unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
        let half = Env::from_vars([("AWS_ACCESS_KEY_ID", "AKID")]);
        let error = EnvProvider::new(half).load().unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(error.message().contains("AWS_SECRET_ACCESS_KEY"), "{error}");
    }
}
