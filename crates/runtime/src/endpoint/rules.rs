//! The decoded form of a rule set, built for evaluation: flat tables of expressions and
//! rules that refer to each other by index, parameters and assigned names resolved to slot
//! indices, templates split into literal and reference parts, strings interned; the fast
//! form of common conditions and calls; and, built once every rule is decoded, the program
//! evaluation runs (the rule tree laid out flat, see [`Node`]) and the template of every
//! endpoint's properties ([`PropTemplate`]).
//!
//! A [`RuleSet`] is only ever built by [`RuleSet::decode`], which checks every index of the
//! encoding (see [`encoding`](super::encoding)) before building it: an index held by a node
//! of a decoded rule set is always in range, which is what makes the direct indexing of
//! the evaluator (`eval.rs`) sound.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use super::encoding::{self, DecodeError};
use super::params::ParamSpec;
use crate::document::{Document, Number};

/// A function a rule set calls with evaluated arguments.
///
/// `getAttr`, whose path argument is a literal read at compile time, is not one of them: it
/// is an expression of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// `isSet(value)`: whether the value is set.
    IsSet,
    /// `not(value)`: Python's `not`.
    Not,
    /// `booleanEquals(a, b)`.
    BooleanEquals,
    /// `stringEquals(a, b)`.
    StringEquals,
    /// `aws.partition(region)`: the partition of a region.
    Partition,
    /// `aws.parseArn(value)`: the parts of an ARN.
    ParseArn,
    /// `isValidHostLabel(value, allowSubDomains)`.
    IsValidHostLabel,
    /// `parseURL(value)`: the parts of a URL.
    ParseUrl,
    /// `substring(value, start, stop, reverse)`.
    Substring,
    /// `uriEncode(value)`: percent-encoding.
    UriEncode,
    /// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`.
    IsVirtualHostableS3Bucket,
}

impl Function {
    /// Every function.
    pub const ALL: [Function; 11] = [
        Function::IsSet,
        Function::Not,
        Function::BooleanEquals,
        Function::StringEquals,
        Function::Partition,
        Function::ParseArn,
        Function::IsValidHostLabel,
        Function::ParseUrl,
        Function::Substring,
        Function::UriEncode,
        Function::IsVirtualHostableS3Bucket,
    ];

    /// The name rule sets call it by, such as `aws.partition`.
    pub fn name(self) -> &'static str {
        match self {
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::Partition => "aws.partition",
            Function::ParseArn => "aws.parseArn",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::ParseUrl => "parseURL",
            Function::Substring => "substring",
            Function::UriEncode => "uriEncode",
            Function::IsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }

    /// The function named `name` (exactly).
    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }

    /// How many arguments it takes.
    pub fn arity(self) -> usize {
        match self {
            Function::IsSet
            | Function::Not
            | Function::Partition
            | Function::ParseArn
            | Function::ParseUrl
            | Function::UriEncode => 1,
            Function::BooleanEquals
            | Function::StringEquals
            | Function::IsValidHostLabel
            | Function::IsVirtualHostableS3Bucket => 2,
            Function::Substring => 4,
        }
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An attribute `getAttr` (or a `{name#attribute}` template) reads from the result of
/// `aws.partition`, `aws.parseArn` or `parseURL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attribute {
    /// Partition `name` (`aws`, `aws-cn`, …).
    Name,
    /// Partition `dnsSuffix`.
    DnsSuffix,
    /// Partition `dualStackDnsSuffix`.
    DualStackDnsSuffix,
    /// Partition `supportsFIPS` (boolean).
    SupportsFips,
    /// Partition `supportsDualStack` (boolean).
    SupportsDualStack,
    /// Partition `implicitGlobalRegion`.
    ImplicitGlobalRegion,
    /// ARN `partition`.
    ArnPartition,
    /// ARN `service`.
    Service,
    /// ARN `region`.
    Region,
    /// ARN `accountId`.
    AccountId,
    /// ARN `resourceId`: the resource split at `:` and `/` (a list of strings).
    ResourceId,
    /// URL `scheme`.
    Scheme,
    /// URL `authority`.
    Authority,
    /// URL `path`.
    Path,
    /// URL `normalizedPath`.
    NormalizedPath,
    /// URL `isIp` (boolean).
    IsIp,
}

