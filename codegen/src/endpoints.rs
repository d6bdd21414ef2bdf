//! Endpoint rule sets: validates a service's `endpoint-rule-set-1.json` and compiles it into
//! the text a generated crate embeds (its format is documented in
//! [`stratus_runtime::endpoint::encoding`]), which the runtime decodes once, without any
//! JSON parsing, and evaluates for every request.
//!
//! Everything that can be checked without parameter values is checked here, so that a rule
//! set the runtime cannot evaluate is a codegen error naming the place in the rule set
//! (`rules[3].rules[0].conditions[1].argv[0]`), never a surprise at run time:
//!
//! - the structure: rule types, required fields, no unknown fields;
//! - functions: known names, arity, argument types (`booleanEquals` takes booleans,
//!   `substring`'s bounds are integer literals, …);
//! - references: every `ref` and template reference names a parameter or a name assigned
//!   earlier in scope (a condition's assignment is visible to the later conditions of its
//!   rule and to the rule's sub-rules, as in botocore), and no assignment shadows another;
//! - `getAttr` paths and template references (`{PartitionResult#dnsSuffix}`) read
//!   attributes that the value has; templates insert strings;
//! - parameters: type `string`, `boolean` or `stringArray` (case-insensitive, as botocore
//!   reads them), a known built-in of the same type, a default of the parameter's type.
//!
//! A string is a template exactly when botocore takes it for one (it holds `{name}` with
//! `name` made of ASCII letters and `#`); in a template, `{{` and `}}` are literal braces.
//!
//! The encoding interns strings and hash-conses expressions, property values and rules:
//! an identical sub-tree (S3 repeats many) is written once. Parameters take the first slots
//! in declaration order and every assigned name one slot after them, so that evaluation
//! reads variables by index.

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use indexmap::IndexSet;
use serde_json::{Map, Value};
use stratus_runtime::endpoint::encoding::{self, HEADER};
use stratus_runtime::endpoint::{
    Attribute, AttributeOwner, BuiltIn, Function, ParamKind, ParamValue,
};

/// The name of the `getAttr` function, which the encoding keeps apart from the
/// [`Function`]s because its path is read at compile time.
pub const GET_ATTR: &str = "getAttr";

/// A compiled rule set: its encoding and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledRules {
    encoded: String,
    params: Vec<Param>,
}

impl CompiledRules {
    /// The encoded rule set, for
    /// [`StaticRuleSet::new`](stratus_runtime::endpoint::StaticRuleSet::new) or
    /// [`RuleSet::decode`](stratus_runtime::endpoint::RuleSet::decode).
    pub fn encoded(&self) -> &str {
        &self.encoded
    }

    /// The parameters, in the rule set's order (the order of
    /// [`RuleSet::params`](stratus_runtime::endpoint::RuleSet::params)).
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The encoding as a Rust string literal ([`rust_string_literal`]).
    pub fn rust_literal(&self) -> String {
        rust_string_literal(&self.encoded)
    }
}

/// A parameter of a rule set, with the documentation codegen writes about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name, such as `Region`.
    pub name: String,
    /// The type.
    pub kind: ParamKind,
    /// The configuration value it is bound to.
    pub built_in: Option<BuiltIn>,
    /// Its value when none is bound.
    pub default: Option<ParamValue>,
    /// Whether resolution fails without a value.
    pub required: bool,
    /// The rule set's description of it.
    pub documentation: Option<String>,
    /// Set when the parameter is deprecated.
    pub deprecated: Option<Deprecation>,
}

/// The `deprecated` object of a parameter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deprecation {
    /// Why, or what to use instead.
    pub message: Option<String>,
    /// Since when.
    pub since: Option<String>,
}

/// A rule set that cannot be compiled: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    path: String,
    message: String,
}

impl Error {
    /// Where in the rule set, such as `rules[3].conditions[0].argv[1]` (empty for the
    /// whole document).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "endpoint rule set: {}", self.message)
        } else {
            write!(f, "endpoint rule set, at {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

type Result<T> = std::result::Result<T, Error>;

fn error<T>(path: &str, message: impl Into<String>) -> Result<T> {
    Err(Error {
        path: path.to_owned(),
        message: message.into(),
    })
}

/// Validates and compiles a rule set (the JSON of `endpoint-rule-set-1.json`).
pub fn compile(rule_set: &Value) -> Result<CompiledRules> {
    let mut compiler = Compiler::default();
    let top = object(rule_set, "")?;
    known_keys(
        top,
        "",
        &["version", "parameters", "rules", "documentation"],
    )?;
    if let Some(version) = top.get("version") {
        string(version, "version")?;
    }
    compiler.params(field(top, "parameters", "")?)?;
    let rules = array(field(top, "rules", "")?, "rules")?;
    let scope = Scope::default();
    let mut root = Vec::with_capacity(rules.len());
    for (i, rule) in rules.iter().enumerate() {
        root.push(compiler.rule(rule, &format!("rules[{i}]"), &scope)?);
    }
    Ok(compiler.finish(&root))
}

/// Renders `text` as a Rust string literal that keeps its lines: it opens with a line
/// continuation so that the text's first line starts a line of its own, escapes `\` and
/// `"`, and writes line feeds as they are.
pub fn rust_string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32 + 8);
    out.push_str("\"\\\n");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push('\n'),
            c if c.is_control() => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------
// JSON helpers
// ---------------------------------------------------------------------------------------

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn object<'v>(value: &'v Value, path: &str) -> Result<&'v Map<String, Value>> {
    value.as_object().map_or_else(
        || {
            error(
                path,
                format!("expected an object, found {}", describe(value)),
            )
        },
        Ok,
    )
}

