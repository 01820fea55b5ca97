//! When and how long to wait before resending a failed attempt.

use std::time::Duration;

/// Retry policy: capped attempts, exponential backoff with jitter.
///
/// What is retried (decided by the client, not configurable):
/// - throttling (status 429, a `Throttling*` code, or an `x-acs-retry-after`
///   header) and connection failures before anything was sent, for every
///   method: the server did not act on the request;
/// - 5xx responses, read timeouts and broken connections only when resending
///   is safe: `GET`/`HEAD`, or the operation carries a client token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// The default policy: 3 attempts, 100 ms initial backoff, 20 s cap.
    pub fn new() -> RetryConfig {
        RetryConfig::default()
    }

    /// A single attempt, never retried.
    pub fn disabled() -> RetryConfig {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }

    /// Total attempts including the first (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> RetryConfig {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Backoff before the first retry; doubles on each further retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> RetryConfig {
        self.initial_backoff = backoff;
        self
    }

    /// Upper bound of any single wait, server-requested waits included.
    pub fn max_backoff(mut self, backoff: Duration) -> RetryConfig {
        self.max_backoff = backoff;
        self
    }

    /// Configured attempt cap.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// How long to wait after failed attempt number `attempt` (1-based).
    ///
    /// A server-provided `retry_after` is used as is (capped at
    /// `max_backoff`, as Alibaba's own retry policy does); otherwise
    /// "equal jitter": half the exponential step plus a random share of the
    /// other half, so concurrent clients do not retry in lockstep.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_backoff);
        }
        let shift = attempt.saturating_sub(1).min(31);
        let step = self
            .initial_backoff
            .saturating_mul(1u32 << shift)
            .min(self.max_backoff);
        let half = step / 2;
        let jitter_nanos = half.as_nanos() as u64;
        let random = if jitter_nanos == 0 {
            0
        } else {
            (uuid::Uuid::new_v4().as_u128() as u64) % (jitter_nanos + 1)
        };
        half + Duration::from_nanos(random)
    }
}

/// Parses `x-acs-retry-after`. Alibaba's SDK retry policy reads it as a
/// number of milliseconds; an unparsable value is ignored rather than
/// trusted.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(ms) = value.parse::<u64>() {
        return Some(Duration::from_millis(ms));
    }
    value
        .parse::<f64>()
        .ok()
        .filter(|ms| ms.is_finite() && *ms >= 0.0)
        .map(|ms| Duration::from_secs_f64(ms / 1000.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let r = RetryConfig::new()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for _ in 0..50 {
            let d1 = r.delay(1, None);
            assert!(
                d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100),
                "{d1:?}"
            );
            let d3 = r.delay(3, None);
            assert!(
                d3 >= Duration::from_millis(175) && d3 <= Duration::from_millis(350),
                "{d3:?}"
            );
            assert!(r.delay(40, None) <= Duration::from_millis(350));
        }
        assert_eq!(
            r.delay(1, Some(Duration::from_millis(7))),
            Duration::from_millis(7)
        );
        assert_eq!(
            r.delay(1, Some(Duration::from_secs(9))),
            Duration::from_millis(350)
        );
        assert_eq!(RetryConfig::new().max_attempts(0).attempts(), 1);
        assert_eq!(RetryConfig::disabled().attempts(), 1);
    }

    #[test]
    fn retry_after_is_milliseconds() {
        assert_eq!(parse_retry_after("1500"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after(" 20 "), Some(Duration::from_millis(20)));
        assert_eq!(parse_retry_after("2.5"), Some(Duration::from_micros(2500)));
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }
}
