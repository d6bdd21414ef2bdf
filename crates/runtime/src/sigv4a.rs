//! AWS Signature Version 4a (`AWS4-ECDSA-P256-SHA256`): signing requests with an
//! `Authorization` header ([`sign`]) and presigning them into URLs ([`presign`]) for a *set*
//! of regions, as multi-region endpoints (S3 Multi-Region Access Points, EventBridge global
//! endpoints, CloudFront KeyValueStore) require.
//!
//! # The algorithm
//!
//! SigV4a is SigV4 ([`crate::sigv4`]) with three differences:
//!
//! * **The region set is signed instead of a region.** The comma-separated region set (`*`,
//!   or `us-west-2,us-east-1`) goes in an `X-Amz-Region-Set` header (or query parameter, when
//!   presigning), which is part of the canonical request like `X-Amz-Date`. The credential
//!   scope has no region: `<date>/<service>/aws4_request`. Everything else about the
//!   canonical request (URI, query and header rules, [`SigningSettings`]) is SigV4's, done by
//!   the same code.
//! * **The key is an ECDSA P-256 key derived from the credentials** by a NIST SP 800-108
//!   key derivation in counter mode with HMAC-SHA256: the HMAC key is `"AWS4A"` + the secret
//!   access key, and the input
//!   `1u32 (big-endian) || "AWS4-ECDSA-P256-SHA256" || 0x00 || access key id || counter (1 byte) || 256u32 (big-endian)`.
//!   The 32-byte result, read as a big-endian integer `k`, is accepted when `k <= n - 2`
//!   (`n` the order of P-256), and the private key is `k + 1`; otherwise the counter (from 1)
//!   is incremented and the HMAC taken again (a chance of about 2^-32 per step). The key
//!   depends on the credentials only, not on the date, region or service, and costs an
//!   elliptic-curve multiplication to set up, so derived keys are cached per access key id
//!   and secret ([`SigningKeyCache`]).
//! * **The signature** is the ECDSA P-256 signature of the SHA-256 of the string to sign,
//!   DER-encoded, in lowercase hex. The string to sign starts with
//!   `AWS4-ECDSA-P256-SHA256` instead of `AWS4-HMAC-SHA256`.
//!
//! ECDSA signatures are randomized in the AWS documentation and in the CRT signer; this one
//! uses RFC 6979 deterministic nonces (any valid signature verifies), so the same request,
//! credentials and time sign the same.
//!
//! # Examples
//!
//! ```
//! use bytes::Bytes;
//! use stratus_runtime::sigv4a::{self, SigningParams};
//! use stratus_runtime::{Credentials, DateTime};
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None, None, "example");
//! let mut request = http::Request::get("https://example.amazonaws.com/").body(Bytes::new())?;
//! let region_set = sigv4a::join_region_set(&["us-west-2", "us-east-1"]);
//! let params = SigningParams::new(&credentials, &region_set, "service", DateTime::from_secs(1_440_938_160));
//! sigv4a::sign(&mut request, &params)?;
//! assert_eq!(request.headers()["x-amz-region-set"], "us-west-2,us-east-1");
//! let authorization = request.headers()["authorization"].to_str()?;
//! assert!(authorization.starts_with(
//!     "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, \
//!      SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=30"
//! ));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

use crate::key_cache::KeyCache;
use http::{Request, Uri};
use p256::ecdsa::signature::Signer as _;
use ring::hmac;

use crate::sigv4::{self, Scheme, Signature};
use crate::{Credentials, DateTime};

pub use crate::sigv4::{
    CacheStats, MAX_PRESIGNED_EXPIRY, PayloadHash, SessionTokenMode, SignableRequest,
    SignatureLocation, SigningError, SigningOutput, SigningSettings, UriEncoding,
};

/// The algorithm name that starts the string to sign and the `Authorization` header.
pub const ALGORITHM: &str = "AWS4-ECDSA-P256-SHA256";

/// The region set that covers every region.
pub const ALL_REGIONS: &str = "*";

/// The order of P-256 minus 2, big-endian: the largest accepted key-derivation candidate.
const N_MINUS_2: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x4f,
];

