//! Which footer hints and help rows show: those of whatever has the keyboard (the draft
//! question, a confirmation, the help overlay, else the screen). Each screen builds its own in
//! its `hints.rs`, from the helpers in [`crate::app::keymap::hint`].
use crate::app::keymap::hint::{self, HelpRows, Hint, one};
use crate::app::keymap::{Action, Context};
use crate::app::state::{App, Screen};
use crate::screens::{activate, edit, help, login, mailbox, profile, reset};

/// The one hint the status bar shows when there is no hints line: the key that cancels the
/// log-in while it runs, else help.
pub fn status_hint(app: &App) -> Option<Hint> {
    match &app.screen {
        Screen::Login(l) if app.help.is_none() => {
            login::hints::status_hint(app, l).or_else(|| help_hint(app))
        }
        _ => help_hint(app),
    }
}

/// The help hint alone.
pub fn help_hint(app: &App) -> Option<Hint> {
    hint::help(&app.keymap, text_focus(app))
}

/// Whether a text field on the screen has the keyboard (printable keys type there).
fn text_focus(app: &App) -> bool {
    match &app.screen {
        Screen::Login(l) => login::hints::text_focus(l),
        Screen::Profile(p) => profile::hints::text_focus(p),
        Screen::Edit(e) => edit::hints::text_focus(e),
        Screen::Reset(r) => reset::hints::text_focus(r),
        Screen::Activate(a) => activate::hints::text_focus(a),
        Screen::Mailbox(m) => mailbox::hints::text_focus(m),
    }
}

pub fn hints(app: &App) -> Vec<Hint> {
    let list = if app.draft_offer.as_ref().is_some_and(|o| o.open) {
        edit::hints::offer_hints(app)
    } else if app.confirm.is_some() {
        vec![
            one(&app.keymap, Context::Confirm, Action::Confirm, "yes", false),
            one(&app.keymap, Context::Confirm, Action::Cancel, "no", false),
        ]
    } else if app.help.is_some() {
        help::hints::hints(app)
    } else {
        match &app.screen {
            Screen::Login(l) => login::hints::hints(app, l),
            Screen::Profile(p) => profile::hints::hints(app, p),
            Screen::Edit(e) => edit::hints::hints(app, e),
            Screen::Reset(r) => reset::hints::hints(app, r),
            Screen::Activate(a) => activate::hints::hints(app, a),
            Screen::Mailbox(m) => mailbox::hints::hints(app, m),
        }
    };
    list.into_iter().flatten().collect()
}

/// What the help overlay lists for the screen under it.
pub fn help_rows(app: &App) -> HelpRows {
    match &app.screen {
        Screen::Login(l) => login::hints::help_rows(l),
        Screen::Profile(p) => profile::hints::help_rows(p),
        Screen::Edit(e) => edit::hints::help_rows(e),
        Screen::Reset(r) => reset::hints::help_rows(r),
        Screen::Activate(a) => activate::hints::help_rows(a),
        Screen::Mailbox(m) => mailbox::hints::help_rows(m),
    }
}
