//! The status bar (who, where, what is running) and the key hints line above it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::spinner;
use crate::app::state::App;
use crate::ui::format::short_endpoint;
use crate::ui::theme::Theme;
use crate::ui::widgets::tree::{Piece, draw_pieces};

pub use crate::app::keymap::hint::Hint;

/// Draws as many hints as fit, in order.
pub fn render_hints(frame: &mut Frame, area: Rect, hints: &[Hint], theme: &Theme) {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for h in hints {
        let w = h.key.width() + 1 + h.label.width() + 2;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(h.key.clone(), theme.key()));
        spans.push(Span::styled(format!(" {}  ", h.label), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The bottom line: spinner and what runs, the user, the region; `right` (a help hint when
/// there is no hints line) at the right edge. On a narrow terminal the region shortens to its
/// id, then the app's name goes, so the user and the region always show.
pub fn render_status(frame: &mut Frame, area: Rect, app: &App, right: Option<Hint>, theme: &Theme) {
    let bar = theme.status_bar();
    let right_spans = right
        .map(|h| {
            vec![
                Span::styled(h.key, bar.add_modifier(Modifier::BOLD)),
                Span::styled(format!(" {} ", h.label), bar),
            ]
        })
        .unwrap_or_default();
    let right_width: usize = right_spans.iter().map(|s| s.content.width()).sum();
    let width = area.width as usize;
    // Items, with a `│` between two (never before the first: the bar starts with what it says).
    let build = |brand: bool, long_region: bool| -> Vec<Span<'static>> {
        let mut items: Vec<(String, ratatui::style::Style)> = Vec::new();
        if brand {
            items.push(("cs-account".into(), bar.add_modifier(Modifier::BOLD)));
        }
        if let Some(label) = app.busy_label() {
            items.push((format!("{} {label}", spinner::frame(app.spinner)), bar));
        }
        if let Some(s) = &app.session {
            items.push((s.email.clone(), bar));
        }
        let region = if long_region { app.endpoint.label() } else { short_endpoint(&app.endpoint) };
        items.push((region, bar));
        let mut left = Vec::new();
        for (i, (text, style)) in items.into_iter().enumerate() {
            let sep = if i == 0 { " " } else { "│ " };
            left.push(Span::styled(format!("{sep}{text} "), style));
        }
        left
    };
    let fits = |spans: &[Span]| spans.iter().map(|s| s.content.width()).sum::<usize>() + right_width <= width;
    let candidates = [build(true, true), build(true, false), build(false, false)];
    let mut left = candidates.iter().find(|c| fits(c)).cloned().unwrap_or_else(|| build(false, false));
    let left_width: usize = left.iter().map(|s| s.content.width()).sum();
    left.push(Span::styled(" ".repeat(width.saturating_sub(left_width + right_width)), bar));
    if left_width + right_width <= width {
        left.extend(right_spans);
    }
    // Still too wide (a long email on a narrow screen): cut with `…`, never silently.
    let buf = frame.buffer_mut();
    let area = area.intersection(buf.area);
    buf.set_style(area, bar);
    let pieces: Vec<Piece> = left.into_iter().map(|s| (s.content, s.style)).collect();
    draw_pieces(buf, area.x, area.y, area.width, &pieces);
}
