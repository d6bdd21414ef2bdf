//! The error envelope of the JSON protocols: which exception an error response is, and its
//! message.
//!
//! The code comes from the `X-Amzn-ErrorType` header, else the body's `__type`, else its
//! `code` (or `Code`); `protocol::error_code` strips what surrounds the name. The
//! message is the body's `message`, `Message` or `errorMessage`. A body that is not JSON is
//! kept as the message, as botocore keeps it, and the status code becomes the code.

use crate::document::Document;
use crate::protocol::{HttpResponse, error_code, header_request_id};

/// What a JSON error response says.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct JsonErrorFields {
    /// The code, as the response names it (namespace and suffix not yet stripped).
    pub code: Option<String>,
    pub message: Option<String>,
}

/// Reads the code and message of a JSON error body (`body_codes` lists the body keys that
/// may carry the code, in order of preference).
pub fn read_error_fields(response: &HttpResponse, body_codes: &[&str]) -> JsonErrorFields {
    let header_code = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response.body();
    let document = if body.trim_ascii().is_empty() {
        Ok(Document::Null)
    } else {
        super::read_document(body)
    };
    let (body_code, message) = match document {
        Ok(Document::Object(entries)) => {
            let text = |key: &str| {
                entries
                    .get(key)
                    .and_then(Document::as_str)
                    .map(str::to_string)
            };
            (
                body_codes.iter().find_map(|key| text(key)),
                ["message", "Message", "errorMessage"]
                    .iter()
                    .find_map(|key| text(key)),
            )
        }
        Ok(_) => (None, None),
        Err(_) => (None, Some(String::from_utf8_lossy(body).into_owned())),
    };
    JsonErrorFields {
        code: header_code.or(body_code),
        message,
    }
}

/// The code, message and request id of a JSON error response. A response without a code
/// takes its status as the code, as botocore does.
pub fn parse_error(response: &HttpResponse, body_codes: &[&str]) -> crate::protocol::ErrorResponse {
    let fields = read_error_fields(response, body_codes);
    let code = match &fields.code {
        Some(code) => error_code(code).to_string(),
        None => response.status().as_str().to_string(),
    };
    let (code, query_error_code) = crate::protocol::query_compatible_code(response, code);
    crate::protocol::ErrorResponse {
        code,
        message: fields.message,
        request_id: header_request_id(response),
        query_error_code,
    }
}
