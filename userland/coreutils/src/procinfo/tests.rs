use super::*;

/// /proc/meminfo as kernel/fs/src/procfs/render.rs writes it.
const MEMINFO: &str =
    "MemTotal:          65536 kB\nMemFree:           49152 kB\nMemAvailable:      49152 kB\n";

#[test]
fn uptime_reads_like_procps() {
    assert_eq!(up_since_boot(59), "0 min");
    assert_eq!(up_since_boot(5 * 60 + 7), "5 min");
    assert_eq!(up_since_boot(2 * 3600 + 3 * 60), " 2:03");
    assert_eq!(up_since_boot(86_400 + 60), "1 day, 1 min");
    assert_eq!(up_since_boot(3 * 86_400 + 14 * 3600), "3 days, 14:00");
    assert_eq!(pretty_up(30), "up 0 minutes");
    assert_eq!(
        pretty_up(86_400 + 3600 + 120),
        "up 1 day, 1 hour, 2 minutes"
    );
}

#[test]
fn free_shows_the_kernels_figures() {
    let kib = |value: u64| value.to_string();
    assert_eq!(
        free_table(MEMINFO, &kib),
        "               total        used        free      shared  buff/cache   available\n\
         Mem:           65536       16384       49152           0           0       49152\n\
         Swap:              0           0           0\n"
    );
    let human_kib = |value: u64| human(value * 1024);
    assert!(
        free_table(MEMINFO, &human_kib)
            .contains("Mem:            64Mi        16Mi        48Mi          0B")
    );
}

#[test]
fn human_sizes_scale_by_1024() {
    assert_eq!(human(512), "512B");
    assert_eq!(human(1536), "1.5Ki");
    assert_eq!(human(64 << 20), "64Mi");
}

#[test]
fn mounts_list_like_util_linux() {
    assert_eq!(
        mount_line("proc /proc proc rw 0 0"),
        Some(("proc".into(), "proc on /proc type proc (rw)".into()))
    );
    assert_eq!(
        mount_line("memfs /my\\040dir memfs ro 0 0").map(|(_, line)| line),
        Some("memfs on /my dir type memfs (ro)".into())
    );
    assert_eq!(mount_line("short"), None);
}
