//! Auth schemes chosen as botocore chooses them, through the generated clients and the stub
//! transport: a no-auth operation sends no signature and needs no credentials, Bedrock
//! Runtime takes a bearer key from `AWS_BEARER_TOKEN_BEDROCK` and SigV4 otherwise, and
//! DynamoDB's endpoint follows the account of the credentials (`AWS::Auth::AccountId`).

use stratus_runtime::profile::Env;
use stratus_runtime::transport::StubClient;
use stratus_runtime::{Config, Credentials};

const KEY: &str = "ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQtZm9yLXRlc3Rz";

/// An environment with only `vars`, whose home has no `.aws` files.
fn env(vars: &[(&str, &str)]) -> Env {
    let home = std::env::temp_dir().join("stratus-auth-tests-empty-home");
    Env::from_vars(vars.iter().copied()).with_home(home)
}

fn header<'a>(request: &'a http::Request<bytes::Bytes>, name: &str) -> Option<&'a str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn a_no_auth_operation_needs_no_credentials_and_sends_no_signature() {
    let stub = StubClient::new();
    stub.push_response(
        200,
        "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <AssumeRoleWithWebIdentityResult><Credentials>\
         <AccessKeyId>ASIAWEBIDENTITY</AccessKeyId><SecretAccessKey>s3cret</SecretAccessKey>\
         <SessionToken>t0ken</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>\
         </Credentials></AssumeRoleWithWebIdentityResult>\
         <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>\
         </AssumeRoleWithWebIdentityResponse>",
    );
    // No credentials anywhere: not in the builder, not in the (empty) environment, and no
    // instance metadata service (the stub would answer for it).
    let config = Config::builder()
        .http_client(stub.clone())
        .load(env(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]))
        .unwrap();
    let sts = sts_client::Client::new(&config);
    let output = sts
        .assume_role_with_web_identity(sts_client::AssumeRoleWithWebIdentityInput {
            role_arn: "arn:aws:iam::123456789012:role/ci".into(),
            role_session_name: "ci".into(),
            web_identity_token: "eyJhbGciOi.jwt.sig".into(),
            ..Default::default()
        })
        .await
        .expect("a no-auth call without credentials");
    let creds = output.credentials.expect("credentials");
    assert_eq!(creds.access_key_id, "ASIAWEBIDENTITY");
    let requests = stub.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(header(&requests[0], "authorization"), None);
    assert_eq!(header(&requests[0], "x-amz-security-token"), None);
    assert_eq!(
        requests[0].uri().host(),
        Some("sts.eu-west-1.amazonaws.com")
    );

    // A signed STS operation with the same configuration fails for want of credentials,
    // and the error lists what each provider of the chain said.
    let error = sts
        .get_caller_identity(Default::default())
        .await
        .expect_err("no credentials");
    let text = error.to_string();
    assert!(
        text.contains("environment: AWS_ACCESS_KEY_ID is not set"),
        "{text}"
    );
    assert!(text.contains("shared-credentials-file"), "{text}");
    assert!(text.contains("imds: "), "{text}");
    assert_eq!(stub.requests().len(), 1, "nothing more was sent");
}

#[tokio::test]
async fn bedrock_runtime_sends_the_environment_key_as_a_bearer_token_and_sigv4_otherwise() {
    let credentials = Credentials::new("AKIDBEDROCK", "s3cr3t", None, None, "test");
    let call = |vars: &[(&str, &str)]| {
        let stub = StubClient::new();
        stub.push_response(200, r#"{"asyncInvokeSummaries":[]}"#);
        let config = Config::builder()
            .http_client(stub.clone())
            .credentials(credentials.clone())
            .load(env(vars))
            .unwrap();
        async move {
            let client = bedrock_runtime_client::Client::new(&config);
            client
                .list_async_invokes(Default::default())
                .await
                .expect("list async invokes");
            let requests = stub.requests();
            assert_eq!(requests.len(), 1);
            (
                header(&requests[0], "authorization").map(str::to_owned),
                format!("{config:?}"),
            )
        }
    };

    let (authorization, debug) = call(&[
        ("AWS_REGION", "us-east-1"),
        ("AWS_BEARER_TOKEN_BEDROCK", KEY),
    ])
    .await;
    assert_eq!(authorization, Some(format!("Bearer {KEY}")));
    assert!(
        !debug.contains(KEY),
        "the key must not appear in Debug: {debug}"
    );

    let (authorization, _) = call(&[("AWS_REGION", "us-east-1")]).await;
    let authorization = authorization.expect("a SigV4 Authorization header");
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDBEDROCK/")
            && authorization.contains("/us-east-1/bedrock/aws4_request"),
        "{authorization}"
    );

    // A preference for SigV4 in the profile or environment does not turn the key off
    // (botocore's rule: only a choice made in code does).
    let (authorization, _) = call(&[
        ("AWS_REGION", "us-east-1"),
        ("AWS_BEARER_TOKEN_BEDROCK", KEY),
        ("AWS_AUTH_SCHEME_PREFERENCE", "sigv4"),
    ])
    .await;
    assert_eq!(authorization, Some(format!("Bearer {KEY}")));
}

#[tokio::test]
async fn dynamodb_endpoints_follow_the_account_of_the_credentials() {
    let host_for = |mode: Option<&str>| {
        let stub = StubClient::new();
        stub.push_response(200, r#"{"TableNames":[]}"#);
        let credentials = Credentials::new("AKIDACCOUNT", "s3cr3t", None, None, "test")
            .with_account_id("111122223333");
        let mut vars = vec![("AWS_REGION", "us-east-1")];
        if let Some(mode) = mode {
            vars.push(("AWS_ACCOUNT_ID_ENDPOINT_MODE", mode));
        }
        let config = Config::builder()
            .http_client(stub.clone())
            .credentials(credentials)
            .load(env(&vars))
            .unwrap();
        async move {
            dynamodb_client::Client::new(&config)
                .list_tables(Default::default())
                .await
                .expect("list tables");
            stub.requests()[0].uri().host().map(str::to_owned)
        }
    };
    assert_eq!(
        host_for(None).await.as_deref(),
        Some("111122223333.ddb.us-east-1.amazonaws.com")
    );
    assert_eq!(
        host_for(Some("disabled")).await.as_deref(),
        Some("dynamodb.us-east-1.amazonaws.com")
    );
}
