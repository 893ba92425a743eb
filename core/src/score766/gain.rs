//! Points to gain: what an official can act on, metric by metric.
//!
//! For one metric of one unit, [`Gain`] gives the points lost and the smallest number of
//! additional numerator units (dossiers handled on time, procedures offered online, …) that would
//! gain the next whole point and that would reach the maximum, **with the denominator as it is**
//! (its documentation defines each number exactly); [`points_to_gain`] lists a unit's metrics
//! cheapest first. The scorecard attaches a gain to each metric line in one place (`score_group`),
//! and only to a `scored` metric: a missing or invalid one gains its points by supplying or fixing
//! its data, a published one has them all.
//!
//! # How
//!
//! In closed form, not by search: `round_half_up(p, q) ≥ T` (for `T ≥ 1`) is `2p ≥ (2T − 1)·q`,
//! so the smallest numerator reaching a target is a ceiling division in `u128`:
//!
//! - linear, `S(n) = round(100·P·n / d)` with `P = max_num / max_den`:
//!   `n ≥ ⌈(2T − 1)·max_den·d / (2·100·max_num)⌉`;
//! - threshold `t` (in 1/10 000 of a percent, `scale = 100 · 10 000`): full points from
//!   `n ≥ ⌈t·d / scale⌉`, and below it `S(n) = round(100·P·n·scale / (t·d))`, so
//!   `n ≥ min(⌈t·d / scale⌉, ⌈(2T − 1)·max_den·t·d / (2·100·max_num·scale)⌉)`.
//!
//! A proptest checks both against a search with `metric_hundredths` on small counts, for both
//! rules and rational maxima (the decision-2022 redistribution).
//!
//! A metric scored in the portal's payment arithmetic ([`super::Arithmetic::PercentFirstBinary64`])
//! has no closed form: [`Gain::by_bisection`] bisects the numerator instead (the score never
//! decreases as the numerator grows, and is the maximum at the denominator), in `O(log d)` scores.

use serde::{Deserialize, Serialize};

use super::counts::Ratio;
use super::profile::Rule;
use super::scorecard::{MetricScore, UnitScore, metric_hundredths};
use crate::exact::{Hundredths, PERCENT_SCALE, Percent, round_half_up};

/// What a metric's numerator would have to grow by to gain points, with the denominator as it is.
///
/// # Definitions
///
/// Let `S(n)` be the metric's published score, in hundredths of a point, with numerator `n` and
/// the unit's denominator `d` (the exact rational, rounded half-up to hundredths, capped at the
/// maximum), `s = S(numerator)` the current score and `F` the maximum rounded to hundredths (the
/// `max` of the scorecard line).
///
/// - `lost = F − score` (never negative), where `score` is the points counted, after the
///   zero-denominator default.
/// - `next_point`: the smallest `k ≥ 1` with `S(numerator + k) ≥ min(s + 100, F)`: one whole
///   point more than the current rounded score, or the maximum when less than a point remains
///   (then `next_point = to_max`). A step may gain more than a point (rounding, or a threshold
///   reached), never less, unless it reaches the maximum.
/// - `to_max`: the smallest `k ≥ 1` with `S(numerator + k) = F`; for a threshold rule, this is
///   reaching the threshold (or the rounded score of the maximum, if that comes first).
/// - Both are `None` when the denominator is zero (there is no ratio to move; the points come from
///   the zero-denominator default) or when the score is already the maximum. Neither ever takes
///   the numerator above the denominator: at `numerator = denominator` every rule gives the
///   maximum, so the smallest `k` is at most `denominator − numerator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Gain {
    /// Points lost: the maximum minus the points counted.
    pub lost: Hundredths,
    /// The fewest additional numerator units that gain one whole point (or reach the maximum when
    /// less than a point remains); null with a zero denominator or at the maximum.
    pub next_point: Option<u64>,
    /// The fewest additional numerator units that reach the maximum (for a threshold rule: the
    /// threshold); null with a zero denominator or at the maximum.
    pub to_max: Option<u64>,
}

