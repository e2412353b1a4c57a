//! The tools that read /proc (kernel/fs/src/procfs): uptime, free, and
//! mount, which lists /proc/mounts (mounting is not in the ABI yet).

use std::ffi::OsString;

use crate::common::{Spec, reason, text, usage_error};
use crate::time::{Civil, now_nanos};

/// The text of a /proc file, or the tool's error message.
fn read_proc(tool: &str, path: &str) -> Result<String, i32> {
    std::fs::read_to_string(path).map_err(|error| {
        eprintln!("{tool}: {path}: {}", reason(&error));
        1
    })
}

/// procps' "up" text: "5 min", " 2:03", "3 days,  2:03".
pub fn up_since_boot(seconds: u64) -> String {
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60);
    let mut text = String::new();
    if days > 0 {
        text += &format!("{days} day{}, ", if days == 1 { "" } else { "s" });
    }
    if hours > 0 {
        text += &format!("{hours:2}:{minutes:02}");
    } else {
        text += &format!("{minutes} min");
    }
    text
}

/// `uptime -p`'s text: "up 2 days, 3 hours, 1 minute".
pub fn pretty_up(seconds: u64) -> String {
    let parts = [
        (seconds / 86_400, "day"),
        (seconds / 3600 % 24, "hour"),
        (seconds / 60 % 60, "minute"),
    ];
    let words: Vec<String> = parts
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, unit)| format!("{count} {unit}{}", if *count == 1 { "" } else { "s" }))
        .collect();
    if words.is_empty() {
        "up 0 minutes".to_string()
    } else {
        format!("up {}", words.join(", "))
    }
}

/// `uptime [-p|-s]`: the time, how long since boot (load averages and
/// user counts are not kept by the kernel, so they are left out).
pub fn uptime(args: Vec<OsString>) -> i32 {
    let spec = Spec {
        short: "ps",
        long: &[("pretty", 'p', false), ("since", 's', false)],
        stop_at_operand: false,
    };
    let parsed = match spec.parse(args.into_iter().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error("uptime", &message, 1),
    };
    let text = match read_proc("uptime", "/proc/uptime") {
        Ok(text) => text,
        Err(status) => return status,
    };
    let seconds = crate::ps::first_number(&text).unwrap_or(0.0) as u64;
    let now = (now_nanos() / 1_000_000_000) as i64;
    if parsed.has('s') {
        println!("{}", Civil::from_unix(now - seconds as i64).date_time());
    } else if parsed.has('p') {
        println!("{}", pretty_up(seconds));
    } else {
        println!(
            " {} up {}",
            Civil::from_unix(now).clock(),
            up_since_boot(seconds)
        );
    }
    0
}

/// The figures of /proc/meminfo, in KiB, by label.
fn meminfo_value(text: &str, label: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(label)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// A size in procps' human form: "512B", "1.5Ki", "64Mi".
pub fn human(bytes: u64) -> String {
    let units = ["B", "Ki", "Mi", "Gi", "Ti", "Pi"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    match unit {
        0 => format!("{bytes}B"),
        _ if value < 10.0 => format!("{value:.1}{}", units[unit]),
        _ => format!("{value:.0}{}", units[unit]),
    }
}

/// free's table for a /proc/meminfo text, sizes shown by `show` (from KiB).
pub fn free_table(meminfo: &str, show: &dyn Fn(u64) -> String) -> String {
    let value = |label| meminfo_value(meminfo, label);
    let (total, free) = (value("MemTotal"), value("MemFree"));
    let cache = value("Buffers") + value("Cached");
    let available = if meminfo.contains("MemAvailable:") {
        value("MemAvailable")
    } else {
        free
    };
    let used = total.saturating_sub(free + cache);
    let (swap_total, swap_free) = (value("SwapTotal"), value("SwapFree"));
    let row = |label: &str, cells: &[u64]| {
        let cells: String = cells
            .iter()
            .map(|&kib| format!("{:>12}", show(kib)))
            .collect();
        format!("{label:<8}{cells}\n")
    };
    format!(
        "{:<8}{:>12}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
        "", "total", "used", "free", "shared", "buff/cache", "available"
    ) + &row(
        "Mem:",
        &[total, used, free, value("Shmem"), cache, available],
    ) + &row(
        "Swap:",
        &[
            swap_total,
            swap_total - swap_free.min(swap_total),
            swap_free,
        ],
    )
}

/// `free [-b|-k|-m|-g|-h]`.
pub fn free(args: Vec<OsString>) -> i32 {
    let spec = Spec {
        short: "bkmgh",
        long: &[
            ("bytes", 'b', false),
            ("kibi", 'k', false),
            ("mebi", 'm', false),
            ("gibi", 'g', false),
            ("human", 'h', false),
        ],
        stop_at_operand: false,
    };
    let parsed = match spec.parse(args.into_iter().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error("free", &message, 1),
    };
    let meminfo = match std::fs::read_to_string("/proc/meminfo") {
        Ok(text) => text,
        Err(error) => {
            eprintln!(
                "free: /proc/meminfo: {} (the kernel publishes no memory figures)",
                reason(&error)
            );
            return 1;
        }
    };
    let unit = parsed.options.last().map_or('k', |(letter, _)| *letter);
    let show = move |kib: u64| match unit {
        'b' => (kib * 1024).to_string(),
        'm' => (kib / 1024).to_string(),
        'g' => (kib / (1024 * 1024)).to_string(),
        'h' => human(kib * 1024),
        _ => kib.to_string(),
    };
    print!("{}", free_table(&meminfo, &show));
    0
}

/// /proc/mounts' escapes (`\040` for a space) undone.
pub fn unescape_octal(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let digits = bytes
            .get(index + 1..index + 4)
            .filter(|d| d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match (bytes[index], digits) {
            (b'\\', Some(digits)) => {
                out.push(
                    digits
                        .iter()
                        .fold(0u8, |value, digit| value.wrapping_mul(8) + (digit - b'0')),
                );
                index += 4;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One /proc/mounts line as mount lists it: "proc on /proc type proc (rw)".
pub fn mount_line(line: &str) -> Option<(String, String)> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [device, path, kind, options, ..] = fields.as_slice() else {
        return None;
    };
    let text = format!(
        "{} on {} type {kind} ({options})",
        unescape_octal(device),
        unescape_octal(path)
    );
    Some((kind.to_string(), text))
}

/// `mount [-l] [-t TYPE]`: lists the mounted filesystems. Mounting is not
/// possible: the Wasmux ABI has no mount call yet.
pub fn mount(args: Vec<OsString>) -> i32 {
    let spec = Spec {
        short: "lt:",
        long: &[("types", 't', true)],
        stop_at_operand: false,
    };
    let parsed = match spec.parse(args.into_iter().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error("mount", &message, 1),
    };
    if !parsed.operands.is_empty() {
        eprintln!("mount: mounting is not supported: the Wasmux ABI has no mount call yet");
        return 32;
    }
    let mounts = match read_proc("mount", "/proc/mounts") {
        Ok(text) => text,
        Err(_) => return 32,
    };
    let types: Vec<String> = parsed
        .value('t')
        .map(|t| text(t).split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    for (kind, line) in mounts.lines().filter_map(mount_line) {
        if types.is_empty() || types.contains(&kind) {
            println!("{line}");
        }
    }
    0
}

#[cfg(test)]
mod tests;
