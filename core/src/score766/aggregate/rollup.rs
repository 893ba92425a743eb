//! Aggregate → counts: the period's months summed, every unit's counts rolled up to its
//! ancestors, and the distinct-procedure metrics from the procedures under each unit's authority.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rustc_hash::FxHashMap;

use super::{Cell, DossierAggregate, Interner, RecordContext, counter, flag, month_of_key};
use crate::input::Rejection;
use crate::labels::RejectionText;
use crate::period::Period;
use crate::score766::counts::{Counts, Ratio, Reported, UnitCounts};
use crate::score766::records::{ProcedureTable, ServiceLevel};
use crate::units::{Level, UnitTree};

impl DossierAggregate {
    /// The counts of `period` for every unit (the unit tree's, or those named by records and by
    /// `extra`), each including its descendants'. `extra` (a counts file) fills the metrics that
    /// records cannot give: the publication metrics and `E_CERTIFIED_COPY`; its units that are not
    /// in the unit tree are rejected.
    #[must_use]
    pub fn counts(&self, context: &RecordContext, period: Period, extra: Option<(&Counts, &str)>) -> CountsOutcome {
        let out = OutUnits::new(context, self, extra);
        let rolled = self.roll_up(&out, period);
        let rejected = extra.map_or_else(Vec::new, |(c, source)| unknown_units(c, source, context, &out));
        let extra_by_unit: FxHashMap<&str, &UnitCounts> =
            extra.map(|(c, _)| c.units.iter().map(|u| (u.unit.as_str(), u)).collect()).unwrap_or_default();
        // Neighbourhoods (khóm, ấp, tổ dân phố) are not units the portal scores: one is listed only
        // when its subtree handled a dossier or a feedback item in the period, or the counts file
        // names it. Every other unit of the tree is listed, idle or not, as the portal lists it.
        // Units not listed are never built (a province has far more neighbourhoods than communes).
        let listed = |o: usize| {
            let c = rolled.cell(o);
            out.levels.get(o).and_then(Option::as_ref) != Some(&Level::Neighbourhood)
                || c.get(counter::DOSSIERS) > 0
                || c.get(counter::FEEDBACK) > 0
                || out.ids.get(o).is_some_and(|id| extra_by_unit.contains_key(id.as_str()))
        };
        let procedures = context.procedures.as_ref().map(|table| ProcedureIndex::new(table, &out, &self.procedures));
        let units = out
            .order
            .iter()
            .copied()
            .filter(|o| listed(*o))
            .map(|o| {
                let extra = out.ids.get(o).and_then(|id| extra_by_unit.get(id.as_str())).copied();
                self.unit_counts(&out, &rolled, o, procedures.as_ref(), extra)
            })
            .collect();
        CountsOutcome { counts: Counts { period, units }, rejected }
    }

    /// The counters and distinct-procedure flags of `period`, each unit's added to itself and to
    /// every ancestor; only units with records below them have any (most of a tree's
    /// neighbourhoods have none).
    fn roll_up(&self, out: &OutUnits<'_>, period: Period) -> Rolled {
        let mut rolled = Rolled::new(out.ids.len());
        let local_to_out: Vec<Option<usize>> = if out.same_ids(&self.units) {
            (0..self.units.names.len()).map(Some).collect()
        } else {
            self.units.names.iter().map(|name| out.index.get(name.as_str()).copied()).collect()
        };
        let in_period = |m: u32| {
            let (y, mo) = month_of_key(m);
            period.contains(Period::Month(y, mo))
        };
        for (u, months) in self.cells.iter().enumerate() {
            let Some(o) = local_to_out.get(u).copied().flatten() else { continue };
            for mc in months.iter().filter(|mc| in_period(mc.month)) {
                for target in std::iter::once(o).chain(out.ancestors(o)) {
                    let Some((cell, flags)) = rolled.get_mut(target) else { continue };
                    cell.add(&mc.cell);
                    // Distinct-procedure flags, OR-ed over the period and the subtree.
                    if flags.len() < mc.procs.len() {
                        flags.resize(mc.procs.len(), 0);
                    }
                    for (a, b) in flags.iter_mut().zip(&mc.procs) {
                        *a |= *b;
                    }
                }
            }
        }
        rolled
    }

