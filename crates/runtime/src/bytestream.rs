//! `ByteStream`: the body of a `streaming` blob (S3's `PutObject` and `GetObject`, Lambda's
//! and Glacier's archives), sent or received in chunks and never held whole unless the
//! caller asks for it.
//!
//! A request body can come from memory ([`From<Bytes>`](ByteStream#impl-From<Bytes>-for-ByteStream)
//! and friends), a file ([`ByteStream::from_path`], [`ByteStream::from_path_range`]) or any
//! [`Stream`] of [`Bytes`] ([`ByteStream::from_stream`], with
//! [`ByteStream::with_content_length`] when the length is known: S3 needs it). Bodies from
//! memory and files can be sent again when a call is retried; a stream is sent once, so a
//! call whose body is a stream is not retried after its first attempt began.
//!
//! A response body is a [`Stream`] of chunks as they arrive: read it with
//! [`ByteStream::next_chunk`] (or any `StreamExt` method), or whole with
//! [`ByteStream::collect`]. Reading fails with a [`ByteStreamError`]: the connection broke,
//! or the body's checksum does not match what the service sent.

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

/// A stream of chunks as a body produces them.
type BoxStream = Pin<Box<dyn Stream<Item = Result<Bytes, ByteStreamError>> + Send>>;

/// How many bytes a file body reads at a time.
const FILE_CHUNK: usize = 256 * 1024;

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
    /// A file (or a range of one), opened when first read.
    File(FileSource),
    /// Chunks from elsewhere. The mutex makes the stream `Sync` (outputs holding a body are
    /// shared as `&dyn Value`) without asking that of the stream; it is only ever taken
    /// through `&mut self`, so it is never contended.
    Stream {
        stream: Mutex<BoxStream>,
        length: Option<u64>,
    },
}

#[derive(Clone, Debug)]
struct FileSource {
    path: PathBuf,
    offset: u64,
    length: u64,
}

/// Why a body could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ByteStreamError {
    /// Reading failed: the connection broke, or the file or stream the body came from
    /// failed.
    #[error("reading the body failed: {0}")]
    Io(#[from] std::io::Error),
    /// The body's checksum is not the one the service sent: the data was changed in transit.
    #[error(
        "the body's {algorithm} checksum is {computed}, but the service sent {expected}: the \
         data was corrupted in transit"
    )]
    ChecksumMismatch {
        algorithm: &'static str,
        /// The checksum the service sent (base64).
        expected: String,
        /// The checksum of the bytes received (base64).
        computed: String,
    },
    /// A body declared with a length produced more or fewer bytes.
    #[error("the body produced {actual} bytes, but its length was declared as {declared}")]
    LengthMismatch { declared: u64, actual: u64 },
}

impl ByteStream {
    /// An empty body.
    pub fn new() -> Self {
        ByteStream::default()
    }

