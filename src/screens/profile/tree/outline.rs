//! The shape of what sits under one rule: its acl flags (with nested groups such as `sub_acl`)
//! and its target lists.
//!
//! An outline is made from the rule's tokens whenever the tree needs it (laying the rule's rows
//! out, finding a node's parents) and thrown away after: a dozen small records, quicker to make
//! than to keep for 50,000 rules. Its records are indices that point back into the rule instead
//! of copying strings; what the user did to a node lives in the tree's per-node state.
use crate::api::profile_store::Obj;

use crate::api::profile_store::RuleRef;

use crate::api::profile_store::Val;

/// "No node": the parent of a rule's top-level nodes.
pub(super) const NONE: u32 = u32::MAX;

/// What a node under a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LocalKind {
    /// A nested acl object (`sub_acl`). Only made when it holds at least one flag, so an empty
    /// group never shows as an expandable node with nothing in it.
    Group,
    /// One boolean right: allowed or not.
    Flag(bool),
    /// A target list under the key named after the module (`assets`, `content_types`). A list of
    /// exactly one item is a leaf (`assets: $all`); a longer one has a child per item.
    Targets { count: u32 },
    /// One item of a target list of two or more.
    Target,
}

/// One node under a rule. Indices are relative to the rule's first node, in depth-first order,
/// so a node's subtree is the contiguous range `self + 1 .. end`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Local {
    /// The parent's index, or [`NONE`] when the parent is the rule itself.
    pub parent: u32,
    /// One past the last index of this node's subtree.
    pub end: u32,
    /// Position of this node's key in its parent's map (acl, group, or the rule's other keys);
    /// for a [`LocalKind::Target`], the position of the item in its list.
    pub nth: u32,
    pub kind: LocalKind,
}

/// Appends the outline of `rule` to `out`, calling `text` once per node, in the same order, with
/// the node's text: a key, flag name or item, plus the item of a one-item target list.
///
/// The search index and the outlines both come from this one walk, which is what keeps a search
/// hit's position ("the 4th text of rule 17") equal to a node index.
pub(super) fn walk<'a>(
    rule: RuleRef<'a>,
    out: &mut Vec<Local>,
    mut text: impl FnMut(&'a str, Option<&'a str>),
) {
    let base = out.len();
    if let Some(acl) = rule.acl() {
        walk_acl(acl, NONE, base, out, &mut text);
    }
    for (nth, (key, value)) in rule.other().enumerate() {
        let Some(list) = value.as_array() else { continue };
        let Some(len) = list.string_count() else { continue };
        let items = list.iter().filter_map(Val::as_str);
        let idx = index(out.len() - base);
        out.push(Local {
            parent: NONE,
            end: idx + 1,
            nth: index(nth),
            kind: LocalKind::Targets { count: index(len) },
        });
        match len {
            1 => text(key, list.iter().next().and_then(Val::as_str)),
            _ => {
                text(key, None);
                for (item_nth, item) in items.enumerate() {
                    out.push(Local {
                        parent: idx,
                        end: index(out.len() - base) + 1,
                        nth: index(item_nth),
                        kind: LocalKind::Target,
                    });
                    text(item, None);
                }
                out[base + idx as usize].end = index(out.len() - base);
            }
        }
    }
}

fn walk_acl<'a>(
    map: Obj<'a>,
    parent: u32,
    base: usize,
    out: &mut Vec<Local>,
    text: &mut impl FnMut(&'a str, Option<&'a str>),
) {
    for (nth, (key, value)) in map.iter().enumerate() {
        let idx = index(out.len() - base);
        let nth = index(nth);
        if let Some(allowed) = value.as_bool() {
            out.push(Local { parent, end: idx + 1, nth, kind: LocalKind::Flag(allowed) });
            text(key, None);
        } else if let Some(inner) = value.as_object().filter(|o| has_flag(*o)) {
            out.push(Local { parent, end: idx + 1, nth, kind: LocalKind::Group });
            text(key, None);
            walk_acl(inner, idx, base, out, text);
            out[base + idx as usize].end = index(out.len() - base);
        }
        // Strings, numbers and empty objects carry no right; the raw view still shows them.
    }
}

/// Whether an acl object holds a boolean anywhere inside (the rule model's `acl_flags` rule).
fn has_flag(map: Obj<'_>) -> bool {
    map.iter().any(|(_, v)| v.as_bool().is_some() || v.as_object().is_some_and(has_flag))
}

