//! Getting the token out of whatever the user pasted from an activation or password-reset email.
//!
//! People paste the whole link far more often than the bare token, often with the quotes or
//! angle brackets their mail client put around it, sometimes broken over two lines. The web app
//! keeps its routes in a `#!/...` fragment, so the token may sit in the URL's query, in the
//! fragment's query, or as the last segment of either path.

use url::Url;

/// Query parameters that carry the token, in the order they are looked for.
const TOKEN_PARAMS: [&str; 4] =
    ["token", "reset_password_token", "activation_token", "user_activation_token"];

/// Characters mail clients and people wrap around a pasted link or token.
const WRAPPERS: &[char] = &['"', '\'', '`', '<', '>', '“', '”', '‘', '’', '«', '»'];

/// Takes the token out of what the user pasted: a bare token, or a whole link from an email
/// (query params `token` / `reset_password_token` / `activation_token` /
/// `user_activation_token`, inside the URL or its `#!/...?` fragment, or the last path segment of
/// the fragment or of the path, e.g. `https://app.contentstack.com/#!/activate/abc123` or
/// `.../#!/reset-password?token=abc`).
///
/// Whitespace anywhere is dropped (neither tokens nor links contain any, but a link wrapped over
/// two lines does), `&amp;` is read as `&`, and quotes and angle brackets around the value are
/// trimmed. Returns `None`
/// for empty input, and for a link in which no token can be found.
pub fn token_from_link(input: &str) -> Option<String> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    // Links copied from an HTML email can keep their escaped ampersands.
    let compact = compact.replace("&amp;", "&");
    let trimmed = compact.trim_matches(WRAPPERS);
    if trimmed.is_empty() {
        return None;
    }
    if !looks_like_link(trimmed) {
        return Some(trimmed.to_string());
    }
    let with_scheme =
        if trimmed.contains("://") { trimmed.to_string() } else { format!("https://{trimmed}") };
    let Ok(url) = Url::parse(&with_scheme) else {
        // Not a URL after all: whatever follows the last slash is the best guess.
        return last_segment(trimmed.split(['?', '#']).next().unwrap_or(trimmed));
    };

    let fragment = url.fragment().unwrap_or("");
    let fragment = fragment.strip_prefix('!').unwrap_or(fragment);
    let (frag_path, frag_query) = fragment.split_once('?').unwrap_or((fragment, ""));

    let from_query = |query: &str| {
        let pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        TOKEN_PARAMS
            .iter()
            .find_map(|name| pairs.iter().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.clone()))
    };
    from_query(url.query().unwrap_or(""))
        .or_else(|| from_query(frag_query))
        .or_else(|| last_segment(frag_path))
        .or_else(|| last_segment(url.path()))
}

/// A bare token is one run of URL-safe characters; anything with a slash, a query or a fragment
/// is a link (with or without its scheme), reduced to its token when pasted.
pub fn looks_like_link(s: &str) -> bool {
    let s = s.trim();
    s.contains("://") || s.contains(['/', '?', '#'])
}

/// The last non-empty segment of a path, percent-decoded.
fn last_segment(path: &str) -> Option<String> {
    path.rsplit('/').find(|s| !s.is_empty()).map(percent_decode).filter(|s| !s.is_empty())
}

