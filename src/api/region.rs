//! Where the API lives: one of Contentstack's seven regions, or a custom URL.
//!
//! A wrong region looks exactly like a wrong password (contentstack/cli#736), so the endpoint is
//! a first-class value the UI always shows.

use std::fmt;
use std::net::IpAddr;

use url::Url;

/// Contentstack's regions, with their Content Management API hosts (from `regions.json` of
/// `@contentstack/utils`). NA's host is `.io`; every other region's is `.com`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Region {
    #[default]
    Na,
    Eu,
    Au,
    AzureNa,
    AzureEu,
    GcpNa,
    GcpEu,
}

impl Region {
    pub const ALL: [Region; 7] =
        [Region::Na, Region::Eu, Region::Au, Region::AzureNa, Region::AzureEu, Region::GcpNa, Region::GcpEu];

    /// The canonical id, as the config file and `--region` take it.
    pub fn id(self) -> &'static str {
        match self {
            Region::Na => "na",
            Region::Eu => "eu",
            Region::Au => "au",
            Region::AzureNa => "azure-na",
            Region::AzureEu => "azure-eu",
            Region::GcpNa => "gcp-na",
            Region::GcpEu => "gcp-eu",
        }
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Region::Na => "AWS North America",
            Region::Eu => "AWS Europe",
            Region::Au => "AWS Australia",
            Region::AzureNa => "Azure North America",
            Region::AzureEu => "Azure Europe",
            Region::GcpNa => "GCP North America",
            Region::GcpEu => "GCP Europe",
        }
    }

    /// The Content Management API origin.
    pub fn cma_host(self) -> &'static str {
        match self {
            Region::Na => "https://api.contentstack.io",
            Region::Eu => "https://eu-api.contentstack.com",
            Region::Au => "https://au-api.contentstack.com",
            Region::AzureNa => "https://azure-na-api.contentstack.com",
            Region::AzureEu => "https://azure-eu-api.contentstack.com",
            Region::GcpNa => "https://gcp-na-api.contentstack.com",
            Region::GcpEu => "https://gcp-eu-api.contentstack.com",
        }
    }

    /// Parses an id or one of its aliases, case-insensitively (`us`, `aws-na`, `AWS_EU`, ...).
    pub fn parse(s: &str) -> Option<Region> {
        let norm = s.trim().to_ascii_lowercase().replace('_', "-");
        Some(match norm.as_str() {
            "na" | "us" | "aws-na" | "aws-us" => Region::Na,
            "eu" | "aws-eu" => Region::Eu,
            "au" | "aws-au" => Region::Au,
            "azure-na" => Region::AzureNa,
            "azure-eu" => Region::AzureEu,
            "gcp-na" => Region::GcpNa,
            "gcp-eu" => Region::GcpEu,
            _ => return None,
        })
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The API a client talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Region(Region),
    /// A custom API origin, already checked (see [`Endpoint::custom`]).
    Custom(Url),
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint::Region(Region::Na)
    }
}

