//! Command-line arguments (clap). The commands themselves live in [`crate::commands`]; with no
//! command, cs-account opens the full-screen app.
//!
//! Secrets never come from arguments (they would show in `ps` and shell history): the authtoken
//! comes from `CONTENTSTACK_AUTHTOKEN` or the stored session, passwords from a prompt or stdin.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// What every command's help ends with.
pub const EXIT_CODES: &str = "\
Exit codes: 0 ok, 1 API or network error, 2 usage (bad flags or values, nothing sent), 3 not logged
in or the session expired (or is for another region or URL).";

/// The top-level help's end: environment variables, files and exit codes.
pub const AFTER_HELP: &str = "\
The full-screen app needs a terminal; `cs-account demo` tries it against a built-in demo server.

Environment variables:
  CONTENTSTACK_AUTHTOKEN   An authtoken to use instead of the stored session (sent to the region or
                           URL you choose; never stored)
  CONTENTSTACK_MFA_SECRET  Base32 TOTP secret that answers the 2FA step of `login` by itself
  CS_ACCOUNT_REGION        Same as --region
  CS_ACCOUNT_API_URL       Same as --api-url
  CS_ACCOUNT_CONFIG_DIR    Where config.toml and the stored session live
  CS_ACCOUNT_STATE_DIR     Where the log and unsaved profile drafts live
  CS_ACCOUNT_LOG           Log level: info (default), debug, trace
  CS_ACCOUNT_LOG_FILE      The log file
  NO_COLOR                 Turns colour off in the full-screen app
  HTTPS_PROXY, NO_PROXY    Proxy settings (never used for loopback)

Several sessions can be stored, one active per region or URL (`status`, `switch`, `logout EMAIL`).
A session is used only with the region or URL it was made on: another --region, --api-url (or
their variables, or config.toml) uses that one's own session, or needs its own `login`. Without
them, commands use the active session used last.

Exit codes: 0 ok, 1 API or network error, 2 usage (bad flags or values, nothing sent), 3 not logged
in or the session expired (or is for another region or URL).";

/// A keyboard-driven terminal account manager for Contentstack users.
///
/// With no command, cs-account opens the full-screen app: log in (password and 2FA, or an
/// authtoken), browse your profile, roles and permissions, edit it, reset a password, activate an
/// account. The commands do the same from scripts.
#[derive(Debug, Parser)]
#[command(
    name = "cs-account",
    version,
    about = "A keyboard-driven terminal account manager for Contentstack users (no command: the full-screen app)",
    after_help = AFTER_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Heading of the options every command takes, apart from each command's own.
const GLOBAL: &str = "Global options";

