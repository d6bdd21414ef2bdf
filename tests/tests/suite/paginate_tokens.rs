//! Resume tokens interchange with botocore's, shown on recorded tokens.
//!
//! `tests/fixtures/paginate/botocore_tokens.json` was recorded by
//! `tests/fixtures/paginate/record.py` (its header says how, and with which botocore): the
//! wire pages of an AutoScaling `DescribeAutoScalingGroups` listing (string `NextToken`s,
//! one with characters JSON and `ensure_ascii` escape) and of a DynamoDB `Scan` (a
//! map-valued `LastEvaluatedKey` holding a binary `B` attribute), and for each case
//! (`PageSize`, `MaxItems`, `StartingToken`) what botocore's paginator did over them through
//! `botocore.stub.Stubber`: its requests, the pages they fetched, its items and its resume
//! token. Here Stratus's paginators run over the same wire pages (from a `StubClient`) and
//! must:
//!
//! * send the requests botocore sent (the same form parameters, the same JSON body), so
//!   they fetch the same pages;
//! * hand out the same items, with the same secondary result keys per page;
//! * end with botocore's resume token: byte for byte where the token holds strings; where it
//!   holds a map (DynamoDB's key) the same JSON (botocore keeps the order the service sent
//!   the key's attributes in, Stratus sorts them; both read either);
//! * resume from botocore's token (each `starting_from` case starts from the token botocore
//!   recorded for another case, the bare-service-token case from the service's own token);
//! * make the token the fixture recorded as Stratus's, from which botocore resumed
//!   (`botocore_from_stratus_token`) with the items and requests Stratus resumes with.
//!
//! No Python runs here. To re-record after a change to the cases or to Stratus's tokens:
//! `STRATUS_RECORD_TOKENS=/tmp/stratus-tokens.json cargo test -p stratus-tests --test suite
//! paginate_tokens` (writes Stratus's tokens, then fails where they are new), then
//! `target/moto-venv/bin/python tests/fixtures/paginate/record.py --stratus-tokens
//! /tmp/stratus-tokens.json`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value as Json};
use stratus_runtime::transport::StubClient;
use stratus_runtime::{Config, Credentials};

const FIXTURE: &str = include_str!("../../fixtures/paginate/botocore_tokens.json");

/// What one paginator run did.
#[derive(Debug, Default)]
struct Outcome {
    /// Each request as JSON: the JSON body, or the form parameters as an object.
    requests: Vec<Json>,
    items: Vec<String>,
    /// The secondary result keys of each page.
    secondary: Vec<Json>,
    resume_token: Option<String>,
}

/// Paging options of one run.
#[derive(Clone, Debug)]
struct Options {
    page_size: u32,
    max_items: Option<usize>,
    starting_token: Option<String>,
}

fn stub_config(pages: &[&str]) -> (Config, StubClient) {
    let stub = StubClient::new();
    for page in pages {
        stub.push_response(200, page.to_string());
    }
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .http_client(stub.clone())
        .build();
    (config, stub)
}

/// `application/x-www-form-urlencoded` text as an object of its parameters.
fn form(body: &[u8]) -> Json {
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
                    out.push(u8::from_str_radix(hex, 16).expect("a percent escape"));
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).expect("UTF-8 form values")
    }
    let text = std::str::from_utf8(body).expect("a text body");
    let mut object = Map::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        object.insert(decode(key), Json::String(decode(value)));
    }
    Json::Object(object)
}

async fn run_autoscaling(pages: &[&str], options: &Options) -> Outcome {
    use autoscaling_client::*;
    let (config, stub) = stub_config(pages);
    let client = Client::new(&config);
    let mut paginator = client
        .describe_auto_scaling_groups_paginator(DescribeAutoScalingGroupsInput::default())
        .page_size(options.page_size);
    if let Some(max) = options.max_items {
        paginator = paginator.max_items(max);
    }
    if let Some(token) = &options.starting_token {
        paginator = paginator.starting_token(token.clone());
    }
    let mut stream = paginator.pages();
    let mut outcome = Outcome::default();
    while let Some(page) = stream.next().await {
        let page = page.unwrap_or_else(|e| panic!("a page: {e}"));
        outcome.items.extend(
            page.auto_scaling_groups
                .into_iter()
                .map(|g| g.auto_scaling_group_name),
        );
    }
    outcome.resume_token = stream.resume_token().map(str::to_owned);
    outcome.requests = stub.requests().iter().map(|r| form(r.body())).collect();
    outcome
}

async fn run_dynamodb(pages: &[&str], options: &Options) -> Outcome {
    use dynamodb_client::*;
    let (config, stub) = stub_config(pages);
    let client = Client::new(&config);
    let mut paginator = client
        .scan_paginator(ScanInput {
            table_name: "stratus-tokens".into(),
            ..Default::default()
        })
        .page_size(options.page_size);
    if let Some(max) = options.max_items {
        paginator = paginator.max_items(max);
    }
    if let Some(token) = &options.starting_token {
        paginator = paginator.starting_token(token.clone());
    }
    let mut stream = paginator.pages();
    let mut outcome = Outcome::default();
    while let Some(page) = stream.next().await {
        let page = page.unwrap_or_else(|e| panic!("a page: {e}"));
        outcome
            .secondary
            .push(serde_json::json!({"Count": page.count, "ScannedCount": page.scanned_count}));
        for item in page.items.unwrap_or_default() {
            match item.get("pk") {
                Some(AttributeValue::S(pk)) => outcome.items.push(pk.clone()),
                other => panic!("an item without its string key: {other:?}"),
            }
        }
    }
    outcome.resume_token = stream.resume_token().map(str::to_owned);
    outcome.requests = stub
        .requests()
        .iter()
        .map(|r| serde_json::from_slice(r.body()).expect("a JSON body"))
        .collect();
    outcome
}

