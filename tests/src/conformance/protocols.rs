//! botocore's protocol suites (`tests/fixtures/protocols/`) for the protocols the runtime
//! implements: every case runs through the runtime's codec, with schemas built at run time
//! from the suite's shapes and values held in [`DynValue`]s.
//!
//! Comparisons follow botocore's runner (`tests/unit/test_protocols.py`), as the fixtures
//! README describes them: the form body and the URI byte for byte, the listed headers by value
//! (`; charset=utf-8` added to the expected `Content-Type` of query and ec2), outputs and
//! modeled error members as JSON values, the error code and (when the case gives one) message.
//! botocore's ignore list is not consulted: every case runs, or is skipped below by name with
//! its reason.
//!
//! Where a case checks something the request pipeline does around the codec, the runner does
//! it the way the pipeline does, and says so: idempotency tokens are filled (with the fixed
//! UUID the suites expect) before serializing, and the host prefix and the client endpoint's
//! path are applied to the request's URI.

use super::{SuiteReport, fixture, xml_tree};
use base64::Engine as _;
use serde_json::{Value as Json, json};
use stratus_runtime::dynamic::DynValue;
use stratus_runtime::model::{SchemaSet, ServiceModel};
use stratus_runtime::operation::{Operation, Protocol, ServiceInfo};
use stratus_runtime::pipeline::compress::{DEFAULT_MIN_COMPRESSION_SIZE, compress};
use stratus_runtime::protocol::binding::host_prefix;
use stratus_runtime::protocol::cbor::{CborReader, Item};
use stratus_runtime::protocol::{self, Codec, HttpRequest, HttpResponse};
use stratus_runtime::schema::{Location, MemberFlags, Schema, ShapeType};
use stratus_runtime::value::{Scalar, StructValue};

/// The suites this runner covers, in report order.
const FILES: [&str; 30] = [
    "protocols/input/query.json",
    "protocols/input/ec2.json",
    "protocols/input/rest-xml.json",
    "protocols/input/json.json",
    "protocols/input/json_1_0.json",
    "protocols/input/json_1_0-query-compatible.json",
    "protocols/input/rest-json.json",
    "protocols/input/smithy-rpc-v2-cbor.json",
    "protocols/input/smithy-rpc-v2-cbor-query-compatible.json",
    "protocols/input/smithy-rpc-v2-cbor-non-query-compatible.json",
    "protocols/output/query.json",
    "protocols/output/ec2.json",
    "protocols/output/rest-xml.json",
    "protocols/output/json.json",
    "protocols/output/json_1_0.json",
    "protocols/output/json_1_0-query-compatible.json",
    "protocols/output/rest-json.json",
    "protocols/output/smithy-rpc-v2-cbor.json",
    "protocols/output/smithy-rpc-v2-cbor-query-compatible.json",
    "protocols/output/smithy-rpc-v2-cbor-non-query-compatible.json",
    "protocols/legacy/input/query.json",
    "protocols/legacy/input/ec2.json",
    "protocols/legacy/input/rest-xml.json",
    "protocols/legacy/input/json.json",
    "protocols/legacy/input/rest-json.json",
    "protocols/legacy/output/query.json",
    "protocols/legacy/output/ec2.json",
    "protocols/legacy/output/rest-xml.json",
    "protocols/legacy/output/json.json",
    "protocols/legacy/output/rest-json.json",
];

