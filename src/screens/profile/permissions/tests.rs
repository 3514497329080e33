use crate::screens::profile::permissions::*;
use crate::screens::profile::tree::fixtures::big;
use crate::screens::profile::tree::fixtures::developer;

fn roles(v: serde_json::Value) -> Vec<Role> {
    serde_json::from_value(v).expect("valid roles")
}

/// Developer (seed), plus an Admin granting asset publish on three uids, denying delete and
/// nesting a sub_acl, and a Viewer denying asset publish: all three in Developer's stack.
fn profile() -> Vec<Role> {
    let mut all = vec![developer()];
    all.extend(roles(serde_json::json!([
        {"name": "Admin", "api_key": "blt444ad44e4d44aa4a", "rules": [
            {"module": "asset", "assets": ["a1", "a2", "a3"], "acl": {"publish": true, "delete": false}},
            {"module": "entry", "content_types": ["$all"], "acl": {"read": true, "sub_acl": {"publish": false}}}
        ]},
        {"name": "Viewer", "api_key": "blt444ad44e4d44aa4a", "rules": [
            {"module": "asset", "assets": ["$all"], "acl": {"read": true, "publish": false, "purge": false}},
            {"module": "asset", "assets": ["x"], "acl": {"purge": false}}
        ]}
    ])));
    all
}

fn entry<'a>(p: &'a Permissions, module: &str, right: &str) -> &'a RightEntry {
    let m = p.module(module).unwrap_or_else(|| panic!("no module {module}"));
    m.rights.iter().find(|r| r.right == right).unwrap_or_else(|| panic!("no right {module}.{right}"))
}

fn grants(p: &Permissions, e: &RightEntry) -> Vec<String> {
    e.granted_by.iter().map(|g| p.grant(g)).map(|(role, targets)| format!("{role} ({targets})")).collect()
}

fn denials<'a>(p: &'a Permissions, e: &RightEntry) -> Vec<&'a str> {
    e.denied_by.iter().map(|&r| p.role_name(r)).collect()
}

fn dump(p: &Permissions) -> Vec<String> {
    (0..p.len())
        .map(|i| match p.row(i).expect("row") {
            PermRow::Stack { stack, matched } => {
                format!("{}{}", stack.title(), if matched { " *" } else { "" })
            }
            PermRow::Module { module, matched } => {
                format!("  {}{}", module.module, if matched { " *" } else { "" })
            }
            PermRow::Right { right, matched, .. } => {
                let mark = if right.granted() { "✓" } else { "✗" };
                format!("    {mark} {}{}", right.right, if matched { " *" } else { "" })
            }
        })
        .collect()
}

#[test]
fn two_roles_granting_the_same_right_are_both_named() {
    let p = Permissions::new(&profile());
    let publish = entry(&p, "asset", "publish");
    assert!(publish.granted());
    assert_eq!(grants(&p, publish), ["Developer (assets: $all)", "Admin (assets: 3 uids)"]);
    assert_eq!(denials(&p, publish), ["Viewer"]);
    // Granted by one role, refused by another: still granted.
    let delete = entry(&p, "asset", "delete");
    assert!(delete.granted());
    assert_eq!(delete.denied_by.len(), 1);
}

#[test]
fn a_right_false_everywhere_is_not_granted() {
    let p = Permissions::new(&profile());
    let purge = entry(&p, "asset", "purge");
    assert!(!purge.granted());
    assert_eq!(purge.denied_by.len(), 1, "Viewer denies it in two rules and is named once");
    assert_eq!(p.module("asset").map(ModuleRights::granted_count), Some(5));
}

#[test]
fn nested_rights_are_named_by_their_path() {
    let p = Permissions::new(&profile());
    let module = p.module("entry").expect("entry module");
    assert_eq!(
        module.rights.iter().map(|r| r.right.as_str()).collect::<Vec<_>>(),
        ["read", "sub_acl.publish"]
    );
    assert!(!entry(&p, "entry", "sub_acl.publish").granted());
    assert_eq!(grants(&p, entry(&p, "entry", "read")), ["Admin (content_types: $all)"]);
}

