//! Presigned URLs, checked against botocore.
//!
//! moto cannot serve a presigned STS URL: it answers any presigned URL with a 500 while its
//! signature checking is on, and with checking off it routes a bodiless, unsigned GET by its
//! path alone, to S3. So the oracle here is botocore itself (installed with moto, in the
//! virtualenv under `target/`): botocore presigns the same request at the same time, and both
//! URLs must carry the same parameters and the same signature.

use std::process::Command;
use std::time::Duration;
use stratus_runtime::{Config, Credentials};

fn botocore_presign(url: &str, credentials: &Credentials, region: &str, service: &str) -> String {
    botocore_presign_method("GET", url, credentials, region, service)
}

fn botocore_presign_method(
    method: &str,
    url: &str,
    credentials: &Credentials,
    region: &str,
    service: &str,
) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/moto");
    let python = stratus_tests::moto::python().expect("the virtualenv's python");
    let out = Command::new(python)
        .env("PRESIGN_METHOD", method)
        .arg(format!("{dir}/botocore_presign.py"))
        .args([
            url,
            credentials.access_key_id(),
            credentials.secret_access_key(),
            region,
            service,
        ])
        .args(credentials.session_token())
        .output()
        .expect("run botocore");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn sorted_query(url: &str) -> Vec<String> {
    let uri: http::Uri = url.parse().expect("a URL");
    let mut params: Vec<String> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .map(str::to_string)
        .collect();
    params.sort();
    params
}

#[tokio::test]
async fn a_presigned_get_caller_identity_url_matches_botocores() {
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "test",
    );
    let config = Config::builder()
        .region("eu-west-1")
        .endpoint_url("https://sts.eu-west-1.amazonaws.com")
        .credentials(credentials.clone())
        .build();
    let presigned = sts_client::Client::new(&config)
        .presign_get_caller_identity(Default::default(), Duration::from_secs(900))
        .await
        .expect("presign");
    assert_eq!(presigned.method, http::Method::GET);
    let ours = presigned.uri.to_string();
    assert!(
        ours.starts_with("https://sts.eu-west-1.amazonaws.com/?"),
        "{ours}"
    );
    let theirs = botocore_presign(&ours, &credentials, "eu-west-1", "sts");
    assert_eq!(
        sorted_query(&ours),
        sorted_query(&theirs),
        "\nours:   {ours}\ntheirs: {theirs}"
    );
    assert!(
        ours.contains("Action=GetCallerIdentity") && ours.contains("X-Amz-Expires=900"),
        "{ours}"
    );
}

#[tokio::test]
async fn presigning_with_temporary_credentials_and_list_parameters_matches_botocore() {
    let credentials = Credentials::new(
        "ASIAEXAMPLE",
        "secret/with+chars",
        Some("token/with+chars==".into()),
        None,
        "test",
    );
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:5000")
        .credentials(credentials.clone())
        .build();
    let presigned = autoscaling_client::Client::new(&config)
        .presign_describe_auto_scaling_groups(
            autoscaling_client::DescribeAutoScalingGroupsInput {
                auto_scaling_group_names: Some(vec!["web a".into(), "b/c".into()]),
                max_records: Some(10),
                ..Default::default()
            },
            Duration::from_secs(60),
        )
        .await
        .expect("presign");
    let ours = presigned.uri.to_string();
    assert!(
        ours.contains("X-Amz-Security-Token=token%2Fwith%2Bchars%3D%3D"),
        "{ours}"
    );
    assert!(
        ours.contains("AutoScalingGroupNames.member.1=web%20a"),
        "{ours}"
    );
    let theirs = botocore_presign(&ours, &credentials, "us-east-1", "autoscaling");
    assert_eq!(
        sorted_query(&ours),
        sorted_query(&theirs),
        "\nours:   {ours}\ntheirs: {theirs}"
    );
}

#[tokio::test]
async fn presigned_s3_urls_match_botocores() {
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some("session/token=".into()),
        None,
        "test",
    );
    let config = Config::builder()
        .region("eu-west-1")
        .credentials(credentials.clone())
        .build();
    let s3 = s3_client::Client::new(&config);
    let key = "reports/2026 Q4/é+data.csv";
    let get = s3
        .presign_get_object(
            s3_client::GetObjectInput {
                bucket: "stratus-presign".into(),
                key: key.into(),
                ..Default::default()
            },
            Duration::from_secs(3600),
        )
        .await
        .expect("presign get");
    let put = s3
        .presign_put_object(
            s3_client::PutObjectInput {
                bucket: "stratus-presign".into(),
                key: key.into(),
                ..Default::default()
            },
            Duration::from_secs(600),
        )
        .await
        .expect("presign put");
    assert_eq!(put.method, http::Method::PUT);
    assert!(put.headers.is_empty(), "{:?}", put.headers);
    for (method, presigned) in [("GET", &get), ("PUT", &put)] {
        let ours = presigned.uri.to_string();
        assert!(
            ours.starts_with(
                "https://stratus-presign.s3.eu-west-1.amazonaws.com/reports/2026%20Q4/%C3%A9%2Bdata.csv?"
            ),
            "{ours}"
        );
        let theirs = botocore_presign_method(method, &ours, &credentials, "eu-west-1", "s3");
        assert_eq!(
            sorted_query(&ours),
            sorted_query(&theirs),
            "\n{method} ours:   {ours}\n{method} theirs: {theirs}"
        );
    }
}

#[tokio::test]
async fn presigning_validates_expiry_and_input() {
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .build();
    let sts = sts_client::Client::new(&config);
    let err = sts
        .presign_get_caller_identity(Default::default(), Duration::from_secs(8 * 24 * 3600))
        .await
        .expect_err("more than 7 days");
    assert!(err.to_string().contains("cannot sign"), "{err}");
}
