//! The activation form's footer hints and help rows, quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, ctrl_c, help, one};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::activate::ActivateState;

/// A field always has the keyboard on the form.
pub fn text_focus(_: &ActivateState) -> bool {
    true
}

pub fn hints(app: &App, a: &ActivateState) -> Vec<Option<Hint>> {
    use Action::*;
    use Context as C;
    let km = &app.keymap;
    let tf = text_focus(a);
    vec![
        one(km, C::Password, Send, "activate", tf),
        one(km, C::Password, NextField, "next", tf),
        one(km, C::Password, GoBack, "leave", tf),
        app.demo_endpoint.as_ref().and_then(|_| one(km, C::Password, OpenMailbox, "mailbox", tf)),
        help(km, tf),
        ctrl_c(),
        one(km, C::Password, ToggleSecret, "show/hide", tf),
    ]
}

/// The `[keys.password]` table is shared with the reset wizard; its "next step" is the
/// wizard's alone.
pub fn help_rows(a: &ActivateState) -> HelpRows {
    HelpRows {
        contexts: vec![Context::Password, Context::Global],
        text_fields: text_focus(a),
        hidden: &[Action::NextStep],
    }
}
