//! Requests and their answers, with typed continuations.
//!
//! Each API call is one [`Request`] variant holding the call's inputs and what to do with its
//! answer (`then`), in a continuation type tied to the call's result type: a `GET /user` carries
//! an [`OnUser`], and its answer comes back as [`Reply::User`] with that same `OnUser` and a
//! `Result<User, _>`. The runner makes the one from the other (through [`Then::reply`]), so an
//! answer can never meet a handler of another kind, and there is no "wrong answer" branch.
//!
//! Whether a request survives leaving the screen that made it is stated where it is made: the
//! [`Lives`] argument of [`App::request`](crate::app::App::request), which has no default. The
//! app keeps per running request only what cancelling and the status bar need ([`Pending`]); the
//! continuation travels with the request and comes back with its answer.
//!
//! A new request: its inputs and `then` as a variant of [`Request`]; its continuation (a new
//! `On…` type with its [`Then`] impl and [`Reply`] variant, or a case of an existing one for the
//! same result type) and its [`Kind`] with a label; the call in the runner's `start`; what its
//! answer does in `update`'s `on_reply`; and, where it is made, `app.request(lives, request)`.

use secrecy::SecretString;

use crate::api::check::TokenCheck;
use crate::api::outbox::OutboxMessage;
use crate::api::signin::BrowserSignIn;
use crate::api::stacks::StackListing;
use crate::api::{
    ApiError, Credential, Endpoint, LoginSuccess, Notice, Profile, UpdateSuccess, User, UserUpdate,
};
use crate::app::state::Authed;
use crate::screens::login::SessionSource;
use crate::store::SessionInfo;

/// One API call: its inputs and its continuation.
#[derive(Debug)]
pub enum Request {
    /// `POST /v3/user-session`, with the 2FA code on the second step.
    Login {
        endpoint: Endpoint,
        email: String,
        password: SecretString,
        tfa_token: Option<String>,
        then: OnLogin,
    },
    /// `POST /v3/user/request_token_sms`.
    Sms { endpoint: Endpoint, email: String, password: SecretString, then: OnSms },
    /// `GET /v3/user` with everything the profile shows.
    GetUser { endpoint: Endpoint, cred: Credential, then: OnUser },
    /// `DELETE /v3/user-session`.
    Logout { endpoint: Endpoint, cred: Credential, then: OnLogout },
    /// `PUT /v3/user` with only the changed fields.
    Update { endpoint: Endpoint, cred: Credential, changes: UserUpdate, then: OnSave },
    /// `POST /v3/user/forgot_password`.
    Forgot { endpoint: Endpoint, email: String, then: OnNotice },
    /// `POST /v3/user/reset_password`.
    Reset {
        endpoint: Endpoint,
        token: SecretString,
        password: SecretString,
        confirmation: SecretString,
        then: OnNotice,
    },
    /// `POST /v3/user/activate/{token}`.
    Activate {
        endpoint: Endpoint,
        token: SecretString,
        first_name: String,
        last_name: String,
        password: SecretString,
        confirmation: SecretString,
        then: OnNotice,
    },
    /// `GET /demo/outbox` on the demo server (demo mode only).
    Outbox { endpoint: Endpoint, then: OnOutbox },
    /// `GET /stacks` (each organisation on its own when the plain call is refused, as for an
    /// SSO-enabled one): the names the roles tree shows for its stacks' API keys.
    Stacks { endpoint: Endpoint, cred: Credential, organizations: Vec<String>, then: OnStacks },
    /// The stored sessions, read from the session store (no call), for the account switcher.
    Accounts { then: OnAccounts },
    /// A quick `GET /user` with one stored session's token, to its own endpoint only. The token
    /// is read from the store by the runner: other accounts' tokens never enter the app.
    CheckAccount { endpoint: Endpoint, email: String, then: OnAccountCheck },
    /// `GET /v3/user` (the whole profile) with a stored session's token, to switch to it.
    SwitchAccount { endpoint: Endpoint, email: String, then: OnSwitch },
    /// `DELETE /v3/user-session` with a stored session's token, then forgetting it here.
    LogoutAccount { endpoint: Endpoint, email: String, then: OnAccountLogout },
    /// Listens on 127.0.0.1 for the browser's redirect of a sign-in (`state` checked): its code.
    WaitForBrowser { redirect_uri: String, state: String, then: OnBrowser },
    /// Opens the sign-in's address in the user's browser.
    OpenBrowser { url: url::Url, then: OnOpenBrowser },
    /// Exchanges a browser sign-in's code for tokens, then loads the profile with them (as
    /// Bearer): the new session's credential and profile.
    SignIn { endpoint: Endpoint, sign_in: Box<BrowserSignIn>, code: String, then: OnSignIn },
}

