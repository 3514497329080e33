//! The edit-profile form's state and its checks. Pure: `update` changes it, the UI reads it, and
//! the checks are plain functions so a test can run them without a terminal.
//!
//! The form measures everything against what the server is known to hold (its *base*, the
//! session's copy of the user): a field differing from it is an edit, and a save sends every
//! field whose value differs from it. When a new answer shows what the server holds (a reload,
//! the check after a save whose outcome was unknown, logging in again), the form is *rebased*:
//! the fields the user never touched take the server's values, so a save can never undo a change
//! made elsewhere (or by an earlier save that did land), and the fields the user typed in keep
//! every character.

pub mod hints;
pub mod known;
pub mod review;
pub mod save;
pub mod update;
pub mod view;

use std::collections::BTreeMap;

use crate::api::{User, UserUpdate};
use crate::app::field::TextField;
use crate::app::msg::RequestId;

/// Digits a mobile number and a country code may have: the API's rules, which the demo server
/// enforces too; `tests/edit_faults.rs` checks that the two agree at every boundary.
pub use crate::api::rules::{COUNTRY_DIGITS, MOBILE_DIGITS};

/// The form's fields, in screen order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EditField {
    FirstName,
    LastName,
    Company,
    Mobile,
    CountryCode,
}

impl EditField {
    pub const ALL: [EditField; 5] = [
        EditField::FirstName,
        EditField::LastName,
        EditField::Company,
        EditField::Mobile,
        EditField::CountryCode,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EditField::FirstName => "First name",
            EditField::LastName => "Last name",
            EditField::Company => "Company",
            EditField::Mobile => "Mobile number",
            EditField::CountryCode => "Country code",
        }
    }

    /// The name the API uses, in `PUT /user` bodies and in a 422's `errors`.
    pub fn api_name(self) -> &'static str {
        match self {
            EditField::FirstName => "first_name",
            EditField::LastName => "last_name",
            EditField::Company => "company",
            EditField::Mobile => "mobile_number",
            EditField::CountryCode => "country_code",
        }
    }

    /// The form field a server error names, if it is one of the form's.
    pub fn from_api(name: &str) -> Option<EditField> {
        // Servers nest field names now and then (`user.first_name`).
        let name = name.rsplit('.').next().unwrap_or(name);
        EditField::ALL.into_iter().find(|f| f.api_name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The user's current value, empty when the server sent none.
    pub fn current(self, user: &User) -> &str {
        let v = match self {
            EditField::FirstName => &user.first_name,
            EditField::LastName => &user.last_name,
            EditField::Company => &user.company,
            EditField::Mobile => &user.mobile_number,
            EditField::CountryCode => &user.country_code,
        };
        v.as_deref().unwrap_or("")
    }

    /// This field's value in an update, if it is set there.
    pub fn in_update(self, u: &UserUpdate) -> Option<&str> {
        match self {
            EditField::FirstName => u.first_name.as_deref(),
            EditField::LastName => u.last_name.as_deref(),
            EditField::Company => u.company.as_deref(),
            EditField::Mobile => u.mobile_number.as_deref(),
            EditField::CountryCode => u.country_code.as_deref(),
        }
    }

    fn set_in(self, u: &mut UserUpdate, value: String) {
        let slot = match self {
            EditField::FirstName => &mut u.first_name,
            EditField::LastName => &mut u.last_name,
            EditField::Company => &mut u.company,
            EditField::Mobile => &mut u.mobile_number,
            EditField::CountryCode => &mut u.country_code,
        };
        *slot = Some(value);
    }
}

/// What is wrong with `value` (already trimmed) for `field`, as a short phrase to show beside
/// it; `None` when the server would take it. The API's rules ([`crate::api::rules`]), which the
/// demo server and `cs-account update` apply too.
pub fn check(field: EditField, value: &str) -> Option<String> {
    crate::api::rules::check_profile_value(field.api_name(), value).err().map(|p| p.short(field.api_name()))
}

/// Which step the form is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Typing into the fields.
    Form,
    /// The list of changes, old → new, before saving (and while saving).
    Review,
}

