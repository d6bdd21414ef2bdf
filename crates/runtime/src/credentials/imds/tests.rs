//! The IMDS provider and region lookup against loopback servers.

use super::client::ImdsSettings;
use super::test_server::{Reply, Seen, TestServer, refused_port};
use super::*;
use crate::Config;
use crate::credentials::{CredentialsErrorKind, default_chain};
use crate::datetime::TimestampFormat;
use crate::profile::{Env, ProfileSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
const CREDS: &str = r#"{
  "Code" : "Success",
  "LastUpdated" : "2026-12-05T12:00:00Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "ASIAIMDSEXAMPLE",
  "SecretAccessKey" : "imds-secret-value",
  "Token" : "imds-session-token",
  "Expiration" : "2099-01-01T00:00:00Z"
}"#;

fn context(vars: &[(&str, &str)]) -> ProviderContext {
    let env = Env::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    ProviderContext::new(&Config::from_shared(env).expect("config"))
}

fn provider(server_url: &str, extra: &[(&str, &str)]) -> ImdsProvider {
    let mut vars = vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", server_url)];
    vars.extend_from_slice(extra);
    ImdsProvider::new(context(&vars))
}

/// An IMDSv2 service: tokens `tok-1`, `tok-2`... (each accepted once issued), the role
/// `my-role`, its credentials and the region.
fn imds(issued: Arc<AtomicUsize>) -> impl Fn(&Seen) -> Reply + Send + Sync + 'static {
    move |seen| {
        if seen.method == "PUT" && seen.path == "/latest/api/token" {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::ok(format!("tok-{n}")).header(TTL_HEADER, "21600");
        }
        let valid = seen
            .header(TOKEN_HEADER)
            .and_then(|t| t.strip_prefix("tok-")?.parse::<usize>().ok())
            .is_some_and(|n| n >= 1 && n <= issued.load(Ordering::SeqCst));
        if !valid {
            return Reply::new(401, "");
        }
        answer(seen)
    }
}

/// The GETs of the service, whatever the token.
fn answer(seen: &Seen) -> Reply {
    match seen.path.as_str() {
        "/latest/meta-data/iam/security-credentials/" => Reply::ok("my-role"),
        "/latest/meta-data/iam/security-credentials/my-role" => Reply::ok(CREDS),
        "/latest/meta-data/placement/region" => Reply::ok("eu-west-3\n"),
        _ => Reply::new(404, "Not Found"),
    }
}

fn requests(server: &TestServer) -> Vec<(String, String, Option<String>)> {
    server
        .seen()
        .into_iter()
        .map(|s| {
            let token = s.header(TOKEN_HEADER).map(str::to_owned);
            (s.method, s.path, token)
        })
        .collect()
}

fn get(path: &str, token: Option<&str>) -> (String, String, Option<String>) {
    ("GET".into(), path.into(), token.map(str::to_owned))
}

fn put() -> (String, String, Option<String>) {
    ("PUT".into(), "/latest/api/token".into(), None)
}

const ROLES: &str = "/latest/meta-data/iam/security-credentials/";
const ROLE: &str = "/latest/meta-data/iam/security-credentials/my-role";

#[tokio::test]
async fn the_v2_flow_puts_for_a_token_and_sends_it_on_every_get() {
    let server = TestServer::start(imds(Arc::default())).await;
    let provider = provider(&server.url(), &[]);
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIAIMDSEXAMPLE");
    assert_eq!(creds.secret_access_key(), "imds-secret-value");
    assert_eq!(creds.session_token(), Some("imds-session-token"));
    assert_eq!(creds.source(), "imds");
    assert_eq!(
        creds.expires_at(),
        Some(DateTime::parse("2099-01-01T00:00:00Z", TimestampFormat::DateTime).unwrap())
    );
    let seen = server.seen();
    assert_eq!(seen[0].header(TTL_HEADER), Some("21600"));
    // The token is kept: a second lookup makes no PUT.
    provider.provide_credentials().await.unwrap();
    assert_eq!(
        requests(&server),
        [
            put(),
            get(ROLES, Some("tok-1")),
            get(ROLE, Some("tok-1")),
            get(ROLES, Some("tok-1")),
            get(ROLE, Some("tok-1")),
        ]
    );
}

