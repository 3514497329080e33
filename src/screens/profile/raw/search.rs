//! Searching the Raw tab: which lines of the pretty JSON hold the filter's text.
//!
//! The raw JSON of a 1,000 × 50 profile is 650,000 lines (20 MB) that are never all printed at
//! once (see [`RawJson`]), and printing and scanning them all takes a fifth of a second:
//! too long for a keystroke. So a search runs in steps, as the tree's filter does: each prints
//! and scans about [`STEP_BYTES`] of the document (a millisecond), and the app draws between
//! steps. It starts with the part holding the first line shown, so the next match is usually
//! found, and shown, by the keystroke's own frame; it then goes on to the end, wraps to the top
//! and stops where it began. Matching lines are kept as numbers (four bytes each).
//!
//! Matching is case-insensitive on exactly the text shown, line by line: a query never spans two
//! lines.
use crate::screens::profile::raw::RawJson;

use crate::screens::profile::raw::role_text;
use crate::screens::profile::tree::ProfileTree;
use crate::screens::profile::tree::find_all;
use crate::screens::profile::tree::push_lower;

/// Text printed and scanned per step: about a millisecond's work (printing is most of it).
pub(super) const STEP_BYTES: usize = 64 * 1024;

/// A search of the raw JSON, possibly still running.
#[derive(Debug, Default, Clone)]
pub struct RawSearch {
    /// The query as typed, and lower-cased ("" for no search).
    typed: String,
    query: String,
    /// Lines holding a match: ascending once the search is done; while it runs, in the order
    /// found (from the start part to the end, then from the top).
    lines: Vec<u32>,
    scan: Option<Scan>,
    /// The line of the match the view was last moved to.
    current: Option<usize>,
    /// A match found for the view to move to (taken by the app, which knows the page).
    jump: Option<usize>,
}

/// Where a running search is.
#[derive(Debug, Clone, Copy)]
struct Scan {
    /// The part it started with, and the next to scan (parts: head, each role, tail).
    start: usize,
    next: usize,
    /// Where in `lines` the matches after wrapping to the top begin.
    wrapped_at: Option<usize>,
    /// The first line shown when it started: the view moves to the first match from here.
    from: usize,
    /// Still to find the match to move to.
    seeking: bool,
}

impl RawSearch {
    /// Whether this is the search for `typed` (so nothing needs to start again).
    pub fn is_for(&self, typed: &str) -> bool {
        self.typed == typed
    }

    /// The query, lower-cased ("" when there is none).
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Whether steps are left (the count is partial).
    pub fn scanning(&self) -> bool {
        self.scan.is_some()
    }

    /// Lines holding a match (so far, while scanning).
    pub fn match_count(&self) -> usize {
        self.lines.len()
    }

    /// The line of the match the view was last moved to.
    pub fn current(&self) -> Option<usize> {
        self.current
    }

    /// Which match (from 1) the current one is, once the search is done.
    pub fn current_number(&self) -> Option<usize> {
        let current = u32::try_from(self.current?).ok()?;
        if self.scanning() {
            return None;
        }
        self.lines.binary_search(&current).ok().map(|i| i + 1)
    }

    /// A match the view should move to, once: the first at or after the line shown when the
    /// search started (or, failing that, the first of all).
    pub fn take_jump(&mut self) -> Option<usize> {
        self.jump.take()
    }

    /// The user moved the view: a search still running no longer moves it.
    pub fn stop_seeking(&mut self) {
        if let Some(scan) = &mut self.scan {
            scan.seeking = false;
        }
        self.jump = None;
    }

    /// Starts searching `raw` for `typed` from the part holding line `from`, and takes the
    /// first step. An empty query ends the search.
    pub fn start(&mut self, typed: &str, from: usize, raw: &RawJson, tree: &ProfileTree) {
        let mut query = String::with_capacity(typed.len());
        push_lower(&mut query, typed);
        *self = RawSearch { typed: typed.to_string(), query, ..RawSearch::default() };
        if self.query.is_empty() || raw.is_empty() {
            return;
        }
        let start = raw.part_of(from.min(raw.len() - 1));
        self.scan = Some(Scan { start, next: start, wrapped_at: None, from, seeking: true });
        self.step(raw, tree);
    }

