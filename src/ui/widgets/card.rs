//! The card the password-reset wizard and the activation form are drawn in: rows of text,
//! labelled fields and a button, shrinking in steps until they fit (roomy: spacing, the intro,
//! one check a line; compact: no spacing, the checks flowed; tight: no notes, messages under the
//! label rather than under the value). The rows stay in the same order, so nothing jumps but
//! space. Also the rows of the token and new-password component ([`crate::app::password_form`]).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::app::field::FormError;
use crate::app::keymap::{Action, Context};
use crate::app::password_form::{Part, TokenForm};
use crate::app::state::App;
use crate::ui::text::wrap;
use crate::ui::theme::Theme;
use crate::ui::widgets::field::{self, FieldView};
use crate::ui::widgets::{password_checks, spinner};

const CARD_MAX_WIDTH: u16 = 66;

/// How much room a card takes, from the most to the least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Density {
    Roomy,
    Compact,
    Tight,
}

/// One row of a card.
pub enum Row<'a> {
    /// Text lines, already wrapped to the card's width.
    Lines(Vec<Line<'a>>),
    /// A labelled field, with a key hint at its right.
    Field { label: &'static str, view: FieldView<'a>, hint: Option<String> },
    /// Text under the field above, aligned with its value (under its label when tight).
    Under { text: String, style: Style },
    /// What Enter does: ` Send the email   Enter`.
    Button { label: &'static str, key: Option<String> },
    /// A blank line.
    Space,
}

/// Where the values start: after the longest label, its marker and a space.
fn label_width(rows: &[Row]) -> u16 {
    let longest = rows.iter().filter_map(|r| match r {
        Row::Field { label, .. } => Some(label.width()),
        _ => None,
    });
    longest.max().unwrap_or(0) as u16 + 3
}

fn under_indent(lw: u16, density: Density) -> u16 {
    if density == Density::Tight { 2 } else { lw }
}

fn height(row: &Row, lw: u16, width: u16, density: Density) -> u16 {
    match row {
        Row::Lines(l) => l.len() as u16,
        Row::Under { text, .. } => {
            wrap(text, width.saturating_sub(under_indent(lw, density)) as usize).len() as u16
        }
        Row::Field { .. } | Row::Button { .. } | Row::Space => 1,
    }
}

/// Draws a centred card titled `title`, as roomy as fits. `build(density, width)` gives the
/// rows for a content width.
pub fn render_card<'a>(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    t: &Theme,
    build: impl Fn(Density, u16) -> Vec<Row<'a>>,
) {
    let card_width = CARD_MAX_WIDTH.min(area.width);
    let width = card_width.saturating_sub(4);
    let total = |rows: &[Row], d| {
        let lw = label_width(rows);
        rows.iter().map(|r| height(r, lw, width, d)).sum::<u16>()
    };
    let mut density = Density::Roomy;
    let mut rows = build(density, width);
    for next in [Density::Compact, Density::Tight] {
        if total(&rows, density) + 2 <= area.height {
            break;
        }
        density = next;
        rows = build(density, width);
    }
    let lw = label_width(&rows);
    let card = area.centered(
        Constraint::Length(card_width),
        Constraint::Length((total(&rows, density) + 2).min(area.height)),
    );
    let inner = boxed(frame, card, title, t);
    let mut y = inner.y;
    for row in rows {
        let h = height(&row, lw, width, density).min(inner.bottom().saturating_sub(y));
        if h == 0 {
            break;
        }
        let r = Rect::new(inner.x, y, inner.width, h);
        match row {
            Row::Lines(lines) => frame.render_widget(Paragraph::new(lines), r),
            Row::Field { label, view, hint } => field_row(frame, r, lw, label, &view, hint, t),
            Row::Under { text, style } => {
                let indent = under_indent(lw, density);
                let pad = " ".repeat(indent as usize);
                let lines: Vec<Line> = wrap(&text, width.saturating_sub(indent) as usize)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(format!("{pad}{l}"), style)))
                    .collect();
                frame.render_widget(Paragraph::new(lines), r);
            }
            Row::Button { label, key } => button(frame, r, lw, label, key, t),
            Row::Space => {}
        }
        y += h;
    }
}

fn field_row(
    frame: &mut Frame,
    row: Rect,
    lw: u16,
    text: &str,
    view: &FieldView,
    hint: Option<String>,
    t: &Theme,
) {
    let hint_width = hint.as_ref().map(|h| h.width() as u16 + 1).unwrap_or(0);
    // The hint goes first when the row is narrow: the field keeps at least 16 columns.
    let hint_width = if row.width >= lw + 16 + hint_width { hint_width } else { 0 };
    let [lab, value, right] =
        Layout::horizontal([Constraint::Length(lw), Constraint::Min(4), Constraint::Length(hint_width)])
            .areas(row);
    let marker = if view.focused { Span::styled("▸ ", t.accent()) } else { Span::raw("  ") };
    let style = if view.focused { t.accent() } else { t.label() };
    frame.render_widget(Paragraph::new(Line::from(vec![marker, Span::styled(text.to_string(), style)])), lab);
    field::render(frame, value, view, t);
    if let (Some(h), true) = (hint, hint_width > 0) {
        frame.render_widget(Paragraph::new(Span::styled(format!(" {h}"), t.dim())), right);
    }
}

