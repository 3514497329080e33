//! The reset wizard's footer hints and help rows, quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, Hints};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::reset::{ResetState, Step};

/// A field always has the keyboard on the wizard.
pub fn text_focus(_: &ResetState) -> bool {
    true
}

pub fn hints(app: &App, r: &ResetState) -> Vec<Option<Hint>> {
    use Action::*;
    let (send, back) = match r.step {
        Step::Email if r.sent_to_current() => ("next step", "leave"),
        Step::Email => ("send", "leave"),
        Step::Token => ("reset", "step 1"),
    };
    let token = r.step == Step::Token;
    Hints::new(app, Context::Password, text_focus(r))
        .one(Send, send)
        .one_if(token, NextField, "next")
        .one_if(r.step == Step::Email && r.sent.is_none(), NextStep, "have a token")
        .one(GoBack, back)
        .mailbox()
        .help()
        .ctrl_c()
        .one_if(token, ToggleSecret, "show/hide")
        .done()
}

/// "Next step" is the wizard's own: the only screen whose help lists it.
pub fn help_rows(r: &ResetState) -> HelpRows {
    HelpRows { contexts: vec![Context::Password, Context::Global], text_fields: text_focus(r), hidden: &[] }
}
