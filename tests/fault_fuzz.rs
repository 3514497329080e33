//! The randomised fault test of issue 5 (item 2): the whole app, in its real event loop, driven
//! by random key sequences while the demo server injects random faults.
//!
//! The server misbehaves in turns ("regimes"): latency (some of it past the client's timeout),
//! random 503s, forced answers per route (5xx, 401, 429, 422, half a JSON body, a dropped
//! connection, a request that never answers), and now and then the session dies behind the
//! app's back (the demo clock moves past the session's lifetime, or the session is logged out
//! through the API with the app's own token) or the rate limit is used up so that real 429s with
//! `Retry-After` come back. The client runs with 300 ms timeouts, so a hung request ends quickly.
//!
//! The keys come from a generator that mostly does what a user would on the screen it sees
//! (open the edit form with `e`, move between fields, type letters and digits, Backspace, review,
//! save, Esc, the retry key, tabs and refresh on the profile, logging in again after a 401,
//! answering the draft question), with random keys mixed in. Now and then the terminal closes
//! (ctrl-c) and the program starts again on the same server. Before the random part, a probe
//! makes sure every run types on the form while a refresh hangs and presses `?` and Esc while a
//! save hangs, whatever the seed.
//!
//! **How the test sees the app.** The loop runs one *segment* at a time: a fresh input stream
//! holding one key (or none, for a wait), the loop started on the app, then the stream closed,
//! so the loop handles the key and whatever answers came, and returns the app. Between
//! segments the test owns the app and compares it with the one before. Answers of requests keep
//! arriving in between (they are relayed to each segment), so they interleave with keys as they
//! would with a person typing.
//!
//! **What is checked**, at every key:
//! - no panic anywhere (the loop task, the runner's tasks: a panic hook counts them), the loop
//!   never stops handling input (each segment ends within 10 s) and the app never quits;
//! - the edit form's values change only by exactly what the key sent does to one field (or by
//!   restoring a draft the user chose), wherever the form is (on screen, or kept for after a
//!   log-in); a typed character on the form always lands, also while other requests hang, and
//!   the last frame drawn is the app's state with it;
//! - the form goes away only when the user discarded it, left it unchanged, or a save succeeded,
//!   and then the server holds exactly the form's values;
//! - Esc while a save runs cancels it at once; `?` opens help while requests hang;
//! - when nothing is pending, no spinner or busy label shows.
//!
//! After a quit, the draft on disk holds the form's edits. At checkpoints (faults cleared):
//! every request ends within a bound (by the client's timeout for the hung ones), the spinner
//! stops, and the draft on disk holds the form's edits. At the end: faults cleared, logged in
//! again if needed, a final save, and the server holds exactly the user's last values.
//!
//! **A seed repeats its run.** Everything runs on one thread with tokio's clock paused (it moves
//! only when every task waits, straight to the next timer), so timeouts, latency, holds and waits
//! are exact and no thread decides an order: the demo server, the app's loop and its requests
//! (over real loopback HTTP) and the draft files (written on that thread too) take their turns in
//! the same order every run. The server's random failures draw from the seed, the client's
//! retries do not wait (no jitter). `a_seed_repeats_its_run` checks it. A run takes seconds
//! rather than the minutes its clock shows.
//!
//! **A run is a log.** Every key, paste, wait and server event is recorded, one JSON line each,
//! with what the test saw after it; a failure writes the log to `target/tmp` and says how to
//! replay it (`FAULT_FUZZ_REPLAY=<log> cargo test --release --test fault_fuzz replay --
//! --ignored --nocapture`), which sends the same keys and events with the same checks (and says
//! where the run first differs from the log, as after a fix). A log can be cut by hand to find
//! the keys that matter. `FAULT_FUZZ_LOG=<file>` writes the log of a run that passes too.
//!
//! `FAULT_FUZZ_SEED` and `FAULT_FUZZ_STEPS` set the seed and the number of steps; a failure
//! prints the seed, the last steps and the screen. The bounded run is in `cargo test`; the long
//! one (a new seed each time unless set):
//! `cargo test --release --test fault_fuzz long_run -- --ignored --nocapture`.

mod common;

use std::collections::VecDeque;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use cs_account::api::{Client, ClientConfig, Endpoint, GetUserOptions, RetryPolicy, UserUpdate};
use cs_account::app::field::TextField;
use cs_account::app::request::{Kind, Pending};
use cs_account::app::run::{TuiOptions, initial_app, start};
use cs_account::app::state::{App, Confirm, Screen};
use cs_account::app::{EffectRunner, Msg, run_loop};
use cs_account::config::Config;
use cs_account::demo::{DemoOptions, DemoServer, FaultAnswer, Faults, RouteFault};
use cs_account::screens::edit::EditField;
use cs_account::screens::edit::EditForm;
use cs_account::screens::edit::Step;
use cs_account::screens::login::Focus;
use cs_account::screens::login::Method;
use cs_account::store::drafts::{DRAFT_DIR, DraftKey, DraftStore};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

const EMAIL: &str = "john.doe@example.com";
const PASSWORD: &str = "Demo-pass-1234";
/// The client's connect and whole-request timeouts: hung requests end after this.
const TIMEOUT: Duration = Duration::from_millis(300);
/// What the bounded run does when `FAULT_FUZZ_STEPS` is not set.
const BOUNDED_STEPS: usize = 1500;
const LONG_STEPS: usize = 20_000;
/// A fixed seed for the bounded run, so `cargo test` repeats the same keys and faults.
const BOUNDED_SEED: u64 = 0x5eed_f00d_2025;
/// Checkpoints (faults cleared, every request must end) this often.
const CHECKPOINT_EVERY: usize = 400;
/// How often, per step, the terminal closes and the program starts again.
const RESTART_CHANCE: f64 = 0.002;
/// Longest time every request may take to end once faults are cleared: a timeout per try, two
/// tries (the clock is the test's: no slack for a loaded machine is needed).
const DRAIN_BOUND: Duration = Duration::from_millis(800);
/// Keys the final save may take at most (logging in again, fixing fields, reviewing).
const FINAL_KEYS: usize = 1000;
/// How many steps `a_seed_repeats_its_run` runs twice.
const REPEAT_STEPS: usize = 400;

/// What the status bar, the log-in form or the review says while a request runs, as the app
/// writes it.
fn busy_labels() -> impl Iterator<Item = &'static str> {
    Kind::LABELS.into_iter().chain([cs_account::screens::edit::review::SAVING])
}

#[test]
fn random_keys_under_random_faults_lose_nothing() {
    let seed = env_u64("FAULT_FUZZ_SEED").unwrap_or(BOUNDED_SEED);
    let steps = env_u64("FAULT_FUZZ_STEPS").map_or(BOUNDED_STEPS, |n| n as usize);
    run(seed, steps);
}

/// The long run: `cargo test --release --test fault_fuzz long_run -- --ignored` (a new seed each
/// time unless `FAULT_FUZZ_SEED` is set).
#[test]
#[ignore = "long: 20,000 steps; run with --ignored"]
fn random_keys_under_random_faults_long_run() {
    let seed = env_u64("FAULT_FUZZ_SEED").unwrap_or_else(|| {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1)
    });
    let steps = env_u64("FAULT_FUZZ_STEPS").map_or(LONG_STEPS, |n| n as usize);
    run(seed, steps);
}

/// What the header promises: the same seed gives the same run, key for key and screen for
/// screen (the log holds every key and server event, and what the test saw after each).
#[test]
fn a_seed_repeats_its_run() {
    let seed = env_u64("FAULT_FUZZ_SEED").unwrap_or(BOUNDED_SEED ^ 0xfeed);
    let first = in_runtime(fuzz(seed, REPEAT_STEPS, None)).1;
    let second = in_runtime(fuzz(seed, REPEAT_STEPS, None)).1;
    assert!(first.len() > REPEAT_STEPS, "the log holds every step: {} lines", first.len());
    if let Some(at) = first.iter().zip(&second).position(|(a, b)| a != b) {
        panic!(
            "seed {seed:#x} ran differently the second time, from line {at} of the log:\nfirst:  {}\nsecond: {}",
            first[at], second[at]
        );
    }
    assert_eq!(first.len(), second.len(), "the two runs' logs differ in length");
}

/// Replays a log written by a failed run: `FAULT_FUZZ_REPLAY=<log> cargo test --release --test
/// fault_fuzz replay -- --ignored --nocapture`. Without the variable there is nothing to replay,
/// and it says so instead of failing, so that `-- --ignored` runs the long fuzz alone.
#[test]
#[ignore = "replays the log named by FAULT_FUZZ_REPLAY"]
fn replay() {
    let Ok(path) = std::env::var("FAULT_FUZZ_REPLAY") else {
        eprintln!("replay: nothing to replay; set FAULT_FUZZ_REPLAY to the log a failed run wrote");
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let log = Replay::parse(&text).unwrap_or_else(|e| panic!("{path} is not a fault fuzz log: {e}"));
    let (seed, steps) = (log.seed, log.steps);
    let started = std::time::Instant::now();
    let (stats, log) = in_runtime(fuzz(seed, steps, Some(log)));
    if let Ok(path) = std::env::var("FAULT_FUZZ_LOG") {
        write_log(Path::new(&path), &log);
    }
    eprintln!(
        "fault fuzz: replayed {path} (seed {seed:#x}) in {:.1} s; {stats:?}",
        started.elapsed().as_secs_f64()
    );
}

fn env_u64(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let text = text.trim();
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    Some(parsed.unwrap_or_else(|e| panic!("{name}={text:?} is not a number: {e}")))
}

/// This binary's state directory (where the runner keeps drafts), emptied the first time it is
/// asked for. Each run's demo server has its own port, so each run's draft has its own key.
fn state_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| common::fresh_dir("fault-fuzz"))
}

