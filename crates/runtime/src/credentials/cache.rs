//! [`CachedProvider`]: keeps a provider's credentials and refreshes them before they expire,
//! once for however many callers ask at the same time.
//!
//! The windows are botocore's (`RefreshableCredentials`): in the last 15 minutes before
//! expiry a caller tries a refresh but keeps the current credentials if another caller is
//! already refreshing or the refresh fails (the *advisory* window); in the last 10 minutes
//! callers wait for the refresh (the *mandatory* window). Where Stratus differs: a failed
//! mandatory refresh still hands out the current credentials while they have not expired
//! (botocore raises), since a request signed with them still works and the next call tries
//! again. For credentials that live shorter than the windows (a 15-minute role session),
//! each window is at most half (advisory) and a quarter (mandatory) of the lifetime seen
//! when they were fetched, so that they are not refreshed on every call.

use super::{Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials};
use crate::DateTime;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// How long before expiry credentials are refreshed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshWindows {
    /// Before expiry, a caller tries to refresh but keeps the current credentials when it
    /// cannot. botocore: 15 minutes.
    pub advisory: Duration,
    /// Before expiry, callers wait for a refresh. botocore: 10 minutes.
    pub mandatory: Duration,
}

impl Default for RefreshWindows {
    fn default() -> Self {
        RefreshWindows {
            advisory: Duration::from_secs(15 * 60),
            mandatory: Duration::from_secs(10 * 60),
        }
    }
}

/// The clock the cache reads; a test can set its own.
type Clock = Arc<dyn Fn() -> DateTime + Send + Sync>;

/// A provider with its credentials kept until they come close to expiry.
///
/// Clones share the cache.
#[derive(Clone)]
pub struct CachedProvider {
    shared: Arc<Shared>,
}

struct Shared {
    provider: Arc<dyn ProvideCredentials>,
    windows: RefreshWindows,
    clock: Clock,
    current: RwLock<Option<Cached>>,
    /// Held by the one caller that refreshes.
    refreshing: tokio::sync::Mutex<()>,
    /// How many fetches have finished, so that a caller that waited for another's fetch
    /// takes its outcome instead of fetching again.
    fetches: AtomicU64,
    /// The error of the last fetch, if it failed.
    last_error: Mutex<Option<CredentialsError>>,
}

/// Credentials with the instants at which they need refreshing.
#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    /// `None`: they never expire.
    advisory_at: Option<DateTime>,
    mandatory_at: Option<DateTime>,
}

/// How fresh the cached credentials are at some instant.
#[derive(Debug, PartialEq, Eq)]
enum Freshness {
    Fresh,
    Advisory,
    Mandatory,
    Expired,
}

impl Cached {
    fn new(credentials: Credentials, windows: RefreshWindows, now: DateTime) -> Self {
        let (advisory_at, mandatory_at) = match credentials.expires_at() {
            None => (None, None),
            Some(expiry) => {
                let lifetime = expiry.as_nanos().saturating_sub(now.as_nanos()).max(0);
                let before = |window: Duration, fraction: i128| {
                    let window = (window.as_nanos() as i128).min(lifetime / fraction);
                    DateTime::from_nanos(expiry.as_nanos() - window).unwrap_or(expiry)
                };
                (
                    Some(before(windows.advisory, 2)),
                    Some(before(windows.mandatory, 4)),
                )
            }
        };
        Cached {
            credentials,
            advisory_at,
            mandatory_at,
        }
    }

    fn freshness(&self, now: DateTime) -> Freshness {
        if self.credentials.is_expired_at(now) {
            Freshness::Expired
        } else if self.mandatory_at.is_some_and(|at| at <= now) {
            Freshness::Mandatory
        } else if self.advisory_at.is_some_and(|at| at <= now) {
            Freshness::Advisory
        } else {
            Freshness::Fresh
        }
    }
}

