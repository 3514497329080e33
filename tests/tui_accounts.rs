//! The account switcher: key sequences through `update` (what it asks, what its answers do),
//! snapshots at 80×24 and 50×15, and the whole app against two demo servers: switching while a
//! request of the other account is in flight drops that answer, and no token reaches the other
//! server.

mod common;

use std::time::Duration;

use chrono::TimeZone;
use common::harness::{Harness, Setup};
use common::*;
use crossterm::event::KeyCode;
use cs_account::api::check::TokenCheck;
use cs_account::api::{ApiError, Client, ClientConfig, Endpoint, User, UserUpdate};
use cs_account::app::request::{OnAccountCheck, OnAccountLogout, OnAccounts, OnSwitch, Request, Switched};
use cs_account::app::{App, Effect, Msg};
use cs_account::demo::{DemoServer, Faults};
use cs_account::store::{Obtained, SessionInfo, SessionStore, StoredSession};
use secrecy::SecretString;

const SIZES: [(u16, u16); 2] = [(80, 24), (50, 15)];

fn eu() -> Endpoint {
    Endpoint::Region(cs_account::api::Region::Eu)
}

fn info(email: &str, endpoint: Endpoint, active: bool, how: Obtained) -> SessionInfo {
    let at = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).single().expect("time");
    SessionInfo {
        email: email.into(),
        endpoint,
        active,
        created_at: at,
        last_used: at,
        obtained: how,
        in_keyring: false,
    }
}

/// Three stored sessions: the one in use (john.doe on NA), john.doe on EU, a sandbox on NA.
fn sessions() -> Vec<SessionInfo> {
    vec![
        info("john.doe@contentstack.com", Endpoint::default(), true, Obtained::Password),
        info("john.doe@contentstack.com", eu(), true, Obtained::Token),
        info("sandbox@example.com", Endpoint::default(), false, Obtained::Unknown),
    ]
}

fn accounts_id(effects: &[Effect]) -> Asked<OnAccounts> {
    asked(effects, |r| match r {
        Request::Accounts { then } => Some(then),
        _ => None,
    })
}

fn checks(effects: &[Effect]) -> Vec<Asked<OnAccountCheck>> {
    requests(effects)
        .filter_map(|(id, r)| match r {
            Request::CheckAccount { then, .. } => Some(Asked { id, then: then.clone() }),
            _ => None,
        })
        .collect()
}

fn switch_id(effects: &[Effect]) -> Asked<OnSwitch> {
    asked(effects, |r| match r {
        Request::SwitchAccount { then, .. } => Some(then),
        _ => None,
    })
}

fn update_all(a: &mut App, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
    msgs.into_iter().flat_map(|m| cs_account::app::update(a, m)).collect()
}

/// Logged in as the full user on NA, the switcher open, its list and checks answered: the one
/// in use valid, the EU one expired, the sandbox's server unreachable.
fn switcher(w: u16, h: u16) -> App {
    let mut a = app(w, h);
    log_in(&mut a, &full_user());
    a.toasts.clear();
    let effects = send(&mut a, [ch('A')]);
    let listed = accounts_id(&effects);
    let effects = update_all(&mut a, [answer(listed, Ok(sessions()))]);
    let results = [
        Ok(TokenCheck::Valid),
        Ok(TokenCheck::Expired),
        Ok(TokenCheck::Unknown("Could not reach the server at api.contentstack.io.".into())),
    ];
    let asked = checks(&effects);
    assert_eq!(asked.len(), 3, "every session is checked");
    update_all(&mut a, asked.into_iter().zip(results).map(|(asked, r)| answer(asked, r)));
    a
}

#[test]
fn the_switcher_lists_the_stored_sessions_and_checks_each_on_its_own_endpoint() {
    let mut a = app(80, 24);
    log_in(&mut a, &full_user());
    let effects = send(&mut a, [ch('A')]);
    let listed = accounts_id(&effects);
    assert!(screen_text(&draw(&a, 80, 24)).contains("Reading the stored sessions…"));
    let effects = update_all(&mut a, [answer(listed, Ok(sessions()))]);
    let asked: Vec<(Endpoint, String)> = requests(&effects)
        .filter_map(|(_, r)| match r {
            Request::CheckAccount { endpoint, email, .. } => Some((endpoint.clone(), email.clone())),
            _ => None,
        })
        .collect();
    let want: Vec<(Endpoint, String)> = sessions().into_iter().map(|s| (s.endpoint, s.email)).collect();
    assert_eq!(asked, want, "each session asked about on its own endpoint");
    let text = screen_text(&draw(&a, 80, 24));
    assert!(text.contains("checking…") && text.contains("in use"), "{text}");
}

