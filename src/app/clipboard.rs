//! Copying a value out of the app: to the clipboard through the terminal (OSC 52, see
//! [`Effect::Copy`]), with a toast saying what was copied, or why not (copying is off, the text
//! holds the session's token, it is too large for a terminal's clipboard).

use crate::app::effect::Effect;
use crate::app::state::{App, ToastLevel};

/// Terminals take a few hundred kilobytes through OSC 52 at most (some far less); past this
/// the copy is refused with a sentence instead of silently cut.
pub const MAX_COPY_BYTES: usize = 512 * 1024;

/// The copy itself, or why not, as a toast.
pub fn copy(app: &mut App, what: &str, text: String) -> Vec<Effect> {
    if !app.copy_enabled {
        let off = "Copying is off (osc52 = false in config.toml); remove that line to copy with y.";
        return vec![app.toast(ToastLevel::Warning, off)];
    }
    if app.session.as_ref().is_some_and(|s| s.cred.appears_in(&text)) {
        return vec![app.toast(ToastLevel::Warning, "Not copied: it holds your session token.")];
    }
    if text.len() > MAX_COPY_BYTES {
        let said = format!(
            "Not copied: the {what} is over {} KB, more than a terminal's clipboard takes. \
             `cs-account whoami --json` prints it for a pipe or a file.",
            MAX_COPY_BYTES / 1024
        );
        return vec![app.toast(ToastLevel::Warning, said)];
    }
    let shown = preview(&text);
    let toast = app.toast(ToastLevel::Success, format!("Copied {what}: {shown}"));
    vec![Effect::Copy(text), toast]
}

/// The start of a copied text for the toast: its first line, cut at 24 characters (a toast is one line).
fn preview(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    let cut: String = first.chars().take(24).collect();
    let more = cut.len() < first.len() || text.lines().nth(1).is_some();
    if more { format!("{cut}…") } else { cut }
}
