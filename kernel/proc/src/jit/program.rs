//! The checks a program passes before it becomes a process, for executors
//! that do not compile it with wasmi: the same rules and messages as
//! [`crate::InterpEngine::compile`] (imports are system calls with their
//! exact signatures; `_start` is exported as `() -> ()`), read from the
//! module's import, type, function and export sections only. Validating
//! the code is left to the engine that compiles it.

use wasmparser::{
    CompositeInnerType, ExternalKind, FuncType, Import, Imports, Parser, Payload, TypeRef, ValType,
};

use crate::executor::{HostFunction, ValueType};
use crate::load::LoadError;

fn invalid(error: wasmparser::BinaryReaderError) -> LoadError {
    LoadError::Invalid(error.message().to_string())
}

fn value_type(kind: ValueType) -> ValType {
    match kind {
        ValueType::I32 => ValType::I32,
        ValueType::I64 => ValType::I64,
    }
}

/// Checks `wasm`'s imports against `functions` (the kernel's system calls)
/// and that it exports `_start: () -> ()`.
/// Errors: Invalid (unreadable sections), UnknownImport (not a system
/// call, or not a function), ImportType (a system call with another
/// signature), NoStart.
pub fn check_program(wasm: &[u8], functions: &[HostFunction]) -> Result<(), LoadError> {
    let mut types: Vec<Option<FuncType>> = Vec::new();
    // The type index of every function: imported ones first.
    let mut function_types: Vec<u32> = Vec::new();
    let mut start: Option<u32> = None;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(invalid)? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group.map_err(invalid)?.into_types() {
                        types.push(match sub.composite_type.inner {
                            CompositeInnerType::Func(func) => Some(func),
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for group in reader {
                    for import in flatten(group.map_err(invalid)?)? {
                        let name = format!("{}::{}", import.module, import.name);
                        let TypeRef::Func(index) = import.ty else {
                            return Err(LoadError::UnknownImport(name));
                        };
                        check_import(&name, &import, index, &types, functions)?;
                        function_types.push(index);
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for index in reader {
                    function_types.push(index.map_err(invalid)?);
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(invalid)?;
                    if export.name == "_start" && export.kind == ExternalKind::Func {
                        start = Some(export.index);
                    }
                }
            }
            _ => {}
        }
    }
    let start_type = start
        .and_then(|index| function_types.get(index as usize))
        .and_then(|&ty| types.get(ty as usize))
        .and_then(Option::as_ref);
    match start_type {
        Some(ty) if ty.params().is_empty() && ty.results().is_empty() => Ok(()),
        _ => Err(LoadError::NoStart),
    }
}

/// The imports of one group, one by one.
fn flatten(group: Imports<'_>) -> Result<Vec<Import<'_>>, LoadError> {
    Ok(match group {
        Imports::Single(_, import) => vec![import],
        Imports::Compact1 { module, items } => items
            .into_iter()
            .map(|item| {
                item.map(|item| Import {
                    module,
                    name: item.name,
                    ty: item.ty,
                })
                .map_err(invalid)
            })
            .collect::<Result<_, _>>()?,
        Imports::Compact2 { module, ty, names } => names
            .into_iter()
            .map(|name| {
                name.map(|name| Import { module, name, ty })
                    .map_err(invalid)
            })
            .collect::<Result<_, _>>()?,
    })
}

fn check_import(
    name: &str,
    import: &Import<'_>,
    type_index: u32,
    types: &[Option<FuncType>],
    functions: &[HostFunction],
) -> Result<(), LoadError> {
    let Some(expected) = functions
        .iter()
        .find(|function| function.module == import.module && function.name == import.name)
    else {
        return Err(LoadError::UnknownImport(name.to_string()));
    };
    let Some(Some(found)) = types.get(type_index as usize) else {
        return Err(LoadError::Invalid(format!(
            "import `{name}` has no function type"
        )));
    };
    let params: Vec<ValType> = expected.params.iter().copied().map(value_type).collect();
    let results: Vec<ValType> = expected.results.iter().copied().map(value_type).collect();
    if found.params() != params.as_slice() || found.results() != results.as_slice() {
        return Err(LoadError::ImportType {
            name: name.to_string(),
            expected: format!("{params:?} -> {results:?}"),
            found: format!("{:?} -> {:?}", found.params(), found.results()),
        });
    }
    Ok(())
}
