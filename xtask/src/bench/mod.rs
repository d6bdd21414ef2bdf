//! `cargo xtask bench`: every benchmark of the project, side by side with the official AWS
//! SDK for Rust, written up as `BENCHMARKS.md` at the repository root.
//!
//! ```text
//! cargo xtask bench [--quick] [--no-check-all] [--no-official] [--runs N] [--out FILE]
//! ```
//!
//! In order (the timing-sensitive parts first, the long builds last):
//!
//! 1. builds the end-to-end binaries: `stratus-benches` (the canned-response server and
//!    `stratus-e2e`) in the workspace, and `benches/compare` (the official SDK's
//!    `official-e2e` and the two small programs) in its own target dir, `target/compare`;
//! 2. the criterion benches of `benches/` (`runtime`, `endpoints`);
//! 3. end to end against the canned server on 127.0.0.1 (and through in-memory HTTP
//!    clients), both SDKs alternately, `--runs` times each;
//! 4. the small programs: stripped sizes, one cold call each, clean release builds;
//! 5. clean release builds of `ec2-client` and `aws-sdk-ec2`;
//! 6. `cargo xtask codegen --all --out DIR`;
//! 7. `cargo xtask check-all` (from clean);
//! 8. clean debug builds of the workspace's SDK crates (`sdk/services.toml`), one by one.
//!
//! `--quick` keeps 1–4 less the clean builds, with shorter runs, and writes
//! `target/bench/BENCHMARKS-quick.md` unless `--out` says otherwise; `--no-check-all` skips
//! step 7; `--no-official` leaves the official SDK out (no crates.io needed). Every clean
//! build uses a fresh target dir under `target/bench/`, deleted once measured; logs stay in
//! `target/bench/logs/`. A step that fails is reported as failed and the run goes on.
//!
//! Here: the options, the run in order, the figures collected and the helpers that run
//! commands; `criterion` (step 2), `e2e` (steps 3 and 4), `builds` (5 to 8), `machine` (what
//! the report says about where it ran) and `report` (targets and Markdown).

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime};

mod builds;
mod criterion;
mod e2e;
mod machine;
mod report;

use builds::*;
use criterion::*;
use e2e::*;
use machine::*;
use report::*;

#[derive(Debug, Default)]
pub struct Args {
    quick: bool,
    no_check_all: bool,
    no_official: bool,
    runs: Option<usize>,
    out: Option<PathBuf>,
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Args> {
        let mut parsed = Args::default();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--quick" => parsed.quick = true,
                "--no-check-all" => parsed.no_check_all = true,
                "--no-official" => parsed.no_official = true,
                "--runs" => {
                    let value = it.next().context("--runs needs a number")?;
                    parsed.runs = Some(
                        value
                            .parse()
                            .ok()
                            .filter(|n| (1..=100).contains(n))
                            .with_context(|| format!("--runs: `{value}` is not 1..=100"))?,
                    );
                }
                "--out" => parsed.out = Some(it.next().context("--out needs a FILE")?.into()),
                other => bail!(
                    "unknown bench argument `{other}`\nusage: cargo xtask bench [--quick] [--no-check-all] [--no-official] [--runs N] [--out FILE]"
                ),
            }
        }
        Ok(parsed)
    }
}

