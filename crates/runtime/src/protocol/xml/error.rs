//! The envelopes AWS puts XML errors in, shared by query, ec2 and rest-xml:
//!
//! ```text
//! <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>   query, CloudFront, Route53
//! <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>   ec2
//! <Error><Code/><Message/><RequestId/><HostId/>...</Error>                             S3, and some query services
//! ```
//!
//! `find_error` finds the `<Error>` element of any of them and hands it to a visitor, which
//! reads either the code, message and request id (`ErrorFields`) or a modeled exception's
//! members.

use super::{Element, XmlDecoder, XmlError};

/// Code, message and request id of an `<Error>` element.
#[derive(Default)]
pub(crate) struct ErrorFields {
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
}

impl ErrorFields {
    /// Reads the fields of `error` (through its end tag). Both `Message` and `message` are
    /// read, as services spell it either way.
    pub fn read<'a>(
        &mut self,
        decoder: &mut XmlDecoder<'a>,
        error: &Element<'a>,
    ) -> Result<(), XmlError> {
        if error.is_empty() {
            return Ok(());
        }
        while let Some(field) = decoder.next_child()? {
            let slot = match field.local_name() {
                b"Code" => &mut self.code,
                b"Message" | b"message" => &mut self.message,
                b"RequestId" => &mut self.request_id,
                _ => {
                    decoder.skip(&field)?;
                    continue;
                }
            };
            *slot = Some(decoder.text(&field)?.trim().to_string());
        }
        Ok(())
    }
}

/// What reads an `<Error>` element: it must read it through its end tag.
pub(crate) type ErrorVisitor<'v, 'a> =
    dyn FnMut(&mut XmlDecoder<'a>, &Element<'a>) -> Result<(), XmlError> + 'v;

/// Finds the first `<Error>` of an error body (the root itself, a child of the root, or a child
/// of the root's `<Errors>`) and hands it to `visit`. Returns whether there was one, and the
/// request id beside it (`RequestId` or ec2's `RequestID`).
pub(crate) fn find_error<'a>(
    decoder: &mut XmlDecoder<'a>,
    visit: &mut ErrorVisitor<'_, 'a>,
) -> Result<(bool, Option<String>), XmlError> {
    let Some(root) = decoder.root()? else {
        return Ok((false, None));
    };
    if root.local_name() == b"Error" {
        visit(decoder, &root)?;
        return Ok((true, None));
    }
    let (mut found, mut request_id) = (false, None);
    if root.is_empty() {
        return Ok((found, request_id));
    }
    while let Some(child) = decoder.next_child()? {
        match child.local_name() {
            b"Error" if !found => {
                visit(decoder, &child)?;
                found = true;
            }
            b"Errors" if !found && !child.is_empty() => {
                while let Some(error) = decoder.next_child()? {
                    if error.local_name() == b"Error" && !found {
                        visit(decoder, &error)?;
                        found = true;
                    } else {
                        decoder.skip(&error)?;
                    }
                }
            }
            b"RequestId" | b"RequestID" => {
                request_id = Some(decoder.text(&child)?.trim().to_string());
            }
            _ => decoder.skip(&child)?,
        }
    }
    Ok((found, request_id))
}

/// The code, message and request id of an XML error body, or why it is not one.
pub(crate) fn read_error_fields(body: &[u8]) -> Result<(ErrorFields, Option<String>), XmlError> {
    let mut fields = ErrorFields::default();
    let mut decoder = XmlDecoder::new(body);
    let (found, outer_id) = find_error(&mut decoder, &mut |decoder, error| {
        fields.read(decoder, error)
    })?;
    match &fields.code {
        Some(code) if found && !code.is_empty() => Ok((fields, outer_id)),
        _ => Err(XmlError::new(
            "the error response has no <Error> with a <Code>",
        )),
    }
}