/// Runs `test` on the runtime that makes a run repeat itself: one thread, the clock paused.
fn in_runtime<T>(test: impl std::future::Future<Output = T>) -> T {
    state_dir();
    count_panics();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("runtime");
    rt.block_on(test)
}

fn run(seed: u64, steps: usize) {
    let started = std::time::Instant::now();
    let (stats, log) = in_runtime(fuzz(seed, steps, None));
    if let Ok(path) = std::env::var("FAULT_FUZZ_LOG") {
        write_log(Path::new(&path), &log);
    }
    eprintln!(
        "fault fuzz: seed {seed:#x}, {steps} steps in {:.1} s; {stats:?}",
        started.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------------------------
// Panics anywhere in the process (the loop, the runner's tasks, the demo server) are counted.

static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
}

// ---------------------------------------------------------------------------------------------
// A small seeded generator (SplitMix64): the test's choices depend on the seed only.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// An index into `weights`, each chosen in proportion to its weight.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// What the test sends.

#[derive(Clone, Debug, PartialEq)]
enum Input {
    Key(KeyEvent),
    Paste(String),
    /// No key: the loop runs this long, handling answers and spinner beats.
    Wait(Duration),
}

fn key(code: KeyCode) -> Input {
    Input::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Input {
    let mods = if c.is_ascii_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    Input::Key(KeyEvent::new(KeyCode::Char(c), mods))
}

fn ctrl(c: char) -> Input {
    Input::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn wait_ms(ms: u64) -> Input {
    Input::Wait(Duration::from_millis(ms))
}

impl Input {
    fn is(&self, code: KeyCode) -> bool {
        matches!(self, Input::Key(k) if k.code == code && !k.modifiers.contains(KeyModifiers::CONTROL))
    }

    fn is_char(&self, c: char) -> bool {
        self.is(KeyCode::Char(c))
    }

    /// A printable character without Ctrl or Alt: what a text field takes as typing.
    fn typed_char(&self) -> Option<char> {
        match self {
            Input::Key(k) if !k.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                match k.code {
                    KeyCode::Char(c) => Some(c),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn show(&self) -> String {
        match self {
            Input::Key(k) => {
                let mut s = String::new();
                if k.modifiers.contains(KeyModifiers::CONTROL) {
                    s.push_str("ctrl-");
                }
                if k.modifiers.contains(KeyModifiers::ALT) {
                    s.push_str("alt-");
                }
                match k.code {
                    KeyCode::Char(c) => s.push_str(&format!("{c:?}")),
                    other => s.push_str(&format!("{other:?}")),
                }
                s
            }
            Input::Paste(t) => format!("paste {t:?}"),
            Input::Wait(d) => format!("wait {} ms", d.as_millis()),
        }
    }

    /// The input as the log writes it.
    fn to_json(&self) -> Value {
        match self {
            Input::Key(k) => {
                let code = match k.code {
                    KeyCode::Char(c) => json!({ "char": c.to_string() }),
                    KeyCode::F(n) => json!({ "key": format!("F{n}") }),
                    other => json!({ "key": format!("{other:?}") }),
                };
                let mut v = code;
                v["mods"] = json!(k.modifiers.bits());
                v
            }
            Input::Paste(t) => json!({ "paste": t }),
            Input::Wait(d) => json!({ "wait_ms": d.as_millis() as u64 }),
        }
    }

    /// The input a log line holds, if it holds one.
    fn from_json(v: &Value) -> Result<Option<Input>, String> {
        if let Some(t) = v["paste"].as_str() {
            return Ok(Some(Input::Paste(t.to_string())));
        }
        if let Some(ms) = v["wait_ms"].as_u64() {
            return Ok(Some(wait_ms(ms)));
        }
        let mods = KeyModifiers::from_bits_truncate(v["mods"].as_u64().unwrap_or(0) as u8);
        let code = if let Some(c) = v["char"].as_str() {
            KeyCode::Char(c.chars().next().ok_or("an empty char")?)
        } else if let Some(name) = v["key"].as_str() {
            key_code(name).ok_or_else(|| format!("unknown key {name:?}"))?
        } else {
            return Ok(None);
        };
        Ok(Some(Input::Key(KeyEvent::new(code, mods))))
    }
}

/// The key a log names (`Tab`, `F5`...): those the generator sends.
fn key_code(name: &str) -> Option<KeyCode> {
    if let Some(n) = name.strip_prefix('F').and_then(|n| n.parse().ok()) {
        return Some(KeyCode::F(n));
    }
    let all = [
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Insert,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Null,
    ];
    all.into_iter().find(|c| format!("{c:?}") == name)
}

/// Keys of no particular meaning, mixed in everywhere except the log-in form. Never ctrl-c or
/// `q` (they quit), ctrl-y (tui-input's yank buffer is not part of what the test models) or
/// ctrl-g (the region picker, which could point the app at the real Contentstack).
fn noise(rng: &mut Rng) -> Input {
    let keys = [
        key(KeyCode::Delete),
        key(KeyCode::Insert),
        key(KeyCode::F(2)),
        key(KeyCode::F(5)),
        key(KeyCode::PageUp),
        key(KeyCode::PageDown),
        key(KeyCode::Home),
        key(KeyCode::End),
        key(KeyCode::Left),
        key(KeyCode::Right),
        key(KeyCode::Null),
        ctrl('w'),
        ctrl('k'),
        ctrl('a'),
        ctrl('e'),
        ctrl('l'),
        ctrl('r'),
        ctrl('s'),
        ctrl('d'),
        ctrl('u'),
        Input::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT)),
        Input::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL | KeyModifiers::ALT)),
        ch('~'),
        ch('#'),
        ch('5'),
        ch('Z'),
        ch(' '),
    ];
    rng.pick(&keys)
}

// ---------------------------------------------------------------------------------------------
// What the test sees of the app between segments.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum View {
    Login,
    Profile,
    Edit,
    /// The password-reset wizard, activation, the mailbox: not what this test is about; the
    /// generator leaves them with Esc if a key ever opens one.
    Other,
}

/// What gets the next key: the draft question, a confirmation, help, or the screen itself (in
/// the order `update` asks them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layer {
    Offer,
    Confirm(Confirm),
    Help,
    Screen,
}

#[derive(Clone, Debug)]
struct FormObs {
    /// Kept in `app.resume` (on the log-in screen after a 401) rather than on screen.
    in_resume: bool,
    values: [String; 5],
    /// Fields the user typed in: the others follow the server when it says what it holds.
    touched: [bool; 5],
    cursors: [usize; 5],
    focus: EditField,
    step: Step,
    edits: UserUpdate,
    drafted: Option<UserUpdate>,
    problems: Vec<EditField>,
    /// A 429's wait is running: saving again is held back.
    waiting: bool,
    /// What a save would send now (against the session's user).
    changes: UserUpdate,
}

#[derive(Clone, Debug)]
struct LoginObs {
    focus: Focus,
    method: Method,
    email: String,
    password: String,
    picker: bool,
    tfa: bool,
    retry: bool,
    busy: bool,
}

#[derive(Clone, Debug)]
struct Obs {
    view: View,
    layer: Layer,
    form: Option<FormObs>,
    login: Option<LoginObs>,
    filter_editing: bool,
    /// The draft question's changes, whether it shows or was put off.
    offer: Option<UserUpdate>,
    saving: bool,
    pending: usize,
    /// What runs, as the status bar would say it.
    running: Vec<&'static str>,
    /// The session user's editable values.
    session: Option<[String; 5]>,
    token: Option<SecretString>,
    frames: u64,
    spinner: usize,
    quit: bool,
    help: bool,
    toasts: usize,
    /// The draft file's changes.
    disk_draft: Option<UserUpdate>,
    screen: String,
}

fn form_obs(form: &EditForm, in_resume: bool, user: Option<&cs_account::api::User>) -> FormObs {
    FormObs {
        in_resume,
        values: EditField::ALL.map(|f| form.field(f).value().to_string()),
        touched: EditField::ALL.map(|f| form.is_touched(f)),
        cursors: EditField::ALL.map(|f| form.field(f).visual_cursor()),
        focus: form.focus,
        step: form.step,
        edits: form.edits(),
        drafted: form.drafted.clone(),
        problems: form.problems(),
        waiting: form.failure.as_ref().is_some_and(|f| f.waiting),
        changes: user.map(|u| form.changes(u)).unwrap_or_else(|| form.edits()),
    }
}

