//! botocore's service model (`service-2.json`) as Rust types, and schemas built from it at
//! run time.
//!
//! The code generator reads models through these types, and the conformance suites (whose
//! test cases carry their own small models) build [`Schema`]s from them with
//! [`SchemaSet::build`], then drive the same codecs the generated crates use.

use crate::schema::{
    ErrorTrait, Location, Member, MemberFlags, Schema, ShapeFlags, ShapeType, TimestampFormat,
    XmlNamespace,
};
use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// A botocore service model.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceModel {
    #[serde(default)]
    pub version: Option<String>,
    pub metadata: Metadata,
    #[serde(default)]
    pub operations: IndexMap<String, OperationModel>,
    #[serde(default)]
    pub shapes: IndexMap<String, ShapeModel>,
    #[serde(default)]
    pub documentation: Option<String>,
}

/// `metadata` of a service model.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub endpoint_prefix: String,
    pub protocol: String,
    #[serde(default)]
    pub protocols: Vec<String>,
    #[serde(default)]
    pub service_full_name: String,
    #[serde(default)]
    pub service_abbreviation: Option<String>,
    #[serde(default)]
    pub service_id: String,
    #[serde(default)]
    pub signature_version: String,
    #[serde(default)]
    pub signing_name: Option<String>,
    #[serde(default)]
    pub json_version: Option<String>,
    #[serde(default)]
    pub target_prefix: Option<String>,
    #[serde(default)]
    pub xml_namespace: Option<String>,
    #[serde(default)]
    pub global_endpoint: Option<String>,
    #[serde(default)]
    pub uid: Option<String>,
    #[serde(default)]
    pub auth: Vec<String>,
    #[serde(default)]
    pub aws_query_compatible: Option<serde_json::Value>,
}

