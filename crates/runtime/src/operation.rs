//! Operations as data: the static descriptors a generated client hands to the runtime.

use crate::schema::Schema;
use crate::value::StructValue;
use std::fmt;

/// A wire protocol (botocore's `metadata.protocol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    Query,
    Ec2,
    /// awsJson 1.0 / 1.1 (see [`ServiceInfo::json_version`]).
    Json,
    RestJson,
    RestXml,
    RpcV2Cbor,
}

impl Protocol {
    /// botocore's order of preference when a model lists several protocols
    /// (`PRIORITY_ORDERED_SUPPORTED_PROTOCOLS`): CloudWatch, which lists
    /// `smithy-rpc-v2-cbor`, `json` and `query`, is called with `json`.
    pub const PRIORITY: [Protocol; 6] = [
        Protocol::Json,
        Protocol::RestJson,
        Protocol::RestXml,
        Protocol::RpcV2Cbor,
        Protocol::Query,
        Protocol::Ec2,
    ];

    /// The protocol botocore calls a service with, among those its model lists.
    pub fn preferred(listed: &[Protocol]) -> Option<Protocol> {
        Protocol::PRIORITY.into_iter().find(|p| listed.contains(p))
    }

    /// The protocol's name in botocore's models.
    pub const fn name(self) -> &'static str {
        match self {
            Protocol::Query => "query",
            Protocol::Ec2 => "ec2",
            Protocol::Json => "json",
            Protocol::RestJson => "rest-json",
            Protocol::RestXml => "rest-xml",
            Protocol::RpcV2Cbor => "smithy-rpc-v2-cbor",
        }
    }

    /// The protocol botocore names `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "query" => Protocol::Query,
            "ec2" => Protocol::Ec2,
            "json" => Protocol::Json,
            "rest-json" => Protocol::RestJson,
            "rest-xml" => Protocol::RestXml,
            "smithy-rpc-v2-cbor" => Protocol::RpcV2Cbor,
            _ => return None,
        })
    }
}

/// Whether an operation's endpoint is discovered (`endpointdiscovery`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EndpointDiscovery {
    /// The operation goes to the endpoint its rules give.
    #[default]
    None,
    /// The service can name an endpoint for it; used when the configuration turns endpoint
    /// discovery on.
    Optional,
    /// The operation must go to a discovered endpoint (Timestream).
    Required,
}

/// The operation that names a service's endpoints (`endpointoperation`, `DescribeEndpoints`),
/// with constructors of its generated input and output, so the runtime can call it.
#[derive(Debug)]
pub struct DiscoveryOperation {
    pub operation: &'static Operation,
    pub new_input: fn() -> Box<dyn StructValue>,
    pub new_output: fn() -> Box<dyn StructValue>,
}

/// What every operation of a service shares (botocore's `metadata`).
#[derive(Debug)]
pub struct ServiceInfo {
    /// botocore's name for the service (the `models/` directory), e.g. `autoscaling`.
    pub name: &'static str,
    /// `serviceId`, e.g. `Auto Scaling`.
    pub service_id: &'static str,
    pub api_version: &'static str,
    pub endpoint_prefix: &'static str,
    /// The SigV4 signing name (`signingName`, else the endpoint prefix).
    pub signing_name: &'static str,
    /// The protocol calls use unless the client picks another of [`ServiceInfo::protocols`]
    /// (botocore's choice: [`Protocol::preferred`]).
    pub protocol: Protocol,
    /// Every protocol the model lists (`protocols`, else `protocol`), in model order.
    pub protocols: &'static [Protocol],
    pub json_version: Option<&'static str>,
    pub target_prefix: Option<&'static str>,
    pub xml_namespace: Option<&'static str>,
    /// The service's endpoint rule set (`None` only for services assembled at run time,
    /// which then need a configured endpoint URL).
    pub endpoint_rules: Option<&'static crate::endpoint::StaticRuleSet>,
    pub signature_version: &'static str,
    /// Auth schemes in priority order (`auth`), e.g. `aws.auth#sigv4`.
    pub auth: &'static [&'static str],
    /// `awsQueryCompatible`: errors carry query-style codes.
    pub query_compatible: bool,
    /// The operation that discovers endpoints, for services that have one.
    pub endpoint_discovery: Option<&'static DiscoveryOperation>,
}

