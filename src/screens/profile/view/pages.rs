//! The profile's Organisations and Settings tabs: lists with a selection, like the tree, so each
//! row can be opened in the details popup. Every cell is cut with `…` where it does not fit, and
//! no column is dropped on a narrow screen: the columns narrow instead.

use std::borrow::Cow;

use crate::screens::profile::OrgRow;
use crate::screens::profile::tree::Rows;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

use crate::screens::profile::ProfileState;

use crate::screens::profile::RowList;

use crate::screens::profile::SettingsLine;
use crate::screens::profile::StacksStatus;
use crate::ui::theme::Theme;
use crate::ui::widgets::tree::{
    Piece, draw_empty, draw_pieces, highlight, no_match_message, position_indicator,
};

/// The relation column's width (`shared`).
const RELATION: usize = 6;
/// The UID column's widest (a Contentstack uid is 19 or 20 characters).
const UID: usize = 22;

/// Column widths after the `›` marker and its space: relation, name, uid, roles, with a space
/// between each.
fn columns(width: usize) -> [usize; 4] {
    let rest = width.saturating_sub(2 + RELATION + 3);
    let uid = if rest >= 3 * UID { UID } else { (rest / 3).max(4) };
    let name = rest.saturating_sub(uid) / 2;
    [RELATION, name, uid, rest.saturating_sub(uid + name)]
}

/// A header cell: its long title when it fits, its short one otherwise (cut if even that is
/// too long).
fn title(long: &'static str, short: &'static str, width: usize) -> &'static str {
    if long.width() <= width { long } else { short }
}

/// Draws one row of cells, each cut to its column with `…`.
fn draw_cells(buf: &mut ratatui::buffer::Buffer, area: Rect, y: u16, widths: &[usize], cells: &[Vec<Piece>]) {
    let mut x = area.x;
    for (i, (w, cell)) in widths.iter().zip(cells).enumerate() {
        let w = (*w as u16).min(area.right().saturating_sub(x));
        draw_pieces(buf, x, y, w, cell);
        x = x.saturating_add(w).saturating_add(u16::from(i + 1 < widths.len()));
    }
}

/// The rows of `list` that fit `area`, from the offset that keeps the selection in view: each
/// with its item, whether it matches the filter, whether it is selected, and its screen line.
fn visible(list: &RowList, area: Rect) -> Vec<(usize, bool, bool, u16)> {
    let height = area.height as usize;
    let cursor = list.cursor();
    let offset = cursor.offset_for(height, list.len());
    (offset..(offset + height).min(list.len()))
        .enumerate()
        .filter_map(|(n, i)| {
            let (item, matched) = list.row(i)?;
            Some((item, matched, i == cursor.selected(), area.y + n as u16))
        })
        .collect()
}

fn marker(selected: bool, theme: &Theme) -> Piece<'static> {
    (Cow::Borrowed(if selected { "› " } else { "  " }), theme.accent())
}

/// The buffer and the part of `area` on it, to draw a tab's list in; `None` when there is no
/// room, or when `empty` says why there is no list (said in its place).
fn canvas<'a>(
    frame: &'a mut Frame,
    area: Rect,
    empty: Option<String>,
    theme: &Theme,
) -> Option<(&'a mut ratatui::buffer::Buffer, Rect)> {
    let buf = frame.buffer_mut();
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return None;
    }
    if let Some(message) = empty {
        draw_empty(buf, area, &message, theme);
        return None;
    }
    Some((buf, area))
}

pub fn render_orgs(frame: &mut Frame, area: Rect, p: &ProfileState, theme: &Theme, focused: bool) {
    let empty = p.orgs.is_empty().then(|| "No organisations in this profile.".to_string());
    let Some((buf, area)) = canvas(frame, area, empty, theme) else { return };
    let widths = columns(area.width as usize);
    let mut all = vec![1];
    all.extend(widths);
    let head = |t: &'static str| vec![(Cow::Borrowed(t), theme.title())];
    let header = [
        head(""),
        head(""),
        head(title("Organisation", "Name", widths[1])),
        head("UID"),
        head(title("Your roles", "Roles", widths[3])),
    ];
    draw_table(
        buf,
        area,
        &all,
        &header,
        &p.orgs_list,
        p.filter.value(),
        theme,
        focused,
        |item, q, selected| p.orgs.get(item).map(|o| org_cells(o, selected, q, theme)),
    );
}

