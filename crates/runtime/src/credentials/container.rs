//! [`ContainerProvider`]: credentials from ECS and EKS container credentials.
//!
//! Being built (issue 12): until then the provider reports that it is not configured.

use super::{CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

/// Credentials from ECS and EKS container credentials.
#[derive(Debug, Clone)]
pub struct ContainerProvider {
    context: ProviderContext,
}

impl ContainerProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        ContainerProvider { context }
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let _ = &self.context;
        Box::pin(std::future::ready(Err(CredentialsError::not_configured(
            "container",
            "not built yet",
        ))))
    }
}
