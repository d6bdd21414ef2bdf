//! Conversion of botocore's HTML documentation strings to rustdoc Markdown.
//!
//! botocore models document shapes, members and operations with a loose HTML
//! dialect: `<p>`, `<code>`, `<a href>`, `<ul>`/`<ol>`/`<li>`, `<b>`/`<i>`,
//! the AWS-specific `<note>`, `<important>` and `<fullname>` elements, the
//! occasional `<dl>`, `<table>`, `<pre>` or `<h2>`, some DocBook leftovers
//! (`<filename>`, `<replaceable>`, `<ulink url>`), and unescaped placeholder
//! text such as `arn:aws:inspector2:<region>:<account-id>:...`.
//!
//! [`html_to_markdown`] turns such a string into Markdown for `///` comments
//! of generated crates, where `cargo doc` must not print warnings and
//! `cargo test` must not discover doctests. That drives the rules below:
//!
//! * Multi-line `<pre>`/`<code>` content becomes a fenced block with the info
//!   string `text`, so rustdoc never compiles it. Prose lines never start with
//!   whitespace (which could open an indented code block, i.e. a Rust
//!   doctest); the only indented lines are list continuation lines, indented
//!   exactly to their item's content column.
//! * Characters with Markdown meaning are escaped in prose: `[`/`]` (broken
//!   intra-doc links), `<`/`>` (become `&lt;`/`&gt;`, as rustdoc would
//!   otherwise see HTML tags), `*`, `` ` ``, `~`, `|`, `\`, `_` where it could
//!   delimit emphasis, `&` where it could start an entity, and block markers
//!   (`#`, `-`, `+`, `=`, `1.`, `/`) at the start of a line.
//! * Bare `http(s)://` URLs become autolinks (`<https://...>`) because of
//!   `rustdoc::bare_urls`; `<a href>` with an absolute http(s) target becomes
//!   `[text](url)`, any other link keeps only its text.
//! * `<code>` becomes a code span whose backtick fence is longer than any
//!   backtick run inside it; `<b>` and `<i>` become `**` and `*`. Emphasis
//!   delimiters are placed (and, where CommonMark's flanking rules demand it,
//!   separated from the surrounding text by a space) so that they really
//!   render as emphasis.
//! * Headings become bold paragraphs (the rustdoc outline stays clean),
//!   `<note>`/`<important>` become paragraphs starting with `**Note:**` /
//!   `**Important:**`, definition lists become bullet lists with a bold term,
//!   and table rows become lines of cells separated by ` | `.
//! * Unknown elements lose their tags but keep their text, except unknown
//!   start tags that are never closed (`<account-id>`, `<claim>`) or are
//!   self-closing with attributes (XML samples): those are placeholders in
//!   the prose and are shown literally.
//! * Whitespace is collapsed like a browser would; paragraphs are separated by
//!   exactly one blank line; there is no trailing whitespace and no leading or
//!   trailing blank line. Control characters and bidirectional-override code
//!   points (rejected by rustc in comments) are dropped.
//!
//! The implementation is a tokenizer (no regular expressions, linear in the
//! input) followed by a small streaming renderer. Malformed HTML never
//! panics: a `<` that does not start a well-formed tag is text, stray closing
//! tags are ignored, and unclosed elements are closed at the end.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::mem;

/// Longest tag the tokenizer is willing to scan. Real tags are a few hundred
/// bytes at most; the bound keeps tokenizing linear on pathological input
/// such as `<a b="` repeated many times without a closing quote.
const MAX_TAG_LEN: usize = 4096;

/// Deepest nesting of inline elements (`<b>`, `<a>`, ...) and of lists that
/// is rendered; deeper elements only keep their text. The stacks are scanned
/// for every word, so bounding them keeps rendering linear. Real docs nest
/// inline elements two or three deep and lists at most four.
const MAX_INLINE_DEPTH: usize = 32;
const MAX_LIST_DEPTH: usize = 16;

/// Converts botocore's HTML documentation to rustdoc Markdown.
///
/// The result has lines joined with `'\n'`, no trailing newline and no `///`
/// prefix. Empty or whitespace-only input gives an empty string.
///
/// Emit each line as `/// {line}` (or through `#[doc = ...]`): lines inside
/// code blocks may start with `/`, and `///` directly followed by `/` would
/// be a plain `////` comment. Prose lines never start with `/`.
#[must_use]
pub fn html_to_markdown(html: &str) -> String {
    if html.trim().is_empty() {
        return String::new();
    }
    let tokens = tokenize(html);
    let mut renderer = Renderer::with_capacity(html.len());
    for token in &tokens {
        renderer.token(token);
    }
    renderer.finish()
}

// ---------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------

/// What an element means to the renderer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `<p>`, `<para>`: paragraph boundary.
    Para,
    /// `<div>`, `<section>`, `<hr>`, ...: a boundary without markup.
    Block,
    Br,
    /// `<a>`, `<ulink>`.
    Link,
    /// `<code>` and friends (`<tt>`, `<filename>`, ...).
    Code,
    Bold,
    Italic,
    Ul,
    Ol,
    Dl,
    Li,
    Dt,
    Dd,
    Note,
    Important,
    Heading,
    Pre,
    Examples,
    /// `<fullname>`: the service's marketing name, dropped with its content.
    Fullname,
    Table,
    Tr,
    Cell,
    HeaderCell,
    /// A known element that renders nothing itself (`<span>`, `<u>`, `<img>`, ...).
    Transparent,
    /// An unknown element that is closed later on: tags dropped, content kept.
    Unknown,
    /// An unknown start tag that is never closed (or self-closing with
    /// attributes): placeholder text like `<account-id>` or an XML example,
    /// rendered literally.
    Literal,
}

impl Kind {
    /// Elements whose start or end interrupts an inline `<code>` capture.
    fn is_block(self) -> bool {
        matches!(
            self,
            Kind::Para
                | Kind::Block
                | Kind::Ul
                | Kind::Ol
                | Kind::Dl
                | Kind::Li
                | Kind::Dt
                | Kind::Dd
                | Kind::Note
                | Kind::Important
                | Kind::Heading
                | Kind::Pre
                | Kind::Examples
                | Kind::Table
                | Kind::Tr
                | Kind::Cell
                | Kind::HeaderCell
        )
    }
}

/// Classifies a tag name, case-insensitively, without allocating.
fn classify(name: &str) -> Kind {
    let mut buf = [0u8; 12];
    let Some(lower) = buf.get_mut(..name.len()) else {
        return Kind::Unknown;
    };
    for (dst, src) in lower.iter_mut().zip(name.bytes()) {
        *dst = src.to_ascii_lowercase();
    }
    match &*lower {
        b"p" | b"para" | b"simpara" => Kind::Para,
        b"div" | b"section" | b"blockquote" | b"hr" | b"center" | b"caption" | b"title"
        | b"header" | b"footer" | b"article" | b"address" => Kind::Block,
        b"br" => Kind::Br,
        b"a" | b"ulink" => Kind::Link,
        b"code" | b"tt" | b"kbd" | b"samp" | b"filename" | b"function" | b"command"
        | b"literal" | b"userinput" | b"computeroutput" => Kind::Code,
        b"b" | b"strong" => Kind::Bold,
        b"i" | b"em" | b"emphasis" | b"replaceable" | b"cite" | b"var" | b"dfn" => Kind::Italic,
        b"ul" | b"itemizedlist" => Kind::Ul,
        b"ol" | b"orderedlist" => Kind::Ol,
        b"dl" => Kind::Dl,
        b"li" | b"listitem" => Kind::Li,
        b"dt" => Kind::Dt,
        b"dd" => Kind::Dd,
        b"note" => Kind::Note,
        b"important" => Kind::Important,
        b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => Kind::Heading,
        b"pre" | b"programlisting" | b"screen" => Kind::Pre,
        b"examples" => Kind::Examples,
        b"fullname" => Kind::Fullname,
        b"table" => Kind::Table,
        b"tr" => Kind::Tr,
        b"td" => Kind::Cell,
        b"th" => Kind::HeaderCell,
        b"span" | b"u" | b"sup" | b"sub" | b"small" | b"big" | b"font" | b"abbr" | b"acronym"
        | b"q" | b"s" | b"del" | b"ins" | b"mark" | b"copy" | b"link" | b"thead" | b"tbody"
        | b"tfoot" | b"colgroup" | b"col" | b"img" | b"wbr" | b"nobr" | b"label" | b"html"
        | b"body" | b"xref" => Kind::Transparent,
        _ => Kind::Unknown,
    }
}

