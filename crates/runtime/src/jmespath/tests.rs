//! Expressions evaluated on typed values: hand-written structures with schemas, as the code
//! generator writes them.

use super::*;
use crate::schema::{Member, Schema, ShapeType};
use crate::value::{opt, opt_mut};
use crate::{Blob, DateTime, Document};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

static STRING: Schema = Schema::string("String");
static INT: Schema = Schema::scalar("Integer", ShapeType::Integer);
static BOOL: Schema = Schema::scalar("Boolean", ShapeType::Boolean);
static TIME: Schema = Schema::scalar("DateTime", ShapeType::Timestamp);
static BLOB: Schema = Schema::scalar("Blob", ShapeType::Blob);
static DOC: Schema = Schema::scalar("Document", ShapeType::Document);
static STATE_NAME: Schema = Schema::enumeration("InstanceStateName", &["pending", "running"]);
static TAG_MAP_ENTRY: [Member; 2] = [Member::new("key", &STRING), Member::new("value", &STRING)];
static TAG_MAP: Schema = Schema::map("TagMap", &TAG_MAP_ENTRY);
static SPARSE_MEMBER: [Member; 1] = [Member::new("member", &STRING)];
static SPARSE: Schema = Schema::list("SparseList", &SPARSE_MEMBER);
static TARGET_MEMBERS: [Member; 2] = [Member::new("Arn", &STRING), Member::new("Count", &INT)];
static TARGET: Schema = Schema::union("Target", &TARGET_MEMBERS);
static STATE_MEMBERS: [Member; 2] = [Member::new("Code", &INT), Member::new("Name", &STATE_NAME)];
static STATE: Schema = Schema::structure("InstanceState", &STATE_MEMBERS);
static INSTANCE_MEMBERS: [Member; 9] = [
    // The wire name differs from the model name: JMESPath uses the model name.
    Member::new("InstanceId", &STRING).location_name("instanceId"),
    Member::new("State", &STATE),
    Member::new("LaunchTime", &TIME),
    Member::new("Tags", &TAG_MAP),
    Member::new("UserData", &BLOB),
    Member::new("Metadata", &DOC),
    Member::new("EbsOptimized", &BOOL),
    Member::new("Target", &TARGET),
    Member::new("Aliases", &SPARSE),
];
static INSTANCE: Schema = Schema::structure("Instance", &INSTANCE_MEMBERS);
static INSTANCE_LIST_MEMBER: [Member; 1] = [Member::new("member", &INSTANCE)];
static INSTANCE_LIST: Schema = Schema::list("InstanceList", &INSTANCE_LIST_MEMBER);
static RESERVATION_MEMBERS: [Member; 1] = [Member::new("Instances", &INSTANCE_LIST)];
static RESERVATION: Schema = Schema::structure("Reservation", &RESERVATION_MEMBERS);
static RESERVATION_LIST_MEMBER: [Member; 1] = [Member::new("member", &RESERVATION)];
static RESERVATION_LIST: Schema = Schema::list("ReservationList", &RESERVATION_LIST_MEMBER);
static OUTPUT_MEMBERS: [Member; 3] = [
    Member::new("Reservations", &RESERVATION_LIST),
    Member::new("NextToken", &STRING),
    Member::new("Count", &INT),
];
static OUTPUT: Schema = Schema::structure("DescribeInstancesOutput", &OUTPUT_MEMBERS);

#[derive(Clone, PartialEq, Eq, Hash)]
enum StateName {
    Pending,
    Running,
    Unknown(String),
}
impl StateName {
    fn as_str(&self) -> &str {
        match self {
            StateName::Pending => "pending",
            StateName::Running => "running",
            StateName::Unknown(v) => v,
        }
    }
}
impl From<&str> for StateName {
    fn from(value: &str) -> Self {
        match value {
            "pending" => StateName::Pending,
            "running" => StateName::Running,
            other => StateName::Unknown(other.to_owned()),
        }
    }
}
crate::impl_enum_value!(StateName);

