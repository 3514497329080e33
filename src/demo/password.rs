//! Password flows without a session: `POST /v3/user/forgot_password`,
//! `POST /v3/user/reset_password` and `POST /v3/user/activate/{token}`.
//!
//! `forgot_password` answers the same whatever the address, so it cannot be used to find out
//! who has an account. Reset tokens are 128 random bits, work once, and expire after 60 minutes
//! of demo time, as Contentstack documents. A successful reset also lifts a lockout: that is
//! what a locked-out user is told to do.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use super::clock::stamp;
use super::http::{ApiFailure, FieldErrors, JsonBody, notice};
use super::outbox::{Carries, Draft};
use super::rules::{Field, check_profile, field};
use super::seed::APP_URL;
use super::state::{AppState, OneTimeToken, Store, email_key, lock, one_time_token};
use crate::api::outbox::{OutboxKind, OutboxStatus};
use crate::api::rules::password_rule_failures;

/// How long a reset token works, in minutes of demo time.
pub const RESET_TOKEN_MINUTES: i64 = 60;
/// Unused reset tokens kept per user; asking again drops the oldest.
const MAX_RESET_TOKENS_PER_USER: usize = 5;

const INVALID_TOKEN: &str = "is invalid or has already been used.";
const EXPIRED_TOKEN: &str = "has expired. Request a new one.";

/// `POST /v3/user/forgot_password`.
pub(crate) async fn forgot(State(state): State<AppState>, body: JsonBody) -> Result<Response, ApiFailure> {
    let user = body.user()?;
    let email = match field(&user, "email") {
        Field::Text(s) if !s.trim().is_empty() => s.trim().to_string(),
        Field::NotText => return Err(one_error("email", "must be text.")),
        _ => return Err(one_error("email", "can't be blank.")),
    };
    let now = state.clock.now();
    let mut store = lock(&state.store);
    match store.user_index(&email) {
        Some(i) if store.users[i].is_active() => send_reset_email(&mut store, i, now),
        _ => {
            tracing::info!(email = %email_key(&email), "demo: reset asked for an unknown or inactive address")
        }
    }
    Ok(notice(
        "If this email address exists, we will send you an email with instructions for resetting your password.",
    ))
}

fn send_reset_email(store: &mut Store, user: usize, now: DateTime<Utc>) {
    let mut mine: Vec<(String, DateTime<Utc>)> = store
        .reset_tokens
        .iter()
        .filter(|(_, t)| t.user == user && !t.used)
        .map(|(k, t)| (k.clone(), t.expires_at.unwrap_or(now)))
        .collect();
    mine.sort_by_key(|(_, expires)| *expires);
    while mine.len() >= MAX_RESET_TOKENS_PER_USER {
        let (oldest, _) = mine.remove(0);
        store.reset_tokens.remove(&oldest);
        store.outbox.mark_token(&oldest, OutboxStatus::Revoked);
    }
    let token = one_time_token();
    let expires_at = now + Duration::minutes(RESET_TOKEN_MINUTES);
    let to = store.users[user].email().to_string();
    let link = format!("{APP_URL}/reset-password?token={token}");
    let draft = Draft {
        kind: OutboxKind::ResetPassword,
        user,
        to,
        subject: "Reset your Contentstack password".into(),
        body: format!(
            "Someone asked to reset the password of this Contentstack account. If it was you, open this link \
             within {RESET_TOKEN_MINUTES} minutes:\n{link}\n\nReset token: {token}\n\nIf it was not you, ignore this email."
        ),
        carries: Carries::Token { token: token.clone(), link },
        expires_at: Some(expires_at),
    };
    store.reset_tokens.insert(token, OneTimeToken { user, expires_at: Some(expires_at), used: false });
    store.outbox.push(draft, now);
}

fn one_error(field: &str, message: &str) -> ApiFailure {
    let mut errors = FieldErrors::default();
    errors.add(field, message);
    ApiFailure::validation(errors)
}

/// Checks a one-time token; on success returns its user.
fn check_token(
    tokens: &std::collections::HashMap<String, OneTimeToken>,
    token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<usize, &'static str> {
    let token = token.map(str::trim).filter(|t| !t.is_empty()).ok_or("can't be blank.")?;
    let t = tokens.get(token).filter(|t| !t.used).ok_or(INVALID_TOKEN)?;
    if t.expires_at.is_some_and(|e| e <= now) {
        return Err(EXPIRED_TOKEN);
    }
    Ok(t.user)
}

/// Checks `password` against the rules and `password_confirmation` against it.
fn check_new_password(body: &Map<String, Value>, errors: &mut FieldErrors) -> String {
    let password = match field(body, "password") {
        Field::Text(s) if !s.is_empty() => s.to_string(),
        Field::NotText => {
            errors.add("password", "must be text.");
            return String::new();
        }
        _ => {
            errors.add("password", "can't be blank.");
            return String::new();
        }
    };
    for rule in password_rule_failures(&password) {
        errors.add("password", rule.message);
    }
    match field(body, "password_confirmation") {
        Field::Text(c) if c == password => {}
        _ => errors.add("password_confirmation", "doesn't match password."),
    }
    password
}

