//! Endpoint: where a request goes and how it is signed, from the service's endpoint rule set
//! evaluated with the client's configuration and the operation's input.
//!
//! A client binds the rule set's built-in parameters (region, FIPS, dual-stack, S3 options,
//! `SDK::Endpoint` from a configured endpoint URL) and any client parameters once, in an
//! `EndpointResolver`. Each request adds the operation's `staticContextParams`, the input
//! members marked `contextParam` and the `operationContextParams` paths, then evaluates the
//! rules. Operations whose parameters do not depend on the input resolve once per client.

use crate::config::{BuiltInValue, Config};
use crate::endpoint::{Endpoint, ParamKind, ParamValue, Params, RuleSet};
use crate::error::ConfigError;
use crate::jmespath::{Expression, Found};
use crate::operation::{ContextValue, Operation, ServiceInfo};
use crate::value::{StructValue, ValueRef};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// Where one request goes and how it is signed.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedEndpoint {
    /// `scheme://host[:port][/path]`.
    pub url: String,
    /// Headers the endpoint requires on the request.
    pub headers: Vec<(String, Vec<String>)>,
    /// The endpoint's properties as the rules gave them (`authSchemes` and others).
    pub properties: crate::Document,
    /// How to sign requests to it.
    pub auth: AuthScheme,
}

/// The signing scheme an endpoint asks for (its first `authSchemes` entry that Stratus
/// supports), with the service's defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthScheme {
    /// `sigv4`, `sigv4a`, or `sigv4-s3express` for S3 directory buckets.
    pub name: String,
    /// The service name in the credential scope.
    pub signing_name: String,
    /// The region in the credential scope (SigV4).
    pub signing_region: String,
    /// The regions a SigV4a signature is valid in (`*` for all).
    pub signing_region_set: Vec<String>,
    /// Whether the canonical URI is encoded once instead of twice (S3).
    pub disable_double_encoding: bool,
}

/// The auth schemes Stratus signs with.
#[cfg(feature = "sigv4a")]
const SUPPORTED_SCHEMES: &[&str] = &["sigv4", "sigv4a", "sigv4-s3express"];
/// Without the `sigv4a` feature, endpoints that offer only SigV4a cannot be called.
#[cfg(not(feature = "sigv4a"))]
const SUPPORTED_SCHEMES: &[&str] = &["sigv4", "sigv4-s3express"];

/// A client's endpoint resolution: the rule set with the client's parameters bound.
pub(crate) struct EndpointResolver {
    /// The parameters the configuration set by name: no customisation overrides them.
    pinned: Vec<String>,
    /// The user's auth scheme preference, which reorders an endpoint's `authSchemes`.
    auth_scheme_preference: Vec<String>,
    /// The `AWS::Auth::AccountId` parameter, bound per call from the credentials, unless
    /// the account ID endpoint mode is `disabled` or the configuration pinned it.
    account_id_param: Option<usize>,
    service: &'static ServiceInfo,
    region: Option<String>,
    configured_url: Option<String>,
    /// The rule set and the parameters every request shares; `None` for a service built
    /// without rules (dynamic models in tests), which needs a configured endpoint URL.
    rules: Option<(&'static RuleSet, Params)>,
    /// What each operation binds, worked out on its first call.
    bindings: RwLock<HashMap<&'static str, Arc<OperationBinding>>>,
    /// Recent endpoints of the others, by their parameters (as botocore caches them): the
    /// same bucket or table again skips evaluating the rules.
    recent: Mutex<RecentEndpoints>,
}

/// The last few resolutions by parameter values, oldest replaced first.
#[derive(Default)]
struct RecentEndpoints {
    entries: Vec<(u64, Vec<Option<ParamValue>>, Arc<ResolvedEndpoint>)>,
    next: usize,
}

impl RecentEndpoints {
    const CAPACITY: usize = 32;

    fn get(&self, hash: u64, values: &[Option<ParamValue>]) -> Option<Arc<ResolvedEndpoint>> {
        self.entries
            .iter()
            .find(|(h, v, _)| *h == hash && v == values)
            .map(|(_, _, resolved)| resolved.clone())
    }

