//! Browser sign-in (OAuth with PKCE): the way in for users of SSO organisations, whose password
//! log-in gives no token. The screen shows the address to open (and opens it in the browser
//! when one can be), listens on 127.0.0.1 for the browser to come back with the code, and takes
//! the address the browser ended on (or the code) pasted instead, for SSH and for a taken port.
//! The wait counts down and `Esc` cancels it.

pub mod hints;
pub mod update;
pub mod view;

use std::time::Instant;

use crate::api::Endpoint;
use crate::api::signin::BrowserSignIn;
use crate::app::field::{FormError, TextField};

/// Where the browser stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Browser {
    /// Being opened.
    Opening,
    Opened,
    /// It could not be (why): the address is opened by hand, on any device.
    NotOpened(String),
}

/// Where the listener stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listener {
    /// Waiting for the browser's redirect.
    Waiting,
    /// It could not listen, or its wait ended without a code (why): pasting still works.
    Stopped(String),
}

#[derive(Debug)]
pub struct SignInState {
    pub endpoint: Endpoint,
    /// This sign-in's address, verifier and `state`.
    pub sign_in: BrowserSignIn,
    /// Store the session once signed in (the log-in form's "remember me").
    pub remember: bool,
    pub browser: Browser,
    pub listener: Listener,
    /// The address the browser ended on, or the code, pasted.
    pub paste: TextField,
    pub error: Option<FormError>,
    /// When the wait started, and the seconds left of it (redrawn once a second).
    pub started: Instant,
    pub seconds_left: u64,
    /// Names the chain of countdown ticks, so a stale one (from before a restart) is dropped.
    pub tick_epoch: u64,
    /// A code is being exchanged.
    pub signing_in: bool,
    /// The browser's code, come back while a pasted one was being exchanged: tried next if
    /// that fails.
    pub browser_code: Option<String>,
}

impl SignInState {
    pub fn new(endpoint: Endpoint, sign_in: BrowserSignIn, remember: bool) -> Self {
        SignInState {
            endpoint,
            sign_in,
            remember,
            browser: Browser::Opening,
            listener: Listener::Waiting,
            paste: TextField::plain(),
            error: None,
            started: Instant::now(),
            seconds_left: crate::api::signin::WAIT.as_secs(),
            tick_epoch: 0,
            signing_in: false,
            browser_code: None,
        }
    }
}

crate::screens::screen_state!(SignInState, paste);
