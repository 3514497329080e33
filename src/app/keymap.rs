//! The one table of key bindings: per context, which keys trigger which action.
//!
//! `update` looks keys up here, the help overlay lists this table and the footer hints quote it,
//! so a binding changed in `config.toml` changes all three. Defaults put vim keys next to the
//! arrows. Ctrl-C is not in the table: it always quits, whatever the config says, so nobody is
//! ever stuck in the app.

use std::collections::HashMap;

use crossterm::event::KeyCode;

use super::keys::Key;

/// Where a binding applies. The names are the `[keys.<context>]` tables of `config.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Login,
    Tfa,
    Region,
    Profile,
    Nav,
    Tree,
    Filter,
    Help,
    Confirm,
    Edit,
    Review,
    Draft,
    /// The reset wizard and the activation form.
    Password,
    Mailbox,
    /// The profile's Raw JSON tab.
    Raw,
    /// The details of the selected row, over the profile.
    Details,
    /// The account switcher.
    Accounts,
    /// Browser sign-in (its paste field has the keyboard).
    SignIn,
}

impl Context {
    pub const ALL: [Context; 19] = [
        Context::Global,
        Context::Login,
        Context::Tfa,
        Context::Region,
        Context::Profile,
        Context::Nav,
        Context::Tree,
        Context::Filter,
        Context::Help,
        Context::Confirm,
        Context::Edit,
        Context::Review,
        Context::Draft,
        Context::Password,
        Context::Mailbox,
        Context::Raw,
        Context::Details,
        Context::Accounts,
        Context::SignIn,
    ];

    /// The config table name.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Login => "login",
            Context::Tfa => "tfa",
            Context::Region => "region",
            Context::Profile => "profile",
            Context::Nav => "nav",
            Context::Tree => "tree",
            Context::Filter => "filter",
            Context::Help => "help",
            Context::Confirm => "confirm",
            Context::Password => "password",
            Context::Mailbox => "mailbox",
            Context::Edit => "edit",
            Context::Review => "review",
            Context::Draft => "draft",
            Context::Raw => "raw",
            Context::Details => "details",
            Context::Accounts => "accounts",
            Context::SignIn => "signin",
        }
    }

    /// The heading in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Login => "Log-in form",
            Context::Tfa => "Two-factor code",
            Context::Region => "Region picker",
            Context::Profile => "Profile",
            Context::Nav => "Lists and scrolling",
            Context::Tree => "Roles tree",
            Context::Filter => "Filter field",
            Context::Help => "This help",
            Context::Confirm => "Confirmation",
            Context::Password => "Password reset and activation",
            Context::Mailbox => "Demo mailbox",
            Context::Edit => "Edit profile form",
            Context::Review => "Review before saving",
            Context::Draft => "Unsaved changes from an earlier run",
            Context::Raw => "Raw JSON tab",
            Context::Details => "Details of the selected row",
            Context::Accounts => "Accounts",
            Context::SignIn => "Sign in with the browser",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Whether a text field has the keyboard wherever this context applies, so that a
    /// printable key types there and can never trigger one of its actions.
    pub fn types_text(self) -> bool {
        matches!(
            self,
            Context::Login
                | Context::Tfa
                | Context::Region
                | Context::Filter
                | Context::Edit
                | Context::Password
                | Context::SignIn
        )
    }
}

macro_rules! actions {
    ($($variant:ident => $name:literal, $desc:literal;)*) => {
        /// Everything a key can do. Names are what `config.toml` uses; descriptions are what
        /// help shows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant),* }

        impl Action {
            /// Every action, in declaration order.
            pub const ALL: &[Action] = &[$(Action::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),* }
            }
            pub fn description(self) -> &'static str {
                match self { $(Action::$variant => $desc),* }
            }
        }
    };
}

