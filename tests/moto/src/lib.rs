//! `stratus-moto`: moto in server mode, started through `tests/moto/run-moto.sh` (which
//! installs it into a virtualenv under `target/` on first use) on a free port of 127.0.0.1,
//! and stopped when the process that started it ends. The end-to-end tests use it (as
//! `stratus_tests::moto`), and so does `cargo xtask demo`; it needs nothing but the standard
//! library, so xtask stays quick to build.
//!
//! Everything the script and moto print goes to `target/moto-logs/moto-<port>.log`, never
//! to a pipe nobody reads (a full pipe would block moto mid-request); failures quote the
//! log's last lines.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long moto may take to answer, installation into a fresh virtualenv included (about
/// 45 s from PyPI without a pip cache on this kind of machine).
const START_LIMIT: Duration = Duration::from_secs(600);

/// A running moto server.
pub struct Moto {
    child: Mutex<Child>,
    port: u16,
    log: PathBuf,
}

impl Moto {
    /// Starts a server with these extra environment variables and waits until it answers.
    pub fn start(env: &[(&str, &str)]) -> Result<Moto, String> {
        let port = free_port()?;
        let scripts = Path::new(env!("CARGO_MANIFEST_DIR"));
        let script = scripts.join("run-moto.sh");
        let logs = scripts.join("../../target/moto-logs");
        std::fs::create_dir_all(&logs)
            .map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
        let log = logs.join(format!("moto-{port}.log"));
        let file = std::fs::File::create(&log)
            .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let file2 = file
            .try_clone()
            .map_err(|e| format!("cannot share {}: {e}", log.display()))?;
        let child = Command::new("bash")
            .arg(&script)
            .arg(port.to_string())
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(file2)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        let moto = Moto {
            child: Mutex::new(child),
            port,
            log,
        };
        moto.wait_ready(START_LIMIT)?;
        Ok(moto)
    }

    /// One server per test process, started on first use with signature checking on after
    /// `no_auth_calls` unauthenticated calls.
    pub fn shared(no_auth_calls: u32) -> &'static Moto {
        static SHARED: OnceLock<Moto> = OnceLock::new();
        SHARED.get_or_init(|| {
            let count = no_auth_calls.to_string();
            Moto::start(&[("INITIAL_NO_AUTH_ACTION_COUNT", &count)])
                .unwrap_or_else(|e| panic!("moto did not start: {e}"))
        })
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    fn wait_ready(&self, limit: Duration) -> Result<(), String> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.lock().try_wait().map_err(|e| e.to_string())? {
                return Err(format!("moto exited with {status}\n{}", self.log_tail()));
            }
            if http_get(self.port, "/moto-api/").is_ok_and(|status| status == 200) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(format!(
            "moto did not answer on port {} within {limit:?}\n{}",
            self.port,
            self.log_tail()
        ))
    }

    /// The last lines of the server's log, to quote in a failure.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(40)..].join("\n");
        format!("last lines of {}:\n{tail}", self.log.display())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Child> {
        self.child.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let mut child = self.lock();
        // SIGTERM lets the script stop moto; a test process that never drops its shared
        // server is covered by the script watching its parent.
        let _ = Command::new("kill").arg(child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// The Python of the virtualenv moto is installed in (installing it on first use), where
/// botocore is too: the tests use botocore as the reference for requests and presigned URLs.
pub fn python() -> Result<PathBuf, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("venv.sh");
    let venv = Command::new("bash")
        .arg(&script)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if !venv.status.success() {
        return Err(String::from_utf8_lossy(&venv.stderr).into_owned());
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&venv.stdout).trim()).join("bin/python"))
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// A minimal HTTP/1.0 GET on 127.0.0.1, returning the status code.
pub fn http_get(port: u16, path: &str) -> Result<u16, String> {
    http_get_body(port, path).map(|(status, _)| status)
}

/// A minimal HTTP/1.0 GET on 127.0.0.1 (a plain client, nothing of Stratus), returning the
/// status code and the body.
pub fn http_get_body(port: u16, path: &str) -> Result<(u16, String), String> {
    http_get_with_host(port, &format!("127.0.0.1:{port}"), path)
}

/// The same with the `Host` header of another name that resolves to 127.0.0.1.
pub fn http_get_with_host(port: u16, host: &str, path: &str) -> Result<(u16, String), String> {
    let (status, body) = http_request(port, "GET", path, &[("Host", host)], b"")?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// A minimal HTTP/1.0 request on 127.0.0.1 (a plain client, nothing of Stratus): `method`
/// and `path` as given, a `Host` header unless `headers` has one, `Content-Length` when
/// there is a body, and nothing else. Returns the status code and the body.
pub fn http_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<(u16, Vec<u8>), String> {
    use std::io::Write;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut head = format!("{method} {path} HTTP/1.0\r\n");
    if !headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("host"))
    {
        head.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "PUT" || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body))
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| e.to_string())?;
    let status = std::str::from_utf8(response.get(9..12).unwrap_or_default())
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| "not an HTTP response".to_string())?;
    let body = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| response[at + 4..].to_vec())
        .unwrap_or_default();
    Ok((status, body))
}
