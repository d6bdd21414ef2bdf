//! XML, the format of the query, ec2 and rest-xml protocols: a schema-driven reader
//! ([`XmlDecoder`]), a schema-driven writer ([`XmlWriter`]), and the error envelopes AWS
//! wraps XML errors in ([`error`]).
//!
//! What every piece shares is how a member is named on the wire, which follows botocore:
//!
//! * A member's element is named by `locationName` (on the member, else on its target
//!   shape), else by the member name ([`Member::serialized_name`]).
//! * A list or map is *flattened* when the member or its shape says `flattened`
//!   (`is_flattened`): its elements (entries) repeat in the parent under the member's
//!   name, without a wrapper.
//! * A flattened list whose *shape* is flattened takes its element's `locationName` when the
//!   member has none of its own (`element_name`; botocore's older models put the name
//!   there).

pub mod error;
mod reader;
mod writer;

pub use reader::{Element, MAX_DEPTH, XmlDecoder};
pub use writer::XmlWriter;

use crate::schema::{Member, MemberFlags, ShapeFlags, ShapeType};
use std::fmt;

/// XML that is malformed or does not fit the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError(pub String);

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for XmlError {}

impl XmlError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        XmlError(message.into())
    }
}

/// Whether a member is a flattened list or map (`flattened` on the member or on its shape).
pub(crate) fn is_flattened(member: &Member) -> bool {
    member.has(MemberFlags::FLATTENED) || member.target.has(ShapeFlags::FLATTENED)
}

/// The name of a member's element(s) in an XML body. See the module documentation for the
/// flattened-list rule.
pub(crate) fn element_name(member: &Member) -> &'static str {
    let target = member.target;
    if target.shape_type == ShapeType::List
        && target.has(ShapeFlags::FLATTENED)
        && member.location_name.is_none()
        && let Some(name) = target.list_member().and_then(Member::serialized_name)
    {
        return name;
    }
    member.wire_name()
}
