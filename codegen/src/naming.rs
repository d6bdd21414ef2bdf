//! Naming rules: how botocore model names become Rust identifiers.
//!
//! Every name the code generator emits goes through this module, so that the same model always yields
//! the same identifiers. All functions are pure and deterministic, and none of them panics on any input.
//!
//! # Word splitting
//!
//! The base of every rule is botocore's `xform_name` ([`xform_name`]), reproduced exactly (verified
//! against botocore on every member, operation and shape name of every service). It leaves a name that already
//! contains `_` unchanged; otherwise it turns a pluralised trailing acronym into one lowercase word
//! (`GatewayARNs` -> `gateway_arns`), starts a word at every capital that is followed by lowercase letters
//! and at every capital that follows a lowercase letter or a digit (`DBInstanceIdentifier` ->
//! `db_instance_identifier`, `HTTPCode4XXCount` -> `http_code4_xx_count`), and lowercases the result. A
//! fixed table of exceptions (`CreateCachediSCSIVolume` -> `create_cached_iscsi_volume`, the `WhatsApp`,
//! `PartiQL` and `OAuth2` operations, ...) is copied from botocore.
//!
//! # Members and operations
//!
//! Struct fields and client methods use [`snake_ident`]: the `xform_name` of the model name, lowercased,
//! with every character other than an ASCII letter, digit or `_` turned into `_`, runs of `_` collapsed
//! and leading or trailing `_` removed. A name with no letters or digits at all becomes `value`; a name
//! that starts with a digit gets the prefix `n_`. The result is therefore what a botocore user knows
//! (`describe_db_instances`, `ssekms_key_id`), except for the rare names that botocore leaves untouched
//! because they already contain `_` (`AbpV1_0_x` -> `abpv1_0_x`, not `AbpV1_0_x`).
//!
//! # Types
//!
//! Structures, enums, unions, errors and other named shapes use [`upper_camel`]: the shape name is cut
//! into chunks at every character that is not an ASCII letter or digit (those characters are dropped),
//! each chunk is split into words as `xform_name` does, and every word is written with a capital first
//! letter and the rest lowercase: `DBInstance` -> `DbInstance`, `CPUOptions` -> `CpuOptions`,
//! `__listOfString` -> `ListOfString`, `ec2InstanceId` -> `Ec2InstanceId`. The split differs from
//! `xform_name` in one point only: a capital followed by exactly one lowercase letter and then a digit
//! continues the acronym before it instead of starting a word, so version suffixes stay attached
//! (`IPv6Address` -> `Ipv6Address`, where `xform_name` gives `i_pv6_address`; `DynamoDBv2Action` ->
//! `DynamoDbv2Action`). A name starting with a digit gets the prefix `N`; an empty result becomes
//! `Unnamed`.
//!
//! # Statics
//!
//! Statics and constants (for example the schema of a shape) use [`screaming_snake`]: the same words as
//! [`snake_ident`], uppercased, without keyword escaping (`DBInstance` -> `DB_INSTANCE`, a leading digit
//! gives `N_`).
//!
//! # Enum variants
//!
//! A string-enum value becomes a variant with [`enum_variant`]. The value is cut into chunks at every
//! character that is not an ASCII letter or digit, and each chunk is written as in [`upper_camel`]
//! (`ACTIVE` -> `Active`, `t2.micro` -> `T2Micro`, `AWS::EC2::Instance` -> `AwsEc2Instance`,
//! `aws:kms` -> `AwsKms`). Where one chunk ends with a digit and the next starts with one, a `_` keeps the
//! numbers apart (`x86_64` -> `X86_64`, `1.0` -> `V1_0`). A result starting with a digit gets the prefix
//! `V` (`10` -> `V10`). A value without any ASCII letter or digit is spelled out symbol by symbol from a
//! fixed table (`*` -> `Asterisk`, `*/*` -> `AsteriskSlashAsterisk`, `-` -> `Hyphen`, the empty value ->
//! `Empty`); a character missing from the table is written `Symbol` followed by its code point in
//! uppercase hexadecimal, at least four digits (`é` -> `Symbol00E9`). `Self` becomes `SelfValue`, and
//! `Unknown` becomes `UnknownValue` because every generated enum has its own `Unknown(String)` variant.
//! Distinct values can map to the same variant (`us-east-1` and `US_EAST_1`); such collisions are
//! resolved per enum with a [`Namespace`], as below.
//!
//! # Keywords
//!
//! [`escape_keyword`] turns a Rust keyword (strict, reserved, and those of editions up to 2024 such as
//! `async`, `dyn`, `try` and `gen`) into a raw identifier (`type` -> `r#type`, `match` -> `r#match`,
//! `gen` -> `r#gen`). The words that cannot be raw identifiers (`self`, `Self`, `super`, `crate`) and `_`
//! get the suffix `_value` instead (`self` -> `self_value`). Weak keywords that are valid identifiers
//! (`union`, `raw`, `safe`, `macro_rules`) are left alone. Type names never need escaping: they are
//! UpperCamelCase, and the only capitalised keyword, `Self`, is in [`RESERVED_TYPE_NAMES`].
//!
//! # Collisions
//!
//! Each namespace of generated names (the types of a crate, the fields of a struct, the methods of a
//! client, the variants of an enum) is a [`Namespace`]. Names that must stay free are reserved first:
//! for types, [`RESERVED_TYPE_NAMES`] (the Rust 2024 prelude and the names the generated code uses
//! unqualified). Then the names are claimed in a deterministic order (for example sorted by model name), each with its preferred name and a suffix that fits its kind (for example `Shape` for a
//! type, `Value` for an enum variant): the first claimant of a name gets it, a later one gets the name
//! with the suffix, and if that is taken too, the name with the suffix and `2`, then `3`, and so on.
//! Because claims happen in a fixed order, the same model always yields the same names.

