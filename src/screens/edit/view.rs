//! The edit-profile screen: a card with the five fields, each check's message beside its field
//! (under it when there is no room beside), and the key that goes on to the review (drawn by
//! [`edit_review`](super::edit_review)). Also the two questions that belong to the form:
//! discard the changes, and restore a draft left by an earlier run.
//!
//! The card shrinks in steps as the terminal does: first the heading and spacing go, then long
//! messages are cut to one line. Nothing relies on colour alone: a changed field's label ends in
//! `*`, a problem starts with ✗, a note with ✓, ℹ or !.

use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::edit::DraftOffer;
use crate::screens::edit::EditField;
use crate::screens::edit::EditForm;
use crate::screens::edit::EditState;
use crate::screens::edit::NoteKind;
use crate::screens::edit::Step;
use crate::screens::edit::field_list;
use crate::ui::text::wrap;
use crate::ui::theme::Theme;
use crate::ui::widgets::confirm;
use crate::ui::widgets::field::{self, FieldView};
use crate::ui::widgets::tree::cut;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// `▸ Mobile number* `: marker, the longest label, the changed mark, a space.
pub(crate) const LABEL: u16 = 17;
/// The card's widest, so the form does not sprawl on wide terminals.
const CARD_MAX_WIDTH: u16 = 76;
/// The input's widest; the rest of the line holds the message beside it.
const VALUE_MAX_WIDTH: u16 = 28;

/// How much room the card takes, from most to least: each step is tried until one fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Density {
    /// A heading, blank lines between parts, long texts wrapped.
    Roomy,
    /// No heading or blank lines.
    Tight,
    /// Long texts cut to one line.
    Tiny,
}

impl Density {
    const ALL: [Density; 3] = [Density::Roomy, Density::Tight, Density::Tiny];
}

