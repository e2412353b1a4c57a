// The kernel Worker: opens the OPFS disk, runs Wasmux (kernel/arch/web
// through wasm-bindgen) and talks to boot.js by messages. The page's
// main thread never runs kernel code.
//
// Messages from the page: {type: "open", disk, reset}, {type: "install",
// archive}, {type: "boot", rows, cols, init}, {type: "input", data},
// {type: "resize", rows, cols}, and {type: "call", id, method, args} for
// the embedding API (answered by {type: "reply", id, value | error}).
// To the page: {type: "screen", data}, {type: "events", events},
// {type: "halted"}, {type: "fatal", message}.

import init, { WebSystem } from "./pkg/wasmux_web.js";
import { JitHost, jitAvailable } from "./jit.js";

/// How long one step may run before the Worker looks at its messages (ms).
const STEP_BUDGET_MS = 12;
/// How long the kernel waits for a jit process's next system call before
/// it goes back to its event loop (ms; the doorbell wakes it after that).
const JIT_SPIN_MS = 0.5;
/// How long to wait for a previous page's Worker to release the disk (ms).
const LOCK_WAIT_MS = 5000;

let system = null;
/// The jit executor's host (js/jit.js), when processes run on it.
let jit = null;
let running = false;
let timer = null;
let scheduled = false;
/// How long opening took, by phase (ms), for boot.js's timings.
const phases = {};

const wakeChannel = new MessageChannel();
wakeChannel.port1.onmessage = () => {
  scheduled = false;
  run();
};

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

function wake() {
  if (timer !== null) {
    clearTimeout(timer);
    timer = null;
  }
  if (!scheduled && running) {
    scheduled = true;
    wakeChannel.port2.postMessage(0);
  }
}

function flushOutput() {
  const screen = system.takeScreen();
  if (screen) post({ type: "screen", data: screen }, [screen.buffer]);
  const events = system.takeEvents();
  if (events.length === 0) return;
  const transfer = [];
  for (const event of events) {
    if (event.kind === "output") transfer.push(event.data.buffer);
    if (event.kind === "log") console.warn(`wasmux: ${event.line}`);
  }
  post({ type: "events", events }, transfer);
}

function run() {
  if (!running) return;
  let wait;
  try {
    const deadline = performance.now() + STEP_BUDGET_MS;
    for (;;) {
      wait = system.step(Math.max(deadline - performance.now(), 1));
      flushOutput();
      // jit processes making calls in a row: answer the next one at once.
      if (wait === 0 || !jit || performance.now() >= deadline) break;
      if (!jit.awaitStop(JIT_SPIN_MS)) break;
    }
  } catch (error) {
    running = false;
    post({ type: "fatal", message: `the kernel stopped: ${error?.message ?? error}` });
    return;
  }
  if (wait === 0) {
    wake();
  } else if (wait > 0) {
    timer = setTimeout(run, Math.ceil(wait));
  } else if (wait === -2) {
    running = false;
    post({ type: "halted" });
  }
  // -1: everything waits for input; a message wakes us.
}

/// "jit" (each process in a Worker of its own, at the engine's speed)
/// wherever the page is cross-origin isolated, else "interp" (wasmi in
/// this Worker); `requested` ("auto", "jit", "interp") may force either.
function chooseExecutor(requested = "auto") {
  if (requested === "interp") return "interp";
  if (jitAvailable()) return "jit";
  if (requested === "jit") {
    throw new Error("the jit executor needs a cross-origin isolated page (COOP/COEP headers)");
  }
  return "interp";
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/// The disk's sync access handle. A reloaded page's new Worker may start
/// before the old one let go of it: retry for a while, then say why.
async function openDisk(name, reset) {
  if (typeof FileSystemFileHandle !== "function" || !("createSyncAccessHandle" in FileSystemFileHandle.prototype)) {
    throw new Error("this browser lacks what Wasmux needs: OPFS synchronous access handles (FileSystemSyncAccessHandle in Workers)");
  }
  const root = await navigator.storage.getDirectory();
  const dir = await root.getDirectoryHandle("wasmux", { create: true });
  if (reset) {
    await dir.removeEntry(name).catch((error) => {
      if (error.name !== "NotFoundError") throw error;
    });
  }
  const file = await dir.getFileHandle(name, { create: true });
  const started = performance.now();
  const deadline = started + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await file.createSyncAccessHandle();
      phases.lockWait = performance.now() - started;
      return handle;
    } catch (error) {
      if (error.name !== "NoModificationAllowedError" || performance.now() > deadline) {
        if (error.name === "NoModificationAllowedError") {
          throw new Error("the Wasmux disk is in use by another tab or window: close it and reload");
        }
        throw error;
      }
      await sleep(10);
    }
  }
}

