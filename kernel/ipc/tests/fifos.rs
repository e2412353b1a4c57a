//! Named FIFOs: every open of one node shares a pipe while any end is open.

#![allow(clippy::unwrap_used)]

use wasmux_fs::{Access, File, FsError, InodeId, Metadata, NodeKind, WritePos};
use wasmux_ipc::{ChangeLog, Ipc, WaitKey};

fn node(ino: u64) -> Metadata {
    Metadata {
        dev: 1,
        ino: InodeId(ino),
        kind: NodeKind::Fifo,
        mode: 0o644,
        nlink: 1,
        uid: 1000,
        gid: 1000,
        size: 0,
        rdev: 0,
        atime: 0,
        mtime: 0,
        ctime: 0,
    }
}

fn write(end: &dyn File, data: &[u8]) -> Result<usize, FsError> {
    end.write(WritePos::Append, data).map(|(count, _)| count)
}

#[test]
fn opens_of_one_node_share_a_pipe() {
    let ipc = Ipc::default();
    let writer = ipc.open_fifo(&node(7), Access::WRITE).unwrap();
    let reader = ipc.open_fifo(&node(7), Access::READ).unwrap();
    let stranger = ipc.open_fifo(&node(8), Access::READ).unwrap();
    write(&writer, b"via the node").unwrap();
    let mut buf = [0; 32];
    assert_eq!(reader.read(0, &mut buf).unwrap(), 12);
    assert_eq!(stranger.read(0, &mut buf), Err(FsError::WouldBlock));
}

#[test]
fn stat_and_wait_key_are_the_nodes() {
    let ipc = Ipc::default();
    let reader = ipc.open_fifo(&node(7), Access::READ).unwrap();
    let meta = reader.stat().unwrap();
    assert_eq!(
        (meta.dev, meta.ino, meta.mode, meta.uid),
        (1, InodeId(7), 0o644, 1000)
    );
    assert_eq!(reader.wait_key(), WaitKey { dev: 1, ino: 7 });
}

#[test]
fn reader_opened_first_waits_for_a_writer_instead_of_eof() {
    let ipc = Ipc::default();
    let reader = ipc.open_fifo(&node(7), Access::READ).unwrap();
    assert_eq!(reader.read(0, &mut [0; 4]), Err(FsError::WouldBlock));
    assert!(!reader.poll().readable && !reader.poll().hangup);
    let writer = ipc.open_fifo(&node(7), Access::WRITE).unwrap();
    drop(writer);
    assert_eq!(reader.read(0, &mut [0; 4]).unwrap(), 0);
}

#[test]
fn writer_opened_first_waits_for_a_reader_instead_of_epipe() {
    let ipc = Ipc::default();
    let writer = ipc.open_fifo(&node(7), Access::WRITE).unwrap();
    assert_eq!(write(&writer, b"x"), Err(FsError::WouldBlock));
    assert!(!writer.poll().writable);
    let reader = ipc.open_fifo(&node(7), Access::READ).unwrap();
    assert_eq!(write(&writer, b"x").unwrap(), 1);
    drop(reader);
    assert_eq!(write(&writer, b"x"), Err(FsError::BrokenPipe));
}

#[test]
fn opening_an_end_wakes_the_peer_waiting_for_it() {
    let log = std::rc::Rc::new(ChangeLog::new());
    let ipc = Ipc::new(log.clone(), std::rc::Rc::new(wasmux_fs::FakeClock::new(0)));
    let reader = ipc.open_fifo(&node(7), Access::READ).unwrap();
    assert_eq!(reader.read(0, &mut [0; 4]), Err(FsError::WouldBlock));
    log.take();
    let _writer = ipc.open_fifo(&node(7), Access::WRITE).unwrap();
    assert!(log.take().contains(&WaitKey { dev: 1, ino: 7 }));
}

#[test]
fn reopening_after_the_last_close_starts_empty() {
    let ipc = Ipc::default();
    let both = ipc.open_fifo(&node(7), Access::READ_WRITE).unwrap();
    write(&both, b"forgotten").unwrap();
    drop(both);
    let reader = ipc.open_fifo(&node(7), Access::READ).unwrap();
    assert_eq!(reader.stat().unwrap().size, 0);
    assert_eq!(reader.read(0, &mut [0; 16]), Err(FsError::WouldBlock));
}

#[test]
fn a_read_write_open_never_sees_eof_or_epipe() {
    let ipc = Ipc::default();
    let both = ipc.open_fifo(&node(7), Access::READ_WRITE).unwrap();
    assert_eq!(both.read(0, &mut [0; 4]), Err(FsError::WouldBlock));
    assert_eq!(write(&both, b"loop").unwrap(), 4);
    assert_eq!(both.read(0, &mut [0; 4]).unwrap(), 4);
    assert!(!both.poll().hangup);
}

#[test]
fn eof_waits_for_every_writer() {
    let ipc = Ipc::default();
    let reader = ipc.open_fifo(&node(7), Access::READ).unwrap();
    let first = ipc.open_fifo(&node(7), Access::WRITE).unwrap();
    let second = ipc.open_fifo(&node(7), Access::WRITE).unwrap();
    drop(first);
    assert_eq!(reader.read(0, &mut [0; 4]), Err(FsError::WouldBlock));
    drop(second);
    assert_eq!(reader.read(0, &mut [0; 4]).unwrap(), 0);
}

#[test]
fn opening_something_else_is_invalid() {
    let mut regular = node(7);
    regular.kind = NodeKind::Regular;
    let error = Ipc::default()
        .open_fifo(&regular, Access::READ)
        .unwrap_err();
    assert_eq!(error, FsError::Invalid);
}

#[test]
fn an_open_with_no_access_neither_reads_nor_writes() {
    let ipc = Ipc::default();
    let handle = ipc.open_fifo(&node(7), Access::NONE).unwrap();
    assert_eq!(handle.read(0, &mut [0; 1]), Err(FsError::BadAccess));
    assert_eq!(write(&handle, b"x"), Err(FsError::BadAccess));
    assert_eq!(handle.stat().unwrap().kind, NodeKind::Fifo);
}
