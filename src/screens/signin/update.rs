//! The sign-in screen's keys, paste, answers and countdown.

use std::time::Instant;

use crossterm::event::KeyEvent;

use crate::api::ApiError;
use crate::api::signin::WAIT;
use crate::app::effect::Effect;
use crate::app::field::FormError;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::msg::Msg;
use crate::app::nav::{Nav, Route};
use crate::app::request::{Kind, Lives, OnBrowser, OnOpenBrowser, OnSignIn, Request, ScreenTag, Switched};
use crate::app::state::{App, Authed};
use crate::screens::signin::{Browser, Listener, SignInState};

fn state(app: &mut App) -> Option<&mut SignInState> {
    app.screen_mut()
}

/// The screen opened: listen for the browser, open it, start the countdown.
pub(crate) fn start(app: &mut App) -> Vec<Effect> {
    let Some(s) = state(app) else { return Vec::new() };
    let wait = Request::WaitForBrowser {
        redirect_uri: s.sign_in.settings.redirect_uri.clone(),
        state: s.sign_in.pkce.state.clone(),
        then: OnBrowser,
    };
    let open = Request::OpenBrowser { url: s.sign_in.url.clone(), then: OnOpenBrowser };
    let tick = countdown(s);
    let lives = Lives::Screen(ScreenTag::SignIn);
    vec![app.request(lives, wait), app.request(lives, open), tick]
}

/// The next countdown tick: on the next whole second of the wait.
fn countdown(s: &mut SignInState) -> Effect {
    s.tick_epoch += 1;
    tick_after(s)
}

fn tick_after(s: &SignInState) -> Effect {
    let elapsed = s.started.elapsed();
    let into_second = elapsed.subsec_nanos() as u64;
    let after = std::time::Duration::from_nanos(1_000_000_000 - into_second);
    Effect::Timer { after, msg: Box::new(Msg::SignInTick { epoch: s.tick_epoch }) }
}

/// A countdown tick: the seconds left redrawn; at the end of the wait the listener stops.
pub(crate) fn on_tick(app: &mut App, epoch: u64) -> Vec<Effect> {
    let Some(s) = state(app) else { return Vec::new() };
    if s.tick_epoch != epoch || s.signing_in || s.listener != Listener::Waiting {
        return Vec::new();
    }
    // Rounded up: the last second shows as 0:01, and 0:00 only when the wait is over.
    let left = WAIT.saturating_sub(Instant::now().saturating_duration_since(s.started));
    s.seconds_left = left.as_millis().div_ceil(1000) as u64;
    if s.seconds_left > 0 {
        return vec![tick_after(s)];
    }
    s.listener = Listener::Stopped(format!(
        "No sign-in came back within {} minutes. Start again, or paste the address the browser ended on.",
        WAIT.as_secs() / 60
    ));
    app.cancel_where(|p| p.kind == Kind::BrowserWait)
}

pub(crate) fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let action = app.keymap.action(Context::SignIn, key);
    let s = state(app)?;
    match action {
        Some(Action::UsePasted) => Some(use_pasted(app)),
        Some(Action::Close) => Some(cancel(app)),
        Some(Action::Retry) => Some(restart(app)),
        Some(Action::OpenBrowser) => {
            s.browser = Browser::Opening;
            let open = Request::OpenBrowser { url: s.sign_in.url.clone(), then: OnOpenBrowser };
            Some(vec![app.request(Lives::Screen(ScreenTag::SignIn), open)])
        }
        Some(Action::Copy) => {
            let url = s.sign_in.url.to_string();
            Some(crate::app::clipboard::copy(app, "sign-in address", url))
        }
        _ => {
            let handled = !s.signing_in && s.paste.handle_key(ev);
            if handled {
                s.error = None;
            }
            handled.then(Vec::new)
        }
    }
}

/// Pasted text goes to the paste field (while no code is being exchanged).
pub(crate) fn on_paste(app: &mut App, text: &str) {
    let Some(s) = state(app) else { return };
    if !s.signing_in {
        s.paste.paste(text);
        s.error = None;
    }
}

