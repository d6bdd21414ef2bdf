//! IR: a service with every name resolved, the shape graph analysed (recursion, streaming),
//! and each shape's role known (operation input/output, exception, nested).
//!
//! Naming happens here, once, in a fixed order, so emitting is a plain walk over the IR.

use crate::load::ServiceFiles;
use crate::naming::{self, Namespace};
use crate::unions::{self, Union};
use anyhow::{Context, Result, bail};
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};
use stratus_runtime::model::{OperationModel, ShapeModel, ShapeRef, location, timestamp_format};
use stratus_runtime::schema::ShapeType;

/// A service ready to emit.
#[derive(Debug)]
pub struct Service {
    pub files: ServiceFiles,
    /// Crate name, e.g. `autoscaling-client`.
    pub crate_name: String,
    /// Library name, e.g. `autoscaling_client`.
    pub lib_name: String,
    /// Model shapes (in model order) followed by synthetic input/output shapes.
    pub shapes: IndexMap<String, Shape>,
    pub operations: Vec<Operation>,
    /// The paginators of `paginators-1.json`, in file order.
    pub paginators: Vec<Paginator>,
    /// The waiters of `waiters-2.json`, in file order.
    pub waiters: Vec<Waiter>,
}

/// A paginator and the names it is emitted under.
#[derive(Debug)]
pub struct Paginator {
    /// Index of the paginated operation in [`Service::operations`].
    pub operation: usize,
    pub model: crate::load::Paginator,
    /// The typed builder, e.g. `ListObjectsV2Paginator`.
    pub type_name: String,
    /// The client method, e.g. `list_objects_v2_paginator`.
    pub fn_name: String,
    /// The `static` holding its description.
    pub static_name: String,
}

/// A waiter and the names it is emitted under.
#[derive(Debug)]
pub struct Waiter {
    /// The waiter's name in the model, e.g. `StackCreateComplete`.
    pub name: String,
    /// Index of the operation it calls in [`Service::operations`].
    pub operation: usize,
    pub model: crate::load::Waiter,
    /// The client method, e.g. `wait_until_stack_create_complete`.
    pub fn_name: String,
    pub static_name: String,
}

/// A shape and the names it is emitted under.
#[derive(Debug)]
pub struct Shape {
    pub name: String,
    pub model: ShapeModel,
    pub schema_type: ShapeType,
    /// The Rust type, for structures, unions and enums.
    pub type_name: Option<String>,
    /// The `static` holding its schema.
    pub static_name: String,
    pub members: Vec<Member>,
    /// Enum variants and their values.
    pub variants: Vec<(String, String)>,
    /// Not in the model: the empty input or output of an operation that has none.
    pub synthetic: bool,
    /// Holds a streaming body (directly or below), so it is neither `Clone` nor `PartialEq`.
    pub streaming: bool,
    /// The entry of [`unions::UNIONS`] that made this structure of botocore's a union.
    pub table_union: Option<&'static Union>,
    /// The operations this shape is the input of (for docs).
    pub input_of: Vec<String>,
    /// The operations this shape is the output of (for docs).
    pub output_of: Vec<String>,
}

/// A member of a structure or union (or a list element / map entry, unnamed in Rust).
#[derive(Debug)]
pub struct Member {
    pub name: String,
    /// The field name (structures) or variant name (unions).
    pub rust_name: String,
    pub target: String,
    pub reference: ShapeRef,
    pub required: bool,
    /// Part of a cycle of structures, so held in a `Box` (and always optional).
    pub boxed: bool,
}

impl Member {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.boxed
    }
}

/// An operation and the names it is emitted under.
#[derive(Debug)]
pub struct Operation {
    pub name: String,
    pub model: OperationModel,
    pub static_name: String,
    /// The method name on the client.
    pub fn_name: String,
    /// The client method that presigns the operation.
    pub presign_fn_name: String,
    /// The input shape (possibly synthetic).
    pub input: String,
    pub output: String,
    /// `<Op>Input` when the input shape is shared and keeps its own name.
    pub input_alias: Option<String>,
    pub output_alias: Option<String>,
    /// The operation's error enum.
    pub error_enum: String,
    /// Variant name and exception shape, in model order.
    pub errors: Vec<(String, String)>,
}

