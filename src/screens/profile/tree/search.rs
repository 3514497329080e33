//! The filter's index: every role's and rule's text, lower-cased once when the tree is built.
//!
//! All of it lives in one string, one segment per node, each ending in `\n`. Sanitised text never
//! holds a newline (the sanitiser shows it as `⏎`), so a query without one can never match across
//! two nodes, and the number of newlines before a hit inside a rule's text is the hit's node
//! index. A role's whole block (its own text and its rules') is tested first, so a keystroke skips
//! the roles that cannot match with one vectorised `contains` each.

use crate::api::profile_store::RuleStore;
use crate::screens::profile::tree::outline;
use std::ops::Range;

/// Lower-cased search text of a profile.
#[derive(Debug, Default)]
pub(super) struct SearchIndex {
    text: String,
    /// Per role: the span of its own text (name, api key, description).
    role_own: Vec<(usize, usize)>,
    /// Per role: where its block (own text and all its rules) ends.
    role_end: Vec<usize>,
    /// Per rule (global index): the span of its text: module, then every node of its outline.
    rule_span: Vec<(usize, usize)>,
    /// Per rule: how many nodes its outline has, known without building the outline.
    nodes: Vec<u32>,
}

/// One thing a query matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hit {
    Role(u32),
    /// `(role, global rule)`: the rule's module name.
    Rule(u32, u32),
    /// `(role, global rule, node index)`.
    Node(u32, u32, u32),
}

/// What a query matched: roles, rules (by their own module name) and nodes inside rules.
#[cfg(test)]
#[derive(Debug, Default)]
pub(super) struct Hits {
    pub roles: Vec<u32>,
    /// `(role, global rule)`.
    pub rules: Vec<(u32, u32)>,
    /// `(role, global rule, node index)`.
    pub nodes: Vec<(u32, u32, u32)>,
}

#[cfg(test)]
impl Hits {
    pub fn count(&self) -> usize {
        self.roles.len() + self.rules.len() + self.nodes.len()
    }
}

/// Appends `s` lower-cased, with an ASCII fast path (nearly all keys and uids are ASCII).
pub(crate) fn push_lower(out: &mut String, s: &str) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else {
        out.extend(s.chars().flat_map(char::to_lowercase));
    }
}

/// The lower-cased form of a query, as the index stores text.
pub(super) fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_lower(&mut out, s);
    out
}

/// Where `needle` starts in `hay`, left to right, without overlaps (none for an empty needle).
/// `memchr`'s SIMD substring search: several times faster here than `match_indices`, whose
/// two-way search goes byte by byte, on text where most places do not start a match.
pub(crate) fn find_all<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let needle = if needle.is_empty() { None } else { Some(needle.as_bytes()) };
    needle.into_iter().flat_map(move |n| memchr::memmem::find_iter(hay.as_bytes(), n))
}

impl SearchIndex {
    /// The index of the roles in `rules` (role `r`'s rules from `rule_start[r]` to
    /// `rule_start[r + 1]`). Also appends to `depth` the depth of every node under every rule
    /// (0 for a rule's top-level nodes), from the same walk.
    pub fn build(rules: &RuleStore, rule_start: &[u32], depth: &mut Vec<u8>) -> Self {
        let mut ix = SearchIndex::default();
        let text = &mut ix.text;
        let mut scratch = Vec::new();
        for role in (0..rules.role_count()).filter_map(|r| rules.role(r)) {
            let r = ix.role_own.len();
            let start = text.len();
            // Not the API key: the stack's header above the role matches that (see `headers`).
            for field in [role.name(), role.description()] {
                push_lower(text, field.unwrap_or(""));
                text.push('\n');
            }
            ix.role_own.push((start, text.len()));
            let first = rule_start.get(r).copied().unwrap_or(0) as usize;
            let last = rule_start.get(r + 1).copied().unwrap_or(0) as usize;
            for rule in (first..last).filter_map(|g| rules.rule(g)) {
                let start = text.len();
                push_lower(text, rule.module_name());
                text.push('\n');
                scratch.clear();
                outline::walk(rule, &mut scratch, |a, b| {
                    push_lower(text, a);
                    if let Some(b) = b {
                        text.push_str(": ");
                        push_lower(text, b);
                    }
                    text.push('\n');
                });
                ix.nodes.push(u32::try_from(scratch.len()).unwrap_or(u32::MAX));
                let base = depth.len();
                for l in &scratch {
                    // JSON nesting is capped at 128 by serde_json, so this never saturates.
                    let d = depth.get(base + l.parent as usize).map_or(0, |&p| p.saturating_add(1));
                    depth.push(if l.parent == outline::NONE { 0 } else { d });
                }
                ix.rule_span.push((start, text.len()));
            }
            ix.role_end.push(text.len());
        }
        ix
    }

    /// How many nodes rule `g`'s outline has.
    pub fn nodes(&self, g: usize) -> u32 {
        self.nodes.get(g).copied().unwrap_or(0)
    }

    /// Everything whose own text contains `query` (already lower-cased), collected.
    #[cfg(test)]
    pub fn scan(&self, query: &str, rule_start: &[u32]) -> Hits {
        let mut hits = Hits::default();
        self.scan_roles(query, rule_start, 0..self.role_own.len(), |hit| match hit {
            Hit::Role(r) => hits.roles.push(r),
            Hit::Rule(r, g) => hits.rules.push((r, g)),
            Hit::Node(r, g, i) => hits.nodes.push((r, g, i)),
        });
        hits
    }

