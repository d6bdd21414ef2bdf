//! Schema-driven XML decoding, shared by the XML protocols (query, ec2, rest-xml).
//!
//! [`XmlDecoder`] pulls events from quick-xml over the response body (a slice, so element
//! names and text borrow from it; text is copied only into the output's strings) and writes
//! what it finds into any [`StructValue`] through its schema. It follows botocore's XML parser:
//!
//! * A member is the child element named by its wire name: `locationName` (on the member, else
//!   on its target shape), else the member name. Namespace prefixes are ignored (local names
//!   are compared), as are elements no member names.
//! * Lists are wrapped (`<Name><member>..</member></Name>`; the element name inside the
//!   wrapper is not checked) or flattened (`flattened` on the member or the list shape: every
//!   `<Name>` is one element). A flattened list is named like any member, except that when
//!   the *list shape* is flattened and the member has no `locationName`, the element's
//!   `locationName` names it (botocore's older models put the name there).
//! * Maps are `<Name><entry><key/><value/></entry></Name>` or, flattened, one `<Name>` per
//!   entry; `locationName` on the key and value renames them. Key and value may come in either
//!   order.
//! * `xmlAttribute` members are read from the start tag's attributes.
//! * A union's child that names no member is a member this SDK does not know: the union
//!   becomes its `Unknown` variant ([`StructValue::set_unknown`]).
//! * Scalars: strings as is (an empty element is `""`), booleans `true`/`false`, integers,
//!   floats (also `NaN`, `Infinity`, `-Infinity`), blobs in base64, timestamps in the member's
//!   `timestampFormat` (ISO 8601 by default) or, failing that, either other format. An empty
//!   element is an empty string or blob; of any other scalar type it leaves the member unset.
//!
//! Malformed XML and values that do not parse are [`XmlError`]s naming the element and the
//! value. Nesting deeper than [`MAX_DEPTH`] is refused, so hostile input cannot exhaust the
//! stack; nothing here panics on input.

use super::{XmlError, element_name, is_flattened};
use crate::protocol::names::{self, XmlLayout};
use crate::protocol::text::{parse_float, parse_timestamp, quote};
use crate::schema::{Member, Schema, ShapeType, TimestampFormat};
use crate::value::{ListValue, MapValue, Scalar, StructValue, Value};
use base64::Engine as _;
use bytes::Bytes;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, BytesText, Event};
use std::borrow::Cow;

/// How deeply aggregates may nest in a response.
pub const MAX_DEPTH: usize = 100;

/// An element whose start tag has just been read.
pub struct Element<'a> {
    start: BytesStart<'a>,
    /// `<name/>`: there is no content and no end tag to read.
    empty: bool,
    /// The offset of the start tag's `<` in the input.
    offset: usize,
}

impl<'a> Element<'a> {
    /// The element's name without its namespace prefix.
    pub fn local_name(&self) -> &[u8] {
        local(self.start.name().into_inner())
    }

    /// Whether the element was written `<name/>` (it has no content).
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// The local name as text, for messages.
    fn display_name(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.local_name())
    }
}

/// A pull decoder over one XML document.
pub struct XmlDecoder<'a> {
    reader: Reader<&'a [u8]>,
    input: &'a [u8],
    /// The input as text when all of it is UTF-8 (checked once, so that each piece of text
    /// is a slice of it rather than checked again); otherwise each piece is checked alone
    /// and the first bad one named.
    input_text: Option<&'a str>,
    depth: usize,
}

/// Where a decoded value goes: asked for only once the value has parsed, so that a scalar that
/// turns out empty leaves an optional member unset.
enum Slot<'s> {
    Member(&'s mut dyn StructValue, usize),
    Push(&'s mut dyn ListValue),
    Entry(&'s mut dyn MapValue, &'s str),
}

impl<'s> Slot<'s> {
    fn get(self) -> Result<&'s mut dyn Value, XmlError> {
        match self {
            Slot::Member(value, index) => {
                let name = value.schema().name;
                value
                    .member_mut(index)
                    .ok_or_else(|| XmlError::new(format!("{name} has no member #{index}")))
            }
            Slot::Push(list) => Ok(list.push_default()),
            Slot::Entry(map, key) => Ok(map.entry_default(key)),
        }
    }
}

