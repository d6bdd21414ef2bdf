//! Endpoint settings: what selects among a service's endpoints (FIPS, dual-stack, S3
//! addressing and so on). They become the built-in parameters (`AWS::UseFIPS`,
//! `AWS::S3::ForcePathStyle`, ...) of endpoint rule sets, set the way botocore sets them.

use crate::error::ConfigError;
use crate::profile::{self, Env, ProfileSet, Setting};

/// Whether a service's `us-east-1` requests use the legacy global endpoint
/// (`sts.amazonaws.com`, `s3.amazonaws.com`) or the regional one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionalEndpoints {
    /// The global endpoint for the regions that had one (`legacy`).
    Legacy,
    /// Always the regional endpoint (`regional`).
    Regional,
}

/// How S3 puts the bucket into a request's URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressingStyle {
    /// Virtual-hosted style where the bucket name allows it, else path style (`auto`). With
    /// a custom endpoint URL, path style.
    Auto,
    /// Always virtual-hosted style: `https://bucket.s3.region.amazonaws.com/key` (`virtual`).
    Virtual,
    /// Always path style: `https://s3.region.amazonaws.com/bucket/key` (`path`).
    Path,
}

/// Whether endpoints may be chosen by the caller's account id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountIdEndpointMode {
    /// Use the account id when the credentials have one (`preferred`, the default).
    Preferred,
    /// Never use it (`disabled`).
    Disabled,
    /// Fail when the credentials have none (`required`).
    Required,
}

impl AccountIdEndpointMode {
    /// The name endpoint rule sets compare with.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountIdEndpointMode::Preferred => "preferred",
            AccountIdEndpointMode::Disabled => "disabled",
            AccountIdEndpointMode::Required => "required",
        }
    }
}

/// S3's own endpoint settings (the `s3 =` section of a profile).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct S3Settings {
    /// `addressing_style`.
    pub addressing_style: Option<AddressingStyle>,
    /// `use_accelerate_endpoint`: S3 Transfer Acceleration.
    pub accelerate: Option<bool>,
    /// `use_dualstack_endpoint` of the `s3` section, before the general setting.
    pub use_dual_stack: Option<bool>,
    /// `use_arn_region`: whether an access point ARN's region may differ from the client's
    /// (default: yes for S3, no for S3 Control).
    pub use_arn_region: Option<bool>,
    /// `us_east_1_regional_endpoint` (default: legacy).
    pub us_east_1_regional_endpoint: Option<RegionalEndpoints>,
    /// `s3_disable_multiregion_access_points`.
    pub disable_multi_region_access_points: Option<bool>,
}

/// Every endpoint setting. Unset values take botocore's defaults when endpoints are
/// resolved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointSettings {
    /// `use_fips_endpoint` / `AWS_USE_FIPS_ENDPOINT`.
    pub use_fips: Option<bool>,
    /// `use_dualstack_endpoint` / `AWS_USE_DUALSTACK_ENDPOINT`.
    pub use_dual_stack: Option<bool>,
    /// `sts_regional_endpoints` / `AWS_STS_REGIONAL_ENDPOINTS` (default: regional).
    pub sts_regional_endpoints: Option<RegionalEndpoints>,
    /// `account_id_endpoint_mode` / `AWS_ACCOUNT_ID_ENDPOINT_MODE` (default: preferred).
    pub account_id_endpoint_mode: Option<AccountIdEndpointMode>,
    /// S3's settings.
    pub s3: S3Settings,
}

/// The regions whose STS requests go to `sts.amazonaws.com` with
/// `sts_regional_endpoints = legacy`.
const LEGACY_GLOBAL_STS_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "aws-global",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

