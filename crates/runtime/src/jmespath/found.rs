//! [`Found`], a JMESPath value: borrowed typed values where possible, owned where computed.
//!
//! Typed values are viewed one level at a time ([`Typed`]), so an expression reads only
//! what it selects. Equality, [`Found::to_json`], [`Found::eq_json`] and
//! [`Found::from_json`] walk values of any depth with explicit stacks, never recursion.

use crate::Document;
use crate::datetime::{DateTime, TimestampFormat};
use crate::value::{ListValue, MapValue, StructValue, Value, ValueRef};
use base64::Engine as _;
use serde_json::Value as Json;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

/// A JMESPath value: what an expression selects or computes.
///
/// Selections from a typed value stay borrowed: [`Found::Value`] is a member, element or
/// map value not yet looked into (a structure, list, map or scalar), read through its
/// schema when an expression or a conversion needs it. Computed values (projections,
/// multi-selects, function results, literals) are owned.
///
/// How typed values read as JMESPath values:
///
/// | typed value | JMESPath |
/// |---|---|
/// | structure | object of its **set** members, keyed by model member name (an unset `Option` member reads as null) |
/// | union | object of the one member that is set (a member this SDK does not know: an empty object) |
/// | map | object (keys in the order [`MapValue::entries`] gives: by key for generated maps) |
/// | list | array (an absent entry of a sparse list is null) |
/// | string, enum | string |
/// | byte, short, integer, long / float, double | number |
/// | boolean | boolean |
/// | timestamp | string: ISO 8601 as Python's `datetime.isoformat()` writes botocore's UTC datetimes, `2019-12-16T23:48:18.123000+00:00` (microseconds only when not zero); two timestamps compare as instants |
/// | blob | string: its base64 (as botocore's pagination `TokenEncoder` writes bytes) |
/// | document | its JSON value |
/// | streaming body | null |
#[derive(Clone)]
pub enum Found<'a> {
    /// `null`: nothing was selected.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer (Python's `int`).
    Integer(i64),
    /// A floating-point number (Python's `float`).
    Float(f64),
    /// A string.
    String(Cow<'a, str>),
    /// A typed value (structure, union, list, map or scalar), viewed lazily.
    Value(&'a dyn Value),
    /// A structure or union seen through its accessors: the root of
    /// [`Expression::search_struct`](super::Expression::search_struct).
    Struct(&'a dyn StructValue),
    /// An array.
    List(Vec<Found<'a>>),
    /// An object; keys are unique, in insertion order.
    Object(Vec<(Cow<'a, str>, Found<'a>)>),
}

/// A number, as JMESPath functions compute with it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    pub(super) fn to_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    pub(super) fn found(self) -> Found<'static> {
        match self {
            Num::Int(i) => Found::Integer(i),
            Num::Float(f) => Found::Float(f),
        }
    }

    /// Numeric equality, exact between integers and floats (as Python's `==`).
    pub(super) fn equals(self, other: Num) -> bool {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => a == b,
            (Num::Float(a), Num::Float(b)) => a == b,
            (Num::Int(i), Num::Float(f)) | (Num::Float(f), Num::Int(i)) => {
                // 2^63 is exact as an f64; a whole f64 in range converts exactly.
                const LIMIT: f64 = 9_223_372_036_854_775_808.0;
                f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f) && f as i64 == i
            }
        }
    }

    /// Numeric order; `None` when a NaN is involved.
    pub(super) fn compare(self, other: Num) -> Option<Ordering> {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            _ if self.equals(other) => Some(Ordering::Equal),
            _ => self.to_f64().partial_cmp(&other.to_f64()),
        }
    }
}

