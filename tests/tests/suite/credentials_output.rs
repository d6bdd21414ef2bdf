//! No secret reaches output: every provider of the default chain resolves credentials and
//! signs a call (and fails once, on an answer that carries the secret), while a tracing
//! subscriber records every event at every level; then everything the run could show — the
//! `Debug` of the configuration, the credentials and the output, the `Display` and `Debug`
//! of the errors, and the trace — is searched for each secret key, session token and
//! bearer or session token the providers handled.
//!
//! The providers' own calls (STS, SSO, the container endpoint, IMDS) go through the stub
//! transport, which answers in order whatever the URL.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use stratus_runtime::Config;
use stratus_runtime::profile::Env;
use stratus_runtime::transport::StubClient;

/// Everything the tracing subscriber saw, as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

impl Capture {
    fn text(&self) -> String {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut text = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let _ = write!(text, "\nspan {}", span.metadata().name());
        span.record(&mut Fields(&mut text));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Fields(
            &mut self.0.lock().unwrap_or_else(|p| p.into_inner()),
        ));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let _ = write!(
            text,
            "\n{} {}",
            event.metadata().level(),
            event.metadata().target()
        );
        event.record(&mut Fields(&mut text));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// One provider's set-up: variables, files under a fresh home, the answers its calls get,
/// the access key it should find, and the secrets it handles.
struct Scenario {
    name: &'static str,
    vars: Vec<(&'static str, String)>,
    files: Vec<(&'static str, String)>,
    replies: Vec<(u16, String)>,
    /// Answers that break the provider, each carrying a secret in its body.
    broken: Vec<(u16, String)>,
    access_key_id: &'static str,
    secrets: Vec<String>,
}

fn home(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "stratus-credentials-output-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".aws/sso/cache")).expect("a temporary home");
    dir
}

const FAR: &str = "2030-01-01T00:00:00Z";

fn secret(provider: &str) -> String {
    format!("SeCrEt-{provider}-wJalrXUtnFEMI")
}

fn token(provider: &str) -> String {
    format!("ToKeN-{provider}-IQoJb3JpZ2luX2Vj")
}

fn sts_credentials(action: &str, key: &str, provider: &str) -> String {
    format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>\
         <Credentials><AccessKeyId>{key}</AccessKeyId><SecretAccessKey>{}</SecretAccessKey>\
         <SessionToken>{}</SessionToken><Expiration>{FAR}</Expiration></Credentials>\
         <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/leak/s</Arn>\
         <AssumedRoleId>AROALEAK:s</AssumedRoleId></AssumedRoleUser>\
         </{action}Result></{action}Response>",
        secret(provider),
        token(provider)
    )
}

fn json_credentials(key: &str, provider: &str) -> String {
    format!(
        r#"{{"Code":"Success","AccessKeyId":"{key}","SecretAccessKey":"{}","Token":"{}","Expiration":"{FAR}"}}"#,
        secret(provider),
        token(provider)
    )
}

/// A JSON answer cut off after its secret.
fn truncated(provider: &str) -> String {
    format!(
        r#"{{"AccessKeyId":"AKIDCUT","SecretAccessKey":"{}","Token":"{}"#,
        secret(provider),
        token(provider)
    )
}

fn scenarios() -> Vec<Scenario> {
    let web_token = "eyJhbGciOiJSUzI1NiJ9.LeakTestWebIdentityJwt.c2lnbmF0dXJl".to_string();
    let sso_token = "aoaAAAAAGLeakTestSsoAccessToken".to_string();
    let imds_token = "AQAEALeakTestImdsSessionToken==".to_string();
    let container_token = "LeakTestContainerAuthorizationToken".to_string();
    vec![
        Scenario {
            name: "environment",
            vars: vec![
                ("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT".into()),
                ("AWS_SECRET_ACCESS_KEY", secret("environment")),
                ("AWS_SESSION_TOKEN", token("environment")),
            ],
            files: vec![],
            replies: vec![],
            broken: vec![],
            access_key_id: "AKIDENVIRONMENT",
            secrets: vec![secret("environment"), token("environment")],
        },
        Scenario {
            name: "shared-credentials-file",
            vars: vec![],
            files: vec![(
                ".aws/credentials",
                format!(
                    "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {}\n\
                     aws_session_token = {}\n",
                    secret("file"),
                    token("file")
                ),
            )],
            replies: vec![],
            broken: vec![],
            access_key_id: "AKIDFILE",
            secrets: vec![secret("file"), token("file")],
        },
        Scenario {
            name: "assume-role",
            vars: vec![("AWS_PROFILE", "target".into())],
            files: vec![
                (
                    ".aws/config",
                    "[profile target]\nrole_arn = arn:aws:iam::123456789012:role/leak\n\
                     source_profile = base\nrole_session_name = s\n"
                        .into(),
                ),
                (
                    ".aws/credentials",
                    format!(
                        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = {}\n",
                        secret("base")
                    ),
                ),
            ],
            replies: vec![(200, sts_credentials("AssumeRole", "ASIAROLE", "role"))],
            broken: vec![(
                200,
                sts_credentials("AssumeRole", "ASIAROLE", "role")
                    .replace("</AssumeRoleResponse>", ""),
            )],
            access_key_id: "ASIAROLE",
            secrets: vec![secret("base"), secret("role"), token("role")],
        },
        Scenario {
            name: "web-identity",
            vars: vec![
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "{home}/token.jwt".into()),
                ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/leak".into()),
                ("AWS_ROLE_SESSION_NAME", "s".into()),
            ],
            files: vec![("token.jwt", web_token.clone())],
            replies: vec![(
                200,
                sts_credentials("AssumeRoleWithWebIdentity", "ASIAWEB", "web"),
            )],
            broken: vec![(
                400,
                "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>\
                 <Message>The token is not valid</Message></Error></ErrorResponse>"
                    .into(),
            )],
            access_key_id: "ASIAWEB",
            secrets: vec![web_token, secret("web"), token("web")],
        },
        Scenario {
            name: "sso",
            vars: vec![("AWS_PROFILE", "dev".into())],
            files: vec![
                (
                    ".aws/config",
                    "[profile dev]\nsso_session = leak-test\nsso_account_id = 123456789012\n\
                     sso_role_name = Leak\n\n[sso-session leak-test]\n\
                     sso_start_url = https://leak.awsapps.com/start\nsso_region = us-east-1\n"
                        .into(),
                ),
                (
                    // sha1("leak-test")
                    ".aws/sso/cache/67f10be4fd7836042464467de37c453c72ba758b.json",
                    format!(
                        r#"{{"startUrl":"https://leak.awsapps.com/start","region":"us-east-1","accessToken":"{sso_token}","expiresAt":"{FAR}"}}"#
                    ),
                ),
            ],
            replies: vec![(
                200,
                format!(
                    r#"{{"roleCredentials":{{"accessKeyId":"ASIASSO","secretAccessKey":"{}","sessionToken":"{}","expiration":1893456000000}}}}"#,
                    secret("sso"),
                    token("sso")
                ),
            )],
            broken: vec![(200, truncated("sso"))],
            access_key_id: "ASIASSO",
            secrets: vec![sso_token, secret("sso"), token("sso")],
        },
        Scenario {
            name: "process",
            vars: vec![],
            files: vec![
                (
                    ".aws/config",
                    "[default]\ncredential_process = /bin/sh {home}/creds.sh\n".into(),
                ),
                (
                    "creds.sh",
                    format!(
                        "printf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \
                         \"SecretAccessKey\": \"{}\", \"SessionToken\": \"{}\", \
                         \"Expiration\": \"{FAR}\"}}'\n",
                        secret("process"),
                        token("process")
                    ),
                ),
            ],
            replies: vec![],
            broken: vec![],
            access_key_id: "AKIDPROCESS",
            secrets: vec![secret("process"), token("process")],
        },
        Scenario {
            name: "container",
            vars: vec![
                (
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                    "http://127.0.0.1:9/v1/credentials".into(),
                ),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", container_token.clone()),
            ],
            files: vec![],
            replies: vec![(200, json_credentials("ASIACONTAINER", "container"))],
            broken: vec![(200, truncated("container")); 3],
            access_key_id: "ASIACONTAINER",
            secrets: vec![container_token, secret("container"), token("container")],
        },
        Scenario {
            name: "imds",
            vars: vec![(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                "http://127.0.0.1:9".into(),
            )],
            files: vec![],
            replies: vec![
                (200, imds_token.clone()),
                (200, "leak-role".into()),
                (200, json_credentials("ASIAIMDS", "imds")),
            ],
            broken: vec![
                (200, imds_token.clone()),
                (200, "leak-role".into()),
                (200, truncated("imds")),
            ],
            access_key_id: "ASIAIMDS",
            secrets: vec![imds_token, secret("imds"), token("imds")],
        },
    ]
}

const CALLER_IDENTITY: &str = "<GetCallerIdentityResponse \
    xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>\
    <Arn>arn:aws:sts::123456789012:assumed-role/leak/s</Arn><UserId>AROALEAK:s</UserId>\
    <Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>";

fn configure(
    scenario: &Scenario,
    home: &Path,
    replies: &[(u16, String)],
    stub: &StubClient,
) -> Config {
    let home_text = home.display().to_string();
    for (path, contents) in &scenario.files {
        let path = home.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
        std::fs::write(&path, contents.replace("{home}", &home_text)).expect("a file");
    }
    let mut vars: Vec<(String, String)> = scenario
        .vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.replace("{home}", &home_text)))
        .collect();
    vars.push(("AWS_REGION".into(), "us-east-1".into()));
    for (status, body) in replies {
        stub.push_response(*status, body.clone());
    }
    Config::builder()
        .http_client(stub.clone())
        .max_attempts(1)
        .load(Env::from_vars(vars).with_home(home))
        .expect("config")
}