/// The end-to-end scenarios: (scenario of the e2e binaries, concurrent tasks, what it is).
const E2E: &[(&str, usize, &str)] = &[
    (
        "asg",
        1,
        "`DescribeAutoScalingGroups` (50 groups), loopback, sequential",
    ),
    (
        "asg",
        32,
        "`DescribeAutoScalingGroups` (50 groups), loopback, 32 concurrent tasks",
    ),
    (
        "instances",
        1,
        "`DescribeInstances` (1,000 instances), loopback, sequential",
    ),
    (
        "instances-stub",
        1,
        "`DescribeInstances` (1,000 instances), in-memory HTTP client: parsing through the client",
    ),
    (
        "run-instances-stub",
        1,
        "`RunInstances` (nested request), in-memory HTTP client: serializing and signing through the client",
    ),
    (
        "list-objects-stub",
        1,
        "S3 `ListObjectsV2` (1,000 keys with owners, rest-xml), in-memory HTTP client: parsing through the client; MB/s of XML",
    ),
    (
        "distributions-stub",
        1,
        "CloudFront `ListDistributions` (100 distributions, rest-xml), in-memory HTTP client: parsing through the client; MB/s of XML",
    ),
    (
        "query-stub",
        1,
        "DynamoDB `Query` (750 orders of 20 attributes of every type but `BS`, maps and lists of maps among them; `Count`, `ScannedCount`, `LastEvaluatedKey`; about 1 MB of awsJson 1.0), in-memory HTTP client: parsing through the client; MB/s of JSON",
    ),
    (
        "put-item-stub",
        1,
        "DynamoDB `PutItem` of one order of 20 attributes (the same mix; built once, cloned per call on both sides), in-memory HTTP client answering `{}`: serializing and signing through the client",
    ),
    (
        "get-item",
        1,
        "DynamoDB `GetItem` of one order by its key (a 1.3 KB item of 20 attributes back), loopback, sequential",
    ),
    (
        "get-item",
        32,
        "DynamoDB `GetItem` of one order by its key, loopback, 32 concurrent tasks",
    ),
    (
        "get-object",
        1,
        "S3 `GetObject` of a 1 GiB object, loopback, path-style: the body read chunk by chunk (never whole) and its CRC32 validated (`x-amz-checksum-mode: ENABLED` on both; each run first checks that a wrong CRC32 fails the read); MB/s of body",
    ),
    (
        "put-object",
        1,
        "S3 `PutObject` of 64 MiB from a stream of 64 KiB chunks of known total length, loopback, path-style, default checksums: both send `aws-chunked` with a CRC32 trailer, which the server checks (over plain HTTP the official SDK also signs each chunk, Stratus sends `STREAMING-UNSIGNED-PAYLOAD-TRAILER`); MB/s of body",
    ),
];

/// Which SDK a figure is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sdk {
    Stratus,
    Official,
}

impl Sdk {
    fn name(self) -> &'static str {
        match self {
            Sdk::Stratus => "Stratus",
            Sdk::Official => "official SDK",
        }
    }
}

/// Minimum, median and maximum of some samples.
#[derive(Debug, Clone, Copy)]
struct Stat {
    min: f64,
    median: f64,
    max: f64,
    n: usize,
}

impl Stat {
    fn of(values: &[f64]) -> Option<Stat> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Stat {
            min: sorted[0],
            median,
            max: sorted[n - 1],
            n,
        })
    }

    fn show(&self, unit: fn(f64) -> String) -> String {
        if self.n == 1 {
            unit(self.median)
        } else {
            format!(
                "{} / **{}** / {}",
                unit(self.min),
                unit(self.median),
                unit(self.max)
            )
        }
    }
}

/// A command's wall time and, where GNU time is there to say, the peak RSS of its largest
/// process (for cargo: the largest rustc).
#[derive(Debug, Clone)]
struct Timed {
    seconds: f64,
    peak_rss_kb: Option<u64>,
    stdout: String,
}

/// One criterion benchmark: time per iteration over its samples, and bytes per iteration
/// where it declares a throughput.
#[derive(Debug, Clone)]
struct CriterionBench {
    id: String,
    ns: Stat,
    bytes: Option<u64>,
}

/// One run of an e2e binary (the JSON line of `stratus_benches::load`).
#[derive(Debug, Clone)]
struct E2eRun {
    calls_per_sec: f64,
    /// MB/s (10^6 bytes), for scenarios that say how many bytes a call moves.
    mb_per_sec: Option<f64>,
    /// The client process's CPU time (user and system) per counted call, in microseconds.
    cpu_us_per_call: Option<f64>,
    p50_us: f64,
    p90_us: f64,
    p99_us: f64,
    peak_rss_kb: u64,
    calls: u64,
}

#[derive(Debug, Clone)]
struct E2eRow {
    scenario: &'static str,
    tasks: usize,
    sdk: Sdk,
    runs: Vec<E2eRun>,
    error: Option<String>,
}

