//! Clocks: the host wall clock (native) and a fake for tests.

use std::cell::Cell;

use wasmux_uapi::Timestamp;

use crate::Clock;

/// A clock that only moves when told to.
#[derive(Debug, Default)]
pub struct FakeClock {
    now: Cell<Timestamp>,
}

impl FakeClock {
    /// A clock reading `start` nanoseconds.
    pub fn new(start: Timestamp) -> FakeClock {
        FakeClock {
            now: Cell::new(start),
        }
    }

    /// Moves the clock forward by `nanos`.
    pub fn advance(&self, nanos: Timestamp) {
        self.now.set(self.now.get().saturating_add(nanos));
    }

    /// Sets the clock.
    pub fn set(&self, now: Timestamp) {
        self.now.set(now);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Timestamp {
        self.now.get()
    }
}

/// The host's wall clock (native only).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

#[cfg(not(target_arch = "wasm32"))]
impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| {
                u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fake_clock_advances_only_when_told() {
        let clock = FakeClock::new(5);
        assert_eq!(clock.now(), 5);
        clock.advance(10);
        assert_eq!(clock.now(), 15);
    }
}
