// boot.js: Wasmux in a web page, as an ES module.
//
//   import { boot } from "./boot.js";
//   const system = await boot({ rootfsUrl: "rootfs.tar" });
//   const proc = await system.spawn(["ls", "-l"], { cwd: "/" });
//   proc.output.pipeTo(new WritableStream({ write: (bytes) => show(bytes) }));
//   console.log("exit status", await proc.exit);
//   await system.fs.writeFile("/root/note.txt", "hello");
//   await system.shutdown();
//
// The kernel runs in a dedicated Worker (worker.js); this module only
// talks to it. First boot: when the OPFS disk holds no root filesystem,
// rootfs.tar is downloaded (options.onProgress sees it) and installed.
// Later boots mount what the disk holds.

const DEFAULTS = {
  /// Where rootfs.tar comes from on first boot (relative to the page).
  rootfsUrl: "rootfs.tar",
  /// The disk's name in the origin's OPFS (a directory "wasmux" holds it).
  disk: "disk.img",
  /// Start from an empty disk (deletes the old one).
  reset: false,
  /// init and its arguments.
  init: ["/sbin/init"],
  /// How processes run: "jit" (each in a Worker of its own, at the
  /// browser engine's speed; needs a cross-origin isolated page),
  /// "interp" (the wasmi interpreter in the kernel's Worker), or "auto"
  /// (jit where the page allows it). The booted system's `executor` says
  /// which one it got.
  executor: "auto",
  /// The console's size; or `size`, a function resolving to {rows, cols},
  /// awaited only when init starts (so a terminal can load meanwhile).
  rows: 24,
  cols: 80,
  size: null,
  /// Called with {phase: "download" | "install" | "boot", loaded, total}.
  onProgress: () => {},
  /// Called with a message when the Worker stops unexpectedly.
  onFatal: (message) => console.error(`wasmux: ${message}`),
  /// Called with init's exit status.
  onHalt: () => {},
};

/// What this browser lacks for Wasmux, in words (empty when nothing).
export function missingFeatures() {
  const missing = [];
  if (typeof WebAssembly !== "object") missing.push("WebAssembly");
  if (typeof Worker !== "function") missing.push("Web Workers");
  if (!globalThis.isSecureContext) missing.push("a secure context (https:// or localhost)");
  if (!navigator.storage?.getDirectory) {
    missing.push("the Origin Private File System (navigator.storage.getDirectory)");
  }
  // Synchronous access handles exist only in Workers: worker.js checks them.
  if (typeof ReadableStream !== "function" || typeof WritableStream !== "function") {
    missing.push("Streams (ReadableStream, WritableStream)");
  }
  return missing;
}

/// A process started through the API.
class Process {
  constructor(system, pid) {
    this.pid = pid;
    let exited;
    /// A promise of the exit status (the code, or 128 + signal).
    this.exit = new Promise((resolve) => (exited = resolve));
    this._exited = exited;
    /// Milliseconds from spawn to exit, on the kernel's clock.
    this.elapsedMs = undefined;
    let outputController;
    /// Its stdout and stderr, interleaved as written.
    this.output = new ReadableStream({ start: (c) => (outputController = c) });
    this._output = outputController;
    this._pendingWrite = null;
    /// Its stdin; close it to give the process end of file.
    this.input = new WritableStream({
      write: (chunk) =>
        new Promise((resolve, reject) => {
          const data = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
          this._pendingWrite = { resolve, reject };
          system._call("writeInput", [pid, data]).catch((error) => {
            this._pendingWrite = null;
            reject(error);
          });
        }),
      close: () => system._call("closeInput", [pid]),
      abort: () => system._call("closeInput", [pid]),
    });
  }

  _event(event) {
    switch (event.kind) {
      case "output":
        this._output.enqueue(event.data);
        break;
      case "output-end":
        this._output.close();
        break;
      case "input-taken":
        this._pendingWrite?.resolve();
        this._pendingWrite = null;
        break;
      case "input-closed":
        this._pendingWrite?.reject(new Error(`process ${this.pid} no longer reads its input`));
        this._pendingWrite = null;
        break;
      case "exit":
        this.elapsedMs = event.runtimeMs;
        this._exited(event.status);
        break;
    }
  }
}

