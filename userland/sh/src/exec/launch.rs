//! Starting a job: spawning its programs and child shells with the fds
//! their tables give them, running its in-process stages, collecting
//! output that goes to a command substitution, and waiting.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, Read};
use std::rc::Rc;

use wasmux_sys::process::{Command, Stdio};
use wasmux_sys::{Errno, PipeFlags, Signal, WaitStatus, is_errno};

use super::path::Resolved;
use super::simple::Prepared;
use super::{Flow, Run};
use crate::builtins::Entry;
use crate::jobs::State;
use crate::shell::fds::{FdTable, Target};
use crate::shell::{Shell, error_text};
use crate::syntax::ast::Command as AstCommand;

/// One process or in-process part of a job.
#[derive(Debug)]
pub struct Stage<'a> {
    pub kind: StageKind<'a>,
    pub fds: FdTable,
}

#[derive(Debug)]
pub enum StageKind<'a> {
    /// A program or a child shell.
    Spawn {
        program: String,
        argv: Vec<String>,
        env: Vec<(String, String)>,
    },
    /// A builtin that writes into a pipe a spawned stage reads: run here
    /// once that stage runs.
    Builtin {
        entry: &'static Entry,
        argv: Vec<String>,
    },
    /// The last stage, run here after the others started.
    Here(Here<'a>),
    /// It could not start (already reported): its status.
    Failed(i32),
}

#[derive(Debug)]
pub enum Here<'a> {
    Simple(Prepared, Resolved),
    Command(&'a AstCommand),
}

/// The read end of the pipe that spawned stages writing to a command
/// substitution share, and where its bytes go.
#[derive(Debug)]
struct CapturePipe {
    reader: File,
    writer: File,
    buffer: Rc<RefCell<Vec<u8>>>,
}

impl Shell {
    /// Starts `stages` as one job, runs the in-process ones, and (unless
    /// `background`) waits for it; `$?` is its status.
    pub fn launch(&mut self, stages: Vec<Stage<'_>>, text: String, background: bool) -> Run {
        let job_control = self.job_control();
        let count = stages.len();
        let mut pgid: Option<u32> = None;
        let mut pids = Vec::new();
        let mut statuses: Vec<Option<i32>> = vec![None; count];
        let mut capture: Option<CapturePipe> = None;
        let mut later = Vec::new();
        for (index, stage) in stages.into_iter().enumerate() {
            match stage.kind {
                StageKind::Spawn { program, argv, env } => {
                    let group = job_control.then(|| pgid.unwrap_or(0));
                    let quiet = if background && !job_control {
                        &[Signal::Int, Signal::Quit][..]
                    } else {
                        &[]
                    };
                    let spawned = crate::traps::with_ignored(quiet, || {
                        self.spawn_stage(&program, &argv, &env, &stage.fds, group, &mut capture)
                    });
                    match spawned {
                        Ok(pid) => {
                            if job_control && pgid.is_none() {
                                pgid = Some(pid);
                            }
                            pids.push((index, pid));
                        }
                        Err(status) => statuses[index] = Some(status),
                    }
                }
                StageKind::Failed(status) => statuses[index] = Some(status),
                kind => later.push((index, kind, stage.fds)),
            }
        }
        if let (false, Some(pgid)) = (background, pgid) {
            self.give_terminal(pgid);
        }
        let mut flow = Ok(());
        for (index, kind, fds) in later {
            let saved = std::mem::replace(&mut self.fds, fds);
            let result = match kind {
                StageKind::Builtin { entry, argv } => self.run_early_builtin(entry, &argv),
                StageKind::Here(Here::Simple(prepared, resolved)) => {
                    let prepared = Prepared {
                        fds: self.fds.clone(),
                        redirected: false,
                        ..prepared
                    };
                    self.dispatch(prepared, resolved)
                }
                StageKind::Here(Here::Command(command)) => self.run_command(command),
                _ => Ok(()),
            };
            self.fds = saved;
            statuses[index] = Some(self.status);
            if result.is_err() {
                flow = result;
            }
        }
        if let Some(capture) = capture {
            drain(capture);
        }
        if pids.is_empty() {
            self.status = self.pipeline_status(&statuses);
            return flow;
        }
        let pid_list: Vec<u32> = pids.iter().map(|&(_, pid)| pid).collect();
        let id = self.jobs.add(pgid, &pid_list, text, background);
        if background {
            self.last_background = pid_list.last().copied();
            if self.interactive {
                let line = format!("[{id}] {}\n", pid_list.last().copied().unwrap_or(0));
                let _ = self.fds.write(2, line.as_bytes());
            }
            self.status = 0;
            return flow;
        }
        let state = self.wait_job(id);
        if let Some(job) = self.jobs.get(id) {
            for (index, process) in pids.iter().map(|&(index, _)| index).zip(&job.processes) {
                statuses[index] = Some(process.status.map_or(0, |status| status.shell_code()));
            }
        }
        let stopped = match state {
            Some(state) => {
                let status = self.finish_foreground(id, state);
                matches!(state, State::Stopped(_)).then_some(status)
            }
            None => None,
        };
        // ^C killed the job: an interactive shell drops what else the
        // command line had (the rest of a loop), as the user meant.
        let interrupted = matches!(
            state,
            Some(State::Done(WaitStatus::Signaled {
                signal: Signal::Int,
                ..
            }))
        );
        if interrupted && self.interactive && !self.traps.has_action(Signal::Int) && flow.is_ok() {
            flow = Err(Flow::Interrupt);
        }
        if pgid.is_some() {
            self.take_terminal();
        }
        if !self.interactive {
            self.forget_done_jobs();
        }
        self.status = stopped.unwrap_or_else(|| self.pipeline_status(&statuses));
        flow
    }

