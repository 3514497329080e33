//! Logs go to a file, never to the terminal the app draws on.
//!
//! `CS_ACCOUNT_LOG` sets the filter (`info` by default; `debug`, `trace`, or `cs_account=trace`),
//! `CS_ACCOUNT_LOG_FILE` the file (default: `cs-account.log` in the state directory). Nothing
//! secret is ever logged: tokens appear masked to their last five characters.

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts file logging. Returns the guard that flushes the log on drop (keep it alive in main),
/// or `None` when no log file can be opened: the app then runs without logs rather than
/// failing or writing to the screen.
pub fn init() -> Option<WorkerGuard> {
    let path = std::env::var_os("CS_ACCOUNT_LOG_FILE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(crate::cli::default_log_path)?;
    let dir = path.parent()?.to_path_buf();
    std::fs::create_dir_all(&dir).ok()?;
    let file = open_log(&path).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("CS_ACCOUNT_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .with_target(true)
        .try_init()
        .ok()?;
    Some(guard)
}

#[cfg(unix)]
fn open_log(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn open_log(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().create(true).append(true).open(path)
}