    /// A body of the chunks `stream` yields, of unknown length (sent with
    /// `Transfer-Encoding: chunked`, which S3 does not accept: give S3 the length with
    /// [`ByteStream::with_content_length`]).
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        use futures_util::TryStreamExt as _;
        let stream = stream.map_err(|e| match e.into().downcast::<ByteStreamError>() {
            Ok(error) => *error,
            Err(other) => match other.downcast::<std::io::Error>() {
                Ok(io) => ByteStreamError::Io(*io),
                Err(other) => ByteStreamError::Io(std::io::Error::other(other)),
            },
        });
        ByteStream {
            inner: Inner::Stream {
                stream: Mutex::new(Box::pin(stream)),
                length: None,
            },
        }
    }

    /// Declares the length of a [`ByteStream::from_stream`] body: it is sent with a
    /// `Content-Length`, and a stream that yields more or fewer bytes fails the call with
    /// [`ByteStreamError::LengthMismatch`]. Bodies from memory and files know their length.
    #[must_use]
    pub fn with_content_length(mut self, length: u64) -> Self {
        if let Inner::Stream {
            stream,
            length: slot,
        } = &mut self.inner
        {
            let inner = std::mem::replace(
                stream.get_mut().unwrap_or_else(|p| p.into_inner()),
                Box::pin(futures_util::stream::empty()),
            );
            *stream = Mutex::new(Box::pin(CheckedLength {
                inner,
                declared: length,
                seen: 0,
            }));
            *slot = Some(length);
        }
        self
    }

    /// The whole file at `path` as a body. Its length is read now; its content is read as
    /// the body is sent (again on each retry).
    pub async fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let length = tokio::fs::metadata(&path).await?.len();
        Ok(Self::file(path, 0, length))
    }

    /// `length` bytes of the file at `path` from `offset` as a body: one part of a multipart
    /// upload, say. Fails when the file is shorter than the range.
    pub async fn from_path_range(
        path: impl AsRef<Path>,
        offset: u64,
        length: u64,
    ) -> std::io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let size = tokio::fs::metadata(&path).await?.len();
        let end = offset.checked_add(length).filter(|end| *end <= size);
        if end.is_none() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!(
                    "{} has {size} bytes, fewer than {length} from offset {offset}",
                    path.display()
                ),
            ));
        }
        Ok(Self::file(path, offset, length))
    }

    fn file(path: PathBuf, offset: u64, length: u64) -> Self {
        ByteStream {
            inner: Inner::File(FileSource {
                path,
                offset,
                length,
            }),
        }
    }

    /// The body's length, when it is known before reading it.
    pub fn content_length(&self) -> Option<u64> {
        match &self.inner {
            Inner::Empty => Some(0),
            Inner::Bytes(b) => Some(b.len() as u64),
            Inner::File(file) => Some(file.length),
            Inner::Stream { length, .. } => *length,
        }
    }

    /// The whole body, if it is in memory (as for bodies built from bytes, and the empty
    /// body).
    pub fn as_bytes(&self) -> Option<&Bytes> {
        static EMPTY: Bytes = Bytes::new();
        match &self.inner {
            Inner::Empty => Some(&EMPTY),
            Inner::Bytes(b) => Some(b),
            Inner::File(_) | Inner::Stream { .. } => None,
        }
    }

    /// Whether the body is in memory or in a file rather than an arbitrary stream: such a
    /// body can be read again ([`ByteStream::try_clone`]), so a call sending it can be retried.
    pub fn is_replayable(&self) -> bool {
        !matches!(self.inner, Inner::Stream { .. })
    }

    /// A body with the same bytes, read from the start: for bodies in memory or in a file,
    /// not for streams (`None`).
    pub fn try_clone(&self) -> Option<ByteStream> {
        let inner = match &self.inner {
            Inner::Empty => Inner::Empty,
            Inner::Bytes(b) => Inner::Bytes(b.clone()),
            Inner::File(file) => Inner::File(file.clone()),
            Inner::Stream { .. } => return None,
        };
        Some(ByteStream { inner })
    }

    /// The next chunk, or `None` at the end.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        futures_util::StreamExt::next(self).await
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> Result<Bytes, ByteStreamError> {
        if let Inner::Bytes(b) = &self.inner {
            return Ok(b.clone());
        }
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

    /// Maps every chunk and the end of the body through `f` (checksums and encodings wrap a
    /// body this way). The length stays what `length` says.
    #[cfg_attr(not(feature = "checksums"), allow(dead_code))]
    pub(crate) fn wrap(
        self,
        length: Option<u64>,
        f: impl FnOnce(BoxStream) -> BoxStream,
    ) -> ByteStream {
        let inner: BoxStream = Box::pin(self);
        ByteStream {
            inner: Inner::Stream {
                stream: Mutex::new(f(inner)),
                length,
            },
        }
    }

    /// Turns a file body into the stream that reads it.
    fn open_file(file: FileSource) -> Inner {
        use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};
        struct Reading {
            file: Option<tokio::fs::File>,
            source: FileSource,
            remaining: u64,
        }
        let remaining = file.length;
        let state = Reading {
            file: None,
            source: file,
            remaining,
        };
        let stream = futures_util::stream::try_unfold(state, |mut state| async move {
            if state.remaining == 0 {
                return Ok(None);
            }
            if state.file.is_none() {
                let mut file = tokio::fs::File::open(&state.source.path).await?;
                if state.source.offset > 0 {
                    file.seek(std::io::SeekFrom::Start(state.source.offset))
                        .await?;
                }
                state.file = Some(file);
            }
            let Some(file) = state.file.as_mut() else {
                return Ok(None);
            };
            let want = usize::try_from(state.remaining).map_or(FILE_CHUNK, |r| r.min(FILE_CHUNK));
            let mut buf = BytesMut::zeroed(want);
            let mut filled = 0;
            while filled < want {
                let n = file.read(&mut buf[filled..]).await?;
                if n == 0 {
                    return Err(ByteStreamError::Io(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        format!(
                            "{} ended {} bytes before the body's declared end",
                            state.source.path.display(),
                            state.remaining - filled as u64
                        ),
                    )));
                }
                filled += n;
            }
            state.remaining -= want as u64;
            Ok(Some((buf.freeze(), state)))
        });
        Inner::Stream {
            stream: Mutex::new(Box::pin(stream)),
            length: Some(remaining),
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut self.inner;
        if let Inner::File(file) = this {
            let file = file.clone();
            *this = ByteStream::open_file(file);
        }
        match this {
            Inner::Empty => Poll::Ready(None),
            Inner::Bytes(_) => match std::mem::take(this) {
                Inner::Bytes(b) if !b.is_empty() => Poll::Ready(Some(Ok(b))),
                _ => Poll::Ready(None),
            },
            Inner::Stream { stream, .. } => stream
                .get_mut()
                .unwrap_or_else(|p| p.into_inner())
                .as_mut()
                .poll_next(cx),
            Inner::File(_) => Poll::Ready(None),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, None)
    }
}