    /// The status of a pipeline from its stages': the last one's, or the
    /// last failure's with `pipefail`.
    fn pipeline_status(&self, statuses: &[Option<i32>]) -> i32 {
        let mut codes = statuses.iter().map(|status| status.unwrap_or(0));
        if self.options.pipefail {
            codes.rfind(|&code| code != 0).unwrap_or(0)
        } else {
            codes.next_back().unwrap_or(0)
        }
    }

    /// Non-interactive shells forget finished background jobs quietly
    /// (their statuses stay for `wait`).
    fn forget_done_jobs(&mut self) {
        for id in self.jobs.ids() {
            let done = self
                .jobs
                .get(id)
                .is_some_and(|job| matches!(job.state(), crate::jobs::State::Done(_)));
            if done {
                self.jobs.remove(id);
            }
        }
    }

    /// A builtin writing into a pipe: a reader that went away must not
    /// kill the shell with SIGPIPE, so it is ignored meanwhile.
    fn run_early_builtin(&mut self, entry: &Entry, argv: &[String]) -> Run {
        let old = wasmux_sys::signal::ignore(wasmux_sys::Signal::Pipe);
        let result = (entry.run)(self, argv);
        if let Ok(old) = old {
            // SAFETY: this puts back the disposition the shell had, which
            // was installed by the shell itself (or inherited).
            let _ = unsafe { wasmux_sys::signal::sigaction(wasmux_sys::Signal::Pipe, Some(&old)) };
        }
        self.status = result?;
        Ok(())
    }

    /// Spawns one stage. `Err(status)` when it could not (reported).
    fn spawn_stage(
        &mut self,
        program: &str,
        argv: &[String],
        env: &[(String, String)],
        fds: &FdTable,
        pgroup: Option<u32>,
        capture: &mut Option<CapturePipe>,
    ) -> Result<u32, i32> {
        let result = self.try_spawn(program, argv, env, fds, pgroup, capture);
        let name = &argv[0];
        let report = |shell: &Shell, error: &io::Error| shell.spawn_failed(fds, name, error);
        let error = match result {
            Ok(pid) => return Ok(pid),
            Err(error) => error,
        };
        if is_errno(&error, Errno::NoExec) && program != self.self_path {
            // Not a program and no `#!`: a shell script, as POSIX shells run it.
            let mut script_argv = vec![name.clone(), program.to_string()];
            script_argv.extend(argv[1..].iter().cloned());
            let shell = self.self_path.clone();
            return self
                .try_spawn(&shell, &script_argv, env, fds, pgroup, capture)
                .map_err(|error| report(self, &error));
        }
        if is_errno(&error, Errno::NoEnt) {
            self.path_cache.remove(name);
        }
        Err(report(self, &error))
    }

