//! The paginator against canned awsJson pages: tokens, `max_items`, resume tokens, repeated
//! tokens, `more_results`, several tokens at once.

use super::*;
use crate::operation::{Protocol, ServiceError, ServiceInfo};
use crate::schema::{Member, Schema, ShapeType};
use crate::transport::StubClient;
use crate::value::{Value, opt, opt_mut};
use crate::{Config, Credentials};
use base64::Engine as _;
use serde_json::{Value as Json, json};

static SERVICE: ServiceInfo = ServiceInfo {
    protocol: Protocol::Json,
    protocols: &[Protocol::Json],
    json_version: Some("1.1"),
    target_prefix: Some("Things"),
    ..ServiceInfo::test("things", "Things")
};

static STRING: Schema = Schema::string("String");
static INT: Schema = Schema::scalar("Int", ShapeType::Integer);
static BOOL: Schema = Schema::scalar("Bool", ShapeType::Boolean);
static NAMES_MEMBER: [Member; 1] = [Member::new("member", &STRING)];
static NAMES: Schema = Schema::list("Names", &NAMES_MEMBER);
static INPUT_MEMBERS: [Member; 4] = [
    Member::new("NextToken", &STRING),
    Member::new("Limit", &INT),
    Member::new("Marker", &STRING),
    Member::new("Filter", &STRING),
];
static INPUT: Schema = Schema::structure("ListThingsInput", &INPUT_MEMBERS);
static OUTPUT_MEMBERS: [Member; 5] = [
    Member::new("Things", &NAMES),
    Member::new("NextToken", &STRING),
    Member::new("NextMarker", &STRING),
    Member::new("Truncated", &BOOL),
    Member::new("Others", &NAMES),
];
static OUTPUT: Schema = Schema::structure("ListThingsOutput", &OUTPUT_MEMBERS);
static LIST_THINGS: Operation =
    Operation::new("ListThings", &SERVICE, "POST", "/", &INPUT, &OUTPUT);

#[derive(Clone, Default, PartialEq)]
struct Input {
    next_token: Option<String>,
    limit: Option<i32>,
    marker: Option<String>,
    filter: Option<String>,
}

impl StructValue for Input {
    fn schema(&self) -> &'static Schema {
        &INPUT
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => opt(&self.next_token),
            1 => opt(&self.limit),
            2 => opt(&self.marker),
            3 => opt(&self.filter),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => opt_mut(&mut self.next_token),
            1 => opt_mut(&mut self.limit),
            2 => opt_mut(&mut self.marker),
            3 => opt_mut(&mut self.filter),
            _ => None,
        }
    }
}
crate::impl_struct_value!(Input);

#[derive(Clone, Default, PartialEq)]
struct Output {
    things: Option<Vec<String>>,
    next_token: Option<String>,
    next_marker: Option<String>,
    truncated: Option<bool>,
    others: Option<Vec<String>>,
}

impl StructValue for Output {
    fn schema(&self) -> &'static Schema {
        &OUTPUT
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => opt(&self.things),
            1 => opt(&self.next_token),
            2 => opt(&self.next_marker),
            3 => opt(&self.truncated),
            4 => opt(&self.others),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => opt_mut(&mut self.things),
            1 => opt_mut(&mut self.next_token),
            2 => opt_mut(&mut self.next_marker),
            3 => opt_mut(&mut self.truncated),
            4 => opt_mut(&mut self.others),
            _ => None,
        }
    }
}
crate::impl_struct_value!(Output);

static BY_TOKEN: PaginatorSpec =
    PaginatorSpec::new(&["NextToken"], &["NextToken"], &["Things", "Others"]).limit_key("Limit");
static BY_TWO_TOKENS: PaginatorSpec = PaginatorSpec::new(
    &["NextToken", "Marker"],
    &["NextToken", "NextMarker || Things[-1]"],
    &["Things"],
)
.more_results("Truncated");

type Things = Paginator<Input, Output, ServiceError>;

