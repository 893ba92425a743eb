//! The records behind a derived indicator's shortfall (`chiso explain --indicator`): the
//! dossiers not processed fully online, the unsatisfied ratings, the eligible procedures not
//! offered full-process online, each with its reason, so that the list is exactly denominator −
//! numerator long.
//!
//! A second streaming pass over the same records with the same classification as the derivation
//! (and so as the scorer); memory is bounded by the items listed (`limit`) and the unit's subtree.
//! The unit's figure is its subtree's, as the evaluation rolls it up; the period may be a month,
//! a quarter or a year.

use std::collections::HashSet;
use std::io::Read;

use serde::Serialize;

use super::{Classifier, DossierSource, Field, Rule, Seen, for_each_dossier};
use crate::input::{InputError, Rejection};
use crate::labels::ErrorText;
use crate::period::Period;
use crate::score766::{RecordContext, ServiceLevel};
use crate::units::Level;

/// Why a record is in a shortfall list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShortfallReason {
    /// A dossier not filed online (channel direct, postal or empty).
    NotOnlineChannel,
    /// Filed online, but its procedure returns a paper result and it has no electronic result.
    PaperResultWithoutEResult,
    /// An online dossier rated unsatisfied.
    RatedUnsatisfied,
    /// An eligible procedure not offered full-process online.
    NotOfferedFullOnline,
}

impl ShortfallReason {
    /// The stable code (the JSON value).
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::NotOnlineChannel => "not_online_channel",
            Self::PaperResultWithoutEResult => "paper_result_without_e_result",
            Self::RatedUnsatisfied => "rated_unsatisfied",
            Self::NotOfferedFullOnline => "not_offered_full_online",
        }
    }
}

/// One record behind the shortfall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShortfallItem {
    /// `dossier` or `procedure`.
    pub record: &'static str,
    /// The dossier's id, or the procedure's code.
    pub id: String,
    /// The unit it counts for.
    pub unit: String,
    /// The procedure's code.
    pub procedure: String,
    /// The dossier's month (none for a procedure).
    pub month: Option<Period>,
    /// Why it falls short.
    pub reason: ShortfallReason,
    /// The file it was read from and its row (none for a procedure).
    pub source: Option<String>,
    /// Its row in that file.
    pub row: Option<u64>,
}

/// The shortfall of one derived indicator for one unit and period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Shortfall {
    /// The indicator.
    pub indicator: String,
    /// The rule that derives it.
    pub rule: Rule,
    /// The unit (its subtree's records).
    pub unit: String,
    /// The period.
    pub period: Period,
    /// The derived numerator.
    pub numerator: u64,
    /// The derived denominator.
    pub denominator: u64,
    /// The records behind denominator − numerator (up to the limit).
    pub items: Vec<ShortfallItem>,
    /// Items counted but not listed (beyond the limit).
    pub omitted: u64,
    /// Rows that could not be classified (not counted, as in the derivation): the lowest rows',
    /// at most 10 000.
    pub rejected: Vec<Rejection>,
    /// Rejected rows counted but not listed.
    pub rejected_omitted: u64,
}

impl Shortfall {
    /// The JSON of the shortfall (what `chiso explain --format json` prints, less its newline).
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// What the dossier pass of an explanation counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Over {
    Online,
    Ratings(Option<&'static [Field]>),
    Procedures,
}

/// The pass that lists one indicator's shortfall.
#[derive(Debug)]
pub struct Explainer {
    context: RecordContext,
    classifier: Classifier,
    over: Over,
    units: HashSet<String>,
    out: Shortfall,
    limit: usize,
}

impl Explainer {
    /// An explanation of `indicator` for `unit` (and its subtree) over `period`, listing at most
    /// `limit` records. Fails (an English message) for an indicator records do not determine
    /// item by item (`service_quality_improves` is points: see `chiso score766 explain`) or a unit
    /// the units file does not have.
    pub fn new(
        context: RecordContext,
        indicator: &str,
        unit: &str,
        period: Period,
        limit: Option<usize>,
    ) -> Result<Self, String> {
        let rule = Rule::for_indicator(indicator);
        let over = match (indicator, rule) {
            ("dossiers_fully_online", _) => Over::Online,
            ("procedures_full_online", _) => Over::Procedures,
            ("satisfaction", _) => Over::Ratings(None),
            ("satisfaction_land", _) => Over::Ratings(Some(&[Field::Land])),
            ("satisfaction_construction", _) => Over::Ratings(Some(&[Field::Construction])),
            ("satisfaction_investment", _) => Over::Ratings(Some(&[Field::Investment])),
            ("satisfaction_land_construction_investment", _) => Over::Ratings(Some(&Field::ALL)),
            _ => return Err(ErrorText::NotListable.en(&[("indicator", &indicator)])),
        };
        let units = subtree(&context, unit)?;
        let out = Shortfall {
            indicator: indicator.to_owned(),
            rule: rule.unwrap_or(Rule::OnlineDossiers),
            unit: unit.to_owned(),
            period,
            numerator: 0,
            denominator: 0,
            items: Vec::new(),
            omitted: 0,
            rejected: Vec::new(),
            rejected_omitted: 0,
        };
        let classifier = Classifier::new(&context);
        Ok(Self { context, classifier, over, units, out, limit: limit.unwrap_or(usize::MAX) })
    }

