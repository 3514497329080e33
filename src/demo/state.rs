//! What the demo server holds: users, sessions, one-time tokens, login attempts, the outbox.
//!
//! One mutex guards it all. Every handler holds it for a few microseconds and never across an
//! `.await`, so a single lock is simpler than finer ones and no slower at demo traffic. Large
//! values (a generated 1000-role profile) sit behind `Arc` so answering does not copy them.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use rand::{Rng, RngCore};
use serde::Serialize;
use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

use super::clock::DemoClock;
use super::faults::FaultState;
use super::http::raw_json;
use super::outbox::Outbox;
use super::ratelimit::Limiter;

/// Everything the handlers share.
pub(crate) struct Shared {
    pub clock: DemoClock,
    pub session_ttl: Duration,
    pub store: Mutex<Store>,
    pub faults: Mutex<FaultState>,
    /// What the random failure rate draws from (seeded by [`super::DemoOptions::seed`]).
    pub fault_rng: Mutex<rand::rngs::StdRng>,
    pub limiter: Limiter,
    /// Time a request body has to arrive once its head has (see `JsonBody`).
    pub body_timeout: Duration,
    /// What was asked, for tests (see [`super::requests`]).
    pub requests: Mutex<super::requests::RequestLog>,
    /// Cancelled when the server stops; hung requests and latency waits end on it.
    pub shutdown: CancellationToken,
}

pub(crate) type AppState = Arc<Shared>;

/// Locks a mutex, recovering it if a panicking thread poisoned it: the data is plain values that
/// stay consistent between statements, and one failed request must not take the demo down.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A user account.
pub(crate) struct StoredUser {
    /// Lower-case email, the lookup key.
    pub key: String,
    /// The fields clients see, except `roles`, `authtoken` and `organizations`.
    pub profile: Map<String, Value>,
    /// The role list as JSON text, serialised once: it is most of a large profile, and answers
    /// paste it in as is instead of serialising thousands of rules on every request.
    pub roles: Arc<str>,
    /// Kept in memory only, never logged. A demo with published passwords needs no hashing.
    pub password: String,
    /// `Some(tfa_type)` when log-in needs a second factor.
    pub tfa: Option<String>,
    /// Full organisation objects, `org_roles` included.
    pub organizations: Vec<Map<String, Value>>,
    /// The API keys of the stacks the user's roles belong to (what `GET /stacks` lists, with
    /// the stacks the user owns), read once from the roles.
    pub stack_keys: HashSet<String>,
    /// Signs in with SSO: its password log-in gives no authtoken (as Contentstack does).
    pub sso: bool,
}

/// How much about organisations an answer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrgDetail {
    None,
    /// `include_orgs=true`: the organisations without `org_roles`.
    Basic,
    /// `include_orgs_roles=true`: with `org_roles`.
    WithRoles,
}

/// The `user` object of an answer, built without copying or re-serialising the role list.
pub(crate) struct UserView {
    profile: Map<String, Value>,
    authtoken: Option<String>,
    roles: Arc<str>,
    organizations: Option<Vec<Map<String, Value>>>,
}

/// Appends `v` as JSON. Writing to a `Vec` cannot fail, and these values (JSON values and
/// strings) always serialise, so the fallback is never taken.
fn push_json<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    if serde_json::to_writer(&mut *out, v).is_err() {
        out.extend_from_slice(b"null");
    }
}

impl UserView {
    /// Appends the user object as JSON: the profile fields, then `authtoken`, `roles` and
    /// `organizations`.
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut first = true;
        let mut key = |out: &mut Vec<u8>, k: &str| {
            out.push(if first { b'{' } else { b',' });
            first = false;
            push_json(out, k);
            out.push(b':');
        };
        for (k, v) in &self.profile {
            key(out, k);
            push_json(out, v);
        }
        if let Some(token) = &self.authtoken {
            key(out, "authtoken");
            push_json(out, token);
        }
        key(out, "roles");
        out.extend_from_slice(self.roles.as_bytes());
        if let Some(orgs) = &self.organizations {
            key(out, "organizations");
            push_json(out, orgs);
        }
        out.push(b'}');
    }
}

/// `{"notice": ..., "user": {...}}`, or `{"user": {...}}` without a notice.
pub(crate) fn user_answer(notice: Option<&str>, view: &UserView) -> Response {
    let mut out = Vec::with_capacity(view.roles.len() + 4096);
    out.push(b'{');
    if let Some(n) = notice {
        out.extend_from_slice(b"\"notice\":");
        push_json(&mut out, &n);
        out.push(b',');
    }
    out.extend_from_slice(b"\"user\":");
    view.write_json(&mut out);
    out.push(b'}');
    raw_json(StatusCode::OK, out)
}

impl StoredUser {
    pub fn email(&self) -> &str {
        self.profile.get("email").and_then(Value::as_str).unwrap_or(&self.key)
    }

    pub fn is_active(&self) -> bool {
        self.profile.get("active").and_then(Value::as_bool).unwrap_or(false)
    }

