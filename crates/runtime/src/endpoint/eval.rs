//! Resolution: evaluates a decoded [`RuleSet`] for bound [`Params`], as botocore's
//! `EndpointProvider` does.
//!
//! - Parameters are checked and defaulted in declaration order: a missing required one, or
//!   a value of the wrong kind, fails with botocore's message.
//! - Rules are tried in order. A rule applies when every condition gives a value other than
//!   `false` or unset (an empty string counts as holding); a condition's result is assigned
//!   when it names a variable. A tree whose sub-rules all fail to apply falls through to
//!   the next rule; an error rule fails resolution with its message; when no rule applies
//!   the error lists the parameters the caller bound.
//! - Type errors botocore raises at run time (`booleanEquals` of an unset value, …) give
//!   botocore's messages.
//!
//! Evaluation works on values that borrow from the parameters and the rule set: each
//! variable of the rule set has a slot (its index is resolved by the compiler), and a slot
//! read is a copy of a borrowed string, never a lookup by name. Memory is allocated for the
//! slots, for the result, and for the few values that must own text (templates, encodings
//! that change their input, parsed ARNs and URLs).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use super::params::{ParamValue, Params};
use super::partition;
use super::rules::{Attribute, Expr, Fast, Function, Id, Part, Prop, Rule, RuleSet, Span};
use super::stdlib;
use crate::document::Document;

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The URL requests go to.
    pub url: String,
    /// Headers to add to requests, in the rule's order, each with its values.
    pub headers: Vec<(String, Vec<String>)>,
    /// The endpoint's properties (such as `authSchemes`); an empty object when the rule has
    /// none.
    pub properties: Document,
}

/// What kind of failure a [`ResolveError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResolveErrorKind {
    /// An error rule of the rule set applied: the message is the rule's.
    Rule,
    /// No rule applied.
    NoEndpoint,
    /// A required parameter has no value.
    MissingParam,
    /// A parameter's value is not of the parameter's kind.
    WrongParamType,
    /// Evaluation met a value it cannot work with (botocore raises an exception there).
    Evaluation,
}

/// Why no endpoint was resolved. Its `Display` is the message botocore gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError {
    kind: ResolveErrorKind,
    message: String,
}

impl ResolveError {
    fn new(kind: ResolveErrorKind, message: impl Into<String>) -> Self {
        ResolveError {
            kind,
            message: message.into(),
        }
    }

    fn evaluation(message: impl Into<String>) -> Self {
        ResolveError::new(ResolveErrorKind::Evaluation, message)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ResolveErrorKind {
        self.kind
    }

    /// The message, such as a rule's `Invalid Configuration: Missing Region`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ResolveError {}

type Result<T> = std::result::Result<T, ResolveError>;

/// The result of `aws.partition`: what `getAttr` reads.
#[derive(Debug, Clone, Copy)]
struct PartitionValue {
    name: &'static str,
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
    supports_fips: bool,
    supports_dual_stack: bool,
    implicit_global_region: &'static str,
}

impl From<partition::Partition> for PartitionValue {
    fn from(p: partition::Partition) -> Self {
        PartitionValue {
            name: p.name,
            dns_suffix: p.dns_suffix,
            dual_stack_dns_suffix: p.dual_stack_dns_suffix,
            supports_fips: p.supports_fips,
            supports_dual_stack: p.supports_dual_stack,
            implicit_global_region: p.implicit_global_region,
        }
    }
}

/// The result of `aws.parseArn`, borrowing from the input when the input is borrowed.
#[derive(Debug, Clone)]
struct ArnValue<'a> {
    partition: Cow<'a, str>,
    service: Cow<'a, str>,
    region: Cow<'a, str>,
    account_id: Cow<'a, str>,
    resource_id: Vec<Cow<'a, str>>,
}

/// The result of `parseURL`, borrowing from the input when the input is borrowed.
#[derive(Debug, Clone)]
struct UrlValue<'a> {
    scheme: Cow<'a, str>,
    authority: Cow<'a, str>,
    path: Cow<'a, str>,
    normalized_path: Cow<'a, str>,
    is_ip: bool,
}

