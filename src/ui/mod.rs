//! Drawing: one file per screen, shared widgets in [`widgets`]. Nothing here changes state.

pub mod theme;
pub mod widgets;
