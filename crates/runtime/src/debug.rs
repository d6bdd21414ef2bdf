//! `Debug` for generated types, driven by their schemas.
//!
//! One implementation serves every structure and union: it prints the members that are set,
//! by model name, and replaces any member whose shape is `sensitive` (or holds sensitive
//! elements) with [`REDACTED`]. A structure that is itself `sensitive` prints only its name.

use crate::schema::{Member, ShapeType};
use crate::value::{StructValue, Value, ValueRef};
use std::fmt;

/// What `Debug` prints in place of a sensitive value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Formats a structure or union as `Name { Member: value, .. }` (unset members omitted),
/// or a union as `Name::Variant(value)`.
pub fn fmt_struct(
    value: &dyn StructValue,
    type_name: &str,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    let schema = value.schema();
    if schema.contains_sensitive() {
        return write!(f, "{type_name}({REDACTED})");
    }
    if schema.shape_type == ShapeType::Union {
        for (i, member) in schema.members().iter().enumerate() {
            if let Some(v) = value.member(i) {
                return f
                    .debug_tuple(&format!("{type_name}::{}", member.name))
                    .field(&MemberDebug(member, v))
                    .finish();
            }
        }
        return write!(f, "{type_name}::Unknown");
    }
    let mut out = f.debug_struct(type_name);
    for (i, member) in schema.members().iter().enumerate() {
        if let Some(v) = value.member(i) {
            out.field(member.name, &MemberDebug(member, v));
        }
    }
    out.finish()
}

/// A member's value, redacted when its shape is sensitive.
struct MemberDebug<'a>(&'a Member, &'a dyn Value);

impl fmt::Debug for MemberDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_sensitive() {
            return f.write_str(REDACTED);
        }
        ValueDebug(self.1.get(), Some(self.0)).fmt(f)
    }
}

struct ValueDebug<'a>(ValueRef<'a>, Option<&'a Member>);

impl fmt::Debug for ValueDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            ValueRef::Null => f.write_str("null"),
            ValueRef::Bool(v) => v.fmt(f),
            ValueRef::Integer(v) => v.fmt(f),
            ValueRef::Float(v) => v.fmt(f),
            ValueRef::String(v) => v.fmt(f),
            ValueRef::Timestamp(v) => v.fmt(f),
            ValueRef::Blob(v) => write!(f, "Blob({} bytes)", v.len()),
            ValueRef::Stream(v) => v.fmt(f),
            ValueRef::Document(v) => v.fmt(f),
            ValueRef::Struct(v) => fmt_struct(v, v.schema().name, f),
            ValueRef::List(list) => {
                let element = self.1.and_then(|m| m.target.list_member());
                let mut out = f.debug_list();
                for i in 0..list.len() {
                    if let Some(item) = list.item(i) {
                        out.entry(&ValueDebug(item.get(), element));
                    }
                }
                out.finish()
            }
            ValueRef::Map(map) => {
                let value_member = self.1.and_then(|m| m.target.map_entry()).map(|(_, v)| v);
                let mut out = f.debug_map();
                map.for_each(&mut |k, v| {
                    out.entry(&k, &ValueDebug(v.get(), value_member));
                });
                out.finish()
            }
        }
    }
}

/// `Display` for a modeled exception: `Code: message`, or just the code when the exception
/// carries no message.
pub fn fmt_exception(value: &dyn StructValue, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let schema = value.schema();
    f.write_str(schema.error_code())?;
    let message = schema
        .members()
        .iter()
        .enumerate()
        .find(|(_, m)| m.name.eq_ignore_ascii_case("message"))
        .and_then(|(i, _)| value.member(i));
    if let Some(ValueRef::String(message)) = message.map(|m| m.get()) {
        write!(f, ": {message}")?;
    }
    Ok(())
}
