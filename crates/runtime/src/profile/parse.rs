//! The INI dialect of the shared config files, read as botocore reads it: Python's
//! `configparser.RawConfigParser` with its default options, then botocore's nested
//! (`key =` + indented lines) values. The rules are listed in the [module
//! documentation](super#the-file-format); this file implements them in order.

use super::{FileKind, Origin, ProfileError, Property, PropertyValue};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// One `[section]` of a file after the `[DEFAULT]` section's keys were copied into it.
pub(super) struct RawSection {
    /// The text between the brackets, verbatim.
    pub name: String,
    pub properties: BTreeMap<String, Property>,
}

/// A `key = value` line with its continuation lines, before values are joined.
struct RawOption {
    key: String,
    line: usize,
    /// The value on the key line, then each continuation line (blank lines as `""`),
    /// each with its 1-based line number.
    lines: Vec<(usize, String)>,
}

struct SectionBuf {
    name: String,
    options: Vec<RawOption>,
}

impl SectionBuf {
    fn option(&self, key: &str) -> Option<&RawOption> {
        self.options.iter().find(|o| o.key == key)
    }
}

/// Which section the parser is filling.
#[derive(Clone, Copy)]
enum Current {
    /// configparser's special `[DEFAULT]`, whose keys every other section inherits.
    Defaults,
    Section(usize),
}

/// configparser's name for the section every other section inherits from.
const DEFAULT_SECTION: &str = "DEFAULT";

/// The longest excerpt of a line quoted in an error message, in characters.
const MAX_EXCERPT: usize = 60;

/// Parses one file into its sections, in file order, `[DEFAULT]` excluded (its keys are
/// copied into every other section that lacks them).
pub(super) fn parse_file(
    kind: FileKind,
    path: &Path,
    contents: &[u8],
) -> Result<Vec<RawSection>, ProfileError> {
    let error = |line: usize, message: String| ProfileError::Parse {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = std::str::from_utf8(contents).map_err(|e| {
        let line = line_number_at(&contents[..e.valid_up_to()]);
        error(line, "the file is not valid UTF-8 text".to_owned())
    })?;
    // botocore keeps a byte-order mark and then finds no section header; we skip it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    let mut sections: Vec<SectionBuf> = Vec::new();
    let mut defaults = SectionBuf {
        name: DEFAULT_SECTION.to_owned(),
        options: Vec::new(),
    };
    let mut header_lines: BTreeMap<String, usize> = BTreeMap::new();
    let mut current: Option<Current> = None;
    // Whether the last line of the current section set an option that continuation lines
    // extend (configparser's `optname`); always the section's last option.
    let mut in_option = false;
    let mut indent_level = 0usize;

    for (index, line) in lines(text).enumerate() {
        let number = index + 1;
        let content = py_strip(line);
        let is_comment = content.starts_with('#') || content.starts_with(';');
        if content.is_empty() || is_comment {
            // A blank line belongs to the value being read (it may sit between two
            // continuation lines); a comment line is dropped and changes nothing.
            if !is_comment
                && in_option
                && let Some(option) = current_options(&mut sections, &mut defaults, current)
                    .and_then(|options| options.last_mut())
            {
                option.lines.push((number, String::new()));
            }
            continue;
        }
        let indent = line.chars().take_while(|&c| is_py_space(c)).count();
        if in_option && indent > indent_level {
            if let Some(option) = current_options(&mut sections, &mut defaults, current)
                .and_then(|options| options.last_mut())
            {
                option.lines.push((number, content.to_owned()));
            }
            continue;
        }
        indent_level = indent;

        if let Some(name) = section_header(content) {
            if name == DEFAULT_SECTION {
                current = Some(Current::Defaults);
            } else if let Some(first) = header_lines.get(name) {
                return Err(error(
                    number,
                    format!(
                        "duplicate section `[{}]` (first on line {first})",
                        excerpt(name)
                    ),
                ));
            } else {
                header_lines.insert(name.to_owned(), number);
                sections.push(SectionBuf {
                    name: name.to_owned(),
                    options: Vec::new(),
                });
                current = Some(Current::Section(sections.len() - 1));
            }
            in_option = false;
            continue;
        }

        let Some(cur) = current else {
            return Err(error(
                number,
                format!(
                    "expected a section header such as `[default]`, found `{}`",
                    excerpt(content)
                ),
            ));
        };
        let Some((key, value)) = split_option(content) else {
            return Err(error(
                number,
                format!("expected `key = value`, found `{}`", excerpt(content)),
            ));
        };
        let section = match cur {
            Current::Defaults => &mut defaults,
            Current::Section(i) => &mut sections[i],
        };
        let key = key.to_lowercase();
        if let Some(first) = section.option(&key) {
            return Err(error(
                number,
                format!(
                    "duplicate key `{}` in section `[{}]` (first on line {})",
                    excerpt(&key),
                    excerpt(&section.name),
                    first.line
                ),
            ));
        }
        section.options.push(RawOption {
            key,
            line: number,
            lines: vec![(number, value.to_owned())],
        });
        in_option = true;
    }

    let path: Arc<Path> = Arc::from(path);
    sections
        .into_iter()
        .map(|section| {
            let mut properties = BTreeMap::new();
            for option in &section.options {
                properties.insert(option.key.clone(), finish_option(kind, &path, option)?);
            }
            // Inherited values are read (and may fail) only in sections that inherit them.
            for option in &defaults.options {
                if !properties.contains_key(&option.key) {
                    properties.insert(option.key.clone(), finish_option(kind, &path, option)?);
                }
            }
            Ok(RawSection {
                name: section.name,
                properties,
            })
        })
        .collect()
}

fn current_options<'a>(
    sections: &'a mut [SectionBuf],
    defaults: &'a mut SectionBuf,
    current: Option<Current>,
) -> Option<&'a mut Vec<RawOption>> {
    match current? {
        Current::Defaults => Some(&mut defaults.options),
        Current::Section(i) => sections.get_mut(i).map(|s| &mut s.options),
    }
}

