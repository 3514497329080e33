//! The log-in screen's keys and answers: the form, the region picker, the 2FA step.
//!
//! A log-in goes out only when the user submits (or asks to retry): never by itself, since every
//! attempt counts towards the account lockout.

use crossterm::event::KeyEvent;
use secrecy::SecretString;

use super::super::effect::Effect;
use super::super::field::TextField;
use super::super::keymap::{Action, Context};
use super::super::keys::Key;
use super::super::login::{Attempt, CUSTOM_ROW, Focus, FormError, Method, RegionPicker, TfaStep};
use super::super::state::{App, Authed, Confirm, RequestKind, Screen, ToastLevel};
use super::session::{error_title, retry_hint};
use crate::api::{ApiError, Endpoint, LoginSuccess, Notice, Region};

/// Shortest and longest 2FA code accepted (authenticator apps use 6 digits; Authy can send 7 or 8).
const CODE_MIN: usize = 6;
const CODE_MAX: usize = 8;

pub(super) fn form_error(title: &str, message: String, retry: bool) -> FormError {
    FormError { title: title.to_string(), message, retry }
}

/// Whether a log-in-screen request is running (a second submit is then ignored).
fn busy(app: &App) -> bool {
    app.has_pending(RequestKind::on_login_screen)
}

pub(super) fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let l = app.login_mut()?;
    if l.picker.is_some() {
        return on_picker_key(app, ev, key);
    }
    if l.tfa.is_some() {
        return on_tfa_key(app, ev, key);
    }
    on_form_key(app, ev, key)
}

pub(super) fn on_paste(app: &mut App, text: &str) {
    let Some(l) = app.login_mut() else { return };
    if let Some(custom) = l.picker.as_mut().and_then(|p| p.custom.as_mut()) {
        custom.paste(text);
    } else if l.picker.is_none()
        && let Some(field) = l.focused_field()
    {
        field.paste(text);
    }
}

fn on_form_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let action = app.keymap.action(Context::Login, key);
    let Screen::Login(l) = &mut app.screen else { return None };
    let text_focus = l.focus.is_text();
    if text_focus && key.is_text() {
        if let Some(f) = l.focused_field() {
            f.handle_key(ev);
        }
        return Some(Vec::new());
    }
    let Some(action) = action else {
        if text_focus && l.focused_field().is_some_and(|f| f.handle_key(ev)) {
            return Some(Vec::new());
        }
        // Space works the focused checkbox or button, as in any form.
        if key != Key::ch(' ') {
            return None;
        }
        match l.focus {
            Focus::Remember => l.remember = !l.remember,
            Focus::Region => l.picker = Some(RegionPicker::new(&app.endpoint)),
            Focus::Submit => return Some(submit(app)),
            _ => return None,
        }
        return Some(Vec::new());
    };
    match action {
        Action::NextField => l.move_focus(1, app.can_remember),
        Action::PrevField => l.move_focus(-1, app.can_remember),
        Action::Submit => match l.focus {
            Focus::Region => l.picker = Some(RegionPicker::new(&app.endpoint)),
            Focus::Remember => l.remember = !l.remember,
            Focus::Email if l.password.is_empty() => l.focus = Focus::Password,
            _ => return Some(submit(app)),
        },
        Action::ChooseRegion => l.picker = Some(RegionPicker::new(&app.endpoint)),
        Action::ToggleSecret => l.reveal = !l.reveal,
        Action::SwitchMethod => l.switch_method(),
        Action::Retry => return Some(retry(app)),
        Action::FillDemo if app.demo.is_some() => fill_demo(app),
        Action::Dismiss if l.error.is_some() => l.error = None,
        Action::ForgotPassword => {
            let email = Some(l.email.value().to_string());
            return Some(super::reset::open(app, email));
        }
        Action::ActivateAccount => return Some(super::activate::open(app)),
        Action::OpenMailbox => return super::mailbox::open(app),
        _ => return None,
    }
    Some(Vec::new())
}

/// Puts the next demo login into the form, ready to submit.
fn fill_demo(app: &mut App) {
    let (Some(demo), Screen::Login(l)) = (&app.demo, &mut app.screen) else { return };
    // Accounts without a password yet (not activated) cannot log in: skip them.
    let usable: Vec<_> = demo.logins.iter().filter(|e| !e.password.is_empty()).collect();
    if usable.is_empty() {
        return;
    }
    let entry = usable[l.demo_next % usable.len()];
    l.demo_next += 1;
    if l.method != Method::Password {
        l.switch_method();
    }
    l.email.set(&entry.email);
    l.password.set(&entry.password);
    l.focus = Focus::Submit;
    l.error = None;
}

