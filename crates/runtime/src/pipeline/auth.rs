//! Auth: which scheme an operation is called with (SigV4 and SigV4a, a bearer token, or
//! none), chosen as botocore chooses it, and the identity that scheme needs.
//!
//! 1. The operation's `auth` list, else the service's; a model without one gives its legacy
//!    `authtype` (`none`, `bearer`, `v4`, ...) or the service's `signatureVersion`.
//! 2. With an `auth_scheme_preference` (config, profile, `AWS_AUTH_SCHEME_PREFERENCE`), the
//!    first preferred scheme the operation supports, else the first it supports
//!    (botocore's `resolve_auth_scheme_preference`); without one, the first it supports.
//! 3. A token provider set in code ([`ConfigBuilder::bearer_token`](crate::config::ConfigBuilder::bearer_token))
//!    is used by every operation that supports `httpBearerAuth`, unless the code also set a
//!    preference.
//! 4. Bedrock (signing name `bedrock`) takes a bearer token from `AWS_BEARER_TOKEN_BEDROCK`
//!    when the operation supports `httpBearerAuth` and the code set no preference of its own
//!    (botocore's `_should_prefer_bearer_auth`).
//!
//! SigV4 and SigV4a are one family here: which of the two signs a request is the
//! endpoint's `authSchemes` choice (see `endpoint.rs`), reordered by the preference as
//! botocore's `auth_schemes_to_signing_ctx` does.

use super::{CallError, HandleInner};
use crate::credentials::{Credentials, CredentialsError, Token};
use crate::error::ConfigError;
use crate::operation::Operation;

/// How an operation's requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// Not at all: no signature, no credentials needed.
    NoAuth,
    /// SigV4 or SigV4a, as the endpoint says.
    SigV4,
    /// `Authorization: Bearer <token>`.
    Bearer,
}

/// What signs a request.
#[derive(Debug, Clone)]
pub(crate) enum Identity {
    Anonymous,
    Credentials(Credentials),
    Token(Token),
}

impl Identity {
    /// The account of the credentials, for the `AWS::Auth::AccountId` endpoint parameter.
    pub(crate) fn account_id(&self) -> Option<&str> {
        match self {
            Identity::Credentials(credentials) => credentials.account_id(),
            _ => None,
        }
    }
}

/// The services botocore lets take a bearer token from the environment, by signing name
/// (`get_bearer_auth_supported_services`).
const ENV_BEARER_SERVICES: &[&str] = &["bedrock"];

/// The scheme names of the model's `auth` traits, and the short names a preference uses.
fn short_name(trait_name: &str) -> &str {
    trait_name.rsplit('#').next().unwrap_or(trait_name)
}

/// The scheme a short name stands for, if Stratus supports it.
fn scheme_of(short: &str) -> Option<Scheme> {
    match short {
        "sigv4" => Some(Scheme::SigV4),
        #[cfg(feature = "sigv4a")]
        "sigv4a" => Some(Scheme::SigV4),
        "httpBearerAuth" => Some(Scheme::Bearer),
        "noAuth" => Some(Scheme::NoAuth),
        _ => None,
    }
}

/// The environment variable of a service's bearer token (`AWS_BEARER_TOKEN_<SIGNING NAME>`).
pub(crate) fn bearer_env_var(signing_name: &str) -> String {
    let name: String = signing_name
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    format!("AWS_BEARER_TOKEN_{name}")
}

/// The scheme `op` is called with under `handle`'s configuration.
pub(crate) fn scheme(handle: &HandleInner, op: &Operation) -> Result<Scheme, ConfigError> {
    let options = if op.auth.is_empty() {
        op.service.auth
    } else {
        op.auth
    };
    let config = &handle.config;
    let resolved = if options.is_empty() || (op.auth.is_empty() && op.auth_type.is_some()) {
        // Models without `auth` traits (and operations with only a legacy `authtype`).
        match op.auth_type.unwrap_or(op.service.signature_version) {
            "none" => Scheme::NoAuth,
            "bearer" => Scheme::Bearer,
            _ => Scheme::SigV4,
        }
    } else {
        let preference = config.auth_scheme_preference();
        let supported = options.iter().map(|o| short_name(o));
        let ordered = preference
            .iter()
            .map(String::as_str)
            .filter(|p| options.iter().any(|o| short_name(o) == *p))
            .chain(supported);
        ordered.filter_map(scheme_of).next().ok_or_else(|| {
            ConfigError::new(format!(
                "{} {} supports only the auth schemes {}, none of which Stratus implements",
                op.service.service_id,
                op.name,
                options.join(", ")
            ))
        })?
    };
    let supports_bearer = options.contains(&"smithy.api#httpBearerAuth");
    // A token provider set in code is meant to be used wherever the operation takes a token,
    // unless the code also said which scheme it prefers.
    if supports_bearer && config.token_provider().is_some() && !config.preference_set_in_code() {
        return Ok(Scheme::Bearer);
    }
    let signing_name = op.service.signing_name;
    let prefer_env_bearer = ENV_BEARER_SERVICES.contains(&signing_name)
        && supports_bearer
        && config.env().var(&bearer_env_var(signing_name)).is_some()
        && (resolved == Scheme::Bearer || !config.auth_set_in_code());
    Ok(if prefer_env_bearer {
        Scheme::Bearer
    } else {
        resolved
    })
}

