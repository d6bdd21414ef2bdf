//! Compress: gzips the body of operations with the `requestcompression` trait, as the AWS
//! SDKs do, when it is large enough to be worth it.

use crate::error::RequestError;
use crate::operation::Operation;
use crate::protocol::HttpRequest;

/// Bodies smaller than this are sent as they are (the SDKs' default,
/// `request_min_compression_size_bytes`).
pub const DEFAULT_MIN_COMPRESSION_SIZE: usize = 10_240;

/// Gzips `request`'s body when `op` allows gzip and the body has at least `min_size` bytes,
/// appending `gzip` to `Content-Encoding` and fixing `Content-Length`. Returns whether it did
/// (never without the runtime's `compression` feature).
pub fn compress(
    op: &Operation,
    request: &mut HttpRequest,
    min_size: usize,
) -> Result<bool, RequestError> {
    if !op.request_compression.contains(&"gzip") || request.body().len() < min_size {
        return Ok(false);
    }
    gzip(request)
}

/// Without the `compression` feature bodies go uncompressed (services accept both).
#[cfg(not(feature = "compression"))]
fn gzip(_: &mut HttpRequest) -> Result<bool, RequestError> {
    Ok(false)
}

#[cfg(feature = "compression")]
fn gzip(request: &mut HttpRequest) -> Result<bool, RequestError> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(request.body().len() / 4),
        flate2::Compression::default(),
    );
    let compressed = encoder
        .write_all(request.body())
        .and_then(|()| encoder.finish())
        .map_err(|e| RequestError::Build(format!("gzip of the request body failed: {e}")))?;
    let headers = request.headers_mut();
    let encoding = match headers
        .get(http::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
    {
        Some(existing) if !existing.is_empty() => format!("{existing}, gzip"),
        _ => "gzip".to_string(),
    };
    let encoding = http::HeaderValue::from_str(&encoding)
        .map_err(|e| RequestError::Build(format!("Content-Encoding `{encoding}`: {e}")))?;
    headers.insert(http::header::CONTENT_ENCODING, encoding);
    headers.insert(
        http::header::CONTENT_LENGTH,
        http::HeaderValue::from(compressed.len()),
    );
    *request.body_mut() = compressed.into();
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::ServiceInfo;
    use crate::schema::Schema;

    static EMPTY: Schema = Schema::structure("Empty", &[]);
    static SERVICE: ServiceInfo = ServiceInfo::test("test", "Test");
    static GZIP: Operation =
        Operation::new("Put", &SERVICE, "POST", "/", &EMPTY, &EMPTY).request_compression(&["gzip"]);
    static PLAIN: Operation = Operation::new("Put", &SERVICE, "POST", "/", &EMPTY, &EMPTY);

    #[test]
    #[cfg(feature = "compression")]
    fn large_bodies_of_compressing_operations_are_gzipped() {
        use std::io::Read;
        let body = "Action=Put&Data=".to_string() + &"abc".repeat(5000);
        let mut request = http::Request::new(bytes::Bytes::from(body.clone()));
        request.headers_mut().insert(
            http::header::CONTENT_ENCODING,
            http::HeaderValue::from_static("custom"),
        );
        assert!(compress(&GZIP, &mut request, DEFAULT_MIN_COMPRESSION_SIZE).unwrap());
        assert_eq!(request.headers()["content-encoding"], "custom, gzip");
        assert_eq!(
            request.headers()["content-length"],
            request.body().len().to_string().as_str()
        );
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(request.body().as_ref())
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, body);
    }

    #[test]
    fn small_bodies_and_other_operations_are_left_alone() {
        let mut request = http::Request::new(bytes::Bytes::from_static(b"Action=Put"));
        assert!(!compress(&GZIP, &mut request, DEFAULT_MIN_COMPRESSION_SIZE).unwrap());
        let mut request = http::Request::new(bytes::Bytes::from("x".repeat(20_000)));
        assert!(!compress(&PLAIN, &mut request, DEFAULT_MIN_COMPRESSION_SIZE).unwrap());
        assert_eq!(request.body().len(), 20_000);
    }

    #[test]
    #[cfg(not(feature = "compression"))]
    fn without_the_feature_bodies_go_uncompressed() {
        let mut request = http::Request::new(bytes::Bytes::from("x".repeat(20_000)));
        assert!(!compress(&GZIP, &mut request, DEFAULT_MIN_COMPRESSION_SIZE).unwrap());
        assert_eq!(request.body().len(), 20_000);
        assert!(request.headers().get("content-encoding").is_none());
    }
}
