//! `ByteStream`: a streaming body (`streaming` blobs) that is never buffered whole unless
//! the caller asks for it.

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt;
use std::fmt;
use std::pin::Pin;

type BoxStream = Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send + Sync>>;

/// A body of bytes that arrives (or is sent) in chunks.
#[derive(Default)]
pub struct ByteStream {
    inner: Inner,
}

#[derive(Default)]
enum Inner {
    #[default]
    Empty,
    Bytes(Bytes),
    Stream(BoxStream),
}

impl ByteStream {
    /// A stream of the chunks `stream` yields.
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + Sync + 'static,
    {
        ByteStream {
            inner: Inner::Stream(Box::pin(stream)),
        }
    }

    /// The whole body, if it is already in memory (as for bodies built from bytes).
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Empty => None,
            Inner::Bytes(b) => Some(b),
            Inner::Stream(_) => None,
        }
    }

    /// The next chunk, or `None` at the end.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, std::io::Error>> {
        match std::mem::take(&mut self.inner) {
            Inner::Empty => None,
            Inner::Bytes(b) => Some(Ok(b)),
            Inner::Stream(mut s) => {
                let next = s.next().await;
                self.inner = Inner::Stream(s);
                next
            }
        }
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> Result<Bytes, std::io::Error> {
        let mut first: Option<Bytes> = None;
        let mut buf = BytesMut::new();
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            match first.take() {
                None if buf.is_empty() => first = Some(chunk),
                prev => {
                    if let Some(prev) = prev {
                        buf.extend_from_slice(&prev);
                    }
                    buf.extend_from_slice(&chunk);
                }
            }
        }
        Ok(first.unwrap_or_else(|| buf.freeze()))
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        ByteStream {
            inner: Inner::Bytes(bytes),
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<&'static str> for ByteStream {
    fn from(s: &'static str) -> Self {
        Bytes::from_static(s.as_bytes()).into()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Empty => f.write_str("ByteStream(empty)"),
            Inner::Bytes(b) => write!(f, "ByteStream({} bytes)", b.len()),
            Inner::Stream(_) => f.write_str("ByteStream(streaming)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(fut: F) -> F::Output {
        futures_util::FutureExt::now_or_never(fut).expect("ready stream")
    }

    #[test]
    fn collects_chunks_in_order() {
        let chunks = futures_util::stream::iter(vec![
            Ok(Bytes::from_static(b"ab")),
            Ok(Bytes::from_static(b"cd")),
            Ok(Bytes::from_static(b"e")),
        ]);
        let body = ByteStream::from_stream(chunks);
        assert_eq!(
            block_on(body.collect()).unwrap(),
            Bytes::from_static(b"abcde")
        );
        assert_eq!(block_on(ByteStream::from("x").collect()).unwrap(), "x");
        assert!(
            block_on(ByteStream::default().collect())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_failing_chunk_is_an_error() {
        let chunks = futures_util::stream::iter(vec![
            Ok(Bytes::from_static(b"ab")),
            Err(std::io::Error::other("reset")),
        ]);
        let err = block_on(ByteStream::from_stream(chunks).collect()).unwrap_err();
        assert_eq!(err.to_string(), "reset");
    }
}
