//! The help overlay's own footer hints, quoted from the keymap.

use crate::app::keymap::hint::{Hint, one, pair};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;

pub fn hints(app: &App) -> Vec<Option<Hint>> {
    let km = &app.keymap;
    vec![
        pair(km, Context::Nav, Action::Up, Action::Down, "scroll"),
        one(km, Context::Help, Action::Close, "close", false),
    ]
}
