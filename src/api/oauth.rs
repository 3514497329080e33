//! Browser sign-in for SSO users: OAuth 2.0 authorization code with PKCE, as Contentstack's
//! Developer Hub serves it (see `shared/docs/contentstack-api.md` §12). This is its client side
//! without any UI: the app's settings, the hosts of a region, the PKCE pair and `state`, the
//! authorize URL, reading what the browser was redirected to (or the bare code) back, and the
//! token exchange and refresh.
//!
//! Better than the official CLI on purpose: the verifier and `state` come from a CSPRNG (csdx
//! uses `Math.random`), `state` is sent and checked, and the code can be pasted when no browser
//! or listener can be used (SSH, a taken port).

use base64::Engine;
use chrono::{DateTime, Utc};
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use url::Url;

use crate::api::{ApiError, Endpoint};

/// The public "Contentstack CLI App" the official CLI and JS SDK sign in with.
pub const DEFAULT_APP_ID: &str = "6400aa06db64de001a31c8a9";
pub const DEFAULT_CLIENT_ID: &str = "Ie0FEfTzlfAHL4xM";
pub const DEFAULT_REDIRECT_URI: &str = "http://localhost:8184";

/// The Developer Hub app signed in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthSettings {
    pub app_id: String,
    pub client_id: String,
    /// As registered with the app and sent, to the character (a URL parser would add a `/` to
    /// `http://localhost:8184`, and the server compares the text).
    pub redirect_uri: String,
}

impl Default for OAuthSettings {
    fn default() -> Self {
        OAuthSettings {
            app_id: DEFAULT_APP_ID.into(),
            client_id: DEFAULT_CLIENT_ID.into(),
            redirect_uri: DEFAULT_REDIRECT_URI.into(),
        }
    }
}

impl OAuthSettings {
    /// The defaults with what `lookup` finds under csdx's names (`OAUTH_APP_ID`,
    /// `OAUTH_CLIENT_ID`, `OAUTH_APP_REDIRECT_URL`); an unusable redirect URL is an error that
    /// says which.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let mut s = OAuthSettings::default();
        let given = |name: &str| lookup(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        if let Some(id) = given("OAUTH_APP_ID") {
            s.app_id = id;
        }
        if let Some(id) = given("OAUTH_CLIENT_ID") {
            s.client_id = id;
        }
        if let Some(url) = given("OAUTH_APP_REDIRECT_URL") {
            let usable =
                Url::parse(&url).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !usable {
                return Err(format!("OAUTH_APP_REDIRECT_URL '{url}' is not an http(s) URL."));
            }
            s.redirect_uri = url;
        }
        Ok(s)
    }
}

/// Where an endpoint's browser sign-in happens: the web app (authorize) and the Developer Hub
/// API (token, authorizations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosts {
    pub app: Url,
    pub developer_hub: Url,
}

impl Hosts {
    /// A region's hosts, derived from its API host as the official tools do (`api` → `app` and
    /// `developerhub-api`, `.io` → `.com`); a custom URL (the demo server, a local stand-in)
    /// plays both.
    pub fn of(endpoint: &Endpoint) -> Hosts {
        match endpoint {
            Endpoint::Region(r) => {
                let api = r.cma_host().trim_start_matches("https://").replace(".io", ".com");
                let host = |part: &str| {
                    let url = format!("https://{}/", api.replacen("api", part, 1));
                    Url::parse(&url)
                        .unwrap_or_else(|_| Url::parse("https://app.contentstack.com/").expect("static"))
                };
                Hosts { app: host("app"), developer_hub: host("developerhub-api") }
            }
            Endpoint::Custom(_) => {
                let mut base = endpoint.base_url();
                base.set_path("/");
                Hosts { app: base.clone(), developer_hub: base }
            }
        }
    }
}

/// What the redirect and the exchange are checked against: the PKCE verifier (a secret until
/// the code is exchanged) and `state`.
#[derive(Debug, Clone)]
pub struct Pkce {
    pub verifier: SecretString,
    pub challenge: String,
    pub state: String,
}

/// RFC 7636's unreserved characters, the verifier's alphabet.
const UNRESERVED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

impl Pkce {
    /// A fresh verifier (64 characters) and `state` (32), from the operating system's CSPRNG
    /// through `rand`'s thread generator.
    pub fn new() -> Pkce {
        let mut rng = rand::rng();
        let mut pick = |n: usize| -> String {
            (0..n).map(|_| UNRESERVED[rng.random_range(0..UNRESERVED.len())] as char).collect()
        };
        let verifier = pick(64);
        let state = pick(32);
        Pkce { challenge: challenge(&verifier), verifier: SecretString::from(verifier), state }
    }
}

impl Default for Pkce {
    fn default() -> Self {
        Pkce::new()
    }
}

