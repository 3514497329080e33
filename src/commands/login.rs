//! `cs-account login`: email + password, then a 2FA code when the account has 2FA.
//!
//! A login is sent once per attempt and never retried: every repeated attempt counts towards
//! the account's lockout.

use secrecy::SecretString;

use super::prompt::{self, StdinLines};
use super::{Failure, Outcome, client_for, load_config, resolve_endpoint, store};
use crate::api::oauth::RedirectError;
use crate::api::{ApiError, mask};
use crate::cli::{GlobalArgs, LoginArgs};
use crate::store::StoredSession;

pub async fn login(global: &GlobalArgs, args: LoginArgs) -> Outcome {
    if args.oauth {
        return login_oauth(global, args).await;
    }
    let Start { store, endpoint, before, client, .. } = start(global)?;
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
    let new = StoredSession::with_authtoken(
        success.user.email.clone(),
        endpoint.clone(),
        success.authtoken.clone(),
    );
    if let Err(e) = store.save(&new) {
        // A session nobody can use again must not stay valid on the server.
        let ended = match client.logout(&success.authtoken).await {
            Ok(_) => "It was logged out on the server again, so no usable token is left behind.".to_string(),
            Err(le) => format!(
                "It could not be logged out on the server either ({}), so it stays valid there until it expires.",
                le.user_message()
            ),
        };
        return Err(Failure::other(format!("Logged in, but the session could not be saved: {e} {ended}")));
    }
    // Where the token went: the keyring is named only when it holds it (a machine without one
    // falls back to the file, which is not the user's concern).
    let in_keyring = store
        .list()
        .ok()
        .and_then(|all| {
            all.into_iter().find(|s| s.endpoint == new.endpoint && s.email.eq_ignore_ascii_case(&new.email))
        })
        .is_some_and(|s| s.in_keyring);
    eprintln!(
        "{} Logged in as {} ({}) on {}. Session token {} saved: {}{}.",
        success.notice,
        success.user.display_name(),
        success.user.email,
        endpoint.label(),
        mask(&success.authtoken),
        store.path().display(),
        if in_keyring { " (the token itself in the OS keyring)" } else { "" }
    );
    report_others(&before, &new);
    Ok(())
}

/// The sessions a log-in leaves as they were: the one it took the place of as the endpoint's
/// active session is named, with how to get back to it.
fn report_others(before: &[crate::store::SessionInfo], new: &StoredSession) {
    if let Some(prev) = before
        .iter()
        .find(|s| s.active && s.endpoint == new.endpoint && !s.email.eq_ignore_ascii_case(&new.email))
    {
        eprintln!(
            "{} stays stored: `cs-account switch {}` makes it active again.",
            prev.who(),
            super::shell_word(&prev.email)
        );
    }
    let others = before
        .iter()
        .filter(|s| !(s.endpoint == new.endpoint && s.email.eq_ignore_ascii_case(&new.email)))
        .count();
    if others > 0 {
        eprintln!("Stored sessions: {} (`cs-account status` lists them).", others + 1);
    }
}

/// What every log-in starts from.
struct Start {
    config: crate::config::Config,
    store: crate::store::SessionStore,
    endpoint: crate::api::Endpoint,
    /// The sessions stored before it, to say which ones it leaves as they were.
    before: Vec<crate::store::SessionInfo>,
    client: crate::api::Client,
}

fn start(global: &GlobalArgs) -> Result<Start, super::Failure> {
    let config = load_config()?;
    let store = store()?;
    // The active session used last decides the endpoint when none is asked for (unreadable
    // counts as none: a log-in replaces a file it cannot trust).
    let latest = store.load().ok().flatten();
    let endpoint = resolve_endpoint(global, latest.as_ref(), &config)?;
    let before = store.list().unwrap_or_default();
    let client = client_for(global, endpoint.clone())?;
    Ok(Start { config, store, endpoint, before, client })
}

