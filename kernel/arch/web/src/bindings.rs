//! [`WebSystem`]: [`System`] as the Worker's JavaScript sees it.

use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasmux_opfs_block::OpfsStore;
use wasmux_wasi::Host;
use web_sys::FileSystemSyncAccessHandle;

use crate::host::WebHost;
use crate::{Event, Sandbox, Step, System, SystemOptions};

fn error(message: String) -> JsError {
    JsError::new(&message)
}

/// Panics reach the Worker's console with their message (then the wasm
/// instance traps; the page reports the Worker's error).
fn report_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            web_sys::console::error_1(&JsValue::from_str(&format!("wasmux kernel panic: {info}")));
        }));
    });
}

/// A Wasmux system on an OPFS disk, driven by worker.js.
#[wasm_bindgen]
#[derive(Debug)]
pub struct WebSystem {
    system: System,
    host: Rc<WebHost>,
    handle: FileSystemSyncAccessHandle,
}

fn object(kind: &str, pid: Option<u32>) -> Object {
    let object = Object::new();
    let _ = Reflect::set(&object, &"kind".into(), &kind.into());
    if let Some(pid) = pid {
        let _ = Reflect::set(&object, &"pid".into(), &pid.into());
    }
    object
}

fn event_object(event: Event) -> Object {
    match event {
        Event::Output { pid, bytes } => {
            let object = object("output", Some(pid));
            let _ = Reflect::set(&object, &"data".into(), &Uint8Array::from(&bytes[..]));
            object
        }
        Event::OutputEnd { pid } => object("output-end", Some(pid)),
        Event::InputTaken { pid } => object("input-taken", Some(pid)),
        Event::InputClosed { pid } => object("input-closed", Some(pid)),
        Event::Exit {
            pid,
            status,
            runtime,
        } => {
            let object = object("exit", Some(pid));
            let _ = Reflect::set(&object, &"status".into(), &status.into());
            let _ = Reflect::set(&object, &"runtimeMs".into(), &(runtime as f64 / 1e6).into());
            object
        }
        Event::InitExit { status } => {
            let object = object("init-exit", None);
            let _ = Reflect::set(&object, &"status".into(), &status.into());
            object
        }
        Event::Log(line) => {
            let object = object("log", None);
            let _ = Reflect::set(&object, &"line".into(), &line.into());
            object
        }
    }
}

#[wasm_bindgen]
impl WebSystem {
    /// Mounts the disk behind `handle` (formatting an empty one).
    #[wasm_bindgen(constructor)]
    pub fn new(handle: FileSystemSyncAccessHandle) -> Result<WebSystem, JsError> {
        report_panics();
        let host = Rc::new(WebHost::new().map_err(error)?);
        let store = OpfsStore::new(handle.clone()).map_err(|e| error(e.to_string()))?;
        let system = System::open(
            Box::new(store),
            host.clone(),
            host.clone(),
            SystemOptions::default(),
        )
        .map_err(error)?;
        Ok(WebSystem {
            system,
            host,
            handle,
        })
    }

    /// Runs every program started from now on with the jit executor: in a
    /// Worker of its own on the browser's engine (js/jit.js's `host`).
    #[wasm_bindgen(js_name = enableJit)]
    pub fn enable_jit(&mut self, host: crate::JitHost) {
        let limit = self.system.memory_limit();
        self.system
            .kernel
            .set_platform_engine(Box::new(crate::JitEngine::new(host, limit)));
    }

    /// Whether the disk holds a root filesystem.
    #[wasm_bindgen(js_name = hasRoot)]
    pub fn has_root(&mut self) -> bool {
        self.system.has_root()
    }

    /// Installs rootfs.tar; returns the number of entries.
    pub fn install(&mut self, archive: &[u8]) -> Result<u32, JsError> {
        let report = self.system.install(archive).map_err(error)?;
        Ok(u32::try_from(report.entries).unwrap_or(u32::MAX))
    }

    /// Boots `args` (init and its arguments) on a `rows`×`cols` console; returns its pid.
    pub fn boot(&mut self, rows: u16, cols: u16, args: Vec<String>) -> Result<u32, JsError> {
        self.system
            .boot(rows, cols, &args)
            .map(|pid| pid.0)
            .map_err(error)
    }

