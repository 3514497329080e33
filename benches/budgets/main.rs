//! The performance budgets of issue 5, measured. `benches/budgets.sh` runs this (and times
//! `whoami` with hyperfine) and prints the table; run alone with `cargo bench --bench budgets`.
//!
//! Every figure is printed twice: as text for people, and as a machine line
//! `BUDGET|<what>|<measured>|<budget>|<unit>|<how>` (`INFO|...` for figures without a budget)
//! that the script turns into the table. A measured value passes when it is at most the budget.
//!
//! - start to first frame: the release binary, `cs-account demo`, spawned in a pty of 100×30;
//!   the clock runs from the spawn until the emulated screen shows the log-in form; 21 runs.
//! - frame, key to frame, filter keystroke: in-process (see `inproc`), on the 1,000-role ×
//!   50-rule profile that the demo server generates, fetched through the real client.
//! - start with a token: the release binary with `CONTENTSTACK_AUTHTOKEN` against a demo server
//!   with that profile, in a pty, from the spawn until the first role is on the emulated screen.
//! - memory and idle: the release binary against a demo server with that profile, in a pty,
//!   logged in through the form; VmRSS/VmHWM from /proc once the profile is shown; then, once
//!   every toast's timer has run out, 10 s with no input: bytes written to the pty (a frame
//!   writes at least the cursor's position, so zero bytes is zero frames) and CPU time of all
//!   the process's threads from /proc/<pid>/task/*/schedstat (nanoseconds).

mod inproc;
mod pty;

use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use cs_account::demo::{DemoOptions, DemoServer};
use inproc::Big;
use pty::{quit, spawn, wait_for};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The `q` quantile of `samples` (sorted here), by nearest rank.
fn quantile(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
    samples.get(i).copied().unwrap_or_default()
}

fn budget(what: &str, measured: f64, budget: f64, unit: &str, how: &str) {
    let verdict = if measured <= budget { "pass" } else { "MISS" };
    println!("{what:<52} {measured:>10.2} {unit:<3} (budget {budget} {unit}: {verdict})");
    println!("BUDGET|{what}|{measured:.2}|{budget}|{unit}|{how}");
}

fn info(what: &str, measured: f64, unit: &str, how: &str) {
    println!("{what:<52} {measured:>10.2} {unit}");
    println!("INFO|{what}|{measured:.2}||{unit}|{how}");
}

fn first_frame() {
    let mut samples: Vec<Duration> = (0..21)
        .map(|_| {
            let (mut p, started) = spawn(&["demo"]);
            let shown = wait_for(&mut p, "Log in to Contentstack", Duration::from_micros(200));
            quit(p);
            shown - started
        })
        .collect();
    let median = quantile(&mut samples, 0.5);
    budget(
        "start to first frame (median)",
        ms(median),
        10.0,
        "ms",
        "`cs-account demo` spawned in a 100×30 pty until the form is on the emulated screen; 21 runs",
    );
}

