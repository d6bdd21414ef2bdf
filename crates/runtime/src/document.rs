//! [`Document`], the value of botocore `document` shapes: untyped, JSON-like data.
//!
//! A document is null, a boolean, a [`Number`], a string, an array or an object with string
//! keys. Objects are [`BTreeMap`]s, so their keys are unique and kept in sorted order; that is
//! also the order [`Display`](fmt::Display) writes them in.
//!
//! Numbers keep integers exact: a [`Number`] is a non-negative integer
//! ([`PosInt`](Number::PosInt)), a negative integer ([`NegInt`](Number::NegInt)) or a float.
//! The conversions of this module always pick `PosInt` for integers ≥ 0 and `NegInt` for
//! integers < 0, so that equal integers compare equal. Equality is structural (derived):
//! `PosInt(1)` is not `Float(1.0)`, and a `NaN` float is not equal to itself.
//!
//! JSON has no NaN or infinities: both [`Display`](fmt::Display) and the conversion to
//! `serde_json::Value` write non-finite floats as JSON `null`.
//!
//! The `serde_json::Value` conversions need the crate's `model` feature, the one that brings
//! in `serde_json`.
//!
//! Display and the conversions recurse once per level of nesting, as `Drop` does; documents
//! come from parsers that bound their depth (serde_json stops at 128 levels).

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

/// A `document` value: untyped, JSON-like data.
///
/// ```
/// use std::collections::BTreeMap;
/// use stratus_runtime::Document;
///
/// let doc = Document::from(BTreeMap::from([
///     ("name".to_owned(), Document::from("a \"quoted\" name")),
///     ("sizes".to_owned(), Document::from(vec![1.into(), (-2).into(), 0.5.into()])),
/// ]));
/// assert_eq!(doc.to_string(), r#"{"name":"a \"quoted\" name","sizes":[1,-2,0.5]}"#);
/// assert_eq!(doc.as_object().unwrap()["sizes"].as_array().unwrap()[1].as_i64(), Some(-2));
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Document {
    /// JSON `null`; also the [`Default`].
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer or a float.
    Number(Number),
    /// A string.
    String(String),
    /// An ordered list of documents.
    Array(Vec<Document>),
    /// Documents by string key, in key order.
    Object(BTreeMap<String, Document>),
}

/// A document number: an exact integer, or a float.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An integer ≥ 0.
    PosInt(u64),
    /// An integer < 0. (This module's conversions never put a value ≥ 0 here; one built by
    /// hand is still read correctly by the accessors, but does not equal the `PosInt`.)
    NegInt(i64),
    /// A floating-point number, possibly NaN or infinite.
    Float(f64),
}

impl Number {
    /// The number as an `f64`; integers beyond 2⁵³ are rounded to the nearest `f64`.
    pub fn to_f64_lossy(self) -> f64 {
        match self {
            Number::PosInt(n) => n as f64,
            Number::NegInt(n) => n as f64,
            Number::Float(f) => f,
        }
    }

    /// The number as an `i64`, if it is an integer that fits (floats give `None`, even
    /// `1.0`).
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::PosInt(n) => i64::try_from(n).ok(),
            Number::NegInt(n) => Some(n),
            Number::Float(_) => None,
        }
    }

    /// The number as a `u64`, if it is an integer that fits (floats give `None`, even `1.0`).
    pub fn as_u64(self) -> Option<u64> {
        match self {
            Number::PosInt(n) => Some(n),
            Number::NegInt(n) => u64::try_from(n).ok(),
            Number::Float(_) => None,
        }
    }
}

impl fmt::Display for Number {
    /// Writes the number as JSON: integers exactly, finite floats in the shortest form that
    /// reads back to the same `f64` (`0.5`, `1.0`, `1e300`), NaN and infinities as `null`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::PosInt(n) => write!(f, "{n}"),
            Number::NegInt(n) => write!(f, "{n}"),
            // `Debug` keeps the `.0` of whole floats and switches to exponents for very
            // large or small ones; both forms are valid JSON.
            Number::Float(x) if x.is_finite() => write!(f, "{x:?}"),
            Number::Float(_) => f.write_str("null"),
        }
    }
}

