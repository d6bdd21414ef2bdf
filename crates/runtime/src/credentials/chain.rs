//! [`CredentialsChain`]: providers tried in order; [`default_chain`]: the AWS CLI's order.

use super::{
    AssumeRoleProvider, CachedProvider, ContainerProvider, CredentialsError, CredentialsFuture,
    EnvProvider, ImdsProvider, LoginSessionProvider, ProcessProvider, ProfileKeysProvider,
    ProvideCredentials, ProviderContext, SsoProvider, WebIdentityProvider,
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
///    credentials file's keys, `aws login` sessions (refused, see [`LoginSessionProvider`]),
///    `credential_process`, the config file's keys;
/// 4. ECS and EKS container credentials ([`ContainerProvider`]);
/// 5. the EC2 instance metadata service ([`ImdsProvider`]).
///
/// A profile chosen in code ([`ConfigBuilder::profile`](crate::config::ConfigBuilder::profile))
/// leaves out the environment's keys and web identity variables, as botocore does for a
/// session's explicit profile.
pub fn default_chain(context: &ProviderContext) -> CachedProvider {
    let mut chain = CredentialsChain::new();
    if !context.env_vars_disabled() {
        chain = chain.or_else(EnvProvider::new(context.env().clone()));
    }
    let mut chain = chain.or_else(AssumeRoleProvider::new(context.clone()));
    chain.providers.extend(profile_providers(context));
    let chain = chain
        .or_else(ContainerProvider::new(context.clone()))
        .or_else(ImdsProvider::new(context.clone()));
    CachedProvider::new(chain)
}

/// The providers that read the context's profile, in botocore's order
/// (`ProfileProviderBuilder.providers`): web identity, SSO, the credentials file's keys,
/// `aws login` sessions (not supported yet: such a profile stops the chain with an error that
/// says so), `credential_process`, the config file's keys. A `source_profile` without keys of its own
/// is resolved through these.
pub fn profile_providers(context: &ProviderContext) -> Vec<Arc<dyn ProvideCredentials>> {
    vec![
        Arc::new(WebIdentityProvider::new(context.clone())),
        Arc::new(SsoProvider::new(context.clone())),
        Arc::new(ProfileKeysProvider::new(
            context.clone(),
            FileKind::Credentials,
        )),
        Arc::new(LoginSessionProvider::new(context.clone())),
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

    #[tokio::test]
    async fn a_profile_chosen_in_code_leaves_the_environment_keys_out() {
        let dir =
            std::env::temp_dir().join(format!("stratus-chain-profile-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        std::fs::write(
            dir.join(".aws/credentials"),
            "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n",
        )
        .unwrap();
        let env = crate::profile::Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ])
        .with_home(&dir);
        let key = |config: crate::Config| async move {
            let provider = config.credentials_provider().unwrap().clone();
            provider
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id()
                .to_owned()
        };
        // botocore: AWS_PROFILE keeps the environment's keys first...
        let by_variable = crate::Config::builder()
            .load(env.clone().with_var("AWS_PROFILE", "dev"))
            .unwrap();
        assert_eq!(key(by_variable).await, "AKIDENV");
        // ...a profile chosen in code does not.
        let in_code = crate::Config::builder()
            .profile("dev")
            .load(env.clone())
            .unwrap();
        assert_eq!(key(in_code).await, "AKIDDEV");
        // A profile that does not exist is an error naming it.
        let missing = crate::Config::builder()
            .profile("nope")
            .load(env)
            .unwrap_err();
        assert!(missing.message.contains("nope"), "{missing}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn adding_an_mfa_callback_keeps_credentials_set_in_code() {
        let env = crate::profile::Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
        ])
        .with_home(std::env::temp_dir().join("stratus-chain-no-home"));
        let mfa = || crate::credentials::MfaTokenProvider::new(|_| Ok("123456".to_owned()));
        let key = |config: crate::Config| async move {
            let provider = config.credentials_provider().unwrap().clone();
            provider
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id()
                .to_owned()
        };
        let in_code = crate::Config::builder()
            .credentials(crate::Credentials::new("AKIDCODE", "s", None, None, "code"))
            .load(env.clone())
            .unwrap()
            .with_mfa_token_provider(mfa());
        assert_eq!(key(in_code).await, "AKIDCODE");
        // The default chain is rebuilt with the callback, and still finds its credentials.
        let chained = crate::Config::builder()
            .load(env)
            .unwrap()
            .with_mfa_token_provider(mfa());
        assert!(chained.mfa_token_provider().is_some());
        assert_eq!(key(chained).await, "AKIDENV");
    }
}
