//! When a failed call is sent again, and how long to wait first.
//!
//! A call is repeated only when repeating it cannot duplicate data:
//! - the request never left the client (connecting failed): any operation;
//! - the server refused it without acting on it (429 Too Many Requests, 503 Service Unavailable):
//!   any operation, after the server's `Retry-After` when it gives one;
//! - the outcome is unknown (a timeout, a connection lost after sending, 502, 504): only
//!   operations that are safe to repeat, unless the caller opted in for the others
//!   ([`RetryPolicy::retry_unsafe_after_ambiguous_failures`]).

use std::time::Duration;

use super::error::Error;

/// How failed calls are retried. The default makes up to 2 more attempts, waiting 200 ms, then
/// 400 ms (each with up to 50 % random jitter, never over 5 s), and follows a `Retry-After` of up to
/// 60 s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    unsafe_after_ambiguous: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
            unsafe_after_ambiguous: false,
        }
    }
}

/// Why a failed attempt may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// The request was not sent.
    NotSent,
    /// The server refused it (429, 503).
    Refused,
    /// The outcome is unknown (timeout, connection lost after sending, 502, 504).
    Ambiguous,
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// At most `retries` attempts after the first.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The wait before the first retry; it doubles for each further one.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between attempts that the client picks itself.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` the client waits for; a longer one ends the call with the error.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// Also repeat operations that are not safe to repeat (those that create records) after a
    /// failure whose outcome is unknown. Off by default: the first attempt may have succeeded,
    /// and a repeat would create the records twice.
    pub fn retry_unsafe_after_ambiguous_failures(mut self, retry: bool) -> Self {
        self.unsafe_after_ambiguous = retry;
        self
    }

    /// How long to wait before attempt `retry` (1 for the first retry) after `error`, or `None`
    /// when the call must not be repeated.
    pub fn delay_before(&self, retry: u32, error: &Error, idempotent: bool) -> Option<Duration> {
        if retry > self.max_retries {
            return None;
        }
        match retry_reason(error)? {
            RetryReason::Ambiguous if !idempotent && !self.unsafe_after_ambiguous => return None,
            _ => {}
        }
        match error.retry_after() {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(retry)),
        }
    }

    /// Exponential backoff with jitter: `base · 2^(retry-1)`, plus up to half of it again, capped.
    fn backoff(&self, retry: u32) -> Duration {
        let exponential = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
        let jitter = exponential.mul_f64(fastrand::f64() * 0.5);
        exponential.saturating_add(jitter).min(self.max_delay)
    }
}

/// Whether `error` may be retried, and why; `None` when it must not be.
pub fn retry_reason(error: &Error) -> Option<RetryReason> {
    match error {
        Error::Connection(error) if error.is_connect() => Some(RetryReason::NotSent),
        Error::Status {
            status: 429 | 503, ..
        } => Some(RetryReason::Refused),
        Error::Status {
            status: 502 | 504, ..
        }
        | Error::Timeout(_)
        | Error::Connection(_) => Some(RetryReason::Ambiguous),
        _ => None,
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds, or an HTTP date (a date in the past
/// is no wait).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::error::RawBody;

    fn status(status: u16, retry_after: Option<Duration>) -> Error {
        Error::Status {
            status,
            body: RawBody::new(Vec::new()),
            retry_after,
        }
    }

    #[test]
    fn refusals_are_retried_for_every_operation_and_ambiguous_failures_only_when_safe() {
        let policy = RetryPolicy::default();
        assert!(policy.delay_before(1, &status(429, None), false).is_some());
        assert!(policy.delay_before(1, &status(503, None), false).is_some());
        assert!(policy.delay_before(1, &status(502, None), true).is_some());
        assert!(policy.delay_before(1, &status(502, None), false).is_none());
        assert!(policy.delay_before(1, &status(500, None), true).is_none());
        assert!(policy.delay_before(1, &status(400, None), true).is_none());
        let opted_in = policy.retry_unsafe_after_ambiguous_failures(true);
        assert!(opted_in
            .delay_before(1, &status(504, None), false)
            .is_some());
    }

    #[test]
    fn retry_after_is_followed_up_to_its_cap_and_retries_stop_at_the_maximum() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(10));
        let wait = Some(Duration::from_secs(3));
        assert_eq!(
            policy.delay_before(1, &status(429, wait), false),
            Some(Duration::from_secs(3))
        );
        let too_long = Some(Duration::from_secs(11));
        assert_eq!(policy.delay_before(1, &status(429, too_long), false), None);
        assert_eq!(policy.delay_before(3, &status(429, None), false), None);
        assert_eq!(
            RetryPolicy::none().delay_before(1, &status(503, None), true),
            None
        );
    }

    #[test]
    fn backoff_doubles_with_at_most_half_again_of_jitter_and_stays_under_the_cap() {
        let policy = RetryPolicy::default();
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(200) && first <= Duration::from_millis(300));
            let second = policy.backoff(2);
            assert!(second >= Duration::from_millis(400) && second <= Duration::from_millis(600));
            assert!(policy.backoff(30) <= Duration::from_secs(5));
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "a date in the past"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
