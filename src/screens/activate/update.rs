//! The activation form's keys and answer: the token (or the invitation link), the names and the
//! new password, checked before sending; the server's refusals stand on their fields.

use crate::screens::activate::ActivateState;
use crossterm::event::KeyEvent;

use crate::screens::activate::Focus;

use crate::api::{ApiError, Notice};
use crate::app::effect::Effect;
use crate::app::keymap::Action;
use crate::app::keys::Key;
use crate::app::nav::{Fill, Nav};
use crate::app::password_form::{
    self, Pasted, check_component, form_error, form_paste, leave, ready_to_send, retry_hint, server_field,
    to_next_empty,
};
use crate::app::request::{Lives, OnNotice, Request, ScreenTag};
use crate::app::state::App;
use crate::screens::activate::name_problem;

fn form(app: &mut App) -> Option<&mut ActivateState> {
    app.screen_mut()
}

pub(crate) fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    password_form::on_key(app, ev, key, form, |app, action| match action {
        Action::Send => Some(send(app)),
        Action::Retry => Some(submit(app)),
        Action::GoBack => Some(leave(app)),
        _ => None,
    })
}

/// Paste goes to the focused field; an invitation link pasted as the token is reduced to its
/// token, keeping the address when the link carries one.
pub(crate) fn on_paste(app: &mut App, text: &str) {
    let Some(a) = form(app) else { return };
    if let Some(Pasted::Link { email }) = form_paste(a, text) {
        let token = a.form.token.value().to_string();
        let note = a.form.token_note.take();
        a.fill_token(&token, email.as_deref(), note);
        a.focus = Focus::Token;
    }
}

/// Enter: to the next field when it is empty, else send.
fn send(app: &mut App) -> Vec<Effect> {
    let Some(a) = form(app) else { return Vec::new() };
    if to_next_empty(a) { Vec::new() } else { submit(app) }
}

fn submit(app: &mut App) -> Vec<Effect> {
    let Some((enforce, endpoint, a)) = ready_to_send(app, form) else { return Vec::new() };
    a.errors.clear();
    check_component(a, enforce);
    for (focus, subject) in [(Focus::FirstName, "The first name"), (Focus::LastName, "The last name")] {
        if let Some(p) = name_problem(a.field(focus).value()) {
            a.errors.insert(focus, vec![format!("{subject} {p}")]);
        }
    }
    if let Some(first) = a.errors.keys().next() {
        a.focus = *first;
        return Vec::new();
    }
    let Some(token) = a.form.token_to_send() else { return Vec::new() };
    let (password, confirmation) = a.form.new.secrets();
    let (first_name, last_name) =
        (a.first_name.value().trim().to_string(), a.last_name.value().trim().to_string());
    let request = Request::Activate {
        endpoint,
        token: token.into(),
        first_name,
        last_name,
        password,
        confirmation,
        then: OnNotice::Activate,
    };
    vec![app.request(Lives::Screen(ScreenTag::Activate), request)]
}

pub(crate) fn on_api(app: &mut App, result: Result<Notice, ApiError>) -> Vec<Effect> {
    let retry = retry_hint(app);
    let Some(a) = form(app) else { return Vec::new() };
    let notice = match result {
        Ok(n) if n.notice.trim().is_empty() => "Your account has been activated.".to_string(),
        Ok(n) => n.notice,
        Err(e) => {
            on_error(a, e, &retry);
            return Vec::new();
        }
    };
    let token = a.form.token_to_send().unwrap_or_default();
    let email = a.email_for(&token).map(str::to_string);
    if let Some(email) = &email {
        app.demo_login_changed(email, "activated in this run: use your password");
    }
    app.go(Nav::PopWith(Fill::Activated { email, notice }))
}

/// A token from the mailbox, handed down as the mailbox closes.
pub(crate) fn on_fill(app: &mut App, fill: Fill) -> Vec<Effect> {
    if let (Fill::Token(t), Some(a)) = (fill, form(app)) {
        a.fill_token(&t.value, Some(&t.to), t.note);
    }
    Vec::new()
}

/// The server's field messages on their fields; anything else above the button.
fn on_error(a: &mut ActivateState, e: ApiError, retry: &str) {
    let mut rest = Vec::new();
    for (name, messages) in e.field_errors() {
        let (focus, subject) = match (name.as_str(), server_field(&name)) {
            (_, Some((part, subject))) => (Focus::of(part), subject),
            ("first_name", _) => (Focus::FirstName, "The first name"),
            ("last_name", _) => (Focus::LastName, "The last name"),
            _ => {
                rest.extend(
                    messages.iter().map(|m| format!("{} {m}", crate::api::error::field_label(&name))),
                );
                continue;
            }
        };
        a.errors.entry(focus).or_default().extend(messages.iter().map(|m| format!("{subject} {m}")));
    }
    if let Some(first) = a.errors.keys().next() {
        a.focus = *first;
    }
    if !a.errors.is_empty() && rest.is_empty() {
        return;
    }
    a.error = Some(form_error(&e, &rest, retry));
}
