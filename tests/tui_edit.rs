//! The edit-profile form through `update`: opening, typing and moving, live checks, the review,
//! saving and every way a save ends (success, 422, failures with a retry, 429's wait, cancel,
//! 401 and back), Esc with changes, and the draft kept on disk and offered at start. Snapshots of
//! each step and error state at 80×24 and 40×15 are in `tui_edit/snapshots.rs`.

mod common;
#[path = "tui_edit/snapshots.rs"]
mod snapshots;

use common::*;
use crossterm::event::KeyCode;
use cs_account::api::{ApiError, TransportKind, UpdateSuccess, User, UserUpdate};
use cs_account::app::msg::{DraftResult, Msg};
use cs_account::app::request::{OnUser, Request};
use cs_account::app::state::Confirm;
use cs_account::app::{App, Effect};
use cs_account::screens::edit::EditField;
use cs_account::screens::edit::Step;
use cs_account::screens::profile::tree::Rows;
use cs_account::store::FileError;
use cs_account::store::drafts::{Draft, DraftError, DraftKey};

fn logged_in() -> App {
    let mut a = app(80, 24);
    log_in(&mut a, &full_user());
    a.toasts.clear();
    a
}

/// Logs in through the form (after a 401), wherever that leads.
fn log_in_again(a: &mut App, user: &User) -> Vec<Effect> {
    let id = submit_login(a, &user.email, "Demo-pass-1234");
    let effects = send(a, [answer(id, login_ok(user))]);
    let id = get_user_id(&effects);
    send(a, [answer(id, Ok(user.clone().into()))])
}

fn step(a: &App) -> Step {
    a.edit().expect("the edit form").form.step
}

fn value(a: &App, f: EditField) -> String {
    a.edit().expect("the edit form").form.field(f).value().to_string()
}

fn key_of(a: &App) -> DraftKey {
    let s = a.session.as_ref().expect("a session");
    DraftKey { uid: s.user.uid.clone(), endpoint: s.endpoint.id() }
}

fn update_id(effects: &[Effect]) -> common::Asked<cs_account::app::request::OnSave> {
    common::save_id(effects)
}

fn sent_changes(effects: &[Effect]) -> UserUpdate {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Request { request: Request::Update { changes, .. }, .. } => Some(changes.clone()),
            _ => None,
        })
        .expect("an update request")
}

/// Opens the form, replaces the company with `company`, and goes to the review.
fn review_company(a: &mut App, company: &str) -> Vec<Effect> {
    send(a, [ch('e'), key(KeyCode::Down), key(KeyCode::Down), ctrl('u')]);
    let mut effects = type_text(a, company);
    effects.extend(send(a, [key(KeyCode::Enter)]));
    assert_eq!(step(a), Step::Review);
    effects
}

/// The user as `PUT /user` returns it: the new values, no organisations, no settings.
fn put_answer(company: &str) -> Result<UpdateSuccess, ApiError> {
    let mut user: User = full_user();
    user.company = Some(company.into());
    user.organizations = None;
    user.settings = None;
    Ok(UpdateSuccess { notice: "Profile updated successfully.".into(), user })
}

fn server_error() -> Result<UpdateSuccess, ApiError> {
    Err(ApiError::Server { status: 503, code: None, message: "Service Unavailable".into() })
}

/// After a save whose outcome is unknown the app asks the server what it holds: answers that
/// check (if `effects` started one) with the profile as it was, so the save did not land.
fn settle(a: &mut App, effects: &[Effect]) -> Vec<Effect> {
    let checks: Vec<Asked<OnUser>> = requests(effects)
        .filter_map(|(id, r)| match r {
            Request::GetUser { then, .. } => Some(Asked { id, then: then.clone() }),
            _ => None,
        })
        .collect();
    checks.into_iter().flat_map(|c| send(a, [answer(c, Ok(full_user().into()))])).collect()
}

fn company_company() -> UserUpdate {
    UserUpdate { company: Some("Acme Ltd".into()), ..UserUpdate::default() }
}

