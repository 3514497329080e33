//! The whole profile as pretty JSON, for the Raw tab.
//!
//! Written straight from the models into one string (no intermediate `Value`), with an index of
//! where each line starts, so a 1,000-role × 50-rule profile (about 650,000 lines) costs one
//! buffer and one `Vec<u32>` rather than a string per line, and drawing a page slices it.
//! Strings were sanitised on arrival and serde_json escapes control characters, so every line is
//! safe to show. The authtoken is shown masked.

use secrecy::SecretString;
use serde::Serialize;

use crate::api::{Role, User, mask};

#[derive(Serialize)]
struct Document<'a> {
    #[serde(flatten)]
    user: &'a User,
    /// The roles, kept apart from the user by the profile screen (the tree owns them).
    #[serde(skip_serializing_if = "<[Role]>::is_empty")]
    roles: &'a [Role],
    authtoken: String,
}

/// Pretty JSON split into lines without copying them.
#[derive(Debug, Default)]
pub struct RawJson {
    text: String,
    /// Byte offset of each line's start.
    starts: Vec<u32>,
}

impl RawJson {
    /// The user (whose `roles` may have been moved out) with `roles` and the masked token.
    pub fn build(user: &User, roles: &[Role], token: &SecretString) -> RawJson {
        let doc = Document { user, roles, authtoken: mask(token) };
        let text = match serde_json::to_vec_pretty(&doc).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(e)) => format!("(the profile could not be shown as JSON: {e})"),
            Err(e) => format!("(the profile could not be shown as JSON: {e})"),
        };
        RawJson::from_text(text)
    }

    fn from_text(text: String) -> RawJson {
        let mut starts = vec![0u32];
        starts.extend(text.match_indices('\n').map(|(i, _)| (i + 1) as u32));
        if starts.last().is_some_and(|&s| s as usize == text.len()) && starts.len() > 1 {
            starts.pop();
        }
        RawJson { text, starts }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        if self.text.is_empty() { 0 } else { self.starts.len() }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Line `i`, without its newline.
    pub fn line(&self, i: usize) -> Option<&str> {
        let start = *self.starts.get(i)? as usize;
        let end = self.starts.get(i + 1).map(|&e| e as usize - 1).unwrap_or(self.text.len());
        self.text.get(start..end)
    }

    /// Lines `from..from + n` (fewer at the end).
    pub fn lines(&self, from: usize, n: usize) -> impl Iterator<Item = &str> {
        (from..(from + n).min(self.len())).filter_map(|i| self.line(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lines_index_the_text() {
        let r = RawJson::from_text("a\nbc\n\nd".into());
        assert_eq!(r.len(), 4);
        assert_eq!(r.lines(0, 10).collect::<Vec<_>>(), vec!["a", "bc", "", "d"]);
        assert_eq!(r.line(4), None);
        assert_eq!(RawJson::from_text(String::new()).len(), 0);
    }

    #[test]
    fn roles_are_put_back_and_the_token_masked() {
        let mut user: User = serde_json::from_value(json!({
            "uid": "u1", "email": "a@b.c", "first_name": "A", "extra_field": 1,
            "roles": [{"uid": "r1", "name": "Developer"}]
        }))
        .expect("valid");
        let roles = std::mem::take(&mut user.roles);
        let raw = RawJson::build(&user, &roles, &SecretString::from("blt0123456789abcdef"));
        let text: Vec<&str> = raw.lines(0, raw.len()).collect();
        let doc: serde_json::Value = serde_json::from_str(&text.join("\n")).expect("valid JSON");
        assert_eq!(doc["roles"][0]["name"], "Developer");
        assert_eq!(doc["extra_field"], 1);
        assert_eq!(doc["authtoken"], "•••••bcdef");
        assert!(!text.join("").contains("0123456789"));
    }
}
