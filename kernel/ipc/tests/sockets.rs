//! Socket pairs and the listener registry.

#![allow(clippy::unwrap_used)]

use std::rc::Rc;

use wasmux_fs::{File, FsError, NodeKind, WritePos};
use wasmux_ipc::{ChangeLog, Ipc, PIPE_CAPACITY, SOCKET_PATH_MAX, SOMAXCONN, WaitKey};
use wasmux_uapi::SdFlags;

fn write(end: &dyn File, data: &[u8]) -> Result<usize, FsError> {
    end.write(WritePos::Append, data).map(|(count, _)| count)
}

fn read(end: &dyn File) -> Result<Vec<u8>, FsError> {
    let mut buf = vec![0; 256];
    let count = end.read(0, &mut buf)?;
    buf.truncate(count);
    Ok(buf)
}

#[test]
fn a_pair_carries_bytes_both_ways() {
    let (a, b) = Ipc::default().socket_pair();
    write(&a, b"ping").unwrap();
    write(&b, b"pong").unwrap();
    assert_eq!(read(&b).unwrap(), b"ping");
    assert_eq!(read(&a).unwrap(), b"pong");
    assert_eq!(read(&a), Err(FsError::WouldBlock));
}

#[test]
fn each_direction_buffers_its_own_capacity() {
    let (a, b) = Ipc::default().socket_pair();
    assert_eq!(
        write(&a, &vec![1; 2 * PIPE_CAPACITY]).unwrap(),
        PIPE_CAPACITY
    );
    assert_eq!(
        write(&b, &vec![2; 2 * PIPE_CAPACITY]).unwrap(),
        PIPE_CAPACITY
    );
    assert_eq!(a.stat().unwrap().size, PIPE_CAPACITY as u64);
}

#[test]
fn dropping_an_end_is_eof_and_broken_pipe_for_the_peer() {
    let (a, b) = Ipc::default().socket_pair();
    write(&a, b"bye").unwrap();
    drop(a);
    assert_eq!(read(&b).unwrap(), b"bye");
    assert_eq!(read(&b).unwrap(), b"");
    assert_eq!(write(&b, b"x"), Err(FsError::BrokenPipe));
    assert!(b.poll().hangup);
}

#[test]
fn shutdown_write_is_eof_for_the_peer_and_epipe_for_self() {
    let (a, b) = Ipc::default().socket_pair();
    write(&a, b"end").unwrap();
    a.shutdown(SdFlags::WR).unwrap();
    assert_eq!(write(&a, b"x"), Err(FsError::BrokenPipe));
    assert_eq!(read(&b).unwrap(), b"end");
    assert_eq!(read(&b).unwrap(), b"");
    write(&b, b"still open").unwrap();
    assert_eq!(read(&a).unwrap(), b"still open");
    assert!(!a.poll().hangup);
}

#[test]
fn shutdown_read_is_epipe_for_the_peer_and_eof_after_buffered_data() {
    let (a, b) = Ipc::default().socket_pair();
    write(&b, b"queued").unwrap();
    a.shutdown(SdFlags::RD).unwrap();
    assert_eq!(write(&b, b"x"), Err(FsError::BrokenPipe));
    assert_eq!(read(&a).unwrap(), b"queued");
    assert_eq!(read(&a).unwrap(), b"");
    write(&a, b"other way").unwrap();
    assert_eq!(read(&b).unwrap(), b"other way");
}

#[test]
fn shutting_down_both_ways_hangs_up() {
    let (a, _b) = Ipc::default().socket_pair();
    a.shutdown(SdFlags::RD | SdFlags::WR).unwrap();
    assert!(a.poll().hangup);
    assert_eq!(a.shutdown(SdFlags::empty()), Err(FsError::Invalid));
}

#[test]
fn stat_shows_sockets_with_an_inode_per_end() {
    let (a, b) = Ipc::default().socket_pair();
    let (meta_a, meta_b) = (a.stat().unwrap(), b.stat().unwrap());
    assert_eq!(meta_a.kind, NodeKind::Socket);
    assert_ne!(meta_a.ino, meta_b.ino);
    assert_eq!(WaitKey::of(&meta_a), a.wait_key());
    assert_eq!(a.peer_key(), b.wait_key());
    assert!(!a.is_seekable());
}

#[test]
fn the_kernel_shuts_down_an_end_through_its_file() {
    let ipc = Ipc::default();
    let (a, b) = ipc.socket_pair();
    let boxed: Box<dyn File> = Box::new(a);
    ipc.shutdown(boxed.as_ref(), SdFlags::WR).unwrap();
    assert_eq!(read(&b).unwrap(), b"");
    let (reader, _writer) = ipc.pipe();
    assert_eq!(
        ipc.shutdown(&reader, SdFlags::WR),
        Err(FsError::NotSupported)
    );
    drop(b);
    assert!(ipc.shutdown(boxed.as_ref(), SdFlags::RD).is_ok());
}

