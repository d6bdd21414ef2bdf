//! Checksums of bodies: the algorithms of S3's flexible checksums (`x-amz-checksum-*`), the
//! `aws-chunked` encoding that sends one as a trailer after a streamed body
//! ([`aws_chunked`]), and a body wrapper that validates a response's checksum as it is read
//! ([`validate`]). The request and response stages that use them are in
//! `pipeline::checksum`.
//!
//! Every checksum is sent and compared as the base64 of its big-endian digest, as AWS writes
//! it. CRC32 (ISO-HDLC), CRC32C (Castagnoli) and CRC64/NVME use the CPU's carry-less multiply
//! or CRC instructions where there are some; SHA-1, SHA-256 and SHA-512 are ring's; MD5
//! (`Content-MD5`) is RustCrypto's.

pub mod aws_chunked;
pub mod validate;

use base64::Engine as _;

/// A checksum algorithm of S3's flexible checksums.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChecksumAlgorithm {
    Crc32,
    Crc32c,
    Crc64Nvme,
    Sha1,
    Sha256,
    Sha512,
}

impl ChecksumAlgorithm {
    /// Every algorithm, in botocore's order of preference for validating responses
    /// (`_ALGORITHMS_PRIORITY_LIST`, without the xxhash family Stratus does not implement).
    pub const PRIORITY: [ChecksumAlgorithm; 6] = [
        ChecksumAlgorithm::Crc64Nvme,
        ChecksumAlgorithm::Crc32c,
        ChecksumAlgorithm::Crc32,
        ChecksumAlgorithm::Sha1,
        ChecksumAlgorithm::Sha256,
        ChecksumAlgorithm::Sha512,
    ];

    /// Every algorithm.
    pub const ALL: [ChecksumAlgorithm; 6] = Self::PRIORITY;

    /// The algorithm a model or a request member names (`CRC32`, `crc64nvme`, …), in any
    /// case.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|algorithm| algorithm.name().eq_ignore_ascii_case(name))
    }

    /// The name as the models write it: `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1`, `SHA256`,
    /// `SHA512`.
    pub fn name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "CRC32",
            ChecksumAlgorithm::Crc32c => "CRC32C",
            ChecksumAlgorithm::Crc64Nvme => "CRC64NVME",
            ChecksumAlgorithm::Sha1 => "SHA1",
            ChecksumAlgorithm::Sha256 => "SHA256",
            ChecksumAlgorithm::Sha512 => "SHA512",
        }
    }

    /// The header (or trailer) that carries the checksum: `x-amz-checksum-crc32`, ….
    pub fn header(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
            ChecksumAlgorithm::Sha512 => "x-amz-checksum-sha512",
        }
    }

    /// A hasher computing this checksum.
    pub fn hasher(self) -> Hasher {
        Hasher(match self {
            ChecksumAlgorithm::Crc32 => State::Crc32(crc32fast::Hasher::new()),
            ChecksumAlgorithm::Crc32c => State::Crc32c(0),
            ChecksumAlgorithm::Crc64Nvme => State::Crc64Nvme(crc64fast_nvme::Digest::new()),
            ChecksumAlgorithm::Sha1 => State::Digest(Box::new(ring::digest::Context::new(
                &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            ))),
            ChecksumAlgorithm::Sha256 => {
                State::Digest(Box::new(ring::digest::Context::new(&ring::digest::SHA256)))
            }
            ChecksumAlgorithm::Sha512 => {
                State::Digest(Box::new(ring::digest::Context::new(&ring::digest::SHA512)))
            }
        })
    }

    /// The checksum of `data`, base64-encoded.
    pub fn checksum(self, data: &[u8]) -> String {
        let mut hasher = self.hasher();
        hasher.update(data);
        hasher.finish()
    }
}

/// A checksum being computed over chunks of a body.
pub struct Hasher(State);

enum State {
    Crc32(crc32fast::Hasher),
    Crc32c(u32),
    Crc64Nvme(crc64fast_nvme::Digest),
    // Boxed: a SHA context is ten times the size of a CRC state, and one hasher per body
    // makes the allocation nothing.
    Digest(Box<ring::digest::Context>),
}

impl Hasher {
    /// Adds `data` to the checksum.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            State::Crc32(h) => h.update(data),
            State::Crc32c(crc) => *crc = crc32c::crc32c_append(*crc, data),
            State::Crc64Nvme(h) => h.write(data),
            State::Digest(h) => h.update(data),
        }
    }

    /// The checksum of everything added, base64-encoded (big-endian, as AWS sends it).
    pub fn finish(self) -> String {
        let engine = base64::engine::general_purpose::STANDARD;
        match self.0 {
            State::Crc32(h) => engine.encode(h.finalize().to_be_bytes()),
            State::Crc32c(crc) => engine.encode(crc.to_be_bytes()),
            State::Crc64Nvme(h) => engine.encode(h.sum64().to_be_bytes()),
            State::Digest(h) => engine.encode((*h).finish()),
        }
    }
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            State::Crc32(_) => "Hasher(CRC32)",
            State::Crc32c(_) => "Hasher(CRC32C)",
            State::Crc64Nvme(_) => "Hasher(CRC64NVME)",
            State::Digest(_) => "Hasher(SHA)",
        })
    }
}

/// The base64 MD5 of `data`: a `Content-MD5` header, or an SSE-C key's digest.
pub fn md5_base64(data: &[u8]) -> String {
    use md5::Digest as _;
    base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_known_values() {
        // "Hello world", as Python's zlib and hashlib and awscrt's checksums compute it.
        let data = b"Hello world";
        let cases = [
            (ChecksumAlgorithm::Crc32, "i9aeUg=="),
            (ChecksumAlgorithm::Crc32c, "crUfeA=="),
            (ChecksumAlgorithm::Crc64Nvme, "OOJZ0D8xKts="),
            (ChecksumAlgorithm::Sha1, "e1AsOh9IyGCa4hLN+2Od7jlnP14="),
            (
                ChecksumAlgorithm::Sha256,
                "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=",
            ),
            (
                ChecksumAlgorithm::Sha512,
                "t/eDuu2Cl/DbkXRiGE/08I5pwtXl95qUJgD5cl9Yzh8pwYE5v4CwbA//K900c4RS7PQMSIwip+PYDN9vnBwNRw==",
            ),
        ];
        for (algorithm, expected) in cases {
            assert_eq!(algorithm.checksum(data), expected, "{algorithm:?}");
            // The same in pieces.
            let mut hasher = algorithm.hasher();
            hasher.update(&data[..4]);
            hasher.update(&data[4..]);
            assert_eq!(hasher.finish(), expected, "{algorithm:?} in pieces");
        }
        assert_eq!(md5_base64(data), "PiWWCnnbxptnTNTsZ6csYg==");
    }

    #[test]
    fn names_read_in_any_case() {
        assert_eq!(
            ChecksumAlgorithm::from_name("crc64nvme"),
            Some(ChecksumAlgorithm::Crc64Nvme)
        );
        assert_eq!(
            ChecksumAlgorithm::from_name("SHA256"),
            Some(ChecksumAlgorithm::Sha256)
        );
        assert_eq!(ChecksumAlgorithm::from_name("XXHASH64"), None);
        assert_eq!(ChecksumAlgorithm::Crc32c.header(), "x-amz-checksum-crc32c");
    }
}
