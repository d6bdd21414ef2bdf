//! The request body: where it comes from, how each attempt gets it again, and what stands for
//! it in the signature.
//!
//! The codec writes every body it can into memory. A streaming payload (S3's `PutObject`
//! `Body`) that is not already in memory is taken out of the input as it is, a file or a
//! stream, and never read into memory: files are read again for every attempt, a stream only
//! once (a call whose body is a stream is not retried after its first attempt started).
//!
//! The payload hash in the signature follows botocore (`SigV4Auth` and `S3SigV4Auth`):
//!
//! * `UNSIGNED-PAYLOAD` for operations modeled with an unsigned body
//!   (`authtype: v4-unsigned-body`, `unsignedPayload`);
//! * `STREAMING-UNSIGNED-PAYLOAD-TRAILER` when the checksum follows the body (`aws-chunked`);
//! * for S3, `s3 = payload_signing_enabled` decides when set; otherwise the payload is signed
//!   unless the request goes over HTTPS, carries a checksum header and uploads a streaming
//!   payload (`PutObject`, `UploadPart`), where TLS and the checksum protect it;
//! * everything else is signed: the SHA-256 of bytes in memory, or of a file, read once for
//!   it before the first attempt. A stream cannot be hashed without holding it whole, so it
//!   goes as `UNSIGNED-PAYLOAD` (its integrity then rests on TLS and its checksum trailer).

use crate::ByteStream;
use crate::config::BodySettings;
use crate::error::RequestError;
use crate::operation::Operation;
use crate::protocol::binding::streaming_payload;
use crate::sigv4::PayloadHash;
use crate::value::StructValue;
use bytes::Bytes;
use std::sync::Mutex;

/// A request body, kept so that every attempt can send it.
pub(crate) enum RequestBody {
    /// Bytes in memory (every codec's body).
    Memory(Bytes),
    /// A body that can be read again: a file.
    Replayable(ByteStream),
    /// A stream, sent by the first attempt that takes it.
    Once(Mutex<Option<ByteStream>>),
}

impl RequestBody {
    /// The body the codec wrote, or the input's streaming payload when that is not in memory
    /// (taken out of the input, which keeps an empty body).
    pub(crate) fn take(op: &Operation, input: &mut dyn StructValue, serialized: Bytes) -> Self {
        let Some(index) = streaming_payload(op.input) else {
            return RequestBody::Memory(serialized);
        };
        // The codec wrote a payload that is in memory (bytes, or a blob of a dynamic value).
        let streams = matches!(
            input.member(index).map(|value| value.get()),
            Some(crate::value::ValueRef::Stream(stream)) if stream.as_bytes().is_none()
        );
        if !streams {
            return RequestBody::Memory(serialized);
        }
        match input
            .member_mut(index)
            .and_then(|value| value.take_stream())
        {
            Some(stream) => Self::from_stream(stream),
            None => RequestBody::Memory(serialized),
        }
    }

    fn from_stream(stream: ByteStream) -> Self {
        if let Some(bytes) = stream.as_bytes() {
            RequestBody::Memory(bytes.clone())
        } else if stream.is_replayable() {
            RequestBody::Replayable(stream)
        } else {
            RequestBody::Once(Mutex::new(Some(stream)))
        }
    }

    /// The body's length, when known.
    pub(crate) fn content_length(&self) -> Option<u64> {
        match self {
            RequestBody::Memory(bytes) => Some(bytes.len() as u64),
            RequestBody::Replayable(stream) => stream.content_length(),
            RequestBody::Once(stream) => stream
                .lock()
                .ok()
                .and_then(|s| s.as_ref().and_then(ByteStream::content_length)),
        }
    }

    /// The bytes, when the body is in memory.
    pub(crate) fn bytes(&self) -> Option<&Bytes> {
        match self {
            RequestBody::Memory(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// Replaces the body by what `f` makes of it as a stream (an encoding wrapping it). A
    /// body that could be replayed stays replayable only if it was in memory; callers wrap
    /// before the first attempt.
    #[cfg_attr(not(feature = "checksums"), allow(dead_code))]
    pub(crate) fn map_stream(&mut self, f: impl FnOnce(ByteStream) -> ByteStream) {
        let current = std::mem::replace(self, RequestBody::Memory(Bytes::new()));
        let stream = match current {
            RequestBody::Memory(bytes) => ByteStream::from(bytes),
            RequestBody::Replayable(stream) => stream,
            RequestBody::Once(stream) => stream
                .into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .unwrap_or_default(),
        };
        *self = RequestBody::Once(Mutex::new(Some(f(stream))));
    }

    /// The body for one more attempt, or `None` when it was a stream an earlier attempt
    /// already took.
    pub(crate) fn for_attempt(&self) -> Option<ByteStream> {
        match self {
            RequestBody::Memory(bytes) => Some(ByteStream::from(bytes.clone())),
            RequestBody::Replayable(stream) => stream.try_clone(),
            RequestBody::Once(stream) => stream.lock().ok()?.take(),
        }
    }
}

/// The signing names of S3 (botocore's `S3_SIGNING_NAMES`).
pub(crate) fn is_s3_signing(signing_name: &str) -> bool {
    matches!(
        signing_name,
        "s3" | "s3-outposts" | "s3-object-lambda" | "s3express"
    )
}

/// What stands for the body in the signature of `op`'s request (see the module docs).
pub(crate) async fn payload_hash(
    op: &Operation,
    signing_name: &str,
    headers: &http::HeaderMap,
    body: &RequestBody,
    trailer: bool,
    https: bool,
    settings: &BodySettings,
) -> Result<PayloadHash, RequestError> {
    if trailer {
        return Ok(PayloadHash::StreamingUnsignedTrailer);
    }
    if op.auth_type == Some("v4-unsigned-body") || op.unsigned_payload {
        return Ok(PayloadHash::Unsigned);
    }
    if is_s3_signing(signing_name) {
        let sign = match settings.s3_payload_signing {
            Some(sign) => sign,
            None => {
                let has_checksum = headers.contains_key("content-md5")
                    || headers
                        .keys()
                        .any(|name| name.as_str().starts_with("x-amz-checksum-"));
                !https || !has_checksum || streaming_payload(op.input).is_none()
            }
        };
        if !sign {
            return Ok(PayloadHash::Unsigned);
        }
    }
    match body {
        RequestBody::Memory(_) => Ok(PayloadHash::Body),
        RequestBody::Replayable(stream) => {
            let copy = stream.try_clone().ok_or_else(|| {
                RequestError::Build("the request body cannot be read twice".to_string())
            })?;
            Ok(PayloadHash::Precomputed(sha256_of(copy).await?))
        }
        RequestBody::Once(_) => Ok(PayloadHash::Unsigned),
    }
}

/// The SHA-256 of a body, read through once.
async fn sha256_of(mut body: ByteStream) -> Result<[u8; 32], RequestError> {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    while let Some(chunk) = body.next_chunk().await {
        let chunk = chunk
            .map_err(|e| RequestError::Build(format!("reading the body to sign it failed: {e}")))?;
        context.update(&chunk);
    }
    let digest = context.finish();
    let mut hash = [0u8; 32];
    hash.copy_from_slice(digest.as_ref());
    Ok(hash)
}
