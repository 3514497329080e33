//! Browser sign-in in the app: key sequences through `update` (what the screen asks for, what
//! its answers and pastes do), snapshots at 80×24 and 40×15, and the whole app on a demo server:
//! a sign-in whose authorization is revoked on the server ends with the typed edits kept, and
//! signing in with the browser again brings them back.

mod common;

use common::harness::{Harness, Setup};
use common::oauth::{address_on_screen, approve, free_port};
use common::*;
use crossterm::event::KeyCode;
use cs_account::api::oauth::{OAuthSettings, OAuthTokens, Pkce, authorize_url};
use cs_account::api::oauth_session::OAuthSession;
use cs_account::api::signin::BrowserSignIn;
use cs_account::api::{ApiError, Client, ClientConfig, Credential, Endpoint};
use cs_account::app::request::{OnBrowser, OnOpenBrowser, OnSignIn, Request, Switched};
use cs_account::app::{App, Effect, Msg};
use cs_account::screens::Screen;
use cs_account::screens::signin::{Browser, Listener, SignInState};
use cs_account::store::{Obtained, SessionStore};
use secrecy::SecretString;

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 15)];

fn signin(app: &mut App) -> &mut SignInState {
    app.screen_mut::<SignInState>().expect("the sign-in screen")
}

/// ctrl-b on the log-in form: the sign-in screen, with a fixed address (its `state` and
/// challenge would differ every run) and a fixed countdown.
fn open(app: &mut App) -> Vec<Effect> {
    let effects = send(app, [ctrl('b')]);
    let s = signin(app);
    let settings = s.sign_in.settings.clone();
    let hosts = s.sign_in.hosts.clone();
    let pkce = Pkce {
        verifier: SecretString::from("v".repeat(64)),
        challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into(),
        state: "fixedstate0123456789".into(),
    };
    let url = authorize_url(&hosts, &settings, &pkce);
    s.sign_in = BrowserSignIn { settings, hosts, pkce, url };
    s.seconds_left = 287;
    effects
}

fn asked<T: Clone>(effects: &[Effect], pick: impl Fn(&Request) -> Option<&T>) -> Asked<T> {
    common::asked(effects, pick)
}

fn browser_wait(effects: &[Effect]) -> Asked<OnBrowser> {
    asked(effects, |r| match r {
        Request::WaitForBrowser { then, .. } => Some(then),
        _ => None,
    })
}

fn sign_in_request(effects: &[Effect]) -> (Asked<OnSignIn>, String) {
    let code = effects
        .iter()
        .find_map(|e| match e {
            Effect::Request { request: Request::SignIn { code, .. }, .. } => Some(code.clone()),
            _ => None,
        })
        .expect("the code exchanged");
    let asked = asked(effects, |r| match r {
        Request::SignIn { then, .. } => Some(then),
        _ => None,
    });
    (asked, code)
}

/// The sign-in opened, and the browser back with the code `c0de`: the exchange asked for.
fn exchanging(app: &mut App) -> Asked<OnSignIn> {
    let effects = open(app);
    let wait = browser_wait(&effects);
    let effects = send(app, [answer(wait, Ok("c0de".into()))]);
    let (asked, code) = sign_in_request(&effects);
    assert_eq!(code, "c0de", "the browser's code is exchanged");
    asked
}

/// A browser sign-in's credential (its client never called here).
fn oauth_cred() -> Credential {
    let endpoint = Endpoint::default();
    let client = Client::new(ClientConfig::new(endpoint.clone())).expect("client");
    let tokens = OAuthTokens {
        access: SecretString::from("csat_0123456789abcdef"),
        refresh: SecretString::from("csrt_0123456789abcdef"),
        expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
        organization_uid: Some("blt5a5b5c5d5e5f5a5b".into()),
        user_uid: Some("blt5c0a1b2c3d4e5f6a7b8c9d0e".into()),
    };
    let session = OAuthSession::new(client, OAuthSettings::default(), tokens);
    Credential::OAuth(std::sync::Arc::new(session))
}

