//! The log-in screen: the form (or the 2FA step) in a card, the active region always on it, the
//! error beside the fields, and in demo mode the demo logins next to it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use super::login_side;
use super::widgets::confirm::textwrap_len;
use super::widgets::field::{self, FieldView};
use super::widgets::spinner;
use crate::app::field::TextField;
use crate::app::keymap::{Action, Context};
use crate::app::login::{Focus, LoginState, Method};
use crate::app::state::{App, RequestKind};
use crate::ui::theme::Theme;

/// Width of the label column (`▸ Password  `).
const LABEL: u16 = 12;
/// The card's widest, so the form does not sprawl on wide terminals.
const CARD_MAX_WIDTH: u16 = 62;

pub fn render(frame: &mut Frame, area: Rect, app: &App, l: &LoginState) {
    let (form_area, side) = login_side::split(area, app);
    let lines_needed = content_height(app, l, form_area.width.saturating_sub(4), true);
    let roomy = lines_needed + 2 <= form_area.height;
    let needed = if roomy { lines_needed } else { content_height(app, l, form_area.width.saturating_sub(4), false) };
    let card = form_area.centered(
        Constraint::Length(CARD_MAX_WIDTH.min(form_area.width)),
        Constraint::Length((needed + 2).min(form_area.height)),
    );
    let title = if l.tfa.is_some() { " Two-factor authentication " } else { " Log in to Contentstack " };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(app.theme.accent())
        .title(Span::styled(title, app.theme.title()));
    let inner = block.inner(card).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, card);
    if l.tfa.is_some() {
        render_tfa(frame, inner, app, l, roomy);
    } else {
        render_form(frame, inner, app, l, roomy);
    }
    if let Some(side) = side {
        login_side::render(frame, side, app);
    }
    if let Some(picker) = &l.picker {
        super::region_picker::render(frame, area, app, picker);
    }
}

/// Lines the card's content needs at `width`, roomy (with spacing) or compact.
fn content_height(app: &App, l: &LoginState, width: u16, roomy: bool) -> u16 {
    let status = status_lines(app, l, width);
    let base = match (&l.tfa, l.method) {
        (Some(_), _) => {
            let msg = l.tfa.as_ref().map(|t| textwrap_len(&t.server_message, width as usize)).unwrap_or(1) as u16;
            if roomy { 6 + msg } else { 3 + msg.min(2) }
        }
        (None, Method::Password) => {
            if roomy {
                11
            } else {
                6
            }
        }
        (None, Method::Token) => {
            if roomy {
                10
            } else {
                5
            }
        }
    };
    base + status + u16::from(app.demo.is_some() && !login_side::has_room(app))
}

/// The error or busy line(s) under the fields.
fn status_lines(app: &App, l: &LoginState, width: u16) -> u16 {
    if let Some(e) = &l.error {
        1 + textwrap_len(&e.message, width.saturating_sub(2) as usize) as u16
    } else if busy_label(app).is_some() {
        1
    } else {
        0
    }
}

fn busy_label(app: &App) -> Option<&'static str> {
    app.pending.values().rev().find(|k| k.on_login_screen()).map(RequestKind::label)
}

/// Stacks rows top to bottom, skipping spacers when compact.
struct Rows {
    area: Rect,
    y: u16,
    roomy: bool,
}

impl Rows {
    fn next(&mut self, height: u16) -> Option<Rect> {
        if self.y + height > self.area.bottom() {
            return None;
        }
        let r = Rect::new(self.area.x, self.y, self.area.width, height);
        self.y += height;
        Some(r)
    }

    fn space(&mut self) {
        if self.roomy && self.y < self.area.bottom() {
            self.y += 1;
        }
    }

    fn rest(&self) -> Rect {
        Rect::new(self.area.x, self.y, self.area.width, self.area.bottom().saturating_sub(self.y))
    }
}

fn label<'a>(text: &'a str, focused: bool, theme: &Theme) -> Vec<Span<'a>> {
    let marker = if focused { Span::styled("▸ ", theme.accent()) } else { Span::raw("  ") };
    let style = if focused { theme.accent() } else { theme.label() };
    vec![marker, Span::styled(format!("{text:<width$}", width = LABEL as usize - 2), style)]
}

/// A label, then a text field, then an optional key hint at the right.
fn field_row(frame: &mut Frame, row: Rect, text: &str, view: &FieldView, hint: Option<String>, theme: &Theme) {
    let hint_width = hint.as_ref().map(|h| h.chars().count() as u16 + 1).unwrap_or(0);
    let [lab, value, right] =
        Layout::horizontal([Constraint::Length(LABEL), Constraint::Min(4), Constraint::Length(hint_width)]).areas(row);
    frame.render_widget(Paragraph::new(Line::from(label(text, view.focused, theme))), lab);
    field::render(frame, value, view, theme);
    if let Some(h) = hint {
        frame.render_widget(Paragraph::new(Span::styled(format!(" {h}"), theme.dim())), right);
    }
}

fn key(app: &App, ctx: Context, action: Action) -> Option<String> {
    // On the form a text field usually has focus, so prefer a key that does not type.
    app.keymap.keys(ctx, action).iter().find(|k| !k.is_text()).map(|k| k.pretty())
}

