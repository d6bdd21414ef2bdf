//! The load loop both end-to-end clients run: Stratus's (`stratus-e2e`, in this crate) and
//! the official SDK's (`official-e2e`, in `benches/compare`, which includes this file as a
//! module of its own, so it uses nothing but `std` and tokio).
//!
//! `tasks` tasks on one current-thread tokio runtime each call the operation in a loop
//! until the time is up. Calls that start during the warm-up are not counted; after it,
//! every call's latency is recorded, and the time counted runs from the first counted
//! call's start to the last one's end (so a long call straddling the end of the warm-up
//! does not count as idle time). Scenarios that move a known number of bytes per call (a
//! response parsed, an object streamed) say so with [`Summary::with_bytes_per_call`], and
//! the line reports MB/s too (10^6 bytes a second). `cpu_seconds` is the user and system
//! CPU time the whole process spent over the counted time (all its threads): where the
//! network or the server bounds the rate, it still tells the clients apart. The result is
//! one line of JSON on stdout, which `cargo xtask bench` reads:
//!
//! ```text
//! {"scenario":"asg","tasks":32,"calls":51234,"seconds":5.001,"calls_per_sec":10244.9,
//!  "p50_us":3012.0,"p90_us":3400.5,"p99_us":5120.2,"max_us":9001.0,"peak_rss_kb":11234,
//!  "bytes_per_call":0,"mb_per_sec":0.0,"cpu_seconds":4.93}
//! ```

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one run measures, from the command line:
/// `BIN SCENARIO [--endpoint URL] [--tasks N] [--seconds S] [--warmup S]`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The scenario name; each binary knows the same set (see `SCENARIOS`).
    pub scenario: String,
    /// The canned-response server, for the scenarios that use the network.
    pub endpoint: Option<String>,
    /// Concurrent tasks, each calling in a loop.
    pub tasks: usize,
    /// How long calls are counted, after the warm-up.
    pub measure: Duration,
    /// How long calls run before they are counted.
    pub warmup: Duration,
}

/// The scenarios both end-to-end binaries run, with what each measures.
pub const SCENARIOS: &[(&str, &str)] = &[
    (
        "asg",
        "DescribeAutoScalingGroups (50 groups) from the canned server on loopback",
    ),
    (
        "instances",
        "DescribeInstances (1,000 instances) from the canned server on loopback",
    ),
    (
        "instances-stub",
        "DescribeInstances (1,000 instances) from an in-memory HTTP client: parsing, in process",
    ),
    (
        "run-instances-stub",
        "RunInstances (nested request, 1-instance response) from an in-memory HTTP client",
    ),
    (
        "list-objects-stub",
        "S3 ListObjectsV2 (1,000 keys, fetch-owner) from an in-memory HTTP client: rest-xml parsing, in process",
    ),
    (
        "query-stub",
        "DynamoDB Query (750 orders, about 1 MB of JSON) from an in-memory HTTP client: awsJson parsing, in process",
    ),
    (
        "put-item-stub",
        "DynamoDB PutItem (one order of 20 attributes, `{}` response) from an in-memory HTTP client: serializing and signing",
    ),
    (
        "get-item",
        "DynamoDB GetItem (one order of 20 attributes) from the canned server on loopback",
    ),
    (
        "get-object",
        "S3 GetObject of 1 GiB from the canned server on loopback, read chunk by chunk, CRC32 validated",
    ),
    (
        "put-object",
        "S3 PutObject of 64 MiB from a stream of 64 KiB chunks of known total length, to the canned server on loopback, CRC32 trailer",
    ),
    (
        "distributions-stub",
        "CloudFront ListDistributions (100 distributions) from an in-memory HTTP client: rest-xml parsing, in process",
    ),
];

/// At most this many calls per task, whatever the duration: every loop is bounded.
const MAX_CALLS_PER_TASK: u64 = 10_000_000;

impl Options {
    /// Parses `std::env::args()`.
    pub fn from_args() -> Result<Options, String> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        Options::parse(&args)
    }

    pub fn parse(args: &[String]) -> Result<Options, String> {
        let usage = || {
            let names: Vec<&str> = SCENARIOS.iter().map(|(name, _)| *name).collect();
            format!(
                "usage: SCENARIO [--endpoint URL] [--tasks N] [--seconds S] [--warmup S]; scenarios: {}",
                names.join(", ")
            )
        };
        let mut it = args.iter();
        let scenario = it.next().ok_or_else(usage)?.clone();
        if !SCENARIOS.iter().any(|(name, _)| *name == scenario) {
            return Err(format!("unknown scenario `{scenario}`; {}", usage()));
        }
        let mut options = Options {
            scenario,
            endpoint: None,
            tasks: 1,
            measure: Duration::from_secs(5),
            warmup: Duration::from_secs(1),
        };
        while let Some(flag) = it.next() {
            let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let seconds = || {
                value
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s >= 0.0 && *s <= 3600.0)
                    .map(Duration::from_secs_f64)
                    .ok_or_else(|| format!("{flag}: `{value}` is not a number of seconds"))
            };
            match flag.as_str() {
                "--endpoint" => options.endpoint = Some(value.clone()),
                "--tasks" => {
                    options.tasks = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=1024).contains(n))
                        .ok_or_else(|| format!("--tasks: `{value}` is not 1..=1024"))?
                }
                "--seconds" => options.measure = seconds()?,
                "--warmup" => options.warmup = seconds()?,
                _ => return Err(format!("unknown option `{flag}`; {}", usage())),
            }
        }
        Ok(options)
    }

    /// The endpoint, for scenarios that need the server.
    pub fn endpoint(&self) -> Result<&str, String> {
        self.endpoint
            .as_deref()
            .ok_or_else(|| format!("scenario `{}` needs --endpoint URL", self.scenario))
    }
}

