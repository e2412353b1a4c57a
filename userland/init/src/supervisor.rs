//! Pid 1's main loop: start what the inittab lists and the console
//! session, reap every child (orphans come to init), restart respawn
//! services after their back-off, and shut down when asked (SIGTERM or
//! SIGINT) or when the session ends.
//!
//! SIGCHLD, SIGTERM and SIGINT stay blocked except inside `sigsuspend`, so
//! a signal can never slip in between "nothing to do" and "wait": the loop
//! reaps, acts, then sleeps in `sigsuspend` until the next signal. Only
//! while a restart is due does it poll (every 100 ms at most), since
//! `sigsuspend` has no timeout.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use wasmux_sys::process::{Child, Command};
use wasmux_sys::signal::{self, How, SigSet, Signal};
use wasmux_sys::{Errno, WaitOptions, WaitStatus, is_errno};

use crate::inittab::{Action, Inittab};
use crate::respawn::Backoff;
use crate::session::Session;

/// Signals init ignores (and its children get back at their default).
const IGNORED: SigSet = SigSet::of(Signal::Hup)
    .with(Signal::Quit)
    .with(Signal::Pipe)
    .with(Signal::Tstp)
    .with(Signal::Ttin)
    .with(Signal::Ttou);

/// Signals init catches: a child changed, or a shutdown request.
const CAUGHT: SigSet = SigSet::of(Signal::Chld)
    .with(Signal::Term)
    .with(Signal::Int);

/// How long processes get between SIGTERM and SIGKILL at shutdown.
const TERM_GRACE: Duration = Duration::from_secs(2);

/// The longest nap while a restart is due.
const POLL: Duration = Duration::from_millis(100);

/// A service from the inittab.
#[derive(Debug)]
struct Service {
    argv: Vec<String>,
    respawn: bool,
    pid: Option<u32>,
    started: Instant,
    backoff: Backoff,
    /// When to start it again (respawn services that ended).
    due: Option<Instant>,
}

/// Why the system stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// SIGTERM or SIGINT (poweroff).
    Requested(Signal),
    /// The console session ended so.
    SessionEnded(WaitStatus),
}

impl Stop {
    /// Init's exit status: 0 for a requested stop, else the session's.
    pub fn exit_code(self) -> i32 {
        match self {
            Stop::Requested(_) => 0,
            Stop::SessionEnded(status) => status.shell_code(),
        }
    }
}

/// Pid 1's state.
#[derive(Debug)]
pub struct Supervisor {
    init_path: String,
    services: Vec<Service>,
    session: Option<u32>,
    stop: Option<Stop>,
    /// The blocked mask to wait with (init's original one, without CAUGHT).
    waiting_mask: SigSet,
    term: &'static AtomicBool,
    int: &'static AtomicBool,
}

impl Supervisor {
    /// Sets up init's signals. `init_path` is this binary (for the session).
    pub fn new(init_path: &str) -> io::Result<Supervisor> {
        for signal in IGNORED.iter() {
            signal::ignore(signal)?;
        }
        let old = signal::sigprocmask(How::Block, Some(CAUGHT))?;
        signal::flag(Signal::Chld)?;
        Ok(Supervisor {
            init_path: init_path.to_string(),
            services: Vec::new(),
            session: None,
            stop: None,
            waiting_mask: old.difference(CAUGHT),
            term: signal::flag(Signal::Term)?,
            int: signal::flag(Signal::Int)?,
        })
    }

    /// Runs the sysinit entries in order, then starts once and respawn ones.
    pub fn start_services(&mut self, inittab: &Inittab) {
        for entry in inittab.with(Action::Sysinit) {
            if let Err(error) = spawn(&entry.argv).and_then(|mut child| child.wait()) {
                eprintln!("init: {}: {error}", entry.argv[0]);
            }
        }
        for entry in &inittab.entries {
            if matches!(entry.action, Action::Once | Action::Respawn) {
                self.services.push(Service {
                    argv: entry.argv.clone(),
                    respawn: entry.action == Action::Respawn,
                    pid: None,
                    started: Instant::now(),
                    backoff: Backoff::default(),
                    due: Some(Instant::now()),
                });
            }
        }
        self.start_due();
    }

    /// Starts the console session.
    pub fn start_session(&mut self, session: &Session) -> io::Result<()> {
        let child = prepare(session.command(&self.init_path)).spawn()?;
        self.session = Some(child.id());
        Ok(())
    }

