//! `cargo xtask demo`: Stratus at work without an AWS account. Starts moto (a local AWS
//! stand-in, installed into `target/moto-venv` on first use; needs python3) on a free port of
//! 127.0.0.1, runs the example programs of the generated crates against it (the list is
//! codegen's, `stratus_codegen::emit::programs::PROGRAMS`) with `cargo run`, each printing
//! what it does, and stops moto.
//!
//! The programs find moto as any program using Stratus finds an endpoint: through
//! `Config::from_env()`, from `AWS_ENDPOINT_URL`, `AWS_REGION` and dummy keys. Every other
//! `AWS_*` variable is removed and the config files point at nothing, so the user's own
//! settings stay out of it. moto checks no signatures here (it does in the end-to-end
//! tests).

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;
use std::time::Instant;
use stratus_codegen::emit::programs::{PROGRAMS, Program};
use stratus_moto::{Moto, http_request};

/// moto answers `GetDistribution` with `InProgress` until a distribution has been read this
/// many times (its state manager; by default the first read says `Deployed`), so the
/// `DistributionDeployed` waiter of the CloudFront program polls more than once.
const CLOUDFRONT_READS_IN_PROGRESS: u32 = 3;

pub fn run(root: &Path) -> Result<()> {
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    println!(
        "==> demo: {} example programs against moto, a local AWS stand-in",
        PROGRAMS.len()
    );
    println!(
        "==> starting moto (installed into target/moto-venv on first use, in about 30 s) \
         while the programs build"
    );
    // moto logs to a file, so it starts while cargo prints to the terminal.
    let moto = std::thread::spawn(|| Moto::start(&[]));
    let mut build = Command::new(&cargo);
    crate::strip_package_env(&mut build);
    build.current_dir(root).args(["build", "--examples"]);
    for program in PROGRAMS {
        build.args(["-p", program.krate]);
    }
    let built = build.status().context("running cargo build")?;
    let moto = moto
        .join()
        .map_err(|_| anyhow::anyhow!("starting moto panicked"))?
        .map_err(|e| anyhow::anyhow!("moto did not start: {e}"))?;
    if !built.success() {
        bail!("building the example programs failed ({built})");
    }
    println!("==> moto is listening on {}", moto.endpoint());

    let scratch = root.join("target/demo");
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    for program in PROGRAMS {
        println!();
        println!("==> {}: {}", program.krate, program.summary);
        prepare(&moto, program)?;
        println!("$ {}", program.command());
        let program_started = Instant::now();
        let mut command = Command::new(&cargo);
        crate::strip_package_env(&mut command);
        command.current_dir(root).args([
            "run",
            "--quiet",
            "-p",
            program.krate,
            "--example",
            program.name,
        ]);
        environment(&mut command, &moto, &scratch);
        let status = command
            .status()
            .with_context(|| format!("running {}", program.command()))?;
        if !status.success() {
            bail!(
                "{} failed ({status}); moto's log:\n{}",
                program.source_path(),
                moto.log_tail()
            );
        }
        println!(
            "==> {} done in {:.1} s",
            program.name,
            program_started.elapsed().as_secs_f64()
        );
    }
    drop(moto);
    println!();
    println!(
        "==> demo: {} programs ran against moto in {:.0} s (their sources: codegen/programs/, \
         generated into sdk/<service>/examples/)",
        PROGRAMS.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// What moto needs before a program runs.
fn prepare(moto: &Moto, program: &Program) -> Result<()> {
    if program.service == "cloudfront" {
        let body = format!(
            r#"{{"model_name": "cloudfront::distribution", "transition": {{"progression": "manual", "times": {CLOUDFRONT_READS_IN_PROGRESS}}}}}"#
        );
        let (status, response) = http_request(
            moto.port(),
            "POST",
            "/moto-api/state-manager/set-transition",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
        .map_err(|e| anyhow::anyhow!("moto's state manager: {e}"))?;
        if !(200..300).contains(&status) {
            bail!(
                "moto's state manager answered {status}: {}",
                String::from_utf8_lossy(&response)
            );
        }
        println!(
            "==> moto: a new distribution stays InProgress for its first {} reads",
            CLOUDFRONT_READS_IN_PROGRESS - 1
        );
    }
    Ok(())
}

/// The environment of a program: moto's endpoint, us-east-1 and dummy keys, and nothing of
/// the user's AWS settings.
fn environment(command: &mut Command, moto: &Moto, scratch: &Path) {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            command.env_remove(&key);
        }
    }
    command
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        // Files that do not exist: no profile of the user's applies.
        .env("AWS_CONFIG_FILE", scratch.join("no-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            scratch.join("no-credentials"),
        );
}
