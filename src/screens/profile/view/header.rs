//! The profile's header: who the user is, on as many lines as the screen allows. The first line
//! is always the name and email; the rest flow into the lines there are, most useful first.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

use crate::api::User;
use crate::text::time;
use crate::ui::format::{or_dash, yes_no};
use crate::ui::theme::Theme;
use crate::ui::widgets::tree::{Piece, draw_pieces};

/// The header's `label value` items, in the order they flow.
pub fn items(user: &User) -> Vec<(&'static str, String)> {
    vec![
        ("Company", or_dash(user.company.as_deref()).to_string()),
        ("Mobile", user.mobile().unwrap_or_else(|| "—".into())),
        ("2FA", or_dash(user.tfa_status.as_deref()).to_string()),
        ("Active", yes_no(user.active).to_string()),
        ("Failed attempts", user.failed_attempts.map(|n| n.to_string()).unwrap_or_else(|| "—".into())),
        ("Last login", time(user.last_login_at.as_deref())),
        ("Password updated", time(user.password_updated_at.as_deref())),
        ("Reset required", yes_no(user.password_reset_required).to_string()),
        ("Created", time(user.created_at.as_deref())),
        ("Updated", time(user.updated_at.as_deref())),
    ]
}

/// Splits items into lines of at most `width` columns.
fn flow(items: &[(&'static str, String)], width: usize) -> Vec<Vec<usize>> {
    let mut lines: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (i, (label, value)) in items.iter().enumerate() {
        let w = label.width() + 1 + value.width();
        match lines.last_mut() {
            Some(line) if used + 3 + w <= width => {
                line.push(i);
                used += 3 + w;
            }
            _ => {
                lines.push(vec![i]);
                used = w;
            }
        }
    }
    lines
}

pub fn render(frame: &mut Frame, area: Rect, user: &User, theme: &Theme) {
    let buf = frame.buffer_mut();
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    // Every line is cut with `…` where it does not fit (a long name, email or username).
    let mut first: Vec<Piece> = vec![(Cow::Owned(user.display_name()), theme.title())];
    if user.display_name() != user.email {
        first.push((Cow::Borrowed("  "), theme.dim()));
        first.push((Cow::Borrowed(user.email.as_str()), Style::new()));
    }
    if let Some(u) = user.username.as_deref().filter(|u| !u.is_empty()) {
        first.push((Cow::Owned(format!("  @{u}")), theme.dim()));
    }
    draw_pieces(buf, area.x, area.y, area.width, &first);
    let items = items(user);
    let lines = flow(&items, area.width as usize).into_iter().take(area.height as usize - 1);
    for (n, line) in lines.enumerate() {
        let mut pieces: Vec<Piece> = Vec::new();
        for (k, i) in line.into_iter().enumerate() {
            if k > 0 {
                pieces.push((Cow::Borrowed(" · "), theme.dim()));
            }
            let (label, value) = &items[i];
            pieces.push((Cow::Owned(format!("{label} ")), theme.label()));
            pieces.push((Cow::Borrowed(value.as_str()), Style::new()));
        }
        draw_pieces(buf, area.x, area.y + 1 + n as u16, area.width, &pieces);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_flow_within_the_width() {
        let items = vec![("A", "1".to_string()), ("B", "22".to_string()), ("C", "333".to_string())];
        assert_eq!(flow(&items, 12), vec![vec![0, 1], vec![2]]);
        assert_eq!(flow(&items, 3), vec![vec![0], vec![1], vec![2]]);
    }
}
