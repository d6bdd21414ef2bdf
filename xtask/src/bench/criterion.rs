//! The in-process figures: the criterion benches of `benches/`, run and read back.

use super::*;

pub(super) fn criterion(ctx: &mut Ctx) {
    for bench in ["runtime", "endpoints"] {
        println!("==> criterion: --bench {bench}");
        let result = run_criterion(ctx, bench);
        match (bench, result) {
            ("runtime", Ok(results)) => ctx.report.criterion = results,
            ("runtime", Err(e)) => {
                let shown = ctx.failed("criterion --bench runtime", &e);
                ctx.report.runtime_error = Some(shown);
            }
            (_, Ok(results)) => ctx.report.endpoints = Some(Ok(results)),
            (_, Err(e)) => {
                let shown = ctx.failed("criterion --bench endpoints", &e);
                ctx.report.endpoints = Some(Err(shown));
            }
        }
    }
}

pub(super) fn run_criterion(ctx: &mut Ctx, bench: &str) -> Result<Vec<CriterionBench>> {
    if !ctx
        .root
        .join(format!("benches/benches/{bench}.rs"))
        .is_file()
    {
        bail!("benches/benches/{bench}.rs does not exist");
    }
    let home = ctx.fresh_dir(&format!("criterion/{bench}"))?;
    let mut args = vec![
        "bench",
        "-p",
        "stratus-benches",
        "--bench",
        bench,
        "--",
        "--noplot",
    ];
    if ctx.quick {
        args.extend(["--warm-up-time", "1", "--measurement-time", "2"]);
    }
    let home_shown = ctx.relative(&home.display().to_string());
    let (mut command, shown) = ctx.cargo(&ctx.root, &args, &[]);
    command.env("CRITERION_HOME", &home);
    ctx.report
        .commands
        .push(format!("CRITERION_HOME={home_shown} {shown}"));
    ctx.timed(command, &format!("criterion-{bench}"))?;
    read_criterion(&home)
}

/// Every benchmark criterion wrote under `home`: `*/new/benchmark.json` and `sample.json`.
pub(super) fn read_criterion(home: &Path) -> Result<Vec<CriterionBench>> {
    let mut found = Vec::new();
    let mut stack = vec![home.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "new") {
                    found.push(path);
                } else {
                    stack.push(path);
                }
            }
        }
    }
    let mut benches = Vec::new();
    for dir in found {
        let read = |name: &str| -> Result<Value> {
            let path = dir.join(name);
            let text =
                fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
        };
        let benchmark = read("benchmark.json")?;
        let sample = read("sample.json")?;
        let id = benchmark["full_id"]
            .as_str()
            .context("benchmark.json without full_id")?
            .to_string();
        let numbers = |key: &str| -> Vec<f64> {
            sample[key]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default()
        };
        let per_iteration: Vec<f64> = numbers("iters")
            .iter()
            .zip(numbers("times"))
            .filter(|(iters, _)| **iters > 0.0)
            .map(|(iters, time)| time / iters)
            .collect();
        let ns = Stat::of(&per_iteration).with_context(|| format!("{id}: no samples"))?;
        let bytes = benchmark["throughput"]["Bytes"]
            .as_u64()
            .or_else(|| benchmark["throughput"]["BytesDecimal"].as_u64());
        benches.push(CriterionBench { id, ns, bytes });
    }
    if benches.is_empty() {
        bail!("criterion wrote no results under {}", home.display());
    }
    benches.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(benches)
}

// ---------------------------------------------------------------------------------------
// 3. End to end (and the small programs' sizes and cold calls, which need the server)
