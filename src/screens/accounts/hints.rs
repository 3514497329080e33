//! The account switcher's footer hints and help rows, quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, Hints};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::accounts::AccountsState;

/// The switcher has no text field.
pub fn text_focus(_: &AccountsState) -> bool {
    false
}

pub fn hints(app: &App, s: &AccountsState) -> Vec<Option<Hint>> {
    use Action::*;
    if s.confirm_logout.is_some() {
        return Hints::new(app, Context::Confirm, false)
            .one(Confirm, "log out")
            .one(Cancel, "keep it")
            .done();
    }
    Hints::new(app, Context::Accounts, text_focus(s))
        .nav("move")
        .one(SwitchAccount, "switch")
        .one(AddAccount, "add")
        .one(LogoutAccount, "log out")
        .one(Reload, "check again")
        .one(Close, "back")
        .help()
        .done()
}

pub fn help_rows(s: &AccountsState) -> HelpRows {
    HelpRows {
        contexts: vec![Context::Accounts, Context::Nav, Context::Global],
        text_fields: text_focus(s),
        hidden: &[],
    }
}
