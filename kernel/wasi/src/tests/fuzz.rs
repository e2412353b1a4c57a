//! Garbage system-call arguments never panic the kernel.

use proptest::prelude::*;

use super::Harness;
use crate::SYSCALLS;

fn raw_arg() -> impl Strategy<Value = u64> {
    prop_oneof![
        0u64..16,
        0u64..70_000,
        Just(u64::from(u32::MAX)),
        Just(u64::MAX),
        any::<u64>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Any call with any arguments returns (errno, block, exit or raise)
    /// instead of panicking, and leaves the harness usable.
    #[test]
    fn any_syscall_with_any_arguments_returns(
        number in 0..SYSCALLS.len(),
        args in proptest::collection::vec(raw_arg(), 10),
        noise in proptest::collection::vec(any::<u8>(), 256),
    ) {
        let mut h = Harness::new();
        h.put(0, &noise);
        h.create("file");
        let syscall = SYSCALLS[number];
        let count = syscall.function.params.len();
        let _ = h.call(syscall.function.name, &args[..count]);
        prop_assert_eq!(h.errno("args_sizes_get", &[0, 4]), 0);
        let root = h.process.root;
        prop_assert!(h.vfs.stat(root).is_ok());
    }
}
