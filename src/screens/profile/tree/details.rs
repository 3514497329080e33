//! The details of the selected node: a row holds one line, cut at the screen's edge; this holds
//! everything the node says (a role's whole description, every target of a list, the full path
//! of a nested right). Made for the one selected node, on demand.
use crate::screens::profile::tree::label::role_display_name;

use crate::api::profile_store::RuleRef;
use crate::api::profile_store::Val;
use crate::screens::profile::details::Details;
use crate::screens::profile::tree::Node;
use crate::screens::profile::tree::ProfileTree;
use crate::screens::profile::tree::label::rule_summary;
use crate::screens::profile::tree::outline;
use crate::screens::profile::tree::outline::Local;
use crate::screens::profile::tree::outline::LocalKind;
use crate::screens::profile::tree::outline::NONE;

impl ProfileTree {
    /// The details of the selected row (`None` when there is none).
    pub fn selected_details(&self) -> Option<Details> {
        self.details(self.selected_node()?)
    }

    fn details(&self, node: Node) -> Option<Details> {
        if node.is_header() {
            return self.header_details(node);
        }
        let role = self.rules.role(node.role as usize)?;
        let role_name = role_display_name(role.name());
        let Some(j) = node.rule_index() else {
            let rules = self
                .rule_range(node.role as usize)
                .filter_map(|g| self.rules.rule(g))
                .map(|rule| format!("{} · {}", rule.module_name(), rule_summary(rule)))
                .collect();
            let users = role.users();
            return Some(
                Details::new("Role")
                    .field("Name", role_name)
                    .maybe("Description", role.description())
                    .maybe("Stack", role.api_key().and_then(|k| self.stack_name(k)))
                    .maybe("Stack API key", role.api_key())
                    .field("Users", format!("{users} user{}", if users == 1 { "" } else { "s" }))
                    .maybe("UID", role.uid())
                    .list("Rules", rules),
            );
        };
        let rule = self.rules.rule(self.global(node.role, j))?;
        let Some(i) = node.local_index() else {
            let (allowed, denied) = flag_lists(rule.acl_flags().into_iter().map(|(p, ok)| (p.join("."), ok)));
            let targets = rule.targets().map(|(key, items)| format!("{key}: {}", items.join(", "))).collect();
            return Some(
                Details::new("Rule")
                    .field("Role", role_name)
                    .field("Module", rule.module_name())
                    .list("Allowed", allowed)
                    .list("Not allowed", denied)
                    .list("Targets", targets),
            );
        };
        let mut locals = Vec::new();
        outline::walk(rule, &mut locals, |_, _| {});
        let i = i as usize;
        let local = *locals.get(i)?;
        let base = |title| Details::new(title).field("Role", role_name).field("Module", rule.module_name());
        Some(match local.kind {
            LocalKind::Group => {
                let end = (local.end as usize).min(locals.len());
                let prefix = path(rule, &locals, i)?;
                let flags = (i + 1..end).filter_map(|k| match locals[k].kind {
                    LocalKind::Flag(allowed) => Some((path(rule, &locals, k)?, allowed)),
                    _ => None,
                });
                let (allowed, denied) = flag_lists(flags.map(|(p, allowed)| {
                    let rest = p.strip_prefix(&format!("{prefix}.")).map(str::to_string).unwrap_or(p);
                    (rest, allowed)
                }));
                base("Group of rights")
                    .field("Group", prefix)
                    .list("Allowed", allowed)
                    .list("Not allowed", denied)
            }
            LocalKind::Flag(allowed) => base("Right")
                .field("Right", path(rule, &locals, i)?)
                .field("Allowed", if allowed { "✓ yes" } else { "✗ no" }),
            LocalKind::Targets { .. } => {
                let (key, items) = target_list(rule, local)?;
                let count = items.len();
                base("Target list")
                    .field("List", format!("{key} ({count} item{})", if count == 1 { "" } else { "s" }))
                    .list("Items", items.into_iter().map(str::to_string).collect())
            }
            LocalKind::Target => {
                let list = *locals.get(local.parent as usize)?;
                let (key, _) = target_list(rule, list)?;
                let (item, _) = outline::texts(rule, &locals, i)?;
                base("Target").field("List", key).field("Item", item)
            }
        })
    }
}

