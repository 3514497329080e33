//! The password-reset wizard's state (its token and new password are the component it shares
//! with activation, [`crate::app::password_form`]).
//!
//! Step 1 asks for the email and sends `forgot_password`; step 2 takes the token (or the whole
//! link) and the new password twice. Both steps live in one value, so going back and forth
//! never loses what was typed. Esc and success go back to the screen it was opened over.
//!
//! The password fields are secret [`TextField`]s: they are wiped when the wizard is dropped,
//! and requests get copies in `SecretString`s, which wipe themselves too.

pub mod hints;
pub mod update;
pub mod view;

use std::time::{Duration, Instant};

use crate::app::field::FormError;
use crate::app::field::TextField;
use crate::app::password_form::{FieldErrors, Part, Source, TokenPassword};

/// How long a reset token works after the email is sent (Contentstack documents 60 minutes).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// Which step shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The email, to send the reset email to.
    Email,
    /// The token and the new password.
    Token,
}

/// What has the keyboard. Step 1 has only the email; step 2 the other three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Focus {
    Email,
    Token,
    Password,
    Confirm,
}

/// The server's answer to step 1, and when it came.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The address the email was asked for.
    pub email: String,
    /// The server's notice (it says the same whether or not the address exists).
    pub notice: String,
    pub at: Instant,
}

/// Whole minutes left before a token sent at `sent` expires, rounded up; 0 once it has.
pub fn minutes_left(sent: Instant, now: Instant) -> u64 {
    let left = TOKEN_LIFETIME.saturating_sub(now.saturating_duration_since(sent));
    left.as_secs().div_ceil(60)
}

/// Time until the countdown next changes: the next whole minute since `sent`.
pub fn until_next_minute(sent: Instant, now: Instant) -> Duration {
    let into = now.saturating_duration_since(sent).as_millis() % 60_000;
    Duration::from_millis((60_000 - into) as u64 + 50)
}

#[derive(Debug)]
pub struct ResetState {
    pub step: Step,
    pub focus: Focus,
    pub email: TextField,
    /// Step 2's token and new password (the component shared with activation).
    pub form: TokenPassword,
    pub sent: Option<Sent>,
    /// Minutes left on the token, recomputed by the once-a-minute tick.
    pub minutes_left: u64,
    /// Numbers the tick chain, so that a chain started earlier stops when a new one starts.
    pub tick_epoch: u64,
    pub errors: FieldErrors<Focus>,
    /// A problem that belongs to no field (network, rate limit), above the button.
    pub error: Option<FormError>,
    /// The email is the logged-in account's and cannot be changed (opened from the profile).
    pub email_locked: bool,
    /// The email the wizard was opened with, so that quitting asks first only when the user
    /// typed something.
    pub given_email: String,
}

impl ResetState {
    /// A wizard on step 1, the email filled in when known.
    pub fn new(email: Option<&str>) -> Self {
        let mut s = ResetState {
            step: Step::Email,
            focus: Focus::Email,
            email: TextField::plain(),
            form: TokenPassword::new(Source::ResetEmail),
            sent: None,
            minutes_left: 0,
            tick_epoch: 0,
            errors: FieldErrors::new(),
            error: None,
            email_locked: false,
            given_email: String::new(),
        };
        if let Some(e) = email.filter(|e| !e.trim().is_empty()) {
            s.email.set(e.trim());
            s.given_email = e.trim().to_string();
        }
        s
    }

    /// A wizard for the logged-in account: its email is filled in and cannot be changed.
    pub fn for_account(email: &str) -> Self {
        let mut s = ResetState::new(Some(email));
        s.email_locked = !s.email.is_empty();
        s
    }

    /// Whether the wizard holds something the user typed.
    pub fn has_typing(&self) -> bool {
        self.email.value() != self.given_email || self.form.has_typing()
    }

