//! The text a generated crate embeds for its endpoint rule set, and its decoder.
//!
//! `stratus-codegen` compiles `endpoint-rule-set-1.json` into this format (validating it on
//! the way); [`RuleSet::decode`](super::RuleSet::decode) reads it back without any JSON
//! parsing. It is plain UTF-8 text, one record per line, so that it embeds as a single
//! string literal (fast for rustc, however large the rule set) and a regenerated crate's
//! diff shows which records changed.
//!
//! # Format
//!
//! The first line is [`HEADER`]. Every following line is one record; records of a kind are
//! numbered from 0 in order of appearance, and refer only to records that come before them
//! (so a decoded rule set has no cycles). The kinds must appear in this order:
//!
//! | record | meaning |
//! |---|---|
//! | `"`*text* | a string, [escaped](escape_string) (strings are interned: each occurs once) |
//! | `p` *name* *kind* *required* *builtIn* *default* | a parameter: *name* a string id, *kind* `string`, `boolean` or `stringArray`, *required* `0` or `1`, *builtIn* a name such as `AWS::Region` or `-`, *default* `-`, `true`, `false`, `s`*string-id*, or `a` followed by comma-separated string ids |
//! | `a` *name* | a name assigned by some condition (*name* a string id) |
//! | `e s` *string* | expression: a literal string |
//! | `e t` *part*… | expression: a template; each part is `s`*string-id* (literal text) or `e`*expression-id* (a value) |
//! | `e b true` / `e b false` | expression: a literal boolean |
//! | `e i` *n* | expression: a literal non-negative integer |
//! | `e r` *slot* | expression: a reference to a slot |
//! | `e g` *expression* *path* *slot*\|`-` | expression: `getAttr`; *path* is `attr`, `attr[n]` or `[n]`; the slot its result is assigned to |
//! | `e f` *function* *slot*\|`-` *expression*… | expression: a call of a [`Function`] by name, the slot its result is assigned to, and its arguments |
//! | `v z`, `v b true`, `v b false`, `v n` *number* | property value: null, a boolean, a JSON number |
//! | `v s` *expression* | property value: a string (a literal or template expression) |
//! | `v a` *value*… / `v o` *key*`=`*value*… | property value: an array, an object (*key* a string id) |
//! | `r tree` *condition*… `\|` *rule*… | rule: sub-rules tried in order when every condition holds |
//! | `r endpoint` *condition*… `\|` *url* `\|` *header*… `\|` *properties*\|`-` | rule: an endpoint; a header is *name*`=`*expression*`,`*expression*… |
//! | `r error` *condition*… `\|` *message* | rule: an error |
//! | `R` *rule*… | the top-level rules; the last line |
//!
//! Conditions, URLs, header values and messages are expression ids; slots number the
//! parameters first, then the assigned names. Fields are separated by one space.
//!
//! Records may share sub-trees (codegen writes an identical sub-tree once). Decoding lays
//! the rules out for evaluation with each shared rule at every place it occurs, and builds
//! each endpoint's properties the same way, so it bounds both: the top-level rules may hold
//! at most 131,072 rules and a property value 4,096 values, shared ones counted at each
//! place (S3's rules hold 389, real properties about 10).

use std::fmt;

use super::params::{BuiltIn, ParamKind, ParamSpec, ParamValue};
use super::rules::{Attribute, Cond, Expr, Function, Header, Id, Part, Prop, Rule, RuleSet, Span};
use crate::document::Number;

/// The first line of every encoded rule set; its number changes with the format.
pub const HEADER: &str = "stratus-endpoint-rules 1";

/// The deepest nesting of expressions a rule set may have (real ones nest 3 deep).
const MAX_EXPR_DEPTH: u16 = 32;
/// The deepest nesting of property values (real ones nest 4 deep).
const MAX_PROP_DEPTH: u16 = 32;
/// The deepest nesting of tree rules (S3's nest 18 deep).
const MAX_RULE_DEPTH: u16 = 128;
/// The most rules the top-level rules may hold once shared sub-trees are counted at each
/// place they occur (S3's hold 389): what evaluation lays out.
const MAX_RULE_NODES: u32 = 1 << 17;
/// The most values a property value may hold, shared ones counted at each place (real ones
/// hold about 10).
const MAX_PROP_NODES: u32 = 1 << 12;

