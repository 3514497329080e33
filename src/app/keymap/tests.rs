//! The keymap's defaults and how `config.toml` changes them.

use super::overrides::GROUPS;
use super::*;

fn table(text: &str) -> toml::Table {
    toml::from_str(text).expect("valid toml")
}

#[test]
fn defaults_have_vim_keys_next_to_arrows() {
    let m = Keymap::default();
    assert_eq!(m.action(Context::Nav, Key::ch('j')), Some(Action::Down));
    assert_eq!(m.action(Context::Nav, Key::plain(KeyCode::Down)), Some(Action::Down));
    assert_eq!(m.action(Context::Nav, Key::ctrl('d')), Some(Action::PageDown));
    assert_eq!(m.action(Context::Tree, Key::ch('l')), Some(Action::Expand));
    assert_eq!(m.action(Context::Profile, Key::ch('L')), Some(Action::Logout));
    assert_eq!(m.action(Context::Profile, Key::ch('e')), Some(Action::EditProfile));
    assert_eq!(m.action(Context::Edit, Key::plain(KeyCode::Down)), Some(Action::NextField));
}

#[test]
fn no_context_binds_a_key_twice() {
    for ctx in Context::ALL {
        let mut seen = std::collections::HashSet::new();
        for (_, keys) in defaults(ctx) {
            for k in keys {
                assert!(seen.insert(k), "{} binds {k} twice", ctx.name());
            }
        }
    }
}

#[test]
fn default_groups_bind_each_key_once_except_where_a_screen_shadows_global_on_purpose() {
    // Help closes with ? and q, which elsewhere open help and quit.
    let allowed = [(Context::Help, Action::Close)];
    let m = Keymap::default();
    for group in GROUPS {
        for ctx in group.iter() {
            for (action, keys) in m.bindings(*ctx) {
                if allowed.contains(&(*ctx, *action)) {
                    continue;
                }
                for key in keys {
                    let other = m.other_binding(*ctx, *action, *key);
                    let shadowed = other.is_some_and(|o| allowed.contains(&o));
                    assert!(other.is_none() || shadowed, "{key} in {}: also {other:?}", ctx.name());
                }
            }
        }
    }
}

#[test]
fn no_form_binds_a_printable_key() {
    for ctx in Context::ALL.into_iter().filter(|c| c.types_text()) {
        for (action, keys) in defaults(ctx) {
            assert!(keys.iter().all(|k| !k.is_text()), "{}.{} types", ctx.name(), action.name());
        }
    }
}

#[test]
fn overrides_replace_default_keys() {
    let (m, problems) = Keymap::with_overrides(&table(
        "[profile]\nlogout = \"ctrl-l\"\nrefresh = [\"r\", \"F5\"]\n[nav]\ndown = \"ctrl-n\"",
    ));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(m.action(Context::Profile, Key::ctrl('l')), Some(Action::Logout));
    assert_eq!(m.action(Context::Profile, Key::ch('L')), None);
    assert_eq!(m.action(Context::Profile, Key::plain(KeyCode::F(5))), Some(Action::Refresh));
    assert_eq!(m.action(Context::Nav, Key::ctrl('n')), Some(Action::Down));
    assert_eq!(m.action(Context::Nav, Key::ch('j')), None);
    assert_eq!(m.hint(Context::Profile, Action::Logout).as_deref(), Some("ctrl-l"));
}

#[test]
fn a_key_another_action_has_on_the_same_screen_is_refused_once_and_the_default_kept() {
    let (m, problems) = Keymap::with_overrides(&table("[tree]\nexpand = \"q\""));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("keys.tree.expand") && problems[0].contains("'quit'"), "{problems:?}");
    assert!(problems[0].contains("default (→, l)"), "{problems:?}");
    assert_eq!(m.action(Context::Tree, Key::ch('q')), None);
    assert_eq!(m.action(Context::Tree, Key::ch('l')), Some(Action::Expand));
    assert_eq!(m.action(Context::Global, Key::ch('q')), Some(Action::Quit));
    // Within one context too: the other action would be left without its key.
    let (m, problems) = Keymap::with_overrides(&table("[profile]\nrefresh = \"L\""));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(m.action(Context::Profile, Key::ch('L')), Some(Action::Logout));
    assert_eq!(m.action(Context::Profile, Key::ch('r')), Some(Action::Refresh));
    // Nav applies with the profile, the mailbox and the region list: r reloads in two.
    let (_, problems) = Keymap::with_overrides(&table("[nav]\ndown = \"r\""));
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[test]
fn keys_swapped_in_one_go_are_no_conflict() {
    let (m, problems) = Keymap::with_overrides(&table("[profile]\nrefresh = \"L\"\nlogout = \"r\""));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(m.action(Context::Profile, Key::ch('L')), Some(Action::Refresh));
    assert_eq!(m.action(Context::Profile, Key::ch('r')), Some(Action::Logout));
}

#[test]
fn undoing_one_entry_can_undo_another_that_took_its_key() {
    // refresh = "q" clashes with quit, so refresh gets r back, which logout wanted.
    let (m, problems) = Keymap::with_overrides(&table("[profile]\nrefresh = \"q\"\nlogout = \"r\""));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(m.action(Context::Profile, Key::ch('r')), Some(Action::Refresh));
    assert_eq!(m.action(Context::Profile, Key::ch('L')), Some(Action::Logout));
}

#[test]
fn printable_keys_are_refused_where_a_field_types_them() {
    let (m, problems) = Keymap::with_overrides(&table(
        "[login]\nchoose_region = \"g\"\n[password]\nsend = \"s\"\n[edit]\nreview = \"F2\"",
    ));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("would type"), "{problems:?}");
    assert_eq!(m.action(Context::Login, Key::ctrl('g')), Some(Action::ChooseRegion));
    assert_eq!(m.action(Context::Edit, Key::plain(KeyCode::F(2))), Some(Action::Review));
}

#[test]
fn bad_entries_are_reported_and_skipped() {
    let (m, problems) = Keymap::with_overrides(&table(
        "[profil]\nx = \"a\"\n[profile]\nfly = \"f\"\nrefresh = \"hyper-r\"\nlogout = 3\nquit = []\n[global]\nquit = \"ctrl-c\"\nhelp = \"F2\"",
    ));
    assert_eq!(problems.len(), 6, "{problems:#?}");
    assert!(problems.iter().any(|p| p.contains("[keys.profil]")));
    assert!(problems.iter().any(|p| p.contains("no action 'fly'")));
    assert!(problems.iter().any(|p| p.contains("ctrl-c always quits")));
    assert_eq!(m.action(Context::Profile, Key::ch('r')), Some(Action::Refresh));
    assert_eq!(m.action(Context::Global, Key::plain(KeyCode::F(2))), Some(Action::Help));
}
