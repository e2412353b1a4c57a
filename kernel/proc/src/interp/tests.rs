use crate::{Executor, HostFunction, InterpEngine, InterpLimits, LoadError, Stop, ValueType};

const ECHO: HostFunction = HostFunction {
    module: "test",
    name: "echo",
    params: &[ValueType::I32, ValueType::I64],
    results: &[ValueType::I32],
};

fn engine() -> InterpEngine {
    InterpEngine::new(
        &[ECHO],
        InterpLimits {
            memory_bytes: 1 << 20,
        },
    )
}

fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap()
}

#[test]
fn syscall_stops_the_guest_and_the_reply_resumes_it() {
    let mut engine = engine();
    let module = engine
        .compile(&wasm(
            r#"(module
                (import "test" "echo" (func $echo (param i32 i64) (result i32)))
                (memory (export "memory") 1)
                (func (export "_start")
                    (i32.store (i32.const 0) (call $echo (i32.const -1) (i64.const 7)))))"#,
        ))
        .unwrap();
    let mut process = engine.instantiate(&module).unwrap();
    let Stop::Syscall(request) = process.run(1_000_000, None) else {
        panic!("expected a syscall")
    };
    assert_eq!(request.number, 0);
    assert_eq!(request.args(), &[u64::from(u32::MAX), 7]);
    assert!(matches!(process.run(1_000_000, Some(42)), Stop::Returned));
    let mut word = [0u8; 4];
    process.memory().read(0, &mut word).unwrap();
    assert_eq!(u32::from_le_bytes(word), 42);
}