/// How a note under the form reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Info,
    /// Something went right: values kept, a draft restored.
    Done,
    Warning,
}

/// A sentence under the form: what just happened, or what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    pub text: String,
}

impl Note {
    pub fn new(kind: NoteKind, text: impl Into<String>) -> Self {
        Note { kind, text: text.into() }
    }
}

/// Why the last save did not go through. Every value stays in the form; Enter on the review
/// tries again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveFailure {
    pub title: String,
    pub message: String,
    /// The request that failed, so the end of a 429's wait is matched to this failure only.
    pub request: RequestId,
    /// A 429 asked to wait: saving again is held back until the wait is over.
    pub waiting: bool,
}

/// The form itself: what it was opened with, what is typed, and what the server last said.
#[derive(Debug)]
pub struct EditForm {
    fields: [TextField; 5],
    /// What the server is known to hold, trimmed; edits are measured against these.
    base: [String; 5],
    /// Fields the user changed (typed, pasted, restored from a draft): they never change under
    /// the user, while the others follow the server when the form is rebased.
    touched: [bool; 5],
    pub focus: EditField,
    pub step: Step,
    /// Messages of the last 422 for the form's fields; each goes once its field is edited.
    pub server_errors: BTreeMap<EditField, String>,
    /// Messages of the last 422 that name no field of the form (or none at all).
    pub other_errors: Vec<String>,
    pub failure: Option<SaveFailure>,
    /// Saves of this review that failed in a row: a retry that fails again says so, rather than
    /// showing the very same screen as before the key was pressed.
    pub failed_saves: u32,
    pub note: Option<Note>,
    /// The edits last written to the draft file by this form (`None`: none on disk from it).
    pub drafted: Option<UserUpdate>,
}

impl EditForm {
    /// A form holding `user`'s current values, on the first field.
    pub fn new(user: &User) -> Self {
        let base = EditField::ALL.map(|f| f.current(user).trim().to_string());
        let fields = EditField::ALL.map(|f| {
            let mut t = TextField::plain();
            t.set(f.current(user));
            t
        });
        EditForm {
            fields,
            base,
            focus: EditField::FirstName,
            step: Step::Form,
            server_errors: BTreeMap::new(),
            other_errors: Vec::new(),
            failure: None,
            failed_saves: 0,
            note: None,
            drafted: None,
            touched: [false; 5],
        }
    }

    pub fn field(&self, f: EditField) -> &TextField {
        &self.fields[f.index()]
    }

    pub fn field_mut(&mut self, f: EditField) -> &mut TextField {
        &mut self.fields[f.index()]
    }

    /// The value as it would be sent: surrounding spaces never mean anything in a name or a
    /// number (the server trims them too).
    pub fn value(&self, f: EditField) -> &str {
        self.fields[f.index()].value().trim()
    }

    /// Whether this field differs from what the server is known to hold.
    pub fn is_edited(&self, f: EditField) -> bool {
        self.value(f) != self.base[f.index()]
    }

    /// Whether the user changed this field's text since the form opened.
    pub fn is_touched(&self, f: EditField) -> bool {
        self.touched[f.index()]
    }

    /// Notes that the user changed this field's text.
    pub fn touch(&mut self, f: EditField) {
        self.touched[f.index()] = true;
    }

    /// The fields that differ from what the server is known to hold, with their values: what
    /// the draft keeps.
    pub fn edits(&self) -> UserUpdate {
        let mut u = UserUpdate::default();
        for f in EditField::ALL.into_iter().filter(|f| self.is_edited(*f)) {
            f.set_in(&mut u, self.value(f).to_string());
        }
        u
    }

    pub fn has_edits(&self) -> bool {
        EditField::ALL.into_iter().any(|f| self.is_edited(f))
    }

    /// What a save sends: every field whose value differs from `user`'s (what the server is
    /// known to hold).
    pub fn changes(&self, user: &User) -> UserUpdate {
        let mut u = UserUpdate::default();
        for f in EditField::ALL.into_iter().filter(|f| self.value(*f) != f.current(user).trim()) {
            f.set_in(&mut u, self.value(f).to_string());
        }
        u
    }

