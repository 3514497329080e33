//! The demo server's `GET /v3/stacks` over real HTTP: the stacks each demo user's roles name, in
//! the user's organisations; the `organization_uid` header; the SSO organisation's refusal of
//! the plain call; faults; generated profiles. And the API client's per-organisation fallback
//! against it.

use std::time::Duration;

use cs_account::api::{Client, ClientConfig, Endpoint, GetUserOptions, all_stacks};
use cs_account::demo::{
    CODE_NOT_IN_ORGANIZATION, CODE_ORGANIZATION_REQUIRED, DemoOptions, DemoServer, FaultAnswer, Faults,
    RouteFault, totp_now,
};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::{Value, json};

const JOHN: &str = "john.doe@example.com";
const TFA: &str = "tfa.user@example.com";
const PW: &str = "Demo-pass-1234";
const DOE_DIGITAL: &str = "blt44444c44ea4ddf222";
const PARTNERS: &str = "bltcde1e1cdf1f11e5f";
const SECURE_MEDIA: &str = "blt5a5b5c5d5e5f5a5b";
const ACME: &str = "blt22e2222dd2e2fb22";

async fn server(roles: Option<usize>) -> DemoServer {
    DemoServer::start(DemoOptions { rate_limit: 0, roles, rules: 1, ..DemoOptions::default() })
        .await
        .expect("demo server starts")
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap_or_default()
}

/// `GET /v3/stacks` with the token and, when given, the `organization_uid` header.
async fn stacks(s: &DemoServer, token: Option<&str>, org: Option<&str>) -> (StatusCode, Value) {
    let mut req = http().get(format!("{}/v3/stacks", s.base_url()));
    if let Some(t) = token {
        req = req.header("authtoken", t);
    }
    if let Some(o) = org {
        req = req.header("organization_uid", o);
    }
    let resp = req.send().await.expect("an answer");
    let status = resp.status();
    (status, serde_json::from_slice(&resp.bytes().await.unwrap_or_default()).unwrap_or(Value::Null))
}

/// Logs in over HTTP (with the current code, which an account without 2FA ignores); the authtoken and the user (with organisations and roles).
async fn login(s: &DemoServer, email: &str) -> (String, Value) {
    let resp = http()
        .post(format!("{}/v3/user-session?include_orgs_roles=true", s.base_url()))
        .json(&json!({"user": {"email": email, "password": PW, "tfa_token": totp_now()}}))
        .send()
        .await
        .expect("an answer");
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.expect("JSON");
    (body["user"]["authtoken"].as_str().unwrap_or_default().to_string(), body["user"].clone())
}

fn names(body: &Value) -> Vec<&str> {
    body["stacks"].as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect()
}

