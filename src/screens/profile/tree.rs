//! The profile's roles as a tree: role → rules → acl flags (✓/✗, nested groups such as
//! `sub_acl`) and target lists.
//!
//! Built for profiles of 1,000 roles × 50 rules (several hundred thousand potential nodes), so:
//! - the rules are kept flat (see [`store`]): a few megabytes of tokens instead of millions of
//!   small maps;
//! - only the *visible* rows exist, as 16-byte records in tree order; expanding a node splices its
//!   visible subtree in, collapsing drains it, and nothing is re-flattened per frame;
//! - what lies under a rule is outlined from the rule's tokens when it is laid out (see
//!   [`outline`]); what the user did to each node (opened it, a filter hit it) is one byte per
//!   node, kept for every node from the start, so nothing has to be built when a rule is first
//!   opened or matched;
//! - each role's and rule's text is lower-cased once, at build time, into one string (see
//!   [`search`]), so a filter keystroke is a scan of that string;
//! - labels are formatted by [`ProfileTree::row`] for the rows being drawn only.
//!
//! Nodes have ids made from role, rule and node indices, and stable keys made from the role's
//! uid, the rule's index and the node's path (see [`keep`]), so a refresh keeps what was open and
//! what was selected. Pure data: no I/O and no drawing (see `ui::widgets::tree`).

mod cursor;
mod details;
mod filter;
#[cfg(test)]
pub(crate) mod fixtures;
mod groups;
mod headers;
mod keep;
mod label;
mod layout;
mod outline;
mod search;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_big;
#[cfg(test)]
mod tests_groups;

pub(crate) use cursor::rows_in_fields;
pub use cursor::{Cursor, Rows};
pub use groups::{Directory, StackEntry};
pub use label::{RowKind, RowView, TextPart, Tone, role_display_name};
pub(crate) use search::{find_all, push_lower};

use crate::api::models::{Role, Rule};
use crate::api::profile_store::RuleStore;
use search::SearchIndex;

/// Index of the expansion state used without a filter.
const NORMAL: usize = 0;
/// Index of the expansion state used while a filter is set; the normal one is left untouched,
/// which is how clearing the filter restores it.
const FILTERED: usize = 1;
/// A node's own text matches the filter.
const SELF_HIT: u8 = 1;
/// A descendant's text matches the filter.
const DESC_HIT: u8 = 2;
/// Where a node's hit bits sit in its state byte (its open bits, one per mode, are bits 0 and 1).
const HIT_SHIFT: u8 = 2;

/// Row bits.
const EXPANDABLE: u8 = 1;
const EXPANDED: u8 = 2;
const MATCHED: u8 = 4;
/// The row's children are listed unfiltered: no filter, or this row or an ancestor matches.
const CONTEXT: u8 = 8;

/// `Node::head` of an organisation's header.
const ORG_HEAD: u8 = 0;
/// `Node::head` of a stack's header.
const STACK_HEAD: u8 = 1;
/// `Node::head` of a role and everything under it.
const IN_ROLE: u8 = 2;

/// A node's id in the current data: role index, whether it is a group's header (see
/// [`groups`]: a header's role is its group's first), then rule and node index plus one (0:
/// none). Ordered like the rows (an organisation's header before its first stack's, a stack's
/// before its first role, a role before its rules, a rule before its nodes, nodes depth first),
/// which is what lets [`ProfileTree::find_row`] binary-search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Node {
    role: u32,
    head: u8,
    rule: u32,
    local: u32,
}

impl Node {
    fn role(r: u32) -> Self {
        Node { role: r, head: IN_ROLE, rule: 0, local: 0 }
    }
    fn rule(r: u32, j: u32) -> Self {
        Node { role: r, head: IN_ROLE, rule: j + 1, local: 0 }
    }
    fn local(r: u32, j: u32, i: u32) -> Self {
        Node { role: r, head: IN_ROLE, rule: j + 1, local: i + 1 }
    }
    fn header(first_role: u32, head: u8) -> Self {
        Node { role: first_role, head, rule: 0, local: 0 }
    }
    /// A group's header (organisation or stack), not a role or anything in one.
    fn is_header(self) -> bool {
        self.head != IN_ROLE
    }
    fn rule_index(self) -> Option<u32> {
        self.rule.checked_sub(1)
    }
    fn local_index(self) -> Option<u32> {
        self.local.checked_sub(1)
    }
}

