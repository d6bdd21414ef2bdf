//! rest-xml requests compared with botocore's, the reference Stratus is generated to match:
//! for the same input, the same method, URL, headers and body (XML compared as documents).
//!
//! botocore (installed with moto in the virtualenv under `target/`) serializes each case
//! through `tests/moto/botocore_request.py` without sending anything; Stratus's request is
//! the one its stub transport captures. Headers that differ by nature (signature, date, user
//! agent, invocation id, attempt count) are not compared; every other header either side
//! sends must be on both, with the same value; bodies must be the same bytes.

use serde_json::{Value as Json, json};
use std::future::Future;
use std::process::Command;
use stratus_runtime::protocol::HttpRequest;
use stratus_runtime::transport::StubClient;
use stratus_runtime::{ByteStream, Config, Credentials};

/// Headers that differ between any two SDKs or any two calls, or that botocore leaves to its
/// HTTP client (`host`, which Stratus sets before signing).
const NOT_COMPARED: [&str; 8] = [
    "host",
    "authorization",
    "x-amz-date",
    "user-agent",
    "x-amz-user-agent",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    // botocore's request before sending; the transport adds or keeps it as the body needs.
    "transfer-encoding",
];

/// A case: the service, botocore's method name, its parameters, the endpoint URL, and the
/// same call made through Stratus.
struct Case {
    name: &'static str,
    service: &'static str,
    operation: &'static str,
    params: Json,
    endpoint: &'static str,
    request: HttpRequest,
}

/// The request Stratus sends for `call`, captured by a stub that answers an empty 200.
async fn capture<F, Fut>(endpoint: &str, call: F) -> HttpRequest
where
    F: FnOnce(Config) -> Fut,
    Fut: Future<Output = ()>,
{
    let stub = StubClient::new();
    stub.push_response(200, "");
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test",
        ))
        .max_attempts(1)
        .http_client(stub.clone())
        .build();
    call(config).await;
    stub.requests()
        .into_iter()
        .next()
        .expect("Stratus sent the request")
}

/// botocore's requests for `cases`.
fn botocore(cases: &[Case]) -> Vec<Json> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/moto");
    let python = stratus_tests::moto::python().expect("the virtualenv's python");
    let input: Vec<Json> = cases
        .iter()
        .map(|c| {
            json!({"service": c.service, "operation": c.operation, "params": c.params,
                   "endpoint_url": c.endpoint})
        })
        .collect();
    let mut child = Command::new(python)
        .arg(format!("{dir}/botocore_request.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run botocore");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(serde_json::to_string(&input).expect("JSON").as_bytes())
            .expect("write the cases");
    }
    let out = child.wait_with_output().expect("botocore's requests");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("botocore's JSON")
}

/// A URL with its query parameters sorted.
fn sorted_query(url: &str) -> (String, Vec<String>) {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    params.sort();
    (base.to_string(), params)
}

fn compare(case: &Case, theirs: &Json) -> Vec<String> {
    let mut problems = Vec::new();
    let ours = &case.request;
    if ours.method().as_str() != theirs["method"] {
        problems.push(format!(
            "method: ours {}, botocore {}",
            ours.method(),
            theirs["method"]
        ));
    }
    // The query's order: botocore follows the order of the caller's dict, Stratus the
    // model's (the signature sorts them anyway); the parameters must be the same.
    let ours_url = ours.uri().to_string();
    let their_url = theirs["url"].as_str().unwrap_or_default().to_string();
    if sorted_query(&ours_url) != sorted_query(&their_url) {
        problems.push(format!("URL: ours {ours_url}, botocore {their_url}"));
    }
    let their_headers: Vec<(String, String)> = theirs["headers"]
        .as_object()
        .expect("headers")
        .iter()
        .map(|(k, v)| {
            (
                k.to_ascii_lowercase(),
                v.as_str().unwrap_or_default().to_string(),
            )
        })
        .filter(|(k, _)| !NOT_COMPARED.contains(&k.as_str()))
        .collect();
    for (name, value) in &their_headers {
        match ours
            .headers()
            .get(name.as_str())
            .map(|v| v.to_str().unwrap_or("(bytes)"))
        {
            Some(ours) if ours == value => {}
            Some(ours) => {
                problems.push(format!("header {name}: ours {ours:?}, botocore {value:?}"))
            }
            None => problems.push(format!(
                "header {name}: botocore sends {value:?}, ours nothing"
            )),
        }
    }
    for (name, value) in ours.headers() {
        let name = name.as_str();
        if !NOT_COMPARED.contains(&name) && !their_headers.iter().any(|(k, _)| k == name) {
            problems.push(format!("header {name}: ours {value:?}, botocore nothing"));
        }
    }
    // Bodies byte for byte: XML as ElementTree writes it (escapes, `<a />`) included.
    let ours_body = String::from_utf8_lossy(ours.body());
    let their_body = theirs["body"].as_str().unwrap_or_default();
    if ours_body != their_body {
        problems.push(format!("body: ours {ours_body:?}, botocore {their_body:?}"));
    }
    problems
}

