//! The filter: which nodes' own text contains the query, shown with their ancestors open.
//!
//! On a 1,000 × 50 profile a one-letter query matches most of half a million nodes, and finding
//! them all takes ten milliseconds or more on a slow machine, too long for one keystroke. So a
//! filter can be applied in steps: [`ProfileTree::start_filter`] lays out the first roles (always
//! up to the selected one), [`ProfileTree::continue_filter`] the next ones, each step about
//! [`STEP_BYTES`] of index text (a millisecond at worst); the app draws between steps, so a
//! keystroke shows its first results at once and the rest stream in below them. Rows are in role
//! order, so each step only appends. Anything else that changes the rows finishes a pending
//! filter first. [`ProfileTree::set_filter`] does it all at once.
use crate::screens::profile::tree::Rows;
use crate::screens::profile::tree::search;

use crate::screens::profile::tree::DESC_HIT;
use crate::screens::profile::tree::FILTERED;
use crate::screens::profile::tree::HIT_SHIFT;
use crate::screens::profile::tree::MATCHED;
use crate::screens::profile::tree::NORMAL;
use crate::screens::profile::tree::Node;
use crate::screens::profile::tree::ProfileTree;
use crate::screens::profile::tree::SELF_HIT;
use crate::screens::profile::tree::headers::From;
use crate::screens::profile::tree::layout::mode_bit;
use crate::screens::profile::tree::search::Hit;

/// Index text scanned per step: about a millisecond's work when nearly every node matches.
pub(super) const STEP_BYTES: usize = 256 * 1024;

/// A filter applied in steps: the next role to scan, and where the selection should go.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pending {
    next_role: usize,
    /// The node selected before the filter changed.
    keep: Option<Node>,
    /// The selection has found its row: `keep`, or failing that the first match.
    settled: bool,
}

impl ProfileTree {
    /// Shows only what contains `query` (case-insensitive) in its own text, with its ancestors
    /// expanded. Role names, api keys and descriptions, modules, flag names, target keys and
    /// uids are searched. An empty query clears the filter and restores the expansion as it
    /// was before. The selection stays on its row if still visible, else goes to the first match.
    pub fn set_filter(&mut self, query: &str) {
        self.start_filter(query);
        self.finish_filter();
    }

    /// [`ProfileTree::set_filter`] in steps: applies the first one and returns whether more
    /// remain, for [`ProfileTree::continue_filter`].
    pub fn start_filter(&mut self, query: &str) -> bool {
        let lowered = search::lower(query);
        let keep = self.selected_node();
        self.filter = query.to_string();
        if lowered == self.query {
            return self.filtering.is_some();
        }
        self.query = lowered;
        self.filtering = None;
        if self.query.is_empty() {
            self.matches = 0;
            self.relayout(keep);
            return false;
        }
        self.clear_hits();
        self.matches = self.mark_group_hits();
        self.rows.clear();
        self.filtering = Some(Pending { next_role: 0, keep, settled: false });
        self.step(keep.map_or(0, |n| n.role as usize))
    }

    /// Takes the next step of a filter started by [`ProfileTree::start_filter`]; returns whether
    /// more remain.
    pub fn continue_filter(&mut self) -> bool {
        self.step(0)
    }

    /// Takes every step left of a pending filter.
    pub fn finish_filter(&mut self) {
        while self.step(usize::MAX) {}
    }

    /// Whether a filter is still being applied (the rows and the match count are partial).
    pub fn filtering(&self) -> bool {
        self.filtering.is_some()
    }

    /// The filter as typed ("" when none).
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// How many nodes' own text matches the filter (0 without one).
    pub fn match_count(&self) -> usize {
        self.matches
    }

    /// Selects the next row that matches the filter, wrapping around (`n`).
    pub fn next_match(&mut self) {
        self.finish_filter();
        let (len, sel) = (self.rows.len(), self.selected());
        if let Some(i) = (1..=len).map(|k| (sel + k) % len).find(|&i| self.rows[i].bits & MATCHED != 0) {
            self.select(i);
        }
    }

