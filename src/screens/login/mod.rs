//! The log-in screen's state: the form, the region picker, the 2FA step and the error beside
//! the form. Changed only by `update`.

pub mod hints;
pub mod region;
pub mod region_picker;
pub mod side;
pub mod tfa;
pub mod update;
pub mod view;

use secrecy::SecretString;

use crate::api::{Endpoint, Region};
use crate::app::field::{FormError, TextField};

/// How the user proves who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Password,
    /// An existing authtoken, pasted (SSO users, scripts' tokens).
    Token,
}

/// What has the keyboard on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Region,
    Email,
    Password,
    Token,
    Remember,
    Submit,
}

impl Focus {
    /// Whether printable keys go to a text field rather than to shortcuts.
    pub fn is_text(self) -> bool {
        matches!(self, Focus::Email | Focus::Password | Focus::Token)
    }
}

/// The second step, once the server asked for a 2FA code. The email and password stay here
/// (as a secret) so the code can be sent with them without asking again.
#[derive(Debug)]
pub struct TfaStep {
    pub email: String,
    pub password: SecretString,
    pub code: TextField,
    /// What the server said, sanitised.
    pub server_message: String,
    pub tfa_type: Option<String>,
    /// Set once the server confirmed it sent an SMS.
    pub sms_sent: bool,
}

/// The last attempt, kept only while its error offers a retry.
#[derive(Debug)]
pub enum Attempt {
    Password {
        email: String,
        password: SecretString,
    },
    Token(SecretString),
    /// The check of a stored or environment session at start.
    Resume {
        email: String,
        cred: crate::api::Credential,
        source: SessionSource,
    },
}

/// Where a session being opened came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionSource {
    /// `CONTENTSTACK_AUTHTOKEN`.
    Env,
    /// The session file (remember me).
    Stored,
}

/// The region list, plus its custom-URL entry.
#[derive(Debug)]
pub struct RegionPicker {
    /// 0..7 are [`Region::ALL`]; 7 is "Custom URL…".
    pub selected: usize,
    /// `Some` while the custom URL is being typed.
    pub custom: Option<TextField>,
    /// Why the typed URL was refused (the sentence from `Endpoint::custom`).
    pub error: Option<String>,
    /// A URL typed and left with Esc: it comes back when the custom row is chosen again.
    pub kept_custom: Option<TextField>,
}

/// Index of the custom-URL row in the picker.
pub const CUSTOM_ROW: usize = Region::ALL.len();

impl RegionPicker {
    pub fn new(current: &Endpoint) -> Self {
        let selected = match current {
            Endpoint::Region(r) => Region::ALL.iter().position(|x| x == r).unwrap_or(0),
            Endpoint::Custom(_) => CUSTOM_ROW,
        };
        RegionPicker { selected, custom: None, error: None, kept_custom: None }
    }

    /// Opens the custom-URL field: what was typed in it before, or the URL in use (so it can
    /// be corrected rather than typed again), or empty.
    pub fn open_custom(&mut self, current: &Endpoint) {
        let field = self.kept_custom.take().unwrap_or_else(|| {
            let mut field = TextField::plain();
            if let Endpoint::Custom(_) = current {
                field.set(&current.origin());
            }
            field
        });
        self.custom = Some(field);
    }

    pub fn rows() -> usize {
        CUSTOM_ROW + 1
    }
}

#[derive(Debug)]
pub struct LoginState {
    pub method: Method,
    pub focus: Focus,
    pub email: TextField,
    pub password: TextField,
    pub token: TextField,
    /// Show the password or token in clear.
    pub reveal: bool,
    pub remember: bool,
    pub tfa: Option<TfaStep>,
    pub picker: Option<RegionPicker>,
    pub error: Option<FormError>,
    pub last_attempt: Option<Attempt>,
    /// Which demo login `fill_demo` uses next.
    pub demo_next: usize,
    /// The email the form was opened with (the last session's), so that quitting asks first
    /// only when the user typed something.
    pub given_email: String,
}

