//! The event loop and the entry point `main` calls.
//!
//! One `select!`, biased towards messages already queued, then terminal input, then
//! cancellation; a spinner beat is polled only while a request runs. Each message goes through
//! `update`, its effects to the runner, and the screen is drawn once the queue is empty and
//! something changed, as slumber does: a burst of messages costs one frame, and an idle app
//! draws nothing at all.
//!
//! The input stream is a parameter, so tests drive the whole app with a channel instead of a
//! terminal.

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event, EventStream};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use secrecy::SecretString;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio_util::sync::CancellationToken;

use crate::api::{ClientConfig, Endpoint};
use crate::app::keymap::Keymap;
use crate::app::msg::Msg;
use crate::app::runner::EffectRunner;
use crate::app::state::{App, DemoEntry, DemoPanel};
use crate::app::update::{open_session, startup_notices, update};
use crate::config::Config;
use crate::screens::login::SessionSource;
use crate::store::SessionStore;
use crate::store::drafts::DraftStore;
use crate::ui::theme::Theme;

/// How often the spinner turns while a request runs.
pub const SPINNER_PERIOD: Duration = Duration::from_millis(100);

/// What `main` hands the full-screen app.
pub struct TuiOptions {
    pub endpoint: Endpoint,
    /// `None`: remember-me is disabled (no config directory).
    pub store: Option<SessionStore>,
    /// Where unsaved profile edits are kept (`None`: they are not kept).
    pub drafts: Option<DraftStore>,
    pub config: Config,
    /// `CONTENTSTACK_AUTHTOKEN`, which wins over the stored session.
    pub env_token: Option<SecretString>,
    pub demo: Option<DemoInfo>,
}

/// Demo mode: the demo server's accounts, shown beside the log-in form, and its 2FA user's
/// code. Filled by the command that starts the demo server (the app does not depend on it).
pub struct DemoInfo {
    pub logins: Vec<DemoEntry>,
    pub tfa_secret: String,
    /// The 2FA demo user's current code.
    pub code: fn() -> String,
}