impl Service {
    /// Resolves names and analyses the shape graph of a loaded service, after marking the
    /// structures [`unions::UNIONS`] lists as unions.
    pub fn new(mut files: ServiceFiles) -> Result<Self> {
        unions::apply(unions::UNIONS, &files.name, &mut files.model)?;
        let model = &files.model;
        let crate_name = format!("{}-client", files.name);
        let lib_name = crate_name.replace('-', "_");

        // Check every reference first, so later steps can index freely.
        for (name, shape) in &model.shapes {
            shape.schema_type(name)?;
            for (member, r) in shape.member_refs(name)? {
                if !model.shapes.contains_key(&r.shape) {
                    bail!(
                        "shape `{name}` member `{member}` refers to undefined shape `{}`",
                        r.shape
                    );
                }
                if location(r.location.as_deref()).is_none() {
                    bail!(
                        "shape `{name}` member `{member}` has unknown location `{}`",
                        r.location.as_deref().unwrap_or("")
                    );
                }
                if let Some(format) = &r.timestamp_format
                    && timestamp_format(format).is_none()
                {
                    bail!(
                        "shape `{name}` member `{member}` has unknown timestampFormat `{format}`"
                    );
                }
            }
            if let Some(format) = &shape.timestamp_format
                && timestamp_format(format).is_none()
            {
                bail!("shape `{name}` has unknown timestampFormat `{format}`");
            }
        }
        for (name, op) in &model.operations {
            let refs = op.input.iter().chain(&op.output).chain(&op.errors);
            for r in refs {
                if !model.shapes.contains_key(&r.shape) {
                    bail!("operation `{name}` refers to undefined shape `{}`", r.shape);
                }
            }
        }

        // How each shape is used decides whether it can take an operation's name.
        let mut uses: HashMap<&str, usize> = HashMap::new();
        for shape in model.shapes.values() {
            for r in shape
                .members
                .values()
                .chain(&shape.member)
                .chain(&shape.key)
                .chain(&shape.value)
            {
                *uses.entry(r.shape.as_str()).or_default() += 1;
            }
        }
        for op in model.operations.values() {
            for r in op.input.iter().chain(&op.output).chain(&op.errors) {
                *uses.entry(r.shape.as_str()).or_default() += 1;
            }
        }

        let mut types = Namespace::new();
        for reserved in naming::RESERVED_TYPE_NAMES {
            types.reserve(reserved);
        }
        let mut statics = Namespace::new();
        statics.reserve("ALL");
        let mut op_statics = Namespace::new();
        op_statics.reserve("ALL");
        op_statics.reserve("SERVICE");
        let mut methods = Namespace::new();
        for reserved in ["new", "config", "handle"] {
            methods.reserve(reserved);
        }

        let mut renamed: HashMap<String, String> = HashMap::new();
        // (type name, operation, is input) of the empty shapes operations without input or output get.
        let mut synthetic: Vec<(String, String, bool)> = Vec::new();
        let mut operations = Vec::new();
        for (name, op) in &model.operations {
            let camel = naming::upper_camel(name);
            let mut io = |r: &Option<ShapeRef>, suffix: &str| -> (String, Option<String>) {
                let type_name = types.claim(&format!("{camel}{suffix}"), "Shape");
                match r {
                    None => {
                        synthetic.push((type_name.clone(), name.clone(), suffix == "Input"));
                        (type_name, None)
                    }
                    Some(r)
                        if uses.get(r.shape.as_str()) == Some(&1)
                            && !renamed.contains_key(&r.shape) =>
                    {
                        renamed.insert(r.shape.clone(), type_name);
                        (r.shape.clone(), None)
                    }
                    Some(r) => (r.shape.clone(), Some(type_name)),
                }
            };
            let (input, input_alias) = io(&op.input, "Input");
            let (output, output_alias) = io(&op.output, "Output");
            let error_enum = types.claim(&format!("{camel}Error"), "Operation");
            operations.push(Operation {
                name: name.clone(),
                model: op.clone(),
                static_name: op_statics.claim(&naming::screaming_snake(name), "_OPERATION"),
                fn_name: methods.claim(&naming::snake_ident(name), "_operation"),
                presign_fn_name: String::new(),
                input,
                output,
                input_alias,
                output_alias,
                error_enum,
                errors: Vec::new(),
            });
        }

        // Presign methods come after every operation's own method, so an operation named
        // `PresignX` keeps its name.
        for op in &mut operations {
            op.presign_fn_name = methods.claim(
                &format!("presign_{}", op.fn_name.trim_start_matches("r#")),
                "_url",
            );
        }

        let mut shapes = IndexMap::new();
        for (name, shape) in &model.shapes {
            let schema_type = shape.schema_type(name)?;
            let type_name = match schema_type {
                ShapeType::Structure | ShapeType::Union | ShapeType::Enum => Some(
                    renamed
                        .get(name)
                        .cloned()
                        .unwrap_or_else(|| types.claim(&naming::upper_camel(name), "Shape")),
                ),
                _ => None,
            };
            let variants = if schema_type == ShapeType::Enum {
                let mut ns = Namespace::new();
                ns.reserve("Unknown");
                shape
                    .enum_values
                    .iter()
                    .map(|v| (ns.claim(&naming::enum_variant(v), "Value"), v.clone()))
                    .collect()
            } else {
                Vec::new()
            };
            let members = resolve_members(name, shape, schema_type)?;
            let static_name = statics.claim(
                &naming::screaming_snake(type_name.as_deref().unwrap_or(name)),
                "_SHAPE",
            );
            shapes.insert(
                name.clone(),
                Shape {
                    name: name.clone(),
                    model: shape.clone(),
                    schema_type,
                    type_name,
                    static_name,
                    members,
                    variants,
                    synthetic: false,
                    streaming: false,
                    table_union: unions::find(unions::UNIONS, &files.name, name),
                    input_of: Vec::new(),
                    output_of: Vec::new(),
                },
            );
        }
        for (type_name, op, is_input) in synthetic {
            // The synthetic shape is named after its type, which is unique in the crate.
            let mut shape_name = type_name.clone();
            while shapes.contains_key(&shape_name) {
                shape_name.push('_');
            }
            shapes.insert(
                shape_name.clone(),
                Shape {
                    name: shape_name.clone(),
                    model: ShapeModel {
                        shape_type: "structure".into(),
                        documentation: Some(format!(
                            "<p>The {} of the <code>{op}</code> operation, which has none.</p>",
                            if is_input { "input" } else { "output" }
                        )),
                        ..Default::default()
                    },
                    schema_type: ShapeType::Structure,
                    type_name: Some(type_name.clone()),
                    static_name: statics.claim(&naming::screaming_snake(&type_name), "_SHAPE"),
                    members: Vec::new(),
                    variants: Vec::new(),
                    synthetic: true,
                    streaming: false,
                    table_union: None,
                    input_of: Vec::new(),
                    output_of: Vec::new(),
                },
            );
            for o in operations.iter_mut().filter(|o| o.name == op) {
                if is_input {
                    o.input = shape_name.clone();
                } else {
                    o.output = shape_name.clone();
                }
            }
        }

        for op in &mut operations {
            let mut variants = Namespace::new();
            variants.reserve("Unhandled");
            for r in &op.model.errors {
                let shape = &shapes[&r.shape];
                let type_name = shape.type_name.as_deref().with_context(|| {
                    format!(
                        "operation `{}`: error `{}` is not a structure",
                        op.name, r.shape
                    )
                })?;
                if op.errors.iter().any(|(_, s)| *s == r.shape) {
                    continue; // listed twice in the model
                }
                op.errors
                    .push((variants.claim(type_name, "Value"), r.shape.clone()));
            }
            shapes[&op.input].input_of.push(op.name.clone());
            shapes[&op.output].output_of.push(op.name.clone());
        }

        mark_recursion(&mut shapes);
        mark_streaming(&mut shapes);

        // Paginators and waiters are named last, so they never take a name an operation or a
        // shape had before they existed.
        let find_op = |name: &str, what: &str| -> Result<usize> {
            operations
                .iter()
                .position(|o| o.name == name)
                .with_context(|| {
                    format!(
                        "{}: {what} names operation `{name}`, which the model does not have",
                        files.name
                    )
                })
        };
        let mut paginators = Vec::new();
        let mut paginator_statics = Namespace::new();
        for (name, model) in &files.paginators {
            let operation = find_op(name, "paginators-1.json: a paginator")?;
            let op = &operations[operation];
            paginators.push(Paginator {
                operation,
                model: model.clone(),
                type_name: types.claim(&format!("{}Paginator", naming::upper_camel(name)), "Pages"),
                fn_name: methods.claim(
                    &format!("{}_paginator", op.fn_name.trim_start_matches("r#")),
                    "_pages",
                ),
                static_name: paginator_statics.claim(&naming::screaming_snake(name), "_PAGINATOR"),
            });
        }
        let mut waiters = Vec::new();
        let mut waiter_statics = Namespace::new();
        for (name, model) in &files.waiters {
            let operation = find_op(
                &model.operation,
                &format!("waiters-2.json: waiter `{name}`"),
            )?;
            waiters.push(Waiter {
                name: name.clone(),
                operation,
                model: model.clone(),
                fn_name: methods.claim(
                    &format!(
                        "wait_until_{}",
                        naming::snake_ident(name).trim_start_matches("r#")
                    ),
                    "_waiter",
                ),
                static_name: waiter_statics.claim(&naming::screaming_snake(name), "_WAITER"),
            });
        }
        Ok(Service {
            files,
            crate_name,
            lib_name,
            shapes,
            operations,
            paginators,
            waiters,
        })
    }

