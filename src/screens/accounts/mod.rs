//! The account switcher: every stored session (email, region or URL, in use or not, last used,
//! how obtained), each checked in the background against its own server; Enter switches to one
//! (its profile loads with its own token, on its own server, and only then does it become the
//! account in use), `a` adds one through the log-in form, `d` logs one out.
//!
//! Other accounts' tokens never enter the app: the runner reads each from the store for the one
//! request that needs it (see `Request::CheckAccount` and `Request::SwitchAccount`).

pub mod hints;
pub mod update;
pub mod view;

use std::cell::Cell;

use crate::api::Endpoint;
use crate::api::check::TokenCheck;
use crate::store::SessionInfo;

/// What the switcher knows of a session's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Validity {
    /// Its server is being asked.
    Checking,
    /// Its server answered.
    Checked(TokenCheck),
}

/// One stored session.
#[derive(Debug, Clone)]
pub struct AccountRow {
    pub info: SessionInfo,
    pub validity: Validity,
}

impl AccountRow {
    fn is(&self, endpoint: &Endpoint, email: &str) -> bool {
        &self.info.endpoint == endpoint && self.info.email.eq_ignore_ascii_case(email)
    }
}

#[derive(Debug, Default)]
pub struct AccountsState {
    /// The stored sessions, as the store lists them.
    pub rows: Vec<AccountRow>,
    pub selected: usize,
    /// Whether the store answered (before it: "reading", not "none").
    pub loaded: bool,
    /// Why the store could not be read.
    pub error: Option<String>,
    /// The account being switched to, while its profile loads.
    pub switching: Option<(Endpoint, String)>,
    /// The row whose log-out waits for a yes.
    pub confirm_logout: Option<usize>,
    /// The account in use when the switcher opened (endpoint and email), marked in the list.
    pub current: Option<(Endpoint, String)>,
    /// List rows the view last drew: what a page is.
    pub page: Cell<usize>,
}

impl AccountsState {
    pub fn new(current: Option<(Endpoint, String)>) -> Self {
        AccountsState { current, ..AccountsState::default() }
    }

    pub fn selected_row(&self) -> Option<&AccountRow> {
        self.rows.get(self.selected)
    }

    /// Whether `row` is the account in use.
    pub fn is_current(&self, row: &AccountRow) -> bool {
        self.current.as_ref().is_some_and(|(endpoint, email)| row.is(endpoint, email))
    }

    fn row_mut(&mut self, endpoint: &Endpoint, email: &str) -> Option<&mut AccountRow> {
        self.rows.iter_mut().find(|r| r.is(endpoint, email))
    }

    /// Moves the selection by `delta`, clamped.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize).saturating_add(delta).clamp(0, last.max(0)) as usize;
    }
}

crate::screens::screen_state!(AccountsState);
