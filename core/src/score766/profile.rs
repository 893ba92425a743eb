//! Scoring profiles: the groups and metrics of a version of the Decision 766 index, as data.
//!
//! Two profiles are built in: [`Profile::portal_2026`] (the default: what the national portal
//! computes today) and [`Profile::decision_2022`] (the five-group text of the original decision).
//! A profile serializes to JSON, so a user can print one, edit it and score with their own.

use serde::{Deserialize, Serialize};

use crate::exact::Percent;
use crate::labels::{ErrorText, GroupLabel, Lang, localize};

/// How a metric's ratio becomes points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Rule {
    /// `score = P · R`.
    Linear,
    /// `score = min(P, P · R / T)`: full points from the threshold upward.
    Threshold {
        /// The threshold T, in percent.
        percent: Percent,
    },
}

impl Rule {
    /// The rule as a short text (`linear`, `threshold 80%`).
    #[must_use]
    pub fn describe(self) -> String {
        match self {
            Self::Linear => "linear".to_owned(),
            Self::Threshold { percent } => format!("threshold {percent}%"),
        }
    }
}

/// What a metric scores when its denominator is zero (there is no ratio).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ZeroDenominator {
    /// No points.
    Zero,
    /// The metric's full points.
    Full,
    /// No points for this metric, and its points are split equally onto the other metrics of its
    /// group (those that do not themselves give their points away): their maxima grow by the share.
    ///
    /// This is how the `decision-2022` profile reads "when a unit had no feedback, the 12 feedback
    /// points are split equally onto the other satisfaction metrics".
    Redistribute,
}

/// How a metric's counts become its published score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Arithmetic {
    /// The exact ratio, the score rounded half-up to hundredths (score766.md).
    #[default]
    Exact,
    /// The national portal's online-payment arithmetic: the ratio first rounded to a two-decimal
    /// percentage, then `P · r / 100` (or `P · r / T` under the threshold) in binary floating
    /// point, rounded half-up on the binary value. Reproduced exactly in integers
    /// ([`crate::exact::portal_score`]); it differs from [`Self::Exact`] only near a half
    /// hundredth (65.75 % of 6 points: 3.94, where the exact rule gives 3.95). The `TTTT` metrics
    /// of `portal-2026` use it: the captured responses show it (`chiso::portal`).
    PercentFirstBinary64,
}

impl Arithmetic {
    /// Whether this is the exact arithmetic (the default, left out of a profile's JSON).
    #[must_use]
    pub const fn is_exact(&self) -> bool {
        matches!(self, Self::Exact)
    }
}

/// One scored metric of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MetricDef {
    /// The metric code (`ON_TIME`), the key in the counts' `metrics` map.
    pub code: String,
    /// The code of the group it belongs to.
    pub group: String,
    /// What it measures, in words.
    pub description: String,
    /// Maximum points P (whole points).
    pub max: u32,
    /// How the ratio becomes points.
    pub rule: Rule,
    /// The score when the denominator is zero.
    pub zero_denominator: ZeroDenominator,
    /// How the score is computed from the counts (exact unless the profile says otherwise).
    #[serde(default, skip_serializing_if = "Arithmetic::is_exact")]
    pub arithmetic: Arithmetic,
}

/// A group of metrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupDef {
    /// The group code (`TDGQ`).
    pub code: String,
    /// The Vietnamese name.
    pub name: String,
    /// The English name.
    pub name_en: String,
    /// Maximum points (the sum of its metrics' maxima).
    pub max: u32,
}

/// A version of the index: its groups and metrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Profile {
    /// The profile's name (`portal-2026`).
    pub name: String,
    /// The groups, in display order.
    pub groups: Vec<GroupDef>,
    /// The metrics, in display order (grouped by `group`).
    pub metrics: Vec<MetricDef>,
}

/// Why a profile cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// No built-in profile has this name.
    #[error("{}", ErrorText::UnknownProfile.en(&[("profile", .0)]))]
    Unknown(String),
    /// The profile contradicts itself.
    #[error("{}", ErrorText::ProfileReason.en(&[("profile", .profile), ("reason", .reason)]))]
    Invalid {
        /// The profile's name.
        profile: String,
        /// Why.
        reason: String,
    },
}

