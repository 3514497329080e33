//! The release binary in a pseudo-terminal (through the tests' harness, `tests/common/pty.rs`),
//! and what /proc says about it.

use std::time::{Duration, Instant};

#[path = "../../tests/common/pty.rs"]
#[allow(dead_code)] // The tests use more of it than the budgets.
mod harness;

pub use harness::{Pty, Spawn};

/// Spawns `cs-account <args>` in a pty; returns it with the instant just before the spawn.
pub fn spawn(args: &[&str]) -> (Pty, Instant) {
    spawn_with(Spawn::app(args))
}

/// Spawns what `spawn` describes (arguments, environment) in a pty; returns it with the instant
/// just before the spawn.
pub fn spawn_with(spawn: Spawn) -> (Pty, Instant) {
    let started = Instant::now();
    (spawn.start(), started)
}

/// Polls every `poll` until the screen shows `text`; returns when it did.
pub fn wait_for(p: &mut Pty, text: &str, poll: Duration) -> Instant {
    p.poll_for(text, poll, Duration::from_secs(60))
}

/// Quits with ctrl-c and waits for the process.
pub fn quit(mut p: Pty) {
    p.send("\u{3}");
    p.wait_exit();
}

/// `VmRSS` and `VmHWM` of `pid`, in kB.
pub fn memory_kb(pid: i32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time of every thread of `pid`: on-CPU nanoseconds from `schedstat` (exact), and utime +
/// stime from `stat` (in clock ticks of 10 ms, too coarse for a 5 ms budget, shown beside it).
pub fn cpu(pid: i32) -> (u64, u64) {
    let mut ns = 0;
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for task in tasks.flatten() {
            let sched = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
            ns += sched.split_whitespace().next().and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
        }
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_comm = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    // Fields after `comm`: state is the 1st, utime the 12th, stime the 13th.
    let fields: Vec<u64> = after_comm.split_whitespace().map(|f| f.parse().unwrap_or(0)).collect();
    let ticks = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
    (ns, ticks)
}
