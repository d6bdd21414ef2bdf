//! Endpoint discovery, as botocore's `discovery.py` does it: an operation marked
//! `endpointdiscovery` goes to the address its service's `DescribeEndpoints` names, cached
//! for the period the answer gives.
//!
//! Discovery happens when the operation requires it (Timestream) or the configuration turns
//! it on (`endpoint_discovery_enabled = true`, for operations where it is optional, such as
//! DynamoDB's), and never when an endpoint URL is configured (botocore registers no
//! discovery then). The discovered address replaces the host of the endpoint the rules
//! gave; signing is unchanged. A failed discovery fails an operation that requires it, with
//! a configuration error naming the cause; an optional one falls back to the rules'
//! endpoint.

use super::{CallError, prepare_signed, send_with_retries};
use crate::client::HandleInner;
use crate::error::{ConfigError, SdkError};
use crate::operation::{EndpointDiscovery, Operation};
use crate::protocol::Codec;
use crate::value::{ValueRef, set_string_member};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an address is used when the answer gives no period (botocore's default).
const DEFAULT_PERIOD: Duration = Duration::from_secs(60);

/// Discovered addresses by operation, each with when it expires.
#[derive(Debug, Default)]
pub(crate) struct DiscoveryCache {
    entries: Mutex<HashMap<&'static str, (String, Instant)>>,
}

impl DiscoveryCache {
    fn get(&self, op: &'static str) -> Option<String> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(op)
            .filter(|(_, expires)| Instant::now() < *expires)
            .map(|(address, _)| address.clone())
    }

    fn put(&self, op: &'static str, address: String, period: Duration) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.insert(op, (address, Instant::now() + period));
    }
}

/// The discovered address (`host[:port][/path]`) to send `op` to, or `None` when its
/// endpoint comes from the rules.
pub(crate) async fn address(
    handle: &HandleInner,
    op: &'static Operation,
    codec: &dyn Codec,
) -> Result<Option<String>, CallError> {
    let wanted = match (op.endpoint_discovery, handle.config.endpoint_discovery()) {
        (EndpointDiscovery::None, _) => return Ok(None),
        (EndpointDiscovery::Required, Some(false)) => {
            return Err(config_error(format!(
                "{} requires endpoint discovery, which the configuration turns off",
                op.name
            )));
        }
        (EndpointDiscovery::Required, _) => true,
        (EndpointDiscovery::Optional, enabled) => enabled == Some(true),
    };
    let configured_url = handle
        .config
        .endpoint_url_for(handle.service.service_id)
        .ok()
        .flatten()
        .is_some();
    if !wanted || configured_url {
        return Ok(None);
    }
    if let Some(address) = handle.discovered.get(op.name) {
        return Ok(Some(address));
    }
    match describe_endpoints(handle, op, codec).await {
        Ok((address, period)) => {
            handle.discovered.put(op.name, address.clone(), period);
            Ok(Some(address))
        }
        Err(why) if op.endpoint_discovery == EndpointDiscovery::Required => Err(config_error(
            format!("cannot discover the endpoint of {}: {why}", op.name),
        )),
        // An optional discovery that fails leaves the rules' endpoint.
        Err(_) => Ok(None),
    }
}

fn config_error(message: String) -> CallError {
    CallError::Other(SdkError::Config(ConfigError::new(message)))
}

/// Calls the service's discovery operation for `op`: the first address it names and how
/// long to use it.
async fn describe_endpoints(
    handle: &HandleInner,
    op: &'static Operation,
    codec: &dyn Codec,
) -> Result<(String, Duration), String> {
    let discovery = handle.service.endpoint_discovery.ok_or_else(|| {
        format!(
            "{} has no operation that discovers endpoints",
            handle.service.service_id
        )
    })?;
    let mut input = (discovery.new_input)();
    // botocore passes the operation's name where the discovery input has a member for it.
    set_string_member(&mut *input, "Operation", op.name.to_string());
    let mut output = (discovery.new_output)();
    let call = async {
        let (prepared, identity) = Box::pin(prepare_signed(
            handle,
            discovery.operation,
            codec,
            &mut *input,
            false,
        ))
        .await?;
        send_with_retries(
            handle,
            discovery.operation,
            codec,
            &prepared,
            &identity,
            &mut *output,
        )
        .await
    };
    call.await.map_err(|error| match error {
        CallError::Service(failure) => {
            let (response, error) = *failure;
            format!(
                "{} answered {} {}: {}",
                discovery.operation.name,
                response.status().as_u16(),
                error.code,
                error.message.unwrap_or_default()
            )
        }
        CallError::Other(error) => error.to_string(),
    })?;
    first_endpoint(&*output)
        .ok_or_else(|| format!("{} named no endpoint", discovery.operation.name))
}

/// The first `Endpoints[].Address` of a discovery output, with its `CachePeriodInMinutes`.
fn first_endpoint(output: &dyn crate::value::StructValue) -> Option<(String, Duration)> {
    let schema = output.schema();
    let (index, _) = schema.member("Endpoints")?;
    let ValueRef::List(endpoints) = output.member(index)?.get() else {
        return None;
    };
    let ValueRef::Struct(endpoint) = endpoints.item(0)?.get() else {
        return None;
    };
    let address = crate::value::string_member(endpoint, "Address")?.to_string();
    let period = endpoint
        .schema()
        .member("CachePeriodInMinutes")
        .and_then(|(i, _)| match endpoint.member(i)?.get() {
            ValueRef::Integer(minutes) => u64::try_from(minutes).ok(),
            _ => None,
        })
        .map_or(DEFAULT_PERIOD, |minutes| Duration::from_secs(minutes * 60));
    Some((address, period))
}
