//! Logging in and out: `POST /v3/user-session`, `DELETE /v3/user-session`,
//! `POST /v3/user/request_token_sms`, and the `authtoken` check every other call makes.
//!
//! Failed attempts are counted per email address, known or not, and five in a row lock the
//! address for 15 minutes (demo clock). Unknown addresses get exactly the answers a known one
//! with a wrong password gets, so the answers never tell whether an account exists. A wrong
//! 2FA code counts as a failed attempt too: otherwise the six digits could be guessed freely.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use totp_rs::{Algorithm, Secret, TOTP};

use super::clock::stamp;
use super::http::{ApiFailure, CODE_NOT_ACTIVATED, FieldErrors, JsonBody, flag_on, notice};
use super::outbox::{Carries, Draft};
use super::rules::{Field, field};
use super::state::{AppState, OrgDetail, SmsCode, Store, email_key, lock, sms_code, token_tail, user_answer};
use crate::api::error::{CODE_INVALID_CREDENTIALS, CODE_TFA_INVALID, CODE_TFA_REQUIRED};
use crate::api::outbox::{OutboxKind, OutboxStatus};

/// Failed attempts in a row that lock an address.
pub const MAX_FAILED_ATTEMPTS: u32 = 5;
/// How long a lock lasts, in minutes of demo time.
pub const LOCK_MINUTES: i64 = 15;
/// How long an SMS code works, in minutes of demo time.
pub const SMS_CODE_MINUTES: i64 = 5;

/// The TOTP generator for the demo's 2FA user: RFC 6238, SHA-1, 6 digits, 30 s steps, and one
/// step of skew either way so a code typed as it changes still works.
pub(crate) fn totp() -> Option<TOTP> {
    let bytes = Secret::Encoded(super::TFA_SECRET.to_string()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes).ok()
}

/// Compares secrets without stopping at the first difference.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The token of an `authorization: Bearer …` header.
pub(crate) fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    let value = headers.get("authorization")?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty())
}

/// The request's live session: the `authtoken` header, checked against the sessions in force.
pub(crate) struct Authed {
    pub user: usize,
    pub token: String,
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiFailure> {
        let now = state.clock.now();
        // A browser sign-in's access token, as `authorization: Bearer` (no authtoken then).
        if parts.headers.get("authtoken").is_none()
            && let Some(bearer) = bearer_token(&parts.headers)
        {
            let user = lock(&state.store).oauth.access_user(bearer, now).ok_or_else(|| {
                tracing::info!(token = %token_tail(bearer), "demo: refused an unknown or expired access token");
                ApiFailure::invalid_token()
            })?;
            return Ok(Authed { user, token: bearer.to_string() });
        }
        let token = parts
            .headers
            .get("authtoken")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(ApiFailure::invalid_token)?;
        let user = lock(&state.store).session_user(token, now).ok_or_else(|| {
            tracing::info!(token = %token_tail(token), "demo: refused an unknown or expired authtoken");
            ApiFailure::invalid_token()
        })?;
        Ok(Authed { user, token: token.to_string() })
    }
}

/// Which organisation details the query asks for.
pub(crate) fn org_detail(query: &HashMap<String, String>) -> OrgDetail {
    if flag_on(query, "include_orgs_roles") {
        OrgDetail::WithRoles
    } else if flag_on(query, "include_orgs") {
        OrgDetail::Basic
    } else {
        OrgDetail::None
    }
}

fn locked(until: DateTime<Utc>, now: DateTime<Utc>) -> ApiFailure {
    let minutes = ((until - now).num_seconds() + 59) / 60;
    ApiFailure::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        CODE_INVALID_CREDENTIALS,
        format!(
            "Your account has been locked after {MAX_FAILED_ATTEMPTS} failed login attempts. \
             Try again after {} (in {minutes} minute(s)), or reset your password.",
            stamp(until)
        ),
        Some(json!({})),
    )
}

