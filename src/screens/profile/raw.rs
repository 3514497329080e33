//! The whole profile as pretty JSON, for the Raw tab.
//!
//! A 1,000-role × 50-rule profile is about 650,000 lines (20 MB) of pretty JSON, and the tab shows
//! one screenful of it. So nothing but the small parts is kept as text: the user's own fields
//! before the roles (`head`), the token after them (`tail`), and the number of lines each role
//! takes, counted from the tree's store without printing it. A page prints the one or two
//! roles it shows, on the fly, in tens of microseconds; building all of this takes a few
//! milliseconds instead of the 80 that printing everything took, and no memory to speak of.
//!
//! The text is exactly what `serde_json::to_string_pretty` gives for the user with its roles put
//! back (see the tests): the store keeps roles in the `Role` model's field order.
//! Strings were sanitised on arrival and serde_json escapes control characters, so every line is
//! safe to show. The authtoken is shown masked.

use crate::api::{Credential, User};
use crate::screens::profile::Scroll;
use crate::screens::profile::tree::ProfileTree;
use serde::Serialize;
use unicode_width::UnicodeWidthChar;

mod search;

pub use search::RawSearch;

/// The top-level document: the user's fields, then `roles` and the masked token.
#[derive(Serialize)]
struct Document<'a, R: Serialize> {
    #[serde(flatten)]
    user: &'a User,
    roles: R,
    /// The session's authtoken, masked; a browser sign-in shows its access token instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    authtoken: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_token: Option<String>,
}

/// What `roles` is printed as in [`Document`] while the head and tail are made: `[]`, whose line
/// marks where the roles go.
const ROLES_MARK: &str = "  \"roles\": [],";

