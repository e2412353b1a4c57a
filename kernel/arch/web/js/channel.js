// The system-call channel between a jit process's Worker and the kernel
// Worker: one SharedArrayBuffer per process. Shared by jit.js (kernel
// side) and process.js (process side); kernel/arch/web/src/jit.rs reads
// it only through jit.js.
//
// Int32 word STATE says who acts next. The process sets CALL (a system
// call is in NUMBER, ARGC and ARGS), EXITED (_start returned), TRAPPED
// (the message is in TRAP_TEXT) or HANDLED (a signal handler returned),
// then rings the kernel's doorbell. The kernel answers with REPLY (the
// result is in RESULT), START (run _start) or HANDLER (run the signal
// trampoline with HANDLER_ARGS; the interrupted call stays in NUMBER, ARGC
// and ARGS for the kernel to read again), then notifies STATE. RUNNING: guest code
// runs and the kernel has nothing to do; IDLE: instantiated, not started.

export const STATE = 0;
export const NUMBER = 1;
export const ARGC = 2;
export const TRAP_LENGTH = 3;
/// BigUint64 indexes (byte offset / 8).
export const ARGS = 2; // bytes 16..96: up to 10 arguments
export const RESULT = 12; // bytes 96..104
export const HANDLER_ARGS = 13; // bytes 104..120: signal, handler
/// Bytes of the trap message.
export const TRAP_TEXT = 128;
export const TRAP_TEXT_MAX = 896;
export const CHANNEL_BYTES = TRAP_TEXT + TRAP_TEXT_MAX;

export const RUNNING = 0;
export const CALL = 1;
export const EXITED = 2;
export const TRAPPED = 3;
export const HANDLED = 4;
export const IDLE = 5;
export const REPLY = 10;
export const START = 11;
export const HANDLER = 12;

/// States in which the process waits for the kernel.
export function stopped(state) {
  return state >= CALL && state <= HANDLED;
}
