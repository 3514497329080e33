//! The yes/no questions asked before something that can't be undone (log out, throw away edits,
//! quit with typed values): their keys, and what each answer does. A
//! question acts across screens, so it lives with the app, not in a screen.

use crate::app::effect::Effect;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::state::{App, Confirm};

pub(crate) fn on_key(app: &mut App, key: Key) -> Vec<Effect> {
    match app.keymap.action(Context::Confirm, key) {
        Some(Action::Confirm) => match app.confirm.take() {
            Some(Confirm::Logout) => crate::app::session::logout(app),
            Some(Confirm::DiscardEdits) => crate::screens::edit::update::discard(app),
            Some(Confirm::Quit) => crate::app::update::quit(app),
            None => Vec::new(),
        },
        Some(Action::Cancel) => {
            app.confirm = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}
