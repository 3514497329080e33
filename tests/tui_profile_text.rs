//! Every piece of text the profile holds is readable at 80×24 (issue 8, §3): the details popup
//! (`i`), the Raw tab's sideways scrolling, wrapping and search, the filter on every tab with
//! `n`/`N` between its matches, one grantor column in the permissions, nothing cut without `…`
//! or dropped at 50×15, the position shown from the start, and footers that keep their keys
//! from one tab to the next.

mod common;

use common::*;
use crossterm::event::KeyCode;
use cs_account::app::{App, Effect, Msg};
use cs_account::screens::profile::Tab;
use cs_account::screens::profile::tree::Rows;
use unicode_width::UnicodeWidthStr;

fn logged_in(w: u16, h: u16) -> App {
    let mut a = app(w, h);
    log_in(&mut a, &full_user());
    a.toasts.clear();
    a
}

fn screen(a: &App) -> String {
    let (w, h) = a.viewport;
    screen_text(&draw(a, w, h))
}

/// The screen's lines, right spaces trimmed.
fn lines(a: &App) -> Vec<String> {
    screen(a).lines().map(|l| l.trim_end().to_string()).collect()
}

/// Scrolls the Raw tab so the role's description line is the third one shown.
fn to_description(a: &mut App) {
    send(a, [ch('5')]);
    let p = a.profile().expect("profile");
    let raw = p.raw.json.as_ref().expect("raw built");
    let line =
        raw.lines(&p.tree, 0, raw.len()).iter().position(|l| l.contains("\"description\"")).expect("line");
    send(a, (0..line - 2).map(|_| key(KeyCode::Down)));
}

fn snap(name: &str, sizes: &[(u16, u16)], build: impl Fn(&mut App)) {
    for (size, screen) in screens_at(sizes, logged_in, build) {
        insta::assert_snapshot!(format!("{name}_{size}"), screen.backend());
    }
}

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 15)];

const DESCRIPTION: &str = "Developer can perform all Content Manager's actions, view audit logs, create roles, \
                           invite users, manage content types, languages, and environments.";

/// Collapses whitespace, so wrapped text can be compared with the original.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn details_show_a_role_description_whole_and_close_with_esc() {
    for (w, h) in SIZES {
        let mut a = logged_in(w, h);
        assert!(!screen(&a).contains("and environments."), "the row is cut at {w}x{h}");
        send(&mut a, [ch('i')]);
        let text = screen(&a);
        // The popup's text, its border and padding taken off each line.
        let inside: String =
            text.lines().filter_map(|l| l.split('│').nth(1)).map(str::trim).collect::<Vec<_>>().join(" ");
        assert!(words(&inside).contains(DESCRIPTION), "whole description at {w}x{h}:\n{text}");
        send(&mut a, [key(KeyCode::Esc)]);
        assert!(a.profile().is_some_and(|p| p.details.is_none()), "Esc closes");
        assert!(!screen(&a).contains("and environments."));
    }
    snap("details_role", &SIZES, |a| {
        send(a, [ch('i')]);
    });
}

#[test]
fn enter_still_toggles_the_tree_and_i_opens_details_on_every_list() {
    let mut a = logged_in(80, 24);
    send(&mut a, [key(KeyCode::Enter)]);
    let p = a.profile().expect("profile");
    assert_eq!(
        (p.tree.len(), p.details.is_none()),
        (5, true),
        "Enter opens the role (under its stack), as before"
    );
    // A rule: its targets and rights, whole.
    send(&mut a, [ch('G'), ch('i')]);
    let text = screen(&a);
    assert!(text.contains("create, read, update, delete, publish") || text.contains("create"), "{text}");
    assert!(text.contains("assets: $all"), "{text}");
    send(&mut a, [ch('i')]);
    assert!(a.profile().is_some_and(|p| p.details.is_none()), "i closes too");
    for (tab, moves, want) in [('2', 2, "Granted by"), ('3', 1, "Your roles"), ('4', 1, "Favourite stacks")] {
        send(&mut a, [ch(tab)]);
        send(&mut a, (0..moves).map(|_| ch('j')));
        send(&mut a, [ch('i')]);
        assert!(screen(&a).contains(want), "tab {tab}: {}", screen(&a));
        send(&mut a, [key(KeyCode::Esc)]);
    }
}

