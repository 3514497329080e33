//! How the demo reads the fields of a request's `user` object. The rules a value must meet are
//! the API's ([`crate::api::rules`]), shared with the app and the scripting commands so that the
//! server and its clients can never disagree.

use serde_json::Value;

use crate::api::rules::check_profile_value;

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

/// Checks the profile field `key` (its API name) as found in a request; returns the problem in the
/// server's words, or the trimmed value.
pub(crate) fn check_profile(key: &str, v: Field<'_>) -> Result<String, String> {
    match v {
        Field::Missing => Err("can't be blank.".into()),
        Field::NotText => Err("must be text.".into()),
        Field::Text(s) => check_profile_value(key, s).map_err(|p| p.message(key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        fn name(v: Field<'_>) -> Result<String, String> {
            check_profile("first_name", v)
        }
        assert_eq!(name(Field::Text("  Ada ")), Ok("Ada".into()));
        assert!(name(Field::Text("   ")).is_err());
        assert!(name(Field::Missing).is_err());
        assert!(name(Field::NotText).is_err());
        assert!(name(Field::Text(&"é".repeat(64))).is_ok());
        assert!(name(Field::Text(&"é".repeat(65))).is_err());
        assert_eq!(name(Field::Text("A\u{1b}[31m")), Err("must not contain control characters.".into()));
        assert!(name(Field::Text("A\u{202e}B")).is_err());
        assert!(name(Field::Text("Ad\u{e0049}\u{e0047}min")).is_err(), "hidden TAG text");
        assert!(name(Field::Text("Do\u{3164}e")).is_err(), "a Hangul filler");
        assert_eq!(name(Field::Text("Ann ❤\u{fe0f}")), Ok("Ann ❤\u{fe0f}".into()), "an emoji as it is typed");
    }

    #[test]
    fn digits_and_company() {
        assert_eq!(check_profile("mobile_number", Field::Text("")), Ok(String::new()));
        assert_eq!(check_profile("mobile_number", Field::Text("9898")), Ok("9898".into()));
        assert!(check_profile("mobile_number", Field::Text("989")).is_err());
        assert!(check_profile("country_code", Field::Text("+91")).is_err());
        assert!(check_profile("company", Field::Text(&"x".repeat(100))).is_ok());
        assert!(check_profile("company", Field::Text(&"x".repeat(101))).is_err());
    }
}
