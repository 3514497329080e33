//! The questions of [`crate::app::confirm`], drawn over the screen they are about.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::keymap::{Action, Context};
use crate::app::state::{App, Confirm};
use crate::ui::theme::Theme;
use crate::ui::widgets;
use crate::ui::widgets::confirm::ConfirmView;

/// Draws the open question, if it is one of these (the edit form draws its own discard
/// question beside the form).
pub fn render(frame: &mut Frame, main: Rect, app: &App, theme: &Theme) {
    if let Some(Confirm::Logout) = app.confirm {
        let key = |a| app.keymap.hint(Context::Confirm, a).unwrap_or_default();
        let view = ConfirmView {
            title: "Log out?",
            body: "This ends the session on Contentstack and forgets the saved token on this computer.",
            yes: (key(Action::Confirm), "Log out"),
            no: (key(Action::Cancel), "Stay"),
        };
        widgets::confirm::render(frame, main, &view, theme);
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
        widgets::confirm::render(frame, main, &view, theme);
    }
}
