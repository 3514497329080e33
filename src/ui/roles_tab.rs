//! The roles tab: the tree of roles, rules and rights, drawn by the tree widget.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::profile::ProfileState;
use crate::ui::theme::Theme;
use crate::ui::widgets::tree::render_tree;

pub fn render(frame: &mut Frame, area: Rect, p: &ProfileState, theme: &Theme) {
    // The tree has the keyboard unless the filter field does.
    render_tree(&p.tree, area, frame.buffer_mut(), theme, !p.editing_filter);
}
