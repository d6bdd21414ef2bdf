//! End-to-end sessions against moto: one server per test process, with signature checking
//! on, and an IAM user whose access key signs every call the tests make.
//!
//! moto's signature verifier has gaps that botocore's requests fall into as well (every
//! bodyless CloudFront and Route53 request, every presigned URL: `../shared/MOTO.md`). For
//! those calls a test lifts checking for a moment with [`Session::unchecked`]; while it is
//! lifted no other test's request is in flight, so every other call stays checked.

use crate::moto::{Moto, http_request};
use futures_util::future::BoxFuture;
use std::time::Duration;
use stratus_runtime::config::ConfigBuilder;
use stratus_runtime::transport::{
    HttpClient, HyperClient, SendError, TransportRequest, TransportResponse, TransportTimeouts,
};
use stratus_runtime::{Config, Credentials};
use tokio::sync::{OnceCell, RwLock};

/// Held for reading by every request of a session's configs, for writing while signature
/// checking is lifted.
static CHECKING: RwLock<()> = RwLock::const_new(());

/// The default client, behind [`CHECKING`].
#[derive(Debug)]
struct Checked(HyperClient);

impl HttpClient for Checked {
    fn send(
        &self,
        request: TransportRequest,
    ) -> BoxFuture<'_, Result<TransportResponse, SendError>> {
        Box::pin(async move {
            let _checked = CHECKING.read().await;
            self.0.send(request).await
        })
    }
}

/// Calls moto serves before it starts checking signatures: the bootstrap below.
const BOOTSTRAP_CALLS: u32 = 3;

/// The access key the tests sign with, created in moto by the bootstrap.
#[derive(Clone, Debug)]
pub struct Session {
    pub endpoint: String,
    pub port: u16,
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
        let client = HyperClient::new(TransportTimeouts::default()).expect("the default client");
        limits(Config::builder())
            .region("us-east-1")
            .endpoint_url(&self.endpoint)
            .credentials(credentials)
            .http_client(Checked(client))
            .build()
    }

    /// Runs `calls` with moto's signature checking lifted, for a moto gap that botocore's
    /// own requests fall into too (the caller names it). `calls` gets a config to use, and
    /// must use only that one: a config from [`Session::config`] waits for checking to be
    /// back on, so it would wait for itself. No other test's request is in flight
    /// meanwhile, and checking is back on when `calls` returns (or panics).
    pub async fn unchecked<T, F>(&self, calls: impl FnOnce(Config) -> F) -> T
    where
        F: std::future::Future<Output = T>,
    {
        let _exclusive = CHECKING.write().await;
        let port = self.port;
        // A blocking exchange with moto: off the runtime's threads.
        tokio::task::spawn_blocking(move || set_checking(port, false))
            .await
            .expect("reset-auth");
        struct Restore(u16);
        impl Drop for Restore {
            fn drop(&mut self) {
                set_checking(self.0, true);
            }
        }
        let _restore = Restore(self.port);
        let config = limits(Config::builder())
            .region("us-east-1")
            .endpoint_url(&self.endpoint)
            .credentials(self.credentials.clone())
            .build();
        calls(config).await
    }
}

/// Turns moto's signature checking on or off (`POST /moto-api/reset-auth`: the number of
/// calls left unchecked).
fn set_checking(port: u16, on: bool) {
    let count = if on { "0" } else { "inf" };
    let (status, body) = http_request(
        port,
        "POST",
        "/moto-api/reset-auth",
        &[("Content-Type", "text/plain")],
        count.as_bytes(),
    )
    .unwrap_or_else(|e| panic!("moto reset-auth: {e}"));
    assert_eq!(
        status,
        200,
        "moto reset-auth {count}: {}",
        String::from_utf8_lossy(&body)
    );
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
        port: moto.port(),
        credentials: Credentials::new(key.access_key_id, key.secret_access_key, None, None, "moto"),
    }
}
