//! Turning untrusted server text into text that is safe to put on a terminal.
//!
//! Every string a server sends passes through [`display`] exactly once, where it enters the
//! app (the API client sanitises whole JSON documents with [`json`] right after decoding). Render
//! code can then trust every string it holds. Nothing is dropped silently: control characters,
//! escape sequences and BiDi controls become visible text, so a hostile value is seen for what it
//! is instead of moving the cursor, recolouring the screen or reordering a line.
//!
//! - C0 controls become caret notation (`ESC` → `^[`), DEL → `^?`, as `cat -v` shows them;
//! - C1 controls (U+0080–U+009F, which include the 8-bit CSI) become `M-^X`;
//! - a tab becomes a space, a newline `⏎`;
//! - BiDi and other invisible format characters (U+202E, U+2066, U+200F, U+FEFF, ...) become
//!   `⟨U+202E⟩`.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is.
fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// BiDi embeddings, overrides, isolates and marks, and the zero-width format characters that can
/// hide or reorder text. `char::is_control` covers Unicode `Cc` only, not these `Cf` characters.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{206A}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Makes one server string safe to display. Borrows when there is nothing to change, which is
/// nearly always, so sanitising a large profile costs one scan.
pub fn display(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

fn push_visible(out: &mut String, c: char) {
    match c {
        '\t' => out.push(' '),
        '\n' => out.push('⏎'),
        '\u{7f}' => out.push_str("^?"),
        c if (c as u32) < 0x20 => {
            out.push('^');
            out.push(char::from(b'@' + c as u8));
        }
        c if (0x80..0xA0).contains(&(c as u32)) => {
            out.push_str("M-^");
            out.push(char::from(b'@' + (c as u32 - 0x80) as u8));
        }
        c if is_invisible_format(c) => {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        }
        c => out.push(c),
    }
}

/// Sanitises an owned string in place of a copy; used on values that are already owned.
pub fn owned(s: String) -> String {
    match display(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(o) => o,
    }
}

/// Sanitises every string in a JSON document, object keys included.
pub fn json(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(owned(s)),
        Value::Array(items) => Value::Array(items.into_iter().map(json).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (owned(k), json(v))).collect()),
        other => other,
    }
}

/// True when `s` holds nothing a terminal would interpret. Used by tests and debug assertions.
pub fn is_clean(s: &str) -> bool {
    !s.chars().any(is_unsafe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(display("John Doe ✓ 日本"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_become_visible() {
        let s = display(
            "ok\x1b[31mRED\u{9b}2J\x1b]0;pwned\x07X\u{202e}gnp.exe\u{2066}Z\u{200f}end\tTAB\r\n2\x7f",
        );
        assert_eq!(
            s,
            "ok^[[31mRED M-^[2J^[]0;pwned^GX⟨U+202E⟩gnp.exe⟨U+2066⟩Z⟨U+200F⟩end TAB^M⏎2^?"
                .replace("RED M", "REDM")
        );
        assert!(is_clean(&s));
    }

    #[test]
    fn json_keys_and_nested_values() {
        let v = serde_json::json!({"a\u{1b}": ["x\u{202e}", {"k": "\u{7}"}], "n": 1});
        let out = json(v);
        assert_eq!(out, serde_json::json!({"a^[": ["x⟨U+202E⟩", {"k": "^G"}], "n": 1}));
    }
}
