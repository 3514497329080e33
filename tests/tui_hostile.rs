//! A hostile profile: escape sequences, C1 controls and BiDi overrides in every string the
//! server controls. Sanitised where they enter (as the API client does), they must reach the
//! screen as visible text and never as control characters.

mod common;

use common::*;
use crossterm::event::KeyCode;
use cs_account::app::App;
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

/// Asserts no cell holds a control or BiDi character.
fn assert_clean(terminal: &Terminal<TestBackend>, what: &str) {
    if let Some(cell) = unclean_cell(terminal) {
        panic!("{what}: {cell}");
    }
}

/// The stacks call's answer, as hostile: a stack named with every trick, in the hostile
/// organisation, holding the hostile role.
fn hostile_stacks() -> cs_account::api::StackListing {
    // Sanitised where it enters, as the client's decoder does.
    let stack: cs_account::api::Stack =
        serde_json::from_value(cs_account::sanitize::json(serde_json::json!({
            "api_key": format!("blt{EVIL}"), "name": format!("Stack{EVIL}"), "org_uid": format!("org{EVIL}"),
            "owner_uid": format!("u{EVIL}"), "description": format!("about\u{1b}[1A{EVIL}"),
            "master_locale": format!("en{EVIL}"), "created_at": format!("2021{EVIL}")
        })))
        .expect("a stack");
    cs_account::api::StackListing { stacks: vec![stack], ..Default::default() }
}

fn hostile_app(w: u16, h: u16) -> App {
    let mut a = app(w, h);
    let effects = log_in_with_stacks_pending(&mut a, &hostile_user());
    let asked = asked(&effects, |r| match r {
        cs_account::app::request::Request::Stacks { then, .. } => Some(then),
        _ => None,
    });
    send(&mut a, [answer(asked, Ok(hostile_stacks()))]);
    a.toasts.clear();
    // Open everything in the tree.
    send(&mut a, [ch('E')]);
    a
}

#[test]
fn no_control_or_bidi_character_reaches_the_screen() {
    for (w, h) in [(80, 24), (40, 15), (120, 40)] {
        let mut a = hostile_app(w, h);
        for tab in ['1', '2', '3', '4', '5', '6'] {
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
        for tab in ['1', '2', '3', '4', '6'] {
            send(&mut a, [ch(tab), ch('g')]);
            let rows = match tab {
                '1' => a.profile().map_or(0, |p| p.tree.len()),
                '2' => a.profile().map_or(0, |p| p.perms().len()),
                '3' => a.profile().map_or(0, |p| p.orgs_list.len()),
                '4' => a.profile().map_or(0, |p| p.settings_list.len()),
                _ => a.profile().map_or(0, |p| p.stacks.list.len()),
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
        assert!(a.profile().is_some_and(|p| p.raw.search.match_count() > 0));
    }
    // The role's whole hostile description, as visible notation (its stack's and organisation's
    // headers are above it).
    let mut a = hostile_app(120, 40);
    send(&mut a, [ch('1'), ch('g'), ch('j'), ch('j'), ch('i')]);
    let text = screen_text(&draw(&a, 120, 40));
    assert!(text.contains("desc^[[1A^[[31mRED"), "{text}");
    // The stack's name and description on the Stacks tab, the same way.
    send(&mut a, [key(KeyCode::Esc), ch('6'), ch('i')]);
    let text = screen_text(&draw(&a, 120, 40));
    assert!(text.contains("Stack^[[31mRED") && text.contains("about^[[1A"), "{text}");
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

/// Characters a terminal draws as nothing: a name that hides a whole sentence in TAG characters
/// must not read as "Admin".
#[test]
fn invisible_characters_show_on_the_profile() {
    let tags: String = "HI".chars().filter_map(|c| char::from_u32(0xE0000 + c as u32)).collect();
    let user = user_from(serde_json::json!({
        "uid": "u1",
        "email": "eve@example.com",
        "first_name": format!("Ad{tags}min"),
        "last_name": "Do\u{3164}e\u{115f}",
        "company": "Ac\u{ad}me\u{34f} ❤\u{fe0f}",
    }));
    let mut a = app(120, 40);
    log_in(&mut a, &user);
    a.toasts.clear();
    let t = draw(&a, 120, 40);
    assert_clean(&t, "profile with invisible characters");
    let text = screen_text(&t);
    assert!(text.contains("Ad⟨U+E0048⟩⟨U+E0049⟩min"), "the hidden text shows:\n{text}");
    assert!(!text.contains("Admin"), "{text}");
    assert!(text.contains("Do⟨U+3164⟩e⟨U+115F⟩"), "Hangul fillers show:\n{text}");
    assert!(text.contains("Ac⟨U+00AD⟩me⟨U+034F⟩"), "soft hyphen and grapheme joiner show:\n{text}");
    assert!(text.contains("❤"), "an emoji keeps its variation selector:\n{text}");
}

/// A 429 with a hostile `Retry-After` (decoded as the client decodes it): the edit form's
/// "try again" is disabled for at most ten minutes, and the message says "later".
#[test]
fn a_hostile_retry_after_disables_saving_for_ten_minutes_at_most() {
    use crossterm::event::KeyCode;
    use cs_account::app::Effect;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
    for after in ["999999999", "Thu, 01 Jan 2099 00:00:00 GMT"] {
        let mut a = app(80, 24);
        log_in(&mut a, &full_user());
        a.toasts.clear();
        send(&mut a, [ch('e'), key(KeyCode::Down), key(KeyCode::Down), ctrl('u')]);
        type_text(&mut a, "Acme Ltd");
        send(&mut a, [key(KeyCode::Enter)]);
        let effects = send(&mut a, [key(KeyCode::Enter)]);
        let id = common::save_id(&effects);
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static(after));
        let body = br#"{"error_message": "Too many requests", "error_code": 429}"#;
        let limited = cs_account::api::decode::update(429, &headers, body);
        let effects = send(&mut a, [answer(id, limited)]);
        let waits: Vec<_> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::Timer { after, .. } => Some(*after),
                _ => None,
            })
            .collect();
        assert!(!waits.is_empty(), "{after}: a timer ends the wait: {effects:#?}");
        assert!(waits.iter().all(|w| *w <= std::time::Duration::from_secs(600)), "{after}: {waits:?}");
        let failure = a.edit().and_then(|e| e.form.failure.clone()).expect("a failure");
        assert!(failure.message.contains("later") && !failure.message.contains("999"), "{failure:?}");
    }
}
