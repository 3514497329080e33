//! `y` and `Y` on the profile: a value out of the app, to the clipboard, through the terminal
//! (OSC 52, see [`Effect::Copy`]), with a toast saying what was copied.
//!
//! `y` copies the selected row's main value, as its details show it: a role's or an
//! organisation's UID, a rule's targets, a target's uid, a right's granting roles and their
//! targets, a module's name, a favourite stack's API key; on the Raw
//! JSON tab, the current search match's line or else the first line shown. `Y` copies the whole
//! profile as JSON, as the Raw JSON tab shows it (the token masked). A token is never copied:
//! nothing here holds one, and text that contains the session's token is refused all the same.

use crate::app::effect::Effect;
use crate::app::state::{App, ToastLevel};
use crate::screens::profile::details::Details;
use crate::screens::profile::raw::RawJson;
use crate::screens::profile::{ProfileState, Tab};

pub use crate::app::clipboard::MAX_COPY_BYTES;

/// The details fields a row is copied by, first found first.
const COPIED_FIELDS: [&str; 10] =
    ["UID", "Item", "Items", "Targets", "Granted by", "Stack API key", "Stack", "Setting", "Note", "Module"];

/// `y`: the selected row's value.
pub fn selected(app: &mut App) -> Vec<Effect> {
    let Some(p) = app.profile() else { return Vec::new() };
    let found = match p.tab {
        Tab::Raw => raw_line(p).map(|line| ("Raw JSON line", line)),
        _ => p.selected_details().as_ref().and_then(main_value),
    };
    match found {
        Some((what, text)) => copy(app, what, text),
        None => vec![app.toast(ToastLevel::Info, "Nothing to copy on this row.")],
    }
}

/// `Y`: the whole profile as JSON.
pub fn all(app: &mut App) -> Vec<Effect> {
    let (Some(session), Some(p)) = (app.session.as_ref(), app.profile()) else { return Vec::new() };
    let raw = RawJson::build(&session.user, &p.tree, &session.cred);
    // Printed a page at a time, stopping past the cap: a 1,000-role profile is 650,000 lines
    // (15 MB) that would be printed only to be refused.
    let mut text = String::new();
    let mut from = 0;
    while from < raw.len() && text.len() <= MAX_COPY_BYTES {
        for line in raw.lines(&p.tree, from, PAGE) {
            text.push_str(&line);
            text.push('\n');
        }
        from += PAGE;
    }
    text.pop();
    copy(app, "profile JSON", text)
}

/// Lines printed at a time for `Y`.
const PAGE: usize = 2_000;

/// The field a row is copied by, and its text (lines joined by newlines).
fn main_value(details: &Details) -> Option<(&'static str, String)> {
    COPIED_FIELDS.iter().find_map(|&label| {
        let field = details.fields.iter().find(|f| f.label == label)?;
        let text = field.lines.join("\n");
        (!text.is_empty() && text != "—").then_some((field.label, text))
    })
}

/// The Raw JSON line the user is on: the current search match, else the top line shown.
fn raw_line(p: &ProfileState) -> Option<String> {
    let raw = p.raw.json.as_ref()?;
    let line = p.raw.search.current().unwrap_or(p.raw.scroll.offset);
    raw.lines(&p.tree, line, 1).pop().map(|l| l.trim().to_string()).filter(|l| !l.is_empty())
}

fn copy(app: &mut App, what: &str, text: String) -> Vec<Effect> {
    crate::app::clipboard::copy(app, what, text)
}
