//! [`ContainerProvider`]: credentials from the ECS task or EKS Pod Identity endpoint.
//!
//! botocore: `ContainerProvider` (credentials.py) and `ContainerMetadataFetcher` (utils.py).

use super::imds::fetch::{self, Answer};
use super::{
    Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext,
};
use crate::profile::Env;
use std::time::Duration;

/// The provider's name in errors and [`Credentials::source`].
const NAME: &str = "container";

const RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// The ECS endpoint a relative URI is appended to.
const ECS_ENDPOINT: &str = "http://169.254.170.2";
/// The hosts a full `http://` URI may name besides loopback addresses: ECS, EKS Pod
/// Identity (IPv4 and IPv6), `localhost`. Any host is allowed over `https://`.
const ALLOWED_HOSTS: [&str; 4] = [
    "169.254.170.2",
    "169.254.170.23",
    "fd00:ec2::23",
    "localhost",
];

/// botocore's `ContainerMetadataFetcher`: 2 seconds per request, 3 attempts, 1 second
/// between them. Every failure is retried, a 404 and malformed JSON included.
const TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPTS: u32 = 3;
const PAUSE: Duration = Duration::from_secs(1);

/// Credentials from the ECS and EKS container credentials endpoint.
///
/// Configured by `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (a path on
/// `http://169.254.170.2`, set by ECS) or else `AWS_CONTAINER_CREDENTIALS_FULL_URI` (set by
/// EKS Pod Identity, or by hand: over `http://` it must name a loopback address, the ECS or
/// EKS address, or `localhost`). The `Authorization` header is the content of
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every fetch: the agent rotates it), else
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`. The answer's `AccountId` becomes the credentials'
/// account.
#[derive(Debug, Clone)]
pub struct ContainerProvider {
    context: ProviderContext,
    relative_base: String,
    timeout: Duration,
    attempts: u32,
    pause: Duration,
}

impl ContainerProvider {
    /// The provider for `context`'s profile.
    pub fn new(context: ProviderContext) -> Self {
        ContainerProvider {
            context,
            relative_base: ECS_ENDPOINT.to_owned(),
            timeout: TIMEOUT,
            attempts: ATTEMPTS,
            pause: PAUSE,
        }
    }

    /// The same provider with a relative URI resolved against `base` and other timings
    /// (tests: the ECS address is not loopback, and botocore's pauses are long).
    #[cfg(test)]
    fn for_test(mut self, base: &str, timeout: Duration, pause: Duration) -> Self {
        self.relative_base = base.to_owned();
        self.timeout = timeout;
        self.pause = pause;
        self
    }

    /// The endpoint's URL, or `None` when neither variable is set.
    fn url(&self) -> Result<Option<http::Uri>, CredentialsError> {
        let env = self.context.env();
        let (text, var) = if let Some(relative) = env.var(RELATIVE_URI) {
            (format!("{}{relative}", self.relative_base), RELATIVE_URI)
        } else if let Some(full) = env.var(FULL_URI) {
            (full.trim().to_owned(), FULL_URI)
        } else {
            return Ok(None);
        };
        // The value is not printed: its query may carry a secret.
        let url: http::Uri = text.parse().map_err(|_| {
            CredentialsError::invalid_configuration(NAME, format!("{var} is not a valid URL"))
        })?;
        if var == FULL_URI {
            check_full_uri(&url)?;
        } else {
            // The relative URI is a path on the ECS endpoint: a value that moves the request
            // elsewhere (`@evil.example/x`, `.evil.example/x`) would send the authorization
            // token there.
            let base: Option<http::Uri> = self.relative_base.parse().ok();
            let same_host = base
                .as_ref()
                .is_some_and(|b| b.authority() == url.authority() && b.scheme() == url.scheme());
            let relative = env.var(RELATIVE_URI).unwrap_or_default();
            if !relative.starts_with('/') || !same_host {
                return Err(CredentialsError::invalid_configuration(
                    NAME,
                    format!("{RELATIVE_URI} must be a path starting with `/`"),
                ));
            }
        }
        Ok(Some(url))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(url) = self.url()? else {
            return Err(CredentialsError::not_configured(
                NAME,
                format!("neither {RELATIVE_URI} nor {FULL_URI} is set"),
            ));
        };
        let shown = fetch::redacted(&url);
        let client = self
            .context
            .config()
            .http_client()
            .map_err(|e| CredentialsError::invalid_configuration(NAME, e.to_string()))?;
        let mut headers = vec![(
            http::header::ACCEPT,
            http::HeaderValue::from_static("application/json"),
        )];
        if let Some(token) = authorization(self.context.env())? {
            headers.push((http::header::AUTHORIZATION, token));
        }
        let mut why = String::new();
        for attempt in 1..=self.attempts.max(1) {
            if attempt > 1 {
                tokio::time::sleep(self.pause).await;
            }
            let answer =
                fetch::exchange(&**client, http::Method::GET, &url, &headers, self.timeout).await;
            why = match answer {
                Ok(Answer {
                    status: 200, body, ..
                }) => match parse(&body) {
                    Parsed::Credentials(result) => {
                        return result.map_err(|why| {
                            CredentialsError::provider_failed(
                                NAME,
                                format!("the answer of {shown} {why}"),
                            )
                        });
                    }
                    Parsed::NotJson(why) => why,
                },
                Ok(Answer { status, body, .. }) => {
                    format!("status {status}: {}", fetch::excerpt(&body))
                }
                Err(failure) => failure.to_string(),
            };
        }
        Err(CredentialsError::provider_failed(
            NAME,
            format!(
                "getting credentials from {shown} failed after {} attempts: {why}",
                self.attempts.max(1)
            ),
        ))
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// botocore's `_validate_allowed_url`: any host over `https://`; over `http://` a loopback
/// address (127.0.0.0/8, `::1`) or one of [`ALLOWED_HOSTS`].
fn check_full_uri(url: &http::Uri) -> Result<(), CredentialsError> {
    let host = url.host().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match url.scheme_str() {
        Some("https") => return Ok(()),
        Some("http") => {}
        _ => {
            return Err(CredentialsError::invalid_configuration(
                NAME,
                format!("{FULL_URI} must be an http:// or https:// URL"),
            ));
        }
    }
    let loopback = host
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback());
    if loopback || ALLOWED_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Ok(());
    }
    Err(CredentialsError::invalid_configuration(
        NAME,
        format!(
            "{FULL_URI} names host `{host}`: over http:// only a loopback address or one of {} \
             is allowed",
            ALLOWED_HOSTS.join(", ")
        ),
    ))
}

