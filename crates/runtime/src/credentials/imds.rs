//! [`ImdsProvider`]: credentials from the EC2 instance metadata service (IMDSv2).
//!
//! Being built (issue 12): until then the provider reports that it is not configured.

use super::{CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

/// Credentials from the EC2 instance metadata service (IMDSv2).
#[derive(Debug, Clone)]
pub struct ImdsProvider {
    context: ProviderContext,
}

impl ImdsProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        ImdsProvider { context }
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let _ = &self.context;
        Box::pin(std::future::ready(Err(CredentialsError::not_configured(
            "imds",
            "not built yet",
        ))))
    }
}
