//! Every published value recomputed from the imported counts and compared at two decimals.

use std::collections::{BTreeMap, HashMap};

use serde::{Serialize, Serializer};

use super::read::group_metrics;
use super::{Endpoint, MetricValue, Note, PortalImport, Published, PublishedKind};
use crate::exact::{Hundredths, round_half_up};
use crate::labels::{Lang, Word, fill};
use crate::period::Period;
use crate::score766::{Arithmetic, Profile, score};

/// How a published value compares with chiso's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Equal at two decimals (`null` published reads as 0).
    Reproduced,
    /// Different: both values and the counts behind are listed.
    Disagreement,
    /// Published, but the response does not give what it is computed from.
    NotRecomputable,
}

impl Outcome {
    /// The outcome's words.
    #[must_use]
    pub const fn label(self) -> Word {
        match self {
            Self::Reproduced => Word::Reproduced,
            Self::Disagreement => Word::Disagreement,
            Self::NotRecomputable => Word::NotRecomputable,
        }
    }
}

/// How chiso computed a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// The profile's exact scorer (score766.md).
    Exact,
    /// The portal's online-payment arithmetic (the profile's `percent-first-binary64`): a
    /// two-decimal percentage first, binary64 after.
    PortalPaymentArithmetic,
    /// The mean of the units' group scores, half-up.
    MeanOfUnits,
}

/// One published value, compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckItem {
    /// The published value and where it came from.
    #[serde(flatten)]
    pub published: Published,
    /// The unit's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// chiso's value, when recomputable.
    #[serde(serialize_with = "opt_points")]
    pub computed: Option<Hundredths>,
    /// How chiso computed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// The comparison.
    pub outcome: Outcome,
    /// The counts behind a disagreement (the metric's, or the group's metrics').
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub counts: BTreeMap<String, MetricValue>,
}

/// A unit's recomputed total, when all six responses were given and every group recomputable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitTotal {
    /// The unit's id.
    pub unit: String,
    /// The unit's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The sum of its six group scores.
    pub total: Hundredths,
}

/// The whole check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// The profile scored with.
    pub profile: String,
    /// The period given.
    pub period: Period,
    /// The responses read.
    pub endpoints: Vec<Endpoint>,
    /// Published values.
    pub total: usize,
    /// Reproduced at two decimals.
    pub reproduced: usize,
    /// Different.
    pub disagreements: usize,
    /// Published, not recomputable.
    pub not_recomputable: usize,
    /// Every published value, in the order read.
    pub items: Vec<CheckItem>,
    /// Units' 100-point totals (only when all six responses were given).
    pub totals: Vec<UnitTotal>,
    /// The portal's data-quality notes.
    pub notes: Vec<Note>,
}

#[expect(clippy::ref_option, reason = "the signature serde's `serialize_with` calls")]
fn opt_points<S: Serializer>(h: &Option<Hundredths>, s: S) -> Result<S::Ok, S::Error> {
    match h {
        Some(h) => h.serialize(s),
        None => s.serialize_none(),
    }
}

/// chiso's scores of one unit: metric code → hundredths.
#[derive(Default)]
struct Computed {
    metrics: HashMap<String, i64>,
}

/// Scores every unit with the profile's scorer: metric code → hundredths, per unit.
fn compute(import: &PortalImport, profile: &Profile) -> HashMap<String, Computed> {
    let card = score(profile, &import.counts(), Vec::new());
    let mut out: HashMap<String, Computed> = HashMap::new();
    for u in &card.units {
        let c = out.entry(u.unit.clone()).or_default();
        for m in u.groups.iter().flat_map(|g| &g.metrics) {
            c.metrics.insert(m.code.clone(), m.score.0);
        }
    }
    out
}

/// The counts behind a value: its metric's, or its group's metrics'.
fn behind(import_unit: Option<&super::PortalUnit>, p: &Published) -> BTreeMap<String, MetricValue> {
    let Some(u) = import_unit else { return BTreeMap::new() };
    let codes: Vec<&str> = match p.kind {
        PublishedKind::Metric => vec![p.code.as_str()],
        PublishedKind::Group if !p.parts.is_empty() => p.parts.iter().map(String::as_str).collect(),
        PublishedKind::Group | PublishedKind::Average => group_metrics(p.endpoint).to_vec(),
    };
    codes.into_iter().filter_map(|c| u.metrics.get(c).map(|v| (c.to_owned(), *v))).collect()
}

/// A group's score: the sum of the metrics it is made of, as the response lists them.
fn group_value(scores: &HashMap<String, Computed>, p: &Published) -> Option<i64> {
    let c = scores.get(&p.unit)?;
    p.parts.iter().map(|code| c.metrics.get(code).copied()).sum()
}