/// A value during evaluation.
#[derive(Debug, Clone)]
enum Value<'a> {
    /// Unset (Python's `None`).
    None,
    Bool(bool),
    Int(u32),
    Str(Cow<'a, str>),
    /// A `stringArray` parameter.
    StrArray(&'a [String]),
    /// A list of strings (an ARN's `resourceId`).
    List(Vec<Cow<'a, str>>),
    /// Boxed: it is the largest value, and the rarest in slots.
    Partition(Box<PartitionValue>),
    Arn(Box<ArnValue<'a>>),
    Url(Box<UrlValue<'a>>),
}

impl<'a> Value<'a> {
    /// Whether a condition giving this value holds: anything but `false` and unset.
    fn holds(&self) -> bool {
        !matches!(self, Value::None | Value::Bool(false))
    }

    /// Python's truth value, for `not`.
    fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(n) => *n != 0,
            Value::Str(s) => !s.is_empty(),
            Value::StrArray(items) => !items.is_empty(),
            Value::List(items) => !items.is_empty(),
            Value::Partition(_) | Value::Arn(_) | Value::Url(_) => true,
        }
    }

    /// The Python type botocore's messages name.
    fn python_type(&self) -> &'static str {
        match self {
            Value::None => "<class 'NoneType'>",
            Value::Bool(_) => "<class 'bool'>",
            Value::Int(_) => "<class 'int'>",
            Value::Str(_) => "<class 'str'>",
            Value::StrArray(_) => "<class 'tuple'>",
            Value::List(_) => "<class 'list'>",
            Value::Partition(_) | Value::Arn(_) | Value::Url(_) => "<class 'dict'>",
        }
    }

    /// An attribute of a partition, ARN or URL; unset for an unset value.
    fn attribute(&self, attr: Attribute) -> Result<Value<'a>> {
        let s = |s: &Cow<'a, str>| Ok(Value::Str(s.clone()));
        match (self, attr) {
            (Value::None, _) => Ok(Value::None),
            (Value::Partition(p), Attribute::Name) => Ok(Value::Str(Cow::Borrowed(p.name))),
            (Value::Partition(p), Attribute::DnsSuffix) => {
                Ok(Value::Str(Cow::Borrowed(p.dns_suffix)))
            }
            (Value::Partition(p), Attribute::DualStackDnsSuffix) => {
                Ok(Value::Str(Cow::Borrowed(p.dual_stack_dns_suffix)))
            }
            (Value::Partition(p), Attribute::SupportsFips) => Ok(Value::Bool(p.supports_fips)),
            (Value::Partition(p), Attribute::SupportsDualStack) => {
                Ok(Value::Bool(p.supports_dual_stack))
            }
            (Value::Partition(p), Attribute::ImplicitGlobalRegion) => {
                Ok(Value::Str(Cow::Borrowed(p.implicit_global_region)))
            }
            (Value::Arn(arn), Attribute::ArnPartition) => s(&arn.partition),
            (Value::Arn(arn), Attribute::Service) => s(&arn.service),
            (Value::Arn(arn), Attribute::Region) => s(&arn.region),
            (Value::Arn(arn), Attribute::AccountId) => s(&arn.account_id),
            (Value::Arn(arn), Attribute::ResourceId) => Ok(Value::List(arn.resource_id.clone())),
            (Value::Url(url), Attribute::Scheme) => s(&url.scheme),
            (Value::Url(url), Attribute::Authority) => s(&url.authority),
            (Value::Url(url), Attribute::Path) => s(&url.path),
            (Value::Url(url), Attribute::NormalizedPath) => s(&url.normalized_path),
            (Value::Url(url), Attribute::IsIp) => Ok(Value::Bool(url.is_ip)),
            (other, attr) => Err(ResolveError::evaluation(format!(
                "getAttr: a {} has no attribute `{attr}`",
                other.python_type()
            ))),
        }
    }

    /// Item `index` of a list; unset past its end or for an unset value.
    fn item(&self, index: u32) -> Result<Value<'a>> {
        let index = index as usize;
        match self {
            Value::None => Ok(Value::None),
            Value::StrArray(items) => Ok(items
                .get(index)
                .map_or(Value::None, |s| Value::Str(Cow::Borrowed(s.as_str())))),
            Value::List(items) => Ok(items
                .get(index)
                .map_or(Value::None, |s| Value::Str(s.clone()))),
            other => Err(ResolveError::evaluation(format!(
                "getAttr: a {} has no item [{index}]",
                other.python_type()
            ))),
        }
    }

    /// `getAttr` with a path of an attribute, an index, or both.
    fn get_attr(&self, attr: Option<Attribute>, index: Option<u32>) -> Result<Value<'a>> {
        // An ARN's resource by index, without copying the list.
        if let (Value::Arn(arn), Some(Attribute::ResourceId), Some(index)) = (self, attr, index) {
            return Ok(arn
                .resource_id
                .get(index as usize)
                .map_or(Value::None, |s| Value::Str(s.clone())));
        }
        match (attr, index) {
            (Some(attr), Some(index)) => self.attribute(attr)?.item(index),
            (Some(attr), None) => self.attribute(attr),
            (None, Some(index)) => self.item(index),
            (None, None) => Ok(self.clone()),
        }
    }
}

/// Applies `f` to a string, keeping the result borrowed when the string is.
fn map_str<'a, T>(
    s: Cow<'a, str>,
    borrowed: impl FnOnce(&'a str) -> T,
    owned: impl FnOnce(&str) -> T,
) -> T {
    match s {
        Cow::Borrowed(s) => borrowed(s),
        Cow::Owned(s) => owned(&s),
    }
}

