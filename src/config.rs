//! The config file (`config.toml` in the config directory) and where files live.
//!
//! Directories follow the platform (`~/.config/cs-account/` on Linux) and can be moved with
//! `CS_ACCOUNT_CONFIG_DIR` / `CS_ACCOUNT_STATE_DIR`, which tests use so they never touch a real
//! session.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Settings read from `config.toml`. Every key is optional.
///
/// ```toml
/// region = "eu"                       # or api_url = "https://..."
/// [keys.profile]
/// logout = "ctrl-l"
/// refresh = ["r", "F5"]
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// A region id or alias (`na`, `eu`, `azure-na`, ...).
    #[serde(default)]
    pub region: Option<String>,
    /// A custom API URL; wins over `region`.
    #[serde(default)]
    pub api_url: Option<String>,
    /// Key bindings per screen, interpreted by the keymap.
    #[serde(default)]
    pub keys: toml::Table,
    /// `false`: `y` does not write to the terminal's clipboard (OSC 52), for terminals that
    /// show the sequence or where the clipboard must not be touched.
    #[serde(default)]
    pub osc52: Option<bool>,
    /// The Developer Hub app browser sign-in uses (`[oauth]`: `app_id`, `client_id`,
    /// `redirect_url`); csdx's variables `OAUTH_APP_ID`, `OAUTH_CLIENT_ID` and
    /// `OAUTH_APP_REDIRECT_URL` win over it, and the official CLI's public app fills the rest.
    #[serde(default)]
    pub oauth: OAuthConfig,
}

/// `[oauth]` in `config.toml`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthConfig {
    pub app_id: Option<String>,
    pub client_id: Option<String>,
    pub redirect_url: Option<String>,
}

impl Config {
    /// The browser sign-in's app: the environment (csdx's names), then `[oauth]`, then the
    /// defaults. An unusable redirect URL is an error naming where it came from.
    pub fn oauth_settings(&self) -> Result<crate::api::oauth::OAuthSettings, String> {
        let env = |name: &str| std::env::var(name).ok();
        self.oauth_settings_with(env)
    }

    /// [`Config::oauth_settings`] with the environment read through `env` (for tests).
    pub fn oauth_settings_with(
        &self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<crate::api::oauth::OAuthSettings, String> {
        let c = &self.oauth;
        crate::api::oauth::OAuthSettings::from_lookup(|name| {
            env(name).filter(|v| !v.trim().is_empty()).or_else(|| match name {
                "OAUTH_APP_ID" => c.app_id.clone(),
                "OAUTH_CLIENT_ID" => c.client_id.clone(),
                "OAUTH_APP_REDIRECT_URL" => c.redirect_url.clone(),
                _ => None,
            })
        })
    }
}

/// The file name of the config inside the config directory.
pub const CONFIG_FILE: &str = "config.toml";

/// A config file is a few hundred bytes; past this it is not one (64 KiB, as for the session).
pub const MAX_CONFIG_BYTES: u64 = 64 * 1024;

impl Config {
    /// Reads `config.toml` from `dir`. A missing file is an empty config; a broken one is an
    /// error that names the file and the problem, so the user can fix it.
    ///
    /// Only a regular file of at most [`MAX_CONFIG_BYTES`] is read: a FIFO would block start-up
    /// forever, and a link to `/dev/zero` would fill the memory. A symbolic link to a regular file
    /// is fine (dotfile managers link configs); it is opened without blocking and checked first.
    pub fn load(dir: &Path) -> Result<Config, String> {
        let path = dir.join(CONFIG_FILE);
        let shown = path.display();
        let file = match open_nonblocking(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(format!("Could not read {shown}: {e}")),
        };
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return Err(format!(
                "{shown} is not a regular file (a FIFO, a device or a directory), so it was not read. Replace it with a plain file."
            ));
        }
        let mut text = String::new();
        std::io::Read::take(file, MAX_CONFIG_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| format!("Could not read {shown}: {e}"))?;
        if text.len() as u64 > MAX_CONFIG_BYTES {
            return Err(format!(
                "{shown} is larger than {} KB, so it was not read: a config file is a few lines.",
                MAX_CONFIG_BYTES / 1024
            ));
        }
        toml::from_str(&text).map_err(|e| format!("{shown}: {}", e.message()))
    }
}