fn client(pages: &[Json]) -> (ClientHandle, StubClient) {
    let stub = StubClient::new();
    for page in pages {
        stub.push_response(200, page.to_string());
    }
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:1")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .http_client(stub.clone())
        .build();
    (ClientHandle::new(&config, &SERVICE), stub)
}

/// The JSON bodies the stub was sent.
fn sent(stub: &StubClient) -> Vec<Json> {
    stub.requests()
        .iter()
        .map(|r| serde_json::from_slice(r.body()).unwrap())
        .collect()
}

fn page(things: &[&str], next: Option<&str>) -> Json {
    let mut page = json!({ "Things": things });
    if let Some(next) = next {
        page["NextToken"] = json!(next);
    }
    page
}

fn decoded(token: &str) -> String {
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(token)
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn pages_follow_the_token_and_stop_without_one() {
    let (handle, stub) = client(&[page(&["a", "b"], Some("t1")), page(&["c"], Some(""))]);
    let input = Input {
        filter: Some("f".into()),
        ..Default::default()
    };
    let pages = Things::new(&handle, &LIST_THINGS, &BY_TOKEN, input)
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2, "an empty token ends the listing");
    assert_eq!(pages[1].things.as_deref(), Some(&["c".to_string()][..]));
    assert_eq!(
        sent(&stub),
        vec![
            json!({"Limit": 2, "Filter": "f"}),
            json!({"NextToken": "t1", "Limit": 2, "Filter": "f"}),
        ]
    );
}

#[tokio::test]
async fn max_items_cuts_a_page_and_the_token_resumes_inside_it() {
    let (handle, stub) = client(&[
        page(&["a", "b", "c"], Some("t1")),
        page(&["d", "e", "f"], Some("t2")),
    ]);
    let mut items = Things::new(&handle, &LIST_THINGS, &BY_TOKEN, Input::default())
        .max_items(4)
        .items(|o| o.things.take().unwrap_or_default());
    assert_eq!(items.try_collect().await.unwrap(), ["a", "b", "c", "d"]);
    let token = items
        .resume_token()
        .expect("a listing cut short resumes")
        .to_owned();
    // The page fetched with `t1`, one item of it handed out: botocore's own text.
    assert_eq!(
        decoded(&token),
        r#"{"NextToken": "t1", "boto_truncate_amount": 1}"#
    );
    assert_eq!(sent(&stub).len(), 2);

    // Resuming asks for the `t1` page again and hands out the rest of it.
    let (handle, stub) = client(&[
        json!({"Things": ["d", "e", "f"], "Others": ["x"], "NextToken": "t2"}),
        page(&["g"], None),
    ]);
    let pages = Things::new(&handle, &LIST_THINGS, &BY_TOKEN, Input::default())
        .starting_token(&token)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sent(&stub)[0], json!({"NextToken": "t1"}));
    assert_eq!(pages[0].things.as_deref().unwrap(), ["e", "f"]);
    assert_eq!(
        pages[0].others.as_deref().unwrap(),
        [] as [String; 0],
        "secondary keys of the resumed page were handed out with it"
    );
    assert_eq!(pages[1].things.as_deref().unwrap(), ["g"]);
}

#[tokio::test]
async fn max_items_on_a_page_boundary_resumes_with_the_next_token() {
    let (handle, _stub) = client(&[page(&["a", "b"], Some("t1"))]);
    let mut pages = Things::new(&handle, &LIST_THINGS, &BY_TOKEN, Input::default())
        .max_items(2)
        .pages();
    assert!(pages.next().await.unwrap().is_ok());
    assert!(pages.resume_token().is_some());
    assert!(pages.next().await.is_none());
    assert_eq!(
        decoded(pages.resume_token().unwrap()),
        r#"{"NextToken": "t1"}"#
    );
}

