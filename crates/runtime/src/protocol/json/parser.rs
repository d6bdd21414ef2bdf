//! A JSON pull parser for the schema-driven [reader](super::reader): the reader asks for
//! the next value, key or element where its schema expects one, and no token is built
//! that it does not ask for.
//!
//! It reads JSON exactly as serde_json does, and fails the same way: the same grammar,
//! escapes and numbers (integers are `u64` when not negative, else `i64`, and anything
//! else an `f64` that serde_json itself converts), the same nesting limit
//! ([`MAX_DEPTH`](super::MAX_DEPTH)) on values read and none on values skipped, and
//! serde_json's messages at serde_json's line and column. The code follows serde_json's
//! `de.rs` and `read.rs` step for step (the docs name the serde_json function a step
//! mirrors where the names differ); the reader's tests hold the two side by side on valid
//! and broken documents.
//!
//! The reader used serde_json itself until a 1 MB DynamoDB page spent a third of its time
//! going through serde's visitor calls, one for every key and value.

use crate::document::Number;
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// Why a document could not be read, and where. Boxed, so that a result is as small as
/// what it holds when all goes well.
#[derive(Debug)]
pub struct Error(Box<ErrorImpl>);

#[derive(Debug)]
struct ErrorImpl {
    message: Cow<'static, str>,
    /// Line and column (1-based line, column as serde_json counts it); `None` until the
    /// value that failed is known.
    position: Option<(usize, usize)>,
}

impl Error {
    fn new(message: Cow<'static, str>, position: Option<(usize, usize)>) -> Self {
        Error(Box::new(ErrorImpl { message, position }))
    }

    /// An error of the reader's own (a value that does not fit its member), placed later at
    /// the end of the value it is about ([`Parser::fix_position`]).
    #[cold]
    pub fn custom(message: impl fmt::Display) -> Self {
        Error::new(Cow::Owned(message.to_string()), None)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.position {
            Some((line, column)) => {
                write!(f, "{} at line {line} column {column}", self.0.message)
            }
            None => f.write_str(&self.0.message),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

// serde_json's messages.
const EOF_WHILE_PARSING_LIST: &str = "EOF while parsing a list";
const EOF_WHILE_PARSING_OBJECT: &str = "EOF while parsing an object";
const EOF_WHILE_PARSING_STRING: &str = "EOF while parsing a string";
const EOF_WHILE_PARSING_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_COMMA_OR_END: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_COMMA_OR_END: &str = "expected `,` or `}`";
const EXPECTED_SOME_IDENT: &str = "expected ident";
const EXPECTED_SOME_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const NUMBER_OUT_OF_RANGE: &str = "number out of range";
const INVALID_UNICODE_CODE_POINT: &str = "invalid unicode code point";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_MUST_BE_A_STRING: &str = "key must be a string";
const LONE_LEADING_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";
const UNEXPECTED_END_OF_HEX_ESCAPE: &str = "unexpected end of hex escape";
const RECURSION_LIMIT_EXCEEDED: &str = "recursion limit exceeded";

/// A string read from the document: borrowed from it when it holds no escapes, else
/// decoded into the parser's scratch space (valid until the next string is read).
pub enum Str<'a, 's> {
    Borrowed(&'a str),
    Copied(&'s str),
}

impl Str<'_, '_> {
    #[inline]
    pub fn as_str(&self) -> &str {
        match self {
            Str::Borrowed(s) => s,
            Str::Copied(s) => s,
        }
    }
}

/// A JSON document being read, and the position in it.
///
/// The small methods the reader calls for every value are `#[inline]`: the reader is
/// compiled apart from this module, and a call per byte looked at would cost more than the
/// looking. `string` and `next_key` are always inlined: their results are otherwise handed
/// back through memory and read back wider than they were written, which stalls.
pub struct Parser<'a> {
    bytes: &'a [u8],
    /// The document as text when it is UTF-8 throughout, as nearly every one is: strings
    /// are then cut from it without checking each again.
    text: Option<&'a str>,
    index: usize,
    /// How many more arrays and objects may open around the value being read.
    remaining_depth: usize,
    scratch: Vec<u8>,
}

impl<'a> Parser<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Parser {
            bytes,
            text: std::str::from_utf8(bytes).ok(),
            index: 0,
            remaining_depth: super::MAX_DEPTH,
            scratch: Vec::new(),
        }
    }

    fn position_of_index(&self, i: usize) -> (usize, usize) {
        let before = &self.bytes[..i];
        let start_of_line = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        let line = 1 + before[..start_of_line]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        (line, i - start_of_line)
    }

    fn error_at(&self, message: &'static str, i: usize) -> Error {
        Error::new(Cow::Borrowed(message), Some(self.position_of_index(i)))
    }

    /// An error about the byte just consumed (serde_json's `error`).
    #[cold]
    fn error(&self, message: &'static str) -> Error {
        self.error_at(message, self.index)
    }

    /// An error about the byte about to be consumed (serde_json's `peek_error`).
    #[cold]
    fn peek_error(&self, message: &'static str) -> Error {
        self.error_at(message, self.bytes.len().min(self.index + 1))
    }

    /// Places an error of the reader's own at the current position, as serde_json does
    /// once the value it is about has been read.
    #[cold]
    pub fn fix_position(&self, mut error: Error) -> Error {
        if error.0.position.is_none() {
            error.0.position = Some(self.position_of_index(self.index));
        }
        error
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.index).copied()
    }