/// Joins an option's lines into its value: nested properties when the key line had no
/// value and indented lines follow, else the lines joined with `\n`.
fn finish_option(
    kind: FileKind,
    path: &Arc<Path>,
    option: &RawOption,
) -> Result<Property, ProfileError> {
    let joined = option
        .lines
        .iter()
        .map(|(_, text)| text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let joined = py_rstrip(&joined);
    let value = if joined.starts_with('\n') {
        PropertyValue::Nested(parse_nested(path, option)?)
    } else {
        PropertyValue::Text(joined.to_owned())
    };
    let origin = Origin {
        path: Arc::clone(path),
        line: option.line,
        file: kind,
    };
    Ok(Property { value, origin })
}

/// botocore's `_parse_nested`: each non-blank line is `key = value` split at the first `=`
/// (`:` is no delimiter here); keys keep their case; a repeated key keeps its last value.
fn parse_nested(
    path: &Arc<Path>,
    option: &RawOption,
) -> Result<BTreeMap<String, String>, ProfileError> {
    let mut nested = BTreeMap::new();
    for (number, text) in &option.lines {
        for piece in text.split(is_py_line_boundary) {
            let piece = py_strip(piece);
            if piece.is_empty() {
                continue;
            }
            let Some((key, value)) = piece.split_once('=') else {
                return Err(ProfileError::Parse {
                    path: path.to_path_buf(),
                    line: *number,
                    message: format!(
                        "expected `key = value` in the nested properties of `{}`, found `{}`",
                        excerpt(&option.key),
                        excerpt(piece)
                    ),
                });
            };
            nested.insert(py_strip(key).to_owned(), py_strip(value).to_owned());
        }
    }
    Ok(nested)
}

/// configparser's section regex `\[(?P<header>.+)\]`, matched at the start of the stripped
/// line: the name runs to the *last* `]`, and anything after it is ignored.
fn section_header(content: &str) -> Option<&str> {
    let rest = content.strip_prefix('[')?;
    let end = rest.rfind(']')?;
    (end > 0).then(|| &rest[..end])
}

/// configparser's option regex: the key is everything before the first `=` or `:`
/// (right-stripped, never empty), the value everything after it (stripped).
fn split_option(content: &str) -> Option<(&str, &str)> {
    let at = content.find(['=', ':'])?;
    let key = py_rstrip(&content[..at]);
    if key.is_empty() {
        return None;
    }
    Some((key, py_strip(&content[at + 1..])))
}

/// Lines as Python's universal-newline mode reads them: `\n`, `\r\n` and a lone `\r` end a
/// line; a final terminator does not start another one.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find(['\r', '\n']) {
            Some(at) => {
                let line = &rest[..at];
                let terminator = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[at + terminator..];
                Some(line)
            }
            None => Some(std::mem::take(&mut rest)),
        }
    })
}

/// The 1-based number of the line that follows `bytes` (universal newlines).
fn line_number_at(bytes: &[u8]) -> usize {
    let mut line = 1;
    let mut previous_cr = false;
    for &b in bytes {
        match b {
            b'\n' if previous_cr => {}
            b'\n' | b'\r' => line += 1,
            _ => {}
        }
        previous_cr = b == b'\r';
    }
    line
}

/// Python's `str.isspace`: Unicode white space plus the separators U+001C..U+001F.
pub(super) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The line boundaries of Python's `str.splitlines` (botocore splits nested values with it).
fn is_py_line_boundary(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{0b}'
            | '\u{0c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

fn py_rstrip(s: &str) -> &str {
    s.trim_end_matches(is_py_space)
}

/// A piece of a line for an error message: at most [`MAX_EXCERPT`] characters, control
/// characters escaped.
fn excerpt(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == MAX_EXCERPT {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Python's `shlex.split` (POSIX mode), which botocore applies to section names such as
/// `profile "my name"`: words split at ASCII white space, `'…'` and `"…"` quote, a backslash
/// escapes any character outside quotes and only `"` and `\` inside double quotes. `None`
/// where Python raises (an unclosed quote, a trailing backslash).
pub(crate) fn shlex_split(s: &str) -> Option<Vec<String>> {
    #[derive(PartialEq)]
    enum State {
        Word,
        Single,
        Double,
    }
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut state = State::Word;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match state {
            State::Word => match c {
                ' ' | '\t' | '\r' | '\n' => {
                    if in_word {
                        words.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                }
                '\\' => {
                    word.push(chars.next()?);
                    in_word = true;
                }
                '\'' => {
                    state = State::Single;
                    in_word = true;
                }
                '"' => {
                    state = State::Double;
                    in_word = true;
                }
                _ => {
                    word.push(c);
                    in_word = true;
                }
            },
            State::Single => match c {
                '\'' => state = State::Word,
                _ => word.push(c),
            },
            State::Double => match c {
                '"' => state = State::Word,
                '\\' => {
                    let next = chars.next()?;
                    if next != '"' && next != '\\' {
                        word.push('\\');
                    }
                    word.push(next);
                }
                _ => word.push(c),
            },
        }
    }
    if state != State::Word {
        return None;
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}
