//! Examples: botocore's `examples-1.json` as compiled Rust in the generated docs, and a
//! quick start on each crate's front page.
//!
//! Each example of an operation becomes an `# Examples` entry on its client method: the
//! example's title and description as prose, then a `no_run` doctest that builds the
//! example's input as typed literals (`literal.rs`) and calls the method, with the output
//! the example documents shown as JSON in a comment. The code is built as `quote` token
//! streams and laid out by `prettyplease`: nested literals are irregular, and their layout
//! is what makes them readable. (The rest of codegen writes text directly; see
//! ARCHITECTURE.md.)
//!
//! botocore's examples are documentation, not checked against the model. An example is
//! still generated when required members are missing (the input's other fields keep their
//! `Default`) or when a value needs a lossless conversion; it is left out, with the
//! [`LeftOut`] reason counted, when it names a member the shape does not have or holds a
//! value its shape cannot take.

mod literal;

use crate::docs::html_to_markdown;
use crate::ir::{Operation, Service};
use anyhow::{Context, Result};
use literal::{LiteralBuilder, Problem, RuntimeItem, ident};
use proc_macro2::TokenStream;
use quote::quote;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use stratus_runtime::schema::ShapeType;

/// Why an example was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LeftOut {
    /// The example is for an operation the model does not have.
    UnknownOperation,
    /// The input names a member its structure or union does not have.
    UnknownMember,
    /// A value of a JSON type its shape cannot take (text for a structure, a number for a
    /// list, …).
    WrongType,
    /// Text for a string enum that is none of its values.
    NotInEnum,
    /// A union value with no member set, or several.
    NotOneUnionMember,
    /// A number beyond the range of its member's type.
    OutOfRange,
    /// Text for a timestamp that reads as no instant.
    BadTimestamp,
    /// Text that cannot stand in a doc comment (bidirectional-override characters, a code
    /// fence).
    Unprintable,
}

impl LeftOut {
    /// Every reason, in the order the summary lists them.
    pub const ALL: [LeftOut; 8] = [
        LeftOut::UnknownOperation,
        LeftOut::UnknownMember,
        LeftOut::WrongType,
        LeftOut::NotInEnum,
        LeftOut::NotOneUnionMember,
        LeftOut::OutOfRange,
        LeftOut::BadTimestamp,
        LeftOut::Unprintable,
    ];
}

impl fmt::Display for LeftOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LeftOut::UnknownOperation => "unknown operation",
            LeftOut::UnknownMember => "unknown member",
            LeftOut::WrongType => "wrong type",
            LeftOut::NotInEnum => "not in enum",
            LeftOut::NotOneUnionMember => "union without exactly one member",
            LeftOut::OutOfRange => "number out of range",
            LeftOut::BadTimestamp => "bad timestamp",
            LeftOut::Unprintable => "unprintable text",
        })
    }
}

/// How many examples were generated and left out (by reason), for codegen's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExampleCounts {
    /// Examples in the docs.
    pub generated: usize,
    /// Generated examples in which at least one value was converted to fit its shape.
    pub converted: usize,
    /// Examples left out, by reason.
    pub left_out: BTreeMap<LeftOut, usize>,
}

impl ExampleCounts {
    /// Adds another service's counts.
    pub fn add(&mut self, other: &ExampleCounts) {
        self.generated += other.generated;
        self.converted += other.converted;
        for (reason, n) in &other.left_out {
            *self.left_out.entry(*reason).or_default() += n;
        }
    }

    /// Examples left out, for every reason.
    pub fn total_left_out(&self) -> usize {
        self.left_out.values().sum()
    }
}

impl fmt::Display for ExampleCounts {
    /// `examples: 1200 generated (30 with converted values), 96 left out (unknown member 60,
    /// wrong type 36)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "examples: {} generated ({} with converted values), {} left out",
            self.generated,
            self.converted,
            self.total_left_out()
        )?;
        let reasons: Vec<String> = LeftOut::ALL
            .iter()
            .filter_map(|r| self.left_out.get(r).map(|n| format!("{r} {n}")))
            .collect();
        if !reasons.is_empty() {
            write!(f, " ({})", reasons.join(", "))?;
        }
        Ok(())
    }
}