    /// Selects the previous row that matches the filter, wrapping around (`N`).
    pub fn prev_match(&mut self) {
        self.finish_filter();
        let (len, sel) = (self.rows.len(), self.selected());
        if let Some(i) = (1..=len).map(|k| (sel + len - k) % len).find(|&i| self.rows[i].bits & MATCHED != 0)
        {
            self.select(i);
        }
    }

    /// Scans and lays out the next roles: at least up to role `through`, then until about
    /// [`STEP_BYTES`] of index text was scanned. Returns whether roles remain.
    fn step(&mut self, through: usize) -> bool {
        let Some(mut pending) = self.filtering else { return false };
        let (from, count) = (pending.next_role, self.role_count());
        let (mut to, mut bytes) = (from, 0);
        while to < count && (to <= through || bytes < STEP_BYTES) {
            bytes += self.index.role_bytes(to);
            to += 1;
        }
        self.apply_hits(from..to);
        let mut rows = std::mem::take(&mut self.rows);
        let first_new = rows.len();
        for r in from..to {
            self.push_grouped(r as u32, From::Top, &mut rows);
        }
        self.rows = rows;
        if !pending.settled {
            let keep = pending.keep.and_then(|n| self.find_row(n));
            let first_match = || self.rows[first_new..].iter().position(|r| r.bits & MATCHED != 0);
            if let Some(i) = keep.or_else(|| first_match().map(|i| first_new + i)) {
                self.select(i);
                pending.settled = true;
            }
        }
        pending.next_role = to;
        let more = to < count;
        self.filtering = more.then_some(pending);
        if !more && !pending.settled {
            self.select(0);
        }
        self.cursor.clamp(self.rows.len());
        more
    }

    /// Forgets every hit and the filter's expansion (the normal expansion stays).
    fn clear_hits(&mut self) {
        self.matches = 0;
        self.role_hit.fill(0);
        self.rule_hit.fill(0);
        self.role_open[FILTERED].fill(false);
        self.rule_open[FILTERED].fill(false);
        let keep = mode_bit(NORMAL);
        self.state.iter_mut().for_each(|s| *s &= keep);
    }

    /// Recomputes the filter's hits and opens their ancestors in the filter's expansion state,
    /// all at once (a refresh restoring a filter).
    pub(super) fn apply_filter(&mut self) {
        self.filtering = None;
        self.clear_hits();
        self.matches = self.mark_group_hits();
        self.apply_hits(0..self.role_count());
    }

    /// Finds the hits of roles `roles` and opens their ancestors, adding to the match count.
    fn apply_hits(&mut self, roles: std::ops::Range<usize>) {
        let mut matches = 0;
        let index = &self.index;
        index.scan_roles(&self.query, &self.rule_start, roles, |hit| {
            matches += 1;
            match hit {
                Hit::Role(r) => self.role_hit[r as usize] |= SELF_HIT,
                Hit::Rule(r, g) => {
                    self.rule_hit[g as usize] |= SELF_HIT;
                    self.role_hit[r as usize] |= DESC_HIT;
                    self.role_open[FILTERED][r as usize] = true;
                }
                Hit::Node(r, g, i) => {
                    let base = self.node_start.get(g as usize).copied().unwrap_or(0) as usize;
                    let at = base + i as usize;
                    let Some(s) = self.state.get_mut(at) else { return };
                    *s |= SELF_HIT << HIT_SHIFT;
                    // Up through the ancestors, each the nearest shallower node before.
                    let (mut k, mut d) = (at, self.depth.get(at).copied().unwrap_or(0));
                    while d > 0 && k > base {
                        k -= 1;
                        if self.depth[k] >= d {
                            continue;
                        }
                        d = self.depth[k];
                        if self.state[k] & (DESC_HIT << HIT_SHIFT) != 0 {
                            break;
                        }
                        self.state[k] |= (DESC_HIT << HIT_SHIFT) | mode_bit(FILTERED);
                    }
                    self.rule_hit[g as usize] |= DESC_HIT;
                    self.rule_open[FILTERED][g as usize] = true;
                    self.role_hit[r as usize] |= DESC_HIT;
                    self.role_open[FILTERED][r as usize] = true;
                }
            }
        });
        self.matches += matches;
    }
}
