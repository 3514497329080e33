//! The region picker: the seven Contentstack regions and a custom API URL, whose refusal reason
//! (from `Endpoint::custom`) shows under the field.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::layout::popup;
use super::widgets::confirm::textwrap_len;
use super::widgets::field::{self, FieldView};
use crate::api::{Endpoint, Region};
use crate::app::login::{CUSTOM_ROW, RegionPicker};
use crate::app::state::App;

pub fn render(frame: &mut Frame, area: Rect, app: &App, picker: &RegionPicker) {
    let t = &app.theme;
    let width = 64.min(area.width);
    let inner_width = width.saturating_sub(4) as usize;
    let error_lines = picker.error.as_ref().map(|e| textwrap_len(e, inner_width) as u16).unwrap_or(0);
    let extra = if picker.custom.is_some() { 2 + error_lines } else { 0 };
    let rect = popup(area, width, RegionPicker::rows() as u16 + 2 + extra);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.accent())
        .title(Span::styled(" Region ", t.title()));
    let inner = block.inner(rect).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, rect);
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
    let [list, below] =
        Layout::vertical([Constraint::Length(lines.len() as u16), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), list);
    if let Some(input) = &picker.custom {
        let [_, field_row, error] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(below);
        let [label, value] = Layout::horizontal([Constraint::Length(5), Constraint::Min(1)]).areas(field_row);
        frame.render_widget(Paragraph::new(Span::styled("URL ", t.accent())), label);
        let view = FieldView { field: input, focused: true, reveal: true, placeholder: "https://api.example.com" };
        field::render(frame, value, &view, t);
        if let Some(e) = &picker.error {
            frame.render_widget(Paragraph::new(Span::styled(e.clone(), t.error())).wrap(Wrap { trim: true }), error);
        }
    }
}

/// A list row, reversed when selected (visible without colour).
fn row<'a>(spans: Vec<Span<'a>>, selected: bool, width: u16, t: &crate::ui::theme::Theme) -> Line<'a> {
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
