//! The profile's tab bar: numbered titles, the current one reversed (visible without colour),
//! falling back to short titles (common abbreviations: `Perms`, `Orgs`) and then to short titles
//! without numbers as the width shrinks. 40 columns, the smallest the app draws, hold the last;
//! anything narrower is cut with `…`.

use std::borrow::Cow;

use crate::screens::profile::Tab;
use crate::ui::theme::Theme;
use crate::ui::widgets::tree::{Piece, draw_pieces};
use ratatui::Frame;
use ratatui::layout::Rect;

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
    let mut pieces: Vec<Piece> = Vec::new();
    for (i, (tab, label)) in Tab::ALL.iter().zip(labels(area.width)).enumerate() {
        if i > 0 {
            pieces.push((Cow::Borrowed("│"), theme.dim()));
        }
        let style = if *tab == current { theme.selected() } else { theme.label() };
        pieces.push((Cow::Owned(format!(" {label} ")), style));
    }
    let buf = frame.buffer_mut();
    let area = area.intersection(buf.area);
    if !area.is_empty() {
        draw_pieces(buf, area.x, area.y, area.width, &pieces);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_shrink_with_the_width() {
        assert_eq!(labels(80)[1], "2 Permissions");
        assert_eq!(labels(50)[1], "2 Perms");
        assert_eq!(labels(40)[1], "Perms");
        // No label is a word cut short (`Sett`) at any width the app draws.
        for width in 40..=80 {
            assert!(labels(width).iter().any(|l| l.ends_with("Settings")), "at {width}: {:?}", labels(width));
        }
    }
}
