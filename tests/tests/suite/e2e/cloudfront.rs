//! CloudFront end to end against moto (rest-xml, signatures checked), and the cases moto
//! cannot serve answered by canned responses of the test's own.
//!
//! moto gaps met here (each seen with boto3 against the same moto too, `../shared/MOTO.md`):
//! every bodyless request (GET, DELETE) fails moto's signature check whoever signs it, so
//! those run inside [`Session::unchecked`]; moto has no origin access identity routes (404),
//! never changes a distribution's ETag and accepts a wrong `IfMatch`, so the identity and
//! the `PreconditionFailed` error AWS sends are checked against canned responses. moto
//! deploys a distribution on its first read; its state manager
//! (`/moto-api/state-manager/set-transition`) holds it `InProgress` for a few reads so that
//! `wait_until_distribution_deployed` really waits.

use cloudfront_client::*;
use std::time::Duration;
use stratus_runtime::Config;
use stratus_runtime::transport::StubClient;
use stratus_runtime::waiter::{Expected, Matcher, WaiterError};
use stratus_tests::e2e::Session;
use stratus_tests::moto::http_request;

/// A full distribution: an S3 origin and a custom one, a default and one more cache
/// behaviour, aliases, logging and a viewer certificate.
pub fn distribution_config(reference: &str) -> DistributionConfig {
    #[allow(deprecated)] // `ForwardedValues` and the TTLs: moto needs them (no cache policies).
    let forwarded = || ForwardedValues {
        query_string: false,
        cookies: CookiePreference {
            forward: ItemSelection::None,
            whitelisted_names: None,
        },
        ..Default::default()
    };
    #[allow(deprecated)]
    DistributionConfig {
        caller_reference: reference.into(),
        aliases: Some(Aliases {
            quantity: 2,
            items: Some(vec!["www.example.com".into(), "static.example.com".into()]),
        }),
        default_root_object: Some("index.html".into()),
        origins: Origins {
            quantity: 2,
            items: vec![
                Origin {
                    id: "s3-assets".into(),
                    domain_name: "assets.s3.amazonaws.com".into(),
                    s3_origin_config: Some(S3OriginConfig {
                        origin_access_identity: String::new(),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                Origin {
                    id: "api".into(),
                    domain_name: "api.example.com".into(),
                    origin_path: Some("/v1".into()),
                    custom_origin_config: Some(CustomOriginConfig {
                        http_port: 80,
                        https_port: 443,
                        origin_protocol_policy: OriginProtocolPolicy::HttpsOnly,
                        origin_ssl_protocols: Some(OriginSslProtocols {
                            quantity: 1,
                            items: vec![SslProtocol::Tlsv1_2],
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            ],
        },
        default_cache_behavior: DefaultCacheBehavior {
            target_origin_id: "s3-assets".into(),
            viewer_protocol_policy: ViewerProtocolPolicy::RedirectToHttps,
            forwarded_values: Some(forwarded()),
            min_ttl: Some(0),
            trusted_signers: Some(TrustedSigners {
                enabled: false,
                quantity: 0,
                items: None,
            }),
            ..Default::default()
        },
        cache_behaviors: Some(CacheBehaviors {
            quantity: 1,
            items: Some(vec![CacheBehavior {
                path_pattern: "/api/*".into(),
                target_origin_id: "api".into(),
                viewer_protocol_policy: ViewerProtocolPolicy::HttpsOnly,
                forwarded_values: Some(forwarded()),
                min_ttl: Some(0),
                ..Default::default()
            }]),
        }),
        comment: "Stratus end-to-end & <friends>".into(),
        logging: Some(LoggingConfig {
            enabled: Some(true),
            include_cookies: Some(false),
            bucket: Some("logs.s3.amazonaws.com".into()),
            prefix: Some("cdn/".into()),
        }),
        price_class: Some(PriceClass::PriceClass100),
        enabled: true,
        viewer_certificate: Some(ViewerCertificate {
            cloud_front_default_certificate: Some(false),
            acm_certificate_arn: Some(
                "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab"
                    .into(),
            ),
            ssl_support_method: Some(SslSupportMethod::SniOnly),
            minimum_protocol_version: Some(MinimumProtocolVersion::Tlsv1_2_2021),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn distribution_lifecycle() {
    let session = Session::get().await;
    let cloudfront = Client::new(&session.config());
    let created = cloudfront
        .create_distribution(CreateDistributionInput {
            distribution_config: distribution_config("stratus-e2e-1"),
        })
        .await
        .expect("create distribution");
    let distribution = created.distribution.expect("a distribution");
    let id = distribution.id.clone();
    assert!(created.e_tag.is_some(), "an ETag header");
    assert!(
        created
            .location
            .as_deref()
            .is_some_and(|l| l.ends_with(&id)),
        "{:?}",
        created.location
    );
    let config = distribution.distribution_config;
    assert_eq!(config.comment, "Stratus end-to-end & <friends>");
    assert_eq!(config.origins.quantity, 2);
    assert_eq!(config.origins.items[1].origin_path.as_deref(), Some("/v1"));
    assert_eq!(
        config.aliases.and_then(|a| a.items).unwrap_or_default(),
        ["www.example.com", "static.example.com"]
    );
    let behaviors = config
        .cache_behaviors
        .and_then(|b| b.items)
        .unwrap_or_default();
    assert_eq!(behaviors.len(), 1);
    assert_eq!(behaviors[0].path_pattern, "/api/*");
    assert_eq!(
        config.logging.and_then(|l| l.prefix).as_deref(),
        Some("cdn/")
    );

    // moto gap: bodyless requests fail its signature check (boto3's too).
    let (fetched, fetched_config, listed) = session
        .unchecked(|config| {
            let id = id.clone();
            async move {
                let cloudfront = Client::new(&config);
                let fetched = cloudfront
                    .get_distribution(GetDistributionInput { id: id.clone() })
                    .await
                    .expect("get distribution");
                let fetched_config = cloudfront
                    .get_distribution_config(GetDistributionConfigInput { id })
                    .await
                    .expect("get distribution config");
                let listed = cloudfront
                    .list_distributions(ListDistributionsInput {
                        max_items: Some("100".into()),
                        ..Default::default()
                    })
                    .await
                    .expect("list distributions");
                (fetched, fetched_config, listed)
            }
        })
        .await;
    assert_eq!(fetched.distribution.expect("a distribution").id, id);
    let etag = fetched_config.e_tag.clone().expect("an ETag");
    let listed_ids: Vec<String> = listed
        .distribution_list
        .and_then(|l| l.items)
        .unwrap_or_default()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert!(listed_ids.contains(&id), "{listed_ids:?}");

    // Update with the ETag; disable.
    let mut updated_config = fetched_config.distribution_config.expect("a config");
    updated_config.comment = "updated".into();
    updated_config.enabled = false;
    let updated = cloudfront
        .update_distribution(UpdateDistributionInput {
            distribution_config: updated_config,
            id: id.clone(),
            if_match: Some(etag.clone()),
        })
        .await
        .expect("update distribution");
    let updated = updated.distribution.expect("a distribution");
    assert_eq!(updated.distribution_config.comment, "updated");
    assert!(!updated.distribution_config.enabled);
    // Without IfMatch: the typed error moto (and AWS) send.
    let err = cloudfront
        .update_distribution(UpdateDistributionInput {
            distribution_config: distribution_config("stratus-e2e-1"),
            id: id.clone(),
            if_match: None,
        })
        .await
        .expect_err("IfMatch is required");
    assert!(
        matches!(
            err.service_error(),
            Some(UpdateDistributionError::InvalidIfMatchVersion(_))
        ),
        "{err:?}"
    );

    // Invalidations.
    let invalidation = cloudfront
        .create_invalidation(CreateInvalidationInput {
            distribution_id: id.clone(),
            invalidation_batch: InvalidationBatch {
                paths: Paths {
                    quantity: 2,
                    items: Some(vec!["/index.html".into(), "/images/*".into()]),
                },
                caller_reference: "stratus-invalidation-1".into(),
            },
        })
        .await
        .expect("create invalidation")
        .invalidation
        .expect("an invalidation");
    assert_eq!(
        invalidation
            .invalidation_batch
            .paths
            .items
            .unwrap_or_default(),
        ["/index.html", "/images/*"]
    );
    let (got, listed) = session
        .unchecked(|config| {
            let id = id.clone();
            let invalidation_id = invalidation.id.clone();
            async move {
                let cloudfront = Client::new(&config);
                let got = cloudfront
                    .get_invalidation(GetInvalidationInput {
                        distribution_id: id.clone(),
                        id: invalidation_id,
                    })
                    .await
                    .expect("get invalidation");
                let listed = cloudfront
                    .list_invalidations(ListInvalidationsInput {
                        distribution_id: id,
                        ..Default::default()
                    })
                    .await
                    .expect("list invalidations");
                (got, listed)
            }
        })
        .await;
    assert_eq!(
        got.invalidation.expect("an invalidation").id,
        invalidation.id
    );
    let list = listed.invalidation_list.expect("a list");
    assert_eq!(list.quantity, 1);
    assert_eq!(
        list.items.unwrap_or_default()[0].id,
        invalidation.id,
        "the invalidation is listed"
    );

    // Delete the disabled distribution, then it is gone.
    let missing = session
        .unchecked(|config| {
            let id = id.clone();
            async move {
                let cloudfront = Client::new(&config);
                cloudfront
                    .delete_distribution(DeleteDistributionInput {
                        id: id.clone(),
                        if_match: Some(etag),
                    })
                    .await
                    .expect("delete distribution");
                cloudfront
                    .get_distribution(GetDistributionInput { id })
                    .await
                    .expect_err("deleted")
            }
        })
        .await;
    assert!(
        matches!(
            missing.service_error(),
            Some(GetDistributionError::NoSuchDistribution(_))
        ),
        "{missing:?}"
    );
    assert!(
        missing.to_string().starts_with("NoSuchDistribution: "),
        "{missing}"
    );
}

/// moto's distributions stay `InProgress` for this many reads (`GetDistribution`,
/// `GetDistributionConfig`, `ListDistributions`, `UpdateDistribution`) while it is set; the
/// default moves them to `Deployed` on the first. Unset when dropped.
struct ManualTransition(u16);

impl ManualTransition {
    async fn set(port: u16, times: u32) -> ManualTransition {
        let body = format!(
            r#"{{"model_name":"cloudfront::distribution","transition":{{"progression":"manual","times":{times}}}}}"#
        );
        let (status, answer) = tokio::task::spawn_blocking(move || {
            http_request(
                port,
                "POST",
                "/moto-api/state-manager/set-transition",
                &[("Content-Type", "application/json")],
                body.as_bytes(),
            )
        })
        .await
        .expect("set-transition")
        .unwrap_or_else(|e| panic!("moto set-transition: {e}"));
        assert!(
            (200..300).contains(&status),
            "moto set-transition: {status} {}",
            String::from_utf8_lossy(&answer)
        );
        ManualTransition(port)
    }
}

impl Drop for ManualTransition {
    fn drop(&mut self) {
        let result = http_request(
            self.0,
            "POST",
            "/moto-api/state-manager/unset-transition",
            &[("Content-Type", "application/json")],
            br#"{"model_name":"cloudfront::distribution"}"#,
        );
        if !matches!(result, Ok((200..=299, _))) && !std::thread::panicking() {
            panic!("moto unset-transition: {result:?}");
        }
    }
}

/// `wait_until_distribution_deployed` against a distribution moto keeps `InProgress` for four
/// reads: a wait of two attempts gives up with the last state; the next wait sees two more
/// `InProgress` answers, then `Deployed`.
#[tokio::test]
async fn distribution_deployed_waiter_waits_for_deployed() {
    let session = Session::get().await;
    let port = session.port;
    // moto gap: `GetDistribution` (bodyless) fails its signature check whoever signs it, so
    // the whole exchange runs unchecked; that also keeps other tests' reads (which advance
    // every distribution's state in moto) out of the count.
    session
        .unchecked(|config| async move {
            let _transition = ManualTransition::set(port, 4).await;
            let cloudfront = Client::new(&config);
            let created = cloudfront
                .create_distribution(CreateDistributionInput {
                    distribution_config: distribution_config("stratus-e2e-waiter"),
                })
                .await
                .expect("create distribution")
                .distribution
                .expect("a distribution");
            assert_eq!(created.status, "InProgress");
            let id = created.id;
            let fast = WaiterConfig::new().delay(Duration::from_millis(20));

            let err = cloudfront
                .wait_until_distribution_deployed(
                    GetDistributionInput { id: id.clone() },
                    fast.clone().max_attempts(2),
                )
                .await
                .expect_err("still InProgress after two reads");
            match &err {
                WaiterError::Timeout {
                    waiter,
                    last_acceptor,
                    response,
                    attempts,
                    elapsed,
                } => {
                    assert_eq!(*waiter, "DistributionDeployed");
                    assert_eq!(*attempts, 2);
                    assert_eq!(*last_acceptor, None, "no acceptor matches InProgress");
                    assert!(*elapsed >= Duration::from_millis(20), "{elapsed:?}");
                    let last = response
                        .output()
                        .and_then(|o| o.distribution.as_ref())
                        .expect("the last response is the distribution");
                    assert_eq!(last.status, "InProgress", "the last state");
                }
                other => panic!("expected a timeout, got {other:?}"),
            }
            assert!(err.is_timeout() && !err.is_failure());
            assert!(
                err.to_string()
                    .starts_with("Waiter DistributionDeployed failed: gave up after 2 attempt(s)"),
                "{err}"
            );

            let waited = cloudfront
                .wait_until_distribution_deployed(
                    GetDistributionInput { id: id.clone() },
                    fast.max_attempts(10),
                )
                .await
                .expect("Deployed after four reads");
            assert_eq!(waited.attempts, 2, "InProgress once more, then Deployed");
            assert_eq!(
                waited.acceptor.matcher,
                Matcher::Path {
                    argument: "Distribution.Status",
                    expected: Expected::String("Deployed"),
                }
            );
            let output = waited.response.output().expect("the distribution");
            assert_eq!(
                output.distribution.as_ref().map(|d| d.status.as_str()),
                Some("Deployed")
            );
            cloudfront
                .delete_distribution(DeleteDistributionInput {
                    id,
                    if_match: output.e_tag.clone(),
                })
                .await
                .expect("delete distribution");
        })
        .await;
}

fn stubbed(stub: &StubClient) -> Client {
    Client::new(
        &Config::builder()
            .region("us-east-1")
            .credentials(stratus_runtime::Credentials::new(
                "AKIDEXAMPLE",
                "SECRET",
                None,
                None,
                "test",
            ))
            .http_client(stub.clone())
            .build(),
    )
}

/// moto has no origin access identity routes: the request is checked against the shape the
/// API reference gives, and a response as AWS sends it (its example) is parsed.
#[tokio::test]
async fn origin_access_identity_against_a_canned_response() {
    let stub = StubClient::new();
    stub.push(Ok(http::Response::builder()
        .status(201)
        .header("Location", "https://cloudfront.amazonaws.com/2020-05-31/origin-access-identity/cloudfront/E74FTE3AEXAMPLE")
        .header("ETag", "E2QWRUHEXAMPLE")
        .header("x-amz-request-id", "req-1")
        .body(bytes::Bytes::from_static(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
              <CloudFrontOriginAccessIdentity xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
              <Id>E74FTE3AEXAMPLE</Id>\
              <S3CanonicalUserId>cd13868f797c227fbea2830611a26fe0a21ba1b826ab4bed9b7771c9aEXAMPLE</S3CanonicalUserId>\
              <CloudFrontOriginAccessIdentityConfig><CallerReference>stratus-oai</CallerReference>\
              <Comment>assets &amp; more</Comment></CloudFrontOriginAccessIdentityConfig>\
              </CloudFrontOriginAccessIdentity>",
        ))
        .expect("a response")));
    let created = stubbed(&stub)
        .create_cloud_front_origin_access_identity(CreateCloudFrontOriginAccessIdentityInput {
            cloud_front_origin_access_identity_config: CloudFrontOriginAccessIdentityConfig {
                caller_reference: "stratus-oai".into(),
                comment: "assets & more".into(),
            },
        })
        .await
        .expect("create an origin access identity");
    assert_eq!(created.e_tag.as_deref(), Some("E2QWRUHEXAMPLE"));
    assert!(created.location.is_some());
    let identity = created
        .cloud_front_origin_access_identity
        .expect("an identity");
    assert_eq!(identity.id, "E74FTE3AEXAMPLE");
    let config = identity
        .cloud_front_origin_access_identity_config
        .expect("its config");
    assert_eq!(config.comment, "assets & more");
    let request = &stub.requests()[0];
    assert_eq!(request.method(), "POST");
    assert_eq!(
        request.uri().to_string(),
        "https://cloudfront.amazonaws.com/2020-05-31/origin-access-identity/cloudfront"
    );
    // The body as the API reference writes it (whitespace aside).
    let expected = stratus_tests::conformance::xml_tree::parse(
        "<CloudFrontOriginAccessIdentityConfig xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
         <CallerReference>stratus-oai</CallerReference><Comment>assets &amp; more</Comment>\
         </CloudFrontOriginAccessIdentityConfig>",
    )
    .expect("XML");
    let sent = stratus_tests::conformance::xml_tree::parse(
        std::str::from_utf8(request.body()).expect("UTF-8"),
    )
    .expect("the body is XML");
    assert_eq!(sent, expected);
}

/// moto accepts any `IfMatch`; AWS answers a stale one with 412 `PreconditionFailed`.
#[tokio::test]
async fn a_stale_if_match_is_precondition_failed() {
    let stub = StubClient::new();
    stub.push(Ok(http::Response::builder()
        .status(412)
        .header("x-amz-request-id", "req-412")
        .header("Content-Type", "text/xml")
        .body(bytes::Bytes::from_static(
            b"<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
              <Error><Type>Sender</Type><Code>PreconditionFailed</Code>\
              <Message>The If-Match version is missing or not valid for the resource.</Message>\
              </Error><RequestId>req-412</RequestId></ErrorResponse>",
        ))
        .expect("a response")));
    let err = stubbed(&stub)
        .update_distribution(UpdateDistributionInput {
            distribution_config: distribution_config("stratus-e2e-1"),
            id: "E1EXAMPLE".into(),
            if_match: Some("ESTALE".into()),
        })
        .await
        .expect_err("a stale ETag");
    match err.service_error() {
        Some(UpdateDistributionError::PreconditionFailed(e)) => {
            assert_eq!(
                e.message.as_deref(),
                Some("The If-Match version is missing or not valid for the resource.")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.request_id(), Some("req-412"));
    assert_eq!(
        err.to_string(),
        "PreconditionFailed: The If-Match version is missing or not valid for the resource. \
         (request id req-412)"
    );
    let request = &stub.requests()[0];
    assert_eq!(request.method(), "PUT");
    assert_eq!(request.headers()["if-match"], "ESTALE");
    assert!(
        request
            .uri()
            .path()
            .ends_with("/2020-05-31/distribution/E1EXAMPLE/config"),
        "{}",
        request.uri()
    );
}
