//! `GET /v3/stacks` on the wire, against wiremock: the path, the headers sent (`authtoken`,
//! `organization_uid` only when asked), the answer's shape, retries and error classes, and
//! asking once per organisation when the plain call is refused.
//!
//! The answer's shape is Contentstack's "CMA | Stacks" page ("Get all stacks",
//! <https://www.contentstack.com/docs/developers/apis/content-management-api/stacks>) and the
//! Python SDK's mock `tests/resources/mockstack/stacks.json`
//! (contentstack/contentstack-management-python): `{"stacks": [{uid, name, description,
//! api_key, org_uid, owner_uid, master_locale, created_at, updated_at, …}]}`.

use std::time::Duration;

use cs_account::api::{ApiError, Client, ClientConfig, Endpoint, RetryPolicy, Stack, all_stacks};
use secrecy::SecretString;
use serde_json::{Value, json};
use wiremock::matchers::{header, header_exists, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "bltStacksToken0123456789";

fn client(server: &MockServer) -> Client {
    let mut cfg = ClientConfig::new(Endpoint::custom(&server.uri()).expect("loopback URL"));
    cfg.retry = RetryPolicy { base_delay: Duration::from_millis(5), ..RetryPolicy::default() };
    Client::new(cfg).expect("client")
}

fn token() -> SecretString {
    SecretString::from(TOKEN)
}

fn reply(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// One stack as the API sends it, every documented field set.
fn stack_json(uid: &str, name: &str, api_key: &str, org: &str) -> Value {
    json!({
        "created_at": "2019-11-04T07:54:05.013Z", "updated_at": "2019-11-04T07:54:05.877Z",
        "uid": uid, "name": name, "description": format!("{name}, for the tests"),
        "org_uid": org, "api_key": api_key, "master_locale": "en-us",
        "is_asset_download_public": true, "owner_uid": "bltowner", "user_uids": ["bltowner"],
        "settings": {"version": "2019-04-30", "rte_version": 3}, "master_key": "bltmaster"
    })
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn header_of(req: &Request, name: &str) -> Option<String> {
    req.headers.get(name).map(|v| v.to_str().unwrap_or("?").to_string())
}

#[tokio::test]
async fn the_plain_call_sends_the_token_and_no_organisation() {
    let server = MockServer::start().await;
    let body = json!({"stacks": [stack_json("s1", "Marketing site", "bltkey1", "bltorg1")]});
    Mock::given(method("GET")).and(path("/v3/stacks")).respond_with(reply(200, body)).mount(&server).await;
    let stacks = client(&server).get_stacks(&token(), None).await.expect("stacks");
    assert_eq!(
        stacks,
        vec![Stack {
            uid: Some("s1".into()),
            name: Some("Marketing site".into()),
            description: Some("Marketing site, for the tests".into()),
            api_key: "bltkey1".into(),
            org_uid: Some("bltorg1".into()),
            owner_uid: Some("bltowner".into()),
            master_locale: Some("en-us".into()),
            created_at: Some("2019-11-04T07:54:05.013Z".into()),
            updated_at: Some("2019-11-04T07:54:05.877Z".into()),
            extra: json!({"is_asset_download_public": true, "user_uids": ["bltowner"],
                "settings": {"version": "2019-04-30", "rte_version": 3}})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        }],
        "every documented field read; the master key left out"
    );
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 1);
    let req = &reqs[0];
    assert_eq!((req.method.as_str(), req.url.path(), req.url.query()), ("GET", "/v3/stacks", None));
    assert_eq!(header_of(req, "authtoken").as_deref(), Some(TOKEN));
    assert_eq!(header_of(req, "organization_uid"), None);
    assert_eq!(header_of(req, "accept").as_deref(), Some("application/json"));
    assert!(header_of(req, "x-user-agent").unwrap_or_default().starts_with("cs-account/"));
    assert!(req.body.is_empty());
}

#[tokio::test]
async fn an_organisation_goes_in_its_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/stacks"))
        .and(header("organization_uid", "bltorg2"))
        .respond_with(reply(200, json!({"stacks": [stack_json("s2", "Newsroom", "bltkey2", "bltorg2")]})))
        .mount(&server)
        .await;
    let stacks = client(&server).get_stacks(&token(), Some(" bltorg2 ")).await.expect("stacks");
    assert_eq!(stacks[0].org_uid.as_deref(), Some("bltorg2"));
    let reqs = requests(&server).await;
    assert_eq!(header_of(&reqs[0], "organization_uid").as_deref(), Some("bltorg2"), "trimmed");
    assert_eq!(header_of(&reqs[0], "authtoken").as_deref(), Some(TOKEN));
}

#[tokio::test]
async fn an_organisation_uid_that_cannot_be_sent_is_refused_before_sending() {
    let server = MockServer::start().await;
    for bad in ["", "  ", "blt\norg", "blt org", "blt\u{e9}"] {
        let err = client(&server).get_stacks(&token(), Some(bad)).await.expect_err(bad);
        assert!(matches!(err, ApiError::Config(_)), "{bad:?}: {err:?}");
    }
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn it_is_retried_like_get_user() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(reply(503, json!({}))).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(reply(200, json!({"stacks": []}))).mount(&server).await;
    assert_eq!(client(&server).get_stacks(&token(), None).await.expect("second try"), vec![]);
    assert_eq!(requests(&server).await.len(), 2);
}

/// An answer's status and body, and the check its error must pass.
type Case = (u16, Value, fn(&ApiError) -> bool);

#[tokio::test]
async fn refusals_are_classed_like_every_call_and_not_retried() {
    let cases: [Case; 4] = [
        (401, json!({"error_message": "Bad token", "error_code": 105}), |e| e.is_unauthorized()),
        (422, json!({"error_message": "SSO", "error_code": 120}), |e| {
            matches!(e, ApiError::Validation { .. })
        }),
        (412, json!({"error_message": "Nope"}), |e| matches!(e, ApiError::Rejected { status: 412, .. })),
        (200, json!({"stacks": {"uid": "x"}}), |e| matches!(e, ApiError::Decode { status: 200, .. })),
    ];
    for (status, body, check) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET")).respond_with(reply(status, body.clone())).mount(&server).await;
        let err = client(&server).get_stacks(&token(), None).await.expect_err("refused");
        assert!(check(&err), "{status} {body}: {err:?}");
        assert_eq!(requests(&server).await.len(), 1, "{status}: not retried");
    }
}

