//! STS `AssumeRole` and `AssumeRoleWithWebIdentity` as the assume-role and web identity
//! providers call them: the operations, and schemas with only the members sent and read
//! (the model's full shapes are in `sdk/sts`).

use super::service::STS;
use super::{Credentials, CredentialsError};
use crate::DateTime;
use crate::operation::Operation;
use crate::schema::{Member, Schema, ShapeFlags, ShapeType};
use crate::value::{StructValue, Value, opt, opt_mut};

/// `AssumeRole`: signed with the source credentials.
pub(crate) static ASSUME_ROLE: Operation = Operation::new(
    "AssumeRole",
    &STS,
    "POST",
    "/",
    &ASSUME_ROLE_INPUT,
    &ASSUME_ROLE_OUTPUT,
)
.result_wrapper("AssumeRoleResult");

/// `AssumeRoleWithWebIdentity`: not signed, the token is the proof (as in the model).
pub(crate) static ASSUME_ROLE_WITH_WEB_IDENTITY: Operation = Operation::new(
    "AssumeRoleWithWebIdentity",
    &STS,
    "POST",
    "/",
    &ASSUME_ROLE_WITH_WEB_IDENTITY_INPUT,
    &ASSUME_ROLE_WITH_WEB_IDENTITY_OUTPUT,
)
.result_wrapper("AssumeRoleWithWebIdentityResult")
.auth_type("none")
.auth(&["smithy.api#noAuth"]);

static STRING: Schema = Schema::string("String");
static SECRET: Schema = Schema::string("SecretString").flag(ShapeFlags::SENSITIVE);
static INTEGER: Schema = Schema::scalar("Integer", ShapeType::Integer);
static TIMESTAMP: Schema = Schema::scalar("Timestamp", ShapeType::Timestamp);

static ASSUME_ROLE_INPUT: Schema = Schema::structure(
    "AssumeRoleRequest",
    &[
        Member::new("RoleArn", &STRING).required(),
        Member::new("RoleSessionName", &STRING).required(),
        Member::new("DurationSeconds", &INTEGER),
        Member::new("ExternalId", &STRING),
        Member::new("SerialNumber", &STRING),
        // Not sensitive in the model; a one-time code all the same.
        Member::new("TokenCode", &SECRET),
    ],
);

static ASSUME_ROLE_OUTPUT: Schema = Schema::structure(
    "AssumeRoleResponse",
    &[
        Member::new("Credentials", &STS_CREDENTIALS),
        Member::new("AssumedRoleUser", &ASSUMED_ROLE_USER),
    ],
);

static ASSUME_ROLE_WITH_WEB_IDENTITY_INPUT: Schema = Schema::structure(
    "AssumeRoleWithWebIdentityRequest",
    &[
        Member::new("RoleArn", &STRING).required(),
        Member::new("RoleSessionName", &STRING).required(),
        Member::new("WebIdentityToken", &SECRET).required(),
    ],
);

static ASSUME_ROLE_WITH_WEB_IDENTITY_OUTPUT: Schema = Schema::structure(
    "AssumeRoleWithWebIdentityResponse",
    &[
        Member::new("Credentials", &STS_CREDENTIALS),
        Member::new("AssumedRoleUser", &ASSUMED_ROLE_USER),
    ],
);

static ASSUMED_ROLE_USER: Schema = Schema::structure(
    "AssumedRoleUser",
    &[
        Member::new("AssumedRoleId", &STRING),
        Member::new("Arn", &STRING),
    ],
);

// The model marks the secret sensitive but not the session token; both are here.
static STS_CREDENTIALS: Schema = Schema::structure(
    "Credentials",
    &[
        Member::new("AccessKeyId", &STRING),
        Member::new("SecretAccessKey", &SECRET),
        Member::new("SessionToken", &SECRET),
        Member::new("Expiration", &TIMESTAMP),
    ],
);

/// The input of `AssumeRole`.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct AssumeRoleInput {
    pub(crate) role_arn: String,
    pub(crate) role_session_name: String,
    pub(crate) duration_seconds: Option<i32>,
    pub(crate) external_id: Option<String>,
    pub(crate) serial_number: Option<String>,
    pub(crate) token_code: Option<String>,
}

