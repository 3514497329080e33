//! What is accepted as a password and as a profile value: one set of rules, used by the edit form,
//! the reset wizard and activation (checked while the user types), the scripting commands
//! (checked before anything is sent) and the demo server (which enforces them, standing in for
//! Contentstack). Keeping them in one place is what makes the four agree.
//!
//! Password rules, all required: at least 8 characters, an upper-case letter, a lower-case
//! letter, a digit, and a symbol (anything that is not a letter, a digit or whitespace).
//! `Demo-pass-1234` passes all of them.

/// The minimum password length, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest first or last name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest company name, in characters.
pub const MAX_COMPANY_CHARS: usize = 100;
/// Digits a mobile number may have.
pub const MOBILE_DIGITS: (usize, usize) = (4, 15);
/// Digits a country calling code may have, without the `+`.
pub const COUNTRY_DIGITS: (usize, usize) = (1, 4);

/// One password rule.
#[derive(Debug)]
pub struct PasswordRule {
    /// Stable id, e.g. `min_length`.
    pub id: &'static str,
    /// What to show next to a tick box: "At least 8 characters".
    pub label: &'static str,
    /// What is said about the password when the rule is broken (the server's words under
    /// `errors.password`): "must contain a digit."
    pub message: &'static str,
    check: fn(&str) -> bool,
}

impl PasswordRule {
    /// Whether `pw` satisfies this rule.
    pub fn is_met(&self, pw: &str) -> bool {
        (self.check)(pw)
    }
}

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

/// Every password rule, in the order they are reported.
pub fn password_rules() -> &'static [PasswordRule] {
    &RULES
}

/// The rules `pw` breaks; empty when it is acceptable.
pub fn password_rule_failures(pw: &str) -> Vec<&'static PasswordRule> {
    RULES.iter().filter(|r| !r.is_met(pw)).collect()
}

/// Why a profile value would be refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A name that is empty (names are required).
    Blank,
    /// More characters than `max`.
    TooLong { max: usize },
    /// Control characters or invisible formatting characters: how a value hides or disguises
    /// itself.
    ControlChars,
    /// Something other than ASCII digits in a number field.
    NotDigits,
    /// Digits, but `now` of them where `min..=max` are needed.
    DigitCount { min: usize, max: usize, now: usize },
}

/// The profile fields `PUT /user` changes, by their API names.
pub const PROFILE_FIELDS: [&str; 5] = ["first_name", "last_name", "company", "mobile_number", "country_code"];

/// Checks `value` for the profile field named `field` (its API name). Returns the value as it is
/// sent (trimmed), or the problem. Names are required; company, mobile and country code may be
/// empty (which clears them). A field of another name is not checked.
pub fn check_profile_value(field: &str, value: &str) -> Result<String, Problem> {
    let v = value.trim();
    // Control and invisible formatting characters (BiDi overrides, zero-width marks, TAG text)
    // are how a value hides or disguises itself; a variation selector after its emoji is fine.
    if !crate::sanitize::is_clean(v) {
        return Err(Problem::ControlChars);
    }
    let chars = v.chars().count();
    let digits = |(min, max): (usize, usize)| {
        if v.is_empty() {
            Ok(())
        } else if !v.chars().all(|c| c.is_ascii_digit()) {
            Err(Problem::NotDigits)
        } else if !(min..=max).contains(&chars) {
            Err(Problem::DigitCount { min, max, now: chars })
        } else {
            Ok(())
        }
    };
    match field {
        "first_name" | "last_name" if v.is_empty() => Err(Problem::Blank),
        "first_name" | "last_name" if chars > MAX_NAME_CHARS => Err(Problem::TooLong { max: MAX_NAME_CHARS }),
        "company" if chars > MAX_COMPANY_CHARS => Err(Problem::TooLong { max: MAX_COMPANY_CHARS }),
        "mobile_number" => digits(MOBILE_DIGITS),
        "country_code" => digits(COUNTRY_DIGITS),
        _ => Ok(()),
    }
    .map(|()| v.to_string())
}

