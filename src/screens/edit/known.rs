//! What the server holds, known or not.
//!
//! The session's copy of the user is what the server is known to hold, and the edit form is
//! measured against it. A save makes it unsure from the moment it is sent: until its answer, the
//! server may or may not take its values, and a save that fails after it may have been sent
//! (timed out, cut, cancelled, refused by a retry after an earlier try landed) leaves it so. Then
//! a `GET /user` (a *check*) runs before anything is worked out from the copy: no form opens and
//! no review or save is computed until it answers, and what waited for it carries on then. Its
//! answer is shown: the profile reloads and the form's untouched fields take the server's values.
//!
//! A read only shows the server's state if no save ran while it was out: one that ended after the
//! read was sent, or runs still, may have landed after the server answered it.

use crate::screens::edit::EditField;
use std::sync::Arc;

use crate::screens::edit::EditForm;

use crate::screens::edit::Note;

use crate::screens::edit::NoteKind;

use crate::api::{ApiError, Profile};
use crate::app::effect::Effect;
use crate::app::msg::RequestId;
use crate::app::request::{Kind, Lives, OnUser, Pending, Request, ScreenTag};
use crate::app::state::{AfterCheck, App, Screen, ToastLevel};
use crate::screens::edit::Step;

fn is_save(p: &Pending) -> bool {
    p.kind == Kind::Save
}

/// Whether the server's state is not known (see the module's notes).
pub(crate) fn unsure(app: &App) -> bool {
    app.session.as_ref().is_some_and(|s| s.unsure)
}

/// A save is being sent: from now on the server may hold its values.
pub(crate) fn save_sent(app: &mut App) {
    if let Some(s) = &mut app.session {
        s.unsure = true;
    }
}

/// A save ended (answered, or cancelled): reads sent before now may be from before it landed.
pub(crate) fn save_ended(app: &mut App) {
    let next = app.next_request_id();
    if let Some(s) = &mut app.session {
        s.reads_valid_from = next;
    }
}

/// Whether the answer to the read `id` shows what the server holds now.
pub(crate) fn read_is_sure(app: &App, id: RequestId) -> bool {
    app.session.as_ref().is_some_and(|s| id >= s.reads_valid_from) && !app.has_pending(is_save)
}

/// Asks the server what it holds, then does `then`. A check already running is not started
/// again; it does `then` instead of what it was to do (unless `then` is only to show).
pub(crate) fn check(app: &mut App, then: AfterCheck) -> Vec<Effect> {
    let running = app.has_pending_kind(Kind::Check);
    let Some(s) = &mut app.session else { return Vec::new() };
    if running {
        if then != AfterCheck::Show {
            s.after_check = then;
        }
        return Vec::new();
    }
    s.after_check = then;
    let (endpoint, cred) = (s.endpoint.clone(), s.cred.clone());
    // For the profile and the form over it: a screen that could not take the answer stops it.
    vec![
        app.request(
            Lives::Screen(ScreenTag::Profile),
            Request::GetUser { endpoint, cred, then: OnUser::Check },
        ),
    ]
}

/// The user did something else than wait for the check: `what` no longer waits for it (the form
/// must not jump to the review, or move its focus, under keys typed since).
pub(crate) fn forget(app: &mut App, what: AfterCheck) {
    if let Some(s) = &mut app.session
        && s.after_check == what
    {
        s.after_check = AfterCheck::Show;
    }
}

/// `user` is what the server holds: the session takes it, and so do the profile (on screen or
/// under the form) and the form's untouched fields. Returns the draft's update when the form's
/// edits changed.
pub(crate) fn server_holds(app: &mut App, profile: Profile) -> Vec<Effect> {
    let Some(session) = &mut app.session else { return Vec::new() };
    let Profile { user, roles } = profile;
    let roles = *roles;
    session.user = Arc::new(user);
    session.unsure = false;
    let user = session.user.clone();
    if let Screen::Edit(e) = &mut app.screen {
        e.form.rebase(&user);
    }
    crate::app::session::reload_profile(app, Some(roles));
    crate::screens::edit::update::sync_draft(app)
}

/// The answer to a check.
pub(crate) fn on_check(app: &mut App, id: RequestId, result: Result<Profile, ApiError>) -> Vec<Effect> {
    // What waited for this check: it is done with, whatever the answer.
    let then = app
        .session
        .as_mut()
        .map_or(AfterCheck::Show, |s| std::mem::replace(&mut s.after_check, AfterCheck::Show));
    match result {
        Ok(profile) if read_is_sure(app, id) => {
            let before = form_values(app);
            let mut effects = server_holds(app, profile);
            effects.extend(carry_on(app, then, before));
            effects
        }
        // A save ran meanwhile: ask again once it is over (its answer may settle it).
        Ok(_) if app.has_pending(is_save) => Vec::new(),
        Ok(_) => check(app, then),
        Err(e) if e.is_unauthorized() => crate::app::session::session_expired(app),
        Err(e) => {
            let text = format!(
                "What the server holds could not be checked after the save: {} Saving tries again.",
                e.user_message()
            );
            match form_mut(app) {
                Some(form) => {
                    form.note = Some(Note::new(NoteKind::Warning, text));
                    Vec::new()
                }
                None => vec![app.toast(ToastLevel::Error, text)],
            }
        }
    }
}

use crate::screens::edit::update::form_mut;

fn form_values(app: &App) -> Option<Vec<String>> {
    let form = &app.edit()?.form;
    Some(EditField::ALL.map(|f| form.field(f).value().to_string()).to_vec())
}

/// The server's state is known again: what waited for it goes on, and the form says what the
/// check changed.
fn carry_on(app: &mut App, then: AfterCheck, before: Option<Vec<String>>) -> Vec<Effect> {
    let saving = app.has_pending(is_save);
    let Some(session) = &app.session else { return Vec::new() };
    if let Screen::Edit(e) = &app.screen {
        if e.form.step == Step::Review && !saving && e.form.changes(&session.user).is_empty() {
            // Everything under review is on the server: the save that seemed to fail did land.
            return crate::screens::edit::save::saved_after_all(app);
        }
        match then {
            AfterCheck::Review if e.form.step == Step::Form => {
                return crate::screens::edit::update::review(app);
            }
            AfterCheck::Save if e.form.step == Step::Review && !saving => {
                return crate::screens::edit::update::save(app);
            }
            _ => {}
        }
        let moved = before != form_values(app);
        if let Some(form) = form_mut(app)
            && moved
        {
            form.note = Some(Note::new(
                NoteKind::Info,
                "Checked with the server: the fields you did not change now show what it holds.",
            ));
        }
        return Vec::new();
    }
    let on_profile = app.profile().is_some_and(|p| !p.editing_filter)
        && app.help().is_none()
        && app.confirm.is_none()
        && app.draft_offer.is_none();
    if then == AfterCheck::OpenForm && on_profile {
        let form = EditForm::new(&session.user);
        return crate::screens::edit::update::open_with(app, form);
    }
    Vec::new()
}
