//! Turning untrusted server text into text that is safe to put on a terminal.
//!
//! Every string a server sends passes through [`display`] exactly once, where it enters the
//! app (the API client sanitises whole JSON documents with [`json`] right after decoding). Render
//! code can then trust every string it holds. Nothing is dropped silently: control characters,
//! escape sequences, BiDi controls and invisible characters become visible text, so a hostile
//! value is seen for what it is instead of moving the cursor, recolouring the screen, reordering
//! a line or hiding words inside a name.
//!
//! - C0 controls become caret notation (`ESC` → `^[`), DEL → `^?`, as `cat -v` shows them;
//! - C1 controls (U+0080–U+009F, which include the 8-bit CSI) become `M-^X`;
//! - a tab becomes a space, a newline `⏎`;
//! - BiDi controls and every other character Unicode says to draw as nothing (its
//!   `Default_Ignorable_Code_Point` set: zero-width and format characters, TAG characters,
//!   Hangul fillers, the soft hyphen, the combining grapheme joiner, variation selectors, ...)
//!   become `⟨U+202E⟩`. Terminals draw these as nothing, so `"Ad" + TAG("IGNORE …") + "min"`
//!   would otherwise read as `Admin`.
//!
//! One exception keeps ordinary text intact: a variation selector right after the character it
//! is defined for (VS15/VS16 after an emoji such as `❤️`, an ideographic variation selector
//! after a CJK ideograph, a Mongolian free variation selector after a Mongolian letter) stays.
//! Only one is kept per base character, so a run of them, which could carry hidden data, still
//! shows.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is, whatever comes before it. Variation
/// selectors are included: [`display`] keeps the ones that follow their base character.
fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Characters a terminal draws as nothing or uses to reorder text: BiDi embeddings, overrides,
/// isolates and marks, line and paragraph separators, interlinear annotation, and Unicode's
/// `Default_Ignorable_Code_Point` set (zero-width and format characters, the soft hyphen, the
/// combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian and other
/// variation selectors, shorthand and musical format controls, TAG characters). `char::is_control`
/// covers Unicode `Cc` only, none of these.
///
/// This is the per-character test that typed input uses (a form refuses these characters);
/// [`display`] and [`is_clean`] also allow a variation selector after its base character.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Whether `vs` (a variation selector) is defined after `base`, so that it only chooses how
/// `base` looks and hides nothing.
fn selects_a_variant(base: char, vs: char) -> bool {
    match vs {
        // VS15 (text) and VS16 (emoji presentation).
        '\u{FE0E}' | '\u{FE0F}' => has_emoji_variants(base),
        // Ideographic variation sequences (Japanese names use them).
        '\u{E0100}'..='\u{E01EF}' => is_cjk_ideograph(base),
        // Mongolian free variation selectors.
        '\u{180B}'..='\u{180D}' | '\u{180F}' => ('\u{1820}'..='\u{18AA}').contains(&base),
        _ => false,
    }
}

/// Characters with an emoji and a text presentation (Unicode's emoji-variation-sequences:
/// keycap bases, symbols, and the pictographs), by range.
fn has_emoji_variants(c: char) -> bool {
    matches!(
        c,
        '#' | '*'
            | '0'..='9'
            | '\u{00A9}'
            | '\u{00AE}'
            | '\u{203C}'
            | '\u{2049}'
            | '\u{2122}'
            | '\u{2139}'
            | '\u{2194}'..='\u{2199}'
            | '\u{21A9}'..='\u{21AA}'
            | '\u{231A}'..='\u{231B}'
            | '\u{2328}'
            | '\u{23CF}'
            | '\u{23E9}'..='\u{23F3}'
            | '\u{23F8}'..='\u{23FA}'
            | '\u{24C2}'
            | '\u{25AA}'..='\u{25AB}'
            | '\u{25B6}'
            | '\u{25C0}'
            | '\u{25FB}'..='\u{25FE}'
            | '\u{2600}'..='\u{27BF}'
            | '\u{2934}'..='\u{2935}'
            | '\u{2B05}'..='\u{2B07}'
            | '\u{2B1B}'..='\u{2B1C}'
            | '\u{2B50}'
            | '\u{2B55}'
            | '\u{3030}'
            | '\u{303D}'
            | '\u{3297}'
            | '\u{3299}'
            | '\u{1F000}'..='\u{1FAFF}'
    )
}

fn is_cjk_ideograph(c: char) -> bool {
    matches!(
        c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}'
    )
}

