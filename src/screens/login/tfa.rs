//! The log-in form's second step: the two-factor code (from an authenticator, or asked for by
//! SMS), its keys and its drawing. Its state is [`TfaStep`], kept in the log-in form so the
//! email and password need not be typed again.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::effect::Effect;
use crate::app::keymap::{Action, Context};
use crate::app::keys::Key;
use crate::app::request::{Lives, OnSms, Request, ScreenTag};
use crate::app::state::{App, Screen};
use crate::screens::login::update::{CODE_MIN, busy, form_error, start_login, while_busy};
use crate::screens::login::view::{LABEL, Rows, field_row, key, render_status};
use crate::screens::login::{Focus, LoginState};
use crate::ui::text::{wrap, wrapped_len};
use crate::ui::theme::Theme;
use crate::ui::widgets::field::FieldView;

pub(crate) fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
    let action = app.keymap.action(Context::Tfa, key);
    if busy(app) {
        return while_busy(app, action, key);
    }
    let Screen::Login(l) = &mut app.screen else { return None };
    let tfa = l.tfa.as_mut()?;
    if key.is_text() {
        tfa.code.handle_key(ev);
        return Some(Vec::new());
    }
    match action {
        Some(Action::Submit) => Some(submit_code(app)),
        Some(Action::RequestSms) => Some(request_sms(app)),
        Some(Action::OpenMailbox) => app.open_mailbox(),
        Some(Action::Back) => {
            l.tfa = None;
            l.focus = Focus::Password;
            l.error = None;
            Some(Vec::new())
        }
        _ => tfa.code.handle_key(ev).then(Vec::new),
    }
}

fn submit_code(app: &mut App) -> Vec<Effect> {
    if busy(app) {
        return Vec::new();
    }
    let can_remember = app.can_remember;
    let Screen::Login(l) = &mut app.screen else { return Vec::new() };
    let Some(tfa) = &l.tfa else { return Vec::new() };
    let code = tfa.code.value().to_string();
    if code.len() < CODE_MIN {
        l.error = Some(form_error(
            "Code incomplete",
            "Enter the 6-digit code from your authenticator app or the SMS.".into(),
            false,
        ));
        return Vec::new();
    }
    l.error = None;
    let (email, password, remember) = (tfa.email.clone(), tfa.password.clone(), l.remember && can_remember);
    start_login(app, email, password, Some(code), remember)
}

fn request_sms(app: &mut App) -> Vec<Effect> {
    if busy(app) {
        return Vec::new();
    }
    let endpoint = app.endpoint.clone();
    let Screen::Login(l) = &mut app.screen else { return Vec::new() };
    let Some(tfa) = &l.tfa else { return Vec::new() };
    l.error = None;
    let (email, password) = (tfa.email.clone(), tfa.password.clone());
    vec![
        app.request(Lives::Screen(ScreenTag::Login), Request::Sms { endpoint, email, password, then: OnSms }),
    ]
}

pub(crate) fn render(frame: &mut Frame, area: Rect, app: &App, t: &Theme, l: &LoginState, roomy: bool) {
    let Some(tfa) = &l.tfa else { return };
    let mut rows = Rows { area, y: area.y, roomy };
    if let Some(r) = rows.next(1) {
        let region =
            if tfa.email.chars().count() + app.endpoint.label().chars().count() + 3 <= r.width as usize {
                app.endpoint.label()
            } else {
                crate::ui::format::short_endpoint(&app.endpoint)
            };
        let spans =
            vec![Span::styled(tfa.email.clone(), t.title()), Span::styled(format!(" · {region}"), t.dim())];
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }
    rows.space();
    let msg_lines = wrapped_len(&tfa.server_message, area.width as usize) as u16;
    let msg_lines = if roomy { msg_lines } else { msg_lines.min(2) };
    if let Some(r) = rows.next(msg_lines.max(1)) {
        let text = if tfa.server_message.is_empty() {
            "Enter the code from your authenticator app.".to_string()
        } else {
            tfa.server_message.clone()
        };
        let lines: Vec<Line> = wrap(&text, r.width as usize)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, t.label())))
            .collect();
        frame.render_widget(Paragraph::new(lines), r);
    }
    rows.space();
    if let Some(r) = rows.next(1) {
        let view = FieldView { field: &tfa.code, focused: true, reveal: true, placeholder: "6 digits" };
        let [row, _] = Layout::horizontal([Constraint::Length(LABEL + 10), Constraint::Min(0)]).areas(r);
        field_row(frame, row, "Code", &view, None, t);
    }
    rows.space();
    if let Some(r) = rows.next(1) {
        let line = if tfa.sms_sent {
            // In the demo the SMS lands in the mailbox, where Enter puts the code in.
            let mailbox =
                app.demo_endpoint.as_ref().and_then(|_| key(app, Context::Tfa, Action::OpenMailbox));
            let text = match mailbox {
                Some(k) => format!("✓ SMS sent: in the mailbox ({k})."),
                None => "✓ A code was sent by SMS: enter it above.".to_string(),
            };
            Line::from(Span::styled(text, t.ok()))
        } else {
            let k = key(app, Context::Tfa, Action::RequestSms).unwrap_or_default();
            Line::from(vec![
                Span::styled(k, t.key()),
                Span::styled(" sends the code by SMS instead", t.dim()),
            ])
        };
        frame.render_widget(Paragraph::new(line), r);
    }
    rows.space();
    render_status(frame, rows.rest(), app, t, l);
}
