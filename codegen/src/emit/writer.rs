//! A small writer for generated Rust: lines, indentation, doc comments and literals.
//!
//! Generated code is regular (structs, match arms, builder chains), so it is written
//! already formatted instead of being built as tokens and pretty-printed: that was four
//! fifths of codegen time (see ARCHITECTURE.md).

use std::fmt::Write as _;

/// Accumulates one generated file.
pub struct Writer {
    out: String,
    indent: usize,
}

impl Writer {
    pub fn new(header: &str) -> Self {
        let mut out = String::with_capacity(1 << 16);
        out.push_str(header);
        Writer { out, indent: 0 }
    }

    pub fn finish(self) -> String {
        self.out
    }

    fn pad(&mut self) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
    }

    /// Writes one line at the current indentation (an empty `text` writes an empty line).
    pub fn line(&mut self, text: &str) {
        if !text.is_empty() {
            self.pad();
            self.out.push_str(text);
        }
        self.out.push('\n');
    }

    /// Writes `text` and indents what follows (`text` usually ends with `{`, `(` or `[`).
    pub fn open(&mut self, text: &str) {
        self.line(text);
        self.indent += 1;
    }

    /// Unindents and writes `text` (usually `}`, `),` or `];`).
    pub fn close(&mut self, text: &str) {
        self.indent = self.indent.saturating_sub(1);
        self.line(text);
    }

    /// An empty line.
    pub fn blank(&mut self) {
        self.out.push('\n');
    }

    /// `///` doc lines for Markdown text.
    pub fn doc(&mut self, markdown: &str) {
        self.doc_with("///", markdown);
    }

    /// `//!` doc lines for Markdown text.
    pub fn inner_doc(&mut self, markdown: &str) {
        self.doc_with("//!", markdown);
    }

    fn doc_with(&mut self, prefix: &str, markdown: &str) {
        for line in markdown.lines() {
            self.pad();
            self.out.push_str(prefix);
            if !line.is_empty() {
                self.out.push(' ');
                self.out.push_str(line);
            }
            self.out.push('\n');
        }
    }
}

/// A Rust string literal for `value`.
pub fn lit(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `Some("value")` or `None`.
pub fn opt_lit(value: Option<&str>) -> String {
    match value {
        Some(v) => format!("Some({})", lit(v)),
        None => "None".to_string(),
    }
}

/// A Rust `f64` literal (always with a decimal point or exponent).
pub fn float_lit(value: f64) -> String {
    let text = format!("{value:?}");
    if text.contains(['.', 'e', 'E']) {
        text
    } else {
        format!("{text}.0")
    }
}

/// A comma-separated list of string literals.
pub fn lit_list(values: &[String]) -> String {
    values.iter().map(|v| lit(v)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_what_rust_needs() {
        assert_eq!(lit(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(lit("line\nnext\u{7}"), r#""line\nnext\u{7}""#);
        assert_eq!(lit("émoji ✓"), "\"émoji ✓\"");
        assert_eq!(opt_lit(None), "None");
        assert_eq!(float_lit(1.0), "1.0");
        assert_eq!(float_lit(0.25), "0.25");
        assert_eq!(float_lit(-19.5), "-19.5");
        assert_eq!(float_lit(9.223372036854776e18), "9.223372036854776e18");
    }

    #[test]
    fn indentation_and_docs() {
        let mut w = Writer::new("");
        w.doc("First.\n\nSecond.");
        w.open("struct A {");
        w.doc("Field.");
        w.line("a: u8,");
        w.close("}");
        assert_eq!(
            w.finish(),
            "/// First.\n///\n/// Second.\nstruct A {\n    /// Field.\n    a: u8,\n}\n"
        );
    }
}
