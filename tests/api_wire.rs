//! The client's exact wire format and failure handling, against wiremock (and, where wiremock
//! cannot misbehave enough, a few lines of raw TCP).

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cs_account::api::{
    ApiError, Client, ClientConfig, Endpoint, GetUserOptions, RetryPolicy, TransportKind, User, UserUpdate,
};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "bltAuthToken0123456789xyz";

fn config(uri: &str) -> ClientConfig {
    ClientConfig::new(Endpoint::custom(uri).expect("loopback URL"))
}

fn client(server: &MockServer) -> Client {
    Client::new(config(&server.uri())).expect("client")
}

/// The default policy with short waits, so retry tests run in milliseconds.
fn fast(mut cfg: ClientConfig) -> Client {
    cfg.retry = RetryPolicy { base_delay: Duration::from_millis(5), ..RetryPolicy::default() };
    Client::new(cfg).expect("client")
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s)
}

fn exposed(t: &Option<SecretString>) -> Option<&str> {
    t.as_ref().map(ExposeSecret::expose_secret)
}

fn user_json() -> Value {
    json!({
        "uid": "blt1a2b3c", "email": "john.doe@example.com", "first_name": "John", "last_name": "Doe",
        "company": "Acme", "authtoken": TOKEN,
        "roles": [{"uid": "r1", "name": "Developer", "api_key": "k1"}],
        "organizations": [{"uid": "o1", "name": "Acme Org", "is_owner": true, "org_roles": [{"admin": true}]}]
    })
}

