//! [`DynValue`]: a JSON-like value that codecs read and write through a [`Schema`] exactly as
//! they do generated types.
//!
//! The conformance suites carry their own small models, so their inputs and outputs have no
//! Rust type. A `DynValue` stands in for one: structures ([`DynStruct`]), lists
//! ([`DynList`]) and maps ([`DynMap`]) know their schema, and so can grow the right kind of
//! child when a decoder asks for one: [`StructValue::member_mut`] on a structure creates the
//! member from the member's target schema ([`DynValue::default_for`]), as
//! [`ListValue::push_default`] and [`MapValue::entry_default`] do for elements and values.
//! Scalars stay [`DynValue::Null`] until a decoder [`Value::set`]s them.
//!
//! A bare `DynValue::Null` has no schema, so it cannot become an aggregate: start a decode from
//! [`DynValue::default_for`] (or [`DynStruct::new`]) with the output's schema.
//!
//! [`DynValue::from_json`] and [`DynValue::to_json`] follow the conventions of botocore's
//! protocol test data (`tests/fixtures/README.md`, "Value conventions"): timestamps are epoch
//! seconds, blobs are their raw (UTF-8) text, special floats are the strings `"NaN"`,
//! `"Infinity"` and `"-Infinity"`, documents are arbitrary JSON, `jsonvalue` members are the
//! JSON they hold (a `DynValue` keeps its text), and a union member the SDK does not know is
//! `{"SDK_UNKNOWN_MEMBER": {"name": <its name>}}`, as botocore reports it.
//!
//! Maps keep their insertion order (the order of the JSON object they were read from), so a
//! `DynMap` is serialized in that order, where generated `HashMap`s are visited by key.

use crate::datetime::TimestampFormat;
use crate::schema::{MemberFlags, Schema, ShapeType};
use crate::value::{ListValue, MapValue, Scalar, StructValue, Value, ValueError, ValueRef};
use crate::{DateTime, Document};
use bytes::Bytes;
use indexmap::IndexMap;
use std::fmt;

/// A value of any shape, for schemas built at run time.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum DynValue {
    /// No value: an unset scalar, or an absent entry of a sparse list or map.
    #[default]
    Null,
    Bool(bool),
    /// byte, short, integer and long values.
    Integer(i64),
    /// float and double values.
    Float(f64),
    /// strings and enums.
    String(String),
    Timestamp(DateTime),
    Blob(Bytes),
    Document(Document),
    List(DynList),
    Map(DynMap),
    /// A structure or a union.
    Struct(DynStruct),
}

/// A structure or union: one optional value per member of its schema, in schema order.
///
/// Equality compares schemas by identity and then the values.
#[derive(Clone)]
pub struct DynStruct {
    schema: &'static Schema,
    members: Vec<Option<DynValue>>,
    /// The name of a union member this SDK does not know, when the decoder met one.
    unknown: Option<String>,
}

/// A list and the list schema it belongs to.
#[derive(Clone)]
pub struct DynList {
    schema: &'static Schema,
    items: Vec<DynValue>,
}

/// A map and the map schema it belongs to, in insertion order.
#[derive(Clone)]
pub struct DynMap {
    schema: &'static Schema,
    entries: IndexMap<String, DynValue>,
}

impl DynValue {
    /// The empty value of `schema`: an empty structure, list or map for aggregates (so a decoder
    /// can fill it), [`DynValue::Null`] for scalars.
    pub fn default_for(schema: &'static Schema) -> DynValue {
        match schema.shape_type {
            ShapeType::Structure | ShapeType::Union => DynValue::Struct(DynStruct::new(schema)),
            ShapeType::List => DynValue::List(DynList::new(schema)),
            ShapeType::Map => DynValue::Map(DynMap::new(schema)),
            _ => DynValue::Null,
        }
    }