/// The S256 challenge of `verifier`: base64url of its SHA-256, without padding.
pub fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// The page the browser opens: the query before the `#!` route (so the web app, and the demo
/// server, read it), with `redirect_uri` and `state` too.
pub fn authorize_url(hosts: &Hosts, settings: &OAuthSettings, pkce: &Pkce) -> Url {
    let mut url = hosts.app.clone();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &settings.client_id)
        .append_pair("redirect_uri", &settings.redirect_uri)
        .append_pair("state", &pkce.state)
        .append_pair("code_challenge", &pkce.challenge)
        .append_pair("code_challenge_method", "S256");
    url.set_fragment(Some(&format!("!/apps/{}/authorize", settings.app_id)));
    url
}

/// Why a redirect (or what was pasted) gives no code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedirectError {
    #[error("The sign-in was denied in the browser{0}. Sign in again and choose Authorize.")]
    Denied(String),
    #[error(
        "This answer is for another sign-in (its state does not match). Use the link this sign-in showed, or start again."
    )]
    WrongState,
    #[error(
        "No authorization code in what was pasted. Paste the whole address the browser ended on, or the code."
    )]
    NoCode,
}

/// The code in what the browser was redirected to (a URL with `code` and `state`, checked
/// against `state`), or a bare code pasted on its own.
pub fn code_from(pasted: &str, state: &str) -> Result<String, RedirectError> {
    let text = pasted.trim().trim_matches(|c| matches!(c, '<' | '>' | '"' | '\''));
    if let Ok(url) = Url::parse(text)
        && url.host().is_some()
    {
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
        // Another sign-in's answer, a denial included, says nothing about this one. An answer
        // without `state` is one the server sent without it: its code is still bound to the
        // verifier only this sign-in knows.
        if get("state").is_some_and(|s| s != state) {
            return Err(RedirectError::WrongState);
        }
        if let Some(error) = get("error") {
            let why = get("error_description").map(|d| format!(" ({})", crate::sanitize::owned(d)));
            return Err(RedirectError::Denied(why.unwrap_or_else(|| format!(" ({error})"))));
        }
        let code = get("code").filter(|c| !c.is_empty()).ok_or(RedirectError::NoCode)?;
        return Ok(code);
    }
    let bare = !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c));
    if bare { Ok(text.to_string()) } else { Err(RedirectError::NoCode) }
}

/// What a token grant gives: the tokens (secrets), when the access token expires, and whose
/// they are.
#[derive(Debug, Clone)]
pub struct OAuthTokens {
    pub access: SecretString,
    pub refresh: SecretString,
    pub expires_at: DateTime<Utc>,
    pub organization_uid: Option<String>,
    pub user_uid: Option<String>,
}

/// A token grant's answer as read (see `decode::oauth_tokens`), before its lifetime is turned
/// into a time.
#[derive(Debug)]
pub struct TokenAnswer {
    pub access: SecretString,
    pub refresh: SecretString,
    pub expires_in: u64,
    pub organization_uid: Option<String>,
    pub user_uid: Option<String>,
}

impl TokenAnswer {
    /// The tokens, expiring `expires_in` seconds after `now`.
    pub fn at(self, now: DateTime<Utc>) -> OAuthTokens {
        let lifetime =
            chrono::Duration::seconds(i64::try_from(self.expires_in).unwrap_or(i64::MAX).min(86_400 * 365));
        OAuthTokens {
            access: self.access,
            refresh: self.refresh,
            expires_at: now + lifetime,
            organization_uid: self.organization_uid,
            user_uid: self.user_uid,
        }
    }
}

/// The form body of a token grant (`application/x-www-form-urlencoded`).
pub fn grant_body(pairs: &[(&str, &str)]) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.extend_pairs(pairs);
    form.finish()
}

/// The body exchanging `code` (with this sign-in's verifier).
pub fn code_grant(settings: &OAuthSettings, code: &str, verifier: &SecretString) -> String {
    grant_body(&[
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", &settings.redirect_uri),
        ("client_id", &settings.client_id),
        ("code_verifier", verifier.expose_secret()),
    ])
}

/// The body trading a refresh token for new tokens.
pub fn refresh_grant(settings: &OAuthSettings, refresh: &SecretString) -> String {
    grant_body(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.expose_secret()),
        ("client_id", &settings.client_id),
        ("redirect_uri", &settings.redirect_uri),
    ])
}