/// A union, generated as an enum.
#[derive(Clone, Default)]
enum Target {
    Arn(String),
    Count(i32),
    #[default]
    Unknown,
}
impl StructValue for Target {
    fn schema(&self) -> &'static Schema {
        &TARGET
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match (index, self) {
            (0, Target::Arn(v)) => Some(v),
            (1, Target::Count(v)) => Some(v),
            _ => None,
        }
    }
    fn member_mut(&mut self, _index: usize) -> Option<&mut dyn Value> {
        None
    }
}
crate::impl_struct_value!(Target);

macro_rules! structure {
    ($name:ident, $schema:ident, { $($index:literal => $field:ident : $ty:ty),* $(,)? }) => {
        #[derive(Clone, Default)]
        struct $name {
            $($field: Option<$ty>,)*
        }
        impl StructValue for $name {
            fn schema(&self) -> &'static Schema {
                &$schema
            }
            fn member(&self, index: usize) -> Option<&dyn Value> {
                match index {
                    $($index => opt(&self.$field),)*
                    _ => None,
                }
            }
            fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
                match index {
                    $($index => opt_mut(&mut self.$field),)*
                    _ => None,
                }
            }
        }
        crate::impl_struct_value!($name);
    };
}

structure!(InstanceState, STATE, { 0 => code: i32, 1 => name: StateName });
structure!(Instance, INSTANCE, {
    0 => instance_id: String,
    1 => state: InstanceState,
    2 => launch_time: DateTime,
    3 => tags: HashMap<String, String>,
    4 => user_data: Blob,
    5 => metadata: Document,
    6 => ebs_optimized: bool,
    7 => target: Target,
    8 => aliases: Vec<Option<String>>,
});
structure!(Reservation, RESERVATION, { 0 => instances: Vec<Instance> });
structure!(Output, OUTPUT, {
    0 => reservations: Vec<Reservation>,
    1 => next_token: String,
    2 => count: i32,
});

fn instance(id: &str, state: StateName, launched: i64) -> Instance {
    Instance {
        instance_id: Some(id.to_owned()),
        state: Some(InstanceState {
            code: Some(if state == StateName::Running { 16 } else { 0 }),
            name: Some(state),
        }),
        launch_time: Some(DateTime::from_secs(launched)),
        ..Default::default()
    }
}

fn output() -> Output {
    let mut first = instance("i-1", StateName::Running, 1_576_540_098);
    first.tags = Some(HashMap::from([
        ("Name".to_owned(), "web".to_owned()),
        ("Env".to_owned(), "prod".to_owned()),
    ]));
    first.user_data = Some(Blob::from_static(b"hi!"));
    first.metadata = Some(Document::from(BTreeMap::from([(
        "sizes".to_owned(),
        Document::from(vec![1.into(), 2.5.into()]),
    )])));
    first.ebs_optimized = Some(false);
    first.target = Some(Target::Arn("arn:aws:x".to_owned()));
    first.aliases = Some(vec![Some("a".to_owned()), None, Some("b".to_owned())]);
    Output {
        reservations: Some(vec![
            Reservation {
                instances: Some(vec![
                    first,
                    instance("i-2", StateName::Pending, 1_600_000_000),
                ]),
            },
            Reservation {
                instances: Some(vec![Instance {
                    target: Some(Target::Count(2)),
                    ..instance("i-3", StateName::Running, 1_500_000_000)
                }]),
            },
            Reservation { instances: None },
        ]),
        next_token: None,
        count: Some(3),
    }
}

/// `expression` on `value`, as JSON.
fn search(value: &dyn Value, expression: &str) -> serde_json::Value {
    Expression::parse(expression)
        .unwrap()
        .search(value)
        .unwrap_or_else(|e| panic!("{e}"))
        .to_json()
}

#[test]
fn paths_select_members_by_model_name() {
    let out = output();
    assert_eq!(
        search(&out, "Reservations[].Instances[].InstanceId"),
        json!(["i-1", "i-2", "i-3"])
    );
    assert_eq!(
        search(&out, "Reservations[0].Instances[1].State"),
        json!({"Code": 0, "Name": "pending"})
    );
    // Wire names and Rust field names select nothing.
    assert_eq!(
        search(&out, "Reservations[0].Instances[0].instanceId"),
        json!(null)
    );
    assert_eq!(search(&out, "reservations"), json!(null));
    // An unset member is null; a projection drops it.
    assert_eq!(search(&out, "NextToken"), json!(null));
    assert_eq!(
        search(&out, "Reservations[*].Instances"),
        search(&out, "Reservations[:2].Instances")
    );
}