    fn insert(
        &mut self,
        hash: u64,
        values: &[Option<ParamValue>],
        resolved: Arc<ResolvedEndpoint>,
    ) {
        let entry = (hash, values.to_vec(), resolved);
        if self.entries.len() < Self::CAPACITY {
            self.entries.push(entry);
        } else {
            self.entries[self.next] = entry;
            self.next = (self.next + 1) % Self::CAPACITY;
        }
    }
}

/// A hash of parameter values, to find them among recent resolutions quickly.
fn hash_values(values: &[Option<ParamValue>]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for value in values {
        match value {
            None => 0u8.hash(&mut hasher),
            Some(ParamValue::Bool(b)) => (1u8, b).hash(&mut hasher),
            Some(ParamValue::String(s)) => (2u8, s).hash(&mut hasher),
            Some(ParamValue::StringArray(items)) => (3u8, items).hash(&mut hasher),
        }
    }
    hasher.finish()
}

impl EndpointResolver {
    /// Binds the rule set's built-in and client parameters from `config`.
    pub(crate) fn new(
        config: &Config,
        service: &'static ServiceInfo,
        configured_url: Option<String>,
    ) -> Result<Self, ConfigError> {
        let rules = match service.endpoint_rules {
            None => None,
            Some(rules) => {
                let rules = rules.get().map_err(|e| {
                    ConfigError::new(format!(
                        "the endpoint rules of {} are corrupt: {e}",
                        service.service_id
                    ))
                })?;
                let mut params = Params::new(rules);
                let settings = config.endpoint_settings();
                for (index, spec) in rules.params().iter().enumerate() {
                    let Some(built_in) = spec.built_in else {
                        continue;
                    };
                    let value = settings.built_in(
                        built_in.name(),
                        service.endpoint_prefix,
                        config.region(),
                        configured_url.as_deref(),
                    );
                    let value = match value {
                        Some(BuiltInValue::Bool(b)) => ParamValue::Bool(b),
                        Some(BuiltInValue::String(s)) => ParamValue::String(s),
                        None => continue,
                    };
                    set(&mut params, rules, index, value)?;
                }
                for (name, value) in config.endpoint_params() {
                    if let Some(index) = rules.param_index(name) {
                        set(&mut params, rules, index, value.clone())?;
                    }
                }
                Some((rules, params))
            }
        };
        let pinned: Vec<String> = config
            .endpoint_params()
            .iter()
            .map(|(name, _)| name.clone())
            .collect();
        let account_id_param = rules.as_ref().and_then(|(rules, _)| {
            let mode = config.endpoint_settings().account_id_endpoint_mode;
            if mode == Some(crate::config::AccountIdEndpointMode::Disabled) {
                return None;
            }
            rules.params().iter().position(|spec| {
                spec.built_in == Some(crate::endpoint::BuiltIn::AccountId)
                    && !pinned.contains(&spec.name)
            })
        });
        Ok(EndpointResolver {
            pinned,
            auth_scheme_preference: config.auth_scheme_preference().to_vec(),
            account_id_param,
            service,
            region: config.region().map(str::to_owned),
            configured_url,
            rules,
            bindings: RwLock::new(HashMap::new()),
            recent: Mutex::new(RecentEndpoints::default()),
        })
    }

    /// Whether endpoints depend on the account of the credentials.
    pub(crate) fn needs_account_id(&self) -> bool {
        self.account_id_param.is_some()
    }