impl<'a> XmlDecoder<'a> {
    /// A decoder reading `input` from its start.
    pub fn new(input: &'a [u8]) -> Self {
        let mut reader = Reader::from_reader(input);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        XmlDecoder {
            reader,
            input,
            input_text: std::str::from_utf8(input).ok(),
            depth: 0,
        }
    }

    /// The next event and the offset it starts at.
    fn event(&mut self) -> Result<(Event<'a>, usize), XmlError> {
        let offset = self.position();
        match self.reader.read_event() {
            Ok(event) => Ok((event, offset)),
            Err(e) => Err(XmlError::new(format!(
                "invalid XML at byte {}: {e}",
                self.reader.error_position()
            ))),
        }
    }

    fn position(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    /// The document's root element, or `None` when the document has none (only whitespace,
    /// comments or declarations).
    pub fn root(&mut self) -> Result<Option<Element<'a>>, XmlError> {
        loop {
            match self.event()? {
                (Event::Start(start), offset) => {
                    return Ok(Some(new_element(start, false, offset)));
                }
                (Event::Empty(start), offset) => return Ok(Some(new_element(start, true, offset))),
                (Event::Eof, _) => return Ok(None),
                (Event::Text(text), _) if !is_blank(&text) => {
                    return Err(XmlError::new(format!(
                        "invalid XML: text {} before the root element",
                        quote(&String::from_utf8_lossy(&text))
                    )));
                }
                (Event::End(end), _) => {
                    return Err(XmlError::new(format!(
                        "invalid XML: </{}> before the root element",
                        String::from_utf8_lossy(end.name().into_inner())
                    )));
                }
                _ => {}
            }
        }
    }

