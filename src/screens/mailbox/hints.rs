//! The demo mailbox's footer hints and help rows, quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, Hints};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::mailbox::MailboxState;

/// The mailbox has no text field.
pub fn text_focus(_: &MailboxState) -> bool {
    false
}

pub fn hints(app: &App, m: &MailboxState) -> Vec<Option<Hint>> {
    use Action::*;
    Hints::new(app, Context::Mailbox, text_focus(m))
        .nav("move")
        .one(UseMessage, "use")
        .one(Reload, "reload")
        .one(Close, "back")
        .help()
        .quit()
        .done()
}

pub fn help_rows(m: &MailboxState) -> HelpRows {
    HelpRows {
        contexts: vec![Context::Mailbox, Context::Nav, Context::Global],
        text_fields: text_focus(m),
        hidden: &[Action::NextStep],
    }
}
