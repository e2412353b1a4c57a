//! Error paths: bad fds, bad pointers, dropped rights, escaping the preopen,
//! out-of-range arguments, socket calls on non-sockets. Each must be an errno
//! for the program, never the end of it.

use wasmux_tests::{BOTH_REFERENCES, NO_REFERENCE, NODE_WASI, Scenario, WASMTIME};

#[test]
fn calls_on_a_never_opened_fd_are_ebadf() {
    Scenario::new("error_bad_fd")
        .references(BOTH_REFERENCES)
        .stdout("28 calls on a never-opened fd: EBADF each\n")
        .check();
}

/// Wasmtime traps on a bad pointer and node:wasi answers EOVERFLOW, so neither
/// is a reference: Wasmux answers EFAULT (ARCHITECTURE.md: out of bounds is
/// Errno::Fault, never a panic).
#[test]
fn pointers_outside_memory_are_efault() {
    Scenario::new("error_fault")
        .references(NO_REFERENCE)
        .stdout(concat!(
            "fd_write iovs beyond memory: EFAULT\n",
            "fd_write buffer beyond memory: EFAULT\n",
            "fd_write buffer straddling the end: EFAULT\n",
            "fd_write result beyond memory: EFAULT\n",
            "args_sizes_get beyond memory: EFAULT\n",
            "environ_sizes_get beyond memory: EFAULT\n",
            "clock_time_get result beyond memory: EFAULT\n",
            "random_get buffer beyond memory: EFAULT\n",
            "random_get buffer straddling the end: EFAULT\n",
            "fd_fdstat_get result beyond memory: EFAULT\n",
            "path_open path beyond memory: EFAULT\n",
            "path_create_directory path straddling: EFAULT\n",
            "still running after 12 bad pointers\n",
        ))
        .check();
}

/// Wasmtime no longer implements fd_fdstat_set_rights (ENOTSUP).
#[test]
fn dropped_rights_make_operations_enotcapable() {
    Scenario::new("error_rights")
        .references(NODE_WASI)
        .stdout(concat!(
            "dropped FD_WRITE\n",
            "fd_write without FD_WRITE: ENOTCAPABLE\n",
            "fd_read still works\n",
            "taking FD_WRITE back: ENOTCAPABLE\n",
            "path_open CREAT without PATH_CREATE_FILE: ENOTCAPABLE\n",
        ))
        .check();
}

/// node:wasi clamps ".." at the preopen like a chroot (ENOENT, not a denial).
#[test]
fn paths_escaping_the_preopen_are_denied() {
    let outcomes = Scenario::new("error_path_escape")
        .references(WASMTIME)
        .stdout(concat!(
            "open ../outside.txt: denied\n",
            "open /outside.txt: denied\n",
            "open sub/../../outside.txt: denied\n",
            "stat ..: denied\n",
            "mkdir ../made: denied\n",
            "create ../made.txt: denied\n",
            "unlink ../outside.txt: denied\n",
            "rename into ..: denied\n",
            "open sub/../inside.txt: allowed\n",
            "symlink up -> ..: not followed out\n",
            "symlink up-file -> ../outside.txt: not followed out\n",
            "symlink absolute -> /: not followed out\n",
        ))
        .check();
    for outcome in outcomes {
        let sandbox = outcome.root.parent().expect("the root has a parent");
        assert!(
            sandbox.join("outside.txt").exists(),
            "{}: the file outside survived",
            outcome.runtime
        );
        assert!(
            !sandbox.join("made").exists() && !sandbox.join("made.txt").exists(),
            "{}",
            outcome.runtime
        );
        assert!(
            !sandbox.join("moved.txt").exists(),
            "{}: nothing was moved out",
            outcome.runtime
        );
    }
}

/// Wasmtime traps on enum values out of range; node:wasi answers EINVAL.
#[test]
fn out_of_range_enum_arguments_are_einval() {
    Scenario::new("error_invalid_arguments")
        .references(NODE_WASI)
        .stdout(concat!(
            "clock_res_get clock 99: EINVAL\n",
            "clock_time_get clock 99: EINVAL\n",
            "fd_seek whence 3: EINVAL\n",
            "fd_advise advice 9: EINVAL\n",
            "poll_oneoff event type 7: EINVAL\n",
        ))
        .check();
}

/// node:wasi checks rights first (ENOTCAPABLE), so only Wasmtime agrees.
#[test]
fn socket_calls_on_non_sockets_are_enotsock_or_ebadf() {
    Scenario::new("sockets_on_files")
        .references(WASMTIME)
        .stdout(concat!(
            "sock_accept file: NOTSOCK\n",
            "sock_recv file: NOTSOCK\n",
            "sock_send file: NOTSOCK\n",
            "sock_shutdown file: NOTSOCK\n",
            "sock_accept dir: NOTSOCK\n",
            "sock_recv dir: NOTSOCK\n",
            "sock_send dir: NOTSOCK\n",
            "sock_shutdown dir: NOTSOCK\n",
            "sock_accept closed: BADF\n",
            "sock_recv closed: BADF\n",
            "sock_send closed: BADF\n",
            "sock_shutdown closed: BADF\n",
            "the file is untouched\n",
        ))
        .check();
}
