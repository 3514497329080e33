//! Every client call against the real demo server over loopback: the two sides are written
//! separately, so this is where a disagreement about the wire would show.

use std::error::Error;
use std::time::Duration;

use cs_account::api::outbox::{OutboxKind, OutboxMessage, OutboxStatus};
use cs_account::api::{
    ApiError, Client, ClientConfig, Endpoint, GetUserOptions, RetryPolicy, TransportKind, UserUpdate,
    token_from_link,
};
use cs_account::demo::{
    CODE_NOT_ACTIVATED, DEMO_LOGINS, DemoOptions, DemoServer, FaultAnswer, Faults, MAX_FAILED_ATTEMPTS,
    RouteFault, TFA_SECRET,
};
use secrecy::SecretString;
use totp_rs::{Algorithm, Secret, TOTP};

type TestResult = Result<(), Box<dyn Error>>;

const JOHN: &str = "john.doe@example.com";
const TFA_USER: &str = "tfa.user@example.com";
const NEW_USER: &str = "new.user@example.com";

async fn start() -> Result<(DemoServer, Client), Box<dyn Error>> {
    let server = DemoServer::start(DemoOptions { rate_limit: 0, ..Default::default() }).await?;
    let mut cfg = ClientConfig::new(Endpoint::custom(&server.base_url())?);
    cfg.retry = RetryPolicy { base_delay: Duration::from_millis(5), ..RetryPolicy::default() };
    Ok((server, Client::new(cfg)?))
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s)
}

/// The seeded password of a demo account.
fn password_of(email: &str) -> Result<SecretString, Box<dyn Error>> {
    let login = DEMO_LOGINS.iter().find(|l| l.email == email).ok_or(format!("{email} is not seeded"))?;
    Ok(secret(login.password))
}

/// The newest outbox message of this kind to this address.
fn last_message(server: &DemoServer, kind: OutboxKind, to: &str) -> Result<OutboxMessage, Box<dyn Error>> {
    let found = server.outbox().into_iter().rev().find(|m| m.kind == kind && m.to.contains(to));
    Ok(found.ok_or(format!("no {kind} message to {to} in the outbox"))?)
}

/// The TOTP code the demo server expects now: by its clock, not the machine's.
fn totp_code(server: &DemoServer, offset_steps: i64) -> Result<String, Box<dyn Error>> {
    let totp = TOTP::new(Algorithm::SHA1, 6, 1, 30, Secret::Encoded(TFA_SECRET.into()).to_bytes()?)?;
    let secs = u64::try_from(server.now().timestamp() + offset_steps * 30)?;
    Ok(totp.generate(secs))
}

#[tokio::test]
async fn log_in_read_update_log_out() -> TestResult {
    let (_server, c) = start().await?;
    let ok = c.login(JOHN, &password_of(JOHN)?, None).await?;
    assert_eq!(ok.user.email, JOHN);
    assert!(!ok.notice.is_empty());
    let token = ok.authtoken;

    let user = c.get_user(&token, GetUserOptions::full()).await?;
    assert!(!user.roles.is_empty(), "john.doe has stack roles");
    let orgs = user.organizations.as_ref().ok_or("organisations were asked for")?;
    assert!(orgs.iter().any(|o| o.org_roles.iter().any(|r| r.admin == Some(true))), "{orgs:?}");
    assert!(user.authtoken.is_some(), "GET /user returns the token");

    let draft = UserUpdate { company: Some("Doe Digital Ltd".into()), ..Default::default() };
    let updated = c.update_user(&token, &draft.changes_from(&user)).await?;
    assert_eq!(updated.user.company.as_deref(), Some("Doe Digital Ltd"));
    assert!(!updated.notice.is_empty());
    let again = c.get_user(&token, GetUserOptions::default()).await?;
    assert_eq!(again.company.as_deref(), Some("Doe Digital Ltd"));

    c.logout(&token).await?;
    let err = c.get_user(&token, GetUserOptions::default()).await.err().ok_or("the old token still works")?;
    assert!(err.is_unauthorized(), "{err:?}");
    Ok(())
}