/// Cases that are not run, and why. Each is a case where the Smithy test and botocore
/// disagree and Stratus does what botocore (and the real models that rely on it) does, or a
/// feature no issue has built yet.
const SKIPPED: &[(&str, &str, &str)] = &[
    (
        "protocols/input/rest-xml.json",
        "BodyWithXmlName",
        "the member `nested` has no locationName and its target `PayloadWithXmlName` has \
         `Hello`: botocore merges a target's traits into its members, so the element is \
         <Hello>, where the Smithy test expects <nested>",
    ),
    (
        "protocols/output/rest-xml.json",
        "BodyWithXmlName",
        "the member `nested` has no locationName and its target `PayloadWithXmlName` has \
         `Hello`: botocore merges a target's traits into its members, so it reads <Hello>, \
         where the Smithy test sends <nested>",
    ),
    (
        "protocols/input/rest-xml.json",
        "HttpPayloadWithXmlName",
        "the converted model gives the payload member locationName `nested`, which names the \
         root element as in botocore (real models rely on it: S3's LifecycleConfiguration \
         member targets BucketLifecycleConfiguration); the Smithy test expects the target's \
         xmlName",
    ),
    (
        "protocols/input/rest-xml.json",
        "HttpPayloadWithXmlNamespace",
        "the payload member's locationName `nested` names the root element, as in botocore \
         (see HttpPayloadWithXmlName); the Smithy test expects the target's name",
    ),
    (
        "protocols/input/rest-xml.json",
        "HttpPayloadWithXmlNamespaceAndPrefix",
        "the payload member's locationName `nested` names the root element, as in botocore \
         (see HttpPayloadWithXmlName); the Smithy test expects the target's name",
    ),
    (
        "protocols/input/rest-xml.json",
        "RestXmlHttpPayloadWithUnion",
        "the payload member's locationName `nested` names the root element, as in botocore \
         (see HttpPayloadWithXmlName); the Smithy test expects the target's name",
    ),
    (
        "protocols/input/rest-xml.json",
        "XmlAttributesOnPayload",
        "the payload member's locationName `payload` names the root element, as in botocore \
         (see HttpPayloadWithXmlName); the Smithy test expects the target's name",
    ),
    (
        "protocols/input/rest-xml.json",
        "NullAndEmptyHeaders",
        "an empty list sends no header, as in botocore (\"Empty lists should not be set on \
         the headers\"); the Smithy test expects an empty `X-C:`",
    ),
    (
        "protocols/input/rest-json.json",
        "RestJsonNullAndEmptyHeaders",
        "an empty list sends no header, as in botocore (\"Empty lists should not be set on \
         the headers\"); the Smithy test expects an empty `X-C:`",
    ),
    (
        "protocols/input/rest-json.json",
        "RestJsonHttpChecksumRequired",
        "botocore 1.43.67 sends a CRC32 flexible checksum for `httpChecksumRequired` (the \
         pipeline's checksum stage, tested in tests/tests/suite/bodies.rs), not the \
         Content-MD5 the Smithy test expects",
    ),
    (
        "protocols/input/rest-json.json",
        "RestJsonHttpPayloadWithUnsetUnion",
        "an unset structure or union payload is sent as `{}`, as botocore's \
         `_serialize_empty_body` sends it; the Smithy test expects no body",
    ),
    (
        "protocols/output/rest-json.json",
        "MediaTypeHeaderOutputBase64",
        "a `jsonvalue` header member holds the JSON text (`true`), which this runner shows \
         as the JSON value it is, as botocore parses it; the Smithy test expects the text as \
         a string",
    ),
    (
        "protocols/legacy/output/json.json",
        "Lists #1",
        "the case keeps `null` elements of lists that are not sparse, which a typed list \
         (`Vec<String>`) cannot hold: they are dropped; its `MapType` is also a string with \
         a key and a value, which no real model has",
    ),
    (
        "protocols/legacy/output/rest-json.json",
        "Supports header maps #0",
        "the keys keep the case the headers were sent in (`x-Foo`); header names are \
         case-insensitive and the HTTP layer (`http::HeaderMap`) holds them lowercased",
    ),
    (
        "protocols/legacy/output/json.json",
        "RPC JSON Event Stream #0",
        "event streams are not implemented yet (no issue builds them so far)",
    ),
    (
        "protocols/legacy/output/rest-xml.json",
        "REST XML Event Stream #0",
        "event streams are not implemented yet (no issue builds them so far)",
    ),
    (
        "protocols/legacy/output/rest-xml.json",
        "REST XML Event Stream #1",
        "event streams are not implemented yet (no issue builds them so far)",
    ),
    (
        "protocols/legacy/output/rest-xml.json",
        "REST XML Event Stream #2",
        "event streams are not implemented yet (no issue builds them so far)",
    ),
];