fn array<'v>(value: &'v Value, path: &str) -> Result<&'v [Value]> {
    match value {
        Value::Array(items) => Ok(items),
        other => error(
            path,
            format!("expected an array, found {}", describe(other)),
        ),
    }
}

fn string<'v>(value: &'v Value, path: &str) -> Result<&'v str> {
    value.as_str().map_or_else(
        || {
            error(
                path,
                format!("expected a string, found {}", describe(value)),
            )
        },
        Ok,
    )
}

fn field<'v>(object: &'v Map<String, Value>, key: &str, path: &str) -> Result<&'v Value> {
    object
        .get(key)
        .map_or_else(|| error(path, format!("missing field `{key}`")), Ok)
}

fn known_keys(object: &Map<String, Value>, path: &str, known: &[&str]) -> Result<()> {
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        Some(key) => error(
            path,
            format!(
                "unknown field `{key}` (expected one of {})",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        None => Ok(()),
    }
}

fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_owned()
    } else {
        format!("{path}.{segment}")
    }
}

// ---------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------

/// The type of an expression, as far as the compiler can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Bool,
    Str,
    StrArray,
    /// An integer literal (only `substring`'s bounds).
    Int,
    Partition,
    Arn,
    Url,
    /// A list of strings (an ARN's `resourceId`).
    List,
}

impl Ty {
    fn of(kind: ParamKind) -> Ty {
        match kind {
            ParamKind::String => Ty::Str,
            ParamKind::Bool => Ty::Bool,
            ParamKind::StringArray => Ty::StrArray,
        }
    }

    fn owner(self) -> Option<AttributeOwner> {
        match self {
            Ty::Partition => Some(AttributeOwner::Partition),
            Ty::Arn => Some(AttributeOwner::Arn),
            Ty::Url => Some(AttributeOwner::Url),
            _ => None,
        }
    }

    /// The type of attribute `attr` of a value of this type.
    fn attribute(self, attr: Attribute) -> Option<Ty> {
        if self.owner() != Some(attr.owner()) {
            return None;
        }
        Some(match attr {
            Attribute::SupportsFips | Attribute::SupportsDualStack | Attribute::IsIp => Ty::Bool,
            Attribute::ResourceId => Ty::List,
            _ => Ty::Str,
        })
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ty::Bool => "a boolean",
            Ty::Str => "a string",
            Ty::StrArray => "a string array",
            Ty::Int => "an integer",
            Ty::Partition => "a partition",
            Ty::Arn => "an ARN",
            Ty::Url => "a URL",
            Ty::List => "a list of strings",
        })
    }
}

/// What a function argument must be.
#[derive(Debug, Clone, Copy)]
enum Arg {
    Any,
    Is(Ty),
    IntLiteral,
}

/// The arguments a function takes and the type it returns.
fn signature(func: Function) -> (&'static [Arg], Ty) {
    use Arg::{Any, IntLiteral, Is};
    match func {
        Function::IsSet => (&[Any], Ty::Bool),
        Function::Not => (&[Is(Ty::Bool)], Ty::Bool),
        Function::BooleanEquals => (&[Is(Ty::Bool), Is(Ty::Bool)], Ty::Bool),
        Function::StringEquals => (&[Is(Ty::Str), Is(Ty::Str)], Ty::Bool),
        Function::Partition => (&[Is(Ty::Str)], Ty::Partition),
        Function::ParseArn => (&[Is(Ty::Str)], Ty::Arn),
        Function::IsValidHostLabel => (&[Is(Ty::Str), Is(Ty::Bool)], Ty::Bool),
        Function::ParseUrl => (&[Is(Ty::Str)], Ty::Url),
        Function::Substring => (
            &[Is(Ty::Str), IntLiteral, IntLiteral, Is(Ty::Bool)],
            Ty::Str,
        ),
        Function::UriEncode => (&[Is(Ty::Str)], Ty::Str),
        Function::IsVirtualHostableS3Bucket => (&[Is(Ty::Str), Is(Ty::Bool)], Ty::Bool),
    }
}

/// What a call calls: `getAttr` (target expression and path) or a function (arguments).
enum Callee<'p> {
    GetAttr(u32, &'p str),
    Function(Function, Vec<u32>),
}

/// The names assigned in scope: name, slot, type.
#[derive(Debug, Clone, Default)]
struct Scope {
    assigned: Vec<(String, u32, Ty)>,
}

// ---------------------------------------------------------------------------------------
// The compiler
// ---------------------------------------------------------------------------------------

/// Records of one kind, deduplicated by their text.
#[derive(Debug, Default)]
struct Table {
    ids: HashMap<String, u32>,
    lines: Vec<String>,
}

impl Table {
    fn intern(&mut self, line: String) -> u32 {
        if let Some(&id) = self.ids.get(&line) {
            return id;
        }
        let id = self.lines.len() as u32;
        self.ids.insert(line.clone(), id);
        self.lines.push(line);
        id
    }
}

#[derive(Debug, Default)]
struct Compiler {
    strings: IndexSet<String>,
    params: Vec<Param>,
    param_lines: Vec<String>,
    /// Every assigned name and its slot (after the parameters').
    assigned: IndexSet<String>,
    exprs: Table,
    props: Table,
    rules: Table,
}