impl ProfileError {
    /// The message in `lang`, from the catalogue (its reason localised).
    #[must_use]
    pub fn message_in(&self, lang: Lang) -> String {
        match self {
            Self::Unknown(name) => ErrorText::UnknownProfile.fill(lang, &[("profile", name)]),
            Self::Invalid { profile, reason } => {
                ErrorText::ProfileReason.fill(lang, &[("profile", profile), ("reason", &localize(reason, lang))])
            }
        }
    }

    /// A stable code for the C and JS bindings.
    #[must_use]
    pub const fn code(&self) -> crate::error::ErrorCode {
        match self {
            Self::Unknown(_) => crate::error::ErrorCode::UnknownProfile,
            Self::Invalid { .. } => crate::error::ErrorCode::InvalidProfile,
        }
    }
}

/// A group named by its label in the catalogue (`crate::labels`), where its words are written.
fn group(code: &str, label: GroupLabel, max: u32) -> GroupDef {
    let text = label.text();
    GroupDef { code: code.to_owned(), name: text.vi.to_owned(), name_en: text.en.to_owned(), max }
}

fn metric(group: &str, code: &str, description: &str, max: u32, rule: Rule, zero: ZeroDenominator) -> MetricDef {
    MetricDef {
        code: code.to_owned(),
        group: group.to_owned(),
        description: description.to_owned(),
        max,
        rule,
        zero_denominator: zero,
        arithmetic: Arithmetic::Exact,
    }
}

/// A metric scored in the portal's online-payment arithmetic.
fn percent_first(mut m: MetricDef) -> MetricDef {
    m.arithmetic = Arithmetic::PercentFirstBinary64;
    m
}

const fn threshold(p: u64) -> Rule {
    Rule::Threshold { percent: Percent::whole(p) }
}

/// The name of the default profile.
pub const DEFAULT_PROFILE: &str = "portal-2026";

/// The names of the built-in profiles.
pub const PROFILE_NAMES: [&str; 2] = ["portal-2026", "decision-2022"];

use Rule::Linear;
use ZeroDenominator::{Full, Redistribute, Zero};

fn transparency(g: &str) -> Vec<MetricDef> {
    vec![
        metric(g, "PUBLISH_ON_TIME", "procedures whose publication decision was on time", 6, Linear, Zero),
        metric(g, "PUBLIC_UPDATE_ON_TIME", "procedures updated and made public on time", 4, Linear, Zero),
        metric(g, "PUBLIC_CONTENT_FULL", "procedures published with all required parts", 2, Linear, Zero),
        metric(g, "DOSSIER_SYNC", "dossiers synchronised to the national portal", 6, Linear, Zero),
    ]
}

fn digitisation(g: &str, digitized: Rule) -> Vec<MetricDef> {
    vec![
        metric(g, "E_RESULT", "dossiers with an electronic result", 6, Linear, Zero),
        metric(g, "DIGITIZED", "dossiers digitised", 4, digitized, Zero),
        metric(g, "REUSED_DATA", "dossiers reusing previously digitised data", 2, threshold(80), Zero),
        metric(g, "SHARED_STORAGE", "dossiers using the citizen's personal data store", 4, Linear, Zero),
        metric(g, "CITIZEN_DATA_DOSSIERS", "dossiers using the national population data", 2, Linear, Zero),
        metric(g, "CITIZEN_DATA_PROCEDURES", "procedures with at least one such dossier", 2, Linear, Zero),
        metric(g, "E_CERTIFIED_COPY", "communes offering electronic certified copies", 2, Linear, Full),
    ]
}

/// The satisfaction group; `satisfied_zero` is what `FEEDBACK_SATISFIED` does without feedback
/// (`FEEDBACK_ON_TIME` then scores in full: no feedback was late).
fn satisfaction(g: &str, satisfied_zero: ZeroDenominator) -> Vec<MetricDef> {
    vec![
        metric(g, "FEEDBACK_ON_TIME", "feedback handled on time", 6, Linear, Full),
        metric(g, "FEEDBACK_SATISFIED", "feedback whose handling satisfied the sender", 6, Linear, satisfied_zero),
        metric(g, "DOSSIER_SATISFIED", "dossiers handled to the user's satisfaction", 6, threshold(90), Zero),
    ]
}

