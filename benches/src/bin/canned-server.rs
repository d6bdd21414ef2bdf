//! The canned-response server of the end-to-end benchmarks: HTTP/1.1 with keep-alive on
//! 127.0.0.1, a thread per connection, answering with responses built once at start
//! (`stratus_benches::fixtures`).
//!
//! Query-protocol requests (`POST /`, form-encoded) by their `Action`:
//!
//! | `Action` | response |
//! |---|---|
//! | `DescribeAutoScalingGroups` | 50 groups |
//! | `DescribeInstances` | 1,000 instances |
//! | `RunInstances` | one instance |
//! | anything else | 400 with an `InvalidAction` error |
//!
//! JSON-protocol requests (`POST /`, awsJson 1.0) by their `X-Amz-Target`, answered with
//! `Content-Type: application/x-amz-json-1.0`:
//!
//! | `X-Amz-Target` | response |
//! |---|---|
//! | `DynamoDB_20120810.GetItem` | one order (`fixtures::get_item_response`) |
//! | `DynamoDB_20120810.Query` | 750 orders (`fixtures::query_response`) |
//! | `DynamoDB_20120810.PutItem` | `{}` |
//! | anything else | 400 with an `UnknownOperationException` |
//!
//! S3 objects (path-style, `/{bucket}/{key}`), generated as they are sent and never held
//! in memory:
//!
//! | request | response |
//! |---|---|
//! | `GET /{bucket}/blobs/{N}.bin` | `N` bytes of `fixtures::object_block` repeated, with `Content-Length`, and the body's CRC32 in `x-amz-checksum-crc32` when the request says `x-amz-checksum-mode: ENABLED` |
//! | `GET /{bucket}/corrupt/{N}.bin` | the same with a wrong CRC32: a client that validates checksums must fail reading it |
//! | `PUT /{bucket}/{key}` | the body read and discarded (`Content-Length` or `Transfer-Encoding: chunked`, either of them with `Content-Encoding: aws-chunked`), its CRC32 checked against the `x-amz-checksum-crc32` header or trailer and its length against `x-amz-decoded-content-length`: 200 with an `ETag`, or 400 `BadDigest` / `IncompleteBody` |
//! | any other `GET` | 404 `NoSuchKey` |
//!
//! ```text
//! canned-server [--port N] [--max-seconds S] [--until-stdin-closes] [--log-requests]
//! ```
//!
//! It prints `listening on http://127.0.0.1:PORT` and serves until `--max-seconds`
//! (default 3600) pass, or, with `--until-stdin-closes`, until its standard input closes
//! too (`cargo xtask bench` holds it open, so the server never outlives the run).
//! `--log-requests` prints each request's line and the headers that say how its body came
//! to standard error. The same server answers the Stratus client and the official SDK, so
//! its own cost is the same for both.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use stratus_benches::fixtures;

const REQUEST_ID: &str = "5c3a1b0e-9f0d-4c36-8d8e-2f1d6a7b9c10";

/// The largest object served: S3's largest single `PUT`.
const MAX_OBJECT: u64 = 5 << 30;

struct Responses {
    describe_auto_scaling_groups: Vec<u8>,
    describe_instances: Vec<u8>,
    run_instances: Vec<u8>,
    invalid_action: Vec<u8>,
    get_item: Vec<u8>,
    query: Vec<u8>,
    put_item: Vec<u8>,
    unknown_operation: Vec<u8>,
    objects: Objects,
    log_requests: bool,
}

