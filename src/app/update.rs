//! `update(&mut App, Msg) -> Vec<Effect>`: every state change happens here, with no I/O, so each
//! key sequence and each server answer can be tested by calling it.
//!
//! Keys go to the innermost thing that has the keyboard: a confirmation, the help overlay, the
//! screen (its text field first when one has focus), then the global bindings. Ctrl-C quits
//! before any of that, so no state can trap the user.

use crossterm::event::KeyEvent;

use crate::app::effect::Effect;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::msg::{Msg, RequestId, StoreResult};
use crate::app::request::{OnNotice, OnOutbox, OnSave, OnSms, OnStacks, Pending, Reply};
use crate::app::state::{App, Screen, ToastLevel};

pub use crate::app::quit::lost_on_quit;
pub use crate::app::session::{open_session, startup_notices};
pub use crate::screens::login::update::{busy as login_busy, can_cancel};
pub use crate::screens::profile::update::filter_line;

/// Applies one message to the app and returns what should happen outside it.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let effects = apply(app, msg);
    // A notice belongs to the screen it was given on: leaving the screen takes it away.
    app.drop_left_toasts();
    effects
}

fn apply(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(ev) => on_key(app, &ev),
        Msg::Paste(text) => on_paste(app, &text),
        Msg::Resize(w, h) => {
            // The views draw at the new size next and record it; positions are fitted to it
            // by the next key (as `ListState` clamps when drawn).
            app.viewport = (w, h);
            Vec::new()
        }
        Msg::Tick => {
            if app.is_busy() {
                app.spinner = app.spinner.wrapping_add(1);
            }
            // Also the beat of a filter applied in steps on a large profile.
            crate::screens::profile::update::continue_filter(app)
        }
        Msg::Api { id, reply } => {
            // Cancelled, or for a screen that is gone: nothing may change because of it.
            let Some(pending) = app.pending.remove(&id) else {
                tracing::debug!(request = id.0, "dropped the answer of a cancelled request");
                return Vec::new();
            };
            on_reply(app, id, pending, *reply)
        }
        Msg::Stored(result) => on_stored(app, result),
        Msg::DemoCode(code) => crate::screens::login::update::on_demo_code(app, code),
        Msg::ResetTick { sent, epoch } => crate::screens::reset::update::on_tick(app, sent, epoch),
        Msg::SignInTick { epoch } => crate::screens::signin::update::on_tick(app, epoch),
        Msg::Draft(result) => crate::screens::edit::update::on_draft(app, result),
        Msg::SaveRetryReady(id) => crate::screens::edit::save::on_retry_ready(app, id),
        Msg::DismissToast(id) => {
            app.toasts.retain(|t| t.id != id);
            Vec::new()
        }
        Msg::Quit => quit(app),
        Msg::Suspend => suspend(app),
    }
}

/// The answer to a running request goes to what its continuation names.
fn on_reply(app: &mut App, id: RequestId, pending: Pending, reply: Reply) -> Vec<Effect> {
    match reply {
        Reply::Login { then, result } => {
            crate::screens::login::update::on_answer(app, pending.kind);
            crate::app::session::on_login(app, then, result)
        }
        Reply::Sms { then: OnSms, result } => crate::screens::login::update::on_sms_result(app, result),
        Reply::User { then, result } => {
            crate::screens::login::update::on_answer(app, pending.kind);
            crate::app::session::on_user(app, id, then, result)
        }
        Reply::Logout { then, result } => crate::app::session::on_logout(app, then, result),
        Reply::Save { then: OnSave, result } => crate::screens::edit::save::on_save_result(app, id, result),
        Reply::Notice { then: OnNotice::Forgot { email }, result } => {
            crate::screens::reset::update::on_forgot(app, email, result)
        }
        Reply::Notice { then: OnNotice::Reset, result } => {
            crate::screens::reset::update::on_reset(app, result)
        }
        Reply::Notice { then: OnNotice::Activate, result } => {
            crate::screens::activate::update::on_api(app, result)
        }
        Reply::Outbox { then: OnOutbox, result } => crate::screens::mailbox::update::on_api(app, result),
        Reply::Stacks { then: OnStacks, result } => crate::screens::profile::stacks::on_answer(app, result),
        Reply::Accounts { then: _, result } => crate::screens::accounts::update::on_accounts(app, result),
        Reply::AccountCheck { then, result } => crate::screens::accounts::update::on_check(app, then, result),
        Reply::Switch { then, result } => crate::screens::accounts::update::on_switch(app, then, result),
        Reply::AccountLogout { then, result } => {
            crate::screens::accounts::update::on_logout(app, then, result)
        }
        Reply::Browser { then: _, result } => crate::screens::signin::update::on_browser(app, result),
        Reply::OpenBrowser { then: _, result } => crate::screens::signin::update::on_opened(app, result),
        Reply::SignIn { then, result } => crate::screens::signin::update::on_signed_in(app, then, result),
    }
}

/// Ctrl-Z or SIGTSTP: unsaved edits go to disk first (a stopped app may never be continued),
/// then the process stops until the shell continues it.
fn suspend(app: &mut App) -> Vec<Effect> {
    let mut effects = crate::screens::edit::update::on_quit(app);
    effects.push(Effect::Suspend);
    effects
}

pub(crate) fn quit(app: &mut App) -> Vec<Effect> {
    // Unsaved edits go to disk first; the runner waits for that before the app ends.
    let mut effects = crate::screens::edit::update::on_quit(app);
    app.should_quit = true;
    effects.push(Effect::Quit);
    effects
}

