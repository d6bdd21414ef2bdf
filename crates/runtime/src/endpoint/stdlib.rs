//! The standard library of endpoint rule sets: the functions of the Smithy rules-engine
//! specification (`substring`, `uriEncode`, `isValidHostLabel`, `parseURL`) and of its AWS
//! extensions (`aws.parseArn`, `aws.isVirtualHostableS3Bucket`; `aws.partition` lives in
//! [`partition`](super::partition)).
//!
//! Each function follows botocore's `RuleSetStandardLibrary` (botocore is what the endpoint
//! test suites were checked against), written for the request path: no regular
//! expressions, and results borrow from the input wherever they can.
//!
//! botocore leans on Python's `re` and `urlparse`, whose leniency leaks into a few corner
//! cases. Where the two differ, these functions follow the specification and reject the
//! input, because it would otherwise end up in a hostname:
//!
//! - character classes are ASCII: `\d` in Python also matches other Unicode digits;
//! - `$` is the end of the input: in Python it also matches before a final `\n`, so
//!   botocore takes `"abc\n"` for a valid host label;
//! - [`parse_url`] rejects what `urlparse` silently repairs or mis-splits: control
//!   characters (`urlparse` strips tabs and newlines), spaces in the authority, text between
//!   `]` and the port, an empty host (botocore raises `TypeError`); and it keeps `;` in the
//!   path, where `urlparse` cuts RFC 1808 "parameters" off the last path segment.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::borrow::Cow;
use std::net::Ipv6Addr;
use std::ops::Range;

/// Every byte but RFC 3986's unreserved characters `A-Z a-z 0-9 - . _ ~`.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `substring(input, startIndex, endIndex, reverse)`: the ASCII characters
/// `start..stop` of `input`, counted from its end when `reverse` is true.
///
/// `None` when `start >= stop`, when `input` is shorter than `stop`, or when `input`
/// holds any non-ASCII character.
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    substring_range(input, start, stop, reverse).and_then(|range| input.get(range))
}

/// The byte range of `input` that [`substring`] returns.
pub(crate) fn substring_range(
    input: &str,
    start: usize,
    stop: usize,
    reverse: bool,
) -> Option<Range<usize>> {
    if start >= stop || input.len() < stop || !input.is_ascii() {
        return None;
    }
    // An ASCII string has a character boundary at every index.
    Some(if reverse {
        input.len() - stop..input.len() - start
    } else {
        start..stop
    })
}

/// `uriEncode(value)`: percent-encodes every UTF-8 byte except RFC 3986's unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`), with uppercase hexadecimal digits.
///
/// Borrows `input` when nothing needs encoding.
pub fn uri_encode(input: &str) -> Cow<'_, str> {
    utf8_percent_encode(input, RESERVED).into()
}

/// `isValidHostLabel(value, allowSubDomains)`: whether `input` is an RFC 1123 host label
/// (1 to 63 ASCII letters, digits and hyphens, not starting or ending with a hyphen), or,
/// when `allow_sub_domains` is true, such labels joined by dots.
pub fn is_valid_host_label(input: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        input.split('.').all(is_host_label)
    } else {
        is_host_label(input)
    }
}

/// A byte of a host label: an ASCII letter or digit, or `-`.
const LABEL: u8 = 1;
/// A byte of a virtual-hostable bucket label: [`LABEL`] but not an uppercase letter.
const BUCKET: u8 = 2;

/// The classes of every byte: one table lookup per byte of a hostname.
static CLASSES: [u8; 256] = {
    let mut classes = [0; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || b == b'-' {
            classes[i] = if b.is_ascii_uppercase() {
                LABEL
            } else {
                LABEL | BUCKET
            };
        }
        i += 1;
    }
    classes
};

/// Whether `label` is 1 to 63 bytes of `class` (one bit), neither first nor last a `-`.
fn is_label_of(label: &str, class: u8) -> bool {
    let bytes = label.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) => {
            bytes.len() <= 63
                && first != b'-'
                && last != b'-'
                // Without an early exit: a label is short, and this loop has no branch.
                && bytes
                    .iter()
                    .fold(class, |all, &b| all & CLASSES[usize::from(b)])
                    != 0
        }
        _ => false,
    }
}