/// What an [`Attribute`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributeOwner {
    /// The result of `aws.partition`.
    Partition,
    /// The result of `aws.parseArn`.
    Arn,
    /// The result of `parseURL`.
    Url,
}

impl Attribute {
    /// Every attribute.
    pub const ALL: [Attribute; 16] = [
        Attribute::Name,
        Attribute::DnsSuffix,
        Attribute::DualStackDnsSuffix,
        Attribute::SupportsFips,
        Attribute::SupportsDualStack,
        Attribute::ImplicitGlobalRegion,
        Attribute::ArnPartition,
        Attribute::Service,
        Attribute::Region,
        Attribute::AccountId,
        Attribute::ResourceId,
        Attribute::Scheme,
        Attribute::Authority,
        Attribute::Path,
        Attribute::NormalizedPath,
        Attribute::IsIp,
    ];

    /// The attribute's name in rule sets, such as `dnsSuffix`.
    pub fn name(self) -> &'static str {
        match self {
            Attribute::Name => "name",
            Attribute::DnsSuffix => "dnsSuffix",
            Attribute::DualStackDnsSuffix => "dualStackDnsSuffix",
            Attribute::SupportsFips => "supportsFIPS",
            Attribute::SupportsDualStack => "supportsDualStack",
            Attribute::ImplicitGlobalRegion => "implicitGlobalRegion",
            Attribute::ArnPartition => "partition",
            Attribute::Service => "service",
            Attribute::Region => "region",
            Attribute::AccountId => "accountId",
            Attribute::ResourceId => "resourceId",
            Attribute::Scheme => "scheme",
            Attribute::Authority => "authority",
            Attribute::Path => "path",
            Attribute::NormalizedPath => "normalizedPath",
            Attribute::IsIp => "isIp",
        }
    }

    /// The attribute named `name` (exactly).
    pub fn from_name(name: &str) -> Option<Attribute> {
        Attribute::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The kind of value the attribute belongs to.
    pub fn owner(self) -> AttributeOwner {
        match self {
            Attribute::Name
            | Attribute::DnsSuffix
            | Attribute::DualStackDnsSuffix
            | Attribute::SupportsFips
            | Attribute::SupportsDualStack
            | Attribute::ImplicitGlobalRegion => AttributeOwner::Partition,
            Attribute::ArnPartition
            | Attribute::Service
            | Attribute::Region
            | Attribute::AccountId
            | Attribute::ResourceId => AttributeOwner::Arn,
            Attribute::Scheme
            | Attribute::Authority
            | Attribute::Path
            | Attribute::NormalizedPath
            | Attribute::IsIp => AttributeOwner::Url,
        }
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A run of entries of one of the rule set's shared lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

impl Span {
    pub(crate) fn range(self) -> Range<usize> {
        let start = self.start as usize;
        start..start + self.len as usize
    }
}

/// Index of a string, expression, property value or rule in its table.
pub(crate) type Id = u32;

/// An expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Expr {
    /// A literal string (`strings`).
    Str(Id),
    /// A template string: its parts (`parts`).
    Template(Span),
    /// A literal boolean.
    Bool(bool),
    /// A literal integer (`substring`'s bounds).
    Int(u32),
    /// The value of a parameter or an assigned name.
    Ref(u32),
    /// `getAttr(target, "attr[index]")` (at least one of the two is present), and the slot
    /// its result is assigned to.
    GetAttr {
        target: Id,
        attr: Option<Attribute>,
        index: Option<u32>,
        assign: Option<u32>,
    },
    /// A function call, its arguments (`ids`) and the slot its result is assigned to.
    Call {
        func: Function,
        args: Span,
        assign: Option<u32>,
    },
}

impl Expr {
    /// The slot the expression's result is assigned to.
    pub(crate) fn assign(&self) -> Option<u32> {
        match *self {
            Expr::GetAttr { assign, .. } | Expr::Call { assign, .. } => assign,
            _ => None,
        }
    }
}

/// A condition of a common shape, which evaluation answers from the slots without building
/// values; [`Fast::Generic`] for every other expression.
///
/// A fast form answers only when its operands have the types it expects: otherwise (an
/// unset value given to `booleanEquals`, say) evaluation takes the generic path, which
/// reports the error as botocore does. `not` of a fast form is the fast form negated (the
/// negation of a boolean is exact).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fast {
    Generic,
    /// `isSet(ref)`.
    IsSet(u32),
    /// `not(isSet(ref))`.
    NotIsSet(u32),
    /// `booleanEquals(ref, literal)`, either way round.
    BoolEq(u32, bool),
    /// `booleanEquals(getAttr(ref, attr), literal)`, either way round.
    AttrBoolEq(u32, Attribute, bool),
    /// `stringEquals(ref, literal)`, either way round; the literal is a string id, and the
    /// flag is false for the negation.
    StrEq(u32, Id, bool),
    /// `stringEquals(getAttr(ref, attr), literal)`, either way round (false: negated).
    AttrStrEq(u32, Attribute, Id, bool),
    /// A call whose arguments are a slot and literals; it gives a value, not an answer.
    Call(CallOp),
}

