//! The demo's accounts say what they do: an account that logs in without a code has no 2FA in
//! its profile (the header shows `tfa_status`), and the demo panel's note says the same, for
//! every seeded login. Checked against a demo server over loopback.

use std::time::Duration;

use cs_account::demo::{DEMO_LOGINS, DemoOptions, DemoServer};
use reqwest::Client;
use serde_json::{Value, json};

#[tokio::test]
async fn each_demo_login_needs_a_code_exactly_when_its_profile_and_note_say_so() {
    let server = match DemoServer::start(DemoOptions { rate_limit: 0, ..DemoOptions::default() }).await {
        Ok(s) => s,
        Err(e) => panic!("demo server did not start: {e}"),
    };
    let client = Client::builder().timeout(Duration::from_secs(20)).build().unwrap_or_default();
    for login in DEMO_LOGINS.iter().filter(|l| !l.password.is_empty()) {
        let body = json!({"user": {"email": login.email, "password": login.password}});
        let resp = client
            .post(format!("{}/v3/user-session", server.base_url()))
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: no answer: {e}", login.email));
        let status = resp.status();
        let answer: Value = resp.json().await.unwrap_or(Value::Null);
        let asks_code = answer.get("tfa_type").is_some();
        assert!(status == 200 || asks_code, "{}: {status} {answer}", login.email);
        let profile =
            server.user_snapshot(login.email).unwrap_or_else(|| panic!("{} is seeded", login.email));
        let profile = profile.get("profile").unwrap_or(&profile);
        let tfa_status = profile.get("tfa_status").and_then(Value::as_str).unwrap_or("");
        let authy_id = profile.get("authy_id").and_then(Value::as_str).unwrap_or("");
        if asks_code {
            assert_eq!(tfa_status, "verified", "{} asks for a code", login.email);
            assert!(login.note.contains("2FA:"), "{}: {}", login.email, login.note);
        } else {
            assert!(tfa_status.is_empty() && authy_id.is_empty(), "{} logs in without a code", login.email);
            assert!(login.note.contains("no 2FA"), "{}: {}", login.email, login.note);
            // And the answer the TUI shows in the header says so too.
            let user = &answer["user"];
            assert!(user.get("tfa_status").and_then(Value::as_str).unwrap_or("").is_empty(), "{user}");
        }
    }
    server.shutdown().await;
}
