//! Wasmux IPC: pipes, named FIFOs and AF_UNIX-style stream sockets, each
//! end a [`wasmux_fs::File`].
//!
//! # Why it is shaped this way
//!
//! Every object an fd can name implements one trait, [`File`], and fd
//! tables hold `Rc<OpenFile>`s; so a pipe end is just another `File`, and
//! dup, inheritance across spawn, `poll` and the blocking machinery of
//! `fd_read`/`fd_write` work on it unchanged. Ends live as long as their open
//! file description: the last `close` drops the end, and the peer learns of
//! it (EOF, EPIPE) through plain `Drop`.
//!
//! The kernel is one cooperative event loop, so nothing here waits: a
//! transfer that cannot proceed returns [`FsError::WouldBlock`] and leaves
//! no trace, the kernel parks the process and restarts the call later from
//! its original arguments. To restart only what may now succeed, objects
//! report changes by [`WaitKey`] through a [`Notify`] the kernel passes in
//! (see [`wake`] for the contract). State is `Rc<RefCell<_>>`: single-threaded
//! like the kernel.
//!
//! Bytes move through a bounded ring ([`PIPE_CAPACITY`]) with at most two
//! bulk copies per transfer, allocated on first use.
//!
//! # Invariants
//!
//! - No input panics and nothing is `unsafe`. No state stays borrowed
//!   across a call out (to a [`Notify`], or a drop), so borrows cannot
//!   conflict; were one to, it would come back as `FsError::Busy`.
//! - A pipe delivers exactly the bytes written, in order, once each.
//! - A write of at most [`PIPE_BUF`] bytes is all or nothing: it either
//!   returns its full length or `WouldBlock`, never a short count. A longer
//!   write returns what fits and blocks only when nothing fits.
//! - A failed transfer (`WouldBlock`, `BrokenPipe`) changes nothing, so
//!   restarting it is safe.
//! - A read returns 0 only for an empty buffer or when the pipe is empty and
//!   every writer that ever opened it is gone (or this socket end shut
//!   reading). A write fails with `BrokenPipe` only once every reader that
//!   ever opened it is gone (or the socket direction was shut down).
//! - At most [`PIPE_CAPACITY`] bytes are buffered per direction.
//! - A blocked waiter is never forgotten: after a `WouldBlock` or a `poll`,
//!   the next change that may unblock it notifies its object's key.
//!
//! # Example
//!
//! ```
//! use wasmux_fs::{Access, File, FsError, OpenFile, WritePos};
//! use wasmux_uapi::FdFlags;
//! use wasmux_ipc::{Ipc, PIPE_BUF};
//!
//! let ipc = Ipc::default();
//! let (reader, writer) = ipc.pipe();
//! let reader = OpenFile::new(Box::new(reader), Access::READ, FdFlags::empty());
//! let writer = OpenFile::new(Box::new(writer), Access::WRITE, FdFlags::empty());
//!
//! let mut buf = [0; 64];
//! assert_eq!(reader.read(&mut buf), Err(FsError::WouldBlock)); // a writer is alive
//! assert_eq!(writer.write(b"hello")?, 5);
//! assert_eq!(reader.read(&mut buf)?, 5);
//! assert_eq!(&buf[..5], b"hello");
//!
//! drop(writer); // the last fd of the write end closes
//! assert_eq!(reader.read(&mut buf)?, 0); // end of file
//!
//! let (reader, writer) = ipc.pipe();
//! drop(reader);
//! assert_eq!(writer.write(WritePos::Append, b"x"), Err(FsError::BrokenPipe));
//! # let _ = PIPE_BUF;
//! # Ok::<(), FsError>(())
//! ```
#![forbid(unsafe_code)]

mod attrs;
mod channel;
mod ipc;
mod listener;
mod pipe;
mod ring;
mod socket;
pub mod wake;

pub use ipc::Ipc;
pub use listener::Listener;
pub use pipe::PipeEnd;
pub use socket::SocketEnd;
pub use wake::{ChangeLog, Notify, WaitKey};

#[doc(no_inline)]
pub use wasmux_fs::{File, FsError};

/// Bytes a pipe (or one socket direction) buffers, as Linux's default.
pub const PIPE_CAPACITY: usize = 64 * 1024;

/// Writes of at most this many bytes are atomic (POSIX `PIPE_BUF`, as Linux).
pub const PIPE_BUF: usize = 4096;

/// The `dev` of every anonymous IPC object's `stat` (pipes, socket ends,
/// listeners). VFS mounts number their devs from 1, so it never collides.
pub const IPC_DEV: u64 = 0xffff_ffff_0000_0000;

/// The most connections a listener queues (`backlog` is clamped to it), as Linux.
pub const SOMAXCONN: usize = 4096;

/// The longest listener path, in bytes (`sun_path` is 108 bytes with its NUL).
pub const SOCKET_PATH_MAX: usize = 107;