/// The last counter value the key derivation tries (as the CRT signer does).
const MAX_COUNTER: u8 = 254;

/// Joins regions into the region set that [`SigningParams::region_set`] takes: `us-west-2`
/// and `us-east-1` give `us-west-2,us-east-1`. An endpoint's `signingRegionSet` is such a list.
pub fn join_region_set<S: AsRef<str>>(regions: &[S]) -> String {
    let mut joined = String::with_capacity(regions.iter().map(|r| r.as_ref().len() + 1).sum());
    for (i, region) in regions.iter().enumerate() {
        if i > 0 {
            joined.push(',');
        }
        joined.push_str(region.as_ref());
    }
    joined
}

// ---------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------

/// Who signs, for which region set and service, when, and how.
#[derive(Clone, Copy, Debug)]
pub struct SigningParams<'a> {
    /// The credentials to sign with.
    pub credentials: &'a Credentials,
    /// The comma-separated regions the signature is valid in, without spaces: `*` (every
    /// region, [`ALL_REGIONS`]) or for example `us-west-2,us-east-1` ([`join_region_set`]).
    pub region_set: &'a str,
    /// The signing name of the service (`s3`, `events`), which can differ from its endpoint
    /// prefix.
    pub service: &'a str,
    /// The signing time, `x-amz-date`.
    pub time: DateTime,
    /// The service-specific choices, as for SigV4 ([`SigningSettings::s3`] for S3).
    pub settings: SigningSettings,
    /// The cache of derived keys to use; `None` uses [`SigningKeyCache::global`].
    pub key_cache: Option<&'a SigningKeyCache>,
}

impl<'a> SigningParams<'a> {
    /// Parameters with the default settings (every service but S3) and the global key cache.
    pub fn new(
        credentials: &'a Credentials,
        region_set: &'a str,
        service: &'a str,
        time: DateTime,
    ) -> Self {
        SigningParams {
            credentials,
            region_set,
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

    fn scheme(&self) -> Scheme<'a> {
        Scheme {
            algorithm: ALGORITHM,
            credentials: self.credentials,
            scope_region: None,
            region_set: Some(self.region_set),
            service: self.service,
            time: self.time,
            settings: self.settings,
        }
    }

    fn signing_key(&self) -> Result<SigningKey, SigningError> {
        let cache = match self.key_cache {
            Some(cache) => cache,
            None => SigningKeyCache::global(),
        };
        cache.signing_key(self.credentials)
    }

    /// The ECDSA signature of `string_to_sign` with these parameters' key.
    fn signature(&self, string_to_sign: &str) -> Result<Signature, SigningError> {
        let key = self.signing_key()?;
        Ok(Signature::Ecdsa(key.sign_with_provider(
            string_to_sign,
            self.credentials.source(),
        )?))
    }
}

// ---------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------

/// Signs `request` in place with an `Authorization` header.
///
/// Sets (replacing any value present) `x-amz-date`, `x-amz-region-set`;
/// `x-amz-security-token` when the credentials have a session token; `x-amz-content-sha256`
/// when [`SigningSettings::content_sha256_header`] is set; and `authorization`. A missing
/// `host` header is added from the URI's authority, as [`sigv4::sign`] does. Signing again (a
/// retry) replaces every one of these.
pub fn sign(request: &mut Request<Bytes>, params: &SigningParams<'_>) -> Result<(), SigningError> {
    sigv4::sign_headers_with(request, &params.scheme(), |_, string_to_sign| {
        params.signature(string_to_sign)
    })
}

/// Presigns `request` into a URI that is valid for `expires_in` (1 second to 7 days).
///
/// The URI is the request's own with the original query kept byte for byte and
/// `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-Region-Set`,
/// `X-Amz-Security-Token` (with temporary credentials), `X-Amz-SignedHeaders` and
/// `X-Amz-Signature` appended; see [`sigv4::presign`].
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
    sigv4::presigned_uri(request.uri(), &output)
}

