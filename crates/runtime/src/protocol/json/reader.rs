//! Schema-driven JSON decoding: serde_json's streaming parser drives a visitor that writes
//! straight into any [`StructValue`] through its schema, with no intermediate tree. Keys and
//! strings without escapes are borrowed from the body; a value is copied once, into the
//! output.
//!
//! Values of the wrong JSON type, numbers out of range for their member, blobs that are not
//! base64 and timestamps that do not parse are errors naming the member. serde_json refuses
//! nesting deeper than 128 levels, so hostile input cannot exhaust the stack.

use super::super::names;
use crate::document::{Document, Number};
use crate::protocol::text::{parse_float, parse_timestamp};
use crate::schema::{Member, ShapeFlags, ShapeType, TimestampFormat};
use crate::value::{ListValue, MapValue, Scalar, StructValue, Value};
use base64::Engine as _;
use bytes::Bytes;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// Reads a JSON object into `output`'s body members. An empty body (or `null`) leaves the
/// output as it is.
pub fn read_struct(body: &[u8], output: &mut dyn StructValue) -> Result<(), String> {
    if body.trim_ascii().is_empty() {
        return Ok(());
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    StructSeed(output)
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| e.to_string())
}

/// Reads a JSON document into `value`, a value of `member`'s target (a payload member).
pub fn read_value(
    body: &[u8],
    member: &'static Member,
    value: &mut dyn Value,
) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    Slot {
        target: Target::Value(value),
        member,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end())
    .map_err(|e| e.to_string())
}

/// Reads any JSON text as a [`Document`].
pub fn read_document(body: &[u8]) -> Result<Document, String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let document = DocumentSeed
        .deserialize(&mut de)
        .map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(document)
}

/// A structure read from a JSON object.
struct StructSeed<'v>(&'v mut dyn StructValue);

impl<'de> DeserializeSeed<'de> for StructSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(StructVisitor(self.0))
    }
}

struct StructVisitor<'v>(&'v mut dyn StructValue);

impl<'de> Visitor<'de> for StructVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", self.0.schema().name)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        read_members(self.0, map)
    }
}

/// Reads an object's entries into the members they name.
fn read_members<'de, A: MapAccess<'de>>(
    value: &mut dyn StructValue,
    mut map: A,
) -> Result<(), A::Error> {
    let schema = value.schema();
    let table = names::index(schema).wire(schema);
    let union = schema.shape_type == ShapeType::Union;
    while let Some(key) = map.next_key_seed(KeySeed)? {
        let Some(index) = table.find(key.as_str().as_bytes()) else {
            // `__type` names the union's shape in some services' answers; any other key is
            // a member added after this SDK was generated.
            if union && key.as_str() != "__type" {
                let unknown = map.next_value::<Option<IgnoredAny>>()?;
                if unknown.is_some() {
                    value.set_unknown(key.as_str());
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            continue;
        };
        let member = &schema.members()[index];
        map.next_value_seed(Slot {
            target: Target::Member(&mut *value, index),
            member,
        })?;
    }
    Ok(())
}

/// An object key, borrowed from the body unless it holds escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Key<'de>, D::Error> {
        de.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }
}

/// Where a decoded value goes. The slot is taken only once a value that is not `null`
/// arrives, so that `null` leaves a structure's member unset and a dense list without the
/// element (a sparse one gets an empty entry).
enum Target<'v, 'de> {
    Member(&'v mut dyn StructValue, usize),
    /// An element of a list; `true` when the list is sparse.
    Element(&'v mut dyn ListValue, bool),
    /// An entry of a map; `true` when the map is sparse.
    Entry(&'v mut dyn MapValue, Key<'de>, bool),
    Value(&'v mut dyn Value),
}

impl<'v> Target<'v, '_> {
    fn slot<E: de::Error>(self) -> Result<&'v mut dyn Value, E> {
        match self {
            Target::Member(value, index) => {
                let name = value.schema().name;
                value
                    .member_mut(index)
                    .ok_or_else(|| E::custom(format!("{name} has no member #{index}")))
            }
            Target::Element(list, _) => Ok(list.push_default()),
            Target::Entry(map, key, _) => Ok(map.entry_default(key.as_str())),
            Target::Value(value) => Ok(value),
        }
    }

    /// A `null`: kept as an empty entry of a sparse list or map, else nothing.
    fn null<E: de::Error>(self) -> Result<(), E> {
        match self {
            Target::Element(list, true) => {
                list.push_default();
            }
            Target::Entry(map, key, true) => {
                map.entry_default(key.as_str());
            }
            _ => {}
        }
        Ok(())
    }
}

/// One value of `member`'s target, written to `target`.
struct Slot<'v, 'de> {
    target: Target<'v, 'de>,
    member: &'static Member,
}

impl<'de> DeserializeSeed<'de> for Slot<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

impl Slot<'_, '_> {
    fn set<E: de::Error>(self, scalar: Scalar) -> Result<(), E> {
        let name = self.member.name;
        self.target
            .slot()?
            .set(scalar)
            .map_err(|e| E::custom(format!("{name}: {e}")))
    }

