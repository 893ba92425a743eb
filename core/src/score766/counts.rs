//! The counts a scorecard is computed from: per unit, per metric, a numerator and a denominator.
//!
//! They come either from a counts JSON file (formats.md, "Decision 766 counts") or from dossier and
//! feedback records ([`super::aggregate`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::exact::Hundredths;
use crate::input::{InputError, Rejection};
use crate::labels::RejectionText;
use crate::period::Period;

/// A numerator and a denominator, written `[numerator, denominator]` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "[u64; 2]", into = "[u64; 2]")]
pub struct Ratio {
    /// The numerator.
    pub numerator: u64,
    /// The denominator.
    pub denominator: u64,
}

impl Ratio {
    /// A ratio.
    #[must_use]
    pub const fn new(numerator: u64, denominator: u64) -> Self {
        Self { numerator, denominator }
    }
}

impl From<[u64; 2]> for Ratio {
    fn from([numerator, denominator]: [u64; 2]) -> Self {
        Self { numerator, denominator }
    }
}

impl From<Ratio> for [u64; 2] {
    fn from(r: Ratio) -> Self {
        [r.numerator, r.denominator]
    }
}

/// The counts of one unit.
///
/// In JSON, `metrics` maps a code to `[numerator, denominator]`, or to `"full"` for a metric the
/// portal publishes as full points without counts (`E_CERTIFIED_COPY`): those codes are held in
/// [`Self::published`]. Metrics whose only inputs were rejected are held in [`Self::invalid`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(into = "WireUnit", from = "WireUnit")]
pub struct UnitCounts {
    /// The unit's id.
    pub unit: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The parent unit's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The unit's level (`commune`, `province` …), used to rank like with like.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Metric code → `[numerator, denominator]`.
    pub metrics: BTreeMap<String, Ratio>,
    /// Metrics scored full by publication, without counts (`"CODE": "full"` in JSON).
    pub published: BTreeSet<String>,
    /// Metrics whose only inputs were rejected: code → the rejected rows. Such a metric scores 0.
    pub invalid: BTreeMap<String, Vec<Rejection>>,
    /// Figures computed from records that are reported but not scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Reported>,
}

impl UnitCounts {
    /// Whether the unit has an input for `code`: counts, a publication, or rejected rows.
    #[must_use]
    pub fn has(&self, code: &str) -> bool {
        self.metrics.contains_key(code) || self.published.contains(code) || self.invalid.contains_key(code)
    }

    /// Takes `code`'s input from `other` (counts, publication or rejected rows), if it has one.
    pub fn fill_from(&mut self, other: &Self, code: &str) {
        if let Some(r) = other.metrics.get(code) {
            self.metrics.insert(code.to_owned(), *r);
        } else if other.published.contains(code) {
            self.published.insert(code.to_owned());
        } else if let Some(rows) = other.invalid.get(code) {
            self.invalid.insert(code.to_owned(), rows.clone());
        }
    }
}

/// The text a counts file writes for a metric scored full by publication.
pub const PUBLISHED_FULL: &str = "full";

/// A metric's value in a counts JSON: `[numerator, denominator]` or `"full"`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
enum WireMetric {
    Ratio(Ratio),
    Published(PublishedTag),
}

/// The string `"full"`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
enum PublishedTag {
    #[serde(rename = "full")]
    Full,
}

/// [`UnitCounts`] as JSON writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct WireUnit {
    unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    level: Option<String>,
    metrics: BTreeMap<String, WireMetric>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    invalid: BTreeMap<String, Vec<Rejection>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reported: Option<Reported>,
}

impl From<UnitCounts> for WireUnit {
    fn from(u: UnitCounts) -> Self {
        let mut metrics: BTreeMap<String, WireMetric> =
            u.metrics.into_iter().map(|(code, r)| (code, WireMetric::Ratio(r))).collect();
        metrics.extend(u.published.into_iter().map(|code| (code, WireMetric::Published(PublishedTag::Full))));
        Self {
            unit: u.unit,
            name: u.name,
            parent: u.parent,
            level: u.level,
            metrics,
            invalid: u.invalid,
            reported: u.reported,
        }
    }
}

