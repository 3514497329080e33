//! What survives a refresh: expanded nodes, the selection, the scroll offset and the filter.
//!
//! Node ids are indices into the old data, which a refresh may reorder, so before the data is
//! replaced every open node and the selection are turned into stable keys: the role's uid (its
//! position when it has none), the rule's position in the role, and a hash of the node's path
//! inside the rule (`acl/sub_acl/publish`, `targets/content_types/blt1`: by uid, not position).
//! After the swap the keys are looked up in the new data; whatever no longer exists is dropped.
//!
//! Keys are integers apart from one string per role, so keeping an expand-all of 50,000 rules
//! does not allocate a string per node.

use crate::screens::profile::tree::Rows;
use crate::screens::profile::tree::outline;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::screens::profile::tree::outline::LocalKind;

use crate::api::profile_store::RoleRef;
use crate::api::profile_store::RuleRef;
use crate::screens::profile::tree::Cursor;
use crate::screens::profile::tree::Directory;
use crate::screens::profile::tree::FILTERED;
use crate::screens::profile::tree::NORMAL;
use crate::screens::profile::tree::Node;
use crate::screens::profile::tree::ProfileTree;
use crate::screens::profile::tree::layout::mode_bit;
use crate::screens::profile::tree::outline::NONE;

/// A node by stable identity: old role index (see `Saved::role_keys`), rule index, path hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    role: u32,
    rule: Option<u32>,
    path: Option<u64>,
}

struct Saved {
    /// The stable key of each old role, by old index.
    role_keys: Vec<String>,
    /// Closed groups, per mode, by head and key (see [`ProfileTree::group_key`]).
    closed: [Vec<(u8, String)>; 2],
    /// The selected row, when it is a group's header.
    selected_header: Option<(u8, String)>,
    /// Open nodes, per mode.
    open: [Vec<Key>; 2],
    /// The selected node, then its ancestors: the first that still exists is selected.
    selected: Vec<Key>,
    cursor: Cursor,
    filter: String,
}

fn role_key(role: Option<RoleRef<'_>>, r: usize) -> String {
    match role.and_then(RoleRef::uid) {
        Some(uid) if !uid.is_empty() => format!("uid:{uid}"),
        _ => format!("#{r}"),
    }
}

/// The path hash of every node of `rule`'s outline, in outline order: each hashes its parent's
/// hash and its own text, and top-level nodes start from "acl" or "targets".
fn path_hashes(rule: RuleRef<'_>) -> Vec<u64> {
    let mut locals = Vec::new();
    let mut texts = Vec::new();
    outline::walk(rule, &mut locals, |text, _| texts.push(text));
    let mut hashes: Vec<u64> = Vec::with_capacity(locals.len());
    for (l, text) in locals.iter().zip(texts) {
        let mut h = DefaultHasher::new();
        match hashes.get(l.parent as usize) {
            Some(parent) => parent.hash(&mut h),
            None if l.parent == NONE && matches!(l.kind, LocalKind::Targets { .. }) => "targets".hash(&mut h),
            None => "acl".hash(&mut h),
        }
        text.hash(&mut h);
        hashes.push(h.finish());
    }
    hashes
}

impl ProfileTree {
    /// Replaces the data after a refresh, keeping what was expanded, the selection (or its
    /// nearest surviving ancestor), the scroll offset and the filter.
    pub fn rebuild(&mut self, roles: impl Into<crate::api::profile_store::RuleStore>) {
        let directory = self.directory.clone();
        self.regroup(Some(roles.into()), directory);
    }

    /// Builds the tree again from `store` (or its own roles), grouped with `directory`, keeping
    /// what [`ProfileTree::rebuild`] keeps.
    pub(super) fn regroup(
        &mut self,
        store: Option<crate::api::profile_store::RuleStore>,
        directory: Directory,
    ) {
        self.finish_filter();
        // Untouched since it was built (on the first role, at the top, nothing open, no filter):
        // a regrouped tree starts the same way rather than keeping that role wherever it went.
        let pristine = self.offset() == 0
            && self.filter.is_empty()
            && self.selected_node() == self.rows.iter().map(|r| r.node).find(|n| !n.is_header())
            && self.role_open[NORMAL].iter().all(|open| !open)
            && self.org_closed[NORMAL].iter().chain(&self.stack_closed[NORMAL]).all(|closed| !closed);
        let saved = self.save();
        let store = store.unwrap_or_else(|| std::mem::take(&mut self.rules));
        // The old tree's index and state go before the new ones are built, not after: on a
        // 1,000-role profile they are megabytes, and holding both set the peak.
        *self = ProfileTree::new(crate::api::profile_store::RuleStore::default());
        *self = ProfileTree::grouped(store, directory);
        if !pristine {
            self.restore(saved);
        }
    }

