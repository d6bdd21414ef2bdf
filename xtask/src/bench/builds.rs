//! Builds: clean release builds of `ec2-client` and `aws-sdk-ec2`, code generation of every
//! service, `check-all`, and clean debug builds of the workspace's SDK crates.

use super::*;

pub(super) fn ec2_builds(ctx: &mut Ctx) {
    let mut builds = vec![(Sdk::Stratus, "ec2-client")];
    if ctx.official {
        builds.push((Sdk::Official, "aws-sdk-ec2"));
    }
    for (sdk, package) in builds {
        println!("==> clean release build of {package}");
        let result = clean_release_build(ctx, sdk, package);
        let result = match result {
            Ok(timed) => {
                println!(
                    "    {package}: {:.0} s, peak {}",
                    timed.seconds,
                    show_kb(timed.peak_rss_kb)
                );
                Ok(timed)
            }
            Err(e) => Err(ctx.failed(&format!("clean build of {package}"), &e)),
        };
        ctx.report.ec2_builds.push((sdk, package, result));
    }
}

pub(super) fn clean_release_build(ctx: &mut Ctx, sdk: Sdk, package: &str) -> Result<Timed> {
    let target = ctx.fresh_dir(&format!("clean-{package}"))?;
    let target_arg = target.display().to_string();
    let dir = match sdk {
        Sdk::Stratus => ctx.root.clone(),
        Sdk::Official => ctx.compare_dir(),
    };
    // Cargo's default release profile for both (the workspace's adds line tables): what a
    // project depending on either crate builds it with.
    let env: &[(&str, &str)] = match sdk {
        Sdk::Stratus => &[("CARGO_PROFILE_RELEASE_DEBUG", "false")],
        Sdk::Official => &[],
    };
    let (command, shown) = ctx.cargo(
        &dir,
        &[
            "build",
            "--release",
            "-p",
            package,
            "--target-dir",
            &target_arg,
        ],
        env,
    );
    ctx.report.commands.push(shown);
    let result = ctx.timed(command, &format!("clean-{package}"));
    remove_dir(&target)?;
    result
}

// ---------------------------------------------------------------------------------------
// 6–8. Codegen and compile figures

pub(super) fn codegen_all(ctx: &mut Ctx, runs: usize) {
    println!("==> codegen --all ({runs} runs)");
    let result = (|| -> Result<Vec<f64>> {
        let exe = std::env::current_exe().context("locating the xtask binary")?;
        let mut walls = Vec::new();
        for run in 0..runs {
            let out = ctx.fresh_dir("codegen-all")?;
            let mut command = Command::new(&exe);
            command
                .args(["codegen", "--all", "--out"])
                .arg(&out)
                .current_dir(&ctx.root);
            plain_cargo_env(&mut command);
            if run == 0 {
                ctx.report
                    .commands
                    .push("cargo xtask codegen --all --out target/bench/codegen-all".into());
            }
            let timed = ctx.timed(command, &format!("codegen-all-{run}"))?;
            println!("    run {}: {:.2} s", run + 1, timed.seconds);
            ctx.report.codegen_summary = timed
                .stdout
                .lines()
                .find(|l| l.starts_with("codegen:"))
                .map(str::to_string);
            walls.push(timed.seconds);
            remove_dir(&out)?;
        }
        Ok(walls)
    })();
    ctx.report.codegen = Some(result.map_err(|e| ctx.failed("codegen --all", &e)));
}

pub(super) fn check_all(ctx: &mut Ctx) {
    println!("==> check-all (from clean: target/all-services is removed first)");
    let result = (|| -> Result<Timed> {
        let all = ctx.root.join("target/all-services");
        remove_dir(&all)?;
        let exe = std::env::current_exe().context("locating the xtask binary")?;
        let mut command = Command::new(&exe);
        command.arg("check-all").current_dir(&ctx.root);
        plain_cargo_env(&mut command);
        ctx.report
            .commands
            .push("rm -rf target/all-services && cargo xtask check-all".into());
        let timed = ctx.timed(command, "check-all");
        // Its output is many GB of check metadata; the next check-all regenerates it.
        remove_dir(&all)?;
        timed
    })();
    if let Ok(timed) = &result {
        println!(
            "    {:.0} s, peak {}",
            timed.seconds,
            show_kb(timed.peak_rss_kb)
        );
    }
    ctx.report.check_all = Some(result.map_err(|e| ctx.failed("check-all", &e)));
}

/// Clean debug builds: the runtime and its dependencies first, then each crate of
/// `sdk/services.toml` on its own, all in one fresh target dir.
pub(super) fn tier1(ctx: &mut Ctx) {
    println!("==> clean debug builds of the workspace's SDK crates");
    let result = (|| -> Result<Vec<(String, Timed)>> {
        let target = ctx.fresh_dir("clean-tier1")?;
        let target_arg = target.display().to_string();
        let mut packages = vec!["stratus-runtime".to_string()];
        for service in crate::codegen::listed_services(&ctx.root)? {
            packages.push(crate_name(&ctx.root, &service)?);
        }
        let mut rows = Vec::new();
        for package in packages {
            let (command, shown) = ctx.cargo(
                &ctx.root,
                &["build", "-p", &package, "--target-dir", &target_arg],
                &[],
            );
            if rows.is_empty() {
                ctx.report.commands.push(shown);
                ctx.report
                    .commands
                    .push("then the same for each crate of sdk/services.toml, in its order".into());
            }
            let timed = ctx.timed(command, &format!("tier1-{package}"))?;
            println!("    {package}: {:.1} s", timed.seconds);
            rows.push((package, timed));
        }
        remove_dir(&target)?;
        Ok(rows)
    })();
    ctx.report.tier1 = Some(result.map_err(|e| ctx.failed("tier-1 builds", &e)));
}

/// The package name in `sdk/<service>/Cargo.toml`.
pub(super) fn crate_name(root: &Path, service: &str) -> Result<String> {
    let path = root.join("sdk").join(service).join("Cargo.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("name = "))
        .map(|v| v.trim_matches('"').to_string())
        .with_context(|| format!("no package name in {}", path.display()))
}

// ---------------------------------------------------------------------------------------
// The report