#[test]
fn e_opens_the_form_with_the_current_values() {
    let mut a = logged_in();
    send(&mut a, [ch('e')]);
    let u = full_user();
    assert_eq!(value(&a, EditField::FirstName), "John");
    assert_eq!(value(&a, EditField::LastName), "Doe");
    assert_eq!(value(&a, EditField::Company), "Contentstack");
    assert_eq!(value(&a, EditField::Mobile), u.mobile_number.as_deref().unwrap_or_default());
    assert_eq!(value(&a, EditField::CountryCode), "91");
    assert_eq!(a.edit().map(|e| e.form.focus), Some(EditField::FirstName));
    assert!(a.profile().is_none(), "the form replaces the profile");
}

#[test]
fn keys_move_between_fields_and_letters_type() {
    let mut a = logged_in();
    send(&mut a, [ch('e'), key(KeyCode::Tab), key(KeyCode::Down)]);
    assert_eq!(a.edit().map(|e| e.form.focus), Some(EditField::Company));
    send(&mut a, [key(KeyCode::BackTab), key(KeyCode::Up), key(KeyCode::Up)]);
    assert_eq!(a.edit().map(|e| e.form.focus), Some(EditField::CountryCode), "wraps");
    send(&mut a, [key(KeyCode::Up), key(KeyCode::Up)]);
    type_text(&mut a, "q?e");
    assert!(!a.should_quit && a.help().is_none(), "q and ? type into the field");
    assert_eq!(value(&a, EditField::Company), "Contentstackq?e");
    send(&mut a, [Msg::Paste(" Ltd\n".into())]);
    assert_eq!(value(&a, EditField::Company), "Contentstackq?eLtd", "paste trims and drops the newline");
}

#[test]
fn checks_run_as_you_type_and_hold_back_the_review() {
    let mut a = logged_in();
    send(&mut a, [ch('e'), ctrl('u')]);
    assert_eq!(a.edit().map(|e| e.form.problems()), Some(vec![EditField::FirstName]));
    send(&mut a, [key(KeyCode::Down), key(KeyCode::Down), key(KeyCode::Down), ctrl('u')]);
    type_text(&mut a, "12a");
    let form = &a.edit().expect("form").form;
    assert_eq!(form.problem(EditField::FirstName).as_deref(), Some("Required"));
    assert!(form.problem(EditField::Mobile).is_some_and(|p| p.starts_with("Digits only")));
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Request { request: Request::Update { .. }, .. })));
    let form = &a.edit().expect("form").form;
    assert_eq!((form.step, form.focus), (Step::Form, EditField::FirstName), "to the first problem");
    assert!(form.note.as_ref().is_some_and(|n| n.text.contains("2 marked fields")));
    type_text(&mut a, "Jane");
    assert_eq!(a.edit().map(|e| e.form.problems()), Some(vec![EditField::Mobile]));
}

#[test]
fn nothing_changed_means_nothing_to_review() {
    let mut a = logged_in();
    send(&mut a, [ch('e'), key(KeyCode::Tab)]);
    type_text(&mut a, " ");
    send(&mut a, [key(KeyCode::Enter)]);
    let form = &a.edit().expect("form").form;
    assert_eq!(form.step, Step::Form, "a trailing space is not a change");
    assert!(form.note.as_ref().is_some_and(|n| n.text.starts_with("Nothing to save")));
}

