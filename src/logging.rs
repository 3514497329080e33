//! Logs go to a file, never to the terminal the app draws on.
//!
//! `CS_ACCOUNT_LOG` sets the filter (`info` by default; `debug`, `trace`, or `cs_account=trace`),
//! `CS_ACCOUNT_LOG_FILE` the file (default: `cs-account.log` in the state directory). Nothing
//! secret is ever logged: tokens appear masked to their last five characters.
//!
//! Set-up costs next to nothing, because a scripting command such as `cs-account whoami` runs
//! in a few milliseconds and logging must not double that:
//!
//! - the file is opened (and its directory created) on the first event that passes the filter,
//!   so a run that logs nothing at the current level never touches it;
//! - each event is one `write` to the file, made by the thread that logs it. A non-blocking
//!   writer thread (tracing-appender) cost about 2 ms per start, most of it spent preparing its
//!   4 MB line queue, to save a few microseconds per line that nobody waits for;
//! - plain `level` and `target=level` filters are read by [`Targets`], which needs no regex;
//!   only filters with span or field parts go through [`EnvFilter`].

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use tracing_subscriber::filter::{EnvFilter, LevelFilter, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{Layer, Registry};

/// Starts file logging. Returns false when there is nowhere to log (no state directory): the
/// app then runs without logs rather than failing or writing to the screen. A log file that
/// cannot be opened later is treated the same way: its lines are dropped.
pub fn init() -> bool {
    let Some(path) = std::env::var_os("CS_ACCOUNT_LOG_FILE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(crate::cli::default_log_path)
    else {
        return false;
    };
    let spec = std::env::var("CS_ACCOUNT_LOG").unwrap_or_default();
    let layer =
        tracing_subscriber::fmt::layer().with_writer(LazyFile::new(path)).with_ansi(false).with_target(true);
    let layer: Box<dyn Layer<Registry> + Send + Sync> = match filter(&spec) {
        Filter::Targets(t) => Box::new(layer.with_filter(t)),
        Filter::Env(e) => Box::new(layer.with_filter(e)),
    };
    tracing_subscriber::registry().with(layer).try_init().is_ok()
}

/// The filter a `CS_ACCOUNT_LOG` value asks for.
#[expect(clippy::large_enum_variant, reason = "made once per process, then moved into the layer")]
#[derive(Debug)]
enum Filter {
    Targets(Targets),
    Env(EnvFilter),
}

/// `info` when the value is empty or unreadable (as before: a typo must not stop the app).
fn filter(spec: &str) -> Filter {
    let spec = spec.trim();
    if spec.is_empty() {
        return Filter::Targets(Targets::new().with_default(LevelFilter::INFO));
    }
    let simple = spec.chars().all(|c| c.is_ascii_alphanumeric() || "_:=,.-".contains(c));
    if simple && let Ok(t) = spec.parse::<Targets>() {
        return Filter::Targets(t);
    }
    match EnvFilter::try_new(spec) {
        Ok(e) => Filter::Env(e),
        Err(_) => Filter::Targets(Targets::new().with_default(LevelFilter::INFO)),
    }
}

/// The log file, opened with mode 0600 on the first line written to it.
struct LazyFile {
    path: PathBuf,
    file: OnceLock<Option<Mutex<File>>>,
}

impl LazyFile {
    fn new(path: PathBuf) -> Self {
        LazyFile { path, file: OnceLock::new() }
    }

    fn file(&self) -> Option<&Mutex<File>> {
        self.file.get_or_init(|| open_log(&self.path).ok().map(Mutex::new)).as_ref()
    }
}

impl<'a> MakeWriter<'a> for LazyFile {
    type Writer = LineWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter { file: self }
    }
}

/// Writes one formatted event. The file is locked only for the `write` itself, and a poisoned
/// lock (a panic while writing) still lets later lines through.
struct LineWriter<'a> {
    file: &'a LazyFile,
}

impl LineWriter<'_> {
    fn lock(&self) -> Option<MutexGuard<'_, File>> {
        self.file.file().map(|m| m.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}

impl Write for LineWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.lock() {
            Some(mut f) => f.write(buf),
            // No file: the line is dropped, as documented on `init`.
            None => Ok(buf.len()),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self.lock() {
            Some(mut f) => f.write_all(buf),
            None => Ok(()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn open_log(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_filters_need_no_env_filter() {
        for spec in ["", "trace", "debug", "cs_account=trace", "cs_account::api=debug,hyper=info", " info "] {
            assert!(matches!(filter(spec), Filter::Targets(_)), "{spec:?}");
        }
        assert!(matches!(filter("cs_account[request{id=1}]=trace"), Filter::Env(_)));
        assert!(matches!(filter("cs_account=[[["), Filter::Targets(_)), "unreadable falls back");
        let Filter::Targets(t) = filter("cs_account=debug") else { panic!("targets") };
        assert!(t.would_enable("cs_account::api", &tracing::Level::DEBUG));
        assert!(!t.would_enable("hyper", &tracing::Level::ERROR));
    }

    #[test]
    fn the_file_is_created_on_the_first_line_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested").join("cs.log");
        let lazy = LazyFile::new(path.clone());
        let mut w = lazy.make_writer();
        assert!(!path.exists(), "opened before any line");
        w.write_all(b"one\n").expect("write");
        lazy.make_writer().write_all(b"two\n").expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "one\ntwo\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn an_unopenable_file_drops_lines_quietly() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A directory where the file should be: it cannot be opened for writing.
        let lazy = LazyFile::new(dir.path().to_path_buf());
        assert!(lazy.make_writer().write_all(b"lost\n").is_ok());
    }
}
