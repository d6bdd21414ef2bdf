//! The assume-role and web identity credential providers against moto's STS, signature
//! checking on: a role chain of depth 3 built from profile files (`c` -> `b` -> `a` ->
//! static keys), and `AssumeRoleWithWebIdentity` from a token file, each followed by a call
//! signed with the credentials it gave.
//!
//! The configs here come from `Config::from_shared` over profile files of the test's own, as
//! an application's would, so their requests do not go through the session's checked client:
//! they are checked by moto all the same, unless another test has lifted checking for a
//! moment (`Session::unchecked`), which can only make this test weaker, never fail it.

use std::path::PathBuf;
use stratus_runtime::Config;
use stratus_runtime::profile::Env;
use stratus_tests::e2e::Session;

/// A directory of profile files, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "stratus-e2e-sts-{tag}-{}-{}",
            std::process::id(),
            unique()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn write(&self, name: &str, contents: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path.display().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// Creates role `name` in moto, assumable by anyone and allowed everything; its ARN.
async fn create_role(session: &Session, name: &str) -> String {
    let iam = iam_client::Client::new(&session.config());
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["sts:AssumeRole","sts:AssumeRoleWithWebIdentity"]}]}"#;
    let role = iam
        .create_role(iam_client::CreateRoleInput {
            role_name: name.into(),
            assume_role_policy_document: trust.into(),
            ..Default::default()
        })
        .await
        .expect("create role")
        .role;
    iam.put_role_policy(iam_client::PutRolePolicyInput {
        role_name: name.into(),
        policy_name: "everything".into(),
        policy_document:
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
                .into(),
    })
    .await
    .expect("put role policy");
    role.arn
}

/// A config from these files and variables, every service at moto.
fn shared_config(
    session: &Session,
    dir: &Dir,
    config: &str,
    credentials: &str,
    vars: &[(&str, &str)],
) -> Config {
    let mut env = vec![
        ("AWS_CONFIG_FILE".to_owned(), dir.write("config", config)),
        (
            "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
            dir.write("credentials", credentials),
        ),
        ("AWS_ENDPOINT_URL".to_owned(), session.endpoint.clone()),
        ("AWS_REGION".to_owned(), "us-east-1".to_owned()),
        // Nothing of the machine's: no instance metadata lookups.
        ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
    ];
    env.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Config::from_shared(Env::from_vars(env).without_home()).expect("config from the profile files")
}

#[tokio::test]
async fn a_role_chain_of_depth_three_then_a_call_with_its_credentials() {
    let session = Session::get().await;
    let run = unique();
    let (ra, rb, rc) = (
        format!("chain-a-{run}"),
        format!("chain-b-{run}"),
        format!("chain-c-{run}"),
    );
    let arn_a = create_role(session, &ra).await;
    let arn_b = create_role(session, &rb).await;
    let arn_c = create_role(session, &rc).await;
    let dir = Dir::new("chain");
    let config_file = format!(
        "[profile a]\nrole_arn = {arn_a}\nsource_profile = base\n\
         [profile b]\nrole_arn = {arn_b}\nsource_profile = a\nrole_session_name = via-b\n\
         [profile c]\nrole_arn = {arn_c}\nsource_profile = b\nrole_session_name = via-c\n\
         duration_seconds = 900\nexternal_id = ext-42\n"
    );
    let credentials_file = format!(
        "[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
        session.credentials.access_key_id(),
        session.credentials.secret_access_key()
    );
    let config = shared_config(
        session,
        &dir,
        &config_file,
        &credentials_file,
        &[("AWS_PROFILE", "c")],
    );
    let provider = config.credentials_provider().expect("the default chain");
    let creds = provider
        .provide_credentials()
        .await
        .unwrap_or_else(|e| panic!("assume the chain: {e}"));
    assert_eq!(creds.source(), "assume-role");
    assert_ne!(creds.access_key_id(), session.credentials.access_key_id());
    assert!(creds.session_token().is_some());
    assert!(creds.expires_at().is_some());
    let account = arn_c.split(':').nth(4).unwrap();
    assert_eq!(creds.account_id(), Some(account));

    // The credentials sign a call moto checks: it is role c's session.
    let sts = sts_client::Client::new(&config);
    let me = sts
        .get_caller_identity(Default::default())
        .await
        .expect("get caller identity as role c");
    let arn = me.arn.unwrap_or_default();
    assert!(arn.ends_with(&format!(":assumed-role/{rc}/via-c")), "{arn}");
    assert_eq!(me.account.as_deref(), Some(account));
}

#[tokio::test]
async fn a_chain_whose_first_link_sts_refuses_says_which_profile_and_role() {
    let session = Session::get().await;
    let run = unique();
    let arn_a = create_role(session, &format!("refused-a-{run}")).await;
    let dir = Dir::new("refused");
    let config_file = format!(
        "[profile a]\nrole_arn = {arn_a}\nsource_profile = base\n\
         [profile b]\nrole_arn = {arn_a}\nsource_profile = a\n"
    );
    // A secret moto does not know: the first AssumeRole fails its signature check.
    let credentials_file = format!(
        "[base]\naws_access_key_id = {}\naws_secret_access_key = wrong\n",
        session.credentials.access_key_id()
    );
    let config = shared_config(
        session,
        &dir,
        &config_file,
        &credentials_file,
        &[("AWS_PROFILE", "b")],
    );
    let error = config
        .credentials_provider()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(text.contains("profile `a`"), "{text}");
    assert!(text.contains(&arn_a), "{text}");
    assert!(text.contains("SignatureDoesNotMatch"), "{text}");
    assert!(!text.contains("wrong"), "{text}");
}

#[tokio::test]
async fn assume_role_with_web_identity_from_a_token_file() {
    let session = Session::get().await;
    let role = format!("web-{}", unique());
    let arn = create_role(session, &role).await;
    let dir = Dir::new("web");
    let token = dir.write("token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2ln");
    let config = shared_config(
        session,
        &dir,
        "",
        "",
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", &token),
            ("AWS_ROLE_ARN", &arn),
            ("AWS_ROLE_SESSION_NAME", "pod-session"),
        ],
    );
    let provider = config.credentials_provider().expect("the default chain");
    // moto checks a signature on every call once checking is on, AssumeRoleWithWebIdentity
    // too, although the operation takes none (boto3's unsigned call fails the same way:
    // ../shared/MOTO.md). Only this call runs with checking lifted; the call made with the
    // credentials it gives is checked.
    let creds = session
        .unchecked(|_| async { provider.provide_credentials().await })
        .await
        .unwrap_or_else(|e| panic!("assume role with web identity: {e}"));
    assert_eq!(creds.source(), "web-identity");
    assert_eq!(creds.account_id(), arn.split(':').nth(4));

    let me = sts_client::Client::new(&config)
        .get_caller_identity(Default::default())
        .await
        .expect("get caller identity as the web identity role");
    let caller = me.arn.unwrap_or_default();
    assert!(
        caller.ends_with(&format!(":assumed-role/{role}/pod-session")),
        "{caller}"
    );
}
