//! The profile's footer hints and help rows (its tabs, the filter line, the details box),
//! quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, Hints};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::profile::{ProfileState, Tab};

/// Only the filter line types.
pub fn text_focus(p: &ProfileState) -> bool {
    p.filtering()
}

pub fn hints(app: &App, p: &ProfileState) -> Vec<Option<Hint>> {
    use Action::*;
    use Context as C;
    let raw = p.tab == Tab::Raw;
    if p.filtering() {
        return Hints::new(app, C::Filter, true)
            .one(Apply, if raw { "keep search" } else { "keep filter" })
            .one(ClearFilter, "clear")
            .nav("move")
            .done();
    }
    let tf = text_focus(p);
    if p.details.is_some() {
        return Hints::new(app, C::Details, tf).nav("scroll").one(Close, "close").help().quit().done();
    }
    // The same keys in the same order on every tab; a tab's own keys take the second place
    // (→← on Roles and Raw) and the fourth (`i` on the lists, `w` on Raw).
    let h = Hints::new(app, C::Profile, tf).nav(if raw { "scroll" } else { "move" });
    let h = match p.tab {
        Tab::Roles => h.context(C::Tree).pair(Expand, Collapse, "open/close"),
        Tab::Raw if !p.raw.wrap => h.context(C::Raw).pair(ScrollRight, ScrollLeft, "sideways"),
        _ => h,
    };
    let h = h.context(C::Profile).one(Filter, if raw { "search" } else { "filter" });
    let h = h.pair_if(!p.filter.is_empty(), NextMatch, PrevMatch, "next/prev");
    let h = match raw {
        true => h.context(C::Raw).one(Wrap, if p.raw.wrap { "cut lines" } else { "wrap" }),
        false => h.one(Details, "details"),
    };
    h.context(C::Profile)
        .one(NextTab, "next tab")
        .help()
        .one(Refresh, "refresh")
        .one(Logout, "log out")
        .one(EditProfile, "edit")
        .one(OpenAccounts, "accounts")
        .quit()
        .one(ChangePassword, "reset password")
        .mailbox()
        .done()
}

/// Every table of the profile (its tabs and the filter line), or the details box's.
pub fn help_rows(p: &ProfileState) -> HelpRows {
    let contexts = if p.details.is_some() {
        vec![Context::Details, Context::Nav, Context::Global]
    } else {
        vec![
            Context::Profile,
            Context::Tree,
            Context::Raw,
            Context::Filter,
            Context::Details,
            Context::Nav,
            Context::Global,
        ]
    };
    HelpRows { contexts, text_fields: false, hidden: &[Action::NextStep] }
}
