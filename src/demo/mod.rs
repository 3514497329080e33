//! An embedded, Contentstack-compatible demo server.
//!
//! `cs-account demo` starts it in-process on a free loopback port and points the TUI at it;
//! `cs-account serve-demo` runs it on its own for other clients (the official JS and Python SDKs
//! and csdx work against it unchanged). It speaks the user and user-session API with
//! Contentstack's status codes and error bodies (see `docs/contentstack-api.md` §1, §2, §3, §11),
//! from seed data embedded in the binary, and adds what a demo needs: a mailbox instead of
//! email and SMS ([`OutboxMessage`](crate::api::outbox::OutboxMessage)), a clock tests can move, injectable faults, a rate limit,
//! and generated large profiles.
//!
//! Routes: `POST/DELETE /v3/user-session`, `GET/PUT /v3/user`, `GET /v3/stacks` (with an
//! optional `organization_uid` header), `POST /v3/user/forgot_password`,
//! `POST /v3/user/reset_password`, `POST /v3/user/activate/{token}`,
//! `POST /v3/user/request_token_sms`; demo-only `GET /demo/outbox`, `GET/PUT/DELETE /demo/faults`,
//! `GET/POST /demo/clock`.
//!
//! Error codes: 104 credentials and lockout, 105 token, 294/295 two-factor, 107
//! ([`CODE_NOT_ACTIVATED`]) account not activated, 119 ([`CODE_VALIDATION`]) field errors, 120
//! ([`CODE_ORGANIZATION_REQUIRED`]) stacks of an SSO organisation asked for without its
//! `organization_uid` header, 121 ([`CODE_NOT_IN_ORGANIZATION`]) an `organization_uid` the user
//! is not in, and the HTTP status for 400/404/405/413/429/503.

mod clock;
mod control;
mod faults;
mod generate;
mod http;
mod oauth;
mod outbox;
mod password;
mod ratelimit;
mod requests;
mod rules;
mod seed;
mod serve;
mod session;
mod stacks;
mod state;
mod user;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;

use crate::api::outbox::OutboxMessage;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rand::SeedableRng;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use faults::{FaultAnswer, Faults, RouteFault};
pub use http::{CODE_NOT_ACTIVATED, CODE_VALIDATION};
pub use password::RESET_TOKEN_MINUTES;
pub use requests::DemoRequest;
pub use session::{LOCK_MINUTES, MAX_FAILED_ATTEMPTS, SMS_CODE_MINUTES};
pub use stacks::{CODE_NOT_IN_ORGANIZATION, CODE_ORGANIZATION_REQUIRED};
pub use user::EDITABLE_FIELDS;

use state::{AppState, Shared, lock};

/// How to run the demo server.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Where to listen. Loopback by default: the demo has published passwords.
    pub addr: SocketAddr,
    /// Allow an address other than loopback. The demo's passwords are published, and
    /// `/demo/outbox` (reset tokens, SMS codes) and `/demo/faults` answer anyone: off unless
    /// asked for (`serve-demo --public`).
    pub public: bool,
    /// How long a connection has to send a whole request head, and then its body; also how long
    /// a kept-alive connection may sit idle.
    pub header_timeout: Duration,
    /// Most connections open at once; `None` for the default (512, or half the open-file limit
    /// when that is lower).
    pub max_connections: Option<usize>,
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
    /// Seeds the draws of the random failure rate, so that a test replaying the same requests
    /// gets the same failures; `None` draws from the OS.
    pub seed: Option<u64>,
}

impl DemoOptions {
    /// Problems with the options themselves, each naming the value given.
    pub fn check(&self) -> Result<(), StartError> {
        let mut problems = Vec::new();
        if !(0.0..=1.0).contains(&self.fail_rate) {
            problems.push(format!("the fail rate must be from 0 to 1 (got {})", self.fail_rate));
        }
        if self.latency > faults::MAX_LATENCY {
            problems.push(format!(
                "the latency must be at most {} ms, 10 minutes (got {} ms)",
                faults::MAX_LATENCY.as_millis(),
                self.latency.as_millis()
            ));
        }
        if self.header_timeout.is_zero() {
            problems.push("the header timeout must be more than zero".into());
        }
        if self.max_connections == Some(0) {
            problems.push("at least one connection must be allowed".into());
        }
        if problems.is_empty() { Ok(()) } else { Err(StartError::Options(problems.join("; "))) }
    }
}

