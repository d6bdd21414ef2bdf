//! The built-in functions of the specification, with its signatures and jmespath.py's
//! results where the specification leaves them open (Python's numbers: `ceil`, `floor` and
//! integer `sum`/`abs` give integers, `avg` a float; `to_string` writes JSON as Python's
//! `json.dumps(value, separators=(',', ':'))` does).

use super::eval::{Cur, eval};
use super::found::{self, Found, Leaf, Num, Sink, into_elements, into_entries, walk};
use super::parser::{Node, plural};
use super::{ErrorKind, EvalError};
use crate::datetime::DateTime;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt::Write as _;

/// A built-in function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Function {
    Abs,
    Avg,
    Ceil,
    Contains,
    EndsWith,
    Floor,
    Join,
    Keys,
    Length,
    Map,
    Max,
    MaxBy,
    Merge,
    Min,
    MinBy,
    NotNull,
    Reverse,
    Sort,
    SortBy,
    StartsWith,
    Sum,
    ToArray,
    ToNumber,
    ToString,
    Type,
    Values,
}

/// What an argument may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Param {
    Any,
    Number,
    String,
    Array,
    Object,
    /// An array of numbers.
    Numbers,
    /// An array of strings.
    Strings,
    /// An array of numbers or an array of strings.
    Sortable,
    /// An array or a string.
    ArrayOrString,
    /// A string, an array or an object.
    Sized,
    /// An expression reference, `&expr`.
    Expref,
}

impl Param {
    fn describe(self) -> &'static str {
        match self {
            Param::Any => "any value",
            Param::Number => "a number",
            Param::String => "a string",
            Param::Array => "an array",
            Param::Object => "an object",
            Param::Numbers => "an array of numbers",
            Param::Strings => "an array of strings",
            Param::Sortable => "an array of numbers or an array of strings",
            Param::ArrayOrString => "an array or a string",
            Param::Sized => "a string, an array or an object",
            Param::Expref => "an expression reference (`&expr`)",
        }
    }
}

const FUNCTIONS: [(&str, Function); 26] = [
    ("abs", Function::Abs),
    ("avg", Function::Avg),
    ("ceil", Function::Ceil),
    ("contains", Function::Contains),
    ("ends_with", Function::EndsWith),
    ("floor", Function::Floor),
    ("join", Function::Join),
    ("keys", Function::Keys),
    ("length", Function::Length),
    ("map", Function::Map),
    ("max", Function::Max),
    ("max_by", Function::MaxBy),
    ("merge", Function::Merge),
    ("min", Function::Min),
    ("min_by", Function::MinBy),
    ("not_null", Function::NotNull),
    ("reverse", Function::Reverse),
    ("sort", Function::Sort),
    ("sort_by", Function::SortBy),
    ("starts_with", Function::StartsWith),
    ("sum", Function::Sum),
    ("to_array", Function::ToArray),
    ("to_number", Function::ToNumber),
    ("to_string", Function::ToString),
    ("type", Function::Type),
    ("values", Function::Values),
];

impl Function {
    /// The function called `name`.
    pub(super) fn from_name(name: &str) -> Option<Function> {
        FUNCTIONS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    pub(super) fn name(self) -> &'static str {
        FUNCTIONS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }

    /// The parameters, and whether the last one repeats.
    fn signature(self) -> (&'static [Param], bool) {
        use Param::*;
        match self {
            Function::Abs | Function::Ceil | Function::Floor => (&[Number], false),
            Function::Avg | Function::Sum => (&[Numbers], false),
            Function::Contains => (&[ArrayOrString, Any], false),
            Function::EndsWith | Function::StartsWith => (&[String, String], false),
            Function::Join => (&[String, Strings], false),
            Function::Keys | Function::Values => (&[Object], false),
            Function::Length => (&[Sized], false),
            Function::Map => (&[Expref, Array], false),
            Function::Max | Function::Min | Function::Sort => (&[Sortable], false),
            Function::MaxBy | Function::MinBy | Function::SortBy => (&[Array, Expref], false),
            Function::Merge => (&[Object], true),
            Function::NotNull => (&[Any], true),
            Function::Reverse => (&[ArrayOrString], false),
            Function::ToArray | Function::ToNumber | Function::ToString | Function::Type => {
                (&[Any], false)
            }
        }
    }

