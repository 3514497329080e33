//! Process-wide protections, applied first thing in `main`, before any secret is read.
//!
//! A core dump of cs-account would hold the password being typed and the session token (the
//! review found four copies of each after SIGQUIT with `ulimit -c unlimited`). So on Linux the
//! process is marked not dumpable (`prctl(PR_SET_DUMPABLE, 0)`: no core file, and other processes
//! of the same user cannot attach a debugger or read its memory through /proc), and on every Unix
//! the core size limit is set to 0, hard limit included, so not even a child could raise it.

/// Turns core dumps off for this process. Failures are returned for the log: cs-account still
/// works without this protection, as every program did before it.
pub fn disable_core_dumps() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)?;
    #[cfg(unix)]
    rustix::process::setrlimit(
        rustix::process::Resource::Core,
        rustix::process::Rlimit { current: Some(0), maximum: Some(0) },
    )?;
    Ok(())
}

/// Whether this process may dump core (for the tests and the log): `false` once
/// [`disable_core_dumps`] ran.
pub fn core_dumps_possible() -> bool {
    #[cfg(target_os = "linux")]
    if rustix::process::dumpable_behavior().is_ok_and(|d| d == rustix::process::DumpableBehavior::NotDumpable)
    {
        return false;
    }
    #[cfg(unix)]
    {
        rustix::process::getrlimit(rustix::process::Resource::Core).current != Some(0)
    }
    #[cfg(not(unix))]
    true
}
