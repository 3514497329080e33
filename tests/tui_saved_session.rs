//! The full-screen app in its real loop with two demo servers: a session stored for A is not sent
//! to B when the app runs on B, and logging in on B adds B's session next to A's, which stays
//! stored and valid (nothing is sent to A).

mod common;

use common::harness::{Harness, Setup};
use crossterm::event::KeyCode;
use cs_account::api::{Client, ClientConfig, Endpoint, GetUserOptions};
use cs_account::demo::DemoServer;
use cs_account::store::{SessionStore, StoredSession};
use secrecy::{ExposeSecret, SecretString};

fn client(server: &DemoServer) -> Client {
    Client::new(ClientConfig::new(Endpoint::custom(&server.base_url()).expect("url"))).expect("client")
}

/// A session on `server`, stored in a fresh directory.
async fn stored_on(server: &DemoServer) -> (tempfile::TempDir, SessionStore, SecretString) {
    let login = client(server)
        .login("john.doe@example.com", &SecretString::from("Demo-pass-1234"), None)
        .await
        .expect("login");
    let (dir, store) = common::temp_store();
    store
        .save(&StoredSession::with_authtoken(
            login.user.email.clone(),
            Endpoint::custom(&server.base_url()).expect("url"),
            login.authtoken.clone(),
        ))
        .expect("saved");
    (dir, store, login.authtoken)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_for_a_is_not_sent_to_b_and_stays_when_b_is_added() {
    let (a, b) = (common::harness::demo_server().await, common::harness::demo_server().await);
    let (_dir, store, old) = stored_on(&a).await;
    let a_before = a.requests().len();
    let mut setup = Setup::new(&b.base_url());
    setup.store = Some(store.clone());
    let h = Harness::start(setup);
    h.wait_for("Not logged in to").await;
    assert!(b.requests().iter().all(|r| !r.authtoken), "B got a token: {:?}", b.requests());

    // The email is filled in; the password goes in and Enter logs in on B, without a question.
    h.type_text("Demo-pass-1234");
    h.key(KeyCode::Enter);
    h.wait_for("John Doe").await;
    let app = h.quit().await;
    assert!(app.session.is_some());

    assert_eq!(a.requests().len(), a_before, "A was not asked anything: {:?}", a.requests());
    client(&a).get_user(&old, GetUserOptions::default()).await.expect("A's token still works");
    // Remember me was on: B's session is added and is the one used last; A's stays.
    let now = store.load().expect("readable").expect("a session");
    assert_eq!(now.endpoint, Endpoint::custom(&b.base_url()).expect("url"));
    let on_a = store.load_active(&Endpoint::custom(&a.base_url()).expect("url")).expect("readable");
    assert_eq!(on_a.expect("kept").authtoken().expect("an authtoken").expose_secret(), old.expose_secret());
}
