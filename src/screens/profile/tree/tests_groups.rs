//! The tree grouped Organisation → Stack → Role once the stacks are known.

use crate::screens::profile::tree::tests::dump as rows;
use crate::screens::profile::tree::*;

/// Four roles in three stacks, as the server sends them: interleaved.
fn roles() -> Vec<Role> {
    let role = |uid: &str, name: &str, key: &str| {
        serde_json::from_value(serde_json::json!({"uid": uid, "name": name, "api_key": key, "users": ["u"],
            "rules": [{"module": "asset", "acl": {"read": true}, "assets": ["$all"]}]}))
        .expect("role")
    };
    vec![
        role("r1", "Developer", "blt_web"),
        role("r2", "Editor", "blt_cat"),
        role("r3", "Reviewer", "blt_web"),
        role("r4", "Ghost", "blt_gone"),
    ]
}

fn directory() -> Directory {
    let mut d = Directory::default();
    let entry = |name: &str, org: &str| StackEntry { name: Some(name.into()), org: Some(org.into()) };
    d.stacks.insert("blt_web".into(), entry("Website", "o_acme"));
    d.stacks.insert("blt_cat".into(), entry("Catalogue", "o_acme"));
    d.orgs.insert("o_acme".into(), "Acme".into());
    d
}

#[test]
fn stacks_group_their_roles_and_names_arrive_without_losing_the_selection() {
    let mut t = ProfileTree::new(roles());
    assert_eq!(
        rows(&t),
        [
            "▾ Stack blt_web · 2 roles",
            "  ▸ Developer · 1 user",
            "  ▸ Reviewer · 1 user",
            "▾ Stack blt_cat · 1 role",
            "  ▸ Editor · 1 user",
            "▾ Stack blt_gone · 1 role",
            "  ▸ Ghost · 1 user",
        ]
    );
    // Reviewer open and selected, Catalogue's stack closed.
    t.select(2);
    t.expand_selected();
    t.select(4);
    t.collapse_selected();
    t.select(2);
    t.set_directory(directory());
    assert_eq!(
        rows(&t),
        [
            "▾ Acme · 2 stacks",
            "  ▸ Catalogue blt_cat · 1 role",
            "  ▾ Website blt_web · 2 roles",
            "    ▸ Developer · 1 user",
            "    ▾ Reviewer · 1 user",
            "      ▸ asset · read · assets: $all",
            "▾ Organisation not known · 1 stack",
            "  ▾ Stack blt_gone · 1 role",
            "    ▸ Ghost · 1 user",
        ],
        "organisation by name, stacks by name, the unlisted stack kept under its key"
    );
    assert_eq!(t.selected_path_text(), "Acme › Website › Reviewer", "the selection stayed on its node");
    // The raw view still reads the roles in the server's order.
    let served: Vec<_> = t.roles().into_iter().map(|r| r.uid.unwrap_or_default()).collect();
    assert_eq!(served, ["r1", "r2", "r3", "r4"]);
}

#[test]
fn the_filter_matches_stack_and_organisation_names() {
    let mut t = ProfileTree::grouped(roles(), directory());
    t.set_filter("website");
    assert_eq!(
        rows(&t),
        [
            "▾ Acme · 2 stacks",
            "  ▾ Website blt_web · 2 roles *",
            "    ▸ Developer · 1 user",
            "    ▸ Reviewer · 1 user",
        ]
    );
    assert_eq!(t.match_count(), 1);
    t.set_filter("acme");
    assert_eq!(t.len(), 1 + 2 + 3, "the organisation shows whole");
    t.set_filter("ghost");
    assert_eq!(
        rows(&t),
        ["▾ Organisation not known · 1 stack", "  ▾ Stack blt_gone · 1 role", "    ▸ Ghost · 1 user *"]
    );
}

#[test]
fn headers_close_open_and_tell_what_they_hold() {
    let mut t = ProfileTree::grouped(roles(), directory());
    assert_eq!(t.selected_path_text(), "Acme › Catalogue › Editor", "the first role is selected");
    t.select(0);
    t.collapse_selected();
    assert_eq!(
        rows(&t),
        [
            "▸ Acme · 2 stacks",
            "▾ Organisation not known · 1 stack",
            "  ▾ Stack blt_gone · 1 role",
            "    ▸ Ghost · 1 user"
        ]
    );
    t.expand_selected();
    t.select(3);
    let d = t.selected_details().expect("details");
    assert_eq!(d.title, "Stack");
    assert_eq!(d.value("Name").as_deref(), Some("Website"));
    assert_eq!(d.value("Stack API key").as_deref(), Some("blt_web"));
    assert_eq!(d.value("Organisation").as_deref(), Some("Acme"));
    assert_eq!(d.value("Your roles").as_deref(), Some("Developer\nReviewer"));
    assert!(t.selected_role().is_none() && t.selected_rule().is_none());
    t.select(0);
    let d = t.selected_details().expect("details");
    assert_eq!((d.title, d.value("UID").as_deref()), ("Organisation", Some("o_acme")));
    assert_eq!(d.value("Stacks").as_deref(), Some("Catalogue\nWebsite"));
    // Collapse all closes roles, not the groups; expand all opens everything.
    t.expand_all();
    assert_eq!(t.len(), 1 + 2 + 1 + 1 + 4 * 4, "each role: itself, its rule, a right and a target");
    t.collapse_all();
    assert_eq!(t.len(), 1 + 2 + 3 + 1 + 1 + 1);
}