/// One example of `examples-1.json` (its `comments` are not shown).
#[derive(Debug, Clone, Deserialize)]
struct ModelExample {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    input: Option<serde_json::Value>,
    #[serde(default)]
    output: Option<serde_json::Value>,
}

/// `examples-1.json`: each operation's examples, by operation name.
#[derive(Debug, Deserialize)]
struct ExamplesFile {
    #[serde(default)]
    examples: indexmap::IndexMap<String, Vec<ModelExample>>,
}

/// An example that was left out: its operation and id, why, and where in its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOutExample {
    /// The operation the example is for, as the model names it.
    pub operation: String,
    /// The example's `id` in `examples-1.json` (empty if it has none).
    pub id: String,
    pub reason: LeftOut,
    /// Where in the input the value that does not fit is, `Filters[0].Values`.
    pub at: String,
}

/// The rendered examples of one service.
#[derive(Debug, Default)]
pub struct Examples {
    /// Markdown for each operation's method docs (by operation name), `# Examples` heading
    /// included.
    sections: HashMap<String, String>,
    /// Markdown for the crate's front page.
    quick_start: String,
    /// How many examples were generated and left out.
    pub counts: ExampleCounts,
    /// The examples left out, in file order.
    pub left_out: Vec<LeftOutExample>,
}

/// Longest documented output shown, in lines of pretty JSON.
const MAX_OUTPUT_LINES: usize = 40;

impl Examples {
    /// Renders the examples of a service's `examples-1.json` and its quick start.
    pub fn new(svc: &Service) -> Result<Self> {
        let mut examples = Examples::default();
        let shadowed = shadowed_items(svc);
        let file: ExamplesFile = match &svc.files.examples {
            Some(json) => ExamplesFile::deserialize(json).with_context(|| {
                format!(
                    "{}/{}/examples-1.json: not a valid examples file",
                    svc.files.name, svc.files.api_version
                )
            })?,
            None => ExamplesFile {
                examples: Default::default(),
            },
        };
        for (op_name, list) in &file.examples {
            let op = svc.operations.iter().find(|o| o.name == *op_name);
            let mut section = String::new();
            for example in list {
                let rendered = match op {
                    Some(op) => render_example(svc, op, example, &shadowed)?,
                    None => Err(Problem {
                        reason: LeftOut::UnknownOperation,
                        at: String::new(),
                    }),
                };
                match rendered {
                    Ok((markdown, converted)) => {
                        examples.counts.generated += 1;
                        examples.counts.converted += usize::from(converted);
                        section.push_str(&markdown);
                    }
                    Err(problem) => {
                        *examples.counts.left_out.entry(problem.reason).or_default() += 1;
                        examples.left_out.push(LeftOutExample {
                            operation: op_name.clone(),
                            id: example.id.clone().unwrap_or_default(),
                            reason: problem.reason,
                            at: problem.at,
                        });
                    }
                }
            }
            if !section.is_empty() {
                examples
                    .sections
                    .insert(op_name.clone(), format!("\n\n# Examples{section}"));
            }
        }
        examples.quick_start = quick_start(svc, &shadowed)?;
        Ok(examples)
    }

    /// The `# Examples` section of an operation's method docs, starting with a blank line
    /// (empty when it has none).
    pub fn section(&self, operation: &str) -> &str {
        self.sections.get(operation).map_or("", String::as_str)
    }

    /// The `# Quick start` section of the crate docs, starting with a blank line (empty
    /// when the service has no operation that suits one).
    pub fn quick_start(&self) -> &str {
        &self.quick_start
    }
}

