//! Load: reads one service's files from `models/` into typed models, merging the
//! `sdk-extras` files the way botocore's loader does.

use anyhow::{Context, Result, bail};
use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use stratus_runtime::model::ServiceModel;

/// The `models/` directory.
#[derive(Debug, Clone)]
pub struct ModelsDir {
    root: PathBuf,
}

/// Everything botocore knows about one service, at its latest API version.
#[derive(Debug, Clone)]
pub struct ServiceFiles {
    /// botocore's service name (the directory), e.g. `autoscaling`.
    pub name: String,
    pub api_version: String,
    pub model: ServiceModel,
    pub paginators: IndexMap<String, Paginator>,
    pub waiters: IndexMap<String, Waiter>,
    /// `examples-1.json`, kept as JSON until the examples are emitted.
    pub examples: Option<serde_json::Value>,
    /// `endpoint-rule-set-1.json`, kept as JSON until the rules engine compiles it.
    pub endpoint_rules: Option<serde_json::Value>,
}

/// One paginator of `paginators-1.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Paginator {
    pub input_token: OneOrMany,
    pub output_token: OneOrMany,
    #[serde(default)]
    pub limit_key: Option<String>,
    #[serde(default)]
    pub more_results: Option<String>,
    #[serde(default)]
    pub result_key: Option<OneOrMany>,
    #[serde(default)]
    pub non_aggregate_keys: Vec<String>,
}

/// A paginator field that is a string or a list of strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn as_slice(&self) -> &[String] {
        match self {
            OneOrMany::One(s) => std::slice::from_ref(s),
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Deserialize)]
struct PaginatorsFile {
    pagination: IndexMap<String, Paginator>,
}

/// One waiter of `waiters-2.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Waiter {
    pub operation: String,
    pub delay: u32,
    pub max_attempts: u32,
    pub acceptors: Vec<Acceptor>,
    #[serde(default)]
    pub description: Option<String>,
}