/// A list tab's table: the header row in `area`'s first line, then the rows of `list` that fit,
/// each made by `cells` (item, the filter when the row matches it, selected), with the position
/// in the bottom-right corner and the selection reversed when `focused`.
#[allow(clippy::too_many_arguments)]
fn draw_table<'a>(
    buf: &mut ratatui::buffer::Buffer,
    area: Rect,
    all: &[usize],
    header: &[Vec<Piece>],
    list: &RowList,
    filter: &str,
    theme: &Theme,
    focused: bool,
    cells: impl Fn(usize, &str, bool) -> Option<Vec<Vec<Piece<'a>>>>,
) {
    draw_cells(buf, area, area.y, all, header);
    let rows = Rect { y: area.y + 1, height: area.height.saturating_sub(1), ..area };
    if list.is_empty() {
        draw_empty(buf, rows, &no_match_message(filter), theme);
        return;
    }
    let query = filter.to_lowercase();
    let indicator = position_indicator(buf, rows, list.selected(), list.len(), theme);
    for (item, matched, selected, y) in visible(list, rows) {
        let q = if matched { query.as_str() } else { "" };
        let Some(mut cells) = cells(item, q, selected) else { continue };
        cells.truncate(all.len());
        let width = if y + 1 == rows.bottom() { rows.width.saturating_sub(indicator) } else { rows.width };
        let mut widths = all.to_vec();
        fit_last(&mut widths, width as usize);
        draw_cells(buf, Rect { width, ..rows }, y, &widths, &cells);
        if selected && focused {
            buf.set_style(Rect::new(rows.x, y, rows.width, 1), theme.selected());
        }
    }
}

/// Narrows the last column so the row ends within `width` cells.
fn fit_last(widths: &mut [usize], width: usize) {
    let total: usize = widths.iter().sum::<usize>() + widths.len().saturating_sub(1);
    if let Some(last) = widths.last_mut() {
        *last = last.saturating_sub(total.saturating_sub(width));
    }
}

fn org_cells<'a>(o: &'a OrgRow, selected: bool, query: &str, theme: &Theme) -> Vec<Vec<Piece<'a>>> {
    let cell = |text: Cow<'a, str>, style: Style| {
        let mut out = Vec::new();
        highlight(text, style, query, theme.highlight(), &mut out);
        out
    };
    let roles = if o.roles.is_empty() { Cow::Borrowed("—") } else { Cow::Owned(o.roles.join(", ")) };
    vec![
        vec![(Cow::Borrowed(if selected { "›" } else { " " }), theme.accent())],
        cell(Cow::Borrowed(o.relation.label()), theme.label()),
        cell(Cow::Borrowed(o.shown_name()), Style::new()),
        cell(Cow::Borrowed(o.uid.as_str()), theme.dim()),
        cell(roles, Style::new()),
    ]
}

pub fn render_settings(frame: &mut Frame, area: Rect, p: &ProfileState, theme: &Theme, focused: bool) {
    let empty = p.settings_list.is_empty().then(|| no_match_message(p.filter.value()));
    let Some((buf, area)) = canvas(frame, area, empty, theme) else { return };
    let query = p.filter.value().to_lowercase();
    let indicator = position_indicator(buf, area, p.settings_list.selected(), p.settings_list.len(), theme);
    for (item, matched, selected, y) in visible(&p.settings_list, area) {
        let Some(line) = p.settings.get(item) else { continue };
        let q = if matched { query.as_str() } else { "" };
        let mut pieces = vec![marker(selected, theme)];
        let add = |text: Cow<'_, str>, style: Style, pieces: &mut Vec<Piece<'_>>| {
            highlight(Cow::Owned(text.into_owned()), style, q, theme.highlight(), pieces)
        };
        match line {
            SettingsLine::Heading(t) => add(Cow::Borrowed(t), theme.title(), &mut pieces),
            // An organisation or a stack: its name, then its uid or key dimmed (alone when it
            // has no name).
            SettingsLine::Org { uid: id, name } | SettingsLine::Stack { key: id, name } => {
                let label =
                    if matches!(line, SettingsLine::Org { .. }) { "Organisation " } else { "  ★ stack " };
                pieces.push((Cow::Borrowed(label), theme.label()));
                add(Cow::Borrowed(name.as_deref().unwrap_or(id)), Style::new(), &mut pieces);
                if name.is_some() {
                    pieces.push((Cow::Borrowed("  "), theme.dim()));
                    add(Cow::Borrowed(id), theme.dim(), &mut pieces);
                }
            }
            SettingsLine::Note(t) => add(Cow::Owned(format!("  {t}")), theme.dim(), &mut pieces),
        }
        let width = if y + 1 == area.bottom() { area.width.saturating_sub(indicator) } else { area.width };
        draw_pieces(buf, area.x, y, width, &pieces);
        if selected && focused {
            buf.set_style(Rect::new(area.x, y, area.width, 1), theme.selected());
        }
    }
}

