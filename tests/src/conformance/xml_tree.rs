//! XML compared as botocore's protocol runner compares it (`ET.canonicalize(strip_text=True)`):
//! elements, attributes (in any order, namespace declarations included) and text with
//! surrounding whitespace stripped; whitespace-only text between elements is ignored.

use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::BTreeMap;

/// An element, canonicalised.
#[derive(Debug, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attributes: BTreeMap<String, String>,
    pub children: Vec<Node>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    Text(String),
}

/// Parses `xml` into its root element, or says why it is not XML.
pub fn parse(xml: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                return Err(format!(
                    "a second root element <{}>",
                    String::from_utf8_lossy(start.name().as_ref())
                ));
            }
            Event::Start(start) => stack.push(element(&start)?),
            Event::Empty(start) => {
                let element = element(&start)?;
                close(&mut stack, &mut root, element);
            }
            Event::End(_) => {
                let element = stack.pop().ok_or("an end tag without a start tag")?;
                close(&mut stack, &mut root, element);
            }
            Event::Text(text) => {
                let text = text.unescape().map_err(|e| e.to_string())?;
                push_text(&mut stack, text.trim())?;
            }
            Event::CData(data) => {
                let text = String::from_utf8_lossy(&data).into_owned();
                push_text(&mut stack, text.trim())?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err("the document ends inside an element".into());
    }
    root.ok_or_else(|| "no root element".into())
}

fn element(start: &quick_xml::events::BytesStart<'_>) -> Result<Element, String> {
    let mut attributes = BTreeMap::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let value = attribute.unescape_value().map_err(|e| e.to_string())?;
        attributes.insert(
            String::from_utf8_lossy(attribute.key.as_ref()).into_owned(),
            value.into_owned(),
        );
    }
    Ok(Element {
        name: String::from_utf8_lossy(start.name().as_ref()).into_owned(),
        attributes,
        children: Vec::new(),
    })
}

fn close(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(element)),
        None => *root = Some(element),
    }
}

fn push_text(stack: &mut [Element], text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Ok(());
    }
    let parent = stack.last_mut().ok_or("text outside the root element")?;
    match parent.children.last_mut() {
        Some(Node::Text(before)) => before.push_str(text),
        _ => parent.children.push(Node::Text(text.to_string())),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_layout_and_attribute_order_but_not_content() {
        let a = parse("<a x=\"1\" y=\"2\">\n  <b>t &amp; u</b>\n  <c/>\n</a>").unwrap();
        let b = parse("<a y=\"2\" x=\"1\"><b> t &amp; u </b><c></c></a>").unwrap();
        assert_eq!(a, b);
        assert_ne!(a, parse("<a x=\"1\" y=\"2\"><b>t</b><c/></a>").unwrap());
        assert_ne!(a, parse("<a x=\"1\"><b>t &amp; u</b><c/></a>").unwrap());
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("not xml").is_err());
    }
}
