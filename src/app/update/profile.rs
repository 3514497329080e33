//! The profile screen's keys: tabs, the roles tree and its filter, scrolling, refresh, log-out.

use crossterm::event::KeyEvent;

use super::super::effect::Effect;
use super::super::keymap::{Action, Context};
use super::super::keys::Key;
use super::super::msg::Msg;
use super::super::profile::{ProfileState, Tab};
use super::super::state::{App, Confirm, RequestKind, Screen};
use crate::ui::layout;

/// Whether the current tab shows the filter line (the tabs the filter narrows).
pub fn filter_line(p: &ProfileState) -> bool {
    matches!(p.tab, Tab::Roles | Tab::Permissions) && p.filter_visible()
}

/// The list heights of the current tab for a terminal of `viewport` cells.
fn body_height(viewport: (u16, u16), p: &ProfileState) -> usize {
    let body = layout::profile_body_height(viewport, filter_line(p));
    match p.tab {
        // The organisations table has a header row.
        Tab::Orgs => body.saturating_sub(1),
        _ => body,
    }
}

/// Keeps every position valid for the current size and content (after a resize, a refresh or
/// a filter change).
pub(super) fn fit_to_viewport(app: &mut App) {
    let viewport = app.viewport;
    let Screen::Profile(p) = &mut app.screen else { return };
    let tab = p.tab;
    for t in Tab::ALL {
        p.tab = t;
        let h = body_height(viewport, p);
        match t {
            Tab::Roles => p.tree.scroll_into_view(h),
            Tab::Permissions => p.perms.scroll_into_view(h),
            Tab::Orgs => p.orgs_scroll.clamp(p.orgs.len(), h),
            Tab::Settings => p.settings_scroll.clamp(p.settings.len(), h),
            // Not built yet (or dropped by a refresh): keep the position for when it is.
            Tab::Raw if p.raw.is_none() => {}
            Tab::Raw => p.raw_scroll.clamp(p.raw_len(), h),
        }
    }
    p.tab = tab;
}

pub(super) fn on_paste(app: &mut App, text: &str) {
    let Screen::Profile(p) = &mut app.screen else { return };
    if p.editing_filter {
        p.filter.paste(text);
        p.apply_filter();
        fit_to_viewport(app);
    }
}

pub(super) fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let p = app.profile()?;
    if p.editing_filter {
        return Some(on_filter_key(app, ev, key));
    }
    let contexts: &[Context] = match p.tab {
        Tab::Roles => &[Context::Tree, Context::Nav, Context::Profile],
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
        Action::Refresh => refresh(app),
        Action::Logout => {
            app.confirm = Some(Confirm::Logout);
            Vec::new()
        }
        Action::ChangePassword => super::reset::open_for_account(app),
        Action::OpenMailbox => return super::mailbox::open(app),
        Action::Filter => {
            let Screen::Profile(p) = &mut app.screen else { return None };
            if p.tab != Tab::Permissions {
                p.tab = Tab::Roles;
            }
            p.editing_filter = true;
            fit_to_viewport(app);
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

fn set_tab(app: &mut App, to: impl Fn(Tab) -> Tab) -> Vec<Effect> {
    if let (Screen::Profile(p), Some(session)) = (&mut app.screen, &app.session) {
        p.tab = to(p.tab);
        if p.tab == Tab::Raw {
            p.ensure_raw(&session.user, &session.token);
        }
    }
    fit_to_viewport(app);
    Vec::new()
}

/// Reloads the profile; a refresh already running is replaced by this one.
fn refresh(app: &mut App) -> Vec<Effect> {
    let Some(session) = &app.session else { return Vec::new() };
    let (endpoint, token) = (session.endpoint.clone(), session.token.clone());
    let mut effects = app.cancel_where(|k| matches!(k, RequestKind::Refresh));
    let id = app.start_request(RequestKind::Refresh);
    effects.push(Effect::GetUser { id, endpoint, token });
    effects
}

/// Typing into the filter narrows the tree at each key; arrows still move in it.
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
            if p.filter.handle_key(ev) && p.apply_filter_in_steps() && !p.filter_stepping {
                p.filter_stepping = true;
                fit_to_viewport(app);
                return vec![next_filter_step()];
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

/// On a beat: the next step of a filter applied in steps, and a request for another while
/// steps remain.
pub(super) fn continue_filter(app: &mut App) -> Vec<Effect> {
    let Screen::Profile(p) = &mut app.screen else { return Vec::new() };
    if !p.filter_stepping {
        return Vec::new();
    }
    p.filter_stepping = p.continue_filter();
    let more = p.filter_stepping;
    fit_to_viewport(app);
    if more { vec![next_filter_step()] } else { Vec::new() }
}

/// Moves in the current tab: the tree's selection, or a scroll position.
fn navigate(app: &mut App, action: Action) {
    let viewport = app.viewport;
    let Screen::Profile(p) = &mut app.screen else { return };
    let page = body_height(viewport, p).max(1);
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
            let v = &mut p.perms;
            match action {
                Action::Top => v.select_first(),
                Action::Bottom => v.select_last(),
                _ => v.move_by(delta),
            }
            v.scroll_into_view(page);
        }
        Tab::Orgs | Tab::Settings | Tab::Raw => {
            let raw_len = p.raw_len();
            let (scroll, len) = match p.tab {
                Tab::Orgs => (&mut p.orgs_scroll, p.orgs.len()),
                Tab::Settings => (&mut p.settings_scroll, p.settings.len()),
                _ => (&mut p.raw_scroll, raw_len),
            };
            match action {
                Action::Top => scroll.top(),
                Action::Bottom => scroll.bottom(len, page),
                _ => scroll.by(delta, len, page),
            }
        }
    }
}