#[test]
fn saving_sends_only_the_changed_field_and_the_profile_takes_the_answer() {
    let mut a = logged_in();
    // Some tree state to keep: the role expanded, the second row selected.
    send(&mut a, [ch('l'), ch('j')]);
    let orgs = a.profile().map(|p| p.orgs.len());
    let tree = a.profile().map(|p| (p.tree.len(), p.tree.selected()));
    assert_eq!(tree, Some((5, 2)), "its stack, the role open on its three rules, the first rule selected");
    review_company(&mut a, "Acme Ltd");
    let effects = send(&mut a, [key(KeyCode::Enter)]);
    assert_eq!(sent_changes(&effects), company_company());
    assert_eq!(a.busy_label(), Some("Saving your profile…"));
    let id = update_id(&effects);
    let effects = send(&mut a, [answer(id, put_answer("Acme Ltd"))]);
    assert!(effects.iter().any(|e| matches!(e, Effect::DeleteDraft(k) if *k == key_of(&a))), "{effects:#?}");
    let p = a.profile().expect("back on the profile");
    assert_eq!(Some((p.tree.len(), p.tree.selected())), tree, "the tree as it was");
    assert_eq!(Some(p.orgs.len()), orgs, "organisations kept although the answer had none");
    assert!(orgs > Some(0));
    let user = &a.session.as_ref().expect("session").user;
    assert_eq!(user.company.as_deref(), Some("Acme Ltd"));
    assert!(a.toasts.iter().any(|t| t.text == "Profile updated successfully."), "{:?}", a.toasts);
    assert!(!a.is_busy());
}

#[test]
fn a_422_puts_the_messages_on_their_fields() {
    let mut a = logged_in();
    review_company(&mut a, "Acme Ltd");
    let id = update_id(&send(&mut a, [key(KeyCode::Enter)]));
    let errors = [
        ("company".to_string(), vec!["is not allowed here.".to_string()]),
        ("email".to_string(), vec!["is locked.".to_string()]),
    ];
    let e =
        ApiError::Validation { status: 422, code: Some(121), message: "Bad".into(), errors: errors.into() };
    send(&mut a, [answer(id, Err(e))]);
    let form = &a.edit().expect("form").form;
    assert_eq!((form.step, form.focus), (Step::Form, EditField::Company));
    assert_eq!(form.problem(EditField::Company).as_deref(), Some("is not allowed here."));
    assert_eq!(form.other_errors, vec!["Email: is locked.".to_string()]);
    assert_eq!(value(&a, EditField::Company), "Acme Ltd", "the value stays");
    type_text(&mut a, "!");
    assert_eq!(a.edit().and_then(|e| e.form.problem(EditField::Company)), None, "editing retires it");
}

#[test]
fn a_failed_save_keeps_every_value_and_enter_tries_again() {
    for error in [
        server_error(),
        Err(ApiError::Transport { kind: TransportKind::Timeout, host: String::new(), detail: "t".into() }),
        Err(ApiError::Transport { kind: TransportKind::Connect, host: String::new(), detail: "c".into() }),
    ] {
        let mut a = logged_in();
        review_company(&mut a, "Acme Ltd");
        let id = update_id(&send(&mut a, [key(KeyCode::Enter)]));
        let effects = send(&mut a, [answer(id, error)]);
        settle(&mut a, &effects);
        let form = &a.edit().expect("form").form;
        assert_eq!(form.step, Step::Review);
        assert!(form.failure.as_ref().is_some_and(|f| !f.waiting && !f.message.is_empty()));
        assert_eq!(value(&a, EditField::Company), "Acme Ltd");
        let effects = send(&mut a, [key(KeyCode::Enter)]);
        assert_eq!(sent_changes(&effects), company_company(), "the same changes again");
        assert!(a.edit().is_some_and(|e| e.form.failure.is_none()));
        let effects = send(&mut a, [answer(update_id(&effects), server_error())]);
        settle(&mut a, &effects);
        assert_eq!(a.edit().map(|e| e.form.failed_saves), Some(2), "a second failure counts as one");
        send(&mut a, [key(KeyCode::Esc), key(KeyCode::Enter)]);
        assert_eq!(a.edit().map(|e| (e.form.step, e.form.failed_saves)), Some((Step::Review, 0)));
    }
}