/// A stream that must produce exactly `declared` bytes.
struct CheckedLength {
    inner: BoxStream,
    declared: u64,
    seen: u64,
}

impl Stream for CheckedLength {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match this.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.seen += chunk.len() as u64;
                if this.seen > this.declared {
                    return Poll::Ready(Some(Err(ByteStreamError::LengthMismatch {
                        declared: this.declared,
                        actual: this.seen,
                    })));
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) if this.seen != this.declared => {
                Poll::Ready(Some(Err(ByteStreamError::LengthMismatch {
                    declared: this.declared,
                    actual: this.seen,
                })))
            }
            other => other,
        }
    }
}

impl http_body::Body for ByteStream {
    type Data = Bytes;
    type Error = ByteStreamError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, ByteStreamError>>> {
        self.poll_next(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(http_body::Frame::data)))
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Empty => true,
            Inner::Bytes(b) => b.is_empty(),
            Inner::File(file) => file.length == 0,
            Inner::Stream { .. } => false,
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self.content_length() {
            Some(length) => http_body::SizeHint::with_exact(length),
            None => http_body::SizeHint::default(),
        }
    }
}

impl ByteStream {
    /// A body read from an HTTP body (a response, as the transport receives it).
    pub fn from_body<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let length = body.size_hint().exact();
        let stream = http_body_util::BodyDataStream::new(body);
        let mut stream = ByteStream::from_stream(stream);
        if let Inner::Stream { length: slot, .. } = &mut stream.inner {
            *slot = length;
        }
        stream
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

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<&'static str> for ByteStream {
    fn from(s: &'static str) -> Self {
        Bytes::from_static(s.as_bytes()).into()
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Empty => f.write_str("ByteStream(empty)"),
            Inner::Bytes(b) => write!(f, "ByteStream({} bytes)", b.len()),
            Inner::File(file) => write!(
                f,
                "ByteStream({} bytes of {})",
                file.length,
                file.path.display()
            ),
            Inner::Stream {
                length: Some(length),
                ..
            } => write!(f, "ByteStream(streaming, {length} bytes)"),
            Inner::Stream { length: None, .. } => f.write_str("ByteStream(streaming)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: &[&'static [u8]]) -> ByteStream {
        let parts: Vec<Result<Bytes, std::io::Error>> =
            parts.iter().map(|p| Ok(Bytes::from_static(p))).collect();
        ByteStream::from_stream(futures_util::stream::iter(parts))
    }

    #[tokio::test]
    async fn collects_chunks_in_order() {
        let body = chunks(&[b"ab", b"cd", b"e"]);
        assert_eq!(body.content_length(), None);
        assert!(!body.is_replayable());
        assert_eq!(body.collect().await.unwrap(), Bytes::from_static(b"abcde"));
        assert_eq!(ByteStream::from("x").collect().await.unwrap(), "x");
        assert!(ByteStream::default().collect().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_failing_chunk_is_an_error() {
        let parts = vec![
            Ok(Bytes::from_static(b"ab")),
            Err(std::io::Error::other("reset")),
        ];
        let err = ByteStream::from_stream(futures_util::stream::iter(parts))
            .collect()
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "reading the body failed: reset");
    }

    #[tokio::test]
    async fn a_declared_length_is_enforced() {
        let body = chunks(&[b"ab", b"cd"]).with_content_length(4);
        assert_eq!(body.content_length(), Some(4));
        assert_eq!(body.collect().await.unwrap(), "abcd");
        let err = chunks(&[b"ab"]).with_content_length(3).collect().await;
        assert!(matches!(
            err,
            Err(ByteStreamError::LengthMismatch {
                declared: 3,
                actual: 2
            })
        ));
        let err = chunks(&[b"ab", b"cd"])
            .with_content_length(3)
            .collect()
            .await;
        assert!(matches!(
            err,
            Err(ByteStreamError::LengthMismatch {
                declared: 3,
                actual: 4
            })
        ));
    }

    #[tokio::test]
    async fn files_are_read_in_ranges_and_replayable() {
        let dir = std::env::temp_dir().join(format!("stratus-bytestream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("body");
        let data: Vec<u8> = (0..(FILE_CHUNK * 2 + 17))
            .map(|i| (i % 251) as u8)
            .collect();
        std::fs::write(&path, &data).unwrap();
        let body = ByteStream::from_path(&path).await.unwrap();
        assert_eq!(body.content_length(), Some(data.len() as u64));
        assert!(body.is_replayable());
        let again = body.try_clone().expect("a file body clones");
        assert_eq!(body.collect().await.unwrap(), data);
        assert_eq!(again.collect().await.unwrap(), data);
        let range = ByteStream::from_path_range(&path, 10, 5).await.unwrap();
        assert_eq!(range.collect().await.unwrap(), data[10..15]);
        assert!(
            ByteStream::from_path_range(&path, 10, data.len() as u64)
                .await
                .is_err()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
