//! SigV4 and SigV4a conformance: every case of botocore's `aws4_testsuite`
//! (`fixtures/sigv4/`), every case of the aws-c-auth suite's `v4/` and `v4a/` folders
//! (`fixtures/sigv4a/`), each signed with headers and presigned, and smithy-rs's two extra
//! double-encoding cases (`fixtures/sigv4a/smithy-rs-extra/v4/`).
//!
//! Each case is signed through [`sigv4::sign_request`] from its raw request target and,
//! when the target is a valid [`http::Uri`] (all but the `get-space` cases, whose request
//! line has a literal space), also through [`sigv4::sign`] / [`sigv4::presign`], which must
//! agree. Compared exactly: the canonical request, the string to sign (ours, and the one
//! computed from the *expected* canonical request, so one wrong step does not hide the
//! next), the signature (likewise from the expected string to sign), the `Authorization`
//! header, and the signed request's headers (as name/value lists, values with whitespace
//! collapsed) or, presigned, its path and query parameters (as a set: aws-c-auth writes
//! them in a non-canonical order).
//!
//! Fixture notes:
//! * botocore's fixed parameters are not in its files: `AKIDEXAMPLE`, the example secret,
//!   2015-08-30T12:36:00Z, `us-east-1`, `service`. As botocore's runner does, the session
//!   token is read from the `x-amz-security-token` line of the `.creq`; when only the `.sreq`
//!   has one (`post-sts-header-after`) it is appended after signing, unsigned.
//! * botocore's `get-vanilla-with-session-token.sreq` carries `get-vanilla`'s signature in
//!   its `Authorization` line, while its `.authz` (checked) agrees with its `.creq` and
//!   `.sts`; for that one comparison of the signed request's headers, `Authorization` is
//!   checked against the `.authz` only.
//! * smithy-rs's `double-encode-path` pins its canonical request at 2021-05-11T15:40:45Z and
//!   its signed request with `ANOTREAL` credentials at 2015-08-30T12:36:00Z (its README):
//!   both are checked.
//!
//! SigV4a ([`sigv4a`]) signatures are ECDSA, so they are checked differently. Compared
//! exactly, as for SigV4: the canonical request, the string to sign (ours, and the one
//! computed from the expected canonical request), and the signed request's headers (the
//! `Authorization` value up to `Signature=`) or presigned query parameters (but
//! `X-Amz-Signature`). The public key derived from the case's credentials must be its
//! `public-key.json`. With that key and p256's verifier (not the signer's code), these must
//! verify over the expected string to sign: our signature (which must not verify for another
//! string), `calculate_signature`'s, and the suite's own two (`*-signature.txt` and the one
//! in `*-signed-request.txt`, which shows the verification accepts signatures made
//! elsewhere).
//!
//! Two v4a cases, `get-vanilla-query-order-key` and `get-vanilla-query-order-value`, ship
//! only `context.json` and `request.txt` (aws-c-auth does not run them). Rather than skip
//! them, their expectations are derived from fixture data: `get-vanilla`'s (same context,
//! same request but for the query, which the runner checks), with the canonical query
//! line of the same request in botocore's SigV4 suite put into the canonical request (before
//! the presigning parameters, which sort after it: checked). Their string to sign is the
//! signer's `string_to_sign` of that canonical request, which the 38 other cases check.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Request, Uri};
use stratus_runtime::datetime::TimestampFormat;
use stratus_runtime::sigv4::{
    self, PayloadHash, SessionTokenMode, SignableRequest, SignatureLocation, SigningError,
    SigningOutput, SigningParams, SigningSettings, UriEncoding,
};
use stratus_runtime::sigv4a;
use stratus_runtime::{Credentials, DateTime};

use super::{SuiteReport, fixture};

/// The example credentials of the AWS documentation, used by every suite.
const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// botocore's fixed signing time.
const SUITE_TIME: &str = "2015-08-30T12:36:00Z";

/// One report per suite: botocore, aws-c-auth v4 (headers, presigned), smithy-rs extras,
/// aws-c-auth v4a (headers, presigned).
pub fn run() -> Vec<SuiteReport> {
    vec![
        botocore(),
        aws_c_auth(false),
        aws_c_auth(true),
        smithy_rs_extra(),
        aws_c_auth_v4a(false),
        aws_c_auth_v4a(true),
    ]
}

// ---------------------------------------------------------------------------------------
// botocore: fixtures/sigv4/<case>/<case>.{req,creq,sts,authz,sreq}
// ---------------------------------------------------------------------------------------