impl Store {
    /// Checks an email and password, counting a failure against the address.
    pub(crate) fn check_password(
        &mut self,
        email: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<usize, ApiFailure> {
        let key = email_key(email);
        if let Some(until) = self.attempts(&key, now).locked_until {
            return Err(locked(until, now));
        }
        match self.user_index(email) {
            // An invited user who never chose a password has none to guess: say what to do.
            Some(i) if !self.users[i].is_active() && self.users[i].password.is_empty() => {
                Err(not_activated())
            }
            Some(i) if same_secret(&self.users[i].password, password) => Ok(i),
            found => Err(self.count_failure(&key, found, now, false)),
        }
    }

    /// Records a failed attempt and says what to answer.
    fn count_failure(&mut self, key: &str, user: Option<usize>, now: DateTime<Utc>, tfa: bool) -> ApiFailure {
        let a = self.attempts(key, now);
        a.failed += 1;
        let failed = a.failed;
        if failed >= MAX_FAILED_ATTEMPTS {
            a.locked_until = Some(now + Duration::minutes(LOCK_MINUTES));
        }
        let locked_until = a.locked_until;
        if let Some(u) = user.and_then(|i| self.users.get_mut(i)) {
            u.set("failed_attempts", failed);
        }
        tracing::info!(email = %key, failed, "demo: failed login attempt");
        if let Some(until) = locked_until {
            return locked(until, now);
        }
        if tfa {
            return ApiFailure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                CODE_TFA_INVALID,
                "Invalid verification code. Please try again.",
                Some(json!([])),
            );
        }
        ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            CODE_INVALID_CREDENTIALS,
            format!(
                "Looks like your email or password is invalid. Please try again or reset your password. \
                 You have {} login attempt(s) left.",
                MAX_FAILED_ATTEMPTS - failed
            ),
            Some(json!({})),
        )
    }

    /// Whether `code` is the user's current TOTP code or unused SMS code (which it uses up).
    fn second_factor_ok(&mut self, user: usize, code: &str, now: DateTime<Utc>, unix_secs: u64) -> bool {
        if code.len() == 6 && totp().is_some_and(|t| t.check(code, unix_secs)) {
            return true;
        }
        match self.sms_codes.get(&user) {
            Some(sms) if sms.expires_at > now && same_secret(&sms.code, code) => {
                if let Some(sms) = self.sms_codes.remove(&user) {
                    self.outbox.mark_sms(user, Some(&sms.code), OutboxStatus::Used);
                }
                true
            }
            _ => false,
        }
    }
}

fn not_activated() -> ApiFailure {
    ApiFailure::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        CODE_NOT_ACTIVATED,
        "Your account has not been activated yet. Open the activation link we sent to your email.",
        Some(json!({})),
    )
}

/// Email and password from a `user` object, or the 422 naming what is missing.
fn credentials(user: &serde_json::Map<String, Value>) -> Result<(String, String), ApiFailure> {
    let mut errors = FieldErrors::default();
    // An email of spaces is as blank as none; a password is taken exactly as typed.
    let mut get = |key: &str| match field(user, key) {
        Field::Text(s) if key == "email" && !s.trim().is_empty() => s.trim().to_string(),
        Field::Text(s) if key != "email" && !s.is_empty() => s.to_string(),
        Field::NotText => {
            errors.add(key, "must be text.");
            String::new()
        }
        _ => {
            errors.add(key, "can't be blank.");
            String::new()
        }
    };
    let (email, password) = (get("email"), get("password"));
    errors.into_result()?;
    Ok((email, password))
}

