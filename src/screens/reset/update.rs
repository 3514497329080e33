//! The reset wizard's keys and answers. Step 1 sends `forgot_password` and starts the token's
//! countdown; step 2 checks the token and the new password, then sends `reset_password`.
//!
//! The fields are never emptied by a request: a refused token sends the user back to step 1
//! with the new password still typed. Requests carry copies, wiped when they are done.

use std::time::Instant;

use crossterm::event::KeyEvent;

use crate::api::{ApiError, Notice};
use crate::app::effect::Effect;
use crate::app::keymap::Action;
use crate::app::keys::Key;
use crate::app::msg::Msg;
use crate::app::nav::{Fill, Nav};
use crate::app::password_form::{
    self, Pasted, check_component, form_error, form_paste, leave, ready_to_send, retry_hint, server_field,
    to_next_empty,
};
use crate::app::request::{Lives, OnNotice, Request, ScreenTag};
use crate::app::state::App;
use crate::screens::reset::Focus;
use crate::screens::reset::ResetState;
use crate::screens::reset::Sent;
use crate::screens::reset::Step;
use crate::screens::reset::minutes_left;
use crate::screens::reset::until_next_minute;

fn wizard(app: &mut App) -> Option<&mut ResetState> {
    app.screen_mut()
}

pub(crate) fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    password_form::on_key(app, ev, key, wizard, |app, action| {
        let r = wizard(app)?;
        match (action, r.step) {
            (Action::Send, _) => Some(send(app)),
            (Action::Retry, _) => Some(submit(app)),
            (Action::NextStep, Step::Email) => {
                r.go_to(Step::Token);
                Some(Vec::new())
            }
            (Action::GoBack, Step::Token) => {
                r.go_to(Step::Email);
                Some(Vec::new())
            }
            (Action::GoBack, Step::Email) => Some(leave(app)),
            _ => None,
        }
    })
}

/// Paste goes to the focused field; a link pasted as the token is reduced to its token at once
/// (and gives the email too when it carries one), so the field shows what will be sent.
pub(crate) fn on_paste(app: &mut App, text: &str) {
    let Some(r) = wizard(app) else { return };
    if let Some(Pasted::Link { email: Some(email) }) = form_paste(r, text)
        && r.email.is_empty()
    {
        r.email.set(&email);
    }
}

/// Enter: on step 1, send (or move on once sent to this address); on step 2, go to the next
/// empty field, or send.
fn send(app: &mut App) -> Vec<Effect> {
    let Some(r) = wizard(app) else { return Vec::new() };
    match r.step {
        Step::Email if r.sent_to_current() => {
            r.go_to(Step::Token);
            Vec::new()
        }
        Step::Email => submit(app),
        Step::Token => {
            if to_next_empty(r) {
                Vec::new()
            } else {
                submit(app)
            }
        }
    }
}

/// Sends the current step's request (the retry key sends it again).
fn submit(app: &mut App) -> Vec<Effect> {
    let Some((enforce, endpoint, r)) = ready_to_send(app, wizard) else { return Vec::new() };
    match r.step {
        Step::Email => {
            let email = r.email.value().trim().to_string();
            let problem = if email.is_empty() {
                Some("Enter the email address of your Contentstack account.".to_string())
            } else if !email.contains('@') {
                Some(format!("'{email}' does not look like an email address."))
            } else {
                None
            };
            if let Some(p) = problem {
                r.errors.insert(Focus::Email, vec![p]);
                r.focus = Focus::Email;
                return Vec::new();
            }
            r.errors.clear();
            let then = OnNotice::Forgot { email: email.clone() };
            vec![app.request(Lives::Screen(ScreenTag::Reset), Request::Forgot { endpoint, email, then })]
        }
        Step::Token => {
            r.errors.clear();
            check_component(r, enforce);
            if let Some(first) = r.errors.keys().next() {
                r.focus = *first;
                return Vec::new();
            }
            let Some(token) = r.form.token_to_send() else { return Vec::new() };
            let (password, confirmation) = r.form.new.secrets();
            let request = Request::Reset {
                endpoint,
                token: token.into(),
                password,
                confirmation,
                then: OnNotice::Reset,
            };
            vec![app.request(Lives::Screen(ScreenTag::Reset), request)]
        }
    }
}

