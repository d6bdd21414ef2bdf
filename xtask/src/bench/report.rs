//! The report: figures shown with their units, the performance targets, and the
//! Markdown of `BENCHMARKS.md`.

use super::*;

pub(super) fn show_ns(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

pub(super) fn show_us(us: f64) -> String {
    show_ns(us * 1e3)
}

pub(super) fn show_secs(s: f64) -> String {
    if s < 10.0 {
        format!("{s:.2} s")
    } else if s < 120.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.0} s ({}m{:02}s)", (s / 60.0) as u64, (s % 60.0) as u64)
    }
}

pub(super) fn show_rate(r: f64) -> String {
    if r >= 100.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

pub(super) fn show_kb(kb: Option<u64>) -> String {
    match kb {
        Some(kb) if kb >= 1024 * 1024 => format!("{:.2} GiB", kb as f64 / 1024.0 / 1024.0),
        Some(kb) => format!("{:.1} MiB", kb as f64 / 1024.0),
        None => "n/a".into(),
    }
}

pub(super) fn show_bytes(bytes: Option<u64>) -> String {
    match bytes {
        Some(b) if b >= 1024 * 1024 => format!("{:.2} MiB", b as f64 / 1024.0 / 1024.0),
        Some(b) => format!("{:.0} KiB", b as f64 / 1024.0),
        None => "n/a".into(),
    }
}

pub(super) fn throughput(bytes: u64, ns: f64) -> String {
    let mb_per_s = bytes as f64 / (ns / 1e9) / 1e6;
    format!("{mb_per_s:.0} MB/s")
}

/// One target of the issue: what was measured, and whether it is met.
pub(super) struct Target {
    pub(super) what: &'static str,
    pub(super) measured: String,
    pub(super) met: Option<bool>,
}

pub(super) fn targets(report: &Report) -> Vec<Target> {
    let mut out = Vec::new();
    let ratio_target =
        |what, ours: Option<f64>, theirs: Option<f64>, limit: f64, at_most: bool| match (
            ours, theirs,
        ) {
            (Some(a), Some(b)) if b > 0.0 => {
                let ratio = a / b;
                let met = if at_most {
                    ratio <= limit
                } else {
                    ratio >= limit
                };
                Target {
                    what,
                    measured: if at_most {
                        format!("{:.0}%", ratio * 100.0)
                    } else {
                        format!("{ratio:.2}x")
                    },
                    met: Some(met),
                }
            }
            _ => Target {
                what,
                measured: "not measured".into(),
                met: None,
            },
        };
    let build = |sdk: Sdk| {
        report
            .ec2_builds
            .iter()
            .find(|(s, _, _)| *s == sdk)
            .and_then(|(_, _, r)| r.as_ref().ok())
    };
    out.push(ratio_target(
        "`ec2-client` clean release build ≤ 25% of `aws-sdk-ec2`'s wall time",
        build(Sdk::Stratus).map(|t| t.seconds),
        build(Sdk::Official).map(|t| t.seconds),
        0.25,
        true,
    ));
    out.push(ratio_target(
        "… and ≤ 40% of its peak compiler memory",
        build(Sdk::Stratus).and_then(|t| t.peak_rss_kb.map(|k| k as f64)),
        build(Sdk::Official).and_then(|t| t.peak_rss_kb.map(|k| k as f64)),
        0.40,
        true,
    ));
    let small = |sdk: Sdk| report.small.iter().find(|p| p.sdk == sdk);
    let small_build = |sdk: Sdk| {
        small(sdk)
            .and_then(|p| p.clean_build.as_ref())
            .and_then(|r| r.as_ref().ok())
            .map(|t| t.seconds)
    };
    out.push(ratio_target(
        "small program: clean release build ≤ 33% of the official SDK's",
        small_build(Sdk::Stratus),
        small_build(Sdk::Official),
        0.33,
        true,
    ));
    out.push(ratio_target(
        "small program: stripped binary ≤ 50% of the official SDK's",
        small(Sdk::Stratus).and_then(|p| p.stripped_bytes.map(|b| b as f64)),
        small(Sdk::Official).and_then(|p| p.stripped_bytes.map(|b| b as f64)),
        0.50,
        true,
    ));
    let e2e = |scenario: &str, tasks: usize, sdk: Sdk| {
        report
            .e2e
            .iter()
            .find(|r| r.scenario == scenario && r.tasks == tasks && r.sdk == sdk)
            .and_then(E2eRow::calls_per_sec)
            .map(|s| s.median)
    };
    out.push(ratio_target(
        "calls/s ≥ 1.5x the official SDK's, sequential (`DescribeAutoScalingGroups`, loopback)",
        e2e("asg", 1, Sdk::Stratus),
        e2e("asg", 1, Sdk::Official),
        1.5,
        false,
    ));
    out.push(ratio_target(
        "calls/s ≥ 1.5x the official SDK's, 32 concurrent tasks",
        e2e("asg", 32, Sdk::Stratus),
        e2e("asg", 32, Sdk::Official),
        1.5,
        false,
    ));
    out.push(ratio_target(
        "parse throughput ≥ 2x the official SDK's (`DescribeInstances`, 1,000 instances, through each client with an in-memory HTTP client)",
        e2e("instances-stub", 1, Sdk::Stratus),
        e2e("instances-stub", 1, Sdk::Official),
        2.0,
        false,
    ));
    out.push(ratio_target(
        "rest-xml parse throughput ≥ 2x the official SDK's (S3 `ListObjectsV2`, 1,000 keys, through each client with an in-memory HTTP client)",
        e2e("list-objects-stub", 1, Sdk::Stratus),
        e2e("list-objects-stub", 1, Sdk::Official),
        2.0,
        false,
    ));
    out.push(ratio_target(
        "awsJson parse throughput ≥ 2x the official SDK's (DynamoDB `Query`, 750 items, about 1 MB, through each client with an in-memory HTTP client)",
        e2e("query-stub", 1, Sdk::Stratus),
        e2e("query-stub", 1, Sdk::Official),
        2.0,
        false,
    ));
    out.push(ratio_target(
        "serialize+sign ≥ 2x the official SDK's (DynamoDB `PutItem`, 20 attributes, through each client with an in-memory HTTP client)",
        e2e("put-item-stub", 1, Sdk::Stratus),
        e2e("put-item-stub", 1, Sdk::Official),
        2.0,
        false,
    ));
    out.push(ratio_target(
        "DynamoDB calls/s ≥ 1.5x the official SDK's, sequential (`GetItem`, loopback)",
        e2e("get-item", 1, Sdk::Stratus),
        e2e("get-item", 1, Sdk::Official),
        1.5,
        false,
    ));
    out.push(ratio_target(
        "DynamoDB calls/s ≥ 1.5x the official SDK's, 32 concurrent tasks (`GetItem`, loopback)",
        e2e("get-item", 32, Sdk::Stratus),
        e2e("get-item", 32, Sdk::Official),
        1.5,
        false,
    ));
    let e2e_row = |scenario: &str, sdk: Sdk| {
        report
            .e2e
            .iter()
            .find(|r| r.scenario == scenario && r.tasks == 1 && r.sdk == sdk && r.error.is_none())
    };
    let mb_per_sec = |scenario: &str, sdk: Sdk| {
        e2e_row(scenario, sdk)
            .and_then(E2eRow::mb_per_sec)
            .map(|s| s.median)
    };
    let peak_rss = |scenario: &str, sdk: Sdk| {
        e2e_row(scenario, sdk)
            .and_then(E2eRow::peak_rss_kb)
            .map(|kb| kb as f64)
    };
    out.push(ratio_target(
        "S3 `GetObject` streaming throughput ≥ 1.5x the official SDK's (1 GiB, loopback, CRC32 validated; MB/s)",
        mb_per_sec("get-object", Sdk::Stratus),
        mb_per_sec("get-object", Sdk::Official),
        1.5,
        false,
    ));
    out.push(ratio_target(
        "… and the client's peak RSS ≤ 50% of the official SDK's",
        peak_rss("get-object", Sdk::Stratus),
        peak_rss("get-object", Sdk::Official),
        0.50,
        true,
    ));
    // Reported beside the targets, with no target of their own.
    let reported = |what, ours: Option<f64>, theirs: Option<f64>, percent: bool| Target {
        what,
        measured: match (ours, theirs) {
            (Some(a), Some(b)) if b > 0.0 && percent => format!("{:.0}%", a / b * 100.0),
            (Some(a), Some(b)) if b > 0.0 => format!("{:.2}x", a / b),
            _ => "not measured".into(),
        },
        met: None,
    };
    out.push(reported(
        "S3 `PutObject` throughput vs the official SDK's (64 MiB from a stream, loopback; no target)",
        mb_per_sec("put-object", Sdk::Stratus),
        mb_per_sec("put-object", Sdk::Official),
        false,
    ));
    out.push(reported(
        "… and the client's peak RSS, as a share of the official SDK's (no target)",
        peak_rss("put-object", Sdk::Stratus),
        peak_rss("put-object", Sdk::Official),
        true,
    ));
    out.push(reported(
        "CloudFront `ListDistributions` parse throughput vs the official SDK's (100 distributions, in-memory HTTP client; no target)",
        e2e("distributions-stub", 1, Sdk::Stratus),
        e2e("distributions-stub", 1, Sdk::Official),
        false,
    ));
    let sign = report
        .criterion
        .iter()
        .find(|b| b.id == "sign DescribeAutoScalingGroups");
    out.push(match sign {
        Some(b) => Target {
            what: "SigV4 signing ≤ 1.5 µs per small request (criterion median)",
            measured: show_ns(b.ns.median),
            met: Some(b.ns.median <= 1500.0),
        },
        None => Target {
            what: "SigV4 signing ≤ 1.5 µs per small request (criterion median)",
            measured: "not measured".into(),
            met: None,
        },
    });
    let cached = report
        .criterion
        .iter()
        .find(|b| b.id == "credentials: cached lookup (default chain)");
    out.push(Target {
        what: "credentials: a cached lookup per call ≤ 100 ns (criterion median)",
        measured: cached.map_or_else(|| "not measured".into(), |b| show_ns(b.ns.median)),
        met: cached.map(|b| b.ns.median <= 100.0),
    });
    let codegen = report
        .codegen
        .as_ref()
        .and_then(|r| r.as_ref().ok())
        .and_then(|w| Stat::of(w));
    out.push(Target {
        what: "codegen of all 429 services < 10 s (median wall time)",
        measured: codegen
            .map(|s| show_secs(s.median))
            .unwrap_or_else(|| "not measured".into()),
        met: codegen.map(|s| s.median < 10.0),
    });
    out
}

pub(super) fn render(ctx: &Ctx, args: &Args) -> String {
    let report = &ctx.report;
    let mut md = String::new();
    let command = {
        let mut c = "cargo xtask bench".to_string();
        if args.quick {
            c.push_str(" --quick");
        }
        if args.no_check_all {
            c.push_str(" --no-check-all");
        }
        if args.no_official {
            c.push_str(" --no-official");
        }
        if let Some(runs) = args.runs {
            let _ = write!(c, " --runs {runs}");
        }
        c
    };
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `{command}` (see README, \"Benchmarks\"): Stratus side by side with the \
         official AWS SDK for Rust. Figures are min / **median** / max over the runs or \
         samples stated; a single figure is a single run. Rerun the command to reproduce \
         the table on your machine.\n"
    );
    if args.quick {
        let _ = writeln!(
            md,
            "> A `--quick` run: shorter runs, no clean builds, no `check-all`. The report of \
             record comes from a full run.\n"
        );
    }
    let _ = writeln!(md, "## Machine\n\n| | |\n|---|---|");
    for (key, value) in &report.machine {
        let _ = writeln!(md, "| {key} | {value} |");
    }
    let _ = writeln!(
        md,
        "\nThe machine's cores may be shared with other work; the load averages above say how \
         busy it was.\n"
    );

    // Targets
    let _ = writeln!(
        md,
        "## Targets\n\n| target | measured | met |\n|---|---|---|"
    );
    for target in targets(report) {
        let met = match target.met {
            Some(true) => "met",
            Some(false) => "**not met**",
            None => "—",
        };
        let _ = writeln!(md, "| {} | {} | {met} |", target.what, target.measured);
    }
    md.push('\n');

    // Criterion
    let _ = writeln!(
        md,
        "## In process (criterion)\n\n`benches/benches/runtime.rs`: time per iteration over \
         criterion's samples. The requests and responses are in `benches/src/inputs.rs` and \
         `benches/src/fixtures.rs`.\n"
    );
    if let Some(error) = &report.runtime_error {
        let _ = writeln!(md, "Failed: {error}\n");
    }
    criterion_table(&mut md, &report.criterion);
    let _ = writeln!(
        md,
        "The official SDK's serializers and parsers are private to its crates, so its \
         in-process costs are measured through its client with an in-memory HTTP client \
         below (the `*-stub` rows), next to Stratus's measured the same way.\n"
    );
    let _ = writeln!(
        md,
        "### Endpoint resolution (criterion)\n\n`benches/benches/endpoints.rs`.\n"
    );
    match &report.endpoints {
        Some(Ok(benches)) => criterion_table(&mut md, benches),
        Some(Err(error)) => {
            let _ = writeln!(md, "Not measured: {error}\n");
        }
        None => {
            let _ = writeln!(md, "Not run.\n");
        }
    }

    // End to end
    let _ = writeln!(
        md,
        "## End to end\n\nEach SDK's client (`stratus-e2e`, `official-e2e`) calls in a loop on \
         a current-thread tokio runtime, against `canned-server` (a separate process: \
         HTTP/1.1 keep-alive on 127.0.0.1, the same responses for both) or an in-memory HTTP \
         client (`*-stub`). Static credentials, region us-east-1, retries off. {}. Latency \
         percentiles are the median over the runs; peak RSS (`VmHWM` of the client process) \
         the largest. MB/s (10^6 bytes a second) where a call moves a known number of bytes: \
         the XML or JSON parsed, or the S3 object's body streamed. Client CPU per call: the client \
         process's user and system CPU time over the counted calls, divided by their number \
         (median over the runs); where loopback or the server bounds the rate (the S3 object \
         scenarios), it is what tells the clients apart. The server shares the machine's \
         cores with the client.\n",
        report.e2e_settings
    );
    let _ = writeln!(
        md,
        "| scenario | SDK | calls/s | MB/s | vs official | p50 | p90 | p99 | client CPU per call | peak RSS |\n|---|---|---|---|---|---|---|---|---|---|"
    );
    for row in &report.e2e {
        let label = if row.tasks > 1 {
            format!("{} ×{}", row.scenario, row.tasks)
        } else {
            row.scenario.to_string()
        };
        if let Some(error) = &row.error {
            let _ = writeln!(
                md,
                "| {label} | {} | failed: {} | | | | | | | |",
                row.sdk.name(),
                error.lines().next().unwrap_or_default().replace('|', "\\|")
            );
            continue;
        }
        let Some(rate) = row.calls_per_sec() else {
            continue;
        };
        let versus = match row.sdk {
            Sdk::Official => String::new(),
            Sdk::Stratus => report
                .e2e
                .iter()
                .find(|o| {
                    o.sdk == Sdk::Official && o.scenario == row.scenario && o.tasks == row.tasks
                })
                .and_then(E2eRow::calls_per_sec)
                .map(|o| format!("{:.2}x", rate.median / o.median))
                .unwrap_or_default(),
        };
        let _ = writeln!(
            md,
            "| {label} | {} | {} | {} | {versus} | {} | {} | {} | {} | {} |",
            row.sdk.name(),
            rate.show(show_rate),
            row.mb_per_sec()
                .map(|s| s.show(show_rate))
                .unwrap_or_default(),
            row.median_of(|r| r.p50_us).map(show_us).unwrap_or_default(),
            row.median_of(|r| r.p90_us).map(show_us).unwrap_or_default(),
            row.median_of(|r| r.p99_us).map(show_us).unwrap_or_default(),
            Stat::of(
                &row.runs
                    .iter()
                    .filter_map(|r| r.cpu_us_per_call)
                    .collect::<Vec<_>>()
            )
            .map(|s| show_us(s.median))
            .unwrap_or_default(),
            show_kb(row.runs.iter().map(|r| r.peak_rss_kb).max()),
        );
    }
    let _ = writeln!(md, "\nScenarios:\n");
    let mut seen = Vec::new();
    for &(scenario, tasks, what) in E2E {
        if !seen.contains(&(scenario, tasks)) {
            seen.push((scenario, tasks));
            let label = if tasks > 1 {
                format!("{scenario} ×{tasks}")
            } else {
                scenario.to_string()
            };
            let _ = writeln!(md, "- `{label}`: {what}");
        }
    }
    md.push('\n');

    // Small programs
    if !report.small.is_empty() {
        let _ = writeln!(
            md,
            "## A small program\n\nOne `DescribeAutoScalingGroups` call, configured from the \
             environment (`benches/compare/small/stratus`, `benches/compare/small/official`), \
             built in the same workspace (`benches/compare`) with cargo's default release \
             profile. Clean build: a fresh target dir, wall time and the peak RSS of the \
             largest compiler process. Cold call: the whole process, from start to exit, \
             against the canned server (3 runs).\n"
        );
        let _ = writeln!(
            md,
            "| | clean release build | peak compiler RSS | binary | stripped | cold call | its peak RSS |\n|---|---|---|---|---|---|---|"
        );
        for program in &report.small {
            let (build, build_rss) = match &program.clean_build {
                Some(Ok(t)) => (show_secs(t.seconds), show_kb(t.peak_rss_kb)),
                Some(Err(e)) => (format!("failed: {e}"), String::new()),
                None => ("not measured".into(), String::new()),
            };
            let (cold, cold_rss) = match &program.cold_call {
                Some(Ok((stat, rss))) => (stat.show(|s| show_ns(s * 1e9)), show_kb(*rss)),
                Some(Err(e)) => (
                    format!("failed: {}", e.lines().next().unwrap_or_default()),
                    String::new(),
                ),
                None => (String::new(), String::new()),
            };
            let _ = writeln!(
                md,
                "| {} (`{}`) | {build} | {build_rss} | {} | {} | {cold} | {cold_rss} |",
                program.sdk.name(),
                program.package,
                show_bytes(program.bytes),
                show_bytes(program.stripped_bytes),
            );
        }
        md.push('\n');
    }

    // EC2 builds
    if !report.ec2_builds.is_empty() {
        let _ = writeln!(
            md,
            "## Clean release build of the EC2 crate\n\n`cargo build --release -p …` in a fresh \
             target dir, the crate and all its dependencies, with cargo's default release \
             profile; peak RSS of the largest compiler process.\n"
        );
        let _ = writeln!(
            md,
            "| crate | wall time | peak compiler RSS |\n|---|---|---|"
        );
        for (_, package, result) in &report.ec2_builds {
            match result {
                Ok(t) => {
                    let _ = writeln!(
                        md,
                        "| `{package}` | {} | {} |",
                        show_secs(t.seconds),
                        show_kb(t.peak_rss_kb)
                    );
                }
                Err(e) => {
                    let _ = writeln!(md, "| `{package}` | failed: {e} | |");
                }
            }
        }
        md.push('\n');
    }

    // Codegen and compile
    let _ = writeln!(md, "## Code generation and compile figures\n");
    let _ = writeln!(md, "| what | wall time | peak RSS |\n|---|---|---|");
    match &report.codegen {
        Some(Ok(walls)) => {
            let _ = writeln!(
                md,
                "| `cargo xtask codegen --all --out DIR` ({} run{}) | {} | |",
                walls.len(),
                if walls.len() == 1 { "" } else { "s" },
                Stat::of(walls)
                    .map(|s| s.show(show_secs))
                    .unwrap_or_default()
            );
        }
        Some(Err(e)) => {
            let _ = writeln!(md, "| `cargo xtask codegen --all` | failed: {e} | |");
        }
        None => {}
    }
    match &report.check_all {
        Some(Ok(t)) => {
            let summary = t
                .stdout
                .lines()
                .find(|l| l.starts_with("check-all:"))
                .unwrap_or_default();
            let _ = writeln!(
                md,
                "| `cargo xtask check-all`, from clean ({summary}) | {} | {} |",
                show_secs(t.seconds),
                show_kb(t.peak_rss_kb)
            );
        }
        Some(Err(e)) => {
            let _ = writeln!(md, "| `cargo xtask check-all` | failed: {e} | |");
        }
        None => {
            let _ = writeln!(md, "| `cargo xtask check-all` | not run | |");
        }
    }
    if let Some(summary) = &report.codegen_summary {
        let _ = writeln!(md, "\nCodegen's own summary line: `{summary}`.");
    }
    md.push('\n');
    match &report.tier1 {
        Some(Ok(rows)) => {
            let total: f64 = rows.iter().map(|(_, t)| t.seconds).sum();
            let _ = writeln!(
                md,
                "### Clean debug build of the workspace's SDK crates\n\nOne fresh target dir: \
                 `stratus-runtime` and its dependencies first, then `cargo build -p CRATE` for \
                 each crate of `sdk/services.toml` in turn, so each row is that crate alone. \
                 Total {}.\n",
                show_secs(total)
            );
            let _ = writeln!(
                md,
                "| crate | wall time | peak compiler RSS |\n|---|---|---|"
            );
            for (package, t) in rows {
                let _ = writeln!(
                    md,
                    "| `{package}` | {} | {} |",
                    show_secs(t.seconds),
                    show_kb(t.peak_rss_kb)
                );
            }
            md.push('\n');
        }
        Some(Err(e)) => {
            let _ = writeln!(md, "Clean debug build of the SDK crates failed: {e}\n");
        }
        None => {}
    }

    // Commands
    let _ = writeln!(
        md,
        "## Commands\n\nWhat `{command}` ran, in order (logs in `target/bench/logs/`):\n\n```sh"
    );
    for command in &report.commands {
        let _ = writeln!(md, "{command}");
    }
    let _ = writeln!(md, "```");
    if !report.failures.is_empty() {
        let _ = writeln!(md, "\n## Failures\n");
        for failure in &report.failures {
            let first = failure.lines().next().unwrap_or_default();
            let _ = writeln!(md, "- {first}");
        }
    }
    md
}

pub(super) fn criterion_table(md: &mut String, benches: &[CriterionBench]) {
    let _ = writeln!(
        md,
        "| benchmark | time per iteration (min / **median** / max) | throughput (median) | samples |\n|---|---|---|---|"
    );
    for bench in benches {
        let throughput = bench
            .bytes
            .map(|b| {
                format!(
                    "{} ({} per iteration)",
                    throughput(b, bench.ns.median),
                    show_bytes(Some(b))
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            md,
            "| {} | {} | {throughput} | {} |",
            bench.id,
            bench.ns.show(show_ns),
            bench.ns.n
        );
    }
    md.push('\n');
}
