//! Notices and errors, stacked at the bottom right above the status bar, newest lowest. Each
//! starts with a word or mark as well as a colour, so its kind survives NO_COLOR.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph};

use crate::app::state::{Toast, ToastLevel};
use crate::ui::text::wrap;
use crate::ui::theme::Theme;

fn prefix(level: ToastLevel) -> &'static str {
    match level {
        ToastLevel::Info => "ℹ ",
        ToastLevel::Success => "✓ ",
        ToastLevel::Warning => "Warning: ",
        ToastLevel::Error => "Error: ",
    }
}

pub fn render(frame: &mut Frame, area: Rect, toasts: &[Toast], theme: &Theme) {
    let width = 50.min(area.width);
    let inner_width = width.saturating_sub(4) as usize;
    let mut bottom = area.bottom();
    for toast in toasts.iter().rev() {
        let lines = wrap(&format!("{}{}", prefix(toast.level), toast.text), inner_width);
        let height = (lines.len() as u16 + 2).min(area.height / 2).max(3);
        if bottom < area.y + height {
            break;
        }
        let rect = Rect::new(area.right() - width, bottom - height, width, height);
        bottom -= height;
        let style = match toast.level {
            ToastLevel::Info => theme.accent(),
            ToastLevel::Success => theme.ok(),
            ToastLevel::Warning => theme.warn(),
            ToastLevel::Error => theme.error(),
        };
        frame.render_widget(Clear, rect);
        // The first line starts with the prefix, styled like the border.
        let text: Vec<Line> = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| match l.strip_prefix(prefix(toast.level)) {
                Some(rest) if i == 0 => {
                    Line::from(vec![Span::styled(prefix(toast.level), style), Span::raw(rest.to_string())])
                }
                _ => Line::from(l),
            })
            .collect();
        let para = Paragraph::new(text).block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .border_style(style)
                .padding(Padding::horizontal(1)),
        );
        frame.render_widget(para, rect);
    }
}
