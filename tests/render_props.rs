//! Property: whatever text a server puts in whatever field, no rendered cell holds a control
//! character (C0, DEL, C1, so no ESC and no 8-bit CSI) or an invisible character (BiDi
//! embeddings, overrides, isolates and marks, zero-width characters, TAG characters, Hangul
//! fillers, the soft hyphen, variation selectors anywhere but after their base).
//!
//! Answers are built the way the client builds them: JSON bytes through `api::decode` (which
//! sanitises the whole document, then deserialises the models), then handed to `update` as the
//! runner would. Every screen that shows server data is drawn: the profile's five tabs with the
//! tree expanded, a filter, the raw JSON at both ends, help over the profile, a refresh error;
//! the log-in form with a server's error; the 2FA step with the server's message and SMS notice.
//! Case counts stay modest so `cargo test` stays quick; the hostile fixtures of `tui_hostile.rs`
//! pin the known sequences.

mod common;

use common::*;
use crossterm::event::KeyCode;
use cs_account::api::decode;
use cs_account::app::App;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use reqwest::header::HeaderMap;
use serde_json::{Map, Value, json};

/// One character a hostile server would pick.
fn nasty_char() -> impl Strategy<Value = char> {
    let range = |a: u32, b: u32| (a..=b).prop_filter_map("a char", char::from_u32);
    prop_oneof![
        range(0x00, 0x1f),
        Just('\u{7f}'),
        range(0x80, 0x9f),
        // Embeddings and overrides, isolates, marks.
        range(0x202a, 0x202e),
        range(0x2066, 0x2069),
        Just('\u{200e}'),
        Just('\u{200f}'),
        Just('\u{061c}'),
        // Zero-width and other invisible format characters, line and paragraph separators.
        range(0x200b, 0x200d),
        range(0x2060, 0x2064),
        Just('\u{feff}'),
        Just('\u{180e}'),
        Just('\u{2028}'),
        Just('\u{2029}'),
        range(0xfff9, 0xfffb),
        // Default-ignorable characters a terminal draws as nothing: TAG characters (which can
        // spell out a hidden text), Hangul fillers, the soft hyphen, the combining grapheme
        // joiner, variation selectors (kept only right after their base), musical format
        // controls, Khmer inherent vowels.
        range(0xe0000, 0xe007f),
        prop::sample::select(vec!['\u{115f}', '\u{1160}', '\u{3164}', '\u{ffa0}', '\u{ad}', '\u{34f}']),
        range(0x2065, 0x206f),
        range(0xfe00, 0xfe0f),
        range(0xe0100, 0xe01ef),
        range(0x1d173, 0x1d17a),
        range(0x17b4, 0x17b5),
        // Bases of variation sequences, so a selector often follows one.
        prop::sample::select(vec!['❤', '☎', '1', '葛', 'ᠠ']),
    ]
}

/// Whole sequences terminals act on.
const SEQUENCES: &[&str] = &[
    "\u{1b}[31m",
    "\u{1b}[2J\u{1b}[H",
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}]8;;https://evil.example\u{1b}\\link\u{1b}]8;;\u{1b}\\",
    "\u{1b}[?1049l",
    "\u{1b}P+q\u{1b}\\",
    "\u{9b}6n",
    "\u{1b}[1A\u{1b}[2K",
    "\r\n",
];

/// A string mixing ordinary text, any Unicode scalar, hostile characters and escape sequences.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[a-zA-Z0-9 ._@-]{0,8}",
        3 => any::<char>().prop_map(String::from),
        4 => nasty_char().prop_map(String::from),
        2 => prop::sample::select(SEQUENCES).prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|parts| parts.concat())
}

/// Hands out the generated strings, round robin, one per server field.
#[derive(Debug, Clone)]
struct Pool {
    strings: Vec<String>,
    next: usize,
}

/// A pool of 1 to `max - 1` hostile strings.
fn pool(max: usize) -> impl Strategy<Value = Pool> {
    prop::collection::vec(hostile(), 1..max).prop_map(|strings| Pool { strings, next: 0 })
}

impl Pool {
    fn s(&mut self) -> String {
        let s = self.strings[self.next % self.strings.len()].clone();
        self.next += 1;
        s
    }

