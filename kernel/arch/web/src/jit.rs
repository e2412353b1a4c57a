//! The `jit` executor: each process runs in a Worker of its own on the
//! browser's engine (js/process.js), at the engine's speed. Its system
//! calls come over a SharedArrayBuffer channel (js/channel.js) and are
//! handled by the same ABI code as the interpreter's: [`JitExecutor`]
//! turns the channel into [`Stop`]s. The module is rewritten to import
//! its memory as a shared WebAssembly.Memory
//! ([`wasmux_proc::import_shared_memory`]), which the kernel reads and
//! writes in place.
//!
//! A process that computes without system calls is [`Stop::Away`]: the
//! scheduler parks it until its doorbell rings (js/jit.js wakes the
//! kernel's event loop). Fatal signals end it at once (dropping the
//! executor terminates its Worker); handlers run at its next system call.
//!
//! A program is checked as the interpreter checks it (imports, `_start`:
//! [`wasmux_proc::jit::check_program`], the same messages), then compiled
//! once per content hash by the engine (js/jit.js), which validates it.

use std::collections::HashMap;
use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasmux_mm::{Fault, GuestMemory};
use wasmux_proc::{
    Executor, HostFunction, LoadError, MAX_SYSCALL_ARGS, PlatformEngine, ProgramKey, Stop,
    SyscallRequest, Trap, ValueType,
};
use wasmux_uapi::wasmux::SIGNAL_TRAMPOLINE;

/// Channel states (js/channel.js).
mod state {
    pub const CALL: i32 = 1;
    pub const EXITED: i32 = 2;
    pub const TRAPPED: i32 = 3;
    pub const HANDLED: i32 = 4;
}

#[wasm_bindgen]
extern "C" {
    /// js/jit.js's `JitHost`, made by worker.js.
    #[derive(Debug)]
    pub type JitHost;

    #[wasm_bindgen(method)]
    fn has(this: &JitHost, key: &str) -> bool;
    #[wasm_bindgen(method, catch)]
    fn compile(this: &JitHost, key: &str, bytes: &[u8]) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn spawn(
        this: &JitHost,
        key: &str,
        initial_pages: u32,
        maximum_pages: u32,
        imports: &Array,
        trampoline: &str,
    ) -> Result<JitProcess, JsValue>;

    /// js/jit.js's `JitProcess`: one Worker, its memory and channel.
    #[derive(Debug)]
    type JitProcess;

    #[wasm_bindgen(method)]
    fn state(this: &JitProcess) -> i32;
    #[wasm_bindgen(method)]
    fn number(this: &JitProcess) -> u32;
    #[wasm_bindgen(method)]
    fn argc(this: &JitProcess) -> u32;
    #[wasm_bindgen(method)]
    fn arg(this: &JitProcess, index: u32) -> u64;
    #[wasm_bindgen(method)]
    fn trap(this: &JitProcess) -> String;
    #[wasm_bindgen(method)]
    fn start(this: &JitProcess);
    #[wasm_bindgen(method)]
    fn reply(this: &JitProcess, value: u64);
    #[wasm_bindgen(method)]
    fn handler(this: &JitProcess, signal: u32, handler: u32);
    #[wasm_bindgen(method)]
    fn handled(this: &JitProcess, in_call: bool);
    #[wasm_bindgen(method)]
    fn size(this: &JitProcess) -> f64;
    #[wasm_bindgen(method)]
    fn read(this: &JitProcess, address: u32, out: &mut [u8]) -> bool;
    #[wasm_bindgen(method)]
    fn write(this: &JitProcess, address: u32, data: &[u8]) -> bool;
    #[wasm_bindgen(method)]
    fn terminate(this: &JitProcess);
}

/// Most modules remembered; past it the memory starts over (as the
/// interpreter's file cache).
const MODULE_LIMIT: usize = 512;

/// A module ready to spawn: its key in js/jit.js and its memory's size.
#[derive(Clone, Debug)]
struct Prepared {
    key: String,
    initial_pages: u32,
    maximum_pages: u32,
}

/// Makes jit executors (the kernel's [`PlatformEngine`] in the browser).
pub struct JitEngine {
    host: JitHost,
    /// The system calls programs may import.
    functions: Vec<HostFunction>,
    /// Import rows for js/jit.js: [module, name, number, i64 mask, returns].
    imports: Array,
    page_limit: u32,
    files: HashMap<ProgramKey, Rc<Prepared>>,
    /// Modules prepared so far, by content hash.
    modules: HashMap<String, Rc<Prepared>>,
}

impl core::fmt::Debug for JitEngine {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("JitEngine")
            .field("files", &self.files.len())
            .finish_non_exhaustive()
    }
}

fn import_rows(functions: &[HostFunction]) -> Array {
    let rows = Array::new();
    for (number, function) in functions.iter().enumerate() {
        let wide = function
            .params
            .iter()
            .enumerate()
            .filter(|(_, kind)| **kind == ValueType::I64)
            .fold(0u32, |mask, (index, _)| mask | (1 << index));
        let row = Array::new();
        row.push(&function.module.into());
        row.push(&function.name.into());
        row.push(&(number as u32).into());
        row.push(&wide.into());
        row.push(&(!function.results.is_empty()).into());
        rows.push(&row);
    }
    rows
}

impl JitEngine {
    /// An engine over js/jit.js's `host`; processes get at most
    /// `memory_bytes` of linear memory.
    pub fn new(host: JitHost, memory_bytes: usize) -> JitEngine {
        let functions = wasmux_wasi::host_functions();
        JitEngine {
            host,
            imports: import_rows(&functions),
            functions,
            page_limit: u32::try_from(memory_bytes / 65536).unwrap_or(u32::MAX),
            files: HashMap::new(),
            modules: HashMap::new(),
        }
    }

