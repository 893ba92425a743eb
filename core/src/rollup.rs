//! Combining observations: over time inside one unit, then across units up the tree.
//!
//! Time aggregation comes first (`sum` adds the months of a year, `last` takes the latest), then
//! the ratio of sums across a unit's own observations, the units merged into it and its children:
//! parent numerator = Σ numerators, parent denominator = Σ denominators, never a mean of
//! percentages. Samples do not add like counts: a unit's own samples in one period are pooled;
//! samples of several units combine as strata weighted by their populations, and without
//! populations they cannot be rolled up.

use crate::confidence::{Interval, Sample, Z95, wilson};
use crate::labels::ReasonLabel;
use crate::observation::{Kind, Observation};
use crate::plan::TimeAggregation;

/// A combined value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing observed.
    Empty,
    /// Counted: an exact ratio.
    Census {
        /// Σ numerators.
        num: u64,
        /// Σ denominators.
        den: u64,
    },
    /// One unit's survey sample (pooled over the period).
    Sample(Sample),
    /// Samples (and counts) of several units, weighted by population.
    Strata {
        /// Σ Nᵢ·p̂ᵢ, the estimated numerator.
        estimate: f64,
        /// Σ Nᵢ.
        population: u64,
        /// Σ Nᵢ²·Var(p̂ᵢ).
        variance: f64,
    },
    /// The parts cannot be combined; the reason says why.
    Unrollable(Unrollable),
}

/// Why values cannot be combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unrollable {
    /// A sum passes `u64::MAX`.
    Overflow,
    /// One unit mixes census and sample observations in a period.
    MixedKinds,
    /// A sample without a population size cannot be weighted against other units.
    NoPopulation,
}

impl Unrollable {
    /// The reason's label in the catalogue.
    #[must_use]
    pub const fn label(self) -> ReasonLabel {
        match self {
            Self::Overflow => ReasonLabel::Overflow,
            Self::MixedKinds => ReasonLabel::MixedCensusAndSample,
            Self::NoPopulation => ReasonLabel::SampleWithoutPopulation,
        }
    }

    /// The reason in English.
    #[must_use]
    pub const fn text(self) -> &'static str {
        self.label().text().en
    }
}

impl Value {
    /// Whether nothing was observed.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        matches!(self, Self::Empty)
    }

    /// The numerator and denominator shown for this value (an estimate for strata, rounded half-up).
    #[must_use]
    pub fn ratio(&self) -> Option<(u64, u64)> {
        match self {
            Self::Census { num, den } => Some((*num, *den)),
            Self::Sample(s) => Some((s.successes, s.size)),
            Self::Strata { estimate, population, .. } => {
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "an estimate of people, rounded"
                )]
                let n = (estimate + 0.5).floor().max(0.0) as u64;
                Some((n.min(*population), *population))
            }
            Self::Empty | Self::Unrollable(_) => None,
        }
    }

    /// The 95 % interval of a sampled value, as shares.
    #[must_use]
    pub fn interval(&self) -> Option<Interval> {
        match self {
            Self::Sample(s) => wilson(s),
            Self::Strata { estimate, population, variance } if *population > 0 => {
                #[expect(clippy::cast_precision_loss, reason = "population sizes are far below 2^52")]
                let n = *population as f64;
                let p = estimate / n;
                let half = Z95 * variance.max(0.0).sqrt() / n;
                Some(Interval { low: (p - half).max(0.0), high: (p + half).min(1.0) })
            }
            _ => None,
        }
    }

    /// Whether the value is a count (not sampled).
    #[must_use]
    pub const fn is_census(&self) -> bool {
        matches!(self, Self::Census { .. })
    }
}

fn sample_of(obs: &Observation) -> Sample {
    Sample {
        successes: obs.numerator,
        size: obs.denominator,
        design_effect: obs.design_effect.unwrap_or(1.0),
        population: obs.population,
    }
}

/// Aggregates one unit's observations that lie inside a period.
#[must_use]
pub fn over_time(time: TimeAggregation, observations: &[&Observation]) -> Value {
    match time {
        TimeAggregation::Last => observations.iter().max_by_key(|o| o.period).map_or(Value::Empty, |o| single(o)),
        TimeAggregation::Sum => observations.iter().fold(Value::Empty, |acc, o| pool(acc, single(o))),
    }
}

fn single(o: &Observation) -> Value {
    match o.kind {
        Kind::Census => Value::Census { num: o.numerator, den: o.denominator },
        Kind::Sample => Value::Sample(sample_of(o)),
    }
}

