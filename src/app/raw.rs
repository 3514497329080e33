//! The whole profile as pretty JSON, for the Raw tab.
//!
//! A 1,000-role × 50-rule profile is about 650,000 lines (20 MB) of pretty JSON, and the tab shows
//! one screenful of it. So nothing but the small parts is kept as text: the user's own fields
//! before the roles (`head`), the token after them (`tail`), and the number of lines each role
//! takes, counted from the tree's rule store without printing it. A page prints the one or two
//! roles it shows, on the fly, in tens of microseconds; building all of this takes a few
//! milliseconds instead of the 80 that printing everything took, and no memory to speak of.
//!
//! The text is exactly what `serde_json::to_string_pretty` gives for the user with its roles put
//! back (see the tests): roles are printed in the `Role` model's field order, rules as they came.
//! Strings were sanitised on arrival and serde_json escapes control characters, so every line is
//! safe to show. The authtoken is shown masked.

use std::io::Write;

use secrecy::SecretString;
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use super::tree::ProfileTree;
use super::tree::store::RuleStore;
use crate::api::{Role, User, mask};

/// The top-level document: the user's fields, then `roles` and the masked token.
#[derive(Serialize)]
struct Document<'a, R: Serialize> {
    #[serde(flatten)]
    user: &'a User,
    roles: R,
    authtoken: String,
}

/// What `roles` is printed as in [`Document`] while the head and tail are made: `[]`, whose line
/// marks where the roles go.
const ROLES_MARK: &str = "  \"roles\": [],";

/// A role with its rules from the store, serialised as the `Role` model does.
struct RoleDoc<'a> {
    role: &'a Role,
    rules: &'a RuleStore,
    range: std::ops::Range<usize>,
}

impl Serialize for RoleDoc<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let r = self.role;
        let mut map = ser.serialize_map(None)?;
        // The order and the skipped empties of `#[derive(Serialize)] struct Role`.
        if let Some(v) = &r.uid {
            map.serialize_entry("uid", v)?;
        }
        if let Some(v) = &r.name {
            map.serialize_entry("name", v)?;
        }
        if let Some(v) = &r.description {
            map.serialize_entry("description", v)?;
        }
        if !r.users.is_empty() {
            map.serialize_entry("users", &r.users)?;
        }
        if let Some(v) = &r.api_key {
            map.serialize_entry("api_key", v)?;
        }
        if !self.range.is_empty() {
            map.serialize_entry("rules", &Rules { store: self.rules, range: self.range.clone() })?;
        }
        if let Some(v) = &r.created_at {
            map.serialize_entry("created_at", v)?;
        }
        if let Some(v) = &r.updated_at {
            map.serialize_entry("updated_at", v)?;
        }
        for (k, v) in &r.extra {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

struct Rules<'a> {
    store: &'a RuleStore,
    range: std::ops::Range<usize>,
}

impl Serialize for Rules<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(self.range.len()))?;
        for g in self.range.clone() {
            if let Some(rule) = self.store.rule(g) {
                seq.serialize_element(&rule.as_val())?;
            }
        }
        seq.end()
    }
}

/// Counts lines instead of keeping them.
#[derive(Default)]
struct LineCount(usize);

impl Write for LineCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.iter().filter(|&&b| b == b'\n').count();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Pretty JSON of a profile, printed a page at a time.
#[derive(Debug, Default)]
pub struct RawJson {
    /// Lines before the first role (up to `  "roles": [`), or the whole document without roles.
    head: Vec<String>,
    /// Lines after the last role (`  ],` to the closing brace).
    tail: Vec<String>,
    /// `role_start[r]`: how many role lines come before role `r`; the total at the end.
    role_start: Vec<usize>,
}

impl RawJson {
    /// The user (whose roles are in `tree`) with its roles and the masked token.
    pub fn build(user: &User, tree: &ProfileTree, token: &SecretString) -> RawJson {
        let doc = Document { user, roles: [(); 0], authtoken: mask(token) };
        let text = match serde_json::to_string_pretty(&doc) {
            Ok(text) => text,
            Err(e) => return RawJson::message(format!("(the profile could not be shown as JSON: {e})")),
        };
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let roles = tree.roles();
        let mark = lines.iter().position(|l| l == ROLES_MARK);
        let (Some(mark), false) = (mark, roles.is_empty()) else {
            // No roles: the document as the model prints it, without the empty list.
            let head = lines.into_iter().filter(|l| l != ROLES_MARK).collect();
            return RawJson { head, tail: Vec::new(), role_start: vec![0] };
        };
        let mut head = lines;
        let mut tail = head.split_off(mark + 1);
        head[mark] = "  \"roles\": [".into();
        tail.insert(0, "  ],".into());
        let mut role_start = Vec::with_capacity(roles.len() + 1);
        let mut total = 0;
        for (r, role) in roles.iter().enumerate() {
            role_start.push(total);
            total += role_lines(role, tree.rule_store(), tree.rule_range(r));
        }
        role_start.push(total);
        RawJson { head, tail, role_start }
    }

