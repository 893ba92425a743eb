//! Observations of indicators, census or sample, from `observations.csv` or JSON.
//!
//! A row is rejected (with its file, row, column and reason) when it cannot be true: a numerator
//! above its denominator, an unknown unit or indicator, a bad period, a count that overflows, an
//! activity that is not `1/1` or `0/1`, or a period that overlaps one already given for the same
//! unit and indicator (which would count the same months twice). The other rows are kept.

use std::collections::HashMap;
use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::exact::Decimal;
use crate::input::{InputError, Rejection, Row, parse_u64, read_csv};
use crate::period::Period;
use crate::plan::Plan;
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
    /// Where it was read (row number); 0 when built in code.
    #[serde(skip)]
    pub row: u64,
}

/// Observations that were read, with the rows that were not.
#[derive(Debug, Clone, Default)]
pub struct Observations {
    /// Accepted observations.
    pub accepted: Vec<Observation>,
    /// Rejected rows.
    pub rejected: Vec<Rejection>,
    /// For each rejected row whose unit and indicator could be read: (unit, indicator), so that a
    /// unit whose only observations were rejected is reported `invalid`, not `no_data`.
    pub rejected_keys: Vec<(String, String)>,
    /// Accepted observations by (unit, indicator), for the overlap check.
    by_key: HashMap<(String, String), Vec<usize>>,
}

const REQUIRED: [&str; 5] = ["unit", "indicator", "period", "numerator", "denominator"];
const OPTIONAL: [&str; 3] = ["kind", "design_effect", "population"];

/// What a reader checks observations against.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The plan (indicator ids, activities).
    pub plan: &'a Plan,
    /// The units, when a units file was given (unknown units are then rejected).
    pub units: Option<&'a UnitTree>,
}

impl Observations {
    /// Reads `observations.csv`.
    pub fn from_csv<R: Read>(reader: R, source: &str, ctx: Context<'_>, strict: bool) -> Result<Self, InputError> {
        let mut out = Self::default();
        let mut raw: Vec<Observation> = Vec::new();
        let mut keys: Vec<(u64, String, String)> = Vec::new();
        read_csv(reader, source, &REQUIRED, &OPTIONAL, strict, &mut out.rejected, |row| {
            let unit = row.get("unit")?;
            let indicator = row.get("indicator")?;
            keys.push((row.number(), unit.to_owned(), indicator.to_owned()));
            let obs = parse_row(row, unit, indicator)?;
            raw.push(obs);
            Ok(())
        })?;
        for obs in raw {
            out.admit(obs, source, ctx, strict)?;
        }
        out.collect_keys(&keys);
        Ok(out)
    }

    /// Reads observations from a JSON array of objects with the CSV's keys.
    pub fn from_json(bytes: &[u8], source: &str, ctx: Context<'_>, strict: bool) -> Result<Self, InputError> {
        let items: Vec<serde_json::Value> = serde_json::from_slice(bytes).map_err(|e| InputError::json(source, &e))?;
        let mut out = Self::default();
        let mut keys = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let row = u64::try_from(i + 1).unwrap_or(u64::MAX);
            let unit = item.get("unit").and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
            let indicator = item.get("indicator").and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
            keys.push((row, unit, indicator));
            match serde_json::from_value::<Observation>(item) {
                Ok(mut obs) => {
                    obs.row = row;
                    out.admit(obs, source, ctx, strict)?;
                }
                Err(e) => {
                    let r = Rejection { source: source.to_owned(), row, column: None, reason: e.to_string() };
                    if strict {
                        return Err(InputError::Strict(r));
                    }
                    out.rejected.push(r);
                }
            }
        }
        out.collect_keys(&keys);
        Ok(out)
    }

    /// Checks an observation against the plan, the units and the ones already accepted.
    fn admit(&mut self, obs: Observation, source: &str, ctx: Context<'_>, strict: bool) -> Result<(), InputError> {
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
                    return Err(InputError::Strict(r));
                }
                self.rejected.push(r);
            }
        }
        Ok(())
    }

    fn collect_keys(&mut self, keys: &[(u64, String, String)]) {
        let by_row: HashMap<u64, (&str, &str)> = keys.iter().map(|(r, u, i)| (*r, (u.as_str(), i.as_str()))).collect();
        self.rejected.sort_by_key(|r| r.row);
        self.rejected_keys = self
            .rejected
            .iter()
            .filter_map(|r| by_row.get(&r.row))
            .filter(|(u, i)| !u.is_empty() && !i.is_empty())
            .map(|(u, i)| ((*u).to_owned(), (*i).to_owned()))
            .collect();
    }
}

