//! Socket pairs under random reads, writes, shutdowns and closes, checked
//! against a model of two independent directions.

#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;

use proptest::prelude::*;
use wasmux_fs::{File, FsError, WritePos};
use wasmux_ipc::{Ipc, PIPE_BUF, PIPE_CAPACITY, SocketEnd};
use wasmux_uapi::SdFlags;

/// One direction: the bytes to one end and who may still move them.
#[derive(Default)]
struct Direction {
    bytes: VecDeque<u8>,
    offset: usize,
    read_shut: bool,
    write_shut: bool,
    reader_gone: bool,
    writer_gone: bool,
}

impl Direction {
    fn write(&self, len: usize) -> Result<usize, FsError> {
        let free = PIPE_CAPACITY - self.bytes.len();
        if len == 0 {
            Ok(0)
        } else if self.write_shut || self.read_shut || self.reader_gone {
            Err(FsError::BrokenPipe)
        } else if free == 0 || (len <= PIPE_BUF && len > free) {
            Err(FsError::WouldBlock)
        } else {
            Ok(len.min(free))
        }
    }

    fn at_eof(&self) -> bool {
        self.read_shut || self.write_shut || self.writer_gone
    }
}

#[derive(Clone, Debug)]
enum Op {
    Write(usize, usize),
    Read(usize, usize),
    Shutdown(usize, bool, bool),
    Close(usize),
    Poll(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let size = prop_oneof![
        0..=64usize,
        PIPE_BUF - 1..=PIPE_BUF + 1,
        0..=PIPE_CAPACITY + 10
    ];
    prop_oneof![
        6 => (0..2usize, size.clone()).prop_map(|(side, len)| Op::Write(side, len)),
        6 => (0..2usize, size).prop_map(|(side, len)| Op::Read(side, len)),
        1 => (0..2usize, any::<bool>(), any::<bool>()).prop_map(|(side, rd, wr)| Op::Shutdown(side, rd, wr)),
        1 => (0..2usize).prop_map(Op::Close),
        2 => (0..2usize).prop_map(Op::Poll),
    ]
}

proptest! {
    /// Each direction delivers its input in order, and every read, write and
    /// shutdown returns what the model of both directions says.
    #[test]
    fn a_pair_behaves_like_two_independent_pipes(ops in prop::collection::vec(op(), 1..150)) {
        let (a, b) = Ipc::default().socket_pair();
        let mut ends: [Option<SocketEnd>; 2] = [Some(a), Some(b)];
        // to[i]: the direction end i reads.
        let mut to = [Direction::default(), Direction::default()];
        for op in ops {
            match op {
                Op::Write(side, len) => {
                    let Some(end) = &ends[side] else { continue };
                    let direction = &mut to[1 - side];
                    let data: Vec<u8> = (direction.offset..direction.offset + len)
                        .map(|at| (at % 253) as u8)
                        .collect();
                    let result = end.write(WritePos::Append, &data).map(|(count, _)| count);
                    prop_assert_eq!(&result, &direction.write(len));
                    let written = result.unwrap_or(0);
                    direction.bytes.extend(&data[..written]);
                    direction.offset += written;
                }
                Op::Read(side, len) => {
                    let Some(end) = &ends[side] else { continue };
                    let direction = &mut to[side];
                    let mut buf = vec![0; len];
                    match end.read(0, &mut buf) {
                        Ok(count) => {
                            prop_assert_eq!(count, len.min(direction.bytes.len()));
                            prop_assert!(count > 0 || len == 0 || direction.at_eof());
                            let expected: Vec<u8> = direction.bytes.drain(..count).collect();
                            prop_assert_eq!(&buf[..count], &expected[..]);
                        }
                        Err(error) => {
                            prop_assert_eq!(error, FsError::WouldBlock);
                            prop_assert!(direction.bytes.is_empty() && !direction.at_eof());
                        }
                    }
                }
                Op::Shutdown(side, rd, wr) => {
                    let Some(end) = &ends[side] else { continue };
                    let mut how = SdFlags::empty();
                    how.set(SdFlags::RD, rd);
                    how.set(SdFlags::WR, wr);
                    let result = end.shutdown(how);
                    if how.is_empty() {
                        prop_assert_eq!(result, Err(FsError::Invalid));
                    } else {
                        prop_assert_eq!(result, Ok(()));
                        to[side].read_shut |= rd;
                        to[1 - side].write_shut |= wr;
                    }
                }
                Op::Close(side) => {
                    if ends[side].take().is_some() {
                        to[side].reader_gone = true;
                        to[1 - side].writer_gone = true;
                    }
                }
                Op::Poll(side) => {
                    let Some(end) = &ends[side] else { continue };
                    let readiness = end.poll();
                    let direction = &to[side];
                    prop_assert_eq!(readiness.readable, !direction.bytes.is_empty() || direction.at_eof());
                    prop_assert_eq!(end.stat().unwrap().size, direction.bytes.len() as u64);
                }
            }
        }
    }
}