impl Responses {
    fn build(log_requests: bool) -> Responses {
        let objects = Objects {
            block: fixtures::object_block(),
            crc32: Mutex::new(HashMap::new()),
        };
        // The benchmark's object: its checksum is ready before the first request.
        objects.crc32(fixtures::GET_OBJECT_BYTES);
        Responses {
            describe_auto_scaling_groups: response(
                200,
                XML,
                &fixtures::describe_auto_scaling_groups_response(fixtures::ASG_GROUPS),
            ),
            describe_instances: response(
                200,
                XML,
                &fixtures::describe_instances_response(fixtures::EC2_INSTANCES),
            ),
            run_instances: response(200, XML, &fixtures::run_instances_response()),
            invalid_action: response(
                400,
                XML,
                "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>\
                 <Message>The canned server does not answer this action.</Message></Error>\
                 <RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>",
            ),
            get_item: response(200, JSON_1_0, &fixtures::get_item_response()),
            query: response(
                200,
                JSON_1_0,
                &fixtures::query_response(fixtures::DYNAMODB_QUERY_ITEMS),
            ),
            put_item: response(200, JSON_1_0, &fixtures::put_item_response()),
            unknown_operation: response(
                400,
                JSON_1_0,
                "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\",\
                 \"message\":\"The canned server does not answer this operation.\"}",
            ),
            objects,
            log_requests,
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

    fn for_target(&self, target: &str) -> &[u8] {
        match target {
            "DynamoDB_20120810.GetItem" => &self.get_item,
            "DynamoDB_20120810.Query" => &self.query,
            "DynamoDB_20120810.PutItem" => &self.put_item,
            _ => &self.unknown_operation,
        }
    }
}

/// The content type of query-protocol responses.
const XML: &str = "text/xml";

/// The content type of awsJson 1.0 responses (DynamoDB).
const JSON_1_0: &str = "application/x-amz-json-1.0";

/// Object bodies: a block repeated, and the CRC32 of each length asked for.
struct Objects {
    block: Vec<u8>,
    crc32: Mutex<HashMap<u64, u32>>,
}

impl Objects {
    /// The CRC32 of an object of `len` bytes, computed once per length by streaming the
    /// block through it.
    fn crc32(&self, len: u64) -> u32 {
        if let Some(crc) = self.crc32.lock().ok().and_then(|m| m.get(&len).copied()) {
            return crc;
        }
        let mut hasher = crc32fast::Hasher::new();
        self.each_piece(len, |piece| {
            hasher.update(piece);
            Ok(())
        })
        .expect("hashing does not fail");
        let crc = hasher.finalize();
        if let Ok(mut cache) = self.crc32.lock() {
            cache.insert(len, crc);
        }
        crc
    }

    /// Calls `f` with the pieces of an object of `len` bytes, in order.
    fn each_piece(&self, len: u64, mut f: impl FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        let mut left = len;
        while left > 0 {
            let n = usize::try_from(left).map_or(self.block.len(), |l| l.min(self.block.len()));
            f(&self.block[..n])?;
            left -= n as u64;
        }
        Ok(())
    }
}

/// Status line, headers and body, ready to write in one call.
fn response(status: u16, content_type: &str, body: &str) -> Vec<u8> {
    let mut bytes = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         x-amzn-RequestId: {REQUEST_ID}\r\n\r\n",
        reason(status),
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Bad Request",
    }
}

/// An S3 error response.
fn s3_error(status: u16, code: &str, message: &str) -> Vec<u8> {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>\
         <Message>{message}</Message><RequestId>{REQUEST_ID}</RequestId>\
         <HostId>canned-server</HostId></Error>"
    );
    format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\n\
         x-amz-request-id: {REQUEST_ID}\r\nx-amz-id-2: canned-server\r\nServer: AmazonS3\r\n\r\n{body}",
        reason(status),
        body.len()
    )
    .into_bytes()
}

fn main() -> ExitCode {
    let mut port = 0u16;
    let mut max_seconds = 3600u64;
    let mut until_stdin_closes = false;
    let mut log_requests = false;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--until-stdin-closes" => {
                until_stdin_closes = true;
                continue;
            }
            "--log-requests" => {
                log_requests = true;
                continue;
            }
            _ => {}
        }
        let value = args.next().unwrap_or_default();
        let parsed = match flag.as_str() {
            "--port" => value.parse().map(|p| port = p).is_ok(),
            "--max-seconds" => value.parse().map(|s| max_seconds = s).is_ok(),
            _ => false,
        };
        if !parsed {
            eprintln!(
                "usage: canned-server [--port N] [--max-seconds S] [--until-stdin-closes] [--log-requests]"
            );
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
    let responses = Arc::new(Responses::build(log_requests));
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

/// What the request line and headers of one request say.
#[derive(Debug, Default)]
struct Head {
    method: String,
    target: String,
    content_length: u64,
    chunked: bool,
    aws_chunked: bool,
    close: bool,
    checksum_mode: bool,
    checksum_crc32: Option<String>,
    decoded_length: Option<u64>,
    /// `X-Amz-Target`: the operation of a JSON-protocol request.
    amz_target: Option<String>,
    /// For `--log-requests`: the headers that say how the body came.
    shown: String,
}

/// Answers requests on one connection until the client closes it or asks to.
fn serve(stream: TcpStream, responses: &Responses) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::with_capacity(256 * 1024, stream);
    let mut body = Vec::with_capacity(8 * 1024);
    loop {
        let Some(head) = read_head(&mut reader, &mut writer)? else {
            return Ok(());
        };
        if responses.log_requests {
            eprintln!("{} {}{}", head.method, head.target, head.shown);
        }
        match head.method.as_str() {
            "PUT" => {
                let answer = receive_upload(&mut reader, &head)?;
                if responses.log_requests {
                    eprintln!("  -> {}", String::from_utf8_lossy(&answer[..12]));
                }
                writer.write_all(&answer)?;
            }
            method => {
                body.clear();
                read_small_body(&mut reader, &head, &mut body)?;
                if method == "GET" {
                    send_object(&mut writer, &head, &responses.objects)?;
                } else if let Some(target) = &head.amz_target {
                    writer.write_all(responses.for_target(target))?;
                } else {
                    writer.write_all(responses.for_action(action(&body)))?;
                }
            }
        }
        if head.close {
            return Ok(());
        }
    }
}