/// A typed value, one level deep.
pub(super) enum Typed<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    Time(DateTime),
    Blob(&'a [u8]),
    Struct(&'a dyn StructValue),
    List(&'a dyn ListValue),
    Map(&'a dyn MapValue),
    DocList(&'a [Document]),
    DocObject(&'a BTreeMap<String, Document>),
}

impl<'a> Typed<'a> {
    pub(super) fn of(value: &'a dyn Value) -> Typed<'a> {
        match value.get() {
            ValueRef::Null | ValueRef::Stream(_) => Typed::Null,
            ValueRef::Bool(b) => Typed::Bool(b),
            ValueRef::Integer(i) => Typed::Int(i),
            ValueRef::Float(f) => Typed::Float(f),
            ValueRef::String(s) => Typed::Str(s),
            ValueRef::Timestamp(t) => Typed::Time(t),
            ValueRef::Blob(b) => Typed::Blob(b),
            ValueRef::Document(d) => Typed::document(d),
            ValueRef::Struct(s) => Typed::Struct(s),
            ValueRef::List(l) => Typed::List(l),
            ValueRef::Map(m) => Typed::Map(m),
        }
    }

    fn document(doc: &'a Document) -> Typed<'a> {
        use crate::document::Number;
        match doc {
            Document::Null => Typed::Null,
            Document::Bool(b) => Typed::Bool(*b),
            Document::Number(Number::PosInt(n)) => {
                i64::try_from(*n).map_or(Typed::Float(*n as f64), Typed::Int)
            }
            Document::Number(Number::NegInt(n)) => Typed::Int(*n),
            Document::Number(Number::Float(f)) => Typed::Float(*f),
            Document::String(s) => Typed::Str(s),
            Document::Array(items) => Typed::DocList(items),
            Document::Object(entries) => Typed::DocObject(entries),
        }
    }
}

/// A [`Found`], one level deep, borrowed for `'s`.
pub(super) enum Shape<'s, 'a> {
    Typed(Typed<'a>),
    Str(&'s str),
    List(&'s [Found<'a>]),
    Object(&'s [(Cow<'a, str>, Found<'a>)]),
}

/// A value with no parts.
pub(super) enum Leaf<'r> {
    Null,
    Bool(bool),
    Num(Num),
    Str(Cow<'r, str>),
    Time(DateTime),
}

/// The entries of an object, keys and values borrowed where the object is.
pub(super) type Entries<'r, 'a> = Vec<(Cow<'r, str>, Cow<'r, Found<'a>>)>;

/// A value with its parts taken out.
pub(super) enum Expanded<'r, 'a> {
    Leaf(Leaf<'r>),
    Array(Vec<Cow<'r, Found<'a>>>),
    Object(Entries<'r, 'a>),
}

impl<'a> Found<'a> {
    /// `value` as a JMESPath value, owned (`Found::Value` never appears in the result).
    pub fn from_json(value: &Json) -> Found<'static> {
        enum Frame<'j> {
            Array(Vec<Found<'static>>, std::slice::Iter<'j, Json>),
            Object(
                Vec<(Cow<'static, str>, Found<'static>)>,
                serde_json::map::Iter<'j>,
                String,
            ),
        }
        let mut stack: Vec<Frame<'_>> = Vec::new();
        let mut next = Some(value);
        loop {
            let mut done = None;
            if let Some(json) = next.take() {
                done = match json {
                    Json::Null => Some(Found::Null),
                    Json::Bool(b) => Some(Found::Bool(*b)),
                    Json::Number(n) => Some(json_number(n).found()),
                    Json::String(s) => Some(Found::String(Cow::Owned(s.clone()))),
                    Json::Array(items) => {
                        stack.push(Frame::Array(Vec::with_capacity(items.len()), items.iter()));
                        None
                    }
                    Json::Object(entries) => {
                        let out = Vec::with_capacity(entries.len());
                        stack.push(Frame::Object(out, entries.iter(), String::new()));
                        None
                    }
                };
            }
            loop {
                let Some(frame) = stack.last_mut() else {
                    return done.unwrap_or(Found::Null);
                };
                match frame {
                    Frame::Array(out, rest) => {
                        out.extend(done.take());
                        if let Some(item) = rest.next() {
                            next = Some(item);
                            break;
                        }
                    }
                    Frame::Object(out, rest, key) => {
                        if let Some(value) = done.take() {
                            out.push((Cow::Owned(std::mem::take(key)), value));
                        }
                        if let Some((k, v)) = rest.next() {
                            key.clone_from(k);
                            next = Some(v);
                            break;
                        }
                    }
                }
                done = Some(match stack.pop() {
                    Some(Frame::Array(out, _)) => Found::List(out),
                    Some(Frame::Object(out, _, _)) => Found::Object(out),
                    None => Found::Null,
                });
            }
        }
    }

    /// This value as JSON: what botocore's Python value would serialize to. Typed values
    /// convert as the table of [`Found`] says; NaN and infinite floats become `null`.
    pub fn to_json(&self) -> Json {
        let mut sink = JsonSink::default();
        walk(Cow::Borrowed(self), &mut sink);
        sink.result.unwrap_or(Json::Null)
    }

    /// Whether this value equals `expected` under Python's `==`, as botocore compares a
    /// waiter acceptor's `expected` with what its path selects: `1 == 1.0`, `True == 1`,
    /// strings, `null`, arrays in order and objects by key, at any depth. A timestamp
    /// equals the string of its ISO 8601 form.
    pub fn eq_json(&self, expected: &Json) -> bool {
        let mut stack = vec![(Cow::Borrowed(self), expected)];
        while let Some((found, json)) = stack.pop() {
            match (expand(found), json) {
                (Expanded::Leaf(leaf), json) => {
                    if !python_leaf_eq(&leaf, json) {
                        return false;
                    }
                }
                (Expanded::Array(items), Json::Array(expected)) => {
                    if items.len() != expected.len() {
                        return false;
                    }
                    stack.extend(items.into_iter().zip(expected));
                }
                (Expanded::Object(entries), Json::Object(expected)) => {
                    if entries.len() != expected.len() {
                        return false;
                    }
                    for (key, value) in entries {
                        match expected.get(key.as_ref()) {
                            Some(json) => stack.push((value, json)),
                            None => return false,
                        }
                    }
                }
                _ => return false,
            }
        }
        true
    }

    /// JMESPath truthiness: false for null, `false`, `""`, `[]` and `{}` (a structure with
    /// no member set), true for everything else, `0` included.
    pub fn is_truthy(&self) -> bool {
        match self.shape() {
            Shape::Str(s) => !s.is_empty(),
            Shape::List(items) => !items.is_empty(),
            Shape::Object(entries) => !entries.is_empty(),
            Shape::Typed(typed) => match typed {
                Typed::Null => false,
                Typed::Bool(b) => b,
                Typed::Int(_) | Typed::Float(_) | Typed::Time(_) => true,
                Typed::Str(s) => !s.is_empty(),
                Typed::Blob(b) => !b.is_empty(),
                Typed::Struct(s) => (0..s.schema().members().len()).any(|i| s.member(i).is_some()),
                Typed::List(l) => !l.is_empty(),
                Typed::Map(m) => !m.is_empty(),
                Typed::DocList(items) => !items.is_empty(),
                Typed::DocObject(entries) => !entries.is_empty(),
            },
        }
    }

    /// Whether this is JMESPath's null (an absent entry of a sparse list, a null document
    /// and a streaming body included).
    pub fn is_null(&self) -> bool {
        matches!(self.shape(), Shape::Typed(Typed::Null))
    }

    /// The elements of an array (typed list elements as [`Found::Value`]); `None` for
    /// anything else. Computed elements are cloned; see [`Found::into_list`].
    pub fn as_list(&self) -> Option<Vec<Found<'a>>> {
        into_elements(Cow::Borrowed(self))
            .map(|items| items.into_iter().map(Cow::into_owned).collect())
    }

    /// The elements of an array, without copying; `None` for anything else.
    pub fn into_list(self) -> Option<Vec<Found<'a>>> {
        into_elements(Cow::Owned(self))
            .map(|items| items.into_iter().map(Cow::into_owned).collect())
    }

    /// The text of a string: strings and enums as they are, timestamps and blobs as the
    /// table of [`Found`] says. `None` for anything else.
    pub fn as_str(&self) -> Option<Cow<'_, str>> {
        match self.shape() {
            Shape::Str(s) => Some(Cow::Borrowed(s)),
            Shape::Typed(Typed::Str(s)) => Some(Cow::Borrowed(s)),
            Shape::Typed(Typed::Time(t)) => Some(Cow::Owned(isoformat(t))),
            Shape::Typed(Typed::Blob(b)) => Some(Cow::Owned(base64(b))),
            _ => None,
        }
    }

    /// The typed value this is, when it was selected from one unchanged.
    pub fn as_value(&self) -> Option<&'a dyn Value> {
        match self {
            Found::Value(v) => Some(*v),
            _ => None,
        }
    }

    /// The JMESPath type: `null`, `boolean`, `number`, `string`, `array` or `object`.
    pub fn type_name(&self) -> &'static str {
        match self.shape() {
            Shape::Str(_) => "string",
            Shape::List(_) => "array",
            Shape::Object(_) => "object",
            Shape::Typed(typed) => match typed {
                Typed::Null => "null",
                Typed::Bool(_) => "boolean",
                Typed::Int(_) | Typed::Float(_) => "number",
                Typed::Str(_) | Typed::Time(_) | Typed::Blob(_) => "string",
                Typed::List(_) | Typed::DocList(_) => "array",
                Typed::Struct(_) | Typed::Map(_) | Typed::DocObject(_) => "object",
            },
        }
    }

    /// This value, one level deep.
    pub(super) fn shape(&self) -> Shape<'_, 'a> {
        match self {
            Found::Null => Shape::Typed(Typed::Null),
            Found::Bool(b) => Shape::Typed(Typed::Bool(*b)),
            Found::Integer(i) => Shape::Typed(Typed::Int(*i)),
            Found::Float(f) => Shape::Typed(Typed::Float(*f)),
            Found::String(s) => Shape::Str(s),
            Found::Value(v) => Shape::Typed(Typed::of(*v)),
            Found::Struct(s) => Shape::Typed(Typed::Struct(*s)),
            Found::List(items) => Shape::List(items),
            Found::Object(entries) => Shape::Object(entries),
        }
    }

    /// The number this is, if it is one.
    pub(super) fn number(&self) -> Option<Num> {
        match self.shape() {
            Shape::Typed(Typed::Int(i)) => Some(Num::Int(i)),
            Shape::Typed(Typed::Float(f)) => Some(Num::Float(f)),
            _ => None,
        }
    }

    /// The timestamp this is, if it is one.
    pub(super) fn timestamp(&self) -> Option<DateTime> {
        match self.shape() {
            Shape::Typed(Typed::Time(t)) => Some(t),
            _ => None,
        }
    }

    /// The length of a string (in characters), array or object.
    pub(super) fn length(&self) -> Option<usize> {
        Some(match self.shape() {
            Shape::List(items) => items.len(),
            Shape::Object(entries) => entries.len(),
            Shape::Typed(Typed::List(l)) => l.len(),
            Shape::Typed(Typed::DocList(items)) => items.len(),
            Shape::Typed(Typed::Map(m)) => m.len(),
            Shape::Typed(Typed::DocObject(entries)) => entries.len(),
            Shape::Typed(Typed::Struct(s)) => (0..s.schema().members().len())
                .filter(|i| s.member(*i).is_some())
                .count(),
            _ => self.as_str()?.chars().count(),
        })
    }

    /// The member `name` of a structure, union, map or document object; null otherwise.
    fn typed_field(&self, name: &str) -> Found<'a> {
        let value = match self.shape() {
            Shape::Typed(Typed::Struct(s)) => s
                .schema()
                .member(name)
                .and_then(|(index, _)| s.member(index)),
            Shape::Typed(Typed::Map(m)) => m.value(name),
            Shape::Typed(Typed::DocObject(entries)) => entries.get(name).map(|d| d as &dyn Value),
            _ => None,
        };
        value.map_or(Found::Null, Found::Value)
    }
}

impl<'a> PartialEq for Found<'a> {
    /// JMESPath equality (`==`): same type and value, arrays in order, objects by key, at
    /// any depth; numbers compare by value (`1 == 1.0`), booleans never equal numbers.
    fn eq(&self, other: &Found<'a>) -> bool {
        equal(Cow::Borrowed(self), Cow::Borrowed(other))
    }
}

impl fmt::Debug for Found<'_> {
    /// Typed values are shown by kind only (`Value(struct Bucket)`), never by content, so
    /// sensitive members stay out of logs; use [`Found::to_json`] to see them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Null => f.write_str("Null"),
            Found::Bool(b) => f.debug_tuple("Bool").field(b).finish(),
            Found::Integer(i) => f.debug_tuple("Integer").field(i).finish(),
            Found::Float(x) => f.debug_tuple("Float").field(x).finish(),
            Found::String(s) => f.debug_tuple("String").field(s).finish(),
            Found::Value(v) => write!(f, "Value({})", describe(*v)),
            Found::Struct(s) => write!(f, "Struct({})", s.schema().name),
            Found::List(items) => f.debug_tuple("List").field(items).finish(),
            Found::Object(entries) => f
                .debug_map()
                .entries(entries.iter().map(|(k, v)| (k, v)))
                .finish(),
        }
    }
}