#[derive(Debug)]
enum Token<'a> {
    /// Raw text; entities are decoded by the renderer.
    Text(&'a str),
    /// Contents of a `<![CDATA[...]]>` section: literal text.
    CData(&'a str),
    Start {
        kind: Kind,
        name: &'a str,
        /// Everything between the name and `>` (or `/>`).
        attrs: &'a str,
        self_closing: bool,
        /// The whole tag, for [`Kind::Literal`].
        raw: &'a str,
    },
    End {
        kind: Kind,
        name: &'a str,
    },
}

/// Splits `src` into text and tags. Comments are dropped.
fn tokenize(src: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut scanner = Scanner::default();
    let mut text_start = 0;
    let mut pos = 0;
    while let Some(offset) = src[pos..].find('<') {
        let lt = pos + offset;
        match scanner.markup(src, lt) {
            Some((token, end)) => {
                if text_start < lt {
                    tokens.push(Token::Text(&src[text_start..lt]));
                }
                tokens.extend(token);
                text_start = end;
                pos = end;
            }
            // Not markup: the `<` stays part of the surrounding text.
            None => pos = lt + 1,
        }
    }
    if text_start < src.len() {
        tokens.push(Token::Text(&src[text_start..]));
    }
    resolve_unclosed(&mut tokens);
    tokens
}

/// Reclassifies start tags that are never closed later in the document:
/// unknown ones become [`Kind::Literal`] (they are placeholders such as
/// `<account-id>`, not markup), and an unclosed `<fullname>` stops swallowing
/// the rest of the text.
fn resolve_unclosed(tokens: &mut [Token<'_>]) {
    let mut closed_unknown: HashSet<String> = HashSet::new();
    let mut fullname_closed = false;
    for token in tokens.iter_mut().rev() {
        match token {
            Token::End {
                kind: Kind::Unknown,
                name,
            } => {
                closed_unknown.insert(name.to_ascii_lowercase());
            }
            Token::End {
                kind: Kind::Fullname,
                ..
            } => fullname_closed = true,
            Token::Start {
                kind,
                name,
                attrs,
                self_closing,
                ..
            } => match *kind {
                Kind::Unknown => {
                    let literal = if *self_closing {
                        !attrs.trim().is_empty()
                    } else {
                        closed_unknown.is_empty()
                            || !closed_unknown.contains(&name.to_ascii_lowercase())
                    };
                    if literal {
                        *kind = Kind::Literal;
                    }
                }
                Kind::Fullname if !fullname_closed && !*self_closing => {
                    *kind = Kind::Transparent;
                }
                _ => {}
            },
            _ => {}
        }
    }
}

/// Tag scanner. It remembers failed searches for comment and CDATA
/// terminators so that many unterminated `<!--` cannot make it quadratic.
#[derive(Default)]
struct Scanner {
    no_comment_end: bool,
    no_cdata_end: bool,
}

impl Scanner {
    /// Parses markup starting at `src[lt] == '<'`. Returns the token (`None`
    /// for a comment) and the end offset, or `None` if this `<` is text.
    fn markup<'a>(&mut self, src: &'a str, lt: usize) -> Option<(Option<Token<'a>>, usize)> {
        let rest = &src[lt..];
        if let Some(body) = rest.strip_prefix("<!--") {
            if self.no_comment_end {
                return None;
            }
            let Some(len) = body.find("-->") else {
                self.no_comment_end = true;
                return None;
            };
            return Some((None, lt + 4 + len + 3));
        }
        if let Some(body) = rest.strip_prefix("<![CDATA[") {
            if self.no_cdata_end {
                return None;
            }
            let Some(len) = body.find("]]>") else {
                self.no_cdata_end = true;
                return None;
            };
            return Some((Some(Token::CData(&body[..len])), lt + 9 + len + 3));
        }
        match rest.as_bytes().get(1) {
            Some(b'/') => parse_end_tag(src, lt).map(|(token, end)| (Some(token), end)),
            Some(c) if c.is_ascii_alphabetic() => {
                parse_start_tag(src, lt).map(|(token, end)| (Some(token), end))
            }
            _ => None,
        }
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Index of the first byte at or after `i` that is not a tag-name byte.
fn scan_name(bytes: &[u8], mut i: usize, limit: usize) -> usize {
    while i < limit && is_name_byte(bytes[i]) {
        i += 1;
    }
    i
}

fn skip_ws(bytes: &[u8], mut i: usize, limit: usize) -> usize {
    while i < limit && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Parses `<name attr="value" ...>` or `<name .../>` at `lt`.
fn parse_start_tag(src: &str, lt: usize) -> Option<(Token<'_>, usize)> {
    let bytes = src.as_bytes();
    let limit = bytes.len().min(lt.saturating_add(MAX_TAG_LEN));
    let name_end = scan_name(bytes, lt + 1, limit);
    let name = &src[lt + 1..name_end];
    // `<foo@bar.com>`, `<https://...>`, `<a(`: not a tag.
    match bytes.get(name_end) {
        Some(b) if b.is_ascii_whitespace() || *b == b'/' || *b == b'>' => {}
        _ => return None,
    }
    let token = |attrs_end: usize, end: usize, self_closing: bool| Token::Start {
        kind: classify(name),
        name,
        attrs: &src[name_end..attrs_end],
        self_closing,
        raw: &src[lt..end],
    };
    let mut i = name_end;
    loop {
        i = skip_ws(bytes, i, limit);
        match *bytes.get(i).filter(|_| i < limit)? {
            b'>' => return Some((token(i, i + 1, false), i + 1)),
            b'/' if i + 1 < limit && bytes[i + 1] == b'>' => {
                return Some((token(i, i + 2, true), i + 2));
            }
            b'/' | b'<' | b'"' | b'\'' | b'=' => return None,
            _ => {}
        }
        // Attribute name (at least one byte, guaranteed by the match above).
        while i < limit
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/' | b'<' | b'"' | b'\'')
        {
            i += 1;
        }
        i = skip_ws(bytes, i, limit);
        if i < limit && bytes[i] == b'=' {
            i = skip_ws(bytes, i + 1, limit);
            match bytes.get(i).filter(|_| i < limit) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let len = bytes[i + 1..limit].iter().position(|&b| b == quote)?;
                    i += len + 2;
                }
                Some(_) => {
                    while i < limit
                        && !bytes[i].is_ascii_whitespace()
                        && !matches!(bytes[i], b'>' | b'<')
                    {
                        i += 1;
                    }
                }
                None => return None,
            }
        }
    }
}

/// Parses `</name>` (whitespace allowed before `>`) at `lt`.
fn parse_end_tag(src: &str, lt: usize) -> Option<(Token<'_>, usize)> {
    let bytes = src.as_bytes();
    if !bytes.get(lt + 2)?.is_ascii_alphabetic() {
        return None;
    }
    let limit = bytes.len().min(lt.saturating_add(MAX_TAG_LEN));
    let name_end = scan_name(bytes, lt + 2, limit);
    let gt = skip_ws(bytes, name_end, limit);
    if gt >= limit || bytes[gt] != b'>' {
        return None;
    }
    let name = &src[lt + 2..name_end];
    Some((
        Token::End {
            kind: classify(name),
            name,
        },
        gt + 1,
    ))
}

/// Value of attribute `wanted` (case-insensitive) in a tag's attribute text.
/// Entities are not decoded.
fn attribute<'a>(attrs: &'a str, wanted: &str) -> Option<&'a str> {
    let bytes = attrs.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() || bytes[i] == b'/' {
            i += 1;
            continue;
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'/')
        {
            i += 1;
        }
        let name = &attrs[name_start..i];
        i = skip_ws(bytes, i, bytes.len());
        let mut value = "";
        if i < bytes.len() && bytes[i] == b'=' {
            i = skip_ws(bytes, i + 1, bytes.len());
            if let Some(&quote @ (b'"' | b'\'')) = bytes.get(i) {
                let start = i + 1;
                let end = bytes[start..]
                    .iter()
                    .position(|&b| b == quote)
                    .map_or(bytes.len(), |len| start + len);
                value = &attrs[start..end];
                i = (end + 1).min(bytes.len());
            } else {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = &attrs[start..i];
            }
        }
        if name.eq_ignore_ascii_case(wanted) {
            return Some(value);
        }
        if i == name_start {
            // Defensive: every iteration must consume input.
            i += 1;
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Entities and character classes
// ---------------------------------------------------------------------------

/// Appends `src` to `out`, decoding entities (if `decode`) and dropping
/// characters that must not appear in doc comments.
fn push_text(out: &mut String, src: &str, decode: bool) {
    let mut rest = src;
    while !rest.is_empty() {
        let stop = rest
            .find(|c: char| (decode && c == '&') || is_forbidden(c))
            .unwrap_or(rest.len());
        out.push_str(&rest[..stop]);
        rest = &rest[stop..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        if c == '&' {
            if let Some((decoded, len)) = parse_entity(rest) {
                if !is_forbidden(decoded) {
                    out.push(decoded);
                }
                rest = &rest[len..];
            } else {
                out.push('&');
                rest = &rest[1..];
            }
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
}

/// Decodes the entity at the start of `s` (which starts with `&`); returns
/// the character and the entity's length. Unknown entities return `None` and
/// are kept as literal text.
fn parse_entity(s: &str) -> Option<(char, usize)> {
    let bytes = s.as_bytes();
    // Entities are short; only look a little ahead for the `;`.
    let semi = bytes
        .iter()
        .take(34)
        .skip(1)
        .position(|&b| b == b';')
        .map(|p| p + 1)?;
    let name = &s[1..semi];
    let decoded = if let Some(num) = name.strip_prefix('#') {
        let (digits, radix) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (num, 10),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        // Too large to parse means out of range: U+FFFD like a browser.
        numeric_char(u32::from_str_radix(digits, radix).unwrap_or(u32::MAX))
    } else {
        named_entity(name)?
    };
    Some((decoded, semi + 1))
}

/// Character for a numeric reference, following HTML: NUL, surrogates and
/// out-of-range values become U+FFFD, and 0x80-0x9F are Windows-1252 (botocore
/// has `&#150;` meaning an en dash).
fn numeric_char(n: u32) -> char {
    const WINDOWS_1252: [char; 32] = [
        '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}',
        '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}',
        '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}',
        '\u{178}',
    ];
    match n {
        0 => '\u{FFFD}',
        0x80..=0x9F => WINDOWS_1252[(n - 0x80) as usize],
        _ => char::from_u32(n).unwrap_or('\u{FFFD}'),
    }
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "amp" | "AMP" => '&',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        // Collapsed like any other whitespace in prose.
        "nbsp" => '\u{A0}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hellip" => '\u{2026}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201C}',
        "rdquo" => '\u{201D}',
        "bull" => '\u{2022}',
        "middot" => '\u{B7}',
        "copy" => '\u{A9}',
        "reg" => '\u{AE}',
        "trade" => '\u{2122}',
        "deg" => '\u{B0}',
        "times" => '\u{D7}',
        "larr" => '\u{2190}',
        "rarr" => '\u{2192}',
        "le" => '\u{2264}',
        "ge" => '\u{2265}',
        "ne" => '\u{2260}',
        "euro" => '\u{20AC}',
        _ => return None,
    })
}

/// Characters dropped everywhere: control characters other than whitespace,
/// and the bidirectional overrides rustc rejects in comments
/// (`text_direction_codepoint_in_comment`).
fn is_forbidden(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_alnum(c: char) -> bool {
    c.is_alphanumeric()
}

/// Punctuation in the sense of CommonMark's flanking rules (approximated as
/// "neither whitespace nor alphanumeric").
fn is_punct(c: char) -> bool {
    !c.is_whitespace() && !c.is_alphanumeric()
}

/// Whether `s` (the text after a `&`) starts like a character reference
/// (`name;`, `#123;`, `#x1F;`), which Markdown would decode.
fn starts_entity(s: &str) -> bool {
    let body = s.strip_prefix('#').unwrap_or(s);
    let len = body
        .bytes()
        .take(32)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    len > 0 && body.as_bytes().get(len) == Some(&b';')
}

/// Length of the longest run of backticks in `s`.
fn longest_backtick_run(s: &str) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for b in s.bytes() {
        if b == b'`' {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

/// Length of the scheme prefix if `s` starts with `http://` or `https://`.
fn http_scheme_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let starts = |prefix: &[u8]| {
        bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    if starts(b"https://") {
        Some(8)
    } else if starts(b"http://") {
        Some(7)
    } else {
        None
    }
}

fn is_absolute_http(href: &str) -> bool {
    http_scheme_len(href).is_some_and(|len| href.len() > len)
}

/// Length of a bare URL at the start of `s`, if there is one worth turning
/// into an autolink. The host must start with a character that rustdoc's
/// `bare_urls` lint would accept (so `https://{bucket}...` templates stay
/// plain text, as they do not trigger the lint), the URL ends at whitespace
/// or at characters that cannot appear in an autolink, and trailing
/// punctuation (and unbalanced closing brackets) belong to the sentence.
fn bare_url_len(s: &str) -> Option<usize> {
    let scheme = http_scheme_len(s)?;
    let host_start = s.as_bytes().get(scheme)?;
    if !(host_start.is_ascii_alphanumeric() || b"-@:%._+~#=".contains(host_start)) {
        return None;
    }
    let mut end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`') || is_forbidden(c))
        .unwrap_or(s.len());
    // Closing brackets in excess of opening ones; kept up to date while
    // stripping so that this stays linear.
    let surplus = |open: char, close: char| {
        let url = &s[..end];
        url.matches(close)
            .count()
            .saturating_sub(url.matches(open).count())
    };
    let mut parens = surplus('(', ')');
    let mut brackets = surplus('[', ']');
    while let Some(last) = s[..end].chars().next_back() {
        let strip = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' => true,
            ')' if parens > 0 => {
                parens -= 1;
                true
            }
            ']' if brackets > 0 => {
                brackets -= 1;
                true
            }
            _ => false,
        };
        if !strip {
            break;
        }
        end -= last.len_utf8();
    }
    (end > scheme).then_some(end)
}

/// Appends `url` for use as a link destination (`in_parens`, i.e.
/// `[text](url)`) or inside an autolink (`<url>`): characters that would end
/// or confuse the URL are percent-encoded.
fn push_url(out: &mut String, url: &str, in_parens: bool) {
    for (pos, c) in url.char_indices() {
        match c {
            '\n' | '\r' | '\t' => {}
            c if is_forbidden(c) => {}
            ' ' | '<' | '>' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            // These would end or confuse a `(...)` destination; an autolink
            // takes them literally.
            '(' | ')' | '\\' | '"' | '`' if in_parens => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c if c.is_whitespace() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            // In `[text](url)`, `&name;` would be decoded as an entity.
            '&' if in_parens && starts_entity(&url[pos + 1..]) => out.push_str("\\&"),
            c => out.push(c),
        }
    }
}

// ---------------------------------------------------------------------------
// Prose escaping
// ---------------------------------------------------------------------------

/// Appends plain text `text` to `out`, escaped for Markdown.
///
/// `line_start` says whether `text` begins a line (so block markers must be
/// neutralized), `prev` is the character before it (for `_`), and
/// `autolink` whether bare URLs may become `<...>` autolinks (not inside link
/// text, where links cannot nest).
fn escape_prose(
    text: &str,
    line_start: bool,
    autolink: bool,
    mut prev: Option<char>,
    out: &mut String,
) {
    let mut rest = text;
    if line_start {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        match text.as_bytes().get(digits) {
            // `1.` / `1)` would start an ordered list.
            Some(&punct @ (b'.' | b')')) if (1..=9).contains(&digits) => {
                out.push_str(&text[..digits]);
                out.push('\\');
                out.push(char::from(punct));
                prev = Some(char::from(punct));
                rest = &text[digits + 1..];
            }
            // Headings, list items, setext underlines and thematic breaks;
            // `/` because a line starting with it would turn `///` into `////`.
            Some(b'#' | b'-' | b'+' | b'=' | b'/') if digits == 0 => out.push('\\'),
            _ => {}
        }
    }
    let mut chars = rest.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        if autolink
            && matches!(c, 'h' | 'H')
            && let Some(len) = bare_url_len(&rest[pos..])
        {
            out.push('<');
            push_url(out, &rest[pos..pos + len], false);
            out.push('>');
            while chars.next_if(|&(p, _)| p < pos + len).is_some() {}
            prev = Some('>');
            continue;
        }
        let next = chars.peek().map(|&(_, n)| n);
        match c {
            '\\' | '`' | '*' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // An intraword underscore cannot delimit emphasis; keep
            // `snake_case` readable and escape the rest.
            '_' if prev.is_some_and(is_alnum) && next.is_some_and(is_alnum) => out.push('_'),
            '_' => out.push_str("\\_"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if starts_entity(&rest[pos + 1..]) => out.push_str("\\&"),
            c if is_forbidden(c) => continue,
            c => out.push(c),
        }
        prev = Some(c);
    }
}

// ---------------------------------------------------------------------------
// Renderer
// ---------------------------------------------------------------------------

/// What separates the next block from the previous output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    /// A blank line: the default between blocks.
    Blank,
    /// A single newline: between items of a tight list, or before a list
    /// nested in an item right after the item's text.
    Newline,
    /// After a `<dt>` term: a hard line break if the description starts with
    /// a paragraph, so that term and description stay in one tight item.
    HardBreak,
}

/// Inline formatting of an open element.
#[derive(Debug)]
enum Style {
    Bold,
    Italic,
    /// Absolute http(s) link; holds the decoded `href`.
    Link(String),
    /// An element that renders no markup (relative link, nested bold, ...).
    Plain,
}

impl Style {
    fn opener(&self) -> &'static str {
        match self {
            Style::Bold => "**",
            Style::Italic => "*",
            Style::Link(_) => "[",
            Style::Plain => "",
        }
    }
}

/// An open inline element. Markup is emitted lazily: the opener is written
/// just before the element's first content (so empty elements vanish and
/// whitespace ends up outside the delimiters), and elements that span a
/// paragraph boundary are closed and re-opened around it.
#[derive(Debug)]
struct Inline {
    style: Style,
    /// The element kind that closes it.
    tag: Kind,
    /// Opener written in the current paragraph.
    opened: bool,
    /// Any content seen at all (an empty absolute link becomes an autolink).
    had_content: bool,
}

#[derive(Debug)]
enum Block {
    List {
        ordered: bool,
        next: u32,
    },
    Item {
        /// Marker written (the item's first block has been emitted).
        started: bool,
        /// Content column, valid once started.
        indent: usize,
        /// Inline elements opened inside the item are dropped at its end.
        inline_len: usize,
    },
}

/// Raw-text capture for `<code>` and `<pre>`/`<examples>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Capture {
    None,
    Code { depth: usize },
    Pre { kind: Kind, depth: usize },
}

