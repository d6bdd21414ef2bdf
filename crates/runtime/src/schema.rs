//! Static schemas: the data that describes every shape of every service.
//!
//! Generated crates emit one `static` [`Schema`] per botocore shape. Protocol codecs, input
//! validation and `Debug` walk values through these schemas, so no code is generated per shape
//! and per protocol. Schemas reference each other with `&'static`, so recursive shapes are
//! plain cycles between statics.
//!
//! Every constructor and setter is a `const fn`, so generated code reads like the model:
//!
//! ```
//! use stratus_runtime::schema::{Member, Schema, Location};
//! static NAME: Schema = Schema::string("ResourceName").length(1, 255);
//! static MEMBERS: [Member; 1] = [Member::new("Name", &NAME).required().location(Location::Header, "x-amz-name")];
//! static INPUT: Schema = Schema::structure("GetThingInput", &MEMBERS);
//! assert_eq!(INPUT.members()[0].wire_name(), "x-amz-name");
//! ```

use std::fmt;

/// The kind of a shape, as botocore names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShapeType {
    Structure,
    /// A structure of which exactly one member is set.
    Union,
    /// `members[0]` is the element.
    List,
    /// `members[0]` is the key, `members[1]` the value.
    Map,
    String,
    /// A string shape with an `enum` list (see [`Schema::enum_values`]).
    Enum,
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Blob,
    /// An untyped JSON-like value (`document: true`).
    Document,
}

impl ShapeType {
    /// Whether values of this type are structures or unions (have named members).
    pub const fn is_aggregate(self) -> bool {
        matches!(self, ShapeType::Structure | ShapeType::Union)
    }

    /// `n` as a value of this integer type, or why it does not fit (a `byte` of 300):
    /// decoders check the type's range whatever value holds the result.
    pub fn check_integer(self, n: i64) -> Result<i64, String> {
        let (min, max, name) = match self {
            ShapeType::Byte => (i64::from(i8::MIN), i64::from(i8::MAX), "a byte"),
            ShapeType::Short => (i64::from(i16::MIN), i64::from(i16::MAX), "a short"),
            ShapeType::Integer => (i64::from(i32::MIN), i64::from(i32::MAX), "an integer"),
            _ => return Ok(n),
        };
        if (min..=max).contains(&n) {
            Ok(n)
        } else {
            Err(format!("{n} is out of range for {name} ({min} to {max})"))
        }
    }
}

/// Where a member goes in an HTTP message (botocore's `location`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Location {
    /// The protocol's body (or query string for query/ec2).
    #[default]
    Body,
    Header,
    /// A map of headers sharing a prefix (`location: headers`).
    Headers,
    QueryString,
    Uri,
    StatusCode,
}

/// Wire format of a timestamp (botocore's `timestampFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    Iso8601,
    Rfc822,
    UnixTimestamp,
}

/// An XML namespace (`xmlNamespace`), with an optional prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct XmlNamespace {
    pub uri: &'static str,
    pub prefix: Option<&'static str>,
}

/// The `error` trait of an exception shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ErrorTrait {
    /// The error code on the wire, when it differs from the shape name.
    pub code: Option<&'static str>,
    pub http_status: Option<u16>,
    pub sender_fault: bool,
}

macro_rules! flags {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $flag:ident = $bit:expr,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name(u16);
        impl $name {
            $($(#[$fmeta])* pub const $flag: $name = $name(1 << $bit);)*
            /// No flag set.
            pub const EMPTY: $name = $name(0);
            /// Whether every flag of `other` is set.
            pub const fn contains(self, other: $name) -> bool { self.0 & other.0 == other.0 }
            /// Both sets of flags.
            pub const fn with(self, other: $name) -> $name { $name(self.0 | other.0) }
            /// The names of the flags that are set, in declaration order (code generation
            /// writes them out).
            pub fn names(self) -> impl Iterator<Item = &'static str> {
                [$(($name::$flag, stringify!($flag))),*]
                    .into_iter()
                    .filter(move |(flag, _)| self.contains(*flag))
                    .map(|(_, name)| name)
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut set = f.debug_set();
                $(if self.contains($name::$flag) { set.entry(&stringify!($flag)); })*
                set.finish()
            }
        }
    };
}