#[tokio::test]
async fn wrong_password_and_two_factor() -> TestResult {
    let (server, c) = start().await?;
    let err =
        c.login(JOHN, &secret("not-the-password"), None).await.err().ok_or("wrong password accepted")?;
    assert!(
        matches!(&err, ApiError::InvalidCredentials { attempts_left: Some(n), .. } if *n == MAX_FAILED_ATTEMPTS - 1),
        "{err:?}"
    );
    assert!(err.to_string().contains("attempt"), "{err}");

    let pw = password_of(TFA_USER)?;
    let err = c.login(TFA_USER, &pw, None).await.err().ok_or("2FA was not asked for")?;
    assert!(matches!(&err, ApiError::TfaRequired { tfa_type: Some(_), .. }), "{err:?}");

    // A code outside the accepted window (one step of skew either way) is refused...
    let valid = [totp_code(&server, -1)?, totp_code(&server, 0)?, totp_code(&server, 1)?];
    let wrong =
        (0..4).map(|i| format!("{i}{i}{i}{i}{i}{i}")).find(|c| !valid.contains(c)).ok_or("no wrong code")?;
    let err = c.login(TFA_USER, &pw, Some(&wrong)).await.err().ok_or("a wrong code worked")?;
    assert!(matches!(err, ApiError::InvalidTfaCode { .. }), "{err:?}");

    // ...and the code for the server's clock works, even after that clock moved on.
    server.advance_clock(Duration::from_secs(3600));
    let ok = c.login(TFA_USER, &pw, Some(&totp_code(&server, 0)?)).await?;
    assert_eq!(ok.user.email, TFA_USER);
    Ok(())
}

/// The demo server's lockout, as the user reads it: one sentence, the end of the lock in local
/// time (`HH:MM`), no raw timestamp, no advice said twice.
#[tokio::test]
async fn the_lockout_reads_as_one_sentence() -> TestResult {
    let (_server, c) = start().await?;
    let lock_ends = || {
        (chrono::Local::now() + chrono::Duration::minutes(cs_account::demo::LOCK_MINUTES))
            .format("%H:%M")
            .to_string()
    };
    let before = lock_ends();
    let mut last = None;
    for _ in 0..MAX_FAILED_ATTEMPTS {
        last = c.login(JOHN, &secret("not-the-password"), None).await.err();
    }
    let err = last.ok_or("a wrong password was accepted")?;
    assert!(matches!(err, ApiError::AccountLocked { .. }), "{err:?}");
    let shown = err.user_message();
    // The minute may turn while the attempts run; past midnight the day is named too
    // ("until Sat 5 Dec 00:05").
    let said = |at: &str| shown.contains("until ") && shown.contains(&format!("{at} (in 15 minutes)"));
    assert!(said(&before) || said(&lock_ends()), "{shown}");
    assert_eq!(shown.matches("reset your password").count(), 1, "{shown}");
    assert!(!shown.contains("Z ") && !shown.contains("T1") && !shown.contains("T0"), "{shown}");
    assert_eq!(shown.matches(". ").count(), 0, "one sentence: {shown}");
    Ok(())
}

#[tokio::test]
async fn two_factor_by_sms() -> TestResult {
    let (server, c) = start().await?;
    let pw = password_of(TFA_USER)?;
    let notice = c.request_sms(TFA_USER, &pw).await?;
    assert!(!notice.notice.is_empty());
    let sms = server.outbox().into_iter().rev().find(|m| m.kind == OutboxKind::Sms).ok_or("no SMS sent")?;
    let code = sms.code.ok_or("the SMS has no code")?;
    let ok = c.login(TFA_USER, &pw, Some(&code)).await?;
    assert_eq!(ok.user.email, TFA_USER);
    // An account without 2FA gets no code.
    let err = c.request_sms(JOHN, &password_of(JOHN)?).await.err().ok_or("SMS for a non-2FA account")?;
    assert!(matches!(err, ApiError::Validation { .. }), "{err:?}");
    Ok(())
}