fn botocore() -> SuiteReport {
    let mut report = SuiteReport::new("sigv4 (botocore aws4_testsuite)");
    let root = fixture("sigv4");
    let mut cases = Vec::new();
    if let Err(why) = collect_botocore_cases(&root, &mut cases) {
        report.record("(listing the cases)", Err(why));
        return report;
    }
    if cases.is_empty() {
        report.record(
            "(listing the cases)",
            Err(format!("no case under {}", root.display())),
        );
    }
    cases.sort();
    for dir in cases {
        let name = dir
            .strip_prefix(&root)
            .unwrap_or(&dir)
            .to_string_lossy()
            .replace('\\', "/");
        report.record(name, botocore_case(&dir));
    }
    report
}

/// A case is a folder `<name>/` that holds `<name>.req`; other folders group cases.
fn collect_botocore_cases(dir: &Path, cases: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
            .path();
        if !path.is_dir() {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.join(format!("{name}.req")).is_file() {
            cases.push(path);
        } else {
            collect_botocore_cases(&path, cases)?;
        }
    }
    Ok(())
}

fn botocore_case(dir: &Path) -> Result<(), String> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = |ext: &str| read(&dir.join(format!("{name}.{ext}")));
    let raw = parse_request(&file("req")?)?;
    let creq = file("creq")?;
    let sts = file("sts")?;
    let authz = file("authz")?;
    let expected_signed = parse_request(&file("sreq")?)?;

    let creq_token = creq
        .lines()
        .find_map(|line| line.strip_prefix("x-amz-security-token:"));
    let sreq_token = expected_signed
        .headers
        .get("x-amz-security-token")
        .and_then(|v| v.to_str().ok());
    let (token, mode) = match (creq_token, sreq_token) {
        (Some(token), _) => (Some(token), SessionTokenMode::Include),
        (None, Some(token)) => (Some(token), SessionTokenMode::AppendAfterSigning),
        (None, None) => (None, SessionTokenMode::Include),
    };
    let credentials = Credentials::new(
        ACCESS_KEY,
        SECRET_KEY,
        token.map(str::to_owned),
        None,
        "botocore suite",
    );
    let settings = SigningSettings {
        session_token_mode: mode,
        ..SigningSettings::default()
    };
    let params = SigningParams::new(&credentials, "us-east-1", "service", time(SUITE_TIME)?)
        .with_settings(settings);
    let signed = sign_case(&raw, Signer::V4(&params), SignatureLocation::Headers)?;

    let expected_signature = signature_of(&authz)?;
    let mut failures = intermediates(&creq, &sts, expected_signature, &params, &signed.output);
    let authorization = signed
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    failures.extend(
        expect_eq(
            "Authorization header",
            &authz,
            authorization.unwrap_or("(none)"),
        )
        .err(),
    );

    let mut expected_headers = header_list(&expected_signed.headers);
    let mut got_headers = header_list(&signed.headers);
    let sreq_authorization = expected_signed
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if sreq_authorization.map(str::trim) != Some(authz.as_str()) {
        // The .sreq disagrees with the .authz (which agrees with .sts): see the module docs.
        expected_headers.retain(|(name, _)| name != "authorization");
        got_headers.retain(|(name, _)| name != "authorization");
    }
    failures.extend(expect_headers(&expected_headers, &got_headers).err());
    failures.extend(expect_eq("request target", &expected_signed.target, &raw.target).err());
    outcome(failures)
}

// ---------------------------------------------------------------------------------------
// aws-c-auth: fixtures/sigv4a/v4/<case>/{context.json, request.txt, header-*, query-*}
// ---------------------------------------------------------------------------------------

fn aws_c_auth(presigned: bool) -> SuiteReport {
    let mut report = SuiteReport::new(if presigned {
        "sigv4 (aws-c-auth v4, presigned)"
    } else {
        "sigv4 (aws-c-auth v4)"
    });
    let root = fixture("sigv4a/v4");
    let mut cases: Vec<PathBuf> = match fs::read_dir(&root) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.is_dir())
            .collect(),
        Err(e) => {
            report.record(
                "(listing the cases)",
                Err(format!("cannot list {}: {e}", root.display())),
            );
            return report;
        }
    };
    if cases.is_empty() {
        report.record(
            "(listing the cases)",
            Err(format!("no case under {}", root.display())),
        );
    }
    cases.sort();
    for dir in cases {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        report.record(name, aws_c_auth_case(&dir, presigned));
    }
    report
}