impl Obs {
    fn of(app: &App, disk_draft: Option<UserUpdate>, screen: String) -> Obs {
        let user = app.session.as_ref().map(|s| s.user.as_ref());
        let (view, form) = match &app.screen {
            Screen::Login(_) => (View::Login, None),
            Screen::Profile(_) => (View::Profile, None),
            Screen::Edit(e) => (View::Edit, Some(form_obs(&e.form, false, user))),
            _ => (View::Other, None),
        };
        let form = form
            .or_else(|| app.resume.as_ref().and_then(|r| r.edit.as_ref()).map(|f| form_obs(f, true, user)));
        let layer = if app.draft_offer.as_ref().is_some_and(|o| o.open) {
            Layer::Offer
        } else if let Some(c) = app.confirm {
            Layer::Confirm(c)
        } else if app.help().is_some() {
            Layer::Help
        } else {
            Layer::Screen
        };
        let login = app.login().map(|l| LoginObs {
            focus: l.focus,
            method: l.method,
            email: l.email.value().to_string(),
            password: l.password.value().to_string(),
            picker: l.picker.is_some(),
            tfa: l.tfa.is_some(),
            retry: l.error.as_ref().is_some_and(|e| e.retry),
            busy: app.has_pending(Pending::on_login_screen),
        });
        Obs {
            view,
            layer,
            form,
            login,
            filter_editing: app.profile().is_some_and(|p| p.editing_filter),
            offer: app.draft_offer.as_ref().map(|o| o.changes.clone()),
            saving: app.has_pending_kind(Kind::Save),
            pending: app.pending.len(),
            running: app.pending.values().map(Pending::label).collect(),
            session: user.map(|u| EditField::ALL.map(|f| f.current(u).to_string())),
            token: app.session.as_ref().and_then(|s| s.cred.authtoken().cloned()),
            frames: app.frames,
            spinner: app.spinner,
            quit: app.should_quit,
            help: app.help().is_some(),
            toasts: app.toasts.len(),
            disk_draft,
            screen,
        }
    }

    /// The form on screen, in its typing step, with nothing over it.
    fn plain_form(&self) -> Option<&FormObs> {
        self.form.as_ref().filter(|f| {
            self.view == View::Edit && self.layer == Layer::Screen && !f.in_resume && f.step == Step::Form
        })
    }

    fn summary(&self) -> String {
        let form = match &self.form {
            Some(f) => format!(
                "form{} {:?} focus {:?} {:?}{}",
                if f.in_resume { " (kept for log-in)" } else { "" },
                f.step,
                f.focus,
                f.values,
                if f.waiting { " 429-wait" } else { "" }
            ),
            None => "no form".into(),
        };
        format!("{:?}/{:?} pending {:?} saving {} {form}", self.view, self.layer, self.running, self.saving)
    }

    /// What the log keeps of what the test saw: enough that a run that goes otherwise shows at
    /// the step where it does. (Not the screen: it shows times and the server's port.)
    fn seen(&self) -> String {
        format!(
            "{} | session {:?} | frames {} spinner {} toasts {}",
            self.summary(),
            self.session,
            self.frames,
            self.spinner,
            self.toasts
        )
    }
}

fn update_value(u: &UserUpdate, f: EditField) -> Option<&str> {
    f.in_update(u)
}

// ---------------------------------------------------------------------------------------------
// The app, run one segment at a time.

struct Rig {
    server: DemoServer,
    endpoint: Endpoint,
    drafts: DraftStore,
    draft_key: DraftKey,
    app: Option<App>,
    runner: Option<EffectRunner>,
    terminal: Option<Terminal<TestBackend>>,
    rx: Option<UnboundedReceiver<Msg>>,
    /// The runner's token: cancelled at the end.
    cancel: CancellationToken,
    /// A client of the test's own, for logging the app's session out behind its back and for
    /// using up the rate limit.
    api: Client,
}

fn client_config(endpoint: Endpoint) -> ClientConfig {
    let mut cfg = ClientConfig::new(endpoint);
    cfg.connect_timeout = TIMEOUT;
    cfg.timeout = TIMEOUT;
    // Two tries, at once (a backoff's jitter is drawn from the OS, so a run would not repeat),
    // and never a retry that would wait out a `Retry-After` (the demo's is at least a second):
    // the app sees its 429s.
    cfg.retry = RetryPolicy {
        max_tries: 2,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
        max_total: Duration::from_millis(600),
    };
    cfg
}

/// A fresh app on the log-in screen, as `main` starts it, with its runner and terminal.
struct Parts {
    app: App,
    runner: EffectRunner,
    terminal: Terminal<TestBackend>,
    rx: UnboundedReceiver<Msg>,
    cancel: CancellationToken,
}

fn boot(endpoint: &Endpoint) -> Parts {
    let opts = TuiOptions {
        endpoint: endpoint.clone(),
        store: None,
        drafts: None,
        config: Config::default(),
        env_token: None,
        demo: None,
    };
    let (mut app, problems) = initial_app(&opts, (80, 24));
    let (tx, rx) = unbounded_channel();
    let cancel = CancellationToken::new();
    let mut runner = EffectRunner::new(client_config(endpoint.clone()), None, tx, cancel.child_token())
        .with_drafts(DraftStore::new(state_dir().join(DRAFT_DIR)))
        .with_drafts_inline()
        .without_browser();
    for effect in start(&mut app, &opts, problems) {
        runner.run(effect);
    }
    let terminal = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    Parts { app, runner, terminal, rx, cancel }
}

impl Rig {
    async fn start(seed: u64) -> Rig {
        let options = DemoOptions { rate_limit: 10, seed: Some(seed), ..DemoOptions::default() };
        let server = DemoServer::start(options).await.expect("demo server");
        let endpoint = Endpoint::custom(&server.base_url()).expect("loopback URL");
        let drafts = DraftStore::new(state_dir().join(DRAFT_DIR));
        let uid = server.user_snapshot(EMAIL).and_then(|u| u["uid"].as_str().map(str::to_string));
        let draft_key = DraftKey { uid: uid.expect("john.doe has a uid"), endpoint: endpoint.id() };
        let Parts { app, runner, terminal, rx, cancel } = boot(&endpoint);
        let mut api_cfg = client_config(endpoint.clone());
        api_cfg.retry = RetryPolicy::none();
        Rig {
            server,
            endpoint,
            drafts,
            draft_key,
            app: Some(app),
            runner: Some(runner),
            terminal: Some(terminal),
            rx: Some(rx),
            cancel,
            api: Client::new(api_cfg).expect("client"),
        }
    }

    /// The terminal closes: ctrl-c, and the program ends as `main` ends it (the runner given
    /// its grace period for the draft and the log-out call). The old app stays to be looked at.
    async fn quit(&mut self) -> Result<(), String> {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        self.segment(vec![Event::Key(ctrl_c)], Duration::ZERO).await?;
        if !self.app().should_quit {
            return Err("ctrl-c did not quit".into());
        }
        if let Some(runner) = self.runner.take() {
            runner.shutdown(Duration::from_secs(2)).await;
        }
        self.cancel.cancel();
        Ok(())
    }

    /// The program starts again on the same server (and the same state directory).
    fn reboot(&mut self) {
        let Parts { app, runner, terminal, rx, cancel } = boot(&self.endpoint);
        self.app = Some(app);
        self.runner = Some(runner);
        self.terminal = Some(terminal);
        self.rx = Some(rx);
        self.cancel = cancel;
    }

    fn app(&self) -> &App {
        self.app.as_ref().expect("the app is between segments")
    }

    fn observe(&self) -> Obs {
        let disk = self.drafts.load(&self.draft_key).ok().flatten().map(|d| d.changes);
        let screen = common::screen_text(self.terminal.as_ref().expect("terminal"));
        Obs::of(self.app(), disk, screen)
    }

    /// Runs the loop on `events`: answers that came meanwhile are relayed to it, the input is
    /// kept open for `hold`, then closed; the loop handles what it has and returns the app.
    async fn segment(&mut self, events: Vec<Event>, hold: Duration) -> Result<(), String> {
        let (Some(mut app), Some(mut runner), Some(mut terminal), Some(mut real_rx)) =
            (self.app.take(), self.runner.take(), self.terminal.take(), self.rx.take())
        else {
            return Err("the app was lost by an earlier segment".into());
        };
        let (in_tx, mut in_rx) = unbounded_channel::<io::Result<Event>>();
        for e in events {
            let _ = in_tx.send(Ok(e));
        }
        let (seg_tx, seg_rx) = unbounded_channel::<Msg>();
        let stop = CancellationToken::new();
        let relay = tokio::spawn({
            let stop = stop.clone();
            async move {
                loop {
                    tokio::select! {
                        biased;
                        () = stop.cancelled() => {
                            while let Ok(m) = real_rx.try_recv() {
                                let _ = seg_tx.send(m);
                            }
                            break;
                        }
                        m = real_rx.recv() => match m {
                            Some(m) => { let _ = seg_tx.send(m); }
                            None => break,
                        },
                    }
                }
                real_rx
            }
        });
        let looped = tokio::spawn(async move {
            let input = futures::stream::poll_fn(move |cx| in_rx.poll_recv(cx));
            let result = run_loop(
                &mut terminal,
                &mut app,
                &cs_account::ui::theme::Theme::default(),
                input,
                &mut runner,
                seg_rx,
                CancellationToken::new(),
            )
            .await;
            (app, runner, terminal, result.map_err(|e| format!("{e:#}")))
        });
        if !hold.is_zero() {
            tokio::time::sleep(hold).await;
        }
        stop.cancel();
        let real_rx = relay.await.map_err(|e| format!("the relay task failed: {e}"))?;
        drop(in_tx);
        let outcome = tokio::time::timeout(Duration::from_secs(10), looped).await;
        let (app, runner, terminal, result) = match outcome {
            Err(_) => return Err("the loop did not finish handling its input within 10 s".into()),
            Ok(Err(e)) if e.is_panic() => {
                let payload = e.into_panic();
                let text = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                return Err(format!("the loop task panicked: {text}"));
            }
            Ok(Err(e)) => return Err(format!("the loop task failed: {e}")),
            Ok(Ok(parts)) => parts,
        };
        self.app = Some(app);
        self.runner = Some(runner);
        self.terminal = Some(terminal);
        self.rx = Some(real_rx);
        result.map_err(|e| format!("the loop returned an error: {e}"))
    }