/// `POST /v3/user-session`.
pub(crate) async fn login(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    body: JsonBody,
) -> Result<Response, ApiFailure> {
    let user = body.user()?;
    let (email, password) = credentials(&user)?;
    let tfa_token = match user.get("tfa_token") {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let now = state.clock.now();
    let mut store = lock(&state.store);
    let i = store.check_password(&email, &password, now)?;
    if !store.users[i].is_active() {
        return Err(not_activated());
    }
    if let Some(tfa_type) = store.users[i].tfa.clone() {
        if tfa_token.is_empty() {
            return Err(ApiFailure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                CODE_TFA_REQUIRED,
                "Please login using the Two-Factor verification Token",
                Some(json!([])),
            )
            .with_body_field("tfa_type", Value::String(tfa_type)));
        }
        if !store.second_factor_ok(i, &tfa_token, now, state.clock.unix_secs()) {
            let key = email_key(&email);
            return Err(store.count_failure(&key, Some(i), now, true));
        }
    }
    store.attempts.remove(&email_key(&email));
    if store.users[i].sso {
        // An SSO user's password log-in succeeds without a session: no authtoken, as Contentstack
        // answers members of SSO-enabled organisations. Browser sign-in is their way in.
        tracing::info!(email = %store.users[i].email(), "demo: SSO user logged in with a password: no token");
        let view = store.users[i].view(None, org_detail(&query));
        drop(store);
        return Ok(user_answer(Some("Login Successful."), &view));
    }
    let token = store.new_session(i, now, state.session_ttl);
    let u = &mut store.users[i];
    u.set("failed_attempts", 0);
    u.set("last_login_at", stamp(now));
    tracing::info!(email = %u.email(), token = %token_tail(&token), "demo: logged in");
    let view = u.view(Some(&token), org_detail(&query));
    drop(store);
    Ok(user_answer(Some("Login Successful."), &view))
}

/// `DELETE /v3/user-session`: the token in the `authtoken` header stops working.
pub(crate) async fn logout(State(state): State<AppState>, authed: Authed, _body: JsonBody) -> Response {
    lock(&state.store).sessions.remove(&authed.token);
    tracing::info!(token = %token_tail(&authed.token), "demo: logged out");
    notice("You've logged out successfully!")
}

/// `POST /v3/user/request_token_sms`: with the right password, "texts" a 6-digit code that
/// works in place of the authenticator code for 5 minutes (a newer request replaces it).
pub(crate) async fn request_sms(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Response, ApiFailure> {
    let user = body.user()?;
    let (email, password) = credentials(&user)?;
    let now = state.clock.now();
    let mut store = lock(&state.store);
    let i = store.check_password(&email, &password, now)?;
    if !store.users[i].is_active() {
        return Err(not_activated());
    }
    if store.users[i].tfa.is_none() {
        let mut errors = FieldErrors::default();
        errors.add("email", "does not use two-factor authentication, so no code is needed.");
        return Err(ApiFailure::validation(errors));
    }
    let code = sms_code();
    let expires_at = now + Duration::minutes(SMS_CODE_MINUTES);
    let u = &store.users[i];
    let text = |k: &str| u.profile.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let (cc, number) = (text("country_code"), text("mobile_number"));
    let to = match (cc.is_empty(), number.is_empty()) {
        (_, true) => u.email().to_string(),
        (true, false) => number,
        (false, false) => format!("+{cc} {number}"),
    };
    let draft = Draft {
        kind: OutboxKind::Sms,
        user: i,
        to,
        subject: "Contentstack security code".into(),
        body: format!("{code} is your Contentstack security code. It expires in {SMS_CODE_MINUTES} minutes."),
        carries: Carries::Code(code.clone()),
        expires_at: Some(expires_at),
    };
    // A new code replaces the last one.
    store.outbox.mark_sms(i, None, OutboxStatus::Revoked);
    store.sms_codes.insert(i, SmsCode { code, expires_at });
    store.outbox.push(draft, now);
    Ok(notice("Security code sent to your mobile."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_matches_an_independent_generator() {
        let Some(t) = totp() else { panic!("TFA_SECRET must decode") };
        let now = 1_700_000_000;
        let code = t.generate(now);
        assert!(t.check(&code, now + 30), "one step of skew");
        assert!(!t.check(&code, now + 95), "but not three");
        assert_eq!(code.len(), 6);
    }

    #[test]
    fn constant_time_compare() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
