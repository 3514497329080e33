//! One key press, normalised, with the text form the config file and the help overlay use.
//!
//! Terminals disagree on modifiers: `G` arrives as `Char('G')` with or without SHIFT, Shift-Tab
//! as `BackTab` with SHIFT, Ctrl-Shift-L as `Char('l')` or `Char('L')` depending on the keyboard
//! protocol. [`Key::from_event`] folds these so that one binding matches them all.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key with its modifiers, compared after normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// The modifiers a binding can name. Others (super, hyper, meta) are dropped so a stray one
/// does not make a key unmatchable.
const KEPT: KeyModifiers = KeyModifiers::CONTROL.union(KeyModifiers::ALT).union(KeyModifiers::SHIFT);

impl Key {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        Key { code, mods }
    }

    /// A key without modifiers.
    pub const fn plain(code: KeyCode) -> Key {
        Key { code, mods: KeyModifiers::NONE }
    }

    /// A printable character, as typed.
    pub const fn ch(c: char) -> Key {
        Key { code: KeyCode::Char(c), mods: KeyModifiers::NONE }
    }

    /// Ctrl + a character.
    pub const fn ctrl(c: char) -> Key {
        Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
    }

    /// The normalised key of a terminal event.
    pub fn from_event(ev: &KeyEvent) -> Key {
        Key::normalise(ev.code, ev.modifiers)
    }

    fn normalise(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & KEPT;
        let code = match code {
            // The character already carries the case; SHIFT would only make `G` differ from `G`.
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) && c.is_ascii_uppercase() {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    /// True for a character typed without Ctrl or Alt: what a focused text field takes.
    pub fn is_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    /// Parses the config form: `q`, `G`, `?`, `ctrl-l`, `alt-x`, `F5`, `shift-tab`, `enter`,
    /// `space`, `pagedown`. Names and modifiers are case-insensitive; a single character is
    /// taken as written (`g` and `G` differ).
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err("an empty key".into());
        }
        let mut mods = KeyModifiers::NONE;
        loop {
            let lower = rest.to_ascii_lowercase();
            let found = [
                ("ctrl", KeyModifiers::CONTROL),
                ("control", KeyModifiers::CONTROL),
                ("c", KeyModifiers::CONTROL),
                ("alt", KeyModifiers::ALT),
                ("meta", KeyModifiers::ALT),
                ("m", KeyModifiers::ALT),
                ("shift", KeyModifiers::SHIFT),
                ("s", KeyModifiers::SHIFT),
            ]
            .into_iter()
            .find_map(|(name, m)| {
                let after = lower.strip_prefix(name)?;
                // `-` and `+` both separate; the remainder must still name a key.
                (after.len() > 1 && (after.starts_with('-') || after.starts_with('+'))).then_some((name, m))
            });
            match found {
                Some((name, m)) => {
                    mods |= m;
                    rest = &rest[name.len() + 1..];
                }
                None => break,
            }
        }
        let code = if rest.chars().count() == 1 {
            let c = rest.chars().next().ok_or("an empty key")?;
            if mods.contains(KeyModifiers::SHIFT) && c.is_ascii_alphabetic() {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_ascii_uppercase())
            } else {
                KeyCode::Char(c)
            }
        } else {
            named(&rest.to_ascii_lowercase()).ok_or_else(|| format!("'{text}' is not a key I know"))?
        };
        Ok(Key::normalise(code, mods))
    }

    /// A short form for hints and help: `↑`, `ctrl-d`, `PgDn`, `?`.
    pub fn pretty(&self) -> String {
        let base = match self.code {
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            KeyCode::Delete => "Del".to_string(),
            KeyCode::Insert => "Ins".to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            _ => self.to_string(),
        };
        format!("{}{base}", modifier_prefix(self.mods))
    }
}

fn modifier_prefix(mods: KeyModifiers) -> String {
    let mut s = String::new();
    if mods.contains(KeyModifiers::CONTROL) {
        s.push_str("ctrl-");
    }
    if mods.contains(KeyModifiers::ALT) {
        s.push_str("alt-");
    }
    if mods.contains(KeyModifiers::SHIFT) {
        s.push_str("shift-");
    }
    s
}

fn named(name: &str) -> Option<KeyCode> {
    Some(match name {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" | "bs" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdown" | "pgdn" => KeyCode::PageDown,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "space" => KeyCode::Char(' '),
        "minus" => KeyCode::Char('-'),
        "plus" => KeyCode::Char('+'),
        f if f.starts_with('f') => {
            let n: u8 = f[1..].parse().ok()?;
            if (1..=24).contains(&n) {
                KeyCode::F(n)
            } else {
                return None;
            }
        }
        _ => return None,
    })
}

