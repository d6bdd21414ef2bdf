//! Every JMESPath expression the models use parses with the runtime's `jmespath` module:
//! paginators' `output_token`, `result_key` (a string or a list of them), `more_results` and
//! `non_aggregate_keys` (in `paginators-1.json` and in what `paginators-1.sdk-extras.json`
//! merges into it), waiters' `path`, `pathAll` and `pathAny` acceptor arguments, and the
//! `operationContextParams` paths of `service-2.json(.gz)`.

use flate2::read::GzDecoder;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use stratus_runtime::jmespath::Expression;

/// One expression and where it is: `(file, what, expression)`.
type Found = (PathBuf, String, String);

#[test]
fn every_model_expression_parses() {
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let mut expressions = Vec::new();
    for version in version_dirs(&models) {
        collect_paginators(&version, &mut expressions);
        collect_waiters(&version, &mut expressions);
        collect_context_params(&version, &mut expressions);
    }
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for (file, what, text) in &expressions {
        *by_kind.entry(kind(what)).or_default() += 1;
        if let Err(e) = Expression::parse(text) {
            failures.push(format!("{} ({what}): {e}", file.display()));
        }
    }
    println!(
        "{} model expressions checked: {by_kind:?}",
        expressions.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Thousands of paginators and waiters: a walk that found few of them is broken.
    assert!(
        expressions.len() > 5_000,
        "only {} expressions found",
        expressions.len()
    );
    for kind in [
        "output_token",
        "result_key",
        "more_results",
        "non_aggregate_keys",
        "waiter",
        "operationContextParams",
    ] {
        assert!(by_kind.get(kind).is_some_and(|n| *n > 0), "no {kind} found");
    }
}

/// The part of a `what` label that names the kind of expression.
fn kind(what: &str) -> &str {
    what.split(' ').next().unwrap_or(what)
}

/// `models/<service>/<version>/`, sorted.
fn version_dirs(models: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for service in read_dir(models) {
        if service.is_dir() {
            dirs.extend(read_dir(&service).into_iter().filter(|p| p.is_dir()));
        }
    }
    dirs
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    entries
}

/// The JSON of `path`, or of `path.gz`; `None` when neither exists.
fn read_json(path: &Path) -> Option<Json> {
    let mut text = String::new();
    if path.exists() {
        File::open(path).unwrap().read_to_string(&mut text).unwrap();
    } else {
        let gz = path.with_extension("json.gz");
        if !gz.exists() {
            return None;
        }
        GzDecoder::new(File::open(&gz).unwrap())
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{}: {e}", gz.display()));
    }
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// A string or a list of strings.
fn strings(value: &Json) -> Vec<&str> {
    match value {
        Json::String(s) => vec![s],
        Json::Array(items) => items.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

fn collect_paginators(dir: &Path, out: &mut Vec<Found>) {
    for (file, pointer) in [
        ("paginators-1.json", "/pagination"),
        ("paginators-1.sdk-extras.json", "/merge/pagination"),
    ] {
        let path = dir.join(file);
        let Some(json) = read_json(&path) else {
            continue;
        };
        let Some(paginators) = json.pointer(pointer).and_then(Json::as_object) else {
            continue;
        };
        for (name, paginator) in paginators {
            for key in [
                "output_token",
                "result_key",
                "more_results",
                "non_aggregate_keys",
            ] {
                for text in paginator.get(key).map(strings).unwrap_or_default() {
                    out.push((path.clone(), format!("{key} of {name}"), text.to_owned()));
                }
            }
        }
    }
}

fn collect_waiters(dir: &Path, out: &mut Vec<Found>) {
    let path = dir.join("waiters-2.json");
    let Some(json) = read_json(&path) else {
        return;
    };
    let Some(waiters) = json["waiters"].as_object() else {
        return;
    };
    for (name, waiter) in waiters {
        for acceptor in waiter["acceptors"].as_array().into_iter().flatten() {
            let matcher = acceptor["matcher"].as_str().unwrap_or_default();
            if matches!(matcher, "path" | "pathAll" | "pathAny") {
                let text = acceptor["argument"].as_str().unwrap_or_else(|| {
                    panic!(
                        "{}: {name} has a {matcher} acceptor without argument",
                        path.display()
                    )
                });
                out.push((
                    path.clone(),
                    format!("waiter {name} ({matcher})"),
                    text.to_owned(),
                ));
            }
        }
    }
}

fn collect_context_params(dir: &Path, out: &mut Vec<Found>) {
    let path = dir.join("service-2.json");
    let Some(json) = read_json(&path) else {
        return;
    };
    let Some(operations) = json["operations"].as_object() else {
        return;
    };
    for (name, operation) in operations {
        let Some(params) = operation["operationContextParams"].as_object() else {
            continue;
        };
        for (param, value) in params {
            let text = value["path"].as_str().unwrap_or_default();
            out.push((
                path.clone(),
                format!("operationContextParams {param} of {name}"),
                text.to_owned(),
            ));
        }
    }
}
