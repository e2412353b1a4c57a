//! Rewriting a module so that it imports its memory as shared.
//!
//! wasm32-wasip1 programs (Rust, C, Zig, Go) normally define their memory
//! and export it as "memory"; a few (C with `--import-memory`) import it.
//! Either way the jit executor needs the memory to come from outside, shared,
//! so that the kernel's Worker can create it and read and write it while the
//! process's Worker runs the code. [`import_shared_memory`] makes that so:
//!
//! - a defined memory is dropped from the memory section and an import
//!   [`MEMORY_IMPORT`] is appended at the end of the import section (which is
//!   created after the type section if there is none); memory imports do not
//!   shift function indices, and memory 0 stays memory 0 because it is the
//!   only one;
//! - an imported memory is renamed to [`MEMORY_IMPORT`] in place;
//! - either way the memory becomes shared, keeps its initial size, and gets
//!   the maximum `min(declared maximum, page limit)` (a shared memory must
//!   declare one).
//!
//! Every other section is copied byte for byte; only the import section is
//! re-encoded (with `wasm-encoder`). Exports of "memory" and data segments
//! keep working because they refer to memory index 0.
//!
//! The rewrite parses the sections it reads but does not validate the
//! module: the engine validates it when it compiles the result, and
//! validating twice would double the cost of every spawn.
//!
//! A module without any memory is returned unchanged, with
//! `initial_pages = maximum_pages = 0`: there is nothing for the kernel to
//! share, and adding an import the code never uses would only make the
//! module bigger. (Rejected alternative: always adding the import, so that
//! every jit module has the same shape. The caller can still hand a tiny
//! memory to such a module: imports a module does not declare are ignored.)

use core::ops::Range;

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{ImportSection, MemoryType as SharedMemoryType, Section};
use wasmparser::{Encoding, Import, Imports, MemoryType, Parser, Payload, TypeRef};

use crate::LoadError;

/// The import the rewritten module takes its memory from: (module, name).
pub const MEMORY_IMPORT: (&str, &str) = ("wasmux", "memory");

/// The largest a 32-bit memory can be, in 64 KiB pages (4 GiB).
pub const MAX_PAGES: u32 = 65_536;

const TYPE_SECTION: u8 = 1;
const IMPORT_SECTION: u8 = 2;
const MEMORY_SECTION: u8 = 5;
const CUSTOM_SECTION: u8 = 0;

/// A module rewritten to import its memory as shared, and that memory's size.
///
/// Create the memory handed to the module with these limits: an engine
/// refuses a memory that starts smaller, or may grow larger, than the
/// import declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedModule {
    /// The rewritten module.
    pub bytes: Vec<u8>,
    /// The memory's initial size in 64 KiB pages (0 when it has no memory).
    pub initial_pages: u32,
    /// The shared memory's maximum in pages (0 when it has no memory).
    pub maximum_pages: u32,
}

/// Rewrites `wasm` to import its one memory, shared, as [`MEMORY_IMPORT`].
///
/// The memory's maximum becomes the smaller of its declared maximum and
/// `page_limit` (`page_limit` when none is declared; never more than
/// [`MAX_PAGES`]).
///
/// # Errors
///
/// - [`LoadError::Invalid`]: not a core WebAssembly module, a section that
///   does not parse, more than one memory, a 64-bit memory or custom page
///   size, limits no 32-bit memory can have.
/// - [`LoadError::Instantiate`]: the memory's initial size exceeds `page_limit`.
pub fn import_shared_memory(wasm: &[u8], page_limit: u32) -> Result<SharedModule, LoadError> {
    let scan = Scan::of(wasm)?;
    let Some(memory) = scan.memory else {
        return Ok(SharedModule {
            bytes: wasm.to_vec(),
            initial_pages: 0,
            maximum_pages: 0,
        });
    };
    let (initial_pages, maximum_pages) = shared_limits(&memory.ty, page_limit)?;
    let shared = SharedMemoryType {
        minimum: u64::from(initial_pages),
        maximum: Some(u64::from(maximum_pages)),
        memory64: false,
        shared: true,
        page_size_log2: None,
    };

    let mut imports = ImportSection::new();
    let mut reencoder = RoundtripReencoder;
    for import in &scan.imports {
        if matches!(import.ty, TypeRef::Memory(_)) {
            imports.import(MEMORY_IMPORT.0, MEMORY_IMPORT.1, shared);
        } else {
            let ty = reencoder.entity_type(import.ty).map_err(invalid)?;
            imports.import(import.module, import.name, ty);
        }
    }
    if memory.defined {
        imports.import(MEMORY_IMPORT.0, MEMORY_IMPORT.1, shared);
    }

    let mut bytes = Vec::with_capacity(wasm.len().saturating_add(32));
    bytes.extend_from_slice(section(wasm, 0..scan.header_end)?);
    let mut imports_written = false;
    for &(id, ref span) in &scan.sections {
        let raw = section(wasm, span.clone())?;
        match id {
            IMPORT_SECTION => {
                imports.append_to(&mut bytes);
                imports_written = true;
            }
            MEMORY_SECTION if memory.defined => {}
            CUSTOM_SECTION | TYPE_SECTION => {
                bytes.extend_from_slice(raw);
                if id == TYPE_SECTION && !imports_written && !scan.has_import_section {
                    imports.append_to(&mut bytes);
                    imports_written = true;
                }
            }
            _ => {
                // No type section: the new import section goes before the
                // first section that must follow it.
                if !imports_written && !scan.has_import_section {
                    imports.append_to(&mut bytes);
                    imports_written = true;
                }
                bytes.extend_from_slice(raw);
            }
        }
    }
    if !imports_written {
        imports.append_to(&mut bytes);
    }
    Ok(SharedModule {
        bytes,
        initial_pages,
        maximum_pages,
    })
}

