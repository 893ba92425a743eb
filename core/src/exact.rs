//! Exact arithmetic for everything that is compared with a threshold or rounded for publication.
//!
//! Ratios stay as integer numerator / denominator pairs; comparisons cross-multiply in `u128`, and
//! rounding to two decimals is done on the rational value, never on a float (a float gives a wrong
//! last digit on inputs such as 1 / 800 = 0.125 %, which must round to 0.13).

use crate::labels::RejectionText;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

mod binary64;
pub use binary64::{portal_percent, portal_score};

/// Rounds the non-negative rational `p / q` to the nearest integer, halves rounded up.
///
/// Returns `None` when `q` is zero.
#[must_use]
pub fn round_half_up(p: u128, q: u128) -> Option<u128> {
    if q == 0 {
        return None;
    }
    let whole = p / q;
    let rest = p % q;
    // rest / q >= 1/2  <=>  2 * rest >= q; `rest < q` so `2 * rest` cannot overflow u128 for q < 2^127.
    Some(if rest >= q - rest { whole + 1 } else { whole })
}

/// The percentage `num / den * 100`, in hundredths of a percent, rounded half-up.
///
/// `percent_hundredths(1, 800)` is `Some(13)` (0.125 % rounds to 0.13 %). `None` when `den` is 0.
#[must_use]
pub fn percent_hundredths(num: u64, den: u64) -> Option<u64> {
    round_half_up(u128::from(num) * 10_000, u128::from(den)).and_then(|v| u64::try_from(v).ok())
}

/// Compares `a / b` with `c / d` exactly (both denominators non-zero).
#[must_use]
pub fn cmp_ratio(a: u64, b: u64, c: u64, d: u64) -> Ordering {
    (u128::from(a) * u128::from(d)).cmp(&(u128::from(c) * u128::from(b)))
}

/// A decimal number with exactly two decimals, stored as an integer count of hundredths.
///
/// It serializes as a JSON number (`81.2`, `0.13`, `62.88`): the hundredths are exact, and the
/// conversion to the JSON number goes through the correctly rounded division by 100, so the printed
/// number is the shortest decimal that names it, which is the two-decimal value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hundredths(pub i64);

impl Hundredths {
    /// The value as a float, for display and charts only.
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "display only; exact values stay integral")]
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl fmt::Display for Hundredths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Hundredths {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Whole values print as integers (`100`, not `100.0`), like thresholds.
        if self.0 % 100 == 0 { serializer.serialize_i64(self.0 / 100) } else { serializer.serialize_f64(self.as_f64()) }
    }
}

impl<'de> Deserialize<'de> for Hundredths {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = serde_json::Number::deserialize(deserializer)?;
        let d: Decimal = number.to_string().parse().map_err(serde::de::Error::custom)?;
        d.to_hundredths().map(Hundredths).ok_or_else(|| serde::de::Error::custom("more than two decimals"))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Hundredths {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Hundredths".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number", "description": "a decimal with two decimals" })
    }
}

/// Scale of [`Percent`]: a percentage is stored in units of 1/10 000 of a percent.
pub const PERCENT_SCALE: u64 = 10_000;

/// A percentage threshold given exactly, with up to four decimals (`80`, `85.5`, `66.6667`).
///
/// Stored as an integer count of 1/10 000 of a percent, so that `num / den >= 80 %` is the integer
/// comparison `num * 100 * 10 000 >= 800 000 * den`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(u64);

impl Percent {
    /// The percentage from whole percent (`Percent::whole(80)` is 80 %).
    #[must_use]
    pub const fn whole(p: u64) -> Self {
        Self(p * PERCENT_SCALE)
    }

    /// The percentage from its count of 1/10 000 of a percent.
    #[must_use]
    pub const fn from_units(units: u64) -> Self {
        Self(units)
    }

    /// The count of 1/10 000 of a percent.
    #[must_use]
    pub const fn units(self) -> u64 {
        self.0
    }

    /// Whether `num / den` compares with this percentage as `ordering` says, exactly.
    ///
    /// With `den == 0` there is no ratio and the answer is `None`.
    #[must_use]
    pub fn cmp_ratio(self, num: u64, den: u64) -> Option<Ordering> {
        if den == 0 {
            return None;
        }
        let lhs = u128::from(num) * 100 * u128::from(PERCENT_SCALE);
        let rhs = u128::from(self.0) * u128::from(den);
        Some(lhs.cmp(&rhs))
    }

    /// The value as a float, for charts and projections only.
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "charts and projections only")]
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / PERCENT_SCALE as f64
    }

    /// The share in [0, 1] as a float, for projections only.
    #[must_use]
    pub fn as_share(self) -> f64 {
        self.as_f64() / 100.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / PERCENT_SCALE;
        let frac = self.0 % PERCENT_SCALE;
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{frac:04}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl FromStr for Percent {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let d: Decimal = s.parse()?;
        d.to_scaled(4).map(Percent).ok_or_else(|| format!("`{s}` has more than four decimals or is too large"))
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % PERCENT_SCALE == 0 {
            serializer.serialize_u64(self.0 / PERCENT_SCALE)
        } else {
            serializer.serialize_f64(self.as_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(serde_json::Number),
            Text(String),
        }
        let text = match Raw::deserialize(deserializer)? {
            Raw::Number(n) => n.to_string(),
            Raw::Text(s) => s,
        };
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Percent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Percent".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "a percentage with up to four decimals, as a number or a decimal string",
            "oneOf": [ { "type": "number", "minimum": 0 }, { "type": "string", "pattern": "^[0-9]+(\\.[0-9]{1,4})?$" } ]
        })
    }
}

