//! In-process figures on the 1,000-role × 50-rule profile: the app driven through `update` and
//! drawn by `ui::draw` into a `CrosstermBackend` whose writer only counts bytes, so a frame includes ratatui's
//! diff and the escape sequences a terminal would get (not the terminal's own work).

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use cs_account::api::{Client, ClientConfig, Endpoint, GetUserOptions, User};
use cs_account::app::keymap::Keymap;
use cs_account::app::request::{Lives, OnUser, Request, ScreenTag, Then};
use cs_account::app::{App, Effect, Msg, update};
use cs_account::demo::{DemoOptions, DemoServer};
use cs_account::ui::theme::Theme;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use secrecy::SecretString;

type Term = Terminal<CrosstermBackend<Sink>>;

/// Where frames go: counted and dropped, as a terminal would take them off our hands.
#[derive(Default)]
pub struct Sink {
    pub bytes: u64,
}

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += std::hint::black_box(buf).len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The big profile, fetched through the real client from the demo server.
pub struct Big {
    pub user: User,
    pub token: SecretString,
    /// The user's stacks (200 for its roles, and the sample ones), which the app asks for after the profile.
    pub stacks: Vec<cs_account::api::Stack>,
}

impl Big {
    pub fn fetch(runtime: &tokio::runtime::Runtime) -> Big {
        runtime.block_on(async {
            let opts = DemoOptions { roles: Some(1000), rules: 50, rate_limit: 0, ..Default::default() };
            let server = DemoServer::start(opts).await.expect("demo server");
            let endpoint = Endpoint::custom(&server.base_url()).expect("url");
            let client = Client::new(ClientConfig::new(endpoint)).expect("client");
            let password = SecretString::from("Demo-pass-1234");
            let login = client.login("john.doe@example.com", &password, None).await.expect("log-in");
            let user = client.get_user(&login.authtoken, GetUserOptions::full()).await.expect("profile");
            let listing = cs_account::api::stacks::all_stacks(&client, &login.authtoken, &[]).await;
            let stacks = listing.expect("stacks").stacks;
            assert!(stacks.len() >= 200, "a 1,000-role demo profile has 200 stacks (and the sample ones)");
            server.shutdown().await;
            Big { user, token: login.authtoken, stacks }
        })
    }

    /// A fresh app with the profile's answer arriving, as after a pasted token, and the time the
    /// loop spends on it: `update` with the answer, then the first frame.
    ///
    /// As in the app, the answer is made on another thread (the runtime's worker that decodes
    /// it, whose allocator arena it lives in), and the figures that follow wait until the
    /// answer's models, which the tree frees on a thread of its own, are gone.
    ///
    /// Then the stacks call's answer arrives (not timed here: see [`Big::stack_names`]), so every
    /// figure after it is taken on the tree grouped Organisation → Stack → Role.
    pub fn app(&self, size: (u16, u16)) -> (App, Term, Duration) {
        let (mut app, mut term, took, stacks) = self.profile(size);
        let _ = update(&mut app, stacks);
        draw(&mut term, &app);
        (app, term, took)
    }

    /// The time from the stacks call's answer to the grouped tree on screen: `update` (names and
    /// organisations in, the tree regrouped keeping its state) and the frame.
    pub fn stack_names(&self, size: (u16, u16)) -> Duration {
        let (mut app, mut term, _, stacks) = self.profile(size);
        let t = Instant::now();
        let _ = update(&mut app, stacks);
        draw(&mut term, &app);
        let took = t.elapsed();
        let p = app.profile().expect("profile");
        assert!(p.tree.selected_path_text().contains(" › "), "grouped: {}", p.tree.selected_path_text());
        took
    }

    /// The app with the profile on screen, the time that took, and the stacks answer to give it.
    fn profile(&self, size: (u16, u16)) -> (App, Term, Duration, Msg) {
        let mut app = App::new(Endpoint::default(), Keymap::default(), size);
        let then = OnUser::CheckToken { token: self.token.clone(), remember: false };
        let request = Request::GetUser {
            endpoint: Endpoint::default(),
            cred: self.token.clone().into(),
            then: then.clone(),
        };
        let Effect::Request { id, .. } = app.request(Lives::Screen(ScreenTag::Login), request) else {
            panic!("a request")
        };
        let user = std::thread::scope(|s| s.spawn(|| self.user.clone()).join()).expect("a copy of the user");
        let answer = Msg::Api { id, reply: Box::new(then.reply(Ok(user.into()))) };
        let mut term = terminal(size);
        let t = Instant::now();
        let effects = update(&mut app, answer);
        draw(&mut term, &app);
        let took = t.elapsed();
        assert!(app.profile().is_some(), "the profile shows");
        std::thread::sleep(Duration::from_millis(400));
        let stacks = effects
            .iter()
            .find_map(|e| match e {
                Effect::Request { id, request: Request::Stacks { then, .. }, .. } => {
                    let listing = cs_account::api::stacks::StackListing {
                        stacks: self.stacks.clone(),
                        ..Default::default()
                    };
                    Some(Msg::Api { id: *id, reply: Box::new(then.reply(Ok(listing))) })
                }
                _ => None,
            })
            .expect("the app asks for the stacks after the profile");
        (app, term, took, stacks)
    }
}

