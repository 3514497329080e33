//! Word wrapping for boxes whose height depends on their text (toasts, dialogs, the error beside
//! the form), so a box is sized for exactly the lines it shows.

use unicode_width::UnicodeWidthStr;

/// `text` word-wrapped at `width` columns; a word longer than a line is cut across lines.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        loop {
            let current = lines.last_mut().expect("never empty");
            let used = current.width();
            let sep = usize::from(used > 0);
            if used + sep + word.width() <= width {
                if sep == 1 {
                    current.push(' ');
                }
                current.push_str(&word);
                break;
            }
            if used > 0 {
                lines.push(String::new());
                continue;
            }
            // A word wider than the line: cut it.
            let mut head = String::new();
            let mut rest = word.chars();
            for c in rest.by_ref() {
                if (head.clone() + &c.to_string()).width() > width {
                    word = c.to_string() + rest.as_str();
                    break;
                }
                head.push(c);
            }
            *current = head;
            lines.push(String::new());
            if word.width() == 0 {
                break;
            }
        }
    }
    if lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// How many lines [`wrap`] makes.
pub fn wrapped_len(text: &str, width: usize) -> usize {
    wrap(text, width).len()
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
    }
}