fn is_host_label(label: &str) -> bool {
    is_label_of(label, LABEL)
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: whether `input` can be the
/// leftmost label(s) of a virtual-hosted S3 hostname: at least 3 characters, no uppercase
/// letter, not shaped like an IPv4 address, and a valid host label (or dotted labels when
/// `allow_sub_domains` is true; see [`is_valid_host_label`]).
pub fn is_virtual_hostable_s3_bucket(input: &str, allow_sub_domains: bool) -> bool {
    if input.len() < 3 {
        return false;
    }
    if !allow_sub_domains {
        // One label: no `.`, so nothing like an IPv4 address.
        return is_label_of(input, BUCKET);
    }
    !input.bytes().any(|b| b.is_ascii_uppercase())
        && !is_ipv4_shaped(input)
        && is_valid_host_label(input, allow_sub_domains)
}

/// Four dot-separated groups of one to three ASCII digits, like botocore's `IPV4_RE`
/// (no range check: `999.999.999.999` counts).
fn is_ipv4_shaped(input: &str) -> bool {
    let mut groups = 0;
    for group in input.split('.') {
        groups += 1;
        if groups > 4 || group.is_empty() || group.len() > 3 {
            return false;
        }
        if !group.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    groups == 4
}

/// An Amazon Resource Name, as `aws.parseArn` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    /// The partition, e.g. `aws`; never empty.
    pub partition: &'a str,
    /// The service namespace, e.g. `s3`; never empty.
    pub service: &'a str,
    /// The region; empty for resources that are not regional.
    pub region: &'a str,
    /// The account; empty for resources no account owns.
    pub account_id: &'a str,
    /// The resource (everything after the fifth `:`) split on `:` and `/`; the resource
    /// is never empty, its components may be.
    pub resource_id: Vec<&'a str>,
}

/// `aws.parseArn(value)`: splits `arn:partition:service:region:account-id:resource`.
///
/// `None` unless `input` starts with `arn:` and has all six fields, with partition,
/// service and resource non-empty.
pub fn parse_arn(input: &str) -> Option<Arn<'_>> {
    let mut fields = input.strip_prefix("arn:")?.splitn(5, ':');
    let partition = fields.next()?;
    let service = fields.next()?;
    let region = fields.next()?;
    let account_id = fields.next()?;
    let resource = fields.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition,
        service,
        region,
        account_id,
        resource_id: resource.split([':', '/']).collect(),
    })
}

/// A URL, as `parseURL` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url<'a> {
    /// `http` or `https`, in lowercase whatever the input's case.
    pub scheme: &'a str,
    /// Everything between `://` and the path, as written: host and port (and user
    /// information, which botocore keeps too).
    pub authority: &'a str,
    /// The path as written: empty or starting with `/`, without query or fragment.
    pub path: &'a str,
    /// The path with `.` and `..` segments resolved and empty segments removed, each
    /// segment percent-encoded like [`uri_encode`], starting and ending with `/`.
    pub normalized_path: Cow<'a, str>,
    /// Whether the host is an IPv6 address in brackets, or four dot-separated groups
    /// of one to three digits.
    pub is_ip: bool,
}

/// `parseURL(value)`: splits an `http` or `https` URL.
///
/// `None` for any other scheme, for a URL with a non-empty query (`?` alone is accepted,
/// as botocore does; a fragment is dropped), for an empty host, a port that is not a
/// number from 0 to 65535, a bracketed host that is not an IPv6 address (or an RFC 3986
/// `v…` future address), and for the malformed inputs listed in the [module
/// docs](self).
pub fn parse_url(input: &str) -> Option<Url<'_>> {
    if input.bytes().any(|b| b.is_ascii_control()) {
        return None;
    }
    let (scheme, rest) = input.split_once(':')?;
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else if scheme.eq_ignore_ascii_case("http") {
        "http"
    } else {
        return None;
    };
    let rest = rest.strip_prefix("//")?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(authority_end);
    let rest = rest
        .split_once('#')
        .map_or(rest, |(before, _fragment)| before);
    let path = match rest.split_once('?') {
        Some((_, query)) if !query.is_empty() => return None,
        Some((path, _)) => path,
        None => rest,
    };
    let is_ip = check_authority(authority)?;
    Some(Url {
        scheme,
        authority,
        path,
        normalized_path: normalize_path(path),
        is_ip,
    })
}

/// Validates `[userinfo@]host[:port]`; returns whether the host is an IP address.
fn check_authority(authority: &str) -> Option<bool> {
    if authority.contains(' ') {
        return None;
    }
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_userinfo, host_port)| host_port);
    let (is_ip, port) = match host_port.strip_prefix('[') {
        Some(bracketed) => {
            let (host, after) = bracketed.split_once(']')?;
            let port = match after {
                "" => "",
                after => after.strip_prefix(':')?,
            };
            (bracketed_host_is_ip(host)?, port)
        }
        None => {
            let (host, port) = host_port.split_once(':').unwrap_or((host_port, ""));
            if host.is_empty() || host.contains(['[', ']']) {
                return None;
            }
            (is_ipv4_shaped(host), port)
        }
    };
    is_valid_port(port).then_some(is_ip)
}

