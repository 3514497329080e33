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
use unicode_width::UnicodeWidthStr;

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

/// The tabs shown: all of them when they fit, else as many as fit around the current one.
fn window(widths: &[usize], current: usize, width: usize) -> std::ops::Range<usize> {
    // Each tab's cells and its separator; a marker (‹ or ›) where tabs are left out.
    let cells = |r: &std::ops::Range<usize>| {
        let tabs: usize = widths[r.clone()].iter().sum::<usize>() + r.len().saturating_sub(1);
        tabs + usize::from(r.start > 0) + usize::from(r.end < widths.len())
    };
    let mut shown = 0..widths.len();
    if cells(&shown) <= width {
        return shown;
    }
    shown = current..current + 1;
    loop {
        let right = shown.start..shown.end + 1;
        let left = shown.start.saturating_sub(1)..shown.end;
        if shown.end < widths.len() && cells(&right) <= width {
            shown = right;
        } else if shown.start > 0 && cells(&left) <= width {
            shown = left;
        } else {
            return shown;
        }
    }
}

pub fn render(frame: &mut Frame, area: Rect, current: Tab, theme: &Theme) {
    let labels = labels(area.width);
    let widths: Vec<usize> = labels.iter().map(|l| l.width() + 2).collect();
    let shown = window(&widths, current.index(), area.width as usize);
    let mut pieces: Vec<Piece> = Vec::new();
    if shown.start > 0 {
        pieces.push((Cow::Borrowed("‹"), theme.dim()));
    }
    for (i, (tab, label)) in Tab::ALL.iter().zip(&labels).enumerate().filter(|(i, _)| shown.contains(i)) {
        if i > shown.start {
            pieces.push((Cow::Borrowed("│"), theme.dim()));
        }
        let style = if *tab == current { theme.selected() } else { theme.label() };
        pieces.push((Cow::Owned(format!(" {label} ")), style));
    }
    if shown.end < Tab::ALL.len() {
        pieces.push((Cow::Borrowed("›"), theme.dim()));
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
        assert_eq!(labels(60)[1], "2 Perms");
        assert_eq!(labels(50)[1], "Perms");
        assert_eq!(labels(40)[1], "Perms");
        // No label is a word cut short (`Sett`) at any width the app draws.
        for width in 40..=80 {
            assert!(labels(width).iter().any(|l| l.ends_with("Settings")), "at {width}: {:?}", labels(width));
        }
    }

    #[test]
    fn tabs_that_do_not_fit_are_left_out_around_the_current_one_and_marked() {
        let widths: Vec<usize> = labels(40).iter().map(|l| l.width() + 2).collect();
        assert_eq!(window(&widths, 0, 80), 0..6, "all fit");
        let first = window(&widths, 0, 40);
        assert!(first.start == 0 && first.end < 6, "{first:?}");
        let last = window(&widths, 5, 40);
        assert!(last.end == 6 && last.start > 0, "{last:?}");
        assert!(window(&widths, 3, 40).contains(&3));
    }
}
