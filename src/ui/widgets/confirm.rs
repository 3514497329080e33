//! A yes/no dialog over the screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use crate::ui::layout::popup;
use crate::ui::theme::Theme;

pub struct ConfirmView<'a> {
    pub title: &'a str,
    pub body: &'a str,
    /// `(key, label)` for yes and no, from the keymap.
    pub yes: (String, &'a str),
    pub no: (String, &'a str),
}

pub fn render(frame: &mut Frame, area: Rect, view: &ConfirmView, theme: &Theme) {
    let width = 52.min(area.width);
    let body_lines = textwrap_len(view.body, width.saturating_sub(4) as usize);
    let rect = popup(area, width, body_lines as u16 + 5);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.warn())
        .title(Span::styled(format!(" {} ", view.title), theme.title()));
    let buttons = Line::from(vec![
        Span::styled(format!("[{}]", view.yes.0), theme.key()),
        Span::raw(format!(" {}   ", view.yes.1)),
        Span::styled(format!("[{}]", view.no.0), theme.key()),
        Span::raw(format!(" {}", view.no.1)),
    ]);
    let text = vec![Line::from(view.body.to_string()), Line::from(""), buttons];
    let inner = block.inner(rect).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
}

/// Lines `text` takes when word-wrapped at `width` (an estimate good enough to size a box).
pub fn textwrap_len(text: &str, width: usize) -> usize {
    if width == 0 {
        return 1;
    }
    let mut lines = 1;
    let mut col = 0;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if col > 0 && col + 1 + w > width {
            lines += 1;
            col = 0;
        }
        col += if col > 0 { 1 + w } else { w };
        while col > width {
            lines += 1;
            col -= width;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_estimate() {
        assert_eq!(textwrap_len("one two three", 20), 1);
        assert_eq!(textwrap_len("one two three", 8), 2);
        assert_eq!(textwrap_len("abcdefghij", 4), 3);
    }
}