    /// One listed unit's metrics and reported figures.
    fn unit_counts(
        &self,
        out: &OutUnits<'_>,
        rolled: &Rolled,
        o: usize,
        procedures: Option<&ProcedureIndex>,
        extra: Option<&UnitCounts>,
    ) -> UnitCounts {
        use counter as k;
        let c = rolled.cell(o);
        let mut metrics = BTreeMap::new();
        let mut invalid: BTreeMap<String, Vec<Rejection>> = BTreeMap::new();
        // A unit (with its descendants) whose only dossiers, or only feedback items, of the period
        // were rejected has those metrics `invalid`: the rejected rows are in the scorecard's
        // `rejected` list.
        let only_rejected = |all: u32, rejected: u32| c.get(all) == 0 && c.get(rejected) > 0;
        let (dossiers_invalid, feedback_invalid) =
            (only_rejected(k::DOSSIERS, k::REJECTED_DOSSIERS), only_rejected(k::FEEDBACK, k::REJECTED_FEEDBACK));
        let mut put = |code: &str, num: u32, den: u32| {
            let from_feedback = den == k::FEEDBACK;
            if (from_feedback && feedback_invalid) || (!from_feedback && dossiers_invalid) {
                invalid.insert(code.to_owned(), Vec::new());
            } else {
                metrics.insert(code.to_owned(), Ratio::new(c.get(num), c.get(den)));
            }
        };
        for (code, num, den) in DOSSIER_METRICS {
            put(code, num, den);
        }
        if self.feedback_read {
            for (code, num, den) in FEEDBACK_METRICS {
                put(code, num, den);
            }
        }
        if let Some(index) = procedures {
            index.metrics(&mut metrics, o, rolled.flags(o));
        }
        let mut unit = UnitCounts { metrics, invalid, ..UnitCounts::default() };
        if let Some(e) = extra {
            // The counts file fills every metric the records did not give (publication metrics,
            // `E_CERTIFIED_COPY`, and feedback or procedure metrics when those files were not
            // given); what the records counted wins.
            let codes: BTreeSet<&String> = e.metrics.keys().chain(&e.published).chain(e.invalid.keys()).collect();
            for code in codes {
                if !unit.has(code) {
                    unit.fill_from(e, code);
                }
            }
        }
        let reported = Reported {
            completed_dossiers: c.get(k::COMPLETED),
            processing_seconds: c.processing_seconds,
            average_processing_days: None,
            channel_online: c.get(k::CHANNEL_ONLINE),
            channel_direct: c.get(k::CHANNEL_DIRECT),
            channel_postal: c.get(k::CHANNEL_POSTAL),
            online_on_time: c.get(k::ONLINE_ON_TIME),
            online_late: c.get(k::ONLINE).saturating_sub(c.get(k::ONLINE_ON_TIME)),
            feedback_about_rules: c.get(k::FEEDBACK_RULES),
            feedback_about_staff: c.get(k::FEEDBACK_STAFF),
            feedback_about_other: c.get(k::FEEDBACK_OTHER),
        }
        .with_average();
        UnitCounts {
            unit: out.ids.get(o).cloned().unwrap_or_default(),
            name: out.names.get(o).cloned().flatten(),
            parent: out.parent(o).and_then(|p| out.ids.get(p).cloned()),
            level: out.levels.get(o).cloned().flatten().map(|l| l.as_str().to_owned()),
            reported: Some(reported),
            ..unit
        }
    }
}

