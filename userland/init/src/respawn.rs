//! The respawn back-off: a service that keeps dying quickly is restarted
//! later and later (1 s, 2 s, 4 s ... at most 60 s), so a crashing service
//! costs the system almost nothing; one that ran for a while before it
//! ended is restarted at once and its back-off starts over.

use std::time::Duration;

/// The first delay after a quick death.
pub const FIRST_DELAY: Duration = Duration::from_secs(1);
/// The longest delay.
pub const MAX_DELAY: Duration = Duration::from_secs(60);
/// A run at least this long counts as healthy.
pub const HEALTHY_RUN: Duration = Duration::from_secs(10);

/// The back-off state of one service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backoff {
    /// The delay used for the previous restart (zero: none yet).
    last: Duration,
}

impl Backoff {
    /// The service ended after running for `ran`: how long to wait before
    /// starting it again.
    pub fn next_delay(&mut self, ran: Duration) -> Duration {
        self.last = if ran >= HEALTHY_RUN {
            Duration::ZERO
        } else if self.last.is_zero() {
            FIRST_DELAY
        } else {
            (self.last * 2).min(MAX_DELAY)
        };
        self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_deaths_double_the_delay_up_to_the_maximum() {
        let mut backoff = Backoff::default();
        let quick = Duration::from_millis(10);
        let delays: Vec<u64> = (0..9)
            .map(|_| backoff.next_delay(quick).as_secs())
            .collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }

    #[test]
    fn a_healthy_run_restarts_at_once_and_resets() {
        let mut backoff = Backoff::default();
        backoff.next_delay(Duration::ZERO);
        backoff.next_delay(Duration::ZERO);
        assert_eq!(backoff.next_delay(HEALTHY_RUN), Duration::ZERO);
        assert_eq!(backoff.next_delay(Duration::ZERO), FIRST_DELAY);
    }
}
