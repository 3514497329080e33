//! The profile's footer hints and help rows (its tabs, the filter line, the details box),
//! quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, help, one, pair};
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
    let km = &app.keymap;
    if p.filtering() {
        return vec![
            one(km, C::Filter, Apply, if p.tab == Tab::Raw { "keep search" } else { "keep filter" }, true),
            one(km, C::Filter, ClearFilter, "clear", true),
            pair(km, C::Nav, Up, Down, "move"),
        ];
    }
    let tf = text_focus(p);
    if p.details.is_some() {
        return vec![
            pair(km, C::Nav, Up, Down, "scroll"),
            one(km, C::Details, Close, "close", false),
            help(km, tf),
            one(km, C::Global, Quit, "quit", false),
        ];
    }
    // The same keys in the same order on every tab; a tab's own keys take the second place
    // (→← on Roles and Raw) and the fourth (`i` on the lists, `w` on Raw).
    let raw = p.tab == Tab::Raw;
    let own = match p.tab {
        Tab::Roles => pair(km, C::Tree, Expand, Collapse, "open/close"),
        Tab::Raw if !p.raw_wrap => pair(km, C::Raw, ScrollRight, ScrollLeft, "sideways"),
        _ => None,
    };
    let fourth = if raw {
        one(km, C::Raw, Wrap, if p.raw_wrap { "cut lines" } else { "wrap" }, false)
    } else {
        one(km, C::Profile, Details, "details", false)
    };
    let matches = (!p.filter.is_empty()).then(|| pair(km, C::Profile, NextMatch, PrevMatch, "next/prev"));
    vec![
        pair(km, C::Nav, Up, Down, if raw { "scroll" } else { "move" }),
        own,
        one(km, C::Profile, Filter, if raw { "search" } else { "filter" }, false),
        matches.flatten(),
        fourth,
        one(km, C::Profile, NextTab, "next tab", false),
        help(km, tf),
        one(km, C::Profile, Refresh, "refresh", false),
        one(km, C::Profile, Logout, "log out", false),
        one(km, C::Profile, EditProfile, "edit", false),
        one(km, C::Profile, OpenAccounts, "accounts", false),
        one(km, C::Global, Quit, "quit", false),
        one(km, C::Profile, ChangePassword, "reset password", false),
        app.demo_endpoint.as_ref().and_then(|_| one(km, C::Profile, OpenMailbox, "mailbox", false)),
    ]
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
