//! The app's state. [`App`] is its single owner: the loop hands it to `update` (to change) and to
//! `ui::draw` (to read), and nothing else holds any of it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use crate::api::{Credential, Endpoint, User};
use crate::app::effect::Effect;
use crate::app::keymap::Keymap;
use crate::app::msg::{Msg, RequestId, ToastId};
use crate::app::request::{Kind, Lives, Pending, Request};
use crate::screens::edit::DraftOffer;
use crate::screens::edit::EditForm;
use crate::screens::edit::EditState;
use crate::screens::login::LoginState;
use crate::screens::profile::ProfileState;
pub use crate::screens::{Screen, View};

/// A logged-in session whose profile is loaded.
#[derive(Debug)]
pub struct Session {
    pub email: String,
    /// The session's authtoken or browser sign-in (see [`Credential`]).
    pub cred: Credential,
    pub endpoint: Endpoint,
    /// What the server is known to hold: the last answer that was sure to show it (see
    /// [`Session::unsure`]). The edit form opens with it and a save sends what differs from it.
    pub user: Arc<User>,
    /// A save went out whose outcome is not known (still running, or it failed, timed out, was
    /// cut or cancelled after it was sent): the server may hold its values, which `user` does
    /// not show. Until a `GET /user` says what the server holds, no form opens and no save is
    /// worked out.
    pub unsure: bool,
    /// The first request id whose `GET /user` answer can show the server's state: saves that
    /// ended since a read was sent make its answer uncertain (it may be from before they landed).
    pub reads_valid_from: RequestId,
    /// What waits for the running check of what the server holds (see
    /// [`OnUser::Check`](crate::app::request::OnUser::Check)): keys typed while it runs change it.
    pub after_check: AfterCheck,
}

impl Session {
    pub fn new(email: String, cred: Credential, endpoint: Endpoint, user: Arc<User>) -> Self {
        Session {
            email,
            cred,
            endpoint,
            user,
            unsure: false,
            reads_valid_from: RequestId(0),
            after_check: AfterCheck::Show,
        }
    }
}

/// A token the server accepted (or is being asked about), before the profile is loaded.
#[derive(Debug, Clone)]
pub struct Authed {
    pub email: String,
    pub cred: Credential,
    pub endpoint: Endpoint,
    /// Whether to store the session once the profile is loaded.
    pub remember: bool,
}

/// What waits for the server's state to be known (see [`Session::unsure`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterCheck {
    /// Nothing: the check shows what the server holds, that is all.
    Show,
    /// The edit key was pressed on the profile: open the form.
    OpenForm,
    /// Enter on the form: show the review.
    Review,
    /// Save (or "Try again") on the review: save what still differs.
    Save,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastLevel {
    Info,
    Success,
    Warning,
    Error,
}

