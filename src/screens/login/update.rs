//! The log-in screen's keys and answers: the form, the region picker, the 2FA step.
//!
//! A log-in goes out only when the user submits (or asks to retry): never by itself, since every
//! attempt counts towards the account lockout.

use crossterm::event::KeyEvent;
use secrecy::SecretString;

use crate::api::{ApiError, Credential, LoginSuccess, Notice};
use crate::app::effect::Effect;
use crate::app::field::FormError;
use crate::app::field::TextField;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::nav::{Fill, Nav, Route};
use crate::app::request::{Kind, Lives, OnLogin, OnUser, Pending, Request, ScreenTag};
use crate::app::session::error_title;
use crate::app::session::retry_hint;
use crate::app::state::{App, Authed, Screen, ToastLevel};
use crate::screens::login::Attempt;
use crate::screens::login::Focus;
use crate::screens::login::LoginState;
use crate::screens::login::Method;
use crate::screens::login::RegionPicker;
use crate::screens::login::TfaStep;

/// Shortest and longest 2FA code accepted (authenticator apps use 6 digits; Authy can send 7 or 8).
pub(crate) const CODE_MIN: usize = 6;
const CODE_MAX: usize = 8;

pub(crate) fn form_error(title: &str, message: String, retry: bool) -> FormError {
    FormError { title: title.to_string(), message, retry }
}

/// Whether a log-in-screen request is running (a second submit is then ignored).
pub fn busy(app: &App) -> bool {
    app.has_pending(Pending::on_login_screen)
}

pub(crate) fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let l = app.login_mut()?;
    if l.picker.is_some() {
        return crate::screens::login::region::on_key(app, ev, key);
    }
    if l.tfa.is_some() {
        return crate::screens::login::tfa::on_key(app, ev, key);
    }
    on_form_key(app, ev, key)
}

pub(crate) fn on_paste(app: &mut App, text: &str) {
    if busy(app) {
        // Like typing, a paste waits: the values being sent stay as shown.
        return;
    }
    let Some(l) = app.login_mut() else { return };
    if let Some(custom) = l.picker.as_mut().and_then(|p| p.custom.as_mut()) {
        custom.paste(text);
    } else if l.picker.is_none()
        && let Some(field) = l.focused_field()
    {
        field.paste(text);
    }
}

/// Whether a request the user may stop with Esc runs for the log-in screen: the log-in itself,
/// the code step, an SMS, a pasted token's check, the saved session's check at start. (Once the
/// log-in is accepted, loading the profile finishes by itself.)
fn cancellable(p: &Pending) -> bool {
    matches!(p.kind, Kind::Login | Kind::Code | Kind::Sms | Kind::CheckToken | Kind::Resume | Kind::ResumeEnv)
}

/// Whether Esc would stop what the log-in screen is waiting for (the footer offers it then).
pub fn can_cancel(app: &App) -> bool {
    app.has_pending(cancellable)
}

/// Esc while logging in: the request is dropped (its answer will be ignored) and the form
/// stays as it was, email and password included, for another try.
fn cancel(app: &mut App) -> Vec<Effect> {
    let effects = app.cancel_where(cancellable);
    if let Some(l) = app.login_mut() {
        let again = if l.tfa.is_some() { "Enter sends the code again." } else { "Enter tries again." };
        l.error = Some(form_error("Cancelled", format!("Stopped waiting for the server. {again}"), false));
    }
    effects
}

/// Keys while the log-in screen waits for the server: Esc cancels, keys that do not touch the
/// form (help) still work, and everything else waits, so the values being sent stay as shown.
pub(crate) fn while_busy(app: &mut App, action: Option<Action>, key: Key) -> Option<Vec<Effect>> {
    if matches!(action, Some(Action::Dismiss | Action::Back)) && can_cancel(app) {
        return Some(cancel(app));
    }
    let global = app.keymap.action(Context::Global, key).is_some() && !key.is_text();
    if global { None } else { Some(Vec::new()) }
}

