//! Sessions: opening one (log-in, pasted token, stored or environment token), loading the
//! profile, a 401 in the middle, and logging out. Every API answer arrives here first.

use std::sync::Arc;

use crate::api::Credential;
use crate::api::profile_store::RuleStore;
use crate::api::{ApiError, LoginSuccess, Notice, Profile};
use crate::app::effect::Effect;
use crate::app::field::FormError;
use crate::app::msg::RequestId;
use crate::app::nav::{Nav, Route};
use crate::app::request::{Kind, Lives, OnLogin, OnLogout, OnUser, Pending, Request, ScreenTag};
use crate::app::state::{AfterCheck, App, Authed, Resume, Screen, Session, ToastLevel, View};
use crate::screens::login::Attempt;
use crate::screens::login::LoginState;
use crate::screens::login::SessionSource;
use crate::screens::login::update::form_error;
use crate::screens::login::update::on_login_result;
use crate::screens::profile::ProfileState;
use crate::store::{Obtained, StoredSession};

/// Starts checking a session found at start (`CONTENTSTACK_AUTHTOKEN` or the session file).
/// The log-in screen shows, busy, until the server answers.
pub fn open_session(app: &mut App, email: String, cred: Credential, source: SessionSource) -> Vec<Effect> {
    if let Some(l) = app.login_mut()
        && !email.is_empty()
    {
        l.email.set(&email);
        l.focus = crate::screens::login::Focus::Password;
    }
    let endpoint = app.endpoint.clone();
    let auth = Authed { email, cred: cred.clone(), endpoint: endpoint.clone(), remember: false };
    let then = OnUser::Resume { auth, source };
    vec![app.request(Lives::Screen(ScreenTag::Login), Request::GetUser { endpoint, cred, then })]
}

/// Problems found before the app started (bad key bindings, an unreadable session file), as
/// toasts. Several become one, so they do not push each other off screen.
pub fn startup_notices(app: &mut App, problems: &[String]) -> Vec<Effect> {
    match problems {
        [] => Vec::new(),
        [one] => vec![app.global_toast(ToastLevel::Warning, one.clone())],
        many => vec![app.global_toast(
            ToastLevel::Warning,
            format!("{} settings were ignored: {}", many.len(), many.join(" · ")),
        )],
    }
}

/// The answer to a log-in (first step or code step).
pub(crate) fn on_login(app: &mut App, then: OnLogin, result: Result<LoginSuccess, ApiError>) -> Vec<Effect> {
    let OnLogin { email, password, tfa, remember } = then;
    on_login_result(app, email, password, tfa, remember, result)
}

