//! What the demo accepts as a password and as profile values.
//!
//! The same list drives the server (reset and activation refuse a password that breaks a rule,
//! naming each broken rule under `errors.password`) and the TUI (which ticks the rules off while
//! the user types), so the two can never disagree.
//!
//! Password rules, all required: at least 8 characters, an upper-case letter, a lower-case
//! letter, a digit, and a symbol (anything that is not a letter, a digit or whitespace).
//! `Demo-pass-1234` passes all of them.

use serde_json::Value;

/// One password rule.
#[derive(Debug)]
pub struct PasswordRule {
    /// Stable id, e.g. `min_length`.
    pub id: &'static str,
    /// What to show next to a tick box: "At least 8 characters".
    pub label: &'static str,
    /// What the server says under `errors.password` when the rule is broken.
    pub message: &'static str,
    check: fn(&str) -> bool,
}

impl PasswordRule {
    /// Whether `pw` satisfies this rule.
    pub fn is_met(&self, pw: &str) -> bool {
        (self.check)(pw)
    }
}

/// The minimum password length, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;

static RULES: [PasswordRule; 5] = [
    PasswordRule {
        id: "min_length",
        label: "At least 8 characters",
        message: "is too short (minimum is 8 characters).",
        check: |pw| pw.chars().count() >= MIN_PASSWORD_CHARS,
    },
    PasswordRule {
        id: "uppercase",
        label: "An upper-case letter",
        message: "must contain an upper-case letter.",
        check: |pw| pw.chars().any(char::is_uppercase),
    },
    PasswordRule {
        id: "lowercase",
        label: "A lower-case letter",
        message: "must contain a lower-case letter.",
        check: |pw| pw.chars().any(char::is_lowercase),
    },
    PasswordRule {
        id: "digit",
        label: "A digit",
        message: "must contain a digit.",
        check: |pw| pw.chars().any(|c| c.is_ascii_digit()),
    },
    PasswordRule {
        id: "symbol",
        label: "A symbol (e.g. - ! # @)",
        message: "must contain a symbol.",
        check: |pw| pw.chars().any(|c| !c.is_alphanumeric() && !c.is_whitespace()),
    },
];

/// The rules `reset_password` and `activate` enforce, in the order they are reported.
pub fn password_rules() -> &'static [PasswordRule] {
    &RULES
}

/// The rules `pw` breaks; empty when it is acceptable.
pub fn password_rule_failures(pw: &str) -> Vec<&'static PasswordRule> {
    RULES.iter().filter(|r| !r.is_met(pw)).collect()
}

/// A string field of a request's `user` object, as found.
pub(crate) enum Field<'a> {
    Missing,
    Text(&'a str),
    /// Present but not a string (number, null, object...).
    NotText,
}

/// Looks up `key` in a `user` object.
pub(crate) fn field<'a>(user: &'a serde_json::Map<String, Value>, key: &str) -> Field<'a> {
    match user.get(key) {
        None => Field::Missing,
        Some(Value::String(s)) => Field::Text(s),
        Some(_) => Field::NotText,
    }
}

/// Control characters and invisible formatting characters (BiDi overrides, zero-width marks,
/// TAG characters) have no place in a name or a phone number: they are how a value hides or
/// disguises itself. A variation selector after its emoji (`❤️`) is fine.
pub(crate) fn has_control_chars(s: &str) -> bool {
    !crate::sanitize::is_clean(s)
}

/// Longest first or last name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest company name, in characters.
pub const MAX_COMPANY_CHARS: usize = 100;

/// Checks a first or last name; returns the problem, or the trimmed value.
pub(crate) fn check_name(v: Field<'_>) -> Result<String, &'static str> {
    match v {
        Field::Missing => Err("can't be blank."),
        Field::NotText => Err("must be text."),
        Field::Text(s) => {
            let s = s.trim();
            if s.is_empty() {
                Err("can't be blank.")
            } else if has_control_chars(s) {
                Err("must not contain control characters.")
            } else if s.chars().count() > MAX_NAME_CHARS {
                Err("is too long (maximum is 64 characters).")
            } else {
                Ok(s.to_string())
            }
        }
    }
}

/// Checks a company name (may be empty).
pub(crate) fn check_company(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if has_control_chars(s) {
        Err("must not contain control characters.")
    } else if s.chars().count() > MAX_COMPANY_CHARS {
        Err("is too long (maximum is 100 characters).")
    } else {
        Ok(s.to_string())
    }
}

/// Checks a string of `min..=max` ASCII digits, or empty (which clears the field).
pub(crate) fn check_digits(
    s: &str,
    min: usize,
    max: usize,
    problem: &'static str,
) -> Result<String, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    if has_control_chars(s) {
        return Err("must not contain control characters.");
    }
    let ok = s.chars().all(|c| c.is_ascii_digit()) && (min..=max).contains(&s.len());
    if ok { Ok(s.to_string()) } else { Err(problem) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_password_passes_every_rule() {
        assert!(password_rule_failures("Demo-pass-1234").is_empty());
    }

    #[test]
    fn each_rule_can_fail_on_its_own() {
        let ids = |pw: &str| password_rule_failures(pw).iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids("De-p-12"), vec!["min_length"]);
        assert_eq!(ids("demo-pass-1234"), vec!["uppercase"]);
        assert_eq!(ids("DEMO-PASS-1234"), vec!["lowercase"]);
        assert_eq!(ids("Demo-pass-word"), vec!["digit"]);
        assert_eq!(ids("Demopass1234"), vec!["symbol"]);
        assert_eq!(ids("Demo pass 1234"), vec!["symbol"]);
        assert_eq!(ids("").len(), 5);
        assert_eq!(password_rules().len(), 5);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_name(Field::Text("  Ada ")), Ok("Ada".into()));
        assert!(check_name(Field::Text("   ")).is_err());
        assert!(check_name(Field::Missing).is_err());
        assert!(check_name(Field::NotText).is_err());
        assert!(check_name(Field::Text(&"é".repeat(64))).is_ok());
        assert!(check_name(Field::Text(&"é".repeat(65))).is_err());
        assert_eq!(check_name(Field::Text("A\u{1b}[31m")), Err("must not contain control characters."));
        assert!(check_name(Field::Text("A\u{202e}B")).is_err());
        assert!(check_name(Field::Text("Ad\u{e0049}\u{e0047}min")).is_err(), "hidden TAG text");
        assert!(check_name(Field::Text("Do\u{3164}e")).is_err(), "a Hangul filler");
        assert_eq!(
            check_name(Field::Text("Ann ❤\u{fe0f}")),
            Ok("Ann ❤\u{fe0f}".into()),
            "an emoji as it is typed"
        );
    }

    #[test]
    fn digits_and_company() {
        let p = "bad";
        assert_eq!(check_digits("", 4, 15, p), Ok(String::new()));
        assert_eq!(check_digits("9898", 4, 15, p), Ok("9898".into()));
        assert_eq!(check_digits("989", 4, 15, p), Err(p));
        assert_eq!(check_digits("98a8", 4, 15, p), Err(p));
        assert_eq!(check_digits("+91", 1, 4, p), Err(p));
        assert_eq!(check_digits("١٢٣٤", 1, 4, p), Err(p));
        assert!(check_company(&"x".repeat(100)).is_ok());
        assert!(check_company(&"x".repeat(101)).is_err());
        assert_eq!(check_company(""), Ok(String::new()));
    }
}