/// Adds two values of the same unit over time (months into a year).
fn pool(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Empty, v) | (v, Value::Empty) => v,
        (Value::Census { num: n1, den: d1 }, Value::Census { num: n2, den: d2 }) => add_counts(n1, d1, n2, d2),
        (Value::Sample(s1), Value::Sample(s2)) => {
            match (s1.successes.checked_add(s2.successes), s1.size.checked_add(s2.size)) {
                (Some(successes), Some(size)) => Value::Sample(Sample {
                    successes,
                    size,
                    design_effect: s1.design_effect.max(s2.design_effect),
                    population: s1.population.max(s2.population),
                }),
                _ => Value::Unrollable(Unrollable::Overflow),
            }
        }
        (Value::Unrollable(r), _) | (_, Value::Unrollable(r)) => Value::Unrollable(r),
        _ => Value::Unrollable(Unrollable::MixedKinds),
    }
}

fn add_counts(n1: u64, d1: u64, n2: u64, d2: u64) -> Value {
    match (n1.checked_add(n2), d1.checked_add(d2)) {
        (Some(num), Some(den)) => Value::Census { num, den },
        _ => Value::Unrollable(Unrollable::Overflow),
    }
}

#[expect(clippy::cast_precision_loss, reason = "strata weights, estimates only")]
fn stratum(v: &Value) -> Result<(f64, u64, f64), Unrollable> {
    match v {
        Value::Census { num, den } => Ok((*num as f64, *den, 0.0)),
        Value::Sample(s) => {
            let Some(big_n) = s.population else {
                return Err(Unrollable::NoPopulation);
            };
            let n = s.size as f64;
            let p = s.successes as f64 / n;
            let n_eff = n / s.design_effect;
            let fpc = if big_n > 1 { (big_n.saturating_sub(s.size)) as f64 / (big_n - 1) as f64 } else { 0.0 };
            let big = big_n as f64;
            Ok((big * p, big_n, big * big * p * (1.0 - p) / n_eff * fpc))
        }
        Value::Strata { estimate, population, variance } => Ok((*estimate, *population, *variance)),
        Value::Empty => Ok((0.0, 0, 0.0)),
        Value::Unrollable(r) => Err(*r),
    }
}

/// Adds the values of different units (a ratio of sums; strata for samples).
#[must_use]
pub fn across_units(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Empty, v) | (v, Value::Empty) => v,
        (Value::Census { num: n1, den: d1 }, Value::Census { num: n2, den: d2 }) => add_counts(n1, d1, n2, d2),
        (a, b) => match (stratum(&a), stratum(&b)) {
            (Ok((e1, p1, v1)), Ok((e2, p2, v2))) => match p1.checked_add(p2) {
                Some(population) => Value::Strata { estimate: e1 + e2, population, variance: v1 + v2 },
                None => Value::Unrollable(Unrollable::Overflow),
            },
            (Err(r), _) | (_, Err(r)) => Value::Unrollable(r),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn census(num: u64, den: u64) -> Value {
        Value::Census { num, den }
    }

    proptest! {
        /// Rolling up a tree in any grouping gives the flat sum of its leaves.
        #[test]
        fn roll_up_equals_the_flat_sum_of_leaves(
            leaves in proptest::collection::vec((0u64..1_000_000, 0u64..1_000_000), 1..40),
            cut in 0usize..40,
        ) {
            let leaves: Vec<(u64, u64)> = leaves.into_iter().map(|(n, extra)| (n, n + extra)).collect();
            let flat = leaves.iter().fold((0u64, 0u64), |(a, b), (n, d)| (a + n, b + d));
            let cut = cut.min(leaves.len());
            let (left, right) = leaves.split_at(cut);
            let sub = |part: &[(u64, u64)]| part.iter().fold(Value::Empty, |acc, (n, d)| across_units(acc, census(*n, *d)));
            let tree = across_units(sub(left), sub(right));
            let expected = if flat.1 == 0 && leaves.is_empty() { Value::Empty } else { census(flat.0, flat.1) };
            prop_assert_eq!(tree, expected);
        }
    }

    #[test]
    fn samples_need_populations_to_roll_up() {
        let s = |x, n, pop| Value::Sample(Sample { successes: x, size: n, design_effect: 1.0, population: pop });
        assert!(matches!(across_units(s(50, 100, None), s(60, 100, None)), Value::Unrollable(_)));
        let v = across_units(s(50, 100, Some(1000)), s(60, 100, Some(3000)));
        let (num, den) = v.ratio().unwrap();
        assert_eq!((num, den), (500 + 1800, 4000));
        let i = v.interval().unwrap();
        assert!(i.low < 0.575 && i.high > 0.575);
    }
}
