//! Waiters against canned awsJson responses: each matcher, each state, running out of
//! attempts and of time.

use super::*;
use crate::operation::{Protocol, ServiceError, ServiceInfo};
use crate::schema::{Member, Schema};
use crate::transport::StubClient;
use crate::value::{Value, opt, opt_mut};
use crate::{Config, Credentials};
use serde_json::{Value as Json, json};

static SERVICE: ServiceInfo = ServiceInfo {
    protocol: Protocol::Json,
    protocols: &[Protocol::Json],
    json_version: Some("1.1"),
    target_prefix: Some("Things"),
    ..ServiceInfo::test("things", "Things")
};

static STRING: Schema = Schema::string("String");
static STATES_MEMBER: [Member; 1] = [Member::new("member", &STRING)];
static STATES: Schema = Schema::list("States", &STATES_MEMBER);
static IO_MEMBERS: [Member; 2] = [
    Member::new("Status", &STRING),
    Member::new("States", &STATES),
];
static IO: Schema = Schema::structure("Thing", &IO_MEMBERS);
static DESCRIBE: Operation = Operation::new("DescribeThing", &SERVICE, "POST", "/", &IO, &IO);

#[derive(Clone, Default, PartialEq)]
struct Thing {
    status: Option<String>,
    states: Option<Vec<String>>,
}

impl StructValue for Thing {
    fn schema(&self) -> &'static Schema {
        &IO
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => opt(&self.status),
            1 => opt(&self.states),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => opt_mut(&mut self.status),
            1 => opt_mut(&mut self.states),
            _ => None,
        }
    }
}
crate::impl_struct_value!(Thing);

const fn path(state: AcceptorState, argument: &'static str, expected: &'static str) -> Acceptor {
    Acceptor::new(
        state,
        Matcher::Path {
            argument,
            expected: Expected::String(expected),
        },
    )
}

static READY: WaiterSpec = WaiterSpec {
    name: "ThingReady",
    delay: 15,
    max_attempts: 40,
    acceptors: &[
        path(AcceptorState::Success, "Status", "READY"),
        Acceptor::new(
            AcceptorState::Failure,
            Matcher::PathAny {
                argument: "States[]",
                expected: Expected::String("BROKEN"),
            },
        ),
        Acceptor::new(
            AcceptorState::Success,
            Matcher::PathAll {
                argument: "States",
                expected: Expected::String("OK"),
            },
        ),
        Acceptor::new(AcceptorState::Retry, Matcher::Error("Throttled")),
        path(AcceptorState::Retry, "Status", "PENDING"),
    ],
};

static GONE: WaiterSpec = WaiterSpec {
    name: "ThingGone",
    delay: 15,
    max_attempts: 40,
    acceptors: &[
        Acceptor::new(AcceptorState::Success, Matcher::Error("NotFound")),
        Acceptor::new(AcceptorState::Retry, Matcher::Status(200)),
    ],
};

fn client(responses: &[(u16, Json)]) -> (ClientHandle, StubClient) {
    let stub = StubClient::new();
    for (status, body) in responses {
        stub.push_response(*status, body.to_string());
    }
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:1")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .http_client(stub.clone())
        .build();
    (ClientHandle::new(&config, &SERVICE), stub)
}

fn fast() -> WaiterConfig {
    WaiterConfig::new().delay(Duration::from_millis(1))
}

async fn run(
    spec: &'static WaiterSpec,
    responses: &[(u16, Json)],
    config: WaiterConfig,
) -> (
    Result<Waited<Thing, ServiceError>, WaiterError<Thing, ServiceError>>,
    usize,
) {
    let (handle, stub) = client(responses);
    let result = wait(&handle, &DESCRIBE, spec, Thing::default(), config).await;
    (result, stub.requests().len())
}