#[tokio::test]
async fn forgot_then_reset_password() -> TestResult {
    let (server, c) = start().await?;
    assert!(!c.forgot_password(JOHN).await?.notice.is_empty());
    let mail = last_message(&server, OutboxKind::ResetPassword, JOHN)?;
    let link = mail.link.ok_or("the reset email has no link")?;
    let token = token_from_link(&format!("  <{link}>\n")).ok_or("no token in the link")?;
    assert_eq!(Some(&token), mail.token.as_ref());
    let token = secret(&token);

    // The server's password rules come back as field errors.
    let weak = secret("short");
    let err = c.reset_password(&token, &weak, &weak).await.err().ok_or("a weak password was taken")?;
    assert!(err.field_errors().contains_key("password"), "{err:?}");

    let new_pw = secret("Brand-new-9876");
    c.reset_password(&token, &new_pw, &new_pw).await?;
    let err = c.login(JOHN, &password_of(JOHN)?, None).await.err().ok_or("the old password still works")?;
    assert!(matches!(err, ApiError::InvalidCredentials { .. }), "{err:?}");
    c.login(JOHN, &new_pw, None).await?;
    // The token works once.
    let err = c.reset_password(&token, &new_pw, &new_pw).await.err().ok_or("a used token worked")?;
    assert!(err.field_errors().contains_key("reset_password_token"), "{err:?}");
    Ok(())
}

/// The mailbox says which tokens and codes still work: used, replaced (revoked) and expired
/// ones are marked, by the demo clock.
#[tokio::test]
async fn the_outbox_marks_used_revoked_and_expired_messages() -> TestResult {
    let (server, c) = start().await?;
    let status_of = |token: &Option<String>| {
        server
            .outbox()
            .into_iter()
            .find(|m| m.token == *token || (m.code.is_some() && m.code == *token))
            .map(|m| m.status)
    };
    c.forgot_password(JOHN).await?;
    let first = last_message(&server, OutboxKind::ResetPassword, JOHN)?.token;
    c.forgot_password(JOHN).await?;
    let second = last_message(&server, OutboxKind::ResetPassword, JOHN)?.token;
    assert_eq!(status_of(&first), Some(OutboxStatus::Unused));
    let pw = secret("Brand-new-9876");
    c.reset_password(&secret(second.as_deref().ok_or("a token")?), &pw, &pw).await?;
    assert_eq!(status_of(&second), Some(OutboxStatus::Used), "the token used");
    assert_eq!(status_of(&first), Some(OutboxStatus::Revoked), "the other one died with it");

    let tfa_pw = password_of(TFA_USER)?;
    c.request_sms(TFA_USER, &tfa_pw).await?;
    let old_code = last_message(&server, OutboxKind::Sms, "+")?.code;
    c.request_sms(TFA_USER, &tfa_pw).await?;
    let code = last_message(&server, OutboxKind::Sms, "+")?.code;
    assert_eq!(status_of(&old_code), Some(OutboxStatus::Revoked), "a new code replaced it");
    c.login(TFA_USER, &tfa_pw, code.as_deref()).await?;
    assert_eq!(status_of(&code), Some(OutboxStatus::Used));

    c.forgot_password(JOHN).await?;
    let third = last_message(&server, OutboxKind::ResetPassword, JOHN)?.token;
    server.advance_clock(Duration::from_secs(61 * 60));
    assert_eq!(status_of(&third), Some(OutboxStatus::Expired), "60 minutes of demo time");
    assert_eq!(status_of(&second), Some(OutboxStatus::Used), "a used token stays used");

    let invite = last_message(&server, OutboxKind::Activation, NEW_USER)?;
    assert_eq!(invite.status, OutboxStatus::Unused);
    let token = invite.token.clone().ok_or("an activation token")?;
    let new_pw = secret("Fresh-start-42");
    c.activate(&token, "New", "User", &new_pw, &new_pw).await?;
    assert_eq!(status_of(&invite.token), Some(OutboxStatus::Used));
    Ok(())
}

