//! The password-reset wizard: step 1 (the email, then the server's notice and the token's
//! countdown) and step 2 (the token and the new password with its live checks), in a card like
//! the log-in form's. The card helpers here are shared with the activation form.
//!
//! A card is built twice at most: roomy (spacing, one check a line, the intro) and, when that
//! does not fit, compact; the same rows either way, so nothing moves between the two but space.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

use super::text::wrap;
use super::widgets::field::{self, FieldView};
use super::widgets::{password_checks, spinner};
use crate::app::keymap::{Action, Context};
use crate::app::login::FormError;
use crate::app::reset::{Focus, NewPassword, ResetState, Step, rules_enforced};
use crate::app::state::{App, RequestKind};
use crate::ui::theme::Theme;

/// Width of the label column (`▸ New password `).
pub(super) const LABEL: u16 = 16;
const CARD_MAX_WIDTH: u16 = 66;

/// One row of a card.
pub(super) enum Row<'a> {
    Lines(Vec<Line<'a>>),
    /// A labelled field, with a key hint at its right.
    Field {
        label: &'static str,
        view: FieldView<'a>,
        hint: Option<String>,
    },
    /// A blank line; only in the roomy build.
    Space,
}

impl Row<'_> {
    fn height(&self) -> u16 {
        match self {
            Row::Lines(l) => l.len() as u16,
            Row::Field { .. } | Row::Space => 1,
        }
    }
}

/// Draws a centred card titled `title`, built roomy when it fits and compact otherwise.
/// `build(roomy, width)` gives the rows for a content width.
pub(super) fn render_card<'a>(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    t: &Theme,
    build: impl Fn(bool, u16) -> Vec<Row<'a>>,
) {
    let card_width = CARD_MAX_WIDTH.min(area.width);
    let width = card_width.saturating_sub(4);
    let mut rows = build(true, width);
    let height = |rows: &[Row]| rows.iter().map(Row::height).sum::<u16>();
    if height(&rows) + 2 > area.height {
        rows = build(false, width);
    }
    let card = area
        .centered(Constraint::Length(card_width), Constraint::Length((height(&rows) + 2).min(area.height)));
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.accent())
        .title(Span::styled(format!(" {title} "), t.title()));
    let inner = block.inner(card).inner(Margin::new(1, 0));
    frame.render_widget(block, card);
    let mut y = inner.y;
    for row in rows {
        let h = row.height();
        if y + h > inner.bottom() {
            break;
        }
        let r = Rect::new(inner.x, y, inner.width, h);
        match row {
            Row::Lines(lines) => frame.render_widget(Paragraph::new(lines), r),
            Row::Field { label, view, hint } => field_row(frame, r, label, &view, hint, t),
            Row::Space => {}
        }
        y += h;
    }
}

fn field_row(frame: &mut Frame, row: Rect, text: &str, view: &FieldView, hint: Option<String>, t: &Theme) {
    let hint_width = hint.as_ref().map(|h| h.chars().count() as u16 + 1).unwrap_or(0);
    // The hint goes first when the row is narrow: the field keeps at least 8 columns.
    let hint_width = if row.width >= LABEL + 8 + hint_width { hint_width } else { 0 };
    let [lab, value, right] =
        Layout::horizontal([Constraint::Length(LABEL), Constraint::Min(4), Constraint::Length(hint_width)])
            .areas(row);
    let marker = if view.focused { Span::styled("▸ ", t.accent()) } else { Span::raw("  ") };
    let style = if view.focused { t.accent() } else { t.label() };
    let label = Span::styled(format!("{text:<w$}", w = LABEL as usize - 2), style);
    frame.render_widget(Paragraph::new(Line::from(vec![marker, label])), lab);
    field::render(frame, value, view, t);
    if let (Some(h), true) = (hint, hint_width > 0) {
        frame.render_widget(Paragraph::new(Span::styled(format!(" {h}"), t.dim())), right);
    }
}

/// `text` wrapped at `width`, each line indented and styled.
pub(super) fn para<'a>(text: &str, width: u16, indent: u16, style: ratatui::style::Style) -> Row<'a> {
    let pad = " ".repeat(indent as usize);
    Row::Lines(
        wrap(text, width.saturating_sub(indent) as usize)
            .into_iter()
            .map(|l| Line::from(Span::styled(format!("{pad}{l}"), style)))
            .collect(),
    )
}

