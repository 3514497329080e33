//! Formatting of values for people: times, yes/no, missing values.

use chrono::{DateTime, Utc};

use crate::api::Endpoint;

/// A short name for where the app talks to, for narrow places: `NA`, `AZURE-EU`,
/// `127.0.0.1:4010`.
pub fn short_endpoint(endpoint: &Endpoint) -> String {
    match endpoint {
        Endpoint::Region(r) => r.id().to_uppercase(),
        Endpoint::Custom(u) => match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => endpoint.origin(),
        },
    }
}

/// `2019-07-16T10:35:30.898Z` → `2019-07-16 10:35 UTC`. A value that is not a timestamp is
/// shown as it came (it was sanitised on arrival).
pub fn time(value: Option<&str>) -> String {
    match value {
        None | Some("") => "—".into(),
        Some(v) => match DateTime::parse_from_rfc3339(v) {
            Ok(t) => t.with_timezone(&Utc).format("%Y-%m-%d %H:%M UTC").to_string(),
            Err(_) => v.to_string(),
        },
    }
}

pub fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "—",
    }
}

/// The value, or a dash when missing or empty.
pub fn or_dash(value: Option<&str>) -> &str {
    value.filter(|v| !v.trim().is_empty()).unwrap_or("—")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_endpoints() {
        assert_eq!(short_endpoint(&Endpoint::Region(crate::api::Region::AzureEu)), "AZURE-EU");
        let custom = Endpoint::custom("http://127.0.0.1:4010").expect("valid");
        assert_eq!(short_endpoint(&custom), "127.0.0.1:4010");
    }

    #[test]
    fn times_are_readable() {
        assert_eq!(time(Some("2019-07-16T10:35:30.898Z")), "2019-07-16 10:35 UTC");
        assert_eq!(time(Some("2024-11-07T10:51:49+02:00")), "2024-11-07 08:51 UTC");
        assert_eq!(time(Some("yesterday")), "yesterday");
        assert_eq!(time(None), "—");
    }
}
