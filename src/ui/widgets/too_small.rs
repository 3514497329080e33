//! Shown instead of the app when the terminal is below the minimum size.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::ui::layout::{MIN_HEIGHT, MIN_WIDTH};
use crate::ui::theme::Theme;

/// `quit` is the key that quits from here.
pub fn render(frame: &mut Frame, area: Rect, quit: &str, theme: &Theme) {
    let lines = vec![
        Line::from(Span::styled("Terminal too small", theme.error())),
        Line::from(format!("{}×{} now, {MIN_WIDTH}×{MIN_HEIGHT} needed.", area.width, area.height)),
        Line::from(format!("Enlarge the window, or press {quit} to quit.")),
    ];
    let height = (lines.len() as u16 + 1).min(area.height);
    let inner = area.centered_vertically(Constraint::Length(height));
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center).wrap(Wrap { trim: true }), inner);
}
