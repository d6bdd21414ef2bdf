//! [`AssumeRoleProvider`]: credentials of a role a profile names (`role_arn`), assumed with
//! STS `AssumeRole` using the credentials of its `source_profile` or `credential_source`,
//! as botocore's `AssumeRoleProvider` and `AssumeRoleCredentialFetcher` do.
//!
//! Source profiles chain to any depth (`c` -> `b` -> `a` -> static keys): each link is one
//! `AssumeRole` call signed with the credentials of the link below. A loop is an error
//! naming the profiles in it, found before any call is made.
//!
//! Differences from botocore, on purpose:
//! - the whole chain is assumed again on each refresh (the [`CachedProvider`] holding this
//!   provider decides when); botocore keeps a refreshable credential per link;
//! - with `mfa_serial`, the [`MfaTokenProvider`] is asked again on each refresh, where
//!   botocore refuses to refresh (`RefreshWithMFAUnsupportedError`);
//! - the default session name is `stratus-session-<epoch seconds>`, not
//!   `botocore-session-<epoch seconds>`.
//!
//! [`CachedProvider`]: super::CachedProvider

use super::chain::{CredentialsChain, credential_source, profile_providers};
use super::sts::{self, AssumeRoleInput, AssumeRoleOutput};
use super::{
    Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture, ProvideCredentials,
    ProviderContext, service,
};
use crate::profile::Section;
use futures_util::future::BoxFuture;
use std::fmt;
use std::sync::Arc;

/// The provider's name in errors and [`Credentials::source`].
const NAME: &str = "assume-role";

/// Answers the MFA code for an `mfa_serial` (the serial number or ARN of the device), as
/// botocore's `mfa_prompter` (`getpass` by default) does.
///
/// The callback may block (reading a terminal, say): it runs on tokio's blocking pool.
/// An `Err` ends the credential lookup with its message.
#[derive(Clone)]
pub struct MfaTokenProvider {
    callback: Arc<MfaCallback>,
}

/// The callback of an [`MfaTokenProvider`]: the MFA serial in, the code or why not out.
type MfaCallback = dyn Fn(&str) -> Result<String, String> + Send + Sync;

impl MfaTokenProvider {
    /// A provider that calls `callback` with the `mfa_serial` for each code it needs.
    pub fn new(callback: impl Fn(&str) -> Result<String, String> + Send + Sync + 'static) -> Self {
        MfaTokenProvider {
            callback: Arc::new(callback),
        }
    }

    async fn token_code(&self, serial: &str) -> Result<String, String> {
        let callback = Arc::clone(&self.callback);
        let serial = serial.to_owned();
        tokio::task::spawn_blocking(move || callback(&serial))
            .await
            .unwrap_or_else(|e| Err(format!("the MFA callback panicked or was cancelled: {e}")))
    }
}

impl fmt::Debug for MfaTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MfaTokenProvider")
    }
}

/// Credentials of the role of the context's profile: `role_arn` with `source_profile` or
/// `credential_source`, and `external_id`, `mfa_serial`, `role_session_name`,
/// `duration_seconds`.
///
/// Not configured when the profile has no `role_arn`, or has `web_identity_token_file`
/// (then it is the [`WebIdentityProvider`](super::WebIdentityProvider)'s).
#[derive(Debug, Clone)]
pub struct AssumeRoleProvider {
    context: ProviderContext,
}

impl AssumeRoleProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        AssumeRoleProvider { context }
    }

    /// The credentials, now: one `AssumeRole` call per link of the chain.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let name = self.context.profile_name();
        let applies = self
            .context
            .profiles()
            .profile(name)
            .is_some_and(has_assume_role_config);
        if !applies {
            return Err(CredentialsError::not_configured(
                NAME,
                format!("profile `{name}` has no role_arn"),
            ));
        }
        let mut visited = vec![name.to_owned()];
        assume(&self.context, name.to_owned(), &mut visited).await
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// botocore's `_has_assume_role_config_vars`: `role_arn` and no `web_identity_token_file`.
fn has_assume_role_config(profile: &Section) -> bool {
    profile.property("role_arn").is_some() && profile.property("web_identity_token_file").is_none()
}