/// The UUID botocore's runner makes idempotency tokens take.
const FIXED_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// Runs every suite; one report per file.
pub fn run() -> Vec<SuiteReport> {
    FILES.iter().map(|file| run_file(file)).collect()
}

fn run_file(file: &str) -> SuiteReport {
    let mut report = SuiteReport::new(file);
    let input = file.contains("/input/");
    let suites = match read_suites(file) {
        Ok(suites) => suites,
        Err(why) => {
            report.record(file, Err(why));
            return report;
        }
    };
    for suite in &suites {
        let description = suite["description"].as_str().unwrap_or("(no description)");
        let cases = suite["cases"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        let context = Suite::new(suite);
        for (index, case) in cases.iter().enumerate() {
            let name = match case["id"].as_str() {
                Some(id) => id.to_string(),
                None => format!("{description} #{index}"),
            };
            if let Some((_, _, reason)) = SKIPPED
                .iter()
                .find(|(skip_file, id, _)| *skip_file == file && *id == name)
            {
                report.skip(name, *reason);
                continue;
            }
            let outcome = match &context {
                Err(why) => Err(format!("cannot build the suite's model: {why}")),
                Ok(context) if input => context.run_input(case),
                Ok(context) => context.run_output(case),
            };
            report.record(name, outcome);
        }
    }
    report
}

fn read_suites(file: &str) -> Result<Vec<Json>, String> {
    let path = fixture(file);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// One suite's model: its shapes as schemas and its service metadata.
struct Suite {
    shapes: SchemaSet,
    /// The shapes as JSON, for what schemas do not keep (`resultWrapper` on a shape, which
    /// shapes are exceptions).
    raw_shapes: serde_json::Map<String, Json>,
    service: &'static ServiceInfo,
    codec: &'static dyn Codec,
    client_endpoint: String,
}

impl Suite {
    fn new(suite: &Json) -> Result<Self, String> {
        let mut raw_shapes = suite["shapes"].as_object().cloned().unwrap_or_default();
        // botocore reads the legacy `character` type as a string; the model loader only knows
        // the types real models use.
        for shape in raw_shapes.values_mut() {
            if shape["type"] == "character" {
                shape["type"] = json!("string");
            }
        }
        // Legacy suites put `location` on the target shape (`"HeaderShape": {"type": "string",
        // "location": "header"}`); botocore merges a target's traits into the members that
        // reference it. No real model does this, so the model loader reads `location` from
        // member references only: move it there, as botocore's merge would.
        let shape_locations: Vec<(String, Json)> = raw_shapes
            .iter()
            .filter_map(|(name, shape)| Some((name.clone(), shape.get("location")?.clone())))
            .collect();
        for shape in raw_shapes.values_mut() {
            let Some(members) = shape.get_mut("members").and_then(Json::as_object_mut) else {
                continue;
            };
            for member in members.values_mut() {
                let target = member["shape"].as_str().unwrap_or_default().to_string();
                if let Some((_, location)) = shape_locations.iter().find(|(n, _)| *n == target)
                    && member.get("location").is_none()
                {
                    member["location"] = location.clone();
                }
            }
        }
        // Legacy suites may put `payload` on the operation's input reference rather than on
        // the shape (botocore reads it from either): move it to the shape.
        for case in suite["cases"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let input = &case["given"]["input"];
            if let (Some(shape), Some(payload)) = (input["shape"].as_str(), input.get("payload"))
                && let Some(raw) = raw_shapes.get_mut(shape)
            {
                raw["payload"] = payload.clone();
            }
        }
        let model: ServiceModel = serde_json::from_value(json!({
            "metadata": suite["metadata"],
            "shapes": raw_shapes,
        }))
        .map_err(|e| e.to_string())?;
        let shapes = SchemaSet::build_shapes(&model.shapes).map_err(|e| e.to_string())?;
        let metadata = &model.metadata;
        let listed: Vec<Protocol> = if metadata.protocols.is_empty() {
            vec![metadata.protocol.clone()]
        } else {
            metadata.protocols.clone()
        }
        .iter()
        .filter_map(|name| Protocol::from_name(name))
        .collect();
        // The suite tests the protocol it names, whatever else it lists.
        let protocol = Protocol::from_name(&metadata.protocol)
            .ok_or_else(|| format!("unknown protocol {}", metadata.protocol))?;
        let codec = protocol::codec(protocol)
            .ok_or_else(|| format!("the runtime has no codec for {}", metadata.protocol))?;
        let service = Box::leak(Box::new(ServiceInfo {
            name: "protocol-test",
            service_id: leak(&metadata.service_id),
            api_version: leak(&metadata.api_version),
            endpoint_prefix: leak(&metadata.endpoint_prefix),
            signing_name: leak(
                metadata
                    .signing_name
                    .as_deref()
                    .unwrap_or(&metadata.endpoint_prefix),
            ),
            protocol,
            protocols: Box::leak(listed.into_boxed_slice()),
            json_version: metadata.json_version.as_deref().map(leak),
            target_prefix: metadata.target_prefix.as_deref().map(leak),
            xml_namespace: metadata.xml_namespace.as_deref().map(leak),
            endpoint_rules: None,
            signature_version: "v4",
            auth: &[],
            query_compatible: metadata.aws_query_compatible.is_some(),
            endpoint_discovery: None,
        }));
        Ok(Suite {
            shapes,
            raw_shapes,
            service,
            codec,
            client_endpoint: suite["clientEndpoint"]
                .as_str()
                .unwrap_or("https://example.com")
                .to_string(),
        })
    }

    fn shape(&self, name: &str) -> Result<&'static Schema, String> {
        self.shapes
            .get(name)
            .ok_or_else(|| format!("the suite has no shape {name}"))
    }

    /// The operation a case's `given` describes.
    fn operation(&self, given: &Json) -> Result<&'static Operation, String> {
        let name = leak(given["name"].as_str().unwrap_or("OperationName"));
        let method = given.pointer("/http/method").and_then(Json::as_str);
        let uri = given.pointer("/http/requestUri").and_then(Json::as_str);
        let shape_or_empty =
            |pointer: &str, suffix: &str| match given.pointer(pointer).and_then(Json::as_str) {
                Some(shape) => self.shape(shape),
                None => Ok(&*Box::leak(Box::new(Schema::structure(
                    leak(&format!("{name}{suffix}")),
                    &[],
                )))),
            };
        let input = shape_or_empty("/input/shape", "Input")?;
        let output = shape_or_empty("/output/shape", "Output")?;
        let synthetic_input = given.pointer("/input/shape").is_none();
        let mut op = Operation::new(
            name,
            self.service,
            leak(method.unwrap_or("POST")),
            leak(uri.unwrap_or("/")),
            input,
            output,
        );
        // The wrapper: on the output reference, else on the output shape, else (as botocore's
        // runner sets it for query outputs with members) `{Operation}Result`.
        let output_name = given.pointer("/output/shape").and_then(Json::as_str);
        let wrapper = given
            .pointer("/output/resultWrapper")
            .or_else(|| self.raw_shapes.get(output_name?)?.get("resultWrapper"))
            .and_then(Json::as_str)
            .map(str::to_string)
            .or_else(|| {
                (self.service.protocol == Protocol::Query && !output.members().is_empty())
                    .then(|| format!("{name}Result"))
            });
        if let Some(wrapper) = wrapper {
            op = op.result_wrapper(leak(&wrapper));
        }
        if synthetic_input {
            op = op.synthetic_input();
        }
        let errors = given["errors"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|e| self.shape(e["shape"].as_str().unwrap_or("")))
            .collect::<Result<Vec<_>, _>>()?;
        op = op.errors(Box::leak(errors.into_boxed_slice()));
        if let Some(name) = given.pointer("/input/locationName").and_then(Json::as_str) {
            op = op.input_location_name(leak(name));
        }
        // `xmlNamespace` is a URI, or an object with one.
        let namespace = given.pointer("/input/xmlNamespace");
        if let Some(uri) = namespace
            .and_then(Json::as_str)
            .or_else(|| namespace?.get("uri")?.as_str())
        {
            op = op.input_xml_namespace(leak(uri));
        }
        if let Some(prefix) = given.pointer("/endpoint/hostPrefix").and_then(Json::as_str) {
            op = op.host_prefix(leak(prefix));
        }
        let encodings: Vec<&'static str> = string_list(&given["requestcompression"]["encodings"])
            .map(leak)
            .collect();
        if !encodings.is_empty() {
            op = op.request_compression(Box::leak(encodings.into_boxed_slice()));
        }
        Ok(Box::leak(Box::new(op)))
    }

    fn run_input(&self, case: &Json) -> Result<(), String> {
        let op = self.operation(&case["given"])?;
        // A case without params calls the operation with an empty input.
        let empty = json!({});
        let params = case.get("params").unwrap_or(&empty);
        let mut input = DynValue::from_json(params, op.input)?;
        let input = input
            .as_dyn_struct_mut()
            .ok_or("the input is not a structure")?;
        fill_idempotency_tokens(input);
        let mut request = self
            .codec
            .serialize(op, &*input)
            .map_err(|e| e.to_string())?;
        // The pipeline's compression stage, as a call would run it.
        compress(op, &mut request, DEFAULT_MIN_COMPRESSION_SIZE).map_err(|e| e.to_string())?;
        let expected = &case["serialized"];
        if let Some(method) = expected["method"].as_str() {
            expect("method", method, request.method().as_str())?;
        }
        let (host, uri) = self.resolve(op, &*input, &request)?;
        expect("URI", expected["uri"].as_str().unwrap_or(""), &uri)?;
        if let Some(expected_host) = expected["host"].as_str() {
            expect("host", expected_host, &host)?;
        }
        if let Some(body) = expected["body"].as_str() {
            let actual = String::from_utf8_lossy(request.body());
            match self.service.protocol {
                Protocol::Query | Protocol::Ec2 => {
                    // The suite writes form bodies as botocore's test runner encodes them, a
                    // space as `%20`; on the wire (botocore's `urlencode`, and what moto's
                    // signature verifier rebuilds) a space is `+`. The codec writes `+` only
                    // for spaces (a literal `+` is `%2B`), so this is the exact comparison
                    // with that one spelling swapped.
                    expect("body", body, &actual.replace('+', "%20"))?;
                }
                Protocol::Json | Protocol::RestJson => expect_json_body(body, &actual)?,
                Protocol::RpcV2Cbor => expect_cbor_body(body, request.body())?,
                _ => expect_body(body, &actual)?,
            }
        }
        self.check_headers(op, expected, &request)
    }

    /// The request's host and URI once the pipeline has put it on the client endpoint, as
    /// botocore's `prepare_request_dict` does: the operation's host prefix (with host labels
    /// filled) before the endpoint's host, the endpoint's path before the request's. The host
    /// is compared with the endpoint's path kept, which is what `HostWithPath` cases expect.
    fn resolve(
        &self,
        op: &Operation,
        input: &dyn StructValue,
        request: &HttpRequest,
    ) -> Result<(String, String), String> {
        let rest = self
            .client_endpoint
            .split_once("://")
            .map_or(self.client_endpoint.as_str(), |(_, rest)| rest);
        let (authority, base_path) = match rest.find('/') {
            Some(slash) => rest.split_at(slash),
            None => (rest, ""),
        };
        let base_path = base_path.trim_end_matches('/');
        // The pipeline's host-prefix expansion, as a call would run it.
        let prefix = host_prefix(op, op.host_prefix, input)?.unwrap_or_default();
        let path_and_query = request.uri().path_and_query().map_or("/", |p| p.as_str());
        Ok((
            format!("{prefix}{authority}{base_path}"),
            format!("{base_path}{path_and_query}"),
        ))
    }

    fn check_headers(
        &self,
        op: &Operation,
        expected: &Json,
        request: &HttpRequest,
    ) -> Result<(), String> {
        let form_encoded = matches!(self.service.protocol, Protocol::Query | Protocol::Ec2);
        if let Some(headers) = expected["headers"].as_object() {
            for (name, value) in headers {
                // As botocore's runner: rest-xml requests carry no Content-Type unless the
                // input binds one (botocore sends none; the Smithy tests expect
                // `application/xml`), so it is not compared.
                if self.service.protocol == Protocol::RestXml
                    && name.eq_ignore_ascii_case("content-type")
                {
                    continue;
                }
                // Likewise for rest-json bodies that are not JSON (raw blob and string
                // payloads): botocore sends no Content-Type for them.
                if self.service.protocol == Protocol::RestJson
                    && name.eq_ignore_ascii_case("content-type")
                    && value.as_str() != Some("application/json")
                {
                    continue;
                }
                // Header lists: botocore joins elements with `,`, the Smithy tests write `, `
                // (botocore's runner normalises both, for lists only).
                let list = list_header(op, name);
                let mut value = value.as_str().unwrap_or("").to_string();
                if list.is_some() {
                    value = value.replace(", ", ",");
                }
                if form_encoded
                    && name.eq_ignore_ascii_case("content-type")
                    && !value.contains("charset=utf-8")
                {
                    value.push_str("; charset=utf-8");
                }
                let actual = request
                    .headers()
                    .get(name.as_str())
                    .ok_or_else(|| format!("header {name} is missing"))?
                    .to_str()
                    .map_err(|e| format!("header {name}: {e}"))?;
                // A timestamp list's HTTP dates hold `, ` themselves.
                let actual = match list {
                    Some(ShapeType::Timestamp) => actual.replace(", ", ","),
                    _ => actual.to_string(),
                };
                expect(&format!("header {name}"), &value, &actual)?;
            }
        }
        for name in string_list(&expected["forbidHeaders"]) {
            // botocore's runner checks the serializer's output, before the HTTP layer adds
            // `Content-Length`; a body goes out with its length here, as HTTP/1.1 needs.
            if name.eq_ignore_ascii_case("content-length") && !request.body().is_empty() {
                continue;
            }
            if request.headers().contains_key(name) {
                return Err(format!("header {name} must not be sent"));
            }
        }
        for name in string_list(&expected["requireHeaders"]) {
            if !request.headers().contains_key(name) {
                return Err(format!("header {name} is missing"));
            }
        }
        Ok(())
    }

    fn run_output(&self, case: &Json) -> Result<(), String> {
        let op = self.operation(&case["given"])?;
        let response = response(
            &case["response"],
            self.service.protocol == Protocol::RpcV2Cbor,
        )?;
        if case.get("errorCode").is_none() && case.get("error").is_none() {
            let mut output = DynValue::default_for(op.output);
            let fill = output
                .as_dyn_struct_mut()
                .ok_or("the output is not a structure")?;
            self.codec
                .parse_output(op, &response, fill)
                .map_err(|e| e.to_string())?;
            return expect_json("output", &case["result"], &output.to_json());
        }
        let error = self
            .codec
            .parse_error(op, &response)
            .map_err(|e| e.to_string())?;
        expect(
            "error code",
            case["errorCode"].as_str().unwrap_or(""),
            &error.code,
        )?;
        // An absent `errorMessage` is not asserted. (botocore's runner expects "" then, which
        // fails `Ec2ComplexError`: its body says <Message>Hi</Message>, and the Smithy test it
        // comes from checks only the exception's members.)
        if let Some(message) = case["errorMessage"].as_str() {
            expect(
                "error message",
                message,
                error.message.as_deref().unwrap_or(""),
            )?;
        }
        // Like botocore's runner, the code is looked up among all the suite's exceptions (the
        // pipeline looks among the operation's).
        let members = match self.exception(&error.code) {
            Some(schema) => {
                let mut exception = DynValue::default_for(schema);
                let fill = exception
                    .as_dyn_struct_mut()
                    .ok_or("the exception is not a structure")?;
                self.codec
                    .parse_error_members(op, &response, fill)
                    .map_err(|e| e.to_string())?;
                exception.to_json()
            }
            None => json!({}),
        };
        let expected = case.get("error").cloned().unwrap_or_else(|| json!({}));
        expect_json("error members", &expected, &members)
    }

    /// The exception shape whose error code (its `error.code`, else its name) is `code`.
    fn exception(&self, code: &str) -> Option<&'static Schema> {
        self.raw_shapes
            .iter()
            .filter(|(_, shape)| shape["exception"] == true)
            .filter_map(|(name, _)| self.shapes.get(name))
            .find(|schema| schema.error_code() == code)
    }
}

