//! One module per screen: its state, its `update` (keys, paste, answers), its view and its
//! footer hints, side by side. A screen never calls another screen: it returns a navigation step
//! and the app (`crate::app`) builds the next screen.
//!
//! A new screen: its folder here (`mod.rs` the state, `update.rs` its keys and answers,
//! `view.rs` its drawing, recording in its state what `update` pages by, `hints.rs` its footer
//! hints and the keymap tables its help lists), a variant in the screen enum with its arms in
//! the dispatch, and its rows in the keymap table (`crate::app::keymap`: a `Context` if its
//! keys are its own, and their default bindings).

pub mod activate;
pub mod edit;
pub mod help;
pub mod login;
pub mod mailbox;
pub mod profile;
pub mod reset;