/// Options every command takes.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Contentstack region: na (default), eu, au, azure-na, azure-eu, gcp-na, gcp-eu (aliases such
    /// as us, aws-eu are accepted).
    #[arg(long, global = true, env = "CS_ACCOUNT_REGION", conflicts_with = "api_url", help_heading = GLOBAL)]
    pub region: Option<String>,
    /// A custom API URL instead of a region, e.g. https://api.example.com (plain http only to
    /// loopback).
    #[arg(long, global = true, env = "CS_ACCOUNT_API_URL", value_name = "URL", help_heading = GLOBAL)]
    pub api_url: Option<String>,
    /// Seconds allowed to open a connection.
    #[arg(long, global = true, default_value_t = 5.0, value_name = "SECS", help_heading = GLOBAL)]
    pub connect_timeout: f64,
    /// Seconds allowed for a whole request.
    #[arg(long, global = true, default_value_t = 30.0, value_name = "SECS", help_heading = GLOBAL)]
    pub timeout: f64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Try cs-account: the full-screen app against a built-in demo server (no account needed).
    #[command(after_help = EXIT_CODES)]
    Demo(DemoArgs),
    /// Serve the demo server alone, for other clients (csdx, the SDKs, scripts).
    #[command(after_help = EXIT_CODES)]
    ServeDemo(ServeDemoArgs),
    /// Log in with email and password (and a 2FA code when the account needs one).
    #[command(after_help = EXIT_CODES)]
    Login(LoginArgs),
    /// Log out: end the session of the chosen region or URL (or the one named, or all of them) on
    /// its server and forget it here.
    #[command(after_help = EXIT_CODES)]
    Logout(LogoutArgs),
    /// List every stored session (email, region or URL, active or not, when created and last
    /// used, how obtained), read offline; `--check` asks each server whether its token is valid.
    /// Exits 0 when the active session of the chosen region or URL is there (and valid, with
    /// `--check`), 3 when not.
    #[command(after_help = EXIT_CODES)]
    Status(StatusArgs),
    /// Make another stored session the active one of its region or URL (and the one commands
    /// use without --region/--api-url). Without EMAIL: the other session, or a numbered choice.
    #[command(after_help = EXIT_CODES)]
    Switch(SwitchArgs),
    /// Print the active session's token for the chosen region or URL on stdout, e.g.
    /// `export CONTENTSTACK_AUTHTOKEN=$(cs-account token)`.
    #[command(after_help = EXIT_CODES)]
    Token,
    /// Show who is logged in, as the server sees it (the token is checked, not just read).
    #[command(after_help = EXIT_CODES)]
    Whoami(JsonArg),
    /// List the stacks you own or share: name, API key, organisation, owner, created date
    /// (`--json`: the API's stack objects). Organisations that sign in with SSO are asked one by
    /// one.
    #[command(after_help = EXIT_CODES)]
    Stacks(JsonArg),
    /// Change your profile: only the fields given are sent, once they pass the same checks as the
    /// app's edit form.
    #[command(after_help = EXIT_CODES)]
    Update(UpdateArgs),
    /// Activate a new account with the token or link from the activation email.
    #[command(after_help = EXIT_CODES)]
    Activate(ActivateArgs),
    /// Ask for a password-reset email.
    #[command(after_help = EXIT_CODES)]
    ForgotPassword(ForgotArgs),
    /// Set a new password with the token from the reset email.
    #[command(after_help = EXIT_CODES)]
    ResetPassword(ResetArgs),
    /// Print a shell completion script.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `cs-account man > cs-account.1`.
    Man(ManArgs),
}

/// Options of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write cs-account.1 and one page per command (cs-account-login.1, …) into this directory
    /// instead of printing cs-account.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Options of the demo server shared by `demo` and `serve-demo`.
#[derive(Debug, Args, Clone)]
pub struct DemoServerArgs {
    /// Added delay for every API answer, in milliseconds (at most 600000, 10 minutes).
    #[arg(long, default_value_t = 0, value_name = "MS", value_parser = clap::value_parser!(u64).range(..=600_000))]
    pub latency: u64,
    /// Share of API requests that fail with 503, from 0 to 1.
    #[arg(long, default_value_t = 0.0, value_name = "F", value_parser = parse_rate)]
    pub fail_rate: f64,
    /// Give john.doe this many generated roles (for scale work).
    #[arg(long, value_name = "N")]
    pub roles: Option<usize>,
    /// Rules per generated role.
    #[arg(long, default_value_t = 5, value_name = "M", requires = "roles")]
    pub rules: usize,
    /// Requests per second allowed from one client before 429; 0 for no limit.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub rate_limit: u32,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub server: DemoServerArgs,
}

