//! One module per screen: its state, its `update` (keys, paste, answers), its view and its
//! footer hints, side by side. A screen never calls another screen: it returns a navigation step
//! and the app (`crate::app`) builds the next screen.

pub mod activate;
pub mod edit;
pub mod help;
pub mod login;
pub mod mailbox;
pub mod profile;
pub mod reset;
