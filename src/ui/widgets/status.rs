//! The status bar (who, where, what is running) and the key hints line above it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::spinner;
use crate::app::state::App;
use crate::ui::theme::Theme;

/// One hint: the key as shown and what it does.
pub struct Hint {
    pub key: String,
    pub label: &'static str,
}

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
/// there is no hints line) at the right edge.
pub fn render_status(frame: &mut Frame, area: Rect, app: &App, right: Option<Hint>, theme: &Theme) {
    let bar = theme.status_bar();
    let mut left: Vec<Span> = vec![Span::styled(" cs-account ", bar.add_modifier(Modifier::BOLD))];
    if let Some(label) = app.busy_label() {
        left.push(Span::styled(format!(" {} {label} ", spinner::frame(app.spinner)), bar));
    }
    if let Some(s) = &app.session {
        left.push(Span::styled(format!("│ {} ", s.email), bar));
    }
    left.push(Span::styled(format!("│ {} ", app.endpoint.label()), bar));
    let right_spans = right
        .map(|h| vec![Span::styled(h.key, bar.add_modifier(Modifier::BOLD)), Span::styled(format!(" {} ", h.label), bar)])
        .unwrap_or_default();
    let right_width: usize = right_spans.iter().map(|s| s.content.width()).sum();
    let left_width: usize = left.iter().map(|s| s.content.width()).sum();
    let pad = (area.width as usize).saturating_sub(left_width + right_width);
    let mut spans = left;
    spans.push(Span::styled(" ".repeat(pad), bar));
    if left_width + right_width <= area.width as usize {
        spans.extend(right_spans);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(bar), area);
}