fn aws_c_auth_case(dir: &Path, presigned: bool) -> Result<(), String> {
    let context = CaseContext::read(dir, presigned)?;
    let params = SigningParams::new(
        &context.credentials,
        &context.region,
        &context.service,
        context.time,
    )
    .with_settings(context.settings);
    let location = context.location;

    let prefix = if presigned { "query" } else { "header" };
    let expected = |what: &str| read(&dir.join(format!("{prefix}-{what}.txt")));
    let raw = parse_request(&read(&dir.join("request.txt"))?)?;
    let signed = sign_case(&raw, Signer::V4(&params), location)?;
    let signature = expected("signature")?;
    let mut failures = intermediates(
        &expected("canonical-request")?,
        &expected("string-to-sign")?,
        signature.trim(),
        &params,
        &signed.output,
    );

    let expected_signed = parse_request(&expected("signed-request")?)?;
    failures.extend(
        expect_headers(
            &header_list(&expected_signed.headers),
            &header_list(&signed.headers),
        )
        .err(),
    );
    if presigned {
        let (expected_path, expected_query) = split_target(&expected_signed.target);
        failures.extend(expect_eq("presigned path", expected_path, signed.path).err());
        failures.extend(
            expect_eq(
                "presigned query parameters (sorted)",
                &query_set(expected_query),
                &query_set(&signed.query),
            )
            .err(),
        );
    } else {
        failures.extend(expect_eq("request target", &expected_signed.target, &raw.target).err());
    }
    outcome(failures)
}

// ---------------------------------------------------------------------------------------
// aws-c-auth SigV4a: fixtures/sigv4a/v4a/<case>/{context.json, request.txt, public-key.json,
// header-*, query-*}
// ---------------------------------------------------------------------------------------

/// The case whose expectations, with botocore's canonical query, stand in for those of the
/// two v4a cases that have none (module docs).
const V4A_TEMPLATE_CASE: &str = "get-vanilla";

fn aws_c_auth_v4a(presigned: bool) -> SuiteReport {
    let mut report = SuiteReport::new(if presigned {
        "sigv4a (aws-c-auth v4a, presigned)"
    } else {
        "sigv4a (aws-c-auth v4a)"
    });
    let root = fixture("sigv4a/v4a");
    let cases = match case_dirs(&root) {
        Ok(cases) => cases,
        Err(why) => {
            report.record("(listing the cases)", Err(why));
            return report;
        }
    };
    for dir in cases {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        report.record(name, v4a_case(&root, &dir, presigned));
    }
    report
}

/// The sorted case folders under `root`; an error when there are none.
fn case_dirs(root: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(root).map_err(|e| format!("cannot list {}: {e}", root.display()))?;
    let mut cases: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    if cases.is_empty() {
        return Err(format!("no case under {}", root.display()));
    }
    cases.sort();
    Ok(cases)
}

/// What a v4a case expects.
struct V4aExpected {
    canonical_request: String,
    /// `None` when the case has no string to sign of its own (a derived case).
    string_to_sign: Option<String>,
    /// Signatures the suite made of the string to sign: `*-signature.txt` and the one in
    /// `*-signed-request.txt`.
    suite_signatures: Vec<String>,
    signed_request: RawRequest,
    /// The uncompressed SEC1 public key of `public-key.json`.
    public_key: Vec<u8>,
}

