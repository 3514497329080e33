//! The account switcher's keys and answers.

use crossterm::event::KeyEvent;

use crate::api::check::TokenCheck;
use crate::api::{ApiError, Endpoint};
use crate::app::effect::Effect;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::nav::{Nav, Route};
use crate::app::request::{
    Kind, Lives, OnAccountCheck, OnAccountLogout, OnAccounts, OnSwitch, Request, ScreenTag, Switched,
};
use crate::app::state::{App, Authed, ToastLevel};
use crate::screens::accounts::{AccountRow, AccountsState, Validity};
use crate::store::SessionInfo;

fn state(app: &mut App) -> Option<&mut AccountsState> {
    app.screen_mut()
}

/// Reads the stored sessions (on opening, and on the reload key); their checks follow.
pub(crate) fn fetch(app: &mut App) -> Vec<Effect> {
    let mut effects = app.cancel_where(|p| matches!(p.kind, Kind::Accounts | Kind::CheckAccount));
    effects.push(app.request(Lives::Screen(ScreenTag::Accounts), Request::Accounts { then: OnAccounts }));
    effects
}

pub(crate) fn on_key(app: &mut App, _ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    if state(app)?.confirm_logout.is_some() {
        return Some(on_confirm_key(app, key));
    }
    let action = app.keymap.lookup(&[Context::Accounts, Context::Nav], key)?;
    let s = state(app)?;
    let page = s.page.get().max(1) as isize;
    match action {
        Action::Up => s.move_by(-1),
        Action::Down => s.move_by(1),
        Action::PageUp => s.move_by(-page),
        Action::PageDown => s.move_by(page),
        Action::Top => s.move_by(isize::MIN / 2),
        Action::Bottom => s.move_by(isize::MAX / 2),
        Action::Reload => return Some(fetch(app)),
        Action::Close => return Some(close(app)),
        Action::SwitchAccount => return Some(switch(app)),
        Action::AddAccount => return Some(app.go(Nav::Push(Route::AddAccount))),
        Action::LogoutAccount => {
            if s.selected_row().is_some() {
                s.confirm_logout = Some(s.selected);
            }
        }
        _ => return None,
    }
    Some(Vec::new())
}

