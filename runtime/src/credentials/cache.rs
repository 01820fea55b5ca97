//! Caching of temporary credentials: refresh before expiry, one refresh at
//! a time (single flight), keep the old credential when a refresh fails
//! while it is still valid. The clock is injectable so tests move time
//! instead of sleeping.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use super::{Credentials, CredentialsError, CredentialsFuture, CredentialsProvider};

/// The clock providers read to decide when a credential must be refreshed.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Default refresh margin: a temporary credential is replaced when less than
/// this much of its life is left (or half of its life, if that is shorter).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// After a failed refresh while the cached credential is still valid, the
/// next attempt waits this long, so a broken STS or metadata service is not
/// asked on every call.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

pub(crate) fn system_clock() -> Clock {
    Arc::new(SystemTime::now)
}

#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    /// When to start refreshing; `None` for credentials that never expire.
    refresh_at: Option<SystemTime>,
}

/// The cache each refreshing provider holds.
pub(crate) struct Cache {
    provider: &'static str,
    current: RwLock<Option<Cached>>,
    /// Held for the whole of a refresh: concurrent callers wait for it and
    /// then read its result instead of refreshing themselves.
    refreshing: futures_util::lock::Mutex<Option<SystemTime>>,
    pub(crate) clock: Clock,
    pub(crate) margin: Duration,
}

impl Cache {
    pub(crate) fn new(provider: &'static str) -> Cache {
        Cache {
            provider,
            current: RwLock::new(None),
            refreshing: futures_util::lock::Mutex::new(None),
            clock: system_clock(),
            margin: DEFAULT_REFRESH_MARGIN,
        }
    }

    pub(crate) fn now(&self) -> SystemTime {
        (self.clock)()
    }

    fn cached(&self) -> Option<Cached> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn store(&self, value: Cached) {
        match self.current.write() {
            Ok(mut guard) => *guard = Some(value),
            Err(poisoned) => *poisoned.into_inner() = Some(value),
        }
    }

    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        let cached = self.cached()?;
        match cached.refresh_at {
            Some(at) if now >= at => None,
            _ => Some(cached.credentials),
        }
    }

    /// The cached credential while it is fresh, else the result of `fetch`
    /// (run by one caller at a time).
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, CredentialsError>>,
    {
        if let Some(c) = self.fresh(self.now()) {
            return Ok(c);
        }
        let mut retry_at = self.refreshing.lock().await;
        let now = self.now();
        if let Some(c) = self.fresh(now) {
            return Ok(c);
        }
        let old = self.cached().map(|c| c.credentials).filter(|c| still_valid(c, now));
        if let (Some(old), Some(at)) = (&old, *retry_at) {
            if now < at {
                return Ok(old.clone());
            }
        }
        match fetch().await {
            Ok(new) => {
                let refresh_at = match new.expiration() {
                    None => None,
                    Some(expiration) if expiration <= now => {
                        return Err(CredentialsError::new(format!(
                            "{}: the credential received has already expired (at {})",
                            self.provider,
                            crate::sign::format_acs_date(expiration)
                        )));
                    }
                    Some(expiration) => {
                        let life = expiration.duration_since(now).unwrap_or_default();
                        Some(expiration - self.margin.min(life / 2))
                    }
                };
                *retry_at = None;
                self.store(Cached { credentials: new.clone(), refresh_at });
                Ok(new)
            }
            Err(error) => match old {
                Some(old) => {
                    tracing::warn!(
                        provider = self.provider,
                        error = %error,
                        "credential refresh failed; keeping the current credential until it expires"
                    );
                    *retry_at = Some(now + RETRY_AFTER_FAILURE);
                    Ok(old)
                }
                None if self.cached().is_some() => Err(CredentialsError::new(format!(
                    "{}: the cached credential has expired and the refresh failed: {error}",
                    self.provider
                ))),
                None => Err(error),
            },
        }
    }
}

fn still_valid(credentials: &Credentials, now: SystemTime) -> bool {
    credentials.expiration().is_none_or(|at| now < at)
}

/// Wraps any provider with the cache the built-in refreshing providers use:
/// the credential is kept until `refresh_margin` before its
/// [`Credentials::expiration`] (forever when it has none), concurrent
/// callers share one refresh, and a failed refresh keeps the old
/// credential while it is valid (with a warning).
pub struct CachingProvider {
    source: Arc<dyn CredentialsProvider>,
    cache: Cache,
}

impl fmt::Debug for CachingProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingProvider").field("margin", &self.cache.margin).finish_non_exhaustive()
    }
}

impl CachingProvider {
    /// Caches the credentials `source` gives.
    pub fn new(source: impl CredentialsProvider + 'static) -> CachingProvider {
        CachingProvider { source: Arc::new(source), cache: Cache::new("cached provider") }
    }

    /// How long before expiry a credential is refreshed (default
    /// [`DEFAULT_REFRESH_MARGIN`]; at most half the credential's life).
    pub fn refresh_margin(mut self, margin: Duration) -> CachingProvider {
        self.cache.margin = margin;
        self
    }

    /// Replaces the clock (for tests).
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> CachingProvider {
        self.cache.clock = Arc::new(clock);
        self
    }
}

impl CredentialsProvider for CachingProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get(|| self.source.provide_credentials()))
    }
}
