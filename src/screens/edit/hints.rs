//! The edit screen's footer hints and help rows (the form, the review, the question about an
//! earlier run's draft), quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, ctrl_c, help, one};
use crate::app::keymap::{Action, Context};
use crate::app::request::Kind;
use crate::app::state::App;
use crate::screens::edit::{EditState, Step};

/// The form types every printable key; the review does not.
pub fn text_focus(e: &EditState) -> bool {
    e.form.step == Step::Form
}

pub fn hints(app: &App, e: &EditState) -> Vec<Option<Hint>> {
    use Action::*;
    use Context as C;
    let km = &app.keymap;
    let tf = text_focus(e);
    if e.form.step == Step::Form {
        return vec![
            one(km, C::Edit, Review, "review", tf),
            one(km, C::Edit, NextField, "next field", tf),
            one(km, C::Edit, Leave, "leave", tf),
            help(km, tf),
            ctrl_c(),
        ];
    }
    if app.has_pending_kind(Kind::Save) {
        return vec![one(km, C::Review, BackToForm, "cancel", false), help(km, tf), ctrl_c()];
    }
    // During a 429's wait, saving is held back: no key to offer for it.
    let save = match &e.form.failure {
        Some(f) if f.waiting => None,
        Some(_) => one(km, C::Review, Save, "try again", false),
        None => one(km, C::Review, Save, "save", false),
    };
    vec![
        save,
        one(km, C::Review, BackToForm, "back to the form", false),
        help(km, tf),
        one(km, C::Global, Quit, "quit", false),
    ]
}

/// The question about an earlier run's unsaved changes, over whatever shows.
pub fn offer_hints(app: &App) -> Vec<Option<Hint>> {
    use Action::*;
    let km = &app.keymap;
    vec![
        one(km, Context::Draft, Restore, "restore", false),
        one(km, Context::Draft, Discard, "discard", false),
        one(km, Context::Draft, Later, "later", false),
    ]
}

pub fn help_rows(e: &EditState) -> HelpRows {
    let contexts = match e.form.step {
        Step::Form => vec![Context::Edit, Context::Global],
        Step::Review => vec![Context::Review, Context::Global],
    };
    HelpRows { contexts, text_fields: text_focus(e), hidden: &[Action::NextStep] }
}
