//! Schema-driven XML writing, as botocore's `RestXMLSerializer` writes request bodies.
//!
//! * A structure is an element holding one child per member that is set, in model order; a
//!   member named by its `locationName` (else the member name). Members bound elsewhere in
//!   the request (headers, URI, query string) are left out.
//! * `xmlNamespace` on a member (else on its target) becomes an `xmlns` (or `xmlns:prefix`)
//!   attribute of that member's element; `xmlAttribute` members are attributes of their
//!   structure's element, named by their `locationName` (which may carry a prefix, as in
//!   `xsi:type`).
//! * Lists are wrapped (`<Name><member/>..</Name>`, the element renamed by its
//!   `locationName`) or, when flattened, repeated `<Name>` elements. Maps are
//!   `<Name><entry><key/><value/></entry>..</Name>` or, flattened, repeated
//!   `<Name><key/><value/></Name>`; `locationName` on the key and value renames them.
//! * Scalars as text: booleans `true`/`false`, floats as Python prints them, blobs in base64,
//!   timestamps in ISO 8601 unless the model says otherwise.
//!
//! Text is escaped as XML requires (`&`, `<`, `>`), and a carriage return is written
//! `&#xD;`: a literal one would reach the service as a line feed (XML 1.0 §2.11 normalises
//! line ends), so the value would not arrive as the caller gave it. Attribute values are
//! escaped as Python's ElementTree escapes them.

use super::is_flattened;
use crate::protocol::text::{write_float, write_timestamp};
use crate::schema::{
    Location, Member, MemberFlags, Schema, ShapeType, TimestampFormat, XmlNamespace,
};
use crate::value::{ListValue, MapValue, StructValue, ValueRef};
use base64::Engine as _;
use std::fmt::Write as _;

/// Writes one XML document into a string.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    /// Write line feeds in text as `&#xA;` (botocore does for two S3 operations whose values
    /// may hold line breaks that must survive any normalisation).
    escape_line_feeds: bool,
    /// Where a scalar's text is formatted before it is escaped into `out`: one buffer for
    /// the whole document rather than one allocation per scalar.
    scratch: String,
}

impl XmlWriter {
    pub fn new() -> Self {
        XmlWriter::default()
    }

    /// Whether line feeds in text are written `&#xA;`.
    #[must_use]
    pub fn escape_line_feeds(mut self, escape: bool) -> Self {
        self.escape_line_feeds = escape;
        self
    }

    /// The document written so far.
    pub fn finish(self) -> String {
        self.out
    }

    /// Writes `value` as the element `name`, with `namespace` on it: the document's root.
    pub fn write_root(
        &mut self,
        name: &str,
        namespace: Option<XmlNamespace>,
        value: &dyn StructValue,
    ) -> Result<(), String> {
        self.write_struct(name, namespace, value)
    }

    /// Writes `value` (of `member`'s target) as the element `name`: a payload member is
    /// written as the document's root this way.
    pub fn write_value_as(
        &mut self,
        name: &str,
        member: &Member,
        value: ValueRef<'_>,
    ) -> Result<(), String> {
        self.write_value(name, member, value)
    }

    fn write_struct(
        &mut self,
        name: &str,
        namespace: Option<XmlNamespace>,
        value: &dyn StructValue,
    ) -> Result<(), String> {
        let schema = value.schema();
        let members = schema.members();
        self.out.push('<');
        self.out.push_str(name);
        push_namespace(&mut self.out, namespace);
        for (index, member) in members.iter().enumerate() {
            if !member.has(MemberFlags::XML_ATTRIBUTE) {
                continue;
            }
            let Some(field) = value.member(index) else {
                continue;
            };
            let attribute = member.wire_name();
            let text = self
                .scalar_text(member, field.get())
                .map_err(|e| format!("{}.{}: {e}", schema.name, member.name))?;
            self.out.push(' ');
            self.out.push_str(attribute);
            self.out.push_str("=\"");
            push_escaped_attribute(&mut self.out, &text);
            self.out.push('"');
            self.scratch = text;
        }
        let open = self.out.len();
        self.out.push('>');
        for (index, member) in members.iter().enumerate() {
            if member.has(MemberFlags::XML_ATTRIBUTE) || member.location != Location::Body {
                continue;
            }
            let Some(field) = value.member(index) else {
                continue;
            };
            let child = member.wire_name();
            self.write_value(child, member, field.get())
                .map_err(|e| format!("{}.{}", schema.name, with_path(member.name, &e)))?;
        }
        if self.out.len() == open + 1 {
            // No children: `<name />`, as ElementTree writes it.
            self.out.truncate(open);
            self.out.push_str(" />");
        } else {
            self.close(name);
        }
        Ok(())
    }

