//! The browser's way back from a sign-in: a listener on 127.0.0.1 (never on every interface, as
//! csdx's is) at the redirect URL's port, which takes the one request the browser is redirected
//! with, reads the code from it (checking `state`), and answers a small, plain page.
//!
//! Plain HTTP on purpose, read by hand: one request line of a browser on this machine, capped
//! at 8 KB and a few seconds, is all it ever reads; nothing else is served.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use crate::api::oauth::{RedirectError, code_from};

/// The most of a request read before giving up on it.
const MAX_HEAD: usize = 8 * 1024;
/// How long one connection may take to send its request line.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How many connections are read at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 16;

/// Why no listener could be opened; each says what to do instead.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ListenError {
    #[error(
        "Port {0} on this computer is taken, so the browser cannot hand the sign-in back. Paste the address the browser ends on instead."
    )]
    PortTaken(u16),
    #[error(
        "The redirect URL {0} is not on this computer (http://localhost or 127.0.0.1), so nothing can listen for it. Paste the address the browser ends on instead."
    )]
    NotLocal(String),
}

/// A listener waiting for the redirect of one sign-in.
pub struct RedirectListener {
    listener: TcpListener,
    state: String,
}

impl RedirectListener {
    /// Listens on 127.0.0.1 at `redirect_uri`'s port (its scheme's default when it names none;
    /// port 0: any free one, for tests) for the sign-in whose `state` is given.
    pub async fn bind(redirect_uri: &str, state: &str) -> Result<RedirectListener, ListenError> {
        let url = Url::parse(redirect_uri).map_err(|_| ListenError::NotLocal(redirect_uri.to_string()))?;
        let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1")) && url.scheme() == "http";
        if !local {
            return Err(ListenError::NotLocal(redirect_uri.to_string()));
        }
        let port = url.port_or_known_default().unwrap_or(80);
        let listener =
            TcpListener::bind(("127.0.0.1", port)).await.map_err(|_| ListenError::PortTaken(port))?;
        Ok(RedirectListener { listener, state: state.to_string() })
    }

    /// The port listened on.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Waits for the redirect and returns its code, or why it carries none (a denial). Requests
    /// that are not this sign-in's redirect (a favicon, a stray request, another sign-in's
    /// answer: an old tab, or someone else on this computer) are answered and the wait goes on.
    pub async fn wait(self) -> Result<String, RedirectError> {
        use futures::StreamExt;
        // Connections are read side by side: a browser's speculative connection that sends
        // nothing (or a slow local client) must not hold up the redirect behind it.
        let mut reading = futures::stream::FuturesUnordered::new();
        loop {
            tokio::select! {
                accepted = self.listener.accept(), if reading.len() < MAX_CONNECTIONS => match accepted {
                    Ok((stream, _)) => reading.push(answer(stream, &self.state)),
                    Err(e) => {
                        // Out of file descriptors, say: wait a little rather than spin.
                        tracing::warn!(error = %e, "the sign-in listener could not accept a connection");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                Some(outcome) = reading.next(), if !reading.is_empty() => match outcome {
                    Some(Err(RedirectError::WrongState)) => {
                        tracing::info!("the sign-in listener ignored another sign-in's answer");
                    }
                    Some(outcome) => return outcome,
                    None => {}
                },
            }
        }
    }
}

/// Reads one request and answers it: `Some` with the sign-in's outcome for a redirect, `None`
/// for anything else.
async fn answer(mut stream: TcpStream, state: &str) -> Option<Result<String, RedirectError>> {
    let target = tokio::time::timeout(HEAD_TIMEOUT, request_target(&mut stream)).await.ok().flatten()?;
    let url = Url::parse(&format!("http://127.0.0.1{target}")).ok()?;
    let is_redirect = url.query_pairs().any(|(k, _)| k == "code" || k == "error");
    if !is_redirect {
        let _ = respond(&mut stream, "404 Not Found", "Nothing here.").await;
        return None;
    }
    let outcome = code_from(url.as_str(), state);
    let page = match &outcome {
        Ok(_) => "Signed in to cs-account. You can close this tab and go back to the terminal.",
        Err(RedirectError::WrongState) => {
            "This answer is for another sign-in (an older tab?), so it was not used. Use the address the terminal shows now."
        }
        Err(_) => "The sign-in did not complete. Go back to the terminal, which says why.",
    };
    let _ = respond(&mut stream, "200 OK", page).await;
    Some(outcome)
}

/// The request target of a `GET` (`/?code=…`), from the request line; `None` for anything else.
async fn request_target(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::with_capacity(512);
    let mut buf = [0u8; 1024];
    while !head.windows(2).any(|w| w == b"\r\n") {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 || head.len() + n > MAX_HEAD {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head);
    let mut parts = line.lines().next()?.split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) if target.starts_with('/') => Some(target.to_string()),
        _ => None,
    }
}

async fn respond(stream: &mut TcpStream, status: &str, text: &str) -> std::io::Result<()> {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>cs-account</title></head>\
         <body style=\"font-family: sans-serif; margin: 3em\"><p>{text}</p></body></html>"
    );
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(port: u16, path: &str) -> (u16, String) {
        let resp = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client")
            .get(format!("http://127.0.0.1:{port}{path}"))
            .send()
            .await
            .expect("an answer");
        (resp.status().as_u16(), resp.text().await.unwrap_or_default())
    }