    async fn send(&mut self, input: &Input, hold: Duration) -> Result<(), String> {
        match input {
            Input::Key(k) => self.segment(vec![Event::Key(*k)], hold).await,
            Input::Paste(t) => self.segment(vec![Event::Paste(t.clone())], hold).await,
            Input::Wait(d) => self.segment(Vec::new(), *d + hold).await,
        }
    }

    /// The server's editable values (a missing or null value as empty).
    fn server_values(&self) -> [String; 5] {
        let user = self.server.user_snapshot(EMAIL).unwrap_or(Value::Null);
        EditField::ALL.map(|f| user[f.api_name()].as_str().unwrap_or("").to_string())
    }

    async fn shutdown(mut self) {
        if let Some(runner) = self.runner.take() {
            runner.shutdown(Duration::from_secs(2)).await;
        }
        self.cancel.cancel();
        self.server.shutdown().await;
    }
}

fn trimmed(values: &[String; 5]) -> [String; 5] {
    values.clone().map(|v| v.trim().to_string())
}

// ---------------------------------------------------------------------------------------------
// The model: what one key may do to the edit form.

/// The value of field `i` after `input`, if the form took it there: the same editing, done on
/// a field of the test's own holding the same value with the cursor in the same place.
fn predict(form: &FormObs, i: usize, input: &Input) -> Option<String> {
    let mut t = TextField::plain();
    t.set(&form.values[i]);
    let len = form.values[i].chars().count();
    for _ in form.cursors[i]..len {
        t.handle_key(&KeyEvent::new(KeyCode::Left, KeyModifiers::NONE));
    }
    match input {
        Input::Key(k) => {
            let plain = !k.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            let moves = matches!(
                k.code,
                KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down | KeyCode::Enter | KeyCode::Esc
            );
            if moves && plain {
                return None;
            }
            t.handle_key(k);
        }
        Input::Paste(text) => t.paste(text),
        Input::Wait(_) => return None,
    }
    Some(t.value().to_string())
}

/// Values after restoring a draft into a form holding `before`: each field keeps its value or
/// takes the draft's.
fn restored_from(before: &[String; 5], after: &[String; 5], draft: &UserUpdate) -> bool {
    EditField::ALL
        .iter()
        .enumerate()
        .all(|(i, f)| after[i] == before[i] || update_value(draft, *f).is_some_and(|v| v == after[i]))
}

/// `form` after the server said it holds `server`: the fields the user never typed in take its
/// values, with the cursor at their end.
fn rebased(form: &FormObs, server: &[String; 5]) -> FormObs {
    let mut out = form.clone();
    for (i, value) in server.iter().enumerate() {
        if !form.touched[i] && form.values[i] != *value {
            out.values[i] = value.clone();
            out.cursors[i] = value.chars().count();
        }
    }
    out
}

#[derive(Debug, Default)]
struct Stats {
    steps: usize,
    keys_on_form: usize,
    /// Keys whose effect was checked while a request was pending before and after them.
    handled_while_busy: usize,
    /// The same, while a save was pending.
    handled_while_saving: usize,
    saves_cancelled: usize,
    saves_succeeded: usize,
    forms_kept_through_login: usize,
    /// Forms whose untouched fields took what the server said it holds.
    forms_rebased: usize,
    logins_after_401: usize,
    forms_discarded: usize,
    drafts_restored: usize,
    restarts: usize,
    sessions_expired: usize,
    logged_out_behind: usize,
    rate_limit_bursts: usize,
    regimes: usize,
    checkpoints: usize,
    longest_drain_ms: u128,
}

/// Whether the server holds exactly the form's values (as the server trims them).
fn server_holds(values: &[String; 5], server: &[String; 5]) -> bool {
    (0..5).all(|i| server[i] == values[i].trim())
}

/// How the form that was there went away.
#[derive(Debug, PartialEq, Eq)]
enum Closed {
    Discarded,
    Left,
    /// Saved: the server holds its values.
    Saved,
}

/// Whether the form `bf` may have gone with `input`, and how.
fn closed(b: &Obs, bf: &FormObs, input: &Input, server: &dyn Fn() -> [String; 5]) -> Option<Closed> {
    if bf.in_resume {
        return None;
    }
    if b.layer == Layer::Confirm(Confirm::DiscardEdits) && (input.is_char('y') || input.is(KeyCode::Enter)) {
        return Some(Closed::Discarded);
    }
    if b.layer == Layer::Screen && bf.step == Step::Form && input.is(KeyCode::Esc) && bf.edits.is_empty() {
        return Some(Closed::Left);
    }
    // Left while a check was out, whose answer (drained with the key) found every value on the
    // server: the form had nothing left to lose.
    if b.layer == Layer::Screen
        && bf.step == Step::Form
        && input.is(KeyCode::Esc)
        && server_holds(&bf.values, &server())
    {
        return Some(Closed::Left);
    }
    // A save succeeded, or the check after one whose answer was lost found it on the server.
    if bf.step == Step::Review && server_holds(&bf.values, &server()) {
        return Some(Closed::Saved);
    }
    None
}

/// Checks one key's effect: `b` before it, `a` after. Returns how the form went, if it did.
fn check(
    b: &Obs,
    input: &Input,
    a: &Obs,
    server: &dyn Fn() -> [String; 5],
    rendered: &dyn Fn() -> String,
    stats: &mut Stats,
) -> Result<Option<Closed>, String> {
    if a.quit {
        return Err("the app quit, though no key asked it to".into());
    }
    if a.frames <= b.frames {
        return Err(format!("no frame was drawn (frames {} → {})", b.frames, a.frames));
    }
    if a.pending == 0
        && let Some(label) = busy_labels().find(|l| a.screen.contains(*l))
    {
        return Err(format!("nothing is pending, yet the screen says {label:?}"));
    }

    // The profile's values a new form opens with: the session's now, or, when a 401 ended the
    // session just after the key (the new form then waits for the log-in), the session's before.
    let profile = a.session.as_ref().or(b.session.as_ref());
    let fresh = |af: &FormObs| -> bool { af.edits.is_empty() && profile.is_some_and(|s| *s == af.values) };
    let restored_fresh = |af: &FormObs| -> bool {
        let (Some(session), Some(draft)) = (profile, b.offer.as_ref().or(b.disk_draft.as_ref())) else {
            return false;
        };
        input.is_char('r') && restored_from(session, &af.values, draft)
    };
    // When the server said what it holds meanwhile (the session's values changed), the form's
    // untouched fields took them, before the key or after it.
    let server_said = a.session.as_ref().filter(|s| b.session.as_ref() != Some(*s));

    let mut gone = None;
    match (&b.form, &a.form) {
        (Some(bf), Some(af)) => {
            let follows = server_said.map(|s| rebased(bf, s));
            let starts = [Some(bf), follows.as_ref()];
            // Each field as it was, or as the server said.
            let kept_or_followed = |j: usize| starts.iter().flatten().any(|f| f.values[j] == af.values[j]);
            let same = (0..5).all(kept_or_followed);
            let keyed = (0..5).any(|i| {
                starts.iter().flatten().any(|f| predict(f, i, input).is_some_and(|v| v == af.values[i]))
                    && (0..5).filter(|j| *j != i).all(kept_or_followed)
            });
            let restored = input.is_char('r')
                && b.offer
                    .as_ref()
                    .or(b.disk_draft.as_ref())
                    .is_some_and(|d| restored_from(&bf.values, &af.values, d));
            // `e` does nothing on the review: a fresh form after it means the reviewed one was
            // saved meanwhile and the profile's `e` opened a new one.
            let reopened = input.is_char('e')
                && !bf.in_resume
                && bf.step == Step::Review
                && af.step == Step::Form
                && af.edits.is_empty();
            if !(same || keyed || restored) || reopened {
                // Only a form that went (saved, discarded) can be followed by a new one.
                match closed(b, bf, input, server) {
                    Some(how) if fresh(af) || restored_fresh(af) => gone = Some(how),
                    _ => {
                        return Err(format!(
                            "the form's values changed in a way {} cannot explain: {:?} → {:?} (touched {:?}; the session's values {:?} → {:?})",
                            input.show(),
                            bf.values,
                            af.values,
                            bf.touched,
                            b.session,
                            a.session
                        ));
                    }
                }
            } else if bf.values != af.values && !keyed && !restored {
                stats.forms_rebased += 1;
            }
            if bf.in_resume && !af.in_resume {
                stats.forms_kept_through_login += 1;
            }
        }
        (Some(bf), None) => match closed(b, bf, input, server) {
            Some(how) => gone = Some(how),
            None => {
                return Err(format!(
                    "the edit form was lost: it held {:?} ({}), the key was {}, and the server holds {:?}",
                    bf.values,
                    if bf.in_resume { "kept for after the log-in" } else { "on screen" },
                    input.show(),
                    server()
                ));
            }
        },
        (None, Some(af)) => {
            // The form opened when the server said what it holds (the edit key waited for it),
            // just before the key, which then went to the form (to its first field).
            let opened_then_keyed = profile.is_some_and(|p| {
                let opened = FormObs {
                    in_resume: false,
                    values: p.clone(),
                    touched: [false; 5],
                    cursors: p.clone().map(|v| v.chars().count()),
                    focus: EditField::FirstName,
                    step: Step::Form,
                    edits: UserUpdate::default(),
                    drafted: None,
                    problems: Vec::new(),
                    waiting: false,
                    changes: UserUpdate::default(),
                };
                predict(&opened, 0, input).is_some_and(|v| {
                    let mut want = p.clone();
                    want[0] = v;
                    want == af.values
                })
            });
            if !(fresh(af) || restored_fresh(af) || opened_then_keyed) {
                return Err(format!(
                    "a form appeared holding {:?} after {}; the profile holds {:?}",
                    af.values,
                    input.show(),
                    profile
                ));
            }
            if af.edits != UserUpdate::default() {
                stats.drafts_restored += 1;
            }
        }
        (None, None) => {}
    }
    match gone {
        Some(Closed::Saved) => stats.saves_succeeded += 1,
        Some(Closed::Discarded) => stats.forms_discarded += 1,
        Some(Closed::Left) | None => {}
    }

    // A character typed on the form lands in the focused field, whatever else is going on, and
    // the frame drawn afterwards shows it.
    if let (Some(bf), Some(af)) = (b.plain_form(), a.plain_form()) {
        let i = bf.focus as usize;
        if let Some(c) = input.typed_char() {
            stats.keys_on_form += 1;
            // `r` and `d` may have answered a draft question that appeared meanwhile.
            if c != 'r' && c != 'd' {
                let want = predict(bf, i, input).unwrap_or_default();
                // Typed after the untouched field took the server's value.
                let after_server = server_said.and_then(|s| predict(&rebased(bf, s), i, input));
                if af.values[i] != want && after_server.as_ref() != Some(&af.values[i]) {
                    return Err(format!(
                        "the key {} was lost: {:?} should hold {want:?} but holds {:?}",
                        input.show(),
                        bf.focus,
                        af.values[i]
                    ));
                }
                // The loop's last frame is the app's state as it is now, the key included.
                let fresh = rendered();
                if a.screen != fresh {
                    return Err(format!(
                        "the last frame drawn after {} is not the app's state; drawn:\n{}\nthe state draws:\n{fresh}",
                        input.show(),
                        a.screen
                    ));
                }
                if b.pending > 0 && a.pending > 0 {
                    stats.handled_while_busy += 1;
                }
            }
        }
        if input.is(KeyCode::Tab) || input.is(KeyCode::Down) {
            let want = EditField::ALL[(i + 1) % 5];
            if af.focus != want {
                return Err(format!(
                    "{} moved the focus from {:?} to {:?}",
                    input.show(),
                    bf.focus,
                    af.focus
                ));
            }
            if b.pending > 0 && a.pending > 0 {
                stats.handled_while_busy += 1;
            }
        }
    }

    // Esc while saving cancels the save at once.
    if let Some(bf) = &b.form
        && b.view == View::Edit
        && b.layer == Layer::Screen
        && bf.step == Step::Review
        && b.saving
        && input.is(KeyCode::Esc)
    {
        if a.saving {
            return Err("Esc did not cancel the running save".into());
        }
        stats.saves_cancelled += 1;
        stats.handled_while_busy += 1;
        stats.handled_while_saving += 1;
    }

    // Help opens on `?` where `?` is not typing, also while requests hang.
    let help_key = match b.view {
        View::Profile => !b.filter_editing,
        View::Edit => b.form.as_ref().is_some_and(|f| f.step == Step::Review),
        View::Login | View::Other => false,
    };
    // (A 422 may have put the review back to the form just before the key: `?` is typed then.)
    let still_there = a.view == b.view
        && a.layer != Layer::Offer
        && (b.view != View::Edit || a.form.as_ref().is_some_and(|f| f.step == Step::Review));
    if help_key && b.layer == Layer::Screen && input.is_char('?') && still_there {
        if !a.help {
            return Err(format!("? did not open help on the {:?} screen", b.view));
        }
        if b.pending > 0 && a.pending > 0 {
            stats.handled_while_busy += 1;
        }
        if b.saving && a.saving {
            stats.handled_while_saving += 1;
        }
    }
    if b.view != View::Login && a.view == View::Login && a.form.is_some() {
        stats.logins_after_401 += 1;
    }
    Ok(gone)
}