/// The identity `op` is signed with: none for a no-auth operation, a bearer token, or the
/// configured credentials.
pub(crate) async fn identity(handle: &HandleInner, op: &Operation) -> Result<Identity, CallError> {
    match scheme(handle, op)? {
        Scheme::NoAuth => Ok(Identity::Anonymous),
        Scheme::Bearer => Ok(Identity::Token(token(handle, op).await?)),
        Scheme::SigV4 => {
            let provider = handle.config.credentials_provider().ok_or_else(|| {
                CredentialsError::not_configured(
                    "config",
                    "no credentials provider is configured: use Config::from_env() or \
                     Config::builder().credentials(..)",
                )
            })?;
            Ok(Identity::Credentials(provider.provide_credentials().await?))
        }
    }
}

/// The bearer token for `op`, as botocore's token resolver finds it: the provider set in
/// code, else the service's environment variable (`AWS_BEARER_TOKEN_<SIGNING NAME>`), else
/// the profile's IAM Identity Center token (`sso_session`, refreshed through SSO-OIDC).
async fn token(handle: &HandleInner, op: &Operation) -> Result<Token, CredentialsError> {
    if let Some(provider) = handle.config.token_provider() {
        return provider.provide_token().await;
    }
    let var = bearer_env_var(op.service.signing_name);
    if let Some(token) = handle.config.env().var(&var) {
        return Ok(Token::new(token, None, "environment"));
    }
    let mut why = String::new();
    if let Some(provider) = handle.config.profile_token() {
        match provider.provide_token().await {
            Ok(token) => return Ok(token),
            Err(error) if error.is_not_configured() => why = format!(" ({error})"),
            Err(error) => return Err(error),
        }
    }
    Err(CredentialsError::not_configured(
        "token",
        format!(
            "{} {} needs a bearer token: set {var}, Config::builder().bearer_token(..), or an \
             sso_session in the profile{why}",
            op.service.service_id, op.name
        ),
    ))
}