impl Gain {
    /// The gain of a metric with rule `rule`, counts `ratio`, a maximum of `max_num / max_den`
    /// points and `score` points counted (after the zero-denominator default). `score` only sets
    /// `lost`; the counts to gain are computed from `ratio`.
    #[must_use]
    pub fn of(rule: Rule, ratio: Ratio, max_num: u128, max_den: u128, score: Hundredths) -> Self {
        let full = max_num
            .checked_mul(100)
            .and_then(|p| round_half_up(p, max_den))
            .and_then(|f| i64::try_from(f).ok())
            .unwrap_or(0);
        let lost = Hundredths(full.saturating_sub(score.0).max(0));
        let (next_point, to_max) = counts_to_gain(rule, ratio, max_num, max_den).unwrap_or((None, None));
        Self { lost, next_point, to_max }
    }

    /// The gain of a metric whose score with numerator `n` (and the unit's denominator) is
    /// `score_at(n)` in hundredths, a function that never decreases in `n` and gives `full` (the
    /// maximum in hundredths) at the denominator; `score` as for [`Self::of`].
    #[must_use]
    pub fn by_bisection(ratio: Ratio, full: u128, score: Hundredths, score_at: impl Fn(u64) -> Option<u128>) -> Self {
        let lost = Hundredths(i64::try_from(full).unwrap_or(i64::MAX).saturating_sub(score.0).max(0));
        let none = Self { lost, next_point: None, to_max: None };
        let (num, den) = (ratio.numerator, ratio.denominator);
        let Some(now) = score_at(num).filter(|now| den > 0 && *now < full) else { return none };
        // The smallest n in (num, den] with score_at(n) ≥ target: score_at(num) < target ≤ score_at(den).
        let smallest = |target: u128| -> Option<u64> {
            let (mut below, mut at) = (num, den);
            while at - below > 1 {
                let mid = below + (at - below) / 2;
                if score_at(mid)? >= target { at = mid } else { below = mid }
            }
            (score_at(at)? >= target).then(|| at - num)
        };
        Self { lost, next_point: smallest(full.min(now + 100)), to_max: smallest(full) }
    }
}

/// `(next_point, to_max)`; `None` for a zero denominator or maximum, or on an overflow (which the
/// counts of u64 and the built-in maxima cannot reach).
fn counts_to_gain(rule: Rule, ratio: Ratio, max_num: u128, max_den: u128) -> Option<(Option<u64>, Option<u64>)> {
    // Within these bounds no product below overflows u128 (a profile's maxima are u32 points
    // spread over a few metrics, a threshold at most 100 %); outside them there is no answer
    // rather than a wrong one or a panic.
    let bounded = |v: u128| v <= u128::from(u32::MAX);
    let threshold_ok = match rule {
        Rule::Linear => true,
        Rule::Threshold { percent } => percent <= Percent::whole(100),
    };
    if !(bounded(max_num) && bounded(max_den) && threshold_ok) {
        return None;
    }
    let full = round_half_up(max_num.checked_mul(100)?, max_den)?;
    let now = metric_hundredths(rule, ratio, max_num, max_den)?;
    if now >= full {
        return None;
    }
    let (num, den) = (u128::from(ratio.numerator), u128::from(ratio.denominator));
    let more = |target: u128| -> Option<u64> {
        let n = smallest_numerator(rule, den, max_num, max_den, target)?;
        // `now < target`, so n > num; n ≤ den since S(den) is the maximum.
        let k = n.checked_sub(num).filter(|k| *k >= 1 && n <= den)?;
        u64::try_from(k).ok()
    };
    Some((more(full.min(now + 100)), more(full)))
}

