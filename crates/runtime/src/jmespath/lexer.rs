//! Splits an expression into tokens.
//!
//! The tokens are those of the JMESPath grammar. Two choices follow jmespath.py, the
//! implementation botocore uses, where the specification leaves room:
//!
//! * a raw string `'...'` only unescapes `\'`; every other backslash is kept as written
//!   (`'\z'` is the two characters `\z`);
//! * a JSON literal `` `...` `` whose text is not JSON is read as a JSON string of that text
//!   (`` `foo` `` is `"foo"`), the deprecated form of JEP 12 that older expressions use.
//!
//! Offsets are byte offsets into the expression.

use super::{ErrorKind, Found, ParseError};

/// One token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub(super) kind: Tok,
    pub(super) start: usize,
}

/// The kinds of token.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Dot,
    Star,
    /// `[]`
    Flatten,
    /// `[?`
    Filter,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Colon,
    /// `@`
    Current,
    /// `|`
    Pipe,
    /// `||`
    Or,
    /// `&&`
    And,
    /// `&`
    Expref,
    /// `!`
    Not,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// An unquoted identifier.
    Identifier(String),
    /// A quoted identifier, unescaped.
    Quoted(String),
    /// An integer (indexes and slices).
    Number(i64),
    /// A raw string or JSON literal.
    Literal(Found<'static>),
    Eof,
}

impl Tok {
    /// How the token reads in an error message.
    pub(super) fn describe(&self) -> String {
        let text = match self {
            Tok::Dot => ".",
            Tok::Star => "*",
            Tok::Flatten => "[]",
            Tok::Filter => "[?",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::Comma => ",",
            Tok::Colon => ":",
            Tok::Current => "@",
            Tok::Pipe => "|",
            Tok::Or => "||",
            Tok::And => "&&",
            Tok::Expref => "&",
            Tok::Not => "!",
            Tok::Eq => "==",
            Tok::Ne => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            Tok::Identifier(name) => return format!("identifier `{name}`"),
            Tok::Quoted(name) => return format!("quoted identifier {name:?}"),
            Tok::Number(n) => return format!("number {n}"),
            Tok::Literal(_) => return "a literal".to_owned(),
            Tok::Eof => return "the end of the expression".to_owned(),
        };
        format!("`{text}`")
    }
}

/// The tokens of `text`, ending with [`Tok::Eof`].
pub(super) fn tokenize(text: &str) -> Result<Vec<Token>, ParseError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        let next = bytes.get(at + 1).copied();
        let (kind, len) = match bytes[at] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                at += 1;
                continue;
            }
            b'.' => (Tok::Dot, 1),
            b'*' => (Tok::Star, 1),
            b']' => (Tok::RBracket, 1),
            b'{' => (Tok::LBrace, 1),
            b'}' => (Tok::RBrace, 1),
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b',' => (Tok::Comma, 1),
            b':' => (Tok::Colon, 1),
            b'@' => (Tok::Current, 1),
            b'[' => match next {
                Some(b']') => (Tok::Flatten, 2),
                Some(b'?') => (Tok::Filter, 2),
                _ => (Tok::LBracket, 1),
            },
            b'|' if next == Some(b'|') => (Tok::Or, 2),
            b'|' => (Tok::Pipe, 1),
            b'&' if next == Some(b'&') => (Tok::And, 2),
            b'&' => (Tok::Expref, 1),
            b'!' if next == Some(b'=') => (Tok::Ne, 2),
            b'!' => (Tok::Not, 1),
            b'<' if next == Some(b'=') => (Tok::Le, 2),
            b'<' => (Tok::Lt, 1),
            b'>' if next == Some(b'=') => (Tok::Ge, 2),
            b'>' => (Tok::Gt, 1),
            b'=' if next == Some(b'=') => (Tok::Eq, 2),
            b'=' => return Err(error(text, start, "`=` is not an operator; use `==`")),
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let len = bytes[at..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count();
                (Tok::Identifier(text[at..at + len].to_owned()), len)
            }
            b'0'..=b'9' | b'-' => number(text, start)?,
            b'"' => {
                let (body, len) = delimited(text, start, b'"')?;
                let json = format!("\"{body}\"");
                let name = serde_json::from_str::<String>(&json)
                    .map_err(|e| error(text, start, &format!("invalid quoted identifier: {e}")))?;
                (Tok::Quoted(name), len)
            }
            b'\'' => {
                let (body, len) = delimited(text, start, b'\'')?;
                let value = body.replace("\\'", "'");
                (Tok::Literal(Found::String(value.into())), len)
            }
            b'`' => {
                let (body, len) = delimited(text, start, b'`')?;
                (Tok::Literal(json_literal(text, start, &body)?), len)
            }
            _ => {
                let c = text[at..].chars().next().unwrap_or('?');
                return Err(error(text, start, &format!("unexpected character `{c}`")));
            }
        };
        tokens.push(Token { kind, start });
        at += len;
    }
    tokens.push(Token {
        kind: Tok::Eof,
        start: bytes.len(),
    });
    Ok(tokens)
}

