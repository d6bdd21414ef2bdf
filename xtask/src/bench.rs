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

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime};

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

fn machine(ctx: &Ctx) -> Vec<(String, String)> {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let ram = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map(|kb| format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0))
        .unwrap_or_else(|| "unknown".into());
    let os = fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|k| k.trim().to_string())
        .unwrap_or_else(|_| "unknown".into());
    let version_of = |program: &str, arg: &str| {
        Command::new(program)
            .arg(arg)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "unknown".into())
    };
    let mut commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(&ctx.root)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(&ctx.root)
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false);
    if dirty {
        commit.push_str(" (with uncommitted changes)");
    }
    let mut rows = vec![
        ("date (UTC)".to_string(), utc_now()),
        ("CPU".into(), cpu),
        ("cores".into(), cores.to_string()),
        ("memory".into(), ram),
        ("OS".into(), format!("{os}, Linux {kernel}")),
        ("rustc".into(), version_of("rustc", "-V")),
        ("cargo".into(), version_of(&ctx.cargo, "-V")),
        ("Stratus".into(), commit),
    ];
    if ctx.official {
        let lock = fs::read_to_string(ctx.compare_dir().join("Cargo.lock")).unwrap_or_default();
        let versions: Vec<String> = [
            "aws-config",
            "aws-sdk-autoscaling",
            "aws-sdk-ec2",
            "aws-sdk-s3",
            "aws-sdk-cloudfront",
        ]
        .iter()
        .map(|name| format!("{name} {}", locked_version(&lock, name).unwrap_or("?")))
        .collect();
        rows.push((
            "official SDK".into(),
            format!(
                "{} (benches/compare/Cargo.lock, default features)",
                versions.join(", ")
            ),
        ));
    }
    if let Ok(flags) = std::env::var("RUSTFLAGS") {
        rows.push(("RUSTFLAGS".into(), flags));
    }
    rows.push(("load average before".into(), load_average()));
    rows
}

fn locked_version<'a>(lock: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == needle {
            return lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
                .map(|v| v.trim_matches('"'));
        }
    }
    None
}

fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Now, as `YYYY-MM-DD HH:MM` in UTC.
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// The proleptic Gregorian date of a count of days since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift to a calendar whose years start on March 1st, in 400-year eras.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

// ---------------------------------------------------------------------------------------
// 1. The binaries

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