/// Whether `c`, coming right after `prev` (`None` at the start), can be shown as it is.
fn is_shown_as_is(prev: Option<char>, c: char) -> bool {
    if !is_unsafe(c) {
        return true;
    }
    prev.is_some_and(|p| !is_unsafe(p) && selects_a_variant(p, c))
}

/// The characters of `s`, each with whether it can be shown as it is.
fn classify(s: &str) -> impl Iterator<Item = (char, bool)> + '_ {
    let mut prev = None;
    s.chars().map(move |c| {
        let ok = is_shown_as_is(prev, c);
        prev = Some(c);
        (c, ok)
    })
}

/// Makes one server string safe to display. Borrows when there is nothing to change, which is
/// nearly always, so sanitising a large profile costs one scan (the ASCII fast path skips the
/// Unicode tables for the usual all-ASCII values).
pub fn display(s: &str) -> Cow<'_, str> {
    if is_clean(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (c, ok) in classify(s) {
        if ok {
            out.push(c);
        } else {
            push_visible(&mut out, c);
        }
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
        c => {
            use std::fmt::Write;
            let _ = write!(out, "⟨U+{:04X}⟩", c as u32);
        }
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
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return true;
    }
    classify(s).all(|(_, ok)| ok)
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

    /// Text in TAG characters (U+E0000 + ASCII) is invisible on every terminal.
    fn tags(s: &str) -> String {
        s.chars().filter_map(|c| char::from_u32(0xE0000 + c as u32)).collect()
    }

    #[test]
    fn hidden_text_in_tag_characters_shows() {
        let name = format!("Ad{}min", tags("IGNORE"));
        let shown = display(&name);
        assert_eq!(
            shown, "Ad⟨U+E0049⟩⟨U+E0047⟩⟨U+E004E⟩⟨U+E004F⟩⟨U+E0052⟩⟨U+E0045⟩min",
            "the hidden word shows, one code point at a time"
        );
        assert!(!is_clean(&name) && is_clean(&shown));
    }

    #[test]
    fn every_default_ignorable_character_shows() {
        for c in [
            '\u{00AD}',
            '\u{034F}',
            '\u{115F}',
            '\u{1160}',
            '\u{3164}',
            '\u{FFA0}',
            '\u{180E}',
            '\u{2060}',
            '\u{2065}',
            '\u{206F}',
            '\u{FE00}',
            '\u{FE0F}',
            '\u{FEFF}',
            '\u{1D173}',
            '\u{1D17A}',
            '\u{FFF9}',
            '\u{FFFB}',
            '\u{17B4}',
            '\u{1BCA0}',
            '\u{E0001}',
            '\u{E007F}',
            '\u{E0100}',
            '\u{E0FFF}',
        ] {
            let s = format!("a{c}b");
            let shown = display(&s);
            assert_eq!(shown, format!("a⟨U+{:04X}⟩b", c as u32), "{c:?}");
            assert!(is_invisible_format(c), "{c:?}");
        }
    }

    #[test]
    fn a_variation_selector_stays_after_its_base_only() {
        for ok in
            ["I ❤\u{FE0F} Rust", "☎\u{FE0E}", "1\u{FE0F}\u{20E3}", "👍\u{FE0F}", "葛\u{E0100}飾", "ᠠ\u{180B}"]
        {
            assert!(matches!(display(ok), Cow::Borrowed(_)), "{ok:?} was changed to {:?}", display(ok));
            assert!(is_clean(ok), "{ok:?}");
        }
        // Alone, after a letter, or a second one in a row: hidden data, so shown.
        assert_eq!(display("\u{FE0F}x"), "⟨U+FE0F⟩x");
        assert_eq!(display("a\u{FE0F}"), "a⟨U+FE0F⟩");
        assert_eq!(display("❤\u{FE0F}\u{FE0F}"), "❤\u{FE0F}⟨U+FE0F⟩");
        assert_eq!(display("a\u{E0100}"), "a⟨U+E0100⟩");
        assert_eq!(display("❤\u{E0100}"), "❤⟨U+E0100⟩");
        // After a character that was itself made visible.
        assert_eq!(display("\u{E0041}\u{FE0F}"), "⟨U+E0041⟩⟨U+FE0F⟩");
    }

    #[test]
    fn json_keys_and_nested_values() {
        let v = serde_json::json!({"a\u{1b}": ["x\u{202e}", {"k": "\u{7}"}], "n": 1});
        let out = json(v);
        assert_eq!(out, serde_json::json!({"a^[": ["x⟨U+202E⟩", {"k": "^G"}], "n": 1}));
    }
}
