//! The kernel's side of `wasmux_wasi::Processes`: what process-management
//! calls may do to the rest of the system while the caller is out of the table.

use std::collections::VecDeque;

use wasmux_proc::{
    Executor, ExecutorChoice, InterpEngine, LoadError, PlatformEngine, Process, ProcessTable,
    ProgramKey,
};
use wasmux_uapi::{Pid, Signal};
use wasmux_wasi::Processes;

/// Disjoint borrows of the kernel's fields, for one system call.
pub(crate) struct KernelProcesses<'a> {
    pub table: &'a mut ProcessTable,
    pub engine: &'a mut InterpEngine,
    pub platform: &'a mut Option<Box<dyn PlatformEngine>>,
    pub run_queue: &'a mut VecDeque<Pid>,
    /// Signals sent during the call, applied when it returns.
    pub signals: &'a mut Vec<(Pid, Signal)>,
    pub log: &'a mut crate::log::KernelLog,
    pub now: wasmux_uapi::Timestamp,
}

/// The platform's engine, unless there is none or `choice` asks for the
/// interpreter.
pub(crate) fn platform_for(
    platform: &mut Option<Box<dyn PlatformEngine>>,
    choice: ExecutorChoice,
) -> Option<&mut (dyn PlatformEngine + 'static)> {
    match choice {
        ExecutorChoice::Interp => None,
        ExecutorChoice::System | ExecutorChoice::Platform => platform.as_deref_mut(),
    }
}

impl Processes for KernelProcesses<'_> {
    fn table(&mut self) -> &mut ProcessTable {
        self.table
    }

    fn load(
        &mut self,
        program: &[u8],
        file: Option<ProgramKey>,
        choice: ExecutorChoice,
    ) -> Result<Box<dyn Executor>, LoadError> {
        if let Some(platform) = platform_for(self.platform, choice) {
            return platform.load(program, file);
        }
        let module = match file {
            Some(key) => self.engine.compile_file(key, program)?,
            None => self.engine.compile(program)?,
        };
        Ok(Box::new(self.engine.instantiate(&module)?))
    }

    fn load_cached(
        &mut self,
        file: ProgramKey,
        choice: ExecutorChoice,
    ) -> Option<Result<Box<dyn Executor>, LoadError>> {
        if let Some(platform) = platform_for(self.platform, choice) {
            return platform.load_cached(file);
        }
        let module = self.engine.compiled_file(&file)?;
        Some(
            self.engine
                .instantiate(&module)
                .map(|executor| Box::new(executor) as Box<dyn Executor>),
        )
    }

    fn start(&mut self, mut process: Process) {
        process.started_at = self.now;
        self.run_queue.push_back(process.pid);
        self.table.insert(process);
    }

    fn signal(&mut self, target: Pid, signal: Signal) {
        self.signals.push((target, signal));
    }

    fn log(&mut self, line: String) {
        self.log.push(line);
    }
}
