//! Derived observations: the plan indicators that dossier and procedure records determine, per
//! unit and month, each naming the [`Rule`] that gave it.
//!
//! Every dossier is read and classified exactly as the Decision 766 scorer reads and classifies
//! it (`DossierAggregate::classify_dossier`, one classification shared with the counting), so a
//! derived numerator agrees with the scorer's counters record by record: `dossiers_fully_online`
//! is the scorer's `ONLINE_DOSSIERS` (online / dossiers). One streaming pass; memory is bounded by
//! units × months (a few counters each) and the procedure table.
//!
//! # Readings where the plan is silent
//!
//! - A unit's observations count its own records (the unit a dossier names), not its subtree's:
//!   the evaluation rolls them up (ratio of sums), so counting the subtree here would count a
//!   child's dossiers twice.
//! - `procedures_full_online` (a stock, `time: last`): each unit's procedures are those whose
//!   `authority_level` is the unit's own level (a root also takes those with no level; without a
//!   units file every procedure is every unit's), so that the roll-up gives a unit its level's and
//!   its subtree's levels' procedures, like the scorer's procedures under a unit's authority (each
//!   unit's offering counted: a khóm-level procedure once per khóm, where the scorer's
//!   `ONLINE_PROCEDURES` counts it once). Procedures carry no dates, so the same figure is given for every month of the range in which the unit has
//!   records or, for a unit of a units file, every month of the range.
//! - `satisfaction`: "people who used DVCTT and rated it" are the dossiers filed online (channel
//!   `online`) with a rating; satisfied / rated. The field indicators count the same dossiers by
//!   their procedure's `field` (đất đai / land, xây dựng / construction, đầu tư / investment, any
//!   case); the combined target counts the three fields together.
//! - `service_quality_improves`: the month's Decision 766 total (in hundredths) over 10 000, for
//!   units that the index scores as agencies (level `commune` or `agency`, or any unit without a
//!   units file), in months when their subtree received at least one dossier. A district or
//!   province then rolls up to the mean of its communes' monthly totals.

pub mod explain;

use std::collections::BTreeMap;
use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::input::{InputError, Rejection};
use crate::observation::{Kind, MAX_LISTED_REJECTIONS, Observation, trim_rejections};
use crate::period::{Period, PeriodRange};
use crate::score766::{
    Classified, DOSSIER_COLUMNS, DOSSIER_FIELDS, DOSSIER_REQUIRED, DossierAggregate, DossierRecord, FieldError,
    RecordContext, Series, ServiceLevel, counter, for_each_json_line,
};
use crate::tabular::read::read_csv_with;
use crate::tabular::{InputOptions, source};
use crate::units::Level;

/// The rule that derived an observation from records (its `source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// `dossiers_fully_online`: dossiers filed online, with an electronic result where the
    /// procedure returns a paper one (the scorer's `ONLINE_DOSSIERS`) / dossiers received.
    OnlineDossiers,
    /// `procedures_full_online`: the unit's procedures offered full-process online / its
    /// procedures eligible for it.
    FullOnlineProcedures,
    /// `satisfaction`: online dossiers rated satisfied / online dossiers rated.
    OnlineDossierRatings,
    /// The field satisfaction indicators: the same, by the procedure's field.
    OnlineDossierRatingsByField,
    /// `service_quality_improves`: the month's Decision 766 total in hundredths / 10 000.
    Score766Total,
}

/// The indicators records determine, in the plan's order.
pub const DERIVED_INDICATORS: [&str; 8] = [
    "procedures_full_online",
    "dossiers_fully_online",
    "satisfaction",
    "satisfaction_land_construction_investment",
    "satisfaction_land",
    "satisfaction_construction",
    "satisfaction_investment",
    "service_quality_improves",
];

impl Rule {
    /// Every rule.
    pub const ALL: [Self; 5] = [
        Self::OnlineDossiers,
        Self::FullOnlineProcedures,
        Self::OnlineDossierRatings,
        Self::OnlineDossierRatingsByField,
        Self::Score766Total,
    ];