/// The answer to a `GET /user`.
pub(crate) fn on_user(
    app: &mut App,
    id: RequestId,
    then: OnUser,
    result: Result<Profile, ApiError>,
) -> Vec<Effect> {
    match then {
        OnUser::CheckToken { token, remember } => match result {
            Ok(profile) => {
                let endpoint = app.endpoint.clone();
                let auth =
                    Authed { email: profile.user.email.clone(), cred: token.into(), endpoint, remember };
                let forget = Effect::DeleteSession {
                    endpoint: auth.endpoint.clone(),
                    email: profile.user.email.clone(),
                };
                let mut effects = enter_profile(app, auth, profile);
                for effect in &mut effects {
                    if let Effect::SaveSession(_, how) = effect {
                        *how = Obtained::Token;
                    }
                }
                if !remember && app.can_remember {
                    // Not remembered: an earlier stored session of this account goes too.
                    effects.push(forget);
                }
                effects
            }
            Err(e) => {
                let retry = e.is_transient();
                if retry {
                    set_attempt(app, Attempt::Token(token));
                }
                let title = if e.is_unauthorized() { "Authtoken refused" } else { error_title(&e) };
                set_error(app, title, token_message(&e), retry);
                Vec::new()
            }
        },
        OnUser::Resume { auth, source } => match result {
            Ok(profile) => enter_profile(app, auth, profile),
            Err(e) if e.is_unauthorized() => {
                let (title, message) = match source {
                    SessionSource::Stored => (
                        "Saved session expired",
                        "The saved session is no longer valid (it expired or was logged out elsewhere). Log in again.",
                    ),
                    SessionSource::Env => (
                        "CONTENTSTACK_AUTHTOKEN refused",
                        "The server did not accept the token in CONTENTSTACK_AUTHTOKEN. Log in here, or set a valid token.",
                    ),
                };
                set_error(app, title, message.to_string(), false);
                if source == SessionSource::Stored {
                    vec![Effect::DeleteSession { endpoint: auth.endpoint, email: auth.email }]
                } else {
                    Vec::new()
                }
            }
            Err(e) => {
                let retry = e.is_transient();
                let what = match source {
                    SessionSource::Stored => "The saved session",
                    SessionSource::Env => "The token in CONTENTSTACK_AUTHTOKEN",
                };
                let message = format!(
                    "{what} could not be checked. {}{}",
                    e.user_message(),
                    if retry { retry_hint(app) } else { String::new() }
                );
                set_error(app, error_title(&e), message, retry);
                if retry {
                    set_attempt(app, Attempt::Resume { email: auth.email, cred: auth.cred, source });
                }
                Vec::new()
            }
        },
        OnUser::LoadProfile { auth, login_user } => match result {
            Ok(profile) => enter_profile(app, auth, profile),
            Err(e) if e.is_unauthorized() => {
                set_error(app, "Session refused", e.user_message(), false);
                Vec::new()
            }
            Err(e) => {
                // Logged in, but the full profile did not come: show what the log-in gave.
                let mut effects =
                    enter_profile(app, auth, Profile { user: *login_user, ..Profile::default() });
                let refresh = app
                    .keymap
                    .hint(crate::app::keymap::Context::Profile, crate::app::keymap::Action::Refresh);
                effects.push(app.toast(
                    ToastLevel::Error,
                    format!(
                        "Logged in, but the full profile did not load: {}{}",
                        e.user_message(),
                        refresh.map(|k| format!(" Press {k} to try again.")).unwrap_or_default()
                    ),
                ));
                effects
            }
        },
        OnUser::Refresh => match result {
            Ok(profile) => {
                let mut effects = if crate::screens::edit::known::read_is_sure(app, id) {
                    crate::screens::edit::known::server_holds(app, profile)
                } else if crate::screens::edit::known::unsure(app) && !app.has_pending_kind(Kind::Save) {
                    // A save ended while this was out: its answer may be from before the save
                    // landed, so the server is asked again.
                    crate::screens::edit::known::check(app, AfterCheck::Show)
                } else {
                    // A save answered since: what it said is newer than this.
                    Vec::new()
                };
                effects.push(app.toast(ToastLevel::Success, "Profile refreshed."));
                effects
            }
            Err(e) if e.is_unauthorized() => session_expired(app),
            Err(e) => vec![app.toast(ToastLevel::Error, format!("Refresh failed: {}", e.user_message()))],
        },
        OnUser::Check => crate::screens::edit::known::on_check(app, id, result),
    }
}

/// The answer to a log-out.
pub(crate) fn on_logout(app: &mut App, then: OnLogout, result: Result<Notice, ApiError>) -> Vec<Effect> {
    match then {
        OnLogout::Logout => match result {
            // A 401 means the token was already dead: the outcome the user wanted.
            Ok(_) | Err(ApiError::Unauthorized { .. }) => {
                vec![app.toast_on(View::Login, ToastLevel::Success, "Logged out of Contentstack.")]
            }
            // The token still works on the server: worth knowing wherever the user is by now.
            Err(e) => vec![app.global_toast(
                ToastLevel::Warning,
                format!(
                    "Logged out on this computer, but Contentstack could not be told: {} The token stays valid until it expires.",
                    e.user_message()
                ),
            )],
        },
    }
}

