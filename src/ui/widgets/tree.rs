//! Draws the profile's roles tree ([`ProfileTree`]).
//!
//! Only the rows in the viewport are formatted and drawn, so a fully expanded 1,000 × 50 profile
//! draws as fast as a small one. Meaning never rests on colour: rights carry ✓/✗, the selection
//! is reversed video plus a `›` in the first column, expandable rows show `▸`/`▾`, and filter
//! matches are underlined as well as coloured. Text is written with `Buffer::set_stringn` only
//! and cut to the width with `…`, measured in terminal cells (wide characters count two).
//!
//! The helpers at the bottom (cutting, highlighting, the position indicator, the empty state)
//! are shared with the permissions widget.

use std::borrow::Cow;
use std::ops::Range;

use crate::screens::profile::tree::ProfileTree;
use crate::screens::profile::tree::Rows;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::screens::profile::tree::Tone;
use crate::ui::theme::Theme;

/// How far below the viewport the guides look for a next sibling. Past it (a rule with
/// thousands of expanded uids), a guide is drawn as continuing rather than scanning further.
const GUIDE_LOOKAHEAD: usize = 4096;

/// One styled piece of a row.
pub(crate) type Piece<'a> = (Cow<'a, str>, Style);

/// Draws `tree` into `area`: the rows from its offset (moved if needed so the selection shows),
/// `focused` deciding whether the selection is drawn reversed or only marked with `›`.
pub fn render_tree(tree: &ProfileTree, area: Rect, buf: &mut Buffer, theme: &Theme, focused: bool) {
    let Some(area) = list_area(
        buf,
        area,
        tree.is_empty(),
        tree.filter(),
        tree.filtering(),
        "No roles in this profile",
        theme,
    ) else {
        return;
    };
    let height = area.height as usize;
    let cursor = tree.cursor();
    let offset = cursor.offset_for(height, tree.len());
    let end = (offset + height).min(tree.len());
    let guides = guide_prefixes(tree, offset, end);
    let indicator = position_indicator(buf, area, cursor.selected(), tree.len(), theme);
    let query = tree.filter().to_lowercase();
    for (n, i) in (offset..end).enumerate() {
        let Some(row) = tree.row(i) else { continue };
        let y = area.y + n as u16;
        let selected = i == cursor.selected();
        let mut pieces: Vec<Piece> =
            vec![(Cow::Borrowed(if selected { "› " } else { "  " }), theme.accent())];
        pieces.push((Cow::Owned(guides.get(n).cloned().unwrap_or_default()), theme.dim()));
        match (row.expandable, row.expanded) {
            (true, true) => pieces.push((Cow::Borrowed("▾ "), theme.accent())),
            (true, false) => pieces.push((Cow::Borrowed("▸ "), theme.accent())),
            _ => {}
        }
        for part in row.parts {
            let style = tone_style(theme, part.tone);
            if row.matched {
                highlight(part.text, style, &query, theme.highlight(), &mut pieces);
            } else {
                pieces.push((part.text, style));
            }
        }
        // The bottom row leaves room for the position indicator.
        let width = if n + 1 == height { area.width.saturating_sub(indicator) } else { area.width };
        draw_pieces(buf, area.x, y, width, &pieces);
        if selected && focused {
            buf.set_style(Rect::new(area.x, y, width, 1), theme.selected());
        }
    }
}

/// The style of a piece of row text.
pub(crate) fn tone_style(theme: &Theme, tone: Tone) -> Style {
    match tone {
        Tone::Heading => theme.title(),
        Tone::Plain => Style::new(),
        Tone::Detail => theme.dim(),
        Tone::Granted => theme.ok(),
        Tone::Denied => theme.error(),
    }
}

