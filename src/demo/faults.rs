//! Misbehaviour on demand, so the TUI's handling of slow, failing and broken servers can be seen
//! and tested: a fixed latency, a random failure rate, and forced answers for one route (a
//! status, a truncated body, a request that never answers, a dropped connection).
//!
//! Faults apply to `/v3/*` only; `/demo/*` keeps working so a test can always clear them.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::http::{ApiFailure, FieldErrors, json_response, raw_json};
use super::state::{AppState, lock};

/// The longest latency a fault may add.
pub const MAX_LATENCY: Duration = Duration::from_secs(600);
/// Most forced answers in force at once. Every `/v3` request looks through them, and a test
/// needs a handful: a cap keeps both the memory and the scan small.
pub const MAX_ROUTES: usize = 100;
/// Largest `PUT /demo/faults` body, in bytes: a hundred routes with modest forced bodies.
pub(crate) const MAX_FAULTS_BODY: usize = 256 * 1024;

/// The faults in force. `PUT /demo/faults` takes and `GET /demo/faults` gives this structure.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Faults {
    /// Added to every `/v3` request before it is handled.
    #[serde(default)]
    pub latency_ms: u64,
    /// Share of `/v3` requests (0.0 to 1.0) answered with a 503 instead of being handled.
    #[serde(default)]
    pub fail_rate: f64,
    /// Forced answers for one route each; the first match wins.
    #[serde(default)]
    pub routes: Vec<RouteFault>,
}

/// A forced answer for requests matching `method` and `path`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RouteFault {
    /// `GET`, `post`, ... (any case), or `*` for every method.
    pub method: String,
    /// The request path, with or without the `/v3` prefix: `/v3/user` and `/user` are the same.
    pub path: String,
    pub answer: FaultAnswer,
    /// How many requests get this answer before the fault goes away; `None` keeps it until
    /// the faults are replaced or cleared.
    #[serde(default)]
    pub times: Option<u32>,
}

/// What a faulted request gets.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultAnswer {
    /// This status, with this JSON body (a Contentstack-style error body when `None`).
    Status {
        status: u16,
        #[serde(default)]
        body: Option<Value>,
    },
    /// The request is handled, but its answer becomes a 200 whose JSON is cut in half.
    Malformed,
    /// No answer ever: the request waits until the server shuts down.
    Hang,
    /// The connection is dropped without an HTTP answer.
    Reset,
}

impl Faults {
    /// Only these routes' faults (no latency, no random failures).
    pub fn routes(routes: Vec<RouteFault>) -> Faults {
        Faults { routes, ..Faults::default() }
    }

    /// Problems that would make the faults meaningless, as a 422 with field errors.
    pub(crate) fn validate(&self) -> Result<(), ApiFailure> {
        let mut errors = FieldErrors::default();
        if !(0.0..=1.0).contains(&self.fail_rate) {
            errors.add("fail_rate", "must be between 0.0 and 1.0.");
        }
        if u128::from(self.latency_ms) > MAX_LATENCY.as_millis() {
            errors.add("latency_ms", "must be at most 600000 (10 minutes).");
        }
        if self.routes.len() > MAX_ROUTES {
            errors.add(
                "routes",
                &format!("must hold at most {MAX_ROUTES} faults (got {}).", self.routes.len()),
            );
        }
        for (i, r) in self.routes.iter().enumerate().take(MAX_ROUTES) {
            if r.method.trim() != "*" && Method::from_bytes(r.method.trim().as_bytes()).is_err() {
                errors.add(&format!("routes[{i}].method"), "is not an HTTP method or *.");
            }
            if !r.path.starts_with('/') {
                errors.add(&format!("routes[{i}].path"), "must start with /.");
            }
            if let FaultAnswer::Status { status, .. } = r.answer
                && !(200..=599).contains(&status)
            {
                errors
                    .add(&format!("routes[{i}].answer.status"), "must be a final HTTP status (200 to 599).");
            }
        }
        errors.into_result()
    }

    /// Drops faults that can never fire (`times: 0`).
    pub(crate) fn normalised(mut self) -> Self {
        self.routes.retain(|r| r.times != Some(0));
        self
    }

    /// The forced answer for this request, if any, counting a use of it.
    fn take(&mut self, method: &Method, path: &str) -> Option<FaultAnswer> {
        let i = self.routes.iter().position(|r| r.matches(method, path))?;
        let route = &mut self.routes[i];
        let answer = route.answer.clone();
        if let Some(left) = route.times.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.routes.remove(i);
            }
        }
        Some(answer)
    }
}

impl RouteFault {
    /// `method` requests to `path` answered with `status` and Contentstack's error body for it,
    /// `times` times (`None`: until the faults change).
    pub fn status(method: &str, path: &str, status: u16, times: Option<u32>) -> RouteFault {
        let answer = FaultAnswer::Status { status, body: None };
        RouteFault { method: method.into(), path: path.into(), answer, times }
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        let m = self.method.trim();
        let method_ok = m == "*" || m.eq_ignore_ascii_case(method.as_str());
        let want = self.path.trim_end_matches('/');
        let have = path.trim_end_matches('/');
        method_ok && (have == want || have.strip_prefix("/v3") == Some(want))
    }
}

/// The faults in force, behind the server's mutex.
pub(crate) type FaultState = Faults;

