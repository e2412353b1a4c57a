//! Properties of pipes under random operation sequences, checked against a
//! `VecDeque` model.

#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;
use std::rc::Rc;

use proptest::prelude::*;
use wasmux_fs::{Access, FsError, InodeId, Metadata, NodeKind, OpenFile};
use wasmux_ipc::{Ipc, PIPE_BUF, PIPE_CAPACITY};
use wasmux_uapi::FdFlags;

/// Transfer sizes that reach every rule: tiny, around `PIPE_BUF`, and past the capacity.
fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        0..=16usize,
        1..=PIPE_BUF,
        PIPE_BUF - 2..=PIPE_BUF + 2,
        PIPE_BUF..=4 * PIPE_BUF,
        0..=PIPE_CAPACITY + 1000,
    ]
}

/// What a write of `len` bytes must return with `buffered` bytes in the pipe.
fn expected_write(len: usize, buffered: usize) -> Result<usize, FsError> {
    let free = PIPE_CAPACITY - buffered;
    match len {
        0 => Ok(0),
        small if small <= PIPE_BUF && small > free => Err(FsError::WouldBlock),
        _ if free == 0 => Err(FsError::WouldBlock),
        large => Ok(large.min(free)),
    }
}

fn open(file: wasmux_ipc::PipeEnd, access: Access) -> Rc<OpenFile> {
    Rc::new(OpenFile::new(Box::new(file), access, FdFlags::empty()))
}

fn fifo_node() -> Metadata {
    Metadata {
        dev: 3,
        ino: InodeId(42),
        kind: NodeKind::Fifo,
        mode: 0o600,
        nlink: 1,
        uid: 0,
        gid: 0,
        size: 0,
        rdev: 0,
        atime: 0,
        mtime: 0,
        ctime: 0,
    }
}

#[derive(Clone, Debug)]
enum Op {
    Write(usize),
    Read(usize),
    Poll,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => size().prop_map(Op::Write),
        3 => size().prop_map(Op::Read),
        1 => Just(Op::Poll),
    ]
}

