//! Snapshots of every step and error state of the edit form, at 80×24 and 40×15.

use super::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 15)];

/// Snapshots the state `build` makes from a logged-in app, at both reference sizes.
fn snap(name: &str, build: impl Fn(&mut App)) {
    for (w, h) in SIZES {
        let mut a = app(w, h);
        log_in(&mut a, &full_user());
        a.toasts.clear();
        build(&mut a);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), draw(&a, w, h).backend());
    }
}

/// Changes the company and the mobile number, and goes to the review.
fn two_changes(a: &mut App) {
    send(a, [ch('e'), key(KeyCode::Down), key(KeyCode::Down), ctrl('u')]);
    type_text(a, "Acme Ltd");
    send(a, [key(KeyCode::Down), ctrl('u')]);
    type_text(a, "7700900123");
    send(a, [key(KeyCode::Enter)]);
}

fn saving(a: &mut App) -> common::Asked<cs_account::app::request::OnSave> {
    two_changes(a);
    update_id(&send(a, [key(KeyCode::Enter)]))
}

fn failing(a: &mut App, e: ApiError) {
    let id = saving(a);
    let effects = send(a, [answer(id, Err(e))]);
    settle(a, &effects);
    a.toasts.clear();
}

#[test]
fn the_form() {
    snap("edit_form", |a| {
        send(a, [ch('e')]);
    });
    snap("edit_typing", |a| {
        send(a, [ch('e'), key(KeyCode::Down), key(KeyCode::Down)]);
        type_text(a, " Inc");
    });
    snap("edit_invalid", |a| {
        send(a, [ch('e'), ctrl('u'), key(KeyCode::Down), key(KeyCode::Down), key(KeyCode::Down), ctrl('u')]);
        type_text(a, "12a");
        send(a, [key(KeyCode::Down), ctrl('u')]);
        type_text(a, "+44");
        send(a, [key(KeyCode::Enter)]);
    });
    snap("edit_help", |a| {
        send(a, [ch('e'), key(KeyCode::F(1))]);
    });
    snap("edit_discard_confirm", |a| {
        send(a, [ch('e')]);
        type_text(a, "ny");
        send(a, [key(KeyCode::Esc)]);
    });
}

#[test]
fn the_review_and_saving() {
    snap("edit_review", two_changes);
    snap("edit_review_everything", |a| {
        send(a, [ch('e')]);
        for text in [
            "Jane",
            "Doe-Smith",
            "The Extremely Long Name of a Company That Goes On and On, Incorporated",
            "",
            "44",
        ] {
            send(a, [ctrl('u')]);
            type_text(a, text);
            send(a, [key(KeyCode::Tab)]);
        }
        send(a, [key(KeyCode::Enter)]);
        let id = update_id(&send(a, [key(KeyCode::Enter)]));
        let effects = send(a, [answer(id, server_error())]);
        settle(a, &effects);
    });
    snap("edit_saving", |a| {
        saving(a);
    });
    snap("edit_save_cancelled", |a| {
        saving(a);
        let effects = send(a, [key(KeyCode::Esc)]);
        settle(a, &effects);
    });
    snap("edit_saved", |a| {
        let id = saving(a);
        send(a, [answer(id, put_answer("Acme Ltd"))]);
    });
}

#[test]
fn the_failures() {
    snap("edit_server_error", |a| {
        failing(a, ApiError::Server { status: 503, code: None, message: "Service Unavailable".into() });
    });
    snap("edit_failed_again", |a| {
        failing(a, ApiError::Server { status: 502, code: None, message: String::new() });
        let id = update_id(&send(a, [key(KeyCode::Enter)]));
        let timeout = ApiError::Transport {
            kind: TransportKind::Timeout,
            host: String::new(),
            detail: "timed out".into(),
        };
        let effects = send(a, [answer(id, Err(timeout))]);
        settle(a, &effects);
    });
    snap("edit_network_error", |a| {
        failing(
            a,
            ApiError::Transport {
                kind: TransportKind::Connect,
                host: String::new(),
                detail: "refused".into(),
            },
        );
    });
    snap("edit_rate_limited", |a| {
        failing(
            a,
            ApiError::RateLimited {
                message: String::new(),
                retry_after: Some(std::time::Duration::from_secs(7)),
                limit: Some(10),
                remaining: Some(0),
            },
        );
    });
    snap("edit_422", |a| {
        let errors = [
            (
                "mobile_number".to_string(),
                vec!["must be 4 to 15 digits with no spaces or symbols (or empty to remove it).".to_string()],
            ),
            ("company".to_string(), vec!["is not allowed.".to_string()]),
            ("plan".to_string(), vec!["does not allow profile changes.".to_string()]),
        ];
        failing(
            a,
            ApiError::Validation {
                status: 422,
                code: Some(121),
                message: "Bad".into(),
                errors: errors.into(),
            },
        );
    });
}

#[test]
fn the_session_ending_mid_save() {
    let expired = || ApiError::Unauthorized { status: 401, code: Some(105), message: "expired".into() };
    snap("edit_401_login", |a| failing(a, expired()));
    snap("edit_401_back", |a| {
        failing(a, expired());
        log_in_again(a, &full_user());
    });
}

#[test]
fn the_draft_offer() {
    snap("draft_offer", |a| {
        let msg = found(a, company_company());
        send(a, [msg]);
    });
    snap("draft_restored", |a| {
        let msg = found(a, company_company());
        send(a, [msg, ch('r')]);
    });
}
