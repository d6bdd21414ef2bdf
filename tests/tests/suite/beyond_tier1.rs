//! The codecs meet real models beyond `sdk/services.toml`: twenty services of every protocol
//! are generated into a workspace of their own (`target/beyond-tier1/`), and a program
//! built there calls one operation of each through the stub transport.
//!
//! For each service the test picks an operation without streams, fills the input's required
//! members, and answers the call with a response written from a sample output (every body
//! member set, nested aggregates included) in the protocol's format. The program prints what
//! was sent and the typed output it parsed, written back as JSON; the test checks the
//! request's protocol markers (target header, path, form action, signature) and that the
//! output holds exactly the sample. Services that list both `smithy-rpc-v2-cbor` and `json`
//! are called both ways (the client's protocol option).

use serde_json::{Value as Json, json};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use stratus_codegen::ir::Service;
use stratus_codegen::{EmitOptions, ModelsDir, RuntimeDependency};
use stratus_runtime::dynamic::DynValue;
use stratus_runtime::model::SchemaSet;
use stratus_runtime::operation::Protocol;
use stratus_runtime::protocol::cbor::{CborWriter, encode};
use stratus_runtime::protocol::json::JsonWriter;
use stratus_runtime::protocol::xml::XmlWriter;
use stratus_runtime::schema::{Location, Member, Schema, ShapeFlags, ShapeType};
use stratus_tests::conformance::protocols::json_eq;

/// Twenty services outside `sdk/services.toml`, small ones of each protocol, with an
/// operation where the first suitable one would not do.
const SERVICES: [(&str, Option<&str>); 20] = [
    // rest-json
    ("signer-data", None),
    ("marketplace-reporting", None),
    ("apigatewaymanagementapi", None),
    ("inspector-scan", None),
    ("eks-auth", None),
    // json
    ("ec2-instance-connect", None),
    ("forecastquery", None),
    ("migrationhub-config", None),
    ("freetier", None),
    ("route53-recovery-cluster", None),
    // smithy-rpc-v2-cbor and json
    ("marketplace-entitlement", None),
    ("kendra-ranking", None),
    ("interconnect", None),
    // smithy-rpc-v2-cbor only
    ("partnercentral-revenue-measurement", None),
    // query
    ("sdb", None),
    ("importexport", None),
    ("cloudsearch", None),
    ("elb", None),
    // rest-xml
    ("s3control", Some("ListAccessPoints")),
    ("bcm-recommended-actions", None),
];

/// One call the program makes.
struct Call {
    service: &'static str,
    protocol: Protocol,
    op: stratus_runtime::model::OperationModel,
    op_name: String,
    target_prefix: Option<String>,
    api_version: String,
    /// The output as the program should print it back.
    expected: Json,
    /// The canned response.
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// Rust code of the call.
    code: String,
}

