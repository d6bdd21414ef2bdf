//! Reading and writing values through their schemas, with dynamic dispatch.
//!
//! Codecs never see concrete generated types. They see `&dyn Value`: a scalar, a structure
//! (read or written member by member, by index into its schema's members), a list or a map.
//! Generated structs implement [`StructValue`] with one `match` per accessor; everything
//! else (strings, numbers, vectors, maps, boxes, options) is implemented once, here.

use crate::{ByteStream, DateTime, Document, schema::Schema};
use bytes::Bytes;
use std::collections::HashMap;
use std::fmt;

/// A borrowed view of a value, as a codec reads it.
#[derive(Clone, Copy)]
pub enum ValueRef<'a> {
    /// An absent entry of a sparse list or map.
    Null,
    Bool(bool),
    /// byte, short, integer and long values.
    Integer(i64),
    /// float and double values.
    Float(f64),
    /// strings and enums.
    String(&'a str),
    Timestamp(DateTime),
    Blob(&'a [u8]),
    Stream(&'a ByteStream),
    Document(&'a Document),
    /// structures and unions.
    Struct(&'a dyn StructValue),
    List(&'a dyn ListValue),
    Map(&'a dyn MapValue),
}

/// An owned scalar, as a codec produces it while decoding.
#[derive(Debug)]
pub enum Scalar {
    Bool(bool),
    Integer(i64),
    Float(f64),
    String(String),
    Timestamp(DateTime),
    Blob(Bytes),
    Stream(ByteStream),
    Document(Document),
}

impl Scalar {
    fn kind(&self) -> &'static str {
        match self {
            Scalar::Bool(_) => "a boolean",
            Scalar::Integer(_) => "an integer",
            Scalar::Float(_) => "a number",
            Scalar::String(_) => "a string",
            Scalar::Timestamp(_) => "a timestamp",
            Scalar::Blob(_) => "a blob",
            Scalar::Stream(_) => "a stream",
            Scalar::Document(_) => "a document",
        }
    }
}

/// A scalar that does not fit the value it was written to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot store {found} in a value of type {expected}")]
pub struct ValueError {
    pub expected: &'static str,
    pub found: String,
}

impl ValueError {
    fn new(expected: &'static str, found: impl fmt::Display) -> Self {
        ValueError {
            expected,
            found: found.to_string(),
        }
    }
}

/// Any value a schema can describe.
pub trait Value: Send + Sync {
    /// A view of the value for encoders.
    fn get(&self) -> ValueRef<'_>;
    /// Replaces a scalar value (decoders). Aggregates reject scalars.
    fn set(&mut self, value: Scalar) -> Result<(), ValueError> {
        Err(ValueError::new("aggregate", value.kind()))
    }
    fn as_struct_mut(&mut self) -> Option<&mut dyn StructValue> {
        None
    }
    fn as_list_mut(&mut self) -> Option<&mut dyn ListValue> {
        None
    }
    fn as_map_mut(&mut self) -> Option<&mut dyn MapValue> {
        None
    }
    /// Takes a streaming body out of the value, leaving it empty (the pipeline sends a
    /// request's stream this way, without copying it). `None` for anything but a stream.
    fn take_stream(&mut self) -> Option<ByteStream> {
        None
    }
}

/// A structure or union, accessed member by member in schema order.
pub trait StructValue: Send + Sync {
    fn schema(&self) -> &'static Schema;
    /// The member at `index` of `schema().members`, or `None` when it is unset
    /// (or, for a union, not the variant that is set).
    fn member(&self, index: usize) -> Option<&dyn Value>;
    /// The member at `index`, set to its default first when unset (a union switches to that
    /// variant). `None` only for an index out of range.
    fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value>;
    /// Records that a response set a union member this SDK does not know, by its wire name:
    /// a union becomes its `Unknown` variant. Structures ignore it.
    fn set_unknown(&mut self, _name: &str) {}
}

/// A list, accessed element by element.
pub trait ListValue: Send + Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn item(&self, index: usize) -> Option<&dyn Value>;
    /// The element at `index`, to change it.
    fn item_mut(&mut self, index: usize) -> Option<&mut dyn Value>;
    /// Appends a default element and returns it for the decoder to fill.
    fn push_default(&mut self) -> &mut dyn Value;
    /// Keeps only the elements in `range` (clamped to the list), dropping the others: how a
    /// paginator cuts a page to `max_items`, or skips what a resume token says was seen.
    fn keep(&mut self, range: std::ops::Range<usize>);
}

/// A map with string keys (enum keys are their string form).
pub trait MapValue: Send + Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Visits every entry, ordered by key so that requests are reproducible.
    fn for_each(&self, f: &mut dyn FnMut(&str, &dyn Value));
    /// The value under `key`, if there is one (JMESPath reads maps through it).
    fn value(&self, key: &str) -> Option<&dyn Value>;
    /// Every entry, in the order [`for_each`](Self::for_each) visits them, borrowed for as
    /// long as the map is (JMESPath projections keep them).
    fn entries(&self) -> Vec<(&str, &dyn Value)>;
    /// The value under `key`, inserted as a default first when absent.
    fn entry_default(&mut self, key: &str) -> &mut dyn Value;
    /// Makes room for at least `additional` more entries, as a decoder that expects them
    /// asks; a hint that a map may ignore.
    fn reserve(&mut self, _additional: usize) {}
}

/// A type usable as a map key: `String`, or a generated string enum.
pub trait MapKey: Eq + std::hash::Hash + Send + Sync {
    fn as_key(&self) -> &str;
    fn from_key(key: &str) -> Self;
}

impl MapKey for String {
    fn as_key(&self) -> &str {
        self
    }
    fn from_key(key: &str) -> Self {
        key.to_string()
    }
}

macro_rules! integer_value {
    ($($ty:ty),*) => {$(
        impl Value for $ty {
            fn get(&self) -> ValueRef<'_> {
                ValueRef::Integer(i64::from(*self))
            }
            fn set(&mut self, value: Scalar) -> Result<(), ValueError> {
                match value {
                    Scalar::Integer(v) => {
                        *self = <$ty>::try_from(v)
                            .map_err(|_| ValueError::new(stringify!($ty), v))?;
                        Ok(())
                    }
                    other => Err(ValueError::new(stringify!($ty), other.kind())),
                }
            }
        }
    )*};
}
integer_value!(i8, i16, i32, i64);

impl Value for f64 {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Float(*self)
    }
    fn set(&mut self, value: Scalar) -> Result<(), ValueError> {
        *self = match value {
            Scalar::Float(v) => v,
            Scalar::Integer(v) => v as f64,
            other => return Err(ValueError::new("f64", other.kind())),
        };
        Ok(())
    }
}

impl Value for f32 {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Float(f64::from(*self))
    }
    fn set(&mut self, value: Scalar) -> Result<(), ValueError> {
        // Narrowing is the model's intent for `float` shapes.
        *self = match value {
            Scalar::Float(v) => v as f32,
            Scalar::Integer(v) => v as f32,
            other => return Err(ValueError::new("f32", other.kind())),
        };
        Ok(())
    }
}

