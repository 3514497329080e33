//! Footer hints and help rows quoted from the keymap, so they follow the user's bindings. Each
//! screen builds its own from these pieces (`src/screens/<name>/hints.rs`); a key that would
//! type into a focused text field is skipped in favour of one that works there (F1 rather than
//! `?` for help on the log-in form).

use super::{Action, Context, Keymap};
use crate::app::keys::Key;

/// One hint: the key as shown and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub key: String,
    pub label: &'static str,
}

/// What the help overlay lists for a screen: the keymap tables that apply there, most specific
/// first, whether a text field has the keyboard (letters type, so the global letters are left
/// out), and actions of those tables that do nothing on this screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRows {
    pub contexts: Vec<Context>,
    pub text_fields: bool,
    pub hidden: &'static [Action],
}

/// The key to show for an action: the first that works given whether a text field has focus.
pub fn key_for(keymap: &Keymap, ctx: Context, action: Action, text_focus: bool) -> Option<String> {
    keymap.keys(ctx, action).iter().find(|k| !(text_focus && k.is_text())).map(Key::pretty)
}

/// Two actions shown as one hint: `↑↓ move` for two arrows, `k/j move` or `ctrl-k/ctrl-j move`
/// for keys that would run together.
pub fn pair(keymap: &Keymap, ctx: Context, a: Action, b: Action, label: &'static str) -> Option<Hint> {
    let ka = key_for(keymap, ctx, a, false)?;
    let kb = key_for(keymap, ctx, b, false)?;
    Some(Hint { key: join_pair(&ka, &kb), label })
}

/// Two keys as one: side by side only when both are a single symbol (arrows), else with a
/// separator that is not one of them.
pub fn join_pair(a: &str, b: &str) -> String {
    let symbol = |k: &str| k.chars().count() == 1 && !k.chars().all(char::is_alphanumeric);
    if symbol(a) && symbol(b) && a != "/" && b != "/" {
        format!("{a}{b}")
    } else if a == "/" || b == "/" {
        format!("{a},{b}")
    } else {
        format!("{a}/{b}")
    }
}

/// One action's hint, with the first key that works given `text_focus`.
pub fn one(
    keymap: &Keymap,
    ctx: Context,
    action: Action,
    label: &'static str,
    text_focus: bool,
) -> Option<Hint> {
    key_for(keymap, ctx, action, text_focus).map(|key| Hint { key, label })
}

/// Space on a form's checkbox or list row (a fixed key, as in any form).
pub fn space(label: &'static str) -> Hint {
    Hint { key: "Space".into(), label }
}

/// The help hint.
pub fn help(keymap: &Keymap, text_focus: bool) -> Option<Hint> {
    one(keymap, Context::Global, Action::Help, "help", text_focus)
}

/// Ctrl-C, which always quits (it is not in the table).
pub fn ctrl_c() -> Option<Hint> {
    Some(Hint { key: "ctrl-c".into(), label: "quit" })
}
