//! Showing secrets safely: never whole, at most their last five characters, as Contentstack's
//! JS SDK masks tokens in its errors.

use secrecy::{ExposeSecret, SecretString};

/// `blt0123456789abcdef` → `…bcdef`. Short values are masked entirely: with fewer than ten
/// characters, five would give away half.
pub fn mask(secret: &SecretString) -> String {
    mask_str(secret.expose_secret())
}

/// As [`mask`], for a value that is not (yet) wrapped.
pub fn mask_str(s: &str) -> String {
    let n = s.chars().count();
    if n < 10 {
        return "•••••".to_string();
    }
    let tail: String = s.chars().skip(n - 5).collect();
    format!("•••••{}", crate::sanitize::display(&tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_to_last_five() {
        let t = SecretString::from("blt0123456789abcdef");
        assert_eq!(mask(&t), "•••••bcdef");
        assert_eq!(mask_str("short"), "•••••");
        assert!(!format!("{t:?}").contains("0123"));
    }
}