/// The element type of the list member of `op`'s input bound to header `name`, if there is
/// one.
fn list_header(op: &Operation, name: &str) -> Option<ShapeType> {
    op.input.members().iter().find_map(|member| {
        let bound = member.location == Location::Header
            && member
                .location_name
                .is_some_and(|header| header.eq_ignore_ascii_case(name));
        match (bound, member.target.list_member()) {
            (true, Some(element)) => Some(element.target.shape_type),
            _ => None,
        }
    })
}

/// Sets every unset top-level idempotency token, as the pipeline does before serializing
/// (botocore's `generate_idempotent_uuid`), to the fixed UUID the suites expect.
fn fill_idempotency_tokens(input: &mut dyn StructValue) {
    let schema = input.schema();
    for (index, member) in schema.members().iter().enumerate() {
        if member.has(MemberFlags::IDEMPOTENCY_TOKEN)
            && input.member(index).is_none()
            && let Some(slot) = input.member_mut(index)
        {
            // A string member takes a string; the runner has no other kind of token.
            let _ = slot.set(Scalar::String(FIXED_TOKEN.to_string()));
        }
    }
}

/// The response a case describes; a CBOR body is given in base64.
fn response(spec: &Json, base64_body: bool) -> Result<HttpResponse, String> {
    let status = spec["status_code"].as_u64().unwrap_or(200);
    let mut builder = http::Response::builder().status(status as u16);
    if let Some(headers) = spec["headers"].as_object() {
        for (name, value) in headers {
            builder = builder.header(name.as_str(), value.as_str().unwrap_or(""));
        }
    }
    let text = spec["body"].as_str().unwrap_or("");
    let body = if base64_body {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| format!("the case's body is not base64: {e}"))?
    } else {
        text.as_bytes().to_vec()
    };
    builder
        .body(bytes::Bytes::from(body))
        .map_err(|e| format!("bad response in the case: {e}"))
}

