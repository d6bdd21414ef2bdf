//! What the generated types do, shown on `tiny-client`: the crate generated from the
//! hand-written model in `codegen/tests/models/tiny`, which packs recursion, unions, enums,
//! keywords, name collisions, sensitive members and streaming into a few shapes.

use stratus_runtime::OperationError;
use stratus_runtime::debug::REDACTED;
use stratus_runtime::schema::{MemberFlags, ShapeType};
use stratus_runtime::value::{Scalar, StructValue, ValueRef};
use tiny_client::*;

#[test]
fn debug_redacts_sensitive_members_and_lists_of_them() {
    let thing = Thing {
        name: "widget".into(),
        secret: Some("hunter2".into()),
        secrets: Some(vec!["s3cr3t".into(), "pa55".into()]),
        ..Default::default()
    };
    let printed = format!("{thing:?}");
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(!printed.contains("s3cr3t"), "{printed}");
    assert!(!printed.contains("pa55"), "{printed}");
    assert_eq!(printed.matches(REDACTED).count(), 2, "{printed}");
    // Set members print under their model names; unset optional ones are left out.
    assert!(
        printed.starts_with("Thing { Name: \"widget\", Root: Node"),
        "{printed}"
    );
    assert!(!printed.contains("Created"), "{printed}");
}

#[test]
fn enums_keep_unknown_values_and_name_every_value() {
    let schema = &tiny_client::schemas::COLOR;
    assert_eq!(schema.shape_type, ShapeType::Enum);
    for value in schema.enum_values {
        let color = Color::from(*value);
        assert!(
            !matches!(color, Color::Unknown(_)),
            "{value} has no variant"
        );
        assert_eq!(color.as_str(), *value);
    }
    assert_eq!(Color::from("t2.micro"), Color::T2Micro);
    assert_eq!(Color::from("*"), Color::Asterisk);
    assert_eq!(Color::from(""), Color::Empty);
    assert_eq!(Color::from("1.0"), Color::V1_0);
    assert_eq!(Color::from("Unknown"), Color::UnknownValue);
    assert_eq!(
        Color::from("ultraviolet"),
        Color::Unknown("ultraviolet".into())
    );
    assert_eq!(
        Color::from("ultraviolet".to_string()).to_string(),
        "ultraviolet"
    );
    assert_eq!(Color::default(), Color::Unknown(String::new()));
}

#[test]
fn unions_switch_variants_through_the_accessor() {
    let mut choice = ValueShape::default();
    assert!(matches!(choice, ValueShape::Unknown(ref name) if name.is_empty()));
    choice
        .member_mut(1)
        .unwrap()
        .set(Scalar::Integer(42))
        .unwrap();
    assert!(choice == ValueShape::Number(42));
    assert!(choice.member(0).is_none(), "only the active variant is set");
    assert!(matches!(
        choice.member(1).map(|v| v.get()),
        Some(ValueRef::Integer(42))
    ));
    // Switching to the recursive variant replaces the value.
    choice.member_mut(2).unwrap().as_struct_mut().unwrap();
    assert!(matches!(choice, ValueShape::Nested(_)));
    // The model's member named `Unknown` does not collide with the SDK's own variant.
    choice
        .member_mut(3)
        .unwrap()
        .set(Scalar::Bool(true))
        .unwrap();
    assert!(choice == ValueShape::UnknownValue(true));
}

#[test]
fn recursive_structures_are_boxed_and_optional() {
    let leaf = Node {
        id: Some(2),
        ..Default::default()
    };
    let root = Node {
        id: Some(1),
        parent: None,
        children: Some(vec![leaf.clone()]),
        payload: Some(Box::new(ValueShape::Nested(Box::new(leaf)))),
        ratio: Some(0.5),
    };
    let thing = GetThingOutput {
        root: root.clone(),
        ..Default::default()
    };
    assert_eq!(thing.root.children.as_ref().unwrap()[0].id, Some(2));
    let schema = root.schema();
    assert_eq!(schema.members()[1].target.name, "Node");
}

