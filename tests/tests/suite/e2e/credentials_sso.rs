//! The SSO and `credential_process` providers end to end: profile and token cache files in a
//! home directory of the test's own, the default credential chain, and the credentials it
//! finds signing a call to moto with signature checking on.
//!
//! moto (5.2.5) serves no IAM Identity Center portal (`GetRoleCredentials`), so a canned
//! loopback server plays SSO, handing out temporary credentials of a role moto issued
//! (moto checks session tokens as well as signatures); moto then checks the signature those
//! credentials make. A wrong secret from SSO fails that check, so the test would notice
//! credentials that were not really used.

use serde_json::json;
use std::path::{Path, PathBuf};
use stratus_runtime::Config;
use stratus_runtime::DateTime;
use stratus_runtime::credentials::{ProvideCredentials, ProviderContext, default_chain};
use stratus_runtime::datetime::TimestampFormat;
use stratus_runtime::profile::Env;
use stratus_tests::canned::{CannedServer, Reply};
use stratus_tests::e2e::Session;

/// A home directory of the test's own, removed on drop.
struct Home(PathBuf);

impl Home {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!(
            "stratus-e2e-sso-{}-{}",
            std::process::id(),
            DateTime::now().as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Home(dir)
    }

    fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The hex SHA-1 of `text`: the token cache file's name.
fn sha1_hex(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, text.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// An SSO `GetRoleCredentials` answer carrying `access_key`, `secret` and `token`.
fn role_credentials(access_key: &str, secret: &str, token: &str) -> Reply {
    let expiration = (DateTime::now().secs() + 3600) * 1000;
    Reply::Respond(
        200,
        vec![("Content-Type".into(), "application/json".into())],
        json!({"roleCredentials": {
            "accessKeyId": access_key,
            "secretAccessKey": secret,
            "sessionToken": token,
            "expiration": expiration,
        }})
        .to_string(),
    )
}

/// The default chain of profile `dev` under `home`, with SSO at `sso_endpoint`.
async fn resolve(
    home: &Home,
    sso_endpoint: &str,
) -> Result<stratus_runtime::Credentials, stratus_runtime::credentials::CredentialsError> {
    let env = Env::from_vars([
        ("AWS_PROFILE", "dev"),
        ("AWS_ENDPOINT_URL_SSO", sso_endpoint),
        ("AWS_MAX_ATTEMPTS", "1"),
    ])
    .with_home(home.path());
    let config = Config::from_shared(env).unwrap();
    default_chain(&ProviderContext::new(&config))
        .provide_credentials()
        .await
}

async fn caller_arn(session: &Session, credentials: stratus_runtime::Credentials) -> String {
    let sts = sts_client::Client::new(&session.config_with(credentials));
    let identity = sts
        .get_caller_identity(sts_client::GetCallerIdentityInput::default())
        .await
        .expect("GetCallerIdentity with the resolved credentials");
    identity.arn.unwrap_or_default()
}

/// Temporary credentials of the role `stratus-sso-e2e`, from moto's STS.
async fn moto_role_credentials(session: &Session) -> sts_client::Credentials {
    let config = session.config();
    let iam = iam_client::Client::new(&config);
    let created = iam
        .create_role(iam_client::CreateRoleInput {
            role_name: "stratus-sso-e2e".into(),
            assume_role_policy_document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#.into(),
            ..Default::default()
        })
        .await
        .expect("CreateRole");
    let sts = sts_client::Client::new(&config);
    sts.assume_role(sts_client::AssumeRoleInput {
        role_arn: created.role.arn,
        role_session_name: "sso".into(),
        ..Default::default()
    })
    .await
    .expect("AssumeRole")
    .credentials
    .expect("AssumeRole credentials")
}

#[tokio::test]
async fn sso_session_credentials_sign_a_checked_call() {
    let session = Session::get().await;
    let home = Home::new();
    home.write(
        ".aws/config",
        "[profile dev]\n\
         sso_session = corp\n\
         sso_account_id = 123456789012\n\
         sso_role_name = Developer\n\
         region = us-east-1\n\
         [sso-session corp]\n\
         sso_start_url = https://corp.awsapps.com/start\n\
         sso_region = eu-west-1\n\
         sso_registration_scopes = sso:account:access\n",
    );
    let expires = DateTime::from_secs(DateTime::now().secs() + 3600);
    home.write(
        &format!(".aws/sso/cache/{}.json", sha1_hex("corp")),
        &json!({"accessToken": "the-sso-token",
                "expiresAt": expires.format(TimestampFormat::DateTime)})
        .to_string(),
    );
    // Temporary credentials moto knows, of a role of the test's own.
    let role = moto_role_credentials(session).await;
    let sso = CannedServer::start(vec![role_credentials(
        &role.access_key_id,
        &role.secret_access_key,
        &role.session_token,
    )]);

    let credentials = resolve(&home, &sso.endpoint()).await.unwrap();
    assert_eq!(credentials.source(), "sso");
    assert_eq!(credentials.account_id(), Some("123456789012"));
    assert_eq!(credentials.access_key_id(), role.access_key_id);
    assert_eq!(
        credentials.session_token(),
        Some(role.session_token.as_str())
    );

    let received = sso.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.method, "GET");
    assert!(
        request.target.starts_with("/federation/credentials?"),
        "{}",
        request.target
    );
    assert!(request.target.contains("role_name=Developer"));
    assert!(request.target.contains("account_id=123456789012"));
    assert_eq!(
        request.header("x-amz-sso_bearer_token"),
        Some("the-sso-token")
    );
    assert_eq!(request.header("authorization"), None);

    let arn = caller_arn(session, credentials).await;
    assert!(arn.contains(":assumed-role/stratus-sso-e2e/"), "{arn}");

    // The same chain with a secret moto does not know: its signature check refuses it.
    let wrong = CannedServer::start(vec![role_credentials(
        &role.access_key_id,
        "not-the-secret",
        &role.session_token,
    )]);
    let credentials = resolve(&home, &wrong.endpoint()).await.unwrap();
    let sts = sts_client::Client::new(&session.config_with(credentials));
    let error = sts
        .get_caller_identity(sts_client::GetCallerIdentityInput::default())
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("SignatureDoesNotMatch"),
        "{error}"
    );
}

