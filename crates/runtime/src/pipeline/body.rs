//! The request body: where it comes from, how each attempt gets it again, and what stands for
//! it in the signature.
//!
//! The codec writes every body it can into memory. A streaming payload (S3's `PutObject`
//! `Body`) that is not already in memory is taken out of the input as it is, a file or a
//! stream, and never read into memory: bodies in memory and files are sent again by every
//! attempt (an `aws-chunked` encoding is made anew each time), a stream only once (a call
//! whose body is a stream is not retried after its first attempt).
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
//!   goes as `UNSIGNED-PAYLOAD` (botocore cannot send such a body at all; its integrity then
//!   rests on its checksum trailer).

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
    /// A body sent `aws-chunked` with its checksum as a trailer, encoded anew for each attempt.
    #[cfg(feature = "checksums")]
    Chunked {
        inner: Box<RequestBody>,
        algorithm: crate::checksum::ChecksumAlgorithm,
    },
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
            Some(stream) if stream.is_replayable() => RequestBody::Replayable(stream),
            Some(stream) => RequestBody::Once(Mutex::new(Some(stream))),
            None => RequestBody::Memory(serialized),
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
            #[cfg(feature = "checksums")]
            RequestBody::Chunked { .. } => None,
        }
    }

    /// Declares the length of a stream whose length it does not know (the caller gave it
    /// another way, as S3's `ContentLength`): it is sent with it, and must have it.
    pub(crate) fn declare_length(&mut self, length: u64) {
        if self.content_length().is_some() {
            return;
        }
        if let RequestBody::Once(stream) = self
            && let Ok(slot) = stream.get_mut()
            && let Some(body) = slot.take()
        {
            *slot = Some(body.with_content_length(length));
        }
    }

    /// The bytes, when the body is in memory.
    pub(crate) fn bytes(&self) -> Option<&Bytes> {
        match self {
            RequestBody::Memory(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// Whether a retry could send the body again.
    pub(crate) fn can_replay(&self) -> bool {
        match self {
            RequestBody::Memory(_) | RequestBody::Replayable(_) => true,
            RequestBody::Once(_) => false,
            #[cfg(feature = "checksums")]
            RequestBody::Chunked { inner, .. } => inner.can_replay(),
        }
    }

    /// The body, sent `aws-chunked` from now on with `algorithm`'s checksum as its trailer.
    #[cfg(feature = "checksums")]
    pub(crate) fn into_chunked(self, algorithm: crate::checksum::ChecksumAlgorithm) -> Self {
        RequestBody::Chunked {
            inner: Box::new(self),
            algorithm,
        }
    }

    /// The body for one more attempt, or `None` when it was a stream an earlier attempt
    /// already took.
    pub(crate) fn for_attempt(&self) -> Option<ByteStream> {
        match self {
            RequestBody::Memory(bytes) => Some(ByteStream::from(bytes.clone())),
            RequestBody::Replayable(stream) => stream.try_clone(),
            RequestBody::Once(stream) => stream.lock().ok()?.take(),
            #[cfg(feature = "checksums")]
            RequestBody::Chunked { inner, algorithm } => inner
                .for_attempt()
                .map(|body| crate::checksum::aws_chunked::encode(body, *algorithm)),
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
    https: bool,
    settings: &BodySettings,
) -> Result<PayloadHash, RequestError> {
    match body {
        #[cfg(feature = "checksums")]
        RequestBody::Chunked { .. } => return Ok(PayloadHash::StreamingUnsignedTrailer),
        _ => {}
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
        _ => Ok(PayloadHash::Unsigned),
    }
}

/// The SHA-256 of a body, read through once.
async fn sha256_of(body: ByteStream) -> Result<[u8; 32], RequestError> {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    read_through(body, "to sign it", |chunk| context.update(chunk)).await?;
    let digest = context.finish();
    let mut hash = [0u8; 32];
    hash.copy_from_slice(digest.as_ref());
    Ok(hash)
}

/// Reads a body through once, handing each chunk to `consume`: how the payload hash and a
/// request checksum are taken of a replayable body before it is sent. `purpose` finishes
/// the error's sentence ("reading the body {purpose} failed").
pub(crate) async fn read_through(
    mut body: ByteStream,
    purpose: &str,
    mut consume: impl FnMut(&[u8]),
) -> Result<(), RequestError> {
    while let Some(chunk) = body.next_chunk().await {
        let chunk = chunk
            .map_err(|e| RequestError::Build(format!("reading the body {purpose} failed: {e}")))?;
        consume(&chunk);
    }
    Ok(())
}