#[cfg(test)]
impl ServiceInfo {
    /// A query-protocol service without endpoint rules, for the runtime's unit tests.
    pub(crate) const fn test(name: &'static str, service_id: &'static str) -> ServiceInfo {
        ServiceInfo {
            name,
            service_id,
            api_version: "2020-01-01",
            endpoint_prefix: name,
            signing_name: name,
            protocol: Protocol::Query,
            protocols: &[Protocol::Query],
            json_version: None,
            target_prefix: None,
            xml_namespace: None,
            endpoint_rules: None,
            signature_version: "v4",
            auth: &[],
            query_compatible: false,
            endpoint_discovery: None,
        }
    }
}

/// A literal bound to an endpoint-rule parameter (`staticContextParams`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ContextValue {
    Bool(bool),
    String(&'static str),
    StringList(&'static [&'static str]),
}

/// The `httpChecksum` trait of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpChecksum {
    pub request_algorithm_member: Option<&'static str>,
    pub request_checksum_required: bool,
    pub request_validation_mode_member: Option<&'static str>,
    pub response_algorithms: &'static [&'static str],
}

/// One operation: how to call it and what comes back.
#[derive(Debug)]
pub struct Operation {
    pub name: &'static str,
    pub service: &'static ServiceInfo,
    pub http_method: &'static str,
    /// The request URI template, e.g. `/{Bucket}/{Key+}?uploads`.
    pub request_uri: &'static str,
    pub response_code: Option<u16>,
    pub input: &'static Schema,
    pub output: &'static Schema,
    /// The model gives the operation no input shape; `input` is an empty stand-in (the
    /// `smithy-rpc-v2-cbor` protocol then sends no body).
    pub synthetic_input: bool,
    /// `input.locationName` (rest-xml payload element of the whole input).
    pub input_location_name: Option<&'static str>,
    /// `input.xmlNamespace`.
    pub input_xml_namespace: Option<&'static str>,
    /// `output.resultWrapper` (query protocol).
    pub result_wrapper: Option<&'static str>,
    /// The modeled exceptions, in model order (the order of the error enum's variants).
    pub errors: &'static [&'static Schema],
    /// `endpoint.hostPrefix`, e.g. `{RequestRoute}.`.
    pub host_prefix: Option<&'static str>,
    pub idempotent: bool,
    pub http_checksum_required: bool,
    pub http_checksum: Option<HttpChecksum>,
    /// `authtype` (`none`, `v4-unsigned-body`, `bearer`, ...).
    pub auth_type: Option<&'static str>,
    /// Operation-level `auth` schemes, overriding the service's.
    pub auth: &'static [&'static str],
    pub unsigned_payload: bool,
    /// `requestcompression.encodings`.
    pub request_compression: &'static [&'static str],
    pub static_context_params: &'static [(&'static str, ContextValue)],
    /// `operationContextParams`: parameter name and the path into the input.
    pub operation_context_params: &'static [(&'static str, &'static str)],
    /// `endpointdiscovery`.
    pub endpoint_discovery: EndpointDiscovery,
}

impl Operation {
    /// An operation with the given HTTP binding and shapes and no other traits.
    pub const fn new(
        name: &'static str,
        service: &'static ServiceInfo,
        http_method: &'static str,
        request_uri: &'static str,
        input: &'static Schema,
        output: &'static Schema,
    ) -> Self {
        Operation {
            name,
            service,
            http_method,
            request_uri,
            response_code: None,
            input,
            output,
            synthetic_input: false,
            input_location_name: None,
            input_xml_namespace: None,
            result_wrapper: None,
            errors: &[],
            host_prefix: None,
            idempotent: false,
            http_checksum_required: false,
            http_checksum: None,
            auth_type: None,
            auth: &[],
            unsigned_payload: false,
            request_compression: &[],
            static_context_params: &[],
            operation_context_params: &[],
            endpoint_discovery: EndpointDiscovery::None,
        }
    }
    pub const fn endpoint_discovery(mut self, discovery: EndpointDiscovery) -> Self {
        self.endpoint_discovery = discovery;
        self
    }
    /// Marks `input` as a stand-in: the model has no input shape.
    pub const fn synthetic_input(mut self) -> Self {
        self.synthetic_input = true;
        self
    }
    pub const fn response_code(mut self, code: u16) -> Self {
        self.response_code = Some(code);
        self
    }
    pub const fn input_location_name(mut self, name: &'static str) -> Self {
        self.input_location_name = Some(name);
        self
    }
    pub const fn input_xml_namespace(mut self, uri: &'static str) -> Self {
        self.input_xml_namespace = Some(uri);
        self
    }
    pub const fn result_wrapper(mut self, wrapper: &'static str) -> Self {
        self.result_wrapper = Some(wrapper);
        self
    }
    pub const fn errors(mut self, errors: &'static [&'static Schema]) -> Self {
        self.errors = errors;
        self
    }
    pub const fn host_prefix(mut self, prefix: &'static str) -> Self {
        self.host_prefix = Some(prefix);
        self
    }
    pub const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }
    pub const fn http_checksum_required(mut self) -> Self {
        self.http_checksum_required = true;
        self
    }
    pub const fn http_checksum(mut self, checksum: HttpChecksum) -> Self {
        self.http_checksum = Some(checksum);
        self
    }
    pub const fn auth_type(mut self, auth_type: &'static str) -> Self {
        self.auth_type = Some(auth_type);
        self
    }
    pub const fn auth(mut self, auth: &'static [&'static str]) -> Self {
        self.auth = auth;
        self
    }
    pub const fn unsigned_payload(mut self) -> Self {
        self.unsigned_payload = true;
        self
    }
    pub const fn request_compression(mut self, encodings: &'static [&'static str]) -> Self {
        self.request_compression = encodings;
        self
    }
    pub const fn static_context_params(
        mut self,
        params: &'static [(&'static str, ContextValue)],
    ) -> Self {
        self.static_context_params = params;
        self
    }
    pub const fn operation_context_params(
        mut self,
        params: &'static [(&'static str, &'static str)],
    ) -> Self {
        self.operation_context_params = params;
        self
    }
}