macro_rules! simple_value {
    ($ty:ty, $variant:ident, |$s:ident| $get:expr) => {
        impl Value for $ty {
            fn get(&self) -> ValueRef<'_> {
                let $s = self;
                ValueRef::$variant($get)
            }
            fn set(&mut self, value: Scalar) -> Result<(), ValueError> {
                match value {
                    Scalar::$variant(v) => {
                        *self = v;
                        Ok(())
                    }
                    other => Err(ValueError::new(stringify!($ty), other.kind())),
                }
            }
        }
    };
}
simple_value!(bool, Bool, |s| *s);
simple_value!(String, String, |s| s.as_str());
simple_value!(DateTime, Timestamp, |s| *s);
simple_value!(Bytes, Blob, |s| s.as_ref());
simple_value!(Document, Document, |s| s);

impl Value for ByteStream {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Stream(self)
    }
    fn set(&mut self, value: Scalar) -> Result<(), ValueError> {
        match value {
            Scalar::Stream(v) => {
                *self = v;
                Ok(())
            }
            Scalar::Blob(b) => {
                *self = ByteStream::from(b);
                Ok(())
            }
            other => Err(ValueError::new("ByteStream", other.kind())),
        }
    }
    fn take_stream(&mut self) -> Option<ByteStream> {
        Some(std::mem::take(self))
    }
}

impl<T: Value> Value for Box<T> {
    fn get(&self) -> ValueRef<'_> {
        (**self).get()
    }
    fn take_stream(&mut self) -> Option<ByteStream> {
        (**self).take_stream()
    }
    fn set(&mut self, value: Scalar) -> Result<(), ValueError> {
        (**self).set(value)
    }
    fn as_struct_mut(&mut self) -> Option<&mut dyn StructValue> {
        (**self).as_struct_mut()
    }
    fn as_list_mut(&mut self) -> Option<&mut dyn ListValue> {
        (**self).as_list_mut()
    }
    fn as_map_mut(&mut self) -> Option<&mut dyn MapValue> {
        (**self).as_map_mut()
    }
}

