//! Observations of indicators, census or sample, from `observations.csv` or JSON.
//!
//! A row is rejected (with its file, row, column and reason) when it cannot be true: a numerator
//! above its denominator, an unknown unit or indicator, a bad period, a count that overflows, an
//! activity that is not `1/1` or `0/1`, or a period that overlaps one already given for the same
//! unit and indicator (which would count the same months twice). The other rows are kept.
//!
//! Also rejected, each with what is wrong in words: an empty required field (a short row reads its
//! missing fields as empty, so it says `is empty`, not "`` is not a period"); in JSON, an item that
//! gives a key twice (a JSON parser keeps the last without a word) and a count that is negative,
//! fractional or over 64 bits. Only the rejections of the lowest [`MAX_LISTED_REJECTIONS`] rows
//! are listed, the rest counted, so a file of garbage cannot exhaust memory. Readers take a byte
//! stream (`Read`) as well as bytes; a JSON input may start with a UTF-8 byte order mark, and a
//! UTF-16 one is an error that says so.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::exact::Decimal;
use crate::input::{CheckedValue, InputError, Rejection};
use crate::labels::RejectionText;
use crate::period::Period;
use crate::plan::Plan;
use crate::tabular::read::{Row, parse_u64, read_csv_with};
use crate::units::UnitTree;

/// Census or sample.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A count of the whole population.
    #[default]
    Census,
    /// A survey sample: numerator and denominator are its x of n.
    Sample,
}

/// One observation: `numerator / denominator` for a unit, an indicator and a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Observation {
    /// The unit's id.
    pub unit: String,
    /// The indicator's id.
    pub indicator: String,
    /// The period.
    pub period: Period,
    /// Numerator.
    pub numerator: u64,
    /// Denominator.
    pub denominator: u64,
    /// Census (default) or sample.
    #[serde(default)]
    pub kind: Kind,
    /// Design effect of a sample (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design_effect: Option<f64>,
    /// Population size, for the finite-population correction of a sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<u64>,
    /// The rule that derived it from records (`chiso derive`'s `source` column: the id of a
    /// rule of the `derive` module); `None` when typed. Any other text of a `source` column (a
    /// user's own note of where a figure came from) is kept here too and read as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where it was read (row number); 0 when built in code.
    #[serde(skip)]
    pub row: u64,
}

/// Observations that were read, with the rows that were not.
#[derive(Debug, Clone, Default)]
pub struct Observations {
    /// Accepted observations.
    pub accepted: Vec<Observation>,
    /// Rejected rows: the [`MAX_LISTED_REJECTIONS`] of the lowest rows, in row order, so that a
    /// file of garbage cannot make memory grow with its length.
    pub rejected: Vec<Rejection>,
    /// Rejected rows counted but not listed in `rejected`.
    pub rejected_omitted: u64,
    /// Each (unit, indicator) of a rejected row where both could be read, once: so that a unit
    /// whose only observations were rejected is reported `invalid`, not `no_data`.
    pub rejected_keys: Vec<(String, String)>,
    /// Accepted observations by (unit, indicator), for the overlap check.
    by_key: HashMap<(String, String), Vec<usize>>,
    /// The keys of `rejected_keys`, for their uniqueness.
    key_set: HashSet<(String, String)>,
    /// The name of the file read, for rejections made later (by the evaluation).
    source: String,
}

/// How many rejected rows a reader lists in detail (those of the lowest rows); the others are only
/// counted (`rejected_omitted`), as the Decision 766 scorecard does.
pub const MAX_LISTED_REJECTIONS: usize = 10_000;

pub(crate) const REQUIRED: [&str; 5] = ["unit", "indicator", "period", "numerator", "denominator"];
pub(crate) const OPTIONAL: [&str; 4] = ["kind", "design_effect", "population", "source"];

/// What a reader checks observations against.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The plan (indicator ids, activities).
    pub plan: &'a Plan,
    /// The units, when a units file was given (unknown units are then rejected).
    pub units: Option<&'a UnitTree>,
}

