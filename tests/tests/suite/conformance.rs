//! Every conformance suite passes every case it does not skip by name.

#[test]
fn every_conformance_suite_passes() {
    let reports = stratus_tests::conformance::all();
    let mut failures = String::new();
    for report in &reports {
        print!("{report}");
        if !report.is_success() {
            failures.push_str(&report.to_string());
        }
    }
    assert!(failures.is_empty(), "conformance failures:\n{failures}");
}
