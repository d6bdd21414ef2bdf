//! The shared config files (`~/.aws/config`, `~/.aws/credentials`) and the settings
//! resolved from them and from the environment, as the AWS CLI resolves them.
//!
//! ```no_run
//! use stratus_runtime::profile::{self, Env, Setting};
//!
//! let env = Env::from_process();
//! let profiles = profile::load(&env)?;
//! let region = profile::resolve_region(&env, &profiles)?;
//! let credentials = profile::resolve_static_credentials(&env, &profiles)?;
//! let endpoint = profile::resolve_endpoint_url(&env, &profiles, "DynamoDB")?;
//! let max_attempts = Setting::MAX_ATTEMPTS.positive_int(&env, &profiles)?;
//! # Ok::<(), profile::ProfileError>(())
//! ```
//!
//! # Where the files are
//!
//! [`load`] reads the config file named by `AWS_CONFIG_FILE` (default `~/.aws/config`)
//! and the credentials file named by `AWS_SHARED_CREDENTIALS_FILE` (default
//! `~/.aws/credentials`). As in botocore, `$NAME` and `${NAME}` in those paths are expanded
//! first, then a leading `~`. A file that does not exist (or is not a regular file) is
//! empty; a file that cannot be read is an error (botocore silently skips it).
//!
//! # The file format
//!
//! botocore reads both files with Python's `configparser.RawConfigParser` (default options)
//! and then parses nested values itself. This module implements the same rules:
//!
//! - The text must be UTF-8. A leading byte-order mark is skipped (botocore would then find
//!   no section header). Lines end at `\n`, `\r\n` or a lone `\r`.
//! - A line whose first non-blank character is `#` or `;` is a comment, even when indented.
//!   There are **no inline comments**: `region = us-east-1 # prod` sets `region` to
//!   `us-east-1 # prod`.
//! - `[name]` starts a section; the name is everything up to the *last* `]` on the line,
//!   verbatim (`[ default ]` is the section ` default `), and text after that `]` is ignored.
//!   Section names are case-sensitive. A section name may not appear twice in one file.
//! - `key = value` or `key: value` sets a key: the key runs to the first `=` or `:`, and
//!   key and value are stripped of white space. Keys are lowercased (`AWS_Access_Key_ID` is
//!   `aws_access_key_id`); a key may not appear twice in one section. A key without a
//!   delimiter (`region` alone) is an error; `region =` sets it to the empty string.
//! - A line indented deeper than the line of the last key continues that key's value: the
//!   value's lines are joined with `\n`. Blank lines inside the value are kept (trailing
//!   ones are not); comment lines are skipped. An indented line right after a section header
//!   is an ordinary key.
//! - **Nested properties**: when the key line has no value and indented lines follow
//!   (`s3 =` then `  max_concurrent_requests = 10`), the value is a map: each line is split at
//!   its first `=` (not `:`), keys keep their case, and a repeated key keeps its last value.
//! - A `[DEFAULT]` section (configparser's) is not a section of its own: its keys are copied
//!   into every other section of the same file that lacks them (and a malformed nested value
//!   there is an error only if some section inherits it).
//! - Anything else before the first section header, or a line that is neither a header, a
//!   key nor a continuation, is an error naming the file and the 1-based line:
//!   ``~/.aws/config line 7: expected `key = value`, found `garbage` ``. The first problem in
//!   the file is reported (configparser reports some problems at the end of the file).
//! - "White space" is Python's: Unicode white space and U+001C..U+001F. Indentation counts
//!   characters (a tab is one).
//!
//! In the **config file**, `[default]` and `[profile NAME]` are profiles, `[sso-session
//! NAME]` are SSO sessions and `[services NAME]` are service-configuration sections. As in
//! botocore, a name that *starts with* `profile`, `sso-session` or `services` is split into
//! words like a shell does (`[profile "my name"]` is the profile `my name`) and is used only
//! when it has exactly two words (so `[profile a b]` and `[profile]` are ignored); `[NAME]`
//! alone is not a profile there (it is kept as an [other section](ProfileSet::other_section)).
//! When two sections name the same profile (`[default]` and `[profile default]`), the later
//! one replaces the earlier one entirely.
//!
//! In the **credentials file** every section is a profile named verbatim (`[profile x]` is
//! the profile `profile x`). Its keys override the config file's keys of the same profile,
//! key by key; its profiles that the config file lacks are added.
//!
//! # Resolution
//!
//! Settings are resolved from an [`Env`] snapshot and a [`ProfileSet`]: environment
//! variables first, then the active profile. The [active profile](active_profile) is named
//! by `AWS_DEFAULT_PROFILE`, else `AWS_PROFILE` (botocore's order), else `default`. A profile
//! selected by one of those variables must exist, as in the CLI ("The config profile (dev)
//! could not be found"), but the error is raised only when a value is actually looked up in
//! it: with `AWS_REGION` set, [`resolve_region`] does not need the profile. An absent
//! `default` profile that no variable selected is simply empty.
//!
//! # Where this differs from botocore
//!
//! The files are read as botocore reads them, except that a leading byte-order mark is
//! skipped and an unreadable file is an error. Resolution follows the
//! CLI, except where botocore silently accepts a mistake:
//!
//! - An empty environment variable counts as unset (botocore uses `""` for some).
//! - Booleans must be `true` or `false` (any case); botocore reads anything else as false.
//! - `AWS_REGION` is read before `AWS_DEFAULT_REGION` (botocore reads only the latter; the
//!   CLI v2 and the other SDKs read both), and `AWS_SESSION_TOKEN` / `aws_session_token`
//!   before the legacy `AWS_SECURITY_TOKEN` / `aws_security_token` (botocore checks the
//!   legacy names first).
//! - A profile's access key and secret key may come from different files (botocore's
//!   credentials-file provider wants both in the credentials file).

mod env;
mod parse;