/// A booted Wasmux system (what boot() resolves to).
class System {
  constructor(worker, options) {
    this.worker = worker;
    this.options = options;
    /// Whether this boot installed rootfs.tar.
    this.firstBoot = false;
    /// Milliseconds: open (wasm + disk), download, install, boot.
    this.timings = {};
    this._replies = new Map();
    this._nextId = 1;
    this._processes = new Map();
    /// Events for a pid whose spawn reply has not been seen yet.
    this._early = new Map();
    this._screenListeners = [];
    this._screenBacklog = [];
    this._dead = null;
    /// init's exit status once it ended.
    this.halted = undefined;

    const system = this;
    /// The files of the running system (paths are absolute).
    this.fs = {
      /// The whole file, as bytes.
      readFile: (path) => system._call("readFile", [path]),
      /// Replaces (or creates, with `mode`, default 0o644) the file;
      /// `data` is bytes or a string.
      writeFile: (path, data, { mode = 0o644 } = {}) =>
        system._call("writeFile", [
          path,
          typeof data === "string" ? new TextEncoder().encode(data) : data,
          mode,
        ]),
      /// Makes a directory and its missing parents.
      mkdir: (path) => system._call("mkdir", [path]),
    };
    /// The console terminal: what the system shows, and keys for it.
    this.console = {
      /// Calls `listener(bytes)` with every output chunk, the earlier ones first.
      attach(listener) {
        for (const chunk of system._screenBacklog) listener(chunk);
        system._screenBacklog = [];
        system._screenListeners.push(listener);
      },
      /// Keys typed or text pasted (a string or bytes).
      write(data) {
        const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
        system.worker.postMessage({ type: "input", data: bytes });
      },
      /// The terminal's size changed.
      resize(rows, cols) {
        system.worker.postMessage({ type: "resize", rows, cols });
      },
    };
  }

  /// Starts `argv` (argv[0] a path or a name in PATH) with piped stdio;
  /// `env` is an object or "KEY=VALUE" strings added to the defaults.
  /// `sandbox: { root, preopens }` runs it the way `wasmux run` does: its
  /// root directory is `root` (cwd inside it), its environment exactly
  /// `env`, its preopens exactly `preopens` ([name, path] pairs, paths as
  /// the page sees them; default [["/", root]]), WASI path rules.
  async spawn(argv, { cwd, env, sandbox } = {}) {
    const vars = Array.isArray(env)
      ? env
      : Object.entries(env ?? {}).map(([key, value]) => `${key}=${value}`);
    const root = sandbox ? String(sandbox.root ?? "/") : null;
    const preopens = sandbox ? (sandbox.preopens ?? [["/", root]]).flat().map(String) : null;
    const pid = await this._call("spawn", [argv.map(String), cwd ?? null, vars, root, preopens]);
    const process = new Process(this, pid);
    this._processes.set(pid, process);
    for (const event of this._early.get(pid) ?? []) this._dispatch(event);
    this._early.delete(pid);
    return process;
  }

  /// Makes everything written so far durable (fsync).
  sync() {
    return this._call("sync", []);
  }

  /// Syncs, releases the disk and stops the Worker.
  async shutdown() {
    if (this._dead) return;
    await this._call("shutdown", []);
    this._dead = "shut down";
    this.worker.terminate();
  }

  _call(method, args) {
    if (this._dead) return Promise.reject(new Error(`wasmux: the system is ${this._dead}`));
    const id = this._nextId++;
    return new Promise((resolve, reject) => {
      this._replies.set(id, { resolve, reject });
      // Copies are transferred, so the caller's buffers stay usable.
      const copied = args.map((arg) => (arg instanceof Uint8Array ? arg.slice() : arg));
      const transfer = copied.filter((arg) => arg instanceof Uint8Array).map((arg) => arg.buffer);
      this.worker.postMessage({ type: "call", id, method, args: copied }, transfer);
    });
  }

  _dispatch(event) {
    if (event.kind === "log") return;
    if (event.kind === "init-exit") {
      this.halted = event.status;
      this.options.onHalt(event.status);
      return;
    }
    const process = this._processes.get(event.pid);
    if (process) {
      process._event(event);
      if (event.kind === "exit") this._processes.delete(event.pid);
    } else {
      if (!this._early.has(event.pid)) this._early.set(event.pid, []);
      this._early.get(event.pid).push(event);
    }
  }

