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
//! Evaluation walks the rule set's program (see [`Node`](super::rules::Node)): a loop over
//! flat nodes, each knowing where to go when its conditions hold and when one fails. When
//! a condition fails, the nodes that follow with the same conditions up to it are skipped,
//! and the next node's leading conditions shared with the failed one are not evaluated
//! again. Most conditions and the common calls (`substring`, `aws.partition`, the host
//! label checks) have a fast form read from the slots without evaluating arguments.
//!
//! Values are small and `Copy`: strings borrow from the parameters, the rule set and the
//! partition table, or are ranges of one buffer that holds whatever text evaluation makes
//! (templates, encodings that change their input); parsed ARNs and URLs are kept in lists
//! of the resolution and referred to by index. Each variable of the rule set has a slot
//! (its index is resolved by the compiler) and the slots live on the stack, so that a
//! resolution that makes no text allocates only for its result: the URL, the headers and
//! the properties, cloned from a template built at decode time with the strings that
//! depend on the parameters filled in.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use super::params::{ParamKind, ParamValue, Params};
use super::partition::{self, Partition};
use super::rules::{
    Action, Attribute, CallOp, END, Expr, Fast, Function, Id, Part, Rule, RuleSet, Span, Step,
};
use super::stdlib;
use crate::document::Document;

/// How many slots a resolution keeps on the stack; a rule set with more (none has more
/// than 36) keeps them on the heap.
const INLINE_SLOTS: usize = 48;

/// How many template parts are evaluated into an array on the stack before the text is
/// written (real templates have at most 12).
const INLINE_PARTS: usize = 12;

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

/// A value during evaluation.
#[derive(Debug, Clone, Copy)]
enum Value<'a> {
    /// Unset (Python's `None`).
    None,
    Bool(bool),
    Int(u32),
    /// A string borrowed from the parameters, the rule set or the partition table.
    Str(&'a str),
    /// A string evaluation made: bytes `start..end` of the resolution's buffer.
    Buf(usize, usize),
    /// A `stringArray` parameter.
    StrArray(&'a [String]),
    /// The `resourceId` of ARN `n` of the resolution (a list of strings).
    List(usize),
    /// The result of `aws.partition`.
    Partition(&'static Partition),
    /// ARN `n` of the resolution.
    Arn(usize),
    /// URL `n` of the resolution.
    Url(usize),
}

impl Value<'_> {
    /// Whether a condition giving this value holds: anything but `false` and unset.
    fn holds(self) -> bool {
        !matches!(self, Value::None | Value::Bool(false))
    }

    /// The Python type botocore's messages name.
    fn python_type(self) -> &'static str {
        match self {
            Value::None => "<class 'NoneType'>",
            Value::Bool(_) => "<class 'bool'>",
            Value::Int(_) => "<class 'int'>",
            Value::Str(_) | Value::Buf(..) => "<class 'str'>",
            Value::StrArray(_) => "<class 'tuple'>",
            Value::List(_) => "<class 'list'>",
            Value::Partition(_) | Value::Arn(_) | Value::Url(_) => "<class 'dict'>",
        }
    }
}

/// The result of `aws.parseArn`: strings ([`Value::Str`] or [`Value::Buf`]).
#[derive(Debug, Clone)]
struct ArnValue<'a> {
    partition: Value<'a>,
    service: Value<'a>,
    region: Value<'a>,
    account_id: Value<'a>,
    resource_id: Vec<Value<'a>>,
}

/// The result of `parseURL`: strings ([`Value::Str`] or [`Value::Buf`]) and `isIp`.
#[derive(Debug, Clone, Copy)]
struct UrlValue<'a> {
    scheme: Value<'a>,
    authority: Value<'a>,
    path: Value<'a>,
    normalized_path: Value<'a>,
    is_ip: bool,
}

