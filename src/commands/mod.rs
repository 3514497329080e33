//! The scripting commands: one-shot calls on the same API client as the full-screen app.
//!
//! Exit codes: 0 ok, 1 API or network error, 2 usage, 3 not logged in or session expired.
//! Output goes to stdout (data) and stderr (messages); `--json` prints machine-readable data.

mod account;
pub mod demo;
mod login;
mod password;
mod prompt;
mod sessions;
mod stacks;
pub(crate) mod tui;

use std::process::ExitCode;
use std::time::Duration;

use secrecy::SecretString;

use crate::api::{ApiError, Client, ClientConfig, Credential, Endpoint};
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

/// An API failure, with a refusal's field messages as one sentence per field, each on its own
/// line (the server's summary repeats them, so it is left out).
pub fn api_failure(e: ApiError) -> Failure {
    let fields = e.field_errors();
    if fields.is_empty() {
        return e.into();
    }
    let mut msg = String::from("The server did not accept these values:");
    for (field, msgs) in &fields {
        let label = crate::api::error::field_label(field.rsplit('.').next().unwrap_or(field));
        msg.push_str("\n  ");
        msg.push_str(&crate::api::rules::field_sentence(&label, msgs));
    }
    Failure::other(msg)
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
            eprintln!("cs-account: {}", with_flags(&cli.global, &f.message));
            ExitCode::from(f.code)
        }
    }
}

async fn run_command(global: &GlobalArgs, command: Command) -> Outcome {
    match command {
        Command::Demo(args) => demo::run_demo(global, args).await,
        Command::ServeDemo(args) => demo::serve_demo(args).await,
        Command::Login(args) => login::login(global, args).await,
        Command::Logout(args) => sessions::logout(global, args).await,
        Command::Status(args) => sessions::status(global, args).await,
        Command::Switch(args) => sessions::switch(global, args),
        Command::Token => sessions::token(global),
        Command::Whoami(out) => account::whoami(global, out.json).await,
        Command::Stacks(out) => stacks::stacks(global, out.json).await,
        Command::Update(args) => account::update(global, args).await,
        Command::Activate(args) => password::activate(global, args).await,
        Command::ForgotPassword(args) => password::forgot(global, args).await,
        Command::ResetPassword(args) => password::reset(global, args).await,
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "cs-account", &mut std::io::stdout());
            Ok(())
        }
        Command::Man(args) => man(args),
    }
}

/// `cs-account man`: the man page from the clap definitions (the same text as `--help`), printed,
/// or written with one page per command into a directory.
fn man(args: crate::cli::ManArgs) -> Outcome {
    use clap::CommandFactory;
    let cmd = Cli::command();
    if let Some(dir) = args.dir {
        return clap_mangen::generate_to(cmd, &dir)
            .map_err(|e| Failure::other(format!("Could not write the man pages to {}: {e}", dir.display())));
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut page)
        .map_err(|e| Failure::other(format!("Could not render the man page: {e}")))?;
    out(&String::from_utf8_lossy(&page))
}

/// The config file, or a usage failure naming what is wrong in it. A config directory others can
/// change is warned about on stderr.
pub fn load_config() -> Result<Config, Failure> {
    if let Some(warning) = crate::config::config_dir().and_then(|d| crate::config::dir_warning(&d)) {
        eprintln!("cs-account: warning: {warning}");
    }
    config_quietly()
}

/// The config file, without the warning about its directory (the full-screen app shows that on
/// its own screen, where it can be read).
pub fn config_quietly() -> Result<Config, Failure> {
    match crate::config::config_dir() {
        Some(dir) => Config::load(&dir).map_err(|e| Failure::usage(format!("Bad config file: {e}"))),
        None => Ok(Config::default()),
    }
}

/// The endpoint the user asked for, if any: `--api-url` / `--region` (or their environment
/// variables), else `config.toml`'s `api_url` / `region`. A stored session is used only when its
/// endpoint is this one (its token belongs to the server that issued it).
pub fn requested_endpoint(global: &GlobalArgs, config: &Config) -> Result<Option<Endpoint>, Failure> {
    if let Some(url) = &global.api_url {
        return Endpoint::custom(url).map(Some).map_err(Failure::usage);
    }
    if let Some(region) = &global.region {
        return Endpoint::parse(region).map(Some).map_err(Failure::usage);
    }
    if let Some(url) = &config.api_url {
        return Endpoint::custom(url)
            .map(Some)
            .map_err(|e| Failure::usage(format!("config.toml api_url: {e}")));
    }
    if let Some(region) = &config.region {
        return Endpoint::parse(region)
            .map(Some)
            .map_err(|e| Failure::usage(format!("config.toml region: {e}")));
    }
    Ok(None)
}

/// Where calls without a session go (log-in, password reset, activation) and where the app
/// opens: the endpoint asked for, else the stored session's (logging in again goes back where
/// the user was), else NA.
pub fn resolve_endpoint(
    global: &GlobalArgs,
    stored: Option<&StoredSession>,
    config: &Config,
) -> Result<Endpoint, Failure> {
    Ok(requested_endpoint(global, config)?.or_else(|| stored.map(|s| s.endpoint.clone())).unwrap_or_default())
}

/// The endpoint flags the user gave (`--api-url …` or `--region …`, from the command line or
/// their environment variables), to repeat in the commands cs-account suggests.
fn given_flags(global: &GlobalArgs) -> String {
    match (&global.api_url, &global.region) {
        (Some(url), _) => format!("--api-url {}", shell_word(url)),
        (None, Some(region)) => format!("--region {}", shell_word(region)),
        (None, None) => String::new(),
    }
}

