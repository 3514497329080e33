//! Roles grouped by organisation and stack: the tree's top levels.
//!
//! In Contentstack a role belongs to one stack (its `api_key`) and a stack to one organisation,
//! so the tree reads Organisation → Stack → Role. A role names its stack only by API key; which
//! stack that is (its name) and which organisation holds it come from the stacks call that
//! follows the profile (a [`Directory`]). Until it answers, or when it failed, roles are grouped
//! by API key alone ("Stack blt…"), with no organisation level; a role whose stack the call did
//! not return stays under its key, never hidden.
//!
//! Grouping needs a stack's roles side by side, so the tree's store is put in group order (only
//! its index vectors move: see `RuleStore::reorder`); a group is then a run of roles, and a
//! header's node is the group's first role with a lower `head`, which keeps rows in node order.

use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::api::profile_store::RuleStore;

/// What the stacks call said of a stack: its name and its organisation's uid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StackEntry {
    pub name: Option<String>,
    pub org: Option<String>,
}

/// What is known of the roles' stacks and organisations (empty until the stacks call answers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directory {
    /// By API key.
    pub stacks: FxHashMap<String, StackEntry>,
    /// Organisation names by uid (from the user's organisations).
    pub orgs: FxHashMap<String, String>,
}

impl Directory {
    /// The name of the stack with API key `key`, once known.
    pub fn stack_name(&self, key: &str) -> Option<&str> {
        self.stacks.get(key)?.name.as_deref()
    }

    fn org_of(&self, key: &str) -> Option<&str> {
        self.stacks.get(key)?.org.as_deref().filter(|o| !o.is_empty())
    }
}

/// One stack's run of roles.
#[derive(Debug, Clone)]
pub(super) struct StackGroup {
    pub roles: Range<u32>,
    /// Its organisation group (0 without an organisation level).
    pub org: u32,
    /// The API key ("" for roles that name no stack).
    pub key: String,
}

/// One organisation's run of stacks (and so of roles).
#[derive(Debug, Clone)]
pub(super) struct OrgGroup {
    pub roles: Range<u32>,
    pub stacks: Range<u32>,
    /// The organisation's uid ("" for stacks whose organisation is not known).
    pub uid: String,
}

/// The groups of a tree's roles, which are in group order.
#[derive(Debug, Clone, Default)]
pub(super) struct Groups {
    /// Per role: its stack group.
    pub stack_of: Vec<u32>,
    pub stacks: Vec<StackGroup>,
    /// Empty when no stack's organisation is known: the tree then starts at the stacks.
    pub orgs: Vec<OrgGroup>,
}

/// Where a group sorts: organisations by name (unknown last), stacks by name within their
/// organisation (unnamed ones by key, then roles naming no stack), the first role's position
/// breaking ties so that unnamed stacks keep the server's order.
fn stack_rank<'a>(
    dir: &'a Directory,
    key: &'a str,
    first: usize,
) -> (bool, String, String, bool, String, usize) {
    let org = dir.org_of(key);
    let org_name = org.map(|o| dir.orgs.get(o).map_or_else(|| o.to_lowercase(), |n| n.to_lowercase()));
    let name = dir.stack_name(key).filter(|n| !n.trim().is_empty());
    (
        org.is_none(),
        org_name.unwrap_or_default(),
        org.unwrap_or_default().to_string(),
        key.is_empty(),
        name.map(str::to_lowercase).unwrap_or_default(),
        // Named stacks by name; the others keep where their first role was.
        if name.is_some() { 0 } else { first },
    )
}

impl Groups {
    /// Puts `store`'s roles in group order (stable: a stack's roles keep the server's order)
    /// and returns their groups.
    pub fn arrange(store: &mut RuleStore, dir: &Directory) -> Groups {
        let n = store.role_count();
        let keys: Vec<String> =
            (0..n).map(|r| store.role(r).and_then(|role| role.api_key()).unwrap_or("").to_string()).collect();
        // Each stack's first role, in the current order.
        let mut first: FxHashMap<&str, usize> = FxHashMap::default();
        for (r, key) in keys.iter().enumerate() {
            first.entry(key.as_str()).or_insert(r);
        }
        let mut stacks: Vec<&str> = first.keys().copied().collect();
        stacks.sort_by_cached_key(|k| (stack_rank(dir, k, first[k]), first[k]));
        let rank: FxHashMap<&str, u32> = stacks.iter().enumerate().map(|(i, k)| (*k, i as u32)).collect();
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&r| rank[keys[r as usize].as_str()]);
        store.reorder(&order);