impl EndpointSettings {
    /// Reads the settings from the environment and the active profile, as the AWS CLI does.
    /// Explicitly set fields of `self` are kept.
    pub(crate) fn fill_from(
        mut self,
        env: &Env,
        profiles: &ProfileSet,
    ) -> Result<Self, ConfigError> {
        let error = |e: profile::ProfileError| ConfigError::new(e.to_string());
        let regional = |setting: Setting| -> Result<Option<RegionalEndpoints>, ConfigError> {
            Ok(setting
                .one_of(env, profiles, Setting::REGIONAL_ENDPOINTS)
                .map_err(error)?
                .map(|value| match value {
                    "legacy" => RegionalEndpoints::Legacy,
                    _ => RegionalEndpoints::Regional,
                }))
        };
        let boolean = |setting: Setting| setting.bool(env, profiles).map_err(error);
        fn keep<T>(
            explicit: Option<T>,
            read: impl FnOnce() -> Result<Option<T>, ConfigError>,
        ) -> Result<Option<T>, ConfigError> {
            match explicit {
                Some(value) => Ok(Some(value)),
                None => read(),
            }
        }
        self.use_fips = keep(self.use_fips, || boolean(Setting::USE_FIPS_ENDPOINT))?;
        self.use_dual_stack = keep(self.use_dual_stack, || {
            boolean(Setting::USE_DUALSTACK_ENDPOINT)
        })?;
        self.sts_regional_endpoints = keep(self.sts_regional_endpoints, || {
            regional(Setting::STS_REGIONAL_ENDPOINTS)
        })?;
        self.account_id_endpoint_mode = keep(self.account_id_endpoint_mode, || {
            Ok(Setting::ACCOUNT_ID_ENDPOINT_MODE
                .one_of(env, profiles, Setting::ACCOUNT_ID_ENDPOINT_MODES)
                .map_err(error)?
                .map(|value| match value {
                    "disabled" => AccountIdEndpointMode::Disabled,
                    "required" => AccountIdEndpointMode::Required,
                    _ => AccountIdEndpointMode::Preferred,
                }))
        })?;
        let s3 = &mut self.s3;
        s3.addressing_style = keep(s3.addressing_style, || {
            Ok(Setting::S3_ADDRESSING_STYLE
                .one_of(env, profiles, Setting::S3_ADDRESSING_STYLES)
                .map_err(error)?
                .map(|value| match value {
                    "virtual" => AddressingStyle::Virtual,
                    "path" => AddressingStyle::Path,
                    _ => AddressingStyle::Auto,
                }))
        })?;
        s3.accelerate = keep(s3.accelerate, || {
            boolean(Setting::S3_USE_ACCELERATE_ENDPOINT)
        })?;
        s3.use_dual_stack = keep(s3.use_dual_stack, || {
            boolean(Setting::S3_USE_DUALSTACK_ENDPOINT)
        })?;
        s3.use_arn_region = keep(s3.use_arn_region, || boolean(Setting::S3_USE_ARN_REGION))?;
        s3.us_east_1_regional_endpoint = keep(s3.us_east_1_regional_endpoint, || {
            regional(Setting::S3_US_EAST_1_REGIONAL_ENDPOINT)
        })?;
        s3.disable_multi_region_access_points =
            keep(s3.disable_multi_region_access_points, || {
                boolean(Setting::S3_DISABLE_MULTIREGION_ACCESS_POINTS)
            })?;
        Ok(self)
    }

    /// The value of a built-in parameter of endpoint rule sets for a client of
    /// `endpoint_prefix` in `region`, with `endpoint_url` the client's configured endpoint.
    /// `None` for an unset value or a built-in Stratus does not know (the rule set's default
    /// applies then). Follows botocore's `compute_endpoint_resolver_builtin_defaults`.
    pub fn built_in(
        &self,
        name: &str,
        endpoint_prefix: &str,
        region: Option<&str>,
        endpoint_url: Option<&str>,
    ) -> Option<BuiltInValue> {
        let s3 = &self.s3;
        let value = match name {
            "AWS::Region" => BuiltInValue::String(region?.to_owned()),
            "SDK::Endpoint" => BuiltInValue::String(endpoint_url?.to_owned()),
            // A configured endpoint URL cannot be combined with FIPS or dual-stack.
            "AWS::UseFIPS" => {
                BuiltInValue::Bool(endpoint_url.is_none() && self.use_fips == Some(true))
            }
            "AWS::UseDualStack" => {
                let s3_like = matches!(endpoint_prefix, "s3" | "s3-control");
                let dual = match s3.use_dual_stack {
                    Some(value) if s3_like => value,
                    _ => self.use_dual_stack.unwrap_or(false),
                };
                BuiltInValue::Bool(endpoint_url.is_none() && dual)
            }
            "AWS::STS::UseGlobalEndpoint" => BuiltInValue::Bool(
                self.sts_regional_endpoints == Some(RegionalEndpoints::Legacy)
                    && region.is_some_and(|r| LEGACY_GLOBAL_STS_REGIONS.contains(&r)),
            ),
            "AWS::S3::UseGlobalEndpoint" => BuiltInValue::Bool(
                s3.us_east_1_regional_endpoint
                    .unwrap_or(RegionalEndpoints::Legacy)
                    == RegionalEndpoints::Legacy
                    && region.is_none_or(|r| r == "us-east-1"),
            ),
            "AWS::S3::Accelerate" => BuiltInValue::Bool(s3.accelerate.unwrap_or(false)),
            "AWS::S3::ForcePathStyle" => {
                let style = s3.addressing_style.unwrap_or(AddressingStyle::Auto);
                let force = if s3.accelerate == Some(true) {
                    false
                } else if endpoint_url.is_some_and(|url| !is_s3_accelerate_url(url)) {
                    style != AddressingStyle::Virtual
                } else {
                    style == AddressingStyle::Path
                };
                BuiltInValue::Bool(force)
            }
            "AWS::S3::UseArnRegion" => BuiltInValue::Bool(s3.use_arn_region.unwrap_or(true)),
            "AWS::S3Control::UseArnRegion" => {
                BuiltInValue::Bool(s3.use_arn_region.unwrap_or(false))
            }
            "AWS::S3::DisableMultiRegionAccessPoints" => {
                BuiltInValue::Bool(s3.disable_multi_region_access_points.unwrap_or(false))
            }
            "AWS::Auth::AccountIdEndpointMode" => BuiltInValue::String(
                self.account_id_endpoint_mode
                    .unwrap_or(AccountIdEndpointMode::Preferred)
                    .as_str()
                    .to_owned(),
            ),
            _ => return None,
        };
        Some(value)
    }
}