/// The units of a counts file (named `source`) that a unit tree does not have, rejected; none
/// without a unit tree (every unit named is then a unit).
fn unknown_units(counts: &Counts, source: &str, context: &RecordContext, out: &OutUnits<'_>) -> Vec<Rejection> {
    if context.units.is_none() {
        return Vec::new();
    }
    let unknown = counts.units.iter().enumerate().filter(|(_, u)| !out.index.contains_key(u.unit.as_str()));
    unknown
        .map(|(i, u)| Rejection {
            source: source.to_owned(),
            row: u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1),
            column: Some("unit".to_owned()),
            reason: RejectionText::UnknownUnit.en(&[("unit", &u.unit)]),
        })
        .collect()
}

/// The rolled-up counters and procedure flags of the units that have any, found by unit index.
struct Rolled {
    /// Per unit: its position in `dense`, or `u32::MAX` when it has nothing.
    slot: Vec<u32>,
    dense: Vec<(Cell, Vec<u64>)>,
}

impl Rolled {
    fn new(n: usize) -> Self {
        Self { slot: vec![u32::MAX; n], dense: Vec::new() }
    }

    /// The unit's counters and flags, created empty on first use; `None` for an unknown unit.
    fn get_mut(&mut self, o: usize) -> Option<&mut (Cell, Vec<u64>)> {
        let slot = self.slot.get_mut(o)?;
        if *slot == u32::MAX {
            *slot = u32::try_from(self.dense.len()).ok()?;
            self.dense.push((Cell::default(), Vec::new()));
        }
        self.dense.get_mut(*slot as usize)
    }

    fn get(&self, o: usize) -> Option<&(Cell, Vec<u64>)> {
        self.slot.get(o).and_then(|s| self.dense.get(*s as usize))
    }

    /// The unit's counters (zero when it has none).
    fn cell(&self, o: usize) -> Cell {
        self.get(o).map(|(c, _)| *c).unwrap_or_default()
    }

    /// The unit's procedure flag words (none when it has none).
    fn flags(&self, o: usize) -> &[u64] {
        self.get(o).map_or(&[], |(_, f)| f.as_slice())
    }
}

/// Counts computed from records, with the rows of the counts file that were rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountsOutcome {
    /// The counts.
    pub counts: Counts,
    /// Rows of the counts file naming units outside the unit tree.
    pub rejected: Vec<Rejection>,
}

/// The metrics counted per dossier: code, numerator counter, denominator counter. The one table
/// that the counts and `explain` (which lists the dossiers counted in the denominator and not in
/// the numerator) read, so that they cannot drift apart.
pub(crate) const DOSSIER_METRICS: [(&str, u32, u32); 11] = [
    ("ON_TIME", counter::ON_TIME, counter::DOSSIERS),
    ("DOSSIER_SATISFIED", counter::SATISFIED, counter::DOSSIERS),
    ("ONLINE_DOSSIERS", counter::ONLINE, counter::DOSSIERS),
    ("DOSSIER_SYNC", counter::SYNCED, counter::DOSSIERS),
    ("E_RESULT", counter::PAPER_E_RESULT, counter::PAPER),
    ("DIGITIZED", counter::DIGITIZED, counter::DOSSIERS),
    ("REUSED_DATA", counter::REUSED, counter::DOSSIERS),
    ("SHARED_STORAGE", counter::SHARED, counter::DOSSIERS),
    ("CITIZEN_DATA_DOSSIERS", counter::CITIZEN, counter::DOSSIERS),
    ("PAID_ONLINE", counter::FEE_PAID_ONLINE, counter::FEE),
    ("FULL_ONLINE_DOSSIERS", counter::FULL_ONLINE, counter::ELIGIBLE_FULL),
];

/// The metrics counted per feedback item (only when a feedback file was read), as
/// [`DOSSIER_METRICS`].
pub(crate) const FEEDBACK_METRICS: [(&str, u32, u32); 2] = [
    ("FEEDBACK_ON_TIME", counter::FEEDBACK_ON_TIME, counter::FEEDBACK),
    ("FEEDBACK_SATISFIED", counter::FEEDBACK_SATISFIED, counter::FEEDBACK),
];