impl Compiler {
    fn string_id(&mut self, s: &str) -> u32 {
        match self.strings.get_index_of(s) {
            Some(id) => id as u32,
            None => self.strings.insert_full(s.to_owned()).0 as u32,
        }
    }

    fn params(&mut self, value: &Value) -> Result<()> {
        let path = "parameters";
        for (name, spec) in object(value, path)? {
            let path = &join(path, name);
            let param = parse_param(name, spec, path)?;
            let name_id = self.string_id(name);
            let default = match &param.default {
                None => "-".to_owned(),
                Some(ParamValue::Bool(b)) => b.to_string(),
                Some(ParamValue::String(s)) => format!("s{}", self.string_id(s)),
                Some(ParamValue::StringArray(items)) => {
                    let ids: Vec<String> = items
                        .iter()
                        .map(|s| self.string_id(s).to_string())
                        .collect();
                    format!("a{}", ids.join(","))
                }
            };
            self.param_lines.push(format!(
                "p {name_id} {} {} {} {default}",
                param.kind.name(),
                u8::from(param.required),
                param.built_in.map_or("-", BuiltIn::name),
            ));
            self.params.push(param);
        }
        Ok(())
    }

    /// The slot and type of the variable `name` in `scope`.
    fn lookup(&self, name: &str, scope: &Scope) -> Option<(u32, Ty)> {
        if let Some(&(_, slot, ty)) = scope.assigned.iter().rev().find(|(n, ..)| n == name) {
            return Some((slot, ty));
        }
        self.params
            .iter()
            .position(|p| p.name == name)
            .map(|i| (i as u32, Ty::of(self.params[i].kind)))
    }

    fn rule(&mut self, value: &Value, path: &str, outer: &Scope) -> Result<u32> {
        let rule = object(value, path)?;
        let kind = string(field(rule, "type", path)?, &join(path, "type"))?;
        let body = match kind {
            "tree" => "rules",
            "endpoint" => "endpoint",
            "error" => "error",
            other => {
                return error(
                    &join(path, "type"),
                    format!(
                        "unknown rule type `{other}`: a rule is a tree, an endpoint or an error"
                    ),
                );
            }
        };
        known_keys(rule, path, &["type", "conditions", "documentation", body])?;
        if let Some(doc) = rule.get("documentation") {
            string(doc, &join(path, "documentation"))?;
        }
        let mut scope = outer.clone();
        let conditions_path = join(path, "conditions");
        let conditions = array(field(rule, "conditions", path)?, &conditions_path)?;
        let mut tokens = vec![format!("r {kind}")];
        for (i, condition) in conditions.iter().enumerate() {
            let path = format!("{conditions_path}[{i}]");
            let is_call = condition.as_object().is_some_and(|c| c.contains_key("fn"));
            if !is_call {
                return error(&path, "a condition is a function call (`fn`)");
            }
            let (id, _) = self.expr(condition, &path, &mut scope)?;
            tokens.push(id.to_string());
        }
        tokens.push("|".to_owned());
        let body_path = join(path, body);
        let body_value = field(rule, body, path)?;
        match kind {
            "tree" => {
                for (i, child) in array(body_value, &body_path)?.iter().enumerate() {
                    let id = self.rule(child, &format!("{body_path}[{i}]"), &scope)?;
                    tokens.push(id.to_string());
                }
            }
            "endpoint" => self.endpoint(body_value, &body_path, &mut scope, &mut tokens)?,
            _ => {
                let id = self.string_valued(body_value, &body_path, &mut scope)?;
                tokens.push(id.to_string());
            }
        }
        Ok(self.rules.intern(tokens.join(" ")))
    }

    /// An expression that must give a string (URLs, header values, error messages).
    fn string_valued(&mut self, value: &Value, path: &str, scope: &mut Scope) -> Result<u32> {
        match self.expr(value, path, scope)? {
            (id, Ty::Str) => Ok(id),
            (_, ty) => error(path, format!("expected a string, found {ty}")),
        }
    }

    fn endpoint(
        &mut self,
        value: &Value,
        path: &str,
        scope: &mut Scope,
        tokens: &mut Vec<String>,
    ) -> Result<()> {
        let endpoint = object(value, path)?;
        known_keys(endpoint, path, &["url", "headers", "properties"])?;
        let url = self.string_valued(field(endpoint, "url", path)?, &join(path, "url"), scope)?;
        tokens.push(url.to_string());
        tokens.push("|".to_owned());
        if let Some(headers) = endpoint.get("headers") {
            let headers_path = join(path, "headers");
            for (name, values) in object(headers, &headers_path)? {
                let header_path = join(&headers_path, name);
                let mut ids = Vec::new();
                for (i, value) in array(values, &header_path)?.iter().enumerate() {
                    let id = self.string_valued(value, &format!("{header_path}[{i}]"), scope)?;
                    ids.push(id.to_string());
                }
                let name_id = self.string_id(name);
                tokens.push(format!("{name_id}={}", ids.join(",")));
            }
        }
        tokens.push("|".to_owned());
        let properties = match endpoint.get("properties") {
            None => None,
            Some(Value::Object(entries)) if entries.is_empty() => None,
            Some(properties @ Value::Object(_)) => {
                Some(self.property(properties, &join(path, "properties"), scope)?)
            }
            Some(other) => {
                return error(
                    &join(path, "properties"),
                    format!("expected an object, found {}", describe(other)),
                );
            }
        };
        tokens.push(properties.map_or_else(|| "-".to_owned(), |id| id.to_string()));
        Ok(())
    }

