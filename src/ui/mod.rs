//! Drawing: one file per screen, shared widgets in [`widgets`]. Nothing here changes state:
//! [`draw`] reads the [`App`] and fills a frame.

pub mod format;
pub mod hints;
pub mod layout;
pub mod text;
pub mod theme;
pub mod widgets;

use ratatui::Frame;

use crate::app::keymap::{Action, Context};
use crate::app::state::{App, Confirm, Screen};
use widgets::confirm::ConfirmView;

/// Draws the whole screen for the current state.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if layout::too_small(area) {
        let quit = match crate::app::update::lost_on_quit(app).is_empty() {
            true => app.keymap.hint(Context::Global, Action::Quit),
            // q would ask a question that could not be seen; ctrl-c quits at once.
            false => None,
        };
        widgets::too_small::render(frame, area, quit.as_deref().unwrap_or("ctrl-c"), &app.theme);
        return;
    }
    let chrome = layout::chrome(area);
    // The screen showing; under an overlay (the help), the one it covers, with the overlay
    // drawn last, over the footer's toasts.
    app.screen.render(frame, chrome.main, app);
    let hints = hints::hints(app);
    if let Some(h) = chrome.hints {
        widgets::status::render_hints(frame, h, &hints, &app.theme);
    }
    let right = if chrome.hints.is_none() { hints::status_hint(app) } else { None };
    widgets::status::render_status(frame, chrome.status, app, right, &app.theme);
    widgets::toasts::render(frame, chrome.main, &app.toasts, &app.theme);
    if let Some(overlay) = &app.overlay {
        overlay.render(frame, chrome.main, app);
    }
    if let Some(Confirm::Logout) = app.confirm {
        let key = |a| app.keymap.hint(Context::Confirm, a).unwrap_or_default();
        let view = ConfirmView {
            title: "Log out?",
            body: "This ends the session on Contentstack and forgets the saved token on this computer.",
            yes: (key(Action::Confirm), "Log out"),
            no: (key(Action::Cancel), "Stay"),
        };
        widgets::confirm::render(frame, chrome.main, &view, &app.theme);
    }
    if let Some(Confirm::Quit) = app.confirm {
        let key = |a| app.keymap.hint(Context::Confirm, a).unwrap_or_default();
        let body = crate::app::update::lost_on_quit(app).join(" ");
        let view = ConfirmView {
            title: "Quit?",
            body: &body,
            yes: (key(Action::Confirm), "Quit"),
            no: (key(Action::Cancel), "Stay"),
        };
        widgets::confirm::render(frame, chrome.main, &view, &app.theme);
    }
    if let (Some(Confirm::DiscardEdits), Screen::Edit(e)) = (app.confirm, &app.screen) {
        crate::screens::edit::view::render_discard(frame, chrome.main, app, e);
    }
    if let Some(offer) = app.draft_offer.as_ref().filter(|o| o.open) {
        crate::screens::edit::view::render_offer(frame, chrome.main, app, offer);
    }
}
