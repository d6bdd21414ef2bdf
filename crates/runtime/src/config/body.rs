//! Settings of request and response bodies: when checksums are computed and checked
//! (`request_checksum_calculation`, `response_checksum_validation`) and whether S3 payloads
//! are signed (`s3 = payload_signing_enabled`), from the builder, the environment and the
//! profile as the AWS CLI reads them.

use crate::error::ConfigError;
use crate::profile::{self, Env, ProfileSet, Setting};

/// When a checksum is computed (requests) or validated (responses).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ChecksumWhen {
    /// For every operation that supports one (botocore's default): requests of operations
    /// with an `httpChecksum` trait carry a CRC32 when the caller picked no algorithm, and
    /// responses that carry a checksum are checked when the operation asks for it.
    #[default]
    WhenSupported,
    /// Only when the operation requires one, or the caller picked an algorithm (requests) or
    /// set the operation's validation member (responses).
    WhenRequired,
}

/// The body settings of a [`Config`](crate::Config).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BodySettings {
    pub request_checksum_calculation: Option<ChecksumWhen>,
    pub response_checksum_validation: Option<ChecksumWhen>,
    /// Whether S3 request payloads are signed (their SHA-256 in the signature). Unset:
    /// botocore's choice, see `pipeline::body`.
    pub s3_payload_signing: Option<bool>,
}

impl BodySettings {
    /// Fills what the builder left unset from the environment and the active profile.
    pub(crate) fn fill_from(
        mut self,
        env: &Env,
        profiles: &ProfileSet,
    ) -> Result<Self, ConfigError> {
        let error = |e: profile::ProfileError| ConfigError::new(e.to_string());
        let when = |setting: Setting| -> Result<Option<ChecksumWhen>, ConfigError> {
            Ok(setting
                .one_of(env, profiles, Setting::CHECKSUM_WHEN)
                .map_err(error)?
                .map(|value| match value {
                    "when_required" => ChecksumWhen::WhenRequired,
                    _ => ChecksumWhen::WhenSupported,
                }))
        };
        if self.request_checksum_calculation.is_none() {
            self.request_checksum_calculation = when(Setting::REQUEST_CHECKSUM_CALCULATION)?;
        }
        if self.response_checksum_validation.is_none() {
            self.response_checksum_validation = when(Setting::RESPONSE_CHECKSUM_VALIDATION)?;
        }
        if self.s3_payload_signing.is_none() {
            self.s3_payload_signing = Setting::S3_PAYLOAD_SIGNING_ENABLED
                .bool(env, profiles)
                .map_err(error)?;
        }
        Ok(self)
    }

    /// When request checksums are computed.
    pub fn request_checksums(&self) -> ChecksumWhen {
        self.request_checksum_calculation.unwrap_or_default()
    }

    /// When response checksums are validated.
    pub fn response_checksums(&self) -> ChecksumWhen {
        self.response_checksum_validation.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_environment_then_the_profile() {
        let env = Env::from_vars([("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required")]);
        let settings = BodySettings::default()
            .fill_from(&env, &ProfileSet::default())
            .unwrap();
        assert_eq!(settings.request_checksums(), ChecksumWhen::WhenRequired);
        assert_eq!(settings.response_checksums(), ChecksumWhen::WhenSupported);
        let env = Env::from_vars([("AWS_RESPONSE_CHECKSUM_VALIDATION", "sometimes")]);
        let err = BodySettings::default()
            .fill_from(&env, &ProfileSet::default())
            .unwrap_err();
        assert!(
            err.to_string().contains("AWS_RESPONSE_CHECKSUM_VALIDATION"),
            "{err}"
        );
        // What the builder set stays.
        let explicit = BodySettings {
            request_checksum_calculation: Some(ChecksumWhen::WhenSupported),
            ..Default::default()
        };
        let env = Env::from_vars([("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required")]);
        let settings = explicit.fill_from(&env, &ProfileSet::default()).unwrap();
        assert_eq!(settings.request_checksums(), ChecksumWhen::WhenSupported);
    }
}
