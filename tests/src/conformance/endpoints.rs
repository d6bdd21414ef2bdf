//! Endpoint rules conformance: botocore's per-service endpoint tests
//! (`fixtures/endpoint-tests/<service>/endpoint-tests-1.json`, run against the service's
//! rule set in `models/`) and its rules-engine unit tests
//! (`fixtures/endpoint-rules-unit/test-cases/<name>.json` against `valid-rules/<name>.json`).
//!
//! Every rule set goes the way a generated crate's does: compiled by
//! [`stratus_codegen::endpoints::compile`], decoded by [`RuleSet::decode`], then resolved
//! with the case's parameters. Comparisons follow botocore's runners
//! (`tests/functional/test_endpoint_rulesets.py`, `tests/unit/test_endpoint_provider.py`):
//! the URL exactly, headers and properties as whole JSON objects (a missing one is `{}`),
//! and for an expected error the message exactly.
//!
//! Cases without `params` resolve with none bound, as botocore's runner does
//! (`test.get('params', {})`): 419 of them, nearly all "Missing region". 590 cases also carry
//! `operationInputs`, for end-to-end tests through a client; they run here with their
//! `params`, and [`operation_input_cases`] hands their inputs to the client tests.

use std::fs;
use std::path::Path;

use serde_json::Value as Json;
use stratus_codegen::ModelsDir;
use stratus_codegen::endpoints;
use stratus_runtime::endpoint::{Endpoint, ParamValue, Params, ResolveError, RuleSet};

use super::{SuiteReport, fixture};

/// Both suites: the services' tests, then the engine's unit tests.
pub fn run() -> Vec<SuiteReport> {
    vec![service_suite(), unit_suite()]
}

/// The `models/` directory the per-service tests take their rule sets from.
fn models() -> ModelsDir {
    ModelsDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../models"))
}

fn read_json(path: &Path) -> Result<Json, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The `testCases` of a test file.
fn test_cases(path: &Path) -> Result<Vec<Json>, String> {
    match read_json(path)?.get_mut("testCases").map(Json::take) {
        Some(Json::Array(cases)) => Ok(cases),
        _ => Err(format!("{}: no `testCases` array", path.display())),
    }
}

/// Compiles a rule set and decodes it, as a generated crate would.
fn compile_and_decode(rule_set: &Json) -> Result<RuleSet, String> {
    let compiled = endpoints::compile(rule_set).map_err(|e| e.to_string())?;
    RuleSet::decode(compiled.encoded()).map_err(|e| e.to_string())
}

