//! The stored sessions from a shell: `status`, `switch`, `token` and `logout`, in the manner of
//! `gh auth`. Several sessions can be stored, one active per endpoint; commands use the active
//! session of the endpoint asked for (flags, environment, `config.toml`), else the active
//! session used last. A token only ever goes to the endpoint its session is for.

use std::io::IsTerminal;

use secrecy::ExposeSecret;

use super::{
    Failure, Outcome, authed, client_for, env_token, load_config, out, print_json, prompt,
    requested_endpoint, store, stored_session,
};
use crate::api::{ApiError, Endpoint};
use crate::cli::{GlobalArgs, LogoutArgs, StatusArgs, SwitchArgs};
use crate::store::{SessionInfo, SessionStore};

/// What `--check` found out about one session (the same check as the app's account switcher).
use crate::api::check::TokenCheck as Validity;

/// `cs-account status`: every stored session, read offline; `--check` asks each server.
pub async fn status(global: &GlobalArgs, args: StatusArgs) -> Outcome {
    let config = load_config()?;
    let requested = requested_endpoint(global, &config)?;
    let store = store()?;
    let sessions = store.list().map_err(|e| Failure::not_logged_in(e.to_string()))?;
    // The endpoint commands use now: the one asked for, else the active session used last.
    let chosen = requested.clone().or_else(|| {
        sessions.iter().filter(|s| s.active).max_by_key(|s| s.last_used).map(|s| s.endpoint.clone())
    });
    let validity = if args.check { Some(check_all(global, &store, &sessions).await) } else { None };
    if args.out.json {
        print_json(&status_json(&sessions, validity.as_deref(), chosen.as_ref()))?;
    } else if !sessions.is_empty() {
        out(&status_text(&sessions, validity.as_deref(), chosen.as_ref()))?;
    }
    if env_token().is_some() {
        eprintln!("CONTENTSTACK_AUTHTOKEN is set: the other commands use it instead of these sessions.");
    }
    let Some(chosen) = chosen else {
        return Err(Failure::not_logged_in("No stored sessions. Run `cs-account login`."));
    };
    let Some(i) = sessions.iter().position(|s| s.active && s.endpoint == chosen) else {
        return Err(Failure::not_logged_in(format!(
            "No session for {}. Run `cs-account {} login`.",
            chosen.name(),
            chosen.flag()
        )));
    };
    match validity.as_ref().map(|v| &v[i]) {
        None | Some(Validity::Valid) => Ok(()),
        Some(Validity::Expired) => Err(Failure::not_logged_in(format!(
            "The active session of {} has expired or was logged out elsewhere. Run `cs-account {} login`.",
            sessions[i].who(),
            chosen.flag()
        ))),
        Some(Validity::Unknown(why)) => {
            Err(Failure::other(format!("Could not check the active session of {}: {why}", sessions[i].who())))
        }
    }
}

/// Asks every session's server about its token, all at once, each with a short timeout.
async fn check_all(global: &GlobalArgs, store: &SessionStore, sessions: &[SessionInfo]) -> Vec<Validity> {
    let quick = GlobalArgs {
        timeout: global.timeout.min(crate::api::check::CHECK_TIMEOUT.as_secs_f64()),
        connect_timeout: global.connect_timeout.min(crate::api::check::CHECK_CONNECT_TIMEOUT.as_secs_f64()),
        ..global.clone()
    };
    let checks = sessions.iter().map(|s| {
        let stored = store.load_one(&s.endpoint, &s.email);
        let quick = &quick;
        async move {
            let stored = match stored {
                Ok(Some(stored)) => stored,
                Ok(None) => return Validity::Unknown("it is no longer stored".into()),
                Err(e) => return Validity::Unknown(e.to_string()),
            };
            // Its own endpoint, never another.
            let client = match client_for(quick, stored.endpoint.clone()) {
                Ok(client) => client,
                Err(f) => return Validity::Unknown(f.message),
            };
            crate::api::check::check_token(&client, &stored.credential(Some(store))).await
        }
    });
    futures::future::join_all(checks).await
}

