//! Draws the permissions view ([`Permissions`]): per stack and module, every right with ✓ or ✗
//! and the roles of that stack that grant it, with their targets.
//!
//! ```text
//!   Website blt444ad44e4d44aa4a · 2 roles
//!     asset · 5 of 6 rights granted
//!       ✓ publish   Developer (assets: $all), Admin (assets: 3 uids)
//!       ✗ purge     not granted by any role · false in Viewer
//! ```
//!
//! A right may have thousands of grantors on a large profile; only as many as fit the width are
//! formatted. Same conventions as the tree widget: `›` and reversed video for the selection,
//! ✓/✗ symbols, underlined filter matches, `…` where text is cut, the position in the list.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

use crate::screens::profile::permissions::ModuleRights;
use crate::screens::profile::permissions::PermRow;
use crate::screens::profile::permissions::Permissions;
use crate::screens::profile::permissions::RightEntry;
use crate::screens::profile::permissions::StackRights;
use crate::screens::profile::tree::Rows;
use crate::ui::theme::Theme;
use crate::ui::widgets::tree::{Piece, draw_pieces, highlight, list_area, position_indicator};

/// Draws `p` into `area`; `focused` decides whether the selection is reversed or only marked.
pub fn render_permissions(p: &Permissions, area: Rect, buf: &mut Buffer, theme: &Theme, focused: bool) {
    let Some(area) =
        list_area(buf, area, p.is_empty(), p.filter(), false, "No permissions in this profile", theme)
    else {
        return;
    };
    let height = area.height as usize;
    let cursor = p.cursor();
    let offset = cursor.offset_for(height, p.len());
    let indicator = position_indicator(buf, area, cursor.selected(), p.len(), theme);
    let query = p.filter().to_lowercase();
    // One column for the grantors of the whole list (not one per module), but within the first
    // third of the row, so a narrow screen still has room for them.
    let column = p.name_width().min((area.width as usize).saturating_sub(6) / 3);
    for (n, i) in (offset..(offset + height).min(p.len())).enumerate() {
        let Some(row) = p.row(i) else { continue };
        let y = area.y + n as u16;
        let selected = i == cursor.selected();
        let width = if n + 1 == height { area.width.saturating_sub(indicator) } else { area.width };
        let mut pieces: Vec<Piece> =
            vec![(Cow::Borrowed(if selected { "› " } else { "  " }), theme.accent())];
        match row {
            PermRow::Stack { stack, matched } => stack_pieces(stack, matched, &query, theme, &mut pieces),
            PermRow::Module { module, matched } => module_pieces(module, matched, &query, theme, &mut pieces),
            PermRow::Right { right, matched, .. } => {
                let q = if matched { query.as_str() } else { "" };
                right_pieces(p, right, q, column, width as usize, theme, &mut pieces);
            }
        }
        draw_pieces(buf, area.x, y, width, &pieces);
        if selected && focused {
            buf.set_style(Rect::new(area.x, y, width, 1), theme.selected());
        }
    }
}

/// `Website blt444ad44e4d44aa4a · 2 roles`: the stack's name (its API key dimmed), or `Stack
/// blt…` when its name is not known.
fn stack_pieces<'a>(
    stack: &'a StackRights,
    matched: bool,
    query: &str,
    theme: &Theme,
    out: &mut Vec<Piece<'a>>,
) {
    let q = if matched { query } else { "" };
    let title = match &stack.name {
        Some(name) => Cow::Borrowed(name.as_str()),
        None if stack.key.is_empty() => Cow::Borrowed("Roles without a stack"),
        None => Cow::Borrowed("Stack"),
    };
    highlight(title, theme.title(), q, theme.highlight(), out);
    if !stack.key.is_empty() {
        out.push((Cow::Borrowed(" "), Style::new()));
        highlight(Cow::Borrowed(stack.key.as_str()), theme.dim(), q, theme.highlight(), out);
    }
    let n = stack.roles.len();
    out.push((Cow::Owned(format!(" · {n} role{}", if n == 1 { "" } else { "s" })), theme.dim()));
}

/// `  asset · 5 of 6 rights granted`.
fn module_pieces<'a>(
    module: &'a ModuleRights,
    matched: bool,
    query: &str,
    theme: &Theme,
    out: &mut Vec<Piece<'a>>,
) {
    out.push((Cow::Borrowed("  "), Style::new()));
    let name = Cow::Borrowed(module.module.as_str());
    if matched {
        highlight(name, theme.title(), query, theme.highlight(), out);
    } else {
        out.push((name, theme.title()));
    }
    let n = module.rights.len();
    let detail =
        format!(" · {} of {n} right{} granted", module.granted_count(), if n == 1 { "" } else { "s" });
    out.push((Cow::Owned(detail), theme.dim()));
}

/// `  ✓ publish   Developer (assets: $all), Admin (assets: 3 uids)`: grantors are added only
/// until the row is full (`width` cells), whatever their number.
fn right_pieces<'a>(
    p: &'a Permissions,
    right: &'a RightEntry,
    query: &str,
    column: usize,
    width: usize,
    theme: &Theme,
    out: &mut Vec<Piece<'a>>,
) {
    let mark: Piece = if right.granted() {
        (Cow::Borrowed("✓"), theme.ok())
    } else {
        (Cow::Borrowed("✗"), theme.error())
    };
    out.push((Cow::Borrowed("    "), Style::new()));
    out.push(mark);
    out.push((Cow::Borrowed(" "), Style::new()));
    highlight(Cow::Borrowed(right.right.as_str()), Style::new(), query, theme.highlight(), out);
    let pad = (column + 3).saturating_sub(right.right.width()).max(2);
    out.push((Cow::Owned(" ".repeat(pad)), Style::new()));
    let full = |out: &Vec<Piece>| out.iter().map(|(t, _)| t.width()).sum::<usize>() > width;
    if !right.granted() {
        out.push((Cow::Borrowed("not granted by any role"), theme.dim()));
        for (k, &role) in right.denied_by.iter().enumerate() {
            if full(out) {
                break;
            }
            out.push((Cow::Borrowed(if k == 0 { " · false in " } else { ", " }), theme.dim()));
            highlight(Cow::Borrowed(p.role_name(role)), theme.dim(), query, theme.highlight(), out);
        }
        return;
    }
    for (k, grant) in right.granted_by.iter().enumerate() {
        if full(out) {
            break;
        }
        if k > 0 {
            out.push((Cow::Borrowed(", "), Style::new()));
        }
        let (role, targets) = p.grant(grant);
        highlight(Cow::Borrowed(role), Style::new(), query, theme.highlight(), out);
        if !targets.is_empty() {
            out.push((Cow::Owned(format!(" ({targets})")), theme.dim()));
        }
    }
}

#[cfg(test)]
mod tests;