    /// `Err("1 argument")` (what the function takes) when it cannot be called with `n`
    /// arguments.
    pub(super) fn check_arity(self, n: usize) -> Result<(), String> {
        let (params, variadic) = self.signature();
        match (variadic, n.cmp(&params.len())) {
            (_, Ordering::Equal) | (true, Ordering::Greater) => Ok(()),
            (true, _) => Err(format!("at least {}", plural(params.len(), "argument"))),
            (false, _) => Err(plural(params.len(), "argument")),
        }
    }
}

/// An evaluated argument.
enum Arg<'r, 'a> {
    Value(Cur<'r, 'a>),
    Expref(&'r Node),
}

fn type_error(function: Function, message: String) -> EvalError {
    EvalError::new(
        ErrorKind::InvalidType,
        format!("{}(): {message}", function.name()),
    )
}

/// Calls `function` with `args` evaluated against `cur`.
///
/// The functions that evaluate expression references (`map`, `sort_by`, `min_by`,
/// `max_by`) have small functions of their own, so that the large [`apply`] is never on the
/// stack of a nested evaluation.
#[inline(never)]
pub(super) fn call<'r, 'a>(
    function: Function,
    args: &'r [Node],
    cur: &Cur<'r, 'a>,
) -> Result<Cur<'r, 'a>, EvalError> {
    let (params, _) = function.signature();
    let mut values = Vec::with_capacity(args.len());
    for (i, node) in args.iter().enumerate() {
        let param = params[i.min(params.len() - 1)];
        let arg = match node {
            Node::Expref(inner) => Arg::Expref(inner),
            node => Arg::Value(eval(node, cur)?),
        };
        check(function, i, param, &arg)?;
        values.push(arg);
    }
    match function {
        Function::Map => map(values),
        Function::MaxBy | Function::MinBy | Function::SortBy => by(function, values),
        _ => apply(function, values),
    }
}

/// `map(&expr, array)`: `expr` on each element, nulls kept.
#[inline(never)]
fn map<'r, 'a>(mut args: Vec<Arg<'r, 'a>>) -> Result<Cur<'r, 'a>, EvalError> {
    let expr = expref(&args, 0);
    let mut out = Vec::new();
    for item in list(take(&mut args, 1)) {
        out.push(eval(expr, &item)?.into_owned());
    }
    owned(Found::List(out))
}

/// `sort_by`, `min_by` and `max_by`: `(array, &expr)`.
#[inline(never)]
fn by<'r, 'a>(function: Function, mut args: Vec<Arg<'r, 'a>>) -> Result<Cur<'r, 'a>, EvalError> {
    let expr = expref(&args, 1);
    let items = list(take(&mut args, 0));
    let keys = keys_by(function, &items, expr)?;
    let wanted = match function {
        Function::SortBy => return owned(Found::List(sorted(items, keys))),
        Function::MaxBy => Ordering::Greater,
        _ => Ordering::Less,
    };
    owned(pick(items, &keys, wanted).unwrap_or(Found::Null))
}

/// Checks an argument against its parameter.
fn check(
    function: Function,
    index: usize,
    param: Param,
    arg: &Arg<'_, '_>,
) -> Result<(), EvalError> {
    let fits = match (param, arg) {
        (Param::Expref, Arg::Expref(_)) => true,
        (Param::Expref, Arg::Value(_)) | (_, Arg::Expref(_)) => false,
        (param, Arg::Value(value)) => fits(param, value),
    };
    if fits {
        return Ok(());
    }
    let found = match arg {
        Arg::Expref(_) => "an expression reference".to_owned(),
        Arg::Value(value) => describe(value),
    };
    Err(type_error(
        function,
        format!(
            "argument {} must be {}, found {found}",
            index + 1,
            param.describe()
        ),
    ))
}

/// "a string", "an array containing a boolean", ...
fn describe(value: &Found<'_>) -> String {
    let name = value.type_name();
    if name == "array" {
        let kinds = element_kinds(value);
        if let Some(odd) = kinds.iter().find(|t| **t != "number" && **t != "string") {
            return format!("an array containing {}", article(odd));
        }
        if kinds.contains(&"number") && kinds.contains(&"string") {
            return "an array of numbers and strings".to_owned();
        }
    }
    article(name).to_owned()
}

fn article(type_name: &str) -> &'static str {
    match type_name {
        "null" => "null",
        "boolean" => "a boolean",
        "number" => "a number",
        "string" => "a string",
        "array" => "an array",
        _ => "an object",
    }
}

