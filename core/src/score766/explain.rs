//! Explain a number: the records behind the shortfall (denominator − numerator) of one Decision
//! 766 metric, for one unit (with the units below it, as the counts roll up) and one period.
//!
//! The records are read again, on the scorer's own path (the same readers, the same
//! [`DossierAggregate::classify_dossier`] and [`DossierAggregate::classify_feedback`]); a record
//! is listed when the one classification counts it in the metric's denominator and not in its
//! numerator, with the metric → counters table the counts are made from
//! ([`DOSSIER_METRICS`], [`FEEDBACK_METRICS`]). So the number listed is exactly
//! `denominator − numerator`, which the tests check for every metric counted from records. The
//! distinct-procedure metrics list the unit's procedures (from the procedures file) that miss the
//! numerator, from the flags of the dossiers read. Metrics that records cannot give (the portal's
//! publication figures and `E_CERTIFIED_COPY`, from a counts file) are refused, naming where their
//! number comes from.
//!
//! Memory is bounded by the rows listed: `limit` keeps the first rows in reading order, and
//! `total_shortfall` still counts every one.
//!
//! The JSON shape is documented on [`Explanation`].

use serde::{Deserialize, Serialize};

use super::aggregate::{
    Classified, DOSSIER_METRICS, Dossier, DossierAggregate, FEEDBACK_METRICS, FeedbackClassified, PROCEDURE_METRICS,
    RECORDLESS, RecordContext, counter, flag,
};
use super::counts::{Counts, Ratio};
use super::profile::Profile;
use super::records::{Channel, DOSSIER_FIELDS, FeedbackRecord, FieldError, ServiceLevel};
use super::scorer::DossierSink;
use crate::input::Rejection;
use crate::labels::{ErrorText, Word};
use crate::period::Period;

/// What to explain: a unit, a metric code, and how many rows to list at most.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExplainRequest {
    /// The unit's id (its records and those of the units below it are read).
    pub unit: String,
    /// The metric code (`ON_TIME`).
    pub metric: String,
    /// List at most this many rows, the first in reading order (`None`: every one).
    pub limit: Option<u64>,
}

/// Which records a metric is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExplainSource {
    /// Dossier records.
    Dossiers,
    /// Feedback records.
    Feedback,
    /// The procedures file, with the flags of the dossier records.
    Procedures,
}

/// Why a record is in the denominator and not in the numerator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shortfall {
    /// Late: more than one supplement request.
    LateSupplements,
    /// Late: finished after its due date plus the supplement days.
    LateFinished,
    /// Late: still open past its due date (plus the supplement days) at the end of its month.
    LateOpen,
    /// Rated unsatisfied.
    UnsatisfiedRating,
    /// A complaint was filed about it.
    Complaint,
    /// Filed in person or by post.
    NotOnline,
    /// Its procedure returns a paper result and it has no electronic result.
    PaperWithoutEResult,
    /// Online, but its procedure is not offered as a full-process service.
    NotFullService,
    /// Not synced to the national portal.
    NotSynced,
    /// Not digitised.
    NotDigitized,
    /// Digitised data not reused.
    NotReused,
    /// The personal data store not used.
    NotSharedStorage,
    /// The population data not used.
    NoCitizenData,
    /// A fee not paid online.
    FeeNotPaidOnline,
    /// Feedback handled after its due date.
    FeedbackLate,
    /// Feedback still open past its due date at the end of its month.
    FeedbackOpenLate,
    /// The sender of the feedback was not satisfied.
    FeedbackUnsatisfied,
    /// The sender raised the feedback again.
    FeedbackRaisedAgain,
    /// A procedure not offered online.
    ProcedureNotOnline,
    /// An online procedure without an online dossier in the period.
    NoOnlineDossier,
    /// A fee procedure without a dossier paid online in the period.
    NoPaidOnlineDossier,
    /// A fee procedure whose payment is not integrated.
    PaymentNotIntegrated,
    /// A procedure for citizens without a dossier using the population data in the period.
    NoCitizenDataDossier,
}