/// The config form, which [`Key::parse`] reads back.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = match self.code {
            KeyCode::Enter => "enter".to_string(),
            KeyCode::Esc => "esc".to_string(),
            KeyCode::Tab => "tab".to_string(),
            KeyCode::BackTab => "backtab".to_string(),
            KeyCode::Backspace => "backspace".to_string(),
            KeyCode::Delete => "delete".to_string(),
            KeyCode::Insert => "insert".to_string(),
            KeyCode::Home => "home".to_string(),
            KeyCode::End => "end".to_string(),
            KeyCode::PageUp => "pageup".to_string(),
            KeyCode::PageDown => "pagedown".to_string(),
            KeyCode::Up => "up".to_string(),
            KeyCode::Down => "down".to_string(),
            KeyCode::Left => "left".to_string(),
            KeyCode::Right => "right".to_string(),
            KeyCode::Char(' ') => "space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}").to_lowercase(),
        };
        write!(f, "{}{base}", modifier_prefix(self.mods))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventKind;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new_with_kind(code, mods, KeyEventKind::Press)
    }

    #[test]
    fn parses_the_config_forms() {
        assert_eq!(Key::parse("q"), Ok(Key::ch('q')));
        assert_eq!(Key::parse("G"), Ok(Key::ch('G')));
        assert_eq!(Key::parse("shift-g"), Ok(Key::ch('G')));
        assert_eq!(Key::parse("ctrl-l"), Ok(Key::ctrl('l')));
        assert_eq!(Key::parse("Ctrl+L"), Ok(Key::ctrl('l')));
        assert_eq!(Key::parse("C-d"), Ok(Key::ctrl('d')));
        assert_eq!(Key::parse("F5"), Ok(Key::plain(KeyCode::F(5))));
        assert_eq!(Key::parse("shift-tab"), Ok(Key::plain(KeyCode::BackTab)));
        assert_eq!(Key::parse("PgDn"), Ok(Key::plain(KeyCode::PageDown)));
        assert_eq!(Key::parse("space"), Ok(Key::ch(' ')));
        assert_eq!(Key::parse("-"), Ok(Key::ch('-')));
        assert_eq!(Key::parse("ctrl--"), Ok(Key::ctrl('-')));
        assert_eq!(Key::parse("alt-x"), Ok(Key::new(KeyCode::Char('x'), KeyModifiers::ALT)));
        assert!(Key::parse("").is_err());
        assert!(Key::parse("ctrl-").is_err());
        assert!(Key::parse("F99").is_err());
        assert!(Key::parse("hyperdrive").unwrap_err().contains("hyperdrive"));
    }

    #[test]
    fn display_round_trips() {
        for s in ["q", "G", "ctrl-l", "F5", "backtab", "enter", "space", "pagedown", "alt-x", "?", "/"] {
            let k = Key::parse(s).expect(s);
            assert_eq!(Key::parse(&k.to_string()), Ok(k), "{s}");
        }
    }

    #[test]
    fn events_are_normalised() {
        assert_eq!(Key::from_event(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)), Key::ch('G'));
        assert_eq!(Key::from_event(&ev(KeyCode::Char('?'), KeyModifiers::SHIFT)), Key::ch('?'));
        assert_eq!(Key::from_event(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)), Key::plain(KeyCode::BackTab));
        assert_eq!(Key::from_event(&ev(KeyCode::Tab, KeyModifiers::SHIFT)), Key::plain(KeyCode::BackTab));
        assert_eq!(
            Key::from_event(&ev(KeyCode::Char('L'), KeyModifiers::CONTROL | KeyModifiers::SHIFT)),
            Key::ctrl('l')
        );
        assert_eq!(Key::from_event(&ev(KeyCode::Char('x'), KeyModifiers::SUPER)), Key::ch('x'));
    }

    #[test]
    fn text_keys() {
        assert!(Key::ch('q').is_text());
        assert!(!Key::ctrl('c').is_text());
        assert!(!Key::plain(KeyCode::Enter).is_text());
    }

    #[test]
    fn pretty_forms() {
        assert_eq!(Key::plain(KeyCode::Up).pretty(), "↑");
        assert_eq!(Key::ctrl('d').pretty(), "ctrl-d");
        assert_eq!(Key::plain(KeyCode::BackTab).pretty(), "Shift-Tab");
    }
}