/// The recomputed group scores by (unit, endpoint), for the units whose group is recomputable.
fn group_values(import: &PortalImport, scores: &HashMap<String, Computed>) -> HashMap<(String, Endpoint), i64> {
    import
        .published
        .iter()
        .filter(|p| p.kind == PublishedKind::Group && p.recomputable)
        .filter_map(|p| Some(((p.unit.clone(), p.endpoint), group_value(scores, p)?)))
        .collect()
}

/// The mean of the group scores of the units listed under `root`, half-up; `None` when one of
/// them is not recomputable.
fn mean_below(
    import: &PortalImport,
    groups: &HashMap<(String, Endpoint), i64>,
    root: &str,
    endpoint: Endpoint,
) -> Option<i64> {
    let mut sum = 0u128;
    let mut count = 0u128;
    for u in import.units.iter().filter(|u| u.parent.as_deref() == Some(root)) {
        sum += u128::try_from(*groups.get(&(u.unit.clone(), endpoint))?).ok()?;
        count += 1;
    }
    let mean = round_half_up(sum, count)?;
    i64::try_from(mean).ok()
}

/// How the profile computes a metric, or a group's metrics.
fn method_of(profile: &Profile, p: &Published) -> Method {
    let codes: Vec<&str> = match p.kind {
        PublishedKind::Metric => vec![p.code.as_str()],
        PublishedKind::Group | PublishedKind::Average => p.parts.iter().map(String::as_str).collect(),
    };
    let binary = profile
        .metrics
        .iter()
        .any(|m| codes.contains(&m.code.as_str()) && m.arithmetic == Arithmetic::PercentFirstBinary64);
    if binary { Method::PortalPaymentArithmetic } else { Method::Exact }
}

/// Recomputes every published value of `import` under `profile` (the portal's is `portal-2026`)
/// and compares at two decimals.
#[must_use]
pub fn check(import: &PortalImport, profile: &Profile) -> CheckReport {
    let scores = compute(import, profile);
    let groups = group_values(import, &scores);
    let units: HashMap<&str, &super::PortalUnit> = import.units.iter().map(|u| (u.unit.as_str(), u)).collect();
    let mut items = Vec::with_capacity(import.published.len());
    for p in &import.published {
        let unit = units.get(p.unit.as_str()).copied();
        let (computed, method) = if p.recomputable {
            let method = match p.kind {
                PublishedKind::Average => Method::MeanOfUnits,
                PublishedKind::Metric | PublishedKind::Group => method_of(profile, p),
            };
            let value = match p.kind {
                PublishedKind::Metric => scores.get(&p.unit).and_then(|c| c.metrics.get(&p.code)).copied(),
                PublishedKind::Group => groups.get(&(p.unit.clone(), p.endpoint)).copied(),
                PublishedKind::Average => mean_below(import, &groups, &p.unit, p.endpoint),
            };
            (value, Some(method))
        } else {
            (None, None)
        };
        let outcome = match computed {
            None => Outcome::NotRecomputable,
            Some(v) if v == p.value.map_or(0, |h| h.0) => Outcome::Reproduced,
            Some(_) => Outcome::Disagreement,
        };
        let counts = if outcome == Outcome::Disagreement { behind(unit, p) } else { BTreeMap::new() };
        items.push(CheckItem {
            published: p.clone(),
            name: unit.and_then(|u| u.name.clone()),
            computed: computed.map(Hundredths),
            method: computed.and(method),
            outcome,
            counts,
        });
    }
    let count = |o: Outcome| items.iter().filter(|i| i.outcome == o).count();
    let totals = totals(import, &groups);
    CheckReport {
        profile: profile.name.clone(),
        period: import.period,
        endpoints: import.endpoints.clone(),
        total: items.len(),
        reproduced: count(Outcome::Reproduced),
        disagreements: count(Outcome::Disagreement),
        not_recomputable: count(Outcome::NotRecomputable),
        items,
        totals,
        notes: import.notes.clone(),
    }
}

/// The 100-point totals, when every endpoint was given: the sum of a unit's six recomputed group
/// scores, for the units whose every group is recomputable.
fn totals(import: &PortalImport, groups: &HashMap<(String, Endpoint), i64>) -> Vec<UnitTotal> {
    if import.endpoints.len() != Endpoint::ALL.len() {
        return Vec::new();
    }
    import
        .units
        .iter()
        .filter_map(|u| {
            let total =
                Endpoint::ALL.iter().map(|e| groups.get(&(u.unit.clone(), *e)).copied()).sum::<Option<i64>>()?;
            Some(UnitTotal { unit: u.unit.clone(), name: u.name.clone(), total: Hundredths(total) })
        })
        .collect()
}