/// The Stacks tab's column widths after the marker: name, API key, organisation, owner,
/// roles, created, with a space between each. Under 64 columns the creation date (in the
/// details, `i`) gives its room to the names.
fn stack_columns(width: usize) -> Vec<usize> {
    const OWNER: usize = 3;
    const ROLES: usize = 5;
    let created = if width >= 64 { 10 } else { 0 };
    let fixed = 2 + OWNER + ROLES + 4 + if created > 0 { created + 1 } else { 0 };
    let rest = width.saturating_sub(fixed);
    let key = if rest >= 3 * UID { UID } else { (rest / 3).max(4) };
    let name = rest.saturating_sub(key) / 2;
    let mut widths = vec![name, key, rest.saturating_sub(key + name), OWNER, ROLES];
    if created > 0 {
        widths.push(created);
    }
    widths
}

pub fn render_stacks(frame: &mut Frame, area: Rect, p: &ProfileState, theme: &Theme, focused: bool) {
    let empty = p.stacks.rows.is_empty().then(|| match &p.stacks.status {
        StacksStatus::Loading => "Loading stacks…".to_string(),
        StacksStatus::Failed(why) => format!("Stacks not loaded (S tries again): {why}"),
        StacksStatus::Loaded => "No stacks: the server listed none and no role names one.".to_string(),
    });
    let Some((buf, area)) = canvas(frame, area, empty, theme) else { return };
    let widths = stack_columns(area.width as usize);
    let mut all = vec![1];
    all.extend(&widths);
    let head = |t: &'static str| vec![(Cow::Borrowed(t), theme.title())];
    let header = [
        head(""),
        head("Stack"),
        head("API key"),
        head(title("Organisation", "Org", widths[2])),
        head("You"),
        head("Roles"),
        head("Created"),
    ];
    let header = &header[..all.len()];
    draw_table(
        buf,
        area,
        &all,
        header,
        &p.stacks.list,
        p.filter.value(),
        theme,
        focused,
        |item, q, selected| {
            let s = p.stacks.rows.get(item)?;
            let cell = |text: &str, style: Style| {
                let mut out = Vec::new();
                highlight(Cow::Owned(text.to_string()), style, q, theme.highlight(), &mut out);
                out
            };
            let name_style = if s.name.is_some() { Style::new() } else { theme.dim() };
            Some(vec![
                vec![(Cow::Borrowed(if selected { "›" } else { " " }), theme.accent())],
                cell(s.shown_name(), name_style),
                cell(&s.key, theme.dim()),
                cell(s.org.as_deref().unwrap_or("—"), Style::new()),
                vec![(Cow::Borrowed(if s.owned { "you" } else { "" }), theme.label())],
                vec![(Cow::Owned(s.roles.len().to_string()), Style::new())],
                vec![(Cow::Owned(crate::text::date(s.created_at.as_deref())), theme.dim())],
            ])
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_keeps_a_share_of_a_narrow_screen() {
        assert_eq!(columns(80), [6, 23, 22, 24]);
        let narrow = columns(40);
        assert!(narrow.iter().all(|&w| w >= 4), "{narrow:?}");
        assert_eq!(narrow.iter().sum::<usize>() + 2 + 3, 40);
    }
}