    /// Sets a profile field.
    pub fn set(&mut self, key: &str, value: impl Into<Value>) {
        self.profile.insert(key.to_string(), value.into());
    }

    /// The user as an answer shows it.
    pub fn view(&self, authtoken: Option<&str>, orgs: OrgDetail) -> UserView {
        let organizations = match orgs {
            OrgDetail::None => None,
            OrgDetail::WithRoles => Some(self.organizations.clone()),
            OrgDetail::Basic => Some(
                self.organizations
                    .iter()
                    .map(|o| {
                        o.iter()
                            .filter(|(k, _)| *k != "org_roles")
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect()
                    })
                    .collect(),
            ),
        };
        UserView {
            profile: self.profile.clone(),
            authtoken: authtoken.map(str::to_string),
            roles: Arc::clone(&self.roles),
            organizations,
        }
    }

    /// Everything stored except the password and the 2FA flag, for tests.
    pub fn snapshot(&self) -> Value {
        let mut v = self.profile.clone();
        v.insert("roles".into(), serde_json::from_str(&self.roles).unwrap_or(Value::Null));
        v.insert(
            "organizations".into(),
            Value::Array(self.organizations.iter().cloned().map(Value::Object).collect()),
        );
        Value::Object(v)
    }
}

/// A logged-in session.
pub(crate) struct Session {
    pub user: usize,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A reset-password or activation token.
pub(crate) struct OneTimeToken {
    pub user: usize,
    pub expires_at: Option<DateTime<Utc>>,
    pub used: bool,
}

/// An SMS security code waiting to be used.
pub(crate) struct SmsCode {
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

/// Failed log-ins of one email address, known or not (unknown addresses are counted and locked
/// the same way, so the answers do not reveal which addresses have accounts).
#[derive(Default)]
pub(crate) struct Attempts {
    pub failed: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

/// The demo's data.
#[derive(Default)]
pub(crate) struct Store {
    pub users: Vec<StoredUser>,
    pub sessions: HashMap<String, Session>,
    pub attempts: HashMap<String, Attempts>,
    pub reset_tokens: HashMap<String, OneTimeToken>,
    pub activation_tokens: HashMap<String, OneTimeToken>,
    pub sms_codes: HashMap<usize, SmsCode>,
    pub outbox: Outbox,
    /// Every stack, as `GET /stacks` lists it.
    pub stacks: Vec<Map<String, Value>>,
    /// Organisations that sign in with SSO: `GET /stacks` without their `organization_uid`
    /// header is refused to their members.
    pub sso_organizations: HashSet<String>,
    /// Every authtoken this server issued, expired or not: the request log says when one
    /// came that it never issued (a token sent to the wrong server).
    pub issued: HashSet<String>,
    /// Browser sign-ins: codes waiting for their exchange, refresh and access tokens.
    pub oauth: super::oauth::OAuthStore,
}

/// Most sessions kept at once; the oldest go first. Bounds memory under a login flood.
const MAX_SESSIONS: usize = 10_000;
/// Most addresses whose failed attempts are remembered.
const MAX_ATTEMPT_RECORDS: usize = 10_000;

/// The lookup key of an email address.
pub(crate) fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    /// The uids of the user's organisations, in the order `GET /user` lists them.
    pub fn organization_uids(&self, user: usize) -> Vec<&str> {
        self.users
            .get(user)
            .map(|u| u.organizations.iter().filter_map(|o| o.get("uid").and_then(Value::as_str)).collect())
            .unwrap_or_default()
    }

    /// The stacks the user sees: those their roles belong to and those they own.
    pub fn visible_stacks(&self, user: usize) -> Vec<&Map<String, Value>> {
        let Some(u) = self.users.get(user) else { return Vec::new() };
        let uid = u.profile.get("uid").and_then(Value::as_str).unwrap_or_default();
        let text = |s: &Map<String, Value>, key: &str| s.get(key).and_then(Value::as_str).map(str::to_string);
        self.stacks
            .iter()
            .filter(|s| {
                text(s, "api_key").is_some_and(|k| u.stack_keys.contains(&k))
                    || (!uid.is_empty() && text(s, "owner_uid").as_deref() == Some(uid))
            })
            .collect()
    }

    pub fn user_index(&self, email: &str) -> Option<usize> {
        let key = email_key(email);
        self.users.iter().position(|u| u.key == key)
    }

    /// Starts a session and returns its token.
    pub fn new_session(&mut self, user: usize, now: DateTime<Utc>, ttl: Duration) -> String {
        if self.sessions.len() >= MAX_SESSIONS {
            self.sessions.retain(|_, s| s.expires_at > now);
            while self.sessions.len() >= MAX_SESSIONS {
                let oldest = self.sessions.iter().min_by_key(|(_, s)| s.created_at).map(|(k, _)| k.clone());
                match oldest {
                    Some(k) => self.sessions.remove(&k),
                    None => break,
                };
            }
        }
        let token = authtoken();
        let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(365 * 100));
        let expires_at = now.checked_add_signed(ttl).unwrap_or(DateTime::<Utc>::MAX_UTC);
        self.sessions.insert(token.clone(), Session { user, created_at: now, expires_at });
        self.issued.insert(token.clone());
        token
    }

