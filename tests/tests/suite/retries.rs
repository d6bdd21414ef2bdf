//! Retries, timeouts and broken responses, against a scripted server on 127.0.0.1.

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
    // Each problem names the member path, element by element.
    assert!(
        validation.problems[0].starts_with("AutoScalingGroupNames[0] has 0 characters"),
        "{err}"
    );
    assert!(
        validation.problems[1].starts_with("AutoScalingGroupNames[1] has 300 characters"),
        "{err}"
    );
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

mod broken {
    //! Broken responses (rest-xml and JSON): each is a typed error that names the operation
    //! and shows the start of the body, retried where botocore retries it; none panics.

    use super::fast_retries;
    use stratus_runtime::{Config, Credentials, SdkError};
    use stratus_tests::canned::{CannedServer, Reply};

    fn s3(server: &CannedServer) -> s3_client::Client {
        s3_client::Client::new(&config(server))
    }

    fn config(server: &CannedServer) -> Config {
        Config::builder()
            .region("us-east-1")
            .endpoint_url(server.endpoint())
            .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
            .retry(fast_retries())
            .build()
    }

    fn list() -> s3_client::ListObjectsV2Input {
        s3_client::ListObjectsV2Input {
            bucket: "bucket".into(),
            ..Default::default()
        }
    }

    fn reply(status: u16, content_type: &str, body: &str) -> Reply {
        Reply::Respond(
            status,
            vec![("Content-Type".into(), content_type.into())],
            body.into(),
        )
    }

    const LISTING: &str = "<ListBucketResult><Name>bucket</Name><KeyCount>1</KeyCount>\
        <Contents><Key>a</Key><Size>1</Size></Contents></ListBucketResult>";

    #[tokio::test]
    async fn a_malformed_or_truncated_document_is_retried_then_a_parse_error() {
        for body in [
            "<ListBucketResult><Name>bucket</Nam></ListBucketResult>",
            "<ListBucketResult><Name>bucket</Name><Contents><Key>a",
        ] {
            let server = CannedServer::start(vec![reply(200, "application/xml", body)]);
            let err = s3(&server).list_objects_v2(list()).await.expect_err(body);
            // S3 may stream the start of a document and then fail: retried like a 500.
            assert_eq!(server.received().len(), 3, "{body}");
            let SdkError::Response(parse) = &err else {
                panic!("{err:?}")
            };
            assert_eq!(parse.operation, "ListObjectsV2");
            assert_eq!(parse.body_start, format!("the body starts {body:?}"));
            assert!(
                err.to_string()
                    .starts_with("malformed ListObjectsV2 response: invalid XML"),
                "{err}"
            );
        }
        // A retry that gets the whole document succeeds.
        let server = CannedServer::start(vec![
            reply(200, "application/xml", "<ListBucketResult><Name>buck"),
            reply(200, "application/xml", LISTING),
        ]);
        let out = s3(&server)
            .list_objects_v2(list())
            .await
            .expect("the retry");
        assert_eq!(out.key_count, Some(1));
    }

