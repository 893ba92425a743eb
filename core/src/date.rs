//! Civil dates and instants in Vietnam time (UTC+7, no daylight saving).
//!
//! Parsing is hand-written over bytes: it runs once per field of millions of dossier records.

use crate::labels::RejectionText;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Offset of Vietnam local time from UTC, in seconds.
pub const VIETNAM_OFFSET_SECONDS: i64 = 7 * 3600;

const SECONDS_PER_DAY: i64 = 86_400;

/// Why a date or time could not be read (the texts are the catalogue's).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text has none of the accepted shapes of a date with an optional time of day.
    #[error("{}", RejectionText::NotDateTime.en(&[("value", .0)]))]
    Shape(String),
    /// The text has none of the accepted shapes of a day (where a day alone is expected).
    #[error("{}", RejectionText::NotDate.en(&[("value", .0)]))]
    DayShape(String),
    /// The text has none of the accepted shapes of a day in a tabular input.
    #[error("{}", RejectionText::NotDay.en(&[("value", .0)]))]
    TabularDayShape(String),
    /// A day alone is expected, and the text has a time of day.
    #[error("{}", RejectionText::HasTime.en(&[("value", .0)]))]
    HasTime(String),
    /// The shape is right but the day does not exist.
    #[error("{}", RejectionText::NoSuchDay.en(&[("value", .0)]))]
    NoSuchDay(String),
    /// The day exists but the time of day does not (hour 25, minute 61).
    #[error("{}", RejectionText::NoSuchTime.en(&[("value", .0)]))]
    NoSuchTime(String),
}

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Days in `month` of `year`.
#[must_use]
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// The date, if it exists.
    #[must_use]
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) && (1..=9999).contains(&year))
            .then_some(Self { year, month, day })
    }

    /// The year.
    #[must_use]
    pub const fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    #[must_use]
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    #[must_use]
    pub const fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    #[must_use]
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    #[must_use]
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // The arithmetic keeps day in 1..=31 and month in 1..=12.
        Self {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(12),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// The first instant of this day, Vietnam time.
    #[must_use]
    pub fn start(self) -> Instant {
        Instant(self.days_since_epoch() * SECONDS_PER_DAY - VIETNAM_OFFSET_SECONDS)
    }

    /// The last second of this day (23:59:59), Vietnam time.
    #[must_use]
    pub fn end(self) -> Instant {
        Instant(self.start().0 + SECONDS_PER_DAY - 1)
    }

    /// The last day of this date's month.
    #[must_use]
    pub fn end_of_month(self) -> Self {
        Self { day: days_in_month(self.year, self.month), ..self }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;
    /// `YYYY-MM-DD` only: the shape of arguments (`--as-of`) and of JSON. Tabular inputs also
    /// take the day-first shapes of exports ([`Date::parse_tabular`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_day(s, false)
    }
}

impl Date {
    /// A day in a tabular input: `YYYY-MM-DD`, or day first as exports write it, `DD/MM/YYYY` or
    /// `DD-MM-YYYY` (exports.md).
    pub fn parse_tabular(s: &str) -> Result<Self, DateError> {
        parse_day(s, true)
    }
}

/// A day alone, ISO only or also day first (`tabular`), with the errors of a day: a time of day is
/// called one, any other shape is not a day.
fn parse_day(s: &str, tabular: bool) -> Result<Date, DateError> {
    let part = if tabular { parse_date_part } else { parse_ymd };
    let shape = |t: String| if tabular { DateError::TabularDayShape(t) } else { DateError::DayShape(t) };
    let b = s.as_bytes();
    if b.len() != 10 {
        let has_time = matches!(b.get(10), Some(b'T' | b't' | b' ')) && b.get(..10).is_some_and(|d| part(d, s).is_ok());
        return Err(if has_time { DateError::HasTime(s.to_owned()) } else { shape(s.to_owned()) });
    }
    part(b, s).map_err(|e| match e {
        DateError::Shape(t) => shape(t),
        other => other,
    })
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" })
    }
}

/// An instant, as seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

impl Instant {
    /// The civil date of this instant in Vietnam.
    #[must_use]
    pub fn local_date(self) -> Date {
        Date::from_days_since_epoch((self.0 + VIETNAM_OFFSET_SECONDS).div_euclid(SECONDS_PER_DAY))
    }
}

/// What a date without a time means where it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOnly {
    /// The start of the day (received, finished dates).
    StartOfDay,
    /// The end of the day, 23:59:59 local (due dates).
    EndOfDay,
}

fn two(b: &[u8], at: usize) -> Option<u32> {
    let hi = *b.get(at)?;
    let lo = *b.get(at + 1)?;
    (hi.is_ascii_digit() && lo.is_ascii_digit()).then(|| u32::from(hi - b'0') * 10 + u32::from(lo - b'0'))
}

