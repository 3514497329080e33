//! Footer hints and help rows quoted from the keymap, so they follow the user's bindings. Each
//! screen builds its own from these pieces (`src/screens/<name>/hints.rs`); a key that would
//! type into a focused text field is skipped in favour of one that works there (F1 rather than
//! `?` for help on the log-in form).

use super::{Action, Context, Keymap};
use crate::app::keys::Key;
use crate::app::state::App;

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

/// A screen's footer hints, in order, built in one context of the keymap (another one for the
/// hints that follow [`Hints::context`]), each with the first key that works given whether a
/// text field has the keyboard. A hint whose action has no key is left out when shown.
pub struct Hints<'a> {
    app: &'a App,
    context: Context,
    text_focus: bool,
    list: Vec<Option<Hint>>,
}

impl<'a> Hints<'a> {
    pub fn new(app: &'a App, context: Context, text_focus: bool) -> Self {
        Hints { app, context, text_focus, list: Vec::new() }
    }

    /// The hints after this one come from another table of the keymap.
    pub fn context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }

    /// An action of the current table.
    pub fn one(self, action: Action, label: &'static str) -> Self {
        let hint = one(&self.app.keymap, self.context, action, label, self.text_focus);
        self.hint(hint)
    }

    /// An action of the current table, when `shown`.
    pub fn one_if(self, shown: bool, action: Action, label: &'static str) -> Self {
        if shown { self.one(action, label) } else { self }
    }

    /// Two actions of the current table as one hint (`→← open/close`).
    pub fn pair(self, a: Action, b: Action, label: &'static str) -> Self {
        let hint = pair(&self.app.keymap, self.context, a, b, label);
        self.hint(hint)
    }

    /// Two actions of the current table as one hint, when `shown`.
    pub fn pair_if(self, shown: bool, a: Action, b: Action, label: &'static str) -> Self {
        if shown { self.pair(a, b, label) } else { self }
    }

    /// Up and down in a list: `↑↓ move`.
    pub fn nav(self, label: &'static str) -> Self {
        let hint = pair(&self.app.keymap, Context::Nav, Action::Up, Action::Down, label);
        self.hint(hint)
    }

    /// The demo mailbox, in the current table, when the server is the demo's.
    pub fn mailbox(self) -> Self {
        let shown = self.app.demo_endpoint.is_some();
        self.one_if(shown, Action::OpenMailbox, "mailbox")
    }

    /// Space on the focused checkbox or list row, when `shown`.
    pub fn space_if(self, shown: bool, label: &'static str) -> Self {
        self.hint(shown.then(|| space(label)))
    }

    pub fn help(self) -> Self {
        let hint = help(&self.app.keymap, self.text_focus);
        self.hint(hint)
    }

    /// The quit key of the global table (a letter: where no text field types).
    pub fn quit(self) -> Self {
        let hint = one(&self.app.keymap, Context::Global, Action::Quit, "quit", false);
        self.hint(hint)
    }

    /// Ctrl-C, which quits anywhere.
    pub fn ctrl_c(self) -> Self {
        self.hint(ctrl_c())
    }

    /// A hint made by the screen.
    pub fn hint(mut self, hint: Option<Hint>) -> Self {
        self.list.push(hint);
        self
    }

    pub fn done(self) -> Vec<Option<Hint>> {
        self.list
    }
}