    /// Resolves the endpoint of `op` called with `input` by a caller of account `account_id`.
    pub(crate) fn resolve(
        &self,
        op: &'static Operation,
        input: &dyn StructValue,
        account_id: Option<&str>,
    ) -> Result<Arc<ResolvedEndpoint>, ConfigError> {
        let Some((rules, base)) = &self.rules else {
            return self.without_rules().map(Arc::new);
        };
        let binding = self.binding(op, rules, base)?;
        let account = self.account_id_param.zip(account_id);
        let from_input = binding.reads_input() || account.is_some();
        if !from_input && let Some(found) = binding.resolved.get() {
            return Ok(found.clone());
        }
        let mut params = binding.params.clone();
        binding.bind_input(rules, &mut params, input)?;
        if let Some((index, account_id)) = account {
            set(
                &mut params,
                rules,
                index,
                ParamValue::String(account_id.to_owned()),
            )?;
        }
        // A service customisation may change a parameter for this call, unless the caller
        // set it by name (`ConfigBuilder::endpoint_param`), which is their last word (as
        // botocore's own endpoint tests pin built-ins after its handlers ran).
        if let Some((name, value)) = crate::customize::endpoint_overrides(op, input)
            && !self.pinned.iter().any(|pinned| pinned == name)
            && let Some(index) = rules.param_index(name)
        {
            set(&mut params, rules, index, ParamValue::Bool(value))?;
        }
        let hash = from_input.then(|| hash_values(params.values()));
        if let Some(hash) = hash
            && let Some(found) = self
                .recent
                .lock()
                .ok()
                .and_then(|recent| recent.get(hash, params.values()))
        {
            return Ok(found);
        }
        let endpoint = rules.resolve(&params).map_err(|e| {
            if self.region.is_none() && e.message().contains("Region") {
                self.no_region()
            } else {
                ConfigError::new(format!(
                    "cannot resolve the endpoint of {} {}: {e}",
                    self.service.service_id, op.name
                ))
            }
        })?;
        let resolved = Arc::new(self.finish(endpoint)?);
        match hash {
            None => {
                let _ = binding.resolved.set(resolved.clone());
            }
            Some(hash) => {
                if let Ok(mut recent) = self.recent.lock() {
                    recent.insert(hash, params.values(), resolved.clone());
                }
            }
        }
        Ok(resolved)
    }

    /// The binding of `op`, worked out on its first call through this client.
    fn binding(
        &self,
        op: &'static Operation,
        rules: &RuleSet,
        base: &Params,
    ) -> Result<Arc<OperationBinding>, ConfigError> {
        if let Some(found) = self
            .bindings
            .read()
            .ok()
            .and_then(|b| b.get(op.name).cloned())
        {
            return Ok(found);
        }
        let binding = Arc::new(OperationBinding::new(rules, base, op)?);
        Ok(match self.bindings.write() {
            // Two first calls may race: the first binding stored is kept (with the endpoint
            // it may already cache), the other dropped.
            Ok(mut bindings) => bindings.entry(op.name).or_insert(binding).clone(),
            Err(_) => binding,
        })
    }

    fn no_region(&self) -> ConfigError {
        ConfigError::new(format!(
            "no region for {}: set AWS_REGION, `region` in the profile, or Config::builder().region(..)",
            self.service.service_id
        ))
    }

    /// A service without rules goes to the configured URL, signed for the region.
    fn without_rules(&self) -> Result<ResolvedEndpoint, ConfigError> {
        let url = self.configured_url.clone().ok_or_else(|| {
            ConfigError::new(format!(
                "{} has no endpoint rules: configure an endpoint URL",
                self.service.service_id
            ))
        })?;
        let region = self.region.clone().ok_or_else(|| self.no_region())?;
        Ok(ResolvedEndpoint {
            url: checked_url(url)?,
            headers: Vec::new(),
            properties: crate::Document::Null,
            auth: AuthScheme {
                name: "sigv4".to_owned(),
                signing_name: self.service.signing_name.to_owned(),
                signing_region: region,
                signing_region_set: Vec::new(),
                disable_double_encoding: false,
            },
        })
    }

