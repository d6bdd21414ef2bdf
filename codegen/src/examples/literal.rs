//! Typed literals: a JSON value of an example, read through the shape it documents, as the
//! tokens of a Rust expression of that shape's type.
//!
//! Every name comes from the IR (type names, field names, variants), never derived here.
//! A value that does not fit its shape is a [`Problem`]: the example is left out. Values
//! that fit once converted without loss (a number given as a string, `"true"` for a
//! boolean, a timestamp without its time zone) are converted and counted.

use super::LeftOut;
use crate::ir::{Member, Service, Shape};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::Value;
use std::collections::{BTreeSet, HashSet};
use stratus_runtime::datetime::{DateTime, TimestampFormat};
use stratus_runtime::schema::ShapeType;

/// Why a value could not be written, and where in the example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub reason: LeftOut,
    /// The path to the value, `Filters[0].Values` (empty for the whole input).
    pub at: String,
}

/// Builds the expressions of one example, noting what they name.
pub struct LiteralBuilder<'a> {
    svc: &'a Service,
    /// Runtime and standard items that a type of this crate shadows: written with their
    /// full path instead of imported.
    shadowed: &'a HashSet<&'static str>,
    /// The crate's types the expressions name, to import.
    pub types: BTreeSet<String>,
    /// Items of `stratus_runtime` and `std` the expressions name, to import.
    pub imports: BTreeSet<RuntimeItem>,
    /// Whether an expression uses `?` (parsing a timestamp).
    pub fallible: bool,
    /// How many values were converted to fit their shape.
    pub conversions: usize,
    path: Vec<String>,
}

/// An item outside the service's crate that example code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuntimeItem {
    Blob,
    ByteStream,
    DateTime,
    Document,
    TimestampFormat,
    SdkError,
    HashMap,
    BTreeMap,
}

impl RuntimeItem {
    /// Every item, for the check of which ones a crate's types shadow.
    pub const ALL: [RuntimeItem; 8] = [
        RuntimeItem::Blob,
        RuntimeItem::ByteStream,
        RuntimeItem::DateTime,
        RuntimeItem::Document,
        RuntimeItem::TimestampFormat,
        RuntimeItem::SdkError,
        RuntimeItem::HashMap,
        RuntimeItem::BTreeMap,
    ];

    /// The item's name, as imported.
    pub fn name(self) -> &'static str {
        match self {
            RuntimeItem::Blob => "Blob",
            RuntimeItem::ByteStream => "ByteStream",
            RuntimeItem::DateTime => "DateTime",
            RuntimeItem::Document => "Document",
            RuntimeItem::TimestampFormat => "TimestampFormat",
            RuntimeItem::SdkError => "SdkError",
            RuntimeItem::HashMap => "HashMap",
            RuntimeItem::BTreeMap => "BTreeMap",
        }
    }

    /// The module path the item is imported from (`stratus_runtime::datetime`).
    pub fn module(self) -> TokenStream {
        match self {
            RuntimeItem::HashMap | RuntimeItem::BTreeMap => quote!(std::collections),
            RuntimeItem::TimestampFormat => quote!(stratus_runtime::datetime),
            _ => quote!(stratus_runtime),
        }
    }
}

impl<'a> LiteralBuilder<'a> {
    pub fn new(svc: &'a Service, shadowed: &'a HashSet<&'static str>) -> Self {
        LiteralBuilder {
            svc,
            shadowed,
            types: BTreeSet::new(),
            imports: BTreeSet::new(),
            fallible: false,
            conversions: 0,
            path: Vec::new(),
        }
    }

