//! Retries in the "standard" mode of the AWS SDKs: classify each failed attempt, back off
//! exponentially with full jitter, and spend from a retry quota so that a struggling service
//! is not hammered by every client at once.

use std::sync::Mutex;
use std::time::Duration;

/// Retry settings of a client.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryConfig {
    /// Attempts in all, the first included (1 disables retries). Default 3.
    pub max_attempts: u32,
    /// The backoff base: attempt `n` (from 1) waits a random time in `0..base * 2^(n-1)`.
    pub base_delay: Duration,
    /// The longest wait between two attempts. Default 20 s.
    pub max_backoff: Duration,
    /// Whether the retry quota applies (disable for tests that count retries precisely).
    pub quota: bool,
    /// Whether waits are drawn at random below the ceiling ("full jitter", the default) or
    /// are the ceiling itself.
    pub jitter: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            base_delay: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            quota: true,
            jitter: true,
        }
    }
}

impl RetryConfig {
    /// No retries at all.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before retry number `retry` (1 for the first retry), with full jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        if self.jitter {
            ceiling.mul_f64(fastrand::f64())
        } else {
            ceiling
        }
    }
}

/// What kind of failure an attempt ended with, for deciding whether to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    /// A transient failure: connection errors, 5xx, request timeouts.
    Transient,
    /// The service asked to slow down.
    Throttling,
    /// Retrying cannot help.
    NotRetryable,
}

/// Error codes the standard mode treats as transient.
pub const TRANSIENT_ERROR_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

/// HTTP statuses the standard mode treats as transient.
pub const TRANSIENT_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// Error codes the standard mode treats as throttling.
pub const THROTTLING_ERROR_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Classifies an error response by its code and status; `modeled` is the retry trait of the
/// modeled exception it matched, if any (`Some(true)` for `retryable: {throttling: true}`).
pub fn classify_response(code: &str, status: u16, modeled: Option<bool>) -> RetryKind {
    if THROTTLING_ERROR_CODES.contains(&code) || modeled == Some(true) {
        RetryKind::Throttling
    } else if TRANSIENT_ERROR_CODES.contains(&code)
        || TRANSIENT_STATUS_CODES.contains(&status)
        || modeled == Some(false)
    {
        RetryKind::Transient
    } else {
        RetryKind::NotRetryable
    }
}

/// The retry quota: a token bucket shared by a client's calls. A retry costs tokens (more
/// after a timeout); a call that succeeds gives some back. When the bucket is empty, failures
/// are returned instead of retried.
#[derive(Debug)]
pub struct RetryQuota {
    tokens: Mutex<u32>,
}

const QUOTA_CAPACITY: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const SUCCESS_REFUND: u32 = 1;

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota {
            tokens: Mutex::new(QUOTA_CAPACITY),
        }
    }
}

impl RetryQuota {
    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes the cost of one retry; `None` when the quota is spent. Returns what was taken.
    pub fn acquire(&self, after_timeout: bool) -> Option<u32> {
        let cost = if after_timeout {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        let mut tokens = self.lock();
        (*tokens >= cost).then(|| {
            *tokens -= cost;
            cost
        })
    }

    /// A call succeeded: give back what its retries took, or the success refund.
    pub fn release(&self, taken: u32) {
        let mut tokens = self.lock();
        *tokens = (*tokens + taken.max(SUCCESS_REFUND)).min(QUOTA_CAPACITY);
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        *self.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_follows_the_standard_mode() {
        assert_eq!(
            classify_response("Throttling", 400, None),
            RetryKind::Throttling
        );
        assert_eq!(
            classify_response("SlowDown", 503, None),
            RetryKind::Throttling
        );
        assert_eq!(
            classify_response("InternalError", 500, None),
            RetryKind::Transient
        );
        assert_eq!(
            classify_response("RequestTimeout", 400, None),
            RetryKind::Transient
        );
        assert_eq!(
            classify_response("ValidationError", 400, None),
            RetryKind::NotRetryable
        );
        assert_eq!(
            classify_response("SignatureDoesNotMatch", 403, None),
            RetryKind::NotRetryable
        );
        assert_eq!(
            classify_response("MyModeledFault", 400, Some(false)),
            RetryKind::Transient
        );
        assert_eq!(
            classify_response("MyModeledThrottle", 400, Some(true)),
            RetryKind::Throttling
        );
    }

    #[test]
    fn backoff_is_jittered_below_an_exponential_ceiling() {
        let config = RetryConfig {
            base_delay: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..RetryConfig::default()
        };
        for _ in 0..200 {
            assert!(config.backoff(1) < Duration::from_millis(100));
            assert!(config.backoff(2) < Duration::from_millis(200));
            assert!(config.backoff(10) <= Duration::from_millis(350));
        }
    }

    #[test]
    fn the_quota_runs_out_and_refills() {
        let quota = RetryQuota::default();
        let mut taken = 0;
        while let Some(cost) = quota.acquire(false) {
            taken += cost;
        }
        assert_eq!(taken, 500);
        assert_eq!(quota.acquire(true), None);
        quota.release(5);
        assert_eq!(quota.available(), 5);
        quota.release(0);
        assert_eq!(quota.available(), 6);
    }
}
