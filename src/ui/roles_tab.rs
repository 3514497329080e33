//! The roles tab: the tree of roles, rules and rights, drawn by the tree widget.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::profile::ProfileState;
use crate::ui::theme::Theme;
use crate::ui::widgets::tree::render_tree;

/// `focused`: the tree has the keyboard (not the filter field, nor the details popup).
pub fn render(frame: &mut Frame, area: Rect, p: &ProfileState, theme: &Theme, focused: bool) {
    render_tree(&p.tree, area, frame.buffer_mut(), theme, focused);
}
