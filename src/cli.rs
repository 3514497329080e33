//! Command-line arguments (clap). The commands themselves live in [`crate::commands`]; with no
//! command, cs-account opens the full-screen app.
//!
//! Secrets never come from arguments (they would show in `ps` and shell history): the authtoken
//! comes from `CONTENTSTACK_AUTHTOKEN` or the stored session, passwords from a prompt or stdin.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// A keyboard-driven terminal account manager for Contentstack users.
#[derive(Debug, Parser)]
#[command(name = "cs-account", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command takes.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Contentstack region: na (default), eu, au, azure-na, azure-eu, gcp-na, gcp-eu (aliases such
    /// as us, aws-eu are accepted).
    #[arg(long, global = true, env = "CS_ACCOUNT_REGION", conflicts_with = "api_url")]
    pub region: Option<String>,
    /// A custom API URL instead of a region, e.g. https://api.example.com (plain http only to
    /// loopback).
    #[arg(long, global = true, env = "CS_ACCOUNT_API_URL", value_name = "URL")]
    pub api_url: Option<String>,
    /// Seconds allowed to open a connection.
    #[arg(long, global = true, default_value_t = 5.0, value_name = "SECS")]
    pub connect_timeout: f64,
    /// Seconds allowed for a whole request.
    #[arg(long, global = true, default_value_t = 30.0, value_name = "SECS")]
    pub timeout: f64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Try cs-account: the full-screen app against a built-in demo server (no account needed).
    Demo(DemoArgs),
    /// Serve the demo server alone, for other clients (csdx, the SDKs, scripts).
    ServeDemo(ServeDemoArgs),
    /// Log in with email and password (and a 2FA code when the account needs one).
    Login(LoginArgs),
    /// Log out: end the session on the server and forget it here.
    Logout,
    /// Show who is logged in, as the server sees it (the token is checked, not just read).
    Whoami(JsonArg),
    /// Change your profile: only the fields given are sent.
    Update(UpdateArgs),
    /// Activate a new account with the token or link from the activation email.
    Activate(ActivateArgs),
    /// Ask for a password-reset email.
    ForgotPassword(ForgotArgs),
    /// Set a new password with the token from the reset email.
    ResetPassword(ResetArgs),
    /// Print a shell completion script.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
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
}

#[derive(Debug, Args, Clone, Copy)]
pub struct JsonArg {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[arg(long, value_name = "NAME")]
    pub first_name: Option<String>,
    #[arg(long, value_name = "NAME")]
    pub last_name: Option<String>,
    #[arg(long)]
    pub company: Option<String>,
    /// Mobile number, digits only.
    #[arg(long, value_name = "DIGITS")]
    pub mobile: Option<String>,
    /// Country calling code, digits only (e.g. 91).
    #[arg(long, value_name = "DIGITS")]
    pub country_code: Option<String>,
    #[command(flatten)]
    pub out: JsonArg,
}

#[derive(Debug, Args)]
pub struct ActivateArgs {
    /// The activation token, or the whole link from the email.
    pub token_or_link: String,
    #[arg(long, value_name = "NAME")]
    pub first_name: Option<String>,
    #[arg(long, value_name = "NAME")]
    pub last_name: Option<String>,
    /// Read the new password from the first line of stdin instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
    #[command(flatten)]
    pub out: JsonArg,
}

#[derive(Debug, Args)]
pub struct ForgotArgs {
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
