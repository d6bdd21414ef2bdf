//! Service customisations: what botocore's `handlers.py` changes for particular services and
//! operations, in one place, keyed by the service's name. Each hook is called by the pipeline
//! stage (or codec) it belongs to; for every other service it changes nothing.
//!
//! | service | what | botocore |
//! |---|---|---|
//! | s3 | the request URI loses its leading `/{Bucket}`: the endpoint rules put the bucket in the host or the endpoint's path | `remove_bucket_from_url_paths_from_model` |
//! | s3 | a bucket name must be `[a-zA-Z0-9.\-_]{1,255}` or an access-point ARN | `validate_bucket_name` |
//! | s3 | `CopySource` (`bucket/key`, optionally `?versionId=`) is percent-encoded, the version id kept | `handle_copy_source_param` |
//! | s3 | an SSE-C key is sent in base64 with its MD5 when the caller gives no MD5 | `sse_md5`, `copy_source_sse_md5` |
//! | s3 | user metadata must be ASCII | `validate_ascii_metadata` |
//! | s3 | listings ask for `EncodingType=url` and decode the keys they return, so any key round-trips | `set_list_objects_encoding_type_url`, `decode_list_object*` |
//! | s3 | a 200 response whose body is an `<Error>` (or not XML) is an error, retried as a 500 | `_handle_200_error` |
//! | s3 | a malformed `Expires` header leaves `Expires` unset instead of failing the call | `handle_expires_header` |
//! | s3 | `GetBucketLocation`'s body is a bare `<LocationConstraint>` | `parse_get_bucket_location` |
//! | s3 | `GetBucketLocation` goes path-style; an ARN bucket never does | `customize_endpoint_resolver_builtins` |
//! | s3 | `PutObject` and `UploadPart` send `Expect: 100-continue` | `add_expect_header` |
//! | s3 | line feeds in `DeleteObjects` and `PutBucketLifecycleConfiguration` bodies are written `&#xA;` | `escape_xml_payload` |
//! | s3control | the `{AccountId}.` host prefix is dropped: the endpoint rules put the account in the host | `remove_accid_host_prefix_from_model` |
//! | route53 | ids given as `/hostedzone/ID`, `/change/ID` or `/delegationset/ID` are sent as `ID` | `fix_route53_ids` |

mod route53;
mod s3;

use crate::operation::Operation;
use crate::value::StructValue;

/// What a customisation of a call remembers between the request and the response.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct CallState {
    /// S3 listings: `EncodingType=url` was set by the SDK, not the caller, so the keys of the
    /// response are decoded.
    pub decode_listing: bool,
}

/// The request URI template of `op` as the service is called.
pub(crate) fn request_uri(op: &Operation) -> &'static str {
    match op.service.name {
        "s3" => op
            .request_uri
            .strip_prefix("/{Bucket}")
            .unwrap_or(op.request_uri),
        _ => op.request_uri,
    }
}

/// The host prefix template of `op` as the service is called.
pub(crate) fn host_prefix(op: &Operation) -> Option<&'static str> {
    match (op.service.name, op.host_prefix) {
        ("s3control", Some(prefix)) => prefix
            .strip_prefix("{AccountId}.")
            .filter(|rest| !rest.is_empty()),
        (_, prefix) => prefix,
    }
}

/// Whether the XML body of `op` writes line feeds as `&#xA;`.
pub(crate) fn xml_escapes_line_feeds(op: &Operation) -> bool {
    op.service.name == "s3"
        && matches!(op.name, "DeleteObjects" | "PutBucketLifecycleConfiguration")
}

/// Rewrites and checks an input before validation. A returned `Err` is a validation problem.
pub(crate) fn before_validate(
    op: &Operation,
    input: &mut dyn StructValue,
) -> Result<CallState, String> {
    match op.service.name {
        "s3" => s3::before_validate(op, input),
        "route53" => {
            route53::fix_ids(input);
            Ok(CallState::default())
        }
        _ => Ok(CallState::default()),
    }
}

/// Endpoint-rule parameters an operation's input changes for one call: the name of a
/// built-in parameter and its value.
pub(crate) fn endpoint_overrides(
    op: &Operation,
    input: &dyn StructValue,
) -> Option<(&'static str, bool)> {
    match op.service.name {
        "s3" => s3::endpoint_overrides(op, input),
        _ => None,
    }
}

/// Whether `op`'s request carries `Expect: 100-continue`.
pub(crate) fn expects_continue(op: &Operation) -> bool {
    op.service.name == "s3" && matches!(op.name, "PutObject" | "UploadPart")
}

/// What a successful response really is, before it is parsed.
pub(crate) enum Verdict {
    /// Parse it as the operation's output.
    Output,
    /// It is an error response in disguise: handle it as one with this status.
    Error(http::StatusCode),
}

/// Looks at a successful (2xx) response, read whole, before it is parsed.
pub(crate) fn check_success(op: &Operation, status: http::StatusCode, body: &[u8]) -> Verdict {
    match op.service.name {
        "s3" => s3::check_success(op, status, body),
        _ => Verdict::Output,
    }
}

/// Whether a 2xx response of `op` whose body does not parse is retried like a 500 (S3 may
/// stream the start of a document and then fail).
pub(crate) fn malformed_success_is_retryable(op: &Operation) -> bool {
    s3::malformed_success_is_retryable(op)
}

/// Adjusts the headers of a response before it is parsed.
pub(crate) fn before_parse(op: &Operation, headers: &mut http::HeaderMap) {
    if op.service.name == "s3" {
        s3::drop_malformed_expires(headers);
    }
}

/// Parses a response body the model cannot describe; `true` when it did.
pub(crate) fn parse_output_body(
    op: &Operation,
    body: &[u8],
    output: &mut dyn StructValue,
) -> Result<bool, String> {
    match (op.service.name, op.name) {
        ("s3", "GetBucketLocation") => s3::parse_bucket_location(body, output).map(|()| true),
        _ => Ok(false),
    }
}

/// Adjusts a parsed output.
pub(crate) fn after_parse(op: &Operation, state: CallState, output: &mut dyn StructValue) {
    if op.service.name == "s3" && state.decode_listing {
        s3::decode_listing(op, output);
    }
}
