//! Messages: everything that can change the app's state arrives as one of these, whether from
//! the terminal, a finished request or a timer.

use crossterm::event::{Event, KeyEvent, KeyEventKind};

use super::request::Reply;
use crate::store::drafts::{Draft, DraftError, DraftKey};

/// Names one request, so that its answer can be matched to what asked for it (and dropped when
/// that is gone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// Names one toast, so its timer dismisses that toast and no other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ToastId(pub u64);

/// The outcome of a session-file operation, as a sentence when it failed.
#[derive(Debug)]
pub enum StoreResult {
    Saved(Result<(), String>),
    Deleted(Result<bool, String>),
}

/// The outcome of a draft operation, sent back to `update`.
#[derive(Debug)]
pub enum DraftResult {
    Loaded(DraftKey, Result<Option<Box<Draft>>, DraftError>),
    Saved(Result<(), DraftError>),
    Deleted(Result<bool, DraftError>),
}

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// The spinner's beat; only sent while a request runs.
    Tick,
    /// The answer to the request `id`, with its continuation. Boxed: a profile is large, and
    /// every other message is small.
    Api {
        id: RequestId,
        reply: Box<Reply>,
    },
    Stored(StoreResult),
    /// The demo 2FA user's current code (demo mode only).
    DemoCode(String),
    DismissToast(ToastId),
    /// The reset token's countdown, once a minute while the wizard shows. `sent` and `epoch`
    /// name the chain of ticks, so a stale one is dropped.
    ResetTick {
        sent: std::time::Instant,
        epoch: u64,
    },
    /// The browser sign-in's countdown, once a second while it waits; `epoch` names the chain.
    SignInTick {
        epoch: u64,
    },
    /// The outcome of reading, writing or deleting the profile draft.
    Draft(DraftResult),
    /// The wait a 429 asked for before saving again is over (for the failure of this request).
    SaveRetryReady(RequestId),
    Quit,
    /// Stop the process for the shell's job control (ctrl-z, or SIGTSTP from outside): the
    /// terminal is handed back first and taken again when the shell continues the app.
    Suspend,
}

impl Msg {
    /// The message for a terminal event, if the app cares about it. Key releases are dropped
    /// (terminals with the kitty protocol report them) and so is the mouse, which is off.
    pub fn from_event(event: Event) -> Option<Msg> {
        match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => Some(Msg::Key(k)),
            Event::Paste(text) => Some(Msg::Paste(text)),
            Event::Resize(w, h) => Some(Msg::Resize(w, h)),
            _ => None,
        }
    }
}
