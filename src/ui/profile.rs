//! The profile screen: a compact header, the tab bar, and the current tab's body.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::layout;
use super::widgets::field::{self, FieldView};
use super::widgets::permissions::render_permissions;
use super::widgets::tabs;
use super::{profile_header, profile_tabs, roles_tab};
use crate::app::profile::{ProfileState, Tab};
use crate::app::state::App;

pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &ProfileState) {
    let Some(session) = &app.session else { return };
    let theme = &app.theme;
    let parts = layout::profile(area, crate::app::update::filter_line(p));
    profile_header::render(frame, parts.header, &session.user, theme);
    tabs::render(frame, parts.tabs, p.tab, theme);
    if let Some(pos) = position(p, parts.body.height as usize) {
        let w = pos.width() as u16 + 1;
        if parts.tabs.width > w + 50 {
            let r = Rect { x: parts.tabs.right() - w, width: w, ..parts.tabs };
            frame.render_widget(Paragraph::new(Span::styled(pos, theme.dim())), r);
        }
    }
    match p.tab {
        Tab::Roles => roles_tab::render(frame, parts.body, p, theme),
        Tab::Permissions => {
            render_permissions(&p.perms, parts.body, frame.buffer_mut(), theme, !p.editing_filter)
        }
        Tab::Orgs => profile_tabs::render_orgs(frame, parts.body, p, theme),
        Tab::Settings => profile_tabs::render_settings(frame, parts.body, p, theme),
        Tab::Raw => profile_tabs::render_raw(frame, parts.body, p, theme),
    }
    if let Some(filter) = parts.filter {
        render_filter(frame, filter, app, p);
    }
}

/// `12–27 of 140` for a tab longer than its page.
fn position(p: &ProfileState, height: usize) -> Option<String> {
    let (offset, len, height) = match p.tab {
        Tab::Orgs => (p.orgs_scroll.offset, p.orgs.len(), height.saturating_sub(1)),
        Tab::Settings => (p.settings_scroll.offset, p.settings.len(), height),
        Tab::Raw => (p.raw_scroll.offset, p.raw_len(), height),
        // The list widgets show their own position.
        Tab::Roles | Tab::Permissions => return None,
    };
    (len > height).then(|| format!("{}–{} of {len}", offset + 1, (offset + height).min(len)))
}

/// `/ dev▏  3 matches` under the tree.
fn render_filter(frame: &mut Frame, area: Rect, app: &App, p: &ProfileState) {
    let theme = &app.theme;
    let matches = if p.tab == Tab::Permissions { p.perms.match_count() } else { p.tree.match_count() };
    // A filter over a large profile is applied in steps: a count still growing says so.
    let partial = p.tab != Tab::Permissions && p.tree.filtering();
    let count = match (p.filter.is_empty(), matches, partial) {
        (true, ..) => String::new(),
        (false, 0, true) => "searching…".to_string(),
        (false, 0, false) => "no match".to_string(),
        (false, 1, false) => "1 match".to_string(),
        (false, n, false) => format!("{n} matches"),
        (false, n, true) => format!("{n} matches…"),
    };
    let count_width = count.width() as u16 + 2;
    let label = Rect { width: 2.min(area.width), ..area };
    frame.render_widget(Paragraph::new(Span::styled("/ ", theme.key())), label);
    let value =
        Rect { x: area.x + label.width, width: area.width.saturating_sub(label.width + count_width), ..area };
    let view = FieldView {
        field: &p.filter,
        focused: p.editing_filter,
        reveal: true,
        placeholder: "type to filter",
    };
    field::render(frame, value, &view, theme);
    let style = if matches == 0 && !p.filter.is_empty() { theme.warn() } else { theme.dim() };
    let rest = Rect { x: value.right(), width: area.right().saturating_sub(value.right()), ..area };
    frame.render_widget(Paragraph::new(Line::from(Span::styled(format!("  {count}"), style))), rest);
}