#[test]
fn accessors_write_and_read_members_by_schema_index() {
    let mut input = GetThingInput::default();
    let schema = input.schema();
    let (name, member) = schema.member("Name").unwrap();
    assert!(member.has(MemberFlags::REQUIRED));
    input
        .member_mut(name)
        .unwrap()
        .set(Scalar::String("abc".into()))
        .unwrap();
    let (kind, _) = schema.member("Type").unwrap();
    input
        .member_mut(kind)
        .unwrap()
        .set(Scalar::String("dark-blue".into()))
        .unwrap();
    assert_eq!(input.name, "abc");
    assert_eq!(input.r#type, Some(Color::DarkBlue));
    assert!(input.member(schema.member("Self").unwrap().0).is_none());
    assert!(input.member(99).is_none());
    let err = input
        .member_mut(name)
        .unwrap()
        .set(Scalar::Bool(true))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot store a boolean in a value of type String"
    );
}

#[test]
fn names_resolve_collisions_by_the_documented_rules() {
    // Members `nextToken` and `NextToken` both want `next_token`: model order decides.
    let list = ListThingsInput {
        next_token: Some("a".into()),
        next_token_value: Some("b".into()),
        max_results: Some(10),
    };
    assert_eq!(list.schema().members()[0].name, "nextToken");
    assert_eq!(list.schema().members()[1].name, "NextToken");
    // A shape named like the prelude's `Option`, or like an operation's error enum, yields.
    let _: OptionShape = OptionShape {
        enabled: Some(true),
    };
    let _: GetThingErrorShape = GetThingErrorShape::default();
    // Shapes shared by operations keep their names; each operation gets an alias.
    let _: ListMoreThingsInput = ListRequest::default();
    // An operation without input or output gets an empty one.
    assert!(PingInput::default().schema().members().is_empty());
    assert!(PutThingOutput::default().schema().members().is_empty());
}

#[test]
fn error_enums_build_modeled_variants_by_index() {
    let mut error = GetThingError::modeled(0).unwrap();
    let payload = error.payload_mut().unwrap();
    let (message, _) = payload.schema().member("Message").unwrap();
    payload
        .member_mut(message)
        .unwrap()
        .set(Scalar::String("no such thing".into()))
        .unwrap();
    assert_eq!(error.to_string(), "NotFound: no such thing");
    assert!(matches!(
        GetThingError::modeled(1),
        Some(GetThingError::Throttled(_))
    ));
    assert!(GetThingError::modeled(2).is_none());
    let unhandled = GetThingError::unhandled(stratus_runtime::ServiceError {
        code: "Boom".into(),
        message: Some("it broke".into()),
        request_id: Some("req-1".into()),
        status: Some(500),
    });
    assert_eq!(unhandled.to_string(), "Boom: it broke (request id req-1)");
    assert!(unhandled.payload().is_none());
}

#[test]
fn operation_descriptors_carry_the_model() {
    let op = &tiny_client::operations::PUT_THING;
    assert_eq!(
        (op.http_method, op.request_uri, op.response_code),
        ("PUT", "/things/{Name}", Some(201))
    );
    assert!(op.idempotent);
    let (body, member) = op.input.member("Body").unwrap();
    assert_eq!(op.input.payload, Some(body as u16));
    assert!(
        member
            .target
            .has(stratus_runtime::schema::ShapeFlags::STREAMING)
    );
    let (_, token) = op.input.member("Token").unwrap();
    assert!(token.has(MemberFlags::IDEMPOTENCY_TOKEN));
    assert_eq!(token.wire_name(), "x-tiny-token");
    let get = &tiny_client::operations::GET_THING;
    let codes: Vec<&str> = get.errors.iter().map(|e| e.error_code()).collect();
    assert_eq!(codes, ["NotFound", "Throttled"]);
    assert_eq!(tiny_client::operations::ALL.len(), 5);
}