    /// The stable id (the `source` column's value).
    #[must_use]
    pub const fn id(self) -> &'static str {
        match self {
            Self::OnlineDossiers => "online_dossiers",
            Self::FullOnlineProcedures => "full_online_procedures",
            Self::OnlineDossierRatings => "online_dossier_ratings",
            Self::OnlineDossierRatingsByField => "online_dossier_ratings_by_field",
            Self::Score766Total => "score766_total",
        }
    }

    /// The rule of an id; `None` for any other text (a `source` column of a user's own meaning).
    #[must_use]
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.id() == id.trim())
    }

    /// The rule that derives `indicator`, if records determine it.
    #[must_use]
    pub fn for_indicator(indicator: &str) -> Option<Self> {
        match indicator {
            "dossiers_fully_online" => Some(Self::OnlineDossiers),
            "procedures_full_online" => Some(Self::FullOnlineProcedures),
            "satisfaction" => Some(Self::OnlineDossierRatings),
            "satisfaction_land_construction_investment"
            | "satisfaction_land"
            | "satisfaction_construction"
            | "satisfaction_investment" => Some(Self::OnlineDossierRatingsByField),
            "service_quality_improves" => Some(Self::Score766Total),
            _ => None,
        }
    }
}

/// A month as (year, month), ordered.
const fn ym(p: Period) -> (i32, u8) {
    (p.year(), p.first_month())
}

/// One of the fields the plan names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Land,
    Construction,
    Investment,
}

impl Field {
    const ALL: [Self; 3] = [Self::Land, Self::Construction, Self::Investment];

    /// The field of a procedure's `field` text (Vietnamese, unaccented or English, any case).
    pub(crate) fn of(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "đất đai" | "dat dai" | "land" => Some(Self::Land),
            "xây dựng" | "xay dung" | "construction" => Some(Self::Construction),
            "đầu tư" | "dau tu" | "investment" => Some(Self::Investment),
            _ => None,
        }
    }

    const fn indicator(self) -> &'static str {
        match self {
            Self::Land => "satisfaction_land",
            Self::Construction => "satisfaction_construction",
            Self::Investment => "satisfaction_investment",
        }
    }

    const fn index(self) -> usize {
        match self {
            Self::Land => 0,
            Self::Construction => 1,
            Self::Investment => 2,
        }
    }
}

/// One dossier as a derivation sees it: read and classified by the scorer's own code.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seen {
    /// The unit's index in the context's interner.
    pub unit: u32,
    /// Its month.
    pub month: Period,
    /// What the scorer counts it towards.
    pub classified: Classified,
    /// Filed online (channel `online`).
    pub channel_online: bool,
    /// `Some(satisfied)` when rated.
    pub rating: Option<bool>,
    /// Its procedure's field, when one the plan names.
    pub field: Option<Field>,
}

impl Seen {
    /// Counted by `dossiers_fully_online`'s numerator.
    pub(crate) const fn fully_online(&self) -> bool {
        self.classified.mask & (1 << counter::ONLINE) != 0
    }

    /// A rating counted by the satisfaction indicators: on a dossier filed online.
    pub(crate) const fn online_rating(&self) -> Option<bool> {
        if self.channel_online { self.rating } else { None }
    }
}

/// Reads and classifies dossiers against a context, for the derivation and the explain lists.
#[derive(Debug)]
pub(crate) struct Classifier {
    aggregate: DossierAggregate,
    fields: Vec<Option<Field>>,
}

impl Classifier {
    pub(crate) fn new(context: &RecordContext) -> Self {
        let fields =
            context.procedures().map_or_else(Vec::new, |t| t.list().iter().map(|p| Field::of(&p.field)).collect());
        Self { aggregate: DossierAggregate::new(context), fields }
    }

    /// One dossier's fields (trimmed, in [`DOSSIER_COLUMNS`] order), read and classified.
    pub(crate) fn see(&mut self, f: &[&[u8]; DOSSIER_FIELDS]) -> Result<Seen, FieldError> {
        let (d, classified) = self.aggregate.classify_dossier(f)?;
        let local = d.received.local_date();
        let [.., rating] = *f;
        Ok(Seen {
            unit: d.unit,
            month: Period::Month(local.year(), local.month()),
            classified,
            channel_online: classified.mask & (1 << counter::CHANNEL_ONLINE) != 0,
            rating: (!rating.is_empty()).then_some(!d.unsatisfied),
            field: self.fields.get(d.procedure as usize).copied().flatten(),
        })
    }

    /// The name of an interned unit.
    pub(crate) fn unit_name(&self, unit: u32) -> &str {
        self.aggregate.unit_name(unit)
    }
}

/// Where the dossiers come from and how they are read.
#[derive(Debug, Clone, Copy)]
pub struct DossierSource<'a> {
    /// The name in rejections.
    pub name: &'a str,
    /// JSON lines rather than CSV (or a workbook).
    pub json_lines: bool,
    /// How a CSV file or workbook is read.
    pub input: &'a InputOptions,
    /// Stop at the first rejected row.
    pub strict: bool,
}