impl From<WireUnit> for UnitCounts {
    fn from(w: WireUnit) -> Self {
        let mut metrics = BTreeMap::new();
        let mut published = BTreeSet::new();
        for (code, value) in w.metrics {
            match value {
                WireMetric::Ratio(r) => {
                    metrics.insert(code, r);
                }
                WireMetric::Published(PublishedTag::Full) => {
                    published.insert(code);
                }
            }
        }
        Self {
            unit: w.unit,
            name: w.name,
            parent: w.parent,
            level: w.level,
            metrics,
            published,
            invalid: w.invalid,
            reported: w.reported,
        }
    }
}

/// The counts of every unit for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Counts {
    /// The period counted.
    pub period: Period,
    /// One entry per unit.
    pub units: Vec<UnitCounts>,
}

/// Figures from records that the index does not score but the plan asks to report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reported {
    /// Completed (finished) dossiers, for the average processing time.
    pub completed_dossiers: u64,
    /// Their total processing time (`finished_at − received_at`), in seconds.
    pub processing_seconds: u128,
    /// `processing_seconds / (86 400 · completed_dossiers)`, rounded half-up to two decimals;
    /// null without completed dossiers.
    pub average_processing_days: Option<Hundredths>,
    /// Dossiers filed online (the channel, whatever the result).
    pub channel_online: u64,
    /// Dossiers filed in person (channel `direct` or empty).
    pub channel_direct: u64,
    /// Dossiers sent by post.
    pub channel_postal: u64,
    /// Online dossiers (as `ONLINE_DOSSIERS` counts them) handled on time.
    pub online_on_time: u64,
    /// Online dossiers handled late.
    pub online_late: u64,
    /// Feedback about rules (`about = rules`).
    pub feedback_about_rules: u64,
    /// Feedback about staff (`about = staff`).
    pub feedback_about_staff: u64,
    /// Other feedback.
    pub feedback_about_other: u64,
}

impl Reported {
    /// Fills `average_processing_days` from the totals.
    #[must_use]
    pub fn with_average(mut self) -> Self {
        let den = u128::from(self.completed_dossiers) * 86_400;
        self.average_processing_days = self
            .processing_seconds
            .checked_mul(100)
            .and_then(|n| crate::exact::round_half_up(n, den))
            .and_then(|h| i64::try_from(h).ok())
            .map(Hundredths);
        self
    }
}

/// A counts file as read, before its units and metrics are checked one by one: a bad metric
/// (`-1`, `1.5`, 2^64, a repeated code) is kept as its reason, so that it is rejected alone.
#[derive(Deserialize)]
struct RawCounts {
    period: Period,
    units: Vec<RawUnit>,
}

#[derive(Deserialize)]
struct RawUnit {
    unit: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    level: Option<String>,
    metrics: RawMetrics,
    #[serde(default)]
    reported: Option<Reported>,
}

/// A metric's value as read: counts, or full by publication.
#[derive(Clone, Copy)]
enum RawValue {
    Ratio(Ratio),
    Full,
}

/// Metric code → the value or why it is not one, in file order, repeated codes included.
struct RawMetrics(Vec<(String, Result<RawValue, String>)>);