#[tokio::test]
async fn legacy_sso_profile_with_an_expired_token_says_to_log_in() {
    let home = Home::new();
    home.write(
        ".aws/config",
        "[profile dev]\n\
         sso_start_url = https://corp.awsapps.com/start\n\
         sso_region = eu-west-1\n\
         sso_account_id = 123456789012\n\
         sso_role_name = Developer\n",
    );
    home.write(
        &format!(
            ".aws/sso/cache/{}.json",
            sha1_hex("https://corp.awsapps.com/start")
        ),
        r#"{"accessToken": "old", "expiresAt": "2020-01-01T00:00:00Z"}"#,
    );
    let sso = CannedServer::start(vec![role_credentials("AK", "SK", "TOKEN")]);
    let error = resolve(&home, &sso.endpoint()).await.unwrap_err();
    assert_eq!(error.provider(), "sso");
    assert!(error.to_string().contains("aws sso login"), "{error}");
    assert!(sso.received().is_empty());
}

#[tokio::test]
async fn credential_process_credentials_sign_a_checked_call() {
    let session = Session::get().await;
    let home = Home::new();
    let output = home.write(
        "creds.json",
        &json!({"Version": 1,
                "AccessKeyId": session.credentials.access_key_id(),
                "SecretAccessKey": session.credentials.secret_access_key()})
        .to_string(),
    );
    home.write(
        ".aws/config",
        &format!(
            "[profile dev]\ncredential_process = cat \"{}\"\naws_account_id = 123456789012\n",
            output.display()
        ),
    );
    let credentials = resolve(&home, "http://127.0.0.1:9").await.unwrap();
    assert_eq!(credentials.source(), "process");
    assert_eq!(credentials.account_id(), Some("123456789012"));
    let arn = caller_arn(session, credentials).await;
    assert!(arn.ends_with(":user/stratus-tests"), "{arn}");
}