impl Shortfall {
    /// Every reason, in catalogue order.
    pub const ALL: [Self; 23] = [
        Self::LateSupplements,
        Self::LateFinished,
        Self::LateOpen,
        Self::UnsatisfiedRating,
        Self::Complaint,
        Self::NotOnline,
        Self::PaperWithoutEResult,
        Self::NotFullService,
        Self::NotSynced,
        Self::NotDigitized,
        Self::NotReused,
        Self::NotSharedStorage,
        Self::NoCitizenData,
        Self::FeeNotPaidOnline,
        Self::FeedbackLate,
        Self::FeedbackOpenLate,
        Self::FeedbackUnsatisfied,
        Self::FeedbackRaisedAgain,
        Self::ProcedureNotOnline,
        Self::NoOnlineDossier,
        Self::NoPaidOnlineDossier,
        Self::PaymentNotIntegrated,
        Self::NoCitizenDataDossier,
    ];

    /// Its words, in Vietnamese and English.
    #[must_use]
    pub const fn label(self) -> Word {
        match self {
            Self::LateSupplements => Word::ShortfallLateSupplements,
            Self::LateFinished => Word::ShortfallLateFinished,
            Self::LateOpen => Word::ShortfallLateOpen,
            Self::UnsatisfiedRating => Word::ShortfallUnsatisfiedRating,
            Self::Complaint => Word::ShortfallComplaint,
            Self::NotOnline => Word::ShortfallNotOnline,
            Self::PaperWithoutEResult => Word::ShortfallPaperWithoutEResult,
            Self::NotFullService => Word::ShortfallNotFullService,
            Self::NotSynced => Word::ShortfallNotSynced,
            Self::NotDigitized => Word::ShortfallNotDigitized,
            Self::NotReused => Word::ShortfallNotReused,
            Self::NotSharedStorage => Word::ShortfallNotSharedStorage,
            Self::NoCitizenData => Word::ShortfallNoCitizenData,
            Self::FeeNotPaidOnline => Word::ShortfallFeeNotPaidOnline,
            Self::FeedbackLate => Word::ShortfallFeedbackLate,
            Self::FeedbackOpenLate => Word::ShortfallFeedbackOpenLate,
            Self::FeedbackUnsatisfied => Word::ShortfallFeedbackUnsatisfied,
            Self::FeedbackRaisedAgain => Word::ShortfallFeedbackRaisedAgain,
            Self::ProcedureNotOnline => Word::ShortfallProcedureNotOnline,
            Self::NoOnlineDossier => Word::ShortfallNoOnlineDossier,
            Self::NoPaidOnlineDossier => Word::ShortfallNoPaidOnlineDossier,
            Self::PaymentNotIntegrated => Word::ShortfallPaymentNotIntegrated,
            Self::NoCitizenDataDossier => Word::ShortfallNoCitizenDataDossier,
        }
    }
}

/// One record behind the shortfall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainItem {
    /// The file it was read from (its name in the session).
    pub file: String,
    /// Its row (the header is row 1; a JSON lines file's line); null for a procedure.
    pub row: Option<u64>,
    /// The dossier id, the feedback id, or the procedure code.
    pub id: String,
    /// Its unit (the unit explained or one below it); null for a procedure.
    pub unit: Option<String>,
    /// Its procedure code (null for a feedback item).
    pub procedure: Option<String>,
    /// Why it misses the numerator.
    pub reason: Shortfall,
    /// The reason in Vietnamese.
    pub reason_vi: String,
    /// The reason in English.
    pub reason_en: String,
    /// `received_at` as written (null for a procedure).
    pub received_at: Option<String>,
    /// `due_at` as written.
    pub due_at: Option<String>,
    /// `finished_at` as written.
    pub finished_at: Option<String>,
    /// `supplement_requests` as written (dossiers only).
    pub supplement_requests: Option<String>,
    /// `supplement_days` as written (dossiers only).
    pub supplement_days: Option<String>,
    /// `channel` as written (dossiers only).
    pub channel: Option<String>,
}

