//! Counts → scorecard: points per metric, group and unit, and ranks within a level.
//!
//! Every metric score is an exact rational rounded half-up to hundredths of a point; a group is the
//! sum of its rounded metric scores and the total the sum of the groups (score766.md).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize, Serializer};

use super::counts::{Counts, Ratio, Reported, UnitCounts};
use super::gain::Gain;
use super::profile::{MetricDef, Profile, Rule, ZeroDenominator};
use crate::exact::{Hundredths, PERCENT_SCALE, percent_hundredths, round_half_up};
use crate::input::Rejection;
use crate::period::Period;

/// Serializes points as a JSON integer when whole (`20`), else as a two-decimal number (`15.81`).
fn points<S: Serializer>(h: &Hundredths, s: S) -> Result<S::Ok, S::Error> {
    if h.0 % 100 == 0 { s.serialize_i64(h.0 / 100) } else { h.serialize(s) }
}

/// [`points`] for an optional value (`null` when absent).
#[expect(clippy::ref_option, reason = "the signature serde's `serialize_with` calls")]
fn opt_points<S: Serializer>(h: &Option<Hundredths>, s: S) -> Result<S::Ok, S::Error> {
    match h {
        Some(h) => points(h, s),
        None => s.serialize_none(),
    }
}

/// One metric's line in a scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricScore {
    /// The metric code.
    pub code: String,
    /// The numerator counted.
    pub numerator: u64,
    /// The denominator counted.
    pub denominator: u64,
    /// `numerator / denominator` in percent, rounded half-up; null when the denominator is 0.
    #[serde(serialize_with = "opt_points")]
    pub percent: Option<Hundredths>,
    /// Points counted (after the zero-denominator default), rounded half-up to hundredths.
    #[serde(serialize_with = "points")]
    pub score: Hundredths,
    /// Maximum points (grown by points moved from a metric with no denominator, if the profile
    /// says so).
    #[serde(serialize_with = "points")]
    pub max: Hundredths,
    /// The rule, as text (`linear`, `threshold 80%`).
    pub rule: String,
    /// Points lost and the additional numerator units that would gain points ([`Gain`]).
    #[serde(default)]
    pub gain: Option<Gain>,
}

/// One group's line in a scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupScore {
    /// The group code.
    pub code: String,
    /// The sum of its rounded metric scores.
    #[serde(serialize_with = "points")]
    pub score: Hundredths,
    /// Maximum points.
    #[serde(serialize_with = "points")]
    pub max: Hundredths,
    /// Competition rank of this group's score among units of the same level (1 = best).
    pub rank: u32,
    /// The metrics.
    pub metrics: Vec<MetricScore>,
}

/// One unit's scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitScore {
    /// The unit's id.
    pub unit: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The parent's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The level ranked within: the unit's level when known, else `depth-N` (N from the root).
    pub level: String,
    /// The sum of the group scores.
    #[serde(serialize_with = "points")]
    pub total: Hundredths,
    /// Competition rank of the total among units of the same level (1 = best; ties share a rank).
    pub rank: u32,
    /// The groups, in the profile's order.
    pub groups: Vec<GroupScore>,
    /// Figures reported but not scored (only when the counts came from records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Reported>,
}

/// A metric that a unit's counts do not have (scored as a zero denominator).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Missing {
    /// The unit's id.
    pub unit: String,
    /// The metric code.
    pub metric: String,
}

/// A whole scorecard: every unit for one period under one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    /// The profile's name.
    pub profile: String,
    /// The period scored.
    pub period: Period,
    /// One entry per unit, in input order.
    pub units: Vec<UnitScore>,
    /// Rows of the inputs that were not accepted.
    pub rejected: Vec<Rejection>,
    /// Rejected rows counted but not listed (beyond the first 10 000 of the dossier file).
    #[serde(default)]
    pub rejected_omitted: u64,
    /// Metrics that were absent from a unit's counts.
    pub missing: Vec<Missing>,
}

impl Scorecard {
    /// The scorecard as pretty JSON (formats.md, "Decision 766 scorecard").
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Writes the scorecard as pretty JSON to `out`, byte for byte what [`Self::to_json`] returns,
    /// without holding the text in memory (a scorecard of 100 000 units is hundreds of megabytes
    /// of JSON). `out` should be buffered.
    pub fn write_json<W: std::io::Write>(&self, out: W) -> std::io::Result<()> {
        serde_json::to_writer_pretty(out, self).map_err(std::io::Error::from)
    }
}

