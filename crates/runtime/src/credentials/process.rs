//! [`ProcessProvider`]: credentials printed by the program a profile's `credential_process`
//! names (botocore's `ProcessProvider`).

use super::{
    Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext,
};
use crate::DateTime;
use crate::datetime::TimestampFormat;
use serde_json::Value;
use std::process::Stdio;
use std::time::Duration;

/// The provider's name in errors and [`Credentials::source`].
const NAME: &str = "process";

/// How long the process may run. botocore waits for ever; a credential chain that hangs
/// on a stuck helper is worse than an error saying which helper is stuck.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How much of the process's standard error an error message quotes.
const MAX_STDERR: usize = 1024;

/// Credentials from `credential_process`: the command line is split as POSIX `shlex` does
/// (no shell runs it), run with no standard input, and must print a JSON object:
///
/// ```json
/// {"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
///  "SessionToken": "...", "Expiration": "2030-01-01T00:00:00Z", "AccountId": "..."}
/// ```
///
/// `SessionToken`, `Expiration` (RFC 3339; without it the credentials never expire) and
/// `AccountId` (else the profile's `aws_account_id`) are optional. A process that exits
/// non-zero, prints something else, or runs past the timeout (60 seconds unless
/// [`with_timeout`](Self::with_timeout) says otherwise) is an error naming the program,
/// with the exit status and the start of its standard error; never with the secrets.
#[derive(Debug, Clone)]
pub struct ProcessProvider {
    context: ProviderContext,
    timeout: Duration,
}

impl ProcessProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        ProcessProvider {
            context,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The same provider, waiting at most `timeout` for the process.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The credentials, now.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let profile_name = self.context.profile_name();
        let profile = self.context.profiles().profile(profile_name);
        let Some(command) = profile.and_then(|p| p.get("credential_process")) else {
            return Err(CredentialsError::not_configured(
                NAME,
                format!("profile `{profile_name}` has no credential_process"),
            ));
        };
        let Some(words) = crate::profile::shlex_split(command).filter(|w| !w.is_empty()) else {
            return Err(CredentialsError::invalid_configuration(
                NAME,
                format!(
                    "the credential_process of profile `{profile_name}` is not a command line \
                     (empty, an unclosed quote or a trailing backslash)"
                ),
            ));
        };
        // The arguments may hold secrets of their own; errors name the program only.
        let program = words[0].clone();
        let stdout = self.run(&program, &words).await?;
        let account_fallback = profile.and_then(|p| p.get("aws_account_id"));
        parse_output(&program, &stdout, account_fallback)
    }

    async fn run(&self, program: &str, words: &[String]) -> Result<Vec<u8>, CredentialsError> {
        let child = tokio::process::Command::new(program)
            .args(&words[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // A timed-out process is killed when its future is dropped.
            .kill_on_drop(true)
            .spawn()
            .map_err(|error| {
                CredentialsError::provider_failed(
                    NAME,
                    format!("cannot run credential_process `{program}`: {error}"),
                )
                .with_source(error)
            })?;
        let output = match tokio::time::timeout(self.timeout, child.wait_with_output()).await {
            Ok(Ok(output)) => output,
            Ok(Err(error)) => {
                return Err(CredentialsError::provider_failed(
                    NAME,
                    format!("cannot read the output of credential_process `{program}`: {error}"),
                )
                .with_source(error));
            }
            Err(_) => {
                return Err(CredentialsError::provider_failed(
                    NAME,
                    format!(
                        "credential_process `{program}` did not finish within {:?}; it was killed",
                        self.timeout
                    ),
                ));
            }
        };
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stderr = stderr.trim();
            let quoted = match stderr.char_indices().nth(MAX_STDERR) {
                Some((cut, _)) => format!("{}...", &stderr[..cut]),
                None => stderr.to_owned(),
            };
            let status = match output.status.code() {
                Some(code) => format!("exit status {code}"),
                None => output.status.to_string(),
            };
            let said = if quoted.is_empty() {
                " and printed nothing on standard error".to_owned()
            } else {
                format!(": {quoted}")
            };
            return Err(CredentialsError::provider_failed(
                NAME,
                format!("credential_process `{program}` failed with {status}{said}"),
            ));
        }
        Ok(output.stdout)
    }
}

/// Reads what the process printed. Messages name keys and JSON types, never values.
fn parse_output(
    program: &str,
    stdout: &[u8],
    account_fallback: Option<&str>,
) -> Result<Credentials, CredentialsError> {
    let fail = |why: String| {
        CredentialsError::provider_failed(NAME, format!("credential_process `{program}` {why}"))
    };
    // serde_json's syntax errors give a position, never the text.
    let parsed: Value = serde_json::from_slice(stdout).map_err(|error| {
        fail(format!(
            "printed output that is not JSON (line {}, column {})",
            error.line(),
            error.column()
        ))
    })?;
    let Value::Object(fields) = parsed else {
        return Err(fail(format!(
            "printed JSON {} where an object was expected",
            kind(&parsed)
        )));
    };
    // botocore compares with `!= 1`, so 1.0 passes there as here.
    match fields.get("Version") {
        Some(version) if version.as_f64() == Some(1.0) => {}
        Some(Value::Number(version)) => {
            return Err(fail(format!(
                "printed Version {version}: unsupported version '{version}' for credential \
                 process provider, supported versions: 1"
            )));
        }
        Some(other) => {
            return Err(fail(format!(
                "printed a Version that is JSON {}: supported versions: 1",
                kind(other)
            )));
        }
        None => {
            return Err(fail(
                "printed no Version (unsupported version '<Version key not provided>' for \
                 credential process provider, supported versions: 1)"
                    .to_owned(),
            ));
        }
    }
    let string = |key: &str, required: bool| -> Result<Option<&str>, CredentialsError> {
        match fields.get(key) {
            Some(Value::String(text)) => Ok(Some(text)),
            None | Some(Value::Null) if !required => Ok(None),
            None | Some(Value::Null) => Err(fail(format!(
                "printed no {key}: Missing required key in response: '{key}'"
            ))),
            Some(other) => Err(fail(format!(
                "printed a {key} that is JSON {}, not a string",
                kind(other)
            ))),
        }
    };
    let access_key_id = string("AccessKeyId", true)?.unwrap_or_default();
    let secret = string("SecretAccessKey", true)?.unwrap_or_default();
    let session_token = string("SessionToken", false)?.map(str::to_owned);
    let expires_at = match string("Expiration", false)? {
        None => None,
        Some(text) => Some(
            DateTime::parse(text, TimestampFormat::DateTime).map_err(|error| {
                fail(format!(
                    "printed an Expiration that is not an RFC 3339 timestamp: {error}"
                ))
            })?,
        ),
    };
    let account = string("AccountId", false)?
        .filter(|account| !account.is_empty())
        .or(account_fallback);
    let credentials = Credentials::new(access_key_id, secret, session_token, expires_at, NAME);
    Ok(match account {
        Some(account) => credentials.with_account_id(account),
        None => credentials,
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}
