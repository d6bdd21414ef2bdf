//! Request bodies as they go on the wire: what stands for them in the signature, how their
//! checksums travel, and which of them a retry can send again. Against the stub transport
//! (what the pipeline hands the transport) and a scripted server (what arrives).

use s3_client::{ChecksumAlgorithm, Client, PutObjectInput};
use std::time::Duration;
use stratus_runtime::config::ConfigBuilder;
use stratus_runtime::protocol::HttpRequest;
use stratus_runtime::retry::RetryConfig;
use stratus_runtime::transport::StubClient;
use stratus_runtime::{ByteStream, Config, Credentials};
use stratus_tests::canned::{CannedServer, Reply};

fn builder(endpoint: &str) -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
}

/// The request a `PutObject` of `body` sends through `builder`.
async fn put(
    builder: ConfigBuilder,
    body: ByteStream,
    algorithm: Option<ChecksumAlgorithm>,
) -> HttpRequest {
    let stub = StubClient::new();
    stub.push_response(200, "");
    let s3 = Client::new(&builder.http_client(stub.clone()).build());
    s3.put_object(PutObjectInput {
        bucket: "bucket".into(),
        key: "key".into(),
        body: Some(body),
        checksum_algorithm: algorithm,
        ..Default::default()
    })
    .await
    .expect("put");
    stub.requests().remove(0)
}

fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

fn chunks(parts: &'static [&'static str]) -> ByteStream {
    let parts = parts
        .iter()
        .map(|p| Ok::<_, std::io::Error>(bytes::Bytes::from_static(p.as_bytes())));
    ByteStream::from_stream(futures_util::stream::iter(parts))
}

/// The SHA-256 of "Hello world", as Python's hashlib computes it.
const HELLO_SHA256: &str = "64ec88ca00b268e5ba1a35678a1b5316d212f4f366b2477232534a8aeca37f3c";

