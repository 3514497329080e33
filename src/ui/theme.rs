//! Styles, with NO_COLOR honoured.
//!
//! Meaning never rests on colour alone: the selection is reversed video (which survives
//! `NO_COLOR`, unlike bold next to a colour, see tui-architecture.md §6), rights are ✓/✗, errors
//! carry a word ("Error:") as well as red. With `NO_COLOR` set, every colour is dropped and only
//! modifiers remain.

use ratatui::style::{Color, Modifier, Style};

/// The app's palette. Cheap to copy; built once at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    pub no_color: bool,
}

impl Theme {
    /// Reads `NO_COLOR` (any non-empty value disables colour, per no-color.org).
    pub fn from_env() -> Self {
        Theme { no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) }
    }

    fn fg(&self, c: Color) -> Style {
        if self.no_color { Style::new() } else { Style::new().fg(c) }
    }

    /// The selected row: reversed, so it stays visible without colour.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    /// Titles and headings.
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    /// Labels beside values.
    pub fn label(&self) -> Style {
        self.fg(Color::Gray)
    }
    /// Secondary text: hints, placeholders, timestamps.
    pub fn dim(&self) -> Style {
        if self.no_color { Style::new() } else { Style::new().fg(Color::DarkGray) }
    }
    /// Something granted or done.
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    /// Something refused or failed.
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    /// A warning.
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }
    /// Accents: the focused field's border, keys in hints.
    pub fn accent(&self) -> Style {
        self.fg(Color::LightBlue).add_modifier(Modifier::BOLD)
    }
    /// A key in a hint, `q`, `?`.
    pub fn key(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    /// The status bar: a band apart from the screen, reversed when there is no colour.
    pub fn status_bar(&self) -> Style {
        if self.no_color {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().bg(Color::DarkGray).fg(Color::White)
        }
    }
    /// Text matching the filter.
    pub fn highlight(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::UNDERLINED)
    }
}
