//! A CBOR writer ([RFC 8949]) into one growing buffer.
//!
//! Each method appends one data item, or the head of one: after [`CborWriter::array`],
//! [`CborWriter::map`] or [`CborWriter::tag`] the caller writes the items they hold; after
//! [`CborWriter::indefinite_array`] or [`CborWriter::indefinite_map`] it writes them and then
//! [`CborWriter::end`]. The writer does not check that the caller does so.
//!
//! What it writes follows the RFC's preferred serialization (§4.1) for heads: every integer,
//! length and tag number takes the shortest argument that holds it. Floats are written as
//! botocore's `CBORSerializer` writes them, which the RPC v2 CBOR services accept: NaN,
//! +infinity and -infinity as the half floats `0xf97e00`, `0xf97c00` and `0xf9fc00`, every
//! other float at the width of its type (single `0xfa` for `f32`, double `0xfb` for `f64`),
//! without narrowing.
//!
//! [RFC 8949]: https://www.rfc-editor.org/rfc/rfc8949.html

/// Major types (RFC 8949 §3.1), shifted into place in the initial byte.
const UNSIGNED: u8 = 0 << 5;
const NEGATIVE: u8 = 1 << 5;
const BYTES: u8 = 2 << 5;
const TEXT: u8 = 3 << 5;
const ARRAY: u8 = 4 << 5;
const MAP: u8 = 5 << 5;
const TAG: u8 = 6 << 5;

/// Appends CBOR data items to a `Vec<u8>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CborWriter {
    buf: Vec<u8>,
}

impl CborWriter {
    /// An empty writer.
    pub fn new() -> Self {
        CborWriter { buf: Vec::new() }
    }