proptest! {
    /// A pipe's output equals its input, whatever the chunking and the
    /// interleaving of reads and writes; every result is the one POSIX
    /// prescribes for the model's fill level; after the writer closes, the
    /// rest drains and then reads return 0.
    #[test]
    fn output_equals_input_for_any_chunking(ops in prop::collection::vec(op(), 1..120)) {
        let (reader, writer) = Ipc::default().pipe();
        let (reader, writer) = (open(reader, Access::READ), open(writer, Access::WRITE));
        let mut model = VecDeque::new();
        let mut offset = 0usize; // of the next byte in the input stream
        for op in ops {
            match op {
                Op::Write(len) => {
                    let data: Vec<u8> = (offset..offset + len).map(|at| (at % 251) as u8).collect();
                    let result = writer.write(&data);
                    prop_assert_eq!(&result, &expected_write(len, model.len()));
                    let written = result.unwrap_or(0);
                    model.extend(&data[..written]);
                    offset += written; // bytes not accepted are offered again
                }
                Op::Read(len) => {
                    let mut buf = vec![0; len];
                    match reader.read(&mut buf) {
                        Ok(count) => {
                            prop_assert!(count == len.min(model.len()));
                            prop_assert!(len == 0 || count > 0);
                            let expected: Vec<u8> = model.drain(..count).collect();
                            prop_assert_eq!(&buf[..count], &expected[..]);
                        }
                        Err(error) => {
                            prop_assert_eq!(error, FsError::WouldBlock);
                            prop_assert!(model.is_empty() && len > 0);
                        }
                    }
                }
                Op::Poll => {
                    let (read, write) = (reader.poll(), writer.poll());
                    prop_assert_eq!(read.readable, !model.is_empty());
                    prop_assert_eq!(read.read_bytes, model.len() as u64);
                    prop_assert_eq!(write.writable, PIPE_CAPACITY - model.len() >= PIPE_BUF);
                }
            }
            prop_assert_eq!(reader.stat().unwrap().size, model.len() as u64);
        }
        drop(writer);
        let mut rest = vec![0; PIPE_CAPACITY + 1];
        let count = reader.read(&mut rest).unwrap();
        prop_assert_eq!(&rest[..count], &model.iter().copied().collect::<Vec<_>>()[..]);
        prop_assert_eq!(reader.read(&mut rest).unwrap(), 0);
    }

    /// Writes of at most `PIPE_BUF` bytes from several writers are all or
    /// nothing, so the reader sees whole records in the order they were
    /// accepted, however its reads cut the stream.
    #[test]
    fn small_writes_stay_whole_under_any_interleaving(
        ops in prop::collection::vec((0..3usize, 1..=PIPE_BUF, any::<bool>(), size()), 1..150)
    ) {
        let ipc = Ipc::default();
        let reader = open(ipc.open_fifo(&fifo_node(), Access::READ).unwrap(), Access::READ);
        let writers: Vec<_> = (0..3)
            .map(|_| open(ipc.open_fifo(&fifo_node(), Access::WRITE).unwrap(), Access::WRITE))
            .collect();
        let mut accepted: Vec<u8> = Vec::new();
        let mut received: Vec<u8> = Vec::new();
        for (index, (who, len, write, read_len)) in ops.into_iter().enumerate() {
            if write {
                let record = vec![(index % 251) as u8 + 1; len];
                let writer = writers.get(who).unwrap();
                match writer.write(&record) {
                    Ok(count) => {
                        prop_assert_eq!(count, len);
                        accepted.extend(&record);
                    }
                    Err(error) => {
                        prop_assert_eq!(error, FsError::WouldBlock);
                        prop_assert!(PIPE_CAPACITY - (accepted.len() - received.len()) < len);
                    }
                }
            } else {
                let mut buf = vec![0; read_len];
                if let Ok(count) = reader.read(&mut buf) {
                    received.extend(&buf[..count]);
                }
            }
            prop_assert_eq!(&accepted[..received.len()], &received[..]);
        }
    }

    /// Reads return 0 exactly when the pipe is empty and every writer
    /// description is closed; closing one of several dups closes nothing.
    #[test]
    fn eof_only_after_every_writer_is_gone(
        ops in prop::collection::vec((0..6u8, 0..4usize, 0..300usize), 1..80)
    ) {
        let ipc = Ipc::default();
        let reader = open(ipc.open_fifo(&fifo_node(), Access::READ).unwrap(), Access::READ);
        // (description id, fd): several fds may share one description.
        let mut fds = vec![(0usize, open(ipc.open_fifo(&fifo_node(), Access::WRITE).unwrap(), Access::WRITE))];
        let mut next_description = 1;
        let mut buffered = 0usize;
        for (kind, pick, len) in ops {
            match kind {
                0 if !fds.is_empty() => { fds.remove(pick % fds.len()); }
                1 if !fds.is_empty() => {
                    let (id, fd) = fds.get(pick % fds.len()).unwrap().clone();
                    fds.push((id, fd));
                }
                2 => {
                    let end = ipc.open_fifo(&fifo_node(), Access::WRITE).unwrap();
                    fds.push((next_description, open(end, Access::WRITE)));
                    next_description += 1;
                }
                3 if !fds.is_empty() => {
                    let (_, fd) = fds.get(pick % fds.len()).unwrap();
                    buffered += fd.write(&vec![7; len]).unwrap_or(0);
                }
                _ => {
                    let mut buf = vec![0; len.max(1)];
                    let writers_alive = !fds.is_empty();
                    match reader.read(&mut buf) {
                        Ok(0) => prop_assert!(buffered == 0 && !writers_alive),
                        Ok(count) => buffered -= count,
                        Err(error) => {
                            prop_assert_eq!(error, FsError::WouldBlock);
                            prop_assert!(buffered == 0 && writers_alive);
                        }
                    }
                }
            }
        }
    }
}
