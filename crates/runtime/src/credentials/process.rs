//! [`ProcessProvider`]: credentials from credential_process.
//!
//! Being built (issue 12): until then the provider reports that it is not configured.

use super::{CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

/// Credentials from credential_process.
#[derive(Debug, Clone)]
pub struct ProcessProvider {
    context: ProviderContext,
}

impl ProcessProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        ProcessProvider { context }
    }
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let _ = &self.context;
        Box::pin(std::future::ready(Err(CredentialsError::not_configured(
            "process",
            "not built yet",
        ))))
    }
}
