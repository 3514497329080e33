//! Formatting of values for people: endpoints, yes/no, missing values (times: [`crate::text`]).

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
}
