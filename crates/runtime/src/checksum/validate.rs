//! Validating a response body against the checksum the service sent with it, as the body
//! is read: the last read fails with [`ByteStreamError::ChecksumMismatch`] when the bytes
//! are not the ones the service checksummed, so corrupted data never passes silently.

use super::{ChecksumAlgorithm, Hasher};
use crate::ByteStream;
use crate::bytestream::ByteStreamError;
use bytes::Bytes;
use futures_core::Stream;
use std::pin::Pin;
use std::task::{Context, Poll};

/// `body`, checked against `expected` (base64) as it is read.
pub fn validating(body: ByteStream, algorithm: ChecksumAlgorithm, expected: String) -> ByteStream {
    let length = body.content_length();
    body.wrap(length, |inner| {
        Box::pin(Validating {
            inner,
            algorithm,
            hasher: Some(algorithm.hasher()),
            expected,
        })
    })
}

/// Checks a body read whole.
pub fn check(
    body: &[u8],
    algorithm: ChecksumAlgorithm,
    expected: &str,
) -> Result<(), ByteStreamError> {
    let computed = algorithm.checksum(body);
    if computed == expected {
        Ok(())
    } else {
        Err(mismatch(algorithm, expected, computed))
    }
}

fn mismatch(algorithm: ChecksumAlgorithm, expected: &str, computed: String) -> ByteStreamError {
    ByteStreamError::ChecksumMismatch {
        algorithm: algorithm.name(),
        expected: expected.to_string(),
        computed,
    }
}

struct Validating {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes, ByteStreamError>> + Send>>,
    algorithm: ChecksumAlgorithm,
    /// `None` once the end was checked.
    hasher: Option<Hasher>,
    expected: String,
}

impl Stream for Validating {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match this.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                if let Some(hasher) = this.hasher.as_mut() {
                    hasher.update(&chunk);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) => match this.hasher.take() {
                Some(hasher) => {
                    let computed = hasher.finish();
                    if computed == this.expected {
                        Poll::Ready(None)
                    } else {
                        Poll::Ready(Some(Err(mismatch(
                            this.algorithm,
                            &this.expected,
                            computed,
                        ))))
                    }
                }
                None => Poll::Ready(None),
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_matching_body_reads_and_a_corrupted_one_fails_at_its_end() {
        let good = validating(
            ByteStream::from("Hello world"),
            ChecksumAlgorithm::Crc32,
            "i9aeUg==".into(),
        );
        assert_eq!(good.collect().await.unwrap(), "Hello world");
        let bad = validating(
            ByteStream::from("Hello World"),
            ChecksumAlgorithm::Crc32,
            "i9aeUg==".into(),
        );
        let err = bad.collect().await.unwrap_err();
        assert!(
            matches!(&err, ByteStreamError::ChecksumMismatch { algorithm: "CRC32", expected, .. } if expected == "i9aeUg=="),
            "{err}"
        );
        assert!(check(b"Hello world", ChecksumAlgorithm::Crc32, "i9aeUg==").is_ok());
        assert!(check(b"Hello", ChecksumAlgorithm::Crc32, "i9aeUg==").is_err());
    }
}
