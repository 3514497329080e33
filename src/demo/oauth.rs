//! The Developer Hub's side of browser sign-in, as the demo plays it: approving a sign-in (what
//! the user does on Contentstack's authorize page; `POST /demo/oauth/approve` does it without a
//! browser, for tests and scripts) and `POST /token` for both grants, checking what a real OAuth
//! server checks (PKCE verifier, a code used once and within 60 s of the demo clock, the same
//! client and redirect URI), with OAuth's own error answers.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::json;

use super::state::{AppState, lock};
use crate::api::oauth::challenge;

/// How long a code may wait for its exchange (Contentstack's: 60 s).
const CODE_LIFE: Duration = Duration::seconds(60);
/// How long an access token lives (Contentstack's: an hour).
const ACCESS_LIFE: i64 = 3600;

/// A code handed to the browser, until it is exchanged.
pub(crate) struct Code {
    user: usize,
    client_id: String,
    redirect_uri: String,
    challenge: String,
    expires_at: DateTime<Utc>,
}

/// Sign-ins approved and their tokens.
#[derive(Default)]
pub(crate) struct OAuthStore {
    codes: HashMap<String, Code>,
    /// Refresh token → the authorization it belongs to.
    refresh: HashMap<String, String>,
    /// Access token → user, expiry (on the demo clock) and authorization; kept after expiry and
    /// revocation, so the request log can tell a dead token of this server from another server's.
    access: HashMap<String, (usize, DateTime<Utc>, String)>,
    /// Authorization uid → who authorized which client (one per user and client, as the
    /// Developer Hub lists them).
    authorizations: HashMap<String, (usize, String)>,
}

impl OAuthStore {
    /// The user of a live access token.
    pub fn access_user(&self, token: &str, now: DateTime<Utc>) -> Option<usize> {
        self.access
            .get(token)
            .filter(|(_, expires, auth)| *expires > now && self.authorizations.contains_key(auth))
            .map(|(user, ..)| *user)
    }

    /// Whether this server ever issued `token` as an access token.
    pub fn issued(&self, token: &str) -> bool {
        self.access.contains_key(token)
    }
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({"error": error, "error_description": description}))).into_response()
}

fn random_token(prefix: &str) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    format!("{prefix}{:032x}", rng.random::<u128>())
}

#[derive(Deserialize)]
pub(crate) struct Approve {
    email: String,
    client_id: String,
    redirect_uri: String,
    #[serde(default)]
    state: Option<String>,
    code_challenge: String,
    #[serde(default)]
    code_challenge_method: Option<String>,
}

/// `POST /demo/oauth/approve`: the user approves the sign-in as `email`; the answer is where the
/// browser would be sent, the code and `state` in its query.
pub(crate) async fn approve(State(state): State<AppState>, Json(a): Json<Approve>) -> Response {
    match redirect_for(&state, a) {
        Ok(redirect) => Json(json!({"redirect": redirect.as_str()})).into_response(),
        Err((error, why)) => oauth_error(StatusCode::BAD_REQUEST, error, why),
    }
}

/// Where the browser goes once `a` is approved: the redirect URI with a fresh code and `state`.
/// A refusal is OAuth's error code and its description.
fn redirect_for(state: &AppState, a: Approve) -> Result<url::Url, (&'static str, &'static str)> {
    if a.code_challenge_method.as_deref().is_some_and(|m| m != "S256") {
        return Err(("invalid_request", "Only the S256 code challenge method is supported."));
    }
    let mut redirect = url::Url::parse(&a.redirect_uri)
        .map_err(|_| ("invalid_request", "The redirect URI is not a URL."))?;
    let now = state.clock.now();
    let mut store = lock(&state.store);
    let Some(user) = store.user_index(&a.email) else {
        return Err(("access_denied", "No such demo user."));
    };
    let code = random_token("code");
    store.oauth.codes.insert(
        code.clone(),
        Code {
            user,
            client_id: a.client_id,
            redirect_uri: a.redirect_uri,
            challenge: a.code_challenge,
            expires_at: now + CODE_LIFE,
        },
    );
    {
        let mut q = redirect.query_pairs_mut();
        q.append_pair("code", &code);
        if let Some(s) = &a.state {
            q.append_pair("state", s);
        }
        q.append_pair("location", "NA");
    }
    Ok(redirect)
}