/// One visible row.
#[derive(Debug, Clone, Copy)]
struct Row {
    node: Node,
    depth: u16,
    bits: u8,
}

impl Row {
    fn new(node: Node, depth: u16, bits: u8) -> Self {
        Row { node, depth, bits }
    }
}

/// The roles-and-rules tree of a profile, with its visible rows, selection, scroll offset and
/// filter. See the module docs for how it stays fast on very large profiles.
#[derive(Debug)]
pub struct ProfileTree {
    /// The roles and their rules.
    rules: RuleStore,
    /// Global index of each role's first rule, plus the total at the end.
    rule_start: Vec<u32>,
    index: SearchIndex,
    /// Per rule (global index): where its nodes' state starts in `state`, plus the total.
    node_start: Vec<u32>,
    /// Per node under a rule: open in each mode (bits 0 and 1, see `layout::mode_bit`) and filter
    /// hits (`SELF_HIT`/`DESC_HIT` shifted by `HIT_SHIFT`).
    state: Vec<u8>,
    /// Per node under a rule: its depth below the rule (0 at the top). Nodes are in depth-first
    /// order, so a node's children are the following nodes one deeper, up to the next node as
    /// shallow as it, and its parent is the nearest preceding node one shallower: all that laying
    /// rows out and marking a filter's ancestors need, with no outline made.
    depth: Vec<u8>,
    role_open: [Vec<bool>; 2],
    rule_open: [Vec<bool>; 2],
    role_hit: Vec<u8>,
    rule_hit: Vec<u8>,
    /// A filter being applied in steps (see [`filter`]).
    filtering: Option<filter::Pending>,
    /// The filter as typed, and lower-cased.
    filter: String,
    query: String,
    matches: usize,
    rows: Vec<Row>,
    cursor: Cursor,
    /// The stacks' names and organisations, from the stacks call that follows the profile
    /// (empty until it answers, or when it failed: stacks then show their API key alone).
    directory: Directory,
    /// The roles' organisation and stack groups (the roles are in their order).
    groups: groups::Groups,
    /// Per organisation and per stack group, closed in each mode (groups start open).
    org_closed: [Vec<bool>; 2],
    stack_closed: [Vec<bool>; 2],
    /// Per organisation and stack group: filter hits (its name, or a role in it).
    org_hit: Vec<u8>,
    stack_hit: Vec<u8>,
}

impl ProfileTree {
    /// A tree of `roles` with every role collapsed and the first one selected. The profile's
    /// answer comes as a store already (see [`crate::api::decode::profile`]); models are
    /// copied into one.
    pub fn new(roles: impl Into<RuleStore>) -> Self {
        ProfileTree::grouped(roles, Directory::default())
    }