#[test]
fn a_429_waits_as_asked_before_saving_again() {
    let mut a = logged_in();
    review_company(&mut a, "Acme Ltd");
    let id = update_id(&send(&mut a, [key(KeyCode::Enter)]));
    let limited = ApiError::RateLimited {
        message: "slow down".into(),
        retry_after: Some(std::time::Duration::from_secs(7)),
        limit: Some(10),
        remaining: Some(0),
    };
    let effects = send(&mut a, [answer(id, Err(limited))]);
    // The client retries, so an earlier try may have landed: the server is asked first.
    settle(&mut a, &effects);
    let Some(Effect::Timer { after, msg }) = effects.iter().find(|e| matches!(e, Effect::Timer { .. }))
    else {
        panic!("a timer for the wait: {effects:#?}")
    };
    assert_eq!(*after, std::time::Duration::from_secs(7));
    let failure = a.edit().and_then(|e| e.form.failure.clone()).expect("a failure");
    assert!(failure.waiting && failure.message.contains("7 s"), "{failure:?}");
    assert!(send(&mut a, [key(KeyCode::Enter)]).is_empty(), "no request during the wait");
    let ready = match msg.as_ref() {
        Msg::SaveRetryReady(id) => Msg::SaveRetryReady(*id),
        other => panic!("{other:?}"),
    };
    send(&mut a, [ready]);
    assert!(a.edit().and_then(|e| e.form.failure.as_ref()).is_some_and(|f| !f.waiting));
    assert_eq!(sent_changes(&send(&mut a, [key(KeyCode::Enter)])), company_company());
}

#[test]
fn esc_cancels_a_save_and_its_late_answer_is_dropped() {
    let mut a = logged_in();
    review_company(&mut a, "Acme Ltd");
    let id = update_id(&send(&mut a, [key(KeyCode::Enter)]));
    let effects = send(&mut a, [key(KeyCode::Esc)]);
    assert!(effects.iter().any(|e| matches!(e, Effect::Cancel(c) if *c == id.id)), "{effects:#?}");
    // The cancelled save may have landed: the server is asked what it holds.
    settle(&mut a, &effects);
    assert!(!a.is_busy());
    assert_eq!((step(&a), value(&a, EditField::Company).as_str()), (Step::Review, "Acme Ltd"));
    assert!(send(&mut a, [answer(id, put_answer("Acme Ltd"))]).is_empty());
    assert!(a.edit().is_some(), "the cancelled answer changes nothing");
    send(&mut a, [key(KeyCode::Esc)]);
    assert_eq!(step(&a), Step::Form, "a second Esc goes back to the form");
}

#[test]
fn a_401_while_saving_goes_through_log_in_and_back_to_save() {
    let mut a = logged_in();
    review_company(&mut a, "Acme Ltd");
    let id = update_id(&send(&mut a, [key(KeyCode::Enter)]));
    let expired = ApiError::Unauthorized { status: 401, code: Some(105), message: "expired".into() };
    let effects = send(&mut a, [answer(id, Err(expired))]);
    assert!(effects.iter().any(|e| matches!(e, Effect::DeleteSession { .. })));
    let l = a.login().expect("the log-in screen");
    assert_eq!(l.email.value(), "john.doe@contentstack.com");
    assert_eq!(l.error.as_ref().map(|e| e.title.as_str()), Some("Session expired"));
    let effects = log_in_again(&mut a, &full_user());
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::LoadDraft(_))),
        "the form's own draft is not offered"
    );
    let form = &a.edit().expect("back on the form").form;
    assert_eq!(form.step, Step::Review);
    assert!(form.note.as_ref().is_some_and(|n| n.text.contains("were kept") && n.text.contains("Enter")));
    assert_eq!(value(&a, EditField::Company), "Acme Ltd");
    // One key saves.
    assert_eq!(sent_changes(&send(&mut a, [key(KeyCode::Enter)])), company_company());
}

#[test]
fn logging_in_as_someone_else_drops_the_form() {
    let mut a = logged_in();
    review_company(&mut a, "Acme Ltd");
    let id = update_id(&send(&mut a, [key(KeyCode::Enter)]));
    let expired = ApiError::Unauthorized { status: 401, code: Some(105), message: "expired".into() };
    send(&mut a, [answer(id, Err(expired))]);
    let mut other = full_user();
    other.email = "someone.else@example.com".into();
    other.uid = "bltother".into();
    log_in(&mut a, &other);
    assert!(a.edit().is_none() && a.profile().is_some(), "another user never sees this form");
}

