//! `cargo xtask conformance`: runs every conformance suite and prints one line per suite,
//! then the skipped and failed cases; exits non-zero on any failure.

use std::process::ExitCode;

fn main() -> ExitCode {
    let reports = stratus_tests::conformance::all();
    let mut ok = true;
    for report in &reports {
        print!("{report}");
        ok &= report.is_success();
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
