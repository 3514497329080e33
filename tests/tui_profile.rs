//! The profile screen: key sequences through `update` (tabs, tree, filter, refresh, 401, log-out)
//! and snapshots of each tab at 80×24 and 40×15.

mod common;

use common::*;
use crossterm::event::KeyCode;
use cs_account::api::{ApiError, Notice};
use cs_account::app::state::Confirm;
use cs_account::app::{App, Effect};
use cs_account::screens::profile::Tab;
use cs_account::screens::profile::tree::Rows;

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 15)];

fn logged_in(w: u16, h: u16) -> App {
    let mut a = app(w, h);
    log_in(&mut a, &full_user());
    a.toasts.clear();
    a
}

/// Snapshots the state `build` makes from a logged-in app, at both reference sizes.
fn snap(name: &str, build: impl Fn(&mut App)) {
    for (size, screen) in screens_at(&SIZES, logged_in, build) {
        insta::assert_snapshot!(format!("{name}_{size}"), screen.backend());
    }
}

fn tab(a: &App) -> Tab {
    a.profile().expect("profile").tab
}

#[test]
fn snapshots_of_each_tab() {
    snap("profile", |_| {});
    snap("profile_tree_expanded", |a| {
        send(a, [ch('l'), ch('j'), ch('l'), ch('j'), ch('j'), ch('j'), ch('l')]);
    });
    snap("profile_filter", |a| {
        send(a, [ch('/')]);
        type_text(a, "asset");
    });
    snap("profile_filter_kept", |a| {
        send(a, [ch('/')]);
        type_text(a, "publish");
        send(a, [key(KeyCode::Enter)]);
    });
    snap("profile_permissions", |a| {
        send(a, [ch('2'), ch('j'), ch('j')]);
    });
    snap("profile_permissions_filter", |a| {
        send(a, [ch('2'), ch('/')]);
        type_text(a, "publish");
    });
    snap("profile_orgs", |a| {
        send(a, [ch('3')]);
    });
    snap("profile_settings", |a| {
        send(a, [ch('4')]);
    });
    snap("profile_raw", |a| {
        send(a, [ch('5')]);
    });
    snap("profile_raw_scrolled", |a| {
        send(a, [ch('5'), ctrl('d'), ch('j')]);
    });
    snap("profile_help", |a| {
        send(a, [ch('?')]);
    });
    snap("logout_confirm", |a| {
        send(a, [ch('L')]);
    });
    snap("profile_refresh_failed", |a| {
        let effects = send(a, [ch('r')]);
        let id = get_user_id(&effects);
        send(a, [answer(id, Err(ApiError::Server { status: 503, code: None, message: String::new() }))]);
    });
}

#[test]
fn tabs_move_with_tab_numbers_and_wrap() {
    let mut a = logged_in(80, 24);
    assert_eq!(tab(&a), Tab::Roles);
    send(&mut a, [key(KeyCode::Tab)]);
    assert_eq!(tab(&a), Tab::Permissions);
    send(&mut a, [key(KeyCode::BackTab), key(KeyCode::BackTab)]);
    assert_eq!(tab(&a), Tab::Stacks, "wraps to the last tab");
    send(&mut a, [key(KeyCode::BackTab)]);
    assert_eq!(tab(&a), Tab::Raw);
    send(&mut a, [ch('6')]);
    assert_eq!(tab(&a), Tab::Stacks);
    send(&mut a, [ch('3')]);
    assert_eq!(tab(&a), Tab::Orgs);
}

#[test]
fn permissions_tab_moves_and_filters() {
    let mut a = logged_in(80, 24);
    send(&mut a, [ch('2'), ch('j'), ch('j'), ch('G')]);
    let p = a.profile().expect("profile");
    assert_eq!(p.tab, Tab::Permissions);
    assert_eq!(p.perms().selected(), p.perms().len() - 1, "G goes to the last row");
    send(&mut a, [ch('g'), ch('/')]);
    assert_eq!(tab(&a), Tab::Permissions, "/ filters the tab it is on");
    type_text(&mut a, "publish");
    let p = a.profile().expect("profile");
    assert!(p.perms().match_count() >= 1 && p.perms().len() < 10, "{} rows", p.perms().len());
    assert_eq!(p.tree.filter(), "publish", "one filter for both views");
}

