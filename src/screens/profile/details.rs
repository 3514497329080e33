//! The details of one selected row (a role, a rule, a right, an organisation, a stack), as
//! labelled fields holding the whole text: what a row cut at the screen's edge leaves out.
//!
//! Pure data, made on demand for the one selected row (`i` on the profile); the details popup
//! (`ui::widgets::details`) wraps it to its width and scrolls it.

/// One labelled field: its value as lines, each wrapped on its own when drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailField {
    pub label: &'static str,
    pub lines: Vec<String>,
}

/// What the details popup shows for one row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Details {
    /// The popup's title: what kind of row this is.
    pub title: &'static str,
    pub fields: Vec<DetailField>,
}

impl Details {
    pub fn new(title: &'static str) -> Self {
        Details { title, fields: Vec::new() }
    }

    /// Adds a one-line field.
    pub fn field(mut self, label: &'static str, value: impl Into<String>) -> Self {
        self.fields.push(DetailField { label, lines: vec![value.into()] });
        self
    }

    /// Adds a field of several lines (a list); an empty list shows as `—`.
    pub fn list(mut self, label: &'static str, lines: Vec<String>) -> Self {
        let lines = if lines.is_empty() { vec!["—".to_string()] } else { lines };
        self.fields.push(DetailField { label, lines });
        self
    }

    /// Adds a field when `value` is present and not blank.
    pub fn maybe(self, label: &'static str, value: Option<&str>) -> Self {
        match value.filter(|v| !v.trim().is_empty()) {
            Some(v) => self.field(label, v),
            None => self,
        }
    }

    /// The value of the field labelled `label`, lines joined by newlines (for tests).
    pub fn value(&self, label: &str) -> Option<String> {
        self.fields.iter().find(|f| f.label == label).map(|f| f.lines.join("\n"))
    }
}
