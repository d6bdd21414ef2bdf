//! End-to-end sessions against moto: one server per test process, with signature checking
//! on, and an IAM user whose access key signs every call the tests make.

use crate::moto::Moto;
use std::time::Duration;
use stratus_runtime::config::ConfigBuilder;
use stratus_runtime::{Config, Credentials};
use tokio::sync::OnceCell;

/// Calls moto serves before it starts checking signatures: the bootstrap below.
const BOOTSTRAP_CALLS: u32 = 3;

/// The access key the tests sign with, created in moto by the bootstrap.
#[derive(Clone, Debug)]
pub struct Session {
    pub endpoint: String,
    pub credentials: Credentials,
}

impl Session {
    /// The shared session: moto started (installed on first use) and bootstrapped.
    pub async fn get() -> &'static Session {
        static SESSION: OnceCell<Session> = OnceCell::const_new();
        SESSION.get_or_init(bootstrap).await
    }

    /// A config for this session's endpoint and credentials, in us-east-1. Every test builds
    /// its own, so its connections live on its own runtime.
    pub fn config(&self) -> Config {
        self.config_with(self.credentials.clone())
    }

    /// The same with other credentials (e.g. a wrong secret).
    pub fn config_with(&self, credentials: Credentials) -> Config {
        limits(Config::builder())
            .region("us-east-1")
            .endpoint_url(&self.endpoint)
            .credentials(credentials)
            .build()
    }
}

/// Time limits for calls to moto, so a server that stops answering fails a test instead of
/// hanging it (a first call to a heavy backend takes a few seconds).
fn limits(builder: ConfigBuilder) -> ConfigBuilder {
    builder
        .attempt_timeout(Duration::from_secs(60))
        .operation_timeout(Duration::from_secs(180))
}

async fn bootstrap() -> Session {
    let moto = Moto::shared(BOOTSTRAP_CALLS);
    // A failing test also shows what moto printed (CI keeps no other copy of the log).
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default_hook(info);
        eprintln!("{}", moto.log_tail());
    }));
    let endpoint = moto.endpoint();
    // The first calls are not checked: any key signs them.
    let anonymous = limits(Config::builder())
        .region("us-east-1")
        .endpoint_url(&endpoint)
        .credentials(Credentials::new(
            "AKIDBOOTSTRAP",
            "bootstrap",
            None,
            None,
            "test",
        ))
        .build();
    let iam = iam_client::Client::new(&anonymous);
    let user = "stratus-tests".to_string();
    iam.create_user(iam_client::CreateUserInput {
        user_name: user.clone(),
        ..Default::default()
    })
    .await
    .expect("bootstrap: create user");
    iam.put_user_policy(iam_client::PutUserPolicyInput {
        user_name: user.clone(),
        policy_name: "everything".into(),
        policy_document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.into(),
    })
    .await
    .expect("bootstrap: put user policy");
    let key = iam
        .create_access_key(iam_client::CreateAccessKeyInput {
            user_name: Some(user),
        })
        .await
        .expect("bootstrap: create access key")
        .access_key;
    Session {
        endpoint,
        credentials: Credentials::new(key.access_key_id, key.secret_access_key, None, None, "moto"),
    }
}
