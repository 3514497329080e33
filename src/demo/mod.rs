//! An embedded, Contentstack-compatible demo server.
//!
//! `cs-account demo` starts it in-process on a free loopback port and points the TUI at it;
//! `cs-account serve-demo` runs it on its own for other clients (the official JS and Python SDKs
//! and csdx work against it unchanged). It speaks the user and user-session API with
//! Contentstack's status codes and error bodies (see `docs/contentstack-api.md` §1, §2, §3, §11),
//! from seed data embedded in the binary, and adds what a demo needs: a mailbox instead of
//! email and SMS ([`OutboxMessage`]), a clock tests can move, injectable faults, a rate limit,
//! and generated large profiles.
//!
//! Routes: `POST/DELETE /v3/user-session`, `GET/PUT /v3/user`, `POST /v3/user/forgot_password`,
//! `POST /v3/user/reset_password`, `POST /v3/user/activate/{token}`,
//! `POST /v3/user/request_token_sms`; demo-only `GET /demo/outbox`, `GET/PUT/DELETE /demo/faults`,
//! `GET/POST /demo/clock`.
//!
//! Error codes: 104 credentials and lockout, 105 token, 294/295 two-factor, 107
//! ([`CODE_NOT_ACTIVATED`]) account not activated, 119 ([`CODE_VALIDATION`]) field errors, and
//! the HTTP status for 400/404/405/413/429/503.

mod clock;
mod control;
mod faults;
mod generate;
mod http;
mod outbox;
mod password;
mod ratelimit;
mod requests;
mod rules;
mod seed;
mod session;
mod state;
mod user;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use faults::{FaultAnswer, Faults, RouteFault};
pub use http::{CODE_NOT_ACTIVATED, CODE_VALIDATION};
pub use outbox::{OutboxKind, OutboxMessage};
pub use password::RESET_TOKEN_MINUTES;
pub use requests::DemoRequest;
pub use session::{LOCK_MINUTES, MAX_FAILED_ATTEMPTS, SMS_CODE_MINUTES};
pub use user::EDITABLE_FIELDS;

use state::{AppState, Shared, lock};

/// How to run the demo server.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Where to listen. Loopback by default: the demo has published passwords.
    pub addr: SocketAddr,
    /// Added to every `/v3` request (changeable later through [`Faults::latency_ms`]).
    pub latency: Duration,
    /// Share of `/v3` requests failing with 503, 0.0 to 1.0.
    pub fail_rate: f64,
    /// Replace john.doe's roles with this many generated roles...
    pub roles: Option<usize>,
    /// ...of this many rules each (used only with `roles`).
    pub rules: usize,
    /// Requests per second per client IP on `/v3`; 0 turns the limit off.
    pub rate_limit: u32,
    /// How long a session lives, in demo time.
    pub session_ttl: Duration,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            latency: Duration::ZERO,
            fail_rate: 0.0,
            roles: None,
            rules: 8,
            rate_limit: 10,
            session_ttl: Duration::from_secs(12 * 3600),
        }
    }
}

/// A demo account, for the login screen's hints.
#[derive(Debug, Clone, Copy)]
pub struct DemoLogin {
    pub email: &'static str,
    pub password: &'static str,
    pub note: &'static str,
}

/// The seeded accounts (they match `assets/demo/users.json`).
pub const DEMO_LOGINS: &[DemoLogin] = &[
    DemoLogin {
        email: "john.doe@example.com",
        password: "Demo-pass-1234",
        note: "the sample profile from Contentstack's docs; no 2FA",
    },
    DemoLogin {
        email: "tfa.user@example.com",
        password: "Demo-pass-1234",
        note: "2FA: code from the TOTP secret below or by SMS",
    },
    // No password yet: activation (see the mailbox) sets one.
    DemoLogin { email: "new.user@example.com", password: "", note: "not activated: see the mailbox" },
];

/// Base32 TOTP secret of `tfa.user@example.com` (RFC 6238, SHA-1, 6 digits, 30 s). Public on
/// purpose: the demo shows it so anyone can produce codes.
pub const TFA_SECRET: &str = "UJV5XUFA63AN2Z6FRGLPVLSWG43VP6UY";

/// The current code for [`TFA_SECRET`] by the real system clock (the TUI shows it in demo mode).
/// A server whose clock was advanced expects codes for its own time; see [`DemoServer::now`].
pub fn totp_now() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    session::totp().map(|t| t.generate(secs)).unwrap_or_default()
}