/// An error response that matched none of the operation's modeled exceptions.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ServiceError {
    pub code: String,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub status: Option<u16>,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// The error of a call made without generated types ([`crate::ClientHandle::invoke_into`]):
/// every service error as its code, message and request id.
impl OperationError for ServiceError {
    fn modeled(_: usize) -> Option<Self> {
        None
    }
    fn payload(&self) -> Option<&dyn StructValue> {
        None
    }
    fn payload_mut(&mut self) -> Option<&mut dyn StructValue> {
        None
    }
    fn unhandled(error: ServiceError) -> Self {
        error
    }
}

/// The error enum of one operation: a variant per modeled exception, in the order of
/// [`Operation::errors`], plus `Unhandled` for anything else. Generated per operation.
pub trait OperationError: Sized + Send + Sync + 'static {
    /// The modeled exception at `index` of [`Operation::errors`], with default members for
    /// the decoder to fill.
    fn modeled(index: usize) -> Option<Self>;
    /// The typed payload of a modeled exception.
    fn payload(&self) -> Option<&dyn StructValue>;
    /// The typed payload of a modeled exception, to decode into.
    fn payload_mut(&mut self) -> Option<&mut dyn StructValue>;
    /// An error none of the modeled exceptions describes.
    fn unhandled(error: ServiceError) -> Self;
}

/// Implements [`OperationError`], `Display` and `std::error::Error` for a generated error
/// enum, given its modeled variants in the order of [`Operation::errors`]. Every variant
/// holds its exception type; `Unhandled(ServiceError)` is always last.
#[macro_export]
macro_rules! impl_operation_error {
    ($ty:ident { $($variant:ident),* $(,)? }) => {
        impl $crate::operation::OperationError for $ty {
            fn modeled(index: usize) -> ::core::option::Option<Self> {
                let constructors: &[fn() -> Self] =
                    &[$(|| $ty::$variant(::core::default::Default::default())),*];
                constructors.get(index).map(|make| make())
            }
            fn payload(&self) -> ::core::option::Option<&dyn $crate::value::StructValue> {
                match self {
                    $($ty::$variant(e) => ::core::option::Option::Some(e),)*
                    $ty::Unhandled(_) => ::core::option::Option::None,
                }
            }
            fn payload_mut(&mut self) -> ::core::option::Option<&mut dyn $crate::value::StructValue> {
                match self {
                    $($ty::$variant(e) => ::core::option::Option::Some(e),)*
                    $ty::Unhandled(_) => ::core::option::Option::None,
                }
            }
            fn unhandled(error: $crate::operation::ServiceError) -> Self {
                $ty::Unhandled(error)
            }
        }
        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    $($ty::$variant(e) => ::core::fmt::Display::fmt(e, f),)*
                    $ty::Unhandled(e) => ::core::fmt::Display::fmt(e, f),
                }
            }
        }
        impl ::std::error::Error for $ty {}
    };
}