        let mut groups = Groups { stack_of: Vec::with_capacity(n), ..Groups::default() };
        let org_level = stacks.iter().any(|k| dir.org_of(k).is_some());
        let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
        for key in &keys {
            *counts.entry(key.as_str()).or_default() += 1;
        }
        let mut at = 0u32;
        for key in stacks {
            let count = counts.get(key).copied().unwrap_or(0);
            let org_uid = dir.org_of(key).unwrap_or("");
            if org_level && groups.orgs.last().is_none_or(|o| o.uid != org_uid) {
                let s = groups.stacks.len() as u32;
                groups.orgs.push(OrgGroup { roles: at..at, stacks: s..s, uid: org_uid.to_string() });
            }
            let org = groups.orgs.len().saturating_sub(1) as u32;
            if let Some(o) = groups.orgs.last_mut() {
                o.roles.end = at + count;
                o.stacks.end += 1;
            }
            let s = groups.stacks.len() as u32;
            groups.stack_of.extend(std::iter::repeat_n(s, count as usize));
            groups.stacks.push(StackGroup { roles: at..at + count, org, key: key.to_string() });
            at += count;
        }
        groups
    }

    /// Whether the tree has an organisation level.
    pub fn org_level(&self) -> bool {
        !self.orgs.is_empty()
    }

    /// The depth of the roles' rows: below the organisation and stack headers.
    pub fn role_depth(&self) -> u16 {
        if self.org_level() { 2 } else { 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::Role;

    fn store(keys: &[&str]) -> RuleStore {
        let roles: Vec<Role> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                serde_json::from_value(
                    serde_json::json!({"uid": format!("r{i}"), "name": format!("R{i}"), "api_key": k}),
                )
                .expect("role")
            })
            .collect();
        roles.into()
    }

    fn uids(store: &RuleStore) -> Vec<String> {
        store.roles().map(|r| r.uid().unwrap_or("").to_string()).collect()
    }

    #[test]
    fn without_names_stacks_keep_the_servers_order_and_roles_stay_in_theirs() {
        let mut s = store(&["b", "a", "b", "", "a"]);
        let g = Groups::arrange(&mut s, &Directory::default());
        assert_eq!(uids(&s), ["r0", "r2", "r1", "r4", "r3"]);
        assert!(!g.org_level());
        let keys: Vec<_> = g.stacks.iter().map(|s| (s.key.as_str(), s.roles.clone())).collect();
        assert_eq!(keys, [("b", 0..2), ("a", 2..4), ("", 4..5)]);
        // The server's order is still what the raw view reads.
        let served: Vec<_> = (0..5).filter_map(|i| s.served_role(i)?.uid().map(str::to_string)).collect();
        assert_eq!(served, ["r0", "r1", "r2", "r3", "r4"]);
    }

    #[test]
    fn known_stacks_group_by_organisation_then_name() {
        let mut s = store(&["k1", "k2", "k3", "k9"]);
        let mut dir = Directory::default();
        let entry = |name: &str, org: &str| StackEntry { name: Some(name.into()), org: Some(org.into()) };
        dir.stacks.insert("k1".into(), entry("Website", "o2"));
        dir.stacks.insert("k2".into(), entry("Catalogue", "o1"));
        dir.stacks.insert("k3".into(), entry("Blog", "o2"));
        dir.orgs.insert("o1".into(), "Zeta".into());
        dir.orgs.insert("o2".into(), "Acme".into());
        let g = Groups::arrange(&mut s, &dir);
        // Acme (Blog, Website), Zeta (Catalogue), then the stack nobody listed.
        assert_eq!(uids(&s), ["r2", "r0", "r1", "r3"]);
        let orgs: Vec<_> = g.orgs.iter().map(|o| (o.uid.as_str(), o.stacks.clone())).collect();
        assert_eq!(orgs, [("o2", 0..2), ("o1", 2..3), ("", 3..4)]);
        assert_eq!(g.stacks[g.stack_of[3] as usize].key, "k9");
        assert_eq!(g.role_depth(), 2);
    }
}
