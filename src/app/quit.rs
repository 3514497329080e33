//! Quitting with the quit key (`q`) asks first when it would lose what the user typed: a form
//! on screen, or one kept behind the screen showing (the mailbox opened over a form, the
//! region list over the log-in form). Ctrl-C never asks: it quits at once, keeping drafts.

use crate::app::effect::Effect;
use crate::app::state::{App, Confirm, Screen};

/// The quit key: quits, or asks first when something typed would be lost.
pub(crate) fn on_quit_key(app: &mut App) -> Vec<Effect> {
    if lost_on_quit(app).is_empty() {
        return crate::app::update::quit(app);
    }
    app.confirm = Some(Confirm::Quit);
    Vec::new()
}

/// What quitting now would lose, one sentence per form (empty when nothing would be).
pub fn lost_on_quit(app: &App) -> Vec<String> {
    let mut out = Vec::new();
    // The screen showing first, then the ones under it: every form kept on the stack counts.
    for screen in app.stack() {
        match screen {
            Screen::Login(l) if l.has_typing() => {
                out.push("What you typed in the log-in form is not kept.".to_string());
            }
            Screen::Reset(r) if r.has_typing() => {
                out.push("What you typed in the password reset is not kept.".to_string());
            }
            Screen::Activate(a) if a.has_typing() => {
                out.push("What you typed in the activation form is not kept.".to_string());
            }
            Screen::Edit(e) if e.form.has_edits() => out.push(edits_sentence(app)),
            _ => {}
        }
    }
    if app.resume.as_ref().and_then(|r| r.edit.as_ref()).is_some_and(|f| f.has_edits()) {
        out.push(edits_sentence(app));
    }
    out
}

fn edits_sentence(app: &App) -> String {
    // Drafts are written outside demo mode: on quitting, or (after a 401) when the session
    // ended.
    if app.demo.is_none() {
        "Your profile changes are kept as a draft, offered at the next start.".into()
    } else {
        "Your profile changes are not saved.".into()
    }
}