fn in_process(big: &Big) {
    let mut loads: Vec<Duration> = (0..3).map(|_| big.app((100, 30)).2).collect();
    info(
        "profile answer → profile on screen (loop thread)",
        ms(quantile(&mut loads, 0.5)),
        "ms",
        "`update` with the decoded 1,000×50 answer, then the first frame; median of 3",
    );
    let mut names: Vec<Duration> = (0..3).map(|_| big.stack_names((100, 30))).collect();
    budget(
        "stack names → grouped tree on screen",
        ms(quantile(&mut names, 0.5)),
        50.0,
        "ms",
        "`update` with the 200 stacks' names and organisations (the tree regrouped Organisation → Stack → \
         Role, keeping its state), then the frame; median of 3",
    );
    use KeyCode::*;
    let views: [(&str, &[KeyCode]); 4] = [
        ("roles", &[]),
        ("roles, all expanded", &[Char('E'), PageDown]),
        ("permissions", &[Char('2')]),
        ("raw JSON", &[Char('5'), PageDown]),
    ];
    let mut worst = (Duration::ZERO, "");
    for (name, keys) in views {
        let mut samples = inproc::frames(big, (200, 50), keys, 300);
        let median = quantile(&mut samples, 0.5);
        println!("  frame, {name}, 200×50: median {:.3} ms", ms(median));
        if median > worst.0 {
            worst = (median, name);
        }
    }
    budget(
        "frame (median, slowest view)",
        ms(worst.0),
        2.0,
        "ms",
        &format!(
            "1,000×50 profile, 200×50, draw + diff + escapes into memory, 300 frames per view; slowest view: {}",
            worst.1
        ),
    );
    let (mut keys, slowest) = inproc::keys(big, (100, 30));
    let n = keys.len();
    let (median, p99, max) = (quantile(&mut keys, 0.5), quantile(&mut keys, 0.99), quantile(&mut keys, 1.0));
    let how = format!("`update` + frame for {n} browsing keys (moves, pages, open/close, tabs, E/C), 100×30");
    budget("key to frame (median)", ms(median), 2.0, "ms", &how);
    budget("key to frame (p99)", ms(p99), 5.0, "ms", &how);
    info("key to frame (slowest key)", ms(max), "ms", &format!("{slowest}, once per session"));
    let (mut first, mut complete, mut beats) = (Vec::new(), Vec::new(), Vec::new());
    let (mut all_first, mut all_complete) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        let mut t = inproc::filter(big, (100, 30));
        first.push(quantile(&mut t.first_frame, 1.0));
        complete.push(quantile(&mut t.complete, 1.0));
        beats.push(quantile(&mut t.beats, 1.0));
        all_first.extend(t.first_frame);
        all_complete.extend(t.complete);
    }
    let keys = "keys typing `e`, `publish`, `blt` (each erased) and `role 09` on a fresh profile, the first \
                keystroke included; median over 3 runs of each run's slowest";
    budget(
        "filter keystroke → its frame (slowest)",
        ms(quantile(&mut first, 0.5)),
        5.0,
        "ms",
        &format!("`update` + frame per key: the first results (steps of 256 KB of index); {keys}"),
    );
    info(
        "filter keystroke → every result shown (slowest)",
        ms(quantile(&mut complete, 0.5)),
        "ms",
        &format!("from the key to the frame after its last step, steps run back to back; {keys}"),
    );
    info(
        "filter step (slowest)",
        ms(quantile(&mut beats, 0.5)),
        "ms",
        "one beat: `update` with `Tick` + frame; the longest a key typed meanwhile waits",
    );
    info("filter keystroke → its frame (median)", ms(quantile(&mut all_first, 0.5)), "ms", "same keystrokes");
    info(
        "filter keystroke → every result shown (median)",
        ms(quantile(&mut all_complete, 0.5)),
        "ms",
        "same keystrokes",
    );
}

