//! A tiny HTTP/1.1 server on 127.0.0.1 that answers with scripted responses, one per
//! connection, and records what it received: for retry and fault-injection tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One scripted answer.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Status, extra headers and body.
    Respond(u16, Vec<(String, String)>, String),
    /// Close the connection without answering.
    Hang,
    /// Wait, then answer (for timeouts).
    Delay(Duration, Box<Reply>),
}

impl Reply {
    pub fn xml(status: u16, body: &str) -> Reply {
        Reply::Respond(
            status,
            vec![("Content-Type".into(), "text/xml".into())],
            body.to_string(),
        )
    }
}

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The server; it stops serving when dropped (after its current connection).
pub struct CannedServer {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl CannedServer {
    /// Serves `replies` in order, one per request; the last one repeats.
    pub fn start(replies: Vec<Reply>) -> CannedServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local addr").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        std::thread::spawn(move || {
            // Each connection gets the next reply, on a thread of its own, so a delayed
            // reply does not hold up the next attempt.
            for (index, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { continue };
                let reply = replies.get(index).or(replies.last()).cloned();
                let log = log.clone();
                std::thread::spawn(move || {
                    if let (Some(request), Some(reply)) = (read_request(&stream), reply) {
                        log.lock().unwrap_or_else(|p| p.into_inner()).push(request);
                        answer(stream, reply);
                    }
                });
            }
        });
        CannedServer { port, received }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

fn read_request(stream: &TcpStream) -> Option<Received> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Received {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn answer(mut stream: TcpStream, reply: Reply) {
    match reply {
        Reply::Hang => {}
        Reply::Delay(wait, reply) => {
            std::thread::sleep(wait);
            answer(stream, *reply);
        }
        Reply::Respond(status, headers, body) => {
            let mut head = format!(
                "HTTP/1.1 {status} Canned\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
            let _ = stream.flush();
        }
    }
}