#[test]
fn snapshots_of_the_switcher() {
    for (size, screen) in screens_at(&SIZES, switcher, |_| {}) {
        insta::assert_snapshot!(format!("accounts_{size}"), screen.backend());
    }
    let question = |a: &mut App| {
        send(a, [ch('j'), ch('d')]);
    };
    for (size, screen) in screens_at(&SIZES, switcher, question) {
        insta::assert_snapshot!(format!("accounts_logout_question_{size}"), screen.backend());
    }
}

#[test]
fn enter_switches_cancelling_the_old_accounts_requests_and_the_new_one_takes_over() {
    let mut a = switcher(80, 24);
    // A refresh of the account in use is running (asked before the switcher opened).
    send(&mut a, [key(KeyCode::Esc)]);
    let refresh = get_user_id(&send(&mut a, [ch('r')]));
    let effects = send(&mut a, [ch('A')]);
    update_all(&mut a, [answer(accounts_id(&effects), Ok(sessions()))]);
    let effects = send(&mut a, [ch('j'), key(KeyCode::Enter)]);
    assert!(effects.iter().any(|e| matches!(e, Effect::Cancel(id) if *id == refresh.id)), "{effects:#?}");
    let switch = switch_id(&effects);
    assert_eq!(
        (switch.then.endpoint.clone(), switch.then.email.as_str()),
        (eu(), "john.doe@contentstack.com")
    );
    assert!(screen_text(&draw(&a, 80, 24)).contains("Loading john.doe@contentstack.com on EU"));
    // Its profile comes: the app is on the EU account now, and makes it the active session.
    let mut user: User = full_user();
    user.company = Some("Europa GmbH".into());
    let token = SecretString::from("blteu0000000000000000");
    let effects =
        update_all(&mut a, [answer(switch, Ok(Switched { cred: token.into(), profile: user.into() }))]);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::ActivateSession { endpoint, .. } if *endpoint == eu())),
        "{effects:#?}"
    );
    let session = a.session.as_ref().expect("a session");
    assert_eq!(session.endpoint, eu());
    assert!(a.profile().is_some(), "on the new account's profile");
    // The old account's refresh answers late: dropped.
    let late = update_all(&mut a, [answer(refresh, Ok(full_user().into()))]);
    assert!(late.is_empty(), "{late:#?}");
    let text = screen_text(&draw(&a, 80, 24));
    assert!(text.contains("Europa GmbH") && text.contains("EU"), "{text}");
}

#[test]
fn a_failed_switch_keeps_the_account_in_use() {
    let mut a = switcher(80, 24);
    let switch = switch_id(&send(&mut a, [ch('j'), key(KeyCode::Enter)]));
    let refused = ApiError::Unauthorized { status: 401, code: Some(105), message: "bad".into() };
    update_all(&mut a, [answer(switch, Err(refused))]);
    assert_eq!(a.session.as_ref().map(|s| s.endpoint.clone()), Some(Endpoint::default()));
    let text = screen_text(&draw(&a, 80, 24));
    assert!(text.contains("Could not switch") && text.contains("expired"), "{text}");
}

