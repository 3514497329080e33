//! When to repeat a failed call, and after how long.
//!
//! Only idempotent calls (`GET /user`, `PUT /user`) are ever repeated; the client decides which
//! calls go through the retry loop. This module holds the decision itself as a pure function, so
//! the rules are tested without a clock or a network: the caller passes the time already spent
//! and a random number for the jitter.

use std::time::Duration;

use super::error::ApiError;

/// How often and how long a transient failure may be retried.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Attempts in all, the first included: 3 means at most two retries.
    pub max_tries: u32,
    /// The wait before the first retry; it doubles on each further retry.
    pub base_delay: Duration,
    /// No backoff wait grows past this (a server's `Retry-After` may ask for longer).
    pub max_delay: Duration,
    /// No retry starts whose wait would end past this much time after the first attempt began,
    /// so a user never watches a spinner much longer than this.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_tries: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(4),
            max_total: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// One attempt, never repeated.
    pub fn none() -> Self {
        RetryPolicy { max_tries: 1, ..RetryPolicy::default() }
    }

    /// The wait before attempt `attempt + 1`, or `None` to give up and return `err`.
    ///
    /// - `attempt` is the 1-based number of the attempt that just failed with `err`;
    /// - `elapsed` is the time since the first attempt started;
    /// - `jitter` is a number in `[0, 1)`; the backoff wait is spread over its upper half
    ///   (`[d/2, d)`) so clients that failed together do not come back together.
    ///
    /// Only transient errors ([`ApiError::is_transient`]) are retried. A `Retry-After` on a 429
    /// is obeyed exactly, even past `max_delay`; when it would end past `max_total` the answer is
    /// `None` at once, since waiting part of it and retrying early would only be refused again.
    pub fn delay_after(
        &self,
        attempt: u32,
        err: &ApiError,
        elapsed: Duration,
        jitter: f64,
    ) -> Option<Duration> {
        if !err.is_transient() || attempt >= self.max_tries {
            return None;
        }
        let wait = match err {
            ApiError::RateLimited { retry_after: Some(after), .. } => *after,
            _ => self.backoff(attempt, jitter),
        };
        (elapsed.saturating_add(wait) <= self.max_total).then_some(wait)
    }

    /// Capped exponential backoff with jitter: `min(max_delay, base · 2^(attempt-1))`, scaled into
    /// its upper half by `jitter`.
    fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let doublings = attempt.saturating_sub(1).min(20);
        let full = self.base_delay.saturating_mul(1 << doublings).min(self.max_delay);
        let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
        full.mul_f64(0.5 + jitter / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::error::TransportKind;

    fn server() -> ApiError {
        ApiError::Server { status: 503, code: None, message: String::new() }
    }

    fn limited(after: Option<u64>) -> ApiError {
        ApiError::RateLimited {
            message: String::new(),
            retry_after: after.map(Duration::from_secs),
            limit: None,
            remaining: None,
        }
    }

    fn ms(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    #[test]
    fn backoff_doubles_within_the_jitter_band_and_is_capped() {
        let p = RetryPolicy { max_tries: 10, max_total: Duration::from_secs(60), ..RetryPolicy::default() };
        assert_eq!(p.delay_after(1, &server(), Duration::ZERO, 0.0), Some(ms(125)));
        assert_eq!(p.delay_after(1, &server(), Duration::ZERO, 1.0), Some(ms(250)));
        assert_eq!(p.delay_after(2, &server(), Duration::ZERO, 1.0), Some(ms(500)));
        assert_eq!(p.delay_after(3, &server(), Duration::ZERO, 0.5), Some(ms(750)));
        // 250 ms · 2^5 = 8 s, capped to 4 s.
        assert_eq!(p.delay_after(6, &server(), Duration::ZERO, 1.0), Some(ms(4000)));
        assert_eq!(p.delay_after(9, &server(), Duration::ZERO, 0.0), Some(ms(2000)));
        // Nonsense jitter does not produce nonsense waits.
        assert_eq!(p.delay_after(1, &server(), Duration::ZERO, f64::NAN), Some(ms(125)));
        assert_eq!(p.delay_after(1, &server(), Duration::ZERO, 7.0), Some(ms(250)));
    }

    #[test]
    fn stops_after_max_tries() {
        let p = RetryPolicy::default();
        assert!(p.delay_after(1, &server(), Duration::ZERO, 0.5).is_some());
        assert!(p.delay_after(2, &server(), Duration::ZERO, 0.5).is_some());
        assert_eq!(p.delay_after(3, &server(), Duration::ZERO, 0.5), None);
        assert_eq!(RetryPolicy::none().delay_after(1, &server(), Duration::ZERO, 0.5), None);
    }

    #[test]
    fn only_transient_errors_are_retried() {
        let p = RetryPolicy::default();
        for kind in [TransportKind::Connect, TransportKind::Reset, TransportKind::Timeout] {
            let e = ApiError::Transport { kind, host: String::new(), detail: String::new() };
            assert!(p.delay_after(1, &e, Duration::ZERO, 0.5).is_some(), "{kind:?}");
        }
        let never = [
            ApiError::Transport { kind: TransportKind::Tls, host: String::new(), detail: String::new() },
            ApiError::Unauthorized { status: 401, code: None, message: String::new() },
            ApiError::InvalidCredentials { message: String::new(), attempts_left: None },
            ApiError::Validation {
                status: 422,
                code: None,
                message: String::new(),
                errors: Default::default(),
            },
            ApiError::Decode { status: 200, detail: String::new() },
            ApiError::TooLarge { limit: 1, of: crate::api::error::Limit::Bytes },
        ];
        for e in never {
            assert_eq!(p.delay_after(1, &e, Duration::ZERO, 0.5), None, "{e:?}");
        }
    }

    #[test]
    fn retry_after_is_obeyed_or_ends_the_retries() {
        let p = RetryPolicy::default();
        // Obeyed exactly, even past max_delay.
        assert_eq!(p.delay_after(1, &limited(Some(1)), Duration::ZERO, 0.0), Some(Duration::from_secs(1)));
        assert_eq!(p.delay_after(1, &limited(Some(6)), Duration::ZERO, 0.9), Some(Duration::from_secs(6)));
        // Too long for the 10 s budget: give up at once.
        assert_eq!(p.delay_after(1, &limited(Some(11)), Duration::ZERO, 0.0), None);
        assert_eq!(p.delay_after(1, &limited(Some(6)), Duration::from_secs(5), 0.0), None);
        // No Retry-After: ordinary backoff.
        assert_eq!(p.delay_after(1, &limited(None), Duration::ZERO, 1.0), Some(ms(250)));
    }

    #[test]
    fn no_retry_would_end_past_max_total() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_after(1, &server(), ms(9_800), 1.0), None);
        assert_eq!(p.delay_after(1, &server(), ms(9_750), 1.0), Some(ms(250)));
    }
}