/// An empty port (`host:`) is allowed, as in `urlparse`; otherwise ASCII digits up to 65535.
fn is_valid_port(port: &str) -> bool {
    port.bytes()
        .try_fold(0u32, |value, b| {
            let value = value * 10 + u32::from(b.checked_sub(b'0').filter(|d| *d <= 9)?);
            (value <= 65535).then_some(value)
        })
        .is_some()
}

/// The host between `[` and `]`: an IPv6 address with an optional zone (`%25en0` or
/// `%en0`; only zones of unreserved characters count as an IP, like botocore's pattern),
/// or an IPvFuture address `v<hex>.<text>`, which is valid but not an IP.
fn bracketed_host_is_ip(host: &str) -> Option<bool> {
    if let Some(future) = host.strip_prefix('v') {
        let (version, text) = future.split_once('.')?;
        let valid = !version.is_empty()
            && version.bytes().all(|b| b.is_ascii_hexdigit())
            && !text.is_empty();
        return valid.then_some(false);
    }
    let (address, zone) = match host.split_once('%') {
        Some((address, zone)) => (address, Some(zone)),
        None => (host, None),
    };
    address.parse::<Ipv6Addr>().ok()?;
    match zone {
        None => Some(true),
        Some(zone) if zone.is_empty() || zone.contains('%') => None,
        Some(zone) => Some(
            zone.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~!".contains(&b)),
        ),
    }
}

/// botocore's `normalizedPath`: dot segments resolved, empty segments dropped, each
/// segment percent-encoded, and a `/` before and after every segment.
fn normalize_path(path: &str) -> Cow<'_, str> {
    if path.is_empty() {
        return Cow::Borrowed("/");
    }
    if is_normalized(path) {
        return Cow::Borrowed(path);
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    let mut normalized = String::with_capacity(path.len() + 2);
    normalized.push('/');
    for segment in segments {
        normalized.extend(utf8_percent_encode(segment, RESERVED));
        normalized.push('/');
    }
    Cow::Owned(normalized)
}

