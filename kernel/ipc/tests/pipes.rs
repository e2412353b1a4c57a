//! Pipe behaviours, one test each, through the `File` and `OpenFile` APIs
//! the kernel uses.

#![allow(clippy::unwrap_used)]

use std::rc::Rc;

use wasmux_fs::{Access, File, FsError, NodeKind, OpenFile, SeekFrom, SetAttr, WritePos};
use wasmux_ipc::{ChangeLog, IPC_DEV, Ipc, PIPE_BUF, PIPE_CAPACITY, WaitKey};
use wasmux_uapi::FdFlags;

fn open_pipe(ipc: &Ipc) -> (Rc<OpenFile>, Rc<OpenFile>) {
    let (reader, writer) = ipc.pipe();
    (
        Rc::new(OpenFile::new(
            Box::new(reader),
            Access::READ,
            FdFlags::empty(),
        )),
        Rc::new(OpenFile::new(
            Box::new(writer),
            Access::WRITE,
            FdFlags::empty(),
        )),
    )
}

fn ipc_with_log() -> (Ipc, Rc<ChangeLog>) {
    let log = Rc::new(ChangeLog::new());
    let clock = Rc::new(wasmux_fs::FakeClock::new(1_000));
    (Ipc::new(log.clone(), clock), log)
}

#[test]
fn read_after_writers_close_is_eof() {
    let (reader, writer) = open_pipe(&Ipc::default());
    writer.write(b"last words").unwrap();
    drop(writer);
    let mut buf = [0; 4];
    assert_eq!(reader.read(&mut buf).unwrap(), 4);
    assert_eq!(reader.read(&mut buf).unwrap(), 4);
    assert_eq!(reader.read(&mut buf).unwrap(), 2);
    assert_eq!(reader.read(&mut buf).unwrap(), 0);
    assert_eq!(reader.read(&mut buf).unwrap(), 0);
}

#[test]
fn read_from_empty_pipe_with_a_writer_would_block() {
    let (reader, _writer) = open_pipe(&Ipc::default());
    assert_eq!(reader.read(&mut [0; 8]), Err(FsError::WouldBlock));
}

#[test]
fn read_returns_what_is_available() {
    let (reader, writer) = open_pipe(&Ipc::default());
    writer.write(b"abc").unwrap();
    let mut buf = [0; 100];
    assert_eq!(reader.read(&mut buf).unwrap(), 3);
    assert_eq!(&buf[..3], b"abc");
}

#[test]
fn small_writes_are_atomic_when_full() {
    let (reader, writer) = open_pipe(&Ipc::default());
    let fill = vec![1; PIPE_CAPACITY - 100];
    assert_eq!(writer.write(&fill).unwrap(), fill.len());
    assert_eq!(writer.write(&[2; 101]), Err(FsError::WouldBlock));
    assert_eq!(writer.write(&[3; 100]).unwrap(), 100);
    assert_eq!(writer.write(&[4; 1]), Err(FsError::WouldBlock));
    assert_eq!(reader.stat().unwrap().size, PIPE_CAPACITY as u64);
}

#[test]
fn large_writes_are_short_when_partly_full() {
    let (_reader, writer) = open_pipe(&Ipc::default());
    writer.write(&vec![0; PIPE_CAPACITY - 5000]).unwrap();
    let large = vec![1; 2 * PIPE_BUF + 1000];
    assert_eq!(writer.write(&large).unwrap(), 5000);
}

#[test]
fn large_write_blocks_only_when_nothing_fits() {
    let (reader, writer) = open_pipe(&Ipc::default());
    assert_eq!(writer.write(&vec![0; 100_000]).unwrap(), PIPE_CAPACITY);
    assert_eq!(writer.write(&vec![0; 100_000]), Err(FsError::WouldBlock));
    reader.read(&mut [0; 10]).unwrap();
    assert_eq!(writer.write(&vec![0; 100_000]).unwrap(), 10);
}