/// Writes `s` as the text of a string record: `\` as `\\`, line feed, carriage return and
/// tab as `\n`, `\r`, `\t`, other control characters as `\u{hex}`; everything else as is.
pub fn escape_string(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                use fmt::Write as _;
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

/// An encoded rule set that does not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("encoded endpoint rules, line {line}: {message}")]
pub struct DecodeError {
    line: usize,
    message: String,
}

impl DecodeError {
    /// The line (from 1) the problem is on.
    pub fn line(&self) -> usize {
        self.line
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The kinds of records, in the order they must appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Strings,
    Params,
    Assigns,
    Exprs,
    Props,
    Rules,
    Root,
}

/// Decodes an encoded rule set.
pub(crate) fn decode(encoded: &str) -> Result<RuleSet, DecodeError> {
    let mut lines = encoded.lines().enumerate();
    match lines.next() {
        Some((_, HEADER)) => {}
        Some((_, other)) => {
            return Err(DecodeError {
                line: 1,
                message: format!("expected the header `{HEADER}`, found `{other}`"),
            });
        }
        None => {
            return Err(DecodeError {
                line: 1,
                message: "empty input".to_owned(),
            });
        }
    }
    let mut decoder = Decoder {
        rules: RuleSet::empty(),
        expr_depth: Vec::new(),
        prop_depth: Vec::new(),
        rule_depth: Vec::new(),
        prop_size: Vec::new(),
        rule_size: Vec::new(),
    };
    let mut section = Section::Strings;
    for (index, text) in lines {
        let line = index + 1;
        let at = |message: String| DecodeError { line, message };
        let (tag, rest) = match text.strip_prefix('"') {
            Some(rest) => (Section::Strings, rest),
            None => {
                let (tag, rest) = text.split_once(' ').unwrap_or((text, ""));
                let tag = match tag {
                    "p" => Section::Params,
                    "a" => Section::Assigns,
                    "e" => Section::Exprs,
                    "v" => Section::Props,
                    "r" => Section::Rules,
                    "R" => Section::Root,
                    other => return Err(at(format!("unknown record `{other}`"))),
                };
                (tag, rest)
            }
        };
        if tag < section || section == Section::Root {
            return Err(at(format!("a {tag:?} record after {section:?} records")));
        }
        section = tag;
        match tag {
            Section::Strings => decoder.string(rest),
            Section::Params => decoder.param(rest),
            Section::Assigns => decoder.assign(rest),
            Section::Exprs => decoder.expr(rest),
            Section::Props => decoder.prop(rest),
            Section::Rules => decoder.rule(rest),
            Section::Root => decoder.root(rest),
        }
        .map_err(at)?;
    }
    if section != Section::Root {
        return Err(DecodeError {
            line: encoded.lines().count().max(1),
            message: "no `R` record (the top-level rules)".to_owned(),
        });
    }
    Ok(decoder.rules)
}

/// The rule set being decoded, and the nesting depth of each node, and the size of each
/// property value and rule with shared parts counted at each place.
struct Decoder {
    rules: RuleSet,
    expr_depth: Vec<u16>,
    prop_depth: Vec<u16>,
    rule_depth: Vec<u16>,
    prop_size: Vec<u32>,
    rule_size: Vec<u32>,
}

type Res<T> = Result<T, String>;

/// Reads an index below `limit`.
fn index(token: &str, what: &str, limit: usize) -> Res<u32> {
    let n: u32 = token
        .parse()
        .map_err(|_| format!("expected the id of {what}, found `{token}`"))?;
    if (n as usize) < limit {
        Ok(n)
    } else {
        Err(format!(
            "{n} is not the id of {what} defined before (there are {limit})"
        ))
    }
}

/// Splits a record's fields at `|` fields.
fn groups(rest: &str) -> Vec<Vec<&str>> {
    let mut groups = vec![Vec::new()];
    for token in rest.split(' ').filter(|t| !t.is_empty()) {
        if token == "|" {
            groups.push(Vec::new());
        } else if let Some(last) = groups.last_mut() {
            last.push(token);
        }
    }
    groups
}

/// Exactly `N` fields, separated by single spaces.
fn fields<'t, const N: usize>(rest: &'t str, record: &str) -> Res<[&'t str; N]> {
    let tokens: Vec<&str> = rest.split(' ').collect();
    <[&str; N]>::try_from(tokens).map_err(|tokens| {
        format!(
            "a `{record}` record has {N} fields, found {}: `{rest}`",
            tokens.len()
        )
    })
}

fn parse_bool(token: &str) -> Res<bool> {
    match token {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(format!("expected `true` or `false`, found `{other}`")),
    }
}

fn unescape(text: &str, out: &mut String) -> Res<()> {
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let rest = chars.as_str();
                let hex = rest
                    .strip_prefix('{')
                    .and_then(|r| r.split_once('}'))
                    .map(|(hex, _)| hex)
                    .ok_or_else(|| format!("bad `\\u` escape in `{text}`"))?;
                let c = u32::from_str_radix(hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("bad `\\u` escape in `{text}`"))?;
                out.push(c);
                chars = rest.get(hex.len() + 2..).unwrap_or_default().chars();
            }
            _ => return Err(format!("bad escape in `{text}`")),
        }
    }
    Ok(())
}