/// What kind of typed value `value` is, without its content.
fn describe(value: &dyn Value) -> String {
    match value.get() {
        ValueRef::Null => "null".to_owned(),
        ValueRef::Bool(_) => "boolean".to_owned(),
        ValueRef::Integer(_) => "integer".to_owned(),
        ValueRef::Float(_) => "float".to_owned(),
        ValueRef::String(_) => "string".to_owned(),
        ValueRef::Timestamp(_) => "timestamp".to_owned(),
        ValueRef::Blob(_) => "blob".to_owned(),
        ValueRef::Stream(_) => "stream".to_owned(),
        ValueRef::Document(_) => "document".to_owned(),
        ValueRef::Struct(s) => format!("struct {}", s.schema().name),
        ValueRef::List(l) => format!("list of {}", l.len()),
        ValueRef::Map(m) => format!("map of {}", m.len()),
    }
}

impl From<bool> for Found<'_> {
    fn from(b: bool) -> Self {
        Found::Bool(b)
    }
}

impl From<i64> for Found<'_> {
    fn from(i: i64) -> Self {
        Found::Integer(i)
    }
}

impl From<f64> for Found<'_> {
    fn from(f: f64) -> Self {
        Found::Float(f)
    }
}

impl<'a> From<&'a str> for Found<'a> {
    fn from(s: &'a str) -> Self {
        Found::String(Cow::Borrowed(s))
    }
}