pub use env::Env;
pub(crate) use parse::shlex_split;

use crate::Credentials;
use crate::datetime::{DateTime, TimestampFormat};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The name of the profile used when no variable selects one.
pub const DEFAULT_PROFILE: &str = "default";

/// The config file's path when `AWS_CONFIG_FILE` is unset.
pub const DEFAULT_CONFIG_FILE: &str = "~/.aws/config";

/// The credentials file's path when `AWS_SHARED_CREDENTIALS_FILE` is unset.
pub const DEFAULT_CREDENTIALS_FILE: &str = "~/.aws/credentials";

/// The variables that select the active profile, in order of precedence.
const PROFILE_VARS: [&str; 2] = ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"];

/// What went wrong reading the shared config files or resolving a setting from them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// A file is malformed.
    #[error("{} line {line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The 1-based line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A file exists but could not be read.
    #[error("could not read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A variable selects a profile that neither file defines.
    #[error("The config profile ({profile}) could not be found (selected by {selected_by})")]
    ProfileNotFound {
        /// The profile's name.
        profile: String,
        /// The variable that selected it, such as `AWS_PROFILE`.
        selected_by: &'static str,
    },
    /// An access key without its secret key.
    #[error("{found} is set but {missing} is not")]
    PartialCredentials {
        /// Where the access key was found (`AWS_ACCESS_KEY_ID`, or a profile key and its
        /// place in a file).
        found: String,
        /// What is missing (`AWS_SECRET_ACCESS_KEY` or `` `aws_secret_access_key` ``).
        missing: String,
    },
    /// A setting's value does not have the expected form.
    #[error("{setting} must be {expected}, got {found}")]
    InvalidValue {
        /// Where the value was found: a variable name, or a profile key and its place.
        setting: String,
        /// What the value should be, such as `a positive integer`.
        expected: String,
        /// What it is: the value in backquotes, or `nested properties`.
        found: String,
    },
    /// A profile refers to a `[services NAME]` section that the config file lacks.
    #[error(
        "profile `{profile}` ({origin}) uses the services section `{services}`, \
         but the config file has no `[services {services}]` section"
    )]
    ServicesSectionNotFound {
        /// The profile.
        profile: String,
        /// The `services` key's value.
        services: String,
        /// Where the `services` key is.
        origin: Origin,
    },
}

/// Which of the two shared files a value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// The config file (`~/.aws/config`).
    Config,
    /// The credentials file (`~/.aws/credentials`).
    Credentials,
}

/// Where a property is written: a file and a 1-based line. Displays as `PATH line N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    path: Arc<Path>,
    line: usize,
    file: FileKind,
}

impl Origin {
    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The 1-based line of the key.
    pub fn line(&self) -> usize {
        self.line
    }
    /// Which of the two shared files it is.
    pub fn file(&self) -> FileKind {
        self.file
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} line {}", self.path.display(), self.line)
    }
}

/// The value of a key: text, or nested properties (`s3 =` followed by indented
/// `key = value` lines).
///
/// `Debug` prints no text (whether it is a secret depends on the key, unknown here); print
/// the [`Section`] instead, which redacts by key.
#[derive(Clone, PartialEq, Eq)]
pub enum PropertyValue {
    /// A plain value; continuation lines are joined with `\n`.
    Text(String),
    /// Nested properties; their keys keep their case.
    Nested(BTreeMap<String, String>),
}

impl PropertyValue {
    /// The text, if this is not nested.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            PropertyValue::Text(text) => Some(text),
            PropertyValue::Nested(_) => None,
        }
    }
    /// The nested properties, if any.
    pub fn as_nested(&self) -> Option<&BTreeMap<String, String>> {
        match self {
            PropertyValue::Nested(map) => Some(map),
            PropertyValue::Text(_) => None,
        }
    }
}

/// A key's value and where it was written. `Debug` prints no value (see [`PropertyValue`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Property {
    value: PropertyValue,
    origin: Origin,
}

impl Property {
    /// The value.
    pub fn value(&self) -> &PropertyValue {
        &self.value
    }
    /// Where the key is written.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
}

/// A profile, an `sso-session` or a `services` section: its name and its properties.
///
/// Property keys are lowercase (lookups lowercase the key asked for); nested keys keep their
/// case. `Debug` redacts the values of keys that hold secrets (names containing `secret`,
/// `token` or `password`).
#[derive(Clone, PartialEq, Eq)]
pub struct Section {
    name: String,
    properties: BTreeMap<String, Property>,
}

impl Section {
    /// The name: the profile's name (`dev` for `[profile dev]`), the session's or the
    /// services section's.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The property `key`, whatever its kind.
    pub fn property(&self, key: &str) -> Option<&Property> {
        if key.chars().any(char::is_uppercase) {
            self.properties.get(&key.to_lowercase())
        } else {
            self.properties.get(key)
        }
    }