impl Decoder {
    fn string(&mut self, text: &str) -> Res<()> {
        let rs = &mut self.rules;
        let start = rs.text.len();
        unescape(text, &mut rs.text)?;
        let end = rs.text.len();
        let too_long = || "the strings exceed 4 GiB".to_owned();
        rs.strings.push((
            u32::try_from(start).map_err(|_| too_long())?,
            u32::try_from(end).map_err(|_| too_long())?,
        ));
        Ok(())
    }

    fn string_id(&self, token: &str) -> Res<Id> {
        index(token, "a string", self.rules.strings.len())
    }

    fn param(&mut self, rest: &str) -> Res<()> {
        let [name, kind, required, built_in, default] = fields::<5>(rest, "p")?;
        let name_id = self.string_id(name)?;
        let name = self.rules.str(name_id).to_owned();
        let kind = match kind {
            "string" => ParamKind::String,
            "boolean" => ParamKind::Bool,
            "stringArray" => ParamKind::StringArray,
            other => return Err(format!("unknown parameter kind `{other}`")),
        };
        let required = match required {
            "0" => false,
            "1" => true,
            other => return Err(format!("expected `0` or `1`, found `{other}`")),
        };
        let built_in = match built_in {
            "-" => None,
            other => Some(
                BuiltIn::from_name(other).ok_or_else(|| format!("unknown built-in `{other}`"))?,
            ),
        };
        let default = self.default_value(default, kind)?;
        self.rules.params.push(ParamSpec {
            name,
            kind,
            built_in,
            default,
            required,
        });
        self.rules.slot_names.push(name_id);
        Ok(())
    }

    /// A parameter's default: `-`, `true`, `false`, `s<id>` or `a<id>,<id>…`.
    fn default_value(&self, token: &str, kind: ParamKind) -> Res<Option<ParamValue>> {
        let bad = || format!("`{token}` is not a default for a {kind} parameter");
        Ok(Some(match kind {
            _ if token == "-" => return Ok(None),
            ParamKind::Bool => ParamValue::Bool(parse_bool(token).map_err(|_| bad())?),
            ParamKind::String => {
                let id = token.strip_prefix('s').ok_or_else(bad)?;
                ParamValue::String(self.rules.str(self.string_id(id)?).to_owned())
            }
            ParamKind::StringArray => {
                let ids = token.strip_prefix('a').ok_or_else(bad)?;
                let items = ids
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(|id| Ok(self.rules.str(self.string_id(id)?).to_owned()))
                    .collect::<Res<Vec<String>>>()?;
                ParamValue::StringArray(items)
            }
        }))
    }

    fn assign(&mut self, rest: &str) -> Res<()> {
        let [name] = fields::<1>(rest, "a")?;
        let id = self.string_id(name)?;
        self.rules.slot_names.push(id);
        Ok(())
    }

    fn expr_id(&self, token: &str) -> Res<Id> {
        index(token, "an expression", self.rules.exprs.len())
    }

    fn slot(&self, token: &str) -> Res<u32> {
        index(token, "a slot", self.rules.slot_names.len())
    }

    /// The slot a result is assigned to: `-` for none; never a parameter's.
    fn assign_slot(&self, token: &str) -> Res<Option<u32>> {
        if token == "-" {
            return Ok(None);
        }
        let slot = self.slot(token)?;
        if (slot as usize) < self.rules.params.len() {
            return Err(format!("an assignment to the slot of parameter {slot}"));
        }
        Ok(Some(slot))
    }

    /// Appends ids to the shared list.
    fn push_ids(&mut self, ids: impl IntoIterator<Item = Id>) -> Res<Span> {
        let start = self.rules.ids.len();
        self.rules.ids.extend(ids);
        span(start, self.rules.ids.len())
    }