#[tokio::test]
async fn each_role_names_a_listed_stack_in_the_users_organisations() {
    let s = server(None).await;
    let (token, user) = login(&s, JOHN).await;
    let (status, body) = stacks(&s, Some(&token), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(names(&body), ["Marketing site", "Doe Digital intranet", "Partner portal"]);
    let listed = body["stacks"].as_array().cloned().unwrap_or_default();
    for stack in &listed {
        let keys: Vec<&str> =
            stack.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
        assert_eq!(
            keys,
            [
                "uid",
                "name",
                "description",
                "api_key",
                "org_uid",
                "owner_uid",
                "master_locale",
                "created_at",
                "updated_at"
            ],
            "the documented fields"
        );
    }
    let orgs: Vec<&str> =
        user["organizations"].as_array().into_iter().flatten().filter_map(|o| o["uid"].as_str()).collect();
    assert!(listed.iter().all(|s| orgs.contains(&s["org_uid"].as_str().unwrap_or_default())));
    for role in user["roles"].as_array().into_iter().flatten() {
        assert!(
            listed.iter().any(|s| s["api_key"] == role["api_key"]),
            "role {} has its stack",
            role["name"]
        );
    }
    let owned = listed.iter().filter(|s| s["owner_uid"] == user["uid"]).count();
    assert_eq!(owned, 2, "john owns the intranet and the partner portal, not the marketing site");
}

#[tokio::test]
async fn the_organisation_header_narrows_the_list_and_is_checked() {
    let s = server(None).await;
    let (token, _) = login(&s, JOHN).await;
    let (status, body) = stacks(&s, Some(&token), Some(DOE_DIGITAL)).await;
    assert_eq!(status, 200);
    assert_eq!(names(&body), ["Marketing site", "Doe Digital intranet"]);
    let (_, body) = stacks(&s, Some(&token), Some(&format!(" {PARTNERS} "))).await;
    assert_eq!(names(&body), ["Partner portal"]);
    let (_, body) = stacks(&s, Some(&token), Some(ACME)).await;
    assert_eq!(names(&body), Vec::<&str>::new(), "an organisation of his without stacks of his");
    for other in [SECURE_MEDIA, "bltnosuchorg"] {
        let (status, body) = stacks(&s, Some(&token), Some(other)).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error_code"], CODE_NOT_IN_ORGANIZATION);
        assert_eq!(body["errors"]["organization_uid"], json!(["is not valid."]));
    }
    let logged = s.requests();
    let sent: Vec<Option<&str>> =
        logged.iter().filter(|r| r.route == "/v3/stacks").map(|r| r.organization_uid.as_deref()).collect();
    assert_eq!(sent[0], Some(DOE_DIGITAL), "the request log keeps the header");
}

#[tokio::test]
async fn an_sso_organisations_member_must_name_each_organisation() {
    let s = server(None).await;
    let (token, _) = login(&s, TFA).await;
    let (status, body) = stacks(&s, Some(&token), None).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error_code"], CODE_ORGANIZATION_REQUIRED);
    assert!(
        body["error_message"].as_str().unwrap_or_default().contains("'Secure Media Group' signs in with SSO")
    );
    let (status, body) = stacks(&s, Some(&token), Some(SECURE_MEDIA)).await;
    assert_eq!(status, 200);
    assert_eq!(names(&body), ["Product catalogue (EU)"]);
    let (_, body) = stacks(&s, Some(&token), Some(ACME)).await;
    assert_eq!(names(&body), ["Newsroom"]);

    // The client asks per organisation by itself, and merges.
    let client =
        Client::new(ClientConfig::new(Endpoint::custom(&s.base_url()).expect("url"))).expect("client");
    let token = SecretString::from(token);
    let user = client.get_user(&token, GetUserOptions { include_orgs: true, ..Default::default() }).await;
    let orgs: Vec<String> =
        user.expect("user").organizations.unwrap_or_default().into_iter().map(|o| o.uid).collect();
    let listing = all_stacks(&client, &token, &orgs).await.expect("listed");
    assert!(listing.per_organization && listing.failed.is_empty());
    let got: Vec<&str> = listing.stacks.iter().map(|s| s.display_name()).collect();
    assert_eq!(got, ["Product catalogue (EU)", "Newsroom"]);
}

#[tokio::test]
async fn without_a_live_session_it_is_401() {
    let s = server(None).await;
    for token in [None, Some("bltnotatoken")] {
        let (status, body) = stacks(&s, token, None).await;
        assert_eq!(status, 401);
        assert_eq!(body["error_code"], 105);
    }
    let (status, body) = stacks(&s, None, Some(DOE_DIGITAL)).await;
    assert_eq!((status.as_u16(), body["error_code"].as_i64()), (401, Some(105)));
}

#[tokio::test]
async fn faults_cover_the_stacks_route() {
    let s = server(None).await;
    let (token, _) = login(&s, JOHN).await;
    let route = |answer| RouteFault { method: "GET".into(), path: "/stacks".into(), answer, times: Some(1) };
    s.set_faults(Faults {
        routes: vec![route(FaultAnswer::Status { status: 503, body: None })],
        ..Faults::default()
    });
    let (status, body) = stacks(&s, Some(&token), None).await;
    assert_eq!((status.as_u16(), body["error_code"].as_i64()), (503, Some(503)));
    assert_eq!(stacks(&s, Some(&token), None).await.0, 200, "the fault was used up");

    s.set_faults(Faults { routes: vec![route(FaultAnswer::Malformed)], ..Faults::default() });
    let (status, body) = stacks(&s, Some(&token), None).await;
    assert_eq!((status.as_u16(), body), (200, Value::Null), "cut in half: not JSON");

    // The client retries the 503 away, and reports a lasting one as the server's problem.
    let client =
        Client::new(ClientConfig::new(Endpoint::custom(&s.base_url()).expect("url"))).expect("client");
    let secret = SecretString::from(token.clone());
    s.set_faults(Faults {
        routes: vec![route(FaultAnswer::Status { status: 503, body: None })],
        ..Faults::default()
    });
    assert_eq!(client.get_stacks(&secret, None).await.expect("retried").len(), 3);
    let forever = RouteFault { times: None, ..route(FaultAnswer::Status { status: 500, body: None }) };
    s.set_faults(Faults { routes: vec![forever], ..Faults::default() });
    let err = client.get_stacks(&secret, None).await.expect_err("500");
    assert!(err.user_message().starts_with("Contentstack had a problem (500"), "{}", err.user_message());
}

#[tokio::test]
async fn generated_roles_have_generated_stacks() {
    let s = server(Some(50)).await;
    let (token, user) = login(&s, JOHN).await;
    let (status, body) = stacks(&s, Some(&token), None).await;
    assert_eq!(status, 200);
    let listed = body["stacks"].as_array().cloned().unwrap_or_default();
    assert_eq!(listed.len(), 10 + 2, "50 roles: 10 stacks, and the 2 john owns");
    for role in user["roles"].as_array().into_iter().flatten() {
        let stack = listed.iter().find(|s| s["api_key"] == role["api_key"]);
        assert!(stack.is_some_and(|s| s["name"].as_str().is_some_and(|n| !n.starts_with("blt"))));
    }
    assert!(names(&body).contains(&"Product catalogue"));
}
