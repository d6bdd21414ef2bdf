//! A pull reader over one CBOR buffer ([RFC 8949]).
//!
//! [`CborReader::next`] returns one [`Item`] at a time: a scalar, the head of an array, map or
//! tag (whose contents follow as further items), or the `break` that closes an
//! indefinite-length container. Definite-length strings are borrowed from the buffer;
//! indefinite-length strings (a sequence of chunks) are concatenated, borrowing still when
//! only one chunk has bytes. [`CborReader::skip`] passes over one complete data item,
//! however deeply nested, with a counter and an explicit stack of open indefinite-length
//! containers instead of recursion.
//!
//! The reader never panics and never recurses, whatever the input; what it refuses is an
//! error naming the byte offset of the item:
//!
//! - an item cut short by the end of the buffer (a head's argument, a string's bytes, a
//!   float's bits);
//! - the reserved additional information values 28, 29 and 30 (RFC 8949 §3);
//! - additional information 31 (indefinite length) on major types 0, 1 and 6 (§3.2.4: only
//!   strings, arrays and maps have an indefinite-length form);
//! - an indefinite-length string whose chunks are not definite-length strings of the same
//!   major type (§3.2.3), or text that is not UTF-8 (each chunk on its own, as §3.2.3
//!   requires);
//! - simple values other than `false`, `true`, `null` and `undefined` (20 to 23): the
//!   unassigned ones, and the two-byte form (additional information 24), which is not
//!   well-formed below 32 (§3.3) and carries no value this SDK knows above;
//! - a declared length that cannot fit in the rest of the buffer: a string longer than the
//!   bytes left, an array of more items than bytes left, a map of more pairs than half the
//!   bytes left. So a caller may reserve capacity from a declared length: it is bounded by
//!   the buffer.
//!
//! The reader does not check what the codec above it checks: whether a `break` is where one
//! may stand when read with [`CborReader::next`] (it is returned as [`Item::Break`]), that map
//! keys are unique, or what tags mean. [`CborReader::skip`] does check the structure of what
//! it skips: a `break` only closes an indefinite-length container, and never after a map key.
//!
//! After an error, the reader's position is unspecified; the buffer should be given up.
//!
//! [RFC 8949]: https://www.rfc-editor.org/rfc/rfc8949.html

use std::borrow::Cow;

/// The major types of RFC 8949 §3.1.
const UNSIGNED: u8 = 0;
const NEGATIVE: u8 = 1;
const BYTES: u8 = 2;
const TEXT: u8 = 3;
const ARRAY: u8 = 4;
const MAP: u8 = 5;
const TAG: u8 = 6;
const SIMPLE: u8 = 7;

/// The `break` stop code: major type 7, additional information 31.
const BREAK: u8 = 0xff;

/// One data item, or the head of one, as [`CborReader::next`] reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<'a> {
    /// An unsigned integer (major type 0).
    Unsigned(u64),
    /// A negative integer (major type 1): the value is -1 - n.
    Negative(u64),
    /// A byte string (major type 2). An indefinite-length one is its chunks concatenated.
    Bytes(Cow<'a, [u8]>),
    /// A text string (major type 3), checked to be UTF-8. An indefinite-length one is its
    /// chunks concatenated.
    Text(Cow<'a, str>),
    /// The head of an array (major type 4) of that many items; `None` is indefinite length:
    /// the items end with an [`Item::Break`].
    Array(Option<u64>),
    /// The head of a map (major type 5) of that many key/value pairs; `None` is indefinite
    /// length: the pairs end with an [`Item::Break`].
    Map(Option<u64>),
    /// A tag (major type 6) with its number; the tagged item follows.
    Tag(u64),
    /// `false` or `true` (simple values 20 and 21).
    Bool(bool),
    /// `null` (simple value 22).
    Null,
    /// `undefined` (simple value 23).
    Undefined,
    /// A half-, single- or double-precision float, widened to `f64` (exactly: every half and
    /// single value, subnormals, infinities and NaN payloads included, has an `f64`).
    Float(f64),
    /// The `break` stop code (0xFF) closing an indefinite-length array or map.
    Break,
}

/// Why a buffer is not CBOR the reader accepts, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("CBOR at byte {offset}: {message}")]
pub struct CborError {
    /// The offset in the buffer of the item (or chunk) in error.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl CborError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        CborError {
            offset,
            message: message.into(),
        }
    }
}

/// A pull reader over one CBOR buffer; never panics on any input, never recurses.
#[derive(Debug, Clone)]
pub struct CborReader<'a> {
    buf: &'a [u8],
    pos: usize,
}