    /// [`ProfileTree::new`], the roles grouped with what `directory` knows of their stacks.
    pub fn grouped(roles: impl Into<RuleStore>, directory: Directory) -> Self {
        let mut store: RuleStore = roles.into();
        let groups = groups::Groups::arrange(&mut store, &directory);
        let (orgs, stacks) = (groups.orgs.len(), groups.stacks.len());
        let mut rule_start = Vec::with_capacity(store.role_count() + 1);
        let mut total = 0u32;
        for r in 0..store.role_count() {
            rule_start.push(total);
            total = total.saturating_add(u32::try_from(store.rule_count(r)).unwrap_or(u32::MAX));
        }
        rule_start.push(total);
        let (roles, rules) = (store.role_count(), store.len());
        let mut depth = Vec::new();
        let index = SearchIndex::build(&store, &rule_start, &mut depth);
        depth.shrink_to_fit();
        let mut node_start = Vec::with_capacity(rules + 1);
        let mut nodes = 0u32;
        for g in 0..rules {
            node_start.push(nodes);
            nodes = nodes.saturating_add(index.nodes(g));
        }
        node_start.push(nodes);
        let mut tree = ProfileTree {
            index,
            rule_start,
            node_start,
            state: vec![0; nodes as usize],
            depth,
            role_open: [vec![false; roles], vec![false; roles]],
            rule_open: [vec![false; rules], vec![false; rules]],
            role_hit: vec![0; roles],
            rule_hit: vec![0; rules],
            rules: store,
            filtering: None,
            filter: String::new(),
            query: String::new(),
            matches: 0,
            rows: Vec::new(),
            cursor: Cursor::default(),
            directory,
            groups,
            org_closed: [vec![false; orgs], vec![false; orgs]],
            stack_closed: [vec![false; stacks], vec![false; stacks]],
            org_hit: vec![0; orgs],
            stack_hit: vec![0; stacks],
        };
        tree.relayout(None);
        // On the first role, below its headers: what the user came for.
        if let Some(i) = tree.rows.iter().position(|r| !r.node.is_header()) {
            tree.select(i);
        }
        tree
    }

    /// Names the roles' stacks and tells their organisations: the roles are grouped again
    /// (Organisation → Stack → Role), keeping what was expanded, the selected node and the filter
    /// (see [`keep`]).
    pub fn set_directory(&mut self, directory: Directory) {
        if directory != self.directory {
            self.regroup(None, directory);
        }
    }

    /// What is known of the roles' stacks.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// The name of the stack with API key `key`, once known.
    pub fn stack_name(&self, key: &str) -> Option<&str> {
        self.directory.stack_name(key)
    }

    /// How many roles the tree shows.
    pub fn role_count(&self) -> usize {
        self.rules.role_count()
    }

    /// A copy of every role, rules included, as the models: for reloading the profile with roles
    /// the server did not send again. Rebuilt from the store, so it costs about as much as the
    /// tree did to build; nothing on a key's path calls it.
    pub fn roles(&self) -> Vec<Role> {
        (0..self.role_count()).filter_map(|r| self.rules.served_role(r)?.to_role()).collect()
    }

    /// Every role, and every rule by global index: role `r`'s are `rule_range(r)`.
    pub(crate) fn rule_store(&self) -> &RuleStore {
        &self.rules
    }

    /// The global indices of role `r`'s rules.
    pub(crate) fn rule_range(&self, r: usize) -> std::ops::Range<usize> {
        let start = self.rule_start.get(r).copied().unwrap_or(0) as usize;
        let end = self.rule_start.get(r + 1).copied().unwrap_or(0) as usize;
        start..end.max(start)
    }

