//! A 1,000 roles × 50 rules profile: counts after expand all and filters, checked against
//! counts taken from the data independently of the tree. Timings are printed by an ignored test
//! (`cargo test --release --lib tests_big -- --ignored --nocapture`), never asserted.

use std::time::Instant;

use crate::api::models::Rule;
use crate::screens::profile::tree::ProfileTree;
use crate::screens::profile::tree::Rows;
use crate::screens::profile::tree::fixtures::big;
use serde_json::{Map, Value};

const ROLES: usize = 1000;
const RULES: usize = 50;

/// Nodes under a rule, counted from the JSON: every boolean, every acl object holding one, every
/// target list, and the items of lists of two or more.
fn nodes_under(rule: &Rule) -> usize {
    fn acl(map: &Map<String, Value>) -> usize {
        map.values()
            .map(|v| match v {
                Value::Bool(_) => 1,
                Value::Object(o) => match acl(o) {
                    0 => 0,
                    n => n + 1,
                },
                _ => 0,
            })
            .sum()
    }
    acl(&rule.acl)
        + rule.targets().map(|(_, items)| 1 + if items.len() > 1 { items.len() } else { 0 }).sum::<usize>()
}

/// The fixture's stacks: role `r` is in `key{r % 7}`.
const STACKS: usize = 7;

#[test]
fn a_thousand_roles_of_fifty_rules() {
    let roles = big(ROLES, RULES);
    // Seven stacks (`key0` to `key6`), each a header over its roles.
    let all_rows: usize =
        STACKS + ROLES + roles.iter().flat_map(|r| &r.rules).map(|rule| 1 + nodes_under(rule)).sum::<usize>();
    let mut t = ProfileTree::new(roles);
    assert_eq!(t.len(), STACKS + ROLES);

    t.expand_all();
    assert_eq!(t.len(), all_rows);
    t.select_last();
    // The last stack's last role.
    assert_eq!(t.selected_path_text(), "Stack key6 › Role 993 › environment › environments: $all");

    // "publish": the flag in every rule, and sub_acl.publish in rules 0, 4, ..., 48 (13 of 50),
    // each shown with its sub_acl group; every role and rule is an ancestor of a match.
    t.set_filter("publish");
    let with_sub = (0..RULES).filter(|j| j % 4 == 0).count();
    assert_eq!(t.match_count(), ROLES * (RULES + with_sub));
    assert_eq!(t.len(), STACKS + ROLES * (1 + RULES + RULES + 2 * with_sub));

    // One uid: its role, rule, target list and itself.
    t.set_filter("BLT7x3x1");
    assert_eq!(t.match_count(), 1);
    assert_eq!(t.len(), 5);
    assert_eq!(t.selected_path_text(), "Stack key0 › Role 7 › locale › locales (3) › blt7x3x1");

    t.set_filter("");
    assert_eq!(t.len(), all_rows, "clearing the filter restores expand all");
    let selected = t.selected();
    t.rebuild(big(ROLES, RULES));
    assert_eq!((t.len(), t.selected()), (all_rows, selected), "a refresh keeps expand all and the selection");
    assert_eq!(t.selected_path_text(), "Stack key0 › Role 7 › locale › locales (3) › blt7x3x1");
    t.collapse_all();
    assert_eq!(t.len(), STACKS + ROLES);
    assert_eq!(t.selected_path_text(), "Stack key0 › Role 7");
}

#[test]
fn a_filter_in_steps_ends_as_the_filter_at_once() {
    let mut at_once = ProfileTree::new(big(ROLES, RULES));
    let mut stepped = ProfileTree::new(big(ROLES, RULES));
    // Somewhere in the middle, with something open, so the selection has a row to keep.
    for t in [&mut at_once, &mut stepped] {
        t.select(500);
        t.expand_selected();
    }
    let rows = |t: &ProfileTree| (0..t.len()).map(|i| t.row(i).map(|r| r.text())).collect::<Vec<_>>();
    for q in ["e", "publish", "blt", "role 9", "blt7x3x1", "zzz", "p", ""] {
        at_once.set_filter(q);
        let mut steps = 1;
        let mut more = stepped.start_filter(q);
        // The first step reaches the selected role, so the selection never jumps later.
        let selected = stepped.selected();
        while more {
            assert!(stepped.filtering());
            more = stepped.continue_filter();
            steps += 1;
        }
        assert!(!stepped.filtering());
        if q == "e" {
            assert!(steps > 5, "a one-letter filter over 1,000 roles takes several steps, not {steps}");
        }
        assert_eq!(stepped.selected(), selected, "{q:?}: the selection stayed where the first step put it");
        assert_eq!((stepped.len(), stepped.match_count()), (at_once.len(), at_once.match_count()), "{q:?}");
        assert_eq!(stepped.selected(), at_once.selected(), "{q:?}");
        assert_eq!(rows(&stepped), rows(&at_once), "{q:?}");
    }
    // Changing the rows while a filter is pending finishes it first.
    assert!(stepped.start_filter("e"));
    at_once.set_filter("e");
    stepped.expand_all();
    at_once.expand_all();
    assert!(!stepped.filtering());
    assert_eq!((stepped.len(), stepped.match_count()), (at_once.len(), at_once.match_count()));
}

#[test]
#[ignore = "prints timings; run in release"]
fn timings() {
    fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        println!("{label:<40} {:>9.3} ms", start.elapsed().as_secs_f64() * 1e3);
        out
    }
    let roles = time("generate 1000 × 50", || big(ROLES, RULES));
    let copy = roles.clone();
    let mut t = time("ProfileTree::new", || ProfileTree::new(copy));
    for q in ["p", "pu", "pub", "publ", "publish", "blt7x3x1", "zzz", "role 5", ""] {
        time(&format!("set_filter({q:?})"), || t.set_filter(q));
        println!("    {} rows, {} matches", t.len(), t.match_count());
    }
    time("expand role 0, rule 0", || {
        t.expand_selected();
        t.move_by(1);
        t.expand_selected();
    });
    time("expand_all", || t.expand_all());
    println!("    {} rows", t.len());
    time("move_by(1) × 100000", || (0..100_000).for_each(|_| t.move_by(1)));
    for q in ["p", "pu", "publish", "zzz"] {
        time(&format!("set_filter({q:?}), all outlines built"), || t.set_filter(q));
    }
    time("set_filter(\"publish\") after expand_all", || t.set_filter("publish"));
    time("set_filter(\"\")", || t.set_filter(""));
    t.select(0);
    time("collapse role 0 (expanded all)", || t.collapse_selected());
    time("row() × 50 (one screen)", || (0..50).filter_map(|i| t.row(i)).count());
    let copy = roles.clone();
    t.expand_all();
    time("rebuild (expanded all)", || t.rebuild(copy));
    t.collapse_all();
    time("rebuild (collapsed)", || t.rebuild(roles));
    time("collapse_all", || t.collapse_all());
    let roles = big(ROLES, RULES);
    let mut p = time("Permissions::new", || crate::screens::profile::permissions::Permissions::new(&roles));
    time("Permissions::set_filter(\"role 99\")", || p.set_filter("role 99"));
}