/// The `Authorization` header: the token file's content (read now), else the token variable.
///
/// As botocore, the token is used as it is: a line break in it (a token file ending with a
/// newline included) is an error, not trimmed.
fn authorization(env: &Env) -> Result<Option<http::HeaderValue>, CredentialsError> {
    let (token, source) = if let Some(path) = env.var(TOKEN_FILE) {
        let token = std::fs::read_to_string(path).map_err(|e| {
            CredentialsError::invalid_configuration(
                NAME,
                format!("cannot read {TOKEN_FILE} `{path}`: {e}"),
            )
            .with_source(e)
        })?;
        (token, TOKEN_FILE)
    } else if let Some(token) = env.var(TOKEN) {
        (token.to_owned(), TOKEN)
    } else {
        return Ok(None);
    };
    let illegal = |why: &str| {
        CredentialsError::invalid_configuration(
            NAME,
            format!("the token of {source} is not a legal header value: {why}"),
        )
    };
    if token.contains(['\r', '\n']) {
        return Err(illegal("it holds a line break"));
    }
    let mut value =
        http::HeaderValue::from_str(&token).map_err(|_| illegal("it holds a control character"))?;
    value.set_sensitive(true);
    Ok(Some(value))
}

/// What a 200 answer held.
enum Parsed {
    /// Credentials, or why the JSON does not hold them (not retried, as botocore's
    /// `KeyError`).
    Credentials(Result<Credentials, String>),
    /// Not JSON: retried, as botocore does.
    NotJson(String),
}

