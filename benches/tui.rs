//! Figures for the full-screen app, printed as median / p99 over many runs:
//!
//! 1. start to first frame: the release binary (`cs-account demo`) in a pseudo-terminal, from
//!    spawn until the log-in form is on the emulated screen;
//! 2. one frame of the profile with 1,000 roles × 50 rules (from the demo server, through the
//!    real client), into a `TestBackend` and into a `CrosstermBackend` writing to memory (which
//!    adds ratatui's diff and the escape sequences), at 80×24 and 200×50;
//! 3. moving the selection (`update` with ↓) in that tree, collapsed and fully expanded, and
//!    the frame that follows;
//! 4. the Raw tab's search (a key's first step, the rest in steps, `n`/`N`), sideways scrolling
//!    and wrapped paging, and the details popup (opening, scrolling, its frame).
//!
//! Run with `cargo bench --bench tui`. `harness = false`: a plain `main`. The budgets themselves
//! are measured by `benches/budgets.sh` (see the README's Performance section).

use std::io::{ErrorKind, Write};
use std::num::NonZeroU16;
use std::process::Command;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use cs_account::api::{Client, ClientConfig, Endpoint, GetUserOptions};
use cs_account::app::keymap::Keymap;
use cs_account::app::request::{Lives, OnUser, Request, ScreenTag, Then};
use cs_account::app::{App, Effect, Msg, update};
use cs_account::demo::{DemoOptions, DemoServer};
use cs_account::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use secrecy::SecretString;

/// Median and 99th percentile of `samples`, in microseconds.
fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let pick = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[i].as_secs_f64() * 1e6
    };
    (pick(0.5), pick(0.99))
}

fn report(what: &str, samples: Vec<Duration>) {
    let n = samples.len();
    let (median, p99) = stats(samples);
    let unit = |us: f64| match us {
        10_000.0.. => format!("{:.1} ms", us / 1000.0),
        1.0.. => format!("{us:.0} µs"),
        _ => format!("{:.0} ns", us * 1000.0),
    };
    println!("{what:<58} median {:>9}   p99 {:>9}   (n={n})", unit(median), unit(p99));
}

