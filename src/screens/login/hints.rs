//! The log-in screen's footer hints and help rows (the form, the region picker, the 2FA step),
//! quoted from the keymap.

use crate::app::keymap::hint::{HelpRows, Hint, Hints, one};
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
    let tf = text_focus(l);
    match (&l.picker, &l.tfa) {
        (Some(p), _) if p.custom.is_some() => {
            Hints::new(app, C::Region, true).one(Select, "use this URL").one(Close, "back").done()
        }
        (Some(_), _) => {
            Hints::new(app, C::Region, false).nav("move").one(Select, "choose").one(Close, "close").done()
        }
        (None, tfa) if busy(app) => {
            let (context, cancel) = if tfa.is_some() { (C::Tfa, Back) } else { (C::Login, Dismiss) };
            Hints::new(app, context, tf).one_if(can_cancel(app), cancel, "cancel").help().ctrl_c().done()
        }
        (None, Some(_)) => Hints::new(app, C::Tfa, tf)
            .one(Submit, "verify")
            .one(RequestSms, "send by SMS")
            .one(Back, "back")
            .mailbox()
            .help()
            .ctrl_c()
            .done(),
        (None, None) => Hints::new(app, C::Login, tf)
            .space_if(l.focus == Focus::Remember, "tick/untick")
            .space_if(l.focus == Focus::Region, "choose region")
            .one(Submit, "log in")
            .one(NextField, "next")
            .one(ChooseRegion, "region")
            .help()
            .ctrl_c()
            .one(ToggleSecret, "show/hide")
            .one(SwitchMethod, if l.method == Method::Password { "use a token" } else { "use a password" })
            .one_if(app.demo.is_some(), FillDemo, "demo login")
            .one(ForgotPassword, "forgot password")
            .one(ActivateAccount, "activate")
            .mailbox()
            .done(),
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
