//! The plan as data: subject groups, indicators, target rules and per-unit overrides.
//!
//! A plan is loaded from JSON (`chiso plan` prints the built-in one to start from) and validated
//! before use, so evaluation itself cannot fail.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::exact::Percent;
use crate::input::InputError;
use crate::labels::{ErrorText, Lang, localize};
use crate::period::Granularity;

/// A text in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Labels {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Labels {
    /// Both texts.
    #[must_use]
    pub fn new(vi: &str, en: &str) -> Self {
        Self { vi: vi.to_owned(), en: en.to_owned() }
    }

    /// The text in `lang`.
    #[must_use]
    pub fn get(&self, lang: crate::labels::Lang) -> &str {
        match lang {
            crate::labels::Lang::Vi => &self.vi,
            crate::labels::Lang::En => &self.en,
        }
    }
}

/// The people or things an indicator counts (its denominator's population).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SubjectGroup {
    /// Stable id.
    pub id: String,
    /// Name.
    pub label: Labels,
}

/// How observations of shorter periods combine into a longer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimeAggregation {
    /// Flows: add numerators and denominators.
    Sum,
    /// Stocks: the latest observation in the period wins.
    Last,
}

/// How child units' results combine into their parent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rollup {
    /// Add numerators and add denominators (never a mean of percentages).
    #[default]
    RatioOfSums,
    /// Numerator = children whose status is met, denominator = children observed.
    UnitsMeeting,
}

/// A projection method (see `progress.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Least-squares line through the last up to 5 yearly values (or 24 monthly ones).
    #[default]
    Linear,
    /// Statistics Canada / Open SDG growth-ratio method.
    GrowthRatio,
    /// The linear method on logit(x).
    Logit,
}

impl Method {
    /// The name used in files and results.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Linear => "linear",
            Self::GrowthRatio => "growth-ratio",
            Self::Logit => "logit",
        }
    }
}

impl std::str::FromStr for Method {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "linear" => Ok(Self::Linear),
            "growth-ratio" => Ok(Self::GrowthRatio),
            "logit" => Ok(Self::Logit),
            other => Err(ErrorText::UnknownMethod.en(&[("method", &other)])),
        }
    }
}

/// The comparison of a target rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Comparison {
    /// At least the threshold.
    #[serde(rename = ">=")]
    AtLeast,
    /// At most the threshold.
    #[serde(rename = "<=")]
    AtMost,
    /// Strictly above the threshold.
    #[serde(rename = ">")]
    Above,
    /// Strictly below the threshold.
    #[serde(rename = "<")]
    Below,
    /// Strictly better (higher) than the previous period.
    #[serde(rename = "improves")]
    Improves,
}

impl Comparison {
    /// The symbol used in files and results.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AtLeast => ">=",
            Self::AtMost => "<=",
            Self::Above => ">",
            Self::Below => "<",
            Self::Improves => "improves",
        }
    }

    /// Whether higher values are better.
    #[must_use]
    pub const fn higher_is_better(self) -> bool {
        !matches!(self, Self::AtMost | Self::Below)
    }

    /// Whether an ordering of value against threshold satisfies the comparison.
    #[must_use]
    pub fn accepts(self, value_vs_threshold: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Greater, Less};
        match self {
            Self::AtLeast => value_vs_threshold != Less,
            Self::AtMost => value_vs_threshold != Greater,
            Self::Above | Self::Improves => value_vs_threshold == Greater,
            Self::Below => value_vs_threshold == Less,
        }
    }
}

/// When a target applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Schedule {
    /// One milestone, judged at the end of `by`; optionally maintained every year until a year.
    By {
        /// The deadline (last day counted).
        by: Date,
        /// The rule keeps applying to every year after the deadline's, up to this year.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maintain_until: Option<i32>,
    },
    /// A recurring rule, judged for every period from `from` to `to` (years, inclusive).
    Every {
        /// The period length.
        every: Granularity,
        /// First year.
        from: i32,
        /// Last year.
        to: i32,
    },
}

/// A target rule on an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Target {
    /// Stable id, unique in the plan (`adults_using.2030`).
    pub id: String,
    /// The comparison.
    pub comparison: Comparison,
    /// The threshold in percent; absent for `improves`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Percent>,
    /// When it applies.
    #[serde(flatten)]
    pub schedule: Schedule,
}