/// The exact score of one metric in hundredths of a point, for a maximum of `max_num / max_den`
/// points. `None` when the denominator is zero (the caller applies the default).
#[must_use]
pub fn metric_hundredths(rule: Rule, ratio: Ratio, max_num: u128, max_den: u128) -> Option<u128> {
    let (num, den) = (u128::from(ratio.numerator), u128::from(ratio.denominator));
    if den == 0 || max_den == 0 {
        return None;
    }
    let full = round_half_up(100 * max_num, max_den)?;
    match rule {
        // 100 · P · num / den, with P = max_num / max_den.
        Rule::Linear => round_half_up(100 * max_num * num, max_den * den).map(|s| s.min(full)),
        // min(P, P · (num / den) / (t / (100 · SCALE))) = min(P, 100 · SCALE · P · num / (t · den)).
        Rule::Threshold { percent } => {
            let t = u128::from(percent.units());
            let scale = 100 * u128::from(PERCENT_SCALE);
            // At or above the threshold: full points (also covers a zero threshold).
            if num * scale >= t * den {
                return Some(full);
            }
            round_half_up(100 * max_num * num * scale, max_den * t * den).map(|s| s.min(full))
        }
    }
}

fn to_hundredths(v: u128) -> Hundredths {
    Hundredths(i64::try_from(v).unwrap_or(i64::MAX))
}

/// A metric of a group with its rule already described (once per scorecard, not per unit).
type DescribedMetric<'a> = (&'a MetricDef, String);

/// Scores one group of metrics for one unit: returns the metric lines.
fn score_group(defs: &[DescribedMetric<'_>], counts: &BTreeMap<String, Ratio>) -> Vec<MetricScore> {
    let metrics = defs.iter().map(|(m, _)| *m);
    let ratio = |m: &MetricDef| counts.get(&m.code).copied().unwrap_or_default();
    // Points given away by metrics without a denominator whose default is to redistribute them.
    let gives_away = |m: &MetricDef| m.zero_denominator == ZeroDenominator::Redistribute && ratio(m).denominator == 0;
    let freed: u128 = metrics.clone().filter(|m| gives_away(m)).map(|m| u128::from(m.max)).sum();
    let receivers =
        u128::try_from(metrics.filter(|m| m.zero_denominator != ZeroDenominator::Redistribute).count()).unwrap_or(0);
    defs.iter()
        .map(|(m, rule)| {
            let r = ratio(m);
            // The metric's maximum as max_num / max_den points.
            let (max_num, max_den) = if gives_away(m) {
                (0, 1)
            } else if freed > 0 && receivers > 0 && m.zero_denominator != ZeroDenominator::Redistribute {
                (u128::from(m.max) * receivers + freed, receivers)
            } else {
                (u128::from(m.max), 1)
            };
            let max = round_half_up(100 * max_num, max_den).unwrap_or(0);
            let score = metric_hundredths(m.rule, r, max_num, max_den).unwrap_or(match m.zero_denominator {
                ZeroDenominator::Full => max,
                ZeroDenominator::Zero | ZeroDenominator::Redistribute => 0,
            });
            MetricScore {
                code: m.code.clone(),
                numerator: r.numerator,
                denominator: r.denominator,
                percent: percent_hundredths(r.numerator, r.denominator)
                    .and_then(|p| i64::try_from(p).ok())
                    .map(Hundredths),
                score: to_hundredths(score),
                max: to_hundredths(max),
                rule: rule.clone(),
                gain: Some(Gain::of(m.rule, r, max_num, max_den, to_hundredths(score))),
            }
        })
        .collect()
}

/// Competition ranks (1, 2, 2, 4) of `values` (class, value) within each class, higher is better,
/// by position. Classes are dense indices.
fn competition_ranks(values: &[(usize, i64)]) -> Vec<u32> {
    let classes = values.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); classes];
    for (i, (class, _)) in values.iter().enumerate() {
        if let Some(list) = members.get_mut(*class) {
            list.push(i);
        }
    }
    let mut ranks = vec![0; values.len()];
    for list in &members {
        let class_values: Vec<i64> = list.iter().filter_map(|&i| values.get(i)).map(|(_, v)| *v).collect();
        for (&i, r) in list.iter().zip(crate::rank::competition_ranks(&class_values, |a, b| a.cmp(b))) {
            if let Some(slot) = ranks.get_mut(i) {
                *slot = r;
            }
        }
    }
    ranks
}