    fn message(text: String) -> RawJson {
        RawJson { head: vec![text], tail: Vec::new(), role_start: vec![0] }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.head.len() + self.role_lines_total() + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn role_lines_total(&self) -> usize {
        self.role_start.last().copied().unwrap_or(0)
    }

    /// Lines `from..from + n` (fewer at the end), printing the roles they fall in.
    pub fn lines(&self, tree: &ProfileTree, from: usize, n: usize) -> Vec<String> {
        let end = (from + n).min(self.len());
        let mut out = Vec::with_capacity(end.saturating_sub(from));
        let mut i = from;
        while i < end {
            if let Some(line) = self.head.get(i) {
                out.push(line.clone());
                i += 1;
                continue;
            }
            let in_roles = i - self.head.len();
            if in_roles >= self.role_lines_total() {
                match self.tail.get(in_roles - self.role_lines_total()) {
                    Some(line) => out.push(line.clone()),
                    None => break,
                }
                i += 1;
                continue;
            }
            // The role holding line `i`: print it, take what the page needs.
            let r = self.role_start.partition_point(|&s| s <= in_roles) - 1;
            let last = r + 1 == self.role_start.len() - 1;
            let text = role_text(tree, r, last);
            let skip = in_roles - self.role_start[r];
            let before = out.len();
            out.extend(text.lines().skip(skip).take(end - i).map(str::to_string));
            i += (out.len() - before).max(1);
        }
        out
    }
}

/// Role `r` as it sits in the document: indented by four, with a comma unless it is the last.
fn role_text(tree: &ProfileTree, r: usize, last: bool) -> String {
    let Some(role) = tree.roles().get(r) else { return String::new() };
    let doc = RoleDoc { role, rules: tree.rule_store(), range: tree.rule_range(r) };
    let pretty = serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("\"(role {r}: {e})\""));
    let mut out = String::with_capacity(pretty.len() + pretty.len() / 8);
    for line in pretty.lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    if !last {
        out.pop();
        out.push_str(",\n");
    }
    out
}

/// Lines role `r` takes, from the small part printed and the rules counted in the store.
fn role_lines(role: &Role, rules: &RuleStore, range: std::ops::Range<usize>) -> usize {
    let bare = RoleDoc { role, rules, range: 0..0 };
    let mut count = LineCount::default();
    if serde_json::to_writer_pretty(&mut count, &bare).is_err() {
        return 1;
    }
    // `n` newlines are `n + 1` lines; `{}` is the one line of a role with nothing else.
    let bare_lines = count.0 + 1;
    if range.is_empty() {
        return bare_lines;
    }
    let rule_lines: usize = range.filter_map(|g| rules.rule(g)).map(|r| r.as_val().pretty_lines()).sum();
    // `"rules": [`, the rules, `]`; an empty `{}` also opens into `{` and `}`.
    rule_lines + 2 + if bare_lines == 1 { 2 } else { bare_lines }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tree::fixtures::{developer, hostile};
    use serde_json::json;

    /// The raw view against serde_json printing the whole user with its roles.
    fn check(user_json: serde_json::Value) {
        let mut user: User = serde_json::from_value(user_json).expect("valid user");
        let token = SecretString::from("blt0123456789abcdef");
        let roles = std::mem::take(&mut user.roles);
        // What the raw view printed when it held the models: roles after the user's fields.
        #[derive(Serialize)]
        struct Whole<'a> {
            #[serde(flatten)]
            user: &'a User,
            #[serde(skip_serializing_if = "<[Role]>::is_empty")]
            roles: &'a [Role],
            authtoken: String,
        }
        let whole = Whole { user: &user, roles: &roles, authtoken: mask(&token) };
        let want = serde_json::to_string_pretty(&whole).expect("pretty");
        let want: Vec<&str> = want.lines().collect();
        let tree = ProfileTree::new(roles);
        let raw = RawJson::build(&user, &tree, &token);
        assert_eq!(raw.len(), want.len());
        assert_eq!(raw.lines(&tree, 0, raw.len()), want);
        // Any page, starting anywhere.
        for from in 0..want.len() {
            let page = raw.lines(&tree, from, 7);
            assert_eq!(page, want[from..(from + 7).min(want.len())], "page from line {from}");
        }
        assert!(raw.lines(&tree, raw.len(), 5).is_empty());
    }

    #[test]
    fn pages_are_exactly_the_pretty_document() {
        let roles = [developer(), hostile()].map(|r| serde_json::to_value(r).expect("role"));
        check(json!({
            "uid": "u1", "email": "a@b.c", "first_name": "A", "extra_field": {"nested": [1, 2]},
            "roles": [roles[0], {"rules": [{"acl": {}}]}, {}, roles[1],
                      {"uid": "r", "rules": [{"module": "x", "n": [], "o": {}}], "zzz": true}]
        }));
        check(json!({"uid": "u1", "email": "a@b.c", "settings": {"a": []}}));
        check(json!({"uid": "u1", "email": "a@b.c", "roles": [{}]}));
    }

    #[test]
    fn roles_are_put_back_and_the_token_masked() {
        let mut user: User = serde_json::from_value(json!({
            "uid": "u1", "email": "a@b.c", "first_name": "A", "extra_field": 1,
            "roles": [{"uid": "r1", "name": "Developer"}]
        }))
        .expect("valid");
        let tree = ProfileTree::new(std::mem::take(&mut user.roles));
        let raw = RawJson::build(&user, &tree, &SecretString::from("blt0123456789abcdef"));
        let text = raw.lines(&tree, 0, raw.len()).join("\n");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(doc["roles"][0]["name"], "Developer");
        assert_eq!(doc["extra_field"], 1);
        assert_eq!(doc["authtoken"], "•••••bcdef");
        assert!(!text.contains("0123456789"));
    }
}