    /// The text of the property `key` (`None` when absent or nested).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.property(key)?.value.as_text()
    }

    /// The nested properties of `key` (`None` when absent or plain text).
    pub fn nested(&self, key: &str) -> Option<&BTreeMap<String, String>> {
        self.property(key)?.value.as_nested()
    }

    /// The nested property `sub` of `key`: `s3` / `addressing_style`.
    pub fn get_nested(&self, key: &str, sub: &str) -> Option<&str> {
        self.nested(key)?.get(sub).map(String::as_str)
    }

    /// All properties, by key.
    pub fn properties(&self) -> impl Iterator<Item = (&str, &Property)> {
        self.properties.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Whether the section has no properties.
    pub fn is_empty(&self) -> bool {
        self.properties.is_empty()
    }

    /// The text of `key`, or an error when it is nested (`what` names the section in it).
    fn text(&self, key: &str, what: &str) -> Result<Option<(&str, &Origin)>, ProfileError> {
        let Some(property) = self.property(key) else {
            return Ok(None);
        };
        match &property.value {
            PropertyValue::Text(text) => Ok(Some((text, &property.origin))),
            PropertyValue::Nested(_) => Err(ProfileError::InvalidValue {
                setting: format!("`{key}` of {what} `{}` ({})", self.name, property.origin),
                expected: "a single value".to_owned(),
                found: "nested properties".to_owned(),
            }),
        }
    }

    /// The static credentials of this profile: `aws_access_key_id`,
    /// `aws_secret_access_key` and `aws_session_token` (else the legacy
    /// `aws_security_token`). `None` when it has no (non-empty) access key.
    ///
    /// The credentials' [source](Credentials::source) is `shared-credentials-file` or
    /// `config-file`, after the file the access key is in.
    ///
    /// # Errors
    ///
    /// [`ProfileError::PartialCredentials`] for an access key without a secret key;
    /// [`ProfileError::InvalidValue`] for nested values.
    pub fn static_credentials(&self) -> Result<Option<Credentials>, ProfileError> {
        let Some((access_key, origin)) = self
            .text("aws_access_key_id", "profile")?
            .filter(|(key, _)| !key.is_empty())
        else {
            return Ok(None);
        };
        let Some((secret, _)) = self
            .text("aws_secret_access_key", "profile")?
            .filter(|(secret, _)| !secret.is_empty())
        else {
            return Err(ProfileError::PartialCredentials {
                found: format!("`aws_access_key_id` of profile `{}` ({origin})", self.name),
                missing: "`aws_secret_access_key`".to_owned(),
            });
        };
        let mut token = None;
        for key in ["aws_session_token", "aws_security_token"] {
            if let Some((value, _)) = self.text(key, "profile")?
                && !value.is_empty()
            {
                token = Some(value.to_owned());
                break;
            }
        }
        let source = match origin.file {
            FileKind::Credentials => "shared-credentials-file",
            FileKind::Config => "config-file",
        };
        Ok(Some(Credentials::new(
            access_key, secret, token, None, source,
        )))
    }
}

/// Whether a key's value must not be printed.
fn is_secret_key(key: &str) -> bool {
    ["secret", "token", "password"]
        .iter()
        .any(|word| key.contains(word))
}

/// A map printed with `show` applied to each value, except values whose key names a secret.
struct RedactedMap<'a, V, D>(&'a BTreeMap<String, V>, fn(&'a V) -> D);

impl<'a, V, D: fmt::Debug> fmt::Debug for RedactedMap<'a, V, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in self.0 {
            if is_secret_key(&key.to_lowercase()) {
                map.entry(key, &crate::debug::REDACTED);
            } else {
                map.entry(key, &(self.1)(value));
            }
        }
        map.finish()
    }
}

/// A property's value, its nested values redacted by key.
struct ShownValue<'a>(&'a PropertyValue);

impl fmt::Debug for ShownValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            PropertyValue::Text(text) => fmt::Debug::fmt(text, f),
            PropertyValue::Nested(nested) => {
                fmt::Debug::fmt(&RedactedMap(nested, |value: &String| value), f)
            }
        }
    }
}

impl fmt::Debug for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Section")
            .field("name", &self.name)
            .field(
                "properties",
                &RedactedMap(&self.properties, |property: &Property| {
                    ShownValue(&property.value)
                }),
            )
            .finish()
    }
}

impl fmt::Debug for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key is unknown here, so the value could be a secret.
        f.debug_struct("Property")
            .field("value", &crate::debug::REDACTED)
            .field("origin", &self.origin)
            .finish()
    }
}

impl fmt::Debug for PropertyValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key is unknown here, so the value could be a secret.
        match self {
            PropertyValue::Text(_) => f.write_str("Text(..)"),
            PropertyValue::Nested(map) => f
                .debug_tuple("Nested")
                .field(&map.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}

/// The profiles, SSO sessions and services sections of the config and credentials files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Section>,
    sso_sessions: BTreeMap<String, Section>,
    services: BTreeMap<String, Section>,
    other: BTreeMap<String, Section>,
}

impl ProfileSet {
    /// Parses a config file and a credentials file, each given as its path (for messages and
    /// [`Origin`]s) and contents, and merges them as the CLI does (see the [module
    /// documentation](self)). `None` stands for a missing file.
    ///
    /// # Errors
    ///
    /// [`ProfileError::Parse`] for a malformed file.
    pub fn parse(
        config: Option<(&Path, &[u8])>,
        credentials: Option<(&Path, &[u8])>,
    ) -> Result<Self, ProfileError> {
        let mut set = ProfileSet::default();
        if let Some((path, contents)) = config {
            for raw in parse::parse_file(FileKind::Config, path, contents)? {
                set.add_config_section(raw);
            }
        }
        if let Some((path, contents)) = credentials {
            for raw in parse::parse_file(FileKind::Credentials, path, contents)? {
                match set.profiles.get_mut(&raw.name) {
                    Some(profile) => profile.properties.extend(raw.properties),
                    None => {
                        let section = Section {
                            name: raw.name.clone(),
                            properties: raw.properties,
                        };
                        set.profiles.insert(raw.name, section);
                    }
                }
            }
        }
        Ok(set)
    }

    /// botocore's `build_profile_map`, for one section of the config file.
    fn add_config_section(&mut self, raw: parse::RawSection) {
        let kinds = [
            ("profile", &mut self.profiles),
            ("sso-session", &mut self.sso_sessions),
            ("services", &mut self.services),
        ];
        for (prefix, map) in kinds {
            if raw.name.starts_with(prefix) {
                if let Some(words) = parse::shlex_split(&raw.name)
                    && let [_, name] = words.as_slice()
                {
                    let section = Section {
                        name: name.clone(),
                        properties: raw.properties,
                    };
                    map.insert(name.clone(), section);
                }
                return;
            }
        }
        let map = if raw.name == DEFAULT_PROFILE {
            &mut self.profiles
        } else {
            &mut self.other
        };
        let section = Section {
            name: raw.name.clone(),
            properties: raw.properties,
        };
        map.insert(raw.name, section);
    }

