//! Aggregate → counts: the period's months summed, every unit's counts rolled up to its
//! ancestors, and the distinct-procedure metrics from the procedures under each unit's authority.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::{Cell, DossierAggregate, Interner, RecordContext, counter, flag, month_of_key};
use crate::input::Rejection;
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
        let mut rejected = Vec::new();
        let out = OutUnits::new(context, self, extra);
        let n = out.ids.len();
        // Counters, rolled up to every ancestor.
        let mut cells = vec![Cell::default(); n];
        let mut flags: Vec<Vec<u64>> = vec![Vec::new(); n];
        let mut local_to_out: Vec<Option<usize>> = Vec::with_capacity(self.units.names.len());
        for name in &self.units.names {
            local_to_out.push(out.index.get(name.as_str()).copied());
        }
        let in_period = |m: u32| {
            let (y, mo) = month_of_key(m);
            period.contains(Period::Month(y, mo))
        };
        for (u, months) in self.cells.iter().enumerate() {
            let Some(o) = local_to_out.get(u).copied().flatten() else { continue };
            for mc in months.iter().filter(|mc| in_period(mc.month)) {
                for target in std::iter::once(o).chain(out.ancestors(o)) {
                    if let Some(t) = cells.get_mut(target) {
                        t.add(&mc.cell);
                    }
                    // Distinct-procedure flags, OR-ed over the period and the subtree.
                    if let Some(t) = flags.get_mut(target) {
                        if t.len() < mc.procs.len() {
                            t.resize(mc.procs.len(), 0);
                        }
                        for (a, b) in t.iter_mut().zip(&mc.procs) {
                            *a |= *b;
                        }
                    }
                }
            }
        }
        let levels = out.subtree_levels();
        let extra_by_unit: HashMap<&str, &UnitCounts> =
            extra.map(|(c, _)| c.units.iter().map(|u| (u.unit.as_str(), u)).collect()).unwrap_or_default();
        if let (Some((c, source)), Some(_)) = (extra, context.units.as_ref()) {
            for (i, u) in c.units.iter().enumerate() {
                if !out.index.contains_key(u.unit.as_str()) {
                    rejected.push(Rejection {
                        source: source.to_owned(),
                        row: u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1),
                        column: Some("unit".to_owned()),
                        reason: format!("unknown unit `{}`", u.unit),
                    });
                }
            }
        }
        let units = (0..n)
            .map(|o| {
                let c = cells.get(o).copied().unwrap_or_default();
                let mut metrics = BTreeMap::new();
                let mut put = |code: &str, num: u32, den: u32| {
                    metrics.insert(code.to_owned(), Ratio::new(c.get(num), c.get(den)));
                };
                use counter as k;
                put("ON_TIME", k::ON_TIME, k::DOSSIERS);
                put("DOSSIER_SATISFIED", k::SATISFIED, k::DOSSIERS);
                put("ONLINE_DOSSIERS", k::ONLINE, k::DOSSIERS);
                put("DOSSIER_SYNC", k::SYNCED, k::DOSSIERS);
                put("E_RESULT", k::PAPER_E_RESULT, k::PAPER);
                put("DIGITIZED", k::DIGITIZED, k::DOSSIERS);
                put("REUSED_DATA", k::REUSED, k::DOSSIERS);
                put("SHARED_STORAGE", k::SHARED, k::DOSSIERS);
                put("CITIZEN_DATA_DOSSIERS", k::CITIZEN, k::DOSSIERS);
                put("PAID_ONLINE", k::FEE_PAID_ONLINE, k::FEE);
                put("FULL_ONLINE_DOSSIERS", k::FULL_ONLINE, k::ELIGIBLE_FULL);
                if self.feedback_read {
                    put("FEEDBACK_ON_TIME", k::FEEDBACK_ON_TIME, k::FEEDBACK);
                    put("FEEDBACK_SATISFIED", k::FEEDBACK_SATISFIED, k::FEEDBACK);
                }
                if let Some(table) = context.procedures.as_ref() {
                    let none = Vec::new();
                    let f = flags.get(o).unwrap_or(&none);
                    procedure_metrics(&mut metrics, table, &out, o, f, &self.procedures, &levels);
                }
                if let Some(e) = out.ids.get(o).and_then(|id| extra_by_unit.get(id.as_str())) {
                    for code in RECORDLESS {
                        if let Some(r) = e.metrics.get(code) {
                            metrics.insert(code.to_owned(), *r);
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
                (o, metrics, reported)
            })
            .collect::<Vec<_>>();
        let mut by_out: Vec<Option<UnitCounts>> = units
            .into_iter()
            .map(|(o, metrics, reported)| {
                Some(UnitCounts {
                    unit: out.ids.get(o).cloned().unwrap_or_default(),
                    name: out.names.get(o).cloned().flatten(),
                    parent: out.parent(o).and_then(|p| out.ids.get(p).cloned()),
                    level: out.levels.get(o).cloned().flatten().map(|l| l.as_str().to_owned()),
                    metrics,
                    reported: Some(reported),
                })
            })
            .collect();
        // Neighbourhoods (khóm, ấp, tổ dân phố) are not units the portal scores: one is listed only
        // when its subtree handled a dossier or a feedback item in the period, or the counts file
        // names it. Every other unit of the tree is listed, idle or not, as the portal lists it.
        let listed = |o: usize| {
            let c = cells.get(o).copied().unwrap_or_default();
            out.levels.get(o).and_then(Option::as_ref) != Some(&Level::Neighbourhood)
                || c.get(counter::DOSSIERS) > 0
                || c.get(counter::FEEDBACK) > 0
                || out.ids.get(o).is_some_and(|id| extra_by_unit.contains_key(id.as_str()))
        };
        let units = out
            .order
            .iter()
            .filter(|o| listed(**o))
            .filter_map(|o| by_out.get_mut(*o).and_then(Option::take))
            .collect();
        CountsOutcome { counts: Counts { period, units }, rejected }
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

/// The metrics that records cannot give: they come from a counts file passed alongside.
pub const RECORDLESS: [&str; 4] =
    ["PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "PUBLIC_CONTENT_FULL", "E_CERTIFIED_COPY"];

/// The units a scorecard lists, with parents and levels.
struct OutUnits<'a> {
    ids: Vec<String>,
    names: Vec<Option<String>>,
    levels: Vec<Option<Level>>,
    index: HashMap<String, usize>,
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

    /// The levels of the unit and every unit below it.
    fn subtree_levels(&self) -> Vec<HashSet<Level>> {
        let mut sets = vec![HashSet::new(); self.ids.len()];
        for (o, level) in self.levels.iter().enumerate() {
            let Some(level) = level else { continue };
            for target in std::iter::once(o).chain(self.ancestors(o)) {
                if let Some(s) = sets.get_mut(target) {
                    s.insert(level.clone());
                }
            }
        }
        sets
    }
}

/// The distinct-procedure metrics of one unit. A unit's procedures are those whose authority level
/// is its level or the level of a unit below it (an empty authority level: every unit's); without
/// a unit tree, every procedure is every unit's.
fn procedure_metrics(
    metrics: &mut BTreeMap<String, Ratio>,
    table: &ProcedureTable,
    out: &OutUnits<'_>,
    o: usize,
    flags: &[u64],
    ids: &Interner,
    levels: &[HashSet<Level>],
) {
    let mine = levels.get(o);
    let mut counts = [0u64; 10];
    for p in table.list() {
        let belongs = match (&p.authority_level, out.tree) {
            (None, _) | (_, None) => true,
            (Some(l), Some(_)) => mine.is_some_and(|s| s.contains(l)),
        };
        if !belongs {
            continue;
        }
        let f = ids.get(p.procedure.as_bytes()).map_or(0, |i| {
            let word = flags.get(i as usize / 16).copied().unwrap_or(0);
            u8::try_from((word >> ((i % 16) * 4)) & 0xf).unwrap_or(0)
        });
        let online = p.service_level != ServiceLevel::None;
        let incr = |slot: &mut u64, cond: bool| {
            if cond {
                *slot += 1;
            }
        };
        let [all, on, on_used, fee, fee_paid, fee_integrated, cit, cit_used, ..] = &mut counts;
        incr(all, true);
        incr(on, online);
        incr(on_used, online && f & flag::ONLINE_DOSSIER != 0);
        incr(fee, p.fee);
        incr(fee_paid, p.fee && f & flag::PAID_ONLINE != 0);
        incr(fee_integrated, p.fee && p.payment_integrated);
        incr(cit, p.citizen_applicants);
        incr(cit_used, p.citizen_applicants && f & flag::CITIZEN_DATA != 0);
    }
    let [all, on, on_used, fee, fee_paid, fee_integrated, cit, cit_used, ..] = counts;
    metrics.insert("ONLINE_PROCEDURES".to_owned(), Ratio::new(on, all));
    metrics.insert("ONLINE_SERVICES_USED".to_owned(), Ratio::new(on_used, on));
    metrics.insert("PROCEDURES_PAID_ONLINE".to_owned(), Ratio::new(fee_paid, fee));
    metrics.insert("PROCEDURES_PAYMENT_INTEGRATED".to_owned(), Ratio::new(fee_integrated, fee));
    metrics.insert("CITIZEN_DATA_PROCEDURES".to_owned(), Ratio::new(cit_used, cit));
}