    /// The value of an operation's input: `type_name` (its input type or alias) built from
    /// the example's `input` object.
    pub fn input(
        &mut self,
        shape: &Shape,
        type_name: &str,
        json: Option<&Value>,
    ) -> Result<TokenStream, Problem> {
        let empty = serde_json::Map::new();
        let fields = match json {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(fields)) => fields,
            Some(_) => return Err(self.problem(LeftOut::WrongType)),
        };
        self.structure(shape, type_name, fields)
    }

    /// A name of this crate's, imported.
    fn crate_type(&mut self, name: &str) -> TokenStream {
        self.types.insert(name.to_string());
        let ident = ident(name);
        quote!(#ident)
    }

    /// A runtime or `std` item: imported, or by its full path where a type of the crate
    /// takes its name.
    pub fn item(&mut self, item: RuntimeItem) -> TokenStream {
        let name = ident(item.name());
        if self.shadowed.contains(item.name()) {
            let module = item.module();
            quote!(#module::#name)
        } else {
            self.imports.insert(item);
            quote!(#name)
        }
    }

    fn problem(&self, reason: LeftOut) -> Problem {
        Problem {
            reason,
            at: self.path.concat(),
        }
    }

    fn structure(
        &mut self,
        shape: &Shape,
        type_name: &str,
        fields: &serde_json::Map<String, Value>,
    ) -> Result<TokenStream, Problem> {
        let ty = self.crate_type(type_name);
        let mut values = Vec::new();
        for (name, json) in fields {
            self.path.push(if self.path.is_empty() {
                name.clone()
            } else {
                format!(".{name}")
            });
            let Some(member) = shape.members.iter().find(|m| m.name == *name) else {
                return Err(self.problem(LeftOut::UnknownMember));
            };
            if json.is_null() {
                self.path.pop();
                continue;
            }
            let mut value = self.member_value(member, json)?;
            self.path.pop();
            if member.boxed {
                value = quote!(Box::new(#value));
            }
            if member.optional() {
                value = quote!(Some(#value));
            }
            let field = ident(&member.rust_name);
            values.push(quote!(#field: #value));
        }
        if values.is_empty() {
            return Ok(quote!(#ty::default()));
        }
        let rest = if values.len() < shape.members.len() {
            quote!(..Default::default())
        } else {
            quote!()
        };
        Ok(quote!(#ty { #(#values,)* #rest }))
    }

    /// The value of a member: its target's, except that a streaming blob is a `ByteStream`.
    fn member_value(&mut self, member: &Member, json: &Value) -> Result<TokenStream, Problem> {
        let target = self.svc.shape(&member.target);
        let streams = target.schema_type == ShapeType::Blob
            && (member.reference.streaming || target.model.streaming);
        if streams {
            let Value::String(text) = json else {
                return Err(self.problem(LeftOut::WrongType));
            };
            let byte_stream = self.item(RuntimeItem::ByteStream);
            return Ok(quote!(#byte_stream::from(#text)));
        }
        self.value(target, json)
    }

    /// The value of shape `shape`.
    fn value(&mut self, shape: &Shape, json: &Value) -> Result<TokenStream, Problem> {
        match shape.schema_type {
            ShapeType::Structure => {
                let Value::Object(fields) = json else {
                    return Err(self.problem(LeftOut::WrongType));
                };
                let name = self.type_name(shape)?;
                self.structure(shape, &name, fields)
            }
            ShapeType::Union => self.union(shape, json),
            ShapeType::Enum => {
                let name = self.type_name(shape)?;
                let text = self.text(json)?;
                let Some(variant) = self.variant(shape, &text) else {
                    return Err(self.problem(LeftOut::NotInEnum));
                };
                let ty = self.crate_type(&name);
                let variant = ident(variant);
                Ok(quote!(#ty::#variant))
            }
            ShapeType::String | ShapeType::BigInteger | ShapeType::BigDecimal => {
                let text = self.text(json)?;
                Ok(quote!(#text.into()))
            }
            ShapeType::Boolean => match json {
                Value::Bool(b) => Ok(quote!(#b)),
                Value::String(s) if s.eq_ignore_ascii_case("true") => {
                    self.conversions += 1;
                    Ok(quote!(true))
                }
                Value::String(s) if s.eq_ignore_ascii_case("false") => {
                    self.conversions += 1;
                    Ok(quote!(false))
                }
                _ => Err(self.problem(LeftOut::WrongType)),
            },
            ShapeType::Byte => self.integer(json, i8::MIN.into(), i8::MAX.into()),
            ShapeType::Short => self.integer(json, i16::MIN.into(), i16::MAX.into()),
            ShapeType::Integer => self.integer(json, i32::MIN.into(), i32::MAX.into()),
            ShapeType::Long => self.integer(json, i64::MIN, i64::MAX),
            ShapeType::Float => self.float(json, true),
            ShapeType::Double => self.float(json, false),
            ShapeType::Timestamp => self.timestamp(json),
            ShapeType::Blob => {
                let Value::String(text) = json else {
                    return Err(self.problem(LeftOut::WrongType));
                };
                let blob = self.item(RuntimeItem::Blob);
                Ok(quote!(#blob::from(#text)))
            }
            ShapeType::Document => Ok(self.document(json)),
            ShapeType::List => {
                let Value::Array(items) = json else {
                    return Err(self.problem(LeftOut::WrongType));
                };
                let element = self.svc.shape(&shape.members[0].target);
                let mut values = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    self.path.push(format!("[{i}]"));
                    let value = self.element(element, shape.model.sparse, item)?;
                    self.path.pop();
                    values.push(value);
                }
                // prettyplease leaves the insides of macros as they are: the elements are
                // laid out as the arguments of a call, which `lay_out` turns into `vec!`.
                let vec = ident(super::VEC_PLACEHOLDER);
                Ok(quote!(#vec(#(#values),*)))
            }
            ShapeType::Map => {
                let Value::Object(entries) = json else {
                    return Err(self.problem(LeftOut::WrongType));
                };
                let hash_map = self.item(RuntimeItem::HashMap);
                if entries.is_empty() {
                    return Ok(quote!(#hash_map::new()));
                }
                let key_shape = self.svc.shape(&shape.members[0].target);
                let value_shape = self.svc.shape(&shape.members[1].target);
                let mut pairs = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    self.path.push(format!("[{key:?}]"));
                    let key = if key_shape.schema_type == ShapeType::Enum {
                        self.value(key_shape, &Value::String(key.clone()))?
                    } else {
                        quote!(#key.into())
                    };
                    let value = self.element(value_shape, shape.model.sparse, value)?;
                    self.path.pop();
                    pairs.push(quote!((#key, #value)));
                }
                Ok(quote!(#hash_map::from([#(#pairs),*])))
            }
        }
    }

    /// A list element or map value: `Some`/`None` in sparse collections.
    fn element(
        &mut self,
        shape: &Shape,
        sparse: bool,
        json: &Value,
    ) -> Result<TokenStream, Problem> {
        match (sparse, json) {
            (true, Value::Null) => Ok(quote!(None)),
            (false, Value::Null) => Err(self.problem(LeftOut::WrongType)),
            (true, json) => {
                let value = self.value(shape, json)?;
                Ok(quote!(Some(#value)))
            }
            (false, json) => self.value(shape, json),
        }
    }

    fn union(&mut self, shape: &Shape, json: &Value) -> Result<TokenStream, Problem> {
        let Value::Object(fields) = json else {
            return Err(self.problem(LeftOut::WrongType));
        };
        let mut set = fields.iter().filter(|(_, v)| !v.is_null());
        let (Some((name, value)), None) = (set.next(), set.next()) else {
            return Err(self.problem(LeftOut::NotOneUnionMember));
        };
        let Some(member) = shape.members.iter().find(|m| m.name == *name) else {
            self.path.push(format!(".{name}"));
            return Err(self.problem(LeftOut::UnknownMember));
        };
        let ty_name = self.type_name(shape)?;
        self.path.push(format!(".{name}"));
        let mut value = self.member_value(member, value)?;
        self.path.pop();
        if member.boxed {
            value = quote!(Box::new(#value));
        }
        let ty = self.crate_type(&ty_name);
        let variant = ident(&member.rust_name);
        Ok(quote!(#ty::#variant(#value)))
    }

    /// The variant of an enum's value: the value itself, else the one value that differs
    /// only in case or surrounding spaces (converted).
    fn variant<'s>(&mut self, shape: &'s Shape, text: &str) -> Option<&'s str> {
        if let Some((variant, _)) = shape.variants.iter().find(|(_, v)| v == text) {
            return Some(variant);
        }
        let mut close = shape
            .variants
            .iter()
            .filter(|(_, v)| v.eq_ignore_ascii_case(text.trim()));
        match (close.next(), close.next()) {
            (Some((variant, _)), None) => {
                self.conversions += 1;
                Some(variant)
            }
            _ => None,
        }
    }

    fn type_name(&self, shape: &Shape) -> Result<String, Problem> {
        shape
            .type_name
            .clone()
            .ok_or_else(|| self.problem(LeftOut::WrongType))
    }

    /// The text of a string value; a number or boolean where text belongs is converted.
    fn text(&mut self, json: &Value) -> Result<String, Problem> {
        match json {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => {
                self.conversions += 1;
                Ok(n.to_string())
            }
            Value::Bool(b) => {
                self.conversions += 1;
                Ok(b.to_string())
            }
            _ => Err(self.problem(LeftOut::WrongType)),
        }
    }

    fn integer(&mut self, json: &Value, min: i64, max: i64) -> Result<TokenStream, Problem> {
        let value: i128 = match json {
            Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => i.into(),
                (None, Some(u), _) => u.into(),
                (None, None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e19 => {
                    self.conversions += 1;
                    f as i128
                }
                _ => return Err(self.problem(LeftOut::WrongType)),
            },
            Value::String(s) => match s.trim().parse::<i128>() {
                Ok(i) => {
                    self.conversions += 1;
                    i
                }
                Err(_) => return Err(self.problem(LeftOut::WrongType)),
            },
            _ => return Err(self.problem(LeftOut::WrongType)),
        };
        if value < min.into() || value > max.into() {
            return Err(self.problem(LeftOut::OutOfRange));
        }
        let literal = Literal::u128_unsuffixed(value.unsigned_abs());
        Ok(if value < 0 {
            quote!(-#literal)
        } else {
            quote!(#literal)
        })
    }

    fn float(&mut self, json: &Value, single: bool) -> Result<TokenStream, Problem> {
        let value = match json {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => {
                let parsed = s.trim().parse::<f64>().ok();
                if parsed.is_some() {
                    self.conversions += 1;
                }
                parsed
            }
            _ => None,
        };
        let Some(value) = value.filter(|v| v.is_finite()) else {
            return Err(self.problem(LeftOut::WrongType));
        };
        if single && value.abs() > f64::from(f32::MAX) {
            return Err(self.problem(LeftOut::OutOfRange));
        }
        let literal = if single {
            Literal::f32_unsuffixed(value.abs() as f32)
        } else {
            Literal::f64_unsuffixed(value.abs())
        };
        Ok(if value < 0.0 {
            quote!(-#literal)
        } else {
            quote!(#literal)
        })
    }

    /// A timestamp: epoch seconds as `DateTime::from_secs`, text as `DateTime::parse` of its
    /// RFC 3339 form (text in another form that reads as an instant is rewritten in it).
    fn timestamp(&mut self, json: &Value) -> Result<TokenStream, Problem> {
        let date_time = self.item(RuntimeItem::DateTime);
        if let Value::Number(n) = json {
            if let Some(seconds) = n.as_i64() {
                let literal = Literal::u64_unsuffixed(seconds.unsigned_abs());
                let seconds = if seconds < 0 {
                    quote!(-#literal)
                } else {
                    quote!(#literal)
                };
                return Ok(quote!(#date_time::from_secs(#seconds)));
            }
            let seconds = n.as_f64().filter(|f| f.is_finite() && *f >= 0.0);
            let Some(seconds) = seconds else {
                return Err(self.problem(LeftOut::BadTimestamp));
            };
            let literal = Literal::f64_unsuffixed(seconds);
            return Ok(quote!(#date_time::from_secs_f64(#literal)));
        }
        let Value::String(text) = json else {
            return Err(self.problem(LeftOut::WrongType));
        };
        let Some(parsed) = parse_timestamp(text) else {
            return Err(self.problem(LeftOut::BadTimestamp));
        };
        let canonical = parsed.format(TimestampFormat::DateTime);
        if canonical != *text {
            self.conversions += 1;
        }
        let format = self.item(RuntimeItem::TimestampFormat);
        self.fallible = true;
        Ok(quote!(#date_time::parse(#canonical, #format::DateTime)?))
    }

    /// A `Document` of any JSON value.
    fn document(&mut self, json: &Value) -> TokenStream {
        let document = self.item(RuntimeItem::Document);
        match json {
            Value::Null => quote!(#document::Null),
            Value::Bool(b) => quote!(#document::from(#b)),
            Value::Number(n) => {
                let literal = if let Some(u) = n.as_u64() {
                    Literal::u64_suffixed(u)
                } else if let Some(i) = n.as_i64() {
                    // Negative: `-` then the magnitude, as a token stream has it.
                    // Digits and a suffix always lex as one literal; the default is never used.
                    let magnitude = format!("{}i64", i.unsigned_abs());
                    let magnitude: TokenStream = magnitude.parse().unwrap_or_default();
                    return quote!(#document::from(-#magnitude));
                } else {
                    Literal::f64_suffixed(n.as_f64().unwrap_or_default())
                };
                quote!(#document::from(#literal))
            }
            Value::String(s) => quote!(#document::from(#s)),
            Value::Array(items) => {
                let items: Vec<TokenStream> = items.iter().map(|i| self.document(i)).collect();
                let vec = ident(super::VEC_PLACEHOLDER);
                quote!(#document::from(#vec(#(#items),*)))
            }
            Value::Object(fields) => {
                let btree_map = self.item(RuntimeItem::BTreeMap);
                let pairs: Vec<TokenStream> = fields
                    .iter()
                    .map(|(k, v)| {
                        let v = self.document(v);
                        quote!((#k.to_owned(), #v))
                    })
                    .collect();
                quote!(#document::from(#btree_map::from([#(#pairs),*])))
            }
        }
    }
}

/// An identifier of generated code, raw (`r#type`) where the IR made it so.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Reads an example's timestamp text: RFC 3339, or the same without its time zone (taken
/// as UTC), a date alone (midnight UTC), an HTTP date, or epoch seconds.
fn parse_timestamp(text: &str) -> Option<DateTime> {
    let text = text.trim();
    let candidates = [
        text.to_string(),
        format!("{text}Z"),
        format!("{}Z", text.replacen(' ', "T", 1)),
        format!("{text}T00:00:00Z"),
        // Minutes without seconds: `2016-09-27T15:50Z`.
        format!("{}:00Z", text.trim_end_matches('Z')),
    ];
    candidates
        .iter()
        .find_map(|c| DateTime::parse(c, TimestampFormat::DateTime).ok())
        .or_else(|| DateTime::parse(text, TimestampFormat::HttpDate).ok())
        .or_else(|| DateTime::parse(text, TimestampFormat::EpochSeconds).ok())
}