#[tokio::test]
async fn bodies_in_memory_carry_a_crc32_header_and_a_signed_payload() {
    let request = put(
        builder("http://s3.test"),
        ByteStream::from("Hello world"),
        None,
    )
    .await;
    assert_eq!(header(&request, "x-amz-checksum-crc32"), Some("i9aeUg=="));
    assert_eq!(
        header(&request, "x-amz-sdk-checksum-algorithm"),
        Some("CRC32")
    );
    assert_eq!(header(&request, "x-amz-content-sha256"), Some(HELLO_SHA256));
    assert_eq!(header(&request, "content-length"), Some("11"));
    assert_eq!(header(&request, "expect"), Some("100-continue"));
    assert_eq!(request.body(), "Hello world");
    // Over HTTPS, a streaming upload with a checksum header goes unsigned (S3SigV4Auth's
    // rule; botocore would send this body as a trailer, as it makes every PutObject body a
    // file, where Stratus keeps bodies in memory plain).
    let request = put(
        builder("https://s3.test"),
        ByteStream::from("Hello world"),
        None,
    )
    .await;
    assert_eq!(
        header(&request, "x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    assert_eq!(header(&request, "x-amz-checksum-crc32"), Some("i9aeUg=="));
    // ... unless payload signing is asked for; and never when it is turned off.
    let request = put(
        builder("https://s3.test").s3_payload_signing(true),
        ByteStream::from("Hello world"),
        None,
    )
    .await;
    assert_eq!(header(&request, "x-amz-content-sha256"), Some(HELLO_SHA256));
    let request = put(
        builder("http://s3.test").s3_payload_signing(false),
        ByteStream::from("Hello world"),
        None,
    )
    .await;
    assert_eq!(
        header(&request, "x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    // The algorithm the caller picks, and none when only required ones are computed.
    let request = put(
        builder("http://s3.test"),
        ByteStream::from("Hello world"),
        Some(ChecksumAlgorithm::Sha256),
    )
    .await;
    assert_eq!(
        header(&request, "x-amz-checksum-sha256"),
        Some("ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=")
    );
    assert_eq!(
        header(&request, "x-amz-sdk-checksum-algorithm"),
        Some("SHA256")
    );
    let request = put(
        builder("http://s3.test")
            .request_checksum_calculation(stratus_runtime::config::ChecksumWhen::WhenRequired),
        ByteStream::from("Hello world"),
        None,
    )
    .await;
    assert!(
        !request
            .headers()
            .keys()
            .any(|k| k.as_str().starts_with("x-amz-checksum-")),
        "{:?}",
        request.headers()
    );
}

#[tokio::test]
async fn streamed_bodies_carry_their_checksum_in_an_aws_chunked_trailer() {
    // A stream, over HTTPS or not: it cannot be read twice, so its checksum follows it.
    for endpoint in ["https://s3.test", "http://s3.test"] {
        let request = put(
            builder(endpoint),
            chunks(&["Hello", " world"]).with_content_length(11),
            None,
        )
        .await;
        assert_eq!(
            header(&request, "x-amz-content-sha256"),
            Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
            "{endpoint}"
        );
    }
    let request = put(
        builder("https://s3.test"),
        chunks(&["Hello", " world"]).with_content_length(11),
        None,
    )
    .await;
    assert_eq!(
        header(&request, "x-amz-content-sha256"),
        Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    );
    assert_eq!(header(&request, "content-encoding"), Some("aws-chunked"));
    assert_eq!(
        header(&request, "x-amz-trailer"),
        Some("x-amz-checksum-crc32")
    );
    assert_eq!(header(&request, "x-amz-decoded-content-length"), Some("11"));
    assert_eq!(header(&request, "content-length"), None);
    assert_eq!(
        request.body(),
        "b\r\nHello world\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n"
    );
    // The length given as `ContentLength` when the stream does not know it.
    let stub = StubClient::new();
    stub.push_response(200, "");
    Client::new(&builder("https://s3.test").http_client(stub.clone()).build())
        .put_object(PutObjectInput {
            bucket: "bucket".into(),
            key: "key".into(),
            body: Some(chunks(&["Hello", " world"])),
            content_length: Some(11),
            ..Default::default()
        })
        .await
        .expect("put");
    let request = stub.requests().remove(0);
    assert_eq!(header(&request, "x-amz-decoded-content-length"), Some("11"));

    // A file over HTTPS: read from the disk, the same encoding; over plain HTTP, read once
    // for its checksum and its hash, then sent plain, as botocore sends a seekable body.
    let path = std::env::temp_dir().join(format!("stratus-bodies-{}", std::process::id()));
    std::fs::write(&path, "Hello world").expect("write");
    let request = put(
        builder("https://s3.test"),
        ByteStream::from_path(&path).await.expect("the file"),
        Some(ChecksumAlgorithm::Crc32C),
    )
    .await;
    assert_eq!(
        header(&request, "x-amz-trailer"),
        Some("x-amz-checksum-crc32c")
    );
    assert_eq!(
        request.body(),
        "b\r\nHello world\r\n0\r\nx-amz-checksum-crc32c:crUfeA==\r\n\r\n"
    );
    let request = put(
        builder("http://s3.test"),
        ByteStream::from_path(&path).await.expect("the file"),
        Some(ChecksumAlgorithm::Crc32C),
    )
    .await;
    std::fs::remove_file(&path).expect("remove");
    assert_eq!(header(&request, "x-amz-checksum-crc32c"), Some("crUfeA=="));
    assert_eq!(header(&request, "x-amz-content-sha256"), Some(HELLO_SHA256));
    assert_eq!(header(&request, "content-length"), Some("11"));
    assert_eq!(request.body(), "Hello world");
}

#[tokio::test]
async fn a_file_sent_with_a_checksum_trailer_is_encoded_again_for_a_retry() {
    // Default settings, over HTTPS: a file goes aws-chunked with its CRC32 as a trailer.
    let path = std::env::temp_dir().join(format!("stratus-trailer-retry-{}", std::process::id()));
    std::fs::write(&path, "Hello world").expect("write");
    let stub = StubClient::new();
    stub.push_response(
        500,
        "<Error><Code>InternalError</Code><Message>m</Message></Error>",
    );
    stub.push_response(200, "");
    let s3 = Client::new(
        &builder("https://s3.test")
            .retry(retries())
            .http_client(stub.clone())
            .build(),
    );
    s3.put_object(PutObjectInput {
        bucket: "bucket".into(),
        key: "key".into(),
        body: Some(ByteStream::from_path(&path).await.expect("the file")),
        ..Default::default()
    })
    .await
    .expect("the retry succeeds");
    std::fs::remove_file(&path).expect("remove");
    let requests = stub.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(
            request.body(),
            "b\r\nHello world\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n"
        );
    }
}

fn retries() -> RetryConfig {
    RetryConfig {
        base_delay: Duration::from_millis(10),
        quota: false,
        ..RetryConfig::default()
    }
}

fn server_error() -> Reply {
    Reply::xml(
        500,
        "<Error><Code>InternalError</Code><Message>try again</Message></Error>",
    )
}

#[tokio::test]
async fn a_file_body_is_sent_again_on_retry_and_a_stream_is_not() {
    let path = std::env::temp_dir().join(format!("stratus-retry-{}", std::process::id()));
    let data: String = (0..50_000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    std::fs::write(&path, &data).expect("write");
    let server = CannedServer::start(vec![server_error(), Reply::xml(200, "")]);
    let s3 = Client::new(
        &builder(&server.endpoint())
            .retry(retries())
            .request_checksum_calculation(stratus_runtime::config::ChecksumWhen::WhenRequired)
            .build(),
    );
    s3.put_object(PutObjectInput {
        bucket: "bucket".into(),
        key: "key".into(),
        body: Some(ByteStream::from_path(&path).await.expect("the file")),
        ..Default::default()
    })
    .await
    .expect("the retry succeeds");
    std::fs::remove_file(&path).expect("remove");
    let received = server.received();
    assert_eq!(received.len(), 2);
    for request in &received {
        assert_eq!(request.body, data, "each attempt sends the whole file");
    }
    // Over plain HTTP a file is signed: its SHA-256, read before the first attempt.
    assert_eq!(
        received[0].header("x-amz-content-sha256").map(str::len),
        Some(64)
    );

    // A stream goes once: the 500 is the answer.
    let server = CannedServer::start(vec![server_error(), Reply::xml(200, "")]);
    let s3 = Client::new(
        &builder(&server.endpoint())
            .retry(retries())
            .request_checksum_calculation(stratus_runtime::config::ChecksumWhen::WhenRequired)
            .build(),
    );
    let err = s3
        .put_object(PutObjectInput {
            bucket: "bucket".into(),
            key: "key".into(),
            body: Some(chunks(&["Hello", " world"]).with_content_length(11)),
            ..Default::default()
        })
        .await
        .expect_err("not retried");
    assert_eq!(server.received().len(), 1);
    assert_eq!(err.code(), Some("InternalError"));
    assert_eq!(
        server.received()[0].header("x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD"),
        "a stream cannot be hashed before it is sent"
    );
}

#[tokio::test]
async fn a_stream_shorter_than_its_declared_length_fails_the_call() {
    let server = CannedServer::start(vec![Reply::xml(200, "")]);
    let s3 = Client::new(
        &builder(&server.endpoint())
            .max_attempts(1)
            .attempt_timeout(Duration::from_secs(5))
            .request_checksum_calculation(stratus_runtime::config::ChecksumWhen::WhenRequired)
            .build(),
    );
    let err = s3
        .put_object(PutObjectInput {
            bucket: "bucket".into(),
            key: "key".into(),
            body: Some(chunks(&["Hello"]).with_content_length(11)),
            ..Default::default()
        })
        .await
        .expect_err("5 of 11 bytes");
    assert!(
        err.to_string()
            .contains("the body produced 5 bytes, but its length was declared as 11"),
        "{err}"
    );
}