    /// A value of an endpoint's properties: JSON whose strings may be templates.
    fn property(&mut self, value: &Value, path: &str, scope: &mut Scope) -> Result<u32> {
        let line = match value {
            Value::Null => "v z".to_owned(),
            Value::Bool(b) => format!("v b {b}"),
            Value::Number(n) => format!("v n {n}"),
            Value::String(s) => {
                let (id, _) = self.string_expr(s, path, scope)?;
                format!("v s {id}")
            }
            Value::Array(items) => {
                let mut line = "v a".to_owned();
                for (i, item) in items.iter().enumerate() {
                    let id = self.property(item, &format!("{path}[{i}]"), scope)?;
                    let _ = write!(line, " {id}");
                }
                line
            }
            Value::Object(entries) => {
                let mut line = "v o".to_owned();
                for (key, item) in entries {
                    let id = self.property(item, &join(path, key), scope)?;
                    let key = self.string_id(key);
                    let _ = write!(line, " {key}={id}");
                }
                line
            }
        };
        Ok(self.props.intern(line))
    }

    /// An expression: a literal, a template, a reference or a function call. Names a call
    /// assigns are added to `scope`.
    fn expr(&mut self, value: &Value, path: &str, scope: &mut Scope) -> Result<(u32, Ty)> {
        match value {
            Value::String(s) => self.string_expr(s, path, scope),
            Value::Bool(b) => Ok((self.exprs.intern(format!("e b {b}")), Ty::Bool)),
            Value::Number(n) => match n.as_u64().and_then(|n| u32::try_from(n).ok()) {
                Some(n) => Ok((self.exprs.intern(format!("e i {n}")), Ty::Int)),
                None => error(
                    path,
                    format!("`{n}` is not an integer this engine supports"),
                ),
            },
            Value::Object(o) if o.contains_key("fn") => self.call(o, path, scope),
            Value::Object(o) if o.contains_key("ref") => {
                known_keys(o, path, &["ref"])?;
                let name = string(&o["ref"], &join(path, "ref"))?;
                let (slot, ty) = self
                    .lookup(name, scope)
                    .map_or_else(|| error(&join(path, "ref"), unknown_reference(name)), Ok)?;
                Ok((self.exprs.intern(format!("e r {slot}")), ty))
            }
            other => error(
                path,
                format!(
                    "expected an expression (a string, a boolean, `ref` or `fn`), found {}",
                    describe(other)
                ),
            ),
        }
    }

    /// A literal string, or a template when botocore would take it for one.
    fn string_expr(&mut self, s: &str, path: &str, scope: &Scope) -> Result<(u32, Ty)> {
        if !is_template(s) {
            let id = self.string_id(s);
            return Ok((self.exprs.intern(format!("e s {id}")), Ty::Str));
        }
        let pieces =
            parse_template(s).or_else(|why| error(path, format!("template `{s}`: {why}")))?;
        let mut line = "e t".to_owned();
        for piece in pieces {
            match piece {
                Piece::Lit(text) => {
                    let id = self.string_id(&text);
                    let _ = write!(line, " s{id}");
                }
                Piece::Field(field) => {
                    let id = self.template_field(field, scope).or_else(|why| {
                        error(path, format!("template `{s}`, `{{{field}}}`: {why}"))
                    })?;
                    let _ = write!(line, " e{id}");
                }
            }
        }
        Ok((self.exprs.intern(line), Ty::Str))
    }

    /// A template reference, `name` or `name#attribute`: the expression reading it.
    fn template_field(&mut self, field: &str, scope: &Scope) -> std::result::Result<u32, String> {
        let mut segments = field.split('#');
        let name = segments.next().unwrap_or_default();
        let (slot, mut ty) = self
            .lookup(name, scope)
            .ok_or_else(|| unknown_reference(name))?;
        let mut id = self.exprs.intern(format!("e r {slot}"));
        for segment in segments {
            let attr = Attribute::from_name(segment)
                .and_then(|attr| ty.attribute(attr).map(|t| (attr, t)));
            let Some((attr, attr_ty)) = attr else {
                return Err(format!("{ty} has no attribute `{segment}`"));
            };
            id = self.exprs.intern(format!("e g {id} {attr} -"));
            ty = attr_ty;
        }
        if ty != Ty::Str {
            return Err(format!("a template inserts strings, and this is {ty}"));
        }
        Ok(id)
    }