impl CachedProvider {
    /// Caches `provider` with botocore's refresh windows.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self::with_windows(provider, RefreshWindows::default())
    }

    /// Caches `provider`, refreshing as `windows` say.
    pub fn with_windows(
        provider: impl ProvideCredentials + 'static,
        windows: RefreshWindows,
    ) -> Self {
        Self::build(Arc::new(provider), windows, Arc::new(DateTime::now))
    }

    /// Caches `provider`, reading the time from `clock` (for tests of expiry).
    pub fn with_clock(
        provider: impl ProvideCredentials + 'static,
        windows: RefreshWindows,
        clock: impl Fn() -> DateTime + Send + Sync + 'static,
    ) -> Self {
        Self::build(Arc::new(provider), windows, Arc::new(clock))
    }

    fn build(provider: Arc<dyn ProvideCredentials>, windows: RefreshWindows, clock: Clock) -> Self {
        CachedProvider {
            shared: Arc::new(Shared {
                provider,
                windows,
                clock,
                current: RwLock::new(None),
                refreshing: tokio::sync::Mutex::new(()),
                fetches: AtomicU64::new(0),
                last_error: Mutex::new(None),
            }),
        }
    }

    /// The provider behind the cache.
    pub fn provider(&self) -> &Arc<dyn ProvideCredentials> {
        &self.shared.provider
    }

    /// Forgets the cached credentials: the next call fetches new ones.
    pub fn invalidate(&self) {
        *self.write() = None;
    }

    fn read(&self) -> Option<Cached> {
        // A poisoned lock only means a panic elsewhere while holding it; the value is whole.
        self.shared
            .current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Option<Cached>> {
        self.shared
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The cached credentials, refreshed as the windows say.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let now = (self.shared.clock)();
        let cached = self.read();
        if let Some(cached) = &cached {
            match cached.freshness(now) {
                Freshness::Fresh => return Ok(cached.credentials.clone()),
                Freshness::Advisory => {
                    // One caller refreshes; the others (and that one, should it fail) go on
                    // with what they have.
                    let Ok(_guard) = self.shared.refreshing.try_lock() else {
                        return Ok(cached.credentials.clone());
                    };
                    if let Some(newer) = self.newer_than(cached) {
                        return Ok(newer);
                    }
                    return Ok(self.fetch().await.unwrap_or_else(|error| {
                        tracing::warn!(
                            %error,
                            "refreshing credentials before they expire failed; the current ones \
                             are used until they do"
                        );
                        cached.credentials.clone()
                    }));
                }
                Freshness::Mandatory | Freshness::Expired => {}
            }
        }
        let seen = self.shared.fetches.load(Ordering::Acquire);
        let _guard = self.shared.refreshing.lock().await;
        // Another caller fetched while this one waited: its outcome is this caller's too, so
        // a failing provider is asked once, not once per waiting caller.
        if self.shared.fetches.load(Ordering::Acquire) != seen {
            let now = (self.shared.clock)();
            let failed = self
                .shared
                .last_error
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone();
            match (self.read(), failed) {
                (Some(current), None) if current.freshness(now) != Freshness::Expired => {
                    return Ok(current.credentials);
                }
                (Some(current), Some(_)) if current.freshness(now) != Freshness::Expired => {
                    return Ok(current.credentials);
                }
                (_, Some(error)) => return Err(self.expired_or(error, now)),
                _ => {}
            }
        }
        match self.fetch().await {
            Ok(credentials) => Ok(credentials),
            Err(error) => {
                let now = (self.shared.clock)();
                match self.read() {
                    Some(current) if current.freshness(now) != Freshness::Expired => {
                        tracing::warn!(
                            %error,
                            expires_at = ?current.credentials.expires_at(),
                            "refreshing credentials that expire soon failed; the current ones \
                             are used until they do"
                        );
                        Ok(current.credentials)
                    }
                    _ => Err(self.expired_or(error, now)),
                }
            }
        }
    }

    /// `error`, or, when the cache holds credentials that have expired, an error that says
    /// so and why they could not be refreshed.
    fn expired_or(&self, error: CredentialsError, now: DateTime) -> CredentialsError {
        match self.read() {
            Some(current) if current.freshness(now) == Freshness::Expired => CredentialsError::new(
                error.provider(),
                CredentialsErrorKind::Expired,
                format!(
                    "the credentials from {} expired at {} and refreshing them failed: {}",
                    current.credentials.source(),
                    current
                        .credentials
                        .expires_at()
                        .map_or_else(String::new, |at| at.to_string()),
                    error.message()
                ),
            )
            .with_source(error),
            _ => error,
        }
    }

    /// The cached credentials if another caller replaced `seen` with fresh ones.
    fn newer_than(&self, seen: &Cached) -> Option<Credentials> {
        let current = self.read()?;
        let now = (self.shared.clock)();
        (!Arc::ptr_eq(&current.credentials.inner, &seen.credentials.inner)
            && current.freshness(now) == Freshness::Fresh)
            .then_some(current.credentials)
    }

    /// Fetches from the provider and caches the result. The caller holds `refreshing`.
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let outcome = self.shared.provider.provide_credentials().await;
        let now = (self.shared.clock)();
        // Credentials that arrive expired (a stale AWS_CREDENTIAL_EXPIRATION, a clock far
        // off) would be fetched again on every call: botocore raises "the refreshed
        // credentials are still expired", and so does this.
        let outcome = outcome.and_then(|credentials| match credentials.expires_at() {
            Some(at) if at <= now => Err(CredentialsError::new(
                credentials.source(),
                CredentialsErrorKind::Expired,
                format!(
                    "the credentials from {} expired at {at}, before they could be used \
                     (is the clock right? it says {now})",
                    credentials.source()
                ),
            )),
            _ => Ok(credentials),
        });
        {
            let mut last_error = self
                .shared
                .last_error
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match &outcome {
                Ok(credentials) => {
                    *self.write() =
                        Some(Cached::new(credentials.clone(), self.shared.windows, now));
                    *last_error = None;
                }
                Err(error) => *last_error = Some(error.clone()),
            }
        }
        self.shared.fetches.fetch_add(1, Ordering::Release);
        outcome
    }
}

