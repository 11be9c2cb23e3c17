//! Deterministic timestamps, passed as values. Outputs never carry the wall clock: the
//! library dates every edition of a build with one [`Timestamp`] given by the caller, by
//! default [`Timestamp::of_publication`] (the publication date at midnight UTC, else the
//! Unix epoch). Only the CLI reads `SOURCE_DATE_EPOCH` ([`Timestamp::from_epoch_text`]).

/// A UTC date and time, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(jiff::Timestamp);

impl Timestamp {
    /// From seconds since the Unix epoch (UTC); beyond jiff's range, its last whole
    /// second (9999-12-30T22:00:00Z).
    pub(crate) fn from_unix(secs: u64) -> Timestamp {
        let secs = i64::try_from(secs).unwrap_or(i64::MAX);
        Timestamp(jiff::Timestamp::from_second(secs).unwrap_or_else(|_| {
            // The last whole second jiff represents.
            jiff::Timestamp::from_second(jiff::Timestamp::MAX.as_second())
                .unwrap_or(jiff::Timestamp::MAX)
        }))
    }

    /// From a `YYYY-MM-DD` date, at midnight.
    pub fn from_date(date: &str) -> Option<Timestamp> {
        let date = calendar_date(date)?;
        jiff::tz::Offset::UTC
            .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .ok()
            .map(Timestamp)
    }

    /// The default date of a publication's editions: its date (`YYYY-MM-DD`) at
    /// midnight UTC, else 1970-01-01. Every edition of one build uses it.
    pub(crate) fn of_publication(date: Option<&str>) -> Timestamp {
        date.and_then(Timestamp::from_date)
            .unwrap_or_else(|| Timestamp::from_unix(0))
    }

    /// Parses a `SOURCE_DATE_EPOCH` value (seconds since the Unix epoch); `None` when it
    /// is not a number or past the year 9999. The caller (the CLI) reads the environment,
    /// not the library.
    pub(crate) fn from_epoch_text(value: &str) -> Option<Timestamp> {
        let secs: i64 = value.trim().parse::<u64>().ok()?.try_into().ok()?;
        jiff::Timestamp::from_second(secs).ok().map(Timestamp)
    }

    fn civil(&self) -> jiff::civil::DateTime {
        jiff::tz::Offset::UTC.to_datetime(self.0)
    }

    /// Year (1970 … 9999 for the timestamps anpham makes).
    pub(crate) fn year(&self) -> u16 {
        u16::try_from(self.civil().year()).unwrap_or(0)
    }

    /// Month, 1–12.
    pub(crate) fn month(&self) -> u8 {
        self.civil().month().unsigned_abs()
    }

    /// Day of the month, 1–31.
    pub(crate) fn day(&self) -> u8 {
        self.civil().day().unsigned_abs()
    }

    /// Hour, 0–23.
    pub(crate) fn hour(&self) -> u8 {
        self.civil().hour().unsigned_abs()
    }

    /// Minute, 0–59.
    pub(crate) fn minute(&self) -> u8 {
        self.civil().minute().unsigned_abs()
    }

    /// Second, 0–59.
    pub(crate) fn second(&self) -> u8 {
        self.civil().second().unsigned_abs()
    }

    /// ISO 8601 / W3CDTF, `2022-11-10T00:00:00Z`.
    pub(crate) fn iso8601(&self) -> String {
        let t = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

/// The calendar date of a `YYYY-MM-DD` string (year 1000 or later), checked by `jiff`.
pub(crate) fn calendar_date(s: &str) -> Option<jiff::civil::Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|x| x.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|x| x.parse::<i16>().ok())
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if y < 1000 {
        return None;
    }
    jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
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
        // Past jiff's range (year 9999): not a date.
        assert_eq!(Timestamp::from_epoch_text("18446744073709551615"), None);
        assert_eq!(
            Timestamp::from_unix(u64::MAX).iso8601(),
            "9999-12-30T22:00:00Z"
        );
    }
}