/// Reads a request line and headers (`None` when the client closed the connection first).
fn read_head(reader: &mut impl BufRead, writer: &mut impl Write) -> io::Result<Option<Head>> {
    let mut line = Vec::with_capacity(256);
    if !read_line(reader, &mut line)? {
        return Ok(None);
    }
    let request_line = String::from_utf8_lossy(trim(&line)).into_owned();
    let mut parts = request_line.split(' ');
    let mut head = Head {
        method: parts.next().unwrap_or_default().to_string(),
        target: parts.next().unwrap_or_default().to_string(),
        ..Head::default()
    };
    loop {
        if !read_line(reader, &mut line)? {
            return Ok(None);
        }
        let header = trim(&line);
        if header.is_empty() {
            return Ok(Some(head));
        }
        let Some(colon) = header.iter().position(|&b| b == b':') else {
            continue;
        };
        let (name, value) = (&header[..colon], trim(&header[colon + 1..]));
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        let text = || String::from_utf8_lossy(value).into_owned();
        match name.as_str() {
            "content-length" => {
                head.content_length = text()
                    .parse()
                    .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad Content-Length"))?
            }
            "transfer-encoding" => head.chunked = value.eq_ignore_ascii_case(b"chunked"),
            "content-encoding" => {
                head.aws_chunked = text()
                    .split(',')
                    .any(|coding| coding.trim().eq_ignore_ascii_case("aws-chunked"))
            }
            "connection" => head.close = value.eq_ignore_ascii_case(b"close"),
            "expect" if value.eq_ignore_ascii_case(b"100-continue") => {
                writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
            }
            "x-amz-checksum-mode" => head.checksum_mode = value.eq_ignore_ascii_case(b"ENABLED"),
            "x-amz-checksum-crc32" => head.checksum_crc32 = Some(text()),
            "x-amz-decoded-content-length" => head.decoded_length = text().parse().ok(),
            "x-amz-target" => head.amz_target = Some(text()),
            _ => {}
        }
        if matches!(
            name.as_str(),
            "content-length"
                | "transfer-encoding"
                | "content-encoding"
                | "expect"
                | "x-amz-content-sha256"
                | "x-amz-trailer"
                | "x-amz-checksum-mode"
                | "x-amz-checksum-crc32"
                | "x-amz-decoded-content-length"
                | "x-amz-target"
        ) {
            head.shown.push_str(&format!(" {name}={}", text()));
        }
    }
}

/// Reads one line (up to 16 KiB) into `line`; `false` at the end of the stream.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<bool> {
    line.clear();
    let n = Read::take(&mut *reader, 16 * 1024).read_until(b'\n', line)?;
    if n == 0 {
        return Ok(false);
    }
    if line.last() != Some(&b'\n') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "a line over 16 KiB, or cut short",
        ));
    }
    Ok(true)
}

/// The largest request body read into memory: form-encoded requests are a few KiB, and a
/// larger size is a broken client, refused rather than allocated. (Uploads stream.)
const MAX_BODY: usize = 16 << 20;

fn too_large() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("request body over {MAX_BODY} bytes"),
    )
}