/// A call of a function on a slot, its other arguments literals, which evaluation makes
/// without evaluating the arguments when the slot holds a borrowed string (anything else
/// takes the generic path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallOp {
    /// `substring(ref, start, stop, reverse)`.
    Substring {
        slot: u16,
        start: u16,
        stop: u16,
        reverse: bool,
    },
    /// `aws.partition(ref)`.
    Partition(u32),
    /// `isValidHostLabel(ref, allowSubDomains)`.
    IsValidHostLabel(u32, bool),
    /// `aws.isVirtualHostableS3Bucket(ref, allowSubDomains)`.
    IsVirtualHostableS3Bucket(u32, bool),
}

impl Fast {
    /// The fast form of `not(self)`.
    fn negated(self) -> Fast {
        match self {
            Fast::Generic => Fast::Generic,
            Fast::IsSet(slot) => Fast::NotIsSet(slot),
            Fast::NotIsSet(slot) => Fast::IsSet(slot),
            Fast::BoolEq(slot, v) => Fast::BoolEq(slot, !v),
            Fast::AttrBoolEq(slot, attr, v) => Fast::AttrBoolEq(slot, attr, !v),
            Fast::StrEq(slot, s, eq) => Fast::StrEq(slot, s, !eq),
            Fast::AttrStrEq(slot, attr, s, eq) => Fast::AttrStrEq(slot, attr, s, !eq),
            Fast::Call(_) => Fast::Generic,
        }
    }
}

/// A part of a template string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// Literal text (`strings`).
    Lit(Id),
    /// The value of an expression (a reference or a `getAttr`).
    Expr(Id),
}

/// A value of an endpoint's `properties`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Prop {
    Null,
    Bool(bool),
    Number(Number),
    /// A string: a literal or a template expression.
    Str(Id),
    /// Items (`ids`, property ids).
    Array(Span),
    /// Entries (`entries`).
    Object(Span),
}

/// One header of an endpoint: its name (`strings`) and value expressions (`ids`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) name: Id,
    pub(crate) values: Span,
}

/// A condition of a rule: its expression and that expression's fast form, side by side
/// so that a rule's conditions are contiguous in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cond {
    pub(crate) fast: Fast,
    pub(crate) expr: Id,
}

/// A rule; `conditions` is a span of `conds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Sub-rules (`ids`, rule ids) tried in order when the conditions hold.
    Tree { conditions: Span, rules: Span },
    /// An endpoint: URL expression, headers (`headers`) and properties.
    Endpoint {
        conditions: Span,
        url: Id,
        headers: Span,
        properties: Option<Id>,
    },
    /// An error: its message expression.
    Error { conditions: Span, message: Id },
}

