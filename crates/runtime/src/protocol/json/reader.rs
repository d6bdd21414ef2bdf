//! Schema-driven JSON decoding: a pull parser of the module's own (`parser.rs`) reads each
//! value where the schema expects one, and the reader writes it straight into any
//! [`StructValue`], with no intermediate tree. Keys and strings without escapes are
//! borrowed from the body; a value is copied once, into the output.
//!
//! Values of the wrong JSON type, numbers out of range for their member, blobs that are not
//! base64 and timestamps that do not parse are errors naming the member. Nesting deeper
//! than [`MAX_DEPTH`](super::MAX_DEPTH) levels is refused, so hostile input cannot exhaust
//! the stack.

use super::super::names::{self, NameTable};
use super::parser::{Error, Parser, Str};
use crate::document::{Document, Number};
use crate::protocol::text::{parse_float, parse_timestamp};
use crate::schema::{Member, Schema, ShapeFlags, ShapeType, TimestampFormat};
use crate::value::{ListValue, MapValue, Scalar, StructValue, Value};
use base64::Engine as _;
use bytes::Bytes;
use serde::de::{Error as _, Unexpected};
use std::collections::BTreeMap;

type Result<T, E = Error> = std::result::Result<T, E>;

/// Reads a JSON object into `output`'s body members. An empty body (or `null`) leaves the
/// output as it is.
pub fn read_struct(body: &[u8], output: &mut dyn StructValue) -> Result<(), String> {
    if body.trim_ascii().is_empty() {
        return Ok(());
    }
    let mut reader = Reader::new(body);
    let read = reader.root_struct(output);
    reader.finish(read)
}

/// Reads a JSON document into `value`, a value of `member`'s target (a payload member).
pub fn read_value(
    body: &[u8],
    member: &'static Member,
    value: &mut dyn Value,
) -> Result<(), String> {
    let mut reader = Reader::new(body);
    let read = reader.value(member, value);
    reader.finish(read)
}

/// Reads any JSON text as a [`Document`].
pub fn read_document(body: &[u8]) -> Result<Document, String> {
    let mut reader = Reader::new(body);
    let read = reader.document();
    reader.finish(read)
}

/// A document being read into values.
struct Reader<'a> {
    parser: Parser<'a>,
    /// The entry count of the map read last under each member. Maps under one member tend
    /// to be alike (the items of a DynamoDB page), so the next one reserves room for that
    /// many entries at once instead of growing, and hashing its keys again, as they come.
    /// A map reserves at most what the one before it held, so this never more than doubles
    /// the memory the maps of a document take.
    map_lens: Vec<(&'static Member, usize)>,
    /// The structure read last, and its members by wire name: most objects of a large
    /// document have the shape of the one before (DynamoDB's attribute values).
    names: Option<(&'static Schema, &'static NameTable)>,
}

impl<'a> Reader<'a> {
    fn new(body: &'a [u8]) -> Self {
        Reader {
            parser: Parser::new(body),
            map_lens: Vec::new(),
            names: None,
        }
    }

    /// What reading the document came to, once nothing but whitespace follows it.
    fn finish<T>(&mut self, read: Result<T>) -> Result<T, String> {
        read.and_then(|value| self.parser.end().map(|()| value))
            .map_err(|e| e.to_string())
    }

    fn map_len(&self, member: &'static Member) -> usize {
        self.map_lens
            .iter()
            .find(|(known, _)| std::ptr::eq(*known, member))
            .map_or(0, |&(_, len)| len)
    }

    fn set_map_len(&mut self, member: &'static Member, len: usize) {
        match self
            .map_lens
            .iter_mut()
            .find(|(known, _)| std::ptr::eq(*known, member))
        {
            Some((_, known)) => *known = len,
            None => self.map_lens.push((member, len)),
        }
    }