impl E2eRow {
    fn calls_per_sec(&self) -> Option<Stat> {
        Stat::of(
            &self
                .runs
                .iter()
                .map(|r| r.calls_per_sec)
                .collect::<Vec<_>>(),
        )
    }

    fn mb_per_sec(&self) -> Option<Stat> {
        Stat::of(
            &self
                .runs
                .iter()
                .filter_map(|r| r.mb_per_sec)
                .collect::<Vec<_>>(),
        )
    }

    fn peak_rss_kb(&self) -> Option<u64> {
        self.runs
            .iter()
            .map(|r| r.peak_rss_kb)
            .max()
            .filter(|kb| *kb > 0)
    }

    fn median_of(&self, f: fn(&E2eRun) -> f64) -> Option<f64> {
        Stat::of(&self.runs.iter().map(f).collect::<Vec<_>>()).map(|s| s.median)
    }
}

/// A small program: its size, one cold call, its clean release build.
#[derive(Debug, Clone)]
struct SmallProgram {
    sdk: Sdk,
    package: &'static str,
    bytes: Option<u64>,
    stripped_bytes: Option<u64>,
    cold_call: Option<Result<(Stat, Option<u64>), String>>,
    clean_build: Option<Result<Timed, String>>,
}

#[derive(Debug, Default)]
struct Report {
    machine: Vec<(String, String)>,
    commands: Vec<String>,
    criterion: Vec<CriterionBench>,
    endpoints: Option<Result<Vec<CriterionBench>, String>>,
    runtime_error: Option<String>,
    e2e: Vec<E2eRow>,
    e2e_settings: String,
    small: Vec<SmallProgram>,
    ec2_builds: Vec<(Sdk, &'static str, Result<Timed, String>)>,
    codegen: Option<Result<Vec<f64>, String>>,
    codegen_summary: Option<String>,
    check_all: Option<Result<Timed, String>>,
    tier1: Option<Result<Vec<(String, Timed)>, String>>,
    failures: Vec<String>,
}

/// What the steps share.
struct Ctx {
    root: PathBuf,
    cargo: String,
    work: PathBuf,
    logs: PathBuf,
    gnu_time: bool,
    quick: bool,
    official: bool,
    report: Report,
}

pub fn run(root: &Path, args: Args) -> Result<()> {
    let work = root.join("target/bench");
    let logs = work.join("logs");
    fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    let out = match &args.out {
        Some(out) => out.clone(),
        None if args.quick => work.join("BENCHMARKS-quick.md"),
        None => root.join("BENCHMARKS.md"),
    };
    let mut ctx = Ctx {
        root: root.to_path_buf(),
        cargo: std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()),
        work,
        logs,
        gnu_time: Path::new("/usr/bin/time").is_file(),
        quick: args.quick,
        official: !args.no_official,
        report: Report::default(),
    };
    if !ctx.gnu_time {
        println!("bench: /usr/bin/time (GNU time) not found: peak memory is not measured");
    }
    let started = Instant::now();
    ctx.report.machine = machine(&ctx);

    build_binaries(&mut ctx)?;
    criterion(&mut ctx);
    let runs = args.runs.unwrap_or(if args.quick { 2 } else { 5 });
    end_to_end(&mut ctx, runs)?;
    if !args.quick {
        ec2_builds(&mut ctx);
    }
    codegen_all(&mut ctx, if args.quick { 1 } else { 3 });
    if !args.quick && !args.no_check_all {
        check_all(&mut ctx);
    }
    if !args.quick {
        tier1(&mut ctx);
    }

