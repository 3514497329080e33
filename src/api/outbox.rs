//! The demo server's mailbox as a client reads it: `GET /demo/outbox` and its message type.
//!
//! Not part of Contentstack's API: the embedded demo server's own route, where the emails and
//! text messages a real Contentstack would send land (reset and activation tokens, SMS codes),
//! asked for only in demo mode. The demo server builds its answer from these same types, so the
//! two cannot drift apart.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::ApiError;
use super::error::{ErrorHeaders, classify, from_reqwest, from_reqwest_body};
use super::region::Endpoint;

/// The outbox keeps at most 500 short messages; anything far larger is not the demo server.
const MAX_OUTBOX_BYTES: usize = 4_000_000;
/// A loopback server in the same process answers in milliseconds.
const TIMEOUT: Duration = Duration::from_secs(5);

/// What a message is for.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OutboxKind {
    /// "Reset your password" email, with a token and a link.
    ResetPassword,
    /// "Activate your account" email, with a token and a link.
    Activation,
    /// A 2FA security code sent by text message.
    Sms,
}

impl OutboxKind {
    /// The wire name: `reset_password`, `activation` or `sms`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxKind::ResetPassword => "reset_password",
            OutboxKind::Activation => "activation",
            OutboxKind::Sms => "sms",
        }
    }
}

impl std::fmt::Display for OutboxKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a message's token or code still works.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// It works (or the message carries nothing to use).
    #[default]
    Unused,
    /// It was used: a token works once, a code once.
    Used,
    /// Its time ran out (demo clock).
    Expired,
    /// It no longer works although it was never used: a newer one replaced it, or the password
    /// was reset with another token.
    Revoked,
}

impl OutboxStatus {
    /// The wire name: `unused`, `used`, `expired` or `revoked`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Unused => "unused",
            OutboxStatus::Used => "used",
            OutboxStatus::Expired => "expired",
            OutboxStatus::Revoked => "revoked",
        }
    }

    /// Whether the token or code can still be used.
    pub fn is_usable(self) -> bool {
        self == OutboxStatus::Unused
    }
}

/// One email or text message the demo "sent".
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct OutboxMessage {
    /// `msg-0001`, in sending order.
    pub id: String,
    pub kind: OutboxKind,
    /// An email address, or a phone number for SMS.
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The one-time token (reset and activation emails).
    #[serde(default)]
    pub token: Option<String>,
    /// The link a user would click (reset and activation emails).
    #[serde(default)]
    pub link: Option<String>,
    /// The security code (SMS).
    #[serde(default)]
    pub code: Option<String>,
    /// RFC 3339, demo clock.
    pub created_at: String,
    /// When the token or code stops working, if it does.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Whether the token or code still works, as the demo server sees it when listing.
    #[serde(default)]
    pub status: OutboxStatus,
}

/// The HTTP client for the mailbox. The demo server is plain HTTP on loopback: no proxy, and no
/// certificate roots to load (slow, and never used: redirects are not followed).
pub fn http_client() -> Result<reqwest::Client, ApiError> {
    reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only(std::iter::empty())
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never())
        .build()
        .map_err(|e| ApiError::Config(format!("The mailbox client could not be built: {e}")))
}

/// `GET {origin}/demo/outbox`: every message, oldest first, with each string made safe for the
/// terminal (the body keeps its line breaks).
pub async fn fetch_outbox(
    http: &reqwest::Client,
    endpoint: &Endpoint,
) -> Result<Vec<OutboxMessage>, ApiError> {
    let url = format!("{}/demo/outbox", endpoint.origin());
    let host = crate::api::error::host_of(&endpoint.base_url());
    let mut resp = http.get(&url).timeout(TIMEOUT).send().await.map_err(from_reqwest)?;
    let status = resp.status().as_u16();
    let headers = ErrorHeaders::from_headers(resp.headers());
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| from_reqwest_body(e, &host))? {
        if body.len() + chunk.len() > MAX_OUTBOX_BYTES {
            return Err(ApiError::TooLarge {
                limit: MAX_OUTBOX_BYTES as u64,
                of: crate::api::error::Limit::Bytes,
            });
        }
        body.extend_from_slice(&chunk);
    }
    decode_outbox(status, &headers, &body)
}

/// The outbox answer, decoded: `{"messages": [...]}`.
pub fn decode_outbox(
    status: u16,
    headers: &ErrorHeaders,
    body: &[u8],
) -> Result<Vec<OutboxMessage>, ApiError> {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    if !(200..300).contains(&status) {
        let json = json.map(crate::sanitize::json);
        return Err(classify(status, headers, json.as_ref()));
    }
    let messages = json
        .and_then(|mut v| v.get_mut("messages").map(serde_json::Value::take))
        .ok_or_else(|| ApiError::Decode { status, detail: "no `messages` list in the outbox".into() })?;
    let messages: Vec<OutboxMessage> = serde_json::from_value(messages)
        .map_err(|e| ApiError::Decode { status, detail: format!("the outbox could not be read: {e}") })?;
    Ok(messages.into_iter().map(clean).collect())
}

fn clean(m: OutboxMessage) -> OutboxMessage {
    use crate::sanitize::owned;
    let opt = |v: Option<String>| v.map(owned);
    OutboxMessage {
        id: owned(m.id),
        kind: m.kind,
        to: owned(m.to),
        subject: owned(m.subject),
        body: m.body.split('\n').map(|l| owned(l.to_string())).collect::<Vec<_>>().join("\n"),
        token: opt(m.token),
        link: opt(m.link),
        code: opt(m.code),
        created_at: owned(m.created_at),
        expires_at: opt(m.expires_at),
        status: m.status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_cleans_text_and_reports_errors() {
        let body = br#"{"messages":[{"id":"msg-1","kind":"sms","to":"+1 5\u001b[31m","subject":"s","body":"line 1\nline\u0007 2","code":"123456","created_at":"t"}]}"#;
        let h = ErrorHeaders::default();
        let got = decode_outbox(200, &h, body).unwrap_or_default();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].to, "+1 5^[[31m");
        assert_eq!(got[0].body, "line 1\nline^G 2");
        assert_eq!(got[0].status, OutboxStatus::Unused, "a server without statuses: unused");
        let used = br#"{"messages":[{"id":"m","kind":"sms","to":"t","subject":"s","body":"b","created_at":"t","status":"used"}]}"#;
        assert_eq!(decode_outbox(200, &h, used).unwrap_or_default()[0].status, OutboxStatus::Used);
        assert!(matches!(decode_outbox(200, &h, b"{}"), Err(ApiError::Decode { .. })));
        assert!(matches!(decode_outbox(200, &h, b"<html>"), Err(ApiError::Decode { .. })));
        let e = decode_outbox(404, &h, br#"{"error_message":"Not found","error_code":404}"#);
        assert!(matches!(e, Err(ApiError::Rejected { status: 404, .. })), "{e:?}");
    }
}
