//! Tests of the SSO providers: profile validation, the token cache, the refresh through
//! SSO-OIDC and the `GetRoleCredentials` request, against a loopback server of their own.

use super::config::{SsoConfig, TokenConfig, credentials_config, token_config};
use super::token::cache_key;
use super::*;
use crate::Config;
use crate::credentials::{CredentialsErrorKind, ProvideToken};
use crate::datetime::TimestampFormat;
use crate::profile::{Env, ProfileSet};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ---- helpers -------------------------------------------------------------------------

/// A directory of its own under the system's temporary directory, removed on drop: the
/// home directory of a test.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new() -> Self {
        let dir = std::env::temp_dir().join(format!(
            "stratus-sso-test-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }

    pub(crate) fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A request as the loopback server received it.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    /// Path and query.
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Reply = (u16, Vec<(&'static str, String)>, String);

/// An HTTP/1.1 server on 127.0.0.1 answering each request with `handler`'s reply, one
/// request per connection.
struct Server {
    endpoint: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    async fn start(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let handler = Arc::new(handler);
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let log = log.clone();
                let handler = handler.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    let (status, headers, body) = handler(&request);
                    log.lock().unwrap().push(request);
                    let mut head = format!(
                        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                        body.len()
                    );
                    for (name, value) in headers {
                        head.push_str(&format!("{name}: {value}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.write_all(body.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Server { endpoint, received }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buffer[head_end..]).into_owned();
    Some(Received {
        method,
        target,
        headers,
        body,
    })
}

fn json_reply(status: u16, body: Value) -> Reply {
    (
        status,
        vec![("Content-Type", "application/json".to_owned())],
        body.to_string(),
    )
}

fn error_reply(status: u16, code: &str) -> Reply {
    (
        status,
        vec![
            ("Content-Type", "application/json".to_owned()),
            ("x-amzn-errortype", code.to_owned()),
        ],
        json!({"message": "no"}).to_string(),
    )
}

/// `seconds` from now, as the AWS CLI writes cache times.
fn in_seconds(seconds: i64) -> String {
    DateTime::from_secs(DateTime::now().secs() + seconds).format(TimestampFormat::DateTime)
}

/// A context whose home is `dir` with `config` as `~/.aws/config`, calling `endpoint`.
fn context(dir: &TempDir, config: &str, profile: &str, endpoint: &str) -> ProviderContext {
    dir.write(".aws/config", config);
    let env = Env::from_vars([("AWS_ENDPOINT_URL", endpoint), ("AWS_MAX_ATTEMPTS", "1")])
        .with_home(dir.path());
    let config = Config::from_shared(env).unwrap();
    ProviderContext::new(&config).with_profile(profile)
}

fn write_token(dir: &TempDir, key: &str, token: Value) -> PathBuf {
    dir.write(
        &format!(".aws/sso/cache/{}.json", cache_key(key)),
        &token.to_string(),
    )
}

fn role_credentials_reply(expiration_ms: i64) -> Reply {
    json_reply(
        200,
        json!({"roleCredentials": {
            "accessKeyId": "ASIAROLE",
            "secretAccessKey": "role-secret",
            "sessionToken": "role-session",
            "expiration": expiration_ms,
        }}),
    )
}

const LEGACY: &str = "[profile legacy]\n\
    sso_start_url = https://test.url/start\n\
    sso_region = us-west-2\n\
    sso_account_id = 123456789012\n\
    sso_role_name = SSORole\n";

const SESSION: &str = "[profile dev]\n\
    sso_session = my-sso\n\
    sso_account_id = 123456789012\n\
    sso_role_name = SSORole\n\
    [sso-session my-sso]\n\
    sso_start_url = https://test.url/start\n\
    sso_region = eu-west-1\n\
    sso_registration_scopes = sso:account:access\n";

// ---- configuration --------------------------------------------------------------------

fn parse(config: &str) -> ProfileSet {
    ProfileSet::parse(Some((Path::new("config"), config.as_bytes())), None).unwrap()
}

/// A config, or what the error message says.
type Expected = Result<Option<SsoConfig>, &'static str>;

#[test]
fn credentials_config_follows_botocore_validation() {
    let legacy = SsoConfig {
        start_url: "https://test.url/start".into(),
        region: "us-west-2".into(),
        account_id: "123456789012".into(),
        role_name: "SSORole".into(),
        session: None,
    };
    let with_session = SsoConfig {
        region: "eu-west-1".into(),
        session: Some("my-sso".into()),
        ..legacy.clone()
    };
    // (config, profile, Ok(expected) or Err(what the message says))
    let cases: Vec<(&str, &str, Expected)> = vec![
        (LEGACY, "legacy", Ok(Some(legacy.clone()))),
        (SESSION, "dev", Ok(Some(with_session.clone()))),
        ("[profile p]\nregion = us-east-1\n", "p", Ok(None)),
        (
            "[profile p]\nsso_start_url = https://x\nsso_region = us-east-1\n",
            "p",
            Ok(None),
        ),
        ("", "absent", Ok(None)),
        (
            "[profile p]\nsso_role_name = R\n",
            "p",
            Err(
                "The profile \"p\" is configured to use SSO but is missing required \
                 configuration: sso_account_id, sso_start_url, sso_region",
            ),
        ),
        (
            "[profile p]\nsso_account_id = 1\nsso_role_name = R\nsso_start_url = https://x\n",
            "p",
            Err("missing required configuration: sso_region"),
        ),
        (
            "[profile p]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n",
            "p",
            Err("The specified sso-session does not exist: \"nope\""),
        ),
        (
            "[profile p]\nsso_session = s\nsso_account_id = 1\nsso_role_name = R\n\
             sso_region = us-east-1\n[sso-session s]\nsso_region = eu-west-1\n\
             sso_start_url = https://x\n",
            "p",
            Err(
                "The value for sso_region is inconsistent between profile (us-east-1) and \
                 sso-session (eu-west-1)",
            ),
        ),
        (
            "[profile p]\nsso_session = s\nsso_account_id = 1\nsso_role_name = R\n\
             [sso-session s]\nsso_start_url = https://x\n",
            "p",
            Err("missing required configuration: sso_region"),
        ),
    ];
    for (config, profile, expected) in cases {
        let got = credentials_config("sso", &parse(config), profile);
        match (got, expected) {
            (Ok(got), Ok(expected)) => assert_eq!(got, expected, "{config}"),
            (Err(error), Err(said)) => {
                assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
                assert!(error.message().contains(said), "{error} / {said}");
            }
            (got, expected) => panic!("{config}: got {got:?}, expected {expected:?}"),
        }
    }
    // The same value in both places is no conflict.
    let agreeing = "[profile p]\nsso_session = s\nsso_account_id = 1\nsso_role_name = R\n\
                    sso_region = eu-west-1\n[sso-session s]\nsso_region = eu-west-1\n\
                    sso_start_url = https://x\n";
    let got = credentials_config("sso", &parse(agreeing), "p")
        .unwrap()
        .unwrap();
    assert_eq!(got.region, "eu-west-1");
}

#[test]
fn token_config_needs_an_sso_session_with_url_and_region() {
    let expected = TokenConfig {
        session: "my-sso".into(),
        start_url: "https://test.url/start".into(),
        region: "eu-west-1".into(),
    };
    assert_eq!(
        token_config("t", &parse(SESSION), "dev").unwrap(),
        Some(expected)
    );
    assert_eq!(token_config("t", &parse(LEGACY), "legacy").unwrap(), None);
    let cases = [
        (
            "[profile p]\nsso_session = gone\n",
            "the \"gone\" sso_session configuration does not exist",
        ),
        (
            "[profile p]\nsso_session = s\n[sso-session s]\nsso_region = us-east-1\n",
            "missing the following configuration: sso_start_url",
        ),
        (
            "[profile p]\nsso_session = s\n[sso-session s]\n",
            "missing the following configuration: sso_start_url, sso_region",
        ),
    ];
    for (config, said) in cases {
        let error = token_config("t", &parse(config), "p").unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(error.message().contains(said), "{error}");
        assert!(error.message().contains("\"p\""), "{error}");
    }
}

#[test]
fn cache_keys_are_botocores() {
    // botocore's tests/functional/test_credentials.py: the legacy key hashes the start
    // URL, the sso-session key the session's name.
    assert_eq!(
        cache_key("https://test.url/start"),
        "f395038c92f1828cbb3991d2d6152d326b895606"
    );
    assert_eq!(cache_key("C"), "32096c2e0eff33d844ee6d675407ace18289357d");
}

// ---- legacy profiles ------------------------------------------------------------------

#[tokio::test]
async fn legacy_profile_calls_get_role_credentials_with_the_cached_token() {
    let dir = TempDir::new();
    let server = Server::start(|_| role_credentials_reply(1_893_456_000_123)).await;
    write_token(
        &dir,
        "https://test.url/start",
        json!({"accessToken": "legacy-token", "expiresAt": in_seconds(3600)}),
    );
    let provider = SsoProvider::new(context(&dir, LEGACY, "legacy", &server.endpoint));
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIAROLE");
    assert_eq!(creds.secret_access_key(), "role-secret");
    assert_eq!(creds.session_token(), Some("role-session"));
    // Epoch milliseconds.
    assert_eq!(
        creds.expires_at(),
        Some(DateTime::from_millis(1_893_456_000_123))
    );
    assert_eq!(creds.account_id(), Some("123456789012"));
    assert_eq!(creds.source(), "sso");

    let received = server.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.method, "GET");
    let (path, query) = request.target.split_once('?').unwrap();
    assert_eq!(path, "/federation/credentials");
    let mut query: Vec<_> = query.split('&').collect();
    query.sort();
    assert_eq!(query, ["account_id=123456789012", "role_name=SSORole"]);
    assert_eq!(
        request.header("x-amz-sso_bearer_token"),
        Some("legacy-token")
    );
    assert_eq!(request.header("authorization"), None, "{request:?}");
}

#[tokio::test]
async fn legacy_expired_or_missing_token_says_to_log_in_and_sends_nothing() {
    let dir = TempDir::new();
    let server = Server::start(|_| role_credentials_reply(0)).await;
    let provider = SsoProvider::new(context(&dir, LEGACY, "legacy", &server.endpoint));

    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
    assert!(error.message().contains("does not exist"), "{error}");
    assert!(error.message().contains("aws sso login"), "{error}");
    assert!(
        error
            .message()
            .contains("f395038c92f1828cbb3991d2d6152d326b895606.json"),
        "{error}"
    );

    let path = write_token(
        &dir,
        "https://test.url/start",
        json!({"accessToken": "stale-token", "expiresAt": in_seconds(-60)}),
    );
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
    assert!(error.message().contains("has expired"), "{error}");
    assert!(
        error.message().contains("aws sso login --profile legacy"),
        "{error}"
    );
    assert!(
        error.message().contains(&path.display().to_string()),
        "{error}"
    );
    assert!(!error.to_string().contains("stale-token"), "{error}");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_malformed_cache_file_is_an_error_without_its_contents() {
    let dir = TempDir::new();
    let provider = SsoProvider::new(context(&dir, LEGACY, "legacy", "http://127.0.0.1:9"));
    let cases = [
        (r#"{"accessToken": "secret-tok"#, "is not JSON"),
        (r#"["secret-tok"]"#, "is not a JSON object"),
        (r#"{"accessToken": "secret-tok"}"#, "has no expiresAt"),
        (
            r#"{"expiresAt": "2030-01-01T00:00:00Z"}"#,
            "has no accessToken",
        ),
        (
            r#"{"accessToken": "secret-tok", "expiresAt": "soon"}"#,
            "not an ISO 8601 timestamp",
        ),
    ];
    for (contents, said) in cases {
        dir.write(
            ".aws/sso/cache/f395038c92f1828cbb3991d2d6152d326b895606.json",
            contents,
        );
        let error = provider.provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        assert!(error.message().contains(said), "{error}");
        assert!(!error.to_string().contains("secret-tok"), "{error}");
    }
}

#[tokio::test]
async fn the_old_cli_utc_suffix_is_read() {
    let dir = TempDir::new();
    let server = Server::start(|_| role_credentials_reply(1_893_456_000_000)).await;
    let future = in_seconds(3600).replace('Z', "UTC");
    write_token(
        &dir,
        "https://test.url/start",
        json!({"accessToken": "tok", "expiresAt": future}),
    );
    let provider = SsoProvider::new(context(&dir, LEGACY, "legacy", &server.endpoint));
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "ASIAROLE"
    );
}

#[tokio::test]
async fn unauthorized_and_other_service_errors_name_the_call() {
    let dir = TempDir::new();
    write_token(
        &dir,
        "https://test.url/start",
        json!({"accessToken": "tok", "expiresAt": in_seconds(3600)}),
    );
    let server = Server::start(|_| error_reply(401, "UnauthorizedException")).await;
    let provider = SsoProvider::new(context(&dir, LEGACY, "legacy", &server.endpoint));
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
    assert!(error.message().contains(super::UNAUTHORIZED), "{error}");
    assert!(error.message().contains("aws sso login"), "{error}");

    let server = Server::start(|_| error_reply(404, "ResourceNotFoundException")).await;
    let provider = SsoProvider::new(context(&dir, LEGACY, "legacy", &server.endpoint));
    let error = provider.provide_credentials().await.unwrap_err();
    assert!(
        error
            .message()
            .contains("SSO GetRoleCredentials for role `SSORole` in account 123456789012"),
        "{error}"
    );
    assert!(
        error.message().contains("ResourceNotFoundException"),
        "{error}"
    );

    let server = Server::start(|_| json_reply(200, json!({"roleCredentials": {}}))).await;
    let provider = SsoProvider::new(context(&dir, LEGACY, "legacy", &server.endpoint));
    let error = provider.provide_credentials().await.unwrap_err();
    assert!(
        error
            .message()
            .contains("without roleCredentials.accessKeyId"),
        "{error}"
    );
}

#[tokio::test]
async fn a_profile_without_sso_keys_is_not_configured() {
    let dir = TempDir::new();
    let config = "[profile plain]\naws_access_key_id = AK\naws_secret_access_key = SK\n";
    let provider = SsoProvider::new(context(&dir, config, "plain", "http://127.0.0.1:9"));
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
    let tokens = SsoTokenProvider::new(context(&dir, config, "plain", "http://127.0.0.1:9"));
    let error = tokens.provide_token().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(error.provider(), "sso-token");
}

// ---- sso-session profiles and the token refresh ---------------------------------------

/// A cached sso-session token expiring in `seconds`, with a registration to refresh it.
fn session_token(seconds: i64) -> Value {
    json!({
        "startUrl": "https://test.url/start",
        "region": "eu-west-1",
        "accessToken": "cached-token",
        "expiresAt": in_seconds(seconds),
        "clientId": "client-id",
        "clientSecret": "client-secret",
        "registrationExpiresAt": in_seconds(90 * 86_400),
        "refreshToken": "refresh-1",
    })
}

/// Serves SSO-OIDC `CreateToken` (`oidc`) at `/token` and `GetRoleCredentials` elsewhere.
async fn sso_and_oidc(oidc: Reply) -> Server {
    Server::start(move |request| {
        if request.target == "/token" {
            oidc.clone()
        } else {
            role_credentials_reply(1_893_456_000_000)
        }
    })
    .await
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn a_fresh_session_token_is_used_as_cached() {
    let dir = TempDir::new();
    let server = sso_and_oidc(error_reply(500, "InternalServerException")).await;
    let path = write_token(&dir, "my-sso", session_token(3600));
    let before = std::fs::read(&path).unwrap();
    let provider = SsoProvider::new(context(&dir, SESSION, "dev", &server.endpoint));
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIAROLE");
    let received = server.received();
    assert_eq!(received.len(), 1, "no CreateToken: {received:?}");
    assert_eq!(
        received[0].header("x-amz-sso_bearer_token"),
        Some("cached-token")
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[tokio::test]
async fn a_token_near_expiry_is_refreshed_and_written_back() {
    let dir = TempDir::new();
    let server = sso_and_oidc(json_reply(
        200,
        json!({"accessToken": "new-token", "expiresIn": 28800, "refreshToken": "refresh-2",
               "tokenType": "Bearer"}),
    ))
    .await;
    // Inside botocore's 15-minute refresh window.
    let path = write_token(&dir, "my-sso", session_token(5 * 60));
    let provider = SsoProvider::new(context(&dir, SESSION, "dev", &server.endpoint));
    let started = DateTime::now().secs();
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIAROLE");

    let received = server.received();
    assert_eq!(received.len(), 2, "{received:?}");
    let create = &received[0];
    assert_eq!(create.method, "POST");
    assert_eq!(create.target, "/token");
    assert_eq!(create.header("authorization"), None);
    let body: Value = serde_json::from_str(&create.body).unwrap();
    assert_eq!(
        body,
        json!({"clientId": "client-id", "clientSecret": "client-secret",
               "grantType": "refresh_token", "refreshToken": "refresh-1"})
    );
    assert_eq!(
        received[1].header("x-amz-sso_bearer_token"),
        Some("new-token")
    );

    let cached = read_json(&path);
    assert_eq!(cached["accessToken"], "new-token");
    assert_eq!(cached["refreshToken"], "refresh-2");
    assert_eq!(cached["clientId"], "client-id");
    assert_eq!(cached["clientSecret"], "client-secret");
    assert_eq!(cached["startUrl"], "https://test.url/start");
    assert_eq!(cached["region"], "eu-west-1");
    assert_eq!(
        cached["registrationExpiresAt"],
        session_token(0)["registrationExpiresAt"]
    );
    let expires = cached["expiresAt"].as_str().unwrap();
    assert!(
        expires.ends_with('Z') && !expires.contains('.'),
        "{expires}"
    );
    let expires = DateTime::parse(expires, TimestampFormat::DateTime)
        .unwrap()
        .secs();
    assert!(
        (started + 28800..=started + 28805).contains(&expires),
        "{expires}"
    );
    // Owner-only, as botocore's mkstemp makes it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // No temporary file is left behind.
    let files = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
    assert_eq!(files, 1);
}

#[tokio::test]
async fn a_response_without_a_refresh_token_keeps_the_old_one() {
    let dir = TempDir::new();
    let server = sso_and_oidc(json_reply(
        200,
        json!({"accessToken": "new-token", "expiresIn": 3600}),
    ))
    .await;
    let path = write_token(&dir, "my-sso", session_token(60));
    let tokens = SsoTokenProvider::new(context(&dir, SESSION, "dev", &server.endpoint));
    let token = tokens.provide_token().await.unwrap();
    assert_eq!(token.token(), "new-token");
    assert_eq!(token.source(), "sso");
    assert_eq!(read_json(&path)["refreshToken"], "refresh-1");
}

#[tokio::test]
async fn a_failed_refresh_keeps_a_token_that_has_not_expired() {
    let dir = TempDir::new();
    let server = sso_and_oidc(error_reply(400, "InvalidGrantException")).await;
    let path = write_token(&dir, "my-sso", session_token(12 * 60));
    let before = std::fs::read(&path).unwrap();
    let tokens = SsoTokenProvider::new(context(&dir, SESSION, "dev", &server.endpoint));
    let token = tokens.provide_token().await.unwrap();
    assert_eq!(token.token(), "cached-token");
    assert_eq!(server.received().len(), 1, "one CreateToken attempt");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Within the minute after an attempt, no other is made.
    let again = tokens.provide_token().await.unwrap();
    assert_eq!(again.token(), "cached-token");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn an_expired_token_that_cannot_be_refreshed_says_why_and_to_log_in() {
    let dir = TempDir::new();
    let server = sso_and_oidc(error_reply(400, "InvalidGrantException")).await;
    write_token(&dir, "my-sso", session_token(-60));
    let provider = SsoProvider::new(context(&dir, SESSION, "dev", &server.endpoint));
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
    assert_eq!(error.provider(), "sso");
    let message = error.message();
    assert!(message.contains("could not be refreshed"), "{error}");
    assert!(message.contains("InvalidGrantException"), "{error}");
    assert!(message.contains("aws sso login --profile dev"), "{error}");
    assert!(!message.contains("cached-token") && !message.contains("refresh-1"));
    // CreateToken was tried; GetRoleCredentials was not.
    let targets: Vec<_> = server.received().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/token"]);

    // An expired registration: no CreateToken at all.
    let mut token = session_token(-60);
    token["registrationExpiresAt"] = in_seconds(-1).into();
    write_token(&dir, "my-sso", token);
    let server = sso_and_oidc(error_reply(500, "InternalServerException")).await;
    let provider = SsoProvider::new(context(&dir, SESSION, "dev", &server.endpoint));
    let error = provider.provide_credentials().await.unwrap_err();
    assert!(error.message().contains("registration expired"), "{error}");
    assert!(server.received().is_empty());

    // No refresh token in the cache: no CreateToken either.
    let mut token = session_token(-60);
    token.as_object_mut().unwrap().remove("refreshToken");
    write_token(&dir, "my-sso", token);
    let error = provider.provide_credentials().await.unwrap_err();
    assert!(error.message().contains("no refreshToken"), "{error}");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn the_token_provider_keeps_its_token_until_the_refresh_window() {
    let dir = TempDir::new();
    let server = sso_and_oidc(error_reply(500, "InternalServerException")).await;
    let path = write_token(&dir, "my-sso", session_token(3600));
    let tokens = SsoTokenProvider::new(context(&dir, SESSION, "dev", &server.endpoint));
    let first = tokens.provide_token().await.unwrap();
    std::fs::remove_file(&path).unwrap();
    let second = tokens.provide_token().await.unwrap();
    assert_eq!(first, second);
    assert!(!format!("{tokens:?} {first:?}").contains("cached-token"));
}

#[tokio::test]
async fn concurrent_callers_share_one_refresh() {
    let dir = TempDir::new();
    let server = sso_and_oidc(json_reply(
        200,
        json!({"accessToken": "new-token", "expiresIn": 28800}),
    ))
    .await;
    // Inside the mandatory window: every caller waits for the one refresh.
    write_token(&dir, "my-sso", session_token(5 * 60));
    let tokens = SsoTokenProvider::new(context(&dir, SESSION, "dev", &server.endpoint));
    let first = tokens.provide_token().await.unwrap();
    assert_eq!(first.token(), "new-token");
    // A second provider (a second process, say) finds the refreshed token in the cache.
    let other = SsoTokenProvider::new(context(&dir, SESSION, "dev", &server.endpoint));
    let calls: Vec<_> = (0..8).map(|_| other.provide_token()).collect();
    for token in futures_util::future::join_all(calls).await {
        assert_eq!(token.unwrap().token(), "new-token");
    }
    let creates = server
        .received()
        .iter()
        .filter(|r| r.target == "/token")
        .count();
    assert_eq!(creates, 1);

    // Eight callers of a fresh provider over a token that needs refreshing: one CreateToken.
    let dir = TempDir::new();
    let server = sso_and_oidc(json_reply(
        200,
        json!({"accessToken": "newer-token", "expiresIn": 28800}),
    ))
    .await;
    write_token(&dir, "my-sso", session_token(5 * 60));
    let tokens = SsoTokenProvider::new(context(&dir, SESSION, "dev", &server.endpoint));
    let calls: Vec<_> = (0..8).map(|_| tokens.provide_token()).collect();
    for token in futures_util::future::join_all(calls).await {
        assert_eq!(token.unwrap().token(), "newer-token");
    }
    assert_eq!(server.received().len(), 1);
}
