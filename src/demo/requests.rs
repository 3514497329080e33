//! What the demo server was asked: method, route and whether an `authtoken` header came, for
//! tests that check what a client sent to which server (above all, that a session token never
//! reaches a server other than the one that issued it). The token itself is never kept, paths are
//! recorded as route patterns (activation tokens travel in paths), and the log is bounded.

use std::collections::VecDeque;

/// Requests kept; older ones are dropped first.
const MAX_LOGGED: usize = 1000;

/// One request the demo server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRequest {
    pub method: String,
    /// The route pattern (`/v3/user`, `/v3/user/activate/{token}`), or `(no route)`.
    pub route: String,
    /// Whether the request carried an `authtoken` header (of any value, even empty).
    pub authtoken: bool,
    /// Whether the request carried `authorization: Bearer …` (a browser sign-in's access token).
    pub bearer: bool,
    /// Whether the `authtoken` or the Bearer token is one this server never issued: a client
    /// sending a session to a server other than its own (or a made-up token).
    pub foreign_token: bool,
    /// The `organization_uid` header, as sent (an organisation uid is no secret).
    pub organization_uid: Option<String>,
}

/// The most recent requests, oldest first.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: VecDeque<DemoRequest>,
}

impl RequestLog {
    pub fn push(&mut self, request: DemoRequest) {
        if self.entries.len() == MAX_LOGGED {
            self.entries.pop_front();
        }
        self.entries.push_back(request);
    }

    pub fn all(&self) -> Vec<DemoRequest> {
        self.entries.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_oldest_out() {
        let mut log = RequestLog::default();
        for i in 0..MAX_LOGGED + 5 {
            log.push(DemoRequest {
                method: "GET".into(),
                route: i.to_string(),
                authtoken: false,
                bearer: false,
                foreign_token: false,
                organization_uid: None,
            });
        }
        let all = log.all();
        assert_eq!(all.len(), MAX_LOGGED);
        assert_eq!(all[0].route, "5");
    }
}
