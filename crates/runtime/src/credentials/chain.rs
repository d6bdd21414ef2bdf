//! [`CredentialsChain`]: providers tried in order; [`default_chain`]: the AWS CLI's order.

use super::{
    AssumeRoleProvider, CachedProvider, ContainerProvider, CredentialsError, CredentialsFuture,
    EnvProvider, ImdsProvider, ProcessProvider, ProfileKeysProvider, ProvideCredentials,
    ProviderContext, SsoProvider, WebIdentityProvider,
};
use crate::profile::FileKind;
use std::sync::Arc;

/// Providers tried in order: the first to give credentials wins.
///
/// A provider that does not apply ([`NotConfigured`](super::CredentialsErrorKind::NotConfigured))
/// passes to the next; one that is configured and fails ends the search with its error, as
/// in botocore (a broken `role_arn` profile must not silently fall through to instance
/// credentials). When none applies, the error lists what each one said.
#[derive(Debug, Clone, Default)]
pub struct CredentialsChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl CredentialsChain {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `provider`: it is tried after those already in the chain.
    pub fn or_else(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }

    /// The providers, in the order they are tried.
    pub fn providers(&self) -> &[Arc<dyn ProvideCredentials>] {
        &self.providers
    }

    async fn resolve(&self) -> Result<super::Credentials, CredentialsError> {
        let mut attempts = Vec::with_capacity(self.providers.len());
        for provider in &self.providers {
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(
                        source = credentials.source(),
                        access_key_id = credentials.access_key_id(),
                        expires_at = ?credentials.expires_at(),
                        "found credentials"
                    );
                    return Ok(credentials);
                }
                Err(error) if error.is_not_configured() => {
                    tracing::trace!(
                        provider = error.provider(),
                        reason = error.message(),
                        "skipped"
                    );
                    attempts.push(error);
                }
                Err(error) => {
                    tracing::debug!(%error, "the credential chain stopped at a failing provider");
                    return Err(error);
                }
            }
        }
        Err(CredentialsError::chain(attempts))
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.resolve())
    }
}

/// The credential chain of the AWS CLI (botocore's `create_credential_resolver`), cached:
///
/// 1. the environment ([`EnvProvider`]);
/// 2. a profile with `role_arn` ([`AssumeRoleProvider`]);
/// 3. the providers of the profile ([`profile_providers`]): web identity, SSO, the
///    credentials file's keys, `credential_process`, the config file's keys;
/// 4. ECS and EKS container credentials ([`ContainerProvider`]);
/// 5. the EC2 instance metadata service ([`ImdsProvider`]).
pub fn default_chain(context: &ProviderContext) -> CachedProvider {
    let mut chain = CredentialsChain::new()
        .or_else(EnvProvider::new(context.env().clone()))
        .or_else(AssumeRoleProvider::new(context.clone()));
    chain.providers.extend(profile_providers(context));
    let chain = chain
        .or_else(ContainerProvider::new(context.clone()))
        .or_else(ImdsProvider::new(context.clone()));
    CachedProvider::new(chain)
}

/// The providers that read the context's profile, in botocore's order
/// (`ProfileProviderBuilder.providers`): web identity, SSO, the credentials file's keys,
/// `credential_process`, the config file's keys. A `source_profile` without keys of its own
/// is resolved through these.
pub fn profile_providers(context: &ProviderContext) -> Vec<Arc<dyn ProvideCredentials>> {
    vec![
        Arc::new(WebIdentityProvider::new(context.clone())),
        Arc::new(SsoProvider::new(context.clone())),
        Arc::new(ProfileKeysProvider::new(
            context.clone(),
            FileKind::Credentials,
        )),
        Arc::new(ProcessProvider::new(context.clone())),
        Arc::new(ProfileKeysProvider::new(context.clone(), FileKind::Config)),
    ]
}

/// The provider a profile's `credential_source` names (`Environment`, `Ec2InstanceMetadata`,
/// `EcsContainer`), or `None` for another name.
pub(crate) fn credential_source(
    context: &ProviderContext,
    name: &str,
) -> Option<Arc<dyn ProvideCredentials>> {
    Some(match name {
        "Environment" => Arc::new(EnvProvider::new(context.env().clone())),
        "Ec2InstanceMetadata" => Arc::new(ImdsProvider::new(context.clone())),
        "EcsContainer" => Arc::new(ContainerProvider::new(context.clone())),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{Credentials, CredentialsErrorKind};

    #[derive(Debug)]
    struct Fails(CredentialsError);

    impl ProvideCredentials for Fails {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            Box::pin(std::future::ready(Err(self.0.clone())))
        }
    }

    #[tokio::test]
    async fn the_first_provider_that_applies_wins() {
        let chain = CredentialsChain::new()
            .or_else(Fails(CredentialsError::not_configured("a", "nothing here")))
            .or_else(Credentials::new("AKID", "SK", None, None, "b"))
            .or_else(Credentials::new("OTHER", "SK", None, None, "c"));
        let creds = chain.provide_credentials().await.unwrap();
        assert_eq!(creds.source(), "b");
    }

    #[tokio::test]
    async fn a_configured_provider_that_fails_ends_the_search() {
        let chain = CredentialsChain::new()
            .or_else(Fails(CredentialsError::invalid_configuration(
                "a",
                "source_profile `x` does not exist",
            )))
            .or_else(Credentials::new("AKID", "SK", None, None, "b"));
        let error = chain.provide_credentials().await.unwrap_err();
        assert_eq!(error.provider(), "a");
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
    }

    #[tokio::test]
    async fn when_none_applies_the_error_lists_each() {
        let chain = CredentialsChain::new()
            .or_else(Fails(CredentialsError::not_configured("a", "no A")))
            .or_else(Fails(CredentialsError::not_configured("b", "no B")));
        let error = chain.provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::Chain);
        let said: Vec<_> = error.attempts().iter().map(|e| e.provider()).collect();
        assert_eq!(said, ["a", "b"]);
        assert!(error.to_string().contains("- b: no B"), "{error}");
    }
}
