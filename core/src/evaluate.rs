//! Evaluation of a plan's targets for every unit, as of a date.
//!
//! One result per unit × indicator × target-period (`formats.md`, "Evaluation result"):
//! - a `by` target gives one result, judged on the deadline's year once the deadline has passed,
//!   else on the latest observed year (with a projection when the rule is not yet satisfied);
//! - an `every` target gives one result per period from its first year to the as-of date;
//! - a maintained target (`maintain_until`) gives one result per year after its deadline.
//!
//! Choices where the spec is silent (also in the README):
//! - Units evaluated: every unit of the tree that is not re-based onto a successor, for each
//!   indicator that it or its subtree observed (or had rejected); a root unit is evaluated on every
//!   indicator of the plan, so missing data at the top shows as `no_data`.
//! - A period is open on its last day and closed from the next day.
//! - `units_meeting` roll-up counts a child as meeting when its value satisfies the rule (`met` or
//!   `met_early`); a unit with its own observation of such an indicator is judged on it.
//! - A flat trend below the target is `off_track` (it does not move the right way).
//! - An observation of a period that starts after the as-of date is not evaluated: it is listed in
//!   `rejected` (column `period`, "… starts after the as-of date …") and counts as a rejected
//!   observation of its unit and indicator, rather than being ignored without a word. Periods
//!   before the plan's first target year are kept: projections and `improves` use them as history.
//! - `rejected` lists at most [`MAX_LISTED_REJECTIONS`] rows (the lowest, by file then row) and
//!   counts the others in `rejected_omitted`, like the Decision 766 scorecard.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::confidence::{Confidence, judge};
use crate::date::Date;
use crate::exact::{Hundredths, Percent, percent_hundredths};
use crate::input::Rejection;
use crate::labels::{Lang, ReasonLabel, RejectionText, StatusLabel, Word, fill};
use crate::observation::{MAX_LISTED_REJECTIONS, Observation, Observations, trim_rejections};
use crate::period::{Granularity, Period};
use crate::plan::{Comparison, Indicator, Method, Plan, Rollup, Schedule, Target};
use crate::projection::{self, Point, Verdict};
use crate::rank::competition_ranks;
use crate::rollup::{Unrollable, Value, across_units, over_time};
use crate::units::UnitTree;

/// The status of a target for one unit, as of a date (`plan.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Period closed (or deadline passed), rule satisfied.
    Met,
    /// Period closed (or deadline passed), rule not satisfied.
    NotMet,
    /// Deadline ahead, the latest value already satisfies the rule.
    MetEarly,
    /// Deadline ahead, not yet satisfied, the projection reaches it.
    OnTrack,
    /// Deadline ahead, the projection falls short but moves the right way.
    AtRisk,
    /// Deadline ahead, the trend is flat or moves away.
    OffTrack,
    /// A recurring period is still open and not yet satisfied.
    InProgress,
    /// Not enough observations to judge (the reason says which).
    InsufficientData,
    /// No observation at all.
    NoData,
    /// Observations exist but were all rejected.
    Invalid,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Self; 10] = [
        Self::Met,
        Self::NotMet,
        Self::MetEarly,
        Self::OnTrack,
        Self::AtRisk,
        Self::OffTrack,
        Self::InProgress,
        Self::InsufficientData,
        Self::NoData,
        Self::Invalid,
    ];

    /// The name used in JSON.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::NotMet => "not_met",
            Self::MetEarly => "met_early",
            Self::OnTrack => "on_track",
            Self::AtRisk => "at_risk",
            Self::OffTrack => "off_track",
            Self::InProgress => "in_progress",
            Self::InsufficientData => "insufficient_data",
            Self::NoData => "no_data",
            Self::Invalid => "invalid",
        }
    }

    /// The status's label in the catalogue.
    #[must_use]
    pub const fn label(self) -> StatusLabel {
        match self {
            Self::Met => StatusLabel::Met,
            Self::NotMet => StatusLabel::NotMet,
            Self::MetEarly => StatusLabel::MetEarly,
            Self::OnTrack => StatusLabel::OnTrack,
            Self::AtRisk => StatusLabel::AtRisk,
            Self::OffTrack => StatusLabel::OffTrack,
            Self::InProgress => StatusLabel::InProgress,
            Self::InsufficientData => StatusLabel::InsufficientData,
            Self::NoData => StatusLabel::NoData,
            Self::Invalid => StatusLabel::Invalid,
        }
    }
}

/// Why a result has the status it has, when the status alone does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Every observation of the unit and indicator was rejected.
    AllRejected,
    /// The unit has observations, but none in this period.
    NoObservationIn(Period),
    /// Too few observed periods to project (how many there were).
    TooFewPoints(usize),
    /// The observed periods all lie at one time.
    SameTime,
    /// The values cannot be combined.
    Unrollable(Unrollable),
    /// The denominator is 0.
    ZeroDenominator,
    /// `improves` has no previous period to compare with.
    NoPrevious(Period),
    /// The target has no threshold to project to.
    NoThreshold,
}