    /// The document's top-level object (or `null`), read into `value`.
    fn root_struct(&mut self, value: &mut dyn StructValue) -> Result<()> {
        let read = match self.parser.value_start()? {
            b'n' => {
                self.parser.eat();
                self.parser.ident(b"ull")
            }
            b'{' => {
                self.parser.open()?;
                let read = self.members(value);
                self.parser.close_object(read)
            }
            b'[' => {
                self.parser.open()?;
                let read = Err(not_an_object(Unexpected::Seq, value));
                self.parser.close_list(read)
            }
            b't' | b'f' | b'-' | b'0'..=b'9' | b'"' => {
                let scalar = self.scalar()?;
                Err(not_an_object(scalar.unexpected(), value))
            }
            _ => Err(self.parser.expected_value()),
        };
        read.map_err(|e| self.parser.fix_position(e))
    }

    /// A `true`, `false`, number or string, whose first byte `value_start` returned.
    fn scalar(&mut self) -> Result<Plain> {
        Ok(match self.parser.value_start()? {
            b't' => {
                self.parser.eat();
                self.parser.ident(b"rue")?;
                Plain::Bool(true)
            }
            b'f' => {
                self.parser.eat();
                self.parser.ident(b"alse")?;
                Plain::Bool(false)
            }
            b'"' => {
                self.parser.eat();
                Plain::String(self.parser.string()?.as_str().to_owned())
            }
            _ => Plain::Number(self.parser.number()?),
        })
    }

    /// Reads an object's entries into the members they name, once its `{` is consumed.
    fn members(&mut self, value: &mut dyn StructValue) -> Result<()> {
        let schema = value.schema();
        let table = match self.names {
            Some((known, table)) if std::ptr::eq(known, schema) => table,
            _ => {
                let table = names::index(schema).wire(schema);
                self.names = Some((schema, table));
                table
            }
        };
        let union = schema.shape_type == ShapeType::Union;
        let mut first = true;
        while let Some(key) = self.parser.next_key(&mut first)? {
            let key = Key::from(key);
            self.parser.colon()?;
            match table.find(key.as_str().as_bytes()) {
                Some(index) => {
                    let member = &schema.members()[index];
                    let target = MemberOf {
                        value: &mut *value,
                        name: schema.name,
                        index,
                    };
                    self.value(member, target)?;
                }
                // `__type` names the union's shape in some services' answers; any other
                // key is a member added after this SDK was generated, set unless `null`.
                None if union && key.as_str() != "__type" => {
                    if self.parser.whitespace() == Some(b'n') {
                        self.parser.eat();
                        self.parser.ident(b"ull")?;
                    } else {
                        self.parser.ignore_value()?;
                        value.set_unknown(key.as_str());
                    }
                }
                None => self.parser.ignore_value()?,
            }
        }
        Ok(())
    }