#[test]
fn modules_are_sorted_and_rows_list_every_right() {
    let p = Permissions::new(&profile());
    assert_eq!(
        dump(&p),
        [
            "Stack blt444ad44e4d44aa4a",
            "  asset",
            "    ✓ create",
            "    ✓ read",
            "    ✓ update",
            "    ✓ delete",
            "    ✓ publish",
            "    ✗ purge",
            "  entry",
            "    ✓ read",
            "    ✗ sub_acl.publish",
            "  environment",
            "    ✓ read",
            "  locale",
            "    ✓ read",
        ]
    );
    assert_eq!(p.module("asset").map(ModuleRights::name_width), Some(7));
}

#[test]
fn the_filter_matches_modules_rights_and_role_names() {
    let mut p = Permissions::new(&profile());
    p.select(4);
    p.set_filter("PUB");
    let stack = "Stack blt444ad44e4d44aa4a";
    assert_eq!(dump(&p), [stack, "  asset", "    ✓ publish *", "  entry", "    ✗ sub_acl.publish *"]);
    assert_eq!((p.match_count(), p.selected()), (2, 2));
    p.set_filter("viewer");
    assert_eq!(dump(&p), [stack, "  asset", "    ✓ read *", "    ✓ publish *", "    ✗ purge *"]);
    p.set_filter("loc");
    assert_eq!(dump(&p), [stack, "  locale *", "    ✓ read"]);
    p.set_filter("nothing");
    assert!(p.is_empty());
    p.set_filter("");
    assert_eq!(p.len(), 15);
    assert_eq!(p.filter(), "");
}

#[test]
fn the_selection_stays_on_its_row_through_a_filter() {
    let mut p = Permissions::new(&profile());
    p.select(6); // asset publish
    p.set_filter("admin");
    let on_publish = |p: &Permissions| matches!(p.row(p.selected()), Some(PermRow::Right { right, .. }) if right.right == "publish");
    assert!(on_publish(&p));
    assert_eq!(p.len(), 7, "asset: delete, publish; entry: read, sub_acl.publish; with headers");
    p.set_filter("");
    assert_eq!(p.selected(), 6);
    assert!(on_publish(&p));
}

#[test]
fn moves_and_scrolling() {
    let mut p = Permissions::new(&profile());
    p.move_by(100);
    assert_eq!(p.selected(), 14);
    p.scroll_into_view(4);
    assert_eq!(p.offset(), 11);
    p.select_first();
    p.scroll_into_view(4);
    assert_eq!((p.selected(), p.offset()), (0, 0));
    p.move_by(6);
    p.move_by(-2);
    assert_eq!(p.selected(), 4);
    p.select_last();
    assert_eq!(p.selected(), 14);
}

#[test]
fn no_roles_no_rows() {
    let mut p = Permissions::new(&[]);
    assert!(p.is_empty());
    p.move_by(1);
    p.set_filter("x");
    assert!(p.row(0).is_none());
}

#[test]
fn a_thousand_roles_of_fifty_rules() {
    let all = big(1000, 50);
    let p = Permissions::new(&all);
    // Seven stacks (role `r` is in `key{r % 7}`), five modules each.
    assert_eq!((p.stacks().len(), p.modules().len()), (7, 35));
    let asset = p.module_in("key0", "asset").expect("asset");
    // Rules 0, 5, ..., 45 are the asset rules, and publish is true in all of them (j % 5 == 0).
    // Their targets are `$all` or three uids (j % 3 == 0): two summaries, so two grants per role
    // of the stack (143 of the 1,000 roles are in key0).
    let publish = asset.rights.iter().find(|r| r.right == "publish").expect("publish");
    assert_eq!(publish.granted_by.len(), 143 * 2);
    assert!(publish.denied_by.is_empty());
    // sub_acl.publish is in asset rules with j % 4 == 0 (j = 0, 20, 40), true when j % 8 == 0.
    let sub = asset.rights.iter().find(|r| r.right == "sub_acl.publish").expect("sub_acl.publish");
    assert_eq!((sub.granted_by.len(), sub.denied_by.len()), (286, 143));
}

