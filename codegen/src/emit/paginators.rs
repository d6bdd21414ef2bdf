//! Paginators: `paginators.rs` (a static description and a typed builder per paginator) and
//! the client's `<operation>_paginator` methods.
//!
//! Every expression is parsed here with the runtime's JMESPath parser, and every member a
//! paginator names is looked up in the operation's shapes: a paginator the runtime could not
//! follow fails codegen, naming the file.

use super::writer::{Writer, lit, lit_list};
use super::{HEADER, Imports, io_type, rust_type};
use crate::ir::{Paginator, Service};
use crate::naming::{self, Namespace};
use anyhow::{Result, bail};
use stratus_runtime::jmespath::Expression;
use stratus_runtime::schema::ShapeType;

/// How one result key reaches the typed output, checked against the model.
struct ResultKey {
    /// The key as the model writes it (`DistributionList.Items`).
    key: String,
    /// The items method, for keys that hold lists or maps.
    method: Option<String>,
    /// The item type (`AutoScalingGroup`, `(String, Vec<String>)`).
    item: String,
    /// A closure taking the key's items out of a page.
    take: String,
}

/// What is emitted for one paginator.
struct Plan<'a> {
    paginator: &'a Paginator,
    input: String,
    output: String,
    error: String,
    keys: Vec<ResultKey>,
}

/// `paginators.rs`, or `None` for a service without paginators.
pub(super) fn paginators_rs(svc: &Service) -> Result<Option<String>> {
    if svc.paginators.is_empty() {
        return Ok(None);
    }
    let mut imports = Imports::default();
    let plans = svc
        .paginators
        .iter()
        .map(|p| plan(svc, p, &mut imports))
        .collect::<Result<Vec<_>>>()?;
    let mut w = Writer::new(HEADER);
    w.inner_doc(
        "Paginators: the pages of a listing as a stream, or the items of each page, from\n\
         the client's `<operation>_paginator` methods.",
    );
    w.blank();
    w.line("// Deprecated operations keep their paginators, marked on the client's methods.");
    w.line("#![allow(deprecated)]");
    w.blank();
    w.line("use crate::*;");
    if imports.hash_map {
        w.line("use std::collections::HashMap;");
    }
    let mut runtime: Vec<&str> = imports.runtime.iter().copied().collect();
    runtime.sort_unstable();
    if !runtime.is_empty() {
        w.line(&format!("use stratus_runtime::{{{}}};", runtime.join(", ")));
    }
    w.line("use stratus_runtime::ClientHandle;");
    w.line("use stratus_runtime::paginate::{Items, Pages, Paginator, PaginatorSpec};");
    for plan in &plans {
        w.blank();
        spec_static(&mut w, plan.paginator);
        w.blank();
        builder(&mut w, svc, plan);
    }
    Ok(Some(w.finish()))
}

/// Checks a paginator against its operation and works out its result keys.
fn plan<'a>(svc: &Service, p: &'a Paginator, imports: &mut Imports) -> Result<Plan<'a>> {
    let op = &svc.operations[p.operation];
    let file = format!("{}: paginators-1.json: {}", svc.files.name, op.name);
    let model = &p.model;
    let input_shape = svc.shape(&op.input);
    let inputs = model.input_token.as_slice();
    let outputs = model.output_token.as_slice();
    if inputs.len() != outputs.len() {
        bail!(
            "{file}: {} input tokens but {} output tokens",
            inputs.len(),
            outputs.len()
        );
    }
    for name in inputs.iter().chain(&model.limit_key) {
        if !input_shape.members.iter().any(|m| &m.name == name) {
            bail!("{file}: the input has no member `{name}`");
        }
    }
    let expressions = outputs
        .iter()
        .chain(&model.more_results)
        .chain(&model.non_aggregate_keys)
        .chain(model.result_key.iter().flat_map(|k| k.as_slice()));
    for text in expressions {
        if let Err(e) = Expression::parse(text) {
            bail!("{file}: {e}");
        }
    }
    let mut methods = Namespace::new();
    for reserved in [
        "new",
        "page_size",
        "max_items",
        "starting_token",
        "pages",
        "items",
    ] {
        methods.reserve(reserved);
    }
    let mut keys = Vec::new();
    for (i, key) in model
        .result_key
        .iter()
        .flat_map(|k| k.as_slice())
        .enumerate()
    {
        keys.push(
            result_key(svc, &op.output, key, i == 0, &mut methods, imports)
                .map_err(|e| anyhow::anyhow!("{file}: result key `{key}`: {e}"))?,
        );
    }
    Ok(Plan {
        paginator: p,
        input: io_type(svc, &op.input_alias, &op.input),
        output: io_type(svc, &op.output_alias, &op.output),
        error: op.error_enum.clone(),
        keys,
    })
}

