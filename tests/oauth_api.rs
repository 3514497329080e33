//! Browser sign-in's token calls against the demo server over loopback (issue 14's groundwork):
//! a sign-in approved as a user gives a code in the redirect, which the client exchanges with
//! its PKCE verifier for tokens; what a real OAuth server refuses is refused with its words.

use std::time::Duration;

mod common;

use cs_account::api::oauth::{self, Hosts, OAuthSettings, Pkce};
use cs_account::api::{ApiError, Client, ClientConfig, Credential, Endpoint, GetUserOptions, UserUpdate};
use cs_account::demo::{DemoOptions, DemoServer};
use secrecy::{ExposeSecret, SecretString};

async fn server() -> DemoServer {
    DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() }).await.expect("demo server")
}

struct SignIn {
    client: Client,
    hosts: Hosts,
    settings: OAuthSettings,
    pkce: Pkce,
}

fn sign_in(server: &DemoServer) -> SignIn {
    let endpoint = Endpoint::custom(&server.base_url()).expect("url");
    let settings = OAuthSettings { redirect_uri: "http://127.0.0.1:8184".into(), ..Default::default() };
    SignIn {
        client: Client::new(ClientConfig::new(endpoint.clone())).expect("client"),
        hosts: Hosts::of(&endpoint),
        settings,
        pkce: Pkce::new(),
    }
}

/// What the browser is sent to once `email` approves the sign-in (the demo's stand-in for the
/// authorize page).
async fn approve(server: &DemoServer, s: &SignIn, email: &str) -> String {
    let url = oauth::authorize_url(&s.hosts, &s.settings, &s.pkce);
    common::oauth::approve(server, &url, email).await
}

/// A sign-in approved as john.doe: the code the browser brought back, `state` checked.
async fn john_code(server: &DemoServer, s: &SignIn) -> String {
    oauth::code_from(&approve(server, s, "john.doe@example.com").await, &s.pkce.state).expect("the code")
}

/// A demo server and john.doe's sign-in on it, exchanged: its tokens.
async fn johns_tokens() -> (DemoServer, SignIn, oauth::OAuthTokens) {
    let server = server().await;
    let s = sign_in(&server);
    let code = john_code(&server, &s).await;
    let tokens = exchange(&s, &s.settings, &code, &s.pkce.verifier).await.expect("tokens");
    (server, s, tokens)
}

/// `code` exchanged with `settings` and `verifier`.
async fn exchange(
    s: &SignIn,
    settings: &OAuthSettings,
    code: &str,
    verifier: &SecretString,
) -> Result<oauth::OAuthTokens, ApiError> {
    s.client.oauth_token(&s.hosts, oauth::code_grant(settings, code, verifier)).await
}

