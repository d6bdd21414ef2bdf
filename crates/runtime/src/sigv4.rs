//! AWS Signature Version 4 (`AWS4-HMAC-SHA256`): signing requests with an `Authorization`
//! header ([`sign`]) and presigning them into URLs ([`presign`]).
//!
//! # The algorithm
//!
//! A signature covers a *canonical request*:
//!
//! ```text
//! METHOD
//! canonical URI                  the path, normalised and percent-encoded (below)
//! canonical query string         every parameter decoded, re-encoded (RFC 3986), sorted
//! name:value                     one line per signed header: lowercase names, sorted,
//! ...                            values trimmed, inner whitespace runs collapsed to one
//!                                space, repeated headers joined with `,`
//! (empty line)
//! signed;header;names
//! payload hash                   hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`, ...
//! ```
//!
//! whose hex SHA-256 ends the *string to sign*
//! (`AWS4-HMAC-SHA256\n<x-amz-date>\n<date>/<region>/<service>/aws4_request\n<hash>`),
//! which is HMAC-SHA256'd with a key derived from the secret access key by four chained
//! HMACs over the date, region, service and `aws4_request`. Derived keys are cached
//! ([`SigningKeyCache`]): a key is valid for one day, region and service.
//!
//! The rules, as the suites in `tests/fixtures/sigv4*` pin them:
//!
//! * **Canonical URI.** The request path as it goes on the wire. With
//!   [`SigningSettings::normalize_path`], `.` and `..` segments are removed (RFC 3986
//!   section 5.2.4) and empty segments (`//`) collapse. With [`UriEncoding::Double`] (every
//!   service but S3) every byte but the unreserved characters (`A-Z a-z 0-9 - . _ ~`) and
//!   `/` is percent-encoded once more, so an `%3A` on the wire becomes `%253A`; with
//!   [`UriEncoding::Single`] (S3) the wire path is used as it is, only bytes that cannot
//!   appear in a canonical URI (spaces, controls, non-ASCII) are percent-encoded.
//! * **Canonical query string.** Each `key=value` pair of the wire query is percent-decoded
//!   (`+` reads as a space, as form decoding and AWS services do), re-encoded with every byte
//!   but the unreserved characters as `%XY`, and the pairs are sorted by encoded key, then
//!   encoded value. A key without `=` gets an empty value (`key=`).
//! * **Signed headers.** Every header of the request except `authorization` and those that
//!   proxies may change or that are for tracing (`connection`, `expect`, `keep-alive`,
//!   `proxy-authenticate`, `proxy-authorization`, `te`, `trailer`, `transfer-encoding`,
//!   `upgrade`, `user-agent`, `x-amzn-trace-id`: botocore's list), plus what the signer
//!   adds: `host` when missing, `x-amz-date`, `x-amz-security-token` and
//!   `x-amz-content-sha256` (see [`sign`]).
//!
//! # Examples
//!
//! ```
//! use bytes::Bytes;
//! use stratus_runtime::sigv4::{self, SigningParams};
//! use stratus_runtime::{Credentials, DateTime};
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None, None, "example");
//! let mut request = http::Request::get("https://example.amazonaws.com/?Param1=value1").body(Bytes::new())?;
//! let params = SigningParams::new(&credentials, "us-east-1", "service", DateTime::from_secs(1_440_938_160));
//! sigv4::sign(&mut request, &params)?;
//! assert_eq!(
//!     request.headers()["authorization"],
//!     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
//!      SignedHeaders=host;x-amz-date, \
//!      Signature=a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use crate::key_cache::CacheStats;
use crate::key_cache::KeyCache;
use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::header::{AUTHORIZATION, HOST};
use http::uri::PathAndQuery;
use http::{HeaderMap, HeaderName, HeaderValue, Request, Uri};
use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, percent_decode, percent_encode};
use ring::{digest, hmac};

use crate::{Credentials, DateTime};

/// The algorithm name that starts the string to sign and the `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The payload hash of requests whose body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The payload hash of `aws-chunked` bodies with unsigned chunks and trailing checksums.
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
/// The longest validity a presigned request may have: 7 days.
pub const MAX_PRESIGNED_EXPIRY: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Hex SHA-256 of no bytes.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// Every byte but the RFC 3986 unreserved characters is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// The same, keeping the path separators.
const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');
/// What a single-encoded (S3) path still needs encoded: controls and spaces (and, as
/// `percent_encode` always does, every non-ASCII byte).
const NOT_IN_PATH: &AsciiSet = &CONTROLS.add(b' ');

// Constants, so the names are checked at compile time rather than on every signing.
const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
const X_AMZ_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");
const X_AMZ_REGION_SET: HeaderName = HeaderName::from_static("x-amz-region-set");

/// Headers that are never signed: the signature itself, and headers that proxies and HTTP
/// stacks add, drop or rewrite on the way (botocore's `SIGNED_HEADERS_BLACKLIST`).
fn is_unsigned_header(name: &str) -> bool {
    matches!(
        name,
        "authorization"
            | "connection"
            | "expect"
            | "keep-alive"
            | "proxy-authenticate"
            | "proxy-authorization"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "user-agent"
            | "x-amzn-trace-id"
    )
}

// ---------------------------------------------------------------------------------------
// Settings and parameters
// ---------------------------------------------------------------------------------------

/// How the path is percent-encoded into the canonical URI.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum UriEncoding {
    /// Percent-encode the wire path once more (`%3A` -> `%253A`): every service but S3.
    #[default]
    Double,
    /// Use the wire path as it is (it is already percent-encoded once): S3.
    Single,
}

/// What stands for the body in the canonical request (and in `x-amz-content-sha256`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PayloadHash {
    /// The hex SHA-256 of the body bytes.
    #[default]
    Body,
    /// The literal `UNSIGNED-PAYLOAD` (S3 over TLS, presigned S3 URLs).
    Unsigned,
    /// The literal `STREAMING-UNSIGNED-PAYLOAD-TRAILER` (`aws-chunked` uploads with
    /// trailing checksums).
    StreamingUnsignedTrailer,
    /// A SHA-256 computed elsewhere, for example while a streaming body was produced.
    Precomputed([u8; 32]),
}

/// Where the session token of temporary credentials goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SessionTokenMode {
    /// `x-amz-security-token` (or `X-Amz-Security-Token`) is part of the signed request.
    #[default]
    Include,
    /// The token is added after signing and not signed, as a few services (and older IoT
    /// presigned URLs) expect.
    AppendAfterSigning,
}

/// The service-specific choices of the algorithm.
///
/// [`Default`] is what every service but S3 uses; [`SigningSettings::s3`] is S3's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SigningSettings {
    /// How the path is encoded in the canonical URI.
    pub uri_encoding: UriEncoding,
    /// Whether `.`/`..` segments and repeated slashes are removed from the canonical URI.
    pub normalize_path: bool,
    /// The payload hash of the canonical request.
    pub payload: PayloadHash,
    /// Whether to send (and sign) the payload hash as `x-amz-content-sha256`. S3 requires it;
    /// it also works around services and stand-ins (moto) that read it. Presigning ignores it.
    pub content_sha256_header: bool,
    /// Where the session token goes.
    pub session_token_mode: SessionTokenMode,
}

impl Default for SigningSettings {
    fn default() -> Self {
        SigningSettings {
            uri_encoding: UriEncoding::Double,
            normalize_path: true,
            payload: PayloadHash::Body,
            content_sha256_header: false,
            session_token_mode: SessionTokenMode::Include,
        }
    }
}

impl SigningSettings {
    /// S3's settings: single encoding, no path normalisation, `x-amz-content-sha256` sent.
    pub const fn s3() -> Self {
        SigningSettings {
            uri_encoding: UriEncoding::Single,
            normalize_path: false,
            payload: PayloadHash::Body,
            content_sha256_header: true,
            session_token_mode: SessionTokenMode::Include,
        }
    }
}

/// Who signs, for which region and service, when, and how.
#[derive(Clone, Copy, Debug)]
pub struct SigningParams<'a> {
    /// The credentials to sign with.
    pub credentials: &'a Credentials,
    /// The signing region (`us-east-1`).
    pub region: &'a str,
    /// The signing name of the service (`s3`, `execute-api`), which can differ from its
    /// endpoint prefix.
    pub service: &'a str,
    /// The signing time, `x-amz-date`.
    pub time: DateTime,
    /// The service-specific choices.
    pub settings: SigningSettings,
    /// The cache of derived keys to use; `None` uses [`SigningKeyCache::global`].
    pub key_cache: Option<&'a SigningKeyCache>,
}

impl<'a> SigningParams<'a> {
    /// Parameters with the default settings (every service but S3) and the global key cache.
    pub fn new(
        credentials: &'a Credentials,
        region: &'a str,
        service: &'a str,
        time: DateTime,
    ) -> Self {
        SigningParams {
            credentials,
            region,
            service,
            time,
            settings: SigningSettings::default(),
            key_cache: None,
        }
    }

