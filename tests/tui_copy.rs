//! `y` and `Y` on the profile: what goes to the clipboard (as `Effect::Copy`, written by the
//! loop with OSC 52), the toast, the setting that turns it off, and that a token never goes;
//! then the real binary in a pty, decoding the OSC 52 sequence it writes.

mod common;

use base64::Engine;
use common::*;
use cs_account::app::{App, Effect};
use cs_account::screens::profile::Tab;

fn logged_in(user: &cs_account::api::User) -> App {
    let mut a = app(80, 24);
    log_in(&mut a, user);
    a.toasts.clear();
    a
}

/// The texts `effects` put on the clipboard.
fn copied(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| if let Effect::Copy(text) = e { Some(text.clone()) } else { None })
        .collect()
}

fn toast_text(a: &App) -> String {
    a.toasts.iter().map(|t| t.text.clone()).collect::<Vec<_>>().join(" | ")
}

#[test]
fn y_copies_the_selected_roles_uid_and_says_so() {
    let user = full_user();
    let mut a = logged_in(&user);
    let first = user.roles.first().and_then(|r| r.uid.clone()).expect("the sample's first role has a uid");
    let effects = send(&mut a, [ch('y')]);
    assert_eq!(copied(&effects), [first]);
    assert!(toast_text(&a).contains("Copied UID"), "{}", toast_text(&a));
}

#[test]
fn y_on_a_rule_copies_its_targets_and_on_raw_json_the_line() {
    let mut a = logged_in(&full_user());
    let effects = send(&mut a, [ch('l'), ch('j'), ch('y')]);
    let text = copied(&effects).pop().expect("a copy");
    assert!(text.contains(": "), "a rule's targets, as `list: items`: {text}");
    let effects = send(&mut a, [ch('5'), ch('j'), ch('y')]);
    let line = copied(&effects).pop().expect("a copy");
    assert!(line.starts_with("\"uid\":"), "the first line shown after one move down: {line}");
    assert_eq!(a.profile().map(|p| p.tab), Some(Tab::Raw));
}

#[test]
fn y_on_the_permissions_tab_copies_a_stacks_key_a_rights_granting_roles_or_a_module() {
    let mut a = logged_in(&full_user());
    let key = copied(&send(&mut a, [ch('2'), ch('y')])).pop().expect("a stack row copies");
    assert_eq!(key, "blt444ad44e4d44aa4a", "a stack's header copies its API key");
    let module = copied(&send(&mut a, [ch('j'), ch('y')])).pop().expect("a module row copies");
    assert!(
        !module.is_empty() && !module.contains('\n') && !module.starts_with("Stack"),
        "the module's name: {module}"
    );
    let grants = copied(&send(&mut a, [ch('j'), ch('y')])).pop().expect("a right row copies");
    assert!(grants.contains('('), "a granting role and its targets: {grants}");
}

#[test]
fn capital_y_copies_the_whole_profile_with_the_token_masked() {
    let mut a = logged_in(&full_user());
    let effects = send(&mut a, [ch('Y')]);
    let json = copied(&effects).pop().expect("a copy");
    let doc: serde_json::Value = serde_json::from_str(&json).expect("the copy is JSON");
    assert_eq!(doc["email"], full_user().email.as_str());
    assert!(!json.contains(TOKEN), "the token is never copied");
    assert!(doc["authtoken"].as_str().is_some_and(|t| t.starts_with('•')), "masked: {}", doc["authtoken"]);
}

#[test]
fn a_profile_too_large_for_a_terminals_clipboard_is_refused_with_what_to_do() {
    let mut user = full_user();
    let role = user.roles.first().cloned().expect("a role");
    user.roles = (0..300)
        .map(|i| {
            let mut r = role.clone();
            r.uid = Some(format!("blt{i:016x}"));
            r.description = Some("d".repeat(2_000));
            r
        })
        .collect();
    let mut a = logged_in(&user);
    let effects = send(&mut a, [ch('Y')]);
    assert!(copied(&effects).is_empty(), "600 KB is not sent through the terminal");
    assert!(
        toast_text(&a).contains("over 512 KB") && toast_text(&a).contains("whoami --json"),
        "{}",
        toast_text(&a)
    );
}

#[test]
fn a_value_holding_the_session_token_is_not_copied() {
    // A hostile server names a role by the user's own token.
    let mut user = full_user();
    if let Some(role) = user.roles.first_mut() {
        role.uid = Some(TOKEN.to_string());
    }
    let mut a = logged_in(&user);
    let effects = send(&mut a, [ch('y')]);
    assert!(copied(&effects).is_empty(), "nothing copied");
    assert!(toast_text(&a).contains("holds your session token"), "{}", toast_text(&a));
}

#[test]
fn with_osc52_off_y_says_how_to_turn_it_on() {
    let mut a = logged_in(&full_user());
    a.copy_enabled = false;
    let effects = send(&mut a, [ch('y')]);
    assert!(copied(&effects).is_empty());
    assert!(toast_text(&a).contains("osc52 = false"), "{}", toast_text(&a));
}

#[test]
fn in_the_filter_y_types() {
    let mut a = logged_in(&full_user());
    let effects = send(&mut a, [ch('/'), ch('y')]);
    assert!(copied(&effects).is_empty());
    assert_eq!(a.profile().map(|p| p.filter.value().to_string()).as_deref(), Some("y"));
}

/// The real binary writes a well-formed OSC 52 sequence holding exactly the value: the first
/// role's UID, which the details popup shows.
#[cfg(unix)]
#[test]
fn y_writes_one_osc52_sequence_with_exactly_the_value() {
    let mut pty = common::pty::Spawn::app(&["demo"]).keep_raw().start();
    pty.wait_for("Demo server");
    pty.send("\u{e}"); // ctrl-n: the first demo login
    pty.send("\r");
    pty.wait_for("1 Roles");
    pty.send("i");
    pty.wait_for("UID");
    let screen = pty.contents();
    pty.send("\u{1b}");
    // Alone, or the terminal reads Esc y as alt-y.
    pty.settle(std::time::Duration::from_millis(150));
    pty.send("y");
    pty.wait_for("Copied UID");
    let raw = String::from_utf8_lossy(pty.raw()).into_owned();
    let start = raw.find("\u{1b}]52;c;").expect("an OSC 52 sequence") + "\u{1b}]52;c;".len();
    let end = start + raw[start..].find('\u{7}').expect("ended by BEL");
    let value = base64::engine::general_purpose::STANDARD.decode(&raw[start..end]).expect("base64");
    let value = String::from_utf8(value).expect("UTF-8");
    assert!(value.starts_with("blt") && !value.contains(char::is_whitespace), "a uid: {value:?}");
    assert!(screen.contains(&value), "the details showed the same UID:\n{screen}");
    assert_eq!(raw.matches("\u{1b}]52;").count(), 1, "one sequence for one y");
    pty.send("q");
    pty.wait_exit();
}