impl Reason {
    /// A stable code (`reason_code` in JSON).
    #[must_use]
    pub const fn code(self) -> &'static str {
        self.label().key()
    }

    /// The reason's label in the catalogue.
    #[must_use]
    pub const fn label(self) -> ReasonLabel {
        match self {
            Self::AllRejected => ReasonLabel::AllRejected,
            Self::NoObservationIn(_) => ReasonLabel::NoObservationIn,
            Self::TooFewPoints(_) => ReasonLabel::TooFewPoints,
            Self::SameTime => ReasonLabel::PointsAtOneTime,
            Self::Unrollable(u) => u.label(),
            Self::ZeroDenominator => ReasonLabel::ZeroDenominator,
            Self::NoPrevious(_) => ReasonLabel::NoPreviousPeriod,
            Self::NoThreshold => ReasonLabel::NoThreshold,
        }
    }

    /// The reason in words.
    #[must_use]
    pub fn text(self, lang: Lang) -> String {
        let template = self.label().get(lang);
        match self {
            Self::NoObservationIn(p) | Self::NoPrevious(p) => fill(template, &[("period", &p)]),
            Self::TooFewPoints(n) => fill(template, &[("count", &n)]),
            _ => template.to_owned(),
        }
    }
}

/// A projection attached to a result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Projection {
    /// The method used.
    pub method: Method,
    /// How many points it used.
    pub points: usize,
    /// `year` or `month` points.
    pub granularity: Granularity,
    /// The projected value at the deadline, in percent (2 decimals).
    pub projected_percent: Hundredths,
    /// The year projected to.
    pub target_year: i32,
    /// Change per year in percentage points (linear methods) or the observed yearly growth rate in
    /// percent (growth-ratio).
    pub rate: Hundredths,
    /// Growth-ratio R (growth-ratio method only), to 2 decimals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<Hundredths>,
    /// The series projected: (period, percent).
    pub series: Vec<(Period, Hundredths)>,
}

/// One evaluation result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvalResult {
    /// The unit's id.
    pub unit: String,
    /// The indicator's id.
    pub indicator: String,
    /// The target's id.
    pub target: String,
    /// The period judged.
    pub period: Period,
    /// Numerator (null without data).
    pub numerator: Option<u64>,
    /// Denominator (null without data).
    pub denominator: Option<u64>,
    /// numerator / denominator in percent, rounded half-up to 2 decimals; null when there is no ratio.
    pub percent: Option<Hundredths>,
    /// The threshold in percent (for `improves`, the previous period's value).
    pub threshold: Option<Percent>,
    /// Who set the threshold when a per-unit override applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_source: Option<String>,
    /// `>=`, `<=`, `>`, `<` or `improves`.
    pub comparison: Comparison,
    /// The deadline: the rule's date for a `by` target, the period's last day otherwise.
    pub deadline: Date,
    /// The status.
    pub status: Status,
    /// Numerator units still needed (or to remove, for `<=` rules) to satisfy the rule; null
    /// without a ratio.
    pub gap: Option<u64>,
    /// `census`, `significant` or `inconclusive`.
    pub confidence: Confidence,
    /// 95 % interval of a sampled value, in percent.
    pub ci: Option<[Hundredths; 2]>,
    /// The projection, when one was made.
    pub projection: Option<Projection>,
    /// Why, in English, for statuses that need a reason (`insufficient_data`, `invalid`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A stable code for `reason`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// The reason as data, for reports in other languages.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub note: Option<Reason>,
    /// The value is rolled up from child units (or merged units).
    pub rolled_up: bool,
    /// The pro-rated expectation of an open recurring period, with [`Options::pro_rata`]: the
    /// status is then `on_track` or `at_risk` against it instead of `in_progress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pro_rata: Option<ProRata>,
    /// Where the value came from: `typed` observations, observations `derived` from records, or
    /// `mixed` (a roll-up of both); absent without a value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ValueSource>,
    /// The rule that derived the value (a `derive` rule id) when `source` is `derived` or `mixed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Competition rank among sibling units (same parent and level) on this result's period.
    pub rank: Option<u32>,
    /// How many sibling units were ranked with it.
    pub ranked_of: Option<u32>,
}

/// The pro-rated expectation of a recurring period that is still open (`progress.md`: "a pro-rated
/// expectation (threshold × elapsed fraction of the year)"): by the evaluation date, the share
/// `elapsed_days / period_days` of the threshold's numerator should be reached.
///
/// Exact: `expected_numerator` is the least whole numerator that meets
/// `threshold × denominator × elapsed_days / period_days` (`>=` rules; strictly above it for `>`
/// rules), computed in integers. A numerator at or above it is `on_track`, below it `at_risk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProRata {
    /// Days of the period elapsed on the evaluation date, that day included.
    pub elapsed_days: u32,
    /// Days in the period.
    pub period_days: u32,
    /// The least numerator that meets the pro-rated expectation, the denominator as observed.
    pub expected_numerator: u64,
}

