//! The activation form's keys and answer: the token (or the invitation link), the names and the
//! new password, checked before sending; the server's refusals stand on their fields.

use crate::screens::activate::ActivateState;
use crossterm::event::KeyEvent;

use crate::screens::activate::Focus;

use crate::api::{ApiError, Notice, token_from_link};
use crate::app::effect::Effect;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::request::{Lives, OnNotice, Pending, Request, ScreenTag};
use crate::app::session::error_title;
use crate::app::state::{App, Screen, ToastLevel};
use crate::screens::activate::name_problem;
use crate::screens::login::FormError;
use crate::screens::login::Method;
use crate::screens::mailbox::update::show;
use crate::screens::mailbox::update::take_screen;
use crate::screens::reset::email_in_link;
use crate::screens::reset::looks_like_link;
use crate::screens::reset::rules_enforced;

/// Opens the form over the current screen, which Esc and success return to.
pub(crate) fn open(app: &mut App) -> Vec<Effect> {
    let effects = app.cancel_where(|p| p.on_login_screen() || p.reads_profile());
    let back = take_screen(app);
    app.screen = Screen::Activate(Box::new(ActivateState::new(back)));
    effects
}

fn form(app: &mut App) -> Option<&mut ActivateState> {
    match &mut app.screen {
        Screen::Activate(a) => Some(a),
        _ => None,
    }
}

pub(crate) fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let action = app.keymap.action(Context::Password, key);
    let a = form(app)?;
    if key.is_text() {
        edit(a, ev);
        return Some(Vec::new());
    }
    match action {
        Some(Action::Send) => return Some(send(app)),
        Some(Action::Retry) => return Some(submit(app)),
        Some(Action::OpenMailbox) => return crate::screens::mailbox::update::open(app),
        Some(Action::NextField) => a.move_focus(1),
        Some(Action::PrevField) => a.move_focus(-1),
        Some(Action::ToggleSecret) => a.new.reveal = !a.new.reveal,
        Some(Action::GoBack) => return Some(leave(app)),
        _ => return edit(a, ev).then(Vec::new),
    }
    Some(Vec::new())
}

fn edit(a: &mut ActivateState, ev: &KeyEvent) -> bool {
    let focus = a.focus;
    let handled = a.field_mut(focus).handle_key(ev);
    if handled {
        a.errors.remove(&focus);
        if focus == Focus::Token {
            a.token_note = None;
        }
    }
    handled
}

/// Paste goes to the focused field; an invitation link pasted as the token is reduced to its
/// token, keeping the address when the link carries one.
pub(crate) fn on_paste(app: &mut App, text: &str) {
    let Some(a) = form(app) else { return };
    let focus = a.focus;
    a.errors.remove(&focus);
    if focus != Focus::Token || !looks_like_link(text) {
        a.field_mut(focus).paste(text);
        return;
    }
    match token_from_link(text) {
        Some(token) => {
            let email = email_in_link(text);
            a.fill_token(&token, email.as_deref(), Some("Taken from the pasted link.".into()));
            a.focus = Focus::Token;
        }
        None => {
            a.token.paste(text);
            a.errors.insert(Focus::Token, vec![NO_TOKEN.into()]);
        }
    }
}

const NO_TOKEN: &str =
    "There is no token in this link. Paste the token itself (it is in the invitation too).";

fn leave(app: &mut App) -> Vec<Effect> {
    let mut effects = app.cancel_where(Pending::is_account_flow);
    if let Screen::Activate(a) = take_screen(app) {
        effects.extend(show(app, *a.back));
    }
    effects
}

/// Enter: to the next field when it is empty, else send.
fn send(app: &mut App) -> Vec<Effect> {
    let Some(a) = form(app) else { return Vec::new() };
    let pos = Focus::ORDER.iter().position(|f| *f == a.focus).unwrap_or(0);
    match Focus::ORDER.get(pos + 1) {
        Some(next) if a.field(*next).is_empty() => {
            a.focus = *next;
            Vec::new()
        }
        _ => submit(app),
    }
}

