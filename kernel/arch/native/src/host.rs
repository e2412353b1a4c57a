//! Host services from the operating system: clocks and randomness.

use std::time::Instant;

use wasmux_fs::clock::SystemClock;

use wasmux_uapi::{ClockId, Timestamp};
use wasmux_wasi::Host;

/// Clocks and randomness of the host.
#[derive(Debug)]
pub struct NativeHost {
    origin: Instant,
}

impl NativeHost {
    pub fn new() -> NativeHost {
        NativeHost {
            origin: Instant::now(),
        }
    }
}

impl Host for NativeHost {
    fn realtime(&self) -> Timestamp {
        wasmux_fs::Clock::now(&SystemClock)
    }

    fn monotonic(&self) -> Timestamp {
        // Start at 1 s so that "time 0" is never a real reading.
        u64::try_from(self.origin.elapsed().as_nanos())
            .unwrap_or(u64::MAX)
            .saturating_add(1_000_000_000)
    }

    fn resolution(&self, clock: ClockId) -> Timestamp {
        match clock {
            ClockId::Realtime | ClockId::Monotonic => 1,
            ClockId::ProcessCputime | ClockId::ThreadCputime => 1_000,
        }
    }

    fn random(&self, buf: &mut [u8]) {
        if getrandom::fill(buf).is_err() {
            // The OS source failing is not something a program can act on;
            // it must not get predictable bytes silently.
            eprintln!("wasmux: the host's random source failed");
            std::process::abort();
        }
    }
}
