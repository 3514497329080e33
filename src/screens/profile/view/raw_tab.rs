//! The Raw tab: the profile's pretty JSON, a page printed at a time, with line numbers, the
//! search's matches underlined and its current line marked, and long lines either cut with `…`
//! at each edge where text is hidden (→ ← scroll them sideways) or wrapped (`w`).

use std::borrow::Cow;
use std::ops::Range;

use crate::screens::profile::ProfileState;
use crate::screens::profile::raw::gutter_width;
use crate::screens::profile::raw::wrapped_rows;
use crate::ui::theme::Theme;
use crate::ui::widgets::tree::{Piece, corner_label, draw_pieces, match_ranges};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthChar;

pub fn render(frame: &mut Frame, area: Rect, p: &ProfileState, theme: &Theme) {
    let buf = frame.buffer_mut();
    let area = area.intersection(buf.area);
    let Some(raw) = p.raw.json.as_ref().filter(|r| !r.is_empty() && !area.is_empty()) else { return };
    let len = raw.len();
    let gutter = gutter_width(len);
    let text_width = (area.width as usize).saturating_sub(gutter).max(1);
    let rows = area.height as usize;
    let top = p.raw.scroll.offset.min(len - 1);
    let lines = raw.lines(&p.tree, top, rows);
    let wrapped: Vec<Vec<Range<usize>>> = lines
        .iter()
        .map(|l| if p.raw.wrap { wrapped_rows(l, text_width) } else { std::iter::once(0..l.len()).collect() })
        .collect();
    // Lines shown, the last perhaps in part: what the corner counts.
    let mut used = 0;
    let shown = wrapped.iter().take_while(|r| {
        let fits = used < rows;
        used += r.len();
        fits
    });
    let last = top + shown.count();
    let indicator = corner_label(buf, area, &format!("{}–{last}/{len}", top + 1), theme);
    let query = p.raw.search.query();
    let mut y = area.y;
    for (n, (line, line_rows)) in lines.iter().zip(&wrapped).enumerate() {
        let spans = styled_spans(line, query, theme);
        let current = p.raw.search.current() == Some(top + n);
        for (k, row) in line_rows.iter().enumerate() {
            if y >= area.bottom() {
                return;
            }
            let number =
                if k == 0 { format!("{:>w$} ", top + n + 1, w = gutter - 1) } else { " ".repeat(gutter) };
            let style = if current && k == 0 { theme.selected() } else { theme.dim() };
            buf.set_stringn(area.x, y, &number, gutter, style);
            let width =
                if y + 1 == area.bottom() { area.width.saturating_sub(indicator) } else { area.width };
            let width = width.saturating_sub(gutter as u16);
            let x = area.x + gutter as u16;
            if p.raw.wrap {
                draw_pieces(buf, x, y, width, &slice(line, &spans, row.clone()));
            } else {
                draw_cut(buf, x, y, width, line, &spans, p.raw.column);
            }
            y += 1;
        }
    }
}

/// The line's styled byte ranges: plain, with the search's matches highlighted.
fn styled_spans(line: &str, query: &str, theme: &Theme) -> Vec<(Range<usize>, Style)> {
    let mut out = Vec::new();
    let mut at = 0;
    for hit in match_ranges(line, query) {
        if hit.start > at {
            out.push((at..hit.start, Style::new()));
        }
        at = hit.end;
        out.push((hit, theme.highlight()));
    }
    out.push((at..line.len(), Style::new()));
    out
}

/// The pieces of `line` within byte range `row`.
fn slice<'a>(line: &'a str, spans: &[(Range<usize>, Style)], row: Range<usize>) -> Vec<Piece<'a>> {
    spans
        .iter()
        .filter_map(|(r, style)| {
            let (a, b) = (r.start.max(row.start), r.end.min(row.end));
            (a < b).then(|| (Cow::Borrowed(&line[a..b]), *style))
        })
        .collect()
}

/// Draws `line` from cell `column` on: a `…` in the first cell when text is hidden to the left,
/// and (by `draw_pieces`) in the last when text is hidden to the right.
fn draw_cut(
    buf: &mut ratatui::buffer::Buffer,
    x: u16,
    y: u16,
    width: u16,
    line: &str,
    spans: &[(Range<usize>, Style)],
    column: usize,
) {
    if column == 0 || line.is_empty() {
        draw_pieces(buf, x, y, width, &slice(line, spans, 0..line.len()));
        return;
    }
    // The marker takes the first cell: text starts one cell further.
    let skip = column + 1;
    let (mut cells, mut start) = (0, line.len());
    for (i, c) in line.char_indices() {
        if cells >= skip {
            start = i;
            break;
        }
        cells += c.width().unwrap_or(0);
    }
    buf.set_stringn(x, y, "…", 1, Style::new());
    draw_pieces(buf, x + 1, y, width.saturating_sub(1), &slice(line, spans, start..line.len()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;

    fn row(line: &str, column: usize, width: u16) -> String {
        let mut buf = Buffer::empty(Rect::new(0, 0, width, 1));
        draw_cut(&mut buf, 0, 0, width, line, &[(0..line.len(), Style::new())], column);
        (0..width).map(|x| buf[(x, 0)].symbol().to_string()).collect::<String>().trim_end().to_string()
    }

    #[test]
    fn cut_lines_show_an_ellipsis_where_text_is_hidden() {
        let line = "  \"description\": \"a long text\",";
        assert_eq!(row(line, 0, 40), line);
        assert_eq!(row(line, 0, 12), "  \"descript…");
        // The marker stands in for the first cell scrolled to (here the `e`).
        assert_eq!(row(line, 4, 12), "…scription\"…");
        assert_eq!(row(line, 20, 14), "…ong text\",");
        assert_eq!(row(line, 60, 10), "…", "a line scrolled out of view still says it is there");
        assert_eq!(row("", 5, 10), "");
    }
}