#[tokio::test]
async fn an_expired_token_is_fetched_again() {
    // The service grants 1 second: the token is used for half of it.
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    let server = TestServer::start(move |seen| {
        if seen.method == "PUT" {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::ok(format!("tok-{n}")).header(TTL_HEADER, "1");
        }
        answer(seen)
    })
    .await;
    let provider = provider(&server.url(), &[]);
    provider.provide_credentials().await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    provider.provide_credentials().await.unwrap();
    assert_eq!(
        requests(&server),
        [
            put(),
            get(ROLES, Some("tok-1")),
            get(ROLE, Some("tok-1")),
            put(),
            get(ROLES, Some("tok-2")),
            get(ROLE, Some("tok-2")),
        ]
    );
}

#[tokio::test]
async fn a_401_gets_a_new_token_once() {
    // `tok-1` is revoked as soon as it is issued.
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    let server = TestServer::start(move |seen| {
        if seen.method == "PUT" {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::ok(format!("tok-{n}"));
        }
        match seen.header(TOKEN_HEADER) {
            Some("tok-1") | None => Reply::new(401, ""),
            Some(_) => answer(seen),
        }
    })
    .await;
    let creds = provider(&server.url(), &[])
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIAIMDSEXAMPLE");
    assert_eq!(
        requests(&server),
        [
            put(),
            get(ROLES, Some("tok-1")),
            put(),
            get(ROLES, Some("tok-2")),
            get(ROLE, Some("tok-2")),
        ]
    );

    // A service that answers 401 to every token: one new token, then the error.
    let server = TestServer::start(|seen| {
        if seen.method == "PUT" {
            Reply::ok("tok")
        } else {
            Reply::new(401, "")
        }
    })
    .await;
    let error = provider(&server.url(), &[])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
    assert!(error.message().contains("status 401"), "{error}");
    assert_eq!(server.seen().len(), 4, "{:?}", requests(&server));
}

#[tokio::test]
async fn a_403_on_the_token_falls_back_to_imdsv1() {
    for status in [403, 404, 405] {
        let server = TestServer::start(move |seen| {
            if seen.method == "PUT" {
                Reply::new(status, "")
            } else {
                answer(seen)
            }
        })
        .await;
        let creds = provider(&server.url(), &[])
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "ASIAIMDSEXAMPLE");
        assert_eq!(
            requests(&server),
            [put(), get(ROLES, None), get(ROLE, None)],
            "status {status}"
        );
    }
}

#[tokio::test]
async fn with_imdsv1_disabled_a_403_on_the_token_is_an_error() {
    let server = TestServer::start(|seen| {
        if seen.method == "PUT" {
            Reply::new(403, "")
        } else {
            answer(seen)
        }
    })
    .await;
    let error = provider(&server.url(), &[("AWS_EC2_METADATA_V1_DISABLED", "true")])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
    assert!(error.message().contains("IMDSv1 is disabled"), "{error}");
    assert!(error.message().contains("status 403"), "{error}");
    assert!(error.message().contains(&server.url()), "{error}");
    assert_eq!(requests(&server), [put()], "no GET without a token");
}

#[tokio::test]
async fn a_400_on_the_token_ends_the_lookup() {
    let server = TestServer::start(|seen| {
        if seen.method == "PUT" {
            Reply::new(400, "")
        } else {
            answer(seen)
        }
    })
    .await;
    let error = provider(&server.url(), &[])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
    assert!(error.message().contains("(400)"), "{error}");
    assert_eq!(requests(&server), [put()]);
}

#[tokio::test]
async fn no_role_is_not_configured() {
    let server = TestServer::start(|seen| {
        if seen.method == "PUT" {
            Reply::ok("tok")
        } else {
            Reply::new(404, "Not Found")
        }
    })
    .await;
    let error = provider(&server.url(), &[])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
    assert!(error.message().contains("no IAM role"), "{error}");
    assert!(error.message().contains("404"), "{error}");

    let server = TestServer::start(|seen| match seen.path.as_str() {
        "/latest/api/token" => Reply::ok("tok"),
        ROLES => Reply::ok(""),
        _ => answer(seen),
    })
    .await;
    let error = provider(&server.url(), &[])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured, "{error}");
    assert!(error.message().contains("no IAM role"), "{error}");
    assert_eq!(requests(&server), [put(), get(ROLES, Some("tok"))]);
}