impl Profile {
    /// What the national portal computes today (the default): six groups, 21 metrics, 100 points.
    #[must_use]
    pub fn portal_2026() -> Self {
        let mut metrics = transparency("CKMB");
        metrics.push(metric(
            "TDGQ",
            "ON_TIME",
            "dossiers handled on time, or in progress within their deadline",
            20,
            Linear,
            Zero,
        ));
        metrics.extend([
            metric("CLGQ", "ONLINE_PROCEDURES", "procedures offered online", 2, threshold(80), Zero),
            metric("CLGQ", "ONLINE_SERVICES_USED", "online services with an online dossier", 4, Linear, Zero),
            metric("CLGQ", "ONLINE_DOSSIERS", "dossiers filed online", 6, threshold(50), Zero),
        ]);
        metrics.extend(digitisation("MDSH", Linear));
        // The portal computes this group from two-decimal percentages in binary floating point.
        metrics.extend(
            [
                metric("TTTT", "PAID_ONLINE", "dossiers with a fee paid online", 6, Linear, Zero),
                metric(
                    "TTTT",
                    "PROCEDURES_PAID_ONLINE",
                    "fee procedures with an online payment",
                    2,
                    threshold(80),
                    Zero,
                ),
                metric(
                    "TTTT",
                    "PROCEDURES_PAYMENT_INTEGRATED",
                    "fee procedures integrated with online payment",
                    2,
                    threshold(80),
                    Zero,
                ),
            ]
            .map(percent_first),
        );
        metrics.extend(satisfaction("MDHL", Full));
        Self {
            name: "portal-2026".to_owned(),
            groups: vec![
                group("CKMB", GroupLabel::Transparency, 18),
                group("TDGQ", GroupLabel::Timeliness, 20),
                group("CLGQ", GroupLabel::OnlineServices, 12),
                group("MDSH", GroupLabel::Digitisation, 22),
                group("TTTT", GroupLabel::OnlinePayment, 10),
                group("MDHL", GroupLabel::Satisfaction, 18),
            ],
            metrics,
        }
    }

    /// The five-group text of Decision 766/QĐ-TTg (2022), where it differs from the portal.
    ///
    /// How the differences are read (the decision's text is terse; these are this library's
    /// choices, stated so they can be checked and changed as data):
    /// - five groups of 18 / 20 / 22 / 22 / 18 points: transparency (`CKMB`, as the portal),
    ///   timeliness and results (`TDGQ`, `ON_TIME` for 20), digitisation (`MDSH`, as the portal
    ///   but `DIGITIZED` scored by a threshold of 80 %), online service provision (`DVCT`) and
    ///   satisfaction (`MDHL`);
    /// - online service provision holds one metric for online services and one for payment, not
    ///   split further: `FULL_ONLINE_DOSSIERS` (dossiers filed online for a procedure offered as a
    ///   full-process service, among dossiers of procedures eligible for full-process service),
    ///   12 points, linear; and `PAID_ONLINE` (dossiers paid online among dossiers with a fee),
    ///   10 points, linear — the 12 / 10 split mirrors the portal's online-service and payment
    ///   groups;
    /// - in the satisfaction group, a unit with no feedback (a feedback file or counts that hold
    ///   none for it) follows the text "điểm số được chia đều cho 02 chỉ tiêu về Tỷ lệ PAKN đúng
    ///   hạn và tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC": the 6 points of
    ///   `FEEDBACK_SATISFIED` are split equally ([`ZeroDenominator::Redistribute`]), so
    ///   `FEEDBACK_ON_TIME` has a maximum of 9 and scores it in full (no feedback was late) and
    ///   `DOSSIER_SATISFIED` has a maximum of 9, scored by its own rule (1415 / 1780 satisfied
    ///   dossiers: 9 · 0.79494 / 0.9 → 7.95; group 16.95). Without any feedback input the
    ///   feedback metrics are `missing` and nothing moves.
    #[must_use]
    pub fn decision_2022() -> Self {
        let mut metrics = transparency("CKMB");
        metrics.push(metric("TDGQ", "ON_TIME", "dossiers handled on time", 20, Linear, Zero));
        metrics.extend(digitisation("MDSH", threshold(80)));
        metrics.extend([
            metric(
                "DVCT",
                "FULL_ONLINE_DOSSIERS",
                "full-process online dossiers among dossiers of eligible procedures",
                12,
                Linear,
                Zero,
            ),
            metric("DVCT", "PAID_ONLINE", "dossiers with a fee paid online", 10, Linear, Zero),
        ]);
        metrics.extend(satisfaction("MDHL", Redistribute));
        Self {
            name: "decision-2022".to_owned(),
            groups: vec![
                group("CKMB", GroupLabel::Transparency, 18),
                group("TDGQ", GroupLabel::TimelinessAndResults, 20),
                group("MDSH", GroupLabel::Digitisation, 22),
                group("DVCT", GroupLabel::OnlineServiceProvision, 22),
                group("MDHL", GroupLabel::Satisfaction, 18),
            ],
            metrics,
        }
    }