/// Reads the body of a request that is not an upload into `body`.
fn read_small_body(reader: &mut impl BufRead, head: &Head, body: &mut Vec<u8>) -> io::Result<()> {
    if head.chunked {
        let mut chunks = Dechunk::new(reader);
        (&mut chunks).take(MAX_BODY as u64 + 1).read_to_end(body)?;
        if body.len() > MAX_BODY {
            return Err(too_large());
        }
        return drain(&mut chunks).map(|_| ());
    }
    let length = usize::try_from(head.content_length)
        .ok()
        .filter(|l| *l <= MAX_BODY)
        .ok_or_else(too_large)?;
    body.resize(length, 0);
    reader.read_exact(body)
}

/// Sends the object a `GET` names, or a 404.
fn send_object(writer: &mut impl Write, head: &Head, objects: &Objects) -> io::Result<()> {
    let Some((len, corrupt)) = object_of(&head.target) else {
        return writer.write_all(&s3_error(
            404,
            "NoSuchKey",
            "The specified key does not exist.",
        ));
    };
    let mut headers = format!(
        "HTTP/1.1 200 OK\r\nx-amz-id-2: canned-server\r\nx-amz-request-id: {REQUEST_ID}\r\n\
         Last-Modified: Thu, 26 Nov 2026 10:00:00 GMT\r\nETag: \"{:08x}{:024x}\"\r\n",
        len, 0x5eed_u128
    );
    if head.checksum_mode {
        let mut crc = objects.crc32(len);
        if corrupt {
            crc ^= 1;
        }
        headers.push_str(&format!(
            "x-amz-checksum-crc32: {}\r\nx-amz-checksum-type: FULL_OBJECT\r\n",
            fixtures::base64(&crc.to_be_bytes())
        ));
    }
    headers.push_str(&format!(
        "Accept-Ranges: bytes\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {len}\r\nServer: AmazonS3\r\n\r\n"
    ));
    writer.write_all(headers.as_bytes())?;
    objects.each_piece(len, |piece| writer.write_all(piece))
}

/// `(length, corrupt)` of an object path `/{bucket}/blobs/{N}.bin` or
/// `/{bucket}/corrupt/{N}.bin` (any query string aside).
fn object_of(target: &str) -> Option<(u64, bool)> {
    let path = target.split('?').next()?;
    let mut segments = path.strip_prefix('/')?.splitn(2, '/');
    let _bucket = segments.next().filter(|b| !b.is_empty())?;
    let key = segments.next()?;
    let (corrupt, name) = match key.split_once('/')? {
        ("blobs", name) => (false, name),
        ("corrupt", name) => (true, name),
        _ => return None,
    };
    let len: u64 = name.strip_suffix(".bin")?.parse().ok()?;
    (len <= MAX_OBJECT).then_some((len, corrupt))
}

/// Reads an upload's body to its end without keeping it, and answers as S3 would: the
/// CRC32 of the decoded bytes checked against the header or trailer that carries one, and
/// their count against `x-amz-decoded-content-length`.
fn receive_upload(reader: &mut impl BufRead, head: &Head) -> io::Result<Vec<u8>> {
    let (bytes, crc, trailers) = match (head.chunked, head.aws_chunked) {
        (true, true) => {
            let (bytes, crc, mut decoded) = digest(Dechunk::new(Dechunk::new(&mut *reader)))?;
            drain(&mut decoded.inner)?;
            (bytes, crc, decoded.trailers)
        }
        (true, false) => {
            let (bytes, crc, _) = digest(Dechunk::new(&mut *reader))?;
            (bytes, crc, Vec::new())
        }
        (false, true) => {
            let body = (&mut *reader).take(head.content_length);
            let (bytes, crc, mut decoded) = digest(Dechunk::new(body))?;
            if drain(&mut decoded.inner)? > 0 || decoded.inner.limit() > 0 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the aws-chunked body does not fill its Content-Length",
                ));
            }
            (bytes, crc, decoded.trailers)
        }
        (false, false) => {
            let (bytes, crc, _) = digest((&mut *reader).take(head.content_length))?;
            if bytes != head.content_length {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            (bytes, crc, Vec::new())
        }
    };
    if head.aws_chunked && head.decoded_length != Some(bytes) {
        return Ok(s3_error(
            400,
            "IncompleteBody",
            &format!(
                "You did not provide the number of bytes specified by the \
                 x-amz-decoded-content-length header ({:?}; {bytes} came).",
                head.decoded_length
            ),
        ));
    }
    let computed = fixtures::base64(&crc.to_be_bytes());
    let sent = trailers
        .iter()
        .find(|(name, _)| name == "x-amz-checksum-crc32")
        .map(|(_, value)| value.clone())
        .or_else(|| head.checksum_crc32.clone());
    if let Some(sent) = &sent
        && *sent != computed
    {
        return Ok(s3_error(
            400,
            "BadDigest",
            &format!(
                "The CRC32 you specified ({sent}) did not match the calculated checksum ({computed})."
            ),
        ));
    }
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\nx-amz-id-2: canned-server\r\nx-amz-request-id: {REQUEST_ID}\r\n\
         ETag: \"{:016x}{:016x}\"\r\nx-amz-server-side-encryption: AES256\r\n",
        u64::from(crc),
        bytes
    );
    if sent.is_some() {
        answer.push_str(&format!(
            "x-amz-checksum-crc32: {computed}\r\nx-amz-checksum-type: FULL_OBJECT\r\n"
        ));
    }
    answer.push_str("Content-Length: 0\r\nServer: AmazonS3\r\n\r\n");
    Ok(answer.into_bytes())
}

