//! One module per screen: its state, its `update` (keys, paste, answers), its view and its
//! footer hints, side by side. A screen never calls another screen: it returns a navigation step
//! and the app (`crate::app`) builds the next screen.
//!
//! A new screen: its folder here (`mod.rs` the state, `update.rs` its keys and answers,
//! `view.rs` its drawing, recording in its state what `update` pages by, `hints.rs` its footer
//! hints and the keymap tables its help lists), a variant in the screen enum with its arms in
//! the dispatch, and its rows in the keymap table (`crate::app::keymap`: a `Context` if its
//! keys are its own, and their default bindings).

pub mod accounts;
pub mod activate;
pub mod edit;
pub mod help;
pub mod login;
pub mod mailbox;
pub mod profile;
pub mod reset;
pub mod signin;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::effect::Effect;
use crate::app::keymap::hint::{HelpRows, Hint};
use crate::app::keys::Key;
use crate::app::state::App;
use crate::ui::theme::Theme;

/// What every screen provides, implemented in its own module. The app reaches a screen only
/// through this (and through the navigation step the screen returns), so the dispatch below is
/// written once, for every screen.
pub trait ScreenState: std::fmt::Debug {
    /// A key for the screen showing; `None` when it does not handle it (the global bindings
    /// get it then).
    fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>>;
    /// Pasted text (bracketed paste), for the focused field if there is one.
    fn on_paste(_app: &mut App, _text: &str) {}
    /// Draws the screen in `area`, recording in its state what `update` pages by.
    fn render(&self, frame: &mut Frame, area: Rect, app: &App, theme: &Theme);
    /// The footer hints, most useful first (the footer cuts from the end).
    fn hints(&self, app: &App) -> Vec<Option<Hint>>;
    /// Which keymap tables the help overlay lists for it.
    fn help_rows(&self) -> HelpRows;
    /// Whether a text field has the keyboard (printable keys type there).
    fn text_focus(&self) -> bool {
        false
    }
    /// The one hint the status bar shows when there is no hints line, if not help's.
    fn status_hint(&self, _app: &App) -> Option<Hint> {
        None
    }
    /// Drawn over the screen showing, which keeps its place, its answers and its toasts (the
    /// help): opened into the app's overlay slot rather than onto the stack.
    fn overlay(&self) -> bool {
        false
    }
    /// A part of the screen that toasts tell apart from the rest (the log-in form's two-factor
    /// step), if it shows.
    fn part(&self) -> Option<View> {
        None
    }
}

/// Implements [`ScreenState`] for a screen's state by its folder's conventions: keys in
/// `update::on_key`, drawing in `view::render`, hints in `hints::{hints, help_rows, text_focus}`;
/// with `paste`, `update::on_paste`; with `status`, `hints::status_hint`; with `part`, the
/// state's own `view_part()` (which part of the screen shows, for toasts).
macro_rules! screen_state {
    ($state:ty $(, $opt:ident)*) => {
        impl $crate::screens::ScreenState for $state {
            fn on_key(
                app: &mut $crate::app::state::App,
                ev: &crossterm::event::KeyEvent,
                key: $crate::app::keys::Key,
            ) -> Option<Vec<$crate::app::effect::Effect>> {
                update::on_key(app, ev, key)
            }

            fn render(
                &self,
                frame: &mut ratatui::Frame,
                area: ratatui::layout::Rect,
                app: &$crate::app::state::App,
                theme: &$crate::ui::theme::Theme,
            ) {
                view::render(frame, area, app, theme, self)
            }

            fn hints(&self, app: &$crate::app::state::App) -> Vec<Option<$crate::app::keymap::hint::Hint>> {
                hints::hints(app, self)
            }

            fn help_rows(&self) -> $crate::app::keymap::hint::HelpRows {
                hints::help_rows(self)
            }

            fn text_focus(&self) -> bool {
                hints::text_focus(self)
            }

            $($crate::screens::screen_state!(@$opt);)*
        }
    };
    (@paste) => {
        fn on_paste(app: &mut $crate::app::state::App, text: &str) {
            update::on_paste(app, text)
        }
    };
    (@status) => {
        fn status_hint(&self, app: &$crate::app::state::App) -> Option<$crate::app::keymap::hint::Hint> {
            hints::status_hint(app, self)
        }
    };
    (@part) => {
        fn part(&self) -> Option<$crate::screens::View> {
            Self::view_part(self)
        }
    };
}
pub(crate) use screen_state;