impl ProRata {
    /// The expectation of `threshold` over `den` for `period` as of `as_of`, for `>=` and `>`
    /// rules (`None` for other comparisons, or when `as_of` lies outside the period).
    #[must_use]
    pub fn expect(cmp: Comparison, threshold: Percent, den: u64, period: Period, as_of: Date) -> Option<Self> {
        if !period.contains_date(as_of) {
            return None;
        }
        let first = period.first_day().days_since_epoch();
        let period_days = u32::try_from(period.last_day().days_since_epoch() - first + 1).ok()?;
        let elapsed_days = u32::try_from(as_of.days_since_epoch() - first + 1).ok()?;
        // num / den ≥ threshold × e / D  ⇔  num · 100 · scale · D ≥ units · den · e.
        let need = u128::from(threshold.units()) * u128::from(den) * u128::from(elapsed_days);
        let scale = 100 * u128::from(crate::exact::PERCENT_SCALE) * u128::from(period_days);
        let expected = match cmp {
            Comparison::AtLeast => need.div_ceil(scale),
            Comparison::Above => need / scale + 1,
            Comparison::AtMost | Comparison::Below | Comparison::Improves => return None,
        };
        Some(Self { elapsed_days, period_days, expected_numerator: u64::try_from(expected).ok()? })
    }
}

/// The JSON document of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Evaluation {
    /// The plan's id.
    pub plan: String,
    /// The as-of date.
    pub as_of: Date,
    /// Results, units in tree order.
    pub results: Vec<EvalResult>,
    /// Rows that were not accepted: at most [`MAX_LISTED_REJECTIONS`], those of the lowest rows
    /// (by file, then row).
    pub rejected: Vec<Rejection>,
    /// Rejected rows counted but not listed in `rejected`, so that a file of garbage cannot make
    /// the evaluation's memory and output grow with its length. In the JSON only when not 0, so
    /// that an evaluation that lists every rejection is byte for byte what it was before the cap.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rejected_omitted: u64,
}

// On wasm32 a pointer is narrower than a u64, so clippy has nothing to say there.
#[cfg_attr(
    target_pointer_width = "64",
    expect(clippy::trivially_copy_pass_by_ref, reason = "serde's skip_serializing_if passes a reference")
)]
const fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Evaluation {
    /// Lists `first` (rejections of an input read before the observations, such as the units
    /// file) before the evaluation's own, keeping the cap of [`MAX_LISTED_REJECTIONS`] listed
    /// rows: the ones past it are counted in `rejected_omitted`.
    pub fn prepend_rejections(&mut self, mut first: Vec<Rejection>) {
        first.append(&mut self.rejected);
        if first.len() > MAX_LISTED_REJECTIONS {
            let dropped = first.len() - MAX_LISTED_REJECTIONS;
            first.truncate(MAX_LISTED_REJECTIONS);
            self.rejected_omitted = self.rejected_omitted.saturating_add(u64::try_from(dropped).unwrap_or(u64::MAX));
        }
        self.rejected = first;
    }

    /// The document as pretty JSON (the format integrators read).
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Writes the document as pretty JSON to `out`, byte for byte what [`Self::to_json`] returns,
    /// without holding the text in memory. `out` should be buffered.
    pub fn write_json<W: std::io::Write>(&self, out: W) -> std::io::Result<()> {
        serde_json::to_writer_pretty(out, self).map_err(std::io::Error::from)
    }
}

/// Evaluation settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The as-of date.
    pub as_of: Date,
    /// A projection method for every target instead of each indicator's own.
    pub method: Option<Method>,
    /// The smallest denominator for a unit to be ranked (default 1).
    pub min_rank_denominator: u64,
    /// Only report this unit (values still roll up from the whole tree).
    pub unit: Option<String>,
    /// Judge an open recurring period (`≥ 100 % every year` in November) against the share of
    /// the period elapsed ([`ProRata`]): `on_track` or `at_risk` instead of `in_progress`. Off by
    /// default, as `progress.md` makes it a setting.
    pub pro_rata: bool,
}

impl Options {
    /// Defaults as of a date.
    #[must_use]
    pub const fn new(as_of: Date) -> Self {
        Self { as_of, method: None, min_rank_denominator: 1, unit: None, pro_rata: false }
    }
}

