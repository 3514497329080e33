//! Text for people shared by the app's messages and the screens (no terminal in it).

use chrono::{DateTime, Utc};

/// `2019-07-16T10:35:30.898Z` → `2019-07-16 10:35 UTC`. A value that is not a timestamp is
/// shown as it came (it was sanitised on arrival).
pub fn time(value: Option<&str>) -> String {
    stamp(value, "%Y-%m-%d %H:%M UTC")
}

/// `value` formatted with `format` in UTC when it is a timestamp, as it came otherwise, `—` when
/// there is none.
fn stamp(value: Option<&str>, format: &str) -> String {
    match value {
        None | Some("") => "—".into(),
        Some(v) => match DateTime::parse_from_rfc3339(v) {
            Ok(t) => t.with_timezone(&Utc).format(format).to_string(),
            Err(_) => v.to_string(),
        },
    }
}

/// `2019-07-16T10:35:30.898Z` → `2019-07-16` (the day in UTC). A value that is not a timestamp
/// is shown as it came.
pub fn date(value: Option<&str>) -> String {
    stamp(value, "%Y-%m-%d")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_readable() {
        assert_eq!(time(Some("2019-07-16T10:35:30.898Z")), "2019-07-16 10:35 UTC");
        assert_eq!(time(Some("2024-11-07T10:51:49+02:00")), "2024-11-07 08:51 UTC");
        assert_eq!(time(Some("yesterday")), "yesterday");
        assert_eq!(time(None), "—");
        assert_eq!(date(Some("2019-07-16T23:35:30.898-02:00")), "2019-07-17");
        assert_eq!(date(Some("soon")), "soon");
        assert_eq!(date(None), "—");
    }
}