/// The runtime and `std` items examples name that a type of this crate shadows.
fn shadowed_items(svc: &Service) -> HashSet<&'static str> {
    let names: HashSet<&str> = svc
        .shapes
        .values()
        .filter_map(|s| s.type_name.as_deref())
        .chain(svc.operations.iter().flat_map(|op| {
            [op.input_alias.as_deref(), op.output_alias.as_deref()]
                .into_iter()
                .flatten()
                .chain([op.error_enum.as_str()])
        }))
        .collect();
    RuntimeItem::ALL
        .iter()
        .map(|item| item.name())
        .filter(|name| names.contains(name))
        .collect()
}

/// The Rust name of an operation's input type.
fn input_type(svc: &Service, op: &Operation) -> Option<String> {
    op.input_alias
        .clone()
        .or_else(|| svc.shape(&op.input).type_name.clone())
}

/// One example as Markdown (title, description, doctest) and whether a value was converted;
/// `Err(Problem)` when it is left out. `Err` of the outer result is a codegen bug.
fn render_example(
    svc: &Service,
    op: &Operation,
    example: &ModelExample,
    shadowed: &HashSet<&'static str>,
) -> Result<std::result::Result<(String, bool), Problem>> {
    let code = match example_code(svc, op, example, shadowed)? {
        Ok(code) => code,
        Err(problem) => return Ok(Err(problem)),
    };
    let mut markdown = String::new();
    let title = example
        .title
        .as_deref()
        .map(prose)
        .filter(|t| !t.is_empty());
    let description = example
        .description
        .as_deref()
        .map(prose)
        .filter(|d| !d.is_empty());
    if let Some(title) = &title {
        markdown.push_str(&format!("\n\n**{}**", title.replace('\n', " ")));
    }
    if let Some(description) = description.filter(|d| Some(d) != title.as_ref()) {
        markdown.push_str("\n\n");
        markdown.push_str(&description);
    }
    markdown.push_str("\n\n");
    markdown.push_str(&code.text);
    if !printable(&markdown) || code.text.matches("```").count() != 2 {
        return Ok(Err(Problem {
            reason: LeftOut::Unprintable,
            at: String::new(),
        }));
    }
    Ok(Ok((markdown, code.converted)))
}

/// Text of the model (HTML or plain) as Markdown prose.
fn prose(text: &str) -> String {
    html_to_markdown(text)
}

/// Whether text can stand in doc comments: rustc rejects bidirectional-override
/// characters in comments. (The code is also checked for a fence, which would end its
/// block early.)
fn printable(text: &str) -> bool {
    !text.chars().any(|c| {
        matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            || (c.is_control() && c != '\n')
    })
}

/// A doctest, fenced.
struct Code {
    /// The fenced block, hidden lines included.
    text: String,
    /// Whether a value was converted to fit its shape.
    converted: bool,
}