/// The value of a built-in parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuiltInValue {
    /// A boolean parameter.
    Bool(bool),
    /// A string parameter.
    String(String),
}

/// Whether `url` is an S3 Transfer Acceleration endpoint (`s3-accelerate[.dualstack]` on
/// `amazonaws.com`), as botocore's `is_s3_accelerate_url` decides.
fn is_s3_accelerate_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    if scheme != "https" && scheme != "http" {
        return false;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if !host.ends_with("amazonaws.com") {
        return false;
    }
    let parts: Vec<&str> = host.split('.').collect();
    if parts.first() != Some(&"s3-accelerate") || parts.len() < 3 {
        return false;
    }
    let features = &parts[1..parts.len() - 2];
    let mut seen = Vec::new();
    for feature in features {
        if *feature != "dualstack" || seen.contains(feature) {
            return false;
        }
        seen.push(*feature);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vars: &[(&str, &str)], config: &str) -> Result<EndpointSettings, ConfigError> {
        let dir = std::env::temp_dir().join(format!(
            "stratus-endpoint-settings-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config");
        std::fs::write(&path, config).unwrap();
        let env = Env::from_vars(vars.iter().copied())
            .with_var("AWS_CONFIG_FILE", path.display().to_string())
            .with_var(
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.join("none").display().to_string(),
            );
        let profiles = profile::load(&env).map_err(|e| ConfigError::new(e.to_string()));
        let result = profiles.and_then(|p| EndpointSettings::default().fill_from(&env, &p));
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    #[test]
    fn reads_the_environment_and_the_profile_like_the_cli() {
        let settings = read(
            &[
                ("AWS_USE_FIPS_ENDPOINT", "true"),
                ("AWS_S3_USE_ARN_REGION", "false"),
            ],
            "[default]\nuse_dualstack_endpoint = true\nsts_regional_endpoints = legacy\n\
             s3 =\n  addressing_style = path\n  use_accelerate_endpoint = true\n  \
             us_east_1_regional_endpoint = regional\n  use_arn_region = true\n",
        )
        .unwrap();
        assert_eq!(settings.use_fips, Some(true));
        assert_eq!(settings.use_dual_stack, Some(true));
        assert_eq!(
            settings.sts_regional_endpoints,
            Some(RegionalEndpoints::Legacy)
        );
        assert_eq!(settings.s3.addressing_style, Some(AddressingStyle::Path));
        assert_eq!(settings.s3.accelerate, Some(true));
        assert_eq!(
            settings.s3.us_east_1_regional_endpoint,
            Some(RegionalEndpoints::Regional)
        );
        // The environment variable comes before the profile.
        assert_eq!(settings.s3.use_arn_region, Some(false));
        assert_eq!(settings.account_id_endpoint_mode, None);
    }

    #[test]
    fn the_top_level_s3_keys_come_before_the_section() {
        let settings = read(
            &[],
            "[default]\ns3_use_arn_region = false\ns3 =\n  use_arn_region = true\n",
        )
        .unwrap();
        assert_eq!(settings.s3.use_arn_region, Some(false));
    }

    #[test]
    fn bad_values_are_errors_naming_the_setting() {
        let err = read(&[("AWS_STS_REGIONAL_ENDPOINTS", "global")], "").unwrap_err();
        assert!(
            err.to_string().contains("AWS_STS_REGIONAL_ENDPOINTS"),
            "{err}"
        );
        let err = read(&[], "[default]\ns3 =\n  addressing_style = sideways\n").unwrap_err();
        assert!(err.to_string().contains("addressing_style"), "{err}");
        let err = read(&[], "[default]\ns3 = path\n").unwrap_err();
        assert!(err.to_string().contains("`s3`"), "{err}");
    }

    #[test]
    fn built_ins_follow_botocore() {
        let mut settings = EndpointSettings::default();
        let get =
            |s: &EndpointSettings, name, prefix, region, url| s.built_in(name, prefix, region, url);
        let yes = Some(BuiltInValue::Bool(true));
        let no = Some(BuiltInValue::Bool(false));
        assert_eq!(
            get(&settings, "AWS::Region", "s3", Some("eu-west-1"), None),
            Some(BuiltInValue::String("eu-west-1".into()))
        );
        assert_eq!(get(&settings, "AWS::Region", "s3", None, None), None);
        assert_eq!(get(&settings, "SDK::Endpoint", "s3", None, None), None);
        // Defaults: S3 us-east-1 keeps the global endpoint, STS does not.
        assert_eq!(
            get(
                &settings,
                "AWS::S3::UseGlobalEndpoint",
                "s3",
                Some("us-east-1"),
                None
            ),
            yes
        );
        assert_eq!(
            get(
                &settings,
                "AWS::S3::UseGlobalEndpoint",
                "s3",
                Some("us-west-2"),
                None
            ),
            no
        );
        assert_eq!(
            get(
                &settings,
                "AWS::STS::UseGlobalEndpoint",
                "sts",
                Some("us-east-1"),
                None
            ),
            no
        );
        assert_eq!(
            get(&settings, "AWS::S3::UseArnRegion", "s3", None, None),
            yes
        );
        assert_eq!(
            get(
                &settings,
                "AWS::S3Control::UseArnRegion",
                "s3-control",
                None,
                None
            ),
            no
        );
        assert_eq!(
            get(
                &settings,
                "AWS::Auth::AccountIdEndpointMode",
                "dynamodb",
                None,
                None
            ),
            Some(BuiltInValue::String("preferred".into()))
        );
        assert_eq!(get(&settings, "AWS::Unknown", "s3", None, None), None);
        // A custom endpoint URL means path style unless virtual is asked for, and no FIPS.
        assert_eq!(
            get(&settings, "AWS::S3::ForcePathStyle", "s3", None, None),
            no
        );
        assert_eq!(
            get(
                &settings,
                "AWS::S3::ForcePathStyle",
                "s3",
                None,
                Some("http://127.0.0.1:5000")
            ),
            yes
        );
        assert_eq!(
            get(
                &settings,
                "AWS::S3::ForcePathStyle",
                "s3",
                None,
                Some("https://s3-accelerate.amazonaws.com")
            ),
            no
        );
        settings.use_fips = Some(true);
        settings.sts_regional_endpoints = Some(RegionalEndpoints::Legacy);
        settings.s3.addressing_style = Some(AddressingStyle::Virtual);
        settings.s3.use_dual_stack = Some(true);
        assert_eq!(get(&settings, "AWS::UseFIPS", "ec2", None, None), yes);
        assert_eq!(
            get(
                &settings,
                "AWS::UseFIPS",
                "ec2",
                None,
                Some("http://localhost")
            ),
            no
        );
        assert_eq!(
            get(
                &settings,
                "AWS::STS::UseGlobalEndpoint",
                "sts",
                Some("us-east-1"),
                None
            ),
            yes
        );
        assert_eq!(
            get(
                &settings,
                "AWS::STS::UseGlobalEndpoint",
                "sts",
                Some("af-south-1"),
                None
            ),
            no
        );
        assert_eq!(
            get(
                &settings,
                "AWS::S3::ForcePathStyle",
                "s3",
                None,
                Some("http://127.0.0.1:5000")
            ),
            no
        );
        assert_eq!(get(&settings, "AWS::UseDualStack", "s3", None, None), yes);
        assert_eq!(get(&settings, "AWS::UseDualStack", "ec2", None, None), no);
    }

    #[test]
    fn accelerate_urls() {
        assert!(is_s3_accelerate_url("https://s3-accelerate.amazonaws.com"));
        assert!(is_s3_accelerate_url(
            "http://s3-accelerate.dualstack.amazonaws.com/"
        ));
        assert!(!is_s3_accelerate_url(
            "https://s3-accelerate.dualstack.dualstack.amazonaws.com"
        ));
        assert!(!is_s3_accelerate_url(
            "https://bucket.s3-accelerate.amazonaws.com"
        ));
        assert!(!is_s3_accelerate_url("https://s3-accelerate.example.com"));
        assert!(!is_s3_accelerate_url("ftp://s3-accelerate.amazonaws.com"));
        assert!(!is_s3_accelerate_url("s3-accelerate.amazonaws.com"));
    }
}