/// The Developer Hub's `/token` URL for `hosts`.
pub fn token_url(hosts: &Hosts) -> Result<Url, ApiError> {
    hosts
        .developer_hub
        .join("token")
        .map_err(|e| ApiError::Config(format!("No token address under {}: {e}", hosts.developer_hub)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Region;

    #[test]
    fn the_challenge_is_rfc_7636s() {
        // RFC 7636, appendix B.
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let (a, b) = (Pkce::new(), Pkce::new());
        assert_eq!(a.verifier.expose_secret().len(), 64);
        assert!(a.verifier.expose_secret().bytes().all(|c| UNRESERVED.contains(&c)));
        assert_ne!(a.state, b.state, "fresh each time");
        assert_eq!(a.challenge, challenge(a.verifier.expose_secret()));
    }

    #[test]
    fn hosts_follow_the_region_and_a_custom_url_plays_both() {
        let na = Hosts::of(&Endpoint::Region(Region::Na));
        assert_eq!(
            (na.app.as_str(), na.developer_hub.as_str()),
            ("https://app.contentstack.com/", "https://developerhub-api.contentstack.com/")
        );
        let eu = Hosts::of(&Endpoint::Region(Region::Eu));
        assert_eq!(eu.developer_hub.as_str(), "https://eu-developerhub-api.contentstack.com/");
        let demo = Hosts::of(&Endpoint::custom("http://127.0.0.1:4010").expect("url"));
        assert_eq!(
            (demo.app.as_str(), demo.developer_hub.as_str()),
            ("http://127.0.0.1:4010/", "http://127.0.0.1:4010/")
        );
    }

    #[test]
    fn the_authorize_url_carries_the_challenge_and_state_before_the_route() {
        let pkce = Pkce::new();
        let url = authorize_url(&Hosts::of(&Endpoint::Region(Region::Na)), &OAuthSettings::default(), &pkce);
        let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.as_str());
        assert_eq!(get("client_id"), Some(DEFAULT_CLIENT_ID));
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert_eq!(get("code_challenge"), Some(pkce.challenge.as_str()));
        assert_eq!(get("state"), Some(pkce.state.as_str()));
        assert_eq!(get("redirect_uri"), Some(DEFAULT_REDIRECT_URI));
        assert_eq!(url.fragment(), Some(format!("!/apps/{DEFAULT_APP_ID}/authorize").as_str()));
        assert!(!url.as_str().contains(pkce.verifier.expose_secret()), "the verifier stays here");
    }

    #[test]
    fn the_code_comes_from_the_redirect_or_on_its_own_and_state_is_checked() {
        assert_eq!(
            code_from("http://localhost:8184/?code=c0de&state=s1&location=NA", "s1"),
            Ok("c0de".into())
        );
        assert_eq!(code_from("  <http://localhost:8184/?code=c0de>  ", "s1"), Ok("c0de".into()));
        assert_eq!(code_from("c0de-1.2_x", "s1"), Ok("c0de-1.2_x".into()));
        assert_eq!(
            code_from("http://localhost:8184/?code=c0de&state=other", "s1"),
            Err(RedirectError::WrongState)
        );
        assert!(matches!(
            code_from("http://localhost:8184/?error=access_denied&state=s1", "s1"),
            Err(RedirectError::Denied(_))
        ));
        assert_eq!(
            code_from("http://localhost:8184/?error=access_denied&state=other", "s1"),
            Err(RedirectError::WrongState),
            "another sign-in's denial is not this one's"
        );
        assert_eq!(code_from("http://localhost:8184/?state=s1", "s1"), Err(RedirectError::NoCode));
        assert_eq!(code_from("two words", "s1"), Err(RedirectError::NoCode));
        assert_eq!(code_from("", "s1"), Err(RedirectError::NoCode));
    }

    #[test]
    fn settings_take_csdxs_variables_and_refuse_a_bad_redirect() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(OAuthSettings::from_lookup(env(&[])), Ok(OAuthSettings::default()));
        let s = OAuthSettings::from_lookup(env(&[
            ("OAUTH_APP_ID", "a1"),
            ("OAUTH_CLIENT_ID", "c1"),
            ("OAUTH_APP_REDIRECT_URL", "http://127.0.0.1:9000/cb"),
        ]))
        .expect("settings");
        assert_eq!(
            (s.app_id.as_str(), s.client_id.as_str(), s.redirect_uri.as_str()),
            ("a1", "c1", "http://127.0.0.1:9000/cb")
        );
        assert!(OAuthSettings::from_lookup(env(&[("OAUTH_APP_REDIRECT_URL", "not a url")])).is_err());
    }

    #[test]
    fn grant_bodies_are_form_encoded() {
        assert_eq!(
            OAuthSettings::default().redirect_uri,
            "http://localhost:8184",
            "sent as registered, no slash added"
        );
        let body = code_grant(&OAuthSettings::default(), "c&1", &SecretString::from("v=1"));
        assert!(
            body.starts_with(
                "grant_type=authorization_code&code=c%261&redirect_uri=http%3A%2F%2Flocalhost%3A8184"
            ),
            "{body}"
        );
        assert!(body.ends_with("code_verifier=v%3D1"), "{body}");
        assert!(
            refresh_grant(&OAuthSettings::default(), &SecretString::from("r"))
                .starts_with("grant_type=refresh_token&refresh_token=r&")
        );
    }
}