/// A short heading for an error beside the form.
pub(crate) fn error_title(e: &ApiError) -> &'static str {
    match e {
        ApiError::InvalidCredentials { .. } => "Wrong email or password",
        ApiError::AccountLocked { .. } => "Account locked",
        ApiError::TfaRequired { .. } => "Code required",
        ApiError::InvalidTfaCode { .. } => "Wrong code",
        ApiError::Unauthorized { .. } => "Not authorised",
        ApiError::Validation { .. } => "Refused",
        ApiError::RateLimited { .. } => "Too many requests",
        ApiError::Server { .. } => "Server error",
        ApiError::Rejected { .. } => "Refused",
        ApiError::Redirected { .. } => "Redirected",
        ApiError::NoToken { .. } => "No session token (SSO account?)",
        ApiError::Transport { .. } => "Network problem",
        ApiError::Decode { .. } | ApiError::TooLarge { .. } => "Unexpected answer",
        ApiError::Config(_) => "API address problem",
    }
}

fn token_message(e: &ApiError) -> String {
    if e.is_unauthorized() {
        "The server did not accept this authtoken: it may have expired or been logged out. Check the region too."
            .into()
    } else {
        e.user_message()
    }
}

/// " Press ctrl-r to try again." with the key in force.
pub(crate) fn retry_hint(app: &App) -> String {
    app.keymap
        .hint(crate::app::keymap::Context::Login, crate::app::keymap::Action::Retry)
        .map(|k| format!(" Press {k} to try again."))
        .unwrap_or_default()
}

fn set_error(app: &mut App, title: &str, message: String, retry: bool) {
    if let Some(l) = app.login_mut() {
        l.error = Some(form_error(title, message, retry));
    }
}

fn set_attempt(app: &mut App, attempt: Attempt) {
    if let Some(l) = app.login_mut() {
        l.last_attempt = Some(attempt);
    }
}

/// The profile is loaded: open it (where the user was, after a 401) and remember the session
/// if asked to.
pub(crate) fn enter_profile(app: &mut App, auth: Authed, profile: Profile) -> Vec<Effect> {
    let mut effects = app.cancel_where(Pending::on_login_screen);
    // The tree owns the roles (read straight into its store); the session keeps the user.
    let Profile { user, roles } = profile;
    let roles = *roles;
    let email = if user.email.is_empty() { auth.email.clone() } else { user.email.clone() };
    let user = Arc::new(user);
    let resume =
        app.resume.take().filter(|r| r.email.eq_ignore_ascii_case(&email) && r.endpoint == auth.endpoint);
    let mut edit = None;
    let profile = match resume {
        Some(r) => {
            // The form kept through the log-in: its untouched fields take what the server holds
            // now (an earlier save of it may have landed).
            edit = r.edit.map(|mut form| {
                form.rebase(&user);
                form
            });
            let mut p = r.profile;
            p.load(&user, roles);
            if p.tab == crate::screens::profile::Tab::Raw {
                p.ensure_raw(&user, &auth.cred);
            }
            p
        }
        None => Box::new(ProfileState::new(&user, roles)),
    };
    if auth.remember && app.can_remember {
        // Added to the stored sessions (or refreshing this account's): the others stay.
        let session = StoredSession::of(email.clone(), auth.endpoint.clone(), &auth.cred);
        let how = if auth.cred.is_oauth() { Obtained::Browser } else { Obtained::Password };
        effects.push(Effect::SaveSession(session, how));
    }
    app.endpoint = auth.endpoint.clone();
    app.session = Some(Session::new(email, auth.cred, auth.endpoint, user));
    app.reset_stack(Screen::Profile(profile));
    crate::screens::profile::update::fit_to_viewport(app);
    if let Some(form) = edit {
        effects.extend(app.go(Nav::Push(Route::Edit(Box::new(form)))));
    }
    effects.extend(crate::screens::edit::update::sync_draft(app));
    effects.extend(crate::screens::edit::update::after_profile_loaded(app));
    effects.extend(crate::screens::profile::stacks::request(app));
    effects
}