    /// Supervises until a stop; returns why.
    pub fn run(&mut self) -> Stop {
        loop {
            self.reap();
            if let Some(stop) = self.stop_request() {
                return stop;
            }
            self.start_due();
            let now = Instant::now();
            match self.services.iter().filter_map(|service| service.due).min() {
                Some(due) => {
                    // Let the flags' handlers run during the nap.
                    let _ = signal::sigprocmask(How::Unblock, Some(CAUGHT));
                    std::thread::sleep(due.saturating_duration_since(now).min(POLL));
                    let _ = signal::sigprocmask(How::Block, Some(CAUGHT));
                }
                None => {
                    if let Err(error) = signal::sigsuspend(self.waiting_mask) {
                        eprintln!("init: sigsuspend: {error}");
                        std::thread::sleep(POLL);
                    }
                }
            }
        }
    }

    fn stop_request(&mut self) -> Option<Stop> {
        if self.term.swap(false, Ordering::SeqCst) {
            self.stop = Some(Stop::Requested(Signal::Term));
        } else if self.int.swap(false, Ordering::SeqCst) {
            self.stop = Some(Stop::Requested(Signal::Int));
        }
        self.stop
    }

    /// Reaps every child that ended, without blocking.
    fn reap(&mut self) {
        while let Some((pid, status)) = reap_one() {
            self.ended(pid, status);
        }
    }

    fn ended(&mut self, pid: u32, status: WaitStatus) {
        if self.session == Some(pid) {
            self.session = None;
            self.stop.get_or_insert(Stop::SessionEnded(status));
            return;
        }
        let Some(service) = self
            .services
            .iter_mut()
            .find(|service| service.pid == Some(pid))
        else {
            return; // an orphan: reaped, nothing else to do
        };
        service.pid = None;
        if !service.respawn || self.stop.is_some() {
            return;
        }
        let delay = service.backoff.next_delay(service.started.elapsed());
        if !delay.is_zero() {
            eprintln!(
                "init: {} ended ({status}); restarting in {} s",
                service.argv[0],
                delay.as_secs()
            );
        }
        service.due = Some(Instant::now() + delay);
    }

    fn start_due(&mut self) {
        let now = Instant::now();
        for service in &mut self.services {
            if service.due.is_none_or(|due| due > now) {
                continue;
            }
            service.due = None;
            service.started = now;
            match spawn(&service.argv) {
                Ok(child) => service.pid = Some(child.id()),
                Err(error) => {
                    eprintln!("init: {}: {error}", service.argv[0]);
                    if service.respawn {
                        let delay = service.backoff.next_delay(Duration::ZERO);
                        service.due = Some(now + delay);
                    }
                }
            }
        }
    }

    /// Runs the shutdown entries, then ends every other process: SIGTERM,
    /// a grace period, SIGKILL; reaps them all.
    pub fn shut_down(&mut self, inittab: &Inittab) {
        for service in &mut self.services {
            service.respawn = false;
            service.due = None;
        }
        for entry in inittab.with(Action::Shutdown) {
            if let Err(error) = spawn(&entry.argv).and_then(|mut child| child.wait()) {
                eprintln!("init: {}: {error}", entry.argv[0]);
            }
        }
        if wasmux_sys::kill(-1, Signal::Term).is_err() {
            return; // nothing left to signal
        }
        // Stopped processes must run to die of SIGTERM.
        let _ = wasmux_sys::kill(-1, Signal::Cont);
        let deadline = Instant::now() + TERM_GRACE;
        while Instant::now() < deadline {
            while reap_one().is_some() {}
            if !wasmux_sys::exists(-1) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = wasmux_sys::kill(-1, Signal::Kill);
        loop {
            match wasmux_sys::waitpid(-1, WaitOptions::empty()) {
                Ok(_) => {}
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return, // ECHILD: every child is gone
            }
        }
    }
}

/// Reaps one ended child if there is one.
fn reap_one() -> Option<(u32, WaitStatus)> {
    loop {
        match wasmux_sys::waitpid(-1, WaitOptions::NOHANG) {
            Ok(found) => return found,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) if is_errno(&error, Errno::Child) => return None,
            Err(error) => {
                eprintln!("init: waitpid: {error}");
                return None;
            }
        }
    }
}

/// A child's signal state: nothing blocked, every disposition at default.
fn prepare(mut command: Command) -> Command {
    command
        .signal_mask(SigSet::EMPTY)
        .default_signals(IGNORED.union(CAUGHT));
    command
}

/// Starts `argv` with init's stdio (the console).
fn spawn(argv: &[String]) -> io::Result<Child> {
    let mut command = Command::new(&argv[0]);
    command.args(&argv[1..]);
    prepare(command).spawn()
}