/// Reads `body` to its end: how many bytes, and their CRC32. Returns the reader for what it
/// knows at the end (trailers).
fn digest<R: BufRead>(mut body: R) -> io::Result<(u64, u32, R)> {
    let mut hasher = crc32fast::Hasher::new();
    let mut bytes = 0u64;
    loop {
        let piece = body.fill_buf()?;
        if piece.is_empty() {
            break;
        }
        hasher.update(piece);
        let n = piece.len();
        bytes += n as u64;
        body.consume(n);
    }
    Ok((bytes, hasher.finalize(), body))
}

/// Reads and drops the rest of `reader`; how many bytes that was.
fn drain(reader: &mut impl BufRead) -> io::Result<u64> {
    let mut bytes = 0u64;
    loop {
        let n = reader.fill_buf()?.len();
        if n == 0 {
            return Ok(bytes);
        }
        reader.consume(n);
        bytes += n as u64;
    }
}

/// A chunked body (`Transfer-Encoding: chunked`, and `Content-Encoding: aws-chunked`, which
/// has the same grammar with chunk signatures as extensions) read as its data: sizes,
/// extensions and line ends are taken out, trailers kept.
struct Dechunk<R> {
    inner: R,
    /// Data bytes left in the current chunk.
    remaining: u64,
    state: ChunkState,
    /// `(lower-case name, value)` of the trailers, once at the end.
    trailers: Vec<(String, String)>,
    line: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkState {
    /// Next comes a chunk-size line.
    Size,
    /// In a chunk's data (its line end follows once `remaining` is 0).
    Data,
    /// The last chunk and the trailers are read.
    Done,
}

impl<R: BufRead> Dechunk<R> {
    fn new(inner: R) -> Self {
        Dechunk {
            inner,
            remaining: 0,
            state: ChunkState::Size,
            trailers: Vec::new(),
            line: Vec::with_capacity(128),
        }
    }

