//! The permissions view: for each stack, each module's rights as the user's roles in that stack
//! allow them, and which role grants each right, on which targets.
//!
//! Contentstack shows rules role by role; the question users have is the other way round ("can
//! I publish assets, and why?"). This answers it, stack by stack, as Contentstack decides it: a
//! role belongs to one stack (its `api_key`), so a right is granted in a stack when a role *of
//! that stack* has a rule for the module that sets it `true` (a publisher in one stack may
//! publish nothing in another), and every grant names its role and targets. Built once from the tree's
//! store (one pass over the rules), then browsed and filtered like the tree, with the same
//! [`Cursor`].
//!
//! A 1,000-role × 50-rule profile has over 100,000 grants, so a grant is two indices: the role's
//! name and the rule's target summary are each kept once, back to back in one string ([`Texts`]),
//! instead of as a small allocation per role and per rule.

use std::collections::HashMap;
use std::ops::Range;

use crate::api::models::Role;
use crate::api::profile_store::FxBuild;
use crate::api::profile_store::Obj;
use crate::api::profile_store::RuleRef;
use crate::screens::profile::tree::ProfileTree;
use crate::screens::profile::tree::{Cursor, Rows, rows_in_fields};
use texts::Texts;

/// One role granting a right, on the targets of the rule that grants it: indices into the
/// [`Permissions`]' names and summaries (see [`Permissions::grant`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    role: u32,
    targets: u32,
}

/// One right of a module (`publish`, or `sub_acl.publish` when nested) and who decides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RightEntry {
    pub right: String,
    /// Roles whose rule sets it `true`, in profile order; a role once per distinct target
    /// summary (twice when two of its rules grant it on different targets).
    pub granted_by: Vec<Grant>,
    /// Roles (by index) with a rule that sets it `false`, once each.
    pub denied_by: Vec<u32>,
    /// Indices of every role named above, ascending: what a filter by role name tests.
    roles: Vec<u32>,
}

impl RightEntry {
    /// Granted when any role grants it.
    pub fn granted(&self) -> bool {
        !self.granted_by.is_empty()
    }
}

/// The rights of one module, in the order they first appear in the roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleRights {
    /// The stack whose roles these rights are from (an index into [`Permissions::stacks`]).
    pub stack: u32,
    pub module: String,
    pub rights: Vec<RightEntry>,
}

impl ModuleRights {
    /// How many of its rights some role grants.
    pub fn granted_count(&self) -> usize {
        self.rights.iter().filter(|r| r.granted()).count()
    }

    /// Display width of its longest right name, capped at [`NAME_WIDTH_CAP`].
    pub fn name_width(&self) -> usize {
        self.rights
            .iter()
            .map(|r| unicode_width::UnicodeWidthStr::width(r.right.as_str()))
            .max()
            .unwrap_or(0)
            .min(NAME_WIDTH_CAP)
    }
}

/// A stack of the view: its modules, and the roles of the user's in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackRights {
    /// The API key ("" for roles that name no stack).
    pub key: String,
    /// Its name, when the stacks call told it.
    pub name: Option<String>,
    /// Its modules, as a range of [`Permissions::modules`].
    pub modules: Range<u32>,
    /// The user's roles in the stack, by role index.
    pub roles: Vec<u32>,
}

impl StackRights {
    /// What the stack is called: its name, or its API key.
    pub fn title(&self) -> String {
        match (&self.name, self.key.as_str()) {
            (Some(name), _) => name.clone(),
            (None, "") => "Roles without a stack".into(),
            (None, key) => format!("Stack {key}"),
        }
    }
}

/// The widest right name the grantor column makes room for; a longer name pushes its own row's
/// grantors right rather than every row's.
pub const NAME_WIDTH_CAP: usize = 24;

/// A visible row: a stack's header, a module's, or one right of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Stack { s: u32, matched: bool },
    Module { m: u32, matched: bool },
    Right { m: u32, k: u32, matched: bool },
}