    /// The profile `name`, merged from both files.
    pub fn profile(&self, name: &str) -> Option<&Section> {
        self.profiles.get(name)
    }

    /// All profiles, by name.
    pub fn profiles(&self) -> impl Iterator<Item = &Section> {
        self.profiles.values()
    }

    /// The `[sso-session NAME]` section `name`.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// All `[sso-session NAME]` sections, by name.
    pub fn sso_sessions(&self) -> impl Iterator<Item = &Section> {
        self.sso_sessions.values()
    }

    /// The `[services NAME]` section `name`.
    pub fn services(&self, name: &str) -> Option<&Section> {
        self.services.get(name)
    }

    /// All `[services NAME]` sections, by name.
    pub fn all_services(&self) -> impl Iterator<Item = &Section> {
        self.services.values()
    }

    /// A config-file section that is none of the above (`[plugins]`, `[preview]`, a
    /// `[NAME]` that is not `[default]`), by its verbatim name.
    pub fn other_section(&self, name: &str) -> Option<&Section> {
        self.other.get(name)
    }

    /// All other config-file sections, by name.
    pub fn other_sections(&self) -> impl Iterator<Item = &Section> {
        self.other.values()
    }

    /// Whether neither file defines anything.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
            && self.sso_sessions.is_empty()
            && self.services.is_empty()
            && self.other.is_empty()
    }
}

/// The config file's path: `AWS_CONFIG_FILE`, else `~/.aws/config`, expanded (see the
/// [module documentation](self#where-the-files-are)). `None` when the path needs a home
/// directory and `env` has none.
pub fn config_file_path(env: &Env) -> Option<PathBuf> {
    env.expand_path(env.var("AWS_CONFIG_FILE").unwrap_or(DEFAULT_CONFIG_FILE))
}

/// The credentials file's path: `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`,
/// expanded. `None` when the path needs a home directory and `env` has none.
pub fn credentials_file_path(env: &Env) -> Option<PathBuf> {
    env.expand_path(
        env.var("AWS_SHARED_CREDENTIALS_FILE")
            .unwrap_or(DEFAULT_CREDENTIALS_FILE),
    )
}

/// Reads and parses the config and credentials files that `env` names.
///
/// # Errors
///
/// [`ProfileError::Read`] for a file that exists but cannot be read, and
/// [`ProfileError::Parse`] for a malformed one. Missing files are empty.
pub fn load(env: &Env) -> Result<ProfileSet, ProfileError> {
    let config = read_if_file(config_file_path(env))?;
    let credentials = read_if_file(credentials_file_path(env))?;
    ProfileSet::parse(
        config
            .as_ref()
            .map(|(path, contents)| (path.as_path(), contents.as_slice())),
        credentials
            .as_ref()
            .map(|(path, contents)| (path.as_path(), contents.as_slice())),
    )
}

/// `path` and its contents; `None` when there is no regular file there.
fn read_if_file(path: Option<PathBuf>) -> Result<Option<(PathBuf, Vec<u8>)>, ProfileError> {
    let Some(path) = path else {
        return Ok(None);
    };
    let read_error = |source| ProfileError::Read {
        path: path.clone(),
        source,
    };
    match std::fs::metadata(&path) {
        Ok(metadata) if metadata.is_file() => {}
        Ok(_) => return Ok(None),
        Err(e) if is_missing(&e) => return Ok(None),
        Err(e) => return Err(read_error(e)),
    }
    match std::fs::read(&path) {
        Ok(contents) => Ok(Some((path, contents))),
        Err(e) => Err(read_error(e)),
    }
}

fn is_missing(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
}

/// The active profile's name: `AWS_DEFAULT_PROFILE`, else `AWS_PROFILE`, else `default`.
///
/// botocore checks `AWS_DEFAULT_PROFILE` first, so the CLI does too; most other AWS SDKs
/// read only `AWS_PROFILE`. The two differ only when both are set to different profiles.
pub fn active_profile(env: &Env) -> String {
    profile_selection(env).0.to_owned()
}

/// The active profile's name and the variable that selected it, if any.
fn profile_selection(env: &Env) -> (&str, Option<&'static str>) {
    PROFILE_VARS
        .iter()
        .find_map(|&var| Some((env.var(var)?, Some(var))))
        .unwrap_or((DEFAULT_PROFILE, None))
}

/// The [active profile](active_profile) in `profiles`.
///
/// # Errors
///
/// [`ProfileError::ProfileNotFound`] when a variable selected a profile that `profiles`
/// lacks. When none did and there is no `default` profile, the result is `Ok(None)`.
pub fn selected_profile<'a>(
    env: &Env,
    profiles: &'a ProfileSet,
) -> Result<Option<&'a Section>, ProfileError> {
    let (name, selected_by) = profile_selection(env);
    match (profiles.profile(name), selected_by) {
        (Some(profile), _) => Ok(Some(profile)),
        (None, None) => Ok(None),
        (None, Some(selected_by)) => Err(ProfileError::ProfileNotFound {
            profile: name.to_owned(),
            selected_by,
        }),
    }
}

/// The region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the active profile's `region`.
///
/// (botocore itself reads only `AWS_DEFAULT_REGION`; the CLI v2 and the other SDKs read
/// `AWS_REGION` first.)
///
/// # Errors
///
/// [`ProfileError::ProfileNotFound`] when the profile is needed and missing;
/// [`ProfileError::InvalidValue`] for a nested `region`.
pub fn resolve_region(env: &Env, profiles: &ProfileSet) -> Result<Option<String>, ProfileError> {
    Setting::REGION.string(env, profiles)
}