impl RuleSet {
    /// Resolves the endpoint for `params`.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint> {
        let count = self.slot_count();
        let mut inline = [Value::None; INLINE_SLOTS];
        let mut heap = Vec::new();
        let slots = if count <= INLINE_SLOTS {
            &mut inline[..count]
        } else {
            heap.resize(count, Value::None);
            heap.as_mut_slice()
        };
        self.bind(params, slots)?;
        let mut eval = Eval {
            rs: self,
            slots,
            buf: String::new(),
            arns: Vec::new(),
            urls: Vec::new(),
        };
        match eval.run()? {
            Some(rule) => eval.endpoint(rule),
            None => Err(no_endpoint(self, params)),
        }
    }

    /// Checks and defaults the parameters into the first slots (which hold unset values).
    fn bind<'a>(&'a self, params: &'a Params, slots: &mut [Value<'a>]) -> Result<()> {
        let values = params.values();
        for (index, (spec, slot)) in self.params.iter().zip(slots).enumerate() {
            let value = match values.get(index) {
                Some(Some(value)) => value,
                _ => match &spec.default {
                    // Defaults are of the parameter's kind (decoding reads them so).
                    Some(default) => default,
                    None if spec.required => {
                        return Err(ResolveError::new(
                            ResolveErrorKind::MissingParam,
                            format!("Cannot find value for required parameter {}", spec.name),
                        ));
                    }
                    None => continue,
                },
            };
            *slot = match (value, spec.kind) {
                (ParamValue::Bool(b), ParamKind::Bool) => Value::Bool(*b),
                (ParamValue::String(s), ParamKind::String) => Value::Str(s),
                (ParamValue::StringArray(items), ParamKind::StringArray) => Value::StrArray(items),
                _ => {
                    return Err(ResolveError::new(
                        ResolveErrorKind::WrongParamType,
                        format!(
                            "Value ({}) is the wrong type. Must be {}.",
                            spec.name,
                            spec.kind.python_type()
                        ),
                    ));
                }
            };
        }
        Ok(())
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

/// What a [`Fast`] form gives.
enum Quick<'a> {
    /// A condition's answer.
    Answer(bool),
    /// A call's value.
    Value(Value<'a>),
    /// Nothing: the operands are not of the expected types, evaluation takes the generic
    /// path.
    Generic,
}

/// One resolution: the rule set, the value of every slot, and what values refer to.
struct Eval<'a, 's> {
    rs: &'a RuleSet,
    slots: &'s mut [Value<'a>],
    /// The text evaluation made ([`Value::Buf`]); it only grows.
    buf: String,
    arns: Vec<ArnValue<'a>>,
    urls: Vec<UrlValue<'a>>,
}

