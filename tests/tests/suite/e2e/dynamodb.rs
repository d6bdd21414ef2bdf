//! DynamoDB end to end against moto (awsJson 1.0, signatures checked): a table with a global
//! secondary index, items of every attribute type read back equal, update expressions, a
//! typed conditional-check failure, paging through 300 items by `ExclusiveStartKey`, scans,
//! batches, deletes; `scan_paginator` over a key with a binary attribute.

use dynamodb_client::*;
use std::collections::HashMap;
use stratus_tests::e2e::Session;

type Item = HashMap<String, AttributeValue>;

fn item<const N: usize>(pairs: [(&str, AttributeValue); N]) -> Item {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn key(pk: &str, sk: i64) -> Item {
    item([("pk", pk.into()), ("sk", sk.into())])
}

/// A table keyed by `pk` (S) and `sk` (N), with a global secondary index `by-group` on
/// `group` (S) and `sk`.
async fn create_table(ddb: &Client, name: &str) {
    let element = |name: &str, key_type| KeySchemaElement {
        attribute_name: name.into(),
        key_type,
    };
    let definition = |name: &str, attribute_type| AttributeDefinition {
        attribute_name: name.into(),
        attribute_type,
    };
    let created = ddb
        .create_table(CreateTableInput {
            table_name: name.into(),
            attribute_definitions: Some(vec![
                definition("pk", ScalarAttributeType::S),
                definition("sk", ScalarAttributeType::N),
                definition("group", ScalarAttributeType::S),
            ]),
            key_schema: Some(vec![
                element("pk", KeyType::Hash),
                element("sk", KeyType::Range),
            ]),
            global_secondary_indexes: Some(vec![GlobalSecondaryIndex {
                index_name: "by-group".into(),
                key_schema: vec![
                    element("group", KeyType::Hash),
                    element("sk", KeyType::Range),
                ],
                projection: Projection {
                    projection_type: Some(ProjectionType::All),
                    non_key_attributes: None,
                },
                ..Default::default()
            }]),
            billing_mode: Some(BillingMode::PayPerRequest),
            ..Default::default()
        })
        .await
        .unwrap_or_else(|e| panic!("create table {name}: {e}"))
        .table_description
        .expect("a table description");
    assert_eq!(created.table_name.as_deref(), Some(name));
    let indexes = created.global_secondary_indexes.unwrap_or_default();
    assert_eq!(indexes.len(), 1);
    assert_eq!(indexes[0].index_name.as_deref(), Some("by-group"));
}

async fn delete_table(ddb: &Client, name: &str) {
    ddb.delete_table(DeleteTableInput {
        table_name: name.into(),
    })
    .await
    .unwrap_or_else(|e| panic!("delete table {name}: {e}"));
    let err = ddb
        .describe_table(DescribeTableInput {
            table_name: name.into(),
        })
        .await
        .expect_err("the table is gone");
    assert!(
        matches!(
            err.service_error(),
            Some(DescribeTableError::ResourceNotFoundException(_))
        ),
        "{err:?}"
    );
}

/// The value with its sets sorted: sets have no order, and DynamoDB may return them in any.
fn normalized(value: &AttributeValue) -> AttributeValue {
    match value {
        AttributeValue::Ss(v) => AttributeValue::Ss(sorted(v)),
        AttributeValue::Ns(v) => AttributeValue::Ns(sorted(v)),
        AttributeValue::Bs(v) => AttributeValue::Bs(sorted(v)),
        AttributeValue::M(m) => AttributeValue::M(normalized_item(m)),
        AttributeValue::L(l) => AttributeValue::L(l.iter().map(normalized).collect()),
        other => other.clone(),
    }
}

fn normalized_item(item: &Item) -> Item {
    item.iter()
        .map(|(k, v)| (k.clone(), normalized(v)))
        .collect()
}

fn sorted<T: Ord + Clone>(v: &[T]) -> Vec<T> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// An item holding every attribute type, nested ones included. Numbers are in DynamoDB's
/// canonical form, so they read back as written.
fn every_type(pk: &str, sk: i64) -> Item {
    let bytes = |b: &[u8]| stratus_runtime::Blob::copy_from_slice(b);
    item([
        ("pk", pk.into()),
        ("sk", sk.into()),
        ("group", "all-types".into()),
        ("s", "text with \"quotes\", \\ and ünïcødé 😀".into()),
        ("n", AttributeValue::N("-12345.678".into())),
        (
            "big",
            AttributeValue::N("12345678901234567890123456789".into()),
        ),
        ("b", bytes(&[0, 1, 2, 0x7f, 0x80, 0xfe, 0xff]).into()),
        (
            "ss",
            AttributeValue::Ss(vec!["red".into(), "green".into(), "blue".into()]),
        ),
        (
            "ns",
            AttributeValue::Ns(vec!["1".into(), "-2.5".into(), "1000".into()]),
        ),
        (
            "bs",
            AttributeValue::Bs(vec![bytes(b"\x00"), bytes(b"\xff\xfe"), bytes(b"abc")]),
        ),
        (
            "m",
            item([
                ("inner", "value".into()),
                ("count", 3.into()),
                ("deeper", item([("flag", false.into())]).into()),
            ])
            .into(),
        ),
        (
            "l",
            vec![
                "one".into(),
                2.into(),
                true.into(),
                AttributeValue::Null(true),
                vec![AttributeValue::from("nested")].into(),
                item([("k", "v".into())]).into(),
            ]
            .into(),
        ),
        ("null", AttributeValue::Null(true)),
        ("counter", 41.into()),
        ("yes", true.into()),
        ("no", false.into()),
        ("empty_s", "".into()),
        ("empty_l", AttributeValue::L(vec![])),
        ("empty_m", AttributeValue::M(HashMap::new())),
    ])
}

#[tokio::test]
async fn dynamodb_items_round_trip_and_update() {
    let session = Session::get().await;
    let ddb = Client::new(&session.config());
    let table = "stratus-ddb-items";
    create_table(&ddb, table).await;

    // Every attribute type, written and read back equal.
    let written = every_type("all", 1);
    ddb.put_item(PutItemInput {
        table_name: table.into(),
        item: written.clone(),
        ..Default::default()
    })
    .await
    .expect("put item");
    let got = ddb
        .get_item(GetItemInput {
            table_name: table.into(),
            key: key("all", 1),
            consistent_read: Some(true),
            ..Default::default()
        })
        .await
        .expect("get item")
        .item
        .expect("the item");
    assert_eq!(normalized_item(&got), normalized_item(&written));

    // A projection: a name through a placeholder, a member of a map, an element of a list.
    let projected = ddb
        .get_item(GetItemInput {
            table_name: table.into(),
            key: key("all", 1),
            projection_expression: Some("#s, m.deeper, l[1]".into()),
            expression_attribute_names: Some([("#s".to_string(), "s".to_string())].into()),
            ..Default::default()
        })
        .await
        .expect("get item with a projection")
        .item
        .expect("the item");
    assert_eq!(
        projected,
        item([
            ("s", written["s"].clone()),
            (
                "m",
                item([("deeper", item([("flag", false.into())]).into())]).into()
            ),
            ("l", vec![AttributeValue::from(2)].into()),
        ])
    );

    // The global secondary index finds it.
    let by_group = ddb
        .query(QueryInput {
            table_name: table.into(),
            index_name: Some("by-group".into()),
            key_condition_expression: Some("#g = :g".into()),
            expression_attribute_names: Some([("#g".to_string(), "group".to_string())].into()),
            expression_attribute_values: Some(item([(":g", "all-types".into())])),
            ..Default::default()
        })
        .await
        .expect("query the index")
        .items
        .unwrap_or_default();
    assert_eq!(by_group.len(), 1);
    assert_eq!(normalized_item(&by_group[0]), normalized_item(&written));

    // An update expression: SET with names and values, ADD to a number and to a set.
    let updated = ddb
        .update_item(UpdateItemInput {
            table_name: table.into(),
            key: key("all", 1),
            update_expression: Some(
                "SET #s = :s, m.#i = :inner, #new = :new ADD #c :one, ss :more".into(),
            ),
            expression_attribute_names: Some(
                [
                    ("#s".to_string(), "s".to_string()),
                    ("#c".to_string(), "counter".to_string()),
                    ("#i".to_string(), "inner".to_string()),
                    ("#new".to_string(), "added".to_string()),
                ]
                .into(),
            ),
            expression_attribute_values: Some(item([
                (":s", "replaced".into()),
                (":inner", "changed".into()),
                (":new", AttributeValue::Ns(vec!["7".into()])),
                (":one", 1.into()),
                (":more", AttributeValue::Ss(vec!["purple".into()])),
            ])),
            return_values: Some(ReturnValue::UpdatedNew),
            ..Default::default()
        })
        .await
        .expect("update item")
        .attributes
        .expect("the updated attributes");
    let updated = normalized_item(&updated);
    assert_eq!(updated["s"], AttributeValue::S("replaced".into()));
    assert_eq!(updated["counter"], AttributeValue::N("42".into()));
    assert_eq!(updated["added"], AttributeValue::Ns(vec!["7".into()]));
    assert_eq!(
        updated["ss"],
        AttributeValue::Ss(vec![
            "blue".into(),
            "green".into(),
            "purple".into(),
            "red".into()
        ])
    );
    let AttributeValue::M(m) = &updated["m"] else {
        panic!("m is a map: {:?}", updated["m"]);
    };
    assert_eq!(m["inner"], AttributeValue::S("changed".into()));
    // Only what was updated.
    assert!(
        !updated.contains_key("b") && !updated.contains_key("pk") && !updated.contains_key("n"),
        "{updated:?}"
    );

    // ALL_OLD on the next update returns the item as it was.
    let old = ddb
        .update_item(UpdateItemInput {
            table_name: table.into(),
            key: key("all", 1),
            update_expression: Some("REMOVE added SET yes = :f".into()),
            expression_attribute_values: Some(item([(":f", false.into())])),
            return_values: Some(ReturnValue::AllOld),
            ..Default::default()
        })
        .await
        .expect("update item")
        .attributes
        .expect("the old item");
    assert_eq!(old["added"], AttributeValue::Ns(vec!["7".into()]));
    assert_eq!(old["yes"], AttributeValue::Bool(true));
    assert_eq!(old["b"], written["b"]);

    // A conditional put that fails: the operation's typed variant.
    let err = ddb
        .put_item(PutItemInput {
            table_name: table.into(),
            item: key("all", 1),
            condition_expression: Some("attribute_not_exists(pk)".into()),
            return_values_on_condition_check_failure: Some(
                ReturnValuesOnConditionCheckFailure::AllOld,
            ),
            ..Default::default()
        })
        .await
        .expect_err("the item exists");
    assert_eq!(err.code(), Some("ConditionalCheckFailedException"), "{err}");
    match err.service_error() {
        Some(PutItemError::ConditionalCheckFailedException(e)) => {
            assert!(e.message.is_some(), "{e:?}");
            // The item as it is, returned in the exception.
            let current = e.item.as_ref().expect("the item in the exception");
            assert_eq!(current["s"], AttributeValue::S("replaced".into()));
            assert_eq!(current["counter"], AttributeValue::N("42".into()));
        }
        other => panic!("not the typed variant: {other:?}"),
    }
    // The item is unchanged.
    let after = ddb
        .get_item(GetItemInput {
            table_name: table.into(),
            key: key("all", 1),
            ..Default::default()
        })
        .await
        .expect("get item")
        .item
        .expect("the item");
    assert_eq!(after["s"], AttributeValue::S("replaced".into()));
    assert_eq!(after["yes"], AttributeValue::Bool(false));
    assert!(!after.contains_key("added"));
    let AttributeValue::M(m) = &after["m"] else {
        panic!("m is a map: {:?}", after["m"]);
    };
    assert_eq!(m["count"], AttributeValue::N("3".into()));
    assert_eq!(m["inner"], AttributeValue::S("changed".into()));

    // DeleteItem returns what it deleted; the item is gone.
    let deleted = ddb
        .delete_item(DeleteItemInput {
            table_name: table.into(),
            key: key("all", 1),
            return_values: Some(ReturnValue::AllOld),
            ..Default::default()
        })
        .await
        .expect("delete item")
        .attributes
        .expect("the deleted item");
    assert_eq!(deleted["s"], AttributeValue::S("replaced".into()));
    let gone = ddb
        .get_item(GetItemInput {
            table_name: table.into(),
            key: key("all", 1),
            ..Default::default()
        })
        .await
        .expect("get item");
    assert_eq!(gone.item, None);

    delete_table(&ddb, table).await;
}

#[tokio::test]
async fn dynamodb_query_scan_and_batches_over_300_items() {
    let session = Session::get().await;
    let ddb = Client::new(&session.config());
    let table = "stratus-ddb-pages";
    create_table(&ddb, table).await;
    const ITEMS: i64 = 300;

    // BatchWriteItem, 25 puts a call (DynamoDB's maximum), written out of order.
    let order: Vec<i64> = (0..ITEMS).map(|i| (i * 7) % ITEMS).collect();
    for chunk in order.chunks(25) {
        let mut requests: Vec<WriteRequest> = chunk
            .iter()
            .map(|&i| WriteRequest {
                put_request: Some(PutRequest {
                    item: item([
                        ("pk", "p".into()),
                        ("sk", i.into()),
                        ("group", if i % 2 == 0 { "even" } else { "odd" }.into()),
                        ("payload", format!("item {i}").into()),
                    ]),
                }),
                delete_request: None,
            })
            .collect();
        // Retry what DynamoDB leaves unprocessed (moto processes everything).
        for _ in 0..5 {
            let out = ddb
                .batch_write_item(BatchWriteItemInput {
                    request_items: [(table.to_string(), requests)].into(),
                    ..Default::default()
                })
                .await
                .expect("batch write");
            requests = out
                .unprocessed_items
                .unwrap_or_default()
                .remove(table)
                .unwrap_or_default();
            if requests.is_empty() {
                break;
            }
        }
        assert!(requests.is_empty(), "still unprocessed: {requests:?}");
    }

    // Query with a small Limit and an explicit ExclusiveStartKey / LastEvaluatedKey loop.
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut start = None;
    loop {
        let page = ddb
            .query(QueryInput {
                table_name: table.into(),
                key_condition_expression: Some("pk = :p".into()),
                expression_attribute_values: Some(item([(":p", "p".into())])),
                limit: Some(20),
                exclusive_start_key: start.take(),
                ..Default::default()
            })
            .await
            .expect("query");
        pages += 1;
        let items = page.items.unwrap_or_default();
        assert!(items.len() <= 20);
        assert_eq!(page.count, Some(items.len() as i32));
        for found in items {
            let AttributeValue::N(sk) = &found["sk"] else {
                panic!("sk is a number: {found:?}");
            };
            let sk: i64 = sk.parse().expect("an integer");
            assert_eq!(found["payload"], AttributeValue::S(format!("item {sk}")));
            seen.push(sk);
        }
        match page.last_evaluated_key {
            Some(last) => {
                assert_eq!(last.get("pk"), Some(&AttributeValue::S("p".into())));
                start = Some(last);
            }
            None => break,
        }
        assert!(pages <= 20, "too many pages");
    }
    // Every item once, in key order (numeric order of `sk`).
    assert_eq!(seen, (0..ITEMS).collect::<Vec<_>>());
    assert!((15..=16).contains(&pages), "{pages} pages");

    // Backwards, from a given start key, one page.
    let backwards = ddb
        .query(QueryInput {
            table_name: table.into(),
            key_condition_expression: Some("pk = :p".into()),
            expression_attribute_values: Some(item([(":p", "p".into())])),
            scan_index_forward: Some(false),
            exclusive_start_key: Some(key("p", 100)),
            limit: Some(3),
            ..Default::default()
        })
        .await
        .expect("query backwards")
        .items
        .unwrap_or_default();
    let sks: Vec<AttributeValue> = backwards.iter().map(|i| i["sk"].clone()).collect();
    assert_eq!(sks, [99, 98, 97].map(AttributeValue::from));

    // The index: the even half, with a filter on a non-key attribute.
    let even = ddb
        .query(QueryInput {
            table_name: table.into(),
            index_name: Some("by-group".into()),
            key_condition_expression: Some("#g = :g AND sk BETWEEN :lo AND :hi".into()),
            filter_expression: Some("payload <> :skip".into()),
            expression_attribute_names: Some([("#g".to_string(), "group".to_string())].into()),
            expression_attribute_values: Some(item([
                (":g", "even".into()),
                (":lo", 10.into()),
                (":hi", 20.into()),
                (":skip", "item 12".into()),
            ])),
            ..Default::default()
        })
        .await
        .expect("query the index")
        .items
        .unwrap_or_default();
    let sks: Vec<AttributeValue> = even.iter().map(|i| i["sk"].clone()).collect();
    let expected: Vec<AttributeValue> = [10, 14, 16, 18, 20].map(AttributeValue::from).into();
    assert_eq!(sks, expected);

    // Scan, paged by ExclusiveStartKey too, with a filter.
    let mut scanned = Vec::new();
    let mut start = None;
    let mut pages = 0;
    loop {
        let page = ddb
            .scan(ScanInput {
                table_name: table.into(),
                filter_expression: Some("#g = :odd".into()),
                expression_attribute_names: Some([("#g".to_string(), "group".to_string())].into()),
                expression_attribute_values: Some(item([(":odd", "odd".into())])),
                limit: Some(100),
                exclusive_start_key: start.take(),
                ..Default::default()
            })
            .await
            .expect("scan");
        pages += 1;
        assert_eq!(page.scanned_count.map(|n| n <= 100), Some(true));
        scanned.extend(
            page.items
                .unwrap_or_default()
                .into_iter()
                .map(|i| match &i["sk"] {
                    AttributeValue::N(n) => n.parse::<i64>().expect("an integer"),
                    other => panic!("sk is a number: {other:?}"),
                }),
        );
        match page.last_evaluated_key {
            Some(last) => start = Some(last),
            None => break,
        }
        assert!(pages <= 5, "too many pages");
    }
    scanned.sort();
    assert_eq!(
        scanned,
        (0..ITEMS).filter(|i| i % 2 == 1).collect::<Vec<_>>()
    );

    // BatchGetItem: 40 keys, three of them missing, with a projection.
    let wanted: Vec<i64> = (0..37).map(|i| i * 8).chain([1000, 1001, 1002]).collect();
    let got = ddb
        .batch_get_item(BatchGetItemInput {
            request_items: [(
                table.to_string(),
                KeysAndAttributes {
                    keys: wanted.iter().map(|&i| key("p", i)).collect(),
                    projection_expression: Some("sk, payload".into()),
                    ..Default::default()
                },
            )]
            .into(),
            ..Default::default()
        })
        .await
        .expect("batch get");
    let unprocessed = got.unprocessed_keys.unwrap_or_default();
    assert!(
        unprocessed.values().all(|k| k.keys.is_empty()),
        "{unprocessed:?}"
    );
    let mut found: Vec<(i64, String)> = got
        .responses
        .unwrap_or_default()
        .remove(table)
        .expect("the table's items")
        .into_iter()
        .map(|i| {
            assert_eq!(i.len(), 2, "projected: {i:?}");
            match (&i["sk"], &i["payload"]) {
                (AttributeValue::N(n), AttributeValue::S(s)) => (n.parse().unwrap(), s.clone()),
                other => panic!("{other:?}"),
            }
        })
        .collect();
    found.sort();
    let expected: Vec<(i64, String)> = (0..37)
        .map(|i| (i * 8, format!("item {}", i * 8)))
        .collect();
    assert_eq!(found, expected);

    // BatchWriteItem deletes; the table then holds 290 items.
    ddb.batch_write_item(BatchWriteItemInput {
        request_items: [(
            table.to_string(),
            (0..10)
                .map(|i| WriteRequest {
                    put_request: None,
                    delete_request: Some(DeleteRequest { key: key("p", i) }),
                })
                .collect(),
        )]
        .into(),
        ..Default::default()
    })
    .await
    .expect("batch delete");
    let count = ddb
        .scan(ScanInput {
            table_name: table.into(),
            select: Some(Select::Count),
            ..Default::default()
        })
        .await
        .expect("count");
    assert_eq!(count.count, Some(290));
    assert_eq!(count.items, None);

    delete_table(&ddb, table).await;
}

/// The key attributes of an item, as JSON in DynamoDB's form (`{"pk": {"S": ..}, ..}`),
/// binary values in base64: what a resume token holds.
fn key_json(item: &Item) -> serde_json::Value {
    use base64::Engine as _;
    let mut key = serde_json::Map::new();
    for name in ["bin", "pk"] {
        let value = match item.get(name) {
            Some(AttributeValue::S(s)) => serde_json::json!({ "S": s }),
            Some(AttributeValue::B(b)) => {
                serde_json::json!({ "B": base64::engine::general_purpose::STANDARD.encode(b) })
            }
            other => panic!("key attribute {name}: {other:?}"),
        };
        key.insert(name.into(), value);
    }
    serde_json::Value::Object(key)
}

fn pk_of(item: &Item) -> String {
    match item.get("pk") {
        Some(AttributeValue::S(s)) => s.clone(),
        other => panic!("pk: {other:?}"),
    }
}

/// The JSON inside a resume token.
fn token_json(token: &str) -> serde_json::Value {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .expect("a resume token is base64");
    serde_json::from_slice(&bytes).expect("of JSON")
}

/// `scan_paginator` over 23 items whose key has a binary range attribute, so the
/// `ExclusiveStartKey` / `LastEvaluatedKey` tokens are maps holding a `B` value: exact page
/// and item counts, and `max_items` cutting pages mid-way twice, each listing resumed from
/// the last one's token, hands out every item exactly once.
#[tokio::test]
async fn scan_paginator_with_map_tokens() {
    let session = Session::get().await;
    let ddb = Client::new(&session.config());
    let table = "stratus-scan-paginator";
    ddb.create_table(CreateTableInput {
        table_name: table.into(),
        attribute_definitions: Some(vec![
            AttributeDefinition {
                attribute_name: "pk".into(),
                attribute_type: ScalarAttributeType::S,
            },
            AttributeDefinition {
                attribute_name: "bin".into(),
                attribute_type: ScalarAttributeType::B,
            },
        ]),
        key_schema: Some(vec![
            KeySchemaElement {
                attribute_name: "pk".into(),
                key_type: KeyType::Hash,
            },
            KeySchemaElement {
                attribute_name: "bin".into(),
                key_type: KeyType::Range,
            },
        ]),
        billing_mode: Some(BillingMode::PayPerRequest),
        ..Default::default()
    })
    .await
    .expect("create table");
    const ITEMS: usize = 23;
    let all: Vec<String> = (0..ITEMS).map(|i| format!("item-{i:02}")).collect();
    let requests: Vec<WriteRequest> = (0..ITEMS)
        .map(|i| WriteRequest {
            put_request: Some(PutRequest {
                item: item([
                    ("pk", all[i].as_str().into()),
                    (
                        "bin",
                        AttributeValue::B(stratus_runtime::Blob::from(vec![0, i as u8, 0xff])),
                    ),
                    ("n", (i as i64).into()),
                ]),
            }),
            delete_request: None,
        })
        .collect();
    for chunk in requests.chunks(25) {
        let out = ddb
            .batch_write_item(BatchWriteItemInput {
                request_items: [(table.to_string(), chunk.to_vec())].into(),
                ..Default::default()
            })
            .await
            .expect("batch write");
        assert!(
            out.unprocessed_items.unwrap_or_default().is_empty(),
            "moto processes every write"
        );
    }
    let scan = || ScanInput {
        table_name: table.into(),
        ..Default::default()
    };

    // Five a page: 5, 5, 5, 5, 3, each page's Count its items.
    let pages = ddb
        .scan_paginator(scan())
        .page_size(5)
        .pages()
        .try_collect()
        .await
        .expect("scan pages");
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.items.as_ref().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [5, 5, 5, 5, 3]);
    assert!(
        pages
            .iter()
            .all(|p| p.count == Some(p.items.as_ref().map_or(0, Vec::len) as i32)),
        "Count matches the items of each page"
    );
    let mut seen: Vec<String> = pages
        .iter()
        .flat_map(|p| p.items.iter().flatten().map(pk_of))
        .collect();
    seen.sort();
    assert_eq!(seen, all, "every item once");

    // At most 7 (page 1, two of page 2), then 9 (three of page 2, page 3, one of page 4),
    // then the rest (four of page 4, page 5).
    let mut handed_out: Vec<Item> = Vec::new();
    let mut token: Option<String> = None;
    for (max, cut) in [(Some(7), Some(2)), (Some(9), Some(1)), (None, None)] {
        let mut paginator = ddb.scan_paginator(scan()).page_size(5);
        if let Some(max) = max {
            paginator = paginator.max_items(max);
        }
        if let Some(token) = token.take() {
            paginator = paginator.starting_token(token);
        }
        let mut items = paginator.items();
        let mut these = Vec::new();
        while let Some(item) = items.next().await {
            these.push(item.expect("an item"));
        }
        let expected = max.unwrap_or(ITEMS - handed_out.len());
        assert_eq!(these.len(), expected, "max_items {max:?}");
        token = items.resume_token().map(str::to_owned);
        handed_out.extend(these);
        match (cut, &token) {
            (Some(cut), Some(text)) => {
                // botocore's token: the key the cut page was asked for with (the last key
                // of the page before it), the items of that page handed out, and where the
                // binary value is.
                let before_cut = &handed_out[handed_out.len() - cut - 1];
                assert_eq!(
                    token_json(text),
                    serde_json::json!({
                        "ExclusiveStartKey": key_json(before_cut),
                        "boto_truncate_amount": cut,
                        "boto_encoded_keys": [["ExclusiveStartKey", "bin", "B"]],
                    })
                );
            }
            (None, None) => {}
            (cut, token) => panic!("cut {cut:?} but token {token:?}"),
        }
    }
    let mut handed_out: Vec<String> = handed_out.iter().map(pk_of).collect();
    handed_out.sort();
    assert_eq!(handed_out, all, "7 + 9 + 7: every item exactly once");

    ddb.delete_table(DeleteTableInput {
        table_name: table.into(),
    })
    .await
    .expect("delete table");
}
