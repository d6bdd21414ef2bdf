//! CBOR into any [`StructValue`], through its schema, as botocore's `RpcV2CBORParser` reads
//! it: a structure is a map keyed by member name (unknown keys are skipped, `null` values
//! leave the member unset), definite and indefinite lengths alike. Integers must fit their
//! member (a `byte` of 300 is an error, not a wrapped value); floats of any width fill float
//! and double members; timestamps are tag 1 with epoch seconds (an integer or a float).
//!
//! Nesting is bounded by [`MAX_DEPTH`], so hostile input cannot exhaust the stack; the
//! reader below never panics.

use super::{CborError, CborReader, Item};
use crate::DateTime;
use crate::document::{Document, Number};
use crate::protocol::MAX_DEPTH;
use crate::protocol::names;
use crate::schema::{Member, ShapeFlags, ShapeType};
use crate::value::{Scalar, StructValue, Value};
use bytes::Bytes;
use std::collections::BTreeMap;

/// Reads a CBOR map into `output`. An empty body leaves the output as it is.
pub fn read_struct(body: &[u8], output: &mut dyn StructValue) -> Result<(), String> {
    if body.is_empty() {
        return Ok(());
    }
    let mut reader = CborReader::new(body);
    let mut decoder = Decoder {
        reader: &mut reader,
        depth: 0,
    };
    let item = decoder.next()?;
    match item {
        Item::Map(len) => decoder.read_members(output, len)?,
        Item::Null | Item::Undefined => {}
        other => return Err(format!("expected a map, found {}", describe(&other))),
    }
    if !reader.is_at_end() {
        return Err(format!(
            "{} bytes follow the response's data item",
            body.len() - reader.offset()
        ));
    }
    Ok(())
}

/// Reads any CBOR data item as a [`Document`] (tags are dropped, byte strings refused).
pub fn read_document(body: &[u8]) -> Result<Document, String> {
    let mut reader = CborReader::new(body);
    let mut decoder = Decoder {
        reader: &mut reader,
        depth: 0,
    };
    let item = decoder.next()?;
    decoder.document(item)
}

struct Decoder<'r, 'a> {
    reader: &'r mut CborReader<'a>,
    depth: usize,
}

fn cbor(e: CborError) -> String {
    e.to_string()
}