    /// The URL, headers and auth scheme of a resolved endpoint.
    fn finish(&self, endpoint: Endpoint) -> Result<ResolvedEndpoint, ConfigError> {
        let auth = auth_scheme(
            &endpoint,
            self.service,
            self.region.as_deref(),
            &self.auth_scheme_preference,
        )?;
        Ok(ResolvedEndpoint {
            url: checked_url(endpoint.url)?,
            headers: endpoint.headers,
            properties: endpoint.properties,
            auth,
        })
    }
}

fn set(
    params: &mut Params,
    rules: &RuleSet,
    index: usize,
    value: ParamValue,
) -> Result<(), ConfigError> {
    params.set(index, value).map_err(|e| {
        ConfigError::new(format!(
            "endpoint parameter {}: {e}",
            rules.params()[index].name
        ))
    })
}

/// What an operation binds besides the client's parameters: its `staticContextParams`
/// (applied once, here), and where its `contextParam` members and `operationContextParams`
/// paths put input values. Later ones win, as in botocore.
struct OperationBinding {
    /// The client's parameters with the static context parameters applied.
    params: Params,
    /// `(member index, parameter index)` of each `contextParam` member.
    members: Vec<(usize, usize)>,
    /// `(parameter index, parameter kind, path)` of each `operationContextParams` entry.
    paths: Vec<(usize, ParamKind, Expression)>,
    /// The endpoint, once resolved, of an operation that binds nothing from its input.
    resolved: OnceLock<Arc<ResolvedEndpoint>>,
}

impl OperationBinding {
    fn new(rules: &RuleSet, base: &Params, op: &Operation) -> Result<Self, ConfigError> {
        let mut params = base.clone();
        for (name, value) in op.static_context_params {
            let Some(index) = rules.param_index(name) else {
                continue;
            };
            let value = match value {
                ContextValue::Bool(b) => ParamValue::Bool(*b),
                ContextValue::String(s) => ParamValue::String((*s).to_owned()),
                ContextValue::StringList(list) => {
                    ParamValue::StringArray(list.iter().map(|s| (*s).to_owned()).collect())
                }
            };
            set(&mut params, rules, index, value)?;
        }
        let members = op
            .input
            .members()
            .iter()
            .enumerate()
            .filter_map(|(i, member)| Some((i, rules.param_index(member.context_param?)?)))
            .collect();
        let mut paths = Vec::new();
        for (name, path) in op.operation_context_params {
            let Some(index) = rules.param_index(name) else {
                continue;
            };
            let path = Expression::parse(path).map_err(|e| {
                ConfigError::new(format!("operationContextParams {name} of {}: {e}", op.name))
            })?;
            paths.push((index, rules.params()[index].kind, path));
        }
        Ok(OperationBinding {
            params,
            members,
            paths,
            resolved: OnceLock::new(),
        })
    }

    /// Whether any parameter comes from the input.
    fn reads_input(&self) -> bool {
        !self.members.is_empty() || !self.paths.is_empty()
    }