/// The head of a data item: major type, additional information and argument (`None` for
/// the indefinite-length marker, additional information 31).
#[derive(Debug, Clone, Copy)]
struct Head {
    start: usize,
    major: u8,
    info: u8,
    arg: Option<u64>,
}

impl<'a> CborReader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        CborReader { buf, pos: 0 }
    }

    /// Whether every byte of the buffer has been read.
    pub fn is_at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// The offset of the next byte to read.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// The bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Reads the next item. Arrays, maps and tags are returned as their heads: the items
    /// they hold are read by the following calls. See the module docs for what is refused.
    #[allow(clippy::should_implement_trait)] // fallible, borrows the buffer: not an Iterator
    pub fn next(&mut self) -> Result<Item<'a>, CborError> {
        let head = self.head()?;
        self.item(head)
    }

    /// Whether the next byte is a `break` (0xFF); if it is, it is consumed. At the end of the
    /// buffer this is an error: an open indefinite-length container expects its items or its
    /// `break`.
    pub fn peek_break(&mut self) -> Result<bool, CborError> {
        match self.buf.get(self.pos) {
            Some(&BREAK) => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) => Ok(false),
            None => Err(CborError::new(
                self.pos,
                "unexpected end of input: expected an item or a break",
            )),
        }
    }

    /// Skips one complete data item: a scalar, a string, or an array, map or tag with
    /// everything inside it, however deeply nested. It runs in a loop, with one counter of
    /// the items owed by definite-length containers and a stack entry per open
    /// indefinite-length container, so nesting costs no stack. Skipped text is checked to be
    /// UTF-8, as [`CborReader::next`] would.
    pub fn skip(&mut self) -> Result<(), CborError> {
        /// An open indefinite-length container.
        struct Open {
            /// The items still owed in the enclosing container when this one opened.
            outer_owed: u64,
            is_map: bool,
            /// A map whose last direct child was a key (so a `break` now is an error).
            after_key: bool,
            start: usize,
        }
        // Items still to skip in the innermost open container (or at the top level):
        // definite-length containers and tags add theirs to it.
        let mut owed: u64 = 1;
        let mut open: Vec<Open> = Vec::new();
        loop {
            if owed == 0 {
                let Some(container) = open.last_mut() else {
                    return Ok(());
                };
                if self.is_at_end() {
                    return Err(CborError::new(
                        container.start,
                        format!(
                            "unexpected end of input: an indefinite-length {} has no break",
                            if container.is_map { "map" } else { "array" }
                        ),
                    ));
                }
                if self.peek_break()? {
                    if container.after_key {
                        return Err(CborError::new(
                            self.pos - 1,
                            "break after a map key, where its value should be",
                        ));
                    }
                    owed = container.outer_owed;
                    open.pop();
                    continue;
                }
                container.after_key = container.is_map && !container.after_key;
                owed = 1;
            }
            let head = self.head()?;
            owed -= 1;
            let added = match (head.major, head.arg) {
                (BYTES | TEXT, Some(len)) => {
                    let bytes = self.take(head.start, len)?;
                    if head.major == TEXT {
                        utf8(head.start, bytes)?;
                    }
                    0
                }
                (BYTES | TEXT, None) => {
                    self.chunks(head, |_| ())?;
                    0
                }
                (ARRAY, Some(n)) => self.check_count(head.start, n, 1)?,
                (MAP, Some(n)) => self.check_count(head.start, n, 2)?,
                (ARRAY | MAP, None) => {
                    open.push(Open {
                        outer_owed: owed,
                        is_map: head.major == MAP,
                        after_key: false,
                        start: head.start,
                    });
                    owed = 0;
                    0
                }
                (TAG, _) => {
                    self.item(head)?;
                    1
                }
                _ => match self.item(head)? {
                    Item::Break => {
                        return Err(CborError::new(
                            head.start,
                            "unexpected break outside an indefinite-length array or map",
                        ));
                    }
                    _ => 0,
                },
            };
            // Every owed item needs at least one byte: more than the bytes left is refused
            // here rather than at the end of the buffer (and the counter cannot overflow).
            owed = match owed.checked_add(added) {
                Some(n) if n <= self.remaining() as u64 => n,
                _ => {
                    return Err(CborError::new(
                        head.start,
                        "the declared lengths of the nested items exceed the rest of the buffer",
                    ));
                }
            };
        }
    }

    /// Reads the head of the next item: the initial byte and the argument that follows it.
    fn head(&mut self) -> Result<Head, CborError> {
        let start = self.pos;
        let Some(&initial) = self.buf.get(start) else {
            return Err(CborError::new(start, "unexpected end of input"));
        };
        let major = initial >> 5;
        let info = initial & 0x1f;
        self.pos += 1;
        let arg = match info {
            0..=23 => Some(u64::from(info)),
            24..=27 => {
                let width = 1usize << (info - 24);
                let bytes = self.take(start, width as u64)?;
                Some(bytes.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b)))
            }
            28..=30 => {
                return Err(CborError::new(
                    start,
                    format!(
                        "reserved additional information {info} (initial byte 0x{initial:02x})"
                    ),
                ));
            }
            _ => None,
        };
        if arg.is_none() && matches!(major, UNSIGNED | NEGATIVE | TAG) {
            return Err(CborError::new(
                start,
                format!(
                    "indefinite length on major type {major} (initial byte 0x{initial:02x}), \
                     which has none"
                ),
            ));
        }
        Ok(Head {
            start,
            major,
            info,
            arg,
        })
    }

    /// The item a head starts, reading what follows it for strings (and nothing for
    /// containers and tags).
    fn item(&mut self, head: Head) -> Result<Item<'a>, CborError> {
        let Head {
            start,
            major,
            info,
            arg,
        } = head;
        Ok(match (major, arg) {
            (UNSIGNED, Some(n)) => Item::Unsigned(n),
            (NEGATIVE, Some(n)) => Item::Negative(n),
            (BYTES, Some(len)) => Item::Bytes(Cow::Borrowed(self.take(start, len)?)),
            (TEXT, Some(len)) => Item::Text(Cow::Borrowed(utf8(start, self.take(start, len)?)?)),
            (BYTES, None) => {
                let mut joined = Joined::Empty;
                self.chunks(head, |chunk| joined.push(chunk))?;
                Item::Bytes(joined.into_cow())
            }
            (TEXT, None) => {
                let mut joined = Joined::Empty;
                self.chunks(head, |chunk| joined.push(chunk))?;
                // Each chunk was checked on its own, so the whole is UTF-8.
                Item::Text(match joined.into_cow() {
                    Cow::Borrowed(b) => Cow::Borrowed(utf8(start, b)?),
                    Cow::Owned(v) => Cow::Owned(
                        String::from_utf8(v)
                            .map_err(|_| CborError::new(start, "text is not UTF-8"))?,
                    ),
                })
            }
            (ARRAY, n) => {
                if let Some(n) = n {
                    self.check_count(start, n, 1)?;
                }
                Item::Array(n)
            }
            (MAP, n) => {
                if let Some(n) = n {
                    self.check_count(start, n, 2)?;
                }
                Item::Map(n)
            }
            (TAG, Some(n)) => Item::Tag(n),
            (SIMPLE, _) => match info {
                20 => Item::Bool(false),
                21 => Item::Bool(true),
                22 => Item::Null,
                23 => Item::Undefined,
                24 => {
                    let value = arg.unwrap_or_default();
                    return Err(CborError::new(
                        start,
                        if value < 32 {
                            format!(
                                "simple value {value} in the two-byte form, which is not \
                                 well-formed below 32"
                            )
                        } else {
                            format!("unsupported simple value {value}")
                        },
                    ));
                }
                25 => Item::Float(half_to_f64(arg.unwrap_or_default() as u16)),
                26 => Item::Float(single_to_f64(arg.unwrap_or_default() as u32)),
                27 => Item::Float(f64::from_bits(arg.unwrap_or_default())),
                31 => Item::Break,
                _ => {
                    return Err(CborError::new(
                        start,
                        format!("unsupported simple value {info}"),
                    ));
                }
            },
            // Indefinite integers and tags were refused by `head`.
            _ => {
                return Err(CborError::new(
                    start,
                    format!("indefinite length on major type {major}"),
                ));
            }
        })
    }

    /// Reads the chunks of an indefinite-length string up to its `break`, handing each to
    /// `each`. Each chunk must be a definite-length string of the same major type; text
    /// chunks must each be UTF-8.
    fn chunks(&mut self, head: Head, mut each: impl FnMut(&'a [u8])) -> Result<(), CborError> {
        loop {
            let chunk_start = self.pos;
            match self.buf.get(chunk_start) {
                None => {
                    return Err(CborError::new(
                        head.start,
                        "unexpected end of input: an indefinite-length string has no break",
                    ));
                }
                Some(&BREAK) => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(_) => {}
            }
            let chunk = self.head()?;
            let Some(len) = chunk.arg.filter(|_| chunk.major == head.major) else {
                return Err(CborError::new(
                    chunk_start,
                    format!(
                        "a chunk of an indefinite-length {} must be a definite-length {} \
                         (found major type {}{})",
                        if head.major == TEXT {
                            "text string"
                        } else {
                            "byte string"
                        },
                        if head.major == TEXT {
                            "text string"
                        } else {
                            "byte string"
                        },
                        chunk.major,
                        if chunk.arg.is_none() {
                            ", indefinite length"
                        } else {
                            ""
                        },
                    ),
                ));
            };
            let bytes = self.take(chunk_start, len)?;
            if head.major == TEXT {
                utf8(chunk_start, bytes)?;
            }
            each(bytes);
        }
    }

    /// Takes `len` bytes, or fails (before anything is allocated) when fewer are left.
    fn take(&mut self, start: usize, len: u64) -> Result<&'a [u8], CborError> {
        let left = self.remaining();
        match usize::try_from(len) {
            Ok(len) if len <= left => {
                let bytes = &self.buf[self.pos..self.pos + len];
                self.pos += len;
                Ok(bytes)
            }
            _ => Err(CborError::new(
                start,
                format!("unexpected end of input: {len} bytes declared, {left} left"),
            )),
        }
    }

    /// Refuses a container of `n` entries of `per` items each that the rest of the buffer
    /// cannot hold (every item takes at least one byte); returns the items it owes.
    fn check_count(&self, start: usize, n: u64, per: u64) -> Result<u64, CborError> {
        match n.checked_mul(per) {
            Some(items) if items <= self.remaining() as u64 => Ok(items),
            _ => Err(CborError::new(
                start,
                format!(
                    "{} of {n} {} declared, but only {} bytes are left",
                    if per == 1 { "an array" } else { "a map" },
                    if per == 1 { "items" } else { "pairs" },
                    self.remaining()
                ),
            )),
        }
    }
}

