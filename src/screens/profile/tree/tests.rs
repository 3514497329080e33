use crate::screens::profile::tree::fixtures::developer;
use crate::screens::profile::tree::fixtures::hostile;
use crate::screens::profile::tree::*;

/// The visible rows as text: indentation, expand marker, label, `*` on a match.
pub(super) fn dump(t: &ProfileTree) -> Vec<String> {
    (0..t.len())
        .map(|i| {
            let row = t.row(i).expect("visible row");
            let marker = match (row.expandable, row.expanded) {
                (true, true) => "▾ ",
                (true, false) => "▸ ",
                _ => "",
            };
            let star = if row.matched { " *" } else { "" };
            format!("{}{marker}{}{star}", "  ".repeat(row.depth), row.text())
        })
        .collect()
}

fn role(v: serde_json::Value) -> Role {
    serde_json::from_value(v).expect("valid role")
}

/// Developer plus a second role with a nested acl and a three-uid target list.
fn two_roles() -> Vec<Role> {
    vec![
        developer(),
        role(
            serde_json::json!({"uid": "r2", "name": "Editor", "api_key": "k2", "users": ["a", "b"], "rules": [
                {"module": "entry", "acl": {"read": true, "sub_acl": {"publish": false, "read": true}},
                 "content_types": ["blog", "page", "news"]}
            ]}),
        ),
    ]
}

/// Selects the first row whose text is `text`.
fn select_text(t: &mut ProfileTree, text: &str) {
    let i = (0..t.len()).find(|&i| t.row(i).is_some_and(|r| r.text() == text));
    t.select(i.unwrap_or_else(|| panic!("no row is {text:?}: {:#?}", dump(t))));
}

#[test]
fn starts_with_roles_collapsed() {
    let t = ProfileTree::new(two_roles());
    // Each role under its stack's header (no names known: the stacks call has not answered).
    assert_eq!(
        dump(&t),
        [
            "▾ Stack blt444ad44e4d44aa4a · 1 role",
            "  ▸ Developer · 3 users · Developer can perform all Content Manager's actions, view audit logs, create roles, invite users, manage content types, languages, and environments.",
            "▾ Stack k2 · 1 role",
            "  ▸ Editor · 2 users",
        ]
    );
    assert_eq!((t.selected(), t.offset()), (1, 0), "the first role is selected");
    assert_eq!(t.row(0).map(|r| r.kind), Some(RowKind::Stack));
    assert_eq!(t.row(1).map(|r| r.kind), Some(RowKind::Role));
}

#[test]
fn expand_collapse_and_toggle() {
    let mut t = ProfileTree::new(two_roles());
    // Enter on an open stack's header goes to its first role.
    t.select(0);
    t.expand_selected();
    assert_eq!(t.selected(), 1);
    t.expand_selected();
    assert_eq!(t.len(), 7);
    assert_eq!(
        t.row(4).map(|r| r.text()).as_deref(),
        Some("asset · create read update delete publish · assets: $all")
    );
    t.select(4);
    t.toggle_selected();
    assert_eq!(
        dump(&t)[4..11],
        [
            "    ▾ asset · create read update delete publish · assets: $all",
            "      ✓ create",
            "      ✓ read",
            "      ✓ update",
            "      ✓ delete",
            "      ✓ publish",
            "      assets: $all",
        ]
    );
    assert_eq!(t.selected(), 4, "toggling never moves the selection");
    // Collapsing a leaf goes to its parent; collapsing the parent closes it.
    t.select(6);
    t.collapse_selected();
    assert_eq!(t.selected(), 4);
    t.collapse_selected();
    assert_eq!(t.len(), 7);
    assert!(!t.row(4).expect("row").expanded);
    // Collapsing a collapsed rule goes to its role; expanding an open role goes to its first child.
    t.collapse_selected();
    assert_eq!(t.selected(), 1);
    t.expand_selected();
    assert_eq!(t.selected(), 2);
    // A leaf does not expand.
    t.select(4);
    t.expand_selected();
    t.select(5);
    let before = t.len();
    t.expand_selected();
    t.toggle_selected();
    assert_eq!((t.len(), t.selected()), (before, 5));
    // Space on an open node closes it where it is.
    t.select(1);
    t.toggle_selected();
    assert_eq!((t.len(), t.selected()), (4, 1));
    // A role's parent is its stack's header, which closes over its roles and opens again.
    t.collapse_selected();
    assert_eq!(t.selected(), 0);
    t.collapse_selected();
    assert_eq!(
        dump(&t),
        ["▸ Stack blt444ad44e4d44aa4a · 1 role", "▾ Stack k2 · 1 role", "  ▸ Editor · 2 users"]
    );
    t.toggle_selected();
    assert_eq!((t.len(), t.selected()), (4, 0));
}