fn string_list(value: &Json) -> impl Iterator<Item = &str> {
    value
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .filter_map(Json::as_str)
}

fn expect(what: &str, expected: &str, actual: &str) -> Result<(), String> {
    if expected == actual {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected:?}, got {actual:?}"))
    }
}

/// A non-form body: compared as XML when both sides are XML documents (elements, attributes
/// and stripped text, as botocore's runner canonicalises them), else byte for byte (raw blob
/// and string payloads).
fn expect_body(expected: &str, actual: &str) -> Result<(), String> {
    match (xml_tree::parse(expected), xml_tree::parse(actual)) {
        (Ok(want), Ok(got)) if want == got => Ok(()),
        (Ok(_), Ok(_)) => Err(format!("body: expected {expected:?}, got {actual:?}")),
        _ => expect("body", expected, actual),
    }
}

/// A JSON body: compared as JSON values when the expected one is JSON (botocore's runner
/// loads both), else byte for byte (raw blob and string payloads).
fn expect_json_body(expected: &str, actual: &str) -> Result<(), String> {
    match (
        serde_json::from_str::<Json>(expected),
        serde_json::from_str::<Json>(actual),
    ) {
        (Ok(want), Ok(got)) => expect_json("body", &want, &got),
        (Ok(_), Err(_)) if expected.trim().is_empty() => expect("body", expected, actual),
        _ => expect("body", expected, actual),
    }
}