    /// Takes the next step; returns whether more remain.
    pub fn step(&mut self, raw: &RawJson, tree: &ProfileTree) -> bool {
        self.scan_bytes(raw, tree, STEP_BYTES)
    }

    /// Takes every step left.
    pub fn finish(&mut self, raw: &RawJson, tree: &ProfileTree) {
        self.scan_bytes(raw, tree, usize::MAX);
    }

    fn scan_bytes(&mut self, raw: &RawJson, tree: &ProfileTree, budget: usize) -> bool {
        let Some(mut scan) = self.scan else { return false };
        let parts = raw.parts();
        let mut buf = String::new();
        let mut bytes = 0;
        let mut done = false;
        while !done && bytes < budget {
            let before = self.lines.len();
            let lines = &mut self.lines;
            bytes += raw.scan_part(tree, scan.next, &self.query, &mut buf, |line| {
                lines.push(u32::try_from(line).unwrap_or(u32::MAX));
            });
            if scan.seeking {
                let wrapped = scan.wrapped_at.is_some();
                let found =
                    self.lines[before..].iter().map(|&l| l as usize).find(|&l| wrapped || l >= scan.from);
                if let Some(line) = found {
                    self.found(line);
                    scan.seeking = false;
                }
            }
            scan.next += 1;
            if scan.next == parts {
                scan.next = 0;
                scan.wrapped_at = Some(self.lines.len());
            }
            done = scan.wrapped_at.is_some() && scan.next == scan.start;
        }
        if !done {
            self.scan = Some(scan);
            return true;
        }
        self.scan = None;
        if let Some(at) = scan.wrapped_at {
            self.lines.rotate_left(at);
        }
        // Only matches before the starting line, in its own part: the first of all.
        if scan.seeking
            && let Some(&first) = self.lines.first()
        {
            self.found(first as usize);
        }
        false
    }

    fn found(&mut self, line: usize) {
        self.current = Some(line);
        self.jump = Some(line);
    }

    /// The match after (`forward`) or before `anchor`, wrapping around, which becomes the
    /// current one; `inclusive` counts a match on `anchor` itself. Call it once the search is
    /// done (the app finishes a running search first).
    pub fn step_from(&mut self, anchor: usize, inclusive: bool, forward: bool) -> Option<usize> {
        let (first, last) = (*self.lines.first()?, *self.lines.last()?);
        let anchor = u32::try_from(anchor).unwrap_or(u32::MAX);
        let line = if forward {
            let i = self.lines.partition_point(|&l| if inclusive { l < anchor } else { l <= anchor });
            self.lines.get(i).copied().unwrap_or(first)
        } else {
            let i = self.lines.partition_point(|&l| if inclusive { l <= anchor } else { l < anchor });
            i.checked_sub(1).map_or(last, |i| self.lines[i])
        };
        self.current = Some(line as usize);
        Some(line as usize)
    }
}

impl RawJson {
    /// The parts a search goes through: the head, each role, the tail.
    fn parts(&self) -> usize {
        self.role_count() + 2
    }

    fn role_count(&self) -> usize {
        self.role_start.len().saturating_sub(1)
    }

    /// The part holding line `line`.
    fn part_of(&self, line: usize) -> usize {
        if line < self.head.len() {
            return 0;
        }
        let in_roles = line - self.head.len();
        if in_roles >= self.role_lines_total() {
            return self.parts() - 1;
        }
        self.role_start.partition_point(|&s| s <= in_roles)
    }