/// The JMESPath types of the elements of an array (none for anything else).
fn element_kinds(value: &Found<'_>) -> Vec<&'static str> {
    match value {
        Found::List(items) => items.iter().map(Found::type_name).collect(),
        // Typed elements are views, cheap to make.
        other => other
            .as_list()
            .unwrap_or_default()
            .iter()
            .map(Found::type_name)
            .collect(),
    }
}

fn fits(param: Param, value: &Found<'_>) -> bool {
    let kind = value.type_name();
    let all = |wanted: &str| element_kinds(value).iter().all(|k| *k == wanted);
    match param {
        Param::Any => true,
        Param::Number => kind == "number",
        Param::String => kind == "string",
        Param::Array => kind == "array",
        Param::Object => kind == "object",
        Param::ArrayOrString => kind == "array" || kind == "string",
        Param::Sized => matches!(kind, "array" | "string" | "object"),
        Param::Numbers => kind == "array" && all("number"),
        Param::Strings => kind == "array" && all("string"),
        Param::Sortable => kind == "array" && (all("number") || all("string")),
        Param::Expref => false,
    }
}

fn owned<'r, 'a>(value: Found<'a>) -> Result<Cur<'r, 'a>, EvalError> {
    Ok(Cow::Owned(value))
}

/// The value of argument `i` (checked to be a value, not an expression reference).
fn take<'r, 'a>(args: &mut [Arg<'r, 'a>], i: usize) -> Cur<'r, 'a> {
    match std::mem::replace(&mut args[i], Arg::Value(Cow::Owned(Found::Null))) {
        Arg::Value(value) => value,
        Arg::Expref(_) => Cow::Owned(Found::Null),
    }
}

fn expref<'r>(args: &[Arg<'r, '_>], i: usize) -> &'r Node {
    match args[i] {
        Arg::Expref(node) => node,
        Arg::Value(_) => &Node::Current,
    }
}

fn list<'r, 'a>(value: Cur<'r, 'a>) -> Vec<Cur<'r, 'a>> {
    into_elements(value).unwrap_or_default()
}

/// The functions that evaluate nothing further.
#[inline(never)]
fn apply<'r, 'a>(function: Function, mut args: Vec<Arg<'r, 'a>>) -> Result<Cur<'r, 'a>, EvalError> {
    let number = |value: &Found<'_>| value.number().unwrap_or(Num::Int(0));
    match function {
        Function::Abs => owned(match number(&take(&mut args, 0)) {
            Num::Int(i) => i
                .checked_abs()
                .map_or(Found::Float((i as f64).abs()), Found::Integer),
            Num::Float(f) => Found::Float(f.abs()),
        }),
        Function::Avg => {
            let items = list(take(&mut args, 0));
            if items.is_empty() {
                return owned(Found::Null);
            }
            let total: f64 = items.iter().map(|v| number(v).to_f64()).sum();
            owned(Found::Float(total / items.len() as f64))
        }
        Function::Ceil | Function::Floor => owned(match number(&take(&mut args, 0)) {
            Num::Int(i) => Found::Integer(i),
            Num::Float(f) => {
                let whole = if function == Function::Ceil {
                    f.ceil()
                } else {
                    f.floor()
                };
                whole_number(whole)
            }
        }),
        Function::Contains => {
            let subject = take(&mut args, 0);
            let search = take(&mut args, 1);
            let found = if subject.type_name() == "array" {
                list(subject)
                    .into_iter()
                    .any(|item| found::equal(item, Cow::Borrowed(&*search)))
            } else {
                match (subject.as_str(), search.as_str()) {
                    (Some(s), Some(needle)) if search.type_name() == "string" => {
                        s.contains(&*needle)
                    }
                    _ => false,
                }
            };
            owned(Found::Bool(found))
        }
        Function::EndsWith | Function::StartsWith => {
            let subject = take(&mut args, 0);
            let affix = take(&mut args, 1);
            let (subject, affix) = (
                subject.as_str().unwrap_or_default(),
                affix.as_str().unwrap_or_default(),
            );
            owned(Found::Bool(if function == Function::EndsWith {
                subject.ends_with(&*affix)
            } else {
                subject.starts_with(&*affix)
            }))
        }
        Function::Join => {
            let separator = take(&mut args, 0);
            let separator = separator.as_str().unwrap_or_default();
            let parts: Vec<String> = list(take(&mut args, 1))
                .iter()
                .map(|v| v.as_str().unwrap_or_default().into_owned())
                .collect();
            owned(Found::String(Cow::Owned(parts.join(&*separator))))
        }
        Function::Keys => owned(Found::List(
            into_entries(take(&mut args, 0))
                .unwrap_or_default()
                .into_iter()
                .map(|(k, _)| Found::String(Cow::Owned(k.into_owned())))
                .collect(),
        )),
        Function::Values => owned(Found::List(
            into_entries(take(&mut args, 0))
                .unwrap_or_default()
                .into_iter()
                .map(|(_, v)| v.into_owned())
                .collect(),
        )),
        Function::Length => {
            let length = take(&mut args, 0).length().unwrap_or(0);
            owned(Found::Integer(i64::try_from(length).unwrap_or(i64::MAX)))
        }
        Function::Max | Function::Min => {
            let items = list(take(&mut args, 0));
            let keys = items.iter().map(|v| key(v)).collect::<Vec<_>>();
            let wanted = if function == Function::Max {
                Ordering::Greater
            } else {
                Ordering::Less
            };
            owned(pick(items, &keys, wanted).unwrap_or(Found::Null))
        }
        Function::Sort => {
            let items = list(take(&mut args, 0));
            let keys = items.iter().map(|v| key(v)).collect();
            owned(Found::List(sorted(items, keys)))
        }
        Function::Merge => {
            let mut merged: Vec<(Cow<'a, str>, Found<'a>)> = Vec::new();
            for i in 0..args.len() {
                for (k, v) in into_entries(take(&mut args, i)).unwrap_or_default() {
                    let v = v.into_owned();
                    match merged.iter_mut().find(|(existing, _)| *existing == *k) {
                        Some(entry) => entry.1 = v,
                        None => merged.push((Cow::Owned(k.into_owned()), v)),
                    }
                }
            }
            owned(Found::Object(merged))
        }
        Function::NotNull => {
            for i in 0..args.len() {
                let value = take(&mut args, i);
                if !value.is_null() {
                    return Ok(value);
                }
            }
            owned(Found::Null)
        }
        Function::Reverse => {
            let value = take(&mut args, 0);
            if value.type_name() == "array" {
                let mut items: Vec<Found<'a>> =
                    list(value).into_iter().map(Cow::into_owned).collect();
                items.reverse();
                owned(Found::List(items))
            } else {
                let text: String = value.as_str().unwrap_or_default().chars().rev().collect();
                owned(Found::String(Cow::Owned(text)))
            }
        }
        Function::Sum => {
            let mut total = Num::Int(0);
            for item in list(take(&mut args, 0)) {
                total = match (total, number(&item)) {
                    (Num::Int(a), Num::Int(b)) => a
                        .checked_add(b)
                        .map_or(Num::Float(a as f64 + b as f64), Num::Int),
                    (a, b) => Num::Float(a.to_f64() + b.to_f64()),
                };
            }
            owned(total.found())
        }
        Function::ToArray => {
            let value = take(&mut args, 0);
            if value.type_name() == "array" {
                Ok(value)
            } else {
                owned(Found::List(vec![value.into_owned()]))
            }
        }
        Function::ToNumber => {
            let value = take(&mut args, 0);
            if value.number().is_some() {
                return Ok(value);
            }
            let parsed = match value.type_name() {
                "string" => value.as_str().and_then(|s| parse_number(&s)),
                _ => None,
            };
            owned(parsed.map_or(Found::Null, Num::found))
        }
        Function::ToString => {
            let value = take(&mut args, 0);
            if value.type_name() == "string" {
                let text = value.as_str().unwrap_or_default().into_owned();
                return owned(Found::String(Cow::Owned(text)));
            }
            let mut dump = PythonJson::default();
            walk(value, &mut dump);
            owned(Found::String(Cow::Owned(dump.out)))
        }
        Function::Type => owned(Found::String(Cow::Borrowed(take(&mut args, 0).type_name()))),
        // `call` calls these directly.
        Function::Map => map(args),
        Function::MaxBy | Function::MinBy | Function::SortBy => by(function, args),
    }
}

/// A whole float as Python's `math.ceil`/`math.floor` return it: an integer.
fn whole_number(whole: f64) -> Found<'static> {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if (-LIMIT..LIMIT).contains(&whole) {
        Found::Integer(whole as i64)
    } else {
        Found::Float(whole)
    }
}

