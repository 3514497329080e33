//! The region picker: the seven Contentstack regions and a custom API URL. While the URL is
//! typed, the box shows only the field and, under it, the reason a URL was refused (the
//! sentence from `Endpoint::custom`), so the reason fits even on a small screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::api::{Endpoint, Region};
use crate::app::field::TextField;
use crate::app::state::App;
use crate::screens::login::CUSTOM_ROW;
use crate::screens::login::RegionPicker;
use crate::ui::layout::popup;
use crate::ui::text::wrap;
use crate::ui::theme::Theme;
use crate::ui::widgets::field::{self, FieldView};

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, picker: &RegionPicker) {
    let width = 64.min(area.width);
    match &picker.custom {
        Some(input) => render_custom(frame, area, width, theme, input, picker.error.as_deref()),
        None => render_list(frame, area, width, app, theme, picker),
    }
}

/// The picker's box, over the form (cleared first).
fn boxed(frame: &mut Frame, rect: Rect, title: &str, t: &Theme) -> Rect {
    frame.render_widget(Clear, rect);
    crate::ui::widgets::card::boxed(frame, rect, title, t)
}

fn render_list(frame: &mut Frame, area: Rect, width: u16, app: &App, t: &Theme, picker: &RegionPicker) {
    let rect = popup(area, width, RegionPicker::rows() as u16 + 2);
    let inner = boxed(frame, rect, "Region", t);
    let show_host = inner.width >= 56;
    let mut lines: Vec<Line> = Region::ALL
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let current = app.endpoint == Endpoint::Region(*r);
            let mut spans = vec![
                Span::raw(if current { "● " } else { "  " }),
                Span::raw(format!("{:<9}", r.id())),
                Span::raw(format!("{:<20}", r.label())),
            ];
            if show_host {
                spans.push(Span::styled(r.cma_host().trim_start_matches("https://").to_string(), t.dim()));
            }
            row(spans, i == picker.selected, inner.width, t)
        })
        .collect();
    let custom_label = match &app.endpoint {
        Endpoint::Custom(_) => format!("● Custom URL: {}", app.endpoint.origin()),
        Endpoint::Region(_) => "  Custom URL…".to_string(),
    };
    lines.push(row(vec![Span::raw(custom_label)], picker.selected == CUSTOM_ROW, inner.width, t));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_custom(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    t: &Theme,
    input: &TextField,
    error: Option<&str>,
) {
    let text_width = width.saturating_sub(4) as usize;
    let note = "https://host[:port], or http:// for this machine only.";
    let error_lines = error.map(|e| wrap(e, text_width)).unwrap_or_default();
    let note_lines = wrap(note, text_width);
    let height = 1 + 1 + note_lines.len() + usize::from(!error_lines.is_empty()) + error_lines.len();
    let rect = popup(area, width, height as u16 + 2);
    let inner = boxed(frame, rect, "Custom API URL", t);
    let [field_row, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let [label, value] = Layout::horizontal([Constraint::Length(5), Constraint::Min(1)]).areas(field_row);
    frame.render_widget(Paragraph::new(Span::styled("URL ", t.accent())), label);
    let view =
        FieldView { field: input, focused: true, reveal: true, placeholder: "https://api.example.com" };
    field::render(frame, value, &view, t);
    let mut lines = vec![Line::from("")];
    lines.extend(note_lines.into_iter().map(|l| Line::from(Span::styled(l, t.dim()))));
    if !error_lines.is_empty() {
        lines.push(Line::from(Span::styled("✗ Not used:", t.error())));
        lines.extend(error_lines.into_iter().map(Line::from));
    }
    frame.render_widget(Paragraph::new(lines), rest);
}

/// A list row, reversed when selected (visible without colour).
fn row<'a>(spans: Vec<Span<'a>>, selected: bool, width: u16, t: &Theme) -> Line<'a> {
    let line = Line::from(spans);
    if selected {
        let pad = (width as usize).saturating_sub(line.width());
        let mut line = line.style(t.selected());
        line.spans.push(Span::raw(" ".repeat(pad)));
        line
    } else {
        line
    }
}