/// The two roles' tree with the first role open, and in it the rule that reads `rule` open and
/// selected.
fn with_rule_open(rule: &str) -> ProfileTree {
    let mut t = ProfileTree::new(two_roles());
    t.select(1);
    t.expand_selected();
    select_text(&mut t, rule);
    t.expand_selected();
    t
}

#[test]
fn reopening_a_parent_restores_its_open_children() {
    let mut t = with_rule_open("asset · create read update delete publish · assets: $all");
    t.select(0);
    t.collapse_selected();
    t.expand_selected();
    assert_eq!(t.len(), 1 + 1 + 3 + 6 + 2);
}

#[test]
fn expand_all_and_collapse_all() {
    let mut t = ProfileTree::new(two_roles());
    t.expand_all();
    let rows = dump(&t);
    // Developer: 1 + 3 rules + (1 + 1) + (1 + 1) + (5 + 1); Editor: 1 + 1 rule + read + sub_acl
    // (2 flags) + content_types (3 uids).
    assert_eq!(rows.len(), 2 + 14 + 1 + 1 + 1 + 3 + 4);
    assert_eq!(
        rows[15..],
        [
            "▾ Stack k2 · 1 role",
            "  ▾ Editor · 2 users",
            "    ▾ entry · read sub_acl.read · content_types (3)",
            "      ✓ read",
            "      ▾ sub_acl",
            "        ✗ publish",
            "        ✓ read",
            "      ▾ content_types (3)",
            "        blog",
            "        page",
            "        news",
        ]
    );
    t.select(20);
    t.collapse_all();
    assert_eq!(t.len(), 4);
    assert_eq!(t.selected(), 3, "the selection moves to the role it was in");
}

#[test]
fn filter_keeps_ancestors_and_restores_expansion_when_cleared() {
    let mut t = with_rule_open("locale · read · locales: $all");
    let before = dump(&t);
    let selected = t.selected();

    t.set_filter("PUBLISH");
    assert_eq!(
        dump(&t),
        [
            "▾ Stack blt444ad44e4d44aa4a · 1 role",
            "  ▾ Developer · 3 users · Developer can perform all Content Manager's actions, view audit logs, create roles, invite users, manage content types, languages, and environments.",
            "    ▾ asset · create read update delete publish · assets: $all",
            "      ✓ publish *",
            "▾ Stack k2 · 1 role",
            "  ▾ Editor · 2 users",
            "    ▾ entry · read sub_acl.read · content_types (3)",
            "      ▾ sub_acl",
            "        ✗ publish *",
        ]
    );
    assert_eq!(t.match_count(), 2);
    assert_eq!(t.filter(), "PUBLISH");
    assert_eq!(t.selected(), 3, "the selection goes to the first match");
    // Changes made while filtering stay in the filter.
    t.select(1);
    t.collapse_selected();
    assert_eq!(t.len(), 7);

    t.set_filter("");
    assert_eq!(dump(&t), before);
    assert_eq!(t.selected(), 1, "the filtered selection (Developer) is kept");
    t.select(selected);
    t.set_filter("read");
    t.set_filter("");
    assert_eq!(t.selected(), selected);
    assert_eq!(t.match_count(), 0);
}

#[test]
fn a_matching_node_shows_all_its_children_when_opened() {
    let mut t = ProfileTree::new(two_roles());
    t.set_filter("editor");
    assert_eq!(dump(&t), ["▾ Stack k2 · 1 role", "  ▸ Editor · 2 users *"]);
    t.expand_selected();
    t.select(2);
    t.expand_selected();
    assert_eq!(t.len(), 3 + 3, "the rule shows read, sub_acl and content_types");
    t.set_filter("nothing like this");
    assert!(t.is_empty());
    assert_eq!((t.selected(), t.match_count()), (0, 0));
}