impl From<u64> for Number {
    /// A [`Number::PosInt`].
    fn from(n: u64) -> Self {
        Number::PosInt(n)
    }
}

impl From<i64> for Number {
    /// [`Number::PosInt`] for `n ≥ 0`, else [`Number::NegInt`].
    fn from(n: i64) -> Self {
        match u64::try_from(n) {
            Ok(n) => Number::PosInt(n),
            Err(_) => Number::NegInt(n),
        }
    }
}

impl From<i32> for Number {
    /// [`Number::PosInt`] for `n ≥ 0`, else [`Number::NegInt`].
    fn from(n: i32) -> Self {
        Number::from(i64::from(n))
    }
}

impl From<f64> for Number {
    /// A [`Number::Float`], whatever its value.
    fn from(x: f64) -> Self {
        Number::Float(x)
    }
}

impl Document {
    /// Whether this is [`Document::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Document::Null)
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Document::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<Number> {
        match self {
            Document::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// Any number as an `f64` (see [`Number::to_f64_lossy`]).
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::to_f64_lossy)
    }

    /// An integer that fits an `i64` (see [`Number::as_i64`]).
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// An integer that fits a `u64` (see [`Number::as_u64`]).
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Document::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&Vec<Document>> {
        match self {
            Document::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The entries, if this is an object.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Document>> {
        match self {
            Document::Object(entries) => Some(entries),
            _ => None,
        }
    }
}

impl fmt::Display for Document {
    /// Writes the document as compact JSON: no whitespace, object keys in order, strings
    /// escaped as JSON requires (`"`, `\` and control characters; other characters as they
    /// are), non-finite floats as `null`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Document::Null => f.write_str("null"),
            Document::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Document::Number(n) => fmt::Display::fmt(n, f),
            Document::String(s) => write_json_string(f, s),
            Document::Array(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    fmt::Display::fmt(item, f)?;
                }
                f.write_char(']')
            }
            Document::Object(entries) => {
                f.write_char('{')?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write_json_string(f, key)?;
                    f.write_char(':')?;
                    fmt::Display::fmt(value, f)?;
                }
                f.write_char('}')
            }
        }
    }
}

/// Writes `s` as a JSON string literal.
fn write_json_string(f: &mut impl fmt::Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    let mut clean_from = 0;
    for (i, byte) in s.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slice ends are character boundaries.
        f.write_str(s.get(clean_from..i).unwrap_or_default())?;
        if escape.is_empty() {
            write!(f, "\\u{byte:04x}")?;
        } else {
            f.write_str(escape)?;
        }
        clean_from = i + 1;
    }
    f.write_str(s.get(clean_from..).unwrap_or_default())?;
    f.write_char('"')
}

impl From<bool> for Document {
    /// A [`Document::Bool`].
    fn from(b: bool) -> Self {
        Document::Bool(b)
    }
}

impl From<&str> for Document {
    /// A [`Document::String`].
    fn from(s: &str) -> Self {
        Document::String(s.to_owned())
    }
}

impl From<String> for Document {
    /// A [`Document::String`].
    fn from(s: String) -> Self {
        Document::String(s)
    }
}

impl From<Number> for Document {
    /// A [`Document::Number`].
    fn from(n: Number) -> Self {
        Document::Number(n)
    }
}

impl From<i32> for Document {
    /// An integer [`Document::Number`] (`PosInt` for `n ≥ 0`, else `NegInt`).
    fn from(n: i32) -> Self {
        Document::Number(n.into())
    }
}

impl From<i64> for Document {
    /// An integer [`Document::Number`] (`PosInt` for `n ≥ 0`, else `NegInt`).
    fn from(n: i64) -> Self {
        Document::Number(n.into())
    }
}

impl From<u64> for Document {
    /// A [`Number::PosInt`] document.
    fn from(n: u64) -> Self {
        Document::Number(n.into())
    }
}