/// The Raw tab's state.
#[derive(Debug, Default)]
pub struct RawTab {
    /// The whole profile as pretty JSON, the token masked: built the first time the tab shows
    /// (most sessions never open it, and a very large profile takes a moment).
    pub json: Option<RawJson>,
    /// The first line shown.
    pub scroll: Scroll,
    /// The first column shown (in cells) when lines are not wrapped.
    pub column: usize,
    /// Whether long lines wrap instead of being cut.
    pub wrap: bool,
    /// The filter searched for in the JSON.
    pub search: RawSearch,
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
    pub fn build(user: &User, tree: &ProfileTree, token: &Credential) -> RawJson {
        let masked = Some(token.masked());
        let (authtoken, access_token) = if token.is_oauth() { (None, masked) } else { (masked, None) };
        let doc = Document { user, roles: [(); 0], authtoken, access_token };
        let text = match serde_json::to_string_pretty(&doc) {
            Ok(text) => text,
            Err(e) => return RawJson::message(format!("(the profile could not be shown as JSON: {e})")),
        };
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let roles = tree.role_count();
        let mark = lines.iter().position(|l| l == ROLES_MARK);
        let (Some(mark), false) = (mark, roles == 0) else {
            // No roles: the document as the model prints it, without the empty list.
            let head = lines.into_iter().filter(|l| l != ROLES_MARK).collect();
            return RawJson { head, tail: Vec::new(), role_start: vec![0] };
        };
        let mut head = lines;
        let mut tail = head.split_off(mark + 1);
        head[mark] = "  \"roles\": [".into();
        tail.insert(0, "  ],".into());
        let mut role_start = Vec::with_capacity(roles + 1);
        let mut total = 0;
        for r in 0..roles {
            role_start.push(total);
            total += tree.rule_store().served_role(r).map_or(0, |role| role.as_val().pretty_lines());
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

impl RawJson {
    /// How many lines from `top` fill `rows` screen rows (at least one while lines remain):
    /// one row each, or as many as each takes wrapped at `wrap` cells.
    pub fn lines_fitting(&self, tree: &ProfileTree, top: usize, rows: usize, wrap: Option<usize>) -> usize {
        let left = self.len().saturating_sub(top);
        let Some(width) = wrap else { return rows.min(left) };
        let (mut used, mut n) = (0, 0);
        for line in self.lines(tree, top, rows.min(left)) {
            used += wrapped_rows(&line, width).len();
            if used > rows && n > 0 {
                break;
            }
            n += 1;
        }
        n
    }

    /// The first line of the page that ends with line `end - 1` at the bottom of `rows` rows
    /// (at `end == len`: the top of the last page).
    pub fn top_for_end(&self, tree: &ProfileTree, end: usize, rows: usize, wrap: Option<usize>) -> usize {
        let end = end.min(self.len());
        let from = end.saturating_sub(rows.max(1));
        let Some(width) = wrap else { return from };
        let lines = self.lines(tree, from, end - from);
        let mut used = 0;
        let mut top = end;
        for line in lines.iter().rev() {
            used += wrapped_rows(line, width).len();
            if used > rows && top < end {
                break;
            }
            top -= 1;
        }
        top
    }

    /// The widest of lines `top..top + n`, in cells.
    pub fn widest(&self, tree: &ProfileTree, top: usize, n: usize) -> usize {
        self.lines(tree, top, n)
            .iter()
            .map(|l| unicode_width::UnicodeWidthStr::width(l.as_str()))
            .max()
            .unwrap_or(0)
    }
}

/// The width of the Raw tab's line-number column: the last line number's digits and a space.
pub fn gutter_width(len: usize) -> usize {
    len.max(1).to_string().len() + 1
}

/// `line` cut into rows of at most `width` cells (byte ranges; one empty row for an empty
/// line). A zero-width character stays with the one before it; a wide one that would straddle
/// the edge starts the next row.
pub fn wrapped_rows(line: &str, width: usize) -> Vec<std::ops::Range<usize>> {
    let width = width.max(2);
    let mut rows = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, c) in line.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width && i > start {
            rows.push(start..i);
            (start, used) = (i, 0);
        }
        used += w;
    }
    rows.push(start..line.len());
    rows
}

/// Role `r` as it sits in the document: indented by four, with a comma unless it is the last.
fn role_text(tree: &ProfileTree, r: usize, last: bool) -> String {
    let Some(role) = tree.rule_store().served_role(r) else { return String::new() };
    let pretty =
        serde_json::to_string_pretty(&role.as_val()).unwrap_or_else(|e| format!("\"(role {r}: {e})\""));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Role;
    use secrecy::SecretString;

    #[test]
    fn wrapping_keeps_every_character_and_the_width() {
        assert_eq!(wrapped_rows("", 10), vec![0..0]);
        assert_eq!(wrapped_rows("abcdef", 4), vec![0..4, 4..6]);
        // 日 is two cells: it does not straddle the edge.
        assert_eq!(wrapped_rows("ab日cd", 3), vec![0..2, 2..6, 6..7]);
        // A combining accent stays with its letter.
        assert_eq!(wrapped_rows("abe\u{301}d", 3), vec![0..5, 5..6]);
    }

    #[test]
    fn pages_fit_wrapped_lines() {
        let mut user: User = serde_json::from_value(json!({
            "uid": "u1", "email": "a@b.c", "first_name": "x".repeat(50),
            "roles": [{"uid": "r1", "name": "Developer"}]
        }))
        .expect("valid");
        let tree = ProfileTree::new(std::mem::take(&mut user.roles));
        let raw =
            RawJson::build(&user, &tree, &Credential::Authtoken(SecretString::from("blt0123456789abcdef")));
        // Line 3 is `  "first_name": "xxx…"` (69 cells): 4 rows of 20.
        assert_eq!(raw.lines_fitting(&tree, 0, 6, None), 6);
        assert_eq!(raw.lines_fitting(&tree, 0, 6, Some(20)), 3, "{:?}", raw.lines(&tree, 0, 6));
        assert_eq!(raw.lines_fitting(&tree, 3, 2, Some(20)), 1, "a line taller than the page still shows");
        let len = raw.len();
        assert_eq!(raw.top_for_end(&tree, len, 5, None), len - 5);
        assert_eq!(raw.top_for_end(&tree, 4, 5, Some(20)), 2);
        assert_eq!(raw.widest(&tree, 0, len), 69);
    }
    use crate::screens::profile::tree::fixtures::developer;
    use crate::screens::profile::tree::fixtures::hostile;
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
        let whole = Whole { user: &user, roles: &roles, authtoken: crate::api::mask(&token) };
        let want = serde_json::to_string_pretty(&whole).expect("pretty");
        let want: Vec<&str> = want.lines().collect();
        let tree = ProfileTree::new(roles);
        let raw = RawJson::build(&user, &tree, &Credential::Authtoken(token.clone()));
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
        let raw =
            RawJson::build(&user, &tree, &Credential::Authtoken(SecretString::from("blt0123456789abcdef")));
        let text = raw.lines(&tree, 0, raw.len()).join("\n");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(doc["roles"][0]["name"], "Developer");
        assert_eq!(doc["extra_field"], 1);
        assert_eq!(doc["authtoken"], "•••••bcdef");
        assert!(!text.contains("0123456789"));
    }
}