/// Keeps the `max` rejections of the lowest (source, row) in `list`, adding the others to
/// `omitted`. Called when the list reaches twice `max`, so that trimming costs O(1) per row.
pub(crate) fn trim_rejections(list: &mut Vec<Rejection>, omitted: &mut u64, max: usize) {
    list.sort_by(|a, b| (a.source.as_str(), a.row).cmp(&(b.source.as_str(), b.row)));
    if list.len() > max {
        let dropped = list.len() - max;
        list.truncate(max);
        *omitted = omitted.saturating_add(u64::try_from(dropped).unwrap_or(u64::MAX));
    }
}

impl Observations {
    /// Reads `observations.csv` from a stream.
    ///
    /// A row with an empty required field (a short row reads its missing fields as empty) is
    /// rejected as `is empty` in that column. At most [`MAX_LISTED_REJECTIONS`] rejections are
    /// listed; the rest are counted in `rejected_omitted`.
    pub fn from_csv<R: Read>(reader: R, source: &str, ctx: Context<'_>, strict: bool) -> Result<Self, InputError> {
        let mut out = Self { source: source.to_owned(), ..Self::default() };
        // Rows the CSV reader itself rejects (more fields than the header) land here, trimmed as
        // they come as those in `out` are (a file of garbage is read in constant memory); rows
        // that `parse_row` rejects are kept in `out`.
        let (mut reader_rejected, mut reader_omitted) = (Vec::new(), 0);
        let mut on_reject = |r| {
            reader_rejected.push(r);
            if reader_rejected.len() >= 2 * MAX_LISTED_REJECTIONS {
                trim_rejections(&mut reader_rejected, &mut reader_omitted, MAX_LISTED_REJECTIONS);
            }
        };
        read_csv_with(reader, source, (&REQUIRED, &OPTIONAL), strict, &mut on_reject, |row| {
            let unit = row.get("unit")?;
            let indicator = row.get("indicator")?;
            // Checked as it is read, so that `strict` stops at the first rejected row whatever
            // the reason, and no row is held beyond its check.
            match parse_row(row, unit, indicator) {
                Ok(obs) => out.try_admit(obs, source, ctx, strict)?,
                Err(r) if strict => return Err(r),
                Err(r) => {
                    out.note_key(unit, indicator, ctx);
                    out.push_rejection(r);
                }
            }
            Ok(())
        })?;
        out.rejected_omitted = out.rejected_omitted.saturating_add(reader_omitted);
        for r in reader_rejected {
            out.push_rejection(r);
        }
        out.finish();
        Ok(out)
    }

    /// Reads observations from a JSON array of objects with the CSV's keys, held in memory. A
    /// UTF-8 byte order mark is skipped; a UTF-16 file is an error that says so. An item is
    /// rejected (its row is its index + 1) when it is not an observation, when it repeats a key,
    /// or when a count is negative, fractional or over 64 bits (each said as such).
    pub fn from_json(bytes: &[u8], source: &str, ctx: Context<'_>, strict: bool) -> Result<Self, InputError> {
        let bytes = crate::input::json_text(bytes, source)?;
        let items: Vec<CheckedValue> = serde_json::from_slice(bytes).map_err(|e| InputError::json(source, &e))?;
        Self::from_items(items, source, ctx, strict)
    }

    /// [`Self::from_json`] from a stream (buffered here).
    pub fn from_json_reader<R: Read>(
        reader: R,
        source: &str,
        ctx: Context<'_>,
        strict: bool,
    ) -> Result<Self, InputError> {
        let reader = crate::input::json_reader(reader, source)?;
        let items: Vec<CheckedValue> = serde_json::from_reader(reader).map_err(|e| InputError::json(source, &e))?;
        Self::from_items(items, source, ctx, strict)
    }

    fn from_items(items: Vec<CheckedValue>, source: &str, ctx: Context<'_>, strict: bool) -> Result<Self, InputError> {
        let mut out = Self { source: source.to_owned(), ..Self::default() };
        for (i, item) in items.into_iter().enumerate() {
            let row = u64::try_from(i + 1).unwrap_or(u64::MAX);
            let text =
                |key: &str| item.value.get(key).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
            let (unit, indicator) = (text("unit"), text("indicator"));
            let parsed = match (&item.duplicate, json_count_problem(&item.value)) {
                (Some(key), _) => Err((Some(key.clone()), RejectionText::RepeatedKey.en(&[("key", key)]))),
                (None, Some((key, why))) => Err((Some(key.to_owned()), why)),
                (None, None) => serde_json::from_value::<Observation>(item.value).map_err(|e| (None, e.to_string())),
            };
            match parsed {
                Ok(mut obs) => {
                    obs.row = row;
                    out.admit(obs, source, ctx, strict)?;
                }
                Err((column, reason)) => {
                    let r = Rejection { source: source.to_owned(), row, column, reason };
                    if strict {
                        return Err(InputError::Strict(r));
                    }
                    out.note_key(&unit, &indicator, ctx);
                    out.push_rejection(r);
                }
            }
        }
        out.finish();
        Ok(out)
    }