/// Where evaluation goes when a [`Node`]'s conditions hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// A tree: on to the node of its first sub-rule (or, for a tree without sub-rules, to
    /// where a failure would go).
    Enter(u32),
    /// An endpoint rule (`rules`): resolution ends with its endpoint.
    Endpoint(Id),
    /// An error rule: resolution fails with its message expression.
    Error(Id),
}

/// The node index that ends evaluation: no rule applies.
pub(crate) const END: u32 = u32::MAX;

/// One occurrence of a rule in the evaluation program.
///
/// The program is the rule tree laid out flat (a rule that hash-consing shares between
/// trees occurs once per place), so that evaluation is a loop: each node knows where to
/// go when a condition fails (its next sibling, or after the last sibling wherever its
/// parent's failure would go) and when they all hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Node {
    /// A span of `conds`.
    pub(crate) conditions: Span,
    /// The node tried when a condition does not hold ([`END`]: none).
    pub(crate) next: u32,
    /// How many leading conditions this node has in common with node `next` (the same
    /// expressions). When condition `k < shared` fails here it fails there too: the
    /// conditions before it give the same values again (a name is never assigned twice in
    /// scope), so evaluation skips that node without evaluating anything.
    pub(crate) shared: u32,
    pub(crate) action: Action,
}

/// A step from a document to one of its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// An object's value by key (`strings`): how a template is built.
    Key(Id),
    /// An object's value by its position in key order: what the built template keeps, as
    /// finding it takes no comparison of keys.
    Entry(u32),
    /// An array's item.
    Index(u32),
}

/// A string of an endpoint's properties that depends on the parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hole {
    /// Where its value goes in the template; `None` for a value that a later entry with
    /// the same key replaces (it is still evaluated, for its errors).
    pub(crate) path: Option<Vec<Step>>,
    /// Its expression.
    pub(crate) expr: Id,
}

/// An endpoint's properties built once at decode time: every constant value in place, and
/// `Null` where a [`Hole`] goes. A resolution clones the document and fills in the holes,
/// in the order the encoding lists them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PropTemplate {
    pub(crate) doc: Document,
    pub(crate) holes: Vec<Hole>,
}

/// An endpoint rule set, decoded and ready to resolve endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    pub(crate) params: Vec<ParamSpec>,
    /// Names of every slot: the parameters', then the assigned names.
    pub(crate) slot_names: Vec<Id>,
    /// Every string, back to back; `strings` holds their ranges.
    pub(crate) text: String,
    pub(crate) strings: Vec<(u32, u32)>,
    pub(crate) exprs: Vec<Expr>,
    /// The fast form of each expression (indexed like `exprs`).
    pub(crate) fast: Vec<Fast>,
    pub(crate) parts: Vec<Part>,
    pub(crate) props: Vec<Prop>,
    pub(crate) entries: Vec<(Id, Id)>,
    pub(crate) headers: Vec<Header>,
    pub(crate) rules: Vec<Rule>,
    /// The conditions of every rule, rule after rule.
    pub(crate) conds: Vec<Cond>,
    /// Shared storage of the id lists that nodes refer to with a [`Span`].
    pub(crate) ids: Vec<Id>,
    /// The top-level rules (`ids`).
    pub(crate) root: Span,
    /// The rule tree laid out for evaluation, built with the `R` record.
    pub(crate) program: Vec<Node>,
    /// The first node evaluated ([`END`] when there are no rules).
    pub(crate) start: u32,
    /// The template of every property value an endpoint rule uses as its properties
    /// (indexed like `props`).
    pub(crate) templates: Vec<Option<PropTemplate>>,
}

impl RuleSet {
    /// Decodes a rule set compiled by `stratus-codegen` (the format is described in
    /// [`encoding`](super::encoding)).
    pub fn decode(encoded: &str) -> Result<RuleSet, DecodeError> {
        encoding::decode(encoded)
    }