    /// Writes a value of `member`'s target as the element(s) `name`.
    fn write_value(
        &mut self,
        name: &str,
        member: &Member,
        value: ValueRef<'_>,
    ) -> Result<(), String> {
        let namespace = member.xml_namespace.or(member.target.xml_namespace);
        match value {
            ValueRef::Null => Ok(()),
            ValueRef::Struct(value) => self.write_struct(name, namespace, value),
            ValueRef::List(list) => self.write_list(name, member, namespace, list),
            ValueRef::Map(map) => self.write_map(name, member, namespace, map),
            scalar => {
                self.out.push('<');
                self.out.push_str(name);
                push_namespace(&mut self.out, namespace);
                let text = self.scalar_text(member, scalar)?;
                if text.is_empty() {
                    // No text: `<name />`, as ElementTree writes it.
                    self.out.push_str(" />");
                } else {
                    self.out.push('>');
                    push_escaped_text(&mut self.out, &text, self.escape_line_feeds);
                    self.close(name);
                }
                self.scratch = text;
                Ok(())
            }
        }
    }

    fn write_list(
        &mut self,
        name: &str,
        member: &Member,
        namespace: Option<XmlNamespace>,
        list: &dyn ListValue,
    ) -> Result<(), String> {
        let target = member.target;
        let element = target
            .list_member()
            .ok_or_else(|| format!("list {} has no member shape", target.name))?;
        if is_flattened(member) {
            for index in 0..list.len() {
                if let Some(item) = list.item(index) {
                    self.write_value(name, element, item.get())
                        .map_err(|e| with_path(&format!("[{index}]"), &e))?;
                }
            }
            return Ok(());
        }
        let element_name = element.serialized_name().unwrap_or("member");
        self.out.push('<');
        self.out.push_str(name);
        push_namespace(&mut self.out, namespace);
        self.out.push('>');
        for index in 0..list.len() {
            if let Some(item) = list.item(index) {
                self.write_value(element_name, element, item.get())
                    .map_err(|e| with_path(&format!("[{index}]"), &e))?;
            }
        }
        self.close(name);
        Ok(())
    }

    fn write_map(
        &mut self,
        name: &str,
        member: &Member,
        namespace: Option<XmlNamespace>,
        map: &dyn MapValue,
    ) -> Result<(), String> {
        let target = member.target;
        let (key_member, value_member) = target
            .map_entry()
            .ok_or_else(|| format!("map {} lacks key or value", target.name))?;
        let key_name = key_member.serialized_name().unwrap_or("key");
        let value_name = value_member.serialized_name().unwrap_or("value");
        let flattened = is_flattened(member);
        if !flattened {
            self.out.push('<');
            self.out.push_str(name);
            push_namespace(&mut self.out, namespace);
            self.out.push('>');
        }
        let mut result = Ok(());
        map.for_each(&mut |key, value| {
            if result.is_err() {
                return;
            }
            let entry = if flattened { name } else { "entry" };
            self.out.push('<');
            self.out.push_str(entry);
            self.out.push('>');
            result = self
                .write_value(key_name, key_member, ValueRef::String(key))
                .and_then(|()| self.write_value(value_name, value_member, value.get()))
                .map_err(|e| with_path(&format!("[{key:?}]"), &e));
            self.close(entry);
        });
        result?;
        if !flattened {
            self.close(name);
        }
        Ok(())
    }

    /// The text of a scalar, formatted in the scratch buffer, which the caller hands back
    /// (`self.scratch = text`) once it has escaped the text into the document.
    fn scalar_text(&mut self, member: &Member, value: ValueRef<'_>) -> Result<String, String> {
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        scalar_text(&mut text, member, value)?;
        Ok(text)
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }
}

/// `segment` before a message that may start with a path of its own (`.Name`, `[2]`).
fn with_path(segment: &str, message: &str) -> String {
    if message.starts_with(['.', '[']) {
        format!("{segment}{message}")
    } else {
        format!("{segment}: {message}")
    }
}

fn push_namespace(out: &mut String, namespace: Option<XmlNamespace>) {
    let Some(namespace) = namespace else {
        return;
    };
    out.push_str(" xmlns");
    if let Some(prefix) = namespace.prefix {
        out.push(':');
        out.push_str(prefix);
    }
    out.push_str("=\"");
    push_escaped_attribute(out, namespace.uri);
    out.push('"');
}