use std::collections::BTreeSet;

/// Names a generated type must never take because the generated code or users' code needs them
/// unqualified: the Rust 2024 prelude (types, traits and enum variants) plus the names the generated
/// crates use without a path.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    // Rust 2024 prelude.
    "AsMut",
    "AsRef",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    // Used unqualified by the generated crates.
    "Blob",
    "ByteStream",
    "Bytes",
    "Client",
    "Config",
    "DateTime",
    "Debug",
    "Display",
    "Document",
    "Formatter",
    "HashMap",
    "Member",
    "Operation",
    "Schema",
    "Self",
    "Service",
    "ServiceError",
    "StructValue",
    "Value",
];

/// Names botocore transforms by a fixed table rather than by its rules (copied from `_xform_cache`).
const XFORM_SPECIAL_CASES: &[(&str, &str)] = &[
    ("CreateCachediSCSIVolume", "create_cached_iscsi_volume"),
    (
        "DescribeCachediSCSIVolumes",
        "describe_cached_iscsi_volumes",
    ),
    (
        "DescribeStorediSCSIVolumes",
        "describe_stored_iscsi_volumes",
    ),
    ("CreateStorediSCSIVolume", "create_stored_iscsi_volume"),
    (
        "ListHITsForQualificationType",
        "list_hits_for_qualification_type",
    ),
    ("ExecutePartiQLStatement", "execute_partiql_statement"),
    ("ExecutePartiQLTransaction", "execute_partiql_transaction"),
    ("ExecutePartiQLBatch", "execute_partiql_batch"),
    ("CreateOAuth2Token", "create_oauth2_token"),
    ("CreateOAuth2TokenWithIAM", "create_oauth2_token_with_iam"),
    (
        "IntrospectOAuth2TokenWithIAM",
        "introspect_oauth2_token_with_iam",
    ),
    ("RevokeOAuth2TokenWithIAM", "revoke_oauth2_token_with_iam"),
    (
        "AssociateWhatsAppBusinessAccount",
        "associate_whatsapp_business_account",
    ),
    ("CreateWhatsAppDataset", "create_whatsapp_dataset"),
    ("CreateWhatsAppFlow", "create_whatsapp_flow"),
    (
        "CreateWhatsAppMessageTemplate",
        "create_whatsapp_message_template",
    ),
    (
        "CreateWhatsAppMessageTemplateFromLibrary",
        "create_whatsapp_message_template_from_library",
    ),
    (
        "CreateWhatsAppMessageTemplateMedia",
        "create_whatsapp_message_template_media",
    ),
    ("DeleteWhatsAppFlow", "delete_whatsapp_flow"),
    (
        "DeleteWhatsAppMessageMedia",
        "delete_whatsapp_message_media",
    ),
    (
        "DeleteWhatsAppMessageTemplate",
        "delete_whatsapp_message_template",
    ),
    ("DeprecateWhatsAppFlow", "deprecate_whatsapp_flow"),
    (
        "DisassociateWhatsAppBusinessAccount",
        "disassociate_whatsapp_business_account",
    ),
    (
        "GetLinkedWhatsAppBusinessAccount",
        "get_linked_whatsapp_business_account",
    ),
    (
        "GetLinkedWhatsAppBusinessAccountPhoneNumber",
        "get_linked_whatsapp_business_account_phone_number",
    ),
    ("GetOTelEnrichment", "get_otel_enrichment"),
    ("GetWhatsAppFlow", "get_whatsapp_flow"),
    ("GetWhatsAppFlowPreview", "get_whatsapp_flow_preview"),
    ("GetWhatsAppMessageMedia", "get_whatsapp_message_media"),
    (
        "GetWhatsAppMessageTemplate",
        "get_whatsapp_message_template",
    ),
    (
        "ListLinkedWhatsAppBusinessAccounts",
        "list_linked_whatsapp_business_accounts",
    ),
    ("ListWhatsAppFlowAssets", "list_whatsapp_flow_assets"),
    ("ListWhatsAppFlows", "list_whatsapp_flows"),
    (
        "ListWhatsAppMessageTemplates",
        "list_whatsapp_message_templates",
    ),
    (
        "ListWhatsAppTemplateLibrary",
        "list_whatsapp_template_library",
    ),
    ("PostWhatsAppMessageMedia", "post_whatsapp_message_media"),
    ("PublishWhatsAppFlow", "publish_whatsapp_flow"),
    (
        "PutWhatsAppBusinessAccountEventDestinations",
        "put_whatsapp_business_account_event_destinations",
    ),
    (
        "SendWhatsAppConversionEvent",
        "send_whatsapp_conversion_event",
    ),
    ("SendWhatsAppMessage", "send_whatsapp_message"),
    ("StartOTelEnrichment", "start_otel_enrichment"),
    ("StopOTelEnrichment", "stop_otel_enrichment"),
    ("UpdateWhatsAppFlow", "update_whatsapp_flow"),
    ("UpdateWhatsAppFlowAssets", "update_whatsapp_flow_assets"),
    (
        "UpdateWhatsAppMessageTemplate",
        "update_whatsapp_message_template",
    ),
];

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    // Strict keywords.
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    // Reserved keywords.
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof",
    "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers, plus `_`.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// botocore's `xform_name` with separator `_`: exactly the same output as botocore for every input.
