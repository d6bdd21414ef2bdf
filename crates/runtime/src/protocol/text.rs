//! Scalars as text, shared by every protocol that writes them as text (form bodies, XML,
//! URIs, query strings, headers): floats as Python prints them, timestamps as botocore
//! writes and reads them, percent-encoding as botocore applies it, and how a bad value or
//! body is quoted in a message.

use crate::datetime::{DateTime, TimestampFormat as WireFormat};
use crate::schema::TimestampFormat;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::fmt::Write as _;

/// What botocore's `percent_encode` leaves alone: ASCII letters, digits and `-._~`
/// (RFC 3986's unreserved characters).
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// [`UNRESERVED`] and `/`: greedy URI labels (`{Key+}`) keep their slashes.
pub(crate) const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

/// Appends `text` percent-encoded, keeping the characters of `keep`.
pub(crate) fn push_percent_encoded(out: &mut String, text: &str, keep: &'static AsciiSet) {
    out.extend(utf8_percent_encode(text, keep));
}

/// Writes `value` as Python's `repr` does (botocore sends `str(float)`): the shortest digits
/// that read back as the same number, in positional notation for exponents -5 < e < 16
/// (`10.8`, `10.0`, `0.0001`), else scientific (`1e+16`, `1.5e-05`). `single` takes the shortest
/// digits of the `f32` (a `float` shape), so `10.8f32` is `10.8`, not `10.800000190734863`.
/// NaN and the infinities are `NaN`, `Infinity` and `-Infinity`.
pub(crate) fn write_float(out: &mut String, value: f64, single: bool) {
    if value.is_nan() {
        out.push_str("NaN");
        return;
    }
    if value.is_infinite() {
        out.push_str(if value > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    // `{:e}` gives the shortest round-trip digits: `-1.08e1`, `5e-324`, `0e0`.
    let scientific = if single {
        format!("{:e}", value as f32)
    } else {
        format!("{value:e}")
    };
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        digits.push('0');
    }
    if negative {
        out.push('-');
    }
    if (-5 < exponent) && (exponent < 16) {
        if exponent >= 0 {
            let whole = exponent as usize + 1;
            if digits.len() <= whole {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', whole - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..whole]);
                out.push('.');
                out.push_str(&digits[whole..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
    }
}

/// Writes a timestamp as botocore does: ISO 8601 with whole seconds, or six fraction digits
/// when there are microseconds; RFC 822 in whole seconds; epoch seconds as an integer.
pub(crate) fn write_timestamp(
    out: &mut String,
    t: DateTime,
    format: TimestampFormat,
) -> Result<(), String> {
    match format {
        TimestampFormat::UnixTimestamp => {
            let _ = write!(out, "{}", t.secs());
        }
        TimestampFormat::Rfc822 | TimestampFormat::Iso8601 => {
            DateTime::from_secs(t.secs())
                .try_fmt_into(wire_format(format), out)
                .map_err(|e| e.to_string())?;
            let micros = t.subsec_nanos() / 1_000;
            if format == TimestampFormat::Iso8601 && micros > 0 && out.ends_with('Z') {
                out.pop();
                let _ = write!(out, ".{micros:06}Z");
            }
        }
    }
    Ok(())
}

/// The wire format a model's `timestampFormat` names.
pub(crate) fn wire_format(format: TimestampFormat) -> WireFormat {
    match format {
        TimestampFormat::Iso8601 => WireFormat::DateTime,
        TimestampFormat::Rfc822 => WireFormat::HttpDate,
        TimestampFormat::UnixTimestamp => WireFormat::EpochSeconds,
    }
}

/// Reads a timestamp in its declared format, else in either other format (botocore reads
/// any); the error is the declared format's.
pub(crate) fn parse_timestamp(text: &str, declared: TimestampFormat) -> Result<DateTime, String> {
    let declared = wire_format(declared);
    DateTime::parse(text, declared).or_else(|err| {
        [
            WireFormat::DateTime,
            WireFormat::EpochSeconds,
            WireFormat::HttpDate,
        ]
        .into_iter()
        .filter(|f| *f != declared)
        .find_map(|f| DateTime::parse(text, f).ok())
        .ok_or_else(|| err.to_string())
    })
}

/// Reads a float as the text protocols write them: a decimal number, `NaN`, `Infinity` or
/// `-Infinity`.
pub(crate) fn parse_float(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        // Rust also reads `inf` and `nan`, which no AWS protocol writes.
        _ if text
            .bytes()
            .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') =>
        {
            None
        }
        _ => text.parse().ok(),
    }
}

/// How much of a bad value an error message quotes, in characters.
const MAX_QUOTED: usize = 64;

/// `value` quoted for a message, cut to its first 64 characters.
pub(crate) fn quote(value: &str) -> String {
    match value.char_indices().nth(MAX_QUOTED) {
        Some((cut, _)) => format!("{:?}…", &value[..cut]),
        None => format!("{value:?}"),
    }
}

/// How much of a body an error message shows, in bytes.
const BODY_START: usize = 120;

/// The start of a body for a message: `the body starts "<html>…"`, or `the body is empty`.
/// Bytes that are not UTF-8 are replaced, so any body can be shown.
pub(crate) fn body_start(body: &[u8]) -> String {
    if body.is_empty() {
        return "the body is empty".to_string();
    }
    let shown = &body[..body.len().min(BODY_START)];
    let text = String::from_utf8_lossy(shown);
    let ellipsis = if body.len() > BODY_START { "…" } else { "" };
    format!("the body starts {:?}{ellipsis}", text.as_ref())
}

/// What a body is, without any of its content: for messages about bodies that may hold
/// secrets. `the body (83 bytes of XML) is not shown: …`.
pub(crate) fn body_withheld(body: &[u8], why: &str) -> String {
    let start = body.trim_ascii_start();
    let kind = if body.is_empty() {
        return "the body is empty".to_string();
    } else if start.len() >= 5
        && (start[..5].eq_ignore_ascii_case(b"<html") || start[..5].eq_ignore_ascii_case(b"<!doc"))
    {
        "HTML"
    } else if start.starts_with(b"<") {
        "XML"
    } else if start.starts_with(b"{") || start.starts_with(b"[") {
        "JSON"
    } else if std::str::from_utf8(body).is_ok() {
        "text"
    } else {
        "binary data"
    };
    format!(
        "the body ({} bytes of {kind}) is not shown: {why}",
        body.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_withheld_body_says_only_its_size_and_kind() {
        let why = "secret";
        assert_eq!(body_withheld(b"", why), "the body is empty");
        assert_eq!(
            body_withheld(b"  <!DOCTYPE html><p>proxy</p>", why),
            "the body (29 bytes of HTML) is not shown: secret"
        );
        assert_eq!(
            body_withheld(b"<A>key</A>", why),
            "the body (10 bytes of XML) is not shown: secret"
        );
        assert_eq!(
            body_withheld(br#"{"k":"v"#, why),
            "the body (7 bytes of JSON) is not shown: secret"
        );
        assert_eq!(
            body_withheld(&[0xff, 0], why),
            "the body (2 bytes of binary data) is not shown: secret"
        );
    }

    #[test]
    fn writes_floats_as_python_does() {
        let cases = [
            (10.8, false, "10.8"),
            (10.0, false, "10.0"),
            (-0.0, false, "-0.0"),
            (0.0001, false, "0.0001"),
            (0.00001, false, "1e-05"),
            (1e15, false, "1000000000000000.0"),
            (1e16, false, "1e+16"),
            (-1.5e300, false, "-1.5e+300"),
            (123456789.125, false, "123456789.125"),
            (f64::from(10.8f32), true, "10.8"),
            (f64::from(0.1f32), false, "0.10000000149011612"),
            (f64::NAN, false, "NaN"),
            (f64::NEG_INFINITY, true, "-Infinity"),
        ];
        for (value, single, expected) in cases {
            let mut out = String::new();
            write_float(&mut out, value, single);
            assert_eq!(out, expected, "{value}");
        }
    }

    #[test]
    fn reads_floats_as_the_protocols_write_them() {
        assert_eq!(parse_float("1.5"), Some(1.5));
        assert_eq!(parse_float("1e+16"), Some(1e16));
        assert_eq!(parse_float("-Infinity"), Some(f64::NEG_INFINITY));
        assert!(parse_float("NaN").is_some_and(f64::is_nan));
        for bad in ["inf", "nan", "1.2.3", "", "0x10"] {
            assert_eq!(parse_float(bad), None, "{bad}");
        }
    }

    #[test]
    fn writes_timestamps_as_botocore_does() {
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 120_000_500);
        let cases = [
            (TimestampFormat::Iso8601, "2019-12-16T23:48:18.120000Z"),
            (TimestampFormat::Rfc822, "Mon, 16 Dec 2019 23:48:18 GMT"),
            (TimestampFormat::UnixTimestamp, "1576540098"),
        ];
        for (format, expected) in cases {
            let mut out = String::new();
            write_timestamp(&mut out, t, format).unwrap();
            assert_eq!(out, expected);
        }
        let mut out = String::new();
        write_timestamp(
            &mut out,
            DateTime::from_secs(1_576_540_098),
            TimestampFormat::Iso8601,
        )
        .unwrap();
        assert_eq!(out, "2019-12-16T23:48:18Z");
        assert!(write_timestamp(&mut out, DateTime::MAX, TimestampFormat::Iso8601).is_err());
    }

    #[test]
    fn reads_timestamps_in_any_format_and_reports_the_declared_one() {
        let t = DateTime::from_secs(1_576_540_098);
        for text in [
            "2019-12-16T23:48:18Z",
            "Mon, 16 Dec 2019 23:48:18 GMT",
            "1576540098",
        ] {
            assert_eq!(parse_timestamp(text, TimestampFormat::Rfc822), Ok(t));
        }
        let err = parse_timestamp("soon", TimestampFormat::Iso8601).unwrap_err();
        assert!(
            err.starts_with("invalid date-time timestamp \"soon\""),
            "{err}"
        );
    }

    #[test]
    fn quotes_values_and_bodies_briefly() {
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
        assert_eq!(quote(&"x".repeat(100)), format!("{:?}…", "x".repeat(64)));
        assert_eq!(body_start(b""), "the body is empty");
        assert_eq!(body_start(b"<html>"), "the body starts \"<html>\"");
        let long = "y".repeat(200);
        assert_eq!(
            body_start(long.as_bytes()),
            format!("the body starts {:?}…", "y".repeat(120))
        );
        assert_eq!(body_start(&[0xff, b'a']), "the body starts \"\u{fffd}a\"");
    }
}
