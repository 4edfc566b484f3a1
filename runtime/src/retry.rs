//! When and how often a failed request is tried again: the retry policy, the statuses worth
//! retrying, and the server's `Retry-After`.

use std::time::{Duration, SystemTime};

/// When and how often a failed request is tried again.
///
/// Retries happen on connection failures and on 429, 502, 503 and 504 responses, with
/// exponential backoff and jitter, honouring `Retry-After` (seconds or an HTTP date).
///
/// Only requests that are safe to repeat are retried by default: GET, HEAD, OPTIONS, PUT and
/// DELETE are idempotent by HTTP's definition. A POST (or PATCH) is retried only when it
/// provably never reached the server (the connection could not be established), unless you
/// opt in with [`RetryPolicy::retry_non_idempotent`]: repeating a create can create twice
/// when the API offers no idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    deadline: Option<Duration>,
    max_retry_after: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff from 200 ms up to 5 s, a 60 s deadline over all attempts,
    /// `Retry-After` honoured up to 60 s, non-idempotent requests not repeated.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            deadline: Some(Duration::from_secs(60)),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    #[must_use]
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The most attempts per call, the first included (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; it doubles with each retry, up to `max`. Each wait
    /// is jittered (between half and all of it) so that clients do not retry in step.
    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest a call may take over all its attempts; no retry starts that would end
    /// after it. `None` for no deadline.
    #[must_use]
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// The longest `Retry-After` honoured; a server asking for more gets its error back at
    /// once (with `retry_after()` saying how long it asked for).
    #[must_use]
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Also retry requests that are not idempotent (POST, PATCH) after timeouts and retryable
    /// statuses. Only do this when a repeated request cannot cause harm.
    #[must_use]
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn total_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    pub(crate) fn longest_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    pub(crate) fn repeats_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }

    /// The jittered wait before retry number `retry` (1 for the first retry); `unit` is a
    /// random number in [0, 1).
    pub(crate) fn backoff_for(&self, retry: u32, unit: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let full = self
            .initial_backoff
            .saturating_mul(1_u32 << exponent)
            .min(self.max_backoff);
        full.mul_f64(0.5 + unit / 2.0)
    }
}

/// The statuses worth trying again: rate limited, bad gateway, unavailable, gateway timeout.
pub(crate) fn is_retryable_status(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// `Retry-After` as a wait from `now`: delay-seconds or an HTTP date (RFC 9110).
pub(crate) fn retry_after(
    headers: &reqwest::header::HeaderMap,
    now: SystemTime,
) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let policy =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(500));
        assert_eq!(policy.backoff_for(1, 0.999_999).as_millis(), 99);
        assert_eq!(policy.backoff_for(1, 0.0), Duration::from_millis(50));
        assert_eq!(policy.backoff_for(2, 0.0), Duration::from_millis(100));
        assert_eq!(policy.backoff_for(3, 0.0), Duration::from_millis(200));
        assert_eq!(policy.backoff_for(9, 0.0), Duration::from_millis(250));
        assert_eq!(policy.backoff_for(400, 0.0), Duration::from_millis(250));
    }

    #[test]
    fn never_means_one_attempt() {
        assert_eq!(RetryPolicy::never().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let mut headers = reqwest::header::HeaderMap::new();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(retry_after(&headers, now), None);
        headers.insert(reqwest::header::RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(120)));
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT.
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Sun, 06 Nov 1994 08:49:47 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(10)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Sun, 06 Nov 1994 08:49:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
    }
}
