//! The profile screen: a compact header, the tab bar, and the current tab's body.

pub mod header;
pub mod pages;
pub mod raw_tab;
pub mod roles_tab;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::profile::ProfileState;
use crate::screens::profile::Tab;
use crate::screens::profile::layout;
use crate::ui::theme::Theme;
use crate::ui::widgets::details;
use crate::ui::widgets::field::{self, FieldView};
use crate::ui::widgets::permissions::render_permissions;
use crate::ui::widgets::tabs;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, p: &ProfileState) {
    let Some(session) = &app.session else { return };
    p.area.set(area);
    let parts = layout::profile(area, crate::app::update::filter_line(p));
    crate::screens::profile::view::header::render(frame, parts.header, &session.user, theme);
    tabs::render(frame, parts.tabs, p.tab, theme);
    let focused = !p.editing_filter && p.details.is_none();
    match p.tab {
        Tab::Roles => roles_tab::render(frame, parts.body, p, theme, focused),
        Tab::Permissions => render_permissions(p.perms(), parts.body, frame.buffer_mut(), theme, focused),
        Tab::Orgs => crate::screens::profile::view::pages::render_orgs(frame, parts.body, p, theme, focused),
        Tab::Settings => {
            crate::screens::profile::view::pages::render_settings(frame, parts.body, p, theme, focused)
        }
        Tab::Raw => raw_tab::render(frame, parts.body, p, theme),
        Tab::Stacks => {
            crate::screens::profile::view::pages::render_stacks(frame, parts.body, p, theme, focused)
        }
    }
    if let Some(filter) = parts.filter {
        render_filter(frame, filter, theme, p);
    }
    if let Some(state) = &p.details {
        let close = app.keymap.hint(Context::Details, Action::Close).unwrap_or_default();
        let drawn = details::render(frame, app.viewport, &state.details, state.scroll, &close, theme);
        state.drawn.set(Some(drawn));
    }
}

/// What the filter line says about the current tab: how many rows (lines, on Raw) match, and
/// whether the count is still growing (a filter or search applied in steps).
fn match_text(p: &ProfileState) -> String {
    if p.filter.is_empty() {
        return String::new();
    }
    let (matches, partial, noun) = match p.tab {
        Tab::Roles => (p.tree.match_count(), p.tree.filtering(), "match"),
        Tab::Permissions => (p.perms().match_count(), false, "match"),
        Tab::Orgs => (p.orgs_list.match_count(), false, "match"),
        Tab::Settings => (p.settings_list.match_count(), false, "match"),
        Tab::Stacks => (p.stacks.list.match_count(), false, "match"),
        Tab::Raw => (p.raw.search.match_count(), p.raw.search.scanning(), "line"),
    };
    let plural = |n: usize| match (noun, n) {
        (_, 1) => noun.to_string(),
        ("match", _) => "matches".to_string(),
        _ => format!("{noun}s"),
    };
    match (matches, partial) {
        (0, true) => "searching…".to_string(),
        (0, false) => "no match".to_string(),
        (n, true) => format!("{n} {}…", plural(n)),
        (n, false) => match p.raw.search.current_number().filter(|_| p.tab == Tab::Raw) {
            Some(k) => format!("{k} of {n} {}", plural(n)),
            None => format!("{n} {}", plural(n)),
        },
    }
}

/// `/ dev▏  3 matches` under the current tab.
fn render_filter(frame: &mut Frame, area: Rect, theme: &Theme, p: &ProfileState) {
    let count = match_text(p);
    let count_width = count.width() as u16 + 2;
    let label = Rect { width: 2.min(area.width), ..area };
    frame.render_widget(Paragraph::new(Span::styled("/ ", theme.key())), label);
    let value =
        Rect { x: area.x + label.width, width: area.width.saturating_sub(label.width + count_width), ..area };
    let view = FieldView {
        field: &p.filter,
        focused: p.editing_filter,
        reveal: true,
        placeholder: if p.tab == Tab::Raw { "type to search" } else { "type to filter" },
    };
    field::render(frame, value, &view, theme);
    let style = if count == "no match" { theme.warn() } else { theme.dim() };
    let rest = Rect { x: value.right(), width: area.right().saturating_sub(value.right()), ..area };
    frame.render_widget(Paragraph::new(Line::from(Span::styled(format!("  {count}"), style))), rest);
}