/// An indicator: a ratio numerator / denominator over a subject group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Stable id (`dossiers_fully_online`).
    pub id: String,
    /// Name.
    pub label: Labels,
    /// Where the plan sets it (`II.2.a §10`).
    pub plan_ref: String,
    /// The subject group's id.
    pub subject_group: String,
    /// What the numerator counts.
    pub numerator: Labels,
    /// What the denominator counts.
    pub denominator: Labels,
    /// Time aggregation.
    pub time: TimeAggregation,
    /// Roll-up rule.
    #[serde(default)]
    pub rollup: Rollup,
    /// An activity: `1/1` done, `0/1` not done.
    #[serde(default)]
    pub activity: bool,
    /// Often estimated from a survey sample.
    #[serde(default)]
    pub sampled: bool,
    /// The projection method for this indicator's targets.
    #[serde(default)]
    pub projection: Method,
    /// Who must act (roles named in section VI of the plan).
    #[serde(default)]
    pub responsible: Vec<String>,
    /// For diagnosis: indicators that break this one down (e.g. one per field).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakdown: Vec<String>,
    /// Its targets.
    pub targets: Vec<Target>,
}

/// A stricter (or different) threshold set for one unit by a higher level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The unit.
    pub unit: String,
    /// The target's id.
    pub target: String,
    /// The threshold that applies to that unit.
    pub threshold: Percent,
    /// Who set it (a document or body).
    pub source: String,
}

/// A responsible role named by the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Role {
    /// Stable id.
    pub id: String,
    /// Name.
    pub label: Labels,
}

/// A plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: Labels,
    /// The document it models.
    #[serde(default)]
    pub source: String,
    /// Subject groups.
    pub subject_groups: Vec<SubjectGroup>,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Indicators.
    pub indicators: Vec<Indicator>,
    /// Per-unit overrides.
    #[serde(default)]
    pub overrides: Vec<Override>,
}

/// Why a plan is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The JSON does not parse or has the wrong shape.
    #[error(transparent)]
    Json(#[from] InputError),
    /// The plan parses but contradicts itself.
    #[error("{}", ErrorText::PlanAt.en(&[("file", .file), ("path", .path), ("reason", .reason)]))]
    Invalid {
        /// The file.
        file: String,
        /// Where in the plan (`indicators[3].targets[0]`).
        path: String,
        /// Why.
        reason: String,
    },
}

impl PlanError {
    /// The message in `lang`, from the catalogue (its reason localised).
    #[must_use]
    pub fn message_in(&self, lang: Lang) -> String {
        match self {
            Self::Json(e) => e.message_in(lang),
            Self::Invalid { file, path, reason } => {
                ErrorText::PlanAt.fill(lang, &[("file", file), ("path", path), ("reason", &localize(reason, lang))])
            }
        }
    }

    /// A stable code for the C and JS bindings.
    #[must_use]
    pub const fn code(&self) -> crate::error::ErrorCode {
        match self {
            Self::Json(e) => e.code(),
            Self::Invalid { .. } => crate::error::ErrorCode::InvalidPlan,
        }
    }
}

impl Plan {
    /// Reads and validates a plan from JSON. A UTF-8 byte order mark is skipped; a UTF-16 file and
    /// a key repeated in one object (which JSON parsers resolve silently, last one wins) are
    /// errors with their line and column.
    pub fn from_json(bytes: &[u8], source: &str) -> Result<Self, PlanError> {
        let bytes = crate::input::json_text(bytes, source)?;
        crate::input::check_unique_keys(bytes, source)?;
        let plan: Self = serde_json::from_slice(bytes).map_err(|e| InputError::json(source, &e))?;
        plan.validate(source)?;
        Ok(plan)
    }

    /// The plan as pretty JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The indicator with this id.
    #[must_use]
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The override for a unit and a target, if any.
    #[must_use]
    pub fn override_for(&self, unit: &str, target: &str) -> Option<&Override> {
        self.overrides.iter().find(|o| o.unit == unit && o.target == target)
    }