/// A server whose plain call is refused as an SSO-enabled organisation would, answering each
/// organisation asked for in its header.
async fn sso_server(refusal: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    for (org, stacks) in [
        ("bltorgA", vec![stack_json("s1", "Product catalogue (EU)", "bltkeyA", "bltorgA")]),
        (
            "bltorgB",
            vec![
                stack_json("s2", "Newsroom", "bltkeyB", "bltorgB"),
                // Listed under both: merged once.
                stack_json("s1", "Product catalogue (EU)", "bltkeyA", "bltorgA"),
            ],
        ),
    ] {
        Mock::given(method("GET"))
            .and(path("/v3/stacks"))
            .and(header("organization_uid", org))
            .respond_with(reply(200, json!({ "stacks": stacks })))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/v3/stacks"))
        .and(header_exists("organization_uid"))
        .respond_with(reply(422, json!({"error_message": "Not in this organisation", "error_code": 121})))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/v3/stacks")).respond_with(refusal).mount(&server).await;
    server
}

fn orgs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn a_refused_plain_call_is_asked_once_per_organisation_and_merged() {
    let refusal = reply(422, json!({"error_message": "This organisation uses SSO", "error_code": 120}));
    let server = sso_server(refusal).await;
    let listing = all_stacks(&client(&server), &token(), &orgs(&["bltorgA", "bltorgB", "bltorgA", " "]))
        .await
        .expect("listed");
    assert!(listing.per_organization && listing.failed.is_empty(), "{listing:?}");
    let keys: Vec<&str> = listing.stacks.iter().map(|s| s.api_key.as_str()).collect();
    assert_eq!(keys, ["bltkeyA", "bltkeyB"]);
    let sent: Vec<Option<String>> =
        requests(&server).await.iter().map(|r| header_of(r, "organization_uid")).collect();
    assert_eq!(sent, [None, Some("bltorgA".into()), Some("bltorgB".into())], "each organisation once");
    for req in requests(&server).await {
        assert_eq!(header_of(&req, "authtoken").as_deref(), Some(TOKEN));
    }

    // An organisation that fails is named; the others are still listed.
    let listing =
        all_stacks(&client(&server), &token(), &orgs(&["bltorgA", "bltorgX"])).await.expect("listed");
    assert_eq!(listing.stacks.len(), 1);
    assert_eq!(listing.failed.len(), 1);
    assert_eq!(listing.failed[0].0, "bltorgX");
    // None listed: the organisation's own error.
    let err = all_stacks(&client(&server), &token(), &orgs(&["bltorgX"])).await.expect_err("none listed");
    assert!(err.user_message().contains("Not in this organisation"), "{err:?}");
}

#[tokio::test]
async fn a_403_is_asked_per_organisation_too_but_a_401_or_a_server_error_is_not() {
    let server = sso_server(reply(403, json!({"error_message": "Forbidden", "error_code": 403}))).await;
    let listing = all_stacks(&client(&server), &token(), &orgs(&["bltorgB"])).await.expect("listed");
    assert_eq!(listing.stacks.len(), 2);

    for refusal in [
        reply(401, json!({"error_message": "Bad token", "error_code": 105})),
        reply(500, json!({"error_message": "Boom", "error_code": 500})),
    ] {
        let server = sso_server(refusal).await;
        let mut cfg = ClientConfig::new(Endpoint::custom(&server.uri()).expect("url"));
        cfg.retry = RetryPolicy::none();
        let c = Client::new(cfg).expect("client");
        all_stacks(&c, &token(), &orgs(&["bltorgA"])).await.expect_err("not asked per organisation");
        assert_eq!(requests(&server).await.len(), 1);
    }
    // No organisations to ask: the refusal itself.
    let server = sso_server(reply(422, json!({"error_message": "SSO", "error_code": 120}))).await;
    let err = all_stacks(&client(&server), &token(), &[]).await.expect_err("refused");
    assert!(matches!(err, ApiError::Validation { .. }), "{err:?}");
}

#[tokio::test]
async fn a_401_while_asking_per_organisation_stops_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header_exists("organization_uid"))
        .respond_with(reply(401, json!({"error_message": "Session expired", "error_code": 105})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(reply(422, json!({"error_message": "SSO", "error_code": 120})))
        .mount(&server)
        .await;
    let err = all_stacks(&client(&server), &token(), &orgs(&["o1", "o2", "o3"])).await.expect_err("401");
    assert!(err.is_unauthorized(), "{err:?}");
    assert_eq!(requests(&server).await.len(), 2, "the plain call and the first organisation only");
}