struct Renderer {
    /// Finished Markdown.
    out: String,
    sep: Sep,
    /// Inline Markdown of the current paragraph; lines joined by `\n`.
    para: String,
    /// Plain text not yet escaped into `para`. Text is buffered across
    /// markup-less tags so URL detection and `_` handling see whole words.
    run: String,
    /// Collapsed whitespace waiting to be written before the next content.
    space: bool,
    /// A `<br>` waiting to become a hard line break before the next content.
    pending_break: bool,
    /// `**Note:**` or `**Important:**` waiting for the next paragraph.
    prefix: Option<&'static str>,
    inline: Vec<Inline>,
    blocks: Vec<Block>,
    capture: Capture,
    /// Text captured for `capture`.
    captured: String,
    /// Nesting depth of dropped `<fullname>` elements.
    skip_depth: usize,
    table_depth: usize,
    /// Cells seen in the current table row.
    cells: usize,
    /// Start of the emphasis closer run at the very end of `para`, if any.
    last_closer: Option<usize>,
    /// That closer run follows punctuation, so it is only a closer if the
    /// next character is not alphanumeric.
    closer_after_punct: bool,
    /// `para` ends with a code span (another one must not follow directly).
    code_tail: bool,
    /// Scratch buffer for decoded text.
    scratch: String,
}

impl Renderer {
    fn with_capacity(len: usize) -> Self {
        Renderer {
            out: String::with_capacity(len + len / 8),
            sep: Sep::Blank,
            para: String::new(),
            run: String::new(),
            space: false,
            pending_break: false,
            prefix: None,
            inline: Vec::new(),
            blocks: Vec::new(),
            capture: Capture::None,
            captured: String::new(),
            skip_depth: 0,
            table_depth: 0,
            cells: 0,
            last_closer: None,
            closer_after_punct: false,
            code_tail: false,
            scratch: String::new(),
        }
    }

    fn finish(mut self) -> String {
        match self.capture {
            Capture::Code { .. } => self.finish_code(),
            Capture::Pre { .. } => self.finish_pre(),
            Capture::None => {}
        }
        self.end_paragraph();
        self.out
    }

    fn token(&mut self, token: &Token<'_>) {
        if self.skip_depth > 0 {
            match *token {
                Token::Start {
                    kind: Kind::Fullname,
                    self_closing: false,
                    ..
                } => self.skip_depth += 1,
                Token::End {
                    kind: Kind::Fullname,
                    ..
                } => self.skip_depth -= 1,
                _ => {}
            }
            return;
        }
        match self.capture {
            Capture::Code { depth } => return self.code_token(token, depth),
            Capture::Pre { kind, depth } => return self.pre_token(token, kind, depth),
            Capture::None => {}
        }
        match *token {
            Token::Text(text) => self.text_source(text, true),
            Token::CData(text) => self.text_source(text, false),
            Token::Start {
                kind,
                attrs,
                self_closing,
                raw,
                ..
            } => {
                if self_closing {
                    match kind {
                        Kind::Para | Kind::Block => self.block_boundary(),
                        Kind::Br => self.line_break(),
                        Kind::Literal => self.text_source(raw, true),
                        _ => {}
                    }
                } else {
                    self.start(kind, attrs, raw);
                }
            }
            Token::End { kind, .. } => self.end(kind),
        }
    }

    fn start(&mut self, kind: Kind, attrs: &str, raw: &str) {
        match kind {
            Kind::Para | Kind::Block => self.block_boundary(),
            Kind::Br => self.line_break(),
            Kind::Link => self.open_link(attrs),
            Kind::Code => {
                self.capture = Capture::Code { depth: 1 };
                self.captured.clear();
            }
            Kind::Bold => self.push_inline(Style::Bold, Kind::Bold),
            Kind::Italic => self.push_inline(Style::Italic, Kind::Italic),
            Kind::Ul | Kind::Dl => self.open_list(false),
            Kind::Ol => self.open_list(true),
            Kind::Li => self.open_item(),
            Kind::Dt => {
                self.open_item();
                self.push_inline(Style::Bold, Kind::Dt);
            }
            Kind::Dd => self.open_description(),
            Kind::Note => self.open_callout("**Note:**"),
            Kind::Important => self.open_callout("**Important:**"),
            Kind::Heading => {
                self.block_boundary();
                self.push_inline(Style::Bold, Kind::Heading);
            }
            Kind::Pre | Kind::Examples => {
                self.block_boundary();
                self.capture = Capture::Pre { kind, depth: 1 };
                self.captured.clear();
            }
            Kind::Fullname => self.skip_depth = 1,
            Kind::Table => {
                self.block_boundary();
                self.table_depth += 1;
                self.cells = 0;
            }
            Kind::Tr => self.table_row(),
            Kind::Cell => self.table_cell(false),
            Kind::HeaderCell => self.table_cell(true),
            Kind::Literal => self.text_source(raw, true),
            Kind::Transparent | Kind::Unknown => {}
        }
    }

    fn end(&mut self, kind: Kind) {
        match kind {
            Kind::Para | Kind::Block | Kind::Dd => self.block_boundary(),
            // `</br>` is treated as `<br>` by browsers too.
            Kind::Br => self.line_break(),
            Kind::Link | Kind::Bold | Kind::Italic | Kind::Heading | Kind::HeaderCell => {
                self.close_inline(kind);
                if kind == Kind::Heading {
                    self.block_boundary();
                }
            }
            Kind::Ul | Kind::Ol | Kind::Dl => self.close_list(),
            Kind::Li => self.close_item(),
            Kind::Dt => {
                self.close_inline(Kind::Dt);
                if self.table_depth > 0 {
                    self.space = true;
                } else if self.end_paragraph()
                    && matches!(self.blocks.last(), Some(Block::Item { .. }))
                {
                    self.sep = Sep::HardBreak;
                }
            }
            Kind::Note | Kind::Important => {
                self.block_boundary();
                // An empty callout leaves nothing behind.
                self.prefix = None;
            }
            Kind::Table => {
                self.end_paragraph();
                self.table_depth = self.table_depth.saturating_sub(1);
            }
            Kind::Cell => self.space = true,
            Kind::Code
            | Kind::Pre
            | Kind::Examples
            | Kind::Fullname
            | Kind::Tr
            | Kind::Transparent
            | Kind::Unknown
            | Kind::Literal => {}
        }
    }

    // -- text ---------------------------------------------------------------

    /// Text from the document: decoded (unless CDATA) and rendered as prose.
    fn text_source(&mut self, src: &str, decode: bool) {
        let mut scratch = mem::take(&mut self.scratch);
        scratch.clear();
        push_text(&mut scratch, src, decode);
        self.text(&scratch);
        self.scratch = scratch;
    }

