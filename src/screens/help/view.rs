//! The help overlay, generated from the keymap: what each key does on the current screen,
//! grouped by the `[keys.<context>]` table that changes it.

use crate::app::keymap::hint::HelpRows;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::state::App;
use crate::screens::help::HelpState;
use crate::ui::layout::popup;
use crate::ui::text::wrap;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

/// One line of help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading {
        title: &'static str,
        table: &'static str,
    },
    /// `name` is the action's name in `config.toml` (empty for ctrl-c, which cannot be bound).
    Binding {
        keys: String,
        name: &'static str,
        description: &'static str,
    },
    Note(&'static str),
    Blank,
}

/// The help for the screen under the overlay, whose [`HelpRows`] say which tables apply there.
pub fn lines(app: &App, rows: &HelpRows) -> Vec<HelpLine> {
    let mut out = Vec::new();
    let text_fields = rows.text_fields;
    for &ctx in &rows.contexts {
        let bindings: Vec<(Action, Vec<Key>)> = app
            .keymap
            .bindings(ctx)
            .iter()
            // In a form the global letters type (q, ?): only the keys that work are listed.
            .map(|(a, keys)| {
                let works = |k: &&Key| !(text_fields && ctx == Context::Global && k.is_text());
                (*a, keys.iter().filter(works).copied().collect::<Vec<_>>())
            })
            .filter(|(a, keys)| !keys.is_empty() && (*a != Action::FillDemo || app.demo.is_some()))
            // The mailbox exists only in demo mode; the screen leaves out what does nothing there.
            .filter(|(a, _)| *a != Action::OpenMailbox || app.demo_endpoint.is_some())
            .filter(|(a, _)| !rows.hidden.contains(a))
            .collect();
        if bindings.is_empty() && ctx != Context::Global {
            continue;
        }
        out.push(HelpLine::Heading { title: ctx.title(), table: ctx.name() });
        for (action, keys) in bindings {
            let keys = keys.iter().map(Key::pretty).collect::<Vec<_>>().join(", ");
            out.push(HelpLine::Binding {
                keys,
                name: action.name(),
                description: action.description_in(ctx),
            });
        }
        if ctx == Context::Global {
            out.push(HelpLine::Binding {
                keys: "ctrl-c".into(),
                name: "",
                description: "Quit (always, even in a text field)",
            });
        }
        out.push(HelpLine::Blank);
    }
    if text_fields {
        out.push(HelpLine::Note(
            "In forms, letters type themselves (q and ? too): F1 for help, ctrl-c to quit.",
        ));
        out.push(HelpLine::Note(
            "Editing: ← → Home End, ctrl-w deletes a word, ctrl-u the line. Paste works.",
        ));
        out.push(HelpLine::Blank);
    }
    out.push(HelpLine::Note(
        "Change a key in config.toml: [keys.<table>] <name> = \"key\" or [\"k1\", \"k2\"], the table from the heading, the name from beside the key.",
    ));
    out
}

/// The widest action name, for the name column.
const NAME_WIDTH: usize = 16;
/// The description column's narrowest before the name moves above the description.
const MIN_DESCRIPTION: usize = 24;

/// The help as drawn in a box `width` columns wide inside: keys, the action's config name, and
/// the description, which wraps with continuation lines indented under it. When three columns
/// do not fit, the name heads the description column instead.
pub fn render_lines(app: &App, theme: &Theme, rows: &HelpRows, width: usize) -> Vec<Line<'static>> {
    let all = lines(app, rows);
    let key_width = all
        .iter()
        .filter_map(|l| match l {
            HelpLine::Binding { keys, .. } => Some(keys.chars().count()),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(width / 3);
    let three = width >= key_width + 4 + NAME_WIDTH + 2 + MIN_DESCRIPTION;
    let desc_col = key_width + 4 + if three { NAME_WIDTH + 2 } else { 0 };
    let desc_width = width.saturating_sub(desc_col).max(8);
    let mut out = Vec::new();
    for line in all {
        match line {
            HelpLine::Heading { title, table } => out.push(Line::from(vec![
                Span::styled(title, theme.title()),
                Span::styled(format!("  [keys.{table}]"), theme.dim()),
            ])),
            HelpLine::Binding { keys, name, description } => {
                let mut parts: Vec<(String, bool)> = Vec::new();
                if !three && !name.is_empty() {
                    parts.push((name.to_string(), true));
                }
                parts.extend(wrap(description, desc_width).into_iter().map(|p| (p, false)));
                for (i, (part, is_name)) in parts.into_iter().enumerate() {
                    let k = if i == 0 { keys.clone() } else { String::new() };
                    let mut spans = vec![Span::styled(format!("  {k:<key_width$}  "), theme.key())];
                    if three {
                        let n = if i == 0 { name } else { "" };
                        spans.push(Span::styled(format!("{n:<NAME_WIDTH$}  "), theme.dim()));
                    }
                    spans.push(if is_name { Span::styled(part, theme.dim()) } else { Span::raw(part) });
                    out.push(Line::from(spans));
                }
            }
            HelpLine::Note(text) => {
                out.extend(wrap(text, width).into_iter().map(|l| Line::from(Span::styled(l, theme.dim()))));
            }
            HelpLine::Blank => out.push(Line::from("")),
        }
    }
    out
}

/// Draws the help over `main` (the screen's area) for the screen under it, whose [`HelpRows`] are `rows`,
/// and records what it showed for `update`.
pub fn render(frame: &mut Frame, main: Rect, app: &App, theme: &Theme, state: &HelpState, rows: &HelpRows) {
    let area = popup(main, 72, main.height);
    let all = render_lines(app, theme, rows, area.width.saturating_sub(2) as usize);
    let page = area.height.saturating_sub(2) as usize;
    state.drawn(page, all.len());
    let scroll = state.top(page, all.len());
    let title = if all.len() > page {
        format!(" Keys {}–{} of {} ", scroll + 1, (scroll + page).min(all.len()), all.len())
    } else {
        " Keys ".to_string()
    };
    let text: Vec<Line> = all.into_iter().skip(scroll).take(page).collect();
    let close = app.keymap.hint(Context::Help, Action::Close).unwrap_or_default();
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.accent())
        .title(Span::styled(title, theme.title()))
        .title_bottom(Line::from(Span::styled(format!(" {close} closes "), theme.dim())).right_aligned());
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(text).block(block), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_name_fits_the_name_column() {
        for a in Action::ALL {
            assert!(a.name().chars().count() <= NAME_WIDTH, "{} is wider than the column", a.name());
        }
    }
}
