//! The token and new-password component: the part the password-reset wizard's second step and
//! the activation form share (the token, or the link it came in; the new password twice with
//! Contentstack's rules checked live; the checks before sending; where the server's field
//! messages go). Each screen keeps its own other fields and focus, and maps [`Part`] onto it.
//!
//! The password fields are secret [`TextField`]s: they are wiped when the form is dropped, and
//! requests get copies in `SecretString`s, which wipe themselves too.

use std::collections::BTreeMap;

use secrecy::SecretString;

use crate::api::rules::{MIN_PASSWORD_CHARS, password_rules};
use crate::api::{email_in_link, looks_like_link, token_from_link};
use crossterm::event::KeyEvent;

use crate::api::Endpoint;
use crate::app::effect::Effect;
use crate::app::field::TextField;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::nav::Nav;
use crate::app::request::Pending;
use crate::app::state::App;

/// Field messages, by field (the server's and the form's own).
pub type FieldErrors<F> = BTreeMap<F, Vec<String>>;

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

/// The component's fields, for messages and focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Token,
    Password,
    Confirm,
}

/// Where the token was sent, which the messages name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The password-reset email.
    ResetEmail,
    /// The invitation to activate an account.
    Invitation,
}

impl Source {
    fn letter(self) -> &'static str {
        match self {
            Source::ResetEmail => "email",
            Source::Invitation => "invitation",
        }
    }
}

/// What a paste into the token field did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pasted {
    /// Plain text, typed into the field as it is.
    Text,
    /// A link, reduced to its token; the address it carries, when it has one.
    Link { email: Option<String> },
    /// A link without a token: kept as pasted, with a message.
    NoToken,
}

/// The token (or link), the new password twice, and the note under the token.
#[derive(Debug)]
pub struct TokenPassword {
    pub source: Source,
    /// The bare token, or a link typed by hand (a pasted link is reduced to its token at once).
    pub token: TextField,
    /// A note under the token ("taken from the pasted link", "filled in from the mailbox").
    pub token_note: Option<String>,
    pub new: NewPassword,
}

impl TokenPassword {
    pub fn new(source: Source) -> Self {
        TokenPassword { source, token: TextField::plain(), token_note: None, new: NewPassword::default() }
    }

    pub fn field(&self, part: Part) -> &TextField {
        match part {
            Part::Token => &self.token,
            Part::Password => &self.new.password,
            Part::Confirm => &self.new.confirm,
        }
    }

    pub fn field_mut(&mut self, part: Part) -> &mut TextField {
        match part {
            Part::Token => &mut self.token,
            Part::Password => &mut self.new.password,
            Part::Confirm => &mut self.new.confirm,
        }
    }

    /// Whether anything was typed (or filled in) here.
    pub fn has_typing(&self) -> bool {
        !self.token.is_empty() || !self.new.password.is_empty() || !self.new.confirm.is_empty()
    }

    /// Puts a token in (from the mailbox or a pasted link) with a note under it.
    pub fn set_token(&mut self, token: &str, note: Option<String>) {
        self.token.set(token);
        self.token_note = note;
    }

    /// Pastes into the token field: a link is reduced to its token at once, so the field shows
    /// what will be sent.
    pub fn paste_token(&mut self, text: &str) -> Pasted {
        if !looks_like_link(text) {
            self.token.paste(text);
            return Pasted::Text;
        }
        match token_from_link(text) {
            Some(token) => {
                self.set_token(&token, Some("Taken from the pasted link.".into()));
                Pasted::Link { email: email_in_link(text) }
            }
            None => {
                self.token.paste(text);
                Pasted::NoToken
            }
        }
    }

    /// The message for a link with no token in it.
    pub fn no_token_message(&self) -> String {
        format!(
            "There is no token in this link. Paste the token itself (it is in the {} too).",
            self.source.letter()
        )
    }

    /// The token to send, taken out of a link typed by hand.
    pub fn token_to_send(&self) -> Option<String> {
        token_from_link(self.token.value())
    }