impl Problem {
    /// A short phrase to show beside the field in a form: "At most 64 characters".
    pub fn short(self, field: &str) -> String {
        match self {
            Problem::Blank => "Required".into(),
            Problem::TooLong { max } => format!("At most {max} characters"),
            Problem::ControlChars => "No control characters".into(),
            Problem::NotDigits if field == "country_code" => "Digits only, no +".into(),
            Problem::NotDigits => "Digits only".into(),
            Problem::DigitCount { min, max, now } => format!("{min} to {max} digits (now {now})"),
        }
    }

    /// What is said after the field's name, as the server says it: "can't be blank."
    pub fn message(self, field: &str) -> String {
        match self {
            Problem::Blank => "can't be blank.".into(),
            Problem::TooLong { max } => format!("is too long (maximum is {max} characters)."),
            Problem::ControlChars => "must not contain control characters.".into(),
            Problem::NotDigits | Problem::DigitCount { .. } if field == "country_code" => {
                let (min, max) = COUNTRY_DIGITS;
                format!("must be {min} to {max} digits without a + (or empty to remove it).")
            }
            Problem::NotDigits | Problem::DigitCount { .. } => {
                let (min, max) = MOBILE_DIGITS;
                format!("must be {min} to {max} digits with no spaces or symbols (or empty to remove it).")
            }
        }
    }
}

/// One sentence about a field from its label and the messages about it, each a predicate as the
/// server words them: `("Password", ["is too short (…).", "must contain a digit."])` →
/// "Password is too short (…) and must contain a digit."
pub fn field_sentence(label: &str, messages: &[impl AsRef<str>]) -> String {
    let parts: Vec<&str> = messages
        .iter()
        .map(|m| m.as_ref().trim().trim_end_matches('.').trim())
        .filter(|m| !m.is_empty())
        .collect();
    let body = match parts.as_slice() {
        [] => "is not accepted".to_string(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    // A message that is a sentence of its own ("Mobile number is invalid") keeps its subject.
    let starts_with_label = body.to_lowercase().starts_with(&label.to_lowercase());
    if starts_with_label { format!("{body}.") } else { format!("{label} {body}.") }
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
        let name = |v: &str| check_profile_value("first_name", v);
        assert_eq!(name("  Ada "), Ok("Ada".into()));
        assert_eq!(name("   "), Err(Problem::Blank));
        assert!(name(&"é".repeat(MAX_NAME_CHARS)).is_ok());
        assert_eq!(name(&"é".repeat(65)), Err(Problem::TooLong { max: 64 }));
        assert_eq!(name("A\u{1b}[31m"), Err(Problem::ControlChars));
        assert_eq!(name("A\u{202e}B"), Err(Problem::ControlChars));
    }

    #[test]
    fn digits_and_company() {
        let mobile = |v: &str| check_profile_value("mobile_number", v);
        let cc = |v: &str| check_profile_value("country_code", v);
        assert_eq!(mobile(""), Ok(String::new()));
        assert_eq!(mobile("9898"), Ok("9898".into()));
        assert_eq!(mobile("989"), Err(Problem::DigitCount { min: 4, max: 15, now: 3 }));
        assert_eq!(mobile("98a8"), Err(Problem::NotDigits));
        assert_eq!(cc("+91"), Err(Problem::NotDigits));
        assert_eq!(cc("١٢٣٤"), Err(Problem::NotDigits));
        assert!(check_profile_value("company", &"x".repeat(100)).is_ok());
        assert!(check_profile_value("company", &"x".repeat(101)).is_err());
        assert_eq!(check_profile_value("company", ""), Ok(String::new()));
        assert_eq!(Problem::NotDigits.short("country_code"), "Digits only, no +");
        assert!(Problem::NotDigits.message("mobile_number").starts_with("must be 4 to 15 digits"));
    }

    #[test]
    fn one_sentence_per_field() {
        assert_eq!(field_sentence("First name", &["can't be blank."]), "First name can't be blank.");
        assert_eq!(
            field_sentence("Password", &["is too short (minimum is 8 characters).", "must contain a digit."]),
            "Password is too short (minimum is 8 characters) and must contain a digit."
        );
        assert_eq!(
            field_sentence("Password", &["must contain a digit", "must contain a symbol", "x"]),
            "Password must contain a digit, must contain a symbol and x."
        );
        assert_eq!(
            field_sentence("Mobile number", &["Mobile number is invalid."]),
            "Mobile number is invalid."
        );
    }
}