impl ToastLevel {
    /// How long a toast stays: errors longer, as they need reading.
    pub fn lifetime(self) -> Duration {
        match self {
            ToastLevel::Info | ToastLevel::Success => Duration::from_secs(4),
            ToastLevel::Warning => Duration::from_secs(8),
            ToastLevel::Error => Duration::from_secs(12),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Toast {
    pub id: ToastId,
    pub level: ToastLevel,
    pub text: String,
    /// The screen the toast is about: it goes when that screen is left. `None` for problems
    /// that hold wherever the user goes (settings, files on disk), which stay until they fade.
    pub view: Option<View>,
}

/// A question that needs a yes or no before anything else happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    Logout,
    /// Leaving the edit form with changes.
    DiscardEdits,
    /// Quitting with the quit key while typed values would be lost.
    Quit,
}

/// The demo logins shown beside the form in demo mode (copied from the demo module, so the app
/// state does not depend on it).
#[derive(Debug, Clone)]
pub struct DemoPanel {
    pub logins: Vec<DemoEntry>,
    pub tfa_secret: String,
    /// The current code of the 2FA demo user, refreshed every 30 s.
    pub code: Option<String>,
    /// Whether a code refresh is scheduled (only while the log-in screen shows).
    pub ticking: bool,
}

#[derive(Debug, Clone)]
pub struct DemoEntry {
    pub email: String,
    pub password: String,
    pub note: String,
}

/// Where the user was when a 401 sent them to the log-in screen, so that logging in as the same
/// user on the same endpoint brings them back there.
#[derive(Debug)]
pub struct Resume {
    pub email: String,
    pub endpoint: Endpoint,
    pub profile: Box<ProfileState>,
    /// The edit form, when the 401 came while it was open: it comes back with every value.
    pub edit: Option<EditForm>,
}

pub use crate::screens::help::HelpState;

/// Everything the app knows.
#[derive(Debug)]
pub struct App {
    /// The screen showing: the top of the navigation stack.
    pub screen: Screen,
    /// The screens under it, bottom first: each comes back, as it was, when the one over it
    /// closes (see [`crate::app::nav`]).
    pub below: Vec<Screen>,
    /// A screen drawn over the one showing, which keeps its place (and its answers) under it:
    /// the help. It has the keyboard while it shows.
    pub overlay: Option<Screen>,
    pub session: Option<Session>,
    /// The API to log in to (the session's, once logged in).
    pub endpoint: Endpoint,
    /// False when there is nowhere to store a session: the "remember me" box is not offered.
    pub can_remember: bool,
    /// False when `config.toml` says `osc52 = false`: `y` says copying is off.
    pub copy_enabled: bool,
    /// The app browser sign-in uses (environment, `[oauth]` in `config.toml`, defaults), or why
    /// the configured one cannot be used.
    pub oauth: Result<crate::api::oauth::OAuthSettings, String>,
    pub demo: Option<DemoPanel>,
    /// The demo server (in demo mode): where the mailbox is read, and where the password rules
    /// are enforced rather than shown as guidance.
    pub demo_endpoint: Option<Endpoint>,
    pub keymap: Keymap,
    pub toasts: Vec<Toast>,
    pub confirm: Option<Confirm>,
    /// The running requests: what cancelling them and the status bar need.
    pub pending: BTreeMap<RequestId, Pending>,
    pub resume: Option<Resume>,
    /// Unsaved profile changes from an earlier run, found after the profile loaded.
    pub draft_offer: Option<DraftOffer>,
    /// Terminal size in cells.
    pub viewport: (u16, u16),
    /// Spinner frame, advanced by ticks while a request runs.
    pub spinner: usize,
    /// Frames drawn so far (kept by the loop; for tests and measurements).
    pub frames: u64,
    pub should_quit: bool,
    next_request: u64,
    next_toast: u64,
}

/// Below this the app shows "terminal too small" instead of a squeezed screen, and keys only
/// quit. 40 columns hold a form label plus a useful field; 12 rows hold the profile's header,
/// tabs, a few list lines, and the status bar. (The app's decision, which the view follows.)
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// How many toasts show at once; older ones go first.
const MAX_TOASTS: usize = 3;

impl App {
    pub fn new(endpoint: Endpoint, keymap: Keymap, viewport: (u16, u16)) -> Self {
        App {
            screen: Screen::Login(Box::new(LoginState::new(None))),
            below: Vec::new(),
            overlay: None,
            session: None,
            endpoint,
            can_remember: true,
            copy_enabled: true,
            oauth: Ok(Default::default()),
            demo: None,
            demo_endpoint: None,
            keymap,
            toasts: Vec::new(),
            confirm: None,
            pending: BTreeMap::new(),
            resume: None,
            draft_offer: None,
            viewport,
            spinner: 0,
            frames: 0,
            should_quit: false,
            next_request: 1,
            next_toast: 1,
        }
    }

    /// Whether the password rules are enforced before sending (against the demo server, which
    /// is known to apply them) or shown as guidance (elsewhere, where the server has the last
    /// word).
    pub fn rules_enforced(&self) -> bool {
        self.demo_endpoint.as_ref() == Some(&self.endpoint)
    }

    /// The demo panel lists the seeded passwords; once one is changed against the demo server,
    /// its entry says so (and the fill key skips it) instead of offering a password that no
    /// longer works.
    pub fn demo_login_changed(&mut self, email: &str, note: &str) {
        if !self.rules_enforced() {
            return;
        }
        let Some(demo) = &mut self.demo else { return };
        for entry in demo.logins.iter_mut().filter(|e| e.email.eq_ignore_ascii_case(email)) {
            entry.password.clear();
            entry.note = note.to_string();
        }
    }

    /// Whether a request is running (the spinner turns only then).
    pub fn is_busy(&self) -> bool {
        self.pending.values().any(|p| !p.kind.is_quiet())
    }

    /// The status text of the newest running request (waits for the user are not work: they
    /// have their own countdown).
    pub fn busy_label(&self) -> Option<&'static str> {
        self.pending.values().rev().find(|p| !p.kind.is_quiet()).map(Pending::label)
    }

    /// The id the next request will get.
    pub fn next_request_id(&self) -> RequestId {
        RequestId(self.next_request)
    }

    /// Registers `request`, which matters for as long as `lives` says, and returns the effect
    /// that sends it.
    pub fn request(&mut self, lives: Lives, request: Request) -> Effect {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        self.pending.insert(id, Pending { lives, kind: request.kind() });
        Effect::Request { id, request }
    }

    /// Whether a request matching `pred` is running.
    pub fn has_pending(&self, pred: impl Fn(&Pending) -> bool) -> bool {
        self.pending.values().any(pred)
    }

    /// Whether a request of this kind is running.
    pub fn has_pending_kind(&self, kind: Kind) -> bool {
        self.has_pending(|p| p.kind == kind)
    }

    /// Forgets every request matching `pred` and returns the effects that stop them.
    pub fn cancel_where(&mut self, pred: impl Fn(&Pending) -> bool) -> Vec<Effect> {
        let ids: Vec<RequestId> = self.pending.iter().filter(|(_, p)| pred(p)).map(|(id, _)| *id).collect();
        ids.into_iter()
            .map(|id| {
                self.pending.remove(&id);
                Effect::Cancel(id)
            })
            .collect()
    }

    /// Shows a toast about the current screen (it goes when the screen is left) and returns
    /// the timer that will dismiss it.
    pub fn toast(&mut self, level: ToastLevel, text: impl Into<String>) -> Effect {
        let view = self.view();
        self.push_toast(level, text.into(), Some(view))
    }

    /// Shows a toast about `view`: none if another screen shows by now (the answer it reports
    /// came late, and the user has moved on).
    pub fn toast_on(&mut self, view: View, level: ToastLevel, text: impl Into<String>) -> Effect {
        self.push_toast(level, text.into(), Some(view))
    }

    /// Shows a toast that stays whatever screen shows, until it fades (problems with the
    /// settings or with files, which hold wherever the user goes).
    pub fn global_toast(&mut self, level: ToastLevel, text: impl Into<String>) -> Effect {
        self.push_toast(level, text.into(), None)
    }

    /// The screen showing, as toasts know it (under an overlay, the screen it covers).
    pub fn view(&self) -> View {
        self.screen.view()
    }

    /// The help overlay, when it shows.
    pub fn help(&self) -> Option<&HelpState> {
        match &self.overlay {
            Some(Screen::Help(h)) => Some(h),
            _ => None,
        }
    }

    /// Drops the toasts of screens no longer showing (after each message).
    pub fn drop_left_toasts(&mut self) {
        let view = self.view();
        self.toasts.retain(|t| t.view.is_none_or(|v| v == view));
    }

    fn push_toast(&mut self, level: ToastLevel, text: String, view: Option<View>) -> Effect {
        let id = ToastId(self.next_toast);
        self.next_toast += 1;
        self.toasts.push(Toast { id, level, text, view });
        if self.toasts.len() > MAX_TOASTS {
            self.toasts.remove(0);
        }
        Effect::Timer { after: level.lifetime(), msg: Box::new(Msg::DismissToast(id)) }
    }

    pub fn login(&self) -> Option<&LoginState> {
        match &self.screen {
            Screen::Login(l) => Some(l),
            _ => None,
        }
    }

    pub fn login_mut(&mut self) -> Option<&mut LoginState> {
        match &mut self.screen {
            Screen::Login(l) => Some(l),
            _ => None,
        }
    }

    pub fn profile(&self) -> Option<&ProfileState> {
        match &self.screen {
            Screen::Profile(p) => Some(p),
            _ => None,
        }
    }

    pub fn profile_mut(&mut self) -> Option<&mut ProfileState> {
        match &mut self.screen {
            Screen::Profile(p) => Some(p),
            _ => None,
        }
    }

    /// The edit screen, when it shows.
    pub fn edit(&self) -> Option<&EditState> {
        match &self.screen {
            Screen::Edit(e) => Some(e),
            _ => None,
        }
    }
}