    /// The shape named `name` (every reference was checked when the IR was built).
    pub fn shape(&self, name: &str) -> &Shape {
        &self.shapes[name]
    }
}

fn resolve_members(name: &str, shape: &ShapeModel, schema_type: ShapeType) -> Result<Vec<Member>> {
    let required: HashSet<&str> = shape.required.iter().map(String::as_str).collect();
    let mut fields = Namespace::new();
    let mut variants = Namespace::new();
    variants.reserve("Unknown");
    Ok(shape
        .member_refs(name)?
        .into_iter()
        .map(|(member, r)| {
            let rust_name = match schema_type {
                ShapeType::Union => variants.claim(&naming::upper_camel(member), "Value"),
                _ => fields.claim(&naming::snake_ident(member), "_value"),
            };
            Member {
                name: member.to_string(),
                rust_name,
                target: r.shape.clone(),
                reference: r.clone(),
                required: schema_type == ShapeType::Structure && required.contains(member),
                boxed: false,
            }
        })
        .collect())
}

/// Boxes every member that closes a cycle of structures and unions held by value: a member
/// whose target is in the same strongly connected component as its container.
fn mark_recursion(shapes: &mut IndexMap<String, Shape>) {
    let index: HashMap<&str, usize> = shapes
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = shapes
        .values()
        .map(|s| {
            if !s.schema_type.is_aggregate() {
                return Vec::new();
            }
            s.members
                .iter()
                .filter(|m| shapes[&m.target].schema_type.is_aggregate())
                .map(|m| index[m.target.as_str()])
                .collect()
        })
        .collect();
    let component = strongly_connected_components(&edges);
    let boxed: Vec<Vec<bool>> = shapes
        .values()
        .enumerate()
        .map(|(i, s)| {
            s.members
                .iter()
                .map(|m| {
                    let t = index[m.target.as_str()];
                    s.schema_type.is_aggregate()
                        && shapes[t].schema_type.is_aggregate()
                        && component[t] == component[i]
                })
                .collect()
        })
        .collect();
    for (shape, flags) in shapes.values_mut().zip(boxed) {
        for (member, b) in shape.members.iter_mut().zip(flags) {
            member.boxed = b;
        }
    }
}

