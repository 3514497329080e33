//! `activate`, `forgot-password` and `reset-password`: the unauthenticated account flows.
//! None of them is retried: a repeated reset or activation could burn a single-use token.

use secrecy::{ExposeSecret, SecretString};

use super::prompt::{self, StdinLines};
use super::{Failure, Outcome, client_for, load_config, out, print_json, resolve_endpoint};
use crate::api::links::token_from_link;
use crate::api::{ApiError, Client, Notice};
use crate::cli::{ActivateArgs, ForgotArgs, GlobalArgs, ResetArgs};

fn client(global: &GlobalArgs) -> Result<Client, Failure> {
    let config = load_config()?;
    client_for(global, resolve_endpoint(global, None, &config)?)
}

fn report(notice: Notice, json: bool, fallback: &str) -> Outcome {
    if json {
        return print_json(&notice);
    }
    out(&format!("{}\n", if notice.notice.is_empty() { fallback } else { &notice.notice }))
}

/// Field messages from a 422, each on its own line, before the summary.
fn with_fields(e: ApiError) -> Failure {
    let fields = e.field_errors();
    if fields.is_empty() {
        return e.into();
    }
    let mut msg = String::from("The server did not accept these values:");
    for (field, msgs) in fields {
        msg.push_str(&format!("\n  {}: {}", crate::api::error::field_label(&field), msgs.join(", ")));
    }
    Failure::other(msg)
}

/// Reads a new password twice (or once from stdin) and checks the two match before sending.
fn new_password(lines: Option<&mut StdinLines>) -> Result<(SecretString, SecretString), Failure> {
    match lines {
        Some(lines) => {
            let pw = lines.secret("the new password")?;
            Ok((pw.clone(), pw))
        }
        None => {
            let pw = prompt::ask_secret("New password")?;
            let again = prompt::ask_secret("New password again")?;
            if pw.expose_secret() != again.expose_secret() {
                return Err(Failure::usage("The two passwords differ. Nothing was sent."));
            }
            Ok((pw, again))
        }
    }
}

pub async fn activate(global: &GlobalArgs, args: ActivateArgs) -> Outcome {
    let token = token_from_link(&args.token_or_link)
        .ok_or_else(|| Failure::usage("Give the activation token or the link from the email."))?;
    let client = client(global)?;
    let first = match args.first_name {
        Some(f) => f,
        None => prompt::ask("First name")?,
    };
    let last = match args.last_name {
        Some(l) => l,
        None => prompt::ask("Last name")?,
    };
    let mut lines = args.password_stdin.then(StdinLines::new);
    let (pw, confirm) = new_password(lines.as_mut())?;
    let notice = client.activate(&token, &first, &last, &pw, &confirm).await.map_err(with_fields)?;
    report(notice, args.out.json, "Your account has been activated. You can log in now.")
}

pub async fn forgot(global: &GlobalArgs, args: ForgotArgs) -> Outcome {
    let client = client(global)?;
    let notice = client.forgot_password(&args.email).await.map_err(with_fields)?;
    let json = args.out.json;
    report(notice, json, "If this email address exists, a reset email is on its way.")?;
    if !json {
        eprintln!("The token in the email is valid for 60 minutes. Then run `cs-account reset-password`.");
    }
    Ok(())
}

pub async fn reset(global: &GlobalArgs, args: ResetArgs) -> Outcome {
    let client = client(global)?;
    let mut lines = args.stdin.then(StdinLines::new);
    let raw = match lines.as_mut() {
        Some(l) => l.secret("the reset token")?,
        None => prompt::ask_secret("Reset token or link from the email")?,
    };
    let token = token_from_link(raw.expose_secret())
        .map(SecretString::from)
        .ok_or_else(|| Failure::usage("Give the reset token or the link from the email."))?;
    let (pw, confirm) = new_password(lines.as_mut())?;
    let notice = client.reset_password(&token, &pw, &confirm).await.map_err(with_fields)?;
    report(notice, args.out.json, "Your password has been reset. Log in with the new one.")
}