/// The records behind one metric's shortfall for one unit and period.
///
/// # JSON
///
/// Written by `chiso score766 explain --format json`, `chiso_scorer_explain` and `explainJson()`:
///
/// ```json
/// { "profile": "portal-2026", "period": "2026-10", "unit": "xa-1", "metric": "ON_TIME",
///   "source": "dossiers", "numerator": 40, "denominator": 43, "total_shortfall": 3, "listed": 2,
///   "limit": 2, "rejected": 0,
///   "items": [ { "file": "dossiers.csv", "row": 7, "id": "HS-0005", "unit": "khom-2",
///                "procedure": "1.0001", "reason": "late_finished",
///                "reason_vi": "trễ hạn: hoàn thành sau hạn cộng thời gian bổ sung",
///                "reason_en": "late: finished after the due date plus the supplement days",
///                "received_at": "2026-10-01", "due_at": "2026-10-05", "finished_at": "2026-10-09",
///                "supplement_requests": "1", "supplement_days": "2", "channel": "online" } ] }
/// ```
///
/// `source` is `dossiers`, `feedback` or `procedures`; an item's fields are the record's text as
/// written (null where the record has no such field: a feedback item has no procedure, a
/// procedure no row number); `rejected` counts the rows rejected by the pass (they are in neither
/// the numerator nor the list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The profile.
    pub profile: String,
    /// The period.
    pub period: Period,
    /// The unit explained.
    pub unit: String,
    /// The metric code.
    pub metric: String,
    /// Which records it is counted from.
    pub source: ExplainSource,
    /// The numerator, as the scorecard counts it.
    pub numerator: u64,
    /// The denominator, as the scorecard counts it.
    pub denominator: u64,
    /// The records in the denominator and not in the numerator, all of them.
    pub total_shortfall: u64,
    /// The number of items listed (`total_shortfall`, or the limit when lower).
    pub listed: u64,
    /// The limit asked for.
    pub limit: Option<u64>,
    /// Rows rejected while reading (they count nowhere).
    pub rejected: u64,
    /// The items, in reading order.
    pub items: Vec<ExplainItem>,
}

impl Explanation {
    /// The explanation as pretty JSON (the shape in the module documentation), what
    /// `chiso score766 explain --format json` prints less its final newline.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The metric's place in the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Counted per dossier: numerator and denominator counters.
    Dossier(u32, u32),
    /// Counted per feedback item.
    Feedback(u32, u32),
    /// A distinct-procedure metric, by its position in [`PROCEDURE_METRICS`].
    Procedure(usize),
}

impl Target {
    fn of(code: &str) -> Option<Self> {
        let find = |table: &[(&str, u32, u32)]| table.iter().find(|(c, ..)| *c == code).map(|(_, n, d)| (*n, *d));
        find(&DOSSIER_METRICS)
            .map(|(n, d)| Self::Dossier(n, d))
            .or_else(|| find(&FEEDBACK_METRICS).map(|(n, d)| Self::Feedback(n, d)))
            .or_else(|| PROCEDURE_METRICS.iter().position(|c| *c == code).map(Self::Procedure))
    }

    const fn source(self) -> ExplainSource {
        match self {
            Self::Dossier(..) => ExplainSource::Dossiers,
            Self::Feedback(..) => ExplainSource::Feedback,
            Self::Procedure(_) => ExplainSource::Procedures,
        }
    }
}

const fn bit(c: u32) -> u32 {
    1 << c
}

/// Whether a record with counter bits `mask` is in the denominator and not in the numerator.
const fn short(mask: u32, numerator: u32, denominator: u32) -> bool {
    mask & bit(denominator) != 0 && mask & bit(numerator) == 0
}

/// The explaining state of a pass: the target, the rows listed so far and their total.
#[derive(Debug, Clone)]
pub(crate) struct Explainer {
    request: ExplainRequest,
    target: Target,
    period: Period,
    profile: String,
    /// Per unit of the tree: the unit explained or one below it; `None` without a tree (the unit
    /// is then matched by name, alone).
    in_subtree: Option<Vec<bool>>,
    items: Vec<ExplainItem>,
    total: u64,
    /// Per procedure (its index in the table): the flags of the subtree's dossiers of the period.
    flags: Vec<u8>,
}

