//! `cargo xtask check-all`: generates every service into `target/all-services` and runs
//! `cargo check` on all of them, reporting how many crates compiled and the wall time.

use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;
use stratus_codegen::ModelsDir;

pub fn run(root: &Path) -> Result<()> {
    let models = ModelsDir::new(root.join("models"));
    let version = stratus_codegen::botocore_version(&models)?;
    let out = root.join("target/all-services");
    let total = crate::codegen::generate_all(root, &models, &version, &out)?;

    let start = Instant::now();
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    crate::strip_package_env(&mut command);
    let mut child = command
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", out.join("target"))
        .stdout(Stdio::piped())
        .spawn()
        .context("starting cargo check")?;
    let stdout = child.stdout.take().context("cargo check output")?;
    let mut compiled = 0usize;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        // Only the generated crates count; their package ids name the output directory.
        if line.contains("\"reason\":\"compiler-artifact\"")
            && line.contains("-client")
            && line.contains("all-services")
        {
            compiled += 1;
        }
    }
    let status = child.wait()?;
    let secs = start.elapsed().as_secs_f64();
    println!("check-all: {compiled} of {total} generated crates passed cargo check in {secs:.0}s");
    if !status.success() || compiled != total {
        bail!(
            "{} crates failed cargo check",
            total.saturating_sub(compiled)
        );
    }
    Ok(())
}