/// Spawns the release binary in a pty and waits for the log-in form on the emulated screen.
fn time_to_first_frame() -> Duration {
    let config = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cs-account"));
    cmd.arg("demo")
        .env("CS_ACCOUNT_CONFIG_DIR", config.path())
        .env("CS_ACCOUNT_STATE_DIR", config.path())
        .env("TERM", "xterm-256color");
    let started = Instant::now();
    let mut session = expectrl::Session::spawn(cmd).expect("spawn");
    session.get_process_mut().set_window_size(100, 30).expect("window size");
    let size = |n| NonZeroU16::new(n).expect("non-zero");
    let mut screen = vt100::Parser::new(size(30), size(100), 0);
    let mut buf = [0u8; 16384];
    let elapsed = loop {
        match session.try_read(&mut buf) {
            Ok(n) if n > 0 => screen.process(&buf[..n]),
            Err(e) if e.kind() != ErrorKind::WouldBlock => panic!("pty read: {e}"),
            _ => std::thread::sleep(Duration::from_micros(200)),
        }
        if screen.screen().contents().contains("Log in to Contentstack") {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no log-in form:\n{}",
            screen.screen().contents()
        );
    };
    session.write_all(b"\x03").expect("ctrl-c");
    let _ = session.get_process().wait();
    elapsed
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// An app showing `user`'s profile, reached through `update` as after a real log-in.
fn profile_app(user: cs_account::api::User, token: &SecretString, size: (u16, u16)) -> App {
    let mut app = App::new(Endpoint::default(), Keymap::default(), size);
    let then = OnUser::CheckToken { token: token.clone(), remember: false };
    let request =
        Request::GetUser { endpoint: Endpoint::default(), cred: token.clone().into(), then: then.clone() };
    let Effect::Request { id, .. } = app.request(Lives::Screen(ScreenTag::Login), request) else {
        panic!("a request")
    };
    let effects = update(&mut app, Msg::Api { id, reply: Box::new(then.reply(Ok(user.into()))) });
    assert!(effects.iter().all(|e| !matches!(e, Effect::Quit)) && app.profile().is_some(), "profile shown");
    app
}

fn draw_samples<B: ratatui::backend::Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    n: usize,
) -> Vec<Duration>
where
    B::Error: std::fmt::Debug,
{
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        // Change something each frame (the selection), as a user's key press would.
        let _ = update(app, key(if i % 2 == 0 { KeyCode::Down } else { KeyCode::Up }));
        let t = Instant::now();
        terminal.draw(|f| cs_account::ui::draw(f, app, &Theme::default())).expect("draw");
        samples.push(t.elapsed());
    }
    samples
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");

    println!("cs-account TUI figures ({} build)", if cfg!(debug_assertions) { "debug" } else { "release" });
    let samples: Vec<Duration> = (0..20).map(|_| time_to_first_frame()).collect();
    report("start to first frame (cs-account demo, pty 100×30)", samples);

    let (user, token, fetch) = runtime.block_on(async {
        let opts = DemoOptions { roles: Some(1000), rules: 50, rate_limit: 0, ..Default::default() };
        let server = DemoServer::start(opts).await.expect("demo server");
        let client = Client::new(ClientConfig::new(Endpoint::custom(&server.base_url()).expect("url")))
            .expect("client");
        let login = client
            .login("john.doe@example.com", &SecretString::from("Demo-pass-1234"), None)
            .await
            .expect("log-in");
        let t = Instant::now();
        let user = client.get_user(&login.authtoken, GetUserOptions::full()).await.expect("profile");
        let fetch = t.elapsed();
        server.shutdown().await;
        (user, login.authtoken, fetch)
    });
    let rules: usize = user.roles.iter().map(|r| r.rules.len()).sum();
    println!(
        "profile: {} roles, {rules} rules; GET /v3/user over loopback took {:.1} ms",
        user.roles.len(),
        fetch.as_secs_f64() * 1e3
    );

    let roles = user.roles.clone();
    let t = Instant::now();
    let tree = cs_account::screens::profile::tree::ProfileTree::new(roles);
    println!("{:<58} {:.1} ms", "roles tree built (1,000 × 50)", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let perms = cs_account::screens::profile::permissions::Permissions::from_tree(&tree);
    println!("{:<58} {:.1} ms", "permissions union built (from the tree)", t.elapsed().as_secs_f64() * 1e3);
    drop((tree, perms));
    let copy = user.clone();
    let t = Instant::now();
    let app = profile_app(copy, &token, (80, 24));
    println!(
        "{:<58} {:.1} ms",
        "log-in answer → profile state (update, all of it)",
        t.elapsed().as_secs_f64() * 1e3
    );
    drop(app);
    let mut app = profile_app(user.clone(), &token, (80, 24));
    let t = Instant::now();
    let _ = update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Char('5'), KeyModifiers::NONE)));
    let lines = app.profile().map(|p| p.raw_len()).unwrap_or(0);
    println!(
        "{:<58} {:.1} ms ({lines} lines)",
        "first opening of the Raw tab (JSON built)",
        t.elapsed().as_secs_f64() * 1e3
    );
    drop(app);

    for (w, h) in [(80u16, 24u16), (200, 50)] {
        let mut app = profile_app(user.clone(), &token, (w, h));
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        report(&format!("frame, roles tab, TestBackend {w}×{h}"), draw_samples(&mut terminal, &mut app, 500));
        // A fixed viewport: with no tty, asking the size would run `tput`, which is not what
        // a frame costs in real use.
        let viewport = ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h));
        let backend = CrosstermBackend::new(Vec::<u8>::with_capacity(64 << 20));
        let mut terminal =
            Terminal::with_options(backend, ratatui::TerminalOptions { viewport }).expect("terminal");
        report(
            &format!("frame + diff + escapes, CrosstermBackend {w}×{h}"),
            draw_samples(&mut terminal, &mut app, 500),
        );
        let _ = update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Char('5'), KeyModifiers::NONE)));
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        report(
            &format!("frame, raw JSON tab, TestBackend {w}×{h}"),
            draw_samples(&mut terminal, &mut app, 500),
        );
    }

    let mut app = profile_app(user.clone(), &token, (80, 24));
    let mut moves = Vec::new();
    for i in 0..5000 {
        let t = Instant::now();
        let _ = update(&mut app, key(if (i / 500) % 2 == 0 { KeyCode::Down } else { KeyCode::Up }));
        moves.push(t.elapsed());
    }
    report("move selection (update ↓/↑), 1,000 roles collapsed", moves);
    let t = Instant::now();
    let _ = update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Char('E'), KeyModifiers::SHIFT)));
    let expand = t.elapsed();
    let rows = app.profile().map(|p| p.tree.len()).unwrap_or(0);
    println!("{:<58} {:.1} ms ({rows} rows)", "expand everything (E)", expand.as_secs_f64() * 1e3);
    let mut moves = Vec::new();
    for i in 0..5000 {
        let code = match i % 4 {
            0 => KeyCode::PageDown,
            1 | 2 => KeyCode::Down,
            _ => KeyCode::Up,
        };
        let t = Instant::now();
        let _ = update(&mut app, key(code));
        moves.push(t.elapsed());
    }
    report("move selection (↓/↑/PgDn), everything expanded", moves);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    report("frame after a move, everything expanded, 80×24", draw_samples(&mut terminal, &mut app, 500));
    let t = Instant::now();
    let _ = update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE)));
    for c in "publish".chars() {
        let _ = update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
    println!(
        "{:<58} {:.1} ms",
        "filter: type \"publish\" (7 keys, first step of each)",
        t.elapsed().as_secs_f64() * 1e3
    );

    raw_and_details(&user, &token);
}