#[test]
fn ctrl_b_listens_opens_the_browser_and_counts_down_without_a_spinner() {
    let mut a = app(80, 24);
    let effects = send(&mut a, [ctrl('b')]);
    let s = signin(&mut a);
    let (state, url) = (s.sign_in.pkce.state.clone(), s.sign_in.url.clone());
    assert_eq!(s.seconds_left, 300);
    assert!(effects.iter().any(|e| matches!(e,
        Effect::Request { request: Request::WaitForBrowser { redirect_uri, state: st, .. }, .. }
            if redirect_uri == "http://localhost:8184" && *st == state)));
    assert!(effects.iter().any(|e| matches!(e,
        Effect::Request { request: Request::OpenBrowser { url: u, .. }, .. } if *u == url)));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Timer { msg, .. } if matches!(**msg, Msg::SignInTick { .. })))
    );
    assert!(url.query_pairs().any(|(k, v)| k == "state" && v == state.as_str()), "{url}");
    // Once the browser is open, the wait is the user's, not work: no spinner, no busy label.
    let opened = asked(&effects, |r| match r {
        Request::OpenBrowser { then, .. } => Some(then),
        _ => None,
    });
    send(&mut a, [answer::<OnOpenBrowser>(opened, Ok(()))]);
    assert!(!a.is_busy() && a.busy_label().is_none());
    assert_eq!(signin(&mut a).browser, Browser::Opened);
}

#[test]
fn a_paste_without_a_code_is_said_and_kept_and_a_good_one_is_exchanged() {
    let mut a = app(80, 24);
    let effects = open(&mut a);
    let wait = browser_wait(&effects);
    send(&mut a, [Msg::Paste("not an address".into()), key(KeyCode::Enter)]);
    let s = signin(&mut a);
    assert_eq!(s.error.as_ref().map(|e| e.title.as_str()), Some("No code in it"));
    assert_eq!(s.paste.value(), "not an address", "what was typed stays to fix");
    send(&mut a, [ctrl('u'), Msg::Paste("http://localhost:8184/?code=c0de&state=someone-else".into())]);
    send(&mut a, [key(KeyCode::Enter)]);
    let message = signin(&mut a).error.as_ref().map(|e| e.message.clone()).unwrap_or_default();
    assert!(message.contains("another sign-in"), "{message}");
    send(
        &mut a,
        [ctrl('u'), Msg::Paste("http://localhost:8184/?code=c0de&state=fixedstate0123456789".into())],
    );
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    let (asked, code) = sign_in_request(&effects);
    assert_eq!(code, "c0de");
    assert!(!effects.iter().any(|e| matches!(e, Effect::Cancel(_))), "the listener keeps waiting");
    assert!(signin(&mut a).signing_in);
    // The browser comes back meanwhile: its code waits for the pasted one's answer.
    assert!(send(&mut a, [answer(wait, Ok("br0wser".into()))]).is_empty());
    // The pasted code is refused: the browser's is tried next.
    let refused = ApiError::Rejected { status: 400, code: None, message: "The code is invalid.".into() };
    let effects = send(&mut a, [answer(asked, Err(refused))]);
    assert_eq!(sign_in_request(&effects).1, "br0wser");
}

/// A mistyped paste costs nothing: its refusal is said, the text stays to be fixed, and the
/// listener goes on waiting (the countdown too).
#[test]
fn a_refused_paste_keeps_the_text_and_the_wait() {
    let mut a = app(80, 24);
    open(&mut a);
    send(&mut a, [Msg::Paste("typo".into())]);
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    let (asked, code) = sign_in_request(&effects);
    assert_eq!(code, "typo");
    let refused = ApiError::Rejected { status: 400, code: None, message: "The code is invalid.".into() };
    let effects = send(&mut a, [answer(asked, Err(refused))]);
    assert!(effects.iter().any(|e| matches!(e, Effect::Timer { .. })), "the countdown goes on");
    let s = signin(&mut a);
    assert_eq!((s.paste.value(), &s.listener), ("typo", &Listener::Waiting));
    assert!(s.error.as_ref().is_some_and(|e| !e.retry && e.message.contains("invalid")), "{:?}", s.error);
}

