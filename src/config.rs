//! The config file (`config.toml` in the config directory) and where files live.
//!
//! Directories follow the platform (`~/.config/cs-account/` on Linux) and can be moved with
//! `CS_ACCOUNT_CONFIG_DIR` / `CS_ACCOUNT_STATE_DIR`, which tests use so they never touch a real
//! session.

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
}

/// The file name of the config inside the config directory.
pub const CONFIG_FILE: &str = "config.toml";

impl Config {
    /// Reads `config.toml` from `dir`. A missing file is an empty config; a broken one is an
    /// error that names the file and the problem, so the user can fix it.
    pub fn load(dir: &Path) -> Result<Config, String> {
        let path = dir.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(format!("Could not read {}: {e}", path.display())),
        }
    }
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
    fn broken_file_names_itself() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(CONFIG_FILE), "regoin = 3").expect("write");
        let err = Config::load(dir.path()).expect_err("unknown key");
        assert!(err.contains("config.toml"), "{err}");
    }
}