/// A field's messages under it, aligned with the value.
pub(super) fn field_errors<'a>(
    rows: &mut Vec<Row<'a>>,
    messages: Option<&Vec<String>>,
    width: u16,
    t: &Theme,
) {
    for m in messages.into_iter().flatten() {
        rows.push(para(&format!("✗ {m}"), width, LABEL, t.error()));
    }
}

/// The key of an action in the forms, preferring one that does not type (a field has focus).
pub(super) fn key(app: &App, action: Action) -> Option<String> {
    app.keymap.keys(Context::Password, action).iter().find(|k| !k.is_text()).map(|k| k.pretty())
}

/// The two new-password fields and the checks under them.
pub(super) fn password_rows<'a>(
    rows: &mut Vec<Row<'a>>,
    app: &App,
    new: &'a NewPassword,
    focused: (bool, bool),
    labels: (&'static str, &'static str),
    errors: (Option<&Vec<String>>, Option<&Vec<String>>),
    (roomy, width): (bool, u16),
) {
    let t = &app.theme;
    let hint =
        key(app, Action::ToggleSecret).map(|k| format!("{k} {}", if new.reveal { "hide" } else { "show" }));
    let view = |field, focused| FieldView { field, focused, reveal: new.reveal, placeholder: "" };
    rows.push(Row::Field { label: labels.0, view: view(&new.password, focused.0), hint });
    field_errors(rows, errors.0, width, t);
    rows.push(Row::Field { label: labels.1, view: view(&new.confirm, focused.1), hint: None });
    field_errors(rows, errors.1, width, t);
    if roomy {
        rows.push(Row::Space);
        let heading =
            if rules_enforced(app) { "The demo server requires:" } else { "Contentstack asks for:" };
        rows.push(para(heading, width, 2, t.label()));
    }
    let started = !new.password.is_empty();
    let indent = if roomy { 2 } else { 0 };
    rows.push(Row::Lines(password_checks::lines(&new.checks(), started, !roomy, width as usize, indent, t)));
}

/// The button line: what Enter does.
pub(super) fn button<'a>(app: &App, label: &str, t: &Theme) -> Row<'a> {
    let enter = key(app, Action::Send).unwrap_or_default();
    Row::Lines(vec![Line::from(vec![
        Span::raw(" ".repeat(LABEL as usize)),
        Span::styled(format!(" {label} "), t.accent()),
        Span::styled(format!("  {enter}"), t.dim()),
    ])])
}

/// The error above everything else, or what is running.
pub(super) fn status<'a>(rows: &mut Vec<Row<'a>>, app: &App, error: Option<&FormError>, width: u16) {
    let t = &app.theme;
    if let Some(e) = error {
        rows.push(Row::Lines(vec![Line::from(Span::styled(format!("✗ {}", e.title), t.error()))]));
        rows.push(para(&e.message, width, 0, t.label()));
    } else if let Some(kind) = app.pending.values().rev().find(|k| k.is_account_flow()) {
        let label = RequestKind::label(kind);
        rows.push(Row::Lines(vec![Line::from(Span::styled(
            format!("{} {label}", spinner::frame(app.spinner)),
            t.accent(),
        ))]));
    }
}