fn criterion(ctx: &mut Ctx) {
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

fn run_criterion(ctx: &mut Ctx, bench: &str) -> Result<Vec<CriterionBench>> {
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
fn read_criterion(home: &Path) -> Result<Vec<CriterionBench>> {
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

/// The canned-response server, stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(binary: &Path) -> Result<Server> {
        let mut child = Command::new(binary)
            .args(["--max-seconds", "7200", "--until-stdin-closes"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("server stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let Some(url) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            bail!("the canned server said `{}`", line.trim());
        };
        Ok(Server {
            url: url.to_string(),
            child,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The environment of every client process: nothing from the user's AWS setup, no
/// instance-metadata lookups.
fn client_env(command: &mut Command, ctx: &Ctx) {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            command.env_remove(&key);
        }
    }
    let nowhere = ctx.work.join("no-aws-config");
    command
        .env("AWS_CONFIG_FILE", &nowhere)
        .env("AWS_SHARED_CREDENTIALS_FILE", &nowhere)
        .env("AWS_EC2_METADATA_DISABLED", "true");
}

fn end_to_end(ctx: &mut Ctx, runs: usize) -> Result<()> {
    let (seconds, warmup) = if ctx.quick { (2.0, 0.5) } else { (5.0, 1.0) };
    ctx.report.e2e_settings = format!(
        "{runs} runs per SDK and scenario, alternating which SDK goes first; each run a fresh \
         process: {warmup} s warm-up, then {seconds} s counted"
    );
    let server = Server::start(&ctx.release_bin("canned-server"))?;
    println!("==> end to end against {} ({runs} runs)", server.url);
    let sdks: &[Sdk] = if ctx.official {
        &[Sdk::Stratus, Sdk::Official]
    } else {
        &[Sdk::Stratus]
    };
    let seconds_arg = seconds.to_string();
    let warmup_arg = warmup.to_string();
    for &(scenario, tasks, _) in E2E {
        let mut rows: Vec<E2eRow> = sdks
            .iter()
            .map(|&sdk| E2eRow {
                scenario,
                tasks,
                sdk,
                runs: Vec::new(),
                error: None,
            })
            .collect();
        for run in 0..runs {
            let order: Vec<usize> = if run % 2 == 0 {
                (0..rows.len()).collect()
            } else {
                (0..rows.len()).rev().collect()
            };
            for index in order {
                let row = &mut rows[index];
                if row.error.is_some() {
                    continue;
                }
                let binary = match row.sdk {
                    Sdk::Stratus => ctx.release_bin("stratus-e2e"),
                    Sdk::Official => ctx.compare_bin("official-e2e"),
                };
                let tasks_arg = tasks.to_string();
                let mut args = vec![
                    scenario,
                    "--tasks",
                    &tasks_arg,
                    "--seconds",
                    &seconds_arg,
                    "--warmup",
                    &warmup_arg,
                ];
                if !scenario.ends_with("-stub") {
                    args.extend(["--endpoint", &server.url]);
                }
                if run == 0 {
                    let name = binary.file_name().unwrap_or_default().to_string_lossy();
                    let shown = args.join(" ").replace(&server.url, "http://127.0.0.1:PORT");
                    ctx.report.commands.push(format!("{name} {shown}"));
                }
                let mut command = Command::new(&binary);
                command.args(&args);
                client_env(&mut command, ctx);
                let limit = Duration::from_secs_f64(seconds + warmup + 120.0);
                match run_bounded(command, limit).and_then(|(status, stdout)| {
                    if !status.success() {
                        bail!("{} {scenario} failed ({status})", binary.display());
                    }
                    parse_e2e(&stdout)
                }) {
                    Ok(result) => {
                        let rate = result
                            .mb_per_sec
                            .map(|mb| format!(" ({mb:.0} MB/s)"))
                            .unwrap_or_default();
                        println!(
                            "    {scenario} x{tasks} {:>12}: {:>10.1} calls/s{rate}, p50 {:.0} us, p99 {:.0} us, {} calls, peak RSS {}",
                            row.sdk.name(),
                            result.calls_per_sec,
                            result.p50_us,
                            result.p99_us,
                            result.calls,
                            show_kb(Some(result.peak_rss_kb))
                        );
                        row.runs.push(result);
                    }
                    Err(e) => {
                        let what = format!("e2e {scenario} x{tasks} ({})", row.sdk.name());
                        row.error = Some(record_failure(&mut ctx.report, &what, &e));
                    }
                }
            }
        }
        ctx.report.e2e.extend(rows);
    }
    small_programs(ctx, &server);
    drop(server);
    Ok(())
}

/// `Ctx::failed` for when the context is borrowed elsewhere.
/// Records a failed measurement in the report (whole) and returns the first line of the
/// error, for a table cell. A free function so callers holding a row of `ctx` can use it.
fn record_failure(report: &mut Report, what: &str, error: &anyhow::Error) -> String {
    let text = format!("{what}: {error:#}");
    eprintln!("bench: {text}");
    report.failures.push(text);
    format!("{error:#}")
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn parse_e2e(stdout: &str) -> Result<E2eRun> {
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .context("the e2e binary printed no result")?;
    let json: Value = serde_json::from_str(line).context("parsing the e2e result")?;
    let number = |key: &str| json[key].as_f64().with_context(|| format!("no `{key}`"));
    Ok(E2eRun {
        calls_per_sec: number("calls_per_sec")?,
        mb_per_sec: json["mb_per_sec"]
            .as_f64()
            .filter(|_| json["bytes_per_call"].as_u64().unwrap_or(0) > 0),
        cpu_us_per_call: json["cpu_seconds"]
            .as_f64()
            .zip(json["calls"].as_u64().filter(|c| *c > 0))
            .map(|(cpu, calls)| cpu * 1e6 / calls as f64),
        p50_us: number("p50_us")?,
        p90_us: number("p90_us")?,
        p99_us: number("p99_us")?,
        peak_rss_kb: json["peak_rss_kb"].as_u64().unwrap_or(0),
        calls: json["calls"].as_u64().unwrap_or(0),
    })
}

// ---------------------------------------------------------------------------------------
// 4. The small programs

fn small_programs(ctx: &mut Ctx, server: &Server) {
    if !ctx.official {
        return;
    }
    println!("==> small programs: size, one cold call, clean build");
    for (sdk, package) in [
        (Sdk::Stratus, "small-stratus"),
        (Sdk::Official, "small-official"),
    ] {
        let mut program = SmallProgram {
            sdk,
            package,
            bytes: None,
            stripped_bytes: None,
            cold_call: None,
            clean_build: None,
        };
        let mut binary = ctx.compare_bin(package);
        if !ctx.quick {
            let result = clean_small_build(ctx, package);
            match result {
                Ok((timed, built)) => {
                    println!("    {package}: clean release build {:.1} s", timed.seconds);
                    binary = built;
                    program.clean_build = Some(Ok(timed));
                }
                Err(e) => {
                    let shown = ctx.failed(&format!("clean build of {package}"), &e);
                    program.clean_build = Some(Err(shown));
                }
            }
        }
        program.bytes = fs::metadata(&binary).ok().map(|m| m.len());
        let stripped = ctx.work.join(format!("{package}.stripped"));
        let strip_ok = Command::new("strip")
            .arg("-o")
            .arg(&stripped)
            .arg(&binary)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        ctx.report.commands.push(format!(
            "strip -o target/bench/{package}.stripped {}",
            ctx.relative(&binary.display().to_string())
        ));
        if strip_ok {
            program.stripped_bytes = fs::metadata(&stripped).ok().map(|m| m.len());
            ctx.report.commands.push(format!(
                "AWS_ENDPOINT_URL=http://127.0.0.1:PORT AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=… \
                 AWS_SECRET_ACCESS_KEY=… target/bench/{package}.stripped   # 3 times"
            ));
            program.cold_call = Some(cold_calls(ctx, package, &stripped, server).map_err(|e| {
                record_failure(&mut ctx.report, &format!("cold call of {package}"), &e)
            }));
        }
        let _ = fs::remove_file(&stripped);
        // A clean build's target dir goes once its binary is measured.
        let _ = remove_dir(&ctx.work.join(format!("clean-{package}")));
        ctx.report.small.push(program);
    }
}

/// A clean release build of a small program in a fresh target dir; returns the timing and
/// the binary built.
fn clean_small_build(ctx: &mut Ctx, package: &str) -> Result<(Timed, PathBuf)> {
    let target = ctx.fresh_dir(&format!("clean-{package}"))?;
    let target_arg = target.display().to_string();
    let (command, shown) = ctx.cargo(
        &ctx.compare_dir(),
        &[
            "build",
            "--release",
            "-p",
            package,
            "--target-dir",
            &target_arg,
        ],
        &[],
    );
    ctx.report.commands.push(shown);
    let timed = ctx.timed(command, &format!("clean-{package}"))?;
    Ok((timed, target.join("release").join(package)))
}

/// Three runs of a small program against the canned server, from the environment as a
/// user would configure it: wall time per run and the largest peak RSS.
fn cold_calls(
    ctx: &mut Ctx,
    package: &str,
    binary: &Path,
    server: &Server,
) -> Result<(Stat, Option<u64>)> {
    let mut seconds = Vec::new();
    let mut rss = None;
    for run in 0..3 {
        let mut command = Command::new(binary);
        client_env(&mut command, ctx);
        command
            .env("AWS_ENDPOINT_URL", &server.url)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env(
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            )
            .env("AWS_MAX_ATTEMPTS", "1");
        let timed = ctx.timed(command, &format!("cold-{package}-{run}"))?;
        let groups = timed
            .stdout
            .lines()
            .filter(|l| l.contains(": 3 instances"))
            .count();
        if groups != 50 {
            bail!("{package} printed {groups} groups, expected 50");
        }
        seconds.push(timed.seconds);
        rss = rss.max(timed.peak_rss_kb);
    }
    Ok((Stat::of(&seconds).context("no runs")?, rss))
}

// ---------------------------------------------------------------------------------------
// 5. ec2-client and aws-sdk-ec2

fn ec2_builds(ctx: &mut Ctx) {
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

fn clean_release_build(ctx: &mut Ctx, sdk: Sdk, package: &str) -> Result<Timed> {
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

fn codegen_all(ctx: &mut Ctx, runs: usize) {
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

fn check_all(ctx: &mut Ctx) {
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
fn tier1(ctx: &mut Ctx) {
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
fn crate_name(root: &Path, service: &str) -> Result<String> {
    let path = root.join("sdk").join(service).join("Cargo.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("name = "))
        .map(|v| v.trim_matches('"').to_string())
        .with_context(|| format!("no package name in {}", path.display()))
}

// ---------------------------------------------------------------------------------------
// The report

fn show_ns(ns: f64) -> String {
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

fn show_us(us: f64) -> String {
    show_ns(us * 1e3)
}

fn show_secs(s: f64) -> String {
    if s < 10.0 {
        format!("{s:.2} s")
    } else if s < 120.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.0} s ({}m{:02}s)", (s / 60.0) as u64, (s % 60.0) as u64)
    }
}

fn show_rate(r: f64) -> String {
    if r >= 100.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

fn show_kb(kb: Option<u64>) -> String {
    match kb {
        Some(kb) if kb >= 1024 * 1024 => format!("{:.2} GiB", kb as f64 / 1024.0 / 1024.0),
        Some(kb) => format!("{:.1} MiB", kb as f64 / 1024.0),
        None => "n/a".into(),
    }
}

fn show_bytes(bytes: Option<u64>) -> String {
    match bytes {
        Some(b) if b >= 1024 * 1024 => format!("{:.2} MiB", b as f64 / 1024.0 / 1024.0),
        Some(b) => format!("{:.0} KiB", b as f64 / 1024.0),
        None => "n/a".into(),
    }
}

fn throughput(bytes: u64, ns: f64) -> String {
    let mb_per_s = bytes as f64 / (ns / 1e9) / 1e6;
    format!("{mb_per_s:.0} MB/s")
}

/// One target of the issue: what was measured, and whether it is met.
struct Target {
    what: &'static str,
    measured: String,
    met: Option<bool>,
}

fn targets(report: &Report) -> Vec<Target> {
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

fn render(ctx: &Ctx, args: &Args) -> String {
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
         the XML parsed, or the S3 object's body streamed. Client CPU per call: the client \
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

fn criterion_table(md: &mut String, benches: &[CriterionBench]) {
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
