//! The demo mailbox's keys and answers, and moving between screens: every flow screen keeps
//! the one it was opened over, and [`show`] brings a screen back with what it needs restarted.

use crate::api::ApiError;
use crate::app::effect::Effect;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::request::{Kind, Lives, OnOutbox, Pending, Request, ScreenTag};
use crate::app::state::{App, Screen, ToastLevel};
use crate::demo::OutboxKind;
use crate::demo::OutboxMessage;
use crate::screens::activate::ActivateState;
use crate::screens::login::LoginState;
use crate::screens::mailbox::MailboxState;
use crate::screens::mailbox::spent_note;
use crate::screens::mailbox::usable_value;
use crate::screens::reset::ResetState;
use crossterm::event::KeyEvent;

/// Takes the current screen out, leaving an empty log-in form in its place until the caller
/// puts the next screen in.
pub(crate) fn take_screen(app: &mut App) -> Screen {
    std::mem::replace(&mut app.screen, Screen::Login(Box::new(LoginState::new(None))))
}

/// Shows `screen` again and restarts what runs only while it shows: the demo code on the
/// log-in form, the token countdown in the reset wizard; the profile's lists are refitted (the
/// terminal may have been resized meanwhile).
pub(crate) fn show(app: &mut App, screen: Screen) -> Vec<Effect> {
    app.screen = screen;
    match &mut app.screen {
        Screen::Login(_) => crate::screens::login::update::start_demo_clock(app),
        Screen::Profile(_) => {
            crate::screens::profile::update::fit_to_viewport(app);
            Vec::new()
        }
        Screen::Reset(r) => crate::screens::reset::update::start_countdown(r).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Opens the mailbox over the current screen (demo mode only; `None` elsewhere, so the key
/// does nothing). While a flow's request runs it waits: its answer needs its screen.
pub(crate) fn open(app: &mut App) -> Option<Vec<Effect>> {
    let endpoint = app.demo_endpoint.clone()?;
    if app.has_pending(Pending::is_account_flow) {
        return Some(Vec::new());
    }
    let mut effects = app.cancel_where(|p| p.on_login_screen() || p.reads_profile());
    let back = take_screen(app);
    app.screen = Screen::Mailbox(Box::new(MailboxState::new(back)));
    effects.extend(fetch(app, endpoint));
    Some(effects)
}

fn fetch(app: &mut App, endpoint: crate::api::Endpoint) -> Vec<Effect> {
    let mut effects = app.cancel_where(|p| p.kind == Kind::Outbox);
    effects
        .push(app.request(Lives::Screen(ScreenTag::Mailbox), Request::Outbox { endpoint, then: OnOutbox }));
    effects
}

fn rows(app: &App) -> usize {
    let count = match &app.screen {
        Screen::Mailbox(m) => m.messages.len(),
        _ => 0,
    };
    crate::screens::mailbox::view::list_rows(app.viewport, count)
}

pub(crate) fn on_key(app: &mut App, _ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let action = app.keymap.lookup(&[Context::Mailbox, Context::Nav], key)?;
    let rows = rows(app);
    let Screen::Mailbox(m) = &mut app.screen else { return None };
    match action {
        Action::Up => m.move_by(-1, rows),
        Action::Down => m.move_by(1, rows),
        Action::PageUp => m.move_by(-(rows as isize), rows),
        Action::PageDown => m.move_by(rows as isize, rows),
        Action::Top => m.move_by(isize::MIN / 2, rows),
        Action::Bottom => m.move_by(isize::MAX / 2, rows),
        Action::Reload => {
            let endpoint = app.demo_endpoint.clone()?;
            return Some(fetch(app, endpoint));
        }
        Action::Close => return Some(close(app)),
        Action::UseMessage => return Some(use_selected(app)),
        _ => return None,
    }
    Some(Vec::new())
}

pub(crate) fn fit_to_viewport(app: &mut App) {
    let rows = rows(app);
    if let Screen::Mailbox(m) = &mut app.screen {
        m.scroll_into_view(rows);
    }
}

fn close(app: &mut App) -> Vec<Effect> {
    let mut effects = app.cancel_where(|p| p.lives_on(ScreenTag::Mailbox));
    if let Screen::Mailbox(m) = take_screen(app) {
        effects.extend(show(app, *m.back));
    }
    effects
}

pub(crate) fn on_api(app: &mut App, result: Result<Vec<OutboxMessage>, ApiError>) -> Vec<Effect> {
    let rows = rows(app);
    let Screen::Mailbox(m) = &mut app.screen else { return Vec::new() };
    match result {
        Ok(messages) => {
            let rows = rows.max(crate::screens::mailbox::view::list_rows(app.viewport, messages.len()));
            m.load(messages);
            m.scroll_into_view(rows);
        }
        Err(e) => m.error = Some(e.user_message()),
    }
    Vec::new()
}

/// Enter on a message: its token goes into the form it is for (the one the mailbox was opened
/// from, or a new one over it), an SMS code into the two-factor step.
fn use_selected(app: &mut App) -> Vec<Effect> {
    let Screen::Mailbox(m) = &app.screen else { return Vec::new() };
    let Some(msg) = m.selected().cloned() else { return Vec::new() };
    let Some(value) = usable_value(&msg).map(str::to_string) else {
        return vec![app.toast(ToastLevel::Warning, "This message has no token or code to use.")];
    };
    // The server would only refuse it.
    if let Some(note) = spent_note(&msg) {
        return vec![app.toast(ToastLevel::Warning, note)];
    }
    let note = Some("Filled in from the mailbox.".to_string());
    let fits = match (&msg.kind, &*m.back) {
        (OutboxKind::ResetPassword, Screen::Reset(_)) | (OutboxKind::Activation, Screen::Activate(_)) => true,
        (OutboxKind::Sms, Screen::Login(l)) if l.tfa.is_some() => true,
        (OutboxKind::Sms, _) => {
            let key = app.keymap.hint(Context::Tfa, Action::OpenMailbox).unwrap_or_default();
            let text = format!(
                "An SMS code is for the two-factor step: log in first, and when the code is asked for, open the mailbox there ({key})."
            );
            return vec![app.toast(ToastLevel::Info, text)];
        }
        _ => false,
    };
    let mut effects = app.cancel_where(|p| p.lives_on(ScreenTag::Mailbox));
    let Screen::Mailbox(m) = take_screen(app) else { return effects };
    let mut back = *m.back;
    if fits {
        match &mut back {
            Screen::Reset(r) => {
                if r.email.is_empty() {
                    r.email.set(&msg.to);
                }
                r.fill_token(&value, note);
            }
            Screen::Activate(a) => a.fill_token(&value, Some(&msg.to), note),
            Screen::Login(l) => {
                if let Some(t) = &mut l.tfa {
                    t.code.clear();
                    t.code.paste(&value);
                }
                l.error = None;
            }
            _ => {}
        }
    } else if msg.kind == OutboxKind::ResetPassword {
        // A new wizard over the screen the mailbox was opened from (a form there keeps what
        // was typed in it, and comes back on Esc).
        let mut r = ResetState::new(Some(&msg.to), back);
        r.fill_token(&value, note);
        back = Screen::Reset(Box::new(r));
    } else {
        let mut a = ActivateState::new(back);
        a.fill_token(&value, Some(&msg.to), note);
        back = Screen::Activate(Box::new(a));
    }
    effects.extend(show(app, back));
    effects
}