fn real_process(runtime: &tokio::runtime::Runtime) {
    let server = runtime
        .block_on(DemoServer::start(DemoOptions {
            roles: Some(1000),
            rules: 50,
            rate_limit: 0,
            ..Default::default()
        }))
        .expect("demo server");
    let url = server.base_url();
    start_with_token(runtime, &url);
    let (mut p, _) = spawn(&["--api-url", &url]);
    let pid = p.pid();
    wait_for(&mut p, "Log in to Contentstack", Duration::from_millis(5));
    p.send("john.doe@example.com\tDemo-pass-1234\r");
    let typed = Instant::now();
    let shown = wait_for(&mut p, "Role 0000", Duration::from_millis(1));
    budget(
        "log-in → 1,000×50 profile on screen, real process",
        ms(shown - typed),
        120.0,
        "ms",
        "Enter on the form until the emulated screen shows the first role: both requests, the demo \
         server's answers (7 MB), decoding, the tree, the frame",
    );
    p.settle(Duration::from_millis(500));
    let (rss, hwm) = pty::memory_kb(pid);
    let how = "the release binary in a pty, logged in to a 1,000×50 demo profile, roles tab shown";
    budget("resident memory, profile shown (VmRSS)", rss as f64 / 1024.0, 30.0, "MB", how);
    budget("peak resident memory (VmHWM)", hwm as f64 / 1024.0, 30.0, "MB", how);
    // Toasts live up to 12 s; their timers end in a frame. Idle starts once they are all gone.
    while typed.elapsed() < Duration::from_secs(13) {
        p.pump();
        std::thread::sleep(Duration::from_millis(50));
    }
    p.settle(Duration::from_secs(1));
    let (bytes, (ns, ticks)) = (p.bytes(), pty::cpu(pid));
    let idle = Instant::now();
    while idle.elapsed() < Duration::from_secs(10) {
        p.pump();
        std::thread::sleep(Duration::from_millis(100));
    }
    let (ns2, ticks2) = pty::cpu(pid);
    let how = "10 s without input on the profile, after every toast expired; the real process in a pty";
    budget("idle 10 s: bytes drawn", (p.bytes() - bytes) as f64, 0.0, "B", how);
    budget(
        "idle 10 s: CPU time",
        (ns2 - ns) as f64 / 1e6,
        5.0,
        "ms",
        &format!("{how}; schedstat of all threads (utime+stime: {} ticks of 10 ms)", ticks2 - ticks),
    );
    p.send("5");
    wait_for(&mut p, "\"email\"", Duration::from_millis(5));
    p.send("1/e");
    wait_for(&mut p, "matches", Duration::from_millis(5));
    p.settle(Duration::from_millis(500));
    let (rss, hwm) = pty::memory_kb(pid);
    info("VmRSS after the Raw tab and a filter", rss as f64 / 1024.0, "MB", "same process, then `5`, `1/e`");
    info("VmHWM after the Raw tab and a filter", hwm as f64 / 1024.0, "MB", "same process");
    quit(p);
    runtime.block_on(server.shutdown());
}

/// The app started with a token for the 1,000×50 profile (`CONTENTSTACK_AUTHTOKEN`, as a script
/// or a pasted token would), from the spawn to the first role on the emulated screen: start-up,
/// the token check (`GET /user`, the 7 MB answer), decoding, the tree and the frame.
fn start_with_token(runtime: &tokio::runtime::Runtime, url: &str) {
    use cs_account::api::{Client, ClientConfig, Endpoint};
    use secrecy::{ExposeSecret, SecretString};
    let token = runtime.block_on(async {
        let client = Client::new(ClientConfig::new(Endpoint::custom(url).expect("url"))).expect("client");
        let password = SecretString::from("Demo-pass-1234");
        client.login("john.doe@example.com", &password, None).await.expect("log-in").authtoken
    });
    let mut samples: Vec<Duration> = (0..11)
        .map(|_| {
            let (mut p, started) = pty::spawn_with(
                pty::Spawn::app(&["--api-url", url]).env("CONTENTSTACK_AUTHTOKEN", token.expose_secret()),
            );
            let shown = wait_for(&mut p, "Role 0000", Duration::from_millis(1));
            quit(p);
            shown - started
        })
        .collect();
    budget(
        "start with a token → first role of 1,000×50 on screen (median)",
        ms(quantile(&mut samples, 0.5)),
        60.0,
        "ms",
        "the release binary spawned in a 100×30 pty with CONTENTSTACK_AUTHTOKEN until the emulated \
         screen shows the first role; 11 runs",
    );
}

fn main() {
    println!("cs-account budgets ({} build)", if cfg!(debug_assertions) { "debug" } else { "release" });
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
    let runtime = runtime.expect("runtime");
    first_frame();
    let big = Big::fetch(&runtime);
    in_process(&big);
    drop(big);
    real_process(&runtime);
}