async fn run(service: &str, pages: &[&str], options: &Options) -> Outcome {
    match service {
        "autoscaling" => run_autoscaling(pages, options).await,
        "dynamodb" => run_dynamodb(pages, options).await,
        other => panic!("no runner for {other}"),
    }
}

/// The JSON text inside a resume token.
fn token_text(token: &str) -> String {
    String::from_utf8(STANDARD.decode(token).expect("base64")).expect("UTF-8")
}

/// A token's JSON with `boto_encoded_keys` sorted: the paths of binary values are a set.
fn token_json(token: &str) -> Json {
    let mut json: Json = serde_json::from_str(&token_text(token)).expect("JSON");
    if let Some(Json::Array(paths)) = json.get_mut("boto_encoded_keys") {
        paths.sort_by_key(|p| p.to_string());
    }
    json
}

/// Whether a token holds a map (whose key order botocore takes from the wire).
fn holds_map(token: &str) -> bool {
    serde_json::from_str::<Map<String, Json>>(&token_text(token))
        .expect("a JSON object")
        .values()
        .any(Json::is_object)
}

fn strings(json: &Json) -> Vec<String> {
    json.as_array()
        .expect("an array")
        .iter()
        .map(|s| s.as_str().expect("a string").to_owned())
        .collect()
}

fn served<'a>(pages: &'a [&'a str], indices: &Json) -> Vec<&'a str> {
    indices
        .as_array()
        .expect("page indices")
        .iter()
        .map(|i| pages[i.as_u64().expect("an index") as usize])
        .collect()
}

#[tokio::test]
async fn resume_tokens_interchange_with_botocore() {
    let fixture: Json = serde_json::from_str(FIXTURE).expect("the fixture is JSON");
    let mut made = Map::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut stratus_resumes = 0;
    for service in fixture["services"].as_array().expect("services") {
        let name = service["service"].as_str().expect("a service name");
        let pages: Vec<&str> = service["pages"]
            .as_array()
            .expect("pages")
            .iter()
            .map(|p| p.as_str().expect("a page body"))
            .collect();
        for case in service["cases"].as_array().expect("cases") {
            let label = format!("{name}/{}", case["name"].as_str().expect("a case name"));
            let options = Options {
                page_size: case["page_size"].as_u64().expect("a page size") as u32,
                max_items: case["max_items"].as_u64().map(|m| m as usize),
                starting_token: case["starting_token"].as_str().map(str::to_owned),
            };
            let outcome = run(name, &served(&pages, &case["pages_served"]), &options).await;
            assert_eq!(
                outcome.requests,
                case["requests"].as_array().expect("requests").clone(),
                "{label}: the requests botocore made"
            );
            assert_eq!(
                outcome.items,
                strings(&case["items"]),
                "{label}: the items botocore handed out"
            );
            if let Some(secondary) = case.get("secondary") {
                assert_eq!(
                    &Json::Array(outcome.secondary.clone()),
                    secondary,
                    "{label}: the secondary result keys of each page"
                );
            }
            let botocore = case["resume_token"].as_str();
            match (botocore, outcome.resume_token.as_deref()) {
                (None, None) => {}
                (Some(theirs), Some(ours)) if holds_map(theirs) => assert_eq!(
                    token_json(ours),
                    token_json(theirs),
                    "{label}: the resume token's JSON\n ours: {}\ntheirs: {}",
                    token_text(ours),
                    token_text(theirs)
                ),
                (Some(theirs), Some(ours)) => assert_eq!(
                    ours,
                    theirs,
                    "{label}: the resume token, byte for byte\n ours: {}\ntheirs: {}",
                    token_text(ours),
                    token_text(theirs)
                ),
                (theirs, ours) => panic!("{label}: resume token {ours:?}, botocore's {theirs:?}"),
            }
            checked += 1;
            let Some(ours) = outcome.resume_token else {
                continue;
            };
            made.insert(label.clone(), Json::String(ours.clone()));
            // botocore resumed from the token Stratus made when the fixture was recorded;
            // it must be the one Stratus makes now, and Stratus must resume from it as
            // botocore did.
            match case["stratus_token"].as_str() {
                Some(recorded) if recorded == ours => {
                    let from = &case["botocore_from_stratus_token"];
                    let resumed = run(
                        name,
                        &served(&pages, &from["pages_served"]),
                        &Options {
                            max_items: None,
                            starting_token: Some(ours.clone()),
                            ..options.clone()
                        },
                    )
                    .await;
                    assert_eq!(
                        resumed.requests,
                        from["requests"].as_array().expect("requests").clone(),
                        "{label}: resuming from Stratus's token, the requests botocore made"
                    );
                    assert_eq!(
                        resumed.items,
                        strings(&from["items"]),
                        "{label}: resuming from Stratus's token, the items botocore handed out"
                    );
                    assert_eq!(resumed.resume_token, None, "{label}");
                    stratus_resumes += 1;
                }
                recorded => failures.push(format!(
                    "{label}: Stratus's token is {} ({ours}), the fixture recorded {recorded:?} for botocore to resume from",
                    token_text(&ours)
                )),
            }
        }
    }
    if let Ok(path) = std::env::var("STRATUS_RECORD_TOKENS") {
        let text = serde_json::to_string_pretty(&Json::Object(made)).expect("JSON");
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {path}: {e}"));
    }
    assert!(
        failures.is_empty(),
        "re-record (see this module's docs):\n{}",
        failures.join("\n")
    );
    assert_eq!(checked, 17, "every recorded case ran");
    assert_eq!(
        stratus_resumes, 9,
        "every Stratus token was resumed by botocore"
    );
}