flags! {
    /// Boolean traits of a shape.
    ShapeFlags {
        /// `sensitive`: never printed by `Debug`.
        SENSITIVE = 0,
        /// `streaming` blob: a body that is not buffered.
        STREAMING = 1,
        /// `requiresLength` on a streaming blob.
        REQUIRES_LENGTH = 2,
        /// `eventstream` union.
        EVENT_STREAM = 3,
        /// `event` structure of an event stream.
        EVENT = 4,
        /// `exception`.
        EXCEPTION = 5,
        /// `fault`: a server-side exception.
        FAULT = 6,
        /// `flattened` list or map (set on the shape).
        FLATTENED = 7,
        /// `wrapper`: an output wrapped in an extra element.
        WRAPPER = 8,
        /// `sparse` list or map: null entries are kept.
        SPARSE = 9,
        /// `retryable` exception.
        RETRYABLE = 10,
        /// `retryable: {throttling: true}` exception.
        THROTTLING = 11,
        /// `deprecated` shape.
        DEPRECATED = 12,
    }
}

flags! {
    /// Boolean traits of a member.
    MemberFlags {
        /// Listed in the containing structure's `required`.
        REQUIRED = 0,
        /// `flattened` on the member.
        FLATTENED = 1,
        /// `xmlAttribute`.
        XML_ATTRIBUTE = 2,
        /// `idempotencyToken`: filled with a UUID when unset.
        IDEMPOTENCY_TOKEN = 3,
        /// `hostLabel`: substituted into the endpoint's host prefix.
        HOST_LABEL = 4,
        /// `jsonvalue`: a JSON document carried in a string (base64 in headers).
        JSON_VALUE = 5,
        /// `streaming` on the member.
        STREAMING = 6,
        /// `eventpayload`.
        EVENT_PAYLOAD = 7,
        /// `eventheader`.
        EVENT_HEADER = 8,
        /// `deprecated` member.
        DEPRECATED = 9,
    }
}

/// Where a schema's members live. Generated statics point at a static array; schemas built
/// at run time from model JSON (which may be recursive) get their members once every schema
/// of the model exists.
enum Members {
    Static(&'static [Member]),
    Deferred(std::sync::OnceLock<&'static [Member]>),
}

/// A shape: its type, members and traits. One `static` per shape in generated crates.
pub struct Schema {
    /// The shape's name in the model.
    pub name: &'static str,
    pub shape_type: ShapeType,
    members: Members,
    pub flags: ShapeFlags,
    /// `min` (length for strings, blobs, lists and maps; value for numbers).
    pub min: Option<f64>,
    /// `max`, as `min`.
    pub max: Option<f64>,
    /// The allowed values of an enum string.
    pub enum_values: &'static [&'static str],
    pub timestamp_format: Option<TimestampFormat>,
    /// `locationName` on the shape itself.
    pub location_name: Option<&'static str>,
    pub xml_namespace: Option<XmlNamespace>,
    /// The member carried as the HTTP payload (`payload`), by index.
    pub payload: Option<u16>,
    pub error: Option<ErrorTrait>,
}

impl Schema {
    const fn new(name: &'static str, shape_type: ShapeType, members: &'static [Member]) -> Self {
        Schema {
            name,
            shape_type,
            members: Members::Static(members),
            flags: ShapeFlags::EMPTY,
            min: None,
            max: None,
            enum_values: &[],
            timestamp_format: None,
            location_name: None,
            xml_namespace: None,
            payload: None,
            error: None,
        }
    }

    /// A schema whose members are set later, once, with [`Schema::set_deferred_members`]
    /// (for schemas built at run time, which may refer to each other in cycles).
    pub fn deferred(name: &'static str, shape_type: ShapeType) -> Self {
        let mut schema = Self::new(name, shape_type, &[]);
        schema.members = Members::Deferred(std::sync::OnceLock::new());
        schema
    }

    /// Sets the members of a [`Schema::deferred`] schema. Returns `false` (and changes
    /// nothing) when the schema is not deferred or its members were already set.
    pub fn set_deferred_members(&self, members: &'static [Member]) -> bool {
        match &self.members {
            Members::Deferred(cell) => cell.set(members).is_ok(),
            Members::Static(_) => false,
        }
    }