/// The chunks of an indefinite-length string: borrowed while at most one has bytes.
enum Joined<'a> {
    Empty,
    One(&'a [u8]),
    Many(Vec<u8>),
}

impl<'a> Joined<'a> {
    fn push(&mut self, chunk: &'a [u8]) {
        if chunk.is_empty() {
            return;
        }
        *self = match std::mem::replace(self, Joined::Empty) {
            Joined::Empty => Joined::One(chunk),
            Joined::One(first) => {
                let mut all = Vec::with_capacity(first.len() + chunk.len());
                all.extend_from_slice(first);
                all.extend_from_slice(chunk);
                Joined::Many(all)
            }
            Joined::Many(mut all) => {
                all.extend_from_slice(chunk);
                Joined::Many(all)
            }
        };
    }

    fn into_cow(self) -> Cow<'a, [u8]> {
        match self {
            Joined::Empty => Cow::Borrowed(&[]),
            Joined::One(bytes) => Cow::Borrowed(bytes),
            Joined::Many(all) => Cow::Owned(all),
        }
    }
}

/// `bytes` as text, or an error at `offset`.
fn utf8(offset: usize, bytes: &[u8]) -> Result<&str, CborError> {
    std::str::from_utf8(bytes).map_err(|e| {
        CborError::new(
            offset,
            format!("text is not UTF-8 (at byte {} of it)", e.valid_up_to()),
        )
    })
}