    /// Checks an observation against the plan, the units and the ones already accepted.
    fn admit(&mut self, obs: Observation, source: &str, ctx: Context<'_>, strict: bool) -> Result<(), InputError> {
        self.try_admit(obs, source, ctx, strict).map_err(InputError::Strict)
    }

    /// [`Self::admit`], the rejection that stops a strict read given back as such.
    fn try_admit(&mut self, obs: Observation, source: &str, ctx: Context<'_>, strict: bool) -> Result<(), Rejection> {
        let key = (obs.unit.clone(), obs.indicator.clone());
        let same: Vec<&Observation> =
            self.by_key.get(&key).map(|v| v.iter().filter_map(|&i| self.accepted.get(i)).collect()).unwrap_or_default();
        match check(&obs, &same, ctx) {
            Ok(()) => {
                self.by_key.entry(key).or_default().push(self.accepted.len());
                self.accepted.push(obs);
            }
            Err((column, reason)) => {
                let r = Rejection { source: source.to_owned(), row: obs.row, column: Some(column.to_owned()), reason };
                if strict {
                    return Err(r);
                }
                self.note_key(&obs.unit, &obs.indicator, ctx);
                self.push_rejection(r);
            }
        }
        Ok(())
    }

    /// Notes the key of a rejected row; only an indicator of the plan can be reported `invalid`,
    /// so the key of any other (of a row of garbage) is not kept.
    fn note_key(&mut self, unit: &str, indicator: &str, ctx: Context<'_>) {
        if unit.is_empty() || indicator.is_empty() || ctx.plan.indicator(indicator).is_none() {
            return;
        }
        let key = (unit.to_owned(), indicator.to_owned());
        if !self.key_set.contains(&key) {
            self.key_set.insert(key.clone());
            self.rejected_keys.push(key);
        }
    }

    fn push_rejection(&mut self, r: Rejection) {
        self.rejected.push(r);
        if self.rejected.len() >= 2 * MAX_LISTED_REJECTIONS {
            trim_rejections(&mut self.rejected, &mut self.rejected_omitted, MAX_LISTED_REJECTIONS);
        }
    }