    #[inline]
    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.index += 1;
        Some(byte)
    }

    /// Consumes the byte [`Parser::whitespace`] returned.
    #[inline]
    pub fn eat(&mut self) {
        self.index += 1;
    }

    /// The next byte that is not whitespace, without consuming it.
    #[inline]
    pub fn whitespace(&mut self) -> Option<u8> {
        while let Some(byte) = self.peek() {
            if !matches!(byte, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(byte);
            }
            self.index += 1;
        }
        None
    }

    /// The start of a value: its first byte, not consumed.
    #[inline]
    pub fn value_start(&mut self) -> Result<u8> {
        self.whitespace()
            .ok_or_else(|| self.peek_error(EOF_WHILE_PARSING_VALUE))
    }

    /// Fails on the byte [`Parser::value_start`] returned: it starts no value.
    pub fn expected_value(&self) -> Error {
        self.peek_error(EXPECTED_SOME_VALUE)
    }

    /// Checks that only whitespace follows the document.
    pub fn end(&mut self) -> Result<()> {
        match self.whitespace() {
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Ok(()),
        }
    }

    /// The rest of `null`, `true` or `false` once its first byte is consumed.
    #[inline]
    pub fn ident(&mut self, rest: &[u8]) -> Result<()> {
        for &expected in rest {
            match self.next() {
                None => return Err(self.error(EOF_WHILE_PARSING_VALUE)),
                Some(byte) if byte != expected => return Err(self.error(EXPECTED_SOME_IDENT)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Opens the array or object whose first byte [`Parser::value_start`] returned; the
    /// caller reads its contents, then closes it with [`Parser::close_list`] or
    /// [`Parser::close_object`] whatever became of them.
    #[inline]
    pub fn open(&mut self) -> Result<()> {
        self.remaining_depth -= 1;
        if self.remaining_depth == 0 {
            return Err(self.peek_error(RECURSION_LIMIT_EXCEEDED));
        }
        self.eat();
        Ok(())
    }

    /// Closes an array opened with [`Parser::open`]: `read` is what reading its elements
    /// came to. Like serde_json, the closing bracket is looked for even after an error, and
    /// the first error wins.
    #[inline]
    pub fn close_list<T>(&mut self, read: Result<T>) -> Result<T> {
        self.remaining_depth += 1;
        let end = self.end_seq();
        let value = read?;
        end.map(|()| value)
    }

    /// Closes an object opened with [`Parser::open`], as [`Parser::close_list`] an array.
    #[inline]
    pub fn close_object<T>(&mut self, read: Result<T>) -> Result<T> {
        self.remaining_depth += 1;
        let end = self.end_map();
        let value = read?;
        end.map(|()| value)
    }

    #[inline]
    fn end_seq(&mut self) -> Result<()> {
        match self.whitespace() {
            Some(b']') => {
                self.eat();
                Ok(())
            }
            Some(b',') => {
                self.eat();
                match self.whitespace() {
                    Some(b']') => Err(self.peek_error(TRAILING_COMMA)),
                    _ => Err(self.peek_error(TRAILING_CHARACTERS)),
                }
            }
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Err(self.peek_error(EOF_WHILE_PARSING_LIST)),
        }
    }

    #[inline]
    fn end_map(&mut self) -> Result<()> {
        match self.whitespace() {
            Some(b'}') => {
                self.eat();
                Ok(())
            }
            Some(b',') => Err(self.peek_error(TRAILING_COMMA)),
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Err(self.peek_error(EOF_WHILE_PARSING_OBJECT)),
        }
    }

    /// Whether an array has another element; `first` is true until the first is read.
    #[inline]
    pub fn has_next_element(&mut self, first: &mut bool) -> Result<bool> {
        let peek = self
            .whitespace()
            .ok_or_else(|| self.peek_error(EOF_WHILE_PARSING_LIST))?;
        if peek == b']' {
            Ok(false)
        } else if *first {
            *first = false;
            Ok(true)
        } else if peek == b',' {
            self.eat();
            match self.whitespace() {
                Some(b']') => Err(self.peek_error(TRAILING_COMMA)),
                Some(_) => Ok(true),
                None => Err(self.peek_error(EOF_WHILE_PARSING_VALUE)),
            }
        } else {
            Err(self.peek_error(EXPECTED_LIST_COMMA_OR_END))
        }
    }

    /// The next key of an object, or `None` at its end; `first` is true until the first
    /// key is read. The caller then reads the value with [`Parser::colon`] first.
    #[inline(always)]
    pub fn next_key(&mut self, first: &mut bool) -> Result<Option<Str<'a, '_>>> {
        let peek = self
            .whitespace()
            .ok_or_else(|| self.peek_error(EOF_WHILE_PARSING_OBJECT))?;
        if peek == b'}' {
            return Ok(None);
        }
        if *first {
            *first = false;
            if peek != b'"' {
                return Err(self.peek_error(KEY_MUST_BE_A_STRING));
            }
        } else if peek == b',' {
            self.eat();
            match self.whitespace() {
                Some(b'"') => {}
                Some(b'}') => return Err(self.peek_error(TRAILING_COMMA)),
                Some(_) => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                None => return Err(self.peek_error(EOF_WHILE_PARSING_VALUE)),
            }
        } else {
            return Err(self.peek_error(EXPECTED_OBJECT_COMMA_OR_END));
        }
        self.eat();
        self.string().map(Some)
    }

    /// The `:` between a key and its value.
    #[inline]
    pub fn colon(&mut self) -> Result<()> {
        match self.whitespace() {
            Some(b':') => {
                self.eat();
                Ok(())
            }
            Some(_) => Err(self.peek_error(EXPECTED_COLON)),
            None => Err(self.peek_error(EOF_WHILE_PARSING_OBJECT)),
        }
    }

    /// The index of the first byte from `self.index` that is a quote, a backslash or a
    /// control character, or the end of the document (serde_json's `skip_to_escape`, eight
    /// bytes at a time).
    #[inline]
    fn skip_to_escape(&mut self) {
        let is_escape = |byte: u8| byte == b'"' || byte == b'\\' || byte < 0x20;
        // Empty strings and consecutive escapes end at once.
        if self.peek().is_none_or(is_escape) {
            return;
        }
        self.index += 1;
        const ONES: u64 = u64::MAX / 255;
        let (chunks, _) = self.bytes[self.index..].as_chunks::<8>();
        for (n, chunk) in chunks.iter().enumerate() {
            let chars = u64::from_le_bytes(*chunk);
            let control = chars.wrapping_sub(ONES * 0x20) & !chars;
            let quotes = chars ^ (ONES * u64::from(b'"'));
            let quote = quotes.wrapping_sub(ONES) & !quotes;
            let backslashes = chars ^ (ONES * u64::from(b'\\'));
            let backslash = backslashes.wrapping_sub(ONES) & !backslashes;
            let found = (control | quote | backslash) & (ONES << 7);
            if found != 0 {
                self.index += n * 8 + found.trailing_zeros() as usize / 8;
                return;
            }
        }
        self.index += chunks.len() * 8;
        while self.peek().is_some_and(|byte| !is_escape(byte)) {
            self.index += 1;
        }
    }

    /// A string, once its opening quote is consumed.
    #[inline(always)]
    pub fn string(&mut self) -> Result<Str<'a, '_>> {
        let start = self.index;
        self.skip_to_escape();
        if self.peek() == Some(b'"') {
            let end = self.index;
            self.index += 1;
            return self.borrowed_str(start, end).map(Str::Borrowed);
        }
        self.string_with_escapes(start)
    }

    /// The rest of a string from `start` that does not end at the first quote, backslash
    /// or control character [`Parser::skip_to_escape`] found: one with escapes, or none.
    #[inline(never)]
    fn string_with_escapes(&mut self, mut start: usize) -> Result<Str<'a, '_>> {
        self.scratch.clear();
        loop {
            match self.peek() {
                None => return Err(self.error(EOF_WHILE_PARSING_STRING)),
                Some(b'"') => {
                    self.scratch
                        .extend_from_slice(&self.bytes[start..self.index]);
                    self.index += 1;
                    return match std::str::from_utf8(&self.scratch) {
                        Ok(text) => Ok(Str::Copied(text)),
                        Err(e) => {
                            let invalid = self.scratch.len() - e.valid_up_to();
                            Err(self.invalid_unicode(invalid))
                        }
                    };
                }
                Some(b'\\') => {
                    self.scratch
                        .extend_from_slice(&self.bytes[start..self.index]);
                    self.index += 1;
                    self.escape()?;
                    start = self.index;
                }
                Some(_) => {
                    self.index += 1;
                    return Err(self.error(CONTROL_CHARACTER));
                }
            }
            self.skip_to_escape();
        }
    }

    /// The string between `start` and `end`, which hold no escapes.
    #[inline(always)]
    fn borrowed_str(&self, start: usize, end: usize) -> Result<&'a str> {
        match self.text {
            // Quotes are ASCII, so they are character boundaries.
            Some(text) => Ok(&text[start..end]),
            None => self.checked_str(start, end),
        }
    }

    /// The string between `start` and `end` of a document that is not UTF-8 throughout.
    #[cold]
    fn checked_str(&self, start: usize, end: usize) -> Result<&'a str> {
        std::str::from_utf8(&self.bytes[start..end])
            .map_err(|e| self.invalid_unicode(end - start - e.valid_up_to()))
    }

    /// A string that is not UTF-8, its last `invalid` bytes from the first that is not;
    /// like serde_json, pointed at from the closing quote (only roughly when it had
    /// escapes).
    #[cold]
    fn invalid_unicode(&self, invalid: usize) -> Error {
        let (line, column) = self.position_of_index(self.index);
        Error::new(
            Cow::Borrowed(INVALID_UNICODE_CODE_POINT),
            Some((line, column.saturating_sub(invalid))),
        )
    }

    /// Decodes an escape into the scratch space once its backslash is consumed.
    fn escape(&mut self) -> Result<()> {
        let decoded = match self.next() {
            None => return Err(self.error(EOF_WHILE_PARSING_STRING)),
            Some(b'"') => b'"',
            Some(b'\\') => b'\\',
            Some(b'/') => b'/',
            Some(b'b') => b'\x08',
            Some(b'f') => b'\x0c',
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'u') => return self.unicode_escape(),
            Some(_) => return Err(self.error(INVALID_ESCAPE)),
        };
        self.scratch.push(decoded);
        Ok(())
    }

    /// Decodes a `\u` escape (two for a character beyond the BMP) once `\u` is consumed.
    #[cold]
    fn unicode_escape(&mut self) -> Result<()> {
        let first = self.hex_escape()?;
        let code = match first {
            0xDC00..=0xDFFF => return Err(self.error(LONE_LEADING_SURROGATE)),
            0xD800..=0xDBFF => {
                // A leading surrogate: a trailing one must follow.
                for expected in [b'\\', b'u'] {
                    match self.peek() {
                        None => return Err(self.error(EOF_WHILE_PARSING_STRING)),
                        Some(byte) => {
                            self.index += 1;
                            if byte != expected {
                                return Err(self.error(UNEXPECTED_END_OF_HEX_ESCAPE));
                            }
                        }
                    }
                }
                let second = self.hex_escape()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error(LONE_LEADING_SURROGATE));
                }
                ((u32::from(first) - 0xD800) << 10 | (u32::from(second) - 0xDC00)) + 0x1_0000
            }
            _ => u32::from(first),
        };
        // Every value outside the surrogates is a character.
        let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
        self.scratch
            .extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        Ok(())
    }

    /// The four hex digits of a `\u` escape.
    fn hex_escape(&mut self) -> Result<u16> {
        let Some(digits) = self.bytes.get(self.index..self.index + 4) else {
            self.index = self.bytes.len();
            return Err(self.error(EOF_WHILE_PARSING_STRING));
        };
        self.index += 4;
        let mut value = 0u16;
        for &digit in digits {
            let digit = match digit {
                b'0'..=b'9' => digit - b'0',
                b'a'..=b'f' => digit - b'a' + 10,
                b'A'..=b'F' => digit - b'A' + 10,
                _ => return Err(self.error(INVALID_ESCAPE)),
            };
            value = value << 4 | u16::from(digit);
        }
        Ok(value)
    }

    /// Skips a string once its opening quote is consumed, checking its escapes but not
    /// what they stand for.
    fn ignore_str(&mut self) -> Result<()> {
        loop {
            self.skip_to_escape();
            match self.peek() {
                None => return Err(self.error(EOF_WHILE_PARSING_STRING)),
                Some(b'"') => {
                    self.index += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.index += 1;
                    match self.next() {
                        None => return Err(self.error(EOF_WHILE_PARSING_STRING)),
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {}
                        Some(b'u') => {
                            self.hex_escape()?;
                        }
                        Some(_) => return Err(self.error(INVALID_ESCAPE)),
                    }
                }
                Some(_) => return Err(self.error(CONTROL_CHARACTER)),
            }
        }
    }

    /// A number whose first byte [`Parser::value_start`] returned (a digit or `-`).
    #[inline]
    pub fn number(&mut self) -> Result<Number> {
        let start = self.index;
        let positive = self.peek() != Some(b'-');
        if !positive {
            self.eat();
        }
        // serde_json's `parse_integer`: one leading zero at most, then digits.
        let mut significand: u64 = 0;
        let mut overflow = false;
        match self.next() {
            None => return Err(self.error(EOF_WHILE_PARSING_VALUE)),
            Some(b'0') => {
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
            }
            Some(first @ b'1'..=b'9') => {
                significand = u64::from(first - b'0');
                while let Some(digit @ b'0'..=b'9') = self.peek() {
                    self.eat();
                    match significand
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(u64::from(digit - b'0')))
                    {
                        Some(n) => significand = n,
                        None => overflow = true,
                    }
                }
            }
            Some(_) => return Err(self.error(INVALID_NUMBER)),
        }
        let mut float = overflow;
        // Whether every digit before the exponent is zero.
        let mut zero = significand == 0 && !overflow;
        if self.peek() == Some(b'.') {
            float = true;
            self.eat();
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                let message = match self.peek() {
                    Some(_) => INVALID_NUMBER,
                    None => EOF_WHILE_PARSING_VALUE,
                };
                return Err(self.peek_error(message));
            }
            while let Some(digit @ b'0'..=b'9') = self.peek() {
                self.eat();
                zero &= digit == b'0';
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            float = true;
            self.eat();
            let positive_exponent = match self.peek() {
                Some(b'-') => {
                    self.eat();
                    false
                }
                Some(b'+') => {
                    self.eat();
                    true
                }
                _ => true,
            };
            let mut exponent: i32 = match self.next() {
                None => return Err(self.error(EOF_WHILE_PARSING_VALUE)),
                Some(digit @ b'0'..=b'9') => i32::from(digit - b'0'),
                Some(_) => return Err(self.error(INVALID_NUMBER)),
            };
            while let Some(digit @ b'0'..=b'9') = self.peek() {
                self.eat();
                match exponent
                    .checked_mul(10)
                    .and_then(|n| n.checked_add(i32::from(digit - b'0')))
                {
                    Some(n) => exponent = n,
                    // Like serde_json: an exponent beyond `i32` makes any other digits
                    // infinite, and zero or a fraction zero.
                    None if positive_exponent && !zero => {
                        return Err(self.error(NUMBER_OUT_OF_RANGE));
                    }
                    None => {
                        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                            self.eat();
                        }
                        return Ok(Number::Float(if positive { 0.0 } else { -0.0 }));
                    }
                }
            }
        }
        if !float {
            return Ok(if positive {
                Number::PosInt(significand)
            } else {
                // serde_json reads `-0` and what `i64` cannot hold as floats.
                match 0i64.checked_sub_unsigned(significand) {
                    Some(n) if n < 0 => Number::NegInt(n),
                    _ => Number::Float(-(significand as f64)),
                }
            });
        }
        // serde_json converts the digits as it always has (not quite to the nearest `f64`
        // in every case), and refuses those beyond the largest `f64`.
        let converted = std::str::from_utf8(&self.bytes[start..self.index])
            .ok()
            .and_then(|digits| serde_json::Number::from_str(digits).ok())
            .ok_or_else(|| self.error(NUMBER_OUT_OF_RANGE))?;
        Ok(match (converted.as_u64(), converted.as_i64()) {
            (Some(n), _) => Number::PosInt(n),
            (None, Some(n)) => Number::NegInt(n),
            (None, None) => Number::Float(converted.as_f64().unwrap_or(f64::NAN)),
        })
    }

    /// Skips a value, however deeply nested, without recursing (serde_json's
    /// `ignore_value`): a value no member names may nest beyond the limit on values read.
    pub fn ignore_value(&mut self) -> Result<()> {
        let mut enclosing: Vec<u8> = Vec::new();
        let mut opened: Option<u8> = None;
        loop {
            let peek = self
                .whitespace()
                .ok_or_else(|| self.peek_error(EOF_WHILE_PARSING_VALUE))?;
            let frame = match peek {
                b'n' => {
                    self.eat();
                    self.ident(b"ull")?;
                    None
                }
                b't' => {
                    self.eat();
                    self.ident(b"rue")?;
                    None
                }
                b'f' => {
                    self.eat();
                    self.ident(b"alse")?;
                    None
                }
                b'-' | b'0'..=b'9' => {
                    self.ignore_number()?;
                    None
                }
                b'"' => {
                    self.eat();
                    self.ignore_str()?;
                    None
                }
                frame @ (b'[' | b'{') => {
                    enclosing.extend(opened.take());
                    self.eat();
                    Some(frame)
                }
                _ => return Err(self.peek_error(EXPECTED_SOME_VALUE)),
            };
            let (mut accept_comma, mut frame) = match frame {
                Some(frame) => (false, frame),
                None => match opened.take().or_else(|| enclosing.pop()) {
                    Some(frame) => (true, frame),
                    None => return Ok(()),
                },
            };
            loop {
                match self.whitespace() {
                    Some(b',') if accept_comma => {
                        self.eat();
                        break;
                    }
                    Some(b']') if frame == b'[' => {}
                    Some(b'}') if frame == b'{' => {}
                    Some(_) if accept_comma => {
                        return Err(self.peek_error(if frame == b'[' {
                            EXPECTED_LIST_COMMA_OR_END
                        } else {
                            EXPECTED_OBJECT_COMMA_OR_END
                        }));
                    }
                    Some(_) => break,
                    None => {
                        return Err(self.peek_error(if frame == b'[' {
                            EOF_WHILE_PARSING_LIST
                        } else {
                            EOF_WHILE_PARSING_OBJECT
                        }));
                    }
                }
                self.eat();
                frame = match enclosing.pop() {
                    Some(frame) => frame,
                    None => return Ok(()),
                };
                accept_comma = true;
            }
            if frame == b'{' {
                match self.whitespace() {
                    Some(b'"') => self.eat(),
                    Some(_) => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                    None => return Err(self.peek_error(EOF_WHILE_PARSING_OBJECT)),
                }
                self.ignore_str()?;
                match self.whitespace() {
                    Some(b':') => self.eat(),
                    Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
                    None => return Err(self.peek_error(EOF_WHILE_PARSING_OBJECT)),
                }
            }
            opened = Some(frame);
        }
    }

    /// Skips a number (serde_json's `ignore_integer` and what follows it), which checks
    /// a little less than [`Parser::number`] does.
    fn ignore_number(&mut self) -> Result<()> {
        if self.peek() == Some(b'-') {
            self.eat();
        }
        match self.next() {
            Some(b'0') => {
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
            }
            Some(b'1'..=b'9') => {
                while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    self.eat();
                }
            }
            _ => return Err(self.error(INVALID_NUMBER)),
        }
        if self.peek() == Some(b'.') {
            self.eat();
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.peek_error(INVALID_NUMBER));
            }
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.eat();
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.eat();
            if let Some(b'+' | b'-') = self.peek() {
                self.eat();
            }
            if !self.next().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.error(INVALID_NUMBER));
            }
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.eat();
            }
        }
        Ok(())
    }
}