impl From<String> for Found<'_> {
    fn from(s: String) -> Self {
        Found::String(Cow::Owned(s))
    }
}

impl<'a> From<&'a dyn Value> for Found<'a> {
    fn from(value: &'a dyn Value) -> Self {
        Found::Value(value)
    }
}

/// A JSON number as a JMESPath number (integers beyond 64 bits become floats).
fn json_number(n: &serde_json::Number) -> Num {
    match n.as_i64() {
        Some(i) => Num::Int(i),
        None => Num::Float(n.as_f64().unwrap_or(f64::NAN)),
    }
}

/// A timestamp as botocore's UTC `datetime.isoformat()` writes it:
/// `2019-12-16T23:48:18+00:00`, `2019-12-16T23:48:18.123000+00:00`.
pub(super) fn isoformat(t: DateTime) -> String {
    match t.try_format(TimestampFormat::DateTime) {
        Ok(text) if text.len() >= 19 => {
            let mut out = text[..19].to_owned();
            let micros = t.subsec_nanos() / 1_000;
            if micros != 0 {
                out.push_str(&format!(".{micros:06}"));
            }
            out.push_str("+00:00");
            out
        }
        // Years outside 0000-9999, which Python's datetime cannot hold either.
        _ => t.format(TimestampFormat::DateTime),
    }
}

