//! The demo's mailbox: the emails and text messages a real Contentstack would send.
//!
//! Nothing leaves the machine. Password-reset links, activation links and SMS codes land here so
//! that the TUI (or a test) can show them and finish the flow. The outbox keeps the newest
//! [`Outbox::CAPACITY`] messages so a client hammering `forgot_password` cannot grow it forever.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::clock::stamp;

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
}

/// What a handler hands to [`Outbox::push`]; the outbox adds the id and timestamps.
pub(crate) struct Draft {
    pub kind: OutboxKind,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub token: Option<String>,
    pub link: Option<String>,
    pub code: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Sent messages, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    messages: VecDeque<OutboxMessage>,
    sent: u64,
}

impl Outbox {
    /// How many messages are kept; older ones are dropped.
    pub const CAPACITY: usize = 500;

    /// Records a message and logs that it was sent (never its token or code).
    pub fn push(&mut self, draft: Draft, now: DateTime<Utc>) -> OutboxMessage {
        self.sent += 1;
        let msg = OutboxMessage {
            id: format!("msg-{:04}", self.sent),
            kind: draft.kind,
            to: draft.to,
            subject: draft.subject,
            body: draft.body,
            token: draft.token,
            link: draft.link,
            code: draft.code,
            created_at: stamp(now),
            expires_at: draft.expires_at.map(stamp),
        };
        tracing::info!(id = %msg.id, kind = %msg.kind, to = %msg.to, "demo outbox: message sent");
        if self.messages.len() == Self::CAPACITY {
            self.messages.pop_front();
        }
        self.messages.push_back(msg.clone());
        msg
    }

    /// Every kept message, oldest first.
    pub fn all(&self) -> Vec<OutboxMessage> {
        self.messages.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(to: &str) -> Draft {
        Draft {
            kind: OutboxKind::Sms,
            to: to.into(),
            subject: "Code".into(),
            body: "123456".into(),
            token: None,
            link: None,
            code: Some("123456".into()),
            expires_at: None,
        }
    }

    #[test]
    fn ids_count_up_and_capacity_drops_oldest() {
        let mut outbox = Outbox::default();
        let now = Utc::now();
        for i in 0..Outbox::CAPACITY + 2 {
            outbox.push(draft(&format!("n{i}")), now);
        }
        let all = outbox.all();
        assert_eq!(all.len(), Outbox::CAPACITY);
        assert_eq!(all[0].to, "n2");
        assert_eq!(all[0].id, "msg-0003");
        assert_eq!(all.last().map(|m| m.id.as_str()), Some("msg-0502"));
    }

    #[test]
    fn kind_serialises_as_snake_case() {
        let v = serde_json::to_value(OutboxKind::ResetPassword).ok();
        assert_eq!(v, Some(serde_json::json!("reset_password")));
        assert_eq!(OutboxKind::Activation.to_string(), "activation");
    }
}
