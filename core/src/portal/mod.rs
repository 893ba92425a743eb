//! The national public service portal's published Decision 766 evaluation: its saved responses
//! read into counts ([`import`]), and every published score recomputed from them ([`check`]).
//!
//! The portal's evaluation page loads one JSON response per group, from six endpoints
//! ([`Endpoint`]). A front end passes each response as (endpoint folder name, bytes); an endpoint
//! left out leaves its group's metrics out of the counts. Units are joined across the responses by
//! `departmentId` (the unit id of the counts); the response's `parent` / `overview` unit is the
//! root and every `children` / `evaluation` unit its child.
//!
//! # What the captured responses showed (Phú Thọ, month 8/2026), where the spec was silent or wrong
//!
//! 1. **`score: null`** is published only with a zero denominator (or `null` counts); it counts 0
//!    in the group total, except where the metric's zero-denominator default is full points, which
//!    the portal then publishes as a number (`PETITION_*` with 0 / 0 → 6). Read as "0 points", every
//!    such value agrees with the profile's defaults. The two classification metrics
//!    (`PETITION_CLASSIFICATION_*`, `maxScore` 0) are reported, never scored, and not compared.
//! 2. **Rounding** of the metric-list endpoints (`transparency`, `dossier-digitized`,
//!    `handling-satisfaction`) and of `dvc-progress-tree` and the root of `provide-online-tree` is
//!    score766.md's: the exact ratio, half-up to hundredths of a point, groups summed from rounded
//!    metrics. Not so **online payment** (`formality-online-payment-tree`): there the portal first
//!    rounds each ratio to a two-decimal percentage and computes in binary floating point
//!    (`toFixed((n / d) · 100, 2)`, then `toFixed(r · P / 100, 2)`, or `r · P / T` under the
//!    threshold). The exact rule disagrees on 4 of 328 published `TTTT` scores (Thanh Thủy 5.99,
//!    Bình Tuyền 5.19, Nông Trang 6.05, Vĩnh Thành 6.26: a percentage such as 65.75 % gives
//!    6 · 0.6575 = 3.945, published 3.94, because the binary value lies below the half; 78.25 %
//!    gives 4.695, published 4.70, because it lies above). Half-to-even does not explain them
//!    (it disagrees on 18 or more: 2 · 25 % / 80 % = 0.625 is published 0.63), nor does rounding
//!    the percentage first and then half-up (Bình Tuyền and Lai Đồng left). The portal's own
//!    arithmetic, reproduced in integers ([`crate::exact::portal_score`], checked against this
//!    machine's binary64 by proptests), agrees on all of them. It is a rule of the `portal-2026`
//!    profile: its three `TTTT` metrics have the arithmetic `percent-first-binary64`
//!    ([`crate::score766::Arithmetic`]), so `chiso score766` gives the portal's payment scores
//!    too; the check says which arithmetic gave each value (`method`). Its denominators: dossiers
//!    `totalDossierFinancialObligation`, procedures `totalFeeFormality` (equal to
//!    `totalFeeDossierFormalityDistinct` in every row seen).
//! 3. **Thresholds** are those of score766.md (`REUSED_DATA` 80 %, `DOSSIER_SATISFIED` 90 %,
//!    `ONLINE_PROCEDURES` 80 %, `ONLINE_DOSSIERS` 50 %, both payment-procedure metrics 80 %), full
//!    points from the threshold up; a tie at a threshold gives the full points.
//! 4. **The province's `averageScore`** (`transparency`: 7.89 for the group, 5.93 for one
//!    procedure) is not the province's own score (7.96): it is the mean of the published group
//!    scores of all the units listed below it (15 departments and 148 communes), half-up to
//!    hundredths. It is recomputed as that mean of the recomputed scores.
//! 5. **`dataQualityStatus`** (`TEMP_NATIONAL_REPORT_DENOMINATOR`, `NO_NATIONAL_REPORT_DATA` on
//!    `DOSSIER_SYNC`) does not change the scoring: the published numbers are scored as given (a
//!    unit without national report data has 0 / 0 and `score: null`, i.e. 0). The notes are kept.
//! 6. **`ELECTRONIC_CERTIFIED_COPY`** is published with `numerator: null, denominator: null,
//!    ratio: 100, score: 2` for every unit: carried as "full by publication" (`"full"` in the
//!    counts JSON), not as counts. Only a null pair is read so; counts, if the portal ever gives
//!    them, are kept as counts.
//! 7. The online-services group (`provide-online-tree`) gives counts only for the root: each
//!    commune's and department's `totalScore` is published, not recomputable.
//! 8. `ON_TIME` is `totalOnTime / totalReceived` (`totalOnTime + totalOverdue = totalReceived` in
//!    every child row); the group score is published once per unit (`score` for a child,
//!    `totalScore` for the root).
//! 9. In a **one-procedure view** (`procedure-2.000815`) the digitisation response does not
//!    list the procedure-count metric (`CITIZEN_DATA_CONNECTED_FORMALITY`) and publishes the group
//!    out of 20 (`totalMaxScore`): a group score is the sum of the metrics the response lists for
//!    the unit, which is how it is recomputed ([`Published::parts`]); the metric left out is
//!    absent from the counts (so `missing` when they are scored).
//! 10. A scored metric of a `metrics[]` list that chiso does not know is listed as published, not
//!     recomputable, never dropped silently.
//!
//! With these, every recomputable published value of both captured views is reproduced (3 118 of
//! 3 281 and 2 298 of 2 461; the 163 others are the online-services scores published alone).
//!
//! A unit's 100-point total is not published by any endpoint; the check computes it when all six
//! responses are given.

