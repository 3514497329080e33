//! Decoding the API's answers: status, headers and body bytes in, a typed answer or an
//! [`ApiError`] out. One pure function per kind of answer ([`login`], [`profile`], [`user`],
//! [`update`], [`notice`]), which the client calls on every response and the property tests call
//! on arbitrary input, so the code that meets hostile bytes is exactly the code that is tested.
//!
//! The profile (`GET /user`) and the log-in's answer are read in one streaming pass (see
//! [`stream`]): no document is built, strings are sanitised as they are read, and the roles go
//! straight into the profile's store (the log-in's roles are skipped: the profile that follows
//! brings them). [`user`] and [`update`] read the whole document first, then the models; the
//! property tests check that [`profile`] gives what [`user`] gives, for any valid answer.
//!
//! Those two go through these steps ([`answer`]), which the streaming pass takes in the same
//! order as it reads:
//!
//! 1. JSON, parsed from bytes the client has already capped in size (serde_json's recursion limit
//!    of 128 turns deeply nested input into an error, never a stack overflow);
//! 2. the raw authtoken taken out as a secret, before anything can alter it;
//! 3. every other string, object keys included, sanitised for the terminal;
//! 4. either classified as an error (a non-2xx status, an `error_code` or a `tfa_type`) or
//!    turned into a model.
//!
//! Nothing here panics on any input: failures are [`ApiError::Decode`] or the class the status
//! and body call for.

use reqwest::header::HeaderMap;
use secrecy::SecretString;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{self, ApiError, ErrorHeaders};
use super::models::{LoginSuccess, Notice, Profile, Stack, UpdateSuccess, User};
use super::profile_store::RuleStore;

mod stream;
mod validate;

