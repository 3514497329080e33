//! The scripting commands: one-shot calls on the same API client as the full-screen app.
//!
//! Exit codes: 0 ok, 1 API or network error, 2 usage, 3 not logged in or session expired.
//! Output goes to stdout (data) and stderr (messages); `--json` prints machine-readable data.

mod account;
mod demo;
mod login;
mod password;
mod prompt;
mod tui;

use std::process::ExitCode;
use std::time::Duration;

use secrecy::SecretString;

use crate::api::{ApiError, Client, ClientConfig, Endpoint};
use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::Config;
use crate::store::{SessionStore, StoredSession};

/// A command's failure: the message for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure { code: 2, message: message.into() }
    }
    pub fn not_logged_in(message: impl Into<String>) -> Self {
        Failure { code: 3, message: message.into() }
    }
    pub fn other(message: impl Into<String>) -> Self {
        Failure { code: 1, message: message.into() }
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        if e.is_unauthorized() {
            Failure::not_logged_in(format!("{} Run `cs-account login`.", e.user_message()))
        } else {
            Failure::other(e.user_message())
        }
    }
}

type Outcome = Result<(), Failure>;

/// Runs a command and maps its outcome to an exit code, printing the failure to stderr.
pub async fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        None => tui::run_app(&cli.global).await,
        Some(command) => run_command(&cli.global, command).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("cs-account: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

async fn run_command(global: &GlobalArgs, command: Command) -> Outcome {
    match command {
        Command::Demo(args) => demo::run_demo(global, args).await,
        Command::ServeDemo(args) => demo::serve_demo(args).await,
        Command::Login(args) => login::login(global, args).await,
        Command::Logout => account::logout(global).await,
        Command::Whoami(out) => account::whoami(global, out.json).await,
        Command::Update(args) => account::update(global, args).await,
        Command::Activate(args) => password::activate(global, args).await,
        Command::ForgotPassword(args) => password::forgot(global, args).await,
        Command::ResetPassword(args) => password::reset(global, args).await,
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "cs-account", &mut std::io::stdout());
            Ok(())
        }
    }
}

/// The config file, or a usage failure naming what is wrong in it.
pub fn load_config() -> Result<Config, Failure> {
    match crate::config::config_dir() {
        Some(dir) => Config::load(&dir).map_err(|e| Failure::usage(format!("Bad config file: {e}"))),
        None => Ok(Config::default()),
    }
}

/// The endpoint from, in order: `--api-url` / `--region` (or their environment variables), the
/// stored session's, the config file, NA.
pub fn resolve_endpoint(
    global: &GlobalArgs,
    stored: Option<&StoredSession>,
    config: &Config,
) -> Result<Endpoint, Failure> {
    if let Some(url) = &global.api_url {
        return Endpoint::custom(url).map_err(Failure::usage);
    }
    if let Some(region) = &global.region {
        return Endpoint::parse(region).map_err(Failure::usage);
    }
    if let Some(s) = stored {
        return Ok(s.endpoint.clone());
    }
    if let Some(url) = &config.api_url {
        return Endpoint::custom(url).map_err(|e| Failure::usage(format!("config.toml api_url: {e}")));
    }
    if let Some(region) = &config.region {
        return Endpoint::parse(region).map_err(|e| Failure::usage(format!("config.toml region: {e}")));
    }
    Ok(Endpoint::default())
}

/// A client for an endpoint, with the timeouts from the flags.
pub fn client_for(global: &GlobalArgs, endpoint: Endpoint) -> Result<Client, Failure> {
    let mut cfg = ClientConfig::new(endpoint);
    cfg.connect_timeout = secs(global.connect_timeout)?;
    cfg.timeout = secs(global.timeout)?;
    Client::new(cfg).map_err(|e| Failure::usage(e.user_message()))
}

fn secs(v: f64) -> Result<Duration, Failure> {
    if v.is_finite() && v > 0.0 && v < 86_400.0 {
        Ok(Duration::from_secs_f64(v))
    } else {
        Err(Failure::usage(format!("{v} is not a usable number of seconds")))
    }
}

/// The session store, or a failure when the platform has no config directory.
pub fn store() -> Result<SessionStore, Failure> {
    SessionStore::default_location()
        .ok_or_else(|| Failure::other("No config directory found: set CS_ACCOUNT_CONFIG_DIR or HOME."))
}

/// An authenticated context: the token from `CONTENTSTACK_AUTHTOKEN`, or the stored session.
pub struct Authed {
    pub client: Client,
    pub token: SecretString,
    pub email: Option<String>,
}

/// Builds the authenticated context, or exits 3 with what to do.
pub fn authed(global: &GlobalArgs) -> Result<Authed, Failure> {
    let config = load_config()?;
    if let Some(token) = env_token() {
        let endpoint = resolve_endpoint(global, None, &config)?;
        return Ok(Authed { client: client_for(global, endpoint)?, token, email: None });
    }
    let stored = store()?.load().map_err(|e| Failure::not_logged_in(e.to_string()))?;
    let Some(stored) = stored else {
        return Err(Failure::not_logged_in(
            "Not logged in. Run `cs-account login`, or set CONTENTSTACK_AUTHTOKEN.",
        ));
    };
    let endpoint = resolve_endpoint(global, Some(&stored), &config)?;
    Ok(Authed { client: client_for(global, endpoint)?, token: stored.authtoken, email: Some(stored.email) })
}

/// `CONTENTSTACK_AUTHTOKEN`, when set and not empty.
pub fn env_token() -> Option<SecretString> {
    std::env::var("CONTENTSTACK_AUTHTOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .map(|t| SecretString::from(t.trim().to_string()))
}

/// Prints a value as pretty JSON to stdout.
fn print_json<T: serde::Serialize>(value: &T) -> Outcome {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| Failure::other(e.to_string()))?;
    text.push('\n');
    out(&text)
}

/// Writes data to stdout. A reader that stops early (`whoami | head -2`) is not an error:
/// `print!` would panic on the broken pipe, so write by hand and treat it as done.
fn out(text: &str) -> Outcome {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::other(format!("Could not write the output: {e}"))),
    }
}