    /// The same parameters with other settings.
    #[must_use]
    pub fn with_settings(mut self, settings: SigningSettings) -> Self {
        self.settings = settings;
        self
    }

    /// The same parameters with their own key cache instead of the global one.
    #[must_use]
    pub fn with_key_cache(mut self, cache: &'a SigningKeyCache) -> Self {
        self.key_cache = Some(cache);
        self
    }

    /// The SigV4 view of these parameters for the steps shared with SigV4a.
    fn scheme(&self) -> Scheme<'a> {
        Scheme {
            algorithm: ALGORITHM,
            credentials: self.credentials,
            scope_region: Some(self.region),
            region_set: None,
            service: self.service,
            time: self.time,
            settings: self.settings,
        }
    }

    fn cache_or_global(&self) -> &'a SigningKeyCache {
        match self.key_cache {
            Some(cache) => cache,
            None => SigningKeyCache::global(),
        }
    }

    fn signing_key(&self, date: &str) -> SigningKey {
        self.cache_or_global().signing_key(
            self.credentials.secret_access_key(),
            date,
            self.region,
            self.service,
        )
    }
}

/// Where the signature goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureLocation {
    /// An `Authorization` header (with `x-amz-date` and friends): [`sign`].
    Headers,
    /// Query parameters, making a presigned request valid for `expires_in`: [`presign`].
    QueryString {
        /// How long the presigned request stays valid: 1 second to 7 days, whole seconds
        /// (a fraction of a second is dropped).
        expires_in: Duration,
    },
}

/// Why a request could not be signed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SigningError {
    /// The region or signing name is empty or would break the credential scope.
    #[error(
        "cannot sign for {field} {value:?}: it must be non-empty printable ASCII without `/` or spaces \
         (for example `us-east-1` for a region, `s3` for a signing name)"
    )]
    InvalidScope {
        /// `region` or `service`.
        field: &'static str,
        /// The value given.
        value: String,
    },
    /// The SigV4a region set is empty, or one of its comma-separated regions is.
    #[error(
        "cannot sign for region set {value:?}: it must be one or more comma-separated regions, each \
         non-empty printable ASCII without `/` or spaces (for example `*` or `us-west-2,us-east-1`)"
    )]
    InvalidRegionSet {
        /// The value given.
        value: String,
    },
    /// SigV4a's ECDSA P-256 key derivation or signing failed. In practice never: the key
    /// derivation fails with a chance below 2^-8000, and signing only with an invalid key.
    #[error("SigV4a (ECDSA P-256) {step} failed for the credentials from {provider}")]
    Ecdsa {
        /// `key derivation` or `signing`.
        step: &'static str,
        /// Where the credentials came from.
        provider: &'static str,
    },
    /// The access key id is empty or not printable ASCII without `/`.
    #[error(
        "the access key id of the credentials from {provider} is empty or malformed \
         (it must be printable ASCII without `/` or spaces); check those credentials"
    )]
    InvalidAccessKeyId {
        /// Where the credentials came from.
        provider: &'static str,
    },
    /// The secret access key is empty.
    #[error(
        "the secret access key of the credentials from {provider} is empty; check those credentials"
    )]
    EmptySecretAccessKey {
        /// Where the credentials came from.
        provider: &'static str,
    },
    /// The session token cannot be an HTTP header value.
    #[error(
        "the session token of the credentials from {provider} contains characters that cannot appear \
         in an HTTP header (a line break?); check those credentials"
    )]
    InvalidSessionToken {
        /// Where the credentials came from.
        provider: &'static str,
    },
    /// The signing time has no four-digit year.
    #[error(
        "the signing time {time} is outside the years 0000 to 9999 that SigV4 can express; check the clock"
    )]
    TimeOutOfRange {
        /// The signing time given.
        time: DateTime,
    },
    /// A presigned request was asked to expire in less than a second or more than 7 days.
    #[error(
        "a presigned request must expire in 1 second to 7 days (604800 s), but {requested:?} was requested"
    )]
    InvalidExpiry {
        /// The validity asked for.
        requested: Duration,
    },
    /// Neither a `host` header nor a URI authority says which host is signed for.
    #[error(
        "the request has no `host` header and its URI has no authority, so there is no host to sign; \
         use an absolute URI (https://host/path) or set the `host` header"
    )]
    MissingHost,
    /// A header value is not UTF-8.
    #[error(
        "the value of header `{name}` is not UTF-8 text, which SigV4 cannot canonicalise; \
         remove the header or encode its value"
    )]
    NonUtf8Header {
        /// The header's name.
        name: String,
    },
    /// The signed request or presigned URI could not be assembled from its parts.
    #[error("could not assemble the signed request: {0}")]
    Http(#[from] http::Error),
}

// ---------------------------------------------------------------------------------------
// The request as the signer sees it
// ---------------------------------------------------------------------------------------

/// A borrowed view of the parts of a request that are signed.
///
/// Most callers never build one: [`sign`] and [`presign`] take an [`http::Request`]. It
/// exists for the functions that expose the intermediate strings ([`canonical_request`],
/// [`sign_request`]) and for request targets an [`http::Uri`] cannot hold (a literal space
/// in the path, as one conformance case has): see [`SignableRequest::from_raw_target`].
#[derive(Clone, Copy)]
pub struct SignableRequest<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    /// The URI's host, and its port unless it is the scheme's default.
    authority: Option<(&'a str, Option<u16>)>,
    headers: &'a HeaderMap,
    body: &'a [u8],
}

impl<'a> SignableRequest<'a> {
    /// A request to `uri`; the `host` signed is the `host` header, else the URI's authority
    /// (host, and port unless it is the scheme's default, as hyper sends it).
    pub fn new(method: &'a str, uri: &'a Uri, headers: &'a HeaderMap, body: &'a [u8]) -> Self {
        let authority = uri.authority().map(|authority| {
            let port = match (uri.scheme_str(), authority.port_u16()) {
                (Some("http"), Some(80)) | (Some("https"), Some(443)) => None,
                (_, port) => port,
            };
            (authority.host(), port)
        });
        SignableRequest {
            method,
            path: uri.path(),
            query: uri.query().unwrap_or(""),
            authority,
            headers,
            body,
        }
    }

    /// The signed view of an [`http::Request`].
    pub fn from_http<B: AsRef<[u8]>>(request: &'a Request<B>) -> Self {
        Self::new(
            request.method().as_str(),
            request.uri(),
            request.headers(),
            request.body().as_ref(),
        )
    }

    /// A request given by its raw origin-form target (`/path?query`, as in an HTTP/1.1
    /// request line), taken byte for byte, even where [`http::Uri`] would refuse it. The
    /// signed host must be in `headers`.
    pub fn from_raw_target(
        method: &'a str,
        target: &'a str,
        headers: &'a HeaderMap,
        body: &'a [u8],
    ) -> Self {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        SignableRequest {
            method,
            path,
            query,
            authority: None,
            headers,
            body,
        }
    }
}

impl fmt::Debug for SignableRequest<'_> {
    /// Prints the method, path, query and header names (never header values or the body).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("authority", &self.authority)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.body.len())
            .finish()
    }
}

// ---------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------

/// Signs `request` in place with an `Authorization` header.
///
/// Sets (replacing any value present) `x-amz-date`; `x-amz-security-token` when the
/// credentials have a session token; `x-amz-content-sha256` when
/// [`SigningSettings::content_sha256_header`] is set; and `authorization`. When the request
/// has no `host` header, one is added from the URI's authority (without the scheme's
/// default port, which is what hyper would send): the signature must cover the host, so it
/// is fixed here rather than left to the HTTP client. Signing again (a retry) replaces every
/// one of these.
///
/// The URI may be absolute (`https://host/path?query`) or origin-form (`/path?query`) with
/// a `host` header.
pub fn sign(request: &mut Request<Bytes>, params: &SigningParams<'_>) -> Result<(), SigningError> {
    sign_headers_with(request, &params.scheme(), |date, string_to_sign| {
        Ok(Signature::Hmac(
            params.signing_key(date).sign_hex(string_to_sign),
        ))
    })
}

/// Presigns `request` into a URI that is valid for `expires_in` (1 second to 7 days).
///
/// The URI is the request's own (absolute or origin-form) with the original query kept
/// byte for byte and `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
/// `X-Amz-Security-Token` (with temporary credentials), `X-Amz-SignedHeaders` and
/// `X-Amz-Signature` appended. The signed headers are the request's (at least `host`); whoever
/// uses the URI must send them unchanged. The payload hash follows
/// [`SigningSettings::payload`]: S3's presigned URLs use [`PayloadHash::Unsigned`].
pub fn presign(
    request: &Request<Bytes>,
    params: &SigningParams<'_>,
    expires_in: Duration,
) -> Result<Uri, SigningError> {
    let output = sign_request(
        &SignableRequest::from_http(request),
        params,
        SignatureLocation::QueryString { expires_in },
    )?;
    presigned_uri(request.uri(), &output)
}