    fn expr(&mut self, rest: &str) -> Res<()> {
        let (kind, rest) = rest.split_once(' ').unwrap_or((rest, ""));
        let mut depth = 0;
        let expr = match kind {
            "s" => {
                let [s] = fields::<1>(rest, "e s")?;
                Expr::Str(self.string_id(s)?)
            }
            "b" => {
                let [b] = fields::<1>(rest, "e b")?;
                Expr::Bool(parse_bool(b)?)
            }
            "i" => {
                let [n] = fields::<1>(rest, "e i")?;
                Expr::Int(
                    n.parse()
                        .map_err(|_| format!("expected an integer, found `{n}`"))?,
                )
            }
            "r" => {
                let [slot] = fields::<1>(rest, "e r")?;
                Expr::Ref(self.slot(slot)?)
            }
            "t" => {
                let start = self.rules.parts.len();
                for token in rest.split(' ') {
                    let part = if let Some(id) = token.strip_prefix('s') {
                        Part::Lit(self.string_id(id)?)
                    } else if let Some(id) = token.strip_prefix('e') {
                        let id = self.expr_id(id)?;
                        depth = depth.max(self.expr_depth[id as usize]);
                        Part::Expr(id)
                    } else {
                        return Err(format!("expected a template part, found `{token}`"));
                    };
                    self.rules.parts.push(part);
                }
                Expr::Template(span(start, self.rules.parts.len())?)
            }
            "g" => {
                let [target, path, assign] = fields::<3>(rest, "e g")?;
                let target = self.expr_id(target)?;
                depth = self.expr_depth[target as usize];
                let (attr, index) = parse_path(path)?;
                Expr::GetAttr {
                    target,
                    attr,
                    index,
                    assign: self.assign_slot(assign)?,
                }
            }
            "f" => {
                let mut tokens = rest.split(' ');
                let name = tokens.next().unwrap_or_default();
                let func = Function::from_name(name)
                    .ok_or_else(|| format!("unknown function `{name}`"))?;
                let assign = match tokens.next() {
                    Some(token) => self.assign_slot(token)?,
                    None => return Err(format!("`{func}` has no assignment field")),
                };
                let args = tokens.map(|t| self.expr_id(t)).collect::<Res<Vec<Id>>>()?;
                if args.len() != func.arity() {
                    return Err(format!(
                        "`{func}` takes {} arguments, found {}",
                        func.arity(),
                        args.len()
                    ));
                }
                for &arg in &args {
                    depth = depth.max(self.expr_depth[arg as usize]);
                }
                Expr::Call {
                    func,
                    args: self.push_ids(args)?,
                    assign,
                }
            }
            other => return Err(format!("unknown expression kind `{other}`")),
        };
        let depth = nest(depth, MAX_EXPR_DEPTH, "expressions")?;
        let fast = self.rules.fast_form(&expr);
        self.rules.fast.push(fast);
        self.rules.exprs.push(expr);
        self.expr_depth.push(depth);
        Ok(())
    }

    fn prop_id(&self, token: &str) -> Res<Id> {
        index(token, "a property value", self.rules.props.len())
    }

    fn prop(&mut self, rest: &str) -> Res<()> {
        let (kind, rest) = rest.split_once(' ').unwrap_or((rest, ""));
        let mut depth = 0;
        let mut size = 1u32;
        let prop = match kind {
            "z" if rest.is_empty() => Prop::Null,
            "b" => {
                let [b] = fields::<1>(rest, "v b")?;
                Prop::Bool(parse_bool(b)?)
            }
            "n" => {
                let [n] = fields::<1>(rest, "v n")?;
                Prop::Number(parse_number(n)?)
            }
            "s" => {
                let [e] = fields::<1>(rest, "v s")?;
                Prop::Str(self.expr_id(e)?)
            }
            "a" => {
                let items = rest
                    .split(' ')
                    .filter(|t| !t.is_empty())
                    .map(|t| self.prop_id(t))
                    .collect::<Res<Vec<Id>>>()?;
                for &item in &items {
                    depth = depth.max(self.prop_depth[item as usize]);
                    size = size.saturating_add(self.prop_size[item as usize]);
                }
                Prop::Array(self.push_ids(items)?)
            }
            "o" => {
                let start = self.rules.entries.len();
                for entry in rest.split(' ').filter(|t| !t.is_empty()) {
                    let (key, value) = entry
                        .split_once('=')
                        .ok_or_else(|| format!("expected `key=value`, found `{entry}`"))?;
                    let key = self.string_id(key)?;
                    let value = self.prop_id(value)?;
                    depth = depth.max(self.prop_depth[value as usize]);
                    size = size.saturating_add(self.prop_size[value as usize]);
                    self.rules.entries.push((key, value));
                }
                Prop::Object(span(start, self.rules.entries.len())?)
            }
            other => return Err(format!("unknown property value kind `{other}`")),
        };
        let depth = nest(depth, MAX_PROP_DEPTH, "property values")?;
        if size > MAX_PROP_NODES {
            return Err(format!(
                "a property value holds more than {MAX_PROP_NODES} values"
            ));
        }
        self.rules.props.push(prop);
        self.prop_depth.push(depth);
        self.prop_size.push(size);
        Ok(())
    }

