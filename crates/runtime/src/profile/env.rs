//! [`Env`]: the snapshot of environment variables and home directory that configuration
//! is resolved from.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A snapshot of the environment variables and the home directory.
///
/// Resolution reads this snapshot, never the process environment directly, so that tests
/// (and users embedding several configurations in one process) can supply their own.
///
/// An empty variable counts as unset everywhere ([`var`](Env::var) returns `None`), as in
/// most AWS SDKs. `Debug` prints the variable names and never their values, which may be
/// secrets.
///
/// ```
/// use stratus_runtime::profile::Env;
///
/// let env = Env::from_vars([("AWS_PROFILE", "dev"), ("AWS_REGION", "")]).with_home("/home/me");
/// assert_eq!(env.var("AWS_PROFILE"), Some("dev"));
/// assert_eq!(env.var("AWS_REGION"), None);
/// assert_eq!(env.home().unwrap().to_str(), Some("/home/me"));
/// ```
#[derive(Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
    home: Option<PathBuf>,
}

impl Env {
    /// Takes a snapshot of this process's environment.
    ///
    /// Variables whose name or value is not Unicode are left out. The home directory is
    /// [`std::env::home_dir`]: `HOME` on Unix (else the password database), `USERPROFILE`
    /// on Windows (else the user's profile directory).
    pub fn from_process() -> Self {
        let vars = std::env::vars_os()
            .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
            .collect();
        let home = std::env::home_dir().filter(|home| !home.as_os_str().is_empty());
        Env { vars, home }
    }

    /// An environment holding exactly `vars`.
    ///
    /// The home directory is taken from them: `HOME`, else `USERPROFILE`, else
    /// `HOMEDRIVE` + `HOMEPATH` (on Windows `USERPROFILE` comes first). Override it with
    /// [`with_home`](Env::with_home).
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let vars: BTreeMap<String, String> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let mut env = Env { vars, home: None };
        env.home = env.home_from_vars();
        env
    }

    /// This environment with `home` as the home directory (for `~` in paths).
    #[must_use]
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// This environment with no known home directory: paths starting with `~` name no file.
    #[must_use]
    pub fn without_home(mut self) -> Self {
        self.home = None;
        self
    }

    /// This environment with `name` set to `value` (the home directory stays as it was).
    #[must_use]
    pub fn with_var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// The value of the variable `name`, or `None` when it is unset or empty.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }

    /// The home directory, if known.
    pub fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }

    fn home_from_vars(&self) -> Option<PathBuf> {
        let profile = || self.var("USERPROFILE").map(PathBuf::from);
        let unix = || self.var("HOME").map(PathBuf::from);
        let drive_path = || {
            let drive = self.var("HOMEDRIVE")?;
            let path = self.var("HOMEPATH")?;
            Some(PathBuf::from(format!("{drive}{path}")))
        };
        if cfg!(windows) {
            profile().or_else(unix).or_else(drive_path)
        } else {
            unix().or_else(profile).or_else(drive_path)
        }
    }

    /// Expands a configured path as botocore does (`os.path.expandvars`, then
    /// `os.path.expanduser`): `$NAME` and `${NAME}` become the variable's value when it is
    /// set (and are kept as written when not), then a leading `~` or `~/` becomes the home
    /// directory. `None` when the path needs a home directory and none is known. `~user`
    /// is kept as written.
    pub(super) fn expand_path(&self, raw: &str) -> Option<PathBuf> {
        let expanded = self.expand_vars(raw);
        let Some(rest) = expanded.strip_prefix('~') else {
            return Some(PathBuf::from(expanded));
        };
        let separator = |c: char| c == '/' || (cfg!(windows) && c == '\\');
        if rest.is_empty() {
            return self.home.clone();
        }
        if rest.starts_with(separator) {
            let home = self.home.as_ref()?;
            return Some(home.join(rest.trim_start_matches(separator)));
        }
        Some(PathBuf::from(expanded))
    }

    fn expand_vars(&self, raw: &str) -> String {
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let (name, len) = if let Some(braced) = after.strip_prefix('{') {
                match braced.find('}') {
                    Some(end) => (&braced[..end], end + 2),
                    None => ("", 0),
                }
            } else {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            };
            match self.vars.get(name) {
                Some(value) if len > 0 => {
                    out.push_str(value);
                    rest = &after[len..];
                }
                _ => {
                    out.push('$');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env")
            .field("vars", &self.vars.keys().collect::<Vec<_>>())
            .field("home", &self.home)
            .finish()
    }
}