///
/// A name that already contains `_` is returned unchanged. Non-ASCII characters are lowercased with
/// Rust's Unicode tables, which can differ from the Python build's only for characters added to Unicode
/// in between; model names are ASCII.
pub fn xform_name(name: &str) -> String {
    split_words(name, false)
}

/// A snake_case Rust identifier for a member or operation name (see the module documentation).
pub fn snake_ident(name: &str) -> String {
    escape_keyword(&snake_words(name))
}

/// UpperCamelCase type name from a shape name (see the module documentation).
pub fn upper_camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for chunk in alphanumeric_chunks(name) {
        push_camel_chunk(&mut out, chunk);
    }
    if out.is_empty() {
        "Unnamed".to_owned()
    } else if starts_with_digit(&out) {
        format!("N{out}")
    } else {
        out
    }
}

/// SCREAMING_SNAKE_CASE name for a static from a shape name: the words of [`snake_ident`], uppercased.
pub fn screaming_snake(name: &str) -> String {
    snake_words(name).to_ascii_uppercase()
}

/// An enum variant name for a string-enum value (see the module documentation).
pub fn enum_variant(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut word = String::new();
    for chunk in alphanumeric_chunks(value) {
        word.clear();
        push_camel_chunk(&mut word, chunk);
        if out.ends_with(|c: char| c.is_ascii_digit()) && starts_with_digit(&word) {
            out.push('_');
        }
        out.push_str(&word);
    }
    if out.is_empty() {
        return spell_symbols(value);
    }
    if starts_with_digit(&out) {
        out.insert(0, 'V');
    }
    match out.as_str() {
        "Self" | "Unknown" => out + "Value",
        _ => out,
    }
}

/// Escapes a snake_case identifier that is a Rust keyword: `r#type`, or `self_value` for the keywords
/// that cannot be raw identifiers (`self`, `Self`, `super`, `crate`) and for `_`.
pub fn escape_keyword(ident: &str) -> String {
    if NON_RAW_KEYWORDS.contains(&ident) {
        format!("{ident}_value")
    } else if RAW_KEYWORDS.contains(&ident) {
        format!("r#{ident}")
    } else {
        ident.to_owned()
    }
}