#[test]
fn a_change_notifies_both_ends_keys() {
    let log = Rc::new(ChangeLog::new());
    let ipc = Ipc::new(log.clone(), Rc::new(wasmux_fs::FakeClock::new(0)));
    let (a, b) = ipc.socket_pair();
    assert_eq!(read(&b), Err(FsError::WouldBlock));
    log.take();
    write(&a, b"x").unwrap();
    let keys = log.take();
    assert!(keys.contains(&a.wait_key()) && keys.contains(&b.wait_key()));
}

#[test]
fn connect_then_accept_joins_the_ends() {
    let ipc = Ipc::default();
    let listener = ipc.listen(b"/run/wds.sock", 4).unwrap();
    let client = ipc.connect(b"/run/wds.sock").unwrap();
    write(&client, b"hello before accept").unwrap();
    assert!(listener.poll().readable);
    let server = ipc.accept(&listener).unwrap();
    assert_eq!(read(&server).unwrap(), b"hello before accept");
    write(&server, b"welcome").unwrap();
    assert_eq!(read(&client).unwrap(), b"welcome");
    assert_eq!(listener.accept().unwrap_err(), FsError::WouldBlock);
}

#[test]
fn connect_to_an_unbound_path_is_not_found() {
    let ipc = Ipc::default();
    assert_eq!(ipc.connect(b"/nobody").unwrap_err(), FsError::NotFound);
    let listener = ipc.listen(b"/gone", 1).unwrap();
    drop(listener);
    assert_eq!(ipc.connect(b"/gone").unwrap_err(), FsError::NotFound);
}

#[test]
fn a_bound_path_is_taken_until_its_listener_drops() {
    let ipc = Ipc::default();
    let listener = ipc.listen(b"/s", 1).unwrap();
    assert_eq!(ipc.listen(b"/s", 1).unwrap_err(), FsError::Exists);
    drop(listener);
    assert!(ipc.listen(b"/s", 1).is_ok());
}

#[test]
fn bad_paths_are_refused() {
    let ipc = Ipc::default();
    assert_eq!(ipc.listen(b"", 1).unwrap_err(), FsError::Invalid);
    let long = vec![b'a'; SOCKET_PATH_MAX + 1];
    assert_eq!(ipc.listen(&long, 1).unwrap_err(), FsError::NameTooLong);
    let listener = ipc.listen(&long[1..], usize::MAX).unwrap();
    for _ in 0..SOMAXCONN {
        ipc.connect(&long[1..]).unwrap();
    }
    assert_eq!(ipc.connect(&long[1..]).unwrap_err(), FsError::WouldBlock);
    drop(listener);
}

#[test]
fn a_full_backlog_blocks_connect_until_accept_makes_room() {
    let log = Rc::new(ChangeLog::new());
    let ipc = Ipc::new(log.clone(), Rc::new(wasmux_fs::FakeClock::new(0)));
    let listener = ipc.listen(b"/s", 0).unwrap(); // clamped to 1
    let _first = ipc.connect(b"/s").unwrap();
    assert_eq!(ipc.connect(b"/s").unwrap_err(), FsError::WouldBlock);
    log.take();
    let _served = listener.accept().unwrap();
    assert!(log.take().contains(&ipc.listener_key(b"/s").unwrap()));
    assert!(ipc.connect(b"/s").is_ok());
}

#[test]
fn dropping_a_listener_disconnects_its_unaccepted_clients() {
    let ipc = Ipc::default();
    let listener = ipc.listen(b"/s", 8).unwrap();
    let client = ipc.connect(b"/s").unwrap();
    drop(listener);
    assert_eq!(read(&client).unwrap(), b"");
    assert_eq!(write(&client, b"x"), Err(FsError::BrokenPipe));
}

#[test]
fn accept_needs_a_listener() {
    let ipc = Ipc::default();
    let (a, _b) = ipc.socket_pair();
    assert_eq!(ipc.accept(&a).unwrap_err(), FsError::Invalid);
    let listener = ipc.listen(b"/s", 1).unwrap();
    assert_eq!(
        ipc.shutdown(&listener, SdFlags::RD),
        Err(FsError::NotSupported)
    );
    assert_eq!(listener.read(0, &mut [0; 1]), Err(FsError::Invalid));
    assert_eq!(listener.stat().unwrap().kind, NodeKind::Socket);
}
