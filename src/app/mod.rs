//! The application: its state, messages, `update`, effects and keymap.
//!
//! The pieces, in the order a key press travels through them:
//! - [`msg`]: what happened (a key, a paste, a resize, an API answer, a timer);
//! - [`update`]: `update(&mut App, Msg) -> Vec<Effect>`, every state change, no I/O;
//! - [`effect`]: what `update` asks for (requests, session file, timers);
//! - [`request`]: the API calls, each with its typed continuation and its stated lifetime;
//! - [`runner`]: performs effects as tokio tasks and answers with messages;
//! - [`run`]: the loop that ties them to the terminal and draws when something changed.
//!
//! [`state`] holds [`App`], the single owner of everything; [`keymap`] is the one table of key
//! bindings that `update`, the help overlay and the footer hints all read.

pub mod clipboard;
pub mod confirm;
pub mod effect;
pub mod field;
pub mod keymap;
pub mod keys;
pub mod msg;
pub mod nav;
pub mod password_form;
pub mod quit;
pub mod request;
pub mod run;
pub mod runner;
pub mod session;
pub mod state;
pub mod update;

pub use effect::Effect;
pub use msg::Msg;
pub use run::{DemoInfo, TuiOptions, run_loop, run_tui};
pub use runner::EffectRunner;
pub use state::App;
pub use update::update;