impl<'a> Decoder<'_, 'a> {
    fn next(&mut self) -> Result<Item<'a>, String> {
        self.reader.next().map_err(cbor)
    }

    fn enter(&mut self, what: &str) -> Result<(), String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!(
                "{what} is nested more than {MAX_DEPTH} levels deep (at byte {})",
                self.reader.offset()
            ));
        }
        self.depth += 1;
        Ok(())
    }

    /// Whether another entry of a container of `len` follows (`remaining` counts down for
    /// definite lengths; indefinite ones end at a break).
    fn more(&mut self, remaining: &mut Option<u64>) -> Result<bool, String> {
        match remaining {
            Some(0) => Ok(false),
            Some(n) => {
                *n -= 1;
                Ok(true)
            }
            None => Ok(!self.reader.peek_break().map_err(cbor)?),
        }
    }

    fn read_members(
        &mut self,
        value: &mut dyn StructValue,
        len: Option<u64>,
    ) -> Result<(), String> {
        let schema = value.schema();
        self.enter(schema.name)?;
        let table = names::index(schema).plain(schema);
        let union = schema.shape_type == ShapeType::Union;
        let mut remaining = len;
        while self.more(&mut remaining)? {
            let key = match self.next()? {
                Item::Text(key) => key,
                other => {
                    return Err(format!(
                        "a key of {} is {}, not text",
                        schema.name,
                        describe(&other)
                    ));
                }
            };
            let Some(index) = table.find(key.as_bytes()) else {
                let item = self.next()?;
                // `__type` names the union's shape; any other key is a member added after
                // this SDK was generated.
                if union && key != "__type" && !matches!(item, Item::Null | Item::Undefined) {
                    value.set_unknown(&key);
                }
                self.skip_rest(item)?;
                continue;
            };
            let member = &schema.members()[index];
            let item = self.next()?;
            if matches!(item, Item::Null | Item::Undefined) {
                continue;
            }
            let slot = value
                .member_mut(index)
                .ok_or_else(|| format!("{} has no member #{index}", schema.name))?;
            self.read_value(member, slot, item)?;
        }
        self.depth -= 1;
        Ok(())
    }

    /// Skips what follows an item already read (the contents of an array, map or tag).
    fn skip_rest(&mut self, item: Item<'a>) -> Result<(), String> {
        let mut remaining = match item {
            Item::Array(len) => len,
            Item::Map(len) => len.map(|n| n.saturating_mul(2)),
            Item::Tag(_) => return self.reader.skip().map_err(cbor),
            _ => return Ok(()),
        };
        while self.more(&mut remaining)? {
            self.reader.skip().map_err(cbor)?;
        }
        Ok(())
    }

    /// Reads one value of `member`'s target, whose first item is `item`, into `slot`.
    fn read_value(
        &mut self,
        member: &Member,
        slot: &mut dyn Value,
        item: Item<'a>,
    ) -> Result<(), String> {
        let target = member.target;
        let set = |slot: &mut dyn Value, scalar: Scalar| {
            slot.set(scalar)
                .map_err(|e| format!("{}: {e}", member.name))
        };
        match (target.shape_type, item) {
            (ShapeType::Structure | ShapeType::Union, Item::Map(len)) => {
                let value = slot
                    .as_struct_mut()
                    .ok_or_else(|| format!("{} is not a structure", member.name))?;
                self.read_members(value, len)
            }
            (ShapeType::List, Item::Array(len)) => {
                let element = target
                    .list_member()
                    .ok_or_else(|| format!("list {} has no element", target.name))?;
                let sparse = target.has(ShapeFlags::SPARSE);
                let list = slot
                    .as_list_mut()
                    .ok_or_else(|| format!("{} is not a list", member.name))?;
                self.enter(target.name)?;
                let mut remaining = len;
                while self.more(&mut remaining)? {
                    let item = self.next()?;
                    if matches!(item, Item::Null | Item::Undefined) {
                        if sparse {
                            list.push_default();
                        }
                        continue;
                    }
                    self.read_value(element, list.push_default(), item)?;
                }
                self.depth -= 1;
                Ok(())
            }
            (ShapeType::Map, Item::Map(len)) => {
                let (_, value_member) = target
                    .map_entry()
                    .ok_or_else(|| format!("map {} has no entry", target.name))?;
                let sparse = target.has(ShapeFlags::SPARSE);
                let map = slot
                    .as_map_mut()
                    .ok_or_else(|| format!("{} is not a map", member.name))?;
                self.enter(target.name)?;
                let mut remaining = len;
                while self.more(&mut remaining)? {
                    let key = match self.next()? {
                        Item::Text(key) => key,
                        other => {
                            return Err(format!(
                                "a key of {} is {}, not text",
                                member.name,
                                describe(&other)
                            ));
                        }
                    };
                    let item = self.next()?;
                    if matches!(item, Item::Null | Item::Undefined) {
                        if sparse {
                            map.entry_default(&key);
                        }
                        continue;
                    }
                    self.read_value(value_member, map.entry_default(&key), item)?;
                }
                self.depth -= 1;
                Ok(())
            }
            (ShapeType::Document, item) => {
                let document = self.document(item)?;
                set(slot, Scalar::Document(document))
            }
            (ShapeType::Timestamp, Item::Tag(tag)) => {
                if tag != 1 {
                    return Err(format!(
                        "{}: tag {tag} is not an epoch timestamp (tag 1)",
                        member.name
                    ));
                }
                let item = self.next()?;
                set(slot, Scalar::Timestamp(timestamp(member, item)?))
            }
            (ShapeType::Timestamp, item) => set(slot, Scalar::Timestamp(timestamp(member, item)?)),
            (_, item) => {
                let scalar = scalar(member, item)?;
                set(slot, scalar)
            }
        }
    }

    /// Any data item as a document; tags are dropped (their content kept).
    fn document(&mut self, item: Item<'a>) -> Result<Document, String> {
        Ok(match item {
            Item::Unsigned(n) => Document::Number(Number::PosInt(n)),
            Item::Negative(n) => match i64::try_from(n) {
                Ok(n) => Document::Number(Number::NegInt(-1 - n)),
                Err(_) => Document::Number(Number::Float(-1.0 - n as f64)),
            },
            Item::Float(x) => Document::Number(Number::Float(x)),
            Item::Bool(b) => Document::Bool(b),
            Item::Null | Item::Undefined => Document::Null,
            Item::Text(s) => Document::String(s.into_owned()),
            Item::Bytes(_) => return Err("a document cannot hold a byte string".to_string()),
            Item::Break => return Err("unexpected break".to_string()),
            Item::Tag(_) => {
                self.enter("a tag")?;
                let inner = self.next()?;
                let document = self.document(inner)?;
                self.depth -= 1;
                document
            }
            Item::Array(len) => {
                self.enter("a document array")?;
                let mut items = Vec::new();
                let mut remaining = len;
                while self.more(&mut remaining)? {
                    let item = self.next()?;
                    items.push(self.document(item)?);
                }
                self.depth -= 1;
                Document::Array(items)
            }
            Item::Map(len) => {
                self.enter("a document object")?;
                let mut entries = BTreeMap::new();
                let mut remaining = len;
                while self.more(&mut remaining)? {
                    let key = match self.next()? {
                        Item::Text(key) => key.into_owned(),
                        other => {
                            return Err(format!(
                                "a document key is {}, not text",
                                describe(&other)
                            ));
                        }
                    };
                    let item = self.next()?;
                    entries.insert(key, self.document(item)?);
                }
                self.depth -= 1;
                Document::Object(entries)
            }
        })
    }
}

