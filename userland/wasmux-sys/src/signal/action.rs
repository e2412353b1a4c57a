//! What a signal does: [`SigAction`] and its 24-byte ABI record
//! `{ kind: u32, handler: u32, mask: u64, flags: u32, pad: u32 }`.

use std::fmt;
use std::io;

use wasmux_uapi::wasmux::sigaction as sa;

use super::SigSet;

pub(crate) const RECORD_SIZE: usize = sa::SIZE as usize;

/// A signal handler: called with the signal number.
pub type HandlerFn = extern "C" fn(i32);

/// What happens when a signal arrives.
#[derive(Clone, Copy)]
pub enum Handler {
    /// The signal's default action (end, stop, continue or nothing).
    Default,
    /// Nothing.
    Ignore,
    /// This function runs (see `sigaction`'s safety section).
    Function(HandlerFn),
}

/// Handlers are equal when they are the same table entry: in wasm32 each
/// function has one index, so that compares the functions.
impl PartialEq for Handler {
    fn eq(&self, other: &Handler) -> bool {
        match (self, other) {
            (Handler::Default, Handler::Default) | (Handler::Ignore, Handler::Ignore) => true,
            (Handler::Function(left), Handler::Function(right)) => {
                table_index(*left) == table_index(*right)
            }
            _ => false,
        }
    }
}

impl Eq for Handler {}

impl fmt::Debug for Handler {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Handler::Default => formatter.write_str("Default"),
            Handler::Ignore => formatter.write_str("Ignore"),
            Handler::Function(function) => {
                write!(formatter, "Function({:#x})", table_index(*function))
            }
        }
    }
}

bitflags::bitflags! {
    /// `sigaction` flags (Linux values).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct SaFlags: u32 {
        /// SIGCHLD is not sent when a child stops or continues.
        const NOCLDSTOP = sa::NOCLDSTOP;
        /// Children do not become zombies (SIGCHLD only).
        const NOCLDWAIT = sa::NOCLDWAIT;
        /// A blocking call the handler interrupted restarts instead of
        /// failing with `EINTR`.
        const RESTART = sa::RESTART;
        /// The signal is not blocked while its handler runs.
        const NODEFER = sa::NODEFER;
        /// The disposition goes back to default once the handler runs.
        const RESETHAND = sa::RESETHAND;
    }
}

/// A signal's disposition: the handler, the signals blocked while it runs
/// (besides the signal itself), and flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigAction {
    pub handler: Handler,
    pub mask: SigSet,
    pub flags: SaFlags,
}

impl SigAction {
    /// `handler` with an empty mask and no flags.
    pub fn new(handler: Handler) -> SigAction {
        SigAction {
            handler,
            mask: SigSet::EMPTY,
            flags: SaFlags::empty(),
        }
    }

    /// The ABI record.
    pub(crate) fn encode(&self) -> [u8; RECORD_SIZE] {
        let mut record = [0u8; RECORD_SIZE];
        let (kind, handler) = match self.handler {
            Handler::Default => (sa::KIND_DEFAULT, 0),
            Handler::Ignore => (sa::KIND_IGNORE, 0),
            Handler::Function(function) => (sa::KIND_HANDLER, table_index(function)),
        };
        put(&mut record, sa::KIND, &kind.to_le_bytes());
        put(&mut record, sa::HANDLER, &handler.to_le_bytes());
        put(&mut record, sa::MASK, &self.mask.raw().to_le_bytes());
        put(&mut record, sa::FLAGS, &self.flags.bits().to_le_bytes());
        record
    }

    /// Reads the record the kernel wrote.
    pub(crate) fn decode(record: &[u8; RECORD_SIZE]) -> io::Result<SigAction> {
        let word = |at: u32| {
            let at = at as usize;
            u32::from_le_bytes([record[at], record[at + 1], record[at + 2], record[at + 3]])
        };
        let at = sa::MASK as usize;
        let mut mask = [0u8; 8];
        mask.copy_from_slice(&record[at..at + 8]);
        let bad =
            |what: &str| io::Error::new(io::ErrorKind::InvalidData, format!("sigaction: {what}"));
        let handler = match word(sa::KIND) {
            sa::KIND_DEFAULT => Handler::Default,
            sa::KIND_IGNORE => Handler::Ignore,
            sa::KIND_HANDLER => Handler::Function(
                function_at(word(sa::HANDLER)).ok_or_else(|| bad("a handler at table index 0"))?,
            ),
            _ => return Err(bad("unknown kind")),
        };
        Ok(SigAction {
            handler,
            mask: SigSet::from_raw(u64::from_le_bytes(mask)),
            flags: SaFlags::from_bits_retain(word(sa::FLAGS)),
        })
    }
}

fn put(record: &mut [u8; RECORD_SIZE], at: u32, bytes: &[u8]) {
    let at = at as usize;
    record[at..at + bytes.len()].copy_from_slice(bytes);
}

/// A function pointer's value in wasm32 is its index in the function table,
/// which is what the kernel hands back to the trampoline.
fn table_index(function: HandlerFn) -> u32 {
    function as usize as u32
}

/// The handler at table `index`; `None` for 0 (the null entry) and on
/// targets where a function pointer is not a table index.
pub(crate) fn function_at(index: u32) -> Option<HandlerFn> {
    #[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
    {
        if index == 0 {
            return None;
        }
        // SAFETY: in wasm32 a function pointer is a table index, and the
        // kernel only hands back indices this program registered through
        // `table_index`. Even a wrong one cannot corrupt memory: wasm's
        // call_indirect checks the entry's type and traps on a mismatch.
        Some(unsafe { std::mem::transmute::<usize, HandlerFn>(index as usize) })
    }
    #[cfg(not(all(target_arch = "wasm32", target_os = "wasi")))]
    {
        let _ = index;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmux_uapi::Signal;

    #[test]
    fn records_carry_kind_mask_and_flags_at_the_abi_offsets() {
        let action = SigAction {
            handler: Handler::Ignore,
            mask: SigSet::of(Signal::Term),
            flags: SaFlags::RESTART | SaFlags::NOCLDSTOP,
        };
        let record = action.encode();
        assert_eq!(record[0..4], sa::KIND_IGNORE.to_le_bytes());
        assert_eq!(record[4..8], [0; 4]);
        assert_eq!(record[8..16], (1u64 << 15).to_le_bytes());
        assert_eq!(record[16..20], (0x1000_0000u32 | 1).to_le_bytes());
        assert_eq!(SigAction::decode(&record).unwrap(), action);
    }

    #[test]
    fn default_round_trips_and_bad_kinds_are_errors() {
        let action = SigAction::new(Handler::Default);
        assert_eq!(SigAction::decode(&action.encode()).unwrap(), action);
        let mut record = action.encode();
        record[0] = 9;
        assert!(SigAction::decode(&record).is_err());
        record[0] = sa::KIND_HANDLER as u8;
        assert!(SigAction::decode(&record).is_err(), "handler index 0");
    }
}
