//! Effects: what `update` asks the outside world to do. `update` only describes them; the
//! [`EffectRunner`](super::runner::EffectRunner) performs them and answers with messages.

use std::time::Duration;

use super::msg::{Msg, RequestId};
use super::request::Request;
use crate::api::Endpoint;
use crate::api::UserUpdate;
use crate::store::drafts::DraftKey;
use crate::store::{Obtained, StoredSession};

#[derive(Debug)]
pub enum Effect {
    /// An API call, and what to do with its answer; answered with [`Msg::Api`] and the same
    /// id, carrying the request's continuation.
    Request {
        id: RequestId,
        request: Request,
    },
    /// Writes the profile draft (the edit form's unsaved changes).
    SaveDraft {
        key: DraftKey,
        changes: UserUpdate,
    },
    /// Reads the profile draft, answered with [`Msg::Draft`].
    LoadDraft(DraftKey),
    /// Deletes the profile draft.
    DeleteDraft(DraftKey),
    /// Adds the session to the sessions file, or refreshes the same account's (remember me);
    /// the other stored sessions stay.
    SaveSession(StoredSession, Obtained),
    /// Forgets `email`'s stored session on `endpoint` (only that one), if there is one.
    /// Makes a stored session the active one of its endpoint (after switching to it).
    ActivateSession {
        endpoint: Endpoint,
        email: String,
    },
    DeleteSession {
        endpoint: Endpoint,
        email: String,
    },
    /// Stops a request; its answer, if one still comes, is dropped.
    Cancel(RequestId),
    /// Sends `msg` back after `after`.
    Timer {
        after: Duration,
        msg: Box<Msg>,
    },
    /// Sends the demo 2FA user's code as [`Msg::DemoCode`]: now, or (`wait`) once the current
    /// one expires at the next 30-second boundary.
    DemoCode {
        wait: bool,
    },
    /// Hands the terminal back to the shell and stops the process until it is continued
    /// (`fg`), then takes the terminal again and reports its size, so the loop redraws it all.
    Suspend,
    /// Puts `text` on the clipboard through the terminal (OSC 52): written on the loop's own
    /// thread, between frames, so it never lands inside a frame's escape sequences.
    Copy(String),
    Quit,
}