    /// Prose: whitespace runs collapse to one space; a blank line (as used by
    /// plain-text docs such as MediaLive's) separates paragraphs.
    fn text(&mut self, text: &str) {
        let mut rest = text;
        while !rest.is_empty() {
            let ws_len = rest
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len());
            if ws_len > 0 {
                let ws = &rest[..ws_len];
                let newlines = ws.matches('\n').count().max(ws.matches('\r').count());
                if newlines >= 2 && self.can_split_paragraph() {
                    self.end_paragraph();
                } else {
                    self.space = true;
                }
                rest = &rest[ws_len..];
            }
            let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if word_len > 0 {
                let word = &rest[..word_len];
                let first = if bare_url_len(word).is_some() {
                    '<'
                } else {
                    word.chars().next().unwrap_or(' ')
                };
                self.begin_content(first);
                self.run.push_str(word);
                rest = &rest[word_len..];
            }
        }
    }

    fn can_split_paragraph(&self) -> bool {
        self.table_depth == 0 && !self.in_link()
    }

    /// Inside link text, which must stay on one line.
    fn in_link(&self) -> bool {
        self.inline
            .iter()
            .any(|e| matches!(e.style, Style::Link(_)))
    }

    /// Prepares `para` for new content whose first source character is
    /// `first`: starts the paragraph (with a pending callout prefix), writes a
    /// pending hard break or space, and opens pending inline elements.
    fn begin_content(&mut self, first: char) {
        if self.para.is_empty() && self.run.is_empty() {
            // Leading whitespace and breaks of a paragraph are dropped.
            self.space = false;
            self.pending_break = false;
            if let Some(prefix) = self.prefix.take() {
                self.para.push_str(prefix);
                self.space = true;
            }
        } else if self.pending_break {
            self.pending_break = false;
            self.flush_run();
            self.para.push_str("\\\n");
            self.space = false;
            self.mark_appended();
        }

        let mut unopened = self
            .inline
            .iter()
            .filter(|e| !e.opened && !e.style.opener().is_empty());
        let opener = unopened.next().map(|e| e.style.opener());
        let single = unopened.next().is_none();

        // `**Note:**text` would not close the emphasis (a closer after
        // punctuation must not be followed by an alphanumeric); nor may two
        // code spans touch.
        if !self.space
            && ((self.closer_after_punct && is_alnum(first)) || (self.code_tail && first == '`'))
        {
            self.space = true;
        }

        let Some(opener) = opener else {
            if self.space {
                self.run.push(' ');
                self.space = false;
            }
            self.last_closer = None;
            self.closer_after_punct = false;
            self.code_tail = false;
            return;
        };

        self.flush_run();
        let mut merged = false;
        if !self.space {
            if let Some(start) = self.last_closer {
                if single && self.para[start..] == *opener {
                    // `<b>a</b><b>b</b>`: drop the closer instead of writing
                    // `**a****b**`.
                    self.para.truncate(start);
                    merged = true;
                } else if opener.starts_with('*') {
                    // Different delimiter runs must not touch.
                    self.space = true;
                }
            } else if opener.starts_with('*')
                && self.para.chars().next_back().is_some_and(is_alnum)
                && !is_alnum(first)
            {
                // `foo**(bar)**` would not open the emphasis.
                self.space = true;
            }
        }
        if self.space && !self.para.is_empty() {
            self.para.push(' ');
        }
        self.space = false;
        if opener == "[" && !merged && self.para.ends_with('!') {
            // `![` would start an image.
            self.para.pop();
            self.para.push_str("\\!");
        }
        for entry in self.inline.iter_mut().filter(|e| !e.opened) {
            if !merged {
                self.para.push_str(entry.style.opener());
            }
            entry.opened = true;
            entry.had_content = true;
        }
        self.mark_appended();
    }

    /// Something other than a closer was appended to `para`.
    fn mark_appended(&mut self) {
        self.last_closer = None;
        self.closer_after_punct = false;
        self.code_tail = false;
    }

    /// Escapes the pending plain text into `para`.
    fn flush_run(&mut self) {
        if self.run.is_empty() {
            return;
        }
        let line_start = self.para.is_empty() || self.para.ends_with('\n');
        let in_link = self
            .inline
            .iter()
            .any(|e| e.opened && matches!(e.style, Style::Link(_)));
        let prev = self.para.chars().next_back();
        escape_prose(&self.run, line_start, !in_link, prev, &mut self.para);
        self.run.clear();
        self.mark_appended();
    }

    fn emit_code_span(&mut self, content: &str) {
        let mut code = String::with_capacity(content.len());
        for word in content.split_whitespace() {
            if !code.is_empty() {
                code.push(' ');
            }
            code.extend(word.chars().filter(|&c| !is_forbidden(c)));
        }
        if code.is_empty() {
            self.space |= !content.is_empty();
            return;
        }
        self.begin_content('`');
        self.flush_run();
        let fence = "`".repeat(longest_backtick_run(&code) + 1);
        // A leading or trailing backtick needs a space to stay content.
        let pad = if code.starts_with('`') || code.ends_with('`') {
            " "
        } else {
            ""
        };
        for part in [&fence, pad, &code, pad, &fence] {
            self.para.push_str(part);
        }
        self.mark_appended();
        self.code_tail = true;
    }

    fn emit_autolink(&mut self, href: &str) {
        self.begin_content('<');
        self.flush_run();
        self.para.push('<');
        push_url(&mut self.para, href, false);
        self.para.push('>');
        self.mark_appended();
    }

    fn line_break(&mut self) {
        // Table rows and link text stay on one line.
        if !self.can_split_paragraph() {
            self.space = true;
        } else if self.pending_break {
            // `<br><br>` separates paragraphs.
            self.end_paragraph();
        } else if !self.para.is_empty() || !self.run.is_empty() {
            self.pending_break = true;
        }
    }

    // -- inline elements ----------------------------------------------------

    fn push_inline(&mut self, style: Style, tag: Kind) {
        if self.inline.len() >= MAX_INLINE_DEPTH {
            return;
        }
        // Nested bold-in-bold or link-in-link would produce broken Markdown.
        let duplicate = self
            .inline
            .iter()
            .any(|e| mem::discriminant(&e.style) == mem::discriminant(&style));
        let style = if duplicate { Style::Plain } else { style };
        self.inline.push(Inline {
            style,
            tag,
            opened: false,
            had_content: false,
        });
    }

    fn open_link(&mut self, attrs: &str) {
        let href = attribute(attrs, "href")
            .or_else(|| attribute(attrs, "url"))
            .unwrap_or("");
        let mut decoded = String::new();
        push_text(&mut decoded, href, true);
        let decoded = decoded.trim();
        let style = if is_absolute_http(decoded) {
            Style::Link(decoded.to_owned())
        } else {
            Style::Plain
        };
        self.push_inline(style, Kind::Link);
    }

    /// Closes the innermost element of kind `tag` and everything opened
    /// inside it. A stray closing tag is ignored.
    fn close_inline(&mut self, tag: Kind) {
        let Some(index) = self.inline.iter().rposition(|e| e.tag == tag) else {
            return;
        };
        // Escape pending text while the elements are still open (inside
        // link text, URLs must not become nested autolinks).
        self.flush_run();
        while self.inline.len() > index {
            let Some(entry) = self.inline.pop() else {
                break;
            };
            if entry.opened {
                self.push_closer(&entry.style);
            } else if let (Style::Link(href), false, true) =
                (&entry.style, entry.had_content, self.inline.len() == index)
            {
                // `<a href="https://..."></a>`: show the URL itself.
                self.emit_autolink(href);
            }
        }
    }

    fn push_closer(&mut self, style: &Style) {
        self.flush_run();
        match style {
            Style::Bold | Style::Italic => {
                if self.last_closer.is_none() {
                    self.closer_after_punct = self.para.chars().next_back().is_some_and(is_punct);
                    self.last_closer = Some(self.para.len());
                }
                self.para.push_str(style.opener());
                self.code_tail = false;
            }
            Style::Link(href) => {
                self.para.push_str("](");
                push_url(&mut self.para, href, true);
                self.para.push(')');
                self.mark_appended();
            }
            Style::Plain => {}
        }
    }

    // -- blocks -------------------------------------------------------------

    fn block_boundary(&mut self) {
        if self.table_depth > 0 {
            // Table cells are rendered on one line.
            self.space = true;
        } else {
            self.end_paragraph();
        }
    }

    /// Emits the current paragraph, if any; returns whether it did. Open
    /// inline elements are closed now and re-opened by the next content.
    fn end_paragraph(&mut self) -> bool {
        self.flush_run();
        for index in (0..self.inline.len()).rev() {
            if self.inline[index].opened {
                self.inline[index].opened = false;
                let style = mem::replace(&mut self.inline[index].style, Style::Plain);
                self.push_closer(&style);
                self.inline[index].style = style;
            }
        }
        self.space = false;
        self.pending_break = false;
        self.mark_appended();
        if self.para.is_empty() {
            return false;
        }
        let para = mem::take(&mut self.para);
        self.emit_block(&para, true);
        self.para = para;
        self.para.clear();
        true
    }

    /// A `<note>`/`<important>` whose first paragraph starts with `prefix`.
    fn open_callout(&mut self, prefix: &'static str) {
        self.block_boundary();
        if self.table_depth == 0 {
            self.prefix = Some(prefix);
        }
    }

    /// Writes a callout prefix that has no paragraph to attach to (the
    /// callout starts with a list or a code block).
    fn emit_prefix_alone(&mut self) {
        if let Some(prefix) = self.prefix.take() {
            self.emit_block(prefix, true);
        }
    }

    fn open_list(&mut self, ordered: bool) {
        if self.table_depth > 0 {
            self.space = true;
            return;
        }
        self.end_paragraph();
        let depth = self
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::List { .. }))
            .count();
        if depth >= MAX_LIST_DEPTH {
            // Items of deeper lists become siblings at the deepest level.
            return;
        }
        self.emit_prefix_alone();
        self.separate_list();
        self.blocks.push(Block::List { ordered, next: 1 });
    }

    /// A list nested in an item that already has content follows it on the
    /// next line, keeping the outer list tight; elsewhere a blank line
    /// separates it from the preceding block.
    fn separate_list(&mut self) {
        self.sep = if matches!(self.blocks.last(), Some(Block::Item { started: true, .. })) {
            Sep::Newline
        } else {
            Sep::Blank
        };
    }

    fn close_list(&mut self) {
        if self.table_depth > 0 {
            self.space = true;
            return;
        }
        self.end_paragraph();
        let Some(index) = self
            .blocks
            .iter()
            .rposition(|b| matches!(b, Block::List { .. }))
        else {
            return;
        };
        while self.blocks.len() > index + 1 {
            self.pop_item();
        }
        self.blocks.truncate(index);
        self.sep = Sep::Blank;
    }

    fn open_item(&mut self) {
        if self.table_depth > 0 {
            self.space = true;
            return;
        }
        self.end_paragraph();
        self.emit_prefix_alone();
        // An unclosed previous `<li>` ends here.
        if matches!(self.blocks.last(), Some(Block::Item { .. })) {
            self.pop_item();
        }
        if !matches!(self.blocks.last(), Some(Block::List { .. })) {
            // `<li>` outside a list.
            self.separate_list();
            self.blocks.push(Block::List {
                ordered: false,
                next: 1,
            });
        }
        self.blocks.push(Block::Item {
            started: false,
            indent: 0,
            inline_len: self.inline.len(),
        });
    }

    fn close_item(&mut self) {
        if self.table_depth > 0 {
            self.space = true;
            return;
        }
        self.end_paragraph();
        if matches!(self.blocks.last(), Some(Block::Item { .. })) {
            self.pop_item();
        }
    }

    /// Pops the item on top of the block stack.
    fn pop_item(&mut self) {
        self.end_paragraph();
        if let Some(&Block::Item {
            started,
            inline_len,
            ..
        }) = self.blocks.last()
        {
            self.blocks.pop();
            self.inline.truncate(inline_len);
            if started {
                // The next item follows on the next line (tight list).
                self.sep = Sep::Newline;
            }
        }
    }

    /// `<dd>`: continues the item of its `<dt>`, or starts one.
    fn open_description(&mut self) {
        if self.table_depth > 0 {
            self.space = true;
            return;
        }
        self.close_inline(Kind::Dt);
        self.end_paragraph();
        if matches!(self.blocks.last(), Some(Block::List { .. })) {
            self.open_item();
        }
    }

    fn table_row(&mut self) {
        if self.table_depth == 0 {
            self.block_boundary();
            return;
        }
        if self.in_link() {
            self.space = true;
        } else if !self.para.is_empty() || !self.run.is_empty() {
            self.pending_break = true;
        }
        self.cells = 0;
    }

    fn table_cell(&mut self, header: bool) {
        if self.table_depth == 0 {
            self.block_boundary();
            return;
        }
        let has_content = !self.para.is_empty() || !self.run.is_empty();
        if self.cells > 0 && has_content && !self.pending_break {
            self.flush_run();
            self.para.push_str(" |");
            self.mark_appended();
        }
        self.space = true;
        self.cells += 1;
        if header {
            self.push_inline(Style::Bold, Kind::HeaderCell);
        }
    }

    /// Writes a finished block: the separator, the indentation and any
    /// pending list markers, then its lines (continuation lines indented to
    /// the innermost item's content column).
    fn emit_block(&mut self, text: &str, is_paragraph: bool) {
        if !self.out.is_empty() {
            match self.sep {
                Sep::Newline => self.out.push('\n'),
                Sep::HardBreak if is_paragraph => self.out.push_str("\\\n"),
                Sep::Blank | Sep::HardBreak => self.out.push_str("\n\n"),
            }
        }
        // Items whose marker is not written yet form a suffix of the stack.
        let first_pending = self
            .blocks
            .iter()
            .position(|b| matches!(b, Block::Item { started: false, .. }))
            .unwrap_or(self.blocks.len());
        let mut column = content_indent(&self.blocks[..first_pending]);
        push_spaces(&mut self.out, column);
        for index in first_pending..self.blocks.len() {
            if !matches!(self.blocks[index], Block::Item { .. }) {
                continue;
            }
            let number = match index.checked_sub(1).and_then(|i| self.blocks.get_mut(i)) {
                Some(Block::List {
                    ordered: true,
                    next,
                }) => {
                    let number = *next;
                    *next = next.saturating_add(1);
                    Some(number)
                }
                _ => None,
            };
            let before = self.out.len();
            match number {
                Some(number) => {
                    let _ = write!(self.out, "{number}. ");
                }
                None => self.out.push_str("- "),
            }
            column += self.out.len() - before;
            if let Some(Block::Item {
                started, indent, ..
            }) = self.blocks.get_mut(index)
            {
                *started = true;
                *indent = column;
            }
        }
        let indent = content_indent(&self.blocks);
        for (n, line) in text.split('\n').enumerate() {
            if n > 0 {
                self.out.push('\n');
                if !line.is_empty() {
                    push_spaces(&mut self.out, indent);
                }
            }
            self.out.push_str(line);
        }
        self.sep = Sep::Blank;
    }

    // -- captured text ------------------------------------------------------

    fn code_token(&mut self, token: &Token<'_>, depth: usize) {
        match *token {
            Token::Text(text) => push_text(&mut self.captured, text, true),
            Token::CData(text) => push_text(&mut self.captured, text, false),
            Token::Start {
                kind,
                self_closing,
                raw,
                ..
            } => match kind {
                Kind::Code if !self_closing => {
                    self.capture = Capture::Code { depth: depth + 1 };
                }
                Kind::Br => self.captured.push('\n'),
                Kind::Literal => push_text(&mut self.captured, raw, true),
                // A block inside `<code>` means the code was never closed:
                // end it here rather than swallowing the rest.
                kind if kind.is_block() => {
                    self.finish_code();
                    self.token(token);
                }
                _ => {}
            },
            Token::End { kind, .. } => match kind {
                Kind::Code if depth > 1 => self.capture = Capture::Code { depth: depth - 1 },
                Kind::Code => self.finish_code(),
                kind if kind.is_block() => {
                    self.finish_code();
                    self.token(token);
                }
                _ => {}
            },
        }
    }

    /// Renders captured `<code>` content: a code span, or a fenced block if
    /// it spans several lines.
    fn finish_code(&mut self) {
        self.capture = Capture::None;
        let captured = mem::take(&mut self.captured);
        if captured.trim().contains('\n') {
            self.end_paragraph();
            self.emit_fenced(&captured);
        } else {
            self.emit_code_span(&captured);
        }
        self.captured = captured;
        self.captured.clear();
    }

    fn pre_token(&mut self, token: &Token<'_>, pre: Kind, depth: usize) {
        match *token {
            Token::Text(text) => push_text(&mut self.captured, text, true),
            Token::CData(text) => push_text(&mut self.captured, text, false),
            Token::Start {
                kind,
                self_closing,
                raw,
                ..
            } => match kind {
                _ if kind == pre && !self_closing => {
                    self.capture = Capture::Pre {
                        kind: pre,
                        depth: depth + 1,
                    };
                }
                Kind::Br => self.captured.push('\n'),
                Kind::Literal => push_text(&mut self.captured, raw, true),
                _ => {}
            },
            Token::End { kind, .. } => match kind {
                _ if kind == pre && depth > 1 => {
                    self.capture = Capture::Pre {
                        kind: pre,
                        depth: depth - 1,
                    };
                }
                _ if kind == pre => self.finish_pre(),
                Kind::Para | Kind::Block | Kind::Li | Kind::Tr | Kind::Dt | Kind::Dd => {
                    self.captured.push('\n');
                }
                _ => {}
            },
        }
    }

    fn finish_pre(&mut self) {
        self.capture = Capture::None;
        let captured = mem::take(&mut self.captured);
        self.emit_fenced(&captured);
        self.captured = captured;
        self.captured.clear();
    }

    /// Emits `raw` as a fenced `text` block: line endings normalized, tabs
    /// expanded, trailing whitespace, surrounding and repeated blank lines
    /// removed, common indentation stripped.
    fn emit_fenced(&mut self, raw: &str) {
        let mut text = String::with_capacity(raw.len());
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\t' => text.push_str("    "),
                // `\r\n` and a lone `\r` both end a line.
                '\r' if chars.peek() == Some(&'\n') => {}
                '\r' | '\n' => text.push('\n'),
                c if is_forbidden(c) => {}
                c => text.push(c),
            }
        }
        let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
        let Some(first) = lines.iter().position(|l| !l.is_empty()) else {
            return;
        };
        let last = lines.iter().rposition(|l| !l.is_empty()).unwrap_or(first);
        let body = &lines[first..=last];
        let dedent = body
            .iter()
            .filter(|l| !l.is_empty())
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .min()
            .unwrap_or(0);
        let fence = "`".repeat(longest_backtick_run(&text).max(2) + 1);
        let mut block = String::with_capacity(text.len() + 2 * fence.len() + 8);
        block.push_str(&fence);
        block.push_str("text\n");
        let mut previous_blank = false;
        for line in body {
            // At most one blank line in a row, in code as in prose.
            if line.is_empty() && previous_blank {
                continue;
            }
            previous_blank = line.is_empty();
            block.push_str(line.get(dedent..).unwrap_or(line));
            block.push('\n');
        }
        block.push_str(&fence);
        self.end_paragraph();
        self.emit_prefix_alone();
        self.emit_block(&block, false);
    }
}

