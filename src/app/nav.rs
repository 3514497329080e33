//! Navigation as data. The screens form a stack ([`App::screen`] on top of [`App::below`]); a
//! screen never builds or calls another screen: it names where to go with a [`Nav`] (and a
//! [`Route`] or [`Fill`] carrying what the next screen needs), and [`App::go`] here builds the
//! screen, stops the requests that can no longer be answered, and restarts what runs only while
//! a screen shows.
//!
//! A new screen: its folder under `src/screens/`, one line in [`Screen`], its [`Route`] (if
//! other screens open it) and a line in [`open`].

use crate::app::effect::Effect;
use crate::app::request::{Kind, Pending};
use crate::app::state::{App, Screen, ToastLevel};
use crate::screens::accounts::AccountsState;
use crate::screens::activate::ActivateState;
use crate::screens::edit::{EditForm, EditState};
use crate::screens::login::LoginState;
use crate::screens::mailbox::{MailboxState, Under};
use crate::screens::reset::ResetState;
use crate::screens::signin::SignInState;

/// One navigation step.
#[derive(Debug)]
pub enum Nav {
    /// Open a screen over the one showing, which comes back when it closes.
    Push(Route),
    /// Close the screen showing: the one under it shows again, as it was. (An overlay open over
    /// it stays: the answer that closed the screen may come while the help is read.)
    Pop,
    /// Close the overlay (the help); the screen under it kept showing.
    CloseOverlay,
    /// Close the screen showing and hand the one under it a value (a token from the mailbox,
    /// the outcome of a password reset).
    PopWith(Fill),
    /// Put another screen in place of the one showing (over the same screen under it).
    Replace(Route),
}

/// A screen to open, with what it needs.
#[derive(Debug)]
pub enum Route {
    /// The password-reset wizard, the email filled in when known.
    Reset { email: Option<String> },
    /// The reset wizard for the logged-in account (its address fixed).
    ResetForAccount { email: String },
    /// The reset wizard with a token from the mailbox.
    ResetWithToken(Token),
    /// Account activation.
    Activate,
    /// Account activation with a token from the mailbox.
    ActivateWithToken(Token),
    /// The demo mailbox (demo mode only).
    Mailbox,
    /// The edit-profile form over the profile.
    Edit(Box<EditForm>),
    /// The help over the screen showing.
    Help,
    /// The account switcher (over the profile or the log-in form).
    Accounts,
    /// The log-in form over the account switcher, to add an account (Esc comes back).
    AddAccount,
    /// Browser sign-in over the log-in form (storing the session when `remember`).
    SignIn { remember: bool },
}

/// A token or code taken from the demo mailbox.
#[derive(Debug, Clone)]
pub struct Token {
    /// The address the message went to.
    pub to: String,
    pub value: String,
    pub note: Option<String>,
}

/// A value handed to the screen under the one that closes.
#[derive(Debug)]
pub enum Fill {
    /// A token (reset or activation) or an SMS code from the mailbox, for the form it fits.
    Token(Token),
    /// The password was reset (for `email`, when known); `notice` is the server's sentence.
    PasswordReset { email: Option<String>, notice: String },
    /// The account of `email` (when known) was activated.
    Activated { email: Option<String>, notice: String },
}

impl App {
    /// Takes one navigation step now, and returns what it starts or stops.
    pub fn go(&mut self, nav: Nav) -> Vec<Effect> {
        match nav {
            Nav::Push(route) => {
                let stops = stops_when_covered(&route);
                let Some(screen) = build(self, route) else { return Vec::new() };
                if screen.is_overlay() {
                    // Over the screen showing, which stays where it is, answers and all.
                    self.overlay = Some(screen);
                    return Vec::new();
                }
                let mut effects = self.cancel_where(stops);
                let old = std::mem::replace(&mut self.screen, screen);
                self.below.push(old);
                effects.extend(opened(self));
                effects
            }
            Nav::Replace(route) => {
                let Some(screen) = build(self, route) else { return Vec::new() };
                self.screen = screen;
                opened(self)
            }
            Nav::Pop => pop(self),
            Nav::CloseOverlay => {
                self.overlay = None;
                Vec::new()
            }
            Nav::PopWith(fill) => {
                let mut effects = pop(self);
                effects.extend(hand_down(self, fill));
                effects
            }
        }
    }

    /// Opens the demo mailbox over the screen showing: `None` outside demo mode (the key does
    /// nothing there).
    pub fn open_mailbox(&mut self) -> Option<Vec<Effect>> {
        self.demo_endpoint.as_ref()?;
        Some(self.go(Nav::Push(Route::Mailbox)))
    }

    /// Makes `screen` the only one (log-in after a log-out or a 401, the profile after a
    /// log-in). Everything else is dropped: secret fields wipe themselves as they go.
    pub fn reset_stack(&mut self, screen: Screen) {
        self.replace_stack(screen);
    }

    /// Makes `screen` the only one and hands back the stack it replaces (the screen that was
    /// showing, and the ones under it, bottom first).
    pub fn replace_stack(&mut self, screen: Screen) -> (Screen, Vec<Screen>) {
        let top = std::mem::replace(&mut self.screen, screen);
        (top, std::mem::take(&mut self.below))
    }

    /// The profile, showing or under the screens opened over it (the edit form).
    pub fn profile_anywhere_mut(&mut self) -> Option<&mut crate::screens::profile::ProfileState> {
        std::iter::once(&mut self.screen).chain(self.below.iter_mut().rev()).find_map(|s| match s {
            Screen::Profile(p) => Some(&mut **p),
            _ => None,
        })
    }

