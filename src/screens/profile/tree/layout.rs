//! Turning the open/closed state into the flat list of visible rows.
//!
//! Rows are made for one subtree at a time: expanding a node splices its visible subtree in after
//! it, collapsing drains it; only expand all, collapse all, a filter change and a refresh lay out
//! the whole list again. Rows are kept in tree order, which is also the order of their [`Node`]
//! ids, so finding a node's row is a binary search.
//!
//! In a filter, a row's children are those that match or have a matching descendant, except under
//! a row that matches itself, which shows all of its children when opened (the "context" bit).
use crate::screens::profile::tree::CONTEXT;

use crate::screens::profile::tree::DESC_HIT;

use crate::screens::profile::tree::EXPANDABLE;

use crate::screens::profile::tree::EXPANDED;

use crate::screens::profile::tree::FILTERED;

use crate::screens::profile::tree::HIT_SHIFT;

use crate::screens::profile::tree::MATCHED;

use crate::screens::profile::tree::NORMAL;

use crate::screens::profile::tree::Node;

use crate::screens::profile::tree::ProfileTree;

use crate::screens::profile::tree::Row;

use crate::screens::profile::tree::SELF_HIT;
use crate::screens::profile::tree::headers::From;

impl ProfileTree {
    /// The mode whose expansion state applies: a filter has its own.
    pub(super) fn mode(&self) -> usize {
        if self.query.is_empty() { NORMAL } else { FILTERED }
    }

    /// The global index of rule `j` of role `r`.
    pub(super) fn global(&self, r: u32, j: u32) -> usize {
        self.rule_start.get(r as usize).map_or(usize::MAX, |&s| s as usize + j as usize)
    }

    /// Where rule `g`'s nodes are in `state` and `depth`.
    fn node_range(&self, g: usize) -> std::ops::Range<usize> {
        let start = self.node_start.get(g).copied().unwrap_or(0) as usize;
        let end = self.node_start.get(g + 1).copied().unwrap_or(0) as usize;
        start..end.max(start).min(self.state.len()).min(self.depth.len())
    }

    /// The state bytes of rule `g`'s nodes.
    pub(super) fn rule_state(&self, g: usize) -> &[u8] {
        self.state.get(self.node_range(g)).unwrap_or_default()
    }

    /// The parent of node `i` of rule `g`, `None` at the top.
    fn node_parent(&self, g: usize, i: usize) -> Option<usize> {
        let depths = self.depth.get(self.node_range(g)).unwrap_or_default();
        let d = *depths.get(i)?;
        if d == 0 {
            return None;
        }
        depths[..i].iter().rposition(|&p| p < d)
    }

    /// Lays every row out again, then selects `keep` or, failing that, its nearest visible
    /// ancestor; with nothing found the selection is only clamped.
    pub(super) fn relayout(&mut self, keep: Option<Node>) {
        // Reuses the old rows' allocation: a filter keystroke may lay out 100,000 rows.
        let mut rows = std::mem::take(&mut self.rows);
        rows.clear();
        for r in 0..self.role_count() as u32 {
            self.push_grouped(r, From::Top, &mut rows);
        }
        self.rows = rows;
        let found = keep.and_then(|node| self.ancestors(node).into_iter().find_map(|n| self.find_row(n)));
        let len = self.rows.len();
        if let Some(i) = found {
            self.cursor.select(i, len);
        }
        self.cursor.clamp(len);
    }

    /// The row showing `node`, if it is visible.
    pub(super) fn find_row(&self, node: Node) -> Option<usize> {
        self.rows.binary_search_by(|row| row.node.cmp(&node)).ok()
    }

    /// `node`, then its parent, and so on up to its role, then its stack's and organisation's
    /// headers.
    pub(super) fn ancestors(&self, node: Node) -> Vec<Node> {
        let mut out = vec![node];
        if let Some(j) = node.rule_index().filter(|_| !node.is_header()) {
            if let Some(i) = node.local_index() {
                let g = self.global(node.role, j);
                let mut p = self.node_parent(g, i as usize);
                while let Some(k) = p {
                    out.push(Node::local(node.role, j, k as u32));
                    p = self.node_parent(g, k);
                }
                out.push(Node::rule(node.role, j));
            }
            out.push(Node::role(node.role));
        }
        out.extend(self.header_ancestors(node));
        out
    }

    /// The parent of `node`, if it has one.
    pub(super) fn parent(&self, node: Node) -> Option<Node> {
        self.ancestors(node).get(1).copied()
    }

