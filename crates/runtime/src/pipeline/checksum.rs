//! Flexible checksums (`httpChecksum`), as botocore 1.43 applies them
//! (`botocore/httpchecksum.py`).
//!
//! **Requests.** Nothing is added when the caller already set a checksum header (a
//! `ChecksumCRC32` member, say). Otherwise the algorithm is the one the caller picked in the
//! operation's `requestAlgorithmMember` (`ChecksumAlgorithm`), else CRC32 when the operation
//! requires a checksum (`httpChecksumRequired` or `requestChecksumRequired`: botocore sends a
//! CRC32 where older SDKs sent `Content-MD5`) or supports one and
//! `request_checksum_calculation` is `when_supported` (the default); the algorithm member's
//! header then says `CRC32`. Presigned requests get no default checksum.
//!
//! Where the checksum goes: a header (`x-amz-checksum-crc32`) for a body in memory, and for
//! a file over plain HTTP (read once for it, as botocore reads a seekable body); an
//! `aws-chunked` trailer, computed as the body is sent, for a file over HTTPS (as botocore
//! sends streaming uploads over TLS) and for a stream, which cannot be read twice. (botocore
//! makes every `PutObject` body a file, so over HTTPS it sends bodies in memory as trailers
//! too; Stratus keeps them plain, which S3 takes as well and costs no encoding.)
//!
//! **Responses.** When the operation's `requestValidationModeMember` (`ChecksumMode`) is set
//! (by the caller, or to `ENABLED` by default under `response_checksum_validation =
//! when_supported`), the first checksum header of the response among the operation's
//! `responseAlgorithms`, in botocore's order of preference, is checked against the body: a
//! body read whole at once, a streamed body as it is read (its last read fails on a
//! mismatch). A composite checksum of a multipart object (`…-3`) is not a checksum of the
//! body and is not checked, as in botocore.

use super::body::RequestBody;
use crate::config::{BodySettings, ChecksumWhen};
use crate::error::RequestError;
use crate::operation::Operation;
use crate::value::{StructValue, is_member_set, set_string_member, string_member};

/// Sets the operation's validation-mode member to `ENABLED` when responses are validated
/// whenever supported and the caller left it unset (botocore's
/// `_handle_request_validation_mode_member`).
pub(crate) fn enable_validation_mode(
    op: &Operation,
    input: &mut dyn StructValue,
    settings: &BodySettings,
) {
    let Some(member) = op
        .http_checksum
        .and_then(|checksum| checksum.request_validation_mode_member)
    else {
        return;
    };
    if settings.response_checksums() != ChecksumWhen::WhenSupported {
        return;
    }
    if !is_member_set(input, member) {
        set_string_member(input, member, "ENABLED".to_string());
    }
}

/// The algorithms whose response checksums are checked for this call, in order of
/// preference; empty when nothing is checked.
pub(crate) fn response_algorithms(
    op: &Operation,
    input: &dyn StructValue,
) -> &'static [&'static str] {
    let Some(checksum) = op.http_checksum else {
        return &[];
    };
    let Some(member) = checksum.request_validation_mode_member else {
        return &[];
    };
    if !is_member_set(input, member) {
        return &[];
    }
    checksum.response_algorithms
}

/// Decides and applies the request checksum of `op` (see the module docs).
pub(crate) async fn apply_request(
    op: &Operation,
    input: &dyn StructValue,
    headers: &mut http::HeaderMap,
    body: &mut RequestBody,
    settings: &BodySettings,
    presigning: bool,
    https: bool,
) -> Result<(), RequestError> {
    let http_checksum = op.http_checksum;
    let algorithm_member = http_checksum.and_then(|c| c.request_algorithm_member);
    let required =
        op.http_checksum_required || http_checksum.is_some_and(|c| c.request_checksum_required);
    if headers.keys().any(|name| is_checksum_header(name.as_str())) {
        return Ok(());
    }
    let chosen =
        algorithm_member.and_then(|member| string_member(input, member).map(str::to_string));
    let (name, default) = match chosen {
        Some(name) => (name, false),
        None if presigning => return Ok(()),
        None if required
            || (algorithm_member.is_some()
                && settings.request_checksums() == ChecksumWhen::WhenSupported) =>
        {
            ("CRC32".to_string(), true)
        }
        None => return Ok(()),
    };
    apply(
        op,
        input,
        headers,
        body,
        &name,
        default,
        algorithm_member,
        https,
    )
    .await
}

/// `x-amz-checksum-<algorithm>` (but not `x-amz-checksum-mode` or `-type`, which are not
/// checksums).
fn is_checksum_header(name: &str) -> bool {
    name.strip_prefix("x-amz-checksum-")
        .is_some_and(|rest| !matches!(rest, "mode" | "type" | "algorithm"))
}