/// `s` as one shell word: as it is when it needs no quoting, else in single quotes.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '/' | '.' | '-' | '_' | '@' | '[' | ']'));
    if plain { s.to_string() } else { format!("'{}'", s.replace('\'', "'\\''")) }
}

/// Repeats the endpoint flags the user gave in every command `text` suggests (each written as
/// `` `cs-account …` ``), so that following a hint goes to the same server: after
/// `--api-url X whoami`, "Run `cs-account login`" becomes "Run `cs-account --api-url X login`".
/// A suggestion that already names its endpoint is left alone.
pub fn with_flags(global: &GlobalArgs, text: &str) -> String {
    let flags = given_flags(global);
    if flags.is_empty() {
        return text.to_string();
    }
    const START: &str = "`cs-account ";
    let mut out = String::with_capacity(text.len() + flags.len());
    let mut rest = text;
    while let Some(i) = rest.find(START) {
        let (before, after) = rest.split_at(i + START.len());
        out.push_str(before);
        if !after.starts_with("--api-url") && !after.starts_with("--region") {
            out.push_str(&flags);
            out.push(' ');
        }
        rest = after;
    }
    out.push_str(rest);
    out
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
    pub cred: Credential,
    pub email: Option<String>,
}

/// Builds the authenticated context, or exits 3 with what to do. A stored session's token
/// goes only to the endpoint that issued it: when an endpoint is asked for (flags, environment,
/// `config.toml`), only its own active session is used. `CONTENTSTACK_AUTHTOKEN` is the user's
/// explicit choice and goes where they say.
pub fn authed(global: &GlobalArgs) -> Result<Authed, Failure> {
    let config = load_config()?;
    let requested = requested_endpoint(global, &config)?;
    if let Some(token) = env_token() {
        let endpoint = requested.unwrap_or_default();
        return Ok(Authed { client: client_for(global, endpoint)?, cred: token.into(), email: None });
    }
    let (store, stored) = stored_session(requested.as_ref())?;
    store.touch(&stored.endpoint, &stored.email);
    let endpoint = stored.endpoint.clone();
    let client = client_for(global, endpoint)?;
    let email = stored.email.clone();
    Ok(Authed { cred: stored.credential(Some(&store)), client, email: Some(email) })
}

/// The session of the chosen endpoint: the active one of the endpoint asked for, or without
/// one, the active session used last (with a single session: that one). Exits 3 with what to
/// do when there is none.
pub fn stored_session(requested: Option<&Endpoint>) -> Result<(SessionStore, StoredSession), Failure> {
    let store = store()?;
    let stored = match requested {
        Some(endpoint) => store.load_active(endpoint),
        None => store.load(),
    }
    .map_err(|e| Failure::not_logged_in(e.to_string()))?;
    if let Some(stored) = stored {
        return Ok((store, stored));
    }
    let elsewhere_too = match requested {
        Some(requested) => {
            let mut others: Vec<Endpoint> = Vec::new();
            for s in store.list().unwrap_or_default() {
                if !others.contains(&s.endpoint) {
                    others.push(s.endpoint);
                }
            }
            (!others.is_empty()).then(|| elsewhere(requested, &others))
        }
        None => None,
    };
    Err(Failure::not_logged_in(elsewhere_too.unwrap_or_else(|| {
        "Not logged in. Run `cs-account login`, or set CONTENTSTACK_AUTHTOKEN.".to_string()
    })))
}

/// "Not logged in to EU (your session is for NA: run `cs-account --region eu login`)."
pub fn elsewhere(requested: &Endpoint, stored: &[Endpoint]) -> String {
    let names: Vec<String> = stored.iter().map(Endpoint::name).collect();
    let whose = if names.len() == 1 { "your session is" } else { "your sessions are" };
    format!(
        "Not logged in to {} ({whose} for {}: run `cs-account {} login`).",
        requested.name(),
        names.join(", "),
        requested.flag()
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn global(api_url: Option<&str>, region: Option<&str>) -> GlobalArgs {
        GlobalArgs {
            api_url: api_url.map(String::from),
            region: region.map(String::from),
            ..GlobalArgs::default()
        }
    }

    #[test]
    fn suggested_commands_keep_the_endpoint_flags() {
        let g = global(Some("http://127.0.0.1:4101"), None);
        assert_eq!(
            with_flags(&g, "Run `cs-account login`, then `cs-account whoami`."),
            "Run `cs-account --api-url http://127.0.0.1:4101 login`, then `cs-account --api-url http://127.0.0.1:4101 whoami`."
        );
        assert_eq!(
            with_flags(&g, "run `cs-account --region eu login`"),
            "run `cs-account --region eu login`",
            "a suggestion naming its endpoint is left alone"
        );
        assert_eq!(
            with_flags(&global(None, Some("eu")), "`cs-account login`"),
            "`cs-account --region eu login`"
        );
        assert_eq!(with_flags(&global(None, None), "`cs-account login`"), "`cs-account login`");
        assert_eq!(shell_word("https://x.example/a b"), "'https://x.example/a b'");
    }

    #[test]
    fn server_refusals_are_one_sentence_per_field() {
        let e = ApiError::Validation {
            status: 422,
            code: Some(119),
            message: "First name can't be blank.".into(),
            errors: [
                ("first_name".to_string(), vec!["can't be blank.".to_string()]),
                (
                    "password".to_string(),
                    vec![
                        "is too short (minimum is 8 characters).".to_string(),
                        "must contain a digit.".to_string(),
                    ],
                ),
            ]
            .into_iter()
            .collect(),
        };
        assert_eq!(
            api_failure(e).message,
            "The server did not accept these values:\n  First name can't be blank.\n  Password is too short (minimum is 8 characters) and must contain a digit."
        );
    }
}