#[test]
fn filter_searches_uids_api_keys_and_descriptions() {
    let mut t = ProfileTree::new(two_roles());
    t.set_filter("Page");
    assert_eq!(
        dump(&t),
        [
            "▾ Stack k2 · 1 role",
            "  ▾ Editor · 2 users",
            "    ▾ entry · read sub_acl.read · content_types (3)",
            "      ▾ content_types (3)",
            "        page *",
        ]
    );
    // An API key matches its stack's header, which shows its roles whole.
    t.set_filter("blt444");
    assert_eq!(
        dump(&t),
        [
            "▾ Stack blt444ad44e4d44aa4a · 1 role *",
            "  ▸ Developer · 3 users · Developer can perform all Content Manager's actions, view audit logs, create roles, invite users, manage content types, languages, and environments."
        ]
    );
    assert_eq!(t.match_count(), 1);
    t.set_filter("audit logs");
    assert_eq!(t.match_count(), 1);
    t.set_filter("$all");
    assert_eq!(t.match_count(), 3);
}

#[test]
fn next_and_previous_match_wrap_around() {
    let mut t = ProfileTree::new(two_roles());
    t.set_filter("publish");
    assert_eq!(t.selected(), 1, "the selected role is still visible, so it stays selected");
    t.next_match();
    assert_eq!(t.selected(), 3);
    t.next_match();
    assert_eq!(t.selected(), 8);
    t.next_match();
    assert_eq!(t.selected(), 3);
    t.prev_match();
    assert_eq!(t.selected(), 8);
}

#[test]
fn rebuild_keeps_expansion_selection_and_filter() {
    let mut t = ProfileTree::new(two_roles());
    t.select(3);
    t.expand_selected();
    t.select(4);
    t.expand_selected();
    select_text(&mut t, "content_types (3)");
    t.expand_selected();
    select_text(&mut t, "news");
    t.set_filter("e");
    t.set_filter("");
    let before = dump(&t);

    // The refresh brings the roles in another order, with a new one first.
    let mut roles = two_roles();
    roles.reverse();
    roles.insert(0, role(serde_json::json!({"uid": "new", "name": "Newcomer"})));
    t.rebuild(roles);
    let mut expected = before[2..].to_vec();
    expected.extend_from_slice(&before[..2]);
    expected.extend(["▾ Roles without a stack · 1 role".to_string(), "  Newcomer · 0 users".to_string()]);
    assert_eq!(dump(&t), expected, "Editor's stack as it was, then Developer's, then the new role's");
    assert_eq!(t.row(t.selected()).map(|r| r.text()).as_deref(), Some("news"));

    // A filter survives too, with its rows.
    t.set_filter("publish");
    let filtered = dump(&t);
    t.rebuild(two_roles());
    assert_eq!(t.filter(), "publish");
    assert_eq!(dump(&t).len(), filtered.len());

    // The selected uid disappeared: its list is selected instead.
    t.set_filter("");
    select_text(&mut t, "news");
    let mut roles = two_roles();
    roles[1].rules[0].other.insert("content_types".into(), serde_json::json!(["blog", "page"]));
    t.rebuild(roles);
    assert_eq!(t.row(t.selected()).map(|r| r.text()).as_deref(), Some("content_types (2)"));
}

#[test]
fn selection_clamps_and_pages() {
    let mut t = ProfileTree::new(two_roles());
    t.expand_all();
    let n = t.len();
    t.select(10_000);
    assert_eq!(t.selected(), n - 1);
    t.move_by(-10);
    assert_eq!(t.selected(), n - 11);
    t.move_by(-100);
    assert_eq!(t.selected(), 0);
    t.move_by(10);
    assert_eq!(t.selected(), 10);
    t.select_last();
    assert_eq!(t.selected(), n - 1);
    t.select_first();
    assert_eq!(t.selected(), 0);
    t.select_parent();
    assert_eq!(t.selected(), 0, "a stack's header has no parent");
    t.select(9);
    t.select_parent();
    assert_eq!(t.selected(), 8);
    t.select(1);
    t.select_parent();
    assert_eq!(t.selected(), 0, "a role's parent is its stack's header");
}

