//! The services credential providers call (STS, SSO, SSO-OIDC), described here for the
//! runtime's own pipeline: the generated crates depend on the runtime, so the runtime
//! cannot call through them. Operations and their schemas are written by the provider
//! that calls them, with only the members it sends and reads; the endpoint rules are
//! the services' own (generated into `rules_data.rs`).

use super::{ProvideCredentials, ProviderContext};
use crate::client::ClientHandle;
use crate::error::SdkError;
use crate::operation::{Operation, Protocol, ServiceError, ServiceInfo};
use crate::value::StructValue;
use std::sync::Arc;

/// AWS Security Token Service (`AssumeRole`, `AssumeRoleWithWebIdentity`).
pub(crate) static STS: ServiceInfo = ServiceInfo {
    name: "sts",
    service_id: "STS",
    api_version: "2011-06-15",
    endpoint_prefix: "sts",
    signing_name: "sts",
    protocol: Protocol::Query,
    protocols: &[Protocol::Query],
    json_version: None,
    target_prefix: None,
    xml_namespace: Some("https://sts.amazonaws.com/doc/2011-06-15/"),
    endpoint_rules: Some(&super::rules_data::STS),
    signature_version: "v4",
    auth: &["aws.auth#sigv4"],
    query_compatible: false,
    endpoint_discovery: None,
};

/// IAM Identity Center's portal (`GetRoleCredentials`).
pub(crate) static SSO: ServiceInfo = ServiceInfo {
    name: "sso",
    service_id: "SSO",
    api_version: "2019-06-10",
    endpoint_prefix: "portal.sso",
    signing_name: "awsssoportal",
    protocol: Protocol::RestJson,
    protocols: &[Protocol::RestJson],
    json_version: Some("1.1"),
    target_prefix: None,
    xml_namespace: None,
    endpoint_rules: Some(&super::rules_data::SSO),
    signature_version: "v4",
    auth: &["aws.auth#sigv4"],
    query_compatible: false,
    endpoint_discovery: None,
};

/// IAM Identity Center's OIDC service (`CreateToken`, to refresh an SSO token).
pub(crate) static SSO_OIDC: ServiceInfo = ServiceInfo {
    name: "sso-oidc",
    service_id: "SSO OIDC",
    api_version: "2019-06-10",
    endpoint_prefix: "oidc",
    signing_name: "sso-oauth",
    protocol: Protocol::RestJson,
    protocols: &[Protocol::RestJson],
    json_version: Some("1.1"),
    target_prefix: None,
    xml_namespace: None,
    endpoint_rules: Some(&super::rules_data::SSO_OIDC),
    signature_version: "v4",
    auth: &["aws.auth#sigv4"],
    query_compatible: false,
    endpoint_discovery: None,
};

/// Calls `op` in `region` (else the context's, else `us-east-1`) signed with `credentials`
/// (`None` for the operations that take no signature), through the runtime's pipeline:
/// endpoint rules, retries, timeouts and `AWS_ENDPOINT_URL[_<SERVICE>]` as for any client.
pub(crate) async fn call<I, O>(
    context: &ProviderContext,
    op: &'static Operation,
    region: Option<&str>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    input: I,
) -> Result<O, SdkError<ServiceError>>
where
    I: StructValue,
    O: StructValue + Default,
{
    let region = region
        .or(context.config().region())
        .unwrap_or("us-east-1")
        .to_owned();
    let config = context
        .config()
        .with_region_and_credentials(Some(region), credentials);
    ClientHandle::new(&config, op.service)
        .invoke(op, input)
        .await
}