/// Enter: the code in what was pasted, exchanged; what is not one is said, and kept.
fn use_pasted(app: &mut App) -> Vec<Effect> {
    let Some(s) = state(app) else { return Vec::new() };
    if s.signing_in {
        return Vec::new();
    }
    let pasted = s.paste.value().to_string();
    if pasted.trim().is_empty() {
        s.error = Some(FormError {
            title: "Nothing pasted".into(),
            message: "Paste the address the browser ended on (or the code alone), then press Enter.".into(),
            retry: false,
        });
        return Vec::new();
    }
    match s.sign_in.code_from(&pasted) {
        Ok(code) => exchange(app, code),
        Err(e) => {
            s.error = Some(FormError { title: "No code in it".into(), message: e.to_string(), retry: false });
            Vec::new()
        }
    }
}

/// The code (from the browser or pasted) is traded for tokens. The listener keeps waiting
/// meanwhile: a mistyped paste must not cost the browser's way back.
fn exchange(app: &mut App, code: String) -> Vec<Effect> {
    let Some(s) = state(app) else { return Vec::new() };
    s.signing_in = true;
    s.error = None;
    let request = Request::SignIn {
        endpoint: s.endpoint.clone(),
        sign_in: Box::new(s.sign_in.clone()),
        code,
        then: OnSignIn { remember: s.remember },
    };
    vec![app.request(Lives::Screen(ScreenTag::SignIn), request)]
}

/// Esc: the wait (and an exchange running) stop, and the log-in form shows again, as it was.
fn cancel(app: &mut App) -> Vec<Effect> {
    let mut effects = app.cancel_where(|p| p.lives_on(ScreenTag::SignIn));
    effects.extend(app.go(Nav::Pop));
    effects
}

/// A new sign-in (new verifier, `state` and address) in place of this one.
fn restart(app: &mut App) -> Vec<Effect> {
    let remember = state(app).is_some_and(|s| s.remember);
    let mut effects = app.cancel_where(|p| p.lives_on(ScreenTag::SignIn));
    effects.extend(app.go(Nav::Replace(Route::SignIn { remember })));
    effects
}

/// The listener's answer: the browser's code (exchanged at once), or why it has none.
pub(crate) fn on_browser(app: &mut App, result: Result<String, ApiError>) -> Vec<Effect> {
    let Some(s) = state(app) else { return Vec::new() };
    match result {
        // A pasted code is being tried: the browser's waits for its answer.
        Ok(code) if s.signing_in => {
            s.listener = Listener::Stopped("The browser came back while a pasted code was tried.".into());
            s.browser_code = Some(code);
            Vec::new()
        }
        Ok(code) => {
            s.listener = Listener::Stopped("The browser came back with the sign-in.".into());
            exchange(app, code)
        }
        Err(e) => {
            s.listener = Listener::Stopped(e.user_message());
            Vec::new()
        }
    }
}

/// Whether the browser could be opened.
pub(crate) fn on_opened(app: &mut App, result: Result<(), ApiError>) -> Vec<Effect> {
    if let Some(s) = state(app) {
        s.browser = match result {
            Ok(()) => Browser::Opened,
            Err(e) => Browser::NotOpened(e.user_message()),
        };
    }
    Vec::new()
}

/// The exchange's answer: the profile opens with the new session; a failure is said and the
/// sign-in can start again (a code is good once).
pub(crate) fn on_signed_in(app: &mut App, then: OnSignIn, result: Result<Switched, ApiError>) -> Vec<Effect> {
    match result {
        Ok(Switched { cred, profile }) => {
            let Some(s) = state(app) else { return Vec::new() };
            let endpoint = s.endpoint.clone();
            let email = profile.user.email.clone();
            let auth = Authed { email, cred, endpoint, remember: then.remember };
            let mut effects = app.cancel_where(|p| p.lives_on(ScreenTag::SignIn));
            effects.extend(crate::app::session::enter_profile(app, auth, profile));
            effects
        }
        Err(e) => {
            let Some(s) = state(app) else { return Vec::new() };
            s.signing_in = false;
            // The browser's own code, come back while a pasted one was tried, is next.
            if let Some(code) = s.browser_code.take() {
                return exchange(app, code);
            }
            // What was pasted stays, to be fixed; the listener may still bring the code.
            let waiting = s.listener == Listener::Waiting;
            s.error = Some(FormError {
                title: "Sign-in failed".into(),
                message: e.user_message(),
                retry: !waiting,
            });
            if waiting {
                return vec![countdown(s)];
            }
            s.listener = Listener::Stopped("This sign-in is over: start again for a new one.".into());
            Vec::new()
        }
    }
}