#[derive(Debug, Args)]
pub struct ServeDemoArgs {
    /// Address to listen on (loopback unless --public).
    #[arg(long, default_value = "127.0.0.1:4010")]
    pub addr: SocketAddr,
    /// Allow a non-loopback --addr. Anyone who can reach it gets the published demo passwords,
    /// the reset tokens in /demo/outbox and the fault controls in /demo/faults.
    #[arg(long)]
    pub public: bool,
    #[command(flatten)]
    pub server: DemoServerArgs,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The account's email (prompted when missing).
    #[arg(long, short)]
    pub email: Option<String>,
    /// Read the password from the first line of stdin (and a 2FA code from the second, when
    /// asked for one) instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
    /// Have the 2FA code sent by SMS instead of using an authenticator app.
    #[arg(long)]
    pub sms: bool,
    /// Sign in with the browser (OAuth with PKCE): the way in for SSO organisations, whose
    /// password log-in gives no token. Prints the address to open; over SSH, open it anywhere
    /// and paste back the address the browser ends on.
    #[arg(long, conflicts_with_all = ["email", "password_stdin", "sms"])]
    pub oauth: bool,
    /// With --oauth: do not try to open a browser here, only print the address.
    #[arg(long, requires = "oauth")]
    pub no_browser: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Log out this account's session (of the chosen region or URL when it has several).
    #[arg(value_name = "EMAIL", conflicts_with = "all")]
    pub email: Option<String>,
    /// Log out every stored session (only those of --region/--api-url when given), each on its
    /// own server.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args, Clone, Copy)]
pub struct StatusArgs {
    /// Ask each session's server whether its token is still valid (all at once, a short timeout
    /// each).
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub out: JsonArg,
}

#[derive(Debug, Args)]
pub struct SwitchArgs {
    /// The account to switch to (with --region/--api-url when it has sessions on several).
    #[arg(value_name = "EMAIL")]
    pub email: Option<String>,
}

#[derive(Debug, Args, Clone, Copy)]
pub struct JsonArg {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// First name (1 to 64 characters).
    #[arg(long, value_name = "NAME")]
    pub first_name: Option<String>,
    /// Last name (1 to 64 characters).
    #[arg(long, value_name = "NAME")]
    pub last_name: Option<String>,
    /// Company (up to 100 characters; empty removes it).
    #[arg(long)]
    pub company: Option<String>,
    /// Mobile number, 4 to 15 digits (empty removes it).
    #[arg(long, value_name = "DIGITS")]
    pub mobile: Option<String>,
    /// Country calling code, 1 to 4 digits without the + (e.g. 91; empty removes it).
    #[arg(long, value_name = "DIGITS")]
    pub country_code: Option<String>,
    #[command(flatten)]
    pub out: JsonArg,
}

#[derive(Debug, Args)]
pub struct ActivateArgs {
    /// Discouraged (other users can read arguments in `ps`, and shell history keeps them): the
    /// activation token or the whole link from the email. Left out, it is asked for (hidden), or
    /// read from stdin with --stdin.
    #[arg(value_name = "TOKEN_OR_LINK")]
    pub token_or_link: Option<String>,
    /// First name (asked for when missing).
    #[arg(long, value_name = "NAME")]
    pub first_name: Option<String>,
    /// Last name (asked for when missing).
    #[arg(long, value_name = "NAME")]
    pub last_name: Option<String>,
    /// Read the token (or link) and the new password from stdin, one per line, instead of
    /// prompting.
    #[arg(long, conflicts_with = "password_stdin")]
    pub stdin: bool,
    /// Read only the new password from the first line of stdin (the token comes from the
    /// argument).
    #[arg(long)]
    pub password_stdin: bool,
    #[command(flatten)]
    pub out: JsonArg,
}

#[derive(Debug, Args)]
pub struct ForgotArgs {
    /// The account's email address (the answer is the same whether or not it has an account).
    pub email: String,
    #[command(flatten)]
    pub out: JsonArg,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// Read the token (or link) and the new password from stdin, one per line, instead of
    /// prompting.
    #[arg(long)]
    pub stdin: bool,
    #[command(flatten)]
    pub out: JsonArg,
}

fn parse_rate(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("'{s}' is not a number"))?;
    if (0.0..=1.0).contains(&v) { Ok(v) } else { Err("must be between 0 and 1".into()) }
}

/// Where the log file goes unless `CS_ACCOUNT_LOG_FILE` says otherwise.
pub fn default_log_path() -> Option<PathBuf> {
    crate::config::state_dir().map(|d| d.join("cs-account.log"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_argument_is_described() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "cs-account", &mut missing);
        assert!(missing.is_empty(), "arguments without a description: {missing:?}");
    }

    #[test]
    fn region_and_url_conflict() {
        let r = Cli::try_parse_from([
            "cs-account",
            "--region",
            "eu",
            "--api-url",
            "http://127.0.0.1:1",
            "whoami",
        ]);
        assert!(r.is_err());
    }

    #[test]
    fn serve_demo_flags() {
        let c = Cli::try_parse_from([
            "cs-account",
            "serve-demo",
            "--addr",
            "127.0.0.1:4011",
            "--roles",
            "1000",
            "--rules",
            "50",
            "--rate-limit",
            "0",
        ])
        .expect("parses");
        match c.command {
            Some(Command::ServeDemo(a)) => {
                assert_eq!(a.addr.port(), 4011);
                assert_eq!(a.server.roles, Some(1000));
                assert_eq!(a.server.rules, 50);
                assert_eq!(a.server.rate_limit, 0);
            }
            other => panic!("{other:?}"),
        }
        assert!(Cli::try_parse_from(["cs-account", "serve-demo", "--fail-rate", "2"]).is_err());
    }
}
