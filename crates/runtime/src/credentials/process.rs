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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;
    use crate::credentials::CredentialsErrorKind;
    use crate::profile::Env;
    use std::path::{Path, PathBuf};

    /// A home directory of the test's own, removed on drop.
    struct Home(PathBuf);

    impl Home {
        fn new() -> Self {
            let dir = std::env::temp_dir().join(format!(
                "stratus-process-test-{}",
                uuid::Uuid::new_v4().simple()
            ));
            std::fs::create_dir_all(dir.join(".aws")).unwrap();
            Home(dir)
        }

        fn write(&self, name: &str, contents: &str) -> PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, contents).unwrap();
            path
        }

        /// A provider for profile `p` whose `credential_process` is `sh <script> <args>`.
        fn provider(&self, script: &str, args: &str, extra: &str) -> ProcessProvider {
            let script = self.write("helper.sh", script);
            let config = format!(
                "[profile p]\ncredential_process = sh {} {args}\n{extra}",
                script.display()
            );
            self.provider_with(&config)
        }

        fn provider_with(&self, config: &str) -> ProcessProvider {
            self.write(".aws/config", config);
            let env = Env::from_vars([("AWS_PROFILE", "p")]).with_home(&self.0);
            let config = Config::from_shared(env).unwrap();
            ProcessProvider::new(ProviderContext::new(&config))
        }
    }

    impl Drop for Home {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn path(p: &Path) -> String {
        p.display().to_string()
    }

    #[tokio::test]
    async fn reads_keys_token_expiry_and_account() {
        let home = Home::new();
        let provider = home.provider(
            r#"cat <<'JSON'
{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret",
 "SessionToken": "proc-token", "Expiration": "2030-01-01T00:00:00Z",
 "AccountId": "111122223333"}
JSON"#,
            "",
            "aws_account_id = 999999999999\n",
        );
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "AKIDPROC");
        assert_eq!(creds.secret_access_key(), "proc-secret");
        assert_eq!(creds.session_token(), Some("proc-token"));
        assert_eq!(creds.expires_at().unwrap().secs(), 1_893_456_000);
        // The process's AccountId wins over the profile's.
        assert_eq!(creds.account_id(), Some("111122223333"));
        assert_eq!(creds.source(), "process");
    }

    #[tokio::test]
    async fn without_expiration_they_never_expire_and_the_profile_gives_the_account() {
        let home = Home::new();
        let provider = home.provider(
            r#"echo '{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "SK", "SessionToken": null}'"#,
            "",
            "aws_account_id = 999999999999\n",
        );
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.expires_at(), None);
        assert_eq!(creds.session_token(), None);
        assert_eq!(creds.account_id(), Some("999999999999"));
    }

    #[tokio::test]
    async fn the_command_line_is_split_as_posix_shlex_does() {
        let home = Home::new();
        // The script prints its arguments as the access key, joined by `|`.
        let provider = home.provider(
            r#"printf '{"Version": 1, "AccessKeyId": "%s|%s|%s", "SecretAccessKey": "SK"}' "$1" "$2" "$3""#,
            r#""two words" 'single $HOME' back\ slash"#,
            "",
        );
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "two words|single $HOME|back slash");
    }

    #[tokio::test]
    async fn a_failing_process_is_an_error_with_its_status_and_stderr() {
        let home = Home::new();
        let provider = home.provider("echo '  token expired, log in again  ' >&2; exit 3", "", "");
        let error = provider.provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        assert_eq!(error.provider(), "process");
        assert_eq!(
            error.message(),
            "credential_process `sh` failed with exit status 3: token expired, log in again"
        );

        // A long stderr is cut.
        let provider = home.provider("head -c 5000 /dev/zero | tr '\\0' x >&2; exit 1", "", "");
        let error = provider.provide_credentials().await.unwrap_err();
        assert!(error.message().len() < 1200, "{}", error.message().len());
        assert!(error.message().ends_with("x..."), "{error}");

        let provider = home.provider("exit 1", "", "");
        let error = provider.provide_credentials().await.unwrap_err();
        assert!(
            error
                .message()
                .contains("printed nothing on standard error"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn bad_output_is_a_clear_error_that_never_echoes_the_secret() {
        let home = Home::new();
        let cases = [
            (
                r#"{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "s3cr3t"#,
                "is not JSON",
            ),
            (
                r#"["s3cr3t"]"#,
                "printed JSON an array where an object was expected",
            ),
            (
                r#"{"Version": 2, "AccessKeyId": "AK", "SecretAccessKey": "s3cr3t"}"#,
                "unsupported version '2' for credential process provider, supported versions: 1",
            ),
            (
                r#"{"Version": "1", "AccessKeyId": "AK", "SecretAccessKey": "s3cr3t"}"#,
                "Version that is JSON a string",
            ),
            (
                r#"{"AccessKeyId": "AK", "SecretAccessKey": "s3cr3t"}"#,
                "<Version key not provided>",
            ),
            (
                r#"{"Version": 1, "SecretAccessKey": "s3cr3t"}"#,
                "Missing required key in response: 'AccessKeyId'",
            ),
            (
                r#"{"Version": 1, "AccessKeyId": "AK", "SessionToken": "s3cr3t"}"#,
                "Missing required key in response: 'SecretAccessKey'",
            ),
            (
                r#"{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": ["s3cr3t"]}"#,
                "SecretAccessKey that is JSON an array, not a string",
            ),
            (
                r#"{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "s3cr3t", "Expiration": "tomorrow"}"#,
                "Expiration that is not an RFC 3339 timestamp",
            ),
        ];
        for (output, said) in cases {
            let output_file = home.write("output.json", output);
            let provider = home.provider(&format!("cat {}", path(&output_file)), "", "");
            let error = provider.provide_credentials().await.unwrap_err();
            assert_eq!(
                error.kind(),
                CredentialsErrorKind::ProviderFailed,
                "{output}"
            );
            assert!(error.message().contains(said), "{output}: {error}");
            assert!(!format!("{error} {error:?}").contains("s3cr3t"), "{error}");
        }
    }

    #[tokio::test]
    async fn a_process_past_the_timeout_is_killed() {
        let home = Home::new();
        let provider = home
            .provider("sleep 5; echo '{}'", "", "")
            .with_timeout(Duration::from_millis(200));
        let started = std::time::Instant::now();
        let error = provider.provide_credentials().await.unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        assert!(
            error.message().contains("did not finish within 200ms"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn not_configured_bad_command_lines_and_missing_programs() {
        let home = Home::new();
        let provider = home.provider_with("[profile p]\nregion = us-east-1\n");
        let error = provider.provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);

        let provider = home.provider_with("[profile p]\ncredential_process = helper 'unclosed\n");
        let error = provider.provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(error.message().contains("profile `p`"), "{error}");

        let provider = home.provider_with(
            "[profile p]\ncredential_process = /nonexistent/stratus-helper --secret=hunter2\n",
        );
        let error = provider.provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        assert!(
            error
                .message()
                .contains("cannot run credential_process `/nonexistent/stratus-helper`"),
            "{error}"
        );
        assert!(!error.message().contains("hunter2"), "{error}");
    }

    #[tokio::test]
    async fn stdin_is_closed() {
        let home = Home::new();
        // `cat` with a closed stdin ends at once; with an inherited terminal it would wait.
        let provider = home
            .provider(
                r#"cat >/dev/null; echo '{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "SK"}'"#,
                "",
                "",
            )
            .with_timeout(Duration::from_secs(5));
        assert_eq!(
            provider
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id(),
            "AK"
        );
    }
}
