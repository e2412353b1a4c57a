//! [`SigSet`]: a set of signals, one bit per signal number.

use core::fmt;
use core::ops::{BitAnd, BitAndAssign, BitOr, BitOrAssign, Not, Sub, SubAssign};

use wasmux_uapi::Signal;

/// The bits that name a defined signal (bit 0 is "no signal"). Computed from
/// [`Signal::ALL`]; a signal numbered 64 or above fails the build here.
const VALID: u64 = {
    let mut bits = 0u64;
    let mut i = 0;
    while i < Signal::ALL.len() {
        bits |= 1 << Signal::ALL[i] as u8;
        i += 1;
    }
    bits
};

/// One more than the highest signal number: the size of a table indexed by
/// signal number.
pub(crate) const SLOTS: usize = 64 - VALID.leading_zeros() as usize;

/// A set of signals. Bit `n` stands for signal number `n`, as in the ABI's
/// 64-bit masks; only the bits of defined signals are ever set.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SigSet(u64);

impl SigSet {
    /// No signals.
    pub const EMPTY: SigSet = SigSet(0);
    /// Every defined signal.
    pub const FULL: SigSet = SigSet(VALID);
    /// The signals that can never be caught, ignored or blocked: SIGKILL and SIGSTOP.
    pub const UNBLOCKABLE: SigSet = SigSet((1 << Signal::Kill as u8) | (1 << Signal::Stop as u8));
    /// The stop signals: SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU.
    pub const STOP_SIGNALS: SigSet = SigSet(
        (1 << Signal::Stop as u8)
            | (1 << Signal::Tstp as u8)
            | (1 << Signal::Ttin as u8)
            | (1 << Signal::Ttou as u8),
    );

    /// The set holding just `signal`.
    pub const fn single(signal: Signal) -> SigSet {
        SigSet(1 << signal as u8)
    }

    /// Decodes an ABI mask (bit `n` = signal `n`). Bits that name no defined
    /// signal (bit 0, bits above 30) are dropped: compare [`SigSet::to_raw`]
    /// with the input to reject them instead.
    pub const fn from_raw(raw: u64) -> SigSet {
        SigSet(raw & VALID)
    }

    /// The ABI mask: bit `n` is set when signal `n` is in the set.
    pub const fn to_raw(self) -> u64 {
        self.0
    }

    /// Whether `signal` is in the set.
    pub const fn contains(self, signal: Signal) -> bool {
        self.0 & (1 << signal as u8) != 0
    }

    /// Adds `signal`; returns whether it was absent.
    pub fn insert(&mut self, signal: Signal) -> bool {
        let absent = !self.contains(signal);
        self.0 |= 1 << signal as u8;
        absent
    }

    /// Removes `signal`; returns whether it was present.
    pub fn remove(&mut self, signal: Signal) -> bool {
        let present = self.contains(signal);
        self.0 &= !(1 << signal as u8);
        present
    }

    /// Whether the set has no signals.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many signals the set holds.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The signals in either set.
    pub const fn union(self, other: SigSet) -> SigSet {
        SigSet(self.0 | other.0)
    }

    /// The signals in both sets.
    pub const fn intersection(self, other: SigSet) -> SigSet {
        SigSet(self.0 & other.0)
    }

    /// The signals in `self` but not in `other`.
    pub const fn difference(self, other: SigSet) -> SigSet {
        SigSet(self.0 & !other.0)
    }

    /// Every defined signal not in the set.
    pub const fn complement(self) -> SigSet {
        SigSet(!self.0 & VALID)
    }

    /// The lowest-numbered signal in the set.
    pub fn first(self) -> Option<Signal> {
        // trailing_zeros is at most 64, which fits a u8; from_raw rejects 64.
        Signal::from_raw(u8::try_from(self.0.trailing_zeros()).ok()?)
    }

    /// The signals in ascending numeric order.
    pub fn iter(self) -> Iter {
        Iter(self)
    }
}

impl From<Signal> for SigSet {
    fn from(signal: Signal) -> SigSet {
        SigSet::single(signal)
    }
}

impl BitOr for SigSet {
    type Output = SigSet;
    fn bitor(self, other: SigSet) -> SigSet {
        self.union(other)
    }
}

