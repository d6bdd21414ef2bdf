//! The runtime of the Stratus AWS SDK.
//!
//! Generated service crates are data and plain types: a static [`schema::Schema`] per shape,
//! a static [`operation::Operation`] per operation, and tiny accessors
//! ([`value::StructValue`]) through which the runtime reads and writes values. Everything
//! that is logic — protocols, signing, endpoints, retries, pagination, waiters, `Debug` with
//! redaction — lives here, once.

pub mod bytestream;
#[cfg(feature = "checksums")]
pub mod checksum;
pub mod client;
pub mod config;
pub mod credentials;
mod customize;
pub mod datetime;
pub mod debug;
pub mod document;
#[cfg(feature = "model")]
pub mod dynamic;
pub mod endpoint;
pub mod error;
pub mod jmespath;
mod key_cache;
#[cfg(feature = "model")]
pub mod model;
pub mod operation;
pub mod paginate;
pub mod pipeline;
pub mod profile;
pub mod protocol;
pub mod retry;
pub mod schema;
pub mod sigv4;
#[cfg(feature = "sigv4a")]
pub mod sigv4a;
pub mod transport;
pub mod value;
pub mod waiter;

pub use bytestream::ByteStream;
pub use client::{ClientHandle, PresignedRequest};
pub use config::Config;
pub use credentials::Credentials;
pub use datetime::DateTime;
pub use document::Document;
pub use error::SdkError;
pub use operation::{Operation, OperationError, ServiceError, ServiceInfo};
pub use schema::{Member, Schema};

/// Binary data (`blob` shapes).
pub type Blob = bytes::Bytes;
