//! [`ProfileKeysProvider`]: static keys of a profile in the shared credentials file or the
//! shared config file.

use super::{
    Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext,
};
use crate::profile::FileKind;

/// Static keys (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`,
/// `aws_account_id`) of the context's profile, read from one of the two shared files.
///
/// botocore looks in the credentials file (`SharedCredentialProvider`) before
/// `credential_process` and in the config file (`ConfigProvider`) after it, so the default
/// chain holds two of these.
#[derive(Debug, Clone)]
pub struct ProfileKeysProvider {
    context: ProviderContext,
    file: FileKind,
}

impl ProfileKeysProvider {
    /// Keys of `context`'s profile in `file`.
    pub fn new(context: ProviderContext, file: FileKind) -> Self {
        ProfileKeysProvider { context, file }
    }

    fn name(&self) -> &'static str {
        match self.file {
            FileKind::Credentials => "shared-credentials-file",
            FileKind::Config => "config-file",
        }
    }

    /// The credentials, now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let name = self.name();
        let profile_name = self.context.profile_name();
        let not_here = || {
            CredentialsError::not_configured(
                name,
                format!(
                    "profile `{profile_name}` has no aws_access_key_id in the {}",
                    file_name(self.file)
                ),
            )
        };
        let Some(profile) = self.context.profiles().profile(profile_name) else {
            return Err(not_here());
        };
        let in_this_file = profile
            .property("aws_access_key_id")
            .is_some_and(|p| p.origin().file() == self.file);
        if !in_this_file {
            return Err(not_here());
        }
        let credentials = profile
            .static_credentials()
            .map_err(|e| CredentialsError::invalid_configuration(name, e.to_string()))?
            .ok_or_else(not_here)?;
        Ok(match profile.get("aws_account_id") {
            Some(account) => credentials.with_account_id(account),
            None => credentials,
        })
    }
}

fn file_name(file: FileKind) -> &'static str {
    match file {
        FileKind::Credentials => "shared credentials file",
        FileKind::Config => "shared config file",
    }
}

impl ProvideCredentials for ProfileKeysProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}