    /// Every screen, the one showing first.
    pub fn stack(&self) -> impl Iterator<Item = &Screen> {
        std::iter::once(&self.screen).chain(self.below.iter().rev())
    }
}

/// Which requests stop when `route` opens over the screen showing: their answers need that
/// screen in front.
fn stops_when_covered(route: &Route) -> fn(&Pending) -> bool {
    match route {
        Route::Reset { .. } | Route::Activate | Route::Mailbox => {
            |k| k.on_login_screen() || k.reads_profile()
        }
        Route::ResetForAccount { .. } => |p| p.on_login_screen() || p.kind == Kind::Refresh,
        Route::ResetWithToken(_) | Route::ActivateWithToken(_) | Route::Edit(_) | Route::Help => |_| false,
        // Over the switcher: its checks may go on. The switcher itself stops nothing: the
        // account in use keeps going until another one is chosen.
        Route::Accounts | Route::AddAccount => |_| false,
        // A log-in running on the form under it would answer a screen that is not showing.
        Route::SignIn { .. } => |p| p.on_login_screen(),
    }
}

/// The screen for `route`, or `None` when it cannot open now (the mailbox outside demo mode,
/// or while a request of a flow screen runs: its answer needs that screen).
fn build(app: &App, route: Route) -> Option<Screen> {
    Some(match route {
        Route::Reset { email } => Screen::Reset(Box::new(ResetState::new(email.as_deref()))),
        Route::ResetForAccount { email } => Screen::Reset(Box::new(ResetState::for_account(&email))),
        Route::ResetWithToken(t) => {
            let mut r = ResetState::new(Some(&t.to));
            r.fill_token(&t.value, t.note);
            Screen::Reset(Box::new(r))
        }
        Route::Activate => Screen::Activate(Box::default()),
        Route::ActivateWithToken(t) => {
            let mut a = ActivateState::new();
            a.fill_token(&t.value, Some(&t.to), t.note);
            Screen::Activate(Box::new(a))
        }
        Route::Mailbox => {
            app.demo_endpoint.as_ref()?;
            if app.has_pending(Pending::is_account_flow) {
                return None;
            }
            let under = match &app.screen {
                Screen::Reset(_) => Under::Reset,
                Screen::Activate(_) => Under::Activate,
                Screen::Login(l) if l.tfa.is_some() => Under::Tfa,
                _ => Under::Other,
            };
            Screen::Mailbox(Box::new(MailboxState::new(under)))
        }
        Route::Edit(form) => Screen::Edit(Box::new(EditState { form: *form })),
        Route::Help => Screen::Help(Box::default()),
        Route::Accounts => {
            let current = app.session.as_ref().map(|s| (s.endpoint.clone(), s.email.clone()));
            Screen::Accounts(Box::new(AccountsState::new(current)))
        }
        Route::AddAccount => Screen::Login(Box::new(LoginState::new(None))),
        Route::SignIn { remember } => {
            let settings = app.oauth.clone().ok()?;
            let sign_in = crate::api::signin::BrowserSignIn::new(&app.endpoint, settings);
            Screen::SignIn(Box::new(SignInState::new(app.endpoint.clone(), sign_in, remember)))
        }
    })
}

/// Starts what a newly opened screen needs.
fn opened(app: &mut App) -> Vec<Effect> {
    match &app.screen {
        Screen::Mailbox(_) => crate::screens::mailbox::update::fetch(app),
        Screen::Accounts(_) => crate::screens::accounts::update::fetch(app),
        Screen::SignIn(_) => crate::screens::signin::update::start(app),
        _ => shown(app),
    }
}

fn pop(app: &mut App) -> Vec<Effect> {
    let Some(under) = app.below.pop() else {
        tracing::error!("nothing under the screen to go back to");
        return Vec::new();
    };
    // The closed screen is dropped here: its secret fields wipe themselves.
    app.screen = under;
    shown(app)
}

/// Restarts what runs only while a screen shows: the demo code on the log-in form, the token
/// countdown in the reset wizard; the profile's lists are refitted (the terminal may have been
/// resized meanwhile).
fn shown(app: &mut App) -> Vec<Effect> {
    match &mut app.screen {
        Screen::Login(_) => crate::screens::login::update::start_demo_clock(app),
        Screen::Profile(_) => {
            crate::screens::profile::update::fit_to_viewport(app);
            Vec::new()
        }
        Screen::Reset(r) => crate::screens::reset::update::start_countdown(r).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Gives the screen now showing the value the closed one handed down.
fn hand_down(app: &mut App, fill: Fill) -> Vec<Effect> {
    match &app.screen {
        Screen::Login(_) => crate::screens::login::update::on_fill(app, fill),
        Screen::Reset(_) => crate::screens::reset::update::on_fill(app, fill),
        Screen::Activate(_) => crate::screens::activate::update::on_fill(app, fill),
        Screen::Profile(_) => crate::screens::profile::update::on_fill(app, fill),
        Screen::Edit(_) | Screen::Mailbox(_) | Screen::Help(_) | Screen::Accounts(_) | Screen::SignIn(_) => {
            match fill {
                Fill::PasswordReset { notice, .. } => vec![app.toast(ToastLevel::Success, notice)],
                Fill::Activated { email: Some(email), notice } => {
                    vec![app.toast(ToastLevel::Success, format!("{notice} {email} can log in now."))]
                }
                Fill::Activated { email: None, notice } => vec![app.toast(ToastLevel::Success, notice)],
                Fill::Token(_) => Vec::new(),
            }
        }
    }
}