/// Middleware for `/v3`: applies the faults in force before (or instead of) the handler.
pub(crate) async fn apply(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (latency, fail_rate, forced) = {
        let mut faults = lock(&state.faults);
        let forced = faults.take(req.method(), req.uri().path());
        (faults.latency_ms, faults.fail_rate, forced)
    };
    if latency > 0 {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(latency)) => {}
            _ = state.shutdown.cancelled() => return connection_reset(),
        }
    }
    match forced {
        Some(FaultAnswer::Status { status, body }) => {
            tracing::info!(status, path = %req.uri().path(), "demo fault: forced status");
            return forced_status(status, body);
        }
        Some(FaultAnswer::Malformed) => {
            tracing::info!(path = %req.uri().path(), "demo fault: malformed answer");
            return truncate(next.run(req).await).await;
        }
        Some(FaultAnswer::Hang) => {
            tracing::info!(path = %req.uri().path(), "demo fault: hanging until shutdown");
            state.shutdown.cancelled().await;
            return connection_reset();
        }
        Some(FaultAnswer::Reset) => {
            tracing::info!(path = %req.uri().path(), "demo fault: connection reset");
            return connection_reset();
        }
        None => {}
    }
    if fail_rate > 0.0 && lock(&state.fault_rng).random::<f64>() < fail_rate {
        tracing::info!(path = %req.uri().path(), "demo fault: random failure");
        return ApiFailure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            503,
            format!("The demo server failed this request on purpose (fail rate {fail_rate})."),
            None,
        )
        .into_response();
    }
    next.run(req).await
}

fn forced_status(status: u16, body: Option<Value>) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = body.unwrap_or_else(|| {
        json!({
            "error_message": format!("Forced answer from the demo server (HTTP {}).", code.as_u16()),
            "error_code": code.as_u16(),
        })
    });
    json_response(code, &body)
}

/// A 200 carrying the first half of the real answer's JSON. A proper prefix of a JSON object
/// is never valid JSON, so clients must treat it as a decode error.
async fn truncate(resp: Response) -> Response {
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap_or_default();
    let cut = (bytes.len() / 2).max(1).min(bytes.len());
    let mut out = bytes[..cut].to_vec();
    if out.is_empty() || serde_json::from_slice::<Value>(&out).is_ok() {
        out = b"{\"user\":{\"uid\":\"blt".to_vec();
    }
    raw_json(StatusCode::OK, out)
}

/// An answer whose body fails at once. hyper then drops the connection without sending the
/// status line it had only buffered, so the client sees the connection close with no answer
/// ("connection closed before message completed"), as after a reset.
pub(crate) fn connection_reset() -> Response {
    let stream = futures::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "demo fault: connection reset",
        ))
    });
    Response::new(Body::from_stream(stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: &str, path: &str, times: Option<u32>) -> RouteFault {
        RouteFault { method: method.into(), path: path.into(), answer: FaultAnswer::Hang, times }
    }

    #[test]
    fn matching_ignores_case_prefix_and_trailing_slash() {
        let r = route("get", "/user", None);
        assert!(r.matches(&Method::GET, "/v3/user"));
        assert!(r.matches(&Method::GET, "/v3/user/"));
        assert!(!r.matches(&Method::PUT, "/v3/user"));
        assert!(!r.matches(&Method::GET, "/v3/user-session"));
        assert!(route("*", "/v3/user-session", None).matches(&Method::DELETE, "/v3/user-session"));
    }

    #[test]
    fn times_count_down_then_the_fault_goes() {
        let mut f = Faults { routes: vec![route("GET", "/v3/user", Some(2))], ..Default::default() };
        assert!(f.take(&Method::GET, "/v3/user").is_some());
        assert_eq!(f.routes[0].times, Some(1));
        assert!(f.take(&Method::GET, "/v3/user").is_some());
        assert!(f.routes.is_empty());
        assert!(f.take(&Method::GET, "/v3/user").is_none());
        let mut forever = Faults { routes: vec![route("GET", "/v3/user", None)], ..Default::default() };
        for _ in 0..5 {
            assert!(forever.take(&Method::GET, "/v3/user").is_some());
        }
    }

    #[test]
    fn validation_names_each_bad_field() {
        let f = Faults {
            fail_rate: 1.5,
            routes: vec![RouteFault {
                method: "GE T".into(),
                path: "user".into(),
                answer: FaultAnswer::Status { status: 42, body: None },
                times: None,
            }],
            ..Default::default()
        };
        let err = f.validate().err().map(|e| e.body);
        let errors = err.as_ref().and_then(|b| b.get("errors")).cloned().unwrap_or_default();
        for key in ["fail_rate", "routes[0].method", "routes[0].path", "routes[0].answer.status"] {
            assert!(errors.get(key).is_some(), "{key} missing in {errors}");
        }
        assert!(Faults::default().validate().is_ok());
        assert!(Faults { fail_rate: f64::NAN, ..Default::default() }.validate().is_err());
    }

    #[test]
    fn wire_format() {
        let v = json!({"latency_ms": 5, "routes": [
            {"method": "GET", "path": "/v3/user", "answer": {"kind": "status", "status": 503}, "times": 1},
            {"method": "POST", "path": "/v3/user-session", "answer": {"kind": "reset"}}
        ]});
        let f: Faults = serde_json::from_value(v).unwrap_or_default();
        assert_eq!(f.latency_ms, 5);
        assert_eq!(f.routes.len(), 2);
        assert_eq!(f.routes[0].answer, FaultAnswer::Status { status: 503, body: None });
        assert_eq!(f.routes[1].answer, FaultAnswer::Reset);
        assert_eq!(f.routes[1].times, None);
    }
}
