//! check_program says exactly what the interpreter's compile says.

use proptest::prelude::*;

use crate::executor::{HostFunction, ValueType};
use crate::jit::check_program;
use crate::{InterpEngine, InterpLimits, LoadError};

const FUNCTIONS: &[HostFunction] = &[
    HostFunction {
        module: "wasi_snapshot_preview1",
        name: "proc_exit",
        params: &[ValueType::I32],
        results: &[],
    },
    HostFunction {
        module: "wasi_snapshot_preview1",
        name: "clock_time_get",
        params: &[ValueType::I32, ValueType::I64, ValueType::I32],
        results: &[ValueType::I32],
    },
];

fn both(text: &str) -> (Result<(), LoadError>, Result<(), LoadError>) {
    let wasm = wat::parse_str(text).unwrap();
    let mut engine = InterpEngine::new(FUNCTIONS, InterpLimits::default());
    (
        check_program(&wasm, FUNCTIONS),
        engine.compile(&wasm).map(|_| ()),
    )
}

#[test]
fn a_program_passes_as_it_does_on_the_interpreter() {
    let (jit, interp) = both(
        r#"(module
            (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
            (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
            (memory (export "memory") 1)
            (func (export "_start")))"#,
    );
    assert_eq!(jit, Ok(()));
    assert_eq!(jit, interp);
}

#[test]
fn failures_read_the_same_as_on_the_interpreter() {
    let cases = [
        r#"(module (import "wasi_snapshot_preview1" "nope" (func)) (func (export "_start")))"#,
        r#"(module (import "env" "memory" (memory 1)) (func (export "_start")))"#,
        r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i64))) (func (export "_start")))"#,
        r#"(module (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32))) (func (export "_start")))"#,
        r#"(module (func (export "main")))"#,
        r#"(module (func (export "_start") (param i32)))"#,
        r#"(module (func (export "_start") (result i32) (i32.const 0)))"#,
        r#"(module (global (export "_start") i32 (i32.const 0)))"#,
    ];
    for case in cases {
        let (jit, interp) = both(case);
        assert!(jit.is_err(), "{case}");
        assert_eq!(jit, interp, "{case}");
    }
}

proptest! {
    #[test]
    fn hostile_bytes_are_an_error_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        module.extend(&bytes);
        let _ = check_program(&module, FUNCTIONS);
        let _ = check_program(&bytes, FUNCTIONS);
    }
}