/// The text around the first `needle` in `haystack`, if it is there.
fn around(haystack: &str, needle: &str) -> Option<String> {
    let at = haystack.find(needle)?;
    let mut start = at.saturating_sub(300);
    while !haystack.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + needle.len() + 100).min(haystack.len());
    while !haystack.is_char_boundary(end) {
        end += 1;
    }
    Some(haystack[start..end].to_owned())
}

#[tokio::test]
async fn no_provider_shows_a_secret_in_debug_display_or_traces() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let mut shown = String::new();
    let mut secrets = Vec::new();
    for scenario in scenarios() {
        let home = home(scenario.name);
        // A good answer: the provider finds the credentials, a call is signed with them.
        let stub = StubClient::new();
        let config = configure(&scenario, &home, &scenario.replies, &stub);
        stub.push_response(200, CALLER_IDENTITY);
        let sts = sts_client::Client::new(&config);
        let output = sts
            .get_caller_identity(Default::default())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", scenario.name));
        let requests = stub.requests();
        let signed = requests.last().expect("the call");
        let authorization = signed
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            authorization.contains(&format!("Credential={}/", scenario.access_key_id)),
            "{}: signed with {authorization}",
            scenario.name
        );
        let credentials = config
            .credentials_provider()
            .expect("a provider")
            .provide_credentials()
            .await
            .expect("cached credentials");
        writeln!(shown, "{config:?}\n{credentials:?}\n{output:?}\n{sts:?}").unwrap();

        // A broken answer that carries a secret: the error names the provider, not the body.
        if !scenario.broken.is_empty() {
            let stub = StubClient::new();
            let config = configure(&scenario, &home, &scenario.broken, &stub);
            let error = sts_client::Client::new(&config)
                .get_caller_identity(Default::default())
                .await
                .expect_err("a broken provider answer");
            writeln!(shown, "{error}\n{error:?}").unwrap();
            let error = config
                .credentials_provider()
                .expect("a provider")
                .provide_credentials()
                .await
                .expect_err("still broken");
            writeln!(shown, "{error}\n{error:?}").unwrap();
        }
        secrets.extend(scenario.secrets);
        let _ = std::fs::remove_dir_all(&home);
    }
    let traced = capture.text();
    assert!(
        traced.contains("found credentials"),
        "the trace recorded nothing: {traced}"
    );
    for secret in &secrets {
        assert_eq!(around(&shown, secret), None, "`{secret}` shown");
        assert_eq!(around(&traced, secret), None, "`{secret}` traced");
    }
}
