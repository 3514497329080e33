//! `cs-account login`: email + password, then a 2FA code when the account has 2FA.
//!
//! A login is sent once per attempt and never retried: every repeated attempt counts towards
//! the account's lockout.

use secrecy::SecretString;

use super::prompt::{self, StdinLines};
use super::{Failure, Outcome, client_for, load_config, resolve_endpoint, store};
use crate::api::{ApiError, mask};
use crate::cli::{GlobalArgs, LoginArgs};
use crate::store::StoredSession;

pub async fn login(global: &GlobalArgs, args: LoginArgs) -> Outcome {
    let config = load_config()?;
    let endpoint = resolve_endpoint(global, None, &config)?;
    let client = client_for(global, endpoint.clone())?;
    let email = match args.email {
        Some(e) => e,
        None => prompt::ask("Email")?,
    };
    if email.trim().is_empty() {
        return Err(Failure::usage("An email is needed."));
    }
    let mut stdin = args.password_stdin.then(StdinLines::new);
    let password: SecretString = match stdin.as_mut() {
        Some(lines) => lines.secret("the password")?,
        None => prompt::ask_secret(&format!("Password for {email}"))?,
    };
    eprintln!("Logging in to {} …", endpoint.label());
    let first = client.login(&email, &password, None).await;
    let success = match first {
        Ok(s) => s,
        Err(ApiError::TfaRequired { tfa_type, .. }) => {
            let code =
                tfa_code(&client, &email, &password, tfa_type.as_deref(), args.sms, stdin.as_mut()).await?;
            client.login(&email, &password, Some(&code)).await?
        }
        Err(e) => return Err(e.into()),
    };
    let store = store()?;
    store
        .save(&StoredSession {
            email: success.user.email.clone(),
            endpoint: endpoint.clone(),
            authtoken: success.authtoken.clone(),
        })
        .map_err(|e| Failure::other(format!("Logged in, but the session could not be saved: {e}")))?;
    eprintln!(
        "{} Logged in as {} ({}) on {}. Session token {} saved: {}{}.",
        success.notice,
        success.user.display_name(),
        success.user.email,
        endpoint.label(),
        mask(&success.authtoken),
        store.path().display(),
        if cfg!(feature = "keyring") { " (the token itself in the OS keyring when one runs)" } else { "" }
    );
    Ok(())
}

/// Gets the 2FA code: from `CONTENTSTACK_MFA_SECRET` (as csdx does), stdin, or a prompt; with
/// `--sms` it first asks the server to text one.
async fn tfa_code(
    client: &crate::api::Client,
    email: &str,
    password: &SecretString,
    tfa_type: Option<&str>,
    sms: bool,
    stdin: Option<&mut StdinLines>,
) -> Result<String, Failure> {
    if sms {
        let notice = client.request_sms(email, password).await?;
        eprintln!("{}", if notice.notice.is_empty() { "Security code sent by SMS." } else { &notice.notice });
    } else if let Some(code) = code_from_env_secret()? {
        return Ok(code);
    }
    let code = match stdin {
        Some(lines) => lines.text().ok_or_else(|| {
            Failure::usage(
                "This account needs a 2FA code: put it on the line after the password, or use --sms.",
            )
        })?,
        None => {
            let via = if sms { "from the SMS" } else { "from your authenticator app" };
            let kind = tfa_type.map(|t| format!(" [{t}]")).unwrap_or_default();
            prompt::ask(&format!("Two-factor code {via}{kind}"))?
        }
    };
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(Failure::usage("A 2FA code is 6 digits."));
    }
    Ok(code)
}

/// A TOTP code from `CONTENTSTACK_MFA_SECRET` (base32), the variable csdx reads.
fn code_from_env_secret() -> Result<Option<String>, Failure> {
    let Ok(secret) = std::env::var("CONTENTSTACK_MFA_SECRET") else { return Ok(None) };
    let bytes = totp_rs::Secret::Encoded(secret.trim().to_uppercase())
        .to_bytes()
        .map_err(|_| Failure::usage("CONTENTSTACK_MFA_SECRET is not a base32 secret."))?;
    let totp = totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes);
    let code = totp.generate_current().map_err(|e| Failure::other(format!("System clock: {e}")))?;
    Ok(Some(code))
}
