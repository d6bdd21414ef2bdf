//! Route53 end to end against moto (rest-xml, signatures checked): a hosted zone, record
//! changes and listings, and the ids Route53 returns with a path prefix passed straight back.
//!
//! moto gap met here (seen with boto3 against the same moto too, `../shared/MOTO.md`): every
//! bodyless request (GET, DELETE) fails moto's signature check whoever signs it, so those
//! run inside [`Session::unchecked`].

use route53_client::*;
use stratus_tests::e2e::Session;

fn record(name: &str, kind: RrType, values: &[&str]) -> ResourceRecordSet {
    ResourceRecordSet {
        name: name.into(),
        r#type: kind,
        ttl: Some(300),
        resource_records: Some(
            values
                .iter()
                .map(|v| ResourceRecord { value: (*v).into() })
                .collect(),
        ),
        ..Default::default()
    }
}

#[tokio::test]
async fn hosted_zone_and_record_sets() {
    let session = Session::get().await;
    let route53 = Client::new(&session.config());
    let created = route53
        .create_hosted_zone(CreateHostedZoneInput {
            name: "stratus-e2e.example.com".into(),
            caller_reference: "stratus-zone-1".into(),
            hosted_zone_config: Some(HostedZoneConfig {
                comment: Some("end-to-end".into()),
                private_zone: Some(false),
            }),
            ..Default::default()
        })
        .await
        .expect("create hosted zone");
    // Route53 returns ids with their path prefix: `/hostedzone/Z…`, `/change/C…`.
    let zone_id = created.hosted_zone.id.clone();
    assert!(zone_id.starts_with("/hostedzone/"), "{zone_id}");
    assert!(
        created.location.contains(zone_id.trim_start_matches('/')),
        "{}",
        created.location
    );
    assert!(created.change_info.id.starts_with("/change/"));
    assert_eq!(
        created
            .hosted_zone
            .config
            .and_then(|c| c.comment)
            .as_deref(),
        Some("end-to-end")
    );

    // The prefixed id goes straight back in (the SDK keeps what follows the last `/`).
    let change = route53
        .change_resource_record_sets(ChangeResourceRecordSetsInput {
            hosted_zone_id: zone_id.clone(),
            change_batch: ChangeBatch {
                comment: Some("first records".into()),
                changes: vec![
                    Change {
                        action: ChangeAction::Create,
                        resource_record_set: record(
                            "www.stratus-e2e.example.com",
                            RrType::A,
                            &["192.0.2.10", "192.0.2.11"],
                        ),
                    },
                    Change {
                        action: ChangeAction::Create,
                        resource_record_set: record(
                            "txt.stratus-e2e.example.com",
                            RrType::Txt,
                            &["\"v=spf1 -all\""],
                        ),
                    },
                ],
            },
        })
        .await
        .expect("change record sets");
    let change_id = change.change_info.id.clone();
    route53
        .change_resource_record_sets(ChangeResourceRecordSetsInput {
            hosted_zone_id: zone_id.clone(),
            change_batch: ChangeBatch {
                comment: None,
                changes: vec![Change {
                    action: ChangeAction::Upsert,
                    resource_record_set: record(
                        "www.stratus-e2e.example.com",
                        RrType::A,
                        &["192.0.2.20"],
                    ),
                }],
            },
        })
        .await
        .expect("upsert a record set");

    // moto gap: bodyless requests fail its signature check (boto3's too).
    let (status, all, first_page) = session
        .unchecked(|config| {
            let zone_id = zone_id.clone();
            async move {
                let route53 = Client::new(&config);
                let status = route53
                    .get_change(GetChangeInput { id: change_id })
                    .await
                    .expect("get change")
                    .change_info
                    .status;
                let all = route53
                    .list_resource_record_sets(ListResourceRecordSetsInput {
                        hosted_zone_id: zone_id.clone(),
                        ..Default::default()
                    })
                    .await
                    .expect("list record sets");
                let first_page = route53
                    .list_resource_record_sets(ListResourceRecordSetsInput {
                        hosted_zone_id: zone_id,
                        start_record_name: Some("stratus-e2e.example.com".into()),
                        start_record_type: Some(RrType::Ns),
                        max_items: Some("1".into()),
                        ..Default::default()
                    })
                    .await
                    .expect("list one record set");
                (status, all, first_page)
            }
        })
        .await;
    assert!(
        matches!(status, ChangeStatus::Insync | ChangeStatus::Pending),
        "{status:?}"
    );
    let sets = all.resource_record_sets;
    let www = sets
        .iter()
        .find(|s| s.name.trim_end_matches('.') == "www.stratus-e2e.example.com")
        .expect("the A record");
    assert_eq!(www.r#type, RrType::A);
    let values: Vec<&str> = www
        .resource_records
        .iter()
        .flatten()
        .map(|r| r.value.as_str())
        .collect();
    assert_eq!(values, ["192.0.2.20"], "the upsert replaced the values");
    let txt = sets
        .iter()
        .find(|s| s.r#type == RrType::Txt)
        .expect("the TXT record");
    assert_eq!(
        txt.resource_records.as_deref().unwrap_or_default()[0].value,
        "\"v=spf1 -all\""
    );
    // One of four record sets (SOA, NS, A, TXT): the page says where the next begins.
    assert_eq!(first_page.resource_record_sets.len(), 1);
    assert!(first_page.is_truncated);
    assert!(first_page.next_record_name.is_some());
    assert!(first_page.next_record_type.is_some());

    // Delete the records, then the zone (by its prefixed id).
    route53
        .change_resource_record_sets(ChangeResourceRecordSetsInput {
            hosted_zone_id: zone_id.clone(),
            change_batch: ChangeBatch {
                comment: None,
                changes: vec![
                    Change {
                        action: ChangeAction::Delete,
                        resource_record_set: record(
                            "www.stratus-e2e.example.com",
                            RrType::A,
                            &["192.0.2.20"],
                        ),
                    },
                    Change {
                        action: ChangeAction::Delete,
                        resource_record_set: record(
                            "txt.stratus-e2e.example.com",
                            RrType::Txt,
                            &["\"v=spf1 -all\""],
                        ),
                    },
                ],
            },
        })
        .await
        .expect("delete record sets");
    let (deleted, listed) = session
        .unchecked(|config| {
            let zone_id = zone_id.clone();
            async move {
                let route53 = Client::new(&config);
                let deleted = route53
                    .delete_hosted_zone(DeleteHostedZoneInput { id: zone_id })
                    .await
                    .expect("delete hosted zone");
                let listed = route53
                    .list_hosted_zones(Default::default())
                    .await
                    .expect("list hosted zones");
                (deleted, listed)
            }
        })
        .await;
    assert!(deleted.change_info.id.contains('C'));
    assert!(
        !listed.hosted_zones.iter().any(|z| z.id == zone_id),
        "the zone is gone"
    );
}