struct Index<'a> {
    plan: &'a Plan,
    units: &'a UnitTree,
    /// Observations by (current unit, indicator), each with the original unit it came from.
    own: HashMap<(usize, &'a str), Vec<(usize, &'a Observation)>>,
    /// (unit, indicator) pairs whose subtree has accepted observations.
    observed: HashSet<(usize, &'a str)>,
    /// (unit, indicator) pairs whose subtree has rejected observations.
    rejected: HashSet<(usize, &'a str)>,
}

impl<'a> Index<'a> {
    /// The index of the accepted observations; those of a period that starts after the as-of date
    /// are left out and added to `late` as rejections (listed like rejected rows, and counted as
    /// rejected for their unit and indicator).
    fn new(plan: &'a Plan, units: &'a UnitTree, obs: &'a Observations, as_of: Date, late: &mut Late) -> Self {
        let mut own: HashMap<(usize, &str), Vec<(usize, &Observation)>> = HashMap::new();
        let mut observed = HashSet::new();
        let mut future: Vec<(usize, &str)> = Vec::new();
        for o in &obs.accepted {
            let Some(orig) = units.index(&o.unit) else { continue };
            let current = units.rebase_target(orig);
            if o.period.first_day() > as_of {
                late.push(Rejection {
                    source: if obs.source().is_empty() { "observations".to_owned() } else { obs.source().to_owned() },
                    row: o.row,
                    column: Some("period".to_owned()),
                    reason: RejectionText::AfterAsOf.en(&[("period", &o.period), ("date", &as_of)]),
                });
                future.push((current, o.indicator.as_str()));
                continue;
            }
            own.entry((current, o.indicator.as_str())).or_default().push((orig, o));
            for u in std::iter::once(current).chain(units.ancestors(current)) {
                observed.insert((u, o.indicator.as_str()));
            }
        }
        let mut rejected = HashSet::new();
        for (current, ind) in future {
            for u in std::iter::once(current).chain(units.ancestors(current)) {
                rejected.insert((u, ind));
            }
        }
        for (unit, ind) in &obs.rejected_keys {
            let Some(orig) = units.index(unit) else { continue };
            let current = units.rebase_target(orig);
            for u in std::iter::once(current).chain(units.ancestors(current)) {
                rejected.insert((u, ind.as_str()));
            }
        }
        Self { plan, units, own, observed, rejected }
    }

    /// The unit's own value (its observations and those of units merged into it) in `period`.
    fn own_value(&self, unit: usize, ind: &Indicator, period: Period) -> Value {
        let Some(list) = self.own.get(&(unit, ind.id.as_str())) else { return Value::Empty };
        // Time aggregation per original unit first, then add the units.
        let mut origins: Vec<usize> = list.iter().map(|(o, _)| *o).collect();
        origins.sort_unstable();
        origins.dedup();
        origins.into_iter().fold(Value::Empty, |acc, origin| {
            let inside: Vec<&Observation> = list
                .iter()
                .filter(|(o, obs)| *o == origin && period.contains(obs.period))
                .map(|(_, obs)| *obs)
                .collect();
            across_units(acc, over_time(ind.time, &inside))
        })
    }

    fn children(&self, unit: usize) -> impl Iterator<Item = usize> + '_ {
        self.units.children(unit).iter().copied().filter(|&c| !self.units.is_rebased(c))
    }

    /// The unit's value in `period`, rolled up from its subtree; `true` when children contributed.
    fn value(&self, unit: usize, ind: &Indicator, target: &Target, period: Period) -> (Value, bool) {
        let own = self.own_value(unit, ind, period);
        let merged = self.own.get(&(unit, ind.id.as_str())).is_some_and(|l| l.iter().any(|(o, _)| *o != unit));
        match ind.rollup {
            Rollup::RatioOfSums => {
                let mut rolled = merged;
                let total = self.children(unit).fold(own, |acc, c| {
                    let (v, _) = self.value(c, ind, target, period);
                    rolled |= !v.is_empty();
                    across_units(acc, v)
                });
                (total, rolled)
            }
            Rollup::UnitsMeeting => {
                if !own.is_empty() {
                    return (own, merged);
                }
                let (mut meeting, mut observed) = (0u64, 0u64);
                for c in self.children(unit) {
                    let (v, _) = self.value(c, ind, target, period);
                    if let Some((num, den)) = v.ratio() {
                        observed += 1;
                        let threshold = self.threshold(c, target).map(|(t, _)| t);
                        if satisfies(target.comparison, threshold, num, den) == Some(true) {
                            meeting += 1;
                        }
                    }
                }
                if observed == 0 {
                    (Value::Empty, false)
                } else {
                    (Value::Census { num: meeting, den: observed }, true)
                }
            }
        }
    }

    fn threshold(&self, unit: usize, target: &Target) -> Option<(Percent, Option<String>)> {
        let id = self.units.unit(unit).map(|u| u.id.as_str()).unwrap_or_default();
        match self.plan.override_for(id, &target.id) {
            Some(o) => Some((o.threshold, Some(o.source.clone()))),
            None => target.threshold.map(|t| (t, None)),
        }
    }
}

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// Typed observations only.
    Typed,
    /// Observations derived from records only.
    Derived,
    /// A roll-up of both.
    Mixed,
}

impl ValueSource {
    /// The stable code (the JSON value).
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Typed => "typed",
            Self::Derived => "derived",
            Self::Mixed => "mixed",
        }
    }

    /// In words, with the derived `rule` (the `rule` of the result): what a table's notes and a
    /// workbook's column say.
    #[must_use]
    pub fn describe(self, rule: &str, lang: Lang) -> String {
        match self {
            Self::Typed => Word::SourceTyped.get(lang).to_owned(),
            Self::Derived => fill(Word::SourceDerived.get(lang), &[("rule", &rule)]),
            Self::Mixed => fill(Word::SourceMixed.get(lang), &[("rule", &rule)]),
        }
    }
}