actions! {
    Quit => "quit", "Quit";
    Help => "help", "Show or hide this help";
    NextField => "next_field", "Next field";
    PrevField => "prev_field", "Previous field";
    Submit => "submit", "Log in, from any field";
    ToggleSecret => "toggle_secret", "Show or hide the password or token";
    SwitchMethod => "switch_method", "Switch between password and authtoken log-in";
    ChooseRegion => "choose_region", "Choose the region or a custom API URL";
    Retry => "retry", "Try the last request again";
    FillDemo => "fill_demo", "Fill the form with the next demo login";
    Dismiss => "dismiss", "Dismiss the message / go back";
    RequestSms => "request_sms", "Send the code by SMS";
    Back => "back", "Back to the password step; while checking the code, cancel";
    Select => "select", "Use the selected region";
    Close => "close", "Close";
    NextTab => "next_tab", "Next tab";
    PrevTab => "prev_tab", "Previous tab";
    TabRoles => "tab_roles", "Roles tab";
    TabPermissions => "tab_permissions", "Permissions tab";
    TabOrgs => "tab_orgs", "Organisations tab";
    TabSettings => "tab_settings", "Settings tab";
    TabRaw => "tab_raw", "Raw JSON tab";
    TabStacks => "tab_stacks", "Stacks tab";
    Refresh => "refresh", "Reload the profile";
    Logout => "logout", "Log out";
    Filter => "filter", "Filter the tab (on Raw JSON: search it)";
    NextMatch => "next_match", "Next match of the filter or search";
    PrevMatch => "prev_match", "Previous match of the filter or search";
    Details => "details", "Details of the selected row: its whole text, wrapped";
    Copy => "copy", "Copy the selected value (UID, API key, targets; on Raw JSON the line) to the clipboard";
    CopyAll => "copy_all", "Copy the whole profile as JSON to the clipboard (the token masked)";
    StackNames => "stack_names", "Load the stacks' names again (when loading them failed)";
    ScrollRight => "scroll_right", "Scroll the lines right (where they are cut, a … shows)";
    ScrollLeft => "scroll_left", "Scroll the lines back left";
    Wrap => "wrap", "Wrap long lines, or cut them again";
    Up => "up", "Up";
    Down => "down", "Down";
    Top => "top", "First line";
    Bottom => "bottom", "Last line";
    PageUp => "page_up", "Page up";
    PageDown => "page_down", "Page down";
    Expand => "expand", "Expand";
    Collapse => "collapse", "Collapse";
    Toggle => "toggle", "Expand or collapse";
    ExpandAll => "expand_all", "Expand everything";
    CollapseAll => "collapse_all", "Collapse everything";
    Apply => "apply", "Keep the filter and go back to the tree";
    ClearFilter => "clear_filter", "Clear the filter";
    Confirm => "confirm", "Yes";
    Cancel => "cancel", "No";
    ForgotPassword => "forgot_password", "Forgot password? Reset it with a token sent by email";
    ActivateAccount => "activate_account", "Activate an invited account (token or link from the invitation)";
    OpenMailbox => "mailbox", "Open the demo mailbox: the emails and SMS codes the demo server sent";
    ChangePassword => "change_password", "Reset the password by email (a token is sent to your address)";
    Send => "send", "Send the form (on a field followed by an empty one: go there)";
    NextStep => "next_step", "Go to step 2, to enter a token you already have";
    GoBack => "go_back", "Back one step (what you typed is kept), or leave the form";
    UseMessage => "use_message", "Use this message: open its form with the token, or fill the 2FA code";
    Reload => "reload", "Read the list again";
    OpenAccounts => "accounts", "Switch to another stored account, add one, log one out";
    SwitchAccount => "switch", "Switch to the selected account (its profile loads on its own server)";
    AddAccount => "add", "Add an account: the log-in form (Esc comes back)";
    LogoutAccount => "logout_account", "Log the selected account out, on its server and here";
    EditProfile => "edit", "Edit your name, company and phone number";
    BrowserSignIn => "browser_sign_in", "Sign in with the browser (SSO organisations; OAuth with PKCE)";
    OpenBrowser => "open_browser", "Open the sign-in address in the browser again";
    UsePasted => "use_pasted", "Sign in with the pasted address (or code)";
    Review => "review", "Review the changes before saving";
    Leave => "leave", "Leave the form (asks first if something changed)";
    Save => "save", "Save the changes (or try again after a failure)";
    BackToForm => "back_to_form", "Back to the form; while saving, cancel (values kept)";
    Restore => "restore", "Restore the changes into the edit form";
    Discard => "discard", "Delete the unsaved changes";
    Later => "later", "Decide later (the changes stay kept)";
}