/// Reads the 10-byte date at the start of a field: `YYYY-MM-DD`, or day first as the provincial
/// systems export it, `DD/MM/YYYY` or `DD-MM-YYYY` (exports.md). `MM/DD/YYYY` is never guessed:
/// `03/04/2026` is 3 April.
fn parse_date_part(b: &[u8], s: &str) -> Result<Date, DateError> {
    match (b.get(2), b.get(5)) {
        (Some(a @ (b'/' | b'-')), Some(c)) if a == c => parse_dmy(b, s),
        _ => parse_ymd(b, s),
    }
}

fn parse_dmy(b: &[u8], s: &str) -> Result<Date, DateError> {
    let shape = || DateError::Shape(s.to_owned());
    let day = two(b, 0).ok_or_else(shape)?;
    let month = two(b, 3).ok_or_else(shape)?;
    let (y1, y2) = (two(b, 6).ok_or_else(shape)?, two(b, 8).ok_or_else(shape)?);
    if b.len() != 10 {
        return Err(shape());
    }
    let year = i32::try_from(y1 * 100 + y2).map_err(|_| shape())?;
    Date::new(year, u8::try_from(month).map_err(|_| shape())?, u8::try_from(day).map_err(|_| shape())?)
        .ok_or_else(|| DateError::NoSuchDay(s.to_owned()))
}

fn parse_ymd(b: &[u8], s: &str) -> Result<Date, DateError> {
    let shape = || DateError::Shape(s.to_owned());
    let (y1, y2) = (two(b, 0).ok_or_else(shape)?, two(b, 2).ok_or_else(shape)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err(shape());
    }
    let month = two(b, 5).ok_or_else(shape)?;
    let day = two(b, 8).ok_or_else(shape)?;
    let year = i32::try_from(y1 * 100 + y2).map_err(|_| shape())?;
    Date::new(year, u8::try_from(month).map_err(|_| shape())?, u8::try_from(day).map_err(|_| shape())?)
        .ok_or_else(|| DateError::NoSuchDay(s.to_owned()))
}