fn owned_arn<'a>(arn: stdlib::Arn<'_>) -> ArnValue<'a> {
    let text = |s: &str| -> Cow<'a, str> { Cow::Owned(s.to_owned()) };
    ArnValue {
        partition: text(arn.partition),
        service: text(arn.service),
        region: text(arn.region),
        account_id: text(arn.account_id),
        resource_id: arn.resource_id.into_iter().map(text).collect(),
    }
}

fn borrowed_arn(arn: stdlib::Arn<'_>) -> ArnValue<'_> {
    ArnValue {
        partition: Cow::Borrowed(arn.partition),
        service: Cow::Borrowed(arn.service),
        region: Cow::Borrowed(arn.region),
        account_id: Cow::Borrowed(arn.account_id),
        resource_id: arn.resource_id.into_iter().map(Cow::Borrowed).collect(),
    }
}

fn borrowed_url(url: stdlib::Url<'_>) -> UrlValue<'_> {
    UrlValue {
        scheme: Cow::Borrowed(url.scheme),
        authority: Cow::Borrowed(url.authority),
        path: Cow::Borrowed(url.path),
        normalized_path: url.normalized_path,
        is_ip: url.is_ip,
    }
}

fn owned_url<'a>(url: stdlib::Url<'_>) -> UrlValue<'a> {
    UrlValue {
        scheme: Cow::Owned(url.scheme.to_owned()),
        authority: Cow::Owned(url.authority.to_owned()),
        path: Cow::Owned(url.path.to_owned()),
        normalized_path: Cow::Owned(url.normalized_path.into_owned()),
        is_ip: url.is_ip,
    }
}

impl RuleSet {
    /// Resolves the endpoint for `params`.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint> {
        let mut eval = Eval {
            rs: self,
            slots: Vec::with_capacity(self.slot_count()),
        };
        for (index, spec) in self.params.iter().enumerate() {
            let value = match params.get(index) {
                Some(value) if value.kind() != spec.kind => {
                    return Err(ResolveError::new(
                        ResolveErrorKind::WrongParamType,
                        format!(
                            "Value ({}) is the wrong type. Must be {}.",
                            spec.name,
                            spec.kind.python_type()
                        ),
                    ));
                }
                Some(value) => Some(value),
                None => spec.default.as_ref(),
            };
            eval.slots.push(match value {
                None if spec.required => {
                    return Err(ResolveError::new(
                        ResolveErrorKind::MissingParam,
                        format!("Cannot find value for required parameter {}", spec.name),
                    ));
                }
                None => Value::None,
                Some(ParamValue::Bool(b)) => Value::Bool(*b),
                Some(ParamValue::String(s)) => Value::Str(Cow::Borrowed(s.as_str())),
                Some(ParamValue::StringArray(items)) => Value::StrArray(items.as_slice()),
            });
        }
        eval.slots.resize_with(self.slot_count(), || Value::None);
        match eval.rules(self.root)? {
            Some(rule) => eval.endpoint(rule),
            None => Err(no_endpoint(self, params)),
        }
    }
}

/// botocore's error when no rule applies: the parameters the caller bound, one a line.
fn no_endpoint(rules: &RuleSet, params: &Params) -> ResolveError {
    let mut message = String::from("No endpoint found for parameters:\n");
    let mut first = true;
    for (spec, value) in rules.params.iter().zip(params.values()) {
        if let Some(value) = value {
            if !first {
                message.push('\n');
            }
            first = false;
            use fmt::Write as _;
            // Writing to a String cannot fail.
            let _ = write!(message, "{}: {value}", spec.name);
        }
    }
    ResolveError::new(ResolveErrorKind::NoEndpoint, message)
}

/// One resolution: the rule set and the value of every slot.
struct Eval<'a> {
    rs: &'a RuleSet,
    slots: Vec<Value<'a>>,
}

impl<'a> Eval<'a> {
    /// The first endpoint rule of `rules` that applies; `None` when none does.
    ///
    /// The search returns the rule rather than the endpoint: building it afterwards is the
    /// same, as the names the rule reads were assigned on the way to it and no rule
    /// evaluated since could assign them again (a name is never assigned twice in scope).
    fn rules(&mut self, rules: Span) -> Result<Option<Id>> {
        let rs = self.rs;
        for &rule in rs.list(rules) {
            if let Some(endpoint) = self.rule(rule)? {
                return Ok(Some(endpoint));
            }
        }
        Ok(None)
    }

