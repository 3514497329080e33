//! The demo server over real HTTP, as Contentstack's clients use it: status codes, error bodies,
//! lockout, 2FA, password flows, faults, rate limit. Every server here binds its own loopback
//! port, so the tests run in parallel.

use std::time::{Duration, Instant};

use cs_account::api::outbox::OutboxKind;
use cs_account::demo::{
    DEMO_LOGINS, DemoOptions, DemoServer, FaultAnswer, Faults, RouteFault, TFA_SECRET, totp_now,
};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

const JOHN: &str = "john.doe@example.com";
const TFA: &str = "tfa.user@example.com";
const NEW: &str = "new.user@example.com";
const PW: &str = "Demo-pass-1234";
const NEW_PW: &str = "Fresh-start-42";

async fn start(opts: DemoOptions) -> DemoServer {
    match DemoServer::start(opts).await {
        Ok(s) => s,
        Err(e) => panic!("demo server did not start: {e}"),
    }
}

/// A server without rate limit.
async fn server() -> DemoServer {
    start(DemoOptions { rate_limit: 0, ..DemoOptions::default() }).await
}

fn client() -> Client {
    Client::builder().timeout(Duration::from_secs(20)).build().unwrap_or_default()
}

/// Sends a request and returns the status and the JSON body (Null if not JSON).
async fn call(
    s: &DemoServer,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = client().request(method, format!("{}{path}", s.base_url()));
    if let Some(t) = token {
        req = req.header("authtoken", t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) => panic!("{path}: no answer: {e}"),
    };
    let status = resp.status();
    let bytes = resp.bytes().await.unwrap_or_default();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn login(s: &DemoServer, email: &str, password: &str, tfa: Option<&str>) -> (StatusCode, Value) {
    let mut user = json!({"email": email, "password": password});
    if let Some(code) = tfa {
        user["tfa_token"] = json!(code);
    }
    call(s, Method::POST, "/v3/user-session", None, Some(json!({ "user": user }))).await
}

/// Logs in and returns the authtoken.
async fn token(s: &DemoServer, email: &str, password: &str) -> String {
    let (status, body) = login(s, email, password, None).await;
    assert_eq!(status, 200, "{body}");
    body["user"]["authtoken"].as_str().unwrap_or_default().to_string()
}

fn code_at(unix: i64) -> String {
    let bytes = totp_rs::Secret::Encoded(TFA_SECRET.into()).to_bytes().unwrap_or_default();
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes).generate(unix as u64)
}

fn last_mail(s: &DemoServer, kind: OutboxKind, to: &str) -> Option<cs_account::api::outbox::OutboxMessage> {
    s.outbox().into_iter().rev().find(|m| m.kind == kind && m.to.contains(to))
}

#[tokio::test]
async fn login_succeeds_with_a_fresh_token_and_the_sample_profile() {
    let s = server().await;
    let (status, body) = login(&s, JOHN, PW, None).await;
    assert_eq!(status, 200);
    assert_eq!(body["notice"], "Login Successful.");
    let user = &body["user"];
    let token = user["authtoken"].as_str().unwrap_or_default();
    assert!(
        token.len() == 19 && token.starts_with("blt") && token[3..].chars().all(|c| c.is_ascii_hexdigit())
    );
    assert_eq!(user["email"], JOHN);
    assert_eq!(user["username"], "john.doe_blt11fed1e1");
    assert_eq!(user["shared_org_uid"].as_array().map(Vec::len), Some(3));
    assert_eq!(user["roles"][0]["rules"][2]["acl"]["publish"], true);
    assert_eq!(user["settings"]["global"][0]["key"], "favorite_stacks");
    assert!(user.get("tfa_enabled").is_none() && user.get("password").is_none(), "no seed flags leak");
    assert!(user.get("organizations").is_none(), "organisations only when asked");
    assert_ne!(user["last_login_at"], "2025-07-08T08:46:26.437Z", "last_login_at moves");
    let again = login(&s, JOHN, PW, None).await.1;
    assert_ne!(again["user"]["authtoken"], user["authtoken"], "a new token per session");
    let q = "/v3/user-session?include_orgs_roles=true";
    let (_, with_orgs) =
        call(&s, Method::POST, q, None, Some(json!({"user": {"email": JOHN, "password": PW}}))).await;
    let orgs = with_orgs["user"]["organizations"].as_array().cloned().unwrap_or_default();
    assert_eq!(orgs.len(), 4);
    assert_eq!((orgs[0]["is_owner"].clone(), orgs[1]["is_owner"].clone()), (json!(true), json!(false)));
    assert_eq!(orgs[0]["org_roles"][0]["admin"], true);
    assert!(orgs[0]["name"].is_string() && orgs[0]["plan_id"].is_string());
    s.shutdown().await;
}