    /// The name of the file the observations were read from ("" when built in code).
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Notes that a row of `unit` and `indicator` was rejected elsewhere (a dossier record that
    /// could not be classified), so that the unit is reported `invalid` rather than `no_data` when
    /// nothing else was accepted.
    pub fn note_rejected(&mut self, unit: &str, indicator: &str, ctx: Context<'_>) {
        self.key_set = self.rejected_keys.iter().cloned().collect();
        self.note_key(unit, indicator, ctx);
        self.key_set = HashSet::new();
    }

    /// Adds observations derived from records where no accepted observation of the same unit and
    /// indicator overlaps their period (a typed figure wins over a derived one, and the overlap
    /// check would otherwise reject it). Returns how many were added; one the checks refuse (a unit
    /// of no units file) is left out, as derivation only gives what the records determine.
    pub fn add_derived(&mut self, derived: Vec<Observation>, ctx: Context<'_>) -> usize {
        let mut added = 0;
        for obs in derived {
            let key = (obs.unit.clone(), obs.indicator.clone());
            let same: Vec<&Observation> = self
                .by_key
                .get(&key)
                .map(|v| v.iter().filter_map(|&i| self.accepted.get(i)).collect())
                .unwrap_or_default();
            if same.iter().any(|o| o.period.overlaps(obs.period)) || check(&obs, &same, ctx).is_err() {
                continue;
            }
            self.by_key.entry(key).or_default().push(self.accepted.len());
            self.accepted.push(obs);
            added += 1;
        }
        added
    }

    fn finish(&mut self) {
        trim_rejections(&mut self.rejected, &mut self.rejected_omitted, MAX_LISTED_REJECTIONS);
        self.key_set = HashSet::new();
    }
}

/// The first count field of a JSON observation (`numerator`, `denominator`, `population`) that is
/// a number but not a u64, with why in words: `serde_json` would call 2^64 "floating point
/// `1.8446744073709552e19`".
fn json_count_problem(item: &serde_json::Value) -> Option<(&'static str, String)> {
    ["numerator", "denominator", "population"].into_iter().find_map(|key| {
        let n = item.get(key)?.as_number()?;
        if n.is_u64() {
            return None;
        }
        let why = match (n.as_i64(), n.as_f64()) {
            (Some(v), _) => RejectionText::NegativeValue.en(&[("value", &v)]),
            (None, Some(v)) if v < 0.0 => RejectionText::Negative.en(&[]),
            (None, Some(v)) if v.fract() != 0.0 => RejectionText::NotWhole.en(&[("value", &v)]),
            (None, Some(v)) if v >= 18_446_744_073_709_551_616.0 => {
                RejectionText::OverMaxCount.en(&[("max", &u64::MAX)])
            }
            _ => RejectionText::WrittenAsDecimal.en(&[]),
        };
        Some((key, why))
    })
}

fn parse_row(row: &Row<'_>, unit: &str, indicator: &str) -> Result<Observation, Rejection> {
    if unit.is_empty() {
        return Err(row.reject("unit", RejectionText::Empty.en(&[])));
    }
    if indicator.is_empty() {
        return Err(row.reject("indicator", RejectionText::Empty.en(&[])));
    }
    let period_text = row.get("period")?;
    if period_text.is_empty() {
        return Err(row.reject("period", RejectionText::Empty.en(&[])));
    }
    let period: Period =
        period_text.parse().map_err(|e: crate::period::PeriodError| row.reject("period", e.to_string()))?;
    let numerator = parse_u64(row, "numerator", row.get("numerator")?)?;
    let denominator = parse_u64(row, "denominator", row.get("denominator")?)?;
    let kind = match row.get("kind")? {
        "" | "census" => Kind::Census,
        "sample" => Kind::Sample,
        // The Vietnamese spellings of exports.md, any case.
        other => match other.to_lowercase().as_str() {
            "census" | "toàn bộ" => Kind::Census,
            "sample" | "mẫu" => Kind::Sample,
            _ => return Err(row.reject("kind", RejectionText::NotKind.en(&[("value", &other)]))),
        },
    };
    let deff_text = row.get("design_effect")?;
    let design_effect = if deff_text.is_empty() {
        None
    } else {
        let d: Decimal = deff_text.parse().map_err(|e: String| row.reject("design_effect", e))?;
        let v: f64 = deff_text
            .parse()
            .map_err(|_| row.reject("design_effect", RejectionText::NotNumber.en(&[("value", &deff_text)])))?;
        if d.mantissa == 0 {
            return Err(row.reject("design_effect", RejectionText::NotAbove0.en(&[])));
        }
        Some(v)
    };
    let pop_text = row.get("population")?;
    let population = if pop_text.is_empty() { None } else { Some(parse_u64(row, "population", pop_text)?) };
    Ok(Observation {
        unit: unit.to_owned(),
        indicator: indicator.to_owned(),
        period,
        numerator,
        denominator,
        kind,
        design_effect,
        population,
        source: Some(row.get("source")?).filter(|s| !s.is_empty()).map(str::to_owned),
        row: row.number(),
    })
}

fn check(obs: &Observation, same_key: &[&Observation], ctx: Context<'_>) -> Result<(), (&'static str, String)> {
    let Some(indicator) = ctx.plan.indicator(&obs.indicator) else {
        return Err(("indicator", RejectionText::UnknownIndicator.en(&[("indicator", &obs.indicator)])));
    };
    if let Some(units) = ctx.units {
        let Some(unit) = units.index(&obs.unit).and_then(|i| units.unit(i)) else {
            return Err(("unit", RejectionText::UnknownUnit.en(&[("unit", &obs.unit)])));
        };
        if let Some(to) = unit.valid_to {
            if obs.period.first_day() > to {
                let values: [(&str, &dyn std::fmt::Display); 3] =
                    [("period", &obs.period), ("unit", &obs.unit), ("date", &to)];
                return Err(("period", RejectionText::AfterUnitEnded.en(&values)));
            }
        }
        if let Some(from) = unit.valid_from {
            if obs.period.last_day() < from {
                let values: [(&str, &dyn std::fmt::Display); 3] =
                    [("period", &obs.period), ("unit", &obs.unit), ("date", &from)];
                return Err(("period", RejectionText::BeforeUnitBegan.en(&values)));
            }
        }
    }
    if obs.numerator > obs.denominator {
        let values: [(&str, &dyn std::fmt::Display); 2] =
            [("value", &obs.numerator), ("denominator", &obs.denominator)];
        return Err(("numerator", RejectionText::AboveDenominator.en(&values)));
    }
    if indicator.activity && obs.denominator != 1 {
        return Err((
            "denominator",
            RejectionText::NotActivity.en(&[("numerator", &obs.numerator), ("denominator", &obs.denominator)]),
        ));
    }
    if obs.kind == Kind::Sample {
        if obs.denominator == 0 {
            return Err(("denominator", RejectionText::EmptySample.en(&[])));
        }
        if let Some(n) = obs.population {
            if n < obs.denominator {
                return Err((
                    "population",
                    RejectionText::BelowSampleSize.en(&[("population", &n), ("sample", &obs.denominator)]),
                ));
            }
        }
        if let Some(d) = obs.design_effect {
            if !(d.is_finite() && d > 0.0) {
                return Err(("design_effect", RejectionText::NotPositive.en(&[("value", &d)])));
            }
        }
    } else if obs.design_effect.is_some() || obs.population.is_some() {
        return Err(("kind", RejectionText::SampleOnly.en(&[])));
    }
    if let Some(other) = same_key.iter().find(|o| o.period.overlaps(obs.period)) {
        let values: [(&str, &dyn std::fmt::Display); 3] =
            [("period", &obs.period), ("other", &other.period), ("row", &other.row)];
        let text = if other.row > 0 { RejectionText::OverlapsRow } else { RejectionText::Overlaps };
        return Err(("period", text.en(&values)));
    }
    Ok(())
}

/// A row of `observations.csv`, for its JSON Schema.
pub type ObservationRow = Observation;

#[cfg(test)]
mod tests {
    use super::*;