#[test]
fn one_operation_of_every_protocol_on_twenty_generated_services() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = root.canonicalize().expect("the repository root");
    let models = ModelsDir::new(root.join("models"));
    let out = root.join("target/beyond-tier1");
    let listed = std::fs::read_to_string(root.join("sdk/services.toml")).unwrap();
    let options = EmitOptions {
        runtime: RuntimeDependency::Path(root.join("crates/runtime")),
        botocore_version: stratus_codegen::botocore_version(&models).unwrap(),
    };

    let mut calls = Vec::new();
    let mut protocols = std::collections::BTreeSet::new();
    for (service, op_name) in SERVICES {
        assert!(
            !listed.contains(&format!("\"{service}\"")),
            "{service} is in sdk/services.toml; pick another"
        );
        let generated = stratus_codegen::generate(&models, service, &options)
            .unwrap_or_else(|e| panic!("{service}: {e:#}"));
        let dir = out.join(service);
        for file in &generated.files {
            write_if_changed(&dir.join(&file.path), &file.contents);
        }
        let svc = Service::new(models.load(service).unwrap()).unwrap();
        let meta = &svc.files.model.metadata;
        let listed_protocols: Vec<Protocol> = if meta.protocols.is_empty() {
            vec![meta.protocol.clone()]
        } else {
            meta.protocols.clone()
        }
        .iter()
        .filter_map(|p| Protocol::from_name(p))
        .collect();
        let shapes = SchemaSet::build_shapes(&svc.files.model.shapes).unwrap();
        let op = pick_operation(&svc, &shapes, op_name)
            .unwrap_or_else(|| panic!("{service} has no operation this test can call"));
        let mut ways = vec![Protocol::preferred(&listed_protocols).unwrap()];
        if listed_protocols.contains(&Protocol::RpcV2Cbor) && ways[0] != Protocol::RpcV2Cbor {
            ways.push(Protocol::RpcV2Cbor);
        }
        for protocol in ways {
            protocols.insert(protocol.name());
            calls.push(prepare_call(
                service,
                &svc,
                &shapes,
                op,
                protocol,
                calls.len(),
            ));
        }
    }
    for protocol in [
        "json",
        "rest-json",
        "rest-xml",
        "smithy-rpc-v2-cbor",
        "query",
    ] {
        assert!(protocols.contains(protocol), "no service speaks {protocol}");
    }

    write_program(&root, &out, &calls);
    let report = run_program(&out);
    let lines: Vec<Json> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), calls.len(), "{report}");
    let mut failures = String::new();
    for (call, line) in calls.iter().zip(&lines) {
        if let Err(why) = check(call, line) {
            let _ = writeln!(
                failures,
                "{} {} over {}: {why}",
                call.service,
                call.op_name,
                call.protocol.name()
            );
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

/// The operation to call: the one named, else the first whose input and output hold no
/// stream and whose output has body members (the most of them among the first ten).
fn pick_operation<'s>(
    svc: &'s Service,
    shapes: &SchemaSet,
    wanted: Option<&str>,
) -> Option<&'s stratus_codegen::ir::Operation> {
    let usable = |op: &stratus_codegen::ir::Operation| {
        let m = &op.model;
        let streams = |shape: Option<&str>| {
            shape
                .and_then(|s| shapes.get(s))
                .is_some_and(|schema| schema.members().iter().any(is_stream))
        };
        let input = m.input.as_ref().map(|r| r.shape.as_str());
        let output = m.output.as_ref().map(|r| r.shape.as_str());
        let payload = output
            .and_then(|s| shapes.get(s))
            .is_some_and(|s| s.payload.is_some());
        !streams(input) && !streams(output) && !payload && m.endpointdiscovery.is_none()
    };
    if let Some(name) = wanted {
        return svc
            .operations
            .iter()
            .find(|op| op.name == name && usable(op));
    }
    let body_members = |op: &stratus_codegen::ir::Operation| {
        op.model
            .output
            .as_ref()
            .and_then(|r| shapes.get(&r.shape))
            .map_or(0, |s| {
                s.members()
                    .iter()
                    .filter(|m| m.location == Location::Body)
                    .count()
            })
    };
    svc.operations
        .iter()
        .filter(|op| usable(op) && body_members(op) > 0)
        .take(10)
        .max_by_key(|op| body_members(op))
}

fn is_stream(member: &Member) -> bool {
    member.target.has(ShapeFlags::EVENT_STREAM)
        || member.target.has(ShapeFlags::STREAMING)
        || member.has(stratus_runtime::schema::MemberFlags::STREAMING)
}

