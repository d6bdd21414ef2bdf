//! `cargo xtask test`: everything CI runs — formatting, the drift check of `sdk/`, lints,
//! every test of the workspace, and rustdoc without warnings.

use anyhow::{Result, bail};
use std::path::Path;
use std::process::Command;

pub fn run(root: &Path) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    step(
        root,
        "format",
        &cargo,
        &["fmt", "--all", "--", "--check"],
        &[],
    )?;
    println!("==> drift check: cargo xtask codegen --check");
    crate::codegen::run(root, crate::codegen::Args::parse(&["--check".to_string()])?)?;
    let clippy = [
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ];
    step(root, "clippy", &cargo, &clippy, &[])?;
    // The end-to-end tests install moto on first use; doing it here first puts the
    // install's own output and time in the log instead of inside a test.
    step(root, "moto", "bash", &["tests/moto/venv.sh"], &[])?;
    step(root, "tests", &cargo, &["test", "--workspace"], &[])?;
    // The workspace builds the runtime with every feature some member asks for; most service
    // crates use it with none (`sigv4a`, `compression` off), so lint and test that too.
    step(
        root,
        "runtime, optional features off: clippy",
        &cargo,
        &[
            "clippy",
            "-p",
            "stratus-runtime",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    step(
        root,
        "runtime, optional features off: tests",
        &cargo,
        &["test", "-p", "stratus-runtime"],
        &[],
    )?;
    let rustdoc = [("RUSTDOCFLAGS", "-D warnings")];
    step(
        root,
        "docs",
        &cargo,
        &["doc", "--no-deps", "--workspace"],
        &rustdoc,
    )?;
    Ok(())
}

fn step(root: &Path, name: &str, program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    let shown_env: String = env.iter().map(|(k, v)| format!("{k}={v:?} ")).collect();
    println!("==> {name}: {shown_env}{program} {}", args.join(" "));
    let started = std::time::Instant::now();
    let mut command = Command::new(program);
    crate::strip_package_env(&mut command);
    let status = command
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root)
        .status()?;
    let seconds = started.elapsed().as_secs_f64();
    if !status.success() {
        bail!("{name} failed ({status}) after {seconds:.0} s");
    }
    println!("==> {name}: done in {seconds:.0} s");
    Ok(())
}

/// `cargo xtask conformance`: one line per suite (`<suite> <passed>/<total> passed, <n>
/// skipped`), then skipped and failed cases; fails on any failure.
pub fn conformance(root: &Path) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    step(
        root,
        "conformance",
        &cargo,
        &[
            "run",
            "--quiet",
            "--package",
            "stratus-tests",
            "--bin",
            "conformance",
        ],
        &[],
    )
}