    /// One value of `member`'s target, written to `target`.
    fn value<'v>(&mut self, member: &'static Member, target: impl Target<'v>) -> Result<()> {
        let slot = Slot { target, member };
        let read = match self.parser.value_start()? {
            b'n' => {
                self.parser.eat();
                self.parser.ident(b"ull")?;
                slot.null()
            }
            b't' => {
                self.parser.eat();
                self.parser.ident(b"rue")?;
                slot.bool(true)
            }
            b'f' => {
                self.parser.eat();
                self.parser.ident(b"alse")?;
                slot.bool(false)
            }
            b'-' | b'0'..=b'9' => {
                let n = self.parser.number()?;
                slot.number(n)
            }
            b'"' => {
                self.parser.eat();
                let text = self.parser.string()?;
                slot.str(text.as_str())
            }
            b'[' => {
                self.parser.open()?;
                let read = self.seq(slot);
                self.parser.close_list(read)
            }
            b'{' => {
                self.parser.open()?;
                let read = self.map(slot);
                self.parser.close_object(read)
            }
            _ => Err(self.parser.expected_value()),
        };
        read.map_err(|e| self.parser.fix_position(e))
    }

    /// An array's elements, once its `[` is consumed.
    fn seq<'v>(&mut self, slot: Slot<impl Target<'v>>) -> Result<()> {
        let member = slot.member;
        match member.target.shape_type {
            ShapeType::List => {
                let element = member
                    .target
                    .list_member()
                    .ok_or_else(|| Error::custom(format!("{} has no element", member.name)))?;
                let list = slot
                    .target
                    .slot()?
                    .as_list_mut()
                    .ok_or_else(|| Error::custom(format!("{} is not a list", member.name)))?;
                let sparse = member.target.has(ShapeFlags::SPARSE);
                let mut first = true;
                while self.parser.has_next_element(&mut first)? {
                    let target = ElementOf {
                        list: &mut *list,
                        sparse,
                    };
                    self.value(element, target)?;
                }
                Ok(())
            }
            ShapeType::Document => {
                let document = self.document_array()?;
                slot.set(Scalar::Document(document))
            }
            _ => Err(slot.wrong("an array")),
        }
    }

    /// An object's entries, once its `{` is consumed.
    fn map<'v>(&mut self, slot: Slot<impl Target<'v>>) -> Result<()> {
        let member = slot.member;
        match member.target.shape_type {
            ShapeType::Structure | ShapeType::Union => {
                let value =
                    slot.target.slot()?.as_struct_mut().ok_or_else(|| {
                        Error::custom(format!("{} is not a structure", member.name))
                    })?;
                self.members(value)
            }
            ShapeType::Map => {
                let (_, value_member) = member
                    .target
                    .map_entry()
                    .ok_or_else(|| Error::custom(format!("{} has no entry", member.name)))?;
                let entries = slot
                    .target
                    .slot()?
                    .as_map_mut()
                    .ok_or_else(|| Error::custom(format!("{} is not a map", member.name)))?;
                let sparse = member.target.has(ShapeFlags::SPARSE);
                if entries.is_empty() {
                    entries.reserve(self.map_len(member));
                }
                let mut first = true;
                while let Some(key) = self.parser.next_key(&mut first)? {
                    let key = Key::from(key);
                    self.parser.colon()?;
                    let target = EntryOf {
                        map: &mut *entries,
                        key,
                        sparse,
                    };
                    self.value(value_member, target)?;
                }
                self.set_map_len(member, entries.len());
                Ok(())
            }
            ShapeType::Document => {
                let document = self.document_object()?;
                slot.set(Scalar::Document(document))
            }
            _ => Err(slot.wrong("an object")),
        }
    }

    /// Any JSON value as a [`Document`].
    fn document(&mut self) -> Result<Document> {
        let read = match self.parser.value_start()? {
            b'n' => {
                self.parser.eat();
                self.parser.ident(b"ull").map(|()| Document::Null)
            }
            b'[' => {
                self.parser.open()?;
                let read = self.document_array();
                self.parser.close_list(read)
            }
            b'{' => {
                self.parser.open()?;
                let read = self.document_object();
                self.parser.close_object(read)
            }
            b't' | b'f' | b'-' | b'0'..=b'9' | b'"' => Ok(match self.scalar()? {
                Plain::Bool(b) => Document::Bool(b),
                Plain::Number(n) => Document::Number(n),
                Plain::String(s) => Document::String(s),
            }),
            _ => Err(self.parser.expected_value()),
        };
        read.map_err(|e| self.parser.fix_position(e))
    }

    /// An array's elements as documents, once its `[` is consumed.
    fn document_array(&mut self) -> Result<Document> {
        let mut items = Vec::new();
        let mut first = true;
        while self.parser.has_next_element(&mut first)? {
            items.push(self.document()?);
        }
        Ok(Document::Array(items))
    }

    /// An object's entries as documents, once its `{` is consumed.
    fn document_object(&mut self) -> Result<Document> {
        let mut entries = BTreeMap::new();
        let mut first = true;
        while let Some(key) = self.parser.next_key(&mut first)? {
            let key = key.as_str().to_owned();
            self.parser.colon()?;
            let value = self.document()?;
            entries.insert(key, value);
        }
        Ok(Document::Object(entries))
    }
}