    /// Runs for about `budget_ms`; returns how long to sleep in ms: 0 to
    /// step again at once, -1 until a message arrives, -2 when halted.
    pub fn step(&mut self, budget_ms: f64) -> f64 {
        let budget = (budget_ms.max(0.0) * 1e6) as u64;
        match self.system.step(budget) {
            Step::Busy => 0.0,
            Step::Idle {
                deadline: Some(deadline),
            } => deadline.saturating_sub(self.host.monotonic()) as f64 / 1e6,
            Step::Idle { deadline: None } => -1.0,
            Step::Halted => -2.0,
        }
    }

    /// Console output since the last call, or undefined.
    #[wasm_bindgen(js_name = takeScreen)]
    pub fn take_screen(&mut self) -> Option<Uint8Array> {
        let bytes = self.system.take_screen();
        (!bytes.is_empty()).then(|| Uint8Array::from(&bytes[..]))
    }

    /// Events since the last call: objects with `kind` ("output", "output-end",
    /// "input-taken", "input-closed", "exit", "init-exit", "log") and `pid`,
    /// `data`, `status` (and `runtimeMs`) or `line`.
    #[wasm_bindgen(js_name = takeEvents)]
    pub fn take_events(&mut self) -> Array {
        self.system
            .take_events()
            .into_iter()
            .map(event_object)
            .collect()
    }

    #[wasm_bindgen(js_name = consoleInput)]
    pub fn console_input(&mut self, bytes: &[u8]) {
        self.system.console_input(bytes);
    }

    #[wasm_bindgen(js_name = consoleResize)]
    pub fn console_resize(&mut self, rows: u16, cols: u16) {
        self.system.console_resize(rows, cols);
    }

    /// Spawns `argv` with piped stdio; returns the pid. With `root`, in a
    /// [`Sandbox`] there whose preopens are `preopens`' (name, path) pairs.
    pub fn spawn(
        &mut self,
        argv: Vec<String>,
        cwd: Option<String>,
        env: Option<Vec<String>>,
        root: Option<String>,
        preopens: Option<Vec<String>>,
    ) -> Result<u32, JsError> {
        let sandbox = root.map(|root| Sandbox {
            root,
            preopens: preopens
                .unwrap_or_default()
                .chunks_exact(2)
                .filter_map(|pair| match pair {
                    [name, path] => Some((name.clone(), path.clone())),
                    _ => None,
                })
                .collect(),
        });
        self.system
            .spawn_sandboxed(&argv, cwd.as_deref(), env.as_deref(), sandbox.as_ref())
            .map_err(error)
    }

    #[wasm_bindgen(js_name = writeInput)]
    pub fn write_input(&mut self, pid: u32, bytes: &[u8]) -> Result<(), JsError> {
        self.system.write_input(pid, bytes).map_err(error)
    }

    #[wasm_bindgen(js_name = closeInput)]
    pub fn close_input(&mut self, pid: u32) {
        self.system.close_input(pid);
    }

    #[wasm_bindgen(js_name = readFile)]
    pub fn read_file(&mut self, path: &str) -> Result<Vec<u8>, JsError> {
        self.system.read_file(path).map_err(error)
    }

    #[wasm_bindgen(js_name = writeFile)]
    pub fn write_file(&mut self, path: &str, data: &[u8], mode: u32) -> Result<(), JsError> {
        self.system.write_file(path, data, mode).map_err(error)
    }

    /// `mkdir -p`.
    #[wasm_bindgen(js_name = makeDir)]
    pub fn make_dir(&mut self, path: &str) -> Result<(), JsError> {
        self.system.make_dir(path).map_err(error)
    }

    /// Makes everything written so far durable.
    pub fn sync(&mut self) -> Result<(), JsError> {
        self.system.sync().map_err(error)
    }

    /// Syncs and releases the disk (another tab may open it then).
    pub fn shutdown(&mut self) -> Result<(), JsError> {
        let synced = self.system.sync();
        self.handle.close();
        synced.map_err(error)
    }
}
