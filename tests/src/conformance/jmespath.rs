//! The JMESPath compliance suite (`tests/fixtures/jmespath/`, from jmespath.py) against the
//! runtime's [`jmespath`](stratus_runtime::jmespath) module: every case of every file,
//! `benchmarks.json` included.
//!
//! Each file is an array of suites `{given, cases}`; each case has an `expression` and one of
//! `result` (`null` is an expected null: the key is checked, not the value), `error` or, in
//! `benchmarks.json`, only `bench`. The expression is parsed ([`Expression::parse`]) and
//! evaluated against `given` converted with [`Found::from_json`]:
//!
//! * `result`: evaluation succeeds and [`Found::to_json`] equals the result (numbers by
//!   value, so `1` equals `1.0`; booleans never equal numbers).
//! * `error`: parsing or evaluation fails (the suite does not say which) with an error of
//!   that kind (`syntax`, `invalid-type`, `invalid-arity`, `unknown-function`,
//!   `invalid-value`).
//! * `bench` without `result`: `parse` cases must parse; `interpret` and `full` cases must
//!   parse and evaluate without error.
//!
//! Cases are named `<file> #<suite>.<case> <expression>`.

use super::protocols::json_eq;
use super::{SuiteReport, fixture};
use serde_json::Value as Json;
use std::panic::{AssertUnwindSafe, catch_unwind};
use stratus_runtime::jmespath::{Expression, Found};

/// The suite's files, in report order.
const FILES: [&str; 16] = [
    "basic.json",
    "benchmarks.json",
    "boolean.json",
    "current.json",
    "escape.json",
    "filters.json",
    "functions.json",
    "identifiers.json",
    "indices.json",
    "literal.json",
    "multiselect.json",
    "pipe.json",
    "slice.json",
    "syntax.json",
    "unicode.json",
    "wildcard.json",
];

/// Runs every file; one report for the whole suite.
pub fn run() -> Vec<SuiteReport> {
    let mut report = SuiteReport::new("jmespath compliance (jmespath.py tests/compliance)");
    for file in FILES {
        let path = fixture(&format!("jmespath/{file}"));
        let suites: Vec<Json> = match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
        {
            Ok(suites) => suites,
            Err(why) => {
                report.record(file, Err(format!("cannot read {}: {why}", path.display())));
                continue;
            }
        };
        for (s, suite) in suites.iter().enumerate() {
            let given = Found::from_json(&suite["given"]);
            let cases = suite["cases"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default();
            for (c, case) in cases.iter().enumerate() {
                let expression = case["expression"].as_str().unwrap_or_default();
                let name = format!("{file} #{s}.{c} {expression}");
                let outcome = catch_unwind(AssertUnwindSafe(|| run_case(&given, case)))
                    .unwrap_or_else(|_| Err("panicked".to_owned()));
                report.record(name, outcome);
            }
        }
    }
    vec![report]
}

fn run_case(given: &Found<'static>, case: &Json) -> Result<(), String> {
    let text = case["expression"]
        .as_str()
        .ok_or("the case has no expression")?;
    let parsed = Expression::parse(text);
    if let Some(kind) = case.get("error") {
        let kind = kind.as_str().ok_or("`error` is not a string")?;
        let found_kind = match parsed {
            Err(e) => e.kind(),
            Ok(expr) => match expr.search_found(given.clone()) {
                Err(e) => e.kind(),
                Ok(found) => {
                    return Err(format!("expected a {kind} error, got {}", found.to_json()));
                }
            },
        };
        return if found_kind.as_str() == kind {
            Ok(())
        } else {
            Err(format!("expected a {kind} error, got a {found_kind} error"))
        };
    }
    let expr = parsed.map_err(|e| e.to_string())?;
    if let Some(expected) = case.get("result") {
        let found = expr
            .search_found(given.clone())
            .map_err(|e| e.to_string())?;
        let actual = found.to_json();
        return if json_eq(expected, &actual) {
            Ok(())
        } else {
            Err(format!("expected {expected}, got {actual}"))
        };
    }
    match case["bench"].as_str() {
        Some("parse") => Ok(()),
        Some("interpret" | "full") => expr
            .search_found(given.clone())
            .map(drop)
            .map_err(|e| e.to_string()),
        other => Err(format!(
            "the case has no result, error or bench ({other:?})"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn suite() {
        let reports = run();
        for r in &reports {
            print!("{r}");
        }
        assert!(reports.iter().all(SuiteReport::is_success));
    }

    #[test]
    fn a_wrong_result_or_error_kind_fails_the_case() {
        let given = Found::from_json(&json!({"a": 1}));
        assert!(run_case(&given, &json!({"expression": "a", "result": 1})).is_ok());
        assert!(run_case(&given, &json!({"expression": "a", "result": 1.0})).is_ok());
        assert!(run_case(&given, &json!({"expression": "a", "result": 2})).is_err());
        assert!(run_case(&given, &json!({"expression": "b", "result": null})).is_ok());
        assert!(run_case(&given, &json!({"expression": "a == `1`", "result": 1})).is_err());
        assert!(run_case(&given, &json!({"expression": "a[", "error": "syntax"})).is_ok());
        assert!(
            run_case(
                &given,
                &json!({"expression": "a[", "error": "invalid-type"})
            )
            .is_err()
        );
        assert!(
            run_case(
                &given,
                &json!({"expression": "abs(@)", "error": "invalid-type"})
            )
            .is_ok()
        );
        assert!(run_case(&given, &json!({"expression": "a", "error": "invalid-type"})).is_err());
        assert!(run_case(&given, &json!({"expression": "a[", "bench": "parse"})).is_err());
        assert!(run_case(&given, &json!({"expression": "abs(@)", "bench": "full"})).is_err());
        assert!(run_case(&given, &json!({"expression": "abs(@)", "bench": "parse"})).is_ok());
    }
}