impl From<f64> for Document {
    /// A [`Number::Float`] document, whatever its value.
    fn from(x: f64) -> Self {
        Document::Number(x.into())
    }
}

impl From<Vec<Document>> for Document {
    /// A [`Document::Array`].
    fn from(items: Vec<Document>) -> Self {
        Document::Array(items)
    }
}

impl From<BTreeMap<String, Document>> for Document {
    /// A [`Document::Object`].
    fn from(entries: BTreeMap<String, Document>) -> Self {
        Document::Object(entries)
    }
}

#[cfg(feature = "model")]
impl From<serde_json::Value> for Document {
    /// The same value. JSON integers become `PosInt` or `NegInt` when they fit 64 bits and
    /// floats otherwise; objects keep the last of repeated keys.
    fn from(value: serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => Document::Null,
            Value::Bool(b) => Document::Bool(b),
            Value::Number(n) => Document::Number(if let Some(u) = n.as_u64() {
                Number::PosInt(u)
            } else if let Some(i) = n.as_i64() {
                Number::NegInt(i)
            } else {
                // Without serde_json's `arbitrary_precision` this is always `Some`; with it,
                // a number too large for an f64 reads as an infinity.
                Number::Float(
                    n.as_f64()
                        .unwrap_or_else(|| n.to_string().parse().unwrap_or(f64::NAN)),
                )
            }),
            Value::String(s) => Document::String(s),
            Value::Array(items) => Document::Array(items.into_iter().map(Document::from).collect()),
            Value::Object(entries) => Document::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, Document::from(v)))
                    .collect(),
            ),
        }
    }
}

