//! The profile screen's keys: tabs, the roles tree, the filter and its matches, the details popup,
//! scrolling, refresh, log-out. The Raw tab's own keys are in [`raw`].

use crossterm::event::KeyEvent;

use crate::app::effect::Effect;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::msg::Msg;
use crate::app::nav::{Fill, Nav, Route};
use crate::app::request::{Kind, Lives, OnUser, Request, ScreenTag};
use crate::app::state::{App, Confirm, Screen, ToastLevel};
use crate::screens::profile::ProfileState;
use crate::screens::profile::Tab;
use crate::screens::profile::layout;
use crate::screens::profile::tree::Rows;
use ratatui::layout::Rect;

mod raw;

/// Whether the filter line shows: every tab applies the filter, so it shows on every tab while
/// one is set or being typed.
pub fn filter_line(p: &ProfileState) -> bool {
    p.filter_visible()
}

/// The list heights of the current tab, drawn in `area` (see [`ProfileState::area`]).
pub(crate) fn body_height(area: Rect, p: &ProfileState) -> usize {
    let body = layout::body_height(area, filter_line(p));
    match p.tab {
        // The organisations table has a header row.
        Tab::Orgs => body.saturating_sub(1),
        _ => body,
    }
}

/// Keeps every position valid for the current size and content (after a resize, a refresh or
/// a filter change).
pub(crate) fn fit_to_viewport(app: &mut App) {
    let Screen::Profile(p) = &mut app.screen else { return };
    let area = p.area.get();
    p.fitted = area;
    let tab = p.tab;
    for t in Tab::ALL {
        p.tab = t;
        let h = body_height(area, p);
        match t {
            Tab::Roles => p.tree.scroll_into_view(h),
            Tab::Permissions => {
                if let Some(perms) = p.perms_if_built() {
                    perms.scroll_into_view(h);
                }
            }
            Tab::Orgs => p.orgs_list.scroll_into_view(h),
            Tab::Settings => p.settings_list.scroll_into_view(h),
            Tab::Stacks => p.stacks.list.scroll_into_view(h),
            Tab::Raw => raw::clamp(p, area),
        }
    }
    p.tab = tab;
    clamp_details(app);
}

pub(crate) fn on_paste(app: &mut App, text: &str) {
    let Screen::Profile(p) = &mut app.screen else { return };
    if p.editing_filter {
        p.filter.paste(text);
        p.apply_filter();
        fit_to_viewport(app);
    }
}

pub(crate) fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    if app.profile()?.area.get() != app.profile()?.fitted {
        // Drawn at another size since: positions are kept inside the new one first.
        fit_to_viewport(app);
    }
    let p = app.profile()?;
    if p.editing_filter {
        return Some(on_filter_key(app, ev, key));
    }
    if p.details.is_some() {
        return on_details_key(app, key);
    }
    let contexts: &[Context] = match p.tab {
        Tab::Roles => &[Context::Tree, Context::Nav, Context::Profile],
        Tab::Raw => &[Context::Raw, Context::Nav, Context::Profile],
        _ => &[Context::Nav, Context::Profile],
    };
    let action = app.keymap.lookup(contexts, key)?;
    let effects = match action {
        Action::NextTab => set_tab(app, |t| t.step(1)),
        Action::PrevTab => set_tab(app, |t| t.step(-1)),
        Action::TabRoles => set_tab(app, |_| Tab::Roles),
        Action::TabPermissions => set_tab(app, |_| Tab::Permissions),
        Action::TabOrgs => set_tab(app, |_| Tab::Orgs),
        Action::TabSettings => set_tab(app, |_| Tab::Settings),
        Action::TabRaw => set_tab(app, |_| Tab::Raw),
        Action::TabStacks => set_tab(app, |_| Tab::Stacks),
        Action::Refresh => refresh(app),
        Action::Logout => {
            app.confirm = Some(Confirm::Logout);
            Vec::new()
        }
        Action::ChangePassword => {
            let Some(email) = app.session.as_ref().map(|s| s.email.clone()) else { return Some(Vec::new()) };
            app.go(Nav::Push(Route::ResetForAccount { email }))
        }
        Action::OpenMailbox => return app.open_mailbox(),
        Action::Filter => {
            // The tab stays: each one applies the filter its own way.
            let Screen::Profile(p) = &mut app.screen else { return None };
            p.editing_filter = true;
            fit_to_viewport(app);
            Vec::new()
        }
        Action::NextMatch => step_match(app, true),
        Action::PrevMatch => step_match(app, false),
        Action::Details => open_details(app),
        Action::Copy => super::copy::selected(app),
        Action::CopyAll => super::copy::all(app),
        Action::StackNames => super::stacks::request(app),
        Action::OpenAccounts => app.go(Nav::Push(Route::Accounts)),
        Action::ScrollRight | Action::ScrollLeft | Action::Wrap => {
            raw::sideways(app, action);
            Vec::new()
        }
        Action::Dismiss => {
            let Screen::Profile(p) = &mut app.screen else { return None };
            if !filter_line(p) {
                return None;
            }
            p.filter.clear();
            p.apply_filter();
            fit_to_viewport(app);
            Vec::new()
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom
        | Action::Expand
        | Action::Collapse
        | Action::Toggle
        | Action::ExpandAll
        | Action::CollapseAll => {
            navigate(app, action);
            Vec::new()
        }
        _ => return None,
    };
    Some(effects)
}

