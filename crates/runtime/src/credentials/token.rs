//! [`Token`] and [`ProvideToken`]: the bearer tokens of services whose model names
//! `smithy.api#httpBearerAuth` (Bedrock's API keys, CodeCatalyst's SSO token).

use super::CredentialsError;
use crate::DateTime;
use futures_util::future::BoxFuture;
use std::fmt;
use std::sync::Arc;

/// A bearer token, sent as `Authorization: Bearer <token>`.
///
/// Cloning is cheap. `Debug` never prints the token, and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    inner: Arc<TokenInner>,
}

#[derive(PartialEq, Eq)]
struct TokenInner {
    token: String,
    expires_at: Option<DateTime>,
    source: &'static str,
}

impl Token {
    pub fn new(
        token: impl Into<String>,
        expires_at: Option<DateTime>,
        source: &'static str,
    ) -> Self {
        Token {
            inner: Arc::new(TokenInner {
                token: token.into(),
                expires_at,
                source,
            }),
        }
    }

    /// The token itself: put it in a header, never in a log.
    pub fn token(&self) -> &str {
        &self.inner.token
    }

    pub fn expires_at(&self) -> Option<DateTime> {
        self.inner.expires_at
    }

    /// Where it came from: `environment`, `sso`, ...
    pub fn source(&self) -> &'static str {
        self.inner.source
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("token", &crate::debug::REDACTED)
            .field("expires_at", &self.inner.expires_at)
            .field("source", &self.inner.source)
            .finish()
    }
}

/// Resolves a bearer token.
pub trait ProvideToken: Send + Sync + fmt::Debug {
    fn provide_token(&self) -> BoxFuture<'_, Result<Token, CredentialsError>>;
}

impl ProvideToken for Token {
    fn provide_token(&self) -> BoxFuture<'_, Result<Token, CredentialsError>> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<P: ProvideToken + ?Sized> ProvideToken for Arc<P> {
    fn provide_token(&self) -> BoxFuture<'_, Result<Token, CredentialsError>> {
        (**self).provide_token()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token() {
        let token = Token::new("ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQ", None, "environment");
        let printed = format!("{token:?}");
        assert!(!printed.contains("ABSK"), "{printed}");
        assert!(printed.contains("environment"));
        assert_eq!(token.token(), "ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQ");
    }
}