#[tokio::test]
async fn a_404_or_500_on_the_role_credentials_is_a_failure() {
    for status in [404, 500] {
        let server = TestServer::start(move |seen| match seen.path.as_str() {
            "/latest/api/token" => Reply::ok("tok"),
            ROLES => Reply::ok("my-role"),
            _ => Reply::new(status, "<html>oops</html>"),
        })
        .await;
        let error = provider(&server.url(), &[])
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
        let message = error.message();
        assert!(message.contains("IAM role `my-role`"), "{error}");
        assert!(message.contains(&format!("status {status}")), "{error}");
        assert!(message.contains("oops"), "{error}");
    }
}

#[tokio::test]
async fn a_code_other_than_success_is_a_failure_naming_it() {
    let server = TestServer::start(|seen| match seen.path.as_str() {
        "/latest/api/token" => Reply::ok("tok"),
        ROLES => Reply::ok("my-role"),
        _ => Reply::ok(
            r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"EC2 cannot assume the role","LastUpdated":"2026-12-05T12:00:00Z"}"#,
        ),
    })
    .await;
    let error = provider(&server.url(), &[])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed);
    assert!(
        error.message().contains("AssumeRoleUnauthorizedAccess"),
        "{error}"
    );
    assert!(
        error.message().contains("EC2 cannot assume the role"),
        "{error}"
    );
}

#[tokio::test]
async fn malformed_json_is_a_failure_that_does_not_print_the_body() {
    for body in [
        r#"{"AccessKeyId":"ASIA","SecretAccessKey":"leaked-secret""#,
        r#"["not", "an", "object"]"#,
        r#"{"AccessKeyId":"ASIA","SecretAccessKey":"leaked-secret","Expiration":"2099-01-01T00:00:00Z"}"#,
        r#"{"AccessKeyId":"ASIA","SecretAccessKey":"leaked-secret","Token":"t","Expiration":"soon"}"#,
    ] {
        let server = TestServer::start(move |seen| match seen.path.as_str() {
            "/latest/api/token" => Reply::ok("tok"),
            ROLES => Reply::ok("my-role"),
            _ => Reply::ok(body),
        })
        .await;
        let error = provider(&server.url(), &[])
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderFailed, "{body}");
        assert!(!error.to_string().contains("leaked-secret"), "{error}");
        assert!(error.message().contains("IAM role `my-role`"), "{error}");
    }
}

#[tokio::test]
async fn a_slow_service_is_not_configured_within_the_timeout() {
    let server = TestServer::start(|seen| answer(seen).after(Duration::from_secs(5))).await;
    let started = Instant::now();
    let error = provider(&server.url(), &[("AWS_METADATA_SERVICE_TIMEOUT", "0.3")])
        .provide_credentials()
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured, "{error}");
    assert!(error.message().contains("no answer within"), "{error}");
    // The token PUT times out, then (botocore's fallback) the IMDSv1 GET.
    assert!(took < Duration::from_millis(1500), "took {took:?}");
    assert!(took >= Duration::from_millis(600), "took {took:?}");
    assert_eq!(
        requests(&server),
        [put(), get(ROLES, None)],
        "a read timeout on the token goes to IMDSv1"
    );
}

#[tokio::test]
async fn a_refused_connection_is_not_configured() {
    let url = format!("http://127.0.0.1:{}", refused_port().await);
    let error = provider(&url, &[]).provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured, "{error}");
    assert!(error.message().contains(&url), "{error}");
    // Also with IMDSv1 disabled: nothing is there.
    let error = provider(&url, &[("AWS_EC2_METADATA_V1_DISABLED", "true")])
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured, "{error}");
}