/// A string as `to_number` reads it: an integer if it is one, else a float, else nothing.
fn parse_number(text: &str) -> Option<Num> {
    let text = text.trim();
    if let Ok(i) = text.parse::<i64>() {
        return Some(Num::Int(i));
    }
    text.parse::<f64>().ok().map(Num::Float)
}

/// A sort key: a number or a string (a timestamp is a string that orders as an instant).
enum Key {
    Num(Num),
    Time(DateTime),
    Str(String),
    /// Neither; never compared (type checks come first).
    Other(&'static str),
}

impl Key {
    fn kind(&self) -> &'static str {
        match self {
            Key::Num(_) => "number",
            Key::Time(_) | Key::Str(_) => "string",
            Key::Other(kind) => kind,
        }
    }

    fn order(&self, other: &Key) -> Ordering {
        match (self, other) {
            (Key::Num(a), Key::Num(b)) => a.compare(*b).unwrap_or(Ordering::Equal),
            (Key::Time(a), Key::Time(b)) => a.cmp(b),
            (Key::Time(a), Key::Str(b)) => found::isoformat(*a).as_str().cmp(b.as_str()),
            (Key::Str(a), Key::Time(b)) => a.as_str().cmp(found::isoformat(*b).as_str()),
            (Key::Str(a), Key::Str(b)) => a.cmp(b),
            _ => Ordering::Equal,
        }
    }
}

