//! Service customisations: what botocore's `handlers.py` changes for particular services
//! and operations, in one place, keyed by the service's name. Each hook is called by the
//! pipeline stage (or codec) it belongs to; for every other service it changes nothing.
//!
//! | service | what | botocore |
//! |---|---|---|
//! | s3 | the request URI loses its leading `/{Bucket}`: the endpoint rules put the bucket in the host or the endpoint's path | `remove_bucket_from_url_paths_from_model` |
//! | s3 | line feeds in `DeleteObjects` and `PutBucketLifecycleConfiguration` bodies are written `&#xA;` | `escape_xml_payload` |
//! | s3control | the `{AccountId}.` host prefix is dropped: the endpoint rules put the account in the host | `remove_accid_host_prefix_from_model` |

use crate::operation::Operation;

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