#[tokio::test]
async fn the_chain_error_lists_an_unreachable_imds() {
    let url = format!("http://127.0.0.1:{}", refused_port().await);
    let chain = default_chain(&context(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)]));
    let error = chain.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Chain);
    let last = error.attempts().last().unwrap();
    assert_eq!(last.provider(), "imds");
    assert!(
        error
            .to_string()
            .contains("- imds: no instance metadata service at"),
        "{error}"
    );
}

#[tokio::test]
async fn disabled_by_the_environment_makes_no_request() {
    let server = TestServer::start(imds(Arc::default())).await;
    let provider = provider(&server.url(), &[("AWS_EC2_METADATA_DISABLED", "TRUE")]);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
    assert!(
        error.message().contains("AWS_EC2_METADATA_DISABLED"),
        "{error}"
    );
    let ctx = context(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    assert_eq!(region(&ctx).await.unwrap(), None);
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn attempts_retry_an_error_status() {
    let failures = Arc::new(Mutex::new(1));
    let server = TestServer::start(move |seen| {
        if seen.method == "GET" && seen.path == ROLES {
            let mut left = failures.lock().unwrap();
            if *left > 0 {
                *left -= 1;
                return Reply::new(500, "busy");
            }
        }
        if seen.method == "PUT" {
            Reply::ok("tok")
        } else {
            answer(seen)
        }
    })
    .await;
    let creds = provider(&server.url(), &[("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2")])
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIAIMDSEXAMPLE");
    assert_eq!(
        requests(&server),
        [
            put(),
            get(ROLES, Some("tok")),
            get(ROLES, Some("tok")),
            get(ROLE, Some("tok")),
        ]
    );
}

#[tokio::test]
async fn the_region_comes_from_placement() {
    let server = TestServer::start(imds(Arc::default())).await;
    let ctx = context(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url())]);
    assert_eq!(region(&ctx).await.unwrap().as_deref(), Some("eu-west-3"));
    assert_eq!(
        requests(&server),
        [
            put(),
            get("/latest/meta-data/placement/region", Some("tok-1"))
        ]
    );

    let url = format!("http://127.0.0.1:{}", refused_port().await);
    let ctx = context(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)]);
    assert_eq!(region(&ctx).await.unwrap(), None);

    let server = TestServer::start(|seen| match seen.method.as_str() {
        "PUT" => Reply::ok("tok"),
        _ => Reply::ok("<html>captive portal</html>"),
    })
    .await;
    let ctx = context(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url())]);
    let error = region(&ctx).await.unwrap_err();
    assert!(error.message().contains("not a region"), "{error}");
}

fn settings(vars: &[(&str, &str)]) -> Result<Option<ImdsSettings>, CredentialsError> {
    let env = Env::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    ImdsSettings::resolve(&env, &ProfileSet::default())
}

#[test]
fn settings_follow_botocore_names_and_defaults() {
    let default = settings(&[]).unwrap().unwrap();
    assert_eq!(default.endpoint, "http://169.254.169.254");
    assert_eq!(default.timeout, Duration::from_secs(1));
    assert_eq!(default.attempts, 1);
    assert!(!default.v1_disabled);
    assert_eq!(default.token_ttl, Duration::from_secs(21_600));

    let ipv6 = settings(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")]).unwrap();
    assert_eq!(ipv6.unwrap().endpoint, "http://[fd00:ec2::254]");
    let legacy = settings(&[("AWS_IMDS_USE_IPV6", "true")]).unwrap();
    assert_eq!(legacy.unwrap().endpoint, "http://[fd00:ec2::254]");
    let both = settings(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv6"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://10.0.0.1:1338/"),
    ])
    .unwrap();
    assert_eq!(
        both.unwrap().endpoint,
        "http://10.0.0.1:1338",
        "the endpoint wins"
    );

    let tuned = settings(&[
        ("AWS_METADATA_SERVICE_TIMEOUT", "3"),
        ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "4"),
        ("AWS_EC2_METADATA_V1_DISABLED", "true"),
    ])
    .unwrap()
    .unwrap();
    assert_eq!(
        (tuned.timeout, tuned.attempts, tuned.v1_disabled),
        (Duration::from_secs(3), 4, true)
    );
    assert_eq!(
        settings(&[("AWS_EC2_METADATA_DISABLED", "true")]).unwrap(),
        None
    );
    // botocore: anything but `true` leaves it on.
    assert!(
        settings(&[("AWS_EC2_METADATA_DISABLED", "yes")])
            .unwrap()
            .is_some()
    );

    for (var, value, says) in [
        (
            "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
            "ipv5",
            "`ipv4` or `ipv6`",
        ),
        (
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "not a url",
            "is not a URL",
        ),
        ("AWS_METADATA_SERVICE_TIMEOUT", "-1", "positive number"),
        ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0", "positive integer"),
        ("AWS_EC2_METADATA_V1_DISABLED", "maybe", "`true` or `false`"),
    ] {
        let error = settings(&[(var, value)]).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(error.message().contains(var), "{error}");
        assert!(error.message().contains(says), "{error}");
    }
}