fn render_form(frame: &mut Frame, area: Rect, app: &App, l: &LoginState, roomy: bool) {
    let t = &app.theme;
    let mut rows = Rows { area, y: area.y, roomy };
    if let Some(r) = rows.next(1) {
        let mut spans = label("Region", l.focus == Focus::Region, t);
        spans.push(Span::styled(app.endpoint.label(), t.title()));
        if let Some(k) = key(app, Context::Login, Action::ChooseRegion) {
            spans.push(Span::styled(format!("  {k} change"), t.dim()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    if roomy && let Some(r) = rows.next(1) {
        let spans = vec![Span::raw(" ".repeat(LABEL as usize)), Span::styled(app.endpoint.origin(), t.dim())];
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    rows.space();
    if let Some(r) = rows.next(1) {
        let choice = |on: bool, text: &'static str| {
            Span::styled(format!("{} {text}  ", if on { "●" } else { "○" }), if on { t.title() } else { t.label() })
        };
        let mut spans = label("With", false, t);
        spans.push(choice(l.method == Method::Password, "Password"));
        spans.push(choice(l.method == Method::Token, "Authtoken"));
        if let Some(k) = key(app, Context::Login, Action::SwitchMethod) {
            spans.push(Span::styled(k, t.dim()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    rows.space();
    let reveal = key(app, Context::Login, Action::ToggleSecret)
        .map(|k| format!("{k} {}", if l.reveal { "hide" } else { "show" }));
    fn view<'a>(l: &LoginState, field: &'a TextField, focus: Focus, placeholder: &'a str) -> FieldView<'a> {
        FieldView { field, focused: l.focus == focus && l.picker.is_none(), reveal: l.reveal, placeholder }
    }
    match l.method {
        Method::Password => {
            if let Some(r) = rows.next(1) {
                field_row(frame, r, "Email", &view(l, &l.email, Focus::Email, "you@example.com"), None, t);
            }
            if let Some(r) = rows.next(1) {
                field_row(frame, r, "Password", &view(l, &l.password, Focus::Password, ""), reveal, t);
            }
        }
        Method::Token => {
            if let Some(r) = rows.next(1) {
                field_row(frame, r, "Authtoken", &view(l, &l.token, Focus::Token, "paste it here"), reveal, t);
            }
        }
    }
    rows.space();
    if app.can_remember
        && let Some(r) = rows.next(1)
    {
        let mut spans = label("", l.focus == Focus::Remember, t);
        spans.truncate(1);
        let style = if l.focus == Focus::Remember { t.accent() } else { t.label() };
        spans.push(Span::styled(format!("[{}] Remember me on this computer", if l.remember { "x" } else { " " }), style));
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    rows.space();
    if let Some(r) = rows.next(1) {
        let focused = l.focus == Focus::Submit;
        let style = if focused { t.selected() } else { t.accent() };
        let submit = key(app, Context::Login, Action::Submit).unwrap_or_default();
        let spans = vec![
            Span::raw(" ".repeat(LABEL as usize)),
            Span::styled(" Log in ", style),
            Span::styled(format!("  {submit}"), t.dim()),
        ];
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    if app.demo.is_some()
        && !login_side::has_room(app)
        && let Some(r) = rows.next(1)
    {
        login_side::render_inline(frame, r, app);
    }
    render_status(frame, rows.rest(), app, l);
}

fn render_tfa(frame: &mut Frame, area: Rect, app: &App, l: &LoginState, roomy: bool) {
    let t = &app.theme;
    let Some(tfa) = &l.tfa else { return };
    let mut rows = Rows { area, y: area.y, roomy };
    if let Some(r) = rows.next(1) {
        let spans = vec![
            Span::styled(tfa.email.clone(), t.title()),
            Span::styled(format!(" · {}", app.endpoint.label()), t.dim()),
        ];
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    rows.space();
    let msg_lines = textwrap_len(&tfa.server_message, area.width as usize) as u16;
    let msg_lines = if roomy { msg_lines } else { msg_lines.min(2) };
    if let Some(r) = rows.next(msg_lines.max(1)) {
        let text = if tfa.server_message.is_empty() {
            "Enter the code from your authenticator app.".to_string()
        } else {
            tfa.server_message.clone()
        };
        frame.render_widget(Paragraph::new(Span::styled(text, t.label())).wrap(Wrap { trim: true }), r);
    }
    rows.space();
    if let Some(r) = rows.next(1) {
        let view = FieldView { field: &tfa.code, focused: true, reveal: true, placeholder: "123456" };
        let [row, _] = Layout::horizontal([Constraint::Length(LABEL + 10), Constraint::Min(0)]).areas(r);
        field_row(frame, row, "Code", &view, None, t);
    }
    rows.space();
    if let Some(r) = rows.next(1) {
        let line = if tfa.sms_sent {
            Line::from(Span::styled("✓ A code was sent by SMS: enter it above.", t.ok()))
        } else {
            let k = key(app, Context::Tfa, Action::RequestSms).unwrap_or_default();
            Line::from(vec![Span::styled("No app at hand? ", t.dim()), Span::styled(k, t.key()), Span::styled(" sends it by SMS.", t.dim())])
        };
        frame.render_widget(Paragraph::new(line), r);
    }
    render_status(frame, rows.rest(), app, l);
}

/// The error (title and sentence) or what is running, under the fields.
fn render_status(frame: &mut Frame, area: Rect, app: &App, l: &LoginState) {
    if area.height == 0 {
        return;
    }
    let t = &app.theme;
    let area = if area.height > status_lines(app, l, area.width) && l.error.is_some() {
        // A spacer above the error when there is room for it.
        Rect { y: area.y + 1, height: area.height - 1, ..area }
    } else {
        area
    };
    let lines = if let Some(e) = &l.error {
        vec![
            Line::from(vec![Span::styled("✗ ", t.error()), Span::styled(e.title.clone(), t.error())]),
            Line::from(Span::raw(e.message.clone())),
        ]
    } else if let Some(label) = busy_label(app) {
        vec![Line::from(Span::styled(format!("{} {label}", spinner::frame(app.spinner)), t.accent()))]
    } else {
        return;
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}