#[test]
fn the_browsers_code_is_exchanged_and_the_profile_opens_stored_as_a_browser_sign_in() {
    let mut a = app(80, 24);
    let asked = exchanging(&mut a);
    assert!(asked.then.remember);
    let switched = Switched { cred: oauth_cred(), profile: full_user().into() };
    let effects = send(&mut a, [answer(asked, Ok(switched))]);
    assert!(a.profile().is_some(), "the profile shows");
    assert!(a.session.as_ref().is_some_and(|s| s.cred.is_oauth()));
    let saved = effects.iter().find_map(|e| match e {
        Effect::SaveSession(s, how) => Some((s.authtoken().is_none(), *how)),
        _ => None,
    });
    assert_eq!(saved, Some((true, Obtained::Browser)), "stored as a browser sign-in, no authtoken");
}

#[test]
fn a_failed_exchange_says_why_and_ctrl_r_starts_a_new_sign_in() {
    let mut a = app(80, 24);
    let asked = exchanging(&mut a);
    let refused =
        ApiError::Rejected { status: 400, code: None, message: "The authorization code has expired.".into() };
    send(&mut a, [answer(asked, Err(refused))]);
    let s = signin(&mut a);
    assert!(!s.signing_in);
    assert!(s.error.as_ref().is_some_and(|e| e.retry && e.message.contains("expired")), "{:?}", s.error);
    let old_state = s.sign_in.pkce.state.clone();
    let effects = send(&mut a, [ctrl('r')]);
    let s = signin(&mut a);
    assert_ne!(s.sign_in.pkce.state, old_state, "a new sign-in");
    assert!(s.error.is_none());
    browser_wait(&effects);
}

#[test]
fn a_taken_port_and_a_missing_browser_are_said_and_the_paste_still_works() {
    let mut a = app(80, 24);
    let effects = open(&mut a);
    let wait = browser_wait(&effects);
    let opened = asked(&effects, |r| match r {
        Request::OpenBrowser { then, .. } => Some(then),
        _ => None,
    });
    let taken = "Port 8184 on this computer is taken, so the browser cannot hand the sign-in back. Paste the address the browser ends on instead.";
    send(
        &mut a,
        [
            answer(wait, Err(ApiError::Config(taken.into()))),
            answer::<OnOpenBrowser>(opened, Err(ApiError::Config("No browser could be opened here".into()))),
        ],
    );
    let s = signin(&mut a);
    assert_eq!(s.listener, Listener::Stopped(taken.into()));
    assert_eq!(s.browser, Browser::NotOpened("No browser could be opened here".into()));
    send(&mut a, [Msg::Paste("c0de".into())]);
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    assert_eq!(sign_in_request(&effects).1, "c0de", "a bare code is taken too");
}

#[test]
fn esc_cancels_everything_and_the_form_shows_as_it_was() {
    let mut a = app(80, 24);
    send(&mut a, [ch('s')]);
    let effects = open(&mut a);
    let ids: Vec<_> = requests(&effects).map(|(id, _)| id).collect();
    let effects = send(&mut a, [key(KeyCode::Esc)]);
    for id in ids {
        assert!(effects.iter().any(|e| matches!(e, Effect::Cancel(c) if *c == id)), "{id:?} cancelled");
    }
    assert!(matches!(a.screen, Screen::Login(_)));
    assert_eq!(a.login().map(|l| l.email.value().to_string()).as_deref(), Some("s"));
    assert!(a.pending.is_empty());
}