/// Tarjan's algorithm, iterative. Returns the component id of every node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low, mut comp) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let (mut on_stack, mut stack) = (vec![false; n], Vec::new());
    let (mut next_index, mut next_comp) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == UNSEEN {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*edge) {
                *edge += 1;
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

/// Marks shapes that hold a streaming blob, directly or through members, lists and maps.
fn mark_streaming(shapes: &mut IndexMap<String, Shape>) {
    let mut streaming: HashSet<String> = shapes
        .values()
        .filter(|s| s.schema_type == ShapeType::Blob && s.model.streaming)
        .map(|s| s.name.clone())
        .collect();
    // A member marked `streaming` holds a stream whatever its blob shape says.
    let blobs: HashSet<String> = shapes
        .values()
        .filter(|s| s.schema_type == ShapeType::Blob)
        .map(|s| s.name.clone())
        .collect();
    streaming.extend(
        shapes
            .values()
            .filter(|s| {
                s.members
                    .iter()
                    .any(|m| m.reference.streaming && blobs.contains(&m.target))
            })
            .map(|s| s.name.clone()),
    );
    loop {
        let more: Vec<String> = shapes
            .values()
            .filter(|s| {
                !streaming.contains(&s.name)
                    && s.members.iter().any(|m| streaming.contains(&m.target))
            })
            .map(|s| s.name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        streaming.extend(more);
    }
    for shape in shapes.values_mut() {
        shape.streaming = streaming.contains(&shape.name) && shape.type_name.is_some();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_group_cycles() {
        // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 -> 0
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let c = strongly_connected_components(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[4], c[3]);
    }
}
