//! Reporting periods: a year (`2025`), a quarter (`2025-Q3`) or a month (`2025-07`); and runs of
//! them ([`PeriodRange`]: `2026-01..2026-08`, `2026-Q1..2026-Q3`), the periods of a series.

use crate::labels::RejectionText;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::date::{Date, days_in_month};

/// A calendar period in Vietnam time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A calendar year.
    Year(i32),
    /// A quarter, 1 to 4.
    Quarter(i32, u8),
    /// A month, 1 to 12.
    Month(i32, u8),
}

/// The length of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// Months.
    Month,
    /// Quarters.
    Quarter,
    /// Years.
    Year,
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", RejectionText::NotPeriod.en(&[("value", .0)]))]
pub struct PeriodError(pub String);

impl Period {
    /// The year the period lies in.
    #[must_use]
    pub const fn year(self) -> i32 {
        match self {
            Self::Year(y) | Self::Quarter(y, _) | Self::Month(y, _) => y,
        }
    }

    /// The period's length.
    #[must_use]
    pub const fn granularity(self) -> Granularity {
        match self {
            Self::Year(_) => Granularity::Year,
            Self::Quarter(..) => Granularity::Quarter,
            Self::Month(..) => Granularity::Month,
        }
    }

    /// The first month, 1 to 12.
    #[must_use]
    pub const fn first_month(self) -> u8 {
        match self {
            Self::Year(_) => 1,
            Self::Quarter(_, q) => (q - 1) * 3 + 1,
            Self::Month(_, m) => m,
        }
    }

    /// The last month, 1 to 12.
    #[must_use]
    pub const fn last_month(self) -> u8 {
        match self {
            Self::Year(_) => 12,
            Self::Quarter(_, q) => q * 3,
            Self::Month(_, m) => m,
        }
    }

    /// The first day.
    #[must_use]
    pub fn first_day(self) -> Date {
        Date::new(self.year(), self.first_month(), 1).unwrap_or_else(|| Date::from_days_since_epoch(0))
    }

    /// The last day.
    #[must_use]
    pub fn last_day(self) -> Date {
        let m = self.last_month();
        Date::new(self.year(), m, days_in_month(self.year(), m)).unwrap_or_else(|| Date::from_days_since_epoch(0))
    }

    /// Whether `other` lies inside this period (a period contains itself).
    #[must_use]
    pub fn contains(self, other: Self) -> bool {
        self.year() == other.year()
            && self.first_month() <= other.first_month()
            && other.last_month() <= self.last_month()
    }

    /// Whether the two periods share at least one month.
    #[must_use]
    pub fn overlaps(self, other: Self) -> bool {
        self.year() == other.year()
            && self.first_month() <= other.last_month()
            && other.first_month() <= self.last_month()
    }

    /// Whether the period contains `date`.
    #[must_use]
    pub fn contains_date(self, date: Date) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }

    /// The period of this granularity that contains `date`.
    #[must_use]
    pub fn containing(granularity: Granularity, date: Date) -> Self {
        match granularity {
            Granularity::Year => Self::Year(date.year()),
            Granularity::Quarter => Self::Quarter(date.year(), (date.month() - 1) / 3 + 1),
            Granularity::Month => Self::Month(date.year(), date.month()),
        }
    }

    /// The periods of `granularity` from the one containing `from` to the one containing `to`.
    #[must_use]
    pub fn range(granularity: Granularity, from: Date, to: Date) -> Vec<Self> {
        let mut out = Vec::new();
        let mut p = Self::containing(granularity, from);
        while p.first_day() <= to {
            out.push(p);
            p = p.next();
        }
        out
    }

    /// The period of the same length that follows.
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::Year(y) => Self::Year(y + 1),
            Self::Quarter(y, 4) => Self::Quarter(y + 1, 1),
            Self::Quarter(y, q) => Self::Quarter(y, q + 1),
            Self::Month(y, 12) => Self::Month(y + 1, 1),
            Self::Month(y, m) => Self::Month(y, m + 1),
        }
    }

    /// The period of the same length that precedes.
    #[must_use]
    pub fn previous(self) -> Self {
        match self {
            Self::Year(y) => Self::Year(y - 1),
            Self::Quarter(y, 1) => Self::Quarter(y - 1, 4),
            Self::Quarter(y, q) => Self::Quarter(y, q - 1),
            Self::Month(y, 1) => Self::Month(y - 1, 12),
            Self::Month(y, m) => Self::Month(y, m - 1),
        }
    }

    /// A sort key: by end, then shorter first (a month before the year it ends).
    #[must_use]
    pub fn sort_key(self) -> (i32, u8, Granularity) {
        (self.year(), self.last_month(), self.granularity())
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Year(y) => write!(f, "{y:04}"),
            Self::Quarter(y, q) => write!(f, "{y:04}-Q{q}"),
            Self::Month(y, m) => write!(f, "{y:04}-{m:02}"),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PeriodError(s.to_owned());
        let b = s.as_bytes();
        let digits = |r: &[u8]| -> Option<u32> {
            if r.is_empty() || !r.iter().all(u8::is_ascii_digit) {
                return None;
            }
            r.iter().try_fold(0u32, |acc, d| acc.checked_mul(10)?.checked_add(u32::from(d - b'0')))
        };
        let year = i32::try_from(digits(b.get(..4).ok_or_else(err)?).ok_or_else(err)?).map_err(|_| err())?;
        if year < 1 {
            return Err(err());
        }
        match b.get(4..) {
            Some([]) => Ok(Self::Year(year)),
            Some([b'-', b'Q' | b'q', q @ b'1'..=b'4']) => Ok(Self::Quarter(year, q - b'0')),
            Some([b'-', m1, m2]) => {
                let m = digits(&[*m1, *m2]).ok_or_else(err)?;
                if (1..=12).contains(&m) {
                    Ok(Self::Month(year, u8::try_from(m).map_err(|_| err())?))
                } else {
                    Err(err())
                }
            }
            _ => Err(err()),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Period {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "pattern": "^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$",
            "description": "a year (2025), a quarter (2025-Q3) or a month (2025-07)" })
    }
}

