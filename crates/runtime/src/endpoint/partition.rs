//! `aws.partition`: which AWS partition a region belongs to, from `models/partitions.json`.
//!
//! Codegen compiles `partitions.json` into static tables (`partitions_data.rs`, written by
//! `cargo xtask codegen`), so nothing is parsed at run time: a resolution compares the
//! region with a handful of names, then its prefix with a few more (about 10 to 20 ns).
//!
//! Every `regionRegex` in `partitions.json` has the shape `^(us|eu|…)\-\w+\-\d+$`: one of
//! a few literal prefixes, then `-word-digits`. Codegen turns it into the list of prefixes
//! and refuses any other shape, naming the partition. The tail is matched with ASCII
//! classes and `$` as the end of input; Python's `re`, which botocore uses, also lets `\w`
//! and `\d` match other Unicode letters and digits and `$` match before a final `\n`.

use super::partitions_data::{DEFAULT, PARTITIONS, REGIONS};

/// What `aws.partition` returns: the `outputs` of the region's partition in
/// `partitions.json`, with the region's own overrides applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition {
    /// The partition's id, e.g. `aws`, `aws-cn`, `aws-us-gov`.
    pub name: &'static str,
    /// The DNS suffix of the partition's endpoints, e.g. `amazonaws.com`.
    pub dns_suffix: &'static str,
    /// The DNS suffix of its dual-stack endpoints, e.g. `api.aws`.
    pub dual_stack_dns_suffix: &'static str,
    /// Whether the partition has FIPS endpoints.
    pub supports_fips: bool,
    /// Whether the partition has dual-stack (IPv4 and IPv6) endpoints.
    pub supports_dual_stack: bool,
    /// The region that global endpoints of the partition sign for, e.g. `us-east-1`.
    pub implicit_global_region: &'static str,
}

/// A partition and the region pattern of its `regionRegex`, as the generated data holds
/// them.
#[derive(Debug)]
pub(super) struct PartitionEntry {
    /// The partition's outputs.
    pub(super) partition: Partition,
    /// The literal prefixes the `regionRegex` allows before `\-\w+\-\d+$`.
    pub(super) region_prefixes: &'static [&'static str],
}

/// `aws.partition(region)`: the partition of `region`.
///
/// A region that a partition lists explicitly gets that partition, with the region's own
/// output overrides merged in; otherwise the first partition, in file order, whose
/// `regionRegex` matches; otherwise the `aws` partition. Like botocore, this never fails:
/// an unknown region (`mars-global`) belongs to `aws`.
///
/// The generated table of listed regions keeps only those the patterns would get wrong
/// (such as `aws-cn-global`, which no pattern matches) or whose outputs differ; the
/// others (`us-east-1`) reach the same result through their partition's pattern.
pub fn partition(region: &str) -> Partition {
    *partition_ref(region)
}

/// [`partition`], as a reference into the static tables: what evaluation keeps.
pub(crate) fn partition_ref(region: &str) -> &'static Partition {
    // A handful of names: comparing lengths first, a scan beats a binary search.
    if let Some((_, partition)) = REGIONS.iter().find(|(name, _)| *name == region) {
        return partition;
    }
    let Some(head) = region_head(region) else {
        return &DEFAULT;
    };
    PARTITIONS
        .iter()
        .find(|entry| entry.region_prefixes.contains(&head))
        .map_or(&DEFAULT, |entry| &entry.partition)
}

