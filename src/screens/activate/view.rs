//! The activation form: the token or the invitation link, the names, and the password with its
//! live checks, in the same card as the reset wizard.

use crate::ui::theme::Theme;
use crate::ui::widgets::card::Density;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::state::App;
use crate::screens::activate::ActivateState;
use crate::screens::activate::Focus;
use crate::ui::widgets::card::Row;
use crate::ui::widgets::card::field_errors;
use crate::ui::widgets::card::mailbox_note;
use crate::ui::widgets::card::para;
use crate::ui::widgets::card::password_rows;
use crate::ui::widgets::card::render_card;
use crate::ui::widgets::card::status;
use crate::ui::widgets::card::token_rows;
use crate::ui::widgets::field::FieldView;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, a: &ActivateState) {
    render_card(frame, area, "Activate your account", theme, |density, width| {
        rows(app, theme, a, density, width)
    });
}

fn rows<'a>(app: &App, t: &Theme, a: &'a ActivateState, density: Density, width: u16) -> Vec<Row<'a>> {
    let roomy = density == Density::Roomy;
    let mut rows = Vec::new();
    let token = crate::api::token_from_link(a.form.token.value()).unwrap_or_default();
    match a.email_for(&token) {
        Some(email) => rows.push(para(&format!("Invited as {email}"), width, t.dim())),
        None if roomy => rows.push(para(
            "Paste the token or the link from your invitation, then choose your name and password.",
            width,
            t.label(),
        )),
        None => {}
    }
    if roomy {
        rows.push(Row::Space);
    }
    token_rows(&mut rows, a, t, density);
    for (focus, label, field) in
        [(Focus::FirstName, "First name", &a.first_name), (Focus::LastName, "Last name", &a.last_name)]
    {
        let view = FieldView { field, focused: a.focus == focus, reveal: true, placeholder: "" };
        rows.push(Row::Field { label, view, hint: None });
        field_errors(&mut rows, a.errors.get(&focus), t);
    }
    password_rows(&mut rows, app, t, a, "Activate", (density, width));
    if a.form.token.is_empty() {
        mailbox_note(&mut rows, app, t, "invitations", width);
    }
    status(&mut rows, app, t, a.error.as_ref(), width);
    rows
}