/// `%2F` → `/` (the `percent-encoding` crate, which `url` uses): malformed escapes are kept as
/// they are rather than guessed at, and `+` is left alone (it means a space only in
/// form-encoded queries, not in paths).
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The address in a link, when it carries one (`...reset-password?email=a%40b.c&token=...`),
/// so a pasted reset link or invitation can fill the email too.
pub fn email_in_link(input: &str) -> Option<String> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.replace("&amp;", "&");
    let url = Url::parse(compact.trim_matches(WRAPPERS)).ok()?;
    let fragment = url.fragment().unwrap_or("");
    let frag_query = fragment.split_once('?').map(|(_, q)| q).unwrap_or("");
    [url.query().unwrap_or(""), frag_query].into_iter().find_map(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, v)| k == "email" && v.contains('@'))
            .map(|(_, v)| crate::sanitize::owned(v.into_owned()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What users paste (a bare token, a link from an email, …) and the token it gives
    /// (`None`: none).
    #[test]
    fn tokens_from_what_users_paste() {
        let cases: &[(&str, Option<&str>)] = &[
            // Bare tokens, trimmed of space, quotes and brackets.
            ("abc123", Some("abc123")),
            ("  \"abc-123_X\"\n", Some("abc-123_X")),
            ("<abc123>", Some("abc123")),
            ("'abc123'", Some("abc123")),
            ("“abc123”", Some("abc123")),
            // Nothing in it: no token.
            ("", None),
            ("   \n\t", None),
            ("\"\"", None),
            ("<>", None),
            // The web app's fragment paths.
            ("https://app.contentstack.com/#!/activate/abc123", Some("abc123")),
            ("https://app.contentstack.com/#!/activate/abc123/", Some("abc123")),
            ("<https://eu-app.contentstack.com/#!/reset-password/r3s3t>", Some("r3s3t")),
            // Query parameters, in the URL or in the fragment.
            ("https://app.contentstack.com/#!/reset-password?token=abc", Some("abc")),
            (
                "https://app.contentstack.com/#!/reset-password?email=a%40b.c&reset_password_token=r%2B1",
                Some("r+1"),
            ),
            ("https://app.contentstack.com/activate?activation_token=xyz", Some("xyz")),
            ("https://x.example/#!/reset-password?email=a&amp;token=t2", Some("t2")),
            ("https://app.contentstack.com/login?user_activation_token=u1#!/welcome", Some("u1")),
            // A query parameter wins over the path, whatever the path holds.
            ("https://x.example/reset/notit?token=it", Some("it")),
            // An empty parameter is no token: fall back to the path.
            ("https://x.example/#!/activate/p1?token=", Some("p1")),
            // URL paths, and links without a scheme or cut by a line break.
            ("http://127.0.0.1:4010/user/activate/tok%2Fen", Some("tok/en")),
            ("app.contentstack.com/#!/activate/abc123", Some("abc123")),
            ("https://app.contentstack.com/#!/activate/\n  abc123", Some("abc123")),
            // Links without a token.
            ("https://app.contentstack.com/", None),
            ("https://app.contentstack.com/#!/", None),
        ];
        for (input, want) in cases {
            assert_eq!(token_from_link(input).as_deref(), *want, "{input:?}");
        }
    }

    /// Escapes are decoded; a malformed one is kept as it is, and `+` stays a plus (tokens are
    /// not form-encoded).
    #[test]
    fn percent_decoding_keeps_malformed_escapes() {
        for (encoded, decoded) in [("a%41%zz%4", "aA%zz%4"), ("a+b", "a+b"), ("tok%2Fen", "tok/en")] {
            assert_eq!(percent_decode(encoded), decoded);
        }
    }

    #[test]
    fn emails_come_out_of_links_that_carry_them() {
        let link = "https://app.contentstack.com/#!/reset-password?email=a%40b.c&reset_password_token=r1";
        assert_eq!(email_in_link(link).as_deref(), Some("a@b.c"));
        assert_eq!(
            email_in_link("https://x.example/reset?email=x%40y.z&amp;token=t").as_deref(),
            Some("x@y.z")
        );
        assert_eq!(email_in_link("https://app.contentstack.com/#!/activate?token=abc"), None);
        assert_eq!(email_in_link("blt123"), None);
        assert_eq!(email_in_link("https://x.example/?email=not-an-address"), None);
        assert!(looks_like_link("https://app.contentstack.com/#!/reset-password?token=a"));
        assert!(!looks_like_link(" blt123 "));
    }
}
