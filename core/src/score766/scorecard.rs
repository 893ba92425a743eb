//! Counts → scorecard: points per metric, group and unit, and ranks within a level.
//!
//! Every metric score is an exact rational rounded half-up to hundredths of a point; a group is the
//! sum of its rounded metric scores and the total the sum of the groups (score766.md).

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize, Serializer};

use super::counts::{Counts, Ratio, Reported, UnitCounts};
use super::gain::Gain;
use super::profile::{Arithmetic, MetricDef, Profile, Rule, ZeroDenominator};
use crate::exact::{Hundredths, PERCENT_SCALE, percent_hundredths, round_half_up};
use crate::input::Rejection;
use crate::period::Period;

/// Serializes points as a JSON integer when whole (`20`), else as a two-decimal number (`15.81`).
fn points<S: Serializer>(h: &Hundredths, s: S) -> Result<S::Ok, S::Error> {
    if h.0 % 100 == 0 { s.serialize_i64(h.0 / 100) } else { h.serialize(s) }
}

/// Whether a count is 0 (then not serialized).
#[cfg_attr(
    target_pointer_width = "64",
    expect(clippy::trivially_copy_pass_by_ref, reason = "the signature serde's `skip_serializing_if` calls")
)]
const fn is_zero(n: &u64) -> bool {
    *n == 0
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
    /// Where the score comes from: counts, nothing (missing), only rejected rows, or a publication.
    #[serde(default)]
    pub status: MetricStatus,
    /// For an `invalid` metric, the rejected rows that were its only input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected_rows: Vec<Rejection>,
    /// Points lost and the additional numerator units that would gain points ([`Gain`]); null
    /// unless the metric is `scored` (a missing or invalid metric's points come from supplying or
    /// fixing its data, not from counts; a published one has them all).
    #[serde(default)]
    pub gain: Option<Gain>,
}

/// Where a metric's score comes from (score766.md, "Zero is not unknown").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum MetricStatus {
    /// Scored from its counts (a zero denominator takes the metric's default).
    #[default]
    Scored,
    /// Its input was not supplied: 0 points, never the zero-denominator default.
    Missing,
    /// Its only inputs were rejected: 0 points; the rows are named.
    Invalid,
    /// Full points by publication, without counts (`E_CERTIFIED_COPY` on the portal).
    Published,
}

impl MetricStatus {
    /// Whether the unit's data for the metric are complete (scored or published).
    #[must_use]
    pub const fn is_complete(self) -> bool {
        matches!(self, Self::Scored | Self::Published)
    }
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
    /// Competition rank of this group's score among units of the same level whose group is
    /// complete (1 = best); null for a group with a missing or invalid metric, unless the
    /// scorecard was ranked with incomplete units.
    pub rank: Option<u32>,
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
    /// Competition rank of the total among complete units of the same level (1 = best; ties share
    /// a rank); null for an incomplete unit, unless the scorecard was ranked with incomplete units.
    pub rank: Option<u32>,
    /// Whether every metric was scored from data supplied (none missing or invalid).
    pub complete: bool,
    /// The codes of the metrics whose input was not supplied (they score 0).
    pub missing: Vec<String>,
    /// The codes of the metrics whose only inputs were rejected (they score 0).
    pub invalid: Vec<String>,
    /// The groups, in the profile's order.
    pub groups: Vec<GroupScore>,
    /// Figures reported but not scored (only when the counts came from records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Reported>,
}

/// A metric that a unit's counts do not have (`missing`: it scores 0).
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
    /// Rows accepted with a warning: a `dossier_id` already given (the dossier is still counted),
    /// with the row where it first occurred. Shaped like `rejected`, listed up to 10 000.
    #[serde(default)]
    pub warnings: Vec<Rejection>,
    /// Warnings counted but not listed (absent when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub warnings_omitted: u64,
    /// Metrics that were absent from a unit's counts.
    pub missing: Vec<Missing>,
    /// Whether incomplete units were ranked too (by default they are listed unranked).
    #[serde(default)]
    pub ranked_incomplete: bool,
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