/// The distinct-procedure metrics (only with a procedures file), in the order
/// [`ProcedureIndex::metrics`] counts them.
pub(crate) const PROCEDURE_METRICS: [&str; 5] = [
    "ONLINE_PROCEDURES",
    "ONLINE_SERVICES_USED",
    "PROCEDURES_PAID_ONLINE",
    "PROCEDURES_PAYMENT_INTEGRATED",
    "CITIZEN_DATA_PROCEDURES",
];

/// The metrics that records cannot give: they come from a counts file passed alongside.
pub const RECORDLESS: [&str; 4] =
    ["PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "PUBLIC_CONTENT_FULL", "E_CERTIFIED_COPY"];

/// The units a scorecard lists, with parents and levels.
struct OutUnits<'a> {
    ids: Vec<String>,
    names: Vec<Option<String>>,
    levels: Vec<Option<Level>>,
    index: FxHashMap<String, usize>,
    tree: Option<&'a UnitTree>,
    order: Vec<usize>,
}

impl<'a> OutUnits<'a> {
    fn new(context: &'a RecordContext, agg: &DossierAggregate, extra: Option<(&Counts, &str)>) -> Self {
        if let Some(tree) = context.units.as_ref() {
            let ids: Vec<String> = tree.units().iter().map(|u| u.id.clone()).collect();
            let index = ids.iter().enumerate().map(|(i, id)| (id.clone(), i)).collect();
            return Self {
                names: tree.units().iter().map(|u| Some(u.name.clone())).collect(),
                levels: tree.units().iter().map(|u| Some(u.level.clone())).collect(),
                ids,
                index,
                tree: Some(tree),
                order: tree.preorder(),
            };
        }
        // Flat: every unit named by a record or by the counts file is a root; sorted by id so the
        // output does not depend on the order pieces were merged in.
        let mut set: BTreeSet<String> = agg.units.names.iter().cloned().collect();
        let mut names: HashMap<String, String> = HashMap::new();
        if let Some((c, _)) = extra {
            for u in &c.units {
                set.insert(u.unit.clone());
                if let Some(n) = &u.name {
                    names.insert(u.unit.clone(), n.clone());
                }
            }
        }
        let ids: Vec<String> = set.into_iter().collect();
        let index = ids.iter().enumerate().map(|(i, id)| (id.clone(), i)).collect();
        Self {
            names: ids.iter().map(|id| names.get(id).cloned()).collect(),
            levels: vec![None; ids.len()],
            order: (0..ids.len()).collect(),
            ids,
            index,
            tree: None,
        }
    }

    fn parent(&self, o: usize) -> Option<usize> {
        self.tree.and_then(|t| t.parent(o))
    }

    fn ancestors(&self, o: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.parent(o), move |&p| self.parent(p))
    }

    /// Whether `ids` interns exactly these units in this order (then an interned index is an
    /// output index).
    fn same_ids(&self, ids: &Interner) -> bool {
        self.tree.is_some() && ids.names == self.ids
    }
}

/// The procedure table laid out for the distinct-procedure metrics of many units: per procedure,
/// its level's index, its flags' place in a unit's flag words and its attributes; per unit, the
/// levels of its subtree as a bit set. A unit's metrics are then bit operations, no hashing.
struct ProcedureIndex {
    procedures: Vec<ProcedureSlot>,
    /// Per output unit, `words` words: bit `l` set when level `l` is the unit's or a descendant's.
    subtree_levels: Vec<u64>,
    words: usize,
}

#[derive(Debug, Clone, Copy)]
struct ProcedureSlot {
    /// The index of its authority level; `None` when it belongs to every unit.
    level: Option<usize>,
    /// Its interned id (where its flags are), when a record named it.
    id: Option<u32>,
    online: bool,
    fee: bool,
    payment_integrated: bool,
    citizen_applicants: bool,
}