/// The text of a scalar value of `member`'s target.
fn scalar_text(out: &mut String, member: &Member, value: ValueRef<'_>) -> Result<(), String> {
    let target: &Schema = member.target;
    match value {
        ValueRef::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        ValueRef::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        ValueRef::Float(f) => write_float(out, f, target.shape_type == ShapeType::Float),
        ValueRef::String(s) => out.push_str(s),
        ValueRef::Timestamp(t) => {
            let format = member.timestamp_format_or(TimestampFormat::Iso8601);
            write_timestamp(out, t, format)?;
        }
        ValueRef::Blob(b) => base64::engine::general_purpose::STANDARD.encode_string(b, out),
        ValueRef::Stream(stream) => match stream.as_bytes() {
            Some(b) => base64::engine::general_purpose::STANDARD.encode_string(b, out),
            None => return Err("a streaming body cannot be written inside XML".to_string()),
        },
        ValueRef::Document(_) => return Err("documents cannot be written as XML".to_string()),
        ValueRef::Null | ValueRef::Struct(_) | ValueRef::List(_) | ValueRef::Map(_) => {
            return Err(format!("{} is not a scalar", target.name));
        }
    }
    Ok(())
}

fn push_escaped_text(out: &mut String, text: &str, escape_line_feeds: bool) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '\r', '\n']) {
        out.push_str(&rest[..at]);
        let c = rest.as_bytes()[at];
        match c {
            b'&' => out.push_str("&amp;"),
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'\r' => out.push_str("&#xD;"),
            _ if escape_line_feeds => out.push_str("&#xA;"),
            _ => out.push('\n'),
        }
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// Escapes an attribute value as ElementTree does: markup characters, quotes, and the
/// whitespace characters an XML parser would otherwise normalise to spaces.
fn push_escaped_attribute(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#09;"),
            c => out.push(c),
        }
    }
}

#[cfg(all(test, feature = "model"))]
mod tests {
    use super::*;
    use crate::dynamic::DynValue;
    use crate::model::SchemaSet;
    use serde_json::json;

    fn write(shapes: serde_json::Value, shape: &str, value: serde_json::Value) -> String {
        let set = SchemaSet::build_shapes(&serde_json::from_value(shapes).unwrap()).unwrap();
        let value = DynValue::from_json(&value, set.get(shape).unwrap()).unwrap();
        let mut writer = XmlWriter::new();
        writer
            .write_root("Root", None, value.as_struct().unwrap())
            .unwrap();
        writer.finish()
    }

    #[test]
    fn writes_members_lists_maps_and_attributes() {
        let shapes = json!({
            "S": {"type": "structure", "xmlNamespace": {"prefix": "xsi", "uri": "urn:x"}, "members": {
                "Id": {"shape": "Str", "xmlAttribute": true, "locationName": "xsi:id"},
                "Name": {"shape": "Str", "locationName": "name"},
                "Flag": {"shape": "Bool"},
                "Ratio": {"shape": "Float"},
                "When": {"shape": "Time"},
                "Data": {"shape": "Blob"},
                "Wrapped": {"shape": "List"},
                "Flat": {"shape": "List", "flattened": true},
                "Tags": {"shape": "Map"},
                "Header": {"shape": "Str", "location": "header", "locationName": "x-h"}
            }},
            "List": {"type": "list", "member": {"shape": "Str", "locationName": "item"}},
            "Map": {"type": "map", "key": {"shape": "Str", "locationName": "k"}, "value": {"shape": "Str"}},
            "Str": {"type": "string"}, "Bool": {"type": "boolean"}, "Float": {"type": "float"},
            "Time": {"type": "timestamp"}, "Blob": {"type": "blob"}
        });
        let xml = write(
            shapes,
            "S",
            json!({"Id": "a\"b", "Name": "x<y&z\r\n", "Flag": false, "Ratio": 10.8,
                   "When": 1576540098, "Data": "value", "Wrapped": ["a", "b"], "Flat": ["c"],
                   "Tags": {"t": "1"}, "Header": "not in the body"}),
        );
        assert_eq!(
            xml,
            "<Root xsi:id=\"a&quot;b\"><name>x&lt;y&amp;z&#xD;\n</name><Flag>false</Flag>\
             <Ratio>10.8</Ratio><When>2019-12-16T23:48:18Z</When><Data>dmFsdWU=</Data>\
             <Wrapped><item>a</item><item>b</item></Wrapped><Flat>c</Flat>\
             <Tags><entry><k>t</k><value>1</value></entry></Tags></Root>"
        );
    }

    #[test]
    fn empty_structures_are_self_closed_and_namespaces_written() {
        let shapes = json!({
            "S": {"type": "structure", "members": {
                "Inner": {"shape": "Inner", "xmlNamespace": "urn:inner"}
            }},
            "Inner": {"type": "structure", "members": {"A": {"shape": "Str"}}},
            "Str": {"type": "string"}
        });
        assert_eq!(
            write(shapes, "S", json!({"Inner": {}})),
            "<Root><Inner xmlns=\"urn:inner\" /></Root>"
        );
    }
}