/// What switching accounts brings: the account's token (from the store) and its profile.
#[derive(Debug)]
pub struct Switched {
    pub cred: Credential,
    pub profile: Profile,
}

/// A continuation: what one call's answer is for. Its type fixes the call's result type and the
/// [`Reply`] variant the answer comes back as.
pub trait Then: Sized {
    /// What the call answers with when it succeeds.
    type Output;
    /// The answer `result`, with this continuation.
    fn reply(self, result: Result<Self::Output, ApiError>) -> Reply;
    /// What the request is, for cancelling and the status bar.
    fn kind(&self) -> Kind;
}

/// What a log-in's answer is for. The credentials stay here so that a 2FA demand can go on to
/// the code step without asking for them again.
#[derive(Debug, Clone)]
pub struct OnLogin {
    pub email: String,
    pub password: SecretString,
    /// The second step (a 2FA code was sent).
    pub tfa: bool,
    pub remember: bool,
}

/// An SMS code was asked for on the 2FA step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnSms;

/// What a `GET /user` is for.
#[derive(Debug, Clone)]
pub enum OnUser {
    /// Checking a pasted authtoken.
    CheckToken { token: SecretString, remember: bool },
    /// Checking the stored or environment session at start.
    Resume { auth: Authed, source: SessionSource },
    /// Loading the full profile after a log-in (showing what the log-in gave if it fails). The
    /// log-in's user has no roles (its answer's roles are skipped unread: see
    /// [`crate::api::decode::login`]), so the fallback holds a few fields, not a second copy
    /// of a large profile.
    LoadProfile { auth: Authed, login_user: Box<User> },
    /// The refresh key on the profile.
    Refresh,
    /// After a save whose outcome is unknown, to learn what the server holds. What waits for
    /// the answer changes while it runs (keys typed meanwhile), so it is kept in the session
    /// ([`Session::after_check`](crate::app::state::Session::after_check)), not here.
    Check,
}

/// What a log-out's answer is for.
#[derive(Debug, Clone)]
pub enum OnLogout {
    /// The user logged out.
    Logout,
}

/// What a `PUT /user` is for: the edit form's save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnSave;

/// What a call answering with a notice is for (the account flows).
#[derive(Debug, Clone)]
pub enum OnNotice {
    /// Step 1 of the reset wizard, for this address.
    Forgot { email: String },
    /// Step 2 of the reset wizard.
    Reset,
    /// The activation form.
    Activate,
}

/// The demo mailbox was read for the mailbox screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnOutbox;

/// The stacks were listed to name the profile's stacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnStacks;

/// The stored sessions were read for the account switcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnAccounts;

/// One stored session was checked for the account switcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnAccountCheck {
    pub endpoint: Endpoint,
    pub email: String,
}

/// The account switcher asked for another account's profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnSwitch {
    pub endpoint: Endpoint,
    pub email: String,
}

/// The browser came back (through the listener) with a sign-in's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnBrowser;

/// The browser was asked to open the sign-in's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnOpenBrowser;

/// A browser sign-in's code was exchanged; store the session when `remember`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnSignIn {
    pub remember: bool,
}

/// The account switcher logged a stored session out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnAccountLogout {
    pub endpoint: Endpoint,
    pub email: String,
}

