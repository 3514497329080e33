//! The demo mailbox: the list of messages, newest first, over the selected one's content, with
//! its token or code set apart and what Enter does with it.
//!
//! Kinds are words (`Reset`, `Invite`, `SMS`), never colours alone; the selection is reversed
//! and marked `▸`. A message whose token or code no longer works says so in words (`used`,
//! `expired`, `revoked`) beside its time, and is dimmed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::api::outbox::{OutboxKind, OutboxMessage};
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::mailbox::layout::split;
use crate::screens::mailbox::spent_note;
use crate::screens::mailbox::usable_value;
use crate::screens::mailbox::{MailboxState, Under};
use crate::ui::text::wrap;
use crate::ui::theme::Theme;

fn kind_word(kind: OutboxKind) -> &'static str {
    match kind {
        OutboxKind::ResetPassword => "Reset",
        OutboxKind::Activation => "Invite",
        OutboxKind::Sms => "SMS",
    }
}

/// `10:04` out of `2025-01-01T10:04:05.000Z`; the text as it is when it is not that shape.
fn clock(stamp: &str) -> &str {
    match (stamp.get(10..11), stamp.get(11..16)) {
        (Some("T"), Some(hm)) => hm,
        _ => stamp,
    }
}

fn key(app: &App, action: Action) -> String {
    app.keymap.hint(Context::Mailbox, action).unwrap_or_default()
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, t: &Theme, m: &MailboxState) {
    m.area.set(area);
    let (list_area, body_area) = split(area, m.messages.len());
    let keys = format!(" {} reloads ", key(app, Action::Reload));
    let block = crate::ui::widgets::list_box(
        "Demo mailbox",
        m.messages.len(),
        ("message", "messages"),
        m.loaded,
        keys,
        t,
    );
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let rows = inner.height as usize;
    let lines: Vec<Line> = if !m.loaded && m.error.is_none() {
        vec![Line::from(Span::styled("Reading the mailbox…", t.dim()))]
    } else if m.messages.is_empty() && m.error.is_none() {
        vec![Line::from(Span::styled("No messages yet.", t.dim()))]
    } else {
        m.messages
            .iter()
            .enumerate()
            .skip(m.offset)
            .take(rows)
            .map(|(i, msg)| list_row(msg, i == m.selected, inner.width as usize, t))
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), inner);
    let body = Block::bordered().border_type(BorderType::Rounded).border_style(t.dim());
    let body_inner = body.inner(body_area).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(body, body_area);
    let width = body_inner.width as usize;
    let lines = if let Some(e) = &m.error {
        let mut l = vec![Line::from(Span::styled("✗ The mailbox could not be read", t.error()))];
        l.extend(wrap(e, width).into_iter().map(Line::from));
        l.push(Line::from(Span::styled(format!("{} tries again.", key(app, Action::Reload)), t.dim())));
        l
    } else if let Some(msg) = m.selected() {
        content(app, t, m, msg, width)
    } else if m.loaded {
        wrap(
            "Password-reset emails, invitations and SMS codes the demo server sends land here. Ask for one (forgot password, or an SMS code at the two-factor step), then reload.",
            width,
        )
        .into_iter()
        .map(|l| Line::from(Span::styled(l, t.dim())))
        .collect()
    } else {
        Vec::new()
    };
    frame.render_widget(Paragraph::new(lines), body_inner);
}

/// `▸ Reset  john.doe@example.com · Reset your Contentstack password   used 10:04`, cut to fit.
fn list_row(msg: &OutboxMessage, selected: bool, width: usize, t: &Theme) -> Line<'static> {
    let spent = !msg.status.is_usable();
    let time = if spent {
        format!("{} {}", msg.status.as_str(), clock(&msg.created_at))
    } else {
        clock(&msg.created_at).to_string()
    };
    let time = time.as_str();
    let left = format!(
        "{}{:<6} {} · {}",
        if selected { "▸ " } else { "  " },
        kind_word(msg.kind),
        msg.to,
        msg.subject
    );
    let room = width.saturating_sub(time.width() + 1);
    let left = cut(&left, room);
    let pad = width.saturating_sub(left.width() + time.width());
    let text = format!("{left}{}{time}", " ".repeat(pad));
    match (selected, spent) {
        (true, _) => Line::from(Span::styled(text, t.selected())),
        (false, true) => Line::from(Span::styled(text, t.dim())),
        (false, false) => Line::from(text),
    }
}

/// `s` cut to `width` columns, with `…` when something was cut.
fn cut(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// The selected message: subject, who and when, the token or code with what Enter does, the
/// body.
fn content(app: &App, t: &Theme, m: &MailboxState, msg: &OutboxMessage, width: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> =
        wrap(&msg.subject, width).into_iter().map(|l| Line::from(Span::styled(l, t.title()))).collect();
    let mut meta = format!("to {} · {} UTC", msg.to, clock(&msg.created_at));
    if let Some(e) = &msg.expires_at {
        meta.push_str(&format!(" · expires {} UTC", clock(e)));
    }
    lines.extend(wrap(&meta, width).into_iter().map(|l| Line::from(Span::styled(l, t.dim()))));
    if let Some(value) = usable_value(msg) {
        let label = if msg.kind == OutboxKind::Sms { "Code " } else { "Token " };
        let mut spans = vec![Span::styled(label, t.label()), Span::styled(value.to_string(), t.key())];
        // The status beside the value when it fits (the note below says it in words anyway).
        let marker = format!("  ({})", msg.status.as_str());
        if !msg.status.is_usable() && label.width() + value.width() + marker.width() <= width {
            spans.push(Span::styled(marker, t.warn()));
        }
        lines.push(Line::from(spans));
        // What Enter does, or why it would not help.
        let (next, style) = match spent_note(msg) {
            Some(note) => (note, t.warn()),
            None => {
                let what = match (msg.kind, m.under) {
                    (OutboxKind::ResetPassword, Under::Reset) => "puts the token in the reset form",
                    (OutboxKind::ResetPassword, _) => "opens the reset form with it",
                    (OutboxKind::Activation, Under::Activate) => "puts the token in the activation form",
                    (OutboxKind::Activation, _) => "opens the activation form with it",
                    (OutboxKind::Sms, Under::Tfa) => "fills the two-factor code",
                    (OutboxKind::Sms, _) => "fills it at the two-factor step (log in first)",
                };
                (format!("{} {what}", key(app, Action::UseMessage)), t.accent())
            }
        };
        lines.extend(wrap(&next, width).into_iter().map(|l| Line::from(Span::styled(l, style))));
    }
    lines.push(Line::from(""));
    for part in msg.body.split('\n') {
        if part.trim().is_empty() {
            lines.push(Line::from(""));
        } else {
            lines.extend(wrap(part, width).into_iter().map(Line::from));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_reads_rfc3339_and_leaves_the_rest() {
        assert_eq!(clock("2025-01-01T10:04:05.000Z"), "10:04");
        assert_eq!(clock("yesterday"), "yesterday");
    }

    #[test]
    fn rows_are_cut_with_an_ellipsis() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
    }
}