fn refused(result: Result<oauth::OAuthTokens, ApiError>) -> String {
    match result {
        Err(ApiError::Rejected { status: 400, message, .. }) => message,
        other => panic!("expected OAuth's refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn an_approved_sign_in_gives_tokens_for_its_code_and_verifier_once() {
    let server = server().await;
    let s = sign_in(&server);
    let redirect = approve(&server, &s, "john.doe@example.com").await;
    assert!(redirect.starts_with("http://127.0.0.1:8184/?code="), "{redirect}");
    let code = oauth::code_from(&redirect, &s.pkce.state).expect("the code, state checked");
    let grant = || oauth::code_grant(&s.settings, &code, &s.pkce.verifier);
    let tokens = s.client.oauth_token(&s.hosts, grant()).await.expect("tokens");
    assert!(!tokens.access.expose_secret().is_empty() && !tokens.refresh.expose_secret().is_empty());
    let left = tokens.expires_at - chrono::Utc::now();
    assert!(left > chrono::Duration::minutes(59) && left <= chrono::Duration::minutes(60), "{left}");
    assert!(tokens.user_uid.as_deref().is_some_and(|u| !u.is_empty()));
    // The same code again: used already.
    assert!(refused(s.client.oauth_token(&s.hosts, grant()).await).contains("used already"));
    // The grant went as a form, with no authtoken.
    let token_calls: Vec<_> = server.requests().into_iter().filter(|r| r.route == "/token").collect();
    assert_eq!(token_calls.len(), 2);
    assert!(token_calls.iter().all(|r| !r.authtoken));
    server.shutdown().await;
}

#[tokio::test]
async fn a_wrong_verifier_a_late_code_and_another_redirect_are_refused() {
    let server = server().await;
    let s = sign_in(&server);
    let code = john_code(&server, &s).await;
    let other = SecretString::from(Pkce::new().verifier.expose_secret().to_string());
    let message = refused(exchange(&s, &s.settings, &code, &other).await);
    assert!(message.contains("verifier"), "{message}");

    let code = john_code(&server, &s).await;
    server.advance_clock(Duration::from_secs(61));
    let message = refused(exchange(&s, &s.settings, &code, &s.pkce.verifier).await);
    assert!(message.contains("expired"), "{message}");

    let code = john_code(&server, &s).await;
    let elsewhere = OAuthSettings { redirect_uri: "http://127.0.0.1:9999".into(), ..s.settings.clone() };
    let message = refused(exchange(&s, &elsewhere, &code, &s.pkce.verifier).await);
    assert!(message.contains("redirect"), "{message}");
    server.shutdown().await;
}

#[tokio::test]
async fn a_refresh_token_gives_new_tokens_and_is_good_once() {
    let (server, s, first) = johns_tokens().await;
    let second = s
        .client
        .oauth_token(&s.hosts, oauth::refresh_grant(&s.settings, &first.refresh))
        .await
        .expect("refreshed");
    assert_ne!(second.access.expose_secret(), first.access.expose_secret());
    assert_ne!(second.refresh.expose_secret(), first.refresh.expose_secret());
    let message =
        refused(s.client.oauth_token(&s.hosts, oauth::refresh_grant(&s.settings, &first.refresh)).await);
    assert!(message.contains("refresh token"), "{message}");
    server.shutdown().await;
}

/// The access token reads the profile as `authorization: Bearer`, never as `authtoken`; it works
/// only on the server that issued it, and stops when it expires (on the demo clock).
#[tokio::test]
async fn the_access_token_reads_the_profile_as_bearer_on_its_own_server_only() {
    let (server, other) = (server().await, server().await);
    let s = sign_in(&server);
    let code = john_code(&server, &s).await;
    let tokens = exchange(&s, &s.settings, &code, &s.pkce.verifier).await.expect("tokens");
    let user = s.client.get_user_oauth(&tokens.access, Default::default()).await.expect("the profile");
    assert_eq!(user.email, "john.doe@example.com");
    let calls: Vec<_> = server.requests().into_iter().filter(|r| r.route == "/v3/user").collect();
    assert!(calls.iter().all(|r| r.bearer && !r.authtoken && !r.foreign_token), "{calls:?}");
    // Another server never issued it: refused, and its log says so.
    let elsewhere =
        Client::new(ClientConfig::new(Endpoint::custom(&other.base_url()).expect("url"))).expect("client");
    assert!(
        elsewhere
            .get_user_oauth(&tokens.access, Default::default())
            .await
            .is_err_and(|e| e.is_unauthorized())
    );
    assert!(other.requests().iter().any(|r| r.bearer && r.foreign_token));
    // An hour on: expired.
    server.advance_clock(Duration::from_secs(3601));
    assert!(
        s.client.get_user_oauth(&tokens.access, Default::default()).await.is_err_and(|e| e.is_unauthorized())
    );
    server.shutdown().await;
    other.shutdown().await;
}

/// The whole browser round trip against the demo: the authorize URL opens the demo's sign-in
/// page, choosing a user sends the browser to the redirect URL, where the listener takes the
/// code (state checked); a denial ends the wait with the reason.
#[tokio::test]
async fn the_browser_way_reaches_the_listener_with_the_code_or_the_denial() {
    use cs_account::api::redirect::RedirectListener;
    let server = server().await;
    let endpoint = Endpoint::custom(&server.base_url()).expect("url");
    let hosts = Hosts::of(&endpoint);
    let browser = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .expect("a browser");
    for (choice, approved) in [("john.doe@example.com", true), ("", false)] {
        let pkce = Pkce::new();
        let listener = RedirectListener::bind("http://127.0.0.1:0", &pkce.state).await.expect("listening");
        let settings = OAuthSettings {
            redirect_uri: format!("http://127.0.0.1:{}", listener.port()),
            ..Default::default()
        };
        let waiting = tokio::spawn(listener.wait());
        let url = oauth::authorize_url(&hosts, &settings, &pkce);
        let page = browser.get(url.as_str()).send().await.expect("the page").text().await.expect("html");
        assert!(page.contains("Authorize as john.doe@example.com"), "{page}");
        assert!(page.contains(&pkce.challenge) && !page.contains(pkce.verifier.expose_secret()));
        // The form's fields, as the page sends them.
        let form = [
            ("client_id", settings.client_id.as_str()),
            ("redirect_uri", settings.redirect_uri.as_str()),
            ("state", pkce.state.as_str()),
            ("code_challenge", pkce.challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("email", choice),
        ];
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
        let landed = browser
            .post(format!("{}/demo/oauth/decide", server.base_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("redirected")
            .text()
            .await
            .expect("the listener's page");
        let outcome = waiting.await.expect("joined");
        if approved {
            assert!(landed.contains("You can close this tab"), "{landed}");
            let code = outcome.expect("a code");
            let tokens = Client::new(ClientConfig::new(endpoint.clone()))
                .expect("client")
                .oauth_token(&hosts, oauth::code_grant(&settings, &code, &pkce.verifier))
                .await
                .expect("tokens");
            assert!(!tokens.access.expose_secret().is_empty());
        } else {
            assert!(landed.contains("did not complete"), "{landed}");
            assert!(matches!(outcome, Err(oauth::RedirectError::Denied(_))), "{outcome:?}");
        }
    }
    server.shutdown().await;
}

/// Requests in flight together share one refresh: two callers finding the token about to expire,
/// and two 401s for the same token, each cause one `/token` call; the refreshed token reads the
/// profile and the first refresh token is spent.
#[tokio::test]
async fn concurrent_requests_share_one_refresh() {
    use cs_account::api::oauth_session::OAuthSession;
    let (server, s, first) = johns_tokens().await;
    let new_session = |tokens| OAuthSession::new(s.client.clone(), s.settings.clone(), tokens);
    let token_calls = || server.requests().into_iter().filter(|r| r.route == "/token").count();
    let before = token_calls();
    // Fresh: nothing to refresh.
    let fresh = new_session(first.clone());
    let now = chrono::Utc::now();
    assert_eq!(fresh.access(now).await.expect("token").expose_secret(), first.access.expose_secret());
    assert_eq!(token_calls(), before);
    // A minute from expiry, two requests at once: one refresh, and the new token, good for an
    // hour, is what the second finds.
    let mut near = first.clone();
    near.expires_at = chrono::Utc::now() + chrono::Duration::minutes(1);
    let session = new_session(near);
    let now = chrono::Utc::now();
    let (a, b) = tokio::join!(session.access(now), session.access(now));
    let (a, b) = (a.expect("refreshed"), b.expect("refreshed"));
    assert_eq!(a.expose_secret(), b.expose_secret());
    assert_ne!(a.expose_secret(), first.access.expose_secret());
    assert_eq!(token_calls(), before + 1, "one refresh for both");
    // Two 401s for the same token: one refresh, both retry with its token.
    let (c, d) = tokio::join!(session.after_unauthorized(&a), session.after_unauthorized(&a));
    let (c, d) = (c.expect("refreshed"), d.expect("refreshed"));
    assert_eq!(c.expose_secret(), d.expose_secret());
    assert_ne!(c.expose_secret(), a.expose_secret());
    assert_eq!(token_calls(), before + 2, "one refresh for both 401s");
    let user = s.client.get_user_oauth(&c, Default::default()).await.expect("the profile");
    assert_eq!(user.email, "john.doe@example.com");
    // The spent refresh token no longer works on the server.
    let message =
        refused(s.client.oauth_token(&s.hosts, oauth::refresh_grant(&s.settings, &first.refresh)).await);
    assert!(message.contains("refresh token"), "{message}");
    assert_eq!(session.tokens().user_uid, first.user_uid);
    server.shutdown().await;
}

/// A signed-in session as the app holds one (tokens shared, stored through the hook).
fn credential(
    s: &SignIn,
    tokens: oauth::OAuthTokens,
) -> (Credential, std::sync::Arc<std::sync::Mutex<usize>>) {
    use cs_account::api::oauth_session::{Keeper, OAuthSession};
    let stored = std::sync::Arc::new(std::sync::Mutex::new(0));
    let count = stored.clone();
    let keeper =
        Keeper { save: Box::new(move |_| *count.lock().expect("count") += 1), load: Box::new(|| None) };
    let session = OAuthSession::new(s.client.clone(), s.settings.clone(), tokens).kept_by(keeper);
    (Credential::OAuth(std::sync::Arc::new(session)), stored)
}

/// Every call of an OAuth session goes as Bearer, never `authtoken`: the profile, the stacks (with
/// `organization_uid` where asked) and an update. When the server's clock has passed the token's
/// hour, the 401 brings one refresh (stored through the hook) and the call is sent again, for two
/// requests in flight together too.
#[tokio::test]
async fn an_oauth_credential_calls_as_bearer_and_refreshes_once_after_a_401() {
    let (server, s, tokens) = johns_tokens().await;
    let org = tokens.organization_uid.clone().expect("an organisation");
    let (cred, stored) = credential(&s, tokens);
    let profile = s.client.get_profile(&cred, GetUserOptions::full()).await.expect("the profile");
    assert_eq!(profile.user.email, "john.doe@example.com");
    s.client.get_stacks(&cred, Some(&org)).await.expect("the stacks");
    let update = UserUpdate { company: Some("Doe & Co".into()), ..Default::default() };
    s.client.update_user(&cred, &update).await.expect("updated");
    let token_calls = || server.requests().into_iter().filter(|r| r.route == "/token").count();
    let before = token_calls();
    server.advance_clock(Duration::from_secs(3700));
    let (a, b) = tokio::join!(
        s.client.get_user(&cred, Default::default()),
        s.client.get_user(&cred, Default::default())
    );
    assert_eq!(a.expect("after the refresh").company.as_deref(), Some("Doe & Co"));
    b.expect("after the same refresh");
    assert_eq!(token_calls(), before + 1, "one refresh for both 401s");
    assert_eq!(*stored.lock().expect("count"), 1, "the new tokens were handed to the store");
    let calls: Vec<_> = server.requests().into_iter().filter(|r| r.route.starts_with("/v3/")).collect();
    assert!(calls.iter().all(|r| r.bearer && !r.authtoken), "{calls:?}");
    assert!(calls.iter().any(|r| r.route == "/v3/stacks" && r.organization_uid.as_deref() == Some(&org)));
    server.shutdown().await;
}

/// Log-out finds this user's authorization among the app's (another user's is listed too) and
/// deletes it: the access token is refused from then on, and so is the refresh token, which the
/// client reports as the sign-in's end (sign in again).
#[tokio::test]
async fn logout_revokes_the_authorization_and_its_tokens() {
    let server = server().await;
    let other = sign_in(&server);
    let other_code =
        oauth::code_from(&approve(&server, &other, "tfa.user@example.com").await, &other.pkce.state)
            .expect("code");
    let other_tokens =
        exchange(&other, &other.settings, &other_code, &other.pkce.verifier).await.expect("tokens");
    let s = sign_in(&server);
    let code = john_code(&server, &s).await;
    let tokens = exchange(&s, &s.settings, &code, &s.pkce.verifier).await.expect("tokens");
    let (cred, _) = credential(&s, tokens);
    let Credential::OAuth(session) = &cred else { unreachable!() };
    assert!(s.client.oauth_logout(session).await.expect("logged out"), "john's authorization was found");
    let deletes: Vec<_> = server.requests().into_iter().filter(|r| r.method == "DELETE").collect();
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    assert!(deletes[0].bearer && !deletes[0].authtoken);
    match s.client.get_user(&cred, Default::default()).await {
        Err(ApiError::Unauthorized { message, .. }) => {
            assert!(message.contains("Sign in with the browser again"), "{message}")
        }
        other => panic!("expected the sign-in's end, got {other:?}"),
    }
    // The other user's sign-in is untouched.
    let user = other.client.get_user_oauth(&other_tokens.access, Default::default()).await.expect("still in");
    assert_eq!(user.email, "tfa.user@example.com");
    server.shutdown().await;
}

/// The SSO-only demo user: a right password gives no authtoken (the client says so), and browser
/// sign-in lets them in.
#[tokio::test]
async fn the_sso_user_gets_no_token_from_a_password_but_signs_in_with_the_browser() {
    let server = server().await;
    let s = sign_in(&server);
    let password = SecretString::from("Demo-pass-1234");
    let refused = s.client.login("sso.user@example.com", &password, None).await;
    assert!(matches!(refused, Err(ApiError::NoToken { .. })), "{refused:?}");
    let redirect = approve(&server, &s, "sso.user@example.com").await;
    let code = oauth::code_from(&redirect, &s.pkce.state).expect("code");
    let tokens = exchange(&s, &s.settings, &code, &s.pkce.verifier).await.expect("tokens");
    let user = s.client.get_user_oauth(&tokens.access, Default::default()).await.expect("in");
    assert_eq!(user.email, "sso.user@example.com");
    server.shutdown().await;
}

/// Two cs-account processes on one stored sign-in (the app open, `whoami` in another terminal):
/// when one has refreshed the tokens, spending the refresh token both held, the other takes the
/// stored tokens instead of refreshing with the spent one, and stays signed in.
#[tokio::test]
async fn a_sign_in_refreshed_by_another_process_is_taken_from_the_store() {
    use cs_account::store::{Obtained, StoredSecret, StoredSession};
    let (server, s, tokens) = johns_tokens().await;
    let (_dir, store) = common::temp_store();
    let endpoint = Endpoint::custom(&server.base_url()).expect("url");
    let secret = StoredSecret::OAuth { tokens, settings: s.settings.clone() };
    let stored = StoredSession { email: "john.doe@example.com".into(), endpoint, secret };
    store.save_as(&stored, Obtained::Browser).expect("stored");
    let load = || store.load().expect("load").expect("stored").credential(Some(&store));
    let (app, whoami) = (load(), load());
    server.advance_clock(Duration::from_secs(3700));
    let token_calls = || server.requests().into_iter().filter(|r| r.route == "/token").count();
    let before = token_calls();
    // `whoami` refreshes (the server says the hour is over) and stores the new tokens.
    s.client.get_user(&whoami, Default::default()).await.expect("whoami");
    assert_eq!(token_calls(), before + 1);
    // The app, holding the spent refresh token, gets a 401 too: it takes the stored tokens.
    let user = s.client.get_user(&app, Default::default()).await.expect("still signed in");
    assert_eq!(user.email, "john.doe@example.com");
    assert_eq!(token_calls(), before + 1, "no refresh with the spent token");
    server.shutdown().await;
}