impl fmt::Debug for CachedProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedProvider")
            .field("provider", &self.shared.provider)
            .field("windows", &self.shared.windows)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for CachedProvider {
    fn provide_credentials(&self) -> super::CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

    /// Hands out credentials expiring `lifetime` seconds after the test clock's now, or an
    /// error while `failing` is set; counts its calls and can be slow.
    #[derive(Debug, Default)]
    struct Source {
        calls: AtomicUsize,
        failing: std::sync::atomic::AtomicBool,
        lifetime: i64,
        now: Arc<AtomicI64>,
        delay: Option<Duration>,
    }

    impl ProvideCredentials for Source {
        fn provide_credentials(&self) -> super::super::CredentialsFuture<'_> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                if let Some(delay) = self.delay {
                    tokio::time::sleep(delay).await;
                }
                if self.failing.load(Ordering::SeqCst) {
                    return Err(CredentialsError::provider_failed("test", "STS is down"));
                }
                let expiry = self.now.load(Ordering::SeqCst) + self.lifetime;
                Ok(Credentials::new(
                    format!("AKID{n}"),
                    "secret",
                    None,
                    Some(DateTime::from_secs(expiry)),
                    "test",
                ))
            })
        }
    }

    fn cache(source: Arc<Source>) -> CachedProvider {
        let now = source.now.clone();
        CachedProvider::with_clock(source, RefreshWindows::default(), move || {
            DateTime::from_secs(now.load(Ordering::SeqCst))
        })
    }

    fn source(lifetime: i64) -> Arc<Source> {
        Arc::new(Source {
            lifetime,
            now: Arc::new(AtomicI64::new(1_000_000)),
            ..Source::default()
        })
    }

    #[tokio::test]
    async fn fresh_credentials_are_served_from_the_cache() {
        let source = source(3600);
        let cache = cache(source.clone());
        let first = cache.credentials().await.unwrap();
        let second = cache.credentials().await.unwrap();
        assert_eq!(first.access_key_id(), "AKID1");
        assert_eq!(second.access_key_id(), "AKID1");
        assert_eq!(source.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn the_advisory_window_refreshes_and_keeps_the_old_ones_on_failure() {
        let source = source(3600);
        let cache = cache(source.clone());
        cache.credentials().await.unwrap();
        // 14 minutes before expiry: advisory.
        source.now.fetch_add(3600 - 14 * 60, Ordering::SeqCst);
        source.failing.store(true, Ordering::SeqCst);
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID1");
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
        source.failing.store(false, Ordering::SeqCst);
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID3");
    }

    #[tokio::test]
    async fn a_failed_mandatory_refresh_keeps_unexpired_credentials_then_fails() {
        let source = source(3600);
        let cache = cache(source.clone());
        cache.credentials().await.unwrap();
        source.failing.store(true, Ordering::SeqCst);
        // 5 minutes before expiry: mandatory, the refresh fails, the old ones still work.
        source.now.fetch_add(3600 - 5 * 60, Ordering::SeqCst);
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID1");
        // Expired: the error says so, from which source and why.
        source.now.fetch_add(5 * 60, Ordering::SeqCst);
        let error = cache.credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::Expired);
        assert!(error.message().contains("STS is down"), "{error}");
        assert!(error.message().contains("expired at"), "{error}");
    }

    #[tokio::test]
    async fn many_concurrent_callers_trigger_one_refresh() {
        let source = Arc::new(Source {
            lifetime: 3600,
            now: Arc::new(AtomicI64::new(1_000_000)),
            delay: Some(Duration::from_millis(50)),
            ..Source::default()
        });
        let cache = cache(source.clone());
        let calls: Vec<_> = (0..64)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.credentials().await })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap().access_key_id(), "AKID1");
        }
        assert_eq!(source.calls.load(Ordering::SeqCst), 1);
        // Expired: again many callers, one refresh.
        source.now.fetch_add(3600, Ordering::SeqCst);
        let calls: Vec<_> = (0..64)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.credentials().await })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap().access_key_id(), "AKID2");
        }
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn callers_waiting_on_a_failing_provider_share_its_one_failure() {
        let source = Arc::new(Source {
            lifetime: 3600,
            now: Arc::new(AtomicI64::new(1_000_000)),
            delay: Some(Duration::from_millis(50)),
            ..Source::default()
        });
        source.failing.store(true, Ordering::SeqCst);
        let cache = cache(source.clone());
        let calls: Vec<_> = (0..32)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.credentials().await })
            })
            .collect();
        for call in calls {
            let error = call.await.unwrap().unwrap_err();
            assert!(error.message().contains("STS is down"), "{error}");
        }
        assert_eq!(source.calls.load(Ordering::SeqCst), 1);
        // In the mandatory window, the same: one failed refresh, every caller keeps the
        // credentials that still work.
        source.failing.store(false, Ordering::SeqCst);
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID2");
        source.failing.store(true, Ordering::SeqCst);
        source.now.fetch_add(3600 - 5 * 60, Ordering::SeqCst);
        let calls: Vec<_> = (0..32)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.credentials().await })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap().access_key_id(), "AKID2");
        }
        assert_eq!(source.calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn credentials_that_arrive_expired_are_an_error() {
        let source = source(-10);
        let cache = cache(source.clone());
        let error = cache.credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::Expired);
        assert!(
            error.message().contains("before they could be used"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn short_lived_credentials_are_not_refreshed_on_every_call() {
        // A 15-minute session lies wholly inside botocore's 15-minute advisory window.
        let source = source(900);
        let cache = cache(source.clone());
        cache.credentials().await.unwrap();
        source.now.fetch_add(60, Ordering::SeqCst);
        cache.credentials().await.unwrap();
        assert_eq!(source.calls.load(Ordering::SeqCst), 1);
        // Past half its life it is refreshed.
        source.now.fetch_add(400, Ordering::SeqCst);
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID2");
    }

    #[tokio::test]
    async fn errors_are_not_cached_and_invalidate_forgets() {
        let source = source(3600);
        source.failing.store(true, Ordering::SeqCst);
        let cache = cache(source.clone());
        assert!(cache.credentials().await.is_err());
        source.failing.store(false, Ordering::SeqCst);
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID2");
        cache.invalidate();
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID3");
    }
}
