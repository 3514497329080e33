//! Playing the browser in browser sign-in tests: reading the address the app shows, and
//! approving it on the demo server as its authorize page would.

use std::collections::HashMap;

use cs_account::demo::DemoServer;

/// The sign-in address on a screen: the card's lines from the one starting with `http` to the
/// one naming the copy key, borders and padding removed.
pub fn address_on_screen(text: &str) -> url::Url {
    let inner = text.lines().map(|l| l.split('│').nth(1).unwrap_or("").trim().to_string());
    let mut url = String::new();
    for line in inner.skip_while(|l| !l.starts_with("http")) {
        if line.contains("copies it") {
            break;
        }
        url.push_str(&line);
    }
    url::Url::parse(&url).unwrap_or_else(|e| panic!("{e}: {url:?} from\n{text}"))
}

/// Approves the sign-in at `url` as `email` (the demo's `POST /demo/oauth/approve`): where the
/// browser is sent next, the code and `state` in its query.
pub async fn approve(server: &DemoServer, url: &url::Url, email: &str) -> String {
    let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
    let body = serde_json::json!({
        "email": email, "client_id": q["client_id"], "redirect_uri": q["redirect_uri"],
        "state": q["state"], "code_challenge": q["code_challenge"], "code_challenge_method": "S256"
    });
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/demo/oauth/approve", server.base_url()))
        .json(&body)
        .send()
        .await
        .expect("approved")
        .json()
        .await
        .expect("JSON");
    answer["redirect"].as_str().expect("a redirect").to_string()
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}
