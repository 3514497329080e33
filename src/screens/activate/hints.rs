//! The activation form's footer hints and help rows, quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, Hints};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::activate::ActivateState;

/// A field always has the keyboard on the form.
pub fn text_focus(_: &ActivateState) -> bool {
    true
}

pub fn hints(app: &App, a: &ActivateState) -> Vec<Option<Hint>> {
    use Action::*;
    Hints::new(app, Context::Password, text_focus(a))
        .one(Send, "activate")
        .one(NextField, "next")
        .one(GoBack, "leave")
        .mailbox()
        .help()
        .ctrl_c()
        .one(ToggleSecret, "show/hide")
        .done()
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
