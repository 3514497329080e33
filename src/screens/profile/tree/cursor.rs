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

/// A list of rows moved through with a [`Cursor`]: the tree, the permissions view and the small
/// lists select, move and scroll alike, so they say only where their cursor is and how many rows
/// they have.
pub trait Rows {
    /// The list's cursor.
    fn cursor(&self) -> Cursor;
    /// The list's cursor, to move.
    fn cursor_mut(&mut self) -> &mut Cursor;
    /// How many rows the list shows now.
    fn row_count(&self) -> usize;

    /// The selected row (0 when empty).
    fn selected(&self) -> usize {
        self.cursor().selected()
    }

    /// Selects row `i`, clamped to the rows.
    fn select(&mut self, i: usize) {
        let len = self.row_count();
        self.cursor_mut().select(i, len);
    }

    /// Moves the selection by `delta` rows: ±1 for ↓/↑, ±viewport height for page down/up.
    fn move_by(&mut self, delta: isize) {
        let len = self.row_count();
        self.cursor_mut().move_by(delta, len);
    }

    fn select_first(&mut self) {
        self.select(0);
    }

    fn select_last(&mut self) {
        self.select(self.row_count().saturating_sub(1));
    }

    /// Scrolls so that the selection is within a viewport of `height` rows.
    fn scroll_into_view(&mut self, height: usize) {
        let len = self.row_count();
        self.cursor_mut().scroll_into_view(height, len);
    }
}

/// `impl Rows` for a list whose cursor is its `cursor` field and whose rows are its `rows`
/// vector, with any methods it does differently after the type.
macro_rules! rows_in_fields {
    ($t:ty $(, $($item:item)*)?) => {
        impl $crate::screens::profile::tree::Rows for $t {
            fn cursor(&self) -> $crate::screens::profile::tree::Cursor {
                self.cursor
            }
            fn cursor_mut(&mut self) -> &mut $crate::screens::profile::tree::Cursor {
                &mut self.cursor
            }
            fn row_count(&self) -> usize {
                self.rows.len()
            }
            $($($item)*)?
        }
    };
}
pub(crate) use rows_in_fields;

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
        // (select, of rows, viewport height, offset after): down past the view, back up above
        // it, down again; then the list shrank to 8 rows and the viewport shows the last 5
        // instead of 2 rows and blanks.
        for (i, (select, len, height, offset)) in
            [(12, 100, 5, 8), (3, 100, 5, 3), (10, 100, 5, 6), (7, 8, 5, 3)].into_iter().enumerate()
        {
            c.select(select, len);
            c.scroll_into_view(height, len);
            assert_eq!(c.offset(), offset, "step {i}: row {select} of {len}, {height} high");
        }
        c.scroll_into_view(0, 8);
        assert_eq!(c.offset(), 0);
    }
}