fn time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn obtained(s: &SessionInfo) -> &'static str {
    s.obtained.describe()
}

/// One block per endpoint, one line per session, the active one marked `*`:
///
/// ```text
/// EU · AWS Europe  (used without --region/--api-url)
///   * jane@example.com  active, valid
///       logged in with a password · created 2026-12-04 23:00 UTC · last used 2026-12-04 23:10 UTC
/// ```
fn status_text(sessions: &[SessionInfo], validity: Option<&[Validity]>, chosen: Option<&Endpoint>) -> String {
    let mut endpoints: Vec<&Endpoint> = Vec::new();
    for s in sessions {
        if !endpoints.contains(&&s.endpoint) {
            endpoints.push(&s.endpoint);
        }
    }
    let mut text = String::new();
    for endpoint in endpoints {
        let note = if Some(endpoint) == chosen { "  (the one commands use now)" } else { "" };
        text.push_str(&format!("{}{note}\n", endpoint.label()));
        for (i, s) in sessions.iter().enumerate().filter(|(_, s)| s.endpoint == *endpoint) {
            let mut state = Vec::new();
            if s.active {
                state.push("active".to_string());
            }
            match validity.map(|v| &v[i]) {
                Some(Validity::Valid) => state.push("valid".into()),
                Some(Validity::Expired) => state.push("EXPIRED (log in again)".into()),
                Some(Validity::Unknown(why)) => state.push(format!("not checked: {why}")),
                None => {}
            }
            let mark = if s.active { '*' } else { '-' };
            text.push_str(&format!("  {mark} {}  {}\n", s.email, state.join(", ")).replace("  \n", "\n"));
            text.push_str(&format!(
                "      {} · created {} · last used {}{}\n",
                obtained(s),
                time(&s.created_at),
                time(&s.last_used),
                if s.in_keyring { " · token in the OS keyring" } else { "" }
            ));
        }
    }
    text
}

fn status_json(
    sessions: &[SessionInfo],
    validity: Option<&[Validity]>,
    chosen: Option<&Endpoint>,
) -> serde_json::Value {
    let list: Vec<serde_json::Value> = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut v = serde_json::json!({
                "email": s.email,
                "endpoint": s.endpoint.id(),
                "endpoint_name": s.endpoint.name(),
                "active": s.active,
                "created_at": s.created_at.to_rfc3339(),
                "last_used": s.last_used.to_rfc3339(),
                "obtained": s.obtained.word(),
                "token_in": if s.in_keyring { "keyring" } else { "file" },
            });
            if let Some(validity) = validity {
                let (valid, error) = match &validity[i] {
                    Validity::Valid => (Some(true), None),
                    Validity::Expired => (Some(false), None),
                    Validity::Unknown(why) => (None, Some(why.clone())),
                };
                v["valid"] = serde_json::json!(valid);
                if let Some(error) = error {
                    v["check_error"] = serde_json::json!(error);
                }
            }
            v
        })
        .collect();
    serde_json::json!({
        "endpoint": chosen.map(Endpoint::id),
        "env_token": env_token().is_some(),
        "sessions": list,
    })
}