/// A timestamp from the item after tag 1 (or an untagged number): epoch seconds.
fn timestamp(member: &Member, item: Item<'_>) -> Result<DateTime, String> {
    match item {
        Item::Unsigned(n) => i64::try_from(n)
            .map(DateTime::from_secs)
            .map_err(|_| format!("{}: timestamp {n} is out of range", member.name)),
        Item::Negative(n) => i64::try_from(n)
            .map(|n| DateTime::from_secs(-1 - n))
            .map_err(|_| format!("{}: timestamp -1-{n} is out of range", member.name)),
        Item::Float(x) if x.is_finite() => Ok(DateTime::from_secs_f64(x)),
        other => Err(format!(
            "{}: expected epoch seconds, found {}",
            member.name,
            describe(&other)
        )),
    }
}

/// The scalar an item stands for as a value of `member`'s target.
fn scalar(member: &Member, item: Item<'_>) -> Result<Scalar, String> {
    let target = member.target;
    let wrong = |item: &Item<'_>| {
        format!(
            "{}: a {:?} member cannot hold {}",
            member.name,
            target.shape_type,
            describe(item)
        )
    };
    Ok(match (target.shape_type, item) {
        (ShapeType::Boolean, Item::Bool(b)) => Scalar::Bool(b),
        (
            kind @ (ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long),
            Item::Unsigned(n),
        ) => {
            let n =
                i64::try_from(n).map_err(|_| format!("{}: {n} is out of range", member.name))?;
            Scalar::Integer(
                kind.check_integer(n)
                    .map_err(|e| format!("{}: {e}", member.name))?,
            )
        }
        (
            kind @ (ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long),
            Item::Negative(n),
        ) => {
            let n = i64::try_from(n)
                .map(|n| -1 - n)
                .map_err(|_| format!("{}: -1-{n} is out of range", member.name))?;
            Scalar::Integer(
                kind.check_integer(n)
                    .map_err(|e| format!("{}: {e}", member.name))?,
            )
        }
        (ShapeType::Float | ShapeType::Double, Item::Float(x)) => Scalar::Float(x),
        (ShapeType::Float | ShapeType::Double, Item::Unsigned(n)) => Scalar::Float(n as f64),
        (ShapeType::Float | ShapeType::Double, Item::Negative(n)) => Scalar::Float(-1.0 - n as f64),
        (ShapeType::String | ShapeType::Enum, Item::Text(s)) => Scalar::String(s.into_owned()),
        (ShapeType::BigInteger | ShapeType::BigDecimal, Item::Text(s)) => {
            Scalar::String(s.into_owned())
        }
        (ShapeType::BigInteger | ShapeType::BigDecimal, Item::Unsigned(n)) => {
            Scalar::String(n.to_string())
        }
        (ShapeType::BigInteger | ShapeType::BigDecimal, Item::Negative(n)) => {
            Scalar::String(format!("-{}", u128::from(n) + 1))
        }
        (ShapeType::Blob, Item::Bytes(b)) => Scalar::Blob(Bytes::from(b.into_owned())),
        // Aggregates that do not start as their type, and scalars of the wrong type.
        (_, item) => return Err(wrong(&item)),
    })
}