impl Endpoint {
    /// Parses a custom API URL: `https://host[:port][/base]`, or a bare `host[:port]` (HTTPS is
    /// assumed). A trailing `/v3` is accepted and dropped. Plain HTTP is allowed only to loopback
    /// (127.0.0.0/8, ::1, localhost): anywhere else it would send passwords and tokens in clear.
    pub fn custom(input: &str) -> Result<Endpoint, String> {
        let input = input.trim();
        if input.is_empty() {
            return Err("The API URL is empty. Enter one like https://api.example.com.".into());
        }
        let with_scheme = if input.contains("://") { input.to_string() } else { format!("https://{input}") };
        let mut url = Url::parse(&with_scheme).map_err(|e| {
            format!("'{input}' is not a valid URL ({e}). Enter one like https://api.example.com.")
        })?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(format!(
                    "Refusing plain HTTP to {}: passwords and tokens would cross the network unencrypted. Use https:// (plain http:// is allowed only for 127.0.0.1, ::1 and localhost).",
                    url.host_str().unwrap_or("?")
                ));
            }
            other => return Err(format!("'{other}://' is not supported: use https://.")),
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("'{input}' has no host name."));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("Put no user name or password in the API URL.".into());
        }
        url.set_query(None);
        url.set_fragment(None);
        let path = url.path().trim_end_matches('/').to_string();
        let path = path.strip_suffix("/v3").unwrap_or(&path).to_string();
        url.set_path(if path.is_empty() { "/" } else { &path });
        Ok(Endpoint::Custom(url))
    }

    /// Parses either a region id/alias or a URL.
    pub fn parse(s: &str) -> Result<Endpoint, String> {
        match Region::parse(s) {
            Some(r) => Ok(Endpoint::Region(r)),
            None if s.contains('.') || s.contains(':') || s.contains('/') => Endpoint::custom(s),
            None => Err(format!(
                "'{s}' is not a region. Use one of: {}, or an API URL.",
                Region::ALL.map(Region::id).join(", ")
            )),
        }
    }

    /// The origin without `/v3`, as shown to users.
    pub fn origin(&self) -> String {
        match self {
            Endpoint::Region(r) => r.cma_host().to_string(),
            Endpoint::Custom(u) => u.as_str().trim_end_matches('/').to_string(),
        }
    }

    /// The base every call path is joined to: `{origin}/v3/`.
    pub fn base_url(&self) -> Url {
        let s = format!("{}/v3/", self.origin());
        // Both forms were validated when the endpoint was made.
        Url::parse(&s).unwrap_or_else(|_| Url::parse("https://api.contentstack.io/v3/").expect("static URL"))
    }

    /// What to store and show: the region id, or the URL.
    pub fn id(&self) -> String {
        match self {
            Endpoint::Region(r) => r.id().to_string(),
            Endpoint::Custom(_) => self.origin(),
        }
    }

    /// How sentences name it: `EU`, `AZURE-NA`, or the URL.
    pub fn name(&self) -> String {
        match self {
            Endpoint::Region(r) => r.id().to_uppercase(),
            Endpoint::Custom(_) => self.origin(),
        }
    }

    /// The command-line flag that selects it: `--region eu`, `--api-url https://…`.
    pub fn flag(&self) -> String {
        match self {
            Endpoint::Region(r) => format!("--region {}", r.id()),
            Endpoint::Custom(_) => format!("--api-url {}", self.origin()),
        }
    }

    /// A short label for the status bar: `na (api.contentstack.io)` / `127.0.0.1:4010`.
    pub fn label(&self) -> String {
        match self {
            Endpoint::Region(r) => format!("{} · {}", r.id().to_uppercase(), r.label()),
            Endpoint::Custom(u) => {
                let host = u.host_str().unwrap_or("?");
                match u.port() {
                    Some(p) => format!("custom · {host}:{p}"),
                    None => format!("custom · {host}"),
                }
            }
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

/// Whether a URL points at this machine.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_aliases() {
        assert_eq!(Region::parse("US"), Some(Region::Na));
        assert_eq!(Region::parse("aws_eu"), Some(Region::Eu));
        assert_eq!(Region::parse("AWS-AU"), Some(Region::Au));
        assert_eq!(Region::parse("azure_na"), Some(Region::AzureNa));
        assert_eq!(Region::parse("gcp-eu"), Some(Region::GcpEu));
        assert_eq!(Region::parse("mars"), None);
        for r in Region::ALL {
            assert_eq!(Region::parse(r.id()), Some(r));
            assert_eq!(Endpoint::Region(r).base_url().path(), "/v3/");
        }
        assert_eq!(Endpoint::Region(Region::Na).base_url().as_str(), "https://api.contentstack.io/v3/");
        assert_eq!(
            Endpoint::Region(Region::AzureEu).base_url().as_str(),
            "https://azure-eu-api.contentstack.com/v3/"
        );
    }

    #[test]
    fn custom_urls() {
        let e = Endpoint::custom("http://127.0.0.1:4010").expect("loopback http");
        assert_eq!(e.base_url().as_str(), "http://127.0.0.1:4010/v3/");
        let e = Endpoint::custom("http://localhost:4010/v3/").expect("localhost");
        assert_eq!(e.base_url().as_str(), "http://localhost:4010/v3/");
        let e = Endpoint::custom("http://[::1]:9/").expect("v6 loopback");
        assert_eq!(e.base_url().as_str(), "http://[::1]:9/v3/");
        let e = Endpoint::custom("api.example.com").expect("bare host");
        assert_eq!(e.base_url().as_str(), "https://api.example.com/v3/");
        let e = Endpoint::custom("https://proxy.example.com/cs/v3").expect("base path");
        assert_eq!(e.base_url().as_str(), "https://proxy.example.com/cs/v3/");
        assert!(Endpoint::custom("http://api.example.com").unwrap_err().contains("plain HTTP"));
        assert!(Endpoint::custom("http://10.0.0.1").is_err());
        assert!(Endpoint::custom("ftp://x.y").is_err());
        assert!(Endpoint::custom("https://u:p@x.y").is_err());
        assert!(Endpoint::parse("nowhere").is_err());
        assert_eq!(Endpoint::parse("eu"), Ok(Endpoint::Region(Region::Eu)));
    }
}