    /// The user of a live session; forgets the session if it has expired.
    pub fn session_user(&mut self, token: &str, now: DateTime<Utc>) -> Option<usize> {
        let session = self.sessions.get(token)?;
        if session.expires_at <= now {
            self.sessions.remove(token);
            return None;
        }
        Some(session.user)
    }

    /// The failed-attempt record of an address, with an expired lock already lifted.
    pub fn attempts(&mut self, key: &str, now: DateTime<Utc>) -> &mut Attempts {
        if self.attempts.len() >= MAX_ATTEMPT_RECORDS && !self.attempts.contains_key(key) {
            self.attempts.retain(|_, a| a.locked_until.is_some_and(|t| t > now));
        }
        let a = self.attempts.entry(key.to_string()).or_default();
        if a.locked_until.is_some_and(|t| t <= now) {
            *a = Attempts::default();
        }
        a
    }
}

/// `blt` and 16 hex digits, as Contentstack's authtokens look.
pub(crate) fn authtoken() -> String {
    format!("blt{}", random_hex(8))
}

/// `blt` and 32 hex digits: 128 random bits, for reset and activation tokens.
pub(crate) fn one_time_token() -> String {
    format!("blt{}", random_hex(16))
}

/// `n` random bytes from the thread's CSPRNG, as hex.
pub(crate) fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    rand::rng().fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A 6-digit SMS code.
pub(crate) fn sms_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// The last few characters of a token, for logs.
pub(crate) fn token_tail(token: &str) -> String {
    crate::api::secret::mask_str(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_look_like_contentstack_and_differ() {
        let a = authtoken();
        assert_eq!(a.len(), 19);
        assert!(a.starts_with("blt") && a[3..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, authtoken());
        assert_eq!(one_time_token().len(), 35);
        let code = sms_code();
        assert!(code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()));
    }

    #[test]
    fn sessions_expire_and_are_bounded() {
        let mut store = Store::default();
        let now = Utc::now();
        let t = store.new_session(0, now, Duration::from_secs(60));
        assert_eq!(store.session_user(&t, now), Some(0));
        assert_eq!(store.session_user(&t, now + chrono::Duration::seconds(61)), None);
        assert!(store.sessions.is_empty());
        for i in 0..MAX_SESSIONS + 5 {
            store.new_session(i, now + chrono::Duration::milliseconds(i as i64), Duration::from_secs(60));
        }
        assert_eq!(store.sessions.len(), MAX_SESSIONS);
        assert!(store.sessions.values().all(|s| s.user >= 5), "the oldest sessions went first");
    }

    #[test]
    fn views_paste_the_role_text_and_add_what_was_asked() {
        let org = |admin: bool| {
            serde_json::json!({"uid": "o1", "name": "Org", "org_roles": [{"admin": admin}]})
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        let user = StoredUser {
            key: "a@b.c".into(),
            profile: serde_json::json!({"uid": "blt1", "email": "a@b.c", "name": "\"quoted\""})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            roles: Arc::from(r#"[{"name":"R","rules":[]}]"#),
            password: "secret".into(),
            tfa: None,
            organizations: vec![org(true)],
            stack_keys: HashSet::new(),
            sso: false,
        };
        let text = |v: UserView| {
            let mut out = Vec::new();
            v.write_json(&mut out);
            out
        };
        let parse = |v: UserView| serde_json::from_slice::<Value>(&text(v)).unwrap_or(Value::Null);
        let plain = parse(user.view(Some("blt0123"), OrgDetail::None));
        assert_eq!(
            plain,
            serde_json::json!({"uid": "blt1", "email": "a@b.c", "name": "\"quoted\"", "authtoken": "blt0123",
                "roles": [{"name": "R", "rules": []}]})
        );
        let basic = parse(user.view(None, OrgDetail::Basic));
        assert_eq!(basic["organizations"], serde_json::json!([{"uid": "o1", "name": "Org"}]));
        assert!(basic.get("authtoken").is_none());
        let full = parse(user.view(None, OrgDetail::WithRoles));
        assert_eq!(full["organizations"][0]["org_roles"][0]["admin"], true);
        assert!(!String::from_utf8_lossy(&text(user.view(None, OrgDetail::None))).contains("secret"));
    }

    #[test]
    fn locks_lift_when_they_end() {
        let mut store = Store::default();
        let now = Utc::now();
        let a = store.attempts("x@y.z", now);
        a.failed = 5;
        a.locked_until = Some(now + chrono::Duration::minutes(15));
        assert_eq!(store.attempts("x@y.z", now).failed, 5);
        assert_eq!(store.attempts("x@y.z", now + chrono::Duration::minutes(15)).failed, 0);
    }
}
