//! The demo's mailbox: the emails and text messages a real Contentstack would send.
//!
//! Nothing leaves the machine. Password-reset links, activation links and SMS codes land here so
//! that the TUI (or a test) can show them and finish the flow. The outbox keeps the newest
//! [`Outbox::CAPACITY`] messages so a client hammering `forgot_password` cannot grow it forever.
//!
//! Each message says whether its token or code still works ([`OutboxStatus`]): the handlers
//! mark it used or revoked as that happens, and expiry is read off the demo clock when the
//! outbox is listed, so a mailbox never offers a spent token as if it were fresh.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use super::clock::stamp;
use crate::api::outbox::{OutboxKind, OutboxMessage, OutboxStatus};

/// What a handler hands to [`Outbox::push`]; the outbox adds the id and timestamps.
pub(crate) struct Draft {
    pub kind: OutboxKind,
    /// The user it concerns (index into the store's users).
    pub user: usize,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub carries: Carries,
    pub expires_at: Option<DateTime<Utc>>,
}

/// What a message carries for the user to use: a one-time token with the link that holds it
/// (the reset and activation emails), or a security code (an SMS).
pub(crate) enum Carries {
    Token { token: String, link: String },
    Code(String),
}

/// A sent message with what the outbox needs to keep its status.
#[derive(Debug)]
struct Entry {
    message: OutboxMessage,
    user: usize,
    expires_at: Option<DateTime<Utc>>,
}

/// Sent messages, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    messages: VecDeque<Entry>,
    sent: u64,
}

impl Outbox {
    /// How many messages are kept; older ones are dropped.
    pub const CAPACITY: usize = 500;

    /// Records a message and logs that it was sent (never its token or code).
    pub fn push(&mut self, draft: Draft, now: DateTime<Utc>) -> OutboxMessage {
        self.sent += 1;
        let (token, link, code) = match draft.carries {
            Carries::Token { token, link } => (Some(token), Some(link), None),
            Carries::Code(code) => (None, None, Some(code)),
        };
        let msg = OutboxMessage {
            id: format!("msg-{:04}", self.sent),
            kind: draft.kind,
            to: draft.to,
            subject: draft.subject,
            body: draft.body,
            token,
            link,
            code,
            created_at: stamp(now),
            expires_at: draft.expires_at.map(stamp),
            status: OutboxStatus::Unused,
        };
        tracing::info!(id = %msg.id, kind = %msg.kind, to = %msg.to, "demo outbox: message sent");
        if self.messages.len() == Self::CAPACITY {
            self.messages.pop_front();
        }
        self.messages.push_back(Entry {
            message: msg.clone(),
            user: draft.user,
            expires_at: draft.expires_at,
        });
        msg
    }

    /// Every kept message, oldest first, each with its status at `now` (an unused token or code
    /// past its time reads as expired).
    pub fn all(&self, now: DateTime<Utc>) -> Vec<OutboxMessage> {
        self.messages
            .iter()
            .map(|e| {
                let mut m = e.message.clone();
                if m.status == OutboxStatus::Unused && e.expires_at.is_some_and(|t| t <= now) {
                    m.status = OutboxStatus::Expired;
                }
                m
            })
            .collect()
    }

    /// Marks the still-unused message carrying `token` (reset or activation).
    pub fn mark_token(&mut self, token: &str, status: OutboxStatus) {
        for e in &mut self.messages {
            if e.message.status == OutboxStatus::Unused && e.message.token.as_deref() == Some(token) {
                e.message.status = status;
            }
        }
    }

    /// Marks the user's still-unused SMS messages: the one with `code` as `status` when a code
    /// is given, every one otherwise (a new code replaces them).
    pub fn mark_sms(&mut self, user: usize, code: Option<&str>, status: OutboxStatus) {
        for e in &mut self.messages {
            let m = &mut e.message;
            if e.user == user
                && m.kind == OutboxKind::Sms
                && m.status == OutboxStatus::Unused
                && code.is_none_or(|c| m.code.as_deref() == Some(c))
            {
                m.status = status;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(to: &str) -> Draft {
        Draft {
            kind: OutboxKind::Sms,
            user: 0,
            to: to.into(),
            subject: "Code".into(),
            body: "123456".into(),
            carries: Carries::Code("123456".into()),
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
        let all = outbox.all(now);
        assert_eq!(all.len(), Outbox::CAPACITY);
        assert_eq!(all[0].to, "n2");
        assert_eq!(all[0].id, "msg-0003");
        assert_eq!(all.last().map(|m| m.id.as_str()), Some("msg-0502"));
    }

    #[test]
    fn statuses_follow_use_replacement_and_the_clock() {
        let mut outbox = Outbox::default();
        let now = Utc::now();
        let timed = |token: &str, minutes| Draft {
            kind: OutboxKind::ResetPassword,
            carries: Carries::Token {
                token: token.into(),
                link: format!("https://x.example/reset?token={token}"),
            },
            expires_at: Some(now + chrono::Duration::minutes(minutes)),
            ..draft("a@b.c")
        };
        outbox.push(timed("t1", 60), now);
        outbox.push(timed("t2", 60), now);
        outbox.push(timed("t3", 1), now);
        outbox.push(draft("+1 5"), now);
        outbox.push(Draft { user: 1, ..draft("+1 6") }, now);
        outbox.mark_token("t1", OutboxStatus::Used);
        outbox.mark_token("t1", OutboxStatus::Revoked);
        outbox.mark_token("t2", OutboxStatus::Revoked);
        outbox.mark_sms(0, Some("123456"), OutboxStatus::Used);
        let status = |o: &Outbox, at| o.all(at).iter().map(|m| m.status.as_str()).collect::<Vec<_>>();
        assert_eq!(status(&outbox, now), ["used", "revoked", "unused", "used", "unused"]);
        assert_eq!(
            status(&outbox, now + chrono::Duration::minutes(2)),
            ["used", "revoked", "expired", "used", "unused"],
            "a used token stays used after its time"
        );
        outbox.mark_sms(1, None, OutboxStatus::Revoked);
        assert_eq!(status(&outbox, now)[4], "revoked");
        let wire = serde_json::to_value(&outbox.all(now)[0]).unwrap_or_default();
        assert_eq!(wire["status"], "used");
    }

    #[test]
    fn kind_serialises_as_snake_case() {
        let v = serde_json::to_value(OutboxKind::ResetPassword).ok();
        assert_eq!(v, Some(serde_json::json!("reset_password")));
        assert_eq!(OutboxKind::Activation.to_string(), "activation");
    }
}