impl Explainer {
    /// Checks the request against the profile and the context: a metric of the profile, counted
    /// from records, a unit of the tree (when there is one), a procedures file for the
    /// distinct-procedure metrics. The message says what is wrong.
    pub(crate) fn new(
        request: ExplainRequest,
        profile: &Profile,
        period: Period,
        context: &RecordContext,
    ) -> Result<Self, String> {
        let code = request.metric.as_str();
        if !profile.metrics.iter().any(|m| m.code == code) {
            let codes: Vec<&str> = profile.metrics.iter().map(|m| m.code.as_str()).collect();
            let values: [(&str, &dyn std::fmt::Display); 3] =
                [("metric", &code), ("profile", &profile.name), ("codes", &codes.join(", "))];
            return Err(ErrorText::ExplainUnknownMetric.en(&values));
        }
        let target = match Target::of(code) {
            Some(t) if !RECORDLESS.contains(&code) => t,
            _ => return Err(ErrorText::ExplainNotFromRecords.en(&[("metric", &code)])),
        };
        if matches!(target, Target::Procedure(_)) && context.procedures().is_none() {
            return Err(ErrorText::ExplainNeedsProcedures.en(&[("metric", &code)]));
        }
        let in_subtree = match context.units() {
            None => None,
            Some(tree) => {
                let Some(root) = tree.index(&request.unit) else {
                    return Err(ErrorText::ExplainUnknownUnit.en(&[("unit", &request.unit)]));
                };
                let below = |i: usize| i == root || tree.ancestors(i).any(|a| a == root);
                Some((0..tree.len()).map(below).collect())
            }
        };
        Ok(Self {
            request,
            target,
            period,
            profile: profile.name.clone(),
            in_subtree,
            items: Vec::new(),
            total: 0,
            flags: Vec::new(),
        })
    }

    /// The same request with nothing read yet, for another part of the records.
    pub(crate) fn fork(&self) -> Self {
        Self { items: Vec::new(), total: 0, flags: Vec::new(), ..self.clone() }
    }

    /// Whether interned unit `unit` is the unit explained or below it.
    fn in_unit(&self, agg: &DossierAggregate, unit: u32) -> bool {
        match &self.in_subtree {
            Some(v) => v.get(unit as usize).copied().unwrap_or(false),
            None => agg.unit_name(unit) == self.request.unit,
        }
    }

    /// Counts one more row behind the shortfall, and keeps it if the limit allows.
    fn push(&mut self, item: impl FnOnce() -> ExplainItem) {
        self.total = self.total.saturating_add(1);
        let room = self.request.limit.is_none_or(|l| (self.items.len() as u64) < l);
        if room {
            self.items.push(item());
        }
    }

    /// One dossier read and classified at `row` of `source`.
    fn dossier(
        &mut self,
        agg: &DossierAggregate,
        d: &Dossier,
        c: Classified,
        fields: &[&[u8]; DOSSIER_FIELDS],
        row: u64,
        source: &str,
    ) {
        if !self.period.contains_date(d.received.local_date()) || !self.in_unit(agg, d.unit) {
            return;
        }
        match self.target {
            Target::Dossier(numerator, denominator) if short(c.mask, numerator, denominator) => {
                let reason = dossier_reason(&self.request.metric, d, c.mask);
                self.push(|| dossier_item(fields, row, source, reason));
            }
            Target::Procedure(_) => {
                let p = d.procedure as usize;
                if self.flags.len() <= p {
                    self.flags.resize(p + 1, 0);
                }
                if let Some(f) = self.flags.get_mut(p) {
                    *f |= c.flags;
                }
            }
            Target::Dossier(..) | Target::Feedback(..) => {}
        }
    }

    /// One feedback item read and classified at `row` of `source`.
    pub(crate) fn feedback(
        &mut self,
        agg: &DossierAggregate,
        c: &FeedbackClassified,
        r: &FeedbackRecord,
        row: u64,
        source: &str,
    ) {
        let Target::Feedback(numerator, denominator) = self.target else { return };
        if !short(c.mask, numerator, denominator) || !self.period.contains_date(c.date) || !self.in_unit(agg, c.unit) {
            return;
        }
        let late = c.mask & bit(counter::FEEDBACK_ON_TIME) == 0;
        let reason = match (late, c.open) {
            (true, true) => Shortfall::FeedbackOpenLate,
            (true, false) => Shortfall::FeedbackLate,
            (false, _) if c.unsatisfied => Shortfall::FeedbackUnsatisfied,
            (false, _) => Shortfall::FeedbackRaisedAgain,
        };
        let text = |s: &str| Some(s.trim().to_owned());
        self.push(|| ExplainItem {
            file: source.to_owned(),
            row: Some(row),
            id: r.feedback_id.trim().to_owned(),
            unit: text(&r.unit),
            procedure: None,
            received_at: text(&r.received_at),
            due_at: text(&r.due_at),
            finished_at: text(&r.finished_at),
            supplement_requests: None,
            supplement_days: None,
            channel: None,
            ..item_with(source, reason)
        });
    }

