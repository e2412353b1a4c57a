//! A set of signals, as the ABI passes it: a `u64`, bit n for signal n.

use std::fmt;

use wasmux_uapi::Signal;

/// A set of signals (bit n = signal n, as the kernel reads it).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SigSet(u64);

impl SigSet {
    /// No signal.
    pub const EMPTY: SigSet = SigSet(0);

    /// Every signal WASI numbers.
    pub fn all() -> SigSet {
        Signal::ALL.iter().copied().collect()
    }

    /// The set with just `signal`.
    pub const fn of(signal: Signal) -> SigSet {
        SigSet(1 << signal as u8)
    }

    /// From the ABI's `u64`; bits that name no signal are dropped.
    pub fn from_raw(raw: u64) -> SigSet {
        SigSet(raw & SigSet::all().0)
    }

    /// The ABI's `u64`.
    pub const fn raw(self) -> u64 {
        self.0
    }

    pub const fn contains(self, signal: Signal) -> bool {
        self.0 & SigSet::of(signal).0 != 0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn insert(&mut self, signal: Signal) {
        self.0 |= SigSet::of(signal).0;
    }

    pub fn remove(&mut self, signal: Signal) {
        self.0 &= !SigSet::of(signal).0;
    }

    /// This set with `signal` added.
    pub const fn with(self, signal: Signal) -> SigSet {
        SigSet(self.0 | SigSet::of(signal).0)
    }

    /// This set with `signal` taken out.
    pub const fn without(self, signal: Signal) -> SigSet {
        SigSet(self.0 & !SigSet::of(signal).0)
    }

    pub const fn union(self, other: SigSet) -> SigSet {
        SigSet(self.0 | other.0)
    }

    pub const fn difference(self, other: SigSet) -> SigSet {
        SigSet(self.0 & !other.0)
    }

    /// The signals in the set, lowest number first.
    pub fn iter(self) -> impl Iterator<Item = Signal> {
        Signal::ALL
            .iter()
            .copied()
            .filter(move |&signal| self.contains(signal))
    }
}

impl FromIterator<Signal> for SigSet {
    fn from_iter<I: IntoIterator<Item = Signal>>(signals: I) -> SigSet {
        let mut set = SigSet::EMPTY;
        for signal in signals {
            set.insert(signal);
        }
        set
    }
}

impl From<Signal> for SigSet {
    fn from(signal: Signal) -> SigSet {
        SigSet::of(signal)
    }
}

impl fmt::Debug for SigSet {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_set()
            .entries(self.iter().map(Signal::name))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_n_is_signal_n() {
        assert_eq!(SigSet::of(Signal::Int).raw(), 1 << 2);
        assert_eq!(SigSet::of(Signal::Chld).raw(), 1 << 16);
        let set: SigSet = [Signal::Hup, Signal::Term].into_iter().collect();
        assert_eq!(set.raw(), (1 << 1) | (1 << 15));
    }

    #[test]
    fn operations_agree_with_membership() {
        let set = SigSet::EMPTY.with(Signal::Usr1).with(Signal::Pipe);
        assert!(set.contains(Signal::Usr1) && set.contains(Signal::Pipe));
        assert!(!set.without(Signal::Pipe).contains(Signal::Pipe));
        assert_eq!(set.iter().collect::<Vec<_>>(), [Signal::Usr1, Signal::Pipe]);
        assert_eq!(
            set.union(SigSet::of(Signal::Int)).difference(set),
            SigSet::of(Signal::Int)
        );
        assert_eq!(format!("{set:?}"), r#"{"USR1", "PIPE"}"#);
    }

    #[test]
    fn raw_bits_without_a_signal_are_dropped() {
        assert_eq!(SigSet::from_raw(1 | (1 << 63)), SigSet::EMPTY);
        assert_eq!(SigSet::from_raw(u64::MAX), SigSet::all());
        assert_eq!(SigSet::all().iter().count(), Signal::ALL.len());
    }
}