#[tokio::test]
async fn retries_until_the_success_acceptor_matches() {
    let (result, calls) = run(
        &READY,
        &[
            (200, json!({"Status": "PENDING"})),
            (400, json!({"__type": "Throttled"})),
            (200, json!({"Status": "READY"})),
        ],
        fast(),
    )
    .await;
    let waited = result.unwrap();
    assert_eq!(calls, 3);
    assert_eq!(waited.attempts, 3);
    assert_eq!(waited.acceptor, READY.acceptors[0]);
    assert_eq!(
        waited.response.output().unwrap().status.as_deref(),
        Some("READY")
    );
}

#[tokio::test]
async fn path_any_and_path_all_read_lists() {
    // One broken state among several: the failure acceptor.
    let (result, _) = run(
        &READY,
        &[(200, json!({"States": ["OK", "BROKEN"]}))],
        fast(),
    )
    .await;
    let err = result.unwrap_err();
    assert!(err.is_failure(), "{err}");
    assert_eq!(
        err.to_string(),
        "Waiter ThingReady failed: Waiter encountered a terminal failure state: \
         For expression \"States[]\" we matched expected path: \"BROKEN\" at least once"
    );
    assert_eq!(
        err.response()
            .unwrap()
            .output()
            .unwrap()
            .states
            .as_deref()
            .unwrap(),
        ["OK", "BROKEN"]
    );

    // An empty list matches neither `pathAll` nor `pathAny`; then all OK does.
    let (result, calls) = run(
        &READY,
        &[
            (200, json!({"States": [], "Status": "PENDING"})),
            (200, json!({"States": ["OK", "OK"]})),
        ],
        fast(),
    )
    .await;
    assert_eq!(result.unwrap().acceptor, READY.acceptors[2]);
    assert_eq!(calls, 2);
}

#[tokio::test]
async fn an_error_acceptor_can_be_the_success() {
    let (result, calls) = run(
        &GONE,
        &[
            (200, json!({"Status": "DELETING"})),
            (
                404,
                json!({"__type": "NotFound", "message": "no such thing"}),
            ),
        ],
        fast(),
    )
    .await;
    let waited = result.unwrap();
    assert_eq!(calls, 2);
    assert_eq!(waited.response.error().unwrap().code(), Some("NotFound"));
}

#[tokio::test]
async fn an_unexpected_error_ends_the_wait() {
    let (result, calls) = run(
        &READY,
        &[(400, json!({"__type": "AccessDenied", "message": "no"}))],
        fast(),
    )
    .await;
    let err = result.unwrap_err();
    assert_eq!(calls, 1);
    let WaiterError::Call {
        error, attempts, ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(error.code(), Some("AccessDenied"));
    assert_eq!(*attempts, 1);
}

#[tokio::test]
async fn running_out_of_attempts_is_a_timeout_with_the_last_state() {
    let pending = (200, json!({"Status": "PENDING"}));
    let (result, calls) = run(
        &READY,
        &[pending.clone(), pending.clone(), pending],
        fast().max_attempts(3),
    )
    .await;
    let err = result.unwrap_err();
    assert_eq!(calls, 3);
    let WaiterError::Timeout {
        attempts,
        last_acceptor,
        response,
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(*attempts, 3);
    assert_eq!(*last_acceptor, Some(READY.acceptors[4]));
    assert_eq!(
        response.output().unwrap().status.as_deref(),
        Some("PENDING")
    );
    assert!(
        err.to_string().contains("Previously accepted state"),
        "{err}"
    );
}

#[tokio::test]
async fn max_wait_bounds_the_whole_wait() {
    let pending = (200, json!({"Status": "PENDING"}));
    let config = WaiterConfig::new()
        .delay(Duration::from_secs(30))
        .max_wait(Duration::from_secs(10));
    let started = std::time::Instant::now();
    let (result, calls) = run(&READY, &[pending], config).await;
    assert!(result.unwrap_err().is_timeout());
    assert_eq!(
        calls, 1,
        "a 30 s delay does not fit in 10 s: no second call"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_status_matcher_reads_successes_too() {
    let (result, _) = run(
        &GONE,
        &[(200, json!({})), (200, json!({}))],
        fast().max_attempts(2),
    )
    .await;
    let err = result.unwrap_err();
    let WaiterError::Timeout { last_acceptor, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*last_acceptor, Some(GONE.acceptors[1]));
}
