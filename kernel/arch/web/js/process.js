// A jit process: one Worker running one guest module on the browser's
// engine. Its memory is a shared WebAssembly.Memory the kernel also
// holds; each import is a stub that writes the system call into the
// channel (channel.js), rings the kernel's doorbell and waits.
//
// Started by jit.js with {module, memory, channel, doorbell, imports,
// trampoline}: imports maps "module.name" to [number, i64 parameter mask].

import * as ch from "./channel.js";

/// How long a stub spins before it sleeps in Atomics.wait (ms): replies
/// to quick calls come within microseconds, and a sleeping Worker takes
/// tens of microseconds to wake.
const SPIN_MS = 0.05;

let words;
let big;
let bytes;
let doorbell;
let instance;
let trampoline;

function ring(state) {
  Atomics.store(words, ch.STATE, state);
  Atomics.add(doorbell, 0, 1);
  Atomics.notify(doorbell, 0);
}

/// Waits while the process is stopped; returns the kernel's instruction.
function awaitKernel() {
  const spinUntil = performance.now() + SPIN_MS;
  for (;;) {
    const state = Atomics.load(words, ch.STATE);
    if (!ch.stopped(state) && state !== ch.IDLE) return state;
    if (performance.now() > spinUntil) Atomics.wait(words, ch.STATE, state, 1000);
  }
}

/// The system call in the channel (number, argument count, arguments).
function saveCall() {
  return [words[ch.NUMBER], words[ch.ARGC], big.slice(ch.ARGS, ch.ARGS + 10)];
}

function restoreCall([number, argc, args]) {
  words[ch.NUMBER] = number;
  words[ch.ARGC] = argc;
  big.set(args, ch.ARGS);
}

/// Handles the kernel's instructions until one lets the caller continue:
/// REPLY (returns the result) or START.
function serve() {
  for (;;) {
    const instruction = awaitKernel();
    if (instruction === ch.HANDLER) {
      Atomics.store(words, ch.STATE, ch.RUNNING);
      const signal = Number(big[ch.HANDLER_ARGS]);
      const handler = Number(big[ch.HANDLER_ARGS + 1]);
      // The handler's own calls reuse the channel: the call it interrupted
      // is put back before the kernel reads it again.
      const call = saveCall();
      instance.exports[trampoline](signal, handler);
      restoreCall(call);
      ring(ch.HANDLED);
      continue;
    }
    Atomics.store(words, ch.STATE, ch.RUNNING);
    return instruction === ch.REPLY ? big[ch.RESULT] : 0n;
  }
}

function stub(number, wide, returns) {
  return (...args) => {
    words[ch.NUMBER] = number;
    words[ch.ARGC] = args.length;
    for (let i = 0; i < args.length; i++) {
      big[ch.ARGS + i] = wide & (1 << i) ? BigInt.asUintN(64, args[i]) : BigInt(args[i] >>> 0);
    }
    ring(ch.CALL);
    const result = serve();
    return returns ? Number(BigInt.asIntN(32, result)) : undefined;
  };
}

/// The trap's kind as the kernel names wasmi's (scheduler.rs maps them to signals).
function trapKind(error) {
  const text = String(error?.message ?? error);
  const kinds = [
    [/unreachable/i, "unreachable"],
    [/memory access out of bounds|out of bounds memory/i, "out of bounds memory access"],
    [/divide by zero|remainder by zero/i, "integer divide by zero"],
    [/integer overflow|divide result unrepresentable/i, "integer overflow"],
    [/float unrepresentable|convert.*integer/i, "invalid conversion to integer"],
    [/call stack size|stack overflow/i, "stack overflow"],
    [/table index is out of bounds|element segment|table/i, "out of bounds table access"],
    [/null function|signature mismatch|function signature/i, "indirect call type mismatch"],
  ];
  for (const [pattern, kind] of kinds) if (pattern.test(text)) return kind;
  return text;
}

function trapped(error) {
  const text = new TextEncoder().encode(trapKind(error)).slice(0, ch.TRAP_TEXT_MAX);
  bytes.set(text, ch.TRAP_TEXT);
  words[ch.TRAP_LENGTH] = text.length;
  ring(ch.TRAPPED);
}

self.onmessage = (event) => {
  const start = event.data;
  words = new Int32Array(start.channel);
  big = new BigUint64Array(start.channel);
  bytes = new Uint8Array(start.channel);
  doorbell = new Int32Array(start.doorbell);
  trampoline = start.trampoline;
  try {
    const imports = {};
    for (const entry of WebAssembly.Module.imports(start.module)) {
      imports[entry.module] ??= {};
      if (entry.kind === "memory") {
        imports[entry.module][entry.name] = start.memory;
        continue;
      }
      const [number, wide, returns] = start.imports[`${entry.module}.${entry.name}`];
      imports[entry.module][entry.name] = stub(number, wide, returns);
    }
    instance = new WebAssembly.Instance(start.module, imports);
  } catch (error) {
    trapped(error);
    return;
  }
  try {
    serve(); // START, or signal handlers before it
    instance.exports._start();
    ring(ch.EXITED);
  } catch (error) {
    trapped(error);
  }
};
