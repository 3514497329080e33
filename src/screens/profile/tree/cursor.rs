//! Selection and scroll position of a long list of rows: the part the tree and the permissions
//! view share. Every move is O(1); nothing here looks at the rows themselves.

/// The selected row and the first row drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    selected: usize,
    offset: usize,
}

impl Cursor {
    /// The selected row (0 when the list is empty).
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The first row drawn.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Selects row `i`, clamped to a list of `len` rows.
    pub fn select(&mut self, i: usize, len: usize) {
        self.selected = i.min(len.saturating_sub(1));
    }

    /// Moves the selection by `delta` rows (negative: up), stopping at either end.
    pub fn move_by(&mut self, delta: isize, len: usize) {
        let target = self.selected.saturating_add_signed(delta);
        self.select(target, len);
    }

    /// Brings selection and offset back inside a list that now has `len` rows.
    pub fn clamp(&mut self, len: usize) {
        self.select(self.selected, len);
        self.offset = self.offset.min(len.saturating_sub(1));
    }

    /// Moves the offset so the selection is inside a viewport of `height` rows, and so the
    /// viewport is not left half empty after the list shrank.
    pub fn scroll_into_view(&mut self, height: usize, len: usize) {
        self.offset = self.offset_for(height, len);
    }

    /// The offset [`Cursor::scroll_into_view`] would choose, without changing anything: a widget
    /// drawing with `&self` uses it so the selection is on screen even if the app has not scrolled.
    pub fn offset_for(&self, height: usize, len: usize) -> usize {
        if height == 0 || len == 0 {
            return 0;
        }
        let mut offset = self.offset.min(len.saturating_sub(height));
        if self.selected < offset {
            offset = self.selected;
        } else if self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_clamp_at_both_ends() {
        let mut c = Cursor::default();
        c.move_by(-3, 10);
        assert_eq!(c.selected(), 0);
        c.move_by(25, 10);
        assert_eq!(c.selected(), 9);
        c.move_by(-4, 10);
        assert_eq!(c.selected(), 5);
        c.select(3, 0);
        assert_eq!(c.selected(), 0);
    }

    #[test]
    fn scrolling_follows_the_selection() {
        let mut c = Cursor::default();
        c.select(12, 100);
        c.scroll_into_view(5, 100);
        assert_eq!(c.offset(), 8);
        c.select(3, 100);
        c.scroll_into_view(5, 100);
        assert_eq!(c.offset(), 3);
        c.select(10, 100);
        c.scroll_into_view(5, 100);
        assert_eq!(c.offset(), 6);
        // The list shrank to 8 rows: the viewport shows the last 5 instead of 2 rows and blanks.
        c.select(7, 8);
        c.scroll_into_view(5, 8);
        assert_eq!(c.offset(), 3);
        c.scroll_into_view(0, 8);
        assert_eq!(c.offset(), 0);
    }
}
