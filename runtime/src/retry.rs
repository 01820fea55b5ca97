//! When and how long to wait before resending a failed attempt: the retry
//! rule ([`should_retry`]) and the backoff ([`RetryConfig`]).

use std::time::Duration;

use crate::error::{Error, ErrorDetails, TimeoutKind};

/// What a failed attempt says about whether the server may have acted on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The server refused the request before doing anything: a throttling
    /// answer (status 429 or a `Throttling*` code).
    Refused,
    /// Nothing reached the server: the connection was refused or could not
    /// be established in time.
    NotSent,
    /// The server may have acted: a 5xx answer, a read timeout, a reset or
    /// a body cut short after the request was sent.
    Unknown,
    /// Resending cannot help: a 4xx answer, a body over the size limit, a
    /// request that cannot be built or signed.
    Final,
}

impl Outcome {
    /// Classifies the error of one attempt.
    pub(crate) fn of(error: &Error<ErrorDetails>) -> Outcome {
        match error {
            Error::Service(details) if details.is_throttling() => Outcome::Refused,
            Error::Service(details) if details.status >= 500 => Outcome::Unknown,
            Error::Transport(t) if t.is_connect() => Outcome::NotSent,
            Error::Timeout(t) if t.kind == TimeoutKind::Connect => Outcome::NotSent,
            Error::Transport(_) | Error::Timeout(_) => Outcome::Unknown,
            _ => Outcome::Final,
        }
    }
}

/// The retry rule, the one place it is decided.
///
/// - Throttling answers and connections refused before sending are retried
///   for every call: the server provably did not act on the request.
/// - 5xx answers, timeouts and broken connections are retried only for
///   calls that are safe to repeat (`idempotent`): `GET`/`HEAD`, a call
///   carrying an idempotency token (`ClientToken`/`clientToken`), or an
///   operation marked read-only or idempotent
///   ([`Request::idempotent`](crate::Request::idempotent),
///   [`CallOptions::idempotent`](crate::CallOptions::idempotent)).
/// - Nothing else is retried.
///
/// `x-acs-retry-after` only sets the delay ([`RetryConfig::delay`]); it
/// never makes a call retryable: a 503 carrying it may still have been
/// processed.
pub(crate) fn should_retry(outcome: Outcome, idempotent: bool) -> bool {
    match outcome {
        Outcome::Refused | Outcome::NotSent => true,
        Outcome::Unknown => idempotent,
        Outcome::Final => false,
    }
}

/// Retry policy: capped attempts, exponential backoff with jitter.
///
/// What is retried is decided by the client, not configurable:
/// - throttling (status 429 or a `Throttling*` error code) and connection
///   failures before anything was sent, for every method: the server did
///   not act on the request;
/// - 5xx responses, read timeouts and broken connections only when
///   resending is safe: `GET`/`HEAD`, a call carrying a client token, or an
///   operation marked idempotent
///   ([`Request::idempotent`](crate::Request::idempotent)).
///
/// An `x-acs-retry-after` header sets the wait before a retry that the
/// rule allows (capped at [`RetryConfig::max_backoff`]); by itself it
/// allows nothing.
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
        RetryConfig { max_attempts: 1, ..RetryConfig::default() }
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
        let step = self.initial_backoff.saturating_mul(1u32 << shift).min(self.max_backoff);
        let half = step / 2;
        let jitter_nanos = half.as_nanos() as u64;
        let random = if jitter_nanos == 0 { 0 } else { (uuid::Uuid::new_v4().as_u128() as u64) % (jitter_nanos + 1) };
        half + Duration::from_nanos(random)
    }
}

/// Parses `x-acs-retry-after`. Alibaba's SDK retry policy reads it as a
/// number of milliseconds; an unparsable value is ignored rather than
/// trusted, and a huge one saturates (the wait is capped later).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(ms) = value.parse::<u64>() {
        return Some(Duration::from_millis(ms));
    }
    let ms = value.parse::<f64>().ok().filter(|ms| ms.is_finite() && *ms >= 0.0)?;
    // `from_secs_f64` panics past `Duration::MAX`; a hostile header must not.
    Some(Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let r = RetryConfig::new().initial_backoff(Duration::from_millis(100)).max_backoff(Duration::from_millis(350));
        for _ in 0..50 {
            let d1 = r.delay(1, None);
            assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100), "{d1:?}");
            let d3 = r.delay(3, None);
            assert!(d3 >= Duration::from_millis(175) && d3 <= Duration::from_millis(350), "{d3:?}");
            assert!(r.delay(40, None) <= Duration::from_millis(350));
        }
        assert_eq!(r.delay(1, Some(Duration::from_millis(7))), Duration::from_millis(7));
        assert_eq!(r.delay(1, Some(Duration::from_secs(9))), Duration::from_millis(350));
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
        assert_eq!(parse_retry_after("NaN"), None);
        assert_eq!(parse_retry_after("1e300"), Some(Duration::MAX));
        assert_eq!(parse_retry_after("99999999999999999999999"), Some(Duration::MAX));
        let capped = RetryConfig::new().max_backoff(Duration::from_secs(1));
        assert_eq!(capped.delay(1, parse_retry_after("1e300")), Duration::from_secs(1));
    }

    #[test]
    fn the_rule() {
        use crate::error::{TimeoutError, TransportError};
        let service = |status: u16, body: &str| {
            Error::Service(Box::new(ErrorDetails::from_response(status, None, body.as_bytes())))
        };
        let throttled = service(400, r#"{"Code":"Throttling.User"}"#);
        let too_many = service(429, "");
        let unavailable = service(503, "busy");
        let bad = service(400, r#"{"Code":"InvalidParameter"}"#);
        let refused = Error::Transport(TransportError::new("refused", true, None));
        let reset = Error::Transport(TransportError::new("reset", false, None));
        let connect = Error::Timeout(TimeoutError { kind: TimeoutKind::Connect, after: None });
        let read = Error::Timeout(TimeoutError { kind: TimeoutKind::Read, after: None });
        for idempotent in [false, true] {
            for always in [&throttled, &too_many, &refused, &connect] {
                assert!(should_retry(Outcome::of(always), idempotent), "{always:?}");
            }
            for only_safe in [&unavailable, &reset, &read] {
                assert_eq!(should_retry(Outcome::of(only_safe), idempotent), idempotent, "{only_safe:?}");
            }
            assert!(!should_retry(Outcome::of(&bad), idempotent));
            assert!(!should_retry(Outcome::of(&Error::Construction("x".into())), idempotent));
        }
    }
}
