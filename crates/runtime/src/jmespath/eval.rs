//! Evaluates a syntax tree against a value.
//!
//! The current value is a `Cow`: borrowed from the root (or from a literal of the tree)
//! where possible, owned where computed. Typed values are `Found::Value` and cost nothing
//! to copy; only parts of computed arrays and objects are ever cloned. Recursion follows the
//! tree, whose depth the parser bounds.

use super::found::{self, Found, into_elements, into_entries};
use super::functions;
use super::parser::{Comparator, Node};
use super::{ErrorKind, EvalError};
use std::borrow::Cow;

/// A value being evaluated: borrowed for `'r`, or owned.
pub(super) type Cur<'r, 'a> = Cow<'r, Found<'a>>;

fn null<'r, 'a>() -> Cur<'r, 'a> {
    Cow::Owned(Found::Null)
}

/// What evaluating a node gives.
type Eval<'r, 'a> = Result<Cur<'r, 'a>, EvalError>;

/// The value of `node` with `cur` as the current node.
///
/// Each kind of node is evaluated by a function of its own, kept out of line: this frame,
/// which every level of the tree adds to the stack, stays small even in debug builds.
pub(super) fn eval<'r, 'a>(node: &'r Node, cur: &Cur<'r, 'a>) -> Eval<'r, 'a> {
    match node {
        Node::Current => Ok(cur.clone()),
        Node::Field(name) => Ok(found::field(cur, name)),
        Node::Sub(lhs, rhs) | Node::Pipe(lhs, rhs) => chain(lhs, rhs, cur),
        Node::Index(i) => Ok(found::index(cur, *i)),
        Node::Slice(start, stop, step) => Ok(slice(cur, *start, *stop, step.unwrap_or(1))),
        Node::Projection(lhs, rhs) => projection(lhs, rhs, cur),
        Node::ValueProjection(lhs, rhs) => value_projection(lhs, rhs, cur),
        Node::Filter {
            lhs,
            condition,
            rhs,
        } => filter(lhs, condition, rhs, cur),
        Node::Flatten(inner) => flatten(inner, cur),
        Node::Or(lhs, rhs) => or(lhs, rhs, cur),
        Node::And(lhs, rhs) => and(lhs, rhs, cur),
        Node::Not(inner) => not(inner, cur),
        Node::Compare(op, lhs, rhs) => comparison(*op, lhs, rhs, cur),
        Node::Literal(value) => Ok(Cow::Borrowed(value)),
        Node::MultiList(items) => multi_list(items, cur),
        Node::MultiHash(pairs) => multi_hash(pairs, cur),
        Node::Call(function, args) => functions::call(*function, args, cur),
        Node::Expref(_) => Err(EvalError::new(
            ErrorKind::InvalidType,
            "an expression reference (`&...`) can only be an argument of a function".to_owned(),
        )),
    }
}

/// `lhs.rhs`, `lhs | rhs`.
#[inline(never)]
fn chain<'r, 'a>(lhs: &'r Node, rhs: &'r Node, cur: &Cur<'r, 'a>) -> Eval<'r, 'a> {
    let left = eval(lhs, cur)?;
    eval(rhs, &left)
}

#[inline(never)]
fn projection<'r, 'a>(lhs: &'r Node, rhs: &'r Node, cur: &Cur<'r, 'a>) -> Eval<'r, 'a> {
    match into_elements(eval(lhs, cur)?) {
        Some(items) => project(items, rhs),
        None => Ok(null()),
    }
}

#[inline(never)]
fn value_projection<'r, 'a>(lhs: &'r Node, rhs: &'r Node, cur: &Cur<'r, 'a>) -> Eval<'r, 'a> {
    match into_entries(eval(lhs, cur)?) {
        Some(entries) => project(entries.into_iter().map(|(_, v)| v).collect(), rhs),
        None => Ok(null()),
    }
}

#[inline(never)]
fn filter<'r, 'a>(
    lhs: &'r Node,
    condition: &'r Node,
    rhs: &'r Node,
    cur: &Cur<'r, 'a>,
) -> Eval<'r, 'a> {
    let Some(items) = into_elements(eval(lhs, cur)?) else {
        return Ok(null());
    };
    let mut kept = Vec::new();
    for item in items {
        if eval(condition, &item)?.is_truthy() {
            kept.push(item);
        }
    }
    project(kept, rhs)
}

/// The array `inner` gives, with the elements of its array elements spliced in.
#[inline(never)]
fn flatten<'r, 'a>(inner: &'r Node, cur: &Cur<'r, 'a>) -> Eval<'r, 'a> {
    let Some(items) = into_elements(eval(inner, cur)?) else {
        return Ok(null());
    };
    let mut flat = Vec::with_capacity(items.len());
    for item in items {
        if item.type_name() == "array" {
            let inner = into_elements(item).unwrap_or_default();
            flat.extend(inner.into_iter().map(Cow::into_owned));
        } else {
            flat.push(item.into_owned());
        }
    }
    Ok(Cow::Owned(Found::List(flat)))
}

