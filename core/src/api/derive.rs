//! Observations derived from records ([`derive`]), the records behind a derived indicator's
//! shortfall ([`explain_indicator`]), and the records given to an evaluation ([`Records`]).
//!
//! The dossiers are read twice, by the Decision 766 session (for the monthly totals and the
//! rejected rows, exactly as `score766` reports them) and by the derivation's own pass (the same
//! reading and classification): so they come from an `open` closure, as
//! [`Score766Session::read_dossiers_file`] takes them.

use std::io::Read;

use serde::Serialize;

use super::score766::{Names766, RecordFormat, Score766Builder};
use super::{Error, InputOptions};
use crate::derive::explain::{Explainer, Shortfall};
use crate::derive::{Derivation, DossierSource};
use crate::input::{InputError, Rejection};
use crate::labels::ErrorText;
use crate::observation::Observation;
use crate::period::{Period, PeriodRange};
use crate::score766::{ProcedureTable, RecordContext};
use crate::tabular::source;
use crate::units::UnitTree;

/// Opens the dossier file (again): a byte slice, or a file the CLI opens anew.
pub type OpenDossiers<'a> = Box<dyn FnMut() -> std::io::Result<Box<dyn Read + Send + 'a>> + 'a>;

/// Dossier, procedure and feedback records (and how they are read).
pub struct Records<'a> {
    /// Opens the dossiers (CSV, a workbook, or JSON lines with `dossiers_json_lines`).
    pub dossiers: OpenDossiers<'a>,
    /// Whether the dossiers are JSON lines.
    pub dossiers_json_lines: bool,
    /// `procedures.csv`.
    pub procedures_csv: Option<&'a [u8]>,
    /// Feedback records (CSV, or JSON lines with `feedback_json_lines`).
    pub feedback: Option<&'a [u8]>,
    /// Whether the feedback is JSON lines.
    pub feedback_json_lines: bool,
    /// The Decision 766 profile of `service_quality_improves` (`None`: the default).
    pub profile: Option<&'a str>,
    /// Counts JSON files (and their names) for the Decision 766 metrics records cannot give
    /// (publication, `E_CERTIFIED_COPY`), one per month at most, as `score766 --counts` takes them:
    /// without them those metrics are missing and score 0 in `service_quality_improves`.
    pub counts: Vec<(&'a [u8], String)>,
    /// File names in rejections (the `units` one is the request's).
    pub names: Names766,
}

impl std::fmt::Debug for Records<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records")
            .field("names", &self.names)
            .field("procedures_csv", &self.procedures_csv.map(<[u8]>::len))
            .field("feedback", &self.feedback.map(<[u8]>::len))
            .finish_non_exhaustive()
    }
}

