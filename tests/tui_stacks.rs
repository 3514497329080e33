//! The roles tree names each role's stack: the profile shows at once with API keys, the stacks
//! call that follows fills names in without moving anything, a failure is said once with the
//! key that asks again. Key sequences through `update`, snapshots, and the loop against the
//! demo server over HTTP.

mod common;

use common::harness::{Harness, Setup};
use common::*;
use crossterm::event::KeyCode;
use cs_account::api::error::TransportKind;
use cs_account::api::stacks::StackListing;
use cs_account::api::{ApiError, Stack};
use cs_account::app::request::{OnStacks, Request};
use cs_account::app::{App, Effect};
use cs_account::demo::{DemoOptions, DemoServer};
use cs_account::screens::profile::tree::Rows;
use secrecy::ExposeSecret;

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 15)];
const DEVELOPER_STACK: &str = "blt444ad44e4d44aa4a";

/// The stacks request among `effects`.
fn stacks_id(effects: &[Effect]) -> Asked<OnStacks> {
    asked(effects, |r| match r {
        Request::Stacks { then, .. } => Some(then),
        _ => None,
    })
}

fn named(name: &str) -> Result<StackListing, ApiError> {
    let stack = Stack { api_key: DEVELOPER_STACK.into(), name: Some(name.into()), ..Default::default() };
    Ok(StackListing { stacks: vec![stack], ..Default::default() })
}

fn refused() -> Result<StackListing, ApiError> {
    Err(ApiError::Transport {
        kind: TransportKind::Connect,
        host: "eu-api.contentstack.com".into(),
        detail: "connection refused".into(),
    })
}

/// Logged in; returns the app and the stacks request it sent.
fn logged_in(w: u16, h: u16) -> (App, Asked<OnStacks>) {
    let mut a = app(w, h);
    let effects = log_in_with_stacks_pending(&mut a, &full_user());
    a.toasts.clear();
    (a, stacks_id(&effects))
}

fn rows(a: &App) -> Vec<String> {
    let p = a.profile().expect("profile");
    (0..p.tree.len()).filter_map(|i| p.tree.row(i).map(|r| r.text())).collect()
}

#[test]
fn the_stacks_request_goes_to_the_sessions_endpoint_with_its_token() {
    let mut a = app(80, 24);
    let effects = log_in_with_stacks_pending(&mut a, &full_user());
    let session = a.session.as_ref().expect("a session");
    let (endpoint, token, orgs) = effects
        .iter()
        .find_map(|e| match e {
            Effect::Request { request: Request::Stacks { endpoint, cred, organizations, .. }, .. } => {
                let token = cred.authtoken().expect("an authtoken");
                Some((endpoint.clone(), token.expose_secret().to_string(), organizations.clone()))
            }
            _ => None,
        })
        .expect("the profile asks for the stacks");
    assert_eq!(&endpoint, &session.endpoint);
    assert_eq!(token, session.cred.authtoken().expect("an authtoken").expose_secret());
    assert!(!orgs.is_empty(), "the organisations to ask one by one if the plain call is refused");
}

#[test]
fn names_fill_in_without_moving_the_selection() {
    let (mut a, asked) = logged_in(80, 24);
    send(&mut a, [ch('l'), ch('j'), ch('j')]);
    let before = (a.profile().map(|p| p.tree.selected()), rows(&a).len());
    assert!(rows(&a)[0].contains(DEVELOPER_STACK) && !rows(&a)[0].contains("Website"), "{}", rows(&a)[0]);
    update_with(&mut a, answer(asked, named("Website")));
    assert_eq!((a.profile().map(|p| p.tree.selected()), rows(&a).len()), before, "nothing moved");
    assert!(rows(&a)[0].contains("Website") && rows(&a)[0].contains(DEVELOPER_STACK), "{}", rows(&a)[0]);
    assert!(a.toasts.is_empty(), "nothing to say when it worked");
}

#[test]
fn a_failure_is_said_once_with_the_key_that_asks_again() {
    let (mut a, asked) = logged_in(80, 24);
    update_with(&mut a, answer(asked, refused()));
    let said: Vec<String> = a.toasts.iter().map(|t| t.text.clone()).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains("S tries again") && said[0].contains("eu-api.contentstack.com"), "{}", said[0]);
    assert!(rows(&a)[0].contains(DEVELOPER_STACK), "the API key stays");
    let again = send(&mut a, [ch('S')]);
    update_with(&mut a, answer(stacks_id(&again), named("Website")));
    assert!(rows(&a)[0].contains("Website"));
}