/// A JSON value that is neither an array, an object nor `null`.
enum Plain {
    Bool(bool),
    Number(Number),
    String(String),
}

impl Plain {
    fn unexpected(&self) -> Unexpected<'_> {
        match *self {
            Plain::Bool(b) => Unexpected::Bool(b),
            Plain::Number(Number::PosInt(n)) => Unexpected::Unsigned(n),
            Plain::Number(Number::NegInt(n)) => Unexpected::Signed(n),
            Plain::Number(Number::Float(n)) => Unexpected::Float(n),
            Plain::String(ref s) => Unexpected::Str(s),
        }
    }
}

/// The error for a document that is not an object where `value` is expected, worded as
/// serde_json words it.
fn not_an_object(found: Unexpected<'_>, value: &dyn StructValue) -> Error {
    let expected = format!("an object ({})", value.schema().name);
    Error::custom(serde_json::Error::invalid_type(found, &expected.as_str()))
}

/// An object key, borrowed from the body unless it holds escapes.
enum Key<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl Key<'_> {
    #[inline]
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'a> From<Str<'a, '_>> for Key<'a> {
    #[inline(always)]
    fn from(key: Str<'a, '_>) -> Self {
        match key {
            Str::Borrowed(s) => Key::Borrowed(s),
            Str::Copied(s) => Key::Owned(s.to_owned()),
        }
    }
}

/// Where a decoded value goes. The slot is taken only once a value that is not `null`
/// arrives, so that `null` leaves a structure's member unset and a dense list without the
/// element (a sparse one gets an empty entry).
///
/// A trait rather than an enum: each kind of place gets its own copy of the reading code,
/// which hands it over in registers instead of through memory.
trait Target<'v> {
    /// The value, inserted first (as a default) where it goes.
    fn slot(self) -> Result<&'v mut dyn Value>;

    /// A `null` arrived instead of a value.
    fn null(self);
}

/// A member of a structure, by index; the structure's name is for errors.
struct MemberOf<'v> {
    value: &'v mut dyn StructValue,
    name: &'static str,
    index: usize,
}

impl<'v> Target<'v> for MemberOf<'v> {
    #[inline]
    fn slot(self) -> Result<&'v mut dyn Value> {
        let MemberOf { value, name, index } = self;
        value
            .member_mut(index)
            .ok_or_else(|| Error::custom(format!("{name} has no member #{index}")))
    }

    fn null(self) {}
}

/// An element of a list.
struct ElementOf<'v> {
    list: &'v mut dyn ListValue,
    sparse: bool,
}

impl<'v> Target<'v> for ElementOf<'v> {
    #[inline]
    fn slot(self) -> Result<&'v mut dyn Value> {
        Ok(self.list.push_default())
    }

    fn null(self) {
        if self.sparse {
            self.list.push_default();
        }
    }
}

/// An entry of a map.
struct EntryOf<'v, 'a> {
    map: &'v mut dyn MapValue,
    key: Key<'a>,
    sparse: bool,
}

impl<'v> Target<'v> for EntryOf<'v, '_> {
    #[inline]
    fn slot(self) -> Result<&'v mut dyn Value> {
        Ok(self.map.entry_default(self.key.as_str()))
    }

    fn null(self) {
        if self.sparse {
            self.map.entry_default(self.key.as_str());
        }
    }
}

/// A whole document's value (a payload).
impl<'v> Target<'v> for &'v mut dyn Value {
    fn slot(self) -> Result<&'v mut dyn Value> {
        Ok(self)
    }

    fn null(self) {}
}

/// One value of `member`'s target, written to `target`.
struct Slot<T> {
    target: T,
    member: &'static Member,
}

impl<'v, T: Target<'v>> Slot<T> {
    #[inline]
    fn set(self, scalar: Scalar) -> Result<()> {
        let name = self.member.name;
        self.target
            .slot()?
            .set(scalar)
            .map_err(|e| Error::custom(format!("{name}: {e}")))
    }

