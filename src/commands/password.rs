//! `activate`, `forgot-password` and `reset-password`: the unauthenticated account flows.
//! None of them is retried: a repeated reset or activation could burn a single-use token.
//!
//! Values are checked before anything is sent, with the rules the app's forms use
//! ([`crate::api::rules`]): a password the server would refuse never leaves the machine.

use secrecy::{ExposeSecret, SecretString};

use super::prompt::{self, StdinLines};
use super::{Failure, Outcome, api_failure, client_for, load_config, out, print_json, resolve_endpoint};
use crate::api::links::token_from_link;
use crate::api::rules::{check_profile_value, field_sentence, password_rule_failures};
use crate::api::{Client, Notice};
use crate::cli::{ActivateArgs, ForgotArgs, GlobalArgs, ResetArgs};

/// Tries a terminal user gets for a new password the rules refuse, before giving up.
const PASSWORD_TRIES: usize = 3;

/// A client for the endpoint asked for, else the stored session's, else NA. No token is sent.
fn client(global: &GlobalArgs) -> Result<Client, Failure> {
    let config = load_config()?;
    let stored = super::store().ok().and_then(|s| s.load().ok().flatten());
    client_for(global, resolve_endpoint(global, stored.as_ref(), &config)?)
}

fn report(notice: Notice, json: bool, fallback: &str) -> Outcome {
    if json {
        return print_json(&notice);
    }
    out(&format!("{}\n", if notice.notice.is_empty() { fallback } else { &notice.notice }))
}

/// What is wrong with a new password, as one sentence; `None` when every rule is met.
pub fn password_problem(pw: &str) -> Option<String> {
    let broken: Vec<&str> = password_rule_failures(pw).iter().map(|r| r.message).collect();
    (!broken.is_empty()).then(|| field_sentence("The new password", &broken))
}

/// Reads a new password twice (or once from stdin), checks it against the rules and that the
/// two match, before anything is sent. On a terminal a refused password is asked for again.
fn new_password(lines: Option<&mut StdinLines>) -> Result<(SecretString, SecretString), Failure> {
    if let Some(lines) = lines {
        let pw = lines.secret("the new password")?;
        if let Some(problem) = password_problem(pw.expose_secret()) {
            return Err(Failure::usage(format!("{problem} Nothing was sent.")));
        }
        return Ok((pw.clone(), pw));
    }
    for _ in 0..PASSWORD_TRIES {
        let pw = prompt::ask_secret("New password")?;
        if let Some(problem) = password_problem(pw.expose_secret()) {
            eprintln!("{problem}");
            continue;
        }
        let again = prompt::ask_secret("New password again")?;
        if pw.expose_secret() != again.expose_secret() {
            return Err(Failure::usage("The two passwords differ. Nothing was sent."));
        }
        return Ok((pw, again));
    }
    Err(Failure::usage("No acceptable password was given. Nothing was sent."))
}

/// A first or last name, from its flag or a prompt, checked like the activation form does.
fn name(given: Option<String>, field: &str, question: &str) -> Result<String, Failure> {
    let value = match given {
        Some(v) => v,
        None => prompt::ask(question)?,
    };
    check_profile_value(field, &value).map_err(|p| {
        let label = crate::api::error::field_label(field);
        Failure::usage(format!("{} Nothing was sent.", field_sentence(&label, &[p.message(field)])))
    })
}

/// The activation token: from stdin (`--stdin`), a hidden prompt, or (discouraged) the argument.
fn activation_token(args: &ActivateArgs, lines: Option<&mut StdinLines>) -> Result<String, Failure> {
    let raw: SecretString = match (&args.token_or_link, lines) {
        (Some(_), Some(_)) => {
            return Err(Failure::usage(
                "Give the activation token either as an argument or on stdin (--stdin), not both.",
            ));
        }
        (Some(arg), None) => {
            eprintln!(
                "cs-account: warning: a token given as an argument can be read by other users of this computer while the command runs (in `ps`), and stays in your shell history. Next time leave it out to be asked for it, or pass it on stdin with --stdin."
            );
            SecretString::from(arg.clone())
        }
        (None, Some(lines)) => lines.secret("the activation token")?,
        (None, None) => prompt::ask_secret("Activation token or link from the email")?,
    };
    token_from_link(raw.expose_secret())
        .ok_or_else(|| Failure::usage("Give the activation token or the link from the email."))
}

pub async fn activate(global: &GlobalArgs, args: ActivateArgs) -> Outcome {
    // --stdin: the token, then the password; --password-stdin: the password alone.
    let mut lines = (args.stdin || args.password_stdin).then(StdinLines::new);
    let token = activation_token(&args, lines.as_mut().filter(|_| args.stdin))?;
    let client = client(global)?;
    let first = name(args.first_name.clone(), "first_name", "First name")?;
    let last = name(args.last_name.clone(), "last_name", "Last name")?;
    let (pw, confirm) = new_password(lines.as_mut())?;
    let notice = client.activate(&token, &first, &last, &pw, &confirm).await.map_err(api_failure)?;
    report(notice, args.out.json, "Your account has been activated. You can log in now.")
}

pub async fn forgot(global: &GlobalArgs, args: ForgotArgs) -> Outcome {
    let client = client(global)?;
    let notice = client.forgot_password(&args.email).await.map_err(api_failure)?;
    let json = args.out.json;
    report(notice, json, "If this email address exists, a reset email is on its way.")?;
    if !json {
        let hint = "The token in the email is valid for 60 minutes. Then run `cs-account reset-password`.";
        eprintln!("{}", super::with_flags(global, hint));
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
    let notice = client.reset_password(&token, &pw, &confirm).await.map_err(api_failure)?;
    report(notice, args.out.json, "Your password has been reset. Log in with the new one.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_problems_are_one_sentence() {
        assert_eq!(password_problem("Demo-pass-1234"), None);
        assert_eq!(
            password_problem("short").as_deref(),
            Some(
                "The new password is too short (minimum is 8 characters), must contain an upper-case letter, must contain a digit and must contain a symbol."
            )
        );
    }
}
