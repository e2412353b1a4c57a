//! Why a program could not be loaded.

use core::fmt;

/// A program that cannot become a process, with a message that names the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// Not a valid WebAssembly module; wasmi's message says where.
    Invalid(String),
    /// It imports something the kernel does not provide.
    UnknownImport(String),
    /// It imports a system call with the wrong signature.
    ImportType {
        name: String,
        expected: String,
        found: String,
    },
    /// It exports no `_start` function of type `() -> ()`.
    NoStart,
    /// Instantiation failed (a start function trapped, a segment is out of bounds, memory too large).
    Instantiate(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Invalid(message) => write!(f, "invalid WebAssembly module: {message}"),
            LoadError::UnknownImport(name) => write!(f, "unknown import `{name}`"),
            LoadError::ImportType {
                name,
                expected,
                found,
            } => {
                write!(f, "import `{name}` has type {found}, expected {expected}")
            }
            LoadError::NoStart => {
                f.write_str("module exports no `_start` function of type () -> ()")
            }
            LoadError::Instantiate(message) => write!(f, "cannot instantiate module: {message}"),
        }
    }
}

impl std::error::Error for LoadError {}