    fn rule(&mut self, rule: Id) -> Result<Option<Id>> {
        match self.rs.rules[rule as usize] {
            Rule::Tree { conditions, rules } => {
                if self.conditions(conditions)? {
                    self.rules(rules)
                } else {
                    Ok(None)
                }
            }
            Rule::Endpoint { conditions, .. } => Ok(self.conditions(conditions)?.then_some(rule)),
            Rule::Error {
                conditions,
                message,
            } => {
                if self.conditions(conditions)? {
                    let message = self.eval(message)?;
                    Err(ResolveError::new(
                        ResolveErrorKind::Rule,
                        python_str(&message),
                    ))
                } else {
                    Ok(None)
                }
            }
        }
    }

    /// Whether every condition holds, evaluated in order up to the first that does not.
    fn conditions(&mut self, conditions: Span) -> Result<bool> {
        let rs = self.rs;
        for cond in &rs.conds[conditions.range()] {
            // Most conditions have a fast form (never one that assigns).
            let holds = match self.answer(cond.fast) {
                Some(holds) => holds,
                None => {
                    let value = self.compute(cond.expr)?;
                    let holds = value.holds();
                    if let Some(slot) = rs.exprs[cond.expr as usize].assign() {
                        // The result moves into its slot rather than being copied.
                        self.slots[slot as usize] = value;
                    }
                    holds
                }
            };
            if !holds {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The value of an argument: leaves (references and literals) read in place, anything
    /// else evaluated.
    #[inline]
    fn operand(&mut self, expr: Id) -> Result<Value<'a>> {
        let rs = self.rs;
        match rs.exprs[expr as usize] {
            Expr::Ref(slot) => Ok(self.slots[slot as usize].clone()),
            Expr::Str(s) => Ok(Value::Str(Cow::Borrowed(rs.str(s)))),
            Expr::Bool(b) => Ok(Value::Bool(b)),
            Expr::Int(n) => Ok(Value::Int(n)),
            _ => self.eval(expr),
        }
    }

    /// The value of an expression, assigned to its slot if it has one.
    fn eval(&mut self, expr: Id) -> Result<Value<'a>> {
        let value = self.compute(expr)?;
        if let Some(slot) = self.rs.exprs[expr as usize].assign() {
            self.slots[slot as usize] = value.clone();
        }
        Ok(value)
    }

    /// The value of an expression, without assigning it.
    fn compute(&mut self, expr: Id) -> Result<Value<'a>> {
        let rs = self.rs;
        if let Some(b) = self.answer(rs.fast[expr as usize]) {
            return Ok(Value::Bool(b));
        }
        match rs.exprs[expr as usize] {
            Expr::Str(s) => Ok(Value::Str(Cow::Borrowed(rs.str(s)))),
            Expr::Template(parts) => self.template(parts).map(|s| Value::Str(Cow::Owned(s))),
            Expr::Bool(b) => Ok(Value::Bool(b)),
            Expr::Int(n) => Ok(Value::Int(n)),
            Expr::Ref(slot) => Ok(self.slots[slot as usize].clone()),
            Expr::GetAttr {
                target,
                attr,
                index,
                ..
            } => match rs.exprs[target as usize] {
                // Read the attribute in place: no copy of the whole value.
                Expr::Ref(slot) => self.slots[slot as usize].get_attr(attr, index),
                _ => self.eval(target)?.get_attr(attr, index),
            },
            Expr::Call { func, args, .. } => self.call(func, args),
        }
    }

    /// The answer of a fast form, when its operands have the expected types.
    #[inline(always)]
    fn answer(&self, fast: Fast) -> Option<bool> {
        let rs = self.rs;
        let slot = |slot: u32| &self.slots[slot as usize];
        match fast {
            Fast::Generic => None,
            Fast::IsSet(s) => Some(!matches!(slot(s), Value::None)),
            Fast::NotIsSet(s) => Some(matches!(slot(s), Value::None)),
            Fast::BoolEq(s, want) => match slot(s) {
                Value::Bool(b) => Some(*b == want),
                _ => None,
            },
            Fast::AttrBoolEq(s, attr, want) => match (slot(s), attr) {
                (Value::Partition(p), Attribute::SupportsFips) => Some(p.supports_fips == want),
                (Value::Partition(p), Attribute::SupportsDualStack) => {
                    Some(p.supports_dual_stack == want)
                }
                (Value::Url(url), Attribute::IsIp) => Some(url.is_ip == want),
                _ => None,
            },
            Fast::StrEq(s, want) => match slot(s) {
                Value::Str(s) => Some(*s == *rs.str(want)),
                _ => None,
            },
            Fast::AttrStrEq(s, attr, want) => {
                let want = rs.str(want);
                match (slot(s), attr) {
                    (Value::Partition(p), Attribute::Name) => Some(p.name == want),
                    (Value::Arn(arn), Attribute::ArnPartition) => Some(arn.partition == want),
                    (Value::Arn(arn), Attribute::Service) => Some(arn.service == want),
                    (Value::Arn(arn), Attribute::Region) => Some(arn.region == want),
                    (Value::Arn(arn), Attribute::AccountId) => Some(arn.account_id == want),
                    (Value::Url(url), Attribute::Scheme) => Some(url.scheme == want),
                    _ => None,
                }
            }
        }
    }

