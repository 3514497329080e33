//! The edit screen's footer hints and help rows (the form, the review, the question about an
//! earlier run's draft), quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, Hints};
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
    let tf = text_focus(e);
    if e.form.step == Step::Form {
        return Hints::new(app, Context::Edit, tf)
            .one(Review, "review")
            .one(NextField, "next field")
            .one(Leave, "leave")
            .help()
            .ctrl_c()
            .done();
    }
    let review = Hints::new(app, Context::Review, tf);
    if app.has_pending_kind(Kind::Save) {
        return review.one(BackToForm, "cancel").help().ctrl_c().done();
    }
    // During a 429's wait, saving is held back: no key to offer for it.
    let waiting = e.form.failure.as_ref().is_some_and(|f| f.waiting);
    let save = if e.form.failure.is_some() { "try again" } else { "save" };
    review.one_if(!waiting, Save, save).one(BackToForm, "back to the form").help().quit().done()
}

/// The question about an earlier run's unsaved changes, over whatever shows.
pub fn offer_hints(app: &App) -> Vec<Option<Hint>> {
    use Action::*;
    Hints::new(app, Context::Draft, false)
        .one(Restore, "restore")
        .one(Discard, "discard")
        .one(Later, "later")
        .done()
}

pub fn help_rows(e: &EditState) -> HelpRows {
    let contexts = match e.form.step {
        Step::Form => vec![Context::Edit, Context::Global],
        Step::Review => vec![Context::Review, Context::Global],
    };
    HelpRows { contexts, text_fields: text_focus(e), hidden: &[Action::NextStep] }
}
