//! [`AssumeRoleProvider`]: credentials from a role_arn profile (AssumeRole).
//!
//! Being built (issue 12): until then the provider reports that it is not configured.

use super::{CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

/// Credentials from a role_arn profile (AssumeRole).
#[derive(Debug, Clone)]
pub struct AssumeRoleProvider {
    context: ProviderContext,
}

impl AssumeRoleProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        AssumeRoleProvider { context }
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let _ = &self.context;
        Box::pin(std::future::ready(Err(CredentialsError::not_configured(
            "assume-role",
            "not built yet",
        ))))
    }
}
