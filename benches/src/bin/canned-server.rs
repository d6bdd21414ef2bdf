//! The canned-response server of the end-to-end benchmarks: HTTP/1.1 with keep-alive on
//! 127.0.0.1, a thread per connection, answering query-protocol requests by their
//! `Action` with responses built once at start (`stratus_benches::fixtures`):
//!
//! | `Action` | response |
//! |---|---|
//! | `DescribeAutoScalingGroups` | 50 groups |
//! | `DescribeInstances` | 1,000 instances |
//! | `RunInstances` | one instance |
//! | anything else | 400 with an `InvalidAction` error |
//!
//! ```text
//! canned-server [--port N] [--max-seconds S] [--until-stdin-closes]
//! ```
//!
//! It prints `listening on http://127.0.0.1:PORT` and serves until `--max-seconds`
//! (default 3600) pass, or, with `--until-stdin-closes`, until its standard input closes
//! too (`cargo xtask bench` holds it open, so the server never outlives the run). The same
//! server answers the Stratus client and the official SDK, so its own cost is the same for
//! both.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use stratus_benches::fixtures;

struct Responses {
    describe_auto_scaling_groups: Vec<u8>,
    describe_instances: Vec<u8>,
    run_instances: Vec<u8>,
    invalid_action: Vec<u8>,
}

impl Responses {
    fn build() -> Responses {
        Responses {
            describe_auto_scaling_groups: response(
                200,
                &fixtures::describe_auto_scaling_groups_response(fixtures::ASG_GROUPS),
            ),
            describe_instances: response(
                200,
                &fixtures::describe_instances_response(fixtures::EC2_INSTANCES),
            ),
            run_instances: response(200, &fixtures::run_instances_response()),
            invalid_action: response(
                400,
                "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>\
                 <Message>The canned server does not answer this action.</Message></Error>\
                 <RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>",
            ),
        }
    }

    fn for_action(&self, action: &[u8]) -> &[u8] {
        match action {
            b"DescribeAutoScalingGroups" => &self.describe_auto_scaling_groups,
            b"DescribeInstances" => &self.describe_instances,
            b"RunInstances" => &self.run_instances,
            _ => &self.invalid_action,
        }
    }
}

/// Status line, headers and body, ready to write in one call.
fn response(status: u16, body: &str) -> Vec<u8> {
    let reason = if status == 200 { "OK" } else { "Bad Request" };
    let mut bytes = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\
         x-amzn-RequestId: 5c3a1b0e-9f0d-4c36-8d8e-2f1d6a7b9c10\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

fn main() -> ExitCode {
    let mut port = 0u16;
    let mut max_seconds = 3600u64;
    let mut until_stdin_closes = false;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--until-stdin-closes" {
            until_stdin_closes = true;
            continue;
        }
        let value = args.next().unwrap_or_default();
        let parsed = match flag.as_str() {
            "--port" => value.parse().map(|p| port = p).is_ok(),
            "--max-seconds" => value.parse().map(|s| max_seconds = s).is_ok(),
            _ => false,
        };
        if !parsed {
            eprintln!("usage: canned-server [--port N] [--max-seconds S] [--until-stdin-closes]");
            return ExitCode::FAILURE;
        }
    }
    let listener = match TcpListener::bind(("127.0.0.1", port)) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: binding 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let address = match listener.local_addr() {
        Ok(address) => address,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let responses = Arc::new(Responses::build());
    println!("listening on http://{address}");
    let _ = io::stdout().flush();

    // Stop at the deadline, or when whoever started us closes our standard input.
    if until_stdin_closes {
        std::thread::spawn(|| {
            let _ = io::copy(&mut io::stdin().lock(), &mut io::sink());
            std::process::exit(0);
        });
    }
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(max_seconds));
        std::process::exit(0);
    });

    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(e) => {
                // Out of file descriptors and the like: say so, and don't spin.
                eprintln!("canned-server: accept failed: {e}");
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let responses = responses.clone();
        std::thread::spawn(move || {
            // A client closing its connection is the normal end of one.
            if let Err(e) = serve(stream, &responses)
                && e.kind() != io::ErrorKind::UnexpectedEof
            {
                eprintln!("canned-server: connection ended with an error: {e}");
            }
        });
    }
    ExitCode::SUCCESS
}