/// `cs-account switch [EMAIL]`: makes another stored session the active one of its endpoint,
/// and the one used last (so commands without --region/--api-url use it). Offline.
pub fn switch(global: &GlobalArgs, args: SwitchArgs) -> Outcome {
    let config = load_config()?;
    let requested = requested_endpoint(global, &config)?;
    let store = store()?;
    let sessions = store.list().map_err(|e| Failure::not_logged_in(e.to_string()))?;
    if sessions.is_empty() {
        return Err(Failure::not_logged_in("No stored sessions. Run `cs-account login`."));
    }
    let here: Vec<&SessionInfo> =
        sessions.iter().filter(|s| requested.as_ref().is_none_or(|r| s.endpoint == *r)).collect();
    let candidates: Vec<&SessionInfo> = match &args.email {
        Some(email) => here.iter().copied().filter(|s| s.email.eq_ignore_ascii_case(email.trim())).collect(),
        None => {
            // Away from the session in use now: the active one of the endpoint asked for, else
            // the active one used last.
            let current = here.iter().copied().filter(|s| s.active).max_by_key(|s| s.last_used);
            here.iter().copied().filter(|s| Some(*s) != current).collect()
        }
    };
    let target = match candidates.as_slice() {
        [] => return Err(Failure::not_logged_in(nothing_to_switch_to(&args, requested.as_ref()))),
        [one] => *one,
        many if prompt::interactive() => choose(many)?,
        many => return Err(Failure::usage(ambiguous("switch", many))),
    };
    let found = store.activate(&target.endpoint, &target.email).map_err(|e| Failure::other(e.to_string()))?;
    if !found {
        return Err(Failure::not_logged_in(format!("The session of {} is no longer stored.", target.who())));
    }
    eprintln!(
        "Switched to {} on {}: the active session there, and the one commands use without --region/--api-url.",
        target.email,
        target.endpoint.label()
    );
    Ok(())
}

fn nothing_to_switch_to(args: &SwitchArgs, requested: Option<&Endpoint>) -> String {
    let place = requested.map(|r| format!(" on {}", r.name())).unwrap_or_default();
    match &args.email {
        Some(email) => format!(
            "No stored session of {email}{place}. `cs-account status` lists the sessions; `cs-account login --email {email}` adds one."
        ),
        None => format!("Nothing to switch to: no other stored session{place}. `cs-account login` adds one."),
    }
}

/// Several sessions fit and nobody is at a terminal to choose: the command for each.
fn ambiguous(command: &str, many: &[&SessionInfo]) -> String {
    let mut msg = String::from("Several stored sessions fit; name one:");
    for s in many {
        msg.push_str(&format!(
            "\n  cs-account {} {command} {}",
            s.endpoint.flag(),
            super::shell_word(&s.email)
        ));
    }
    msg
}

/// A numbered choice on the terminal.
fn choose<'a>(many: &[&'a SessionInfo]) -> Result<&'a SessionInfo, Failure> {
    for (n, s) in many.iter().enumerate() {
        let active = if s.active { " (active)" } else { "" };
        eprintln!("  {}. {}{active}", n + 1, s.who());
    }
    let answer = prompt::ask(&format!("Switch to [1-{}]", many.len()))?;
    answer
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|n| many.get(n).copied())
        .ok_or_else(|| Failure::usage(format!("'{}' is not one of 1 to {}.", answer.trim(), many.len())))
}

/// `cs-account token`: the active token of the chosen endpoint on stdout, for scripts. Never
/// logged; on a terminal, a warning goes to stderr first.
pub fn token(global: &GlobalArgs) -> Outcome {
    let config = load_config()?;
    let requested = requested_endpoint(global, &config)?;
    let (store, stored) = stored_session(requested.as_ref())?;
    if std::io::stdout().is_terminal() {
        eprintln!(
            "cs-account: warning: this is the session token of {} on {}; anyone who sees it can act as you until it expires. In scripts: export CONTENTSTACK_AUTHTOKEN=$(cs-account token)",
            stored.email,
            stored.endpoint.name()
        );
    }
    let Some(token) = stored.authtoken() else {
        return Err(Failure::other(format!(
            "{} on {} signed in with the browser: that session has no authtoken to print (its access token lasts an hour and cs-account refreshes it). Use cs-account itself, or log in with a password or a pasted token for scripts.",
            stored.email,
            stored.endpoint.name()
        )));
    };
    store.touch(&stored.endpoint, &stored.email);
    let mut line = format!("{}\n", token.expose_secret());
    let written = out(&line);
    zeroize::Zeroize::zeroize(&mut line);
    written
}