/// Runs the loop until the user quits, the input ends or `cancel` fires.
pub async fn run_loop<B, S>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    theme: &Theme,
    mut input: S,
    runner: &mut EffectRunner,
    mut rx: UnboundedReceiver<Msg>,
    cancel: CancellationToken,
) -> color_eyre::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = io::Result<Event>> + Unpin,
{
    let mut spinner = tokio::time::interval(SPINNER_PERIOD);
    spinner.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut dirty = true;
    // An answer was handled since the last frame: its memory goes back once that frame is out.
    let mut freed = false;
    while !app.should_quit {
        if dirty && rx.is_empty() {
            terminal.draw(|f| crate::ui::draw(f, app, theme))?;
            app.frames += 1;
            dirty = false;
            if std::mem::take(&mut freed) {
                // Decoding the answer freed what it took (a large profile: tens of megabytes);
                // now that `update` has dropped the rest and the frame is on screen, give it
                // back to the system (a few milliseconds the user no longer waits for).
                crate::sys::release_freed_memory();
            }
        }
        let msg = tokio::select! {
            biased;
            Some(msg) = rx.recv() => msg,
            event = input.next() => match event {
                Some(Ok(event)) => match Msg::from_event(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            () = cancel.cancelled() => break,
            _ = spinner.tick(), if app.is_busy() => Msg::Tick,
        };
        if let Msg::Resize(w, h) = msg {
            // The terminal may have lost what ratatui thinks it shows (a resize, or the shell
            // drew on it while the app was suspended): repaint all of it. Not `clear()`, which
            // asks the terminal where its cursor is and fails the whole app when the answer is
            // slow (a laggy SSH link) or never comes; `resize` clears and forgets the last frame
            // without asking anything.
            terminal.resize(ratatui::layout::Rect::new(0, 0, w, h))?;
        }
        freed |= matches!(msg, Msg::Api { .. });
        for effect in update(app, msg) {
            runner.run(effect);
        }
        dirty = true;
    }
    Ok(())
}

/// Puts `text` on the terminal's clipboard with OSC 52 (`ESC ] 52 ; c ; <base64> BEL`), which
/// terminals that allow it take from the program they run, over SSH too (tmux: `set -g
/// set-clipboard on`).
fn osc52(text: &str) -> io::Result<()> {
    use base64::Engine;
    use io::Write;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = io::stdout().lock();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

/// The app's state at start: keymap (with the config's overrides), theme, demo panel. Also
/// returns the config's problems, for [`start`] to show.
pub fn initial_app(opts: &TuiOptions, viewport: (u16, u16)) -> (App, Vec<String>) {
    let (keymap, problems) = Keymap::with_overrides(&opts.config.keys);
    let mut app = App::new(opts.endpoint.clone(), keymap, viewport);
    app.can_remember = opts.store.is_some();
    app.copy_enabled = opts.config.osc52 != Some(false);
    app.oauth = opts.config.oauth_settings();
    // In demo mode the endpoint at start is the demo server: the mailbox reads it from there.
    app.demo_endpoint = opts.demo.as_ref().map(|_| opts.endpoint.clone());
    app.demo = opts.demo.as_ref().map(|d| DemoPanel {
        logins: d.logins.clone(),
        tfa_secret: d.tfa_secret.clone(),
        code: None,
        ticking: false,
    });
    (app, problems)
}

/// Decides how the app opens: the environment token, else the stored session (if it is for
/// this endpoint), else the log-in form. Returns the first effects.
///
/// The stored session's token goes only to the endpoint that issued it: when the app runs on
/// another one (flags, environment or config asked for it), the log-in form opens for that
/// endpoint and says so, and the token is not sent anywhere. The session stays stored: a log-in
/// here adds another session.
pub fn start(app: &mut App, opts: &TuiOptions, mut problems: Vec<String>) -> Vec<crate::app::Effect> {
    let mut effects = Vec::new();
    if app.demo.is_some() {
        if let Some(d) = &mut app.demo {
            d.ticking = true;
        }
        effects.push(crate::app::Effect::DemoCode { wait: false });
    }
    // The active session of this endpoint; without one, the active session used last, to say
    // where the user does have one.
    let stored = match opts.store.as_ref().map(|s| {
        s.load_active(&opts.endpoint).and_then(|here| match here {
            Some(here) => Ok(Some(here)),
            None => s.load(),
        })
    }) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            problems.push(e.to_string());
            None
        }
        None => None,
    };
    if let Some(warning) =
        opts.store.as_ref().and_then(|s| s.path().parent()).and_then(crate::config::dir_warning)
    {
        problems.push(warning);
    }
    if let Some(token) = &opts.env_token {
        effects.extend(open_session(app, String::new(), token.clone().into(), SessionSource::Env));
    } else if let Some(s) = stored {
        if s.endpoint == opts.endpoint {
            let email = s.email.clone();
            effects.extend(open_session(
                app,
                email,
                s.credential(opts.store.as_ref()),
                SessionSource::Stored,
            ));
        } else if let Some(l) = app.login_mut() {
            l.email.set(&s.email);
            l.focus = crate::screens::login::Focus::Password;
            l.error = Some(crate::app::field::FormError {
                title: format!("Not logged in to {}", opts.endpoint.name()),
                message: format!(
                    "Your saved session ({}) is for {}; its token is not sent here. Log in to {}, or run `cs-account {}` to use it.",
                    s.email,
                    s.endpoint.name(),
                    opts.endpoint.name(),
                    s.endpoint.flag()
                ),
                retry: false,
            });
        }
    }
    effects.extend(startup_notices(app, &problems));
    effects
}

/// The full-screen app: sets the terminal up, runs the loop on the terminal's events, and puts
/// the terminal back on every way out (return, error, panic through ratatui's hook, signals).
pub async fn run_tui(opts: TuiOptions) -> color_eyre::Result<()> {
    let started = Instant::now();
    crate::sys::keep_large_blocks_apart();
    let mut terminal = ratatui::try_init()?;
    install_paste_hook();
    let setup = crossterm::execute!(io::stdout(), EnableBracketedPaste);
    let result = match setup {
        Ok(()) => run_on_terminal(&mut terminal, opts, started).await,
        Err(e) => Err(e.into()),
    };
    let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste);
    ratatui::try_restore()?;
    result
}

async fn run_on_terminal(
    terminal: &mut ratatui::DefaultTerminal,
    opts: TuiOptions,
    started: Instant,
) -> color_eyre::Result<()> {
    let size = terminal.size()?;
    let (mut app, problems) = initial_app(&opts, (size.width, size.height));
    let (tx, rx) = unbounded_channel();
    let cancel = CancellationToken::new();
    spawn_signal_watch(tx.clone(), cancel.clone());
    let mut runner = EffectRunner::new(
        ClientConfig::new(opts.endpoint.clone()),
        opts.store.clone(),
        tx,
        cancel.child_token(),
    );
    if let Some(drafts) = opts.drafts.clone() {
        runner = runner.with_drafts(drafts);
    }
    if let Some(demo) = &opts.demo {
        runner = runner.with_demo_code(demo.code);
    }
    #[cfg(unix)]
    {
        runner = runner.with_suspend(suspend_terminal);
    }
    if app.copy_enabled {
        runner = runner.with_clipboard(osc52);
    }
    for effect in start(&mut app, &opts, problems) {
        runner.run(effect);
    }
    tracing::info!(endpoint = %opts.endpoint, setup_ms = started.elapsed().as_millis() as u64, "TUI started");
    let input = with_debug_panic(EventStream::new());
    let result =
        run_loop(terminal, &mut app, &Theme::from_env(), input, &mut runner, rx, cancel.clone()).await;
    cancel.cancel();
    tracing::info!(frames = app.frames, "TUI stopped");
    runner.shutdown(Duration::from_secs(2)).await;
    result
}