    /// The next child of the element being read, or `None` at that element's end tag. Text
    /// between children is ignored.
    pub fn next_child(&mut self) -> Result<Option<Element<'a>>, XmlError> {
        loop {
            match self.event()? {
                (Event::Start(start), offset) => {
                    return Ok(Some(new_element(start, false, offset)));
                }
                (Event::Empty(start), offset) => return Ok(Some(new_element(start, true, offset))),
                (Event::End(_), _) => return Ok(None),
                (Event::Eof, _) => {
                    return Err(XmlError::new(
                        "invalid XML: the document ends inside an element",
                    ));
                }
                _ => {}
            }
        }
    }

    /// Skips an element's content and end tag.
    pub fn skip(&mut self, element: &Element<'a>) -> Result<(), XmlError> {
        if element.empty {
            return Ok(());
        }
        self.reader
            .read_to_end(element.start.name())
            .map(|_| ())
            .map_err(|e| XmlError::new(format!("invalid XML in <{}>: {e}", element.display_name())))
    }

    /// An element's text (entities decoded, CDATA included), reading through its end tag.
    /// Child elements are skipped.
    pub fn text(&mut self, element: &Element<'a>) -> Result<Cow<'a, str>, XmlError> {
        if element.empty {
            return Ok(Cow::Borrowed(""));
        }
        let mut text: Option<Cow<'a, str>> = None;
        loop {
            let piece: Cow<'a, str> = match self.event()? {
                (Event::Text(t), _) => self.unescape(t).map_err(|e| {
                    XmlError::new(format!("invalid text in <{}>: {e}", element.display_name()))
                })?,
                (Event::CData(c), _) => c.decode().map_err(|e| {
                    XmlError::new(format!(
                        "invalid CDATA in <{}>: {e}",
                        element.display_name()
                    ))
                })?,
                (Event::Start(start), offset) => {
                    self.skip(&Element {
                        start,
                        empty: false,
                        offset,
                    })?;
                    continue;
                }
                (Event::End(_), _) => return Ok(text.unwrap_or(Cow::Borrowed(""))),
                (Event::Eof, _) => {
                    return Err(XmlError::new(format!(
                        "invalid XML: the document ends inside <{}>",
                        element.display_name()
                    )));
                }
                _ => continue,
            };
            text = Some(match text {
                None => piece,
                Some(before) => Cow::Owned(before.into_owned() + &piece),
            });
        }
    }

    /// A text event's content with entities decoded, borrowed from the input when it has none.
    fn unescape(&self, text: BytesText<'a>) -> Result<Cow<'a, str>, quick_xml::Error> {
        let piece = match (&*text, self.input_text) {
            (bytes, Some(input)) => (bytes.as_ptr() as usize)
                .checked_sub(input.as_ptr() as usize)
                .and_then(|start| input.get(start..start + bytes.len())),
            _ => None,
        };
        match piece {
            Some(piece) if !piece.contains('&') => Ok(Cow::Borrowed(piece)),
            Some(piece) => Ok(match quick_xml::escape::unescape(piece)? {
                Cow::Borrowed(_) => Cow::Borrowed(piece),
                Cow::Owned(unescaped) => Cow::Owned(unescaped),
            }),
            // Not a slice of the input, or the input is not all UTF-8.
            None => text.unescape(),
        }
    }

    /// Reads the members of `value` from `element` (its attributes and children), through the
    /// schema of `value`.
    ///
    /// `request_id`, when given, receives the text of a `requestId` or `RequestId` child, or of
    /// `ResponseMetadata/RequestId`, that no member claims (where the query and ec2 protocols
    /// put the request id).
    pub fn read_struct(
        &mut self,
        value: &mut dyn StructValue,
        element: &Element<'a>,
        mut request_id: Option<&mut Option<String>>,
    ) -> Result<(), XmlError> {
        let schema = value.schema();
        let layout = names::index(schema).xml(schema, element_name);
        if !layout.attributes.is_empty() {
            read_attributes(value, schema, layout, element)?;
        }
        if element.empty {
            return Ok(());
        }
        self.enter(element)?;
        while let Some(child) = self.next_child()? {
            let Some(index) = layout.elements.find(child.local_name()) else {
                if schema.shape_type == ShapeType::Union {
                    // A member added to the service after this SDK was generated.
                    value.set_unknown(&String::from_utf8_lossy(child.local_name()));
                }
                match request_id.as_deref_mut() {
                    Some(id) => self.read_request_id(&child, id)?,
                    None => self.skip(&child)?,
                }
                continue;
            };
            let member = &schema.members()[index];
            let target = member.target;
            match target.shape_type {
                ShapeType::List if is_flattened(member) => {
                    let element_member = target.list_member().ok_or_else(|| no_member(target))?;
                    let list = list_of(value, index)?;
                    self.read_value(element_member, &child, Slot::Push(list))?;
                }
                ShapeType::Map if is_flattened(member) => {
                    let map = map_of(value, index)?;
                    self.read_entry(map, target, &child)?;
                }
                _ => self.read_value(member, &child, Slot::Member(value, index))?,
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads the request id out of `child` if it is a `requestId`, `RequestId` or
    /// `ResponseMetadata` element, else skips it.
    pub fn read_request_id(
        &mut self,
        child: &Element<'a>,
        request_id: &mut Option<String>,
    ) -> Result<(), XmlError> {
        match child.local_name() {
            b"requestId" | b"RequestId" => {
                *request_id = Some(self.text(child)?.trim().to_string());
            }
            b"ResponseMetadata" if !child.empty => {
                while let Some(field) = self.next_child()? {
                    if field.local_name() == b"RequestId" {
                        *request_id = Some(self.text(&field)?.trim().to_string());
                    } else {
                        self.skip(&field)?;
                    }
                }
            }
            _ => self.skip(child)?,
        }
        Ok(())
    }

    fn enter(&mut self, element: &Element<'a>) -> Result<(), XmlError> {
        if self.depth >= MAX_DEPTH {
            return Err(XmlError::new(format!(
                "<{}> is nested more than {MAX_DEPTH} levels deep",
                element.display_name()
            )));
        }
        self.depth += 1;
        Ok(())
    }

    /// Reads `element` as a value of `member`'s target into `slot`.
    fn read_value(
        &mut self,
        member: &Member,
        element: &Element<'a>,
        slot: Slot<'_>,
    ) -> Result<(), XmlError> {
        let target = member.target;
        let mismatch = || {
            XmlError::new(format!(
                "<{}> cannot be stored: the value does not match shape {}",
                element.display_name(),
                target.name
            ))
        };
        match target.shape_type {
            ShapeType::Structure | ShapeType::Union => {
                let value = slot.get()?.as_struct_mut().ok_or_else(mismatch)?;
                self.read_struct(value, element, None)
            }
            ShapeType::List => {
                let list = slot.get()?.as_list_mut().ok_or_else(mismatch)?;
                self.read_list(list, target, element)
            }
            ShapeType::Map => {
                let map = slot.get()?.as_map_mut().ok_or_else(mismatch)?;
                self.read_map(map, target, element)
            }
            _ => {
                let text = self.text(element)?;
                match parse_scalar(&text, member, element)? {
                    Some(scalar) => slot.get()?.set(scalar).map_err(|e| {
                        XmlError::new(format!(
                            "{} in <{}>: {e}",
                            quote(&text),
                            element.display_name()
                        ))
                    }),
                    None => Ok(()),
                }
            }
        }
    }

    /// A wrapped list: every child of `element` is an element of the list, whatever its name.
    fn read_list(
        &mut self,
        list: &mut dyn ListValue,
        schema: &Schema,
        element: &Element<'a>,
    ) -> Result<(), XmlError> {
        if element.empty {
            return Ok(());
        }
        let member = schema.list_member().ok_or_else(|| no_member(schema))?;
        self.enter(element)?;
        while let Some(child) = self.next_child()? {
            self.read_value(member, &child, Slot::Push(&mut *list))?;
        }
        self.depth -= 1;
        Ok(())
    }

    /// A wrapped map: every child of `element` is an entry.
    fn read_map(
        &mut self,
        map: &mut dyn MapValue,
        schema: &Schema,
        element: &Element<'a>,
    ) -> Result<(), XmlError> {
        if element.empty {
            return Ok(());
        }
        self.enter(element)?;
        while let Some(entry) = self.next_child()? {
            self.read_entry(&mut *map, schema, &entry)?;
        }
        self.depth -= 1;
        Ok(())
    }

    /// One map entry: a key child and a value child, in either order.
    fn read_entry(
        &mut self,
        map: &mut dyn MapValue,
        schema: &Schema,
        entry: &Element<'a>,
    ) -> Result<(), XmlError> {
        let (key_member, value_member) = schema.map_entry().ok_or_else(|| no_member(schema))?;
        if entry.empty {
            return Ok(());
        }
        let key_name = key_member.serialized_name().unwrap_or("key").as_bytes();
        let value_name = value_member.serialized_name().unwrap_or("value").as_bytes();
        self.enter(entry)?;
        let mut key: Option<String> = None;
        // A value that came before its key: where it is in the input, to read once the key is
        // known.
        let mut early_value: Option<(usize, usize)> = None;
        while let Some(child) = self.next_child()? {
            let name = child.local_name();
            if name == key_name {
                key = Some(self.text(&child)?.into_owned());
            } else if name == value_name {
                match &key {
                    Some(key) => {
                        self.read_value(value_member, &child, Slot::Entry(&mut *map, key))?
                    }
                    None => {
                        self.skip(&child)?;
                        early_value = Some((child.offset, self.position()));
                    }
                }
            } else {
                self.skip(&child)?;
            }
        }
        self.depth -= 1;
        match (key, early_value) {
            (Some(key), Some((start, end))) => {
                let input = self.input.get(start..end).ok_or_else(|| {
                    XmlError::new(format!("invalid XML in <{}>", entry.display_name()))
                })?;
                let mut value = XmlDecoder::new(input);
                value.depth = self.depth;
                let element = value.root()?.ok_or_else(|| {
                    XmlError::new(format!("invalid XML in <{}>", entry.display_name()))
                })?;
                value.read_value(value_member, &element, Slot::Entry(map, &key))
            }
            (None, Some(_)) => Err(XmlError::new(format!(
                "map entry <{}> has a <{}> but no <{}>",
                entry.display_name(),
                String::from_utf8_lossy(value_name),
                String::from_utf8_lossy(key_name)
            ))),
            _ => Ok(()),
        }
    }
}

fn new_element(start: BytesStart<'_>, empty: bool, offset: usize) -> Element<'_> {
    Element {
        start,
        empty,
        offset,
    }
}

fn is_blank(text: &[u8]) -> bool {
    text.iter().all(u8::is_ascii_whitespace)
}

/// The part of a qualified name after its prefix.
fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

fn no_member(schema: &Schema) -> XmlError {
    XmlError::new(format!("shape {} lacks its member shapes", schema.name))
}

fn list_of(value: &mut dyn StructValue, index: usize) -> Result<&mut dyn ListValue, XmlError> {
    let name = value.schema().name;
    value
        .member_mut(index)
        .and_then(|v| v.as_list_mut())
        .ok_or_else(|| XmlError::new(format!("member #{index} of {name} is not a list")))
}

fn map_of(value: &mut dyn StructValue, index: usize) -> Result<&mut dyn MapValue, XmlError> {
    let name = value.schema().name;
    value
        .member_mut(index)
        .and_then(|v| v.as_map_mut())
        .ok_or_else(|| XmlError::new(format!("member #{index} of {name} is not a map")))
}

fn read_attributes(
    value: &mut dyn StructValue,
    schema: &Schema,
    layout: &XmlLayout,
    element: &Element<'_>,
) -> Result<(), XmlError> {
    for attribute in element.start.attributes() {
        let attribute = attribute.map_err(|e| {
            XmlError::new(format!(
                "invalid attribute in <{}>: {e}",
                element.display_name()
            ))
        })?;
        let name = attribute.key.into_inner();
        for &index in &layout.attributes {
            let member = &schema.members()[index];
            let wire = member.wire_name().as_bytes();
            if name != wire && local(name) != local(wire) {
                continue;
            }
            let text = attribute.unescape_value().map_err(|e| {
                XmlError::new(format!(
                    "invalid attribute {} in <{}>: {e}",
                    String::from_utf8_lossy(name),
                    element.display_name()
                ))
            })?;
            if let Some(scalar) = parse_scalar(&text, member, element)? {
                let slot = value.member_mut(index).ok_or_else(|| {
                    XmlError::new(format!("{} has no member #{index}", schema.name))
                })?;
                slot.set(scalar).map_err(|e| {
                    XmlError::new(format!(
                        "attribute {} of <{}>: {e}",
                        String::from_utf8_lossy(name),
                        element.display_name()
                    ))
                })?;
            }
        }
    }
    Ok(())
}

/// The scalar `text` stands for as a value of `member`'s target, or `None` for an empty
/// scalar other than a string or blob (and for documents, which XML protocols do not carry).
fn parse_scalar(
    text: &str,
    member: &Member,
    element: &Element<'_>,
) -> Result<Option<Scalar>, XmlError> {
    let target = member.target;
    let invalid = |what: &str| {
        XmlError::new(format!(
            "{} in <{}> is not {what}",
            quote(text),
            element.display_name()
        ))
    };
    let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let empty = trimmed.is_empty();
    Ok(Some(match target.shape_type {
        ShapeType::String | ShapeType::Enum => Scalar::String(text.to_string()),
        ShapeType::Blob => {
            let compact: Cow<'_, str> = if trimmed.bytes().any(|b| b.is_ascii_whitespace()) {
                Cow::Owned(trimmed.split_ascii_whitespace().collect())
            } else {
                Cow::Borrowed(trimmed)
            };
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact.as_bytes())
                .map_err(|_| invalid("base64"))?;
            Scalar::Blob(Bytes::from(bytes))
        }
        _ if empty => return Ok(None),
        ShapeType::Boolean => match trimmed {
            "true" => Scalar::Bool(true),
            "false" => Scalar::Bool(false),
            _ => return Err(invalid("a boolean (true or false)")),
        },
        ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::Long
        | ShapeType::BigInteger => {
            Scalar::Integer(trimmed.parse().map_err(|_| invalid("an integer"))?)
        }
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => {
            Scalar::Float(parse_float(trimmed).ok_or_else(|| invalid("a number"))?)
        }
        ShapeType::Timestamp => {
            let declared = member.timestamp_format_or(TimestampFormat::Iso8601);
            Scalar::Timestamp(
                parse_timestamp(trimmed, declared)
                    .map_err(|e| XmlError::new(format!("<{}>: {e}", element.display_name())))?,
            )
        }
        ShapeType::Document
        | ShapeType::Structure
        | ShapeType::Union
        | ShapeType::List
        | ShapeType::Map => return Ok(None),
    }))
}

#[cfg(all(test, feature = "model"))]
mod tests {
    use super::*;
    use crate::dynamic::DynValue;
    use crate::model::SchemaSet;
    use serde_json::json;

    fn decode(
        shapes: serde_json::Value,
        shape: &str,
        xml: &str,
    ) -> Result<serde_json::Value, XmlError> {
        let set = SchemaSet::build_shapes(&serde_json::from_value(shapes).unwrap()).unwrap();
        let mut value = DynValue::default_for(set.get(shape).unwrap());
        let mut decoder = XmlDecoder::new(xml.as_bytes());
        let root = decoder.root()?.expect("a root element");
        decoder.read_struct(value.as_struct_mut().unwrap(), &root, None)?;
        Ok(value.to_json())
    }

    fn scalars() -> serde_json::Value {
        json!({
            "S": {"type": "structure", "members": {
                "Int": {"shape": "Int"}, "Bool": {"shape": "Bool"}, "Str": {"shape": "Str"},
                "When": {"shape": "Time"}, "Data": {"shape": "Blob"}, "Ratio": {"shape": "Double"},
                "Id": {"shape": "Str", "xmlAttribute": true, "locationName": "xsi:id"},
                "Tags": {"shape": "Tags"}
            }},
            "Tags": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Int"}},
            "Int": {"type": "integer"}, "Bool": {"type": "boolean"}, "Str": {"type": "string"},
            "Time": {"type": "timestamp"}, "Blob": {"type": "blob"}, "Double": {"type": "double"}
        })
    }

    #[test]
    fn reads_scalars_attributes_and_entities() {
        let xml = r#"<?xml version="1.0"?><!-- hi --><S xmlns:xsi="urn:x" xsi:id="a&amp;b">
            <Int> 42 </Int><Bool>true</Bool><Str>a &lt;b&gt; <![CDATA[<c>]]></Str>
            <When>1398796238</When><Data>dmFs
            dWU=</Data><Ratio>-Infinity</Ratio><Unknown><Deep/></Unknown></S>"#;
        assert_eq!(
            decode(scalars(), "S", xml).unwrap(),
            json!({"Int": 42, "Bool": true, "Str": "a <b> <c>", "When": 1398796238,
                   "Data": "value", "Ratio": "-Infinity", "Id": "a&b"})
        );
    }

    #[test]
    fn empty_scalars_stay_unset_and_empty_strings_are_kept() {
        let xml = "<S><Int/><Bool></Bool><Str/></S>";
        assert_eq!(decode(scalars(), "S", xml).unwrap(), json!({"Str": ""}));
    }

    #[test]
    fn map_values_may_precede_their_keys() {
        let xml = "<S><Tags><entry><value>1</value><key>a</key></entry>\
                   <entry><key>b</key><value>2</value></entry></Tags></S>";
        assert_eq!(
            decode(scalars(), "S", xml).unwrap(),
            json!({"Tags": {"a": 1, "b": 2}})
        );
        let err = decode(
            scalars(),
            "S",
            "<S><Tags><entry><value>1</value></entry></Tags></S>",
        )
        .unwrap_err();
        assert_eq!(err.0, "map entry <entry> has a <value> but no <key>");
    }

    #[test]
    fn bad_values_name_the_element_and_the_value() {
        let cases = [
            ("<S><Int>4x</Int></S>", "\"4x\" in <Int> is not an integer"),
            (
                "<S><Bool>yes</Bool></S>",
                "\"yes\" in <Bool> is not a boolean (true or false)",
            ),
            (
                "<S><Ratio>1.2.3</Ratio></S>",
                "\"1.2.3\" in <Ratio> is not a number",
            ),
            ("<S><Data>***</Data></S>", "\"***\" in <Data> is not base64"),
        ];
        for (xml, message) in cases {
            assert_eq!(decode(scalars(), "S", xml).unwrap_err().0, message);
        }
        let err = decode(scalars(), "S", "<S><When>yesterday</When></S>").unwrap_err();
        assert!(
            err.0
                .starts_with("<When>: invalid date-time timestamp \"yesterday\""),
            "{err}"
        );
    }

    #[test]
    fn malformed_xml_is_an_error() {
        for xml in [
            "<S><Int>1</Str></S>",
            "<S><Int>1</Int>",
            "text<S/>",
            "<S><Int>&bogus;</Int></S>",
        ] {
            assert!(decode(scalars(), "S", xml).is_err(), "{xml}");
        }
    }

    #[test]
    fn every_member_of_a_wide_structure_is_found_by_name() {
        // Enough members that names share hash slots; one name claimed twice (the first wins).
        let mut members = serde_json::Map::new();
        for i in 0..70 {
            members.insert(format!("M{i}"), json!({"shape": "Int"}));
        }
        members.insert(
            "Dup".to_string(),
            json!({"shape": "Int", "locationName": "M3"}),
        );
        let shapes = json!({
            "S": {"type": "structure", "members": members},
            "Int": {"type": "integer"}
        });
        let xml: String = (0..70).map(|i| format!("<M{i}>{i}</M{i}>")).collect();
        let decoded = decode(shapes, "S", &format!("<S><Other>1</Other>{xml}</S>")).unwrap();
        let expected: serde_json::Map<_, _> =
            (0..70).map(|i| (format!("M{i}"), json!(i))).collect();
        assert_eq!(decoded, serde_json::Value::Object(expected));
    }

    #[test]
    fn text_outside_utf8_is_an_error_naming_the_element() {
        let mut xml = b"<S><Str>caf".to_vec();
        xml.extend_from_slice(&[0xE9]);
        xml.extend_from_slice(b"</Str></S>");
        let set = SchemaSet::build_shapes(&serde_json::from_value(scalars()).unwrap()).unwrap();
        let mut value = DynValue::default_for(set.get("S").unwrap());
        let mut decoder = XmlDecoder::new(&xml);
        let root = decoder.root().unwrap().expect("a root element");
        let err = decoder
            .read_struct(value.as_struct_mut().unwrap(), &root, None)
            .unwrap_err();
        assert!(err.0.starts_with("invalid text in <Str>"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let shapes = json!({
            "N": {"type": "structure", "members": {"N": {"shape": "N"}}}
        });
        let xml = format!(
            "{}{}",
            "<N>".repeat(MAX_DEPTH + 5),
            "</N>".repeat(MAX_DEPTH + 5)
        );
        let err = decode(shapes, "N", &xml).unwrap_err();
        assert_eq!(
            err.0,
            format!("<N> is nested more than {MAX_DEPTH} levels deep")
        );
    }
}