#[test]
fn paginator_output_tokens_and_result_keys() {
    let mut out = output();
    let token =
        Expression::parse("NextToken || Reservations[-2].Instances[-1].InstanceId").unwrap();
    assert_eq!(token.search(&out).unwrap().as_str().as_deref(), Some("i-3"));
    out.next_token = Some("page-2".to_owned());
    let found = token.search(&out).unwrap();
    // The token is the member itself, borrowed.
    let borrowed = match found.as_value().map(Value::get) {
        Some(crate::value::ValueRef::String(s)) => s,
        _ => panic!("not a borrowed string: {found:?}"),
    };
    assert!(std::ptr::eq(borrowed, out.next_token.as_deref().unwrap()));

    let items = Expression::parse("Reservations[].Instances[]").unwrap();
    let list = items.search(&out).unwrap().into_list().unwrap();
    assert_eq!(list.len(), 3);
    assert!(list.iter().all(|item| matches!(item, Found::Value(_))));
    assert_eq!(list[2].to_json()["InstanceId"], json!("i-3"));
    assert!(
        Expression::parse("Count")
            .unwrap()
            .search(&out)
            .unwrap()
            .is_truthy()
    );
    assert!(
        !Expression::parse("Reservations[2].Instances")
            .unwrap()
            .search(&out)
            .unwrap()
            .is_truthy()
    );
}

#[test]
fn waiter_acceptors() {
    let out = output();
    let path = |e: &str| Expression::parse(e).unwrap().search(&out).unwrap();
    assert!(path("length(Reservations[].Instances[]) > `0`").eq_json(&json!(true)));
    assert!(path("length(Reservations[?Instances == null]) == `1`").eq_json(&json!(true)));
    // pathAll / pathAny over the projected enum values.
    let states = path("Reservations[].Instances[].State.Name")
        .into_list()
        .unwrap();
    assert_eq!(states.len(), 3);
    assert!(states.iter().any(|s| s.eq_json(&json!("pending"))));
    assert!(!states.iter().all(|s| s.eq_json(&json!("running"))));
    assert_eq!(
        search(
            &out,
            "Reservations[].Instances[?State.Name == 'running'][].InstanceId"
        ),
        json!(["i-1", "i-3"])
    );
    assert!(
        path("contains(Reservations[].Instances[].State.Name, 'pending')").eq_json(&json!(true))
    );
    assert!(
        path("!(Reservations[0].Instances[0].EbsOptimized) && Count >= `3`").eq_json(&json!(true))
    );
    assert!(path("Reservations[0].Instances[0].State.Code == `16.0`").eq_json(&json!(true)));
}

#[test]
fn maps_unions_documents_blobs_and_sparse_lists() {
    let out = output();
    let first = "Reservations[0].Instances[0]";
    assert_eq!(search(&out, &format!("{first}.Tags.Name")), json!("web"));
    // Generated maps are visited by key.
    assert_eq!(
        search(&out, &format!("keys({first}.Tags)")),
        json!(["Env", "Name"])
    );
    assert_eq!(
        search(&out, &format!("{first}.Tags.*")),
        json!(["prod", "web"])
    );
    assert_eq!(
        search(&out, &format!("{first}.Target")),
        json!({"Arn": "arn:aws:x"})
    );
    assert_eq!(search(&out, &format!("{first}.Target.Count")), json!(null));
    assert_eq!(
        search(&out, &format!("{first}.Metadata.sizes[1]")),
        json!(2.5)
    );
    assert_eq!(
        search(&out, &format!("sum({first}.Metadata.sizes)")),
        json!(3.5)
    );
    assert_eq!(search(&out, &format!("{first}.UserData")), json!("aGkh"));
    assert_eq!(search(&out, &format!("length({first}.UserData)")), json!(4));
    assert_eq!(
        search(&out, &format!("{first}.Aliases")),
        json!(["a", null, "b"])
    );
    assert_eq!(
        search(&out, &format!("{first}.Aliases[*]")),
        json!(["a", "b"])
    );
    assert_eq!(search(&out, &format!("length(keys({first}))")), json!(9));
    assert_eq!(
        search(&out, "length(Reservations[1].Instances[0])"),
        json!(4)
    );
    assert_eq!(
        search(&out, "Reservations[1].Instances[0].Target"),
        json!({"Count": 2})
    );
    assert_eq!(
        search(&out, "Reservations[].Instances[].Target.*[]"),
        json!(["arn:aws:x", 2])
    );
}

