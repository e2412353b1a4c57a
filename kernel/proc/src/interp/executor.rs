//! One interpreted process: a wasmi store and instance, and a stack of
//! invocations: `_start` at the bottom, and on top of it any calls the
//! kernel pushed while it was stopped (signal handlers).

use wasmi::{
    Engine, Func, Linker, Memory, Module, ResumableCall, ResumableCallHostTrap,
    ResumableCallOutOfFuel, Store, StoreLimits, StoreLimitsBuilder, TrapCode, Val,
};

use crate::executor::{Executor, Stop, Trap};
use crate::interp::engine::{InterpLimits, SyscallTrap};
use crate::load::LoadError;

/// The data each wasmi store carries.
#[derive(Debug)]
pub(crate) struct StoreState {
    limits: StoreLimits,
}

/// Where one invocation stands.
enum Invocation {
    NotStarted(Func, Vec<Val>),
    InSyscall(ResumableCallHostTrap),
    OutOfFuel(ResumableCallOutOfFuel),
}

/// A process run by wasmi inside the kernel thread.
pub struct InterpExecutor {
    store: Store<StoreState>,
    instance: wasmi::Instance,
    memory: Option<Memory>,
    /// Bottom: `_start`. Empty once the process finished or trapped.
    invocations: Vec<Invocation>,
    consumed: u64,
}

impl core::fmt::Debug for InterpExecutor {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("InterpExecutor")
            .field("consumed", &self.consumed)
            .field("depth", &self.invocations.len())
            .finish_non_exhaustive()
    }
}

/// Fuel for a module's start section, which runs during instantiation.
const START_SECTION_FUEL: u64 = 100_000_000;

impl InterpExecutor {
    pub(crate) fn new(
        engine: &Engine,
        linker: &Linker<StoreState>,
        module: &Module,
        limits: InterpLimits,
    ) -> Result<InterpExecutor, LoadError> {
        let limits = StoreLimitsBuilder::new()
            .memory_size(limits.memory_bytes)
            .instances(1)
            .build();
        let mut store = Store::new(engine, StoreState { limits });
        store.limiter(|state| &mut state.limits);
        store
            .set_fuel(START_SECTION_FUEL)
            .map_err(|error| LoadError::Instantiate(error.to_string()))?;
        let instance = linker
            .instantiate_and_start(&mut store, module)
            .map_err(|error| LoadError::Instantiate(error.to_string()))?;
        let start = instance
            .get_func(&store, "_start")
            .ok_or(LoadError::NoStart)?;
        let memory = instance.get_memory(&store, "memory");
        Ok(InterpExecutor {
            store,
            instance,
            memory,
            invocations: vec![Invocation::NotStarted(start, Vec::new())],
            consumed: 0,
        })
    }

    fn reply_values(&self, call: &ResumableCallHostTrap, reply: Option<u64>) -> Vec<Val> {
        let ty = call.host_func().ty(&self.store);
        let value = reply.unwrap_or(0);
        ty.results()
            .iter()
            .map(|result| match result {
                wasmi::ValType::I64 => Val::I64(value as i64),
                _ => Val::I32(value as u32 as i32),
            })
            .collect()
    }

    /// Records where the top invocation stopped and says why.
    fn settle(&mut self, outcome: Result<ResumableCall, wasmi::Error>) -> Stop {
        match outcome {
            Ok(ResumableCall::Finished) => {
                if self.invocations.is_empty() {
                    Stop::Returned
                } else {
                    Stop::CallReturned
                }
            }
            Ok(ResumableCall::OutOfFuel(call)) => {
                self.invocations.push(Invocation::OutOfFuel(call));
                Stop::OutOfFuel
            }
            Ok(ResumableCall::HostTrap(call)) => {
                match call.host_error().downcast_ref::<SyscallTrap>() {
                    Some(SyscallTrap(request)) => {
                        let request = *request;
                        self.invocations.push(Invocation::InSyscall(call));
                        Stop::Syscall(request)
                    }
                    None => self.trapped(call.host_error().to_string()),
                }
            }
            Err(error) => self.trapped(trap_kind(&error)),
        }
    }