/// Allocates unique names in one namespace, deterministically.
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// An empty namespace.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves a name nobody may take (e.g. a prelude name).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// Returns `preferred` if free, else `preferred + suffix` if free, else `preferred + suffix + "2"`,
    /// `"3"`, ...; the returned name is then taken.
    pub fn claim(&mut self, preferred: &str, suffix: &str) -> String {
        let with_suffix = format!("{preferred}{suffix}");
        let name = if !self.is_taken(preferred) {
            preferred.to_owned()
        } else if !self.is_taken(&with_suffix) {
            with_suffix
        } else {
            // At most `taken.len()` of these candidates are taken, so one of the first
            // `taken.len() + 1` is free.
            let last = self.taken.len().saturating_add(2);
            (2..=last)
                .map(|n| format!("{with_suffix}{n}"))
                .find(|candidate| !self.is_taken(candidate))
                .unwrap_or_else(|| format!("{with_suffix}{last}"))
        };
        self.taken.insert(name.clone());
        name
    }

    /// Whether `name` is reserved or has been claimed.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// `xform_name`'s algorithm. With `glue_version_suffix`, a capital followed by exactly one lowercase
/// letter and a digit (`IPv6`) does not start a new word.
fn split_words(name: &str, glue_version_suffix: bool) -> String {
    if name.contains('_') {
        return name.to_owned();
    }
    if let Some((_, special)) = XFORM_SPECIAL_CASES.iter().find(|(from, _)| *from == name) {
        return (*special).to_owned();
    }
    let mut chars: Vec<char> = name.chars().collect();
    if let Some((start, end)) = pluralised_acronym(&chars) {
        // Python: name = name[:-len(matched)] + '_' + matched.lower()
        let keep = chars.len() - (end - start);
        let mut replaced = chars[..keep].to_vec();
        replaced.push('_');
        replaced.extend(chars[start..end].iter().map(char::to_ascii_lowercase));
        chars = replaced;
    }
    let first = first_cap(&chars, glue_version_suffix);
    end_cap(&first)
        .into_iter()
        .collect::<String>()
        .to_lowercase()
}

/// The match of Python's `re.search('[A-Z]{2,}s$', name)` as a range of char indices. Python's `$` also
/// matches just before a final newline.
fn pluralised_acronym(chars: &[char]) -> Option<(usize, usize)> {
    let len = chars.len();
    let s_index = match chars.last()? {
        's' => len - 1,
        '\n' if len >= 2 && chars[len - 2] == 's' => len - 2,
        _ => return None,
    };
    let start = chars[..s_index]
        .iter()
        .rposition(|c| !c.is_ascii_uppercase())
        .map_or(0, |p| p + 1);
    (s_index - start >= 2).then_some((start, s_index + 1))
}

/// Python's `re.sub('(.)([A-Z][a-z]+)', r'\1_\2', name)`; `.` does not match a newline.
fn first_cap(chars: &[char], glue_version_suffix: bool) -> Vec<char> {
    let mut out = Vec::with_capacity(chars.len() + chars.len() / 4);
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c != '\n'
            && chars.get(i + 1).is_some_and(char::is_ascii_uppercase)
            && chars.get(i + 2).is_some_and(char::is_ascii_lowercase)
        {
            let end = chars[i + 2..]
                .iter()
                .position(|c| !c.is_ascii_lowercase())
                .map_or(chars.len(), |p| i + 2 + p);
            let glued = glue_version_suffix
                && end == i + 3
                && chars.get(end).is_some_and(char::is_ascii_digit);
            if !glued {
                out.push(c);
                out.push('_');
                out.extend_from_slice(&chars[i + 1..end]);
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Python's `re.sub('([a-z0-9])([A-Z])', r'\1_\2', name)`.
fn end_cap(chars: &[char]) -> Vec<char> {
    let mut out = Vec::with_capacity(chars.len() + chars.len() / 4);
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        out.push(c);
        match chars.get(i + 1) {
            Some(&next)
                if (c.is_ascii_lowercase() || c.is_ascii_digit()) && next.is_ascii_uppercase() =>
            {
                out.push('_');
                out.push(next);
                i += 2;
            }
            _ => i += 1,
        }
    }
    out
}

/// The snake_case words of a member, operation or shape name, before keyword escaping.
fn snake_words(name: &str) -> String {
    let transformed = xform_name(name);
    let mut out = String::with_capacity(transformed.len() + 2);
    for c in transformed.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    if out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        "value".to_owned()
    } else if starts_with_digit(&out) {
        format!("n_{out}")
    } else {
        out
    }
}

/// The maximal non-empty runs of ASCII letters and digits.
fn alphanumeric_chunks(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|chunk| !chunk.is_empty())
}

