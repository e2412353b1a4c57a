//! Signal numbers (`signal` of `wasi_snapshot_preview1`, which the `wasmux`
//! extension module shares).

macro_rules! wasi_signal {
    ($( $name:ident = $value:literal, )*) => {
        /// A signal. 0 ("no signal") is not a variant.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Signal {
            $( $name = $value, )*
        }

        impl Signal {
            /// Every signal, in numeric order.
            pub const ALL: &'static [Signal] = &[$(Signal::$name,)*];

            /// Decodes a raw signal number.
            pub fn from_raw(raw: u8) -> Option<Signal> {
                match raw {
                    $( $value => Some(Signal::$name), )*
                    _ => None,
                }
            }

            /// The signal's conventional name without the `SIG` prefix, in upper case.
            pub fn name(self) -> &'static str {
                match self {
                    $( Signal::$name => wasi_signal!(@upper $name), )*
                }
            }
        }
    };
    (@upper $name:ident) => {{
        // Names are short; build the upper-case spelling at compile time.
        const NAME: &str = stringify!($name);
        const LEN: usize = NAME.len();
        const UPPER: [u8; LEN] = {
            let bytes = NAME.as_bytes();
            let mut out = [0u8; LEN];
            let mut i = 0;
            while i < LEN {
                out[i] = bytes[i].to_ascii_uppercase();
                i += 1;
            }
            out
        };
        match core::str::from_utf8(&UPPER) {
            Ok(name) => name,
            Err(_) => NAME,
        }
    }};
}

wasi_signal! {
    Hup = 1,
    Int = 2,
    Quit = 3,
    Ill = 4,
    Trap = 5,
    Abrt = 6,
    Bus = 7,
    Fpe = 8,
    Kill = 9,
    Usr1 = 10,
    Segv = 11,
    Usr2 = 12,
    Pipe = 13,
    Alrm = 14,
    Term = 15,
    Chld = 16,
    Cont = 17,
    Stop = 18,
    Tstp = 19,
    Ttin = 20,
    Ttou = 21,
    Urg = 22,
    Xcpu = 23,
    Xfsz = 24,
    Vtalrm = 25,
    Prof = 26,
    Winch = 27,
    Poll = 28,
    Pwr = 29,
    Sys = 30,
}

impl Signal {
    /// The raw signal number.
    pub fn raw(self) -> u8 {
        self as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_upper_case() {
        assert_eq!(Signal::Int.name(), "INT");
        assert_eq!(Signal::Vtalrm.name(), "VTALRM");
    }

    #[test]
    fn raw_round_trips() {
        for &signal in Signal::ALL {
            assert_eq!(Signal::from_raw(signal.raw()), Some(signal));
        }
        assert_eq!(Signal::from_raw(0), None);
        assert_eq!(Signal::from_raw(31), None);
    }
}