/// Calls `f` with every dossier record of `reader` (its row, its trimmed fields), through the
/// readers every tabular input goes through; a record `f` refuses, or that cannot be read, goes to
/// `on_reject` located by file, row and column.
pub(crate) fn for_each_dossier<R: Read>(
    reader: R,
    src: DossierSource<'_>,
    on_reject: &mut dyn FnMut(Rejection),
    mut f: impl FnMut(u64, &[&[u8]; DOSSIER_FIELDS]) -> Result<(), FieldError>,
) -> Result<(), InputError> {
    if src.json_lines {
        return for_each_line_block(reader, src.name, |block, first| {
            for_each_json_line::<DossierRecord>(block, first, |row, parsed| {
                let outcome = parsed.and_then(|record| {
                    let fields = record.fields().map(crate::tabular::scan::trim);
                    f(row, &fields).map_err(|(c, reason)| (Some(c.to_owned()), reason))
                });
                match outcome {
                    Ok(()) => Ok(()),
                    Err((column, reason)) => {
                        let r = Rejection { source: src.name.to_owned(), row, column, reason };
                        if src.strict {
                            return Err(InputError::Strict(r));
                        }
                        on_reject(r);
                        Ok(())
                    }
                }
            })
        });
    }
    let columns = (&DOSSIER_REQUIRED[..], &DOSSIER_COLUMNS[..]);
    let opened = source::open(reader, src.name, columns, src.input, src.strict)?;
    opened.rejected.into_iter().for_each(&mut *on_reject);
    read_csv_with(opened.reader, &opened.source, columns, src.strict, on_reject, |row| {
        let mut fields: [&[u8]; DOSSIER_FIELDS] = [b""; DOSSIER_FIELDS];
        for (slot, column) in fields.iter_mut().zip(DOSSIER_COLUMNS) {
            *slot = row.get(column)?.as_bytes();
        }
        f(row.number(), &fields).map_err(|(column, reason)| row.reject(column, reason))
    })
}

/// How many bytes of JSON lines are read at a time: the memory of a JSON-lines file is this and
/// its longest line, not the file.
const LINE_BLOCK_BYTES: usize = 1 << 20;

/// Calls `f` with the whole lines of `reader`, a block at a time (each ends with a newline, but
/// the last may not), and the number of the block's first line.
fn for_each_line_block<R: Read>(
    mut reader: R,
    name: &str,
    mut f: impl FnMut(&[u8], u64) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let io = |e: std::io::Error| InputError::Io { file: name.to_owned(), reason: e.to_string() };
    let mut pending: Vec<u8> = Vec::with_capacity(LINE_BLOCK_BYTES);
    let mut chunk = vec![0_u8; LINE_BLOCK_BYTES];
    let mut line = 1_u64;
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        pending.extend_from_slice(chunk.get(..n).unwrap_or_default());
        if let Some(last) = pending.iter().rposition(|b| *b == b'\n') {
            let block = pending.get(..=last).unwrap_or_default();
            f(block, line)?;
            line += crate::tabular::scan::count_lines(block, crate::tabular::scan::LineEnd::Lf);
            pending.drain(..=last);
        }
    }
    if pending.is_empty() { Ok(()) } else { f(&pending, line) }
}

/// The counts of one unit in one month.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    dossiers: u64,
    online: u64,
    rated: u64,
    satisfied: u64,
    field_rated: [u64; 3],
    field_satisfied: [u64; 3],
}

impl Tally {
    fn add(&mut self, s: &Seen) {
        self.dossiers += 1;
        self.online += u64::from(s.fully_online());
        if let Some(satisfied) = s.online_rating() {
            self.rated += 1;
            self.satisfied += u64::from(satisfied);
            if let Some(field) = s.field {
                let i = field.index();
                if let (Some(r), Some(k)) = (self.field_rated.get_mut(i), self.field_satisfied.get_mut(i)) {
                    *r += 1;
                    *k += u64::from(satisfied);
                }
            }
        }
    }
}

/// The derivation of observations from records: dossiers added one by one (or read whole), then
/// the observations, with the Decision 766 series of the same records for
/// `service_quality_improves`.
#[derive(Debug)]
pub struct Derivation {
    context: RecordContext,
    classifier: Classifier,
    range: Option<PeriodRange>,
    /// By unit and month (year, month).
    tallies: BTreeMap<(u32, (i32, u8)), Tally>,
    /// The rejected rows of the lowest rows, at most [`MAX_LISTED_REJECTIONS`] (the others
    /// counted in `rejected_omitted`), so that a file of bad rows cannot exhaust memory.
    rejected: Vec<Rejection>,
    rejected_omitted: u64,
    /// The units (of the units file, when one was given) named by dossier rows that could not be
    /// classified.
    rejected_units: std::collections::BTreeSet<String>,
}