    fn call(
        &mut self,
        call: &Map<String, Value>,
        path: &str,
        scope: &mut Scope,
    ) -> Result<(u32, Ty)> {
        known_keys(call, path, &["fn", "argv", "assign"])?;
        let name = string(&call["fn"], &join(path, "fn"))?;
        let argv_path = join(path, "argv");
        let argv = array(field(call, "argv", path)?, &argv_path)?;
        let arg_path = |i: usize| format!("{argv_path}[{i}]");
        // The arguments first: they may assign names of their own.
        let (callee, ty) = if name == GET_ATTR {
            if argv.len() != 2 {
                return error(
                    &argv_path,
                    format!("`{GET_ATTR}` takes 2 arguments, found {}", argv.len()),
                );
            }
            let (target, target_ty) = self.expr(&argv[0], &arg_path(0), scope)?;
            let attr_path = string(&argv[1], &arg_path(1))?;
            let ty = path_type(target_ty, attr_path).or_else(|why| error(&arg_path(1), why))?;
            (Callee::GetAttr(target, attr_path), ty)
        } else {
            let Some(func) = Function::from_name(name) else {
                return error(&join(path, "fn"), format!("unknown function `{name}`"));
            };
            let (params, result) = signature(func);
            if argv.len() != params.len() {
                return error(
                    &argv_path,
                    format!(
                        "`{name}` takes {} argument{}, found {}",
                        params.len(),
                        if params.len() == 1 { "" } else { "s" },
                        argv.len()
                    ),
                );
            }
            let mut args = Vec::with_capacity(argv.len());
            for (i, (arg, expected)) in argv.iter().zip(params).enumerate() {
                let path = arg_path(i);
                if matches!(expected, Arg::IntLiteral) && !arg.is_u64() {
                    return error(
                        &path,
                        format!("argument {} of `{name}` must be an integer literal", i + 1),
                    );
                }
                let (id, ty) = self.expr(arg, &path, scope)?;
                if let Arg::Is(want) = expected
                    && ty != *want
                {
                    return error(
                        &path,
                        format!("argument {} of `{name}` must be {want}, found {ty}", i + 1),
                    );
                }
                args.push(id);
            }
            (Callee::Function(func, args), result)
        };
        let assign = match call.get("assign") {
            None => "-".to_owned(),
            Some(name) => {
                let assign_path = join(path, "assign");
                let name = string(name, &assign_path)?;
                if self.lookup(name, scope).is_some() {
                    return error(
                        &assign_path,
                        format!("`{name}` is already in scope and cannot be assigned again"),
                    );
                }
                self.string_id(name);
                let slot = self.params.len() + self.assigned.insert_full(name.to_owned()).0;
                scope.assigned.push((name.to_owned(), slot as u32, ty));
                slot.to_string()
            }
        };
        let line = match callee {
            Callee::GetAttr(target, attr_path) => format!("e g {target} {attr_path} {assign}"),
            Callee::Function(func, args) => {
                let mut line = format!("e f {func} {assign}");
                for id in args {
                    let _ = write!(line, " {id}");
                }
                line
            }
        };
        Ok((self.exprs.intern(line), ty))
    }

    /// The encoded text.
    fn finish(self, root: &[u32]) -> CompiledRules {
        let mut out = String::new();
        out.push_str(HEADER);
        out.push('\n');
        for s in &self.strings {
            out.push('"');
            encoding::escape_string(s, &mut out);
            out.push('\n');
        }
        for line in &self.param_lines {
            out.push_str(line);
            out.push('\n');
        }
        for name in &self.assigned {
            // Assigned names were interned as strings when they were met.
            let id = self.strings.get_index_of(name.as_str()).unwrap_or_default();
            let _ = writeln!(out, "a {id}");
        }
        for table in [&self.exprs, &self.props, &self.rules] {
            for line in &table.lines {
                out.push_str(line);
                out.push('\n');
            }
        }
        out.push('R');
        for id in root {
            let _ = write!(out, " {id}");
        }
        out.push('\n');
        CompiledRules {
            encoded: out,
            params: self.params,
        }
    }
}

fn unknown_reference(name: &str) -> String {
    format!("unknown reference `{name}`: neither a parameter nor a name assigned in scope")
}

/// The type `getAttr(value, path)` gives for a value of type `ty`: `path` is `attr`,
/// `attr[n]` or `[n]`.
fn path_type(ty: Ty, path: &str) -> std::result::Result<Ty, String> {
    let bad =
        || format!("bad `{GET_ATTR}` path `{path}`: expected `name`, `name[index]` or `[index]`");
    let (name, index) = match path.split_once('[') {
        Some((name, rest)) => {
            let digits = rest.strip_suffix(']').ok_or_else(bad)?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            digits.parse::<u32>().map_err(|_| bad())?;
            (name, true)
        }
        None => (path, false),
    };
    let ty = if name.is_empty() {
        if !index {
            return Err(bad());
        }
        ty
    } else {
        let attr = Attribute::from_name(name)
            .ok_or_else(|| format!("`{path}`: unknown attribute `{name}`"))?;
        ty.attribute(attr)
            .ok_or_else(|| format!("`{path}`: {ty} has no attribute `{name}`"))?
    };
    if !index {
        return Ok(ty);
    }
    match ty {
        Ty::List | Ty::StrArray => Ok(Ty::Str),
        other => Err(format!("`{path}`: {other} cannot be indexed")),
    }
}