/// The source of a unit's value in `period`: the observations of its subtree in the period, each
/// typed or derived (its `source` a rule id of the `derive` module), and the rule of the derived.
fn value_source(
    index: &Index<'_>,
    unit: usize,
    ind: &Indicator,
    period: Period,
) -> (Option<ValueSource>, Option<String>) {
    let mut all = Vec::new();
    subtree_observations(index, unit, ind, &mut all);
    let (mut typed, mut rule) = (false, None);
    for o in all.iter().filter(|o| period.contains(o.period)) {
        match o.source.as_deref().and_then(crate::derive::Rule::from_id) {
            Some(r) => rule = Some(r.id().to_owned()),
            None => typed = true,
        }
    }
    let source = match (typed, rule.is_some()) {
        (true, true) => Some(ValueSource::Mixed),
        (false, true) => Some(ValueSource::Derived),
        (true, false) => Some(ValueSource::Typed),
        (false, false) => None,
    };
    (source, rule)
}

/// Whether `num / den` satisfies the rule; `None` without a ratio or threshold.
fn satisfies(cmp: Comparison, threshold: Option<Percent>, num: u64, den: u64) -> Option<bool> {
    threshold?.cmp_ratio(num, den).map(|o| cmp.accepts(o))
}

/// The smallest n with `(num + n) / den` satisfying the rule (`(num − n)` for `<=` and `<` rules).
fn gap(cmp: Comparison, threshold: Percent, num: u64, den: u64) -> Option<u64> {
    if den == 0 {
        return None;
    }
    let scale = 100 * u128::from(crate::exact::PERCENT_SCALE);
    let need = u128::from(threshold.units()) * u128::from(den); // value * scale must reach this
    let num = u128::from(num);
    let n = match cmp {
        Comparison::AtLeast => need.div_ceil(scale).saturating_sub(num),
        Comparison::Above | Comparison::Improves => (need / scale + 1).saturating_sub(num),
        Comparison::AtMost => num.saturating_sub(need / scale),
        Comparison::Below => num.saturating_sub(need.div_ceil(scale).saturating_sub(1)),
    };
    u64::try_from(n).ok()
}

/// The smallest n with `(num + n) / den > pn / pd`.
fn gap_improves(num: u64, den: u64, pn: u64, pd: u64) -> Option<u64> {
    if den == 0 || pd == 0 {
        return None;
    }
    let need = u128::from(pn) * u128::from(den) / u128::from(pd) + 1;
    u64::try_from(need.saturating_sub(u128::from(num))).ok()
}

struct Judged {
    status: Status,
    value: Value,
    rolled: bool,
    threshold: Option<Percent>,
    threshold_source: Option<String>,
    gap: Option<u64>,
    projection: Option<Projection>,
    reason: Option<Reason>,
    pro_rata: Option<ProRata>,
}

/// Evaluates `plan` on `observations` over `units`.
#[must_use]
pub fn evaluate(plan: &Plan, units: &UnitTree, observations: &Observations, options: &Options) -> Evaluation {
    let mut late = Late { listed: observations.rejected.clone(), omitted: observations.rejected_omitted };
    let index = Index::new(plan, units, observations, options.as_of, &mut late);
    let mut results = Vec::new();
    for unit in units.preorder() {
        if units.is_rebased(unit) {
            continue;
        }
        let Some(u) = units.unit(unit) else { continue };
        if options.unit.as_ref().is_some_and(|only| *only != u.id) {
            continue;
        }
        // Every indicator of the plan for every unit evaluated: a figure nobody supplied shows as
        // `no_data`, never as a missing row.
        for ind in &plan.indicators {
            for target in &ind.targets {
                for (period, deadline, milestone) in target_periods(target, options.as_of, &index, unit, ind) {
                    let slot = Slot { unit, ind, target };
                    let j = judge_period(&index, slot, Due { period, deadline, milestone }, options);
                    let mut result = to_result(&u.id, ind, target, period, deadline, j);
                    if result.numerator.is_some() {
                        (result.source, result.rule) = value_source(&index, unit, ind, period);
                    }
                    results.push(result);
                }
            }
        }
    }
    rank(&mut results, units, options.min_rank_denominator);
    let Late { listed: mut rejected, omitted: mut rejected_omitted } = late;
    trim_rejections(&mut rejected, &mut rejected_omitted, MAX_LISTED_REJECTIONS);
    Evaluation { plan: plan.id.clone(), as_of: options.as_of, results, rejected, rejected_omitted }
}

/// The rejections of an evaluation as they are gathered, kept to the cap.
struct Late {
    listed: Vec<Rejection>,
    omitted: u64,
}

impl Late {
    fn push(&mut self, r: Rejection) {
        self.listed.push(r);
        if self.listed.len() >= 2 * MAX_LISTED_REJECTIONS {
            trim_rejections(&mut self.listed, &mut self.omitted, MAX_LISTED_REJECTIONS);
        }
    }
}