/// Signs a request view: the work behind [`sign`] and [`presign`], with the intermediate
/// strings kept for inspection.
pub fn sign_request(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
) -> Result<SigningOutput, SigningError> {
    sigv4::sign_with(request, &params.scheme(), location, |_, string_to_sign| {
        params.signature(string_to_sign)
    })
}

/// The canonical request that [`sign_request`] would sign, with the headers and query
/// parameters the signer adds (`x-amz-region-set` among them) already in it.
pub fn canonical_request(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
) -> Result<String, SigningError> {
    sigv4::canonical_request_with(request, &params.scheme(), location)
}

/// The string to sign for `canonical_request` (which need not come from this module):
/// `AWS4-ECDSA-P256-SHA256`, the `x-amz-date`, the credential scope
/// (`<date>/<service>/aws4_request`) and the request's hex SHA-256, one per line.
pub fn string_to_sign(
    canonical_request: &str,
    params: &SigningParams<'_>,
) -> Result<String, SigningError> {
    sigv4::string_to_sign_with(canonical_request, &params.scheme())
}

/// The signature of `string_to_sign` (which need not come from this module) with the key
/// of `params` (through the key cache): the DER-encoded ECDSA P-256 signature in hex.
pub fn calculate_signature(
    string_to_sign: &str,
    params: &SigningParams<'_>,
) -> Result<String, SigningError> {
    sigv4::validate_scheme(&params.scheme())?;
    params
        .signing_key()?
        .sign_with_provider(string_to_sign, params.credentials.source())
}

/// The public key that the credentials sign with (derived through the global key cache).
pub fn derive_public_key(credentials: &Credentials) -> Result<PublicKey, SigningError> {
    Ok(SigningKeyCache::global()
        .signing_key(credentials)?
        .public_key())
}

// ---------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------

/// An ECDSA P-256 key derived from an access key id and secret access key.
///
/// `Debug` does not print the key.
#[derive(Clone)]
pub struct SigningKey {
    key: p256::ecdsa::SigningKey,
    /// For error messages.
    provider: &'static str,
}

impl SigningKey {
    /// Derives the key of `credentials` (the session token plays no part).
    pub fn derive(credentials: &Credentials) -> Result<Self, SigningError> {
        sigv4::validate_credentials(credentials)?;
        let failed = || SigningError::Ecdsa {
            step: "key derivation",
            provider: credentials.source(),
        };
        let mut scalar =
            derive_scalar(credentials.access_key_id(), credentials.secret_access_key())
                .ok_or_else(failed)?;
        let key = p256::ecdsa::SigningKey::from_slice(&scalar).map_err(|_| failed());
        scalar.fill(0);
        Ok(SigningKey {
            key: key?,
            provider: credentials.source(),
        })
    }

    /// The public key that verifies this key's signatures.
    pub fn public_key(&self) -> PublicKey {
        let point = self.key.verifying_key().to_sec1_point(false);
        let mut x = [0u8; 32];
        let mut y = [0u8; 32];
        if let (Some(px), Some(py)) = (point.x(), point.y()) {
            x.iter_mut().zip(px.iter()).for_each(|(out, b)| *out = *b);
            y.iter_mut().zip(py.iter()).for_each(|(out, b)| *out = *b);
        }
        PublicKey { x, y }
    }

    /// The signature of `string_to_sign`: the DER-encoded ECDSA P-256 signature of its SHA-256,
    /// in lowercase hex.
    pub fn sign(&self, string_to_sign: &str) -> Result<String, SigningError> {
        self.sign_with_provider(string_to_sign, self.provider)
    }

    fn sign_with_provider(
        &self,
        string_to_sign: &str,
        provider: &'static str,
    ) -> Result<String, SigningError> {
        let signature: p256::ecdsa::DerSignature = self
            .key
            .try_sign(string_to_sign.as_bytes())
            .map_err(|_| SigningError::Ecdsa {
                step: "signing",
                provider,
            })?;
        Ok(hex(signature.as_bytes()))
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(*** redacted ***)")
    }
}

/// A P-256 public key: the affine coordinates of a point of the curve.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey {
    x: [u8; 32],
    y: [u8; 32],
}

