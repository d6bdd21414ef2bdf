//! The parameters of a rule set: their declarations ([`ParamSpec`]) and the values one
//! resolution binds to them ([`Params`]).

use std::fmt;

use super::rules::RuleSet;

/// The type of a rule-set parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamKind {
    /// `string`.
    String,
    /// `boolean`.
    Bool,
    /// `stringArray`.
    StringArray,
}

impl ParamKind {
    /// The name rule sets use: `string`, `boolean` or `stringArray`.
    pub fn name(self) -> &'static str {
        match self {
            ParamKind::String => "string",
            ParamKind::Bool => "boolean",
            ParamKind::StringArray => "stringArray",
        }
    }

    /// The kind named `name`, compared case-insensitively as botocore does (`String` and
    /// `Boolean` occur in real rule sets).
    pub fn from_name(name: &str) -> Option<ParamKind> {
        [ParamKind::String, ParamKind::Bool, ParamKind::StringArray]
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(name))
    }

    /// The Python type botocore names in its type errors (`<class 'str'>`, …).
    pub(crate) fn python_type(self) -> &'static str {
        match self {
            ParamKind::String => "<class 'str'>",
            ParamKind::Bool => "<class 'bool'>",
            ParamKind::StringArray => "<class 'tuple'>",
        }
    }
}

impl fmt::Display for ParamKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The value of one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// A `boolean` value.
    Bool(bool),
    /// A `string` value.
    String(String),
    /// A `stringArray` value.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// The kind of parameter this value fits.
    pub fn kind(&self) -> ParamKind {
        match self {
            ParamValue::Bool(_) => ParamKind::Bool,
            ParamValue::String(_) => ParamKind::String,
            ParamValue::StringArray(_) => ParamKind::StringArray,
        }
    }
}

impl From<bool> for ParamValue {
    fn from(b: bool) -> Self {
        ParamValue::Bool(b)
    }
}