/// An entry of `operations`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationModel {
    pub name: String,
    pub http: Http,
    #[serde(default)]
    pub input: Option<ShapeRef>,
    #[serde(default)]
    pub output: Option<ShapeRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub idempotent: bool,
    #[serde(default)]
    pub readonly: bool,
    #[serde(default)]
    pub endpoint: Option<EndpointTrait>,
    #[serde(default)]
    pub static_context_params: IndexMap<String, StaticContextParam>,
    #[serde(default)]
    pub operation_context_params: IndexMap<String, OperationContextParam>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub authtype: Option<String>,
    #[serde(default)]
    pub auth: Vec<String>,
    #[serde(default)]
    pub http_checksum_required: bool,
    #[serde(default)]
    pub http_checksum: Option<HttpChecksumModel>,
    #[serde(default)]
    pub unsigned_payload: bool,
    #[serde(default)]
    pub requestcompression: Option<RequestCompression>,
    #[serde(default)]
    pub endpointdiscovery: Option<serde_json::Value>,
    #[serde(default)]
    pub endpointoperation: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Http {
    pub method: String,
    pub request_uri: String,
    #[serde(default)]
    pub response_code: Option<u16>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointTrait {
    pub host_prefix: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StaticContextParam {
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OperationContextParam {
    pub path: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpChecksumModel {
    #[serde(default)]
    pub request_algorithm_member: Option<String>,
    #[serde(default)]
    pub request_checksum_required: bool,
    #[serde(default)]
    pub request_validation_mode_member: Option<String>,
    #[serde(default)]
    pub response_algorithms: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RequestCompression {
    #[serde(default)]
    pub encodings: Vec<String>,
}

/// `xmlNamespace`: a bare URI (service metadata, some test models) or `{uri, prefix}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum XmlNamespaceModel {
    Uri(String),
    Full {
        uri: String,
        #[serde(default)]
        prefix: Option<String>,
    },
}

impl XmlNamespaceModel {
    pub fn uri(&self) -> &str {
        match self {
            XmlNamespaceModel::Uri(uri) | XmlNamespaceModel::Full { uri, .. } => uri,
        }
    }
    pub fn prefix(&self) -> Option<&str> {
        match self {
            XmlNamespaceModel::Uri(_) => None,
            XmlNamespaceModel::Full { prefix, .. } => prefix.as_deref(),
        }
    }
}

/// A reference to a shape with the traits botocore allows on it (members, list/map
/// members, operation input/output/errors).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShapeRef {
    pub shape: String,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub location_name: Option<String>,
    #[serde(default)]
    pub query_name: Option<String>,
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespaceModel>,
    #[serde(default)]
    pub flattened: bool,
    #[serde(default)]
    pub xml_attribute: bool,
    #[serde(default)]
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub jsonvalue: bool,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(default)]
    pub host_label: bool,
    #[serde(default, rename = "box")]
    pub boxed: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub context_param: Option<ContextParam>,
    #[serde(default)]
    pub eventpayload: bool,
    #[serde(default)]
    pub eventheader: bool,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub result_wrapper: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ContextParam {
    pub name: String,
}

/// An entry of `shapes`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShapeModel {
    #[serde(rename = "type")]
    pub shape_type: String,
    #[serde(default)]
    pub members: IndexMap<String, ShapeRef>,
    #[serde(default)]
    pub member: Option<ShapeRef>,
    #[serde(default)]
    pub key: Option<ShapeRef>,
    #[serde(default)]
    pub value: Option<ShapeRef>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default, rename = "enum")]
    pub enum_values: Vec<String>,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub requires_length: bool,
    #[serde(default)]
    pub eventstream: bool,
    #[serde(default)]
    pub event: bool,
    #[serde(default)]
    pub exception: bool,
    #[serde(default)]
    pub fault: bool,
    #[serde(default)]
    pub error: Option<ErrorModel>,
    #[serde(default)]
    pub retryable: Option<Retryable>,
    #[serde(default)]
    pub flattened: bool,
    #[serde(default)]
    pub wrapper: bool,
    #[serde(default)]
    pub sparse: bool,
    #[serde(default)]
    pub union: bool,
    #[serde(default)]
    pub document: bool,
    #[serde(default)]
    pub payload: Option<String>,
    #[serde(default)]
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub location_name: Option<String>,
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespaceModel>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub documentation: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorModel {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Retryable {
    #[serde(default)]
    pub throttling: bool,
}

/// A model that cannot be turned into schemas.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("shape `{shape}` has unknown type `{shape_type}`")]
    UnknownType { shape: String, shape_type: String },
    #[error("shape `{shape}` refers to `{target}`, which the model does not define")]
    MissingShape { shape: String, target: String },
    #[error("{shape} `{shape_name}` lacks its `{field}`")]
    Incomplete {
        shape: &'static str,
        shape_name: String,
        field: &'static str,
    },
    #[error("shape `{shape}`: {message}")]
    Invalid { shape: String, message: String },
}

impl ShapeModel {
    /// The schema type of this shape, per botocore's rules (`union`, `document`, `enum`).
    pub fn schema_type(&self, name: &str) -> Result<ShapeType, ModelError> {
        Ok(match self.shape_type.as_str() {
            "structure" if self.document => ShapeType::Document,
            "structure" if self.union => ShapeType::Union,
            "structure" => ShapeType::Structure,
            "list" => ShapeType::List,
            "map" => ShapeType::Map,
            "string" if !self.enum_values.is_empty() => ShapeType::Enum,
            "string" => ShapeType::String,
            "boolean" => ShapeType::Boolean,
            "byte" => ShapeType::Byte,
            "short" => ShapeType::Short,
            "integer" => ShapeType::Integer,
            "long" => ShapeType::Long,
            "float" => ShapeType::Float,
            "double" => ShapeType::Double,
            "bigInteger" | "biginteger" => ShapeType::BigInteger,
            "bigDecimal" | "bigdecimal" => ShapeType::BigDecimal,
            "timestamp" => ShapeType::Timestamp,
            "blob" => ShapeType::Blob,
            "document" => ShapeType::Document,
            other => {
                return Err(ModelError::UnknownType {
                    shape: name.to_string(),
                    shape_type: other.to_string(),
                });
            }
        })
    }

    /// The shape's boolean traits as schema flags.
    pub fn flags(&self) -> ShapeFlags {
        let pairs = [
            (self.sensitive, ShapeFlags::SENSITIVE),
            (self.streaming, ShapeFlags::STREAMING),
            (self.requires_length, ShapeFlags::REQUIRES_LENGTH),
            (self.eventstream, ShapeFlags::EVENT_STREAM),
            (self.event, ShapeFlags::EVENT),
            (self.exception, ShapeFlags::EXCEPTION),
            (self.fault, ShapeFlags::FAULT),
            (self.flattened, ShapeFlags::FLATTENED),
            (self.wrapper, ShapeFlags::WRAPPER),
            (self.sparse, ShapeFlags::SPARSE),
            (self.retryable.is_some(), ShapeFlags::RETRYABLE),
            (
                self.retryable.as_ref().is_some_and(|r| r.throttling),
                ShapeFlags::THROTTLING,
            ),
            (self.deprecated, ShapeFlags::DEPRECATED),
        ];
        pairs
            .into_iter()
            .filter(|(on, _)| *on)
            .fold(ShapeFlags::EMPTY, |acc, (_, f)| acc.with(f))
    }

    /// The member references of this shape in schema order: structure members, a list's
    /// element, or a map's key and value, each with its schema member name.
    pub fn member_refs(&self, name: &str) -> Result<Vec<(&str, &ShapeRef)>, ModelError> {
        let incomplete = |shape, field| ModelError::Incomplete {
            shape,
            shape_name: name.to_string(),
            field,
        };
        Ok(match self.shape_type.as_str() {
            "structure" if !self.document => {
                self.members.iter().map(|(n, r)| (n.as_str(), r)).collect()
            }
            "list" => vec![(
                "member",
                self.member
                    .as_ref()
                    .ok_or_else(|| incomplete("list", "member"))?,
            )],
            "map" => vec![
                (
                    "key",
                    self.key.as_ref().ok_or_else(|| incomplete("map", "key"))?,
                ),
                (
                    "value",
                    self.value
                        .as_ref()
                        .ok_or_else(|| incomplete("map", "value"))?,
                ),
            ],
            _ => Vec::new(),
        })
    }
}

/// Parses botocore's `timestampFormat`.
pub fn timestamp_format(value: &str) -> Option<TimestampFormat> {
    match value {
        "iso8601" => Some(TimestampFormat::Iso8601),
        "rfc822" => Some(TimestampFormat::Rfc822),
        "unixTimestamp" => Some(TimestampFormat::UnixTimestamp),
        _ => None,
    }
}

/// Parses botocore's `location`.
pub fn location(value: Option<&str>) -> Option<Location> {
    Some(match value {
        None => Location::Body,
        Some("header") => Location::Header,
        Some("headers") => Location::Headers,
        Some("querystring") => Location::QueryString,
        Some("uri") => Location::Uri,
        Some("statusCode") => Location::StatusCode,
        Some(_) => return None,
    })
}

impl ShapeRef {
    /// The reference's boolean traits as member flags (`required` comes from the container).
    pub fn flags(&self, required: bool) -> MemberFlags {
        let pairs = [
            (required, MemberFlags::REQUIRED),
            (self.flattened, MemberFlags::FLATTENED),
            (self.xml_attribute, MemberFlags::XML_ATTRIBUTE),
            (self.idempotency_token, MemberFlags::IDEMPOTENCY_TOKEN),
            (self.host_label, MemberFlags::HOST_LABEL),
            (self.jsonvalue, MemberFlags::JSON_VALUE),
            (self.streaming, MemberFlags::STREAMING),
            (self.eventpayload, MemberFlags::EVENT_PAYLOAD),
            (self.eventheader, MemberFlags::EVENT_HEADER),
            (self.deprecated, MemberFlags::DEPRECATED),
        ];
        pairs
            .into_iter()
            .filter(|(on, _)| *on)
            .fold(MemberFlags::EMPTY, |acc, (_, f)| acc.with(f))
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// Every shape of a model as a [`Schema`], built at run time.
///
/// The schemas are leaked so they can be `&'static` like generated ones (and refer to each
/// other in cycles): build a model's schemas once and keep the set.
pub struct SchemaSet {
    schemas: HashMap<String, &'static Schema>,
}

impl std::fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaSet")
            .field("shapes", &self.schemas.len())
            .finish()
    }
}

impl SchemaSet {
    /// Builds a schema for every shape of `model`.
    pub fn build(model: &ServiceModel) -> Result<Self, ModelError> {
        Self::build_shapes(&model.shapes)
    }

    /// Builds a schema for every shape of `shapes`.
    pub fn build_shapes(shapes: &IndexMap<String, ShapeModel>) -> Result<Self, ModelError> {
        // First every schema without members, so members can point at any of them.
        let mut schemas = HashMap::with_capacity(shapes.len());
        for (name, shape) in shapes {
            let mut schema =
                Schema::deferred(leak(name), shape.schema_type(name)?).flag(shape.flags());
            schema.min = shape.min;
            schema.max = shape.max;
            if !shape.enum_values.is_empty() {
                let values: Vec<&'static str> = shape.enum_values.iter().map(|v| leak(v)).collect();
                schema.enum_values = Box::leak(values.into_boxed_slice());
            }
            schema.timestamp_format = shape.timestamp_format.as_deref().and_then(timestamp_format);
            schema.location_name = shape.location_name.as_deref().map(leak);
            schema.xml_namespace = shape.xml_namespace.as_ref().map(|ns| XmlNamespace {
                uri: leak(ns.uri()),
                prefix: ns.prefix().map(leak),
            });
            if let Some(payload) = &shape.payload {
                let index =
                    shape
                        .members
                        .get_index_of(payload)
                        .ok_or_else(|| ModelError::Invalid {
                            shape: name.clone(),
                            message: format!("payload `{payload}` is not a member"),
                        })?;
                schema.payload = Some(index as u16);
            }
            schema.error = shape.error.as_ref().map(|e| ErrorTrait {
                code: e.code.as_deref().map(leak),
                http_status: e.http_status_code,
                sender_fault: e.sender_fault,
            });
            let schema: &'static Schema = Box::leak(Box::new(schema));
            schemas.insert(name.clone(), schema);
        }
        for (name, shape) in shapes {
            let required: HashSet<&str> = shape.required.iter().map(String::as_str).collect();
            let mut members = Vec::new();
            for (member_name, r) in shape.member_refs(name)? {
                let target = schemas
                    .get(&r.shape)
                    .ok_or_else(|| ModelError::MissingShape {
                        shape: name.clone(),
                        target: r.shape.clone(),
                    })?;
                members.push(member_from_ref(
                    name,
                    member_name,
                    r,
                    target,
                    required.contains(member_name),
                )?);
            }
            schemas[name].set_deferred_members(Box::leak(members.into_boxed_slice()));
        }
        Ok(SchemaSet { schemas })
    }

    /// The schema of the shape named `name`.
    pub fn get(&self, name: &str) -> Option<&'static Schema> {
        self.schemas.get(name).copied()
    }

    pub fn len(&self) -> usize {
        self.schemas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
    }
}

