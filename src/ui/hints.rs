//! The footer hints for what is on screen, quoted from the keymap so they follow the user's
//! bindings. A key that would type into a focused text field is skipped in favour of one that
//! works there (F1 rather than `?` for help on the log-in form).
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::request::Kind;
use crate::app::state::{App, Screen};
use crate::app::update::{can_cancel, login_busy};
use crate::screens::edit::Step;
use crate::screens::login::Focus;
use crate::screens::login::Method;
use crate::screens::profile::Tab;
use crate::ui::widgets::status::Hint;

/// The key to show for an action: the first that works given whether a text field has focus.
fn key_for(app: &App, ctx: Context, action: Action, text_focus: bool) -> Option<String> {
    app.keymap.keys(ctx, action).iter().find(|k| !(text_focus && k.is_text())).map(Key::pretty)
}

/// Two actions shown as one hint: `↑↓ move` for two arrows, `k/j move` or `ctrl-k/ctrl-j move`
/// for keys that would run together.
fn pair(app: &App, ctx: Context, a: Action, b: Action, label: &'static str) -> Option<Hint> {
    let ka = key_for(app, ctx, a, false)?;
    let kb = key_for(app, ctx, b, false)?;
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

fn one(app: &App, ctx: Context, action: Action, label: &'static str, text_focus: bool) -> Option<Hint> {
    key_for(app, ctx, action, text_focus).map(|key| Hint { key, label })
}

/// Space on the log-in form's checkbox or region row (a fixed key, as in any form).
fn space(label: &'static str) -> Hint {
    Hint { key: "Space".into(), label }
}

/// The one hint the status bar shows when there is no hints line: the key that cancels the
/// log-in while it runs, else help.
pub fn status_hint(app: &App) -> Option<Hint> {
    match &app.screen {
        Screen::Login(l) if l.picker.is_none() && app.help.is_none() && can_cancel(app) => {
            let (ctx, action) = if l.tfa.is_some() {
                (Context::Tfa, Action::Back)
            } else {
                (Context::Login, Action::Dismiss)
            };
            one(app, ctx, action, "cancel", true).or_else(|| help_hint(app))
        }
        _ => help_hint(app),
    }
}

/// The help hint alone.
pub fn help_hint(app: &App) -> Option<Hint> {
    one(app, Context::Global, Action::Help, "help", text_focus(app))
}

fn text_focus(app: &App) -> bool {
    match &app.screen {
        // The form types every printable key, wherever its focus is; the region list does not.
        Screen::Login(l) => l.picker.as_ref().is_none_or(|p| p.custom.is_some()),
        Screen::Profile(p) => p.filtering(),
        Screen::Edit(e) => e.form.step == Step::Form,
        // A field always has the keyboard on the forms; the mailbox has none.
        Screen::Reset(_) | Screen::Activate(_) => true,
        Screen::Mailbox(_) => false,
    }
}

pub fn hints(app: &App) -> Vec<Hint> {
    use Action::*;
    use Context as C;
    let tf = text_focus(app);
    let quit = Some(Hint { key: "ctrl-c".into(), label: "quit" });
    let list: Vec<Option<Hint>> = if app.draft_offer.as_ref().is_some_and(|o| o.open) {
        vec![
            one(app, C::Draft, Restore, "restore", false),
            one(app, C::Draft, Discard, "discard", false),
            one(app, C::Draft, Later, "later", false),
        ]
    } else if app.confirm.is_some() {
        vec![one(app, C::Confirm, Confirm, "yes", false), one(app, C::Confirm, Cancel, "no", false)]
    } else if app.help.is_some() {
        vec![pair(app, C::Nav, Up, Down, "scroll"), one(app, C::Help, Close, "close", false)]
    } else {
        match &app.screen {
            Screen::Login(l) => match (&l.picker, &l.tfa) {
                (Some(p), _) if p.custom.is_some() => {
                    vec![
                        one(app, C::Region, Select, "use this URL", true),
                        one(app, C::Region, Close, "back", true),
                    ]
                }
                (Some(_), _) => vec![
                    pair(app, C::Nav, Up, Down, "move"),
                    one(app, C::Region, Select, "choose", false),
                    one(app, C::Region, Close, "close", false),
                ],
                (None, tfa) if login_busy(app) => vec![
                    can_cancel(app)
                        .then(|| match tfa {
                            Some(_) => one(app, C::Tfa, Back, "cancel", tf),
                            None => one(app, C::Login, Dismiss, "cancel", tf),
                        })
                        .flatten(),
                    help_hint(app),
                    quit,
                ],
                (None, Some(_)) => vec![
                    one(app, C::Tfa, Submit, "verify", tf),
                    one(app, C::Tfa, RequestSms, "send by SMS", tf),
                    one(app, C::Tfa, Back, "back", tf),
                    app.demo_endpoint.as_ref().and_then(|_| one(app, C::Tfa, OpenMailbox, "mailbox", tf)),
                    help_hint(app),
                    quit,
                ],
                (None, None) => vec![
                    (l.focus == Focus::Remember).then(|| space("tick/untick")),
                    (l.focus == Focus::Region).then(|| space("choose region")),
                    one(app, C::Login, Submit, "log in", tf),
                    one(app, C::Login, NextField, "next", tf),
                    one(app, C::Login, ChooseRegion, "region", tf),
                    help_hint(app),
                    quit,
                    one(app, C::Login, ToggleSecret, "show/hide", tf),
                    one(
                        app,
                        C::Login,
                        SwitchMethod,
                        if l.method == Method::Password { "use a token" } else { "use a password" },
                        tf,
                    ),
                    app.demo.as_ref().and_then(|_| one(app, C::Login, FillDemo, "demo login", tf)),
                    one(app, C::Login, ForgotPassword, "forgot password", tf),
                    one(app, C::Login, ActivateAccount, "activate", tf),
                    app.demo_endpoint.as_ref().and_then(|_| one(app, C::Login, OpenMailbox, "mailbox", tf)),
                ],
            },
            Screen::Reset(r) => {
                use crate::screens::reset::Step;
                let (send, back) = match r.step {
                    Step::Email if r.sent_to_current() => ("next step", "leave"),
                    Step::Email => ("send", "leave"),
                    Step::Token => ("reset", "step 1"),
                };
                vec![
                    one(app, C::Password, Send, send, tf),
                    (r.step == Step::Token).then(|| one(app, C::Password, NextField, "next", tf)).flatten(),
                    (r.step == Step::Email && r.sent.is_none())
                        .then(|| one(app, C::Password, NextStep, "have a token", tf))
                        .flatten(),
                    one(app, C::Password, GoBack, back, tf),
                    app.demo_endpoint
                        .as_ref()
                        .and_then(|_| one(app, C::Password, OpenMailbox, "mailbox", tf)),
                    help_hint(app),
                    quit,
                    (r.step == Step::Token)
                        .then(|| one(app, C::Password, ToggleSecret, "show/hide", tf))
                        .flatten(),
                ]
            }
            Screen::Activate(_) => vec![
                one(app, C::Password, Send, "activate", tf),
                one(app, C::Password, NextField, "next", tf),
                one(app, C::Password, GoBack, "leave", tf),
                app.demo_endpoint.as_ref().and_then(|_| one(app, C::Password, OpenMailbox, "mailbox", tf)),
                help_hint(app),
                quit,
                one(app, C::Password, ToggleSecret, "show/hide", tf),
            ],
            Screen::Mailbox(_) => vec![
                pair(app, C::Nav, Up, Down, "move"),
                one(app, C::Mailbox, UseMessage, "use", false),
                one(app, C::Mailbox, Reload, "reload", false),
                one(app, C::Mailbox, Close, "back", false),
                help_hint(app),
                one(app, C::Global, Quit, "quit", false),
            ],
            Screen::Profile(p) if p.filtering() => vec![
                one(
                    app,
                    C::Filter,
                    Apply,
                    if p.tab == Tab::Raw { "keep search" } else { "keep filter" },
                    true,
                ),
                one(app, C::Filter, ClearFilter, "clear", true),
                pair(app, C::Nav, Up, Down, "move"),
            ],
            Screen::Profile(p) if p.details.is_some() => vec![
                pair(app, C::Nav, Up, Down, "scroll"),
                one(app, C::Details, Close, "close", false),
                help_hint(app),
                one(app, C::Global, Quit, "quit", false),
            ],
            Screen::Profile(p) => {
                // The same keys in the same order on every tab; a tab's own keys take the second
                // place (→← on Roles and Raw) and the fourth (`i` on the lists, `w` on Raw).
                let raw = p.tab == Tab::Raw;
                let own = match p.tab {
                    Tab::Roles => pair(app, C::Tree, Expand, Collapse, "open/close"),
                    Tab::Raw if !p.raw_wrap => pair(app, C::Raw, ScrollRight, ScrollLeft, "sideways"),
                    _ => None,
                };
                let fourth = if raw {
                    one(app, C::Raw, Wrap, if p.raw_wrap { "cut lines" } else { "wrap" }, false)
                } else {
                    one(app, C::Profile, Details, "details", false)
                };
                let matches =
                    (!p.filter.is_empty()).then(|| pair(app, C::Profile, NextMatch, PrevMatch, "next/prev"));
                vec![
                    pair(app, C::Nav, Up, Down, if raw { "scroll" } else { "move" }),
                    own,
                    one(app, C::Profile, Filter, if raw { "search" } else { "filter" }, false),
                    matches.flatten(),
                    fourth,
                    one(app, C::Profile, NextTab, "next tab", false),
                    help_hint(app),
                    one(app, C::Profile, Refresh, "refresh", false),
                    one(app, C::Profile, Logout, "log out", false),
                    one(app, C::Profile, EditProfile, "edit", false),
                    one(app, C::Global, Quit, "quit", false),
                    one(app, C::Profile, ChangePassword, "reset password", false),
                    app.demo_endpoint
                        .as_ref()
                        .and_then(|_| one(app, C::Profile, OpenMailbox, "mailbox", false)),
                ]
            }
            Screen::Edit(e) if e.form.step == Step::Form => vec![
                one(app, C::Edit, Review, "review", tf),
                one(app, C::Edit, NextField, "next field", tf),
                one(app, C::Edit, Leave, "leave", tf),
                help_hint(app),
                quit,
            ],
            Screen::Edit(_) if app.has_pending_kind(Kind::Save) => {
                vec![one(app, C::Review, BackToForm, "cancel", false), help_hint(app), quit]
            }
            Screen::Edit(e) => {
                // During a 429's wait, saving is held back: no key to offer for it.
                let save = match &e.form.failure {
                    Some(f) if f.waiting => None,
                    Some(_) => one(app, C::Review, Save, "try again", false),
                    None => one(app, C::Review, Save, "save", false),
                };
                vec![
                    save,
                    one(app, C::Review, BackToForm, "back to the form", false),
                    help_hint(app),
                    one(app, C::Global, Quit, "quit", false),
                ]
            }
        }
    };
    list.into_iter().flatten().collect()
}