/// A syntax error at `offset`.
fn error(text: &str, offset: usize, message: &str) -> ParseError {
    ParseError::new(ErrorKind::Syntax, text, offset, message)
}

/// `-?[0-9]+` at `start`.
fn number(text: &str, start: usize) -> Result<(Tok, usize), ParseError> {
    let bytes = &text.as_bytes()[start..];
    let sign = usize::from(bytes[0] == b'-');
    let digits = bytes[sign..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 {
        return Err(error(text, start, "`-` must start a number"));
    }
    let len = sign + digits;
    let n = text[start..start + len]
        .parse()
        .map_err(|_| error(text, start, "the number does not fit 64 bits"))?;
    Ok((Tok::Number(n), len))
}

/// The text between the delimiter at `start` and the next one that no backslash escapes
/// (backslashes and what they escape are kept), and the length of the whole token.
fn delimited(text: &str, start: usize, delimiter: u8) -> Result<(String, usize), ParseError> {
    let bytes = text.as_bytes();
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            c if c == delimiter => {
                return Ok((text[start + 1..at].to_owned(), at + 1 - start));
            }
            _ => at += 1,
        }
    }
    Err(error(
        text,
        start,
        &format!("unclosed `{}`", char::from(delimiter)),
    ))
}

/// The value of a JSON literal whose text (between the backticks) is `body`.
fn json_literal(text: &str, start: usize, body: &str) -> Result<Found<'static>, ParseError> {
    let body = body.replace("\\`", "`");
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(&body) {
        return Ok(Found::from_json(&json));
    }
    // JEP 12's deprecated form: the text of a string without its quotes.
    let quoted = format!("\"{}\"", body.trim_start());
    match serde_json::from_str::<String>(&quoted) {
        Ok(s) => Ok(Found::String(s.into())),
        Err(e) => Err(error(
            text,
            start,
            &format!("invalid JSON literal `{body}`: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Tok> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn splits_operators_greedily() {
        assert_eq!(
            kinds("a||b|c&&!d!=e[]f[?g[h&i<=j<k>=l>m==n"),
            [
                Tok::Identifier("a".into()),
                Tok::Or,
                Tok::Identifier("b".into()),
                Tok::Pipe,
                Tok::Identifier("c".into()),
                Tok::And,
                Tok::Not,
                Tok::Identifier("d".into()),
                Tok::Ne,
                Tok::Identifier("e".into()),
                Tok::Flatten,
                Tok::Identifier("f".into()),
                Tok::Filter,
                Tok::Identifier("g".into()),
                Tok::LBracket,
                Tok::Identifier("h".into()),
                Tok::Expref,
                Tok::Identifier("i".into()),
                Tok::Le,
                Tok::Identifier("j".into()),
                Tok::Lt,
                Tok::Identifier("k".into()),
                Tok::Ge,
                Tok::Identifier("l".into()),
                Tok::Gt,
                Tok::Identifier("m".into()),
                Tok::Eq,
                Tok::Identifier("n".into()),
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn reads_strings_numbers_and_literals() {
        assert_eq!(
            kinds(r#""a\"b" 'it\'s \z' -12 `[1]` `foo`"#),
            [
                Tok::Quoted("a\"b".into()),
                Tok::Literal(Found::String("it's \\z".into())),
                Tok::Number(-12),
                Tok::Literal(Found::List(vec![Found::Integer(1)])),
                Tok::Literal(Found::String("foo".into())),
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn errors_name_the_offset() {
        for (text, offset) in [
            ("a = b", 2),
            ("abc 'open", 4),
            ("x.\"\\u\"", 2),
            ("a.-", 2),
            ("a#", 1),
            ("[99999999999999999999]", 1),
        ] {
            let err = tokenize(text).unwrap_err();
            assert_eq!(err.offset(), offset, "{text}: {err}");
            assert_eq!(err.kind(), ErrorKind::Syntax);
        }
    }
}