fn v4a_case(root: &Path, dir: &Path, presigned: bool) -> Result<(), String> {
    let context = CaseContext::read(dir, presigned)?;
    let params = sigv4a::SigningParams::new(
        &context.credentials,
        &context.region,
        &context.service,
        context.time,
    )
    .with_settings(context.settings);
    let location = context.location;
    let prefix = if presigned { "query" } else { "header" };
    let raw = parse_request(&read(&dir.join("request.txt"))?)?;
    let expected = if dir
        .join(format!("{prefix}-canonical-request.txt"))
        .is_file()
    {
        v4a_expectations(dir, prefix)?
    } else {
        v4a_derived_expectations(root, dir, &raw, prefix)?
    };
    let mut failures = Vec::new();

    // The key derivation.
    match sigv4a::derive_public_key(&context.credentials) {
        Ok(key) => failures.extend(
            expect_eq(
                "derived public key (uncompressed SEC1)",
                &hex(&expected.public_key),
                &hex(&key.to_sec1_uncompressed()),
            )
            .err(),
        ),
        Err(e) => failures.push(format!("derive_public_key failed: {e}")),
    }

    // The canonical request and the string to sign.
    let signed = sign_case(&raw, Signer::V4a(&params), location)?;
    let output = &signed.output;
    failures.extend(
        expect_eq(
            "canonical request",
            &expected.canonical_request,
            output.canonical_request(),
        )
        .err(),
    );
    let from_expected = sigv4a::string_to_sign(&expected.canonical_request, &params)
        .map_err(|e| format!("string_to_sign failed: {e}"))?;
    let string_to_sign = match &expected.string_to_sign {
        Some(sts) => {
            failures.extend(
                expect_eq(
                    "string to sign of the expected canonical request",
                    sts,
                    &from_expected,
                )
                .err(),
            );
            sts.as_str()
        }
        None => from_expected.as_str(),
    };
    failures.extend(expect_eq("string to sign", string_to_sign, output.string_to_sign()).err());

    // The signatures: ours, of the expected string to sign, and the suite's, all verified
    // with the suite's public key; and ours must not verify for another string.
    let verify = |what: &str, sts: &str, signature: &str| {
        verify_ecdsa(&expected.public_key, sts, signature).map_err(|why| format!("{what}: {why}"))
    };
    failures.extend(verify("our signature", string_to_sign, output.signature()).err());
    if verify("", &format!("{string_to_sign}\n"), output.signature()).is_ok() {
        failures.push("our signature also verifies for another string to sign".to_owned());
    }
    match sigv4a::calculate_signature(string_to_sign, &params) {
        Ok(signature) => failures.extend(
            verify(
                "calculate_signature of the expected string to sign",
                string_to_sign,
                &signature,
            )
            .err(),
        ),
        Err(e) => failures.push(format!("calculate_signature failed: {e}")),
    }
    for signature in &expected.suite_signatures {
        failures.extend(verify("the suite's signature", string_to_sign, signature).err());
    }

    // The signed request, the signatures aside.
    let expected_signed = &expected.signed_request;
    let without_signature = |headers: &HeaderMap| {
        let mut list = header_list(headers);
        for (name, value) in &mut list {
            if name == "authorization"
                && let Some((head, _)) = value.split_once("Signature=")
            {
                *value = format!("{head}Signature=(checked apart)");
            }
        }
        list
    };
    failures.extend(
        expect_headers(
            &without_signature(&expected_signed.headers),
            &without_signature(&signed.headers),
        )
        .err(),
    );
    if presigned {
        let (expected_path, expected_query) = split_target(&expected_signed.target);
        failures.extend(expect_eq("presigned path", expected_path, signed.path).err());
        let without_signature = |query: &str| {
            query
                .split('&')
                .filter(|p| !p.starts_with("X-Amz-Signature="))
                .collect::<Vec<_>>()
                .join("&")
        };
        failures.extend(
            expect_eq(
                "presigned query parameters but X-Amz-Signature (sorted)",
                &query_set(&without_signature(expected_query)),
                &query_set(&without_signature(&signed.query)),
            )
            .err(),
        );
        let sent = signed
            .query
            .split('&')
            .find_map(|p| p.strip_prefix("X-Amz-Signature="));
        failures.extend(
            expect_eq(
                "X-Amz-Signature",
                output.signature(),
                sent.unwrap_or("(none)"),
            )
            .err(),
        );
    } else {
        failures.extend(expect_eq("request target", &expected_signed.target, &raw.target).err());
        let sent = signed
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(signature_of)
            .transpose()?;
        failures.extend(
            expect_eq(
                "Authorization signature",
                output.signature(),
                sent.unwrap_or("(none)"),
            )
            .err(),
        );
        // aws-c-auth's `get-vanilla` also has its header expectations under legacy names.
        for (file, ours) in [
            ("canonical-request.txt", output.canonical_request()),
            ("string-to-sign.txt", output.string_to_sign()),
        ] {
            let path = dir.join(file);
            if path.is_file() {
                failures.extend(expect_eq(file, &read(&path)?, ours).err());
            }
        }
    }
    outcome(failures)
}

/// A v4a case's own expectations.
fn v4a_expectations(dir: &Path, prefix: &str) -> Result<V4aExpected, String> {
    let expected = |what: &str| read(&dir.join(format!("{prefix}-{what}.txt")));
    let signed_request = parse_request(&expected("signed-request")?)?;
    let mut suite_signatures = vec![expected("signature")?.trim().to_owned()];
    if prefix == "header" {
        let authorization = signed_request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .ok_or("header-signed-request.txt has no Authorization")?;
        suite_signatures.push(signature_of(authorization)?.to_owned());
    } else {
        let signature = split_target(&signed_request.target)
            .1
            .split('&')
            .find_map(|p| p.strip_prefix("X-Amz-Signature="))
            .ok_or("query-signed-request.txt has no X-Amz-Signature")?;
        suite_signatures.push(signature.to_owned());
    }
    Ok(V4aExpected {
        canonical_request: expected("canonical-request")?,
        string_to_sign: Some(expected("string-to-sign")?),
        suite_signatures,
        signed_request,
        public_key: read_public_key(dir)?,
    })
}

