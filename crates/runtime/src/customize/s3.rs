//! S3's customisations (see the table in the module above for what each does and which
//! botocore handler it follows).

use super::{CallState, Verdict};
use crate::operation::Operation;
use crate::protocol::binding::{is_raw_payload, payload_member};
use crate::protocol::text::{UNRESERVED_AND_SLASH, push_percent_encoded};
use crate::protocol::xml::XmlDecoder;
use crate::value::{Scalar, StructValue, ValueRef, set_string_member, string_member};

pub(super) fn before_validate(
    op: &Operation,
    input: &mut dyn StructValue,
) -> Result<CallState, String> {
    if let Some(bucket) = string_member(input, "Bucket")
        && !valid_bucket(bucket)
        && !valid_access_point_arn(bucket)
    {
        return Err(format!(
            "Bucket `{bucket}` is not a valid bucket name: it must be 1 to 255 letters, digits, \
             `.`, `-` and `_`, or an access point ARN"
        ));
    }
    if matches!(op.name, "CopyObject" | "UploadPartCopy")
        && let Some(source) = string_member(input, "CopySource")
    {
        let quoted = quote_copy_source(source);
        set_string_member(input, "CopySource", quoted);
    }
    const SSE_C: [&str; 9] = [
        "HeadObject",
        "GetObject",
        "PutObject",
        "CopyObject",
        "CreateMultipartUpload",
        "UploadPart",
        "UploadPartCopy",
        "CompleteMultipartUpload",
        "SelectObjectContent",
    ];
    if SSE_C.contains(&op.name) {
        sse_customer_key(input, "SSECustomer")?;
    }
    if matches!(op.name, "CopyObject" | "UploadPartCopy") {
        sse_customer_key(input, "CopySourceSSECustomer")?;
    }
    if matches!(
        op.name,
        "PutObject" | "CopyObject" | "CreateMultipartUpload"
    ) {
        ascii_metadata(input)?;
    }
    let mut state = CallState::default();
    if matches!(
        op.name,
        "ListObjects" | "ListObjectsV2" | "ListObjectVersions"
    ) && string_member(input, "EncodingType").is_none()
    {
        set_string_member(input, "EncodingType", "url".to_string());
        state.decode_listing = true;
    }
    Ok(state)
}

