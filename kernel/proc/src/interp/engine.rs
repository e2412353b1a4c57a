//! The interpreter's shared state: one wasmi engine, the linker that turns
//! every system call into a resumable host trap, and the module cache.

use std::collections::HashMap;

use wasmi::{CompilationMode, Config, Engine, ExternType, FuncType, Linker, Module, ValType};

use crate::executor::{HostFunction, MAX_SYSCALL_ARGS, SyscallRequest, ValueType};
use crate::interp::executor::{InterpExecutor, StoreState};
use crate::load::LoadError;

/// The error a syscall host function raises to stop the guest: it carries
/// the request out of wasmi to the kernel.
#[derive(Debug)]
pub(crate) struct SyscallTrap(pub SyscallRequest);

impl core::fmt::Display for SyscallTrap {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "system call {}", self.0.number)
    }
}

impl wasmi::errors::HostError for SyscallTrap {}

/// Which file a program came from, as of its last change: a program file
/// whose key is unchanged is not read or hashed again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ProgramKey {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    pub mtime: u64,
    pub ctime: u64,
}

/// Most program files remembered by key; past it the memory starts over.
const FILE_CACHE_LIMIT: usize = 512;

/// A compiled module, ready to instantiate; cheap to clone.
#[derive(Clone, Debug)]
pub struct CompiledModule {
    module: Module,
}

/// Limits the kernel sets on every interpreted process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InterpLimits {
    /// Largest linear memory, in bytes.
    pub memory_bytes: usize,
}

impl Default for InterpLimits {
    fn default() -> Self {
        InterpLimits {
            memory_bytes: 1 << 30,
        }
    }
}

/// The interpreter executor's factory.
pub struct InterpEngine {
    engine: Engine,
    linker: Linker<StoreState>,
    host_functions: Vec<HostFunction>,
    cache: HashMap<[u8; 32], CompiledModule>,
    /// Program files already compiled, by identity.
    files: HashMap<ProgramKey, CompiledModule>,
    limits: InterpLimits,
}

impl core::fmt::Debug for InterpEngine {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("InterpEngine")
            .field("cached_modules", &self.cache.len())
            .finish_non_exhaustive()
    }
}

fn val_type(value: ValueType) -> ValType {
    match value {
        ValueType::I32 => ValType::I32,
        ValueType::I64 => ValType::I64,
    }
}

impl InterpEngine {
    /// An engine whose guests may import exactly `host_functions`; a call to
    /// `host_functions[n]` stops the guest with `SyscallRequest { number: n, .. }`.
    pub fn new(host_functions: &[HostFunction], limits: InterpLimits) -> InterpEngine {
        let mut config = Config::default();
        config.consume_fuel(true);
        // Validate eagerly (a bad module is a load error, not a later trap),
        // translate each function to wasmi bytecode on its first call: most
        // programs run a small part of their code, so start-up stays fast.
        config.compilation_mode(CompilationMode::LazyTranslation);
        // Translating a function on its first call is not charged as fuel:
        // wasmi reports running out of fuel there as a trap it cannot
        // resume, and a large function's translation can exceed a slice.
        // Bulk memory and table operations stay charged (and resumable).
        config.fuel_cost(wasmi::CustomFuelCosts {
            bytes_copied_per_fuel: 64,
            fuel_per_bytes_translated: 0,
            fuel_per_bytes_validated: 0,
        });
        let engine = Engine::new(&config);
        let mut linker = Linker::new(&engine);
        for (number, function) in host_functions.iter().enumerate() {
            let number = u32::try_from(number).unwrap_or(u32::MAX);
            let ty = FuncType::new(
                function.params.iter().copied().map(val_type),
                function.results.iter().copied().map(val_type),
            );
            let defined = linker.func_new(
                function.module,
                function.name,
                ty,
                move |_caller, params, _results| {
                    let mut request = SyscallRequest {
                        number,
                        args: [0; MAX_SYSCALL_ARGS],
                        arg_count: 0,
                    };
                    for (slot, param) in request.args.iter_mut().zip(params) {
                        *slot = match param {
                            wasmi::Val::I32(value) => u64::from(*value as u32),
                            wasmi::Val::I64(value) => *value as u64,
                            _ => 0,
                        };
                    }
                    request.arg_count = params.len().min(MAX_SYSCALL_ARGS);
                    Err(wasmi::Error::host(SyscallTrap(request)))
                },
            );
            debug_assert!(
                defined.is_ok(),
                "host function {}::{} defined twice",
                function.module,
                function.name
            );
        }
        InterpEngine {
            engine,
            linker,
            host_functions: host_functions.to_vec(),
            cache: HashMap::new(),
            files: HashMap::new(),
            limits,
        }
    }