/// The periods a target is judged on for one unit: (period, deadline, judged as a milestone).
fn target_periods(
    target: &Target,
    as_of: Date,
    index: &Index<'_>,
    unit: usize,
    ind: &Indicator,
) -> Vec<(Period, Date, bool)> {
    match target.schedule {
        Schedule::By { by, maintain_until } => {
            let mut out = Vec::new();
            let period = if as_of > by {
                Period::Year(by.year())
            } else {
                // The latest year (up to the as-of year) in which the unit's subtree has data.
                latest_observed_year(index, unit, ind, as_of)
                    .map_or(Period::Year(by.year().min(as_of.year())), Period::Year)
            };
            out.push((period, by, true));
            if let Some(until) = maintain_until {
                for year in (by.year() + 1)..=until.min(as_of.year()) {
                    let p = Period::Year(year);
                    out.push((p, p.last_day(), false));
                }
            }
            out
        }
        Schedule::Every { every, from, to } => {
            let (Some(start), Some(end)) = (Date::new(from, 1, 1), Date::new(to, 12, 31)) else { return Vec::new() };
            let last = end.min(as_of);
            if last < start {
                return Vec::new();
            }
            Period::range(every, start, last).into_iter().map(|p| (p, p.last_day(), false)).collect()
        }
    }
}

fn subtree_observations<'a>(index: &Index<'a>, unit: usize, ind: &Indicator, out: &mut Vec<&'a Observation>) {
    if let Some(list) = index.own.get(&(unit, ind.id.as_str())) {
        out.extend(list.iter().map(|(_, o)| *o));
    }
    for c in index.children(unit) {
        subtree_observations(index, c, ind, out);
    }
}

fn latest_observed_year(index: &Index<'_>, unit: usize, ind: &Indicator, as_of: Date) -> Option<i32> {
    let mut all = Vec::new();
    subtree_observations(index, unit, ind, &mut all);
    all.iter().map(|o| o.period).filter(|p| p.first_day() <= as_of).map(Period::year).max()
}

/// What is judged: one unit's target of one indicator.
#[derive(Debug, Clone, Copy)]
struct Slot<'p> {
    unit: usize,
    ind: &'p Indicator,
    target: &'p Target,
}

/// When it is judged: the period, its deadline, and whether it is the target's milestone (judged
/// by projection while open) rather than a yearly or recurring check.
#[derive(Debug, Clone, Copy)]
struct Due {
    period: Period,
    deadline: Date,
    milestone: bool,
}

fn judge_period(index: &Index<'_>, slot: Slot<'_>, due: Due, options: &Options) -> Judged {
    let Slot { unit, ind, target } = slot;
    let Due { period, deadline, milestone } = due;
    let (value, rolled) = index.value(unit, ind, target, period);
    let mut j = Judged {
        status: Status::NoData,
        value: Value::Empty,
        rolled,
        threshold: None,
        threshold_source: None,
        gap: None,
        projection: None,
        reason: None,
        pro_rata: None,
    };
    if let Some((t, src)) = index.threshold(unit, target) {
        j.threshold = Some(t);
        j.threshold_source = src;
    }
    let closed = options.as_of > deadline || (!milestone && options.as_of > period.last_day());
    match &value {
        Value::Empty => {
            let has_any = index.observed.contains(&(unit, ind.id.as_str()));
            if !has_any && index.rejected.contains(&(unit, ind.id.as_str())) {
                j.status = Status::Invalid;
                j.reason = Some(Reason::AllRejected);
            } else if has_any {
                j.reason = Some(Reason::NoObservationIn(period));
            }
            return j;
        }
        Value::Unrollable(why) => {
            j.status = Status::InsufficientData;
            j.reason = Some(Reason::Unrollable(*why));
            return j;
        }
        _ => {}
    }
    j.value = value;
    let Some((num, den)) = j.value.ratio() else { return j };
    // The rule: a threshold, or the previous period's value for `improves`.
    let satisfied = if target.comparison == Comparison::Improves {
        let (prev, _) = index.value(unit, ind, target, period.previous());
        match prev.ratio() {
            Some((pn, pd)) if pd > 0 => {
                j.threshold = percent_hundredths(pn, pd).map(|h| Percent::from_units(h * 100));
                j.gap = gap_improves(num, den, pn, pd);
                (den > 0).then(|| crate::exact::cmp_ratio(num, den, pn, pd) == Ordering::Greater)
            }
            _ => {
                j.status = Status::InsufficientData;
                j.reason = Some(Reason::NoPrevious(period.previous()));
                return j;
            }
        }
    } else {
        j.gap = j.threshold.and_then(|t| gap(target.comparison, t, num, den));
        satisfies(target.comparison, j.threshold, num, den)
    };
    let Some(satisfied) = satisfied else {
        j.status = Status::InsufficientData;
        j.reason = Some(Reason::ZeroDenominator);
        return j;
    };
    j.status = match (closed, satisfied) {
        (true, true) => Status::Met,
        (true, false) => Status::NotMet,
        (false, true) => Status::MetEarly,
        (false, false) if !milestone && options.pro_rata => {
            pro_rated(target.comparison, period, den, num, options, &mut j)
        }
        (false, false) if !milestone || target.comparison == Comparison::Improves => Status::InProgress,
        (false, false) => project_open_milestone(index, slot, deadline, options, &mut j),
    };
    j
}

