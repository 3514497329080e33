//! Widgets shared by several screens.

pub mod card;
pub mod confirm;
pub mod details;
pub mod field;
pub mod password_checks;
pub mod permissions;
pub mod spinner;
pub mod status;
pub mod tabs;
pub mod toasts;
pub mod too_small;
pub mod tree;

/// A list's rounded box: `title` and the count of what it holds at the top (`Accounts · 3
/// stored`, once `loaded`), the keys that act on it at the bottom right.
pub fn list_box(
    title: &str,
    count: usize,
    (one, many): (&str, &str),
    loaded: bool,
    keys: String,
    t: &crate::ui::theme::Theme,
) -> ratatui::widgets::Block<'static> {
    use ratatui::text::{Line, Span};
    let count = match count {
        1 => format!(" · 1 {one}"),
        n if loaded => format!(" · {n} {many}"),
        _ => String::new(),
    };
    ratatui::widgets::Block::bordered()
        .border_type(ratatui::widgets::BorderType::Rounded)
        .border_style(t.accent())
        .title(Span::styled(format!(" {title}{count} "), t.title()))
        .title_bottom(Line::from(Span::styled(keys, t.dim())).right_aligned())
}

/// A buffer's text, one line per row, wide characters counted once (for the widgets' tests).
#[cfg(test)]
pub(crate) fn buffer_text(buf: &ratatui::buffer::Buffer) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let area = buf.area;
    (area.top()..area.bottom())
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in area.left()..area.right() {
                let sym = buf[(x, y)].symbol();
                if skip == 0 {
                    line.push_str(sym);
                    skip = sym.width().max(1);
                }
                skip -= 1;
            }
            line.trim_end().to_string()
        })
        .collect()
}