    fn spawn_failed(&self, fds: &FdTable, name: &str, error: &io::Error) -> i32 {
        let (message, status) = if is_errno(error, Errno::NoEnt) {
            ("not found".to_string(), 127)
        } else if is_errno(error, Errno::Access) {
            ("Permission denied".to_string(), 126)
        } else {
            (error_text(error), 126)
        };
        self.error_to(fds, &format!("{name}: {message}"));
        status
    }

    fn try_spawn(
        &mut self,
        program: &str,
        argv: &[String],
        env: &[(String, String)],
        fds: &FdTable,
        pgroup: Option<u32>,
        capture: &mut Option<CapturePipe>,
    ) -> io::Result<u32> {
        let mut command = Command::new(program);
        command.arg0(&argv[0]).args(&argv[1..]).env_clear();
        for (name, value) in env {
            command.env(name, value);
        }
        command
            .stdin(stdio(fds.get(0), 0, capture)?)
            .stdout(stdio(fds.get(1), 1, capture)?)
            .stderr(stdio(fds.get(2), 2, capture)?);
        if let Some(pgroup) = pgroup {
            command.process_group(pgroup);
        }
        let defaults = self.traps.child_defaults();
        if !defaults.is_empty() {
            command.default_signals(defaults);
        }
        Ok(command.spawn()?.id())
    }

    /// The environment of a program: exported variables and the
    /// command's own assignments.
    pub fn environment_with(&self, assignments: &[(String, String)]) -> Vec<(String, String)> {
        let mut env = self.vars.environment();
        for (name, value) in assignments {
            env.retain(|(other, _)| other != name);
            env.push((name.clone(), value.clone()));
        }
        env
    }

    /// Runs a program in the foreground (or as `$?` says if it cannot).
    pub fn run_program(
        &mut self,
        path: String,
        argv: Vec<String>,
        assignments: &[(String, String)],
        fds: FdTable,
    ) -> Run {
        let env = self.environment_with(assignments);
        let text = argv.join(" ");
        let stage = Stage {
            kind: StageKind::Spawn {
                program: path,
                argv,
                env,
            },
            fds,
        };
        self.launch(vec![stage], text, false)
    }
}

/// What a child's fd `fd` becomes for the table entry `target`.
fn stdio(target: &Target, fd: i32, capture: &mut Option<CapturePipe>) -> io::Result<Stdio> {
    Ok(match target {
        Target::Fd(handle) if handle.raw() == fd => Stdio::inherit(),
        Target::Fd(handle) => Stdio::from(wasmux_sys::dup(handle.file())?),
        Target::Capture(buffer) => {
            if capture.is_none() {
                let (reader, writer) = wasmux_sys::pipe(PipeFlags::CLOEXEC)?;
                *capture = Some(CapturePipe {
                    reader,
                    writer,
                    buffer: buffer.clone(),
                });
            }
            match capture {
                Some(pipe) => Stdio::from(wasmux_sys::dup(&pipe.writer)?),
                None => Stdio::null(),
            }
        }
        Target::Closed => Stdio::null(),
    })
}

/// Reads what the spawned stages write to a command substitution until
/// they all close it.
fn drain(capture: CapturePipe) {
    let CapturePipe {
        mut reader,
        writer,
        buffer,
    } = capture;
    drop(writer);
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(count) => buffer.borrow_mut().extend_from_slice(&chunk[..count]),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
}