/// One line of the card.
pub(crate) enum Row {
    Text(Line<'static>),
    /// A field: its label and input, and the message beside it when it fits there.
    Field(EditField, Option<Line<'static>>),
}

pub(crate) fn blank() -> Row {
    Row::Text(Line::from(""))
}

/// The first key of an action that does not type (a text field has the keyboard on the form).
pub(crate) fn key(app: &App, ctx: Context, action: Action) -> String {
    app.keymap.keys(ctx, action).iter().find(|k| !k.is_text()).map(|k| k.pretty()).unwrap_or_default()
}

/// The first of `candidates` that fits in `width` (the last, cut, when none does).
pub(crate) fn first_fitting(candidates: Vec<Vec<Span<'static>>>, width: u16) -> Row {
    let fits = |c: &Vec<Span>| c.iter().map(|s| s.width()).sum::<usize>() <= width as usize;
    let chosen = match candidates.iter().position(fits) {
        Some(i) => candidates.into_iter().nth(i),
        None => candidates.into_iter().last(),
    };
    Row::Text(Line::from(chosen.unwrap_or_default()))
}

/// `text` as rows at `width`: wrapped, or cut to one line when space is tiny.
pub(crate) fn text_rows(text: &str, width: u16, style: Style, density: Density) -> Vec<Row> {
    let lines = if density == Density::Tiny {
        vec![cut(text, width as usize).into_owned()]
    } else {
        wrap(text, width as usize)
    };
    lines.into_iter().map(|l| Row::Text(Line::from(Span::styled(l, style)))).collect()
}

/// A note under the form, its kind in its first character.
pub(crate) fn note_rows(kind: NoteKind, text: &str, width: u16, t: &Theme) -> Vec<Row> {
    let (mark, style) = match kind {
        NoteKind::Info => ("ℹ ", t.label()),
        NoteKind::Done => ("✓ ", t.ok()),
        NoteKind::Warning => ("! ", t.warn()),
    };
    // Notes say what happened: never cut.
    text_rows(&format!("{mark}{text}"), width, style, Density::Roomy)
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, e: &EditState) {
    let form = &e.form;
    let width = CARD_MAX_WIDTH.min(area.width);
    let inner_width = width.saturating_sub(4);
    let max_lines = area.height.saturating_sub(2) as usize;
    let build = |d| match form.step {
        Step::Form => form_rows(app, theme, form, inner_width, d),
        Step::Review => crate::screens::edit::review::rows(app, theme, form, inner_width, d, max_lines),
    };
    let mut rows = Vec::new();
    for d in Density::ALL {
        rows = build(d);
        if rows.len() <= max_lines {
            break;
        }
    }
    let card = area.centered(Constraint::Length(width), Constraint::Length(rows.len() as u16 + 2));
    let title = match form.step {
        Step::Form => "Edit profile",
        Step::Review => "Review changes",
    };
    let inner = crate::ui::widgets::card::boxed(frame, card, title, theme);
    for (y, row) in (inner.y..inner.bottom()).zip(rows) {
        let r = Rect::new(inner.x, y, inner.width, 1);
        match row {
            Row::Text(line) => frame.render_widget(Paragraph::new(line), r),
            Row::Field(f, beside) => field_row(frame, r, app, theme, form, f, beside),
        }
    }
}

fn value_width(inner_width: u16) -> u16 {
    inner_width.saturating_sub(LABEL).min(VALUE_MAX_WIDTH)
}

/// Who is being edited, where: `john.doe@example.com · NA`.
pub(crate) fn heading(app: &App, t: &Theme, width: u16) -> Row {
    let Some(s) = &app.session else { return blank() };
    let region = crate::ui::format::short_endpoint(&s.endpoint);
    let email = cut(&s.email, (width as usize).saturating_sub(region.width() + 3)).into_owned();
    Row::Text(Line::from(vec![Span::styled(email, t.title()), Span::styled(format!(" · {region}"), t.dim())]))
}

fn form_rows(app: &App, t: &Theme, form: &EditForm, width: u16, density: Density) -> Vec<Row> {
    let roomy = density == Density::Roomy;
    let mut rows = Vec::new();
    if roomy {
        rows.push(heading(app, t, width));
        rows.push(blank());
    }
    let beside_width = width.saturating_sub(LABEL + value_width(width) + 1) as usize;
    let indent = || Span::raw(" ".repeat(LABEL as usize));
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
        for row in text_rows(&text, width.saturating_sub(LABEL), t.error(), density) {
            if let Row::Text(line) = row {
                let mut spans = vec![indent()];
                spans.extend(line.spans);
                rows.push(Row::Text(Line::from(spans)));
            }
        }
    }
    if roomy {
        rows.push(blank());
    }
    let review = || Span::styled(" Review changes ", t.accent());
    let review_key = || Span::styled(format!("  {}", key(app, Context::Edit, Action::Review)), t.dim());
    let leave = key(app, Context::Edit, Action::Leave);
    let count = match EditField::ALL.into_iter().filter(|f| form.is_edited(*f)).count() {
        0 => String::new(),
        1 => "   1 field changed (*)".to_string(),
        n => format!("   {n} fields changed (*)"),
    };
    rows.push(first_fitting(
        vec![
            vec![indent(), review(), review_key(), Span::styled(count, t.dim())],
            vec![indent(), review(), review_key()],
            // Narrow: no footer line either, so the way out shows here.
            vec![review(), review_key(), Span::styled(format!("   {leave} leaves"), t.dim())],
            vec![review(), review_key()],
        ],
        width,
    ));
    let mut status: Vec<Row> = Vec::new();
    for message in &form.other_errors {
        status.extend(text_rows(&format!("✗ {message}"), width, t.error(), Density::Roomy));
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

/// `▸ Company*         Acme________________ ✗ message`
fn field_row(
    frame: &mut Frame,
    row: Rect,
    app: &App,
    t: &Theme,
    form: &EditForm,
    f: EditField,
    beside: Option<Line<'static>>,
) {
    let here = form.focus == f;
    // The terminal cursor only when nothing covers the form.
    let overlaid =
        app.confirm.is_some() || app.help().is_some() || app.draft_offer.as_ref().is_some_and(|o| o.open);
    let marker = if here { Span::styled("▸ ", t.accent()) } else { Span::raw("  ") };
    let style = if here { t.accent() } else { t.label() };
    let label = format!("{}{}", f.label(), if form.is_edited(f) { "*" } else { "" });
    let [lab, value, _, rest] = Layout::horizontal([
        Constraint::Length(LABEL),
        Constraint::Length(value_width(row.width)),
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
    let view = FieldView { field: form.field(f), focused: here && !overlaid, reveal: true, placeholder };
    field::render(frame, value, &view, t);
    if let Some(line) = beside {
        frame.render_widget(Paragraph::new(line), rest);
    }
}

/// "Discard your changes?" over the form.
pub fn render_discard(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, e: &EditState) {
    let list = field_list(&e.form.edits());
    let body = format!("You changed: {list}. Leaving now throws these changes away.");
    let (yes, no) = ((Action::Confirm, "Discard"), (Action::Cancel, "Keep editing"));
    confirm::ask(frame, area, &app.keymap, Context::Confirm, "Discard your changes?", &body, yes, no, theme);
}

/// "You have unsaved changes from …": restore, discard, or later.
pub fn render_offer(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, offer: &DraftOffer) {
    let when = crate::text::time(Some(&offer.saved_at));
    let later = key(app, Context::Draft, Action::Later);
    let body = format!(
        "You have unsaved changes from {when}: {}. Restore them into the edit form, or discard them? {later}: decide later.",
        field_list(&offer.changes)
    );
    let (yes, no) = ((Action::Restore, "Restore"), (Action::Discard, "Discard"));
    confirm::ask(frame, area, &app.keymap, Context::Draft, "Unsaved changes", &body, yes, no, theme);
}
