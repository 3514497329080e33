//! The profile screen's parts: header, tabs, the tab's body and the filter line. The view lays
//! itself out with it, and `update` measures pages with it in the area the view recorded.

use ratatui::layout::{Constraint, Layout, Rect};

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

/// The body's height when the profile is drawn in `main`: what one page is.
pub fn body_height(main: Rect, filter_line: bool) -> usize {
    profile(main, filter_line).body.height as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::layout::{MIN_HEIGHT, MIN_WIDTH, chrome};

    #[test]
    fn profile_fits_both_reference_sizes() {
        let big = profile(chrome(Rect::new(0, 0, 80, 24)).main, false);
        assert_eq!((big.header.height, big.tabs.height, big.body.height), (5, 1, 16));
        let small = profile(chrome(Rect::new(0, 0, 40, 15)).main, true);
        assert_eq!((small.header.height, small.body.height), (2, 10));
        assert_eq!(body_height(chrome(Rect::new(0, 0, 40, 15)).main, true), 10);
        let tiny = profile(chrome(Rect::new(0, 0, MIN_WIDTH, MIN_HEIGHT)).main, true);
        assert!(tiny.body.height >= 7);
    }
}
