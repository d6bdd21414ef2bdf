//! `cargo xtask`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! ```text
//! cargo xtask codegen [--service NAME]... [--check]    regenerate sdk/ (or check it is fresh)
//! cargo xtask codegen --all --out DIR                  every service into DIR, as a workspace
//! cargo xtask check-all                                codegen --all, then `cargo check` all crates
//! cargo xtask models import --from WHEEL_OR_DIR        refresh models/ from botocore
//! cargo xtask conformance                              every conformance suite, counted
//! cargo xtask test                                     fmt, clippy, drift check, every test
//! ```

mod check_all;
mod codegen;
mod models;
mod test;

use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Code generation allocates and frees millions of small token trees; mimalloc handles
// that churn far better than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask <codegen [--service NAME]... [--check] | codegen --all --out DIR | check-all | models import --from PATH | conformance | test>";

fn run(args: &[String]) -> Result<()> {
    let root = project_root();
    match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&root, codegen::Args::parse(&args[1..])?),
        Some("check-all") => check_all::run(&root),
        Some("models") => match (
            args.get(1).map(String::as_str),
            args.get(2).map(String::as_str),
            args.get(3),
        ) {
            (Some("import"), Some("--from"), Some(from)) => {
                models::import(Path::new(from), &root.join("models"))
            }
            _ => bail!(
                "usage: cargo xtask models import --from <botocore wheel | botocore data dir>"
            ),
        },
        Some("test") => test::run(&root),
        Some("conformance") => test::conformance(&root),
        Some(other) => bail!("unknown command `{other}`\n{USAGE}"),
        None => bail!("{USAGE}"),
    }
}

/// The workspace root: the parent of this crate's directory.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