    /// The parameters, in the rule set's order; [`Params`](super::Params) is indexed alike.
    pub fn params(&self) -> &[ParamSpec] {
        &self.params
    }

    /// The index of the parameter named `name`.
    pub fn param_index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }

    /// A rule set with nothing in it yet: where decoding starts.
    pub(crate) fn empty() -> RuleSet {
        RuleSet {
            params: Vec::new(),
            slot_names: Vec::new(),
            text: String::new(),
            strings: Vec::new(),
            exprs: Vec::new(),
            fast: Vec::new(),
            parts: Vec::new(),
            props: Vec::new(),
            entries: Vec::new(),
            headers: Vec::new(),
            rules: Vec::new(),
            conds: Vec::new(),
            ids: Vec::new(),
            root: Span::default(),
            program: Vec::new(),
            start: END,
            templates: Vec::new(),
        }
    }

    /// The fast form of `expr`, whose operands must already be in `exprs`.
    pub(crate) fn fast_form(&self, expr: &Expr) -> Fast {
        let Expr::Call { func, args, assign } = *expr else {
            return Fast::Generic;
        };
        if let Some(op) = self.call_op(func, self.list(args)) {
            return Fast::Call(op);
        }
        if assign.is_some() {
            return Fast::Generic;
        }
        let arg = |id: Id| self.exprs[id as usize];
        // A slot, or an attribute of a slot, compared with a literal.
        let operands = |a: Id, b: Id| match (arg(a), arg(b)) {
            (Expr::Bool(_) | Expr::Str(_), _) => (arg(b), arg(a)),
            (x, y) => (x, y),
        };
        let attr_of_slot = |e: Expr| match e {
            Expr::GetAttr {
                target,
                attr: Some(attr),
                index: None,
                assign: None,
            } => match arg(target) {
                Expr::Ref(slot) => Some((slot, attr)),
                _ => None,
            },
            _ => None,
        };
        match (func, self.list(args)) {
            (Function::IsSet, &[a]) => match arg(a) {
                Expr::Ref(slot) => Fast::IsSet(slot),
                _ => Fast::Generic,
            },
            (Function::Not, &[a]) => self.fast[a as usize].negated(),
            (Function::BooleanEquals, &[a, b]) => match operands(a, b) {
                (Expr::Ref(slot), Expr::Bool(v)) => Fast::BoolEq(slot, v),
                (e, Expr::Bool(v)) => attr_of_slot(e).map_or(Fast::Generic, |(slot, attr)| {
                    Fast::AttrBoolEq(slot, attr, v)
                }),
                _ => Fast::Generic,
            },
            (Function::StringEquals, &[a, b]) => match operands(a, b) {
                (Expr::Ref(slot), Expr::Str(s)) => Fast::StrEq(slot, s, true),
                (e, Expr::Str(s)) => attr_of_slot(e).map_or(Fast::Generic, |(slot, attr)| {
                    Fast::AttrStrEq(slot, attr, s, true)
                }),
                _ => Fast::Generic,
            },
            _ => Fast::Generic,
        }
    }

    /// The [`CallOp`] of a call of `func` with arguments `args`, if it has one.
    fn call_op(&self, func: Function, args: &[Id]) -> Option<CallOp> {
        let arg = |id: Id| self.exprs[id as usize];
        Some(match (func, args) {
            (Function::Substring, &[input, start, stop, reverse]) => {
                match (arg(input), arg(start), arg(stop), arg(reverse)) {
                    (Expr::Ref(slot), Expr::Int(start), Expr::Int(stop), Expr::Bool(reverse)) => {
                        CallOp::Substring {
                            slot: u16::try_from(slot).ok()?,
                            start: u16::try_from(start).ok()?,
                            stop: u16::try_from(stop).ok()?,
                            reverse,
                        }
                    }
                    _ => return None,
                }
            }
            (Function::Partition, &[region]) => match arg(region) {
                Expr::Ref(slot) => CallOp::Partition(slot),
                _ => return None,
            },
            (Function::IsValidHostLabel, &[input, subdomains]) => {
                match (arg(input), arg(subdomains)) {
                    (Expr::Ref(slot), Expr::Bool(b)) => CallOp::IsValidHostLabel(slot, b),
                    _ => return None,
                }
            }
            (Function::IsVirtualHostableS3Bucket, &[input, subdomains]) => {
                match (arg(input), arg(subdomains)) {
                    (Expr::Ref(slot), Expr::Bool(b)) => CallOp::IsVirtualHostableS3Bucket(slot, b),
                    _ => return None,
                }
            }
            _ => return None,
        })
    }

    /// Lays out the rule tree for evaluation ([`Node`]) and builds the template of every
    /// endpoint's properties: the last step of decoding, once every rule is known. `nodes`
    /// is how many nodes the rules lay out into.
    pub(crate) fn build_program(&mut self, nodes: usize) {
        self.program = Vec::with_capacity(nodes);
        self.start = self.lay_out(self.root, END);
        for index in 0..self.program.len() {
            let node = self.program[index];
            if node.next == END {
                continue;
            }
            let next = self.program[node.next as usize];
            let ours = &self.conds[node.conditions.range()];
            let theirs = &self.conds[next.conditions.range()];
            let shared = ours
                .iter()
                .zip(theirs)
                .take_while(|(a, b)| a.expr == b.expr)
                .count();
            // At most the length of a span, which is a u32.
            self.program[index].shared = shared as u32;
        }
        self.templates = vec![None; self.props.len()];
        for index in 0..self.rules.len() {
            if let Rule::Endpoint {
                properties: Some(prop),
                ..
            } = self.rules[index]
                && self.templates[prop as usize].is_none()
            {
                let mut holes = Vec::new();
                let doc = self.prop_template(prop, &mut Vec::new(), &mut holes);
                self.templates[prop as usize] = Some(PropTemplate { doc, holes });
            }
        }
    }

    /// Appends the nodes of sibling rules `rules` (a span of `ids`), then those of their
    /// sub-rules; `after` is where a failure of the last one goes. Returns the first one's
    /// index.
    fn lay_out(&mut self, rules: Span, after: u32) -> u32 {
        if rules.len == 0 {
            return after;
        }
        // Decoding caps the number of nodes far below u32::MAX.
        let base = self.program.len() as u32;
        for i in 0..rules.len {
            let rule = self.ids[(rules.start + i) as usize];
            let next = if i + 1 < rules.len {
                base + i + 1
            } else {
                after
            };
            let (conditions, action) = match self.rules[rule as usize] {
                Rule::Tree { conditions, .. } => (conditions, Action::Enter(next)),
                Rule::Endpoint { conditions, .. } => (conditions, Action::Endpoint(rule)),
                Rule::Error {
                    conditions,
                    message,
                } => (conditions, Action::Error(message)),
            };
            self.program.push(Node {
                conditions,
                next,
                shared: 0,
                action,
            });
        }
        for i in 0..rules.len {
            let rule = self.ids[(rules.start + i) as usize];
            if let Rule::Tree {
                rules: children, ..
            } = self.rules[rule as usize]
            {
                let index = (base + i) as usize;
                let first = self.lay_out(children, self.program[index].next);
                self.program[index].action = Action::Enter(first);
            }
        }
        base
    }

    /// The document of property value `prop` with its constant values, recording the
    /// holes under `path`.
    fn prop_template(&self, prop: Id, path: &mut Vec<Step>, holes: &mut Vec<Hole>) -> Document {
        match self.props[prop as usize] {
            Prop::Null => Document::Null,
            Prop::Bool(b) => Document::Bool(b),
            Prop::Number(n) => Document::Number(n),
            Prop::Str(expr) => match self.exprs[expr as usize] {
                Expr::Str(s) => Document::String(self.str(s).to_owned()),
                _ => {
                    holes.push(Hole {
                        path: Some(path.clone()),
                        expr,
                    });
                    Document::Null
                }
            },
            Prop::Array(items) => {
                let items = self.list(items);
                let mut array = Vec::with_capacity(items.len());
                for (i, &item) in items.iter().enumerate() {
                    path.push(Step::Index(i as u32));
                    array.push(self.prop_template(item, path, holes));
                    path.pop();
                }
                Document::Array(array)
            }
            Prop::Object(entries) => {
                let mut object = BTreeMap::new();
                let depth = path.len();
                let object_holes = holes.len();
                for &(key, value) in &self.entries[entries.range()] {
                    let first_hole = holes.len();
                    path.push(Step::Key(key));
                    let doc = self.prop_template(value, path, holes);
                    let name = self.str(key);
                    if object.insert(name.to_owned(), doc).is_some() {
                        // An earlier entry with this key is replaced: its holes no longer
                        // go anywhere.
                        for hole in &mut holes[..first_hole] {
                            let under = hole.path.as_ref().is_some_and(|p| {
                                p.len() >= path.len()
                                    && p[..path.len() - 1] == path[..path.len() - 1]
                                    && matches!(p[path.len() - 1],
                                        Step::Key(k) if self.str(k) == name)
                            });
                            if under {
                                hole.path = None;
                            }
                        }
                    }
                    path.pop();
                }
                // Keys are found by position: the object is complete, its order known.
                for hole in &mut holes[object_holes..] {
                    if let Some(path) = &mut hole.path
                        && let Step::Key(key) = path[depth]
                        && let Some(position) = object.keys().position(|k| k == self.str(key))
                    {
                        // An object holds fewer than MAX_PROP_NODES entries.
                        path[depth] = Step::Entry(position as u32);
                    }
                }
                Document::Object(object)
            }
        }
    }

    /// String `id`.
    pub(crate) fn str(&self, id: Id) -> &str {
        let (start, end) = self.strings[id as usize];
        &self.text[start as usize..end as usize]
    }

    /// The ids of a span of `ids`.
    pub(crate) fn list(&self, span: Span) -> &[Id] {
        &self.ids[span.range()]
    }

    /// The name of slot `slot` (a parameter or an assigned name).
    pub(crate) fn slot_name(&self, slot: u32) -> &str {
        self.str(self.slot_names[slot as usize])
    }

    /// How many slots evaluation needs.
    pub(crate) fn slot_count(&self) -> usize {
        self.slot_names.len()
    }
}