    /// A rule's conditions, appended to `conds`.
    fn conditions(&mut self, tokens: &[&str]) -> Res<Span> {
        let start = self.rules.conds.len();
        for token in tokens {
            let expr = self.expr_id(token)?;
            let fast = self.rules.fast[expr as usize];
            self.rules.conds.push(Cond { fast, expr });
        }
        span(start, self.rules.conds.len())
    }

    fn rule(&mut self, rest: &str) -> Res<()> {
        let (kind, rest) = rest.split_once(' ').unwrap_or((rest, ""));
        let groups = groups(rest);
        let mut depth = 0;
        let mut size = 1u32;
        let rule = match (kind, groups.as_slice()) {
            ("tree", [conditions, rules]) => {
                let conditions = self.conditions(conditions)?;
                let rules = rules
                    .iter()
                    .map(|t| index(t, "a rule", self.rules.rules.len()))
                    .collect::<Res<Vec<Id>>>()?;
                for &rule in &rules {
                    depth = depth.max(self.rule_depth[rule as usize]);
                    size = size.saturating_add(self.rule_size[rule as usize]);
                }
                Rule::Tree {
                    conditions,
                    rules: self.push_ids(rules)?,
                }
            }
            ("endpoint", [conditions, url, headers, properties]) => {
                let conditions = self.conditions(conditions)?;
                let url = match url.as_slice() {
                    [url] => self.expr_id(url)?,
                    _ => return Err("an endpoint has one URL expression".to_owned()),
                };
                let start = self.rules.headers.len();
                for header in headers {
                    let (name, values) = header
                        .split_once('=')
                        .ok_or_else(|| format!("expected `name=values`, found `{header}`"))?;
                    let name = self.string_id(name)?;
                    let values = values
                        .split(',')
                        .filter(|t| !t.is_empty())
                        .map(|t| self.expr_id(t))
                        .collect::<Res<Vec<Id>>>()?;
                    let values = self.push_ids(values)?;
                    self.rules.headers.push(Header { name, values });
                }
                let headers = span(start, self.rules.headers.len())?;
                let properties = match properties.as_slice() {
                    ["-"] => None,
                    [id] => Some(self.prop_id(id)?),
                    _ => return Err("an endpoint has one properties field".to_owned()),
                };
                Rule::Endpoint {
                    conditions,
                    url,
                    headers,
                    properties,
                }
            }
            ("error", [conditions, message]) => {
                let conditions = self.conditions(conditions)?;
                let message = match message.as_slice() {
                    [message] => self.expr_id(message)?,
                    _ => return Err("an error has one message expression".to_owned()),
                };
                Rule::Error {
                    conditions,
                    message,
                }
            }
            ("tree" | "endpoint" | "error", _) => {
                return Err(format!("wrong number of `|` groups in a `{kind}` rule"));
            }
            (other, _) => return Err(format!("unknown rule kind `{other}`")),
        };
        let depth = nest(depth, MAX_RULE_DEPTH, "rules")?;
        if size > MAX_RULE_NODES {
            return Err(too_many_rules());
        }
        self.rules.rules.push(rule);
        self.rule_depth.push(depth);
        self.rule_size.push(size);
        Ok(())
    }