impl<'de> Deserialize<'de> for RawMetrics {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawMetrics;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of metric code → [numerator, denominator]")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawMetrics, A::Error> {
                let mut out = Vec::new();
                while let Some(code) = map.next_key::<String>()? {
                    let RawRatio(ratio) = map.next_value()?;
                    out.push((code, ratio));
                }
                Ok(RawMetrics(out))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// `[numerator, denominator]` or `"full"`, or why the value is neither. Never fails on a
/// well-formed JSON value, so one bad metric cannot fail the file.
struct RawRatio(Result<RawValue, String>);

/// Why a JSON value is not `[numerator, denominator]`: what it is instead.
fn found(text: RejectionText, value: &dyn std::fmt::Display) -> String {
    text.en(&[("value", value), ("count", value)])
}

impl<'de> Deserialize<'de> for RawRatio {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawRatio;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("[numerator, denominator]")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawRatio, A::Error> {
                let numerator = seq.next_element::<RawCount>()?;
                let denominator = if numerator.is_some() { seq.next_element::<RawCount>()? } else { None };
                let mut extra = 0usize;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    extra += 1;
                }
                Ok(RawRatio(match (numerator, denominator) {
                    (Some(RawCount(n)), Some(RawCount(d))) if extra == 0 => match (n, d) {
                        (Ok(n), Ok(d)) => Ok(RawValue::Ratio(Ratio::new(n, d))),
                        (Err(why), _) => Err(RejectionText::NumeratorReason.en(&[("reason", &why)])),
                        (_, Err(why)) => Err(RejectionText::DenominatorReason.en(&[("reason", &why)])),
                    },
                    (n, d) => {
                        let count = usize::from(n.is_some()) + usize::from(d.is_some()) + extra;
                        Err(found(RejectionText::FoundValues, &count))
                    }
                }))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawRatio, A::Error> {
                while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
                Ok(RawRatio(Err(found(RejectionText::FoundObject, &""))))
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawRatio, E> {
                Ok(RawRatio(Err(found(RejectionText::FoundValue, &v))))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawRatio, E> {
                Ok(RawRatio(Err(found(RejectionText::FoundValue, &v))))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawRatio, E> {
                Ok(RawRatio(Err(found(RejectionText::FoundValue, &v))))
            }
            fn visit_f64<E>(self, _: f64) -> Result<RawRatio, E> {
                Ok(RawRatio(Err(found(RejectionText::FoundNumber, &""))))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawRatio, E> {
                if v == PUBLISHED_FULL {
                    return Ok(RawRatio(Ok(RawValue::Full)));
                }
                Ok(RawRatio(Err(found(RejectionText::FoundText, &v))))
            }
            fn visit_unit<E>(self) -> Result<RawRatio, E> {
                Ok(RawRatio(Err(found(RejectionText::FoundValue, &"null"))))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A count (a `u64`), or why the value is not one.
struct RawCount(Result<u64, String>);

/// 2^64, the first integer a count cannot hold.
const TWO_TO_THE_64: f64 = 18_446_744_073_709_551_616.0;

impl<'de> Deserialize<'de> for RawCount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawCount;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a non-negative integer")
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawCount, E> {
                Ok(RawCount(Ok(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawCount, E> {
                Ok(RawCount(u64::try_from(v).map_err(|_| RejectionText::NegativeValue.en(&[("value", &v)]))))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawCount, E> {
                // JSON integers beyond 64 bits reach here as floats: say what they are.
                Ok(RawCount(Err(if v < 0.0 {
                    RejectionText::Negative.en(&[])
                } else if v.fract() != 0.0 {
                    RejectionText::NotWhole.en(&[("value", &v)])
                } else if v >= TWO_TO_THE_64 {
                    RejectionText::OverMaxCount.en(&[("max", &u64::MAX)])
                } else {
                    RejectionText::WrittenAsDecimal.en(&[])
                })))
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawCount, E> {
                Ok(RawCount(Err(RejectionText::NotNumber.en(&[("value", &v)]))))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawCount, E> {
                Ok(RawCount(Err(RejectionText::TextNotNumber.en(&[("value", &v)]))))
            }
            fn visit_unit<E>(self) -> Result<RawCount, E> {
                Ok(RawCount(Err(RejectionText::IsNull.en(&[]))))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawCount, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(RawCount(Err(RejectionText::IsArray.en(&[]))))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawCount, A::Error> {
                while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
                Ok(RawCount(Err(RejectionText::IsObject.en(&[]))))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Every metric code of the built-in profiles.
fn known_metric_codes() -> std::collections::HashSet<String> {
    super::profile::PROFILE_NAMES
        .iter()
        .filter_map(|name| super::profile::Profile::named(name).ok())
        .flat_map(|p| p.metrics.into_iter().map(|m| m.code))
        .collect()
}

impl Counts {
    /// Reads a counts JSON file held in memory; see [`Self::from_reader`] for what is checked.
    pub fn from_json(
        bytes: &[u8],
        source: &str,
        strict: bool,
        rejected: &mut Vec<Rejection>,
    ) -> Result<Self, InputError> {
        let bytes = crate::input::json_text(bytes, source)?;
        let raw: RawCounts = serde_json::from_slice(bytes).map_err(|e| InputError::json(source, &e))?;
        Self::check(raw, source, strict, rejected)
    }

    /// Reads a counts JSON stream (buffered here; the file is never held whole as bytes).
    ///
    /// A UTF-8 byte order mark is skipped; a UTF-16 file, JSON that does not parse, and a key
    /// repeated outside `metrics` (`"unit"` twice) are fatal, with their line and column. The rest
    /// is checked unit by unit and metric by metric, and what is wrong is rejected alone (its row
    /// is the unit's position in `units`, from 1; its column the metric code, or `unit` / `parent`)
    /// while the rest is kept:
    /// - a unit without an id or with a repeated id is rejected whole;
    /// - a metric that is not `[numerator, denominator]` of non-negative 64-bit integers (`-1`,
    ///   `1.5`, 2^64, text), whose numerator is above its denominator, whose code no built-in
    ///   profile knows, or whose code is repeated in the unit (both values: neither can be
    ///   trusted) is rejected; the metric is then `invalid` for the unit (it scores 0 and the
    ///   scorecard names the rejected rows), except an unknown code, which is only rejected;
    /// - `"full"` in place of `[numerator, denominator]` is a metric the portal publishes as full
    ///   points without counts (`E_CERTIFIED_COPY`);
    /// - a `parent` that is not a unit of the file, or that makes a cycle of parents, is rejected
    ///   (a located warning) and the link is dropped: the unit is ranked as a root. A counts file
    ///   passed alongside records takes its tree from the units file, so there the warning only
    ///   says the link is not used.
    ///
    /// With `strict`, the first rejection is an error.
    pub fn from_reader<R: std::io::Read>(
        reader: R,
        source: &str,
        strict: bool,
        rejected: &mut Vec<Rejection>,
    ) -> Result<Self, InputError> {
        let reader = crate::input::json_reader(reader, source)?;
        let raw: RawCounts = serde_json::from_reader(reader).map_err(|e| InputError::json(source, &e))?;
        Self::check(raw, source, strict, rejected)
    }

    fn check(raw: RawCounts, source: &str, strict: bool, rejected: &mut Vec<Rejection>) -> Result<Self, InputError> {
        let known = known_metric_codes();
        let mut local = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut rows = Vec::with_capacity(raw.units.len());
        let mut kept = Vec::with_capacity(raw.units.len());
        for (i, unit) in raw.units.into_iter().enumerate() {
            let row = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1);
            let reject = |column: &str, reason: String| Rejection {
                source: source.to_owned(),
                row,
                column: Some(column.to_owned()),
                reason,
            };
            let id = unit.unit.trim().to_owned();
            if id.is_empty() {
                local.push(reject("unit", RejectionText::Empty.en(&[])));
                continue;
            }
            if !seen.insert(id.clone()) {
                local.push(reject("unit", RejectionText::DuplicateUnit.en(&[("unit", &id)])));
                continue;
            }
            let mut counted: BTreeMap<&str, usize> = BTreeMap::new();
            for (code, _) in &unit.metrics.0 {
                *counted.entry(code.as_str()).or_default() += 1;
            }
            let mut metrics = BTreeMap::new();
            let mut published = BTreeSet::new();
            let mut invalid: BTreeMap<String, Vec<Rejection>> = BTreeMap::new();
            for (code, value) in &unit.metrics.0 {
                let times = counted.get(code.as_str()).copied().unwrap_or(0);
                let outcome = match value {
                    _ if !known.contains(code) => {
                        // Not a metric of any profile: nothing to mark invalid.
                        local.push(reject(code, RejectionText::UnknownMetric.en(&[("unit", &id), ("metric", code)])));
                        continue;
                    }
                    _ if times > 1 => {
                        Err(RejectionText::RepeatedMetric.en(&[("unit", &id), ("metric", code), ("count", &times)]))
                    }
                    Err(why) => Err(RejectionText::UnitReason.en(&[("unit", &id), ("reason", why)])),
                    Ok(RawValue::Ratio(r)) if r.numerator > r.denominator => Err(RejectionText::NumeratorAbove
                        .en(&[("numerator", &r.numerator), ("denominator", &r.denominator)])),
                    Ok(v) => Ok(*v),
                };
                match outcome {
                    Ok(RawValue::Ratio(r)) => {
                        metrics.insert(code.clone(), r);
                    }
                    Ok(RawValue::Full) => {
                        published.insert(code.clone());
                    }
                    Err(why) => {
                        let rejection = reject(code, why);
                        // A repeated code is rejected once per occurrence; the metric is invalid.
                        invalid.entry(code.clone()).or_default().push(rejection.clone());
                        local.push(rejection);
                    }
                }
            }
            rows.push(row);
            kept.push(UnitCounts {
                unit: id,
                name: unit.name,
                parent: unit.parent,
                level: unit.level,
                metrics,
                published,
                invalid,
                reported: unit.reported,
            });
        }
        check_parents(&mut kept, &rows, source, &mut local);
        if strict && !local.is_empty() {
            local.sort_by_key(|r| r.row);
            return Err(InputError::Strict(local.swap_remove(0)));
        }
        local.sort_by_key(|r| r.row);
        rejected.extend(local);
        Ok(Self { period: raw.period, units: kept })
    }
}

fn parent_of(u: &UnitCounts) -> Option<&str> {
    u.parent.as_deref().map(str::trim).filter(|p| !p.is_empty())
}

/// Drops, with a rejection, each `parent` link that names no unit of the file or closes a cycle of
/// parents (every link on the cycle). Linear: each link is followed once.
fn check_parents(units: &mut [UnitCounts], rows: &[u64], source: &str, rejected: &mut Vec<Rejection>) {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        Unvisited,
        OnPath,
        Done,
    }
    let index: std::collections::HashMap<String, usize> =
        units.iter().enumerate().map(|(i, u)| (u.unit.clone(), i)).collect();
    let mut drop = vec![None::<String>; units.len()];
    let mut next: Vec<Option<usize>> = vec![None; units.len()];
    for (i, u) in units.iter().enumerate() {
        let Some(p) = parent_of(u) else { continue };
        match index.get(p) {
            Some(&j) => {
                if let Some(n) = next.get_mut(i) {
                    *n = Some(j);
                }
            }
            None => {
                if let Some(d) = drop.get_mut(i) {
                    *d = Some(RejectionText::UnknownParentIgnored.en(&[("parent", &p)]));
                }
            }
        }
    }
    let mut state = vec![State::Unvisited; units.len()];
    let mut path = Vec::new();
    for start in 0..units.len() {
        path.clear();
        let mut cur = Some(start);
        while let Some(c) = cur {
            match state.get(c).copied() {
                Some(State::Unvisited) => {}
                Some(State::OnPath) => {
                    // `c` is on the path: from it to the end of the path is a cycle.
                    let at = path.iter().position(|&p| p == c).unwrap_or(path.len());
                    for &member in path.get(at..).unwrap_or_default() {
                        let p = units.get(member).and_then(parent_of).unwrap_or_default();
                        if let Some(d) = drop.get_mut(member) {
                            *d = Some(RejectionText::ParentCycleIgnored.en(&[("parent", &p)]));
                        }
                    }
                    break;
                }
                Some(State::Done) | None => break,
            }
            if let Some(s) = state.get_mut(c) {
                *s = State::OnPath;
            }
            path.push(c);
            cur = next.get(c).copied().flatten();
        }
        for &p in &path {
            if let Some(s) = state.get_mut(p) {
                *s = State::Done;
            }
        }
    }
    for ((unit, why), &row) in units.iter_mut().zip(drop).zip(rows) {
        if let Some(reason) = why {
            unit.parent = None;
            rejected.push(Rejection { source: source.to_owned(), row, column: Some("parent".to_owned()), reason });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_counts_and_rejects_bad_metrics_only() {
        let json = br#"{ "period": "2026-08", "units": [
            { "unit": "a", "metrics": { "ON_TIME": [2, 3], "DOSSIER_SYNC": [5, 3] } },
            { "unit": "a", "metrics": {} },
            { "unit": "b", "name": "B", "parent": "a", "metrics": { "ON_TIME": [0, 0] } } ] }"#;
        let mut rejected = Vec::new();
        let c = Counts::from_json(json, "c.json", false, &mut rejected).unwrap();
        assert_eq!(c.units.len(), 2);
        assert_eq!(c.units[0].metrics.len(), 1);
        assert_eq!(rejected.len(), 2);
        assert_eq!(rejected[0].row, 1);
        assert_eq!(rejected[0].column.as_deref(), Some("DOSSIER_SYNC"));
        assert_eq!(rejected[1].row, 2);
        let err = Counts::from_json(json, "c.json", true, &mut Vec::new()).unwrap_err();
        assert_eq!(err.code(), "rejected_row");
    }

    #[test]
    fn json_errors_name_line_and_column() {
        let json =
            b"{ \"period\": \"2026-08\",\n \"units\": [ { \"unit\": \"a\", \"metrics\": { \"ON_TIME\": [1, 2] } } ";
        let err = Counts::from_json(json, "c.json", false, &mut Vec::new()).unwrap_err();
        match err {
            InputError::Json { line, column, .. } => {
                assert_eq!(line, 2);
                assert!(column > 30);
            }
            other => panic!("{other:?}"),
        }
        let err = Counts::from_json(b"{\"period\": \"2026-13\", \"units\": []}", "c.json", false, &mut Vec::new());
        assert!(err.unwrap_err().to_string().contains("2026-13"));
        // A key repeated outside `metrics` is an error with its place.
        let json = b"{\"period\": \"2026-08\", \"units\": [{\"unit\": \"a\", \"unit\": \"b\", \"metrics\": {}}]}";
        let err = Counts::from_json(json, "c.json", false, &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("duplicate field `unit`"), "{err}");
        // `metrics` that is not an object is the file's shape, not one metric: an error.
        let json = b"{\"period\": \"2026-09\", \"units\": [{\"unit\": \"a\", \"metrics\": [1]}]}";
        let err = Counts::from_json(json, "c.json", false, &mut Vec::new()).unwrap_err();
        assert_eq!(err.code(), "bad_json");
    }

    #[test]
    fn one_bad_number_rejects_its_metric_only() {
        // Each of these failed the whole file ("invalid type: floating point `1.8446744073709552e19`").
        let json = br#"{ "period": "2026-08", "units": [
            { "unit": "a", "metrics": { "ON_TIME": [-1, 3], "DOSSIER_SYNC": [1, 2], "E_RESULT": [1.5, 2] } },
            { "unit": "b", "metrics": { "ON_TIME": [1, 18446744073709551616], "DIGITIZED": [2, 2],
                                         "REUSED_DATA": [1, 2, 3], "SHARED_STORAGE": "1/2", "PAID_ONLINE": [3, null],
                                         "ONLINE_DOSSIERS": [18446744073709551615, 18446744073709551615] } } ] }"#;
        let mut rejected = Vec::new();
        let c = Counts::from_json(json, "c.json", false, &mut rejected).unwrap();
        assert_eq!(c.units.len(), 2);
        assert_eq!(c.units[0].metrics.keys().collect::<Vec<_>>(), ["DOSSIER_SYNC"]);
        assert_eq!(c.units[1].metrics.keys().collect::<Vec<_>>(), ["DIGITIZED", "ONLINE_DOSSIERS"]);
        let got: Vec<String> = rejected.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "c.json: row 1, column `ON_TIME`: unit `a`: numerator `-1` is negative",
                "c.json: row 1, column `E_RESULT`: unit `a`: numerator `1.5` is not a whole number",
                "c.json: row 2, column `ON_TIME`: unit `b`: denominator is over 18446744073709551615, the largest 64-bit count",
                "c.json: row 2, column `REUSED_DATA`: unit `b`: expected `[numerator, denominator]`, found 3 value(s)",
                "c.json: row 2, column `SHARED_STORAGE`: unit `b`: expected `[numerator, denominator]`, found the text `1/2`",
                "c.json: row 2, column `PAID_ONLINE`: unit `b`: denominator is null",
            ]
        );
        // The same through a stream, with a UTF-8 byte order mark before it.
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(json);
        let mut again = Vec::new();
        let streamed = Counts::from_reader(with_bom.as_slice(), "c.json", false, &mut again).unwrap();
        assert_eq!((streamed, again), (c, rejected));
    }

    #[test]
    fn unknown_and_repeated_metric_codes_are_rejected() {
        let json = br#"{ "period": "2026-08", "units": [
            { "unit": "a", "metrics": { "ON_TIM": [1, 3], "ON_TIME": [1, 2], "DIGITIZED": [1, 2], "ON_TIME": [2, 2] } } ] }"#;
        let mut rejected = Vec::new();
        let c = Counts::from_json(json, "c.json", false, &mut rejected).unwrap();
        assert_eq!(c.units[0].metrics.keys().collect::<Vec<_>>(), ["DIGITIZED"]);
        let got: Vec<(&str, &str)> =
            rejected.iter().map(|r| (r.column.as_deref().unwrap(), r.reason.as_str())).collect();
        assert_eq!(
            got,
            [
                ("ON_TIM", "unit `a`: unknown metric code `ON_TIM`"),
                ("ON_TIME", "unit `a`: metric `ON_TIME` is given 2 times"),
                ("ON_TIME", "unit `a`: metric `ON_TIME` is given 2 times"),
            ]
        );
    }

    #[test]
    fn unknown_and_cyclic_parents_are_dropped_with_a_warning() {
        let json = br#"{ "period": "2026-08", "units": [
            { "unit": "p", "metrics": {} },
            { "unit": "a", "parent": "p", "metrics": {} },
            { "unit": "b", "parent": "nowhere", "metrics": {} },
            { "unit": "c", "parent": "d", "metrics": {} },
            { "unit": "d", "parent": "c", "metrics": {} },
            { "unit": "e", "parent": "c", "metrics": {} },
            { "unit": "f", "parent": "f", "metrics": {} } ] }"#;
        let mut rejected = Vec::new();
        let c = Counts::from_json(json, "c.json", false, &mut rejected).unwrap();
        let parents: Vec<Option<&str>> = c.units.iter().map(|u| u.parent.as_deref()).collect();
        assert_eq!(parents, [None, Some("p"), None, None, None, Some("c"), None]);
        let got: Vec<(u64, &str)> = rejected.iter().map(|r| (r.row, r.reason.as_str())).collect();
        assert_eq!(
            got,
            [
                (3, "unknown parent `nowhere`; the link is ignored and the unit ranked as a root"),
                (4, "parent `d` makes a cycle; the link is ignored and the unit ranked as a root"),
                (5, "parent `c` makes a cycle; the link is ignored and the unit ranked as a root"),
                (7, "parent `f` makes a cycle; the link is ignored and the unit ranked as a root"),
            ]
        );
        assert!(rejected.iter().all(|r| r.column.as_deref() == Some("parent")));
    }

    #[test]
    fn a_deep_chain_of_parents_is_checked_in_linear_time() {
        let mut json = String::from(r#"{ "period": "2026-08", "units": ["#);
        let n = 100_000;
        for i in (0..n).rev() {
            let parent = if i == 0 { "null".to_owned() } else { format!("\"u{}\"", i - 1) };
            json.push_str(&format!(r#"{{ "unit": "u{i}", "parent": {parent}, "metrics": {{}} }},"#));
        }
        json.pop();
        json.push_str("] }");
        let mut rejected = Vec::new();
        let c = Counts::from_json(json.as_bytes(), "c.json", false, &mut rejected).unwrap();
        assert_eq!(c.units.len(), n);
        assert!(rejected.is_empty());
    }

    #[test]
    fn utf16_counts_are_named() {
        let json = "{\"period\": \"2026-08\", \"units\": []}";
        let utf16: Vec<u8> = json.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let err = Counts::from_json(&utf16, "c.json", false, &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("the file is UTF-16; only UTF-8 is supported for now"), "{err}");
    }

    #[test]
    fn average_days_are_exact() {
        let r = Reported { completed_dossiers: 3, processing_seconds: 86_400 * 4, ..Reported::default() };
        assert_eq!(r.with_average().average_processing_days, Some(Hundredths(133)));
        assert_eq!(Reported::default().with_average().average_processing_days, None);
    }
}