    fn wrong<E: de::Error>(&self, found: &str) -> E {
        E::custom(format!(
            "{}: expected {}, found {found}",
            self.member.name,
            expected(self.member)
        ))
    }

    fn integer<E: de::Error>(self, n: i64) -> Result<(), E> {
        match self.member.target.shape_type {
            kind @ (ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long) => {
                let n = kind
                    .check_integer(n)
                    .map_err(|e| E::custom(format!("{}: {e}", self.member.name)))?;
                self.set(Scalar::Integer(n))
            }
            ShapeType::Float | ShapeType::Double => self.set(Scalar::Float(n as f64)),
            ShapeType::BigInteger | ShapeType::BigDecimal => {
                self.set(Scalar::String(n.to_string()))
            }
            ShapeType::Timestamp => self.set(Scalar::Timestamp(crate::DateTime::from_secs(n))),
            ShapeType::Document => self.set(Scalar::Document(Document::Number(Number::from(n)))),
            _ => Err(self.wrong("a number")),
        }
    }
}

/// What a member's JSON looks like, for error messages.
fn expected(member: &Member) -> &'static str {
    match member.target.shape_type {
        ShapeType::Structure | ShapeType::Union | ShapeType::Map => "an object",
        ShapeType::List => "an array",
        ShapeType::String | ShapeType::Enum | ShapeType::Blob => "a string",
        ShapeType::Boolean => "a boolean",
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long => "an integer",
        ShapeType::BigInteger | ShapeType::BigDecimal => "a number",
        ShapeType::Float | ShapeType::Double => "a number",
        ShapeType::Timestamp => "a timestamp",
        ShapeType::Document => "a document",
    }
}

