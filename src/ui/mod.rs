//! Drawing: one file per screen, shared widgets in [`widgets`]. Nothing here changes state:
//! [`draw`] reads the [`App`] and fills a frame.

pub mod confirm;
pub mod format;
pub mod hints;
pub mod layout;
pub mod text;
pub mod theme;
pub mod widgets;

use ratatui::Frame;

use crate::app::keymap::{Action, Context};
use crate::app::state::{App, Confirm, Screen};

/// Draws the whole screen for the current state.
pub fn draw(frame: &mut Frame, app: &App, theme: &theme::Theme) {
    let area = frame.area();
    if layout::too_small(area) {
        let quit = match crate::app::update::lost_on_quit(app).is_empty() {
            true => app.keymap.hint(Context::Global, Action::Quit),
            // q would ask a question that could not be seen; ctrl-c quits at once.
            false => None,
        };
        widgets::too_small::render(frame, area, quit.as_deref().unwrap_or("ctrl-c"), theme);
        return;
    }
    let chrome = layout::chrome(area);
    // The screen showing; under an overlay (the help), the one it covers, with the overlay
    // drawn last, over the footer's toasts.
    app.screen.render(frame, chrome.main, app, theme);
    let hints = hints::hints(app);
    if let Some(h) = chrome.hints {
        widgets::status::render_hints(frame, h, &hints, theme);
    }
    let right = if chrome.hints.is_none() { hints::status_hint(app) } else { None };
    widgets::status::render_status(frame, chrome.status, app, right, theme);
    widgets::toasts::render(frame, chrome.main, &app.toasts, theme);
    if let Some(overlay) = &app.overlay {
        overlay.render(frame, chrome.main, app, theme);
    }
    crate::ui::confirm::render(frame, chrome.main, app, theme);
    if let (Some(Confirm::DiscardEdits), Screen::Edit(e)) = (app.confirm, &app.screen) {
        crate::screens::edit::view::render_discard(frame, chrome.main, app, theme, e);
    }
    if let Some(offer) = app.draft_offer.as_ref().filter(|o| o.open) {
        crate::screens::edit::view::render_offer(frame, chrome.main, app, theme, offer);
    }
}
