//! The help overlay's own footer hints, quoted from the keymap.

use crate::app::keymap::hint::{Hint, Hints};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;

pub fn hints(app: &App) -> Vec<Option<Hint>> {
    Hints::new(app, Context::Help, false).nav("scroll").one(Action::Close, "close").done()
}
