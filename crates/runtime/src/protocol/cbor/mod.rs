//! CBOR ([RFC 8949]), the format of the `smithy-rpc-v2-cbor` protocol, hand-written: a pull
//! [`CborReader`] and a [`CborWriter`] that know data items (integers, strings, arrays,
//! maps, tags, simple values, floats), and on top of them [`decode`] and [`encode`], which
//! walk values through their schemas for the codec ([`super::rpc_v2_cbor`]).
//!
//! - [`reader`]: reads one item at a time, borrowing definite-length strings from the buffer;
//!   refuses truncated input, reserved and indefinite-length heads where RFC 8949 has none,
//!   malformed indefinite-length strings, text that is not UTF-8, simple values other than
//!   `false`, `true`, `null` and `undefined`, and lengths the buffer cannot hold. It never
//!   panics and never recurses, so hostile or deeply nested input costs an error, not a
//!   crash; [`CborReader::skip`] passes over a whole item of any depth in a loop.
//! - [`writer`]: writes the shortest head for every integer, length and tag, and floats as
//!   botocore does (NaN and the infinities as half floats, everything else at the width of
//!   its type).
//! - [`decode`]: a map into any structure (keys are member names; integers must fit their
//!   member; nesting bounded). [`encode`]: any structure as a map.
//!
//! The conformance suite `tests/fixtures/cbor/` (botocore's decode tests) runs against the
//! reader in `stratus-tests` (`conformance::cbor`).
//!
//! [RFC 8949]: https://www.rfc-editor.org/rfc/rfc8949.html

pub mod decode;
pub mod encode;
pub mod reader;
pub mod writer;

pub use reader::{CborError, CborReader, Item};
pub use writer::CborWriter;

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    /// Everything the writer writes, the reader reads back: item by item, and skipped whole.
    #[test]
    fn writer_output_reads_back() {
        let mut w = CborWriter::new();
        w.indefinite_map();
        w.text("Int");
        w.integer(-65537);
        w.text("List");
        w.array(3);
        w.unsigned(u64::from(u32::MAX) + 1);
        w.bytes(b"\x00\xff");
        w.f32(f32::NAN);
        w.text("Time");
        w.tag(1);
        w.f64(1.5e9);
        w.end();
        let bytes = w.finish();

        let mut r = CborReader::new(&bytes);
        let expected = [
            Item::Map(None),
            Item::Text(Cow::Borrowed("Int")),
            Item::Negative(65536),
            Item::Text(Cow::Borrowed("List")),
            Item::Array(Some(3)),
            Item::Unsigned(1 << 32),
            Item::Bytes(Cow::Borrowed(b"\x00\xff")),
        ];
        for item in expected {
            assert_eq!(r.next().unwrap(), item);
        }
        assert!(matches!(r.next().unwrap(), Item::Float(x) if x.is_nan()));
        assert_eq!(r.next().unwrap(), Item::Text(Cow::Borrowed("Time")));
        assert_eq!(r.next().unwrap(), Item::Tag(1));
        assert_eq!(r.next().unwrap(), Item::Float(1.5e9));
        assert!(r.peek_break().unwrap());
        assert!(r.is_at_end());

        let mut r = CborReader::new(&bytes);
        r.skip().unwrap();
        assert!(r.is_at_end());
        assert_eq!(r.offset(), bytes.len());
    }

    #[test]
    fn errors_name_the_offset() {
        let e = CborReader::new(&[0x1c]).next().unwrap_err();
        assert_eq!(e.offset, 0);
        assert!(e.to_string().starts_with("CBOR at byte 0: "), "{e}");
    }
}