#[test]
fn the_details_popup_scrolls_and_holds_the_keys() {
    // 40×15: the description of the Developer role and its rules are taller than the popup.
    let mut a = logged_in(40, 15);
    send(&mut a, [ch('i')]);
    let first = screen(&a);
    assert!(first.contains(" of "), "a position in the title when it scrolls:\n{first}");
    send(&mut a, [ch('j'), ch('j')]);
    assert_eq!(a.profile().and_then(|p| p.details.as_ref()).map(|d| d.scroll), Some(2));
    send(&mut a, [ch('G')]);
    let bottom = a.profile().and_then(|p| p.details.as_ref()).map(|d| d.scroll).expect("open");
    send(&mut a, [ch('j')]);
    assert_eq!(
        a.profile().and_then(|p| p.details.as_ref()).map(|d| d.scroll),
        Some(bottom),
        "stops at the end"
    );
    // Keys of the screen behind do nothing while it shows; q still quits.
    send(&mut a, [ch('2'), ch('e'), ch('L')]);
    let p = a.profile().expect("still the profile");
    assert_eq!((p.tab, a.confirm.is_none()), (Tab::Roles, true));
    send(&mut a, [ch('q')]);
    assert!(a.should_quit);
}

#[test]
fn raw_lines_cut_at_the_edge_say_so_and_scroll_sideways() {
    let mut a = logged_in(80, 24);
    to_description(&mut a);
    let y = lines(&a).iter().position(|l| l.contains("\"description\"")).expect("description line");
    let row = lines(&a)[y].clone();
    assert!(row.ends_with('…'), "a cut line ends in …: {row:?}");
    let before = screen(&a);
    send(&mut a, [key(KeyCode::Right)]);
    let row = lines(&a)[y].clone();
    assert_ne!(screen(&a), before, "→ scrolls");
    assert!(row.contains(" …") || row.contains("…"), "{row:?}");
    send(&mut a, [ch('l'), ch('l'), ch('l'), ch('l')]);
    let row = lines(&a)[y].clone();
    assert!(row.contains("environments.\","), "the end of the line can be reached: {row:?}");
    send(&mut a, [key(KeyCode::Left), ch('h'), ch('h'), ch('h'), ch('h')]);
    assert_eq!(a.profile().map(|p| p.raw.column), Some(0));
    snap("raw_sideways", &SIZES, |a| {
        to_description(a);
        send(a, [key(KeyCode::Right)]);
    });
}

#[test]
fn raw_lines_wrap_with_w() {
    let mut a = logged_in(80, 24);
    to_description(&mut a);
    send(&mut a, [ch('w')]);
    let text = screen(&a);
    assert!(words(&text).contains("and environments.\","), "{text}");
    assert!(!lines(&a).iter().any(|l| l.contains("\"description\"") && l.ends_with('…')));
    // Paging through wrapped lines reaches the last line.
    send(&mut a, [ch('G')]);
    assert!(screen(&a).contains("\"authtoken\""), "{}", screen(&a));
    snap("raw_wrapped", &SIZES, |a| {
        to_description(a);
        send(a, [ch('w')]);
    });
}

#[test]
fn slash_on_raw_searches_it_and_n_moves_between_matching_lines() {
    let mut a = logged_in(80, 24);
    send(&mut a, [ch('5'), ch('/')]);
    assert_eq!(a.profile().map(|p| p.tab), Some(Tab::Raw), "/ stays on the Raw tab");
    type_text(&mut a, "$ALL");
    send(&mut a, [key(KeyCode::Enter)]);
    let p = a.profile().expect("profile");
    assert_eq!(p.raw.search.match_count(), 3, "locales, environments, assets");
    let first = p.raw.search.current().expect("moved to the first match");
    let text = screen(&a);
    assert!(text.contains("1 of 3 lines"), "{text}");
    send(&mut a, [ch('n')]);
    let second = a.profile().and_then(|p| p.raw.search.current()).expect("current");
    assert!(second > first);
    send(&mut a, [ch('n'), ch('n')]);
    assert_eq!(a.profile().and_then(|p| p.raw.search.current()), Some(first), "wraps around");
    send(&mut a, [ch('N')]);
    assert!(screen(&a).contains("3 of 3 lines"), "{}", screen(&a));
    snap("raw_search", &SIZES, |a| {
        send(a, [ch('5'), ch('/')]);
        type_text(a, "$all");
        send(a, [key(KeyCode::Enter), ch('n')]);
    });
}

#[test]
fn slash_filters_the_tab_it_is_on() {
    let mut a = logged_in(80, 24);
    send(&mut a, [ch('3'), ch('/')]);
    type_text(&mut a, "partners");
    let p = a.profile().expect("profile");
    assert_eq!(p.tab, Tab::Orgs, "/ on Organisations filters Organisations");
    assert_eq!((p.orgs_list.len(), p.orgs_list.match_count()), (1, 1));
    assert!(screen(&a).contains("Contentstack Partners") && !screen(&a).contains("Doe Industries"));
    send(&mut a, [key(KeyCode::Enter), ch('4')]);
    let p = a.profile().expect("profile");
    assert_eq!(p.tab, Tab::Settings);
    assert!(p.settings_list.is_empty(), "no favourite stack belongs to the partners");
    assert!(screen(&a).contains("No rows match 'partners'"), "{}", screen(&a));
    send(&mut a, [key(KeyCode::Esc), ch('/')]);
    type_text(&mut a, "38c");
    let text = screen(&a);
    assert!(text.contains("blt38c22223b67bd04") && !text.contains("blt922222441b906ce"), "{text}");
    snap("filter_orgs", &SIZES, |a| {
        send(a, [ch('3'), ch('/')]);
        type_text(a, "shared");
    });
}