fn on_form_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let action = app.keymap.action(Context::Login, key);
    if busy(app) {
        return while_busy(app, action, key);
    }
    let Screen::Login(l) = &mut app.screen else { return None };
    if key.is_text() {
        // A form types every printable key; none is a command. Space works the checkbox or
        // the buttons, as in any form; anything else typed on them goes to the field it was
        // meant for (a password typed one Tab too far is still the password).
        if !l.focus.is_text() {
            match l.focus {
                _ if key != Key::ch(' ') => l.focus = l.typing_target(),
                Focus::Remember => l.remember = !l.remember,
                Focus::Region => l.picker = Some(RegionPicker::new(&app.endpoint)),
                _ => return Some(submit(app)),
            }
            if !l.focus.is_text() {
                return Some(Vec::new());
            }
        }
        if let Some(f) = l.focused_field() {
            f.handle_key(ev);
        }
        return Some(Vec::new());
    }
    let Some(action) = action else {
        if l.focus.is_text() && l.focused_field().is_some_and(|f| f.handle_key(ev)) {
            return Some(Vec::new());
        }
        return None;
    };
    match action {
        Action::NextField => l.move_focus(1, app.can_remember),
        Action::PrevField => l.move_focus(-1, app.can_remember),
        // Enter logs in wherever the focus is; on the email, with no password yet, it first
        // goes to the password.
        Action::Submit if l.focus == Focus::Email && l.password.is_empty() => l.focus = Focus::Password,
        Action::Submit => return Some(submit(app)),
        Action::ChooseRegion => l.picker = Some(RegionPicker::new(&app.endpoint)),
        Action::ToggleSecret => l.reveal = !l.reveal,
        Action::SwitchMethod => l.switch_method(),
        Action::Retry => return Some(retry(app)),
        Action::FillDemo if app.demo.is_some() => fill_demo(app),
        Action::Dismiss if l.error.is_some() => l.error = None,
        // Opened over the account switcher to add an account: Esc goes back to it.
        Action::Dismiss if !app.below.is_empty() => return Some(app.go(Nav::Pop)),
        Action::OpenAccounts => return Some(app.go(Nav::Push(Route::Accounts))),
        Action::ForgotPassword => {
            let email = Some(l.email.value().to_string());
            return Some(app.go(Nav::Push(Route::Reset { email })));
        }
        Action::ActivateAccount => return Some(app.go(Nav::Push(Route::Activate))),
        Action::BrowserSignIn => {
            if let Err(why) = &app.oauth {
                let why = format!("Browser sign-in is not set up right: {why}");
                return Some(vec![app.toast(ToastLevel::Error, why)]);
            }
            let remember = l.remember && app.can_remember;
            return Some(app.go(Nav::Push(Route::SignIn { remember })));
        }
        Action::OpenMailbox => return app.open_mailbox(),
        _ => return None,
    }
    Some(Vec::new())
}

/// An answer to what the form sent has come: the secret it kept showing while the request ran
/// leaves the field (the request, a 2FA step or a retry holds its own copy).
pub(crate) fn on_answer(app: &mut App, kind: Kind) {
    let Some(l) = app.login_mut() else { return };
    match kind {
        Kind::Login => l.password.clear(),
        Kind::CheckToken => l.token.clear(),
        _ => {}
    }
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
    l: &mut crate::screens::login::LoginState,
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
            // The field keeps the password while the request runs (it shows as typed, and Esc
            // gives the form back as it was); the answer empties it.
            let password = SecretString::from(l.password.value());
            l.error = None;
            start_login(app, email, password, None, remember)
        }
        Method::Token => {
            if l.token.is_empty() {
                let m = "Paste an authtoken (the `authtoken` of an existing session).".into();
                return missing(l, Focus::Token, "Authtoken missing", m);
            }
            let token = SecretString::from(l.token.value());
            l.error = None;
            check_token(app, token, remember)
        }
    }
}