fn terminal((w, h): (u16, u16)) -> Term {
    // A fixed viewport: with no tty, asking the size would run `tput`.
    let viewport = Viewport::Fixed(Rect::new(0, 0, w, h));
    let backend = CrosstermBackend::new(Sink::default());
    Terminal::with_options(backend, TerminalOptions { viewport }).expect("terminal")
}

fn draw(term: &mut Term, app: &App) {
    term.draw(|f| cs_account::ui::draw(f, app, &Theme::default())).expect("draw");
}

pub fn key(code: KeyCode) -> Msg {
    let mods = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    Msg::Key(KeyEvent::new(code, mods))
}

/// `update` with `msg`, then the frame the loop would draw.
fn key_to_frame(app: &mut App, term: &mut Term, msg: Msg) -> Duration {
    let t = Instant::now();
    let _ = update(app, msg);
    draw(term, app);
    t.elapsed()
}

/// Frames with the selection moving each time, on the tab and state `prepare` leaves.
pub fn frames(big: &Big, size: (u16, u16), keys: &[KeyCode], n: usize) -> Vec<Duration> {
    let (mut app, mut term, _) = big.app(size);
    for &k in keys {
        let _ = update(&mut app, key(k));
    }
    draw(&mut term, &app);
    (0..n)
        .map(|i| {
            let _ = update(&mut app, key(if i % 2 == 0 { KeyCode::Down } else { KeyCode::Up }));
            let t = Instant::now();
            draw(&mut term, &app);
            t.elapsed()
        })
        .collect()
}

/// What a user browsing the profile presses, in order: moving, paging, opening and closing
/// roles and rules, every tab (the Raw tab's first opening included), ends of lists, expand and
/// collapse all.
fn browsing() -> Vec<KeyCode> {
    use KeyCode::*;
    let mut keys = Vec::new();
    let mut push = |k: KeyCode, n: usize| keys.extend(std::iter::repeat_n(k, n));
    for round in 0..8 {
        push(Down, 20);
        push(Up, 8);
        push(PageDown, 4);
        push(PageUp, 2);
        push(Right, 1); // open a role
        push(Down, 1);
        push(Right, 1); // open its rule
        push(Down, 4);
        push(Left, 2);
        push(Enter, 2);
        push(Char('G'), 1);
        push(Up, 10);
        push(Char('g'), 1);
        if round == 3 {
            push(Char('E'), 1);
            push(PageDown, 20);
            push(Down, 30);
            push(Char('C'), 1);
        }
        push(Tab, 1); // permissions
        push(Down, 15);
        push(PageDown, 2);
        push(Tab, 1); // organisations
        push(Down, 3);
        push(Tab, 1); // settings
        push(Tab, 1); // raw
        push(Down, 15);
        push(PageDown, 10);
        push(Char('G'), 1);
        push(PageUp, 3);
        push(Char('g'), 1);
        push(Char('1'), 1);
    }
    keys
}

/// Key to frame over [`browsing`], each key timed from `update` to the frame drawn; with the
/// slowest key named.
pub fn keys(big: &Big, size: (u16, u16)) -> (Vec<Duration>, String) {
    let (mut app, mut term, _) = big.app(size);
    let mut samples = Vec::new();
    let mut worst = (Duration::ZERO, String::new());
    for k in browsing() {
        let d = key_to_frame(&mut app, &mut term, key(k));
        if d > worst.0 {
            worst = (d, format!("{k:?}"));
        }
        samples.push(d);
    }
    (samples, worst.1)
}

/// Per filter keystroke: from `update` with the key to its frame; from the key to the frame
/// with every result (a filter over a large profile is applied in steps, one per beat the key
/// asks for, each beat an `update` and a frame, as the loop runs them); and each beat alone.
#[derive(Default)]
pub struct FilterTimes {
    pub first_frame: Vec<Duration>,
    pub complete: Vec<Duration>,
    pub beats: Vec<Duration>,
}

/// Each keystroke of typing filters on a fresh profile (so the very first filter pays for
/// whatever is built lazily): `e` (nearly everything matches), erased; `publish`, erased; `blt`
/// (every uid), erased; `role 09`.
pub fn filter(big: &Big, size: (u16, u16)) -> FilterTimes {
    let (mut app, mut term, _) = big.app(size);
    let _ = update(&mut app, key(KeyCode::Char('/')));
    draw(&mut term, &app);
    let mut times = FilterTimes::default();
    let mut press = |app: &mut App, term: &mut Term, code: KeyCode| {
        let t = Instant::now();
        let mut effects = update(app, key(code));
        draw(term, app);
        times.first_frame.push(t.elapsed());
        // The loop's beats: a zero timer's `Tick`, handled like any message.
        while effects.iter().any(|e| matches!(e, Effect::Timer { msg, .. } if matches!(**msg, Msg::Tick))) {
            let beat = Instant::now();
            effects = update(app, Msg::Tick);
            draw(term, app);
            times.beats.push(beat.elapsed());
        }
        times.complete.push(t.elapsed());
    };
    for (text, erase) in [("e", true), ("publish", true), ("blt", true), ("role 09", false)] {
        for c in text.chars() {
            press(&mut app, &mut term, KeyCode::Char(c));
        }
        if erase {
            for _ in text.chars() {
                press(&mut app, &mut term, KeyCode::Backspace);
            }
        }
    }
    times
}