    /// Bytes of index text role `r` takes: what scanning it costs.
    pub fn role_bytes(&self, r: usize) -> usize {
        match (self.role_own.get(r), self.role_end.get(r)) {
            (Some(&(start, _)), Some(&end)) => end - start,
            _ => 0,
        }
    }

    /// Calls `hit` for everything in the roles `roles` whose own text contains `query` (already
    /// lower-cased), in text order within each role (a role's own hit after its rules').
    /// `rule_start[r]` is role `r`'s first global rule index, with one extra entry at the end.
    /// Nothing is collected: a one-letter query can match a million places.
    pub fn scan_roles(&self, query: &str, rule_start: &[u32], roles: Range<usize>, mut hit: impl FnMut(Hit)) {
        if query.is_empty() || query.contains('\n') {
            return;
        }
        let own = self.role_own.iter().zip(&self.role_end).enumerate().skip(roles.start).take(roles.len());
        for (r, (&(own_start, own_end), &end)) in own {
            let block = &self.text[own_start..end];
            // One vectorised test rejects the whole role; only a role that matches is walked.
            if !block.contains(query) {
                continue;
            }
            let r32 = r as u32;
            let first = rule_start.get(r).copied().unwrap_or(0) as usize;
            let last = (rule_start.get(r + 1).copied().unwrap_or(0) as usize).min(self.rule_span.len());
            let spans = self.rule_span.get(first..last).unwrap_or_default();
            // Hits come in text order, so the rule they fall in only moves forward; `seg` counts
            // the newlines from the rule's start up to `pos` (segment 0 is the module, segment
            // k > 0 is outline node k - 1), and `last_seg` drops repeated hits in one segment.
            let (mut current, mut seg, mut pos, mut last_seg) = (None, 0usize, 0usize, usize::MAX);
            let mut role_hit = false;
            for at in find_all(block, query) {
                let at = own_start + at;
                if at < own_end {
                    role_hit = true;
                    continue;
                }
                let mut k = current.unwrap_or(0);
                while spans.get(k).is_some_and(|&(_, e)| e <= at) {
                    k += 1;
                }
                let Some(&(span_start, _)) = spans.get(k) else { break };
                if current != Some(k) {
                    (current, seg, pos, last_seg) = (Some(k), 0, span_start, usize::MAX);
                }
                seg += self.text.as_bytes()[pos..at].iter().filter(|&&b| b == b'\n').count();
                pos = at;
                if seg == last_seg {
                    continue;
                }
                last_seg = seg;
                let g = (first + k) as u32;
                match seg.checked_sub(1) {
                    None => hit(Hit::Rule(r32, g)),
                    Some(node) => hit(Hit::Node(r32, g, node as u32)),
                }
            }
            if role_hit {
                hit(Hit::Role(r32));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_name_their_node() {
        let roles: Vec<crate::api::models::Role> = serde_json::from_value(serde_json::json!([
            {"name": "Dev", "api_key": "K1", "rules": [
                {"module": "asset", "acl": {"read": true, "publish": false}, "assets": ["$all"]},
                {"module": "entry", "acl": {"sub_acl": {"publish": true}}}
            ]},
            {"name": "Ops", "description": "Publishes", "rules": []}
        ]))
        .expect("valid roles");
        let starts = [0, 2, 2];
        let mut b = crate::api::profile_store::Builder::default();
        roles.iter().for_each(|r| {
            b.push_role(r);
        });
        let store = b.finish();
        let mut depth = Vec::new();
        let ix = SearchIndex::build(&store, &starts, &mut depth);
        // read, publish, $all; sub_acl, publish.
        assert_eq!(depth, [0, 0, 0, 0, 1]);
        assert_eq!(ix.nodes(0), 3);
        assert_eq!(ix.nodes(1), 2);
        let hits = ix.scan("publish", &starts);
        assert_eq!(hits.roles, [1]);
        assert!(hits.rules.is_empty());
        assert_eq!(hits.nodes, [(0, 0, 1), (0, 1, 1)]);
        let hits = ix.scan("$all", &starts);
        assert_eq!(hits.nodes, [(0, 0, 2)]);
        assert!(ix.scan("k1", &starts).roles.is_empty(), "an API key is its stack header's to match");
        assert_eq!(ix.scan("entry", &starts).rules, [(0, 1)]);
        // A query never matches across two nodes' texts.
        assert_eq!(ix.scan("read\npublish", &starts).count(), 0);
        assert_eq!(ix.scan("readpublish", &starts).count(), 0);
    }

    #[test]
    fn find_all_is_match_indices() {
        let hay = "aaa publish\npub ünï ünï\n$all\nxpubx";
        for needle in ["a", "aa", "pub", "publish", "ünï", "\n", "x", "$all", "nothing", "ï ü"] {
            let want: Vec<usize> = hay.match_indices(needle).map(|(i, _)| i).collect();
            assert_eq!(find_all(hay, needle).collect::<Vec<_>>(), want, "{needle:?}");
        }
        assert_eq!(find_all(hay, "").count(), 0);
    }

    #[test]
    fn lower_case_handles_non_ascii() {
        assert_eq!(lower("ÉQUIPE Dev"), "équipe dev");
    }
}
