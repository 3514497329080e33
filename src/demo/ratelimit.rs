//! Per-client rate limiting, so the TUI's handling of 429 (wait, then retry) can be exercised.
//!
//! A fixed one-second window per client IP: the first request opens the window, and requests
//! past the limit inside it get 429 with `Retry-After` (whole seconds until the window ends,
//! at least 1). Every `/v3` answer carries `X-RateLimit-Limit` and `X-RateLimit-Remaining`, as
//! Contentstack's do. Real time is used, not the demo clock: this is about actual traffic.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::http::ApiFailure;
use super::state::{AppState, lock};

const WINDOW: Duration = Duration::from_secs(1);
/// Clients remembered at once before stale windows are swept.
const MAX_CLIENTS: usize = 4096;

/// What the limiter decided for one request.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Go ahead; this many more fit in the current window.
    Allowed { remaining: u32 },
    /// Refused; try again in this many seconds.
    Limited { retry_after_secs: u64 },
}

struct Window {
    start: Instant,
    count: u32,
}

/// Request counts per client IP.
pub(crate) struct Limiter {
    /// Requests per second per client; 0 turns limiting off.
    pub limit: u32,
    windows: Mutex<HashMap<IpAddr, Window>>,
}

impl Limiter {
    pub fn new(limit: u32) -> Self {
        Limiter { limit, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts one request from `ip` at `now`.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Decision {
        let mut windows = lock(&self.windows);
        if windows.len() >= MAX_CLIENTS && !windows.contains_key(&ip) {
            windows.retain(|_, w| now.duration_since(w.start) < WINDOW);
        }
        let w = windows.entry(ip).or_insert(Window { start: now, count: 0 });
        if now.duration_since(w.start) >= WINDOW {
            *w = Window { start: now, count: 0 };
        }
        if w.count >= self.limit {
            let left = WINDOW.saturating_sub(now.duration_since(w.start));
            let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            return Decision::Limited { retry_after_secs: secs.max(1) };
        }
        w.count += 1;
        Decision::Allowed { remaining: self.limit - w.count }
    }
}

/// Middleware for `/v3`.
pub(crate) async fn apply(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = state.limiter.limit;
    if limit == 0 {
        return next.run(req).await;
    }
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let limit_header = (HeaderName::from_static("x-ratelimit-limit"), HeaderValue::from(limit));
    // tokio's clock, which is the system's except in tests that pause it to repeat a run.
    match state.limiter.check(ip, tokio::time::Instant::now().into_std()) {
        Decision::Allowed { remaining } => {
            let mut resp = next.run(req).await;
            let headers = resp.headers_mut();
            headers.insert(limit_header.0, limit_header.1);
            headers.insert(HeaderName::from_static("x-ratelimit-remaining"), HeaderValue::from(remaining));
            resp
        }
        Decision::Limited { retry_after_secs } => {
            tracing::info!(%ip, "demo: rate limit hit");
            ApiFailure::new(
                StatusCode::TOO_MANY_REQUESTS,
                429,
                "Too many requests. Please wait and try again.",
                None,
            )
            .with_header(header::RETRY_AFTER, HeaderValue::from(retry_after_secs))
            .with_header(limit_header.0, limit_header.1)
            .with_header(HeaderName::from_static("x-ratelimit-remaining"), HeaderValue::from(0u32))
            .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_fills_then_reopens() {
        let l = Limiter::new(3);
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let t0 = Instant::now();
        assert_eq!(l.check(ip, t0), Decision::Allowed { remaining: 2 });
        assert_eq!(l.check(ip, t0), Decision::Allowed { remaining: 1 });
        assert_eq!(l.check(ip, t0), Decision::Allowed { remaining: 0 });
        assert_eq!(l.check(ip, t0 + Duration::from_millis(100)), Decision::Limited { retry_after_secs: 1 });
        let other = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
        assert_eq!(l.check(other, t0), Decision::Allowed { remaining: 2 }, "clients are counted apart");
        assert_eq!(l.check(ip, t0 + WINDOW), Decision::Allowed { remaining: 2 });
    }
}