impl LoginState {
    /// An empty form, on the email field (or the password field when the email is known).
    pub fn new(email: Option<&str>) -> Self {
        let mut s = LoginState {
            method: Method::Password,
            focus: Focus::Email,
            email: TextField::plain(),
            password: TextField::secret(),
            token: TextField::token(),
            reveal: false,
            remember: true,
            tfa: None,
            picker: None,
            error: None,
            last_attempt: None,
            demo_next: 0,
            given_email: String::new(),
        };
        if let Some(e) = email.filter(|e| !e.is_empty()) {
            s.email.set(e);
            s.given_email = e.to_string();
            s.focus = Focus::Password;
        }
        s
    }

    /// Whether the form holds something the user typed: a password, a token, a 2FA code, or
    /// an email other than the one it was opened with.
    pub fn has_typing(&self) -> bool {
        !self.password.is_empty()
            || !self.token.is_empty()
            || self.email.value() != self.given_email
            || self.tfa.as_ref().is_some_and(|t| !t.code.is_empty())
    }

    /// The field that a printable key typed on the region row, the checkbox or the button goes
    /// to: the first field after the region row, the last one before the others.
    pub fn typing_target(&self) -> Focus {
        match (self.method, self.focus) {
            (Method::Token, _) => Focus::Token,
            (Method::Password, Focus::Region) => Focus::Email,
            (Method::Password, _) => Focus::Password,
        }
    }

    /// The focus order for the current method; the remember-me box only where a session can be
    /// stored (it is not drawn otherwise).
    pub fn focus_order(&self, can_remember: bool) -> Vec<Focus> {
        let fields: &[Focus] = match self.method {
            Method::Password => &[Focus::Email, Focus::Password],
            Method::Token => &[Focus::Token],
        };
        let mut order = vec![Focus::Region];
        order.extend_from_slice(fields);
        if can_remember {
            order.push(Focus::Remember);
        }
        order.push(Focus::Submit);
        order
    }

    /// Moves the focus by `delta` places, wrapping.
    pub fn move_focus(&mut self, delta: isize, can_remember: bool) {
        let order = self.focus_order(can_remember);
        let pos = order.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        let n = order.len() as isize;
        self.focus = order[((pos + delta).rem_euclid(n)) as usize];
    }

    /// The focused text field, if the focus is on one.
    pub fn focused_field(&mut self) -> Option<&mut TextField> {
        if let Some(t) = &mut self.tfa {
            return Some(&mut t.code);
        }
        match self.focus {
            Focus::Email => Some(&mut self.email),
            Focus::Password => Some(&mut self.password),
            Focus::Token => Some(&mut self.token),
            _ => None,
        }
    }

    pub fn switch_method(&mut self) {
        self.method = match self.method {
            Method::Password => Method::Token,
            Method::Token => Method::Password,
        };
        self.focus = match self.method {
            Method::Password if self.email.is_empty() => Focus::Email,
            Method::Password => Focus::Password,
            Method::Token => Focus::Token,
        };
        self.error = None;
    }
}

impl LoginState {
    /// The two-factor step, while it shows (toasts about the form go when it comes).
    fn view_part(&self) -> Option<crate::screens::View> {
        self.tfa.is_some().then_some(crate::screens::View::Tfa)
    }
}

crate::screens::screen_state!(LoginState, paste, status, part);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_wraps_in_method_order() {
        let mut s = LoginState::new(None);
        assert_eq!(s.focus, Focus::Email);
        s.move_focus(1, true);
        assert_eq!(s.focus, Focus::Password);
        s.move_focus(3, true);
        assert_eq!(s.focus, Focus::Region);
        s.move_focus(-1, true);
        assert_eq!(s.focus, Focus::Submit);
        s.move_focus(-1, false);
        assert_eq!(s.focus, Focus::Password, "no remember-me box to stop on");
        s.switch_method();
        assert_eq!((s.method, s.focus), (Method::Token, Focus::Token));
    }

    #[test]
    fn known_email_starts_on_the_password() {
        let s = LoginState::new(Some("a@b.c"));
        assert_eq!((s.email.value(), s.focus), ("a@b.c", Focus::Password));
    }

    #[test]
    fn picker_starts_on_the_current_endpoint() {
        assert_eq!(RegionPicker::new(&Endpoint::Region(Region::Eu)).selected, 1);
        let custom = Endpoint::custom("http://127.0.0.1:9").expect("valid");
        assert_eq!(RegionPicker::new(&custom).selected, CUSTOM_ROW);
    }
}
