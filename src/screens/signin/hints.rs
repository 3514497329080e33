//! The sign-in screen's footer hints and help rows, quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, Hints};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::signin::SignInState;

/// The paste field always has the keyboard.
pub fn text_focus(_: &SignInState) -> bool {
    true
}

pub fn hints(app: &App, s: &SignInState) -> Vec<Option<Hint>> {
    use Action::*;
    Hints::new(app, Context::SignIn, text_focus(s))
        .one(UsePasted, "use pasted")
        .one(Close, "cancel")
        .one(OpenBrowser, "open browser")
        .one(Copy, "copy address")
        .one(Retry, "start again")
        .help()
        .ctrl_c()
        .done()
}

pub fn help_rows(s: &SignInState) -> HelpRows {
    HelpRows { contexts: vec![Context::SignIn, Context::Global], text_fields: text_focus(s), hidden: &[] }
}