/// Keeps a rejection among the lowest rows' (see [`Derivation::rejected`]).
pub(crate) fn keep_rejection(list: &mut Vec<Rejection>, omitted: &mut u64, r: Rejection) {
    list.push(r);
    if list.len() >= 2 * MAX_LISTED_REJECTIONS {
        trim_rejections(list, omitted, MAX_LISTED_REJECTIONS);
    }
}

impl Derivation {
    /// A derivation of the months of `range` (a range of months; `None`: every month of the
    /// records), against `context`.
    #[must_use]
    pub fn new(context: RecordContext, range: Option<PeriodRange>) -> Self {
        Self {
            classifier: Classifier::new(&context),
            context,
            range,
            tallies: BTreeMap::new(),
            rejected: Vec::new(),
            rejected_omitted: 0,
            rejected_units: std::collections::BTreeSet::new(),
        }
    }

    /// Reads every dossier of `reader`; rows that cannot be classified are kept as rejections.
    pub fn read_dossiers<R: Read>(&mut self, reader: R, src: DossierSource<'_>) -> Result<(), InputError> {
        let Self { context, classifier, range, tallies, rejected, rejected_omitted, rejected_units } = self;
        let mut on_reject = |r| keep_rejection(rejected, rejected_omitted, r);
        let outcome = for_each_dossier(reader, src, &mut on_reject, |_, fields| {
            let seen = classifier.see(fields).inspect_err(|_| {
                let [_, unit, ..] = *fields;
                let known = |u: &str| context.units().is_none_or(|t| t.index(u).is_some());
                if let Ok(unit) = std::str::from_utf8(unit) {
                    if !unit.is_empty() && !rejected_units.contains(unit) && known(unit) {
                        rejected_units.insert(unit.to_owned());
                    }
                }
            })?;
            if range.is_none_or(|r| r.slot_of(seen.month).is_some()) {
                tallies.entry((seen.unit, ym(seen.month))).or_default().add(&seen);
            }
            Ok(())
        });
        trim_rejections(rejected, rejected_omitted, MAX_LISTED_REJECTIONS);
        outcome
    }

    /// The first and last months with records (within the range).
    #[must_use]
    pub fn months(&self) -> Option<(Period, Period)> {
        let months = self.months_seen();
        Some((*months.first()?, *months.last()?))
    }

    /// The units named by dossier rows that could not be classified (a unit whose only dossiers
    /// were rejected has `dossiers_fully_online` invalid, not missing).
    #[must_use]
    pub const fn rejected_units(&self) -> &std::collections::BTreeSet<String> {
        &self.rejected_units
    }

    /// The dossier rows rejected (the scorer rejects the same rows): those of the lowest
    /// [`MAX_LISTED_REJECTIONS`] rows, in row order.
    #[must_use]
    pub fn rejected(&self) -> &[Rejection] {
        &self.rejected
    }

    /// The rejected rows counted but not listed.
    #[must_use]
    pub const fn rejected_omitted(&self) -> u64 {
        self.rejected_omitted
    }

    /// The observations, sorted by unit, indicator and period; `series` is the Decision 766
    /// series of the same records over the same months (for `service_quality_improves`).
    #[must_use]
    pub fn observations(&self, series: Option<&Series>) -> Vec<Observation> {
        let mut out = Vec::new();
        for (&(unit, (y, m)), t) in &self.tallies {
            let month = Period::Month(y, m);
            let unit = self.classifier.unit_name(unit);
            let mut push = |indicator: &str, num: u64, den: u64, rule: Rule| {
                if den > 0 {
                    out.push(derived(unit, indicator, month, (num, den), rule));
                }
            };
            push("dossiers_fully_online", t.online, t.dossiers, Rule::OnlineDossiers);
            push("satisfaction", t.satisfied, t.rated, Rule::OnlineDossierRatings);
            let by_field = Rule::OnlineDossierRatingsByField;
            for f in Field::ALL {
                let (r, s) = (t.field_rated.get(f.index()), t.field_satisfied.get(f.index()));
                push(f.indicator(), s.copied().unwrap_or(0), r.copied().unwrap_or(0), by_field);
            }
            let (s, r) = (t.field_satisfied.iter().sum(), t.field_rated.iter().sum());
            push("satisfaction_land_construction_investment", s, r, by_field);
        }
        self.procedure_observations(&mut out);
        if let Some(series) = series {
            score766_observations(series, self.context.units().is_some(), &mut out);
        }
        out.sort_by(|a, b| {
            (&a.unit, &a.indicator, a.period.sort_key()).cmp(&(&b.unit, &b.indicator, b.period.sort_key()))
        });
        out
    }

