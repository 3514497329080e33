//! The help overlay: every key binding of the screen under it, from the one keymap table.

pub mod hints;
pub mod view;