    /// An object of one key → value from the pool, plus `fixed`.
    fn object(&mut self, fixed: Value) -> Value {
        let mut map: Map<String, Value> = match fixed {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        map.insert(self.s(), Value::String(self.s()));
        Value::Object(map)
    }
}

/// A user with a pool string in every field the server fills, unknown fields (and their keys)
/// included.
fn user_json(p: &mut Pool) -> Value {
    let org = p.s();
    let mut rule = Map::new();
    rule.insert("module".into(), p.s().into());
    let mut acl = Map::new();
    acl.insert(p.s(), true.into());
    acl.insert("sub_acl".into(), json!({ "publish": false }));
    let mut nested = Map::new();
    nested.insert(p.s(), false.into());
    acl.insert(p.s(), Value::Object(nested));
    acl.insert(p.s(), p.s().into());
    rule.insert("acl".into(), Value::Object(acl));
    rule.insert(p.s(), json!([p.s(), p.s(), p.s()]));
    rule.insert(p.s(), json!([p.s()]));
    rule.insert("extra".into(), p.s().into());
    let role = |p: &mut Pool, rules: Value| {
        let fixed = json!({
            "uid": p.s(), "name": p.s(), "description": p.s(), "users": [p.s(), p.s()],
            "api_key": p.s(), "created_at": p.s(), "updated_at": p.s(), "rules": rules
        });
        p.object(fixed)
    };
    let rules = json!([Value::Object(rule), {"module": p.s(), "acl": {"read": true}, "branches": [p.s()]}]);
    let roles = json!([role(p, rules), role(p, json!([])),]);
    let org_role = json!({"uid": p.s(), "name": p.s(), "admin": true});
    let org_role = p.object(org_role);
    let owned = json!({"uid": org, "name": p.s(), "plan_id": p.s(), "expires_on": p.s(),
                       "is_owner": true, "org_roles": [org_role]});
    let orgs = json!([p.object(owned), {"uid": p.s(), "name": p.s(), "org_roles": [{"name": p.s()}]}]);
    let settings = json!({"global": [
        {"key": "favorite_stacks", "value": [{"org_uid": org, "stacks": [{"api_key": p.s()}, {"api_key": p.s()}]},
                                             {"org_uid": p.s(), "stacks": []}]},
        {"key": p.s(), "value": p.s()}
    ], "preferences": p.object(json!({}))});
    let fixed = json!({
        "uid": p.s(), "email": p.s(), "username": p.s(), "first_name": p.s(), "last_name": p.s(),
        "company": p.s(), "mobile_number": p.s(), "country_code": p.s(), "tfa_status": p.s(),
        "authy_id": p.s(), "active": true, "failed_attempts": 0, "profile_type": p.s(),
        "created_at": p.s(), "updated_at": p.s(), "last_login_at": p.s(), "password_updated_at": p.s(),
        "org_uid": [org], "shared_org_uid": [p.s()], "roles": roles, "organizations": orgs,
        "settings": settings
    });
    let mut user = p.object(fixed);
    if let Some(map) = user.as_object_mut() {
        map.insert(p.s(), json!({ "nested": [p.s(), {"deep": p.s()}] }));
    }
    user
}

fn bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).expect("serialises")
}

/// Asserts no cell of the frame holds a control or invisible format character.
fn assert_clean(terminal: &Terminal<TestBackend>, what: &str) -> Result<(), TestCaseError> {
    match unclean_cell(terminal) {
        Some(cell) => Err(TestCaseError::fail(format!("{what}: {cell}"))),
        None => Ok(()),
    }
}

/// Logs in through the form with decoded answers: the log-in's (with a notice) then the profile's.
fn logged_in(p: &mut Pool, size: (u16, u16)) -> App {
    let mut a = app(size.0, size.1);
    let id = submit_login(&mut a, "eve@example.com", "Demo-pass-1234");
    let mut user = user_json(p);
    let body = json!({"notice": p.s(), "user": user.clone()});
    if let Some(map) = user.as_object_mut() {
        map.insert("authtoken".into(), "blt0123456789abcdef".into());
    }
    let login_body = json!({"notice": body["notice"], "user": user});
    let login = decode::login(200, &HeaderMap::new(), &bytes(&login_body)).expect("a log-in answer");
    let effects = send(&mut a, [answer(id, Ok(login))]);
    let id = get_user_id(&effects);
    let profile = decode::profile(200, &HeaderMap::new(), &bytes(&body));
    send(&mut a, [answer(id, profile)]);
    assert!(a.profile().is_some(), "the profile shows");
    a
}

