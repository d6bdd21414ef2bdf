//! End to end: the canned-response server, both SDKs' clients against it (and through
//! in-memory HTTP clients), and the small programs' sizes, cold calls and builds.

use super::*;

/// The canned-response server, stopped when dropped.
pub(super) struct Server {
    pub(super) child: Child,
    pub(super) url: String,
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
pub(super) fn client_env(command: &mut Command, ctx: &Ctx) {
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

pub(super) fn end_to_end(ctx: &mut Ctx, runs: usize) -> Result<()> {
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
pub(super) fn record_failure(report: &mut Report, what: &str, error: &anyhow::Error) -> String {
    let text = format!("{what}: {error:#}");
    eprintln!("bench: {text}");
    report.failures.push(text);
    format!("{error:#}")
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

pub(super) fn parse_e2e(stdout: &str) -> Result<E2eRun> {
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

pub(super) fn small_programs(ctx: &mut Ctx, server: &Server) {
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
pub(super) fn clean_small_build(ctx: &mut Ctx, package: &str) -> Result<(Timed, PathBuf)> {
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
pub(super) fn cold_calls(
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