/// Expectations for the v4a cases that have none (`get-vanilla-query-order-key` and
/// `-value`): the template case's, with the canonical query of the same request in
/// botocore's SigV4 suite (`fixtures/sigv4/<case>/<case>.creq`). Checked first: same context
/// as the template, same request but for the query, same query as botocore's request.
fn v4a_derived_expectations(
    root: &Path,
    dir: &Path,
    raw: &RawRequest,
    prefix: &str,
) -> Result<V4aExpected, String> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let template = root.join(V4A_TEMPLATE_CASE);
    let json = |path: &Path| -> Result<serde_json::Value, String> {
        serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
    };
    if json(&dir.join("context.json"))? != json(&template.join("context.json"))? {
        return Err(format!(
            "no expectations, and context.json differs from {V4A_TEMPLATE_CASE}'s"
        ));
    }
    let template_raw = parse_request(&read(&template.join("request.txt"))?)?;
    let (path, query) = split_target(&raw.target);
    let (template_path, template_query) = split_target(&template_raw.target);
    let botocore = fixture("sigv4").join(&name);
    let botocore_raw = parse_request(&read(&botocore.join(format!("{name}.req")))?)?;
    if raw.method != template_raw.method
        || path != template_path
        || !template_query.is_empty()
        || raw.headers != template_raw.headers
        || raw.body != template_raw.body
        || raw.target != botocore_raw.target
    {
        return Err(format!(
            "no expectations, and the request is not {V4A_TEMPLATE_CASE}'s with botocore's \
             {name} query"
        ));
    }
    let botocore_creq = read(&botocore.join(format!("{name}.creq")))?;
    let canonical_query = botocore_creq
        .split('\n')
        .nth(2)
        .ok_or_else(|| format!("{name}.creq has no query line"))?;

    let expected = |what: &str| read(&template.join(format!("{prefix}-{what}.txt")));
    let mut lines: Vec<String> = expected("canonical-request")?
        .split('\n')
        .map(str::to_owned)
        .collect();
    let template_line = lines
        .get_mut(2)
        .ok_or("the template canonical request has no query line")?;
    if template_line.is_empty() {
        *template_line = canonical_query.to_owned();
    } else {
        // Appending keeps the canonical order only if botocore's keys sort first.
        let last_key = canonical_query.rsplit('&').next().unwrap_or_default();
        if last_key.split('=').next() >= template_line.split('=').next() {
            return Err(format!(
                "botocore's canonical query {canonical_query:?} does not sort before {template_line:?}"
            ));
        }
        *template_line = format!("{canonical_query}&{template_line}");
    }

    let mut signed_request = parse_request(&expected("signed-request")?)?;
    signed_request.target = if prefix == "header" {
        raw.target.clone()
    } else {
        let (_, auth_query) = split_target(&signed_request.target);
        format!("{path}?{query}&{auth_query}")
    };
    Ok(V4aExpected {
        canonical_request: lines.join("\n"),
        string_to_sign: None,
        suite_signatures: Vec::new(),
        signed_request,
        public_key: read_public_key(&template)?,
    })
}

/// `public-key.json` (`{"X": hex, "Y": hex}`) as an uncompressed SEC1 point.
fn read_public_key(dir: &Path) -> Result<Vec<u8>, String> {
    let key: serde_json::Value = serde_json::from_str(&read(&dir.join("public-key.json"))?)
        .map_err(|e| format!("public-key.json: {e}"))?;
    let mut sec1 = vec![0x04];
    for coordinate in ["X", "Y"] {
        let hex = key[coordinate]
            .as_str()
            .ok_or_else(|| format!("public-key.json has no string {coordinate}"))?;
        let bytes = unhex(hex)?;
        if bytes.len() != 32 {
            return Err(format!("public-key.json: {coordinate} is not 32 bytes"));
        }
        sec1.extend(bytes);
    }
    Ok(sec1)
}

/// Verifies a hex DER ECDSA P-256 signature of SHA-256(`message`) with p256's verifier.
fn verify_ecdsa(public_key: &[u8], message: &str, signature_hex: &str) -> Result<(), String> {
    use p256::ecdsa::signature::Verifier as _;
    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(public_key)
        .map_err(|e| format!("the public key is not a P-256 point: {e}"))?;
    let der = unhex(signature_hex)?;
    let signature = p256::ecdsa::DerSignature::from_bytes(&der)
        .map_err(|e| format!("{signature_hex:?} is not a DER ECDSA signature: {e}"))?;
    key.verify(message.as_bytes(), &signature)
        .map_err(|_| format!("signature {signature_hex} does not verify"))
}