/// The `<prefix>` of a region of the form `<prefix>-<word>-<digits>`, which is what a
/// `^<prefix>\-\w+\-\d+$` regex requires: as `\w` does not match `-`, the digits
/// follow the last `-` and the word sits between the last two, so the regex matches
/// exactly when this head equals its prefix.
fn region_head(region: &str) -> Option<&str> {
    let bytes = region.as_bytes();
    let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    // The digits run back to a `-`, and are not empty.
    let digits_dash = bytes.iter().rposition(|b| !b.is_ascii_digit())?;
    if bytes[digits_dash] != b'-' || digits_dash + 1 == bytes.len() {
        return None;
    }
    // So does the word before it.
    let word_dash = bytes[..digits_dash].iter().rposition(|b| !is_word(b))?;
    if bytes[word_dash] != b'-' || word_dash + 1 == digits_dash {
        return None;
    }
    region.get(..word_dash)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values come from models/partitions.json (botocore 1.43) and the
    // partition-fn endpoint-rules suite.

    fn name(region: &str) -> &'static str {
        partition(region).name
    }

    #[test]
    fn listed_regions_get_their_partition() {
        for (region, expected) in [
            ("us-east-1", "aws"),
            ("eu-west-1", "aws"),
            ("aws-global", "aws"),
            ("cn-north-1", "aws-cn"),
            ("aws-cn-global", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("aws-us-gov-global", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eusc-de-east-1", "aws-eusc"),
        ] {
            assert_eq!(name(region), expected, "{region}");
        }
    }

    #[test]
    fn partition_outputs_are_complete() {
        assert_eq!(
            partition("us-east-2"),
            Partition {
                name: "aws",
                dns_suffix: "amazonaws.com",
                dual_stack_dns_suffix: "api.aws",
                supports_fips: true,
                supports_dual_stack: true,
                implicit_global_region: "us-east-1",
            }
        );
        assert_eq!(
            partition("cn-north-5"),
            Partition {
                name: "aws-cn",
                dns_suffix: "amazonaws.com.cn",
                dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
                supports_fips: true,
                supports_dual_stack: true,
                implicit_global_region: "cn-northwest-1",
            }
        );
        let gov = partition("us-gov-west-1");
        assert_eq!(gov.dns_suffix, "amazonaws.com");
        assert_eq!(gov.implicit_global_region, "us-gov-west-1");
    }

    #[test]
    fn unlisted_regions_match_region_regexes() {
        for (region, expected) in [
            ("us-east-10", "aws"),
            ("mx-central-7", "aws"),
            ("ap-foo_bar-12", "aws"),
            ("cn-north-9", "aws-cn"),
            ("cn-north-5", "aws-cn"),
            ("us-gov-east-9", "aws-us-gov"),
            ("us-iso-west-3", "aws-iso"),
            ("us-isob-south-2", "aws-iso-b"),
            ("eu-isoe-north-4", "aws-iso-e"),
            ("us-isof-east-5", "aws-iso-f"),
            ("eusc-de-west-2", "aws-eusc"),
        ] {
            assert_eq!(name(region), expected, "{region}");
        }
    }

    #[test]
    fn unmatched_regions_fall_back_to_aws() {
        // The last three would be `aws-cn` in botocore, whose `re` lets `$` match before a
        // final newline and `\w` match any Unicode letter (see the module docs).
        for region in [
            "mars-global",
            "",
            "cn",
            "cn-north",
            "cn-north-",
            "cn-north-1a",
            "cn--1",
            "CN-NORTH-1",
            "eusc-fr-east-1",
            "us-gov-west",
            "cn-north-1\n",
            "cn-nörth-1",
            "cn-north-\u{663}",
        ] {
            assert_eq!(name(region), "aws", "{region:?}");
        }
    }

    #[test]
    fn region_heads_precede_dash_word_dash_digits() {
        assert_eq!(region_head("us-east-1"), Some("us"));
        assert_eq!(region_head("us-gov-west-1"), Some("us-gov"));
        assert_eq!(region_head("eusc-de-east-1"), Some("eusc-de"));
        assert_eq!(region_head("x-a_1-0123"), Some("x"));
        assert_eq!(region_head("-east-1"), Some(""));
        assert_eq!(region_head("east-1"), None);
        assert_eq!(region_head("us--1"), None);
        assert_eq!(region_head("us-east-"), None);
        assert_eq!(region_head("us-east-1x"), None);
        assert_eq!(region_head("us-east-1-"), None);
        assert_eq!(region_head("us-ea.st-1"), None);
        assert_eq!(region_head(""), None);
    }

    /// Every region `partitions.json` lists gets its partition's outputs merged with the
    /// region's overrides, whether or not the generated table kept it.
    #[test]
    fn every_listed_region_of_the_models_resolves_to_its_partition() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/partitions.json");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut checked = 0;
        for p in json["partitions"].as_array().unwrap() {
            let outputs = &p["outputs"];
            for (region, overrides) in p["regions"].as_object().unwrap() {
                let field = |key: &str| overrides.get(key).unwrap_or(&outputs[key]);
                let expected = (
                    p["id"].as_str().unwrap(),
                    field("dnsSuffix").as_str().unwrap(),
                    field("dualStackDnsSuffix").as_str().unwrap(),
                    field("supportsFIPS").as_bool().unwrap(),
                    field("supportsDualStack").as_bool().unwrap(),
                    field("implicitGlobalRegion").as_str().unwrap(),
                );
                let got = partition(region);
                let got = (
                    got.name,
                    got.dns_suffix,
                    got.dual_stack_dns_suffix,
                    got.supports_fips,
                    got.supports_dual_stack,
                    got.implicit_global_region,
                );
                assert_eq!(got, expected, "{region}");
                checked += 1;
            }
        }
        assert!(checked > 40, "only {checked} regions in partitions.json");
    }

    #[test]
    fn the_region_table_is_sorted_without_duplicates() {
        assert!(REGIONS.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn the_default_is_the_aws_partition() {
        assert_eq!(DEFAULT.name, "aws");
        assert_eq!(PARTITIONS[0].partition, DEFAULT);
    }
}