/// The [`Reply`] enum, a variant per continuation type, and each continuation's [`Then`]: the
/// answer it pairs with and what it is for (`kind`, from the continuation bound to `$t`).
macro_rules! replies {
    ($($(#[$doc:meta])* $variant:ident($then:ty) -> $out:ty, kind($t:ident) $kind:block)*) => {
        /// The answer to one [`Request`], with the continuation it carried.
        #[derive(Debug)]
        pub enum Reply {
            $($(#[$doc])* $variant { then: $then, result: Result<$out, ApiError> },)*
        }

        $(impl Then for $then {
            type Output = $out;
            fn reply(self, result: Result<$out, ApiError>) -> Reply {
                Reply::$variant { then: self, result }
            }
            fn kind(&self) -> Kind {
                let $t = self;
                $kind
            }
        })*

        impl Reply {
            /// What the answered request was for (from its continuation).
            pub fn kind(&self) -> Kind {
                match self {
                    $(Reply::$variant { then, .. } => then.kind(),)*
                }
            }
        }
    };
}

replies! {
    Login(OnLogin) -> LoginSuccess, kind(t) { if t.tfa { Kind::Code } else { Kind::Login } }
    Sms(OnSms) -> Notice, kind(_t) { Kind::Sms }
    User(OnUser) -> Profile, kind(t) {
        match t {
            OnUser::CheckToken { .. } => Kind::CheckToken,
            OnUser::Resume { source: SessionSource::Env, .. } => Kind::ResumeEnv,
            OnUser::Resume { source: SessionSource::Stored, .. } => Kind::Resume,
            OnUser::LoadProfile { .. } => Kind::LoadProfile,
            OnUser::Refresh => Kind::Refresh,
            OnUser::Check => Kind::Check,
        }
    }
    Logout(OnLogout) -> Notice, kind(t) {
        match t {
            OnLogout::Logout => Kind::Logout,
        }
    }
    Save(OnSave) -> UpdateSuccess, kind(_t) { Kind::Save }
    /// Forgot password, reset password, activation: each answers with a notice.
    Notice(OnNotice) -> Notice, kind(t) {
        match t {
            OnNotice::Forgot { .. } => Kind::Forgot,
            OnNotice::Reset => Kind::Reset,
            OnNotice::Activate => Kind::Activate,
        }
    }
    /// The demo mailbox, oldest first.
    Outbox(OnOutbox) -> Vec<OutboxMessage>, kind(_t) { Kind::Outbox }
    /// The user's stacks, for their names.
    Stacks(OnStacks) -> StackListing, kind(_t) { Kind::Stacks }
    /// The stored sessions.
    Accounts(OnAccounts) -> Vec<SessionInfo>, kind(_t) { Kind::Accounts }
    /// What one stored session's server said of its token.
    AccountCheck(OnAccountCheck) -> TokenCheck, kind(_t) { Kind::CheckAccount }
    /// Another account's profile, with its token.
    Switch(OnSwitch) -> Switched, kind(_t) { Kind::Switch }
    /// A stored session ended: `Some(why)` when its server could not be told.
    AccountLogout(OnAccountLogout) -> Option<String>, kind(_t) { Kind::LogoutAccount }
    /// The code a browser brought back to the listener.
    Browser(OnBrowser) -> String, kind(_t) { Kind::BrowserWait }
    /// Whether a browser could be opened.
    OpenBrowser(OnOpenBrowser) -> (), kind(_t) { Kind::OpenBrowser }
    /// The browser sign-in's credential and profile.
    SignIn(OnSignIn) -> Switched, kind(_t) { Kind::SignIn }
}

impl Request {
    /// What the request is for (from its continuation).
    pub fn kind(&self) -> Kind {
        match self {
            Request::Login { then, .. } => then.kind(),
            Request::Sms { then, .. } => then.kind(),
            Request::GetUser { then, .. } => then.kind(),
            Request::Logout { then, .. } => then.kind(),
            Request::Update { then, .. } => then.kind(),
            Request::Forgot { then, .. } | Request::Reset { then, .. } | Request::Activate { then, .. } => {
                then.kind()
            }
            Request::Outbox { then, .. } => then.kind(),
            Request::Stacks { then, .. } => then.kind(),
            Request::Accounts { then } => then.kind(),
            Request::CheckAccount { then, .. } => then.kind(),
            Request::SwitchAccount { then, .. } => then.kind(),
            Request::LogoutAccount { then, .. } => then.kind(),
            Request::WaitForBrowser { then, .. } => then.kind(),
            Request::OpenBrowser { then, .. } => then.kind(),
            Request::SignIn { then, .. } => then.kind(),
        }
    }
}

/// What a running request is for, as a small tag: what cancelling and the status bar need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Login,
    /// A log-in with the 2FA code.
    Code,
    Sms,
    CheckToken,
    /// Checking `CONTENTSTACK_AUTHTOKEN` at start.
    ResumeEnv,
    /// Checking the session file at start.
    Resume,
    LoadProfile,
    Refresh,
    Logout,
    Forgot,
    Reset,
    Activate,
    Outbox,
    Save,
    Check,
    Stacks,
    Accounts,
    CheckAccount,
    Switch,
    LogoutAccount,
    /// Waiting for the browser to come back with a sign-in (a wait for the user, not work).
    BrowserWait,
    OpenBrowser,
    SignIn,
}

impl Kind {
    /// Every kind, in the order of [`Kind::LABELS`].
    pub const ALL: [Kind; 23] = [
        Kind::Login,
        Kind::Code,
        Kind::Sms,
        Kind::CheckToken,
        Kind::ResumeEnv,
        Kind::Resume,
        Kind::LoadProfile,
        Kind::Refresh,
        Kind::Logout,
        Kind::Forgot,
        Kind::Reset,
        Kind::Activate,
        Kind::Outbox,
        Kind::Save,
        Kind::Check,
        Kind::Stacks,
        Kind::Accounts,
        Kind::CheckAccount,
        Kind::Switch,
        Kind::LogoutAccount,
        Kind::BrowserWait,
        Kind::OpenBrowser,
        Kind::SignIn,
    ];

    /// Every text [`Kind::label`] gives (in the order of the kinds), so that tests can make sure
    /// no busy text is left on screen once nothing runs.
    pub const LABELS: [&'static str; 23] = [
        "Logging in…",
        "Checking the code…",
        "Asking for an SMS code…",
        "Checking the authtoken…",
        "Checking CONTENTSTACK_AUTHTOKEN…",
        "Opening the saved session…",
        "Loading your profile…",
        "Refreshing…",
        "Logging out…",
        "Asking for a reset email…",
        "Setting the new password…",
        "Activating the account…",
        "Reading the mailbox…",
        "Saving your profile…",
        "Checking what the server holds…",
        "Loading stack names…",
        "Reading the stored sessions…",
        "Checking the stored sessions…",
        "Switching accounts…",
        "Logging the account out…",
        "Waiting for the browser…",
        "Opening the browser…",
        "Signing in…",
    ];

    /// What the status bar says while it runs.
    pub fn label(self) -> &'static str {
        Self::LABELS[self as usize]
    }

    /// A wait for the user rather than work: no spinner, no busy text (the sign-in screen shows
    /// its own countdown).
    pub fn is_quiet(self) -> bool {
        self == Kind::BrowserWait
    }
}

/// The screens requests can belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenTag {
    /// The log-in form and its 2FA step.
    Login,
    /// The profile and the edit form over it.
    Profile,
    /// The password-reset wizard.
    Reset,
    /// The activation form.
    Activate,
    /// The demo mailbox.
    Mailbox,
    /// The account switcher.
    Accounts,
    /// Browser sign-in.
    SignIn,
}

/// How long a request matters: stated where it is made, with no default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lives {
    /// Only while its screen shows: leaving it (or opening a screen that could not take its
    /// answer) cancels it.
    Screen(ScreenTag),
    /// Until the session ends (log-out, or a 401): a save survives leaving the form.
    Session,
    /// Until the app ends: the server is told about a log-out whatever the user does next.
    App,
}