fn unhex(hex: &str) -> Result<Vec<u8>, String> {
    let digit = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
            .ok_or_else(|| format!("{hex:?} is not hex"))
    };
    let bytes = hex.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(format!("{hex:?} has an odd number of hex digits"));
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Ok(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A case's `context.json`, as signing parameters.
struct CaseContext {
    credentials: Credentials,
    region: String,
    service: String,
    time: DateTime,
    settings: SigningSettings,
    location: SignatureLocation,
}

impl CaseContext {
    fn read(dir: &Path, presigned: bool) -> Result<Self, String> {
        let context: serde_json::Value = serde_json::from_str(&read(&dir.join("context.json"))?)
            .map_err(|e| format!("context.json: {e}"))?;
        let string = |key: &str| {
            context[key]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("context.json has no string `{key}`"))
        };
        let flag = |key: &str| context[key].as_bool().unwrap_or(false);
        let credentials = &context["credentials"];
        let credentials = Credentials::new(
            credentials["access_key_id"]
                .as_str()
                .ok_or("context.json has no access_key_id")?,
            credentials["secret_access_key"]
                .as_str()
                .ok_or("context.json has no secret_access_key")?,
            credentials["token"].as_str().map(str::to_owned),
            None,
            "aws-c-auth suite",
        );
        let settings = SigningSettings {
            uri_encoding: UriEncoding::Double,
            normalize_path: flag("normalize"),
            payload: PayloadHash::Body,
            content_sha256_header: flag("sign_body"),
            session_token_mode: if flag("omit_session_token") {
                SessionTokenMode::AppendAfterSigning
            } else {
                SessionTokenMode::Include
            },
        };
        let location = if presigned {
            let seconds = context["expiration_in_seconds"]
                .as_u64()
                .ok_or("context.json has no expiration_in_seconds")?;
            SignatureLocation::QueryString {
                expires_in: Duration::from_secs(seconds),
            }
        } else {
            SignatureLocation::Headers
        };
        Ok(CaseContext {
            credentials,
            region: string("region")?,
            service: string("service")?,
            time: time(&string("timestamp")?)?,
            settings,
            location,
        })
    }
}

// ---------------------------------------------------------------------------------------
// smithy-rs extras: fixtures/sigv4a/smithy-rs-extra/v4/{double-url-encode,double-encode-path}
// ---------------------------------------------------------------------------------------

fn smithy_rs_extra() -> SuiteReport {
    let mut report = SuiteReport::new("sigv4 (smithy-rs double encoding)");
    let root = fixture("sigv4a/smithy-rs-extra/v4");
    report.record(
        "double-url-encode",
        double_url_encode(&root.join("double-url-encode")),
    );
    report.record(
        "double-encode-path",
        double_encode_path(&root.join("double-encode-path")),
    );
    report
}

const SMITHY_TIME: &str = "2021-05-11T15:40:45Z";

fn double_url_encode(dir: &Path) -> Result<(), String> {
    let raw = parse_request(&read(&dir.join("request.txt"))?)?;
    let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "smithy-rs suite");
    let params = SigningParams::new(&credentials, "us-east-2", "lambda", time(SMITHY_TIME)?);
    let signed = sign_case(&raw, Signer::V4(&params), SignatureLocation::Headers)?;
    let expected_signed = parse_request(&read(&dir.join("header-signed-request.txt"))?)?;
    let authorization = expected_signed
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or("header-signed-request.txt has no Authorization")?;
    let mut failures = intermediates(
        &read(&dir.join("header-canonical-request.txt"))?,
        &read(&dir.join("header-string-to-sign.txt"))?,
        signature_of(authorization)?,
        &params,
        &signed.output,
    );
    failures.extend(
        expect_headers(
            &header_list(&expected_signed.headers),
            &header_list(&signed.headers),
        )
        .err(),
    );
    outcome(failures)
}

fn double_encode_path(dir: &Path) -> Result<(), String> {
    let raw = parse_request(&read(&dir.join("request.txt"))?)?;
    let mut failures = Vec::new();

    // The canonical request, at smithy-rs's time (region and service do not appear in it).
    let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "smithy-rs suite");
    let params = SigningParams::new(&credentials, "us-east-1", "service", time(SMITHY_TIME)?);
    let signed = sign_case(&raw, Signer::V4(&params), SignatureLocation::Headers)?;
    let creq = read(&dir.join("header-canonical-request.txt"))?;
    failures.extend(
        expect_eq(
            "canonical request",
            &creq,
            signed.output.canonical_request(),
        )
        .err(),
    );

    // The signed request, with the credentials and time its README gives.
    let credentials = Credentials::new(
        "ANOTREAL",
        "notrealrnrELgWzOk3IfjzDKtFBhDby",
        None,
        None,
        "smithy-rs suite",
    );
    let params = SigningParams::new(&credentials, "us-east-1", "service", time(SUITE_TIME)?);
    let signed = sign_case(&raw, Signer::V4(&params), SignatureLocation::Headers)?;
    let expected_signed = parse_request(&read(&dir.join("header-signed-request.txt"))?)?;
    failures.extend(
        expect_headers(
            &header_list(&expected_signed.headers),
            &header_list(&signed.headers),
        )
        .err(),
    );
    outcome(failures)
}

// ---------------------------------------------------------------------------------------
// Signing a case
// ---------------------------------------------------------------------------------------

/// A raw HTTP/1.1 request as the fixtures write it.
struct RawRequest {
    method: String,
    /// The request target, byte for byte (`/path?query`).
    target: String,
    headers: HeaderMap,
    body: Bytes,
}

