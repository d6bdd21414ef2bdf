//! Endpoint: where a request goes. An explicit or configured endpoint URL wins; otherwise
//! the service's AWS hostname. (Endpoint rule sets replace the hostname fallback.)

use crate::error::ConfigError;
use crate::operation::{Operation, ServiceInfo};
use crate::schema::MemberFlags;
use crate::value::{StructValue, ValueRef};

/// The endpoint a request is sent to and signed for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `https://host[:port][/path]`, no trailing slash.
    pub url: String,
    pub signing_region: String,
}

/// The service's own hostname in `region`.
pub fn default_url(service: &ServiceInfo, region: &str) -> String {
    if let Some(global) = service.global_endpoint {
        return format!("https://{global}");
    }
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://{}.{region}.{suffix}", service.endpoint_prefix)
}

/// Resolves the endpoint of one request.
pub fn resolve(
    service: &ServiceInfo,
    configured_url: Option<&str>,
    region: Option<&str>,
) -> Result<Endpoint, ConfigError> {
    let region = region.ok_or_else(|| {
        ConfigError::new(format!(
            "no region for {}: set AWS_REGION, `region` in the profile, or Config::builder().region(..)",
            service.service_id
        ))
    })?;
    let url = match configured_url {
        Some(url) => {
            let parsed: http::Uri = url.parse().map_err(|e| {
                ConfigError::new(format!("endpoint URL `{url}` is not a valid URL: {e}"))
            })?;
            if parsed.scheme().is_none() || parsed.host().is_none() {
                return Err(ConfigError::new(format!(
                    "endpoint URL `{url}` needs a scheme and a host, e.g. https://example.com"
                )));
            }
            url.trim_end_matches('/').to_string()
        }
        None => default_url(service, region),
    };
    Ok(Endpoint {
        url,
        signing_region: region.to_string(),
    })
}

/// Expands an operation's `hostPrefix` (e.g. `{AccountId}.`) from the input's host-label
/// members. Every label must be a valid DNS label.
pub fn host_prefix(op: &Operation, input: &dyn StructValue) -> Result<Option<String>, String> {
    let Some(template) = op.host_prefix else {
        return Ok(None);
    };
    let mut prefix = template.to_string();
    for (i, member) in op.input.members().iter().enumerate() {
        if !member.has(MemberFlags::HOST_LABEL) {
            continue;
        }
        let placeholder = format!("{{{}}}", member.name);
        if !prefix.contains(&placeholder) {
            continue;
        }
        let value = match input.member(i).map(|v| v.get()) {
            Some(ValueRef::String(s)) => s.to_string(),
            _ => {
                return Err(format!(
                    "{} is required: it is part of the endpoint's host name",
                    member.name
                ));
            }
        };
        let valid = !value.is_empty()
            && value.len() <= 63
            && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !value.starts_with('-');
        if !valid {
            return Err(format!(
                "{} `{value}` is not a valid host label",
                member.name
            ));
        }
        prefix = prefix.replace(&placeholder, &value);
    }
    Ok(Some(prefix))
}

/// Joins an endpoint URL, an optional host prefix and a request's path and query.
pub fn join(
    endpoint_url: &str,
    host_prefix: Option<&str>,
    path_and_query: &str,
) -> Result<http::Uri, String> {
    let (scheme, rest) = endpoint_url
        .split_once("://")
        .ok_or_else(|| format!("`{endpoint_url}` has no scheme"))?;
    let (authority, base_path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let path = path_and_query.strip_prefix('/').unwrap_or(path_and_query);
    let url = format!(
        "{scheme}://{}{authority}{base_path}/{path}",
        host_prefix.unwrap_or("")
    );
    url.parse()
        .map_err(|e| format!("`{url}` is not a valid URI: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_endpoint_prefix_and_path() {
        let uri = join("http://127.0.0.1:5000", None, "/?Action=X").unwrap();
        assert_eq!(uri.to_string(), "http://127.0.0.1:5000/?Action=X");
        let uri = join("https://example.com/custom", Some("foo."), "/path?q=1").unwrap();
        assert_eq!(uri.to_string(), "https://foo.example.com/custom/path?q=1");
    }
}