/// The allowed and the refused rights among `flags` (by path).
fn flag_lists(flags: impl Iterator<Item = (String, bool)>) -> (Vec<String>, Vec<String>) {
    let (mut allowed, mut denied) = (Vec::new(), Vec::new());
    for (path, ok) in flags {
        if ok { allowed.push(path) } else { denied.push(path) }
    }
    (allowed, denied)
}

/// The acl path of node `i` (`sub_acl.publish`): its own text after its groups'.
fn path(rule: RuleRef<'_>, locals: &[Local], i: usize) -> Option<String> {
    let mut parts = Vec::new();
    let mut k = i;
    loop {
        let (text, _) = outline::texts(rule, locals, k)?;
        parts.push(text);
        let parent = locals.get(k)?.parent;
        if parent == NONE {
            break;
        }
        k = parent as usize;
    }
    parts.reverse();
    Some(parts.join("."))
}

/// The key and every item of the target list `list` stands for.
fn target_list<'a>(rule: RuleRef<'a>, list: Local) -> Option<(&'a str, Vec<&'a str>)> {
    let (key, value) = rule.other().nth(list.nth as usize)?;
    Some((key, value.as_array()?.iter().filter_map(Val::as_str).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screens::profile::tree::Rows;
    use crate::screens::profile::tree::fixtures::developer;
    use crate::screens::profile::tree::fixtures::hostile;

    fn select_text(t: &mut ProfileTree, text: &str) {
        t.expand_all();
        let i = (0..t.len()).find(|&i| t.row(i).is_some_and(|r| r.text() == text));
        t.select(i.unwrap_or_else(|| panic!("no row {text:?}")));
    }

    #[test]
    fn a_role_shows_its_whole_description_and_every_rule() {
        let mut t = ProfileTree::new(vec![developer()]);
        // Its stack's header, then the role.
        t.select(0);
        let d = t.selected_details().expect("details");
        assert_eq!((d.title, d.value("Stack API key").as_deref()), ("Stack", Some("blt444ad44e4d44aa4a")));
        assert_eq!(d.value("Your roles").as_deref(), Some("Developer"));
        t.select(1);
        let d = t.selected_details().expect("details");
        assert_eq!(d.title, "Role");
        assert_eq!(d.value("Name").as_deref(), Some("Developer"));
        let desc = d.value("Description").expect("description");
        assert!(desc.ends_with("languages, and environments."), "{desc}");
        assert_eq!(d.value("Users").as_deref(), Some("3 users"));
        assert_eq!(
            d.value("Rules").as_deref(),
            Some(
                "locale · read · locales: $all\nenvironment · read · environments: $all\n\
                 asset · create read update delete publish · assets: $all"
            )
        );
    }

    #[test]
    fn rules_rights_and_targets_say_everything() {
        let mut t = ProfileTree::new(vec![hostile()]);
        select_text(&mut t, "✗ publish");
        let d = t.selected_details().expect("details");
        assert_eq!((d.title, d.value("Right").as_deref()), ("Right", Some("sub_acl.publish")));
        assert_eq!(d.value("Allowed").as_deref(), Some("✗ no"));
        select_text(&mut t, "sub_acl");
        let d = t.selected_details().expect("details");
        assert_eq!(d.value("Allowed").as_deref(), Some("削除"));
        assert_eq!(d.value("Not allowed").as_deref(), Some("publish"));
        select_text(&mut t, "content_types (3)");
        let d = t.selected_details().expect("details");
        assert_eq!(d.value("List").as_deref(), Some("content_types (3 items)"));
        assert_eq!(d.value("Items").map(|v| v.lines().count()), Some(3));
        select_text(&mut t, "plain");
        let d = t.selected_details().expect("details");
        assert_eq!(
            (d.value("List").as_deref(), d.value("Item").as_deref()),
            (Some("content_types"), Some("plain"))
        );
        t.select(2);
        let d = t.selected_details().expect("details");
        assert_eq!(d.title, "Rule");
        assert_eq!(d.value("Allowed").as_deref(), Some("read\nsub_acl.削除"));
        assert_eq!(d.value("Not allowed").as_deref(), Some("sub_acl.publish"));
        assert!(d.value("Targets").is_some_and(|v| v.starts_with("content_types: ct_日本語_uid, ")));
    }
}