// ---------------------------------------------------------------------------------------------
// The generator: mostly what a user would do on the screen they see.

/// Where a plan of several keys applies; a change drops the plan.
type Ctx = (View, Layer, Option<Step>, bool);

fn ctx(o: &Obs) -> Ctx {
    (o.view, o.layer, o.form.as_ref().filter(|f| !f.in_resume).map(|f| f.step), o.filter_editing)
}

struct Gen {
    rng: Rng,
    plan: VecDeque<Input>,
    plan_ctx: Option<Ctx>,
}

const NAMES: [&str; 8] = ["Ann", "Bo", "Jane Q", "Li", "O'Neil", "Zed-Ray", "  Mia  ", "John"];
const COMPANIES: [&str; 6] = ["Acme Ltd", "Initech", "", "Blue Sky 2", "Umbrella", "Contentstack"];

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen { rng: Rng(seed), plan: VecDeque::new(), plan_ctx: None }
    }

    /// A value for field `f`: valid mostly, now and then one the form refuses.
    fn value_for(&mut self, f: EditField, valid: bool) -> String {
        let digits = |rng: &mut Rng, n: usize| {
            (0..n).map(|_| char::from(b'0' + rng.below(10) as u8)).collect::<String>()
        };
        match (f, valid) {
            (EditField::FirstName | EditField::LastName, true) => self.rng.pick(&NAMES).to_string(),
            (EditField::FirstName | EditField::LastName, false) => {
                if self.rng.chance(0.5) {
                    String::new()
                } else {
                    "x".repeat(70)
                }
            }
            (EditField::Company, true) => self.rng.pick(&COMPANIES).to_string(),
            (EditField::Company, false) => "c".repeat(101),
            (EditField::Mobile, true) => {
                let n = self.rng.range(4, 12);
                digits(&mut self.rng, n)
            }
            (EditField::Mobile, false) => self.rng.pick(&["12", "12a4", "98 98"]).to_string(),
            (EditField::CountryCode, true) => {
                let n = self.rng.range(1, 3);
                digits(&mut self.rng, n)
            }
            (EditField::CountryCode, false) => self.rng.pick(&["+1", "12345"]).to_string(),
        }
    }

    /// A character to type into `f`.
    fn char_for(&mut self, f: EditField) -> char {
        const LETTERS: &[u8] = b"abcdefghijklmnoprstuvwxyzABCDEFGHIJKLMNOPRSTUVWXYZ";
        match f {
            EditField::Mobile | EditField::CountryCode if self.rng.chance(0.9) => {
                char::from(b'0' + self.rng.below(10) as u8)
            }
            _ if self.rng.chance(0.12) => self.rng.pick(&[' ', '-', '\'', '.', '7']),
            _ => char::from(self.rng.pick(LETTERS)),
        }
    }

    /// Keys that put `value` into field `to`, from a form focused on `from`.
    fn set_field_plan(&mut self, from: EditField, to: EditField, value: &str) -> VecDeque<Input> {
        let mut plan = VecDeque::new();
        let forward = (to as usize + 5 - from as usize) % 5;
        if forward <= 2 {
            for _ in 0..forward {
                plan.push_back(if self.rng.chance(0.5) { key(KeyCode::Tab) } else { key(KeyCode::Down) });
            }
        } else {
            for _ in 0..(5 - forward) {
                plan.push_back(if self.rng.chance(0.5) { key(KeyCode::BackTab) } else { key(KeyCode::Up) });
            }
        }
        plan.push_back(ctrl('u'));
        if self.rng.chance(0.15) && !value.is_empty() {
            plan.push_back(Input::Paste(value.to_string()));
        } else {
            plan.extend(value.chars().map(ch));
        }
        plan
    }

    fn next(&mut self, b: &Obs) -> Input {
        let here = ctx(b);
        if self.plan_ctx == Some(here)
            && let Some(next) = self.plan.pop_front()
        {
            return next;
        }
        self.plan.clear();
        self.plan_ctx = Some(here);
        if b.view != View::Login && self.rng.chance(0.03) {
            return wait_ms(self.rng.range(5, 50) as u64);
        }
        match b.layer {
            Layer::Offer => [ch('r'), ch('d'), key(KeyCode::Esc)][self.rng.weighted(&[14, 2, 4])].clone(),
            Layer::Confirm(Confirm::DiscardEdits) => {
                [ch('n'), key(KeyCode::Esc), ch('y'), key(KeyCode::Enter)][self.rng.weighted(&[8, 6, 2, 1])]
                    .clone()
            }
            Layer::Confirm(_) => [ch('y'), ch('n'), key(KeyCode::Esc)][self.rng.weighted(&[5, 4, 1])].clone(),
            Layer::Help => [key(KeyCode::Esc), ch('?'), ch('j'), key(KeyCode::PageDown)]
                [self.rng.weighted(&[6, 2, 1, 1])]
            .clone(),
            Layer::Screen => match b.view {
                View::Login => self.login(b, true),
                View::Other => key(KeyCode::Esc),
                View::Profile => self.profile(b),
                View::Edit => match b.form.as_ref().map(|f| f.step) {
                    Some(Step::Review) => self.review(b),
                    _ => self.form(b),
                },
            },
        }
    }

    /// Logs in as john.doe: fixes the form step by step, submits only the right password (a
    /// wrong one would count towards the lockout).
    fn login(&mut self, b: &Obs, random: bool) -> Input {
        let Some(l) = &b.login else { return wait_ms(10) };
        if l.picker || l.tfa {
            return key(KeyCode::Esc);
        }
        if l.method == Method::Token {
            return ctrl('t');
        }
        if l.busy {
            return wait_ms(20);
        }
        if random && l.retry && self.rng.chance(0.3) {
            return ctrl('r');
        }
        let (target, field, want) = if l.email != EMAIL {
            (Focus::Email, &l.email, EMAIL)
        } else if l.password != PASSWORD {
            (Focus::Password, &l.password, PASSWORD)
        } else if l.focus == Focus::Region {
            return key(KeyCode::Tab);
        } else {
            return key(KeyCode::Enter);
        };
        if l.focus != target {
            return key(KeyCode::Tab);
        }
        if !want.starts_with(field.as_str()) {
            return ctrl('u');
        }
        if field.is_empty() && random && self.rng.chance(0.3) {
            return Input::Paste(want.to_string());
        }
        want[field.len()..].chars().next().map_or_else(|| key(KeyCode::Enter), ch)
    }

    fn profile(&mut self, b: &Obs) -> Input {
        let r = &mut self.rng;
        if b.filter_editing {
            return match r.weighted(&[10, 3, 4, 3]) {
                0 => ch(r.pick(&['d', 'e', 'v', 'a', 's', 'p', 'u', 'b'])),
                1 => key(KeyCode::Backspace),
                2 => key(KeyCode::Esc),
                _ => key(KeyCode::Enter),
            };
        }
        match r.weighted(&[30, 6, 12, 12, 4, 4, 3, 1, 6]) {
            0 => ch('e'),
            1 => ch('r'),
            2 => r.pick(&[
                ch('1'),
                ch('2'),
                ch('3'),
                ch('4'),
                ch('5'),
                key(KeyCode::Tab),
                key(KeyCode::BackTab),
            ]),
            3 => r.pick(&[
                ch('j'),
                ch('k'),
                key(KeyCode::Down),
                key(KeyCode::Up),
                ch('l'),
                ch('h'),
                key(KeyCode::Enter),
                ch(' '),
                ch('g'),
                ch('G'),
                ch('E'),
                ch('C'),
                key(KeyCode::PageDown),
                ctrl('d'),
            ]),
            4 => ch('/'),
            5 => ch('?'),
            6 => key(KeyCode::Esc),
            7 => ch('L'),
            _ => noise(r),
        }
    }

    fn form(&mut self, b: &Obs) -> Input {
        let Some(f) = b.form.as_ref() else { return wait_ms(5) };
        if let Some(bad) = f.problems.first().copied()
            && self.rng.chance(0.3)
        {
            let v = self.value_for(bad, true);
            self.plan = self.set_field_plan(f.focus, bad, &v);
            return self.plan.pop_front().unwrap_or_else(|| wait_ms(1));
        }
        match self.rng.weighted(&[12, 30, 10, 8, 4, 5, 10, 3, 2, 5]) {
            0 => {
                let to = self.rng.pick(&EditField::ALL);
                let valid = self.rng.chance(0.85);
                let v = self.value_for(to, valid);
                self.plan = self.set_field_plan(f.focus, to, &v);
                self.plan.pop_front().unwrap_or_else(|| wait_ms(1))
            }
            1 => ch(self.char_for(f.focus)),
            2 => key(KeyCode::Backspace),
            3 => self.rng.pick(&[key(KeyCode::Tab), key(KeyCode::Down)]),
            4 => self.rng.pick(&[key(KeyCode::BackTab), key(KeyCode::Up)]),
            5 => self.rng.pick(&[
                key(KeyCode::Left),
                key(KeyCode::Right),
                key(KeyCode::Home),
                key(KeyCode::End),
            ]),
            6 => key(KeyCode::Enter),
            7 => key(KeyCode::Esc),
            8 => Input::Paste(self.rng.pick(&[" 12 34 ", "Acme\n", "a\tb", "Ünïcode"]).to_string()),
            _ => noise(&mut self.rng),
        }
    }

    fn review(&mut self, b: &Obs) -> Input {
        let r = &mut self.rng;
        let saving = b.saving;
        match r.weighted(&[45, if saving { 15 } else { 10 }, 8, 12, 12]) {
            0 => key(KeyCode::Enter),
            1 => key(KeyCode::Esc),
            2 => ch('?'),
            3 => wait_ms(r.range(5, 50) as u64),
            _ => noise(r),
        }
    }

    /// What the server does next, if anything: new faults, a dead session, a used-up rate limit.
    fn server_events(&mut self, b: &Obs) -> Vec<Act> {
        let mut acts = Vec::new();
        if self.rng.chance(0.025) {
            acts.push(Act::Faults(self.regime()));
        }
        if b.session.is_some() && self.rng.chance(0.004) {
            acts.push(Act::Expire);
        }
        if b.token.is_some() && self.rng.chance(0.003) {
            acts.push(Act::LogOutElsewhere);
        }
        if self.rng.chance(0.003) {
            acts.push(Act::RateBurst);
        }
        acts
    }

    fn regime(&mut self) -> Faults {
        let r = &mut self.rng;
        match r.below(8) {
            0 | 1 => Faults::default(),
            2 => Faults { latency_ms: r.pick(&[30, 120, 250, 400]), ..Faults::default() },
            3 => Faults { fail_rate: r.pick(&[0.3, 0.6, 1.0]), ..Faults::default() },
            _ => {
                let n = r.range(1, 3);
                let routes = (0..n).map(|_| route_fault(r)).collect();
                let latency_ms = if r.chance(0.3) { r.pick(&[20, 150]) } else { 0 };
                Faults { latency_ms, routes, ..Faults::default() }
            }
        }
    }
}

