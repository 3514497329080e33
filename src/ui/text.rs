//! Word wrapping for boxes whose height depends on their text (toasts, dialogs, the error beside
//! the form), so a box is sized for exactly the lines it shows.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` word-wrapped at `width` columns; a word longer than a line is cut across lines. Linear
/// in the text's length, so a server's megabyte-long word costs no more than its size.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = vec![String::new()];
    let mut used = 0;
    for word in text.split_whitespace() {
        let w = word.width();
        let sep = usize::from(used > 0);
        if used + sep + w <= width {
            let current = lines.last_mut().expect("never empty");
            if sep == 1 {
                current.push(' ');
            }
            current.push_str(word);
            used += sep + w;
            continue;
        }
        if used > 0 {
            lines.push(String::new());
            used = 0;
        }
        // A word wider than the line is cut; the last piece stays open for the next word.
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > width && used > 0 {
                lines.push(String::new());
                used = 0;
            }
            lines.last_mut().expect("never empty").push(c);
            used += cw;
        }
    }
    lines
}

/// How many lines [`wrap`] makes, counted without making them.
pub fn wrapped_len(text: &str, width: usize) -> usize {
    let width = width.max(1);
    let (mut lines, mut used) = (1, 0);
    for word in text.split_whitespace() {
        let w = word.width();
        let sep = usize::from(used > 0);
        if used + sep + w <= width {
            used += sep + w;
            continue;
        }
        if used > 0 {
            lines += 1;
            used = 0;
        }
        if w <= width {
            used = w;
            continue;
        }
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > width && used > 0 {
                lines += 1;
                used = 0;
            }
            used += cw;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_words_and_cuts_long_ones() {
        assert_eq!(wrap("one two three", 20), vec!["one two three"]);
        assert_eq!(wrap("one two three", 8), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
        assert_eq!(wrapped_len("a bb ccc", 3), 3);
        assert_eq!(wrap("abcdefghij x", 4), vec!["abcd", "efgh", "ij x"]);
        assert_eq!(wrap("日本語", 3), vec!["日", "本", "語"]);
        for (text, width) in
            [("one two three", 8), ("abcdefghij x", 4), ("", 3), ("a  b   c", 1), ("日本語 x", 3)]
        {
            assert_eq!(wrapped_len(text, width), wrap(text, width).len(), "{text:?} at {width}");
        }
    }

    #[test]
    fn a_huge_word_wraps_in_linear_time() {
        // Cutting it a character at a time by re-measuring the piece so far took minutes.
        let word = "x".repeat(1_000_000);
        assert_eq!(wrapped_len(&word, 100), 10_000);
    }
}