/// `cs-account login --oauth`: browser sign-in. The address is always printed (and opened in a
/// browser when one can be); the code comes back through the listener on 127.0.0.1, or is
/// pasted on stdin (the address the browser ended on, or the code), whichever comes first.
async fn login_oauth(global: &GlobalArgs, args: LoginArgs) -> Outcome {
    use crate::api::signin::{self, BrowserSignIn};
    let Start { config, store, endpoint, before, client } = start(global)?;
    let settings = config.oauth_settings().map_err(Failure::usage)?;
    let sign_in = BrowserSignIn::new(&endpoint, settings);
    let listener = sign_in.listen().await;
    eprintln!("Sign in to {} in a browser, at:\n\n  {}\n", endpoint.label(), sign_in.url);
    if !args.no_browser {
        match signin::open_browser(&sign_in.url) {
            Ok(()) => eprintln!("A browser was opened with it."),
            Err(why) => eprintln!("{why}: open it on any device."),
        }
    }
    match &listener {
        Ok(_) => eprintln!(
            "Waiting for the browser (up to {} minutes). Where the browser cannot reach this computer (SSH), paste the address it ends on, or the code, and press Enter.",
            signin::WAIT.as_secs() / 60
        ),
        Err(e) => eprintln!("{e}"),
    }
    let mut codes = Codes::new(listener.ok(), stdin_lines());
    let deadline = tokio::time::Instant::now() + signin::WAIT;
    let cred = loop {
        let (code, pasted) = codes.next(&sign_in, deadline).await?;
        eprintln!("Signing in …");
        match sign_in.credential(&client, &code).await {
            Ok(cred) => break cred,
            // A mistyped paste costs nothing: the browser (or another paste) can still come.
            Err(e @ ApiError::Rejected { .. }) if pasted => {
                eprintln!("{} Paste it again, or wait for the browser.", e.user_message())
            }
            Err(e) => return Err(e.into()),
        }
    };
    let user = client.get_user(&cred, Default::default()).await?;
    let new = StoredSession::of(user.email.clone(), endpoint.clone(), &cred);
    if let Err(e) = store.save_as(&new, crate::store::Obtained::Browser) {
        // Nobody could use this sign-in again: its authorization must not stay behind.
        let ended = match client.end_session(&cred).await {
            Ok(_) => "Its authorization was revoked again.".to_string(),
            Err(le) => format!("Its authorization could not be revoked either ({}).", le.user_message()),
        };
        return Err(Failure::other(format!("Signed in, but the session could not be saved: {e} {ended}")));
    }
    eprintln!(
        "Signed in with the browser as {} ({}) on {}. Access token {} saved: {}.",
        user.display_name(),
        user.email,
        endpoint.label(),
        cred.masked(),
        store.path().display()
    );
    report_others(&before, &new);
    Ok(())
}

/// Lines typed on stdin, read on a thread of their own (a blocking read must not hold the
/// runtime, and the thread ends with the process).
fn stdin_lines() -> tokio::sync::mpsc::UnboundedReceiver<String> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Where a sign-in's code can come from: the listener (once), and lines pasted on stdin.
struct Codes {
    browser: std::pin::Pin<Box<dyn Future<Output = Result<String, RedirectError>> + Send>>,
    pasted: tokio::sync::mpsc::UnboundedReceiver<String>,
}

impl Codes {
    fn new(
        listener: Option<crate::api::redirect::RedirectListener>,
        pasted: tokio::sync::mpsc::UnboundedReceiver<String>,
    ) -> Self {
        let browser = Box::pin(async move {
            match listener {
                Some(l) => l.wait().await,
                None => std::future::pending().await,
            }
        });
        Codes { browser, pasted }
    }

    /// The next code, whichever comes first: the browser's, or one in a pasted line (`true`);
    /// a line without one says why and the wait goes on, a denial ends it. Gives up at
    /// `deadline`.
    async fn next(
        &mut self,
        sign_in: &crate::api::signin::BrowserSignIn,
        deadline: tokio::time::Instant,
    ) -> Result<(String, bool), Failure> {
        let pasted = &mut self.pasted;
        let typed = async {
            loop {
                let Some(line) = pasted.recv().await else { return std::future::pending().await };
                if line.trim().is_empty() {
                    continue;
                }
                match sign_in.code_from(&line) {
                    Ok(code) => return Ok(code),
                    Err(e @ RedirectError::Denied(_)) => return Err(e),
                    Err(e) => eprintln!("{e}"),
                }
            }
        };
        let outcome = tokio::select! {
            got = &mut self.browser => {
                // The listener answers once; what follows can only be pasted.
                self.browser = Box::pin(std::future::pending());
                got.map(|code| (code, false))
            }
            got = typed => got.map(|code| (code, true)),
            () = tokio::time::sleep_until(deadline) => {
                return Err(Failure::other("No sign-in came back within 5 minutes. Run `cs-account login --oauth` again."));
            }
        };
        outcome.map_err(|e| Failure::other(e.to_string()))
    }
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
        Some(lines) => lines.text().ok_or_else(|| Failure::usage(missing_code_message(sms)))?,
        None => {
            let via = if sms || tfa_type.is_some_and(|t| t.contains("sms")) {
                "from the SMS"
            } else {
                "from your authenticator app"
            };
            prompt::ask(&format!("Two-factor code {via}"))?
        }
    };
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(Failure::usage("A 2FA code is 6 digits."));
    }
    Ok(code)
}

/// What to do when stdin ended where the 2FA code should be.
fn missing_code_message(sms: bool) -> &'static str {
    if sms {
        "The code was sent by SMS, but stdin ended before it. With --password-stdin, write the code on the line after the password once it arrives (stdin is read again after the SMS is sent), or run `cs-account login --sms` without --password-stdin to be asked for it."
    } else {
        "This account needs a 2FA code: put it on the line after the password, set CONTENTSTACK_MFA_SECRET to the account's TOTP secret, or use --sms and write the texted code on that line."
    }
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