/// The profile screen builds its permissions view only when asked, and then with the filter
/// typed meanwhile: the same rows as a view built at once and filtered after.
#[test]
fn the_profile_builds_permissions_when_asked_with_the_filter_typed_meanwhile() {
    use crate::screens::profile::ProfileState;
    let user = crate::api::User { uid: "u".into(), email: "a@b.c".into(), ..Default::default() };
    let mut state = ProfileState::new(&user, profile());
    assert!(state.perms_if_built().is_none(), "not built with the tree");
    state.filter.set("publish");
    state.apply_filter();
    assert!(state.perms_if_built().is_none(), "a filter alone does not build it");
    let mut eager = Permissions::new(&profile());
    eager.set_filter("publish");
    let lazy = state.perms();
    assert_eq!((lazy.len(), lazy.match_count()), (eager.len(), eager.match_count()));
    assert!(lazy.match_count() > 0, "the filter matched something");
}

/// A role belongs to one stack: the right one stack's role grants is not granted in another.
#[test]
fn a_right_granted_in_one_stack_is_not_granted_in_another() {
    let two = roles(serde_json::json!([
        {"name": "Publisher", "api_key": "blt_web", "rules": [
            {"module": "asset", "assets": ["$all"], "acl": {"read": true, "publish": true}}]},
        {"name": "Reader", "api_key": "blt_shop", "rules": [
            {"module": "asset", "assets": ["$all"], "acl": {"read": true, "publish": false}}]}
    ]));
    let p = Permissions::new(&two);
    let publish = |key| {
        let module = p.module_in(key, "asset").expect("asset");
        module.rights.iter().find(|r| r.right == "publish").expect("publish").clone()
    };
    assert!(publish("blt_web").granted());
    assert_eq!(grants(&p, &publish("blt_web")), ["Publisher (assets: $all)"]);
    assert!(!publish("blt_shop").granted(), "Publisher is a role of another stack");
    assert_eq!(denials(&p, &publish("blt_shop")), ["Reader"]);
    assert_eq!(
        dump(&p),
        [
            "Stack blt_web",
            "  asset",
            "    ✓ read",
            "    ✓ publish",
            "Stack blt_shop",
            "  asset",
            "    ✓ read",
            "    ✗ publish",
        ]
    );
    // The filter finds a stack by its API key, showing it whole.
    let mut p = p;
    p.set_filter("shop");
    assert_eq!(dump(&p)[0], "Stack blt_shop *");
    assert_eq!(p.len(), 4);
}

#[test]
fn the_selection_is_found_again_by_what_it_shows() {
    let mut p = Permissions::new(&profile());
    p.select(6);
    let key = p.selected_key().expect("a row");
    assert_eq!(key.right.as_deref(), Some("publish"));
    let mut again = Permissions::new(&profile());
    again.set_filter("a");
    again.select_key(&key);
    assert!(
        matches!(again.row(again.selected()), Some(PermRow::Right { right, .. }) if right.right == "publish")
    );
}

#[test]
#[ignore = "prints timings; run in release"]
fn timings() {
    let mut roles = big(1000, 50);
    for (r, role) in roles.iter_mut().enumerate() {
        role.api_key = Some(format!("key{}", r % 200));
    }
    let tree = ProfileTree::new(roles);
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let p = Permissions::from_tree(&tree);
        println!(
            "permissions of 1000 × 50 over 200 stacks: {:.2} ms, {} rows",
            t.elapsed().as_secs_f64() * 1e3,
            p.len()
        );
    }
}
