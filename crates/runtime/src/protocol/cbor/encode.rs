//! Any [`StructValue`] as CBOR, through its schema, as botocore's `CBORSerializer` writes it:
//! a structure or union is a map of its set members (keyed by wire name, in model order),
//! lists and maps have definite lengths, map entries come in key order, timestamps are tag 1
//! with epoch seconds as a double, blobs are byte strings, floats keep the width of their shape.

use super::CborWriter;
use crate::document::{Document, Number};
use crate::protocol::MAX_DEPTH;
use crate::schema::{Member, ShapeType};
use crate::value::{StructValue, ValueRef};

/// Writes `value` as a CBOR map.
pub fn write_struct(out: &mut CborWriter, value: &dyn StructValue) -> Result<(), String> {
    write_struct_at(out, value, 0)
}

fn write_struct_at(
    out: &mut CborWriter,
    value: &dyn StructValue,
    depth: usize,
) -> Result<(), String> {
    let schema = value.schema();
    let depth = enter(depth, schema.name)?;
    let is_set = |i: usize| {
        value
            .member(i)
            .is_some_and(|v| !matches!(v.get(), ValueRef::Null))
    };
    // Counted first, so the map has a definite length without collecting the members.
    let count = (0..schema.members().len()).filter(|&i| is_set(i)).count();
    if count == 0 && schema.shape_type == ShapeType::Union && !schema.members().is_empty() {
        return Err(format!(
            "{} is a union with no member set (an unknown variant cannot be sent)",
            schema.name
        ));
    }
    out.map(count);
    for (index, member) in schema.members().iter().enumerate() {
        let Some(member_value) = value.member(index).map(|v| v.get()) else {
            continue;
        };
        if matches!(member_value, ValueRef::Null) {
            continue;
        }
        out.text(member.wire_name());
        write_value(out, member, member_value, depth)?;
    }
    Ok(())
}

fn write_value(
    out: &mut CborWriter,
    member: &Member,
    value: ValueRef<'_>,
    depth: usize,
) -> Result<(), String> {
    let target = member.target;
    match value {
        ValueRef::Null => out.null(),
        ValueRef::Bool(b) => out.bool(b),
        ValueRef::Integer(n) => out.integer(n),
        ValueRef::Float(x) if target.shape_type == ShapeType::Float => out.f32(x as f32),
        ValueRef::Float(x) => out.f64(x),
        ValueRef::String(s) => out.text(s),
        ValueRef::Timestamp(t) => {
            // Epoch seconds as a double, as the Smithy protocol tests expect and keeping
            // fractions; botocore writes whole seconds as an integer, which its runner
            // compares equal.
            out.tag(1);
            out.f64(t.as_secs_f64());
        }
        ValueRef::Blob(bytes) => out.bytes(bytes),
        ValueRef::Stream(stream) => match stream.as_bytes() {
            Some(bytes) => out.bytes(bytes),
            None => {
                return Err(format!(
                    "{} is a stream, which cannot be sent inside a CBOR document",
                    member.name
                ));
            }
        },
        ValueRef::Document(document) => write_document(out, document, depth)?,
        ValueRef::Struct(value) => write_struct_at(out, value, depth)?,
        ValueRef::List(list) => {
            let element = target
                .list_member()
                .ok_or_else(|| format!("list {} has no element", target.name))?;
            let depth = enter(depth, target.name)?;
            out.array(list.len());
            for i in 0..list.len() {
                match list.item(i) {
                    Some(item) => write_value(out, element, item.get(), depth)?,
                    None => out.null(),
                }
            }
        }
        ValueRef::Map(map) => {
            let (_, value_member) = target
                .map_entry()
                .ok_or_else(|| format!("map {} has no entry", target.name))?;
            let depth = enter(depth, target.name)?;
            out.map(map.len());
            let mut result = Ok(());
            map.for_each(&mut |key, value| {
                if result.is_ok() {
                    out.text(key);
                    result = write_value(out, value_member, value.get(), depth);
                }
            });
            result?;
        }
    }
    Ok(())
}

fn write_document(out: &mut CborWriter, document: &Document, depth: usize) -> Result<(), String> {
    match document {
        Document::Null => out.null(),
        Document::Bool(b) => out.bool(*b),
        Document::Number(Number::PosInt(n)) => out.unsigned(*n),
        Document::Number(Number::NegInt(n)) => out.integer(*n),
        Document::Number(Number::Float(x)) => out.f64(*x),
        Document::String(s) => out.text(s),
        Document::Array(items) => {
            let depth = enter(depth, "a document array")?;
            out.array(items.len());
            for item in items {
                write_document(out, item, depth)?;
            }
        }
        Document::Object(entries) => {
            let depth = enter(depth, "a document object")?;
            out.map(entries.len());
            for (key, value) in entries {
                out.text(key);
                write_document(out, value, depth)?;
            }
        }
    }
    Ok(())
}

fn enter(depth: usize, what: &str) -> Result<usize, String> {
    if depth >= MAX_DEPTH {
        return Err(format!(
            "{what} is nested more than {MAX_DEPTH} levels deep, which no AWS service accepts"
        ));
    }
    Ok(depth + 1)
}