/// `POST /v3/user/reset_password`.
pub(crate) async fn reset(State(state): State<AppState>, body: JsonBody) -> Result<Response, ApiFailure> {
    let body = body.user()?;
    let now = state.clock.now();
    let mut errors = FieldErrors::default();
    let mut store = lock(&state.store);
    let token = match field(&body, "reset_password_token") {
        Field::Text(s) => Some(s.trim()),
        _ => None,
    };
    let user =
        check_token(&store.reset_tokens, token, now).map_err(|m| errors.add("reset_password_token", m)).ok();
    let password = check_new_password(&body, &mut errors);
    errors.into_result()?;
    let (Some(user), Some(token)) = (user, token) else {
        return Err(one_error("reset_password_token", INVALID_TOKEN));
    };
    // Every outstanding reset token of the user dies with the one used.
    let mut ended = Vec::new();
    for (key, t) in store.reset_tokens.iter_mut().filter(|(_, t)| t.user == user && !t.used) {
        t.used = true;
        ended.push(key.clone());
    }
    for key in ended {
        let status = if key == token { OutboxStatus::Used } else { OutboxStatus::Revoked };
        store.outbox.mark_token(&key, status);
    }
    let u = &mut store.users[user];
    u.password = password;
    u.set("password_updated_at", stamp(now));
    u.set("password_reset_required", false);
    u.set("failed_attempts", 0);
    let key = u.key.clone();
    store.attempts.remove(&key);
    tracing::info!(email = %key, token = %super::state::token_tail(token), "demo: password reset");
    Ok(notice("Your password has been reset successfully."))
}

/// `POST /v3/user/activate/{token}`: sets the new user's names and password and activates the
/// account. The token works once and does not expire.
pub(crate) async fn activate(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: JsonBody,
) -> Result<Response, ApiFailure> {
    let body = body.user()?;
    let now = state.clock.now();
    let mut errors = FieldErrors::default();
    let mut store = lock(&state.store);
    let user = check_token(&store.activation_tokens, Some(&token), now)
        .map_err(|m| errors.add("user_activation_token", m))
        .ok();
    let first = check_profile("first_name", field(&body, "first_name"))
        .map_err(|m| errors.add("first_name", &m))
        .ok();
    let last =
        check_profile("last_name", field(&body, "last_name")).map_err(|m| errors.add("last_name", &m)).ok();
    let password = check_new_password(&body, &mut errors);
    errors.into_result()?;
    let (Some(user), Some(first), Some(last)) = (user, first, last) else {
        return Err(one_error("user_activation_token", INVALID_TOKEN));
    };
    if let Some(t) = store.activation_tokens.get_mut(token.trim()) {
        t.used = true;
        store.outbox.mark_token(token.trim(), OutboxStatus::Used);
    }
    let u = &mut store.users[user];
    u.password = password;
    u.set("first_name", first);
    u.set("last_name", last);
    u.set("active", true);
    u.set("password_updated_at", stamp(now));
    u.set("updated_at", stamp(now));
    tracing::info!(email = %u.key, "demo: account activated");
    Ok(notice("Your account has been activated."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn token_states() {
        let now = Utc::now();
        let mut tokens = HashMap::new();
        tokens.insert(
            "live".to_string(),
            OneTimeToken { user: 1, expires_at: Some(now + Duration::minutes(1)), used: false },
        );
        tokens.insert("used".to_string(), OneTimeToken { user: 1, expires_at: None, used: true });
        tokens.insert("old".to_string(), OneTimeToken { user: 1, expires_at: Some(now), used: false });
        assert_eq!(check_token(&tokens, Some("live"), now), Ok(1));
        assert_eq!(check_token(&tokens, Some("used"), now), Err(INVALID_TOKEN));
        assert_eq!(check_token(&tokens, Some("nope"), now), Err(INVALID_TOKEN));
        assert_eq!(check_token(&tokens, Some("old"), now), Err(EXPIRED_TOKEN));
        assert_eq!(check_token(&tokens, Some(" "), now), Err("can't be blank."));
    }

    #[test]
    fn new_password_errors() {
        let body = |v: serde_json::Value| v.as_object().cloned().unwrap_or_default();
        let mut e = FieldErrors::default();
        check_new_password(
            &body(serde_json::json!({"password": "short", "password_confirmation": "x"})),
            &mut e,
        );
        let f = ApiFailure::validation(e);
        let errs = &f.body["errors"];
        assert!(errs["password"].as_array().is_some_and(|a| a.len() == 4), "{errs}");
        assert_eq!(errs["password_confirmation"], serde_json::json!(["doesn't match password."]));
        let mut ok = FieldErrors::default();
        let pw = check_new_password(
            &body(
                serde_json::json!({"password": "Demo-pass-1234", "password_confirmation": "Demo-pass-1234"}),
            ),
            &mut ok,
        );
        assert!(ok.is_empty());
        assert_eq!(pw, "Demo-pass-1234");
    }
}