    fn trapped(&mut self, kind: String) -> Stop {
        self.invocations.clear();
        Stop::Trapped(Trap { kind })
    }
}

fn trap_kind(error: &wasmi::Error) -> String {
    let Some(code) = error.as_trap_code() else {
        return error.to_string();
    };
    let kind = match code {
        TrapCode::UnreachableCodeReached => "unreachable",
        TrapCode::MemoryOutOfBounds => "out of bounds memory access",
        TrapCode::TableOutOfBounds => "out of bounds table access",
        TrapCode::IndirectCallToNull => "indirect call to null",
        TrapCode::IntegerDivisionByZero => "integer divide by zero",
        TrapCode::IntegerOverflow => "integer overflow",
        TrapCode::BadConversionToInteger => "invalid conversion to integer",
        TrapCode::StackOverflow => "stack overflow",
        TrapCode::BadSignature => "indirect call type mismatch",
        TrapCode::GrowthOperationLimited => "memory or table growth limited",
        _ => return code.trap_message().to_string(),
    };
    kind.to_string()
}

impl Executor for InterpExecutor {
    fn run(&mut self, fuel: u64, reply: Option<u64>) -> Stop {
        if let Err(error) = self.store.set_fuel(fuel) {
            return self.trapped(error.to_string());
        }
        let Some(top) = self.invocations.pop() else {
            return Stop::Trapped(Trap {
                kind: "process already finished".into(),
            });
        };
        let outcome = match top {
            Invocation::NotStarted(func, args) => {
                func.call_resumable(&mut self.store, &args, &mut [])
            }
            Invocation::InSyscall(call) => {
                let values = self.reply_values(&call, reply);
                call.resume(&mut self.store, &values, &mut [])
            }
            Invocation::OutOfFuel(call) => {
                // One operation may need more than a slice (memory.fill of a
                // gigabyte): give it what it needs, once, or it never moves.
                if fuel < call.required_fuel() {
                    let needed = call.required_fuel();
                    if let Err(error) = self.store.set_fuel(needed) {
                        return self.trapped(error.to_string());
                    }
                    let outcome = call.resume(&mut self.store, &mut []);
                    let left = self.store.get_fuel().unwrap_or(0);
                    self.consumed = self.consumed.saturating_add(needed.saturating_sub(left));
                    return self.settle(outcome);
                }
                call.resume(&mut self.store, &mut [])
            }
        };
        let left = self.store.get_fuel().unwrap_or(0);
        self.consumed = self.consumed.saturating_add(fuel.saturating_sub(left));
        self.settle(outcome)
    }

    fn push_call(&mut self, export: &str, args: &[u64]) -> Result<(), Trap> {
        let missing = || Trap {
            kind: format!("the program exports no function `{export}`"),
        };
        let func = self
            .instance
            .get_func(&self.store, export)
            .ok_or_else(missing)?;
        let ty = func.ty(&self.store);
        if ty.params().len() != args.len() || !ty.results().is_empty() {
            return Err(Trap {
                kind: format!("`{export}` has the wrong type"),
            });
        }
        let values = ty
            .params()
            .iter()
            .zip(args)
            .map(|(param, &arg)| match param {
                wasmi::ValType::I64 => Val::I64(arg as i64),
                _ => Val::I32(arg as u32 as i32),
            })
            .collect();
        self.invocations.push(Invocation::NotStarted(func, values));
        Ok(())
    }

    fn memory(&mut self) -> Box<dyn wasmux_mm::GuestMemory + '_> {
        match self.memory {
            Some(memory) => Box::new(wasmux_mm::SliceMemory::new(
                memory.data_mut(&mut self.store),
            )),
            None => Box::new(wasmux_mm::SliceMemory::new(&mut [])),
        }
    }

    fn fuel_consumed(&self) -> u64 {
        self.consumed
    }

    fn memory_bytes(&self) -> u64 {
        self.memory
            .map_or(0, |memory| memory.data_size(&self.store) as u64)
    }
}