impl StructValue for AssumeRoleInput {
    fn schema(&self) -> &'static Schema {
        &ASSUME_ROLE_INPUT
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => Some(&self.role_arn),
            1 => Some(&self.role_session_name),
            2 => opt(&self.duration_seconds),
            3 => opt(&self.external_id),
            4 => opt(&self.serial_number),
            5 => opt(&self.token_code),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => Some(&mut self.role_arn),
            1 => Some(&mut self.role_session_name),
            2 => opt_mut(&mut self.duration_seconds),
            3 => opt_mut(&mut self.external_id),
            4 => opt_mut(&mut self.serial_number),
            5 => opt_mut(&mut self.token_code),
            _ => None,
        }
    }
}
crate::impl_struct_value!(AssumeRoleInput);

/// The input of `AssumeRoleWithWebIdentity`.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct AssumeRoleWithWebIdentityInput {
    pub(crate) role_arn: String,
    pub(crate) role_session_name: String,
    pub(crate) web_identity_token: String,
}

impl StructValue for AssumeRoleWithWebIdentityInput {
    fn schema(&self) -> &'static Schema {
        &ASSUME_ROLE_WITH_WEB_IDENTITY_INPUT
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => Some(&self.role_arn),
            1 => Some(&self.role_session_name),
            2 => Some(&self.web_identity_token),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => Some(&mut self.role_arn),
            1 => Some(&mut self.role_session_name),
            2 => Some(&mut self.web_identity_token),
            _ => None,
        }
    }
}
crate::impl_struct_value!(AssumeRoleWithWebIdentityInput);

/// What both operations answer with (only the members read): the output of `AssumeRole`
/// and of `AssumeRoleWithWebIdentity` share these two members, at the same indexes.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct AssumeRoleOutput {
    pub(crate) credentials: Option<StsCredentials>,
    pub(crate) assumed_role_user: Option<AssumedRoleUser>,
}

impl StructValue for AssumeRoleOutput {
    fn schema(&self) -> &'static Schema {
        &ASSUME_ROLE_OUTPUT
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => opt(&self.credentials),
            1 => opt(&self.assumed_role_user),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => opt_mut(&mut self.credentials),
            1 => opt_mut(&mut self.assumed_role_user),
            _ => None,
        }
    }
}
crate::impl_struct_value!(AssumeRoleOutput);

/// The `AssumedRoleUser` of a response.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct AssumedRoleUser {
    pub(crate) assumed_role_id: Option<String>,
    pub(crate) arn: Option<String>,
}

impl StructValue for AssumedRoleUser {
    fn schema(&self) -> &'static Schema {
        &ASSUMED_ROLE_USER
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => opt(&self.assumed_role_id),
            1 => opt(&self.arn),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => opt_mut(&mut self.assumed_role_id),
            1 => opt_mut(&mut self.arn),
            _ => None,
        }
    }
}
crate::impl_struct_value!(AssumedRoleUser);

/// The `Credentials` of a response.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct StsCredentials {
    pub(crate) access_key_id: Option<String>,
    pub(crate) secret_access_key: Option<String>,
    pub(crate) session_token: Option<String>,
    pub(crate) expiration: Option<DateTime>,
}

impl StructValue for StsCredentials {
    fn schema(&self) -> &'static Schema {
        &STS_CREDENTIALS
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => opt(&self.access_key_id),
            1 => opt(&self.secret_access_key),
            2 => opt(&self.session_token),
            3 => opt(&self.expiration),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => opt_mut(&mut self.access_key_id),
            1 => opt_mut(&mut self.secret_access_key),
            2 => opt_mut(&mut self.session_token),
            3 => opt_mut(&mut self.expiration),
            _ => None,
        }
    }
}
crate::impl_struct_value!(StsCredentials);

impl AssumeRoleOutput {
    /// The credentials of the response, of the account in `AssumedRoleUser.Arn` (botocore's
    /// `_add_account_id_to_response`), or an error of `provider` saying what is missing.
    /// `what` names the call in that error (operation, role, profile).
    pub(crate) fn into_credentials(
        self,
        provider: &'static str,
        what: &str,
    ) -> Result<Credentials, CredentialsError> {
        let missing = |member: &str| {
            CredentialsError::provider_failed(
                provider,
                format!("{what}: the STS response has no `{member}`"),
            )
        };
        let sts = self.credentials.ok_or_else(|| missing("Credentials"))?;
        let access_key_id = sts
            .access_key_id
            .filter(|k| !k.is_empty())
            .ok_or_else(|| missing("Credentials.AccessKeyId"))?;
        let secret = sts
            .secret_access_key
            .filter(|k| !k.is_empty())
            .ok_or_else(|| missing("Credentials.SecretAccessKey"))?;
        let expiration = sts
            .expiration
            .ok_or_else(|| missing("Credentials.Expiration"))?;
        let credentials = Credentials::new(
            access_key_id,
            secret,
            sts.session_token.filter(|t| !t.is_empty()),
            Some(expiration),
            provider,
        );
        let account = self
            .assumed_role_user
            .and_then(|user| user.arn)
            .and_then(|arn| arn_account(&arn).map(str::to_owned));
        Ok(match account {
            Some(account) => credentials.with_account_id(account),
            None => credentials,
        })
    }
}