/// [`metric_hundredths`] in the portal's online-payment arithmetic
/// ([`Arithmetic::PercentFirstBinary64`]), for a whole maximum and a whole-percent threshold; any
/// other maximum or threshold (points moved in by a redistribution) falls back to the exact rule.
fn portal_hundredths(rule: Rule, ratio: Ratio, max_num: u128, max_den: u128) -> Option<u128> {
    let whole_max = (max_den == 1).then(|| u32::try_from(max_num).ok()).flatten();
    let threshold = match rule {
        Rule::Linear => Some(None),
        Rule::Threshold { percent } if percent.units() % PERCENT_SCALE == 0 => {
            u32::try_from(percent.units() / PERCENT_SCALE).ok().map(Some)
        }
        Rule::Threshold { .. } => None,
    };
    match (whole_max, threshold) {
        (Some(max), Some(threshold)) if ratio.denominator > 0 => {
            crate::exact::portal_score(ratio.numerator, ratio.denominator, max, threshold)
        }
        _ => metric_hundredths(rule, ratio, max_num, max_den),
    }
}

fn to_hundredths(v: u128) -> Hundredths {
    Hundredths(i64::try_from(v).unwrap_or(i64::MAX))
}

/// A metric of a group with its rule already described (once per scorecard, not per unit).
type DescribedMetric<'a> = (&'a MetricDef, String);

/// A metric's input for one unit, and where it comes from.
fn input_of(u: &UnitCounts, code: &str) -> (Ratio, MetricStatus) {
    if u.published.contains(code) {
        (Ratio::default(), MetricStatus::Published)
    } else if let Some(r) = u.metrics.get(code) {
        (*r, MetricStatus::Scored)
    } else if u.invalid.contains_key(code) {
        (Ratio::default(), MetricStatus::Invalid)
    } else {
        (Ratio::default(), MetricStatus::Missing)
    }
}

/// Scores one group of metrics for one unit: returns the metric lines.
///
/// A missing or invalid metric scores 0 and gives nothing away: only a metric whose data were
/// supplied and counted nothing takes its zero-denominator default (score766.md).
fn score_group(defs: &[DescribedMetric<'_>], u: &UnitCounts) -> Vec<MetricScore> {
    let metrics = defs.iter().map(|(m, _)| *m);
    // Points given away by metrics without a denominator whose default is to redistribute them.
    let gives_away = |m: &MetricDef| {
        let (r, status) = input_of(u, &m.code);
        m.zero_denominator == ZeroDenominator::Redistribute && status == MetricStatus::Scored && r.denominator == 0
    };
    let freed: u128 = metrics.clone().filter(|m| gives_away(m)).map(|m| u128::from(m.max)).sum();
    let receivers =
        u128::try_from(metrics.filter(|m| m.zero_denominator != ZeroDenominator::Redistribute).count()).unwrap_or(0);
    defs.iter()
        .map(|(m, rule)| {
            let (r, status) = input_of(u, &m.code);
            // The metric's maximum as max_num / max_den points.
            let (max_num, max_den) = if gives_away(m) {
                (0, 1)
            } else if freed > 0 && receivers > 0 && m.zero_denominator != ZeroDenominator::Redistribute {
                (u128::from(m.max) * receivers + freed, receivers)
            } else {
                (u128::from(m.max), 1)
            };
            let max = round_half_up(100 * max_num, max_den).unwrap_or(0);
            let score = match status {
                MetricStatus::Published => max,
                MetricStatus::Missing | MetricStatus::Invalid => 0,
                MetricStatus::Scored => {
                    let computed = match m.arithmetic {
                        Arithmetic::Exact => metric_hundredths(m.rule, r, max_num, max_den),
                        Arithmetic::PercentFirstBinary64 => portal_hundredths(m.rule, r, max_num, max_den),
                    };
                    computed.unwrap_or(match m.zero_denominator {
                        ZeroDenominator::Full => max,
                        ZeroDenominator::Zero | ZeroDenominator::Redistribute => 0,
                    })
                }
            };
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
                status,
                rejected_rows: if status == MetricStatus::Invalid {
                    u.invalid.get(&m.code).cloned().unwrap_or_default()
                } else {
                    Vec::new()
                },
                gain: (status == MetricStatus::Scored).then(|| match m.arithmetic {
                    Arithmetic::Exact => Gain::of(m.rule, r, max_num, max_den, to_hundredths(score)),
                    Arithmetic::PercentFirstBinary64 => Gain::by_bisection(r, max, to_hundredths(score), |n| {
                        portal_hundredths(m.rule, Ratio::new(n, r.denominator), max_num, max_den)
                    }),
                }),
            }
        })
        .collect()
}