/// Every request of `method` to `/v3/user` hangs (until the client's timeout).
fn hang(method: &str) -> Faults {
    let route =
        RouteFault { method: method.into(), path: "/v3/user".into(), answer: FaultAnswer::Hang, times: None };
    Faults { routes: vec![route], ..Faults::default() }
}

fn route_fault(r: &mut Rng) -> RouteFault {
    let (method, path) = r.pick(&[
        ("PUT", "/v3/user"),
        ("PUT", "/v3/user"),
        ("PUT", "/v3/user"),
        ("GET", "/v3/user"),
        ("GET", "/v3/user"),
        ("*", "/v3/user"),
        ("POST", "/v3/user-session"),
        ("DELETE", "/v3/user-session"),
    ]);
    let status = |status: u16| FaultAnswer::Status { status, body: None };
    let answer = match r.below(11) {
        0 => status(r.pick(&[500, 502, 503, 504])),
        1 => status(503),
        2 => status(401),
        3 => status(429),
        4 => {
            let field = r.pick(&["company", "mobile_number", "first_name", "plan"]);
            FaultAnswer::Status {
                status: 422,
                body: Some(json!({
                    "error_message": "Profile update failed.", "error_code": 119,
                    "errors": { field: ["is not accepted right now."] }
                })),
            }
        }
        5 | 6 => FaultAnswer::Malformed,
        7 | 8 => FaultAnswer::Hang,
        _ => FaultAnswer::Reset,
    };
    let times = if r.chance(0.3) { None } else { Some(r.range(1, 4) as u32) };
    RouteFault { method: method.into(), path: path.into(), answer, times }
}

fn show_faults(f: &Faults) -> String {
    if *f == Faults::default() {
        return "none".into();
    }
    let routes: Vec<String> = f
        .routes
        .iter()
        .map(|r| {
            let answer = match &r.answer {
                FaultAnswer::Status { status, .. } => status.to_string(),
                other => format!("{other:?}"),
            };
            format!("{} {} → {answer} ×{}", r.method, r.path, r.times.map_or("∞".into(), |t| t.to_string()))
        })
        .collect();
    format!("latency {} ms, fail rate {}, routes [{}]", f.latency_ms, f.fail_rate, routes.join("; "))
}

// ---------------------------------------------------------------------------------------------
// The run, and its log.

/// One thing the test does: a line of the log.
#[derive(Clone, Debug)]
enum Act {
    /// A key, a paste or a wait, the input kept open `hold` longer (answers then come after the
    /// key rather than before it).
    Input(Input, Duration),
    /// The server's faults from now on.
    Faults(Faults),
    /// The demo clock moves 13 h on: every session expires.
    Expire,
    /// The app's session is logged out through the API, behind its back.
    LogOutElsewhere,
    /// The rate limit is used up by another client on the same address.
    RateBurst,
    /// The terminal closes (ctrl-c) and the program starts again.
    Restart,
    /// Faults cleared: every request must end, the spinner stop, the draft match the form.
    Checkpoint,
    /// The end, after the final save: the server holds the user's last values.
    Verify,
}

impl Act {
    fn to_json(&self) -> Value {
        match self {
            Act::Input(input, hold) => {
                let mut v = input.to_json();
                if !hold.is_zero() {
                    v["hold_ms"] = json!(hold.as_millis() as u64);
                }
                v
            }
            Act::Faults(f) => json!({ "faults": f }),
            Act::Expire => json!({ "server": "expire" }),
            Act::LogOutElsewhere => json!({ "server": "log-out" }),
            Act::RateBurst => json!({ "server": "rate-burst" }),
            Act::Restart => json!({ "restart": true }),
            Act::Checkpoint => json!({ "checkpoint": true }),
            Act::Verify => json!({ "verify": true }),
        }
    }