#[test]
fn settings_are_read_from_the_profile() {
    let env = Env::from_vars([("AWS_PROFILE", "ec2")]);
    let config = "[profile ec2]\n\
         ec2_metadata_service_endpoint = http://127.0.0.1:1338\n\
         ec2_metadata_v1_disabled = true\n\
         metadata_service_timeout = 2\n\
         metadata_service_num_attempts = 3\n";
    let path = std::path::Path::new("config");
    let profiles = ProfileSet::parse(Some((path, config.as_bytes())), None).unwrap();
    let found = ImdsSettings::resolve(&env, &profiles).unwrap().unwrap();
    assert_eq!(found.endpoint, "http://127.0.0.1:1338");
    assert!(found.v1_disabled);
    assert_eq!((found.timeout, found.attempts), (Duration::from_secs(2), 3));
}

#[test]
fn credentials_close_to_expiry_are_extended_as_botocore_does() {
    let now = DateTime::from_secs(1_000_000);
    let jitter = Duration::from_secs(300);
    let offset = 15 * 60 + 300;
    // Already expired: now plus the window and the jitter.
    let expired = DateTime::from_secs(now.secs() - 60);
    assert_eq!(
        extend_expiring(expired, now, jitter),
        DateTime::from_secs(now.secs() + offset)
    );
    // Expiring inside the window: the same.
    let soon = DateTime::from_secs(now.secs() + 600);
    assert_eq!(
        extend_expiring(soon, now, jitter),
        DateTime::from_secs(now.secs() + offset)
    );
    // Far enough: unchanged.
    let later = DateTime::from_secs(now.secs() + offset + 1);
    assert_eq!(extend_expiring(later, now, jitter), later);

    let body = CREDS.replace("2099-01-01T00:00:00Z", "2001-01-01T00:00:00Z");
    let real_now = DateTime::now();
    let creds = parse_credentials(&body, "test", real_now, jitter).unwrap();
    assert!(!creds.is_expired_at(real_now));
    assert_eq!(creds.expires_at().unwrap().secs(), real_now.secs() + offset);
}

#[tokio::test]
async fn the_region_chain_ends_with_imds() {
    let server = TestServer::start(imds(Arc::default())).await;
    let url = server.url();
    let endpoint = ("AWS_EC2_METADATA_SERVICE_ENDPOINT", url.as_str());
    let config = Config::from_shared(Env::from_vars([endpoint]))
        .unwrap()
        .or_imds_region()
        .await;
    assert_eq!(config.region(), Some("eu-west-3"));
    assert!(config.credentials_provider().is_some());
    assert_eq!(server.seen().len(), 2);

    // A region from the environment: IMDS is not asked.
    let config = Config::from_shared(Env::from_vars([endpoint, ("AWS_REGION", "us-west-2")]))
        .unwrap()
        .or_imds_region()
        .await;
    assert_eq!(config.region(), Some("us-west-2"));
    assert_eq!(server.seen().len(), 2);

    // Nothing answers: no region, no error.
    let refused = format!("http://127.0.0.1:{}", refused_port().await);
    let config = Config::from_shared(Env::from_vars([(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        refused.as_str(),
    )]))
    .unwrap()
    .or_imds_region()
    .await;
    assert_eq!(config.region(), None);
}
