//! The edit-profile form's keys: typing and moving, the review, saving (its answers are in
//! [`super::save`]), a 401 sent through logging in again, Esc with unsaved changes, and the
//! draft kept on disk.
//!
//! The draft is written through effects only, and only when something settles (a field is left,
//! the review opens, the app quits, the session dies), never on each key: one small file write
//! per field edited. Drafts are off in demo mode, whose server and data die with the program.

use crossterm::event::KeyEvent;

use crate::app::effect::Effect;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::msg::DraftResult;
use crate::app::nav::{Nav, Route};
use crate::app::request::{Kind, Lives, OnSave, Pending, Request};
use crate::app::state::{AfterCheck, App, Confirm, Screen, ToastLevel};
use crate::screens::edit::DraftOffer;
use crate::screens::edit::EditField;
use crate::screens::edit::EditForm;
use crate::screens::edit::Note;
use crate::screens::edit::NoteKind;
use crate::screens::edit::Step;
use crate::screens::edit::known;
use crate::store::drafts::DraftKey;

fn is_save(p: &Pending) -> bool {
    p.kind == Kind::Save
}

pub(crate) fn form_mut(app: &mut App) -> Option<&mut EditForm> {
    app.screen_mut::<crate::screens::edit::EditState>().map(|e| &mut e.form)
}

/// Whose draft the current session would write, or `None` when drafts are off (demo mode, no
/// session, a user without a uid).
pub(crate) fn draft_key(app: &App) -> Option<DraftKey> {
    if app.demo.is_some() {
        return None;
    }
    let s = app.session.as_ref()?;
    (!s.user.uid.is_empty()).then(|| DraftKey { uid: s.user.uid.clone(), endpoint: s.endpoint.id() })
}

/// The profile's edit key: opens the form, or shows again a draft offer put off earlier (so
/// new edits never overwrite a draft the user has not decided about).
pub(crate) fn on_profile_key(app: &mut App, key: Key) -> Option<Vec<Effect>> {
    if app.keymap.action(Context::Profile, key) != Some(Action::EditProfile) {
        return None;
    }
    if let Some(offer) = &mut app.draft_offer {
        offer.open = true;
        return Some(Vec::new());
    }
    // The form opens with what the server holds: after a save whose outcome is unknown, once
    // that is known.
    if known::unsure(app) {
        return Some(known::check(app, AfterCheck::OpenForm));
    }
    let Some(session) = &app.session else { return Some(Vec::new()) };
    let form = EditForm::new(&session.user);
    Some(open_with(app, form))
}

/// Opens the form over the profile.
pub(crate) fn open_with(app: &mut App, form: EditForm) -> Vec<Effect> {
    if !matches!(app.screen, Screen::Profile(_)) {
        return Vec::new();
    }
    app.go(Nav::Push(Route::Edit(Box::new(form))))
}

pub(crate) fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let Screen::Edit(e) = &app.screen else { return None };
    match e.form.step {
        Step::Form => on_form_key(app, ev, key),
        Step::Review => on_review_key(app, key),
    }
}

pub(crate) fn on_paste(app: &mut App, text: &str) {
    known::forget(app, AfterCheck::Review);
    if let Some(form) = form_mut(app)
        && form.step == Step::Form
    {
        let f = form.focus;
        let before = form.field(f).value().to_string();
        form.field_mut(f).paste(text);
        edited(form, f, &before);
    }
}

/// After a key or paste in field `f`: a changed value is the user's (it never changes under
/// them from here on), and retires the server's message on it and any note about the form as
/// it was.
fn edited(form: &mut EditForm, f: EditField, before: &str) {
    if form.field(f).value() != before {
        form.touch(f);
        form.server_errors.remove(&f);
        form.note = None;
    }
}