/// A rule set embedded in a generated crate as its encoded text, decoded on first use.
///
/// ```
/// use stratus_runtime::endpoint::{Params, StaticRuleSet};
///
/// // What codegen writes for a rule set without parameters or rules.
/// static RULES: StaticRuleSet = StaticRuleSet::new("stratus-endpoint-rules 1\nR\n");
///
/// let rules = RULES.get().expect("generated rules decode");
/// let error = rules.resolve(&Params::new(rules)).unwrap_err();
/// assert_eq!(error.to_string(), "No endpoint found for parameters:\n");
/// ```
#[derive(Debug)]
pub struct StaticRuleSet {
    encoded: &'static str,
    decoded: OnceLock<Result<RuleSet, DecodeError>>,
}

impl StaticRuleSet {
    /// A rule set for its encoded text; nothing is decoded yet.
    pub const fn new(encoded: &'static str) -> Self {
        StaticRuleSet {
            encoded,
            decoded: OnceLock::new(),
        }
    }

    /// The decoded rule set, decoding it on the first call (once, whichever thread gets
    /// there first); a text that does not decode gives the same error on every call.
    pub fn get(&self) -> Result<&RuleSet, &DecodeError> {
        self.decoded
            .get_or_init(|| RuleSet::decode(self.encoded))
            .as_ref()
    }

    /// The encoded text.
    pub fn encoded(&self) -> &'static str {
        self.encoded
    }
}
