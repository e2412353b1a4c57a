//! poll_oneoff: wait for clocks and fd readiness.
//!
//! The call is restartable: relative timeouts count from the time the call
//! was first made (`Context::call_time`), so a blocked poll that is restarted
//! after a wake-up keeps its original deadline.

use wasmux_mm::{GuestMemory, StructReader, StructWriter};
use wasmux_proc::Wait;
use wasmux_uapi::{ClockId, Errno, EventRwFlags, EventType, Fd, SubclockFlags, Timestamp, layout};

use crate::context::{Context, SysError, SysResult};
use crate::guest::check_out;

struct Event {
    userdata: u64,
    error: Option<Errno>,
    kind: EventType,
    nbytes: u64,
    hangup: bool,
}

/// What one subscription says now: ready (an event), or not before `deadline`.
enum Check {
    Ready(Event),
    NotBefore(Timestamp),
    NotReady,
}

fn check_clock(
    cx: &Context<'_>,
    sub: &StructReader<{ layout::subscription::SIZE as usize }>,
    userdata: u64,
) -> Check {
    use layout::subscription as s;
    let event = |error| {
        Check::Ready(Event {
            userdata,
            error,
            kind: EventType::Clock,
            nbytes: 0,
            hangup: false,
        })
    };
    let timeout: u64 = sub.get(s::CLOCK_TIMEOUT);
    let Some(flags) = SubclockFlags::from_bits(sub.get(s::CLOCK_FLAGS)) else {
        return event(Some(Errno::Inval));
    };
    let absolute = flags.contains(SubclockFlags::ABSTIME);
    let now = cx.host.monotonic();
    let deadline = match ClockId::from_raw(sub.get(s::CLOCK_ID)) {
        Some(ClockId::Monotonic) if absolute => timeout,
        Some(ClockId::Realtime) if absolute => {
            now.saturating_add(timeout.saturating_sub(cx.host.realtime()))
        }
        Some(ClockId::Monotonic | ClockId::Realtime) => cx.call_time.saturating_add(timeout),
        Some(ClockId::ProcessCputime | ClockId::ThreadCputime) | None => {
            return event(Some(Errno::Inval));
        }
    };
    if deadline <= now {
        event(None)
    } else {
        Check::NotBefore(deadline)
    }
}

fn check_fd(cx: &Context<'_>, fd: u32, kind: EventType, userdata: u64) -> Check {
    let event = |error, nbytes, hangup| {
        Check::Ready(Event {
            userdata,
            error,
            kind,
            nbytes,
            hangup,
        })
    };
    let Ok(entry) = cx.process.fds.get(Fd(fd)) else {
        return event(Some(Errno::BadF), 0, false);
    };
    let readiness = entry.file.poll();
    let ready = match kind {
        EventType::FdRead => readiness.readable,
        _ => readiness.writable,
    };
    if !ready && !readiness.hangup {
        return Check::NotReady;
    }
    let nbytes = match kind {
        EventType::FdRead if entry.file.file().is_seekable() => match entry.file.stat() {
            Ok(meta) => meta.size.saturating_sub(entry.file.tell()),
            Err(_) => 0,
        },
        EventType::FdRead => readiness.read_bytes,
        _ => readiness.write_bytes,
    };
    event(None, nbytes, readiness.hangup)
}

pub fn poll_oneoff(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    subscriptions: u32,
    events: u32,
    count: u32,
    nevents_out: u32,
) -> SysResult {
    use layout::subscription as s;
    if count == 0 {
        return Err(Errno::Inval.into());
    }
    check_out(memory, nevents_out, 4)?;
    check_out(
        memory,
        events,
        count.checked_mul(layout::event::SIZE).ok_or(Errno::Inval)?,
    )?;
    check_out(
        memory,
        subscriptions,
        count.checked_mul(s::SIZE).ok_or(Errno::Inval)?,
    )?;

    let mut ready = Vec::new();
    let mut earliest: Option<Timestamp> = None;
    let mut waits_for_io = false;
    for index in 0..count {
        let address = subscriptions
            .checked_add(index.saturating_mul(s::SIZE))
            .ok_or(Errno::Fault)?;
        let sub = StructReader::<{ s::SIZE as usize }>::read_from(memory, address)?;
        let userdata: u64 = sub.get(s::USERDATA);
        let check = match EventType::from_raw(sub.get(s::TAG)) {
            Some(EventType::Clock) => check_clock(cx, &sub, userdata),
            Some(kind) => {
                waits_for_io = true;
                check_fd(cx, sub.get(s::FD), kind, userdata)
            }
            None => return Err(Errno::Inval.into()),
        };
        match check {
            Check::Ready(event) => ready.push(event),
            Check::NotBefore(deadline) => {
                earliest = Some(earliest.map_or(deadline, |e| e.min(deadline)))
            }
            Check::NotReady => {}
        }
    }

    if ready.is_empty() {
        let wait = match (waits_for_io, earliest) {
            (false, Some(deadline)) => Wait::Until(deadline),
            (_, deadline) => Wait::Io { deadline },
        };
        return Err(SysError::Block(wait));
    }

    for (index, event) in (0u32..).zip(&ready) {
        use layout::event as e;
        let mut out = StructWriter::<{ e::SIZE as usize }>::default();
        let flags = if event.hangup {
            EventRwFlags::HANGUP
        } else {
            EventRwFlags::empty()
        };
        out.set(e::USERDATA, event.userdata)
            .set(e::ERROR, event.error.map_or(0, Errno::raw))
            .set(e::TYPE, event.kind.raw())
            .set(e::NBYTES, event.nbytes)
            .set(e::FLAGS, flags.bits());
        out.write_to(memory, events.saturating_add(index.saturating_mul(e::SIZE)))?;
    }
    let nevents = u32::try_from(ready.len()).unwrap_or(count);
    wasmux_mm::GuestMemoryExt::write_value(memory, nevents_out, nevents)?;
    Ok(())
}