    /// Adds the rows of a pass over another part of the records (read after this one's).
    pub(crate) fn merge(&mut self, other: Self) {
        self.total = self.total.saturating_add(other.total);
        let room = self.request.limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
        let take = room.saturating_sub(self.items.len());
        self.items.extend(other.items.into_iter().take(take));
        if self.flags.len() < other.flags.len() {
            self.flags.resize(other.flags.len(), 0);
        }
        for (a, b) in self.flags.iter_mut().zip(other.flags) {
            *a |= b;
        }
    }

    /// The explanation, with the numerator and denominator of `counts` (the scorecard's counts of
    /// the same pass). `procedures` names the procedures file in the items.
    pub(crate) fn finish(
        mut self,
        agg: &DossierAggregate,
        counts: &Counts,
        context: &RecordContext,
        procedures: &str,
    ) -> Result<Explanation, String> {
        let code = self.request.metric.clone();
        if matches!(self.target, Target::Feedback(..)) && !agg.feedback_was_read() {
            return Err(ErrorText::ExplainNeedsFeedback.en(&[("metric", &code)]));
        }
        let unit = counts.units.iter().find(|u| u.unit == self.request.unit);
        let ratio = match unit {
            Some(u) => u.metrics.get(&code).copied().unwrap_or_default(),
            // A unit of the tree that the scorecard does not list (a neighbourhood without
            // records in the period) has nothing to count.
            None if self.in_subtree.is_some() => Ratio::default(),
            None => return Err(ErrorText::ExplainUnknownUnit.en(&[("unit", &self.request.unit)])),
        };
        // A unit the scorecard does not list has no number to explain: its procedures are not
        // counted either.
        if let (Target::Procedure(which), Some(_)) = (self.target, unit) {
            self.list_procedures(which, context, procedures);
        }
        let rejected = (agg.rejected().len() as u64).saturating_add(agg.rejected_omitted());
        Ok(Explanation {
            profile: self.profile,
            period: self.period,
            unit: self.request.unit,
            metric: code,
            source: self.target.source(),
            numerator: ratio.numerator,
            denominator: ratio.denominator,
            total_shortfall: self.total,
            listed: self.items.len() as u64,
            limit: self.request.limit,
            rejected,
            items: self.items,
        })
    }

    /// Lists the unit's procedures that miss distinct-procedure metric `which`: a procedure is
    /// the unit's when its authority level is empty or the level of the unit or of a unit below
    /// it (every procedure without a unit tree), as the counts take them.
    fn list_procedures(&mut self, which: usize, context: &RecordContext, source: &str) {
        let Some(table) = context.procedures() else { return };
        let levels: Option<Vec<&crate::units::Level>> = context.units().map(|tree| {
            let inside = self.in_subtree.as_deref().unwrap_or_default();
            tree.units().iter().zip(inside).filter(|(_, i)| **i).map(|(u, _)| &u.level).collect()
        });
        for (i, p) in table.list().iter().enumerate() {
            let theirs = match (&levels, &p.authority_level) {
                (Some(levels), Some(level)) => levels.contains(&level),
                _ => true,
            };
            if !theirs {
                continue;
            }
            let f = self.flags.get(i).copied().unwrap_or(0);
            let online = p.service_level != ServiceLevel::None;
            let reason = match which {
                0 if !online => Shortfall::ProcedureNotOnline,
                1 if online && f & flag::ONLINE_DOSSIER == 0 => Shortfall::NoOnlineDossier,
                2 if p.fee && f & flag::PAID_ONLINE == 0 => Shortfall::NoPaidOnlineDossier,
                3 if p.fee && !p.payment_integrated => Shortfall::PaymentNotIntegrated,
                4 if p.citizen_applicants && f & flag::CITIZEN_DATA == 0 => Shortfall::NoCitizenDataDossier,
                _ => continue,
            };
            self.push(|| ExplainItem {
                id: p.procedure.clone(),
                procedure: Some(p.procedure.clone()),
                row: None,
                ..item_with(source, reason)
            });
        }
    }
}