fn on_key(app: &mut App, ev: &KeyEvent) -> Vec<Effect> {
    let key = Key::from_event(ev);
    if key == Key::ctrl('c') {
        return quit(app);
    }
    // Raw mode turns the terminal's own ctrl-z into a key: suspend as the shell would have.
    if key == Key::ctrl('z') {
        return suspend(app);
    }
    let (w, h) = app.viewport;
    if w < crate::app::state::MIN_WIDTH || h < crate::app::state::MIN_HEIGHT {
        // Only quitting makes sense on a screen the user cannot see, and only when nothing
        // typed would be lost: the question could not be seen either (ctrl-c still quits).
        return match app.keymap.action(Context::Global, key) {
            Some(Action::Quit) if lost_on_quit(app).is_empty() => quit(app),
            _ => Vec::new(),
        };
    }
    if app.draft_offer.as_ref().is_some_and(|o| o.open) {
        // The question about an old draft comes first; only quitting gets past it.
        return match crate::screens::edit::update::on_offer_key(app, key) {
            Some(effects) => effects,
            None if app.keymap.action(Context::Global, key) == Some(Action::Quit) => {
                crate::app::quit::on_quit_key(app)
            }
            None => Vec::new(),
        };
    }
    if app.confirm.is_some() {
        return crate::app::confirm::on_key(app, key);
    }
    // An overlay (the help) has the keyboard while it shows.
    if let Some(overlay) = &app.overlay {
        let handler = overlay.key_handler();
        return handler(app, ev, key).unwrap_or_default();
    }
    let handled = match app.screen {
        Screen::Profile(_) => {
            // The form waiting for the server's answer opens only if nothing else was asked for
            // meanwhile: keys meant for the profile must not land in a form that pops up.
            if app.keymap.action(Context::Profile, key) != Some(Action::EditProfile) {
                crate::screens::edit::known::forget(app, crate::app::state::AfterCheck::OpenForm);
            }
            // The edit key opens the form over the profile (or asks the server first).
            Screen::on_key(app, ev, key).or_else(|| crate::screens::edit::update::on_profile_key(app, key))
        }
        _ => Screen::on_key(app, ev, key),
    };
    if let Some(effects) = handled {
        return effects;
    }
    match app.keymap.action(Context::Global, key) {
        Some(Action::Quit) => crate::app::quit::on_quit_key(app),
        Some(Action::Help) => app.go(crate::app::nav::Nav::Push(crate::app::nav::Route::Help)),
        _ if key == Key::plain(crossterm::event::KeyCode::Esc) => {
            // Esc with nothing else to close dismisses the newest message.
            app.toasts.pop();
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
    if app.confirm.is_some() || app.overlay.is_some() || app.draft_offer.as_ref().is_some_and(|o| o.open) {
        return Vec::new();
    }
    Screen::on_paste(app, text);
    Vec::new()
}

fn on_stored(app: &mut App, result: StoreResult) -> Vec<Effect> {
    match result {
        StoreResult::Saved(Err(e)) => {
            // Said plainly: nothing here will remember the token, and it is valid on the server.
            let logout = app
                .keymap
                .hint(Context::Profile, Action::Logout)
                .map(|k| format!(" ({k})"))
                .unwrap_or_default();
            vec![app.global_toast(
                ToastLevel::Error,
                format!(
                    "The session could not be remembered: {e} It works until you quit, and stays valid on Contentstack until it expires: log out{logout} before quitting to end it there."
                ),
            )]
        }
        StoreResult::Deleted(Err(e)) => vec![
            app.global_toast(ToastLevel::Warning, format!("The stored session could not be deleted: {e}")),
        ],
        StoreResult::Saved(Ok(())) | StoreResult::Deleted(Ok(_)) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;
    use crate::api::User;
    use crate::app::keymap::Keymap;
    use crate::app::request::{Lives, OnUser, Request, ScreenTag, Then};

    /// A pasted token's check, as the log-in form starts it; returns its id.
    fn check_token(app: &mut App, then: &OnUser) -> RequestId {
        let token = SecretString::from("blt0123456789abcdef");
        let request =
            Request::GetUser { endpoint: Default::default(), cred: token.into(), then: then.clone() };
        let Effect::Request { id, .. } = app.request(Lives::Screen(ScreenTag::Login), request) else {
            panic!("a request")
        };
        id
    }

    /// An answer whose request was cancelled changes nothing, though its continuation came
    /// back with it: `pending` is asked first.
    #[test]
    fn the_answer_to_a_cancelled_request_is_dropped() {
        let mut app = App::new(Default::default(), Keymap::default(), (80, 24));
        let then = OnUser::CheckToken { token: SecretString::from("blt0123456789abcdef"), remember: false };
        let user = User { uid: "u".into(), email: "a@b.c".into(), ..Default::default() };
        let id = check_token(&mut app, &then);
        assert_eq!(app.busy_label(), Some("Checking the authtoken…"));
        let cancels = app.cancel_where(|p| p.on_login_screen());
        assert!(matches!(cancels[..], [Effect::Cancel(c)] if c == id), "{cancels:?}");
        assert!(!app.is_busy());
        let reply = Box::new(then.clone().reply(Ok(user.clone().into())));
        assert!(update(&mut app, Msg::Api { id, reply }).is_empty());
        assert!(app.session.is_none() && app.login().is_some(), "still on the log-in form");
        // The same answer to a request still running opens the profile.
        let id = check_token(&mut app, &then);
        update(&mut app, Msg::Api { id, reply: Box::new(then.reply(Ok(user.into()))) });
        assert!(app.session.is_some() && app.profile().is_some());
    }
}
