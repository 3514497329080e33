//! The sign-in screen: where to sign in, the address (whole, cut to the card's width so none of
//! it is hidden), how the browser and the listener stand with the time left, and the paste
//! field.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::keymap::{Action, Context};
use crate::app::state::App;
use crate::screens::signin::{Browser, Listener, SignInState};
use crate::ui::theme::Theme;
use crate::ui::widgets::card::{Density, Row, para, render_card};
use crate::ui::widgets::field::FieldView;
use crate::ui::widgets::spinner;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, s: &SignInState) {
    render_card(frame, area, "Sign in with the browser", theme, |density, width| {
        rows(app, theme, s, density, width)
    });
}

/// The key bound to `action` here, for the sentences that name it.
fn key(app: &App, action: Action) -> String {
    app.keymap.keys(Context::SignIn, action).first().map(|k| k.pretty()).unwrap_or_else(|| "?".into())
}

fn rows<'a>(app: &App, t: &Theme, s: &'a SignInState, density: Density, width: u16) -> Vec<Row<'a>> {
    let roomy = density == Density::Roomy;
    let mut rows = Vec::new();
    let browser = match &s.browser {
        Browser::Opening => "Opening the browser with this address:".to_string(),
        Browser::Opened => "A browser was opened with this address; approve cs-account there:".to_string(),
        Browser::NotOpened(why) => format!("{why}: open this address on any device and approve cs-account:"),
    };
    if roomy {
        let place = format!("Signing in to {} (SSO organisations sign in this way).", s.endpoint.label());
        rows.push(para(&place, width, t.dim()));
    }
    rows.push(para(&browser, width, t.label()));
    let mut address = address_lines(s.sign_in.url.as_str(), width, t);
    if density == Density::Tight && address.len() > 1 {
        // No room for all of it and the paste field: its start, and the key that copies it.
        address.truncate(1);
        rows.push(Row::Lines(address));
        rows.push(para(&format!("… {} copies it all", key(app, Action::Copy)), width, t.dim()));
    } else {
        rows.push(Row::Lines(address));
        let keys = format!(
            "{} copies it · {} opens it again",
            key(app, Action::Copy),
            key(app, Action::OpenBrowser)
        );
        rows.push(para(&keys, width, t.dim()));
    }
    if roomy {
        rows.push(Row::Space);
    }
    if s.signing_in {
        let label = format!("{} Signing in…", spinner::frame(app.spinner));
        rows.push(Row::Lines(vec![Line::from(Span::styled(label, t.accent()))]));
    } else {
        match &s.listener {
            Listener::Waiting => {
                let (m, sec) = (s.seconds_left / 60, s.seconds_left % 60);
                let wait = format!(
                    "Waiting for the browser · {m}:{sec:02} left · {} cancels",
                    key(app, Action::Close)
                );
                rows.push(Row::Lines(vec![Line::from(Span::styled(wait, t.accent()))]));
            }
            Listener::Stopped(why) => rows.push(para(why, width, t.warn())),
        }
    }
    if roomy {
        rows.push(Row::Space);
        rows.push(para(
            "Over SSH, or when the browser cannot reach this computer: paste the address the browser ended on (or the code) here.",
            width,
            t.dim(),
        ));
    }
    let view = FieldView {
        field: &s.paste,
        focused: !s.signing_in,
        reveal: true,
        placeholder: "the address or the code",
    };
    rows.push(Row::Field { label: "Paste", view, hint: None });
    rows.push(Row::Button { label: "Use it", key: Some(key(app, Action::UsePasted)) });
    if let Some(e) = &s.error {
        rows.push(Row::Lines(vec![Line::from(Span::styled(format!("✗ {}", e.title), t.error()))]));
        rows.push(para(&e.message, width, t.label()));
        if e.retry {
            rows.push(para(&format!("{} starts a new sign-in.", key(app, Action::Retry)), width, t.dim()));
        }
    }
    rows
}

/// The address cut into lines of the card's width (it has no spaces to wrap at): every
/// character shows, so it can be read or typed off the screen.
fn address_lines(url: &str, width: u16, t: &Theme) -> Vec<Line<'static>> {
    let width = usize::from(width.max(1));
    let chars: Vec<char> = url.chars().collect();
    chars.chunks(width).map(|c| Line::from(Span::styled(c.iter().collect::<String>(), t.accent()))).collect()
}