/// `uri` with the query parameters of a query-signing `output` appended (and `/` for an
/// empty path): the end of [`presign`] and of SigV4a's.
pub(crate) fn presigned_uri(uri: &Uri, output: &SigningOutput) -> Result<Uri, SigningError> {
    let path = match uri.path() {
        "" => "/",
        path => path,
    };
    let mut path_and_query =
        String::with_capacity(path.len() + uri.query().map_or(0, str::len) + 512);
    path_and_query.push_str(path);
    path_and_query.push('?');
    if let Some(query) = uri.query().filter(|query| !query.is_empty()) {
        path_and_query.push_str(query);
        path_and_query.push('&');
    }
    output.write_query(&mut path_and_query);
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(PathAndQuery::try_from(path_and_query).map_err(http::Error::from)?);
    Ok(Uri::from_parts(parts).map_err(http::Error::from)?)
}

/// Everything signing produced: the intermediate strings, the signature, and what to add
/// to the request.
///
/// `Debug` leaves out the canonical request and header values, which can hold the session
/// token.
pub struct SigningOutput {
    canonical_request: String,
    string_to_sign: String,
    signature: Signature,
    headers: Vec<(HeaderName, HeaderValue)>,
    query: Vec<(&'static str, String)>,
}

impl SigningOutput {
    /// The canonical request that was signed. It contains the session token when the token
    /// is signed: treat it as a secret.
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string to sign.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The signature in lowercase hex: 64 digits (an HMAC-SHA256) for SigV4, the DER-encoded
    /// ECDSA signature (usually 140 to 144 digits) for SigV4a.
    pub fn signature(&self) -> &str {
        self.signature.as_str()
    }

    /// [`SignatureLocation::Headers`]: the headers to set (replacing any present), in order.
    /// Empty for query signing.
    pub fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }

    /// [`SignatureLocation::QueryString`]: the query parameters to append, names and
    /// percent-encoded values, `X-Amz-Signature` included. Empty for header signing.
    pub fn query_params(&self) -> &[(&'static str, String)] {
        &self.query
    }

    /// Sets [`headers`](Self::headers) on `headers`, replacing any values present.
    pub fn apply_to_headers(self, headers: &mut HeaderMap) {
        headers.reserve(self.headers.len());
        for (name, value) in self.headers {
            headers.insert(name, value);
        }
    }

    /// Appends the [`query_params`](Self::query_params) as `name=value&...`.
    fn write_query(&self, out: &mut String) {
        for (i, (name, value)) in self.query.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            out.push_str(value);
        }
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field("signature", &self.signature.as_str())
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field(
                "query",
                &self.query.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// Signs a request view: the work behind [`sign`] and [`presign`], with the intermediate
/// strings kept for inspection.
pub fn sign_request(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
) -> Result<SigningOutput, SigningError> {
    sign_with(
        request,
        &params.scheme(),
        location,
        |date, string_to_sign| {
            Ok(Signature::Hmac(
                params.signing_key(date).sign_hex(string_to_sign),
            ))
        },
    )
}

/// The canonical request that [`sign_request`] would sign, with the headers and query
/// parameters the signer adds already in it.
pub fn canonical_request(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
) -> Result<String, SigningError> {
    canonical_request_with(request, &params.scheme(), location)
}

/// The string to sign for `canonical_request` (which need not come from this module):
/// `AWS4-HMAC-SHA256`, the `x-amz-date`, the credential scope and the request's hex SHA-256,
/// one per line.
pub fn string_to_sign(
    canonical_request: &str,
    params: &SigningParams<'_>,
) -> Result<String, SigningError> {
    string_to_sign_with(canonical_request, &params.scheme())
}

/// The signature of `string_to_sign` (which need not come from this module) with the key
/// of `params` (through the key cache).
pub fn calculate_signature(
    string_to_sign: &str,
    params: &SigningParams<'_>,
) -> Result<String, SigningError> {
    let amz_date = validate_scheme(&params.scheme())?;
    Ok(params.signing_key(amz_date.date()).sign(string_to_sign))
}

// ---------------------------------------------------------------------------------------
// The steps shared with SigV4a (`crate::sigv4a`)
// ---------------------------------------------------------------------------------------

/// What a signing algorithm of the SigV4 family needs: SigV4's [`SigningParams`] and
/// SigV4a's become one of these, and the steps below do the rest.
#[derive(Clone, Copy)]
pub(crate) struct Scheme<'a> {
    /// `AWS4-HMAC-SHA256` or `AWS4-ECDSA-P256-SHA256`.
    pub(crate) algorithm: &'static str,
    pub(crate) credentials: &'a Credentials,
    /// The region of the credential scope (SigV4); SigV4a's scope has none.
    pub(crate) scope_region: Option<&'a str>,
    /// SigV4a's region set, signed as `x-amz-region-set` (or `X-Amz-Region-Set`).
    pub(crate) region_set: Option<&'a str>,
    pub(crate) service: &'a str,
    pub(crate) time: DateTime,
    pub(crate) settings: SigningSettings,
}

/// A signature as it goes on the wire.
pub(crate) enum Signature {
    /// SigV4's HMAC-SHA256, in hex.
    Hmac(Hex),
    /// SigV4a's DER-encoded ECDSA signature, in hex.
    #[cfg(feature = "sigv4a")]
    Ecdsa(String),
}

impl Signature {
    fn as_str(&self) -> &str {
        match self {
            Signature::Hmac(hex) => hex.as_str(),
            #[cfg(feature = "sigv4a")]
            Signature::Ecdsa(hex) => hex,
        }
    }
}

/// Signs `request` for `scheme`: checks the parameters, builds the canonical request and the
/// string to sign, has `sign` compute the signature from the scope's date (`YYYYMMDD`) and
/// the string to sign, and lays out what goes into the request.
pub(crate) fn sign_with(
    request: &SignableRequest<'_>,
    scheme: &Scheme<'_>,
    location: SignatureLocation,
    sign: impl FnOnce(&str, &str) -> Result<Signature, SigningError>,
) -> Result<SigningOutput, SigningError> {
    let signed = Signed::new(request, scheme, location, sign)?;
    let mut headers = Vec::new();
    let mut query = Vec::new();
    match location {
        SignatureLocation::Headers => {
            let set = signed.headers(scheme)?;
            headers.reserve_exact(set.len());
            set.for_each(|name, value| headers.push((name, value)));
        }
        SignatureLocation::QueryString { .. } => {
            query = signed.canonical.auth_params;
            query.push(("X-Amz-Signature", signed.signature.as_str().to_owned()));
            if let Some(token) = signed.prepared.unsigned_token {
                query.push(("X-Amz-Security-Token", encode_unreserved(token)));
            }
        }
    }
    Ok(SigningOutput {
        canonical_request: signed.canonical.text,
        string_to_sign: signed.string_to_sign,
        signature: signed.signature,
        headers,
        query,
    })
}

/// Signs `request` in place for `scheme` with an `Authorization` header: what [`sign_with`]
/// does for [`SignatureLocation::Headers`], setting the headers without keeping the
/// intermediate strings.
pub(crate) fn sign_headers_with(
    request: &mut Request<Bytes>,
    scheme: &Scheme<'_>,
    sign: impl FnOnce(&str, &str) -> Result<Signature, SigningError>,
) -> Result<(), SigningError> {
    let set = Signed::new(
        &SignableRequest::from_http(request),
        scheme,
        SignatureLocation::Headers,
        sign,
    )?
    .headers(scheme)?;
    let headers = request.headers_mut();
    headers.reserve(set.len());
    set.for_each(|name, value| {
        headers.insert(name, value);
    });
    Ok(())
}

/// A request's signature and the strings it was computed from.
struct Signed<'p> {
    prepared: Prepared<'p>,
    canonical: Canonical,
    string_to_sign: String,
    signature: Signature,
}

impl<'p> Signed<'p> {
    fn new(
        request: &SignableRequest<'p>,
        scheme: &Scheme<'p>,
        location: SignatureLocation,
        sign: impl FnOnce(&str, &str) -> Result<Signature, SigningError>,
    ) -> Result<Self, SigningError> {
        let prepared = Prepared::new(request, scheme, location)?;
        let canonical = prepared.canonical_request(request, scheme)?;
        let string_to_sign = build_string_to_sign(&canonical.text, &prepared.amz_date, scheme);
        let signature = sign(prepared.amz_date.date(), &string_to_sign)?;
        Ok(Signed {
            prepared,
            canonical,
            string_to_sign,
            signature,
        })
    }