impl PublicKey {
    /// The x coordinate, big-endian.
    pub fn x(&self) -> &[u8; 32] {
        &self.x
    }

    /// The y coordinate, big-endian.
    pub fn y(&self) -> &[u8; 32] {
        &self.y
    }

    /// The uncompressed SEC1 encoding: `0x04 || x || y`.
    pub fn to_sec1_uncompressed(&self) -> [u8; 65] {
        let mut out = [0u8; 65];
        out[0] = 0x04;
        out[1..33].copy_from_slice(&self.x);
        out[33..].copy_from_slice(&self.y);
        out
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("x", &hex(&self.x))
            .field("y", &hex(&self.y))
            .finish()
    }
}

/// The private scalar of the SigV4a key derivation (module docs), big-endian; `None` when
/// every counter value gives a candidate above `n - 2`.
fn derive_scalar(access_key_id: &str, secret_access_key: &str) -> Option<[u8; 32]> {
    let mut secret = Vec::with_capacity(5 + secret_access_key.len());
    secret.extend_from_slice(b"AWS4A");
    secret.extend_from_slice(secret_access_key.as_bytes());
    let key = hmac::Key::new(hmac::HMAC_SHA256, &secret);
    secret.fill(0);

    // 1u32 || label || 0x00 || context (access key id || counter) || length in bits (u32).
    let mut input = Vec::with_capacity(32 + access_key_id.len());
    input.extend_from_slice(&1u32.to_be_bytes());
    input.extend_from_slice(ALGORITHM.as_bytes());
    input.push(0);
    input.extend_from_slice(access_key_id.as_bytes());
    let counter_at = input.len();
    input.push(1);
    input.extend_from_slice(&256u32.to_be_bytes());

    for counter in 1..=MAX_COUNTER {
        input[counter_at] = counter;
        let tag = hmac::sign(&key, &input);
        let mut candidate = [0u8; 32];
        candidate
            .iter_mut()
            .zip(tag.as_ref())
            .for_each(|(out, b)| *out = *b);
        let scalar = scalar_from_candidate(&candidate);
        candidate.fill(0);
        if scalar.is_some() {
            return scalar;
        }
    }
    None
}

/// `candidate + 1` when `candidate <= n - 2`, else `None`: the accepted private scalars are
/// 1 to n - 1. No branch depends on the candidate's bytes before the answer.
fn scalar_from_candidate(candidate: &[u8; 32]) -> Option<[u8; 32]> {
    // The borrow of `(n - 2) - candidate`, from the least significant byte: set when the
    // candidate is larger.
    let mut borrow = 0i16;
    for (n, c) in N_MINUS_2.iter().zip(candidate).rev() {
        let difference = i16::from(*n) - i16::from(*c) - borrow;
        borrow = (difference >> 15) & 1;
    }
    if borrow != 0 {
        return None;
    }
    let mut scalar = *candidate;
    let mut carry = 1u16;
    for byte in scalar.iter_mut().rev() {
        let sum = u16::from(*byte) + carry;
        // The low byte of the sum.
        *byte = (sum & 0xff) as u8;
        carry = sum >> 8;
    }
    Some(scalar)
}

/// Lowercase hex.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

/// A bounded, thread-safe cache of derived [`SigningKey`]s, keyed by access key id and
/// secret access key, so that only the first request of a set of credentials pays for the
/// key derivation.
///
/// It holds at most `capacity` keys; when full, the oldest entry goes. Entries hold the
/// access key id and secret they were derived from, in memory only.
/// [`SigningKeyCache::global`] is the process-wide one that [`sign`] and [`presign`] use
/// unless [`SigningParams::key_cache`] names another.
pub struct SigningKeyCache {
    /// Keyed by access key id and secret.
    cache: KeyCache<(String, String), SigningKey>,
}

impl SigningKeyCache {
    /// The capacity of the global cache.
    pub const DEFAULT_CAPACITY: usize = 8;

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