    /// Sets the parameters the input gives.
    fn bind_input(
        &self,
        rules: &RuleSet,
        params: &mut Params,
        input: &dyn StructValue,
    ) -> Result<(), ConfigError> {
        for &(member, index) in &self.members {
            if let Some(value) = input.member(member).and_then(|v| param_value(v.get())) {
                set(params, rules, index, value)?;
            }
        }
        for (index, kind, path) in &self.paths {
            // A path can only fail on a type error (`keys()` of an unset member); validation,
            // which runs first, reports missing required members. Such a path binds nothing.
            let found = path.search_struct(input).unwrap_or(Found::Null);
            let value = match kind {
                ParamKind::StringArray => Some(ParamValue::StringArray(strings(found))),
                _ => match found {
                    Found::Value(v) => param_value(v.get()),
                    Found::String(s) => Some(ParamValue::String(s.into_owned())),
                    Found::Bool(b) => Some(ParamValue::Bool(b)),
                    _ => None,
                },
            };
            if let Some(value) = value {
                set(params, rules, *index, value)?;
            }
        }
        Ok(())
    }
}

/// A parameter value from an input member: strings, booleans and lists of strings.
fn param_value(value: ValueRef<'_>) -> Option<ParamValue> {
    match value {
        ValueRef::String(s) => Some(ParamValue::String(s.to_owned())),
        ValueRef::Bool(b) => Some(ParamValue::Bool(b)),
        ValueRef::List(list) => Some(ParamValue::StringArray(
            (0..list.len())
                .filter_map(|i| match list.item(i)?.get() {
                    ValueRef::String(s) => Some(s.to_owned()),
                    _ => None,
                })
                .collect(),
        )),
        _ => None,
    }
}

/// The strings a path selected for a string-array parameter: a string, or the strings of
/// an array and of the arrays in it, at any depth (other values are left out).
fn strings(found: Found<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![found];
    while let Some(found) = stack.pop() {
        if found.type_name() == "string" {
            out.extend(found.as_str().map(Cow::into_owned));
        } else if let Some(items) = found.into_list() {
            stack.extend(items.into_iter().rev());
        }
    }
    out
}

/// Picks the first supported auth scheme of the endpoint's `authSchemes` property (SigV4
/// with the service's signing name and the client's region when there is none).
fn auth_scheme(
    endpoint: &Endpoint,
    service: &ServiceInfo,
    region: Option<&str>,
    preference: &[String],
) -> Result<AuthScheme, ConfigError> {
    let default = || AuthScheme {
        name: "sigv4".to_owned(),
        signing_name: service.signing_name.to_owned(),
        signing_region: region.unwrap_or("us-east-1").to_owned(),
        signing_region_set: Vec::new(),
        disable_double_encoding: false,
    };
    let Some(schemes) = endpoint
        .properties
        .as_object()
        .and_then(|p| p.get("authSchemes"))
        .and_then(|s| s.as_array())
    else {
        return Ok(default());
    };
    // With an auth scheme preference, the endpoint's schemes the user prefers come first, in
    // the preference's order (botocore's `auth_schemes_to_signing_ctx`); the others keep the
    // endpoint's order.
    let rank = |scheme: &crate::Document| {
        let name = scheme
            .as_object()
            .and_then(|f| f.get("name"))
            .and_then(|n| n.as_str())
            .unwrap_or("");
        preference
            .iter()
            .position(|p| p == name)
            .unwrap_or(preference.len())
    };
    let mut ordered: Vec<&crate::Document> = schemes.iter().collect();
    ordered.sort_by_key(|scheme| rank(scheme));
    let mut names = Vec::new();
    for scheme in ordered {
        let Some(fields) = scheme.as_object() else {
            continue;
        };
        let text = |key: &str| fields.get(key).and_then(|v| v.as_str());
        let name = text("name").unwrap_or("");
        names.push(name);
        if !SUPPORTED_SCHEMES.contains(&name) {
            continue;
        }
        let mut auth = default();
        auth.name = name.to_owned();
        if let Some(signing_name) = text("signingName") {
            auth.signing_name = signing_name.to_owned();
        }
        if let Some(signing_region) = text("signingRegion") {
            auth.signing_region = signing_region.to_owned();
        }
        if let Some(set) = fields.get("signingRegionSet").and_then(|v| v.as_array()) {
            auth.signing_region_set = set
                .iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect();
        }
        if auth.name == "sigv4a" && auth.signing_region_set.is_empty() {
            auth.signing_region_set = vec![auth.signing_region.clone()];
        }
        auth.disable_double_encoding = fields
            .get("disableDoubleEncoding")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        return Ok(auth);
    }
    if schemes.is_empty() {
        return Ok(default());
    }
    if !cfg!(feature = "sigv4a") && names.contains(&"sigv4a") {
        return Err(ConfigError::new(format!(
            "the endpoint {} needs the auth scheme {}, and SigV4a signing is compiled out: turn on \
             the `sigv4a` feature of stratus-runtime (the crates of services whose endpoint rules \
             offer SigV4a turn it on themselves)",
            endpoint.url,
            names.join(" or "),
        )));
    }
    Err(ConfigError::new(format!(
        "the endpoint {} needs the auth scheme {}, which Stratus does not support yet (it signs with {})",
        endpoint.url,
        names.join(" or "),
        SUPPORTED_SCHEMES.join(", ")
    )))
}

/// Checks a URL has a scheme and a host.
fn checked_url(url: String) -> Result<String, ConfigError> {
    let parsed: http::Uri = url
        .parse()
        .map_err(|e| ConfigError::new(format!("endpoint URL `{url}` is not a valid URL: {e}")))?;
    if parsed.scheme().is_none() || parsed.host().is_none() {
        return Err(ConfigError::new(format!(
            "endpoint URL `{url}` needs a scheme and a host, e.g. https://example.com"
        )));
    }
    Ok(url)
}

/// Joins an endpoint URL, an optional host prefix and a request's path and query, as
/// botocore's `_urljoin` does: an empty path (or `/`) keeps the endpoint's path, otherwise
/// the request's path follows the endpoint's (one `/` between them). S3's request paths
/// lose their `/{Bucket}` and the endpoint carries the bucket, so path-style `CreateBucket`
/// is `https://host/bucket` and `ListObjectsV2` `https://host/bucket?list-type=2`.
pub fn join(
    endpoint_url: &str,
    host_prefix: Option<&str>,
    path_and_query: &str,
) -> Result<http::Uri, String> {
    let (scheme, rest) = endpoint_url
        .split_once("://")
        .ok_or_else(|| format!("`{endpoint_url}` has no scheme"))?;
    let (authority, base_path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let mut path = String::with_capacity(base_path.len() + path_and_query.len() + 1);
    if path_and_query.is_empty() || path_and_query == "/" {
        path.push_str(if base_path.is_empty() { "/" } else { base_path });
    } else if base_path.ends_with('/') && path_and_query.starts_with('/') {
        path.push_str(&base_path[..base_path.len() - 1]);
        path.push_str(path_and_query);
    } else {
        path.push_str(base_path);
        path.push_str(path_and_query);
    }
    if !path.starts_with('/') {
        // `?list-type=2` on a virtual-hosted bucket: the request line needs a path.
        path.insert(0, '/');
    }
    let url = format!("{scheme}://{}{authority}{path}", host_prefix.unwrap_or(""));
    url.parse()
        .map_err(|e| format!("`{url}` is not a valid URI: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_array_parameters_take_the_strings_at_any_depth() {
        let found = Found::from_json(&serde_json::json!(["a", ["b", null, ["c"]], 1, {"d": "e"}]));
        assert_eq!(strings(found), ["a", "b", "c"]);
        assert_eq!(strings(Found::from("x")), ["x"]);
        assert!(strings(Found::Null).is_empty());
        // DynamoDB's TransactWriteItems `ResourceArnList`, as botocore reads it.
        let path = Expression::parse(
            "TransactItems[*].[ConditionCheck.TableName, Put.TableName, Delete.TableName, \
             Update.TableName][]",
        )
        .unwrap();
        let input = serde_json::json!({"TransactItems": [
            {"Put": {"TableName": "a"}},
            {"Delete": {"TableName": "b"}},
            {"Update": {"TableName": "a"}},
        ]});
        let found = path.search_found(Found::from_json(&input)).unwrap();
        assert_eq!(strings(found), ["a", "b", "a"]);
    }

    #[test]
    fn joins_endpoint_prefix_and_path_as_botocore() {
        let cases = [
            (
                "http://127.0.0.1:5000",
                None,
                "/?Action=X",
                "http://127.0.0.1:5000/?Action=X",
            ),
            (
                "https://example.com/custom/",
                Some("foo."),
                "/path?q=1",
                "https://foo.example.com/custom/path?q=1",
            ),
            (
                "https://example.com/custom",
                None,
                "/path",
                "https://example.com/custom/path",
            ),
            // S3, path style: the endpoint carries the bucket.
            (
                "http://127.0.0.1:5000/bucket",
                None,
                "",
                "http://127.0.0.1:5000/bucket",
            ),
            (
                "http://127.0.0.1:5000/bucket",
                None,
                "?list-type=2",
                "http://127.0.0.1:5000/bucket?list-type=2",
            ),
            (
                "http://127.0.0.1:5000/bucket",
                None,
                "/a//b",
                "http://127.0.0.1:5000/bucket/a//b",
            ),
            // Virtual-hosted.
            (
                "https://bucket.s3.amazonaws.com",
                None,
                "?uploads",
                "https://bucket.s3.amazonaws.com/?uploads",
            ),
            (
                "https://bucket.s3.amazonaws.com",
                None,
                "",
                "https://bucket.s3.amazonaws.com/",
            ),
        ];
        for (endpoint, prefix, path, expected) in cases {
            assert_eq!(
                join(endpoint, prefix, path).unwrap().to_string(),
                expected,
                "{endpoint} {path}"
            );
        }
        assert!(join("example.com", None, "/").is_err());
    }

    #[test]
    fn picks_the_first_supported_auth_scheme() {
        use crate::Document;
        let service = ServiceInfo::test("svc", "Svc");
        let endpoint = |properties: Document| Endpoint {
            url: "https://svc.example.com".into(),
            headers: Vec::new(),
            properties,
        };
        let text = |s: &str| Document::String(s.to_owned());
        let object = |fields: &[(&str, Document)]| {
            Document::Object(
                fields
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.clone()))
                    .collect(),
            )
        };
        let schemes = |list: Vec<Document>| object(&[("authSchemes", Document::Array(list))]);
        let none =
            auth_scheme(&endpoint(Document::Null), &service, Some("eu-west-1"), &[]).unwrap();
        assert_eq!(
            (
                none.name.as_str(),
                none.signing_name.as_str(),
                none.signing_region.as_str()
            ),
            ("sigv4", "svc", "eu-west-1")
        );
        let chosen = auth_scheme(
            &endpoint(schemes(vec![
                object(&[("name", text("sigv5"))]),
                object(&[
                    ("name", text("sigv4")),
                    ("signingName", text("other")),
                    ("signingRegion", text("us-east-1")),
                    ("disableDoubleEncoding", Document::Bool(true)),
                ]),
            ])),
            &service,
            Some("eu-west-1"),
            &[],
        )
        .unwrap();
        assert_eq!(chosen.name, "sigv4");
        assert_eq!(chosen.signing_name, "other");
        assert_eq!(chosen.signing_region, "us-east-1");
        assert!(chosen.disable_double_encoding);
        let only_v4a = endpoint(schemes(vec![object(&[
            ("name", text("sigv4a")),
            ("signingRegionSet", Document::Array(vec![text("*")])),
        ])]));
        if cfg!(feature = "sigv4a") {
            let v4a = auth_scheme(&only_v4a, &service, Some("eu-west-1"), &[]).unwrap();
            assert_eq!(v4a.signing_region_set, vec!["*".to_string()]);
        } else {
            let err = auth_scheme(&only_v4a, &service, Some("eu-west-1"), &[]).unwrap_err();
            assert!(err.message.contains("`sigv4a` feature"), "{}", err.message);
        }
        let err = auth_scheme(
            &endpoint(schemes(vec![object(&[("name", text("sigv5"))])])),
            &service,
            None,
            &[],
        )
        .unwrap_err();
        assert!(err.message.contains("sigv5"), "{}", err.message);
        // A preference moves the schemes it names first; others keep the endpoint's order.
        let both = endpoint(schemes(vec![
            object(&[
                ("name", text("sigv4")),
                ("signingRegion", text("us-east-1")),
            ]),
            object(&[
                ("name", text("sigv4a")),
                ("signingRegionSet", Document::Array(vec![text("*")])),
            ]),
        ]));
        let plain = auth_scheme(&both, &service, None, &[]).unwrap();
        assert_eq!(plain.name, "sigv4");
        let prefer = ["sigv4a".to_owned(), "sigv4".to_owned()];
        let preferred = auth_scheme(&both, &service, None, &prefer);
        if cfg!(feature = "sigv4a") {
            assert_eq!(preferred.unwrap().name, "sigv4a");
        } else {
            assert_eq!(preferred.unwrap().name, "sigv4");
        }
        let unknown = ["httpBearerAuth".to_owned()];
        assert_eq!(
            auth_scheme(&both, &service, None, &unknown).unwrap().name,
            "sigv4"
        );
    }
}
