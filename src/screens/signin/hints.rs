//! The sign-in screen's footer hints and help rows, quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, ctrl_c, help, one};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::signin::SignInState;

/// The paste field always has the keyboard.
pub fn text_focus(_: &SignInState) -> bool {
    true
}

pub fn hints(app: &App, s: &SignInState) -> Vec<Option<Hint>> {
    use Action::*;
    use Context as C;
    let km = &app.keymap;
    let tf = text_focus(s);
    vec![
        one(km, C::SignIn, UsePasted, "use pasted", tf),
        one(km, C::SignIn, Close, "cancel", tf),
        one(km, C::SignIn, OpenBrowser, "open browser", tf),
        one(km, C::SignIn, Copy, "copy address", tf),
        one(km, C::SignIn, Retry, "start again", tf),
        help(km, tf),
        ctrl_c(),
    ]
}

pub fn help_rows(s: &SignInState) -> HelpRows {
    HelpRows { contexts: vec![Context::SignIn, Context::Global], text_fields: text_focus(s), hidden: &[] }
}