#[tokio::test]
async fn activation_from_the_emailed_link() -> TestResult {
    let (server, c) = start().await?;
    // The account has no password until activation sets one; the server says why.
    let chosen = secret("Chosen-pass-42");
    let err = c.login(NEW_USER, &chosen, None).await.err().ok_or("an inactive account logged in")?;
    let code = match &err {
        ApiError::Validation { code, .. } | ApiError::Rejected { code, .. } => *code,
        _ => None,
    };
    assert_eq!(code, Some(CODE_NOT_ACTIVATED), "{err:?}");
    assert!(err.to_string().contains("activated"), "{err}");

    let mail = last_message(&server, OutboxKind::Activation, NEW_USER)?;
    let token = token_from_link(&mail.link.ok_or("the activation email has no link")?).ok_or("no token")?;
    let notice = c.activate(&token, "Nina", "Newton", &chosen, &chosen).await?;
    assert!(!notice.notice.is_empty());
    let ok = c.login(NEW_USER, &chosen, None).await?;
    assert_eq!(ok.user.first_name.as_deref(), Some("Nina"));
    let err = c.activate(&token, "Nina", "Newton", &chosen, &chosen).await.err().ok_or("activated twice")?;
    assert!(matches!(err, ApiError::Validation { .. }), "{err:?}");
    Ok(())
}

#[tokio::test]
async fn update_validation_errors_are_per_field() -> TestResult {
    let (_server, c) = start().await?;
    let token = c.login(JOHN, &password_of(JOHN)?, None).await?.authtoken;
    let bad = UserUpdate {
        first_name: Some("   ".into()),
        mobile_number: Some("12ab".into()),
        country_code: Some("+91".into()),
        ..Default::default()
    };
    let err = c.update_user(&token, &bad).await.err().ok_or("bad values were taken")?;
    let fields = err.field_errors();
    for key in ["first_name", "mobile_number", "country_code"] {
        assert!(fields.contains_key(key), "{key} missing from {err:?}");
    }
    assert!(matches!(err, ApiError::Validation { status: 422, .. }), "{err:?}");
    assert!(err.user_message().contains("First name"));
    Ok(())
}

fn fault(method: &str, path: &str, answer: FaultAnswer, times: u32) -> Faults {
    Faults {
        routes: vec![RouteFault { method: method.into(), path: path.into(), answer, times: Some(times) }],
        ..Default::default()
    }
}

#[tokio::test]
async fn get_is_retried_through_an_injected_503() -> TestResult {
    let (server, c) = start().await?;
    let token = c.login(JOHN, &password_of(JOHN)?, None).await?.authtoken;
    server.set_faults(fault("GET", "/v3/user", FaultAnswer::Status { status: 503, body: None }, 1));
    let user = c.get_user(&token, GetUserOptions::default()).await?;
    assert_eq!(user.email, JOHN);
    assert!(server.faults().routes.is_empty(), "the first attempt did not meet the fault");
    Ok(())
}

#[tokio::test]
async fn login_meets_faults_once() -> TestResult {
    let (server, c) = start().await?;
    let pw = password_of(JOHN)?;
    let cases = [
        (FaultAnswer::Status { status: 503, body: None }, "Server"),
        (FaultAnswer::Reset, "Transport"),
        (FaultAnswer::Malformed, "Decode"),
    ];
    for (answer, expected) in cases {
        server.set_faults(fault("POST", "/v3/user-session", answer, 2));
        let err = c.login(JOHN, &pw, None).await.err().ok_or("the fault did not fire")?;
        assert!(format!("{err:?}").starts_with(expected), "{expected}: {err:?}");
        if let ApiError::Transport { kind, .. } = err {
            assert_eq!(kind, TransportKind::Reset);
        }
        let left = server.faults().routes.first().and_then(|r| r.times);
        assert_eq!(left, Some(1), "{expected}: login was sent more than once");
    }
    server.set_faults(Faults::default());
    c.login(JOHN, &pw, None).await?;
    Ok(())
}
