//! Sizes as people read them (`ls -h`, `du -h`, `df -h`): powers of 1024,
//! rounded up as GNU's human_readable rounds them.

const UNITS: [char; 6] = ['K', 'M', 'G', 'T', 'P', 'E'];

/// `bytes` as "999", "1.1K", "10K", "3.0M": one decimal below 10 units,
/// always rounded up.
pub fn human(bytes: u64) -> String {
    if bytes < 1024 {
        return bytes.to_string();
    }
    let mut scaled = bytes as f64 / 1024.0;
    let mut unit = 0;
    while scaled >= 1024.0 && unit + 1 < UNITS.len() {
        scaled /= 1024.0;
        unit += 1;
    }
    let tenths = (scaled * 10.0).ceil() as u64;
    if tenths < 100 {
        return format!("{}.{}{}", tenths / 10, tenths % 10, UNITS[unit]);
    }
    let whole = scaled.ceil() as u64;
    if whole >= 1024 && unit + 1 < UNITS.len() {
        return format!("1.0{}", UNITS[unit + 1]);
    }
    format!("{whole}{}", UNITS[unit])
}

/// `bytes` in 1024-byte units, rounded up (du's and df's default unit).
pub fn kibibytes(bytes: u64) -> u64 {
    bytes.div_ceil(1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes_round_up_like_gnu() {
        assert_eq!(human(0), "0");
        assert_eq!(human(1000), "1000");
        assert_eq!(human(1023), "1023");
        assert_eq!(human(1024), "1.0K");
        assert_eq!(human(1025), "1.1K");
        assert_eq!(human(4096), "4.0K");
        assert_eq!(human(10 * 1024 - 1), "10K");
        assert_eq!(human(10 * 1024), "10K");
        assert_eq!(human(12 * 1024 + 1), "13K");
        assert_eq!(human(3 << 20), "3.0M");
        assert_eq!(human((1 << 20) - 1), "1.0M");
        assert_eq!(human(5 << 30), "5.0G");
    }
}