fn member_from_ref(
    shape: &str,
    name: &str,
    r: &ShapeRef,
    target: &'static Schema,
    required: bool,
) -> Result<Member, ModelError> {
    let location = location(r.location.as_deref()).ok_or_else(|| ModelError::Invalid {
        shape: shape.to_string(),
        message: format!("member `{name}` has unknown location {:?}", r.location),
    })?;
    let mut member = Member::new(leak(name), target).flag(r.flags(required));
    member.location = location;
    member.location_name = r.location_name.as_deref().map(leak);
    member.query_name = r.query_name.as_deref().map(leak);
    member.xml_namespace = r.xml_namespace.as_ref().map(|ns| XmlNamespace {
        uri: leak(ns.uri()),
        prefix: ns.prefix().map(leak),
    });
    member.timestamp_format = r.timestamp_format.as_deref().and_then(timestamp_format);
    member.context_param = r.context_param.as_ref().map(|c| leak(&c.name));
    Ok(member)
}

/// Compares two schemas structurally, following members into their targets (cycles are
/// followed once). Returns a description of the first difference, with the path to it.
pub fn schema_diff(a: &'static Schema, b: &'static Schema) -> Option<String> {
    let mut seen = HashSet::new();
    diff_inner(a, b, a.name, &mut seen)
}

