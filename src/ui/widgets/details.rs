//! The details popup (`i` on the profile): every field of the selected row, wrapped to the box
//! instead of cut, scrolling when it is taller than the screen.
//!
//! Labels sit in a column beside their values when the box is wide enough for that, above them
//! otherwise, so no label is ever cut. `update` scrolls it with [`line_count`] and [`page`], which
//! measure exactly what [`render`] draws.

use crate::screens::profile::details::Details;
use crate::ui::layout::{chrome, popup};
use crate::ui::text::{wrap, wrapped_len};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

/// The widest the box gets (as the help overlay).
const MAX_WIDTH: u16 = 72;

/// The box for a terminal of `viewport` cells, before it shrinks to a short text.
fn frame_area(viewport: (u16, u16)) -> Rect {
    let main = chrome(Rect::new(0, 0, viewport.0, viewport.1)).main;
    popup(main, MAX_WIDTH, main.height)
}

/// The text's width inside the box (borders and a column of padding each side).
fn text_width(viewport: (u16, u16)) -> usize {
    frame_area(viewport).width.saturating_sub(4) as usize
}

/// Lines of text the box shows at once.
pub fn page(viewport: (u16, u16)) -> usize {
    frame_area(viewport).height.saturating_sub(2).max(1) as usize
}

/// How many lines `details` takes at the current size.
pub fn line_count(details: &Details, viewport: (u16, u16)) -> usize {
    count(details, text_width(viewport))
}

/// Where the values go: beside their labels when that leaves them two thirds of the width,
/// below them otherwise. Returns (beside, label width, indent of the values, their width).
fn shape(details: &Details, width: usize) -> (bool, usize, usize, usize) {
    let label_width = details.fields.iter().map(|f| f.label.width()).max().unwrap_or(0);
    let beside = label_width + 2 <= width / 3;
    let indent = if beside { label_width + 2 } else { 2 };
    (beside, label_width, indent, width.saturating_sub(indent).max(1))
}

/// The number of lines drawn `width` cells wide, counted without making them (a right granted
/// by a thousand roles has thousands).
fn count(details: &Details, width: usize) -> usize {
    let (beside, _, _, value_width) = shape(details, width);
    details
        .fields
        .iter()
        .map(|f| usize::from(!beside) + f.lines.iter().map(|v| wrapped_len(v, value_width)).sum::<usize>())
        .sum()
}

/// Lines `from..from + n` of the details drawn `width` cells wide: only those are made.
fn lines(details: &Details, width: usize, from: usize, n: usize, theme: &Theme) -> Vec<Line<'static>> {
    let (beside, label_width, indent, value_width) = shape(details, width);
    let end = from.saturating_add(n);
    let mut out = Vec::new();
    let mut at = 0;
    for field in &details.fields {
        if at >= end {
            break;
        }
        if !beside {
            if at >= from {
                out.push(Line::from(Span::styled(field.label, theme.label())));
            }
            at += 1;
        }
        for (k, value) in field.lines.iter().enumerate() {
            // Values wholly above the page are only counted.
            let rows = wrapped_len(value, value_width);
            if at + rows <= from || at >= end {
                at += rows;
                continue;
            }
            for (i, part) in wrap(value, value_width).into_iter().enumerate() {
                if at >= from && at < end {
                    let lead = if beside && k == 0 && i == 0 {
                        Span::styled(format!("{:<label_width$}  ", field.label), theme.label())
                    } else {
                        Span::raw(" ".repeat(indent))
                    };
                    out.push(Line::from(vec![lead, Span::raw(part)]));
                }
                at += 1;
            }
        }
    }
    out
}

/// Draws the popup for `details` over `area` (the screen's main area), scrolled by `scroll`
/// lines (kept inside the text). Returns what it drew: lines visible at once, and lines in all.
pub fn render(
    frame: &mut Frame,
    viewport: (u16, u16),
    details: &Details,
    scroll: usize,
    close_key: &str,
    theme: &Theme,
) -> (usize, usize) {
    let outer = frame_area(viewport);
    let width = text_width(viewport);
    let total = count(details, width);
    let page = page(viewport);
    let height = (total.min(page) + 2) as u16;
    let area = Rect { y: outer.y + (outer.height.saturating_sub(height)) / 2, height, ..outer };
    let scroll = scroll.min(total.saturating_sub(page));
    let mut title = vec![Span::styled(format!(" {} ", details.title), theme.title())];
    if total > page {
        let last = (scroll + page).min(total);
        title.push(Span::styled(format!("{}–{last} of {total} ", scroll + 1), theme.dim()));
    }
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.accent())
        .title(Line::from(title))
        .title_bottom(Line::from(Span::styled(format!(" {close_key} closes "), theme.dim())).right_aligned());
    let text = lines(details, width, scroll, page, theme);
    frame.render_widget(Clear, area);
    let inner = block.inner(area).inner(Margin::new(1, 0));
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(text), inner);
    (page, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(details: &Details, width: usize) -> Vec<String> {
        let all = lines(details, width, 0, usize::MAX, &Theme { no_color: true });
        assert_eq!(all.len(), count(details, width));
        // Any page of it is the same lines.
        for from in 0..all.len() {
            assert_eq!(
                lines(details, width, from, 3, &Theme { no_color: true }),
                all[from..(from + 3).min(all.len())]
            );
        }
        all.iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect::<String>().trim_end().to_string())
            .collect()
    }

    #[test]
    fn labels_go_beside_values_when_wide_and_above_when_narrow() {
        let d = Details::new("Role")
            .field("Name", "Developer")
            .field("Description", "one two three four five six seven eight nine ten")
            .list("Rules", vec!["a".into(), "b".into()]);
        assert_eq!(
            text(&d, 40),
            [
                "Name         Developer",
                "Description  one two three four five six",
                "             seven eight nine ten",
                "Rules        a",
                "             b",
            ]
        );
        assert_eq!(
            text(&d, 30),
            [
                "Name",
                "  Developer",
                "Description",
                "  one two three four five six",
                "  seven eight nine ten",
                "Rules",
                "  a",
                "  b"
            ]
        );
    }
}
