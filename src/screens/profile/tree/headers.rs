//! The organisation and stack headers above the roles (see [`super::groups`]): laying them out,
//! opening and closing them, what they say, and keeping them across a rebuild.

use std::borrow::Cow;

use crate::screens::profile::details::Details;
use crate::screens::profile::tree::label::role_display_name;
use crate::screens::profile::tree::{
    CONTEXT, DESC_HIT, EXPANDABLE, EXPANDED, FILTERED, IN_ROLE, MATCHED, Node, ORG_HEAD, ProfileTree, Row,
    RowKind, SELF_HIT, STACK_HEAD, TextPart, Tone,
};

/// How far down the group levels a layout starts: at the top, inside an organisation (its
/// header is already there), or inside a stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum From {
    Top,
    InOrg,
    InStack,
}

fn part<'a>(text: impl Into<Cow<'a, str>>, tone: Tone) -> TextPart<'a> {
    TextPart { text: text.into(), tone }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

impl ProfileTree {
    /// The stack group and organisation group of role `r`.
    fn groups_of(&self, r: u32) -> (usize, usize) {
        let s = self.groups.stack_of.get(r as usize).copied().unwrap_or(0) as usize;
        let o = self.groups.stacks.get(s).map_or(0, |g| g.org as usize);
        (s, o)
    }

    /// The header of stack group `s`, and of organisation group `o`.
    fn stack_header(&self, s: usize) -> Node {
        Node::header(self.groups.stacks.get(s).map_or(0, |g| g.roles.start), STACK_HEAD)
    }

    fn org_header(&self, o: usize) -> Node {
        Node::header(self.groups.orgs.get(o).map_or(0, |g| g.roles.start), ORG_HEAD)
    }

    /// The headers above `node` (a role or anything in one, or a stack's header), nearest first.
    pub(super) fn header_ancestors(&self, node: Node) -> Vec<Node> {
        let (s, o) = self.groups_of(node.role);
        let mut out = Vec::with_capacity(2);
        if node.head == IN_ROLE && !self.groups.stacks.is_empty() {
            out.push(self.stack_header(s));
        }
        if node.head >= STACK_HEAD && self.groups.org_level() {
            out.push(self.org_header(o));
        }
        out
    }

    /// Whether the group under header `node` is closed in mode `m`.
    fn closed(&self, m: usize, node: Node) -> bool {
        let (s, o) = self.groups_of(node.role);
        match node.head {
            ORG_HEAD => self.org_closed[m].get(o).copied().unwrap_or(false),
            _ => self.stack_closed[m].get(s).copied().unwrap_or(false),
        }
    }

    /// Opens or closes the group under header `node` in mode `m`.
    pub(super) fn set_group_open(&mut self, m: usize, node: Node, open: bool) {
        let (s, o) = self.groups_of(node.role);
        let slot = match node.head {
            ORG_HEAD => self.org_closed[m].get_mut(o),
            _ => self.stack_closed[m].get_mut(s),
        };
        if let Some(closed) = slot {
            *closed = !open;
        }
    }

    /// A header's stable key: its head and its organisation's uid or its stack's API key.
    pub(super) fn group_key(&self, node: Node) -> (u8, String) {
        let (s, o) = self.groups_of(node.role);
        let key = match node.head {
            ORG_HEAD => self.groups.orgs.get(o).map(|g| g.uid.clone()),
            _ => self.groups.stacks.get(s).map(|g| g.key.clone()),
        };
        (node.head, key.unwrap_or_default())
    }

    /// The header with key `key`, if the tree has it.
    pub(super) fn find_header(&self, (head, key): &(u8, String)) -> Option<Node> {
        match *head {
            ORG_HEAD => self.groups.orgs.iter().position(|g| &g.uid == key).map(|o| self.org_header(o)),
            _ => self.groups.stacks.iter().position(|g| &g.key == key).map(|s| self.stack_header(s)),
        }
    }