const S3: &str = "http://s3.wire.test";
const CLOUDFRONT: &str = "https://cloudfront.amazonaws.com";
const ROUTE53: &str = "https://route53.amazonaws.com";

async fn cases() -> Vec<Case> {
    use cloudfront_client as cf;
    use route53_client as r53;
    use s3_client as s3;
    let mut cases = Vec::new();

    let request = capture(S3, |c| async move {
        let _ = s3::Client::new(&c)
            .put_object(s3::PutObjectInput {
                bucket: "wire".into(),
                key: "dir/a b+c~é.txt".into(),
                body: Some(ByteStream::from("Hello world")),
                content_type: Some("text/plain".into()),
                metadata: Some([("color".to_string(), "blue".to_string())].into()),
                cache_control: Some("max-age=60".into()),
                ..Default::default()
            })
            .await;
    })
    .await;
    cases.push(Case {
        name: "s3 PutObject",
        service: "s3",
        operation: "put_object",
        params: json!({"Bucket": "wire", "Key": "dir/a b+c~é.txt", "Body": "Hello world",
                       "ContentType": "text/plain", "Metadata": {"color": "blue"},
                       "CacheControl": "max-age=60"}),
        endpoint: S3,
        request,
    });

    let request = capture(S3, |c| async move {
        let _ = s3::Client::new(&c)
            .copy_object(s3::CopyObjectInput {
                bucket: "wire".into(),
                key: "copy".into(),
                copy_source: "source/a b/é?versionId=v1".into(),
                metadata_directive: Some(s3::MetadataDirective::Replace),
                ..Default::default()
            })
            .await;
    })
    .await;
    cases.push(Case {
        name: "s3 CopyObject",
        service: "s3",
        operation: "copy_object",
        params: json!({"Bucket": "wire", "Key": "copy", "CopySource": "source/a b/é?versionId=v1",
                       "MetadataDirective": "REPLACE"}),
        endpoint: S3,
        request,
    });

    let request = capture(S3, |c| async move {
        let _ = s3::Client::new(&c)
            .list_objects_v2(s3::ListObjectsV2Input {
                bucket: "wire".into(),
                prefix: Some("logs/2026 12/".into()),
                max_keys: Some(50),
                start_after: Some("logs/a+b".into()),
                ..Default::default()
            })
            .await;
    })
    .await;
    cases.push(Case {
        name: "s3 ListObjectsV2",
        service: "s3",
        operation: "list_objects_v2",
        params: json!({"Bucket": "wire", "Prefix": "logs/2026 12/", "MaxKeys": 50,
                       "StartAfter": "logs/a+b"}),
        endpoint: S3,
        request,
    });

    let request = capture(S3, |c| async move {
        let _ = s3::Client::new(&c)
            .delete_objects(s3::DeleteObjectsInput {
                bucket: "wire".into(),
                delete: s3::Delete {
                    objects: vec![
                        s3::ObjectIdentifier {
                            key: "line\nbreak & <tag>".into(),
                            ..Default::default()
                        },
                        s3::ObjectIdentifier {
                            key: "plain".into(),
                            version_id: Some("v2".into()),
                            ..Default::default()
                        },
                    ],
                    quiet: Some(true),
                },
                ..Default::default()
            })
            .await;
    })
    .await;
    cases.push(Case {
        name: "s3 DeleteObjects",
        service: "s3",
        operation: "delete_objects",
        params: json!({"Bucket": "wire", "Delete": {"Objects": [
            {"Key": "line\nbreak & <tag>"}, {"Key": "plain", "VersionId": "v2"}], "Quiet": true}}),
        endpoint: S3,
        request,
    });

    let request = capture(S3, |c| async move {
        let _ = s3::Client::new(&c)
            .create_bucket(s3::CreateBucketInput {
                bucket: "wire-eu".into(),
                create_bucket_configuration: Some(s3::CreateBucketConfiguration {
                    location_constraint: Some(s3::BucketLocationConstraint::EuWest1),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .await;
    })
    .await;
    cases.push(Case {
        name: "s3 CreateBucket",
        service: "s3",
        operation: "create_bucket",
        params: json!({"Bucket": "wire-eu",
                       "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}}),
        endpoint: S3,
        request,
    });

    let request = capture(S3, |c| async move {
        let _ = s3::Client::new(&c)
            .get_object(s3::GetObjectInput {
                bucket: "wire".into(),
                key: "k".into(),
                range: Some("bytes=0-99".into()),
                if_none_match: Some("\"etag\"".into()),
                response_content_type: Some("text/csv".into()),
                ..Default::default()
            })
            .await;
    })
    .await;
    cases.push(Case {
        name: "s3 GetObject",
        service: "s3",
        operation: "get_object",
        params: json!({"Bucket": "wire", "Key": "k", "Range": "bytes=0-99",
                       "IfNoneMatch": "\"etag\"", "ResponseContentType": "text/csv"}),
        endpoint: S3,
        request,
    });

    let request = capture(CLOUDFRONT, |c| async move {
        let _ = cf::Client::new(&c)
            .create_distribution(cf::CreateDistributionInput {
                distribution_config: super::cloudfront::distribution_config("wire-1"),
            })
            .await;
    })
    .await;
    cases.push(Case {
        name: "cloudfront CreateDistribution",
        service: "cloudfront",
        operation: "create_distribution",
        params: json!({"DistributionConfig": {
            "CallerReference": "wire-1",
            "Aliases": {"Quantity": 2, "Items": ["www.example.com", "static.example.com"]},
            "DefaultRootObject": "index.html",
            "Origins": {"Quantity": 2, "Items": [
                {"Id": "s3-assets", "DomainName": "assets.s3.amazonaws.com",
                 "S3OriginConfig": {"OriginAccessIdentity": ""}},
                {"Id": "api", "DomainName": "api.example.com", "OriginPath": "/v1",
                 "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443,
                    "OriginProtocolPolicy": "https-only",
                    "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "s3-assets",
                "TrustedSigners": {"Enabled": false, "Quantity": 0},
                "ViewerProtocolPolicy": "redirect-to-https",
                "ForwardedValues": {"QueryString": false, "Cookies": {"Forward": "none"}},
                "MinTTL": 0},
            "CacheBehaviors": {"Quantity": 1, "Items": [{"PathPattern": "/api/*",
                "TargetOriginId": "api", "ViewerProtocolPolicy": "https-only",
                "ForwardedValues": {"QueryString": false, "Cookies": {"Forward": "none"}},
                "MinTTL": 0}]},
            "Comment": "Stratus end-to-end & <friends>",
            "Logging": {"Enabled": true, "IncludeCookies": false,
                        "Bucket": "logs.s3.amazonaws.com", "Prefix": "cdn/"},
            "PriceClass": "PriceClass_100",
            "Enabled": true,
            "ViewerCertificate": {"CloudFrontDefaultCertificate": false,
                "ACMCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
                "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}}}),
        endpoint: CLOUDFRONT,
        request,
    });

    let request = capture(CLOUDFRONT, |c| async move {
        let _ = cf::Client::new(&c)
            .create_invalidation(cf::CreateInvalidationInput {
                distribution_id: "E1WIRE".into(),
                invalidation_batch: cf::InvalidationBatch {
                    paths: cf::Paths {
                        quantity: 2,
                        items: Some(vec!["/index.html".into(), "/a b/*".into()]),
                    },
                    caller_reference: "wire-inv".into(),
                },
            })
            .await;
    })
    .await;
    cases.push(Case {
        name: "cloudfront CreateInvalidation",
        service: "cloudfront",
        operation: "create_invalidation",
        params: json!({"DistributionId": "E1WIRE", "InvalidationBatch": {
            "Paths": {"Quantity": 2, "Items": ["/index.html", "/a b/*"]},
            "CallerReference": "wire-inv"}}),
        endpoint: CLOUDFRONT,
        request,
    });

    let request = capture(CLOUDFRONT, |c| async move {
        let _ = cf::Client::new(&c)
            .delete_distribution(cf::DeleteDistributionInput {
                id: "E1WIRE".into(),
                if_match: Some("E2ETAG".into()),
            })
            .await;
    })
    .await;
    cases.push(Case {
        name: "cloudfront DeleteDistribution",
        service: "cloudfront",
        operation: "delete_distribution",
        params: json!({"Id": "E1WIRE", "IfMatch": "E2ETAG"}),
        endpoint: CLOUDFRONT,
        request,
    });

    let request = capture(ROUTE53, |c| async move {
        let _ = r53::Client::new(&c)
            .change_resource_record_sets(r53::ChangeResourceRecordSetsInput {
                hosted_zone_id: "/hostedzone/Z1WIRE".into(),
                change_batch: r53::ChangeBatch {
                    comment: Some("wire & more".into()),
                    changes: vec![r53::Change {
                        action: r53::ChangeAction::Upsert,
                        resource_record_set: r53::ResourceRecordSet {
                            name: "www.example.com".into(),
                            r#type: r53::RrType::Txt,
                            ttl: Some(60),
                            resource_records: Some(vec![r53::ResourceRecord {
                                value: "\"v=spf1 include:_spf.example.com -all\"".into(),
                            }]),
                            ..Default::default()
                        },
                    }],
                },
            })
            .await;
    })
    .await;
    cases.push(Case {
        name: "route53 ChangeResourceRecordSets",
        service: "route53",
        operation: "change_resource_record_sets",
        params: json!({"HostedZoneId": "/hostedzone/Z1WIRE", "ChangeBatch": {
            "Comment": "wire & more", "Changes": [{"Action": "UPSERT", "ResourceRecordSet": {
                "Name": "www.example.com", "Type": "TXT", "TTL": 60,
                "ResourceRecords": [{"Value": "\"v=spf1 include:_spf.example.com -all\""}]}}]}}),
        endpoint: ROUTE53,
        request,
    });

    let request = capture(ROUTE53, |c| async move {
        let _ = r53::Client::new(&c)
            .list_resource_record_sets(r53::ListResourceRecordSetsInput {
                hosted_zone_id: "Z1WIRE".into(),
                start_record_name: Some("www.example.com".into()),
                start_record_type: Some(r53::RrType::A),
                max_items: Some("5".into()),
                ..Default::default()
            })
            .await;
    })
    .await;
    cases.push(Case {
        name: "route53 ListResourceRecordSets",
        service: "route53",
        operation: "list_resource_record_sets",
        params: json!({"HostedZoneId": "Z1WIRE", "StartRecordName": "www.example.com",
                       "StartRecordType": "A", "MaxItems": "5"}),
        endpoint: ROUTE53,
        request,
    });

    let request = capture(ROUTE53, |c| async move {
        let _ = r53::Client::new(&c)
            .get_change(r53::GetChangeInput {
                id: "/change/C2WIRE".into(),
            })
            .await;
    })
    .await;
    cases.push(Case {
        name: "route53 GetChange",
        service: "route53",
        operation: "get_change",
        params: json!({"Id": "/change/C2WIRE"}),
        endpoint: ROUTE53,
        request,
    });
    cases
}

#[tokio::test]
async fn rest_xml_requests_match_botocores() {
    let cases = cases().await;
    let theirs = botocore(&cases);
    assert_eq!(theirs.len(), cases.len());
    let mut failures = Vec::new();
    for (case, theirs) in cases.iter().zip(&theirs) {
        for problem in compare(case, theirs) {
            failures.push(format!("{}: {problem}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences from botocore:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