    /// The key of `credentials`, derived once and then cached.
    pub fn signing_key(&self, credentials: &Credentials) -> Result<SigningKey, SigningError> {
        let access_key_id = credentials.access_key_id();
        let secret = credentials.secret_access_key();
        let mut key = self.cache.get_or_derive(
            |(id, s)| id == access_key_id && s == secret,
            || (access_key_id.to_owned(), secret.to_owned()),
            || SigningKey::derive(credentials),
        )?;
        key.provider = credentials.source();
        Ok(key)
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
    use http::{HeaderName, HeaderValue};
    use p256::ecdsa::signature::Verifier as _;
    use p256::ecdsa::{DerSignature, VerifyingKey};

    use super::*;

    const ACCESS_KEY: &str = "AKIDEXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    /// 2015-08-30T12:36:00Z, the time of the signing test suites.
    const TIME: DateTime = DateTime::from_secs(1_440_938_160);
    /// The public key of `AKIDEXAMPLE` and `SECRET`, from the aws-c-auth suite's
    /// `v4a/*/public-key.json`.
    const PUBLIC_X: &str = "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1";
    const PUBLIC_Y: &str = "865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518";

    fn credentials(token: Option<&str>) -> Credentials {
        Credentials::new(ACCESS_KEY, SECRET, token.map(str::to_owned), None, "test")
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

    fn header<'r>(request: &'r Request<Bytes>, name: &str) -> &'r str {
        request.headers()[name].to_str().expect("an ASCII header")
    }

    fn unhex(hex: &str) -> Vec<u8> {
        assert!(hex.len().is_multiple_of(2), "odd-length hex {hex:?}");
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digits"))
            .collect()
    }

    /// Verifies a hex DER signature of `string_to_sign` with the suite's public key, through
    /// p256's verifier (independent of the key derivation under test).
    fn verifies(string_to_sign: &str, signature_hex: &str) -> bool {
        let mut sec1 = vec![0x04];
        sec1.extend(unhex(PUBLIC_X));
        sec1.extend(unhex(PUBLIC_Y));
        let key = VerifyingKey::from_sec1_bytes(&sec1).expect("the suite's key is on the curve");
        let Ok(signature) = DerSignature::from_bytes(&unhex(signature_hex)) else {
            return false;
        };
        key.verify(string_to_sign.as_bytes(), &signature).is_ok()
    }

    #[test]
    fn derives_the_suite_public_key() {
        let key = SigningKey::derive(&credentials(None)).expect("derives");
        let public = key.public_key();
        assert_eq!(hex(public.x()), PUBLIC_X);
        assert_eq!(hex(public.y()), PUBLIC_Y);
        let sec1 = public.to_sec1_uncompressed();
        assert_eq!(sec1[0], 4);
        assert_eq!(hex(&sec1[1..]), format!("{PUBLIC_X}{PUBLIC_Y}"));
        assert_eq!(
            derive_public_key(&credentials(Some("token"))).expect("derives"),
            public,
            "the session token plays no part"
        );
        assert_eq!(format!("{key:?}"), "SigningKey(*** redacted ***)");
        assert!(format!("{public:?}").contains(PUBLIC_X));

        // Another secret, or another access key id (the KDF context), gives another key.
        let other_secret = Credentials::new(ACCESS_KEY, "another secret", None, None, "test");
        let other_id = Credentials::new("AKIDEXAMPLF", SECRET, None, None, "test");
        for other in [other_secret, other_id] {
            let other = derive_public_key(&other).expect("derives");
            assert_ne!(other, public);
        }
    }

    #[test]
    fn accepts_candidates_up_to_n_minus_2() {
        let mut one = [0u8; 32];
        one[31] = 1;
        assert_eq!(scalar_from_candidate(&[0; 32]), Some(one));

        let mut n_minus_1 = N_MINUS_2;
        n_minus_1[31] += 1;
        assert_eq!(scalar_from_candidate(&N_MINUS_2), Some(n_minus_1));
        assert_eq!(scalar_from_candidate(&n_minus_1), None);
        assert_eq!(scalar_from_candidate(&[0xff; 32]), None);
        // Larger in a high byte, smaller in every lower one.
        let mut high = [0u8; 32];
        high[..4].fill(0xff);
        high[4] = 0x01;
        assert_eq!(scalar_from_candidate(&high), None);
        // The carry runs through every 0xff byte.
        let mut carried = [0u8; 32];
        carried[29] = 0x12;
        carried[30] = 0xff;
        carried[31] = 0xff;
        let mut expected = [0u8; 32];
        expected[29] = 0x13;
        assert_eq!(scalar_from_candidate(&carried), Some(expected));
        // Every accepted scalar is a valid P-256 private key.
        for scalar in [one, n_minus_1, expected] {
            assert!(p256::ecdsa::SigningKey::from_slice(&scalar).is_ok());
        }
    }