pub(crate) fn start_login(
    app: &mut App,
    email: String,
    password: SecretString,
    tfa_token: Option<String>,
    remember: bool,
) -> Vec<Effect> {
    let endpoint = app.endpoint.clone();
    let then =
        OnLogin { email: email.clone(), password: password.clone(), tfa: tfa_token.is_some(), remember };
    let request = Request::Login { endpoint, email, password, tfa_token, then };
    vec![app.request(Lives::Screen(ScreenTag::Login), request)]
}

fn check_token(app: &mut App, token: SecretString, remember: bool) -> Vec<Effect> {
    let endpoint = app.endpoint.clone();
    let then = OnUser::CheckToken { token: token.clone(), remember };
    vec![
        app.request(Lives::Screen(ScreenTag::Login), Request::GetUser { endpoint, cred: token.into(), then }),
    ]
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
        Attempt::Resume { email, cred, source } => crate::app::update::open_session(app, email, cred, source),
    }
}

/// The answer to a log-in (first step or code step).
pub(crate) fn on_login_result(
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
            let forget = Effect::DeleteSession { endpoint: endpoint.clone(), email: email.clone() };
            let cred = Credential::Authtoken(authtoken);
            let auth = Authed { email, cred: cred.clone(), endpoint: endpoint.clone(), remember };
            // The log-in screen shows until the profile is loaded.
            let then = OnUser::LoadProfile { auth, login_user: Box::new(user) };
            let request = Request::GetUser { endpoint, cred, then };
            let mut effects = vec![app.request(Lives::Screen(ScreenTag::Login), request)];
            // Logging in without "remember me" also forgets this account's session remembered
            // before (other stored sessions stay).
            if !remember && app.can_remember {
                effects.push(forget);
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
pub(crate) fn on_sms_result(app: &mut App, result: Result<Notice, ApiError>) -> Vec<Effect> {
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
pub(crate) fn start_demo_clock(app: &mut App) -> Vec<Effect> {
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
pub(crate) fn on_demo_code(app: &mut App, code: String) -> Vec<Effect> {
    let on_login = matches!(app.screen, Screen::Login(_));
    let Some(d) = &mut app.demo else { return Vec::new() };
    d.code = Some(code);
    d.ticking = on_login;
    if on_login { vec![Effect::DemoCode { wait: true }] } else { Vec::new() }
}

/// What a closed screen hands down: an SMS code from the mailbox for the two-factor step, or
/// the outcome of a password reset or an activation, after which the form is ready to log in
/// with the new password.
pub(crate) fn on_fill(app: &mut App, fill: Fill) -> Vec<Effect> {
    let Screen::Login(l) = &mut app.screen else { return Vec::new() };
    let text = match fill {
        Fill::Token(t) => {
            if let Some(tfa) = &mut l.tfa {
                tfa.code.clear();
                tfa.code.paste(&t.value);
            }
            l.error = None;
            return Vec::new();
        }
        Fill::PasswordReset { email, notice } => {
            if let Some(email) = &email {
                l.email.set(email);
            }
            ready_for_password(l);
            l.focus = if l.email.is_empty() { Focus::Email } else { Focus::Password };
            format!("{notice} Log in with the new password.")
        }
        Fill::Activated { email: Some(email), notice } => {
            ready_for_password(l);
            l.email.set(&email);
            l.focus = Focus::Password;
            format!("{notice} Log in as {email} with the password you chose.")
        }
        Fill::Activated { email: None, notice } => {
            ready_for_password(l);
            l.email.clear();
            l.focus = Focus::Email;
            format!("{notice} Log in with the email the invitation was sent to.")
        }
    };
    vec![app.toast(ToastLevel::Success, text)]
}

/// The password method, with the old password and error gone.
fn ready_for_password(l: &mut LoginState) {
    if l.method != Method::Password {
        l.switch_method();
    }
    l.password.clear();
    l.error = None;
}