    /// The structure, if this is one.
    pub fn as_struct(&self) -> Option<&DynStruct> {
        match self {
            DynValue::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The structure, if this is one, to change.
    pub fn as_dyn_struct_mut(&mut self) -> Option<&mut DynStruct> {
        match self {
            DynValue::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// Reads `json` as a value of `schema`, following the test-data conventions of the module
    /// documentation. JSON `null` members and map values are treated as absent.
    ///
    /// # Errors
    ///
    /// A message naming the path to the first value that does not fit its shape, e.g.
    /// ``Nested.Count: expected an integer, found "x"``.
    pub fn from_json(
        json: &serde_json::Value,
        schema: &'static Schema,
    ) -> Result<DynValue, String> {
        let mut path = String::new();
        from_json_at(json, schema, &mut path)
    }

    /// This value as JSON, in the conventions of the module documentation: structures are
    /// objects of their set members by model name, timestamps epoch seconds, blobs their text
    /// (invalid UTF-8 replaced), special floats strings.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as Json;
        match self {
            DynValue::Null => Json::Null,
            DynValue::Bool(b) => Json::Bool(*b),
            DynValue::Integer(i) => Json::from(*i),
            DynValue::Float(f) => float_to_json(*f),
            DynValue::String(s) => Json::String(s.clone()),
            DynValue::Timestamp(t) => timestamp_to_json(*t),
            DynValue::Blob(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
            DynValue::Document(d) => Json::from(d.clone()),
            DynValue::List(l) => Json::Array(l.items.iter().map(DynValue::to_json).collect()),
            DynValue::Map(m) => Json::Object(
                m.entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
            DynValue::Struct(s) => {
                if let Some(name) = &s.unknown {
                    return serde_json::json!({"SDK_UNKNOWN_MEMBER": {"name": name}});
                }
                Json::Object(
                    s.schema
                        .members()
                        .iter()
                        .zip(&s.members)
                        .filter_map(|(m, v)| {
                            let value = v.as_ref()?;
                            let json = match value {
                                // A jsonvalue member holds JSON text: show the JSON.
                                DynValue::String(text) if m.has(MemberFlags::JSON_VALUE) => {
                                    serde_json::from_str(text).unwrap_or_else(|_| value.to_json())
                                }
                                _ => value.to_json(),
                            };
                            Some((m.name.to_string(), json))
                        })
                        .collect(),
                )
            }
        }
    }
}

impl DynStruct {
    /// A structure of `schema` with no member set.
    pub fn new(schema: &'static Schema) -> Self {
        DynStruct {
            schema,
            members: vec![None; schema.members().len()],
            unknown: None,
        }
    }

    /// The value of the member named `name` (model name), if set.
    pub fn get(&self, name: &str) -> Option<&DynValue> {
        let (index, _) = self.schema.member(name)?;
        self.members.as_slice().get(index)?.as_ref()
    }

    /// Sets the member named `name`; returns `false` (and changes nothing) when the schema has
    /// no such member. Setting a union member clears the others.
    pub fn set(&mut self, name: &str, value: DynValue) -> bool {
        let Some((index, _)) = self.schema.member(name) else {
            return false;
        };
        self.clear_other_variants(index);
        self.members[index] = Some(value);
        true
    }

    fn clear_other_variants(&mut self, index: usize) {
        if self.schema.shape_type == ShapeType::Union {
            self.unknown = None;
            for (i, member) in self.members.iter_mut().enumerate() {
                if i != index {
                    *member = None;
                }
            }
        }
    }
}

impl DynList {
    /// An empty list of `schema` (a list shape).
    pub fn new(schema: &'static Schema) -> Self {
        DynList {
            schema,
            items: Vec::new(),
        }
    }

    /// The elements.
    pub fn items(&self) -> &[DynValue] {
        &self.items
    }
}

impl DynMap {
    /// An empty map of `schema` (a map shape).
    pub fn new(schema: &'static Schema) -> Self {
        DynMap {
            schema,
            entries: IndexMap::new(),
        }
    }

    /// The entries, in insertion order.
    pub fn entries(&self) -> &IndexMap<String, DynValue> {
        &self.entries
    }
}

impl Value for DynValue {
    fn get(&self) -> ValueRef<'_> {
        match self {
            DynValue::Null => ValueRef::Null,
            DynValue::Bool(b) => ValueRef::Bool(*b),
            DynValue::Integer(i) => ValueRef::Integer(*i),
            DynValue::Float(f) => ValueRef::Float(*f),
            DynValue::String(s) => ValueRef::String(s),
            DynValue::Timestamp(t) => ValueRef::Timestamp(*t),
            DynValue::Blob(b) => ValueRef::Blob(b),
            DynValue::Document(d) => ValueRef::Document(d),
            DynValue::List(l) => ValueRef::List(l),
            DynValue::Map(m) => ValueRef::Map(m),
            DynValue::Struct(s) => ValueRef::Struct(s),
        }
    }

    fn set(&mut self, value: Scalar) -> Result<(), ValueError> {
        if matches!(
            self,
            DynValue::List(_) | DynValue::Map(_) | DynValue::Struct(_)
        ) {
            return Err(ValueError {
                expected: "an aggregate",
                found: "a scalar".to_string(),
            });
        }
        *self = match value {
            Scalar::Bool(b) => DynValue::Bool(b),
            Scalar::Integer(i) => DynValue::Integer(i),
            Scalar::Float(f) => DynValue::Float(f),
            Scalar::String(s) => DynValue::String(s),
            Scalar::Timestamp(t) => DynValue::Timestamp(t),
            Scalar::Blob(b) => DynValue::Blob(b),
            Scalar::Document(d) => DynValue::Document(d),
            // A body already in memory is a blob; a live stream has nowhere to go.
            Scalar::Stream(stream) => match stream.as_bytes() {
                Some(bytes) => DynValue::Blob(bytes.clone()),
                None => {
                    return Err(ValueError {
                        expected: "DynValue",
                        found: "a stream".to_string(),
                    });
                }
            },
        };
        Ok(())
    }

    fn as_struct_mut(&mut self) -> Option<&mut dyn StructValue> {
        match self {
            DynValue::Struct(s) => Some(s),
            _ => None,
        }
    }

    fn as_list_mut(&mut self) -> Option<&mut dyn ListValue> {
        match self {
            DynValue::List(l) => Some(l),
            _ => None,
        }
    }

    fn as_map_mut(&mut self) -> Option<&mut dyn MapValue> {
        match self {
            DynValue::Map(m) => Some(m),
            _ => None,
        }
    }
}

impl StructValue for DynStruct {
    fn schema(&self) -> &'static Schema {
        self.schema
    }

    fn member(&self, index: usize) -> Option<&dyn Value> {
        self.members
            .as_slice()
            .get(index)?
            .as_ref()
            .map(|v| v as &dyn Value)
    }

    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        let target = self.schema.members().get(index)?.target;
        self.clear_other_variants(index);
        let slot = self.members.as_mut_slice().get_mut(index)?;
        Some(slot.get_or_insert_with(|| DynValue::default_for(target)))
    }

    fn set_unknown(&mut self, name: &str) {
        if self.schema.shape_type == ShapeType::Union {
            self.members.iter_mut().for_each(|member| *member = None);
            self.unknown = Some(name.to_string());
        }
    }
}

impl ListValue for DynList {
    fn len(&self) -> usize {
        self.items.len()
    }

    fn item(&self, index: usize) -> Option<&dyn Value> {
        self.items.as_slice().get(index).map(|v| v as &dyn Value)
    }

    fn item_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        self.items
            .as_mut_slice()
            .get_mut(index)
            .map(|v| v as &mut dyn Value)
    }

    fn keep(&mut self, range: std::ops::Range<usize>) {
        crate::value::keep_range(&mut self.items, range);
    }

    fn push_default(&mut self) -> &mut dyn Value {
        let element = match self.schema.list_member() {
            Some(member) => DynValue::default_for(member.target),
            None => DynValue::Null,
        };
        self.items.push(element);
        let last = self.items.len() - 1;
        &mut self.items[last]
    }
}

impl MapValue for DynMap {
    fn len(&self) -> usize {
        self.entries.len()
    }