impl<'de> Visitor<'de> for Slot<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} for {}", expected(self.member), self.member.name)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        if self.member.target.shape_type == ShapeType::Document {
            return self.set(Scalar::Document(Document::Null));
        }
        self.target.null()
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        match self.member.target.shape_type {
            ShapeType::Boolean => self.set(Scalar::Bool(v)),
            ShapeType::Document => self.set(Scalar::Document(Document::Bool(v))),
            _ => Err(self.wrong("a boolean")),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.integer(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        match self.member.target.shape_type {
            ShapeType::Float | ShapeType::Double => self.set(Scalar::Float(v as f64)),
            ShapeType::BigInteger | ShapeType::BigDecimal => {
                self.set(Scalar::String(v.to_string()))
            }
            ShapeType::Document => self.set(Scalar::Document(Document::Number(Number::PosInt(v)))),
            _ => match i64::try_from(v) {
                Ok(n) => self.integer(n),
                Err(_) => Err(E::custom(format!(
                    "{}: {v} is out of range",
                    self.member.name
                ))),
            },
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        match self.member.target.shape_type {
            ShapeType::Float | ShapeType::Double => self.set(Scalar::Float(v)),
            ShapeType::BigDecimal => self.set(Scalar::String(format!("{v:?}"))),
            ShapeType::Timestamp => self.set(Scalar::Timestamp(crate::DateTime::from_secs_f64(v))),
            ShapeType::Document => self.set(Scalar::Document(Document::Number(Number::Float(v)))),
            ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long => Err(
                E::custom(format!("{}: {v} is not an integer", self.member.name)),
            ),
            _ => Err(self.wrong("a number")),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        self.visit_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        match self.member.target.shape_type {
            ShapeType::String | ShapeType::Enum => self.set(Scalar::String(v)),
            _ => self.visit_str(&v),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        let member = self.member;
        let target = member.target;
        let invalid = |what: &str| {
            E::custom(format!(
                "{}: {} is not {what}",
                member.name,
                crate::protocol::text::quote(v)
            ))
        };
        let scalar = match target.shape_type {
            ShapeType::String | ShapeType::Enum | ShapeType::BigInteger | ShapeType::BigDecimal => {
                Scalar::String(v.to_string())
            }
            ShapeType::Blob => Scalar::Blob(Bytes::from(
                base64::engine::general_purpose::STANDARD
                    .decode(v)
                    .map_err(|_| invalid("base64"))?,
            )),
            ShapeType::Float | ShapeType::Double => {
                Scalar::Float(parse_float(v).ok_or_else(|| invalid("a number"))?)
            }
            ShapeType::Timestamp => {
                let declared = member.timestamp_format_or(TimestampFormat::Iso8601);
                Scalar::Timestamp(
                    parse_timestamp(v, declared)
                        .map_err(|e| E::custom(format!("{}: {e}", member.name)))?,
                )
            }
            ShapeType::Document => Scalar::Document(Document::String(v.to_string())),
            _ => return Err(self.wrong("a string")),
        };
        self.set(scalar)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let member = self.member;
        match member.target.shape_type {
            ShapeType::List => {
                let element = member
                    .target
                    .list_member()
                    .ok_or_else(|| de::Error::custom(format!("{} has no element", member.name)))?;
                let list = self
                    .target
                    .slot::<A::Error>()?
                    .as_list_mut()
                    .ok_or_else(|| de::Error::custom(format!("{} is not a list", member.name)))?;
                let sparse = member.target.has(ShapeFlags::SPARSE);
                while seq
                    .next_element_seed(Slot {
                        target: Target::Element(&mut *list, sparse),
                        member: element,
                    })?
                    .is_some()
                {}
                Ok(())
            }
            ShapeType::Document => {
                let document = DocumentVisitor.visit_seq(seq)?;
                self.set(Scalar::Document(document))
            }
            _ => Err(self.wrong("an array")),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let member = self.member;
        match member.target.shape_type {
            ShapeType::Structure | ShapeType::Union => {
                let value = self
                    .target
                    .slot::<A::Error>()?
                    .as_struct_mut()
                    .ok_or_else(|| {
                        de::Error::custom(format!("{} is not a structure", member.name))
                    })?;
                read_members(value, map)
            }
            ShapeType::Map => {
                let (_, value_member) = member
                    .target
                    .map_entry()
                    .ok_or_else(|| de::Error::custom(format!("{} has no entry", member.name)))?;
                let entries = self
                    .target
                    .slot::<A::Error>()?
                    .as_map_mut()
                    .ok_or_else(|| de::Error::custom(format!("{} is not a map", member.name)))?;
                let sparse = member.target.has(ShapeFlags::SPARSE);
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    map.next_value_seed(Slot {
                        target: Target::Entry(&mut *entries, key, sparse),
                        member: value_member,
                    })?;
                }
                Ok(())
            }
            ShapeType::Document => {
                let document = DocumentVisitor.visit_map(map)?;
                self.set(Scalar::Document(document))
            }
            _ => Err(self.wrong("an object")),
        }
    }
}

/// Any JSON value as a [`Document`].
struct DocumentSeed;

impl<'de> DeserializeSeed<'de> for DocumentSeed {
    type Value = Document;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Document, D::Error> {
        de.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a document")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Document, E> {
        Ok(Document::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Document, E> {
        Ok(Document::Number(Number::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Document, E> {
        Ok(Document::Number(Number::PosInt(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Document, E> {
        Ok(Document::Number(Number::Float(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Document, E> {
        Ok(Document::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Document, E> {
        Ok(Document::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(DocumentSeed)? {
            items.push(item);
        }
        Ok(Document::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut entries = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(DocumentSeed)?;
            entries.insert(key, value);
        }
        Ok(Document::Object(entries))
    }
}

#[cfg(all(test, feature = "model"))]
mod tests {
    use super::*;
    use crate::dynamic::DynValue;
    use crate::model::SchemaSet;
    use serde_json::json;

    fn shapes() -> &'static SchemaSet {
        static SET: std::sync::OnceLock<SchemaSet> = std::sync::OnceLock::new();
        SET.get_or_init(|| {
            let shapes = json!({
                "S": {"type": "structure", "members": {
                    "Int": {"shape": "Int"}, "Byte": {"shape": "Byte"}, "Str": {"shape": "Str"},
                    "When": {"shape": "Time"}, "Data": {"shape": "Blob"},
                    "Ratio": {"shape": "Double"}, "Renamed": {"shape": "Str", "locationName": "r"},
                    "Sparse": {"shape": "Sparse"}, "Dense": {"shape": "Dense"},
                    "Choice": {"shape": "U"}, "Doc": {"shape": "Doc"}, "Next": {"shape": "S"}
                }},
                "U": {"type": "structure", "union": true, "members": {
                    "A": {"shape": "Str"}, "B": {"shape": "Int"}
                }},
                "Sparse": {"type": "list", "member": {"shape": "Str"}, "sparse": true},
                "Dense": {"type": "list", "member": {"shape": "Str"}},
                "Int": {"type": "integer"}, "Byte": {"type": "byte"}, "Str": {"type": "string"},
                "Time": {"type": "timestamp"}, "Blob": {"type": "blob"},
                "Double": {"type": "double"}, "Doc": {"type": "structure", "members": {},
                    "document": true}
            });
            SchemaSet::build_shapes(&serde_json::from_value(shapes).unwrap()).unwrap()
        })
    }

    fn decode(body: &str) -> Result<serde_json::Value, String> {
        let mut value = DynValue::default_for(shapes().get("S").unwrap());
        read_struct(body.as_bytes(), value.as_dyn_struct_mut().unwrap())?;
        Ok(value.to_json())
    }

    #[test]
    fn reads_members_by_wire_name_and_skips_nulls_and_unknown_keys() {
        let body = r#"{"Int": 7, "r": "x\u00e9", "When": 1.5, "Data": "dmFsdWU=",
            "Ratio": "NaN", "Sparse": ["a", null], "Dense": ["a", null, "b"],
            "Str": null, "Other": {"deep": [1, 2]}, "Choice": {"__type": "U", "B": 3},
            "Doc": {"k": [true, null, 1.5]}, "Next": {"Int": -1}}"#;
        assert_eq!(
            decode(body).unwrap(),
            json!({"Int": 7, "Renamed": "xé", "When": 1.5, "Data": "value", "Ratio": "NaN",
                   "Sparse": ["a", null], "Dense": ["a", "b"], "Choice": {"B": 3},
                   "Doc": {"k": [true, null, 1.5]}, "Next": {"Int": -1}})
        );
    }

    #[test]
    fn an_unknown_union_key_is_the_unknown_variant() {
        let mut value = DynValue::default_for(shapes().get("U").unwrap());
        read_struct(br#"{"C": 1}"#, value.as_dyn_struct_mut().unwrap()).unwrap();
        assert_eq!(
            value.to_json(),
            json!({"SDK_UNKNOWN_MEMBER": {"name": "C"}})
        );
    }

    #[test]
    fn malformed_json_and_wrong_types_are_errors_naming_what_is_wrong() {
        for (body, expected) in [
            (r#"{"Int": 7"#, "EOF"),
            (r#"{"Int": 7} x"#, "trailing"),
            (r#"<Error/>"#, "expected value"),
            (r#"{"Int": "7"}"#, "Int"),
            (r#"{"Int": 3000000000}"#, "Int"),
            (r#"{"Byte": 300}"#, "Byte"),
            (r#"{"Int": 1.5}"#, "not an integer"),
            (r#"{"Data": "!!"}"#, "base64"),
            (r#"{"When": "yesterday"}"#, "When"),
            (r#"{"Dense": {}}"#, "Dense"),
            (r#"[1]"#, "an object"),
        ] {
            let error = decode(body).expect_err(body);
            assert!(error.contains(expected), "{body}: {error}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let depth = 10_000;
        let document = format!("{{\"Doc\": {}{}}}", "[".repeat(depth), "]".repeat(depth));
        assert!(decode(&document).unwrap_err().contains("recursion limit"));
        let recursive = format!("{}{}", r#"{"Next": "#.repeat(depth), "}".repeat(depth));
        assert!(decode(&recursive).unwrap_err().contains("recursion limit"));
        // A value no member names is skipped without recursing, however deep.
        let unknown = format!("{{\"Other\": {}{}}}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(decode(&unknown).unwrap(), json!({}));
    }
}
