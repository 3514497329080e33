//! The help overlay: every key binding of the screen under it, from the one keymap table. A
//! screen on the stack like any other, drawn over the one under it.

pub mod hints;
pub mod update;
pub mod view;

use std::cell::Cell;

/// The help overlay's scroll position, and what its view last drew (so `update` pages by what
/// is visible without working out the layout).
#[derive(Debug, Clone, Default)]
pub struct HelpState {
    /// The first line shown (clamped by the view, as `ListState` is).
    pub scroll: usize,
    drawn: Cell<Option<Drawn>>,
}

/// What one frame of help showed: lines visible at once, and lines in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Drawn {
    page: usize,
    total: usize,
}

impl HelpState {
    /// Records what the view drew: `page` lines visible out of `total`.
    pub fn drawn(&self, page: usize, total: usize) {
        self.drawn.set(Some(Drawn { page, total }));
    }

    /// The first line to show for a frame with `page` lines visible out of `total`.
    pub fn top(&self, page: usize, total: usize) -> usize {
        self.scroll.min(total.saturating_sub(page))
    }

    /// The last drawn page height and the highest scroll position (unbounded before the first
    /// frame: the view clamps it then).
    fn bounds(&self) -> (usize, usize) {
        self.drawn.get().map_or((0, usize::MAX), |d| (d.page, d.total.saturating_sub(d.page)))
    }
}

impl crate::screens::ScreenState for HelpState {
    fn on_key(
        app: &mut crate::app::state::App,
        _ev: &crossterm::event::KeyEvent,
        key: crate::app::keys::Key,
    ) -> Option<Vec<crate::app::effect::Effect>> {
        Some(update::on_key(app, key))
    }

    fn render(
        &self,
        frame: &mut ratatui::Frame,
        area: ratatui::layout::Rect,
        app: &crate::app::state::App,
        theme: &crate::ui::theme::Theme,
    ) {
        view::render(frame, area, app, theme, self, &app.screen.help_rows())
    }

    fn hints(&self, app: &crate::app::state::App) -> Vec<Option<crate::app::keymap::hint::Hint>> {
        hints::hints(app)
    }

    /// Never asked: the help lists the rows of the screen under it.
    fn help_rows(&self) -> crate::app::keymap::hint::HelpRows {
        use crate::app::keymap::Context;
        crate::app::keymap::hint::HelpRows {
            contexts: vec![Context::Help, Context::Nav],
            text_fields: false,
            hidden: &[],
        }
    }

    fn overlay(&self) -> bool {
        true
    }
}