/// An open recurring period not satisfied yet, judged against its pro-rated expectation:
/// `on_track` or `at_risk`, or `in_progress` where no expectation applies (`<=`, `<`,
/// `improves`, no threshold).
fn pro_rated(cmp: Comparison, period: Period, den: u64, num: u64, options: &Options, j: &mut Judged) -> Status {
    let Some(expect) = j.threshold.and_then(|t| ProRata::expect(cmp, t, den, period, options.as_of)) else {
        return Status::InProgress;
    };
    j.pro_rata = Some(expect);
    if num >= expect.expected_numerator { Status::OnTrack } else { Status::AtRisk }
}

/// An open milestone not met yet: on track, at risk or off track by the projection to its
/// deadline, or insufficient data when the series cannot be projected (the reason says why).
fn project_open_milestone(
    index: &Index<'_>,
    slot: Slot<'_>,
    deadline: Date,
    options: &Options,
    j: &mut Judged,
) -> Status {
    let method = options.method.unwrap_or(slot.ind.projection);
    match project(index, slot, deadline, method, options.as_of, j.threshold) {
        Ok((status, proj)) => {
            j.projection = Some(proj);
            status
        }
        Err(reason) => {
            j.reason = Some(reason);
            Status::InsufficientData
        }
    }
}

#[expect(clippy::cast_precision_loss, reason = "projections are estimates")]
fn share(num: u64, den: u64) -> f64 {
    num as f64 / den as f64
}

#[expect(clippy::cast_possible_truncation, reason = "percent values are small")]
fn hundredths_of(x: f64) -> Hundredths {
    Hundredths((x * 10_000.0).round() as i64)
}

fn project(
    index: &Index<'_>,
    slot: Slot<'_>,
    deadline: Date,
    method: Method,
    as_of: Date,
    threshold: Option<Percent>,
) -> Result<(Status, Projection), Reason> {
    let Some(threshold) = threshold else { return Err(Reason::NoThreshold) };
    let Slot { unit, ind, target } = slot;
    let mut all = Vec::new();
    subtree_observations(index, unit, ind, &mut all);
    let mut years: Vec<i32> = all.iter().map(|o| o.period.year()).filter(|&y| y <= as_of.year()).collect();
    years.sort_unstable();
    years.dedup();
    let start = years.len().saturating_sub(5);
    let yearly: Vec<(Period, u64, u64)> = years
        .get(start..)
        .unwrap_or_default()
        .iter()
        .filter_map(|&y| {
            let p = Period::Year(y);
            index.value(unit, ind, target, p).0.ratio().filter(|(_, d)| *d > 0).map(|(n, d)| (p, n, d))
        })
        .collect();
    let (series, granularity, target_t) = if yearly.len() >= 2 {
        (yearly, Granularity::Year, f64::from(deadline.year()))
    } else {
        let first = Period::Month(as_of.year() - 2, as_of.month()).next();
        let months: Vec<(Period, u64, u64)> = Period::range(Granularity::Month, first.first_day(), as_of)
            .into_iter()
            .filter(|p| all.iter().any(|o| o.period == *p))
            .filter_map(|p| index.value(unit, ind, target, p).0.ratio().filter(|(_, d)| *d > 0).map(|(n, d)| (p, n, d)))
            .collect();
        if months.len() < 2 {
            let n = yearly.len().max(months.len());
            return Err(Reason::TooFewPoints(n));
        }
        (months, Granularity::Month, f64::from(deadline.year()) + 0.5)
    };
    let points: Vec<Point> = series
        .iter()
        .map(|(p, n, d)| {
            let t = match p {
                Period::Month(y, m) => f64::from(*y) + (f64::from(*m) - 0.5) / 12.0,
                other => f64::from(other.year()),
            };
            Point { t, x: share(*n, *d) }
        })
        .collect();
    let strict = matches!(target.comparison, Comparison::Above | Comparison::Below);
    let outcome = projection::project(
        method,
        &points,
        target_t,
        threshold.as_share(),
        target.comparison.higher_is_better(),
        strict,
    )
    .ok_or(Reason::SameTime)?;
    let status = match outcome.verdict {
        Verdict::OnTrack => Status::OnTrack,
        Verdict::AtRisk => Status::AtRisk,
        Verdict::OffTrack => Status::OffTrack,
    };
    let projection = Projection {
        method,
        points: points.len(),
        granularity,
        projected_percent: hundredths_of(outcome.projected),
        target_year: deadline.year(),
        rate: hundredths_of(outcome.rate),
        ratio: outcome.ratio.map(|r| hundredths_of(r / 100.0)),
        series: series
            .iter()
            .map(|(p, n, d)| (*p, Hundredths(percent_hundredths(*n, *d).map_or(0, |h| i64::try_from(h).unwrap_or(0)))))
            .collect(),
    };
    Ok((status, projection))
}