/// `DeserializeSeed` for the one-pass readers' visitors: each carries state (the pass's
/// context, a builder) and reads whatever JSON value comes, so the visitor is its own seed,
/// handed to `deserialize_any`.
macro_rules! visitor_seeds {
    ($($t:ty),* $(,)?) => {$(
        impl<'de> serde::de::DeserializeSeed<'de> for $t {
            type Value = <Self as serde::de::Visitor<'de>>::Value;
            fn deserialize<D: serde::de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
    )*};
}
pub(crate) use visitor_seeds;

pub use stream::MAX_OTHER_VALUES;
use stream::{Failure, Parsed, UserSlot};

/// `POST /user-session`: the user (without its roles, which the full profile read next brings)
/// and the new session token. A success without a token is [`ApiError::NoToken`] (SSO accounts
/// get none from a password log-in), checked before the user's shape so that the more useful
/// error wins.
pub fn login(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<LoginSuccess, ApiError> {
    let mut parsed = streamed(status, headers, body, false)?;
    let notice = notice_text(parsed.top.get("notice"));
    let token = match &mut parsed.user {
        UserSlot::Object { token, .. } => token.take(),
        _ => None,
    };
    let Some(token) = token else {
        return Err(ApiError::NoToken { notice });
    };
    let (mut user, _, _) = streamed_user(status, parsed.user)?;
    user.authtoken = Some(token.clone());
    Ok(LoginSuccess { notice, user, authtoken: token })
}

/// `GET /user`, read in one pass: the user without its roles, and the roles in the profile's
/// store. The same answers fail, with the same errors, as with [`user`].
pub fn profile(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<Profile, ApiError> {
    let parsed = streamed(status, headers, body, true)?;
    let (mut user, token, roles) = streamed_user(status, parsed.user)?;
    user.authtoken = token;
    Ok(Profile { user, roles: roles.unwrap_or_default() })
}

/// The streaming pass and the checks every answer gets, in [`answer`]'s order: an empty 2xx
/// body is `{}`; a body that is not JSON is a `Decode` on a 2xx and classified by its status
/// otherwise; a non-2xx, an `error_code` or a `tfa_type` is classified. A limit passed is
/// [`ApiError::TooLarge`].
fn streamed(status: u16, headers: &HeaderMap, bytes: &[u8], roles: bool) -> Result<Parsed, ApiError> {
    let success = (200..300).contains(&status);
    let parsed = if success && bytes.iter().all(u8::is_ascii_whitespace) {
        Ok(Parsed { top: Default::default(), user: UserSlot::Absent })
    } else {
        stream::parse(bytes, success, roles)
    };
    let parsed = match parsed {
        Ok(parsed) => parsed,
        Err(Failure::Limit(of)) => return Err(ApiError::TooLarge { limit: of.max(), of }),
        Err(Failure::Json(e)) if success => {
            return Err(ApiError::Decode { status, detail: format!("the answer is not JSON ({e})") });
        }
        Err(Failure::Json(_)) => {
            return Err(error::classify(status, &ErrorHeaders::from_headers(headers), None));
        }
    };
    let present = |key: &str| parsed.top.get(key).is_some_and(|v| !v.is_null());
    if !success || present("error_code") || present("tfa_type") {
        let body = Value::Object(parsed.top);
        return Err(error::classify(status, &ErrorHeaders::from_headers(headers), Some(&body)));
    }
    Ok(parsed)
}

/// The user, its raw token and its roles, from the streaming pass.
type KeptUser = (User, Option<SecretString>, Option<Box<RuleStore>>);

/// The user model from what the pass kept, failing as [`model`] does.
fn streamed_user(status: u16, slot: UserSlot) -> Result<KeptUser, ApiError> {
    let decode = |detail: String| ApiError::Decode { status, detail };
    match slot {
        UserSlot::Absent => Err(decode("the answer has no `user`".into())),
        UserSlot::Not(kind) => Err(decode(format!("its `user` is {kind}, not an object"))),
        UserSlot::Object { fields, token, roles } => {
            let user = serde_json::from_value(Value::Object(fields)).map_err(|e| model_error(status, e))?;
            Ok((user, token, roles))
        }
    }
}

/// `GET /user`, the whole document first, then the models, roles included: the decoder the
/// streaming [`profile`] is checked against, and what callers that want the models use.
pub fn user(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<User, ApiError> {
    let answer = answer(status, headers, body)?;
    let mut user = model::<UserEnvelope>(status, answer.body)?.user;
    user.authtoken = answer.token;
    Ok(user)
}

/// `PUT /user`: the server's notice and the updated user.
pub fn update(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<UpdateSuccess, ApiError> {
    let answer = answer(status, headers, body)?;
    let notice = notice_text(answer.body.get("notice"));
    let mut user = model::<UserEnvelope>(status, answer.body)?.user;
    user.authtoken = answer.token;
    Ok(UpdateSuccess { notice, user })
}

/// `{"notice": ...}` answers (log-out, SMS, activation, password reset): any object will do,
/// since the status already said it worked; a `notice` that is not a string reads as none.
pub fn notice(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<Notice, ApiError> {
    let answer = answer(status, headers, body)?;
    if !answer.body.is_object() {
        return Err(ApiError::Decode { status, detail: "the answer is not a JSON object".into() });
    }
    Ok(Notice { notice: notice_text(answer.body.get("notice")) })
}

/// The answer to a token grant on the Developer Hub: both tokens (taken raw, before anything
/// sanitises the answer, and required: a grant without them is refused as csdx does), their
/// lifetime, and whose they are. A refusal is OAuth's `{"error", "error_description"}`.
pub fn oauth_tokens(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<super::oauth::TokenAnswer, ApiError> {
    let value: Option<Value> = serde_json::from_slice(body).ok();
    let success = (200..300).contains(&status);
    if !success {
        let text =
            |key: &str| value.as_ref()?.get(key)?.as_str().map(|s| crate::sanitize::owned(s.to_string()));
        return Err(match text("error_description").or_else(|| text("error")) {
            Some(message) => ApiError::Rejected { status, code: None, message },
            None => error::classify(status, &ErrorHeaders::from_headers(headers), value.as_ref()),
        });
    }
    let decode = |detail: &str| ApiError::Decode { status, detail: detail.to_string() };
    let value = value.ok_or_else(|| decode("the token answer is not JSON"))?;
    let secret = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(|s| SecretString::from(s.to_string()))
    };
    let (Some(access), Some(refresh)) = (secret("access_token"), secret("refresh_token")) else {
        return Err(decode("the token answer lacks an access or a refresh token"));
    };
    let text =
        |key: &str| value.get(key).and_then(Value::as_str).map(|s| crate::sanitize::owned(s.to_string()));
    Ok(super::oauth::TokenAnswer {
        access,
        refresh,
        expires_in: value.get("expires_in").and_then(Value::as_u64).unwrap_or(3600),
        organization_uid: text("organization_uid"),
        user_uid: text("user_uid"),
    })
}

/// Keys of a stack that hold credentials (the legacy stack master key; the delivery access
/// token that `include_discrete_variables=true` adds). The listing never needs them, and
/// `stacks --json` must not print them, so they are dropped where the answer is read.
const STACK_SECRETS: [&str; 3] = ["master_key", "discrete_variables", "access_token"];

/// `GET /stacks`: `{"stacks": [...]}`, each stack sanitised like every other answer, without
/// the keys in [`STACK_SECRETS`]. An empty list is an answer (no stacks); a missing `stacks`,
/// or one that is not a list, is a [`ApiError::Decode`]; an element that is not an object is
/// left out (see [`super::lenient`]).
pub fn stacks(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<Vec<Stack>, ApiError> {
    let answer = answer(status, headers, body)?;
    let decode = |detail: String| ApiError::Decode { status, detail };
    match answer.body.get("stacks") {
        None | Some(Value::Null) => return Err(decode("the answer has no `stacks`".into())),
        Some(Value::Array(_)) => {}
        Some(other) => return Err(decode(format!("its `stacks` is {}, not a list", kind_of(other)))),
    }
    let envelope: StacksEnvelope = serde_json::from_value(answer.body)
        .map_err(|e| decode(format!("the stacks could not be read ({e})").chars().take(160).collect()))?;
    Ok(envelope
        .stacks
        .into_iter()
        .map(|mut stack| {
            stack.extra.retain(|key, _| !STACK_SECRETS.contains(&key.as_str()));
            stack
        })
        .collect())
}

/// The Developer Hub's authorizations of an app: `{"data": [{"authorization_uid", "user":
/// {"uid"}}]}` (a bare list is read too), as (authorization uid, user uid) pairs; entries
/// without an authorization uid are left out.
pub fn authorizations(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Vec<(String, Option<String>)>, ApiError> {
    let answer = answer(status, headers, body)?;
    let list = match &answer.body {
        Value::Array(list) => list,
        other => match other.get("data") {
            Some(Value::Array(list)) => list,
            _ => {
                return Err(ApiError::Decode {
                    status,
                    detail: "the answer has no list of authorizations".into(),
                });
            }
        },
    };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    Ok(list
        .iter()
        .filter_map(|entry| {
            let uid = text(entry.get("authorization_uid"))?;
            Some((uid, text(entry.get("user").and_then(|u| u.get("uid")))))
        })
        .collect())
}

/// A successful answer: 2xx, JSON, no `error_code`, no `tfa_type`.
struct Answer {
    /// The sanitised body, without `user.authtoken`.
    body: Value,
    /// `user.authtoken`, exactly as sent.
    token: Option<SecretString>,
}

/// The steps every answer shares; see the module docs for their order.
///
/// An empty 2xx body is read as `{}` (the SMS call's answer is not documented; a 204 would be
/// fine). The models then decide whether `{}` is enough. A body that is not JSON is a
/// [`ApiError::Decode`] on a 2xx and classified by its status otherwise (a proxy's HTML 502 is
/// still a server error).
fn answer(status: u16, headers: &HeaderMap, bytes: &[u8]) -> Result<Answer, ApiError> {
    let success = (200..300).contains(&status);
    let parsed = if success && bytes.iter().all(u8::is_ascii_whitespace) {
        Ok(Value::Object(Default::default()))
    } else {
        serde_json::from_slice::<Value>(bytes)
    };
    let mut value = match parsed {
        Ok(v) => v,
        Err(e) if success => {
            return Err(ApiError::Decode { status, detail: format!("the answer is not JSON ({e})") });
        }
        Err(_) => return Err(error::classify(status, &ErrorHeaders::from_headers(headers), None)),
    };
    let token = take_token(&mut value);
    let value = crate::sanitize::json(value);
    let present = |key: &str| value.get(key).is_some_and(|v| !v.is_null());
    if !success || present("error_code") || present("tfa_type") {
        return Err(error::classify(status, &ErrorHeaders::from_headers(headers), Some(&value)));
    }
    Ok(Answer { body: value, token })
}

/// Removes `user.authtoken` from the body, keeping its order otherwise, before anything
/// sanitises it: the token must go back to the server byte for byte. Anything but a non-empty
/// string is no token.
fn take_token(value: &mut Value) -> Option<SecretString> {
    let user = value.get_mut("user")?.as_object_mut()?;
    match user.shift_remove("authtoken")? {
        Value::String(s) if !s.is_empty() => Some(SecretString::from(s)),
        _ => None,
    }
}

/// A model from a decoded body. Failure is a short `Decode` error saying what was wrong: no
/// `user`, a `user` that is not an object, or which required field is missing or of the wrong
/// type (optional fields of the wrong type read as absent: see [`super::lenient`]). Nothing
/// here quotes a value from the answer.
fn model<T: DeserializeOwned>(status: u16, body: Value) -> Result<T, ApiError> {
    let decode = |detail: String| ApiError::Decode { status, detail };
    match body.get("user") {
        None | Some(Value::Null) => return Err(decode("the answer has no `user`".into())),
        Some(Value::Object(_)) => {}
        Some(other) => return Err(decode(format!("its `user` is {}, not an object", kind_of(other)))),
    }
    serde_json::from_value(body).map_err(|e| model_error(status, e))
}

/// Which required field is missing or of the wrong type, in words.
fn model_error(status: u16, e: serde_json::Error) -> ApiError {
    let message = e.to_string();
    let detail = match message.strip_prefix("missing field ") {
        Some(field) => format!("the user's {field} is missing"),
        None if message.starts_with('`') => format!("the user's {message}"),
        None => format!("the user could not be read ({message})"),
    };
    ApiError::Decode { status, detail: detail.chars().take(160).collect() }
}

/// What a JSON value is, in words.
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The free-text `notice`, or nothing when it is absent or not a string: a notice is never
/// worth failing an answer that otherwise worked.
fn notice_text(notice: Option<&Value>) -> String {
    notice.and_then(Value::as_str).unwrap_or_default().to_string()
}

/// `{"user": {...}}`; other keys (`notice`) are read by [`notice_text`].
#[derive(Deserialize)]
struct UserEnvelope {
    user: User,
}

/// `{"stacks": [...]}`; `count` (sent with `include_count=true`) is not asked for.
#[derive(Deserialize)]
struct StacksEnvelope {
    #[serde(deserialize_with = "super::lenient::field::stacks")]
    stacks: Vec<Stack>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use serde_json::json;

    fn bytes(v: Value) -> Vec<u8> {
        serde_json::to_vec(&v).expect("serialises")
    }

    #[test]
    fn login_takes_the_token_raw_and_sanitises_the_rest() {
        let body = bytes(json!({"notice": "Hi\u{1b}", "user": {
            "uid": "u1", "email": "a@b.c", "first_name": "\u{202e}x", "authtoken": "blt\u{1b}raw"}}));
        let ok = login(200, &HeaderMap::new(), &body).expect("login");
        assert_eq!(ok.authtoken.expose_secret(), "blt\u{1b}raw");
        assert_eq!(ok.notice, "Hi^[");
        assert_eq!(ok.user.first_name.as_deref(), Some("⟨U+202E⟩x"));
        assert!(!ok.user.extra.contains_key("authtoken"));
    }

    #[test]
    fn login_without_a_token_is_no_token_even_with_a_bad_user() {
        for user in [json!({"uid": "u1", "email": "a@b.c"}), json!(5), json!({"authtoken": ""})] {
            let err = login(200, &HeaderMap::new(), &bytes(json!({"notice": "sso", "user": user})));
            assert!(matches!(&err, Err(ApiError::NoToken { notice }) if notice == "sso"), "{err:?}");
        }
    }

    #[test]
    fn a_notice_of_the_wrong_type_reads_as_none() {
        let body = bytes(json!({"notice": 5, "user": {"uid": "u1", "email": "a@b.c"}}));
        assert_eq!(update(200, &HeaderMap::new(), &body).expect("update").notice, "");
        assert_eq!(notice(200, &HeaderMap::new(), &bytes(json!({"notice": []}))).expect("ok").notice, "");
    }

    #[test]
    fn empty_success_is_an_empty_object() {
        assert_eq!(notice(204, &HeaderMap::new(), b"").expect("empty").notice, "");
        assert!(matches!(user(200, &HeaderMap::new(), b" \n"), Err(ApiError::Decode { status: 200, .. })));
    }

    #[test]
    fn error_code_on_a_2xx_is_an_error() {
        let body = bytes(json!({"error_code": 105, "error_message": "bad token"}));
        assert!(matches!(user(200, &HeaderMap::new(), &body), Err(ApiError::Unauthorized { .. })));
        let tfa = bytes(json!({"tfa_type": "totp_authenticator"}));
        assert!(matches!(login(200, &HeaderMap::new(), &tfa), Err(ApiError::TfaRequired { .. })));
    }

    #[test]
    fn optional_fields_of_the_wrong_type_read_as_absent() {
        // As JSON text: `-1e308` and a huge integer are numbers no `i64` holds.
        let body = br#"{"user": {"uid": "u1", "email": "a@b.c", "first_name": "Ann",
            "failed_attempts": "3", "active": "yes", "last_name": 7, "company": null,
            "org_uid": ["o1", 5, null, "o2"], "shared_org_uid": "o3",
            "roles": [5, {"uid": "r1", "name": ["x"], "users": {"a": 1},
                "rules": ["read", {"module": "asset", "acl": "all", "assets": ["$all"]}]}],
            "organizations": {"uid": "o1"}, "password_reset_required": 1}}"#;
        let u = user(200, &HeaderMap::new(), body).expect("readable despite the odd fields");
        assert_eq!((u.uid.as_str(), u.first_name.as_deref()), ("u1", Some("Ann")));
        assert_eq!((u.failed_attempts, u.active, u.last_name.as_deref()), (None, None, None));
        assert_eq!(u.org_uid, ["o1", "o2"]);
        assert!(u.shared_org_uid.is_empty() && u.organizations.is_none());
        assert_eq!(u.password_reset_required, None);
        assert_eq!(u.roles.len(), 1, "the role that is not an object is left out");
        let role = &u.roles[0];
        assert_eq!((role.uid.as_deref(), role.name.as_deref()), (Some("r1"), None));
        assert!(role.users.is_empty());
        assert_eq!(role.rules.len(), 1);
        assert_eq!(role.rules[0].module.as_deref(), Some("asset"));
        assert!(role.rules[0].acl.is_empty());
        for n in ["-1e308", "1.5", "18446744073709551615", "true", "[]", "{}"] {
            let body = format!(r#"{{"user": {{"uid": "u", "email": "e", "failed_attempts": {n}}}}}"#);
            let u = user(200, &HeaderMap::new(), body.as_bytes()).expect(n);
            assert_eq!(u.failed_attempts, None, "{n}");
        }
        let ok =
            user(200, &HeaderMap::new(), br#"{"user": {"uid": "u", "email": "e", "failed_attempts": 3}}"#);
        assert_eq!(ok.expect("a user").failed_attempts, Some(3));
    }

    #[test]
    fn an_organisation_without_a_uid_is_kept_with_an_empty_one() {
        let body = bytes(
            json!({"user": {"uid": "u", "email": "e", "organizations": [{"name": "Acme"}, {"uid": 5}]}}),
        );
        let orgs = user(200, &HeaderMap::new(), &body).expect("a user").organizations.unwrap_or_default();
        assert_eq!(orgs.len(), 2);
        assert_eq!((orgs[0].uid.as_str(), orgs[0].name.as_deref()), ("", Some("Acme")));
        assert_eq!(orgs[1].uid, "");
    }

    #[test]
    fn a_wrong_required_field_is_named() {
        let cases = [
            (json!({"user": {"uid": 5, "email": "e"}}), "the user's `uid` is a number, not text"),
            (json!({"user": {"uid": "u", "email": ["e"]}}), "the user's `email` is a list, not text"),
            (json!({"user": {"uid": "u", "email": null}}), "the user's `email` is null, not text"),
            (json!({"user": {"uid": "u"}}), "the user's `email` is missing"),
            (json!({"user": "u"}), "its `user` is text, not an object"),
            (json!({"notice": "hi"}), "the answer has no `user`"),
        ];
        for (body, want) in cases {
            let err = user(200, &HeaderMap::new(), &bytes(body.clone())).expect_err("unreadable");
            assert!(matches!(&err, ApiError::Decode { detail, .. } if detail == want), "{body}: {err:?}");
            assert!(err.user_message().contains(want), "{}", err.user_message());
        }
    }

    #[test]
    fn deep_nesting_is_a_decode_error_not_a_stack_overflow() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = user(200, &HeaderMap::new(), deep.as_bytes());
        assert!(
            matches!(&err, Err(ApiError::Decode { status: 200, detail }) if detail.contains("recursion"))
        );
        // Within the limit, nesting inside a user is kept as it came.
        let nested = format!(
            "{{\"user\":{{\"uid\":\"u\",\"email\":\"e\",\"x\":{}1{}}}}}",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(user(200, &HeaderMap::new(), nested.as_bytes()).is_ok());
    }

    #[test]
    fn stacks_are_read_sanitised_and_without_their_secrets() {
        // The shape of the Python SDK's mock `tests/resources/mockstack/stacks.json`.
        let body = bytes(json!({"stacks": [{
            "created_at": "2014-05-27T09:46:28.488Z", "updated_at": "2014-10-21T12:20:00.453Z",
            "uid": "uid_9349", "name": "My First Stack\u{1b}[2J", "description": "My new test stack",
            "org_uid": "org_uid_1234", "api_key": "api_key_1234", "master_locale": "en-us",
            "is_asset_download_public": true, "owner_uid": "owner_uid_xyz",
            "user_uids": ["user_uid_11f", "user_uid_1234"], "master_key": "master_1234",
            "discrete_variables": {"access_token": "cs-secret"},
            "settings": {"webhook_enabled": true}
        }, "not a stack", {"name": "No key", "api_key": 5}]}));
        let list = stacks(200, &HeaderMap::new(), &body).expect("stacks");
        assert_eq!(list.len(), 2, "the element that is not an object is left out");
        let s = &list[0];
        assert_eq!(s.uid.as_deref(), Some("uid_9349"));
        assert_eq!(s.name.as_deref(), Some("My First Stack^[[2J"));
        assert_eq!(s.api_key, "api_key_1234");
        assert_eq!(s.org_uid.as_deref(), Some("org_uid_1234"));
        assert_eq!(s.owner_uid.as_deref(), Some("owner_uid_xyz"));
        assert_eq!(s.master_locale.as_deref(), Some("en-us"));
        assert_eq!(s.created_at.as_deref(), Some("2014-05-27T09:46:28.488Z"));
        assert_eq!(s.extra.get("user_uids"), Some(&json!(["user_uid_11f", "user_uid_1234"])));
        for secret in STACK_SECRETS {
            assert!(!s.extra.contains_key(secret), "{secret}");
        }
        let printed = serde_json::to_string(&list).expect("serialises");
        assert!(!printed.contains("master_1234") && !printed.contains("cs-secret"), "{printed}");
        assert_eq!((list[1].api_key.as_str(), list[1].display_name()), ("", "No key"));
    }

    #[test]
    fn a_stacks_answer_without_a_list_is_named() {
        assert_eq!(stacks(200, &HeaderMap::new(), &bytes(json!({"stacks": []}))).expect("empty"), vec![]);
        let cases = [
            (json!({"user": {}}), "the answer has no `stacks`"),
            (json!({"stacks": null}), "the answer has no `stacks`"),
            (json!({"stacks": {"uid": "s"}}), "its `stacks` is an object, not a list"),
        ];
        for (body, want) in cases {
            let err = stacks(200, &HeaderMap::new(), &bytes(body.clone())).expect_err("unreadable");
            assert!(matches!(&err, ApiError::Decode { detail, .. } if detail == want), "{body}: {err:?}");
        }
        let refused = bytes(json!({"error_message": "Nope", "error_code": 105}));
        assert!(matches!(stacks(401, &HeaderMap::new(), &refused), Err(ApiError::Unauthorized { .. })));
    }
}