/// Whether [`normalize_path`] would return `path` unchanged: `/`, or `/`-terminated
/// segments that are non-empty, not `.` or `..`, and need no encoding.
fn is_normalized(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    let Some(inner) = path.strip_prefix('/').and_then(|p| p.strip_suffix('/')) else {
        return false;
    };
    inner.split('/').all(|segment| {
        !matches!(segment, "" | "." | "..")
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values come from the rules-engine specification's tables, the
    // endpoint-rules unit suites under tests/fixtures/endpoint-rules-unit, and botocore
    // 1.43's RuleSetStandardLibrary run on the same inputs.

    #[test]
    fn substring_counts_from_either_end() {
        // substring.json: (0, 4, false), (0, 4, true), (1, 3, false).
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcd", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("defg", 0, 4, true), Some("defg"));
        assert_eq!(substring("defg", 1, 3, false), Some("ef"));
        assert_eq!(substring("def", 1, 3, false), Some("ef"));
        assert_eq!(substring("\u{7f}abcdef", 0, 4, false), Some("\u{7f}abc"));
    }

    #[test]
    fn substring_rejects_short_empty_and_non_ascii_input() {
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("", 0, 4, false), None);
        assert_eq!(substring("abc", 0, 4, true), None);
        assert_eq!(substring("ab", 1, 3, false), None);
        assert_eq!(substring("\u{fdfd}", 0, 4, false), None);
        assert_eq!(substring("\u{fdfd}", 0, 4, true), None);
        assert_eq!(substring("abcdef\u{1f431}", 0, 4, false), None);
        assert_eq!(substring("abcdef\u{80}", 0, 4, false), None);
        // start must be below stop.
        assert_eq!(substring("abcdef", 2, 2, false), None);
        assert_eq!(substring("abcdef", 3, 1, true), None);
    }

    #[test]
    fn uri_encode_keeps_only_unreserved_characters() {
        // uri-encode.json.
        assert!(matches!(uri_encode("abcdefg"), Cow::Borrowed("abcdefg")));
        assert_eq!(uri_encode("abc:defg"), "abc%3Adefg");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(
            uri_encode("0123456789.underscore_dash-Tilda~"),
            "0123456789.underscore_dash-Tilda~"
        );
        assert_eq!(uri_encode("\u{1f639}"), "%F0%9F%98%B9");
        assert_eq!(
            uri_encode(
                " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
            ),
            "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~"
        );
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn host_labels_follow_rfc_1123() {
        // valid-hostlabel.json.
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("3aws4", false));
        assert!(!is_valid_host_label("part1.part2", false));
        assert!(is_valid_host_label("part1.part2", true));
        assert!(!is_valid_host_label("part1 part2", false));
        assert!(!is_valid_host_label("part1 part2", true));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("", true));
        // Hyphens, length, and empty labels.
        assert!(!is_valid_host_label("-abc", false));
        assert!(!is_valid_host_label("abc-", false));
        assert!(is_valid_host_label("a-b", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("a.b.", true));
        assert!(!is_valid_host_label("a_b", false));
        // ASCII only, and no trailing newline (botocore's `$` would accept one).
        assert!(!is_valid_host_label("abc\n", false));
        assert!(!is_valid_host_label("ab\u{663}", false));
    }

    #[test]
    fn virtual_hostable_buckets() {
        // is-virtual-hostable-s3-bucket.json: the first argument is false, then true.
        assert!(is_virtual_hostable_s3_bucket("bucket-name", false));
        assert!(is_virtual_hostable_s3_bucket("bucket-with-number-1", false));
        for bucket in ["bucket.name", "bucket.name.multiple.dots1"] {
            assert!(!is_virtual_hostable_s3_bucket(bucket, false), "{bucket}");
            assert!(is_virtual_hostable_s3_bucket(bucket, true), "{bucket}");
        }
        let long = "a".repeat(64);
        for bucket in [
            "BucketName",
            "bucket_name",
            "-bucket-name",
            "bucket-name-",
            "aa",
            long.as_str(),
            ".bucket-name",
            "bucket-name.",
            "192.168.5.4",
            "bucket-.name",
            "bucket.-name",
        ] {
            assert!(!is_virtual_hostable_s3_bucket(bucket, false), "{bucket}");
            assert!(!is_virtual_hostable_s3_bucket(bucket, true), "{bucket}");
        }
        // An IPv4 shape is refused even out of range; other digit groups are labels.
        assert!(!is_virtual_hostable_s3_bucket("999.999.999.999", true));
        assert!(is_virtual_hostable_s3_bucket("1.2.3.4.5", true));
        assert!(is_virtual_hostable_s3_bucket("1234.2.3.4", true));
        assert!(is_virtual_hostable_s3_bucket("abc", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", true));
    }

    fn arn<'a>(
        partition: &'a str,
        service: &'a str,
        region: &'a str,
        account_id: &'a str,
        resource_id: &[&'a str],
    ) -> Option<Arn<'a>> {
        Some(Arn {
            partition,
            service,
            region,
            account_id,
            resource_id: resource_id.to_vec(),
        })
    }

    #[test]
    fn arns_from_the_specification() {
        assert_eq!(
            parse_arn("arn:aws:sns:us-west-2:012345678910:example-sns-topic-name"),
            arn(
                "aws",
                "sns",
                "us-west-2",
                "012345678910",
                &["example-sns-topic-name"]
            )
        );
        assert_eq!(parse_arn("11111111-2222-3333-4444-555555555555"), None);
        assert_eq!(
            parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE"),
            arn(
                "aws",
                "ec2",
                "us-east-1",
                "012345678910",
                &["vpc", "vpc-0e9801d129EXAMPLE"]
            )
        );
        assert_eq!(
            parse_arn("arn:aws:iam::012345678910:user/johndoe"),
            arn("aws", "iam", "", "012345678910", &["user", "johndoe"])
        );
        assert_eq!(
            parse_arn("arn:aws:s3:::bucket_name"),
            arn("aws", "s3", "", "", &["bucket_name"])
        );
    }

    #[test]
    fn arns_from_the_parse_arn_suite() {
        // parse-arn.json.
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-2:012345678:outpost:op-1234"),
            arn(
                "aws",
                "s3",
                "us-east-2",
                "012345678",
                &["outpost", "op-1234"]
            )
        );
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-2:012345678:outpost"),
            arn("aws", "s3", "us-east-2", "012345678", &["outpost"])
        );
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-2:012345678:outpost::"),
            arn("aws", "s3", "us-east-2", "012345678", &["outpost", "", ""])
        );
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-2:012345678:outpost:"),
            arn("aws", "s3", "us-east-2", "012345678", &["outpost", ""])
        );
        for invalid in [
            "mybucket",
            "asdf",
            "arn:aws:s3:us-west-2:123456789012:",
            "arn:aws::us-west-2:123456789012:resource-id",
            "arn::s3:us-west-2:123456789012:resource-id",
            "arn:aws:s3:us-west-2:123456789012",
            "ARN:aws:s3:us-west-2:123456789012:r",
            "",
        ] {
            assert_eq!(parse_arn(invalid), None, "{invalid}");
        }
        assert_eq!(
            parse_arn("arn:aws:s3::123456789012:resource-id"),
            arn("aws", "s3", "", "123456789012", &["resource-id"])
        );
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-1::resource-id"),
            arn("aws", "s3", "us-east-1", "", &["resource-id"])
        );
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-1:abcd:resource-id"),
            arn("aws", "s3", "us-east-1", "abcd", &["resource-id"])
        );
    }

    fn url<'a>(
        scheme: &'a str,
        authority: &'a str,
        path: &'a str,
        normalized_path: &'a str,
        is_ip: bool,
    ) -> Option<Url<'a>> {
        Some(Url {
            scheme,
            authority,
            path,
            normalized_path: Cow::Borrowed(normalized_path),
            is_ip,
        })
    }

    #[test]
    fn urls_from_the_specification() {
        // The specification's table shows path `/` for the first URL; botocore (and the
        // rule sets' expectations) use the empty path.
        assert_eq!(
            parse_url("https://example.com"),
            url("https", "example.com", "", "/", false)
        );
        assert_eq!(parse_url("https://example.com:8443?foo=bar&faz=baz"), None);
        assert_eq!(
            parse_url("http://example.com:80/foo/bar"),
            url("http", "example.com:80", "/foo/bar", "/foo/bar/", false)
        );
        assert_eq!(
            parse_url("https://127.0.0.1"),
            url("https", "127.0.0.1", "", "/", true)
        );
        assert_eq!(
            parse_url("https://[fe80::1]"),
            url("https", "[fe80::1]", "", "/", true)
        );
    }

    #[test]
    fn urls_from_the_parse_url_suite() {
        // parse-url.json.
        assert_eq!(
            parse_url("https://authority.com/custom-path"),
            url(
                "https",
                "authority.com",
                "/custom-path",
                "/custom-path/",
                false
            )
        );
        assert_eq!(
            parse_url("https://authority.com/"),
            url("https", "authority.com", "/", "/", false)
        );
        assert_eq!(
            parse_url("http://authority.com:8000/port"),
            url("http", "authority.com:8000", "/port", "/port/", false)
        );
        assert_eq!(parse_url("acbd://example.com"), None);
        assert_eq!(
            parse_url("http://99_ab-.com"),
            url("http", "99_ab-.com", "", "/", false)
        );
        assert_eq!(parse_url("http://abc.com:a/foo"), None);
        assert_eq!(
            parse_url("http://192.168.1.1:1234/foo/"),
            url("http", "192.168.1.1:1234", "/foo/", "/foo/", true)
        );
        assert_eq!(
            parse_url("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443"),
            url(
                "https",
                "[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443",
                "",
                "/",
                true
            )
        );
        assert_eq!(
            parse_url("https://999.999.abc.blah"),
            url("https", "999.999.abc.blah", "", "/", false)
        );
        assert_eq!(parse_url("https://example.com/path?query1=foo"), None);
    }

    #[test]
    fn url_paths_normalize_like_botocore() {
        let normalized = |input: &str| parse_url(input).map(|u| u.normalized_path.into_owned());
        assert_eq!(
            normalized("HTTPS://Example.com:443/a/./b/../c//d").as_deref(),
            Some("/a/c/d/")
        );
        assert_eq!(normalized("https://host//").as_deref(), Some("/"));
        assert_eq!(normalized("https://host/..").as_deref(), Some("/"));
        assert_eq!(normalized("https://host/a/../..").as_deref(), Some("/"));
        assert_eq!(
            normalized("https://host/a%20b/\u{fc}").as_deref(),
            Some("/a%2520b/%C3%BC/")
        );
        assert_eq!(normalized("http://host/a b").as_deref(), Some("/a%20b/"));
        // `;` stays in the path (urlparse would cut `;d` off as parameters).
        let url = parse_url("https://host/a;b/c;d");
        assert_eq!(url.as_ref().map(|u| u.path), Some("/a;b/c;d"));
        assert_eq!(
            url.map(|u| u.normalized_path.into_owned()).as_deref(),
            Some("/a%3Bb/c%3Bd/")
        );
        // Already normal paths are borrowed.
        let url = parse_url("https://host/a/b-c_d.e~f/");
        assert!(matches!(
            url.map(|u| u.normalized_path),
            Some(Cow::Borrowed("/a/b-c_d.e~f/"))
        ));
        assert!(matches!(
            parse_url("https://host").map(|u| u.normalized_path),
            Some(Cow::Borrowed("/"))
        ));
    }

    #[test]
    fn url_schemes_queries_and_fragments() {
        fn scheme(input: &str) -> Option<&str> {
            parse_url(input).map(|u| u.scheme)
        }
        assert_eq!(scheme("HTTP://host"), Some("http"));
        assert_eq!(scheme("Https://host"), Some("https"));
        assert_eq!(scheme("ftp://host"), None);
        assert_eq!(scheme("http+x://host"), None);
        assert_eq!(scheme("//host/a"), None);
        assert_eq!(scheme("http:host"), None);
        assert_eq!(scheme("http:/a/b"), None);
        assert_eq!(scheme(""), None);
        // An empty query is no query; a fragment is dropped.
        assert_eq!(
            parse_url("https://host/p?"),
            url("https", "host", "/p", "/p/", false)
        );
        assert_eq!(
            parse_url("https://host/p#frag?x=1"),
            url("https", "host", "/p", "/p/", false)
        );
        assert_eq!(parse_url("https://host?x#frag"), None);
    }

    #[test]
    fn url_authorities() {
        // User information and empty ports are kept, as urlparse keeps them.
        assert_eq!(
            parse_url("http://u:p@host:80/x"),
            url("http", "u:p@host:80", "/x", "/x/", false)
        );
        assert_eq!(
            parse_url("http://host:/x"),
            url("http", "host:", "/x", "/x/", false)
        );
        assert_eq!(parse_url("http://u@1.2.3.4").map(|u| u.is_ip), Some(true));
        assert_eq!(parse_url("http://host:0080/").map(|u| u.is_ip), Some(false));
        assert_eq!(
            parse_url("http://host:65535/").map(|u| u.is_ip),
            Some(false)
        );
        assert_eq!(parse_url("http://[::1]:/").map(|u| u.is_ip), Some(true));
        for invalid in [
            "http://host:65536/",
            "http://host:99999999999999999999999/",
            "http://[::1]:99999/",
            "http://host:80:90/",
            "http://host:-1/",
            "http://host:+1/",
            "http://host:\u{663}/",
            "http://1.2.3.4:x",
            "http:///x",
            "http://:80/",
            "http://u@/",
            "http://ho st/",
            "http://host /",
            " http://host",
            "http://h\tost/x",
            "http://host/x\n",
            "http://[::1",
            "http://::1]/",
            "http://x[::1]/",
            "http://[1::2]x/",
            "http://[1.2.3.4]/",
            "http://[]/",
            "http://[fe80::1%]/",
            "http://[::1%25a%2]/",
            "http://[v.a]/",
            "http://[v1.]/",
        ] {
            assert_eq!(parse_url(invalid), None, "{invalid:?}");
        }
    }

    #[test]
    fn url_ip_detection() {
        let is_ip = |input: &str| parse_url(input).map(|u| u.is_ip);
        assert_eq!(is_ip("http://192.168.1.1/foo/"), Some(true));
        assert_eq!(is_ip("http://999.999.999.999"), Some(true));
        assert_eq!(is_ip("http://01.2.3.4/"), Some(true));
        assert_eq!(is_ip("http://1.2.3/"), Some(false));
        assert_eq!(is_ip("http://1.2.3.4.5/"), Some(false));
        assert_eq!(is_ip("http://1234.2.3.4/"), Some(false));
        assert_eq!(is_ip("http://[::ffff:1.2.3.4]"), Some(true));
        assert_eq!(is_ip("http://[fe80::1%25en0]:80/"), Some(true));
        assert_eq!(is_ip("http://[fe80::1%en0]/"), Some(true));
        assert_eq!(is_ip("http://[fe80::1%25]/"), Some(true));
        assert_eq!(is_ip("http://[fe80::1%e+n]/"), Some(false));
        assert_eq!(is_ip("http://[v1.a]/"), Some(false));
        assert_eq!(is_ip("http://[v1F.a:b]:8080/"), Some(false));
    }
}