/// The doctest of one example.
fn example_code(
    svc: &Service,
    op: &Operation,
    example: &ModelExample,
    shadowed: &HashSet<&'static str>,
) -> Result<std::result::Result<Code, Problem>> {
    let Some(input_type) = input_type(svc, op) else {
        return Ok(Err(Problem {
            reason: LeftOut::WrongType,
            at: String::new(),
        }));
    };
    let mut builder = LiteralBuilder::new(svc, shadowed);
    let input = match builder.input(svc.shape(&op.input), &input_type, example.input.as_ref()) {
        Ok(input) => input,
        Err(problem) => return Ok(Err(problem)),
    };
    let method = ident(&op.fn_name);
    let output = example
        .output
        .as_ref()
        .filter(|o| o.as_object().is_none_or(|o| !o.is_empty()) && !o.is_null());
    let call = if output.is_some() {
        quote!(let output = client.#method(#input).await?;)
    } else {
        quote!(client.#method(#input).await?;)
    };
    let uses = uses(svc, &builder);
    let laid_out = lay_out(&uses, &call).with_context(|| {
        format!(
            "{}: example `{}` of `{}`",
            svc.files.name,
            example.id.as_deref().unwrap_or(""),
            op.name
        )
    })?;

    let mut text = String::from("```no_run\n");
    text.push_str(PREAMBLE);
    text.push_str(&format!(
        "# let client = {}::Client::new(&stratus_runtime::Config::from_env().await?);\n",
        svc.lib_name
    ));
    for line in &laid_out.items {
        text.push_str(line);
        text.push('\n');
    }
    text.push('\n');
    for line in &laid_out.body {
        text.push_str(line);
        text.push('\n');
    }
    if let Some(output) = output {
        text.push_str("// The output the example documents:\n");
        // Writing a `Value` cannot fail: its map keys are strings.
        let json = serde_json::to_string_pretty(output).unwrap_or_default();
        let lines: Vec<&str> = json.lines().collect();
        for line in lines.iter().take(MAX_OUTPUT_LINES) {
            text.push_str("// ");
            text.push_str(line);
            text.push('\n');
        }
        if lines.len() > MAX_OUTPUT_LINES {
            text.push_str(&format!(
                "// … ({} more lines)\n",
                lines.len() - MAX_OUTPUT_LINES
            ));
        }
    }
    text.push_str("# Ok(())\n# }\n```");
    Ok(Ok(Code {
        text,
        converted: builder.conversions > 0,
    }))
}

/// The hidden first line of every doctest: an `async` function that is compiled, not run.
const PREAMBLE: &str = "# async fn example() -> Result<(), Box<dyn std::error::Error>> {\n";

/// The `use` declarations of what an example's code names.
fn uses(svc: &Service, builder: &LiteralBuilder<'_>) -> TokenStream {
    let krate = ident(&svc.lib_name);
    let types: Vec<_> = builder.types.iter().map(|t| ident(t)).collect();
    let mut out = match types.as_slice() {
        [] => quote!(),
        [one] => quote!(use #krate::#one;),
        many => quote!(use #krate::{#(#many),*};),
    };
    let mut by_module: BTreeMap<String, (TokenStream, Vec<&str>)> = BTreeMap::new();
    for item in &builder.imports {
        let module = item.module();
        by_module
            .entry(module.to_string())
            .or_insert_with(|| (module, Vec::new()))
            .1
            .push(item.name());
    }
    for (module, mut names) in by_module.into_values() {
        names.sort_unstable();
        let names: Vec<_> = names.into_iter().map(ident).collect();
        out.extend(match names.as_slice() {
            [one] => quote!(use #module::#one;),
            many => quote!(use #module::{#(#many),*};),
        });
    }
    out
}

/// Code laid out by prettyplease: the item lines (`use …;`) and the statement lines.
struct LaidOut {
    /// The `use` declarations, one or more lines each.
    items: Vec<String>,
    /// The statements, unindented.
    body: Vec<String>,
}

/// Lays out `items` and the statements `body` with prettyplease.
fn lay_out(items: &TokenStream, body: &TokenStream) -> Result<LaidOut> {
    let tokens = quote! {
        #items
        fn __example_body() {
            #body
        }
    };
    let file: syn::File = syn::parse2(tokens).context("generated example code does not parse")?;
    let text = restore_vec_macros(&prettyplease::unparse(&file));
    let mut lines = text.lines();
    let items: Vec<String> = lines
        .by_ref()
        .take_while(|l| !l.starts_with("fn __example_body"))
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let mut body: Vec<String> = lines
        .map(|l| l.strip_prefix("    ").unwrap_or(l).to_string())
        .collect();
    // The closing brace of the wrapper.
    body.pop();
    Ok(LaidOut {
        items,
        body: overflow_last_arguments(body),
    })
}

/// Widest line [`overflow_last_arguments`] makes.
const MAX_WIDTH: usize = 100;

/// Puts a call's only argument on the call's line when the argument is a literal that spans
/// lines, as rustfmt does: `Some(vec![` rather than `Some(` then `vec![` a line below.
/// prettyplease breaks before any argument that is itself a call (`vec!` is one until
/// [`restore_vec_macros`]), which pushes nested literals far to the right.
fn overflow_last_arguments(mut lines: Vec<String>) -> Vec<String> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut i = 0;
    while i + 2 < lines.len() {
        let (line, next) = (&lines[i], &lines[i + 1]);
        let depth = indent(line);
        let opens_block = next.trim_end().ends_with(['{', '[', '(']);
        if !line.ends_with('(') || indent(next) != depth + 4 || !opens_block {
            i += 1;
            continue;
        }
        // The line that closes the call, and whether the argument is the only one: no other
        // line between starts at the argument's depth, except the one that closes it.
        let Some(close) = (i + 1..lines.len()).find(|&j| indent(&lines[j]) <= depth) else {
            break;
        };
        let last = close - 1;
        let single = (i + 2..last).all(|j| indent(&lines[j]) > depth + 4)
            && indent(&lines[last]) == depth + 4
            && lines[last].ends_with(',')
            && indent(&lines[close]) == depth
            && lines[close].trim_start().starts_with(')');
        let merged = format!("{line}{}", next.trim_start());
        if !single || merged.len() > MAX_WIDTH {
            i += 1;
            continue;
        }
        let closing = format!(
            "{}{}",
            lines[last][4..].trim_end_matches(','),
            lines[close].trim_start()
        );
        let inner: Vec<String> = lines[i + 2..last]
            .iter()
            .map(|l| l[4..].to_string())
            .collect();
        lines.splice(
            i..=close,
            [merged].into_iter().chain(inner).chain([closing]),
        );
        // The merged line may end with a call of its own: look at it again.
    }
    lines
}

/// The name of the function call that stands for `vec![…]` until the code is laid out.
const VEC_PLACEHOLDER: &str = "__stratus_vec";

/// Turns the calls of [`VEC_PLACEHOLDER`] in laid-out code into `vec![…]`: its `(` and the
/// matching `)` become brackets. String literals are skipped (the code holds no other
/// literals a parenthesis could be in: no chars, raw strings or comments).
fn restore_vec_macros(code: &str) -> String {
    let call = format!("{VEC_PLACEHOLDER}(");
    let mut out = String::with_capacity(code.len());
    // For each open parenthesis, whether it opened a `vec!`.
    let mut parens: Vec<bool> = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = code;
    while let Some(c) = rest.chars().next() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if rest.starts_with(&call) {
            out.push_str("vec![");
            parens.push(true);
            rest = &rest[call.len()..];
            continue;
        } else {
            match c {
                '"' => in_string = true,
                '(' => parens.push(false),
                ')' if parens.pop() == Some(true) => {
                    out.push(']');
                    rest = &rest[1..];
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The quick start of a crate's front page: configure, create the client, call the
/// simplest operation ([`quick_start_operation`]), handle the typed error.
fn quick_start(svc: &Service, shadowed: &HashSet<&'static str>) -> Result<String> {
    let Some(op) = quick_start_operation(svc) else {
        return Ok(String::new());
    };
    let Some(input_type) = input_type(svc, op) else {
        return Ok(String::new());
    };
    let krate = ident(&svc.lib_name);
    let input_ident = ident(&input_type);
    let error = ident(&op.error_enum);
    let method = ident(&op.fn_name);
    let (sdk_error, runtime_use) = if shadowed.contains("SdkError") {
        (
            quote!(stratus_runtime::SdkError),
            quote!(
                use stratus_runtime::Config;
            ),
        )
    } else {
        (
            quote!(SdkError),
            quote!(
                use stratus_runtime::{Config, SdkError};
            ),
        )
    };
    // Required members get a placeholder: `my-` and the field's words, for text; others
    // keep their `Default`.
    let input_shape = svc.shape(&op.input);
    let placeholders: Vec<TokenStream> = input_shape
        .members
        .iter()
        .filter(|m| m.required && svc.shape(&m.target).schema_type == ShapeType::String)
        .map(|m| {
            let field = ident(&m.rust_name);
            let text = format!(
                "my-{}",
                m.rust_name.trim_start_matches("r#").replace('_', "-")
            );
            quote!(#field: #text.into())
        })
        .collect();
    let input = if placeholders.is_empty() {
        quote!(#input_ident::default())
    } else {
        let rest = if placeholders.len() < input_shape.members.len() {
            quote!(..Default::default())
        } else {
            quote!()
        };
        quote!(#input_ident { #(#placeholders,)* #rest })
    };
    let (service_arm, imported) = match op.errors.first() {
        Some((variant, _)) => {
            let variant = ident(variant);
            (
                quote! {
                    Err(#sdk_error::Service(failure)) => match failure.error {
                        #error::#variant(exception) => eprintln!("{exception}"),
                        other => eprintln!("{other}"),
                    },
                },
                quote!(use #krate::{Client, #error, #input_ident};),
            )
        }
        None => (
            quote!(Err(#sdk_error::Service(failure)) => eprintln!("{}", failure.raw),),
            quote!(use #krate::{Client, #input_ident};),
        ),
    };
    let items = quote! {
        #imported
        #runtime_use
    };
    let body = quote! {
        let config = Config::from_env().await?;
        let client = Client::new(&config);
        let input = #input;
        match client.#method(input).await {
            Ok(output) => println!("{output:?}"),
            #service_arm
            Err(other) => return Err(other.into()),
        }
    };
    let laid_out =
        lay_out(&items, &body).with_context(|| format!("{}: the quick start", svc.files.name))?;
    let input_words = if placeholders.is_empty() {
        "an empty input"
    } else {
        "placeholders for its required members"
    };
    let errors = if op.errors.is_empty() {
        String::from(
            "A service error comes back as [`SdkError::Service`](stratus_runtime::SdkError::Service), \
             with the service's code, message and request id;",
        )
    } else {
        format!(
            "A service error comes back typed, as a variant of [`{}`] (one per exception the \
             model names, and `Unhandled`), with the service's code, message and request id;",
            op.error_enum
        )
    };
    let mut text = format!(
        "\n\n# Quick start\n\n\
         Region, credentials and endpoint come from the environment and `~/.aws`, as for the \
         AWS CLI (or build a configuration with `stratus_runtime::Config::builder()`). Create a \
         [`Client`] and call an operation, here `{}` with {input_words}. {errors} any other \
         failure (no credentials, no network, a timeout, …) is another variant of \
         [`SdkError`](stratus_runtime::SdkError).\n\n```no_run\n",
        op.name
    );
    for line in &laid_out.items {
        text.push_str(line);
        text.push('\n');
    }
    text.push('\n');
    text.push_str(PREAMBLE);
    for line in &laid_out.body {
        text.push_str(line);
        text.push('\n');
    }
    text.push_str("# Ok(())\n# }\n```");
    Ok(text)
}

/// The operation of the quick start, the simplest call of the service. In order of
/// preference: not deprecated, an output that does not stream, an input without required
/// members, a `List…` or `Describe…`, fewer required members, a shorter name, fewer input
/// members, model order.
fn quick_start_operation(svc: &Service) -> Option<&Operation> {
    svc.operations
        .iter()
        .filter(|op| {
            let input = svc.shape(&op.input);
            input.schema_type == ShapeType::Structure && !input.streaming
        })
        .min_by_key(|op| {
            let input = svc.shape(&op.input);
            let required = input.members.iter().filter(|m| m.required).count();
            let listing = op.name.starts_with("List") || op.name.starts_with("Describe");
            (
                op.model.deprecated,
                svc.shape(&op.output).streaming,
                required > 0,
                !listing,
                required,
                op.name.len(),
                input.members.len(),
            )
        })
}

#[cfg(test)]
mod tests;