#[test]
fn timestamps_read_as_isoformat_and_order_as_instants() {
    let out = output();
    assert_eq!(
        search(&out, "Reservations[0].Instances[0].LaunchTime"),
        json!("2019-12-16T23:48:18+00:00")
    );
    assert_eq!(
        search(
            &out,
            "sort_by(Reservations[].Instances[], &LaunchTime)[].InstanceId"
        ),
        json!(["i-3", "i-1", "i-2"])
    );
    assert_eq!(
        search(
            &out,
            "max_by(Reservations[].Instances[], &LaunchTime).InstanceId"
        ),
        json!("i-2")
    );
    assert_eq!(
        search(
            &out,
            "Reservations[].Instances[?LaunchTime > '2019-12-31'][].InstanceId"
        ),
        json!(["i-2"])
    );
    assert_eq!(
        search(
            &out,
            "Reservations[0].Instances[0].LaunchTime == '2019-12-16T23:48:18+00:00'"
        ),
        json!(true)
    );
    assert_eq!(
        search(&out, "type(Reservations[0].Instances[0].LaunchTime)"),
        json!("string")
    );
}

#[test]
fn type_errors_are_errors_naming_the_expression() {
    let out = output();
    let err = Expression::parse("abs(Reservations[0].Instances[0].InstanceId)")
        .unwrap()
        .search(&out)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidType);
    assert_eq!(
        err.to_string(),
        "cannot evaluate JMESPath expression `abs(Reservations[0].Instances[0].InstanceId)`: \
         abs(): argument 1 must be a number, found a string"
    );
    let err = Expression::parse("sort(Reservations[].Instances[].[InstanceId, State.Code][])")
        .unwrap()
        .search(&out)
        .unwrap_err();
    assert_eq!(
        err.message(),
        "sort(): argument 1 must be an array of numbers or an array of strings, found an array of numbers and strings"
    );
    let err = Expression::parse("&Count")
        .unwrap()
        .search(&out)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidType);
}

#[test]
fn parse_errors_display_what_where_and_which_expression() {
    let err = Expression::parse("Reservations[].Instances[?State.Name = 'x']").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Syntax);
    assert_eq!(err.offset(), 37);
    assert_eq!(
        err.to_string(),
        "invalid JMESPath expression `Reservations[].Instances[?State.Name = 'x']`: at offset 37: \
         `=` is not an operator; use `==`"
    );
    let err: ParseError = "length(a, b)".parse::<Expression>().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArity);
    assert_eq!(err.expression(), "length(a, b)");
}

#[test]
fn structures_seen_through_their_accessors() {
    let out = output();
    let input: &dyn StructValue = &out;
    let found = Expression::parse("Reservations[*].Instances[*].InstanceId")
        .unwrap()
        .search_struct(input)
        .unwrap();
    // The third reservation has no instances: null, dropped by the outer projection.
    assert_eq!(found.to_json(), json!([["i-1", "i-2"], ["i-3"]]));
    let whole = Expression::parse("@")
        .unwrap()
        .search_struct(input)
        .unwrap();
    assert!(matches!(whole, Found::Struct(_)));
    assert_eq!(whole.to_json()["Count"], json!(3));
    assert_eq!(format!("{whole:?}"), "Struct(DescribeInstancesOutput)");
}

// A recursive shape, as `Option<Box<_>>` closes cycles in generated code.
static CHAIN_MEMBERS: [Member; 2] = [Member::new("Value", &INT), Member::new("Next", &CHAIN)];
static CHAIN: Schema = Schema::structure("Chain", &CHAIN_MEMBERS);

#[derive(Default)]
struct Chain {
    value: Option<i32>,
    next: Option<Box<Chain>>,
}
impl StructValue for Chain {
    fn schema(&self) -> &'static Schema {
        &CHAIN
    }
    fn member(&self, index: usize) -> Option<&dyn Value> {
        match index {
            0 => opt(&self.value),
            1 => opt(&self.next),
            _ => None,
        }
    }
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        match index {
            0 => opt_mut(&mut self.value),
            1 => opt_mut(&mut self.next),
            _ => None,
        }
    }
}
crate::impl_struct_value!(Chain);