    pub const fn structure(name: &'static str, members: &'static [Member]) -> Self {
        Self::new(name, ShapeType::Structure, members)
    }
    pub const fn union(name: &'static str, members: &'static [Member]) -> Self {
        Self::new(name, ShapeType::Union, members)
    }
    /// A list; `member` is a one-element slice holding the element member.
    pub const fn list(name: &'static str, member: &'static [Member; 1]) -> Self {
        Self::new(name, ShapeType::List, member)
    }
    /// A map; `entry` holds the key member then the value member.
    pub const fn map(name: &'static str, entry: &'static [Member; 2]) -> Self {
        Self::new(name, ShapeType::Map, entry)
    }
    /// A scalar shape (anything but structure, union, list and map).
    pub const fn scalar(name: &'static str, shape_type: ShapeType) -> Self {
        Self::new(name, shape_type, &[])
    }
    pub const fn string(name: &'static str) -> Self {
        Self::scalar(name, ShapeType::String)
    }
    pub const fn enumeration(name: &'static str, values: &'static [&'static str]) -> Self {
        let mut schema = Self::scalar(name, ShapeType::Enum);
        schema.enum_values = values;
        schema
    }

    pub const fn flag(mut self, flag: ShapeFlags) -> Self {
        self.flags = self.flags.with(flag);
        self
    }
    pub const fn min(mut self, min: f64) -> Self {
        self.min = Some(min);
        self
    }
    pub const fn max(mut self, max: f64) -> Self {
        self.max = Some(max);
        self
    }
    /// `min` and `max` together (a common pair).
    pub const fn length(self, min: i64, max: i64) -> Self {
        self.min(min as f64).max(max as f64)
    }
    pub const fn timestamp_format(mut self, format: TimestampFormat) -> Self {
        self.timestamp_format = Some(format);
        self
    }
    pub const fn location_name(mut self, name: &'static str) -> Self {
        self.location_name = Some(name);
        self
    }
    pub const fn xml_namespace(mut self, uri: &'static str, prefix: Option<&'static str>) -> Self {
        self.xml_namespace = Some(XmlNamespace { uri, prefix });
        self
    }
    pub const fn payload(mut self, member_index: u16) -> Self {
        self.payload = Some(member_index);
        self
    }
    pub const fn error(
        mut self,
        code: Option<&'static str>,
        http_status: Option<u16>,
        sender_fault: bool,
    ) -> Self {
        self.error = Some(ErrorTrait {
            code,
            http_status,
            sender_fault,
        });
        self
    }

    /// Whether `flag` is set.
    /// Whether a value of this shape can hold a secret: the shape, or any shape it contains,
    /// is `sensitive`. Error messages leave out the bodies of responses whose output does.
    pub fn holds_sensitive(&self) -> bool {
        fn walk(schema: &Schema, depth: usize) -> bool {
            // Shapes may refer to themselves; no model nests sensitive data this deep.
            schema.has(ShapeFlags::SENSITIVE)
                || (depth < 24
                    && schema
                        .members()
                        .iter()
                        .any(|member| walk(member.target, depth + 1)))
        }
        walk(self, 0)
    }

    pub const fn has(&self, flag: ShapeFlags) -> bool {
        self.flags.contains(flag)
    }

    /// Structure and union members in model order; `[element]` for a list;
    /// `[key, value]` for a map; empty for scalars.
    pub fn members(&self) -> &'static [Member] {
        match &self.members {
            Members::Static(members) => members,
            Members::Deferred(cell) => cell.get().copied().unwrap_or(&[]),
        }
    }

    /// The element member of a list.
    pub fn list_member(&self) -> Option<&'static Member> {
        match self.shape_type {
            ShapeType::List => self.members().first(),
            _ => None,
        }
    }

    /// The key and value members of a map.
    pub fn map_entry(&self) -> Option<(&'static Member, &'static Member)> {
        match (self.shape_type, self.members()) {
            (ShapeType::Map, [key, value]) => Some((key, value)),
            _ => None,
        }
    }

    /// The member with this model name.
    pub fn member(&self, name: &str) -> Option<(usize, &'static Member)> {
        self.members()
            .iter()
            .enumerate()
            .find(|(_, m)| m.name == name)
    }

    /// The error code of an exception shape: the `error.code` trait, else the shape name.
    pub fn error_code(&self) -> &'static str {
        self.error.and_then(|e| e.code).unwrap_or(self.name)
    }
}

/// A reference from a structure, union, list or map to a target shape, with the traits that
/// botocore allows on the reference.
pub struct Member {
    /// The member's name in the model (for list elements `"member"`, map entries `"key"`/`"value"`).
    pub name: &'static str,
    pub target: &'static Schema,
    pub location: Location,
    /// `locationName`: the wire name (element, header, query key, or URI label).
    pub location_name: Option<&'static str>,
    /// `queryName` (ec2 protocol).
    pub query_name: Option<&'static str>,
    pub xml_namespace: Option<XmlNamespace>,
    pub timestamp_format: Option<TimestampFormat>,
    pub flags: MemberFlags,
    /// The endpoint-rule parameter this member binds (`contextParam`).
    pub context_param: Option<&'static str>,
}

