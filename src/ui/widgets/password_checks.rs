//! The live password checks under a new-password field: each rule and "both passwords match",
//! ticked ✓ or crossed ✗ as the user types. The mark carries the meaning (colour only adds to
//! it); before anything is typed the crosses are dim rather than red, as nothing is wrong yet.
//!
//! Roomy, one rule a line; compact, the short forms flow over as few lines as fit.

use crate::app::password_form::Check;
use crate::ui::theme::Theme;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// The checks as lines, `width` columns wide, indented by `indent` columns.
pub fn lines(
    checks: &[Check],
    started: bool,
    compact: bool,
    width: usize,
    indent: usize,
    t: &Theme,
) -> Vec<Line<'static>> {
    let mark = |c: &Check| -> Span<'static> {
        match (c.met, started) {
            (true, _) => Span::styled("✓", t.ok()),
            (false, true) => Span::styled("✗", t.error()),
            (false, false) => Span::styled("✗", t.dim()),
        }
    };
    let text_style = |c: &Check| if c.met || !started { t.dim() } else { t.label() };
    let pad = " ".repeat(indent);
    if !compact {
        return checks
            .iter()
            .map(|c| {
                Line::from(vec![
                    Span::raw(pad.clone()),
                    mark(c),
                    Span::styled(format!(" {}", c.label), text_style(c)),
                ])
            })
            .collect();
    }
    let mut out = Vec::new();
    let mut spans = vec![Span::raw(pad.clone())];
    let mut used = indent;
    for c in checks {
        let item = format!(" {}", c.short);
        let w = 1 + item.width() + 2;
        if used + w > width && used > indent {
            out.push(Line::from(std::mem::replace(&mut spans, vec![Span::raw(pad.clone())])));
            used = indent;
        }
        spans.push(mark(c));
        spans.push(Span::styled(format!("{item}  "), text_style(c)));
        used += w;
    }
    if used > indent {
        out.push(Line::from(spans));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checks() -> Vec<Check> {
        vec![
            Check { label: "At least 8 characters", short: "8+ chars", met: true },
            Check { label: "A digit", short: "0-9", met: false },
            Check { label: "Both passwords match", short: "match", met: false },
        ]
    }

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn roomy_is_one_rule_a_line() {
        let l = lines(&checks(), true, false, 40, 2, &Theme::default());
        assert_eq!(text(&l), vec!["  ✓ At least 8 characters", "  ✗ A digit", "  ✗ Both passwords match"]);
    }

    #[test]
    fn compact_flows_the_short_forms() {
        let l = lines(&checks(), true, true, 40, 0, &Theme::default());
        assert_eq!(text(&l), vec!["✓ 8+ chars  ✗ 0-9  ✗ match  "]);
        let narrow = lines(&checks(), true, true, 16, 0, &Theme::default());
        assert_eq!(text(&narrow), vec!["✓ 8+ chars  ", "✗ 0-9  ✗ match  "]);
    }

    #[test]
    fn crosses_are_red_only_once_typing_started() {
        let t = Theme { no_color: false };
        let before = lines(&checks(), false, false, 40, 0, &t);
        let after = lines(&checks(), true, false, 40, 0, &t);
        assert_eq!(before[1].spans[1].style, t.dim());
        assert_eq!(after[1].spans[1].style, t.error());
    }
}
