//! Helpers shared by the TUI tests: building apps, pressing keys, answering requests the way
//! the runner would, drawing to a `TestBackend`.
#![allow(dead_code)] // Each test crate uses a different subset.

pub mod harness;
pub mod oauth;
#[cfg(unix)]
pub mod pty;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use cs_account::api::{ApiError, Endpoint, LoginSuccess, User};
use cs_account::app::keymap::Keymap;
use cs_account::app::msg::RequestId;
use cs_account::app::request::{OnLogin, OnLogout, OnNotice, OnOutbox, OnSave, OnSms, OnUser, Request, Then};
use cs_account::app::state::{DemoEntry, DemoPanel};
use cs_account::app::{App, Effect, Msg, update};
use cs_account::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secrecy::SecretString;

/// The token the fixtures log in with.
pub const TOKEN: &str = "bltd111c111111c11ec";

/// A user from a JSON `user` object, the way the API client makes one: sanitised first.
pub fn user_from(value: serde_json::Value) -> User {
    let mut value = value;
    if let Some(obj) = value.as_object_mut() {
        obj.remove("authtoken");
    }
    serde_json::from_value(cs_account::sanitize::json(value)).expect("a valid user")
}

/// The "Get user" sample of Contentstack's docs.
pub fn seed_user() -> User {
    let text = include_str!("../fixtures/get_user.json");
    let doc: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    user_from(doc["user"].clone())
}

/// The seed user with organisations and settings, as `GET /user?include_orgs_roles=true&
/// include_user_settings=true` gives them.
pub fn full_user() -> User {
    let text = include_str!("../fixtures/get_user.json");
    let mut doc: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    let user = &mut doc["user"];
    user["organizations"] = serde_json::json!([
        {"uid": "blt44444c44ea4ddf222", "name": "Doe Industries", "is_owner": true,
         "org_roles": [{"uid": "r-admin", "name": "Admin", "admin": true}]},
        {"uid": "bltcde1e1cdf1f11e5f", "name": "Contentstack Partners",
         "org_roles": [{"uid": "r-member", "name": "Member"}]}
    ]);
    user["settings"] = serde_json::json!({"global": [{"key": "favorite_stacks", "value": [
        {"org_uid": "blt44444c44ea4ddf222", "stacks": [{"api_key": "blt444ad44e4d44aa4a"}]},
        {"org_uid": "blt22e2222dd2e2fb22", "stacks": [{"api_key": "blt922222441b906ce"}, {"api_key": "blt38c22223b67bd04"}]}
    ]}]});
    user["last_login_at"] = "2025-07-08T08:46:26.437Z".into();
    user["password_updated_at"] = "2024-11-07T08:51:49.609Z".into();
    user["password_reset_required"] = false.into();
    user_from(doc["user"].clone())
}

/// A fresh app on the log-in screen, colours on, for a `w`×`h` terminal.
pub fn app(w: u16, h: u16) -> App {
    App::new(Endpoint::default(), Keymap::default(), (w, h))
}

/// The demo panel as demo mode fills it, with a fixed code.
pub fn demo_panel() -> DemoPanel {
    DemoPanel {
        logins: cs_account::demo::DEMO_LOGINS
            .iter()
            .map(|l| DemoEntry { email: l.email.into(), password: l.password.into(), note: l.note.into() })
            .collect(),
        tfa_secret: cs_account::demo::TFA_SECRET.into(),
        code: Some("123456".into()),
        ticking: true,
    }
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    let mods = if c.is_ascii_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    Msg::Key(KeyEvent::new(KeyCode::Char(c), mods))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Sends messages, collecting every effect. Each goes to a screen drawn at the app's size first,
/// as in the loop (a key comes to what is on screen): the views record what they drew, and
/// `update` pages by that.
pub fn send(app: &mut App, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
    msgs.into_iter()
        .flat_map(|m| {
            let (w, h) = app.viewport;
            draw(app, w, h);
            update(app, m)
        })
        .collect()
}

/// Types text, one key per character.
pub fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    send(app, text.chars().map(ch))
}

/// The id of the (only) request among `effects` that `pick` recognises.
pub fn request_id(effects: &[Effect], pick: impl Fn(&Effect) -> Option<RequestId>) -> RequestId {
    let ids: Vec<RequestId> = effects.iter().filter_map(pick).collect();
    assert_eq!(ids.len(), 1, "expected one matching request in {effects:#?}");
    ids[0]
}

/// A request the app sent: its id, and the continuation its answer must carry.
#[derive(Debug, Clone)]
pub struct Asked<T> {
    pub id: RequestId,
    pub then: T,
}

/// The (only) request among `effects` whose continuation `pick` finds.
pub fn asked<T: Clone>(effects: &[Effect], pick: impl Fn(&Request) -> Option<&T>) -> Asked<T> {
    let found: Vec<Asked<T>> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Request { id, request } => {
                pick(request).map(|then| Asked { id: *id, then: then.clone() })
            }
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "expected one matching request in {effects:#?}");
    found.into_iter().next().expect("one")
}

/// The requests among `effects`.
pub fn requests(effects: &[Effect]) -> impl Iterator<Item = (RequestId, &Request)> {
    effects.iter().filter_map(|e| match e {
        Effect::Request { id, request } => Some((*id, request)),
        _ => None,
    })
}