    /// `user` is what the server holds now: the fields the user never touched take its values
    /// (the cursor stays where it was when the value does not change), and edits are measured
    /// against it from here on.
    pub fn rebase(&mut self, user: &User) {
        for f in EditField::ALL {
            let i = f.index();
            let current = f.current(user);
            if !self.touched[i] && self.fields[i].value() != current {
                self.fields[i].set(current);
            }
            self.base[i] = current.trim().to_string();
        }
    }

    /// The message beside a field: the server's, else the form's own check of an edited value.
    /// A value the user did not touch is never flagged: it is not sent.
    pub fn problem(&self, f: EditField) -> Option<String> {
        if let Some(m) = self.server_errors.get(&f) {
            return Some(m.clone());
        }
        if self.is_edited(f) { check(f, self.value(f)) } else { None }
    }

    /// The fields with a problem, in screen order.
    pub fn problems(&self) -> Vec<EditField> {
        EditField::ALL.into_iter().filter(|f| self.problem(*f).is_some()).collect()
    }

    /// Moves the focus by `delta` fields, wrapping.
    pub fn move_focus(&mut self, delta: isize) {
        let n = EditField::ALL.len() as isize;
        self.focus = EditField::ALL[(self.focus.index() as isize + delta).rem_euclid(n) as usize];
    }

    /// Puts a draft's values into the fields it names (they count as typed by the user).
    pub fn apply(&mut self, draft: &UserUpdate) {
        for f in EditField::ALL {
            if let Some(v) = f.in_update(draft) {
                self.fields[f.index()].set(v);
                self.touched[f.index()] = true;
            }
        }
    }
}

/// The edit screen: the form. It sits on the navigation stack over the profile it was opened
/// from, which shows again on leaving with every tab and position as they were.
#[derive(Debug)]
pub struct EditState {
    pub form: EditForm,
}

/// An unsaved draft found on disk at start, waiting for the user to restore or discard it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftOffer {
    pub key: crate::store::drafts::DraftKey,
    /// When it was written (RFC 3339).
    pub saved_at: String,
    /// Its edits that still differ from the profile.
    pub changes: UserUpdate,
    /// Whether the file holds more than `changes` (values the server has taken since): restored,
    /// it is written again with only what still differs, so an old value can't come back later.
    pub stale: bool,
    /// Whether the question shows; put off ("later"), it waits for the edit key.
    pub open: bool,
}