/// The names of the entries of a directory, sorted.
fn sorted_entries(dir: &Path) -> Result<Vec<String>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("listing {}: {e}", dir.display()))?;
    let mut names = entries
        .map(|e| {
            e.map(|e| e.file_name().to_string_lossy().into_owned())
                .map_err(|e| format!("listing {}: {e}", dir.display()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    names.sort();
    Ok(names)
}

fn service_suite() -> SuiteReport {
    let mut report = SuiteReport::new("endpoint rules (botocore endpoint-tests, every service)");
    let root = fixture("endpoint-tests");
    let services = match sorted_entries(&root) {
        Ok(services) if !services.is_empty() => services,
        Ok(_) => {
            report.record(
                "(listing the services)",
                Err(format!("no service under {}", root.display())),
            );
            return report;
        }
        Err(why) => {
            report.record("(listing the services)", Err(why));
            return report;
        }
    };
    let models = models();
    for service in services {
        let cases = match test_cases(&root.join(&service).join("endpoint-tests-1.json")) {
            Ok(cases) => cases,
            Err(why) => {
                report.record(format!("{service} (reading its tests)"), Err(why));
                continue;
            }
        };
        let rules = match models.load_endpoint_rules(&service) {
            Ok(Some(rule_set)) => compile_and_decode(&rule_set),
            Ok(None) => Err(format!("models/{service} has no endpoint rule set")),
            Err(e) => Err(format!("{e:#}")),
        };
        run_cases(&mut report, &service, &rules, &cases);
    }
    report
}

fn unit_suite() -> SuiteReport {
    let mut report = SuiteReport::new("endpoint rules (botocore engine unit tests)");
    let root = fixture("endpoint-rules-unit");
    let rule_files = match sorted_entries(&root.join("valid-rules")) {
        Ok(files) if !files.is_empty() => files,
        Ok(_) => {
            report.record(
                "(listing the rule sets)",
                Err("no rule set in valid-rules/".to_owned()),
            );
            return report;
        }
        Err(why) => {
            report.record("(listing the rule sets)", Err(why));
            return report;
        }
    };
    for file in rule_files {
        let rules =
            read_json(&root.join("valid-rules").join(&file)).and_then(|r| compile_and_decode(&r));
        let tests = root.join("test-cases").join(&file);
        if !tests.is_file() {
            // botocore's unit tests load these directly; here they must compile and decode.
            report.record(
                format!("{file} (a rule set without test cases) compiles and decodes"),
                rules.map(drop),
            );
            continue;
        }
        match test_cases(&tests) {
            Ok(cases) => run_cases(&mut report, &file, &rules, &cases),
            Err(why) => report.record(format!("{file} (reading its tests)"), Err(why)),
        }
    }
    report
}

/// Runs the cases of one rule set; when the rule set did not compile, each case fails with
/// the reason.
fn run_cases(
    report: &mut SuiteReport,
    suite: &str,
    rules: &Result<RuleSet, String>,
    cases: &[Json],
) {
    for (i, case) in cases.iter().enumerate() {
        let doc = case
            .get("documentation")
            .and_then(Json::as_str)
            .unwrap_or("");
        let name = format!("{suite} #{i} ({doc})");
        let outcome = match rules {
            Ok(rules) => run_case(rules, case),
            Err(why) => Err(format!("the rule set does not compile: {why}")),
        };
        report.record(name, outcome);
    }
}

fn run_case(rules: &RuleSet, case: &Json) -> Result<(), String> {
    let params = bind(rules, case.get("params").unwrap_or(&Json::Null))?;
    let expect = case.get("expect").ok_or("the case has no `expect`")?;
    check_expectation(expect, rules.resolve(&params).as_ref())
}

/// The case's `params`, bound by name (absent or `null`: none).
fn bind(rules: &RuleSet, params: &Json) -> Result<Params, String> {
    let mut bound = Params::new(rules);
    let entries = match params {
        Json::Null => return Ok(bound),
        Json::Object(entries) => entries,
        other => return Err(format!("`params` is not an object: {other}")),
    };
    for (name, value) in entries {
        let value = match value {
            Json::Bool(b) => ParamValue::Bool(*b),
            Json::String(s) => ParamValue::String(s.clone()),
            Json::Array(items) => ParamValue::StringArray(
                items
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned))
                    .collect::<Option<_>>()
                    .ok_or_else(|| format!("parameter `{name}`: a list of non-strings: {value}"))?,
            ),
            other => return Err(format!("parameter `{name}`: unsupported value {other}")),
        };
        bound
            .set_by_name(rules, name, value)
            .map_err(|e| e.to_string())?;
    }
    Ok(bound)
}

/// Compares a resolution with a test case's `expect`, as botocore's runner does: for
/// `expect.endpoint`, the URL exactly and `headers` and `properties` as whole JSON values
/// (absent means `{}`); for `expect.error`, the message exactly.
pub fn check_expectation(
    expect: &Json,
    result: Result<&Endpoint, &ResolveError>,
) -> Result<(), String> {
    match (expect.get("endpoint"), expect.get("error"), result) {
        (Some(want), None, Ok(got)) => {
            let url = want
                .get("url")
                .and_then(Json::as_str)
                .ok_or("`expect.endpoint` has no `url` string")?;
            if got.url != url {
                return Err(format!("url: expected `{url}`, got `{}`", got.url));
            }
            let empty = Json::Object(Default::default());
            let headers = Json::Object(
                got.headers
                    .iter()
                    .map(|(name, values)| (name.clone(), Json::from(values.clone())))
                    .collect(),
            );
            let want_headers = want.get("headers").unwrap_or(&empty);
            if headers != *want_headers {
                return Err(format!("headers: expected {want_headers}, got {headers}"));
            }
            let properties = Json::from(got.properties.clone());
            let want_properties = want.get("properties").unwrap_or(&empty);
            if properties != *want_properties {
                return Err(format!(
                    "properties: expected {want_properties}, got {properties}"
                ));
            }
            Ok(())
        }
        (None, Some(want), Err(got)) => {
            let want = want.as_str().ok_or("`expect.error` is not a string")?;
            if got.message() == want {
                Ok(())
            } else {
                Err(format!("error: expected {want:?}, got {:?}", got.message()))
            }
        }
        (Some(_), None, Err(got)) => Err(format!(
            "expected an endpoint, got the error {:?}",
            got.message()
        )),
        (None, Some(want), Ok(got)) => Err(format!(
            "expected the error {want}, got the endpoint {}",
            got.url
        )),
        _ => Err(format!(
            "`expect` has neither or both of `endpoint` and `error`: {expect}"
        )),
    }
}

/// The cases of a service's endpoint tests that carry `operationInputs`: documentation,
/// `operationInputs` and `expect`, for end-to-end tests through the generated client. Empty
/// for a service without tests.
pub fn operation_input_cases(service: &str) -> Vec<(String, Json, Json)> {
    let path = fixture("endpoint-tests")
        .join(service)
        .join("endpoint-tests-1.json");
    let Ok(cases) = test_cases(&path) else {
        return Vec::new();
    };
    cases
        .into_iter()
        .filter_map(|mut case| {
            let inputs = case.get_mut("operationInputs").map(Json::take)?;
            let doc = case
                .get("documentation")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_owned();
            let expect = case.get_mut("expect").map(Json::take).unwrap_or(Json::Null);
            Some((doc, inputs, expect))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use stratus_runtime::Document;

    fn endpoint() -> Endpoint {
        Endpoint {
            url: "https://s3.us-west-2.amazonaws.com".to_owned(),
            headers: vec![("x-a".to_owned(), vec!["1".to_owned()])],
            properties: Document::from(serde_json::json!({"authSchemes": [{"name": "sigv4"}]})),
        }
    }

    /// A resolution error with the message `Missing Region`.
    fn error() -> ResolveError {
        let rules = compile_and_decode(&json!({
            "version": "1.0", "parameters": {},
            "rules": [{"type": "error", "conditions": [], "error": "Missing Region"}]
        }))
        .unwrap();
        rules.resolve(&Params::new(&rules)).unwrap_err()
    }

    #[test]
    fn matching_expectations_pass() {
        let expect = json!({"endpoint": {
            "url": "https://s3.us-west-2.amazonaws.com",
            "headers": {"x-a": ["1"]},
            "properties": {"authSchemes": [{"name": "sigv4"}]}
        }});
        assert_eq!(check_expectation(&expect, Ok(&endpoint())), Ok(()));
        let expect = json!({"error": "Missing Region"});
        assert_eq!(check_expectation(&expect, Err(&error())), Ok(()));
    }

    #[test]
    fn every_difference_fails() {
        let e = endpoint();
        let fails = |expect: Json| check_expectation(&expect, Ok(&e)).unwrap_err();
        assert_eq!(
            fails(
                json!({"endpoint": {"url": "https://s3.amazonaws.com", "headers": {"x-a": ["1"]}}})
            ),
            "url: expected `https://s3.amazonaws.com`, got `https://s3.us-west-2.amazonaws.com`"
        );
        // Missing headers and properties mean `{}`.
        assert!(fails(json!({"endpoint": {"url": e.url}})).starts_with("headers:"));
        assert!(
            fails(json!({"endpoint": {"url": e.url, "headers": {"x-a": ["1"]},
                "properties": {"authSchemes": [{"name": "sigv4a"}]}}}))
            .starts_with("properties:")
        );
        assert!(fails(json!({"error": "Missing Region"})).starts_with("expected the error"));
        assert!(fails(json!({})).starts_with("`expect` has neither"));
        let err = error();
        assert_eq!(
            check_expectation(&json!({"error": "Missing region"}), Err(&err)).unwrap_err(),
            r#"error: expected "Missing region", got "Missing Region""#
        );
        assert!(
            check_expectation(&json!({"endpoint": {"url": "x"}}), Err(&err))
                .unwrap_err()
                .starts_with("expected an endpoint")
        );
    }

    #[test]
    fn operation_input_cases_come_with_their_expectation() {
        let cases = operation_input_cases("s3");
        assert!(!cases.is_empty());
        for (doc, inputs, expect) in &cases {
            assert!(inputs.is_array(), "{doc}");
            assert!(
                expect.get("endpoint").is_some() || expect.get("error").is_some(),
                "{doc}"
            );
        }
        assert!(operation_input_cases("no-such-service").is_empty());
    }
}