    /// The headers that header signing sets.
    fn headers(&self, scheme: &Scheme<'_>) -> Result<SignedHeaders, SigningError> {
        let prepared = &self.prepared;
        let credential_scope_len = 8
            + scheme.scope_region.map_or(0, |region| region.len() + 1)
            + scheme.service.len()
            + "//aws4_request".len();
        let signed_headers = self.canonical.signed_headers();
        let signature = self.signature.as_str();
        // Exactly the length written below: a full `Vec` becomes the header value's bytes
        // without another allocation.
        let mut authorization = String::with_capacity(
            scheme.algorithm.len()
                + " Credential=".len()
                + scheme.credentials.access_key_id().len()
                + 1
                + credential_scope_len
                + ", SignedHeaders=".len()
                + signed_headers.len()
                + ", Signature=".len()
                + signature.len(),
        );
        authorization.push_str(scheme.algorithm);
        authorization.push_str(" Credential=");
        authorization.push_str(scheme.credentials.access_key_id());
        authorization.push('/');
        push_scope(&mut authorization, prepared.amz_date.date(), scheme);
        authorization.push_str(", SignedHeaders=");
        authorization.push_str(signed_headers);
        authorization.push_str(", Signature=");
        authorization.push_str(signature);
        let mut authorization = HeaderValue::try_from(authorization).map_err(http::Error::from)?;
        authorization.set_sensitive(true);
        let token = |token: Option<&str>| token.map(|t| sensitive(t, scheme)).transpose();
        Ok(SignedHeaders {
            host: prepared
                .added_host
                .as_deref()
                .map(header_value)
                .transpose()?,
            date: header_value(prepared.amz_date.as_str())?,
            region_set: scheme.region_set.map(header_value).transpose()?,
            signed_token: token(prepared.signed_token)?,
            content_sha256: if scheme.settings.content_sha256_header {
                Some(header_value(prepared.payload.as_str())?)
            } else {
                None
            },
            authorization,
            unsigned_token: token(prepared.unsigned_token)?,
        })
    }
}

/// The headers header signing sets, in the order they are set.
struct SignedHeaders {
    host: Option<HeaderValue>,
    date: HeaderValue,
    region_set: Option<HeaderValue>,
    signed_token: Option<HeaderValue>,
    content_sha256: Option<HeaderValue>,
    authorization: HeaderValue,
    /// The session token when it is added after signing.
    unsigned_token: Option<HeaderValue>,
}

impl SignedHeaders {
    fn len(&self) -> usize {
        2 + [
            &self.host,
            &self.region_set,
            &self.signed_token,
            &self.content_sha256,
            &self.unsigned_token,
        ]
        .iter()
        .filter(|value| value.is_some())
        .count()
    }

    fn for_each(self, mut f: impl FnMut(HeaderName, HeaderValue)) {
        if let Some(host) = self.host {
            f(HOST, host);
        }
        f(X_AMZ_DATE, self.date);
        if let Some(region_set) = self.region_set {
            f(X_AMZ_REGION_SET, region_set);
        }
        if let Some(token) = self.signed_token {
            f(X_AMZ_SECURITY_TOKEN, token);
        }
        if let Some(hash) = self.content_sha256 {
            f(X_AMZ_CONTENT_SHA256, hash);
        }
        f(AUTHORIZATION, self.authorization);
        if let Some(token) = self.unsigned_token {
            f(X_AMZ_SECURITY_TOKEN, token);
        }
    }
}

/// The canonical request that [`sign_with`] would sign.
pub(crate) fn canonical_request_with(
    request: &SignableRequest<'_>,
    scheme: &Scheme<'_>,
    location: SignatureLocation,
) -> Result<String, SigningError> {
    let prepared = Prepared::new(request, scheme, location)?;
    Ok(prepared.canonical_request(request, scheme)?.text)
}

/// The string to sign of any `canonical_request` for `scheme`.
pub(crate) fn string_to_sign_with(
    canonical_request: &str,
    scheme: &Scheme<'_>,
) -> Result<String, SigningError> {
    let amz_date = validate_scheme(scheme)?;
    Ok(build_string_to_sign(canonical_request, &amz_date, scheme))
}

fn header_value(value: &str) -> Result<HeaderValue, SigningError> {
    HeaderValue::from_str(value).map_err(|e| SigningError::Http(e.into()))
}

fn sensitive(token: &str, scheme: &Scheme<'_>) -> Result<HeaderValue, SigningError> {
    let mut value =
        HeaderValue::from_str(token).map_err(|_| SigningError::InvalidSessionToken {
            provider: scheme.credentials.source(),
        })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Non-empty printable ASCII without `/`: what may stand between the `/`s of a scope (and
/// between the commas of a region set).
fn scope_part(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic() && b != b'/')
}

/// Checks the scope, the region set and the credentials of `scheme`, and returns its
/// `x-amz-date`.
pub(crate) fn validate_scheme(scheme: &Scheme<'_>) -> Result<AmzDate, SigningError> {
    if let Some(region) = scheme.scope_region
        && !scope_part(region)
    {
        return Err(SigningError::InvalidScope {
            field: "region",
            value: region.to_owned(),
        });
    }
    if let Some(region_set) = scheme.region_set
        && !region_set.split(',').all(scope_part)
    {
        return Err(SigningError::InvalidRegionSet {
            value: region_set.to_owned(),
        });
    }
    if !scope_part(scheme.service) {
        return Err(SigningError::InvalidScope {
            field: "service",
            value: scheme.service.to_owned(),
        });
    }
    validate_credentials(scheme.credentials)?;
    AmzDate::new(scheme.time)
}

/// Checks that the access key id can stand in a credential scope and that there is a secret.
pub(crate) fn validate_credentials(credentials: &Credentials) -> Result<(), SigningError> {
    if !scope_part(credentials.access_key_id()) {
        return Err(SigningError::InvalidAccessKeyId {
            provider: credentials.source(),
        });
    }
    if credentials.secret_access_key().is_empty() {
        return Err(SigningError::EmptySecretAccessKey {
            provider: credentials.source(),
        });
    }
    Ok(())
}

/// `date/region/service/aws4_request` (SigV4) or `date/service/aws4_request` (SigV4a).
fn push_scope(out: &mut String, date: &str, scheme: &Scheme<'_>) {
    out.push_str(date);
    out.push('/');
    if let Some(region) = scheme.scope_region {
        out.push_str(region);
        out.push('/');
    }
    out.push_str(scheme.service);
    out.push_str("/aws4_request");
}

fn build_string_to_sign(
    canonical_request: &str,
    amz_date: &AmzDate,
    scheme: &Scheme<'_>,
) -> String {
    let hash = Hex::of(digest::digest(&digest::SHA256, canonical_request.as_bytes()).as_ref());
    let mut sts = String::with_capacity(
        scheme.algorithm.len()
            + 16
            + 8
            + scheme.scope_region.map_or(0, str::len)
            + scheme.service.len()
            + 100,
    );
    sts.push_str(scheme.algorithm);
    sts.push('\n');
    sts.push_str(amz_date.as_str());
    sts.push('\n');
    push_scope(&mut sts, amz_date.date(), scheme);
    sts.push('\n');
    sts.push_str(hash.as_str());
    sts
}

/// What one signing computes before the canonical request.
struct Prepared<'p> {
    amz_date: AmzDate,
    payload: PayloadStr,
    /// `X-Amz-Expires` for query signing.
    expires: Option<u64>,
    /// The `host` header to add (from the URI) when the request has none.
    added_host: Option<Cow<'p, str>>,
    /// The session token when it is signed.
    signed_token: Option<&'p str>,
    /// The session token when it is appended after signing.
    unsigned_token: Option<&'p str>,
}

/// The canonical request, and the parts of it that also go elsewhere.
struct Canonical {
    text: String,
    /// Where the signed header names (`host;x-amz-date`) are in `text`.
    signed_headers: std::ops::Range<usize>,
    /// Query signing: the auth parameters, encoded, in canonical order.
    auth_params: Vec<(&'static str, String)>,
}

impl Canonical {
    /// The signed header names, `;`-separated.
    fn signed_headers(&self) -> &str {
        &self.text[self.signed_headers.clone()]
    }
}

/// Where a canonical header's value comes from.
enum HeaderSource<'a> {
    /// Every value of this header in the request.
    Request(&'a HeaderName, http::header::GetAll<'a, HeaderValue>),
    /// A value the signer sets.
    Signer(&'a str),
}

impl<'p> Prepared<'p> {
    fn new(
        request: &SignableRequest<'p>,
        scheme: &Scheme<'p>,
        location: SignatureLocation,
    ) -> Result<Self, SigningError> {
        let amz_date = validate_scheme(scheme)?;
        let expires = match location {
            SignatureLocation::Headers => None,
            SignatureLocation::QueryString { expires_in } => {
                if expires_in < Duration::from_secs(1) || expires_in > MAX_PRESIGNED_EXPIRY {
                    return Err(SigningError::InvalidExpiry {
                        requested: expires_in,
                    });
                }
                Some(expires_in.as_secs())
            }
        };
        let added_host = if request.headers.contains_key(HOST) {
            None
        } else {
            match request.authority {
                Some((host, None)) => Some(Cow::Borrowed(host)),
                Some((host, Some(port))) => Some(Cow::Owned(format!("{host}:{port}"))),
                None => return Err(SigningError::MissingHost),
            }
        };
        let token = scheme.credentials.session_token();
        // Printable ASCII and tabs: a valid header value, checked without building one.
        let header_safe = |b: u8| b == b'\t' || (b' '..=b'~').contains(&b);
        if let Some(token) = token
            && !token.bytes().all(header_safe)
        {
            return Err(SigningError::InvalidSessionToken {
                provider: scheme.credentials.source(),
            });
        }
        let (signed_token, unsigned_token) = match scheme.settings.session_token_mode {
            SessionTokenMode::Include => (token, None),
            SessionTokenMode::AppendAfterSigning => (None, token),
        };
        Ok(Prepared {
            amz_date,
            payload: PayloadStr::new(request.body, scheme.settings.payload),
            expires,
            added_host,
            signed_token,
            unsigned_token,
        })
    }

