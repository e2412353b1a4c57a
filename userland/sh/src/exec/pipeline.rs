//! Pipelines and background jobs: which stages spawn (programs, and child
//! shells for the rest), which run here, and the pipes between them.

use std::fs::File;

use wasmux_sys::PipeFlags;

use super::launch::{Here, Stage, StageKind};
use super::path::Resolved;
use super::{Flow, Run};
use crate::shell::fds::{FdTable, Handle, Target};
use crate::shell::{Shell, error_text};
use crate::syntax::ast::{AndOr, Command, Item, List, Pipeline};
use crate::syntax::print;
use crate::util::quote;

impl Shell {
    pub fn run_pipeline(&mut self, pipeline: &Pipeline) -> Run {
        self.line = pipeline.line;
        if pipeline.commands.len() == 1 {
            self.run_command(&pipeline.commands[0])?;
        } else {
            self.run_stages(pipeline, false)?;
        }
        if pipeline.negated {
            self.status = i32::from(self.status == 0);
        }
        Ok(())
    }

    pub fn run_command(&mut self, command: &Command) -> Run {
        match command {
            Command::Simple(simple) => self.run_simple(simple),
            Command::Compound(compound, redirects) => self.run_compound(compound, redirects),
            Command::Function(function) => {
                self.functions
                    .insert(function.name.clone(), function.clone());
                self.status = 0;
                Ok(())
            }
        }
    }

    /// `and_or &`.
    pub fn run_background(&mut self, and_or: &AndOr) -> Run {
        if and_or.rest.is_empty() && !and_or.first.negated {
            self.line = and_or.first.line;
            return self.run_stages(&and_or.first, true);
        }
        let list = List {
            items: vec![Item {
                and_or: and_or.clone(),
                background: false,
            }],
        };
        let script = self.child_script(&print::source(&list));
        let stage = Stage {
            kind: self.child_stage(script, &self.positional.clone()),
            fds: self.background_fds(),
        };
        self.launch(vec![stage], print::and_or_line(and_or), true)
    }

    /// The fds of a background job: without job control its stdin is
    /// empty unless redirected (POSIX's /dev/null).
    fn background_fds(&self) -> FdTable {
        let mut fds = self.fds.clone();
        if !self.job_control()
            && let Ok((reader, _)) = wasmux_sys::pipe(PipeFlags::CLOEXEC)
        {
            fds.set(0, Target::Fd(Handle::owned(reader)));
        }
        fds
    }

    fn child_stage(&self, script: String, args: &[String]) -> StageKind<'static> {
        StageKind::Spawn {
            program: self.self_path.clone(),
            argv: self.child_argv(script, args),
            env: self.vars.environment(),
        }
    }

    /// A pipeline of several commands, or one command in the background.
    fn run_stages(&mut self, pipeline: &Pipeline, background: bool) -> Run {
        let count = pipeline.commands.len();
        let mut readers: Vec<Option<File>> = vec![None];
        let mut writers: Vec<Option<File>> = Vec::new();
        for _ in 1..count {
            match wasmux_sys::pipe(PipeFlags::CLOEXEC) {
                Ok((reader, writer)) => {
                    readers.push(Some(reader));
                    writers.push(Some(writer));
                }
                Err(error) => return self.fail(&format!("pipe: {}", error_text(&error)), 1, false),
            }
        }
        writers.push(None);
        // The last stage runs here in a script (as ksh does); with job
        // control every stage is a process, so the job can be stopped.
        let last_here = !background && !self.job_control();
        let mut stages = Vec::with_capacity(count);
        for (index, command) in pipeline.commands.iter().enumerate() {
            let mut fds = if background {
                self.background_fds()
            } else {
                self.fds.clone()
            };
            if let Some(reader) = readers[index].take() {
                fds.set(0, Target::Fd(Handle::owned(reader)));
            }
            if let Some(writer) = writers[index].take() {
                fds.set(1, Target::Fd(Handle::owned(writer)));
            }
            let last = index + 1 == count;
            stages.push(self.prepare_stage(command, fds, last && last_here)?);
        }
        // A builtin run here cannot feed a stage that also runs here.
        for index in 0..count.saturating_sub(1) {
            if matches!(stages[index + 1].kind, StageKind::Here(_))
                && let StageKind::Builtin { argv, .. } = &stages[index].kind
            {
                let script = self.child_script("\"$@\"\n");
                let kind = self.child_stage(script, &argv.clone());
                stages[index].kind = kind;
            }
        }
        self.launch(stages, print::pipeline_line(pipeline), background)
    }

    fn prepare_stage<'a>(
        &mut self,
        command: &'a Command,
        fds: FdTable,
        here: bool,
    ) -> Result<Stage<'a>, Flow> {
        let Command::Simple(simple) = command else {
            if here {
                return Ok(Stage {
                    kind: StageKind::Here(Here::Command(command)),
                    fds,
                });
            }
            let script = self.child_script(&print::command_source(command));
            let kind = self.child_stage(script, &self.positional.clone());
            return Ok(Stage { kind, fds });
        };
        let Some(prepared) = self.prepare(simple, fds.clone())? else {
            return Ok(Stage {
                kind: StageKind::Failed(self.status),
                fds,
            });
        };
        if prepared.argv.is_empty() {
            let status = self.substitution_status.unwrap_or(0);
            return Ok(Stage {
                kind: StageKind::Failed(status),
                fds,
            });
        }
        let resolved = self.resolve(&prepared.argv[0]);
        let kind = match resolved {
            Resolved::External(path) => StageKind::Spawn {
                program: path,
                env: self.environment_with(&prepared.assignments),
                argv: prepared.argv,
            },
            Resolved::NotFound => {
                self.error_to(&prepared.fds, &format!("{}: not found", prepared.argv[0]));
                StageKind::Failed(127)
            }
            resolved if here => {
                let fds = prepared.fds.clone();
                return Ok(Stage {
                    kind: StageKind::Here(Here::Simple(prepared, resolved)),
                    fds,
                });
            }
            Resolved::Builtin(entry) if entry.pure && prepared.assignments.is_empty() => {
                StageKind::Builtin {
                    entry,
                    argv: prepared.argv,
                }
            }
            _ => {
                let mut body = String::new();
                for (name, value) in &prepared.assignments {
                    body.push_str(&format!("{name}={} ", quote(value)));
                }
                body.push_str("\"$@\"\n");
                let script = self.child_script(&body);
                self.child_stage(script, &prepared.argv)
            }
        };
        Ok(Stage {
            kind,
            fds: prepared.fds,
        })
    }
}