fn missing(
    l: &mut super::super::login::LoginState,
    focus: Focus,
    title: &str,
    message: String,
) -> Vec<Effect> {
    l.focus = focus;
    l.error = Some(form_error(title, message, false));
    Vec::new()
}

fn submit(app: &mut App) -> Vec<Effect> {
    if busy(app) {
        return Vec::new();
    }
    if ask_before_replacing(app) {
        return Vec::new();
    }
    let switch_key = app.keymap.hint(Context::Login, Action::SwitchMethod).unwrap_or_default();
    let can_remember = app.can_remember;
    let Screen::Login(l) = &mut app.screen else { return Vec::new() };
    l.last_attempt = None;
    let remember = l.remember && can_remember;
    match l.method {
        Method::Password => {
            let email = l.email.value().trim().to_string();
            if email.is_empty() {
                let m = "Enter the email address of your Contentstack account.".into();
                return missing(l, Focus::Email, "Email missing", m);
            }
            if !email.contains('@') {
                let m = format!("'{email}' does not look like an email address.");
                return missing(l, Focus::Email, "Check the email", m);
            }
            if l.password.is_empty() {
                let m = format!("Enter your password (or press {switch_key} to use an authtoken).");
                return missing(l, Focus::Password, "Password missing", m);
            }
            let password = l.password.take_secret();
            l.error = None;
            start_login(app, email, password, None, remember)
        }
        Method::Token => {
            if l.token.is_empty() {
                let m = "Paste an authtoken (the `authtoken` of an existing session).".into();
                return missing(l, Focus::Token, "Authtoken missing", m);
            }
            let token = l.token.take_secret();
            l.error = None;
            check_token(app, token, remember)
        }
    }
}

/// Opens the question about the saved session when this log-in (a complete form) would replace
/// the saved session of someone else or of another endpoint, and the user has not answered it
/// yet. Nothing is sent until they do. A pasted token's account is unknown until it is checked,
/// so it counts as someone else.
fn ask_before_replacing(app: &mut App) -> bool {
    let (Some(saved), Screen::Login(l)) = (app.saved.as_ref(), &app.screen) else { return false };
    if saved.keep || l.tfa.is_some() {
        return false;
    }
    let email = l.email.value().trim();
    let (complete, someone_else) = match l.method {
        Method::Password => {
            (email.contains('@') && !l.password.is_empty(), !saved.email.eq_ignore_ascii_case(email))
        }
        Method::Token => (!l.token.is_empty(), true),
    };
    let ask = complete && (someone_else || saved.endpoint != app.endpoint);
    if ask {
        app.confirm = Some(Confirm::ReplaceSession);
    }
    ask
}

/// The answer to the question about the saved session, then the log-in itself: `log_out` ends the
/// saved session on its own server (with its own token) and forgets it here; otherwise it is
/// kept valid there, and replaced here only if the new session is remembered.
pub(super) fn replace_saved(app: &mut App, log_out: bool) -> Vec<Effect> {
    let mut effects = Vec::new();
    if log_out {
        if let Some(saved) = app.saved.take() {
            let id = app.start_request(RequestKind::LogoutSaved { who: saved.who() });
            effects.push(Effect::Logout { id, endpoint: saved.endpoint, token: saved.token });
            effects.push(Effect::DeleteSession);
        }
    } else if let Some(saved) = &mut app.saved {
        saved.keep = true;
    }
    effects.extend(submit(app));
    effects
}

fn start_login(
    app: &mut App,
    email: String,
    password: SecretString,
    tfa_token: Option<String>,
    remember: bool,
) -> Vec<Effect> {
    let endpoint = app.endpoint.clone();
    let kind = RequestKind::Login {
        email: email.clone(),
        password: password.clone(),
        tfa: tfa_token.is_some(),
        remember,
    };
    let id = app.start_request(kind);
    vec![Effect::Login { id, endpoint, email, password, tfa_token }]
}

fn check_token(app: &mut App, token: SecretString, remember: bool) -> Vec<Effect> {
    let endpoint = app.endpoint.clone();
    let id = app.start_request(RequestKind::CheckToken { token: token.clone(), remember });
    vec![Effect::GetUser { id, endpoint, token }]
}