#[tokio::test]
async fn login_error_classes() {
    let s = server().await;
    let (status, wrong) = login(&s, JOHN, "nope", None).await;
    assert_eq!(status, 422);
    assert_eq!(
        wrong,
        json!({"error_message": "Looks like your email or password is invalid. Please try again or reset your password. You have 4 login attempt(s) left.", "error_code": 104, "errors": {}})
    );
    let (status, unknown) = login(&s, "nobody@example.com", "nope", None).await;
    assert_eq!((status, unknown), (StatusCode::UNPROCESSABLE_ENTITY, wrong), "unknown emails look the same");
    let (status, missing) = call(&s, Method::POST, "/v3/user-session", None, Some(json!({}))).await;
    assert_eq!(status, 422);
    assert!(missing["errors"]["user"].is_array(), "{missing}");
    let (status, no_pw) =
        call(&s, Method::POST, "/v3/user-session", None, Some(json!({"user": {"email": JOHN}}))).await;
    assert_eq!(status, 422);
    assert_eq!(no_pw["errors"]["password"], json!(["can't be blank."]));
    assert!(no_pw["errors"].get("email").is_none());
    let blank = json!({"user": {"email": "   ", "password": PW}});
    let (status, body) = call(&s, Method::POST, "/v3/user-session", None, Some(blank)).await;
    assert_eq!(
        (status, body["errors"]["email"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!(["can't be blank."]))
    );
    let (status, inactive) = login(&s, NEW, "whatever-1A!", None).await;
    assert_eq!(status, 422);
    assert_eq!(inactive["error_code"], cs_account::demo::CODE_NOT_ACTIVATED);
    assert_eq!(
        inactive["error_message"],
        "Your account has not been activated yet. Open the activation link we sent to your email."
    );
    s.shutdown().await;
}

#[tokio::test]
async fn five_failures_lock_for_fifteen_minutes_of_demo_time() {
    let s = server().await;
    for left in (1..=4).rev() {
        let (_, body) = login(&s, JOHN, "wrong", None).await;
        assert!(
            body["error_message"].as_str().is_some_and(|m| m.contains(&format!("You have {left} login")))
        );
    }
    assert_eq!(s.user_snapshot(JOHN).map(|u| u["failed_attempts"].clone()), Some(json!(4)));
    let (status, fifth) = login(&s, JOHN, "wrong", None).await;
    assert_eq!((status, fifth["error_code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!(104)));
    let msg = fifth["error_message"].as_str().unwrap_or_default().to_string();
    assert!(msg.contains("locked") && msg.contains("15 minute"), "{msg}");
    let (status, right) = login(&s, JOHN, PW, None).await;
    assert_eq!(status, 422, "locked even with the right password");
    assert!(right["error_message"].as_str().is_some_and(|m| m.contains("locked")));
    s.advance_clock(Duration::from_secs(14 * 60));
    assert_eq!(login(&s, JOHN, PW, None).await.0, 422, "still locked after 14 minutes");
    s.advance_clock(Duration::from_secs(61));
    assert_eq!(login(&s, JOHN, PW, None).await.0, 200, "unlocked after 15");
    let (_, after) = login(&s, JOHN, "wrong", None).await;
    assert!(after["error_message"].as_str().is_some_and(|m| m.contains("4 login attempt")), "counter reset");
    for _ in 0..5 {
        login(&s, "ghost@example.com", "wrong", None).await;
    }
    let (_, ghost) = login(&s, "ghost@example.com", "wrong", None).await;
    assert!(ghost["error_message"].as_str().is_some_and(|m| m.contains("locked")), "unknown emails lock too");
    s.shutdown().await;
}

#[tokio::test]
async fn totp_second_factor_uses_the_demo_clock() {
    let s = server().await;
    let (status, need) = login(&s, TFA, PW, None).await;
    assert_eq!(status, 422);
    assert_eq!(
        need,
        json!({"error_message": "Please login using the Two-Factor verification Token", "error_code": 294, "errors": [], "tfa_type": "totp_authenticator"})
    );
    let real_code = code_at(s.now().timestamp());
    let bad = if real_code == "000000" { "111111" } else { "000000" };
    let (status, wrong) = login(&s, TFA, PW, Some(bad)).await;
    assert_eq!(status, 422);
    assert_eq!(
        wrong,
        json!({"error_message": "Invalid verification code. Please try again.", "error_code": 295, "errors": []})
    );
    assert_eq!(
        s.user_snapshot(TFA).map(|u| u["failed_attempts"].clone()),
        Some(json!(1)),
        "counts as a failure"
    );
    let (status, ok) = login(&s, TFA, PW, Some(&real_code)).await;
    assert_eq!(status, 200, "{ok}");
    assert!(ok["user"]["authtoken"].is_string());
    assert_eq!(totp_now(), code_at(chrono::Utc::now().timestamp()), "totp_now follows the real clock");
    s.advance_clock(Duration::from_secs(600));
    let (status, stale) = login(&s, TFA, PW, Some(&totp_now())).await;
    assert_eq!((status, stale["error_code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!(295)));
    assert_eq!(login(&s, TFA, PW, Some(&code_at(s.now().timestamp()))).await.0, 200);
    s.shutdown().await;
}

#[tokio::test]
async fn sms_codes_come_from_the_outbox_and_work_once() {
    let s = server().await;
    let sms = |pw: &str| json!({"user": {"email": TFA, "password": pw}});
    let (status, body) = call(&s, Method::POST, "/v3/user/request_token_sms", None, Some(sms("bad"))).await;
    assert_eq!((status, body["error_code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!(104)));
    assert!(last_mail(&s, OutboxKind::Sms, "").is_none());
    let (status, body) = call(&s, Method::POST, "/v3/user/request_token_sms", None, Some(sms(PW))).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"notice": "Security code sent to your mobile."})));
    let msg = last_mail(&s, OutboxKind::Sms, "+1 5550104242");
    let code = msg.as_ref().and_then(|m| m.code.clone()).unwrap_or_default();
    assert!(code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()), "{msg:?}");
    assert!(msg.as_ref().is_some_and(|m| m.expires_at.is_some() && m.body.contains(&code)));
    assert_eq!(login(&s, TFA, PW, Some(&code)).await.0, 200);
    let (status, reuse) = login(&s, TFA, PW, Some(&code)).await;
    let totp_ok = [-30, 0, 30].iter().any(|d| code_at(s.now().timestamp() + d) == code);
    if !totp_ok {
        assert_eq!((status, reuse["error_code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!(295)));
    }
    call(&s, Method::POST, "/v3/user/request_token_sms", None, Some(sms(PW))).await;
    let code = last_mail(&s, OutboxKind::Sms, "").and_then(|m| m.code).unwrap_or_default();
    s.advance_clock(Duration::from_secs(5 * 60 + 1));
    let expired_ok = [-30, 0, 30].iter().any(|d| code_at(s.now().timestamp() + d) == code);
    if !expired_ok {
        assert_eq!(login(&s, TFA, PW, Some(&code)).await.0, 422, "SMS codes expire after 5 minutes");
    }
    let john = json!({"user": {"email": JOHN, "password": PW}});
    let (status, no_tfa) = call(&s, Method::POST, "/v3/user/request_token_sms", None, Some(john)).await;
    assert_eq!(status, 422);
    assert!(no_tfa["errors"]["email"].is_array());
    s.shutdown().await;
}

#[tokio::test]
async fn logout_kills_the_token_and_bad_tokens_get_401_105() {
    let s =
        start(DemoOptions { rate_limit: 0, session_ttl: Duration::from_secs(3600), ..Default::default() })
            .await;
    let t = token(&s, JOHN, PW).await;
    let expected_401 = json!({"error_message": "You're not allowed in here unless you're logged in.", "error_code": 105, "errors": {"authtoken": ["is not valid."]}});
    // As the Python SDK sends it: no body, a JSON content type, Content-Length: 0.
    let resp = client()
        .delete(format!("{}/v3/user-session", s.base_url()))
        .header("authtoken", &t)
        .header("Content-Type", "application/json")
        .header("Content-Length", "0")
        .send()
        .await;
    let resp = match resp {
        Ok(r) => r,
        Err(e) => panic!("logout: {e}"),
    };
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.ok(), Some(json!({"notice": "You've logged out successfully!"})));
    assert_eq!(
        call(&s, Method::GET, "/v3/user", Some(&t), None).await,
        (StatusCode::UNAUTHORIZED, expected_401.clone())
    );
    assert_eq!(call(&s, Method::DELETE, "/v3/user-session", Some(&t), None).await.0, 401);
    assert_eq!(
        call(&s, Method::GET, "/v3/user", None, None).await,
        (StatusCode::UNAUTHORIZED, expected_401.clone())
    );
    let unknown = call(&s, Method::GET, "/v3/user", Some("blt0123456789abcdef"), None).await;
    assert_eq!(unknown, (StatusCode::UNAUTHORIZED, expected_401.clone()));
    let t = token(&s, JOHN, PW).await;
    s.advance_clock(Duration::from_secs(59 * 60));
    assert_eq!(call(&s, Method::GET, "/v3/user", Some(&t), None).await.0, 200);
    s.advance_clock(Duration::from_secs(61));
    assert_eq!(
        call(&s, Method::GET, "/v3/user", Some(&t), None).await,
        (StatusCode::UNAUTHORIZED, expected_401)
    );
    s.shutdown().await;
}

#[tokio::test]
async fn get_user_with_and_without_organisations() {
    let s = server().await;
    let t = token(&s, JOHN, PW).await;
    // The Python SDK sends a JSON content type on GET, without a body.
    let resp = client()
        .get(format!("{}/v3/user", s.base_url()))
        .header("authtoken", &t)
        .header("Content-Type", "application/json")
        .send()
        .await;
    let plain: Value = match resp {
        Ok(r) => {
            assert_eq!(r.status(), 200);
            r.json().await.unwrap_or_default()
        }
        Err(e) => panic!("{e}"),
    };
    assert_eq!(plain["user"]["authtoken"], t.as_str());
    assert!(plain["user"].get("organizations").is_none());
    let (_, basic) = call(&s, Method::GET, "/v3/user?include_orgs=true", Some(&t), None).await;
    let orgs = basic["user"]["organizations"].as_array().cloned().unwrap_or_default();
    assert_eq!(orgs.len(), 4);
    assert!(orgs.iter().all(|o| o["uid"].is_string() && o["name"].is_string() && o["is_owner"].is_boolean()));
    assert!(orgs.iter().all(|o| o.get("org_roles").is_none()), "org_roles only with include_orgs_roles");
    let (_, full) = call(&s, Method::GET, "/v3/user?include_orgs_roles=true", Some(&t), None).await;
    let roles = &full["user"]["organizations"][2]["org_roles"][0];
    assert_eq!((roles["name"].clone(), roles["admin"].clone()), (json!("Member"), json!(false)));
    s.shutdown().await;
}

#[tokio::test]
async fn put_user_changes_only_editable_fields() {
    let s = server().await;
    let t = token(&s, JOHN, PW).await;
    let (_, got) = call(&s, Method::GET, "/v3/user?include_orgs_roles=true", Some(&t), None).await;
    // What the JS SDK's user.update() sends: the whole object, with its own additions.
    let mut whole = got["user"].clone();
    whole["first_name"] = json!("Johnny");
    whole["company"] = json!("Acme Inc.");
    whole["email"] = json!("hijack@example.com");
    whole["active"] = json!(false);
    whole["failed_attempts"] = json!(3);
    whole["roles"] = json!([]);
    whole["authtoken"] = json!("bltffffffffffffffff");
    whole["brand_new"] = json!({"x": 1});
    if let Some(orgs) = whole["organizations"].as_array_mut() {
        for o in orgs {
            o["urlPath"] = json!("/organizations/x");
        }
    }
    let (status, body) = call(&s, Method::PUT, "/v3/user", Some(&t), Some(json!({ "user": whole }))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["notice"], "Profile updated successfully.");
    assert_eq!(
        (body["user"]["first_name"].clone(), body["user"]["email"].clone()),
        (json!("Johnny"), json!(JOHN))
    );
    let stored = s.user_snapshot(JOHN).unwrap_or_default();
    assert_eq!(stored["first_name"], "Johnny");
    assert_eq!(stored["company"], "Acme Inc.");
    assert_eq!(stored["email"], JOHN);
    assert_eq!(stored["active"], true);
    assert_eq!(stored["failed_attempts"], 0);
    assert_eq!(stored["roles"].as_array().map(Vec::len), Some(1));
    assert!(stored.get("brand_new").is_none());
    let updated = stored["updated_at"].as_str().unwrap_or_default();
    let when = chrono::DateTime::parse_from_rfc3339(updated).map(|d| d.timestamp()).unwrap_or(0);
    assert!((when - s.now().timestamp()).abs() < 60, "updated_at bumped to now: {updated}");
    assert_eq!(call(&s, Method::GET, "/v3/user", Some("bltffffffffffffffff"), None).await.0, 401);
    // Python SDK style: only the given fields; empty strings clear phone fields.
    let clear = json!({"user": {"mobile_number": "", "country_code": ""}});
    assert_eq!(call(&s, Method::PUT, "/v3/user", Some(&t), Some(clear)).await.0, 200);
    assert_eq!(s.user_snapshot(JOHN).map(|u| u["mobile_number"].clone()), Some(json!("")));
    s.shutdown().await;
}

#[tokio::test]
async fn put_user_validation_names_every_field() {
    let s = server().await;
    let t = token(&s, JOHN, PW).await;
    let before = s.user_snapshot(JOHN);
    let bad = json!({"user": {"first_name": "  ", "last_name": "x".repeat(65), "company": "c".repeat(101),
        "mobile_number": "98 98", "country_code": "+91"}});
    let (status, body) = call(&s, Method::PUT, "/v3/user", Some(&t), Some(bad)).await;
    assert_eq!(status, 422);
    assert_eq!(body["error_code"], cs_account::demo::CODE_VALIDATION);
    assert_eq!(body["error_message"], "First name can't be blank.");
    for key in cs_account::demo::EDITABLE_FIELDS {
        assert!(body["errors"][key].as_array().is_some_and(|a| !a.is_empty()), "{key}: {body}");
    }
    let ctrl = json!({"user": {"last_name": "Doe\u{1b}[2J"}});
    let (_, body) = call(&s, Method::PUT, "/v3/user", Some(&t), Some(ctrl)).await;
    assert_eq!(body["errors"]["last_name"], json!(["must not contain control characters."]));
    assert_eq!(call(&s, Method::PUT, "/v3/user", Some(&t), Some(json!({"first_name": "x"}))).await.0, 422);
    assert_eq!(s.user_snapshot(JOHN), before, "nothing stored");
    s.shutdown().await;
}

async fn forgot(s: &DemoServer, email: &str) -> (StatusCode, Value) {
    call(s, Method::POST, "/v3/user/forgot_password", None, Some(json!({"user": {"email": email}}))).await
}

async fn reset(s: &DemoServer, token: &str, pw: &str, confirm: &str) -> (StatusCode, Value) {
    let body =
        json!({"user": {"reset_password_token": token, "password": pw, "password_confirmation": confirm}});
    call(s, Method::POST, "/v3/user/reset_password", None, Some(body)).await
}

#[tokio::test]
async fn forgot_and_reset_password() {
    let s = server().await;
    let notice = json!({"notice": "If this email address exists, we will send you an email with instructions for resetting your password."});
    assert_eq!(forgot(&s, "nobody@example.com").await, (StatusCode::OK, notice.clone()));
    assert!(last_mail(&s, OutboxKind::ResetPassword, "").is_none(), "nothing sent to unknown addresses");
    assert_eq!(forgot(&s, JOHN).await, (StatusCode::OK, notice));
    let mail = last_mail(&s, OutboxKind::ResetPassword, JOHN);
    let tok = mail.as_ref().and_then(|m| m.token.clone()).unwrap_or_default();
    assert!(tok.len() >= 32, "unguessable: {tok}");
    let link = mail.as_ref().and_then(|m| m.link.clone()).unwrap_or_default();
    assert_eq!(link, format!("https://app.contentstack.com/#!/reset-password?token={tok}"));
    let (status, body) = reset(&s, &tok, NEW_PW, "Fresh-start-43").await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"], json!({"password_confirmation": ["doesn't match password."]}));
    let (_, weak) = reset(&s, &tok, "weakpass", "weakpass").await;
    let rules = weak["errors"]["password"].as_array().map(Vec::len);
    assert_eq!(rules, Some(3), "upper case, digit, symbol: {weak}");
    let (_, bad_tok) = reset(&s, "bltnotatoken", NEW_PW, NEW_PW).await;
    assert_eq!(bad_tok["errors"]["reset_password_token"], json!(["is invalid or has already been used."]));
    let ok = reset(&s, &tok, NEW_PW, NEW_PW).await;
    assert_eq!(ok, (StatusCode::OK, json!({"notice": "Your password has been reset successfully."})));
    assert_eq!(login(&s, JOHN, PW, None).await.1["error_code"], 104, "the old password is dead");
    assert_eq!(login(&s, JOHN, NEW_PW, None).await.0, 200);
    let (_, reuse) = reset(&s, &tok, "Another-pass-1", "Another-pass-1").await;
    assert_eq!(reuse["errors"]["reset_password_token"], json!(["is invalid or has already been used."]));
    s.shutdown().await;
}

#[tokio::test]
async fn reset_tokens_expire_after_sixty_minutes_and_resets_unlock() {
    let s = server().await;
    for _ in 0..5 {
        login(&s, JOHN, "wrong", None).await;
    }
    forgot(&s, JOHN).await;
    let tok = last_mail(&s, OutboxKind::ResetPassword, JOHN).and_then(|m| m.token).unwrap_or_default();
    s.advance_clock(Duration::from_secs(61 * 60));
    let (status, body) = reset(&s, &tok, NEW_PW, NEW_PW).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"]["reset_password_token"], json!(["has expired. Request a new one."]));
    for _ in 0..5 {
        login(&s, JOHN, "wrong", None).await;
    }
    assert!(
        login(&s, JOHN, PW, None).await.1["error_message"].as_str().is_some_and(|m| m.contains("locked"))
    );
    forgot(&s, JOHN).await;
    let tok = last_mail(&s, OutboxKind::ResetPassword, JOHN).and_then(|m| m.token).unwrap_or_default();
    assert_eq!(reset(&s, &tok, NEW_PW, NEW_PW).await.0, 200);
    assert_eq!(login(&s, JOHN, NEW_PW, None).await.0, 200, "a reset lifts the lock");
    s.shutdown().await;
}

#[tokio::test]
async fn activation_from_the_outbox() {
    let s = server().await;
    assert_eq!(DEMO_LOGINS[2].email, NEW);
    let mail = last_mail(&s, OutboxKind::Activation, NEW);
    let tok = mail.as_ref().and_then(|m| m.token.clone()).unwrap_or_default();
    assert!(mail.as_ref().and_then(|m| m.link.clone()).is_some_and(|l| l.ends_with(&tok)) && !tok.is_empty());
    let path = format!("/v3/user/activate/{tok}");
    let bad = json!({"user": {"first_name": "", "last_name": "Ng", "password": "short", "password_confirmation": "short"}});
    let (status, body) = call(&s, Method::POST, &path, None, Some(bad)).await;
    assert_eq!(status, 422);
    assert!(body["errors"]["first_name"].is_array() && body["errors"]["password"].is_array(), "{body}");
    assert!(
        body["errors"].get("last_name").is_none() && body["errors"].get("user_activation_token").is_none()
    );
    let good = json!({"user": {"first_name": "Nia", "last_name": "Ng", "password": NEW_PW, "password_confirmation": NEW_PW}});
    let (_, wrong_tok) = call(&s, Method::POST, "/v3/user/activate/bltnope", None, Some(good.clone())).await;
    assert_eq!(wrong_tok["errors"]["user_activation_token"], json!(["is invalid or has already been used."]));
    let ok = call(&s, Method::POST, &path, None, Some(good.clone())).await;
    assert_eq!(ok, (StatusCode::OK, json!({"notice": "Your account has been activated."})));
    let stored = s.user_snapshot(NEW).unwrap_or_default();
    assert_eq!((stored["active"].clone(), stored["first_name"].clone()), (json!(true), json!("Nia")));
    let (status, logged) = login(&s, NEW, NEW_PW, None).await;
    assert_eq!((status, logged["user"]["last_name"].clone()), (StatusCode::OK, json!("Ng")));
    assert_eq!(call(&s, Method::POST, &path, None, Some(good)).await.0, 422, "single use");
    s.shutdown().await;
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let s = start(DemoOptions { rate_limit: 3, ..Default::default() }).await;
    let c = client();
    let url = format!("{}/v3/user", s.base_url());
    let mut seen = Vec::new();
    for _ in 0..4 {
        match c.get(&url).send().await {
            Ok(r) => seen.push((
                r.status().as_u16(),
                r.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string),
                r.headers().get("x-ratelimit-remaining").and_then(|v| v.to_str().ok()).map(str::to_string),
                r.headers().get("x-ratelimit-limit").and_then(|v| v.to_str().ok()).map(str::to_string),
                r.json::<Value>().await.unwrap_or_default(),
            )),
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(seen[0].0, 401);
    assert_eq!((seen[0].2.as_deref(), seen[0].3.as_deref()), (Some("2"), Some("3")));
    let (status, retry, remaining, _, body) = &seen[3];
    assert_eq!(*status, 429, "{seen:?}");
    assert_eq!((retry.as_deref(), remaining.as_deref()), (Some("1"), Some("0")));
    assert_eq!(
        body,
        &json!({"error_message": "Too many requests. Please wait and try again.", "error_code": 429})
    );
    for _ in 0..10 {
        let demo = c.get(format!("{}/demo/clock", s.base_url())).send().await.map(|r| r.status().as_u16());
        assert_eq!(demo.ok(), Some(200), "/demo is exempt");
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(c.get(&url).send().await.map(|r| r.status().as_u16()).ok(), Some(401), "the window reopens");
    s.shutdown().await;
}

#[tokio::test]
async fn bodies_that_are_not_json_and_unknown_routes() {
    let s = server().await;
    let resp = client()
        .post(format!("{}/v3/user-session", s.base_url()))
        .header("Content-Type", "application/json")
        .body("email=john&password=x")
        .send()
        .await;
    let (status, body) = match resp {
        Ok(r) => (r.status(), r.json::<Value>().await.unwrap_or_default()),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"error_message": "Bad request: the request body is not valid JSON.", "error_code": 400})
    );
    let (status, body) = call(&s, Method::GET, "/v3/content_types", None, None).await;
    assert_eq!(status, 404);
    assert!(body["error_message"].is_string());
    let (status, body) = call(&s, Method::GET, "/v3/user-session", None, None).await;
    assert_eq!((status, body["error_code"].clone()), (StatusCode::METHOD_NOT_ALLOWED, json!(405)));
    s.shutdown().await;
}

#[tokio::test]
async fn demo_routes_show_the_outbox_and_move_the_clock() {
    let s = server().await;
    let (_, outbox) = call(&s, Method::GET, "/demo/outbox?kind=activation", None, None).await;
    assert_eq!(outbox["messages"][0]["to"], NEW);
    assert_eq!(outbox["messages"].as_array().map(Vec::len), Some(1));
    let (_, clock) = call(&s, Method::POST, "/demo/clock", None, Some(json!({"advance_secs": 120}))).await;
    assert_eq!(clock["offset_secs"], 120);
    let (_, clock) = call(&s, Method::GET, "/demo/clock", None, None).await;
    let now = clock["now"].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
    assert!(now.is_some_and(|t| (t.timestamp() - chrono::Utc::now().timestamp() - 120).abs() < 5));
    let (status, _) = call(&s, Method::POST, "/demo/clock", None, Some(json!({"advance_secs": -5}))).await;
    assert_eq!(status, 422);
    s.shutdown().await;
}

fn route(method: &str, path: &str, answer: FaultAnswer, times: Option<u32>) -> RouteFault {
    RouteFault { method: method.into(), path: path.into(), answer, times }
}

#[tokio::test]
async fn forced_status_counts_down_and_malformed_bodies() {
    let s = server().await;
    let faults = json!({"routes": [
        {"method": "GET", "path": "/v3/user", "answer": {"kind": "status", "status": 502}, "times": 2},
        {"method": "post", "path": "/v3/user/forgot_password", "answer": {"kind": "status", "status": 500, "body": {"boom": true}}}
    ]});
    assert_eq!(call(&s, Method::PUT, "/demo/faults", None, Some(faults)).await.0, 200);
    let first = call(&s, Method::GET, "/v3/user", None, None).await;
    assert_eq!((first.0, first.1["error_code"].clone()), (StatusCode::BAD_GATEWAY, json!(502)));
    let (_, in_force) = call(&s, Method::GET, "/demo/faults", None, None).await;
    assert_eq!(in_force["routes"][0]["times"], 1);
    assert_eq!(call(&s, Method::GET, "/v3/user", None, None).await.0, 502);
    assert_eq!(call(&s, Method::GET, "/v3/user", None, None).await.0, 401, "the fault ran out");
    assert_eq!(forgot(&s, JOHN).await, (StatusCode::INTERNAL_SERVER_ERROR, json!({"boom": true})));
    assert_eq!(call(&s, Method::DELETE, "/demo/faults", None, None).await.0, 200);
    assert_eq!(forgot(&s, JOHN).await.0, 200);
    let bad = json!({"fail_rate": 2.0});
    assert_eq!(call(&s, Method::PUT, "/demo/faults", None, Some(bad)).await.0, 422);

    s.set_faults(Faults {
        routes: vec![route("GET", "/v3/user", FaultAnswer::Malformed, Some(1))],
        ..Default::default()
    });
    let resp = client().get(format!("{}/v3/user", s.base_url())).send().await;
    let (status, bytes) = match resp {
        Ok(r) => (r.status(), r.bytes().await.unwrap_or_default()),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(status, 200);
    assert!(!bytes.is_empty() && serde_json::from_slice::<Value>(&bytes).is_err(), "{bytes:?}");
    assert!(bytes.starts_with(b"{\"error_message\""), "the real answer, cut short");
    assert!(s.faults().routes.is_empty());
    s.shutdown().await;
}

#[tokio::test]
async fn hang_times_out_and_shutdown_still_stops() {
    let s = server().await;
    s.set_faults(Faults { routes: vec![route("*", "/user", FaultAnswer::Hang, None)], ..Default::default() });
    let c = Client::builder().timeout(Duration::from_millis(400)).build().unwrap_or_default();
    let started = Instant::now();
    let err = c.get(format!("{}/v3/user", s.base_url())).send().await.err();
    assert!(err.as_ref().is_some_and(reqwest::Error::is_timeout), "{err:?}");
    assert!(started.elapsed() >= Duration::from_millis(400));
    // A request still hanging when the server stops must not hold the shutdown.
    let url = format!("{}/v3/user", s.base_url());
    let pending = tokio::spawn(async move { client().get(url).send().await.map(|r| r.status()) });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopping = Instant::now();
    s.shutdown().await;
    assert!(stopping.elapsed() < Duration::from_secs(3), "{:?}", stopping.elapsed());
    let outcome = tokio::time::timeout(Duration::from_secs(5), pending).await;
    assert!(matches!(outcome, Ok(Ok(Err(_)))), "the hung request ends without an answer: {outcome:?}");
}

#[tokio::test]
async fn reset_drops_the_connection_without_an_answer() {
    let s = server().await;
    s.set_faults(Faults {
        routes: vec![route("POST", "/v3/user-session", FaultAnswer::Reset, Some(1))],
        ..Default::default()
    });
    let body = json!({"user": {"email": JOHN, "password": PW}});
    let err = client().post(format!("{}/v3/user-session", s.base_url())).json(&body).send().await.err();
    let err = match err {
        Some(e) => e,
        None => panic!("a reset must not produce an HTTP answer"),
    };
    assert!(!err.is_timeout() && err.status().is_none(), "{err:?}");
    assert_eq!(login(&s, JOHN, PW, None).await.0, 200, "times: 1 used up");
    s.shutdown().await;
}

#[tokio::test]
async fn latency_and_fail_rate() {
    let s =
        start(DemoOptions { rate_limit: 0, latency: Duration::from_millis(300), ..Default::default() }).await;
    let started = Instant::now();
    assert_eq!(call(&s, Method::GET, "/v3/user", None, None).await.0, 401);
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
    let started = Instant::now();
    call(&s, Method::GET, "/demo/faults", None, None).await;
    assert!(started.elapsed() < Duration::from_millis(300), "/demo has no latency");
    s.set_faults(Faults { fail_rate: 1.0, ..Default::default() });
    for _ in 0..3 {
        let (status, body) = call(&s, Method::POST, "/v3/user-session", None, Some(json!({}))).await;
        assert_eq!((status, body["error_code"].clone()), (StatusCode::SERVICE_UNAVAILABLE, json!(503)));
    }
    s.set_faults(Faults { fail_rate: 0.0, ..Default::default() });
    assert_eq!(login(&s, JOHN, PW, None).await.0, 200);
    s.shutdown().await;
}

#[tokio::test]
async fn generated_profile_of_a_thousand_roles() {
    let started = Instant::now();
    let s = start(DemoOptions { rate_limit: 0, roles: Some(1000), rules: 50, ..Default::default() }).await;
    let start_time = started.elapsed();
    let t = token(&s, JOHN, PW).await;
    let resp = client().get(format!("{}/v3/user", s.base_url())).header("authtoken", &t).send().await;
    let bytes = match resp {
        Ok(r) => {
            assert_eq!(r.status(), 200);
            r.bytes().await.unwrap_or_default()
        }
        Err(e) => panic!("{e}"),
    };
    assert!(bytes.len() > 2_000_000, "a few MB: {}", bytes.len());
    let body: Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let roles = body["user"]["roles"].as_array().cloned().unwrap_or_default();
    assert_eq!(roles.len(), 1000);
    assert!(roles.iter().all(|r| r["rules"].as_array().map(Vec::len) == Some(50)));
    assert_eq!(roles[42]["name"].as_str().map(|n| n.starts_with("Role 0042 · ")), Some(true));
    assert!(start_time < Duration::from_secs(3), "start with 50,000 rules took {start_time:?}");
    s.shutdown().await;
}

/// Runs an SDK's conformance script, shows what it printed, and asserts it ended well saying
/// `passed`.
async fn passes(mut command: tokio::process::Command, passed: &str) {
    let out = match command.output().await {
        Ok(o) => o,
        Err(e) => panic!("could not run {:?}: {e}", command.as_std().get_program()),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && stdout.contains(passed), "the script did not say {passed:?}");
}

/// Contentstack's Python SDK against the demo, unchanged (see tests/conformance/python_sdk.py).
/// Needs a Python with `contentstack-management` and `pyotp`:
/// `CS_PYTHON=/tmp/venv/bin/python cargo test --test demo_server -- --ignored python_sdk`.
#[tokio::test]
#[ignore = "needs a Python with contentstack-management; set CS_PYTHON"]
async fn python_sdk_conformance() {
    let python = std::env::var("CS_PYTHON").unwrap_or_else(|_| "python3".into());
    let s = server().await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conformance/python_sdk.py");
    let mut command = tokio::process::Command::new(&python);
    command.arg(script).arg(s.base_url());
    passes(command, "all Python SDK checks passed").await;
    assert_eq!(s.user_snapshot(JOHN).map(|u| u["company"].clone()), Some(json!("Python SDK Inc.")));
    s.shutdown().await;
}

/// Contentstack's JS SDK against the demo, unchanged (see tests/conformance/js_sdk.cjs). Needs
/// `npm install @contentstack/management` somewhere:
/// `CS_NODE_PATH=/tmp/js/node_modules cargo test --test demo_server -- --ignored js_sdk`.
#[tokio::test]
#[ignore = "needs node and @contentstack/management; set CS_NODE_PATH"]
async fn js_sdk_conformance() {
    let node_path = std::env::var("CS_NODE_PATH").unwrap_or_default();
    let s = server().await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conformance/js_sdk.cjs");
    let mut command = tokio::process::Command::new("node");
    command.arg(script).arg(s.base_url()).env("NODE_PATH", node_path).env("TFA_SECRET", TFA_SECRET);
    passes(command, "all JS SDK checks passed").await;
    let stored = s.user_snapshot(JOHN).unwrap_or_default();
    assert_eq!((stored["company"].clone(), stored["email"].clone()), (json!("JS SDK Inc."), json!(JOHN)));
    s.shutdown().await;
}