    /// `procedures_full_online` of every unit that has procedures at its own level, for each
    /// month of the range (a unit of the units file) or each month it has records (no file).
    fn procedure_observations(&self, out: &mut Vec<Observation>) {
        let Some(table) = self.context.procedures() else { return };
        let full_of = |own: &dyn Fn(Option<&Level>) -> bool| {
            let eligible = table.list().iter().filter(|p| p.eligible_full && own(p.authority_level.as_ref()));
            eligible.fold((0u64, 0u64), |(n, d), p| (n + u64::from(p.service_level == ServiceLevel::Full), d + 1))
        };
        let mut push = |unit: &str, month: Period, (num, den): (u64, u64)| {
            if den > 0 {
                out.push(derived(unit, "procedures_full_online", month, (num, den), Rule::FullOnlineProcedures));
            }
        };
        match self.context.units() {
            Some(tree) => {
                for (i, u) in tree.units().iter().enumerate() {
                    let root = tree.parent(i).is_none();
                    let counts = full_of(&|l| l.map_or(root, |l| *l == u.level));
                    match self.range {
                        Some(range) => range.iter().for_each(|m| push(&u.id, m, counts)),
                        None => self.months_seen().into_iter().for_each(|m| push(&u.id, m, counts)),
                    }
                }
            }
            None => {
                let counts = full_of(&|_| true);
                for &(unit, (y, m)) in self.tallies.keys() {
                    push(self.classifier.unit_name(unit), Period::Month(y, m), counts);
                }
            }
        }
    }
}

impl Derivation {
    /// The months with records, in order.
    fn months_seen(&self) -> Vec<Period> {
        let mut months: Vec<(i32, u8)> = self.tallies.keys().map(|(_, m)| *m).collect();
        months.sort_unstable();
        months.dedup();
        months.into_iter().map(|(y, m)| Period::Month(y, m)).collect()
    }
}

/// `service_quality_improves` from the series' scorecards.
fn score766_observations(series: &Series, has_tree: bool, out: &mut Vec<Observation>) {
    for card in &series.scorecards {
        for u in &card.units {
            if has_tree && !matches!(u.level.as_str(), "commune" | "agency") {
                continue;
            }
            let received = u.groups.iter().flat_map(|g| &g.metrics).find(|m| m.code == "ON_TIME");
            if received.is_none_or(|m| m.denominator == 0) {
                continue;
            }
            let total = u64::try_from(u.total.0).unwrap_or(0);
            out.push(derived(&u.unit, "service_quality_improves", card.period, (total, 10_000), Rule::Score766Total));
        }
    }
}

fn derived(
    unit: &str,
    indicator: &str,
    period: Period,
    (numerator, denominator): (u64, u64),
    rule: Rule,
) -> Observation {
    Observation {
        unit: unit.to_owned(),
        indicator: indicator.to_owned(),
        period,
        numerator,
        denominator,
        kind: Kind::Census,
        design_effect: None,
        population: None,
        row: 0,
        source: Some(rule.id().to_owned()),
    }
}

