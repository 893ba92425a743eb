//! The counts a scorecard is computed from: per unit, per metric, a numerator and a denominator.
//!
//! They come either from a counts JSON file (formats.md, "Decision 766 counts") or from dossier and
//! feedback records ([`super::aggregate`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::exact::Hundredths;
use crate::input::{InputError, Rejection};
use crate::period::Period;

/// A numerator and a denominator, written `[numerator, denominator]` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "[u64; 2]", into = "[u64; 2]")]
pub struct Ratio {
    /// The numerator.
    pub numerator: u64,
    /// The denominator.
    pub denominator: u64,
}

impl Ratio {
    /// A ratio.
    #[must_use]
    pub const fn new(numerator: u64, denominator: u64) -> Self {
        Self { numerator, denominator }
    }
}

impl From<[u64; 2]> for Ratio {
    fn from([numerator, denominator]: [u64; 2]) -> Self {
        Self { numerator, denominator }
    }
}

impl From<Ratio> for [u64; 2] {
    fn from(r: Ratio) -> Self {
        [r.numerator, r.denominator]
    }
}

/// The counts of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UnitCounts {
    /// The unit's id.
    pub unit: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The parent unit's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The unit's level (`commune`, `province` …), used to rank like with like.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Metric code → `[numerator, denominator]`.
    pub metrics: BTreeMap<String, Ratio>,
    /// Figures computed from records that are reported but not scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Reported>,
}

/// The counts of every unit for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Counts {
    /// The period counted.
    pub period: Period,
    /// One entry per unit.
    pub units: Vec<UnitCounts>,
}

/// Figures from records that the index does not score but the plan asks to report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reported {
    /// Completed (finished) dossiers, for the average processing time.
    pub completed_dossiers: u64,
    /// Their total processing time (`finished_at − received_at`), in seconds.
    pub processing_seconds: u128,
    /// `processing_seconds / (86 400 · completed_dossiers)`, rounded half-up to two decimals;
    /// null without completed dossiers.
    pub average_processing_days: Option<Hundredths>,
    /// Dossiers filed online (the channel, whatever the result).
    pub channel_online: u64,
    /// Dossiers filed in person (channel `direct` or empty).
    pub channel_direct: u64,
    /// Dossiers sent by post.
    pub channel_postal: u64,
    /// Online dossiers (as `ONLINE_DOSSIERS` counts them) handled on time.
    pub online_on_time: u64,
    /// Online dossiers handled late.
    pub online_late: u64,
    /// Feedback about rules (`about = rules`).
    pub feedback_about_rules: u64,
    /// Feedback about staff (`about = staff`).
    pub feedback_about_staff: u64,
    /// Other feedback.
    pub feedback_about_other: u64,
}

impl Reported {
    /// Fills `average_processing_days` from the totals.
    #[must_use]
    pub fn with_average(mut self) -> Self {
        let den = u128::from(self.completed_dossiers) * 86_400;
        self.average_processing_days = self
            .processing_seconds
            .checked_mul(100)
            .and_then(|n| crate::exact::round_half_up(n, den))
            .and_then(|h| i64::try_from(h).ok())
            .map(Hundredths);
        self
    }
}

impl Counts {
    /// Reads a counts JSON file. A JSON error is fatal (with its line and column); a unit without
    /// an id or with a duplicate id, and a metric whose numerator is above its denominator, are
    /// rejected (the row is the unit's position in `units`, from 1) and the rest is kept: the
    /// rejected metric is then absent, so it is listed as missing and scored as a zero denominator. With `strict`, the first rejection is
    /// an error.
    pub fn from_json(
        bytes: &[u8],
        source: &str,
        strict: bool,
        rejected: &mut Vec<Rejection>,
    ) -> Result<Self, InputError> {
        let mut counts: Self = serde_json::from_slice(bytes).map_err(|e| InputError::json(source, &e))?;
        let mut local = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut kept = Vec::with_capacity(counts.units.len());
        for (i, mut unit) in std::mem::take(&mut counts.units).into_iter().enumerate() {
            let row = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1);
            let reject = |column: &str, reason: String| Rejection {
                source: source.to_owned(),
                row,
                column: Some(column.to_owned()),
                reason,
            };
            unit.unit = unit.unit.trim().to_owned();
            if unit.unit.is_empty() {
                local.push(reject("unit", "is empty".to_owned()));
                continue;
            }
            if !seen.insert(unit.unit.clone()) {
                local.push(reject("unit", format!("duplicate unit `{}`", unit.unit)));
                continue;
            }
            unit.metrics.retain(|code, r| {
                if r.numerator > r.denominator {
                    local.push(reject(
                        code,
                        format!("numerator {} is above denominator {}", r.numerator, r.denominator),
                    ));
                    false
                } else {
                    true
                }
            });
            kept.push(unit);
        }
        counts.units = kept;
        if strict && !local.is_empty() {
            return Err(InputError::Strict(local.swap_remove(0)));
        }
        rejected.extend(local);
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_counts_and_rejects_bad_metrics_only() {
        let json = br#"{ "period": "2026-08", "units": [
            { "unit": "a", "metrics": { "ON_TIME": [2, 3], "DOSSIER_SYNC": [5, 3] } },
            { "unit": "a", "metrics": {} },
            { "unit": "b", "name": "B", "parent": "a", "metrics": { "ON_TIME": [0, 0] } } ] }"#;
        let mut rejected = Vec::new();
        let c = Counts::from_json(json, "c.json", false, &mut rejected).unwrap();
        assert_eq!(c.units.len(), 2);
        assert_eq!(c.units[0].metrics.len(), 1);
        assert_eq!(rejected.len(), 2);
        assert_eq!(rejected[0].row, 1);
        assert_eq!(rejected[0].column.as_deref(), Some("DOSSIER_SYNC"));
        assert_eq!(rejected[1].row, 2);
        let err = Counts::from_json(json, "c.json", true, &mut Vec::new()).unwrap_err();
        assert_eq!(err.code(), "rejected_row");
    }

    #[test]
    fn json_errors_name_line_and_column() {
        let json = b"{ \"period\": \"2026-08\",\n \"units\": [ { \"unit\": \"a\", \"metrics\": { \"X\": [1, 99999999999999999999] } } ] }";
        let err = Counts::from_json(json, "c.json", false, &mut Vec::new()).unwrap_err();
        match err {
            InputError::Json { line, column, .. } => {
                assert_eq!(line, 2);
                assert!(column > 30);
            }
            other => panic!("{other:?}"),
        }
        let err = Counts::from_json(b"{\"period\": \"2026-13\", \"units\": []}", "c.json", false, &mut Vec::new());
        assert!(err.unwrap_err().to_string().contains("2026-13"));
    }

    #[test]
    fn average_days_are_exact() {
        let r = Reported { completed_dossiers: 3, processing_seconds: 86_400 * 4, ..Reported::default() };
        assert_eq!(r.with_average().average_processing_days, Some(Hundredths(133)));
        assert_eq!(Reported::default().with_average().average_processing_days, None);
    }
}