/// Competition ranks (1, 2, 2, 4) of `values` (class, value) within each class, higher is better,
/// by position; `None` values are not ranked. Classes are dense indices.
fn competition_ranks(values: &[Option<(usize, i64)>]) -> Vec<Option<u32>> {
    let classes = values.iter().flatten().map(|(c, _)| c + 1).max().unwrap_or(0);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); classes];
    for (i, (class, _)) in values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))) {
        if let Some(list) = members.get_mut(class) {
            list.push(i);
        }
    }
    let mut ranks = vec![None; values.len()];
    for list in &members {
        let class_values: Vec<i64> =
            list.iter().filter_map(|&i| values.get(i).copied().flatten()).map(|(_, v)| v).collect();
        for (&i, r) in list.iter().zip(crate::rank::competition_ranks(&class_values, |a, b| a.cmp(b))) {
            if let Some(slot) = ranks.get_mut(i) {
                *slot = Some(r);
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
        let groups: Vec<GroupScore> = profile
            .groups
            .iter()
            .zip(&group_defs)
            .map(|(g, defs)| {
                let metrics = score_group(defs, &u);
                GroupScore {
                    code: g.code.clone(),
                    score: Hundredths(metrics.iter().map(|m| m.score.0).sum()),
                    max: Hundredths(i64::from(g.max) * 100),
                    rank: None,
                    metrics,
                }
            })
            .collect();
        let with = |status: MetricStatus| -> Vec<String> {
            let metrics = groups.iter().flat_map(|g| &g.metrics);
            metrics.filter(|m| m.status == status).map(|m| m.code.clone()).collect()
        };
        let (missing_codes, invalid_codes) = (with(MetricStatus::Missing), with(MetricStatus::Invalid));
        missing.extend(missing_codes.iter().map(|code| Missing { unit: u.unit.clone(), metric: code.clone() }));
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
            rank: None,
            complete: missing_codes.is_empty() && invalid_codes.is_empty(),
            missing: missing_codes,
            invalid: invalid_codes,
            groups,
            reported,
        });
    }
    let mut card = Scorecard {
        profile: profile.name.clone(),
        period,
        units,
        rejected,
        rejected_omitted: 0,
        warnings: Vec::new(),
        warnings_omitted: 0,
        missing,
        ranked_incomplete: false,
    };
    card.rank(false);
    card
}

impl Scorecard {
    /// Ranks the units by total and by group: competition ranking with ties, within a level.
    ///
    /// By default (`include_incomplete` false) only complete units are ranked by total, and only
    /// units whose group is complete by that group; the others get a null rank (score766.md: no
    /// unit gains a place because something was not sent). With `include_incomplete`, every unit
    /// is ranked on the points it has.
    pub fn rank(&mut self, include_incomplete: bool) {
        self.ranked_incomplete = include_incomplete;
        let mut classes: FxHashMap<&str, usize> = FxHashMap::default();
        let mut class_of = Vec::with_capacity(self.units.len());
        for u in &self.units {
            let next = classes.len();
            class_of.push(*classes.entry(u.level.as_str()).or_insert(next));
        }
        let ranked = |complete: bool| include_incomplete || complete;
        let totals: Vec<Option<(usize, i64)>> =
            self.units.iter().zip(&class_of).map(|(u, c)| ranked(u.complete).then_some((*c, u.total.0))).collect();
        for (u, rank) in self.units.iter_mut().zip(competition_ranks(&totals)) {
            u.rank = rank;
        }
        let groups = self.units.iter().map(|u| u.groups.len()).max().unwrap_or(0);
        for gi in 0..groups {
            let values: Vec<Option<(usize, i64)>> = self
                .units
                .iter()
                .zip(&class_of)
                .map(|(u, c)| {
                    let g = u.groups.get(gi)?;
                    ranked(g.metrics.iter().all(|m| m.status.is_complete())).then_some((*c, g.score.0))
                })
                .collect();
            for (u, rank) in self.units.iter_mut().zip(competition_ranks(&values)) {
                if let Some(g) = u.groups.get_mut(gi) {
                    g.rank = rank;
                }
            }
        }
    }
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
        assert_eq!(x.rank, Some(1));
        assert!(x.complete);
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