    fn canonical_request(
        &self,
        request: &SignableRequest<'_>,
        scheme: &Scheme<'_>,
    ) -> Result<Canonical, SigningError> {
        let query_signing = self.expires.is_some();

        // The signed headers: the request's, minus the unsigned ones and those the signer
        // sets, plus the signer's.
        let overridden = |name: &str| {
            !query_signing
                && match name {
                    "x-amz-date" => true,
                    "x-amz-security-token" => {
                        self.signed_token.is_some() || self.unsigned_token.is_some()
                    }
                    "x-amz-content-sha256" => scheme.settings.content_sha256_header,
                    "x-amz-region-set" => scheme.region_set.is_some(),
                    _ => false,
                }
        };
        let mut headers: Vec<(&str, HeaderSource<'_>)> =
            Vec::with_capacity(request.headers.keys_len() + 4);
        for name in request.headers.keys() {
            if !is_unsigned_header(name.as_str()) && !overridden(name.as_str()) {
                headers.push((
                    name.as_str(),
                    HeaderSource::Request(name, request.headers.get_all(name)),
                ));
            }
        }
        if let Some(host) = &self.added_host {
            headers.push(("host", HeaderSource::Signer(host)));
        }
        if !query_signing {
            headers.push(("x-amz-date", HeaderSource::Signer(self.amz_date.as_str())));
            if let Some(region_set) = scheme.region_set {
                headers.push(("x-amz-region-set", HeaderSource::Signer(region_set)));
            }
            if let Some(token) = self.signed_token {
                headers.push(("x-amz-security-token", HeaderSource::Signer(token)));
            }
            if scheme.settings.content_sha256_header {
                headers.push((
                    "x-amz-content-sha256",
                    HeaderSource::Signer(self.payload.as_str()),
                ));
            }
        }
        // Names are unique: each request header name once, the signer's only where the
        // request's were left out.
        headers.sort_unstable_by(|a, b| a.0.cmp(b.0));

        let push_signed_headers = |out: &mut String| {
            for (i, (name, _)) in headers.iter().enumerate() {
                if i > 0 {
                    out.push(';');
                }
                out.push_str(name);
            }
        };
        let signed_headers_len = headers.iter().map(|(name, _)| name.len() + 1).sum();

        let mut auth_params = Vec::new();
        if let Some(expires) = self.expires {
            let mut credential =
                String::with_capacity(scheme.credentials.access_key_id().len() + 64);
            credential.push_str(scheme.credentials.access_key_id());
            credential.push('/');
            push_scope(&mut credential, self.amz_date.date(), scheme);
            // In canonical order: the signature (appended last) is not part of the
            // canonical request, and the pairs sort by name.
            auth_params.reserve_exact(9);
            auth_params.push(("X-Amz-Algorithm", scheme.algorithm.to_owned()));
            auth_params.push(("X-Amz-Credential", encode_unreserved(&credential)));
            auth_params.push(("X-Amz-Date", self.amz_date.as_str().to_owned()));
            auth_params.push(("X-Amz-Expires", expires.to_string()));
            if let Some(region_set) = scheme.region_set {
                auth_params.push(("X-Amz-Region-Set", encode_unreserved(region_set)));
            }
            if let Some(token) = self.signed_token {
                auth_params.push(("X-Amz-Security-Token", encode_unreserved(token)));
            }
            let mut signed_headers = String::with_capacity(signed_headers_len);
            push_signed_headers(&mut signed_headers);
            auth_params.push(("X-Amz-SignedHeaders", encode_unreserved(&signed_headers)));
        }

        let headers_len: usize = headers
            .iter()
            .map(|(name, source)| {
                name.len()
                    + 2
                    + match source {
                        HeaderSource::Signer(value) => value.len(),
                        HeaderSource::Request(_, values) => {
                            values.iter().map(|v| v.len() + 1).sum()
                        }
                    }
            })
            .sum();
        let query_len: usize = request.query.len()
            + auth_params
                .iter()
                .map(|(k, v)| k.len() + v.len() + 2)
                .sum::<usize>();
        let mut text = String::with_capacity(
            request.method.len()
                + 3 * request.path.len()
                + 3 * query_len
                + headers_len
                + signed_headers_len
                + 80,
        );
        text.push_str(request.method);
        text.push('\n');
        push_canonical_uri(&mut text, request.path, &scheme.settings);
        text.push('\n');
        push_canonical_query(&mut text, request.query, &auth_params);
        text.push('\n');
        for (name, source) in &headers {
            text.push_str(name);
            text.push(':');
            match source {
                HeaderSource::Signer(value) => push_header_value(&mut text, value),
                HeaderSource::Request(name, values) => {
                    for (i, value) in values.iter().enumerate() {
                        if i > 0 {
                            text.push(',');
                        }
                        let value = std::str::from_utf8(value.as_bytes()).map_err(|_| {
                            SigningError::NonUtf8Header {
                                name: name.as_str().to_owned(),
                            }
                        })?;
                        push_header_value(&mut text, value);
                    }
                }
            }
            text.push('\n');
        }
        text.push('\n');
        let start = text.len();
        push_signed_headers(&mut text);
        let signed_headers = start..text.len();
        text.push('\n');
        text.push_str(self.payload.as_str());
        Ok(Canonical {
            text,
            signed_headers,
            auth_params,
        })
    }
}

/// A header value with leading and trailing whitespace removed and each inner run of
/// spaces and tabs replaced by one space.
fn push_header_value(out: &mut String, value: &str) {
    let is_blank = |b: &u8| *b == b' ' || *b == b'\t';
    let bytes = value.as_bytes();
    // Most values need nothing done: no tab, no run of spaces, nothing to trim.
    if !bytes.first().is_some_and(is_blank)
        && !bytes.last().is_some_and(is_blank)
        && !bytes.contains(&b'\t')
        && !value.contains("  ")
    {
        out.push_str(value);
        return;
    }
    let mut rest = value.trim_matches([' ', '\t']);
    // Spaces and tabs are ASCII, so every index found below is a char boundary.
    while let Some(blank) = rest.as_bytes().iter().position(is_blank) {
        out.push_str(&rest[..blank]);
        out.push(' ');
        let after = rest.as_bytes()[blank..]
            .iter()
            .position(|b| !is_blank(b))
            .unwrap_or(rest.len() - blank);
        rest = &rest[blank + after..];
    }
    out.push_str(rest);
}

fn push_canonical_uri(out: &mut String, path: &str, settings: &SigningSettings) {
    let path = if settings.normalize_path {
        normalize_path(path)
    } else {
        Cow::Borrowed(path)
    };
    let path = if path.is_empty() { "/" } else { &path };
    let set = match settings.uri_encoding {
        UriEncoding::Double => UNRESERVED_AND_SLASH,
        UriEncoding::Single => NOT_IN_PATH,
    };
    if path.bytes().all(|b| b == b'/' || is_unreserved(b)) {
        out.push_str(path);
    } else {
        out.extend(percent_encode(path.as_bytes(), set));
    }
}

/// Removes `.` and `..` segments (RFC 3986 section 5.2.4) and empty segments. The result
/// starts with `/`, and ends with one when the path does or ends in a dot segment.
fn normalize_path(path: &str) -> Cow<'_, str> {
    let clean = path.starts_with('/')
        && !path.contains("//")
        && !path
            .split('/')
            .any(|segment| segment == "." || segment == "..");
    if clean {
        return Cow::Borrowed(path);
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    let trailing_slash =
        ["/", "/.", "/.."].iter().any(|end| path.ends_with(end)) || path == "." || path == "..";
    let mut normalized = String::with_capacity(path.len() + 1);
    normalized.push('/');
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            normalized.push('/');
        }
        normalized.push_str(segment);
    }
    if trailing_slash && !segments.is_empty() {
        normalized.push('/');
    }
    Cow::Owned(normalized)
}

/// The canonical query: the request's pairs decoded and re-encoded, and the auth
/// parameters (already encoded), sorted by key, then value.
fn push_canonical_query(out: &mut String, query: &str, auth_params: &[(&'static str, String)]) {
    if query.is_empty() && auth_params.is_empty() {
        return;
    }
    // Keys and values made of unreserved characters only (the common case) are borrowed.
    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> =
        Vec::with_capacity(query.len() / 8 + auth_params.len() + 1);
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        pairs.push((
            canonical_query_component(key),
            canonical_query_component(value),
        ));
    }
    for (key, value) in auth_params {
        pairs.push((Cow::Borrowed(*key), Cow::Borrowed(value.as_str())));
    }
    pairs.sort_unstable();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
}

fn canonical_query_component(raw: &str) -> Cow<'_, str> {
    if raw.bytes().all(is_unreserved) {
        Cow::Borrowed(raw)
    } else {
        let mut encoded = String::with_capacity(raw.len() + raw.len() / 2 + 8);
        push_query_component(&mut encoded, raw);
        Cow::Owned(encoded)
    }
}

/// Decodes one query key or value (`%XY` escapes, `+` as a space) and encodes it again
/// with only the unreserved characters left as they are.
fn push_query_component(out: &mut String, raw: &str) {
    if raw.bytes().all(is_unreserved) {
        out.push_str(raw);
        return;
    }
    for (i, piece) in raw.split('+').enumerate() {
        if i > 0 {
            out.push_str("%20");
        }
        let decoded: Cow<'_, [u8]> = percent_decode(piece.as_bytes()).into();
        out.extend(percent_encode(&decoded, UNRESERVED));
    }
}

/// `A-Z a-z 0-9 - . _ ~`: the bytes percent-encoding leaves alone.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

fn encode_unreserved(value: &str) -> String {
    percent_encode(value.as_bytes(), UNRESERVED).to_string()
}

// ---------------------------------------------------------------------------------------
// Small fixed-size strings
// ---------------------------------------------------------------------------------------

/// Lowercase hex of a SHA-256 digest, on the stack.
#[derive(Clone, Copy)]
pub(crate) struct Hex([u8; 64]);

impl Hex {
    fn of(bytes: &[u8]) -> Self {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 64];
        for (pair, byte) in hex.chunks_exact_mut(2).zip(bytes) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 0xf)];
        }
        Hex(hex)
    }

    fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever written.
        std::str::from_utf8(&self.0).expect("hex digits are ASCII")
    }
}