/// botocore's `_has_static_credentials`: either key is present, even empty.
fn has_static_credentials(profile: &Section) -> bool {
    profile.property("aws_access_key_id").is_some()
        || profile.property("aws_secret_access_key").is_some()
}

/// Where the credentials that call `AssumeRole` come from.
enum Source {
    Profile(String),
    Named(String),
}

/// What a role profile says (botocore's `_get_role_config`), validated.
struct RoleConfig {
    role_arn: String,
    source: Source,
    external_id: Option<String>,
    mfa_serial: Option<String>,
    role_session_name: Option<String>,
    duration_seconds: Option<i32>,
    region: Option<String>,
}

impl RoleConfig {
    fn read(profile: &Section) -> Result<Self, CredentialsError> {
        let name = profile.name();
        let text = |key: &str| -> Result<Option<String>, CredentialsError> {
            match profile.property(key) {
                None => Ok(None),
                Some(property) => match property.value().as_text() {
                    Some(text) => Ok(Some(text.to_owned())),
                    None => Err(CredentialsError::invalid_configuration(
                        NAME,
                        format!(
                            "`{key}` of profile `{name}` ({}) has nested values, not a single one",
                            property.origin()
                        ),
                    )),
                },
            }
        };
        let role_arn = text("role_arn")?.unwrap_or_default();
        let source = match (text("source_profile")?, text("credential_source")?) {
            (Some(_), Some(_)) => {
                return Err(CredentialsError::invalid_configuration(
                    NAME,
                    format!(
                        "The profile \"{name}\" contains both source_profile and \
                         credential_source."
                    ),
                ));
            }
            (None, None) => {
                // botocore: PartialCredentialsError(cred_var='source_profile or
                // credential_source').
                return Err(CredentialsError::invalid_configuration(
                    NAME,
                    format!(
                        "profile \"{name}\" has role_arn but neither source_profile nor \
                         credential_source (partial credentials found in assume-role, \
                         missing: source_profile or credential_source)"
                    ),
                ));
            }
            (Some(profile), None) => Source::Profile(profile),
            (None, Some(source)) => Source::Named(source),
        };
        // botocore ignores a duration_seconds that is not an integer (`except ValueError:
        // pass`) and lets STS judge the range; so do we, but say so in the logs' stead: the
        // value is simply not sent.
        let duration_seconds = text("duration_seconds")?.and_then(|d| d.trim().parse().ok());
        Ok(RoleConfig {
            role_arn,
            source,
            external_id: text("external_id")?,
            mfa_serial: text("mfa_serial")?,
            role_session_name: text("role_session_name")?,
            duration_seconds,
            region: text("region")?.filter(|r| !r.is_empty()),
        })
    }
}

/// Assumes the role of `profile_name`, resolving its source first. `visited` lists the
/// profiles of the chain so far, `profile_name` last.
fn assume<'a>(
    context: &'a ProviderContext,
    profile_name: String,
    visited: &'a mut Vec<String>,
) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
    Box::pin(async move {
        let profiles = context.profiles();
        let Some(profile) = profiles.profile(&profile_name) else {
            // Checked by the caller; kept as an error rather than a panic.
            return Err(CredentialsError::invalid_configuration(
                NAME,
                format!("profile `{profile_name}` does not exist"),
            ));
        };
        let role = RoleConfig::read(profile)?;
        let source_credentials = match &role.source {
            Source::Named(name) => from_credential_source(context, &profile_name, name).await?,
            Source::Profile(source) => {
                check_source_profile(context, &profile_name, source, visited)?;
                visited.push(source.clone());
                from_source_profile(context, source, visited).await?
            }
        };
        call_assume_role(context, &profile_name, &role, source_credentials).await
    })
}