/// Parses a fixture request: a request line (`METHOD target [HTTP/1.1]`), `Name:value` lines (a line that starts with
/// whitespace continues the previous value: obsolete line folding, joined with a space),
/// then an optional empty line and the body. `\r` is ignored.
fn parse_request(text: &str) -> Result<RawRequest, String> {
    let text = text.replace('\r', "");
    let (head, body) = match text.split_once("\n\n") {
        Some((head, body)) => (head, body),
        None => (text.trim_end_matches('\n'), ""),
    };
    let mut lines = head.split('\n');
    let request_line = lines.next().unwrap_or_default();
    let malformed = || format!("malformed request line {request_line:?}");
    let (method, rest) = request_line.split_once(' ').ok_or_else(malformed)?;
    // The version is optional: smithy-rs's `double-url-encode` signed request has none.
    let target = match rest.rsplit_once(' ') {
        Some((target, version)) if version.starts_with("HTTP/") => target,
        _ => rest,
    };
    if target.is_empty() {
        return Err(malformed());
    }
    let mut fields: Vec<(&str, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let (_, value) = fields
                .last_mut()
                .ok_or_else(|| format!("continuation line {line:?} before any header"))?;
            value.push(' ');
            value.push_str(line);
        } else {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("malformed header line {line:?}"))?;
            fields.push((name, value.to_owned()));
        }
    }
    let mut headers = HeaderMap::new();
    for (name, value) in fields {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| format!("header name {name:?}: {e}"))?;
        let value = HeaderValue::from_str(&value).map_err(|e| format!("value of {name}: {e}"))?;
        headers.append(name, value);
    }
    Ok(RawRequest {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: Bytes::copy_from_slice(body.as_bytes()),
    })
}

/// A signed case: the signer's output and the request as it would be sent.
struct Signed<'a> {
    output: SigningOutput,
    headers: HeaderMap,
    path: &'a str,
    /// The query as sent (with the presigning parameters appended).
    query: String,
}

/// The signer under test: SigV4 or SigV4a, with its parameters.
#[derive(Clone, Copy)]
enum Signer<'a> {
    V4(&'a SigningParams<'a>),
    V4a(&'a sigv4a::SigningParams<'a>),
}

impl Signer<'_> {
    fn sign_request(
        self,
        request: &SignableRequest<'_>,
        location: SignatureLocation,
    ) -> Result<SigningOutput, SigningError> {
        match self {
            Signer::V4(params) => sigv4::sign_request(request, params, location),
            Signer::V4a(params) => sigv4a::sign_request(request, params, location),
        }
    }

    fn canonical_request(
        self,
        request: &SignableRequest<'_>,
        location: SignatureLocation,
    ) -> Result<String, SigningError> {
        match self {
            Signer::V4(params) => sigv4::canonical_request(request, params, location),
            Signer::V4a(params) => sigv4a::canonical_request(request, params, location),
        }
    }

    fn sign(self, request: &mut Request<Bytes>) -> Result<(), SigningError> {
        match self {
            Signer::V4(params) => sigv4::sign(request, params),
            Signer::V4a(params) => sigv4a::sign(request, params),
        }
    }

    fn presign(self, request: &Request<Bytes>, expires_in: Duration) -> Result<Uri, SigningError> {
        match self {
            Signer::V4(params) => sigv4::presign(request, params, expires_in),
            Signer::V4a(params) => sigv4a::presign(request, params, expires_in),
        }
    }
}

/// Signs `raw` through `sign_request`, checks that `canonical_request` agrees, and, when the
/// target is a valid URI, that `sign` / `presign` produce the same request.
fn sign_case<'a>(
    raw: &'a RawRequest,
    signer: Signer<'_>,
    location: SignatureLocation,
) -> Result<Signed<'a>, String> {
    let signable =
        SignableRequest::from_raw_target(&raw.method, &raw.target, &raw.headers, &raw.body);
    let output = signer
        .sign_request(&signable, location)
        .map_err(|e| format!("signing failed: {e}"))?;
    let creq = signer
        .canonical_request(&signable, location)
        .map_err(|e| format!("canonical_request: {e}"))?;
    expect_eq(
        "canonical_request() against sign_request()",
        output.canonical_request(),
        &creq,
    )?;

    let (path, query) = split_target(&raw.target);
    let mut headers = raw.headers.clone();
    for (name, value) in output.headers() {
        headers.insert(name.clone(), value.clone());
    }
    let mut query = query.to_owned();
    for (name, value) in output.query_params() {
        if !query.is_empty() {
            query.push('&');
        }
        let _ = write!(query, "{name}={value}");
    }

    if let Ok(uri) = raw.target.parse::<Uri>() {
        let mut request = Request::builder()
            .method(raw.method.as_str())
            .uri(uri)
            .body(raw.body.clone())
            .map_err(|e| format!("cannot build the http::Request: {e}"))?;
        *request.headers_mut() = raw.headers.clone();
        match location {
            SignatureLocation::Headers => {
                signer
                    .sign(&mut request)
                    .map_err(|e| format!("sign() failed: {e}"))?;
                expect_headers(&header_list(&headers), &header_list(request.headers()))
                    .map_err(|why| format!("sign() and sign_request() disagree: {why}"))?;
            }
            SignatureLocation::QueryString { expires_in } => {
                let uri = signer
                    .presign(&request, expires_in)
                    .map_err(|e| format!("presign() failed: {e}"))?;
                let expected = format!("{path}?{query}");
                expect_eq(
                    "presign() against sign_request()",
                    &expected,
                    uri.path_and_query().map_or("", |pq| pq.as_str()),
                )?;
            }
        }
    }
    Ok(Signed {
        output,
        headers,
        path,
        query,
    })
}