/// Which rule made a late dossier late: the first of the three that applies.
fn late_reason(d: &Dossier) -> Shortfall {
    if d.requests > 1 {
        Shortfall::LateSupplements
    } else if d.finished.is_some() {
        Shortfall::LateFinished
    } else {
        Shortfall::LateOpen
    }
}

/// Why a dossier counted in `metric`'s denominator misses its numerator.
fn dossier_reason(metric: &str, d: &Dossier, mask: u32) -> Shortfall {
    let paper_without_e_result = mask & bit(counter::PAPER) != 0 && !d.e_result;
    let not_online = || {
        if d.channel != Channel::Online {
            Shortfall::NotOnline
        } else if paper_without_e_result {
            Shortfall::PaperWithoutEResult
        } else {
            Shortfall::NotFullService
        }
    };
    match metric {
        "DOSSIER_SATISFIED" if d.unsatisfied => Shortfall::UnsatisfiedRating,
        "DOSSIER_SATISFIED" if d.complaint => Shortfall::Complaint,
        "ONLINE_DOSSIERS" | "FULL_ONLINE_DOSSIERS" => not_online(),
        "DOSSIER_SYNC" => Shortfall::NotSynced,
        "E_RESULT" => Shortfall::PaperWithoutEResult,
        "DIGITIZED" if !d.digitized => Shortfall::NotDigitized,
        "DIGITIZED" => Shortfall::PaperWithoutEResult,
        "REUSED_DATA" => Shortfall::NotReused,
        "SHARED_STORAGE" => Shortfall::NotSharedStorage,
        "CITIZEN_DATA_DOSSIERS" => Shortfall::NoCitizenData,
        "PAID_ONLINE" => Shortfall::FeeNotPaidOnline,
        // ON_TIME, and DOSSIER_SATISFIED of a late dossier.
        _ => late_reason(d),
    }
}

/// An item of `source` for `reason`, its record fields empty.
fn item_with(source: &str, reason: Shortfall) -> ExplainItem {
    let text = reason.label().text();
    ExplainItem {
        file: source.to_owned(),
        row: None,
        id: String::new(),
        unit: None,
        procedure: None,
        reason,
        reason_vi: text.vi.to_owned(),
        reason_en: text.en.to_owned(),
        received_at: None,
        due_at: None,
        finished_at: None,
        supplement_requests: None,
        supplement_days: None,
        channel: None,
    }
}

/// A dossier's item, from its fields (UTF-8, checked by the reader) as written.
fn dossier_item(fields: &[&[u8]; DOSSIER_FIELDS], row: u64, source: &str, reason: Shortfall) -> ExplainItem {
    let [id, unit, procedure, received, due, finished, channel, requests, days, ..] = *fields;
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    ExplainItem {
        row: Some(row),
        id: text(id),
        unit: Some(text(unit)),
        procedure: Some(text(procedure)),
        received_at: Some(text(received)),
        due_at: Some(text(due)),
        finished_at: Some(text(finished)),
        supplement_requests: Some(text(requests)),
        supplement_days: Some(text(days)),
        channel: Some(text(channel)),
        ..item_with(source, reason)
    }
}

/// The scorer's sink while explaining: every dossier counted as the scorer counts it, then
/// classified again for the explainer.
pub(crate) struct Explaining<'a> {
    /// The aggregate of the pass.
    pub agg: &'a mut DossierAggregate,
    /// The explainer.
    pub explainer: &'a mut Explainer,
}

impl DossierSink for Explaining<'_> {
    fn add_fields(&mut self, fields: &[&[u8]; DOSSIER_FIELDS], row: u64, source: &str) -> Result<(), FieldError> {
        self.agg.add_fields(fields, row, source)?;
        let (d, c) = self.agg.classify_dossier(fields)?;
        self.explainer.dossier(self.agg, &d, c, fields, row, source);
        Ok(())
    }

    fn reject_row(&mut self, r: Rejection) {
        self.agg.reject(r);
    }
}