#[test]
fn d_asks_then_logs_the_other_account_out_and_a_adds_one_with_esc_back() {
    let mut a = switcher(80, 24);
    send(&mut a, [ch('G'), ch('d')]);
    assert!(screen_text(&draw(&a, 80, 24)).contains("Log out?"));
    assert!(send(&mut a, [ch('n')]).is_empty(), "no keeps it");
    let effects = send(&mut a, [ch('d'), ch('y')]);
    let logout = asked(&effects, |r| match r {
        Request::LogoutAccount { then, .. } => Some(then),
        _ => None,
    });
    assert_eq!(logout.then.email, "sandbox@example.com");
    let done: OnAccountLogout = logout.then.clone();
    update_all(&mut a, [answer(logout, Ok(None))]);
    assert_eq!(done.endpoint, Endpoint::default());
    let cs_account::app::state::Screen::Accounts(switcher) = &a.screen else { panic!("still the switcher") };
    let left: Vec<&str> = switcher.rows.iter().map(|r| r.info.email.as_str()).collect();
    assert_eq!(left, ["john.doe@contentstack.com", "john.doe@contentstack.com"], "the sandbox row is gone");
    let text = screen_text(&draw(&a, 80, 24));
    assert!(text.contains("Logged sandbox@example.com on NA out."), "{text}");
    // Add: the log-in form over the switcher; Esc comes back to it.
    send(&mut a, [ch('a')]);
    assert!(a.login().is_some(), "the log-in form");
    send(&mut a, [key(KeyCode::Esc)]);
    assert!(screen_text(&draw(&a, 80, 24)).contains("Accounts"), "back on the switcher");
    // Esc closes the switcher; the profile is as it was.
    send(&mut a, [key(KeyCode::Esc)]);
    assert!(a.profile().is_some());
}

/// Logs john.doe in on `server` with the API client, sets his company to `company` there, and
/// stores the session (active on that server).
async fn store_session(store: &SessionStore, server: &DemoServer, company: &str) -> SecretString {
    let endpoint = Endpoint::custom(&server.base_url()).expect("url");
    let client = Client::new(ClientConfig::new(endpoint.clone())).expect("client");
    let password = SecretString::from("Demo-pass-1234");
    let login = client.login("john.doe@example.com", &password, None).await.expect("log-in");
    let changes = UserUpdate { company: Some(company.into()), ..Default::default() };
    client.update_user(&login.authtoken, &changes).await.expect("update");
    let session =
        StoredSession::with_authtoken("john.doe@example.com".into(), endpoint, login.authtoken.clone());
    store.save_as(&session, Obtained::Password).expect("stored");
    login.authtoken
}

fn authtokens(server: &DemoServer) -> usize {
    server.requests().iter().filter(|r| r.authtoken).count()
}

