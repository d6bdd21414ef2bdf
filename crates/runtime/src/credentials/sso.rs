//! [`SsoProvider`]: credentials from IAM Identity Center (SSO).
//!
//! Being built (issue 12): until then the provider reports that it is not configured.

use super::{CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

/// Credentials from IAM Identity Center (SSO).
#[derive(Debug, Clone)]
pub struct SsoProvider {
    context: ProviderContext,
}

impl SsoProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        SsoProvider { context }
    }
}

impl ProvideCredentials for SsoProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let _ = &self.context;
        Box::pin(std::future::ready(Err(CredentialsError::not_configured(
            "sso",
            "not built yet",
        ))))
    }
}