    /// Checks ids, references and rules.
    pub fn validate(&self, source: &str) -> Result<(), PlanError> {
        let invalid = |path: String, reason: String| PlanError::Invalid { file: source.to_owned(), path, reason };
        let groups: HashSet<&str> = self.subject_groups.iter().map(|g| g.id.as_str()).collect();
        let roles: HashSet<&str> = self.roles.iter().map(|r| r.id.as_str()).collect();
        let mut indicator_ids = HashSet::new();
        let mut target_ids = HashSet::new();
        for (i, ind) in self.indicators.iter().enumerate() {
            let path = format!("indicators[{i}]");
            if ind.id.is_empty() || !indicator_ids.insert(ind.id.as_str()) {
                return Err(invalid(path, ErrorText::IndicatorIdRepeated.en(&[("id", &ind.id)])));
            }
            if !groups.contains(ind.subject_group.as_str()) {
                return Err(invalid(path, ErrorText::UnknownSubjectGroup.en(&[("group", &ind.subject_group)])));
            }
            if let Some(r) = ind.responsible.iter().find(|r| !roles.contains(r.as_str())) {
                return Err(invalid(path, ErrorText::UnknownRole.en(&[("role", r)])));
            }
            for (t, target) in ind.targets.iter().enumerate() {
                let path = format!("indicators[{i}].targets[{t}]");
                if target.id.is_empty() || !target_ids.insert(target.id.as_str()) {
                    return Err(invalid(path, ErrorText::TargetIdRepeated.en(&[("id", &target.id)])));
                }
                match (target.comparison, target.threshold) {
                    (Comparison::Improves, Some(_)) => {
                        return Err(invalid(path, ErrorText::ImprovesNoThreshold.en(&[])));
                    }
                    (Comparison::Improves, None) => {}
                    (_, None) => return Err(invalid(path, ErrorText::ThresholdRequired.en(&[]))),
                    (_, Some(p)) if p > Percent::whole(100) => {
                        return Err(invalid(path, ErrorText::ThresholdAbove100.en(&[("threshold", &p)])));
                    }
                    (_, Some(_)) => {}
                }
                match target.schedule {
                    Schedule::By { by, maintain_until: Some(y) } if y < by.year() => {
                        return Err(invalid(
                            path,
                            ErrorText::MaintainBeforeDeadline.en(&[("year", &y), ("deadline", &by)]),
                        ));
                    }
                    Schedule::Every { from, to, .. } if to < from => {
                        return Err(invalid(path, ErrorText::ToBeforeFrom.en(&[("to", &to), ("from", &from)])));
                    }
                    _ => {}
                }
            }
        }
        for (i, ind) in self.indicators.iter().enumerate() {
            if let Some(b) = ind.breakdown.iter().find(|b| !indicator_ids.contains(b.as_str())) {
                return Err(invalid(format!("indicators[{i}]"), ErrorText::UnknownBreakdown.en(&[("indicator", b)])));
            }
        }
        for (o, ov) in self.overrides.iter().enumerate() {
            if !target_ids.contains(ov.target.as_str()) {
                return Err(invalid(format!("overrides[{o}]"), ErrorText::UnknownTarget.en(&[("target", &ov.target)])));
            }
            if ov.threshold > Percent::whole(100) {
                return Err(invalid(
                    format!("overrides[{o}]"),
                    ErrorText::ThresholdAbove100.en(&[("threshold", &ov.threshold)]),
                ));
            }
            if ov.source.trim().is_empty() {
                return Err(invalid(format!("overrides[{o}]"), ErrorText::OverrideSource.en(&[])));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_is_an_error_with_its_place() {
        let json = crate::builtin::builtin_plan().to_json();
        // The first `"id": "…"` of the plan, given twice.
        let repeated = json.replacen("\"id\": ", "\"id\": \"x\", \"id\": ", 1);
        let err = Plan::from_json(repeated.as_bytes(), "plan.json").unwrap_err();
        assert_eq!(err.code(), "bad_json");
        assert!(err.to_string().starts_with("plan.json: line 2, column "), "{err}");
        assert!(err.to_string().ends_with(": duplicate key `id`"), "{err}");
        // In an indicator, where serde's own check does not reach (an untagged schedule).
        let repeated = json.replacen("\"by\": ", "\"by\": \"2025-12-31\", \"by\": ", 1);
        let err = Plan::from_json(repeated.as_bytes(), "plan.json").unwrap_err();
        assert!(err.to_string().ends_with(": duplicate key `by`"), "{err}");
    }

    #[test]
    fn a_utf8_bom_is_skipped_and_utf16_is_named() {
        let json = crate::builtin::builtin_plan().to_json();
        let with_bom = format!("\u{feff}{json}");
        assert_eq!(Plan::from_json(with_bom.as_bytes(), "plan.json").unwrap(), crate::builtin::builtin_plan());
        let utf16: Vec<u8> = with_bom.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let err = Plan::from_json(&utf16, "plan.json").unwrap_err();
        assert!(err.to_string().contains("the file is UTF-16; only UTF-8 is supported for now"), "{err}");
    }
}