/// `fn name(effects) -> Asked<Then>`: the request of `variant` among `effects`, with its id and
/// continuation (panics when there is none, as a test expects one).
macro_rules! request_pickers {
    ($($name:ident: $variant:ident -> $then:ty;)*) => {$(
        pub fn $name(effects: &[Effect]) -> Asked<$then> {
            asked(effects, |r| match r {
                Request::$variant { then, .. } => Some(then),
                _ => None,
            })
        }
    )*};
}

request_pickers! {
    login_id: Login -> OnLogin;
    get_user_id: GetUser -> OnUser;
    logout_id: Logout -> OnLogout;
    sms_id: Sms -> OnSms;
    save_id: Update -> OnSave;
    forgot_id: Forgot -> OnNotice;
    reset_id: Reset -> OnNotice;
    activate_id: Activate -> OnNotice;
    outbox_id: Outbox -> OnOutbox;
}

/// An API answer, as the runner sends it: with the continuation the request carried.
pub fn answer<T: Then>(asked: Asked<T>, result: Result<T::Output, ApiError>) -> Msg {
    Msg::Api { id: asked.id, reply: Box::new(asked.then.reply(result)) }
}

pub fn login_ok(user: &User) -> Result<LoginSuccess, ApiError> {
    Ok(LoginSuccess {
        notice: "Login Successful.".into(),
        user: user.clone(),
        authtoken: SecretString::from(TOKEN),
    })
}

pub fn login_err(e: ApiError) -> Result<LoginSuccess, ApiError> {
    Err(e)
}

/// Fills the form and submits it; returns the log-in request's id.
pub fn submit_login(app: &mut App, email: &str, password: &str) -> Asked<OnLogin> {
    if let Some(l) = app.login_mut() {
        l.email.set(email);
        l.focus = cs_account::screens::login::Focus::Password;
    }
    let mut effects = type_text(app, password);
    effects.extend(send(app, [key(KeyCode::Enter)]));
    login_id(&effects)
}

/// Logs in through the form with `user` as the server's answers; the app ends on the profile,
/// its stacks call answered with no stacks (roles keep their API keys), so nothing runs.
pub fn log_in(app: &mut App, user: &User) -> Vec<Effect> {
    let mut effects = log_in_with_stacks_pending(app, user);
    let asked = requests(&effects).find_map(|(id, r)| match r {
        Request::Stacks { then, .. } => Some(Asked { id, then: *then }),
        _ => None,
    });
    if let Some(asked) = asked {
        effects.extend(update(app, answer(asked, Ok(Default::default()))));
    }
    effects
}

/// [`log_in`], leaving the profile's stacks call running (its request is among the effects).
pub fn log_in_with_stacks_pending(app: &mut App, user: &User) -> Vec<Effect> {
    let id = submit_login(app, &user.email, "Demo-pass-1234");
    let effects = update(app, answer(id, login_ok(user)));
    let id = get_user_id(&effects);
    let mut out = effects;
    out.extend(update(app, answer(id, Ok(user.clone().into()))));
    assert!(app.profile().is_some(), "the profile should show after logging in");
    out
}

/// Draws the app into a fresh `w`×`h` test terminal, in colour.
pub fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    draw_with(app, w, h, &Theme::default())
}

/// Draws the app into a fresh `w`×`h` test terminal with `theme` (e.g. NO_COLOR's).
pub fn draw_with(app: &App, w: u16, h: u16, theme: &Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    terminal.draw(|f| cs_account::ui::draw(f, app, theme)).expect("draws");
    terminal
}

/// The app `start` makes at each of `sizes`, drawn once `build` ran on it; each with its size
/// as a snapshot name's suffix, `<w>x<h>`.
pub fn screens_at(
    sizes: &[(u16, u16)],
    start: impl Fn(u16, u16) -> App,
    build: impl Fn(&mut App),
) -> Vec<(String, Terminal<TestBackend>)> {
    sizes
        .iter()
        .map(|&(w, h)| {
            let mut a = start(w, h);
            build(&mut a);
            (format!("{w}x{h}"), draw(&a, w, h))
        })
        .collect()
}

/// The screen as text, one line per row.
pub fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// A session store in a new temporary directory (removed when the first is dropped).
pub fn temp_store() -> (tempfile::TempDir, cs_account::store::SessionStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = cs_account::store::SessionStore::new(dir.path().to_path_buf());
    (dir, store)
}

/// The first cell of the frame holding a control or invisible format character, said with the
/// whole screen; `None` when every cell is clean. A cell holds one grapheme: a base with its
/// variation selector passes, a selector anywhere else does not.
pub fn unclean_cell(terminal: &Terminal<TestBackend>) -> Option<String> {
    let buf = terminal.backend().buffer();
    let cells = (0..buf.area.height).flat_map(|y| (0..buf.area.width).map(move |x| (x, y)));
    cells.map(|(x, y)| (x, y, buf[(x, y)].symbol())).find_map(|(x, y, sym)| {
        let clean = !sym.chars().any(char::is_control) && cs_account::sanitize::is_clean(sym);
        (!clean).then(|| format!("cell ({x},{y}) holds {sym:?}\n{}", screen_text(terminal)))
    })
}

/// Waits for `cond`, polling, up to `timeout`.
pub async fn wait_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + timeout;
    while tokio::time::Instant::now() < deadline {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    cond()
}

/// An empty directory `<name>-<pid>` under the target's temporary directory, for a test binary's
/// files: whatever an earlier run left there is removed first.
pub fn fresh_dir(name: &str) -> std::path::PathBuf {
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("state dir");
    dir
}