/// `│ ├ └` prefixes for rows `start..end`: a row's own connector is `└ ` when no sibling follows
/// it, and each ancestor level shows `│ ` while that ancestor has a later sibling. Worked out
/// bottom-up from the rows below the viewport, so drawing never walks the whole tree.
fn guide_prefixes(tree: &ProfileTree, start: usize, end: usize) -> Vec<String> {
    // follows[d]: some row at depth d comes below, with no shallower row before it.
    fn set(follows: &mut Vec<bool>, d: usize, v: bool) {
        if follows.len() <= d {
            follows.resize(d + 1, false);
        }
        follows[d] = v;
    }
    let mut follows: Vec<bool> = Vec::new();
    let (mut min, mut i) = (usize::MAX, end);
    let limit = tree.len().min(end.saturating_add(GUIDE_LOOKAHEAD));
    while min > 1 && i < limit {
        let Some(d) = tree.depth(i) else { break };
        if d <= min {
            set(&mut follows, d, true);
        }
        min = min.min(d);
        i += 1;
    }
    if i == limit && limit < tree.len() {
        // Unresolved levels: assume they continue.
        for d in 1..min.min(64) {
            set(&mut follows, d, true);
        }
    }
    let mut out = vec![String::new(); end.saturating_sub(start)];
    for i in (start..end).rev() {
        let Some(d) = tree.depth(i) else { continue };
        let at = |follows: &Vec<bool>, level: usize| follows.get(level).copied().unwrap_or(false);
        let mut prefix = String::with_capacity(d * 4);
        for level in 1..d {
            prefix.push_str(if at(&follows, level) { "│ " } else { "  " });
        }
        if d >= 1 {
            prefix.push_str(if at(&follows, d) { "├ " } else { "└ " });
        }
        out[i - start] = prefix;
        set(&mut follows, d, true);
        follows.truncate(d + 1);
    }
    out
}

/// "No rows match 'xyz'", the query cut to 40 cells. The query is typed, not from the server,
/// so it is made safe for the terminal here.
pub(crate) fn no_match_message(filter: &str) -> String {
    let shown = crate::sanitize::display(filter);
    format!("No rows match '{}'", cut(&shown, 40))
}

/// The part of `area` on `buf` to draw a list in, or `None` when there is no room, or when the
/// list is `empty` and its empty state was drawn: `none` without a filter, "Searching…" while the
/// filter is still being applied, else no match for it.
pub(crate) fn list_area(
    buf: &mut Buffer,
    area: Rect,
    empty: bool,
    filter: &str,
    searching: bool,
    none: &str,
    theme: &Theme,
) -> Option<Rect> {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return None;
    }
    if empty {
        let message = match (filter.is_empty(), searching) {
            (true, _) => none.to_string(),
            (false, true) => "Searching…".to_string(),
            (false, false) => no_match_message(filter),
        };
        draw_empty(buf, area, &message, theme);
        return None;
    }
    Some(area)
}

/// Draws an empty state's message on the first line.
pub(crate) fn draw_empty(buf: &mut Buffer, area: Rect, message: &str, theme: &Theme) {
    draw_pieces(buf, area.x, area.y, area.width, &[(Cow::Borrowed(message), theme.dim())]);
}

/// Draws `123/4567` (the selected row and the number of rows) in the bottom-right corner, from
/// the first frame on, and returns how many cells (with a space before) the bottom row must leave
/// free for it.
pub(crate) fn position_indicator(
    buf: &mut Buffer,
    area: Rect,
    selected: usize,
    len: usize,
    theme: &Theme,
) -> u16 {
    if len == 0 {
        return 0;
    }
    corner_label(buf, area, &format!("{}/{}", selected + 1, len), theme)
}

/// Draws `text` in the bottom-right corner of `area` (when there is room for it and some text
/// beside it) and returns how many cells the bottom row must leave free for it.
pub(crate) fn corner_label(buf: &mut Buffer, area: Rect, text: &str, theme: &Theme) -> u16 {
    let width = text.width() as u16;
    if area.height == 0 || area.width < width + 8 {
        return 0;
    }
    let x = area.right().saturating_sub(width);
    buf.set_stringn(x, area.bottom() - 1, text, width as usize, theme.label());
    width + 1
}