#[inline(never)]
fn or<'r, 'a>(lhs: &'r Node, rhs: &'r Node, cur: &Cur<'r, 'a>) -> Eval<'r, 'a> {
    let left = eval(lhs, cur)?;
    if left.is_truthy() {
        Ok(left)
    } else {
        eval(rhs, cur)
    }
}

#[inline(never)]
fn and<'r, 'a>(lhs: &'r Node, rhs: &'r Node, cur: &Cur<'r, 'a>) -> Eval<'r, 'a> {
    let left = eval(lhs, cur)?;
    if left.is_truthy() {
        eval(rhs, cur)
    } else {
        Ok(left)
    }
}

#[inline(never)]
fn not<'r, 'a>(inner: &'r Node, cur: &Cur<'r, 'a>) -> Eval<'r, 'a> {
    let value = eval(inner, cur)?;
    Ok(Cow::Owned(Found::Bool(!value.is_truthy())))
}

#[inline(never)]
fn comparison<'r, 'a>(
    op: Comparator,
    lhs: &'r Node,
    rhs: &'r Node,
    cur: &Cur<'r, 'a>,
) -> Eval<'r, 'a> {
    let left = eval(lhs, cur)?;
    let right = eval(rhs, cur)?;
    Ok(Cow::Owned(compare(op, &left, &right)))
}

/// `[a, b]`: null on null.
#[inline(never)]
fn multi_list<'r, 'a>(items: &'r [Node], cur: &Cur<'r, 'a>) -> Eval<'r, 'a> {
    if cur.is_null() {
        return Ok(null());
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(eval(item, cur)?.into_owned());
    }
    Ok(Cow::Owned(Found::List(out)))
}

/// `{k: a}`: null on null; a repeated key keeps its first place and its last value.
#[inline(never)]
fn multi_hash<'r, 'a>(pairs: &'r [(String, Node)], cur: &Cur<'r, 'a>) -> Eval<'r, 'a> {
    if cur.is_null() {
        return Ok(null());
    }
    let mut out: Vec<(Cow<'a, str>, Found<'a>)> = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        let value = eval(value, cur)?.into_owned();
        match out.iter_mut().find(|(k, _)| *k == *key) {
            Some(entry) => entry.1 = value,
            None => out.push((Cow::Owned(key.clone()), value)),
        }
    }
    Ok(Cow::Owned(Found::Object(out)))
}

/// `rhs` on each of `items`, nulls dropped.
#[inline(never)]
fn project<'r, 'a>(items: Vec<Cur<'r, 'a>>, rhs: &'r Node) -> Result<Cur<'r, 'a>, EvalError> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let value = match rhs {
            Node::Current => item,
            rhs => eval(rhs, &item)?,
        };
        if !value.is_null() {
            out.push(value.into_owned());
        }
    }
    Ok(Cow::Owned(Found::List(out)))
}

/// `[start:stop:step]` of an array, as Python slices lists; null for anything else.
fn slice<'r, 'a>(
    cur: &Cur<'r, 'a>,
    start: Option<i64>,
    stop: Option<i64>,
    step: i64,
) -> Cur<'r, 'a> {
    let Some(mut items) = into_elements(Cow::Borrowed(&**cur)) else {
        return null();
    };
    let len = items.len() as i64;
    let clamp = |bound: Option<i64>, default: i64| -> i64 {
        match bound {
            None => default,
            Some(b) if b < 0 => (b + len).max(if step < 0 { -1 } else { 0 }),
            Some(b) => b.min(if step < 0 { len - 1 } else { len }),
        }
    };
    let (mut i, end) = if step > 0 {
        (clamp(start, 0), clamp(stop, len))
    } else {
        (clamp(start, len - 1), clamp(stop, -1))
    };
    let mut out = Vec::new();
    while (step > 0 && i < end) || (step < 0 && i > end) {
        // Each index is picked once; only the picked elements are copied.
        out.push(std::mem::replace(&mut items[i as usize], null()).into_owned());
        i += step;
    }
    Cow::Owned(Found::List(out))
}

/// A comparison: equality of any values; order of numbers, of timestamps (as instants) and
/// of strings (by code point, as jmespath.py does); null when the operands cannot be
/// ordered.
fn compare(op: Comparator, left: &Found<'_>, right: &Found<'_>) -> Found<'static> {
    let ordering = match op {
        Comparator::Eq => return Found::Bool(left == right),
        Comparator::Ne => return Found::Bool(left != right),
        _ => match (left.number(), right.number()) {
            (Some(a), Some(b)) => a.compare(b),
            _ => match (left.timestamp(), right.timestamp()) {
                (Some(a), Some(b)) => Some(a.cmp(&b)),
                _ => match (left.as_str(), right.as_str()) {
                    (Some(a), Some(b)) => Some(a.cmp(&b)),
                    _ => return Found::Null,
                },
            },
        },
    };
    Found::Bool(ordering.is_some_and(|o| match op {
        Comparator::Lt => o.is_lt(),
        Comparator::Le => o.is_le(),
        Comparator::Gt => o.is_gt(),
        Comparator::Ge => o.is_ge(),
        Comparator::Eq | Comparator::Ne => o.is_eq(),
    }))
}
