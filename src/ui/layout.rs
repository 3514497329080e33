//! Where the frame's parts go on screen (the screen's area, the hints line, the status bar)
//! and popups. Drawing code only: `update` pages by what the views record they drew.

use ratatui::layout::{Constraint, Layout, Rect};

pub use crate::app::state::{MIN_HEIGHT, MIN_WIDTH};

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

/// A centred popup of at most `width`×`height`, inside `area` with a margin when possible.
pub fn popup(area: Rect, width: u16, height: u16) -> Rect {
    // With room to spare, keep a margin; without, use all there is.
    let fit = |want: u16, have: u16| if want.saturating_add(2) <= have { want } else { have };
    area.centered(Constraint::Length(fit(width, area.width)), Constraint::Length(fit(height, area.height)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn popups_stay_inside() {
        let area = Rect::new(0, 0, 40, 12);
        let p = popup(area, 72, 30);
        assert!(area.contains(p.as_position()) && p.right() <= area.right() && p.bottom() <= area.bottom());
        assert_eq!(popup(Rect::new(0, 0, 100, 40), 50, 10), Rect::new(25, 15, 50, 10));
    }
}