    /// Every metric of `profile` at `[0, 0]`, then `metrics` over them.
    fn supplied(profile: &Profile, id: &str, metrics: &[(&str, u64, u64)]) -> UnitCounts {
        let mut all: Vec<(&str, u64, u64)> = profile.metrics.iter().map(|m| (m.code.as_str(), 0, 0)).collect();
        all.retain(|(c, _, _)| !metrics.iter().any(|(m, _, _)| m == c));
        all.extend_from_slice(metrics);
        unit(id, &all)
    }

    #[test]
    fn zero_denominators_take_the_default() {
        let p = Profile::portal_2026();
        let counts = Counts { period: "2026-08".parse().unwrap(), units: vec![supplied(&p, "a", &[])] };
        let card = score(&p, &counts, Vec::new());
        let a = &card.units[0];
        // Only E_CERTIFIED_COPY (2) and the two feedback metrics (6 + 6) score without a denominator.
        assert_eq!(a.total, Hundredths(1400));
        assert!(card.missing.is_empty() && a.complete);
        for g in &a.groups {
            for m in &g.metrics {
                assert_eq!(m.percent, None);
            }
        }
    }

    #[test]
    fn missing_metrics_score_nothing_and_leave_the_unit_unranked() {
        // A unit with only payment counts used to total 22, and one without feedback gained 12.
        let p = Profile::portal_2026();
        let counts = Counts {
            period: "2026-08".parse().unwrap(),
            units: vec![
                unit("pay", &[("PAID_ONLINE", 5, 10)]),
                supplied(&p, "full", &[("ON_TIME", 1, 2)]),
                UnitCounts {
                    unit: "pub".into(),
                    published: ["E_CERTIFIED_COPY".to_owned()].into(),
                    ..unit("pub", &[])
                },
            ],
        };
        let card = score(&p, &counts, Vec::new());
        let pay = &card.units[0];
        assert_eq!(pay.total, Hundredths(300));
        assert!(!pay.complete);
        assert_eq!(pay.missing.len(), 20);
        assert_eq!(pay.rank, None);
        let feedback = pay.groups.iter().find(|g| g.code == "MDHL").unwrap();
        assert_eq!((feedback.score, feedback.rank), (Hundredths(0), None));
        assert!(feedback.metrics.iter().all(|m| m.status == MetricStatus::Missing));
        // The complete unit is ranked; its groups too.
        assert_eq!((card.units[1].rank, card.units[1].groups[1].rank), (Some(1), Some(1)));
        // The payment group of `pay` is incomplete too (two of its three metrics are missing).
        assert_eq!(pay.groups.iter().find(|g| g.code == "TTTT").unwrap().rank, None);
        // Published full by the portal: full points, without counts.
        let e = card.units[2].groups.iter().flat_map(|g| &g.metrics).find(|m| m.code == "E_CERTIFIED_COPY").unwrap();
        assert_eq!((e.status, e.score, e.percent), (MetricStatus::Published, Hundredths(200), None));
        // Asked to, incomplete units are ranked on what they have.
        let mut all = card.clone();
        all.rank(true);
        assert_eq!(all.units.iter().map(|u| u.rank).collect::<Vec<_>>(), [Some(2), Some(1), Some(3)]);
        let json = serde_json::to_value(&card).unwrap();
        assert_eq!(json["units"][0]["rank"], serde_json::Value::Null);
        assert_eq!(json["units"][0]["complete"], serde_json::json!(false));
        assert_eq!(json["units"][0]["groups"][5]["metrics"][0]["status"], serde_json::json!("missing"));
    }