/// A non-negative decimal read digit by digit from text (no float on the way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    /// All digits as one integer.
    pub mantissa: u128,
    /// Number of digits after the point.
    pub scale: u32,
}

impl Decimal {
    /// The value in units of 10^-`scale`, if it has at most that many decimals and fits u64.
    #[must_use]
    pub fn to_scaled(self, scale: u32) -> Option<u64> {
        if self.scale > scale {
            // Accept trailing zeros beyond the scale ("80.00000").
            let excess = 10u128.checked_pow(self.scale - scale)?;
            if self.mantissa % excess != 0 {
                return None;
            }
            return u64::try_from(self.mantissa / excess).ok();
        }
        let factor = 10u128.checked_pow(scale - self.scale)?;
        u64::try_from(self.mantissa.checked_mul(factor)?).ok()
    }

    /// The value in hundredths, signed, if it has at most two decimals.
    #[must_use]
    pub fn to_hundredths(self) -> Option<i64> {
        self.to_scaled(2).and_then(|v| i64::try_from(v).ok())
    }
}

impl FromStr for Decimal {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t, ""),
        };
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !all_digits(int) || !all_digits(frac) || (t.contains('.') && frac.is_empty()) {
            return Err(RejectionText::NotDecimal.en(&[("value", &s)]));
        }
        let mut mantissa: u128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(u128::from(b - b'0')))
                .ok_or_else(|| RejectionText::DecimalTooLarge.en(&[("value", &s)]))?;
        }
        let scale = u32::try_from(frac.len()).map_err(|_| RejectionText::TooManyDecimals.en(&[("value", &s)]))?;
        Ok(Self { mantissa, scale })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_on_the_exact_value() {
        assert_eq!(percent_hundredths(1, 800), Some(13));
        assert_eq!(percent_hundredths(812, 1000), Some(8120));
        assert_eq!(percent_hundredths(2, 3), Some(6667));
        assert_eq!(percent_hundredths(1, 3), Some(3333));
        assert_eq!(percent_hundredths(0, 0), None);
        assert_eq!(percent_hundredths(u64::MAX, u64::MAX), Some(10_000));
    }

    #[test]
    fn threshold_boundaries_are_exact() {
        let p80 = Percent::whole(80);
        assert_eq!(p80.cmp_ratio(4, 5), Some(Ordering::Equal));
        assert_eq!(Percent::whole(70).cmp_ratio(7, 10), Some(Ordering::Equal));
        assert_eq!(p80.cmp_ratio(3, 5), Some(Ordering::Less));
        let p855: Percent = "85.5".parse().unwrap();
        assert_eq!(p855.cmp_ratio(171, 200), Some(Ordering::Equal));
        assert_eq!(p855.cmp_ratio(170, 200), Some(Ordering::Less));
    }

    #[test]
    fn percent_text_round_trips() {
        for s in ["80", "85.5", "66.6667", "0", "100"] {
            let p: Percent = s.parse().unwrap();
            assert_eq!(p.to_string(), s);
        }
        assert!("1.23456".parse::<Percent>().is_err());
        assert!("-1".parse::<Percent>().is_err());
        assert!("8e1".parse::<Percent>().is_err());
        assert_eq!(serde_json::to_string(&Percent::whole(80)).unwrap(), "80");
        assert_eq!(serde_json::to_string(&"85.5".parse::<Percent>().unwrap()).unwrap(), "85.5");
        let back: Percent = serde_json::from_str("85.5").unwrap();
        assert_eq!(back.to_string(), "85.5");
    }

    #[test]
    fn hundredths_print_as_two_decimal_numbers() {
        assert_eq!(serde_json::to_string(&Hundredths(8120)).unwrap(), "81.2");
        assert_eq!(serde_json::to_string(&Hundredths(13)).unwrap(), "0.13");
        assert_eq!(serde_json::to_string(&Hundredths(6288)).unwrap(), "62.88");
        assert_eq!(Hundredths(13).to_string(), "0.13");
        assert_eq!(serde_json::to_string(&Hundredths(10_000)).unwrap(), "100");
        assert_eq!(Hundredths(-5).to_string(), "-0.05");
    }

    proptest::proptest! {
        #[test]
        fn every_hundredth_prints_and_parses_back(n in 0i64..100_000_000) {
            let json = serde_json::to_string(&Hundredths(n)).unwrap();
            let back: Hundredths = serde_json::from_str(&json).unwrap();
            proptest::prop_assert_eq!(back, Hundredths(n));
        }

        #[test]
        fn rounding_matches_decimal_long_division(num in 0u64..1_000_000, extra in 0u64..1_000_000) {
            let den = num + extra + 1;
            let h = percent_hundredths(num, den).unwrap();
            // h is the nearest hundredth: |num*10000/den - h| <= 1/2, ties upward.
            let exact2 = u128::from(num) * 20_000;
            let lo = (2 * u128::from(h)).saturating_sub(1) * u128::from(den);
            let hi = (2 * u128::from(h) + 1) * u128::from(den);
            proptest::prop_assert!(exact2 >= lo && exact2 < hi);
        }
    }
}