  _message(message) {
    switch (message.type) {
      case "screen":
        if (this._screenListeners.length === 0) this._screenBacklog.push(message.data);
        for (const listener of this._screenListeners) listener(message.data);
        break;
      case "events":
        for (const event of message.events) this._dispatch(event);
        break;
      case "reply": {
        const reply = this._replies.get(message.id);
        this._replies.delete(message.id);
        if (message.error !== undefined) reply?.reject(new Error(message.error));
        else reply?.resolve(message.value);
        break;
      }
      case "halted":
        break;
      case "fatal":
        this._fail(message.message);
        break;
    }
  }

  _fail(message) {
    if (this._dead) return;
    this._dead = `stopped: ${message}`;
    for (const reply of this._replies.values()) reply.reject(new Error(message));
    this._replies.clear();
    this.options.onFatal(message);
  }
}

/// Downloads `url` with progress; resolves to an ArrayBuffer.
async function download(url, onProgress) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`cannot download the root filesystem from ${url}: ${error.message}`);
  }
  if (!response.ok) {
    throw new Error(`cannot download the root filesystem from ${url}: HTTP ${response.status}`);
  }
  const total = Number(response.headers.get("Content-Length")) || 0;
  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  onProgress({ phase: "download", loaded, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress({ phase: "download", loaded, total });
  }
  const archive = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    archive.set(chunk, at);
    at += chunk.length;
  }
  return archive.buffer;
}

/// Boots Wasmux; resolves to a System. Throws (with `.missing`, a list of
/// words) when the browser lacks something, or with the reason boot failed.
export async function boot(userOptions = {}) {
  const options = { ...DEFAULTS, ...userOptions };
  const missing = missingFeatures();
  if (missing.length > 0) {
    const error = new Error(`this browser lacks what Wasmux needs: ${missing.join(", ")}`);
    error.missing = missing;
    throw error;
  }
  const started = performance.now();
  // Ask the browser not to evict the disk under storage pressure (best effort).
  navigator.storage.persist?.().catch(() => {});
  const workerUrl = options.workerUrl ?? new URL("./worker.js", import.meta.url);
  const worker = new Worker(workerUrl, { type: "module", name: "wasmux-kernel" });
  const system = new System(worker, options);

  // One-shot answers during boot; afterwards messages go to the system.
  let expect = null;
  const next = (type) =>
    new Promise((resolve, reject) => {
      expect = { type, resolve, reject };
    });
  worker.onmessage = (event) => {
    const message = event.data;
    if (expect && (message.type === expect.type || message.type === "fatal")) {
      const { resolve, reject } = expect;
      expect = null;
      if (message.type === "fatal") reject(new Error(message.message));
      else resolve(message);
      return;
    }
    system._message(message);
  };
  worker.onerror = (event) => {
    const message = event.message || "the kernel Worker failed to start";
    if (expect) {
      const { reject } = expect;
      expect = null;
      reject(new Error(message));
    } else {
      system._fail(message);
    }
  };

  try {
    worker.postMessage({ type: "open", disk: options.disk, reset: options.reset });
    const opened = await next("opened");
    system.timings.open = opened.ms;
    system.timings.phases = opened.phases;
    if (!opened.hasRoot) {
      system.firstBoot = true;
      const downloadStart = performance.now();
      const archive = await download(new URL(options.rootfsUrl, document.baseURI), options.onProgress);
      system.timings.download = performance.now() - downloadStart;
      options.onProgress({ phase: "install", loaded: archive.byteLength, total: archive.byteLength });
      const installStart = performance.now();
      worker.postMessage({ type: "install", archive }, [archive]);
      await next("installed");
      system.timings.install = performance.now() - installStart;
    }
    options.onProgress({ phase: "boot", loaded: 0, total: 0 });
    const { rows, cols } = options.size ? await options.size() : options;
    const bootStart = performance.now();
    worker.postMessage({ type: "boot", rows, cols, init: options.init, executor: options.executor });
    const booted = await next("booted");
    system.executor = booted.executor;
    system.timings.boot = performance.now() - bootStart;
    system.timings.total = performance.now() - started;
  } catch (error) {
    worker.terminate();
    throw error;
  }
  return system;
}