fn parse_row(row: &Row<'_>, unit: &str, indicator: &str) -> Result<Observation, Rejection> {
    if unit.is_empty() {
        return Err(row.reject("unit", "is empty"));
    }
    if indicator.is_empty() {
        return Err(row.reject("indicator", "is empty"));
    }
    let period: Period =
        row.get("period")?.parse().map_err(|e: crate::period::PeriodError| row.reject("period", e.to_string()))?;
    let numerator = parse_u64(row, "numerator", row.get("numerator")?)?;
    let denominator = parse_u64(row, "denominator", row.get("denominator")?)?;
    let kind = match row.get("kind")? {
        "" | "census" => Kind::Census,
        "sample" => Kind::Sample,
        other => return Err(row.reject("kind", format!("`{other}` is not `census` or `sample`"))),
    };
    let deff_text = row.get("design_effect")?;
    let design_effect = if deff_text.is_empty() {
        None
    } else {
        let d: Decimal = deff_text.parse().map_err(|e: String| row.reject("design_effect", e))?;
        let v: f64 =
            deff_text.parse().map_err(|_| row.reject("design_effect", format!("`{deff_text}` is not a number")))?;
        if d.mantissa == 0 {
            return Err(row.reject("design_effect", "must be above 0"));
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
        row: row.number(),
    })
}

fn check(obs: &Observation, same_key: &[&Observation], ctx: Context<'_>) -> Result<(), (&'static str, String)> {
    let Some(indicator) = ctx.plan.indicator(&obs.indicator) else {
        return Err(("indicator", format!("unknown indicator `{}`", obs.indicator)));
    };
    if let Some(units) = ctx.units {
        let Some(unit) = units.index(&obs.unit).and_then(|i| units.unit(i)) else {
            return Err(("unit", format!("unknown unit `{}`", obs.unit)));
        };
        if let Some(to) = unit.valid_to {
            if obs.period.first_day() > to {
                return Err(("period", format!("{} starts after unit `{}` ended on {to}", obs.period, obs.unit)));
            }
        }
        if let Some(from) = unit.valid_from {
            if obs.period.last_day() < from {
                return Err(("period", format!("{} ends before unit `{}` began on {from}", obs.period, obs.unit)));
            }
        }
    }
    if obs.numerator > obs.denominator {
        return Err(("numerator", format!("{} is above the denominator {}", obs.numerator, obs.denominator)));
    }
    if indicator.activity && obs.denominator != 1 {
        return Err((
            "denominator",
            format!("an activity is `1/1` (done) or `0/1` (not done), not `{}/{}`", obs.numerator, obs.denominator),
        ));
    }
    if obs.kind == Kind::Sample {
        if obs.denominator == 0 {
            return Err(("denominator", "a sample of size 0".to_owned()));
        }
        if let Some(n) = obs.population {
            if n < obs.denominator {
                return Err(("population", format!("{n} is below the sample size {}", obs.denominator)));
            }
        }
        if let Some(d) = obs.design_effect {
            if !(d.is_finite() && d > 0.0) {
                return Err(("design_effect", format!("{d} is not a positive number")));
            }
        }
    } else if obs.design_effect.is_some() || obs.population.is_some() {
        return Err(("kind", "design_effect and population apply to a `sample` only".to_owned()));
    }
    if let Some(other) = same_key.iter().find(|o| o.period.overlaps(obs.period)) {
        let at = if other.row > 0 { format!(" (row {})", other.row) } else { String::new() };
        return Err((
            "period",
            format!("{} overlaps {} already given for this unit and indicator{at}", obs.period, other.period),
        ));
    }
    Ok(())
}

/// A row of `observations.csv`, for its JSON Schema.
pub type ObservationRow = Observation;