#[test]
fn n_and_shift_n_move_between_matches_of_the_tree_and_the_permissions() {
    let mut a = logged_in(80, 24);
    send(&mut a, [ch('/')]);
    type_text(&mut a, "read");
    send(&mut a, [key(KeyCode::Enter)]);
    let row = |a: &App| a.profile().map(|p| p.tree.selected_path_text()).unwrap_or_default();
    // The selection stayed on the role (an ancestor of the matches); n goes through them.
    let stack = "Stack blt444ad44e4d44aa4a";
    assert_eq!(row(&a), format!("{stack} › Developer"));
    let mut seen = Vec::new();
    for _ in 0..4 {
        send(&mut a, [ch('n')]);
        seen.push(row(&a));
    }
    assert_eq!(
        seen,
        [
            "Developer › locale › ✓ read",
            "Developer › environment › ✓ read",
            "Developer › asset › ✓ read",
            "Developer › locale › ✓ read",
        ]
        .map(|path| format!("{stack} › {path}"))
    );
    send(&mut a, [ch('N')]);
    assert_eq!(row(&a), format!("{stack} › Developer › asset › ✓ read"));
    send(&mut a, [ch('2')]);
    let right = |a: &App| {
        a.profile()
            .and_then(|p| match p.perms().row(p.perms().selected()) {
                Some(cs_account::screens::profile::permissions::PermRow::Right { module, right, .. }) => {
                    Some(format!("{}.{}", module.module, right.right))
                }
                _ => None,
            })
            .unwrap_or_default()
    };
    assert_eq!(right(&a), "", "the selection stays on the module's heading");
    send(&mut a, [ch('n')]);
    assert_eq!(right(&a), "asset.read");
    send(&mut a, [ch('n')]);
    assert_eq!(right(&a), "environment.read");
    send(&mut a, [ch('N'), ch('N')]);
    assert_eq!(right(&a), "locale.read", "N wraps around to the last match");
}

#[test]
fn n_without_a_filter_says_how_to_set_one() {
    let mut a = logged_in(80, 24);
    let effects = send(&mut a, [ch('n')]);
    assert!(effects.iter().any(|e| matches!(e, Effect::Timer { .. })));
    assert!(a.toasts.last().is_some_and(|t| t.text.contains("press /")), "{:?}", a.toasts);
}

#[test]
fn help_lists_the_new_keys() {
    let mut a = logged_in(80, 40);
    send(&mut a, [ch('?')]);
    let help: Vec<_> = cs_account::screens::help::view::lines(&a, &cs_account::ui::hints::help_rows(&a))
        .into_iter()
        .filter_map(|l| match l {
            cs_account::screens::help::view::HelpLine::Binding { keys, description, .. } => {
                Some(format!("{keys} {description}"))
            }
            _ => None,
        })
        .collect();
    for want in ["n Next match", "N Previous match", "i Details", "→, l Scroll the lines right", "w Wrap"] {
        assert!(help.iter().any(|h| h.starts_with(want)), "{want}: {help:#?}");
    }
}

#[test]
fn the_permissions_grantors_share_one_column() {
    let mut user = full_user();
    // A second role whose right names are longer than the Developer's.
    let mut role = user.roles[0].clone();
    role.name = Some("Publisher".into());
    role.rules = serde_json::from_value(serde_json::json!([
        {"module": "entry", "content_types": ["$all"], "acl": {"read": true, "sub_acl": {"publish": true}}}
    ]))
    .expect("rules");
    user.roles.push(role);
    let mut a = app(80, 24);
    log_in(&mut a, &user);
    send(&mut a, [ch('2')]);
    let starts: Vec<usize> = lines(&a)
        .iter()
        .filter(|l| l.contains("✓ "))
        .filter_map(|l| Some(l[..l.find("Developer").or_else(|| l.find("Publisher"))?].width()))
        .collect();
    assert!(starts.len() >= 8, "{:#?}", lines(&a));
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "one column: {starts:?}\n{:#?}", lines(&a));
}

