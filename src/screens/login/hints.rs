//! The log-in screen's footer hints and help rows (the form, the region picker, the 2FA step),
//! quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, ctrl_c, help, one, pair, space};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::login::update::{busy, can_cancel};
use crate::screens::login::{Focus, LoginState, Method};

/// Whether printable keys type here: the form types every printable key, wherever its focus
/// is; the region list does not (its custom URL field does).
pub fn text_focus(l: &LoginState) -> bool {
    l.picker.as_ref().is_none_or(|p| p.custom.is_some())
}

/// The one hint the status bar shows when there is no hints line: the key that cancels the
/// log-in while it runs (`None` otherwise: the caller shows help).
pub fn status_hint(app: &App, l: &LoginState) -> Option<Hint> {
    if l.picker.is_some() || !can_cancel(app) {
        return None;
    }
    let (ctx, action) =
        if l.tfa.is_some() { (Context::Tfa, Action::Back) } else { (Context::Login, Action::Dismiss) };
    one(&app.keymap, ctx, action, "cancel", true)
}

pub fn hints(app: &App, l: &LoginState) -> Vec<Option<Hint>> {
    use Action::*;
    use Context as C;
    let km = &app.keymap;
    let tf = text_focus(l);
    match (&l.picker, &l.tfa) {
        (Some(p), _) if p.custom.is_some() => {
            vec![one(km, C::Region, Select, "use this URL", true), one(km, C::Region, Close, "back", true)]
        }
        (Some(_), _) => vec![
            pair(km, C::Nav, Up, Down, "move"),
            one(km, C::Region, Select, "choose", false),
            one(km, C::Region, Close, "close", false),
        ],
        (None, tfa) if busy(app) => vec![
            can_cancel(app)
                .then(|| match tfa {
                    Some(_) => one(km, C::Tfa, Back, "cancel", tf),
                    None => one(km, C::Login, Dismiss, "cancel", tf),
                })
                .flatten(),
            help(km, tf),
            ctrl_c(),
        ],
        (None, Some(_)) => vec![
            one(km, C::Tfa, Submit, "verify", tf),
            one(km, C::Tfa, RequestSms, "send by SMS", tf),
            one(km, C::Tfa, Back, "back", tf),
            app.demo_endpoint.as_ref().and_then(|_| one(km, C::Tfa, OpenMailbox, "mailbox", tf)),
            help(km, tf),
            ctrl_c(),
        ],
        (None, None) => vec![
            (l.focus == Focus::Remember).then(|| space("tick/untick")),
            (l.focus == Focus::Region).then(|| space("choose region")),
            one(km, C::Login, Submit, "log in", tf),
            one(km, C::Login, NextField, "next", tf),
            one(km, C::Login, ChooseRegion, "region", tf),
            help(km, tf),
            ctrl_c(),
            one(km, C::Login, ToggleSecret, "show/hide", tf),
            one(
                km,
                C::Login,
                SwitchMethod,
                if l.method == Method::Password { "use a token" } else { "use a password" },
                tf,
            ),
            app.demo.as_ref().and_then(|_| one(km, C::Login, FillDemo, "demo login", tf)),
            one(km, C::Login, ForgotPassword, "forgot password", tf),
            one(km, C::Login, ActivateAccount, "activate", tf),
            app.demo_endpoint.as_ref().and_then(|_| one(km, C::Login, OpenMailbox, "mailbox", tf)),
        ],
    }
}

pub fn help_rows(l: &LoginState) -> HelpRows {
    let contexts = if l.picker.is_some() {
        vec![Context::Region, Context::Nav, Context::Global]
    } else if l.tfa.is_some() {
        vec![Context::Tfa, Context::Global]
    } else {
        vec![Context::Login, Context::Global]
    };
    HelpRows { contexts, text_fields: text_focus(l), hidden: &[Action::NextStep] }
}