    /// Visits the entries in insertion order.
    fn for_each(&self, f: &mut dyn FnMut(&str, &dyn Value)) {
        for (k, v) in &self.entries {
            f(k, v);
        }
    }

    fn value(&self, key: &str) -> Option<&dyn Value> {
        self.entries.get(key).map(|v| v as &dyn Value)
    }

    /// The entries in insertion order.
    fn entries(&self) -> Vec<(&str, &dyn Value)> {
        self.entries
            .iter()
            .map(|(k, v)| (k.as_str(), v as &dyn Value))
            .collect()
    }

    fn entry_default(&mut self, key: &str) -> &mut dyn Value {
        let index = match self.entries.get_index_of(key) {
            Some(index) => index,
            None => {
                let value = match self.schema.map_entry() {
                    Some((_, value)) => DynValue::default_for(value.target),
                    None => DynValue::Null,
                };
                self.entries.insert_full(key.to_string(), value).0
            }
        };
        &mut self.entries[index]
    }
}

impl PartialEq for DynStruct {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.schema, other.schema)
            && self.members == other.members
            && self.unknown == other.unknown
    }
}

impl PartialEq for DynList {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.schema, other.schema) && self.items == other.items
    }
}

impl PartialEq for DynMap {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.schema, other.schema) && self.entries == other.entries
    }
}

// Schemas are cycles, so these name the schema instead of printing it.
impl fmt::Debug for DynStruct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct(self.schema.name);
        for (member, value) in self.schema.members().iter().zip(&self.members) {
            if let Some(value) = value {
                out.field(member.name, value);
            }
        }
        out.finish()
    }
}