/// The hidden switch that makes the running loop panic, for the terminal-hygiene tests
/// (`tests/hygiene_pty.rs`): they need a real panic inside the real loop to prove that the panic
/// hook restores the terminal and that the report shows no secret. Deliberately absent from
/// `--help` and the README: it is a test hook, and it does nothing unless set to one of
///
/// - `after-first-frame`: panics when the loop first waits for input, which is right after the
///   first frame is drawn;
/// - `on-key`: panics when F12 is pressed, so a test can log in first.
const DEBUG_PANIC_ENV: &str = "CS_ACCOUNT_DEBUG_PANIC";

/// The terminal's events, with the [`DEBUG_PANIC_ENV`] switch applied.
fn with_debug_panic<S>(input: S) -> std::pin::Pin<Box<dyn Stream<Item = io::Result<Event>>>>
where
    S: Stream<Item = io::Result<Event>> + 'static,
{
    use crossterm::event::KeyCode;
    match std::env::var(DEBUG_PANIC_ENV).as_deref() {
        Ok("after-first-frame") => {
            futures::stream::poll_fn(|_| -> std::task::Poll<Option<io::Result<Event>>> {
                panic!("{DEBUG_PANIC_ENV}: deliberate panic after the first frame")
            })
            .chain(input)
            .boxed_local()
        }
        Ok("on-key") => input
            .inspect(|event| {
                if let Ok(Event::Key(k)) = event
                    && k.code == KeyCode::F(12)
                {
                    panic!("{DEBUG_PANIC_ENV}: deliberate panic on F12");
                }
            })
            .boxed_local(),
        _ => input.boxed_local(),
    }
}

/// Turns bracketed paste off on a panic too (ratatui's hook restores raw mode and the screen).
fn install_paste_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste);
        previous(info);
    }));
}

/// SIGTERM, SIGHUP, SIGINT and SIGQUIT quit like the quit key (through `update`), so the
/// terminal is restored and essential work (a log-out call, the session file) still gets its
/// grace period. (The `ctrl-c` and `ctrl-\` keys never raise SIGINT or SIGQUIT here: raw mode turns
/// them into keys; these come from `kill` or a parent.) SIGTSTP suspends like ctrl-z, and
/// SIGCONT repaints the whole screen, whoever stopped the app.
fn spawn_signal_watch(tx: UnboundedSender<Msg>, cancel: CancellationToken) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let kinds = [
            SignalKind::terminate(),
            SignalKind::hangup(),
            SignalKind::interrupt(),
            SignalKind::quit(),
            SignalKind::from_raw(rustix::process::Signal::TSTP.as_raw()),
            SignalKind::from_raw(rustix::process::Signal::CONT.as_raw()),
        ];
        let mut streams = Vec::new();
        for kind in kinds {
            match signal(kind) {
                Ok(s) => streams.push(s),
                Err(e) => {
                    tracing::warn!("could not watch signal {}: {e}", kind.as_raw_value());
                    return;
                }
            }
        }
        let [term, hup, int, quit, tstp, cont] = &mut streams[..] else { return };
        loop {
            let msg = tokio::select! {
                _ = term.recv() => Msg::Quit,
                _ = hup.recv() => Msg::Quit,
                _ = int.recv() => Msg::Quit,
                _ = quit.recv() => Msg::Quit,
                _ = tstp.recv() => Msg::Suspend,
                _ = cont.recv() => match crossterm::terminal::size() {
                    Ok((w, h)) => Msg::Resize(w, h),
                    Err(_) => continue,
                },
                () = cancel.cancelled() => return,
            };
            tracing::info!(?msg, "signal received");
            let quitting = matches!(msg, Msg::Quit);
            if tx.send(msg).is_err() || quitting {
                return;
            }
        }
    });
    #[cfg(not(unix))]
    let _ = (tx, cancel);
}

/// What [`Effect::Suspend`](super::Effect::Suspend) does on a real terminal: give it back as the
/// shell had it (normal screen, cursor shown, no bracketed paste, cooked mode), stop the whole
/// job as the terminal's own ctrl-z would (SIGSTOP to the process group: it cannot be caught,
/// unlike SIGTSTP, which the app handles), and once the shell continues it, take the terminal
/// again. Returns the terminal's size, which may have changed while the app was stopped.
#[cfg(unix)]
pub(crate) fn suspend_terminal() -> io::Result<(u16, u16)> {
    use crossterm::{cursor, terminal};
    let mut out = io::stdout();
    crossterm::execute!(out, DisableBracketedPaste, terminal::LeaveAlternateScreen, cursor::Show)?;
    terminal::disable_raw_mode()?;
    tracing::info!("suspended");
    rustix::process::kill_current_process_group(rustix::process::Signal::STOP)?;
    // Here once continued (`fg`, or SIGCONT from anyone).
    tracing::info!("continued");
    terminal::enable_raw_mode()?;
    crossterm::execute!(out, terminal::EnterAlternateScreen, EnableBracketedPaste, cursor::Hide)?;
    terminal::size()
}