    fn wrong(&self, found: &str) -> Error {
        Error::custom(format!(
            "{}: expected {}, found {found}",
            self.member.name,
            expected(self.member)
        ))
    }

    /// A `null`: kept as an empty entry of a sparse list or map, else nothing.
    fn null(self) -> Result<()> {
        if self.member.target.shape_type == ShapeType::Document {
            return self.set(Scalar::Document(Document::Null));
        }
        self.target.null();
        Ok(())
    }

    fn bool(self, v: bool) -> Result<()> {
        match self.member.target.shape_type {
            ShapeType::Boolean => self.set(Scalar::Bool(v)),
            ShapeType::Document => self.set(Scalar::Document(Document::Bool(v))),
            _ => Err(self.wrong("a boolean")),
        }
    }

    fn number(self, n: Number) -> Result<()> {
        match n {
            Number::PosInt(n) => self.unsigned(n),
            Number::NegInt(n) => self.integer(n),
            Number::Float(n) => self.float(n),
        }
    }

    fn integer(self, n: i64) -> Result<()> {
        match self.member.target.shape_type {
            kind @ (ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long) => {
                let n = kind
                    .check_integer(n)
                    .map_err(|e| Error::custom(format!("{}: {e}", self.member.name)))?;
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

    fn unsigned(self, v: u64) -> Result<()> {
        match self.member.target.shape_type {
            ShapeType::Float | ShapeType::Double => self.set(Scalar::Float(v as f64)),
            ShapeType::BigInteger | ShapeType::BigDecimal => {
                self.set(Scalar::String(v.to_string()))
            }
            ShapeType::Document => self.set(Scalar::Document(Document::Number(Number::PosInt(v)))),
            _ => match i64::try_from(v) {
                Ok(n) => self.integer(n),
                Err(_) => Err(Error::custom(format!(
                    "{}: {v} is out of range",
                    self.member.name
                ))),
            },
        }
    }

    fn float(self, v: f64) -> Result<()> {
        match self.member.target.shape_type {
            ShapeType::Float | ShapeType::Double => self.set(Scalar::Float(v)),
            ShapeType::BigDecimal => self.set(Scalar::String(format!("{v:?}"))),
            ShapeType::Timestamp => self.set(Scalar::Timestamp(crate::DateTime::from_secs_f64(v))),
            ShapeType::Document => self.set(Scalar::Document(Document::Number(Number::Float(v)))),
            ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long => Err(
                Error::custom(format!("{}: {v} is not an integer", self.member.name)),
            ),
            _ => Err(self.wrong("a number")),
        }
    }

    fn str(self, v: &str) -> Result<()> {
        let member = self.member;
        let target = member.target;
        let invalid = |what: &str| {
            Error::custom(format!(
                "{}: {} is not {what}",
                member.name,
                crate::protocol::text::quote(v)
            ))
        };
        let scalar = match target.shape_type {
            ShapeType::String | ShapeType::Enum | ShapeType::BigInteger | ShapeType::BigDecimal => {
                Scalar::String(v.to_string())
            }
            ShapeType::Blob => Scalar::Blob(decode_base64(v).ok_or_else(|| invalid("base64"))?),
            ShapeType::Float | ShapeType::Double => {
                Scalar::Float(parse_float(v).ok_or_else(|| invalid("a number"))?)
            }
            ShapeType::Timestamp => {
                let declared = member.timestamp_format_or(TimestampFormat::Iso8601);
                Scalar::Timestamp(
                    parse_timestamp(v, declared)
                        .map_err(|e| Error::custom(format!("{}: {e}", member.name)))?,
                )
            }
            ShapeType::Document => Scalar::Document(Document::String(v.to_string())),
            _ => return Err(self.wrong("a string")),
        };
        self.set(scalar)
    }
}

/// Standard base64 (padded, as JSON protocols send blobs), decoded into a buffer of exactly
/// its length: `Bytes` takes such a buffer over as it is, where a larger one would cost it
/// an allocation of its own.
fn decode_base64(text: &str) -> Option<Bytes> {
    let padding = text.bytes().rev().take_while(|&b| b == b'=').count();
    let mut bytes = vec![0; (text.len() / 4 * 3).checked_sub(padding)?];
    let written = base64::engine::general_purpose::STANDARD
        .decode_slice(text, &mut bytes)
        .ok()?;
    bytes.truncate(written);
    Some(Bytes::from(bytes))
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

#[cfg(all(test, feature = "model"))]
mod tests {
    use super::*;
    use crate::dynamic::DynValue;
    use crate::model::SchemaSet;
    use serde::de;
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

    /// What serde_json makes of `body` as any JSON value, as this module read documents
    /// before it had its own parser.
    fn serde_json_document(body: &[u8]) -> Result<Document, String> {
        serde_json::from_slice::<serde_json::Value>(body)
            .map(Document::from)
            .map_err(|e| e.to_string())
    }

    /// What serde_json makes of `body` where a structure is expected whose members `body`
    /// does not name, as this module skipped them before it had its own parser.
    fn serde_json_skipped(body: &[u8]) -> Result<(), String> {
        struct Skip;
        impl<'de> de::Visitor<'de> for Skip {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object (S)")
            }
            fn visit_unit<E: de::Error>(self) -> Result<(), E> {
                Ok(())
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                while map.next_key::<std::borrow::Cow<'_, str>>()?.is_some() {
                    map.next_value::<de::IgnoredAny>()?;
                }
                Ok(())
            }
        }
        let mut de = serde_json::Deserializer::from_slice(body);
        de::Deserializer::deserialize_any(&mut de, Skip)
            .and_then(|()| de.end())
            .map_err(|e| e.to_string())
    }

    /// Reads `body` as a document and, wrapped, as a member no schema names, and checks
    /// that this module accepts and refuses what serde_json does, with the same values and
    /// the same messages.
    fn assert_read_as_serde_json_reads(body: &[u8]) {
        let shown = String::from_utf8_lossy(body);
        assert_eq!(
            format!("{:?}", read_document(body)),
            format!("{:?}", serde_json_document(body)),
            "document {shown}"
        );
        let mut wrapped = br#"{"Other": "#.to_vec();
        wrapped.extend_from_slice(body);
        wrapped.push(b'}');
        assert_eq!(
            decode_bytes(&wrapped).map(|_| ()),
            serde_json_skipped(&wrapped),
            "skipped {shown}"
        );
    }

    fn decode_bytes(body: &[u8]) -> Result<serde_json::Value, String> {
        let mut value = DynValue::default_for(shapes().get("S").unwrap());
        read_struct(body, value.as_dyn_struct_mut().unwrap())?;
        Ok(value.to_json())
    }

    #[test]
    fn documents_read_as_serde_json_reads_them() {
        let deep = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let cases: &[&[u8]] = &[
            b"null",
            b"true",
            b"false",
            b"nul",
            b"tru",
            b"fals",
            b"nulll",
            b"x",
            b"",
            b"  ",
            b"0",
            b"-0",
            b"7",
            b"-7",
            b"01",
            b"-01",
            b"-",
            b"1.",
            b"1.}",
            b".5",
            b"1.5",
            b"-1.5e3",
            b"1e",
            b"1e+",
            b"1E-2",
            b"2.5E+3",
            b"1e400",
            b"-1e400",
            b"1e-400",
            b"1e99999999999999",
            b"0e99999999999999",
            b"1.7976931348623157e308",
            b"18446744073709551615",
            b"18446744073709551616",
            b"-9223372036854775808",
            b"-9223372036854775809",
            b"123456789012345678901234567890.5e-3",
            br#""""#,
            br#""a""#,
            br#""a"#,
            br#""\"\\\/\b\f\n\r\t""#,
            br#""\x""#,
            br#""\"#,
            br#""\u00e9\u20AC""#,
            br#""\uD83D\uDE00""#,
            br#""\uD83D""#,
            br#""\uD83Dx""#,
            br#""\uD83D\x""#,
            br#""\uD83D\u0041""#,
            br#""\uDE00""#,
            br#""\u12""#,
            br#""\u12G4""#,
            b"\"a\x01b\"",
            b"\"\xff\"",
            b"\"a\\n\xc3\"",
            "\"é\"".as_bytes(),
            b"[]",
            b"[1]",
            b"[1,]",
            b"[1 2]",
            b"[,1]",
            b"[",
            b"[1",
            b"[1,",
            b"]",
            b"[]]",
            b"{}",
            br#"{"a":1}"#,
            br#"{"a":1,}"#,
            br#"{"a" 1}"#,
            br#"{"a"}"#,
            b"{1:2}",
            br#"{"a":1 "b":2}"#,
            b"{",
            br#"{"a""#,
            br#"{"a":"#,
            br#"{"a":1"#,
            b"{,}",
            br#"{"a":1,"a":2}"#,
            b"{}x",
            b"[] ,",
            b"\n\n  [1,\n 2,\n x]",
            b"{\"a\":\n{\"b\":\n[nul]}}",
        ];
        for case in cases {
            assert_read_as_serde_json_reads(case);
        }
        for depth in [126, 127, 128, 1000] {
            assert_read_as_serde_json_reads(deep(depth).as_bytes());
        }
    }

    /// A pseudo-random sequence (xorshift), the same on every run.
    fn pseudo_random() -> impl FnMut(usize) -> usize {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        move |below| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        }
    }

    #[test]
    fn scrambled_documents_read_as_serde_json_reads_them() {
        let mut random = pseudo_random();
        // Tokens JSON is made of, and some it is not, joined at random.
        let pieces: &[&[u8]] = &[
            b"{",
            b"}",
            b"[",
            b"]",
            b",",
            b":",
            b"\"",
            b"\"k\"",
            b"\\",
            b"\\u",
            b"\\n",
            b"D83D",
            b"DE00",
            b"0",
            b"1",
            b"-",
            b".",
            b"e",
            b"+",
            b"9",
            b"null",
            b"tr",
            b"ue",
            b"f",
            b" ",
            b"\n",
            b"\x01",
            b"\xff",
            "é".as_bytes(),
            b"x",
        ];
        for _ in 0..20_000 {
            let body: Vec<u8> = (0..random(12))
                .flat_map(|_| pieces[random(pieces.len())].iter().copied())
                .collect();
            assert_read_as_serde_json_reads(&body);
        }
        // A document of every kind of value, with a few bytes changed.
        let valid = br#"{"a": [1, -2.5e3, "x\u00e9\n", {"b": null, "c": [true, false, {}]},
            "\uD83D\uDE00", 0.0, -0, 123456789012345678901], "d": {"e": "f"}, "g": 1e-5}"#;
        let alphabet = b"{}[],:\"\\u019-+.eEntrufalsDx \n\x01\xff";
        for _ in 0..20_000 {
            let mut body = valid.to_vec();
            for _ in 0..=random(3) {
                let at = random(body.len());
                let byte = alphabet[random(alphabet.len())];
                match random(3) {
                    0 => {
                        body.remove(at);
                    }
                    1 => body[at] = byte,
                    _ => body.insert(at, byte),
                }
            }
            assert_read_as_serde_json_reads(&body);
        }
    }

    #[test]
    fn blobs_decode_as_the_base64_engine_decodes_them() {
        use base64::Engine as _;
        let engine = &base64::engine::general_purpose::STANDARD;
        let mut cases: Vec<String> = (0..20u8)
            .map(|len| engine.encode((0..len).collect::<Vec<u8>>()))
            .collect();
        for broken in [
            "=", "==", "===", "====", "QQ", "QQ=", "QQ===", "Q===", "QUJD=", "!!!!",
        ] {
            cases.push(broken.into());
        }
        for case in &cases {
            assert_eq!(
                decode_base64(case),
                engine.decode(case).ok().map(Bytes::from),
                "{case}"
            );
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