#[test]
fn tree_keys_expand_collapse_and_move() {
    let mut a = logged_in(80, 24);
    let rows = |a: &App| a.profile().expect("profile").tree.len();
    assert_eq!(rows(&a), 2, "its stack and one role, collapsed");
    assert_eq!(a.profile().map(|p| p.tree.selected()), Some(1), "the role selected");
    send(&mut a, [ch('l')]);
    assert_eq!(rows(&a), 5, "the stack, the role and its three rules");
    send(&mut a, [ch('j'), ch('j')]);
    assert_eq!(
        a.profile().map(|p| p.tree.selected_path_text()).as_deref(),
        Some("Stack blt444ad44e4d44aa4a › Developer › environment")
    );
    send(&mut a, [ch('h'), ch('h')]);
    assert_eq!(a.profile().map(|p| p.tree.selected()), Some(1), "← on a collapsed rule goes to its role");
    send(&mut a, [ch('h')]);
    assert_eq!(rows(&a), 2);
    send(&mut a, [ch('h')]);
    assert_eq!(a.profile().map(|p| p.tree.selected()), Some(0), "← on a collapsed role goes to its stack");
    send(&mut a, [ch('h')]);
    assert_eq!(rows(&a), 1, "the stack closed");
    send(&mut a, [ch('E')]);
    assert!(rows(&a) > 10, "everything expanded");
    send(&mut a, [ch('C')]);
    assert_eq!(rows(&a), 2, "roles collapse; their stacks stay open");
}

#[test]
fn filter_narrows_keeps_and_clears() {
    let mut a = logged_in(80, 24);
    send(&mut a, [ch('/')]);
    type_text(&mut a, "publish");
    let p = a.profile().expect("profile");
    assert!(p.editing_filter && p.tree.match_count() >= 1);
    assert!(!a.should_quit);
    send(&mut a, [key(KeyCode::Enter)]);
    let p = a.profile().expect("profile");
    assert!(!p.editing_filter && p.tree.filter() == "publish", "Enter keeps the filter");
    send(&mut a, [key(KeyCode::Esc)]);
    let p = a.profile().expect("profile");
    assert_eq!((p.tree.filter(), p.filter.value()), ("", ""), "Esc clears it");
    // q typed into the filter is a letter, not a quit.
    send(&mut a, [ch('/'), ch('q')]);
    assert!(!a.should_quit);
}

#[test]
fn refresh_replaces_a_running_refresh_and_keeps_the_tree() {
    let mut a = logged_in(80, 24);
    send(&mut a, [ch('l'), ch('j')]);
    let first = get_user_id(&send(&mut a, [ch('r')]));
    let effects = send(&mut a, [ch('r')]);
    assert!(effects.iter().any(|e| matches!(e, Effect::Cancel(id) if *id == first.id)), "{effects:#?}");
    let second = get_user_id(&effects);
    // The first answer arrives late: dropped.
    assert!(send(&mut a, [answer(first, Ok(full_user().into()))]).is_empty());
    let effects = send(&mut a, [answer(second, Ok(full_user().into()))]);
    assert!(matches!(effects[..], [Effect::Timer { .. }]), "a fading notice");
    let p = a.profile().expect("profile");
    assert_eq!((p.tree.len(), p.tree.selected()), (5, 2), "expansion and selection kept");
    assert!(!a.is_busy());
}

#[test]
fn a_401_returns_to_login_and_back_to_the_same_place() {
    let mut a = logged_in(80, 24);
    send(&mut a, [ch('l'), ch('j'), ch('j'), ch('5'), ch('j'), ch('j'), ch('1')]);
    send(&mut a, [ch('4')]);
    let id = get_user_id(&send(&mut a, [ch('r')]));
    let effects = send(
        &mut a,
        [answer(id, Err(ApiError::Unauthorized { status: 401, code: Some(105), message: "bad".into() }))],
    );
    assert!(effects.iter().any(|e| matches!(e, Effect::DeleteSession { .. })), "the dead token is forgotten");
    let l = a.login().expect("back on the log-in screen");
    assert_eq!(l.email.value(), "john.doe@contentstack.com");
    assert_eq!(l.error.as_ref().map(|e| e.title.as_str()), Some("Session expired"));
    assert!(a.session.is_none());
    log_in(&mut a, &full_user());
    let p = a.profile().expect("profile again");
    assert_eq!(p.tab, Tab::Settings, "same tab");
    assert_eq!((p.tree.len(), p.tree.selected()), (5, 3), "same tree");
    assert_eq!(p.raw.scroll.offset, 2, "same scroll position");
}

