//! One-line text fields over `tui_input::Input`, with what the form needs on top: secret fields
//! that are wiped when cleared or dropped, digit-only fields, and paste.
//!
//! tui-input only understands key events, so bracketed paste (`Event::Paste`) would be dropped;
//! [`TextField::paste`] inserts the text itself. Secrets live here only while typed: a secret
//! field's buffer is reserved up front ([`SECRET_CAPACITY`]) so typing edits it in place instead
//! of growing it into fresh allocations (each growth would leave an unwiped copy behind); on
//! submit [`TextField::take_secret`] copies the value once into an exact-size `SecretString`,
//! which zeroizes on drop, and wipes the field's buffer, all of it. tui-input's yank buffer
//! (text cut with ctrl-w or ctrl-u) cannot be reached through its API and is not wiped.

use crossterm::event::{Event, KeyEvent};
use secrecy::SecretString;
use tui_input::{Input, InputRequest};
use zeroize::Zeroize;

/// Bytes reserved for a secret field, so that typing a password never reallocates it.
pub const SECRET_CAPACITY: usize = 256;

/// What a field accepts and how it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Ordinary text (email, URL, filter).
    Plain,
    /// Shown masked unless revealed; wiped when cleared or dropped.
    Secret,
    /// Digits only, at most this many (the 2FA code).
    Digits(usize),
}

/// A single-line text field.
#[derive(Debug)]
pub struct TextField {
    input: Input,
    kind: FieldKind,
    /// Trim surrounding whitespace from pasted text even in a secret (tokens have none).
    trim_paste: bool,
}

impl TextField {
    pub fn new(kind: FieldKind) -> Self {
        TextField { input: empty_input(kind), kind, trim_paste: kind != FieldKind::Secret }
    }

    pub fn plain() -> Self {
        Self::new(FieldKind::Plain)
    }

    pub fn secret() -> Self {
        Self::new(FieldKind::Secret)
    }

    /// A secret whose pasted value is trimmed: an authtoken never has spaces around it.
    pub fn token() -> Self {
        TextField { input: empty_input(FieldKind::Secret), kind: FieldKind::Secret, trim_paste: true }
    }

    pub fn digits(max: usize) -> Self {
        Self::new(FieldKind::Digits(max))
    }

    pub fn is_secret(&self) -> bool {
        self.kind == FieldKind::Secret
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn is_empty(&self) -> bool {
        self.input.value().is_empty()
    }

    /// Number of characters, which a masked field shows as dots.
    pub fn char_count(&self) -> usize {
        self.input.value().chars().count()
    }

    /// Replaces the value; the cursor goes to the end.
    pub fn set(&mut self, value: &str) {
        self.clear();
        let mut s =
            String::with_capacity(if self.is_secret() { value.len().max(SECRET_CAPACITY) } else { 0 });
        s.push_str(value);
        self.input = Input::new(s);
    }

    /// Empties the field, wiping a secret.
    pub fn clear(&mut self) {
        let mut old = String::from(std::mem::replace(&mut self.input, empty_input(self.kind)));
        if self.is_secret() {
            old.zeroize();
        }
    }

    /// The value, leaving the field empty.
    pub fn take(&mut self) -> String {
        String::from(std::mem::take(&mut self.input))
    }

    /// The value as a secret, leaving the field empty. `SecretString::from(String)` would
    /// shrink the string into a box, reallocating when it has spare capacity (a secret field
    /// always has) and freeing the old buffer unwiped; so the value is copied once into an
    /// exact-size secret instead, and the whole old buffer wiped.
    pub fn take_secret(&mut self) -> SecretString {
        let mut value = String::from(std::mem::replace(&mut self.input, empty_input(self.kind)));
        let secret = SecretString::from(value.as_str());
        value.zeroize();
        secret
    }

    /// The cursor's display column within the value.
    pub fn visual_cursor(&self) -> usize {
        if self.is_secret() { self.input.cursor() } else { self.input.visual_cursor() }
    }

    /// How many columns to skip so the cursor stays visible in `width` columns.
    pub fn visual_scroll(&self, width: usize) -> usize {
        if self.is_secret() {
            // Masked: one column per character.
            self.input.cursor().saturating_sub(width.saturating_sub(1))
        } else {
            self.input.visual_scroll(width.saturating_sub(1))
        }
    }

    /// Applies an editing key (characters, Backspace, Delete, arrows, Home/End, Ctrl-W, Ctrl-U,
    /// ...). Returns whether the key was an editing key; a refused character (a letter in a digit
    /// field) counts as handled so it does not fall through to a shortcut.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        let Some(req) = tui_input::backend::crossterm::to_input_request(&Event::Key(*key)) else {
            return false;
        };
        if let InputRequest::InsertChar(c) = req
            && !self.accepts(c)
        {
            return true;
        }
        self.input.handle(req);
        true
    }

    fn accepts(&self, c: char) -> bool {
        // Control and BiDi characters would reach the terminal when the field is drawn.
        if c.is_control() || crate::sanitize::is_invisible_format(c) {
            return false;
        }
        match self.kind {
            FieldKind::Digits(max) => c.is_ascii_digit() && self.char_count() < max,
            _ => true,
        }
    }

    /// Inserts pasted text at the cursor. Control characters (a trailing newline from a copied
    /// token, a tab) are dropped; surrounding whitespace is trimmed except in a password, where
    /// a space may belong to it.
    pub fn paste(&mut self, text: &str) {
        let text = if self.trim_paste { text.trim() } else { text.trim_matches(['\r', '\n']) };
        for c in text.chars() {
            if self.accepts(c) {
                self.input.handle(InputRequest::InsertChar(c));
            }
        }
    }
}