    /// The focus order of the current step.
    pub fn focus_order(&self) -> &'static [Focus] {
        match self.step {
            Step::Email => &[Focus::Email],
            Step::Token => &[Focus::Token, Focus::Password, Focus::Confirm],
        }
    }

    pub fn move_focus(&mut self, delta: isize) {
        let order = self.focus_order();
        let pos = order.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        self.focus = order[(pos + delta).rem_euclid(order.len() as isize) as usize];
    }

    pub fn field_mut(&mut self, focus: Focus) -> &mut TextField {
        match focus {
            Focus::Email => &mut self.email,
            Focus::Token => self.form.field_mut(Part::Token),
            Focus::Password => self.form.field_mut(Part::Password),
            Focus::Confirm => self.form.field_mut(Part::Confirm),
        }
    }

    pub fn field(&self, focus: Focus) -> &TextField {
        match focus {
            Focus::Email => &self.email,
            Focus::Token => self.form.field(Part::Token),
            Focus::Password => self.form.field(Part::Password),
            Focus::Confirm => self.form.field(Part::Confirm),
        }
    }

    /// Goes to a step, keeping every value; the focus goes to the first empty field.
    pub fn go_to(&mut self, step: Step) {
        self.step = step;
        self.error = None;
        self.focus = match step {
            Step::Email => Focus::Email,
            Step::Token => [Focus::Token, Focus::Password, Focus::Confirm]
                .into_iter()
                .find(|f| self.field(*f).is_empty())
                .unwrap_or(Focus::Token),
        };
    }

    /// Whether step 1's answer is for the address now in the field (Enter then moves on rather
    /// than sending again).
    pub fn sent_to_current(&self) -> bool {
        self.sent.as_ref().is_some_and(|s| s.email.eq_ignore_ascii_case(self.email.value().trim()))
    }

    /// Puts a token in, from the mailbox or a paste, on step 2.
    pub fn fill_token(&mut self, token: &str, note: Option<String>) {
        self.form.set_token(token, note);
        self.errors.remove(&Focus::Token);
        self.go_to(Step::Token);
    }
}

crate::app::password_form::token_form!(
    ResetState,
    /// The account's own email (opened from the profile) is not edited.
    fn editable(&self, focus: Focus) -> bool {
        !(self.email_locked && focus == Focus::Email)
    }
);

crate::screens::screen_state!(ResetState, paste);

#[cfg(test)]
mod tests {
    use super::*;

    fn wizard() -> ResetState {
        ResetState::new(Some(" a@b.c "))
    }

    #[test]
    fn steps_keep_values_and_focus_the_first_empty_field() {
        let mut w = wizard();
        assert_eq!(w.email.value(), "a@b.c");
        w.go_to(Step::Token);
        assert_eq!(w.focus, Focus::Token);
        w.fill_token("blt1", None);
        assert_eq!((w.step, w.focus), (Step::Token, Focus::Password));
        w.form.new.password.set("x");
        w.go_to(Step::Email);
        w.go_to(Step::Token);
        assert_eq!(
            (w.form.token.value(), w.form.new.password.value(), w.focus),
            ("blt1", "x", Focus::Confirm)
        );
        w.move_focus(1);
        assert_eq!(w.focus, Focus::Token);
        w.move_focus(-1);
        assert_eq!(w.focus, Focus::Confirm);
    }

    #[test]
    fn countdown_rounds_up_and_ends() {
        let t0 = Instant::now();
        assert_eq!(minutes_left(t0, t0), 60);
        assert_eq!(minutes_left(t0, t0 + Duration::from_secs(1)), 60);
        assert_eq!(minutes_left(t0, t0 + Duration::from_secs(60)), 59);
        assert_eq!(minutes_left(t0, t0 + Duration::from_secs(59 * 60 + 59)), 1);
        assert_eq!(minutes_left(t0, t0 + TOKEN_LIFETIME), 0);
        assert_eq!(minutes_left(t0, t0 + TOKEN_LIFETIME * 2), 0);
        let d = until_next_minute(t0, t0 + Duration::from_secs(61));
        assert!(d > Duration::from_secs(58) && d <= Duration::from_secs(60), "{d:?}");
    }
}