/// The answer to step 1.
pub(crate) fn on_forgot(app: &mut App, email: String, result: Result<Notice, ApiError>) -> Vec<Effect> {
    let retry = retry_hint(app);
    let Some(r) = wizard(app) else { return Vec::new() };
    match result {
        Ok(n) => {
            let notice = if n.notice.trim().is_empty() {
                "If this address has an account, an email with a reset token is on its way.".to_string()
            } else {
                n.notice
            };
            r.sent = Some(Sent { email, notice, at: Instant::now() });
            r.errors.clear();
            start_countdown(r).into_iter().collect()
        }
        Err(e) => {
            on_error(r, e, &retry);
            Vec::new()
        }
    }
}

/// The answer to step 2.
pub(crate) fn on_reset(app: &mut App, result: Result<Notice, ApiError>) -> Vec<Effect> {
    let retry = retry_hint(app);
    let Some(r) = wizard(app) else { return Vec::new() };
    let notice = match result {
        Ok(n) => n.notice,
        Err(e) => {
            on_error(r, e, &retry);
            return Vec::new();
        }
    };
    let email = Some(r.email.value().trim().to_string()).filter(|e| !e.is_empty());
    if let Some(email) = &email {
        app.demo_login_changed(email, "password changed in this run: use yours");
    }
    let notice = if notice.trim().is_empty() { "Your password has been reset.".to_string() } else { notice };
    app.go(Nav::PopWith(Fill::PasswordReset { email, notice }))
}

/// A token from the mailbox, handed down as the mailbox closes.
pub(crate) fn on_fill(app: &mut App, fill: Fill) -> Vec<Effect> {
    if let (Fill::Token(t), Some(r)) = (fill, wizard(app)) {
        if r.email.is_empty() {
            r.email.set(&t.to);
        }
        r.fill_token(&t.value, t.note);
    }
    Vec::new()
}

/// Puts a refusal where it belongs: the server's field messages on their fields, anything else
/// above the button (with the retry key when trying again can help).
fn on_error(r: &mut ResetState, e: ApiError, retry: &str) {
    let fields = e.field_errors();
    let mut rest = Vec::new();
    for (name, messages) in fields {
        let (focus, subject) = match (name.as_str(), server_field(&name)) {
            ("email", _) => (Focus::Email, "The email"),
            (_, Some((part, subject))) => (Focus::of(part), subject),
            _ => {
                rest.extend(
                    messages.iter().map(|m| format!("{} {m}", crate::api::error::field_label(&name))),
                );
                continue;
            }
        };
        let on_this_step = (focus == Focus::Email) == (r.step == Step::Email);
        let sentences = messages.iter().map(|m| format!("{subject} {m}"));
        if on_this_step {
            r.errors.entry(focus).or_default().extend(sentences);
        } else {
            rest.extend(sentences);
        }
    }
    if r.errors.contains_key(&Focus::Token) {
        // The server has the last word on the token: its countdown no longer means anything,
        // and step 1 now sends a new email rather than moving on.
        r.sent = None;
        r.minutes_left = 0;
    }
    if let Some(first) = r.focus_order().iter().find(|f| r.errors.contains_key(f)) {
        r.focus = *first;
    }
    let has_field_errors = !r.errors.is_empty();
    if has_field_errors && rest.is_empty() {
        return;
    }
    r.error = Some(form_error(&e, &rest, retry));
}

/// Starts (or restarts, on coming back to the wizard) the once-a-minute countdown; a chain
/// started before stops at its next tick, as its epoch is no longer current.
pub(crate) fn start_countdown(r: &mut ResetState) -> Option<Effect> {
    let sent = r.sent.as_ref()?.at;
    let now = Instant::now();
    r.tick_epoch += 1;
    r.minutes_left = minutes_left(sent, now);
    (r.minutes_left > 0).then(|| Effect::Timer {
        after: until_next_minute(sent, now),
        msg: Box::new(Msg::ResetTick { sent, epoch: r.tick_epoch }),
    })
}

/// A countdown tick: redraws the minutes left, and asks for the next tick only while the
/// wizard shows and the token has time left.
pub(crate) fn on_tick(app: &mut App, sent: Instant, epoch: u64) -> Vec<Effect> {
    let Some(r) = wizard(app) else { return Vec::new() };
    if r.tick_epoch != epoch || r.sent.as_ref().map(|s| s.at) != Some(sent) {
        return Vec::new();
    }
    let now = Instant::now();
    r.minutes_left = minutes_left(sent, now);
    if r.minutes_left == 0 {
        return Vec::new();
    }
    vec![Effect::Timer { after: until_next_minute(sent, now), msg: Box::new(Msg::ResetTick { sent, epoch }) }]
}
