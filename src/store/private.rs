//! The one writer and reader of the private files cs-account keeps (the session, drafts): the
//! file and directory modes, the atomic replacement, the open that follows no link and never
//! blocks, and the ownership check. Each store turns what these report into its own sentences.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// A file operation the system refused: "Could not read /path: Permission denied (os error 13)".
#[derive(Debug, thiserror::Error)]
#[error("Could not {action} {}: {source}", path.display())]
pub struct FileError {
    /// What was tried: "read", "write", "create", "delete".
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl FileError {
    /// The error for a failure to `action` `path`, for `map_err`.
    pub(crate) fn of(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> FileError {
        let path = path.to_path_buf();
        move |source| FileError { action, path, source }
    }
}

/// Replaces `path` with a private (0600) file holding `body`, atomically: written to a temporary
/// file of a random name in the same directory (created exclusively, so never through a planted
/// file or link, and never failing because a file of a predictable name is in the way), synced,
/// then renamed over `path`. A symlink at `path` is replaced, never followed. On failure the
/// temporary file is removed and `path` is as it was.
pub(crate) fn write_atomic(path: &Path, body: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o600));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(body)?;
    tmp.as_file().sync_all()?;
    // `persist` renames; dropping `tmp` on an error above deletes the temporary file.
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Opens for reading without following a symlink at the last component, so that a link planted
/// in the directory cannot make cs-account read (and trust) some other file; and without
/// blocking, so that a FIFO put there cannot hang it (opening a FIFO for reading waits for a
/// writer). The caller checks that what it opened is a regular file before reading.
#[cfg(unix)]
pub(crate) fn open_no_follow(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32;
    fs::OpenOptions::new().read(true).custom_flags(flags).open(path)
}

/// Without `O_NOFOLLOW`, a look before opening (racy, but the best the platform offers here).
#[cfg(not(unix))]
pub(crate) fn open_no_follow(path: &Path) -> std::io::Result<fs::File> {
    if is_symlink(path) {
        return Err(std::io::Error::other("symbolic link"));
    }
    fs::File::open(path)
}

pub(crate) fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Creates `dir` and its parents, readable by this user only (0700).
#[cfg(unix)]
pub(crate) fn create_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
pub(crate) fn create_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

/// Why an opened file is not this user's to trust.
#[derive(Debug)]
pub(crate) enum Distrust {
    /// Its metadata could not be read.
    Unchecked(std::io::Error),
    /// A FIFO, a device or a directory.
    NotRegular,
    /// Someone else owns it, and could replace it at any time whatever its mode.
    OtherOwner { owner: u32, me: u32 },
    /// Its mode has some of the forbidden bits (the whole mode, `0o777` bits).
    Mode(u32),
}

impl Distrust {
    /// The reason as the end of a sentence starting with the file's path ("… belongs to another
    /// user (uid 0, not 1000)").
    pub(crate) fn reason(&self) -> String {
        match self {
            Distrust::Unchecked(e) => format!("could not be checked ({e})"),
            Distrust::NotRegular => "is not a regular file".into(),
            Distrust::OtherOwner { owner, me } => format!("belongs to another user (uid {owner}, not {me})"),
            Distrust::Mode(_) => "can be changed by other users".into(),
        }
    }
}

/// A regular file of this user whose mode has none of the `forbidden` bits (`0o077`: nobody else
/// may read it; `0o022`: nobody else may change it). Ownership is checked before the mode.
#[cfg(unix)]
pub(crate) fn check_owned(file: &fs::File, forbidden: u32) -> Result<(), Distrust> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = file.metadata().map_err(Distrust::Unchecked)?;
    if !meta.is_file() {
        return Err(Distrust::NotRegular);
    }
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        return Err(Distrust::OtherOwner { owner: meta.uid(), me });
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & forbidden != 0 {
        return Err(Distrust::Mode(mode));
    }
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn check_owned(_file: &fs::File, _forbidden: u32) -> Result<(), Distrust> {
    Ok(())
}