fn key(value: &Found<'_>) -> Key {
    if let Some(n) = value.number() {
        Key::Num(n)
    } else if let Some(t) = value.timestamp() {
        Key::Time(t)
    } else if let Some(s) = value.as_str() {
        Key::Str(s.into_owned())
    } else {
        Key::Other(value.type_name())
    }
}

/// The keys `expr` gives for `items`: all numbers or all strings.
fn keys_by(function: Function, items: &[Cur<'_, '_>], expr: &Node) -> Result<Vec<Key>, EvalError> {
    let mut keys: Vec<Key> = Vec::with_capacity(items.len());
    for item in items {
        let value = eval(expr, item)?;
        let key = key(&value);
        let expected = keys.first().map_or("number or string", Key::kind);
        let fits = match expected {
            "number or string" => matches!(key.kind(), "number" | "string"),
            expected => key.kind() == expected,
        };
        if !fits {
            return Err(type_error(
                function,
                format!(
                    "the expression must give {} for every element, found {}",
                    match expected {
                        "number" => "a number",
                        "string" => "a string",
                        _ => "a number or a string",
                    },
                    describe(&value)
                ),
            ));
        }
        keys.push(key);
    }
    Ok(keys)
}

/// The first item whose key is the greatest (or least).
fn pick<'a>(items: Vec<Cur<'_, 'a>>, keys: &[Key], wanted: Ordering) -> Option<Found<'a>> {
    let mut best = 0;
    for i in 1..keys.len() {
        if keys[i].order(&keys[best]) == wanted {
            best = i;
        }
    }
    items.into_iter().nth(best).map(Cow::into_owned)
}

/// `items` stably sorted by `keys`.
fn sorted<'a>(items: Vec<Cur<'_, 'a>>, keys: Vec<Key>) -> Vec<Found<'a>> {
    let mut pairs: Vec<(Key, Cur<'_, 'a>)> = keys.into_iter().zip(items).collect();
    pairs.sort_by(|a, b| a.0.order(&b.0));
    pairs.into_iter().map(|(_, v)| v.into_owned()).collect()
}

