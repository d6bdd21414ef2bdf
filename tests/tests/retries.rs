//! Retries and faults against a scripted server on 127.0.0.1.

use autoscaling_client::{Client, DescribeAutoScalingGroupsInput};
use std::time::{Duration, Instant};
use stratus_runtime::retry::RetryConfig;
use stratus_runtime::{Config, Credentials, SdkError};
use stratus_tests::canned::{CannedServer, Reply};

const EMPTY_GROUPS: &str = r#"<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
  <DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult>
  <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata>
</DescribeAutoScalingGroupsResponse>"#;

fn error(code: &str) -> String {
    format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>scripted</Message></Error>\
         <RequestId>req-err</RequestId></ErrorResponse>"
    )
}

fn config(server: &CannedServer, retry: RetryConfig) -> Config {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(server.endpoint())
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .retry(retry)
        .build()
}

fn fast_retries() -> RetryConfig {
    RetryConfig {
        base_delay: Duration::from_millis(10),
        quota: false,
        ..RetryConfig::default()
    }
}

#[tokio::test]
async fn a_503_is_retried_once_then_succeeds() {
    let server = CannedServer::start(vec![
        Reply::xml(503, &error("ServiceUnavailable")),
        Reply::xml(200, EMPTY_GROUPS),
    ]);
    let out = Client::new(&config(&server, fast_retries()))
        .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput::default())
        .await
        .expect("the retry succeeds");
    assert!(out.auto_scaling_groups.is_empty());
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].header("amz-sdk-request"),
        Some("attempt=1; max=3")
    );
    assert_eq!(
        received[1].header("amz-sdk-request"),
        Some("attempt=2; max=3")
    );
    assert_eq!(
        received[0].header("amz-sdk-invocation-id"),
        received[1].header("amz-sdk-invocation-id")
    );
}

#[tokio::test]
async fn throttling_backs_off_between_attempts() {
    let server = CannedServer::start(vec![
        Reply::xml(400, &error("Throttling")),
        Reply::xml(400, &error("Throttling")),
        Reply::xml(200, EMPTY_GROUPS),
    ]);
    let retry = RetryConfig {
        base_delay: Duration::from_millis(150),
        jitter: false,
        quota: false,
        ..RetryConfig::default()
    };
    let started = Instant::now();
    Client::new(&config(&server, retry))
        .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput::default())
        .await
        .expect("succeeds on the third attempt");
    // Without jitter the waits are the ceilings: 150 ms, then 300 ms.
    let elapsed = started.elapsed();
    assert_eq!(server.received().len(), 3);
    assert!(elapsed >= Duration::from_millis(450), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn throttling_gives_up_after_max_attempts() {
    let server = CannedServer::start(vec![Reply::xml(400, &error("Throttling"))]);
    let err = Client::new(&config(&server, fast_retries()))
        .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput::default())
        .await
        .expect_err("always throttled");
    assert_eq!(err.code(), Some("Throttling"));
    assert_eq!(err.to_string(), "Throttling: scripted (request id req-err)");
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let server = CannedServer::start(vec![
        Reply::xml(400, &error("ValidationError")),
        Reply::xml(200, EMPTY_GROUPS),
    ]);
    let err = Client::new(&config(&server, fast_retries()))
        .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput::default())
        .await
        .expect_err("a 400 is final");
    assert_eq!(err.code(), Some("ValidationError"));
    assert_eq!(err.request_id(), Some("req-err"));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn an_idempotency_token_is_the_same_on_every_attempt() {
    let server = CannedServer::start(vec![
        Reply::xml(
            503,
            "<Response><Errors><Error><Code>Unavailable</Code></Error></Errors></Response>",
        ),
        Reply::xml(
            500,
            "<Response><Errors><Error><Code>InternalError</Code></Error></Errors></Response>",
        ),
        Reply::xml(
            200,
            "<RunInstancesResponse><reservationId>r-1</reservationId></RunInstancesResponse>",
        ),
    ]);
    let ec2 = ec2_client::Client::new(&config(&server, fast_retries()));
    let out = ec2
        .run_instances(ec2_client::RunInstancesInput {
            image_id: Some("ami-1".into()),
            min_count: 1,
            max_count: 1,
            ..Default::default()
        })
        .await
        .expect("third attempt succeeds");
    assert_eq!(out.reservation_id.as_deref(), Some("r-1"));
    let tokens: Vec<String> = server
        .received()
        .iter()
        .map(|r| {
            r.body
                .split('&')
                .find_map(|kv| kv.strip_prefix("ClientToken="))
                .expect("every attempt carries the token")
                .to_string()
        })
        .collect();
    assert_eq!(tokens.len(), 3);
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
    assert_eq!(tokens[0].len(), 36, "a UUID");
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_retried() {
    let server = CannedServer::start(vec![Reply::Hang, Reply::xml(200, EMPTY_GROUPS)]);
    Client::new(&config(&server, fast_retries()))
        .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput::default())
        .await
        .expect("the second connection answers");
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_slow_attempt_times_out_and_is_retried() {
    let server = CannedServer::start(vec![
        Reply::Delay(
            Duration::from_secs(2),
            Box::new(Reply::xml(200, EMPTY_GROUPS)),
        ),
        Reply::xml(200, EMPTY_GROUPS),
    ]);
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.endpoint())
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .retry(fast_retries())
        .attempt_timeout(Duration::from_millis(300))
        .build();
    let started = Instant::now();
    Client::new(&config)
        .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput::default())
        .await
        .expect("the second attempt answers in time");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_transport_error() {
    // A port nothing listens on: bind one, then close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .retry(RetryConfig {
            max_attempts: 2,
            ..fast_retries()
        })
        .build();
    let err = Client::new(&config)
        .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput::default())
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, SdkError::Transport(_)), "{err:?}");
    assert!(
        err.to_string().starts_with("sending the request failed"),
        "{err}"
    );
}

#[tokio::test]
async fn invalid_input_fails_before_any_request() {
    let server = CannedServer::start(vec![Reply::xml(200, EMPTY_GROUPS)]);
    let err = Client::new(&config(&server, fast_retries()))
        .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput {
            auto_scaling_group_names: Some(vec![String::new(), "x".repeat(300)]),
            ..Default::default()
        })
        .await
        .expect_err("invalid");
    let SdkError::Validation(validation) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(validation.problems.len(), 2, "{err}");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_signature_mismatch_is_not_retried() {
    let server = CannedServer::start(vec![
        Reply::xml(403, &error("SignatureDoesNotMatch")),
        Reply::xml(200, EMPTY_GROUPS),
    ]);
    let err = Client::new(&config(&server, fast_retries()))
        .describe_auto_scaling_groups(DescribeAutoScalingGroupsInput::default())
        .await
        .expect_err("a bad signature is final");
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"));
    assert_eq!(server.received().len(), 1);
}
