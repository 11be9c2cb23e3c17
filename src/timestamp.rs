//! Deterministic timestamps, passed as values. Outputs never carry the wall clock: the
//! library dates every edition of a build with one [`Timestamp`] given by the caller, by
//! default [`Timestamp::of_publication`] (the publication date at midnight UTC, else the
//! Unix epoch). Only the CLI reads `SOURCE_DATE_EPOCH` ([`Timestamp::from_epoch_text`]).

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

    /// The default date of a publication's editions: its date (`YYYY-MM-DD`) at
    /// midnight UTC, else 1970-01-01. The EPUB and the PDF of one build both use it.
    pub fn of_publication(date: Option<&str>) -> Timestamp {
        date.and_then(Timestamp::from_date)
            .unwrap_or_else(|| Timestamp::from_unix(0))
    }

    /// Parses a `SOURCE_DATE_EPOCH` value (seconds since the Unix epoch); `None` when it
    /// is not a number. The caller (the CLI) reads the environment, not the library.
    pub fn from_epoch_text(value: &str) -> Option<Timestamp> {
        value.trim().parse::<u64>().ok().map(Timestamp::from_unix)
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

    #[test]
    fn defaults_and_epoch_text() {
        assert_eq!(
            Timestamp::of_publication(Some("2022-11-10")).iso8601(),
            "2022-11-10T00:00:00Z"
        );
        assert_eq!(Timestamp::of_publication(None), Timestamp::from_unix(0));
        assert_eq!(
            Timestamp::of_publication(Some("10/11/2022")),
            Timestamp::from_unix(0)
        );
        assert_eq!(
            Timestamp::from_epoch_text(" 86400\n"),
            Some(Timestamp::from_unix(86_400))
        );
        assert_eq!(Timestamp::from_epoch_text("soon"), None);
    }
}