#[test]
fn s_twice_asks_once_and_the_first_answer_is_dropped() {
    let (mut a, first) = logged_in(80, 24);
    let again = send(&mut a, [ch('S')]);
    assert!(
        again.iter().any(|e| matches!(e, Effect::Cancel(id) if *id == first.id)),
        "the running call is cancelled"
    );
    let second = stacks_id(&again);
    update_with(&mut a, answer(first, named("Stale")));
    assert!(!rows(&a)[0].contains("Stale"), "the cancelled call's late answer is dropped");
    update_with(&mut a, answer(second, named("Website")));
    assert!(rows(&a)[0].contains("Website"));
}

/// `update`, for an answer (its effects are not needed here).
fn update_with(a: &mut App, msg: cs_account::app::Msg) {
    let _ = cs_account::app::update(a, msg);
}

#[test]
fn snapshots_with_and_without_stack_names() {
    for (name, stacks) in [("named", named as fn(&str) -> _), ("failed", |_: &str| refused())] {
        let start = |w, h| {
            let (mut a, asked) = logged_in(w, h);
            update_with(&mut a, answer(asked, stacks("Website")));
            a
        };
        for (size, screen) in screens_at(&SIZES, start, |_| {}) {
            insta::assert_snapshot!(format!("stacks_{name}_{size}"), screen.backend());
        }
    }
}

/// The demo user with roles in three stacks: Developer (Website, Doe Industries), Editor and
/// Translator (Catalogue, Contentstack Partners, sent between Developer's; neither may publish
/// assets), Auditor (a stack the stacks call does not list).
fn user_in_three_stacks() -> cs_account::api::User {
    let mut user = full_user();
    let role = |name: &str, key: &str| {
        let mut r = user.roles[0].clone();
        r.uid = Some(format!("uid_{name}"));
        r.name = Some(name.into());
        r.api_key = Some(key.into());
        if key != "bltgone" {
            r.rules = serde_json::from_value(serde_json::json!([
                {"module": "asset", "assets": ["$all"], "acl": {"read": true, "create": true, "publish": false}}
            ]))
            .expect("rules");
        }
        r
    };
    let roles = vec![
        role("Editor", "blt922222441b906ce"),
        role("Auditor", "bltgone"),
        role("Translator", "blt922222441b906ce"),
    ];
    user.roles.extend(roles);
    user
}

fn three_stacks() -> Result<StackListing, ApiError> {
    let stack = |key: &str, name: &str, org: &str| Stack {
        api_key: key.into(),
        name: Some(name.into()),
        org_uid: Some(org.into()),
        owner_uid: Some("blt22e22222d22d2f22222a2b2f".into()),
        created_at: Some("2021-03-04T05:06:07.000Z".into()),
        ..Default::default()
    };
    let stacks = vec![
        stack(DEVELOPER_STACK, "Website", "blt44444c44ea4ddf222"),
        stack("blt922222441b906ce", "Catalogue", "bltcde1e1cdf1f11e5f"),
    ];
    Ok(StackListing { stacks, ..Default::default() })
}

#[test]
fn roles_group_by_organisation_and_stack_once_the_stacks_are_known() {
    let start = |w, h, listing: Result<StackListing, ApiError>| {
        let mut a = app(w, h);
        let asked = stacks_id(&log_in_with_stacks_pending(&mut a, &user_in_three_stacks()));
        a.toasts.clear();
        update_with(&mut a, answer(asked, listing));
        a
    };
    let a = start(80, 24, three_stacks());
    assert_eq!(
        rows(&a)[..4],
        [
            "Contentstack Partners · 1 stack",
            "Catalogue blt922222441b906ce · 2 roles",
            "Editor · 3 users · Developer can perform all Content Manager's actions, view audit logs, create roles, invite users, manage content types, languages, and environments.",
            "Translator · 3 users · Developer can perform all Content Manager's actions, view audit logs, create roles, invite users, manage content types, languages, and environments.",
        ]
    );
    assert_eq!(rows(&a)[4..6], ["Doe Industries · 1 stack", "Website blt444ad44e4d44aa4a · 1 role"]);
    assert_eq!(rows(&a)[7..9], ["Organisation not known · 1 stack", "Stack bltgone · 1 role"]);
    let p = a.profile().expect("profile");
    assert_eq!(
        p.tree.selected_path_text(),
        "Contentstack Partners › Catalogue › Editor",
        "untouched, the tree starts again on its first role"
    );
    for (name, listing) in [("named", three_stacks as fn() -> _), ("failed", refused)] {
        for (size, screen) in screens_at(&SIZES, |w, h| start(w, h, listing()), |_| {}) {
            insta::assert_snapshot!(format!("grouped_{name}_{size}"), screen.backend());
        }
        let perms = |a: &mut App| {
            send(a, [ch('2')]);
        };
        for (size, screen) in screens_at(&SIZES, |w, h| start(w, h, listing()), perms) {
            insta::assert_snapshot!(format!("permissions_by_stack_{name}_{size}"), screen.backend());
        }
        let stacks_tab = |a: &mut App| {
            a.toasts.clear();
            send(a, [ch('6')]);
        };
        for (size, screen) in screens_at(&SIZES, |w, h| start(w, h, listing()), stacks_tab) {
            insta::assert_snapshot!(format!("stacks_tab_{name}_{size}"), screen.backend());
        }
    }
}

