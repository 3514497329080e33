//! The profile's tab bar: numbered titles, the current one reversed (visible without colour),
//! falling back to short titles and then to bare ones as the width shrinks.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::profile::Tab;
use crate::ui::theme::Theme;

/// The labels for one width: numbered long titles, numbered short ones, or short ones alone.
fn labels(width: u16) -> Vec<String> {
    let fits = |labels: &[String]| {
        labels.iter().map(|l| l.chars().count() + 2).sum::<usize>() + labels.len() - 1 <= width as usize
    };
    let long: Vec<String> =
        Tab::ALL.iter().enumerate().map(|(i, t)| format!("{} {}", i + 1, t.title())).collect();
    if fits(&long) {
        return long;
    }
    let short: Vec<String> =
        Tab::ALL.iter().enumerate().map(|(i, t)| format!("{} {}", i + 1, t.short_title())).collect();
    if fits(&short) {
        return short;
    }
    Tab::ALL.iter().map(|t| t.short_title().to_string()).collect()
}

pub fn render(frame: &mut Frame, area: Rect, current: Tab, theme: &Theme) {
    let mut spans = Vec::new();
    for (i, (tab, label)) in Tab::ALL.iter().zip(labels(area.width)).enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", theme.dim()));
        }
        let style = if *tab == current { theme.selected() } else { theme.label() };
        spans.push(Span::styled(format!(" {label} "), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_shrink_with_the_width() {
        assert_eq!(labels(80)[1], "2 Permissions");
        assert_eq!(labels(50)[1], "2 Perms");
        assert_eq!(labels(40)[1], "Perms");
    }
}