/// An error body as Contentstack sends them, every text from the pool.
fn error_body(p: &mut Pool, code: Option<i64>) -> Value {
    let mut errors = Map::new();
    errors.insert(p.s(), json!([p.s(), p.s()]));
    json!({"error_message": p.s(), "error_code": code, "errors": errors, "tfa_type": null})
}

const SIZES: [(u16, u16); 3] = [(80, 24), (40, 15), (120, 40)];

/// Statuses and error codes the client classifies differently.
const ERRORS: [(u16, Option<i64>); 9] = [
    (422, Some(104)),
    (422, Some(294)),
    (422, Some(295)),
    (401, Some(105)),
    (422, Some(119)),
    (429, None),
    (503, None),
    (403, None),
    (404, Some(141)),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn profile_screens_show_no_control_character(
        mut p in pool(8),
        (w, h) in prop::sample::select(&SIZES[..]),
        error in prop::sample::select(&ERRORS[..]),
    ) {
        let mut a = logged_in(&mut p, (w, h));
        assert_clean(&draw(&a, w, h), "profile, with the log-in's toasts")?;
        a.toasts.clear();
        send(&mut a, [ch('E')]);
        assert_clean(&draw(&a, w, h), "roles tree, all expanded")?;
        send(&mut a, [key(KeyCode::End)]);
        assert_clean(&draw(&a, w, h), "roles tree, at the end")?;
        for tab in ['2', '3', '4', '5'] {
            send(&mut a, [ch(tab)]);
            assert_clean(&draw(&a, w, h), &format!("tab {tab}"))?;
        }
        send(&mut a, [ch('G')]);
        assert_clean(&draw(&a, w, h), "raw JSON, at the end")?;
        send(&mut a, [ch('1'), ch('/'), ch('e')]);
        assert_clean(&draw(&a, w, h), "roles, filtered")?;
        send(&mut a, [ch('2')]);
        assert_clean(&draw(&a, w, h), "permissions, filtered")?;
        send(&mut a, [key(KeyCode::Esc), key(KeyCode::Esc), ch('?')]);
        assert_clean(&draw(&a, w, h), "help over the profile")?;
        // A refresh that fails shows the server's message in a toast.
        let effects = send(&mut a, [key(KeyCode::Esc), ch('r')]);
        let id = get_user_id(&effects);
        let failed = decode::profile(error.0, &HeaderMap::new(), &bytes(&error_body(&mut p, error.1)));
        send(&mut a, [answer(id, failed)]);
        assert_clean(&draw(&a, w, h), "profile after a failed refresh")?;
    }

    #[test]
    fn log_in_errors_show_no_control_character(
        mut p in pool(6),
        (w, h) in prop::sample::select(&SIZES[..]),
        error in prop::sample::select(&ERRORS[..]),
    ) {
        let mut a = app(w, h);
        a.demo = Some(demo_panel());
        let id = submit_login(&mut a, "eve@example.com", "Demo-pass-1234");
        let result = decode::login(error.0, &HeaderMap::new(), &bytes(&error_body(&mut p, error.1)));
        prop_assert!(result.is_err(), "an error body decodes as an error");
        send(&mut a, [answer(id, result)]);
        assert_clean(&draw(&a, w, h), "log-in form with the server's error")?;
    }

    #[test]
    fn the_two_factor_step_shows_no_control_character(
        mut p in pool(6),
        (w, h) in prop::sample::select(&SIZES[..]),
    ) {
        let mut a = app(w, h);
        let id = submit_login(&mut a, "eve@example.com", "Demo-pass-1234");
        let body = json!({"error_message": p.s(), "error_code": 294, "tfa_type": p.s()});
        let result = decode::login(422, &HeaderMap::new(), &bytes(&body));
        send(&mut a, [answer(id, result)]);
        assert_clean(&draw(&a, w, h), "2FA step with the server's message")?;
        let effects = send(&mut a, [ctrl('s')]);
        let id = common::sms_id(&effects);
        let notice = decode::notice(200, &HeaderMap::new(), &bytes(&json!({"notice": p.s()})));
        send(&mut a, [answer(id, notice)]);
        assert_clean(&draw(&a, w, h), "2FA step with the server's SMS notice")?;
    }
}
