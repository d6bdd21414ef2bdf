//! Conformance suites: each runs every case of a vendored suite (`tests/fixtures/`) and
//! reports counts; `tests/tests/suite/conformance.rs` asserts them and `cargo xtask conformance`
//! prints them.

pub mod cbor;
pub mod endpoints;
pub mod jmespath;
pub mod protocols;
pub mod sigv4;
pub mod xml_tree;

use std::fmt;
use std::path::PathBuf;

/// The outcome of one suite.
#[derive(Debug, Default)]
pub struct SuiteReport {
    pub suite: String,
    pub total: usize,
    pub passed: usize,
    /// Case name and the reason it is skipped.
    pub skipped: Vec<(String, String)>,
    /// Case name and what went wrong.
    pub failed: Vec<(String, String)>,
}

impl SuiteReport {
    pub fn new(suite: impl Into<String>) -> Self {
        SuiteReport {
            suite: suite.into(),
            ..Default::default()
        }
    }

    /// Records one case's outcome.
    pub fn record(&mut self, case: impl Into<String>, outcome: Result<(), String>) {
        self.total += 1;
        match outcome {
            Ok(()) => self.passed += 1,
            Err(why) => self.failed.push((case.into(), why)),
        }
    }

    /// Records a skipped case and why.
    pub fn skip(&mut self, case: impl Into<String>, reason: impl Into<String>) {
        self.total += 1;
        self.skipped.push((case.into(), reason.into()));
    }

    pub fn is_success(&self) -> bool {
        self.failed.is_empty() && self.passed + self.skipped.len() == self.total
    }
}

impl fmt::Display for SuiteReport {
    /// `<suite> <passed>/<total> passed, <skipped> skipped`, then skipped and failed cases.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} {}/{} passed, {} skipped",
            self.suite,
            self.passed,
            self.total,
            self.skipped.len()
        )?;
        for (case, reason) in &self.skipped {
            writeln!(f, "  skipped {case}: {reason}")?;
        }
        for (case, why) in &self.failed {
            writeln!(f, "  FAILED {case}: {why}")?;
        }
        Ok(())
    }
}

/// A vendored fixture file.
pub fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative)
}

/// Every suite the project has, in a stable order.
pub fn all() -> Vec<SuiteReport> {
    let mut reports = sigv4::run();
    reports.extend(protocols::run());
    reports.extend(endpoints::run());
    reports.extend(cbor::run());
    reports.extend(jmespath::run());
    reports
}