/// What a visible row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermRow<'a> {
    Stack { stack: &'a StackRights, matched: bool },
    Module { module: &'a ModuleRights, matched: bool },
    Right { module: &'a ModuleRights, right: &'a RightEntry, matched: bool },
}

/// The union of a profile's rights, with its visible rows, selection and filter.
#[derive(Debug, Default)]
pub struct Permissions {
    stacks: Vec<StackRights>,
    /// Every stack's modules, a stack's side by side, each stack's sorted by name.
    modules: Vec<ModuleRights>,
    /// Role display names, by role index.
    names: Texts,
    /// Lower-cased role names by role index, for the filter.
    names_lower: Texts,
    /// Target summaries (`assets: $all`), each distinct one once.
    targets: Texts,
    /// The widest right name of all modules (capped), where the grantor column starts.
    name_width: usize,
    filter: String,
    query: String,
    matches: usize,
    rows: Vec<Row>,
    cursor: Cursor,
}

/// `assets: $all`, `content_types: 3 uids`; several lists joined by `; `. Written into `out`
/// (cleared first), which is reused across the profile's rules.
pub(crate) fn targets_summary(rule: RuleRef<'_>, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    for (key, value) in rule.other() {
        let Some(list) = value.as_array() else { continue };
        let Some(n) = list.string_count() else { continue };
        if !out.is_empty() {
            out.push_str("; ");
        }
        let _ = match n {
            0 => write!(out, "{key}: none"),
            1 => write!(out, "{key}: {}", list.iter().next().and_then(|v| v.as_str()).unwrap_or("")),
            n => write!(out, "{key}: {n} uids"),
        };
    }
}

/// Collects the rights of one module while the roles are walked.
#[derive(Default)]
struct ModuleBuilder {
    rights: Vec<RightEntry>,
    index: HashMap<String, usize, FxBuild>,
}

impl ModuleBuilder {
    /// Records role `r`'s verdict on every flag of `acl` (paths joined with `.`), granted on the
    /// targets summarised as `targets`.
    fn record(&mut self, acl: Obj<'_>, path: &mut String, r: u32, targets: u32) {
        for (key, value) in acl.iter() {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
            if let Some(allowed) = value.as_bool() {
                let k = match self.index.get(path.as_str()) {
                    Some(&k) => k,
                    None => {
                        self.index.insert(path.clone(), self.rights.len());
                        self.rights.push(RightEntry {
                            right: path.clone(),
                            granted_by: Vec::new(),
                            denied_by: Vec::new(),
                            roles: Vec::new(),
                        });
                        self.rights.len() - 1
                    }
                };
                let entry = &mut self.rights[k];
                let seen = entry.roles.last() == Some(&r);
                if allowed {
                    // One grant per role and target summary: the tree has the details.
                    let repeat = seen
                        && entry
                            .granted_by
                            .iter()
                            .rev()
                            .take_while(|g| g.role == r)
                            .any(|g| g.targets == targets);
                    if !repeat {
                        entry.granted_by.push(Grant { role: r, targets });
                    }
                } else if !(seen && entry.denied_by.last() == Some(&r)) {
                    entry.denied_by.push(r);
                }
                if !seen {
                    entry.roles.push(r);
                }
            } else if let Some(inner) = value.as_object() {
                self.record(inner, path, r, targets);
            }
            path.truncate(len);
        }
    }
}

impl Permissions {
    /// Builds the union of `roles`' rights (through a tree of them; the profile screen builds
    /// from its own tree with [`Permissions::from_tree`]).
    pub fn new(roles: &[Role]) -> Self {
        Permissions::from_tree(&ProfileTree::new(roles.to_vec()))
    }

    /// Builds the rights of `tree`'s roles stack by stack (stacks in the tree's order, each
    /// named as the tree knows it), modules sorted by name, every row visible.
    pub fn from_tree(tree: &ProfileTree) -> Self {
        let store = tree.rule_store();
        let mut stack_of: HashMap<&str, usize, FxBuild> = HashMap::default();
        let mut stacks: Vec<(&str, Vec<u32>)> = Vec::new();
        let mut builders: HashMap<(usize, &str), ModuleBuilder, FxBuild> = HashMap::default();
        let (mut path, mut summary) = (String::new(), String::new());
        let mut p = Permissions::default();
        for r in 0..tree.role_count() {
            let role = store.role(r);
            let key = role.and_then(|role| role.api_key()).unwrap_or("");
            let s = *stack_of.entry(key).or_insert_with(|| {
                stacks.push((key, Vec::new()));
                stacks.len() - 1
            });
            stacks[s].1.push(r as u32);
            // By role index: two roles of the same name stay two roles.
            let name = crate::screens::profile::tree::role_display_name(role.and_then(|role| role.name()));
            p.names.push(name);
            p.names_lower.push(&name.to_lowercase());
            for rule in tree.rule_range(r).filter_map(|g| store.rule(g)) {
                let Some(acl) = rule.acl() else {
                    builders.entry((s, rule.module_name())).or_default();
                    continue;
                };
                targets_summary(rule, &mut summary);
                let targets = p.targets.add(&summary);
                builders
                    .entry((s, rule.module_name()))
                    .or_default()
                    .record(acl, &mut path, r as u32, targets);
            }
        }
        let mut modules: Vec<ModuleRights> = builders
            .into_iter()
            .map(|((s, module), b)| ModuleRights {
                stack: s as u32,
                module: module.to_string(),
                rights: b.rights,
            })
            .collect();
        modules.sort_by(|a, b| (a.stack, &a.module).cmp(&(b.stack, &b.module)));
        for right in modules.iter_mut().flat_map(|m| m.rights.iter_mut()) {
            right.granted_by.shrink_to_fit();
            right.denied_by.shrink_to_fit();
            right.roles.shrink_to_fit();
        }
        p.stacks = stacks
            .into_iter()
            .enumerate()
            .map(|(s, (key, roles))| {
                let first = modules.partition_point(|m| (m.stack as usize) < s) as u32;
                let end = modules.partition_point(|m| (m.stack as usize) <= s) as u32;
                let name = tree.stack_name(key).map(str::to_string);
                StackRights { key: key.to_string(), name, modules: first..end, roles }
            })
            .collect();
        p.name_width = modules.iter().map(ModuleRights::name_width).max().unwrap_or(0);
        p.modules = modules;
        p.names.finish();
        p.names_lower.finish();
        p.targets.finish();
        p.layout();
        p
    }