/// Why the demo server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// An option out of range (the message names it and the value given).
    #[error("{0}")]
    Options(String),
    /// A non-loopback address without [`DemoOptions::public`].
    #[error(
        "{0} is not a loopback address. The demo server publishes its passwords, reset tokens (/demo/outbox) and fault controls (/demo/faults) to anyone who can reach it: listen on 127.0.0.1, or add --public to expose it anyway."
    )]
    NotLoopback(SocketAddr),
    /// The address could not be bound.
    #[error("Could not listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    /// The embedded seed data did not load.
    #[error("The demo data could not be loaded: {0}")]
    Seed(String),
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            public: false,
            header_timeout: Duration::from_secs(15),
            max_connections: None,
            latency: Duration::ZERO,
            fail_rate: 0.0,
            roles: None,
            rules: 8,
            rate_limit: 10,
            session_ttl: Duration::from_secs(12 * 3600),
            seed: None,
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
    DemoLogin {
        email: "sso.user@example.com",
        password: "Demo-pass-1234",
        note: "SSO, no 2FA: a password gives no token; ctrl-b signs in with the browser",
    },
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
    /// Checks the options, binds `opts.addr`, loads the seed, and serves in a background task.
    /// Returns at once. A non-loopback address is refused unless `opts.public` is set.
    pub async fn start(opts: DemoOptions) -> Result<DemoServer, StartError> {
        opts.check()?;
        if !opts.addr.ip().is_loopback() && !opts.public {
            return Err(StartError::NotLoopback(opts.addr));
        }
        let faults = Faults {
            latency_ms: u64::try_from(opts.latency.as_millis()).unwrap_or(u64::MAX),
            fail_rate: opts.fail_rate,
            routes: Vec::new(),
        };
        let clock = clock::DemoClock::default();
        let store = seed::load(clock.now(), opts.roles.map(|n| (n, opts.rules))).map_err(StartError::Seed)?;
        let listen = |source| StartError::Listen { addr: opts.addr, source };
        let listener = tokio::net::TcpListener::bind(opts.addr).await.map_err(listen)?;
        let addr = listener.local_addr().map_err(listen)?;
        let state = Arc::new(Shared {
            clock,
            session_ttl: opts.session_ttl,
            store: Mutex::new(store),
            faults: Mutex::new(faults),
            fault_rng: Mutex::new(match opts.seed {
                Some(seed) => rand::rngs::StdRng::seed_from_u64(seed),
                None => rand::rngs::StdRng::from_os_rng(),
            }),
            limiter: ratelimit::Limiter::new(opts.rate_limit),
            body_timeout: opts.header_timeout,
            requests: Mutex::default(),
            shutdown: CancellationToken::new(),
        });
        let limits = serve::Limits {
            header_timeout: opts.header_timeout,
            max_connections: opts.max_connections.unwrap_or_else(serve::default_max_connections),
        };
        let task =
            tokio::spawn(serve::serve(listener, router(Arc::clone(&state)), limits, state.shutdown.clone()));
        tracing::info!(
            %addr, rate_limit = opts.rate_limit, roles = ?opts.roles, max_connections = limits.max_connections,
            "demo server listening"
        );
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

    /// Every message in the outbox, oldest first, with its status by the demo clock.
    pub fn outbox(&self) -> Vec<OutboxMessage> {
        lock(&self.state.store).outbox.all(self.state.clock.now())
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
        .route("/v3/stacks", get(stacks::get_stacks))
        .route("/v3/user/forgot_password", post(password::forgot))
        .route("/v3/user/reset_password", post(password::reset))
        .route("/v3/user/activate/{token}", post(password::activate))
        .route("/v3/user/request_token_sms", post(session::request_sms))
        .method_not_allowed_fallback(method_not_allowed)
        // The last layer added runs first: rate limit, then faults, then the handler.
        .layer(from_fn_with_state(Arc::clone(&state), faults::apply))
        .layer(from_fn_with_state(Arc::clone(&state), ratelimit::apply));
    // The demo's own controls.
    let control = Router::new()
        .route("/demo/outbox", get(control::outbox))
        .route(
            "/demo/faults",
            get(control::get_faults).put(control::put_faults).delete(control::clear_faults),
        )
        .route("/demo/clock", get(control::get_clock).post(control::advance_clock))
        .method_not_allowed_fallback(method_not_allowed);
    // Browser sign-in, played: Contentstack's sign-in page (the authorize query arrives at the
    // root, its form posts to /demo/oauth/…) and the Developer Hub's token endpoint and
    // authorizations, at this server's root when it plays them.
    let sign_in = Router::new()
        .route("/", get(oauth::authorize_page))
        .route("/demo/oauth/approve", post(oauth::approve))
        .route("/demo/oauth/decide", post(oauth::decide))
        .route("/token", post(oauth::token))
        .route("/manifests/{app}/authorizations", get(oauth::authorizations))
        .route("/manifests/{app}/authorizations/{uid}", axum::routing::delete(oauth::revoke))
        .method_not_allowed_fallback(method_not_allowed);
    v3.merge(control)
        .merge(sign_in)
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
    let token = req.headers().get("authtoken").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let bearer = session::bearer_token(req.headers()).map(str::to_string);
    let foreign_token = {
        let store = lock(&state.store);
        token.as_ref().is_some_and(|t| !store.issued.contains(t))
            || bearer.as_ref().is_some_and(|t| !store.oauth.issued(t))
    };
    lock(&state.requests).push(DemoRequest {
        method: method.to_string(),
        route: route.clone().unwrap_or_else(|| "(no route)".into()),
        authtoken: token.is_some(),
        bearer: bearer.is_some(),
        foreign_token,
        organization_uid: req
            .headers()
            .get("organization_uid")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
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
