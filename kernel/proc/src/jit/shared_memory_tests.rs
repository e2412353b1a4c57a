use std::path::{Path, PathBuf};

use proptest::prelude::*;
use wasmparser::{MemoryType, Parser, Payload, TypeRef, Validator, WasmFeatures};

use super::{MAX_PAGES, MEMORY_IMPORT, SharedModule, import_shared_memory};
use crate::LoadError;

fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap()
}

/// Validates with the threads proposal on: shared memories need it.
fn validate(bytes: &[u8]) {
    let features = WasmFeatures::default() | WasmFeatures::THREADS;
    if let Err(error) = Validator::new_with_features(features).validate_all(bytes) {
        panic!("the rewritten module does not validate: {error}");
    }
}

/// Every import as (module, name, type), in order.
fn imports(bytes: &[u8]) -> Vec<(String, String, TypeRef)> {
    let mut imports = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        if let Payload::ImportSection(reader) = payload.unwrap() {
            for import in reader.into_imports() {
                let import = import.unwrap();
                imports.push((
                    import.module.to_string(),
                    import.name.to_string(),
                    import.ty,
                ));
            }
        }
    }
    imports
}

/// Every section but the import and memory sections: (id, raw bytes), in order.
fn other_sections(bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut sections = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        if let Some((id, range)) = payload.unwrap().as_section() {
            if id != 2 && id != 5 {
                let range = range.start as usize..range.end as usize;
                sections.push((id, bytes[range].to_vec()));
            }
        }
    }
    sections
}

fn section_ids(bytes: &[u8]) -> Vec<u8> {
    Parser::new(0)
        .parse_all(bytes)
        .filter_map(|payload| payload.unwrap().as_section().map(|(id, _)| id))
        .collect()
}

fn shared(initial: u64, maximum: u64) -> TypeRef {
    TypeRef::Memory(MemoryType {
        memory64: false,
        shared: true,
        initial,
        maximum: Some(maximum),
        page_size_log2: None,
    })
}

fn memory_import(initial: u64, maximum: u64) -> (String, String, TypeRef) {
    let (module, name) = MEMORY_IMPORT;
    (
        module.to_string(),
        name.to_string(),
        shared(initial, maximum),
    )
}

/// Adds a custom section after the header and another at the end.
fn with_custom_sections(mut bytes: Vec<u8>) -> Vec<u8> {
    let custom = |name: &str, data: &[u8]| {
        let mut section = vec![0, (1 + name.len() + data.len()) as u8, name.len() as u8];
        section.extend_from_slice(name.as_bytes());
        section.extend_from_slice(data);
        section
    };
    bytes.splice(8..8, custom("first", b"before everything"));
    bytes.extend(custom("last", b"after everything"));
    bytes
}

/// Rewrites, validates, and checks that nothing but the memory changed.
fn rewrite(original: &[u8], page_limit: u32) -> SharedModule {
    let module = import_shared_memory(original, page_limit).unwrap();
    validate(&module.bytes);
    assert_eq!(other_sections(&module.bytes), other_sections(original));
    let without_memory = |bytes: &[u8]| -> Vec<_> {
        imports(bytes)
            .into_iter()
            .filter(|(_, _, ty)| !matches!(ty, TypeRef::Memory(_)))
            .collect()
    };
    assert_eq!(without_memory(&module.bytes), without_memory(original));
    module
}