#[test]
fn logout_asks_first_and_forgets_the_session_at_once() {
    let mut a = logged_in(80, 24);
    send(&mut a, [ch('L')]);
    assert_eq!(a.confirm, Some(Confirm::Logout));
    send(&mut a, [ch('n')]);
    assert!(a.confirm.is_none() && a.profile().is_some(), "n keeps the session");
    let effects = send(&mut a, [ch('L'), ch('y')]);
    let logout = common::logout_id(&effects);
    assert!(effects.iter().any(|e| matches!(e, Effect::DeleteSession { .. })));
    assert!(a.session.is_none());
    assert_eq!(a.login().map(|l| l.email.value().to_string()).as_deref(), Some("john.doe@contentstack.com"));
    // The server could not be told: still logged out here, and the user is told so.
    send(
        &mut a,
        [answer(
            logout,
            Err(ApiError::Transport {
                kind: cs_account::api::TransportKind::Connect,
                host: String::new(),
                detail: "refused".into(),
            }),
        )],
    );
    assert!(a.toasts.last().is_some_and(|t| t.text.contains("could not be told")), "{:?}", a.toasts);
    let effects = send(&mut a, [ch('L')]);
    assert!(effects.is_empty() && a.confirm.is_none(), "L on the form is a letter");
}

#[test]
fn logout_answer_ok_says_logged_out_and_esc_dismisses_it() {
    let mut a = logged_in(80, 24);
    let effects = send(&mut a, [ch('L'), key(KeyCode::Enter)]);
    let id = common::logout_id(&effects);
    send(&mut a, [answer(id, Ok(Notice { notice: "You've logged out successfully.".into() }))]);
    assert_eq!(a.toasts.len(), 1);
    send(&mut a, [key(KeyCode::Esc)]);
    assert!(a.toasts.is_empty());
}

#[test]
fn toasts_fade_by_their_own_timer() {
    let mut a = logged_in(80, 24);
    let id = get_user_id(&send(&mut a, [ch('r')]));
    let mut effects = send(&mut a, [answer(id, Ok(full_user().into()))]);
    assert_eq!(effects.len(), 1, "{effects:#?}");
    let Some(Effect::Timer { msg, .. }) = effects.pop() else { panic!("a timer") };
    assert_eq!(a.toasts.len(), 1);
    send(&mut a, [*msg]);
    assert!(a.toasts.is_empty());
}

#[test]
fn raw_view_scrolls_within_bounds() {
    let mut a = logged_in(80, 24);
    send(&mut a, [ch('5'), ch('G')]);
    let p = a.profile().expect("profile");
    let page = cs_account::screens::profile::layout::body_height(p.area.get(), false);
    assert_eq!(p.raw.scroll.offset, p.raw_len() - page);
    send(&mut a, [ch('j'), ch('g')]);
    assert_eq!(a.profile().map(|p| p.raw.scroll.offset), Some(0));
}

#[test]
fn without_colour_the_selection_is_still_visible() {
    let mut a = logged_in(80, 24);
    send(&mut a, [ch('l'), ch('j')]);
    let t = draw_with(&a, 80, 24, &cs_account::ui::theme::Theme { no_color: true });
    let buf = t.backend().buffer();
    for cell in buf.content() {
        assert_eq!(
            (cell.fg, cell.bg),
            (ratatui::style::Color::Reset, ratatui::style::Color::Reset),
            "{cell:?}"
        );
    }
    // The selected row (the third tree row, under header and tabs) is reversed.
    let body_top = 6;
    let row: Vec<_> = (0..80).map(|x| &buf[(x, body_top + 2)]).collect();
    assert!(row.iter().any(|c| c.symbol() == "›"), "the › marker");
    assert!(row.iter().all(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED)), "reversed video");
    let other: Vec<_> = (0..80).map(|x| &buf[(x, body_top)]).collect();
    assert!(other.iter().all(|c| !c.modifier.contains(ratatui::style::Modifier::REVERSED)));
}