/// Opens for reading without waiting for a writer (which opening a FIFO does).
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = rustix::fs::OFlags::NONBLOCK.bits() as i32;
    std::fs::OpenOptions::new().read(true).custom_flags(flags).open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// A warning when the config directory can be changed by other users (or belongs to one): they
/// could replace `config.toml` (pointing cs-account at their server) or the stored session.
/// `None` when it is private enough, or does not exist yet (it is then created 0700).
#[cfg(unix)]
pub fn dir_warning(dir: &Path) -> Option<String> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = std::fs::metadata(dir).ok()?;
    let shown = dir.display();
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        return Some(format!(
            "{shown} belongs to another user (uid {}), who could change your settings or session. Use a directory of your own (CS_ACCOUNT_CONFIG_DIR).",
            meta.uid()
        ));
    }
    let mode = meta.permissions().mode() & 0o777;
    (mode & 0o022 != 0).then(|| {
        format!(
            "{shown} can be changed by other users (mode {mode:o}): they could replace your settings or session. Run `chmod 700 {shown}`."
        )
    })
}

#[cfg(not(unix))]
pub fn dir_warning(_dir: &Path) -> Option<String> {
    None
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "cs-account")
}

fn env_dir(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// Where the config file and the stored session live: `CS_ACCOUNT_CONFIG_DIR`, or the
/// platform's config directory + `cs-account/`.
pub fn config_dir() -> Option<PathBuf> {
    env_dir("CS_ACCOUNT_CONFIG_DIR").or_else(|| project_dirs().map(|d| d.config_dir().to_path_buf()))
}

/// Where logs and unsaved drafts live: `CS_ACCOUNT_STATE_DIR`, or the platform's state
/// directory (falling back to the data directory where there is no such thing).
pub fn state_dir() -> Option<PathBuf> {
    env_dir("CS_ACCOUNT_STATE_DIR")
        .or_else(|| project_dirs().map(|d| d.state_dir().unwrap_or_else(|| d.data_local_dir()).to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_empty_config() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = Config::load(dir.path()).expect("loads");
        assert!(c.region.is_none() && c.api_url.is_none() && c.keys.is_empty());
    }

    #[test]
    fn reads_region_and_keys() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "region = \"eu\"\n[keys.profile]\nlogout = \"ctrl-l\"\nrefresh = [\"r\", \"F5\"]\n",
        )
        .expect("write");
        let c = Config::load(dir.path()).expect("loads");
        assert_eq!(c.region.as_deref(), Some("eu"));
        assert!(c.keys["profile"]["refresh"].is_array());
    }

    #[test]
    fn too_large_a_file_is_not_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = format!("# {}\nregion = \"eu\"\n", "x".repeat(MAX_CONFIG_BYTES as usize));
        std::fs::write(dir.path().join(CONFIG_FILE), big).expect("write");
        let err = Config::load(dir.path()).expect_err("too large");
        assert!(err.contains("larger than 64 KB"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_others_can_write_is_warned_about() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).expect("chmod");
        assert_eq!(dir_warning(dir.path()), None);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
        let w = dir_warning(dir.path()).expect("a warning");
        assert!(w.contains("mode 777") && w.contains("chmod 700"), "{w}");
        assert_eq!(dir_warning(&dir.path().join("missing")), None);
    }

    #[test]
    fn broken_file_names_itself() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(CONFIG_FILE), "regoin = 3").expect("write");
        let err = Config::load(dir.path()).expect_err("unknown key");
        assert!(err.contains("config.toml"), "{err}");
    }
}