fn prepare_call(
    service: &'static str,
    svc: &Service,
    shapes: &SchemaSet,
    op: &stratus_codegen::ir::Operation,
    protocol: Protocol,
    index: usize,
) -> Call {
    let meta = &svc.files.model.metadata;
    let output = op
        .model
        .output
        .as_ref()
        .and_then(|r| shapes.get(&r.shape))
        .expect("an output shape");
    let sample = sample(output, 0);
    let value = DynValue::from_json(&sample, output).unwrap_or_else(|e| panic!("{service}: {e}"));
    let value = value.as_struct().expect("a structure");
    let mut writer = JsonWriter::new();
    writer.write_struct(value, true).unwrap();
    let expected: Json = serde_json::from_str(&writer.finish()).unwrap();
    let (headers, body) = match protocol {
        Protocol::Json => (
            vec![("content-type", "application/x-amz-json-1.1".to_string())],
            expected.to_string().into_bytes(),
        ),
        Protocol::RestJson => (
            vec![("content-type", "application/json".to_string())],
            expected.to_string().into_bytes(),
        ),
        Protocol::RpcV2Cbor => {
            let mut writer = CborWriter::new();
            encode::write_struct(&mut writer, value).unwrap();
            (
                vec![
                    ("content-type", "application/cbor".to_string()),
                    ("smithy-protocol", "rpc-v2-cbor".to_string()),
                ],
                writer.finish(),
            )
        }
        Protocol::Query | Protocol::RestXml | Protocol::Ec2 => {
            let mut writer = XmlWriter::new();
            let name = match (&op.model.output.as_ref().unwrap().result_wrapper, protocol) {
                (Some(wrapper), _) => wrapper.clone(),
                (None, Protocol::Query) => format!("{}Result", op.name),
                (None, _) => output.name.to_string(),
            };
            writer.write_root(leak(&name), None, value).unwrap();
            let document = writer.finish();
            let body = if protocol == Protocol::Query {
                format!(
                    "<{op}Response xmlns=\"{ns}\">{document}<ResponseMetadata><RequestId>\
                     req-1</RequestId></ResponseMetadata></{op}Response>",
                    op = op.name,
                    ns = meta.xml_namespace.as_deref().unwrap_or("")
                )
            } else {
                document
            };
            (
                vec![("content-type", "text/xml".to_string())],
                body.into_bytes(),
            )
        }
    };
    let input_type = op
        .input_alias
        .clone()
        .or_else(|| svc.shape(&op.input).type_name.clone())
        .expect("an input type");
    let pick = if Protocol::preferred(
        &meta
            .protocols
            .iter()
            .filter_map(|p| Protocol::from_name(p))
            .collect::<Vec<_>>(),
    ) == Some(protocol)
        || meta.protocols.is_empty()
    {
        "None".to_string()
    } else {
        format!("Some(Protocol::{protocol:?})")
    };
    let code = format!(
        "async fn call_{index}() -> String {{\n\
         \x20   let stub = fill::stub({index});\n\
         \x20   let config = fill::config(&stub, {pick});\n\
         \x20   let client = {lib}::Client::new(&config);\n\
         \x20   let mut input = {lib}::{input_type}::default();\n\
         \x20   fill::required(&mut input);\n\
         \x20   let result = client.{method}(input).await;\n\
         \x20   fill::report(&stub, result.map(|out| fill::to_json(&out)).map_err(|e| e.to_string()))\n\
         }}\n",
        lib = svc.lib_name,
        method = op.fn_name,
    );
    Call {
        service,
        protocol,
        op: op.model.clone(),
        op_name: op.name.clone(),
        target_prefix: meta.target_prefix.clone(),
        api_version: svc.files.model.metadata.api_version.clone(),
        expected,
        status: op.model.http.response_code.unwrap_or(200),
        headers,
        body,
        code,
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// A sample value of `schema` as `DynValue::from_json` reads it: every body member set,
/// aggregates two levels deep, lists of two elements, maps of one entry.
fn sample(schema: &'static Schema, depth: usize) -> Json {
    match schema.shape_type {
        ShapeType::Structure | ShapeType::Union => {
            let mut object = serde_json::Map::new();
            for member in schema.members() {
                if member.location != Location::Body || is_stream(member) {
                    continue;
                }
                let aggregate = matches!(
                    member.target.shape_type,
                    ShapeType::Structure | ShapeType::Union | ShapeType::List | ShapeType::Map
                );
                if aggregate && depth >= 3 {
                    continue;
                }
                object.insert(member.name.to_string(), sample(member.target, depth + 1));
                if schema.shape_type == ShapeType::Union {
                    break;
                }
            }
            Json::Object(object)
        }
        ShapeType::List => {
            let element = schema.list_member().unwrap().target;
            json!([sample(element, depth + 1), sample(element, depth + 1)])
        }
        ShapeType::Map => {
            let (key, value) = schema.map_entry().unwrap();
            let key = match key.target.enum_values.first() {
                Some(first) => first.to_string(),
                None => "key-1".to_string(),
            };
            json!({ key: sample(value.target, depth + 1) })
        }
        ShapeType::String => json!("sample text"),
        ShapeType::Enum => json!(schema.enum_values.first().copied().unwrap_or("value")),
        ShapeType::Boolean => json!(true),
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long => json!(7),
        ShapeType::Float | ShapeType::Double => json!(1.5),
        ShapeType::BigInteger => json!("12345678901234567890"),
        ShapeType::BigDecimal => json!("1.25"),
        ShapeType::Timestamp => json!(1_700_000_000),
        ShapeType::Blob => json!("blob bytes"),
        ShapeType::Document => json!({"k": [1, "two", true]}),
    }
}

fn write_if_changed(path: &Path, contents: &str) {
    if std::fs::read(path).ok().as_deref() == Some(contents.as_bytes()) {
        return;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// The workspace of the generated crates and the program that calls them.
fn write_program(root: &Path, out: &Path, calls: &[Call]) {
    let members: String = SERVICES
        .iter()
        .map(|(s, _)| format!("    \"{s}\",\n"))
        .collect();
    write_if_changed(
        &out.join("Cargo.toml"),
        &format!(
            "# Written by tests/tests/suite/beyond_tier1.rs.\n[workspace]\nresolver = \"3\"\n\
             members = [\n{members}    \"caller\",\n]\n\n[profile.dev]\ndebug = false\n"
        ),
    );
    // The project's lock file, so the program builds with the dependency versions the
    // project is tested with (cargo drops what this workspace does not use).
    if !out.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    }
    let deps: String = SERVICES
        .iter()
        .map(|(s, _)| format!("{s}-client = {{ path = \"../{s}\" }}\n"))
        .collect();
    write_if_changed(
        &out.join("caller/Cargo.toml"),
        &format!(
            "[package]\nname = \"caller\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nstratus-runtime = {{ path = {runtime:?} }}\n\
             tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n\
             http = \"1\"\nbytes = \"1\"\nserde_json = \"1\"\n{deps}",
            runtime = root.join("crates/runtime").display().to_string()
        ),
    );
    let mut main = String::from(
        "//! Written by tests/tests/suite/beyond_tier1.rs: one call per service.\n\n\
         mod fill;\n\nuse stratus_runtime::operation::Protocol;\n\n\
         #[tokio::main(flavor = \"current_thread\")]\nasync fn main() {\n",
    );
    for i in 0..calls.len() {
        let _ = writeln!(main, "    println!(\"{{}}\", call_{i}().await);");
    }
    main.push_str("}\n\n");
    for call in calls {
        main.push_str(&call.code);
        main.push('\n');
    }
    main.push_str("#[allow(dead_code)]\nfn unused(_: Option<Protocol>) {}\n");
    write_if_changed(&out.join("caller/src/main.rs"), &main);
    write_if_changed(&out.join("caller/src/fill.rs"), FILL_RS);
    for (i, call) in calls.iter().enumerate() {
        let mut response = format!("{}\n", call.status);
        for (name, value) in &call.headers {
            let _ = writeln!(response, "{name}: {value}");
        }
        response.push('\n');
        let mut bytes = response.into_bytes();
        bytes.extend_from_slice(&call.body);
        let path = out.join(format!("caller/responses/{i}.http"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Builds and runs the program; its standard output.
fn run_program(out: &Path) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = std::process::Command::new(cargo);
    for (key, _) in std::env::vars() {
        if key.starts_with("CARGO_") && key != "CARGO_HOME" {
            command.env_remove(key);
        }
    }
    let output = command
        .args(["run", "--quiet", "-p", "caller"])
        .current_dir(out)
        .env("CARGO_TARGET_DIR", out.join("target"))
        .env("RESPONSES", out.join("caller/responses"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the program failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// What the program saw for one call, against what the test expects.
fn check(call: &Call, line: &Json) -> Result<(), String> {
    if let Some(error) = line["error"].as_str() {
        return Err(format!("the call failed: {error}"));
    }
    let request = &line["request"];
    let header = |name: &str| request["headers"][name].as_str().unwrap_or("");
    // SigV4, or SigV4a where the endpoint rules ask for it.
    let signed = ["AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"]
        .iter()
        .any(|scheme| {
            header("authorization").starts_with(&format!("{scheme} Credential=AKIDSTUB/"))
        });
    if !signed {
        return Err(format!("not signed: {request}"));
    }
    let uri = request["uri"].as_str().unwrap_or("");
    let body = request["body"].as_str().unwrap_or("");
    match call.protocol {
        Protocol::Json => {
            let target = format!(
                "{}.{}",
                call.target_prefix.as_deref().unwrap_or(""),
                call.op_name
            );
            expect("X-Amz-Target", &target, header("x-amz-target"))?;
            if !header("content-type").starts_with("application/x-amz-json-1.") {
                return Err(format!("content type {}", header("content-type")));
            }
            serde_json::from_str::<serde_json::Map<String, Json>>(body)
                .map_err(|e| format!("the body is not a JSON object ({e}): {body}"))?;
        }
        Protocol::RpcV2Cbor => {
            let path = format!(
                "/service/{}/operation/{}",
                call.target_prefix.as_deref().unwrap_or(""),
                call.op_name
            );
            expect("path", &path, uri)?;
            expect("smithy-protocol", "rpc-v2-cbor", header("smithy-protocol"))?;
        }
        Protocol::Query => {
            let action = format!("Action={}&Version={}", call.op_name, call.api_version);
            if !body.starts_with(&action) {
                return Err(format!(
                    "the form body does not start with {action}: {body}"
                ));
            }
        }
        Protocol::RestJson | Protocol::RestXml | Protocol::Ec2 => {
            let method = call.op.http.method.as_str();
            expect("method", method, request["method"].as_str().unwrap_or(""))?;
            let template = call.op.http.request_uri.as_str();
            let fixed = template[..template.find('{').unwrap_or(template.len())]
                .split('?')
                .next()
                .unwrap_or("");
            if !uri.starts_with(fixed) {
                return Err(format!("path {uri} does not start with {fixed}"));
            }
        }
    }
    if !json_eq(&call.expected, &line["output"]) {
        return Err(format!(
            "output: expected {}, got {}",
            call.expected, line["output"]
        ));
    }
    Ok(())
}

fn expect(what: &str, expected: &str, actual: &str) -> Result<(), String> {
    if expected == actual {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected:?}, got {actual:?}"))
    }
}

/// The program's helpers: the stub and config of a call, the required members of an input
/// filled through the runtime's dynamic interfaces, and the report line.
const FILL_RS: &str = r#"//! Written by tests/tests/suite/beyond_tier1.rs.

use stratus_runtime::operation::Protocol;
use stratus_runtime::protocol::json::JsonWriter;
use stratus_runtime::schema::{MemberFlags, Schema, ShapeType};
use stratus_runtime::transport::StubClient;
use stratus_runtime::value::{Scalar, StructValue, Value};
use stratus_runtime::{Config, Credentials, DateTime, Document};

/// A stub answering with `responses/{index}.http`: the status, headers, a blank line, the body.
pub fn stub(index: usize) -> StubClient {
    let dir = std::env::var("RESPONSES").expect("RESPONSES names the responses");
    let bytes = std::fs::read(format!("{dir}/{index}.http")).expect("the canned response");
    let split = bytes.windows(2).position(|w| w == b"\n\n").expect("a head");
    let head = std::str::from_utf8(&bytes[..split]).expect("a text head");
    let mut lines = head.lines();
    let status: u16 = lines.next().unwrap().parse().unwrap();
    let mut builder = http::Response::builder().status(status);
    for line in lines {
        let (name, value) = line.split_once(": ").unwrap();
        builder = builder.header(name, value);
    }
    let response = builder
        .body(bytes::Bytes::copy_from_slice(&bytes[split + 2..]))
        .unwrap();
    let stub = StubClient::new();
    stub.push(Ok(response));
    stub
}

pub fn config(stub: &StubClient, protocol: Option<Protocol>) -> Config {
    let mut builder = Config::builder()
        .region("us-east-1")
        .endpoint_url("https://stub.example.com")
        .credentials(Credentials::new("AKIDSTUB", "secret", None, None, "test"))
        .max_attempts(1)
        .http_client(stub.clone());
    if let Some(protocol) = protocol {
        builder = builder.protocol(protocol);
    }
    builder.build()
}

/// Sets every required member (and theirs, three levels down) to a value within its bounds.
pub fn required(value: &mut dyn StructValue) {
    fill_struct(value, 0);
}

fn fill_struct(value: &mut dyn StructValue, depth: usize) {
    let schema = value.schema();
    for (index, member) in schema.members().iter().enumerate() {
        // Required members hold their type's default (an empty string), or nothing.
        if !member.has(MemberFlags::REQUIRED) || depth > 3 {
            continue;
        }
        if let Some(slot) = value.member_mut(index) {
            fill(slot, member.target, member.has(MemberFlags::HOST_LABEL), depth);
        }
    }
}

fn fill(slot: &mut dyn Value, schema: &Schema, host_label: bool, depth: usize) {
    let _ = match schema.shape_type {
        ShapeType::Structure | ShapeType::Union => {
            if let Some(value) = slot.as_struct_mut() {
                if schema.shape_type == ShapeType::Union {
                    if let Some(member) = schema.members().first() {
                        if let Some(slot) = value.member_mut(0) {
                            fill(slot, member.target, false, depth + 1);
                        }
                    }
                } else {
                    fill_struct(value, depth + 1);
                }
            }
            Ok(())
        }
        ShapeType::List => {
            let min = schema.min.unwrap_or(0.0).max(1.0) as usize;
            if let (Some(list), Some(element)) = (slot.as_list_mut(), schema.list_member()) {
                for _ in 0..min {
                    fill(list.push_default(), element.target, false, depth + 1);
                }
            }
            Ok(())
        }
        ShapeType::Map => {
            if let (Some(map), Some((key, value))) = (slot.as_map_mut(), schema.map_entry()) {
                let key = key.target.enum_values.first().copied().unwrap_or("key1");
                fill(map.entry_default(key), value.target, false, depth + 1);
            }
            Ok(())
        }
        ShapeType::Enum => slot.set(Scalar::String(
            schema.enum_values.first().copied().unwrap_or("x").to_string(),
        )),
        ShapeType::String | ShapeType::BigInteger | ShapeType::BigDecimal => {
            let base = if host_label { "stratus" } else { "stratus-test-1" };
            let min = schema.min.unwrap_or(0.0) as usize;
            let max = schema.max.map_or(usize::MAX, |m| m as usize);
            let mut text = base.to_string();
            while text.len() < min {
                text.push('1');
            }
            text.truncate(max.max(1));
            slot.set(Scalar::String(text))
        }
        ShapeType::Boolean => slot.set(Scalar::Bool(true)),
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long => {
            slot.set(Scalar::Integer(schema.min.unwrap_or(1.0).max(1.0) as i64))
        }
        ShapeType::Float | ShapeType::Double => slot.set(Scalar::Float(schema.min.unwrap_or(1.0).max(1.0))),
        ShapeType::Timestamp => slot.set(Scalar::Timestamp(DateTime::from_secs(1_700_000_000))),
        ShapeType::Blob => slot.set(Scalar::Blob(bytes::Bytes::from_static(b"stratus"))),
        ShapeType::Document => slot.set(Scalar::Document(Document::Null)),
    };
}

/// The output's body members, written back as JSON.
pub fn to_json(value: &dyn StructValue) -> String {
    let mut writer = JsonWriter::new();
    writer.write_struct(value, true).expect("the output writes back");
    writer.finish()
}

/// One line: the request the stub saw and the output (or the error).
pub fn report(stub: &StubClient, result: Result<String, String>) -> String {
    let requests = stub.requests();
    let request = requests.first().map(|r| {
        let headers: serde_json::Map<String, serde_json::Value> = r
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
            .collect();
        serde_json::json!({
            "method": r.method().as_str(),
            "uri": r.uri().path_and_query().map(|p| p.as_str()).unwrap_or(""),
            "headers": headers,
            "body": String::from_utf8_lossy(r.body()),
        })
    });
    let line = match result {
        Ok(output) => serde_json::json!({
            "request": request,
            "output": serde_json::from_str::<serde_json::Value>(&output).expect("JSON"),
        }),
        Err(error) => serde_json::json!({ "request": request, "error": error }),
    };
    line.to_string()
}
"#;
