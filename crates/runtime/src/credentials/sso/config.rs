//! Which SSO settings a profile has, checked as botocore checks them
//! (`SSOProvider._load_sso_config`, `SSOTokenProvider._load_sso_config`).

use super::super::CredentialsError;
use crate::profile::{ProfileSet, Section};

/// What [`SsoProvider`](super::SsoProvider) needs of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SsoConfig {
    pub start_url: String,
    pub region: String,
    pub account_id: String,
    pub role_name: String,
    /// The `[sso-session NAME]` the profile names; `None` for the legacy keys.
    pub session: Option<String>,
}

/// What [`SsoTokenProvider`](super::SsoTokenProvider) needs: an `sso-session` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TokenConfig {
    pub session: String,
    pub start_url: String,
    pub region: String,
}

/// The keys that say a profile is for the SSO credential provider (either is enough).
const PROFILE_KEYS: [&str; 2] = ["sso_role_name", "sso_account_id"];
/// Every key the provider needs, in botocore's order (`_ALL_REQUIRED_CONFIG_VARS`).
const REQUIRED: [&str; 4] = [
    "sso_role_name",
    "sso_account_id",
    "sso_start_url",
    "sso_region",
];

/// The SSO settings of `profile_name` for credentials: `Ok(None)` when it has neither
/// `sso_role_name` nor `sso_account_id` (the provider does not apply); an
/// [invalid configuration](super::super::CredentialsErrorKind::InvalidConfiguration) error
/// naming the profile and the keys when they are incomplete or contradict its
/// `sso-session`.
pub(super) fn credentials_config(
    provider: &'static str,
    profiles: &ProfileSet,
    profile_name: &str,
) -> Result<Option<SsoConfig>, CredentialsError> {
    let Some(profile) = profiles.profile(profile_name) else {
        return Ok(None);
    };
    if PROFILE_KEYS
        .iter()
        .all(|key| profile.property(key).is_none())
    {
        return Ok(None);
    }
    let session_name = profile.get("sso_session");
    // botocore copies every key of the session into the profile's, refusing a key that both
    // set to different values.
    let session = match session_name {
        None => None,
        Some(name) => Some(find_session(provider, profiles, profile_name, name)?),
    };
    let lookup = |key: &str| -> Result<Option<String>, CredentialsError> {
        let own = profile.get(key);
        let Some(session) = session else {
            return Ok(own.map(str::to_owned));
        };
        match (own, session.get(key)) {
            (Some(own), Some(theirs)) if own != theirs => {
                Err(CredentialsError::invalid_configuration(
                    provider,
                    format!(
                        "The value for {key} is inconsistent between profile ({own}) and \
                         sso-session ({theirs}): profile `{profile_name}`, sso-session `{}`",
                        session.name()
                    ),
                ))
            }
            (_, Some(theirs)) => Ok(Some(theirs.to_owned())),
            (own, None) => Ok(own.map(str::to_owned)),
        }
    };
    let values = [
        lookup(REQUIRED[0])?,
        lookup(REQUIRED[1])?,
        lookup(REQUIRED[2])?,
        lookup(REQUIRED[3])?,
    ];
    let [
        Some(role_name),
        Some(account_id),
        Some(start_url),
        Some(region),
    ] = values
    else {
        let missing: Vec<_> = REQUIRED
            .iter()
            .zip(&values)
            .filter(|(_, value)| value.is_none())
            .map(|(key, _)| *key)
            .collect();
        return Err(CredentialsError::invalid_configuration(
            provider,
            format!(
                "The profile \"{profile_name}\" is configured to use SSO but is missing \
                 required configuration: {}",
                missing.join(", ")
            ),
        ));
    };
    Ok(Some(SsoConfig {
        start_url,
        region,
        account_id,
        role_name,
        session: session_name.map(str::to_owned),
    }))
}

/// The `sso-session` settings of `profile_name` for tokens: `Ok(None)` when the profile
/// names no `sso_session`.
pub(super) fn token_config(
    provider: &'static str,
    profiles: &ProfileSet,
    profile_name: &str,
) -> Result<Option<TokenConfig>, CredentialsError> {
    let Some(name) = profiles
        .profile(profile_name)
        .and_then(|profile| profile.get("sso_session"))
    else {
        return Ok(None);
    };
    let session = profiles.sso_session(name).ok_or_else(|| {
        CredentialsError::invalid_configuration(
            provider,
            format!(
                "The profile \"{profile_name}\" is configured to use the SSO token provider \
                 but the \"{name}\" sso_session configuration does not exist."
            ),
        )
    })?;
    let (start_url, region) = (session.get("sso_start_url"), session.get("sso_region"));
    let (Some(start_url), Some(region)) = (start_url, region) else {
        let missing: Vec<_> = [("sso_start_url", start_url), ("sso_region", region)]
            .into_iter()
            .filter(|(_, value)| value.is_none())
            .map(|(key, _)| key)
            .collect();
        return Err(CredentialsError::invalid_configuration(
            provider,
            format!(
                "The profile \"{profile_name}\" is configured to use the SSO token provider \
                 but is missing the following configuration: {} (in [sso-session {name}]).",
                missing.join(", ")
            ),
        ));
    };
    Ok(Some(TokenConfig {
        session: name.to_owned(),
        start_url: start_url.to_owned(),
        region: region.to_owned(),
    }))
}

fn find_session<'a>(
    provider: &'static str,
    profiles: &'a ProfileSet,
    profile_name: &str,
    name: &str,
) -> Result<&'a Section, CredentialsError> {
    profiles.sso_session(name).ok_or_else(|| {
        CredentialsError::invalid_configuration(
            provider,
            format!(
                "The specified sso-session does not exist: \"{name}\" (profile \
                 `{profile_name}` names it; add an [sso-session {name}] section to the \
                 config file)"
            ),
        )
    })
}