impl fmt::Debug for DynList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.items).finish()
    }
}

impl fmt::Debug for DynMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(&self.entries).finish()
    }
}

fn from_json_at(
    json: &serde_json::Value,
    schema: &'static Schema,
    path: &mut String,
) -> Result<DynValue, String> {
    use serde_json::Value as Json;
    let mismatch = |expected: &str, path: &str| {
        let at = if path.is_empty() { "input" } else { path };
        Err(format!("{at}: expected {expected}, found {json}"))
    };
    Ok(match schema.shape_type {
        ShapeType::Structure | ShapeType::Union => {
            let Json::Object(fields) = json else {
                return mismatch("an object", path);
            };
            let mut value = DynStruct::new(schema);
            for (name, field) in fields {
                let Some((index, member)) = schema.member(name) else {
                    return Err(format!(
                        "{}: shape {} has no member `{name}`",
                        at(path),
                        schema.name
                    ));
                };
                if field.is_null() {
                    continue;
                }
                let len = push_path(path, name);
                value.members[index] = Some(match field {
                    // A jsonvalue member holds the JSON's text.
                    Json::String(_) => from_json_at(field, member.target, path)?,
                    _ if member.has(MemberFlags::JSON_VALUE) => DynValue::String(field.to_string()),
                    _ => from_json_at(field, member.target, path)?,
                });
                path.truncate(len);
            }
            DynValue::Struct(value)
        }
        ShapeType::List => {
            let Json::Array(items) = json else {
                return mismatch("an array", path);
            };
            let element = schema
                .list_member()
                .ok_or_else(|| format!("{}: list {} has no member", at(path), schema.name))?;
            let mut list = DynList::new(schema);
            for (i, item) in items.iter().enumerate() {
                let len = push_path(path, &i.to_string());
                list.items.push(match item {
                    Json::Null => DynValue::Null,
                    item => from_json_at(item, element.target, path)?,
                });
                path.truncate(len);
            }
            DynValue::List(list)
        }
        ShapeType::Map => {
            let Json::Object(entries) = json else {
                return mismatch("an object", path);
            };
            let (_, value_member) = schema
                .map_entry()
                .ok_or_else(|| format!("{}: map {} lacks key or value", at(path), schema.name))?;
            let mut map = DynMap::new(schema);
            for (key, item) in entries {
                let len = push_path(path, key);
                let value = match item {
                    Json::Null => DynValue::Null,
                    item => from_json_at(item, value_member.target, path)?,
                };
                map.entries.insert(key.clone(), value);
                path.truncate(len);
            }
            DynValue::Map(map)
        }
        ShapeType::String | ShapeType::Enum => match json {
            Json::String(s) => DynValue::String(s.clone()),
            _ => return mismatch("a string", path),
        },
        ShapeType::Boolean => match json {
            Json::Bool(b) => DynValue::Bool(*b),
            _ => return mismatch("a boolean", path),
        },
        ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::Long
        | ShapeType::BigInteger => match json.as_i64() {
            Some(i) => DynValue::Integer(i),
            None => return mismatch("an integer", path),
        },
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => match json {
            Json::Number(n) => match n.as_f64() {
                Some(f) => DynValue::Float(f),
                None => return mismatch("a number", path),
            },
            Json::String(s) => match special_float(s) {
                Some(f) => DynValue::Float(f),
                None => return mismatch("a number, \"NaN\", \"Infinity\" or \"-Infinity\"", path),
            },
            _ => return mismatch("a number", path),
        },
        ShapeType::Timestamp => match json {
            Json::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(secs), _) => DynValue::Timestamp(DateTime::from_secs(secs)),
                (None, Some(secs)) => DynValue::Timestamp(DateTime::from_secs_f64(secs)),
                (None, None) => return mismatch("epoch seconds", path),
            },
            _ => return mismatch("epoch seconds", path),
        },
        ShapeType::Blob => match json {
            Json::String(s) => DynValue::Blob(Bytes::from(s.clone().into_bytes())),
            _ => return mismatch("a string (the blob's text)", path),
        },
        ShapeType::Document => DynValue::Document(Document::from(json.clone())),
    })
}

fn at(path: &str) -> &str {
    if path.is_empty() { "input" } else { path }
}

/// Appends `.segment` (or `segment` at the start) and returns the length to truncate back to.
fn push_path(path: &mut String, segment: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(segment);
    len
}