    /// Compiles (or finds in the cache, by content hash) a module and checks
    /// its imports against the host functions.
    /// Errors: Invalid (not wasm, fails validation), UnknownImport, ImportType, NoStart.
    pub fn compile(&mut self, bytes: &[u8]) -> Result<CompiledModule, LoadError> {
        let hash: [u8; 32] = blake3::hash(bytes).into();
        if let Some(module) = self.cache.get(&hash) {
            return Ok(module.clone());
        }
        let module = Module::new(&self.engine, bytes).map_err(|error| {
            // wasmi's message can span lines (a dump of the bad bytes): keep the first.
            let message = error.to_string();
            LoadError::Invalid(message.lines().next().unwrap_or_default().to_string())
        })?;
        self.check_imports(&module)?;
        match module.get_export("_start") {
            Some(ExternType::Func(ty)) if ty.params().is_empty() && ty.results().is_empty() => {}
            _ => return Err(LoadError::NoStart),
        }
        let compiled = CompiledModule { module };
        self.cache.insert(hash, compiled.clone());
        Ok(compiled)
    }

    /// The module compiled from the program file `key`, if it is unchanged
    /// since it was compiled.
    pub fn compiled_file(&self, key: &ProgramKey) -> Option<CompiledModule> {
        self.files.get(key).cloned()
    }

    /// Compiles `bytes` (the content cache still applies) and remembers the
    /// result for the program file `key`.
    /// Errors: as [`InterpEngine::compile`].
    pub fn compile_file(
        &mut self,
        key: ProgramKey,
        bytes: &[u8],
    ) -> Result<CompiledModule, LoadError> {
        let module = self.compile(bytes)?;
        if self.files.len() >= FILE_CACHE_LIMIT {
            self.files.clear();
        }
        self.files.insert(key, module.clone());
        Ok(module)
    }

    /// Creates a process image: a fresh store and instance, not yet started.
    /// Errors: Instantiate (a start function trapped, a data segment does not fit, the memory is too big).
    pub fn instantiate(&self, module: &CompiledModule) -> Result<InterpExecutor, LoadError> {
        InterpExecutor::new(&self.engine, &self.linker, &module.module, self.limits)
    }

    /// How many distinct modules are cached.
    pub fn cached_modules(&self) -> usize {
        self.cache.len()
    }

    fn check_imports(&self, module: &Module) -> Result<(), LoadError> {
        for import in module.imports() {
            let name = format!("{}::{}", import.module(), import.name());
            let ExternType::Func(found) = import.ty() else {
                return Err(LoadError::UnknownImport(name));
            };
            let Some(expected) = self.host_functions.iter().find(|function| {
                function.module == import.module() && function.name == import.name()
            }) else {
                return Err(LoadError::UnknownImport(name));
            };
            let params: Vec<ValType> = expected.params.iter().copied().map(val_type).collect();
            let results: Vec<ValType> = expected.results.iter().copied().map(val_type).collect();
            if found.params() != params.as_slice() || found.results() != results.as_slice() {
                return Err(LoadError::ImportType {
                    name,
                    expected: format!("{params:?} -> {results:?}"),
                    found: format!("{:?} -> {:?}", found.params(), found.results()),
                });
            }
        }
        Ok(())
    }
}