fn parse_param(name: &str, spec: &Value, path: &str) -> Result<Param> {
    let spec = object(spec, path)?;
    known_keys(
        spec,
        path,
        &[
            "type",
            "documentation",
            "builtIn",
            "default",
            "required",
            "deprecated",
        ],
    )?;
    let type_path = join(path, "type");
    let type_name = string(field(spec, "type", path)?, &type_path)?;
    let Some(kind) = ParamKind::from_name(type_name) else {
        return error(
            &type_path,
            format!(
                "unknown parameter type `{type_name}`: expected string, boolean or stringArray"
            ),
        );
    };
    let optional_string = |key: &str| -> Result<Option<String>> {
        spec.get(key)
            .map(|v| string(v, &join(path, key)).map(str::to_owned))
            .transpose()
    };
    let built_in = match optional_string("builtIn")? {
        None => None,
        Some(b) => {
            let Some(built_in) = BuiltIn::from_name(&b) else {
                return error(&join(path, "builtIn"), format!("unknown built-in `{b}`"));
            };
            if built_in.kind() != kind {
                return error(
                    &join(path, "builtIn"),
                    format!(
                        "`{b}` is a {} but the parameter is a {kind}",
                        built_in.kind()
                    ),
                );
            }
            Some(built_in)
        }
    };
    let default = match spec.get("default") {
        None | Some(Value::Null) => None,
        Some(value) => Some(default_value(value, kind).map_or_else(
            || {
                error(
                    &join(path, "default"),
                    format!(
                        "{} is not a default for a {kind} parameter",
                        describe(value)
                    ),
                )
            },
            Ok,
        )?),
    };
    let required = match spec.get("required") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return error(
                &join(path, "required"),
                format!("expected a boolean, found {}", describe(other)),
            );
        }
    };
    let deprecated = match spec.get("deprecated") {
        None => None,
        Some(value) => {
            let deprecated_path = join(path, "deprecated");
            let d = object(value, &deprecated_path)?;
            known_keys(d, &deprecated_path, &["message", "since"])?;
            let text = |key: &str| -> Result<Option<String>> {
                d.get(key)
                    .map(|v| string(v, &join(&deprecated_path, key)).map(str::to_owned))
                    .transpose()
            };
            Some(Deprecation {
                message: text("message")?,
                since: text("since")?,
            })
        }
    };
    Ok(Param {
        name: name.to_owned(),
        kind,
        built_in,
        default,
        required,
        documentation: optional_string("documentation")?,
        deprecated,
    })
}

fn default_value(value: &Value, kind: ParamKind) -> Option<ParamValue> {
    match (kind, value) {
        (ParamKind::Bool, Value::Bool(b)) => Some(ParamValue::Bool(*b)),
        (ParamKind::String, Value::String(s)) => Some(ParamValue::String(s.clone())),
        (ParamKind::StringArray, Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(ParamValue::StringArray),
        _ => None,
    }
}

/// Whether botocore takes `s` for a template: it holds `{name}` with `name` made of ASCII
/// letters and `#` (botocore's `\{[a-zA-Z#]+\}`).
fn is_template(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        if b != b'{' {
            return false;
        }
        let rest = &bytes[i + 1..];
        let n = rest
            .iter()
            .take_while(|c| c.is_ascii_alphabetic() || **c == b'#')
            .count();
        n > 0 && rest.get(n) == Some(&b'}')
    })
}

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'s> {
    Lit(String),
    Field(&'s str),
}