    /// An empty writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        CborWriter {
            buf: Vec::with_capacity(capacity),
        }
    }

    /// An unsigned integer (major type 0), in its shortest encoding.
    pub fn unsigned(&mut self, n: u64) {
        self.head(UNSIGNED, n);
    }

    /// A signed integer in its shortest encoding: major type 0 when it is not negative, else
    /// major type 1 with the argument -1 - n (so `i64::MIN` fits).
    pub fn integer(&mut self, n: i64) {
        if n >= 0 {
            self.head(UNSIGNED, n as u64);
        } else {
            // -1 - n, computed without overflow: the bitwise complement.
            self.head(NEGATIVE, !(n as u64));
        }
    }

    /// A definite-length byte string (major type 2).
    pub fn bytes(&mut self, b: &[u8]) {
        self.head(BYTES, b.len() as u64);
        self.buf.extend_from_slice(b);
    }

    /// A definite-length text string (major type 3).
    pub fn text(&mut self, s: &str) {
        self.head(TEXT, s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// The head of an array of `len` items (major type 4); the items follow.
    pub fn array(&mut self, len: usize) {
        self.head(ARRAY, len as u64);
    }

    /// The head of a map of `len` key/value pairs (major type 5); the pairs follow.
    pub fn map(&mut self, len: usize) {
        self.head(MAP, len as u64);
    }

    /// The head of an indefinite-length map (`0xbf`); the pairs follow, then [`Self::end`].
    pub fn indefinite_map(&mut self) {
        self.buf.push(MAP | 31);
    }

    /// The head of an indefinite-length array (`0x9f`); the items follow, then
    /// [`Self::end`].
    pub fn indefinite_array(&mut self) {
        self.buf.push(ARRAY | 31);
    }

    /// The `break` (`0xff`) closing an indefinite-length array or map.
    pub fn end(&mut self) {
        self.buf.push(0xff);
    }

    /// A tag (major type 6); the tagged item follows.
    pub fn tag(&mut self, tag: u64) {
        self.head(TAG, tag);
    }

    /// `true` (`0xf5`) or `false` (`0xf4`).
    pub fn bool(&mut self, b: bool) {
        self.buf.push(if b { 0xf5 } else { 0xf4 });
    }

    /// `null` (`0xf6`).
    pub fn null(&mut self) {
        self.buf.push(0xf6);
    }

    /// A single-precision float (`0xfa`), or the half float of NaN or an infinity.
    pub fn f32(&mut self, x: f32) {
        if !self.special(f64::from(x)) {
            self.buf.push(0xfa);
            self.buf.extend_from_slice(&x.to_bits().to_be_bytes());
        }
    }

    /// A double-precision float (`0xfb`), or the half float of NaN or an infinity.
    pub fn f64(&mut self, x: f64) {
        if !self.special(x) {
            self.buf.push(0xfb);
            self.buf.extend_from_slice(&x.to_bits().to_be_bytes());
        }
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The encoded bytes.
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }

    /// How many bytes are written.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing is written yet.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Writes NaN (any payload, either sign) and the infinities as botocore does, as half
    /// floats; returns whether `x` was one of them.
    fn special(&mut self, x: f64) -> bool {
        let half: u16 = if x.is_nan() {
            0x7e00
        } else if x == f64::INFINITY {
            0x7c00
        } else if x == f64::NEG_INFINITY {
            0xfc00
        } else {
            return false;
        };
        self.buf.push(0xf9);
        self.buf.extend_from_slice(&half.to_be_bytes());
        true
    }

    /// A head: the major type with the shortest argument holding `n` (RFC 8949 §4.2.1).
    fn head(&mut self, major: u8, n: u64) {
        if n < 24 {
            self.buf.push(major | n as u8);
        } else if n <= u64::from(u8::MAX) {
            self.buf.extend_from_slice(&[major | 24, n as u8]);
        } else if n <= u64::from(u16::MAX) {
            self.buf.push(major | 25);
            self.buf.extend_from_slice(&(n as u16).to_be_bytes());
        } else if n <= u64::from(u32::MAX) {
            self.buf.push(major | 26);
            self.buf.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            self.buf.push(major | 27);
            self.buf.extend_from_slice(&n.to_be_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut CborWriter)) -> Vec<u8> {
        let mut w = CborWriter::new();
        f(&mut w);
        w.finish()
    }

    #[test]
    fn integers_take_the_shortest_head() {
        // RFC 8949 Appendix A.
        let cases: [(i64, &[u8]); 14] = [
            (0, &[0x00]),
            (23, &[0x17]),
            (24, &[0x18, 0x18]),
            (255, &[0x18, 0xff]),
            (256, &[0x19, 0x01, 0x00]),
            (65535, &[0x19, 0xff, 0xff]),
            (65536, &[0x1a, 0x00, 0x01, 0x00, 0x00]),
            (
                1_000_000_000_000,
                &[0x1b, 0, 0, 0, 0xe8, 0xd4, 0xa5, 0x10, 0],
            ),
            (-1, &[0x20]),
            (-24, &[0x37]),
            (-25, &[0x38, 0x18]),
            (-100, &[0x38, 0x63]),
            (-1000, &[0x39, 0x03, 0xe7]),
            (
                i64::MIN,
                &[0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            ),
        ];
        for (n, bytes) in cases {
            assert_eq!(written(|w| w.integer(n)), bytes, "{n}");
        }
        assert_eq!(
            written(|w| w.unsigned(u64::from(u32::MAX))),
            [0x1a, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(
            written(|w| w.unsigned(u64::from(u32::MAX) + 1)),
            [0x1b, 0, 0, 0, 1, 0, 0, 0, 0]
        );
        assert_eq!(
            written(|w| w.unsigned(u64::MAX)),
            [0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
    }

    #[test]
    fn strings_containers_and_simple_values() {
        assert_eq!(written(|w| w.text("IETF")), b"\x64IETF");
        assert_eq!(written(|w| w.bytes(&[1, 2, 3, 4])), [0x44, 1, 2, 3, 4]);
        assert_eq!(written(|w| w.text("")), [0x60]);
        let long = vec![7u8; 24];
        assert_eq!(written(|w| w.bytes(&long))[..2], [0x58, 24]);
        assert_eq!(
            written(|w| {
                w.array(3);
                w.map(0);
                w.indefinite_map();
                w.end();
                w.indefinite_array();
                w.end();
            }),
            [0x83, 0xa0, 0xbf, 0xff, 0x9f, 0xff]
        );
        assert_eq!(written(|w| w.map(300))[..3], [0xb9, 0x01, 0x2c]);
        assert_eq!(
            written(|w| {
                w.tag(1);
                w.tag(55799);
                w.bool(true);
                w.bool(false);
                w.null();
            }),
            [0xc1, 0xd9, 0xd9, 0xf7, 0xf5, 0xf4, 0xf6]
        );
    }

    #[test]
    fn floats_as_botocore_writes_them() {
        assert_eq!(written(|w| w.f64(f64::NAN)), [0xf9, 0x7e, 0x00]);
        assert_eq!(written(|w| w.f64(-f64::NAN)), [0xf9, 0x7e, 0x00]);
        assert_eq!(written(|w| w.f32(f32::NAN)), [0xf9, 0x7e, 0x00]);
        assert_eq!(written(|w| w.f64(f64::INFINITY)), [0xf9, 0x7c, 0x00]);
        assert_eq!(written(|w| w.f32(f32::INFINITY)), [0xf9, 0x7c, 0x00]);
        assert_eq!(written(|w| w.f64(f64::NEG_INFINITY)), [0xf9, 0xfc, 0x00]);
        assert_eq!(written(|w| w.f32(f32::NEG_INFINITY)), [0xf9, 0xfc, 0x00]);
        // Ordinary values keep their type's width, even when a narrower one would hold them.
        assert_eq!(written(|w| w.f32(1.5)), [0xfa, 0x3f, 0xc0, 0, 0]);
        assert_eq!(
            written(|w| w.f64(1.5)),
            [0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0]
        );
        assert_eq!(written(|w| w.f64(-0.0)), [0xfb, 0x80, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            written(|w| w.f64(1.1)),
            [0xfb, 0x3f, 0xf1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a]
        );
    }

    #[test]
    fn length_and_emptiness() {
        let mut w = CborWriter::default();
        assert!(w.is_empty());
        assert_eq!(w.len(), 0);
        w.unsigned(500);
        assert!(!w.is_empty());
        assert_eq!(w.len(), 3);
        assert_eq!(w.as_bytes(), [0x19, 0x01, 0xf4]);
        assert_eq!(CborWriter::with_capacity(8), CborWriter::new());
    }
}
