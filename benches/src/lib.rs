//! Benchmarks of Stratus, and what they share. `cargo xtask bench` runs all of them and
//! writes `BENCHMARKS.md`; each also runs on its own:
//!
//! - `benches/runtime.rs` (criterion, `cargo bench -p stratus-benches --bench runtime`):
//!   serializing and signing `DescribeAutoScalingGroups` and EC2 `RunInstances`, signing
//!   alone, parsing a 50-group `DescribeAutoScalingGroups` and a 1,000-instance
//!   `DescribeInstances` response, (rest-xml) a 1,000-key S3 `ListObjectsV2` and a
//!   100-distribution CloudFront `ListDistributions` response, and (awsJson) serializing
//!   and signing a 20-attribute DynamoDB `PutItem` and parsing a 750-item `Query` response.
//! - `benches/endpoints.rs` (criterion): endpoint resolution.
//! - `src/bin/canned-server.rs`: an HTTP/1.1 keep-alive server on 127.0.0.1 that answers
//!   with the canned responses of [`fixtures`] (XML by `Action`, DynamoDB's JSON by
//!   `X-Amz-Target`), streams S3 objects of any size from a repeated block, and reads and
//!   checks S3 uploads without keeping them.
//! - `src/bin/stratus-e2e.rs`: calls/s, latency percentiles and peak RSS of a generated
//!   client against that server (or an in-memory HTTP client), through [`load`].
//! - `compare/` (outside the workspace): the same end-to-end binary for the official AWS
//!   SDK for Rust, and the small programs whose build time and size are compared.

pub mod fixtures;
pub mod inputs;
pub mod load;