    fn root(&mut self, rest: &str) -> Res<()> {
        let rules = rest
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(|t| index(t, "a rule", self.rules.rules.len()))
            .collect::<Res<Vec<Id>>>()?;
        let size = rules.iter().fold(0u32, |size, &rule| {
            size.saturating_add(self.rule_size[rule as usize])
        });
        if size > MAX_RULE_NODES {
            return Err(too_many_rules());
        }
        self.rules.root = self.push_ids(rules)?;
        self.rules.build_program(size as usize);
        Ok(())
    }
}

fn too_many_rules() -> String {
    format!("the rules hold more than {MAX_RULE_NODES} rules, shared ones counted at each place")
}

/// One level deeper than `depth`, if that stays within `max`.
fn nest(depth: u16, max: u16, what: &str) -> Res<u16> {
    if depth >= max {
        Err(format!("{what} nest deeper than {max} levels"))
    } else {
        Ok(depth + 1)
    }
}

fn span(start: usize, end: usize) -> Res<Span> {
    let too_many = || "more than 4 billion entries".to_owned();
    Ok(Span {
        start: u32::try_from(start).map_err(|_| too_many())?,
        len: u32::try_from(end - start).map_err(|_| too_many())?,
    })
}

/// A `getAttr` path: `attr`, `attr[n]` or `[n]`.
fn parse_path(path: &str) -> Res<(Option<Attribute>, Option<u32>)> {
    let bad = || format!("bad `getAttr` path `{path}`");
    let (name, index) = match path.split_once('[') {
        Some((name, rest)) => {
            let digits = rest.strip_suffix(']').ok_or_else(bad)?;
            (name, Some(digits.parse::<u32>().map_err(|_| bad())?))
        }
        None => (path, None),
    };
    let attr = match name {
        "" => None,
        name => Some(
            Attribute::from_name(name)
                .ok_or_else(|| format!("unknown attribute `{name}` in `getAttr` path `{path}`"))?,
        ),
    };
    if attr.is_none() && index.is_none() {
        return Err(bad());
    }
    Ok((attr, index))
}