#[test]
fn scroll_into_view_follows_the_selection() {
    let mut t = ProfileTree::new(two_roles());
    t.expand_all();
    t.select(20);
    t.scroll_into_view(5);
    assert_eq!(t.offset(), 16);
    t.select(2);
    t.scroll_into_view(5);
    assert_eq!(t.offset(), 2);
    t.collapse_all();
    t.scroll_into_view(5);
    assert_eq!(t.offset(), 0);
}

#[test]
fn breadcrumb_of_the_selection() {
    let mut t = ProfileTree::new(two_roles());
    t.expand_all();
    select_text(&mut t, "✓ create");
    assert_eq!(t.selected_path_text(), "Stack blt444ad44e4d44aa4a › Developer › asset › ✓ create");
    select_text(&mut t, "✗ publish");
    assert_eq!(t.selected_path_text(), "Stack k2 › Editor › entry › sub_acl › ✗ publish");
    assert_eq!(t.selected_role().and_then(|r| r.name).as_deref(), Some("Editor"));
    assert_eq!(t.selected_rule().and_then(|r| r.module).as_deref(), Some("entry"));
    t.select(0);
    assert!(t.selected_rule().is_none());
}

#[test]
fn flags_carry_their_symbol_and_kind() {
    let mut t = ProfileTree::new(two_roles());
    t.expand_all();
    select_text(&mut t, "✗ publish");
    let row = t.row(t.selected()).expect("row");
    assert_eq!(row.kind, RowKind::Flag { allowed: false });
    assert_eq!(row.parts[0], TextPart { text: "✗".into(), tone: Tone::Denied });
    assert_eq!(row.depth, 4);
}

#[test]
fn an_empty_profile_does_nothing_harmful() {
    let mut t = ProfileTree::new(Vec::new());
    assert!(t.is_empty());
    t.expand_selected();
    t.collapse_selected();
    t.toggle_selected();
    t.expand_all();
    t.move_by(3);
    t.select_last();
    t.next_match();
    t.set_filter("x");
    t.scroll_into_view(10);
    t.rebuild(Vec::new());
    assert_eq!((t.len(), t.selected(), t.offset()), (0, 0, 0));
    assert_eq!(t.selected_path_text(), "");
    assert!(t.row(0).is_none());
}

#[test]
fn hostile_text_arrives_sanitised_and_is_shown_as_is() {
    let mut t = ProfileTree::new(vec![hostile()]);
    t.expand_all();
    for row in dump(&t) {
        assert!(crate::sanitize::is_clean(&row), "{row:?}");
    }
    assert!(t.row(1).expect("row").text().starts_with("Ｒｏｌｅ 管理者^[[31mRED⟨U+202E⟩gnp.exe"));
    t.set_filter("削除");
    assert_eq!(t.match_count(), 1);
    t.set_filter("pwned");
    t.next_match();
    assert_eq!(t.row(t.selected()).map(|r| r.text()).as_deref(), Some("x^[]0;pwned^G"));
}

#[test]
fn a_new_filter_forgets_the_previous_ones_hits_and_expansion() {
    let mut t = ProfileTree::new(two_roles());
    t.set_filter("e");
    t.expand_all();
    t.set_filter("blog");
    let only_blog = [
        "▾ Stack k2 · 1 role",
        "  ▾ Editor · 2 users",
        "    ▾ entry · read sub_acl.read · content_types (3)",
        "      ▾ content_types (3)",
        "        blog *",
    ];
    assert_eq!(dump(&t), only_blog);
    t.set_filter("publish");
    t.select(7);
    t.collapse_selected();
    t.set_filter("blog");
    assert_eq!(dump(&t), only_blog);
}

#[test]
fn roles_come_back_whole_for_a_reload() {
    let roles = two_roles();
    let want = serde_json::to_value(&roles).expect("serialises");
    let t = ProfileTree::new(roles);
    assert_eq!(serde_json::to_value(t.roles()).expect("serialises"), want, "rules included");
    assert_eq!(t.role_count(), 2);
}
