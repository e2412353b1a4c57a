//! Processes spawned for the embedding API: argv and a working directory
//! in, stdin through a pipe, stdout and stderr out through another, the
//! exit status once.

use std::collections::BTreeMap;
use std::rc::Rc;

use wasmux_fs::{FsError, OpenFile};
use wasmux_kernel::{Preopen, SpawnSpec};
use wasmux_uapi::{Pid, Timestamp};

use crate::files::{lookup_program, root_walk};
use crate::system::{DEFAULT_ENV, System};

/// Most output bytes taken from one process per step (the rest waits in
/// the pipe, so a chatty process is throttled by the page, not buffered).
const OUTPUT_PER_STEP: usize = 1 << 20;

/// Something the page should hear about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A process wrote to its stdout or stderr.
    Output { pid: u32, bytes: Vec<u8> },
    /// A process's output is complete (every writer closed it).
    OutputEnd { pid: u32 },
    /// Every byte given to `write_input` so far is in the process's stdin pipe.
    InputTaken { pid: u32 },
    /// Nobody will read the process's stdin any more; pending bytes were dropped.
    InputClosed { pid: u32 },
    /// A process ended with this status (the code, or 128 + signal),
    /// `runtime` ns after it was spawned (the kernel's clock, to a round).
    Exit {
        pid: u32,
        status: i32,
        runtime: Timestamp,
    },
    /// init ended with this status.
    InitExit { status: i32 },
    /// A kernel log line.
    Log(String),
}

/// The platform's ends of one API process's pipes.
#[derive(Debug, Default)]
struct Job {
    output: Option<Rc<OpenFile>>,
    input: Option<Rc<OpenFile>>,
    /// Bytes accepted from the page, not yet in the pipe.
    pending: Vec<u8>,
    /// The page closed stdin: drop our end once `pending` is written.
    close_input: bool,
    /// `InputTaken` is owed once `pending` empties.
    owe_taken: bool,
    exited: bool,
    /// When it was spawned (monotonic).
    started: Timestamp,
}

/// The API processes, by pid.
#[derive(Debug, Default)]
pub(crate) struct Jobs(BTreeMap<Pid, Job>);

/// How a process spawned by [`System::spawn_sandboxed`] sees the system:
/// the way `wasmux run` runs a program, for the tests that compare the two.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sandbox {
    /// The directory that becomes the process's root (and default cwd).
    pub root: String,
    /// (name the program sees, directory) preopened from fd 3 on; the
    /// directories are paths in the page's view of the filesystem.
    pub preopens: Vec<(String, String)>,
}

impl System {
    /// Starts `argv[0]` (a path, or a name looked up in `PATH`) as root in
    /// `cwd` with the default environment plus `env` (`KEY=VALUE`, replacing
    /// a default of the same key), its stdin and its stdout+stderr piped to
    /// the page. Returns the pid.
    /// Errors: an empty argv, a program that cannot be found or loaded, a bad cwd.
    pub fn spawn(
        &mut self,
        argv: &[String],
        cwd: Option<&str>,
        env: Option<&[String]>,
    ) -> Result<u32, String> {
        self.spawn_sandboxed(argv, cwd, env, None)
    }

    /// [`System::spawn`], or with a [`Sandbox`]: then `argv[0]` is found in
    /// the page's view, the process's root is `sandbox.root` (`cwd` is
    /// inside it), its environment is exactly `env`, it gets exactly
    /// `sandbox.preopens`, and paths follow WASI capability rules (as under
    /// `wasmux run`).
    /// Errors: as `spawn`, and a sandbox directory that does not resolve.
    pub fn spawn_sandboxed(
        &mut self,
        argv: &[String],
        cwd: Option<&str>,
        env: Option<&[String]>,
        sandbox: Option<&Sandbox>,
    ) -> Result<u32, String> {
        let name = argv.first().ok_or("spawn: empty argv")?;
        let env = match sandbox {
            Some(_) => env
                .unwrap_or_default()
                .iter()
                .map(|var| var.clone().into_bytes())
                .collect(),
            None => environment(env.unwrap_or_default()),
        };
        let mut walk = root_walk(self.kernel.vfs());
        let program = match sandbox {
            Some(_) => Some(lookup_program(self.kernel.vfs(), &walk, name, &env)?),
            None => None,
        };
        let mut preopens = Vec::new();
        if let Some(sandbox) = sandbox {
            let page = root_walk(self.kernel.vfs());
            let mut resolve = |path: &str| {
                self.kernel
                    .vfs()
                    .resolve(&page, path.as_bytes(), true)
                    .map_err(|error| format!("{path}: {error}"))
            };
            walk.root = resolve(&sandbox.root)?;
            walk.base = walk.root;
            for (guest, path) in &sandbox.preopens {
                preopens.push(Preopen {
                    name: guest.as_bytes().to_vec(),
                    at: resolve(path)?,
                });
            }
        } else {
            preopens.push(Preopen {
                name: b"/".to_vec(),
                at: walk.root,
            });
        }
        if let Some(cwd) = cwd {
            walk.base = self
                .kernel
                .vfs()
                .resolve(&walk, cwd.as_bytes(), true)
                .map_err(|error| format!("{cwd}: {error}"))?;
        }
        let program = match program {
            Some(program) => program,
            None => lookup_program(self.kernel.vfs(), &walk, name, &env)?,
        };
        let (stdin_reader, stdin_writer) = self.kernel.pipe();
        let (output_reader, output_writer) = self.kernel.pipe();
        let spec = SpawnSpec {
            program,
            args: argv.iter().map(|arg| arg.as_bytes().to_vec()).collect(),
            env,
            stdio: [stdin_reader, output_writer.clone(), output_writer],
            preopens,
            root: walk.root,
            cwd: walk.base,
            cred: wasmux_fs::Cred::ROOT,
            confine_paths: sandbox.is_some(),
        };
        let pid = self
            .kernel
            .spawn(spec)
            .map_err(|error| format!("{name}: {error}"))?;
        self.jobs.0.insert(
            pid,
            Job {
                output: Some(output_reader.file),
                input: Some(stdin_writer.file),
                started: self.host.monotonic(),
                ..Job::default()
            },
        );
        Ok(pid.0)
    }