/// Escapes text for an HTML attribute or element.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// `GET /` with an authorize query (what the browser opens on a sign-in): a plain page asking
/// which demo user authorizes the app, or denying it.
pub(crate) async fn authorize_page(
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    if get("response_type") != "code" || get("redirect_uri").is_empty() {
        return (StatusCode::NOT_FOUND, "This is the cs-account demo server.").into_response();
    }
    let hidden: String = ["client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method"]
        .iter()
        .map(|k| format!("<input type=\"hidden\" name=\"{k}\" value=\"{}\">", html(get(k))))
        .collect();
    let users: String = super::DEMO_LOGINS
        .iter()
        .filter(|l| !l.password.is_empty())
        .map(|l| format!("<button name=\"email\" value=\"{0}\">Authorize as {0}</button> ", html(l.email)))
        .collect();
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Authorize cs-account</title></head>\
         <body style=\"font-family: sans-serif; margin: 3em\"><h1>Authorize cs-account?</h1>\
         <p>The demo server plays Contentstack's sign-in: choose who signs in, or deny.</p>\
         <form method=\"post\" action=\"/demo/oauth/decide\">{hidden}{users}\
         <button name=\"email\" value=\"\">Deny</button></form></body></html>"
    );
    ([(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

/// `POST /demo/oauth/decide`: the authorize page's answer; the browser is sent on to the
/// redirect URI, with a code, or with `error=access_denied` when denied.
pub(crate) async fn decide(State(state): State<AppState>, body: Bytes) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let target = if get("email").is_empty() {
        let Ok(mut denied) = url::Url::parse(&get("redirect_uri")) else {
            return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "The redirect URI is not a URL.");
        };
        denied.query_pairs_mut().append_pair("error", "access_denied").append_pair("state", &get("state"));
        denied
    } else {
        let a = Approve {
            email: get("email"),
            client_id: get("client_id"),
            redirect_uri: get("redirect_uri"),
            state: Some(get("state")).filter(|s| !s.is_empty()),
            code_challenge: get("code_challenge"),
            code_challenge_method: Some(get("code_challenge_method")).filter(|m| !m.is_empty()),
        };
        match redirect_for(&state, a) {
            Ok(url) => url,
            Err((error, why)) => return oauth_error(StatusCode::BAD_REQUEST, error, why),
        }
    };
    (StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, target.to_string())]).into_response()
}

/// `POST /token`: `authorization_code` (with the PKCE verifier) or `refresh_token`, as a form.
pub(crate) async fn token(State(state): State<AppState>, body: Bytes) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let now = state.clock.now();
    let mut store = lock(&state.store);
    let (user, client_id) = match get("grant_type") {
        "authorization_code" => {
            // A code is good once, whatever follows.
            let Some(code) = store.oauth.codes.remove(get("code")) else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The authorization code is invalid or was used already.",
                );
            };
            if code.expires_at <= now {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The authorization code has expired.",
                );
            }
            if code.client_id != get("client_id") || code.redirect_uri != get("redirect_uri") {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The client or redirect URI does not match the authorization.",
                );
            }
            if challenge(get("code_verifier")) != code.challenge {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The code verifier does not match the code challenge.",
                );
            }
            (code.user, code.client_id)
        }
        "refresh_token" => match store
            .oauth
            .refresh
            .remove(get("refresh_token"))
            .and_then(|auth| store.oauth.authorizations.get(&auth).cloned())
        {
            Some((user, client)) if client == get("client_id") => (user, client),
            _ => {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The refresh token is invalid or was revoked.",
                );
            }
        },
        _ => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Use authorization_code or refresh_token.",
            );
        }
    };
    let (access, refresh) = (random_token("csat"), random_token("csrt"));
    let existing = store.oauth.authorizations.iter().find(|(_, a)| **a == (user, client_id.clone()));
    let auth = match existing {
        Some((uid, _)) => uid.clone(),
        None => {
            let uid = random_token("auth");
            store.oauth.authorizations.insert(uid.clone(), (user, client_id));
            uid
        }
    };
    store.oauth.access.insert(access.clone(), (user, now + Duration::seconds(ACCESS_LIFE), auth.clone()));
    store.oauth.refresh.insert(refresh.clone(), auth);
    let found = store.users.get(user);
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).unwrap_or("").to_string();
    let org = text(found.and_then(|u| u.organizations.first()).and_then(|o| o.get("uid")));
    let uid = text(found.and_then(|u| u.profile.get("uid")));
    Json(json!({
        "access_token": access, "refresh_token": refresh, "expires_in": ACCESS_LIFE, "token_type": "Bearer",
        "organization_uid": org, "user_uid": uid, "location": "NA", "authorization_type": "user"
    }))
    .into_response()
}

/// `GET /manifests/{app_id}/authorizations`: the app's authorizations the caller can see (in
/// the demo, all of them: the client must pick its own by user uid, as with an organisation
/// admin's token on the real Developer Hub).
pub(crate) async fn authorizations(
    State(state): State<AppState>,
    _authed: super::session::Authed,
) -> Response {
    let store = lock(&state.store);
    let data: Vec<serde_json::Value> = store
        .oauth
        .authorizations
        .iter()
        .map(|(uid, (user, client))| {
            let user_uid = store.users.get(*user).and_then(|u| u.profile.get("uid")).cloned();
            json!({"authorization_uid": uid, "client_id": client, "user": {"uid": user_uid}})
        })
        .collect();
    Json(json!({ "data": data })).into_response()
}

/// `DELETE /manifests/{app_id}/authorizations/{uid}`: the caller's own authorization ends, and
/// every token issued under it with it (refresh tokens refused, access tokens answered 401).
pub(crate) async fn revoke(
    State(state): State<AppState>,
    authed: super::session::Authed,
    axum::extract::Path((_app, uid)): axum::extract::Path<(String, String)>,
) -> Response {
    let mut store = lock(&state.store);
    match store.oauth.authorizations.get(&uid) {
        None => return super::http::ApiFailure::not_found().into_response(),
        Some((user, _)) if *user != authed.user => {
            return super::http::ApiFailure::new(
                StatusCode::FORBIDDEN,
                403,
                "You can only revoke your own authorization.",
                None,
            )
            .into_response();
        }
        Some(_) => {}
    }
    store.oauth.authorizations.remove(&uid);
    store.oauth.refresh.retain(|_, auth| *auth != uid);
    tracing::info!("demo: an OAuth authorization was revoked");
    Json(json!({"notice": "The authorization was revoked."})).into_response()
}