/// The payload hash of the canonical request.
enum PayloadStr {
    Hex(Hex),
    Literal(&'static str),
}

impl PayloadStr {
    fn new(body: &[u8], payload: PayloadHash) -> Self {
        match payload {
            PayloadHash::Body if body.is_empty() => PayloadStr::Literal(EMPTY_SHA256),
            PayloadHash::Body => {
                PayloadStr::Hex(Hex::of(digest::digest(&digest::SHA256, body).as_ref()))
            }
            PayloadHash::Unsigned => PayloadStr::Literal(UNSIGNED_PAYLOAD),
            PayloadHash::StreamingUnsignedTrailer => {
                PayloadStr::Literal(STREAMING_UNSIGNED_PAYLOAD_TRAILER)
            }
            PayloadHash::Precomputed(hash) => PayloadStr::Hex(Hex::of(&hash)),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            PayloadStr::Hex(hex) => hex.as_str(),
            PayloadStr::Literal(literal) => literal,
        }
    }
}

/// `x-amz-date`, `YYYYMMDDTHHMMSSZ`, on the stack; its first 8 bytes are the scope's date.
pub(crate) struct AmzDate([u8; 16]);

impl AmzDate {
    fn new(time: DateTime) -> Result<Self, SigningError> {
        let out_of_range = || SigningError::TimeOutOfRange { time };
        let t =
            time::OffsetDateTime::from_unix_timestamp(time.secs()).map_err(|_| out_of_range())?;
        let year = u32::try_from(t.year())
            .ok()
            .filter(|year| *year <= 9999)
            .ok_or_else(out_of_range)?;
        let mut buffer = *b"00000000T000000Z";
        let mut put = |at: usize, width: usize, mut value: u32| {
            for i in (at..at + width).rev() {
                // `value % 10` is a single digit.
                buffer[i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, 4, year);
        put(4, 2, u32::from(u8::from(t.month())));
        put(6, 2, u32::from(t.day()));
        put(9, 2, u32::from(t.hour()));
        put(11, 2, u32::from(t.minute()));
        put(13, 2, u32::from(t.second()));
        Ok(AmzDate(buffer))
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits, `T` and `Z` are ever written.
        std::str::from_utf8(&self.0).expect("the date is ASCII")
    }

    fn date(&self) -> &str {
        &self.as_str()[..8]
    }
}

// ---------------------------------------------------------------------------------------
// Signing keys
// ---------------------------------------------------------------------------------------

/// A derived signing key: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
/// "aws4_request")`. Valid for one secret, day, region and service.
///
/// `Debug` does not print the key.
#[derive(Clone)]
pub struct SigningKey {
    bytes: [u8; 32],
    key: hmac::Key,
}

impl SigningKey {
    /// Derives the key for `date` (`YYYYMMDD`), `region` and `service`.
    pub fn derive(secret_access_key: &str, date: &str, region: &str, service: &str) -> Self {
        let mut secret = Vec::with_capacity(4 + secret_access_key.len());
        secret.extend_from_slice(b"AWS4");
        secret.extend_from_slice(secret_access_key.as_bytes());
        let mut tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &secret), date.as_bytes());
        secret.fill(0);
        for part in [region, service, "aws4_request"] {
            tag = hmac::sign(
                &hmac::Key::new(hmac::HMAC_SHA256, tag.as_ref()),
                part.as_bytes(),
            );
        }
        let mut bytes = [0u8; 32];
        for (out, byte) in bytes.iter_mut().zip(tag.as_ref()) {
            *out = *byte;
        }
        SigningKey {
            bytes,
            key: hmac::Key::new(hmac::HMAC_SHA256, &bytes),
        }
    }

    /// The key's 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// The signature of `string_to_sign`: its HMAC-SHA256 under this key, in lowercase hex.
    pub fn sign(&self, string_to_sign: &str) -> String {
        self.sign_hex(string_to_sign).as_str().to_owned()
    }

    fn sign_hex(&self, string_to_sign: &str) -> Hex {
        Hex::of(hmac::sign(&self.key, string_to_sign.as_bytes()).as_ref())
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(*** redacted ***)")
    }
}

/// A bounded, thread-safe cache of derived [`SigningKey`]s, keyed by secret, date, region
/// and service, so that a request costs one HMAC for its signature rather than five.
///
/// It holds at most `capacity` keys; when full, the oldest entry goes. Entries hold the
/// secret access key they were derived from (to tell credentials apart), in memory only.
/// [`SigningKeyCache::global`] is the process-wide one that [`sign`] and [`presign`] use
/// unless [`SigningParams::key_cache`] names another.
pub struct SigningKeyCache {
    /// Keyed by secret, date, region and service.
    cache: KeyCache<(String, String, String, String), SigningKey>,
}

impl SigningKeyCache {
    /// The capacity of the global cache.
    pub const DEFAULT_CAPACITY: usize = 16;

    /// An empty cache holding at most `capacity` keys (at least one).
    pub const fn new(capacity: usize) -> Self {
        SigningKeyCache {
            cache: KeyCache::new(capacity),
        }
    }

    /// The process-wide cache.
    pub fn global() -> &'static SigningKeyCache {
        static GLOBAL: SigningKeyCache = SigningKeyCache::new(SigningKeyCache::DEFAULT_CAPACITY);
        &GLOBAL
    }

    /// The key for `secret_access_key`, `date` (`YYYYMMDD`), `region` and `service`,
    /// derived once and then cached.
    pub fn signing_key(
        &self,
        secret_access_key: &str,
        date: &str,
        region: &str,
        service: &str,
    ) -> SigningKey {
        let derived: Result<SigningKey, std::convert::Infallible> = self.cache.get_or_derive(
            |(s, d, r, v)| d == date && r == region && v == service && s == secret_access_key,
            || {
                (
                    secret_access_key.to_owned(),
                    date.to_owned(),
                    region.to_owned(),
                    service.to_owned(),
                )
            },
            || Ok(SigningKey::derive(secret_access_key, date, region, service)),
        );
        match derived {
            Ok(key) => key,
            Err(never) => match never {},
        }
    }

    /// Hits, misses and size so far.
    pub fn stats(&self) -> CacheStats {
        self.cache.stats()
    }

    /// Forgets every key (the counters stay).
    pub fn clear(&self) {
        self.cache.clear();
    }
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        SigningKeyCache::new(SigningKeyCache::DEFAULT_CAPACITY)
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyCache")
            .field("capacity", &self.cache.capacity())
            .field("stats", &self.stats())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    /// 2015-08-30T12:36:00Z, the time of the AWS documentation's examples.
    const TIME: DateTime = DateTime::from_secs(1_440_938_160);