/// "Demo: ... ctrl-o" when the mailbox can help.
pub(super) fn mailbox_note<'a>(rows: &mut Vec<Row<'a>>, app: &App, what: &str, width: u16) {
    if app.demo_endpoint.is_none() {
        return;
    }
    if let Some(k) = key(app, Action::OpenMailbox) {
        rows.push(para(&format!("Demo: {what} is in the mailbox ({k})."), width, 0, app.theme.dim()));
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, r: &ResetState) {
    let title = match r.step {
        Step::Email => "Reset password · step 1 of 2",
        Step::Token => "Reset password · step 2 of 2",
    };
    render_card(frame, area, title, &app.theme, |roomy, width| match r.step {
        Step::Email => step_email(app, r, roomy, width),
        Step::Token => step_token(app, r, roomy, width),
    });
}

/// "The token works for 60 minutes: 57 min left." or that it has expired.
fn countdown(r: &ResetState) -> Option<String> {
    r.sent.as_ref()?;
    Some(match r.minutes_left {
        0 => "The token in that email has expired (after 60 minutes): send a new one.".to_string(),
        1 => "The token in the email works for 60 minutes: less than 1 min left.".to_string(),
        n => format!("The token in the email works for 60 minutes: {n} min left."),
    })
}

fn step_email<'a>(app: &App, r: &'a ResetState, roomy: bool, width: u16) -> Vec<Row<'a>> {
    let t = &app.theme;
    let mut rows = Vec::new();
    if roomy {
        rows.push(para(
            "Contentstack emails your account a token to choose a new password with.",
            width,
            0,
            t.label(),
        ));
        rows.push(Row::Space);
    }
    let view = FieldView { field: &r.email, focused: true, reveal: true, placeholder: "you@example.com" };
    rows.push(Row::Field { label: "Email", view, hint: None });
    field_errors(&mut rows, r.errors.get(&Focus::Email), width, t);
    if roomy {
        rows.push(Row::Space);
    }
    let sent = r.sent_to_current();
    rows.push(button(app, if sent { "Next: enter the token" } else { "Send the email" }, t));
    if let Some(s) = &r.sent {
        if roomy {
            rows.push(Row::Space);
        }
        rows.push(para(&format!("✓ {}", s.notice), width, 0, t.ok()));
        if let Some(c) = countdown(r) {
            let style = if r.minutes_left == 0 { t.warn() } else { t.label() };
            rows.push(para(&c, width, 0, style));
        }
        if let Some(k) = key(app, Action::Retry) {
            rows.push(para(&format!("No email? {k} sends it again."), width, 0, t.dim()));
        }
        mailbox_note(&mut rows, app, "the email", width);
    } else if let Some(k) = key(app, Action::NextStep) {
        if roomy {
            rows.push(Row::Space);
        }
        rows.push(para(&format!("Have a token already? {k} goes to step 2."), width, 0, t.dim()));
    }
    if roomy && (r.error.is_some() || app.has_pending(RequestKind::is_account_flow)) {
        rows.push(Row::Space);
    }
    status(&mut rows, app, r.error.as_ref(), width);
    rows
}

fn step_token<'a>(app: &App, r: &'a ResetState, roomy: bool, width: u16) -> Vec<Row<'a>> {
    let t = &app.theme;
    let mut rows = Vec::new();
    let email = r.email.value().trim();
    let mut head = if email.is_empty() { String::new() } else { format!("For {email}") };
    if r.sent.is_some() {
        let left = match r.minutes_left {
            0 => "the token has expired".to_string(),
            n => format!("token valid {n} more min"),
        };
        head = if head.is_empty() { left } else { format!("{head} · {left}") };
    }
    if !head.is_empty() {
        rows.push(para(&head, width, 0, t.dim()));
        if roomy {
            rows.push(Row::Space);
        }
    }
    let view = FieldView {
        field: &r.token,
        focused: r.focus == Focus::Token,
        reveal: true,
        placeholder: "the token or the link",
    };
    rows.push(Row::Field { label: "Token", view, hint: None });
    if let Some(note) = &r.token_note {
        rows.push(para(note, width, LABEL, t.dim()));
    }
    field_errors(&mut rows, r.errors.get(&Focus::Token), width, t);
    let focus = (r.focus == Focus::Password, r.focus == Focus::Confirm);
    let errors = (r.errors.get(&Focus::Password), r.errors.get(&Focus::Confirm));
    password_rows(&mut rows, app, &r.new, focus, ("New password", "Confirm"), errors, (roomy, width));
    if roomy {
        rows.push(Row::Space);
    }
    rows.push(button(app, "Reset the password", t));
    let token_refused = r.errors.contains_key(&Focus::Token) || r.minutes_left == 0 && r.sent.is_some();
    if token_refused && let Some(k) = key(app, Action::GoBack) {
        rows.push(para(&format!("{k} goes back to step 1 to ask for a new token."), width, 0, t.warn()));
    }
    if r.token.is_empty() {
        mailbox_note(&mut rows, app, "the reset email", width);
    }
    status(&mut rows, app, r.error.as_ref(), width);
    rows
}