/// Appends one alphanumeric chunk in UpperCamelCase, split into words as `xform_name` does.
fn push_camel_chunk(out: &mut String, chunk: &str) {
    for word in split_words(chunk, true).split('_') {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
}

fn starts_with_digit(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit())
}

/// Spells out a value made only of symbols: `*/*` -> `AsteriskSlashAsterisk`, `` -> `Empty`.
fn spell_symbols(value: &str) -> String {
    if value.is_empty() {
        return "Empty".to_owned();
    }
    let mut out = String::new();
    for c in value.chars() {
        match symbol_name(c) {
            Some(name) => out.push_str(name),
            None => out.push_str(&format!("Symbol{:04X}", u32::from(c))),
        }
    }
    out
}

fn symbol_name(c: char) -> Option<&'static str> {
    Some(match c {
        '*' => "Asterisk",
        '-' => "Hyphen",
        '+' => "Plus",
        '/' => "Slash",
        '\\' => "Backslash",
        '.' => "Dot",
        ',' => "Comma",
        '_' => "Underscore",
        ':' => "Colon",
        ';' => "Semicolon",
        '=' => "Equals",
        '!' => "Exclamation",
        '?' => "Question",
        '#' => "Hash",
        '@' => "At",
        '%' => "Percent",
        '&' => "Ampersand",
        '|' => "Pipe",
        '^' => "Caret",
        '~' => "Tilde",
        '`' => "Backtick",
        '\'' => "Apostrophe",
        '"' => "Quote",
        '<' => "LessThan",
        '>' => "GreaterThan",
        '(' => "LeftParen",
        ')' => "RightParen",
        '[' => "LeftBracket",
        ']' => "RightBracket",
        '{' => "LeftBrace",
        '}' => "RightBrace",
        '$' => "Dollar",
        ' ' => "Space",
        '\t' => "Tab",
        '\n' => "Newline",
        '\r' => "CarriageReturn",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values produced by botocore 1.43.67's own `xform_name` in Python.
    #[test]
    fn xform_name_matches_botocore() {
        let cases = [
            ("ListWebACLs", "list_web_acls"),
            ("VolumeARNs", "volume_arns"),
            ("ResourceARNs", "resource_arns"),
            ("TraceResourceARNs", "trace_resource_arns"),
            ("AssetIDs", "asset_ids"),
            ("vpcIDs", "vpc_ids"),
            ("sourceServerIDs", "source_server_ids"),
            ("FileSystemSecondaryGIDs", "file_system_secondary_gids"),
            ("ApplicationIDsFilter", "application_i_ds_filter"),
            ("ApplicationDPUSizes", "application_dpu_sizes"),
            (
                "Ipv6CidrBlockAssociationSet",
                "ipv6_cidr_block_association_set",
            ),
            ("S3Key", "s3_key"),
            ("EC2SecurityGroupId", "ec2_security_group_id"),
            ("DBClusterIdentifier", "db_cluster_identifier"),
            ("DBInstanceIdentifier", "db_instance_identifier"),
            ("HTTPRedirectCode", "http_redirect_code"),
            ("HTTPCode4XXCount", "http_code4_xx_count"),
            ("HTTPCode5XXCount", "http_code5_xx_count"),
            ("EnforceHTTPS", "enforce_https"),
            ("MaxItems", "max_items"),
            ("nextToken", "next_token"),
            ("ARN", "arn"),
            ("TTL", "ttl"),
            ("SSEKMSKeyId", "ssekms_key_id"),
            ("AWSAccountId", "aws_account_id"),
            ("IPv6Address", "i_pv6_address"),
            ("IPv4Addresses", "i_pv4_addresses"),
            ("CPUOptions", "cpu_options"),
            ("DBInstance", "db_instance"),
            ("ec2InstanceId", "ec2_instance_id"),
            ("S3Location", "s3_location"),
            ("__listOfString", "__listOfString"),
            ("AbpV1_0_x", "AbpV1_0_x"),
            ("DescribeInstances", "describe_instances"),
            ("RunInstances", "run_instances"),
            ("CreateBucket", "create_bucket"),
            ("PutObject", "put_object"),
            ("GetObjectAcl", "get_object_acl"),
            ("ListObjectsV2", "list_objects_v2"),
            ("DescribeDBInstances", "describe_db_instances"),
            ("CreateDBClusterSnapshot", "create_db_cluster_snapshot"),
            (
                "DescribeVpcEndpointServiceConfigurations",
                "describe_vpc_endpoint_service_configurations",
            ),
            (
                "AssociateVPCWithHostedZone",
                "associate_vpc_with_hosted_zone",
            ),
            ("ChangeResourceRecordSets", "change_resource_record_sets"),
            ("CreateCachediSCSIVolume", "create_cached_iscsi_volume"),
            (
                "DescribeStorediSCSIVolumes",
                "describe_stored_iscsi_volumes",
            ),
            ("DeviceiSCSIAttributes", "devicei_scsi_attributes"),
            ("ExecutePartiQLStatement", "execute_partiql_statement"),
            (
                "ExecutePartiQLStatementInput",
                "execute_parti_ql_statement_input",
            ),
            ("CreateOAuth2Token", "create_oauth2_token"),
            (
                "AllowedOAuthFlowsUserPoolClient",
                "allowed_o_auth_flows_user_pool_client",
            ),
            (
                "ListHITsForQualificationType",
                "list_hits_for_qualification_type",
            ),
            (
                "AssociateWhatsAppBusinessAccount",
                "associate_whatsapp_business_account",
            ),
            ("GetOTelEnrichment", "get_otel_enrichment"),
            ("AutoMLJobInputDataConfig", "auto_ml_job_input_data_config"),
            ("customJWTAuthorizer", "custom_jwt_authorizer"),
            ("BucketARNUpdate", "bucket_arn_update"),
            (
                "ShareSAPPhysicalInventoryAction",
                "share_sap_physical_inventory_action",
            ),
            ("InfluxDBv3CoreParameters", "influx_d_bv3_core_parameters"),
            ("DynamoDBv2Action", "dynamo_d_bv2_action"),
            ("XRayErrorPercent", "x_ray_error_percent"),
            ("ETag", "e_tag"),
            ("SSECustomerKeyMD5", "sse_customer_key_md5"),
            ("ContentMD5", "content_md5"),
            ("x-amz-meta", "x-amz-meta"),
            ("KMSKeyId", "kms_key_id"),
            ("VpcIds", "vpc_ids"),
            ("VPCId", "vpc_id"),
            (
                "ReturnValuesOnConditionCheckFailure",
                "return_values_on_condition_check_failure",
            ),
            ("Ec2InstanceAttributes", "ec2_instance_attributes"),
            ("GB", "gb"),
            ("GiBs", "gi_bs"),
            ("ABs", "_abs"),
            ("", ""),
            ("A", "a"),
            ("a", "a"),
            ("ABs\n", "a_abs"),
            ("xAB\nCd", "x_ab\ncd"),
            ("A\nBc", "a\nbc"),
            ("\nAbc", "\nabc"),
            ("\u{c0}BcD\u{e9}", "\u{e0}_bc_d\u{e9}"),
            ("\u{391}\u{3a3}", "\u{3b1}\u{3c2}"),
            ("Foo\u{3a3}", "foo\u{3c2}"),
            ("a\u{130}B", "ai\u{307}b"),
            ("Ab Cd", "ab _cd"),
            ("a1B2C", "a1_b2_c"),
            ("AbCdEf", "ab_cd_ef"),
            ("1ABs", "1_abs"),
            ("ABCDs", "_abcds"),
            ("AB\ns", "ab\ns"),
            ("HelloWorldS", "hello_world_s"),
            ("Hello-World", "hello-_world"),
        ];
        for (input, expected) in cases {
            assert_eq!(xform_name(input), expected, "xform_name({input:?})");
        }
    }

    #[test]
    fn snake_ident_rules() {
        let cases = [
            ("DBInstanceIdentifier", "db_instance_identifier"),
            ("SSEKMSKeyId", "ssekms_key_id"),
            ("nextToken", "next_token"),
            ("GatewayARNs", "gateway_arns"),
            ("DescribeDBInstances", "describe_db_instances"),
            ("Type", "r#type"),
            ("type", "r#type"),
            ("Match", "r#match"),
            ("gen", "r#gen"),
            ("Async", "r#async"),
            ("Self", "self_value"),
            ("self", "self_value"),
            ("Super", "super_value"),
            ("Crate", "crate_value"),
            ("Union", "union"),
            ("1stValue", "n_1st_value"),
            ("2FA", "n_2_fa"),
            ("x-amz-meta", "x_amz_meta"),
            ("__listOfString", "listofstring"),
            ("AbpV1_0_x", "abpv1_0_x"),
            ("Foo__Bar", "foo_bar"),
            ("Hello World!", "hello_world"),
            ("caf\u{e9}", "caf"),
            ("_", "value"),
            ("***", "value"),
            ("", "value"),
        ];
        for (input, expected) in cases {
            assert_eq!(snake_ident(input), expected, "snake_ident({input:?})");
        }
    }

    #[test]
    fn upper_camel_rules() {
        let cases = [
            ("DBInstance", "DbInstance"),
            ("CPUOptions", "CpuOptions"),
            ("IPv6Address", "Ipv6Address"),
            ("IPv4", "Ipv4"),
            ("ipv4", "Ipv4"),
            ("__listOfString", "ListOfString"),
            ("ec2InstanceId", "Ec2InstanceId"),
            ("S3Location", "S3Location"),
            ("GatewayARNs", "GatewayArns"),
            ("DynamoDBv2Action", "DynamoDbv2Action"),
            ("XRayErrorPercent", "XRayErrorPercent"),
            ("CreateCachediSCSIVolume", "CreateCachedIscsiVolume"),
            ("AES256", "Aes256"),
            ("t2.micro", "T2Micro"),
            ("ap-south-1", "ApSouth1"),
            ("us-east-1", "UsEast1"),
            ("US_EAST_1", "UsEast1"),
            ("aws:kms", "AwsKms"),
            ("aws:kms:dsse", "AwsKmsDsse"),
            ("application/json", "ApplicationJson"),
            ("x86_64", "X8664"),
            ("Unknown", "Unknown"),
            ("Self", "Self"),
            ("1.0", "N10"),
            ("10", "N10"),
            ("1", "N1"),
            ("3DSecure", "N3DSecure"),
            ("*", "Unnamed"),
            ("", "Unnamed"),
        ];
        for (input, expected) in cases {
            assert_eq!(upper_camel(input), expected, "upper_camel({input:?})");
        }
    }

    #[test]
    fn screaming_snake_rules() {
        let cases = [
            ("DBInstance", "DB_INSTANCE"),
            ("CPUOptions", "CPU_OPTIONS"),
            ("__listOfString", "LISTOFSTRING"),
            ("S3Location", "S3_LOCATION"),
            ("Type", "TYPE"),
            ("Self", "SELF"),
            ("t2.micro", "T2_MICRO"),
            ("ap-south-1", "AP_SOUTH_1"),
            ("US_EAST_1", "US_EAST_1"),
            ("us-east-1", "US_EAST_1"),
            ("aws:kms:dsse", "AWS_KMS_DSSE"),
            ("application/json", "APPLICATION_JSON"),
            ("x86_64", "X86_64"),
            ("AES256", "AES256"),
            ("IPv4", "I_PV4"),
            ("ipv4", "IPV4"),
            ("1.0", "N_1_0"),
            ("10", "N_10"),
            ("1", "N_1"),
            ("Unknown", "UNKNOWN"),
            ("*", "VALUE"),
            ("", "VALUE"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                screaming_snake(input),
                expected,
                "screaming_snake({input:?})"
            );
        }
    }

    #[test]
    fn enum_variant_rules() {
        let cases = [
            ("ACTIVE", "Active"),
            ("t2.micro", "T2Micro"),
            ("ap-south-1", "ApSouth1"),
            ("AWS::EC2::Instance", "AwsEc2Instance"),
            ("m5d.24xlarge", "M5d24xlarge"),
            ("1.0", "V1_0"),
            ("10", "V10"),
            ("1", "V1"),
            ("Unknown", "UnknownValue"),
            ("UNKNOWN", "UnknownValue"),
            ("Self", "SelfValue"),
            ("AES256", "Aes256"),
            ("aws:kms", "AwsKms"),
            ("aws:kms:dsse", "AwsKmsDsse"),
            ("application/json", "ApplicationJson"),
            ("x86_64", "X86_64"),
            ("ipv4", "Ipv4"),
            ("IPv4", "Ipv4"),
            ("us-east-1", "UsEast1"),
            ("US_EAST_1", "UsEast1"),
            ("TLSv1.2_2021", "Tlsv1_2_2021"),
            ("*", "Asterisk"),
            ("", "Empty"),
            ("-", "Hyphen"),
            ("+", "Plus"),
            ("/", "Slash"),
            (".", "Dot"),
            ("_", "Underscore"),
            (":", "Colon"),
            ("=", "Equals"),
            ("!", "Exclamation"),
            ("?", "Question"),
            ("#", "Hash"),
            ("@", "At"),
            ("%", "Percent"),
            ("&", "Ampersand"),
            ("<", "LessThan"),
            (">", "GreaterThan"),
            ("$", "Dollar"),
            (" ", "Space"),
            ("*/*", "AsteriskSlashAsterisk"),
            ("<=", "LessThanEquals"),
            ("\u{e9}", "Symbol00E9"),
            ("\u{1f600}", "Symbol1F600"),
        ];
        for (input, expected) in cases {
            assert_eq!(enum_variant(input), expected, "enum_variant({input:?})");
        }
    }

    #[test]
    fn escape_keyword_rules() {
        let cases = [
            ("type", "r#type"),
            ("match", "r#match"),
            ("gen", "r#gen"),
            ("try", "r#try"),
            ("dyn", "r#dyn"),
            ("async", "r#async"),
            ("await", "r#await"),
            ("abstract", "r#abstract"),
            ("self", "self_value"),
            ("Self", "Self_value"),
            ("super", "super_value"),
            ("crate", "crate_value"),
            ("_", "__value"),
            ("union", "union"),
            ("raw", "raw"),
            ("safe", "safe"),
            ("macro_rules", "macro_rules"),
            ("types", "types"),
            ("Type", "Type"),
        ];
        for (input, expected) in cases {
            assert_eq!(escape_keyword(input), expected, "escape_keyword({input:?})");
        }
    }

    #[test]
    fn namespace_claims_in_order() {
        let mut ns = Namespace::new();
        assert!(!ns.is_taken("Foo"));
        assert_eq!(ns.claim("Foo", "Shape"), "Foo");
        assert!(ns.is_taken("Foo"));
        assert_eq!(ns.claim("Foo", "Shape"), "FooShape");
        assert_eq!(ns.claim("Foo", "Shape"), "FooShape2");
        assert_eq!(ns.claim("Foo", "Shape"), "FooShape3");
        assert_eq!(ns.claim("Foo", "Value"), "FooValue");
        assert_eq!(ns.claim("FooShape", "X"), "FooShapeX");
        assert_eq!(ns.claim("Bar", "Shape"), "Bar");
        assert!(ns.is_taken("FooShape3"));
        assert!(!ns.is_taken("FooShape4"));
    }

    #[test]
    fn namespace_skips_taken_numbered_names() {
        let mut ns = Namespace::new();
        ns.reserve("AShape2");
        assert_eq!(ns.claim("A", "Shape"), "A");
        assert_eq!(ns.claim("A", "Shape"), "AShape");
        assert_eq!(ns.claim("A", "Shape"), "AShape3");
        assert_eq!(ns.claim("AShape3", ""), "AShape32");
        assert_eq!(ns.claim("B", ""), "B");
        assert_eq!(ns.claim("B", ""), "B2");
        assert_eq!(ns.claim("B", ""), "B3");
    }

    #[test]
    fn namespace_reserved_names() {
        let mut ns = Namespace::new();
        for name in RESERVED_TYPE_NAMES {
            ns.reserve(name);
        }
        assert!(ns.is_taken("Option"));
        assert!(ns.is_taken("Self"));
        assert_eq!(ns.claim("Option", "Shape"), "OptionShape");
        assert_eq!(ns.claim(&upper_camel("Self"), "Shape"), "SelfShape");
        assert_eq!(ns.claim(&upper_camel("Result"), "Shape"), "ResultShape");
        assert_eq!(ns.claim(&upper_camel("DBInstance"), "Shape"), "DbInstance");
        assert_eq!(ns.clone().claim("DbInstance", "Shape"), "DbInstanceShape");
    }

    #[test]
    fn reserved_type_names_are_unique_and_camel() {
        let mut seen = BTreeSet::new();
        for name in RESERVED_TYPE_NAMES {
            assert!(seen.insert(*name), "duplicate {name}");
            assert!(name.starts_with(|c: char| c.is_ascii_uppercase()), "{name}");
        }
    }

    #[test]
    fn outputs_are_identifiers_for_odd_inputs() {
        let inputs = [
            "",
            "_",
            "__",
            "1",
            "-1",
            "ABs",
            "ABs\n",
            "\n",
            "a\u{130}B",
            "\u{3a3}",
            "\u{1f600}x",
            "r#type",
            "0x",
            "Self_",
            "a__b__",
            "ALLCAPSs",
        ];
        let is_ident = |s: &str| {
            let body = s.strip_prefix("r#").unwrap_or(s);
            body.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && body.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        for input in inputs {
            for out in [
                snake_ident(input),
                upper_camel(input),
                screaming_snake(input),
                enum_variant(input),
            ] {
                assert!(is_ident(&out), "{input:?} -> {out:?}");
            }
        }
    }
}