    /// Calls `hit` with each line of part `part` that holds `query` (lower-cased, not empty), in
    /// order; returns the bytes scanned.
    fn scan_part(
        &self,
        tree: &ProfileTree,
        part: usize,
        query: &str,
        buf: &mut String,
        mut hit: impl FnMut(usize),
    ) -> usize {
        let roles = self.role_count();
        let fixed = |lines: &[String], first: usize, buf: &mut String, hit: &mut dyn FnMut(usize)| {
            let mut bytes = 0;
            for (k, line) in lines.iter().enumerate() {
                buf.clear();
                push_lower(buf, line);
                bytes += line.len() + 1;
                if buf.contains(query) {
                    hit(first + k);
                }
            }
            bytes
        };
        if part == 0 {
            return fixed(&self.head, 0, buf, &mut hit);
        }
        if part > roles {
            return fixed(&self.tail, self.head.len() + self.role_lines_total(), buf, &mut hit);
        }
        let r = part - 1;
        let text = role_text(tree, r, r + 1 == roles);
        buf.clear();
        push_lower(buf, &text);
        let first = self.head.len() + self.role_start[r];
        let (mut line, mut pos, mut last) = (0, 0, None);
        for at in find_all(buf, query) {
            line += buf.as_bytes()[pos..at].iter().filter(|&&b| b == b'\n').count();
            pos = at;
            if last != Some(line) {
                hit(first + line);
                last = Some(line);
            }
        }
        text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Credential, User};
    use crate::screens::profile::tree::fixtures::big;
    use crate::screens::profile::tree::fixtures::developer;
    use crate::screens::profile::tree::fixtures::hostile;
    use secrecy::SecretString;

    fn profile(roles: Vec<crate::api::Role>) -> (RawJson, ProfileTree) {
        let user: User = serde_json::from_value(serde_json::json!({
            "uid": "u1", "email": "a@b.c", "first_name": "Publisher"
        }))
        .expect("valid user");
        let tree = ProfileTree::new(roles);
        let raw =
            RawJson::build(&user, &tree, &Credential::Authtoken(SecretString::from("blt0123456789abcdef")));
        (raw, tree)
    }

    /// The matching lines, the slow way.
    fn expected(raw: &RawJson, tree: &ProfileTree, query: &str) -> Vec<u32> {
        let q = query.to_lowercase();
        let lines = raw.lines(tree, 0, raw.len());
        (0..lines.len() as u32).filter(|&i| lines[i as usize].to_lowercase().contains(&q)).collect()
    }

    #[test]
    fn finds_every_matching_line_from_any_start() {
        let (raw, tree) = profile(vec![developer(), hostile(), developer()]);
        for query in ["publish", "PUBLISH", "\"", "ｒｏｌｅ", "blt", "nothing here", "u1", "bcdef"] {
            let want = expected(&raw, &tree, query);
            for from in [0, 3, 20, raw.len() / 2, raw.len() - 1] {
                let mut s = RawSearch::default();
                s.start(query, from, &raw, &tree);
                s.finish(&raw, &tree);
                assert_eq!(s.lines, want, "{query:?} from line {from}");
                let jump = s.take_jump();
                let next = want.iter().find(|&&l| l as usize >= from).or(want.first()).map(|&l| l as usize);
                assert_eq!(jump, next, "{query:?} from line {from}: the view goes to the next match");
            }
        }
    }

    #[test]
    fn a_large_document_is_searched_in_steps() {
        let (raw, tree) = profile(big(200, 50));
        let mut s = RawSearch::default();
        let from = raw.len() / 2;
        s.start("publish", from, &raw, &tree);
        assert!(s.scanning(), "one step does not cover 200 × 50 rules");
        let jump = s.take_jump().expect("a match near the start, in the first step");
        assert!(jump >= from && jump < from + 2000, "{jump}");
        let mut steps = 1;
        while s.step(&raw, &tree) {
            steps += 1;
        }
        assert!(steps > 2, "{steps} steps");
        assert_eq!(s.lines, expected(&raw, &tree, "publish"));
        assert_eq!(s.take_jump(), None, "the view moved once");
    }

    #[test]
    fn next_and_previous_wrap_around() {
        let (raw, tree) = profile(vec![developer()]);
        let mut s = RawSearch::default();
        s.start("read", 0, &raw, &tree);
        s.finish(&raw, &tree);
        let all: Vec<usize> = s.lines.iter().map(|&l| l as usize).collect();
        assert_eq!(all.len(), 3, "{all:?}");
        assert_eq!(s.step_from(all[0], false, true), Some(all[1]));
        assert_eq!(s.current_number(), Some(2));
        assert_eq!(s.step_from(all[2], false, true), Some(all[0]), "wraps to the first");
        assert_eq!(s.step_from(all[0], false, false), Some(all[2]), "wraps to the last");
        assert_eq!(s.step_from(all[1], true, true), Some(all[1]), "inclusive counts the anchor");
        assert_eq!(s.step_from(0, true, false), Some(all[2]));
    }
}
