//! One interpreted process: a wasmi store and instance, and where its
//! `_start` invocation stands.

use wasmi::TrapCode;
use wasmi::{
    Engine, Func, Linker, Memory, Module, ResumableCall, ResumableCallHostTrap,
    ResumableCallOutOfFuel, Store, StoreLimits, StoreLimitsBuilder, Val,
};

use crate::executor::{Executor, Stop, Trap};
use crate::interp::engine::{InterpLimits, SyscallTrap};
use crate::load::LoadError;

/// The data each wasmi store carries.
#[derive(Debug)]
pub(crate) struct StoreState {
    limits: StoreLimits,
}

enum Invocation {
    NotStarted(Func),
    InSyscall(ResumableCallHostTrap),
    OutOfFuel(ResumableCallOutOfFuel),
    Done,
}

/// A process run by wasmi inside the kernel thread.
pub struct InterpExecutor {
    store: Store<StoreState>,
    memory: Option<Memory>,
    invocation: Invocation,
    consumed: u64,
}

impl core::fmt::Debug for InterpExecutor {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("InterpExecutor")
            .field("consumed", &self.consumed)
            .finish_non_exhaustive()
    }
}

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
        // A start section runs during instantiation; give it a bounded budget.
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
            memory,
            invocation: Invocation::NotStarted(start),
            consumed: 0,
        })
    }
}

const START_SECTION_FUEL: u64 = 100_000_000;

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

impl InterpExecutor {
    fn reply_values(&self, call: &ResumableCallHostTrap, reply: Option<u64>) -> Vec<Val> {
        let ty = call.host_func().ty(&self.store);
        ty.results()
            .iter()
            .map(|result| match result {
                wasmi::ValType::I64 => Val::I64(reply.unwrap_or(0) as i64),
                _ => Val::I32(reply.unwrap_or(0) as u32 as i32),
            })
            .collect()
    }

    fn settle(&mut self, outcome: Result<ResumableCall, wasmi::Error>) -> Stop {
        match outcome {
            Ok(ResumableCall::Finished) => {
                self.invocation = Invocation::Done;
                Stop::Returned
            }
            Ok(ResumableCall::OutOfFuel(call)) => {
                self.invocation = Invocation::OutOfFuel(call);
                Stop::OutOfFuel
            }
            Ok(ResumableCall::HostTrap(call)) => {
                match call.host_error().downcast_ref::<SyscallTrap>() {
                    Some(SyscallTrap(request)) => {
                        let request = *request;
                        self.invocation = Invocation::InSyscall(call);
                        Stop::Syscall(request)
                    }
                    None => {
                        let kind = call.host_error().to_string();
                        self.invocation = Invocation::Done;
                        Stop::Trapped(Trap { kind })
                    }
                }
            }
            Err(error) => {
                self.invocation = Invocation::Done;
                Stop::Trapped(Trap {
                    kind: trap_kind(&error),
                })
            }
        }
    }
}

impl Executor for InterpExecutor {
    fn run(&mut self, fuel: u64, reply: Option<u64>) -> Stop {
        if let Err(error) = self.store.set_fuel(fuel) {
            return Stop::Trapped(Trap {
                kind: error.to_string(),
            });
        }
        let invocation = core::mem::replace(&mut self.invocation, Invocation::Done);
        let outcome = match invocation {
            Invocation::NotStarted(start) => start.call_resumable(&mut self.store, &[], &mut []),
            Invocation::InSyscall(call) => {
                let values = self.reply_values(&call, reply);
                call.resume(&mut self.store, &values, &mut [])
            }
            Invocation::OutOfFuel(call) => {
                if fuel < call.required_fuel() {
                    self.invocation = Invocation::OutOfFuel(call);
                    return Stop::OutOfFuel;
                }
                call.resume(&mut self.store, &mut [])
            }
            Invocation::Done => {
                return Stop::Trapped(Trap {
                    kind: "process already finished".into(),
                });
            }
        };
        let left = self.store.get_fuel().unwrap_or(0);
        self.consumed = self.consumed.saturating_add(fuel.saturating_sub(left));
        self.settle(outcome)
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
}
