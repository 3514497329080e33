//! Keys on the help overlay: scrolling by what the view last drew, closing, quitting.

use crate::app::effect::Effect;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::nav::Nav;
use crate::app::state::{App, Screen};

pub fn on_key(app: &mut App, key: Key) -> Vec<Effect> {
    let action = app.keymap.lookup(&[Context::Help, Context::Nav, Context::Global], key);
    let Some(Screen::Help(help)) = &mut app.overlay else { return Vec::new() };
    let (page, max) = help.bounds();
    // A resize since the last key may have left the position past the end: start from where
    // the view shows it.
    help.scroll = help.scroll.min(max);
    match action {
        Some(Action::Close | Action::Help) => return app.go(Nav::CloseOverlay),
        Some(Action::Quit) => return crate::app::quit::on_quit_key(app),
        Some(Action::Up) => help.scroll = help.scroll.saturating_sub(1),
        Some(Action::Down) => help.scroll = (help.scroll + 1).min(max),
        Some(Action::PageUp) => help.scroll = help.scroll.saturating_sub(page),
        Some(Action::PageDown) => help.scroll = (help.scroll + page).min(max),
        Some(Action::Top) => help.scroll = 0,
        Some(Action::Bottom) => help.scroll = max,
        _ => {}
    }
    Vec::new()
}
