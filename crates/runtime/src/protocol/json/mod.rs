//! JSON bodies, shared by the JSON protocols (`json` 1.0/1.1 and `rest-json`): a
//! schema-driven [reader] and [writer], and the [error] envelope.
//!
//! Both follow botocore's `JSONSerializer` and `BaseJSONParser`:
//!
//! * A member's key is its `locationName`, else its name.
//! * Timestamps are epoch seconds unless the member says otherwise (`iso8601` and `rfc822`
//!   timestamps are strings); blobs are base64 strings; documents are any JSON.
//! * A union is an object with one key; a key the SDK does not know makes it `Unknown`.
//! * Sparse lists and maps keep `null` entries; elsewhere a `null` is an absent value.
//! * Floats `NaN`, `Infinity` and `-Infinity` are the strings of those names.

pub mod error;
mod parser;
pub mod reader;
pub mod writer;

pub use reader::{read_document, read_struct, read_value};
pub use writer::JsonWriter;

pub use super::MAX_DEPTH;