#[test]
fn esc_with_changes_asks_before_throwing_them_away() {
    let mut a = logged_in();
    send(&mut a, [ch('e'), key(KeyCode::Esc)]);
    assert!(a.profile().is_some() && a.confirm.is_none(), "nothing changed: Esc just leaves");
    send(&mut a, [ch('e')]);
    type_text(&mut a, "ny");
    send(&mut a, [key(KeyCode::Esc)]);
    assert_eq!(a.confirm, Some(Confirm::DiscardEdits));
    send(&mut a, [ch('n')]);
    assert_eq!((a.confirm, value(&a, EditField::FirstName).as_str()), (None, "Johnny"), "n keeps editing");
    let effects = send(&mut a, [key(KeyCode::Esc), ch('y')]);
    assert!(a.profile().is_some());
    assert!(effects.iter().any(|e| matches!(e, Effect::DeleteDraft(_))), "{effects:#?}");
    send(&mut a, [ch('e')]);
    assert_eq!(value(&a, EditField::FirstName), "John", "the discarded edit is gone");
}

#[test]
fn the_draft_is_written_when_a_field_is_left_not_on_each_key() {
    let mut a = logged_in();
    send(&mut a, [ch('e'), key(KeyCode::Tab), key(KeyCode::Tab)]);
    let effects = type_text(&mut a, "XYZ");
    assert!(effects.is_empty(), "typing writes nothing: {effects:#?}");
    let effects = send(&mut a, [key(KeyCode::Tab)]);
    let expected = UserUpdate { company: Some("ContentstackXYZ".into()), ..UserUpdate::default() };
    assert!(
        matches!(&effects[..], [Effect::SaveDraft { key, changes }] if *key == key_of(&a) && *changes == expected),
        "{effects:#?}"
    );
    assert!(send(&mut a, [key(KeyCode::Tab)]).is_empty(), "unchanged since: no second write");
    send(&mut a, [key(KeyCode::BackTab), key(KeyCode::BackTab)]);
    send(&mut a, [key(KeyCode::Backspace), key(KeyCode::Backspace), key(KeyCode::Backspace)]);
    let effects = send(&mut a, [key(KeyCode::Tab)]);
    assert!(matches!(&effects[..], [Effect::DeleteDraft(_)]), "no edit left: {effects:#?}");
    type_text(&mut a, "9");
    let effects = send(&mut a, [ctrl('c')]);
    assert!(
        matches!(&effects[..], [Effect::SaveDraft { .. }, Effect::Quit]),
        "quitting writes the draft first: {effects:#?}"
    );
}

#[test]
fn demo_mode_keeps_no_drafts() {
    let mut a = app(80, 24);
    a.demo = Some(demo_panel());
    let effects = log_in(&mut a, &full_user());
    assert!(!effects.iter().any(|e| matches!(e, Effect::LoadDraft(_))));
    send(&mut a, [ch('e')]);
    type_text(&mut a, "ny");
    let effects = send(&mut a, [key(KeyCode::Tab), ctrl('c')]);
    assert!(matches!(&effects[..], [Effect::Quit]), "{effects:#?}");
}

fn found(a: &App, changes: UserUpdate) -> Msg {
    let draft = Draft { key: key_of(a), saved_at: "2025-07-08T08:46:26Z".into(), changes };
    Msg::Draft(DraftResult::Loaded(key_of(a), Ok(Some(Box::new(draft)))))
}