/// What the app keeps about a running request: enough to cancel it and to name it in the status
/// bar. Its continuation is not here: it travels with the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    pub lives: Lives,
    pub kind: Kind,
}

impl Pending {
    /// What the status bar says while it runs.
    pub fn label(&self) -> &'static str {
        self.kind.label()
    }

    /// Whether it lives only while `screen` shows.
    pub fn lives_on(&self, screen: ScreenTag) -> bool {
        self.lives == Lives::Screen(screen)
    }

    /// Whether it belongs to the log-in screen (cancelled when it is left).
    pub fn on_login_screen(&self) -> bool {
        self.lives_on(ScreenTag::Login)
    }

    /// Whether it reads the profile for the profile screen (and the edit form over it): stopped
    /// when a screen opens that could not take its answer.
    pub fn reads_profile(&self) -> bool {
        self.lives_on(ScreenTag::Profile)
    }

    /// Whether it belongs to the reset wizard, the activation form or the mailbox (cancelled
    /// when that screen is left; while one runs, the mailbox does not open over its screen).
    pub fn is_account_flow(&self) -> bool {
        matches!(self.lives, Lives::Screen(ScreenTag::Reset | ScreenTag::Activate | ScreenTag::Mailbox))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_own_label() {
        for (i, kind) in Kind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, i, "{kind:?} is in its place in Kind::ALL");
            assert_eq!(kind.label(), Kind::LABELS[i]);
        }
        let mut labels = Kind::LABELS.to_vec();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), Kind::LABELS.len(), "no two kinds share a label");
    }
}
