//! Reporting periods: a year (`2025`), a quarter (`2025-Q3`) or a month (`2025-07`).

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
}
