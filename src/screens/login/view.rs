//! The log-in screen: the form (or the 2FA step) in a card, the active region always on it, the
//! error beside the fields, and in demo mode the demo logins next to it.

use crate::app::field::TextField;
use crate::app::keymap::{Action, Context};
use crate::app::request::Pending;
use crate::app::state::App;
use crate::app::update::can_cancel;
use crate::screens::login::Focus;
use crate::screens::login::LoginState;
use crate::screens::login::Method;
use crate::ui::text::{wrap, wrapped_len};
use crate::ui::theme::Theme;
use crate::ui::widgets::field::{self, FieldView};
use crate::ui::widgets::spinner;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Width of the label column (`▸ Password  `).
pub(crate) const LABEL: u16 = 12;
/// The card's widest, so the form does not sprawl on wide terminals.
const CARD_MAX_WIDTH: u16 = 62;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, l: &LoginState) {
    let (form_area, side) = crate::screens::login::side::split(area, app);
    let card_width = CARD_MAX_WIDTH.min(form_area.width);
    // Inside the border and the one-column margin on each side.
    let inner_width = card_width.saturating_sub(4);
    let lines_needed = content_height(app, theme, l, inner_width, true, true);
    let roomy = lines_needed + 2 <= form_area.height;
    // The ways to the other flows go before the spacing, and before an error's last lines.
    let ways = roomy || content_height(app, theme, l, inner_width, false, true) + 2 <= form_area.height;
    let needed = if roomy { lines_needed } else { content_height(app, theme, l, inner_width, false, ways) };
    let card = form_area
        .centered(Constraint::Length(card_width), Constraint::Length((needed + 2).min(form_area.height)));
    let title = if l.tfa.is_some() { "Two-factor authentication" } else { "Log in to Contentstack" };
    let inner = crate::ui::widgets::card::boxed(frame, card, title, theme);
    if l.tfa.is_some() {
        crate::screens::login::tfa::render(frame, inner, app, theme, l, roomy);
    } else {
        render_form(frame, inner, app, theme, l, roomy, ways);
    }
    if let Some(side) = side {
        crate::screens::login::side::render(frame, side, app, theme);
    }
    if let Some(picker) = &l.picker {
        crate::screens::login::region_picker::render(frame, area, app, theme, picker);
    }
}

/// Lines the card's content needs at `width`, roomy (with spacing) or compact.
fn content_height(app: &App, theme: &Theme, l: &LoginState, width: u16, roomy: bool, ways: bool) -> u16 {
    let status = status_lines(app, l, width);
    let status = status + u16::from(roomy && status > 0);
    let base = match (&l.tfa, l.method) {
        (Some(_), _) => {
            let msg =
                l.tfa.as_ref().map(|t| wrapped_len(&t.server_message, width as usize)).unwrap_or(1) as u16;
            if roomy { 6 + msg } else { 3 + msg.min(2) }
        }
        // Region, (origin), the method, the fields, remember me, the button; compact keeps
        // the region, the fields and the button.
        (None, method) => {
            let fields = if method == Method::Password { 2 } else { 1 };
            let remember = u16::from(app.can_remember);
            if roomy {
                6 + u16::from(origin_fits(app, width)) + fields + 2 * remember
            } else {
                2 + fields + remember
            }
        }
    };
    let ways = if ways && l.tfa.is_none() { ways_out(app, theme, width).len() as u16 } else { 0 };
    base + status
        + u16::from(app.demo.is_some() && !crate::screens::login::side::has_room(app))
        + ways
        + u16::from(roomy && ways > 0)
}