fn submit(app: &mut App) -> Vec<Effect> {
    if app.has_pending(Pending::is_account_flow) {
        return Vec::new();
    }
    let enforce = rules_enforced(app);
    let endpoint = app.endpoint.clone();
    let Some(a) = form(app) else { return Vec::new() };
    a.error = None;
    a.errors.clear();
    let token = token_from_link(a.token.value());
    if token.is_none() {
        let message = if a.token.is_empty() {
            "Paste the token, or the whole link, from the invitation."
        } else {
            NO_TOKEN
        };
        a.errors.insert(Focus::Token, vec![message.into()]);
    }
    for (focus, subject) in [(Focus::FirstName, "The first name"), (Focus::LastName, "The last name")] {
        if let Some(p) = name_problem(a.field(focus).value()) {
            a.errors.insert(focus, vec![format!("{subject} {p}")]);
        }
    }
    if a.new.password.is_empty() {
        a.errors.insert(Focus::Password, vec!["Choose a password.".into()]);
    } else if enforce && !a.new.rules_met() {
        a.errors.insert(Focus::Password, vec!["Misses a rule marked ✗ below.".into()]);
    }
    if !a.new.password.is_empty() && !a.new.matches() {
        a.errors.insert(Focus::Confirm, vec!["Does not match the password.".into()]);
    }
    if let Some(first) = a.errors.keys().next() {
        a.focus = *first;
        return Vec::new();
    }
    let Some(token) = token else { return Vec::new() };
    let (password, confirmation) = a.new.secrets();
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
    let retry = app
        .keymap
        .hint(Context::Password, Action::Retry)
        .map(|k| format!(" Press {k} to send it again."))
        .unwrap_or_default();
    let Some(a) = form(app) else { return Vec::new() };
    let notice = match result {
        Ok(n) if n.notice.trim().is_empty() => "Your account has been activated.".to_string(),
        Ok(n) => n.notice,
        Err(e) => {
            on_error(a, e, &retry);
            return Vec::new();
        }
    };
    let Screen::Activate(a) = take_screen(app) else { return Vec::new() };
    let token = token_from_link(a.token.value()).unwrap_or_default();
    let email = a.email_for(&token).map(str::to_string);
    if let Some(email) = &email {
        crate::screens::reset::update::demo_login_changed(
            app,
            email,
            "activated in this run: use your password",
        );
    }
    let mut back = *a.back;
    let text = match (&mut back, &email) {
        (Screen::Login(l), Some(email)) => {
            prepare_login(l);
            l.email.set(email);
            l.focus = crate::screens::login::Focus::Password;
            format!("{notice} Log in as {email} with the password you chose.")
        }
        (Screen::Login(l), None) => {
            prepare_login(l);
            l.email.clear();
            l.focus = crate::screens::login::Focus::Email;
            format!("{notice} Log in with the email the invitation was sent to.")
        }
        (_, Some(email)) => format!("{notice} {email} can log in now."),
        (_, None) => notice,
    };
    let mut effects = show(app, back);
    effects.push(app.toast(ToastLevel::Success, text));
    effects
}

fn prepare_login(l: &mut crate::screens::login::LoginState) {
    if l.method != Method::Password {
        l.switch_method();
    }
    l.password.clear();
    l.error = None;
}

/// The server's field messages on their fields; anything else above the button.
fn on_error(a: &mut ActivateState, e: ApiError, retry: &str) {
    let mut rest = Vec::new();
    for (name, messages) in e.field_errors() {
        let (focus, subject) = match name.as_str() {
            "user_activation_token" | "activation_token" | "token" => (Focus::Token, "The token"),
            "first_name" => (Focus::FirstName, "The first name"),
            "last_name" => (Focus::LastName, "The last name"),
            "password" => (Focus::Password, "The password"),
            "password_confirmation" => (Focus::Confirm, "The confirmation"),
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
    let message = if !rest.is_empty() {
        rest.join(" ")
    } else if e.is_transient() {
        format!("{}{retry}", e.user_message())
    } else {
        e.user_message()
    };
    a.error = Some(FormError { title: error_title(&e).to_string(), message, retry: e.is_transient() });
}