/// The Raw tab's search, sideways scrolling and wrapping, and the details popup, on the
/// 1,000 × 50 profile at 80×24: each key's `update`, and the frame after it.
fn raw_and_details(user: &cs_account::api::User, token: &SecretString) {
    let ch = |c: char| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let tick = |app: &mut App| update(app, Msg::Tick).iter().any(|e| matches!(e, Effect::Timer { .. }));
    let mut app = profile_app(user.clone(), token, (80, 24));
    let _ = update(&mut app, ch('5'));
    // Halfway down, as a user reading it would be.
    for _ in 0..2000 {
        let _ = update(&mut app, key(KeyCode::PageDown));
    }
    let _ = update(&mut app, ch('/'));
    let mut keys = Vec::new();
    for c in "publish".chars() {
        let t = Instant::now();
        let _ = update(&mut app, ch(c));
        keys.push(t.elapsed());
    }
    report("raw search: a key typed (its first step)", keys);
    let (mut steps, mut slowest) = (0, Duration::ZERO);
    let t = Instant::now();
    loop {
        let s = Instant::now();
        let more = tick(&mut app);
        slowest = slowest.max(s.elapsed());
        steps += 1;
        if !more {
            break;
        }
    }
    let matches = app.profile().map_or(0, |p| p.raw.search.match_count());
    println!(
        "{:<58} {:.1} ms in {steps} steps, slowest {:.2} ms ({matches} lines)",
        "raw search: the rest of the document",
        t.elapsed().as_secs_f64() * 1e3,
        slowest.as_secs_f64() * 1e3
    );
    let _ = update(&mut app, key(KeyCode::Enter));
    let mut keys = Vec::new();
    for i in 0..500 {
        let t = Instant::now();
        let _ = update(&mut app, ch(if i % 3 == 2 { 'N' } else { 'n' }));
        keys.push(t.elapsed());
    }
    report("raw search: n / N (next, previous match)", keys);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    report("frame, raw tab with the search's matches, 80×24", draw_samples(&mut terminal, &mut app, 500));
    let mut keys = Vec::new();
    for i in 0..500 {
        let t = Instant::now();
        let _ = update(&mut app, key(if i % 2 == 0 { KeyCode::Right } else { KeyCode::Left }));
        keys.push(t.elapsed());
    }
    report("raw: → / ← (sideways)", keys);
    let _ = update(&mut app, ch('w'));
    let mut keys = Vec::new();
    for i in 0..500 {
        let t = Instant::now();
        let _ = update(&mut app, key(if i % 4 == 0 { KeyCode::PageUp } else { KeyCode::PageDown }));
        keys.push(t.elapsed());
    }
    report("raw, lines wrapped: PgDn / PgUp", keys);
    report("frame, raw tab with lines wrapped, 80×24", draw_samples(&mut terminal, &mut app, 500));

    // The details of a right that 1,000 roles grant, and of the first role.
    let mut app = profile_app(user.clone(), token, (80, 24));
    let _ = update(&mut app, ch('2'));
    let _ = update(&mut app, key(KeyCode::Down));
    let t = Instant::now();
    let _ = update(&mut app, ch('i'));
    let opened = t.elapsed();
    let lines = app
        .profile()
        .and_then(|p| p.selected_details())
        .map_or(0, |d| cs_account::ui::widgets::details::line_count(&d, (80, 24)));
    println!(
        "{:<58} {:.2} ms ({lines} lines)",
        "details: i on a right of 1,000 grantors",
        opened.as_secs_f64() * 1e3
    );
    let mut keys = Vec::new();
    for i in 0..500 {
        let t = Instant::now();
        let _ = update(&mut app, key(if i % 2 == 0 { KeyCode::PageDown } else { KeyCode::Up }));
        keys.push(t.elapsed());
    }
    report("details: scroll (PgDn / ↑), 1,000 grantors", keys);
    let mut samples = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        terminal.draw(|f| cs_account::ui::draw(f, &app, &Theme::default())).expect("draw");
        samples.push(t.elapsed());
    }
    report("frame with the details popup, 1,000 grantors, 80×24", samples);
    let _ = update(&mut app, key(KeyCode::Esc));
    let _ = update(&mut app, ch('1'));
    let _ = update(&mut app, ch('i'));
    let mut samples = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        terminal.draw(|f| cs_account::ui::draw(f, &app, &Theme::default())).expect("draw");
        samples.push(t.elapsed());
    }
    report("frame with the details popup of a role of 50 rules, 80×24", samples);
}