impl ProcedureIndex {
    fn new(table: &ProcedureTable, out: &OutUnits<'_>, ids: &Interner) -> Self {
        fn index_of<'l>(index: &mut FxHashMap<&'l Level, usize>, l: &'l Level) -> usize {
            let next = index.len();
            *index.entry(l).or_insert(next)
        }
        let mut level_index: FxHashMap<&Level, usize> = FxHashMap::default();
        let unit_levels: Vec<Option<usize>> =
            out.levels.iter().map(|l| l.as_ref().map(|l| index_of(&mut level_index, l))).collect();
        let procedures: Vec<ProcedureSlot> = table
            .list()
            .iter()
            .map(|p| ProcedureSlot {
                // Without a unit tree, every procedure is every unit's.
                level: if out.tree.is_some() {
                    p.authority_level.as_ref().map(|l| index_of(&mut level_index, l))
                } else {
                    None
                },
                id: ids.get(p.procedure.as_bytes()),
                online: p.service_level != ServiceLevel::None,
                fee: p.fee,
                payment_integrated: p.payment_integrated,
                citizen_applicants: p.citizen_applicants,
            })
            .collect();
        let words = level_index.len().div_ceil(64).max(1);
        let mut subtree_levels = vec![0u64; out.ids.len() * words];
        for (o, level) in unit_levels.iter().enumerate() {
            let Some(l) = level else { continue };
            for target in std::iter::once(o).chain(out.ancestors(o)) {
                if let Some(w) = subtree_levels.get_mut(target * words + l / 64) {
                    *w |= 1 << (l % 64);
                }
            }
        }
        Self { procedures, subtree_levels, words }
    }

    fn has_level(&self, o: usize, l: usize) -> bool {
        self.subtree_levels.get(o * self.words + l / 64).is_some_and(|w| w & (1 << (l % 64)) != 0)
    }

    /// The distinct-procedure metrics of unit `o` whose flag words are `flags`. A unit's procedures
    /// are those whose authority level is its level or the level of a unit below it (an empty
    /// authority level: every unit's); without a unit tree, every procedure is every unit's.
    fn metrics(&self, metrics: &mut BTreeMap<String, Ratio>, o: usize, flags: &[u64]) {
        let mut counts = [0u64; 8];
        for p in &self.procedures {
            if !p.level.is_none_or(|l| self.has_level(o, l)) {
                continue;
            }
            let f = p.id.map_or(0, |i| {
                let word = flags.get(i as usize / 16).copied().unwrap_or(0);
                (word >> ((i % 16) * 4)) & 0xf
            });
            let has = |bit: u8| f & u64::from(bit) != 0;
            let [all, on, on_used, fee, fee_paid, fee_integrated, cit, cit_used] = &mut counts;
            *all += 1;
            *on += u64::from(p.online);
            *on_used += u64::from(p.online && has(flag::ONLINE_DOSSIER));
            *fee += u64::from(p.fee);
            *fee_paid += u64::from(p.fee && has(flag::PAID_ONLINE));
            *fee_integrated += u64::from(p.fee && p.payment_integrated);
            *cit += u64::from(p.citizen_applicants);
            *cit_used += u64::from(p.citizen_applicants && has(flag::CITIZEN_DATA));
        }
        let [all, on, on_used, fee, fee_paid, fee_integrated, cit, cit_used] = counts;
        metrics.insert("ONLINE_PROCEDURES".to_owned(), Ratio::new(on, all));
        metrics.insert("ONLINE_SERVICES_USED".to_owned(), Ratio::new(on_used, on));
        metrics.insert("PROCEDURES_PAID_ONLINE".to_owned(), Ratio::new(fee_paid, fee));
        metrics.insert("PROCEDURES_PAYMENT_INTEGRATED".to_owned(), Ratio::new(fee_integrated, fee));
        metrics.insert("CITIZEN_DATA_PROCEDURES".to_owned(), Ratio::new(cit_used, cit));
    }
}
