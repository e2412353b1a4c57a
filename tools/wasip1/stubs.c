/*
 * Stubs for symbols that Rust 1.96's std references but Debian 12's wasi-libc
 * (a 2022 snapshot) lacks. They behave like newer wasi-libc's single-threaded
 * "thread stub" build: creating a thread fails with EAGAIN, so
 * std::thread::spawn returns an error instead of the program failing to link.
 *
 * Built by tools/wasip1-prepare into target/wasip1-support/lib and linked by
 * tools/wasip1-linker after libc. Types are kept opaque on purpose: this libc
 * has no <pthread.h>, and std only ever passes pointers.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>

typedef unsigned long stub_pthread_t;

int pthread_attr_init(void *attr) {
    (void)attr;
    return 0;
}

int pthread_attr_destroy(void *attr) {
    (void)attr;
    return 0;
}

int pthread_attr_setstacksize(void *attr, size_t size) {
    (void)attr;
    (void)size;
    return 0;
}

int pthread_create(stub_pthread_t *thread, const void *attr, void *(*start)(void *), void *arg) {
    (void)thread;
    (void)attr;
    (void)start;
    (void)arg;
    return EAGAIN;
}

/* No thread can have been created, so every handle is unknown. */
int pthread_join(stub_pthread_t thread, void **result) {
    (void)thread;
    (void)result;
    return ESRCH;
}

int pthread_detach(stub_pthread_t thread) {
    (void)thread;
    return ESRCH;
}

/* WASI has no absolute host paths to resolve to. */
char *realpath(const char *path, char *resolved) {
    (void)path;
    (void)resolved;
    errno = ENOTSUP;
    return NULL;
}

/*
 * WASI preview1 has no permission bits, so a mode change can only be a no-op.
 * It succeeds when the file exists (std::fs::set_permissions, used by cp).
 */
int chmod(const char *path, mode_t mode) {
    struct stat status;
    (void)mode;
    return stat(path, &status);
}

int fchmod(int fd, mode_t mode) {
    struct stat status;
    (void)mode;
    return fstat(fd, &status);
}

/* The `errno` crate reaches errno through glibc's accessor. */
int *__errno_location(void) {
    return &errno;
}
