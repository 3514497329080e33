//! The account switcher's footer hints and help rows, quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, help, one, pair};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::accounts::AccountsState;

/// The switcher has no text field.
pub fn text_focus(_: &AccountsState) -> bool {
    false
}

pub fn hints(app: &App, s: &AccountsState) -> Vec<Option<Hint>> {
    use Action::*;
    use Context as C;
    let km = &app.keymap;
    if s.confirm_logout.is_some() {
        return vec![
            one(km, C::Confirm, Confirm, "log out", false),
            one(km, C::Confirm, Cancel, "keep it", false),
        ];
    }
    vec![
        pair(km, C::Nav, Up, Down, "move"),
        one(km, C::Accounts, SwitchAccount, "switch", false),
        one(km, C::Accounts, AddAccount, "add", false),
        one(km, C::Accounts, LogoutAccount, "log out", false),
        one(km, C::Accounts, Reload, "check again", false),
        one(km, C::Accounts, Close, "back", false),
        help(km, text_focus(s)),
    ]
}

pub fn help_rows(s: &AccountsState) -> HelpRows {
    HelpRows {
        contexts: vec![Context::Accounts, Context::Nav, Context::Global],
        text_fields: text_focus(s),
        hidden: &[],
    }
}