/// What a run measured.
#[derive(Debug, Clone)]
pub struct Summary {
    pub scenario: String,
    pub tasks: usize,
    /// Calls counted (started after the warm-up).
    pub calls: u64,
    /// From the end of the warm-up to the end of the last counted call.
    pub seconds: f64,
    pub calls_per_sec: f64,
    pub p50_us: f64,
    pub p90_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
    /// The process's peak resident set (`VmHWM`), in KiB.
    pub peak_rss_kb: u64,
    /// Bytes each call moves (the response parsed, the object streamed); 0 when the
    /// scenario does not say.
    pub bytes_per_call: u64,
    /// User and system CPU time of the process over the counted time, in seconds.
    pub cpu_seconds: f64,
}

impl Summary {
    /// The same summary, saying that each call moves `bytes` bytes.
    pub fn with_bytes_per_call(mut self, bytes: u64) -> Summary {
        self.bytes_per_call = bytes;
        self
    }

    /// Megabytes (10^6 bytes) a second, from the bytes each call moves.
    pub fn mb_per_sec(&self) -> f64 {
        self.calls_per_sec * self.bytes_per_call as f64 / 1e6
    }

    /// The line of JSON the binaries print.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"scenario\":\"{}\",\"tasks\":{},\"calls\":{},\"seconds\":{:.4},\"calls_per_sec\":{:.2},\
             \"p50_us\":{:.1},\"p90_us\":{:.1},\"p99_us\":{:.1},\"max_us\":{:.1},\"peak_rss_kb\":{},\
             \"bytes_per_call\":{},\"mb_per_sec\":{:.2},\"cpu_seconds\":{:.2}}}",
            self.scenario,
            self.tasks,
            self.calls,
            self.seconds,
            self.calls_per_sec,
            self.p50_us,
            self.p90_us,
            self.p99_us,
            self.max_us,
            self.peak_rss_kb,
            self.bytes_per_call,
            self.mb_per_sec(),
            self.cpu_seconds
        )
    }
}

/// What one task brings back.
struct TaskResult {
    latencies: Vec<Duration>,
    /// When the first counted call began, and the process's CPU time then.
    first_begin: Option<(Instant, f64)>,
    last_end: Instant,
    error: Option<String>,
}

/// Runs `call` from `options.tasks` tasks until the warm-up and measurement are over.
/// Must run inside a tokio runtime. The first failed call stops the run with its error:
/// a broken setup yields no figures.
pub async fn run<F, Fut>(options: &Options, call: F) -> Result<Summary, String>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let call = Arc::new(call);
    let start = Instant::now();
    let counted_from = start + options.warmup;
    let end = counted_from + options.measure;
    let mut handles = Vec::with_capacity(options.tasks);
    for _ in 0..options.tasks {
        let call = call.clone();
        handles.push(tokio::spawn(async move {
            let mut result = TaskResult {
                latencies: Vec::with_capacity(4096),
                first_begin: None,
                last_end: counted_from,
                error: None,
            };
            for _ in 0..MAX_CALLS_PER_TASK {
                let began = Instant::now();
                if began >= end {
                    break;
                }
                if let Err(error) = call().await {
                    result.error = Some(error);
                    break;
                }
                let finished = Instant::now();
                if began >= counted_from {
                    result.latencies.push(finished - began);
                    if result.first_begin.is_none() {
                        result.first_begin = Some((began, process_cpu_seconds()));
                    }
                    result.last_end = finished;
                }
            }
            result
        }));
    }
    let mut latencies = Vec::new();
    let mut first_begin: Option<(Instant, f64)> = None;
    let mut last_end = counted_from;
    for handle in handles {
        let result = handle
            .await
            .map_err(|e| format!("a load task failed: {e}"))?;
        if let Some(error) = result.error {
            return Err(format!("a call failed: {error}"));
        }
        latencies.extend(result.latencies);
        if let Some(began) = result.first_begin
            && first_begin.is_none_or(|first| began.0 < first.0)
        {
            first_begin = Some(began);
        }
        last_end = last_end.max(result.last_end);
    }
    if latencies.is_empty() {
        return Err("no call completed after the warm-up".into());
    }
    latencies.sort_unstable();
    let cpu_seconds = first_begin.map_or(0.0, |(_, cpu)| (process_cpu_seconds() - cpu).max(0.0));
    let from = first_begin.map_or(counted_from, |(began, _)| began);
    let seconds = (last_end - from).as_secs_f64().max(1e-9);
    let calls = latencies.len() as u64;
    Ok(Summary {
        scenario: options.scenario.clone(),
        tasks: options.tasks,
        calls,
        seconds,
        calls_per_sec: calls as f64 / seconds,
        p50_us: percentile_us(&latencies, 0.50),
        p90_us: percentile_us(&latencies, 0.90),
        p99_us: percentile_us(&latencies, 0.99),
        max_us: percentile_us(&latencies, 1.0),
        peak_rss_kb: peak_rss_kb(),
        bytes_per_call: 0,
        cpu_seconds,
    })
}