fn diff_inner(
    a: &'static Schema,
    b: &'static Schema,
    path: &str,
    seen: &mut HashSet<(usize, usize)>,
) -> Option<String> {
    if !seen.insert((a as *const Schema as usize, b as *const Schema as usize)) {
        return None;
    }
    macro_rules! field {
        ($($f:ident),*) => {$(
            if a.$f != b.$f {
                return Some(format!("{path}: {} differs: {:?} != {:?}", stringify!($f), a.$f, b.$f));
            }
        )*};
    }
    field!(
        name,
        shape_type,
        flags,
        min,
        max,
        enum_values,
        timestamp_format,
        location_name,
        xml_namespace,
        payload,
        error
    );
    let (am, bm) = (a.members(), b.members());
    if am.len() != bm.len() {
        return Some(format!("{path}: {} members != {}", am.len(), bm.len()));
    }
    for (x, y) in am.iter().zip(bm) {
        let path = format!("{path}.{}", x.name);
        macro_rules! member_field {
            ($($f:ident),*) => {$(
                if x.$f != y.$f {
                    return Some(format!("{path}: {} differs: {:?} != {:?}", stringify!($f), x.$f, y.$f));
                }
            )*};
        }
        member_field!(
            name,
            location,
            location_name,
            query_name,
            xml_namespace,
            timestamp_format,
            flags,
            context_param
        );
        if let Some(d) = diff_inner(x.target, y.target, &path, seen) {
            return Some(d);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = r#"{
      "metadata": {"protocol": "query", "apiVersion": "2020-01-01"},
      "shapes": {
        "Node": {"type": "structure", "required": ["Name"], "members": {
          "Name": {"shape": "Name", "locationName": "name"},
          "Children": {"shape": "NodeList"},
          "Secret": {"shape": "Secret"}
        }},
        "NodeList": {"type": "list", "member": {"shape": "Node", "locationName": "item"}},
        "Name": {"type": "string", "min": 1, "max": 10},
        "Secret": {"type": "string", "sensitive": true},
        "Color": {"type": "string", "enum": ["red", "blue"]}
      }
    }"#;

    #[test]
    fn builds_recursive_schemas() {
        let model: ServiceModel = serde_json::from_str(MODEL).unwrap();
        let set = SchemaSet::build(&model).unwrap();
        assert_eq!(set.len(), 5);
        let node = set.get("Node").unwrap();
        assert_eq!(node.members().len(), 3);
        assert!(node.members()[0].has(MemberFlags::REQUIRED));
        assert_eq!(node.members()[0].wire_name(), "name");
        assert_eq!(node.members()[0].target.max, Some(10.0));
        let list = node.members()[1].target;
        assert!(std::ptr::eq(list.list_member().unwrap().target, node));
        assert!(node.members()[2].is_sensitive());
        assert_eq!(set.get("Color").unwrap().shape_type, ShapeType::Enum);
        assert_eq!(schema_diff(node, node), None);
    }

    #[test]
    fn reports_the_first_difference_with_its_path() {
        let model: ServiceModel = serde_json::from_str(MODEL).unwrap();
        let a = SchemaSet::build(&model).unwrap();
        let changed = MODEL.replace(r#""locationName": "item""#, r#""locationName": "entry""#);
        let b = SchemaSet::build(&serde_json::from_str(&changed).unwrap()).unwrap();
        assert_eq!(
            schema_diff(a.get("Node").unwrap(), b.get("Node").unwrap()).as_deref(),
            Some("Node.Children.member: location_name differs: Some(\"item\") != Some(\"entry\")")
        );
    }

    #[test]
    fn broken_models_are_clear_errors() {
        let missing = MODEL.replace(r#""shape": "Secret"}"#, r#""shape": "Nope"}"#);
        let err = SchemaSet::build(&serde_json::from_str(&missing).unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "shape `Node` refers to `Nope`, which the model does not define"
        );
        let bad_type = MODEL.replace(
            r#""type": "string", "sensitive""#,
            r#""type": "strung", "sensitive""#,
        );
        let err = SchemaSet::build(&serde_json::from_str(&bad_type).unwrap()).unwrap_err();
        assert_eq!(err.to_string(), "shape `Secret` has unknown type `strung`");
    }
}