    fn read_json(json: &[u8]) -> Observations {
        let plan = crate::builtin::builtin_plan();
        Observations::from_json(json, "o.json", Context { plan: &plan, units: None }, false).unwrap()
    }

    #[test]
    fn json_counts_say_what_is_wrong_and_repeated_keys_are_rejected() {
        let json = br#"[
            {"unit": "a", "indicator": "dossiers_fully_online", "period": "2025", "numerator": 1, "denominator": 18446744073709551616},
            {"unit": "a", "indicator": "dossiers_fully_online", "period": "2026", "numerator": -1, "denominator": 2},
            {"unit": "a", "indicator": "dossiers_fully_online", "period": "2027", "numerator": 1.5, "denominator": 2},
            {"unit": "a", "indicator": "dossiers_fully_online", "period": "2028", "numerator": 1, "numerator": 2, "denominator": 2},
            {"unit": "a", "indicator": "dossiers_fully_online", "period": "2029", "numerator": 1, "denominator": 2}
        ]"#;
        let obs = read_json(json);
        assert_eq!(obs.accepted.len(), 1);
        let got: Vec<String> = obs.rejected.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "o.json: row 1, column `denominator`: is over 18446744073709551615, the largest 64-bit count",
                "o.json: row 2, column `numerator`: `-1` is negative",
                "o.json: row 3, column `numerator`: `1.5` is not a whole number",
                "o.json: row 4, column `numerator`: key `numerator` is given more than once",
            ]
        );
        assert_eq!(obs.rejected_keys, [("a".to_owned(), "dossiers_fully_online".to_owned())]);
        // The same from a stream, after a UTF-8 byte order mark.
        let plan = crate::builtin::builtin_plan();
        let ctx = Context { plan: &plan, units: None };
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(json);
        let streamed = Observations::from_json_reader(with_bom.as_slice(), "o.json", ctx, false).unwrap();
        assert_eq!((streamed.accepted, streamed.rejected), (obs.accepted, obs.rejected));
        let utf16: Vec<u8> = "[]".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let err = Observations::from_json(&utf16, "o.json", ctx, false).unwrap_err();
        assert!(err.to_string().contains("UTF-16"), "{err}");
    }
}