/// `first name, company`: the fields an update sets, for sentences.
pub fn field_list(u: &UserUpdate) -> String {
    EditField::ALL
        .into_iter()
        .filter(|f| f.in_update(u).is_some())
        .map(|f| f.label().to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

crate::screens::screen_state!(EditState, paste);

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> User {
        User {
            uid: "u1".into(),
            email: "a@b.c".into(),
            first_name: Some("John".into()),
            last_name: Some("Doe".into()),
            company: None,
            mobile_number: Some("9898989898".into()),
            country_code: Some("91".into()),
            ..User::default()
        }
    }

    #[test]
    fn checks_follow_the_server_rules() {
        use crate::api::rules::{MAX_COMPANY_CHARS, MAX_NAME_CHARS};
        use EditField::*;
        assert_eq!(check(FirstName, "").as_deref(), Some("Required"));
        assert_eq!(check(LastName, &"é".repeat(MAX_NAME_CHARS)), None);
        assert_eq!(
            check(LastName, &"é".repeat(MAX_NAME_CHARS + 1)).as_deref(),
            Some("At most 64 characters")
        );
        assert_eq!(check(Company, ""), None, "a company may be removed");
        assert!(check(Company, &"x".repeat(MAX_COMPANY_CHARS + 1)).is_some());
        assert_eq!(check(Mobile, ""), None, "an empty number removes it");
        assert_eq!(check(Mobile, "1234"), None);
        assert_eq!(check(Mobile, "123").as_deref(), Some("4 to 15 digits (now 3)"));
        assert!(check(Mobile, "98-98").is_some_and(|m| m.starts_with("Digits only")));
        assert!(check(Mobile, "١٢٣٤").is_some(), "only ASCII digits");
        assert_eq!(check(CountryCode, "+91").as_deref(), Some("Digits only, no +"));
        assert_eq!(check(CountryCode, "1234"), None);
        assert!(check(CountryCode, "12345").is_some());
    }

    /// Types `value` into `field` as `update` does: the text changes and the field is touched.
    fn type_into(f: &mut EditForm, field: EditField, value: &str) {
        f.field_mut(field).set(value);
        f.touch(field);
    }

    #[test]
    fn a_save_sends_what_differs_from_the_server_and_untouched_fields_follow_it() {
        let u = user();
        let mut f = EditForm::new(&u);
        assert!(!f.has_edits() && f.changes(&u).is_empty());
        type_into(&mut f, EditField::Company, "  Acme  ");
        type_into(&mut f, EditField::FirstName, "John ");
        assert_eq!(f.edits(), UserUpdate { company: Some("Acme".into()), ..UserUpdate::default() });
        // The server holds another last name now: the untouched field takes it, so a save never
        // sends the old one back.
        let mut newer = u.clone();
        newer.last_name = Some("Smith".into());
        f.rebase(&newer);
        assert_eq!(f.value(EditField::LastName), "Smith");
        assert_eq!(f.changes(&newer), UserUpdate { company: Some("Acme".into()), ..UserUpdate::default() });
        // An edit the server already holds is not sent, and no longer counts as an edit.
        newer.company = Some("Acme".into());
        f.rebase(&newer);
        assert!(f.changes(&newer).is_empty() && !f.has_edits());
        assert_eq!(
            f.field(EditField::Company).value(),
            "  Acme  ",
            "typed text never changes under the user"
        );
    }

    /// The case of issue 9 (§6): an earlier save whose answer never came did land, so the server
    /// holds its company; the user typed the old one back. That field is sent, though it equals
    /// the value the form was opened with.
    #[test]
    fn a_value_typed_back_is_sent_when_the_server_holds_another() {
        let u = User { company: Some("Contentstack".into()), ..user() };
        let mut f = EditForm::new(&u);
        type_into(&mut f, EditField::Company, "Acme Ltd");
        type_into(&mut f, EditField::Company, "Contentstack");
        let landed = User { company: Some("Acme Ltd".into()), ..u.clone() };
        f.rebase(&landed);
        assert_eq!(f.value(EditField::Company), "Contentstack");
        assert_eq!(
            f.changes(&landed),
            UserUpdate { company: Some("Contentstack".into()), ..UserUpdate::default() }
        );
    }

    #[test]
    fn only_edited_fields_are_checked_and_server_errors_win() {
        let u = User { last_name: None, ..user() };
        let mut f = EditForm::new(&u);
        assert!(f.problems().is_empty(), "an empty last name from the server is not the user's doing");
        type_into(&mut f, EditField::Mobile, "12");
        assert_eq!(f.problems(), vec![EditField::Mobile]);
        f.server_errors.insert(EditField::Company, "is taken.".into());
        assert_eq!(f.problem(EditField::Company).as_deref(), Some("is taken."));
        assert_eq!(f.problems(), vec![EditField::Company, EditField::Mobile]);
    }

    #[test]
    fn focus_wraps_and_drafts_apply() {
        let u = user();
        let mut f = EditForm::new(&u);
        f.move_focus(-1);
        assert_eq!(f.focus, EditField::CountryCode);
        f.move_focus(2);
        assert_eq!(f.focus, EditField::LastName);
        f.apply(&UserUpdate { mobile_number: Some("".into()), ..UserUpdate::default() });
        assert_eq!(f.value(EditField::Mobile), "");
        assert_eq!(field_list(&f.edits()), "mobile number");
    }

    #[test]
    fn server_field_names_map_to_the_form() {
        assert_eq!(EditField::from_api("mobile_number"), Some(EditField::Mobile));
        assert_eq!(EditField::from_api("user.country_code"), Some(EditField::CountryCode));
        assert_eq!(EditField::from_api("email"), None);
        for f in EditField::ALL {
            assert!(crate::api::rules::PROFILE_FIELDS.contains(&f.api_name()), "{f:?}");
        }
    }
}