fn reply(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

fn text(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_string(body)
}

async fn mount(server: &MockServer, mock: Mock) {
    mock.mount(server).await;
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

/// What every request carries, whatever the call; and whether it carried a token.
fn check_headers(req: &Request, token: Option<&str>) {
    let h = |name: &str| req.headers.get(name).map(|v| v.to_str().unwrap_or("?").to_string());
    assert_eq!(h("content-type").as_deref(), Some("application/json"), "{} {}", req.method, req.url);
    assert_eq!(h("accept").as_deref(), Some("application/json"));
    assert!(h("user-agent").unwrap_or_default().starts_with("cs-account/"), "{:?}", h("user-agent"));
    assert!(h("x-user-agent").unwrap_or_default().starts_with("cs-account/"));
    assert_eq!(h("authtoken").as_deref(), token, "{} {}", req.method, req.url);
}

#[tokio::test]
async fn login_sends_credentials_and_returns_the_token() {
    let server = MockServer::start().await;
    let creds = json!({"user": {"email": "john.doe@example.com", "password": "pa ss\"wörd"}});
    let login = Mock::given(method("POST")).and(path("/v3/user-session"));
    let ok = reply(200, json!({"notice": "Login Successful.", "user": user_json()}));
    mount(
        &server,
        login.and(query_param("include_orgs_roles", "true")).and(body_json(creds)).respond_with(ok),
    )
    .await;
    let with_code = json!({"user": {"email": "a@b.c", "password": "pw", "tfa_token": "123456"}});
    let ok = reply(200, json!({"notice": "ok", "user": user_json()}));
    mount(&server, Mock::given(body_json(with_code)).respond_with(ok)).await;
    let c = client(&server);

    let ok = c.login(" john.doe@example.com ", &secret("pa ss\"wörd"), None).await.expect("login");
    assert_eq!(ok.notice, "Login Successful.");
    assert_eq!(ok.authtoken.expose_secret(), TOKEN);
    assert_eq!(exposed(&ok.user.authtoken), Some(TOKEN));
    assert_eq!(ok.user.organizations.as_ref().map(Vec::len), Some(1));
    assert!(!ok.user.extra.contains_key("authtoken"));
    assert!(!format!("{ok:?}").contains(TOKEN), "the token shows in Debug");
    // People type codes with spaces.
    c.login("a@b.c", &secret("pw"), Some(" 123 456 ")).await.expect("login with a code");
    for req in requests(&server).await {
        check_headers(&req, None);
    }
}

#[tokio::test]
async fn login_without_a_token_is_no_token() {
    let server = MockServer::start().await;
    let mut user = user_json();
    user.as_object_mut().expect("object").remove("authtoken");
    mount(
        &server,
        Mock::given(method("POST")).respond_with(reply(200, json!({"notice": "Hi", "user": user}))),
    )
    .await;
    let err = client(&server).login("sso@example.com", &secret("pw"), None).await.expect_err("no token");
    assert!(matches!(&err, ApiError::NoToken { notice } if notice == "Hi"), "{err:?}");
}

#[tokio::test]
async fn authenticated_calls_carry_the_token() {
    let server = MockServer::start().await;
    let full = Mock::given(method("GET"))
        .and(path("/v3/user"))
        .and(query_param("include_orgs_roles", "true"))
        .and(query_param("include_stack_roles", "true"))
        .and(query_param("include_user_settings", "true"))
        .and(query_param_is_missing("include_orgs"));
    mount(&server, full.respond_with(reply(200, json!({"user": user_json()}))).expect(1)).await;
    let plain =
        Mock::given(method("GET")).and(path("/v3/user")).and(query_param_is_missing("include_orgs_roles"));
    mount(&server, plain.respond_with(reply(200, json!({"user": user_json()}))).expect(1)).await;
    let put = Mock::given(method("PUT"))
        .and(path("/v3/user"))
        .and(body_json(json!({"user": {"company": "New Co"}})));
    let updated = json!({"notice": "Profile updated successfully.", "user": user_json()});
    mount(&server, put.respond_with(reply(200, updated)).expect(1)).await;
    let bye = json!({"notice": "You've logged out successfully!"});
    mount(&server, Mock::given(method("DELETE")).and(path("/v3/user-session")).respond_with(reply(200, bye)))
        .await;
    let c = client(&server);
    let token = secret(TOKEN);

    let user = c.get_user(&token, GetUserOptions::full()).await.expect("user");
    assert_eq!(user.roles[0].name.as_deref(), Some("Developer"));
    assert_eq!(user.organizations.as_ref().and_then(|o| o[0].org_roles[0].admin), Some(true));
    assert_eq!(exposed(&user.authtoken), Some(TOKEN));
    c.get_user(&token, GetUserOptions::default()).await.expect("user");
    // Only what changed goes out.
    let draft = UserUpdate {
        first_name: Some("John".into()),
        last_name: Some("Doe".into()),
        company: Some("New Co".into()),
        ..Default::default()
    };
    let current: User = serde_json::from_value(user_json()).expect("user");
    let ok = c.update_user(&token, &draft.changes_from(&current)).await.expect("update");
    assert_eq!(ok.notice, "Profile updated successfully.");
    assert_eq!(c.logout(&token).await.expect("logout").notice, "You've logged out successfully!");
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 4);
    assert_eq!(reqs[1].url.query(), None);
    for req in &reqs {
        check_headers(req, Some(TOKEN));
        assert_eq!(req.body.is_empty(), req.method.as_str() != "PUT");
    }
}

#[tokio::test]
async fn unauthenticated_calls_have_exact_bodies_and_no_token() {
    let server = MockServer::start().await;
    let post = |p: &str, body: Value, notice: &str| {
        Mock::given(method("POST"))
            .and(path(p))
            .and(body_json(body))
            .respond_with(reply(200, json!({ "notice": notice })))
            .expect(1)
    };
    let activation = json!({"user": {"first_name": "New", "last_name": "User", "password": "Secret-123",
        "password_confirmation": "Secret-123"}});
    mount(&server, post("/v3/user/activate/ab%2Fc%20d", activation, "Your account has been activated."))
        .await;
    mount(&server, post("/v3/user/forgot_password", json!({"user": {"email": "a@b.c"}}), "Sent.")).await;
    let reset = json!({"user": {"reset_password_token": "rst1", "password": "N3w-pass",
        "password_confirmation": "N3w-pass"}});
    mount(&server, post("/v3/user/reset_password", reset, "Your password has been reset.")).await;
    // The SMS call's answer is undocumented: an empty 200 is a success with no notice.
    let sms = json!({"user": {"email": "a@b.c", "password": "pw"}});
    let sms = Mock::given(path("/v3/user/request_token_sms")).and(body_json(sms));
    mount(&server, sms.respond_with(ResponseTemplate::new(200)).expect(1)).await;
    let c = client(&server);
    let pw = secret("Secret-123");

    let n = c.activate("ab/c d", "New", "User", &pw, &pw).await.expect("activate");
    assert_eq!(n.notice, "Your account has been activated.");
    assert_eq!(c.forgot_password("a@b.c").await.expect("forgot").notice, "Sent.");
    let n = c.reset_password(&secret("rst1"), &secret("N3w-pass"), &secret("N3w-pass")).await.expect("reset");
    assert_eq!(n.notice, "Your password has been reset.");
    assert_eq!(c.request_sms("a@b.c", &secret("pw")).await.expect("sms").notice, "");
    // A token that would vanish as a path segment is refused before anything is sent.
    assert!(matches!(c.activate(" .. ", "a", "b", &pw, &pw).await, Err(ApiError::Config(_))));
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 4);
    for req in &reqs {
        check_headers(req, None);
    }
}

