//! The questions of [`crate::app::confirm`], drawn over the screen they are about.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::keymap::{Action, Context};
use crate::app::state::{App, Confirm};
use crate::ui::theme::Theme;
use crate::ui::widgets;

/// Draws the open question, if it is one of these (the edit form draws its own discard
/// question beside the form).
pub fn render(frame: &mut Frame, main: Rect, app: &App, theme: &Theme) {
    let (title, body, yes) = match app.confirm {
        Some(Confirm::Logout) => (
            "Log out?",
            "This ends the session on Contentstack and forgets the saved token on this computer.".to_string(),
            "Log out",
        ),
        Some(Confirm::Quit) => ("Quit?", crate::app::update::lost_on_quit(app).join(" "), "Quit"),
        _ => return,
    };
    let (yes, no) = ((Action::Confirm, yes), (Action::Cancel, "Stay"));
    widgets::confirm::ask(frame, main, &app.keymap, Context::Confirm, title, &body, yes, no, theme);
}
