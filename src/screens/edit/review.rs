//! The review step of the edit form: each change, old → new, exactly what a save sends, then the
//! save's progress, or why it failed and what to press next.
//!
//! On a short screen the list gives way, never the buttons or the failure: entries shrink to one
//! line each, then the last ones fold into "… N more".

use crate::screens::edit::view::Density;
use crate::ui::theme::Theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::screens::edit::view::LABEL;

use crate::screens::edit::view::Row;

use crate::screens::edit::view::blank;

use crate::screens::edit::view::first_fitting;

use crate::screens::edit::view::key;

use crate::screens::edit::view::note_rows;

use crate::app::keymap::{Action, Context};
use crate::app::request::Kind;
use crate::app::state::App;
use crate::screens::edit::EditField;
use crate::screens::edit::EditForm;
use crate::screens::edit::view::text_rows;
use crate::ui::text::wrap;
use crate::ui::widgets::spinner;
use crate::ui::widgets::tree::cut;

/// `(empty)` for a value that is not there, dimmed.
fn shown(value: &str) -> (String, bool) {
    if value.is_empty() { ("(empty)".to_string(), true) } else { (value.to_string(), false) }
}

pub(crate) fn rows(
    app: &App,
    t: &Theme,
    form: &EditForm,
    width: u16,
    density: Density,
    max_lines: usize,
) -> Vec<Row> {
    let Some(session) = &app.session else { return Vec::new() };
    let changes = form.changes(&session.user);
    let list: Vec<EditField> =
        EditField::ALL.into_iter().filter(|f| f.in_update(&changes).is_some()).collect();
    let mut head = Vec::new();
    if density == Density::Roomy {
        let what = if list.len() == 1 { "1 change".to_string() } else { format!("{} changes", list.len()) };
        let room = (width as usize).saturating_sub(what.width() + 13);
        head.push(Row::Text(Line::from(vec![
            Span::styled(format!("{what} to save for "), t.label()),
            Span::styled(cut(&session.email, room).into_owned(), t.title()),
        ])));
        head.push(blank());
    }
    let entries: Vec<Vec<Row>> = list
        .iter()
        .map(|f| {
            let old = f.current(&session.user);
            let new = f.in_update(&changes).unwrap_or_default();
            entry(t, f.label(), old, new, width, density)
        })
        .collect();
    let mut tail = Vec::new();
    if density == Density::Roomy {
        tail.push(blank());
    }
    tail.push(buttons(app, t, form, width));
    let mut status = Vec::new();
    if let Some(failure) = &form.failure {
        let again =
            if form.failed_saves > 1 { format!(" (try {})", form.failed_saves) } else { String::new() };
        status.push(Row::Text(Line::from(Span::styled(format!("✗ {}{again}", failure.title), t.error()))));
        let next = if failure.waiting {
            "Your changes are kept; saving works again once the wait is over.".to_string()
        } else {
            format!(
                "Your changes are kept: {} tries again, {} goes back to the form.",
                key(app, Context::Review, Action::Save),
                key(app, Context::Review, Action::BackToForm)
            )
        };
        // What went wrong is never cut: the list gives way instead.
        status.extend(text_rows(&format!("{} {next}", failure.message), width, Style::new(), Density::Roomy));
    }
    if let Some(note) = &form.note {
        status.extend(note_rows(note.kind, &note.text, width, t));
    }
    if density == Density::Roomy && !status.is_empty() {
        tail.push(blank());
    }
    tail.extend(status);
    let mut body: Vec<Row> = Vec::new();
    let room = max_lines.saturating_sub(head.len() + tail.len());
    let total: usize = entries.iter().map(Vec::len).sum();
    if density == Density::Tiny && total > room {
        let keep = room.saturating_sub(1);
        let hidden = entries.len().saturating_sub(keep);
        body.extend(entries.into_iter().take(keep).flatten());
        let more = format!("… {hidden} more: a taller terminal shows them");
        body.push(Row::Text(Line::from(Span::styled(cut(&more, width as usize).into_owned(), t.dim()))));
    } else {
        body.extend(entries.into_iter().flatten());
    }
    head.into_iter().chain(body).chain(tail).collect()
}

/// One change: `Company        Contentstack → Acme Ltd` on one line when it fits; else the old
/// value on the label's line and `→ new` under it (wrapped, or cut when space is tiny).
fn entry(t: &Theme, label: &str, old: &str, new: &str, width: u16, density: Density) -> Vec<Row> {
    let label_width = LABEL as usize - 2;
    let value_width = (width as usize).saturating_sub(label_width);
    let (old, old_empty) = shown(old);
    let (new, new_empty) = shown(new);
    let old_style = if old_empty { t.dim() } else { t.label() };
    let new_style = if new_empty { t.dim() } else { t.title() };
    let label = Span::styled(format!("{label:<label_width$}"), t.label());
    if old.width() + 3 + new.width() <= value_width {
        return vec![Row::Text(Line::from(vec![
            label,
            Span::styled(old, old_style),
            Span::styled(" → ", t.accent()),
            Span::styled(new, new_style),
        ]))];
    }
    if density == Density::Tiny {
        // One line: as much of the new value as fits, which is what will be saved.
        let new = cut(&new, value_width.saturating_sub(2)).into_owned();
        return vec![Row::Text(Line::from(vec![
            label,
            Span::styled("→ ", t.accent()),
            Span::styled(new, new_style),
        ]))];
    }
    let pad = || Span::raw(" ".repeat(label_width));
    let mut rows = Vec::new();
    for (i, l) in wrap(&old, value_width).into_iter().enumerate() {
        let first = if i == 0 { label.clone() } else { pad() };
        rows.push(Row::Text(Line::from(vec![first, Span::styled(l, old_style)])));
    }
    for (i, l) in wrap(&new, value_width.saturating_sub(2)).into_iter().enumerate() {
        let arrow = if i == 0 { Span::styled("→ ", t.accent()) } else { Span::raw("  ") };
        rows.push(Row::Text(Line::from(vec![pad(), arrow, Span::styled(l, new_style)])));
    }
    rows
}

/// What the review's button row says while a save runs (after the spinner).
pub const SAVING: &str = "Saving…";

/// Save and back; while saving, the spinner and how to cancel.
fn buttons(app: &App, t: &Theme, form: &EditForm, width: u16) -> Row {
    let back = key(app, Context::Review, Action::BackToForm);
    if app.has_pending_kind(Kind::Save) {
        let saving = || Span::styled(format!("{} {SAVING}", spinner::frame(app.spinner)), t.accent());
        return first_fitting(
            vec![
                vec![saving(), Span::styled(format!("  {back} cancels (your changes stay)"), t.dim())],
                vec![saving(), Span::styled(format!("  {back} cancels"), t.dim())],
            ],
            width,
        );
    }
    let waiting = form.failure.as_ref().is_some_and(|f| f.waiting);
    let (label, style) = match &form.failure {
        None => (" Save ", t.selected()),
        Some(_) if waiting => (" Try again ", t.dim()),
        Some(_) => (" Try again ", t.selected()),
    };
    let save_key =
        if waiting { "after the wait".to_string() } else { key(app, Context::Review, Action::Save) };
    let save = || vec![Span::styled(label, style), Span::styled(format!(" {save_key}   "), t.dim())];
    let back_to =
        |text: &'static str| vec![Span::styled(text, t.accent()), Span::styled(format!(" {back}"), t.dim())];
    first_fitting(
        vec![[save(), back_to(" Back to the form ")].concat(), [save(), back_to(" Back ")].concat(), save()],
        width,
    )
}
