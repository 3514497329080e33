//! The activation form's state: the token (or the invitation link), the names, and the new
//! password twice, checked live like the reset wizard's.
//!
//! The activation answer carries no email. The form knows it only when the invitation came
//! through the demo mailbox, or when a pasted link carries it; it then fills the log-in form
//! after success.

pub mod hints;
pub mod update;
pub mod view;

use crate::app::field::FormError;
use crate::app::field::TextField;
use crate::app::password_form::{FieldErrors, Part, Source, TokenPassword};

/// What has the keyboard, in form order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Focus {
    Token,
    FirstName,
    LastName,
    Password,
    Confirm,
}

impl Focus {
    pub const ORDER: [Focus; 5] =
        [Focus::Token, Focus::FirstName, Focus::LastName, Focus::Password, Focus::Confirm];
}

/// The address an invitation was sent to, valid for one token only: if the user replaces the
/// token, the address no longer applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitedAs {
    pub token: String,
    pub email: String,
}

#[derive(Debug)]
pub struct ActivateState {
    pub focus: Focus,
    /// The token and the new password (the component shared with the reset wizard).
    pub form: TokenPassword,
    pub first_name: TextField,
    pub last_name: TextField,
    pub invited: Option<InvitedAs>,
    pub errors: FieldErrors<Focus>,
    pub error: Option<FormError>,
}

impl Default for ActivateState {
    fn default() -> Self {
        Self::new()
    }
}

impl ActivateState {
    pub fn new() -> Self {
        ActivateState {
            focus: Focus::Token,
            form: TokenPassword::new(Source::Invitation),
            first_name: TextField::plain(),
            last_name: TextField::plain(),
            invited: None,
            errors: FieldErrors::new(),
            error: None,
        }
    }

    /// Whether the form holds something typed (or a token taken from the mailbox).
    pub fn has_typing(&self) -> bool {
        Focus::ORDER.iter().any(|f| !self.field(*f).is_empty())
    }

    pub fn field_mut(&mut self, focus: Focus) -> &mut TextField {
        match focus {
            Focus::Token => self.form.field_mut(Part::Token),
            Focus::FirstName => &mut self.first_name,
            Focus::LastName => &mut self.last_name,
            Focus::Password => self.form.field_mut(Part::Password),
            Focus::Confirm => self.form.field_mut(Part::Confirm),
        }
    }

    pub fn focus_order(&self) -> &'static [Focus] {
        &Focus::ORDER
    }

    pub fn field(&self, focus: Focus) -> &TextField {
        match focus {
            Focus::Token => self.form.field(Part::Token),
            Focus::FirstName => &self.first_name,
            Focus::LastName => &self.last_name,
            Focus::Password => self.form.field(Part::Password),
            Focus::Confirm => self.form.field(Part::Confirm),
        }
    }

    pub fn move_focus(&mut self, delta: isize) {
        let pos = Focus::ORDER.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        self.focus = Focus::ORDER[(pos + delta).rem_euclid(Focus::ORDER.len() as isize) as usize];
    }

    /// Puts a token in (from the mailbox or a paste); the focus goes to the first empty field.
    pub fn fill_token(&mut self, token: &str, email: Option<&str>, note: Option<String>) {
        self.form.set_token(token, note);
        self.errors.remove(&Focus::Token);
        self.error = None;
        if let Some(email) = email {
            self.invited = Some(InvitedAs { token: token.to_string(), email: email.to_string() });
        }
        self.focus = Focus::ORDER.into_iter().find(|f| self.field(*f).is_empty()).unwrap_or(Focus::Token);
    }

    /// The invitation's address, if it belongs to `token`.
    pub fn email_for(&self, token: &str) -> Option<&str> {
        self.invited.as_ref().filter(|i| i.token == token).map(|i| i.email.as_str())
    }
}

/// What the form says about a name before sending (the server says the same, later).
pub fn name_problem(value: &str) -> Option<String> {
    crate::api::rules::check_profile_value("first_name", value).err().map(|p| p.message("first_name"))
}

crate::app::password_form::token_form!(ActivateState);

crate::screens::screen_state!(ActivateState, paste);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invitation_address_follows_its_token() {
        let mut s = ActivateState::new();
        s.fill_token("blt1", Some("new.user@example.com"), None);
        assert_eq!(s.focus, Focus::FirstName);
        assert_eq!(s.email_for("blt1"), Some("new.user@example.com"));
        assert_eq!(s.email_for("blt2"), None, "another token, another invitation");
        s.move_focus(-2);
        assert_eq!(s.focus, Focus::Confirm);
    }

    #[test]
    fn names_are_required_and_bounded() {
        assert_eq!(name_problem("  ").as_deref(), Some("can't be blank."));
        assert_eq!(name_problem("Ada"), None);
        assert!(name_problem(&"é".repeat(65)).is_some());
    }
}
