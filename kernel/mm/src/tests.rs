use proptest::prelude::*;

use crate::{CopyingMemory, GuestMemory, GuestMemoryExt, SliceMemory, check_range};

#[test]
fn access_at_the_very_end_is_allowed_one_past_is_a_fault() {
    let mut bytes = vec![0u8; 8];
    let mut memory = SliceMemory::new(&mut bytes);
    assert!(memory.write(4, &[1, 2, 3, 4]).is_ok());
    assert!(memory.write(5, &[1, 2, 3, 4]).is_err());
    assert!(memory.read_value::<u8>(8).is_err());
    assert!(memory.read_value::<u8>(7).is_ok());
}

#[test]
fn huge_lengths_do_not_overflow() {
    assert!(check_range(u32::MAX, u64::MAX, u64::MAX).is_err());
    assert!(check_range(u32::MAX, 1, u64::from(u32::MAX)).is_err());
    assert_eq!(check_range(0, 0, 0), Ok(0..0));
}

#[test]
fn bounce_buffer_writes_back() {
    let mut memory = CopyingMemory::new(16);
    memory
        .with_slice_mut(2, 3, &mut |slice| slice.copy_from_slice(b"abc"))
        .unwrap();
    assert_eq!(&memory.bytes()[2..5], b"abc");
    assert!(memory.with_slice_mut(15, 2, &mut |_| {}).is_err());
}

#[derive(Clone, Debug)]
enum Op {
    Write(u32, Vec<u8>),
    Read(u32, u32),
    WriteU64(u32, u64),
    Fill(u32, u32, u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u32..80, proptest::collection::vec(any::<u8>(), 0..16))
            .prop_map(|(a, d)| Op::Write(a, d)),
        (0u32..80, 0u32..20).prop_map(|(a, l)| Op::Read(a, l)),
        (0u32..80, any::<u64>()).prop_map(|(a, v)| Op::WriteU64(a, v)),
        (0u32..80, 0u32..20, any::<u8>()).prop_map(|(a, l, b)| Op::Fill(a, l, b)),
    ]
}

proptest! {
    /// Direct and copying memories agree on every result and on the final bytes.
    #[test]
    fn both_memory_shapes_behave_identically(ops in proptest::collection::vec(op(), 0..40)) {
        let mut direct_bytes = vec![0u8; 64];
        let mut direct = SliceMemory::new(&mut direct_bytes);
        let mut copying = CopyingMemory::new(64);
        for op in ops {
            match op {
                Op::Write(addr, data) => {
                    prop_assert_eq!(direct.write(addr, &data), copying.write(addr, &data));
                }
                Op::Read(addr, len) => {
                    prop_assert_eq!(direct.read_bytes(addr, len), copying.read_bytes(addr, len));
                }
                Op::WriteU64(addr, value) => {
                    prop_assert_eq!(direct.write_value(addr, value), copying.write_value(addr, value));
                }
                Op::Fill(addr, len, byte) => {
                    let a = direct.with_slice_mut(addr, len, &mut |s| s.fill(byte));
                    let b = copying.with_slice_mut(addr, len, &mut |s| s.fill(byte));
                    prop_assert_eq!(a, b);
                }
            }
        }
        let _ = direct;
        prop_assert_eq!(&direct_bytes[..], copying.bytes());
    }
}