#[test]
fn a_runaway_loop_is_preempted_and_resumable() {
    let mut engine = engine();
    let module = engine
        .compile(&wasm(
            r#"(module (global $n (mut i32) (i32.const 0))
                (func (export "_start")
                    (loop (global.set $n (i32.add (global.get $n) (i32.const 1)))
                          (br_if 0 (i32.lt_u (global.get $n) (i32.const 100000))))))"#,
        ))
        .unwrap();
    let mut process = engine.instantiate(&module).unwrap();
    let mut slices = 0;
    loop {
        match process.run(10_000, None) {
            Stop::OutOfFuel => slices += 1,
            Stop::Returned => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(slices > 5, "ran in {slices} slices");
    assert!(process.fuel_consumed() >= 100_000);
}

#[test]
fn a_trap_names_its_kind() {
    let mut engine = engine();
    let module = engine
        .compile(&wasm(r#"(module (func (export "_start") unreachable))"#))
        .unwrap();
    let mut process = engine.instantiate(&module).unwrap();
    let Stop::Trapped(trap) = process.run(1_000, None) else {
        panic!("expected a trap")
    };
    assert_eq!(trap.kind, "unreachable");
}

#[test]
fn unknown_and_mistyped_imports_are_load_errors() {
    let mut engine = engine();
    let unknown = engine.compile(&wasm(
        r#"(module (import "test" "ehco" (func)) (func (export "_start")))"#,
    ));
    assert_eq!(
        unknown.unwrap_err(),
        LoadError::UnknownImport("test::ehco".into())
    );
    let mistyped = engine.compile(&wasm(
        r#"(module (import "test" "echo" (func (param i32))) (func (export "_start")))"#,
    ));
    assert!(matches!(
        mistyped.unwrap_err(),
        LoadError::ImportType { .. }
    ));
}

#[test]
fn garbage_and_missing_start_are_load_errors() {
    let mut engine = engine();
    assert!(matches!(
        engine.compile(b"\0asm garbage").unwrap_err(),
        LoadError::Invalid(_)
    ));
    assert!(matches!(
        engine.compile(b"").unwrap_err(),
        LoadError::Invalid(_)
    ));
    let no_start = engine.compile(&wasm(r#"(module (func (export "main")))"#));
    assert_eq!(no_start.unwrap_err(), LoadError::NoStart);
}

#[test]
fn compiled_modules_are_cached_by_content() {
    let mut engine = engine();
    let bytes = wasm(r#"(module (func (export "_start")))"#);
    engine.compile(&bytes).unwrap();
    engine.compile(&bytes.clone()).unwrap();
    assert_eq!(engine.cached_modules(), 1);
}

#[test]
fn memory_beyond_the_limit_fails_to_grow() {
    let mut engine = engine();
    let module = engine
        .compile(&wasm(
            r#"(module (memory (export "memory") 1)
                (func (export "_start")
                    (if (i32.ne (memory.grow (i32.const 100)) (i32.const -1)) (then unreachable))))"#,
        ))
        .unwrap();
    let mut process = engine.instantiate(&module).unwrap();
    assert!(matches!(process.run(10_000, None), Stop::Returned));
}

#[test]
fn a_pushed_call_runs_on_top_of_a_stopped_syscall() {
    let mut engine = engine();
    let module = engine
        .compile(&wasm(
            r#"(module
                (import "test" "echo" (func $echo (param i32 i64) (result i32)))
                (memory (export "memory") 1)
                (func (export "handler") (param i32)
                    (i32.store (i32.const 8) (local.get 0)))
                (func (export "_start")
                    (i32.store (i32.const 0) (call $echo (i32.const 1) (i64.const 2)))))"#,
        ))
        .unwrap();
    let mut process = engine.instantiate(&module).unwrap();
    assert!(matches!(process.run(1_000_000, None), Stop::Syscall(_)));
    process.push_call("handler", &[99]).unwrap();
    assert!(matches!(process.run(1_000_000, None), Stop::CallReturned));
    assert!(matches!(process.run(1_000_000, Some(5)), Stop::Returned));
    let mut words = [0u8; 12];
    process.memory().read(0, &mut words).unwrap();
    assert_eq!(u32::from_le_bytes(words[0..4].try_into().unwrap()), 5);
    assert_eq!(u32::from_le_bytes(words[8..12].try_into().unwrap()), 99);
    assert!(process.push_call("missing", &[]).is_err());
}

#[test]
fn one_operation_larger_than_a_slice_still_completes() {
    // Regression: memory.fill of 64 MiB needs more fuel than a small slice;
    // it used to be resumed with too little fuel forever.
    let mut engine = InterpEngine::new(
        &[ECHO],
        InterpLimits {
            memory_bytes: 128 << 20,
        },
    );
    let module = engine
        .compile(&wasm(
            r#"(module (memory (export "memory") 1024)
                (func (export "_start") (memory.fill (i32.const 0) (i32.const 7) (i32.const 67108864))))"#,
        ))
        .unwrap();
    let mut process = engine.instantiate(&module).unwrap();
    let mut slices = 0;
    loop {
        match process.run(10_000, None) {
            Stop::OutOfFuel => slices += 1,
            Stop::Returned => break,
            other => panic!("unexpected {other:?}"),
        }
        assert!(slices < 10, "no progress");
    }
}

#[test]
fn translating_a_large_function_is_not_charged_to_the_slice() {
    // Regression: lazy translation that ran out of fuel was an unresumable
    // trap ("all fuel consumed"), killing real programs (uutils cat).
    let body: String = (0..2000)
        .map(|i| format!("(drop (i32.add (i32.const {i}) (i32.const 1)))"))
        .collect();
    let text = format!(r#"(module (func $big {body}) (func (export "_start") (call $big)))"#);
    let mut engine = engine();
    let module = engine.compile(&wasm(&text)).unwrap();
    let mut process = engine.instantiate(&module).unwrap();
    let mut stops = 0;
    loop {
        match process.run(100, None) {
            Stop::OutOfFuel => stops += 1,
            Stop::Returned => break,
            other => panic!("unexpected {other:?}"),
        }
        assert!(stops < 10_000);
    }
}
