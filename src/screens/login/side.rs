//! The demo panel beside the log-in form: the demo accounts, the 2FA demo user's current code
//! and its secret, and the key that fills the form. On a narrow screen it shrinks to one line
//! inside the form.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::ui::text::wrap;
use crate::ui::theme::Theme;

/// The panel goes beside the form from this width on.
const SIDE_FROM_WIDTH: u16 = 78;
/// Wide enough for the 32-character TOTP secret on one line.
const SIDE_WIDTH: u16 = 34;

/// Whether the panel fits beside the form.
pub fn has_room(app: &App) -> bool {
    app.viewport.0 >= SIDE_FROM_WIDTH
}

/// Splits the screen into the form's area and, in demo mode with room, the panel's.
pub fn split(area: Rect, app: &App) -> (Rect, Option<Rect>) {
    if app.demo.is_none() || !has_room(app) {
        return (area, None);
    }
    let [form, side] = Layout::horizontal([Constraint::Min(40), Constraint::Length(SIDE_WIDTH)]).areas(area);
    (form, Some(side))
}

fn fill_key(app: &App) -> Option<String> {
    app.keymap.keys(Context::Login, Action::FillDemo).iter().find(|k| !k.is_text()).map(|k| k.pretty())
}

/// The panel.
pub fn render(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let Some(demo) = &app.demo else { return };
    let width = area.width.saturating_sub(2) as usize;
    let indented = |text: &str, style| -> Vec<Line<'static>> {
        wrap(text, width.saturating_sub(2))
            .into_iter()
            .map(|l| Line::from(Span::styled(format!("  {l}"), style)))
            .collect()
    };
    let mut lines: Vec<Line> = Vec::new();
    for login in &demo.logins {
        lines.push(Line::from(Span::styled(login.email.clone(), t.accent())));
        if !login.password.is_empty() {
            lines.push(Line::from(vec![
                Span::styled("  password ", t.dim()),
                Span::raw(login.password.clone()),
            ]));
        }
        lines.extend(indented(&login.note, t.dim()));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled("2FA code now  ", t.label()),
        Span::styled(demo.code.clone().unwrap_or_else(|| "…".into()), t.title()),
    ]));
    lines.push(Line::from(Span::styled("TOTP secret", t.label())));
    lines.push(Line::from(Span::styled(demo.tfa_secret.clone(), t.dim())));
    if let Some(k) = fill_key(app) {
        lines.push(Line::from(""));
        lines.push(Line::from(vec![Span::styled(k, t.key()), Span::styled(" fills the form", t.dim())]));
    }
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.dim())
        .title(Span::styled(" Demo server ", t.title()));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The one-line version, inside the form.
pub fn render_inline(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let Some(demo) = &app.demo else { return };
    let mut spans = vec![Span::styled("Demo: ", t.label())];
    if let Some(k) = fill_key(app) {
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::styled(" fills a login", t.dim()));
    }
    if let Some(code) = &demo.code {
        spans.push(Span::styled(format!(" · 2FA {code}"), t.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
