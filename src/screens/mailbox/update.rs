//! The demo mailbox's keys and answers. A token or code goes to the screen it fits (handed down
//! with the navigation step), or opens its form in the mailbox's place.

use crate::api::ApiError;
use crate::api::outbox::{OutboxKind, OutboxMessage};
use crate::app::effect::Effect;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::nav::{Fill, Nav, Route, Token};
use crate::app::request::{Kind, Lives, OnOutbox, Request, ScreenTag};
use crate::app::state::{App, Screen, ToastLevel};
use crate::screens::mailbox::Under;
use crate::screens::mailbox::layout::list_rows;
use crate::screens::mailbox::spent_note;
use crate::screens::mailbox::usable_value;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;

/// Reads the outbox (on opening, and on the reload key).
pub(crate) fn fetch(app: &mut App) -> Vec<Effect> {
    let Some(endpoint) = app.demo_endpoint.clone() else { return Vec::new() };
    let mut effects = app.cancel_where(|p| p.kind == Kind::Outbox);
    effects
        .push(app.request(Lives::Screen(ScreenTag::Mailbox), Request::Outbox { endpoint, then: OnOutbox }));
    effects
}

/// List rows visible at once, as the view last drew the mailbox.
fn rows(app: &App) -> usize {
    match &app.screen {
        Screen::Mailbox(m) => list_rows(m.area.get(), m.messages.len()),
        _ => list_rows(Rect::default(), 0),
    }
}

pub(crate) fn on_key(app: &mut App, _ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let action = app.keymap.lookup(&[Context::Mailbox, Context::Nav], key)?;
    if let Screen::Mailbox(m) = &app.screen
        && m.area.get() != m.fitted
    {
        // Drawn at another size since: the selection is kept inside the new one first.
        fit_to_viewport(app);
    }
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
            app.demo_endpoint.as_ref()?;
            return Some(fetch(app));
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
        m.fitted = m.area.get();
        m.scroll_into_view(rows);
    }
}

fn close(app: &mut App) -> Vec<Effect> {
    let mut effects = app.cancel_where(|p| p.lives_on(ScreenTag::Mailbox));
    effects.extend(app.go(Nav::Pop));
    effects
}

pub(crate) fn on_api(app: &mut App, result: Result<Vec<OutboxMessage>, ApiError>) -> Vec<Effect> {
    let rows = rows(app);
    let Screen::Mailbox(m) = &mut app.screen else { return Vec::new() };
    match result {
        Ok(messages) => {
            let rows = rows.max(list_rows(m.area.get(), messages.len()));
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
    let fits = match (&msg.kind, m.under) {
        (OutboxKind::ResetPassword, Under::Reset) | (OutboxKind::Activation, Under::Activate) => true,
        (OutboxKind::Sms, Under::Tfa) => true,
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
    let token = Token { to: msg.to.clone(), value, note };
    let nav = if fits {
        Nav::PopWith(Fill::Token(token))
    } else if msg.kind == OutboxKind::ResetPassword {
        // A new wizard over the screen the mailbox was opened from (a form there keeps what
        // was typed in it, and comes back on Esc).
        Nav::Replace(Route::ResetWithToken(token))
    } else {
        Nav::Replace(Route::ActivateWithToken(token))
    };
    effects.extend(app.go(nav));
    effects
}