/// Static credentials from the environment, else from the active profile.
///
/// The environment's are `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, with
/// `AWS_SESSION_TOKEN` (else the legacy `AWS_SECURITY_TOKEN`) and
/// `AWS_CREDENTIAL_EXPIRATION` (RFC 3339); their source is `environment`. The profile's are
/// read by [`Section::static_credentials`]. As in botocore, a secret key without an access
/// key is ignored, and the profile is read only when `AWS_ACCESS_KEY_ID` is unset.
///
/// Static keys only, and both files at once: the credential chain does not use this. It
/// reads the environment with [`EnvProvider`](crate::credentials::EnvProvider) and each file
/// with a [`ProfileKeysProvider`](crate::credentials::ProfileKeysProvider) of its own, in
/// botocore's order, with the providers of `role_arn`, `sso_session`, `credential_process`…
/// between them ([`default_chain`](crate::credentials::default_chain)).
///
/// # Errors
///
/// [`ProfileError::PartialCredentials`] for an access key without a secret key;
/// [`ProfileError::InvalidValue`] for a malformed expiration or a nested value;
/// [`ProfileError::ProfileNotFound`] when the profile is needed and missing.
pub fn resolve_static_credentials(
    env: &Env,
    profiles: &ProfileSet,
) -> Result<Option<Credentials>, ProfileError> {
    if let Some(credentials) = environment_credentials(env)? {
        return Ok(Some(credentials));
    }
    match selected_profile(env, profiles)? {
        Some(profile) => profile.static_credentials(),
        None => Ok(None),
    }
}

/// Static credentials from `AWS_ACCESS_KEY_ID` and friends (see
/// [`resolve_static_credentials`]).
///
/// # Errors
///
/// [`ProfileError::PartialCredentials`] when `AWS_ACCESS_KEY_ID` is set without
/// `AWS_SECRET_ACCESS_KEY`; [`ProfileError::InvalidValue`] for a malformed
/// `AWS_CREDENTIAL_EXPIRATION`.
pub fn environment_credentials(env: &Env) -> Result<Option<Credentials>, ProfileError> {
    let Some(access_key) = env.var("AWS_ACCESS_KEY_ID") else {
        return Ok(None);
    };
    let Some(secret) = env.var("AWS_SECRET_ACCESS_KEY") else {
        return Err(ProfileError::PartialCredentials {
            found: "AWS_ACCESS_KEY_ID".to_owned(),
            missing: "AWS_SECRET_ACCESS_KEY".to_owned(),
        });
    };
    let token = env
        .var("AWS_SESSION_TOKEN")
        .or_else(|| env.var("AWS_SECURITY_TOKEN"))
        .map(str::to_owned);
    let expires_at =
        match env.var("AWS_CREDENTIAL_EXPIRATION") {
            None => None,
            Some(value) => Some(DateTime::parse(value, TimestampFormat::DateTime).map_err(
                |_| ProfileError::InvalidValue {
                    setting: "AWS_CREDENTIAL_EXPIRATION".to_owned(),
                    expected: "an RFC 3339 timestamp such as `2030-01-01T00:00:00Z`".to_owned(),
                    found: format!("`{value}`"),
                },
            )?),
        };
    Ok(Some(Credentials::new(
        access_key,
        secret,
        token,
        expires_at,
        "environment",
    )))
}

/// The configured endpoint URL for a service, unless configured endpoints are ignored.
///
/// When [`Setting::IGNORE_CONFIGURED_ENDPOINT_URLS`] is `true` this is `None`; otherwise it
/// is [`configured_endpoint_url`]. An endpoint URL given in code takes precedence over both,
/// and a client setting that ignores configured endpoints overrides the setting: the client
/// configuration applies those two rules before calling this.
///
/// # Errors
///
/// As [`configured_endpoint_url`], and [`ProfileError::InvalidValue`] for an ignore flag
/// that is not `true` or `false`.
pub fn resolve_endpoint_url(
    env: &Env,
    profiles: &ProfileSet,
    service_id: &str,
) -> Result<Option<String>, ProfileError> {
    if Setting::IGNORE_CONFIGURED_ENDPOINT_URLS.bool(env, profiles)? == Some(true) {
        return Ok(None);
    }
    configured_endpoint_url(env, profiles, service_id)
}

/// The endpoint URL configured for the service `service_id` (the model's `serviceId`, such
/// as `DynamoDB` or `Elastic Load Balancing v2`, or the hyphenated client name), first of:
///
/// 1. `AWS_ENDPOINT_URL_<SERVICE>`: the service id upper-cased, spaces and hyphens replaced
///    by `_` (`AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2`);
/// 2. `AWS_ENDPOINT_URL`;
/// 3. in the `[services NAME]` section that the active profile's `services` key names, the
///    `endpoint_url` nested under the service id lower-cased the same way
///    (`elastic_load_balancing_v2 =` then `  endpoint_url = …`);
/// 4. the active profile's `endpoint_url`.
///
/// Empty values are skipped. This does not consult the ignore flag (see
/// [`resolve_endpoint_url`]).
///
/// # Errors
///
/// [`ProfileError::ServicesSectionNotFound`] when the profile names a services section that
/// does not exist (as botocore); [`ProfileError::InvalidValue`] when a value has the wrong
/// shape; [`ProfileError::ProfileNotFound`] when the profile is needed and missing.
pub fn configured_endpoint_url(
    env: &Env,
    profiles: &ProfileSet,
    service_id: &str,
) -> Result<Option<String>, ProfileError> {
    let key: String = service_id
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect::<String>()
        .to_lowercase();
    let service_var = format!("AWS_ENDPOINT_URL_{}", key.to_uppercase());
    if let Some(url) = env
        .var(&service_var)
        .or_else(|| env.var("AWS_ENDPOINT_URL"))
    {
        return Ok(Some(url.to_owned()));
    }
    let Some(profile) = selected_profile(env, profiles)? else {
        return Ok(None);
    };
    if let Some((services, origin)) = profile.text("services", "profile")? {
        let Some(section) = profiles.services(services) else {
            return Err(ProfileError::ServicesSectionNotFound {
                profile: profile.name.clone(),
                services: services.to_owned(),
                origin: origin.clone(),
            });
        };
        if let Some(property) = section.property(&key) {
            let Some(nested) = property.value.as_nested() else {
                return Err(ProfileError::InvalidValue {
                    setting: format!(
                        "`{key}` of services section `{}` ({})",
                        section.name, property.origin
                    ),
                    expected: format!(
                        "nested properties such as `{key} =` then `  endpoint_url = …`"
                    ),
                    found: "a single value".to_owned(),
                });
            };
            if let Some(url) = nested.get("endpoint_url").filter(|url| !url.is_empty()) {
                return Ok(Some(url.clone()));
            }
        }
    }
    Ok(profile
        .text("endpoint_url", "profile")?
        .map(|(url, _)| url)
        .filter(|url| !url.is_empty())
        .map(str::to_owned))
}