#[test]
fn write_without_reader_is_broken_pipe() {
    let (reader, writer) = open_pipe(&Ipc::default());
    drop(reader);
    assert_eq!(writer.write(b"x"), Err(FsError::BrokenPipe));
    assert_eq!(writer.write(&vec![0; 100_000]), Err(FsError::BrokenPipe));
}

#[test]
fn empty_transfers_return_zero() {
    let (reader, writer) = open_pipe(&Ipc::default());
    assert_eq!(reader.read(&mut []).unwrap(), 0);
    assert_eq!(writer.write(&[]).unwrap(), 0);
    drop(reader);
    assert_eq!(writer.write(&[]).unwrap(), 0);
}

#[test]
fn an_end_stays_open_while_any_dup_of_it_does() {
    let (reader, writer) = open_pipe(&Ipc::default());
    let dup = writer.clone(); // dup(2) and spawn share the description
    drop(writer);
    assert_eq!(reader.read(&mut [0; 8]), Err(FsError::WouldBlock));
    dup.write(b"hi").unwrap();
    drop(dup);
    assert_eq!(reader.read(&mut [0; 8]).unwrap(), 2);
    assert_eq!(reader.read(&mut [0; 8]).unwrap(), 0);
}

#[test]
fn ends_refuse_the_other_direction() {
    let (reader, writer) = Ipc::default().pipe();
    assert_eq!(
        reader.write(WritePos::Append, b"x"),
        Err(FsError::BadAccess)
    );
    assert_eq!(writer.read(0, &mut [0; 1]), Err(FsError::BadAccess));
}

#[test]
fn pipes_are_not_seekable() {
    let (reader, writer) = open_pipe(&Ipc::default());
    assert!(!reader.file().is_seekable());
    assert_eq!(reader.seek(SeekFrom::Start(0)), Err(FsError::NotSeekable));
    assert_eq!(writer.write_at(0, b"x"), Err(FsError::NotSeekable));
    writer.write(b"ab").unwrap();
    assert_eq!(reader.tell(), 0);
}

#[test]
fn stat_shows_a_fifo_with_its_own_inode_and_buffered_size() {
    let ipc = Ipc::default();
    let (reader, writer) = ipc.pipe();
    let (other, _) = ipc.pipe();
    writer.write(WritePos::Append, b"12345").unwrap();
    let meta = reader.stat().unwrap();
    assert_eq!(meta.kind, NodeKind::Fifo);
    assert_eq!(meta.mode, 0o600);
    assert_eq!(meta.size, 5);
    assert_eq!(meta.dev, IPC_DEV);
    assert_eq!(writer.stat().unwrap().ino, meta.ino);
    assert_ne!(other.stat().unwrap().ino, meta.ino);
    assert_eq!(WaitKey::of(&meta), reader.wait_key());
}

#[test]
fn set_attr_changes_owner_and_mode_but_not_size() {
    let (ipc, _) = ipc_with_log();
    let (reader, writer) = ipc.pipe();
    let owner = SetAttr {
        uid: Some(1000),
        gid: Some(100),
        mode: Some(0o640),
        ..SetAttr::default()
    };
    reader.set_attr(&owner).unwrap();
    let meta = writer.stat().unwrap();
    assert_eq!((meta.uid, meta.gid, meta.mode), (1000, 100, 0o640));
    assert_eq!(meta.mtime, 1_000);
    let truncate = SetAttr {
        size: Some(0),
        ..SetAttr::default()
    };
    assert_eq!(writer.set_attr(&truncate), Err(FsError::Invalid));
    assert_eq!(writer.sync(), Err(FsError::Invalid));
}

#[test]
fn poll_reports_data_room_and_hangup() {
    let (reader, writer) = open_pipe(&Ipc::default());
    let idle = reader.poll();
    assert!(!idle.readable && !idle.hangup);
    assert!(writer.poll().writable);
    assert_eq!(writer.poll().write_bytes, PIPE_CAPACITY as u64);
    writer.write(b"abc").unwrap();
    assert!(reader.poll().readable);
    assert_eq!(reader.poll().read_bytes, 3);
    drop(writer);
    let hung = reader.poll();
    assert!(hung.readable && hung.hangup);

    let (reader, writer) = open_pipe(&Ipc::default());
    drop(reader);
    let broken = writer.poll();
    assert!(broken.writable && broken.hangup);
}