/// `n`/`N`: the next or previous match of the filter in the current tab, wrapping around.
fn step_match(app: &mut App, forward: bool) -> Vec<Effect> {
    let Screen::Profile(p) = &mut app.screen else { return Vec::new() };
    let area = p.area.get();
    if p.filter.is_empty() {
        let key = app.keymap.hint(Context::Profile, Action::Filter).unwrap_or_else(|| "/".into());
        return vec![app.toast(
            ToastLevel::Info,
            format!("No filter is set: press {key} and type, then n and N go from match to match."),
        )];
    }
    let page = body_height(area, p).max(1);
    match p.tab {
        Tab::Roles => {
            if forward {
                p.tree.next_match()
            } else {
                p.tree.prev_match()
            }
            p.tree.scroll_into_view(page);
        }
        Tab::Permissions => {
            let perms = p.perms_mut();
            if forward {
                perms.next_match()
            } else {
                perms.prev_match()
            }
            perms.scroll_into_view(page);
        }
        Tab::Orgs => {
            p.orgs_list.step_match(forward);
            p.orgs_list.scroll_into_view(page);
        }
        Tab::Settings => {
            p.settings_list.step_match(forward);
            p.settings_list.scroll_into_view(page);
        }
        Tab::Stacks => {
            p.stacks.list.step_match(forward);
            p.stacks.list.scroll_into_view(page);
        }
        Tab::Raw => raw::step_match(p, area, forward),
    }
    Vec::new()
}

/// `i`: the details of the selected row, when the tab has one.
fn open_details(app: &mut App) -> Vec<Effect> {
    if let Screen::Profile(p) = &mut app.screen {
        p.open_details();
    }
    Vec::new()
}

/// Keys while the details popup shows: it scrolls and closes; the global keys (quit, help)
/// still work; nothing else reaches the profile behind it.
fn on_details_key(app: &mut App, key: Key) -> Option<Vec<Effect>> {
    let Some(action) = app.keymap.lookup(&[Context::Details, Context::Nav], key) else {
        return app.keymap.action(Context::Global, key).is_none().then(Vec::new);
    };
    let Screen::Profile(p) = &mut app.screen else { return None };
    let Some(state) = &mut p.details else { return None };
    // By what the view drew (unbounded before it drew: it shows the scroll clamped).
    let (page, max) =
        state.drawn.get().map_or((1, usize::MAX), |(page, total)| (page, total.saturating_sub(page)));
    state.scroll = state.scroll.min(max);
    match action {
        Action::Close => p.details = None,
        Action::Up => state.scroll = state.scroll.saturating_sub(1),
        Action::Down => state.scroll = (state.scroll + 1).min(max),
        Action::PageUp => state.scroll = state.scroll.saturating_sub(page),
        Action::PageDown => state.scroll = (state.scroll + page).min(max),
        Action::Top => state.scroll = 0,
        Action::Bottom => state.scroll = max,
        _ => {}
    }
    Some(Vec::new())
}

/// Keeps the details popup's scroll inside its text as last drawn.
fn clamp_details(app: &mut App) {
    let Screen::Profile(p) = &mut app.screen else { return };
    if let Some(state) = &mut p.details
        && let Some((page, total)) = state.drawn.get()
    {
        state.scroll = state.scroll.min(total.saturating_sub(page));
    }
}

fn set_tab(app: &mut App, to: impl Fn(Tab) -> Tab) -> Vec<Effect> {
    let mut more = false;
    if let (Screen::Profile(p), Some(session)) = (&mut app.screen, &app.session) {
        p.tab = to(p.tab);
        if p.tab == Tab::Raw {
            more = p.show_raw(&session.user, &session.cred);
        }
    }
    fit_to_viewport(app);
    raw::follow_search(app);
    ask_for_steps(app, more)
}

/// Asks for a beat when steps of the filter or the search are left and none is asked for yet.
fn ask_for_steps(app: &mut App, more: bool) -> Vec<Effect> {
    let Screen::Profile(p) = &mut app.screen else { return Vec::new() };
    if more && !p.filter_stepping {
        p.filter_stepping = true;
        return vec![next_filter_step()];
    }
    Vec::new()
}