/// Publishing assets is granted in Website (Developer may) and not in Catalogue (its two roles
/// may not), though the union of every role would say yes: keys through `update`, then the view.
#[test]
fn publish_is_granted_in_one_stack_and_not_in_the_other() {
    let mut a = app(80, 24);
    let asked = stacks_id(&log_in_with_stacks_pending(&mut a, &user_in_three_stacks()));
    update_with(&mut a, answer(asked, three_stacks()));
    send(&mut a, [ch('2'), ch('/')]);
    type_text(&mut a, "publish");
    send(&mut a, [key(KeyCode::Enter)]);
    let p = a.profile().expect("profile");
    let perms = p.perms();
    let verdict = |key: &str| {
        let module = perms.module_in(key, "asset").expect("asset rights");
        module.rights.iter().find(|r| r.right == "publish").map(|r| r.granted())
    };
    assert_eq!(verdict(DEVELOPER_STACK), Some(true), "Developer publishes in Website");
    assert_eq!(verdict("blt922222441b906ce"), Some(false), "nobody publishes in Catalogue");
    let shown = screen_text(&draw(&a, 80, 24));
    assert!(shown.contains("Catalogue blt922222441b906ce"), "{shown}");
    let catalogue = shown.split("Catalogue").nth(1).expect("Catalogue's rows");
    let catalogue = catalogue.split("Website").next().unwrap_or(catalogue);
    assert!(catalogue.contains("✗ publish") && !catalogue.contains("✓ publish"), "{shown}");
    let website = shown.split("Website").nth(1).expect("Website's rows");
    assert!(website.contains("✓ publish"), "{shown}");
}

/// Over HTTP: the demo server's stacks name the demo user's roles.
#[tokio::test]
async fn the_demo_servers_stack_names_reach_the_tree() {
    let server =
        DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() }).await.expect("demo server");
    let h = Harness::start(Setup::new(&server.base_url()));
    h.wait_for("Log in to Contentstack").await;
    h.type_text("john.doe@example.com");
    h.key(KeyCode::Tab);
    h.type_text("Demo-pass-1234");
    h.key(KeyCode::Enter);
    h.wait_for("Marketing site").await;
    h.quit().await;
    let asked = server.requests().iter().filter(|r| r.route.ends_with("/stacks")).count();
    assert!(asked >= 1, "the stacks call went to the session's server");
    server.shutdown().await;
}

/// The Stacks tab lists the stacks the call returned by name, then the ones only a role names;
/// the filter narrows it by name, key or organisation; `i` tells everything of one.
#[test]
fn the_stacks_tab_lists_filters_and_details_the_stacks() {
    let mut a = app(80, 24);
    let asked = stacks_id(&log_in_with_stacks_pending(&mut a, &user_in_three_stacks()));
    send(&mut a, [ch('6')]);
    assert!(screen_text(&draw(&a, 80, 24)).contains("Loading stacks…"));
    update_with(&mut a, answer(asked, three_stacks()));
    let names = |a: &App| {
        let p = a.profile().expect("profile");
        (0..p.stacks.list.len())
            .filter_map(|i| p.stacks.list.row(i))
            .map(|(item, _)| p.stacks.rows[item].shown_name().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&a), ["Catalogue", "Website", "(not listed)"]);
    let p = a.profile().expect("profile");
    let roles: Vec<_> = p.stacks.rows.iter().map(|r| r.roles.len()).collect();
    assert_eq!(roles, [2, 1, 1], "Editor and Translator, Developer, Auditor");
    send(&mut a, [ch('/')]);
    type_text(&mut a, "doe ind");
    send(&mut a, [key(KeyCode::Enter)]);
    assert_eq!(names(&a), ["Website"], "by organisation");
    send(&mut a, [ch('i')]);
    let shown = screen_text(&draw(&a, 80, 24));
    assert!(
        shown.contains("Stack API key") && shown.contains(DEVELOPER_STACK) && shown.contains("Developer"),
        "{shown}"
    );
    // A failed call says so on the tab, with the key that asks again.
    let mut b = app(80, 24);
    let asked = stacks_id(&log_in_with_stacks_pending(&mut b, &user_in_three_stacks()));
    update_with(&mut b, answer(asked, refused()));
    send(&mut b, [ch('6')]);
    b.toasts.clear();
    let shown = screen_text(&draw(&b, 80, 24));
    assert!(shown.contains("Stacks not loaded") && shown.contains("S tries again"), "{shown}");
}