/// A screen's state, found on the stack by its type (what each screen's update code reaches its
/// own state with: `app.screen_mut::<ResetState>()`).
pub trait IsScreen: Sized {
    fn of_mut(screen: &mut Screen) -> Option<&mut Self>;
}

impl App {
    /// The screen showing, if it is a `T`.
    pub fn screen_mut<T: IsScreen>(&mut self) -> Option<&mut T> {
        T::of_mut(&mut self.screen)
    }
}

/// The screens: one line each. Generates [`Screen`] (the navigation stack's entries), [`View`]
/// (what toasts belong to: each screen, and the parts listed first) and the dispatch to
/// [`ScreenState`].
macro_rules! screens {
    (parts: [$($(#[$pdoc:meta])* $part:ident),* $(,)?]
     $($(#[$doc:meta])* $variant:ident($state:ty)),* $(,)?) => {
        /// A screen on the navigation stack.
        #[derive(Debug)]
        pub enum Screen {
            $($(#[$doc])* $variant(Box<$state>)),*
        }

        /// The screens (and parts of screens) a toast can belong to: it goes when they are left.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum View {
            $($(#[$pdoc])* $part,)*
            $($variant),*
        }

        $(impl IsScreen for $state {
            fn of_mut(screen: &mut Screen) -> Option<&mut Self> {
                match screen {
                    Screen::$variant(s) => Some(s),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        })*

        impl Screen {
            /// What toasts given now belong to.
            pub fn view(&self) -> View {
                match self {
                    $(Screen::$variant(s) => s.part().unwrap_or(View::$variant)),*
                }
            }

            /// The keys of the screen showing.
            pub fn on_key(app: &mut App, ev: &KeyEvent, key: Key) -> Option<Vec<Effect>> {
                match app.screen {
                    $(Screen::$variant(_) => <$state as ScreenState>::on_key(app, ev, key)),*
                }
            }

            /// This screen's key handler (for an overlay, which is not `app.screen`).
            pub fn key_handler(&self) -> fn(&mut App, &KeyEvent, Key) -> Option<Vec<Effect>> {
                match self {
                    $(Screen::$variant(_) => <$state as ScreenState>::on_key),*
                }
            }

            /// A paste on the screen showing.
            pub fn on_paste(app: &mut App, text: &str) {
                match app.screen {
                    $(Screen::$variant(_) => <$state as ScreenState>::on_paste(app, text)),*
                }
            }

            pub fn render(&self, frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
                match self {
                    $(Screen::$variant(s) => s.render(frame, area, app, theme)),*
                }
            }

            pub fn hints(&self, app: &App) -> Vec<Option<Hint>> {
                match self {
                    $(Screen::$variant(s) => s.hints(app)),*
                }
            }

            pub fn help_rows(&self) -> HelpRows {
                match self {
                    $(Screen::$variant(s) => s.help_rows()),*
                }
            }

            pub fn is_overlay(&self) -> bool {
                match self {
                    $(Screen::$variant(s) => s.overlay()),*
                }
            }

            pub fn text_focus(&self) -> bool {
                match self {
                    $(Screen::$variant(s) => s.text_focus()),*
                }
            }

            pub fn status_hint(&self, app: &App) -> Option<Hint> {
                match self {
                    $(Screen::$variant(s) => s.status_hint(app)),*
                }
            }
        }
    };
}

screens! {
    parts: [
        /// The log-in form's two-factor step: a notice about the form, such as "Logged out",
        /// means nothing once the code is asked for.
        Tfa,
    ]
    /// The log-in form (password or pasted token), its two-factor step and region picker.
    Login(login::LoginState),
    /// The profile: identity, organisations, roles and rules, permissions, settings, raw JSON.
    Profile(profile::ProfileState),
    /// The edit-profile form, over the profile it was opened from.
    Edit(edit::EditState),
    /// The password-reset wizard (from the log-in form or the profile).
    Reset(reset::ResetState),
    /// Account activation (from the log-in form or the demo mailbox).
    Activate(activate::ActivateState),
    /// The demo server's outbox (demo mode only).
    Mailbox(mailbox::MailboxState),
    /// The key bindings of the screen under it.
    Help(help::HelpState),
    /// The stored accounts, to switch between, add or log out.
    Accounts(accounts::AccountsState),
    /// Browser sign-in (OAuth with PKCE), over the log-in form.
    SignIn(signin::SignInState),
}
