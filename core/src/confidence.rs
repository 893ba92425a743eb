//! Confidence intervals for sampled shares: Wilson 95 % with design effect and finite-population
//! correction (`progress.md`).
//!
//! The interval bounds are irrational numbers, so they are computed in `f64`; they are reported to
//! two decimals and compared with thresholds only to say whether a sample is conclusive. Counted
//! (census) values never go through a float.

use serde::{Deserialize, Serialize};

use crate::labels::ConfidenceLabel;

/// The z value of a two-sided 95 % interval.
pub const Z95: f64 = 1.959_964;

/// A sample: `successes` of `size`, with an optional design effect and population size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// x.
    pub successes: u64,
    /// n.
    pub size: u64,
    /// d (1 for simple random sampling).
    pub design_effect: f64,
    /// N, for the finite-population correction.
    pub population: Option<u64>,
}

/// A 95 % interval on a share, as shares in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// How sure a judgement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Counted, not sampled: no interval.
    Census,
    /// The whole interval lies on one side of the threshold.
    Significant,
    /// The interval contains the threshold.
    Inconclusive,
}

impl Confidence {
    /// The name used in JSON and CSV.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Census => "census",
            Self::Significant => "significant",
            Self::Inconclusive => "inconclusive",
        }
    }

    /// The confidence's label in the catalogue.
    #[must_use]
    pub const fn label(self) -> ConfidenceLabel {
        match self {
            Self::Census => ConfidenceLabel::Census,
            Self::Significant => ConfidenceLabel::Significant,
            Self::Inconclusive => ConfidenceLabel::Inconclusive,
        }
    }
}

#[expect(clippy::cast_precision_loss, reason = "survey counts are far below 2^52")]
fn as_f64(v: u64) -> f64 {
    v as f64
}

/// The Wilson 95 % interval of a sample; `None` when the sample is empty.
#[must_use]
pub fn wilson(sample: &Sample) -> Option<Interval> {
    if sample.size == 0 || sample.successes > sample.size {
        return None;
    }
    let d = if sample.design_effect.is_finite() && sample.design_effect > 0.0 { sample.design_effect } else { 1.0 };
    let n_eff = as_f64(sample.size) / d;
    let p = as_f64(sample.successes) / as_f64(sample.size);
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n_eff;
    let centre = (p + z2 / (2.0 * n_eff)) / denom;
    let mut half = Z95 / denom * (p * (1.0 - p) / n_eff + z2 / (4.0 * n_eff * n_eff)).sqrt();
    if let Some(big_n) = sample.population {
        if big_n > 1 && big_n >= sample.size {
            half *= (as_f64(big_n - sample.size) / as_f64(big_n - 1)).sqrt();
        }
    }
    Some(Interval { low: (centre - half).max(0.0), high: (centre + half).min(1.0) })
}

/// Whether the interval settles a rule "share `cmp` threshold": the lower bound at or above the
/// threshold, or the upper bound below it, is significant; anything else is inconclusive.
#[must_use]
pub fn judge(interval: Interval, threshold_share: f64) -> Confidence {
    if interval.low >= threshold_share || interval.high < threshold_share {
        Confidence::Significant
    } else {
        Confidence::Inconclusive
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-5
    }

    #[test]
    fn matches_published_wilson_intervals() {
        // Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 → 0.2553 – 0.3662.
        let i = wilson(&Sample { successes: 81, size: 263, design_effect: 1.0, population: None }).unwrap();
        assert!(close(i.low, 0.2553) && close(i.high, 0.3662), "{i:?}");
        // Newcombe table I: 15/148 → 0.0624 – 0.1605.
        let i = wilson(&Sample { successes: 15, size: 148, design_effect: 1.0, population: None }).unwrap();
        assert!(close(i.low, 0.0624) && close(i.high, 0.1605), "{i:?}");
        // 0/20 → 0 – 0.1611 (Newcombe table I, row 0/20).
        let i = wilson(&Sample { successes: 0, size: 20, design_effect: 1.0, population: None }).unwrap();
        assert!(close(i.low, 0.0) && close(i.high, 0.1611), "{i:?}");
    }

    #[test]
    fn design_effect_widens_and_population_narrows() {
        let base = wilson(&Sample { successes: 60, size: 100, design_effect: 1.0, population: None }).unwrap();
        let deff = wilson(&Sample { successes: 60, size: 100, design_effect: 2.0, population: None }).unwrap();
        // A design effect of 2 is the same as half the sample.
        let half = wilson(&Sample { successes: 30, size: 50, design_effect: 1.0, population: None }).unwrap();
        assert!(close(deff.low, half.low) && close(deff.high, half.high));
        assert!(deff.high - deff.low > base.high - base.low);
        let fpc = wilson(&Sample { successes: 60, size: 100, design_effect: 1.0, population: Some(200) }).unwrap();
        assert!(fpc.high - fpc.low < base.high - base.low);
        // A census of the whole population has no width left.
        let all = wilson(&Sample { successes: 60, size: 100, design_effect: 1.0, population: Some(100) }).unwrap();
        assert!(all.high - all.low < 1e-12);
    }

    #[test]
    fn judges_against_threshold() {
        let i = Interval { low: 0.52, high: 0.61 };
        assert_eq!(judge(i, 0.50), Confidence::Significant);
        assert_eq!(judge(i, 0.70), Confidence::Significant);
        assert_eq!(judge(i, 0.55), Confidence::Inconclusive);
    }
}