pub(super) fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The elements of an array, borrowed where `value` is; `None` for anything else.
pub(super) fn into_elements<'r, 'a>(value: Cow<'r, Found<'a>>) -> Option<Vec<Cow<'r, Found<'a>>>> {
    match value {
        Cow::Borrowed(Found::List(items)) => Some(items.iter().map(Cow::Borrowed).collect()),
        Cow::Owned(Found::List(items)) => Some(items.into_iter().map(Cow::Owned).collect()),
        other => typed_elements(&other),
    }
}

fn typed_elements<'r, 'a>(value: &Found<'a>) -> Option<Vec<Cow<'r, Found<'a>>>> {
    match value.shape() {
        Shape::Typed(Typed::List(list)) => Some(
            (0..list.len())
                .map(|i| Cow::Owned(list.item(i).map_or(Found::Null, Found::Value)))
                .collect(),
        ),
        Shape::Typed(Typed::DocList(items)) => Some(
            items
                .iter()
                .map(|d| Cow::Owned(Found::Value(d as &dyn Value)))
                .collect(),
        ),
        _ => None,
    }
}

/// The entries of an object, borrowed where `value` is; `None` for anything else.
pub(super) fn into_entries<'r, 'a>(value: Cow<'r, Found<'a>>) -> Option<Entries<'r, 'a>> {
    match value {
        Cow::Borrowed(Found::Object(entries)) => Some(
            entries
                .iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_ref()), Cow::Borrowed(v)))
                .collect(),
        ),
        Cow::Owned(Found::Object(entries)) => Some(
            entries
                .into_iter()
                .map(|(k, v)| (k, Cow::Owned(v)))
                .collect(),
        ),
        other => typed_entries(&other),
    }
}

fn typed_entries<'r, 'a>(value: &Found<'a>) -> Option<Entries<'r, 'a>> {
    let entry = |k: &'a str, v: &'a dyn Value| (Cow::Borrowed(k), Cow::Owned(Found::Value(v)));
    match value.shape() {
        Shape::Typed(Typed::Struct(s)) => Some(
            s.schema()
                .members()
                .iter()
                .enumerate()
                .filter_map(|(i, m)| Some(entry(m.name, s.member(i)?)))
                .collect(),
        ),
        Shape::Typed(Typed::Map(m)) => {
            Some(m.entries().into_iter().map(|(k, v)| entry(k, v)).collect())
        }
        Shape::Typed(Typed::DocObject(entries)) => Some(
            entries
                .iter()
                .map(|(k, v)| entry(k, v as &dyn Value))
                .collect(),
        ),
        _ => None,
    }
}