/// The module's one memory.
struct Memory {
    ty: MemoryType,
    /// In the memory section rather than imported.
    defined: bool,
}

/// What the rewrite needs to know about a module, from one parse.
struct Scan<'a> {
    /// Where the header (magic and version) ends.
    header_end: usize,
    /// Every section in order: its id and its whole extent (id and size included).
    sections: Vec<(u8, Range<usize>)>,
    has_import_section: bool,
    /// The imports, compact groups flattened, in order.
    imports: Vec<Import<'a>>,
    memory: Option<Memory>,
}

impl<'a> Scan<'a> {
    fn of(wasm: &'a [u8]) -> Result<Self, LoadError> {
        if !wasm.starts_with(b"\0asm") {
            return Err(LoadError::Invalid(
                "not a WebAssembly module (no \\0asm header)".to_string(),
            ));
        }
        let mut scan = Scan {
            header_end: 0,
            sections: Vec::new(),
            has_import_section: false,
            imports: Vec::new(),
            memory: None,
        };
        let mut previous_end = 0;
        for payload in Parser::new(0).parse_all(wasm) {
            let payload = payload.map_err(invalid)?;
            match &payload {
                Payload::Version {
                    encoding, range, ..
                } => {
                    if *encoding != Encoding::Module {
                        return Err(LoadError::Invalid(
                            "a component, not a core module".to_string(),
                        ));
                    }
                    scan.header_end = offset(range.end)?;
                    previous_end = scan.header_end;
                }
                Payload::ImportSection(reader) => {
                    scan.has_import_section = true;
                    for group in reader.clone() {
                        scan.add_imports(group.map_err(invalid)?)?;
                    }
                }
                Payload::MemorySection(reader) => {
                    for ty in reader.clone() {
                        scan.add_memory(ty.map_err(invalid)?, true)?;
                    }
                }
                _ => {}
            }
            if let Some((id, range)) = payload.as_section() {
                // Sections are contiguous: this one's id and size start where
                // the previous one's contents ended.
                let end = offset(range.end)?;
                scan.sections.push((id, previous_end..end));
                previous_end = end;
            }
        }
        Ok(scan)
    }

    fn add_imports(&mut self, group: Imports<'a>) -> Result<(), LoadError> {
        match group {
            Imports::Single(_, import) => self.add_import(import),
            Imports::Compact1 { module, items } => {
                for item in items {
                    let item = item.map_err(invalid)?;
                    self.add_import(Import {
                        module,
                        name: item.name,
                        ty: item.ty,
                    })?;
                }
                Ok(())
            }
            Imports::Compact2 { module, ty, names } => {
                for name in names {
                    let name = name.map_err(invalid)?;
                    self.add_import(Import { module, name, ty })?;
                }
                Ok(())
            }
        }
    }

    fn add_import(&mut self, import: Import<'a>) -> Result<(), LoadError> {
        if let TypeRef::Memory(ty) = import.ty {
            self.add_memory(ty, false)?;
        }
        self.imports.push(import);
        Ok(())
    }

    fn add_memory(&mut self, ty: MemoryType, defined: bool) -> Result<(), LoadError> {
        if self.memory.is_some() {
            return Err(LoadError::Invalid(
                "more than one memory (multi-memory is not supported)".to_string(),
            ));
        }
        self.memory = Some(Memory { ty, defined });
        Ok(())
    }
}

/// The shared memory's (initial, maximum) pages.
fn shared_limits(ty: &MemoryType, page_limit: u32) -> Result<(u32, u32), LoadError> {
    if ty.memory64 {
        return Err(LoadError::Invalid(
            "a 64-bit memory (memory64 is not supported)".to_string(),
        ));
    }
    if ty.page_size_log2.is_some_and(|log2| log2 != 16) {
        return Err(LoadError::Invalid(
            "a memory with a custom page size (not supported)".to_string(),
        ));
    }
    let initial = u32::try_from(ty.initial)
        .ok()
        .filter(|&pages| pages <= MAX_PAGES)
        .ok_or_else(|| {
            LoadError::Invalid(format!(
                "memory of {} pages is larger than 4 GiB",
                ty.initial
            ))
        })?;
    if initial > page_limit {
        return Err(LoadError::Instantiate(format!(
            "needs {initial} pages, the limit is {page_limit}"
        )));
    }
    let limit = page_limit.min(MAX_PAGES);
    let maximum = match ty.maximum {
        None => limit,
        Some(declared) if declared < u64::from(initial) => {
            return Err(LoadError::Invalid(format!(
                "memory's maximum ({declared} pages) is below its initial size ({initial} pages)"
            )));
        }
        Some(declared) => u32::try_from(declared).map_or(limit, |declared| declared.min(limit)),
    };
    Ok((initial, maximum))
}

fn offset(position: u64) -> Result<usize, LoadError> {
    usize::try_from(position).map_err(invalid)
}

fn section(wasm: &[u8], span: Range<usize>) -> Result<&[u8], LoadError> {
    wasm.get(span)
        .ok_or_else(|| LoadError::Invalid("a section lies outside the module".to_string()))
}

fn invalid(error: impl core::fmt::Display) -> LoadError {
    LoadError::Invalid(error.to_string())
}