/// Content column of the innermost started item in `blocks`, or 0.
fn content_indent(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .rev()
        .find_map(|b| match b {
            Block::Item {
                started: true,
                indent,
                ..
            } => Some(*indent),
            _ => None,
        })
        .unwrap_or(0)
}

fn push_spaces(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;

    /// Checks the guarantees the generated docs rely on and returns the
    /// first violation: no indentation except list continuations, only
    /// ```` ```text ```` fences, no unescaped `[`, `]`, `<`, `>` or `~`
    /// outside code spans, links and autolinks, no bare URLs, no unbalanced
    /// code spans, no block markers at line starts, tidy blank lines and no
    /// trailing whitespace.
    fn check(out: &str) -> Result<(), String> {
        if out.starts_with('\n') || out.ends_with('\n') || out.contains("\n\n\n") {
            return Err("leading, trailing or repeated blank line".into());
        }
        // Content columns of the list items the current line may belong to.
        let mut items: Vec<usize> = Vec::new();
        let mut fence: Option<usize> = None;
        let mut prev_blank = false;
        for line in out.split('\n') {
            let fail = |what: &str| Err(format!("{what}: {line:?}"));
            if line.ends_with(char::is_whitespace) {
                return fail("trailing whitespace");
            }
            if line.chars().any(|c| c.is_control()) {
                return fail("control character");
            }
            let indent = line.len() - line.trim_start_matches(' ').len();
            let mut body = &line[indent..];
            if let Some(len) = fence {
                if body.len() == len && body.bytes().all(|b| b == b'`') {
                    fence = None;
                }
                continue;
            }
            if body.is_empty() {
                prev_blank = true;
                continue;
            }
            if indent == 0 && prev_blank {
                items.clear();
            }
            prev_blank = false;
            // Lines belong to the items whose content column they reach.
            while items.last().is_some_and(|&col| col > indent) {
                items.pop();
            }
            if indent > 0 && items.last() != Some(&indent) {
                return fail("indentation that is not a list continuation");
            }
            // List markers, possibly several (`- - x`).
            let mut column = indent;
            loop {
                let digits = body.bytes().take_while(u8::is_ascii_digit).count();
                let marker = if body.starts_with("- ") {
                    2
                } else if digits > 0 && body[digits..].starts_with(". ") {
                    digits + 2
                } else {
                    break;
                };
                column += marker;
                items.push(column);
                body = &body[marker..];
            }
            // A backtick fence's info string cannot contain backticks, so
            // such a line starts with a code span instead.
            if let Some(ticks) = body
                .strip_prefix("```")
                .filter(|rest| !rest.trim_start_matches('`').contains('`'))
            {
                let ticks = ticks.trim_start_matches('`');
                if ticks != "text" {
                    return fail("fence without `text`");
                }
                fence = Some(body.len() - "text".len());
                continue;
            }
            if body.starts_with(['#', '+', '=', '>', '/', '-', '~', ' ', '\t'])
                || body.starts_with("**")
                    && body.len() > 2
                    && body[2..].starts_with(char::is_whitespace)
            {
                return fail("block marker at line start");
            }
            let digits = body.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && body[digits..].starts_with(['.', ')']) {
                return fail("ordered-list marker at line start");
            }
            check_inline(body).map_err(|e| format!("{e}: {line:?}"))?;
        }
        if fence.is_some() {
            return Err("unclosed fence".into());
        }
        Ok(())
    }

    fn check_inline(body: &str) -> Result<(), String> {
        let bytes = body.as_bytes();
        let mut in_link_text = false;
        let mut i = 0;
        // Length of the character at `at`.
        let char_len = |at: usize| body[at..].chars().next().map_or(1, char::len_utf8);
        while i < bytes.len() {
            let rest = &body[i..];
            match bytes[i] {
                b'\\' if i + 1 < bytes.len() => i += 1 + char_len(i + 1),
                b'`' => {
                    let run = rest.bytes().take_while(|&b| b == b'`').count();
                    let fence = &rest[..run];
                    let after = &rest[run..];
                    // The closing run must have exactly the same length.
                    let mut search = 0;
                    let close = loop {
                        let Some(pos) = after[search..].find(fence) else {
                            return Err("unclosed code span".into());
                        };
                        let at = search + pos;
                        let end = at + run;
                        if after.as_bytes().get(end) != Some(&b'`') {
                            break end;
                        }
                        search = end + after[end..].bytes().take_while(|&b| b == b'`').count();
                    };
                    i += run + close;
                }
                b'<' => {
                    let lower = rest.to_ascii_lowercase();
                    let end = rest.find('>').ok_or("unescaped <")?;
                    if !(lower.starts_with("<http://") || lower.starts_with("<https://"))
                        || rest[1..end].contains([' ', '<'])
                    {
                        return Err("unescaped < (not an autolink)".into());
                    }
                    i += end + 1;
                }
                b'>' => return Err("unescaped >".into()),
                b'~' => return Err("unescaped ~".into()),
                b'[' if in_link_text => return Err("nested [".into()),
                b'[' => {
                    in_link_text = true;
                    i += 1;
                }
                b']' => {
                    if !in_link_text || !rest.starts_with("](http") {
                        return Err("unescaped ] (not a link)".into());
                    }
                    let close = rest.find(')').ok_or("unclosed link destination")?;
                    if rest[2..close].contains([' ', '(', '<']) {
                        return Err("bad link destination".into());
                    }
                    in_link_text = false;
                    i += close + 1;
                }
                b'h' | b'H' if !in_link_text => {
                    let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
                    if (lower.starts_with("http://") || lower.starts_with("https://"))
                        && rest[lower.find("//").unwrap_or(0) + 2..]
                            .starts_with(|c: char| c.is_ascii_alphanumeric())
                    {
                        return Err("bare URL".into());
                    }
                    i += 1;
                }
                _ => i += char_len(i),
            }
        }
        if in_link_text {
            return Err("unclosed [".into());
        }
        Ok(())
    }

    #[track_caller]
    fn assert_md(html: &str, expected: &str) {
        let out = md(html);
        assert_eq!(out, expected, "\ninput: {html:?}");
        if let Err(e) = check(&out) {
            panic!("{e}\ninput: {html:?}\noutput:\n{out}");
        }
    }

    #[test]
    fn empty_and_whitespace() {
        assert_md("", "");
        assert_md(" \n\t ", "");
        assert_md("<p></p> <p> </p><br/>", "");
    }

    #[test]
    fn paragraphs() {
        assert_md(
            "<p>First   paragraph.</p> <p>Second\n   paragraph, <i>with</i> <b>markup</b>.</p><p/>Third",
            "First paragraph.\n\nSecond paragraph, *with* **markup**.\n\nThird",
        );
        // Text outside any tag, blank-line separated as in MediaLive's docs.
        assert_md(
            "One line\ncontinues.\n\nNext paragraph.",
            "One line continues.\n\nNext paragraph.",
        );
    }

    #[test]
    fn line_breaks() {
        assert_md(
            "<p><b>Note:</b><br>Adding nodes.<br> Removing nodes.<br></p>",
            "**Note:**\\\nAdding nodes.\\\nRemoving nodes.",
        );
        assert_md("<p>a<br><br>b</p>", "a\n\nb");
    }

    #[test]
    fn nested_lists() {
        assert_md(
            "<p>Options:</p><ul><li><p>One</p><ul><li>Nested <code>a</code></li>\
             <li>Nested b<ul><li>Deep</li></ul></li></ul></li><li>Two</li></ul>\
             <ol><li>First</li><li><p>Second</p><p>More</p></li></ol><p>After.</p>",
            "Options:\n\n- One\n  - Nested `a`\n  - Nested b\n    - Deep\n- Two\n\n\
             1. First\n2. Second\n\n   More\n\nAfter.",
        );
        // Empty items vanish; unclosed items close at the next one.
        assert_md("<ul><li></li><li>a<li>b</ul>", "- a\n- b");
        // An item starting with a nested list.
        assert_md("<ul><li><ul><li>x</li></ul></li></ul>", "- - x");
    }

    #[test]
    fn links() {
        assert_md(
            r#"<p>See <a href="https://docs.aws.amazon.com/x.html">the <i>guide</i></a>, <a href="/relative/path">relative</a>, <a href="">empty</a> and <a>Operation</a>.</p>"#,
            "See [the *guide*](https://docs.aws.amazon.com/x.html), relative, empty and Operation.",
        );
        assert_md(
            r#"<a href=" https://example.com/a b(c)?x=1&amp;copy;y&z=2 ">x [1]</a>"#,
            r"[x \[1\]](https://example.com/a%20b%28c%29?x=1\&copy;y&z=2)",
        );
        assert_md(
            r#"<a href="https://example.com"></a>"#,
            "<https://example.com>",
        );
        assert_md(
            r#"<a href="https://x.com"> <code>ListDomains</code> </a> in"#,
            "[`ListDomains`](https://x.com) in",
        );
        assert_md(
            r#"Done!<a href="https://x.com">go</a>"#,
            r"Done\![go](https://x.com)",
        );
        assert_md(
            r#"<ulink url="http://docs.aws.amazon.com/a">Tools</ulink> and <a href="mailto:x@y.com">mail</a>"#,
            "[Tools](http://docs.aws.amazon.com/a) and mail",
        );
    }

    #[test]
    fn bare_urls() {
        assert_md(
            "<p>See https://example.com/path. Or (http://www.ietf.org/rfc/rfc1738.txt), https://en.wikipedia.org/wiki/A_(b).</p>",
            "See <https://example.com/path>. Or (<http://www.ietf.org/rfc/rfc1738.txt>), <https://en.wikipedia.org/wiki/A_(b)>.",
        );
        // Entity-escaped angle brackets around a URL; a templated host.
        assert_md(
            "&lt;URI&gt;http://acs.amazonaws.com/groups/global/AllUsers&lt;/URI&gt; https://{bucket}.s3.amazonaws.com",
            "&lt;URI&gt;<http://acs.amazonaws.com/groups/global/AllUsers>&lt;/URI&gt; https://{bucket}.s3.amazonaws.com",
        );
        // Inside link text a URL is not turned into a nested link.
        assert_md(
            r#"<a href="https://a.com">https://a.com</a>"#,
            "[https://a.com](https://a.com)",
        );
        assert_md(
            "must start with <code>https://</code>.",
            "must start with `https://`.",
        );
    }

    #[test]
    fn brackets_and_angle_brackets() {
        assert_md(
            "<p>Use [a] or &lt;b&gt; or a<5 or x > y or arn:aws:iam::<account-id>:role/<role-name></p>",
            r"Use \[a\] or &lt;b&gt; or a&lt;5 or x &gt; y or arn:aws:iam::&lt;account-id&gt;:role/&lt;role-name&gt;",
        );
        // Unknown elements that are closed are dropped; their text stays.
        assert_md("<value>The type</value> of <N>", "The type of &lt;N&gt;");
        // XML examples written as self-closing tags stay visible.
        assert_md(
            r#"adds <Role schemeIDUri="urn:mpeg:dash:role:2011" value="subtitle"/>."#,
            r#"adds &lt;Role schemeIDUri="urn:mpeg:dash:role:2011" value="subtitle"/&gt;."#,
        );
    }

    #[test]
    fn markdown_characters_are_escaped() {
        assert_md(
            r"a*b `c` ~d~ e|f \g snake_case _lead trail_ AT&T &amp;lt; 100%",
            r"a\*b \`c\` \~d\~ e\|f \\g snake_case \_lead trail\_ AT&T \&lt; 100%",
        );
        // Block markers at the start of lines.
        assert_md(
            "<p># not a heading</p><p>1. not a list</p><p>- nor this</p><p>+ x</p><p>=</p><p>/dev/sda1</p><p>2018 was</p>",
            "\\# not a heading\n\n1\\. not a list\n\n\\- nor this\n\n\\+ x\n\n\\=\n\n\\/dev/sda1\n\n2018 was",
        );
        assert_md("<ul><li># x</li></ul>a<br>- b", "- \\# x\n\na\\\n\\- b");
    }

    #[test]
    fn code_spans() {
        assert_md("<code>a`b</code>", "``a`b``");
        assert_md("<code>`x`</code>", "`` `x` ``");
        assert_md("<code>  many \t  spaces </code>", "`many spaces`");
        assert_md(
            "<code>$variable.`Vehicle.OutsideAirTemperature` &gt;= 105.0</code>",
            "``$variable.`Vehicle.OutsideAirTemperature` >= 105.0``",
        );
        // Markup and brackets inside code are literal.
        assert_md("<code>[<i>name</i>]*</code>", "`[name]*`");
        // Adjacent code spans and empty code.
        assert_md("<code>a</code><code>b</code><code></code>.", "`a` `b`.");
        assert_md("see <code>x</code><code> </code>y", "see `x` y");
    }

    #[test]
    fn pre_blocks() {
        assert_md(
            "<p>Example:</p><pre>\n  {\n    \"key\": [1, 2],\n\t\"x\": \"&lt;y&gt;\"\n  }\n</pre><p>After</p>",
            "Example:\n\n```text\n{\n  \"key\": [1, 2],\n  \"x\": \"<y>\"\n}\n```\n\nAfter",
        );
        // Multi-line code becomes a block too; a fence longer than the content's backtick runs.
        assert_md(
            "<code>line1\n```\nline3</code>",
            "````text\nline1\n```\nline3\n````",
        );
        assert_md(
            "<ul><li>Run:<pre><code>aws s3 ls\n  --recursive</code></pre></li></ul>",
            "- Run:\n\n  ```text\n  aws s3 ls\n    --recursive\n  ```",
        );
        assert_md("<examples>a\r\nb</examples>", "```text\na\nb\n```");
        // A list item whose first block is a code block.
        assert_md(
            "<ul><li><pre>a\n  b</pre></li><li>c</li></ul>",
            "- ```text\n  a\n    b\n  ```\n- c",
        );
        assert_md("<pre> </pre>", "");
        assert_md("<pre>a\n\n\n\nb</pre>", "```text\na\n\nb\n```");
        // Not a fence: the info string of a backtick fence has no backticks.
        assert_md("<code>```x</code>", "```` ```x ````");
    }

    #[test]
    fn notes() {
        assert_md(
            "<p>Intro.</p><note><p>Be <b>careful</b>.</p><p>Really.</p></note>",
            "Intro.\n\n**Note:** Be **careful**.\n\nReally.",
        );
        assert_md("<important>Do not.</important>", "**Important:** Do not.");
        assert_md(
            "<note><ul><li>a</li><li>b</li></ul></note>",
            "**Note:**\n\n- a\n- b",
        );
        assert_md("<note> </note><p>x</p>", "x");
    }

    #[test]
    fn entities() {
        assert_md(
            "&lt;a&gt; &amp; &quot;q&quot; &apos;s&apos; x&nbsp;y &#65;&#x42; &#150; &#x2028; &unknown; &#; &#xZZ; &#99999999999; &amp",
            "&lt;a&gt; & \"q\" 's' x y AB \u{2013} \\&unknown; &#; \\&#xZZ; \u{FFFD} &amp",
        );
        assert_md("&#x202E;rtl&#8;", "rtl");
    }

    #[test]
    fn emphasis_flanking() {
        // A closer after punctuation needs a space before a following letter.
        assert_md(
            "<li> <b>Default VPC:</b>true</li>",
            "- **Default VPC:** true",
        );
        // Intraword emphasis is fine with `*`.
        assert_md("Search<b>All</b>Related", "Search**All**Related");
        // Whitespace moves outside the delimiters; empty elements vanish.
        assert_md("a<b> b </b>c<i></i>d", "a **b** cd");
        // Adjacent bold elements merge; bold followed by italic is separated.
        assert_md("<b>a</b><b>b</b> <b>c</b><i>d</i>", "**ab** **c** *d*");
        // An opener between a letter and punctuation needs a space.
        assert_md("foo<b>(bar)</b>", "foo **(bar)**");
        assert_md("<b><b>x</b></b> <i><em>y</em></i>", "**x** *y*");
    }

    #[test]
    fn headings_definitions_tables() {
        assert_md("<h2>Behavior</h2><p>Text</p>", "**Behavior**\n\nText");
        assert_md(
            "<dl><dt>200</dt><dd><p>OK.</p></dd><dt><code>404</code></dt><dd><ul><li>a</li></ul></dd></dl>",
            "- **200**\\\n  OK.\n- **`404`**\n  - a",
        );
        assert_md(
            "<table><tr><th>Name</th><th>Value</th></tr><tr><td>a</td><td><p>1</p></td></tr><tr><td></td><td>- 2<br>3</td></tr></table>",
            "**Name** | **Value**\\\na | 1\\\n\\- 2 3",
        );
    }

    #[test]
    fn fullname_cdata_comments() {
        assert_md(
            "<fullname>Amazon DynamoDB</fullname><p>DynamoDB is fast.</p>",
            "DynamoDB is fast.",
        );
        // An unclosed fullname does not swallow the text.
        assert_md(
            "<fullname>Amazon S3 <p>Storage.</p>",
            "Amazon S3\n\nStorage.",
        );
        assert_md(
            "a<!-- hidden -->b <![CDATA[&amp;<x>]]>",
            r"ab \&amp;&lt;x&gt;",
        );
        assert_md("a <!-- unterminated", "a &lt;!-- unterminated");
    }

    #[test]
    fn leading_whitespace_never_indents() {
        assert_md(
            "    <p>    indented</p>\n        more text",
            "indented\n\nmore text",
        );
        assert_md(
            "\tcode-like\n    line\n\n    next",
            "code-like line\n\nnext",
        );
        assert_md("<li>    x\n      y</li>", "- x y");
    }

    #[test]
    fn malformed_input() {
        assert_md("<p>unclosed <b>bold", "unclosed **bold**");
        assert_md("</p>stray close<p>", "stray close");
        assert_md("a < b and c > d <", "a &lt; b and c &gt; d &lt;");
        assert_md("<<>><>", "&lt;&lt;&gt;&gt;&lt;&gt;");
        assert_md("<p", "&lt;p");
        assert_md(r#"<a href="x>y"#, r#"&lt;a href="x&gt;y"#);
        assert_md(
            "<a href='https://x.com'>unclosed link",
            "[unclosed link](https://x.com)",
        );
        assert_md("<code>unclosed code<p>next", "`unclosed code`\n\nnext");
        assert_md("<ul><li>one<li>two", "- one\n- two");
        assert_md("<li>stray</li><li>items</li>", "- stray\n- items");
        assert_md("</ul></li></a></b>text", "text");
        assert_md(
            "🎉 <b>ünïcödé</b> 日本語<i>テキスト</i>",
            "🎉 **ünïcödé** 日本語*テキスト*",
        );
        assert_md("<b><p>a</p><p>b</p></b>", "**a**\n\n**b**");
        assert_md(
            "<1p>x</1p> <p/ > <p =x>",
            "&lt;1p&gt;x&lt;/1p&gt; &lt;p/ &gt; &lt;p =x&gt;",
        );

        // Whatever the input, no panic, the checks hold and words survive.
        let nasty = [
            "<",
            ">",
            "&",
            "&#",
            "&#x",
            "<!--",
            "<![CDATA[",
            "</",
            "<a",
            "<a ",
            "<a href=",
            "<a href=\"",
            "<pre>",
            "<pre><code>",
            "<code>",
            "<note>",
            "<ul><li>",
            "<table><tr><td>",
            "<dl><dt>",
            "<dd>",
            "<h1>",
            "<fullname>",
            "<p/>",
            "<br/>",
            "</pre>",
            "<ol><ol><ol><li>",
            "x\u{0}y",
            "<b><i><a href='https://a.b'><code>",
            "</code></a></i></b>",
        ];
        for a in nasty {
            for b in nasty {
                let html = format!("{a}<p>word1</p>{b}<p>word2</p>{a}");
                let out = md(&html);
                if let Err(e) = check(&out) {
                    panic!("{e}\ninput: {html:?}\noutput:\n{out}");
                }
                assert!(
                    out.contains("word1") && out.contains("word2"),
                    "{html:?} -> {out:?}"
                );
            }
        }
    }

    #[test]
    fn deep_nesting_and_long_input() {
        let html = "<ul><li>x".repeat(200) + &"</li></ul>".repeat(200);
        let out = md(&html);
        assert_eq!(out.matches('x').count(), 200);
        let html = "<b>".repeat(10_000) + "deep";
        assert_eq!(md(&html), "**deep**");
        let html = "<i><a href='https://x.y'>".repeat(10_000) + "deep";
        assert_eq!(md(&html), "*[deep](https://x.y)*");
        let html = "<a b=\"".repeat(20_000);
        assert!(md(&html).starts_with("&lt;a b=\""));
        let html = format!("https://example.com/{}", ")".repeat(100_000));
        assert!(md(&html).starts_with("<https://example.com/>)))"));
        let html = "<!--".repeat(50_000) + &"<![CDATA[".repeat(50_000);
        assert!(md(&html).starts_with("&lt;!--&lt;!--"));
    }

    /// Real documentation strings from botocore models.
    const SAMPLES: &[&str] = &[
        // s3tables
        r##"<p>Gets details about a table policy. For more information, see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-table-policy.html#table-policy-get">Viewing a table policy</a> in the <i>Amazon Simple Storage Service User Guide</i>.</p> <dl> <dt>Permissions</dt> <dd> <p>You must have the <code>s3tables:GetTablePolicy</code> permission to use this operation. </p> </dd> </dl>"##,
        // es
        r##"<p>Log Publishing option that is set for given domain. <br/>Attributes and their details: <ul> <li>CloudWatchLogsLogGroupArn: ARN of the Cloudwatch log group to which log needs to be published.</li> <li>Enabled: Whether the log publishing for given log type is enabled or not</li> </ul> </p>"##,
        // codeguruprofiler
        r##"<p> <pre><code> The structure representing the &lt;code&gt;removePermissionRequest&lt;/code&gt;.&lt;/p&gt; </code></pre>"##,
        // support
        r##"<p>Adds one or more attachments to an attachment set. </p> <p>An attachment set is a temporary container for attachments that you add to a case or case communication. The set is available for 1 hour after it's created. The <code>expiryTime</code> returned in the response is when the set expires. </p> <note> <ul> <li> <p>You must have a Business, Enterprise On-Ramp, or Enterprise Support plan to use the Amazon Web Services Support API. </p> </li> <li> <p>If you call the Amazon Web Services Support API from an account that doesn't have a Business, Enterprise On-Ramp, or Enterprise Support plan, the <code>SubscriptionRequiredException</code> error message appears. For information about changing your support plan, see <a href="http://aws.amazon.com/premiumsupport/">Amazon Web Services Support</a>.</p> </li> </ul> </note>"##,
        // quicksight
        r##"<p>The Amazon Quick user's Amazon Resource Name (ARN), for use with <code>QUICKSIGHT</code> identity type. You can use this for any type of Amazon Quick users in your account (readers, authors, or admins). They need to be authenticated as one of the following:</p> <ol> <li> <p>Active Directory (AD) users or group members</p> </li> <li> <p>Invited nonfederated users</p> </li> <li> <p>IAM users and IAM role-based sessions authenticated through Federated Single Sign-On using SAML, OpenID Connect, or IAM federation</p> </li> </ol> <p>Omit this parameter for users in the third group, IAM users and IAM role-based sessions.</p>"##,
        // notifications
        r##"<p>The aggregation type of the <code>NotificationConfiguration</code>.</p> <ul> <li> <p>Values:</p> <ul> <li> <p> <code>AGGREGATE</code> </p> <ul> <li> <p>The notification event is an aggregate notification. Aggregate notifications summarize grouped events over a specified time period.</p> </li> </ul> </li> <li> <p> <code>CHILD</code> </p> <ul> <li> <p>Some <code>EventRules</code> are <code>ACTIVE</code> and some are <code>INACTIVE</code>. Any call can be run.</p> </li> </ul> </li> <li> <p> <code>NONE</code> </p> <ul> <li> <p>The notification isn't aggregated.</p> </li> </ul> </li> </ul> </li> </ul>"##,
        // secretsmanager
        r##"<p>Specifies whether to exclude the following punctuation characters from the password: <code>! " # $ % &amp; ' ( ) * + , - . / : ; &lt; = &gt; ? @ [ \ ] ^ _ ` { | } ~</code>. If you don't include this switch, the password can contain punctuation.</p>"##,
        // deadline
        r##"<p>The text of the script that runs as a worker is starting up that you can use to provide additional configuration for workers in your fleet. The script runs after a worker enters the <code>STARTING</code> state and before the worker processes tasks.</p> <p>For more information about using the script, see <a href="https://docs.aws.amazon.com/deadline-cloud/latest/developerguide/smf-admin.html">Run scripts as an administrator to configure workers</a> in the <i>Deadline Cloud Developer Guide</i>. </p> <important> <p>The script runs as an administrative user (<code>sudo root</code> on Linux, as an Administrator on Windows). </p> </important>"##,
        // securityhub
        r##"<p>The instance that is being checked. The target specifies the protocol and port. The available protocols are TCP, SSL, HTTP, and HTTPS. The range of valid ports is 1 through 65535.</p> <p>For the HTTP and HTTPS protocols, the target also specifies the ping path.</p> <p>For the TCP protocol, the target is specified as <code>TCP: <i>&lt;port&gt;</i> </code>.</p> <p>For the SSL protocol, the target is specified as <code>SSL.<i>&lt;port&gt;</i> </code>.</p> <p>For the HTTP and HTTPS protocols, the target is specified as <code> <i>&lt;protocol&gt;</i>:<i>&lt;port&gt;</i>/<i>&lt;path to ping&gt;</i> </code>.</p>"##,
        // m2
        r##"<p>See https://www.ibm.com/docs/en/workload-automation/9.3.0?topic=zos-coding-variables-in-jcl to get details about limits for both keys and values: 8 for keys (variable names), 44 for values (variable values) In addition, keys will be only alphabetic characters and digits, without any space or special characters (dash, underscore, etc ...)</p> <p>For BluAge Engine: There is no limit in length of keys and values. Additional validation may be applied in code, per engine. Parameter key: the first character must be alphabetic. Can be of up to 32 alphanumeric characters.</p>"##,
        // waf-regional
        r##"<note> <p>This is <b>AWS WAF Classic</b> documentation. For more information, see <a href="https://docs.aws.amazon.com/waf/latest/developerguide/classic-waf-chapter.html">AWS WAF Classic</a> in the developer guide.</p> <p> <b>For the latest version of AWS WAF</b>, use the AWS WAFV2 API and see the <a href="https://docs.aws.amazon.com/waf/latest/developerguide/waf-chapter.html">AWS WAF Developer Guide</a>. With the latest version, AWS WAF has a single set of endpoints for regional and global use. </p> </note> <p>Returns an array of IP addresses currently being blocked by the <a>RateBasedRule</a> that is specified by the <code>RuleId</code>. The maximum number of managed keys that will be blocked is 10,000. If more than 10,000 addresses exceed the rate limit, the 10,000 addresses with the highest rates will be blocked.</p>"##,
        // dynamodbstreams
        r##"<fullname>Amazon DynamoDB</fullname> <p>Amazon DynamoDB Streams provides API actions for accessing streams and processing stream records. To learn more about application development with Streams, see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html">Capturing Table Activity with DynamoDB Streams</a> in the Amazon DynamoDB Developer Guide.</p>"##,
        // ec2
        r##"<p>The name of the security group.</p> <p>Constraints: Up to 255 characters in length</p> <p>Constraints for EC2-Classic: ASCII characters</p> <p>Constraints for EC2-VPC: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=<![CDATA[&amp;]]>;{}!$*</p>"##,
        // logs
        r##"<p>The <code>CSV</code> processor parses comma-separated values (CSV) from the log events into columns.</p> <p>For more information about this processor including examples, see <a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Transformation.html#CloudWatch-Logs-Transformation-csv"> csv</a> in the <i>CloudWatch Logs User Guide</i>.</p>"##,
        // iot
        r##"<p>The package version Amazon Resource Names (ARNs) that are installed on the device when the job successfully completes. The package version must be in either the Published or Deprecated state when the job deploys. For more information, see <a href="https://docs.aws.amazon.com/iot/latest/developerguide/preparing-to-use-software-package-catalog.html#package-version-lifecycle">Package version lifecycle</a>.The package version must be in either the Published or Deprecated state when the job deploys. For more information, see <a href="https://docs.aws.amazon.com/iot/latest/developerguide/preparing-to-use-software-package-catalog.html#package-version-lifecycle">Package version lifecycle</a>.</p> <p> <b>Note:</b>The following Length Constraints relates to a single ARN. Up to 25 package version ARNs are allowed.</p>"##,
        // inspector2
        r##"<p>arn:aws:inspector2:<region>:<account-id>:codesecurity-integration/<uuid></p>"##,
        // bedrock-agentcore-control
        r##"<p>A dimension key specifying the scope dimension for rate limiting. Allowed values: &quot;targetName&quot;, &quot;toolName&quot;, &quot;qualifiedModelId&quot;, or context-path expressions: &quot;$.context.iam.principal&quot;, &quot;$.context.iam.sourceIdentity&quot;, &quot;$.context.jwt.<claim>&quot; where <claim> is a JWT claim name (e.g., &quot;$.context.jwt.sub&quot;). Validated server-side to enforce allowed prefixes and patterns.</p>"##,
        // mediaconvert
        r##"If the IMSC captions track is intended to provide accessibility for people who are deaf or hard of hearing: Set Accessibility subtitles to Enabled. When you do, MediaConvert adds accessibility attributes to your output HLS or DASH manifest. For HLS manifests, MediaConvert adds the following accessibility attributes under EXT-X-MEDIA for this track: CHARACTERISTICS="public.accessibility.transcribes-spoken-dialog,public.accessibility.describes-music-and-sound" and AUTOSELECT="YES". For DASH manifests, MediaConvert adds the following in the adaptation set for this track: <Accessibility schemeIdUri="urn:mpeg:dash:role:2011" value="caption"/>. If the captions track is not intended to provide such accessibility: Keep the default value, Disabled. When you do, for DASH manifests, MediaConvert instead adds the following in the adaptation set for this track: <Role schemeIDUri="urn:mpeg:dash:role:2011" value="subtitle"/>."##,
        // medialive
        r##"ENABLED: The master manifest (.m3u8 file) for each pipeline includes information about both pipelines: first its own media files, then the media files of the other pipeline. This feature allows playout device that support stale manifest detection to switch from one manifest to the other, when the current manifest seems to be stale. There are still two destinations and two master manifests, but both master manifests reference the media files from both pipelines.

DISABLED: The master manifest (.m3u8 file) for each pipeline includes information about its own pipeline only.

For an HLS output group with MediaPackage as the destination, the DISABLED behavior is always followed. MediaPackage regenerates the manifests it serves to players so a redundant manifest from MediaLive is irrelevant."##,
        // ec2
        r##"<p>The device name exposed to the instance (for example, <filename>/dev/sdh</filename>).</p>"##,
        // pinpoint
        r##"<p>The URL of the Amazon Simple Storage Service (Amazon S3) bucket that contains the endpoint definitions to import. This location can be a folder or a single file. If the location is a folder, Amazon Pinpoint imports endpoint definitions from the files in this location, including any subfolders that the folder contains.</p> <p>The URL should be in the following format: s3://<replaceable>bucket-name</replaceable>/<replaceable>folder-name</replaceable>/<replaceable>file-name</replaceable>. The location can end with the key for an individual object or a prefix that qualifies multiple objects.</p>"##,
        // ec2
        r##"<p>Creates an import instance task using metadata from the specified disk image. After importing the image, you then upload it using the <function>ec2-import-volume</function> command in the EC2 command line tools. For more information, see <ulink url="http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/UploadingYourInstancesandVolumes.html">Using the Command Line Tools to Import Your Virtual Machine to Amazon EC2</ulink> in the <emphasis>Amazon Elastic Compute Cloud User Guide</emphasis>.</p>"##,
        // fsx
        r##"<p>Specifies the file-system deployment type. Amazon FSx for OpenZFS supports&#x2028; <code>MULTI_AZ_1</code>, <code>SINGLE_AZ_HA_2</code>, <code>SINGLE_AZ_HA_1</code>, <code>SINGLE_AZ_2</code>, and <code>SINGLE_AZ_1</code>.</p>"##,
        // acm-pca
        r##"<p/> <p>Contains a sequence of one or more X.500 relative distinguished names (RDNs), each of which consists of an object identifier (OID) and a value. For more information, see NIST’s definition of <a href="https://csrc.nist.gov/glossary/term/Object_Identifier">Object Identifier (OID)</a>.</p> <note> <p>Custom attributes cannot be used in combination with standard attributes.</p> </note>"##,
        // rds
        r##"<p>The version number of the database engine to use.</p> <p>To list all of the available engine versions for <code>aurora-mysql</code> (Aurora MySQL), use the following command:</p> <p> <code>aws rds describe-db-engine-versions --engine aurora-mysql --query "DBEngineVersions[].EngineVersion"</code> </p> <p> <b>Aurora MySQL</b> </p> <p>Examples: <code>5.7.mysql_aurora.2.12.0</code>, <code>8.0.mysql_aurora.3.04.0</code> </p>"##,
        // backup
        r##"<p>Filters the values of your tagged resources for non-matching tag values with the use of a wildcard character (*) anywhere in the string.</p>"##,
        // cloud9
        r##"<p>The connection type used for connecting to an Amazon EC2 environment. Valid values are <code>CONNECT_SSH</code> (default) and <code>CONNECT_SSM</code> (connected through Amazon EC2 Systems Manager).</p> <p>For more information, see <a href="https://docs.aws.amazon.com/cloud9/latest/user-guide/ec2-ssm.html">Accessing no-ingress EC2 instances with Amazon EC2 Systems Manager</a> in the <i>Cloud9 User Guide</i>.</p>"##,
        // elasticache
        r##"<p>The list of Availability Zones where the new Memcached cache nodes will be created.</p> <p>This parameter is only valid when <code>NumCacheNodes</code> in the request is greater than the sum of the number of active cache nodes and the number of cache nodes pending creation (which may be zero). The number of Availability Zones supplied in this list must match the cache nodes being added in this request.</p> <p>This option is only supported on Memcached clusters.</p> <p>Scenarios: <ul> <li> <b>Scenario 1:</b> You have 3 active nodes and wish to add 2 nodes.<br> Specify <code>NumCacheNodes=5</code> (3 + 2) and optionally specify two Availability Zones for the two new nodes.</li> <li> <b>Scenario 2:</b> You have 3 active nodes and 2 nodes pending creation (from the scenario 1 call) and want to add 1 more node.<br> Specify <code>NumCacheNodes=6</code> ((3 + 2) + 1)</li> and optionally specify an Availability Zone for the new node. <li> <b>Scenario 3:</b> You want to cancel all pending actions.<br> Specify <code>NumCacheNodes=3</code> to cancel all pending actions.</li> </ul> </p> <p>The Availability Zone placement of nodes pending creation cannot be modified. If you wish to cancel any nodes pending creation, add 0 nodes by setting <code>NumCacheNodes</code> to the number of current nodes.</p> <p>If <code>cross-az</code> is specified, existing Memcached nodes remain in their current Availability Zone. Only newly created nodes can be located in different Availability Zones. For guidance on how to move existing Memcached nodes to different Availability Zones, see the <b>Availability Zone Considerations</b> section of <a href="http://docs.aws.amazon.com/AmazonElastiCache/latest/UserGuide/CacheNode.Memcached.html">Cache Node Considerations for Memcached</a>.</p> <p><b>Impact of new add/remove requests upon pending requests</b></p> <table> <tr> <th>Scenarios</th> <th>Pending Operation</th> <th>New Request</th> <th>Results</th> </tr> <tr> <td>Scenario-1</td> <td>Delete</td> <td>Delete</td> <td>The new delete, pending or immediate, replaces the pending delete.</td> </tr> <tr> <td>Scenario-2</td> <td>Delete</td> <td>Create</td> <td>The new create, pending or immediate, replaces the pending delete.</td> </tr> <tr> <td>Scenario-3</td> <td>Create</td> <td>Delete</td> <td>The new delete, pending or immediate, replaces the pending create.</td> </tr> <tr> <td>Scenario-4</td> <td>Create</td> <td>Create</td> <td>The new create is added to the pending create.<br/> <b>Important:</b><br/>If the new create request is <b>Apply Immediately - Yes</b>, all creates are performed immediately. If the new create request is <b>Apply Immediately - No</b>, all creates are pending.</td> </tr> </table> <p>Example: <code>NewAvailabilityZones.member.1=us-east-1a&amp;NewAvailabilityZones.member.2=us-east-1b&amp;NewAvailabilityZones.member.3=us-east-1d</code></p>"##,
        // iotsitewise
        r##"<p>Cancels a running or pending enrichment job. This is an idempotent operation—calling it multiple times with the same jobId is safe and returns the current status.</p> <h2>Behavior</h2> <ul> <li>Jobs in PENDING or RUNNING status transition to CANCELLED</li> <li>Jobs in RUNNING state may not be cancellable once they have progressed to certain processing stages</li> <li>Jobs already in terminal states (COMPLETED, FAILED, TIMED_OUT) cannot be cancelled; the operation returns a ConflictingOperationException</li> <li>Cancelling an already-CANCELLED job is a no-op and returns the current status (idempotent behavior)</li> <li>The API responds immediately after recording the cancellation</li> <li>Cleanup of job resources happens asynchronously in the background</li> </ul> <h2>When to Cancel</h2> <p>Cancel a job when:</p> <ul> <li>The job is taking longer than expected</li> <li>The job was created with incorrect parameters</li> <li>You no longer need the results</li> </ul> <h2>Idempotency</h2> <p>You can safely retry cancellation requests. Calling CancelEnrichmentJob multiple times for the same job returns the current status without error as long as the job is not in a terminal state other than CANCELLED.</p>"##,
        // acm-pca
        r##"<p>Imports a signed private CA certificate into Amazon Web Services Private CA. This action is used when you are using a chain of trust whose root is located outside Amazon Web Services Private CA. Before you can call this action, the following preparations must in place:</p> <ol> <li> <p>In Amazon Web Services Private CA, call the <a href="https://docs.aws.amazon.com/privateca/latest/APIReference/API_CreateCertificateAuthority.html">CreateCertificateAuthority</a> action to create the private CA that you plan to back with the imported certificate.</p> </li> <li> <p>Call the <a href="https://docs.aws.amazon.com/privateca/latest/APIReference/API_GetCertificateAuthorityCsr.html">GetCertificateAuthorityCsr</a> action to generate a certificate signing request (CSR).</p> </li> <li> <p>Sign the CSR using a root or intermediate CA hosted by either an on-premises PKI hierarchy or by a commercial CA.</p> </li> <li> <p>Create a certificate chain and copy the signed certificate and the certificate chain to your working directory.</p> </li> </ol> <p>Amazon Web Services Private CA supports three scenarios for installing a CA certificate:</p> <ul> <li> <p>Installing a certificate for a root CA hosted by Amazon Web Services Private CA.</p> </li> <li> <p>Installing a subordinate CA certificate whose parent authority is hosted by Amazon Web Services Private CA.</p> </li> <li> <p>Installing a subordinate CA certificate whose parent authority is externally hosted.</p> </li> </ul> <p>The following additional requirements apply when you import a CA certificate.</p> <ul> <li> <p>Only a self-signed certificate can be imported as a root CA.</p> </li> <li> <p>A self-signed certificate cannot be imported as a subordinate CA.</p> </li> <li> <p>Your certificate chain must not include the private CA certificate that you are importing.</p> </li> <li> <p>Your root CA must be the last certificate in your chain. The subordinate certificate, if any, that your root CA signed must be next to last. The subordinate certificate signed by the preceding subordinate CA must come next, and so on until your chain is built. </p> </li> <li> <p>The chain must be PEM-encoded.</p> </li> <li> <p>The maximum allowed size of a certificate is 32 KB.</p> </li> <li> <p>The maximum allowed size of a certificate chain is 2 MB.</p> </li> </ul> <p> <i>Enforcement of Critical Constraints</i> </p> <p>Amazon Web Services Private CA allows the following extensions to be marked critical in the imported CA certificate or chain.</p> <ul> <li> <p>Authority key identifier</p> </li> <li> <p>Basic constraints (<i>must</i> be marked critical)</p> </li> <li> <p>Certificate policies</p> </li> <li> <p>Extended key usage</p> </li> <li> <p>Inhibit anyPolicy</p> </li> <li> <p>Issuer alternative name</p> </li> <li> <p>Key usage</p> </li> <li> <p>Name constraints</p> </li> <li> <p>Policy mappings</p> </li> <li> <p>Subject alternative name</p> </li> <li> <p>Subject directory attributes</p> </li> <li> <p>Subject key identifier</p> </li> <li> <p>Subject information access</p> </li> </ul> <p>Amazon Web Services Private CA rejects the following extensions when they are marked critical in an imported CA certificate or chain.</p> <ul> <li> <p>Authority information access</p> </li> <li> <p>CRL distribution points</p> </li> <li> <p>Freshest CRL</p> </li> <li> <p>Policy constraints</p> </li> </ul> <p>Amazon Web Services Private Certificate Authority will also reject any other extension marked as critical not contained on the preceding list of allowed extensions.</p>"##,
        // codeguruprofiler
        r##"<p> The format of the returned profiling data. The format maps to the <code>Accept</code> and <code>Content-Type</code> headers of the HTTP request. You can specify one of the following: or the default . </p> <pre><code> &lt;ul&gt; &lt;li&gt; &lt;p&gt; &lt;code&gt;application/json&lt;/code&gt; — standard JSON format &lt;/p&gt; &lt;/li&gt; &lt;li&gt; &lt;p&gt; &lt;code&gt;application/x-amzn-ion&lt;/code&gt; — the Amazon Ion data format. For more information, see &lt;a href=&quot;http://amzn.github.io/ion-docs/&quot;&gt;Amazon Ion&lt;/a&gt;. &lt;/p&gt; &lt;/li&gt; &lt;/ul&gt; </code></pre>"##,
        // elasticache
        r##"<p>For an automatic snapshot, the number of days for which ElastiCache will retain the snapshot before deleting it.</p> <p>For manual snapshots, this field reflects the <i>SnapshotRetentionLimit</i> for the source cache cluster when the snapshot was created. This field is otherwise ignored: Manual snapshots do not expire, and can only be deleted using the <i>DeleteSnapshot</i> action. </p> <p><b>Important</b><br>If the value of SnapshotRetentionLimit is set to zero (0), backups are turned off.</p>"##,
    ];

    #[test]
    fn real_docs_satisfy_rustdoc_constraints() {
        for html in SAMPLES {
            let out = md(html);
            if let Err(e) = check(&out) {
                panic!("{e}\ninput: {html}\noutput:\n{out}");
            }
            // Converting is idempotent on whitespace: no double spaces in prose.
            for line in out.lines() {
                let trimmed = line.trim_start();
                assert!(!trimmed.contains("  ") || out.contains("```"), "{line:?}");
            }
        }
    }
}