/// The whole app on server A, with a session on B stored too: a refresh of A is in flight
/// (A answers slowly) when the switcher switches to B; A's late answer is dropped (the profile
/// shows B's company), and B never got a request before the switcher asked about its own token.
#[tokio::test]
async fn switching_while_the_other_accounts_request_runs_drops_its_answer() {
    let (a_server, b_server) = (common::harness::demo_server().await, common::harness::demo_server().await);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SessionStore::new(dir.path().to_path_buf());
    store_session(&store, &b_server, "Beta Co").await;
    store_session(&store, &a_server, "Alpha Co").await;
    let (a_before, b_before) = (authtokens(&a_server), authtokens(&b_server));
    let mut setup = Setup::new(&a_server.base_url());
    setup.store = Some(store.clone());
    setup.size = (100, 30);
    let h = Harness::start(setup);
    h.wait_for("Alpha Co").await;
    assert_eq!(authtokens(&b_server), b_before, "nothing goes to B while A is in use");
    a_server.set_faults(Faults { latency_ms: 1500, ..Default::default() });
    h.ch('r');
    tokio::time::sleep(Duration::from_millis(200)).await;
    h.ch('A');
    h.wait_for("stored").await;
    // B's row: the one naming B's port.
    let port = b_server.addr().port().to_string();
    for _ in 0..3 {
        let on_b = h.screen().lines().any(|l| l.contains('›') && l.contains(&port));
        if on_b {
            break;
        }
        h.ch('j');
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(h.screen().lines().any(|l| l.contains('›') && l.contains(&port)), "{}", h.screen());
    h.key(KeyCode::Enter);
    h.wait_for("Beta Co").await;
    // A's refresh would have answered by now.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let screen = h.screen();
    assert!(screen.contains("Beta Co") && !screen.contains("Alpha Co"), "{screen}");
    let app = h.quit().await;
    let session = app.session.expect("a session");
    assert_eq!(session.endpoint, Endpoint::custom(&b_server.base_url()).expect("url"));
    // Each server got its own token only: never one another server issued.
    for (name, server) in [("A", &a_server), ("B", &b_server)] {
        let foreign: Vec<_> = server.requests().into_iter().filter(|r| r.foreign_token).collect();
        assert!(foreign.is_empty(), "server {name} got another server's token: {foreign:?}");
    }
    assert!(authtokens(&b_server) > b_before, "B was asked about its own token, then used");
    assert!(authtokens(&a_server) > a_before);
    let stored = store.load_active(&session.endpoint).expect("readable").expect("B active");
    assert_eq!(stored.email, "john.doe@example.com");
    a_server.shutdown().await;
    b_server.shutdown().await;
}

/// Signs sso.user in with the browser on `server` (approve, exchange with the API client) and
/// stores the session as a browser sign-in.
async fn store_browser_session(store: &SessionStore, server: &DemoServer) {
    use cs_account::api::oauth::{self, OAuthSettings, Pkce};
    use cs_account::store::StoredSecret;
    let endpoint = Endpoint::custom(&server.base_url()).expect("url");
    let client = Client::new(ClientConfig::new(endpoint.clone())).expect("client");
    let settings = OAuthSettings { redirect_uri: "http://127.0.0.1:1".into(), ..Default::default() };
    let hosts = oauth::Hosts::of(&endpoint);
    let pkce = Pkce::new();
    let url = oauth::authorize_url(&hosts, &settings, &pkce);
    let redirect = common::oauth::approve(server, &url, "sso.user@example.com").await;
    let code = oauth::code_from(&redirect, &pkce.state).expect("code");
    let tokens = client
        .oauth_token(&hosts, oauth::code_grant(&settings, &code, &pkce.verifier))
        .await
        .expect("tokens");
    let secret = StoredSecret::OAuth { tokens, settings };
    let session = StoredSession { email: "sso.user@example.com".into(), endpoint, secret };
    store.save_as(&session, Obtained::Browser).expect("stored");
}

/// A password account on A and a browser sign-in on B: the switcher checks and switches to B
/// with Bearer only (never an authtoken to B, never B's token to A), says how each was obtained,
/// and logging B out revokes its authorization on B.
#[tokio::test]
async fn a_browser_sign_in_is_checked_switched_to_and_logged_out_on_its_own_server_as_bearer() {
    let (a_server, b_server) = (common::harness::demo_server().await, common::harness::demo_server().await);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SessionStore::new(dir.path().to_path_buf());
    store_browser_session(&store, &b_server).await;
    store_session(&store, &a_server, "Alpha Co").await;
    let mut setup = Setup::new(&a_server.base_url());
    setup.store = Some(store.clone());
    setup.size = (100, 30);
    let h = Harness::start(setup);
    h.wait_for("Alpha Co").await;
    h.ch('A');
    h.wait_for("sso.user@example.com").await;
    let port = b_server.addr().port().to_string();
    for _ in 0..3 {
        if h.screen().lines().any(|l| l.contains('›') && l.contains(&port)) {
            break;
        }
        h.ch('j');
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    h.wait_for("signed in with the browser").await;
    h.wait_for("valid").await;
    h.key(KeyCode::Enter);
    h.wait_for("Sam Soto").await;
    // Back to the switcher: log B (the account in use, selected) out.
    h.ch('A');
    h.wait_for("in use").await;
    let selected = h.screen().lines().any(|l| l.contains('›') && l.contains(&port));
    assert!(selected, "the account in use is selected: {}", h.screen());
    h.ch('d');
    h.press_and_wait_for('y', "Log in to Contentstack").await;
    let revoked =
        || b_server.requests().iter().any(|r| r.method == "DELETE" && r.route.contains("/authorizations/"));
    assert!(common::wait_until(Duration::from_secs(5), revoked).await, "B's authorization was revoked");
    let a = h.quit().await;
    assert!(a.session.is_none());
    assert!(store.list().expect("list").iter().all(|s| s.email != "sso.user@example.com"), "forgotten");
    let b_requests = b_server.requests();
    assert!(b_requests.iter().all(|r| !r.authtoken && !r.foreign_token), "{b_requests:#?}");
    assert!(b_requests.iter().filter(|r| r.route.starts_with("/v3/")).all(|r| r.bearer), "{b_requests:#?}");
    let a_requests = a_server.requests();
    assert!(a_requests.iter().all(|r| !r.bearer && !r.foreign_token), "{a_requests:#?}");
    a_server.shutdown().await;
    b_server.shutdown().await;
}
