//! Enumerations and identifiers of `wasi_snapshot_preview1`.

macro_rules! wasi_enum {
    ($(#[$doc:meta])* $name:ident: $repr:ty { $( $variant:ident = $value:literal, )* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr($repr)]
        pub enum $name {
            $( $variant = $value, )*
        }

        impl $name {
            /// Decodes a raw value; `None` when it names no variant.
            pub fn from_raw(raw: $repr) -> Option<Self> {
                match raw {
                    $( $value => Some(Self::$variant), )*
                    _ => None,
                }
            }

            /// The raw value.
            pub fn raw(self) -> $repr {
                self as $repr
            }
        }
    };
}

wasi_enum! {
    /// The type of a file (`filetype`).
    FileType: u8 {
        Unknown = 0,
        BlockDevice = 1,
        CharacterDevice = 2,
        Directory = 3,
        RegularFile = 4,
        SocketDgram = 5,
        SocketStream = 6,
        SymbolicLink = 7,
    }
}

wasi_enum! {
    /// Reference point of a seek (`whence`).
    Whence: u8 {
        Set = 0,
        Cur = 1,
        End = 2,
    }
}

wasi_enum! {
    /// Access-pattern advice (`advice`).
    Advice: u8 {
        Normal = 0,
        Sequential = 1,
        Random = 2,
        WillNeed = 3,
        DontNeed = 4,
        NoReuse = 5,
    }
}

wasi_enum! {
    /// Clock identifiers (`clockid`).
    ClockId: u32 {
        Realtime = 0,
        Monotonic = 1,
        ProcessCputime = 2,
        ThreadCputime = 3,
    }
}

wasi_enum! {
    /// Kinds of `poll_oneoff` subscriptions (`eventtype`).
    EventType: u8 {
        Clock = 0,
        FdRead = 1,
        FdWrite = 2,
    }
}

wasi_enum! {
    /// Kinds of preopened resources (`preopentype`).
    PreopenType: u8 {
        Dir = 0,
    }
}

/// A file descriptor number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fd(pub u32);

/// A process id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pid(pub u32);

/// A point in time or a duration in nanoseconds (`timestamp`).
pub type Timestamp = u64;

/// An opaque position in a directory stream (`dircookie`); 0 is the start.
pub type DirCookie = u64;

/// Exit code of a process (`exitcode`).
pub type ExitCode = u32;