/// A CBOR body, given in base64: compared as data items (definite and indefinite lengths
/// alike, floats by value whatever their width, map entries by key), as botocore's runner
/// compares them.
fn expect_cbor_body(expected: &str, actual: &[u8]) -> Result<(), String> {
    let expected_bytes = base64::engine::general_purpose::STANDARD
        .decode(expected)
        .map_err(|e| format!("the case's body is not base64: {e}"))?;
    if expected_bytes.is_empty() || actual.is_empty() {
        return if expected_bytes.is_empty() == actual.is_empty() {
            Ok(())
        } else {
            Err(format!("body: expected {expected:?}, got {actual:02x?}"))
        };
    }
    let want = cbor_tree(&expected_bytes).map_err(|e| format!("the case's body: {e}"))?;
    let got = cbor_tree(actual).map_err(|e| format!("the request's body: {e}"))?;
    expect_json("body", &want, &got)
}

/// A CBOR buffer as JSON, to compare data items: byte strings as `{"$bytes": base64}`,
/// floats as `{"$float": text}`, tags as `{"$tag": n, "value": item}`.
fn cbor_tree(buf: &[u8]) -> Result<Json, String> {
    let mut reader = CborReader::new(buf);
    let tree = cbor_item(&mut reader, 0)?;
    if !reader.is_at_end() {
        return Err("bytes follow the data item".to_string());
    }
    Ok(tree)
}

