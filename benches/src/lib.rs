//! Criterion benchmarks of the Stratus runtime (`benches/runtime.rs`); run them with
//! `cargo bench -p stratus-benches`.