/// A running demo server. Dropping it stops it too, without waiting.
pub struct DemoServer {
    addr: SocketAddr,
    state: AppState,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl DemoServer {
    /// Binds `opts.addr`, loads the seed, and serves in a background task. Returns at once.
    pub async fn start(opts: DemoOptions) -> std::io::Result<DemoServer> {
        let invalid = |msg: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, msg);
        let faults = Faults {
            latency_ms: u64::try_from(opts.latency.as_millis()).unwrap_or(u64::MAX),
            fail_rate: opts.fail_rate,
            routes: Vec::new(),
        };
        if faults.validate().is_err() {
            return Err(invalid(format!(
                "demo: fail rate must be 0.0 to 1.0 and latency at most 10 minutes (got {} and {:?})",
                opts.fail_rate, opts.latency
            )));
        }
        let clock = clock::DemoClock::default();
        let store = seed::load(clock.now(), opts.roles.map(|n| (n, opts.rules)))
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        let listener = tokio::net::TcpListener::bind(opts.addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Shared {
            clock,
            session_ttl: opts.session_ttl,
            store: Mutex::new(store),
            faults: Mutex::new(faults),
            limiter: ratelimit::Limiter::new(opts.rate_limit),
            requests: Mutex::default(),
            shutdown: CancellationToken::new(),
        });
        let app = router(Arc::clone(&state)).into_make_service_with_connect_info::<SocketAddr>();
        let stop = state.shutdown.clone();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).with_graceful_shutdown(stop.cancelled_owned()).await
        });
        tracing::info!(%addr, rate_limit = opts.rate_limit, roles = ?opts.roles, "demo server listening");
        Ok(DemoServer { addr, state, task: Some(task) })
    }

    /// The address it listens on (with the real port when started on port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without `/v3`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The demo clock's time (what TOTP codes, expiry and timestamps use).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.state.clock.now()
    }

    /// Moves the demo clock forward.
    pub fn advance_clock(&self, by: Duration) {
        self.state.clock.advance(by);
    }

    /// Replaces the faults in force, as `PUT /demo/faults` does. Out-of-range values are
    /// clamped (fail rate into 0..=1) and statuses outside 200..=599 answer 500.
    pub fn set_faults(&self, faults: Faults) {
        let mut faults = faults.normalised();
        faults.fail_rate = if faults.fail_rate.is_nan() { 0.0 } else { faults.fail_rate.clamp(0.0, 1.0) };
        *lock(&self.state.faults) = faults;
    }

    /// The faults in force.
    pub fn faults(&self) -> Faults {
        lock(&self.state.faults).clone()
    }

    /// Every message in the outbox, oldest first.
    pub fn outbox(&self) -> Vec<OutboxMessage> {
        lock(&self.state.store).outbox.all()
    }

    /// The requests received so far (the latest 1000), oldest first.
    pub fn requests(&self) -> Vec<DemoRequest> {
        lock(&self.state.requests).all()
    }

    /// The stored user (profile, roles, organisations; not the password), for tests.
    pub fn user_snapshot(&self, email: &str) -> Option<serde_json::Value> {
        let store = lock(&self.state.store);
        store.user_index(email).map(|i| store.users[i].snapshot())
    }

    /// Stops accepting, ends hung requests, waits (up to 5 s) for answers in flight.
    pub async fn shutdown(mut self) {
        self.state.shutdown.cancel();
        if let Some(mut task) = self.task.take() {
            match tokio::time::timeout(Duration::from_secs(5), &mut task).await {
                Ok(Ok(Err(err))) => tracing::warn!(%err, "demo server stopped with an error"),
                Ok(_) => {}
                Err(_) => {
                    tracing::warn!("demo server did not stop within 5 s; aborting it");
                    task.abort();
                }
            }
        }
        tracing::info!(addr = %self.addr, "demo server stopped");
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.state.shutdown.cancel();
    }
}

fn router(state: AppState) -> Router {
    let v3 = Router::new()
        .route("/v3/user-session", post(session::login).delete(session::logout))
        .route("/v3/user", get(user::get_user).put(user::update_user))
        .route("/v3/user/forgot_password", post(password::forgot))
        .route("/v3/user/reset_password", post(password::reset))
        .route("/v3/user/activate/{token}", post(password::activate))
        .route("/v3/user/request_token_sms", post(session::request_sms))
        .method_not_allowed_fallback(method_not_allowed)
        // The last layer added runs first: rate limit, then faults, then the handler.
        .layer(from_fn_with_state(Arc::clone(&state), faults::apply))
        .layer(from_fn_with_state(Arc::clone(&state), ratelimit::apply));
    let demo = Router::new()
        .route("/demo/outbox", get(control::outbox))
        .route(
            "/demo/faults",
            get(control::get_faults).put(control::put_faults).delete(control::clear_faults),
        )
        .route("/demo/clock", get(control::get_clock).post(control::advance_clock))
        .method_not_allowed_fallback(method_not_allowed);
    v3.merge(demo)
        .fallback(not_found)
        .layer(from_fn_with_state(Arc::clone(&state), log_request))
        .with_state(state)
}

async fn not_found() -> Response {
    http::ApiFailure::not_found().into_response()
}

async fn method_not_allowed() -> Response {
    http::ApiFailure::new(
        StatusCode::METHOD_NOT_ALLOWED,
        405,
        "This method is not allowed on this path.",
        None,
    )
    .into_response()
}

/// One log line per request, and an entry in the request log, with the route pattern rather than
/// the path, so activation tokens in paths never reach either.
async fn log_request(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string());
    lock(&state.requests).push(DemoRequest {
        method: method.to_string(),
        route: route.clone().unwrap_or_else(|| "(no route)".into()),
        authtoken: req.headers().contains_key("authtoken"),
    });
    let started = Instant::now();
    let resp = next.run(req).await;
    tracing::debug!(
        %method,
        route = route.as_deref().unwrap_or("(no route)"),
        status = resp.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "demo request"
    );
    resp
}