const PROGRAM: &str = r#"(module
    (type $write (func (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (type $write)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 2 10)
    (global $counter (mut i32) (i32.const 0))
    (data (i32.const 16) "hello")
    (func $sum (export "sum") (result i32)
        (i32.add (i32.load8_u (i32.const 16)) (i32.load8_u (i32.const 20))))
    (func (export "_start") (drop (call $sum))))"#;

#[test]
fn defined_memory_becomes_a_shared_import_at_the_end() {
    let original = with_custom_sections(wasm(PROGRAM));
    let module = rewrite(&original, 100);
    assert_eq!((module.initial_pages, module.maximum_pages), (2, 10));
    let imports = imports(&module.bytes);
    assert_eq!(imports.len(), 3);
    assert_eq!(imports[2], memory_import(2, 10));
    assert!(!section_ids(&module.bytes).contains(&5));
}

#[test]
fn maximum_is_capped_by_the_page_limit() {
    let module = rewrite(&wasm(PROGRAM), 4);
    assert_eq!((module.initial_pages, module.maximum_pages), (2, 4));
    assert_eq!(imports(&module.bytes)[2], memory_import(2, 4));
}

#[test]
fn memory_without_maximum_gets_the_page_limit() {
    let original = wasm(r#"(module (memory (export "memory") 1) (func (export "_start")))"#);
    let module = rewrite(&original, 300);
    assert_eq!((module.initial_pages, module.maximum_pages), (1, 300));
    assert_eq!(imports(&module.bytes), vec![memory_import(1, 300)]);
}

#[test]
fn page_limit_beyond_four_gib_is_capped() {
    let original = wasm(r#"(module (memory 1))"#);
    let module = rewrite(&original, u32::MAX);
    assert_eq!(module.maximum_pages, MAX_PAGES);
}

#[test]
fn import_section_is_created_right_after_the_type_section() {
    let original = with_custom_sections(wasm(
        r#"(module
            (memory (export "memory") 1 2)
            (table 1 funcref)
            (func $f (result i32) (i32.const 7))
            (elem (i32.const 0) $f)
            (data (i32.const 0) "x")
            (func (export "_start") (drop (call $f))))"#,
    ));
    let module = rewrite(&original, 16);
    assert_eq!(imports(&module.bytes), vec![memory_import(1, 2)]);
    // custom, type, import, function, table, export, element, code, data,
    // custom "name" (from wat), custom
    assert_eq!(
        section_ids(&module.bytes),
        vec![0, 1, 2, 3, 4, 7, 9, 10, 11, 0, 0]
    );
}

#[test]
fn module_with_only_a_memory_gets_only_an_import() {
    let module = rewrite(&wasm("(module (memory 3))"), 16);
    assert_eq!(section_ids(&module.bytes), vec![2]);
    assert_eq!(imports(&module.bytes), vec![memory_import(3, 16)]);
}

#[test]
fn imported_memory_is_renamed_and_made_shared_in_place() {
    let original = wasm(
        r#"(module
            (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
            (import "env" "memory" (memory 2))
            (import "wasi_snapshot_preview1" "sched_yield" (func (result i32)))
            (data (i32.const 0) "x")
            (func (export "_start")))"#,
    );
    let module = rewrite(&original, 64);
    assert_eq!((module.initial_pages, module.maximum_pages), (2, 64));
    let imports = imports(&module.bytes);
    assert_eq!(imports.len(), 3);
    assert_eq!(imports[1], memory_import(2, 64));
}

#[test]
fn shared_memory_stays_shared() {
    let defined = rewrite(&wasm("(module (memory 1 4 shared))"), 16);
    assert_eq!(imports(&defined.bytes), vec![memory_import(1, 4)]);
    let imported = rewrite(
        &wasm(r#"(module (import "env" "mem" (memory 1 40 shared)))"#),
        16,
    );
    assert_eq!(imports(&imported.bytes), vec![memory_import(1, 16)]);
}

#[test]
fn module_without_memory_is_returned_unchanged() {
    let original = wasm(r#"(module (func (export "_start")))"#);
    let module = import_shared_memory(&original, 16).unwrap();
    assert_eq!(module.bytes, original);
    assert_eq!((module.initial_pages, module.maximum_pages), (0, 0));
}

fn invalid(bytes: &[u8]) -> String {
    match import_shared_memory(bytes, 16) {
        Err(LoadError::Invalid(message)) => message,
        other => panic!("expected LoadError::Invalid, got {other:?}"),
    }
}

#[test]
fn bytes_that_are_not_wasm_are_invalid() {
    assert!(invalid(b"").contains("not a WebAssembly module"));
    assert!(invalid(b"#!/bin/sh\necho hi\n").contains("not a WebAssembly module"));
    assert!(invalid(&wasm("(component)")).contains("component"));
}

#[test]
fn truncated_module_is_invalid() {
    let original = wasm(PROGRAM);
    for length in 0..original.len() {
        // Cut at a section boundary, it is a shorter module; anywhere else,
        // an invalid one.
        match import_shared_memory(&original[..length], 16) {
            Ok(_) | Err(LoadError::Invalid(_)) => {}
            Err(error) => panic!("{length} bytes: {error}"),
        }
    }
    invalid(&original[..7]);
    invalid(&original[..original.len() - 1]);
}

#[test]
fn two_memories_are_invalid() {
    assert!(invalid(&wasm("(module (memory 1) (memory 1))")).contains("more than one memory"));
    let mixed = wasm(r#"(module (import "env" "memory" (memory 1)) (memory 1))"#);
    assert!(invalid(&mixed).contains("more than one memory"));
}

#[test]
fn memory64_is_invalid() {
    assert!(invalid(&wasm("(module (memory i64 1))")).contains("memory64"));
}

#[test]
fn initial_size_beyond_the_limit_cannot_be_instantiated() {
    let result = import_shared_memory(&wasm("(module (memory 20))"), 16);
    assert_eq!(
        result,
        Err(LoadError::Instantiate(
            "needs 20 pages, the limit is 16".to_string()
        ))
    );
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `.wasm` files under `directory` whose parent directory is `parent`.
fn find_wasm(directory: &Path, parent: Option<&str>, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if parent.is_some() {
                find_wasm(&path, parent, found);
            }
        } else if path
            .extension()
            .is_some_and(|extension| extension == "wasm")
            && parent.is_none_or(|parent| directory.ends_with(parent))
        {
            found.push(path);
        }
    }
}

#[test]
fn real_guest_programs_rewrite_to_valid_modules() {
    let root = workspace_root().join("target");
    let mut programs = Vec::new();
    find_wasm(&root.join("wasm32-wasip1-programs"), None, &mut programs);
    find_wasm(
        &root.join("wasm32-wasip1-userland"),
        Some("release"),
        &mut programs,
    );
    for program in programs {
        let original = std::fs::read(&program).unwrap();
        let module = match import_shared_memory(&original, MAX_PAGES) {
            Ok(module) => module,
            Err(error) => panic!("{}: {error}", program.display()),
        };
        if module.maximum_pages == 0 {
            assert_eq!(module.bytes, original);
            continue;
        }
        validate(&module.bytes);
        assert_eq!(
            other_sections(&module.bytes),
            other_sections(&original),
            "{}",
            program.display()
        );
    }
}

/// Node's V8 is the engine the browser runs; these tests use it when `node`
/// is installed and skip otherwise. (wasmi cannot run the rewritten modules:
/// it rejects shared memories, having no threads support.)
fn node(script: &str, args: &[&Path]) -> Option<String> {
    let output = std::process::Command::new("node")
        .arg("--no-warnings")
        .arg("--input-type=module")
        .arg("-e")
        .arg(script)
        .args(args)
        .output()
        .ok()?;
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

fn temporary_file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("wasmux-jit-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn rewritten_module_runs_on_a_shared_memory_the_host_writes() {
    let original = wasm(
        r#"(module
            (memory (export "memory") 1 4)
            (data (i32.const 16) "\05")
            (func (export "sum") (result i32)
                (i32.add (i32.load8_u (i32.const 16)) (i32.load8_u (i32.const 17)))))"#,
    );
    let module = rewrite(&original, 16);
    assert_eq!((module.initial_pages, module.maximum_pages), (1, 4));
    let path = temporary_file("sum.wasm", &module.bytes);
    // The host creates the memory, the data segment lands in it, a write
    // through the SharedArrayBuffer is visible to the code.
    let script = r#"
        import { readFileSync } from 'node:fs';
        const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
        const { instance } = await WebAssembly.instantiate(
            readFileSync(process.argv[1]), { wasmux: { memory } });
        new Uint8Array(memory.buffer)[17] = 3;
        console.log(memory.buffer instanceof SharedArrayBuffer,
            instance.exports.memory === memory, instance.exports.sum());"#;
    let output = node(script, &[&path]);
    std::fs::remove_file(&path).unwrap();
    if let Some(output) = output {
        assert_eq!(output.trim(), "true true 8");
    }
}

#[test]
fn rewritten_hello_prints_the_same_under_node_wasi() {
    let hello = workspace_root().join("target/wasm32-wasip1-programs/hello.wasm");
    let Ok(original) = std::fs::read(&hello) else {
        return;
    };
    let module = rewrite(&original, 1024);
    let path = temporary_file("hello.wasm", &module.bytes);
    let script = r#"
        import { readFileSync } from 'node:fs';
        import { WASI } from 'node:wasi';
        const [file, initial, maximum] = process.argv.slice(1);
        const wasi = new WASI({ version: 'preview1', args: ['hello'], returnOnExit: true });
        const imports = wasi.getImportObject();
        if (Number(maximum) > 0) {
            imports.wasmux = { memory: new WebAssembly.Memory({
                initial: Number(initial), maximum: Number(maximum), shared: true }) };
        }
        const { instance } = await WebAssembly.instantiate(readFileSync(file), imports);
        process.exitCode = wasi.start(instance);"#;
    let pages = |pages: u32| PathBuf::from(pages.to_string());
    let shared = node(
        script,
        &[
            &path,
            &pages(module.initial_pages),
            &pages(module.maximum_pages),
        ],
    );
    let plain = node(script, &[&hello, &pages(0), &pages(0)]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(shared, plain);
}

/// A module with a memory of these limits, defined or imported.
fn module_with_memory(initial: u32, maximum: Option<u32>, shared: bool, imported: bool) -> Vec<u8> {
    let limits = match maximum {
        Some(maximum) => format!("{initial} {maximum}"),
        None => initial.to_string(),
    };
    let shared = if shared { "shared" } else { "" };
    let memory = if imported {
        format!(r#"(import "env" "memory" (memory {limits} {shared}))"#)
    } else {
        format!(r#"(memory (export "memory") {limits} {shared})"#)
    };
    wasm(&format!(
        r#"(module
            (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
            {memory}
            (data (i32.const 0) "data")
            (func (export "_start") (call 0 (i32.const 3))))"#
    ))
}

proptest! {
    /// For any limits, the shared import keeps the initial size and gets the
    /// smaller of the declared maximum and the page limit; a memory that
    /// starts above the limit is refused.
    #[test]
    fn limits_follow_the_model(
        initial in 0u32..40,
        extra in proptest::option::of(0u32..40),
        shared in any::<bool>(),
        imported in any::<bool>(),
        page_limit in 0u32..64,
    ) {
        // A shared memory must declare a maximum.
        let extra = if shared { Some(extra.unwrap_or(0)) } else { extra };
        let maximum = extra.map(|extra| initial + extra);
        let original = module_with_memory(initial, maximum, shared, imported);
        let result = import_shared_memory(&original, page_limit);
        if initial > page_limit {
            prop_assert!(matches!(result, Err(LoadError::Instantiate(_))));
        } else {
            let expected = maximum.map_or(page_limit, |maximum| maximum.min(page_limit));
            let module = rewrite(&original, page_limit);
            prop_assert_eq!((module.initial_pages, module.maximum_pages), (initial, expected));
            let memories: Vec<_> = imports(&module.bytes)
                .into_iter()
                .filter(|(_, _, ty)| matches!(ty, TypeRef::Memory(_)))
                .collect();
            prop_assert_eq!(memories, vec![memory_import(initial.into(), expected.into())]);
        }
    }

    /// Arbitrary bytes never panic the rewrite.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = import_shared_memory(&bytes, 16);
        let mut with_header = b"\0asm\x01\0\0\0".to_vec();
        with_header.extend(bytes);
        let _ = import_shared_memory(&with_header, 16);
    }

    /// Valid modules with bytes changed, removed or inserted never panic the
    /// rewrite, and whatever it accepts it turns into a module that parses.
    #[test]
    fn mutated_modules_never_panic(
        mutations in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
        imported in any::<bool>(),
    ) {
        let mut bytes = with_custom_sections(module_with_memory(1, Some(8), false, imported));
        for (index, byte, kind) in mutations {
            let at = index.index(bytes.len());
            match kind {
                0 => bytes[at] = byte,
                1 => { bytes.remove(at); }
                _ => bytes.insert(at, byte),
            }
            if bytes.is_empty() {
                break;
            }
        }
        if let Ok(module) = import_shared_memory(&bytes, 16) {
            for payload in Parser::new(0).parse_all(&module.bytes) {
                prop_assert!(payload.is_ok());
            }
        }
    }
}