impl BitOrAssign for SigSet {
    fn bitor_assign(&mut self, other: SigSet) {
        *self = self.union(other);
    }
}

impl BitAnd for SigSet {
    type Output = SigSet;
    fn bitand(self, other: SigSet) -> SigSet {
        self.intersection(other)
    }
}

impl BitAndAssign for SigSet {
    fn bitand_assign(&mut self, other: SigSet) {
        *self = self.intersection(other);
    }
}

impl Sub for SigSet {
    type Output = SigSet;
    fn sub(self, other: SigSet) -> SigSet {
        self.difference(other)
    }
}

impl SubAssign for SigSet {
    fn sub_assign(&mut self, other: SigSet) {
        *self = self.difference(other);
    }
}

impl Not for SigSet {
    type Output = SigSet;
    fn not(self) -> SigSet {
        self.complement()
    }
}

impl FromIterator<Signal> for SigSet {
    fn from_iter<I: IntoIterator<Item = Signal>>(signals: I) -> SigSet {
        let mut set = SigSet::EMPTY;
        set.extend(signals);
        set
    }
}

impl Extend<Signal> for SigSet {
    fn extend<I: IntoIterator<Item = Signal>>(&mut self, signals: I) {
        for signal in signals {
            self.insert(signal);
        }
    }
}

impl IntoIterator for SigSet {
    type Item = Signal;
    type IntoIter = Iter;
    fn into_iter(self) -> Iter {
        self.iter()
    }
}

/// The signals of a [`SigSet`], lowest number first.
#[derive(Clone, Debug)]
pub struct Iter(SigSet);

impl Iterator for Iter {
    type Item = Signal;

    fn next(&mut self) -> Option<Signal> {
        let signal = self.0.first()?;
        self.0.remove(signal);
        Some(signal)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.0.len(), Some(self.0.len()))
    }
}

impl ExactSizeIterator for Iter {}

impl fmt::Debug for SigSet {
    /// Lists the names: `{INT, TERM}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(|signal| Bare(signal.name())))
            .finish()
    }
}

/// Debug-prints a name without quotes.
struct Bare(&'static str);

impl fmt::Debug for Bare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use std::format;
    use std::vec::Vec;

    use super::*;

    #[test]
    fn raw_mask_uses_bit_n_for_signal_n() {
        assert_eq!(SigSet::single(Signal::Hup).to_raw(), 1 << 1);
        assert_eq!(SigSet::single(Signal::Sys).to_raw(), 1 << 30);
        assert_eq!(SigSet::FULL.len(), Signal::ALL.len());
    }

    #[test]
    fn from_raw_drops_undefined_bits() {
        assert_eq!(SigSet::from_raw(u64::MAX), SigSet::FULL);
        assert_eq!(SigSet::from_raw(1), SigSet::EMPTY);
        assert_eq!(SigSet::from_raw(1 << 31 | 1 << 63), SigSet::EMPTY);
    }

    #[test]
    fn iteration_is_in_numeric_order() {
        let set: SigSet = [Signal::Term, Signal::Hup, Signal::Chld]
            .into_iter()
            .collect();
        let order: Vec<Signal> = set.iter().collect();
        assert_eq!(order, [Signal::Hup, Signal::Term, Signal::Chld]);
        assert_eq!(set.first(), Some(Signal::Hup));
        assert_eq!(SigSet::EMPTY.first(), None);
    }

    #[test]
    fn complement_stays_within_defined_signals() {
        assert_eq!(!SigSet::EMPTY, SigSet::FULL);
        assert_eq!(!SigSet::FULL, SigSet::EMPTY);
        let int = SigSet::single(Signal::Int);
        assert_eq!((!int).len(), Signal::ALL.len() - 1);
        assert!(!(!int).contains(Signal::Int));
    }

    #[test]
    fn insert_and_remove_report_change() {
        let mut set = SigSet::EMPTY;
        assert!(set.insert(Signal::Usr1));
        assert!(!set.insert(Signal::Usr1));
        assert!(set.remove(Signal::Usr1));
        assert!(!set.remove(Signal::Usr1));
        assert!(set.is_empty());
    }

    #[test]
    fn debug_lists_names() {
        let set = SigSet::single(Signal::Int) | SigSet::single(Signal::Term);
        assert_eq!(format!("{set:?}"), "{INT, TERM}");
    }
}