/// Answers requests on one connection until the client closes it or asks to.
fn serve(stream: TcpStream, responses: &Responses) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::with_capacity(64 * 1024, stream);
    let mut line = Vec::with_capacity(256);
    let mut body = Vec::with_capacity(8 * 1024);
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let mut content_length = 0usize;
        let mut chunked = false;
        let mut close = false;
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                return Ok(());
            }
            let header = trim(&line);
            if header.is_empty() {
                break;
            }
            let Some(colon) = header.iter().position(|&b| b == b':') else {
                continue;
            };
            let (name, value) = (&header[..colon], trim(&header[colon + 1..]));
            if name.eq_ignore_ascii_case(b"content-length") {
                content_length = std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| {
                        io::Error::new(io::ErrorKind::InvalidData, "bad Content-Length")
                    })?;
                if content_length > MAX_BODY {
                    return Err(too_large());
                }
            } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
                chunked = value.eq_ignore_ascii_case(b"chunked");
            } else if name.eq_ignore_ascii_case(b"connection") {
                close = value.eq_ignore_ascii_case(b"close");
            } else if name.eq_ignore_ascii_case(b"expect")
                && value.eq_ignore_ascii_case(b"100-continue")
            {
                writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
            }
        }
        body.clear();
        if chunked {
            read_chunked(&mut reader, &mut body)?;
        } else {
            body.resize(content_length, 0);
            reader.read_exact(&mut body)?;
        }
        writer.write_all(responses.for_action(action(&body)))?;
        if close {
            return Ok(());
        }
    }
}

/// The value of `Action` in a form-encoded body (empty if there is none).
fn action(body: &[u8]) -> &[u8] {
    body.split(|&b| b == b'&')
        .find_map(|pair| pair.strip_prefix(b"Action="))
        .unwrap_or(b"")
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Reads a chunked body (and its trailers) into `body`.
/// The largest request body accepted: requests in the benchmarks are a few KiB, and a
/// larger size is a broken client, refused rather than allocated.
const MAX_BODY: usize = 16 << 20;

fn too_large() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("request body over {MAX_BODY} bytes"),
    )
}

fn read_chunked(reader: &mut impl BufRead, body: &mut Vec<u8>) -> io::Result<()> {
    let mut line = Vec::new();
    loop {
        line.clear();
        reader.read_until(b'\n', &mut line)?;
        let size = trim(&line);
        let size = size.split(|&b| b == b';').next().unwrap_or(b"");
        let size = std::str::from_utf8(size)
            .ok()
            .and_then(|s| usize::from_str_radix(s, 16).ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
        if size == 0 {
            // Trailers, up to the empty line.
            loop {
                line.clear();
                if reader.read_until(b'\n', &mut line)? == 0 || trim(&line).is_empty() {
                    return Ok(());
                }
            }
        }
        let start = body.len();
        let end = start
            .checked_add(size)
            .filter(|end| *end <= MAX_BODY)
            .ok_or_else(too_large)?;
        body.resize(end, 0);
        reader.read_exact(&mut body[start..])?;
        line.clear();
        reader.read_until(b'\n', &mut line)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_action() {
        assert_eq!(
            action(b"Action=DescribeInstances&Version=2016-11-15"),
            b"DescribeInstances"
        );
        assert_eq!(action(b"Version=1&Action=RunInstances"), b"RunInstances");
        assert_eq!(action(b"Version=1"), b"");
    }

    #[test]
    fn reads_chunked_bodies() {
        let mut input = &b"6\r\nAction\r\n3;x=y\r\n=Ru\r\n0\r\nTrailer: 1\r\n\r\nrest"[..];
        let mut body = Vec::new();
        read_chunked(&mut input, &mut body).expect("reads");
        assert_eq!(body, b"Action=Ru");
        assert_eq!(input, b"rest");
    }
}