/// Splits `text` into pieces, underlining (with `hl` on top of `base`) every case-insensitive
/// occurrence of `query` (already lower-cased).
pub(crate) fn highlight<'a>(
    text: Cow<'a, str>,
    base: Style,
    query: &str,
    hl: Style,
    out: &mut Vec<Piece<'a>>,
) {
    let ranges = match_ranges(&text, query);
    if ranges.is_empty() {
        out.push((text, base));
        return;
    }
    let mut at = 0;
    for r in ranges {
        if r.start > at {
            out.push((Cow::Owned(text[at..r.start].to_string()), base));
        }
        out.push((Cow::Owned(text[r.clone()].to_string()), base.patch(hl)));
        at = r.end;
    }
    if at < text.len() {
        out.push((Cow::Owned(text[at..].to_string()), base));
    }
}

/// Byte ranges of `text` whose lower-cased form is `query`. Lower-casing may change lengths
/// (`İ` becomes two characters), so each lower-cased byte remembers the character it came from.
pub(crate) fn match_ranges(text: &str, query: &str) -> Vec<Range<usize>> {
    if query.is_empty() {
        return Vec::new();
    }
    let mut lower = String::with_capacity(text.len());
    let mut origin: Vec<Range<usize>> = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        for lc in c.to_lowercase() {
            lower.push(lc);
            origin.extend(std::iter::repeat_n(i..i + c.len_utf8(), lc.len_utf8()));
        }
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    for (p, m) in lower.match_indices(query) {
        let (Some(first), Some(last)) = (origin.get(p), origin.get(p + m.len() - 1)) else { continue };
        let start = first.start.max(out.last().map_or(0, |r| r.end));
        if start < last.end {
            out.push(start..last.end);
        }
    }
    out
}

/// Display width of a cluster: a character and the zero-width ones after it, measured whole so
/// emoji presentation selectors count as ratatui counts them.
fn clusters(s: &str) -> impl Iterator<Item = (&str, usize)> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let mut chars = rest.char_indices();
        chars.next()?;
        let end = chars.find(|&(_, c)| c.width().unwrap_or(0) > 0).map_or(rest.len(), |(i, _)| i);
        let (cluster, tail) = rest.split_at(end);
        rest = tail;
        Some((cluster, cluster.width()))
    })
}

/// `s` cut to `max` cells, ending in `…` when cut.
pub(crate) fn cut(s: &str, max: usize) -> Cow<'_, str> {
    if s.width() <= max {
        return Cow::Borrowed(s);
    }
    let mut used = 0;
    let mut end = 0;
    for (cluster, w) in clusters(s) {
        if used + w > max.saturating_sub(1) {
            break;
        }
        used += w;
        end += cluster.len();
    }
    Cow::Owned(format!("{}…", &s[..end]))
}

/// Writes `pieces` left to right from `(x, y)` within `width` cells. When they do not fit, the
/// text stops one cell early and `…` (in the style of the piece it cut) marks the cut; a wide
/// character that would straddle the edge is left out whole.
pub(crate) fn draw_pieces(buf: &mut Buffer, x: u16, y: u16, width: u16, pieces: &[Piece]) {
    let total: usize = pieces.iter().map(|(t, _)| t.width()).sum();
    let width = width as usize;
    if total <= width {
        let mut at = x;
        for (text, style) in pieces {
            let left = width.saturating_sub((at - x) as usize);
            at = buf.set_stringn(at, y, text.as_ref(), left, *style).0;
        }
        return;
    }
    let budget = width.saturating_sub(1);
    let mut used = 0;
    let mut at = x;
    for (text, style) in pieces {
        let mut end = 0;
        let mut cut_here = false;
        for (cluster, w) in clusters(text) {
            if used + w > budget {
                cut_here = true;
                break;
            }
            used += w;
            end += cluster.len();
        }
        let left = width.saturating_sub((at - x) as usize);
        at = buf.set_stringn(at, y, &text[..end], left, *style).0;
        if cut_here {
            if width > 0 {
                buf.set_stringn(at, y, "…", 1, *style);
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests;