/// The ways to the other flows, under the button: "Sign in with browser (SSO)", "Forgot
/// password?", "Activate account" and, in demo mode, the mailbox, each with its key, flowed
/// over as many lines as `width` needs.
fn ways_out(app: &App, t: &Theme, width: u16) -> Vec<Line<'static>> {
    let mut items = Vec::new();
    for (action, label) in [
        (Action::BrowserSignIn, "Sign in with browser (SSO)"),
        (Action::ForgotPassword, "Forgot password?"),
        (Action::ActivateAccount, "Activate account"),
    ] {
        if let Some(k) = key(app, Context::Login, action) {
            items.push((label, k));
        }
    }
    if app.demo_endpoint.is_some()
        && let Some(k) = key(app, Context::Login, Action::OpenMailbox)
    {
        items.push(("Mailbox", k));
    }
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (label, k) in items {
        let w = label.chars().count() + 1 + k.chars().count();
        if used > 0 && used + 3 + w > width as usize {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if used > 0 {
            spans.push(Span::raw("   "));
            used += 3;
        }
        spans.push(Span::styled(label, t.label()));
        spans.push(Span::styled(format!(" {k}"), t.key()));
        used += w;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

/// Whether the API's address fits under the region name.
fn origin_fits(app: &App, width: u16) -> bool {
    LABEL as usize + app.endpoint.origin().chars().count() <= width as usize
}

/// The error or busy line(s) under the fields.
fn status_lines(app: &App, l: &LoginState, width: u16) -> u16 {
    if let Some(e) = &l.error {
        1 + wrapped_len(&e.message, width as usize) as u16
    } else if busy_label(app).is_some() && l.tfa.is_some() {
        1
    } else {
        0
    }
}

fn busy_label(app: &App) -> Option<&'static str> {
    app.pending.values().rev().find(|k| k.on_login_screen()).map(Pending::label)
}

/// Stacks rows top to bottom, skipping spacers when compact.
pub(crate) struct Rows {
    pub(crate) area: Rect,
    pub(crate) y: u16,
    pub(crate) roomy: bool,
}

impl Rows {
    pub(crate) fn next(&mut self, height: u16) -> Option<Rect> {
        if self.y + height > self.area.bottom() {
            return None;
        }
        let r = Rect::new(self.area.x, self.y, self.area.width, height);
        self.y += height;
        Some(r)
    }

    pub(crate) fn space(&mut self) {
        if self.roomy && self.y < self.area.bottom() {
            self.y += 1;
        }
    }

    pub(crate) fn rest(&self) -> Rect {
        Rect::new(self.area.x, self.y, self.area.width, self.area.bottom().saturating_sub(self.y))
    }
}

fn label<'a>(text: &'a str, focused: bool, theme: &Theme) -> Vec<Span<'a>> {
    let marker = if focused { Span::styled("▸ ", theme.accent()) } else { Span::raw("  ") };
    let style = if focused { theme.accent() } else { theme.label() };
    vec![marker, Span::styled(format!("{text:<width$}", width = LABEL as usize - 2), style)]
}

/// A label, then a text field, then an optional key hint at the right.
pub(crate) fn field_row(
    frame: &mut Frame,
    row: Rect,
    text: &str,
    view: &FieldView,
    hint: Option<String>,
    theme: &Theme,
) {
    let hint_width = hint.as_ref().map(|h| h.chars().count() as u16 + 1).unwrap_or(0);
    let [lab, value, right] =
        Layout::horizontal([Constraint::Length(LABEL), Constraint::Min(4), Constraint::Length(hint_width)])
            .areas(row);
    frame.render_widget(Paragraph::new(Line::from(label(text, view.focused, theme))), lab);
    field::render(frame, value, view, theme);
    if let Some(h) = hint {
        frame.render_widget(Paragraph::new(Span::styled(format!(" {h}"), theme.dim())), right);
    }
}

/// Adds a hint at the end of a row only if the whole row still fits: hints are the first thing
/// to go on a narrow screen (the footer and help still show them).
fn push_if_fits<'a>(spans: &mut Vec<Span<'a>>, hint: Span<'a>, width: u16) {
    let used: usize = spans.iter().map(|s| s.width()).sum();
    if used + hint.width() <= width as usize {
        spans.push(hint);
    }
}

pub(crate) fn key(app: &App, ctx: Context, action: Action) -> Option<String> {
    // On the form a text field usually has focus, so prefer a key that does not type.
    app.keymap.keys(ctx, action).iter().find(|k| !k.is_text()).map(|k| k.pretty())
}

