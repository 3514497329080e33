//! The yes/no questions asked before something that can't be undone (log out, throw away edits,
//! quit with typed values, replace a saved session): their keys, and what each answer does. A
//! question acts across screens, so it lives with the app, not in a screen.

use crate::app::effect::Effect;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::state::{App, Confirm};

pub(crate) fn on_key(app: &mut App, key: Key) -> Vec<Effect> {
    if app.confirm == Some(Confirm::ReplaceSession) && key == Key::plain(crossterm::event::KeyCode::Esc) {
        // Esc is "not now": back to the form, nothing sent, nothing decided.
        app.confirm = None;
        return Vec::new();
    }
    match app.keymap.action(Context::Confirm, key) {
        Some(Action::Confirm) => match app.confirm.take() {
            Some(Confirm::Logout) => crate::app::session::logout(app),
            Some(Confirm::DiscardEdits) => crate::screens::edit::update::discard(app),
            Some(Confirm::Quit) => crate::app::update::quit(app),
            Some(Confirm::ReplaceSession) => crate::screens::login::update::replace_saved(app, true),
            None => Vec::new(),
        },
        Some(Action::Cancel) if app.confirm == Some(Confirm::ReplaceSession) => {
            app.confirm = None;
            crate::screens::login::update::replace_saved(app, false)
        }
        Some(Action::Cancel) => {
            app.confirm = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}