/// An IEEE 754 half-precision float widened to `f64`: subnormals, infinities and NaN (with
/// its sign and payload) included.
pub fn half_to_f64(bits: u16) -> f64 {
    let negative = bits & 0x8000 != 0;
    let exponent = (bits >> 10) & 0x1f;
    let mantissa = u64::from(bits & 0x3ff);
    let magnitude = match exponent {
        // Subnormal (and zero): mantissa × 2^-24, exact in f64.
        0 => mantissa as f64 * f64::from_bits(0x3e70_0000_0000_0000),
        31 => {
            // Infinity or NaN: the payload moves to the top of the f64 mantissa.
            return f64::from_bits((u64::from(negative) << 63) | (0x7ff << 52) | (mantissa << 42));
        }
        // Normal: rebias the exponent (15 -> 1023).
        _ => f64::from_bits(((u64::from(exponent) + 1023 - 15) << 52) | (mantissa << 42)),
    };
    if negative { -magnitude } else { magnitude }
}

/// An IEEE 754 single-precision float widened to `f64`; a NaN keeps its sign and payload
/// bits (a signalling NaN stays signalling, which a hardware conversion may not do).
pub fn single_to_f64(bits: u32) -> f64 {
    let x = f32::from_bits(bits);
    if x.is_nan() {
        f64::from_bits(
            (u64::from(bits >> 31) << 63) | (0x7ff << 52) | (u64::from(bits & 0x7f_ffff) << 29),
        )
    } else {
        f64::from(x)
    }
}