    fn prepare(&mut self, program: &[u8]) -> Result<Rc<Prepared>, LoadError> {
        let key = blake3::hash(program).to_hex().to_string();
        if let Some(prepared) = self.modules.get(&key) {
            return Ok(prepared.clone());
        }
        wasmux_proc::jit::check_program(program, &self.functions)?;
        let shared = wasmux_proc::import_shared_memory(program, self.page_limit)?;
        if !self.host.has(&key) {
            self.host
                .compile(&key, &shared.bytes)
                .map_err(|error| LoadError::Invalid(js_message(&error)))?;
        }
        let prepared = Rc::new(Prepared {
            key: key.clone(),
            initial_pages: shared.initial_pages,
            maximum_pages: shared.maximum_pages.max(1),
        });
        if self.modules.len() >= MODULE_LIMIT {
            self.modules.clear();
        }
        self.modules.insert(key, prepared.clone());
        Ok(prepared)
    }

    fn instantiate(&self, prepared: &Prepared) -> Result<Box<dyn Executor>, LoadError> {
        let process = self
            .host
            .spawn(
                &prepared.key,
                prepared.initial_pages,
                prepared.maximum_pages,
                &self.imports,
                SIGNAL_TRAMPOLINE,
            )
            .map_err(|error| LoadError::Instantiate(js_message(&error)))?;
        Ok(Box::new(JitExecutor {
            process,
            started: false,
            handler: None,
        }))
    }
}

fn js_message(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|message| message.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

impl PlatformEngine for JitEngine {
    fn load(
        &mut self,
        program: &[u8],
        file: Option<ProgramKey>,
    ) -> Result<Box<dyn Executor>, LoadError> {
        let prepared = self.prepare(program)?;
        if let Some(file) = file {
            if self.files.len() >= MODULE_LIMIT {
                self.files.clear();
            }
            self.files.insert(file, prepared.clone());
        }
        self.instantiate(&prepared)
    }

    fn load_cached(&mut self, file: ProgramKey) -> Option<Result<Box<dyn Executor>, LoadError>> {
        let prepared = self.files.get(&file)?.clone();
        Some(self.instantiate(&prepared))
    }
}

/// A process running in its own Worker.
#[derive(Debug)]
pub struct JitExecutor {
    process: JitProcess,
    started: bool,
    /// A signal handler to run when the process next waits: (signal, handler).
    handler: Option<(u32, u32)>,
}

impl JitExecutor {
    /// Where the process stands now, as a stop.
    fn stop(&mut self) -> Stop {
        match self.process.state() {
            state::CALL => {
                let mut request = SyscallRequest {
                    number: self.process.number(),
                    args: [0; MAX_SYSCALL_ARGS],
                    arg_count: 0,
                };
                let count = (self.process.argc() as usize).min(MAX_SYSCALL_ARGS);
                for (index, arg) in request.args.iter_mut().take(count).enumerate() {
                    *arg = self.process.arg(index as u32);
                }
                request.arg_count = count;
                Stop::Syscall(request)
            }
            state::EXITED => Stop::Returned,
            state::TRAPPED => Stop::Trapped(Trap {
                kind: self.process.trap(),
            }),
            state::HANDLED => {
                // Back where it was: in a system call, or not started.
                self.process.handled(self.started);
                Stop::CallReturned
            }
            _ => Stop::Away,
        }
    }
}

impl Executor for JitExecutor {
    fn run(&mut self, _fuel: u64, reply: Option<u64>) -> Stop {
        if let Some((signal, handler)) = self.handler.take() {
            self.process.handler(signal, handler);
            return Stop::Away;
        }
        if !self.started {
            self.started = true;
            self.process.start();
            return Stop::Away;
        }
        if let Some(value) = reply {
            self.process.reply(value);
            return Stop::Away;
        }
        self.stop()
    }

    fn push_call(&mut self, export: &str, args: &[u64]) -> Result<(), Trap> {
        match (export == SIGNAL_TRAMPOLINE, args) {
            (true, [signal, handler]) => {
                let narrow = |value: u64| u32::try_from(value).unwrap_or(u32::MAX);
                self.handler = Some((narrow(*signal), narrow(*handler)));
                Ok(())
            }
            _ => Err(Trap {
                kind: format!("the jit executor calls only {SIGNAL_TRAMPOLINE}"),
            }),
        }
    }

    fn memory(&mut self) -> Box<dyn GuestMemory + '_> {
        Box::new(SharedMemory(&self.process))
    }

    fn fuel_consumed(&self) -> u64 {
        0
    }

    fn memory_bytes(&self) -> u64 {
        self.process.size() as u64
    }

    fn stopped(&mut self) -> bool {
        (state::CALL..=state::HANDLED).contains(&self.process.state())
    }
}

impl Drop for JitExecutor {
    fn drop(&mut self) {
        self.process.terminate();
    }
}

/// A jit process's shared memory, read and written in place.
struct SharedMemory<'a>(&'a JitProcess);

impl GuestMemory for SharedMemory<'_> {
    fn size(&self) -> u64 {
        self.0.size() as u64
    }

    fn read(&self, addr: u32, out: &mut [u8]) -> Result<(), Fault> {
        let fault = Fault {
            addr,
            len: out.len() as u64,
        };
        wasmux_mm::check_range(addr, out.len() as u64, self.size())?;
        self.0.read(addr, out).then_some(()).ok_or(fault)
    }

    fn write(&mut self, addr: u32, data: &[u8]) -> Result<(), Fault> {
        let fault = Fault {
            addr,
            len: data.len() as u64,
        };
        wasmux_mm::check_range(addr, data.len() as u64, self.size())?;
        self.0.write(addr, data).then_some(()).ok_or(fault)
    }
}