#[tokio::test]
async fn get_is_retried_after_a_503() {
    let server = MockServer::start().await;
    mount(&server, Mock::given(method("GET")).respond_with(reply(503, json!({}))).up_to_n_times(1)).await;
    mount(&server, Mock::given(method("GET")).respond_with(reply(200, json!({"user": user_json()})))).await;
    client(&server).get_user(&secret(TOKEN), GetUserOptions::default()).await.expect("second try works");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn get_honours_retry_after() {
    let server = MockServer::start().await;
    let limited =
        reply(429, json!({"error_message": "Too many", "error_code": 429})).insert_header("retry-after", "1");
    mount(&server, Mock::given(method("GET")).respond_with(limited).up_to_n_times(1)).await;
    mount(&server, Mock::given(method("GET")).respond_with(reply(200, json!({"user": user_json()})))).await;
    let started = Instant::now();
    client(&server).get_user(&secret(TOKEN), GetUserOptions::default()).await.expect("after the wait");
    assert!(started.elapsed() >= Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_past_the_budget_is_returned_at_once() {
    let server = MockServer::start().await;
    let limited = reply(429, json!({"error_message": "Too many requests"}))
        .insert_header("retry-after", "60")
        .insert_header("x-ratelimit-limit", "10")
        .insert_header("x-ratelimit-remaining", "0");
    mount(&server, Mock::given(method("GET")).respond_with(limited)).await;
    let started = Instant::now();
    let err = client(&server).get_user(&secret(TOKEN), GetUserOptions::default()).await.expect_err("limited");
    assert!(started.elapsed() < Duration::from_secs(2));
    let expected = "RateLimited { message: \"Too many requests\", retry_after: Some(60s), limit: Some(10), remaining: Some(0) }";
    assert_eq!(format!("{err:?}"), expected);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn get_gives_up_after_three_tries() {
    let server = MockServer::start().await;
    mount(&server, Mock::given(method("GET")).respond_with(reply(503, json!({"error_message": "down"}))))
        .await;
    let err = client(&server).get_user(&secret(TOKEN), GetUserOptions::default()).await.expect_err("down");
    assert!(matches!(err, ApiError::Server { status: 503, .. }), "{err:?}");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn update_is_retried_but_refusals_are_not() {
    let server = MockServer::start().await;
    mount(&server, Mock::given(method("PUT")).respond_with(reply(502, json!({}))).up_to_n_times(1)).await;
    let ok = reply(200, json!({"notice": "ok", "user": user_json()}));
    mount(&server, Mock::given(method("PUT")).respond_with(ok)).await;
    mount(&server, Mock::given(method("GET")).respond_with(reply(401, json!({"error_code": 105})))).await;
    let c = fast(config(&server.uri()));
    let changes = UserUpdate { company: Some("X".into()), ..Default::default() };
    c.update_user(&secret(TOKEN), &changes).await.expect("retried");
    let err = c.get_user(&secret(TOKEN), GetUserOptions::default()).await.expect_err("401");
    assert!(err.is_unauthorized());
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn one_shot_calls_are_never_retried() {
    for status in [503u16, 429, 500] {
        let server = MockServer::start().await;
        let failing = reply(status, json!({})).insert_header("retry-after", "0");
        mount(&server, Mock::given(wiremock::matchers::any()).respond_with(failing)).await;
        let c = fast(config(&server.uri()));
        let pw = secret("pw");
        assert!(c.login("a@b.c", &pw, None).await.expect_err("login").is_transient());
        assert!(c.request_sms("a@b.c", &pw).await.is_err());
        assert!(c.activate("t1", "a", "b", &pw, &pw).await.is_err());
        assert!(c.forgot_password("a@b.c").await.is_err());
        assert!(c.reset_password(&pw, &pw, &pw).await.is_err());
        assert!(c.logout(&pw).await.is_err());
        assert_eq!(requests(&server).await.len(), 6, "status {status}");
    }
}

#[tokio::test]
async fn timeouts() {
    let server = MockServer::start().await;
    let slow = reply(200, json!({"user": user_json()})).set_delay(Duration::from_secs(3));
    mount(&server, Mock::given(wiremock::matchers::any()).respond_with(slow)).await;
    let mut cfg = config(&server.uri());
    cfg.timeout = Duration::from_millis(200);
    let c = fast(cfg);
    let err = c.login("a@b.c", &secret("pw"), None).await.expect_err("slow");
    assert!(matches!(err, ApiError::Transport { kind: TransportKind::Timeout, .. }), "{err:?}");
    assert_eq!(requests(&server).await.len(), 1, "login was repeated");
    let err = c.get_user(&secret(TOKEN), GetUserOptions::default()).await.expect_err("slow");
    assert!(matches!(err, ApiError::Transport { kind: TransportKind::Timeout, .. }), "{err:?}");
    assert_eq!(requests(&server).await.len(), 4, "GET is tried three times");
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let c = Client::new(config(&format!("http://127.0.0.1:{port}"))).expect("client");
    let err = c.login("a@b.c", &secret("pw"), None).await.expect_err("refused");
    assert!(matches!(err, ApiError::Transport { kind: TransportKind::Connect, .. }), "{err:?}");
    let shown = err.user_message();
    assert!(shown.starts_with(&format!("Could not reach the server at 127.0.0.1:{port}.")), "{shown}");
    // The path never shows: an activation link's token is in it.
    let err =
        c.activate("act-token-in-path", "a", "b", &secret("pw"), &secret("pw")).await.expect_err("refused");
    assert!(!format!("{err:?} {}", err.user_message()).contains("act-token"), "{err:?}");
}

/// How a raw test server misbehaves after reading a request.
#[derive(Clone, Copy)]
enum Misbehave {
    /// Hangs up without answering.
    HangUp,
    /// Streams a chunked body that never ends.
    Flood,
    /// Announces a 5 MB body, sends a few bytes and stalls.
    Announce,
    /// Announces a 1,000-byte body, sends the first part of a user and closes.
    Cut,
}

/// A server that misbehaves on every connection; returns its URL and a connection count.
async fn raw_server(how: Misbehave) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let uri = format!("http://{}", listener.local_addr().expect("addr"));
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            tokio::spawn(async move {
                let ok = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n";
                match how {
                    Misbehave::HangUp => {}
                    Misbehave::Flood => {
                        let chunk = format!("4000\r\n{}\r\n", " ".repeat(0x4000));
                        let head = format!("{ok}transfer-encoding: chunked\r\n\r\n");
                        if sock.write_all(head.as_bytes()).await.is_ok() {
                            while sock.write_all(chunk.as_bytes()).await.is_ok() {}
                        }
                    }
                    Misbehave::Announce => {
                        let _ = sock
                            .write_all(format!("{ok}content-length: 5000000\r\n\r\n{{}}").as_bytes())
                            .await;
                        tokio::time::sleep(Duration::from_secs(10)).await;
                    }
                    Misbehave::Cut => {
                        let head = format!("{ok}content-length: 1000\r\n\r\n{{\"user\": {{\"uid\": \"bl");
                        let _ = sock.write_all(head.as_bytes()).await;
                        let _ = sock.flush().await;
                    }
                }
            });
        }
    });
    (uri, count)
}

#[tokio::test]
async fn a_dropped_connection_is_a_reset_and_login_is_not_repeated() {
    let (uri, count) = raw_server(Misbehave::HangUp).await;
    let c = fast(config(&uri));
    let err = c.login("a@b.c", &secret("pw"), None).await.expect_err("hung up");
    assert!(matches!(err, ApiError::Transport { kind: TransportKind::Reset, .. }), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
    let err = c.get_user(&secret(TOKEN), GetUserOptions::default()).await.expect_err("hung up");
    assert!(err.is_transient(), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 4);
}

/// A body cut off mid-way is the same transient failure as a reset before the headers: the same
/// class and sentence, retried for `GET`/`PUT /user`, never for a log-in.
#[tokio::test]
async fn a_body_cut_mid_way_is_a_reset_too() {
    let (cut, count) = raw_server(Misbehave::Cut).await;
    let (hung_up, _) = raw_server(Misbehave::HangUp).await;
    let c = fast(config(&cut));
    let err = c.get_user(&secret(TOKEN), GetUserOptions::default()).await.expect_err("cut");
    assert!(matches!(err, ApiError::Transport { kind: TransportKind::Reset, .. }), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 3, "GET is tried three times");
    let changes = UserUpdate { company: Some("Acme".into()), ..Default::default() };
    let err = c.update_user(&secret(TOKEN), &changes).await.expect_err("cut");
    assert!(matches!(err, ApiError::Transport { kind: TransportKind::Reset, .. }), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 6, "PUT is tried three times");
    let err = c.login("a@b.c", &secret("pw"), None).await.expect_err("cut");
    assert_eq!(count.load(Ordering::SeqCst), 7, "log-in goes out once");
    let before_headers = fast(config(&hung_up)).login("a@b.c", &secret("pw"), None).await.expect_err("reset");
    let host = |uri: &str| uri.trim_start_matches("http://").to_string();
    assert_eq!(
        err.user_message().replace(&host(&cut), "HOST"),
        before_headers.user_message().replace(&host(&hung_up), "HOST"),
        "one sentence for both"
    );
    assert!(err.user_message().contains(&host(&cut)), "{}", err.user_message());
}

#[tokio::test]
async fn a_hostile_retry_after_is_capped_and_not_waited_for() {
    let server = MockServer::start().await;
    for (i, after) in ["999999999", "Thu, 01 Jan 2099 00:00:00 GMT"].into_iter().enumerate() {
        server.reset().await;
        let limited = reply(429, json!({"error_message": "Too many requests", "error_code": 429}))
            .insert_header("retry-after", after);
        mount(&server, Mock::given(path("/v3/user")).respond_with(limited)).await;
        let started = Instant::now();
        let err = client(&server).get_user(&secret(TOKEN), GetUserOptions::default()).await.expect_err("429");
        assert!(started.elapsed() < Duration::from_secs(5), "{i}: waited");
        assert_eq!(requests(&server).await.len(), 1, "{i}: not retried within the budget");
        let ApiError::RateLimited { retry_after: Some(wait), .. } = &err else { panic!("{err:?}") };
        assert_eq!(*wait, Duration::from_secs(600), "{after}: capped at 10 minutes");
        let m = err.user_message();
        assert!(m.contains("later") && !m.contains("999") && !m.contains("2099"), "{m}");
    }
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused() {
    let server = MockServer::start().await;
    mount(&server, Mock::given(path("/v3/user")).respond_with(text(200, &" ".repeat(1_001)))).await;
    mount(&server, Mock::given(path("/v3/user/forgot_password")).respond_with(text(200, &" ".repeat(1_000))))
        .await;
    let (flood, _) = raw_server(Misbehave::Flood).await;
    let (announce, _) = raw_server(Misbehave::Announce).await;
    for uri in [server.uri(), flood, announce] {
        let mut cfg = config(&uri);
        cfg.max_body_bytes = 1_000;
        cfg.retry = RetryPolicy::none();
        let started = Instant::now();
        let err = Client::new(cfg).expect("client").get_user(&secret(TOKEN), GetUserOptions::default()).await;
        assert!(matches!(err, Err(ApiError::TooLarge { limit: 1_000, .. })), "{uri}: {err:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "{uri}: waited for the body");
    }
    // Exactly at the cap is fine.
    let mut cfg = config(&server.uri());
    cfg.max_body_bytes = 1_000;
    assert_eq!(Client::new(cfg).expect("client").forgot_password("a@b.c").await.expect("fits").notice, "");
}

#[tokio::test]
async fn answers_that_are_not_the_api() {
    let server = MockServer::start().await;
    mount(&server, Mock::given(path("/v3/user")).respond_with(text(200, "{\"user\": "))).await;
    // A token, but a user of the wrong shape.
    let odd = json!({"notice": "x", "user": {"uid": 5, "authtoken": TOKEN}});
    mount(&server, Mock::given(path("/v3/user-session")).respond_with(reply(200, odd))).await;
    mount(&server, Mock::given(path("/v3/user/forgot_password")).respond_with(text(502, "<html>Bad</html>")))
        .await;
    mount(&server, Mock::given(path("/v3/user/reset_password")).respond_with(text(418, "<html>tea</html>")))
        .await;
    let not_object = reply(200, json!(["not", "an", "object"]));
    mount(&server, Mock::given(path("/v3/user/request_token_sms")).respond_with(not_object)).await;
    let c = client(&server);
    let pw = secret("pw");
    let err = c.get_user(&secret(TOKEN), GetUserOptions::default()).await;
    assert!(matches!(err, Err(ApiError::Decode { status: 200, .. })), "{err:?}");
    let err = c.login("a@b.c", &pw, None).await;
    assert!(
        matches!(&err, Err(ApiError::Decode { status: 200, detail }) if detail == "the user's `uid` is a number, not text"),
        "{err:?}"
    );
    let shown = err.as_ref().map_err(ApiError::user_message).expect_err("an error");
    assert!(shown.contains("`uid` is a number, not text"), "the screen says what was wrong: {shown}");
    assert!(matches!(c.forgot_password("a@b.c").await, Err(ApiError::Server { status: 502, .. })));
    assert!(matches!(c.reset_password(&pw, &pw, &pw).await, Err(ApiError::Decode { status: 418, .. })));
    assert!(matches!(c.request_sms("a@b.c", &pw).await, Err(ApiError::Decode { status: 200, .. })));
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = MockServer::start().await;
    let moved = reply(307, json!({"error_message": "moved"}))
        .insert_header("location", format!("{}/v3/elsewhere", server.uri()).as_str());
    mount(&server, Mock::given(path("/v3/user")).respond_with(moved)).await;
    mount(&server, Mock::given(path("/v3/elsewhere")).respond_with(reply(200, json!({"user": user_json()}))))
        .await;
    let err = client(&server).get_user(&secret(TOKEN), GetUserOptions::default()).await;
    let host = server.uri().trim_start_matches("http://").to_string();
    assert!(
        matches!(&err, Err(ApiError::Redirected { status: 307, location: Some(h) }) if *h == host),
        "{err:?}"
    );
    let shown = err.as_ref().map_err(ApiError::user_message).expect_err("an error");
    assert!(
        shown.contains("redirected") && shown.contains(&host) && !shown.contains("/v3/elsewhere"),
        "{shown}"
    );
    assert!(shown.contains("does not follow redirects"), "{shown}");
    assert_eq!(requests(&server).await.len(), 1, "the token followed the redirect");
}

#[tokio::test]
async fn server_strings_are_sanitised_but_the_token_is_kept_exactly() {
    let server = MockServer::start().await;
    let raw_token = "blt\u{1b}[2Jtok\u{202e}en";
    let mut user = user_json();
    user["first_name"] = json!("\u{1b}[31mJohn\u{202e}");
    user["authtoken"] = json!(raw_token);
    user["evil\u{1b}key"] = json!({"nested": "\u{9b}2J\u{2066}"});
    user["organizations"][0]["name"] = json!("Org\u{7}");
    mount(&server, Mock::given(method("GET")).respond_with(reply(200, json!({"user": user})))).await;
    let refusal =
        json!({"error_message": "bad \u{1b}]0;title\u{7}", "errors": {"name\u{202e}": ["x\u{1b}"]}});
    mount(&server, Mock::given(method("POST")).respond_with(reply(422, refusal))).await;
    let c = client(&server);
    let u = c.get_user(&secret(TOKEN), GetUserOptions::default()).await.expect("user");
    assert_eq!(u.first_name.as_deref(), Some("^[[31mJohn⟨U+202E⟩"));
    assert_eq!(u.organizations.as_ref().and_then(|o| o[0].name.as_deref()), Some("Org^G"));
    assert_eq!(u.extra["evil^[key"], json!({"nested": "M-^[2J⟨U+2066⟩"}));
    assert_eq!(exposed(&u.authtoken), Some(raw_token));
    assert!(!u.extra.contains_key("authtoken"));
    let err = c.forgot_password("a@b.c").await.expect_err("422");
    let ok = matches!(&err, ApiError::Validation { message, errors, .. }
        if message == "bad ^[]0;title^G" && errors["name⟨U+202E⟩"] == ["x^["]);
    assert!(ok, "{err:?}");
}

/// Every error class of the API doc (§2), through the whole decoding path: status, body, and
/// what the error's Debug form must contain.
#[tokio::test]
async fn error_classes() {
    let server = MockServer::start().await;
    let c = client(&server);
    #[rustfmt::skip]
    let cases: [(u16, Value, &[&str]); 16] = [
        (422, json!({"error_message": "Invalid. You have 4 login attempt(s) left.", "error_code": 104, "errors": {}}),
            &["InvalidCredentials {", "attempts_left: Some(4)"]),
        (422, json!({"error_message": "Your account has been locked.", "error_code": 104}), &["AccountLocked {"]),
        (401, json!({"error_message": "Use 2FA", "error_code": 294, "errors": [], "tfa_type": "totp_authenticator"}),
            &["TfaRequired {", "Some(\"totp_authenticator\")"]),
        (294, json!({"error_message": "2FA", "error_code": 294, "errors": []}), &["TfaRequired {"]),
        (200, json!({"notice": "hm", "tfa_type": "sms"}), &["TfaRequired {", "Some(\"sms\")"]),
        (422, json!({"error_message": "Invalid verification code", "error_code": 295}), &["InvalidTfaCode {"]),
        (401, json!({"error_message": "Bad token", "error_code": 105}), &["Unauthorized { status: 401, code: Some(105)"]),
        (403, json!({"error_message": "Forbidden"}), &["Unauthorized { status: 403"]),
        (422, json!({"error_message": "Failed", "error_code": 119, "errors": {"first_name": ["is too long"]}}),
            &["Validation {", "errors: {\"first_name\": [\"is too long\"]}"]),
        (422, json!({"error_message": "Failed", "error_code": 119, "errors": []}), &["Validation {", "errors: {}"]),
        (400, json!({"error_message": "Please set a valid 'Content-Type' header"}), &["Rejected { status: 400, code: None"]),
        (412, json!({"error_message": "api_key is required"}), &["Rejected { status: 412"]),
        (200, json!({"error_message": "odd", "error_code": 104}), &["InvalidCredentials {"]),
        (429, json!({"error_message": "Too many requests", "error_code": 429}), &["RateLimited {", "retry_after: None"]),
        (500, json!({"error_message": "Internal"}), &["Server { status: 500"]),
        (504, json!({"error_code": 504}), &["Server { status: 504, code: Some(504)"]),
    ];
    for (status, body, expected) in cases {
        server.reset().await;
        mount(&server, Mock::given(method("POST")).respond_with(reply(status, body.clone()))).await;
        let err = c.login("a@b.c", &secret("pw"), None).await.expect_err("an error");
        let debug = format!("{err:?}");
        assert!(expected.iter().all(|part| debug.contains(part)), "{status} {body} → {debug}");
        assert_eq!(requests(&server).await.len(), 1);
    }
}

/// Collects what the log subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_hold_no_secrets() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockServer::start().await;
    mount(&server, Mock::given(method("POST")).respond_with(reply(200, json!({"user": user_json()})))).await;
    mount(&server, Mock::given(method("GET")).respond_with(reply(503, json!({}))).up_to_n_times(1)).await;
    mount(&server, Mock::given(method("GET")).respond_with(reply(200, json!({"user": user_json()})))).await;
    let c = fast(config(&server.uri()));
    let pw = secret("hunter2-Passw0rd");
    c.login("a@b.c", &pw, Some("654321")).await.expect("login");
    c.get_user(&secret(TOKEN), GetUserOptions::default()).await.expect("user");
    c.activate("act1vation-Secret", "a", "b", &pw, &pw).await.expect("activate");
    c.reset_password(&secret("r3set-Secret"), &pw, &pw).await.expect("reset");
    let text = String::from_utf8_lossy(&logs.0.lock().expect("log buffer")).to_string();
    for needle in
        ["user-session", "user/activate/{token}", "status=503", "retrying", "attempt=2", "•••••89xyz"]
    {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    for secret in [TOKEN, "0123456789", "hunter2", "654321", "act1vation", "r3set", "a@b.c"] {
        assert!(!text.contains(secret), "{secret} logged:\n{text}");
    }
}

/// `whoami` against a server whose user has an odd optional field and a wrong required one:
/// the odd field is read as absent (and logged at debug by name), the wrong one is named on
/// stderr and in the log.
#[tokio::test(flavor = "multi_thread")]
async fn whoami_says_which_field_was_wrong() {
    let server = MockServer::start().await;
    let dirs = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    let run = || {
        let log = dirs.1.path().join("debug.log");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cs-account"))
            .args(["--api-url", &server.uri(), "whoami"])
            .env("CONTENTSTACK_AUTHTOKEN", TOKEN)
            .env("CS_ACCOUNT_CONFIG_DIR", dirs.0.path())
            .env("CS_ACCOUNT_STATE_DIR", dirs.1.path())
            .env("CS_ACCOUNT_LOG", "debug")
            .env("CS_ACCOUNT_LOG_FILE", &log)
            .output()
            .expect("binary runs");
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        (out, text)
    };
    let mut odd = user_json();
    odd["failed_attempts"] = json!("3");
    odd["active"] = json!(-1e308);
    mount(
        &server,
        Mock::given(path("/v3/user")).respond_with(reply(200, json!({"user": odd}))).up_to_n_times(1),
    )
    .await;
    let (out, log) = run();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("John"), "the profile is readable: {stdout}");
    assert!(log.contains("failed_attempts") && log.contains("read as absent"), "{log}");

    let mut wrong = user_json();
    wrong["email"] = json!(42);
    mount(&server, Mock::given(path("/v3/user")).respond_with(reply(200, json!({"user": wrong})))).await;
    let (out, log) = run();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("`email` is a number, not text"), "{stderr}");
    assert!(log.contains("`email` is a number, not text"), "{log}");
}

/// The amplifying answers of issue 11, each under the 20 MB byte cap: millions of empty roles,
/// a role with millions of empty rules, and ten million zeros in a field nobody reads. Each is
/// refused by count (roles, rules) or skipped without being built (the unknown field), never
/// decoded into gigabytes.
#[tokio::test]
async fn answers_that_would_amplify_are_refused_by_count_or_skipped() {
    let token = secret("blt-token");
    let head = r#"{"user":{"uid":"u1","email":"a@b.c","authtoken":"blt-token","#;
    let shapes: [(&str, String, Option<cs_account::api::error::Limit>); 4] = [
        (
            "empty roles",
            format!("{head}\"roles\":[{}{{}}]}}}}", "{},".repeat(6_000_000)),
            Some(cs_account::api::error::Limit::Roles),
        ),
        (
            "empty rules",
            format!("{head}\"roles\":[{{\"uid\":\"r\",\"rules\":[{}{{}}]}}]}}}}", "{},".repeat(6_000_000)),
            Some(cs_account::api::error::Limit::Rules),
        ),
        // The user's own fields are kept (the Raw JSON tab shows them): counted, and refused.
        (
            "zeros in a field of the user",
            format!("{head}\"junk\":[{}0]}}}}", "0,".repeat(9_000_000)),
            Some(cs_account::api::error::Limit::Values),
        ),
        // Anything beside the user is skipped unread.
        (
            "zeros beside the user",
            format!("{{\"junk\":[{}0],{}\"roles\":[]}}}}", "0,".repeat(9_000_000), &head[1..]),
            None,
        ),
    ];
    for (what, body, limit) in shapes {
        assert!(body.len() < 20_000_000, "{what}: {} bytes", body.len());
        let server = MockServer::start().await;
        mount(&server, Mock::given(method("GET")).and(path("/v3/user")).respond_with(text(200, &body))).await;
        let got = client(&server).get_profile(&token, Default::default()).await;
        match limit {
            Some(of) => {
                assert!(matches!(&got, Err(ApiError::TooLarge { of: o, .. }) if *o == of), "{what}: {got:?}")
            }
            None => assert!(got.as_ref().is_ok_and(|p| p.user.email == "a@b.c"), "{what}: {got:?}"),
        }
    }
}