    /// Sets whether `node` is expanded in the current mode.
    pub(super) fn set_open(&mut self, node: Node, open: bool) {
        let m = self.mode();
        if node.is_header() {
            self.set_group_open(m, node, open);
            return;
        }
        match (node.rule_index(), node.local_index()) {
            (None, _) => {
                if let Some(o) = self.role_open[m].get_mut(node.role as usize) {
                    *o = open;
                }
            }
            (Some(j), None) => {
                let g = self.global(node.role, j);
                if let Some(o) = self.rule_open[m].get_mut(g) {
                    *o = open;
                }
            }
            (Some(j), Some(i)) => {
                let at = self.node_range(self.global(node.role, j)).nth(i as usize);
                if let Some(bits) = at.and_then(|at| self.state.get_mut(at)) {
                    *bits = if open { *bits | mode_bit(m) } else { *bits & !mode_bit(m) };
                }
            }
        }
    }

    /// Appends the visible children of the row `row` (with their own visible subtrees) to `out`.
    pub(super) fn push_children(&self, row: Row, out: &mut Vec<Row>) {
        if row.node.is_header() {
            self.push_header_children(row, out);
            return;
        }
        let ctx = row.bits & CONTEXT != 0;
        let depth = row.depth + 1;
        match (row.node.rule_index(), row.node.local_index()) {
            (None, _) => self.push_rules(row.node.role, ctx, out),
            (Some(j), parent) => self.push_nodes(row.node.role, j, parent, depth, ctx, out),
        }
    }

    /// Lays out role `r` (under its headers: see `push_grouped`); `ctx` when its group matches
    /// the filter itself, which shows the role whole.
    pub(super) fn push_role(&self, r: u32, ctx: bool, out: &mut Vec<Row>) {
        let m = self.mode();
        let hit = if m == FILTERED { self.role_hit[r as usize] } else { 0 };
        let ctx = ctx || m == NORMAL || hit & SELF_HIT != 0;
        let rules = self.rule_range(r as usize).len();
        let expandable = if ctx { rules > 0 } else { hit & DESC_HIT != 0 };
        let expanded = expandable && self.role_open[m][r as usize];
        let depth = self.groups.role_depth();
        let row = Row::new(Node::role(r), depth, bits(expandable, expanded, hit, ctx));
        out.push(row);
        if expanded {
            self.push_rules(r, ctx, out);
        }
    }

    fn push_rules(&self, r: u32, ctx: bool, out: &mut Vec<Row>) {
        let base = self.groups.role_depth();
        let m = self.mode();
        let count = self.rule_range(r as usize).len() as u32;
        for j in 0..count {
            let g = self.global(r, j);
            let hit = if m == FILTERED { self.rule_hit[g] } else { 0 };
            if !ctx && hit == 0 {
                continue;
            }
            let ctx = ctx || hit & SELF_HIT != 0;
            let expandable = if ctx { self.index.nodes(g) > 0 } else { hit & DESC_HIT != 0 };
            let expanded = expandable && self.rule_open[m][g];
            let row = Row::new(Node::rule(r, j), base + 1, bits(expandable, expanded, hit, ctx));
            out.push(row);
            if expanded {
                self.push_nodes(r, j, None, base + 2, ctx, out);
            }
        }
    }

    /// Pushes the children of node `parent` of rule `j` (`None`: the rule's top-level nodes): the
    /// following nodes one deeper than it, up to the first node no deeper than it.
    fn push_nodes(&self, r: u32, j: u32, parent: Option<u32>, depth: u16, ctx: bool, out: &mut Vec<Row>) {
        let m = self.mode();
        let range = self.node_range(self.global(r, j));
        let (states, depths) = (&self.state[range.clone()], &self.depth[range]);
        let (mut i, level) = match parent {
            None => (0, 0),
            Some(p) => (p as usize + 1, depths.get(p as usize).map_or(u8::MAX, |d| d.saturating_add(1))),
        };
        while i < depths.len() && depths[i] >= level {
            if depths[i] > level {
                // Inside an earlier sibling's subtree: laid out by that sibling's call, if open.
                i += 1;
                continue;
            }
            let state = states[i];
            let hit = if m == FILTERED { state >> HIT_SHIFT } else { 0 };
            if ctx || hit != 0 {
                let ctx = ctx || hit & SELF_HIT != 0;
                let has_children = depths.get(i + 1).is_some_and(|&d| d > level);
                let expandable = if ctx { has_children } else { hit & DESC_HIT != 0 };
                let expanded = expandable && state & mode_bit(m) != 0;
                let row = Row::new(Node::local(r, j, i as u32), depth, bits(expandable, expanded, hit, ctx));
                out.push(row);
                if expanded {
                    self.push_nodes(r, j, Some(i as u32), depth + 1, ctx, out);
                }
            }
            i += 1;
        }
    }
}

/// A node's open bit in its state byte for mode `m`.
pub(super) fn mode_bit(m: usize) -> u8 {
    1 << m
}

fn bits(expandable: bool, expanded: bool, hit: u8, ctx: bool) -> u8 {
    let mut b = 0;
    if expandable {
        b |= EXPANDABLE;
    }
    if expanded {
        b |= EXPANDED;
    }
    if hit & SELF_HIT != 0 {
        b |= MATCHED;
    }
    if ctx {
        b |= CONTEXT;
    }
    b
}