/// Reads `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]` with an optional offset (`+07:00`, `-05:00`, `Z`),
/// and the day-first shapes of exports, `DD/MM/YYYY[ HH:MM[:SS]]` and `DD-MM-YYYY[ HH:MM[:SS]]`.
///
/// A time with no offset is Vietnam time. A date alone means the start or the end of the day as
/// `date_only` says. A space is accepted in place of `T`, and a fraction of a second is ignored.
pub fn parse_instant(s: &str, date_only: DateOnly) -> Result<Instant, DateError> {
    let b = s.as_bytes();
    let shape = || DateError::Shape(s.to_owned());
    let date = parse_date_part(b.get(..10).ok_or_else(shape)?, s)?;
    if b.len() == 10 {
        return Ok(match date_only {
            DateOnly::StartOfDay => date.start(),
            DateOnly::EndOfDay => date.end(),
        });
    }
    if !matches!(b.get(10), Some(b'T' | b' ')) {
        return Err(shape());
    }
    let hour = two(b, 11).ok_or_else(shape)?;
    if b.get(13) != Some(&b':') {
        return Err(shape());
    }
    let minute = two(b, 14).ok_or_else(shape)?;
    let mut at = 16;
    let mut second = 0;
    if b.get(at) == Some(&b':') {
        second = two(b, at + 1).ok_or_else(shape)?;
        at += 3;
        if b.get(at) == Some(&b'.') {
            at += 1;
            while b.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(DateError::NoSuchTime(s.to_owned()));
    }
    let offset = match b.get(at..) {
        Some([]) => VIETNAM_OFFSET_SECONDS,
        Some([b'Z' | b'z']) => 0,
        Some([sign @ (b'+' | b'-'), rest @ ..]) => {
            let digits: [u8; 4] = match rest {
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => [*h1, *h2, *m1, *m2],
                _ => return Err(shape()),
            };
            let oh = two(&digits, 0).ok_or_else(shape)?;
            let om = two(&digits, 2).ok_or_else(shape)?;
            if oh > 14 || om > 59 {
                return Err(shape());
            }
            let secs = i64::from(oh * 3600 + om * 60);
            if *sign == b'+' { secs } else { -secs }
        }
        _ => return Err(shape()),
    };
    let local = date.days_since_epoch() * SECONDS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second);
    Ok(Instant(local - offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for days in [-1_000_000i64, -1, 0, 1, 19_000, 20_454, 2_000_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2024, 2, 29).unwrap().to_string(), "2024-02-29");
        assert!(Date::new(2025, 2, 29).is_none());
    }

    #[test]
    fn day_first_shapes_of_exports() {
        let iso = parse_instant("2026-04-03T08:05:09", DateOnly::StartOfDay).unwrap();
        for text in ["03/04/2026 08:05:09", "03-04-2026 08:05:09", "03/04/2026T08:05:09"] {
            assert_eq!(parse_instant(text, DateOnly::StartOfDay), Ok(iso), "{text}");
        }
        assert_eq!(parse_instant("03/04/2026", DateOnly::EndOfDay), parse_instant("2026-04-03", DateOnly::EndOfDay));
        assert_eq!(Date::parse_tabular("03/04/2026").unwrap().to_string(), "2026-04-03");
        // Arguments and JSON keep the one ISO shape.
        assert!("03/04/2026".parse::<Date>().is_err());
        assert!(matches!(parse_instant("31/02/2026", DateOnly::StartOfDay), Err(DateError::NoSuchDay(_))));
        // Mixed separators, a two-digit year, and month first are not shapes.
        for text in ["03/04-2026", "03/04/26", "2026/04/03", "3/4/2026"] {
            assert!(matches!(parse_instant(text, DateOnly::StartOfDay), Err(DateError::Shape(_))), "{text}");
        }
        assert!(matches!(Date::parse_tabular("03/04/2026 10:00"), Err(DateError::HasTime(_))));
    }

    #[test]
    fn date_only_means_start_or_end_of_local_day() {
        let start = parse_instant("2025-07-01", DateOnly::StartOfDay).unwrap();
        let end = parse_instant("2025-07-01", DateOnly::EndOfDay).unwrap();
        assert_eq!(end.0 - start.0, 86_399);
        assert_eq!(start, parse_instant("2025-06-30T17:00:00Z", DateOnly::StartOfDay).unwrap());
        assert_eq!(start, parse_instant("2025-07-01T00:00", DateOnly::StartOfDay).unwrap());
        assert_eq!(start, parse_instant("2025-07-01T00:00:00+07:00", DateOnly::EndOfDay).unwrap());
        assert_eq!(start.local_date().to_string(), "2025-07-01");
        // 23:30 UTC on 30 June is 06:30 on 1 July in Vietnam.
        assert_eq!(
            parse_instant("2025-06-30T23:30:00Z", DateOnly::StartOfDay).unwrap().local_date().to_string(),
            "2025-07-01"
        );
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "2025-7-1",
            "2025-13-01",
            "2025-02-30",
            "2025-07-01T25:00",
            "2025-07-01X",
            "2025-07-01T10:00+7",
            "abcd-ef-gh",
        ] {
            assert!(parse_instant(bad, DateOnly::StartOfDay).is_err(), "{bad}");
        }
    }

    #[test]
    fn messages_say_what_is_wrong() {
        let day = |s: &str| s.parse::<Date>().unwrap_err().to_string();
        let at = |s: &str| parse_instant(s, DateOnly::StartOfDay).unwrap_err().to_string();
        // A time where a day alone is expected (`--as-of`) is not called "not a date" with a
        // hint that times are accepted.
        assert_eq!(
            day("2026-11-28T10:00"),
            "`2026-11-28T10:00` has a time of day; a date alone is expected here (YYYY-MM-DD)"
        );
        assert_eq!(
            day("2026-11-28 10:00"),
            "`2026-11-28 10:00` has a time of day; a date alone is expected here (YYYY-MM-DD)"
        );
        assert_eq!(day("28/11/2026"), "`28/11/2026` is not a date (expected YYYY-MM-DD)");
        assert_eq!(day("2026-1-28"), "`2026-1-28` is not a date (expected YYYY-MM-DD)");
        let tabular = |s: &str| Date::parse_tabular(s).unwrap_err().to_string();
        assert_eq!(tabular("28/11/26"), "`28/11/26` is not a date (expected YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY)");
        assert_eq!(day("2026-02-30"), "`2026-02-30` is not a day of the calendar");
        // Hour 25 is a bad time, not a bad day.
        assert_eq!(
            at("2025-07-01T25:00"),
            "`2025-07-01T25:00` is not a time of day (hours 00 to 23, minutes 00 to 59)"
        );
        assert_eq!(
            at("2025-07-01T10:61"),
            "`2025-07-01T10:61` is not a time of day (hours 00 to 23, minutes 00 to 59)"
        );
        assert_eq!(at("2025-02-30T10:00"), "`2025-02-30T10:00` is not a day of the calendar");
        assert!(at("2025/07/01").contains("expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][+07:00|Z], DD/MM/YYYY"));
    }
}