#[test]
fn a_draft_from_an_earlier_run_is_offered_after_the_profile_loads() {
    let mut a = app(80, 24);
    let effects = log_in(&mut a, &full_user());
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadDraft(k) if *k == key_of(&a))), "{effects:#?}");
    let changes = UserUpdate {
        company: Some("Acme Ltd".into()),
        last_name: Some("Doe".into()),
        ..UserUpdate::default()
    };
    let msg = found(&a, changes);
    send(&mut a, [msg]);
    let offer = a.draft_offer.clone().expect("an offer");
    assert!(offer.open);
    assert_eq!(offer.changes, company_company(), "only what still differs from the profile");
    // Keys other than the offer's do nothing meanwhile.
    send(&mut a, [ch('2'), ch('e')]);
    assert!(a.profile().is_some_and(|p| p.tab == cs_account::screens::profile::Tab::Roles));
    send(&mut a, [ch('r')]);
    assert!(a.draft_offer.is_none());
    assert_eq!(value(&a, EditField::Company), "Acme Ltd");
    let form = &a.edit().expect("form").form;
    assert_eq!(form.focus, EditField::Company);
    assert!(form.note.as_ref().is_some_and(|n| n.text.contains("2025-07-08 08:46 UTC")));
    assert!(send(&mut a, [key(KeyCode::Tab)]).is_empty(), "the draft on disk already says this");
}

#[test]
fn an_offer_can_be_discarded_or_put_off() {
    let mut a = app(80, 24);
    log_in(&mut a, &full_user());
    let msg = found(&a, company_company());
    send(&mut a, [msg]);
    send(&mut a, [key(KeyCode::Esc)]);
    assert!(a.draft_offer.as_ref().is_some_and(|o| !o.open), "put off, still there");
    assert!(a.toasts.iter().any(|t| t.text.contains("e shows them again")));
    send(&mut a, [ch('e')]);
    assert!(a.profile().is_some() && a.draft_offer.as_ref().is_some_and(|o| o.open), "e asks again first");
    let effects = send(&mut a, [ch('d')]);
    assert!(matches!(&effects[..], [Effect::DeleteDraft(k)] if *k == key_of(&a)), "{effects:#?}");
    assert!(a.draft_offer.is_none());
    send(&mut a, [ch('e')]);
    assert_eq!(value(&a, EditField::Company), "Contentstack");
}

#[test]
fn a_draft_the_profile_already_holds_is_deleted_without_asking() {
    let mut a = app(80, 24);
    log_in(&mut a, &full_user());
    let msg = found(&a, UserUpdate { company: Some("Contentstack".into()), ..Default::default() });
    let effects = send(&mut a, [msg]);
    assert!(matches!(&effects[..], [Effect::DeleteDraft(_)]), "{effects:#?}");
    assert!(a.draft_offer.is_none());
    let stranger = DraftKey { uid: "bltsomeoneelse".into(), endpoint: key_of(&a).endpoint };
    let draft = Draft { key: stranger.clone(), saved_at: String::new(), changes: company_company() };
    send(&mut a, [Msg::Draft(DraftResult::Loaded(stranger, Ok(Some(Box::new(draft)))))]);
    assert!(a.draft_offer.is_none(), "another user's draft is not offered");
    let full = || {
        let source = std::io::Error::other("disk full");
        DraftError::Io(FileError { action: "write", path: "drafts/x.json".into(), source })
    };
    send(&mut a, [Msg::Draft(DraftResult::Saved(Err(full())))]);
    send(&mut a, [Msg::Draft(DraftResult::Saved(Err(full())))]);
    assert_eq!(a.toasts.iter().filter(|t| t.text.contains("disk full")).count(), 1, "said once");
}

#[test]
fn without_colour_every_state_still_reads() {
    let mut a = logged_in();
    send(&mut a, [ch('e'), key(KeyCode::Down), key(KeyCode::Down), key(KeyCode::Down), ctrl('u')]);
    type_text(&mut a, "12a");
    let t = draw_with(&a, 80, 24, &cs_account::ui::theme::Theme { no_color: true });
    for cell in t.backend().buffer().content() {
        let plain = (ratatui::style::Color::Reset, ratatui::style::Color::Reset);
        assert_eq!((cell.fg, cell.bg), plain, "{cell:?}");
    }
    let text = screen_text(&t);
    assert!(text.contains("Mobile number*") && text.contains("✗ Digits only"), "marks, not colours:\n{text}");
}