/// A setting read from environment variables, else from a key of the active profile, with
/// typed parsing.
///
/// ```
/// use stratus_runtime::profile::{Env, ProfileSet, Setting};
///
/// let env = Env::from_vars([("AWS_MAX_ATTEMPTS", "x")]);
/// let err = Setting::MAX_ATTEMPTS.positive_int(&env, &ProfileSet::default()).unwrap_err();
/// assert_eq!(err.to_string(), "AWS_MAX_ATTEMPTS must be a positive integer, got `x`");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting {
    env_vars: &'static [&'static str],
    profile_key: &'static str,
    /// A key inside a section of nested properties (`s3 =` then `  use_arn_region = true`),
    /// read after `profile_key`.
    nested_key: Option<(&'static str, &'static str)>,
}

/// A setting's raw value and where it was found.
#[derive(Clone, Copy, Debug)]
pub struct SettingValue<'a> {
    /// The value, as written.
    pub value: &'a str,
    /// Where it was found.
    pub source: SettingSource<'a>,
}

/// Where a setting's value was found.
#[derive(Clone, Copy, Debug)]
pub enum SettingSource<'a> {
    /// An environment variable.
    Environment(&'static str),
    /// A key of a profile.
    Profile {
        /// The profile's name.
        profile: &'a str,
        /// The key.
        key: &'static str,
        /// Where the key is written.
        origin: &'a Origin,
    },
}

impl fmt::Display for SettingSource<'_> {
    /// `AWS_MAX_ATTEMPTS`, or `` `max_attempts` of profile `dev` (PATH line 4) ``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingSource::Environment(var) => f.write_str(var),
            SettingSource::Profile {
                profile,
                key,
                origin,
            } => write!(f, "`{key}` of profile `{profile}` ({origin})"),
        }
    }
}

