//! The answers to a save: a success (the profile takes the server's user), a 422 put on the
//! fields, any other failure kept with a way to try again. Only a success says what the server
//! holds; after anything else the server is asked ([`super::known`]).

use crate::screens::edit::EditField;
use std::sync::Arc;

use crate::screens::edit::SaveFailure;

use crate::api::{ApiError, UpdateSuccess};
use crate::app::effect::Effect;
use crate::app::msg::{Msg, RequestId};
use crate::app::nav::Nav;
use crate::app::state::{AfterCheck, App, ToastLevel};
use crate::screens::edit::Step;
use crate::screens::edit::known;
use crate::screens::edit::update::close;
use crate::screens::edit::update::delete_draft;
use crate::screens::edit::update::form_mut;
use crate::screens::edit::update::sync_draft;

/// The answer to a save. Only a success says what the server holds: after any failure an
/// earlier try of the same save may have landed (the client retries), so the server is asked.
pub(crate) fn on_save_result(
    app: &mut App,
    id: RequestId,
    result: Result<UpdateSuccess, ApiError>,
) -> Vec<Effect> {
    known::save_ended(app);
    match result {
        Ok(done) => saved(app, done),
        Err(e) if e.is_unauthorized() => crate::app::session::session_expired(app),
        Err(e @ ApiError::Validation { .. }) => {
            refused(app, &e);
            known::check(app, AfterCheck::Show)
        }
        Err(e) => {
            let mut effects = failed(app, id, &e);
            effects.extend(known::check(app, AfterCheck::Show));
            effects
        }
    }
}

/// Saved: the profile takes the user the server returned, and the draft goes.
fn saved(app: &mut App, done: UpdateSuccess) -> Vec<Effect> {
    let mut effects = delete_draft(app);
    let UpdateSuccess { notice, mut user } = done;
    let Some(session) = &mut app.session else { return effects };
    // `PUT /user` answers without organisations or settings (nothing asks for them): keep the
    // ones already loaded rather than blank two tabs.
    if user.organizations.is_none() {
        user.organizations = session.user.organizations.clone();
    }
    if user.settings.is_none() {
        user.settings = session.user.settings.clone();
    }
    if user.email.is_empty() {
        user.email = session.user.email.clone();
    }
    let roles = std::mem::take(&mut user.roles);
    session.user = Arc::new(user);
    session.unsure = false;
    effects.extend(app.go(Nav::Pop));
    // `PUT /user` may answer without roles: the profile keeps the ones it shows.
    crate::app::session::reload_profile(app, (!roles.is_empty()).then(|| roles.into()));
    let text = if notice.trim().is_empty() { "Profile saved.".to_string() } else { notice };
    effects.push(app.toast(ToastLevel::Success, text));
    effects
}

/// The check after a failed save found every value under review on the server: it did land.
pub(crate) fn saved_after_all(app: &mut App) -> Vec<Effect> {
    let mut effects = delete_draft(app);
    effects.extend(close(app));
    effects.push(app.toast(
        ToastLevel::Success,
        "Profile saved. Its answer was lost, but the server holds your changes.",
    ));
    effects
}

/// A 422: the server's messages go beside their fields, and the form shows again.
fn refused(app: &mut App, e: &ApiError) {
    let Some(form) = form_mut(app) else { return };
    form.server_errors.clear();
    form.other_errors.clear();
    let errors = e.field_errors();
    for (name, messages) in &errors {
        let text = messages.join(" ");
        match EditField::from_api(name) {
            Some(f) => {
                form.server_errors.insert(f, text);
            }
            None => form.other_errors.push(format!("{}: {text}", crate::api::error::field_label(name))),
        }
    }
    if errors.is_empty() {
        form.other_errors.push(e.user_message());
    }
    form.step = Step::Form;
    if let Some(first) = EditField::ALL.into_iter().find(|f| form.server_errors.contains_key(f)) {
        form.focus = first;
    }
}

/// Any other failure: every value stays, and Enter on the review tries again (after the wait a
/// 429 asked for).
fn failed(app: &mut App, id: RequestId, e: &ApiError) -> Vec<Effect> {
    let wait = match e {
        ApiError::RateLimited { retry_after: Some(d), .. } => Some(*d),
        _ => None,
    };
    let Some(form) = form_mut(app) else { return Vec::new() };
    form.failed_saves += 1;
    form.failure = Some(SaveFailure {
        title: crate::app::session::error_title(e).to_string(),
        message: e.user_message(),
        request: id,
        waiting: wait.is_some(),
    });
    let mut effects = sync_draft(app);
    if let Some(after) = wait {
        effects.push(Effect::Timer { after, msg: Box::new(Msg::SaveRetryReady(id)) });
    }
    effects
}

/// A 429's wait is over: saving may be tried again.
pub(crate) fn on_retry_ready(app: &mut App, id: RequestId) -> Vec<Effect> {
    if let Some(f) = form_mut(app).and_then(|form| form.failure.as_mut())
        && f.request == id
    {
        f.waiting = false;
        f.message = "Contentstack was limiting requests; the wait is over.".into();
    }
    Vec::new()
}