    /// Number of visible rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// No visible rows: no roles, or nothing matches the filter.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Visible row `i`, with its label formatted now (call it for the rows being drawn only).
    pub fn row(&self, i: usize) -> Option<RowView<'_>> {
        let row = *self.rows.get(i)?;
        let (kind, parts) = self.describe(row.node)?;
        Some(RowView {
            depth: row.depth as usize,
            kind,
            expandable: row.bits & EXPANDABLE != 0,
            expanded: row.bits & EXPANDED != 0,
            matched: row.bits & MATCHED != 0,
            parts,
        })
    }

    /// The depth of visible row `i`, without formatting it (for indentation guides).
    pub fn depth(&self, i: usize) -> Option<usize> {
        self.rows.get(i).map(|r| r.depth as usize)
    }

    /// Selects the selected row's parent (stays on a role).
    pub fn select_parent(&mut self) {
        let Some(node) = self.selected_node() else { return };
        if let Some(i) = self.parent(node).and_then(|p| self.find_row(p)) {
            self.select(i);
        }
    }

    /// → / Enter: expands the selected row; on a row already expanded, moves to its first child.
    pub fn expand_selected(&mut self) {
        self.finish_filter();
        let sel = self.selected();
        let Some(&row) = self.rows.get(sel) else { return };
        if row.bits & EXPANDABLE == 0 {
            return;
        }
        if row.bits & EXPANDED != 0 {
            self.select(sel + 1);
            return;
        }
        self.set_open(row.node, true);
        let mut children = Vec::new();
        self.push_children(row, &mut children);
        self.rows[sel].bits |= EXPANDED;
        self.rows.splice(sel + 1..sel + 1, children);
    }

    /// ←: collapses the selected row; on a leaf or a collapsed row, selects its parent.
    pub fn collapse_selected(&mut self) {
        self.finish_filter();
        let sel = self.selected();
        let Some(&row) = self.rows.get(sel) else { return };
        if row.bits & EXPANDED == 0 {
            self.select_parent();
            return;
        }
        self.set_open(row.node, false);
        let end = self.rows[sel + 1..]
            .iter()
            .position(|r| r.depth <= row.depth)
            .map_or(self.rows.len(), |n| sel + 1 + n);
        self.rows.drain(sel + 1..end);
        self.rows[sel].bits &= !EXPANDED;
    }

    /// Space: expands or collapses the selected row, never moving the selection.
    pub fn toggle_selected(&mut self) {
        let Some(&row) = self.rows.get(self.selected()) else { return };
        if row.bits & EXPANDED != 0 {
            self.collapse_selected();
        } else {
            self.expand_selected();
        }
    }

    /// Expands every node (in the current filter, if one is set). On a 1,000 × 50 profile this
    /// lays out several hundred thousand rows: the one costly action, and what the user asked for.
    pub fn expand_all(&mut self) {
        self.finish_filter();
        let m = self.mode();
        self.org_closed[m].fill(false);
        self.stack_closed[m].fill(false);
        self.role_open[m].fill(true);
        self.rule_open[m].fill(true);
        self.state.iter_mut().for_each(|s| *s |= layout::mode_bit(m));
        self.relayout(self.selected_node());
    }

    /// Collapses every role and what is in it, leaving the organisations and stacks open (a list
    /// of roles under their stacks); the selection moves to the role it was in.
    pub fn collapse_all(&mut self) {
        self.finish_filter();
        let m = self.mode();
        self.role_open[m].fill(false);
        self.rule_open[m].fill(false);
        self.state.iter_mut().for_each(|s| *s &= !layout::mode_bit(m));
        self.relayout(self.selected_node());
    }

    /// The first visible row of the viewport.
    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    /// A breadcrumb of the selected row for a status line: `Developer › asset › ✓ create`.
    pub fn selected_path_text(&self) -> String {
        let Some(node) = self.selected_node() else { return String::new() };
        let mut path: Vec<String> = self.ancestors(node).into_iter().map(|n| self.short_label(n)).collect();
        path.reverse();
        path.join(" › ")
    }

    /// A copy of the role the selected row belongs to (for a details pane; `None` on a group's
    /// header).
    pub fn selected_role(&self) -> Option<Role> {
        let node = self.selected_node().filter(|n| !n.is_header())?;
        self.rules.role(node.role as usize)?.to_role()
    }

    /// A copy of the rule the selected row belongs to, when it is a rule or inside one.
    pub fn selected_rule(&self) -> Option<Rule> {
        let node = self.selected_node().filter(|n| !n.is_header())?;
        self.rules.rule(self.global(node.role, node.rule_index()?))?.to_rule()
    }

    fn selected_node(&self) -> Option<Node> {
        self.rows.get(self.selected()).map(|r| r.node)
    }
}

// Scrolled by the update code with the last drawn height, so drawing can take `&self`.
cursor::rows_in_fields!(
    ProfileTree,
    /// The last row once the filter has been applied in full (its last steps may add rows).
    fn select_last(&mut self) {
        self.finish_filter();
        self.select(self.rows.len().saturating_sub(1));
    }
);