/// Reloads the profile; a refresh already running is replaced by this one.
fn refresh(app: &mut App) -> Vec<Effect> {
    let Some(session) = &app.session else { return Vec::new() };
    let (endpoint, cred) = (session.endpoint.clone(), session.cred.clone());
    let mut effects = app.cancel_where(|p| p.kind == Kind::Refresh);
    let request = Request::GetUser { endpoint, cred, then: OnUser::Refresh };
    effects.push(app.request(Lives::Screen(ScreenTag::Profile), request));
    effects
}

/// Typing into the filter narrows the tabs at each key; arrows still move in the current one.
fn on_filter_key(app: &mut App, ev: &KeyEvent, key: Key) -> Vec<Effect> {
    let action = if key.is_text() { None } else { app.keymap.lookup(&[Context::Filter, Context::Nav], key) };
    let Screen::Profile(p) = &mut app.screen else { return Vec::new() };
    match action {
        Some(Action::Apply) => p.editing_filter = false,
        Some(Action::ClearFilter) => {
            p.editing_filter = false;
            p.filter.clear();
            p.apply_filter();
        }
        Some(
            a
            @ (Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Top | Action::Bottom),
        ) => {
            navigate(app, a);
            return Vec::new();
        }
        _ => {
            if p.filter.handle_key(ev) {
                let more = p.apply_filter_in_steps();
                fit_to_viewport(app);
                raw::follow_search(app);
                return ask_for_steps(app, more);
            }
        }
    }
    fit_to_viewport(app);
    Vec::new()
}

/// Asks for the next step of a filter applied in steps (a large profile): a beat sent back at
/// once, so the app draws the results so far, and handles keys, between steps.
fn next_filter_step() -> Effect {
    Effect::Timer { after: std::time::Duration::ZERO, msg: Box::new(Msg::Tick) }
}

/// On a beat: the next step of a filter or search applied in steps, and a request for another
/// while steps remain.
pub(crate) fn continue_filter(app: &mut App) -> Vec<Effect> {
    let Screen::Profile(p) = &mut app.screen else { return Vec::new() };
    if !p.filter_stepping {
        return Vec::new();
    }
    p.filter_stepping = p.continue_filter();
    let more = p.filter_stepping;
    fit_to_viewport(app);
    raw::follow_search(app);
    if more { vec![next_filter_step()] } else { Vec::new() }
}

/// Moves in the current tab: the tree's selection, or a scroll position.
fn navigate(app: &mut App, action: Action) {
    let Screen::Profile(p) = &mut app.screen else { return };
    let area = p.area.get();
    let page = body_height(area, p).max(1);
    let delta: isize = match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -(page as isize),
        Action::PageDown => page as isize,
        _ => 0,
    };
    match p.tab {
        Tab::Roles => {
            let t = &mut p.tree;
            match action {
                Action::Top => t.select_first(),
                Action::Bottom => t.select_last(),
                Action::Expand => t.expand_selected(),
                Action::Collapse => t.collapse_selected(),
                Action::Toggle => t.toggle_selected(),
                Action::ExpandAll => t.expand_all(),
                Action::CollapseAll => t.collapse_all(),
                _ => t.move_by(delta),
            }
            t.scroll_into_view(page);
        }
        Tab::Permissions => {
            let v = p.perms_mut();
            match action {
                Action::Top => v.select_first(),
                Action::Bottom => v.select_last(),
                _ => v.move_by(delta),
            }
            v.scroll_into_view(page);
        }
        Tab::Orgs | Tab::Settings | Tab::Stacks => {
            let list = match p.tab {
                Tab::Orgs => &mut p.orgs_list,
                Tab::Settings => &mut p.settings_list,
                _ => &mut p.stacks.list,
            };
            match action {
                Action::Top => list.select_first(),
                Action::Bottom => list.select_last(),
                _ => list.move_by(delta),
            }
            list.scroll_into_view(page);
        }
        Tab::Raw => raw::navigate(p, area, action),
    }
}

/// What a closed screen hands down over the profile: the session stays open whatever happened.
pub(crate) fn on_fill(app: &mut App, fill: Fill) -> Vec<Effect> {
    let text = match fill {
        Fill::PasswordReset { notice, .. } => {
            format!("{notice} This session stays open; use the new password next time.")
        }
        Fill::Activated { email: Some(email), notice } => format!("{notice} {email} can log in now."),
        Fill::Activated { email: None, notice } => notice,
        Fill::Token(_) => return Vec::new(),
    };
    vec![app.toast(ToastLevel::Success, text)]
}