/// Entries of sparse lists and maps.
impl<T: Value + Default> Value for Option<T> {
    fn get(&self) -> ValueRef<'_> {
        match self {
            Some(v) => v.get(),
            None => ValueRef::Null,
        }
    }
    fn set(&mut self, value: Scalar) -> Result<(), ValueError> {
        self.get_or_insert_with(T::default).set(value)
    }
    fn take_stream(&mut self) -> Option<ByteStream> {
        self.as_mut()?.take_stream()
    }
    fn as_struct_mut(&mut self) -> Option<&mut dyn StructValue> {
        self.get_or_insert_with(T::default).as_struct_mut()
    }
    fn as_list_mut(&mut self) -> Option<&mut dyn ListValue> {
        self.get_or_insert_with(T::default).as_list_mut()
    }
    fn as_map_mut(&mut self) -> Option<&mut dyn MapValue> {
        self.get_or_insert_with(T::default).as_map_mut()
    }
}

impl<T: Value + Default> ListValue for Vec<T> {
    fn len(&self) -> usize {
        self.len()
    }
    fn item(&self, index: usize) -> Option<&dyn Value> {
        self.as_slice().get(index).map(|v| v as &dyn Value)
    }
    fn item_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
        self.as_mut_slice()
            .get_mut(index)
            .map(|v| v as &mut dyn Value)
    }
    fn push_default(&mut self) -> &mut dyn Value {
        self.push(T::default());
        let last = self.len() - 1;
        &mut self[last]
    }
    fn keep(&mut self, range: std::ops::Range<usize>) {
        keep_range(self, range);
    }
}

/// Keeps the elements of `items` in `range`, clamped to its length.
pub(crate) fn keep_range<T>(items: &mut Vec<T>, range: std::ops::Range<usize>) {
    items.truncate(range.end);
    items.drain(..range.start.min(items.len()));
}

impl<T: Value + Default> Value for Vec<T> {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::List(self)
    }
    fn as_list_mut(&mut self) -> Option<&mut dyn ListValue> {
        Some(self)
    }
}

impl<K: MapKey, V: Value + Default> MapValue for HashMap<K, V> {
    fn len(&self) -> usize {
        self.len()
    }
    fn for_each(&self, f: &mut dyn FnMut(&str, &dyn Value)) {
        for (k, v) in MapValue::entries(self) {
            f(k, v);
        }
    }
    fn value(&self, key: &str) -> Option<&dyn Value> {
        self.get(&K::from_key(key)).map(|v| v as &dyn Value)
    }
    fn entries(&self) -> Vec<(&str, &dyn Value)> {
        let mut entries: Vec<(&str, &dyn Value)> = self
            .iter()
            .map(|(k, v)| (k.as_key(), v as &dyn Value))
            .collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        entries
    }
    fn entry_default(&mut self, key: &str) -> &mut dyn Value {
        self.entry(K::from_key(key)).or_default()
    }
    fn reserve(&mut self, additional: usize) {
        HashMap::reserve(self, additional);
    }
}

impl<K: MapKey, V: Value + Default> Value for HashMap<K, V> {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Map(self)
    }
    fn as_map_mut(&mut self) -> Option<&mut dyn MapValue> {
        Some(self)
    }
}

/// The string member named `name` (model name) of `value`, if it is set.
pub fn string_member<'a>(value: &'a dyn StructValue, name: &str) -> Option<&'a str> {
    let (index, _) = value.schema().member(name)?;
    match value.member(index)?.get() {
        ValueRef::String(s) => Some(s),
        _ => None,
    }
}

/// Sets the string member named `name` of `value`; `false` when the shape has no such
/// member or it does not hold a string.
pub fn set_string_member(value: &mut dyn StructValue, name: &str, text: String) -> bool {
    value
        .schema()
        .member(name)
        .and_then(|(index, _)| value.member_mut(index))
        .is_some_and(|slot| slot.set(Scalar::String(text)).is_ok())
}

/// Whether the member named `name` of `value` is set.
pub fn is_member_set(value: &dyn StructValue, name: &str) -> bool {
    value
        .schema()
        .member(name)
        .is_some_and(|(index, _)| value.member(index).is_some())
}

/// An optional member as a value (generated accessors use it).
pub fn opt<T: Value>(member: &Option<T>) -> Option<&dyn Value> {
    member.as_ref().map(|v| v as &dyn Value)
}

/// An optional member as a value to write, set to its default first when unset.
pub fn opt_mut<T: Value + Default>(member: &mut Option<T>) -> Option<&mut dyn Value> {
    Some(member.get_or_insert_with(T::default))
}