#[cfg(test)]
mod tests {
    use crate::api::{RecordFormat, Score766Builder, Score766Session};
    use crate::score766::{ExplainRequest, Explanation, Shortfall};

    const HEADER: &str = "dossier_id,unit,procedure,received_at,due_at,finished_at,channel,supplement_requests,\
                          supplement_days,e_result,digitized\n";

    fn request(unit: &str, metric: &str) -> ExplainRequest {
        ExplainRequest { unit: unit.to_owned(), metric: metric.to_owned(), limit: None }
    }

    fn explain(session: &mut Score766Session) -> Explanation {
        session.explain().unwrap()
    }

    #[test]
    fn without_units_a_unit_is_matched_alone_and_every_reader_agrees() {
        let csv = format!(
            "{HEADER}a1,a,p,2026-08-01,2026-08-02,2026-08-05,direct,0,,0,0\n\
             b1,b,p,2026-08-01,2026-08-02,2026-08-05,direct,0,,0,0\n\
             a2,a,p,2026-08-03,,2026-08-04,online,0,,1,1\n\
             a3,a,p,2026-07-31,2026-08-01,,online,3,,0,1\n"
        );
        let mut s = Score766Builder::new("2026-08").explain(request("a", "ON_TIME")).build().unwrap();
        s.push_csv(csv.as_bytes()).unwrap();
        let e = explain(&mut s);
        // a3 was received in July: not in the period.
        assert_eq!((e.numerator, e.denominator, e.total_shortfall), (1, 2, 1));
        assert_eq!(
            (e.items[0].id.as_str(), e.items[0].row, e.items[0].reason),
            ("a1", Some(2), Shortfall::LateFinished)
        );
        // The same records as JSON lines, pushed in two sessions merged: the same list.
        let jsonl: String = csv
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                format!(
                    "{{\"dossier_id\":\"{}\",\"unit\":\"{}\",\"procedure\":\"{}\",\"received_at\":\"{}\",\"due_at\":\"{}\",\"finished_at\":\"{}\",\"channel\":\"{}\",\"supplement_requests\":\"{}\"}}\n",
                    f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]
                )
            })
            .collect();
        let mut s = Score766Builder::new("2026-08").explain(request("a", "ON_TIME")).build().unwrap();
        s.read_dossiers(jsonl.as_bytes(), RecordFormat::JsonLines, 1, &mut |_| {}).unwrap();
        let from_json = explain(&mut s);
        assert_eq!((from_json.total_shortfall, from_json.items[0].row), (1, Some(1)));
        // Online and digitised: the reasons of the other metrics.
        let mut s = Score766Builder::new("2026-08").explain(request("a", "ONLINE_DOSSIERS")).build().unwrap();
        s.push_csv(csv.as_bytes()).unwrap();
        let e = explain(&mut s);
        assert_eq!(
            e.items.iter().map(|i| (i.id.as_str(), i.reason)).collect::<Vec<_>>(),
            [("a1", Shortfall::NotOnline)]
        );
        assert_eq!(e.items[0].channel.as_deref(), Some("direct"));
        // An unknown unit without a units file: named by no record.
        let mut s = Score766Builder::new("2026-08").explain(request("zz", "ON_TIME")).build().unwrap();
        s.push_csv(csv.as_bytes()).unwrap();
        assert!(s.explain().unwrap_err().to_string().contains("unit `zz`"));
    }

    #[test]
    fn explaining_is_set_once_before_records_and_finished_by_explain_only() {
        let mut s = Score766Builder::new("2026-08").build().unwrap();
        s.push_csv(HEADER.as_bytes()).unwrap();
        assert_eq!(s.set_explain(request("a", "ON_TIME")).unwrap_err().code(), crate::ErrorCode::Misuse);
        assert_eq!(s.explain().unwrap_err().code(), crate::ErrorCode::Misuse);
        let mut s = Score766Builder::new("2026-08").build().unwrap();
        s.set_explain(request("a", "ON_TIME")).unwrap();
        assert_eq!(s.set_explain(request("a", "ON_TIME")).unwrap_err().code(), crate::ErrorCode::Misuse);
        s.push_csv(HEADER.as_bytes()).unwrap();
        assert!(s.explain().unwrap_err().to_string().contains("unit `a`"));
    }

    #[test]
    fn a_dossier_workbook_lists_the_rows_of_its_sheet() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exports");
        let (csv, xlsx) =
            (std::fs::read(dir.join("dossiers.csv")).unwrap(), std::fs::read(dir.join("dossiers.xlsx")).unwrap());
        let run = |bytes: &[u8], metric: &str| {
            let mut s = Score766Builder::new("2026-08").explain(request("k1", metric)).build().unwrap();
            s.read_dossiers(bytes, RecordFormat::Csv, 2, &mut |_| {}).unwrap();
            explain(&mut s)
        };
        for metric in ["ON_TIME", "ONLINE_DOSSIERS", "DOSSIER_SYNC"] {
            let (from_csv, from_sheet) = (run(&csv, metric), run(&xlsx, metric));
            assert!(from_csv.total_shortfall > 0, "{metric}");
            assert_eq!(from_csv.total_shortfall, from_csv.denominator - from_csv.numerator, "{metric}");
            assert_eq!(
                (from_sheet.numerator, from_sheet.denominator, from_sheet.total_shortfall),
                (from_csv.numerator, from_csv.denominator, from_csv.total_shortfall),
                "{metric}"
            );
            let ids = |e: &Explanation| e.items.iter().map(|i| (i.id.clone(), i.reason)).collect::<Vec<_>>();
            assert_eq!(ids(&from_sheet), ids(&from_csv), "{metric}");
            assert!(from_sheet.items.iter().all(|i| i.file.starts_with("dossiers.csv#")), "{:?}", from_sheet.items);
        }
    }

    #[test]
    fn procedures_are_the_units_and_an_unlisted_unit_has_none() {
        let units = b"id,name,parent,level\nt,T,,commune\nk1,K1,t,neighbourhood\nk2,K2,t,neighbourhood\n";
        let procedures = b"procedure,authority_level,service_level,fee,payment_integrated\n\
                           p1,commune,full,1,0\np2,neighbourhood,partial,0,0\np3,commune,none,0,0\n";
        let dossiers = format!("{HEADER}d1,k1,p2,2026-08-03,,,online,0,,0,0\n");
        let run = |unit: &str, metric: &str| {
            let mut s = Score766Builder::new("2026-08")
                .units(Some(units))
                .procedures(Some(procedures))
                .explain(request(unit, metric))
                .build()
                .unwrap();
            s.push_csv(dossiers.as_bytes()).unwrap();
            explain(&mut s)
        };
        let listed = |e: &Explanation| e.items.iter().map(|i| (i.id.clone(), i.reason)).collect::<Vec<_>>();
        let used = run("t", "ONLINE_SERVICES_USED");
        assert_eq!((used.numerator, used.denominator, used.total_shortfall), (1, 2, 1));
        assert_eq!(listed(&used), [("p1".to_owned(), Shortfall::NoOnlineDossier)]);
        assert_eq!(used.items[0].row, None);
        let online = run("t", "ONLINE_PROCEDURES");
        assert_eq!(listed(&online), [("p3".to_owned(), Shortfall::ProcedureNotOnline)]);
        let integrated = run("t", "PROCEDURES_PAYMENT_INTEGRATED");
        assert_eq!(listed(&integrated), [("p1".to_owned(), Shortfall::PaymentNotIntegrated)]);
        // k1 has p2 only (a neighbourhood's procedures), used online.
        let k1 = run("k1", "ONLINE_SERVICES_USED");
        assert_eq!((k1.numerator, k1.denominator, k1.total_shortfall), (1, 1, 0));
        // k2 handled nothing: the scorecard does not list it, and nothing is listed for it.
        let k2 = run("k2", "ONLINE_SERVICES_USED");
        assert_eq!((k2.numerator, k2.denominator, k2.total_shortfall, k2.items.len()), (0, 0, 0, 0));
    }

    #[test]
    fn every_reason_has_words_in_both_languages() {
        for r in Shortfall::ALL {
            let text = r.label().text();
            assert!(!text.vi.is_empty() && !text.en.is_empty() && text.vi != text.en, "{r:?}");
        }
        let mut seen = std::collections::HashSet::new();
        assert!(Shortfall::ALL.iter().all(|r| seen.insert(r.label())));
    }
}
