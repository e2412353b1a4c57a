//! Calendar arithmetic for the hand-written tools, in UTC (Wasmux has no
//! timezone database): Unix seconds to a civil date and back to text.

use std::time::{SystemTime, UNIX_EPOCH};

/// A moment in UTC, broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

/// The civil date of day `days` since 1970-01-01 (proleptic Gregorian),
/// counting in 400-year eras of 146,097 days.
fn date_of_day(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468; // day 0 = 0000-03-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // 0 = March
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl Civil {
    /// `seconds` since the Unix epoch, in UTC.
    pub fn from_unix(seconds: i64) -> Civil {
        let (year, month, day) = date_of_day(seconds.div_euclid(86_400));
        let of_day = seconds.rem_euclid(86_400) as u32;
        Civil {
            year,
            month,
            day,
            hour: of_day / 3600,
            minute: of_day / 60 % 60,
            second: of_day % 60,
        }
    }

    /// "2024-01-31 23:59:07".
    pub fn date_time(&self) -> String {
        format!("{} {}", self.date(), self.clock())
    }

    /// "2024-01-31".
    pub fn date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// "23:59:07".
    pub fn clock(&self) -> String {
        format!("{:02}:{:02}:{:02}", self.hour, self.minute, self.second)
    }

    /// "Jan", the month's abbreviation.
    pub fn month_name(&self) -> &'static str {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        MONTHS[(self.month as usize + 11) % 12]
    }

    /// "Jan31", ps's start column for an older day.
    pub fn month_day(&self) -> String {
        format!("{}{:02}", self.month_name(), self.day)
    }
}

/// The wall clock, in nanoseconds since the epoch (0 if it is before it).
pub fn now_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or(0)
}

/// A duration of `seconds` as ps shows CPU time: "00:01:05", "2-03:00:00".
pub fn cpu_time(seconds: u64) -> String {
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let clock = format!("{:02}:{:02}:{:02}", rest / 3600, rest / 60 % 60, rest % 60);
    if days > 0 {
        format!("{days}-{clock}")
    } else {
        clock
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates_break_down() {
        assert_eq!(Civil::from_unix(0).date_time(), "1970-01-01 00:00:00");
        assert_eq!(
            Civil::from_unix(1_704_067_200).date_time(),
            "2024-01-01 00:00:00"
        );
        assert_eq!(Civil::from_unix(951_782_400).date(), "2000-02-29");
        assert_eq!(Civil::from_unix(-1).date_time(), "1969-12-31 23:59:59");
        assert_eq!(Civil::from_unix(1_709_251_199).month_day(), "Feb29");
    }

    #[test]
    fn cpu_times_read_like_ps() {
        assert_eq!(cpu_time(65), "00:01:05");
        assert_eq!(cpu_time(2 * 86_400 + 3 * 3600), "2-03:00:00");
    }
}
