//! WASI errno values (`wasi_snapshot_preview1`'s `errno` enum).

use core::fmt;

macro_rules! errnos {
    ($( $(#[$doc:meta])* $name:ident = $value:literal, $message:literal; )*) => {
        /// An error number with WASI's numbering.
        ///
        /// `Success` is not a variant: success is `Ok(_)`. Errno only
        /// appears at the ABI edge and in the few kernel interfaces that
        /// already speak POSIX.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u16)]
        pub enum Errno {
            $( $(#[$doc])* $name = $value, )*
        }

        impl Errno {
            /// Every errno, in numeric order.
            pub const ALL: &'static [Errno] = &[$(Errno::$name,)*];

            /// The errno with this number, if WASI defines one (0 is success, not an errno).
            pub fn from_raw(raw: u16) -> Option<Errno> {
                match raw {
                    $( $value => Some(Errno::$name), )*
                    _ => None,
                }
            }

            /// The conventional one-line description, as `strerror` gives it.
            pub fn message(self) -> &'static str {
                match self {
                    $( Errno::$name => $message, )*
                }
            }
        }
    };
}

errnos! {
    TooBig = 1, "Argument list too long";
    Access = 2, "Permission denied";
    AddrInUse = 3, "Address in use";
    AddrNotAvail = 4, "Address not available";
    AfNoSupport = 5, "Address family not supported by protocol";
    Again = 6, "Resource temporarily unavailable";
    Already = 7, "Operation already in progress";
    BadF = 8, "Bad file descriptor";
    BadMsg = 9, "Bad message";
    Busy = 10, "Device or resource busy";
    Canceled = 11, "Operation canceled";
    Child = 12, "No child process";
    ConnAborted = 13, "Connection aborted";
    ConnRefused = 14, "Connection refused";
    ConnReset = 15, "Connection reset by peer";
    DeadLk = 16, "Resource deadlock would occur";
    DestAddrReq = 17, "Destination address required";
    Dom = 18, "Domain error";
    DQuot = 19, "Quota exceeded";
    Exist = 20, "File exists";
    Fault = 21, "Bad address";
    FBig = 22, "File too large";
    HostUnreach = 23, "Host is unreachable";
    IdRm = 24, "Identifier removed";
    IlSeq = 25, "Illegal byte sequence";
    InProgress = 26, "Operation in progress";
    Intr = 27, "Interrupted system call";
    Inval = 28, "Invalid argument";
    Io = 29, "I/O error";
    IsConn = 30, "Socket is connected";
    IsDir = 31, "Is a directory";
    Loop = 32, "Symbolic link loop";
    MFile = 33, "No file descriptors available";
    MLink = 34, "Too many links";
    MsgSize = 35, "Message too large";
    MultiHop = 36, "Multihop attempted";
    NameTooLong = 37, "Filename too long";
    NetDown = 38, "Network is down";
    NetReset = 39, "Connection reset by network";
    NetUnreach = 40, "Network unreachable";
    NFile = 41, "Too many open files in system";
    NoBufs = 42, "No buffer space available";
    NoDev = 43, "No such device";
    NoEnt = 44, "No such file or directory";
    NoExec = 45, "Exec format error";
    NoLck = 46, "No locks available";
    NoLink = 47, "Link has been severed";
    NoMem = 48, "Out of memory";
    NoMsg = 49, "No message of desired type";
    NoProtoOpt = 50, "Protocol not available";
    NoSpc = 51, "No space left on device";
    NoSys = 52, "Function not implemented";
    NotConn = 53, "Socket not connected";
    NotDir = 54, "Not a directory";
    NotEmpty = 55, "Directory not empty";
    NotRecoverable = 56, "State not recoverable";
    NotSock = 57, "Not a socket";
    NotSup = 58, "Not supported";
    NoTty = 59, "Not a tty";
    NxIo = 60, "No such device or address";
    Overflow = 61, "Value too large for data type";
    OwnerDead = 62, "Previous owner died";
    Perm = 63, "Operation not permitted";
    Pipe = 64, "Broken pipe";
    Proto = 65, "Protocol error";
    ProtoNoSupport = 66, "Protocol not supported";
    ProtoType = 67, "Protocol wrong type for socket";
    Range = 68, "Result not representable";
    RoFs = 69, "Read-only file system";
    SPipe = 70, "Invalid seek";
    Srch = 71, "No such process";
    Stale = 72, "Stale file handle";
    TimedOut = 73, "Operation timed out";
    TxtBsy = 74, "Text file busy";
    XDev = 75, "Cross-device link";
    NotCapable = 76, "Capabilities insufficient";
}

impl Errno {
    /// The raw WASI number.
    pub fn raw(self) -> u16 {
        self as u16
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for Errno {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_matches_wasi() {
        assert_eq!(Errno::TooBig.raw(), 1);
        assert_eq!(Errno::BadF.raw(), 8);
        assert_eq!(Errno::NoEnt.raw(), 44);
        assert_eq!(Errno::NotCapable.raw(), 76);
    }

    #[test]
    fn from_raw_round_trips_every_errno() {
        assert_eq!(Errno::ALL.len(), 76);
        for &errno in Errno::ALL {
            assert_eq!(Errno::from_raw(errno.raw()), Some(errno));
        }
        assert_eq!(Errno::from_raw(0), None);
        assert_eq!(Errno::from_raw(77), None);
    }
}