/// A JSON number: an integer when it is one that fits 64 bits, else a finite float.
fn parse_number(text: &str) -> Res<Number> {
    if let Ok(n) = text.parse::<u64>() {
        return Ok(Number::PosInt(n));
    }
    if let Ok(n) = text.parse::<i64>() {
        return Ok(Number::NegInt(n));
    }
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Number::Float(x)),
        _ => Err(format!("expected a number, found `{text}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::Params;

    /// A rule set of `HEADER` and these records.
    fn encoded(records: &[&str]) -> String {
        let mut text = format!("{HEADER}\n");
        for record in records {
            text.push_str(record);
            text.push('\n');
        }
        text
    }

    fn decode_error(records: &[&str]) -> DecodeError {
        match decode(&encoded(records)) {
            Ok(rules) => panic!("decoded: {rules:?}"),
            Err(e) => e,
        }
    }

    /// A small rule set using every kind of record.
    const VALID: &[&str] = &[
        "\"Region",
        "\"Arn",
        "\"https://",
        "\".example.com",
        "\"parsed",
        "\"x-region",
        "\"authSchemes",
        "\"name",
        "\"sigv4",
        "\"Missing \"Region\"\\n\\u{1}",
        "p 0 string 1 AWS::Region s3",
        "p 1 string 0 - -",
        "a 4",
        "e r 0",
        "e r 1",
        "e f aws.parseArn 2 1",
        "e r 2",
        "e g 3 resourceId[1] -",
        "e g 3 region -",
        "e t s2 e0 s3",
        "e t s2 e5 s3",
        "e s 8",
        "e s 9",
        "e b true",
        "e f isSet - 0",
        "v s 8",
        "v o 7=0",
        "v a 1",
        "v o 6=2",
        "v n -1.5",
        "v z",
        "v b false",
        "r endpoint 2 | 7 | 5=4,5 | 3",
        "r endpoint 11 | 6 | | -",
        "r tree 10 | 0 1",
        "r error | 9",
        "R 2 3",
    ];

    #[test]
    fn decodes_every_kind_of_record() {
        let rules = decode(&encoded(VALID)).unwrap();
        assert_eq!(rules.params().len(), 2);
        assert_eq!(rules.params()[0].name, "Region");
        assert_eq!(rules.params()[0].built_in, Some(BuiltIn::Region));
        assert_eq!(
            rules.params()[0].default,
            Some(ParamValue::String(".example.com".into()))
        );
        assert!(rules.params()[0].required);
        assert_eq!(rules.slot_count(), 3);
        assert_eq!(rules.slot_name(2), "parsed");
        assert_eq!(rules.str(9), "Missing \"Region\"\n\u{1}");
        assert_eq!(rules.props[4], Prop::Number(Number::Float(-1.5)));

        let mut params = Params::new(&rules);
        params.set(0, "us-east-2").unwrap();
        let endpoint = rules.resolve(&params).unwrap();
        assert_eq!(endpoint.url, "https://us-east-2.example.com");
        params
            .set(1, "arn:aws:s3:eu-west-1:123456789012:accesspoint/ap")
            .unwrap();
        let endpoint = rules.resolve(&params).unwrap();
        assert_eq!(endpoint.url, "https://eu-west-1.example.com");
        assert_eq!(
            endpoint.headers,
            vec![(
                "x-region".to_owned(),
                vec!["ap".to_owned(), "eu-west-1".to_owned()]
            )]
        );
        assert_eq!(
            endpoint.properties.to_string(),
            r#"{"authSchemes":[{"name":"sigv4"}]}"#
        );
    }

    #[test]
    fn strings_round_trip_through_escaping() {
        for s in [
            "",
            "plain",
            "back\\slash",
            "\\n is not a newline",
            "line\nfeed\r\ttab",
            "\u{0}\u{7f}\u{9f}",
            "é€😀 {{x}}",
            "\"",
        ] {
            let mut escaped = String::new();
            escape_string(s, &mut escaped);
            assert!(!escaped.contains(['\n', '\r']), "{escaped:?}");
            let mut back = String::new();
            unescape(&escaped, &mut back).unwrap();
            assert_eq!(back, s);
        }
    }

    #[test]
    fn malformed_encodings_are_errors_naming_the_line() {
        let e = decode("stratus-endpoint-rules 2\nR\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "encoded endpoint rules, line 1: expected the header `stratus-endpoint-rules 1`, found `stratus-endpoint-rules 2`"
        );
        assert_eq!(decode("").unwrap_err().message(), "empty input");
        let cases: &[(&[&str], usize, &str)] = &[
            (&["x 1"], 2, "unknown record `x`"),
            (
                &["\"a", "e r 0"],
                3,
                "0 is not the id of a slot defined before (there are 0)",
            ),
            (
                &["e s 0"],
                2,
                "0 is not the id of a string defined before (there are 0)",
            ),
            (
                &["e b true", "e f not - 1"],
                3,
                "1 is not the id of an expression defined before (there are 1)",
            ),
            (&["e b true", "e f nope - 0"], 3, "unknown function `nope`"),
            (
                &["e b true", "e f not - 0 0"],
                3,
                "`not` takes 1 arguments, found 2",
            ),
            (
                &["\"a", "p 0 boolean 0 - -", "e b true", "e f not 0 0"],
                5,
                "an assignment to the slot of parameter 0",
            ),
            (
                &["\"a", "p 0 boolean 0 - s0"],
                3,
                "`s0` is not a default for a boolean parameter",
            ),
            (
                &["\"a", "p 0 strings 0 - -"],
                3,
                "unknown parameter kind `strings`",
            ),
            (
                &["\"a", "p 0 string 0 AWS::Moon -"],
                3,
                "unknown built-in `AWS::Moon`",
            ),
            (
                &["\"a", "p 0 string 0 -"],
                3,
                "a `p` record has 5 fields, found 4: `0 string 0 -`",
            ),
            (
                &["e b true", "e g 0 region[x] -"],
                3,
                "bad `getAttr` path `region[x]`",
            ),
            (
                &["e b true", "e g 0 regions -"],
                3,
                "unknown attribute `regions` in `getAttr` path `regions`",
            ),
            (&["e b true", "e g 0 [] -"], 3, "bad `getAttr` path `[]`"),
            (&["v n 1e999"], 2, "expected a number, found `1e999`"),
            (&["\"bad \\q"], 2, "bad escape in `bad \\q`"),
            (&["R", "\"late"], 3, "a Strings record after Root records"),
            (
                &["e b true", "\"a"],
                3,
                "a Strings record after Exprs records",
            ),
            (&["R", "R"], 3, "a Root record after Root records"),
            (
                &["e b true", "r tree 0", "R 0"],
                3,
                "wrong number of `|` groups in a `tree` rule",
            ),
            (
                &["e b true", "r endpoint | 0 | | -", "R 1"],
                4,
                "1 is not the id of a rule defined before (there are 1)",
            ),
            (&["e b true"], 2, "no `R` record (the top-level rules)"),
        ];
        for (records, line, message) in cases {
            let e = decode_error(records);
            assert_eq!((e.line(), e.message()), (*line, *message), "{records:?}");
        }
    }

    #[test]
    fn nesting_deeper_than_the_limits_is_refused() {
        let mut records = vec!["e b true".to_owned()];
        for i in 0..MAX_EXPR_DEPTH {
            records.push(format!("e f not - {i}"));
        }
        let lines: Vec<&str> = records.iter().map(String::as_str).collect();
        let e = decode_error(&lines);
        assert_eq!(e.message(), "expressions nest deeper than 32 levels");
        assert_eq!(e.line(), 2 + MAX_EXPR_DEPTH as usize);
        // One level less decodes.
        let mut ok = lines[..lines.len() - 1].to_vec();
        ok.push("R");
        decode(&encoded(&ok)).unwrap();

        let mut records = vec!["e s 0".to_owned(), "r error | 0".to_owned()];
        for i in 0..MAX_RULE_DEPTH {
            records.push(format!("r tree | {i}"));
        }
        records.insert(0, "\"m".to_owned());
        let lines: Vec<&str> = records.iter().map(String::as_str).collect();
        assert_eq!(
            decode_error(&lines).message(),
            "rules nest deeper than 128 levels"
        );
    }

    #[test]
    fn shared_sub_trees_are_bounded_where_they_occur() {
        // Each rule (each value) holds the previous one twice: 2^n at level n.
        let mut records = vec![
            "\"m".to_owned(),
            "e s 0".to_owned(),
            "r error | 0".to_owned(),
        ];
        for i in 0..17 {
            records.push(format!("r tree | {i} {i}"));
        }
        let lines: Vec<&str> = records.iter().map(String::as_str).collect();
        let e = decode_error(&lines);
        assert_eq!(
            (e.line(), e.message()),
            (
                21,
                "the rules hold more than 131072 rules, shared ones counted at each place"
            )
        );
        // One level less decodes; that rule twice at the top is too many again.
        let mut ok = lines[..lines.len() - 1].to_vec();
        ok.push("R 16");
        let rules = decode(&encoded(&ok)).unwrap();
        assert_eq!(rules.program.len(), (1 << 17) - 1);
        *ok.last_mut().unwrap() = "R 16 16";
        assert_eq!(decode_error(&ok).line(), 21);

        let mut records = vec!["v z".to_owned()];
        for i in 0..12 {
            records.push(format!("v a {i} {i}"));
        }
        let lines: Vec<&str> = records.iter().map(String::as_str).collect();
        let e = decode_error(&lines);
        assert_eq!(
            (e.line(), e.message()),
            (14, "a property value holds more than 4096 values")
        );
    }

    /// Corrupting a valid encoding in any one place gives an error or a rule set that
    /// resolves (or fails to) without panicking.
    #[test]
    fn corrupted_encodings_never_panic() {
        let text = encoded(VALID);
        let mut params = Params::new(&decode(&text).unwrap());
        params.set(0, "us-east-2").unwrap();
        params
            .set(1, "arn:aws:s3:eu-west-1:123456789012:accesspoint/ap")
            .unwrap();
        let check = |candidate: &str| {
            if let Ok(rules) = decode(candidate) {
                let _ = rules.resolve(&params);
                let _ = rules.resolve(&Params::new(&rules));
            }
        };
        let replacements = [
            '0', '1', '9', ' ', '|', '-', 'e', 'r', '"', '\n', '\\', '[', '=',
        ];
        for (i, _) in text.char_indices() {
            // Truncated, one character removed, one character replaced.
            check(&text[..i]);
            let rest = &text[i..];
            let next = rest.chars().next().map_or(0, char::len_utf8);
            check(&format!("{}{}", &text[..i], &rest[next..]));
            for r in replacements {
                check(&format!("{}{r}{}", &text[..i], &rest[next..]));
            }
        }
        // Every record duplicated, and every pair of records swapped.
        let lines: Vec<&str> = text.lines().collect();
        for i in 1..lines.len() {
            let mut dup = lines.clone();
            dup.insert(i, lines[i]);
            check(&dup.join("\n"));
            for j in i + 1..lines.len() {
                let mut swapped = lines.clone();
                swapped.swap(i, j);
                check(&swapped.join("\n"));
            }
        }
    }
}