/// The smallest numerator `n` with `S(n) ≥ target` hundredths, for denominator `den`.
fn smallest_numerator(rule: Rule, den: u128, max_num: u128, max_den: u128, target: u128) -> Option<u128> {
    if target == 0 {
        return Some(0);
    }
    let points = max_num.checked_mul(100)?;
    // round_half_up(p, q) ≥ target  ⇔  2p ≥ (2·target − 1)·q.
    let twice_less_half = target.checked_mul(2)?.checked_sub(1)?;
    match rule {
        Rule::Linear => {
            let p = twice_less_half.checked_mul(max_den)?.checked_mul(den)?;
            div_ceil(p, points.checked_mul(2)?)
        }
        Rule::Threshold { percent } => {
            let t = u128::from(percent.units());
            let scale = 100 * u128::from(PERCENT_SCALE);
            let at_threshold = t.checked_mul(den)?.div_ceil(scale);
            let p = twice_less_half.checked_mul(max_den)?.checked_mul(t)?.checked_mul(den)?;
            let q = points.checked_mul(2)?.checked_mul(scale)?;
            // With no points (q = 0) only the threshold gives the maximum, 0.
            Some(div_ceil(p, q).map_or(at_threshold, |below| below.min(at_threshold)))
        }
    }
}

/// `⌈p / q⌉`, `None` for a zero divisor.
fn div_ceil(p: u128, q: u128) -> Option<u128> {
    (q != 0).then(|| p.div_ceil(q))
}