/// Resolves a result key (a member or a dotted path of members) to its field and type.
fn result_key(
    svc: &Service,
    output: &str,
    key: &str,
    primary: bool,
    methods: &mut Namespace,
    imports: &mut Imports,
) -> Result<ResultKey> {
    let mut shape = svc.shape(output);
    // The closure body, built step by step: `page` is `&mut Output`.
    let mut expr = String::new();
    // Whether `expr` is the value itself rather than an `Option` of it.
    let mut direct = false;
    let steps: Vec<&str> = key.split('.').collect();
    for (i, step) in steps.iter().enumerate() {
        if shape.schema_type != ShapeType::Structure {
            bail!("`{step}` is not a member of a structure");
        }
        let Some(member) = shape.members.iter().find(|m| m.name == *step) else {
            bail!("`{}` has no member `{step}`", shape.name);
        };
        let field = &member.rust_name;
        let last = i + 1 == steps.len();
        let unbox = if member.boxed { ".map(|b| *b)" } else { "" };
        if (i, last, member.optional()) == (0, true, false) {
            // A required list or map straight in the output: no `Option` to unwrap.
            expr = format!("std::mem::take(&mut page.{field})");
            shape = svc.shape(&member.target);
            direct = true;
            continue;
        }
        expr = match (i, last, member.optional()) {
            (0, true, true) => format!("page.{field}.take(){unbox}"),
            (0, false, true) => format!("page.{field}.as_mut()"),
            (0, false, false) => format!("Some(&mut page.{field})"),
            (_, true, true) => format!("{expr}.and_then(|v| v.{field}.take(){unbox})"),
            (_, true, false) => format!("{expr}.map(|v| std::mem::take(&mut v.{field}))"),
            (_, false, true) => format!("{expr}.and_then(|v| v.{field}.as_mut())"),
            (_, false, false) => format!("{expr}.map(|v| &mut v.{field})"),
        };
        shape = svc.shape(&member.target);
    }
    let last = steps.last().copied().unwrap_or(key);
    let name = naming::snake_ident(last);
    let method = |methods: &mut Namespace| {
        Some(if primary {
            "items".to_owned()
        } else {
            methods.claim(name.trim_start_matches("r#"), "_items")
        })
    };
    let (method, item, take) = match shape.schema_type {
        ShapeType::List => {
            let element = rust_type(svc, &shape.members[0].target, imports);
            let item = if shape.model.sparse {
                format!("Option<{element}>")
            } else {
                element
            };
            (
                method(methods),
                item,
                if direct {
                    format!("|page| {expr}")
                } else {
                    format!("|page| {expr}.unwrap_or_default()")
                },
            )
        }
        ShapeType::Map => {
            // Items are the map's (key, value) pairs: `HashMap` is named only if a value
            // holds another map.
            let uses_map = imports.hash_map;
            let map = rust_type(svc, &shape.name, imports);
            let inner = map
                .strip_prefix("HashMap<")
                .and_then(|m| m.strip_suffix('>'))
                .unwrap_or(&map)
                .to_owned();
            imports.hash_map = uses_map || inner.contains("HashMap<");
            (
                method(methods),
                format!("({inner})"),
                if direct {
                    format!("|page| {expr}.into_iter().collect()")
                } else {
                    format!("|page| {expr}.unwrap_or_default().into_iter().collect()")
                },
            )
        }
        _ => (None, String::new(), String::new()),
    };
    Ok(ResultKey {
        key: key.to_owned(),
        method,
        item,
        take,
    })
}

fn spec_static(w: &mut Writer, p: &Paginator) {
    let m = &p.model;
    let keys: Vec<String> = m
        .result_key
        .iter()
        .flat_map(|k| k.as_slice())
        .cloned()
        .collect();
    let mut lines = vec![format!(
        "pub(crate) static {}: PaginatorSpec = PaginatorSpec::new(&[{}], &[{}], &[{}])",
        p.static_name,
        lit_list(m.input_token.as_slice()),
        lit_list(m.output_token.as_slice()),
        lit_list(&keys)
    )];
    if let Some(more) = &m.more_results {
        lines.push(format!("    .more_results({})", lit(more)));
    }
    if let Some(limit) = &m.limit_key {
        lines.push(format!("    .limit_key({})", lit(limit)));
    }
    if !m.non_aggregate_keys.is_empty() {
        lines.push(format!(
            "    .non_aggregate_keys(&[{}])",
            lit_list(&m.non_aggregate_keys)
        ));
    }
    if let Some(last) = lines.last_mut() {
        last.push(';');
    }
    for line in &lines {
        w.line(line);
    }
}