impl Member {
    pub const fn new(name: &'static str, target: &'static Schema) -> Self {
        Member {
            name,
            target,
            location: Location::Body,
            location_name: None,
            query_name: None,
            xml_namespace: None,
            timestamp_format: None,
            flags: MemberFlags::EMPTY,
            context_param: None,
        }
    }
    pub const fn flag(mut self, flag: MemberFlags) -> Self {
        self.flags = self.flags.with(flag);
        self
    }
    pub const fn required(self) -> Self {
        self.flag(MemberFlags::REQUIRED)
    }
    /// Sets `location` and its `locationName`.
    pub const fn location(mut self, location: Location, name: &'static str) -> Self {
        self.location = location;
        self.location_name = Some(name);
        self
    }
    /// Sets `location` without a `locationName` (e.g. `statusCode`).
    pub const fn located(mut self, location: Location) -> Self {
        self.location = location;
        self
    }
    /// Sets `locationName` (a body member's wire name).
    pub const fn location_name(mut self, name: &'static str) -> Self {
        self.location_name = Some(name);
        self
    }
    pub const fn query_name(mut self, name: &'static str) -> Self {
        self.query_name = Some(name);
        self
    }
    pub const fn xml_namespace(mut self, uri: &'static str, prefix: Option<&'static str>) -> Self {
        self.xml_namespace = Some(XmlNamespace { uri, prefix });
        self
    }
    pub const fn timestamp_format(mut self, format: TimestampFormat) -> Self {
        self.timestamp_format = Some(format);
        self
    }
    pub const fn context_param(mut self, name: &'static str) -> Self {
        self.context_param = Some(name);
        self
    }

    /// Whether `flag` is set.
    pub const fn has(&self, flag: MemberFlags) -> bool {
        self.flags.contains(flag)
    }

    /// botocore's serialization name: `locationName` on the member, else on its target shape
    /// (botocore merges a target's traits into the members that reference it).
    pub fn serialized_name(&self) -> Option<&'static str> {
        self.location_name.or(self.target.location_name)
    }

    /// The name on the wire: the [`serialized_name`](Member::serialized_name), else the
    /// member name.
    /// The member's timestamp format (`timestampFormat` on the member, else on its target),
    /// else the protocol's `default` for where the value goes.
    pub fn timestamp_format_or(&self, default: TimestampFormat) -> TimestampFormat {
        self.timestamp_format
            .or(self.target.timestamp_format)
            .unwrap_or(default)
    }

    pub fn wire_name(&self) -> &'static str {
        self.serialized_name().unwrap_or(self.name)
    }

    /// Whether the member's value is sensitive: its target is, or (for lists and maps)
    /// anything the target contains is, so `Debug` must not print it.
    pub fn is_sensitive(&self) -> bool {
        self.target.contains_sensitive()
    }
}

impl Schema {
    /// Whether this shape is sensitive, or is a list or map whose elements are.
    /// Structures answer for themselves only: their members are checked one by one.
    pub fn contains_sensitive(&self) -> bool {
        if self.has(ShapeFlags::SENSITIVE) {
            return true;
        }
        match self.shape_type {
            ShapeType::List | ShapeType::Map => {
                self.members().iter().any(|m| m.target.contains_sensitive())
            }
            _ => false,
        }
    }
}

// Schemas form cycles, so `Debug` names member targets instead of printing them.
impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Schema")
            .field("name", &self.name)
            .field("shape_type", &self.shape_type)
            .field("members", &self.members())
            .field("flags", &self.flags)
            .field("min", &self.min)
            .field("max", &self.max)
            .field("enum_values", &self.enum_values)
            .field("timestamp_format", &self.timestamp_format)
            .field("location_name", &self.location_name)
            .field("xml_namespace", &self.xml_namespace)
            .field("payload", &self.payload)
            .field("error", &self.error)
            .finish()
    }
}

impl fmt::Debug for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Member")
            .field("name", &self.name)
            .field("target", &self.target.name)
            .field("location", &self.location)
            .field("location_name", &self.location_name)
            .field("query_name", &self.query_name)
            .field("xml_namespace", &self.xml_namespace)
            .field("timestamp_format", &self.timestamp_format)
            .field("flags", &self.flags)
            .field("context_param", &self.context_param)
            .finish()
    }
}