#[test]
fn at_50x15_nothing_is_cut_silently_or_dropped() {
    let mut a = logged_in(50, 15);
    let text = lines(&a);
    assert!(text[0].ends_with('…'), "the username is cut with …: {:?}", text[0]);
    assert!(text.iter().any(|l| l.contains(" Settings ")), "no `Sett`: {text:#?}");
    let status = text.last().expect("status");
    assert!(!status.trim_start().starts_with('│'), "no stray │: {status:?}");
    send(&mut a, [ch('3')]);
    let text = lines(&a);
    assert!(text.iter().any(|l| l.to_lowercase().contains("roles")), "the roles column survives: {text:#?}");
    assert!(text.iter().any(|l| l.contains("Admin")), "{text:#?}");
    send(&mut a, [ch('5')]);
    let text = lines(&a);
    assert!(text.iter().any(|l| l.contains("/128")), "the raw line counter: {text:#?}");
    assert!(text.iter().any(|l| l.ends_with('…')), "raw lines cut with …: {text:#?}");
}

#[test]
fn the_position_shows_from_the_first_frame() {
    let mut a = logged_in(80, 24);
    assert!(lines(&a).iter().any(|l| l.ends_with("2/2")), "the role under its stack: {:#?}", lines(&a));
    send(&mut a, [ch('2')]);
    assert!(
        lines(&a).iter().any(|l| l.ends_with("1/11")),
        "the stack, its modules and rights: {:#?}",
        lines(&a)
    );
    send(&mut a, [ch('3')]);
    assert!(lines(&a).iter().any(|l| l.ends_with("1/4")), "{:#?}", lines(&a));
    send(&mut a, [ch('5')]);
    assert!(lines(&a).iter().any(|l| l.ends_with("1–16/128")), "{:#?}", lines(&a));
}

#[test]
fn footers_keep_their_keys_from_tab_to_tab() {
    let mut a = logged_in(120, 30);
    let footer = |a: &App| {
        cs_account::ui::hints::hints(a)
            .into_iter()
            .map(|h| format!("{} {}", h.key, h.label))
            .collect::<Vec<_>>()
    };
    // What every tab offers, in this order.
    let common = ["/", "Tab next tab", "? help", "r refresh", "L log out", "e edit", "q quit"];
    for tab in ['1', '2', '3', '4', '5'] {
        send(&mut a, [ch(tab)]);
        let hints = footer(&a);
        let positions: Vec<usize> = common
            .iter()
            .map(|c| {
                hints
                    .iter()
                    .position(|h| h.starts_with(c))
                    .unwrap_or_else(|| panic!("tab {tab}: {c} in {hints:?}"))
            })
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "tab {tab}: {hints:?}");
        assert!(hints[0].starts_with("↑↓"), "tab {tab}: {hints:?}");
    }
}

#[test]
fn a_raw_search_on_a_large_profile_runs_in_steps() {
    let mut user = full_user();
    let base = user.roles[0].clone();
    user.roles = (0..400)
        .map(|i| {
            let mut r = base.clone();
            r.uid = Some(format!("role{i}"));
            r.name = Some(format!("Role {i:04}"));
            r
        })
        .collect();
    let mut a = app(80, 24);
    log_in(&mut a, &user);
    send(&mut a, [ch('5')]);
    send(&mut a, (0..200).map(|_| key(KeyCode::PageDown)));
    let top = a.profile().map(|p| p.raw.scroll.offset).expect("profile");
    send(&mut a, [ch('/')]);
    let beats = |effects: &[Effect]| {
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Timer { msg, .. } if matches!(**msg, Msg::Tick)))
            .count()
    };
    assert_eq!(beats(&type_text(&mut a, "role 0")), 1, "one chain of beats");
    let p = a.profile().expect("profile");
    assert!(p.raw.search.scanning(), "the search goes on in steps");
    let current = p.raw.search.current().expect("a match near the view, at once");
    assert!(current >= top, "the next match below the view: {current} < {top}");
    let mut steps = 0;
    while beats(&send(&mut a, [Msg::Tick])) == 1 {
        steps += 1;
        assert!(steps < 10_000);
    }
    let p = a.profile().expect("profile");
    assert!(!p.raw.search.scanning() && p.raw.search.match_count() >= 400, "{}", p.raw.search.match_count());
}

#[test]
fn a_reload_keeps_the_details_open_on_the_same_row() {
    // A reload asked for before the popup opened answers while it shows.
    let mut a = logged_in(40, 15);
    let id = get_user_id(&send(&mut a, [ch('r')]));
    send(&mut a, [ch('i'), ch('j')]);
    let before = a.profile().and_then(|p| p.details.clone()).expect("open");
    send(&mut a, [answer(id, Ok(full_user().into()))]);
    let after = a.profile().and_then(|p| p.details.clone()).expect("still open");
    assert_eq!(after, before);
}
