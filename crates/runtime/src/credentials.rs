//! AWS credentials and the providers that resolve them.

use crate::DateTime;
use std::fmt;

/// An access key pair, with the session token of temporary credentials.
///
/// `Debug` never prints the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expires_at: Option<DateTime>,
    /// Where the credentials came from (e.g. `environment`, `profile:default`), for errors and logs.
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
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expires_at,
            source,
        }
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
    pub fn expires_at(&self) -> Option<DateTime> {
        self.expires_at
    }
    pub fn source(&self) -> &'static str {
        self.source
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &crate::debug::REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| crate::debug::REDACTED),
            )
            .field("expires_at", &self.expires_at)
            .field("source", &self.source)
            .finish()
    }
}

/// Resolves credentials, possibly asynchronously (a file, a process, a service call).
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    fn provide_credentials(
        &self,
    ) -> futures_util::future::BoxFuture<'_, Result<Credentials, crate::error::CredentialsError>>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(
        &self,
    ) -> futures_util::future::BoxFuture<'_, Result<Credentials, crate::error::CredentialsError>>
    {
        Box::pin(std::future::ready(Ok(self.clone())))
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
        );
        let printed = format!("{creds:?}");
        assert!(printed.contains("AKIDEXAMPLE"));
        assert!(!printed.contains("wJalrXUtnFEMI"));
        assert!(!printed.contains("tok3n"));
    }
}
