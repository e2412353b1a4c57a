//! poll_oneoff with fd subscriptions: a regular file is always ready to read and
//! write; stdout is ready to write; stdin is ready to read once it has data (the
//! host test feeds it "ping\n"); a closed fd reports EBADF in its event. Each fd
//! is polled together with a 5 s timeout guard, which must not be what fires.

use guest::{check_eq, ok, say};

const GUARD: u64 = 99;

fn subscription(userdata: u64, kind: wasi::Eventtype, fd: wasi::Fd) -> wasi::Subscription {
    let readwrite = wasi::SubscriptionFdReadwrite {
        file_descriptor: fd,
    };
    let u = if kind == wasi::EVENTTYPE_FD_READ {
        wasi::SubscriptionUU { fd_read: readwrite }
    } else {
        wasi::SubscriptionUU {
            fd_write: readwrite,
        }
    };
    wasi::Subscription {
        userdata,
        u: wasi::SubscriptionU { tag: kind.raw(), u },
    }
}

fn guard() -> wasi::Subscription {
    let clock = wasi::SubscriptionClock {
        id: wasi::CLOCKID_MONOTONIC,
        timeout: 5_000_000_000,
        precision: 0,
        flags: 0,
    };
    wasi::Subscription {
        userdata: GUARD,
        u: wasi::SubscriptionU {
            tag: wasi::EVENTTYPE_CLOCK.raw(),
            u: wasi::SubscriptionUU { clock },
        },
    }
}

/// Polls one fd (with the guard) and returns its event's errno and type names.
fn poll_one(what: &str, kind: wasi::Eventtype, fd: wasi::Fd) -> String {
    let subscriptions = [subscription(1, kind, fd), guard()];
    // SAFETY: an all-zero Event is a valid value of this plain struct.
    let mut events = [unsafe { std::mem::zeroed::<wasi::Event>() }; 2];
    // SAFETY: `events` has room for both subscriptions.
    let count = ok(
        unsafe { wasi::poll_oneoff(subscriptions.as_ptr(), events.as_mut_ptr(), 2) },
        what,
    );
    check_eq(count, 1, &format!("{what}: exactly one event"));
    let event = events[0];
    check_eq(
        event.userdata,
        1,
        &format!("{what}: the fd's event, not the timeout"),
    );
    check_eq(event.type_, kind, &format!("{what}: event type"));
    let line = format!(
        "{what}: {} {}",
        event.type_.name().to_lowercase(),
        event.error.name()
    );
    say(&line);
    line
}

fn main() {
    let root = guest::root_dir();
    let file = guest::create_file(root, "polled.txt", b"0123456789");
    // SAFETY: fd_seek takes plain numbers.
    ok(unsafe { wasi::fd_seek(file, 0, wasi::WHENCE_SET) }, "seek");

    poll_one("regular file read", wasi::EVENTTYPE_FD_READ, file);
    poll_one("regular file write", wasi::EVENTTYPE_FD_WRITE, file);
    poll_one("stdout write", wasi::EVENTTYPE_FD_WRITE, 1);
    poll_one("stdin read", wasi::EVENTTYPE_FD_READ, 0);

    let line = std::io::read_to_string(std::io::stdin())
        .unwrap_or_else(|error| guest::fail(&error.to_string()));
    check_eq(line.as_str(), "ping\n", "stdin had the data poll saw");
    say("stdin: read ping");

    guest::close(file);
    let subscriptions = [subscription(1, wasi::EVENTTYPE_FD_READ, file), guard()];
    // SAFETY: as in poll_one.
    let mut events = [unsafe { std::mem::zeroed::<wasi::Event>() }; 2];
    // SAFETY: as in poll_one.
    match unsafe { wasi::poll_oneoff(subscriptions.as_ptr(), events.as_mut_ptr(), 2) } {
        Ok(count) => {
            check_eq(count, 1, "closed fd: one event");
            check_eq(
                (events[0].userdata, events[0].error),
                (1, wasi::ERRNO_BADF),
                "closed fd: EBADF in the event",
            );
        }
        Err(errno) => check_eq(errno, wasi::ERRNO_BADF, "closed fd: poll_oneoff's errno"),
    }
    say("closed fd: EBADF");
}