    #[test]
    fn signs_a_request_that_the_public_key_verifies() {
        let credentials = credentials(None);
        let params = SigningParams::new(&credentials, "us-east-1", "service", TIME);
        let mut request = get("https://example.amazonaws.com/", &[]);
        let output = sign_request(
            &SignableRequest::from_http(&request),
            &params,
            SignatureLocation::Headers,
        )
        .expect("signs");
        // aws-c-auth's v4a/get-vanilla expectations.
        assert_eq!(
            output.canonical_request(),
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\
             x-amz-region-set:us-east-1\n\nhost;x-amz-date;x-amz-region-set\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // (The hash line is checked against the suite by the conformance runner.)
        let (head, hash) = output
            .string_to_sign()
            .rsplit_once('\n')
            .expect("four lines");
        assert_eq!(
            head,
            "AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request"
        );
        assert_eq!(hash.len(), 64);
        assert!(verifies(output.string_to_sign(), output.signature()));
        assert!(!verifies(
            &output.string_to_sign().replace("20150830T", "20150831T"),
            output.signature()
        ));

        sign(&mut request, &params).expect("signs");
        assert_eq!(header(&request, "host"), "example.amazonaws.com");
        assert_eq!(header(&request, "x-amz-date"), "20150830T123600Z");
        assert_eq!(header(&request, "x-amz-region-set"), "us-east-1");
        let authorization = header(&request, "authorization");
        let signature = authorization
            .strip_prefix(
                "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, \
                 SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=",
            )
            .expect("the SigV4a authorization layout");
        assert!(verifies(output.string_to_sign(), signature));
        // DER: a SEQUENCE of two INTEGERs, 70 to 72 bytes for P-256 (rarely fewer).
        assert!(signature.starts_with("30"), "{signature}");
        assert!((128..=144).contains(&signature.len()), "{signature}");
        // RFC 6979: the same input signs the same.
        assert_eq!(signature, output.signature());
        assert_eq!(
            calculate_signature(output.string_to_sign(), &params).expect("signs"),
            signature
        );
        assert_eq!(
            string_to_sign(output.canonical_request(), &params).expect("hashes"),
            output.string_to_sign()
        );
    }

    #[test]
    fn signs_the_region_set_and_replaces_stale_headers() {
        let credentials = credentials(None);
        let region_set = join_region_set(&["us-west-2", "us-east-1"]);
        assert_eq!(region_set, "us-west-2,us-east-1");
        assert_eq!(join_region_set(&[ALL_REGIONS]), "*");
        assert_eq!(join_region_set::<&str>(&[]), "");
        let params = SigningParams::new(&credentials, &region_set, "service", TIME);
        let mut request = get(
            "https://example.amazonaws.com/",
            &[("x-amz-region-set", "stale"), ("x-amz-date", "stale")],
        );
        sign(&mut request, &params).expect("signs");
        sign(&mut request, &params).expect("signs again");
        assert_eq!(header(&request, "x-amz-region-set"), "us-west-2,us-east-1");
        assert_eq!(
            request.headers().get_all("x-amz-region-set").iter().count(),
            1
        );
        assert_eq!(request.headers().get_all("authorization").iter().count(), 1);
        let creq = canonical_request(
            &SignableRequest::from_http(&request),
            &params,
            SignatureLocation::Headers,
        )
        .expect("canonicalizes");
        assert!(
            creq.contains("\nx-amz-region-set:us-west-2,us-east-1\n"),
            "{creq}"
        );
        assert!(!creq.contains("stale"), "{creq}");
    }

    #[test]
    fn presigns_with_the_region_set_in_the_query() {
        let credentials = credentials(Some("TOKEN/+="));
        let params = SigningParams::new(&credentials, "us-west-2,us-east-1", "s3", TIME)
            .with_settings(SigningSettings {
                payload: PayloadHash::Unsigned,
                ..SigningSettings::s3()
            });
        let request = get("https://bucket.s3.amazonaws.com/my%20key?versionId=1", &[]);
        let uri = presign(&request, &params, Duration::from_secs(900)).expect("presigns");
        let uri = uri.to_string();
        let (unsigned, signature) = uri
            .split_once("&X-Amz-Signature=")
            .expect("the signature comes last");
        assert_eq!(
            unsigned,
            "https://bucket.s3.amazonaws.com/my%20key?versionId=1\
             &X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fs3%2Faws4_request\
             &X-Amz-Date=20150830T123600Z&X-Amz-Expires=900\
             &X-Amz-Region-Set=us-west-2%2Cus-east-1\
             &X-Amz-Security-Token=TOKEN%2F%2B%3D&X-Amz-SignedHeaders=host"
        );
        assert!(
            signature.bytes().all(|b| b.is_ascii_hexdigit()),
            "{signature}"
        );
        let creq = canonical_request(
            &SignableRequest::from_http(&request),
            &params,
            SignatureLocation::QueryString {
                expires_in: Duration::from_secs(900),
            },
        )
        .expect("canonicalizes");
        assert_eq!(
            creq,
            "GET\n/my%20key\nX-Amz-Algorithm=AWS4-ECDSA-P256-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fs3%2Faws4_request\
             &X-Amz-Date=20150830T123600Z&X-Amz-Expires=900\
             &X-Amz-Region-Set=us-west-2%2Cus-east-1\
             &X-Amz-Security-Token=TOKEN%2F%2B%3D&X-Amz-SignedHeaders=host&versionId=1\n\
             host:bucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD"
        );
        let sts = string_to_sign(&creq, &params).expect("hashes");
        assert!(verifies(&sts, signature));
        // The request itself is left alone.
        assert!(request.headers().is_empty());
    }

    #[test]
    fn handles_the_session_token_as_configured() {
        let credentials = credentials(Some("TOKEN"));
        let params = SigningParams::new(&credentials, "*", "service", TIME);
        let mut request = get("https://example.amazonaws.com/", &[]);
        sign(&mut request, &params).expect("signs");
        assert_eq!(header(&request, "x-amz-security-token"), "TOKEN");
        assert!(
            header(&request, "authorization")
                .contains("SignedHeaders=host;x-amz-date;x-amz-region-set;x-amz-security-token,")
        );

        let after = params.with_settings(SigningSettings {
            session_token_mode: SessionTokenMode::AppendAfterSigning,
            content_sha256_header: true,
            ..SigningSettings::default()
        });
        let mut request = get("https://example.amazonaws.com/", &[]);
        sign(&mut request, &after).expect("signs");
        assert_eq!(header(&request, "x-amz-security-token"), "TOKEN");
        assert_eq!(
            header(&request, "x-amz-content-sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(header(&request, "authorization").contains(
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-region-set, Signature="
        ));
        let output = sign_request(
            &SignableRequest::from_http(&get("https://example.amazonaws.com/", &[])),
            &after,
            SignatureLocation::Headers,
        )
        .expect("signs");
        assert!(!format!("{output:?}").contains("TOKEN"));
    }

    #[test]
    fn caches_keys_per_access_key_and_secret() {
        let cache = SigningKeyCache::new(2);
        let first = credentials(None);
        let params = SigningParams::new(&first, "*", "service", TIME).with_key_cache(&cache);
        let mut request = get("https://example.amazonaws.com/", &[]);
        sign(&mut request, &params).expect("signs");
        // Another day, region set or service uses the same key.
        let later = SigningParams {
            time: DateTime::from_secs(TIME.secs() + 86_400),
            region_set: "us-east-1",
            service: "s3",
            ..params
        };
        sign(&mut request, &later).expect("signs");
        assert_eq!(
            cache.stats(),
            CacheStats {
                hits: 1,
                misses: 1,
                len: 1
            }
        );
        let second = Credentials::new("AKIDSECOND", SECRET, None, None, "test");
        let third = Credentials::new(ACCESS_KEY, "another secret", None, None, "test");
        for credentials in [&second, &third] {
            let params =
                SigningParams::new(credentials, "*", "service", TIME).with_key_cache(&cache);
            sign(&mut request, &params).expect("signs");
        }
        assert_eq!(
            cache.stats(),
            CacheStats {
                hits: 1,
                misses: 3,
                len: 2
            }
        );
        // The evicted key is derived again, and is the same key.
        let key = cache.signing_key(&first).expect("derives");
        assert_eq!(cache.stats().misses, 4);
        assert_eq!(hex(key.public_key().x()), PUBLIC_X);
        let signature = key.sign("string to sign").expect("signs");
        assert!(verifies("string to sign", &signature));
        cache.clear();
        assert_eq!(cache.stats().len, 0);
        assert!(format!("{cache:?}").contains("capacity: 2"));
        assert_eq!(SigningKeyCache::new(0).cache.capacity(), 1);
    }

    #[test]
    fn reports_bad_input_as_errors() {
        let credentials = credentials(None);
        let mut request = get("https://example.amazonaws.com/", &[]);
        for region_set in [
            "",
            ",",
            "us-east-1,",
            ",us-east-1",
            "a,,b",
            "us-east-1, us-west-2",
            "a/b",
            "caf\u{e9}",
        ] {
            let params = SigningParams::new(&credentials, region_set, "service", TIME);
            let error = sign(&mut request, &params).expect_err("a bad region set");
            assert!(
                matches!(&error, SigningError::InvalidRegionSet { value } if value == region_set),
                "{region_set:?}: {error}"
            );
            assert!(
                error.to_string().contains("comma-separated regions"),
                "{error}"
            );
        }
        let params = SigningParams::new(&credentials, "*", "", TIME);
        assert!(matches!(
            sign(&mut request, &params),
            Err(SigningError::InvalidScope {
                field: "service",
                ..
            })
        ));
        let params = SigningParams::new(
            &credentials,
            "*",
            "service",
            DateTime::from_secs(-62_200_000_000),
        );
        assert!(matches!(
            sign(&mut request, &params),
            Err(SigningError::TimeOutOfRange { .. })
        ));

        let anonymous = Credentials::new("", SECRET, None, None, "environment");
        let params = SigningParams::new(&anonymous, "*", "service", TIME);
        let error = sign(&mut request, &params).expect_err("no access key");
        assert!(
            matches!(
                error,
                SigningError::InvalidAccessKeyId {
                    provider: "environment"
                }
            ),
            "{error}"
        );
        assert!(matches!(
            derive_public_key(&anonymous),
            Err(SigningError::InvalidAccessKeyId { .. })
        ));
        let no_secret = Credentials::new(ACCESS_KEY, "", None, None, "environment");
        assert!(matches!(
            SigningKey::derive(&no_secret),
            Err(SigningError::EmptySecretAccessKey { .. })
        ));
        let params = SigningParams::new(&no_secret, "*", "service", TIME);
        assert!(matches!(
            calculate_signature("sts", &params),
            Err(SigningError::EmptySecretAccessKey { .. })
        ));
        let bad_token = Credentials::new(ACCESS_KEY, SECRET, Some("a\nb".into()), None, "test");
        let params = SigningParams::new(&bad_token, "*", "service", TIME);
        assert!(matches!(
            sign(&mut request, &params),
            Err(SigningError::InvalidSessionToken { provider: "test" })
        ));

        let params = SigningParams::new(&credentials, "*", "service", TIME);
        for expires_in in [Duration::ZERO, Duration::from_secs(604_801)] {
            assert!(matches!(
                presign(&request, &params, expires_in),
                Err(SigningError::InvalidExpiry { .. })
            ));
        }
        let mut no_host = get("/path", &[]);
        assert!(matches!(
            sign(&mut no_host, &params),
            Err(SigningError::MissingHost)
        ));
    }
}
