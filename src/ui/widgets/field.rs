//! Drawing a one-line text field: the value (masked for secrets unless revealed), scrolled so
//! the cursor stays visible, a placeholder when empty, and the terminal cursor when focused.
//! tui-input draws nothing itself, so this is the app's job.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthChar;

use crate::app::field::TextField;
use crate::ui::theme::Theme;

/// The character a masked field shows for each character typed.
pub const MASK: char = '•';

pub struct FieldView<'a> {
    pub field: &'a TextField,
    pub focused: bool,
    /// Show a secret in clear.
    pub reveal: bool,
    pub placeholder: &'a str,
}

/// Draws the field's value in `area` (one line) and places the cursor when focused.
pub fn render(frame: &mut Frame, area: Rect, view: &FieldView, theme: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = area.width as usize;
    let base = if view.focused {
        Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::UNDERLINED)
    };
    let masked = view.field.is_secret() && !view.reveal;
    let scroll = view.field.visual_scroll(width);
    let line = if view.field.is_empty() {
        Line::from(vec![
            Span::styled(view.placeholder.to_string(), theme.dim().patch(base)),
            Span::styled(" ".repeat(width.saturating_sub(view.placeholder.chars().count())), base),
        ])
    } else {
        let shown = if masked {
            visible_mask(view.field.char_count(), scroll, width)
        } else {
            visible(view.field.value(), scroll, width)
        };
        let pad = width.saturating_sub(shown.chars().map(|c| c.width().unwrap_or(0)).sum());
        Line::from(vec![Span::styled(shown, base), Span::styled(" ".repeat(pad), base)])
    };
    frame.render_widget(Paragraph::new(line), area);
    if view.focused {
        let col = view.field.visual_cursor().saturating_sub(scroll).min(width.saturating_sub(1));
        frame.set_cursor_position(Position::new(area.x + col as u16, area.y));
    }
}

fn visible_mask(count: usize, scroll: usize, width: usize) -> String {
    std::iter::repeat_n(MASK, count.saturating_sub(scroll).min(width)).collect()
}

/// The part of `value` that fits in `width` columns after skipping `scroll` columns.
fn visible(value: &str, scroll: usize, width: usize) -> String {
    let mut skipped = 0;
    let mut used = 0;
    let mut out = String::new();
    for c in value.chars() {
        let w = c.width().unwrap_or(0);
        if skipped < scroll {
            skipped += w;
            continue;
        }
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_window() {
        assert_eq!(visible("hello world", 6, 3), "wor");
        assert_eq!(visible("日本語", 2, 4), "本語");
        assert_eq!(visible_mask(10, 6, 8), "••••");
    }
}