/// The member `name` of an object, borrowed where `value` is; null for anything else.
pub(super) fn field<'r, 'a>(value: &Cow<'r, Found<'a>>, name: &str) -> Cow<'r, Found<'a>> {
    let lookup =
        |entries: &[(Cow<'a, str>, Found<'a>)]| entries.iter().position(|(k, _)| k == name);
    match value {
        Cow::Borrowed(found) => match found {
            Found::Object(entries) => {
                lookup(entries).map_or(Cow::Owned(Found::Null), |i| Cow::Borrowed(&entries[i].1))
            }
            other => Cow::Owned(other.typed_field(name)),
        },
        Cow::Owned(found) => match found {
            Found::Object(entries) => {
                Cow::Owned(lookup(entries).map_or(Found::Null, |i| entries[i].1.clone()))
            }
            other => Cow::Owned(other.typed_field(name)),
        },
    }
}

/// Element `index` of an array (negative counts from the end); null when out of range or
/// not an array.
pub(super) fn index<'r, 'a>(value: &Cow<'r, Found<'a>>, index: i64) -> Cow<'r, Found<'a>> {
    let position = |len: usize| {
        let len = i64::try_from(len).ok()?;
        let i = if index < 0 { len + index } else { index };
        (0..len).contains(&i).then_some(i as usize)
    };
    match value {
        Cow::Borrowed(Found::List(items)) => {
            position(items.len()).map_or(Cow::Owned(Found::Null), |i| Cow::Borrowed(&items[i]))
        }
        Cow::Owned(Found::List(items)) => {
            Cow::Owned(position(items.len()).map_or(Found::Null, |i| items[i].clone()))
        }
        other => Cow::Owned(match other.shape() {
            Shape::Typed(Typed::List(list)) => position(list.len())
                .and_then(|i| list.item(i))
                .map_or(Found::Null, Found::Value),
            Shape::Typed(Typed::DocList(items)) => {
                position(items.len()).map_or(Found::Null, |i| Found::Value(&items[i] as &dyn Value))
            }
            _ => Found::Null,
        }),
    }
}

/// `value` with its parts taken out, borrowed where `value` is.
pub(super) fn expand<'r, 'a>(value: Cow<'r, Found<'a>>) -> Expanded<'r, 'a> {
    let leaf = |leaf| Expanded::Leaf(leaf);
    match value {
        Cow::Borrowed(Found::String(s)) => leaf(Leaf::Str(Cow::Borrowed(s.as_ref()))),
        Cow::Owned(Found::String(s)) => leaf(Leaf::Str(s)),
        Cow::Borrowed(Found::List(_)) | Cow::Owned(Found::List(_)) => {
            Expanded::Array(into_elements(value).unwrap_or_default())
        }
        Cow::Borrowed(Found::Object(_)) | Cow::Owned(Found::Object(_)) => {
            Expanded::Object(into_entries(value).unwrap_or_default())
        }
        other => match other.shape() {
            Shape::Typed(typed) => match typed {
                Typed::Null => leaf(Leaf::Null),
                Typed::Bool(b) => leaf(Leaf::Bool(b)),
                Typed::Int(i) => leaf(Leaf::Num(Num::Int(i))),
                Typed::Float(f) => leaf(Leaf::Num(Num::Float(f))),
                Typed::Str(s) => leaf(Leaf::Str(Cow::Borrowed(s))),
                Typed::Time(t) => leaf(Leaf::Time(t)),
                Typed::Blob(b) => leaf(Leaf::Str(Cow::Owned(base64(b)))),
                Typed::List(_) | Typed::DocList(_) => {
                    Expanded::Array(typed_elements(&other).unwrap_or_default())
                }
                Typed::Struct(_) | Typed::Map(_) | Typed::DocObject(_) => {
                    Expanded::Object(typed_entries(&other).unwrap_or_default())
                }
            },
            // Strings, lists and objects were matched above.
            Shape::Str(_) | Shape::List(_) | Shape::Object(_) => leaf(Leaf::Null),
        },
    }
}

/// JMESPath equality of two values, at any depth, without recursion.
pub(super) fn equal<'r, 'a>(a: Cow<'r, Found<'a>>, b: Cow<'r, Found<'a>>) -> bool {
    let mut stack = vec![(a, b)];
    while let Some((a, b)) = stack.pop() {
        match (expand(a), expand(b)) {
            (Expanded::Leaf(a), Expanded::Leaf(b)) => {
                if !leaf_eq(&a, &b) {
                    return false;
                }
            }
            (Expanded::Array(a), Expanded::Array(b)) => {
                if a.len() != b.len() {
                    return false;
                }
                stack.extend(a.into_iter().zip(b));
            }
            (Expanded::Object(mut a), Expanded::Object(mut b)) => {
                if a.len() != b.len() {
                    return false;
                }
                a.sort_by(|x, y| x.0.cmp(&y.0));
                b.sort_by(|x, y| x.0.cmp(&y.0));
                for ((ka, va), (kb, vb)) in a.into_iter().zip(b) {
                    if ka != kb {
                        return false;
                    }
                    stack.push((va, vb));
                }
            }
            _ => return false,
        }
    }
    true
}

