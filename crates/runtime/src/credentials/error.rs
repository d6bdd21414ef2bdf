//! [`CredentialsError`]: why a provider (or the whole chain) gave no credentials.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

/// Why a provider gave no credentials: which provider, what kind of failure, and a message
/// naming the file, variable or endpoint involved.
///
/// The error of a chain ([`CredentialsErrorKind::Chain`]) carries what each provider it
/// tried said, in order ([`CredentialsError::attempts`]), and prints them one per line.
///
/// Messages never hold a secret: providers name the setting, never its value.
#[derive(Clone)]
pub struct CredentialsError {
    provider: &'static str,
    kind: CredentialsErrorKind,
    message: String,
    attempts: Vec<CredentialsError>,
    source: Option<Arc<dyn StdError + Send + Sync>>,
}

/// What kind of failure a [`CredentialsError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The provider does not apply: nothing configures it (no variable, no profile key, no
    /// metadata service). A chain goes on to its next provider.
    NotConfigured,
    /// The provider is configured, but wrongly: a partial key pair, a `source_profile` that
    /// does not exist or loops, an unreadable token file. A chain stops here, as botocore's
    /// does, rather than silently using credentials from further down.
    InvalidConfiguration,
    /// The provider is configured and failed to get credentials: a service or endpoint
    /// answered with an error, a process exited non-zero, a response could not be read.
    ProviderFailed,
    /// The credentials the provider had have expired and could not be refreshed.
    Expired,
    /// No provider of a chain gave credentials; [`CredentialsError::attempts`] says why.
    Chain,
}

impl CredentialsError {
    /// An error of `provider` (a short name: `environment`, `assume-role`, `imds`, ...).
    pub fn new(
        provider: &'static str,
        kind: CredentialsErrorKind,
        message: impl Into<String>,
    ) -> Self {
        CredentialsError {
            provider,
            kind,
            message: message.into(),
            attempts: Vec::new(),
            source: None,
        }
    }

    /// `provider` does not apply: `message` says what it looked for.
    pub fn not_configured(provider: &'static str, message: impl Into<String>) -> Self {
        Self::new(provider, CredentialsErrorKind::NotConfigured, message)
    }

    /// `provider` is configured wrongly.
    pub fn invalid_configuration(provider: &'static str, message: impl Into<String>) -> Self {
        Self::new(
            provider,
            CredentialsErrorKind::InvalidConfiguration,
            message,
        )
    }

    /// `provider` failed to get credentials.
    pub fn provider_failed(provider: &'static str, message: impl Into<String>) -> Self {
        Self::new(provider, CredentialsErrorKind::ProviderFailed, message)
    }

    /// The error of a chain, from what its providers said.
    pub fn chain(attempts: Vec<CredentialsError>) -> Self {
        CredentialsError {
            provider: "chain",
            kind: CredentialsErrorKind::Chain,
            message: "no provider of the credential chain gave credentials".to_owned(),
            attempts,
            source: None,
        }
    }

    /// Attaches the underlying error (an I/O error, a service error).
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// The provider that failed (`chain` for a whole chain).
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// What went wrong, without the provider's name.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// For a chain: what each provider it tried said, in order. Empty otherwise.
    pub fn attempts(&self) -> &[CredentialsError] {
        &self.attempts
    }

    /// Whether a chain should go on to its next provider.
    pub fn is_not_configured(&self) -> bool {
        self.kind == CredentialsErrorKind::NotConfigured
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.provider, self.message)?;
        for attempt in &self.attempts {
            // Nested chains (a source profile's) indent their lines once more.
            let text = attempt.to_string().replace('\n', "\n  ");
            write!(f, "\n  - {text}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("CredentialsError");
        s.field("provider", &self.provider)
            .field("kind", &self.kind)
            .field("message", &self.message);
        if !self.attempts.is_empty() {
            s.field("attempts", &self.attempts);
        }
        if let Some(source) = &self.source {
            s.field("source", source);
        }
        s.finish()
    }
}

impl PartialEq for CredentialsError {
    /// Compares provider, kind, message and attempts (not the underlying error).
    fn eq(&self, other: &Self) -> bool {
        self.provider == other.provider
            && self.kind == other.kind
            && self.message == other.message
            && self.attempts == other.attempts
    }
}

impl StdError for CredentialsError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_error_lists_every_provider_one_per_line() {
        let inner = CredentialsError::chain(vec![CredentialsError::not_configured(
            "imds",
            "AWS_EC2_METADATA_DISABLED is true",
        )]);
        let error = CredentialsError::chain(vec![
            CredentialsError::not_configured("environment", "AWS_ACCESS_KEY_ID is not set"),
            inner,
        ]);
        assert_eq!(
            error.to_string(),
            "chain: no provider of the credential chain gave credentials\n  \
             - environment: AWS_ACCESS_KEY_ID is not set\n  \
             - chain: no provider of the credential chain gave credentials\n    \
             - imds: AWS_EC2_METADATA_DISABLED is true"
        );
        assert_eq!(error.attempts().len(), 2);
        assert_eq!(error.kind(), CredentialsErrorKind::Chain);
    }

    #[test]
    fn the_source_is_kept() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let error = CredentialsError::invalid_configuration("web-identity", "cannot read x")
            .with_source(io);
        assert_eq!(
            error.source().map(ToString::to_string).as_deref(),
            Some("no such file")
        );
        assert!(!error.is_not_configured());
    }
}