/// Repeats the last attempt, only when its error offered that.
fn retry(app: &mut App) -> Vec<Effect> {
    if busy(app) {
        return Vec::new();
    }
    let can_remember = app.can_remember;
    let Screen::Login(l) = &mut app.screen else { return Vec::new() };
    if !l.error.as_ref().is_some_and(|e| e.retry) {
        return Vec::new();
    }
    let Some(attempt) = l.last_attempt.take() else { return Vec::new() };
    l.error = None;
    let remember = l.remember && can_remember;
    match attempt {
        Attempt::Password { email, password } => start_login(app, email, password, None, remember),
        Attempt::Token(token) => check_token(app, token, remember),
        Attempt::Resume { email, token, source } => super::open_session(app, email, token, source),
    }
}

fn on_tfa_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let action = app.keymap.action(Context::Tfa, key);
    let Screen::Login(l) = &mut app.screen else { return None };
    let tfa = l.tfa.as_mut()?;
    if key.is_text() {
        tfa.code.handle_key(ev);
        return Some(Vec::new());
    }
    match action {
        Some(Action::Submit) => Some(submit_code(app)),
        Some(Action::RequestSms) => Some(request_sms(app)),
        Some(Action::OpenMailbox) => super::mailbox::open(app),
        Some(Action::Back) => {
            l.tfa = None;
            l.focus = Focus::Password;
            l.error = None;
            Some(Vec::new())
        }
        _ => tfa.code.handle_key(ev).then(Vec::new),
    }
}

fn submit_code(app: &mut App) -> Vec<Effect> {
    if busy(app) {
        return Vec::new();
    }
    let can_remember = app.can_remember;
    let Screen::Login(l) = &mut app.screen else { return Vec::new() };
    let Some(tfa) = &l.tfa else { return Vec::new() };
    let code = tfa.code.value().to_string();
    if code.len() < CODE_MIN {
        l.error = Some(form_error(
            "Code incomplete",
            "Enter the 6-digit code from your authenticator app or the SMS.".into(),
            false,
        ));
        return Vec::new();
    }
    l.error = None;
    let (email, password, remember) = (tfa.email.clone(), tfa.password.clone(), l.remember && can_remember);
    start_login(app, email, password, Some(code), remember)
}

fn request_sms(app: &mut App) -> Vec<Effect> {
    if busy(app) {
        return Vec::new();
    }
    let endpoint = app.endpoint.clone();
    let Screen::Login(l) = &mut app.screen else { return Vec::new() };
    let Some(tfa) = &l.tfa else { return Vec::new() };
    l.error = None;
    let (email, password) = (tfa.email.clone(), tfa.password.clone());
    let id = app.start_request(RequestKind::Sms);
    vec![Effect::RequestSms { id, endpoint, email, password }]
}

fn on_picker_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let action = app.keymap.lookup(&[Context::Region, Context::Nav], key);
    let Screen::Login(l) = &mut app.screen else { return None };
    let picker = l.picker.as_mut()?;
    if let Some(field) = &mut picker.custom {
        match (key.is_text(), action) {
            (false, Some(Action::Select)) => match Endpoint::custom(field.value()) {
                Ok(endpoint) => {
                    app.endpoint = endpoint;
                    l.picker = None;
                    l.error = None;
                    l.last_attempt = None;
                }
                Err(sentence) => picker.error = Some(sentence),
            },
            (false, Some(Action::Close)) => {
                picker.custom = None;
                picker.error = None;
            }
            _ => {
                if field.handle_key(ev) {
                    picker.error = None;
                }
            }
        }
        return Some(Vec::new());
    }
    let rows = RegionPicker::rows();
    match action? {
        Action::Up => picker.selected = (picker.selected + rows - 1) % rows,
        Action::Down => picker.selected = (picker.selected + 1) % rows,
        Action::Top | Action::PageUp => picker.selected = 0,
        Action::Bottom | Action::PageDown => picker.selected = rows - 1,
        Action::Select if picker.selected < CUSTOM_ROW => {
            app.endpoint = Endpoint::Region(Region::ALL[picker.selected]);
            l.picker = None;
            l.error = None;
            l.last_attempt = None;
        }
        Action::Select => {
            let mut field = TextField::plain();
            if let Endpoint::Custom(_) = &app.endpoint {
                field.set(&app.endpoint.origin());
            }
            picker.custom = Some(field);
        }
        Action::Close => l.picker = None,
        _ => return None,
    }
    Some(Vec::new())
}