    fn save(&self) -> Saved {
        let mut open: [Vec<Key>; 2] = [Vec::new(), Vec::new()];
        let mut selected = Vec::new();
        let mut sel_chain = self.selected_node().map(|n| self.ancestors(n)).unwrap_or_default();
        sel_chain.retain(|n| !n.is_header());
        let selected_header = self.selected_node().filter(|n| n.is_header()).map(|n| self.group_key(n));
        let mut closed: [Vec<(u8, String)>; 2] = [Vec::new(), Vec::new()];
        for (m, keys) in closed.iter_mut().enumerate() {
            keys.extend(self.closed_headers(m).map(|n| self.group_key(n)));
        }
        for r in 0..self.role_count() {
            let r32 = r as u32;
            let role_key = Key { role: r32, rule: None, path: None };
            for (m, keys) in open.iter_mut().enumerate() {
                if self.role_open[m][r] {
                    keys.push(role_key);
                }
            }
            for (j, g) in self.rule_range(r).enumerate() {
                let j32 = j as u32;
                let rule_key = Key { rule: Some(j32), ..role_key };
                for (m, keys) in open.iter_mut().enumerate() {
                    if self.rule_open[m][g] {
                        keys.push(rule_key);
                    }
                }
                let states = self.rule_state(g);
                let open_bits = mode_bit(NORMAL) | mode_bit(FILTERED);
                let selected_here = sel_chain.iter().any(|n| n.role == r32 && n.rule_index() == Some(j32));
                if !selected_here && states.iter().all(|s| s & open_bits == 0) {
                    continue;
                }
                let Some(rule) = self.rules.rule(g) else { continue };
                let hashes = path_hashes(rule);
                for (i, state) in states.iter().enumerate() {
                    let key = Key { path: hashes.get(i).copied(), ..rule_key };
                    for (m, keys) in open.iter_mut().enumerate() {
                        if state & mode_bit(m) != 0 {
                            keys.push(key);
                        }
                    }
                }
                if selected_here {
                    selected.extend(
                        sel_chain
                            .iter()
                            .filter_map(|n| n.local_index())
                            .map(|i| Key { path: hashes.get(i as usize).copied(), ..rule_key }),
                    );
                }
            }
        }
        selected.extend(sel_chain.iter().filter(|n| n.local_index().is_none()).map(|n| Key {
            role: n.role,
            rule: n.rule_index(),
            path: None,
        }));
        Saved {
            role_keys: (0..self.role_count()).map(|r| role_key(self.rules.role(r), r)).collect(),
            closed,
            selected_header,
            open,
            selected,
            cursor: self.cursor,
            filter: self.filter.clone(),
        }
    }

    fn restore(&mut self, mut saved: Saved) {
        let mut by_key: HashMap<String, u32> = HashMap::with_capacity(self.role_count());
        for r in 0..self.role_count() {
            by_key.entry(role_key(self.rules.role(r), r)).or_insert(r as u32);
        }
        // Old role index → new role index.
        let remap: Vec<Option<u32>> = saved.role_keys.iter().map(|k| by_key.get(k).copied()).collect();
        drop(by_key);
        for keys in saved.open.iter_mut().chain([&mut saved.selected]) {
            for key in keys.iter_mut() {
                key.role = remap.get(key.role as usize).copied().flatten().unwrap_or(NONE);
            }
        }
        for (m, keys) in saved.closed.iter().enumerate() {
            for key in keys {
                self.close_group(m, key);
            }
        }
        let open_normal = self.resolve(&mut saved.open[NORMAL]);
        for node in open_normal.into_iter().flatten() {
            self.set_open(node, true);
        }
        if !saved.filter.is_empty() {
            self.filter = saved.filter.clone();
            self.query = crate::screens::profile::tree::search::lower(&saved.filter);
            self.apply_filter();
            let open_filtered = self.resolve(&mut saved.open[FILTERED]);
            for node in open_filtered.into_iter().flatten() {
                self.set_open(node, true);
            }
        }
        let selected = self.resolve(&mut saved.selected.clone());
        // `resolve` answers in key order; the selection wants the deepest surviving node first.
        let mut chain: Vec<Node> = selected.into_iter().flatten().collect();
        chain.sort_by_key(|n| std::cmp::Reverse(*n));
        self.relayout(None);
        self.cursor = saved.cursor;
        let header = saved.selected_header.as_ref().and_then(|key| self.find_header(key));
        // The deepest node kept, then its ancestors, headers included (its stack may be closed).
        let path = chain.first().map(|&n| self.ancestors(n)).unwrap_or_default();
        if let Some(i) = header.into_iter().chain(path).find_map(|n| self.find_row(n)) {
            self.select(i);
        }
        self.cursor.clamp(self.rows.len());
    }

    /// Finds the nodes `keys` (already remapped to new role indices) name in the new data. Sorts
    /// `keys` so each rule's path hashes are computed once.
    fn resolve(&self, keys: &mut [Key]) -> Vec<Option<Node>> {
        keys.sort_unstable();
        let mut out = Vec::with_capacity(keys.len());
        let mut current: Option<((u32, u32), HashMap<u64, u32>)> = None;
        for key in keys.iter() {
            if key.role as usize >= self.role_count() {
                out.push(None);
                continue;
            }
            let range = self.rule_range(key.role as usize);
            let Some(j) = key.rule.filter(|&j| (j as usize) < range.len()) else {
                out.push(key.rule.is_none().then(|| Node::role(key.role)));
                continue;
            };
            let Some(path) = key.path else {
                out.push(Some(Node::rule(key.role, j)));
                continue;
            };
            if current.as_ref().is_none_or(|(at, _)| *at != (key.role, j)) {
                let hashes = self.rules.rule(range.start + j as usize).map(path_hashes).unwrap_or_default();
                let index = hashes.into_iter().enumerate().map(|(i, h)| (h, i as u32)).collect();
                current = Some(((key.role, j), index));
            }
            let found = current.as_ref().and_then(|(_, index)| index.get(&path).copied());
            out.push(found.map(|i| Node::local(key.role, j, i)));
        }
        out
    }
}