fn leaf_eq(a: &Leaf<'_>, b: &Leaf<'_>) -> bool {
    match (a, b) {
        (Leaf::Null, Leaf::Null) => true,
        (Leaf::Bool(a), Leaf::Bool(b)) => a == b,
        (Leaf::Num(a), Leaf::Num(b)) => a.equals(*b),
        (Leaf::Str(a), Leaf::Str(b)) => a == b,
        (Leaf::Time(a), Leaf::Time(b)) => a == b,
        (Leaf::Time(t), Leaf::Str(s)) | (Leaf::Str(s), Leaf::Time(t)) => isoformat(*t) == *s,
        _ => false,
    }
}

/// Python's `==` between a leaf and JSON (`True == 1`).
fn python_leaf_eq(leaf: &Leaf<'_>, json: &Json) -> bool {
    let bool_num = |b: bool| Num::Int(i64::from(b));
    match (leaf, json) {
        (Leaf::Null, Json::Null) => true,
        (Leaf::Bool(a), Json::Bool(b)) => a == b,
        (Leaf::Bool(a), Json::Number(n)) => bool_num(*a).equals(json_number(n)),
        (Leaf::Num(a), Json::Bool(b)) => a.equals(bool_num(*b)),
        (Leaf::Num(a), Json::Number(n)) => a.equals(json_number(n)),
        (Leaf::Str(a), Json::String(b)) => a == b,
        (Leaf::Time(t), Json::String(s)) => isoformat(*t) == *s,
        _ => false,
    }
}