impl<'a> Records<'a> {
    /// Records of dossiers given as bytes (CSV unless `json_lines`), nothing else.
    #[must_use]
    pub fn from_bytes(dossiers: &'a [u8], json_lines: bool) -> Self {
        Self {
            dossiers: Box::new(move || Ok(Box::new(dossiers) as Box<dyn Read + Send + 'a>)),
            dossiers_json_lines: json_lines,
            procedures_csv: None,
            feedback: None,
            feedback_json_lines: false,
            profile: None,
            counts: Vec::new(),
            names: Names766::default(),
        }
    }
}

/// Observations derived from records, with the rows that could not be read.
#[derive(Debug, Clone, Serialize)]
pub struct Derived {
    /// The first month.
    pub from: Period,
    /// The last month.
    pub to: Period,
    /// The observations, by unit, indicator and period, each with its `source` rule.
    pub observations: Vec<Observation>,
    /// Rows rejected (of every input), as the Decision 766 scorecard lists them.
    pub rejected: Vec<Rejection>,
    /// Rejected rows counted but not listed.
    pub rejected_omitted: u64,
    /// The units named by dossier rows that could not be classified.
    #[serde(skip)]
    pub rejected_units: Vec<String>,
}

impl Derived {
    /// The JSON of the derivation.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Reads a range of months `from..to` (`YYYY-MM` each).
pub fn month_range(from: &str, to: &str) -> Result<PeriodRange, Error> {
    let text = format!("{from}..{to}");
    let range: PeriodRange =
        text.parse().map_err(|e: crate::period::PeriodRangeError| Error::Argument(bad_range(&text, &e)))?;
    if !matches!(range.first(), Period::Month(..)) {
        return Err(Error::Argument(bad_range(&text, &"YYYY-MM")));
    }
    Ok(range)
}

fn bad_range(text: &str, reason: &dyn std::fmt::Display) -> String {
    ErrorText::DeriveRange.en(&[("range", &text), ("reason", reason)])
}

/// The context the derivation's pass classifies against (the session reads the same bytes and
/// reports their rejected rows).
fn context(
    units: Option<&[u8]>,
    records: &Records<'_>,
    input: &InputOptions,
    strict: bool,
) -> Result<RecordContext, Error> {
    let mut ignored = Vec::new();
    let units = match units {
        Some(bytes) => {
            let columns = (&crate::units::UNIT_COLUMNS[..], &crate::units::UNIT_OPTIONAL[..]);
            let opened = source::open(bytes, &records.names.units, columns, input, strict)?;
            Some(UnitTree::from_csv(opened.reader, &opened.source, strict, &mut ignored)?)
        }
        None => None,
    };
    let procedures = match records.procedures_csv {
        Some(bytes) => {
            let columns = (&crate::score766::PROCEDURE_REQUIRED[..], &crate::score766::PROCEDURE_OPTIONAL[..]);
            let opened = source::open(bytes, &records.names.procedures, columns, input, strict)?;
            Some(ProcedureTable::from_csv(opened.reader, &opened.source, strict, &mut ignored)?)
        }
        None => None,
    };
    Ok(RecordContext::new(units, procedures))
}

fn format_of(json_lines: bool) -> RecordFormat {
    if json_lines { RecordFormat::JsonLines } else { RecordFormat::Csv }
}

/// The Decision 766 series of the records over `range` (every input read by the session).
fn series(
    range: PeriodRange,
    units: Option<&[u8]>,
    records: &mut Records<'_>,
    input: &InputOptions,
    strict: bool,
) -> Result<crate::score766::Series, Error> {
    let text = format!("{}..{}", range.first(), range.last());
    let text = if range.is_single() { range.first().to_string() } else { text };
    let mut session = Score766Builder::new(&text)
        .profile(records.profile)
        .strict(strict)
        .names(records.names.clone())
        .input(input.clone())
        .units(units)
        .procedures(records.procedures_csv)
        .build()?;
    for (bytes, name) in &records.counts {
        session.load_counts_named(*bytes, name)?;
    }
    let format = format_of(records.dossiers_json_lines);
    // Read once (not `read_dossiers_file`'s compact check, whose second reading and thread pool a
    // file the caller gives as bytes does not need).
    let name = records.names.dossiers.clone();
    let reader = (records.dossiers)().map_err(|e| InputError::Io { file: name, reason: e.to_string() })?;
    session.read_dossiers(reader, format, 1, &mut |_| {})?;
    if let Some(bytes) = records.feedback {
        session.load_feedback(bytes, format_of(records.feedback_json_lines))?;
    }
    session.finish_series()
}

/// The observations that `records` determine over the months of `range` (see [`crate::derive`]),
/// each unit and month, with every rejected row of the inputs located.
pub fn derive(
    range: PeriodRange,
    units: Option<&[u8]>,
    mut records: Records<'_>,
    input: &InputOptions,
    strict: bool,
) -> Result<Derived, Error> {
    let context = context(units, &records, input, strict)?;
    let mut derivation = Derivation::new(context, Some(range));
    read_pass(&mut records, input, strict, |reader, src| derivation.read_dossiers(reader, src))?;
    let series = series(range, units, &mut records, input, strict)?;
    let (rejected, rejected_omitted) =
        series.scorecards.first().map(|c| (c.rejected.clone(), c.rejected_omitted)).unwrap_or_default();
    Ok(Derived {
        from: range.first(),
        to: range.last(),
        observations: derivation.observations(Some(&series)),
        rejected,
        rejected_omitted,
        rejected_units: derivation.rejected_units().iter().cloned().collect(),
    })
}

/// The observations `records` determine for an evaluation as of `as_of`: every month of the
/// records up to the as-of month.
pub(super) fn for_evaluation(
    as_of: crate::date::Date,
    units: Option<&[u8]>,
    mut records: Records<'_>,
    input: &InputOptions,
    strict: bool,
) -> Result<Derived, Error> {
    let context = context(units, &records, input, strict)?;
    let mut derivation = Derivation::new(context, None);
    read_pass(&mut records, input, strict, |reader, src| derivation.read_dossiers(reader, src))?;
    let last = Period::Month(as_of.year(), as_of.month());
    let (first, to) = derivation.months().unwrap_or((last, last));
    let to = if to.sort_key() > last.sort_key() { last } else { to };
    let first = if first.sort_key() > to.sort_key() { to } else { first };
    // A series has at most `MAX_RANGE_PERIODS` months: the monthly totals of the last ones (the
    // plan compares a year with the one before; the other indicators take every month).
    let earliest = months_before(to, crate::period::MAX_RANGE_PERIODS - 1);
    let first = if first.sort_key() < earliest.sort_key() { earliest } else { first };
    let range = PeriodRange::new(first, to).map_err(|e| Error::Argument(e.to_string()))?;
    let series = series(range, units, &mut records, input, strict)?;
    let (rejected, rejected_omitted) =
        series.scorecards.first().map(|c| (c.rejected.clone(), c.rejected_omitted)).unwrap_or_default();
    let mut observations = derivation.observations(Some(&series));
    // Months after the as-of date are not evaluated (and not listed as rejected rows).
    observations.retain(|o| o.period.sort_key() <= last.sort_key());
    let rejected_units = derivation.rejected_units().iter().cloned().collect();
    Ok(Derived { from: first, to, observations, rejected, rejected_omitted, rejected_units })
}

/// The month `n` months before `month`.
fn months_before(month: Period, n: u32) -> Period {
    let index = i64::from(month.year()) * 12 + i64::from(month.first_month()) - 1 - i64::from(n);
    let (year, m) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    Period::Month(i32::try_from(year).unwrap_or(0), u8::try_from(m).unwrap_or(1))
}

/// The derivation's pass over the dossiers: opened once more, read as the session reads them.
fn read_pass(
    records: &mut Records<'_>,
    input: &InputOptions,
    strict: bool,
    pass: impl FnOnce(Box<dyn Read + Send + '_>, DossierSource<'_>) -> Result<(), InputError>,
) -> Result<(), Error> {
    let name = records.names.dossiers.clone();
    let reader = (records.dossiers)().map_err(|e| InputError::Io { file: name.clone(), reason: e.to_string() })?;
    let src = DossierSource { name: &name, json_lines: records.dossiers_json_lines, input, strict };
    Ok(pass(reader, src)?)
}

/// What [`explain_indicator`] explains.
#[derive(Debug, Clone, Copy)]
pub struct ExplainTarget<'a> {
    /// The indicator (derived from records).
    pub indicator: &'a str,
    /// The unit (its subtree's records).
    pub unit: &'a str,
    /// The period (`YYYY`, `YYYY-Qn` or `YYYY-MM`).
    pub period: &'a str,
    /// List at most this many records (the rest counted).
    pub limit: Option<usize>,
}

/// The records behind the shortfall of a derived indicator for a unit and period: exactly
/// denominator − numerator of them (up to `limit`, the rest counted).
pub fn explain_indicator(
    target: ExplainTarget<'_>,
    units: Option<&[u8]>,
    mut records: Records<'_>,
    input: &InputOptions,
    strict: bool,
) -> Result<Shortfall, Error> {
    let period = super::score766::parse_period(target.period)?;
    let context = context(units, &records, input, strict)?;
    let mut explainer =
        Explainer::new(context, target.indicator, target.unit, period, target.limit).map_err(Error::Argument)?;
    if explainer.reads_dossiers() {
        read_pass(&mut records, input, strict, |reader, src| explainer.read_dossiers(reader, src))?;
    }
    Ok(explainer.finish())
}