    #[tokio::test]
    async fn the_redirect_gives_its_code_and_a_page_to_close() {
        let listener = RedirectListener::bind("http://127.0.0.1:0", "s1").await.expect("listening");
        let port = listener.port();
        let waiting = tokio::spawn(listener.wait());
        assert_eq!(get(port, "/favicon.ico").await.0, 404, "not a redirect: the wait goes on");
        let (status, page) = get(port, "/?code=c0de&state=s1&location=NA").await;
        assert_eq!(status, 200);
        assert!(page.contains("You can close this tab"), "{page}");
        assert_eq!(waiting.await.expect("joined"), Ok("c0de".to_string()));
    }

    #[tokio::test]
    async fn another_sign_ins_answer_is_passed_over_and_a_denial_ends_the_wait() {
        let listener = RedirectListener::bind("http://localhost:0", "s1").await.expect("listening");
        let port = listener.port();
        let waiting = tokio::spawn(listener.wait());
        assert!(get(port, "/?code=c0de&state=other").await.1.contains("another sign-in"));
        assert!(get(port, "/?error=access_denied&state=other").await.1.contains("another sign-in"));
        assert!(!waiting.is_finished(), "another sign-in's answers do not end this one");
        get(port, "/?code=m1ne&state=s1").await;
        assert_eq!(waiting.await.expect("joined"), Ok("m1ne".to_string()));
        let listener = RedirectListener::bind("http://127.0.0.1:0", "s1").await.expect("listening");
        let port = listener.port();
        let waiting = tokio::spawn(listener.wait());
        get(port, "/?error=access_denied&state=s1").await;
        assert!(matches!(waiting.await.expect("joined"), Err(RedirectError::Denied(_))));
    }

    /// A connection that sends nothing (as browsers open ahead of time) does not hold up the
    /// redirect that comes after it.
    #[tokio::test]
    async fn a_silent_connection_does_not_hold_up_the_redirect() {
        let listener = RedirectListener::bind("http://127.0.0.1:0", "s1").await.expect("listening");
        let port = listener.port();
        let waiting = tokio::spawn(listener.wait());
        let _silent = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.expect("connected");
        let started = std::time::Instant::now();
        let (status, _) = get(port, "/?code=c0de&state=s1").await;
        assert_eq!(status, 200);
        assert_eq!(waiting.await.expect("joined"), Ok("c0de".to_string()));
        assert!(started.elapsed() < HEAD_TIMEOUT, "answered without waiting for the silent one");
    }

    #[tokio::test]
    async fn a_taken_port_or_a_redirect_elsewhere_is_said() {
        let held = RedirectListener::bind("http://127.0.0.1:0", "s").await.expect("listening");
        let url = format!("http://127.0.0.1:{}", held.port());
        assert!(
            matches!(RedirectListener::bind(&url, "s").await, Err(ListenError::PortTaken(p)) if p == held.port())
        );
        assert!(matches!(
            RedirectListener::bind("https://example.com/callback", "s").await,
            Err(ListenError::NotLocal(_))
        ));
    }
}