/// What [`walk`] reports, depth first.
pub(super) trait Sink {
    fn leaf(&mut self, leaf: Leaf<'_>);
    fn open_array(&mut self, len: usize);
    fn close_array(&mut self);
    fn open_object(&mut self, len: usize);
    fn key(&mut self, key: &str);
    fn close_object(&mut self);
}

/// Visits `root` and all its parts, depth first, with an explicit stack.
pub(super) fn walk(root: Cow<'_, Found<'_>>, sink: &mut impl Sink) {
    enum Frame<'r, 'a> {
        Array(std::vec::IntoIter<Cow<'r, Found<'a>>>),
        Object(std::vec::IntoIter<(Cow<'r, str>, Cow<'r, Found<'a>>)>),
    }
    let mut stack = Vec::new();
    let mut next = Some(root);
    loop {
        if let Some(value) = next.take() {
            match expand(value) {
                Expanded::Leaf(leaf) => sink.leaf(leaf),
                Expanded::Array(items) => {
                    sink.open_array(items.len());
                    stack.push(Frame::Array(items.into_iter()));
                }
                Expanded::Object(entries) => {
                    sink.open_object(entries.len());
                    stack.push(Frame::Object(entries.into_iter()));
                }
            }
        }
        match stack.last_mut() {
            None => return,
            Some(Frame::Array(rest)) => match rest.next() {
                Some(item) => next = Some(item),
                None => {
                    stack.pop();
                    sink.close_array();
                }
            },
            Some(Frame::Object(rest)) => match rest.next() {
                Some((key, value)) => {
                    sink.key(&key);
                    next = Some(value);
                }
                None => {
                    stack.pop();
                    sink.close_object();
                }
            },
        }
    }
}

/// Builds a `serde_json::Value`.
#[derive(Default)]
struct JsonSink {
    open: Vec<(Json, String)>,
    result: Option<Json>,
}

impl JsonSink {
    fn put(&mut self, value: Json) {
        match self.open.last_mut() {
            None => self.result = Some(value),
            Some((Json::Array(items), _)) => items.push(value),
            Some((Json::Object(entries), key)) => {
                entries.insert(std::mem::take(key), value);
            }
            Some(_) => {}
        }
    }
}

impl Sink for JsonSink {
    fn leaf(&mut self, leaf: Leaf<'_>) {
        let json = match leaf {
            Leaf::Null => Json::Null,
            Leaf::Bool(b) => Json::Bool(b),
            Leaf::Num(Num::Int(i)) => Json::from(i),
            Leaf::Num(Num::Float(f)) => {
                serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)
            }
            Leaf::Str(s) => Json::String(s.into_owned()),
            Leaf::Time(t) => Json::String(isoformat(t)),
        };
        self.put(json);
    }
    fn open_array(&mut self, len: usize) {
        self.open
            .push((Json::Array(Vec::with_capacity(len)), String::new()));
    }
    fn close_array(&mut self) {
        if let Some((array, _)) = self.open.pop() {
            self.put(array);
        }
    }
    fn open_object(&mut self, _len: usize) {
        self.open
            .push((Json::Object(serde_json::Map::new()), String::new()));
    }
    fn key(&mut self, key: &str) {
        if let Some((_, pending)) = self.open.last_mut() {
            key.clone_into(pending);
        }
    }
    fn close_object(&mut self) {
        if let Some((object, _)) = self.open.pop() {
            self.put(object);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_round_trips_and_keeps_number_kinds() {
        let value = json!({"a": [1, 1.5, -2, "x", null, true, {"b": []}], "c": {}, "big": 18446744073709551615u64});
        let found = Found::from_json(&value);
        let back = found.to_json();
        assert_eq!(back["a"], json!([1, 1.5, -2, "x", null, true, {"b": []}]));
        assert!(back["a"][0].is_i64());
        assert!(back["big"].is_f64());
        assert_eq!(back["c"], json!({}));
        assert!(found.eq_json(&value));
    }

    #[test]
    fn python_equality_for_waiter_expectations() {
        assert!(Found::Integer(1).eq_json(&json!(1.0)));
        assert!(Found::Float(2.0).eq_json(&json!(2)));
        assert!(Found::Bool(true).eq_json(&json!(1)));
        assert!(Found::Integer(0).eq_json(&json!(false)));
        assert!(!Found::Integer(2).eq_json(&json!(true)));
        assert!(!Found::from("1").eq_json(&json!(1)));
        assert!(Found::Null.eq_json(&json!(null)));
        assert!(!Found::Null.eq_json(&json!(false)));
        let list = Found::from_json(&json!([1, {"a": "b"}]));
        assert!(list.eq_json(&json!([1.0, {"a": "b"}])));
        assert!(!list.eq_json(&json!([1.0, {"a": "b", "c": 1}])));
        assert!(!list.eq_json(&json!([{"a": "b"}, 1])));
    }

    #[test]
    fn jmespath_equality_keeps_booleans_apart_from_numbers() {
        assert_eq!(Found::Integer(1), Found::Float(1.0));
        assert_ne!(Found::Integer(1), Found::Bool(true));
        assert_ne!(Found::Float(0.5), Found::Integer(0));
        assert_eq!(
            Found::from_json(&json!({"a": 1, "b": [2]})),
            Found::from_json(&json!({"b": [2.0], "a": 1}))
        );
        assert_ne!(
            Found::from_json(&json!({"a": 1})),
            Found::from_json(&json!({"b": 1}))
        );
        // i64::MAX is not the float nearest to it.
        assert_ne!(Found::Integer(i64::MAX), Found::Float(i64::MAX as f64));
    }

    #[test]
    fn truthiness() {
        for falsy in [json!(null), json!(false), json!(""), json!([]), json!({})] {
            assert!(!Found::from_json(&falsy).is_truthy(), "{falsy}");
        }
        for truthy in [
            json!(0),
            json!(0.0),
            json!(" "),
            json!([null]),
            json!({"a": null}),
            json!(true),
        ] {
            assert!(Found::from_json(&truthy).is_truthy(), "{truthy}");
        }
    }

    #[test]
    fn timestamps_read_as_python_isoformat() {
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 123_000_000);
        assert_eq!(isoformat(t), "2019-12-16T23:48:18.123000+00:00");
        assert_eq!(
            isoformat(DateTime::from_secs(0)),
            "1970-01-01T00:00:00+00:00"
        );
        assert_eq!(
            isoformat(DateTime::from_secs_and_nanos(0, 999)),
            "1970-01-01T00:00:00+00:00"
        );
    }

    #[test]
    fn deep_values_convert_and_compare_without_recursion() {
        let depth = 100_000;
        let mut found = Found::Integer(1);
        for _ in 0..depth {
            found = Found::List(vec![found]);
        }
        let json = found.to_json();
        let mut json_depth = 0;
        let mut at = &json;
        while let Json::Array(items) = at {
            json_depth += 1;
            at = &items[0];
        }
        assert_eq!(json_depth, depth);
        assert!(found.eq_json(&json));
        let back = Found::from_json(&json);
        assert!(back == found);
        assert!(back.eq_json(&json));
        // Dropping such values recurses in serde_json and here alike; take them apart.
        for value in [found, back] {
            let mut next = Some(value);
            while let Some(Found::List(mut items)) = next.take() {
                next = items.pop();
            }
        }
        let mut next = Some(json);
        while let Some(Json::Array(mut items)) = next.take() {
            next = items.pop();
        }
    }
}