    /// What is wrong before sending, field by field (the password rules only where `enforce`:
    /// against a server known to apply them).
    pub fn problems(&self, enforce: bool) -> Vec<(Part, String)> {
        let mut out = Vec::new();
        if self.token_to_send().is_none() {
            let message = if self.token.is_empty() {
                format!("Paste the token, or the whole link, from the {}.", self.source.letter())
            } else {
                self.no_token_message()
            };
            out.push((Part::Token, message));
        }
        let (choose, mismatch) = match self.source {
            Source::ResetEmail => ("Choose a new password.", "Does not match the new password."),
            Source::Invitation => ("Choose a password.", "Does not match the password."),
        };
        if self.new.password.is_empty() {
            out.push((Part::Password, choose.into()));
        } else if enforce && !self.new.rules_met() {
            out.push((Part::Password, "Misses a rule marked ✗ below.".into()));
        }
        if !self.new.password.is_empty() && !self.new.matches() {
            out.push((Part::Confirm, mismatch.into()));
        }
        out
    }
}

/// A form built around the component (the reset wizard, the activation form): what the shared
/// key and paste handling below needs to reach in it.
pub trait TokenForm {
    type Focus: Copy + Ord + 'static;
    /// The token field's place in the form's focus.
    const TOKEN: Self::Focus;
    fn focus(&self) -> Self::Focus;
    fn set_focus(&mut self, focus: Self::Focus);
    /// The form's fields in order, as Enter and Tab go through them.
    fn focus_order(&self) -> &'static [Self::Focus];
    /// The problem that belongs to no field, shown above the button.
    fn error_mut(&mut self) -> &mut Option<crate::app::field::FormError>;
    fn field_mut(&mut self, focus: Self::Focus) -> &mut TextField;
    fn errors(&self) -> &FieldErrors<Self::Focus>;
    fn errors_mut(&mut self) -> &mut FieldErrors<Self::Focus>;
    /// The token and new-password component, to read (views) and to change.
    fn form(&self) -> &TokenPassword;
    fn form_mut(&mut self) -> &mut TokenPassword;
    fn move_focus(&mut self, delta: isize);
    /// The form's field for a part of the component.
    fn of(part: Part) -> Self::Focus;
    /// Whether the user may change this field (the reset wizard's email is fixed when opened
    /// for the logged-in account).
    fn editable(&self, _focus: Self::Focus) -> bool {
        true
    }
}

/// `impl TokenForm` for a form state with the usual fields: `focus` (a `Focus` enum with
/// `Token`, `Password` and `Confirm` variants), `errors`, `form` (the [`TokenPassword`]) and its
/// own `field_mut` and `move_focus`; methods it does differently follow the type. Also
/// `Focus::of`, the focus of each of the component's parts.
macro_rules! token_form {
    ($t:ident $(, $($item:item)*)?) => {
        impl Focus {
            /// The field of the shared token and password component.
            pub fn of(part: $crate::app::password_form::Part) -> Focus {
                use $crate::app::password_form::Part;
                match part {
                    Part::Token => Focus::Token,
                    Part::Password => Focus::Password,
                    Part::Confirm => Focus::Confirm,
                }
            }
        }

        impl $crate::app::password_form::TokenForm for $t {
            type Focus = Focus;
            const TOKEN: Focus = Focus::Token;
            fn focus(&self) -> Focus {
                self.focus
            }
            fn set_focus(&mut self, focus: Focus) {
                self.focus = focus;
            }
            fn focus_order(&self) -> &'static [Focus] {
                $t::focus_order(self)
            }
            fn error_mut(&mut self) -> &mut Option<$crate::app::field::FormError> {
                &mut self.error
            }
            fn field_mut(&mut self, focus: Focus) -> &mut $crate::app::field::TextField {
                $t::field_mut(self, focus)
            }
            fn errors(&self) -> &$crate::app::password_form::FieldErrors<Focus> {
                &self.errors
            }
            fn errors_mut(&mut self) -> &mut $crate::app::password_form::FieldErrors<Focus> {
                &mut self.errors
            }
            fn form(&self) -> &$crate::app::password_form::TokenPassword {
                &self.form
            }
            fn form_mut(&mut self) -> &mut $crate::app::password_form::TokenPassword {
                &mut self.form
            }
            fn move_focus(&mut self, delta: isize) {
                $t::move_focus(self, delta)
            }
            fn of(part: $crate::app::password_form::Part) -> Focus {
                Focus::of(part)
            }
            $($($item)*)?
        }
    };
}
pub(crate) use token_form;

