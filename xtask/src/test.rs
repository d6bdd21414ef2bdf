//! `cargo xtask test`: everything CI runs — formatting, lints, the drift check of `sdk/`,
//! and every test of the workspace.

use anyhow::{Result, bail};
use std::path::Path;
use std::process::Command;

pub fn run(root: &Path) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    step(root, "format", &cargo, &["fmt", "--all", "--", "--check"])?;
    step(
        root,
        "clippy",
        &cargo,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    println!("==> drift check: cargo xtask codegen --check");
    crate::codegen::run(root, crate::codegen::Args::parse(&["--check".to_string()])?)?;
    step(root, "tests", &cargo, &["test", "--workspace"])?;
    Ok(())
}

fn step(root: &Path, name: &str, program: &str, args: &[&str]) -> Result<()> {
    println!("==> {name}: {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("{name} failed ({status})");
    }
    Ok(())
}