/// botocore's `VALID_BUCKET`: `^[a-zA-Z0-9.\-_]{1,255}$`.
fn valid_bucket(bucket: &str) -> bool {
    (1..=255).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// botocore's `VALID_S3_ARN`: an access point ARN (`arn:aws…:s3:REGION:ACCOUNT:accesspoint/NAME`,
/// also for S3 Object Lambda) or an Outposts one
/// (`arn:aws…:s3-outposts:REGION:ACCOUNT:outpost/ID/accesspoint/NAME`).
fn valid_access_point_arn(arn: &str) -> bool {
    if !arn.starts_with("arn:aws") {
        return false;
    }
    let name_ok = |name: &str, dots: bool| {
        (1..=63).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || (dots && b == b'.'))
    };
    let account_ok =
        |account: &str| account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    let region_ok = |region: &str, nonempty: bool| {
        (!nonempty || !region.is_empty())
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    // The resource: `accesspoint[/:]NAME` or `outpost[/:]ID[/:]accesspoint[/:]NAME`, split
    // on both separators.
    let parts: Vec<&str> = arn.split([':', '/']).collect();
    let n = parts.len();
    // arn : aws… : service : region : account : accesspoint : name
    if n >= 7
        && parts[n - 2] == "accesspoint"
        && name_ok(parts[n - 1], true)
        && account_ok(parts[n - 3])
        && region_ok(parts[n - 4], false)
        && matches!(parts[n - 5], "s3" | "s3-object-lambda")
    {
        return true;
    }
    // arn : aws… : s3-outposts : region : account : outpost : id : accesspoint : name
    n >= 9
        && parts[n - 2] == "accesspoint"
        && name_ok(parts[n - 1], false)
        && name_ok(parts[n - 3], false)
        && parts[n - 4] == "outpost"
        && account_ok(parts[n - 5])
        && region_ok(parts[n - 6], true)
        && parts[n - 7] == "s3-outposts"
}

/// `bucket/key[?versionId=ID]` percent-encoded as botocore's `_quote_source_header`: all but
/// unreserved characters and `/`, the version id suffix kept as it is.
fn quote_copy_source(source: &str) -> String {
    // botocore's `VERSION_ID_SUFFIX` (`\?versionId=[^\s]+$`), searched: the first
    // `?versionId=` followed by a non-empty tail without whitespace.
    let suffix = source
        .match_indices("?versionId=")
        .map(|(at, _)| at)
        .find(|&at| {
            let tail = &source[at + "?versionId=".len()..];
            !tail.is_empty() && !tail.contains(char::is_whitespace)
        });
    let (path, version) = match suffix {
        Some(at) => source.split_at(at),
        None => (source, ""),
    };
    let mut quoted = String::with_capacity(source.len() + 16);
    push_percent_encoded(&mut quoted, path, UNRESERVED_AND_SLASH);
    quoted.push_str(version);
    quoted
}

/// SSE-C: when a key is given without its MD5, sends the key in base64 and its MD5, as
/// botocore's `sse_md5` does (the member holds the raw key).
fn sse_customer_key(input: &mut dyn StructValue, prefix: &str) -> Result<(), String> {
    let key_member = format!("{prefix}Key");
    let md5_member = format!("{prefix}KeyMD5");
    let Some(key) = string_member(input, &key_member) else {
        return Ok(());
    };
    if string_member(input, &md5_member).is_some() {
        return Ok(());
    }
    #[cfg(feature = "checksums")]
    {
        use base64::Engine as _;
        let key = key.as_bytes().to_vec();
        let md5 = crate::checksum::md5_base64(&key);
        let encoded = base64::engine::general_purpose::STANDARD.encode(&key);
        set_string_member(input, &key_member, encoded);
        set_string_member(input, &md5_member, md5);
        Ok(())
    }
    #[cfg(not(feature = "checksums"))]
    {
        let _ = key;
        Err(format!(
            "{md5_member} is needed with {key_member}: give it, or build stratus-runtime with \
             the `checksums` feature to compute it"
        ))
    }
}

/// S3 stores user metadata as ASCII headers.
fn ascii_metadata(input: &dyn StructValue) -> Result<(), String> {
    let Some((index, _)) = input.schema().member("Metadata") else {
        return Ok(());
    };
    let Some(ValueRef::Map(map)) = input.member(index).map(|v| v.get()) else {
        return Ok(());
    };
    let mut problem = None;
    map.for_each(&mut |key, value| {
        let value = match value.get() {
            ValueRef::String(s) => s,
            _ => "",
        };
        if problem.is_none() && (!key.is_ascii() || !value.is_ascii()) {
            problem = Some(format!(
                "Metadata `{key}`: `{value}` holds characters outside ASCII, which S3 metadata \
                 cannot store"
            ));
        }
    });
    problem.map_or(Ok(()), Err)
}

/// `GetBucketLocation` always goes path-style (the bucket's region is what it asks for, so a
/// virtual-hosted request could be signed for the wrong one); an ARN bucket never does.
pub(super) fn endpoint_overrides(
    op: &Operation,
    input: &dyn StructValue,
) -> Option<(&'static str, bool)> {
    if op.name == "GetBucketLocation" {
        return Some(("ForcePathStyle", true));
    }
    match string_member(input, "Bucket") {
        Some(bucket) if bucket.starts_with("arn:") => Some(("ForcePathStyle", false)),
        _ => None,
    }
}

/// A 200 whose body is an `<Error>` document (`CopyObject`, `UploadPartCopy` and
/// `CompleteMultipartUpload` can fail after they began answering) is an error, retried as a
/// 500. Operations whose output is a raw body cannot be told from an error this way and are
/// left alone, as in botocore.
pub(super) fn check_success(op: &Operation, status: http::StatusCode, body: &[u8]) -> Verdict {
    if status != http::StatusCode::OK || body.is_empty() || raw_output(op) {
        return Verdict::Output;
    }
    let mut decoder = XmlDecoder::new(body);
    match decoder.root() {
        Ok(Some(root)) if root.local_name() == b"Error" => {
            Verdict::Error(http::StatusCode::INTERNAL_SERVER_ERROR)
        }
        _ => Verdict::Output,
    }
}

/// Whether a 200 response of `op` that does not parse was cut short (S3 may stream the start
/// of a document and then fail): such a response is retried like a 500.
pub(crate) fn malformed_success_is_retryable(op: &Operation) -> bool {
    op.service.name == "s3" && !raw_output(op)
}

/// Whether `op`'s output is a raw body (a blob or string payload).
fn raw_output(op: &Operation) -> bool {
    payload_member(op.output).is_some_and(|(_, member)| is_raw_payload(member))
}

/// An `Expires` header that is not a timestamp would fail the call: leave it out, as
/// botocore does.
pub(super) fn drop_malformed_expires(headers: &mut http::HeaderMap) {
    let malformed = headers
        .get(http::header::EXPIRES)
        .is_some_and(|value| match value.to_str() {
            Ok(text) => crate::protocol::text::parse_timestamp(
                text.trim(),
                crate::schema::TimestampFormat::Rfc822,
            )
            .is_err(),
            Err(_) => true,
        });
    if malformed {
        headers.remove(http::header::EXPIRES);
    }
}

/// `GetBucketLocation` answers with a bare `<LocationConstraint>` root, which the model
/// cannot describe; an empty one (us-east-1) leaves the member unset.
pub(super) fn parse_bucket_location(
    body: &[u8],
    output: &mut dyn StructValue,
) -> Result<(), String> {
    let mut decoder = XmlDecoder::new(body);
    let Some(root) = decoder.root().map_err(|e| e.0)? else {
        return Ok(());
    };
    let text = decoder.text(&root).map_err(|e| e.0)?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(());
    }
    if let Some((index, _)) = output.schema().member("LocationConstraint")
        && let Some(slot) = output.member_mut(index)
    {
        slot.set(Scalar::String(text.to_string()))
            .map_err(|e| format!("LocationConstraint: {e}"))?;
    }
    Ok(())
}