/// The log-out question's keys: yes logs the account out, no keeps it.
fn on_confirm_key(app: &mut App, key: Key) -> Vec<Effect> {
    let action = app.keymap.action(Context::Confirm, key);
    let Some(s) = state(app) else { return Vec::new() };
    match action {
        Some(Action::Confirm) => {
            let row = s.confirm_logout.take().and_then(|i| s.rows.get(i)).cloned();
            match row {
                Some(row) => logout(app, row),
                None => Vec::new(),
            }
        }
        Some(Action::Cancel) => {
            s.confirm_logout = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn close(app: &mut App) -> Vec<Effect> {
    let mut effects = app.cancel_where(|p| p.lives_on(ScreenTag::Accounts));
    effects.extend(app.go(Nav::Pop));
    effects
}

/// Enter: the selected account's profile, loaded with its own token on its own server. The
/// account in use stops its requests now (their answers would be for the other account), and
/// stays the one in use until the new profile is there.
fn switch(app: &mut App) -> Vec<Effect> {
    let Some(s) = state(app) else { return Vec::new() };
    let Some(row) = s.selected_row().cloned() else { return Vec::new() };
    if s.is_current(&row) {
        let text = format!("{} is the account in use.", row.info.who());
        let mut effects = close(app);
        effects.push(app.toast(ToastLevel::Info, text));
        return effects;
    }
    let (endpoint, email) = (row.info.endpoint.clone(), row.info.email.clone());
    s.switching = Some((endpoint.clone(), email.clone()));
    // Everything of the account in use but telling a server about a log-out, and the
    // switcher's own work.
    let mut effects = app.cancel_where(|p| p.lives != Lives::App && !p.lives_on(ScreenTag::Accounts));
    effects.extend(app.cancel_where(|p| p.kind == Kind::Switch));
    let then = OnSwitch { endpoint: endpoint.clone(), email: email.clone() };
    let request = Request::SwitchAccount { endpoint, email, then };
    effects.push(app.request(Lives::Screen(ScreenTag::Accounts), request));
    effects
}

/// The stored sessions: listed, each asked about at once.
pub(crate) fn on_accounts(app: &mut App, result: Result<Vec<SessionInfo>, ApiError>) -> Vec<Effect> {
    let Some(s) = state(app) else { return Vec::new() };
    s.loaded = true;
    let sessions = match result {
        Ok(sessions) => sessions,
        Err(e) => {
            s.error = Some(e.user_message());
            return Vec::new();
        }
    };
    s.error = None;
    let keep = s.selected_row().map(|r| (r.info.endpoint.clone(), r.info.email.clone()));
    s.rows = sessions.into_iter().map(|info| AccountRow { info, validity: Validity::Checking }).collect();
    s.selected = keep.and_then(|(e, m)| s.rows.iter().position(|r| r.is(&e, &m))).unwrap_or(0);
    let asks: Vec<(Endpoint, String)> =
        s.rows.iter().map(|r| (r.info.endpoint.clone(), r.info.email.clone())).collect();
    asks.into_iter()
        .map(|(endpoint, email)| {
            let then = OnAccountCheck { endpoint: endpoint.clone(), email: email.clone() };
            app.request(Lives::Screen(ScreenTag::Accounts), Request::CheckAccount { endpoint, email, then })
        })
        .collect()
}

/// What one session's server said of its token.
pub(crate) fn on_check(
    app: &mut App,
    then: OnAccountCheck,
    result: Result<TokenCheck, ApiError>,
) -> Vec<Effect> {
    let Some(s) = state(app) else { return Vec::new() };
    if let Some(row) = s.row_mut(&then.endpoint, &then.email) {
        row.validity = Validity::Checked(result.unwrap_or_else(|e| TokenCheck::Unknown(e.user_message())));
    }
    Vec::new()
}

/// The other account's profile: it becomes the account in use (and the active session of its
/// endpoint in the store); a failure leaves the account in use as it was.
pub(crate) fn on_switch(app: &mut App, then: OnSwitch, result: Result<Switched, ApiError>) -> Vec<Effect> {
    if let Some(s) = state(app) {
        s.switching = None;
    }
    match result {
        Ok(Switched { cred, profile }) => {
            let OnSwitch { endpoint, email } = then;
            let auth = Authed { email: email.clone(), cred, endpoint: endpoint.clone(), remember: false };
            let who = format!("{email} on {}", endpoint.name());
            // The switcher's checks end with it.
            let mut effects = app.cancel_where(|p| p.lives_on(ScreenTag::Accounts));
            effects.extend(crate::app::session::enter_profile(app, auth, profile));
            effects.push(Effect::ActivateSession { endpoint, email });
            effects.push(app.toast(ToastLevel::Success, format!("Switched to {who}.")));
            effects
        }
        Err(e) => {
            let expired = e.is_unauthorized();
            if let Some(s) = state(app)
                && let Some(row) = s.row_mut(&then.endpoint, &then.email)
                && expired
            {
                row.validity = Validity::Checked(TokenCheck::Expired);
            }
            let why = if expired {
                let add = app.keymap.hint(Context::Accounts, Action::AddAccount).unwrap_or_default();
                format!("its session has expired or was logged out elsewhere; {add} logs in to it again")
            } else {
                e.user_message()
            };
            let text = format!("Could not switch to {} on {}: {why}", then.email, then.endpoint.name());
            vec![app.toast(ToastLevel::Error, text)]
        }
    }
}

/// Logs `row` out: the account in use as the profile's log-out does; another one on its own
/// server with its own token (read by the runner), then forgotten here.
fn logout(app: &mut App, row: AccountRow) -> Vec<Effect> {
    if state(app).is_some_and(|s| s.is_current(&row)) {
        let mut effects = close(app);
        effects.extend(crate::app::session::logout(app));
        return effects;
    }
    let (endpoint, email) = (row.info.endpoint, row.info.email);
    let then = OnAccountLogout { endpoint: endpoint.clone(), email: email.clone() };
    vec![app.request(Lives::App, Request::LogoutAccount { endpoint, email, then })]
}

/// A stored session ended: gone from the list, and said so.
pub(crate) fn on_logout(
    app: &mut App,
    then: OnAccountLogout,
    result: Result<Option<String>, ApiError>,
) -> Vec<Effect> {
    let who = format!("{} on {}", then.email, then.endpoint.name());
    let (level, text) = match result {
        Ok(None) => (ToastLevel::Success, format!("Logged {who} out.")),
        Ok(Some(why)) => {
            (ToastLevel::Warning, format!("Forgot {who} here; its server could not be told: {why}"))
        }
        Err(e) => (ToastLevel::Error, format!("Could not log {who} out: {}", e.user_message())),
    };
    if let Some(s) = state(app)
        && let Some(i) = s.rows.iter().position(|r| r.is(&then.endpoint, &then.email))
        && !matches!(level, ToastLevel::Error)
    {
        s.rows.remove(i);
        s.selected = s.selected.min(s.rows.len().saturating_sub(1));
    }
    vec![app.toast(level, text)]
}