/// Compares the intermediate strings: each from our pipeline and each from the expected
/// previous step.
fn intermediates(
    creq: &str,
    sts: &str,
    signature: &str,
    params: &SigningParams<'_>,
    output: &SigningOutput,
) -> Vec<String> {
    let mut failures = Vec::new();
    failures.extend(expect_eq("canonical request", creq, output.canonical_request()).err());
    match sigv4::string_to_sign(creq, params) {
        Ok(from_expected) => {
            failures.extend(
                expect_eq(
                    "string to sign of the expected canonical request",
                    sts,
                    &from_expected,
                )
                .err(),
            );
        }
        Err(e) => failures.push(format!("string_to_sign failed: {e}")),
    }
    failures.extend(expect_eq("string to sign", sts, output.string_to_sign()).err());
    match sigv4::calculate_signature(sts, params) {
        Ok(from_expected) => {
            failures.extend(
                expect_eq(
                    "signature of the expected string to sign",
                    signature,
                    &from_expected,
                )
                .err(),
            );
        }
        Err(e) => failures.push(format!("calculate_signature failed: {e}")),
    }
    failures.extend(expect_eq("signature", signature, output.signature()).err());
    failures
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// A fixture file, with its final newline (if any) dropped.
fn read(path: &Path) -> Result<String, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text.strip_suffix('\n').map(str::to_owned).unwrap_or(text))
}

fn time(rfc3339: &str) -> Result<DateTime, String> {
    DateTime::parse(rfc3339, TimestampFormat::DateTime).map_err(|e| e.to_string())
}

fn split_target(target: &str) -> (&str, &str) {
    target.split_once('?').unwrap_or((target, ""))
}

/// The `Signature=` of an `Authorization` value.
fn signature_of(authorization: &str) -> Result<&str, String> {
    authorization
        .rsplit_once("Signature=")
        .map(|(_, signature)| signature.trim())
        .ok_or_else(|| format!("no Signature= in {authorization:?}"))
}

/// Headers as (name, value) with whitespace runs collapsed, ordered by name; the values of
/// one name keep their order.
fn header_list(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes());
            (
                name.as_str().to_owned(),
                value.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        })
        .collect();
    list.sort_by(|a, b| a.0.cmp(&b.0));
    list
}

fn expect_headers(expected: &[(String, String)], got: &[(String, String)]) -> Result<(), String> {
    let show = |list: &[(String, String)]| {
        list.iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    expect_eq("signed request headers", &show(expected), &show(got))
}

/// Query parameters, sorted, one per line.
fn query_set(query: &str) -> String {
    let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    params.sort_unstable();
    params.join("\n")
}

fn expect_eq(what: &str, expected: &str, got: &str) -> Result<(), String> {
    if expected == got {
        Ok(())
    } else {
        Err(format!(
            "{what} differs\n--- expected\n{expected}\n--- got\n{got}\n---"
        ))
    }
}

fn outcome(failures: Vec<String>) -> Result<(), String> {
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn suite() {
        let reports = super::run();
        for report in &reports {
            print!("{report}");
        }
        for report in &reports {
            assert!(report.is_success(), "{} failed", report.suite);
            assert!(report.skipped.is_empty(), "{} skipped cases", report.suite);
        }
        // Every case of every suite ran: none was lost in listing the fixtures.
        let totals: Vec<(&str, usize)> = reports
            .iter()
            .map(|report| (report.suite.as_str(), report.total))
            .collect();
        assert_eq!(
            totals,
            [
                ("sigv4 (botocore aws4_testsuite)", 34),
                ("sigv4 (aws-c-auth v4)", 38),
                ("sigv4 (aws-c-auth v4, presigned)", 38),
                ("sigv4 (smithy-rs double encoding)", 2),
                ("sigv4a (aws-c-auth v4a)", 40),
                ("sigv4a (aws-c-auth v4a, presigned)", 40),
            ]
        );
    }
}