#[cfg(test)]
mod tests {
    use super::super::writer::CborWriter;
    use super::*;

    fn read_all(buf: &[u8]) -> Result<Vec<Item<'_>>, CborError> {
        let mut reader = CborReader::new(buf);
        let mut items = Vec::new();
        while !reader.is_at_end() {
            items.push(reader.next()?);
        }
        Ok(items)
    }

    fn one(buf: &[u8]) -> Item<'_> {
        let mut reader = CborReader::new(buf);
        let item = reader.next().unwrap();
        assert!(reader.is_at_end(), "{buf:02x?} has bytes left");
        item
    }

    fn err(buf: &[u8]) -> CborError {
        let mut reader = CborReader::new(buf);
        loop {
            match reader.next() {
                Ok(_) if reader.is_at_end() => panic!("{buf:02x?} read without an error"),
                Ok(_) => {}
                Err(e) => return e,
            }
        }
    }

    #[test]
    fn unsigned_round_trips_at_every_width_boundary() {
        let cases: [(u64, usize); 10] = [
            (0, 1),
            (23, 1),
            (24, 2),
            (255, 2),
            (256, 3),
            (65535, 3),
            (65536, 5),
            (u64::from(u32::MAX), 5),
            (u64::from(u32::MAX) + 1, 9),
            (u64::MAX, 9),
        ];
        for (n, len) in cases {
            let mut w = CborWriter::new();
            w.unsigned(n);
            let bytes = w.finish();
            assert_eq!(bytes.len(), len, "{n} encodes in {len} bytes");
            assert_eq!(one(&bytes), Item::Unsigned(n));
        }
    }

    #[test]
    fn integers_round_trip_including_i64_min() {
        for n in [
            0,
            -1,
            -24,
            -25,
            -256,
            -257,
            -65537,
            i64::from(i32::MIN),
            i64::MIN,
            i64::MAX,
            23,
            24,
        ] {
            let mut w = CborWriter::new();
            w.integer(n);
            let bytes = w.finish();
            let expected = if n >= 0 {
                Item::Unsigned(n as u64)
            } else {
                Item::Negative(!(n as u64))
            };
            assert_eq!(one(&bytes), expected, "{n}");
        }
        let mut w = CborWriter::new();
        w.integer(i64::MIN);
        assert_eq!(
            w.finish(),
            [0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
        // -1 - (2^64 - 1) = -2^64, the smallest CBOR integer.
        assert_eq!(
            one(&[0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            Item::Negative(u64::MAX)
        );
    }

    #[test]
    fn strings_round_trip_borrowed() {
        let mut w = CborWriter::new();
        w.text("héllo");
        w.bytes(&[0, 1, 2, 255]);
        w.text("");
        let long = "x".repeat(300);
        w.text(&long);
        let bytes = w.finish();
        let items = read_all(&bytes).unwrap();
        assert!(matches!(&items[0], Item::Text(Cow::Borrowed("héllo"))));
        assert!(matches!(
            &items[1],
            Item::Bytes(Cow::Borrowed([0, 1, 2, 255]))
        ));
        assert!(matches!(&items[2], Item::Text(Cow::Borrowed(""))));
        assert!(matches!(&items[3], Item::Text(Cow::Borrowed(s)) if *s == long));
    }

    #[test]
    fn indefinite_strings_are_concatenated() {
        // (_ h'0102', h'', h'03')
        let bytes = [0x5f, 0x42, 1, 2, 0x40, 0x41, 3, 0xff];
        assert_eq!(one(&bytes), Item::Bytes(Cow::Owned(vec![1, 2, 3])));
        // One chunk with bytes: still borrowed.
        let bytes = [0x7f, 0x60, 0x62, b'h', b'i', 0x60, 0xff];
        assert!(matches!(one(&bytes), Item::Text(Cow::Borrowed("hi"))));
        assert_eq!(one(&[0x7f, 0xff]), Item::Text(Cow::Borrowed("")));
    }

    #[test]
    fn containers_tags_and_simple_values() {
        let mut w = CborWriter::new();
        w.array(2);
        w.map(1);
        w.text("k");
        w.null();
        w.indefinite_map();
        w.end();
        w.indefinite_array();
        w.bool(true);
        w.bool(false);
        w.end();
        w.tag(1);
        w.unsigned(1_700_000_000);
        let bytes = w.finish();
        assert_eq!(
            read_all(&bytes).unwrap(),
            vec![
                Item::Array(Some(2)),
                Item::Map(Some(1)),
                Item::Text(Cow::Borrowed("k")),
                Item::Null,
                Item::Map(None),
                Item::Break,
                Item::Array(None),
                Item::Bool(true),
                Item::Bool(false),
                Item::Break,
                Item::Tag(1),
                Item::Unsigned(1_700_000_000),
            ]
        );
        assert_eq!(one(&[0xf7]), Item::Undefined);
    }

    #[test]
    fn floats_round_trip_bitwise() {
        for x in [
            0.0f64,
            -0.0,
            1.5,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            -1.0e300,
        ] {
            let mut w = CborWriter::new();
            w.f64(x);
            let bytes = w.finish();
            assert_eq!(bytes[0], 0xfb);
            let Item::Float(y) = one(&bytes) else {
                panic!()
            };
            assert_eq!(y.to_bits(), x.to_bits(), "{x}");
        }
        for x in [0.0f32, -0.0, 1.625, f32::MIN_POSITIVE, 1e-45, f32::MAX] {
            let mut w = CborWriter::new();
            w.f32(x);
            let bytes = w.finish();
            assert_eq!(bytes[0], 0xfa);
            let Item::Float(y) = one(&bytes) else {
                panic!()
            };
            assert_eq!((y as f32).to_bits(), x.to_bits(), "{x}");
            assert_eq!(y, f64::from(x));
        }
        // Special values come out as half floats and read back.
        let mut w = CborWriter::new();
        w.f64(f64::NAN);
        w.f32(f32::INFINITY);
        w.f64(f64::NEG_INFINITY);
        let bytes = w.finish();
        let items = read_all(&bytes).unwrap();
        assert!(matches!(items[0], Item::Float(x) if x.is_nan()));
        assert_eq!(items[1], Item::Float(f64::INFINITY));
        assert_eq!(items[2], Item::Float(f64::NEG_INFINITY));
    }

    #[test]
    fn half_floats_decode_exactly() {
        let half = |bits: u16| match one(&[0xf9, (bits >> 8) as u8, bits as u8]) {
            Item::Float(x) => x,
            other => panic!("{other:?}"),
        };
        assert_eq!(half(0x0000).to_bits(), 0.0f64.to_bits());
        assert_eq!(half(0x8000).to_bits(), (-0.0f64).to_bits());
        assert_eq!(half(0x3c00), 1.0);
        assert_eq!(half(0x3e00), 1.5);
        assert_eq!(half(0xc400), -4.0);
        assert_eq!(half(0x7bff), 65504.0);
        assert_eq!(half(0x0400), 2f64.powi(-14)); // smallest normal
        assert_eq!(half(0x0001), 2f64.powi(-24)); // smallest subnormal
        assert_eq!(half(0x03ff), 1023.0 * 2f64.powi(-24)); // largest subnormal
        assert_eq!(half(0x8001), -(2f64.powi(-24)));
        assert_eq!(half(0x7c00), f64::INFINITY);
        assert_eq!(half(0xfc00), f64::NEG_INFINITY);
        assert!(half(0x7e00).is_nan());
        assert_eq!(half(0x7e00).to_bits(), 0x7ff8_0000_0000_0000);
        // A signalling NaN keeps its payload and sign.
        assert_eq!(half(0xfc01).to_bits(), 0xfff0_0400_0000_0000);
        // Every half float agrees with a reference computation.
        for bits in 0..=u16::MAX {
            let x = half_to_f64(bits);
            let exponent = i32::from((bits >> 10) & 0x1f);
            let mantissa = f64::from(bits & 0x3ff);
            let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
            let expected = match exponent {
                0 => sign * mantissa * 2f64.powi(-24),
                31 if mantissa == 0.0 => sign * f64::INFINITY,
                31 => f64::NAN,
                e => sign * (1.0 + mantissa / 1024.0) * 2f64.powi(e - 15),
            };
            if expected.is_nan() {
                assert!(x.is_nan(), "{bits:04x}");
            } else {
                assert_eq!(x.to_bits(), expected.to_bits(), "{bits:04x}");
            }
        }
    }

    #[test]
    fn single_nan_keeps_its_payload() {
        let x = single_to_f64(0x7f80_0001);
        assert!(x.is_nan());
        assert_eq!(x.to_bits(), 0x7ff0_0000_2000_0000);
        assert_eq!(single_to_f64(0xffc0_0000).to_bits(), 0xfff8_0000_0000_0000);
    }

    #[test]
    fn truncated_input_is_an_error() {
        for buf in [
            &[][..],
            &[0x18],
            &[0x19, 0],
            &[0x1a, 0, 0, 0],
            &[0x1b, 0, 0, 0, 0, 0, 0, 0],
            &[0x38],
            &[0x42, 1],
            &[0x62, b'a'],
            &[0x5f, 0x41],
            &[0x5f],
            &[0x7f, 0x61, b'a'],
            &[0xd8],
            &[0xf9, 0],
            &[0xfa, 0, 0, 0],
            &[0xfb, 0, 0, 0, 0, 0, 0, 0],
            &[0xf8],
        ] {
            let e = err(buf);
            assert!(e.message.contains("end of input"), "{buf:02x?}: {e}");
        }
        assert_eq!(err(&[0, 0x19, 1]).offset, 1);
    }

    #[test]
    fn reserved_additional_information_is_an_error() {
        for major in 0..8u8 {
            for info in 28..=30u8 {
                let e = err(&[(major << 5) | info, 0, 0, 0, 0, 0, 0, 0, 0]);
                assert!(e.message.contains("reserved"), "{e}");
                assert_eq!(e.offset, 0);
            }
        }
    }

    #[test]
    fn indefinite_length_integers_and_tags_are_errors() {
        for initial in [0x1f, 0x3f, 0xdf] {
            let e = err(&[initial, 0]);
            assert!(e.message.contains("indefinite length"), "{e}");
        }
    }

    #[test]
    fn simple_values_other_than_20_to_23_are_errors() {
        for info in 0..20u8 {
            let e = err(&[0xe0 | info]);
            assert!(e.message.contains("simple value"), "{e}");
        }
        for value in [0u8, 20, 23, 31] {
            let e = err(&[0xf8, value]);
            assert!(e.message.contains("not well-formed"), "{e}");
        }
        for value in [32u8, 255] {
            let e = err(&[0xf8, value]);
            assert!(e.message.contains("unsupported simple value"), "{e}");
        }
    }

    #[test]
    fn bad_chunks_of_indefinite_strings_are_errors() {
        for buf in [
            &[0x5f, 0x5f, 0xff, 0xff][..], // nested indefinite
            &[0x7f, 0x7f, 0xff, 0xff],
            &[0x5f, 0x60, 0xff], // text chunk in bytes
            &[0x7f, 0x40, 0xff], // bytes chunk in text
            &[0x5f, 0x01, 0xff], // integer chunk
            &[0x7f, 0x80, 0xff], // array chunk
        ] {
            let e = err(buf);
            assert!(e.message.contains("chunk"), "{buf:02x?}: {e}");
            assert_eq!(e.offset, 1);
        }
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        assert!(err(&[0x62, 0xc3, 0x28]).message.contains("UTF-8"));
        // A code point split across two chunks is not two UTF-8 chunks.
        assert!(
            err(&[0x7f, 0x61, 0xc3, 0x61, 0xa9, 0xff])
                .message
                .contains("UTF-8")
        );
        let mut r = CborReader::new(&[0x81, 0x62, 0xff, 0xfe]);
        r.next().unwrap();
        assert!(r.skip().unwrap_err().message.contains("UTF-8"));
    }

    #[test]
    fn lengths_longer_than_the_buffer_fail_before_allocating() {
        // A byte string, text, array and map each declaring 2^64 - 1 entries.
        for initial in [0x5b, 0x7b, 0x9b, 0xbb] {
            let mut buf = vec![initial];
            buf.extend([0xff; 8]);
            let e = err(&buf);
            assert_eq!(e.offset, 0, "{e}");
        }
        // Exactly enough is fine; one too many is not.
        assert_eq!(one_head(&[0x82, 0, 0]), Item::Array(Some(2)));
        assert!(CborReader::new(&[0x83, 0, 0]).next().is_err());
        assert!(CborReader::new(&[0xa1, 0]).next().is_err());
        let mut r = CborReader::new(&[0xa1, 0, 0]);
        assert_eq!(r.next().unwrap(), Item::Map(Some(1)));
        // A map's pairs take two bytes each.
        let mut buf = vec![0xb9, 0x01, 0x00];
        buf.extend([0u8; 511]);
        assert!(CborReader::new(&buf).next().is_err());
        buf.push(0);
        assert_eq!(one_head(&buf), Item::Map(Some(256)));
    }

    fn one_head(buf: &[u8]) -> Item<'_> {
        CborReader::new(buf).next().unwrap()
    }

    #[test]
    fn peek_break_consumes_only_a_break() {
        let mut r = CborReader::new(&[0x9f, 0x01, 0xff]);
        assert_eq!(r.next().unwrap(), Item::Array(None));
        assert!(!r.peek_break().unwrap());
        assert_eq!(r.offset(), 1);
        assert_eq!(r.next().unwrap(), Item::Unsigned(1));
        assert!(r.peek_break().unwrap());
        assert!(r.is_at_end());
        assert!(r.peek_break().is_err());
    }

    #[test]
    fn skip_passes_over_one_item() {
        let mut w = CborWriter::new();
        w.map(2);
        w.text("a");
        w.indefinite_array();
        w.tag(1);
        w.f64(1.5);
        w.map(0);
        w.indefinite_map();
        w.text("x");
        w.array(1);
        w.bytes(b"zz");
        w.end();
        w.end();
        w.text("b");
        w.tag(2);
        w.tag(3);
        w.null();
        w.unsigned(7);
        let bytes = w.finish();
        let mut r = CborReader::new(&bytes);
        r.skip().unwrap();
        assert_eq!(r.next().unwrap(), Item::Unsigned(7));
        assert!(r.is_at_end());
        // Indefinite strings are skipped chunk by chunk.
        let mut r = CborReader::new(&[0x5f, 0x41, 1, 0xff, 0x7f, 0x61, b'a', 0xff, 0x02]);
        r.skip().unwrap();
        r.skip().unwrap();
        assert_eq!(r.next().unwrap(), Item::Unsigned(2));
    }

    #[test]
    fn skip_refuses_malformed_structure() {
        for buf in [
            &[0xff][..],         // break at top level
            &[0x81, 0xff],       // break in a definite array
            &[0xbf, 0x01, 0xff], // break after a key
            &[0x9f, 0x01],       // no break
            &[0x82, 0x01],       // too few items
            &[0xc1],             // tag without its item
            &[0x82, 0x9f, 0xff], // too few items after an indefinite one
            &[0x81, 0x1c],       // reserved
            &[0x81, 0xf8, 0x20], // two-byte simple value
            &[
                0x9f, 0x81, 0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            ],
        ] {
            let mut r = CborReader::new(buf);
            assert!(r.skip().is_err(), "{buf:02x?}");
        }
        // A break closing an indefinite map after a complete pair is fine.
        let mut r = CborReader::new(&[0xbf, 0x01, 0x02, 0xff]);
        r.skip().unwrap();
        assert!(r.is_at_end());
    }

    #[test]
    fn skip_handles_deep_nesting_without_recursion() {
        const DEPTH: usize = 10_000;
        let mut buf = vec![0x81; DEPTH];
        buf.push(0x00);
        let mut r = CborReader::new(&buf);
        r.skip().unwrap();
        assert!(r.is_at_end());

        let mut buf = vec![0x9f; DEPTH];
        buf.extend(vec![0xff; DEPTH]);
        let mut r = CborReader::new(&buf);
        r.skip().unwrap();
        assert!(r.is_at_end());

        // Alternating indefinite maps and definite arrays, tagged.
        let mut buf = Vec::new();
        for _ in 0..DEPTH {
            buf.extend([0xbf, 0x00, 0xc1, 0x81]);
        }
        buf.push(0xf6);
        buf.extend(vec![0xff; DEPTH]);
        let mut r = CborReader::new(&buf);
        r.skip().unwrap();
        assert!(r.is_at_end());

        // One break short: an error, not an overflow.
        buf.pop();
        assert!(CborReader::new(&buf).skip().is_err());

        // Far deeper than any call stack would take recursively.
        let mut buf = vec![0x81; 1_000_000];
        buf.push(0x00);
        let mut r = CborReader::new(&buf);
        r.skip().unwrap();
        assert!(r.is_at_end());
        let mut buf = vec![0x9f; 200_000];
        buf.extend(vec![0xff; 200_000]);
        let mut r = CborReader::new(&buf);
        r.skip().unwrap();
        assert!(r.is_at_end());
    }

    #[test]
    fn never_panics_on_arbitrary_bytes() {
        // Every one- and two-byte input, and a simple generator's longer inputs.
        let mut inputs: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
        for a in 0..=255u8 {
            for b in [0x00, 0x01, 0x17, 0x18, 0x1f, 0x5f, 0x7f, 0x9f, 0xbf, 0xff] {
                inputs.push(vec![a, b]);
            }
        }
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let len = (state % 24) as usize;
            let mut v = Vec::with_capacity(len);
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                v.push(state as u8);
            }
            inputs.push(v);
        }
        for input in &inputs {
            let mut r = CborReader::new(input);
            while !r.is_at_end() && r.next().is_ok() {}
            let _ = CborReader::new(input).skip();
        }
    }
}