/// Raw OPFS throughput in this Worker, the reference of web_opfs_ratio:
/// `bytes` written in 64 KiB chunks, then read back (no flush: the guest
/// it is compared with does not fsync either).
async function rawOpfs(bytes) {
  const root = await navigator.storage.getDirectory();
  const dir = await root.getDirectoryHandle("wasmux", { create: true });
  const file = await dir.getFileHandle("bench-raw.bin", { create: true });
  const handle = await file.createSyncAccessHandle();
  try {
    handle.truncate(0);
    const chunk = new Uint8Array(65536).fill(7);
    const start = performance.now();
    for (let at = 0; at < bytes; at += chunk.length) handle.write(chunk, { at });
    for (let at = 0; at < bytes; at += chunk.length) handle.read(chunk, { at });
    return performance.now() - start;
  } finally {
    handle.close();
    await dir.removeEntry("bench-raw.bin").catch(() => {});
  }
}

const api = {
  spawn: (argv, cwd, env, root, preopens) =>
    system.spawn(argv, cwd ?? undefined, env ?? undefined, root ?? undefined, preopens ?? undefined),
  writeInput: (pid, data) => system.writeInput(pid, data),
  closeInput: (pid) => system.closeInput(pid),
  readFile: (path) => system.readFile(path),
  writeFile: (path, data, mode) => system.writeFile(path, data, mode),
  mkdir: (path) => system.makeDir(path),
  sync: () => system.sync(),
  rawOpfs,
  shutdown() {
    running = false;
    if (timer !== null) clearTimeout(timer);
    system.shutdown();
    system = null;
    setTimeout(() => self.close(), 0);
  },
};

async function handle(message) {
  switch (message.type) {
    case "open": {
      const started = performance.now();
      // Compiling the kernel and opening the disk do not depend on each other.
      const [, disk] = await Promise.all([
        init({ module_or_path: new URL("./pkg/wasmux_web_bg.wasm", import.meta.url) }).then(() => {
          phases.wasm = performance.now() - started;
        }),
        openDisk(message.disk, message.reset).then((disk) => {
          phases.disk = performance.now() - started;
          return disk;
        }),
      ]);
      const mountStart = performance.now();
      system = new WebSystem(disk);
      phases.mount = performance.now() - mountStart;
      phases.workerStart = started;
      post({ type: "opened", hasRoot: system.hasRoot(), ms: performance.now() - started, phases });
      break;
    }
    case "install": {
      const started = performance.now();
      const entries = system.install(new Uint8Array(message.archive));
      post({ type: "installed", entries, ms: performance.now() - started });
      break;
    }
    case "boot": {
      const executor = chooseExecutor(message.executor);
      if (executor === "jit") {
        jit = new JitHost(wake);
        system.enableJit(jit);
      }
      const pid = system.boot(message.rows, message.cols, message.init);
      running = true;
      post({ type: "booted", pid, executor });
      wake();
      break;
    }
    case "input":
      system?.consoleInput(message.data);
      wake();
      break;
    case "resize":
      system?.consoleResize(message.rows, message.cols);
      wake();
      break;
    case "call": {
      try {
        const value = await api[message.method](...message.args);
        const transfer = value instanceof Uint8Array ? [value.buffer] : [];
        post({ type: "reply", id: message.id, value }, transfer);
      } catch (error) {
        post({ type: "reply", id: message.id, error: String(error?.message ?? error) });
      }
      if (system) {
        flushOutput();
        wake();
      }
      break;
    }
    default:
      throw new Error(`unknown message ${message.type}`);
  }
}

// Messages are handled one at a time, in order (opening is asynchronous).
let queue = Promise.resolve();
self.onmessage = (event) => {
  queue = queue.then(() =>
    handle(event.data).catch((error) => {
      post({ type: "fatal", message: String(error?.message ?? error) });
    }),
  );
};