#[test]
fn the_countdown_ticks_and_a_stale_tick_is_dropped() {
    let mut a = app(80, 24);
    send(&mut a, [ctrl('b')]);
    let epoch = signin(&mut a).tick_epoch;
    signin(&mut a).started -= std::time::Duration::from_secs(61);
    let effects = send(&mut a, [Msg::SignInTick { epoch }]);
    assert_eq!(signin(&mut a).seconds_left, 239);
    assert!(effects.iter().any(|e| matches!(e, Effect::Timer { .. })), "the next tick");
    assert!(send(&mut a, [Msg::SignInTick { epoch: epoch + 7 }]).is_empty(), "another chain's tick");
    // The wait runs out: the listener stops, pasting still works.
    signin(&mut a).started -= std::time::Duration::from_secs(300);
    let effects = send(&mut a, [Msg::SignInTick { epoch }]);
    assert!(effects.iter().any(|e| matches!(e, Effect::Cancel(_))), "the listener stops");
    assert!(matches!(&signin(&mut a).listener, Listener::Stopped(why) if why.contains("5 minutes")));
}

#[test]
fn snapshots_of_the_sign_in() {
    type Build = fn(&mut App);
    let cases: [(&str, Build); 3] = [
        ("signin_waiting", |a| {
            let effects = open(a);
            let opened = asked(&effects, |r| match r {
                Request::OpenBrowser { then, .. } => Some(then),
                _ => None,
            });
            send(
                a,
                [answer::<OnOpenBrowser>(
                    opened,
                    Err(ApiError::Config("No browser could be opened here".into())),
                )],
            );
        }),
        ("signin_port_taken", |a| {
            let effects = open(a);
            let wait = browser_wait(&effects);
            let taken = "Port 8184 on this computer is taken, so the browser cannot hand the sign-in back. Paste the address the browser ends on instead.";
            send(a, [answer(wait, Err(ApiError::Config(taken.into()))), Msg::Paste("not it".into())]);
            send(a, [key(KeyCode::Enter)]);
        }),
        ("signin_failed", |a| {
            let asked = exchanging(a);
            let refused = ApiError::Rejected {
                status: 400,
                code: None,
                message: "The authorization code has expired.".into(),
            };
            send(a, [answer(asked, Err(refused))]);
        }),
    ];
    for (name, build) in cases {
        for (size, terminal) in screens_at(&SIZES, app, build) {
            insta::assert_snapshot!(format!("{name}_{size}"), format!("{:?}", terminal.backend()));
        }
    }
}

/// The whole app on a demo server: signed in with the browser, the edit form typed in, then the
/// authorization revoked on the server. The save meets a 401, the refresh is refused, and the
/// log-in form says to sign in with the browser again, the edits kept; signing in again brings
/// the form back with them.
#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_sign_in_asks_to_sign_in_again_and_keeps_the_typed_edits() {
    let (server, dir, store, h) = signed_in().await;
    h.press_and_wait_for('e', "Edit profile").await;
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.ctrl('u');
    h.type_text("Kept Through SSO");
    h.press_and_wait_for(KeyCode::Enter, "Kept Through SSO").await;
    // Signed out on the server (as another device's log-out would).
    let session = store.load().expect("load").expect("stored");
    let logout_client = Client::new(ClientConfig::new(session.endpoint.clone())).expect("client");
    let cred = session.credential(None);
    let Credential::OAuth(oauth) = &cred else { panic!("a browser sign-in") };
    assert!(logout_client.oauth_logout(oauth).await.expect("revoked"));
    let tokens = match &cred {
        Credential::OAuth(o) => o.tokens(),
        Credential::Authtoken(_) => unreachable!(),
    };
    h.press_and_wait_for(KeyCode::Enter, "Sign in with the browser again").await;
    h.wait_for("Your profile changes are kept").await;
    // The typed edits are on disk too, and the sign-in's tokens are not.
    let drafts = dir.path().join("drafts");
    let written = || std::fs::read_dir(&drafts).map(|d| d.count() > 0).unwrap_or(false);
    assert!(common::wait_until(std::time::Duration::from_secs(5), written).await, "a draft was written");
    for entry in std::fs::read_dir(&drafts).expect("drafts") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("a draft");
        assert!(text.contains("Kept Through SSO"), "{text}");
        for token in [&tokens.access, &tokens.refresh] {
            assert!(!text.contains(secrecy::ExposeSecret::expose_secret(token)), "a token in the draft");
        }
    }
    sign_in_as_sso_user(&h, &server, "Secure Media Group → Kept Through SSO").await;
    let app = h.quit().await;
    assert!(matches!(app.screen, Screen::Edit(_)), "the form is back, its review showing");
    let requests = server.requests();
    assert!(requests.iter().all(|r| !r.authtoken && !r.foreign_token), "{requests:#?}");
    server.shutdown().await;
}

