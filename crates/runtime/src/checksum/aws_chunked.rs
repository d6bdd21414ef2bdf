//! `aws-chunked`: a streamed body in chunks, followed by a trailer carrying its checksum, so
//! the checksum of a body that is never in memory whole can still be sent with it.
//!
//! ```text
//! 2000\r\n<0x2000 bytes>\r\n
//! 11\r\n<0x11 bytes>\r\n
//! 0\r\n
//! x-amz-checksum-crc32:i9aeUg==\r\n
//! \r\n
//! ```
//!
//! The request says so with `Content-Encoding: aws-chunked`, `x-amz-trailer` (the trailer's
//! name), `x-amz-decoded-content-length` (the body's own length) and
//! `x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`; it is sent with
//! `Transfer-Encoding: chunked`, as botocore sends it.

use super::{ChecksumAlgorithm, Hasher};
use crate::ByteStream;
use crate::bytestream::ByteStreamError;
use bytes::Bytes;
use futures_core::Stream;
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

/// `body` encoded as `aws-chunked` with `algorithm`'s checksum as its trailer.
pub fn encode(body: ByteStream, algorithm: ChecksumAlgorithm) -> ByteStream {
    body.wrap(None, |inner| {
        Box::pin(Encoder {
            inner,
            algorithm,
            hasher: Some(algorithm.hasher()),
            pending: VecDeque::new(),
        })
    })
}

struct Encoder {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes, ByteStreamError>> + Send>>,
    algorithm: ChecksumAlgorithm,
    /// `None` once the trailer is written.
    hasher: Option<Hasher>,
    /// Pieces of the encoding ready to go: a chunk's head, its data and its end are sent as
    /// three pieces, so the data is never copied.
    pending: VecDeque<Bytes>,
}

impl Stream for Encoder {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(piece) = this.pending.pop_front() {
                return Poll::Ready(Some(Ok(piece)));
            }
            let Some(hasher) = this.hasher.as_mut() else {
                return Poll::Ready(None);
            };
            match this.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(chunk))) if chunk.is_empty() => {}
                Poll::Ready(Some(Ok(chunk))) => {
                    hasher.update(&chunk);
                    this.pending
                        .push_back(Bytes::from(format!("{:x}\r\n", chunk.len())));
                    this.pending.push_back(chunk);
                    this.pending.push_back(Bytes::from_static(b"\r\n"));
                }
                Poll::Ready(None) => {
                    let checksum = this.hasher.take().map(Hasher::finish).unwrap_or_default();
                    this.pending.push_back(Bytes::from(format!(
                        "0\r\n{}:{checksum}\r\n\r\n",
                        this.algorithm.header()
                    )));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn chunks_then_the_checksum_trailer() {
        let parts: Vec<Result<Bytes, std::io::Error>> = vec![
            Ok(Bytes::from_static(b"Hello")),
            Ok(Bytes::new()),
            Ok(Bytes::from_static(b" world")),
        ];
        let body = ByteStream::from_stream(futures_util::stream::iter(parts));
        let encoded = encode(body, ChecksumAlgorithm::Crc32)
            .collect()
            .await
            .unwrap();
        assert_eq!(
            encoded,
            "5\r\nHello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n"
        );
        let empty = encode(ByteStream::new(), ChecksumAlgorithm::Sha256)
            .collect()
            .await
            .unwrap();
        assert_eq!(
            empty,
            "0\r\nx-amz-checksum-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\r\n\r\n"
        );
    }
}