/// A key on a token form (the reset wizard, the activation form). The keys both forms answer
/// alike come first: a printable key always types (it never runs a command), field moves,
/// show/hide, the mailbox. Then the screen's own actions (`screen`: send, retry, leave, a
/// step; `None` for an action it does not take), then what the field takes (arrows, Home,
/// Backspace…: [`edit_key`]). `None` when nothing took the key.
pub fn on_key<F: TokenForm>(
    app: &mut App,
    ev: &KeyEvent,
    key: Key,
    form: fn(&mut App) -> Option<&mut F>,
    screen: impl FnOnce(&mut App, Action) -> Option<Vec<Effect>>,
) -> Option<Vec<Effect>> {
    let action = app.keymap.action(Context::Password, key);
    let f = form(app)?;
    if key.is_text() {
        edit_key(f, ev);
        return Some(Vec::new());
    }
    match action {
        Some(Action::NextField) => f.move_focus(1),
        Some(Action::PrevField) => f.move_focus(-1),
        Some(Action::ToggleSecret) => {
            let new = &mut f.form_mut().new;
            new.reveal = !new.reveal;
        }
        Some(Action::OpenMailbox) => return app.open_mailbox(),
        Some(other) => {
            if let Some(effects) = screen(app, other) {
                return Some(effects);
            }
            return edit_key(form(app)?, ev).then(Vec::new);
        }
        None => return edit_key(f, ev).then(Vec::new),
    }
    Some(Vec::new())
}

/// Leaves the form for the screen it was opened from, cancelling its requests. What was typed
/// goes with it: the secret fields wipe themselves as the form is dropped.
pub fn leave(app: &mut App) -> Vec<Effect> {
    let mut effects = app.cancel_where(Pending::is_account_flow);
    effects.extend(app.go(Nav::Pop));
    effects
}

/// An editing key for the focused field; an edited field loses its error (and the token its
/// note). Whether the field took it.
pub fn edit_key<F: TokenForm>(f: &mut F, ev: &KeyEvent) -> bool {
    let focus = f.focus();
    if !f.editable(focus) {
        return false;
    }
    let handled = f.field_mut(focus).handle_key(ev);
    if handled {
        f.errors_mut().remove(&focus);
        if focus == F::TOKEN {
            f.form_mut().token_note = None;
        }
    }
    handled
}

/// Paste into the focused field. In the token field a link is reduced to its token; a link
/// without one gets its message. Returns what a paste into the token field did (`None`
/// elsewhere), for the screen to take the address the link carries.
pub fn form_paste<F: TokenForm>(f: &mut F, text: &str) -> Option<Pasted> {
    let focus = f.focus();
    if !f.editable(focus) {
        return None;
    }
    f.errors_mut().remove(&focus);
    if focus != F::TOKEN {
        f.field_mut(focus).paste(text);
        return None;
    }
    let pasted = f.form_mut().paste_token(text);
    if pasted == Pasted::NoToken {
        let message = f.form_mut().no_token_message();
        f.errors_mut().insert(F::TOKEN, vec![message]);
    }
    Some(pasted)
}

/// " Press ctrl-r to send it again.", for a message about a failure trying again may mend.
pub fn retry_hint(app: &App) -> String {
    app.keymap
        .hint(crate::app::keymap::Context::Password, Action::Retry)
        .map(|k| format!(" Press {k} to send it again."))
        .unwrap_or_default()
}

/// Enter in a form's fields: moves to the next field when it is still empty (whether it
/// moved); once the fields after it are filled, Enter sends.
pub fn to_next_empty<F: TokenForm>(f: &mut F) -> bool {
    let order = f.focus_order();
    let pos = order.iter().position(|x| *x == f.focus()).unwrap_or(0);
    match order.get(pos + 1) {
        Some(&next) if f.field_mut(next).is_empty() => {
            f.set_focus(next);
            true
        }
        _ => false,
    }
}

