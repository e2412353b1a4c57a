//! /sbin/init for Wasmux: pid 1, from boot to shutdown.
//!
//! The kernel mounts /dev, /proc and /tmp, spawns `/sbin/init` (or
//! `/sbin/init -c COMMAND`) on the console, and stops when init exits,
//! saving the disk. Init does the rest, as a small Linux init does:
//!
//! 1. reads /etc/inittab ([`inittab`]: `sysinit`, `once`, `respawn`,
//!    `console`, `shutdown` entries) and runs its services, restarting the
//!    `respawn` ones with a back-off ([`respawn`]);
//! 2. prints a banner and /etc/motd, then starts the console session: the
//!    user's login shell (`/bin/sh -l`, from /etc/passwd) or, with `-c`,
//!    `/bin/sh -c COMMAND`, as the leader of a new session that owns the
//!    terminal ([`session`]: no fork, so init's own binary does the
//!    getty/login step and execs the shell);
//! 3. reaps every child, orphans included ([`supervisor`]);
//! 4. shuts down when the session ends, or on SIGTERM/SIGINT (what
//!    /sbin/poweroff sends): `shutdown` entries, then SIGTERM to every
//!    process, a grace period, SIGKILL; then exits with the session's
//!    status (0 after poweroff).
//!
//! # Invariants
//!
//! - Only pid 1 supervises: run by anyone else, `init` refuses (its
//!   shutdown would signal every process of the system).
//! - Children start with nothing blocked and default dispositions, whatever
//!   init blocks or ignores.
//! - A respawn service that keeps dying is restarted at most once a second
//!   at first, then less and less often (up to once a minute).
//! - A bad inittab line is reported and skipped; a missing inittab means no
//!   services; the console session still starts.
//!
//! # Example
//!
//! The inittab is plain text:
//!
//! ```
//! use wasmux_init::inittab::{self, Action};
//!
//! let table = inittab::parse("# services\nrespawn:/bin/logger -t 'a b'\n");
//! let entry = &table.entries[0];
//! assert_eq!(entry.action, Action::Respawn);
//! assert_eq!(entry.argv, ["/bin/logger", "-t", "a b"]);
//! ```

pub mod inittab;
pub mod passwd;
pub mod respawn;
pub mod session;
pub mod supervisor;

use std::io::Write;

use session::{Session, SessionKind};
use supervisor::{Stop, Supervisor};

/// Where init's configuration is.
pub const INITTAB: &str = "/etc/inittab";

/// Runs the system as pid 1 until it stops; returns init's exit status.
pub fn boot(init_path: &str, kind: SessionKind) -> i32 {
    let inittab = inittab::parse(&std::fs::read_to_string(INITTAB).unwrap_or_default());
    for problem in &inittab.problems {
        eprintln!("init: {INITTAB}: {problem}");
    }
    let mut supervisor = match Supervisor::new(init_path) {
        Ok(supervisor) => supervisor,
        Err(error) => {
            eprintln!("init: cannot set up signals: {error}");
            return 1;
        }
    };
    supervisor.start_services(&inittab);

    let accounts = passwd::parse(&std::fs::read_to_string("/etc/passwd").unwrap_or_default());
    let account = passwd::by_uid(&accounts, wasmux_sys::getids().uid);
    let kind = match kind {
        SessionKind::Login(None) => SessionKind::Login(inittab.console().map(<[String]>::to_vec)),
        other => other,
    };
    if matches!(kind, SessionKind::Login(_)) {
        print_banner();
    }
    let inherited: Vec<(String, String)> = std::env::vars().collect();
    let session = Session::new(&kind, &account, &inherited);
    let stop = match supervisor.start_session(&session) {
        Ok(()) => supervisor.run(),
        Err(error) => {
            eprintln!("init: cannot start {}: {error}", session.argv[0]);
            Stop::SessionEnded(wasmux_sys::WaitStatus::Exited(127))
        }
    };
    if let Stop::Requested(signal) = stop {
        eprintln!(
            "init: SIG{} received: the system is going down",
            signal.name()
        );
    }
    supervisor.shut_down(&inittab);
    stop.exit_code()
}

/// The banner and /etc/motd, on the console.
fn print_banner() {
    let hostname = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let hostname = hostname.trim();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "\nWasmux {} on {}\n",
        env!("CARGO_PKG_VERSION"),
        if hostname.is_empty() {
            "wasmux"
        } else {
            hostname
        }
    );
    if let Ok(motd) = std::fs::read_to_string("/etc/motd") {
        let _ = write!(out, "{motd}");
    }
    let _ = out.flush();
}
