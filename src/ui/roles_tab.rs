//! The roles tab: the tree of roles, rules and rights, drawn by the tree widget.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::profile::ProfileState;
use crate::app::tree::Tone;
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, p: &ProfileState, theme: &Theme) {
    if p.tree.is_empty() {
        let text = if p.filter.is_empty() {
            "No stack roles in this profile."
        } else {
            "Nothing matches the filter."
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), area);
        return;
    }
    let cursor = p.tree.cursor();
    let offset = cursor.offset_for(area.height as usize, p.tree.len());
    let mut lines = Vec::new();
    for i in offset..(offset + area.height as usize).min(p.tree.len()) {
        let Some(row) = p.tree.row(i) else { continue };
        let marker = match (row.expandable, row.expanded) {
            (true, true) => "▾ ",
            (true, false) => "▸ ",
            _ => "  ",
        };
        let mut spans = vec![Span::raw("  ".repeat(row.depth)), Span::raw(marker)];
        for part in row.parts {
            let style = match part.tone {
                Tone::Heading => theme.title(),
                Tone::Plain => theme.label(),
                Tone::Detail => theme.dim(),
                Tone::Granted => theme.ok(),
                Tone::Denied => theme.error(),
            };
            spans.push(Span::styled(
                part.text.into_owned(),
                if row.matched { style.patch(theme.highlight()) } else { style },
            ));
        }
        let line = Line::from(spans);
        lines.push(if i == cursor.selected() { line.style(theme.selected()) } else { line });
    }
    frame.render_widget(Paragraph::new(lines), area);
}
