//! A yes/no dialog over the screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use crate::ui::layout::popup;
use crate::ui::text::wrap;
use crate::ui::theme::Theme;

pub struct ConfirmView<'a> {
    pub title: &'a str,
    pub body: &'a str,
    /// `(key, label)` for yes and no, from the keymap.
    pub yes: (String, &'a str),
    pub no: (String, &'a str),
}

/// Asks `title` / `body` with the keys `ctx` binds to `yes` and `no` (each an action and what
/// answering so does), over `area`.
#[allow(clippy::too_many_arguments)]
pub fn ask(
    frame: &mut Frame,
    area: Rect,
    keymap: &crate::app::keymap::Keymap,
    ctx: crate::app::keymap::Context,
    title: &str,
    body: &str,
    yes: (crate::app::keymap::Action, &str),
    no: (crate::app::keymap::Action, &str),
    theme: &Theme,
) {
    let key = |a| keymap.hint(ctx, a).unwrap_or_default();
    let view = ConfirmView { title, body, yes: (key(yes.0), yes.1), no: (key(no.0), no.1) };
    render(frame, area, &view, theme);
}

pub fn render(frame: &mut Frame, area: Rect, view: &ConfirmView, theme: &Theme) {
    let width = 52.min(area.width);
    let body = wrap(view.body, width.saturating_sub(4) as usize);
    let rect = popup(area, width, body.len() as u16 + 4);
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
    let mut text: Vec<Line> = body.into_iter().map(Line::from).collect();
    text.push(Line::from(""));
    text.push(buttons);
    let inner = block.inner(rect).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(text), inner);
}