/// botocore's `_validate_source_profile`: the source profile exists and does not loop back.
fn check_source_profile(
    context: &ProviderContext,
    parent: &str,
    source: &str,
    visited: &[String],
) -> Result<(), CredentialsError> {
    let Some(source_profile) = context.profiles().profile(source) else {
        return Err(CredentialsError::invalid_configuration(
            NAME,
            format!(
                "The source_profile \"{source}\" referenced in the profile \"{parent}\" does \
                 not exist."
            ),
        ));
    };
    if !visited.iter().any(|v| v == source) {
        return Ok(());
    }
    // A profile may name itself when it holds static keys: the role's configuration and
    // the keys that assume it live in one profile. Anything else that comes back is a loop.
    if source == parent && has_static_credentials(source_profile) {
        return Ok(());
    }
    let mut path = visited.join(" -> ");
    path.push_str(" -> ");
    path.push_str(source);
    Err(CredentialsError::invalid_configuration(
        NAME,
        format!(
            "Infinite loop in credential configuration detected: source_profile \"{source}\" \
             of profile \"{parent}\" has already been visited ({path})"
        ),
    ))
}

/// botocore's `_resolve_credentials_from_profile`.
async fn from_source_profile(
    context: &ProviderContext,
    source: &str,
    visited: &mut Vec<String>,
) -> Result<Credentials, CredentialsError> {
    let Some(profile) = context.profiles().profile(source) else {
        return Err(CredentialsError::invalid_configuration(
            NAME,
            format!("source profile `{source}` does not exist"),
        ));
    };
    // Static keys win over the profile's own role_arn (a profile that is its own source);
    // a profile with neither goes through the profile's providers too (SSO,
    // credential_process, web identity), as botocore does.
    if has_static_credentials(profile) || !has_assume_role_config(profile) {
        let source_context = context.clone().with_profile(source).without_env_vars();
        let mut chain = CredentialsChain::new();
        for provider in profile_providers(&source_context) {
            chain = chain.or_else(provider);
        }
        return match chain.provide_credentials().await {
            Ok(credentials) => Ok(credentials),
            Err(error) if error.kind() == CredentialsErrorKind::Chain => {
                let mut message = format!("The source profile \"{source}\" must have credentials.");
                for attempt in error.attempts() {
                    message.push_str(&format!("\n  - {attempt}"));
                }
                Err(CredentialsError::invalid_configuration(NAME, message))
            }
            Err(error) => Err(error),
        };
    }
    assume(context, source.to_owned(), visited).await
}

/// botocore's `_resolve_credentials_from_source`.
async fn from_credential_source(
    context: &ProviderContext,
    profile_name: &str,
    name: &str,
) -> Result<Credentials, CredentialsError> {
    let Some(provider) = credential_source(context, name) else {
        return Err(CredentialsError::invalid_configuration(
            NAME,
            format!(
                "The credential source \"{name}\" referenced in profile \"{profile_name}\" is \
                 not valid (valid: Environment, Ec2InstanceMetadata, EcsContainer)."
            ),
        ));
    };
    match provider.provide_credentials().await {
        Ok(credentials) => Ok(credentials),
        Err(error) if error.is_not_configured() => Err(CredentialsError::provider_failed(
            NAME,
            format!(
                "No credentials found in credential_source \"{name}\" referenced in profile \
                 \"{profile_name}\": {error}"
            ),
        )),
        Err(error) => Err(error),
    }
}