fn to_result(unit: &str, ind: &Indicator, target: &Target, period: Period, deadline: Date, j: Judged) -> EvalResult {
    let ratio = j.value.ratio();
    let (confidence, ci) = match j.value.interval() {
        Some(i) => {
            let c = j.threshold.map_or(Confidence::Inconclusive, |t| judge(i, t.as_share()));
            (c, Some([hundredths_of(i.low), hundredths_of(i.high)]))
        }
        None => (Confidence::Census, None),
    };
    EvalResult {
        unit: unit.to_owned(),
        indicator: ind.id.clone(),
        target: target.id.clone(),
        period,
        numerator: ratio.map(|r| r.0),
        denominator: ratio.map(|r| r.1),
        percent: ratio
            .and_then(|(n, d)| percent_hundredths(n, d))
            .map(|h| Hundredths(i64::try_from(h).unwrap_or(i64::MAX))),
        threshold: j.threshold,
        threshold_source: j.threshold_source,
        comparison: target.comparison,
        deadline,
        status: j.status,
        gap: j.gap,
        confidence,
        ci,
        projection: j.projection,
        pro_rata: j.pro_rata,
        reason: j.reason.map(|r| r.text(Lang::En)),
        reason_code: j.reason.map(|r| r.code().to_owned()),
        note: j.reason,
        rolled_up: j.rolled,
        source: None,
        rule: None,
        rank: None,
        ranked_of: None,
    }
}

/// Siblings ranked together: parent, level, indicator, target, period.
type SiblingKey<'a> = (Option<usize>, String, &'a str, &'a str, Period);

/// Ranks sibling units (same parent and level) on each indicator, target and period.
fn rank(results: &mut [EvalResult], units: &UnitTree, min_den: u64) {
    let mut groups: HashMap<SiblingKey<'_>, Vec<usize>> = HashMap::new();
    for (i, r) in results.iter().enumerate() {
        let Some(u) = units.index(&r.unit) else { continue };
        let eligible = matches!((r.numerator, r.denominator), (Some(_), Some(d)) if d >= min_den.max(1));
        if !eligible {
            continue;
        }
        let level = units.unit(u).map(|x| x.level.as_str().to_owned()).unwrap_or_default();
        groups.entry((units.parent(u), level, r.indicator.as_str(), r.target.as_str(), r.period)).or_default().push(i);
    }
    let mut assigned: Vec<(usize, u32, u32)> = Vec::new();
    for members in groups.values() {
        let keyed: Vec<(u64, u64, bool)> = members
            .iter()
            .filter_map(|&i| results.get(i))
            .map(|r| (r.numerator.unwrap_or(0), r.denominator.unwrap_or(1), r.comparison.higher_is_better()))
            .collect();
        let ranks = competition_ranks(&keyed, |a, b| {
            let o = crate::exact::cmp_ratio(a.0, a.1, b.0, b.1);
            if a.2 { o } else { o.reverse() }
        });
        let of = u32::try_from(members.len()).unwrap_or(u32::MAX);
        assigned.extend(members.iter().copied().zip(ranks).map(|(i, r)| (i, r, of)));
    }
    for (i, r, of) in assigned {
        if let Some(res) = results.get_mut(i) {
            res.rank = Some(r);
            res.ranked_of = Some(of);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_at_the_boundary() {
        let p = |s: &str| s.parse::<Percent>().unwrap();
        // 80 % of 5 is exactly 4.
        assert_eq!(gap(Comparison::AtLeast, p("80"), 4, 5), Some(0));
        assert_eq!(gap(Comparison::AtLeast, p("80"), 3, 5), Some(1));
        // 70 % of 10 is exactly 7.
        assert_eq!(gap(Comparison::AtLeast, p("70"), 6, 10), Some(1));
        assert_eq!(gap(Comparison::Above, p("70"), 7, 10), Some(1));
        // 85.5 % of 1000 is 855.
        assert_eq!(gap(Comparison::AtLeast, p("85.5"), 850, 1000), Some(5));
        // 90 % of 7 is 6.3: 7 needed.
        assert_eq!(gap(Comparison::AtLeast, p("90"), 6, 7), Some(1));
        assert_eq!(gap(Comparison::AtLeast, p("100"), 0, 800), Some(800));
        // ≤ 10 % of 50 = 5: 8 → remove 3; < 10 %: at most 4 → remove 4.
        assert_eq!(gap(Comparison::AtMost, p("10"), 8, 50), Some(3));
        assert_eq!(gap(Comparison::Below, p("10"), 8, 50), Some(4));
        assert_eq!(gap(Comparison::Below, p("10"), 4, 50), Some(0));
        assert_eq!(gap(Comparison::AtLeast, p("80"), 0, 0), None);
        assert_eq!(gap_improves(5, 10, 1, 2), Some(1));
        assert_eq!(gap_improves(6, 10, 1, 2), Some(0));
    }

    proptest::proptest! {
        /// The gap is the smallest n that satisfies the rule.
        #[test]
        fn gap_is_the_smallest_sufficient_n(num in 0u64..2000, extra in 1u64..2000, t in 0u64..=1_000_000) {
            let den = num + extra;
            let threshold = Percent::from_units(t);
            for cmp in [Comparison::AtLeast, Comparison::Above] {
                let n = gap(cmp, threshold, num, den).unwrap();
                let ok = |k: u64| satisfies(cmp, Some(threshold), num + k, den) == Some(true);
                if n > 0 {
                    proptest::prop_assert!(!ok(n - 1));
                }
                // Strictly above 100 % cannot be reached; otherwise n satisfies the rule.
                if !(cmp == Comparison::Above && t == 1_000_000) {
                    proptest::prop_assert!(ok(n));
                }
            }
        }
    }
}
