//! A hostile profile: escape sequences, C1 controls and BiDi overrides in every string the
//! server controls. Sanitised where they enter (as the API client does), they must reach the
//! screen as visible text and never as control characters.

mod common;

use common::*;
use crossterm::event::KeyCode;
use cs_account::app::App;
use cs_account::sanitize::is_invisible_format;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const EVIL: &str = "\u{1b}[31mRED\u{9b}2J\u{1b}]0;pwned\u{7}\u{202e}gnp.exe\u{2066}";

fn hostile_user() -> cs_account::api::User {
    user_from(serde_json::json!({
        "uid": format!("u{EVIL}"),
        "email": format!("eve{EVIL}@example.com"),
        "username": format!("eve{EVIL}"),
        "first_name": format!("Eve{EVIL}"),
        "last_name": "\u{202e}reversed",
        "company": format!("Evil\u{1b}[2JCorp"),
        "mobile_number": "\u{200f}555",
        "country_code": "1\u{7}",
        "tfa_status": format!("off{EVIL}"),
        "created_at": format!("2020{EVIL}"),
        "org_uid": [format!("org{EVIL}")],
        "organizations": [{"uid": format!("org{EVIL}"), "name": format!("Org{EVIL}"),
                           "org_roles": [{"name": format!("Boss{EVIL}"), "admin": true}]}],
        "settings": {"global": [{"key": "favorite_stacks", "value": [
            {"org_uid": format!("org{EVIL}"), "stacks": [{"api_key": format!("key{EVIL}")}]}]}]},
        format!("extra{EVIL}"): format!("value{EVIL}"),
        "roles": [{
            "uid": format!("r{EVIL}"),
            "name": format!("Role{EVIL}"),
            "description": format!("desc\u{1b}[1A{EVIL}"),
            "api_key": format!("blt{EVIL}"),
            "rules": [{
                "module": format!("content_type{EVIL}"),
                "content_types": [format!("ct{EVIL}"), "\u{202e}txt.exe"],
                "acl": {format!("read{EVIL}"): true, "sub_acl": {format!("publish\u{9b}"): false}}
            }]
        }]
    }))
}

/// Every cell's text, asserting none holds a control or BiDi character.
fn assert_clean(terminal: &Terminal<TestBackend>, what: &str) {
    let buf = terminal.backend().buffer();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            assert!(
                !sym.chars().any(|c| c.is_control() || is_invisible_format(c)),
                "{what}: cell ({x},{y}) holds {sym:?}\n{}",
                screen_text(terminal)
            );
        }
    }
}

fn hostile_app(w: u16, h: u16) -> App {
    let mut a = app(w, h);
    log_in(&mut a, &hostile_user());
    a.toasts.clear();
    // Open everything in the tree.
    send(&mut a, [ch('E')]);
    a
}

#[test]
fn no_control_or_bidi_character_reaches_the_screen() {
    for (w, h) in [(80, 24), (40, 15), (120, 40)] {
        let mut a = hostile_app(w, h);
        for tab in ['1', '2', '3', '4', '5'] {
            send(&mut a, [ch(tab)]);
            let t = draw(&a, w, h);
            assert_clean(&t, &format!("tab {tab} at {w}x{h}"));
        }
        send(&mut a, [ch('5'), ch('G')]);
        assert_clean(&draw(&a, w, h), "raw, scrolled to the end");
        send(&mut a, [ch('1'), ch('/')]);
        type_text(&mut a, "red");
        assert_clean(&draw(&a, w, h), "filtered");
        send(&mut a, [key(KeyCode::Esc), key(KeyCode::Esc)]);
    }
}

/// The details popup of every row of every list, the Raw tab scrolled sideways, wrapped and
/// searched: all of it shows the server's text whole, and none of it as control characters.
#[test]
fn details_and_raw_views_stay_clean() {
    for (w, h) in [(80, 24), (40, 15)] {
        let mut a = hostile_app(w, h);
        for tab in ['1', '2', '3', '4'] {
            send(&mut a, [ch(tab), ch('g')]);
            let rows = match tab {
                '1' => a.profile().map_or(0, |p| p.tree.len()),
                '2' => a.profile().map_or(0, |p| p.perms.len()),
                '3' => a.profile().map_or(0, |p| p.orgs_list.len()),
                _ => a.profile().map_or(0, |p| p.settings_list.len()),
            };
            for row in 0..rows {
                send(&mut a, [ch('i')]);
                let t = draw(&a, w, h);
                assert_clean(&t, &format!("details of row {row} of tab {tab} at {w}x{h}"));
                send(&mut a, [ch('G')]);
                assert_clean(&draw(&a, w, h), "details scrolled to the end");
                send(&mut a, [key(KeyCode::Esc), ch('j')]);
            }
        }
        send(&mut a, [ch('5')]);
        for k in [key(KeyCode::Right), key(KeyCode::Right), ch('w'), ch('G'), ch('w'), ch('l')] {
            send(&mut a, [k]);
            assert_clean(&draw(&a, w, h), &format!("raw at {w}x{h}"));
        }
        send(&mut a, [ch('/')]);
        type_text(&mut a, "pwned");
        send(&mut a, [key(KeyCode::Enter), ch('n'), ch('N')]);
        assert_clean(&draw(&a, w, h), "raw searched");
        assert!(a.profile().is_some_and(|p| p.raw_search.match_count() > 0));
    }
    // The role's whole hostile description, as visible notation.
    let mut a = hostile_app(120, 40);
    send(&mut a, [ch('1'), ch('g'), ch('i')]);
    let text = screen_text(&draw(&a, 120, 40));
    assert!(text.contains("desc^[[1A^[[31mRED"), "{text}");
}

#[test]
fn hostile_text_shows_as_visible_notation() {
    let a = hostile_app(120, 40);
    let t = draw(&a, 120, 40);
    let text = screen_text(&t);
    assert!(text.contains("Eve^[[31mRED"), "{text}");
    assert!(text.contains("⟨U+202E⟩"), "{text}");
    insta::assert_snapshot!("hostile_profile_120x40", t.backend());
    insta::assert_snapshot!("hostile_profile_80x24", draw(&hostile_app(80, 24), 80, 24).backend());
}