impl From<&str> for ParamValue {
    fn from(s: &str) -> Self {
        ParamValue::String(s.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(s: String) -> Self {
        ParamValue::String(s)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(items: Vec<String>) -> Self {
        ParamValue::StringArray(items)
    }
}

impl fmt::Display for ParamValue {
    /// The value as botocore prints it in "No endpoint found" errors (Python's `str`):
    /// strings as they are, `True`/`False`, lists as `['a', 'b']`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Bool(true) => f.write_str("True"),
            ParamValue::Bool(false) => f.write_str("False"),
            ParamValue::String(s) => f.write_str(s),
            ParamValue::StringArray(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "'{item}'")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// The configuration values and SDK settings rule-set parameters can be bound to
/// (`builtIn` in the rule set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuiltIn {
    /// `AWS::Region`: the client's region.
    Region,
    /// `AWS::UseFIPS`: use FIPS endpoints.
    UseFips,
    /// `AWS::UseDualStack`: use dual-stack (IPv4 and IPv6) endpoints.
    UseDualStack,
    /// `SDK::Endpoint`: an endpoint URL configured by the user.
    Endpoint,
    /// `AWS::STS::UseGlobalEndpoint`: send STS requests in `us-east-1` to the global endpoint.
    StsUseGlobalEndpoint,
    /// `AWS::S3::Accelerate`: use S3 Transfer Acceleration.
    S3Accelerate,
    /// `AWS::S3::DisableMultiRegionAccessPoints`.
    S3DisableMultiRegionAccessPoints,
    /// `AWS::S3::ForcePathStyle`: address buckets in the path, not the hostname.
    S3ForcePathStyle,
    /// `AWS::S3::UseArnRegion`: use the region of an ARN given as bucket.
    S3UseArnRegion,
    /// `AWS::S3::UseGlobalEndpoint`: send S3 requests in `us-east-1` to the global endpoint.
    S3UseGlobalEndpoint,
    /// `AWS::S3Control::UseArnRegion`: use the region of an ARN given to S3 Control.
    S3ControlUseArnRegion,
    /// `AWS::Auth::AccountId`: the account of the credentials.
    AccountId,
    /// `AWS::Auth::AccountIdEndpointMode`: `preferred`, `required` or `disabled`.
    AccountIdEndpointMode,
    /// `AWS::Auth::CredentialScope`: the credential scope of the credentials.
    CredentialScope,
}

impl BuiltIn {
    /// Every built-in, in declaration order.
    pub const ALL: [BuiltIn; 14] = [
        BuiltIn::Region,
        BuiltIn::UseFips,
        BuiltIn::UseDualStack,
        BuiltIn::Endpoint,
        BuiltIn::StsUseGlobalEndpoint,
        BuiltIn::S3Accelerate,
        BuiltIn::S3DisableMultiRegionAccessPoints,
        BuiltIn::S3ForcePathStyle,
        BuiltIn::S3UseArnRegion,
        BuiltIn::S3UseGlobalEndpoint,
        BuiltIn::S3ControlUseArnRegion,
        BuiltIn::AccountId,
        BuiltIn::AccountIdEndpointMode,
        BuiltIn::CredentialScope,
    ];

    /// The name rule sets use, such as `AWS::Region`.
    pub fn name(self) -> &'static str {
        match self {
            BuiltIn::Region => "AWS::Region",
            BuiltIn::UseFips => "AWS::UseFIPS",
            BuiltIn::UseDualStack => "AWS::UseDualStack",
            BuiltIn::Endpoint => "SDK::Endpoint",
            BuiltIn::StsUseGlobalEndpoint => "AWS::STS::UseGlobalEndpoint",
            BuiltIn::S3Accelerate => "AWS::S3::Accelerate",
            BuiltIn::S3DisableMultiRegionAccessPoints => "AWS::S3::DisableMultiRegionAccessPoints",
            BuiltIn::S3ForcePathStyle => "AWS::S3::ForcePathStyle",
            BuiltIn::S3UseArnRegion => "AWS::S3::UseArnRegion",
            BuiltIn::S3UseGlobalEndpoint => "AWS::S3::UseGlobalEndpoint",
            BuiltIn::S3ControlUseArnRegion => "AWS::S3Control::UseArnRegion",
            BuiltIn::AccountId => "AWS::Auth::AccountId",
            BuiltIn::AccountIdEndpointMode => "AWS::Auth::AccountIdEndpointMode",
            BuiltIn::CredentialScope => "AWS::Auth::CredentialScope",
        }
    }

    /// The built-in named `name` (exactly).
    pub fn from_name(name: &str) -> Option<BuiltIn> {
        BuiltIn::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The kind of parameter the built-in binds to.
    pub fn kind(self) -> ParamKind {
        match self {
            BuiltIn::Region
            | BuiltIn::Endpoint
            | BuiltIn::AccountId
            | BuiltIn::AccountIdEndpointMode
            | BuiltIn::CredentialScope => ParamKind::String,
            BuiltIn::UseFips
            | BuiltIn::UseDualStack
            | BuiltIn::StsUseGlobalEndpoint
            | BuiltIn::S3Accelerate
            | BuiltIn::S3DisableMultiRegionAccessPoints
            | BuiltIn::S3ForcePathStyle
            | BuiltIn::S3UseArnRegion
            | BuiltIn::S3UseGlobalEndpoint
            | BuiltIn::S3ControlUseArnRegion => ParamKind::Bool,
        }
    }
}

impl fmt::Display for BuiltIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The declaration of one parameter of a rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSpec {
    /// The parameter's name, such as `Region` or `Bucket`.
    pub name: String,
    /// Its type.
    pub kind: ParamKind,
    /// The configuration value it is bound to, if any.
    pub built_in: Option<BuiltIn>,
    /// The value it takes when none is bound.
    pub default: Option<ParamValue>,
    /// Whether resolution fails when it has no value (and no default).
    pub required: bool,
}

/// The values bound to a rule set's parameters for one resolution, indexed like
/// [`RuleSet::params`].
///
/// Values are checked against the parameters' kinds when resolving, with botocore's error
/// message, so binding never fails but for an index or a name the rule set does not have.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    values: Vec<Option<ParamValue>>,
}

impl Params {
    /// No value bound, for the parameters of `rules`.
    pub fn new(rules: &RuleSet) -> Params {
        Params {
            values: vec![None; rules.params().len()],
        }
    }

    /// Binds the parameter at `index` (in [`RuleSet::params`]).
    pub fn set(&mut self, index: usize, value: impl Into<ParamValue>) -> Result<(), ParamError> {
        let len = self.values.len();
        let slot = self
            .values
            .get_mut(index)
            .ok_or(ParamError::NoSuchIndex { index, len })?;
        *slot = Some(value.into());
        Ok(())
    }

    /// Binds the parameter named `name` of `rules`.
    pub fn set_by_name(
        &mut self,
        rules: &RuleSet,
        name: &str,
        value: impl Into<ParamValue>,
    ) -> Result<(), ParamError> {
        let index = rules
            .param_index(name)
            .ok_or_else(|| ParamError::NoSuchName(name.to_owned()))?;
        self.set(index, value)
    }

    /// Unbinds the parameter at `index`; an index out of range is ignored.
    pub fn clear(&mut self, index: usize) {
        if let Some(slot) = self.values.get_mut(index) {
            *slot = None;
        }
    }

    /// The value bound to the parameter at `index`.
    pub fn get(&self, index: usize) -> Option<&ParamValue> {
        self.values.get(index).and_then(Option::as_ref)
    }

    /// The bound values, indexed like [`RuleSet::params`].
    pub fn values(&self) -> &[Option<ParamValue>] {
        &self.values
    }
}

/// A parameter [`Params`] cannot bind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// The index is not that of a parameter.
    #[error("no endpoint parameter at index {index}: the rule set has {len}")]
    NoSuchIndex {
        /// The index given.
        index: usize,
        /// How many parameters the rule set has.
        len: usize,
    },
    /// The rule set has no parameter of that name.
    #[error("the endpoint rule set has no parameter named `{0}`")]
    NoSuchName(String),
}