#[cfg(feature = "model")]
impl From<Document> for serde_json::Value {
    /// The same value, except that NaN and infinite floats become `null` (JSON has no such
    /// numbers).
    fn from(doc: Document) -> Self {
        use serde_json::Value;
        match doc {
            Document::Null => Value::Null,
            Document::Bool(b) => Value::Bool(b),
            Document::Number(Number::PosInt(n)) => Value::Number(n.into()),
            Document::Number(Number::NegInt(n)) => Value::Number(n.into()),
            Document::Number(Number::Float(x)) => serde_json::Number::from_f64(x)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Document::String(s) => Value::String(s),
            Document::Array(items) => Value::Array(items.into_iter().map(Value::from).collect()),
            Document::Object(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, Value::from(v)))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object<const N: usize>(entries: [(&str, Document); N]) -> Document {
        Document::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    #[test]
    fn accessors() {
        assert!(Document::default().is_null());
        assert!(!Document::from(false).is_null());
        assert_eq!(Document::from(true).as_bool(), Some(true));
        assert_eq!(Document::from("x").as_bool(), None);
        assert_eq!(Document::from("x").as_str(), Some("x"));
        assert_eq!(Document::from(1).as_str(), None);

        assert_eq!(Document::from(7).as_i64(), Some(7));
        assert_eq!(Document::from(7).as_u64(), Some(7));
        assert_eq!(Document::from(7).as_f64(), Some(7.0));
        assert_eq!(Document::from(-7).as_i64(), Some(-7));
        assert_eq!(Document::from(-7).as_u64(), None);
        assert_eq!(Document::from(-7).as_f64(), Some(-7.0));
        assert_eq!(Document::from(u64::MAX).as_i64(), None);
        assert_eq!(Document::from(u64::MAX).as_u64(), Some(u64::MAX));
        assert_eq!(
            Document::from(u64::MAX).as_f64(),
            Some(18_446_744_073_709_551_615.0)
        );
        assert_eq!(Document::from(1.5).as_f64(), Some(1.5));
        assert_eq!(Document::from(1.0).as_i64(), None);
        assert_eq!(Document::from(1.0).as_u64(), None);
        assert_eq!(Document::from("1").as_i64(), None);
        assert_eq!(Document::Number(Number::NegInt(5)).as_u64(), Some(5));
        assert_eq!(Document::from(3).as_number(), Some(Number::PosInt(3)));

        let items = vec![Document::Null, 1.into()];
        assert_eq!(Document::from(items.clone()).as_array(), Some(&items));
        assert_eq!(Document::Null.as_array(), None);
        let entries = BTreeMap::from([("k".to_owned(), Document::from("v"))]);
        assert_eq!(Document::from(entries.clone()).as_object(), Some(&entries));
        assert_eq!(Document::from(items).as_object(), None);
    }

    #[test]
    fn from_impls() {
        assert_eq!(Document::from(true), Document::Bool(true));
        assert_eq!(Document::from("s"), Document::String("s".into()));
        assert_eq!(
            Document::from(String::from("s")),
            Document::String("s".into())
        );
        assert_eq!(Document::from(0_i32), Document::Number(Number::PosInt(0)));
        assert_eq!(Document::from(-1_i32), Document::Number(Number::NegInt(-1)));
        assert_eq!(
            Document::from(i32::MIN),
            Document::Number(Number::NegInt(-2_147_483_648))
        );
        assert_eq!(
            Document::from(i64::MAX),
            Document::Number(Number::PosInt(i64::MAX as u64))
        );
        assert_eq!(
            Document::from(i64::MIN),
            Document::Number(Number::NegInt(i64::MIN))
        );
        assert_eq!(Document::from(5_u64), Document::Number(Number::PosInt(5)));
        assert_eq!(Document::from(0.5), Document::Number(Number::Float(0.5)));
        assert_eq!(
            Document::from(Number::Float(2.0)),
            Document::Number(Number::Float(2.0))
        );
        assert_eq!(Document::from(vec![]), Document::Array(vec![]));
        assert_eq!(
            Document::from(BTreeMap::new()),
            Document::Object(BTreeMap::new())
        );
        // Equal integers are equal whatever they came from; other numbers are structural.
        assert_eq!(Document::from(5_i32), Document::from(5_u64));
        assert_eq!(Document::from(-5_i32), Document::from(-5_i64));
        assert_ne!(Document::from(1), Document::from(1.0));
        assert_ne!(Number::NegInt(1), Number::PosInt(1));
        assert_ne!(Document::from(f64::NAN), Document::from(f64::NAN));
    }

    #[test]
    fn number_helpers() {
        assert_eq!(Number::PosInt(3).to_f64_lossy(), 3.0);
        assert_eq!(Number::NegInt(-3).to_f64_lossy(), -3.0);
        assert_eq!(Number::Float(0.25).to_f64_lossy(), 0.25);
        assert_eq!(Number::PosInt(u64::MAX).as_i64(), None);
        assert_eq!(Number::NegInt(-1).as_u64(), None);
        assert_eq!(Number::from(-1_i64), Number::NegInt(-1));
        assert_eq!(Number::from(1_i64), Number::PosInt(1));
    }

    #[test]
    fn display_writes_compact_json() {
        let doc = object([
            ("b", vec![Document::Null, true.into(), false.into()].into()),
            ("a", object([("nested", Document::from(-1))])),
            (
                "n",
                vec![0.into(), u64::MAX.into(), i64::MIN.into(), 0.5.into()].into(),
            ),
            ("e", Document::Array(vec![])),
            ("o", Document::Object(BTreeMap::new())),
        ]);
        assert_eq!(
            doc.to_string(),
            r#"{"a":{"nested":-1},"b":[null,true,false],"e":[],"n":[0,18446744073709551615,-9223372036854775808,0.5],"o":{}}"#
        );
        assert_eq!(Document::Null.to_string(), "null");
    }

    #[test]
    fn display_escapes_strings() {
        let cases = [
            ("plain", r#""plain""#),
            ("", r#""""#),
            ("say \"hi\"", r#""say \"hi\"""#),
            ("back\\slash", r#""back\\slash""#),
            ("line\nfeed\r\ttab", r#""line\nfeed\r\ttab""#),
            ("\u{8}\u{c}", r#""\b\f""#),
            ("\u{0}\u{1}\u{1f}", r#""\u0000\u0001\u001f""#),
            ("\u{7f} /é€😀\u{2028}", "\"\u{7f} /é€😀\u{2028}\""),
            ("\"", r#""\"""#),
            ("é\"é", r#""é\"é""#),
        ];
        for (raw, json) in cases {
            assert_eq!(Document::from(raw).to_string(), json, "{raw:?}");
        }
        let keyed = object([("k\"\n", Document::from("v"))]);
        assert_eq!(keyed.to_string(), r#"{"k\"\n":"v"}"#);
    }

    #[test]
    fn display_numbers() {
        for (x, json) in [
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.1, "0.1"),
            (1e300, "1e300"),
            (1.5e-7, "1.5e-7"),
            (f64::MAX, "1.7976931348623157e308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (f64::NAN, "null"),
            (f64::INFINITY, "null"),
            (f64::NEG_INFINITY, "null"),
        ] {
            assert_eq!(Document::from(x).to_string(), json);
            assert_eq!(Number::Float(x).to_string(), json);
        }
        // Finite floats read back exactly.
        let mut bits = 0x0123_4567_89ab_cdef_u64;
        for _ in 0..10_000 {
            bits = bits.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let x = f64::from_bits(bits);
            if x.is_finite() {
                let json = Number::Float(x).to_string();
                assert_eq!(
                    json.parse::<f64>().unwrap().to_bits(),
                    x.to_bits(),
                    "{json}"
                );
            }
        }
    }

    #[cfg(feature = "model")]
    mod serde_json_conversions {
        use super::*;
        use serde_json::{Value, json};

        #[test]
        fn from_value() {
            let value = json!({
                "null": null, "t": true, "f": false, "zero": 0, "pos": 18446744073709551615u64,
                "neg": -9223372036854775808i64, "float": 1.5, "whole_float": 2.0,
                "s": "x\"y", "arr": [1, [2, {}]], "obj": {"k": []}
            });
            let doc = Document::from(value.clone());
            assert_eq!(
                doc,
                object([
                    ("null", Document::Null),
                    ("t", true.into()),
                    ("f", false.into()),
                    ("zero", Document::Number(Number::PosInt(0))),
                    ("pos", u64::MAX.into()),
                    ("neg", i64::MIN.into()),
                    ("float", 1.5.into()),
                    ("whole_float", 2.0.into()),
                    ("s", "x\"y".into()),
                    (
                        "arr",
                        vec![1.into(), vec![2.into(), object([])].into()].into()
                    ),
                    ("obj", object([("k", Document::Array(vec![]))])),
                ])
            );
            assert_eq!(Value::from(doc), value);
        }

        #[test]
        fn to_value() {
            assert_eq!(Value::from(Document::from(f64::NAN)), Value::Null);
            assert_eq!(Value::from(Document::from(f64::INFINITY)), Value::Null);
            assert_eq!(Value::from(Document::from(-1)), json!(-1));
            assert_eq!(Value::from(Document::from(u64::MAX)), json!(u64::MAX));
            assert_eq!(
                Value::from(Document::from(vec![f64::NEG_INFINITY.into(), 0.5.into()])),
                json!([null, 0.5])
            );
            // A NegInt built by hand still converts to its value.
            assert_eq!(Value::from(Document::Number(Number::NegInt(3))), json!(3));
        }

        #[test]
        fn display_matches_serde_json() {
            let value = json!({
                "z": [1, -2, 0.5, 1e300, 2.0, -0.0, null, true],
                "a": {"\u{0}\u{1f}\"\\\n\r\t\u{8}\u{c}": "é😀\u{7f}\u{2028}/"},
                "m": [[[]], {}, ""]
            });
            let doc = Document::from(value.clone());
            let written = doc.to_string();
            // Valid JSON, and the same value.
            assert_eq!(serde_json::from_str::<Value>(&written).unwrap(), value);
            // Without whitespace and with keys in order, it is what serde_json writes, but for
            // the exponent style (serde_json writes `1e+300`, this `1e300`; both are JSON).
            let sorted = serde_json::to_string(&Value::from(doc)).unwrap();
            assert_eq!(written, sorted.replace("e+", "e"));
        }
    }
}