/// The whole app on a demo server, sessions and drafts in a temporary directory, its redirect
/// port free: signed in with the browser as sso.user, on the profile.
async fn signed_in() -> (cs_account::demo::DemoServer, tempfile::TempDir, SessionStore, Harness) {
    let server = harness::demo_server().await;
    let (dir, store) = common::temp_store();
    let mut setup = Setup::new(&server.base_url());
    setup.store = Some(store.clone());
    setup.drafts = Some(cs_account::store::drafts::DraftStore::new(dir.path().join("drafts")));
    setup.config.oauth.redirect_url = Some(format!("http://127.0.0.1:{}", free_port()));
    let h = Harness::start(setup);
    sign_in_as_sso_user(&h, &server, "Sam Soto").await;
    (server, dir, store, h)
}

/// ctrl-b on the log-in form, the address approved as sso.user, the browser sent to the
/// listener: the app shows `then`.
async fn sign_in_as_sso_user(h: &Harness, server: &cs_account::demo::DemoServer, then: &str) {
    h.wait_for("Log in to Contentstack").await;
    h.ctrl('b');
    h.wait_for("Waiting for the browser").await;
    h.wait_for("copies it").await;
    let url = address_on_screen(&h.screen());
    let redirect = approve(server, &url, "sso.user@example.com").await;
    reqwest::get(&redirect).await.expect("the listener answers");
    h.wait_for(then).await;
}

/// The whole app on a demo server: an hour later on the server's clock, the access token is
/// refused; the app refreshes it once, carries on, and stores the new tokens (the old refresh
/// token is spent).
#[tokio::test(flavor = "multi_thread")]
async fn an_expired_access_token_is_refreshed_once_and_stored() {
    let (server, _dir, store, h) = signed_in().await;
    let stored_refresh = |store: &SessionStore| {
        let session = store.load().expect("load").expect("stored");
        match session.secret {
            cs_account::store::StoredSecret::OAuth { tokens, .. } => {
                secrecy::ExposeSecret::expose_secret(&tokens.refresh).to_string()
            }
            _ => panic!("a browser sign-in"),
        }
    };
    let stored = || store.load().ok().flatten().is_some();
    assert!(common::wait_until(std::time::Duration::from_secs(5), stored).await, "remembered");
    let before = stored_refresh(&store);
    let token_calls = || server.requests().iter().filter(|r| r.route == "/token").count();
    let calls = token_calls();
    server.advance_clock(std::time::Duration::from_secs(3700));
    h.ch('r');
    let refreshed = || token_calls() > calls;
    assert!(common::wait_until(std::time::Duration::from_secs(5), refreshed).await, "a refresh");
    let user_reads = || server.requests().iter().filter(|r| r.route == "/v3/user").count();
    let reads = user_reads();
    h.ch('r');
    assert!(common::wait_until(std::time::Duration::from_secs(5), || user_reads() > reads).await);
    h.wait_for("Sam Soto").await;
    assert!(!h.screen().contains("Session expired"), "{}", h.screen());
    assert_eq!(token_calls(), calls + 1, "one refresh");
    assert_ne!(stored_refresh(&store), before, "the new tokens are stored");
    let _ = h.quit().await;
    server.shutdown().await;
}