/// The answer to a log-in (first step or code step).
pub(super) fn on_login_result(
    app: &mut App,
    email: String,
    password: SecretString,
    tfa: bool,
    remember: bool,
    result: Result<LoginSuccess, ApiError>,
) -> Vec<Effect> {
    let retry_key = retry_hint(app);
    let submit_key = app.keymap.hint(Context::Tfa, Action::Submit).unwrap_or_default();
    let switch_key = app.keymap.hint(Context::Login, Action::SwitchMethod).unwrap_or_default();
    let endpoint = app.endpoint.clone();
    let Screen::Login(l) = &mut app.screen else { return Vec::new() };
    let e = match result {
        Ok(LoginSuccess { user, authtoken, .. }) => {
            l.tfa = None;
            l.error = None;
            l.last_attempt = None;
            let email = if user.email.is_empty() { email } else { user.email.clone() };
            let auth = Authed { email, token: authtoken.clone(), endpoint: endpoint.clone(), remember };
            let id = app.start_request(RequestKind::LoadProfile { auth, login_user: Box::new(user) });
            let mut effects = vec![Effect::GetUser { id, endpoint, token: authtoken }];
            // Logging in without "remember me" also forgets a session remembered before (the
            // question about a saved session of someone else was asked before sending).
            if !remember && app.can_remember {
                app.saved = None;
                effects.push(Effect::DeleteSession);
            }
            return effects;
        }
        Err(e) => e,
    };
    let title = error_title(&e);
    match e {
        ApiError::TfaRequired { message, tfa_type } => match &mut l.tfa {
            Some(_) => l.error = Some(form_error(title, e_message(&message), false)),
            None => {
                l.error = None;
                l.tfa = Some(TfaStep {
                    email,
                    password,
                    code: TextField::digits(CODE_MAX),
                    server_message: message,
                    tfa_type,
                    sms_sent: false,
                });
            }
        },
        ApiError::InvalidTfaCode { .. } if tfa => {
            if let Some(t) = &mut l.tfa {
                t.code.clear();
            }
            l.error = Some(form_error(title, e.user_message(), false));
        }
        e if e.is_transient() && tfa => {
            let message = format!("{} Press {submit_key} to send the code again.", e.user_message());
            l.error = Some(form_error(title, message, true));
        }
        e if e.is_transient() => {
            l.last_attempt = Some(Attempt::Password { email, password });
            l.error = Some(form_error(title, format!("{}{retry_key}", e.user_message()), true));
        }
        ApiError::NoToken { .. } => {
            l.tfa = None;
            l.focus = Focus::Password;
            let message = format!("{} Press {switch_key} to log in with an authtoken.", e.user_message());
            l.error = Some(form_error(title, message, false));
        }
        e => {
            // Wrong password, locked account, or a refusal: back to the form, password empty.
            l.tfa = None;
            l.focus = Focus::Password;
            l.error = Some(form_error(title, e.user_message(), false));
        }
    }
    Vec::new()
}

fn e_message(server: &str) -> String {
    if server.is_empty() { "Enter the code to log in.".into() } else { server.to_string() }
}

/// The answer to "send the code by SMS".
pub(super) fn on_sms_result(app: &mut App, result: Result<Notice, ApiError>) -> Vec<Effect> {
    let Screen::Login(l) = &mut app.screen else { return Vec::new() };
    match result {
        Ok(notice) => {
            if let Some(t) = &mut l.tfa {
                t.sms_sent = true;
            }
            let text = if notice.notice.is_empty() {
                "A code was sent to your mobile.".into()
            } else {
                notice.notice
            };
            vec![app.toast(ToastLevel::Info, text)]
        }
        Err(e) => {
            l.error = Some(form_error(error_title(&e), e.user_message(), false));
            Vec::new()
        }
    }
}

/// Starts the demo code clock if the log-in screen shows in demo mode and it is not running.
pub(super) fn start_demo_clock(app: &mut App) -> Vec<Effect> {
    match &mut app.demo {
        Some(d) if !d.ticking => {
            d.ticking = true;
            vec![Effect::DemoCode { wait: false }]
        }
        _ => Vec::new(),
    }
}

/// A fresh demo code: shown, and the next one asked for while the log-in screen shows. On the
/// profile screen the clock stops, so nothing redraws for it.
pub(super) fn on_demo_code(app: &mut App, code: String) -> Vec<Effect> {
    let on_login = matches!(app.screen, Screen::Login(_));
    let Some(d) = &mut app.demo else { return Vec::new() };
    d.code = Some(code);
    d.ticking = on_login;
    if on_login { vec![Effect::DemoCode { wait: true }] } else { Vec::new() }
}