#[tokio::test]
async fn a_first_page_cut_leaves_a_null_token() {
    let (handle, _stub) = client(&[page(&["a", "b", "c"], Some("t1"))]);
    let mut pages = Things::new(&handle, &LIST_THINGS, &BY_TOKEN, Input::default())
        .max_items(1)
        .pages();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.things.unwrap(), ["a"]);
    assert!(pages.next().await.is_none());
    assert_eq!(
        decoded(pages.resume_token().unwrap()),
        r#"{"NextToken": null, "boto_truncate_amount": 1}"#
    );
}

#[tokio::test]
async fn the_same_token_twice_ends_with_an_error() {
    let (handle, _stub) = client(&[
        page(&["a"], Some("same")),
        page(&["b"], Some("same")),
        page(&["c"], Some("same")),
    ]);
    let mut pages = Things::new(&handle, &LIST_THINGS, &BY_TOKEN, Input::default()).pages();
    assert!(pages.next().await.unwrap().is_ok());
    assert!(
        pages.next().await.unwrap().is_ok(),
        "the page is handed out first"
    );
    let err = pages.next().await.unwrap().unwrap_err();
    let SdkError::Pagination(err) = err else {
        panic!("not a pagination error: {err:?}");
    };
    assert_eq!(err.kind(), PaginationErrorKind::RepeatedToken);
    assert!(err.to_string().contains("NextToken=\"same\""), "{err}");
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn more_results_and_two_tokens_with_a_fallback_expression() {
    let (handle, stub) = client(&[
        json!({"Things": ["a", "b"], "NextToken": "n1", "Truncated": true}),
        json!({"Things": ["c"], "NextToken": "n2", "NextMarker": "m2", "Truncated": true}),
        json!({"Things": ["d"], "NextToken": "n3", "Truncated": false}),
    ]);
    let items = Things::new(&handle, &LIST_THINGS, &BY_TWO_TOKENS, Input::default())
        .items(|o| o.things.take().unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, ["a", "b", "c", "d"], "`Truncated: false` ends it");
    assert_eq!(
        sent(&stub),
        vec![
            json!({}),
            // `NextMarker || Things[-1]`: no NextMarker, so the last thing.
            json!({"NextToken": "n1", "Marker": "b"}),
            json!({"NextToken": "n2", "Marker": "m2"}),
        ]
    );
}

#[tokio::test]
async fn starting_tokens_botocore_and_services_write() {
    // A bare service token.
    let (handle, stub) = client(&[page(&["x"], None)]);
    let mut pages = Things::new(&handle, &LIST_THINGS, &BY_TOKEN, Input::default())
        .starting_token("service-token")
        .pages();
    assert_eq!(pages.try_collect().await.unwrap().len(), 1);
    assert_eq!(sent(&stub)[0], json!({"NextToken": "service-token"}));

    // A token naming an input token this operation does not have: an error, nothing sent.
    let (handle, stub) = client(&[]);
    let bad = base64::engine::general_purpose::STANDARD.encode(r#"{"Marker": "m"}"#);
    let err = Things::new(&handle, &LIST_THINGS, &BY_TOKEN, Input::default())
        .starting_token(bad)
        .pages()
        .try_collect()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SdkError::Pagination(e) if e.kind() == PaginationErrorKind::BadStartingToken),
        "{err:?}"
    );
    assert!(stub.requests().is_empty());
}

#[tokio::test]
async fn a_service_error_ends_the_stream_with_it() {
    let stub = StubClient::new();
    stub.push_response(200, page(&["a"], Some("t1")).to_string());
    stub.push_response(
        400,
        json!({"__type": "ValidationException", "message": "bad token"}).to_string(),
    );
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:1")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .http_client(stub.clone())
        .build();
    let handle = ClientHandle::new(&config, &SERVICE);
    let mut pages = Things::new(&handle, &LIST_THINGS, &BY_TOKEN, Input::default()).pages();
    assert!(pages.next().await.unwrap().is_ok());
    let err = pages.next().await.unwrap().unwrap_err();
    assert_eq!(err.code(), Some("ValidationException"));
    assert!(pages.next().await.is_none());
    assert!(pages.resume_token().is_none());
}
