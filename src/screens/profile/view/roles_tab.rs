//! The roles tab: the tree of roles, rules and rights, drawn by the tree widget.

use crate::screens::profile::ProfileState;
use crate::ui::theme::Theme;
use crate::ui::widgets::tree::render_tree;
use ratatui::Frame;
use ratatui::layout::Rect;

/// `focused`: the tree has the keyboard (not the filter field, nor the details popup).
pub fn render(frame: &mut Frame, area: Rect, p: &ProfileState, theme: &Theme, focused: bool) {
    render_tree(&p.tree, area, frame.buffer_mut(), theme, focused);
}
