//! The demo mailbox's footer hints and help rows, quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, help, one, pair};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::mailbox::MailboxState;

/// The mailbox has no text field.
pub fn text_focus(_: &MailboxState) -> bool {
    false
}

pub fn hints(app: &App, m: &MailboxState) -> Vec<Option<Hint>> {
    use Action::*;
    use Context as C;
    let km = &app.keymap;
    vec![
        pair(km, C::Nav, Up, Down, "move"),
        one(km, C::Mailbox, UseMessage, "use", false),
        one(km, C::Mailbox, Reload, "reload", false),
        one(km, C::Mailbox, Close, "back", false),
        help(km, text_focus(m)),
        one(km, C::Global, Quit, "quit", false),
    ]
}

pub fn help_rows(m: &MailboxState) -> HelpRows {
    HelpRows {
        contexts: vec![Context::Mailbox, Context::Nav, Context::Global],
        text_fields: text_focus(m),
        hidden: &[Action::NextStep],
    }
}