/// The nearest-rank percentile of sorted latencies, in microseconds.
fn percentile_us(sorted: &[Duration], q: f64) -> f64 {
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1e6
}

/// `VmHWM` of `/proc/self/status`: the peak resident set, in KiB (0 where unknown).
pub fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// User plus system CPU time of the whole process so far, in seconds (fields 14 and 15 of
/// `/proc/self/stat`, in the kernel's fixed 100 ticks a second; 0 where unknown).
pub fn process_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // The command name (field 2) may hold spaces: count fields after its `)`.
            let rest = &stat[stat.rfind(')')? + 1..];
            let mut fields = rest.split_whitespace().skip(11);
            let user: u64 = fields.next()?.parse().ok()?;
            let system: u64 = fields.next()?.parse().ok()?;
            Some((user + system) as f64 / 100.0)
        })
        .unwrap_or(0.0)
}

/// Runs a scenario on a current-thread runtime and prints its summary; the binaries'
/// `main` is this plus the table of calls.
pub fn main_with<F, Fut>(run_scenario: F) -> std::process::ExitCode
where
    F: FnOnce(Options) -> Fut,
    Fut: Future<Output = Result<Summary, String>>,
{
    let outcome = Options::from_args().and_then(|options| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("starting tokio: {e}"))?;
        runtime.block_on(run_scenario(options))
    });
    match outcome {
        Ok(summary) => {
            println!("{}", summary.to_json());
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_micros).collect();
        assert_eq!(percentile_us(&sorted, 0.5), 50.0);
        assert_eq!(percentile_us(&sorted, 0.99), 99.0);
        assert_eq!(percentile_us(&sorted, 1.0), 100.0);
        assert_eq!(percentile_us(&sorted[..1], 0.9), 1.0);
    }

    #[test]
    fn options_parse() {
        let args: Vec<String> = [
            "asg",
            "--tasks",
            "32",
            "--seconds",
            "0.5",
            "--endpoint",
            "x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let options = Options::parse(&args).expect("parses");
        assert_eq!(options.tasks, 32);
        assert_eq!(options.measure, Duration::from_millis(500));
        assert_eq!(options.endpoint(), Ok("x"));
        assert!(Options::parse(&["nope".to_string()]).is_err());
    }

    #[test]
    fn reads_the_process_cpu_time() {
        let before = process_cpu_seconds();
        let start = Instant::now();
        let mut spin = 0u64;
        while start.elapsed() < Duration::from_millis(60) {
            spin = std::hint::black_box(spin.wrapping_add(1));
        }
        assert!(process_cpu_seconds() > before, "{spin}");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn run_counts_calls_after_the_warm_up() {
        let options = Options {
            scenario: "asg".into(),
            endpoint: None,
            tasks: 2,
            measure: Duration::from_millis(50),
            warmup: Duration::from_millis(10),
        };
        let summary = run(&options, || async {
            tokio::time::sleep(Duration::from_millis(1)).await;
            Ok(())
        })
        .await
        .expect("runs");
        assert!(summary.calls > 10, "{summary:?}");
        assert!(summary.cpu_seconds >= 0.0 && summary.cpu_seconds < 10.0);
        assert!(summary.p50_us >= 1000.0);
        assert!(summary.to_json().starts_with("{\"scenario\":\"asg\""));
        let moving = summary.clone().with_bytes_per_call(1_000_000);
        assert!((moving.mb_per_sec() - moving.calls_per_sec).abs() < 1e-9);
        assert!(moving.to_json().contains("\"bytes_per_call\":1000000"));
        let failing = run(&options, || async { Err("boom".to_string()) }).await;
        assert_eq!(failing.unwrap_err(), "a call failed: boom");
    }
}
