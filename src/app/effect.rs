//! Effects: what `update` asks the outside world to do. `update` only describes them; the
//! [`EffectRunner`](super::runner::EffectRunner) performs them and answers with messages.

use std::time::Duration;

use secrecy::SecretString;

use super::msg::{Msg, RequestId};
use crate::api::{Endpoint, UserUpdate};
use crate::store::StoredSession;
use crate::store::drafts::DraftKey;

#[derive(Debug)]
pub enum Effect {
    /// `POST /v3/user-session`, with the 2FA code on the second step.
    Login {
        id: RequestId,
        endpoint: Endpoint,
        email: String,
        password: SecretString,
        tfa_token: Option<String>,
    },
    /// `POST /v3/user/request_token_sms`.
    RequestSms {
        id: RequestId,
        endpoint: Endpoint,
        email: String,
        password: SecretString,
    },
    /// `GET /v3/user` with everything the profile shows.
    GetUser {
        id: RequestId,
        endpoint: Endpoint,
        token: SecretString,
    },
    /// `DELETE /v3/user-session`.
    Logout {
        id: RequestId,
        endpoint: Endpoint,
        token: SecretString,
    },
    /// `PUT /v3/user` with only the changed fields.
    UpdateUser {
        id: RequestId,
        endpoint: Endpoint,
        token: SecretString,
        changes: UserUpdate,
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
    /// `POST /v3/user/forgot_password`.
    ForgotPassword {
        id: RequestId,
        endpoint: Endpoint,
        email: String,
    },
    /// `POST /v3/user/reset_password`.
    ResetPassword {
        id: RequestId,
        endpoint: Endpoint,
        token: SecretString,
        password: SecretString,
        confirmation: SecretString,
    },
    /// `POST /v3/user/activate/{token}`.
    Activate {
        id: RequestId,
        endpoint: Endpoint,
        token: SecretString,
        first_name: String,
        last_name: String,
        password: SecretString,
        confirmation: SecretString,
    },
    /// `GET /demo/outbox` on the demo server (demo mode only).
    FetchOutbox {
        id: RequestId,
        endpoint: Endpoint,
    },
    /// Writes the session file (remember me).
    SaveSession(StoredSession),
    /// Deletes the session file.
    DeleteSession,
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
    Quit,
}
