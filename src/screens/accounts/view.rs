//! The account switcher: a box listing the stored sessions, one line each —
//!
//! ```text
//! › ● john.doe@example.com     NA · AWS North America   valid       in use
//!
//! john.doe@example.com on NA: last used 2026-12-05 04:16 UTC, stored …, logged in with a password.
//! ```
//!
//! Whether a token is good is said in words (`checking…`, `valid`, `expired`, `not checked`),
//! never by colour alone; the account in use is marked `●` and "in use"; the selection is `›`
//! and reversed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::api::check::TokenCheck;
use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::accounts::{AccountRow, AccountsState, Validity};
use crate::ui::text::wrap;
use crate::ui::theme::Theme;

fn key(app: &App, ctx: Context, action: Action) -> String {
    app.keymap.hint(ctx, action).unwrap_or_default()
}

/// The words for a row's token, and how they look.
fn validity(row: &AccountRow, t: &Theme) -> (String, Style) {
    match &row.validity {
        Validity::Checking => ("checking…".into(), t.dim()),
        Validity::Checked(TokenCheck::Valid) => ("valid".into(), t.ok()),
        Validity::Checked(TokenCheck::Expired) => ("expired".into(), t.error()),
        Validity::Checked(TokenCheck::Unknown(_)) => ("not checked".into(), t.warn()),
    }
}

/// Cuts `text` to `width` cells, marking the cut with `…`.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return format!("{text:<width$}");
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > width {
            break;
        }
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    format!("{out:<width$}")
}

fn row_line<'a>(s: &AccountsState, row: &'a AccountRow, selected: bool, width: usize, t: &Theme) -> Line<'a> {
    let current = s.is_current(row);
    let (valid, valid_style) = validity(row, t);
    // Email and endpoint share what the fixed columns leave; the rest is under the list.
    let rest = width.saturating_sub(2 + 2 + 12 + 6 + 2);
    let email_w = (rest * 3 / 5).max(8);
    let endpoint_w = rest.saturating_sub(email_w + 1);
    Line::from(vec![
        Span::styled(if selected { "› " } else { "  " }, t.accent()),
        Span::styled(if current { "● " } else { "  " }, t.accent()),
        Span::styled(fit(&row.info.email, email_w), if current { t.title() } else { Style::new() }),
        Span::raw(" "),
        Span::styled(fit(&row.info.endpoint.name(), endpoint_w), t.dim()),
        Span::raw(" "),
        Span::styled(fit(&valid, 12), valid_style),
        Span::styled(if current { "in use" } else { "" }, t.label()),
    ])
}

/// What the list has no room for, of the selected session: where, since when, how obtained,
/// and why its token could not be checked.
fn selected_lines(row: &AccountRow, width: usize, t: &Theme) -> Vec<Line<'static>> {
    let how = row.info.obtained.describe();
    let when = |at: &chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%d %H:%M UTC").to_string();
    let text = format!(
        "{}: last used {}, stored {}, {how}{}.",
        row.info.who(),
        when(&row.info.last_used),
        when(&row.info.created_at),
        if row.info.in_keyring { ", its token in the OS keyring" } else { "" }
    );
    let mut out: Vec<Line> =
        wrap(&text, width).into_iter().map(|l| Line::from(Span::styled(l, t.dim()))).collect();
    if let Validity::Checked(TokenCheck::Unknown(why)) = &row.validity {
        out.extend(
            wrap(&format!("Not checked: {why}"), width)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, t.warn()))),
        );
    }
    out
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, t: &Theme, s: &AccountsState) {
    let keys = format!(
        " {} switch · {} add · {} log out ",
        key(app, Context::Accounts, Action::SwitchAccount),
        key(app, Context::Accounts, Action::AddAccount),
        key(app, Context::Accounts, Action::LogoutAccount)
    );
    let block =
        crate::ui::widgets::list_box("Accounts", s.rows.len(), ("stored", "stored"), s.loaded, keys, t);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(why) = &s.error {
        for l in wrap(&format!("The stored sessions could not be read: {why}"), width) {
            lines.push(Line::from(Span::styled(l, t.error())));
        }
    } else if !s.loaded {
        lines.push(Line::from(Span::styled("Reading the stored sessions…", t.dim())));
    } else if s.rows.is_empty() {
        let add = key(app, Context::Accounts, Action::AddAccount);
        let text = if app.can_remember {
            format!("No stored sessions. {add} adds one (tick \"Remember me\" to keep it).")
        } else {
            format!("Sessions are not stored here. {add} logs in to another account.")
        };
        for l in wrap(&text, width) {
            lines.push(Line::from(Span::styled(l, t.dim())));
        }
    }
    // Below the list: the switch under way, else more of the selected session.
    let status: Vec<Line> = match (&s.switching, s.selected_row()) {
        (Some((endpoint, email)), _) => {
            vec![Line::from(Span::styled(format!("Loading {email} on {}…", endpoint.name()), t.dim()))]
        }
        (None, Some(row)) => selected_lines(row, width, t),
        (None, None) => Vec::new(),
    };
    let list_rows = (inner.height as usize).saturating_sub(lines.len() + status.len() + 1).max(1);
    s.page.set(list_rows);
    let offset = s.selected.saturating_sub(list_rows - 1);
    let before = lines.len() as u16;
    for (i, row) in s.rows.iter().enumerate().skip(offset).take(list_rows) {
        lines.push(row_line(s, row, i == s.selected, width, t));
    }
    if !status.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(status);
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(sel) = s.selected.checked_sub(offset).filter(|&n| n < list_rows && !s.rows.is_empty()) {
        let y = inner.y + before + sel as u16;
        if y < inner.bottom() && s.confirm_logout.is_none() {
            frame.buffer_mut().set_style(Rect::new(inner.x, y, inner.width, 1), t.selected());
        }
    }
    if let Some(row) = s.confirm_logout.and_then(|i| s.rows.get(i)) {
        let body = if s.is_current(row) {
            format!(
                "{} is the account in use: this ends its session on Contentstack and forgets it here.",
                row.info.who()
            )
        } else {
            format!("This ends the session of {} on its server and forgets it here.", row.info.who())
        };
        let (yes, no) = ((Action::Confirm, "Log out"), (Action::Cancel, "Keep it"));
        crate::ui::widgets::confirm::ask(
            frame,
            area,
            &app.keymap,
            Context::Confirm,
            "Log out?",
            &body,
            yes,
            no,
            t,
        );
    }
}
