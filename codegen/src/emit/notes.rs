//! Notes appended to the docs of members whose values the runtime's service customisations
//! (`stratus_runtime`'s `customize` module, botocore's `handlers.py`) change before sending:
//! the model's own text describes the wire, and would mislead a caller where the SDK does
//! part of the work, as it does for S3's `CopySource`.

/// The note for a member of `service` named `member`, targeting shape `target`.
pub fn member_note(service: &str, member: &str, target: &str) -> Option<&'static str> {
    match (service, member, target) {
        ("s3", "CopySource", _) => Some(
            "**Stratus:** give the source as `bucket/key` (or `bucket/key?versionId=ID`), not \
             URL-encoded: Stratus percent-encodes it, keeping the version id as it is, as \
             botocore does.",
        ),
        ("s3", "SSECustomerKey" | "CopySourceSSECustomerKey", _) => Some(
            "**Stratus:** with the matching `…KeyMD5` member set, this is sent as it is: give \
             the key base64-encoded, with the base64 of its MD5. With `…KeyMD5` unset, \
             Stratus sends this value base64-encoded with its MD5, as botocore does: that \
             suits a key that is text.",
        ),
        ("route53", _, "ResourceId" | "DelegationSetId" | "ChangeId") => Some(
            "**Stratus:** as an input, an id with the path prefix Route53's outputs give it \
             (`/hostedzone/Z1D633PJN98FT9`, `/change/C2682N5HXP0BZ4`) is accepted: Stratus \
             sends what follows the last `/`, as botocore does.",
        ),
        _ => None,
    }
}