fn on_form_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let action = app.keymap.action(Context::Edit, key);
    // A review asked for before the server said what it holds waits for no other key.
    if key.is_text() || action != Some(Action::Review) {
        known::forget(app, AfterCheck::Review);
    }
    let form = form_mut(app)?;
    let f = form.focus;
    let before = form.field(f).value().to_string();
    if key.is_text() {
        form.field_mut(f).handle_key(ev);
        edited(form, f, &before);
        return Some(Vec::new());
    }
    match action {
        Some(Action::NextField) => form.move_focus(1),
        Some(Action::PrevField) => form.move_focus(-1),
        Some(Action::Review) => return Some(review(app)),
        Some(Action::Leave) => return Some(leave(app)),
        _ => {
            let handled = form.field_mut(f).handle_key(ev);
            edited(form, f, &before);
            return handled.then(Vec::new);
        }
    }
    // A field was left: the moment to keep the draft.
    Some(sync_draft(app))
}

/// After a save whose outcome is unknown: asks the server what it holds before `after`, saying
/// so on the form.
fn check_first(app: &mut App, after: AfterCheck) -> Vec<Effect> {
    let effects = known::check(app, after);
    if let Some(form) = form_mut(app) {
        form.note = Some(Note::new(NoteKind::Info, CHECKING));
    }
    effects
}

/// Enter on the form: to the review, unless a field needs fixing or nothing changed (or, after a
/// save whose outcome is unknown, once the server said what it holds).
pub(crate) fn review(app: &mut App) -> Vec<Effect> {
    if known::unsure(app) && form_mut(app).is_some_and(|f| f.problems().is_empty()) {
        return check_first(app, AfterCheck::Review);
    }
    let (Some(session), Screen::Edit(e)) = (&app.session, &mut app.screen) else { return Vec::new() };
    let form = &mut e.form;
    let problems = form.problems();
    if let Some(first) = problems.first() {
        form.focus = *first;
        let n = problems.len();
        let text = if n == 1 {
            "Fix the marked field first.".to_string()
        } else {
            format!("Fix the {n} marked fields first.")
        };
        form.note = Some(Note::new(NoteKind::Warning, text));
    } else if form.changes(&session.user).is_empty() {
        form.note = Some(Note::new(
            NoteKind::Info,
            "Nothing to save: every field holds your profile's current value.",
        ));
    } else {
        form.step = Step::Review;
        form.note = None;
        form.failure = None;
        form.failed_saves = 0;
    }
    sync_draft(app)
}

/// Esc on the form: leave at once when nothing was changed, else ask first.
fn leave(app: &mut App) -> Vec<Effect> {
    let Some(form) = form_mut(app) else { return Vec::new() };
    if form.has_edits() {
        app.confirm = Some(Confirm::DiscardEdits);
        return Vec::new();
    }
    let had_draft = form.drafted.is_some();
    let mut effects = if had_draft { delete_draft(app) } else { Vec::new() };
    effects.extend(close(app));
    effects
}

/// The discard question answered yes: the edits and their draft go.
pub(crate) fn discard(app: &mut App) -> Vec<Effect> {
    let mut effects = delete_draft(app);
    effects.extend(close(app));
    effects
}

/// Back to the profile the form was opened from.
pub(crate) fn close(app: &mut App) -> Vec<Effect> {
    if !matches!(app.screen, Screen::Edit(_)) {
        return Vec::new();
    }
    app.go(Nav::Pop)
}

pub(crate) fn delete_draft(app: &App) -> Vec<Effect> {
    draft_key(app).map(Effect::DeleteDraft).into_iter().collect()
}

/// The note while the server is asked what it holds, before a review or a save.
const CHECKING: &str =
    "An earlier save may or may not have reached the server: checking what it holds first.";