    /// Every stack, in the tree's order.
    pub fn stacks(&self) -> &[StackRights] {
        &self.stacks
    }

    /// The rights of `module` in the stack with API key `key`, if a role there has a rule for it.
    pub fn module_in(&self, key: &str, module: &str) -> Option<&ModuleRights> {
        let stack = self.stacks.iter().find(|s| s.key == key)?;
        let modules = self.modules.get(stack.modules.start as usize..stack.modules.end as usize)?;
        modules.iter().find(|m| m.module == module)
    }

    /// The stack of `module`.
    pub fn stack_of(&self, module: &ModuleRights) -> Option<&StackRights> {
        self.stacks.get(module.stack as usize)
    }

    /// The name of the role of `grant`, and the targets it is granted on ("" for none).
    pub fn grant(&self, grant: &Grant) -> (&str, &str) {
        (self.names.get(grant.role), self.targets.get(grant.targets))
    }

    /// The name of role `r` (as in [`RightEntry::denied_by`]).
    pub fn role_name(&self, r: u32) -> &str {
        self.names.get(r)
    }

    /// Where the grantor column starts, the same for every module so the list reads as one
    /// table: the widest right name of the profile (capped at [`NAME_WIDTH_CAP`]).
    pub fn name_width(&self) -> usize {
        self.name_width
    }

    /// Every module of every stack, stack by stack, sorted by name within each.
    pub fn modules(&self) -> &[ModuleRights] {
        &self.modules
    }

    /// The rights of `module` in the first stack where a role has a rule for it (for a profile
    /// of one stack; see [`Permissions::module_in`]).
    pub fn module(&self, module: &str) -> Option<&ModuleRights> {
        self.modules.iter().find(|m| m.module == module)
    }

