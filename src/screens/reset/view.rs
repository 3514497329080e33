//! The password-reset wizard: step 1 (the email, then the server's notice and the token's
//! countdown) and step 2 (the token and the new password with its live checks), in a card like
//! the log-in form's ([`crate::ui::widgets::card`], shared with the activation form).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::app::keymap::Action;
use crate::app::request::Pending;
use crate::app::state::App;
use crate::screens::reset::Focus;
use crate::screens::reset::ResetState;
use crate::screens::reset::Step;
use crate::ui::theme::Theme;
use crate::ui::widgets::card::{
    Density, Row, field_errors, key, mailbox_note, para, password_rows, render_card, send_button, status,
    token_rows,
};
use crate::ui::widgets::field::FieldView;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, r: &ResetState) {
    let title = match r.step {
        Step::Email => "Reset password · step 1 of 2",
        Step::Token => "Reset password · step 2 of 2",
    };
    render_card(frame, area, title, theme, |density, width| match r.step {
        Step::Email => step_email(app, theme, r, density, width),
        Step::Token => step_token(app, theme, r, density, width),
    });
}

/// The token's time left, as a sentence.
fn countdown(r: &ResetState, density: Density) -> Option<String> {
    r.sent.as_ref()?;
    let long = density == Density::Roomy;
    Some(match (r.minutes_left, long) {
        (0, _) => "The token in that email has expired (after 60 minutes): send a new one.".to_string(),
        (1, true) => "The token in the email works for 60 minutes: less than 1 min left.".to_string(),
        (n, true) => format!("The token in the email works for 60 minutes: {n} min left."),
        (1, false) => "Token valid for less than 1 more min.".to_string(),
        (n, false) => format!("Token valid {n} more min (60 in all)."),
    })
}

fn step_email<'a>(app: &App, t: &Theme, r: &'a ResetState, density: Density, width: u16) -> Vec<Row<'a>> {
    let roomy = density == Density::Roomy;
    let mut rows = Vec::new();
    if roomy {
        let intro = if r.email_locked {
            "Contentstack emails your address a token to choose a new password with; this session stays open."
        } else {
            "Contentstack emails your account a token to choose a new password with."
        };
        rows.push(para(intro, width, t.label()));
        rows.push(Row::Space);
    }
    if r.email_locked {
        // The logged-in account's address, shown as text: there is nothing to type here.
        let email = r.email.value();
        let line = Line::from(vec![
            Span::styled("To ", t.label()),
            Span::styled(email.to_string(), t.title()),
            Span::styled(" (your account)", t.dim()),
        ]);
        let fits = 3 + email.width() + 15 <= width as usize;
        rows.push(if fits { Row::Lines(vec![line]) } else { para(&format!("To {email}"), width, t.title()) });
    } else {
        let view = FieldView { field: &r.email, focused: true, reveal: true, placeholder: "you@example.com" };
        rows.push(Row::Field { label: "Email", view, hint: None });
    }
    field_errors(&mut rows, r.errors.get(&Focus::Email), t);
    if roomy {
        rows.push(Row::Space);
    }
    rows.push(send_button(app, if r.sent_to_current() { "Next step" } else { "Send the email" }));
    if let Some(s) = &r.sent {
        if roomy {
            rows.push(Row::Space);
        }
        rows.push(para(&format!("✓ {}", s.notice), width, t.ok()));
        if let Some(c) = countdown(r, density) {
            rows.push(para(&c, width, if r.minutes_left == 0 { t.warn() } else { t.label() }));
        }
        if density != Density::Tight
            && let Some(k) = key(app, Action::Retry)
        {
            rows.push(para(&format!("No email? {k} sends it again."), width, t.dim()));
        }
        mailbox_note(&mut rows, app, t, "reset emails", width);
    } else if let Some(k) = key(app, Action::NextStep) {
        if roomy {
            rows.push(Row::Space);
        }
        rows.push(para(&format!("Have a token already? {k} goes to step 2."), width, t.dim()));
    }
    if roomy && (r.error.is_some() || app.has_pending(Pending::is_account_flow)) {
        rows.push(Row::Space);
    }
    status(&mut rows, app, t, r.error.as_ref(), width);
    rows
}

fn step_token<'a>(app: &App, t: &Theme, r: &'a ResetState, density: Density, width: u16) -> Vec<Row<'a>> {
    let roomy = density == Density::Roomy;
    let mut rows = Vec::new();
    let email = r.email.value().trim();
    let left = r.sent.as_ref().map(|_| match (r.minutes_left, roomy) {
        (0, _) => "the token has expired".to_string(),
        (n, true) => format!("token valid {n} more min"),
        (n, false) => format!("{n} min left"),
    });
    let head = match (email.is_empty(), left) {
        (false, Some(left)) if roomy => format!("For {email} · {left}"),
        (false, Some(left)) => format!("{email} · {left}"),
        (false, None) if roomy => format!("For {email}"),
        (false, None) => email.to_string(),
        (true, Some(left)) => left,
        (true, None) => String::new(),
    };
    if !head.is_empty() {
        rows.push(para(&head, width, t.dim()));
        if roomy {
            rows.push(Row::Space);
        }
    }
    token_rows(&mut rows, r, t, density);
    password_rows(&mut rows, app, t, r, "Reset the password", (density, width));
    let token_refused = r.errors.contains_key(&Focus::Token) || r.minutes_left == 0 && r.sent.is_some();
    if token_refused && let Some(k) = key(app, Action::GoBack) {
        rows.push(para(&format!("{k} goes back to step 1 to ask for a new token."), width, t.warn()));
    }
    if r.form.token.is_empty() {
        mailbox_note(&mut rows, app, t, "reset emails", width);
    }
    status(&mut rows, app, t, r.error.as_ref(), width);
    rows
}