    /// Whether the explanation reads dossiers (the procedures' does not).
    #[must_use]
    pub fn reads_dossiers(&self) -> bool {
        self.over != Over::Procedures
    }

    /// Reads every dossier of `reader`.
    pub fn read_dossiers<R: Read>(&mut self, reader: R, src: DossierSource<'_>) -> Result<(), InputError> {
        let Self { classifier, over, units, out, limit, .. } = self;
        let (over, limit) = (*over, *limit);
        let (mut rejected, mut omitted) = (std::mem::take(&mut out.rejected), out.rejected_omitted);
        let mut on_reject = |r| super::keep_rejection(&mut rejected, &mut omitted, r);
        let outcome = for_each_dossier(reader, src, &mut on_reject, |row, fields| {
            let seen = classifier.see(fields)?;
            if !out.period.contains(seen.month) || !units.contains(classifier.unit_name(seen.unit)) {
                return Ok(());
            }
            let Some((counted, short)) = judge(over, &seen) else { return Ok(()) };
            out.denominator += 1;
            out.numerator += u64::from(counted);
            if let Some(reason) = short {
                let [id, _, procedure, ..] = *fields;
                let item = ShortfallItem {
                    record: "dossier",
                    id: String::from_utf8_lossy(id).into_owned(),
                    unit: classifier.unit_name(seen.unit).to_owned(),
                    procedure: String::from_utf8_lossy(procedure).into_owned(),
                    month: Some(seen.month),
                    reason,
                    source: Some(src.name.to_owned()),
                    row: Some(row),
                };
                push(out, item, limit);
            }
            Ok(())
        });
        crate::observation::trim_rejections(&mut rejected, &mut omitted, crate::observation::MAX_LISTED_REJECTIONS);
        (self.out.rejected, self.out.rejected_omitted) = (rejected, omitted);
        outcome
    }

    /// The shortfall.
    #[must_use]
    pub fn finish(mut self) -> Shortfall {
        if self.over == Over::Procedures {
            self.list_procedures();
        }
        self.out
    }

    /// The eligible procedures of each unit of the subtree not offered full-process online, by
    /// the derivation's reading of a unit's procedures.
    fn list_procedures(&mut self) {
        let Some(table) = self.context.procedures() else { return };
        // Per unit of the subtree: its level (`None`: every level, without a units file) and
        // whether it is a root (which takes the procedures of no level).
        let owners: Vec<(String, Option<Level>, bool)> = match self.context.units() {
            Some(tree) => tree
                .units()
                .iter()
                .enumerate()
                .filter(|(_, u)| self.units.contains(&u.id))
                .map(|(i, u)| (u.id.clone(), Some(u.level.clone()), tree.parent(i).is_none()))
                .collect(),
            None => vec![(self.out.unit.clone(), None, true)],
        };
        for (unit, level, root) in owners {
            for p in table.list().iter().filter(|p| p.eligible_full) {
                let own = match (&level, &p.authority_level) {
                    (None, _) => true,
                    (Some(_), None) => root,
                    (Some(mine), Some(theirs)) => mine == theirs,
                };
                if !own {
                    continue;
                }
                self.out.denominator += 1;
                if p.service_level == ServiceLevel::Full {
                    self.out.numerator += 1;
                    continue;
                }
                let item = ShortfallItem {
                    record: "procedure",
                    id: p.procedure.clone(),
                    unit: unit.clone(),
                    procedure: p.procedure.clone(),
                    month: None,
                    reason: ShortfallReason::NotOfferedFullOnline,
                    source: None,
                    row: None,
                };
                push(&mut self.out, item, self.limit);
            }
        }
    }
}

fn push(out: &mut Shortfall, item: ShortfallItem, limit: usize) {
    if out.items.len() < limit {
        out.items.push(item);
    } else {
        out.omitted += 1;
    }
}

/// Whether a dossier counts in the denominator: `Some((in the numerator, why not))`.
fn judge(over: Over, seen: &Seen) -> Option<(bool, Option<ShortfallReason>)> {
    match over {
        Over::Online => {
            if seen.fully_online() {
                Some((true, None))
            } else if seen.channel_online {
                Some((false, Some(ShortfallReason::PaperResultWithoutEResult)))
            } else {
                Some((false, Some(ShortfallReason::NotOnlineChannel)))
            }
        }
        Over::Ratings(fields) => {
            let satisfied = seen.online_rating()?;
            if let Some(fields) = fields {
                if !seen.field.is_some_and(|f| fields.contains(&f)) {
                    return None;
                }
            }
            Some((satisfied, (!satisfied).then_some(ShortfallReason::RatedUnsatisfied)))
        }
        Over::Procedures => None,
    }
}

/// The ids of `unit` and every unit below it (the unit alone without a units file).
fn subtree(context: &RecordContext, unit: &str) -> Result<HashSet<String>, String> {
    let Some(tree) = context.units() else { return Ok(HashSet::from([unit.to_owned()])) };
    let Some(root) = tree.index(unit) else {
        return Err(crate::labels::RejectionText::UnknownUnit.en(&[("unit", &unit)]));
    };
    let mut out = HashSet::new();
    let mut stack = vec![root];
    while let Some(i) = stack.pop() {
        if let Some(u) = tree.unit(i) {
            out.insert(u.id.clone());
        }
        stack.extend(tree.children(i).iter().copied());
    }
    Ok(out)
}