/// Where sending a form starts: `None` while one of its requests is still out; else whether
/// Contentstack's password rules are enforced here, the endpoint, and the form with its last
/// error cleared.
pub fn ready_to_send<F: TokenForm>(
    app: &mut App,
    form: fn(&mut App) -> Option<&mut F>,
) -> Option<(bool, Endpoint, &mut F)> {
    if app.has_pending(Pending::is_account_flow) {
        return None;
    }
    let enforce = app.rules_enforced();
    let endpoint = app.endpoint.clone();
    let f = form(app)?;
    *f.error_mut() = None;
    Some((enforce, endpoint, f))
}

/// The component's problems (`enforce`: Contentstack's password rules too) on the form's
/// fields.
pub fn check_component<F: TokenForm>(f: &mut F, enforce: bool) {
    let problems = f.form_mut().problems(enforce);
    for (part, problem) in problems {
        f.errors_mut().entry(F::of(part)).or_default().push(problem);
    }
}

/// The error shown above the button for a refusal: the server's messages that belong to no
/// field (`rest`) if any, else its sentence, with the retry key when trying again can help.
pub fn form_error(e: &crate::api::ApiError, rest: &[String], retry: &str) -> crate::app::field::FormError {
    let message = if !rest.is_empty() {
        rest.join(" ")
    } else if e.is_transient() {
        format!("{}{retry}", e.user_message())
    } else {
        e.user_message()
    };
    crate::app::field::FormError {
        title: crate::app::session::error_title(e).to_string(),
        message,
        retry: e.is_transient(),
    }
}

/// The component's field for a field name in the server's `errors`, and how a message about it
/// starts.
pub fn server_field(name: &str) -> Option<(Part, &'static str)> {
    match name {
        "reset_password_token" | "user_activation_token" | "activation_token" | "token" => {
            Some((Part::Token, "The token"))
        }
        "password" => Some((Part::Password, "The password")),
        "password_confirmation" => Some((Part::Confirm, "The confirmation")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_follow_the_rules_and_the_match() {
        let mut f = TokenPassword::new(Source::ResetEmail);
        let met = |f: &TokenPassword| f.new.checks().iter().filter(|c| c.met).count();
        assert_eq!(met(&f), 0, "empty: nothing met, not even the match");
        f.new.password.set("Demo-pass-1234");
        assert!(f.new.rules_met());
        assert_eq!(met(&f), 5);
        f.new.confirm.set("Demo-pass-1234");
        assert_eq!(met(&f), 6);
        f.new.confirm.set("Demo-pass-123");
        assert!(!f.new.matches());
        let last = f.new.checks().pop().map(|c| (c.label, c.met));
        assert_eq!(last, Some(("Both passwords match", false)));
        assert_eq!(f.new.checks().len(), password_rules().len() + 1);
    }

    #[test]
    fn a_pasted_link_leaves_its_token_and_says_so() {
        let mut f = TokenPassword::new(Source::Invitation);
        let link = "https://app.contentstack.com/#!/activate?email=a%40b.c&activation_token=t1";
        assert_eq!(f.paste_token(link), Pasted::Link { email: Some("a@b.c".into()) });
        assert_eq!((f.token.value(), f.token_note.as_deref()), ("t1", Some("Taken from the pasted link.")));
        let mut g = TokenPassword::new(Source::ResetEmail);
        assert_eq!(g.paste_token("https://app.contentstack.com/"), Pasted::NoToken);
        assert!(g.problems(false).iter().any(|(p, m)| *p == Part::Token && m.contains("in the email too")));
        assert_eq!(g.paste_token("x"), Pasted::Text);
    }

    #[test]
    fn problems_name_each_field_in_the_words_of_its_form() {
        let f = TokenPassword::new(Source::Invitation);
        let problems = f.problems(true);
        assert_eq!(
            problems,
            vec![
                (Part::Token, "Paste the token, or the whole link, from the invitation.".into()),
                (Part::Password, "Choose a password.".into()),
            ]
        );
        let mut g = TokenPassword::new(Source::ResetEmail);
        g.token.set("t");
        g.new.password.set("short");
        g.new.confirm.set("other");
        let parts: Vec<Part> = g.problems(true).into_iter().map(|(p, _)| p).collect();
        assert_eq!(parts, [Part::Password, Part::Confirm]);
        assert_eq!(g.problems(false).len(), 1, "rules are guidance where not enforced");
    }
}