/// The level a unit is ranked within: its level when given, else its depth in the parent links of
/// the counts (a unit whose parent is not among them is at depth 0). Depths are computed once per
/// unit (a chain of many units costs its length, not its square); on a cycle of parents (which
/// [`Counts::from_json`] drops) a walk stops where the cycle closes.
fn rank_levels(units: &[UnitCounts]) -> Vec<String> {
    let index: FxHashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (u.unit.as_str(), i)).collect();
    let parent = |i: usize| units.get(i).and_then(|u| u.parent.as_deref()).and_then(|p| index.get(p).copied());
    let mut depth: Vec<Option<usize>> = vec![None; units.len()];
    let mut on_path = vec![false; units.len()];
    let mut path = Vec::new();
    for start in 0..units.len() {
        path.clear();
        let mut cur = Some(start);
        // The depth of the unit above the path's top, if known.
        let mut base: Option<usize> = None;
        while let Some(c) = cur {
            if let Some(d) = depth.get(c).copied().flatten() {
                base = Some(d);
                break;
            }
            if on_path.get(c) != Some(&false) {
                break; // a cycle of parents
            }
            if let Some(o) = on_path.get_mut(c) {
                *o = true;
            }
            path.push(c);
            cur = parent(c);
        }
        for (d, &i) in (base.map_or(0, |b| b + 1)..).zip(path.iter().rev()) {
            if let Some(slot) = depth.get_mut(i) {
                *slot = Some(d);
            }
            if let Some(o) = on_path.get_mut(i) {
                *o = false;
            }
        }
    }
    units
        .iter()
        .zip(depth)
        .map(|(u, d)| match u.level.as_deref().filter(|l| !l.is_empty()) {
            Some(level) => level.to_owned(),
            None => format!("depth-{}", d.unwrap_or(0)),
        })
        .collect()
}

/// Scores every unit of `counts` under `profile`. `rejected` (rows already rejected while reading
/// the inputs) is carried into the scorecard.
#[must_use]
pub fn score(profile: &Profile, counts: &Counts, rejected: Vec<Rejection>) -> Scorecard {
    score_units(profile, counts.period, &counts.units, counts.units.iter().map(std::borrow::Cow::Borrowed), rejected)
}

/// [`score`] taking the counts: each unit's counts are freed as soon as it is scored, so the counts
/// and the scorecard of many units are not both whole in memory (a front end that reads a counts
/// file only to score it should call this one).
#[must_use]
pub fn score_owned(profile: &Profile, counts: Counts, rejected: Vec<Rejection>) -> Scorecard {
    let levels = rank_levels(&counts.units);
    let Counts { period, units } = counts;
    score_with_levels(profile, period, levels, units.into_iter().map(std::borrow::Cow::Owned), rejected)
}

fn score_units<'a>(
    profile: &Profile,
    period: Period,
    all: &[UnitCounts],
    units: impl Iterator<Item = std::borrow::Cow<'a, UnitCounts>>,
    rejected: Vec<Rejection>,
) -> Scorecard {
    score_with_levels(profile, period, rank_levels(all), units, rejected)
}