/// The account of an ARN (`arn:partition:service:region:account:resource`), as botocore's
/// `ArnParser` reads it: `None` for something that is not an ARN.
pub(crate) fn arn_account(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, _, _, account, _] => Some(account),
        _ => None,
    }
}

/// A session name for a role assumed without `role_session_name`.
///
/// botocore uses `botocore-session-<epoch seconds>`; ours says which SDK made the session
/// (`stratus-session-<epoch seconds>`), which CloudTrail then shows.
pub(crate) fn default_session_name() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("stratus-session-{secs}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_is_the_fifth_field_of_an_arn() {
        assert_eq!(
            arn_account("arn:aws:sts::123456789012:assumed-role/r/s"),
            Some("123456789012")
        );
        assert_eq!(
            arn_account("arn:aws-cn:sts::210987654321:assumed-role/a:b/c"),
            Some("210987654321")
        );
        assert_eq!(arn_account("not-an-arn"), None);
        assert_eq!(arn_account("arn:aws:sts::123"), None);
    }

    #[test]
    fn a_response_without_keys_is_an_error_that_says_which() {
        let output = AssumeRoleOutput {
            credentials: Some(StsCredentials {
                access_key_id: Some("ASIA".into()),
                ..StsCredentials::default()
            }),
            assumed_role_user: None,
        };
        let error = output
            .into_credentials("assume-role", "AssumeRole")
            .unwrap_err();
        assert!(
            error.message().contains("Credentials.SecretAccessKey"),
            "{error}"
        );
    }

    #[test]
    fn debug_hides_the_secret_the_token_and_the_web_identity_token() {
        let output = AssumeRoleOutput {
            credentials: Some(StsCredentials {
                access_key_id: Some("ASIAEXAMPLE".into()),
                secret_access_key: Some("s3cr3tvalue".into()),
                session_token: Some("sessi0ntoken".into()),
                expiration: Some(DateTime::from_secs(0)),
            }),
            assumed_role_user: None,
        };
        let input = AssumeRoleWithWebIdentityInput {
            role_arn: "arn:aws:iam::1:role/r".into(),
            role_session_name: "s".into(),
            web_identity_token: "jwtjwtjwt".into(),
        };
        let printed = format!("{output:?} {input:?}");
        assert!(printed.contains("ASIAEXAMPLE"), "{printed}");
        for secret in ["s3cr3tvalue", "sessi0ntoken", "jwtjwtjwt"] {
            assert!(!printed.contains(secret), "{printed}");
        }
    }
}