/// The most periods a [`PeriodRange`] may hold: five years of months. A series holds one full
/// scorecard per period, so the cap bounds its memory (and a typo such as `2016-01..2026-08` is
/// caught rather than scored for ten years).
pub const MAX_RANGE_PERIODS: u32 = 60;

/// Consecutive periods of one length, from `first` to `last` inclusive: `2026-01..2026-08`,
/// `2026-Q1..2026-Q3`, `2024..2026`. A single period is a range of one (`2026-08`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PeriodRange {
    first: Period,
    last: Period,
}

/// Why a period range could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodRangeError {
    /// One end is not a period.
    #[error(transparent)]
    Period(#[from] PeriodError),
    /// The ends are periods of different lengths (a month and a quarter).
    #[error("{}", RejectionText::RangeMixed.en(&[("first", .first), ("last", .last)]))]
    Mixed {
        /// The first end.
        first: Period,
        /// The last end.
        last: Period,
    },
    /// The first end is after the last.
    #[error("{}", RejectionText::RangeReversed.en(&[("first", .first), ("last", .last)]))]
    Reversed {
        /// The first end.
        first: Period,
        /// The last end.
        last: Period,
    },
    /// More than [`MAX_RANGE_PERIODS`] periods.
    #[error("{}", RejectionText::RangeTooLong.en(&[("range", .range), ("count", .count), ("max", &MAX_RANGE_PERIODS)]))]
    TooLong {
        /// The range as written.
        range: String,
        /// Its number of periods.
        count: i64,
    },
}

/// The position of a period among those of its length (months since year 0, …).
const fn ordinal(p: Period) -> i64 {
    match p {
        Period::Year(y) => y as i64,
        Period::Quarter(y, q) => y as i64 * 4 + q as i64 - 1,
        Period::Month(y, m) => y as i64 * 12 + m as i64 - 1,
    }
}

impl PeriodRange {
    /// The range from `first` to `last`: both of one length, `first` not after `last`, at most
    /// [`MAX_RANGE_PERIODS`] periods.
    pub fn new(first: Period, last: Period) -> Result<Self, PeriodRangeError> {
        if first.granularity() != last.granularity() {
            return Err(PeriodRangeError::Mixed { first, last });
        }
        let count = ordinal(last) - ordinal(first) + 1;
        if count < 1 {
            return Err(PeriodRangeError::Reversed { first, last });
        }
        if count > i64::from(MAX_RANGE_PERIODS) {
            return Err(PeriodRangeError::TooLong { range: format!("{first}..{last}"), count });
        }
        Ok(Self { first, last })
    }

    /// The range of one period.
    #[must_use]
    pub const fn single(period: Period) -> Self {
        Self { first: period, last: period }
    }

    /// The first period.
    #[must_use]
    pub const fn first(self) -> Period {
        self.first
    }

    /// The last period.
    #[must_use]
    pub const fn last(self) -> Period {
        self.last
    }

    /// Whether the range is one period.
    #[must_use]
    pub fn is_single(self) -> bool {
        self.first == self.last
    }