    fn call(&mut self, func: Function, args: Span) -> Result<Value<'a>> {
        let rs = self.rs;
        let args = rs.list(args);
        let value = match (func, args) {
            (Function::IsSet, &[arg]) => {
                let unset = match rs.exprs[arg as usize] {
                    Expr::Ref(slot) => matches!(self.slots[slot as usize], Value::None),
                    _ => matches!(self.operand(arg)?, Value::None),
                };
                Value::Bool(!unset)
            }
            (Function::Not, &[arg]) => Value::Bool(!self.operand(arg)?.truthy()),
            (Function::BooleanEquals, &[a, b]) => match (self.operand(a)?, self.operand(b)?) {
                (Value::Bool(a), Value::Bool(b)) => Value::Bool(a == b),
                (a, b) => {
                    return Err(ResolveError::evaluation(format!(
                        "Both arguments must be bools, not {} and {}.",
                        a.python_type(),
                        b.python_type()
                    )));
                }
            },
            (Function::StringEquals, &[a, b]) => match (self.operand(a)?, self.operand(b)?) {
                (Value::Str(a), Value::Str(b)) => Value::Bool(a == b),
                (a, b) => {
                    return Err(ResolveError::evaluation(format!(
                        "Both values must be strings, not {} and {}.",
                        a.python_type(),
                        b.python_type()
                    )));
                }
            },
            (Function::Partition, &[region]) => {
                let partition = match self.operand(region)? {
                    Value::Str(region) => partition::partition(&region),
                    // botocore gives the first partition, `aws`, for an unset region.
                    Value::None => partition::partition(""),
                    other => return Err(wrong_argument(func, &other)),
                };
                Value::Partition(Box::new(partition.into()))
            }
            (Function::ParseArn, &[arn]) => match self.operand(arn)? {
                Value::Str(s) => map_str(
                    s,
                    |s| stdlib::parse_arn(s).map(borrowed_arn),
                    |s| stdlib::parse_arn(s).map(owned_arn),
                )
                .map_or(Value::None, |arn| Value::Arn(Box::new(arn))),
                Value::None => Value::None,
                other => return Err(wrong_argument(func, &other)),
            },
            (Function::ParseUrl, &[url]) => match self.operand(url)? {
                Value::Str(s) => map_str(
                    s,
                    |s| stdlib::parse_url(s).map(borrowed_url),
                    |s| stdlib::parse_url(s).map(owned_url),
                )
                .map_or(Value::None, |url| Value::Url(Box::new(url))),
                Value::None => Value::None,
                other => return Err(wrong_argument(func, &other)),
            },
            (Function::UriEncode, &[value]) => match self.operand(value)? {
                Value::Str(s) => Value::Str(map_str(s, stdlib::uri_encode, |s| {
                    Cow::Owned(stdlib::uri_encode(s).into_owned())
                })),
                Value::None => Value::None,
                other => return Err(wrong_argument(func, &other)),
            },
            (Function::IsValidHostLabel, &[value, subdomains]) => {
                let value = self.operand(value)?;
                let subdomains = self.operand(subdomains)?;
                match value {
                    Value::Str(s) => {
                        Value::Bool(stdlib::is_valid_host_label(&s, subdomains.truthy()))
                    }
                    Value::None => Value::Bool(false),
                    other => return Err(wrong_argument(func, &other)),
                }
            }
            (Function::IsVirtualHostableS3Bucket, &[value, subdomains]) => {
                let value = self.operand(value)?;
                let subdomains = self.operand(subdomains)?;
                match value {
                    Value::Str(s) => Value::Bool(stdlib::is_virtual_hostable_s3_bucket(
                        &s,
                        subdomains.truthy(),
                    )),
                    Value::None => Value::Bool(false),
                    other => return Err(wrong_argument(func, &other)),
                }
            }
            (Function::Substring, &[value, start, stop, reverse]) => {
                let value = self.operand(value)?;
                let (start, stop) = match (self.operand(start)?, self.operand(stop)?) {
                    (Value::Int(start), Value::Int(stop)) => (start as usize, stop as usize),
                    (start, stop) => {
                        return Err(ResolveError::evaluation(format!(
                            "substring: the bounds must be integers, not {} and {}.",
                            start.python_type(),
                            stop.python_type()
                        )));
                    }
                };
                let reverse = matches!(self.operand(reverse)?, Value::Bool(true));
                match value {
                    Value::Str(s) => map_str(
                        s,
                        |s| stdlib::substring(s, start, stop, reverse).map(Cow::Borrowed),
                        |s| {
                            stdlib::substring(s, start, stop, reverse)
                                .map(|s| Cow::Owned(s.to_owned()))
                        },
                    )
                    .map_or(Value::None, Value::Str),
                    other => {
                        return Err(ResolveError::evaluation(format!(
                            "Input must be a string, not {}.",
                            other.python_type()
                        )));
                    }
                }
            }
            (func, args) => {
                return Err(ResolveError::evaluation(format!(
                    "`{func}` called with {} arguments",
                    args.len()
                )));
            }
        };
        Ok(value)
    }

    /// A template string, its references filled in.
    fn template(&mut self, parts: Span) -> Result<String> {
        let rs = self.rs;
        let parts = &rs.parts[parts.range()];
        let mut out = String::with_capacity(64);
        for part in parts {
            match *part {
                Part::Lit(s) => out.push_str(rs.str(s)),
                Part::Expr(expr) => {
                    let value = match rs.exprs[expr as usize] {
                        Expr::Ref(slot) => match &self.slots[slot as usize] {
                            Value::Str(s) => {
                                out.push_str(s);
                                continue;
                            }
                            other => other.clone(),
                        },
                        _ => self.operand(expr)?,
                    };
                    match value {
                        Value::Str(s) => out.push_str(&s),
                        Value::Bool(true) => out.push_str("True"),
                        Value::Bool(false) => out.push_str("False"),
                        Value::None => {
                            return Err(ResolveError::evaluation(format!(
                                "a template refers to `{}`, which has no value",
                                describe(rs, expr)
                            )));
                        }
                        other => {
                            return Err(ResolveError::evaluation(format!(
                                "a template refers to `{}`, a {}, not a string",
                                describe(rs, expr),
                                other.python_type()
                            )));
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// The endpoint of endpoint rule `rule`, whose conditions hold.
    fn endpoint(&mut self, rule: Id) -> Result<Endpoint> {
        let rs = self.rs;
        let Rule::Endpoint {
            url,
            headers,
            properties,
            ..
        } = rs.rules[rule as usize]
        else {
            return Err(ResolveError::evaluation(format!(
                "rule {rule} is not an endpoint"
            )));
        };
        let url = match self.operand(url)? {
            Value::Str(url) => url.into_owned(),
            other => {
                return Err(ResolveError::evaluation(format!(
                    "the endpoint URL is a {}, not a string",
                    other.python_type()
                )));
            }
        };
        let mut resolved_headers = Vec::with_capacity(headers.len as usize);
        for header in &rs.headers[headers.range()] {
            let mut values = Vec::with_capacity(header.values.len as usize);
            for &value in rs.list(header.values) {
                match self.operand(value)? {
                    Value::Str(s) => values.push(s.into_owned()),
                    other => {
                        return Err(ResolveError::evaluation(format!(
                            "a value of header `{}` is a {}, not a string",
                            rs.str(header.name),
                            other.python_type()
                        )));
                    }
                }
            }
            resolved_headers.push((rs.str(header.name).to_owned(), values));
        }
        let properties = match properties {
            Some(properties) => self.property(properties)?,
            None => Document::Object(BTreeMap::new()),
        };
        Ok(Endpoint {
            url,
            headers: resolved_headers,
            properties,
        })
    }

    fn property(&mut self, prop: Id) -> Result<Document> {
        let rs = self.rs;
        Ok(match rs.props[prop as usize] {
            Prop::Null => Document::Null,
            Prop::Bool(b) => Document::Bool(b),
            Prop::Number(n) => Document::Number(n),
            Prop::Str(expr) => match self.operand(expr)? {
                Value::Str(s) => Document::String(s.into_owned()),
                other => {
                    return Err(ResolveError::evaluation(format!(
                        "a property is a {}, not a string",
                        other.python_type()
                    )));
                }
            },
            Prop::Array(items) => {
                let items = rs.list(items);
                let mut array = Vec::with_capacity(items.len());
                for &item in items {
                    array.push(self.property(item)?);
                }
                Document::Array(array)
            }
            Prop::Object(entries) => {
                let mut object = BTreeMap::new();
                for &(key, value) in &rs.entries[entries.range()] {
                    object.insert(rs.str(key).to_owned(), self.property(value)?);
                }
                Document::Object(object)
            }
        })
    }
}

/// The message of an error rule: Python's `str` of the value.
fn python_str(value: &Value<'_>) -> String {
    match value {
        Value::Str(s) => s.clone().into_owned(),
        Value::None => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Int(n) => n.to_string(),
        other => other.python_type().to_owned(),
    }
}

fn wrong_argument(func: Function, value: &Value<'_>) -> ResolveError {
    ResolveError::evaluation(format!(
        "`{func}` needs a string, not {}",
        value.python_type()
    ))
}

/// A template reference as the rule set wrote it, such as `PartitionResult#dnsSuffix`.
fn describe(rs: &RuleSet, expr: Id) -> String {
    match rs.exprs[expr as usize] {
        Expr::Ref(slot) => rs.slot_name(slot).to_owned(),
        Expr::GetAttr {
            target,
            attr: Some(attr),
            ..
        } => format!("{}#{attr}", describe(rs, target)),
        _ => "an expression".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::encoding::HEADER;
    use crate::endpoint::{ParamError, StaticRuleSet};

    /// Strings 0-5, parameters `Region` (string), `UseFIPS` (boolean, default false),
    /// `Flag` (boolean), `List` (string array) and `S` (string), then `records`.
    fn rules(records: &[&str]) -> RuleSet {
        let mut text = format!(
            "{HEADER}\n\"Region\n\"UseFIPS\n\"Flag\n\"List\n\"S\n\"x\n\
             p 0 string 0 AWS::Region -\np 1 boolean 1 AWS::UseFIPS false\n\
             p 2 boolean 0 - -\np 3 stringArray 0 - a\np 4 string 0 - -\n"
        );
        for record in records {
            text.push_str(record);
            text.push('\n');
        }
        RuleSet::decode(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn message(rules: &RuleSet, params: &Params) -> String {
        match rules.resolve(params) {
            Ok(endpoint) => panic!("resolved {endpoint:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// Expressions 0-4 read the five parameters.
    const REFS: [&str; 5] = ["e r 0", "e r 1", "e r 2", "e r 3", "e r 4"];

    fn with_refs(records: &[&'static str]) -> RuleSet {
        let mut all = REFS.to_vec();
        all.extend_from_slice(records);
        rules(&all)
    }

    #[test]
    fn parameters_are_checked_and_defaulted_as_botocore_does() {
        let required = RuleSet::decode(&format!(
            "{HEADER}\n\"Region\n\"Bucket\np 0 string 1 - -\np 1 string 1 - s0\nR\n"
        ))
        .unwrap();
        let mut params = Params::new(&required);
        let e = required.resolve(&params).unwrap_err();
        assert_eq!(e.kind(), ResolveErrorKind::MissingParam);
        assert_eq!(
            e.to_string(),
            "Cannot find value for required parameter Region"
        );
        params.set(0, true).unwrap();
        let e = required.resolve(&params).unwrap_err();
        assert_eq!(e.kind(), ResolveErrorKind::WrongParamType);
        assert_eq!(
            e.to_string(),
            "Value (Region) is the wrong type. Must be <class 'str'>."
        );
        // With a value, and the default for `Bucket`, nothing applies.
        params.set(0, "us-east-1").unwrap();
        let e = required.resolve(&params).unwrap_err();
        assert_eq!(e.kind(), ResolveErrorKind::NoEndpoint);
        assert_eq!(
            e.to_string(),
            "No endpoint found for parameters:\nRegion: us-east-1"
        );
    }

    #[test]
    fn no_endpoint_lists_what_the_caller_bound() {
        let rules = rules(&["R"]);
        let mut params = Params::new(&rules);
        assert_eq!(
            message(&rules, &params),
            "No endpoint found for parameters:\n"
        );
        params.set(0, "us-east-1").unwrap();
        params.set(2, false).unwrap();
        params.set(3, vec!["a".to_owned(), "b".to_owned()]).unwrap();
        assert_eq!(
            message(&rules, &params),
            "No endpoint found for parameters:\nRegion: us-east-1\nFlag: False\nList: ['a', 'b']"
        );
    }

    #[test]
    fn type_errors_give_botocore_messages() {
        // One rule set per case, which differ in their top-level rule.
        let case = |rule: &str| {
            let mut records = REFS.to_vec();
            records.extend_from_slice(&[
                "e b true",
                "e f booleanEquals - 2 5",
                "e s 5",
                "e f stringEquals - 4 7",
                "e i 0",
                "e i 1",
                "e b false",
                "e f substring - 4 9 10 11",
                "r endpoint 6 | 7 | | -",
                "r endpoint 8 | 7 | | -",
                "r endpoint 12 | 7 | | -",
            ]);
            let root = format!("R {rule}");
            records.push(&root);
            let rules = self::rules(&records);
            let e = rules.resolve(&Params::new(&rules)).unwrap_err();
            assert_eq!(e.kind(), ResolveErrorKind::Evaluation);
            e.to_string()
        };
        assert_eq!(
            case("0"),
            "Both arguments must be bools, not <class 'NoneType'> and <class 'bool'>."
        );
        assert_eq!(
            case("1"),
            "Both values must be strings, not <class 'NoneType'> and <class 'str'>."
        );
        assert_eq!(case("2"), "Input must be a string, not <class 'NoneType'>.");
    }

    #[test]
    fn conditions_hold_unless_false_or_unset() {
        // `uriEncode("")` is an empty string: the condition holds. `not("")` is true.
        let rules = with_refs(&[
            "e f uriEncode - 4",
            "e f not - 4",
            "e s 5",
            "e f isSet - 4",
            "e f not - 8",
            "r endpoint 5 6 | 7 | | -",
            "r endpoint 9 | 7 | | -",
            "R 0 1",
        ]);
        let mut params = Params::new(&rules);
        // Unset: `uriEncode` gives unset, the first rule does not apply; `not(isSet(S))`.
        assert_eq!(rules.resolve(&params).unwrap().url, "x");
        params.set(4, "").unwrap();
        assert_eq!(rules.resolve(&params).unwrap().url, "x");
        params.set(4, "a").unwrap();
        assert_eq!(
            message(&rules, &params),
            "No endpoint found for parameters:\nS: a"
        );
    }

    #[test]
    fn trees_fall_through_and_errors_stop() {
        // Tree (its condition holds) with one endpoint that does not apply, then an error
        // whose message is a template.
        let rules = with_refs(&[
            "e f isSet - 0",
            "e b true",
            "e f booleanEquals - 1 6",
            "e s 5",
            "e t s0 s5 e0",
            "r endpoint 7 | 8 | | -",
            "r tree 5 | 0",
            "r error | 9",
            "R 1 2",
        ]);
        let mut params = Params::new(&rules);
        params.set(0, "-eu").unwrap();
        let e = rules.resolve(&params).unwrap_err();
        assert_eq!(e.kind(), ResolveErrorKind::Rule);
        assert_eq!(e.message(), "Regionx-eu");
        params.set(1, true).unwrap();
        assert_eq!(rules.resolve(&params).unwrap().url, "x");
    }

    #[test]
    fn get_attr_indexes_lists_and_reads_unset_past_the_end() {
        let mut records = vec!["a 5"];
        records.extend_from_slice(&REFS);
        records.extend_from_slice(&[
            "e g 3 [1] 5",
            "e g 3 [5] -",
            "e f isSet - 6",
            "e r 5",
            "e t e8 s5",
            "r endpoint 5 | 9 | | -",
            "r endpoint 7 | 9 | | -",
            "R 1 0",
        ]);
        let rules = rules(&records);
        let mut params = Params::new(&rules);
        params.set(3, vec!["a".to_owned(), "b".to_owned()]).unwrap();
        assert_eq!(rules.resolve(&params).unwrap().url, "bx");
        params.set(3, vec!["a".to_owned()]).unwrap();
        assert!(message(&rules, &params).starts_with("No endpoint found"));
    }

    #[test]
    fn a_template_of_an_unset_value_is_an_error() {
        let rules = with_refs(&["e t s5 e4", "r endpoint | 5 | | -", "R 0"]);
        let e = rules.resolve(&Params::new(&rules)).unwrap_err();
        assert_eq!(e.kind(), ResolveErrorKind::Evaluation);
        assert_eq!(e.message(), "a template refers to `S`, which has no value");
    }

    #[test]
    fn params_bind_by_index_and_name() {
        let rules = rules(&["R"]);
        let mut params = Params::new(&rules);
        assert_eq!(
            params.set(5, true),
            Err(ParamError::NoSuchIndex { index: 5, len: 5 })
        );
        assert_eq!(
            params.set(5, true).unwrap_err().to_string(),
            "no endpoint parameter at index 5: the rule set has 5"
        );
        assert_eq!(
            params
                .set_by_name(&rules, "Bucket", "b")
                .unwrap_err()
                .to_string(),
            "the endpoint rule set has no parameter named `Bucket`"
        );
        params.set_by_name(&rules, "Flag", true).unwrap();
        assert_eq!(params.get(2), Some(&ParamValue::Bool(true)));
        params.clear(2);
        assert_eq!(params.get(2), None);
        assert_eq!(rules.param_index("List"), Some(3));
        assert_eq!(
            rules.params()[3].default,
            Some(ParamValue::StringArray(vec![]))
        );
    }

    /// Values are copied on every slot read: keep them small.
    #[test]
    fn values_stay_small() {
        assert!(std::mem::size_of::<Value<'_>>() <= 32);
    }

    #[test]
    fn static_rule_sets_decode_once() {
        static GOOD: StaticRuleSet = StaticRuleSet::new("stratus-endpoint-rules 1\nR\n");
        static BAD: StaticRuleSet = StaticRuleSet::new("not rules");
        let first: *const RuleSet = GOOD.get().unwrap();
        let second: *const RuleSet = GOOD.get().unwrap();
        assert_eq!(first, second);
        assert_eq!(GOOD.encoded(), "stratus-endpoint-rules 1\nR\n");
        let e = BAD.get().unwrap_err();
        assert_eq!(e.line(), 1);
        assert_eq!(BAD.get().unwrap_err(), e);
    }
}