fn render_form(frame: &mut Frame, area: Rect, app: &App, t: &Theme, l: &LoginState, roomy: bool, ways: bool) {
    let mut rows = Rows { area, y: area.y, roomy };
    if let Some(r) = rows.next(1) {
        let mut spans = label("Region", l.focus == Focus::Region, t);
        let long = LABEL as usize + app.endpoint.label().chars().count() <= r.width as usize;
        let region =
            if long { app.endpoint.label() } else { crate::ui::format::short_endpoint(&app.endpoint) };
        spans.push(Span::styled(region, t.title()));
        if let Some(k) = key(app, Context::Login, Action::ChooseRegion) {
            push_if_fits(&mut spans, Span::styled(format!("  {k} change"), t.dim()), r.width);
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    if roomy
        && origin_fits(app, area.width)
        && let Some(r) = rows.next(1)
    {
        let spans = vec![Span::raw(" ".repeat(LABEL as usize)), Span::styled(app.endpoint.origin(), t.dim())];
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    rows.space();
    if roomy && let Some(r) = rows.next(1) {
        let choice = |on: bool, text: &'static str| {
            Span::styled(
                format!("{} {text}  ", if on { "●" } else { "○" }),
                if on { t.title() } else { t.label() },
            )
        };
        let mut spans = label("With", false, t);
        spans.push(choice(l.method == Method::Password, "Password"));
        spans.push(choice(l.method == Method::Token, "Authtoken"));
        if let Some(k) = key(app, Context::Login, Action::SwitchMethod) {
            push_if_fits(&mut spans, Span::styled(k, t.dim()), r.width);
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
                field_row(
                    frame,
                    r,
                    "Authtoken",
                    &view(l, &l.token, Focus::Token, "paste it here"),
                    reveal,
                    t,
                );
            }
        }
    }
    if app.can_remember {
        rows.space();
    }
    if app.can_remember
        && let Some(r) = rows.next(1)
    {
        let mut spans = label("", l.focus == Focus::Remember, t);
        spans.truncate(1);
        let style = if l.focus == Focus::Remember { t.accent() } else { t.label() };
        spans.push(Span::styled(
            format!("[{}] Remember me on this computer", if l.remember { "x" } else { " " }),
            style,
        ));
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    rows.space();
    if let Some(r) = rows.next(1) {
        let focused = l.focus == Focus::Submit;
        let style = if focused { t.selected() } else { t.accent() };
        // While the request runs the button says so, with the key that cancels it, instead of
        // offering Enter again.
        let mut spans = vec![Span::raw(" ".repeat(LABEL as usize))];
        match busy_label(app) {
            Some(label) => {
                let button = format!(" {} {label} ", spinner::frame(app.spinner));
                let cancel = cancel_key(app, l).map(|k| format!("  {k} cancels")).unwrap_or_default();
                // On a narrow card the button moves left rather than lose the cancel key.
                if LABEL as usize + button.chars().count() + cancel.chars().count() > r.width as usize {
                    spans[0] = Span::raw("  ");
                }
                spans.push(Span::styled(button, style));
                push_if_fits(&mut spans, Span::styled(cancel, t.dim()), r.width);
            }
            None => {
                let submit = key(app, Context::Login, Action::Submit).unwrap_or_default();
                spans.push(Span::styled(" Log in ", style));
                spans.push(Span::styled(format!("  {submit}"), t.dim()));
            }
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    if app.demo.is_some()
        && !crate::screens::login::side::has_room(app)
        && let Some(r) = rows.next(1)
    {
        crate::screens::login::side::render_inline(frame, r, app, t);
    }
    let ways = if ways { ways_out(app, t, area.width) } else { Vec::new() };
    if !ways.is_empty() {
        rows.space();
        if let Some(r) = rows.next(ways.len() as u16) {
            frame.render_widget(Paragraph::new(ways), r);
        }
    }
    rows.space();
    render_status(frame, rows.rest(), app, t, l);
}

/// The key that stops what the screen waits for, when it can be stopped.
fn cancel_key(app: &App, l: &LoginState) -> Option<String> {
    let (ctx, action) =
        if l.tfa.is_some() { (Context::Tfa, Action::Back) } else { (Context::Login, Action::Dismiss) };
    key(app, ctx, action).filter(|_| can_cancel(app))
}

/// The error (title and sentence) or what is running, under the fields (on the form, the
/// button shows what is running instead).
pub(crate) fn render_status(frame: &mut Frame, area: Rect, app: &App, t: &Theme, l: &LoginState) {
    if area.height == 0 {
        return;
    }
    let lines = if let Some(e) = &l.error {
        let mut lines = vec![Line::from(Span::styled(format!("✗ {}", e.title), t.error()))];
        lines.extend(wrap(&e.message, area.width as usize).into_iter().map(Line::from));
        lines
    } else if let Some(label) = busy_label(app).filter(|_| l.tfa.is_some()) {
        let mut spans = vec![Span::styled(format!("{} {label}", spinner::frame(app.spinner)), t.accent())];
        if let Some(k) = cancel_key(app, l) {
            push_if_fits(&mut spans, Span::styled(format!("  {k} cancels"), t.dim()), area.width);
        }
        vec![Line::from(spans)]
    } else {
        return;
    };
    frame.render_widget(Paragraph::new(lines), area);
}
