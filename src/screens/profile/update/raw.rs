//! The Raw tab's keys: scrolling by lines and pages (rows of wrapped lines counted), sideways
//! scrolling of cut lines, wrapping, and moving between the search's matches.
//!
//! Every page measurement prints only the lines on the page (see `RawJson::lines`), so each key
//! costs the same on a 650,000-line document as on a small one.

use ratatui::layout::Rect;

use crate::app::keymap::Action;
use crate::app::state::{App, Screen};
use crate::screens::profile::ProfileState;
use crate::screens::profile::Tab;
use crate::screens::profile::raw::RawJson;
use crate::screens::profile::raw::gutter_width;
use crate::screens::profile::update::body_height;
use crate::ui::widgets::tree::match_ranges;

/// The page's rows and, when lines wrap, the width they wrap at.
fn geometry(p: &ProfileState, area: Rect) -> (usize, Option<usize>) {
    let rows = body_height(area, p).max(1);
    (rows, p.raw.wrap.then(|| text_width(p, area)))
}

/// Cells left for the text beside the line numbers.
fn text_width(p: &ProfileState, area: Rect) -> usize {
    (area.width as usize).saturating_sub(gutter_width(p.raw_len())).max(1)
}

/// The first line of the last page.
fn max_top(p: &ProfileState, raw: &RawJson, area: Rect) -> usize {
    let (rows, wrap) = geometry(p, area);
    raw.top_for_end(&p.tree, raw.len(), rows, wrap)
}

/// Keeps the first line shown inside the document after a resize, a reload or a wrap toggle.
pub(super) fn clamp(p: &mut ProfileState, area: Rect) {
    let Some(raw) = &p.raw.json else { return };
    let max = max_top(p, raw, area);
    p.raw.scroll.offset = p.raw.scroll.offset.min(max);
}

/// ↑↓, pages, first and last line.
pub(super) fn navigate(p: &mut ProfileState, area: Rect, action: Action) {
    let Some(raw) = &p.raw.json else { return };
    let (rows, wrap) = geometry(p, area);
    let top = p.raw.scroll.offset;
    let max = max_top(p, raw, area);
    let next = match action {
        Action::Up => top.saturating_sub(1),
        Action::Down => top + 1,
        Action::PageDown => top + raw.lines_fitting(&p.tree, top, rows, wrap).max(1),
        Action::PageUp => raw.top_for_end(&p.tree, top, rows, wrap),
        Action::Top => 0,
        Action::Bottom => max,
        _ => top,
    };
    p.raw.scroll.offset = next.min(max);
    p.raw.search.stop_seeking();
}

/// → ← scroll cut lines sideways by half the text's width; `w` wraps them instead.
pub(super) fn sideways(app: &mut App, action: Action) {
    let Screen::Profile(p) = &mut app.screen else { return };
    let area = p.area.get();
    let Some(raw) = &p.raw.json else { return };
    if action == Action::Wrap {
        p.raw.wrap = !p.raw.wrap;
        p.raw.column = 0;
        clamp(p, area);
        return;
    }
    if p.raw.wrap {
        return;
    }
    let width = text_width(p, area);
    let step = (width / 2).max(1);
    let (rows, _) = geometry(p, area);
    let widest = raw.widest(&p.tree, p.raw.scroll.offset, rows);
    let max = if widest <= width { 0 } else { widest + 1 - width };
    p.raw.column = match action {
        Action::ScrollRight => (p.raw.column + step).min(max),
        _ => p.raw.column.saturating_sub(step),
    };
}

/// `n`/`N` on the Raw tab: the next match after the current one when it is on the page, else
/// the first below (above) the top of the page. A search still running is finished first.
pub(super) fn step_match(p: &mut ProfileState, area: Rect, forward: bool) {
    let Some(raw) = &p.raw.json else { return };
    p.raw.search.finish(raw, &p.tree);
    p.raw.search.take_jump();
    let (rows, wrap) = geometry(p, area);
    let top = p.raw.scroll.offset;
    let shown = top..top + raw.lines_fitting(&p.tree, top, rows, wrap);
    let line = match p.raw.search.current().filter(|c| shown.contains(c)) {
        Some(current) => p.raw.search.step_from(current, false, forward),
        None => p.raw.search.step_from(top, forward, forward),
    };
    if let Some(line) = line {
        reveal(p, area, line);
    }
}

/// After the search moved on (a keystroke, a step, the tab shown): moves the view to the match
/// it found, if any.
pub(super) fn follow_search(app: &mut App) {
    let Screen::Profile(p) = &mut app.screen else { return };
    let area = p.area.get();
    if p.tab != Tab::Raw {
        return;
    }
    if let Some(line) = p.raw.search.take_jump() {
        reveal(p, area, line);
    }
}

/// Scrolls so line `line` shows, a third of the way down when it was off the page, and, when
/// lines are cut, sideways so its first match shows.
fn reveal(p: &mut ProfileState, area: Rect, line: usize) {
    let Some(raw) = &p.raw.json else { return };
    let (rows, wrap) = geometry(p, area);
    let top = p.raw.scroll.offset;
    let shown = raw.lines_fitting(&p.tree, top, rows, wrap);
    if line < top || line >= top + shown {
        let above = raw.top_for_end(&p.tree, line, rows / 3, wrap);
        p.raw.scroll.offset = above.min(max_top(p, raw, area));
    }
    if p.raw.wrap {
        return;
    }
    let width = text_width(p, area);
    let Some(text) = raw.lines(&p.tree, line, 1).pop() else { return };
    let Some(hit) = match_ranges(&text, p.raw.search.query()).into_iter().next() else { return };
    let start = unicode_width::UnicodeWidthStr::width(&text[..hit.start]);
    let end = unicode_width::UnicodeWidthStr::width(&text[..hit.end]);
    // Cells `column + 1 .. column + width - 1` show text (the edges may hold a `…`).
    let visible = |column: usize| (column == 0 || start > column) && end < column + width;
    if !visible(p.raw.column) {
        p.raw.column = if end < width { 0 } else { start.saturating_sub(width / 3) };
    }
}
