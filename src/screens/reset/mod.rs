//! The password-reset wizard's state, and the new-password pair it shares with activation.
//!
//! Step 1 asks for the email and sends `forgot_password`; step 2 takes the token (or the whole
//! link) and the new password twice. Both steps live in one value, so going back and forth
//! never loses what was typed. The wizard remembers the screen it was opened from (`back`),
//! where Esc and success lead.
//!
//! The password fields are secret [`TextField`]s: they are wiped when the wizard is dropped,
//! and requests get copies in `SecretString`s, which wipe themselves too.

pub mod hints;
pub mod update;
pub mod view;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use secrecy::SecretString;

use crate::api::rules::{MIN_PASSWORD_CHARS, password_rules};
use crate::app::field::TextField;
use crate::app::state::{App, Screen};
use crate::screens::login::FormError;

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

/// One line of the live password checks: a rule of the server, or "both passwords match".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// Shown on its own line: "At least 8 characters".
    pub label: &'static str,
    /// Shown in the one-line form on small screens: "8+ chars".
    pub short: &'static str,
    pub met: bool,
}

// The short label below spells the minimum out.
const _: () = assert!(MIN_PASSWORD_CHARS == 8, "update the short label of min_length");

/// The short form of a rule, for the compact list.
fn short_label(id: &str) -> &'static str {
    match id {
        "min_length" => "8+ chars",
        "uppercase" => "A-Z",
        "lowercase" => "a-z",
        "digit" => "0-9",
        "symbol" => "symbol",
        _ => "rule",
    }
}

/// The new password and its confirmation, with the show/hide switch.
#[derive(Debug)]
pub struct NewPassword {
    pub password: TextField,
    pub confirm: TextField,
    pub reveal: bool,
}

impl Default for NewPassword {
    fn default() -> Self {
        NewPassword { password: TextField::secret(), confirm: TextField::secret(), reveal: false }
    }
}

impl NewPassword {
    /// The rules the demo server enforces (which are Contentstack's), then "they match".
    pub fn checks(&self) -> Vec<Check> {
        let pw = self.password.value();
        let mut out: Vec<Check> = password_rules()
            .iter()
            .map(|r| Check { label: r.label, short: short_label(r.id), met: r.is_met(pw) })
            .collect();
        out.push(Check {
            label: "Both passwords match",
            short: "match",
            met: !self.confirm.is_empty() && self.confirm.value() == pw,
        });
        out
    }

    /// Whether every server rule is met (the match is checked apart).
    pub fn rules_met(&self) -> bool {
        password_rules().iter().all(|r| r.is_met(self.password.value()))
    }

    pub fn matches(&self) -> bool {
        self.password.value() == self.confirm.value()
    }

