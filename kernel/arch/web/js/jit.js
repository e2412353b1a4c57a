// The kernel Worker's side of the jit executor (kernel/arch/web/src/jit.rs
// drives it): compiles modules once (by content hash), keeps a pool of
// started process Workers, and watches the doorbell every process rings
// when it stops, without blocking the kernel's event loop
// (Atomics.waitAsync).

import * as ch from "./channel.js";

/// Started Workers kept ready, so a spawn does not wait for one (10-20 ms).
const POOL_SIZE = 4;
/// How long after a spawn the pool is refilled (ms). Starting a Worker
/// takes 10-20 ms of CPU: done at once, it competed with the process just
/// spawned (fib(34) ran 2x slower on two cores); most processes end or
/// settle within this delay.
const REFILL_DELAY_MS = 100;
/// How long awaitStop spins before it sleeps (ms).
const SPIN_MS = 0.03;

/// One process: its Worker, memory and channel. jit.rs calls these.
class JitProcess {
  constructor(worker, memory, channel, onEnd) {
    this.onEnd = onEnd;
    this.worker = worker;
    this.memory = memory;
    this.words = new Int32Array(channel);
    this.big = new BigUint64Array(channel);
    this.bytes = new Uint8Array(channel);
  }

  state() {
    return Atomics.load(this.words, ch.STATE);
  }

  number() {
    return this.words[ch.NUMBER];
  }

  argc() {
    return this.words[ch.ARGC];
  }

  arg(index) {
    return this.big[ch.ARGS + index];
  }

  trap() {
    const length = this.words[ch.TRAP_LENGTH];
    return new TextDecoder().decode(this.bytes.slice(ch.TRAP_TEXT, ch.TRAP_TEXT + length));
  }

  instruct(state) {
    Atomics.store(this.words, ch.STATE, state);
    Atomics.notify(this.words, ch.STATE);
  }

  start() {
    this.instruct(ch.START);
  }

  reply(value) {
    this.big[ch.RESULT] = value;
    this.instruct(ch.REPLY);
  }

  handler(signal, handler) {
    this.big[ch.HANDLER_ARGS] = BigInt(signal);
    this.big[ch.HANDLER_ARGS + 1] = BigInt(handler);
    this.instruct(ch.HANDLER);
  }

  /// The handler returned: the process is back in the call it was in
  /// (or, if it has not started, waiting to start).
  handled(inCall) {
    Atomics.store(this.words, ch.STATE, inCall ? ch.CALL : ch.IDLE);
  }

  size() {
    return this.memory.buffer.byteLength;
  }

  read(address, out) {
    const buffer = this.memory.buffer;
    if (address + out.length > buffer.byteLength) return false;
    out.set(new Uint8Array(buffer, address, out.length));
    return true;
  }

  write(address, data) {
    const buffer = this.memory.buffer;
    if (address + data.length > buffer.byteLength) return false;
    new Uint8Array(buffer, address, data.length).set(data);
    return true;
  }

  terminate() {
    this.worker.terminate();
    this.onEnd();
  }
}

export class JitHost {
  /// `onStop` is called (from the event loop) when a process stopped.
  constructor(onStop) {
    this.onStop = onStop;
    this.modules = new Map();
    this.pool = [];
    this.doorbell = new Int32Array(new SharedArrayBuffer(4));
    this.seen = 0;
    /// Processes whose Worker runs.
    this.live = 0;
    this.refill = null;
    this.fill();
    this.watch();
  }

  fill() {
    while (this.pool.length < POOL_SIZE) {
      this.pool.push(new Worker(new URL("./process.js", import.meta.url), { type: "module" }));
    }
  }

  async watch() {
    for (;;) {
      const rung = Atomics.load(this.doorbell, 0);
      if (rung !== this.seen) {
        this.seen = rung;
        this.onStop();
      }
      const wait = Atomics.waitAsync(this.doorbell, 0, this.seen);
      if (wait.async) await wait.value;
    }
  }

  /// Waits up to `ms` for a process to stop (blocking this Worker, so
  /// briefly): a process making system calls in a row gets each answered
  /// within microseconds instead of after a trip through the event loop.
  /// Returns whether one stopped.
  awaitStop(ms) {
    if (this.live === 0) return false;
    // Spin first: a sleeping thread takes tens of microseconds to wake,
    // longer than most calls take to answer; then sleep for the rest.
    const started = performance.now();
    for (;;) {
      const rung = Atomics.load(this.doorbell, 0);
      if (rung !== this.seen) {
        this.seen = rung;
        return true;
      }
      const spent = performance.now() - started;
      if (spent >= SPIN_MS) {
        if (spent >= ms || Atomics.wait(this.doorbell, 0, rung, ms - spent) === "timed-out") {
          return false;
        }
      }
    }
  }

  /// Whether the module with content hash `key` is compiled.
  has(key) {
    return this.modules.has(key);
  }

  /// Compiles `bytes` (a module importing its memory shared) under `key`.
  compile(key, bytes) {
    if (!this.modules.has(key)) this.modules.set(key, new WebAssembly.Module(bytes));
  }

  /// A process of the module `key`, instantiated in a Worker, not started.
  /// `imports`: [module, name, number, i64 parameter mask, returns] rows.
  spawn(key, initialPages, maximumPages, imports, trampoline) {
    const module = this.modules.get(key);
    const memory = new WebAssembly.Memory({
      initial: initialPages,
      maximum: maximumPages,
      shared: true,
    });
    const channel = new SharedArrayBuffer(ch.CHANNEL_BYTES);
    new Int32Array(channel)[ch.STATE] = ch.IDLE;
    const table = {};
    for (const [moduleName, name, number, wide, returns] of imports) {
      table[`${moduleName}.${name}`] = [number, wide, returns];
    }
    const worker = this.pool.shift() ?? new Worker(new URL("./process.js", import.meta.url), { type: "module" });
    this.refill ??= setTimeout(() => {
      this.refill = null;
      this.fill();
    }, REFILL_DELAY_MS);
    // A Worker that cannot run (its script failed to load, its message
    // could not be received) is a trap, not a process waiting forever.
    const failed = (message) => {
      const words = new Int32Array(channel);
      const text = new TextEncoder().encode(message).slice(0, ch.TRAP_TEXT_MAX);
      new Uint8Array(channel).set(text, ch.TRAP_TEXT);
      words[ch.TRAP_LENGTH] = text.length;
      Atomics.store(words, ch.STATE, ch.TRAPPED);
      Atomics.add(this.doorbell, 0, 1);
      Atomics.notify(this.doorbell, 0);
    };
    worker.onerror = (event) => failed(`the process Worker failed: ${event.message || "cannot start"}`);
    worker.onmessageerror = () => failed("the process Worker could not receive its module");
    worker.postMessage({
      module,
      memory,
      channel,
      doorbell: this.doorbell.buffer,
      imports: table,
      trampoline,
    });
    this.live += 1;
    return new JitProcess(worker, memory, channel, () => {
      this.live -= 1;
    });
  }
}

/// Whether this Worker can run jit processes (cross-origin isolated, with
/// shared memory and Atomics.waitAsync).
export function jitAvailable() {
  return (
    self.crossOriginIsolated === true &&
    typeof SharedArrayBuffer === "function" &&
    typeof Atomics.waitAsync === "function"
  );
}
