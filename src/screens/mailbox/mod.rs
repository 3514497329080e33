//! The demo mailbox: what the demo server "sent" (reset emails, invitations, SMS codes), read
//! from its `GET /demo/outbox`, so a new user can finish every flow without any email.
//!
//! The fetch lives here rather than in `api`, which speaks only Contentstack's API: the outbox
//! is the demo server's own route, asked for only in demo mode.

pub mod hints;
pub mod layout;
pub mod update;
pub mod view;

use std::cell::Cell;
use std::time::Duration;

use ratatui::layout::Rect;

use crate::api::error::{ErrorHeaders, classify, from_reqwest, from_reqwest_body};
use crate::api::{ApiError, Endpoint};
use crate::demo::{OutboxKind, OutboxMessage, OutboxStatus};

use crate::app::state::Screen;

/// The outbox keeps at most 500 short messages; anything far larger is not the demo server.
const MAX_OUTBOX_BYTES: usize = 4_000_000;
/// A loopback server in the same process answers in milliseconds.
const TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug)]
pub struct MailboxState {
    /// Newest first.
    pub messages: Vec<OutboxMessage>,
    pub selected: usize,
    /// First list row shown.
    pub offset: usize,
    /// Whether an answer came (before it, "loading" rather than "empty").
    pub loaded: bool,
    /// Why the last reload failed.
    pub error: Option<String>,
    /// Where Esc leads, and what Enter fills.
    pub back: Box<Screen>,
    /// The area the view last drew the mailbox in: what `update` keeps the selection inside.
    pub area: Cell<Rect>,
    /// The area the selection was last kept inside: when the view draws at another size, the
    /// next key fits it first.
    pub fitted: Rect,
}

impl MailboxState {
    pub fn new(back: Screen) -> Self {
        MailboxState {
            messages: Vec::new(),
            selected: 0,
            offset: 0,
            loaded: false,
            error: None,
            back: Box::new(back),
            area: Cell::new(Rect::default()),
            fitted: Rect::default(),
        }
    }

    pub fn selected(&self) -> Option<&OutboxMessage> {
        self.messages.get(self.selected)
    }

    /// Takes a fresh outbox (oldest first, as the server lists it), keeping the selection on the
    /// same message when it is still there, else on the newest.
    pub fn load(&mut self, mut oldest_first: Vec<OutboxMessage>) {
        let keep = self.selected().map(|m| m.id.clone());
        oldest_first.reverse();
        self.messages = oldest_first;
        self.selected = keep.and_then(|id| self.messages.iter().position(|m| m.id == id)).unwrap_or(0);
        self.loaded = true;
        self.error = None;
    }

    /// Moves the selection by `delta`, clamped, and keeps it within `rows` visible rows.
    pub fn move_by(&mut self, delta: isize, rows: usize) {
        let last = self.messages.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
        self.scroll_into_view(rows);
    }

    pub fn scroll_into_view(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        self.offset = self.offset.min(self.messages.len().saturating_sub(rows));
    }
}

/// What a message gives a form: a reset or activation token, or an SMS code.
pub fn usable_value(m: &OutboxMessage) -> Option<&str> {
    match m.kind {
        OutboxKind::ResetPassword | OutboxKind::Activation => m.token.as_deref(),
        OutboxKind::Sms => m.code.as_deref(),
    }
    .filter(|v| !v.is_empty())
}

/// Why a message's token or code no longer works, with what to do instead; `None` while it
/// works.
pub fn spent_note(m: &OutboxMessage) -> Option<String> {
    let (what, new) = match m.kind {
        OutboxKind::ResetPassword => ("reset token", "Ask for a new reset email (Forgot password)."),
        OutboxKind::Activation => ("activation token", "Ask the account's owner for a new invitation."),
        OutboxKind::Sms => ("code", "Ask for a new code at the two-factor step."),
    };
    match m.status {
        OutboxStatus::Unused => None,
        OutboxStatus::Used => Some(format!("This {what} was already used. {new}")),
        OutboxStatus::Expired => Some(format!("This {what} has expired. {new}")),
        OutboxStatus::Revoked => Some(format!(
            "This {what} no longer works: a newer one replaced it{}. Use the newest message.",
            if m.kind == OutboxKind::ResetPassword { ", or the password was reset since" } else { "" }
        )),
    }
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
            return Err(ApiError::TooLarge { limit: MAX_OUTBOX_BYTES as u64 });
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
    use crate::screens::login::LoginState;

    fn msg(id: &str, kind: OutboxKind) -> OutboxMessage {
        OutboxMessage {
            id: id.into(),
            kind,
            to: "a@b.c".into(),
            subject: "s".into(),
            body: "b".into(),
            token: Some("blt1".into()),
            link: None,
            code: Some("123456".into()),
            created_at: "2025-01-01T10:00:00.000Z".into(),
            expires_at: None,
            status: OutboxStatus::Unused,
        }
    }

    #[test]
    fn newest_first_and_the_selection_follows_its_message() {
        let mut m = MailboxState::new(Screen::Login(Box::new(LoginState::new(None))));
        m.load(vec![msg("1", OutboxKind::Activation), msg("2", OutboxKind::Sms)]);
        assert_eq!(m.selected().map(|s| s.id.as_str()), Some("2"));
        m.move_by(1, 5);
        assert_eq!(m.selected().map(|s| s.id.as_str()), Some("1"));
        let three =
            vec![msg("1", OutboxKind::Activation), msg("2", OutboxKind::Sms), msg("3", OutboxKind::Sms)];
        m.load(three);
        assert_eq!((m.selected, m.selected().map(|s| s.id.as_str())), (2, Some("1")));
        m.move_by(-10, 1);
        assert_eq!((m.selected, m.offset), (0, 0));
        m.move_by(10, 1);
        assert_eq!((m.selected, m.offset), (2, 2));
    }

    #[test]
    fn each_kind_gives_its_value() {
        assert_eq!(usable_value(&msg("1", OutboxKind::ResetPassword)), Some("blt1"));
        assert_eq!(usable_value(&msg("1", OutboxKind::Sms)), Some("123456"));
        let mut empty = msg("1", OutboxKind::Activation);
        empty.token = Some(String::new());
        assert_eq!(usable_value(&empty), None);
    }

    #[test]
    fn a_spent_message_says_why_and_what_to_do() {
        let with = |kind, status| OutboxMessage { status, ..msg("1", kind) };
        assert_eq!(spent_note(&with(OutboxKind::ResetPassword, OutboxStatus::Unused)), None);
        let used = spent_note(&with(OutboxKind::ResetPassword, OutboxStatus::Used)).unwrap_or_default();
        assert!(used.contains("already used") && used.contains("new reset email"), "{used}");
        let expired = spent_note(&with(OutboxKind::Sms, OutboxStatus::Expired)).unwrap_or_default();
        assert!(expired.contains("code has expired"), "{expired}");
        let revoked = spent_note(&with(OutboxKind::ResetPassword, OutboxStatus::Revoked)).unwrap_or_default();
        assert!(revoked.contains("newer one") && revoked.contains("password was reset"), "{revoked}");
    }

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