/// Writes the form's edits as the draft if they differ from what was last written, or deletes
/// the draft once no edit is left.
pub(crate) fn sync_draft(app: &mut App) -> Vec<Effect> {
    let Some(key) = draft_key(app) else { return Vec::new() };
    let Some(form) = form_mut(app) else { return Vec::new() };
    let edits = form.edits();
    if form.drafted.as_ref() == Some(&edits) || (edits.is_empty() && form.drafted.is_none()) {
        return Vec::new();
    }
    if edits.is_empty() {
        form.drafted = None;
        return vec![Effect::DeleteDraft(key)];
    }
    form.drafted = Some(edits.clone());
    vec![Effect::SaveDraft { key, changes: edits }]
}

fn on_review_key(app: &mut App, key: Key) -> Option<Vec<Effect>> {
    let action = app.keymap.action(Context::Review, key)?;
    let saving = app.has_pending(is_save);
    let effects = match action {
        Action::Save if saving => Vec::new(),
        Action::Save => save(app),
        Action::BackToForm if saving => {
            // The server may have taken the save already: ask it.
            let mut effects = app.cancel_where(is_save);
            known::save_ended(app);
            effects.extend(known::check(app, AfterCheck::Show));
            if let Some(form) = form_mut(app) {
                form.note = Some(Note::new(
                    NoteKind::Info,
                    "Save cancelled; your changes are kept. The server may have received them: what it holds is checked before saving again.",
                ));
            }
            effects
        }
        Action::BackToForm => {
            let form = form_mut(app)?;
            form.step = Step::Form;
            form.note = None;
            form.failure = None;
            Vec::new()
        }
        _ => return None,
    };
    Some(effects)
}

/// Sends the changes: `PUT /user` with every field whose value differs from what the server is
/// known to hold (after a save whose outcome is unknown, once that is known).
pub(crate) fn save(app: &mut App) -> Vec<Effect> {
    if form_mut(app).is_some_and(|f| f.failure.as_ref().is_some_and(|f| f.waiting)) {
        return Vec::new();
    }
    if known::unsure(app) {
        return check_first(app, AfterCheck::Save);
    }
    let (Some(session), Screen::Edit(e)) = (&app.session, &mut app.screen) else { return Vec::new() };
    let form = &mut e.form;
    let changes = form.changes(&session.user);
    if changes.is_empty() {
        form.step = Step::Form;
        form.note =
            Some(Note::new(NoteKind::Info, "Nothing to save: your profile already holds these values."));
        return Vec::new();
    }
    form.failure = None;
    form.note = None;
    form.other_errors.clear();
    let (endpoint, cred) = (session.endpoint.clone(), session.cred.clone());
    known::save_sent(app);
    // A save goes on when the form is left (its answer is for the session); it ends with it.
    vec![app.request(Lives::Session, Request::Update { endpoint, cred, changes, then: OnSave })]
}

/// The session is about to end (401): keep the draft on disk, and note on the form that its
/// values were kept, for when it comes back after logging in again.
pub(crate) fn before_login(app: &mut App) -> Vec<Effect> {
    let effects = sync_draft(app);
    let save_key = app.keymap.hint(Context::Review, Action::Save);
    if let Some(form) = form_mut(app) {
        let mut text = "You logged in again and your changes were kept.".to_string();
        if let (Step::Review, Some(k)) = (form.step, save_key) {
            text.push_str(&format!(" Press {k} to save them."));
        }
        form.note = Some(Note::new(NoteKind::Done, text));
        form.failure = None;
    }
    effects
}

/// The profile has loaded: look for a draft left by an earlier run, unless the edit form came
/// back itself (after logging in again), whose draft is its own.
pub(crate) fn after_profile_loaded(app: &App) -> Vec<Effect> {
    if matches!(app.screen, Screen::Edit(_)) {
        return Vec::new();
    }
    draft_key(app).map(Effect::LoadDraft).into_iter().collect()
}

/// Quitting: the edits are written out first (the runner waits for that before exiting).
pub(crate) fn on_quit(app: &mut App) -> Vec<Effect> {
    sync_draft(app)
}

