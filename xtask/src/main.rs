//! `cargo xtask`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! ```text
//! cargo xtask codegen [--service NAME]... [--check]    regenerate sdk/ (or check it is fresh)
//! cargo xtask codegen --all --out DIR                  every service into DIR, as a workspace
//! cargo xtask check-all                                codegen --all, then `cargo check` all crates
//! cargo xtask models import --from WHEEL_OR_DIR        refresh models/ from botocore
//! cargo xtask conformance                              every conformance suite, counted
//! cargo xtask test                                     fmt, clippy, drift check, every test
//! cargo xtask demo                                     the example programs against moto (needs python3)
//! cargo xtask bench [--quick] [--no-check-all] [--no-official] [--runs N] [--out FILE]
//!                                                      benchmarks, with the official SDK: BENCHMARKS.md
//! ```

mod bench;
mod check_all;
mod codegen;
mod demo;
mod models;
mod test;

use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Code generation allocates and frees millions of small strings and model values; mimalloc
// handles that churn better than the system allocator.
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

const USAGE: &str = "usage: cargo xtask <codegen [--service NAME]... [--check] | codegen --all --out DIR | check-all | models import --from PATH | conformance | test | demo | bench [--quick] [--no-check-all] [--no-official] [--runs N] [--out FILE]>";

fn run(args: &[String]) -> Result<()> {
    let root = project_root();
    match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&root, codegen::Args::parse(&args[1..])?),
        Some("check-all") => check_all::run(&root),
        Some("bench") => bench::run(&root, bench::Args::parse(&args[1..])?),
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
        Some("demo") => demo::run(&root),
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

/// Gives a cargo started from xtask the environment a shell would. `cargo run` hands xtask
/// variables about xtask's own package (`CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`, …); build
/// scripts that watch those (ring's does) would rerun, and everything above them rebuild,
/// whenever cargo is run from xtask after a shell or the other way round.
pub(crate) fn strip_package_env(command: &mut std::process::Command) {
    for (key, _) in std::env::vars_os() {
        let name = key.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || matches!(
                name.as_ref(),
                "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_RUSTC_CURRENT_DIR"
            )
        {
            command.env_remove(&key);
        }
    }
}