impl Action {
    /// What help says the action does in `ctx`, where that differs from what it does elsewhere.
    pub fn description_in(self, ctx: Context) -> &'static str {
        match (ctx, self) {
            (Context::Login, Action::Dismiss) => {
                "Dismiss the message; while logging in, cancel (the form is kept)"
            }
            (Context::Tfa, Action::Submit) => "Verify the code",
            (Context::SignIn, Action::Copy) => "Copy the sign-in address to the clipboard",
            (Context::SignIn, Action::Retry) => "Start the sign-in again (a new address)",
            (Context::SignIn, Action::Close) => "Cancel the sign-in (back to the log-in form)",
            _ => self.description(),
        }
    }
}

/// The default table, in the order help lists it.
fn defaults(ctx: Context) -> Vec<(Action, Vec<Key>)> {
    use Action::*;
    let k = |code| Key::plain(code);
    let c = Key::ch;
    // One action on one key: a control key, a character, a named key.
    let ctrl = |action, ch| (action, vec![Key::ctrl(ch)]);
    let ch = |action, ch| (action, vec![Key::ch(ch)]);
    let key = |action, code| (action, vec![k(code)]);
    let enter = |action| key(action, KeyCode::Enter);
    let esc = |action| key(action, KeyCode::Esc);
    // A form's table: `on_enter` on Enter, then moving between its fields, then its own keys.
    let form = |on_enter: Action, own: Vec<(Action, Vec<Key>)>| {
        let fields = [
            enter(on_enter),
            (NextField, vec![k(KeyCode::Tab), k(KeyCode::Down)]),
            (PrevField, vec![k(KeyCode::BackTab), k(KeyCode::Up)]),
        ];
        fields.into_iter().chain(own).collect()
    };
    match ctx {
        Context::Global => vec![ch(Quit, 'q'), (Help, vec![c('?'), k(KeyCode::F(1))])],
        Context::Login => form(
            Submit,
            vec![
                ctrl(ChooseRegion, 'g'),
                ctrl(ToggleSecret, 's'),
                ctrl(SwitchMethod, 't'),
                ctrl(Retry, 'r'),
                ctrl(FillDemo, 'n'),
                esc(Dismiss),
                ctrl(ForgotPassword, 'p'),
                ctrl(ActivateAccount, 'x'),
                ctrl(OpenMailbox, 'o'),
                ctrl(OpenAccounts, 'l'),
                ctrl(BrowserSignIn, 'b'),
            ],
        ),
        Context::Tfa => vec![enter(Submit), ctrl(RequestSms, 's'), esc(Back), ctrl(OpenMailbox, 'o')],
        Context::Region => {
            vec![enter(Select), esc(Close)]
        }
        Context::Profile => vec![
            key(NextTab, KeyCode::Tab),
            key(PrevTab, KeyCode::BackTab),
            ch(TabRoles, '1'),
            ch(TabPermissions, '2'),
            ch(TabOrgs, '3'),
            ch(TabSettings, '4'),
            ch(TabRaw, '5'),
            ch(TabStacks, '6'),
            ch(Filter, '/'),
            ch(NextMatch, 'n'),
            ch(PrevMatch, 'N'),
            ch(Details, 'i'),
            ch(Copy, 'y'),
            ch(CopyAll, 'Y'),
            ch(StackNames, 'S'),
            ch(OpenAccounts, 'A'),
            ch(EditProfile, 'e'),
            ch(Refresh, 'r'),
            ch(Logout, 'L'),
            esc(Dismiss),
            ch(ChangePassword, 'p'),
            ch(OpenMailbox, 'm'),
        ],
        Context::Nav => vec![
            (Up, vec![k(KeyCode::Up), c('k')]),
            (Down, vec![k(KeyCode::Down), c('j')]),
            (Top, vec![k(KeyCode::Home), c('g')]),
            (Bottom, vec![k(KeyCode::End), c('G')]),
            (PageUp, vec![k(KeyCode::PageUp), Key::ctrl('u')]),
            (PageDown, vec![k(KeyCode::PageDown), Key::ctrl('d')]),
        ],
        Context::Tree => vec![
            (Expand, vec![k(KeyCode::Right), c('l')]),
            (Collapse, vec![k(KeyCode::Left), c('h')]),
            (Toggle, vec![k(KeyCode::Enter), c(' ')]),
            ch(ExpandAll, 'E'),
            ch(CollapseAll, 'C'),
        ],
        Context::Filter => {
            vec![enter(Apply), esc(ClearFilter)]
        }
        Context::Help => vec![(Close, vec![k(KeyCode::Esc), c('?'), c('q')])],
        Context::Confirm => {
            vec![(Confirm, vec![c('y'), k(KeyCode::Enter)]), (Cancel, vec![c('n'), k(KeyCode::Esc)])]
        }
        Context::Password => form(
            Send,
            vec![
                ctrl(ToggleSecret, 's'),
                ctrl(NextStep, 'n'),
                ctrl(Retry, 'r'),
                ctrl(OpenMailbox, 'o'),
                esc(GoBack),
            ],
        ),
        Context::Mailbox => vec![enter(UseMessage), ch(Reload, 'r'), esc(Close)],
        Context::Edit => form(Review, vec![esc(Leave)]),
        Context::Review => vec![enter(Save), esc(BackToForm)],
        Context::Draft => {
            vec![ch(Restore, 'r'), ch(Discard, 'd'), esc(Later)]
        }
        Context::Raw => vec![
            (ScrollRight, vec![k(KeyCode::Right), c('l')]),
            (ScrollLeft, vec![k(KeyCode::Left), c('h')]),
            ch(Wrap, 'w'),
        ],
        Context::Details => vec![(Close, vec![k(KeyCode::Esc), c('i')])],
        Context::Accounts => vec![
            enter(SwitchAccount),
            ch(AddAccount, 'a'),
            ch(LogoutAccount, 'd'),
            ch(Reload, 'r'),
            esc(Close),
        ],
        Context::SignIn => {
            vec![enter(UsePasted), ctrl(OpenBrowser, 'o'), ctrl(Copy, 'y'), ctrl(Retry, 'r'), esc(Close)]
        }
    }
}