/// Implements [`Value`] and `Debug` for a generated structure or union (which implements
/// [`StructValue`] itself). `Debug` walks the schema, so sensitive members are redacted.
#[macro_export]
macro_rules! impl_struct_value {
    ($ty:ty) => {
        impl $crate::value::Value for $ty {
            fn get(&self) -> $crate::value::ValueRef<'_> {
                $crate::value::ValueRef::Struct(self)
            }
            fn as_struct_mut(
                &mut self,
            ) -> ::core::option::Option<&mut dyn $crate::value::StructValue> {
                ::core::option::Option::Some(self)
            }
        }
        impl ::core::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::debug::fmt_struct(self, stringify!($ty), f)
            }
        }
    };
}

/// Implements [`Value`], [`MapKey`], `From<String>`, `AsRef<str>`, `Display` and `Default`
/// for a generated string enum, from its `as_str` method and `From<&str>` impl.
#[macro_export]
macro_rules! impl_enum_value {
    ($ty:ident) => {
        impl ::core::convert::From<::std::string::String> for $ty {
            fn from(value: ::std::string::String) -> Self {
                match $ty::from(value.as_str()) {
                    $ty::Unknown(_) => $ty::Unknown(value),
                    known => known,
                }
            }
        }
        impl ::core::convert::AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::core::default::Default for $ty {
            /// An empty `Unknown` value: what an output holds when the service omits it.
            fn default() -> Self {
                $ty::Unknown(::std::string::String::new())
            }
        }
        impl $crate::value::Value for $ty {
            fn get(&self) -> $crate::value::ValueRef<'_> {
                $crate::value::ValueRef::String(self.as_str())
            }
            fn set(
                &mut self,
                value: $crate::value::Scalar,
            ) -> ::core::result::Result<(), $crate::value::ValueError> {
                match value {
                    $crate::value::Scalar::String(s) => {
                        *self = $ty::from(s);
                        ::core::result::Result::Ok(())
                    }
                    other => $crate::value::Value::set(&mut ::std::string::String::new(), other),
                }
            }
        }
        impl $crate::value::MapKey for $ty {
            fn as_key(&self) -> &str {
                self.as_str()
            }
            fn from_key(key: &str) -> Self {
                $ty::from(key)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_reject_out_of_range_values() {
        let mut small = 0i32;
        assert!(small.set(Scalar::Integer(7)).is_ok());
        assert_eq!(small, 7);
        let err = small.set(Scalar::Integer(1 << 40)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot store 1099511627776 in a value of type i32"
        );
        let err = small.set(Scalar::String("x".into())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot store a string in a value of type i32"
        );
    }

    #[test]
    fn lists_and_maps_grow_through_the_dynamic_interface() {
        let mut list: Vec<String> = Vec::new();
        list.push_default().set(Scalar::String("a".into())).unwrap();
        list.push_default().set(Scalar::String("b".into())).unwrap();
        assert_eq!(list, ["a", "b"]);

        let mut map: HashMap<String, i64> = HashMap::new();
        map.entry_default("z").set(Scalar::Integer(1)).unwrap();
        map.entry_default("a").set(Scalar::Integer(2)).unwrap();
        let mut seen = Vec::new();
        map.for_each(&mut |k, v| match v.get() {
            ValueRef::Integer(i) => seen.push((k.to_string(), i)),
            _ => panic!("not an integer"),
        });
        assert_eq!(seen, [("a".to_string(), 2), ("z".to_string(), 1)]);
    }

    #[derive(Clone, PartialEq, Eq, Hash)]
    enum Color {
        Red,
        DarkBlue,
        Unknown(String),
    }
    impl Color {
        fn as_str(&self) -> &str {
            match self {
                Color::Red => "red",
                Color::DarkBlue => "dark-blue",
                Color::Unknown(v) => v,
            }
        }
    }
    impl From<&str> for Color {
        fn from(value: &str) -> Self {
            match value {
                "red" => Color::Red,
                "dark-blue" => Color::DarkBlue,
                other => Color::Unknown(other.to_string()),
            }
        }
    }
    crate::impl_enum_value!(Color);

    #[test]
    fn enums_round_trip_known_and_unknown_values() {
        assert_eq!(Color::from("dark-blue").as_str(), "dark-blue");
        assert!(Color::from("red") == Color::Red);
        assert!(Color::from("teal") == Color::Unknown("teal".into()));
        let mut c = Color::default();
        c.set(Scalar::String("red".into())).unwrap();
        assert!(c == Color::Red);
        assert!(c.set(Scalar::Integer(1)).is_err());
        let mut map: HashMap<Color, String> = HashMap::new();
        map.entry_default("red");
        assert!(map.contains_key(&Color::Red));
    }
}
