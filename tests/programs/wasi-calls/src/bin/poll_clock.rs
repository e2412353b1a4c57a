//! poll_oneoff with clock subscriptions: a relative timeout sleeps at least that
//! long; an absolute deadline on the monotonic clock likewise; of two timeouts
//! the earlier one fires; no subscription at all is EINVAL.

use guest::{check, check_eq, expect_errno, ok, say};

const MILLISECOND: u64 = 1_000_000;

fn clock(userdata: u64, timeout: u64, flags: wasi::Subclockflags) -> wasi::Subscription {
    wasi::Subscription {
        userdata,
        u: wasi::SubscriptionU {
            tag: wasi::EVENTTYPE_CLOCK.raw(),
            u: wasi::SubscriptionUU {
                clock: wasi::SubscriptionClock {
                    id: wasi::CLOCKID_MONOTONIC,
                    timeout,
                    precision: 0,
                    flags,
                },
            },
        },
    }
}

fn poll(subscriptions: &[wasi::Subscription]) -> Vec<wasi::Event> {
    // SAFETY: an all-zero Event is a valid value of this plain struct.
    let mut events = vec![unsafe { std::mem::zeroed::<wasi::Event>() }; subscriptions.len()];
    // SAFETY: `events` has room for one event per subscription.
    let count = ok(
        unsafe {
            wasi::poll_oneoff(
                subscriptions.as_ptr(),
                events.as_mut_ptr(),
                subscriptions.len(),
            )
        },
        "poll_oneoff",
    );
    events.truncate(count);
    events
}

fn now() -> u64 {
    // SAFETY: clock_time_get writes only its result.
    ok(
        unsafe { wasi::clock_time_get(wasi::CLOCKID_MONOTONIC, 1) },
        "clock_time_get",
    )
}

fn main() {
    let start = now();
    let events = poll(&[clock(7, 20 * MILLISECOND, 0)]);
    check(
        now() - start >= 20 * MILLISECOND,
        "a relative 20 ms timeout waits at least 20 ms",
    );
    check_eq(events.len(), 1, "one event");
    check_eq(
        (events[0].userdata, events[0].error, events[0].type_),
        (7, wasi::ERRNO_SUCCESS, wasi::EVENTTYPE_CLOCK),
        "event",
    );
    say("relative 20 ms: waited, event userdata 7");

    let deadline = now() + 20 * MILLISECOND;
    let events = poll(&[clock(
        8,
        deadline,
        wasi::SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME,
    )]);
    check(
        now() >= deadline,
        "an absolute deadline is reached before returning",
    );
    check_eq(
        (events.len(), events[0].userdata, events[0].type_),
        (1, 8, wasi::EVENTTYPE_CLOCK),
        "event",
    );
    say("absolute deadline: reached, event userdata 8");

    let past = now().saturating_sub(1_000 * MILLISECOND);
    let events = poll(&[clock(
        9,
        past,
        wasi::SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME,
    )]);
    check_eq(
        (events.len(), events[0].userdata),
        (1, 9),
        "a deadline in the past fires at once",
    );
    say("absolute deadline in the past: fires at once");

    let start = now();
    let events = poll(&[
        clock(1, 5_000 * MILLISECOND, 0),
        clock(2, 10 * MILLISECOND, 0),
    ]);
    check(
        now() - start < 4_000 * MILLISECOND,
        "the earlier timeout ends the poll",
    );
    check_eq(
        events
            .iter()
            .map(|event| event.userdata)
            .collect::<Vec<_>>(),
        vec![2],
        "only the earlier fired",
    );
    say("two timeouts: the earlier one (userdata 2) fires alone");

    let events = poll(&[clock(3, 0, 0)]);
    check_eq(
        (events.len(), events[0].userdata),
        (1, 3),
        "a zero timeout fires at once",
    );
    say("zero timeout: fires at once");

    // SAFETY: no subscription is read and no event written.
    let result = unsafe { wasi::poll_oneoff(std::ptr::null(), std::ptr::null_mut(), 0) };
    expect_errno(result, &[wasi::ERRNO_INVAL], "no subscriptions");
    say("no subscriptions: EINVAL");
}
