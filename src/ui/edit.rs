//! The edit-profile screen: a card with the five fields, each check's message beside its field
//! (under it when there is no room beside), then the review of the changes, old → new, with the
//! save's progress or failure. Also the two questions that belong to the form: discard the
//! changes, and restore a draft left by an earlier run.
//!
//! Nothing relies on colour alone: a changed field's label ends in `*`, a problem starts with ✗.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::text::wrap;
use super::widgets::confirm::{self, ConfirmView};
use super::widgets::field::{self, FieldView};
use super::widgets::spinner;
use crate::app::edit::{DraftOffer, EditField, EditForm, EditState, NoteKind, Step, field_list};
use crate::app::keymap::{Action, Context};
use crate::app::state::{App, RequestKind};
use crate::ui::theme::Theme;
use crate::ui::widgets::tree::cut;

/// `▸ Mobile number* `: marker, the longest label, the changed mark, a space.
const LABEL: u16 = 17;
/// The card's widest, so the form does not sprawl on wide terminals.
const CARD_MAX_WIDTH: u16 = 76;
/// The input's widest; the rest of the line holds the message beside it.
const VALUE_MAX_WIDTH: u16 = 28;

/// One line of the card.
enum Row {
    Text(Line<'static>),
    /// A field: its label and input, and the message beside it when it fits there.
    Field(EditField, Option<Line<'static>>),
}

/// The first key of an action that does not type (a text field has the keyboard on the form).
fn key(app: &App, ctx: Context, action: Action) -> String {
    app.keymap.keys(ctx, action).iter().find(|k| !k.is_text()).map(|k| k.pretty()).unwrap_or_default()
}

fn saving(app: &App) -> bool {
    app.has_pending(|k| matches!(k, RequestKind::SaveProfile))
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, e: &EditState) {
    let form = &e.form;
    let width = CARD_MAX_WIDTH.min(area.width);
    let inner_width = width.saturating_sub(4);
    let max_lines = area.height.saturating_sub(2) as usize;
    let rows = match form.step {
        Step::Form => fit(|roomy| form_rows(app, form, inner_width, roomy), max_lines),
        Step::Review => fit(|roomy| review_rows(app, form, inner_width, roomy, max_lines), max_lines),
    };
    let card = area.centered(Constraint::Length(width), Constraint::Length(rows.len() as u16 + 2));
    let title = match form.step {
        Step::Form => " Edit profile ",
        Step::Review => " Review changes ",
    };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(app.theme.accent())
        .title(Span::styled(title, app.theme.title()));
    let inner = block.inner(card).inner(Margin::new(1, 0));
    frame.render_widget(block, card);
    for (y, row) in (inner.y..inner.bottom()).zip(rows) {
        let r = Rect::new(inner.x, y, inner.width, 1);
        match row {
            Row::Text(line) => frame.render_widget(Paragraph::new(line), r),
            Row::Field(f, beside) => field_row(frame, r, app, form, f, beside),
        }
    }
}

/// The roomy rows (with a heading and spacing) when they fit, else the compact ones.
fn fit(build: impl Fn(bool) -> Vec<Row>, max_lines: usize) -> Vec<Row> {
    let roomy = build(true);
    if roomy.len() <= max_lines { roomy } else { build(false) }
}

fn blank() -> Row {
    Row::Text(Line::from(""))
}

fn value_width(inner_width: u16) -> u16 {
    inner_width.saturating_sub(LABEL).min(VALUE_MAX_WIDTH)
}

/// Who is being edited, where: `john.doe@example.com · NA`.
fn heading(app: &App, width: u16) -> Row {
    let t = &app.theme;
    let Some(s) = &app.session else { return blank() };
    let region = super::format::short_endpoint(&s.endpoint);
    let email = cut(&s.email, (width as usize).saturating_sub(region.width() + 3)).into_owned();
    Row::Text(Line::from(vec![Span::styled(email, t.title()), Span::styled(format!(" · {region}"), t.dim())]))
}

fn form_rows(app: &App, form: &EditForm, width: u16, roomy: bool) -> Vec<Row> {
    let t = &app.theme;
    let mut rows = Vec::new();
    if roomy {
        rows.push(heading(app, width));
        rows.push(blank());
    }
    let value_width = value_width(width);
    let beside_width = width.saturating_sub(LABEL + value_width + 1) as usize;
    let under_width = width.saturating_sub(LABEL) as usize;
    for f in EditField::ALL {
        let Some(problem) = form.problem(f) else {
            rows.push(Row::Field(f, None));
            continue;
        };
        let text = format!("✗ {problem}");
        if text.width() <= beside_width {
            rows.push(Row::Field(f, Some(Line::from(Span::styled(text, t.error())))));
            continue;
        }
        rows.push(Row::Field(f, None));
        // Compact: one line, cut, so the whole form still fits.
        let lines = if roomy { wrap(&text, under_width) } else { vec![cut(&text, under_width).into_owned()] };
        for l in lines {
            rows.push(Row::Text(Line::from(vec![
                Span::raw(" ".repeat(LABEL as usize)),
                Span::styled(l, t.error()),
            ])));
        }
    }
    if roomy {
        rows.push(blank());
    }
    let edited = EditField::ALL.into_iter().filter(|f| form.is_edited(*f)).count();
    let mut button = vec![
        Span::raw(" ".repeat(LABEL as usize)),
        Span::styled(" Review changes ", t.accent()),
        Span::styled(format!("  {}", key(app, Context::Edit, Action::Review)), t.dim()),
    ];
    let count = match edited {
        0 => String::new(),
        1 => "   1 field changed (*)".to_string(),
        n => format!("   {n} fields changed (*)"),
    };
    if button.iter().map(|s| s.width()).sum::<usize>() + count.width() <= width as usize {
        button.push(Span::styled(count, t.dim()));
    }
    rows.push(Row::Text(Line::from(button)));
    let mut status: Vec<Row> = Vec::new();
    for message in &form.other_errors {
        status.extend(text_rows(&format!("✗ {message}"), width, t.error()));
    }
    if let Some(note) = &form.note {
        status.extend(note_rows(note.kind, &note.text, width, t));
    }
    if !status.is_empty() && roomy {
        rows.push(blank());
    }
    rows.extend(status);
    rows
}

fn text_rows(text: &str, width: u16, style: Style) -> Vec<Row> {
    wrap(text, width as usize).into_iter().map(|l| Row::Text(Line::from(Span::styled(l, style)))).collect()
}

fn note_rows(kind: NoteKind, text: &str, width: u16, t: &Theme) -> Vec<Row> {
    let (mark, style) = match kind {
        NoteKind::Info => ("ℹ ", t.label()),
        NoteKind::Done => ("✓ ", t.ok()),
        NoteKind::Warning => ("! ", t.warn()),
    };
    text_rows(&format!("{mark}{text}"), width, style)
}

/// `▸ Company*         Acme________________ ✗ message`
fn field_row(
    frame: &mut Frame,
    row: Rect,
    app: &App,
    form: &EditForm,
    f: EditField,
    beside: Option<Line<'static>>,
) {
    let t = &app.theme;
    let focused =
        form.focus == f && app.confirm.is_none() && app.draft_offer.as_ref().is_none_or(|o| !o.open);
    let marker = if form.focus == f { Span::styled("▸ ", t.accent()) } else { Span::raw("  ") };
    let style = if form.focus == f { t.accent() } else { t.label() };
    let mark = if form.is_edited(f) { "*" } else { "" };
    let label = format!("{}{mark}", f.label());
    let value_width = value_width(row.width);
    let [lab, value, _, rest] = Layout::horizontal([
        Constraint::Length(LABEL),
        Constraint::Length(value_width),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(row);
    let label_line =
        Line::from(vec![marker, Span::styled(format!("{label:<w$}", w = LABEL as usize - 2), style)]);
    frame.render_widget(Paragraph::new(label_line), lab);
    let placeholder = match f {
        EditField::Mobile => "digits only",
        EditField::CountryCode => "e.g. 44",
        _ => "",
    };
    let view = FieldView { field: form.field(f), focused, reveal: true, placeholder };
    field::render(frame, value, &view, t);
    if let Some(line) = beside {
        frame.render_widget(Paragraph::new(line), rest);
    }
}

/// `(empty)` for a value that is not there.
fn shown(value: &str) -> (String, bool) {
    if value.is_empty() { ("(empty)".to_string(), true) } else { (value.to_string(), false) }
}

fn review_rows(app: &App, form: &EditForm, width: u16, roomy: bool, max_lines: usize) -> Vec<Row> {
    let t = &app.theme;
    let Some(session) = &app.session else { return Vec::new() };
    let changes = form.changes(&session.user);
    let list: Vec<EditField> =
        EditField::ALL.into_iter().filter(|f| f.in_update(&changes).is_some()).collect();
    let mut head = Vec::new();
    if roomy {
        let n = list.len();
        let what = if n == 1 { "1 change".to_string() } else { format!("{n} changes") };
        head.push(Row::Text(Line::from(vec![
            Span::styled(format!("{what} to save for "), t.label()),
            Span::styled(
                cut(&session.email, (width as usize).saturating_sub(what.width() + 13)).into_owned(),
                t.title(),
            ),
        ])));
        head.push(blank());
    }
    let label_width = LABEL as usize - 2;
    let value_width = (width as usize).saturating_sub(label_width);
    let mut body = Vec::new();
    for f in &list {
        let (old, old_empty) = shown(f.current(&session.user));
        let (new, new_empty) = shown(f.in_update(&changes).unwrap_or_default());
        let old_style = if old_empty { t.dim() } else { t.label() };
        let new_style = if new_empty { t.dim() } else { t.title() };
        let label = Span::styled(format!("{:<label_width$}", f.label()), t.label());
        let one_line = old.width() + 3 + new.width() <= value_width;
        if one_line {
            body.push(Row::Text(Line::from(vec![
                label,
                Span::styled(old, old_style),
                Span::styled(" → ", t.accent()),
                Span::styled(new, new_style),
            ])));
            continue;
        }
        let pad = || Span::raw(" ".repeat(label_width));
        // Too long for one line: the old value on the label's line, the new one under it.
        let old_lines =
            if roomy { wrap(&old, value_width) } else { vec![cut(&old, value_width).into_owned()] };
        for (i, l) in old_lines.into_iter().enumerate() {
            let first = if i == 0 { label.clone() } else { pad() };
            body.push(Row::Text(Line::from(vec![first, Span::styled(l, old_style)])));
        }
        let new_lines = if roomy {
            wrap(&new, value_width.saturating_sub(2))
        } else {
            vec![cut(&new, value_width.saturating_sub(2)).into_owned()]
        };
        for (i, l) in new_lines.into_iter().enumerate() {
            let arrow = if i == 0 { Span::styled("→ ", t.accent()) } else { Span::raw("  ") };
            body.push(Row::Text(Line::from(vec![pad(), arrow, Span::styled(l, new_style)])));
        }
    }
    let mut tail = Vec::new();
    if roomy {
        tail.push(blank());
    }
    tail.push(review_buttons(app, form));
    let mut status = Vec::new();
    if let Some(failure) = &form.failure {
        status.push(Row::Text(Line::from(Span::styled(format!("✗ {}", failure.title), t.error()))));
        let next = if failure.waiting {
            "Your changes are kept; saving works again once the wait is over.".to_string()
        } else {
            format!(
                "Your changes are kept: {} tries again, {} goes back to the form.",
                key(app, Context::Review, Action::Save),
                key(app, Context::Review, Action::BackToForm)
            )
        };
        status.extend(text_rows(&format!("{} {next}", failure.message), width, Style::new()));
    }
    if let Some(note) = &form.note {
        status.extend(note_rows(note.kind, &note.text, width, t));
    }
    if roomy && !status.is_empty() {
        tail.push(blank());
    }
    tail.extend(status);
    // On a short screen the list gives way: the buttons and what happened always show.
    let room = max_lines.saturating_sub(head.len() + tail.len());
    if body.len() > room {
        let keep = room.saturating_sub(1);
        let hidden = list.len().saturating_sub(keep);
        body.truncate(keep);
        let more = format!("… {hidden} more: make the terminal taller to see them");
        body.push(Row::Text(Line::from(Span::styled(cut(&more, width as usize).into_owned(), t.dim()))));
    }
    head.into_iter().chain(body).chain(tail).collect()
}

fn review_buttons(app: &App, form: &EditForm) -> Row {
    let t = &app.theme;
    let back = key(app, Context::Review, Action::BackToForm);
    if saving(app) {
        return Row::Text(Line::from(vec![
            Span::styled(format!("{} Saving…", spinner::frame(app.spinner)), t.accent()),
            Span::styled(format!("  {back} cancels (your changes stay)"), t.dim()),
        ]));
    }
    let label = if form.failure.is_some() { " Try again " } else { " Save " };
    let style = if form.failure.as_ref().is_some_and(|f| f.waiting) { t.dim() } else { t.selected() };
    Row::Text(Line::from(vec![
        Span::styled(label, style),
        Span::styled(format!(" {}   ", key(app, Context::Review, Action::Save)), t.dim()),
        Span::styled(" Back to the form ", t.accent()),
        Span::styled(format!(" {back}"), t.dim()),
    ]))
}

/// "Discard your changes?" over the form.
pub fn render_discard(frame: &mut Frame, area: Rect, app: &App, e: &EditState) {
    let list = field_list(&e.form.edits());
    let body = format!("You changed: {list}. Leaving now throws these changes away.");
    let view = ConfirmView {
        title: "Discard your changes?",
        body: &body,
        yes: (key(app, Context::Confirm, Action::Confirm), "Discard"),
        no: (key(app, Context::Confirm, Action::Cancel), "Keep editing"),
    };
    confirm::render(frame, area, &view, &app.theme);
}

/// "You have unsaved changes from …": restore, discard, or later.
pub fn render_offer(frame: &mut Frame, area: Rect, app: &App, offer: &DraftOffer) {
    let when = super::format::time(Some(&offer.saved_at));
    let later = key(app, Context::Draft, Action::Later);
    let body = format!(
        "You have unsaved changes from {when}: {}. Restore them into the edit form, or discard them? {later}: decide later.",
        field_list(&offer.changes)
    );
    let k = |a| app.keymap.hint(Context::Draft, a).unwrap_or_default();
    let view = ConfirmView {
        title: "Unsaved changes",
        body: &body,
        yes: (k(Action::Restore), "Restore"),
        no: (k(Action::Discard), "Discard"),
    };
    confirm::render(frame, area, &view, &app.theme);
}