/// A loopback STS of the tests' own, and profile files in a temporary directory: what the
/// tests of the assume-role and web identity providers run against.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::Config;
    use crate::credentials::ProviderContext;
    use crate::profile::Env;
    use std::collections::BTreeMap;
    use std::path::PathBuf;
    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A directory under the system temp dir, removed on drop.
    pub(crate) struct TempDir(pub(crate) PathBuf);

    impl TempDir {
        pub(crate) fn new() -> Self {
            use std::sync::atomic::{AtomicU32, Ordering};
            static COUNTER: AtomicU32 = AtomicU32::new(0);
            let dir = std::env::temp_dir().join(format!(
                "stratus-sts-{}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        pub(crate) fn write(&self, name: &str, contents: &str) -> PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, contents).unwrap();
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A request the server received: its form parameters and `Authorization` header.
    #[derive(Debug, Clone)]
    pub(crate) struct Received {
        pub(crate) params: BTreeMap<String, String>,
        pub(crate) authorization: Option<String>,
    }

    impl Received {
        pub(crate) fn param(&self, name: &str) -> Option<&str> {
            self.params.get(name).map(String::as_str)
        }

        /// The access key that signed the request (`Credential=<key>/...`).
        pub(crate) fn signed_by(&self) -> Option<&str> {
            let auth = self.authorization.as_deref()?;
            let start = auth.find("Credential=")? + "Credential=".len();
            auth[start..].split('/').next()
        }
    }

    type Responder = dyn Fn(&Received) -> (u16, String) + Send + Sync;

    /// An STS on 127.0.0.1 answering each request with its responder (by default: every
    /// role is assumed, with access key `ASIA<role name>`).
    #[derive(Clone)]
    pub(crate) struct StsServer {
        pub(crate) url: String,
        received: Arc<Mutex<Vec<Received>>>,
    }

    impl StsServer {
        pub(crate) async fn start() -> Self {
            Self::with(|request| (200, success(request))).await
        }

        pub(crate) async fn with(
            responder: impl Fn(&Received) -> (u16, String) + Send + Sync + 'static,
        ) -> Self {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let received = Arc::new(Mutex::new(Vec::new()));
            let responder: Arc<Responder> = Arc::new(responder);
            let log = Arc::clone(&received);
            tokio::spawn(async move {
                while let Ok((mut stream, _)) = listener.accept().await {
                    let responder = Arc::clone(&responder);
                    let log = Arc::clone(&log);
                    tokio::spawn(async move {
                        let Some(request) = read_request(&mut stream).await else {
                            return;
                        };
                        log.lock().unwrap().push(request.clone());
                        let (status, body) = responder(&request);
                        let response = format!(
                            "HTTP/1.1 {status} X\r\nContent-Type: text/xml\r\n\
                             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = stream.write_all(response.as_bytes()).await;
                        let _ = stream.shutdown().await;
                    });
                }
            });
            StsServer { url, received }
        }

        /// The requests received so far, in order.
        pub(crate) fn received(&self) -> Vec<Received> {
            self.received.lock().unwrap().clone()
        }
    }

    async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Received> {
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 4096];
        let header_end = loop {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buffer.extend_from_slice(&chunk[..n]);
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
        };
        let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
        let header = |name: &str| {
            head.lines().find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
        };
        let length: usize = header("content-length")
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        while buffer.len() < header_end + length {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buffer.extend_from_slice(&chunk[..n]);
        }
        let body = String::from_utf8_lossy(&buffer[header_end..header_end + length]).into_owned();
        let params = body
            .split('&')
            .filter_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                let decode = |s: &str| {
                    percent_encoding::percent_decode_str(&s.replace('+', " "))
                        .decode_utf8_lossy()
                        .into_owned()
                };
                Some((decode(key), decode(value)))
            })
            .collect();
        Some(Received {
            params,
            authorization: header("authorization"),
        })
    }

    /// A successful answer to `request`: access key `ASIA<role name>`, session token
    /// `token-<role name>`, of the role's account.
    pub(crate) fn success(request: &Received) -> String {
        let action = request.param("Action").unwrap_or("AssumeRole");
        let arn = request
            .param("RoleArn")
            .unwrap_or("arn:aws:iam::000000000000:role/none");
        let role = arn.rsplit('/').next().unwrap_or("none");
        let account = super::arn_account(arn).unwrap_or("000000000000");
        let session = request.param("RoleSessionName").unwrap_or("session");
        format!(
            "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <{action}Result><Credentials><AccessKeyId>ASIA{role}</AccessKeyId>\
             <SecretAccessKey>secret-{role}</SecretAccessKey>\
             <SessionToken>token-{role}</SessionToken>\
             <Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>\
             <AssumedRoleUser><AssumedRoleId>AROA{role}:{session}</AssumedRoleId>\
             <Arn>arn:aws:sts::{account}:assumed-role/{role}/{session}</Arn></AssumedRoleUser>\
             </{action}Result><ResponseMetadata><RequestId>r-1</RequestId>\
             </ResponseMetadata></{action}Response>"
        )
    }

    /// An STS error response.
    pub(crate) fn error(code: &str, message: &str) -> String {
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
             <Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
             <RequestId>r-2</RequestId></ErrorResponse>"
        )
    }

    /// A provider context over these config and credentials files, with `vars` and the
    /// server as the endpoint of every service (one attempt per call), for `profile`.
    pub(crate) fn context(
        dir: &TempDir,
        config: &str,
        credentials: &str,
        vars: &[(&str, &str)],
        server: &StsServer,
    ) -> ProviderContext {
        let config_path = dir.write("config", config);
        let credentials_path = dir.write("credentials", credentials);
        let mut env_vars: Vec<(String, String)> = vec![
            ("AWS_CONFIG_FILE".into(), config_path.display().to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".into(),
                credentials_path.display().to_string(),
            ),
            ("AWS_ENDPOINT_URL".into(), server.url.clone()),
            ("AWS_MAX_ATTEMPTS".into(), "1".into()),
        ];
        env_vars.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let env = Env::from_vars(env_vars).without_home();
        let config = Config::from_shared(env).unwrap();
        ProviderContext::new(&config)
    }
}