    /// Reads size lines (and the last chunk's trailers) until there is data or the end.
    fn advance(&mut self) -> io::Result<()> {
        let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
        while self.remaining == 0 && self.state != ChunkState::Done {
            if self.state == ChunkState::Data {
                if !read_line(&mut self.inner, &mut self.line)? || !trim(&self.line).is_empty() {
                    return Err(bad("a chunk's data is not followed by CRLF"));
                }
                self.state = ChunkState::Size;
            }
            if !read_line(&mut self.inner, &mut self.line)? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            let size = trim(&self.line).split(|&b| b == b';').next().unwrap_or(b"");
            let size = std::str::from_utf8(size)
                .ok()
                .and_then(|s| u64::from_str_radix(s.trim(), 16).ok())
                .ok_or_else(|| bad("bad chunk size"))?;
            if size > 0 {
                self.remaining = size;
                self.state = ChunkState::Data;
                continue;
            }
            // The last chunk: trailers, up to the empty line.
            loop {
                if !read_line(&mut self.inner, &mut self.line)? {
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
                let trailer = trim(&self.line);
                if trailer.is_empty() {
                    break;
                }
                let text = String::from_utf8_lossy(trailer);
                if let Some((name, value)) = text.split_once(':') {
                    self.trailers
                        .push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
                }
            }
            self.state = ChunkState::Done;
        }
        Ok(())
    }
}

impl<R: BufRead> BufRead for Dechunk<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.advance()?;
        if self.state == ChunkState::Done {
            return Ok(&[]);
        }
        let remaining = self.remaining;
        let available = self.inner.fill_buf()?;
        if available.is_empty() {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let n = usize::try_from(remaining).map_or(available.len(), |r| r.min(available.len()));
        Ok(&available[..n])
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
        self.remaining -= amount as u64;
    }
}

impl<R: BufRead> Read for Dechunk<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
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
        let mut chunks = Dechunk::new(&mut input);
        chunks.read_to_end(&mut body).expect("reads");
        assert_eq!(body, b"Action=Ru");
        assert_eq!(chunks.trailers, [("trailer".to_string(), "1".to_string())]);
        assert_eq!(input, b"rest");
    }

    #[test]
    fn finds_objects() {
        assert_eq!(
            object_of("/bucket/blobs/1073741824.bin?x-id=GetObject"),
            Some((1 << 30, false))
        );
        assert_eq!(object_of("/bucket/corrupt/5.bin"), Some((5, true)));
        assert_eq!(object_of("/bucket/other/5.bin"), None);
        assert_eq!(object_of("/bucket/blobs/five.bin"), None);
        assert_eq!(object_of("//blobs/5.bin"), None);
    }

    #[test]
    fn reads_the_json_target() {
        let request = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n\
            X-Amz-Target: DynamoDB_20120810.GetItem\r\n\
            Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}";
        let mut reader = &request[..];
        let head = read_head(&mut reader, &mut Vec::new())
            .expect("reads")
            .expect("a request");
        assert_eq!(
            head.amz_target.as_deref(),
            Some("DynamoDB_20120810.GetItem")
        );
        assert_eq!(head.content_length, 2);
        assert_eq!(reader, b"{}");
    }

    #[test]
    fn encodes_checksums_in_base64() {
        // The CRC32 of "hello world" as S3 writes it.
        let crc = crc32fast::hash(b"hello world");
        assert_eq!(fixtures::base64(&crc.to_be_bytes()), "DUoRhQ==");
    }

    #[test]
    fn object_checksums_cover_the_whole_body() {
        let objects = Objects {
            block: b"abc".to_vec(),
            crc32: Mutex::new(HashMap::new()),
        };
        assert_eq!(objects.crc32(7), crc32fast::hash(b"abcabca"));
        assert_eq!(objects.crc32(0), crc32fast::hash(b""));
    }

    /// An aws-chunked upload as the official SDK sends it over plain HTTP (signed chunks,
    /// `Content-Length`), and as Stratus does (inside `Transfer-Encoding: chunked`).
    #[test]
    fn receives_aws_chunked_uploads() {
        let crc = fixtures::base64(&crc32fast::hash(b"hello world").to_be_bytes());
        let aws = format!(
            "6;chunk-signature=ab\r\nhello \r\n5;chunk-signature=cd\r\nworld\r\n\
             0;chunk-signature=ef\r\nx-amz-checksum-crc32:{crc}\r\nx-amz-trailer-signature:01\r\n\r\n"
        );
        let head = Head {
            method: "PUT".into(),
            content_length: aws.len() as u64,
            aws_chunked: true,
            decoded_length: Some(11),
            ..Head::default()
        };
        let mut input = format!("{aws}NEXT").into_bytes();
        let mut reader = &input[..];
        let answer = receive_upload(&mut reader, &head).expect("reads");
        let answer = String::from_utf8(answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
        assert!(answer.contains(&format!("x-amz-checksum-crc32: {crc}")));
        assert_eq!(reader, b"NEXT");

        let mut http = format!("{:x}\r\n{}\r\n", 20, &aws[..20]);
        http.push_str(&format!(
            "{:x}\r\n{}\r\n0\r\n\r\nNEXT",
            aws.len() - 20,
            &aws[20..]
        ));
        let head = Head {
            chunked: true,
            content_length: 0,
            ..head
        };
        let mut reader = http.as_bytes();
        let answer = receive_upload(&mut reader, &head).expect("reads");
        assert!(answer.starts_with(b"HTTP/1.1 200 OK"));
        assert_eq!(reader, b"NEXT");

        // A corrupted byte is a BadDigest.
        input[3 + "chunk-signature=ab\r\n".len()] = b'J';
        let head = Head {
            chunked: false,
            content_length: aws.len() as u64,
            ..head
        };
        let answer = receive_upload(&mut &input[..], &head).expect("reads");
        assert!(String::from_utf8_lossy(&answer).contains("BadDigest"));
    }
}