mod check;
mod read;
#[cfg(test)]
mod tests;

pub use check::{CheckItem, CheckReport, Method, Outcome, UnitTotal, check};
pub use read::{PortalFile, import};

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use crate::exact::Hundredths;
use crate::period::Period;
use crate::score766::{Counts, PUBLISHED_FULL, Ratio, UnitCounts};

/// One of the portal's evaluation endpoints, named by its folder (`transparency`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    /// `transparency`: `CKMB`.
    Transparency,
    /// `dvc-progress-tree`: `TDGQ`.
    Progress,
    /// `provide-online-tree`: `CLGQ`.
    ProvideOnline,
    /// `dossier-digitized`: `MDSH`.
    Digitized,
    /// `formality-online-payment-tree`: `TTTT`.
    Payment,
    /// `handling-satisfaction`: `MDHL`.
    Satisfaction,
}

impl Endpoint {
    /// Every endpoint, in the groups' order.
    pub const ALL: [Self; 6] =
        [Self::Transparency, Self::Progress, Self::ProvideOnline, Self::Digitized, Self::Payment, Self::Satisfaction];

    /// The folder name, as the portal's API path names it.
    #[must_use]
    pub const fn folder(self) -> &'static str {
        match self {
            Self::Transparency => "transparency",
            Self::Progress => "dvc-progress-tree",
            Self::ProvideOnline => "provide-online-tree",
            Self::Digitized => "dossier-digitized",
            Self::Payment => "formality-online-payment-tree",
            Self::Satisfaction => "handling-satisfaction",
        }
    }

    /// The chiso group it scores.
    #[must_use]
    pub const fn group(self) -> &'static str {
        match self {
            Self::Transparency => "CKMB",
            Self::Progress => "TDGQ",
            Self::ProvideOnline => "CLGQ",
            Self::Digitized => "MDSH",
            Self::Payment => "TTTT",
            Self::Satisfaction => "MDHL",
        }
    }

    /// The endpoint of a folder name.
    #[must_use]
    pub fn from_folder(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.folder() == name)
    }
}

impl Serialize for Endpoint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.folder())
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.folder())
    }
}

/// A metric's imported value: counts, or full points by publication (`ELECTRONIC_CERTIFIED_COPY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricValue {
    /// `[numerator, denominator]`.
    Counts(Ratio),
    /// Published as full points with no counts: `"full"` in the counts JSON.
    Full,
}

impl Serialize for MetricValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Counts(r) => [r.numerator, r.denominator].serialize(s),
            Self::Full => s.serialize_str(PUBLISHED_FULL),
        }
    }
}

/// One unit of the responses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalUnit {
    /// `departmentId`.
    pub unit: String,
    /// `departmentName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `departmentCode` (`H44.01`), where a response gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The root's id for a listed unit; none for the root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// chiso's level: `province` (the root), `agency` (a provincial department), `commune`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// The portal's level as given (`PROVINCE`, `COMMUNE`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portal_level: Option<String>,
    /// Metric code → value.
    pub metrics: BTreeMap<String, MetricValue>,
}

/// What a published value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PublishedKind {
    /// One metric's score.
    Metric,
    /// A group's score.
    Group,
    /// The mean of the group scores of the units listed under the root (`averageScore`).
    Average,
}