fn builder(w: &mut Writer, svc: &Service, plan: &Plan<'_>) {
    let p = plan.paginator;
    let op = &svc.operations[p.operation];
    let m = &p.model;
    let op_fn = op.fn_name.trim_start_matches("r#");
    let (input, output, error) = (&plan.input, &plan.output, &plan.error);
    let pages_type = format!("Pages<{input}, {output}, {error}>");
    let tokens = m
        .input_token
        .as_slice()
        .iter()
        .zip(m.output_token.as_slice())
        .map(|(i, o)| format!("`{o}` → `{i}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut doc = format!(
        "Every page of [`Client::{op_fn}`], from [`Client::{}`]: each request carries the \
         previous page's token ({tokens}).",
        p.fn_name
    );
    if let Some(more) = &m.more_results {
        doc.push_str(&format!(" Pages go on while `{more}` is true."));
    }
    let listed: Vec<String> = plan
        .keys
        .iter()
        .map(|k| match &k.method {
            Some(method) => format!("`{}` ([`{}::{method}`])", k.key, p.type_name),
            None => format!("`{}`", k.key),
        })
        .collect();
    doc.push_str(&format!(
        "\n\nEach page lists {}; `max_items` counts `{}`.",
        listed.join(", "),
        plan.keys
            .first()
            .map(|k| k.key.as_str())
            .unwrap_or("nothing")
    ));
    if !m.non_aggregate_keys.is_empty() {
        let keys: Vec<String> = m
            .non_aggregate_keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect();
        let verb = if keys.len() == 1 { "is" } else { "are" };
        doc.push_str(&format!(
            " {} {verb} not gathered across pages: each page has its own.",
            keys.join(", ")
        ));
    }
    w.doc(&doc);
    w.line("#[derive(Debug)]");
    w.line(&format!(
        "pub struct {}(Paginator<{input}, {output}, {error}>);",
        p.type_name
    ));
    w.blank();
    w.open(&format!("impl {} {{", p.type_name));
    w.open(&format!(
        "pub(crate) fn new(handle: &ClientHandle, input: {input}) -> Self {{"
    ));
    w.line(&format!(
        "Self(Paginator::new(handle, &crate::operations::{}, &{}, input))",
        op.static_name, p.static_name
    ));
    w.close("}");
    if let Some(limit) = &m.limit_key {
        w.blank();
        w.doc(&format!(
            "How many items each request asks for (the `{limit}` member); the service may return fewer."
        ));
        w.open("pub fn page_size(self, size: u32) -> Self {");
        w.line("Self(self.0.page_size(size))");
        w.close("}");
    }
    w.blank();
    w.doc(&format!(
        "The most `{}` items to hand out. A listing cut short ends with a resume token\n\
         ([`Pages::resume_token`]) that [`{}::starting_token`] (or botocore's `StartingToken`)\n\
         goes on from.",
        plan.keys
            .first()
            .map(|k| k.key.as_str())
            .unwrap_or("result"),
        p.type_name
    ));
    w.open("pub fn max_items(self, count: usize) -> Self {");
    w.line("Self(self.0.max_items(count))");
    w.close("}");
    w.blank();
    w.doc(
        "Starts where an earlier listing stopped: a resume token from this SDK, botocore or the\n\
         AWS CLI (`NextToken` of its output), or the service's own token.",
    );
    w.open("pub fn starting_token(self, token: impl Into<String>) -> Self {");
    w.line("Self(self.0.starting_token(token))");
    w.close("}");
    w.blank();
    w.doc("Every page, one request each.");
    w.open(&format!("pub fn pages(self) -> {pages_type} {{"));
    w.line("self.0.pages()");
    w.close("}");
    for key in &plan.keys {
        let Some(method) = &key.method else { continue };
        w.blank();
        w.doc(&format!("Every item of `{}`, page after page.", key.key));
        w.open(&format!(
            "pub fn {method}(self) -> Items<{input}, {output}, {error}, {}> {{",
            key.item
        ));
        w.line(&format!("self.0.items({})", key.take));
        w.close("}");
    }
    w.close("}");
}

/// The client's `<operation>_paginator` methods.
pub(super) fn client_methods(w: &mut Writer, svc: &Service) {
    for p in &svc.paginators {
        let op = &svc.operations[p.operation];
        let input = io_type(svc, &op.input_alias, &op.input);
        w.blank();
        w.doc(&format!(
            "A paginator over [`Client::{}`]: its pages or items as a stream, with page size,\n\
             `max_items` and resume tokens. See [`{}`].",
            op.fn_name.trim_start_matches("r#"),
            p.type_name
        ));
        super::deprecated(
            w,
            op.model.deprecated,
            op.model.deprecated_message.as_deref(),
        );
        w.open(&format!(
            "pub fn {}(&self, input: {input}) -> {} {{",
            p.fn_name, p.type_name
        ));
        w.line(&format!("{}::new(&self.handle, input)", p.type_name));
        w.close("}");
    }
}