    /// Copies for a request. The fields keep their values (a refused token must not cost the
    /// user the password they typed); the copies wipe themselves when the request is done.
    pub fn secrets(&self) -> (SecretString, SecretString) {
        (SecretString::from(self.password.value()), SecretString::from(self.confirm.value()))
    }
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

/// Whether the password rules are enforced before sending (against the demo server, which is
/// known to apply them) or shown as guidance (elsewhere, where the server has the last word).
pub fn rules_enforced(app: &App) -> bool {
    app.demo_endpoint.as_ref() == Some(&app.endpoint)
}

/// Field messages, by field (the server's and the form's own).
pub type FieldErrors<F> = BTreeMap<F, Vec<String>>;

#[derive(Debug)]
pub struct ResetState {
    pub step: Step,
    pub focus: Focus,
    pub email: TextField,
    /// The bare token, or a link typed by hand (a pasted link is reduced to its token at once).
    pub token: TextField,
    pub new: NewPassword,
    pub sent: Option<Sent>,
    /// Minutes left on the token, recomputed by the once-a-minute tick.
    pub minutes_left: u64,
    /// Numbers the tick chain, so that a chain started earlier stops when a new one starts.
    pub tick_epoch: u64,
    /// A note under the token ("taken from the pasted link").
    pub token_note: Option<String>,
    pub errors: FieldErrors<Focus>,
    /// A problem that belongs to no field (network, rate limit), above the button.
    pub error: Option<FormError>,
    /// Where Esc on step 1 and success lead.
    pub back: Box<Screen>,
    /// The email is the logged-in account's and cannot be changed (opened from the profile).
    pub email_locked: bool,
    /// The email the wizard was opened with, so that quitting asks first only when the user
    /// typed something.
    pub given_email: String,
}

impl ResetState {
    /// A wizard on step 1, the email filled in when known.
    pub fn new(email: Option<&str>, back: Screen) -> Self {
        let mut s = ResetState {
            step: Step::Email,
            focus: Focus::Email,
            email: TextField::plain(),
            token: TextField::plain(),
            new: NewPassword::default(),
            sent: None,
            minutes_left: 0,
            tick_epoch: 0,
            token_note: None,
            errors: FieldErrors::new(),
            error: None,
            back: Box::new(back),
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
    pub fn for_account(email: &str, back: Screen) -> Self {
        let mut s = ResetState::new(Some(email), back);
        s.email_locked = !s.email.is_empty();
        s
    }

    /// Whether the wizard holds something the user typed.
    pub fn has_typing(&self) -> bool {
        self.email.value() != self.given_email
            || !self.token.is_empty()
            || !self.new.password.is_empty()
            || !self.new.confirm.is_empty()
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
            Focus::Token => &mut self.token,
            Focus::Password => &mut self.new.password,
            Focus::Confirm => &mut self.new.confirm,
        }
    }

    pub fn field(&self, focus: Focus) -> &TextField {
        match focus {
            Focus::Email => &self.email,
            Focus::Token => &self.token,
            Focus::Password => &self.new.password,
            Focus::Confirm => &self.new.confirm,
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
        self.token.set(token);
        self.token_note = note;
        self.errors.remove(&Focus::Token);
        self.go_to(Step::Token);
    }
}

/// The address in a link, when it carries one (`...reset-password?email=a%40b.c&token=...`).
pub fn email_in_link(input: &str) -> Option<String> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.replace("&amp;", "&");
    let url = url::Url::parse(compact.trim_matches(['"', '\'', '<', '>'])).ok()?;
    let fragment = url.fragment().unwrap_or("");
    let frag_query = fragment.split_once('?').map(|(_, q)| q).unwrap_or("");
    [url.query().unwrap_or(""), frag_query].into_iter().find_map(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, v)| k == "email" && v.contains('@'))
            .map(|(_, v)| crate::sanitize::owned(v.into_owned()))
    })
}

/// Whether pasted text is a link rather than a bare token (it is then reduced to its token).
pub fn looks_like_link(text: &str) -> bool {
    let t = text.trim();
    t.contains("://") || t.contains(['/', '?', '#'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screens::login::LoginState;

    fn wizard() -> ResetState {
        ResetState::new(Some(" a@b.c "), Screen::Login(Box::new(LoginState::new(None))))
    }

    #[test]
    fn checks_follow_the_rules_and_the_match() {
        let mut w = wizard();
        let met = |w: &ResetState| w.new.checks().iter().filter(|c| c.met).count();
        assert_eq!(met(&w), 0, "empty: nothing met, not even the match");
        w.new.password.set("Demo-pass-1234");
        assert!(w.new.rules_met());
        assert_eq!(met(&w), 5);
        w.new.confirm.set("Demo-pass-1234");
        assert_eq!(met(&w), 6);
        w.new.confirm.set("Demo-pass-123");
        assert!(!w.new.matches());
        let last = w.new.checks().pop().map(|c| (c.label, c.met));
        assert_eq!(last, Some(("Both passwords match", false)));
        assert_eq!(w.new.checks().len(), password_rules().len() + 1);
    }

    #[test]
    fn steps_keep_values_and_focus_the_first_empty_field() {
        let mut w = wizard();
        assert_eq!(w.email.value(), "a@b.c");
        w.go_to(Step::Token);
        assert_eq!(w.focus, Focus::Token);
        w.fill_token("blt1", None);
        assert_eq!((w.step, w.focus), (Step::Token, Focus::Password));
        w.new.password.set("x");
        w.go_to(Step::Email);
        w.go_to(Step::Token);
        assert_eq!((w.token.value(), w.new.password.value(), w.focus), ("blt1", "x", Focus::Confirm));
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

    #[test]
    fn emails_come_out_of_links_that_carry_them() {
        let link = "https://app.contentstack.com/#!/reset-password?email=a%40b.c&reset_password_token=r1";
        assert_eq!(email_in_link(link).as_deref(), Some("a@b.c"));
        assert_eq!(
            email_in_link("https://x.example/reset?email=x%40y.z&amp;token=t").as_deref(),
            Some("x@y.z")
        );
        assert_eq!(email_in_link("https://app.contentstack.com/#!/activate?token=abc"), None);
        assert_eq!(email_in_link("blt123"), None);
        assert_eq!(email_in_link("https://x.example/?email=not-an-address"), None);
        assert!(looks_like_link("https://app.contentstack.com/#!/reset-password?token=a"));
        assert!(!looks_like_link(" blt123 "));
    }
}