    /// The number of periods, 1 to [`MAX_RANGE_PERIODS`].
    #[must_use]
    pub fn len(self) -> usize {
        usize::try_from(ordinal(self.last) - ordinal(self.first) + 1).unwrap_or(1)
    }

    /// Never: a range holds at least one period.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        false
    }

    /// The periods, first to last.
    pub fn iter(self) -> impl Iterator<Item = Period> {
        std::iter::successors(Some(self.first), |p| Some(p.next())).take(self.len())
    }

    /// The period of the range that `p` is, or lies within (a month within a quarter of a range of
    /// quarters); `None` when there is none.
    #[must_use]
    pub fn slot_of(self, p: Period) -> Option<Period> {
        self.iter().find(|q| q.contains(p))
    }
}

impl fmt::Display for PeriodRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_single() { write!(f, "{}", self.first) } else { write!(f, "{}..{}", self.first, self.last) }
    }
}

impl FromStr for PeriodRange {
    type Err = PeriodRangeError;
    /// `FIRST..LAST`, or one period.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once("..") {
            None => Ok(Self::single(s.trim().parse()?)),
            Some((first, last)) => Self::new(first.trim().parse()?, last.trim().parse()?),
        }
    }
}

impl Serialize for PeriodRange {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PeriodRange {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for s in ["2025", "2025-Q3", "2025-07", "2024-12"] {
            assert_eq!(s.parse::<Period>().unwrap().to_string(), s);
        }
        for bad in ["25", "2025-Q5", "2025-13", "2025-00", "2025-7", "2025-", "x025"] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn containment_and_days() {
        let y: Period = "2025".parse().unwrap();
        let q: Period = "2025-Q3".parse().unwrap();
        let m: Period = "2025-08".parse().unwrap();
        assert!(y.contains(q) && q.contains(m) && !m.contains(q));
        assert!(q.overlaps(m) && !q.overlaps("2025-10".parse().unwrap()));
        assert_eq!(q.last_day().to_string(), "2025-09-30");
        assert_eq!("2024-02".parse::<Period>().unwrap().last_day().to_string(), "2024-02-29");
        assert!(m < q && q < y);
    }

    #[test]
    fn ranges_parse_and_list_their_periods() {
        let r: PeriodRange = "2026-01..2026-08".parse().unwrap();
        assert_eq!(r.len(), 8);
        assert_eq!(r.to_string(), "2026-01..2026-08");
        assert_eq!(r.iter().last().unwrap().to_string(), "2026-08");
        let q: PeriodRange = " 2025-Q4 .. 2026-Q2 ".parse().unwrap();
        let listed: Vec<String> = q.iter().map(|p| p.to_string()).collect();
        assert_eq!(listed, ["2025-Q4", "2026-Q1", "2026-Q2"]);
        assert_eq!(q.slot_of("2026-02".parse().unwrap()).unwrap().to_string(), "2026-Q1");
        assert_eq!(q.slot_of("2026-07".parse().unwrap()), None);
        let one: PeriodRange = "2026-08".parse().unwrap();
        assert!(one.is_single() && one.len() == 1 && one.to_string() == "2026-08");
        assert!("2026-08..2026-08".parse::<PeriodRange>().unwrap().is_single());
        assert_eq!("2024..2026".parse::<PeriodRange>().unwrap().len(), 3);
        let five_years: PeriodRange = "2022-01..2026-12".parse().unwrap();
        assert_eq!(five_years.len(), 60);
        let json = serde_json::to_string(&q).unwrap();
        assert_eq!(serde_json::from_str::<PeriodRange>(&json).unwrap(), q);
    }

    #[test]
    fn bad_ranges_say_why() {
        let err = |s: &str| s.parse::<PeriodRange>().unwrap_err();
        assert!(matches!(err("2026-01..2026-Q3"), PeriodRangeError::Mixed { .. }));
        assert!(matches!(err("2026-08..2026-01"), PeriodRangeError::Reversed { .. }));
        assert!(matches!(err("2022-01..2027-01"), PeriodRangeError::TooLong { count: 61, .. }));
        assert!(matches!(err("2026-13..2026-14"), PeriodRangeError::Period(_)));
        for bad in ["..", "2026-01..", "..2026-01", "2026-01...2026-02", "2026-01..2026-02..2026-03", ""] {
            assert!(bad.parse::<PeriodRange>().is_err(), "{bad}");
        }
        assert_eq!(err("2026-08..2026-01").to_string(), "the first period `2026-08` is after the last `2026-01`");
        assert_eq!(err("1..2").to_string(), "`1` is not a period (expected YYYY, YYYY-Qn or YYYY-MM)");
    }
}
