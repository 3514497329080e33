//! Where things go on screen. One set of functions used by both the drawing code and `update`
//! (which needs list heights for paging and for keeping the selection in view), so the two can
//! never disagree.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the app shows "terminal too small" instead of a squeezed screen. 40 columns hold
/// a form label plus a useful field; 12 rows hold the profile's header, tabs, a few list lines,
/// and the status bar.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// The footer hints get their own line from this height on; below it the status bar alone
/// says where help is.
const HINTS_FROM_HEIGHT: u16 = 20;

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The frame's fixed parts: the screen's own area, the hints line, the status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chrome {
    pub main: Rect,
    pub hints: Option<Rect>,
    pub status: Rect,
}

pub fn chrome(area: Rect) -> Chrome {
    if area.height >= HINTS_FROM_HEIGHT {
        let [main, hints, status] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1), Constraint::Length(1)]).areas(area);
        Chrome { main, hints: Some(hints), status }
    } else {
        let [main, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
        Chrome { main, hints: None, status }
    }
}

/// The profile screen's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileLayout {
    pub header: Rect,
    pub tabs: Rect,
    pub body: Rect,
    /// The filter line under the roles tree, when a filter is set or being typed.
    pub filter: Option<Rect>,
}

/// Header lines for a given screen height: the full header (name, then every detail) when there
/// is room, fewer details as the height shrinks, two lines (name and the essentials) on a short
/// screen, the name alone on the smallest.
pub fn header_lines(main_height: u16) -> u16 {
    match main_height {
        22.. => 5,
        18.. => 4,
        14.. => 2,
        _ => 1,
    }
}

pub fn profile(main: Rect, filter_line: bool) -> ProfileLayout {
    let [header, tabs, rest] = Layout::vertical([
        Constraint::Length(header_lines(main.height)),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(main);
    if filter_line {
        let [body, filter] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(rest);
        ProfileLayout { header, tabs, body, filter: Some(filter) }
    } else {
        ProfileLayout { header, tabs, body: rest, filter: None }
    }
}

/// The profile body's height for a terminal of `viewport` cells: what one page is.
pub fn profile_body_height(viewport: (u16, u16), filter_line: bool) -> usize {
    let area = Rect::new(0, 0, viewport.0, viewport.1);
    profile(chrome(area).main, filter_line).body.height as usize
}

/// A centred popup of at most `width`×`height`, inside `area` with a margin when possible.
pub fn popup(area: Rect, width: u16, height: u16) -> Rect {
    // With room to spare, keep a margin; without, use all there is.
    let fit = |want: u16, have: u16| if want.saturating_add(2) <= have { want } else { have };
    area.centered(Constraint::Length(fit(width, area.width)), Constraint::Length(fit(height, area.height)))
}

/// The help overlay's box for a terminal of `viewport` cells.
pub fn help_area(viewport: (u16, u16)) -> Rect {
    let area = chrome(Rect::new(0, 0, viewport.0, viewport.1)).main;
    popup(area, 72, area.height)
}

/// Lines of help visible at once (inside the border).
pub fn help_page(viewport: (u16, u16)) -> usize {
    help_area(viewport).height.saturating_sub(2) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_fits_both_reference_sizes() {
        let big = profile(chrome(Rect::new(0, 0, 80, 24)).main, false);
        assert_eq!((big.header.height, big.tabs.height, big.body.height), (5, 1, 16));
        let small = profile(chrome(Rect::new(0, 0, 40, 15)).main, true);
        assert_eq!((small.header.height, small.body.height), (2, 10));
        assert_eq!(profile_body_height((40, 15), true), 10);
        let tiny = profile(chrome(Rect::new(0, 0, MIN_WIDTH, MIN_HEIGHT)).main, true);
        assert!(tiny.body.height >= 7);
    }

    #[test]
    fn popups_stay_inside() {
        let area = Rect::new(0, 0, 40, 12);
        let p = popup(area, 72, 30);
        assert!(area.contains(p.as_position()) && p.right() <= area.right() && p.bottom() <= area.bottom());
        assert_eq!(popup(Rect::new(0, 0, 100, 40), 50, 10), Rect::new(25, 15, 50, 10));
    }
}