#[cfg(feature = "checksums")]
#[allow(clippy::too_many_arguments)]
async fn apply(
    op: &Operation,
    input: &dyn StructValue,
    headers: &mut http::HeaderMap,
    body: &mut RequestBody,
    name: &str,
    default: bool,
    algorithm_member: Option<&str>,
    https: bool,
) -> Result<(), RequestError> {
    use crate::checksum::ChecksumAlgorithm;
    let algorithm = ChecksumAlgorithm::from_name(name).ok_or_else(|| {
        RequestError::Build(format!(
            "{}: the checksum algorithm {name} is not supported (CRC32, CRC32C, CRC64NVME, \
             SHA1, SHA256 and SHA512 are)",
            op.name
        ))
    })?;
    use crate::schema::Location;
    if default && let Some(member) = algorithm_member {
        // Tell the service which algorithm the SDK picked, in the member's header.
        if let Some((_, m)) = input.schema().member(member)
            && m.location == Location::Header
            && let Some(header) = m.location_name
            && let Ok(name) = http::HeaderName::from_bytes(header.as_bytes())
        {
            headers.insert(name, http::HeaderValue::from_static("CRC32"));
        }
    }
    let header = http::HeaderName::from_static(algorithm.header());
    let in_header = match body {
        RequestBody::Memory(bytes) => Some(algorithm.checksum(bytes)),
        RequestBody::Replayable(file) if !https => {
            let copy = file.try_clone().ok_or_else(|| {
                RequestError::Build("the request body cannot be read twice".to_string())
            })?;
            Some(checksum_of(copy, algorithm).await?)
        }
        _ => None,
    };
    if let Some(value) = in_header {
        let value = http::HeaderValue::from_str(&value)
            .map_err(|e| RequestError::Build(format!("checksum header: {e}")))?;
        headers.insert(header, value);
        return Ok(());
    }
    // A streamed body: the checksum follows it as a trailer.
    let decoded = body.content_length();
    let plain = std::mem::replace(body, RequestBody::Memory(bytes::Bytes::new()));
    *body = plain.into_chunked(algorithm);
    headers.remove(http::header::CONTENT_LENGTH);
    let encoding = match headers.get(http::header::CONTENT_ENCODING) {
        Some(existing) => format!("{},aws-chunked", existing.to_str().unwrap_or_default()),
        None => "aws-chunked".to_string(),
    };
    let encoding = http::HeaderValue::from_str(&encoding)
        .map_err(|e| RequestError::Build(format!("Content-Encoding: {e}")))?;
    headers.insert(http::header::CONTENT_ENCODING, encoding);
    headers.insert(
        "x-amz-trailer",
        http::HeaderValue::from_static(algorithm.header()),
    );
    if let Some(length) = decoded {
        headers.insert(
            "x-amz-decoded-content-length",
            http::HeaderValue::from(length),
        );
    }
    Ok(())
}

#[cfg(not(feature = "checksums"))]
#[allow(clippy::too_many_arguments)]
async fn apply(
    op: &Operation,
    _input: &dyn StructValue,
    _headers: &mut http::HeaderMap,
    _body: &mut RequestBody,
    name: &str,
    _default: bool,
    _algorithm_member: Option<&str>,
    _https: bool,
) -> Result<(), RequestError> {
    Err(RequestError::Build(format!(
        "{} needs a {name} checksum: build stratus-runtime with the `checksums` feature \
         (the generated crates of services that need it turn it on)",
        op.name
    )))
}

/// The checksum of a body, read through once.
#[cfg(feature = "checksums")]
async fn checksum_of(
    body: crate::ByteStream,
    algorithm: crate::checksum::ChecksumAlgorithm,
) -> Result<String, RequestError> {
    let mut hasher = algorithm.hasher();
    super::body::read_through(body, "for its checksum", |chunk| hasher.update(chunk)).await?;
    Ok(hasher.finish())
}

/// The response checksum to check, as the first header present among `algorithms` that is
/// a checksum of the body (not a composite one).
#[cfg(feature = "checksums")]
pub(crate) fn response_checksum(
    algorithms: &[&'static str],
    headers: &http::HeaderMap,
) -> Option<(crate::checksum::ChecksumAlgorithm, String)> {
    use crate::checksum::ChecksumAlgorithm;
    ChecksumAlgorithm::PRIORITY
        .into_iter()
        .filter(|algorithm| {
            algorithms
                .iter()
                .any(|name| name.eq_ignore_ascii_case(algorithm.name()))
        })
        .find_map(|algorithm| {
            let value = headers.get(algorithm.header())?.to_str().ok()?;
            (!value.contains('-')).then(|| (algorithm, value.to_string()))
        })
}