/// A unit's metrics that lost points, cheapest first: fewest units for the next point; on a tie,
/// more points lost first; then fewest units to the maximum; then the profile's order. Metrics
/// with points lost but no count to move (`next_point` null: a zero denominator) come last;
/// metrics without a [`Gain`] (not `scored`) are left out. The CLI's table and the dashboard
/// list them in this order.
#[must_use]
pub fn points_to_gain(unit: &UnitScore) -> Vec<&MetricScore> {
    let mut list: Vec<&MetricScore> =
        unit.groups.iter().flat_map(|g| &g.metrics).filter(|m| m.gain.is_some_and(|g| g.lost.0 > 0)).collect();
    // A stable sort keeps the profile's order on a full tie.
    list.sort_by_key(|m| {
        let g = m.gain.unwrap_or(Gain { lost: Hundredths(0), next_point: None, to_max: None });
        (g.next_point.is_none(), g.next_point, std::cmp::Reverse(g.lost), g.to_max)
    });
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    const LINEAR: Rule = Rule::Linear;

    fn threshold(p: u64) -> Rule {
        Rule::Threshold { percent: Percent::whole(p) }
    }

    /// The gain of `num / den` on a whole maximum, with the score computed as the scorecard does.
    fn gain(rule: Rule, num: u64, den: u64, max: u128) -> Gain {
        let r = Ratio::new(num, den);
        let score = metric_hundredths(rule, r, max, 1).unwrap_or(0);
        Gain::of(rule, r, max, 1, Hundredths(i64::try_from(score).unwrap()))
    }

    fn score(rule: Rule, num: u64, den: u64, max_num: u128, max_den: u128) -> u128 {
        metric_hundredths(rule, Ratio::new(num, den), max_num, max_den).unwrap()
    }

    #[test]
    fn threshold_edges() {
        // 79/100 at 80 %: 2 · 0.79 / 0.8 = 1.975 → 1.98; one more reaches the threshold.
        assert_eq!(score(threshold(80), 79, 100, 2, 1), 198);
        assert_eq!(gain(threshold(80), 79, 100, 2), Gain { lost: Hundredths(2), next_point: Some(1), to_max: Some(1) });
        // Exactly at the threshold: full points, nothing to gain.
        assert_eq!(gain(threshold(80), 80, 100, 2), Gain { lost: Hundredths(0), next_point: None, to_max: None });
        // 40/55 at 80 % (the worked example): 1.82; the threshold is 44 (44/55 = 80 %).
        assert_eq!(gain(threshold(80), 40, 55, 2), Gain { lost: Hundredths(18), next_point: Some(4), to_max: Some(4) });
        // 7/12 at 80 %: 1.46 → ⌈9.6⌉ = 10 procedures reach the threshold; 0.54 < 1 point remains.
        assert_eq!(gain(threshold(80), 7, 12, 2), Gain { lost: Hundredths(54), next_point: Some(3), to_max: Some(3) });
        // The rounded score reaches the maximum before the threshold (8000): 2 · 0.798 / 0.8 =
        // 1.995 → 2.00, while 7979 gives 1.99475 → 1.99.
        assert_eq!(score(threshold(80), 7980, 10_000, 2, 1), 200);
        assert_eq!(score(threshold(80), 7979, 10_000, 2, 1), 199);
        assert_eq!(gain(threshold(80), 7979, 10_000, 2).to_max, Some(1));
        // 0 of 10 at 50 % for 6 points: a point is 1/6 of the way to 5, ⌈0.8333⌉ = 1 dossier.
        let g = gain(threshold(50), 0, 10, 6);
        assert_eq!((g.lost, g.next_point, g.to_max), (Hundredths(600), Some(1), Some(5)));
    }

    #[test]
    fn linear_edges() {
        // ON_TIME 1100/1234 = 17.83 of 20: 18.83 needs 20·n/1234 ≥ 18.825 (half-up), n ≥ 1161.47
        // → 1162, so 62 more; the maximum needs 20·n/1234 ≥ 19.995, n ≥ 1233.69 → 1234.
        let g = gain(LINEAR, 1100, 1234, 20);
        assert_eq!(g, Gain { lost: Hundredths(217), next_point: Some(62), to_max: Some(134) });
        assert_eq!(score(LINEAR, 1161, 1234, 20, 1), 1882);
        assert_eq!(score(LINEAR, 1162, 1234, 20, 1), 1883);
        // A score that rounds up exactly at the half: 6 · 1/800 = 0.0075 → 0.01; the next point
        // (1.01) needs 6n/800 ≥ 1.005, n ≥ 134.
        let g = gain(LINEAR, 1, 800, 6);
        assert_eq!(score(LINEAR, 135, 800, 6, 1), 101);
        assert_eq!(score(LINEAR, 134, 800, 6, 1), 101);
        assert_eq!(score(LINEAR, 133, 800, 6, 1), 100);
        assert_eq!(g.next_point, Some(133));
        // Near the maximum the last point is smaller than a point: next_point = to_max.
        let g = gain(LINEAR, 99, 100, 20);
        assert_eq!((g.lost, g.next_point, g.to_max), (Hundredths(20), Some(1), Some(1)));
        // Full counts, a zero denominator, and a default score: nothing to move.
        assert_eq!(gain(LINEAR, 5, 5, 6), Gain { lost: Hundredths(0), next_point: None, to_max: None });
        let zero = Gain::of(LINEAR, Ratio::new(0, 0), 4, 1, Hundredths(0));
        assert_eq!(zero, Gain { lost: Hundredths(400), next_point: None, to_max: None });
        let full_default = Gain::of(LINEAR, Ratio::new(0, 0), 6, 1, Hundredths(600));
        assert_eq!(full_default, Gain { lost: Hundredths(0), next_point: None, to_max: None });
        // Huge counts do not overflow.
        let g = gain(LINEAR, 0, u64::MAX, 20);
        assert_eq!(g.lost, Hundredths(2000));
        // ⌈3999 · (2^64 − 1) / 4000⌉ and ⌈199 · (2^64 − 1) / 4000⌉.
        assert_eq!(g.to_max, Some(18_442_132_387_691_124_228));
        assert_eq!(g.next_point, Some(917_725_517_667_050_193));
    }

    #[test]
    fn out_of_bounds_inputs_give_no_counts_and_do_not_panic() {
        let huge = Gain::of(threshold(80), Ratio::new(1, u64::MAX), u128::MAX, 1, Hundredths(0));
        assert_eq!((huge.next_point, huge.to_max), (None, None));
        let over = Rule::Threshold { percent: Percent::from_units(u64::MAX) };
        let g = Gain::of(over, Ratio::new(1, u64::MAX), 6, 1, Hundredths(0));
        assert_eq!((g.lost, g.next_point, g.to_max), (Hundredths(600), None, None));
        let g = Gain::of(LINEAR, Ratio::new(1, 3), 6, 0, Hundredths(0));
        assert_eq!(g, Gain { lost: Hundredths(0), next_point: None, to_max: None });
        // The largest bounded maximum still works with the largest counts.
        let max = u128::from(u32::MAX);
        let g = Gain::of(threshold(100), Ratio::new(0, u64::MAX), max, 1, Hundredths(0));
        let k = g.to_max.unwrap();
        let at = |n: u64| metric_hundredths(threshold(100), Ratio::new(n, u64::MAX), max, 1).unwrap();
        assert!(at(k) == 100 * max && at(k - 1) < 100 * max);
    }

    #[test]
    fn serialises_like_the_other_points() {
        let g = Gain { lost: Hundredths(117), next_point: Some(12), to_max: Some(134) };
        assert_eq!(serde_json::to_string(&g).unwrap(), r#"{"lost":1.17,"next_point":12,"to_max":134}"#);
        let g = Gain { lost: Hundredths(600), next_point: None, to_max: None };
        assert_eq!(serde_json::to_string(&g).unwrap(), r#"{"lost":6,"next_point":null,"to_max":null}"#);
        let back: Gain = serde_json::from_str(r#"{"lost":1.17,"next_point":12,"to_max":134}"#).unwrap();
        assert_eq!(back, Gain { lost: Hundredths(117), next_point: Some(12), to_max: Some(134) });
    }

    #[test]
    fn a_units_list_is_cheapest_first() {
        use crate::score766::{Counts, Profile, UnitCounts, score};
        let metrics = [
            ("ON_TIME", 1100, 1234),
            ("PUBLISH_ON_TIME", 3, 4),
            ("PAID_ONLINE", 120, 160),
            ("PROCEDURES_PAID_ONLINE", 7, 12),
            ("PUBLIC_CONTENT_FULL", 50, 53),
            ("DOSSIER_SYNC", 1234, 1234),
            ("PUBLIC_UPDATE_ON_TIME", 0, 0),
            ("ONLINE_DOSSIERS", 0, 0),
            ("FEEDBACK_ON_TIME", 0, 0),
        ];
        let unit = UnitCounts {
            unit: "x".to_owned(),
            metrics: metrics.iter().map(|(c, n, d)| ((*c).to_owned(), Ratio::new(*n, *d))).collect(),
            ..UnitCounts::default()
        };
        let counts = Counts { period: "2026-08".parse().unwrap(), units: vec![unit] };
        let card = score(&Profile::portal_2026(), &counts, Vec::new());
        let order: Vec<&str> = points_to_gain(&card.units[0]).iter().map(|m| m.code.as_str()).collect();
        // 1 publication; 3 procedures for 0.54 points before 3 for 0.11; 27 dossiers paid online;
        // 62 on time; then the zero denominators, most points lost first (6 points of
        // ONLINE_DOSSIERS before the 4 of PUBLIC_UPDATE_ON_TIME, earlier in the profile).
        // DOSSIER_SYNC is full and FEEDBACK_ON_TIME scores its default in full: not listed; nor
        // are the metrics without counts (missing: their points come from supplying the data).
        assert_eq!(
            order,
            [
                "PUBLISH_ON_TIME",
                "PROCEDURES_PAID_ONLINE",
                "PUBLIC_CONTENT_FULL",
                "PAID_ONLINE",
                "ON_TIME",
                "ONLINE_DOSSIERS",
                "PUBLIC_UPDATE_ON_TIME"
            ]
        );
        let rest: Vec<Gain> = points_to_gain(&card.units[0])[5..].iter().map(|m| m.gain.unwrap()).collect();
        assert!(rest.iter().all(|g| g.next_point.is_none()));
        // Only scored metrics carry a gain.
        for m in card.units[0].groups.iter().flat_map(|g| &g.metrics) {
            assert_eq!(m.gain.is_some(), m.status == crate::score766::MetricStatus::Scored, "{}", m.code);
        }
        assert!(card.units[0].groups.iter().flat_map(|g| &g.metrics).any(|m| m.gain.is_none()));
    }

    /// Scores one unit of `metrics` under `profile`, and returns each metric line.
    fn card_of(profile: &crate::score766::Profile, metrics: &[(String, u64, u64)]) -> Vec<MetricScore> {
        use crate::score766::{Counts, UnitCounts, score};
        let unit = UnitCounts {
            unit: "u".to_owned(),
            metrics: metrics.iter().map(|(c, n, d)| (c.clone(), Ratio::new(*n, *d))).collect(),
            ..UnitCounts::default()
        };
        let counts = Counts { period: "2026-08".parse().unwrap(), units: vec![unit] };
        score(profile, &counts, Vec::new()).units.remove(0).groups.into_iter().flat_map(|g| g.metrics).collect()
    }

    /// The smallest `k` in `1..=den − num` with `S(num + k) ≥ target`, by search.
    fn search(rule: Rule, num: u64, den: u64, max: (u128, u128), target: u128) -> Option<u64> {
        (1..=den - num).find(|k| score(rule, num + k, den, max.0, max.1) >= target)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn closed_form_equals_brute_force(
            den in 1u64..120,
            num_seed in 0u64..1000,
            max_num in 0u128..40,
            max_den in 1u128..5,
            // Whole percents (exact hits of the threshold are common) and any 1/10 000 of a percent.
            threshold_units in proptest::option::of(proptest::prop_oneof![
                (1u64..=100).prop_map(|p| p * 10_000),
                1u64..=1_000_000,
            ]),
        ) {
            let num = num_seed % (den + 1);
            let rule = threshold_units.map_or(Rule::Linear, |t| Rule::Threshold { percent: Percent::from_units(t) });
            let now = score(rule, num, den, max_num, max_den);
            let full = round_half_up(100 * max_num, max_den).unwrap();
            let g = Gain::of(rule, Ratio::new(num, den), max_num, max_den, Hundredths(i64::try_from(now).unwrap()));
            proptest::prop_assert_eq!(u128::try_from(g.lost.0).unwrap(), full - now);
            if now >= full {
                proptest::prop_assert_eq!((g.next_point, g.to_max), (None, None));
            } else {
                let next = search(rule, num, den, (max_num, max_den), full.min(now + 100));
                let to_max = search(rule, num, den, (max_num, max_den), full);
                proptest::prop_assert_eq!(g.next_point, next);
                proptest::prop_assert_eq!(g.to_max, to_max);
                // Both exist: the numerator never needs to pass the denominator.
                proptest::prop_assert!(next.is_some() && to_max.is_some());
                proptest::prop_assert!(g.next_point <= g.to_max);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        /// Through the whole scorecard (both profiles, so the decision-2022 split of the feedback
        /// points, a rational maximum, too): adding `next_point` (`to_max`) to a metric's numerator
        /// and scoring again reaches the target, and one unit fewer does not.
        #[test]
        fn the_scorecard_agrees_when_the_counts_grow(
            values in proptest::collection::vec((0u64..300, 0u64..300), 21),
            decision in proptest::bool::ANY,
        ) {
            use crate::score766::Profile;
            let profile = if decision { Profile::decision_2022() } else { Profile::portal_2026() };
            let metrics: Vec<(String, u64, u64)> = profile
                .metrics
                .iter()
                .zip(&values)
                .map(|(m, (a, b))| (m.code.clone(), *a.min(b), *a.max(b)))
                .collect();
            let before = card_of(&profile, &metrics);
            for (i, line) in before.iter().enumerate() {
                let Some(g) = line.gain else { continue };
                proptest::prop_assert_eq!(g.lost.0, line.max.0 - line.score.0);
                let grown = |k: u64| {
                    let mut m = metrics.clone();
                    let at = m.iter().position(|(c, _, _)| *c == line.code).unwrap();
                    m[at].1 += k;
                    card_of(&profile, &m)[i].score
                };
                let targets = [
                    (g.next_point, Hundredths((line.score.0 + 100).min(line.max.0))),
                    (g.to_max, line.max),
                ];
                for (k, target) in targets {
                    match k {
                        Some(k) => {
                            proptest::prop_assert!(grown(k) >= target, "{} +{k}", line.code);
                            proptest::prop_assert!(grown(k - 1) < target, "{} +{}", line.code, k - 1);
                        }
                        None => proptest::prop_assert!(line.denominator == 0 || line.score == line.max),
                    }
                }
            }
        }
    }
}