    fn from_json(v: &Value) -> Result<Act, String> {
        if let Some(input) = Input::from_json(v)? {
            return Ok(Act::Input(input, Duration::from_millis(v["hold_ms"].as_u64().unwrap_or(0))));
        }
        if let Some(f) = v.get("faults") {
            return serde_json::from_value(f.clone()).map(Act::Faults).map_err(|e| e.to_string());
        }
        match v["server"].as_str() {
            Some("expire") => return Ok(Act::Expire),
            Some("log-out") => return Ok(Act::LogOutElsewhere),
            Some("rate-burst") => return Ok(Act::RateBurst),
            _ => {}
        }
        for (name, act) in
            [("restart", Act::Restart), ("checkpoint", Act::Checkpoint), ("verify", Act::Verify)]
        {
            if v.get(name).is_some() {
                return Ok(act);
            }
        }
        Err(format!("no act in {v}"))
    }
}

/// A log read back: the seed (the server's random failures draw from it), the steps, the acts
/// with what the test saw after each input.
struct Replay {
    seed: u64,
    steps: usize,
    acts: Vec<(Act, Option<String>)>,
}

impl Replay {
    fn parse(text: &str) -> Result<Replay, String> {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let head: Value = serde_json::from_str(lines.next().ok_or("the log is empty")?)
            .map_err(|e| format!("the first line: {e}"))?;
        let seed =
            head["seed"].as_str().and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok());
        let seed = seed.ok_or("the first line names no seed")?;
        let mut acts = Vec::new();
        for (n, line) in lines.enumerate() {
            let v: Value = serde_json::from_str(line).map_err(|e| format!("line {}: {e}", n + 2))?;
            let act = Act::from_json(&v).map_err(|e| format!("line {}: {e}", n + 2))?;
            acts.push((act, v["seen"].as_str().map(str::to_string)));
        }
        let steps = acts.iter().filter(|(a, _)| matches!(a, Act::Input(..))).count();
        Ok(Replay { seed, steps, acts })
    }
}

fn write_log(path: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    if let Err(e) = std::fs::write(path, text) {
        eprintln!("fault fuzz: could not write the log to {}: {e}", path.display());
    }
}

/// The last steps, for the failure report.
struct Tail(VecDeque<String>);

impl Tail {
    fn push(&mut self, line: String) {
        if self.0.len() >= 80 {
            self.0.pop_front();
        }
        self.0.push_back(line);
    }
}

struct Fuzz {
    seed: u64,
    steps: usize,
    rig: Rig,
    generator: Gen,
    tail: Tail,
    /// The log: a head line, then one line per act.
    log: Vec<String>,
    /// Replaying: the first step where this run saw something else than the log.
    diverged: Option<usize>,
    stats: Stats,
    obs: Obs,
    step: usize,
    /// The values of the last form that was saved.
    saved: Option<[String; 5]>,
}

