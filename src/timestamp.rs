//! Deterministic timestamps. Outputs never carry the wall clock: the modification time
//! is `SOURCE_DATE_EPOCH` when set, else the publication date at midnight UTC, else
//! the Unix epoch.

/// A UTC date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute.
    pub minute: u8,
    /// Second.
    pub second: u8,
}

impl Timestamp {
    /// From seconds since the Unix epoch (UTC).
    pub fn from_unix(secs: u64) -> Timestamp {
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Timestamp {
            year,
            month,
            day,
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
        }
    }

    /// From a `YYYY-MM-DD` date, at midnight.
    pub fn from_date(date: &str) -> Option<Timestamp> {
        if !crate::validate::is_date(date) {
            return None;
        }
        Some(Timestamp {
            year: date[0..4].parse().ok()?,
            month: date[5..7].parse().ok()?,
            day: date[8..10].parse().ok()?,
            hour: 0,
            minute: 0,
            second: 0,
        })
    }

    /// The build's timestamp: `SOURCE_DATE_EPOCH`, else `date`, else 1970-01-01.
    pub fn for_build(date: Option<&str>) -> Timestamp {
        if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
        {
            return Timestamp::from_unix(secs);
        }
        date.and_then(Timestamp::from_date)
            .unwrap_or_else(|| Timestamp::from_unix(0))
    }

    /// ISO 8601 / W3CDTF, `2022-11-10T00:00:00Z`.
    pub fn iso8601(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_to_civil() {
        assert_eq!(Timestamp::from_unix(0).iso8601(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp::from_unix(1_668_038_400).iso8601(),
            "2022-11-10T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_unix(951_782_400).iso8601(),
            "2000-02-29T00:00:00Z"
        );
    }
}