fn cbor_item(reader: &mut CborReader<'_>, depth: usize) -> Result<Json, String> {
    if depth > 64 {
        return Err("nested too deeply".to_string());
    }
    let item = reader.next().map_err(|e| e.to_string())?;
    let remaining = |reader: &mut CborReader<'_>, left: &mut Option<u64>| match left {
        Some(0) => Ok(false),
        Some(n) => {
            *n -= 1;
            Ok(true)
        }
        None => reader.peek_break().map(|b| !b).map_err(|e| e.to_string()),
    };
    Ok(match item {
        Item::Unsigned(n) => json!(n),
        Item::Negative(n) => json!(-1 - i128::from(n)),
        Item::Float(x) => json!({ "$float": format!("{x:?}") }),
        Item::Bytes(b) => json!({ "$bytes": base64::engine::general_purpose::STANDARD.encode(&b) }),
        Item::Text(s) => json!(s),
        Item::Bool(b) => json!(b),
        Item::Null | Item::Undefined => Json::Null,
        Item::Break => return Err("unexpected break".to_string()),
        Item::Tag(tag) => json!({ "$tag": tag, "value": cbor_item(reader, depth + 1)? }),
        Item::Array(mut left) => {
            let mut items = Vec::new();
            while remaining(reader, &mut left)? {
                items.push(cbor_item(reader, depth + 1)?);
            }
            Json::Array(items)
        }
        Item::Map(mut left) => {
            let mut entries = serde_json::Map::new();
            while remaining(reader, &mut left)? {
                let key = match cbor_item(reader, depth + 1)? {
                    Json::String(key) => key,
                    other => other.to_string(),
                };
                entries.insert(key, cbor_item(reader, depth + 1)?);
            }
            Json::Object(entries)
        }
    })
}

fn expect_json(what: &str, expected: &Json, actual: &Json) -> Result<(), String> {
    if json_eq(expected, actual) {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected}, got {actual}"))
    }
}

/// JSON equality with numbers compared by value (`1` equals `1.0`) and objects by key.
pub fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn suites() {
        let reports = super::run();
        for r in &reports {
            print!("{r}");
        }
        assert!(reports.iter().all(|r| r.is_success()));
    }
}
