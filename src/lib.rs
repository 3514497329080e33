//! cs-account: a keyboard-driven terminal account manager for Contentstack users.
//!
//! - [`api`]: the typed client for Contentstack's user API (no UI);
//! - [`demo`]: an embedded, Contentstack-compatible demo server;
//! - [`store`]: the stored session (a 0600 file, written atomically);
//! - [`sanitize`]: how server text is made safe for a terminal;
//! - [`text`]: wording for people shared by the app's messages and the screens.

pub mod api;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod harden;
pub mod logging;
pub mod sanitize;
pub mod screens;
pub mod store;
mod sys;
pub mod text;
pub mod ui;