    /// Number of visible rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Visible row `i`.
    pub fn row(&self, i: usize) -> Option<PermRow<'_>> {
        match *self.rows.get(i)? {
            Row::Stack { s, matched } => {
                Some(PermRow::Stack { stack: self.stacks.get(s as usize)?, matched })
            }
            Row::Module { m, matched } => {
                Some(PermRow::Module { module: self.modules.get(m as usize)?, matched })
            }
            Row::Right { m, k, matched } => {
                let module = self.modules.get(m as usize)?;
                Some(PermRow::Right { module, right: module.rights.get(k as usize)?, matched })
            }
        }
    }

    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    /// Shows only modules whose name contains `query` (case-insensitive), and rights whose name
    /// or any of whose roles' names contains it, under their module's header. "" shows all.
    pub fn set_filter(&mut self, query: &str) {
        self.filter = query.to_string();
        let query = query.to_lowercase();
        if query == self.query {
            return;
        }
        let keep = self.rows.get(self.selected()).copied().map(identity);
        self.query = query;
        self.layout();
        let found = keep.and_then(|id| self.rows.iter().position(|r| identity(*r) == id));
        let first_match = || self.rows.iter().position(|r| row_matched(*r));
        let target = found.or_else(first_match).unwrap_or(0);
        self.select(target);
    }

    /// The filter as typed.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Selects the next row whose own text matches the filter, wrapping around (`n`).
    pub fn next_match(&mut self) {
        let len = self.rows.len();
        let sel = self.selected();
        if let Some(i) = (1..=len).map(|k| (sel + k) % len).find(|&i| row_matched(self.rows[i])) {
            self.select(i);
        }
    }

    /// Selects the previous row whose own text matches the filter, wrapping around (`N`).
    pub fn prev_match(&mut self) {
        let len = self.rows.len();
        let sel = self.selected();
        if let Some(i) = (1..=len).map(|k| (sel + len - k) % len).find(|&i| row_matched(self.rows[i])) {
            self.select(i);
        }
    }

    /// Rows whose own text matches the filter.
    pub fn match_count(&self) -> usize {
        self.matches
    }

    fn layout(&mut self) {
        let q = self.query.as_str();
        let role_hit: Vec<bool> = (0..self.names_lower.len() as u32)
            .map(|r| !q.is_empty() && self.names_lower.get(r).contains(q))
            .collect();
        self.rows.clear();
        self.matches = 0;
        for (s, stack) in self.stacks.iter().enumerate() {
            let stack_hit = !q.is_empty()
                && (stack.name.as_deref().is_some_and(|n| n.to_lowercase().contains(q))
                    || (!stack.key.is_empty() && stack.key.to_lowercase().contains(q)));
            let stack_header = self.rows.len();
            self.rows.push(Row::Stack { s: s as u32, matched: stack_hit });
            self.matches += usize::from(stack_hit);
            for m in stack.modules.clone() {
                let Some(module) = self.modules.get(m as usize) else { continue };
                let module_hit = !q.is_empty() && module.module.to_lowercase().contains(q);
                let shown = q.is_empty() || stack_hit || module_hit;
                let header = self.rows.len();
                self.rows.push(Row::Module { m, matched: module_hit });
                for (k, right) in module.rights.iter().enumerate() {
                    let hit = !q.is_empty()
                        && (right.right.to_lowercase().contains(q)
                            || right.roles.iter().any(|&r| role_hit[r as usize]));
                    if shown || hit {
                        self.rows.push(Row::Right { m, k: k as u32, matched: hit });
                        self.matches += usize::from(hit);
                    }
                }
                self.matches += usize::from(module_hit);
                if !shown && self.rows.len() == header + 1 {
                    self.rows.pop();
                }
            }
            if !q.is_empty() && !stack_hit && self.rows.len() == stack_header + 1 {
                self.rows.pop();
            }
        }
        self.cursor.clamp(self.rows.len());
    }

    /// The selected row by what it shows (stack, module, right), to select it again in a view
    /// built anew (names arrived, the profile reloaded).
    pub fn selected_key(&self) -> Option<PermKey> {
        let (s, m, k) = match *self.rows.get(self.selected())? {
            Row::Stack { s, .. } => (s, None, None),
            Row::Module { m, .. } => (self.modules.get(m as usize)?.stack, Some(m), None),
            Row::Right { m, k, .. } => (self.modules.get(m as usize)?.stack, Some(m), Some(k)),
        };
        let module = m.and_then(|m| self.modules.get(m as usize));
        Some(PermKey {
            stack: self.stacks.get(s as usize)?.key.clone(),
            module: module.map(|m| m.module.clone()),
            right: k.and_then(|k| module?.rights.get(k as usize)).map(|r| r.right.clone()),
        })
    }

    /// Selects the row `key` names, or failing that its module's or its stack's.
    pub fn select_key(&mut self, key: &PermKey) {
        let found = self.rows.iter().enumerate().filter_map(|(i, row)| {
            let (m, k) = match *row {
                Row::Stack { s, .. } => {
                    return (self.stacks.get(s as usize)?.key == key.stack).then_some((i, 0));
                }
                Row::Module { m, .. } => (m, None),
                Row::Right { m, k, .. } => (m, Some(k)),
            };
            let module = self.modules.get(m as usize)?;
            if self.stacks.get(module.stack as usize)?.key != key.stack
                || Some(&module.module) != key.module.as_ref()
            {
                return None;
            }
            let right = k.and_then(|k| module.rights.get(k as usize)).map(|r| &r.right);
            match (right, key.right.as_ref()) {
                (None, _) => Some((i, 1)),
                (Some(a), Some(b)) if a == b => Some((i, 2)),
                _ => None,
            }
        });
        if let Some((i, _)) = found.max_by_key(|&(i, depth)| (depth, std::cmp::Reverse(i))) {
            self.select(i);
        }
    }
}

/// A permissions row by what it shows (see [`Permissions::selected_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermKey {
    pub stack: String,
    pub module: Option<String>,
    pub right: Option<String>,
}

/// Whether a row's own text matches the filter.
fn row_matched(row: Row) -> bool {
    matches!(
        row,
        Row::Stack { matched: true, .. }
            | Row::Module { matched: true, .. }
            | Row::Right { matched: true, .. }
    )
}

/// A row without its match bit, to find it again after the filter changed.
fn identity(row: Row) -> (u8, u32, u32) {
    match row {
        Row::Stack { s, .. } => (0, s, 0),
        Row::Module { m, .. } => (1, m, 0),
        Row::Right { m, k, .. } => (2, m, k),
    }
}

mod details;
mod texts;
rows_in_fields!(Permissions);

#[cfg(test)]
mod tests;