    let elapsed = started.elapsed().as_secs_f64();
    ctx.report
        .machine
        .push(("load average after".into(), load_average()));
    ctx.report
        .machine
        .push(("run took".into(), format!("{:.0} min", elapsed / 60.0)));
    let text = render(&ctx, &args);
    if let Some(parent) = out.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(&out, &text).with_context(|| format!("writing {}", out.display()))?;
    println!("bench: wrote {} ({:.0} s)", out.display(), elapsed);
    for failure in &ctx.report.failures {
        println!("bench: failed: {failure}");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Running commands

impl Ctx {
    fn compare_dir(&self) -> PathBuf {
        self.root.join("benches/compare")
    }

    fn release_bin(&self, name: &str) -> PathBuf {
        self.root.join("target/release").join(name)
    }

    fn compare_bin(&self, name: &str) -> PathBuf {
        self.root.join("target/compare/release").join(name)
    }

    /// A cargo command in `dir`, and how the report shows it.
    fn cargo(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (Command, String) {
        let mut command = Command::new(&self.cargo);
        command.args(args).current_dir(dir);
        plain_cargo_env(&mut command);
        for (key, value) in env {
            command.env(key, value);
        }
        let env_shown: String = env.iter().map(|(k, v)| format!("{k}={v} ")).collect();
        let dir_shown = match dir.strip_prefix(&self.root) {
            Ok(rel) if rel.as_os_str().is_empty() => String::new(),
            Ok(rel) => format!("(cd {} && ", rel.display()),
            Err(_) => format!("(cd {} && ", dir.display()),
        };
        let close = if dir_shown.is_empty() { "" } else { ")" };
        // Paths in the arguments, relative to where the command runs.
        let up = dir
            .strip_prefix(&self.root)
            .map(|rel| "../".repeat(rel.components().count()))
            .unwrap_or_default();
        let shown_args = args
            .join(" ")
            .replace(&format!("{}/", self.root.display()), &up);
        let shown = format!("{dir_shown}{env_shown}cargo {shown_args}{close}");
        (command, shown)
    }

    /// Paths under the repository shown relative to it.
    fn relative(&self, text: &str) -> String {
        let root = format!("{}/", self.root.display());
        text.replace(&root, "")
    }

    /// Runs a command to completion, stderr (and then stdout) into `logs/<log>.log`,
    /// under GNU time when it is there. Fails with the log's tail if the command fails.
    fn timed(&self, command: Command, log: &str) -> Result<Timed> {
        let log_path = self.logs.join(format!("{log}.log"));
        let time_path = self.logs.join(format!("{log}.time"));
        let _ = fs::remove_file(&time_path);
        let mut command = if self.gnu_time {
            let mut wrapped = Command::new("/usr/bin/time");
            wrapped
                .arg("-v")
                .arg("-o")
                .arg(&time_path)
                .arg(command.get_program())
                .args(command.get_args());
            for (key, value) in command.get_envs() {
                match value {
                    Some(value) => wrapped.env(key, value),
                    None => wrapped.env_remove(key),
                };
            }
            if let Some(dir) = command.get_current_dir() {
                wrapped.current_dir(dir);
            }
            wrapped
        } else {
            command
        };
        let stderr = fs::File::create(&log_path)
            .with_context(|| format!("creating {}", log_path.display()))?;
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr);
        let start = Instant::now();
        let output = command
            .spawn()
            .with_context(|| format!("starting {:?}", command.get_program()))?
            .wait_with_output()?;
        let seconds = start.elapsed().as_secs_f64();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let mut log_text = fs::read_to_string(&log_path).unwrap_or_default();
        log_text.push_str(&stdout);
        let _ = fs::write(&log_path, &log_text);
        if !output.status.success() {
            bail!(
                "{} ({}); the end of {}:\n{}",
                log,
                output.status,
                self.relative(&log_path.display().to_string()),
                tail(&log_text, 25)
            );
        }
        let peak_rss_kb = fs::read_to_string(&time_path).ok().and_then(|text| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
                .and_then(|v| v.trim().parse().ok())
        });
        Ok(Timed {
            seconds,
            peak_rss_kb,
            stdout,
        })
    }

    /// A step's failure: reported, and the run goes on.
    fn failed(&mut self, what: &str, error: &anyhow::Error) -> String {
        record_failure(&mut self.report, what, error)
    }

    /// A fresh, empty directory under `target/bench/`.
    fn fresh_dir(&self, name: &str) -> Result<PathBuf> {
        let dir = self.work.join(name);
        remove_dir(&dir)?;
        fs::create_dir_all(&dir)?;
        Ok(dir)
    }
}

/// The environment of a nested cargo for a clean measurement: as a shell would give it
/// ([`crate::strip_package_env`]), and no compiler cache, which would make a clean build
/// anything but clean.
fn plain_cargo_env(command: &mut Command) {
    crate::strip_package_env(command);
    command.env_remove("RUSTC_WRAPPER");
    command.env_remove("CARGO_BUILD_RUSTC_WRAPPER");
}

fn remove_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    Ok(())
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Runs `command`, killing it if it is not done within `limit`; returns its status and
/// stdout (stderr is passed through).
fn run_bounded(mut command: Command, limit: Duration) -> Result<(ExitStatus, String)> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {:?}", command.get_program()))?;
    let mut stdout = child.stdout.take().context("child stdout")?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "{:?} did not finish within {} s",
                command.get_program(),
                limit.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = reader.join().unwrap_or_default();
    Ok((status, text))
}