/// The bindings in force: the defaults with the user's overrides applied.
#[derive(Debug, Clone)]
pub struct Keymap {
    table: HashMap<Context, Vec<(Action, Vec<Key>)>>,
    index: HashMap<(Context, Key), Action>,
}

impl Default for Keymap {
    fn default() -> Self {
        let table = Context::ALL.into_iter().map(|c| (c, defaults(c))).collect();
        let mut map = Keymap { table, index: HashMap::new() };
        map.reindex();
        map
    }
}

impl Keymap {
    fn reindex(&mut self) {
        self.index.clear();
        for (ctx, rows) in &self.table {
            for (action, keys) in rows {
                for key in keys {
                    self.index.insert((*ctx, *key), *action);
                }
            }
        }
    }

    /// The action `key` triggers in `ctx`, if any.
    pub fn action(&self, ctx: Context, key: Key) -> Option<Action> {
        self.index.get(&(ctx, key)).copied()
    }

    /// The first context in `contexts` that binds `key`, with its action.
    pub fn lookup(&self, contexts: &[Context], key: Key) -> Option<Action> {
        contexts.iter().find_map(|c| self.action(*c, key))
    }

    /// A context's bindings, in help order.
    pub fn bindings(&self, ctx: Context) -> &[(Action, Vec<Key>)] {
        self.table.get(&ctx).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The keys of an action in a context.
    pub fn keys(&self, ctx: Context, action: Action) -> &[Key] {
        self.bindings(ctx).iter().find(|(a, _)| *a == action).map(|(_, k)| k.as_slice()).unwrap_or(&[])
    }

    /// The first key of an action, pretty-printed, for hints (`None` if it has none left).
    pub fn hint(&self, ctx: Context, action: Action) -> Option<String> {
        self.keys(ctx, action).first().map(Key::pretty)
    }
}

pub mod hint;
mod overrides;
#[cfg(test)]
mod tests;