fn score_with_levels<'a>(
    profile: &Profile,
    period: Period,
    levels: Vec<String>,
    counts: impl Iterator<Item = std::borrow::Cow<'a, UnitCounts>>,
    rejected: Vec<Rejection>,
) -> Scorecard {
    let mut missing = Vec::new();
    // Each group's metrics and their rules' text, once for every unit.
    let group_defs: Vec<Vec<DescribedMetric<'_>>> =
        profile.groups.iter().map(|g| profile.metrics_of(&g.code).map(|m| (m, m.rule.describe())).collect()).collect();
    let mut units: Vec<UnitScore> = Vec::with_capacity(levels.len());
    for (u, level) in counts.zip(&levels) {
        for m in &profile.metrics {
            if !u.metrics.contains_key(&m.code) {
                missing.push(Missing { unit: u.unit.clone(), metric: m.code.clone() });
            }
        }
        let groups: Vec<GroupScore> = profile
            .groups
            .iter()
            .zip(&group_defs)
            .map(|(g, defs)| {
                let metrics = score_group(defs, &u.metrics);
                GroupScore {
                    code: g.code.clone(),
                    score: Hundredths(metrics.iter().map(|m| m.score.0).sum()),
                    max: Hundredths(i64::from(g.max) * 100),
                    rank: 0,
                    metrics,
                }
            })
            .collect();
        let reported = u.reported;
        let (unit, name, parent) = match u {
            std::borrow::Cow::Owned(u) => (u.unit, u.name, u.parent),
            std::borrow::Cow::Borrowed(u) => (u.unit.clone(), u.name.clone(), u.parent.clone()),
        };
        units.push(UnitScore {
            unit,
            name,
            parent,
            level: level.clone(),
            total: Hundredths(groups.iter().map(|g| g.score.0).sum()),
            rank: 0,
            groups,
            reported,
        });
    }
    let mut classes: FxHashMap<&str, usize> = FxHashMap::default();
    for level in &levels {
        let next = classes.len();
        classes.entry(level.as_str()).or_insert(next);
    }
    let class_of: Vec<usize> = levels.iter().map(|l| classes.get(l.as_str()).copied().unwrap_or(0)).collect();
    let totals: Vec<(usize, i64)> = units.iter().zip(&class_of).map(|(u, c)| (*c, u.total.0)).collect();
    let ranks = competition_ranks(&totals);
    for (u, rank) in units.iter_mut().zip(ranks) {
        u.rank = rank;
    }
    for (gi, _) in profile.groups.iter().enumerate() {
        let values: Vec<(usize, i64)> =
            units.iter().zip(&class_of).map(|(u, c)| (*c, u.groups.get(gi).map_or(0, |g| g.score.0))).collect();
        let ranks = competition_ranks(&values);
        for (u, rank) in units.iter_mut().zip(ranks) {
            if let Some(g) = u.groups.get_mut(gi) {
                g.rank = rank;
            }
        }
    }
    Scorecard { profile: profile.name.clone(), period, units, rejected, rejected_omitted: 0, missing }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_levels_of_a_deep_chain_take_linear_time() {
        // 100 000 units, each the parent of the next, deepest first: each unit used to walk its
        // whole chain.
        let n = 100_000;
        let units: Vec<UnitCounts> = (0..n)
            .rev()
            .map(|i| UnitCounts {
                unit: format!("u{i}"),
                parent: (i > 0).then(|| format!("u{}", i - 1)),
                ..UnitCounts::default()
            })
            .collect();
        let levels = rank_levels(&units);
        assert_eq!(levels[0], format!("depth-{}", n - 1));
        assert_eq!(levels[n - 1], "depth-0");
        let cycle = vec![
            UnitCounts { unit: "a".into(), parent: Some("b".into()), ..UnitCounts::default() },
            UnitCounts { unit: "b".into(), parent: Some("a".into()), ..UnitCounts::default() },
            UnitCounts { unit: "c".into(), parent: Some("a".into()), level: Some("x".into()), ..UnitCounts::default() },
        ];
        assert_eq!(rank_levels(&cycle), ["depth-1", "depth-0", "x"]);
    }

    fn unit(id: &str, metrics: &[(&str, u64, u64)]) -> UnitCounts {
        UnitCounts {
            unit: id.to_owned(),
            metrics: metrics.iter().map(|(c, n, d)| ((*c).to_owned(), Ratio::new(*n, *d))).collect(),
            ..UnitCounts::default()
        }
    }

    const WORKED: [(&str, u64, u64, i64); 21] = [
        ("PUBLISH_ON_TIME", 3, 4, 450),
        ("PUBLIC_UPDATE_ON_TIME", 0, 0, 0),
        ("PUBLIC_CONTENT_FULL", 50, 53, 189),
        ("DOSSIER_SYNC", 1190, 1234, 579),
        ("ON_TIME", 1100, 1234, 1783),
        ("ONLINE_PROCEDURES", 40, 55, 182),
        ("ONLINE_SERVICES_USED", 17, 40, 170),
        ("ONLINE_DOSSIERS", 700, 1234, 600),
        ("E_RESULT", 300, 512, 352),
        ("DIGITIZED", 811, 1234, 263),
        ("REUSED_DATA", 45, 1234, 9),
        ("SHARED_STORAGE", 0, 1234, 0),
        ("CITIZEN_DATA_DOSSIERS", 333, 1234, 54),
        ("CITIZEN_DATA_PROCEDURES", 9, 48, 38),
        ("E_CERTIFIED_COPY", 0, 0, 200),
        ("PAID_ONLINE", 120, 160, 450),
        ("PROCEDURES_PAID_ONLINE", 7, 12, 146),
        ("PROCEDURES_PAYMENT_INTEGRATED", 10, 12, 200),
        ("FEEDBACK_ON_TIME", 0, 0, 600),
        ("FEEDBACK_SATISFIED", 0, 0, 600),
        ("DOSSIER_SATISFIED", 1090, 1234, 589),
    ];

    #[test]
    fn the_worked_example_of_score766_md() {
        let u = unit("x", &WORKED.map(|(c, n, d, _)| (c, n, d)));
        let counts = Counts { period: "2026-08".parse().unwrap(), units: vec![u] };
        let card = score(&Profile::portal_2026(), &counts, Vec::new());
        let x = &card.units[0];
        let all: std::collections::HashMap<&str, i64> =
            x.groups.iter().flat_map(|g| g.metrics.iter().map(|m| (m.code.as_str(), m.score.0))).collect();
        for (code, _, _, expected) in WORKED {
            assert_eq!(all[code], expected, "{code}");
        }
        let groups: Vec<(&str, i64)> = x.groups.iter().map(|g| (g.code.as_str(), g.score.0)).collect();
        assert_eq!(
            groups,
            [("CKMB", 1218), ("TDGQ", 1783), ("CLGQ", 952), ("MDSH", 916), ("TTTT", 796), ("MDHL", 1789)]
        );
        assert_eq!(x.total, Hundredths(7454));
        assert_eq!(x.rank, 1);
        assert!(card.missing.is_empty());
        // Null ratios are null, not 0.
        let update = &x.groups[0].metrics[1];
        assert_eq!(update.percent, None);
        let json = serde_json::to_value(&card).unwrap();
        assert_eq!(json["units"][0]["total"], serde_json::json!(74.54));
        assert_eq!(json["units"][0]["groups"][1]["max"], serde_json::json!(20));
        assert_eq!(json["units"][0]["groups"][0]["metrics"][1]["percent"], serde_json::Value::Null);
        assert_eq!(json["units"][0]["groups"][0]["metrics"][0]["percent"], serde_json::json!(75));
    }

    #[test]
    fn summing_unrounded_scores_would_differ() {
        // CKMB unrounded: 4.5 + 0 + 1.8867… + 5.7860… = 12.1727… → 12.17, but the rounded sum is 12.18.
        let exact = 4.5 + 2.0 * 50.0 / 53.0 + 6.0 * 1190.0 / 1234.0;
        assert!((exact * 100.0_f64).round() as i64 == 1217);
    }

    #[test]
    fn threshold_caps_and_boundaries() {
        let t80 = Rule::Threshold { percent: crate::exact::Percent::whole(80) };
        assert_eq!(metric_hundredths(t80, Ratio::new(4, 5), 2, 1), Some(200));
        assert_eq!(metric_hundredths(t80, Ratio::new(5, 5), 2, 1), Some(200));
        assert_eq!(metric_hundredths(t80, Ratio::new(40, 55), 2, 1), Some(182));
        assert_eq!(metric_hundredths(t80, Ratio::new(0, 5), 2, 1), Some(0));
        assert_eq!(metric_hundredths(t80, Ratio::new(0, 0), 2, 1), None);
        assert_eq!(metric_hundredths(Rule::Linear, Ratio::new(1, 3), 6, 1), Some(200));
        assert_eq!(metric_hundredths(Rule::Linear, Ratio::new(u64::MAX, u64::MAX), 20, 1), Some(2000));
        // Half-up on the exact value: 6 · 1/800 = 0.0075 → 0.01.
        assert_eq!(metric_hundredths(Rule::Linear, Ratio::new(1, 800), 6, 1), Some(1));
    }

    #[test]
    fn zero_denominators_take_the_default() {
        let counts = Counts { period: "2026-08".parse().unwrap(), units: vec![unit("a", &[])] };
        let card = score(&Profile::portal_2026(), &counts, Vec::new());
        let a = &card.units[0];
        // Only E_CERTIFIED_COPY (2) and the two feedback metrics (6 + 6) score without a denominator.
        assert_eq!(a.total, Hundredths(1400));
        assert_eq!(card.missing.len(), 21);
        for g in &a.groups {
            for m in &g.metrics {
                assert_eq!(m.percent, None);
            }
        }
    }

    #[test]
    fn decision_2022_moves_feedback_points_onto_dossier_satisfaction() {
        let p = Profile::decision_2022();
        let counts = Counts {
            period: "2026-08".parse().unwrap(),
            units: vec![
                unit("no-feedback", &[("DOSSIER_SATISFIED", 81, 100)]),
                unit(
                    "feedback",
                    &[("DOSSIER_SATISFIED", 81, 100), ("FEEDBACK_ON_TIME", 1, 2), ("FEEDBACK_SATISFIED", 2, 2)],
                ),
            ],
        };
        let card = score(&p, &counts, Vec::new());
        let sat = |u: usize| card.units[u].groups.iter().find(|g| g.code == "MDHL").unwrap().clone();
        let g0 = sat(0);
        // 18 · 0.81 / 0.9 = 16.2
        assert_eq!(g0.metrics[2].max, Hundredths(1800));
        assert_eq!(g0.metrics[2].score, Hundredths(1620));
        assert_eq!(g0.metrics[0].max, Hundredths(0));
        assert_eq!(g0.score, Hundredths(1620));
        let g1 = sat(1);
        assert_eq!(g1.score, Hundredths(300 + 600 + 540));
        // The portal instead gives full feedback points.
        let card = score(&Profile::portal_2026(), &counts, Vec::new());
        let g = card.units[0].groups.iter().find(|g| g.code == "MDHL").unwrap();
        assert_eq!(g.score, Hundredths(600 + 600 + 540));
    }

    #[test]
    fn ranks_compete_within_a_level() {
        let mk = |id: &str, level: &str, n: u64| UnitCounts {
            level: Some(level.to_owned()),
            ..unit(id, &[("ON_TIME", n, 10)])
        };
        let counts = Counts {
            period: "2026-08".parse().unwrap(),
            units: vec![
                mk("a", "commune", 5),
                mk("b", "commune", 9),
                mk("c", "commune", 9),
                mk("d", "commune", 1),
                mk("p", "province", 1),
            ],
        };
        let card = score(&Profile::portal_2026(), &counts, Vec::new());
        let ranks: Vec<u32> = card.units.iter().map(|u| u.rank).collect();
        assert_eq!(ranks, [3, 1, 1, 4, 1]);
        let tdgq: Vec<u32> = card.units.iter().map(|u| u.groups[1].rank).collect();
        assert_eq!(tdgq, [3, 1, 1, 4, 1]);
        // Without levels, depth in the parent links decides.
        let mut flat = counts.clone();
        for u in &mut flat.units {
            u.level = None;
        }
        flat.units[0].parent = Some("p".to_owned());
        let card = score(&Profile::portal_2026(), &flat, Vec::new());
        assert_eq!(card.units[0].level, "depth-1");
        assert_eq!(card.units[0].rank, 1);
        assert_eq!(card.units[4].rank, 3);
    }

    proptest::proptest! {
        #[test]
        fn scores_stay_within_max_and_total_is_the_sum(
            values in proptest::collection::vec((0u64..5000, 0u64..5000), 21),
            decision in proptest::bool::ANY,
        ) {
            let profile = if decision { Profile::decision_2022() } else { Profile::portal_2026() };
            let metrics: Vec<(&str, u64, u64)> = profile
                .metrics
                .iter()
                .zip(&values)
                .map(|(m, (a, b))| (m.code.as_str(), *a.min(b), *a.max(b)))
                .collect();
            let counts = Counts { period: "2026-08".parse().unwrap(), units: vec![unit("u", &metrics)] };
            let card = score(&profile, &counts, Vec::new());
            let u = &card.units[0];
            let mut total = 0;
            for g in &u.groups {
                let mut sum = 0;
                for m in &g.metrics {
                    proptest::prop_assert!(m.score.0 >= 0 && m.score <= m.max);
                    sum += m.score.0;
                }
                proptest::prop_assert_eq!(sum, g.score.0);
                proptest::prop_assert!(g.score <= g.max);
                total += g.score.0;
            }
            proptest::prop_assert_eq!(total, u.total.0);
            proptest::prop_assert!(u.total.0 <= 10_000);
        }
    }
}
