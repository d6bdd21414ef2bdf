//! [`WebIdentityProvider`]: credentials from web identity (AssumeRoleWithWebIdentity).
//!
//! Being built (issue 12): until then the provider reports that it is not configured.

use super::{CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

/// Credentials from web identity (AssumeRoleWithWebIdentity).
#[derive(Debug, Clone)]
pub struct WebIdentityProvider {
    context: ProviderContext,
}

impl WebIdentityProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        WebIdentityProvider { context }
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let _ = &self.context;
        Box::pin(std::future::ready(Err(CredentialsError::not_configured(
            "web-identity",
            "not built yet",
        ))))
    }
}