#[test]
fn writer_is_writable_only_with_pipe_buf_free() {
    let (reader, writer) = open_pipe(&Ipc::default());
    writer
        .write(&vec![0; PIPE_CAPACITY - PIPE_BUF + 1])
        .unwrap();
    assert!(!writer.poll().writable);
    reader.read(&mut [0; 1]).unwrap();
    assert!(writer.poll().writable);
}

#[test]
fn a_blocked_reader_is_notified_once_by_the_next_write() {
    let (ipc, log) = ipc_with_log();
    let (reader, writer) = open_pipe(&ipc);
    log.take();
    writer.write(b"unwatched").unwrap();
    assert!(log.take().is_empty(), "nobody waited: no notification");
    reader.read(&mut [0; 64]).unwrap();
    assert_eq!(reader.read(&mut [0; 64]), Err(FsError::WouldBlock));
    writer.write(b"a").unwrap();
    writer.write(b"b").unwrap();
    let key = WaitKey::of(&reader.stat().unwrap());
    assert_eq!(log.take().into_iter().collect::<Vec<_>>(), vec![key]);
    let before = log.generation();
    writer.write(b"c").unwrap();
    assert_eq!(log.generation(), before);
}

#[test]
fn a_blocked_writer_is_notified_when_room_is_made() {
    let (ipc, log) = ipc_with_log();
    let (reader, writer) = open_pipe(&ipc);
    writer.write(&vec![0; PIPE_CAPACITY]).unwrap();
    assert_eq!(writer.write(b"x"), Err(FsError::WouldBlock));
    log.take();
    reader.read(&mut [0; 1]).unwrap();
    assert_eq!(log.take().len(), 1);
}

#[test]
fn poll_arms_the_notification() {
    let (ipc, log) = ipc_with_log();
    let (reader, writer) = open_pipe(&ipc);
    reader.poll();
    log.take();
    writer.write(b"x").unwrap();
    assert_eq!(log.take().len(), 1);
}

#[test]
fn closing_an_end_always_notifies() {
    let (ipc, log) = ipc_with_log();
    let (reader, writer) = open_pipe(&ipc);
    let key = WaitKey::of(&reader.stat().unwrap());
    log.take();
    drop(writer);
    assert!(log.take().contains(&key));
}

/// A notifier that reads the pipe it is told about, as an eager kernel might.
struct ReadOnChange {
    reader: std::cell::RefCell<Option<Rc<OpenFile>>>,
    seen: std::cell::RefCell<Vec<u8>>,
}

impl wasmux_ipc::Notify for ReadOnChange {
    fn changed(&self, _key: WaitKey) {
        let reader = self.reader.borrow().clone();
        if let Some(reader) = reader {
            let mut buf = [0; 16];
            if let Ok(count) = reader.read(&mut buf) {
                self.seen.borrow_mut().extend(&buf[..count]);
            }
        }
    }
}

#[test]
fn a_notifier_may_call_back_into_the_pipe() {
    let notify = Rc::new(ReadOnChange {
        reader: std::cell::RefCell::new(None),
        seen: std::cell::RefCell::new(Vec::new()),
    });
    let ipc = Ipc::new(notify.clone(), Rc::new(wasmux_fs::FakeClock::new(0)));
    let (reader, writer) = open_pipe(&ipc);
    *notify.reader.borrow_mut() = Some(reader.clone());
    assert_eq!(reader.read(&mut [0; 4]), Err(FsError::WouldBlock));
    writer.write(b"echo").unwrap();
    drop(writer);
    assert_eq!(notify.seen.borrow().as_slice(), b"echo");
    notify.reader.borrow_mut().take();
}
