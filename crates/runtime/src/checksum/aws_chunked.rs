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
//!
//! S3 refuses a chunk smaller than 8 KiB unless it is the last, so the body's pieces are
//! gathered into chunks of at least [`MIN_CHUNK`] (a stream that yields a byte at a time
//! still makes 64 KiB chunks); a piece that large already is sent as it is, uncopied.

use super::{ChecksumAlgorithm, Hasher};
use crate::ByteStream;
use crate::bytestream::ByteStreamError;
use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The smallest chunk sent but for the last.
pub const MIN_CHUNK: usize = 64 * 1024;

/// `body` encoded as `aws-chunked` with `algorithm`'s checksum as its trailer.
pub fn encode(body: ByteStream, algorithm: ChecksumAlgorithm) -> ByteStream {
    body.wrap(None, |inner| {
        Box::pin(Encoder {
            inner,
            algorithm,
            hasher: Some(algorithm.hasher()),
            gathered: BytesMut::new(),
            pending: VecDeque::new(),
        })
    })
}

struct Encoder {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes, ByteStreamError>> + Send>>,
    algorithm: ChecksumAlgorithm,
    /// `None` once the trailer is written.
    hasher: Option<Hasher>,
    /// Small pieces of the body waiting to make up a chunk.
    gathered: BytesMut,
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
                Poll::Ready(Some(Ok(piece))) if piece.is_empty() => {}
                Poll::Ready(Some(Ok(piece))) => {
                    hasher.update(&piece);
                    if this.gathered.is_empty() && piece.len() >= MIN_CHUNK {
                        push_chunk(&mut this.pending, piece);
                    } else {
                        this.gathered.extend_from_slice(&piece);
                        if this.gathered.len() >= MIN_CHUNK {
                            let chunk = this.gathered.split().freeze();
                            push_chunk(&mut this.pending, chunk);
                        }
                    }
                }
                Poll::Ready(None) => {
                    if !this.gathered.is_empty() {
                        let last = this.gathered.split().freeze();
                        push_chunk(&mut this.pending, last);
                    }
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

/// Queues one chunk: its size line, its data (uncopied) and its end.
fn push_chunk(pending: &mut VecDeque<Bytes>, chunk: Bytes) {
    pending.push_back(Bytes::from(format!("{:x}\r\n", chunk.len())));
    pending.push_back(chunk);
    pending.push_back(Bytes::from_static(b"\r\n"));
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
        // Small pieces are gathered: one chunk, then the trailer.
        assert_eq!(
            encoded,
            "b\r\nHello world\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n"
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

    /// The sizes of the data chunks of an encoded body, and the body decoded.
    fn decode(encoded: &[u8]) -> (Vec<usize>, Vec<u8>) {
        let (mut sizes, mut data, mut at) = (Vec::new(), Vec::new(), 0);
        loop {
            let line_end = at + encoded[at..].windows(2).position(|w| w == b"\r\n").unwrap();
            let size =
                usize::from_str_radix(std::str::from_utf8(&encoded[at..line_end]).unwrap(), 16)
                    .unwrap();
            if size == 0 {
                return (sizes, data);
            }
            sizes.push(size);
            data.extend_from_slice(&encoded[line_end + 2..line_end + 2 + size]);
            at = line_end + 2 + size + 2;
        }
    }

    #[tokio::test]
    async fn tiny_pieces_make_chunks_s3_accepts() {
        // 200,000 one-byte pieces: S3 refuses chunks under 8 KiB but the last.
        let pieces =
            (0..200_000u32).map(|i| Ok::<_, std::io::Error>(Bytes::from(vec![(i % 251) as u8])));
        let body = ByteStream::from_stream(futures_util::stream::iter(pieces));
        let encoded = encode(body, ChecksumAlgorithm::Crc32)
            .collect()
            .await
            .unwrap();
        let (sizes, data) = decode(&encoded);
        assert_eq!(
            sizes,
            [MIN_CHUNK, MIN_CHUNK, MIN_CHUNK, 200_000 - 3 * MIN_CHUNK]
        );
        let expected: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        assert_eq!(data, expected);
        // A large piece goes as it is.
        let big = Bytes::from(vec![7u8; 3 * MIN_CHUNK]);
        let body =
            ByteStream::from_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(big)]));
        let encoded = encode(body, ChecksumAlgorithm::Crc32)
            .collect()
            .await
            .unwrap();
        assert_eq!(decode(&encoded).0, [3 * MIN_CHUNK]);
    }
}
