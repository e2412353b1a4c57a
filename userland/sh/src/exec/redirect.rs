//! Redirections: each changes one entry of an fd table (a copy of the
//! shell's, for the command it belongs to).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};

use crate::expand::{expand_here_doc, expand_string};
use crate::shell::fds::{FdTable, Handle, Target};
use crate::shell::{Shell, error_text};
use crate::syntax::ast::{Redirect, RedirectKind, RedirectTarget};

/// A pipe holds this much without a reader; a longer here-document goes
/// through a temporary file.
const PIPE_CAPACITY: usize = 64 * 1024;

/// Why a redirection failed: the message, and whether POSIX makes it
/// fatal to a non-interactive shell (an expansion error).
#[derive(Debug)]
pub struct RedirectError {
    pub message: String,
    pub fatal: bool,
}

impl From<String> for RedirectError {
    fn from(message: String) -> RedirectError {
        RedirectError {
            message,
            fatal: false,
        }
    }
}

/// An open file the shell keeps: close-on-exec, so only the commands it
/// is given to (through spawn file actions) get it.
pub fn keep(file: File) -> Target {
    let _ = wasmux_sys::set_cloexec(&file, true);
    Target::Fd(Handle::owned(file))
}

impl Shell {
    /// Applies `redirects` in order to `fds`.
    pub fn apply_redirects(
        &mut self,
        fds: &mut FdTable,
        redirects: &[Redirect],
    ) -> Result<(), RedirectError> {
        for redirect in redirects {
            self.apply_redirect(fds, redirect)?;
        }
        Ok(())
    }

    fn apply_redirect(
        &mut self,
        fds: &mut FdTable,
        redirect: &Redirect,
    ) -> Result<(), RedirectError> {
        let fd = redirect.fd.unwrap_or(redirect.kind.default_fd());
        let word = match &redirect.target {
            RedirectTarget::HereDoc(doc) => {
                let text = match doc.body.get() {
                    Some((_, raw)) if doc.quoted => raw.clone(),
                    Some((parts, _)) => {
                        expand_here_doc(self, parts).map_err(|error| RedirectError {
                            message: error.message,
                            fatal: error.fatal,
                        })?
                    }
                    None => String::new(),
                };
                fds.set(
                    fd,
                    here_document(&text).map_err(|error| error_text(&error))?,
                );
                return Ok(());
            }
            RedirectTarget::Word(word) => {
                expand_string(self, &word.parts).map_err(|error| RedirectError {
                    message: error.message,
                    fatal: error.fatal,
                })?
            }
        };
        let open = |options: &mut OpenOptions| -> Result<Target, RedirectError> {
            match options.open(&word) {
                Ok(file) => Ok(keep(file)),
                Err(error) => Err(format!("{word}: {}", error_text(&error)).into()),
            }
        };
        let target = match redirect.kind {
            RedirectKind::Input => open(OpenOptions::new().read(true))?,
            RedirectKind::Output if self.options.noclobber => {
                if std::fs::metadata(&word).is_ok_and(|metadata| metadata.is_file()) {
                    return Err(format!("{word}: cannot overwrite existing file").into());
                }
                open(OpenOptions::new().write(true).create(true).truncate(true))?
            }
            RedirectKind::Output | RedirectKind::Clobber => {
                open(OpenOptions::new().write(true).create(true).truncate(true))?
            }
            RedirectKind::Append => open(OpenOptions::new().append(true).create(true))?,
            RedirectKind::ReadWrite => {
                open(OpenOptions::new().read(true).write(true).create(true))?
            }
            RedirectKind::DupInput | RedirectKind::DupOutput => {
                if word == "-" {
                    Target::Closed
                } else if let Ok(source) = word.parse::<u32>() {
                    match fds.get(source) {
                        Target::Closed => return Err(format!("{word}: Bad file descriptor").into()),
                        target => target.clone(),
                    }
                } else if redirect.kind == RedirectKind::DupOutput && redirect.fd.is_none() {
                    // `>&file`: stdout and stderr to the file.
                    let target = open(OpenOptions::new().write(true).create(true).truncate(true))?;
                    fds.set(2, target.clone());
                    target
                } else {
                    return Err(format!("{word}: ambiguous redirect").into());
                }
            }
            RedirectKind::HereDoc => Target::Closed,
        };
        fds.set(fd, target);
        Ok(())
    }
}

/// A readable fd holding `text`: a pipe written in full, or an unlinked
/// temporary file when it would not fit.
fn here_document(text: &str) -> io::Result<Target> {
    if text.len() <= PIPE_CAPACITY {
        let (reader, mut writer) = wasmux_sys::pipe(wasmux_sys::PipeFlags::CLOEXEC)?;
        writer.write_all(text.as_bytes())?;
        return Ok(Target::Fd(Handle::owned(reader)));
    }
    let dir = std::env::var("TMPDIR").unwrap_or_else(|_| "/tmp".to_string());
    let path = format!(
        "{dir}/sh-heredoc-{}-{}",
        wasmux_sys::getpid(),
        crate::util::random_u15()
    );
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)?;
    let _ = std::fs::remove_file(&path);
    file.write_all(text.as_bytes())?;
    use std::io::Seek;
    file.seek(io::SeekFrom::Start(0))?;
    Ok(keep(file))
}