    #[test]
    fn a_metric_whose_only_input_was_rejected_is_invalid() {
        let p = Profile::portal_2026();
        let row = Rejection {
            source: "counts.json".into(),
            row: 1,
            column: Some("FEEDBACK_ON_TIME".into()),
            reason: "r".into(),
        };
        let mut u = supplied(&p, "a", &[]);
        u.metrics.remove("FEEDBACK_ON_TIME");
        u.invalid.insert("FEEDBACK_ON_TIME".into(), vec![row.clone()]);
        let card = score(&p, &Counts { period: "2026-08".parse().unwrap(), units: vec![u] }, Vec::new());
        let a = &card.units[0];
        let m = &a.groups[5].metrics[0];
        assert_eq!((m.status, m.score, m.rejected_rows.clone()), (MetricStatus::Invalid, Hundredths(0), vec![row]));
        assert_eq!((a.complete, a.invalid.clone(), a.rank), (false, vec!["FEEDBACK_ON_TIME".to_owned()], None));
        assert_eq!(a.total, Hundredths(800));
    }

    #[test]
    fn decision_2022_splits_the_feedback_satisfaction_points_when_there_is_no_feedback() {
        let p = Profile::decision_2022();
        let counts = Counts {
            period: "2026-08".parse().unwrap(),
            units: vec![
                supplied(&p, "no-feedback", &[("DOSSIER_SATISFIED", 1415, 1780)]),
                supplied(
                    &p,
                    "feedback",
                    &[("DOSSIER_SATISFIED", 81, 100), ("FEEDBACK_ON_TIME", 1, 2), ("FEEDBACK_SATISFIED", 2, 2)],
                ),
                unit("no-feedback-file", &[("DOSSIER_SATISFIED", 1415, 1780)]),
            ],
        };
        let card = score(&p, &counts, Vec::new());
        let sat = |u: usize| card.units[u].groups.iter().find(|g| g.code == "MDHL").unwrap().clone();
        let g0 = sat(0);
        // score766.md: FEEDBACK_ON_TIME 9 of 9; DOSSIER_SATISFIED 9 · 0.79494 / 0.9 → 7.95; 16.95.
        assert_eq!((g0.metrics[0].score, g0.metrics[0].max), (Hundredths(900), Hundredths(900)));
        assert_eq!((g0.metrics[1].score, g0.metrics[1].max), (Hundredths(0), Hundredths(0)));
        assert_eq!((g0.metrics[2].score, g0.metrics[2].max), (Hundredths(795), Hundredths(900)));
        assert_eq!(g0.score, Hundredths(1695));
        let g1 = sat(1);
        assert_eq!(g1.score, Hundredths(300 + 600 + 540));
        // Without feedback data at all nothing moves and the feedback metrics score nothing.
        let g2 = sat(2);
        assert_eq!((g2.metrics[2].max, g2.score), (Hundredths(600), Hundredths(530)));
        // The portal instead gives full feedback points.
        let card = score(&Profile::portal_2026(), &counts, Vec::new());
        let g = card.units[0].groups.iter().find(|g| g.code == "MDHL").unwrap();
        assert_eq!(g.score, Hundredths(600 + 600 + 530));
    }

    #[test]
    fn ranks_compete_within_a_level() {
        let mk = |id: &str, level: &str, n: u64| UnitCounts {
            level: Some(level.to_owned()),
            ..supplied(&Profile::portal_2026(), id, &[("ON_TIME", n, 10)])
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
        let ranks: Vec<Option<u32>> = card.units.iter().map(|u| u.rank).collect();
        assert_eq!(ranks, [3, 1, 1, 4, 1].map(Some));
        let tdgq: Vec<Option<u32>> = card.units.iter().map(|u| u.groups[1].rank).collect();
        assert_eq!(tdgq, [3, 1, 1, 4, 1].map(Some));
        // Without levels, depth in the parent links decides.
        let mut flat = counts.clone();
        for u in &mut flat.units {
            u.level = None;
        }
        flat.units[0].parent = Some("p".to_owned());
        let card = score(&Profile::portal_2026(), &flat, Vec::new());
        assert_eq!(card.units[0].level, "depth-1");
        assert_eq!(card.units[0].rank, Some(1));
        assert_eq!(card.units[4].rank, Some(3));
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
