//! Streams one S3 object through `GetObject` and reports its SHA-256, its size and how much
//! the process's peak memory grew meanwhile, as one line:
//! `sha256=<hex> bytes=<n> peak_growth_kib=<n>`. The end-to-end tests run it as a process of
//! its own, so that nothing else in the process moves its peak.
//!
//! ```text
//! s3-download ENDPOINT ACCESS_KEY SECRET BUCKET KEY
//! ```

use std::fmt::Write as _;
use stratus_runtime::{Config, Credentials};

/// The process's peak resident set (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
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

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [endpoint, access_key, secret, bucket, key] = args.as_slice() else {
        return Err("usage: s3-download ENDPOINT ACCESS_KEY SECRET BUCKET KEY".into());
    };
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .credentials(Credentials::new(access_key, secret, None, None, "test"))
        .build();
    let s3 = s3_client::Client::new(&config);
    let before = peak_rss_kib();
    let output = s3
        .get_object(s3_client::GetObjectInput {
            bucket: bucket.clone(),
            key: key.clone(),
            ..Default::default()
        })
        .await?;
    let mut body = output.body.unwrap_or_default();
    let mut sha = ring::digest::Context::new(&ring::digest::SHA256);
    let mut bytes = 0u64;
    while let Some(chunk) = body.next_chunk().await {
        let chunk = chunk?;
        bytes += chunk.len() as u64;
        sha.update(&chunk);
    }
    let growth = peak_rss_kib().saturating_sub(before);
    let mut hex = String::new();
    for byte in sha.finish().as_ref() {
        let _ = write!(hex, "{byte:02x}");
    }
    println!("sha256={hex} bytes={bytes} peak_growth_kib={growth}");
    Ok(())
}
