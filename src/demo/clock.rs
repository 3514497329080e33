//! The demo clock: real time plus an offset that only ever grows.
//!
//! Everything time-based in the demo (TOTP codes, session and token expiry, lockouts,
//! timestamps) reads this clock, so a test can jump 15 minutes ahead instead of sleeping.
//! Moving backwards is not offered: expiry checks assume time does not run back.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};

/// Real time shifted by an offset that tests can move forward.
#[derive(Debug, Default)]
pub struct DemoClock {
    offset_ms: AtomicI64,
}

impl DemoClock {
    /// The demo's "now".
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Moves the clock forward. Saturates instead of overflowing on absurd values.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        let _ = self.offset_ms.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |cur| {
            // Keep the result representable by chrono (about ±262,000 years).
            Some(cur.saturating_add(ms).min(MAX_OFFSET_MS))
        });
    }

    /// How far ahead of real time the clock runs, in whole seconds.
    pub fn offset_secs(&self) -> i64 {
        self.offset_ms.load(Ordering::SeqCst) / 1000
    }

    /// Seconds since the Unix epoch, as TOTP wants them.
    pub fn unix_secs(&self) -> u64 {
        u64::try_from(self.now().timestamp()).unwrap_or(0)
    }
}

/// A thousand years: far beyond any test, far below chrono's limits.
const MAX_OFFSET_MS: i64 = 1000 * 365 * 24 * 3600 * 1000;

/// Timestamps the way Contentstack writes them: `2016-06-30T05:02:27.516Z`.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_and_offset() {
        let clock = DemoClock::default();
        let before = clock.now();
        clock.advance(Duration::from_secs(900));
        assert_eq!(clock.offset_secs(), 900);
        let gap = clock.now() - before;
        assert!(gap >= chrono::Duration::seconds(900) && gap < chrono::Duration::seconds(960), "{gap}");
    }

    #[test]
    fn absurd_advances_saturate() {
        let clock = DemoClock::default();
        clock.advance(Duration::from_secs(u64::MAX));
        clock.advance(Duration::from_secs(u64::MAX));
        assert_eq!(clock.offset_secs(), MAX_OFFSET_MS / 1000);
        assert!(clock.now().timestamp() > 0);
    }

    #[test]
    fn stamps_have_millis_and_z() {
        let t = DateTime::parse_from_rfc3339("2016-06-30T05:02:27.516Z").map(|t| t.with_timezone(&Utc));
        assert_eq!(t.map(stamp).ok().as_deref(), Some("2016-06-30T05:02:27.516Z"));
    }
}
