//! Which footer hints and help rows show: those of whatever has the keyboard (the draft
//! question, a confirmation, the help overlay, else the screen). Each screen builds its own in
//! its `hints.rs`, from the helpers in [`crate::app::keymap::hint`].
use crate::app::keymap::hint::{self, HelpRows, Hint, Hints};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::edit;

/// The one hint the status bar shows when there is no hints line: the key that cancels the
/// log-in while it runs, else help.
pub fn status_hint(app: &App) -> Option<Hint> {
    app.screen.status_hint(app).or_else(|| help_hint(app))
}

/// The help hint alone.
pub fn help_hint(app: &App) -> Option<Hint> {
    hint::help(&app.keymap, text_focus(app))
}

/// Whether a text field on the screen has the keyboard (printable keys type there).
fn text_focus(app: &App) -> bool {
    // Under the help, the screen it covers: its keys are what the help is about.
    app.screen.text_focus()
}

pub fn hints(app: &App) -> Vec<Hint> {
    let list = if app.draft_offer.as_ref().is_some_and(|o| o.open) {
        edit::hints::offer_hints(app)
    } else if app.confirm.is_some() {
        Hints::new(app, Context::Confirm, false).one(Action::Confirm, "yes").one(Action::Cancel, "no").done()
    } else {
        app.overlay.as_ref().unwrap_or(&app.screen).hints(app)
    };
    list.into_iter().flatten().collect()
}

/// What the help overlay lists for the screen under it.
pub fn help_rows(app: &App) -> HelpRows {
    app.screen.help_rows()
}