impl CheckReport {
    /// The report as pretty JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The summary line in `lang`: `N of M published values reproduced, K not recomputable`.
    #[must_use]
    pub fn summary(&self, lang: Lang) -> String {
        fill(
            Word::PortalSummary.get(lang),
            &[("reproduced", &self.reproduced), ("total", &self.total), ("unrecomputable", &self.not_recomputable)],
        )
    }

    /// A readable report: per response, how many values of each outcome; every disagreement with
    /// both values and the counts behind; the notes; the summary line last (in English as well
    /// when `lang` is another language, so that scripts can read it). Markdown with `markdown`.
    #[must_use]
    pub fn render(&self, lang: Lang, markdown: bool) -> String {
        let mut out = String::new();
        let heading = fill(Word::PortalCheckHeading.get(lang), &[("period", &self.period), ("profile", &self.profile)]);
        out.push_str(&if markdown { format!("# {heading}\n\n") } else { format!("{heading}\n\n") });
        self.render_counts(lang, markdown, &mut out);
        self.render_disagreements(lang, markdown, &mut out);
        if !self.notes.is_empty() {
            let mut by_status: BTreeMap<(&str, &str), usize> = BTreeMap::new();
            for n in &self.notes {
                *by_status.entry((n.status.as_str(), n.metric.as_str())).or_default() += 1;
            }
            out.push_str(&format!("{}{}\n", if markdown { "## " } else { "" }, Word::PortalNotes.get(lang)));
            if markdown {
                out.push('\n');
            }
            for ((status, metric), n) in by_status {
                out.push_str(&format!("{}{status} ({metric}): {n}\n", if markdown { "- " } else { "  " }));
            }
            out.push('\n');
        }
        if lang != Lang::En {
            out.push_str(&self.summary(lang));
            out.push_str(if markdown { "\n\n" } else { "\n" });
        }
        out.push_str(&self.summary(Lang::En));
        out.push('\n');
        out
    }

    fn render_counts(&self, lang: Lang, markdown: bool, out: &mut String) {
        let outcomes = [Outcome::Reproduced, Outcome::Disagreement, Outcome::NotRecomputable];
        let mut head = vec![Word::Endpoint.get(lang).to_owned(), Word::Group.get(lang).to_owned()];
        head.extend(outcomes.iter().map(|o| o.label().get(lang).to_owned()));
        let mut rows = vec![head];
        for e in &self.endpoints {
            let mut row = vec![e.folder().to_owned(), e.group().to_owned()];
            for o in outcomes {
                let n = self.items.iter().filter(|i| i.published.endpoint == *e && i.outcome == o).count();
                row.push(n.to_string());
            }
            rows.push(row);
        }
        table(&rows, markdown, out);
        out.push('\n');
    }

    fn render_disagreements(&self, lang: Lang, markdown: bool, out: &mut String) {
        let bad: Vec<&CheckItem> = self.items.iter().filter(|i| i.outcome == Outcome::Disagreement).collect();
        if bad.is_empty() {
            return;
        }
        out.push_str(&format!("{}{}\n", if markdown { "## " } else { "" }, Word::Disagreements.get(lang)));
        if markdown {
            out.push('\n');
        }
        let mut rows = vec![
            [Word::Unit, Word::Endpoint, Word::Metric, Word::Published, Word::Computed, Word::CountsBehind]
                .map(|w| w.get(lang).to_owned())
                .to_vec(),
        ];
        for i in bad {
            let p = &i.published;
            let counts: Vec<String> = i
                .counts
                .iter()
                .map(|(c, v)| match v {
                    MetricValue::Counts(r) => format!("{c} {}/{}", r.numerator, r.denominator),
                    MetricValue::Full => format!("{c} full"),
                })
                .collect();
            rows.push(vec![
                i.name.clone().unwrap_or_else(|| p.unit.clone()),
                format!("{} ({})", p.endpoint, p.path),
                p.code.clone(),
                p.value.map_or_else(|| "null".to_owned(), |h| h.to_string()),
                i.computed.map_or_else(String::new, |h| h.to_string()),
                counts.join(", "),
            ]);
        }
        table(&rows, markdown, out);
        out.push('\n');
    }
}

/// A plain table with aligned columns, or a Markdown table.
fn table(rows: &[Vec<String>], markdown: bool, out: &mut String) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    for (n, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w.saturating_sub(cell.chars().count()))))
            .collect();
        if markdown {
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
            if n == 0 {
                let rule: Vec<String> = widths.iter().map(|w| "-".repeat((*w).max(3))).collect();
                out.push_str(&format!("| {} |\n", rule.join(" | ")));
            }
        } else {
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        }
    }
}
