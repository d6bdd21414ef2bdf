//! `stratus-tests`: the project's conformance suites and end-to-end tests (under `tests/`).
//!
//! The library holds the conformance runners (shared by the tests and by
//! `cargo xtask conformance`) and makes the README's examples doctests, so they cannot rot.

pub mod canned;
pub mod conformance;
pub mod e2e;
/// moto for the end-to-end tests: the `stratus-moto` crate (`tests/moto/`), which
/// `cargo xtask demo` shares.
pub use stratus_moto as moto;

#[doc = include_str!("../../README.md")]
mod readme {}