/// A value the portal published, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Published {
    /// The unit's id.
    pub unit: String,
    /// The response.
    pub endpoint: Endpoint,
    /// The JSON path of the value in the response (`data.evaluation[3].metrics[2].score`).
    pub path: String,
    /// Metric, group or average.
    pub kind: PublishedKind,
    /// The chiso metric or group code.
    pub code: String,
    /// The value; `None` where the portal published `null` (read as 0 points).
    #[serde(serialize_with = "opt_points")]
    pub value: Option<Hundredths>,
    /// Whether the response gives the counts to recompute it.
    pub recomputable: bool,
    /// For a group: the metrics it is the sum of (those the response lists for the unit).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<String>,
}

/// A data-quality note of the portal (`dataQualityStatus`, `dataQualityMessage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The unit's id.
    pub unit: String,
    /// The response.
    pub endpoint: Endpoint,
    /// The chiso metric code.
    pub metric: String,
    /// `dataQualityStatus`.
    pub status: String,
    /// `dataQualityMessage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The responses, read: every unit with its counts, every published value, the notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalImport {
    /// The period given.
    pub period: Period,
    /// The endpoints read, in the groups' order.
    pub endpoints: Vec<Endpoint>,
    /// Every unit, the root first, then in the order first listed.
    pub units: Vec<PortalUnit>,
    /// Every published value.
    pub published: Vec<Published>,
    /// The portal's data-quality notes.
    pub notes: Vec<Note>,
}

fn opt_points<S: Serializer>(h: &Option<Hundredths>, s: S) -> Result<S::Ok, S::Error> {
    match h {
        Some(h) => h.serialize(s),
        None => s.serialize_none(),
    }
}

/// Pretty JSON with each `[numerator, denominator]` on one line, as formats.md writes counts.
fn compact_pairs(pretty: &str) -> String {
    let lines: Vec<&str> = pretty.lines().collect();
    let mut out = String::with_capacity(pretty.len());
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        let number = |k: usize, comma: bool| {
            lines
                .get(k)
                .map(|l| l.trim())
                .map(|t| if comma { t.strip_suffix(',') } else { Some(t) })
                .and_then(|t| t.filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())))
        };
        let close = lines.get(i + 3).map(|l| l.trim()).filter(|t| *t == "]" || *t == "],");
        match (line.strip_suffix('['), number(i + 1, true), number(i + 2, false), close) {
            (Some(head), Some(n), Some(d), Some(end)) => {
                out.push_str(&format!("{head}[{n}, {d}{end}\n"));
                i += 4;
            }
            _ => {
                out.push_str(line);
                out.push('\n');
                i += 1;
            }
        }
    }
    if !pretty.ends_with('\n') {
        out.pop();
    }
    out
}

impl PortalImport {
    /// The counts JSON (formats.md, "Decision 766 counts") of every unit, pretty printed.
    #[must_use]
    pub fn counts_json(&self) -> String {
        #[derive(Serialize)]
        struct Unit<'a> {
            unit: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            name: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            code: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            parent: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            level: Option<&'a str>,
            metrics: &'a BTreeMap<String, MetricValue>,
        }
        #[derive(Serialize)]
        struct File<'a> {
            period: Period,
            units: Vec<Unit<'a>>,
        }
        let units = self
            .units
            .iter()
            .map(|u| Unit {
                unit: &u.unit,
                name: u.name.as_deref(),
                code: u.code.as_deref(),
                parent: u.parent.as_deref(),
                level: u.level.as_deref(),
                metrics: &u.metrics,
            })
            .collect();
        compact_pairs(&serde_json::to_string_pretty(&File { period: self.period, units }).unwrap_or_default())
    }

    /// The whole import (units, published values with their paths, notes) as pretty JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The counts to score: a metric full by publication is in each unit's `published` set, so the
    /// scorer gives it its full points.
    #[must_use]
    pub fn counts(&self) -> Counts {
        let units = self
            .units
            .iter()
            .map(|u| {
                let mut counts = UnitCounts {
                    unit: u.unit.clone(),
                    name: u.name.clone(),
                    parent: u.parent.clone(),
                    level: u.level.clone(),
                    ..UnitCounts::default()
                };
                for (code, value) in &u.metrics {
                    match value {
                        MetricValue::Counts(r) => {
                            counts.metrics.insert(code.clone(), *r);
                        }
                        MetricValue::Full => {
                            counts.published.insert(code.clone());
                        }
                    }
                }
                counts
            })
            .collect();
        Counts { period: self.period, units }
    }
}