impl Setting {
    /// `AWS_REGION`, `AWS_DEFAULT_REGION`, profile `region`.
    pub const REGION: Setting = Setting::new(&["AWS_REGION", "AWS_DEFAULT_REGION"], "region");
    /// `AWS_USE_FIPS_ENDPOINT`, profile `use_fips_endpoint` (a [`bool`](Setting::bool)).
    pub const USE_FIPS_ENDPOINT: Setting =
        Setting::new(&["AWS_USE_FIPS_ENDPOINT"], "use_fips_endpoint");
    /// `AWS_USE_DUALSTACK_ENDPOINT`, profile `use_dualstack_endpoint` (a
    /// [`bool`](Setting::bool)).
    pub const USE_DUALSTACK_ENDPOINT: Setting =
        Setting::new(&["AWS_USE_DUALSTACK_ENDPOINT"], "use_dualstack_endpoint");
    /// `AWS_STS_REGIONAL_ENDPOINTS`, profile `sts_regional_endpoints` (one of
    /// [`REGIONAL_ENDPOINTS`](Setting::REGIONAL_ENDPOINTS)).
    pub const STS_REGIONAL_ENDPOINTS: Setting =
        Setting::new(&["AWS_STS_REGIONAL_ENDPOINTS"], "sts_regional_endpoints");
    /// The values of [`STS_REGIONAL_ENDPOINTS`](Setting::STS_REGIONAL_ENDPOINTS) and
    /// [`S3_US_EAST_1_REGIONAL_ENDPOINT`](Setting::S3_US_EAST_1_REGIONAL_ENDPOINT).
    pub const REGIONAL_ENDPOINTS: &'static [&'static str] = &["legacy", "regional"];
    /// `AWS_ACCOUNT_ID_ENDPOINT_MODE`, profile `account_id_endpoint_mode` (one of
    /// [`ACCOUNT_ID_ENDPOINT_MODES`](Setting::ACCOUNT_ID_ENDPOINT_MODES)).
    pub const ACCOUNT_ID_ENDPOINT_MODE: Setting = Setting::new(
        &["AWS_ACCOUNT_ID_ENDPOINT_MODE"],
        "account_id_endpoint_mode",
    );
    /// The values of [`ACCOUNT_ID_ENDPOINT_MODE`](Setting::ACCOUNT_ID_ENDPOINT_MODE).
    pub const ACCOUNT_ID_ENDPOINT_MODES: &'static [&'static str] =
        &["preferred", "disabled", "required"];
    /// Profile `s3 =` `addressing_style` (one of
    /// [`S3_ADDRESSING_STYLES`](Setting::S3_ADDRESSING_STYLES)).
    pub const S3_ADDRESSING_STYLE: Setting =
        Setting::with_nested(&[], "", "s3", "addressing_style");
    /// The values of [`S3_ADDRESSING_STYLE`](Setting::S3_ADDRESSING_STYLE).
    pub const S3_ADDRESSING_STYLES: &'static [&'static str] = &["auto", "virtual", "path"];
    /// Profile `s3 =` `use_accelerate_endpoint` (a [`bool`](Setting::bool)).
    pub const S3_USE_ACCELERATE_ENDPOINT: Setting =
        Setting::with_nested(&[], "", "s3", "use_accelerate_endpoint");
    /// Profile `s3 =` `use_dualstack_endpoint` (a [`bool`](Setting::bool)); for S3 it
    /// comes before [`USE_DUALSTACK_ENDPOINT`](Setting::USE_DUALSTACK_ENDPOINT).
    pub const S3_USE_DUALSTACK_ENDPOINT: Setting =
        Setting::with_nested(&[], "", "s3", "use_dualstack_endpoint");
    /// `AWS_S3_USE_ARN_REGION`, profile `s3_use_arn_region`, then `s3 =` `use_arn_region`
    /// (a [`bool`](Setting::bool)).
    pub const S3_USE_ARN_REGION: Setting = Setting::with_nested(
        &["AWS_S3_USE_ARN_REGION"],
        "s3_use_arn_region",
        "s3",
        "use_arn_region",
    );
    /// `AWS_S3_US_EAST_1_REGIONAL_ENDPOINT`, profile `s3_us_east_1_regional_endpoint`, then
    /// `s3 =` `us_east_1_regional_endpoint` (one of
    /// [`REGIONAL_ENDPOINTS`](Setting::REGIONAL_ENDPOINTS)).
    pub const S3_US_EAST_1_REGIONAL_ENDPOINT: Setting = Setting::with_nested(
        &["AWS_S3_US_EAST_1_REGIONAL_ENDPOINT"],
        "s3_us_east_1_regional_endpoint",
        "s3",
        "us_east_1_regional_endpoint",
    );
    /// `AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS`, then profile `s3 =`
    /// `s3_disable_multiregion_access_points` (a [`bool`](Setting::bool)).
    pub const S3_DISABLE_MULTIREGION_ACCESS_POINTS: Setting = Setting::with_nested(
        &["AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS"],
        "",
        "s3",
        "s3_disable_multiregion_access_points",
    );
    /// `AWS_REQUEST_CHECKSUM_CALCULATION`, profile `request_checksum_calculation` (one of
    /// [`CHECKSUM_WHEN`](Setting::CHECKSUM_WHEN)).
    pub const REQUEST_CHECKSUM_CALCULATION: Setting = Setting::new(
        &["AWS_REQUEST_CHECKSUM_CALCULATION"],
        "request_checksum_calculation",
    );
    /// `AWS_RESPONSE_CHECKSUM_VALIDATION`, profile `response_checksum_validation` (one of
    /// [`CHECKSUM_WHEN`](Setting::CHECKSUM_WHEN)).
    pub const RESPONSE_CHECKSUM_VALIDATION: Setting = Setting::new(
        &["AWS_RESPONSE_CHECKSUM_VALIDATION"],
        "response_checksum_validation",
    );
    /// The values of [`REQUEST_CHECKSUM_CALCULATION`](Setting::REQUEST_CHECKSUM_CALCULATION)
    /// and [`RESPONSE_CHECKSUM_VALIDATION`](Setting::RESPONSE_CHECKSUM_VALIDATION).
    pub const CHECKSUM_WHEN: &'static [&'static str] = &["when_supported", "when_required"];
    /// Profile `s3 =` `payload_signing_enabled` (a [`bool`](Setting::bool)).
    pub const S3_PAYLOAD_SIGNING_ENABLED: Setting =
        Setting::with_nested(&[], "", "s3", "payload_signing_enabled");
    /// `AWS_ENDPOINT_DISCOVERY_ENABLED`, profile `endpoint_discovery_enabled` (one of
    /// [`ENDPOINT_DISCOVERY_MODES`](Setting::ENDPOINT_DISCOVERY_MODES)).
    pub const ENDPOINT_DISCOVERY_ENABLED: Setting = Setting::new(
        &["AWS_ENDPOINT_DISCOVERY_ENABLED"],
        "endpoint_discovery_enabled",
    );
    /// The values of [`ENDPOINT_DISCOVERY_ENABLED`](Setting::ENDPOINT_DISCOVERY_ENABLED).
    pub const ENDPOINT_DISCOVERY_MODES: &'static [&'static str] = &["true", "false", "auto"];
    /// `AWS_MAX_ATTEMPTS`, profile `max_attempts` (a [`positive_int`](Setting::positive_int)).
    pub const MAX_ATTEMPTS: Setting = Setting::new(&["AWS_MAX_ATTEMPTS"], "max_attempts");
    /// `AWS_RETRY_MODE`, profile `retry_mode` (one of [`RETRY_MODES`](Setting::RETRY_MODES)).
    pub const RETRY_MODE: Setting = Setting::new(&["AWS_RETRY_MODE"], "retry_mode");
    /// The values of [`RETRY_MODE`](Setting::RETRY_MODE).
    pub const RETRY_MODES: &'static [&'static str] = &["legacy", "standard", "adaptive"];
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, profile `ignore_configured_endpoint_urls` (a
    /// [`bool`](Setting::bool)).
    pub const IGNORE_CONFIGURED_ENDPOINT_URLS: Setting = Setting::new(
        &["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"],
        "ignore_configured_endpoint_urls",
    );

    /// `AWS_AUTH_SCHEME_PREFERENCE`, profile `auth_scheme_preference`: a comma-separated
    /// list of auth scheme names (`sigv4a,sigv4`, `httpBearerAuth`), most preferred first.
    pub const AUTH_SCHEME_PREFERENCE: Setting =
        Setting::new(&["AWS_AUTH_SCHEME_PREFERENCE"], "auth_scheme_preference");

    /// A setting read from the first of `env_vars` that is set (and not empty), else from
    /// the active profile's `profile_key` (lowercase).
    pub const fn new(env_vars: &'static [&'static str], profile_key: &'static str) -> Self {
        Setting {
            env_vars,
            profile_key,
            nested_key: None,
        }
    }

    /// The same, then from `key` in the nested properties of the profile's `section` (as
    /// botocore reads `s3 =` blocks). `profile_key` may be empty for a setting that only
    /// lives in the nested section.
    pub const fn with_nested(
        env_vars: &'static [&'static str],
        profile_key: &'static str,
        section: &'static str,
        key: &'static str,
    ) -> Self {
        Setting {
            env_vars,
            profile_key,
            nested_key: Some((section, key)),
        }
    }

    /// The environment variables, in order of precedence.
    pub fn env_vars(&self) -> &'static [&'static str] {
        self.env_vars
    }

    /// The profile key.
    pub fn profile_key(&self) -> &'static str {
        self.profile_key
    }

    /// The raw value and where it was found. Empty values count as unset.
    ///
    /// # Errors
    ///
    /// [`ProfileError::ProfileNotFound`] when the profile is needed and missing;
    /// [`ProfileError::InvalidValue`] when the profile's value is nested properties.
    pub fn lookup<'a>(
        &self,
        env: &'a Env,
        profiles: &'a ProfileSet,
    ) -> Result<Option<SettingValue<'a>>, ProfileError> {
        for &var in self.env_vars {
            if let Some(value) = env.var(var) {
                return Ok(Some(SettingValue {
                    value,
                    source: SettingSource::Environment(var),
                }));
            }
        }
        let Some(profile) = selected_profile(env, profiles)? else {
            return Ok(None);
        };
        if !self.profile_key.is_empty() {
            let found = profile
                .text(self.profile_key, "profile")?
                .filter(|(value, _)| !value.is_empty());
            if let Some((value, origin)) = found {
                return Ok(Some(SettingValue {
                    value,
                    source: SettingSource::Profile {
                        profile: &profile.name,
                        key: self.profile_key,
                        origin,
                    },
                }));
            }
        }
        let Some((section, key)) = self.nested_key else {
            return Ok(None);
        };
        let Some(property) = profile.property(section) else {
            return Ok(None);
        };
        let PropertyValue::Nested(values) = &property.value else {
            return Err(ProfileError::InvalidValue {
                setting: format!(
                    "`{section}` of profile `{}` ({})",
                    profile.name, property.origin
                ),
                expected: "nested properties".to_owned(),
                found: "a single value".to_owned(),
            });
        };
        Ok(values
            .get(key)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
            .map(|value| SettingValue {
                value,
                source: SettingSource::Profile {
                    profile: &profile.name,
                    key,
                    origin: &property.origin,
                },
            }))
    }

    /// The value as a string.
    ///
    /// # Errors
    ///
    /// As [`lookup`](Setting::lookup).
    pub fn string(&self, env: &Env, profiles: &ProfileSet) -> Result<Option<String>, ProfileError> {
        Ok(self
            .lookup(env, profiles)?
            .map(|found| found.value.to_owned()))
    }

    /// The value parsed by `parse`, which returns `None` for a value that is not
    /// `expected` (a phrase such as `a positive integer`, used in the error).
    ///
    /// # Errors
    ///
    /// As [`lookup`](Setting::lookup), and [`ProfileError::InvalidValue`] when `parse`
    /// rejects the value: ``AWS_MAX_ATTEMPTS must be a positive integer, got `x` ``.
    pub fn parse<T>(
        &self,
        env: &Env,
        profiles: &ProfileSet,
        expected: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, ProfileError> {
        let Some(found) = self.lookup(env, profiles)? else {
            return Ok(None);
        };
        match parse(found.value) {
            Some(value) => Ok(Some(value)),
            None => Err(ProfileError::InvalidValue {
                setting: found.source.to_string(),
                expected: expected.to_owned(),
                found: format!("`{}`", found.value),
            }),
        }
    }

    /// The value as a boolean: `true` or `false`, in any case, surrounding white space
    /// ignored. (botocore reads anything but `true` as false; a typo is an error here.)
    ///
    /// # Errors
    ///
    /// As [`parse`](Setting::parse).
    pub fn bool(&self, env: &Env, profiles: &ProfileSet) -> Result<Option<bool>, ProfileError> {
        self.parse(env, profiles, "`true` or `false`", |value| {
            let value = value.trim();
            if value.eq_ignore_ascii_case("true") {
                Some(true)
            } else if value.eq_ignore_ascii_case("false") {
                Some(false)
            } else {
                None
            }
        })
    }

    /// The value as an integer of at least 1 (decimal digits, an optional `+`, surrounding
    /// white space ignored).
    ///
    /// # Errors
    ///
    /// As [`parse`](Setting::parse).
    pub fn positive_int(
        &self,
        env: &Env,
        profiles: &ProfileSet,
    ) -> Result<Option<u32>, ProfileError> {
        self.parse(env, profiles, "a positive integer", |value| {
            value.trim().parse::<u32>().ok().filter(|&n| n >= 1)
        })
    }

    /// The value, which must be one of `allowed` (exactly, surrounding white space
    /// ignored).
    ///
    /// # Errors
    ///
    /// As [`parse`](Setting::parse): ``AWS_RETRY_MODE must be one of `legacy`, `standard`,
    /// `adaptive`, got `fast` ``.
    pub fn one_of(
        &self,
        env: &Env,
        profiles: &ProfileSet,
        allowed: &[&'static str],
    ) -> Result<Option<&'static str>, ProfileError> {
        let expected = format!(
            "one of {}",
            allowed
                .iter()
                .map(|value| format!("`{value}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        self.parse(env, profiles, &expected, |value| {
            let value = value.trim();
            allowed
                .iter()
                .copied()
                .find(|&candidate| candidate == value)
        })
    }
}

#[cfg(test)]
mod tests;
