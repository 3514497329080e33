//! The mailbox's parts: the list of messages above the selected one's text. The view lays
//! itself out with it, and `update` keeps the selection in view with it, in the area the view
//! recorded.

use ratatui::layout::{Constraint, Layout, Rect};

/// The list's box for a main area, with `count` messages: at most a third of the height (the
/// content needs the rest), at least one row.
pub fn split(main: Rect, count: usize) -> (Rect, Rect) {
    let most = (main.height / 3).max(1) as usize;
    let rows = count.clamp(1, most) as u16;
    let [list, body] = Layout::vertical([Constraint::Length(rows + 2), Constraint::Min(0)]).areas(main);
    (list, body)
}

/// List rows visible at once in `main`, with `count` messages.
pub fn list_rows(main: Rect, count: usize) -> usize {
    split(main, count).0.height.saturating_sub(2) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::layout::chrome;

    #[test]
    fn list_gets_a_third_of_the_screen() {
        let main = |w, h| chrome(Rect::new(0, 0, w, h)).main;
        assert_eq!(list_rows(main(80, 24), 2), 2);
        assert_eq!(list_rows(main(80, 24), 50), 7);
        assert_eq!(list_rows(main(40, 15), 50), 4);
        assert_eq!(list_rows(main(40, 15), 0), 1);
    }
}