/// Decodes the keys of a listing that the SDK asked for with `EncodingType=url`, as
/// botocore's `decode_list_object*` do (`+` is a space, as S3 encodes it).
pub(super) fn decode_listing(op: &Operation, output: &mut dyn StructValue) {
    if string_member(output, "EncodingType") != Some("url") {
        return;
    }
    let (top, nested): (&[&str], &[(&str, &str)]) = match op.name {
        "ListObjects" => (
            &["Delimiter", "Marker", "NextMarker"],
            &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
        ),
        "ListObjectsV2" => (
            &["Delimiter", "Prefix", "StartAfter"],
            &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
        ),
        "ListObjectVersions" => (
            &["KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"],
            &[
                ("Versions", "Key"),
                ("DeleteMarkers", "Key"),
                ("CommonPrefixes", "Prefix"),
            ],
        ),
        _ => return,
    };
    for name in top {
        decode_member(output, name);
    }
    for (list_name, member) in nested {
        let Some((index, _)) = output.schema().member(list_name) else {
            continue;
        };
        if output.member(index).is_none() {
            continue;
        }
        let Some(list) = output.member_mut(index).and_then(|v| v.as_list_mut()) else {
            continue;
        };
        for i in 0..list.len() {
            if let Some(item) = list.item_mut(i).and_then(|v| v.as_struct_mut()) {
                decode_member(item, member);
            }
        }
    }
}

fn decode_member(value: &mut dyn StructValue, name: &str) {
    if let Some(text) = string_member(value, name) {
        let decoded = unquote_plus(text);
        set_string_member(value, name, decoded);
    }
}

/// Python's `unquote_plus`: `+` is a space, `%XX` a byte; bytes that are not UTF-8 become
/// U+FFFD.
fn unquote_plus(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names_and_access_point_arns() {
        for good in ["my-bucket", "a.b_c", "Bucket1"] {
            assert!(valid_bucket(good), "{good}");
        }
        for bad in ["", "a/b", "a b", &"x".repeat(256)] {
            assert!(!valid_bucket(bad), "{bad}");
        }
        for good in [
            "arn:aws:s3:us-west-2:123456789012:accesspoint/my-endpoint",
            "arn:aws:s3:us-west-2:123456789012:accesspoint:my.endpoint",
            "arn:aws-cn:s3-object-lambda:cn-north-1:123456789012:accesspoint/ol",
            "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01ac5d28a6a232904/accesspoint/ap",
        ] {
            assert!(valid_access_point_arn(good), "{good}");
        }
        for bad in [
            "arn:aws:s3:us-west-2:12345:accesspoint/x",
            "arn:aws:s3:::bucket",
            "arn:aws:sqs:us-west-2:123456789012:accesspoint/x",
            "arn:aws:s3-outposts::123456789012:outpost/op/accesspoint/ap",
        ] {
            assert!(!valid_access_point_arn(bad), "{bad}");
        }
    }

    #[test]
    fn copy_sources_are_quoted_as_botocore_quotes_them() {
        let cases = [
            ("bucket/a b", "bucket/a%20b"),
            ("bucket/a+b~c", "bucket/a%2Bb~c"),
            ("b/unicodé/ключ", "b/unicod%C3%A9/%D0%BA%D0%BB%D1%8E%D1%87"),
            ("b/k?versionId=v1.2", "b/k?versionId=v1.2"),
            ("b/a b?versionId=abc", "b/a%20b?versionId=abc"),
            ("b/k?versionId=", "b/k%3FversionId%3D"),
            ("b/../up", "b/../up"),
            ("b/k?versionId=1?versionId=2", "b/k?versionId=1?versionId=2"),
        ];
        for (source, quoted) in cases {
            assert_eq!(quote_copy_source(source), quoted, "{source}");
        }
    }

    #[test]
    fn listing_keys_decode_as_unquote_plus() {
        assert_eq!(unquote_plus("a+b%2Bc%20d%C3%A9"), "a b+c dé");
        assert_eq!(unquote_plus("bad%FF"), "bad\u{fffd}");
    }
}
