//! The profile's scrolling tabs: organisations, settings (favourite stacks) and the raw JSON.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use crate::app::profile::{OrgRow, ProfileState, SettingsLine};
use crate::ui::theme::Theme;

pub fn render_orgs(frame: &mut Frame, area: Rect, p: &ProfileState, theme: &Theme) {
    if p.orgs.is_empty() {
        let text = Span::styled("No organisations in this profile.", theme.dim());
        frame.render_widget(Paragraph::new(text), area);
        return;
    }
    let wide = area.width >= 70;
    let header: Vec<&str> =
        if wide { vec!["", "Organisation", "UID", "Your roles"] } else { vec!["", "Organisation", "UID"] };
    let rows = p.orgs.iter().skip(p.orgs_scroll.offset).take(area.height.saturating_sub(1) as usize).map(
        |o: &OrgRow| {
            let mut cells = vec![
                Cell::from(Span::styled(o.relation.label(), theme.label())),
                Cell::from(o.name.clone().unwrap_or_else(|| "(name not sent)".into())),
                Cell::from(Span::styled(o.uid.clone(), theme.dim())),
            ];
            if wide {
                cells.push(Cell::from(if o.roles.is_empty() {
                    "—".to_string()
                } else {
                    o.roles.join(", ")
                }));
            }
            Row::new(cells)
        },
    );
    let widths: Vec<Constraint> = if wide {
        vec![Constraint::Length(6), Constraint::Fill(2), Constraint::Length(22), Constraint::Fill(2)]
    } else {
        vec![Constraint::Length(6), Constraint::Fill(1), Constraint::Length(20)]
    };
    let table = Table::new(rows, widths).header(Row::new(header).style(theme.title())).column_spacing(1);
    frame.render_widget(table, area);
}

pub fn render_settings(frame: &mut Frame, area: Rect, p: &ProfileState, theme: &Theme) {
    let lines: Vec<Line> = p
        .settings
        .iter()
        .skip(p.settings_scroll.offset)
        .take(area.height as usize)
        .map(|l| match l {
            SettingsLine::Heading(t) => Line::from(Span::styled(t.clone(), theme.title())),
            SettingsLine::Org { uid, name } => Line::from(vec![
                Span::styled("Organisation ", theme.label()),
                Span::raw(name.clone().unwrap_or_else(|| uid.clone())),
                Span::styled(if name.is_some() { format!("  {uid}") } else { String::new() }, theme.dim()),
            ]),
            SettingsLine::Stack(key) => {
                Line::from(vec![Span::styled("  ★ stack ", theme.label()), Span::raw(key.clone())])
            }
            SettingsLine::Note(t) => Line::from(Span::styled(format!("  {t}"), theme.dim())),
            SettingsLine::Blank => Line::from(""),
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn render_raw(frame: &mut Frame, area: Rect, p: &ProfileState, theme: &Theme) {
    let Some(raw) = &p.raw else { return };
    let digits = raw.len().to_string().len();
    let lines: Vec<Line> = raw
        .lines(&p.tree, p.raw_scroll.offset, area.height as usize)
        .into_iter()
        .enumerate()
        .map(|(n, l)| {
            let number = p.raw_scroll.offset + n + 1;
            Line::from(vec![Span::styled(format!("{number:>digits$} "), theme.dim()), Span::raw(l)])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