/// The session's user changed (a save, or a check of what the server holds): the profile
/// takes it wherever it is on the stack, like a refresh (the tab, the tree's expansion,
/// selection and filter stay). `roles: None` keeps the roles it shows.
pub(crate) fn reload_profile(app: &mut App, roles: Option<RuleStore>) {
    let Some(session) = &app.session else { return };
    let (user, token) = (session.user.clone(), session.cred.clone());
    if let Some(p) = app.profile_anywhere_mut() {
        let roles = roles.unwrap_or_else(|| p.tree.rule_store().clone());
        p.load(&user, roles);
        if p.tab == crate::screens::profile::Tab::Raw {
            p.ensure_raw(&user, &token);
        }
    }
    crate::screens::profile::update::fit_to_viewport(app);
}

/// Back to the log-in screen with the email filled in (focus on the password).
fn to_login(app: &mut App, email: &str) -> Vec<Effect> {
    app.replace_stack(Screen::Login(Box::new(LoginState::new(Some(email)))));
    login_shown(app)
}

/// The log-in screen replaced the session's screens: what they ran stops, the demo code runs.
fn login_shown(app: &mut App) -> Vec<Effect> {
    // The session ends: what lives for it, and the profile's reads, go with it.
    let mut effects = app.cancel_where(|p| p.reads_profile() || p.lives == Lives::Session);
    app.draft_offer = None;
    effects.extend(crate::screens::login::update::start_demo_clock(app));
    effects
}

/// A 401 mid-session: the token is dead. Keep where the user was, forget the token (and the
/// stored copy), and ask for the password again.
pub(crate) fn session_expired(app: &mut App) -> Vec<Effect> {
    // An open edit form keeps its values, on disk too, and comes back after the log-in.
    let mut effects = crate::screens::edit::update::before_login(app);
    let Some(session) = app.session.take() else { return Vec::new() };
    // The profile and the form over it come back after the log-in. No request with the
    // session runs while another screen shows (opening one stops the refresh).
    let login = Screen::Login(Box::new(LoginState::new(Some(&session.email))));
    let (top, mut below) = app.replace_stack(login);
    let (profile, edit) = match top {
        Screen::Profile(p) => (Some(p), None),
        Screen::Edit(e) => match below.pop() {
            Some(Screen::Profile(p)) => (Some(p), Some(e.form)),
            _ => (None, None),
        },
        _ => (None, None),
    };
    if let Some(profile) = profile {
        app.resume =
            Some(Resume { email: session.email.clone(), endpoint: session.endpoint.clone(), profile, edit });
    }
    let kept = app.resume.as_ref().is_some_and(|r| r.edit.is_some());
    effects.extend(login_shown(app));
    let key = app
        .keymap
        .hint(crate::app::keymap::Context::Login, crate::app::keymap::Action::BrowserSignIn)
        .map(|k| format!(" ({k})"))
        .unwrap_or_default();
    if let Some(l) = app.login_mut() {
        let mut message = if session.cred.is_oauth() {
            format!(
                "Your browser sign-in has ended (its tokens were refused or revoked). Sign in with the browser again{key} to carry on where you were."
            )
        } else {
            "Your session has expired or was logged out elsewhere. Log in again to carry on where you were."
                .to_string()
        };
        if kept {
            message.push_str(" Your profile changes are kept.");
        }
        l.error = Some(FormError { title: "Session expired".into(), message, retry: false });
    }
    // Only this session is forgotten; other stored sessions stay.
    effects.push(Effect::DeleteSession { endpoint: session.endpoint.clone(), email: session.email.clone() });
    effects
}

/// Confirmed log-out: forget the session here at once (the file too), and tell the server in
/// the background. Its answer only decides the message.
pub(crate) fn logout(app: &mut App) -> Vec<Effect> {
    let Some(session) = app.session.take() else { return Vec::new() };
    app.resume = None;
    let mut effects = to_login(app, &session.email);
    // The server is told whatever the user does next.
    // Only this session is forgotten; other stored sessions stay.
    effects.push(Effect::DeleteSession { endpoint: session.endpoint.clone(), email: session.email.clone() });
    let (endpoint, cred) = (session.endpoint, session.cred);
    effects.push(app.request(Lives::App, Request::Logout { endpoint, cred, then: OnLogout::Logout }));
    effects
}