    fn credentials(token: Option<&str>) -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            SECRET,
            token.map(str::to_owned),
            None,
            "test",
        )
    }

    fn get(uri: &str, headers: &[(&str, &str)]) -> Request<Bytes> {
        let mut request = Request::get(uri)
            .body(Bytes::new())
            .expect("a valid test request");
        for (name, value) in headers {
            request.headers_mut().append(
                HeaderName::from_bytes(name.as_bytes()).expect("a valid test header name"),
                HeaderValue::from_str(value).expect("a valid test header value"),
            );
        }
        request
    }

    fn creq(request: &Request<Bytes>, params: &SigningParams<'_>) -> String {
        canonical_request(
            &SignableRequest::from_http(request),
            params,
            SignatureLocation::Headers,
        )
        .expect("a signable request")
    }

    fn header<'r>(request: &'r Request<Bytes>, name: &str) -> &'r str {
        request.headers()[name].to_str().expect("an ASCII header")
    }

    #[test]
    fn derives_the_documented_signing_key() {
        // AWS General Reference, "Examples of how to derive a signing key".
        let key = SigningKey::derive(SECRET, "20120215", "us-east-1", "iam");
        assert_eq!(
            Hex::of(key.as_bytes()).as_str(),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
        assert_eq!(format!("{key:?}"), "SigningKey(*** redacted ***)");
    }

    #[test]
    fn signs_the_documented_iam_request() {
        // The IAM ListUsers example of the SigV4 documentation.
        let credentials = credentials(None);
        let params = SigningParams::new(&credentials, "us-east-1", "iam", TIME);
        let mut request = get(
            "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
            &[(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )],
        );
        assert_eq!(
            creq(&request, &params),
            "GET\n/\nAction=ListUsers&Version=2010-05-08\n\
             content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n\
             x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        sign(&mut request, &params).expect("signs");
        assert_eq!(header(&request, "host"), "iam.amazonaws.com");
        assert_eq!(header(&request, "x-amz-date"), "20150830T123600Z");
        assert_eq!(
            header(&request, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date, \
             Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
    }

    fn s3_credentials() -> Credentials {
        Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test",
        )
    }

    /// 2013-05-24T00:00:00Z, the time of the S3 documentation's examples.
    const S3_TIME: DateTime = DateTime::from_secs(1_369_353_600);

    #[test]
    fn signs_the_documented_s3_get_object() {
        // S3 API reference, "Signature calculations for the Authorization header", GET Object.
        let credentials = s3_credentials();
        let params = SigningParams::new(&credentials, "us-east-1", "s3", S3_TIME)
            .with_settings(SigningSettings::s3());
        let mut request = get(
            "https://examplebucket.s3.amazonaws.com/test.txt",
            &[("range", "bytes=0-9")],
        );
        sign(&mut request, &params).expect("signs");
        assert_eq!(
            header(&request, "x-amz-content-sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            header(&request, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn presigns_the_documented_s3_url() {
        // S3 API reference, "Authenticating Requests: Using Query Parameters".
        let credentials = s3_credentials();
        let settings = SigningSettings {
            payload: PayloadHash::Unsigned,
            ..SigningSettings::s3()
        };
        let params =
            SigningParams::new(&credentials, "us-east-1", "s3", S3_TIME).with_settings(settings);
        let request = get("https://examplebucket.s3.amazonaws.com/test.txt", &[]);
        let uri = presign(&request, &params, Duration::from_secs(86_400)).expect("presigns");
        assert_eq!(
            uri.to_string(),
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
             &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
        // The request itself is left alone.
        assert!(request.headers().is_empty());
    }

    fn canonical_uri(path: &str, uri_encoding: UriEncoding, normalize_path: bool) -> String {
        let settings = SigningSettings {
            uri_encoding,
            normalize_path,
            ..SigningSettings::default()
        };
        let mut out = String::new();
        push_canonical_uri(&mut out, path, &settings);
        out
    }

    #[test]
    fn encodes_the_path_twice_except_for_s3() {
        let path = "/a b/arn%3Aaws/$x/~._-/caf\u{e9}";
        assert_eq!(
            canonical_uri(path, UriEncoding::Double, false),
            "/a%20b/arn%253Aaws/%24x/~._-/caf%C3%A9"
        );
        assert_eq!(
            canonical_uri(path, UriEncoding::Single, false),
            "/a%20b/arn%3Aaws/$x/~._-/caf%C3%A9"
        );
        assert_eq!(canonical_uri("", UriEncoding::Double, false), "/");
        assert_eq!(canonical_uri("", UriEncoding::Single, true), "/");
    }

    #[test]
    fn normalizes_dot_segments_and_slashes_when_asked() {
        for (path, normalized) in [
            ("/", "/"),
            ("/a/b", "/a/b"),
            ("/a/./b/../c", "/a/c"),
            ("//a//b//", "/a/b/"),
            ("/a/..", "/"),
            ("/a/b/..", "/a/"),
            ("/a/b/.", "/a/b/"),
            ("/../..", "/"),
            ("/./", "/"),
            ("a/b", "/a/b"),
            ("/a/.b/..c", "/a/.b/..c"),
        ] {
            assert_eq!(
                canonical_uri(path, UriEncoding::Double, true),
                normalized,
                "{path}"
            );
        }
        // S3 keys are taken as they are.
        assert_eq!(
            canonical_uri("//a/./b/..", UriEncoding::Single, false),
            "//a/./b/.."
        );
    }

    #[test]
    fn canonicalizes_the_query() {
        let mut out = String::new();
        push_canonical_query(
            &mut out,
            "b=2&a=1&a=0&c&d=&&e=x+y&f=%7e%2f%2A&%E1%88%B4=1&g=caf\u{e9}",
            &[],
        );
        assert_eq!(
            out,
            "%E1%88%B4=1&a=0&a=1&b=2&c=&d=&e=x%20y&f=~%2F%2A&g=caf%C3%A9"
        );
        let mut out = String::new();
        push_canonical_query(&mut out, "", &[]);
        assert_eq!(out, "");
    }

    #[test]
    fn canonicalizes_headers() {
        let credentials = credentials(None);
        let params = SigningParams::new(&credentials, "us-east-1", "service", TIME);
        let request = get(
            "https://example.amazonaws.com/",
            &[
                ("My-Header", " \t a   b \t c  "),
                ("x-dup", "2"),
                ("X-Dup", " 1 "),
                ("User-Agent", "stratus"),
                ("X-Amzn-Trace-Id", "Root=1"),
                ("Expect", "100-continue"),
                ("Transfer-Encoding", "chunked"),
                ("Connection", "keep-alive"),
                ("Authorization", "AWS4-HMAC-SHA256 stale"),
                ("X-Amz-Date", "19990101T000000Z"),
                ("Content-Length", "0"),
            ],
        );
        assert_eq!(
            creq(&request, &params),
            "GET\n/\n\ncontent-length:0\nhost:example.amazonaws.com\nmy-header:a b c\n\
             x-amz-date:20150830T123600Z\nx-dup:2,1\n\n\
             content-length;host;my-header;x-amz-date;x-dup\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn keeps_an_explicit_host_and_derives_a_missing_one() {
        let credentials = credentials(None);
        let params = SigningParams::new(&credentials, "us-east-1", "service", TIME);
        for (uri, host) in [
            ("https://example.com:443/", "example.com"),
            ("http://example.com:80/", "example.com"),
            ("http://127.0.0.1:5000/", "127.0.0.1:5000"),
            ("https://[::1]:8443/", "[::1]:8443"),
        ] {
            let mut request = get(uri, &[]);
            sign(&mut request, &params).expect("signs");
            assert_eq!(header(&request, "host"), host, "{uri}");
        }
        let mut request = get("/path", &[("host", "custom.example")]);
        sign(&mut request, &params).expect("signs");
        assert_eq!(header(&request, "host"), "custom.example");

        let mut request = get("/path", &[]);
        let error = sign(&mut request, &params).expect_err("no host");
        assert!(matches!(error, SigningError::MissingHost), "{error}");
        assert!(error.to_string().contains("no `host` header"), "{error}");
    }

    #[test]
    fn signs_or_appends_the_session_token() {
        let credentials = credentials(Some("TOKEN/+="));
        let params = SigningParams::new(&credentials, "us-east-1", "service", TIME);
        let mut signed = get(
            "https://example.amazonaws.com/",
            &[("x-amz-security-token", "stale")],
        );
        sign(&mut signed, &params).expect("signs");
        assert_eq!(header(&signed, "x-amz-security-token"), "TOKEN/+=");
        assert!(
            header(&signed, "authorization")
                .contains("SignedHeaders=host;x-amz-date;x-amz-security-token,")
        );

        let after = params.with_settings(SigningSettings {
            session_token_mode: SessionTokenMode::AppendAfterSigning,
            ..SigningSettings::default()
        });
        let mut appended = get(
            "https://example.amazonaws.com/",
            &[("x-amz-security-token", "stale")],
        );
        sign(&mut appended, &after).expect("signs");
        assert_eq!(header(&appended, "x-amz-security-token"), "TOKEN/+=");
        assert!(header(&appended, "authorization").contains("SignedHeaders=host;x-amz-date,"));
        assert!(!creq(&appended, &after).contains("x-amz-security-token"));

        let plain = get("https://example.amazonaws.com/", &[]);
        let included = presign(&plain, &params, Duration::from_secs(60)).expect("presigns");
        let query = included.query().unwrap_or_default();
        assert!(query.contains(
            "&X-Amz-Security-Token=TOKEN%2F%2B%3D&X-Amz-SignedHeaders=host&X-Amz-Signature="
        ));
        let appended = presign(&plain, &after, Duration::from_secs(60)).expect("presigns");
        let query = appended.query().unwrap_or_default();
        assert!(
            query.ends_with("&X-Amz-Security-Token=TOKEN%2F%2B%3D"),
            "{query}"
        );
        let output = sign_request(
            &SignableRequest::from_http(&plain),
            &after,
            SignatureLocation::QueryString {
                expires_in: Duration::from_secs(60),
            },
        )
        .expect("signs");
        assert!(!output.canonical_request().contains("Security-Token"));

        // Debug output never shows the token.
        assert!(!format!("{output:?}").contains("TOKEN"));
        let bad = Credentials::new("AKIDEXAMPLE", SECRET, Some("a\nb".into()), None, "test");
        let params = SigningParams::new(&bad, "us-east-1", "service", TIME);
        let error =
            sign(&mut get("https://example.amazonaws.com/", &[]), &params).expect_err("bad token");
        assert!(
            matches!(
                error,
                SigningError::InvalidSessionToken { provider: "test" }
            ),
            "{error}"
        );
    }

    #[test]
    fn presigned_expiry_is_one_second_to_seven_days() {
        let credentials = credentials(None);
        let params = SigningParams::new(&credentials, "us-east-1", "service", TIME);
        let request = get("https://example.amazonaws.com/?a=b", &[]);
        for seconds in [1, 3600, 604_800] {
            let uri = presign(&request, &params, Duration::from_secs(seconds)).expect("presigns");
            let query = uri.query().unwrap_or_default();
            assert!(query.starts_with("a=b&X-Amz-Algorithm="), "{query}");
            assert!(
                query.contains(&format!("&X-Amz-Expires={seconds}&")),
                "{query}"
            );
        }
        for expires_in in [
            Duration::ZERO,
            Duration::from_millis(999),
            Duration::from_secs(604_801),
        ] {
            let error = presign(&request, &params, expires_in).expect_err("out of bounds");
            assert!(
                matches!(error, SigningError::InvalidExpiry { requested } if requested == expires_in)
            );
            assert!(error.to_string().contains("1 second to 7 days"), "{error}");
        }
    }

    #[test]
    fn hashes_the_payload_as_configured() {
        let credentials = credentials(None);
        let with_header = |payload| SigningSettings {
            payload,
            content_sha256_header: true,
            ..SigningSettings::default()
        };
        let mut request = Request::post("https://example.amazonaws.com/")
            .body(Bytes::from_static(b"Param1=value1"))
            .expect("a valid test request");
        let body_hash = "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
        for (payload, expected) in [
            (PayloadHash::Body, body_hash),
            (PayloadHash::Unsigned, UNSIGNED_PAYLOAD),
            (
                PayloadHash::StreamingUnsignedTrailer,
                STREAMING_UNSIGNED_PAYLOAD_TRAILER,
            ),
            (
                PayloadHash::Precomputed([0xab; 32]),
                "abababababababababababababababababababababababababababababababab",
            ),
        ] {
            let params = SigningParams::new(&credentials, "us-east-1", "service", TIME)
                .with_settings(with_header(payload));
            sign(&mut request, &params).expect("signs");
            assert_eq!(header(&request, "x-amz-content-sha256"), expected);
            assert!(creq(&request, &params).ends_with(&format!("\n{expected}")));
        }
        // Without the header, only the canonical request carries the hash.
        let params = SigningParams::new(&credentials, "us-east-1", "service", TIME);
        let mut request = Request::post("https://example.amazonaws.com/")
            .body(Bytes::from_static(b"Param1=value1"))
            .expect("a valid test request");
        sign(&mut request, &params).expect("signs");
        assert!(!request.headers().contains_key("x-amz-content-sha256"));
        assert!(creq(&request, &params).ends_with(body_hash));
    }

    #[test]
    fn signing_again_replaces_the_previous_signature() {
        let credentials = credentials(None);
        let mut request = get("https://example.amazonaws.com/", &[]);
        sign(
            &mut request,
            &SigningParams::new(&credentials, "us-east-1", "service", TIME),
        )
        .expect("signs");
        let later = DateTime::from_secs(TIME.secs() + 60);
        sign(
            &mut request,
            &SigningParams::new(&credentials, "us-east-1", "service", later),
        )
        .expect("signs");
        assert_eq!(request.headers().get_all("authorization").iter().count(), 1);
        assert_eq!(request.headers().get_all("x-amz-date").iter().count(), 1);
        assert_eq!(header(&request, "x-amz-date"), "20150830T123700Z");
        assert!(header(&request, "authorization").contains("SignedHeaders=host;x-amz-date,"));
    }

    #[test]
    fn caches_keys_per_secret_date_region_and_service() {
        let cache = SigningKeyCache::new(2);
        let credentials = credentials(None);
        let params =
            SigningParams::new(&credentials, "us-east-1", "service", TIME).with_key_cache(&cache);
        let mut request = get("https://example.amazonaws.com/", &[]);
        sign(&mut request, &params).expect("signs");
        sign(&mut request, &params).expect("signs");
        assert_eq!(
            cache.stats(),
            CacheStats {
                hits: 1,
                misses: 1,
                len: 1
            }
        );
        let first = header(&request, "authorization").to_owned();

        let next_day = SigningParams {
            time: DateTime::from_secs(TIME.secs() + 86_400),
            ..params
        };
        let other_region = SigningParams {
            region: "eu-west-1",
            ..params
        };
        sign(&mut request, &next_day).expect("signs");
        sign(&mut request, &other_region).expect("signs");
        assert_eq!(
            cache.stats(),
            CacheStats {
                hits: 1,
                misses: 3,
                len: 2
            }
        );

        // The evicted key is derived again, and signs the same.
        sign(&mut request, &params).expect("signs");
        assert_eq!(header(&request, "authorization"), first);
        assert_eq!(cache.stats().misses, 4);

        let cached = cache.signing_key(SECRET, "20150830", "us-east-1", "service");
        assert_eq!(
            cached.as_bytes(),
            SigningKey::derive(SECRET, "20150830", "us-east-1", "service").as_bytes()
        );
        let other_secret = cache.signing_key("another secret", "20150830", "us-east-1", "service");
        assert_ne!(cached.as_bytes(), other_secret.as_bytes());
        cache.clear();
        assert_eq!(cache.stats().len, 0);
    }

    #[test]
    fn reports_bad_input_as_errors() {
        let credentials = credentials(None);
        let mut request = get("https://example.amazonaws.com/", &[]);
        let params = SigningParams::new(&credentials, "", "service", TIME);
        let error = sign(&mut request, &params).expect_err("empty region");
        assert_eq!(
            error.to_string(),
            "cannot sign for region \"\": it must be non-empty printable ASCII without `/` or spaces \
             (for example `us-east-1` for a region, `s3` for a signing name)"
        );
        let params = SigningParams::new(&credentials, "us-east-1", "my service", TIME);
        assert!(matches!(
            sign(&mut request, &params),
            Err(SigningError::InvalidScope {
                field: "service",
                ..
            })
        ));

        let params = SigningParams::new(
            &credentials,
            "us-east-1",
            "service",
            DateTime::from_secs(-62_200_000_000),
        );
        let error = sign(&mut request, &params).expect_err("year -1");
        assert!(
            matches!(error, SigningError::TimeOutOfRange { .. }),
            "{error}"
        );

        let anonymous = Credentials::new("", "secret", None, None, "environment");
        let params = SigningParams::new(&anonymous, "us-east-1", "service", TIME);
        let error = sign(&mut request, &params).expect_err("no access key");
        assert!(
            error.to_string().contains("credentials from environment"),
            "{error}"
        );
        let no_secret = Credentials::new("AKID", "", None, None, "environment");
        let params = SigningParams::new(&no_secret, "us-east-1", "service", TIME);
        assert!(matches!(
            sign(&mut request, &params),
            Err(SigningError::EmptySecretAccessKey { .. })
        ));

        let params = SigningParams::new(&credentials, "us-east-1", "service", TIME);
        request.headers_mut().insert(
            "x-amz-meta-name",
            HeaderValue::from_bytes(b"caf\xe9").expect("obs-text is a valid header value"),
        );
        let error = sign(&mut request, &params).expect_err("Latin-1 header");
        assert!(
            matches!(&error, SigningError::NonUtf8Header { name } if name == "x-amz-meta-name"),
            "{error}"
        );
    }

    #[test]
    fn formats_the_amz_date() {
        for (secs, expected) in [
            (0, "19700101T000000Z"),
            (1_440_938_160, "20150830T123600Z"),
            (253_402_300_799, "99991231T235959Z"),
            (-62_167_219_200, "00000101T000000Z"),
        ] {
            let date = AmzDate::new(DateTime::from_secs(secs)).expect("in range");
            assert_eq!(date.as_str(), expected);
            assert_eq!(date.date(), &expected[..8]);
        }
        assert!(AmzDate::new(DateTime::from_secs(253_402_300_800)).is_err());
    }
}