impl Fuzz {
    fn fail(&self, why: &str) -> ! {
        let steps: Vec<&str> = self.tail.0.iter().map(String::as_str).collect();
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "fault-fuzz-{:#x}-{}.log",
            self.seed,
            std::process::id()
        ));
        write_log(&path, &self.log);
        let diverged = match self.diverged {
            Some(at) => format!("\n(this replay went otherwise than its log from step {at})"),
            None => String::new(),
        };
        panic!(
            "fault fuzz failed at step {} (seed {:#x}; repeat with FAULT_FUZZ_SEED={:#x} FAULT_FUZZ_STEPS={}, \
             or replay the log: FAULT_FUZZ_REPLAY={} cargo test --release --test fault_fuzz replay -- --ignored --nocapture):\n\
             {why}{diverged}\n\nlast steps:\n{}\n\nscreen:\n{}\nstats: {:?}",
            self.step,
            self.seed,
            self.seed,
            self.steps,
            path.display(),
            steps.join("\n"),
            self.obs.screen,
            self.stats
        );
    }

    /// Logs `act` and does it. Returns what the test saw after an input.
    async fn act(&mut self, act: Act) -> Option<String> {
        self.log.push(act.to_json().to_string());
        match &act {
            Act::Input(input, hold) => {
                self.apply(input.clone(), *hold).await;
                self.step += 1;
                let seen = self.obs.seen();
                if let Some(last) = self.log.last_mut() {
                    let mut v = act.to_json();
                    v["step"] = json!(self.step);
                    v["seen"] = json!(seen);
                    *last = v.to_string();
                }
                Some(seen)
            }
            Act::Faults(faults) => {
                self.tail.push(format!("   faults: {}", show_faults(faults)));
                self.rig.server.set_faults(faults.clone());
                self.stats.regimes += 1;
                None
            }
            Act::Expire => {
                self.tail.push("   server: the clock moves 13 h on; every session expires".into());
                self.rig.server.advance_clock(Duration::from_secs(13 * 3600));
                self.stats.sessions_expired += 1;
                None
            }
            Act::LogOutElsewhere => {
                self.tail.push("   server: the app's session is logged out elsewhere".into());
                if let Some(token) = self.obs.token.clone() {
                    let _ = self.rig.api.logout(&token).await;
                }
                self.stats.logged_out_behind += 1;
                None
            }
            Act::RateBurst => {
                self.tail.push("   server: the rate limit is used up".into());
                let junk = SecretString::from("blt0000000000000000");
                let calls = (0..12).map(|_| self.rig.api.get_user(&junk, GetUserOptions::default()));
                let _ = futures::future::join_all(calls).await;
                self.stats.rate_limit_bursts += 1;
                None
            }
            Act::Restart => {
                self.restart().await;
                None
            }
            Act::Checkpoint => {
                self.checkpoint().await;
                None
            }
            Act::Verify => {
                self.verify().await;
                None
            }
        }
    }

    /// Sends one input and checks what it did.
    async fn apply(&mut self, input: Input, hold: Duration) {
        let before = self.obs.clone();
        if let Err(e) = self.rig.send(&input, hold).await {
            self.fail(&e);
        }
        let after = self.rig.observe();

        let rig = &self.rig;
        let server = || rig.server_values();
        let rendered = || common::screen_text(&common::draw(rig.app(), 80, 24));
        let result = check(&before, &input, &after, &server, &rendered, &mut self.stats);
        self.tail.push(format!("{:>6} {:<14} → {}", self.step, input.show(), after.summary()));
        self.obs = after;
        self.stats.steps += 1;
        match result {
            Ok(Some(Closed::Saved)) => self.saved = before.form.map(|f| trimmed(&f.values)),
            Ok(_) => {}
            Err(e) => self.fail(&e),
        }
    }

    /// A wait inside a checkpoint or a restart: not an act of its own (the act replays it).
    async fn wait(&mut self, ms: u64) {
        self.apply(wait_ms(ms), Duration::ZERO).await;
    }

    /// Faults cleared: every request ends within the bound, the spinner stops, and the draft
    /// on disk holds what the form says it wrote.
    async fn checkpoint(&mut self) {
        self.tail.push("   checkpoint: faults cleared".into());
        self.rig.server.set_faults(Faults::default());
        self.stats.checkpoints += 1;
        let started = Instant::now();
        while self.obs.pending > 0 {
            if started.elapsed() > DRAIN_BOUND {
                let kinds: Vec<&str> = self.rig.app().pending.values().map(Pending::label).collect();
                self.fail(&format!(
                    "requests still pending {DRAIN_BOUND:?} after the faults were cleared: {kinds:?}"
                ));
            }
            self.wait(40).await;
        }
        self.stats.longest_drain_ms = self.stats.longest_drain_ms.max(started.elapsed().as_millis());
        // Draft writes run after the answers that caused them; give them a moment.
        self.wait(60).await;
        if self.obs.pending > 0 {
            // A key of the generator is not involved, but a timer could not start a request;
            // a pending request here is one started by nothing.
            self.fail("a request started while only waiting");
        }
        // Longer than a spinner beat: a spinner still turning would have moved.
        let spinner = self.obs.spinner;
        self.wait(150).await;
        if self.obs.spinner != spinner {
            self.fail("the spinner kept turning with nothing pending");
        }
        if let Some(f) = &self.obs.form
            && self.obs.offer.is_none()
        {
            let want =
                if f.in_resume { (!f.edits.is_empty()).then(|| f.edits.clone()) } else { f.drafted.clone() };
            if self.obs.disk_draft != want {
                self.fail(&format!(
                    "the draft on disk holds {:?}, but the form ({}) holds the edits {:?} and says it wrote {:?}",
                    self.obs.disk_draft,
                    if f.in_resume { "kept for after the log-in" } else { "on screen" },
                    f.edits,
                    f.drafted
                ));
            }
        }
    }

    /// The random part: keys and server events from the generator.
    async fn run(&mut self) {
        while self.step < self.steps {
            let b = self.obs.clone();
            for event in self.generator.server_events(&b) {
                self.act(event).await;
            }
            let input = self.generator.next(&b);
            let hold = if self.generator.rng.chance(0.08) {
                Duration::from_millis(self.generator.rng.range(2, 25) as u64)
            } else {
                Duration::ZERO
            };
            self.act(Act::Input(input, hold)).await;
            if self.generator.rng.chance(RESTART_CHANCE) {
                self.act(Act::Restart).await;
            }
            if self.step.is_multiple_of(CHECKPOINT_EVERY) {
                self.act(Act::Checkpoint).await;
            }
        }
    }

    /// Sends a log's acts again, with the same checks, noting the first step where the run
    /// sees something else than the log did.
    async fn replay(&mut self, acts: Vec<(Act, Option<String>)>) {
        for (act, logged) in acts {
            let seen = self.act(act).await;
            if let (Some(seen), Some(logged), None) = (seen, logged, self.diverged)
                && seen != logged
            {
                eprintln!(
                    "fault fuzz: the replay goes otherwise than its log from step {}:\n  log:    {logged}\n  replay: {seen}",
                    self.step
                );
                self.diverged = Some(self.step);
            }
        }
    }

    /// The terminal closes mid-whatever (ctrl-c) and the program starts again: the form's edits
    /// are on disk, and after logging in the draft is offered (and restored by the generator,
    /// mostly).
    async fn restart(&mut self) {
        let before = self.obs.clone();
        self.tail.push(format!("{:>6} ctrl-c: the program quits and starts again", self.step));
        if let Err(e) = self.rig.quit().await {
            self.fail(&e);
        }
        self.stats.restarts += 1;
        // Answers that had come were handled before the quit: a save may have ended it all.
        let last = self.rig.observe();
        match (&before.form, &last.form) {
            (Some(f), Some(l)) => {
                // Answers handled before the quit may have told what the server holds.
                let followed =
                    |i: usize| !f.touched[i] && last.session.as_ref().is_some_and(|s| s[i] == l.values[i]);
                if !(0..5).all(|i| l.values[i] == f.values[i] || followed(i)) {
                    self.fail(&format!(
                        "quitting changed the form's values: {:?} → {:?}",
                        f.values, l.values
                    ));
                }
                if !l.edits.is_empty() && last.disk_draft.as_ref() != Some(&l.edits) {
                    self.fail(&format!(
                        "after quitting, the draft on disk holds {:?}, not the form's edits {:?}",
                        last.disk_draft, l.edits
                    ));
                }
            }
            (Some(f), None) => {
                if f.step == Step::Review && server_holds(&f.values, &self.rig.server_values()) {
                    self.stats.saves_succeeded += 1;
                    self.saved = Some(trimmed(&f.values));
                } else {
                    self.fail(&format!("the form holding {:?} was lost on quitting", f.values));
                }
            }
            _ => {}
        }
        self.rig.reboot();
        self.obs = self.rig.observe();
    }

    /// One directed input (logged like the generator's).
    async fn press(&mut self, input: Input) {
        self.act(Act::Input(input, Duration::ZERO)).await;
    }

    /// Directed keys until the profile shows with nothing over it and nothing pending: logs in.
    async fn reach_profile(&mut self) {
        for _ in 0..400 {
            let b = self.obs.clone();
            if b.view == View::Profile && b.layer == Layer::Screen && b.pending == 0 && !b.filter_editing {
                return;
            }
            let input = match (b.layer, b.view) {
                (Layer::Offer, _) => ch('d'),
                (Layer::Confirm(_), _) => ch('y'),
                (Layer::Help, _) | (_, View::Other) => key(KeyCode::Esc),
                (_, View::Login) => self.generator.login(&b, false),
                (_, View::Profile) if b.filter_editing => key(KeyCode::Esc),
                (_, View::Profile) => wait_ms(20),
                (_, View::Edit) if b.saving => wait_ms(20),
                (_, View::Edit) => key(KeyCode::Esc),
            };
            self.press(input).await;
        }
        self.fail("could not reach the profile in 400 keys with the faults cleared");
    }

    /// Makes sure the run tests what it must, whatever the seed: keys typed on the form while a
    /// refresh hangs, and help and Esc while a save hangs.
    async fn probe(&mut self) {
        let busy_before = self.stats.handled_while_busy;
        for attempt in 0.. {
            if attempt == 3 {
                self.fail("no key could be typed on the form while a refresh hung, in three tries");
            }
            self.reach_profile().await;
            self.tail.push("   probe: every GET /v3/user hangs".into());
            self.act(Act::Faults(hang("GET"))).await;
            self.press(ch('r')).await;
            self.press(ch('e')).await;
            for c in "Pro".chars() {
                self.press(ch(c)).await;
            }
            self.press(key(KeyCode::Tab)).await;
            self.act(Act::Faults(Faults::default())).await;
            if self.stats.handled_while_busy > busy_before {
                break;
            }
        }
        let saving_before = self.stats.handled_while_saving;
        for attempt in 0.. {
            if attempt == 3 {
                self.fail("help and Esc could not be tried while a save hung, in three tries");
            }
            for keys in 0.. {
                if !self.obs.form.as_ref().is_some_and(|f| f.step == Step::Form) {
                    break;
                }
                if keys == FINAL_KEYS {
                    self.fail("the probe's form did not get to its review");
                }
                let input =
                    match self.obs.form.as_ref().and_then(|f| f.problems.first().map(|p| (f.focus, *p))) {
                        Some((focus, bad)) => {
                            let v = self.generator.value_for(bad, true);
                            let plan = self.generator.set_field_plan(focus, bad, &v);
                            for input in plan {
                                self.press(input).await;
                            }
                            continue;
                        }
                        None => key(KeyCode::Enter),
                    };
                self.press(input).await;
            }
            self.tail.push("   probe: every PUT /v3/user hangs".into());
            self.act(Act::Faults(hang("PUT"))).await;
            self.press(key(KeyCode::Enter)).await;
            self.press(ch('?')).await;
            self.press(key(KeyCode::Esc)).await;
            self.press(key(KeyCode::Esc)).await;
            self.act(Act::Faults(Faults::default())).await;
            if self.stats.handled_while_saving >= saving_before + 2 {
                break;
            }
            self.press(key(KeyCode::Esc)).await;
        }
    }

    /// Faults off, logged in, a last save; then the server holds exactly the form's values.
    async fn finish(&mut self) {
        self.act(Act::Checkpoint).await;
        // Bounded by time and by keys (the clock moves only when the app waits for something).
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut plan: VecDeque<Input> = VecDeque::new();
        let saves = self.stats.saves_succeeded;
        for keys in 0.. {
            if self.stats.saves_succeeded != saves {
                break;
            }
            if Instant::now() > deadline || keys == FINAL_KEYS {
                self.fail(&format!(
                    "the final save did not get through within 60 s and {FINAL_KEYS} keys with the faults cleared"
                ));
            }
            let b = self.obs.clone();
            let input = match plan.pop_front() {
                Some(i) => i,
                None => self.final_input(&b, &mut plan),
            };
            self.press(input).await;
            if ctx(&self.obs) != ctx(&b) {
                plan.clear();
            }
        }
        self.act(Act::Verify).await;
    }

    /// After the final save: the server holds exactly the values saved, no draft is left, the
    /// profile shows.
    async fn verify(&mut self) {
        // Let the draft's deletion and any late answer land, then compare.
        self.checkpoint().await;
        let Some(want) = self.saved.clone() else { self.fail("nothing was saved before the end") };
        let server = self.rig.server_values();
        if !server_holds(&want, &server) {
            self.fail(&format!(
                "after the final save the server holds {server:?}, not the user's values {want:?}"
            ));
        }
        if self.obs.disk_draft.is_some() {
            self.fail(&format!("a draft is left on disk after the save: {:?}", self.obs.disk_draft));
        }
        if self.obs.view != View::Profile {
            self.fail("the profile does not show after the final save");
        }
    }

    /// The next key towards the final save.
    fn final_input(&mut self, b: &Obs, plan: &mut VecDeque<Input>) -> Input {
        match b.layer {
            Layer::Offer => return ch('r'),
            Layer::Confirm(_) => return ch('n'),
            Layer::Help => return key(KeyCode::Esc),
            Layer::Screen => {}
        }
        match b.view {
            View::Login => self.generator.login(b, false),
            View::Other => key(KeyCode::Esc),
            View::Profile if b.filter_editing => key(KeyCode::Esc),
            // The form opens once what runs is over (a check of what the server holds).
            View::Profile if b.pending > 0 => wait_ms(50),
            View::Profile => ch('e'),
            View::Edit => {
                let Some(f) = &b.form else { return wait_ms(20) };
                match f.step {
                    // A save, or the check of what the server holds, runs: its answer decides.
                    _ if b.pending > 0 || f.waiting => wait_ms(50),
                    Step::Review => key(KeyCode::Enter),
                    Step::Form => {
                        if let Some(bad) = f.problems.first().copied() {
                            let v = self.generator.value_for(bad, true);
                            *plan = self.generator.set_field_plan(f.focus, bad, &v);
                        } else if f.changes == UserUpdate::default() {
                            let v = format!("Final {}", self.seed % 1000);
                            *plan = self.generator.set_field_plan(f.focus, EditField::Company, &v);
                        } else {
                            return key(KeyCode::Enter);
                        }
                        plan.pop_front().unwrap_or_else(|| wait_ms(1))
                    }
                }
            }
        }
    }
}

/// A run: the probe, the random part and the finish, or the acts of a log. Returns the stats
/// and the log.
async fn fuzz(seed: u64, steps: usize, replay: Option<Replay>) -> (Stats, Vec<String>) {
    let rig = Rig::start(seed).await;
    let obs = rig.observe();
    let head = json!({ "fault_fuzz": 1, "seed": format!("{seed:#x}"), "steps": steps });
    let mut fuzz = Fuzz {
        seed,
        steps,
        rig,
        generator: Gen::new(seed),
        tail: Tail(VecDeque::new()),
        log: vec![head.to_string()],
        diverged: None,
        stats: Stats::default(),
        obs,
        step: 0,
        saved: None,
    };
    fuzz.tail.push(format!("seed {seed:#x}"));
    match replay {
        Some(log) => fuzz.replay(log.acts).await,
        None => {
            fuzz.probe().await;
            fuzz.run().await;
            fuzz.finish().await;
        }
    }
    let panics = PANICS.load(Ordering::SeqCst);
    if panics > 0 {
        fuzz.fail(&format!("{panics} panic(s) happened during the run (see the output above)"));
    }
    let Fuzz { rig, stats, log, .. } = fuzz;
    rig.shutdown().await;
    (stats, log)
}