/// The outcome of a draft operation.
pub(crate) fn on_draft(app: &mut App, result: DraftResult) -> Vec<Effect> {
    match result {
        DraftResult::Loaded(key, Ok(Some(draft))) => {
            let Some(session) = &app.session else { return Vec::new() };
            if draft_key(app).as_ref() != Some(&key) {
                return Vec::new();
            }
            // A form opened before this read came back owns the draft file now: whatever the
            // read found is older than what the form wrote (or will write), so it must neither
            // be offered over the form nor deleted under it.
            if matches!(app.screen, Screen::Edit(_)) {
                return Vec::new();
            }
            let changes = draft.changes.changes_from(&session.user);
            // The profile already holds every value: a save got through whose answer never came.
            if changes.is_empty() {
                return vec![Effect::DeleteDraft(key)];
            }
            let stale = changes != draft.changes;
            app.draft_offer = Some(DraftOffer { key, saved_at: draft.saved_at, changes, stale, open: true });
            Vec::new()
        }
        DraftResult::Loaded(_, Ok(None)) | DraftResult::Saved(Ok(())) | DraftResult::Deleted(Ok(_)) => {
            Vec::new()
        }
        DraftResult::Loaded(_, Err(e)) => {
            warn(app, format!("Unsaved profile changes could not be read: {e}"))
        }
        DraftResult::Saved(Err(e)) => warn(
            app,
            format!(
                "Your changes could not be kept on disk: {e} They are still in the form; save them before quitting."
            ),
        ),
        DraftResult::Deleted(Err(e)) => warn(app, format!("A saved draft could not be deleted: {e}")),
    }
}

/// A warning toast, once: the same failure repeated on every field would only bury the form.
fn warn(app: &mut App, text: String) -> Vec<Effect> {
    if app.toasts.iter().any(|t| t.text == text) {
        return Vec::new();
    }
    vec![app.global_toast(ToastLevel::Warning, text)]
}

/// Keys while the draft offer shows: restore, discard, or decide later.
pub(crate) fn on_offer_key(app: &mut App, key: Key) -> Option<Vec<Effect>> {
    match app.keymap.action(Context::Draft, key) {
        Some(Action::Restore) => Some(restore(app)),
        Some(Action::Discard) => {
            let offer = app.draft_offer.take()?;
            Some(vec![Effect::DeleteDraft(offer.key)])
        }
        Some(Action::Later) => {
            if let Some(offer) = &mut app.draft_offer {
                offer.open = false;
            }
            let edit = app.keymap.hint(Context::Profile, Action::EditProfile).unwrap_or_default();
            let text = format!("Your unsaved changes stay on this computer; {edit} shows them again.");
            Some(vec![app.toast(ToastLevel::Info, text)])
        }
        _ => None,
    }
}

/// Opens the form with the draft's values in place (over the form, if it is already open); after
/// a save whose outcome is unknown, once the server said what it holds (the offer stays).
fn restore(app: &mut App) -> Vec<Effect> {
    if known::unsure(app) {
        let mut effects = known::check(app, AfterCheck::Show);
        effects.push(
            app.toast(ToastLevel::Info, "Checking what the server holds first: try again in a moment."),
        );
        return effects;
    }
    let (Some(offer), Some(session)) = (app.draft_offer.take(), &app.session) else { return Vec::new() };
    let when = crate::text::time(Some(&offer.saved_at));
    let fresh = EditForm::new(&session.user);
    let effects = if matches!(app.screen, Screen::Edit(_)) { Vec::new() } else { open_with(app, fresh) };
    let Some(form) = form_mut(app) else { return effects };
    form.apply(&offer.changes);
    form.step = Step::Form;
    form.drafted = (!offer.stale).then_some(offer.changes);
    form.note = Some(Note::new(NoteKind::Done, format!("Restored your unsaved changes from {when}.")));
    if let Some(first) = EditField::ALL.into_iter().find(|f| form.is_edited(*f)) {
        form.focus = first;
    }
    let mut effects = effects;
    // A stale file is written again at once with what the form holds.
    effects.extend(sync_draft(app));
    effects
}