    #[tokio::test]
    async fn a_web_page_in_place_of_the_answer_is_an_error() {
        let portal = "<!DOCTYPE html><html><body>Sign in to the hotel network</body></html>";
        let server = CannedServer::start(vec![reply(200, "text/html; charset=utf-8", portal)]);
        let err = s3(&server)
            .list_objects_v2(list())
            .await
            .expect_err("a web page");
        assert!(
            err.to_string().starts_with(
                "malformed ListObjectsV2 response: the response is an HTML page (Content-Type: \
                 text/html)"
            ),
            "{err}"
        );
        assert!(
            err.to_string().contains("Sign in to the hotel network"),
            "{err}"
        );
        // JSON where XML belongs.
        let server = CannedServer::start(vec![reply(
            200,
            "application/json",
            "{\"Name\":\"bucket\"}",
        )]);
        let err = s3(&server).list_objects_v2(list()).await.expect_err("JSON");
        assert!(
            err.to_string()
                .starts_with("malformed ListObjectsV2 response:")
                && err
                    .to_string()
                    .ends_with("(the body starts \"{\\\"Name\\\":\\\"bucket\\\"}\")"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_proxys_error_page_is_a_service_error_with_the_status() {
        let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        let server = CannedServer::start(vec![reply(502, "text/html", page)]);
        let err = s3(&server).list_objects_v2(list()).await.expect_err("502");
        assert_eq!(server.received().len(), 3, "a 502 is retried");
        assert_eq!(err.code(), Some("502"));
        assert!(
            err.to_string()
                .starts_with("502: Bad Gateway (ListObjectsV2 got a response that is not an AWS error: the body starts \"<html><head><title>502 Bad Gateway"),
            "{err}"
        );
        let server = CannedServer::start(vec![reply(
            403,
            "text/html",
            "<html>Forbidden by proxy</html>",
        )]);
        let err = s3(&server).list_objects_v2(list()).await.expect_err("403");
        assert_eq!(server.received().len(), 1, "a 403 is not retried");
        assert_eq!(err.code(), Some("403"));
        assert!(err.to_string().contains("Forbidden by proxy"), "{err}");
    }

    #[tokio::test]
    async fn an_error_inside_a_200_is_retried() {
        // CompleteMultipartUpload can fail after S3 began answering 200.
        let error = "<Error><Code>InternalError</Code><Message>We encountered an internal \
                     error. Please try again.</Message><RequestId>r</RequestId></Error>";
        let done = "<CompleteMultipartUploadResult><Bucket>bucket</Bucket><Key>k</Key>\
                    <ETag>\"e-2\"</ETag></CompleteMultipartUploadResult>";
        let server = CannedServer::start(vec![
            reply(200, "application/xml", error),
            reply(200, "application/xml", done),
        ]);
        let out = s3(&server)
            .complete_multipart_upload(s3_client::CompleteMultipartUploadInput {
                bucket: "bucket".into(),
                key: "k".into(),
                upload_id: "u".into(),
                ..Default::default()
            })
            .await
            .expect("the retry succeeds");
        assert_eq!(out.e_tag.as_deref(), Some("\"e-2\""));
        assert_eq!(server.received().len(), 2);
        // Every attempt failing: the service's error, typed.
        let server = CannedServer::start(vec![reply(200, "application/xml", error)]);
        let err = s3(&server)
            .complete_multipart_upload(s3_client::CompleteMultipartUploadInput {
                bucket: "bucket".into(),
                key: "k".into(),
                upload_id: "u".into(),
                ..Default::default()
            })
            .await
            .expect_err("every attempt fails");
        assert_eq!(server.received().len(), 3);
        assert_eq!(err.code(), Some("InternalError"));
    }

    #[tokio::test]
    async fn a_malformed_expires_header_does_not_fail_the_call() {
        let server = CannedServer::start(vec![Reply::Respond(
            200,
            vec![
                ("Expires".into(), "not a date".into()),
                ("ETag".into(), "\"e\"".into()),
            ],
            String::new(),
        )]);
        let out = s3(&server)
            .head_object(s3_client::HeadObjectInput {
                bucket: "bucket".into(),
                key: "k".into(),
                ..Default::default()
            })
            .await
            .expect("the call succeeds");
        #[allow(deprecated)]
        let expires = out.expires;
        assert_eq!(expires, None);
        assert_eq!(out.e_tag.as_deref(), Some("\"e\""));
    }

    #[tokio::test]
    async fn other_services_do_not_retry_a_malformed_document() {
        let server = CannedServer::start(vec![reply(
            200,
            "text/xml",
            "<DistributionList><Quantity>x</Quantity></DistributionList>",
        )]);
        let err = cloudfront_client::Client::new(&config(&server))
            .list_distributions(Default::default())
            .await
            .expect_err("malformed");
        assert_eq!(server.received().len(), 1);
        assert_eq!(
            err.to_string(),
            // CloudFront's output holds sensitive shapes (a distribution's comment), so the
            // message says what the body is, not what it says.
            "malformed ListDistributions response: \"x\" in <Quantity> is not an integer (the body \
             (59 bytes of XML) is not shown: the output holds sensitive values)"
        );
    }

    /// The JSON protocols: malformed JSON, XML where JSON belongs, values out of range and
    /// deeply nested documents are typed parse errors naming the operation; an error
    /// response that is not JSON keeps its text as the message.
    #[tokio::test]
    async fn broken_json_answers_are_typed_errors() {
        // Lists of lists of attribute values, 10,000 levels of JSON deep.
        let deep = format!(
            "{{\"Item\":{{\"a\":{}{}}}}}",
            r#"{"L":["#.repeat(5_000),
            "]}".repeat(5_000)
        );
        for (body, expected) in [
            (r#"{"Item": {"id": {"S": "a"}"#.to_string(), "EOF"),
            ("<GetItemResponse/>".to_string(), "expected value"),
            (
                r#"{"ConsumedCapacity": {"CapacityUnits": "x"}}"#.to_string(),
                "CapacityUnits",
            ),
            (deep, "recursion limit"),
        ] {
            let server = CannedServer::start(vec![reply(200, "application/x-amz-json-1.0", &body)]);
            let err = dynamodb_client::Client::new(&config(&server))
                .get_item(dynamodb_client::GetItemInput {
                    table_name: "t".into(),
                    key: [("id".to_string(), "a".into())].into(),
                    ..Default::default()
                })
                .await
                .expect_err("a broken answer");
            let SdkError::Response(parse) = &err else {
                panic!("{err:?}")
            };
            assert_eq!(parse.operation, "GetItem");
            assert!(
                parse.message.contains(expected),
                "{}: {err}",
                &body[..body.len().min(60)]
            );
        }
        let server = CannedServer::start(vec![reply(400, "text/plain", "Request body too large")]);
        let err = dynamodb_client::Client::new(&config(&server))
            .list_tables(Default::default())
            .await
            .expect_err("a 400");
        assert_eq!(err.code(), Some("400"));
        assert!(err.to_string().contains("Request body too large"), "{err}");
    }
}