#[test]
fn deep_typed_values_convert_and_compare_without_recursion() {
    let depth = 20_000;
    let mut chain = Chain::default();
    for i in 0..depth {
        chain = Chain {
            value: Some(i),
            next: Some(Box::new(chain)),
        };
    }
    let found = Expression::parse("Next.Next")
        .unwrap()
        .search(&chain)
        .unwrap();
    let json = found.to_json();
    assert_eq!(json["Value"], json!(depth - 3));
    assert!(found.eq_json(&json));
    let same = Expression::parse("Next.Next == Next.Next")
        .unwrap()
        .search(&chain)
        .unwrap();
    assert!(same.eq_json(&json!(true)));
    let differ = Expression::parse("Next == Next.Next")
        .unwrap()
        .search(&chain)
        .unwrap();
    assert!(differ.eq_json(&json!(false)));
    let text = Expression::parse("to_string(@)")
        .unwrap()
        .search(&chain)
        .unwrap();
    let text = text.as_str().unwrap();
    assert!(
        text.starts_with(r#"{"Value":19999,"Next":{"Value":19998,"Next":{"#),
        "{}",
        &text[..60]
    );
    // The innermost link is a default `Chain`: no member set.
    assert!(text.ends_with(&format!(
        r#"{{"Value":0,"Next":{{}}{}"#,
        "}".repeat(depth as usize)
    )));
    assert_eq!(text.matches('{').count(), depth as usize + 1);
    // Take the deep values apart without recursion.
    let mut next = Some(json);
    while let Some(serde_json::Value::Object(mut entries)) = next.take() {
        next = entries.remove("Next");
    }
    let mut next = chain.next.take();
    while let Some(mut link) = next {
        next = link.next.take();
    }
}

/// The deepest `text(n)` that parses.
fn deepest(text: impl Fn(usize) -> String) -> String {
    let n = (1..)
        .find(|n| Expression::parse(&text(*n)).is_err())
        .expect("some depth is refused");
    assert!(n > 50, "{}: only {n} levels", text(1));
    text(n - 1)
}

#[test]
fn expressions_as_deep_as_the_parser_allows_evaluate_on_a_small_stack() {
    let texts = [
        deepest(|n| format!("{}Count{}", "[".repeat(n), "]".repeat(n))),
        deepest(|n| format!("{}Count", "!".repeat(n))),
        deepest(|n| format!("{}Count{}", "abs(".repeat(n), ")".repeat(n))),
        deepest(|n| format!("{}Count{}", "map(&".repeat(n), ", [@])".repeat(n))),
        deepest(|n| format!("{}Count{}", "{a: ".repeat(n), "}".repeat(n))),
        deepest(|n| format!("Reservations{}", "[*].Instances".repeat(n))),
        deepest(|n| format!("Count{}", ".x".repeat(n))),
        deepest(|n| format!("Count{}", " | @".repeat(n))),
        deepest(|n| format!("Count{}", " || Count".repeat(n))),
        deepest(|n| format!("Count{}", " == Count".repeat(n))),
        deepest(|n| format!("Reservations{}", "[1:]".repeat(n))),
        deepest(|n| format!("Reservations{}", "[0]".repeat(n))),
        deepest(|n| format!("Reservations{}", "[]".repeat(n))),
        deepest(|n| format!("Reservations{}", "[?Count]".repeat(n))),
    ];
    let out = output();
    // Test threads get 2 MiB of stack, as tokio's workers do.
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            for text in texts {
                let expr = Expression::parse(&text).unwrap_or_else(|e| panic!("{e}"));
                let copy = expr.clone();
                assert!(copy == expr);
                assert!(format!("{copy:?}").len() > text.len() / 2);
                drop(copy);
                let _ = expr.search(&out).unwrap();
                let _ = expr
                    .search_found(Found::from_json(&json!({"Count": 1})))
                    .unwrap();
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn expressions_and_results_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Expression>();
    send_sync::<Found<'static>>();
    send_sync::<ParseError>();
    send_sync::<EvalError>();
}