/// Writes JSON as Python's `json.dumps(value, separators=(',', ':'))` does: non-ASCII
/// characters escaped (`ensure_ascii`), floats as Python's `repr`.
#[derive(Default)]
struct PythonJson {
    out: String,
    /// Per open container: whether an element was written.
    open: Vec<bool>,
    after_key: bool,
}

impl PythonJson {
    fn separate(&mut self) {
        if std::mem::take(&mut self.after_key) {
            return;
        }
        if let Some(written) = self.open.last_mut() {
            if *written {
                self.out.push(',');
            }
            *written = true;
        }
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                ' '..='~' => self.out.push(c),
                c => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        let _ = write!(self.out, "\\u{unit:04x}");
                    }
                }
            }
        }
        self.out.push('"');
    }
}

impl Sink for PythonJson {
    fn leaf(&mut self, leaf: Leaf<'_>) {
        self.separate();
        match leaf {
            Leaf::Null => self.out.push_str("null"),
            Leaf::Bool(b) => self.out.push_str(if b { "true" } else { "false" }),
            Leaf::Num(Num::Int(i)) => {
                let _ = write!(self.out, "{i}");
            }
            Leaf::Num(Num::Float(f)) => self.out.push_str(&python_float(f)),
            Leaf::Str(s) => self.string(&s),
            Leaf::Time(t) => self.string(&found::isoformat(t)),
        }
    }
    fn open_array(&mut self, _len: usize) {
        self.separate();
        self.out.push('[');
        self.open.push(false);
    }
    fn close_array(&mut self) {
        self.open.pop();
        self.out.push(']');
    }
    fn open_object(&mut self, _len: usize) {
        self.separate();
        self.out.push('{');
        self.open.push(false);
    }
    fn key(&mut self, key: &str) {
        self.separate();
        self.string(key);
        self.out.push(':');
        self.after_key = true;
    }
    fn close_object(&mut self) {
        self.open.pop();
        self.out.push('}');
    }
}

/// A float as Python's `repr` writes it: the shortest digits that read back, in positional
/// notation from 1e-4 up to 1e16 (with `.0` when whole), else as `1e+16`, `1.5e-05`.
fn python_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    // `{:e}` writes the shortest round-trip digits: `-1.2345e-7`.
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    // The decimal point sits after `point` digits.
    let point = exponent + 1;
    let n = digits.len() as i32;
    if !(-4 < point && point <= 16) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{fraction}e{exp_sign}{:02}", exponent.abs());
    }
    if point <= 0 {
        format!(
            "{sign}0.{}{digits}",
            "0".repeat(point.unsigned_abs() as usize)
        )
    } else if point < n {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{sign}{whole}.{fraction}")
    } else {
        format!("{sign}{digits}{}.0", "0".repeat((point - n) as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_python_repr() {
        for (f, text) in [
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.5, "0.5"),
            (1.5e16, "1.5e+16"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123.456, "123.456"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-1.25e-7, "-1.25e-07"),
            (1.2345678901234567e300, "1.2345678901234567e+300"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ] {
            assert_eq!(python_float(f), text, "{f:e}");
        }
    }

    #[test]
    fn strings_are_escaped_as_python_ensure_ascii() {
        let mut dump = PythonJson::default();
        dump.string("a\"\\\n\u{1}é𝄞~\u{7f}");
        assert_eq!(dump.out, r#""a\"\\\n\u0001\u00e9\ud834\udd1e~\u007f""#);
    }

    #[test]
    fn every_function_has_a_name_and_a_signature() {
        for (name, function) in FUNCTIONS {
            assert_eq!(Function::from_name(name), Some(function));
            assert_eq!(function.name(), name);
            assert!(!function.signature().0.is_empty());
        }
        assert_eq!(Function::from_name("nope"), None);
        assert_eq!(Function::Merge.check_arity(3), Ok(()));
        assert_eq!(
            Function::Merge.check_arity(0),
            Err("at least 1 argument".to_owned())
        );
        assert_eq!(Function::Join.check_arity(1), Err("2 arguments".to_owned()));
    }
}
