//! Accepting and serving connections with the limits a service needs, which `axum::serve`
//! does not set: a header-read timeout, an idle timeout and a cap on open connections.
//!
//! - Every connection gets [`Limits::header_timeout`] to send a whole request head. hyper's
//!   timer also runs while a kept-alive connection waits for its next request, so the same
//!   limit is the idle timeout: a connection that opens and says nothing, or dribbles its head
//!   a byte at a time (slowloris), or sits idle after an answer, is closed when it runs out.
//! - A request body must then arrive within the same time (see `JsonBody`).
//! - At most [`Limits::max_connections`] connections are open at once. A new one past the
//!   cap pushes out the connection that has been idle longest (no request in flight), so a
//!   flood of idle or half-open connections never locks a real client out; when every
//!   connection is busy with a request the newcomer is closed instead. The default cap stays
//!   well under the process's open-file limit, so `accept` does not start failing first (and
//!   when it does fail for lack of descriptors, an idle connection is closed to make room).
//!
//! HTTP/1.1 only: every client of the user API speaks it, and hyper's timeouts cover it.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use super::state::lock;

/// The connection limits of one server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
}

/// Most connections open at once when the options leave it to the server.
const MOST_CONNECTIONS: usize = 512;

/// The default cap: [`MOST_CONNECTIONS`], or half the open-file limit when that is lower (the
/// other half is for everything else the process opens: the TUI's own connections, files).
pub(crate) fn default_max_connections() -> usize {
    cap_for(open_file_limit())
}

fn cap_for(nofile: Option<u64>) -> usize {
    let half = nofile.map_or(MOST_CONNECTIONS, |n| usize::try_from(n / 2).unwrap_or(usize::MAX));
    half.clamp(8, MOST_CONNECTIONS)
}

#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

/// One open connection, as the accept loop sees it.
struct Conn {
    /// Requests being answered on it now.
    busy: AtomicUsize,
    /// When it last became idle (or was opened).
    idle_since: Mutex<Instant>,
    /// Cancelled to close it.
    evict: CancellationToken,
}

/// The open connections.
#[derive(Default)]
struct Registry {
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
    /// Told whenever a connection ends.
    ended: Notify,
}

impl Registry {
    fn len(&self) -> usize {
        lock(&self.conns).len()
    }

    /// Closes the connection idle the longest, except `keep`; false when all are busy.
    fn evict_one_idle(&self, keep: Option<u64>) -> bool {
        let conns = lock(&self.conns);
        let oldest = conns
            .iter()
            .filter(|(id, c)| {
                Some(**id) != keep && c.busy.load(Ordering::SeqCst) == 0 && !c.evict.is_cancelled()
            })
            .min_by_key(|(_, c)| *lock(&c.idle_since));
        match oldest {
            Some((_, c)) => {
                c.evict.cancel();
                true
            }
            None => false,
        }
    }
}

/// Takes a connection out of the registry when its task ends, however it ends.
struct Leave {
    registry: Arc<Registry>,
    id: u64,
}

impl Drop for Leave {
    fn drop(&mut self) {
        lock(&self.registry.conns).remove(&self.id);
        self.registry.ended.notify_waiters();
    }
}

/// Counts a request as in flight on its connection while it is answered.
struct Busy(Arc<Conn>);

impl Busy {
    fn new(conn: Arc<Conn>) -> Self {
        conn.busy.fetch_add(1, Ordering::SeqCst);
        Busy(conn)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        *lock(&self.0.idle_since) = Instant::now();
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Accepts and serves until `shutdown`, then lets the connections finish their answers
/// (hung ones end on `shutdown` themselves) and returns once all are closed.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let registry = Arc::new(Registry::default());
    let next_id = AtomicU64::new(0);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = shutdown.cancelled() => break,
        };
        let (stream, remote) = match accepted {
            Ok(pair) => pair,
            Err(err) => {
                // Out of descriptors (EMFILE, ENFILE) or a connection that died in the
                // backlog: make room if that can help, and try again shortly.
                let evicted = registry.evict_one_idle(None);
                tracing::warn!(%err, evicted, "demo server: accept failed");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let id = next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn {
            busy: AtomicUsize::new(0),
            idle_since: Mutex::new(Instant::now()),
            evict: CancellationToken::new(),
        });
        lock(&registry.conns).insert(id, Arc::clone(&conn));
        if registry.len() > limits.max_connections && !registry.evict_one_idle(Some(id)) {
            tracing::warn!(%remote, "demo server: every connection is busy; refusing a new one");
            lock(&registry.conns).remove(&id);
            continue;
        }
        let leave = Leave { registry: Arc::clone(&registry), id };
        tokio::spawn(serve_one(stream, remote, router.clone(), limits, conn, shutdown.clone(), leave));
    }
    drop(listener);
    // Wait for the connections to finish what they were answering.
    loop {
        let ended = registry.ended.notified();
        if registry.len() == 0 {
            break;
        }
        ended.await;
    }
    Ok(())
}

/// Serves one connection until it ends, is evicted, or the server stops (answers in flight
/// finish first); `_leave` then takes it out of the registry.
async fn serve_one(
    stream: TcpStream,
    remote: SocketAddr,
    router: Router,
    limits: Limits,
    conn: Arc<Conn>,
    shutdown: CancellationToken,
    _leave: Leave,
) {
    let _ = stream.set_nodelay(true);
    let for_requests = Arc::clone(&conn);
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(remote));
        let busy = Busy::new(Arc::clone(&for_requests));
        let router = router.clone();
        async move {
            let resp = router.oneshot(req.map(axum::body::Body::new)).await;
            drop(busy);
            resp.map_err(|never: Infallible| match never {})
        }
    });
    let http = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(TokioIo::new(stream), service);
    let mut http = std::pin::pin!(http);
    let mut stopping = false;
    loop {
        tokio::select! {
            result = http.as_mut() => {
                if let Err(err) = result {
                    tracing::debug!(%err, %remote, "demo server: connection ended");
                }
                break;
            }
            () = shutdown.cancelled(), if !stopping => {
                stopping = true;
                http.as_mut().graceful_shutdown();
            }
            () = conn.evict.cancelled() => {
                tracing::debug!(%remote, "demo server: closed an idle connection to make room");
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_under_the_open_file_limit() {
        assert_eq!(cap_for(Some(256)), 128);
        assert_eq!(cap_for(Some(1_048_576)), MOST_CONNECTIONS);
        assert_eq!(cap_for(None), MOST_CONNECTIONS);
        assert_eq!(cap_for(Some(4)), 8);
        assert!(default_max_connections() <= MOST_CONNECTIONS);
    }
}