/// The button under the value column, or from the left edge when that does not fit; the key
/// goes last, when nothing else is left to drop.
fn button(frame: &mut Frame, r: Rect, lw: u16, label: &str, key: Option<String>, t: &Theme) {
    let text = format!(" {label} ");
    let key = key.map(|k| format!("  {k}")).unwrap_or_default();
    let need = (text.width() + key.width()) as u16;
    let indent = if lw + need <= r.width { lw } else { 0 };
    let mut spans = vec![Span::raw(" ".repeat(indent as usize)), Span::styled(text, t.accent())];
    if indent + need <= r.width {
        spans.push(Span::styled(key, t.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), r);
}

/// `text` wrapped at `width`, styled.
pub fn para<'a>(text: &str, width: u16, style: Style) -> Row<'a> {
    Row::Lines(wrap(text, width as usize).into_iter().map(|l| Line::from(Span::styled(l, style))).collect())
}

/// A field's messages, under it.
pub fn field_errors(rows: &mut Vec<Row>, messages: Option<&Vec<String>>, t: &Theme) {
    for m in messages.into_iter().flatten() {
        rows.push(Row::Under { text: format!("✗ {m}"), style: t.error() });
    }
}

/// The key of an action in the forms, preferring one that does not type (a field has focus).
pub fn key(app: &App, action: Action) -> Option<String> {
    app.keymap.keys(Context::Password, action).iter().find(|k| !k.is_text()).map(|k| k.pretty())
}

/// The component's token field, with its note (not when tight) and its messages.
pub fn token_rows<'a, F: TokenForm>(rows: &mut Vec<Row<'a>>, f: &'a F, t: &Theme, density: Density) {
    let token = F::of(Part::Token);
    let form = f.form();
    let view = FieldView {
        field: &form.token,
        focused: f.focus() == token,
        reveal: true,
        placeholder: "the token or the link",
    };
    rows.push(Row::Field { label: "Token", view, hint: None });
    if density != Density::Tight
        && let Some(note) = &form.token_note
    {
        rows.push(Row::Under { text: note.clone(), style: t.dim() });
    }
    field_errors(rows, f.errors().get(&token), t);
}

/// The component's new password and its confirmation, with the live checks of Contentstack's
/// rules under them; then the form's button, `send` (after a space when roomy).
pub fn password_rows<'a, F: TokenForm>(
    rows: &mut Vec<Row<'a>>,
    app: &App,
    t: &Theme,
    f: &'a F,
    send: &'static str,
    (density, width): (Density, u16),
) {
    let new = &f.form().new;
    let (password, confirm) = (F::of(Part::Password), F::of(Part::Confirm));
    let hint =
        key(app, Action::ToggleSecret).map(|k| format!("{k} {}", if new.reveal { "hide" } else { "show" }));
    let view =
        |field, focus| FieldView { field, focused: f.focus() == focus, reveal: new.reveal, placeholder: "" };
    rows.push(Row::Field { label: "New password", view: view(&new.password, password), hint });
    field_errors(rows, f.errors().get(&password), t);
    rows.push(Row::Field { label: "Confirm", view: view(&new.confirm, confirm), hint: None });
    field_errors(rows, f.errors().get(&confirm), t);
    let roomy = density == Density::Roomy;
    if roomy {
        rows.push(Row::Space);
        let heading =
            if app.rules_enforced() { "The demo server requires:" } else { "Contentstack asks for:" };
        rows.push(Row::Lines(vec![Line::from(Span::styled(format!("  {heading}"), t.label()))]));
    }
    let started = !new.password.is_empty();
    let indent = if roomy { 2 } else { 0 };
    rows.push(Row::Lines(password_checks::lines(&new.checks(), started, !roomy, width as usize, indent, t)));
    if roomy {
        rows.push(Row::Space);
    }
    rows.push(send_button(app, send));
}

/// What Enter does.
pub fn send_button<'a>(app: &App, label: &'static str) -> Row<'a> {
    Row::Button { label, key: key(app, Action::Send) }
}

/// The error that belongs to no field, or what is running.
pub fn status(rows: &mut Vec<Row>, app: &App, t: &Theme, error: Option<&FormError>, width: u16) {
    if let Some(e) = error {
        rows.push(Row::Lines(vec![Line::from(Span::styled(format!("✗ {}", e.title), t.error()))]));
        rows.push(para(&e.message, width, t.label()));
    } else if let Some(kind) = app.pending.values().rev().find(|k| k.is_account_flow()) {
        let label = kind.label();
        rows.push(Row::Lines(vec![Line::from(Span::styled(
            format!("{} {label}", spinner::frame(app.spinner)),
            t.accent(),
        ))]));
    }
}

/// "Demo: reset emails land in the mailbox (ctrl-o)." when the mailbox can help.
pub fn mailbox_note(rows: &mut Vec<Row>, app: &App, theme: &Theme, what: &str, width: u16) {
    if app.demo_endpoint.is_none() {
        return;
    }
    if let Some(k) = key(app, Action::OpenMailbox) {
        rows.push(para(&format!("Demo: {what} land in the mailbox ({k})."), width, theme.dim()));
    }
}

/// A form's box: rounded, in the accent colour, titled; what is inside it (a column of margin
/// either side) is returned. The log-in form, the edit form, the region list and the cards
/// are drawn in one.
pub fn boxed(frame: &mut Frame, rect: Rect, title: &str, t: &Theme) -> Rect {
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.accent())
        .title(Span::styled(format!(" {title} "), t.title()));
    let inner = block.inner(rect).inner(Margin::new(1, 0));
    frame.render_widget(block, rect);
    inner
}