/// Writes observations as `observations.csv` (formats.md) with a `source` column.
pub fn write_csv<W: std::io::Write>(observations: &[Observation], mut out: W) -> std::io::Result<()> {
    writeln!(out, "unit,indicator,period,numerator,denominator,kind,design_effect,population,source")?;
    for o in observations {
        let unit = if o.unit.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", o.unit.replace('"', "\"\""))
        } else {
            o.unit.clone()
        };
        let source = o.source.as_deref().unwrap_or_default();
        writeln!(out, "{unit},{},{},{},{},census,,,{source}", o.indicator, o.period, o.numerator, o.denominator)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::score766::{ProcedureTable, ScoreOptions, Scorer};
    use crate::units::UnitTree;

    const UNITS: &[u8] = b"id,name,parent,level\nt,Town,,commune\nk1,K1,t,neighbourhood\nk2,K2,t,neighbourhood\n";
    const PROCEDURES: &[u8] = b"procedure,field,authority_level,service_level,eligible_full,paper_result\n\
        P1,\xc4\x90\xe1\xba\xa5t \xc4\x91ai,commune,full,1,1\n\
        P2,X\xc3\xa2y d\xe1\xbb\xb1ng,commune,partial,1,0\n\
        P3,H\xe1\xbb\x99 t\xe1\xbb\x8bch,neighbourhood,none,1,0\n";
    const DOSSIERS: &str = "dossier_id,unit,procedure,received_at,due_at,finished_at,channel,e_result,rating\n\
        d1,k1,P1,2026-03-10,2026-03-20,,online,1,satisfied\n\
        d2,k1,P1,2026-03-11,2026-03-20,,online,0,unsatisfied\n\
        d3,k1,P2,2026-03-31T20:00:00Z,,,online,,satisfied\n\
        d4,k2,P3,2026-04-02,,,direct,,unsatisfied\n\
        d5,t,P2,2026-04-02,2026-03-01,,online,,\n\
        d6,k2,P9,2026-04-02,,,online,,\n\
        d7,k2,P2,2026-04-05,,,,,satisfied\n";

    fn context() -> RecordContext {
        let mut rejected = Vec::new();
        let units = UnitTree::from_csv(UNITS, "units.csv", false, &mut rejected).unwrap();
        let procedures = ProcedureTable::from_csv(PROCEDURES, "procedures.csv", false, &mut rejected).unwrap();
        assert!(rejected.is_empty());
        RecordContext::new(Some(units), Some(procedures))
    }

    fn source(input: &InputOptions) -> DossierSource<'_> {
        DossierSource { name: "dossiers.csv", json_lines: false, input, strict: false }
    }

    fn find(obs: &[Observation], unit: &str, indicator: &str, month: (i32, u8)) -> Option<(u64, u64)> {
        let period = Period::Month(month.0, month.1);
        obs.iter()
            .find(|o| o.unit == unit && o.indicator == indicator && o.period == period)
            .map(|o| (o.numerator, o.denominator))
    }

    #[test]
    fn rules_and_fields_have_stable_names() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
        }
        assert_eq!(Rule::from_id("survey 2025"), None);
        for ind in DERIVED_INDICATORS {
            assert!(Rule::for_indicator(ind).is_some(), "{ind}");
            assert!(crate::builtin::builtin_plan().indicator(ind).is_some(), "{ind} is a plan id");
        }
        assert_eq!(Field::of(" ĐẤT ĐAI "), Some(Field::Land));
        assert_eq!(Field::of("construction"), Some(Field::Construction));
        assert_eq!(Field::of("Đầu tư"), Some(Field::Investment));
        assert_eq!(Field::of("hộ tịch"), None);
    }

    #[test]
    fn derives_each_rule_from_the_records() {
        let input = InputOptions::default();
        let range = PeriodRange::new(Period::Month(2026, 3), Period::Month(2026, 4)).unwrap();
        let mut d = Derivation::new(context(), Some(range));
        d.read_dossiers(DOSSIERS.as_bytes(), source(&input)).unwrap();
        // d5 (due before received) and d6 (unknown procedure) are rejected, located.
        let rows: Vec<(u64, Option<&str>)> = d.rejected().iter().map(|r| (r.row, r.column.as_deref())).collect();
        assert_eq!(rows, [(6, Some("due_at")), (7, Some("procedure"))]);
        assert!(d.rejected_units().contains("t") && d.rejected_units().contains("k2"));
        let obs = d.observations(None);
        // d3 was received on 1 April, Vietnam time; d2 is online without the paper result's e-result.
        assert_eq!(find(&obs, "k1", "dossiers_fully_online", (2026, 3)), Some((1, 2)));
        assert_eq!(find(&obs, "k1", "dossiers_fully_online", (2026, 4)), Some((1, 1)));
        assert_eq!(find(&obs, "k2", "dossiers_fully_online", (2026, 4)), Some((0, 2)));
        // Ratings of online dossiers only: d4 (direct) and d7 (no channel) are not counted.
        assert_eq!(find(&obs, "k1", "satisfaction", (2026, 3)), Some((1, 2)));
        assert_eq!(find(&obs, "k2", "satisfaction", (2026, 4)), None);
        assert_eq!(find(&obs, "k1", "satisfaction_land", (2026, 3)), Some((1, 2)));
        assert_eq!(find(&obs, "k1", "satisfaction_construction", (2026, 4)), Some((1, 1)));
        assert_eq!(find(&obs, "k1", "satisfaction_land_construction_investment", (2026, 3)), Some((1, 2)));
        // Procedures by the unit's own level, every month of the range.
        assert_eq!(find(&obs, "t", "procedures_full_online", (2026, 3)), Some((1, 2)));
        assert_eq!(find(&obs, "k1", "procedures_full_online", (2026, 4)), Some((0, 1)));
        assert!(obs.iter().all(|o| o.source.as_deref().and_then(Rule::from_id) == Rule::for_indicator(&o.indicator)));
        // A range leaves the other months out.
        let march = PeriodRange::new(Period::Month(2026, 3), Period::Month(2026, 3)).unwrap();
        let mut d = Derivation::new(context(), Some(march));
        d.read_dossiers(DOSSIERS.as_bytes(), source(&input)).unwrap();
        assert!(d.observations(None).iter().all(|o| o.period == Period::Month(2026, 3)));
    }

    /// A reader that gives at most `step` bytes a call, to cut lines anywhere.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn json_lines_are_read_a_block_at_a_time_as_the_csv_is() {
        let input = InputOptions::default();
        let mut lines = DOSSIERS.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let mut jsonl = String::from("\u{feff}");
        for (i, line) in lines.enumerate() {
            let object: serde_json::Map<String, serde_json::Value> =
                header.iter().zip(line.split(',')).map(|(k, v)| ((*k).to_owned(), v.into())).collect();
            jsonl.push_str(&serde_json::Value::Object(object).to_string());
            // CRLF on one line, LF elsewhere; no newline after the last.
            jsonl.push_str(if i == 2 { "\r\n" } else { "\n" });
        }
        let jsonl = jsonl.trim_end_matches('\n');
        let from_csv = {
            let mut d = Derivation::new(context(), None);
            d.read_dossiers(DOSSIERS.as_bytes(), source(&input)).unwrap();
            d
        };
        for step in [1, 2, 7, 64, usize::MAX] {
            let mut d = Derivation::new(context(), None);
            let src = DossierSource { name: "dossiers.jsonl", json_lines: true, input: &input, strict: false };
            d.read_dossiers(Trickle { bytes: jsonl.as_bytes(), step }, src).unwrap();
            assert_eq!(d.observations(None), from_csv.observations(None), "{step} bytes a read");
            // The same records rejected, on their line (the CSV's row less its header).
            let rows = |d: &Derivation| d.rejected().iter().map(|r| (r.row, r.column.clone())).collect::<Vec<_>>();
            let csv_rows: Vec<_> = rows(&from_csv).into_iter().map(|(row, c)| (row - 1, c)).collect();
            assert_eq!(rows(&d), csv_rows, "{step} bytes a read");
        }
    }

    #[test]
    fn fully_online_is_the_scorers_online_dossiers_record_by_record() {
        let input = InputOptions::default();
        let mut d = Derivation::new(context(), None);
        d.read_dossiers(DOSSIERS.as_bytes(), source(&input)).unwrap();
        let (mut num, mut den) = (0, 0);
        for o in d.observations(None).iter().filter(|o| o.indicator == "dossiers_fully_online") {
            num += o.numerator;
            den += o.denominator;
        }
        let mut scorer = Scorer::new(ScoreOptions::new(Period::Month(2026, 3)), Arc::new(context()));
        scorer.push_csv(DOSSIERS.as_bytes()).unwrap();
        let aggregate = scorer.into_aggregate().unwrap();
        let totals = aggregate.counter_totals();
        assert_eq!((num, den), (totals[counter::ONLINE as usize], totals[counter::DOSSIERS as usize]));
        assert_eq!(aggregate.rejected().len(), d.rejected().len());
    }

    fn arb_dossiers() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let row = (
            prop::sample::select(vec!["t", "k1", "k2", "nowhere"]),
            prop::sample::select(vec!["P1", "P2", "P3", "P9"]),
            (1u8..=12, 1u8..=28, prop::bool::weighted(0.1)),
            prop::sample::select(vec!["online", "direct", "postal", "", "fax"]),
            prop::sample::select(vec!["1", "0", "", "true"]),
            prop::sample::select(vec!["satisfied", "unsatisfied", "", "Hài lòng"]),
        );
        prop::collection::vec(row, 0..60).prop_map(|rows| {
            let mut csv = String::from("dossier_id,unit,procedure,received_at,due_at,channel,e_result,rating\n");
            for (i, (unit, procedure, (month, day, early_due), channel, e_result, rating)) in
                rows.into_iter().enumerate()
            {
                let due = if early_due { format!("2026-{month:02}-{:02}", day - 1) } else { String::new() };
                let line =
                    format!("d{i},{unit},{procedure},2026-{month:02}-{day:02},{due},{channel},{e_result},{rating}\n");
                csv.push_str(&line);
            }
            csv
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// On any records, `dossiers_fully_online` adds up to the scorer's `ONLINE` and `DOSSIERS`
        /// counters, and the rows rejected are the scorer's.
        #[test]
        fn derived_counts_are_the_scorers(csv in arb_dossiers()) {
            let input = InputOptions::default();
            let mut d = Derivation::new(context(), None);
            d.read_dossiers(csv.as_bytes(), source(&input)).unwrap();
            let (mut num, mut den) = (0, 0);
            for o in d.observations(None).iter().filter(|o| o.indicator == "dossiers_fully_online") {
                num += o.numerator;
                den += o.denominator;
            }
            let mut scorer = Scorer::new(ScoreOptions::new(Period::Month(2026, 3)), Arc::new(context()));
            scorer.push_csv(csv.as_bytes()).unwrap();
            let aggregate = scorer.into_aggregate().unwrap();
            let totals = aggregate.counter_totals();
            proptest::prop_assert_eq!((num, den), (totals[counter::ONLINE as usize], totals[counter::DOSSIERS as usize]));
            let rows = |list: &[Rejection]| list.iter().map(|r| (r.row, r.column.clone())).collect::<Vec<_>>();
            let mut theirs = rows(aggregate.rejected());
            theirs.sort();
            proptest::prop_assert_eq!(rows(d.rejected()), theirs);
        }
    }

    #[test]
    fn explain_lists_the_shortfall_with_reasons() {
        use explain::{Explainer, ShortfallReason};
        let input = InputOptions::default();
        let explain = |indicator: &str, unit: &str, period: Period, limit: Option<usize>| {
            let mut e = Explainer::new(context(), indicator, unit, period, limit).unwrap();
            if e.reads_dossiers() {
                e.read_dossiers(DOSSIERS.as_bytes(), source(&input)).unwrap();
            }
            e.finish()
        };
        // The town's subtree in 2026: d1, d3 fully online; d2 online without the e-result; d4,
        // d7 not online (d5 and d6 rejected).
        let s = explain("dossiers_fully_online", "t", Period::Year(2026), None);
        assert_eq!((s.numerator, s.denominator), (2, 5));
        let reasons: Vec<(&str, ShortfallReason)> = s.items.iter().map(|i| (i.id.as_str(), i.reason)).collect();
        assert_eq!(
            reasons,
            [
                ("d2", ShortfallReason::PaperResultWithoutEResult),
                ("d4", ShortfallReason::NotOnlineChannel),
                ("d7", ShortfallReason::NotOnlineChannel)
            ]
        );
        assert_eq!(s.items.first().and_then(|i| i.row), Some(3));
        assert_eq!(s.rejected.len(), 2);
        // One khóm, one month, a limit.
        let s = explain("dossiers_fully_online", "k1", Period::Month(2026, 3), Some(0));
        assert_eq!((s.numerator, s.denominator, s.items.len(), s.omitted), (1, 2, 0, 1));
        let s = explain("satisfaction", "t", Period::Year(2026), None);
        assert_eq!((s.numerator, s.denominator), (2, 3));
        assert_eq!(s.items.iter().map(|i| i.reason).collect::<Vec<_>>(), [ShortfallReason::RatedUnsatisfied]);
        let s = explain("satisfaction_construction", "t", Period::Year(2026), None);
        assert_eq!((s.numerator, s.denominator, s.items.len()), (1, 1, 0));
        // Procedures: the town's P2 (partial) and the khóm's P3 (none), once per khóm.
        let s = explain("procedures_full_online", "t", Period::Year(2026), None);
        assert_eq!((s.numerator, s.denominator), (1, 4));
        let ids: Vec<(&str, &str)> = s.items.iter().map(|i| (i.unit.as_str(), i.id.as_str())).collect();
        assert_eq!(ids, [("t", "P2"), ("k1", "P3"), ("k2", "P3")]);
        assert!(Explainer::new(context(), "service_quality_improves", "t", Period::Year(2026), None).is_err());
        assert!(Explainer::new(context(), "dossiers_fully_online", "nowhere", Period::Year(2026), None).is_err());
    }

    #[test]
    fn writes_observations_csv_with_the_source_column() {
        let obs = vec![derived("k,1", "satisfaction", Period::Month(2026, 3), (1, 2), Rule::OnlineDossierRatings)];
        let mut out = Vec::new();
        write_csv(&obs, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "unit,indicator,period,numerator,denominator,kind,design_effect,population,source\n\
             \"k,1\",satisfaction,2026-03,1,2,census,,,online_dossier_ratings\n"
        );
    }
}
