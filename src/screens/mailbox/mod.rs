//! The demo mailbox: what the demo server "sent" (reset emails, invitations, SMS codes), read
//! from its `GET /demo/outbox` (see [`crate::api::outbox`]), so a new user can finish every flow
//! without any email.

pub mod hints;
pub mod layout;
pub mod update;
pub mod view;

use std::cell::Cell;

use ratatui::layout::Rect;

use crate::api::outbox::{OutboxKind, OutboxMessage, OutboxStatus};

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
    /// What the screen under the mailbox takes: a token or code for it is handed down on Enter.
    pub under: Under,
    /// The area the view last drew the mailbox in: what `update` keeps the selection inside.
    pub area: Cell<Rect>,
    /// The area the selection was last kept inside: when the view draws at another size, the
    /// next key fits it first.
    pub fitted: Rect,
}

/// The screen the mailbox was opened over, as far as the mailbox cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Under {
    /// The password-reset wizard: takes a reset token.
    Reset,
    /// The activation form: takes an activation token.
    Activate,
    /// The log-in form's two-factor step: takes an SMS code.
    Tfa,
    /// Anything else: a token opens its form over it instead.
    Other,
}

impl MailboxState {
    pub fn new(under: Under) -> Self {
        MailboxState {
            messages: Vec::new(),
            selected: 0,
            offset: 0,
            loaded: false,
            error: None,
            under,
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

crate::screens::screen_state!(MailboxState);

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut m = MailboxState::new(Under::Other);
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
}