/// What an item is, for error messages.
fn describe(item: &Item<'_>) -> String {
    match item {
        Item::Unsigned(n) => format!("the integer {n}"),
        Item::Negative(n) => format!("the integer -1-{n}"),
        Item::Bytes(b) => format!("a byte string of {} bytes", b.len()),
        Item::Text(s) => format!("the text {}", crate::protocol::text::quote(s)),
        Item::Array(_) => "an array".to_string(),
        Item::Map(_) => "a map".to_string(),
        Item::Tag(t) => format!("tag {t}"),
        Item::Bool(b) => format!("{b}"),
        Item::Null => "null".to_string(),
        Item::Undefined => "undefined".to_string(),
        Item::Float(x) => format!("the float {x}"),
        Item::Break => "a break".to_string(),
    }
}

#[cfg(all(test, feature = "model"))]
mod tests {
    use super::*;
    use crate::dynamic::DynValue;
    use crate::model::SchemaSet;
    use crate::protocol::cbor::CborWriter;
    use serde_json::json;

    fn shapes() -> &'static SchemaSet {
        static SET: std::sync::OnceLock<SchemaSet> = std::sync::OnceLock::new();
        SET.get_or_init(|| {
            let shapes = json!({
                "S": {"type": "structure", "members": {
                    "Int": {"shape": "Int"}, "Byte": {"shape": "Byte"}, "Str": {"shape": "Str"},
                    "When": {"shape": "Time"}, "List": {"shape": "List"}, "Next": {"shape": "S"}
                }},
                "List": {"type": "list", "member": {"shape": "Str"}},
                "Int": {"type": "integer"}, "Byte": {"type": "byte"}, "Str": {"type": "string"},
                "Time": {"type": "timestamp"}
            });
            SchemaSet::build_shapes(&serde_json::from_value(shapes).unwrap()).unwrap()
        })
    }

    fn decode(body: &[u8]) -> Result<serde_json::Value, String> {
        let mut value = DynValue::default_for(shapes().get("S").unwrap());
        read_struct(body, value.as_dyn_struct_mut().unwrap())?;
        Ok(value.to_json())
    }

    #[test]
    fn reads_definite_and_indefinite_maps_and_skips_unknown_keys() {
        let mut w = CborWriter::new();
        w.indefinite_map();
        w.text("Int");
        w.integer(-5);
        w.text("Other");
        w.indefinite_array();
        w.map(1);
        w.text("x");
        w.bytes(b"y");
        w.end();
        w.text("When");
        w.tag(1);
        w.f64(1.5);
        w.text("List");
        w.array(2);
        w.text("a");
        w.null();
        w.text("Str");
        w.null();
        w.end();
        assert_eq!(
            decode(&w.finish()).unwrap(),
            json!({"Int": -5, "When": 1.5, "List": ["a"]})
        );
    }

    #[test]
    fn bad_bodies_are_errors() {
        let mut byte = CborWriter::new();
        byte.map(1);
        byte.text("Byte");
        byte.unsigned(300);
        let mut huge = CborWriter::new();
        huge.map(1);
        huge.text("Int");
        huge.unsigned(u64::MAX);
        let mut wrong = CborWriter::new();
        wrong.map(1);
        wrong.text("Str");
        wrong.integer(1);
        for (body, expected) in [
            (byte.finish(), "out of range for a byte"),
            (huge.finish(), "out of range"),
            (wrong.finish(), "Str"),
            (br#"{"Int": 1}"#.to_vec(), "CBOR at byte 0"),
            (vec![0x01], "expected a map"),
            (vec![0xbf, 0x63, b'I', b'n'], "CBOR at byte"),
            (vec![0xa1, 0x63, b'I', b'n', b't', 0x01, 0x00], "follow"),
        ] {
            let error = decode(&body).expect_err(&format!("{body:02x?}"));
            assert!(error.contains(expected), "{body:02x?}: {error}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let mut w = CborWriter::new();
        for _ in 0..10_000 {
            w.map(1);
            w.text("Next");
        }
        w.map(0);
        assert!(
            decode(&w.finish())
                .unwrap_err()
                .contains("nested more than")
        );
        let mut w = CborWriter::new();
        w.map(1);
        w.text("Other");
        for _ in 0..10_000 {
            w.array(1);
        }
        w.null();
        assert_eq!(decode(&w.finish()).unwrap(), json!({}));
    }
}
