//! `stratus-codegen`: turns botocore service models into the Rust crates under `sdk/`.
//!
//! The flow is **load -> IR -> emit**:
//!
//! - [`load`] reads one service's files from `models/` (gzip where botocore gzips), merging
//!   `sdk-extras` files the way botocore's loader does.
//! - [`ir`] resolves every name ([`naming`]), finds recursive shapes (boxed) and the role of
//!   each shape (operation input, output, exception). Structures AWS defines as unions are
//!   made unions first ([`unions`]).
//! - [`emit`] prints the crate: plain types, static schemas, static operation descriptors and
//!   error enums, with docs converted from the model's HTML ([`docs`]) and the model's
//!   examples as doctests ([`examples`]).
//!
//! The library does no I/O beyond reading models: it returns files, and the caller (the
//! `xtask` binary) decides where they go.

pub mod credential_rules;
pub mod docs;
pub mod emit;
pub mod endpoints;
pub mod examples;
pub mod ir;
pub mod load;
pub mod naming;
pub mod partitions;
pub mod unions;

pub use emit::{EmitOptions, GeneratedFile, RuntimeDependency};
pub use load::ModelsDir;

use anyhow::{Context, Result};

/// The files of one service's crate, and what went into them.
#[derive(Debug)]
pub struct GeneratedCrate {
    /// botocore's service name, which is also the crate's directory under `sdk/`.
    pub service: String,
    pub files: Vec<GeneratedFile>,
    pub operations: usize,
    pub shapes: usize,
    /// The model's examples generated into the docs, and those left out.
    pub examples: examples::ExampleCounts,
}

/// Loads, analyses and emits one service.
pub fn generate(
    models: &ModelsDir,
    service: &str,
    options: &EmitOptions,
) -> Result<GeneratedCrate> {
    let files = models.load(service)?;
    let svc = ir::Service::new(files).with_context(|| format!("service `{service}`"))?;
    let examples = examples::Examples::new(&svc)?;
    let files = emit::emit_service(&svc, options, &examples)?;
    Ok(GeneratedCrate {
        service: service.to_string(),
        files,
        operations: svc.operations.len(),
        shapes: svc.shapes.len(),
        examples: examples.counts,
    })
}

/// Reads the botocore release the models were imported from (`models/VERSION`).
pub fn botocore_version(models: &ModelsDir) -> Result<String> {
    let path = models.root().join("VERSION");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .find_map(|l| l.strip_prefix("botocore "))
        .map(|v| v.trim().to_string())
        .with_context(|| format!("{} names no botocore version", path.display()))
}