// ---------------------------------------------------------------------------------------
// The machine

fn build_binaries(ctx: &mut Ctx) -> Result<()> {
    println!("==> building the end-to-end binaries (release)");
    let (command, shown) = ctx.cargo(
        &ctx.root,
        &["build", "--release", "-p", "stratus-benches", "--bins"],
        &[],
    );
    ctx.report.commands.push(shown);
    ctx.timed(command, "build-stratus-benches")
        .context("building stratus-benches")?;
    if ctx.official {
        let target = ctx.root.join("target/compare");
        let target = target.display().to_string();
        let (command, shown) = ctx.cargo(
            &ctx.compare_dir(),
            &["build", "--release", "--workspace", "--target-dir", &target],
            &[],
        );
        ctx.report.commands.push(shown);
        ctx.timed(command, "build-compare")
            .context("building benches/compare (the official SDK, from crates.io)")?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// 2. Criterion

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_783), (2026, 11, 26));
    }

    #[test]
    fn stats() {
        let s = Stat::of(&[3.0, 1.0, 2.0, 10.0]).expect("samples");
        assert_eq!((s.min, s.median, s.max, s.n), (1.0, 2.5, 10.0, 4));
        assert!(Stat::of(&[]).is_none());
    }

    #[test]
    fn locked_versions() {
        let lock = "[[package]]\nname = \"aws-sdk-ec2\"\nversion = \"1.2.3\"\n";
        assert_eq!(locked_version(lock, "aws-sdk-ec2"), Some("1.2.3"));
        assert_eq!(locked_version(lock, "aws-config"), None);
    }

    #[test]
    fn e2e_lines() {
        let line = r#"{"scenario":"get-object","tasks":1,"calls":3,"seconds":2.0,"calls_per_sec":1.5,"p50_us":1.0,"p90_us":2.0,"p99_us":3.0,"max_us":3.0,"peak_rss_kb":7000,"bytes_per_call":1073741824,"mb_per_sec":1610.61}"#;
        let run = parse_e2e(&format!("noise\n{line}\n")).expect("parses");
        assert_eq!(run.mb_per_sec, Some(1610.61));
        assert_eq!(run.cpu_us_per_call, None);
        let with_cpu = line.replace('}', r#","cpu_seconds":0.6}"#);
        let run = parse_e2e(&with_cpu).expect("parses");
        assert!((run.cpu_us_per_call.expect("cpu") - 200_000.0).abs() < 1e-6);
        assert_eq!(run.peak_rss_kb, 7000);
        // Lines of scenarios that move no stated bytes (and older binaries) have no MB/s.
        let older = r#"{"calls_per_sec":1.5,"p50_us":1.0,"p90_us":2.0,"p99_us":3.0}"#;
        assert_eq!(parse_e2e(older).expect("parses").mb_per_sec, None);
    }

    #[test]
    fn args() {
        let args: Vec<String> = ["--quick", "--runs", "3"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let parsed = Args::parse(&args).expect("parses");
        assert!(parsed.quick && parsed.runs == Some(3));
        assert!(Args::parse(&["--bogus".to_string()]).is_err());
    }
}
