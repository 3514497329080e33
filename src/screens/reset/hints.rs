//! The reset wizard's footer hints and help rows, quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, ctrl_c, help, one};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::reset::{ResetState, Step};

/// A field always has the keyboard on the wizard.
pub fn text_focus(_: &ResetState) -> bool {
    true
}

pub fn hints(app: &App, r: &ResetState) -> Vec<Option<Hint>> {
    use Action::*;
    use Context as C;
    let km = &app.keymap;
    let tf = text_focus(r);
    let (send, back) = match r.step {
        Step::Email if r.sent_to_current() => ("next step", "leave"),
        Step::Email => ("send", "leave"),
        Step::Token => ("reset", "step 1"),
    };
    vec![
        one(km, C::Password, Send, send, tf),
        (r.step == Step::Token).then(|| one(km, C::Password, NextField, "next", tf)).flatten(),
        (r.step == Step::Email && r.sent.is_none())
            .then(|| one(km, C::Password, NextStep, "have a token", tf))
            .flatten(),
        one(km, C::Password, GoBack, back, tf),
        app.demo_endpoint.as_ref().and_then(|_| one(km, C::Password, OpenMailbox, "mailbox", tf)),
        help(km, tf),
        ctrl_c(),
        (r.step == Step::Token).then(|| one(km, C::Password, ToggleSecret, "show/hide", tf)).flatten(),
    ]
}

/// "Next step" is the wizard's own: the only screen whose help lists it.
pub fn help_rows(r: &ResetState) -> HelpRows {
    HelpRows { contexts: vec![Context::Password, Context::Global], text_fields: text_focus(r), hidden: &[] }
}
