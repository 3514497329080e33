//! What a row says: labels built on demand, only for the rows being drawn, from the roles the
//! tree owns. Nothing is formatted ahead of time, so a 50,000-rule profile costs no label strings
//! until they scroll into view.

use crate::screens::profile::tree::outline;
use std::borrow::Cow;

use crate::api::profile_store::RuleRef;
use crate::screens::profile::tree::Node;
use crate::screens::profile::tree::ProfileTree;
use crate::screens::profile::tree::outline::LocalKind;

/// What kind of node a row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// An organisation's header: its name and how many of the user's stacks it holds.
    Organisation,
    /// A stack's header: its name and API key, and how many of the user's roles it holds.
    Stack,
    /// A role: name, number of users, description (its stack is the header above it).
    Role,
    /// A rule of a role: module and a one-line summary.
    Rule,
    /// A nested acl object such as `sub_acl`, holding its own flags.
    Group,
    /// One right, allowed or not.
    Flag { allowed: bool },
    /// A target list: `assets: $all`, or `content_types (3)` with one child per uid.
    Targets,
    /// One item of a target list.
    Target,
}

/// How a piece of a row's text should look; the widget maps it to a theme style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// A role's name.
    Heading,
    /// Ordinary text: module, flag and target names.
    Plain,
    /// Secondary text: api key, user count, description, a rule's summary.
    Detail,
    /// The `✓` of an allowed right.
    Granted,
    /// The `✗` of a right not allowed.
    Denied,
}

/// One styled piece of a row's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPart<'a> {
    pub text: Cow<'a, str>,
    pub tone: Tone,
}

/// Everything needed to draw one visible row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowView<'a> {
    /// 0 for roles, 1 for rules, 2 and more under a rule.
    pub depth: usize,
    pub kind: RowKind,
    /// Has children that can be shown (in a filter: children that match, or all of them under
    /// a row that matches itself).
    pub expandable: bool,
    pub expanded: bool,
    /// This row's own text matches the filter (not just one of its descendants).
    pub matched: bool,
    pub parts: Vec<TextPart<'a>>,
}

impl RowView<'_> {
    /// The row's text as one string, without markers or indentation.
    pub fn text(&self) -> String {
        self.parts.iter().map(|p| p.text.as_ref()).collect()
    }
}

fn part<'a>(text: impl Into<Cow<'a, str>>, tone: Tone) -> TextPart<'a> {
    TextPart { text: text.into(), tone }
}

/// The name a role called `name` is shown under.
pub fn role_display_name(name: Option<&str>) -> &str {
    match name {
        Some(name) if !name.trim().is_empty() => name,
        _ => "(unnamed role)",
    }
}

/// `create read update delete publish · assets: $all`: the allowed rights (nested ones as
/// `sub_acl.publish`) and the targets, so a collapsed rule still says what it grants.
pub(crate) fn rule_summary(rule: RuleRef<'_>) -> String {
    let flags = rule.acl_flags();
    let allowed: Vec<String> =
        flags.iter().filter(|(_, allowed)| *allowed).map(|(path, _)| path.join(".")).collect();
    let mut out = match (allowed.is_empty(), flags.is_empty()) {
        (false, _) => allowed.join(" "),
        (true, true) => "no rights".to_string(),
        (true, false) => "nothing allowed".to_string(),
    };
    for (key, items) in rule.targets() {
        out.push_str(" · ");
        out.push_str(&targets_label(key, &items));
    }
    out
}

/// `assets: $all` for one item, `content_types (3)` otherwise.
pub(super) fn targets_label(key: &str, items: &[&str]) -> String {
    match items {
        [one] => format!("{key}: {one}"),
        _ => format!("{key} ({})", items.len()),
    }
}

impl ProfileTree {
    /// The pieces of `node`'s label, and its kind. `None` if the node is not in the data (never
    /// for a visible row: rows are only made from nodes that exist).
    pub(super) fn describe(&self, node: Node) -> Option<(RowKind, Vec<TextPart<'_>>)> {
        if node.is_header() {
            return self.describe_header(node);
        }
        let role = self.rules.role(node.role as usize)?;
        let Some(j) = node.rule_index() else {
            // Its stack is the header above it (see `headers`).
            let mut parts = vec![part(role_display_name(role.name()), Tone::Heading)];
            let n = role.users();
            parts.push(part(format!(" · {n} user{}", if n == 1 { "" } else { "s" }), Tone::Detail));
            if let Some(desc) = role.description().filter(|d| !d.trim().is_empty()) {
                parts.push(part(format!(" · {desc}"), Tone::Detail));
            }
            return Some((RowKind::Role, parts));
        };
        let rule = self.rules.rule(self.global(node.role, j))?;
        let Some(i) = node.local_index() else {
            let parts = vec![
                part(rule.module_name(), Tone::Plain),
                part(format!(" · {}", rule_summary(rule)), Tone::Detail),
            ];
            return Some((RowKind::Rule, parts));
        };
        let mut locals = Vec::new();
        outline::walk(rule, &mut locals, |_, _| {});
        let kind = locals.get(i as usize)?.kind;
        let (text, item) = outline::texts(rule, &locals, i as usize)?;
        Some(match kind {
            LocalKind::Group => (RowKind::Group, vec![part(text, Tone::Plain)]),
            LocalKind::Flag(allowed) => {
                let mark = if allowed { part("✓", Tone::Granted) } else { part("✗", Tone::Denied) };
                (RowKind::Flag { allowed }, vec![mark, part(format!(" {text}"), Tone::Plain)])
            }
            LocalKind::Targets { count } => {
                let label = match item {
                    Some(item) => format!("{text}: {item}"),
                    None => format!("{text} ({count})"),
                };
                (RowKind::Targets, vec![part(label, Tone::Plain)])
            }
            LocalKind::Target => (RowKind::Target, vec![part(text, Tone::Plain)]),
        })
    }

    /// A short label for breadcrumbs: the role's name, the rule's module, `✓ create`, ...
    pub(super) fn short_label(&self, node: Node) -> String {
        let Some((kind, parts)) = self.describe(node) else { return String::new() };
        match kind {
            RowKind::Organisation | RowKind::Stack => self.header_short_label(node),
            RowKind::Role | RowKind::Rule => {
                parts.into_iter().next().map(|p| p.text.into_owned()).unwrap_or_default()
            }
            _ => parts.iter().map(|p| p.text.as_ref()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::Rule;
    use crate::api::profile_store::RuleStore;

    #[test]
    fn summaries_say_what_a_rule_grants() {
        let rules: Vec<Rule> = serde_json::from_value(serde_json::json!([
            {"module": "entry", "acl": {"read": true, "delete": false, "sub_acl": {"publish": true}},
             "content_types": ["a", "b", "c"], "locales": ["$all"]},
            {"acl": {"read": false}},
            {}
        ]))
        .expect("valid rules");
        let store = RuleStore::from_rules(rules);
        let summary = |g| rule_summary(store.rule(g).expect("rule"));
        assert_eq!(summary(0), "read sub_acl.publish · content_types (3) · locales: $all");
        assert_eq!(summary(1), "nothing allowed");
        assert_eq!(summary(2), "no rights");
    }
}