/// An empty input; a secret's with its buffer reserved.
fn empty_input(kind: FieldKind) -> Input {
    match kind {
        FieldKind::Secret => Input::new(String::with_capacity(SECRET_CAPACITY)),
        _ => Input::default(),
    }
}

impl Drop for TextField {
    fn drop(&mut self) {
        if self.is_secret() {
            self.clear();
        }
    }
}

/// An error shown beside the form. `retry` says whether the retry key applies (network trouble,
/// never a refusal: a login is only repeated when the user asks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    pub title: String,
    pub message: String,
    pub retry: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};
    use secrecy::ExposeSecret;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_and_editing() {
        let mut f = TextField::plain();
        for c in "helo".chars() {
            assert!(f.handle_key(&key(KeyCode::Char(c))));
        }
        f.handle_key(&key(KeyCode::Left));
        f.handle_key(&key(KeyCode::Char('l')));
        assert_eq!(f.value(), "hello");
        f.handle_key(&KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(f.value(), "o");
        assert!(!f.handle_key(&key(KeyCode::Enter)));
    }

    #[test]
    fn digits_only_and_bounded() {
        let mut f = TextField::digits(6);
        for c in "12a3456789".chars() {
            f.handle_key(&key(KeyCode::Char(c)));
        }
        assert_eq!(f.value(), "123456");
    }

    /// A digits field keeps the digits; a plain one drops control characters and trims; a
    /// secret keeps its spaces (a password may have them) but not the line's end.
    #[test]
    fn paste_keeps_what_each_kind_of_field_takes() {
        for (mut field, pasted, kept) in [
            (TextField::digits(6), " 654 321\n", "654321"),
            (TextField::plain(), "  blt\u{1b}abc\tdef\n", "bltabcdef"),
            (TextField::secret(), " pass word\r\n", " pass word"),
        ] {
            field.paste(pasted);
            assert_eq!(field.value(), kept, "{pasted:?}");
        }
    }

    #[test]
    fn take_secret_empties_the_field() {
        let mut f = TextField::secret();
        f.paste("Demo-pass-1234");
        let secret = f.take_secret();
        assert_eq!(secret.expose_secret(), "Demo-pass-1234");
        assert!(f.is_empty());
        assert!(!format!("{f:?}").contains("Demo"));
    }

    #[test]
    fn masked_scroll_follows_the_cursor() {
        let mut f = TextField::secret();
        f.paste("0123456789");
        assert_eq!(f.visual_cursor(), 10);
        assert_eq!(f.visual_scroll(5), 6);
    }
}
