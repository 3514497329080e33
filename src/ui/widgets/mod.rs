//! Widgets shared by several screens.

pub mod card;
pub mod confirm;
pub mod details;
pub mod field;
pub mod password_checks;
pub mod permissions;
pub mod spinner;
pub mod status;
pub mod tabs;
pub mod toasts;
pub mod too_small;
pub mod tree;