/// The `AssumeRole` call of one link, signed with `source_credentials`.
async fn call_assume_role(
    context: &ProviderContext,
    profile_name: &str,
    role: &RoleConfig,
    source_credentials: Credentials,
) -> Result<Credentials, CredentialsError> {
    let what = format!(
        "AssumeRole of role `{}` for profile `{profile_name}`",
        role.role_arn
    );
    let token_code = match &role.mfa_serial {
        None => None,
        Some(serial) => {
            let Some(mfa) = context.mfa_token_provider() else {
                return Err(CredentialsError::invalid_configuration(
                    NAME,
                    format!(
                        "profile `{profile_name}` sets mfa_serial `{serial}`, but no MFA token \
                         provider is configured (ConfigBuilder::mfa_token_provider)"
                    ),
                ));
            };
            let code = mfa.token_code(serial).await.map_err(|e| {
                CredentialsError::provider_failed(
                    NAME,
                    format!("{what}: the MFA token provider failed for `{serial}`: {e}"),
                )
            })?;
            Some(code)
        }
    };
    let input = AssumeRoleInput {
        role_arn: role.role_arn.clone(),
        role_session_name: role
            .role_session_name
            .clone()
            .unwrap_or_else(sts::default_session_name),
        duration_seconds: role.duration_seconds,
        external_id: role.external_id.clone(),
        serial_number: role.mfa_serial.clone(),
        token_code,
    };
    let signer: Arc<dyn ProvideCredentials> = Arc::new(source_credentials);
    // botocore creates the STS client with the session's region (the environment's, else
    // the active profile's); a link's own `region` serves when there is none.
    let region = context.config().region().or(role.region.as_deref());
    let output: AssumeRoleOutput =
        service::call(context, &sts::ASSUME_ROLE, region, Some(signer), input)
            .await
            .map_err(|e| {
                let message = format!("{what} failed: {e}");
                CredentialsError::provider_failed(NAME, message).with_source(e)
            })?;
    output.into_credentials(NAME, &what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::sts::test_support::{StsServer, TempDir, context, error};

    const BASE_KEYS: &str = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n";

    /// What a case expects: the credentials' access key and the `AssumeRole` calls made
    /// (role name, signing key), or an error of this kind whose message holds these texts.
    enum Expect {
        Ok(&'static str, &'static [(&'static str, &'static str)]),
        Err(CredentialsErrorKind, &'static [&'static str]),
    }

    struct Case {
        name: &'static str,
        config: &'static str,
        credentials: &'static str,
        /// The active profile (the context's, not `AWS_PROFILE`: `Config::from_shared`
        /// rejects a selected profile that does not exist, and some cases have none).
        profile: &'static str,
        env: &'static [(&'static str, &'static str)],
        expect: Expect,
    }

    fn role(name: &str) -> String {
        format!("arn:aws:iam::111122223333:role/{name}")
    }

    const CASES: &[Case] = &[
        Case {
            name: "depth 1: a -> static keys",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = base\n",
            credentials: BASE_KEYS,
            profile: "a",
            env: &[],
            expect: Expect::Ok("ASIAra", &[("ra", "AKIDBASE")]),
        },
        Case {
            name: "depth 2: b -> a -> static keys",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = base\n\
                     [profile b]\nrole_arn = arn:aws:iam::111122223333:role/rb\nsource_profile = a\n",
            credentials: BASE_KEYS,
            profile: "b",
            env: &[],
            expect: Expect::Ok("ASIArb", &[("ra", "AKIDBASE"), ("rb", "ASIAra")]),
        },
        Case {
            name: "depth 3: c -> b -> a -> static keys",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = base\n\
                     [profile b]\nrole_arn = arn:aws:iam::111122223333:role/rb\nsource_profile = a\n\
                     [profile c]\nrole_arn = arn:aws:iam::111122223333:role/rc\nsource_profile = b\n",
            credentials: BASE_KEYS,
            profile: "c",
            env: &[],
            expect: Expect::Ok(
                "ASIArc",
                &[("ra", "AKIDBASE"), ("rb", "ASIAra"), ("rc", "ASIArb")],
            ),
        },
        Case {
            name: "a source profile with keys and role_arn: its keys win",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = b\n\
                     [profile b]\nrole_arn = arn:aws:iam::111122223333:role/rb\nsource_profile = base\n",
            credentials: "[b]\naws_access_key_id = AKIDB\naws_secret_access_key = s\n",
            profile: "a",
            env: &[],
            expect: Expect::Ok("ASIAra", &[("ra", "AKIDB")]),
        },
        Case {
            name: "a profile that is its own source, with keys",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = a\n",
            credentials: "[a]\naws_access_key_id = AKIDA\naws_secret_access_key = s\n",
            profile: "a",
            env: &[],
            expect: Expect::Ok("ASIAra", &[("ra", "AKIDA")]),
        },
        Case {
            name: "cycle a -> a without keys",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = a\n",
            credentials: "",
            profile: "a",
            env: &[],
            expect: Expect::Err(
                CredentialsErrorKind::InvalidConfiguration,
                &["Infinite loop", "(a -> a)"],
            ),
        },
        Case {
            name: "cycle a -> b -> a",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = b\n\
                     [profile b]\nrole_arn = arn:aws:iam::111122223333:role/rb\nsource_profile = a\n",
            credentials: "",
            profile: "a",
            env: &[],
            expect: Expect::Err(
                CredentialsErrorKind::InvalidConfiguration,
                &["Infinite loop", "(a -> b -> a)"],
            ),
        },
        Case {
            name: "cycle c -> b -> a -> b",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = b\n\
                     [profile b]\nrole_arn = arn:aws:iam::111122223333:role/rb\nsource_profile = a\n\
                     [profile c]\nrole_arn = arn:aws:iam::111122223333:role/rc\nsource_profile = b\n",
            credentials: "",
            profile: "c",
            env: &[],
            expect: Expect::Err(
                CredentialsErrorKind::InvalidConfiguration,
                &["(c -> b -> a -> b)"],
            ),
        },
        Case {
            name: "a missing source_profile",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = nope\n",
            credentials: "",
            profile: "a",
            env: &[],
            expect: Expect::Err(
                CredentialsErrorKind::InvalidConfiguration,
                &["The source_profile \"nope\" referenced in the profile \"a\" does not exist."],
            ),
        },
        Case {
            name: "a source profile without credentials",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = empty\n\
                     [profile empty]\nregion = us-west-2\n",
            credentials: "",
            profile: "a",
            env: &[],
            expect: Expect::Err(
                CredentialsErrorKind::InvalidConfiguration,
                &[
                    "The source profile \"empty\" must have credentials.",
                    "web-identity:",
                ],
            ),
        },
        Case {
            name: "a source profile does not read the environment's web identity",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = empty\n\
                     [profile empty]\nregion = us-west-2\n",
            credentials: "",
            profile: "a",
            env: &[
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token"),
                ("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/web"),
            ],
            expect: Expect::Err(
                CredentialsErrorKind::InvalidConfiguration,
                &[
                    "must have credentials",
                    "profile `empty` has no web_identity_token_file",
                ],
            ),
        },
        Case {
            name: "role_arn with neither source",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\n",
            credentials: "",
            profile: "a",
            env: &[],
            expect: Expect::Err(
                CredentialsErrorKind::InvalidConfiguration,
                &[
                    "profile \"a\"",
                    "missing: source_profile or credential_source",
                ],
            ),
        },
        Case {
            name: "both source_profile and credential_source",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = base\n\
                     credential_source = Environment\n",
            credentials: BASE_KEYS,
            profile: "a",
            env: &[],
            expect: Expect::Err(
                CredentialsErrorKind::InvalidConfiguration,
                &["The profile \"a\" contains both source_profile and credential_source."],
            ),
        },
        Case {
            name: "credential_source = Environment",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\ncredential_source = Environment\n",
            credentials: "",
            profile: "a",
            env: &[
                ("AWS_ACCESS_KEY_ID", "AKIDENV"),
                ("AWS_SECRET_ACCESS_KEY", "s"),
            ],
            expect: Expect::Ok("ASIAra", &[("ra", "AKIDENV")]),
        },
        Case {
            name: "credential_source = Environment without variables",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\ncredential_source = Environment\n",
            credentials: "",
            profile: "a",
            env: &[],
            expect: Expect::Err(
                CredentialsErrorKind::ProviderFailed,
                &[
                    "No credentials found in credential_source \"Environment\" referenced in profile \"a\"",
                ],
            ),
        },
        Case {
            name: "an unknown credential_source",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\ncredential_source = Laptop\n",
            credentials: "",
            profile: "a",
            env: &[],
            expect: Expect::Err(
                CredentialsErrorKind::InvalidConfiguration,
                &["The credential source \"Laptop\" referenced in profile \"a\" is not valid"],
            ),
        },
        Case {
            name: "a chain from a credentials-file profile ([x] there)",
            config: "",
            credentials: "[a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = base\n\
                          [base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n",
            profile: "a",
            env: &[],
            expect: Expect::Ok("ASIAra", &[("ra", "AKIDBASE")]),
        },
        Case {
            name: "[a] in the config file is not profile a",
            config: "[a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = base\n",
            credentials: BASE_KEYS,
            profile: "a",
            env: &[],
            expect: Expect::Err(
                CredentialsErrorKind::NotConfigured,
                &["profile `a` has no role_arn"],
            ),
        },
        Case {
            name: "[profile a] in the credentials file is not profile a",
            config: "",
            credentials: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = base\n",
            profile: "a",
            env: &[],
            expect: Expect::Err(
                CredentialsErrorKind::NotConfigured,
                &["profile `a` has no role_arn"],
            ),
        },
        Case {
            name: "[profile base] in the config file is a source profile",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\nsource_profile = base\n\
                     [profile base]\naws_access_key_id = AKIDCONF\naws_secret_access_key = s\n",
            credentials: "",
            profile: "a",
            env: &[],
            expect: Expect::Ok("ASIAra", &[("ra", "AKIDCONF")]),
        },
        Case {
            name: "a web identity profile is not an assume-role profile",
            config: "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/ra\n\
                     web_identity_token_file = /tmp/token\n",
            credentials: "",
            profile: "a",
            env: &[],
            expect: Expect::Err(
                CredentialsErrorKind::NotConfigured,
                &["profile `a` has no role_arn"],
            ),
        },
    ];

    #[tokio::test]
    async fn profile_files_table() {
        for case in CASES {
            let server = StsServer::start().await;
            let dir = TempDir::new();
            let ctx = context(&dir, case.config, case.credentials, case.env, &server)
                .with_profile(case.profile);
            let result = AssumeRoleProvider::new(ctx).load().await;
            let calls: Vec<(String, String)> = server
                .received()
                .iter()
                .map(|r| {
                    let arn = r.param("RoleArn").unwrap_or_default();
                    let role = arn.rsplit('/').next().unwrap_or_default().to_owned();
                    (role, r.signed_by().unwrap_or_default().to_owned())
                })
                .collect();
            match (&case.expect, result) {
                (Expect::Ok(key, expected_calls), Ok(creds)) => {
                    assert_eq!(creds.access_key_id(), *key, "{}", case.name);
                    assert_eq!(creds.source(), "assume-role", "{}", case.name);
                    assert_eq!(creds.account_id(), Some("111122223333"), "{}", case.name);
                    assert_eq!(
                        creds.expires_at().map(|at| at.secs()),
                        Some(1_893_456_000),
                        "{}",
                        case.name
                    );
                    let expected: Vec<(String, String)> = expected_calls
                        .iter()
                        .map(|(r, k)| (r.to_string(), k.to_string()))
                        .collect();
                    assert_eq!(calls, expected, "{}", case.name);
                }
                (Expect::Err(kind, texts), Err(error)) => {
                    assert_eq!(error.kind(), *kind, "{}: {error}", case.name);
                    assert_eq!(error.provider(), NAME, "{}: {error}", case.name);
                    for text in *texts {
                        assert!(error.message().contains(text), "{}: {error}", case.name);
                    }
                    assert!(calls.is_empty(), "{}: {calls:?}", case.name);
                }
                (_, result) => panic!("{}: unexpected {result:?}", case.name),
            }
        }
    }

    fn one_role(extra: &str) -> String {
        format!(
            "[profile a]\nrole_arn = {}\nsource_profile = base\n{extra}",
            role("ra")
        )
    }

    #[tokio::test]
    async fn sends_the_session_name_external_id_duration_and_mfa_code() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        let config = one_role(
            "role_session_name = my-session\nexternal_id = ext-123\nduration_seconds = 1800\n\
             mfa_serial = arn:aws:iam::111122223333:mfa/me\n",
        );
        let ctx = context(&dir, &config, BASE_KEYS, &[("AWS_PROFILE", "a")], &server);
        let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = Arc::clone(&asked);
        let mfa = MfaTokenProvider::new(move |serial| {
            log.lock().unwrap().push(serial.to_owned());
            Ok("123456".to_owned())
        });
        let config = ctx.config().with_mfa_token_provider(mfa);
        let ctx = ProviderContext::new(&config);
        let creds = AssumeRoleProvider::new(ctx).load().await.unwrap();
        assert_eq!(creds.session_token(), Some("token-ra"));
        let sent = &server.received()[0];
        assert_eq!(sent.param("Action"), Some("AssumeRole"));
        assert_eq!(sent.param("Version"), Some("2011-06-15"));
        assert_eq!(sent.param("RoleArn"), Some(role("ra").as_str()));
        assert_eq!(sent.param("RoleSessionName"), Some("my-session"));
        assert_eq!(sent.param("ExternalId"), Some("ext-123"));
        assert_eq!(sent.param("DurationSeconds"), Some("1800"));
        assert_eq!(
            sent.param("SerialNumber"),
            Some("arn:aws:iam::111122223333:mfa/me")
        );
        assert_eq!(sent.param("TokenCode"), Some("123456"));
        assert_eq!(*asked.lock().unwrap(), ["arn:aws:iam::111122223333:mfa/me"]);
    }

    #[tokio::test]
    async fn without_optional_keys_only_the_arn_and_a_generated_session_name_are_sent() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        // A duration that is not an integer is left out, as botocore does.
        let config = one_role("duration_seconds = soon\n");
        let ctx = context(&dir, &config, BASE_KEYS, &[("AWS_PROFILE", "a")], &server);
        AssumeRoleProvider::new(ctx).load().await.unwrap();
        let sent = &server.received()[0];
        let keys: Vec<&str> = sent.params.keys().map(String::as_str).collect();
        assert_eq!(keys, ["Action", "RoleArn", "RoleSessionName", "Version"]);
        let session = sent.param("RoleSessionName").unwrap();
        let secs: u64 = session
            .strip_prefix("stratus-session-")
            .unwrap()
            .parse()
            .unwrap();
        assert!(secs > 1_700_000_000, "{session}");
    }

    #[tokio::test]
    async fn the_mfa_token_provider_reaches_the_default_chain_of_a_shared_config() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        let config = one_role("mfa_serial = arn:aws:iam::111122223333:mfa/me\n");
        let ctx = context(&dir, &config, BASE_KEYS, &[("AWS_PROFILE", "a")], &server);
        let shared = crate::Config::from_shared(ctx.env().clone()).unwrap();
        let shared = shared.with_mfa_token_provider(MfaTokenProvider::new(|_| Ok("654321".into())));
        let provider = shared.credentials_provider().unwrap();
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "ASIAra");
        assert_eq!(server.received()[0].param("TokenCode"), Some("654321"));
        // A built config carries it to the providers' context too.
        let built = crate::Config::builder()
            .mfa_token_provider(MfaTokenProvider::new(|_| Ok("000000".into())))
            .build();
        assert!(ProviderContext::new(&built).mfa_token_provider().is_some());
        assert!(
            ProviderContext::new(&crate::Config::builder().build())
                .mfa_token_provider()
                .is_none()
        );
    }

    #[tokio::test]
    async fn mfa_serial_without_a_token_provider_is_a_configuration_error() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        let config = one_role("mfa_serial = arn:aws:iam::111122223333:mfa/me\n");
        let ctx = context(&dir, &config, BASE_KEYS, &[("AWS_PROFILE", "a")], &server);
        let error = AssumeRoleProvider::new(ctx).load().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(error.message().contains("mfa_serial"), "{error}");
        assert!(server.received().is_empty());
    }

    #[tokio::test]
    async fn a_failing_mfa_callback_ends_the_lookup_with_its_message() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        let config = one_role("mfa_serial = arn:aws:iam::111122223333:mfa/me\n");
        let ctx = context(&dir, &config, BASE_KEYS, &[("AWS_PROFILE", "a")], &server);
        let config = ctx
            .config()
            .with_mfa_token_provider(MfaTokenProvider::new(|_| Err("user gave up".into())));
        let error = AssumeRoleProvider::new(ProviderContext::new(&config))
            .load()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        assert!(error.message().contains("user gave up"), "{error}");
        assert!(server.received().is_empty());
    }

    #[tokio::test]
    async fn an_sts_error_names_the_profile_the_role_and_what_sts_said() {
        let server = StsServer::with(|request| {
            if request.param("RoleArn").is_some_and(|a| a.ends_with("/rb")) {
                (403, error("AccessDenied", "not authorized to assume rb"))
            } else {
                (200, super::sts::test_support::success(request))
            }
        })
        .await;
        let dir = TempDir::new();
        let config = format!(
            "{}[profile b]\nrole_arn = {}\nsource_profile = a\n",
            one_role(""),
            role("rb")
        );
        let ctx = context(&dir, &config, BASE_KEYS, &[("AWS_PROFILE", "b")], &server);
        let error = AssumeRoleProvider::new(ctx).load().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        let message = error.message();
        for text in [
            "profile `b`",
            "arn:aws:iam::111122223333:role/rb",
            "AccessDenied",
            "not authorized to assume rb",
        ] {
            assert!(message.contains(text), "{error}");
        }
        assert!(std::error::Error::source(&error).is_some());
        // The source keys and the intermediate role's secret appear nowhere.
        let printed = format!("{error} {error:?}");
        assert!(!printed.contains("secret-ra"), "{printed}");
    }

    #[tokio::test]
    async fn a_response_that_is_not_sts_xml_is_an_error_not_a_panic() {
        let server = StsServer::with(|_| (200, "<html>nope".to_owned())).await;
        let dir = TempDir::new();
        let ctx = context(
            &dir,
            &one_role(""),
            BASE_KEYS,
            &[("AWS_PROFILE", "a")],
            &server,
        );
        let error = AssumeRoleProvider::new(ctx).load().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        assert!(error.message().contains("profile `a`"), "{error}");
    }

    #[tokio::test]
    async fn a_source_profile_with_web_identity_is_assumed_with_it() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        let token = dir.write("token", "jwt-token");
        let config = format!(
            "[profile a]\nrole_arn = {}\nsource_profile = web\n\
             [profile web]\nrole_arn = {}\nweb_identity_token_file = {}\n",
            role("ra"),
            role("rweb"),
            token.display()
        );
        let ctx = context(&dir, &config, "", &[("AWS_PROFILE", "a")], &server);
        let creds = AssumeRoleProvider::new(ctx).load().await.unwrap();
        assert_eq!(creds.access_key_id(), "ASIAra");
        let received = server.received();
        assert_eq!(
            received[0].param("Action"),
            Some("AssumeRoleWithWebIdentity")
        );
        assert_eq!(received[0].signed_by(), None);
        assert_eq!(received[1].param("Action"), Some("AssumeRole"));
        assert_eq!(received[1].signed_by(), Some("ASIArweb"));
    }

    #[tokio::test]
    async fn the_default_chain_of_a_shared_config_assumes_the_role() {
        let server = StsServer::start().await;
        let dir = TempDir::new();
        let config = format!(
            "{}[profile b]\nrole_arn = {}\nsource_profile = a\n",
            one_role(""),
            role("rb")
        );
        let ctx = context(&dir, &config, BASE_KEYS, &[("AWS_PROFILE", "b")], &server);
        // `context` built the config with `Config::from_shared`; its own chain is the
        // default one.
        let env = ctx.env().clone();
        let config = crate::Config::from_shared(env).unwrap();
        let provider = config.credentials_provider().unwrap();
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "ASIArb");
        assert_eq!(creds.source(), "assume-role");
        // Cached: a second lookup makes no call.
        provider.provide_credentials().await.unwrap();
        assert_eq!(server.received().len(), 2);
    }
}