fn parse(body: &str) -> Parsed {
    // The serde error names a line and column, never the text (which may hold a secret).
    let value: serde_json::Value = match serde_json::from_str(body) {
        Ok(value) => value,
        Err(e) => return Parsed::NotJson(format!("the answer is not JSON ({e})")),
    };
    Parsed::Credentials(credentials(&value))
}

fn credentials(value: &serde_json::Value) -> Result<Credentials, String> {
    let object = value.as_object().ok_or("is not a JSON object")?;
    fetch::json_credentials(object, NAME, |expires_at| expires_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;
    use crate::credentials::CredentialsErrorKind;
    use crate::credentials::imds::test_server::{Reply, TestServer, refused_port};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    const CREDS: &str = r#"{
        "AccessKeyId": "ASIACONTAINER",
        "SecretAccessKey": "container-secret",
        "Token": "container-token",
        "Expiration": "2099-01-01T00:00:00Z",
        "AccountId": "123456789012",
        "RoleArn": "arn:aws:iam::123456789012:role/task"
    }"#;

    fn provider(vars: &[(&str, &str)], base: &str) -> ContainerProvider {
        let env = Env::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let context = ProviderContext::new(&Config::from_shared(env).expect("config"));
        ContainerProvider::new(context).for_test(
            base,
            Duration::from_millis(300),
            Duration::from_millis(10),
        )
    }

    fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!(
            "stratus-container-{}-{n}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, contents).unwrap();
        path
    }

    #[tokio::test]
    async fn a_relative_uri_is_fetched_from_the_ecs_endpoint() {
        let server = TestServer::start(|seen| match seen.path.as_str() {
            "/v2/credentials/0f1e-task" => Reply::ok(CREDS),
            _ => Reply::new(404, "no"),
        })
        .await;
        let vars = [(RELATIVE_URI, "/v2/credentials/0f1e-task")];
        let creds = provider(&vars, &server.url())
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "ASIACONTAINER");
        assert_eq!(creds.secret_access_key(), "container-secret");
        assert_eq!(creds.session_token(), Some("container-token"));
        assert_eq!(creds.account_id(), Some("123456789012"));
        assert_eq!(creds.source(), "container");
        assert_eq!(creds.expires_at().unwrap().secs(), 4_070_908_800);
        let seen = server.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].method, "GET");
        assert_eq!(seen[0].header("accept"), Some("application/json"));
        assert_eq!(seen[0].header("authorization"), None);
        // The real provider appends it to the ECS address.
        let real = ContainerProvider::new(provider(&vars, "").context);
        assert_eq!(
            real.url().unwrap().unwrap().to_string(),
            "http://169.254.170.2/v2/credentials/0f1e-task"
        );
    }

    #[test]
    fn a_relative_uri_cannot_move_the_request_to_another_host() {
        for relative in ["@evil.example/x", ".evil.example/x", "evil/x", ":8080/x"] {
            let vars = [(RELATIVE_URI, relative)];
            let real = ContainerProvider::new(provider(&vars, "").context);
            let error = real.url().unwrap_err();
            assert_eq!(
                error.kind(),
                crate::credentials::CredentialsErrorKind::InvalidConfiguration,
                "{relative}"
            );
            assert!(error.message().contains("must be a path"), "{error}");
        }
    }

    #[tokio::test]
    async fn a_full_uri_on_loopback_sends_the_token() {
        let server = TestServer::start(|_| Reply::ok(CREDS)).await;
        let url = format!("{}/creds?id=1", server.url());
        let vars = [(FULL_URI, url.as_str()), (TOKEN, "Basic abc==")];
        let creds = provider(&vars, "http://unused")
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "ASIACONTAINER");
        let seen = server.seen();
        assert_eq!(seen[0].path, "/creds?id=1");
        assert_eq!(seen[0].header("authorization"), Some("Basic abc=="));
    }

    #[tokio::test]
    async fn the_token_file_wins_and_is_read_on_every_fetch() {
        let server = TestServer::start(|_| Reply::ok(CREDS)).await;
        let file = temp_file("token", "first-token");
        let url = format!("{}/creds", server.url());
        let vars = [
            (FULL_URI, url.as_str()),
            (TOKEN_FILE, file.to_str().unwrap()),
            (TOKEN, "from-the-variable"),
        ];
        let provider = provider(&vars, "http://unused");
        provider.provide_credentials().await.unwrap();
        std::fs::write(&file, "rotated-token").unwrap();
        provider.provide_credentials().await.unwrap();
        let tokens: Vec<_> = server
            .seen()
            .iter()
            .map(|s| s.header("authorization").unwrap().to_owned())
            .collect();
        assert_eq!(tokens, ["first-token", "rotated-token"]);
        let _ = std::fs::remove_file(file);
    }

    #[tokio::test]
    async fn a_token_with_a_line_break_or_an_unreadable_file_is_rejected() {
        let server = TestServer::start(|_| Reply::ok(CREDS)).await;
        let url = format!("{}/creds", server.url());
        // As botocore: a token file ending with a newline is not trimmed, and fails.
        let file = temp_file("newline", "secret-token\n");
        let missing = std::env::temp_dir().join("stratus-container-no-such-token");
        let cases = [
            (
                (TOKEN, "secret\r\nX-Injected: 1".to_owned()),
                TOKEN,
                "line break",
            ),
            (
                (TOKEN_FILE, file.to_str().unwrap().to_owned()),
                TOKEN_FILE,
                "line break",
            ),
            (
                (TOKEN_FILE, missing.to_str().unwrap().to_owned()),
                TOKEN_FILE,
                "cannot read",
            ),
        ];
        for ((var, value), names, says) in cases {
            let vars = [(FULL_URI, url.as_str()), (var, value.as_str())];
            let error = provider(&vars, "").provide_credentials().await.unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
            assert!(error.message().contains(names), "{error}");
            assert!(error.message().contains(says), "{error}");
            assert!(!error.message().contains("secret"), "{error}");
        }
        assert!(server.seen().is_empty());
        let _ = std::fs::remove_file(file);
    }

    #[test]
    fn full_uris_over_http_are_limited_to_known_hosts() {
        let check = |url: &str| check_full_uri(&url.parse().unwrap());
        for allowed in [
            "http://127.0.0.1:8080/creds",
            "http://127.3.2.1/creds",
            "http://[::1]:80/creds",
            "http://localhost/creds",
            "http://LOCALHOST/creds",
            "http://169.254.170.2/v2/credentials",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "https://credentials.example.com/creds",
        ] {
            assert!(check(allowed).is_ok(), "{allowed}");
        }
        for denied in [
            "http://example.com/creds",
            "http://169.254.169.254/latest",
            "http://10.0.0.1/creds",
            "http://[fd00:ec2::24]/creds",
            "ftp://127.0.0.1/creds",
        ] {
            let error = check(denied).unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
            assert!(error.message().contains(FULL_URI), "{error}");
        }
    }

    #[tokio::test]
    async fn a_disallowed_host_is_rejected_without_a_request() {
        let vars = [(FULL_URI, "http://attacker.example.com/creds")];
        let error = provider(&vars, "").provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(error.message().contains("attacker.example.com"), "{error}");
        let vars = [(FULL_URI, "not a url at all")];
        let error = provider(&vars, "").provide_credentials().await.unwrap_err();
        assert!(error.message().contains("not a valid URL"), "{error}");
    }

    #[tokio::test]
    async fn error_statuses_are_retried_then_reported_with_the_url() {
        for status in [404, 500] {
            let server = TestServer::start(move |_| Reply::new(status, "task not found")).await;
            let url = format!("{}/creds?signature=hidden-value", server.url());
            let error = provider(&[(FULL_URI, url.as_str())], "")
                .provide_credentials()
                .await
                .unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
            let message = error.message();
            assert!(
                message.contains(&format!("{}/creds?…", server.url())),
                "{error}"
            );
            assert!(message.contains(&format!("status {status}")), "{error}");
            assert!(message.contains("task not found"), "{error}");
            assert!(message.contains("3 attempts"), "{error}");
            assert!(!message.contains("hidden-value"), "{error}");
            assert_eq!(server.seen().len(), 3, "botocore's 3 attempts");
        }
    }

    #[tokio::test]
    async fn a_retry_after_an_error_can_succeed() {
        let left = Arc::new(Mutex::new(2));
        let server = TestServer::start(move |_| {
            let mut left = left.lock().unwrap();
            if *left > 0 {
                *left -= 1;
                Reply::new(500, "busy")
            } else {
                Reply::ok(CREDS)
            }
        })
        .await;
        let url = format!("{}/creds", server.url());
        let creds = provider(&[(FULL_URI, url.as_str())], "")
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "ASIACONTAINER");
        assert_eq!(server.seen().len(), 3);
    }

    #[tokio::test]
    async fn malformed_answers_are_failures_that_do_not_print_the_body() {
        // Not JSON: retried, as botocore does.
        let server =
            TestServer::start(|_| Reply::ok(r#"{"AccessKeyId":"A","SecretAccessKey":"leak"#)).await;
        let url = format!("{}/creds", server.url());
        let error = provider(&[(FULL_URI, url.as_str())], "")
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        assert!(error.message().contains("not JSON"), "{error}");
        assert!(!error.message().contains("leak"), "{error}");
        assert_eq!(server.seen().len(), 3);

        // JSON without a field: not retried.
        for (body, says) in [
            (
                r#"{"AccessKeyId":"A","SecretAccessKey":"leak","Expiration":"2099-01-01T00:00:00Z"}"#,
                "has no `Token`",
            ),
            (
                r#"{"AccessKeyId":"A","SecretAccessKey":"leak","Token":"t","Expiration":"tomorrow"}"#,
                "not an ISO 8601 time",
            ),
            ("[1, 2]", "not a JSON object"),
        ] {
            let server = TestServer::start(move |_| Reply::ok(body)).await;
            let url = format!("{}/creds", server.url());
            let error = provider(&[(FULL_URI, url.as_str())], "")
                .provide_credentials()
                .await
                .unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
            assert!(error.message().contains(says), "{error}");
            assert!(error.message().contains(&url), "{error}");
            assert!(!error.message().contains("leak"), "{error}");
            assert_eq!(server.seen().len(), 1);
        }
    }

    #[tokio::test]
    async fn a_slow_endpoint_times_out() {
        let server = TestServer::start(|_| Reply::ok(CREDS).after(Duration::from_secs(5))).await;
        let url = format!("{}/creds", server.url());
        let started = Instant::now();
        let error = provider(&[(FULL_URI, url.as_str())], "")
            .provide_credentials()
            .await
            .unwrap_err();
        let took = started.elapsed();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        assert!(
            error.message().contains("no answer within 300ms"),
            "{error}"
        );
        // 3 attempts of 300 ms and 2 pauses of 10 ms.
        assert!(took >= Duration::from_millis(900), "took {took:?}");
        assert!(took < Duration::from_millis(2000), "took {took:?}");
    }

    #[tokio::test]
    async fn a_refused_connection_is_a_failure() {
        let url = format!("http://127.0.0.1:{}/creds", refused_port().await);
        let error = provider(&[(FULL_URI, url.as_str())], "")
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        assert!(error.message().contains("cannot connect"), "{error}");
        assert!(error.message().contains(&url), "{error}");
    }

    #[tokio::test]
    async fn unset_is_not_configured_and_the_relative_uri_wins() {
        let error = provider(&[], "").provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
        assert!(error.message().contains(RELATIVE_URI), "{error}");
        assert!(error.message().contains(FULL_URI), "{error}");

        let server = TestServer::start(|_| Reply::ok(CREDS)).await;
        let vars = [
            (RELATIVE_URI, "/relative"),
            (FULL_URI, "http://127.0.0.1:1/full"),
        ];
        provider(&vars, &server.url())
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(server.seen()[0].path, "/relative");
    }
}