/// `cs-account logout [--all | EMAIL]`: ends sessions on their own servers, then forgets them
/// here (also when the server call failed: the token is not kept for a session the user ended).
pub async fn logout(global: &GlobalArgs, args: LogoutArgs) -> Outcome {
    if !args.all && args.email.is_none() {
        return logout_current(global).await;
    }
    let config = load_config()?;
    let store = store()?;
    let sessions = store.list().map_err(|e| Failure::not_logged_in(e.to_string()))?;
    let targets: Vec<SessionInfo> = if args.all {
        // Only an endpoint named on the command line (or its variable) narrows `--all`.
        let named = if global.api_url.is_some() || global.region.is_some() {
            requested_endpoint(global, &config)?
        } else {
            None
        };
        sessions.into_iter().filter(|s| named.as_ref().is_none_or(|n| s.endpoint == *n)).collect()
    } else {
        let requested = requested_endpoint(global, &config)?;
        let email = args.email.as_deref().unwrap_or_default().trim();
        let fit: Vec<SessionInfo> = sessions
            .into_iter()
            .filter(|s| s.email.eq_ignore_ascii_case(email))
            .filter(|s| requested.as_ref().is_none_or(|r| s.endpoint == *r))
            .collect();
        if fit.len() > 1 {
            return Err(Failure::usage(ambiguous("logout", &fit.iter().collect::<Vec<_>>())));
        }
        fit
    };
    if targets.is_empty() {
        return Err(Failure::not_logged_in("No stored session to log out (`cs-account status` lists them)."));
    }
    let ends = targets.iter().map(|s| end_one(global, &store, s));
    let results = futures::future::join_all(ends).await;
    let mut failed = Vec::new();
    for (s, result) in targets.iter().zip(results) {
        match result {
            Ok(()) => eprintln!("Logged out {}.", s.who()),
            Err(why) => {
                eprintln!("{}: {why}", s.who());
                failed.push(s.who());
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::other(format!("Not every session ended cleanly: {}.", failed.join(", "))))
    }
}

/// Ends one stored session on its own server and forgets it here.
async fn end_one(global: &GlobalArgs, store: &SessionStore, s: &SessionInfo) -> Result<(), String> {
    let stored = store.load_one(&s.endpoint, &s.email);
    let server = match &stored {
        Ok(Some(session)) => match client_for(global, session.endpoint.clone()) {
            Ok(client) => match client.end_session(&session.clone().credential(Some(store))).await {
                // Already ended there: nothing is left to end.
                Ok(_) | Err(ApiError::Unauthorized { .. }) => Ok(()),
                Err(e) => Err(format!("the server could not end the session: {}", e.user_message())),
            },
            Err(f) => Err(f.message),
        },
        Ok(None) => Ok(()),
        Err(e) => Err(format!("its token could not be read ({e})")),
    };
    let forgotten = store.remove(&s.endpoint, &s.email);
    match (server, forgotten) {
        (Ok(()), Ok(_)) => Ok(()),
        (Err(why), Ok(_)) => {
            Err(format!("{why}; forgotten here anyway, it stays valid there until it expires."))
        }
        (_, Err(e)) => Err(format!("could not forget the stored session: {e}")),
    }
}

/// Plain `logout`: the session of the chosen endpoint (or the `CONTENTSTACK_AUTHTOKEN` token).
async fn logout_current(global: &GlobalArgs) -> Outcome {
    let ctx = authed(global)?;
    let server = ctx.client.end_session(&ctx.cred).await;
    let forgotten = match &ctx.email {
        None => Ok(false),
        Some(email) => store()?.remove(ctx.client.endpoint(), email),
    };
    match (server, forgotten) {
        (Ok(notice), Ok(_)) => {
            eprintln!("{}", if notice.notice.is_empty() { "Logged out." } else { &notice.notice });
            if ctx.email.is_none() {
                eprintln!("The token came from CONTENTSTACK_AUTHTOKEN; unset it too.");
            }
            Ok(())
        }
        (Err(e), Ok(deleted)) => Err(Failure::other(format!(
            "The server could not end the session: {}{}",
            e.user_message(),
            if deleted { " The stored session was deleted here anyway." } else { "" }
        ))),
        (_, Err(e)) => Err(Failure::other(format!("Could not forget the stored session: {e}"))),
    }
}