    /// Queues `bytes` for the stdin of API process `pid`; an
    /// [`Event::InputTaken`] follows once they are in its pipe.
    /// Errors: no such API process, or its stdin is closed.
    pub fn write_input(&mut self, pid: u32, bytes: &[u8]) -> Result<(), String> {
        let job = self.job(pid)?;
        if job.input.is_none() || job.close_input {
            return Err(format!("process {pid}: stdin is closed"));
        }
        job.pending.extend_from_slice(bytes);
        job.owe_taken = true;
        Ok(())
    }

    /// Closes the stdin of API process `pid` once what is queued is
    /// written; nothing to do for a process that is gone.
    pub fn close_input(&mut self, pid: u32) {
        if let Ok(job) = self.job(pid) {
            job.close_input = true;
        }
    }

    fn job(&mut self, pid: u32) -> Result<&mut Job, String> {
        self.jobs
            .0
            .get_mut(&Pid(pid))
            .ok_or_else(|| format!("no process {pid} was spawned through the API"))
    }

    /// Records the death of `pid` if it is an API process.
    pub(crate) fn job_exited(&mut self, pid: Pid, status: i32) {
        let Some(job) = self.jobs.0.get_mut(&pid) else {
            return;
        };
        job.exited = true;
        let runtime = self.host.monotonic().saturating_sub(job.started);
        self.events.push(Event::Exit {
            pid: pid.0,
            status,
            runtime,
        });
    }

    /// Moves bytes between the page and the API processes' pipes; true if
    /// anything moved (a blocked process may continue).
    pub(crate) fn pump_jobs(&mut self) -> bool {
        let mut moved = false;
        let mut buf = vec![0; 64 * 1024];
        for (pid, job) in &mut self.jobs.0 {
            let pid = pid.0;
            moved |= pump_output(pid, job, &mut buf, &mut self.events);
            moved |= pump_input(pid, job, &mut self.events);
        }
        self.jobs
            .0
            .retain(|_, job| !(job.exited && job.output.is_none() && job.input.is_none()));
        if moved {
            self.kernel.notify_io();
        }
        moved
    }
}

/// The default environment with `extra` on top.
pub(crate) fn environment(extra: &[String]) -> Vec<Vec<u8>> {
    let key = |var: &str| var.split_once('=').map_or(var, |(key, _)| key).to_string();
    let mut env: Vec<String> = DEFAULT_ENV
        .iter()
        .filter(|var| !extra.iter().any(|new| key(new) == key(var)))
        .map(|var| var.to_string())
        .collect();
    env.extend(extra.iter().cloned());
    env.into_iter().map(String::into_bytes).collect()
}

fn pump_output(pid: u32, job: &mut Job, buf: &mut [u8], events: &mut Vec<Event>) -> bool {
    let Some(output) = &job.output else {
        return false;
    };
    let mut taken = 0;
    while taken < OUTPUT_PER_STEP {
        match output.read(buf) {
            Ok(0) => {
                job.output = None;
                events.push(Event::OutputEnd { pid });
                break;
            }
            Ok(count) => {
                taken += count;
                let bytes = buf.get(..count).unwrap_or_default().to_vec();
                match events.last_mut() {
                    Some(Event::Output {
                        pid: last,
                        bytes: previous,
                    }) if *last == pid => {
                        previous.extend_from_slice(&bytes);
                    }
                    _ => events.push(Event::Output { pid, bytes }),
                }
            }
            Err(FsError::WouldBlock) => break,
            Err(_) => {
                job.output = None;
                events.push(Event::OutputEnd { pid });
                break;
            }
        }
    }
    taken > 0 || job.output.is_none()
}

fn pump_input(pid: u32, job: &mut Job, events: &mut Vec<Event>) -> bool {
    let Some(input) = &job.input else {
        return false;
    };
    let mut moved = false;
    while !job.pending.is_empty() {
        match input.write(&job.pending) {
            Ok(count) => {
                job.pending.drain(..count.min(job.pending.len()));
                moved |= count > 0;
            }
            Err(FsError::WouldBlock) => break,
            Err(_) => {
                // The reader is gone (or the process died): drop what waits.
                job.pending.clear();
                job.input = None;
                job.owe_taken = false;
                events.push(Event::InputClosed { pid });
                return true;
            }
        }
    }
    if job.exited && job.input.is_some() {
        job.pending.clear();
        job.input = None;
        if job.owe_taken {
            job.owe_taken = false;
            events.push(Event::InputClosed { pid });
        }
        return true;
    }
    if job.pending.is_empty() {
        if job.owe_taken {
            job.owe_taken = false;
            events.push(Event::InputTaken { pid });
        }
        if job.close_input {
            job.input = None;
            moved = true;
        }
    }
    moved
}