/// Splits a template as Python's `string.Formatter` does (botocore's template engine):
/// `{{` and `}}` are literal braces, `{field}` a reference. Conversions and format
/// specifications (`{x!r}`, `{x:>4}`) are refused: rule sets have none, and botocore
/// would apply them to the inserted value.
fn parse_template(s: &str) -> std::result::Result<Vec<Piece<'_>>, String> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(['{', '}']) {
        literal.push_str(&rest[..i]);
        let brace = rest.as_bytes()[i];
        let after = &rest[i + 1..];
        if after.as_bytes().first() == Some(&brace) {
            literal.push(char::from(brace));
            rest = &after[1..];
            continue;
        }
        if brace == b'}' {
            return Err("a single `}` (write `}}` for a literal brace)".to_owned());
        }
        let end = after
            .find(['{', '}'])
            .filter(|&j| after.as_bytes()[j] == b'}')
            .ok_or("a `{` that no `}` closes (write `{{` for a literal brace)")?;
        let field = &after[..end];
        if field.is_empty() {
            return Err("an empty reference `{}`".to_owned());
        }
        if field.contains(['!', ':']) {
            return Err(format!(
                "`{{{field}}}`: conversions and format specifications are not supported"
            ));
        }
        if !literal.is_empty() {
            pieces.push(Piece::Lit(std::mem::take(&mut literal)));
        }
        pieces.push(Piece::Field(field));
        rest = &after[end + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        pieces.push(Piece::Lit(literal));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use stratus_runtime::endpoint::{Params, RuleSet};

    /// A rule set with `Region` and `UseFIPS` and the given rules.
    fn with_rules(rules: Value) -> Value {
        json!({
            "version": "1.0",
            "parameters": {
                "Region": {"type": "String", "builtIn": "AWS::Region", "required": false},
                "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
            },
            "rules": rules,
        })
    }

    fn compile_error(rule_set: Value) -> Error {
        match compile(&rule_set) {
            Ok(compiled) => panic!("compiled:\n{}", compiled.encoded()),
            Err(e) => e,
        }
    }

    fn endpoint_rule(conditions: Value, url: Value) -> Value {
        json!([{"type": "endpoint", "conditions": conditions, "endpoint": {"url": url}}])
    }

    #[test]
    fn unknown_function_names_its_path() {
        let e = compile_error(with_rules(endpoint_rule(
            json!([{"fn": "isSet", "argv": [{"ref": "Region"}]}, {"fn": "coalesce", "argv": []}]),
            json!("https://x"),
        )));
        assert_eq!(e.path(), "rules[0].conditions[1].fn");
        assert_eq!(
            e.to_string(),
            "endpoint rule set, at rules[0].conditions[1].fn: unknown function `coalesce`"
        );
    }

    #[test]
    fn unknown_built_in_names_its_path() {
        let e = compile_error(json!({
            "version": "1.0",
            "parameters": {"Region": {"type": "string", "builtIn": "AWS::Moon"}},
            "rules": [],
        }));
        assert_eq!(
            e.to_string(),
            "endpoint rule set, at parameters.Region.builtIn: unknown built-in `AWS::Moon`"
        );
        let e = compile_error(json!({
            "version": "1.0",
            "parameters": {"Region": {"type": "boolean", "builtIn": "AWS::Region"}},
            "rules": [],
        }));
        assert_eq!(
            e.message(),
            "`AWS::Region` is a string but the parameter is a boolean"
        );
    }

    #[test]
    fn unknown_references_are_rejected() {
        let e = compile_error(with_rules(endpoint_rule(
            json!([{"fn": "isSet", "argv": [{"ref": "Bucket"}]}]),
            json!("https://x"),
        )));
        assert_eq!(e.path(), "rules[0].conditions[0].argv[0].ref");
        assert_eq!(
            e.message(),
            "unknown reference `Bucket`: neither a parameter nor a name assigned in scope"
        );
        // A name assigned in one rule is not in scope in its sibling.
        let e = compile_error(with_rules(json!([
            {"type": "tree", "conditions": [], "rules": [
                {"type": "endpoint", "conditions": [
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}
                ], "endpoint": {"url": "https://{Region}.{P#dnsSuffix}"}},
                {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{P#dnsSuffix}"}}
            ]}
        ])));
        assert_eq!(e.path(), "rules[0].rules[1].endpoint.url");
        assert_eq!(
            e.message(),
            "template `https://{P#dnsSuffix}`, `{P#dnsSuffix}`: unknown reference `P`: neither a parameter nor a name assigned in scope"
        );
    }

    #[test]
    fn wrong_arity_and_argument_types_are_rejected() {
        let e = compile_error(with_rules(endpoint_rule(
            json!([{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}]}]),
            json!("https://x"),
        )));
        assert_eq!(e.path(), "rules[0].conditions[0].argv");
        assert_eq!(e.message(), "`booleanEquals` takes 2 arguments, found 1");
        let e = compile_error(with_rules(endpoint_rule(
            json!([{"fn": "booleanEquals", "argv": [{"ref": "Region"}, true]}]),
            json!("https://x"),
        )));
        assert_eq!(e.path(), "rules[0].conditions[0].argv[0]");
        assert_eq!(
            e.message(),
            "argument 1 of `booleanEquals` must be a boolean, found a string"
        );
        let e = compile_error(with_rules(endpoint_rule(
            json!([{"fn": "substring", "argv": [{"ref": "Region"}, 0, {"ref": "Region"}, false]}]),
            json!("https://x"),
        )));
        assert_eq!(e.path(), "rules[0].conditions[0].argv[2]");
        assert_eq!(
            e.message(),
            "argument 3 of `substring` must be an integer literal"
        );
    }

    #[test]
    fn bad_templates_are_rejected() {
        let cases = [
            (
                "https://{Region}.x}",
                "a single `}` (write `}}` for a literal brace)",
            ),
            (
                "https://{Region}.{x",
                "a `{` that no `}` closes (write `{{` for a literal brace)",
            ),
            (
                "https://{Region:>4}.{Region}",
                "`{Region:>4}`: conversions and format specifications are not supported",
            ),
        ];
        for (url, why) in cases {
            let e = compile_error(with_rules(endpoint_rule(json!([]), json!(url))));
            assert_eq!(e.path(), "rules[0].endpoint.url", "{url}");
            assert_eq!(e.message(), format!("template `{url}`: {why}"));
        }
        // A template inserts strings only.
        let e = compile_error(with_rules(endpoint_rule(
            json!([]),
            json!("https://{UseFIPS}"),
        )));
        assert_eq!(
            e.message(),
            "template `https://{UseFIPS}`, `{UseFIPS}`: a template inserts strings, and this is a boolean"
        );
    }

    #[test]
    fn bad_get_attr_paths_are_rejected() {
        let rules = |path: &str| {
            with_rules(endpoint_rule(
                json!([
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"},
                    {"fn": "getAttr", "argv": [{"ref": "P"}, path]}
                ]),
                json!("https://x"),
            ))
        };
        let e = compile_error(rules("dnsSufix"));
        assert_eq!(e.path(), "rules[0].conditions[1].argv[1]");
        assert_eq!(e.message(), "`dnsSufix`: unknown attribute `dnsSufix`");
        assert_eq!(
            compile_error(rules("region")).message(),
            "`region`: a partition has no attribute `region`"
        );
        assert_eq!(
            compile_error(rules("name[0]")).message(),
            "`name[0]`: a string cannot be indexed"
        );
        assert_eq!(
            compile_error(rules("name[x]")).message(),
            "bad `getAttr` path `name[x]`: expected `name`, `name[index]` or `[index]`"
        );
    }

    #[test]
    fn structure_errors_name_their_path() {
        let e = compile_error(with_rules(json!([{"type": "leaf", "conditions": []}])));
        assert_eq!(e.path(), "rules[0].type");
        assert!(e.message().starts_with("unknown rule type `leaf`"), "{e}");
        let e = compile_error(with_rules(
            json!([{"type": "error", "conditions": [], "error": "x", "url": "y"}]),
        ));
        assert_eq!(e.path(), "rules[0]");
        assert!(e.message().starts_with("unknown field `url`"), "{e}");
        let e = compile_error(with_rules(json!([{"type": "error", "error": "x"}])));
        assert_eq!(e.message(), "missing field `conditions`");
        let e = compile_error(with_rules(endpoint_rule(
            json!([{"ref": "Region"}]),
            json!("https://x"),
        )));
        assert_eq!(e.path(), "rules[0].conditions[0]");
        let e = compile_error(with_rules(endpoint_rule(
            json!([
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}
            ]),
            json!("https://x"),
        )));
        assert_eq!(e.path(), "rules[0].conditions[1].assign");
        assert_eq!(
            e.message(),
            "`P` is already in scope and cannot be assigned again"
        );
        let e = compile_error(
            json!({"version": "1.0", "parameters": {"X": {"type": "list"}}, "rules": []}),
        );
        assert_eq!(
            e.to_string(),
            "endpoint rule set, at parameters.X.type: unknown parameter type `list`: expected string, boolean or stringArray"
        );
    }

    #[test]
    fn compiles_and_resolves_through_the_runtime() {
        let compiled = compile(&with_rules(json!([
            {"type": "tree", "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}
            ], "rules": [
                {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                 "endpoint": {"url": "https://svc-fips.{Region}.{PartitionResult#dnsSuffix}",
                              "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}"}]},
                              "headers": {"x-a": ["{{literal}}", {"ref": "Region"}]}}},
                {"type": "endpoint", "conditions": [],
                 "endpoint": {"url": "https://svc.{Region}.{PartitionResult#dnsSuffix}", "properties": {}, "headers": {}}}
            ]},
            {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}
        ])))
        .unwrap();
        assert_eq!(compiled.params().len(), 2);
        assert_eq!(compiled.params()[1].default, Some(ParamValue::Bool(false)));
        assert_eq!(compiled.params()[0].built_in, Some(BuiltIn::Region));
        let rules = RuleSet::decode(compiled.encoded()).unwrap();
        let mut params = Params::new(&rules);
        assert_eq!(
            rules.resolve(&params).unwrap_err().to_string(),
            "Invalid Configuration: Missing Region"
        );
        params.set(0, "us-west-2").unwrap();
        let endpoint = rules.resolve(&params).unwrap();
        assert_eq!(endpoint.url, "https://svc.us-west-2.amazonaws.com");
        assert!(endpoint.headers.is_empty());
        params.set(1, true).unwrap();
        let endpoint = rules.resolve(&params).unwrap();
        assert_eq!(endpoint.url, "https://svc-fips.us-west-2.amazonaws.com");
        // `{{literal}}` is a template (it holds `{literal}`), so its braces are escapes.
        assert_eq!(
            endpoint.headers,
            vec![(
                "x-a".to_owned(),
                vec!["{literal}".to_owned(), "us-west-2".to_owned()]
            )]
        );
        assert_eq!(
            endpoint.properties.to_string(),
            r#"{"authSchemes":[{"name":"sigv4","signingRegion":"us-west-2"}]}"#
        );
    }

    #[test]
    fn identical_sub_trees_are_written_once() {
        let leaf = json!({"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
                          "endpoint": {"url": "https://{Region}.example.com"}});
        let compiled = compile(&with_rules(json!([
            {"type": "tree", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}], "rules": [leaf.clone()]},
            {"type": "tree", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, false]}], "rules": [leaf]},
        ])))
        .unwrap();
        let text = compiled.encoded();
        let rules: Vec<&str> = text.lines().filter(|l| l.starts_with("r ")).collect();
        assert_eq!(rules.len(), 3, "{text}");
        // The template's literal parts are interned strings, each written once.
        assert_eq!(text.lines().filter(|l| *l == "\"https://").count(), 1);
        assert_eq!(text.matches(".example.com").count(), 1, "{text}");
    }

    #[test]
    fn rust_literal_keeps_lines_and_escapes() {
        assert_eq!(rust_string_literal("a\n\"b\\"), "\"\\\na\n\\\"b\\\\\"");
        assert_eq!(rust_string_literal("\r\t"), "\"\\\n\\u{d}\\u{9}\"");
    }

    #[test]
    fn template_detection_matches_botocore() {
        assert!(is_template("https://{Region}"));
        assert!(is_template("{a#b}"));
        assert!(!is_template("https://{Region_1}"));
        assert!(!is_template("{}"));
        assert!(!is_template("{{"));
        assert!(is_template("{{Region}}"));
    }

    /// Every rule set of `models/` compiles, and decodes in the runtime.
    #[test]
    fn every_model_rule_set_compiles() {
        let models = crate::ModelsDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../models"));
        let services = models.services().unwrap();
        assert!(services.len() >= 400, "{} services", services.len());
        let mut failures = Vec::new();
        let mut compiled_count = 0;
        for service in &services {
            let Some(rules) = models.load_endpoint_rules(service).unwrap() else {
                failures.push(format!("{service}: no endpoint rule set"));
                continue;
            };
            match compile(&rules) {
                Ok(compiled) => {
                    compiled_count += 1;
                    if let Err(e) = RuleSet::decode(compiled.encoded()) {
                        failures.push(format!("{service}: {e}"));
                    }
                }
                Err(e) => failures.push(format!("{service}: {e}")),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert_eq!(compiled_count, services.len());
    }
}