    /// A built-in profile by name.
    pub fn named(name: &str) -> Result<Self, ProfileError> {
        match name {
            "portal-2026" => Ok(Self::portal_2026()),
            "decision-2022" => Ok(Self::decision_2022()),
            other => Err(ProfileError::Unknown(other.to_owned())),
        }
    }

    /// The metrics of a group, in order.
    pub fn metrics_of<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a MetricDef> + 'a {
        self.metrics.iter().filter(move |m| m.group == group)
    }

    /// Checks that every metric names a known group, codes are unique, each group's maximum is the
    /// sum of its metrics' maxima, and thresholds are within (0, 100] percent.
    pub fn validate(&self) -> Result<(), ProfileError> {
        let invalid = |reason: String| ProfileError::Invalid { profile: self.name.clone(), reason };
        let mut seen = std::collections::BTreeSet::new();
        for m in &self.metrics {
            if !seen.insert(m.code.as_str()) {
                return Err(invalid(ErrorText::MetricTwice.en(&[("metric", &m.code)])));
            }
            if !self.groups.iter().any(|g| g.code == m.group) {
                return Err(invalid(ErrorText::MetricUnknownGroup.en(&[("metric", &m.code), ("group", &m.group)])));
            }
            if let Rule::Threshold { percent } = m.rule {
                if percent.units() == 0 || percent > Percent::whole(100) {
                    return Err(invalid(ErrorText::MetricThreshold.en(&[("metric", &m.code), ("percent", &percent)])));
                }
            }
        }
        for g in &self.groups {
            let sum: u64 = self.metrics_of(&g.code).map(|m| u64::from(m.max)).sum();
            if sum != u64::from(g.max) {
                return Err(invalid(ErrorText::GroupMax.en(&[("group", &g.code), ("max", &g.max), ("sum", &sum)])));
            }
        }
        Ok(())
    }
}

impl Default for Profile {
    fn default() -> Self {
        Self::portal_2026()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_profiles_are_consistent_and_total_100() {
        for name in PROFILE_NAMES {
            let p = Profile::named(name).unwrap();
            p.validate().unwrap();
            assert_eq!(p.groups.iter().map(|g| g.max).sum::<u32>(), 100, "{name}");
        }
        let portal = Profile::portal_2026();
        assert_eq!(portal.metrics.len(), 21);
        let maxima: Vec<u32> = portal.groups.iter().map(|g| g.max).collect();
        assert_eq!(maxima, [18, 20, 12, 22, 10, 18]);
        let d = Profile::decision_2022();
        let maxima: Vec<u32> = d.groups.iter().map(|g| g.max).collect();
        assert_eq!(maxima, [18, 20, 22, 22, 18]);
        let digitized = d.metrics.iter().find(|m| m.code == "DIGITIZED").unwrap();
        assert_eq!(digitized.rule, Rule::Threshold { percent: Percent::whole(80) });
    }

    #[test]
    fn profiles_round_trip_as_json() {
        let p = Profile::decision_2022();
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains(r#""rule":{"kind":"threshold","percent":80}"#));
        let back: Profile = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        assert_eq!(Profile::named("x").unwrap_err().code(), "unknown_profile");
    }
}