/// How a waiter decides from one response.
#[derive(Debug, Clone, Deserialize)]
pub struct Acceptor {
    pub matcher: String,
    pub expected: serde_json::Value,
    pub state: String,
    #[serde(default)]
    pub argument: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WaitersFile {
    waiters: IndexMap<String, Waiter>,
}

impl ModelsDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ModelsDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every service with a model, sorted by name.
    pub fn services(&self) -> Result<Vec<String>> {
        let mut services = Vec::new();
        let entries = fs::read_dir(&self.root)
            .with_context(|| format!("listing models in {}", self.root.display()))?;
        for entry in entries {
            let entry = entry?;
            if entry.file_type()?.is_dir() && self.latest_version(&entry.path())?.is_some() {
                services.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        services.sort();
        Ok(services)
    }

    /// The newest API version directory of a service that holds a service model.
    fn latest_version(&self, service_dir: &Path) -> Result<Option<String>> {
        let mut best: Option<String> = None;
        for entry in fs::read_dir(service_dir)
            .with_context(|| format!("listing {}", service_dir.display()))?
        {
            let path = entry?.path();
            let has_model =
                path.join("service-2.json.gz").is_file() || path.join("service-2.json").is_file();
            let version = path.file_name().map(|n| n.to_string_lossy().into_owned());
            if let (true, Some(version)) = (has_model, version)
                && best.as_ref().is_none_or(|b| version > *b)
            {
                best = Some(version);
            }
        }
        Ok(best)
    }

    /// Reads only a service's `endpoint-rule-set-1.json` (at its newest API version), if it
    /// has one: what the endpoint conformance suite needs, without parsing the whole model.
    pub fn load_endpoint_rules(&self, service: &str) -> Result<Option<serde_json::Value>> {
        let service_dir = self.root.join(service);
        let api_version = self
            .latest_version(&service_dir)?
            .with_context(|| format!("{} has no service-2.json", service_dir.display()))?;
        read_json(&service_dir.join(api_version), "endpoint-rule-set-1")
    }

    /// Loads a service's model files.
    pub fn load(&self, service: &str) -> Result<ServiceFiles> {
        let service_dir = self.root.join(service);
        if !service_dir.is_dir() {
            bail!(
                "no model for service `{service}` in {}",
                self.root.display()
            );
        }
        let api_version = self
            .latest_version(&service_dir)?
            .with_context(|| format!("{} has no service-2.json", service_dir.display()))?;
        let dir = service_dir.join(&api_version);

        let mut model_json: serde_json::Value = read_json(&dir, "service-2")?
            .with_context(|| format!("{} has no service-2.json", dir.display()))?;
        if let Some(extras) = read_json::<serde_json::Value>(&dir, "service-2.sdk-extras")? {
            apply_extras(
                &mut model_json,
                extras,
                &dir.join("service-2.sdk-extras.json"),
            )?;
        }
        let model: ServiceModel = serde_json::from_value(model_json).with_context(|| {
            format!(
                "{}: not a valid service model",
                dir.join("service-2.json").display()
            )
        })?;

        let mut paginators = IndexMap::new();
        if let Some(mut json) = read_json::<serde_json::Value>(&dir, "paginators-1")? {
            if let Some(extras) = read_json::<serde_json::Value>(&dir, "paginators-1.sdk-extras")? {
                apply_extras(&mut json, extras, &dir.join("paginators-1.sdk-extras.json"))?;
            }
            let file: PaginatorsFile = serde_json::from_value(json).with_context(|| {
                format!(
                    "{}: not a valid paginators file",
                    dir.join("paginators-1.json").display()
                )
            })?;
            paginators = file.pagination;
        }
        let waiters = read_json::<WaitersFile>(&dir, "waiters-2")?
            .map(|w| w.waiters)
            .unwrap_or_default();
        Ok(ServiceFiles {
            name: service.to_string(),
            api_version,
            model,
            paginators,
            waiters,
            examples: read_json(&dir, "examples-1")?,
            endpoint_rules: read_json(&dir, "endpoint-rule-set-1")?,
        })
    }
}

/// Reads `<stem>.json` or `<stem>.json.gz` from `dir`, if either exists.
fn read_json<T: DeserializeOwned>(dir: &Path, stem: &str) -> Result<Option<T>> {
    let plain = dir.join(format!("{stem}.json"));
    let gz = dir.join(format!("{stem}.json.gz"));
    let (path, bytes) = if plain.is_file() {
        let bytes = fs::read(&plain).with_context(|| format!("reading {}", plain.display()))?;
        (plain, bytes)
    } else if gz.is_file() {
        let raw = fs::read(&gz).with_context(|| format!("reading {}", gz.display()))?;
        let mut bytes = Vec::with_capacity(raw.len() * 8);
        flate2::read::GzDecoder::new(raw.as_slice())
            .read_to_end(&mut bytes)
            .with_context(|| format!("{}: not valid gzip", gz.display()))?;
        (gz, bytes)
    } else {
        return Ok(None);
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .with_context(|| format!("{}: invalid JSON", path.display()))
}

/// Applies an `sdk-extras` file: `{"version": 1.0, "merge": {...}}` deep-merged into the model.
fn apply_extras(
    base: &mut serde_json::Value,
    extras: serde_json::Value,
    path: &Path,
) -> Result<()> {
    let merge = extras
        .get("merge")
        .with_context(|| format!("{}: no `merge` object", path.display()))?;
    deep_merge(base, merge);
    Ok(())
}

/// botocore's `deep_merge`: objects present on both sides merge key by key; anything else in
/// `extra` replaces what `base` had.
pub fn deep_merge(base: &mut serde_json::Value, extra: &serde_json::Value) {
    use serde_json::Value;
    match (base, extra) {
        (Value::Object(base), Value::Object(extra)) => {
            for (key, value) in extra {
                match base.get_mut(key) {
                    Some(existing @ Value::Object(_)) if value.is_object() => {
                        deep_merge(existing, value)
                    }
                    _ => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (base, extra) => *base = extra.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_merge_merges_objects_and_replaces_the_rest() {
        let mut base = json!({"shapes": {"A": {"type": "structure", "members": {"X": {"shape": "S"}}}, "B": {"type": "string"}}, "list": [1]});
        deep_merge(
            &mut base,
            &json!({"shapes": {"A": {"members": {"Y": {"shape": "T"}}}, "B": "replaced"}, "list": [2], "new": true}),
        );
        assert_eq!(
            base,
            json!({"shapes": {"A": {"type": "structure", "members": {"X": {"shape": "S"}, "Y": {"shape": "T"}}}, "B": "replaced"}, "list": [2], "new": true})
        );
    }
}