/// Node counts fit in `u32`: a rule would need four billion targets to overflow it, more than a
/// server response can carry; saturating keeps the arithmetic total anyway.
fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE - 1)
}

/// The text of node `i` of `rule`'s outline `locals`: its key, flag name or item, and for a
/// one-item target list, the item. `None` only if the outline does not belong to this rule.
pub(super) fn texts<'a>(rule: RuleRef<'a>, locals: &[Local], i: usize) -> Option<(&'a str, Option<&'a str>)> {
    let node = locals.get(i)?;
    match node.kind {
        LocalKind::Flag(_) | LocalKind::Group => {
            let map = acl_map(rule, locals, node.parent)?;
            map.iter().nth(node.nth as usize).map(|(k, _)| (k, None))
        }
        LocalKind::Targets { count } => {
            let (key, value) = rule.other().nth(node.nth as usize)?;
            let item = if count == 1 { value.as_array()?.iter().next().and_then(Val::as_str) } else { None };
            Some((key, item))
        }
        LocalKind::Target => {
            let list = locals.get(node.parent as usize)?;
            let (_, value) = rule.other().nth(list.nth as usize)?;
            Some((value.as_array()?.iter().nth(node.nth as usize)?.as_str()?, None))
        }
    }
}

/// The acl object a group node stands for (`NONE`: the rule's top-level acl).
fn acl_map<'a>(rule: RuleRef<'a>, locals: &[Local], group: u32) -> Option<Obj<'a>> {
    if group == NONE {
        return rule.acl();
    }
    let node = locals.get(group as usize)?;
    let parent = acl_map(rule, locals, node.parent)?;
    parent.iter().nth(node.nth as usize)?.1.as_object()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::Rule;
    use crate::api::profile_store::RuleStore;

    fn store(rules: &[serde_json::Value]) -> RuleStore {
        let rules: Vec<Rule> =
            rules.iter().map(|v| serde_json::from_value(v.clone()).expect("valid rule")).collect();
        RuleStore::from_rules(rules)
    }

    #[test]
    fn outline_follows_acl_then_targets() {
        let s = store(&[serde_json::json!({
            "module": "entry",
            "acl": {"read": true, "empty": {}, "note": "x", "sub_acl": {"publish": false, "deep": {"x": true}}},
            "content_types": ["a", "b", "c"], "locales": ["$all"], "restrict": true, "none": []
        })]);
        let r = s.rule(0).expect("rule");
        let mut out = Vec::new();
        let mut seen = Vec::new();
        walk(r, &mut out, |a, b| {
            seen.push(format!("{a}{}", b.map(|b| format!(": {b}")).unwrap_or_default()))
        });
        assert_eq!(
            seen,
            [
                "read",
                "sub_acl",
                "publish",
                "deep",
                "x",
                "content_types",
                "a",
                "b",
                "c",
                "locales: $all",
                "none"
            ]
        );
        assert_eq!(out.len(), seen.len());
        // sub_acl spans publish, deep and x; deep spans x.
        assert_eq!((out[1].kind, out[1].end), (LocalKind::Group, 5));
        assert_eq!((out[3].parent, out[3].end), (1, 5));
        assert_eq!(out[4].kind, LocalKind::Flag(true));
        assert_eq!(out[5].kind, LocalKind::Targets { count: 3 });
        assert_eq!((out[5].end, out[8].parent), (9, 5));
        assert_eq!(out[10].kind, LocalKind::Targets { count: 0 });
        for (i, want) in seen.iter().enumerate() {
            let (a, b) = texts(r, &out, i).expect("text of every node");
            assert_eq!(&format!("{a}{}", b.map(|b| format!(": {b}")).unwrap_or_default()), want);
        }
    }

    #[test]
    fn outlines_of_several_rules_share_the_arena() {
        let s = store(&[
            serde_json::json!({"acl": {"read": true}}),
            serde_json::json!({"acl": {"x": {"y": false}}}),
        ]);
        let (a, b) = (s.rule(0).expect("rule"), s.rule(1).expect("rule"));
        let mut out = Vec::new();
        walk(a, &mut out, |_, _| {});
        walk(b, &mut out, |_, _| {});
        // b's nodes are numbered from b's own start.
        assert_eq!((out[1].parent, out[1].end, out[2].parent, out[2].end), (NONE, 2, 0, 2));
        assert_eq!(texts(b, &out[1..], 1), Some(("y", None)));
    }
}