/// DynamoDB's `AttributeValue` is a structure in botocore's model and a union in AWS's:
/// codegen makes it an enum (`codegen/src/unions.rs`), with `From` conversions.
#[test]
fn dynamodb_attribute_values_are_an_enum_with_conversions() {
    use dynamodb_client::AttributeValue as Av;
    use std::collections::HashMap;
    use stratus_runtime::Blob;

    let schema = &dynamodb_client::schemas::ATTRIBUTE_VALUE;
    assert_eq!(schema.shape_type, ShapeType::Union);

    // An item with every variant; each value sets exactly its own member.
    let item: HashMap<String, Av> = HashMap::from([
        ("S".to_string(), Av::S("text".into())),
        ("N".to_string(), Av::N("42".into())),
        ("B".to_string(), Av::B(Blob::from_static(b"\x00\x01"))),
        ("SS".to_string(), Av::Ss(vec!["a".into(), "b".into()])),
        ("NS".to_string(), Av::Ns(vec!["1".into(), "2.5".into()])),
        ("BS".to_string(), Av::Bs(vec![Blob::from_static(b"x")])),
        (
            "M".to_string(),
            Av::M(HashMap::from([("inner".to_string(), Av::Bool(false))])),
        ),
        ("L".to_string(), Av::L(vec![Av::Null(true), Av::from(1)])),
        ("NULL".to_string(), Av::Null(true)),
        ("BOOL".to_string(), Av::Bool(true)),
    ]);
    assert_eq!(item.len(), schema.members().len());
    for (index, member) in schema.members().iter().enumerate() {
        let value = &item[member.name];
        let set: Vec<usize> = (0..schema.members().len())
            .filter(|&i| value.member(i).is_some())
            .collect();
        assert_eq!(set, [index], "{}", member.name);
    }
    let input = dynamodb_client::PutItemInput {
        table_name: "things".into(),
        item: item.clone(),
        ..Default::default()
    };
    assert_eq!(input.item, item);

    // From conversions.
    assert_eq!(Av::from("x"), Av::S("x".into()));
    assert_eq!(Av::from(String::from("x")), Av::S("x".into()));
    assert_eq!(Av::from(true), Av::Bool(true));
    assert_eq!(
        Av::from(Blob::from_static(b"ab")),
        Av::B(Blob::from_static(b"ab"))
    );
    assert_eq!(
        Av::from(vec![1u8, 2]),
        Av::B(Blob::from_static(b"\x01\x02"))
    );
    assert_eq!(
        Av::from(vec![Av::from("a"), Av::from(2)]),
        Av::L(vec![Av::S("a".into()), Av::N("2".into())])
    );
    assert_eq!(
        Av::from(HashMap::from([("k".to_string(), Av::from(false))])),
        Av::M(HashMap::from([("k".to_string(), Av::Bool(false))]))
    );
    let numbers = [
        (Av::from(-7), "-7"),
        (Av::from(i64::MIN), "-9223372036854775808"),
        (Av::from(u64::MAX), "18446744073709551615"),
        (Av::from(0.1), "0.1"),
        (Av::from(1.0), "1"),
        (Av::from(-2.5), "-2.5"),
        (Av::from(1e21), "1000000000000000000000"),
        (Av::from(1e-7), "0.0000001"),
    ];
    for (value, text) in numbers {
        assert_eq!(value, Av::N(text.into()));
    }
    for x in [0.1, 1.0 / 3.0, 123456.789e3, f64::MIN_POSITIVE] {
        let Av::N(text) = Av::from(x) else {
            panic!("{x} is not a number")
        };
        assert_eq!(text.parse::<f64>().unwrap(), x, "{text} reads back");
    }

    // PartialEq compares variant and value; Default is an empty Unknown.
    assert_ne!(Av::S("1".into()), Av::N("1".into()));
    assert_ne!(Av::Null(true), Av::Bool(true));
    assert_ne!(Av::Ss(vec!["a".into()]), Av::Ss(vec!["b".into()]));
    assert_eq!(Av::default(), Av::Unknown(String::new()));

    // Debug prints the variant under its model name.
    assert_eq!(format!("{:?}", Av::from("x")), r#"AttributeValue::S("x")"#);
    assert_eq!(format!("{:?}", Av::from(42)), r#"AttributeValue::N("42")"#);
    assert_eq!(
        format!("{:?}", Av::Ss(vec!["a".into()])),
        r#"AttributeValue::SS(["a"])"#
    );
    assert_eq!(
        format!("{:?}", Av::Null(true)),
        "AttributeValue::NULL(true)"
    );
    assert_eq!(
        format!("{:?}", Av::from(false)),
        "AttributeValue::BOOL(false)"
    );
    assert_eq!(
        format!("{:?}", Av::from(vec![0u8; 3])),
        "AttributeValue::B(Blob(3 bytes))"
    );
    assert_eq!(
        format!("{:?}", Av::L(vec![Av::from("a"), Av::from(1)])),
        r#"AttributeValue::L([AttributeValue::S("a"), AttributeValue::N("1")])"#
    );
    assert_eq!(
        format!(
            "{:?}",
            Av::from(HashMap::from([("k".to_string(), Av::from(true))]))
        ),
        r#"AttributeValue::M({"k": AttributeValue::BOOL(true)})"#
    );
    assert_eq!(format!("{:?}", Av::default()), "AttributeValue::Unknown");
}