    /// The headers closed in mode `m`.
    pub(super) fn closed_headers(&self, m: usize) -> impl Iterator<Item = Node> + '_ {
        let orgs =
            (0..self.groups.orgs.len()).filter(move |&o| self.org_closed[m][o]).map(|o| self.org_header(o));
        let stacks = (0..self.groups.stacks.len())
            .filter(move |&s| self.stack_closed[m][s])
            .map(|s| self.stack_header(s));
        orgs.chain(stacks)
    }

    /// Closes the group with key `key` in mode `m` (after a rebuild).
    pub(super) fn close_group(&mut self, m: usize, key: &(u8, String)) {
        if let Some(node) = self.find_header(key) {
            self.set_group_open(m, node, false);
        }
    }

    /// Marks the groups whose own text (organisation name, stack name or API key) contains the
    /// filter's query; returns how many. Their roles show whole, as a matching role's rules do.
    pub(super) fn mark_group_hits(&mut self) -> usize {
        self.org_hit.fill(0);
        self.stack_hit.fill(0);
        self.org_closed[FILTERED].fill(false);
        self.stack_closed[FILTERED].fill(false);
        let q = self.query.as_str();
        if q.is_empty() {
            return 0;
        }
        let mut hits = 0;
        for (o, g) in self.groups.orgs.iter().enumerate() {
            let name = self.directory.orgs.get(&g.uid).map_or(g.uid.as_str(), String::as_str);
            if !g.uid.is_empty() && name.to_lowercase().contains(q) {
                self.org_hit[o] |= SELF_HIT;
                hits += 1;
            }
        }
        for (s, g) in self.groups.stacks.iter().enumerate() {
            let name = self.directory.stack_name(&g.key).unwrap_or("");
            if !g.key.is_empty() && (name.to_lowercase().contains(q) || g.key.to_lowercase().contains(q)) {
                self.stack_hit[s] |= SELF_HIT;
                hits += 1;
            }
        }
        hits
    }

    /// Lays out role `r` with the headers it needs first: its organisation's and its stack's,
    /// unless the rows in `out` end inside them already (or `from` says the caller is inside).
    /// Nothing when a group above it is closed, or a filter hides it.
    pub(super) fn push_grouped(&self, r: u32, from: From, out: &mut Vec<Row>) {
        let m = self.mode();
        let (s, o) = self.groups_of(r);
        let filtered = m == FILTERED;
        let org_ctx = !filtered || self.org_hit.get(o).is_some_and(|h| h & SELF_HIT != 0);
        let stack_ctx = org_ctx || self.stack_hit.get(s).is_some_and(|h| h & SELF_HIT != 0);
        if !stack_ctx && self.role_hit.get(r as usize).is_none_or(|&h| h == 0) {
            return;
        }
        let last = out.last().map(|row| self.groups_of(row.node.role));
        if self.groups.org_level() {
            if from == From::Top && last.is_none_or(|(_, lo)| lo != o) {
                let hit = if filtered { self.org_hit[o] | DESC_HIT } else { 0 };
                out.push(self.header_row(self.org_header(o), 0, hit, org_ctx));
            }
            if from == From::Top && self.org_closed[m][o] {
                return;
            }
        }
        if from != From::InStack && last.is_none_or(|(ls, _)| ls != s) {
            let hit = if filtered { self.stack_hit[s] | DESC_HIT } else { 0 };
            let depth = self.groups.role_depth() - 1;
            out.push(self.header_row(self.stack_header(s), depth, hit, stack_ctx));
        }
        if self.stack_closed[m][s] {
            return;
        }
        self.push_role(r, stack_ctx, out);
    }

    fn header_row(&self, node: Node, depth: u16, hit: u8, ctx: bool) -> Row {
        let mut bits = EXPANDABLE;
        if !self.closed(self.mode(), node) {
            bits |= EXPANDED;
        }
        if hit & SELF_HIT != 0 {
            bits |= MATCHED;
        }
        if ctx {
            bits |= CONTEXT;
        }
        Row::new(node, depth, bits)
    }

    /// Appends what the header row `row` holds, as [`ProfileTree::push_children`] does.
    pub(super) fn push_header_children(&self, row: Row, out: &mut Vec<Row>) {
        let (s, o) = self.groups_of(row.node.role);
        let (roles, from) = match row.node.head {
            ORG_HEAD => (self.groups.orgs.get(o).map(|g| g.roles.clone()), From::InOrg),
            _ => (self.groups.stacks.get(s).map(|g| g.roles.clone()), From::InStack),
        };
        // Laid out on their own: each stack's header is pushed by its first role, which looks
        // at the rows before it.
        let mut rows = Vec::new();
        for r in roles.unwrap_or(0..0) {
            self.push_grouped(r, from, &mut rows);
        }
        out.append(&mut rows);
    }

    /// What a header row says.
    pub(super) fn describe_header(&self, node: Node) -> Option<(RowKind, Vec<TextPart<'_>>)> {
        let (s, o) = self.groups_of(node.role);
        if node.head == ORG_HEAD {
            let g = self.groups.orgs.get(o)?;
            let stacks = g.stacks.len();
            let mut parts = match self.directory.orgs.get(&g.uid) {
                Some(name) => vec![part(name.as_str(), Tone::Heading)],
                None if g.uid.is_empty() => vec![part("Organisation not known", Tone::Heading)],
                None => vec![part("Organisation ", Tone::Heading), part(g.uid.as_str(), Tone::Detail)],
            };
            parts.push(part(format!(" · {}", plural(stacks, "stack")), Tone::Detail));
            return Some((RowKind::Organisation, parts));
        }
        let g = self.groups.stacks.get(s)?;
        let roles = g.roles.len();
        let mut parts = match self.directory.stack_name(&g.key) {
            _ if g.key.is_empty() => vec![part("Roles without a stack", Tone::Heading)],
            Some(name) => vec![part(name, Tone::Heading), part(format!(" {}", g.key), Tone::Detail)],
            None => vec![part("Stack ", Tone::Heading), part(g.key.as_str(), Tone::Detail)],
        };
        parts.push(part(format!(" · {}", plural(roles, "role")), Tone::Detail));
        Some((RowKind::Stack, parts))
    }

    /// A header for breadcrumbs: the organisation's or stack's name, or what stands for it.
    pub(super) fn header_short_label(&self, node: Node) -> String {
        let (s, _) = self.groups_of(node.role);
        let named = match self.groups.stacks.get(s) {
            Some(g) if node.head == STACK_HEAD => self.directory.stack_name(&g.key),
            _ => None,
        };
        match (named, self.describe_header(node)) {
            (Some(name), _) => name.to_string(),
            // Everything but the count.
            (None, Some((_, parts))) => {
                parts.iter().take(parts.len().saturating_sub(1)).map(|p| p.text.as_ref()).collect()
            }
            (None, None) => String::new(),
        }
    }

    /// The details of a header: the organisation or stack, and what it holds.
    pub(super) fn header_details(&self, node: Node) -> Option<Details> {
        let (s, o) = self.groups_of(node.role);
        if node.head == ORG_HEAD {
            let g = self.groups.orgs.get(o)?;
            let stacks = self.groups.stacks.get(g.stacks.start as usize..g.stacks.end as usize)?;
            let names = stacks
                .iter()
                .map(|st| self.directory.stack_name(&st.key).unwrap_or(st.key.as_str()).to_string())
                .collect();
            let name = self.directory.orgs.get(&g.uid).map(String::as_str);
            return Some(
                Details::new("Organisation")
                    .field("Name", name.unwrap_or(if g.uid.is_empty() { "not known" } else { "" }))
                    .maybe("UID", Some(g.uid.as_str()).filter(|u| !u.is_empty()))
                    .list("Stacks", names),
            );
        }
        let g = self.groups.stacks.get(s)?;
        let roles = (g.roles.start..g.roles.end)
            .map(|r| role_display_name(self.rules.role(r as usize).and_then(|role| role.name())).to_string())
            .collect();
        let org = self.directory.stacks.get(&g.key).and_then(|e| e.org.as_deref());
        let org_name = org.map(|uid| self.directory.orgs.get(uid).map_or(uid, String::as_str));
        let name = match self.directory.stack_name(&g.key) {
            Some(name) => name,
            None if g.key.is_empty() => "(roles that name no stack)",
            None => "(not known: the stacks call did not list it)",
        };
        Some(
            Details::new("Stack")
                .field("Name", name)
                .maybe("Stack API key", Some(g.key.as_str()).filter(|k| !k.is_empty()))
                .maybe("Organisation", org_name)
                .list("Your roles", roles),
        )
    }
}
