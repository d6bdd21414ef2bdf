//! Validate: the model's constraints checked before anything is sent, like botocore's
//! parameter validation — required members, length limits, numeric ranges.

use crate::schema::{MemberFlags, Schema, ShapeType};
use crate::value::{StructValue, Value, ValueRef};
use std::fmt;

/// Every problem with `input`, as sentences naming the member path (empty when valid).
pub fn validate(input: &dyn StructValue) -> Vec<String> {
    let mut problems = Vec::new();
    check_struct(input, &Path::Root, &mut problems, 0);
    problems
}

/// Where a value sits in the input, written out only when a problem names it: a valid
/// input (every call's case) costs no allocation per member.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Member(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
    Key(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    fn is_root(&self) -> bool {
        matches!(self, Path::Root)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Member(parent, name) if parent.is_root() => f.write_str(name),
            Path::Member(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
            Path::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// Deeper than any real model nests; stops a pathological recursive value.
const MAX_DEPTH: usize = 64;

fn check_struct(value: &dyn StructValue, path: &Path, problems: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let schema = value.schema();
    let union = schema.shape_type == ShapeType::Union;
    let mut set_members = 0;
    for (i, member) in schema.members().iter().enumerate() {
        let member_path = Path::Member(path, member.name);
        match value.member(i) {
            Some(v) => {
                set_members += 1;
                check_value(v, member.target, &member_path, problems, depth);
            }
            None if member.has(MemberFlags::REQUIRED) && !union => {
                problems.push(format!("missing required member {member_path}"));
            }
            None => {}
        }
    }
    if union && set_members > 1 {
        problems.push(format!(
            "{} sets {set_members} members of a union; set exactly one",
            display(path, schema)
        ));
    }
}

fn display(path: &Path, schema: &Schema) -> String {
    if path.is_root() {
        schema.name.to_string()
    } else {
        path.to_string()
    }
}

fn check_value(
    value: &dyn Value,
    schema: &Schema,
    path: &Path,
    problems: &mut Vec<String>,
    depth: usize,
) {
    let (min, max) = (schema.min, schema.max);
    let length = |len: usize, unit: &str, problems: &mut Vec<String>| {
        if let Some(min) = min
            && (len as f64) < min
        {
            problems.push(format!(
                "{path} has {len} {unit}, fewer than the minimum of {min}"
            ));
        }
        if let Some(max) = max
            && (len as f64) > max
        {
            problems.push(format!(
                "{path} has {len} {unit}, more than the maximum of {max}"
            ));
        }
    };
    match value.get() {
        ValueRef::String(s)
            if schema.shape_type == ShapeType::String && (min.is_some() || max.is_some()) =>
        {
            length(s.chars().count(), "characters", problems)
        }
        ValueRef::Blob(b) => length(b.len(), "bytes", problems),
        ValueRef::Integer(n) => range(n as f64, min, max, path, problems),
        ValueRef::Float(n) if n.is_finite() => range(n, min, max, path, problems),
        ValueRef::List(list) => {
            length(list.len(), "items", problems);
            if let Some(element) = schema.list_member() {
                for i in 0..list.len() {
                    if let Some(item) = list.item(i) {
                        check_value(
                            item,
                            element.target,
                            &Path::Index(path, i),
                            problems,
                            depth + 1,
                        );
                    }
                }
            }
        }
        ValueRef::Map(map) => {
            length(map.len(), "entries", problems);
            if let Some((_, value_member)) = schema.map_entry() {
                map.for_each(&mut |key, v| {
                    check_value(
                        v,
                        value_member.target,
                        &Path::Key(path, key),
                        problems,
                        depth + 1,
                    );
                });
            }
        }
        ValueRef::Struct(s) => check_struct(s, path, problems, depth + 1),
        _ => {}
    }
}

fn range(n: f64, min: Option<f64>, max: Option<f64>, path: &Path, problems: &mut Vec<String>) {
    if let Some(min) = min
        && n < min
    {
        problems.push(format!("{path} is {n}, less than the minimum of {min}"));
    }
    if let Some(max) = max
        && n > max
    {
        problems.push(format!("{path} is {n}, more than the maximum of {max}"));
    }
}