impl<'a> Eval<'a, '_> {
    /// Runs the program: the endpoint rule that applies, `None` when no rule does.
    ///
    /// The search returns the rule rather than the endpoint: building it afterwards is the
    /// same, as the names the rule reads were assigned on the way to it and no rule
    /// evaluated since could assign them again (a name is never assigned twice in scope).
    fn run(&mut self) -> Result<Option<Id>> {
        let program = &self.rs.program;
        let mut at = self.rs.start;
        // How many leading conditions of node `at` are known to hold.
        let mut holding = 0;
        while at != END {
            let node = &program[at as usize];
            match self.failing(node.conditions, holding)? {
                None => match node.action {
                    Action::Enter(first) => {
                        at = first;
                        holding = 0;
                    }
                    Action::Endpoint(rule) => return Ok(Some(rule)),
                    Action::Error(message) => {
                        let message = self.eval(message)?;
                        return Err(ResolveError::new(
                            ResolveErrorKind::Rule,
                            self.python_str(message),
                        ));
                    }
                },
                Some(failed) => {
                    // The following nodes that begin with the same conditions up to the
                    // one that failed fail there too; the one after them begins with
                    // `shared` of the conditions that held.
                    let mut node = node;
                    while failed < node.shared {
                        node = &program[node.next as usize];
                    }
                    at = node.next;
                    holding = node.shared;
                }
            }
        }
        Ok(None)
    }

    /// The index of the first condition that does not hold, evaluated in order from
    /// `from` (those before it are known to hold); `None` when they all hold.
    #[inline(always)]
    fn failing(&mut self, conditions: Span, from: u32) -> Result<Option<u32>> {
        let conds = &self.rs.conds[conditions.range()];
        let mut index = from as usize;
        while let Some(cond) = conds.get(index) {
            // Most conditions have a fast form.
            let holds = match self.quick(cond.fast) {
                Quick::Answer(holds) => holds,
                Quick::Value(value) => {
                    if let Some(slot) = self.rs.exprs[cond.expr as usize].assign() {
                        self.slots[slot as usize] = value;
                    }
                    value.holds()
                }
                Quick::Generic => self.holds(cond.expr)?,
            };
            if !holds {
                // Spans have u32 lengths.
                return Ok(Some(index as u32));
            }
            index += 1;
        }
        Ok(None)
    }

    /// Whether condition `expr` holds, evaluated (and assigned) the generic way.
    #[inline(never)]
    fn holds(&mut self, expr: Id) -> Result<bool> {
        let value = self.compute(expr)?;
        if let Some(slot) = self.rs.exprs[expr as usize].assign() {
            self.slots[slot as usize] = value;
        }
        Ok(value.holds())
    }

    /// The text of a string value; `None` for any other value.
    #[inline]
    fn text(&self, value: Value<'a>) -> Option<&str> {
        match value {
            Value::Str(s) => Some(s),
            Value::Buf(start, end) => self.buf.get(start..end),
            _ => None,
        }
    }

    /// Appends `s` to the buffer: its value.
    fn push_buf(&mut self, s: &str) -> Value<'a> {
        let start = self.buf.len();
        self.buf.push_str(s);
        Value::Buf(start, self.buf.len())
    }

    /// A string made by evaluation as a value: the buffer itself when it is still empty.
    fn own(&mut self, s: String) -> Value<'a> {
        if self.buf.is_empty() {
            let end = s.len();
            self.buf = s;
            Value::Buf(0, end)
        } else {
            self.push_buf(&s)
        }
    }

    /// Python's truth value, for `not`.
    fn truthy(&self, value: Value<'a>) -> bool {
        match value {
            Value::None => false,
            Value::Bool(b) => b,
            Value::Int(n) => n != 0,
            Value::Str(s) => !s.is_empty(),
            Value::Buf(start, end) => start != end,
            Value::StrArray(items) => !items.is_empty(),
            Value::List(arn) => !self.arns[arn].resource_id.is_empty(),
            Value::Partition(_) | Value::Arn(_) | Value::Url(_) => true,
        }
    }

    /// The value of an argument: leaves (references and literals) read in place, anything
    /// else evaluated.
    #[inline(always)]
    fn operand(&mut self, expr: Id) -> Result<Value<'a>> {
        let rs = self.rs;
        match rs.exprs[expr as usize] {
            Expr::Ref(slot) => Ok(self.slots[slot as usize]),
            Expr::Str(s) => Ok(Value::Str(rs.str(s))),
            Expr::Bool(b) => Ok(Value::Bool(b)),
            Expr::Int(n) => Ok(Value::Int(n)),
            _ => self.eval(expr),
        }
    }

    /// The value of an expression, assigned to its slot if it has one.
    fn eval(&mut self, expr: Id) -> Result<Value<'a>> {
        let value = self.compute(expr)?;
        if let Some(slot) = self.rs.exprs[expr as usize].assign() {
            self.slots[slot as usize] = value;
        }
        Ok(value)
    }

    /// The value of an expression, without assigning it.
    fn compute(&mut self, expr: Id) -> Result<Value<'a>> {
        let rs = self.rs;
        match self.quick(rs.fast[expr as usize]) {
            Quick::Answer(b) => return Ok(Value::Bool(b)),
            Quick::Value(value) => return Ok(value),
            Quick::Generic => {}
        }
        match rs.exprs[expr as usize] {
            Expr::Str(s) => Ok(Value::Str(rs.str(s))),
            Expr::Template(parts) => {
                let text = self.template(parts)?;
                Ok(self.own(text))
            }
            Expr::Bool(b) => Ok(Value::Bool(b)),
            Expr::Int(n) => Ok(Value::Int(n)),
            Expr::Ref(slot) => Ok(self.slots[slot as usize]),
            Expr::GetAttr {
                target,
                attr,
                index,
                ..
            } => {
                let target = match rs.exprs[target as usize] {
                    Expr::Ref(slot) => self.slots[slot as usize],
                    _ => self.eval(target)?,
                };
                self.get_attr(target, attr, index)
            }
            Expr::Call { func, args, .. } => self.call(func, args),
        }
    }

    /// What a fast form gives, when its operands have the expected types.
    #[inline(always)]
    fn quick(&self, fast: Fast) -> Quick<'a> {
        match fast {
            Fast::Call(op) => self.call_op(op).map_or(Quick::Generic, Quick::Value),
            fast => self.answer(fast).map_or(Quick::Generic, Quick::Answer),
        }
    }

    /// The answer of a fast form, when its operands have the expected types.
    #[inline(always)]
    fn answer(&self, fast: Fast) -> Option<bool> {
        let rs = self.rs;
        let slot = |slot: u32| self.slots[slot as usize];
        match fast {
            Fast::Generic | Fast::Call(_) => None,
            Fast::IsSet(s) => Some(!matches!(slot(s), Value::None)),
            Fast::NotIsSet(s) => Some(matches!(slot(s), Value::None)),
            Fast::BoolEq(s, want) => match slot(s) {
                Value::Bool(b) => Some(b == want),
                _ => None,
            },
            Fast::AttrBoolEq(s, attr, want) => match (slot(s), attr) {
                (Value::Partition(p), Attribute::SupportsFips) => Some(p.supports_fips == want),
                (Value::Partition(p), Attribute::SupportsDualStack) => {
                    Some(p.supports_dual_stack == want)
                }
                (Value::Url(url), Attribute::IsIp) => Some(self.urls[url].is_ip == want),
                _ => None,
            },
            Fast::StrEq(s, want, eq) => self.text(slot(s)).map(|s| (s == rs.str(want)) == eq),
            Fast::AttrStrEq(s, attr, want, eq) => {
                let value = match (slot(s), attr) {
                    (Value::Partition(p), Attribute::Name) => Value::Str(p.name),
                    (Value::Arn(arn), Attribute::ArnPartition) => self.arns[arn].partition,
                    (Value::Arn(arn), Attribute::Service) => self.arns[arn].service,
                    (Value::Arn(arn), Attribute::Region) => self.arns[arn].region,
                    (Value::Arn(arn), Attribute::AccountId) => self.arns[arn].account_id,
                    (Value::Url(url), Attribute::Scheme) => self.urls[url].scheme,
                    _ => return None,
                };
                self.text(value).map(|s| (s == rs.str(want)) == eq)
            }
        }
    }

    /// The value of a [`CallOp`] when its slot holds a borrowed string; `None` (the generic
    /// path) otherwise.
    #[inline(always)]
    fn call_op(&self, op: CallOp) -> Option<Value<'a>> {
        let input = |slot: u32| match self.slots[slot as usize] {
            Value::Str(s) => Some(s),
            _ => None,
        };
        Some(match op {
            CallOp::Substring {
                slot,
                start,
                stop,
                reverse,
            } => {
                let input = input(u32::from(slot))?;
                stdlib::substring(input, usize::from(start), usize::from(stop), reverse)
                    .map_or(Value::None, Value::Str)
            }
            CallOp::Partition(slot) => Value::Partition(partition::partition_ref(input(slot)?)),
            CallOp::IsValidHostLabel(slot, subdomains) => {
                Value::Bool(stdlib::is_valid_host_label(input(slot)?, subdomains))
            }
            CallOp::IsVirtualHostableS3Bucket(slot, subdomains) => Value::Bool(
                stdlib::is_virtual_hostable_s3_bucket(input(slot)?, subdomains),
            ),
        })
    }

    /// An attribute of a partition, ARN or URL; unset for an unset value.
    fn attribute(&self, value: Value<'a>, attr: Attribute) -> Result<Value<'a>> {
        Ok(match (value, attr) {
            (Value::None, _) => Value::None,
            (Value::Partition(p), Attribute::Name) => Value::Str(p.name),
            (Value::Partition(p), Attribute::DnsSuffix) => Value::Str(p.dns_suffix),
            (Value::Partition(p), Attribute::DualStackDnsSuffix) => {
                Value::Str(p.dual_stack_dns_suffix)
            }
            (Value::Partition(p), Attribute::SupportsFips) => Value::Bool(p.supports_fips),
            (Value::Partition(p), Attribute::SupportsDualStack) => {
                Value::Bool(p.supports_dual_stack)
            }
            (Value::Partition(p), Attribute::ImplicitGlobalRegion) => {
                Value::Str(p.implicit_global_region)
            }
            (Value::Arn(arn), Attribute::ArnPartition) => self.arns[arn].partition,
            (Value::Arn(arn), Attribute::Service) => self.arns[arn].service,
            (Value::Arn(arn), Attribute::Region) => self.arns[arn].region,
            (Value::Arn(arn), Attribute::AccountId) => self.arns[arn].account_id,
            (Value::Arn(arn), Attribute::ResourceId) => Value::List(arn),
            (Value::Url(url), Attribute::Scheme) => self.urls[url].scheme,
            (Value::Url(url), Attribute::Authority) => self.urls[url].authority,
            (Value::Url(url), Attribute::Path) => self.urls[url].path,
            (Value::Url(url), Attribute::NormalizedPath) => self.urls[url].normalized_path,
            (Value::Url(url), Attribute::IsIp) => Value::Bool(self.urls[url].is_ip),
            (other, attr) => {
                return Err(ResolveError::evaluation(format!(
                    "getAttr: a {} has no attribute `{attr}`",
                    other.python_type()
                )));
            }
        })
    }

    /// Item `index` of a list; unset past its end or for an unset value.
    fn item(&self, value: Value<'a>, index: u32) -> Result<Value<'a>> {
        let index = index as usize;
        match value {
            Value::None => Ok(Value::None),
            Value::StrArray(items) => Ok(items
                .get(index)
                .map_or(Value::None, |s| Value::Str(s.as_str()))),
            Value::List(arn) => Ok(self.arns[arn]
                .resource_id
                .get(index)
                .copied()
                .unwrap_or(Value::None)),
            other => Err(ResolveError::evaluation(format!(
                "getAttr: a {} has no item [{index}]",
                other.python_type()
            ))),
        }
    }

    /// `getAttr` with a path of an attribute, an index, or both.
    fn get_attr(
        &self,
        value: Value<'a>,
        attr: Option<Attribute>,
        index: Option<u32>,
    ) -> Result<Value<'a>> {
        let value = match attr {
            Some(attr) => self.attribute(value, attr)?,
            None => value,
        };
        match index {
            Some(index) => self.item(value, index),
            None => Ok(value),
        }
    }

    fn call(&mut self, func: Function, args: Span) -> Result<Value<'a>> {
        let rs = self.rs;
        let args = rs.list(args);
        let value = match (func, args) {
            (Function::IsSet, &[arg]) => Value::Bool(!matches!(self.operand(arg)?, Value::None)),
            (Function::Not, &[arg]) => {
                let value = self.operand(arg)?;
                Value::Bool(!self.truthy(value))
            }
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
            (Function::StringEquals, &[a, b]) => {
                let (a, b) = (self.operand(a)?, self.operand(b)?);
                match (self.text(a), self.text(b)) {
                    (Some(a), Some(b)) => Value::Bool(a == b),
                    _ => {
                        return Err(ResolveError::evaluation(format!(
                            "Both values must be strings, not {} and {}.",
                            a.python_type(),
                            b.python_type()
                        )));
                    }
                }
            }
            (Function::Partition, &[region]) => {
                let region = self.operand(region)?;
                let partition = match (region, self.text(region)) {
                    (_, Some(region)) => partition::partition_ref(region),
                    // botocore gives the first partition, `aws`, for an unset region.
                    (Value::None, _) => partition::partition_ref(""),
                    (other, None) => return Err(wrong_argument(func, other)),
                };
                Value::Partition(partition)
            }
            (Function::ParseArn, &[arn]) => match self.operand(arn)? {
                Value::Str(s) => match stdlib::parse_arn(s) {
                    Some(arn) => {
                        let value = ArnValue {
                            partition: Value::Str(arn.partition),
                            service: Value::Str(arn.service),
                            region: Value::Str(arn.region),
                            account_id: Value::Str(arn.account_id),
                            resource_id: arn.resource_id.into_iter().map(Value::Str).collect(),
                        };
                        self.keep_arn(value)
                    }
                    None => Value::None,
                },
                Value::Buf(start, end) => {
                    // The parts are copied to the end of the buffer, which must not move
                    // while the parser borrows the input: it parses a copy.
                    let input = self.buf.get(start..end).unwrap_or_default().to_owned();
                    match stdlib::parse_arn(&input) {
                        Some(arn) => {
                            let value = ArnValue {
                                partition: self.push_buf(arn.partition),
                                service: self.push_buf(arn.service),
                                region: self.push_buf(arn.region),
                                account_id: self.push_buf(arn.account_id),
                                resource_id: arn
                                    .resource_id
                                    .into_iter()
                                    .map(|s| self.push_buf(s))
                                    .collect(),
                            };
                            self.keep_arn(value)
                        }
                        None => Value::None,
                    }
                }
                Value::None => Value::None,
                other => return Err(wrong_argument(func, other)),
            },
            (Function::ParseUrl, &[url]) => match self.operand(url)? {
                Value::Str(s) => match stdlib::parse_url(s) {
                    Some(url) => {
                        let normalized_path = match url.normalized_path {
                            Cow::Borrowed(path) => Value::Str(path),
                            Cow::Owned(path) => self.own(path),
                        };
                        let value = UrlValue {
                            scheme: Value::Str(url.scheme),
                            authority: Value::Str(url.authority),
                            path: Value::Str(url.path),
                            normalized_path,
                            is_ip: url.is_ip,
                        };
                        self.keep_url(value)
                    }
                    None => Value::None,
                },
                Value::Buf(start, end) => {
                    // As for ARNs: the parser reads a copy.
                    let input = self.buf.get(start..end).unwrap_or_default().to_owned();
                    match stdlib::parse_url(&input) {
                        Some(url) => {
                            let value = UrlValue {
                                scheme: self.push_buf(url.scheme),
                                authority: self.push_buf(url.authority),
                                path: self.push_buf(url.path),
                                normalized_path: self.push_buf(&url.normalized_path),
                                is_ip: url.is_ip,
                            };
                            self.keep_url(value)
                        }
                        None => Value::None,
                    }
                }
                Value::None => Value::None,
                other => return Err(wrong_argument(func, other)),
            },
            (Function::UriEncode, &[value]) => match self.operand(value)? {
                Value::Str(s) => match stdlib::uri_encode(s) {
                    Cow::Borrowed(s) => Value::Str(s),
                    Cow::Owned(s) => self.own(s),
                },
                Value::Buf(start, end) => {
                    let encoded =
                        match stdlib::uri_encode(self.buf.get(start..end).unwrap_or_default()) {
                            Cow::Borrowed(_) => None,
                            Cow::Owned(s) => Some(s),
                        };
                    match encoded {
                        None => Value::Buf(start, end),
                        Some(s) => self.push_buf(&s),
                    }
                }
                Value::None => Value::None,
                other => return Err(wrong_argument(func, other)),
            },
            (Function::IsValidHostLabel, &[value, subdomains]) => {
                let value = self.operand(value)?;
                let subdomains = self.operand(subdomains)?;
                let subdomains = self.truthy(subdomains);
                match (value, self.text(value)) {
                    (_, Some(s)) => Value::Bool(stdlib::is_valid_host_label(s, subdomains)),
                    (Value::None, _) => Value::Bool(false),
                    (other, None) => return Err(wrong_argument(func, other)),
                }
            }
            (Function::IsVirtualHostableS3Bucket, &[value, subdomains]) => {
                let value = self.operand(value)?;
                let subdomains = self.operand(subdomains)?;
                let subdomains = self.truthy(subdomains);
                match (value, self.text(value)) {
                    (_, Some(s)) => {
                        Value::Bool(stdlib::is_virtual_hostable_s3_bucket(s, subdomains))
                    }
                    (Value::None, _) => Value::Bool(false),
                    (other, None) => return Err(wrong_argument(func, other)),
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
                    Value::Str(s) => {
                        stdlib::substring(s, start, stop, reverse).map_or(Value::None, Value::Str)
                    }
                    Value::Buf(from, to) => self
                        .buf
                        .get(from..to)
                        .and_then(|s| stdlib::substring_range(s, start, stop, reverse))
                        .map_or(Value::None, |range| {
                            Value::Buf(from + range.start, from + range.end)
                        }),
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

    fn keep_arn(&mut self, arn: ArnValue<'a>) -> Value<'a> {
        self.arns.push(arn);
        Value::Arn(self.arns.len() - 1)
    }

    fn keep_url(&mut self, url: UrlValue<'a>) -> Value<'a> {
        self.urls.push(url);
        Value::Url(self.urls.len() - 1)
    }

    /// A template string, its references filled in.
    ///
    /// The parts are evaluated first, so that the text is allocated once, at its length.
    fn template(&mut self, parts: Span) -> Result<String> {
        let rs = self.rs;
        let parts = &rs.parts[parts.range()];
        if let [Part::Expr(expr)] = *parts {
            let value = self.part_value(expr)?;
            return Ok(self.part_text(expr, value)?.to_owned());
        }
        let mut inline = [Value::None; INLINE_PARTS];
        let mut heap = Vec::new();
        let values = if parts.len() <= INLINE_PARTS {
            &mut inline[..parts.len()]
        } else {
            heap.resize(parts.len(), Value::None);
            heap.as_mut_slice()
        };
        let mut len = 0;
        for (part, slot) in parts.iter().zip(values.iter_mut()) {
            len += match *part {
                Part::Lit(s) => rs.str(s).len(),
                Part::Expr(expr) => {
                    *slot = self.part_value(expr)?;
                    self.part_text(expr, *slot)?.len()
                }
            };
        }
        // Every value is text now.
        let mut out = String::with_capacity(len);
        for (part, value) in parts.iter().zip(values.iter()) {
            match (*part, *value) {
                (Part::Lit(s), _) => out.push_str(rs.str(s)),
                (Part::Expr(_), Value::Bool(true)) => out.push_str("True"),
                (Part::Expr(_), Value::Bool(false)) => out.push_str("False"),
                (Part::Expr(_), value) => out.push_str(self.text(value).unwrap_or_default()),
            }
        }
        Ok(out)
    }

    /// The value of a template's expression part: references and attributes of references
    /// (all that real templates hold) read in place.
    #[inline(always)]
    fn part_value(&mut self, expr: Id) -> Result<Value<'a>> {
        let rs = self.rs;
        match rs.exprs[expr as usize] {
            Expr::Ref(slot) => Ok(self.slots[slot as usize]),
            Expr::GetAttr {
                target,
                attr,
                index,
                assign: None,
            } => match rs.exprs[target as usize] {
                Expr::Ref(target) => self.get_attr(self.slots[target as usize], attr, index),
                _ => self.operand(expr),
            },
            _ => self.operand(expr),
        }
    }

    /// The text a template's part `expr` inserts for `value`: a string, or `True` or
    /// `False` as Python formats booleans.
    #[inline(always)]
    fn part_text(&self, expr: Id, value: Value<'a>) -> Result<&str> {
        match value {
            Value::Bool(true) => Ok("True"),
            Value::Bool(false) => Ok("False"),
            Value::None => Err(ResolveError::evaluation(format!(
                "a template refers to `{}`, which has no value",
                describe(self.rs, expr)
            ))),
            other => self.text(other).ok_or_else(|| {
                ResolveError::evaluation(format!(
                    "a template refers to `{}`, a {}, not a string",
                    describe(self.rs, expr),
                    other.python_type()
                ))
            }),
        }
    }

    /// The string an expression gives, owned: `what` describes the place for the error
    /// when it gives something else.
    fn string(&mut self, expr: Id, what: impl FnOnce(&'static str) -> String) -> Result<String> {
        if let Expr::Template(parts) = self.rs.exprs[expr as usize] {
            return self.template(parts);
        }
        let value = self.operand(expr)?;
        match self.text(value) {
            Some(s) => Ok(s.to_owned()),
            None => Err(ResolveError::evaluation(what(value.python_type()))),
        }
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
        let url = self.string(url, |ty| {
            format!("the endpoint URL is a {ty}, not a string")
        })?;
        let mut resolved_headers = Vec::with_capacity(headers.len as usize);
        for header in &rs.headers[headers.range()] {
            let name = rs.str(header.name);
            let mut values = Vec::with_capacity(header.values.len as usize);
            for &value in rs.list(header.values) {
                values.push(self.string(value, |ty| {
                    format!("a value of header `{name}` is a {ty}, not a string")
                })?);
            }
            resolved_headers.push((name.to_owned(), values));
        }
        let properties = match properties {
            Some(properties) => self.properties(properties)?,
            None => Document::Object(BTreeMap::new()),
        };
        Ok(Endpoint {
            url,
            headers: resolved_headers,
            properties,
        })
    }

    /// Property value `prop`: its template, cloned, with the holes filled in.
    fn properties(&mut self, prop: Id) -> Result<Document> {
        let rs = self.rs;
        let Some(Some(template)) = rs.templates.get(prop as usize) else {
            return Err(ResolveError::evaluation(format!(
                "property value {prop} has no template"
            )));
        };
        let mut doc = template.doc.clone();
        for hole in &template.holes {
            let value = self.string(hole.expr, |ty| {
                format!("a property is a {ty}, not a string")
            })?;
            if let Some(path) = &hole.path {
                match place(rs, &mut doc, path) {
                    Some(place) => *place = Document::String(value),
                    None => {
                        return Err(ResolveError::evaluation(format!(
                            "property value {prop} does not match its template"
                        )));
                    }
                }
            }
        }
        Ok(doc)
    }

    /// The message of an error rule: Python's `str` of the value.
    fn python_str(&self, value: Value<'a>) -> String {
        match value {
            Value::None => "None".to_owned(),
            Value::Bool(true) => "True".to_owned(),
            Value::Bool(false) => "False".to_owned(),
            Value::Int(n) => n.to_string(),
            other => match self.text(other) {
                Some(s) => s.to_owned(),
                None => other.python_type().to_owned(),
            },
        }
    }
}

/// The value at `path` in `doc`.
fn place<'d>(rs: &RuleSet, doc: &'d mut Document, path: &[Step]) -> Option<&'d mut Document> {
    let mut at = doc;
    for step in path {
        at = match (at, *step) {
            (Document::Object(object), Step::Entry(position)) => {
                object.values_mut().nth(position as usize)?
            }
            (Document::Object(object), Step::Key(key)) => object.get_mut(rs.str(key))?,
            (Document::Array(array), Step::Index(index)) => array.get_mut(index as usize)?,
            _ => return None,
        };
    }
    Some(at)
}

fn wrong_argument(func: Function, value: Value<'_>) -> ResolveError {
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
        assert!(std::mem::size_of::<Value<'_>>() <= 24);
    }

    #[test]
    fn siblings_sharing_conditions_resolve_as_if_each_were_evaluated() {
        // Rule 0 needs `UseFIPS`; rule 1 begins with the same two conditions (skipped when
        // rule 0 fails at either); rule 2 shares the first (known to hold when rule 1 fails
        // at the second); rule 3 shares an assignment with rule 4, which reads it.
        let mut records = vec!["a 5"];
        records.extend_from_slice(&REFS);
        records.extend_from_slice(&[
            "e f isSet - 0",
            "e b true",
            "e f booleanEquals - 1 6",
            "e f not - 7",
            "e s 0",
            "e s 1",
            "e s 5",
            "e i 0",
            "e i 1",
            "e b false",
            "e f substring 5 4 12 13 14",
            "e r 5",
            "e f stringEquals - 16 11",
            "e f isSet - 16",
            "e t s2 e16",
            "r endpoint 5 7 | 9 | | -",
            "r endpoint 5 7 8 | 10 | | -",
            "r endpoint 5 8 | 11 | | -",
            "r endpoint 15 17 | 11 | | -",
            "r endpoint 15 18 | 19 | | -",
            "R 0 1 2 3 4",
        ]);
        let rules = rules(&records);
        let mut params = Params::new(&rules);
        let url = |params: &Params| rules.resolve(params).map(|e| e.url);
        params.set(4, "yz").unwrap();
        // Region unset: rules 0 to 2 fail at once, rule 3 fails at its second condition,
        // rule 4 (its first condition known to hold) applies with the value it assigned.
        assert_eq!(url(&params).unwrap(), "Flagy");
        params.set(0, "us-east-1").unwrap();
        assert_eq!(url(&params).unwrap(), "x");
        params.set(1, true).unwrap();
        assert_eq!(url(&params).unwrap(), "Region");
        // Errors are those of the conditions evaluated: `substring` of an unset `S`.
        params.clear(0);
        params.clear(4);
        assert_eq!(
            url(&params).unwrap_err().to_string(),
            "Input must be a string, not <class 'NoneType'>."
        );
    }

    #[test]
    fn properties_fill_their_templates() {
        // The same records, with either endpoint at the top.
        let decode = |root: &str| {
            RuleSet::decode(&format!(
                "{HEADER}\n\"Region\n\"name\n\"sigv4\n\"signingRegion\n\"authSchemes\n\
                 \"https://x\n\"zone-\n\"S\n\
                 p 0 string 1 - -\np 7 string 0 - -\n\
                 e r 0\ne s 2\ne t s6 e0\ne s 5\ne r 1\n\
                 v s 1\nv s 0\nv s 2\nv o 1=0 3=1\nv a 3 2\nv o 4=4 3=2 3=1\nv s 4\n\
                 v o 3=6 3=0\n\
                 r endpoint | 3 | | 5\nr endpoint | 3 | | 7\nR {root}\n"
            ))
            .unwrap()
        };
        let rules = decode("0");
        let mut params = Params::new(&rules);
        params.set(0, "eu-west-1").unwrap();
        // Keys in order, a template in an array, a replaced entry's value gone.
        assert_eq!(
            rules.resolve(&params).unwrap().properties.to_string(),
            r#"{"authSchemes":[{"name":"sigv4","signingRegion":"eu-west-1"},"zone-eu-west-1"],"signingRegion":"eu-west-1"}"#
        );
        // A replaced entry is still evaluated: an unset `S` is an error, as in botocore.
        let second = decode("1");
        assert_eq!(
            second.resolve(&params).unwrap_err().to_string(),
            "a property is a <class 'NoneType'>, not a string"
        );
        params.set(1, "s").unwrap();
        assert_eq!(
            second.resolve(&params).unwrap().properties.to_string(),
            r#"{"signingRegion":"sigv4"}"#
        );
    }

    #[test]
    fn text_made_by_evaluation_works_like_borrowed_text() {
        // Functions of a template's value (text in the resolution's buffer): `parseURL`,
        // `aws.parseArn`, `uriEncode`, `substring`, and `getAttr` of their results.
        let rules = RuleSet::decode(&format!(
            "{HEADER}\n\"Region\n\"u\n\"arn\n\"sub\n\"|\n\"S\n\
             p 0 string 1 - -\np 5 string 0 - -\na 1\na 2\na 3\n\
             e r 0\ne t e0\ne f parseURL 2 1\ne r 2\ne g 3 authority -\n\
             e r 1\ne t e5\ne f aws.parseArn 3 6\ne r 3\ne g 8 resourceId[1] -\n\
             e f uriEncode - 6\ne i 0\ne i 3\ne b true\ne f substring 4 1 11 12 13\n\
             e r 4\ne t e4 s4 e9 s4 e15 s4 e10\ne f isSet - 15\n\
             r endpoint 2 7 14 17 | 16 | | -\nr endpoint 2 | 16 | | -\nR 0 1\n"
        ))
        .unwrap();
        let mut params = Params::new(&rules);
        params.set(0, "https://example.com:8443/a").unwrap();
        params
            .set(1, "arn:aws:s3:us-east-1:123456789012:accesspoint/a b")
            .unwrap();
        assert_eq!(
            rules.resolve(&params).unwrap().url,
            "example.com:8443|a b|3/a|arn%3Aaws%3As3%3Aus-east-1%3A123456789012%3Aaccesspoint%2Fa%20b"
        );
        // The second rule begins like the first, which fails at once.
        params.set(0, "not a URL").unwrap();
        assert!(
            rules
                .resolve(&params)
                .unwrap_err()
                .to_string()
                .starts_with("No endpoint found for parameters:\nRegion: not a URL")
        );
        // A template of an unset value is an error, as a function's argument too.
        params.set(0, "https://h").unwrap();
        params.clear(1);
        assert_eq!(
            rules.resolve(&params).unwrap_err().to_string(),
            "a template refers to `S`, which has no value"
        );
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