fn special_float(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

fn float_to_json(f: f64) -> serde_json::Value {
    if f.is_nan() {
        "NaN".into()
    } else if f == f64::INFINITY {
        "Infinity".into()
    } else if f == f64::NEG_INFINITY {
        "-Infinity".into()
    } else {
        serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// Epoch seconds: an integer when whole, else the decimal the wire format writes, read back as
/// the nearest `f64` (so `946845296.123` compares equal to the same JSON literal).
fn timestamp_to_json(t: DateTime) -> serde_json::Value {
    if t.subsec_nanos() == 0 {
        return t.secs().into();
    }
    t.format(TimestampFormat::EpochSeconds)
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(serde_json::Value::Null, serde_json::Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SchemaSet;
    use serde_json::json;

    fn schemas() -> SchemaSet {
        let shapes = json!({
            "Input": {"type": "structure", "members": {
                "Name": {"shape": "String"},
                "When": {"shape": "Time"},
                "Ratio": {"shape": "Double"},
                "Data": {"shape": "Blob"},
                "Tags": {"shape": "TagMap"},
                "Items": {"shape": "ItemList"},
                "Choice": {"shape": "Choice"}
            }},
            "Item": {"type": "structure", "members": {"Id": {"shape": "Int"}}},
            "ItemList": {"type": "list", "member": {"shape": "Item"}},
            "TagMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
            "Choice": {"type": "structure", "union": true, "members": {
                "A": {"shape": "String"}, "B": {"shape": "Int"}
            }},
            "String": {"type": "string"},
            "Int": {"type": "integer"},
            "Double": {"type": "double"},
            "Blob": {"type": "blob"},
            "Time": {"type": "timestamp"}
        });
        SchemaSet::build_shapes(&serde_json::from_value(shapes).unwrap()).unwrap()
    }

    #[test]
    fn round_trips_the_test_data_conventions() {
        let set = schemas();
        let input = set.get("Input").unwrap();
        let json = json!({
            "Name": "x",
            "When": 946845296.123,
            "Ratio": "-Infinity",
            "Data": "value",
            "Tags": {"z": "1", "a": "2"},
            "Items": [{"Id": 1}, {"Id": 2}]
        });
        let value = DynValue::from_json(&json, input).unwrap();
        assert_eq!(value.to_json(), json);
        // Insertion order is kept.
        let DynValue::Struct(s) = &value else {
            panic!()
        };
        let DynValue::Map(tags) = s.get("Tags").unwrap() else {
            panic!()
        };
        assert_eq!(tags.entries().keys().collect::<Vec<_>>(), ["z", "a"]);
    }

    #[test]
    fn errors_name_the_path() {
        let set = schemas();
        let input = set.get("Input").unwrap();
        let err = DynValue::from_json(&json!({"Items": [{"Id": "x"}]}), input).unwrap_err();
        assert_eq!(err, "Items.0.Id: expected an integer, found \"x\"");
        let err = DynValue::from_json(&json!({"Nope": 1}), input).unwrap_err();
        assert_eq!(err, "input: shape Input has no member `Nope`");
    }

    #[test]
    fn decoders_grow_aggregates_from_their_schemas() {
        let set = schemas();
        let mut value = DynValue::default_for(set.get("Input").unwrap());
        let s = value.as_struct_mut().unwrap();
        // Items: a list of structures.
        let items = s.member_mut(5).unwrap().as_list_mut().unwrap();
        let item = items.push_default().as_struct_mut().unwrap();
        item.member_mut(0).unwrap().set(Scalar::Integer(7)).unwrap();
        // Tags: a map of strings.
        let tags = s.member_mut(4).unwrap().as_map_mut().unwrap();
        tags.entry_default("k")
            .set(Scalar::String("v".into()))
            .unwrap();
        // A union keeps one variant.
        let choice = s.member_mut(6).unwrap().as_struct_mut().unwrap();
        choice
            .member_mut(0)
            .unwrap()
            .set(Scalar::String("a".into()))
            .unwrap();
        choice
            .member_mut(1)
            .unwrap()
            .set(Scalar::Integer(2))
            .unwrap();
        assert!(choice.member(0).is_none());
        assert_eq!(
            value.to_json(),
            json!({"Tags": {"k": "v"}, "Items": [{"Id": 7}], "Choice": {"B": 2}})
        );
        // Scalars reject aggregates' writes and vice versa.
        let mut list = DynValue::default_for(set.get("ItemList").unwrap());
        assert!(list.set(Scalar::Integer(1)).is_err());
        assert!(DynValue::Null.as_struct_mut().is_none());
    }
}