/// Puts `token` in the request's `Authorization` header.
pub(crate) fn add_bearer(
    token: &Token,
    request: &mut crate::protocol::HttpRequest,
) -> Result<(), crate::error::RequestError> {
    let mut value =
        http::HeaderValue::from_str(&format!("Bearer {}", token.token())).map_err(|_| {
            crate::error::RequestError::Signing(format!(
                "the bearer token from {} is not a valid header value",
                token.source()
            ))
        })?;
    value.set_sensitive(true);
    request
        .headers_mut()
        .insert(http::header::AUTHORIZATION, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;
    use crate::client::ClientHandle;
    use crate::operation::ServiceInfo;
    use crate::profile::Env;
    use crate::schema::Schema;

    static EMPTY: Schema = Schema::structure("Empty", &[]);

    /// Bedrock's auth as its model gives it.
    static BEDROCK: ServiceInfo = ServiceInfo {
        signing_name: "bedrock",
        auth: &["aws.auth#sigv4", "smithy.api#httpBearerAuth"],
        ..ServiceInfo::test("bedrock-runtime", "Bedrock Runtime")
    };
    static CONVERSE: Operation = Operation::new("Converse", &BEDROCK, "POST", "/", &EMPTY, &EMPTY);

    /// CodeCatalyst: no `auth` list, `signatureVersion: bearer`.
    static CODECATALYST: ServiceInfo = ServiceInfo {
        signature_version: "bearer",
        ..ServiceInfo::test("codecatalyst", "CodeCatalyst")
    };
    static LIST_SPACES: Operation =
        Operation::new("ListSpaces", &CODECATALYST, "POST", "/", &EMPTY, &EMPTY);

    static SIGNED: ServiceInfo = ServiceInfo {
        auth: &["aws.auth#sigv4"],
        ..ServiceInfo::test("sts", "STS")
    };
    static GET_CALLER_IDENTITY: Operation =
        Operation::new("GetCallerIdentity", &SIGNED, "POST", "/", &EMPTY, &EMPTY);
    static NO_AUTH_TRAIT: Operation = Operation::new(
        "AssumeRoleWithWebIdentity",
        &SIGNED,
        "POST",
        "/",
        &EMPTY,
        &EMPTY,
    )
    .auth(&["smithy.api#noAuth"]);
    static LEGACY_NONE: Operation =
        Operation::new("GetRoleCredentials", &SIGNED, "GET", "/", &EMPTY, &EMPTY).auth_type("none");
    static UNKNOWN_ONLY: Operation =
        Operation::new("Old", &SIGNED, "POST", "/", &EMPTY, &EMPTY).auth(&["aws.auth#sigv2"]);

    const KEY: &str = "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl";

    fn handle(config: &Config, service: &'static ServiceInfo) -> ClientHandle {
        ClientHandle::new(config, service)
    }

    fn scheme_of_op(config: &Config, op: &'static Operation) -> Result<Scheme, ConfigError> {
        scheme(&handle(config, op.service).inner, op)
    }

    fn loaded(vars: &[(&str, &str)], builder: crate::config::ConfigBuilder) -> Config {
        let dir = std::env::temp_dir().join("stratus-auth-tests-no-such-home");
        let env = Env::from_vars(vars.iter().copied()).with_home(dir);
        builder.load(env).expect("config")
    }

    #[test]
    fn bedrock_takes_the_key_from_the_environment_unless_the_code_says_otherwise() {
        let signed = loaded(&[], Config::builder());
        assert_eq!(scheme_of_op(&signed, &CONVERSE).unwrap(), Scheme::SigV4);
        let with_key = [("AWS_BEARER_TOKEN_BEDROCK", KEY)];
        let bearer = loaded(&with_key, Config::builder());
        assert_eq!(scheme_of_op(&bearer, &CONVERSE).unwrap(), Scheme::Bearer);
        // A preference set in code turns the environment's key off, unless it names bearer.
        let code_v4 = loaded(
            &with_key,
            Config::builder().auth_scheme_preference(["sigv4"]),
        );
        assert_eq!(scheme_of_op(&code_v4, &CONVERSE).unwrap(), Scheme::SigV4);
        let code_bearer = loaded(
            &with_key,
            Config::builder().auth_scheme_preference(["httpBearerAuth"]),
        );
        assert_eq!(
            scheme_of_op(&code_bearer, &CONVERSE).unwrap(),
            Scheme::Bearer
        );
        // A preference from the environment does not count as the code's.
        let env_v4 = loaded(
            &[
                ("AWS_BEARER_TOKEN_BEDROCK", KEY),
                ("AWS_AUTH_SCHEME_PREFERENCE", " sigv4 ,"),
            ],
            Config::builder(),
        );
        assert_eq!(env_v4.auth_scheme_preference(), ["sigv4"]);
        assert_eq!(scheme_of_op(&env_v4, &CONVERSE).unwrap(), Scheme::Bearer);
    }

    #[test]
    fn a_token_set_in_code_is_used_where_the_operation_takes_one() {
        let config = Config::builder().bearer_token(KEY).build();
        assert_eq!(scheme_of_op(&config, &CONVERSE).unwrap(), Scheme::Bearer);
        assert_eq!(
            scheme_of_op(&config, &GET_CALLER_IDENTITY).unwrap(),
            Scheme::SigV4
        );
        let prefer_v4 = Config::builder()
            .bearer_token(KEY)
            .auth_scheme_preference(["sigv4"])
            .build();
        assert_eq!(scheme_of_op(&prefer_v4, &CONVERSE).unwrap(), Scheme::SigV4);
    }

    #[test]
    fn a_preference_picks_among_the_schemes_the_operation_supports() {
        let config = Config::builder()
            .auth_scheme_preference(["sigv4a", "httpBearerAuth", "sigv4"])
            .build();
        // Bedrock supports bearer: the first preferred scheme it supports.
        assert_eq!(scheme_of_op(&config, &CONVERSE).unwrap(), Scheme::Bearer);
        // STS does not: its own first scheme.
        assert_eq!(
            scheme_of_op(&config, &GET_CALLER_IDENTITY).unwrap(),
            Scheme::SigV4
        );
    }

    #[test]
    fn no_auth_operations_and_bearer_services_are_recognised() {
        let config = Config::builder().build();
        assert_eq!(
            scheme_of_op(&config, &NO_AUTH_TRAIT).unwrap(),
            Scheme::NoAuth
        );
        assert_eq!(scheme_of_op(&config, &LEGACY_NONE).unwrap(), Scheme::NoAuth);
        assert_eq!(scheme_of_op(&config, &LIST_SPACES).unwrap(), Scheme::Bearer);
        let error = scheme_of_op(&config, &UNKNOWN_ONLY).unwrap_err();
        assert!(error.message.contains("aws.auth#sigv2"), "{error}");
    }

    #[tokio::test]
    async fn identities_follow_the_scheme() {
        // No credentials at all: a no-auth operation needs none.
        let config = Config::builder().build();
        let anonymous = identity(&handle(&config, &SIGNED).inner, &NO_AUTH_TRAIT).await;
        assert!(matches!(anonymous, Ok(Identity::Anonymous)));
        // A bearer service without a token says which variable to set.
        let Err(CallError::Other(crate::error::SdkError::Credentials(error))) =
            identity(&handle(&config, &CODECATALYST).inner, &LIST_SPACES).await
        else {
            panic!("expected a credentials error");
        };
        assert!(
            error.message().contains("AWS_BEARER_TOKEN_CODECATALYST"),
            "{error}"
        );
        // A token set in code is used.
        let config = Config::builder().bearer_token(KEY).build();
        let Ok(Identity::Token(token)) =
            identity(&handle(&config, &CODECATALYST).inner, &LIST_SPACES).await
        else {
            panic!("expected a token");
        };
        assert_eq!(token.token(), KEY);
        assert!(!format!("{config:?}").contains(KEY));
    }

    #[tokio::test]
    async fn codecatalyst_takes_the_profiles_sso_token() {
        let home = std::env::temp_dir().join(format!("stratus-auth-sso-{}", std::process::id()));
        std::fs::create_dir_all(home.join(".aws/sso/cache")).unwrap();
        std::fs::write(
            home.join(".aws/config"),
            "[default]\nsso_session = leak-test\n\n[sso-session leak-test]\n\
             sso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n",
        )
        .unwrap();
        // sha1("leak-test"), the cache key of the session name.
        std::fs::write(
            home.join(".aws/sso/cache/67f10be4fd7836042464467de37c453c72ba758b.json"),
            r#"{"startUrl":"https://example.awsapps.com/start","region":"us-east-1",
                "accessToken":"sso-access-token","expiresAt":"2099-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        let config = Config::builder()
            .load(Env::from_vars([("AWS_REGION", "us-east-1")]).with_home(&home))
            .unwrap();
        let Ok(Identity::Token(token)) =
            identity(&handle(&config, &CODECATALYST).inner, &LIST_SPACES).await
        else {
            panic!("expected the SSO token");
        };
        assert_eq!(token.token(), "sso-access-token");
        // Without the cache file: the error says what to set, and why the profile had none.
        std::fs::remove_dir_all(home.join(".aws/sso")).unwrap();
        let config = Config::builder()
            .load(Env::from_vars([("AWS_REGION", "us-east-1")]).with_home(&home))
            .unwrap();
        let result = identity(&handle(&config, &CODECATALYST).inner, &LIST_SPACES).await;
        let Err(CallError::Other(crate::error::SdkError::Credentials(error))) = result else {
            panic!("expected an error");
        };
        assert!(error.message().contains("sso"), "{error}");
        let _ = std::fs::remove_dir_all(&home);
    }

    #[test]
    fn the_bearer_variable_is_named_after_the_signing_name() {
        assert_eq!(bearer_env_var("bedrock"), "AWS_BEARER_TOKEN_BEDROCK");
        assert_eq!(bearer_env_var("sso-oauth"), "AWS_BEARER_TOKEN_SSO_OAUTH");
    }

    #[test]
    fn short_names_strip_the_namespace() {
        assert_eq!(short_name("aws.auth#sigv4"), "sigv4");
        assert_eq!(short_name("smithy.api#noAuth"), "noAuth");
        assert_eq!(scheme_of("sigv2"), None);
    }
}
