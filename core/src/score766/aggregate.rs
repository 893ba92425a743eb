//! Records → counts: a partial aggregate per unit and month, mergeable in any order.
//!
//! Memory is bounded by units × months (the counters) plus units × procedures × months (one byte
//! of flags for the distinct-procedure metrics), never by rows. A [`DossierAggregate`] is a commutative
//! monoid under [`DossierAggregate::merge`]: workers aggregate pieces of a file and the pieces are
//! merged in any order into the same result as one pass.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::counts::{Counts, Ratio, Reported, UnitCounts};
use super::records::{
    Channel, DOSSIER_FIELDS, Days, FeedbackRecord, FieldError, ProcedureTable, ServiceLevel, boolean, channel, count,
    instant, rating_unsatisfied,
};
use crate::date::{Date, DateOnly, Instant, days_in_month};
use crate::input::Rejection;
use crate::period::Period;
use crate::units::{Level, UnitTree};

/// A small, fast, non-cryptographic hasher (the multiply-rotate scheme of rustc's `FxHasher`):
/// ids come from the administration's own files, so hash flooding is not a concern, and the hot
/// path hashes one unit id and one procedure id per row.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut word = [0u8; 8];
        for (slot, b) in word.iter_mut().zip(chunks.remainder()) {
            *slot = *b;
        }
        self.add(u64::from_le_bytes(word));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

type FxBuild = BuildHasherDefault<FxHasher>;

/// Ids (of units or procedures) interned to dense indices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Interner {
    names: Vec<String>,
    map: HashMap<Box<[u8]>, u32, FxBuild>,
}

impl Interner {
    fn from_names<I: IntoIterator<Item = String>>(names: I) -> Self {
        let mut i = Self::default();
        for n in names {
            i.insert(n);
        }
        i
    }

    #[inline]
    fn get(&self, id: &[u8]) -> Option<u32> {
        self.map.get(id).copied()
    }

    fn insert(&mut self, name: String) -> u32 {
        if let Some(i) = self.map.get(name.as_bytes()) {
            return *i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.map.insert(name.as_bytes().into(), i);
        self.names.push(name);
        i
    }

    fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map_or("", String::as_str)
    }
}

/// The counters of one cell (unit × month), by position.
pub(crate) mod counter {
    pub const DOSSIERS: u32 = 0;
    pub const ON_TIME: u32 = 1;
    pub const SATISFIED: u32 = 2;
    pub const ONLINE: u32 = 3;
    pub const ONLINE_ON_TIME: u32 = 4;
    pub const SYNCED: u32 = 5;
    pub const PAPER: u32 = 6;
    pub const PAPER_E_RESULT: u32 = 7;
    pub const DIGITIZED: u32 = 8;
    pub const REUSED: u32 = 9;
    pub const SHARED: u32 = 10;
    pub const CITIZEN: u32 = 11;
    pub const FEE: u32 = 12;
    pub const FEE_PAID_ONLINE: u32 = 13;
    pub const ELIGIBLE_FULL: u32 = 14;
    pub const FULL_ONLINE: u32 = 15;
    pub const CHANNEL_ONLINE: u32 = 16;
    pub const CHANNEL_DIRECT: u32 = 17;
    pub const CHANNEL_POSTAL: u32 = 18;
    pub const COMPLETED: u32 = 19;
    pub const FEEDBACK: u32 = 20;
    pub const FEEDBACK_ON_TIME: u32 = 21;
    pub const FEEDBACK_SATISFIED: u32 = 22;
    pub const FEEDBACK_RULES: u32 = 23;
    pub const FEEDBACK_STAFF: u32 = 24;
    pub const FEEDBACK_OTHER: u32 = 25;
    pub const N: usize = 26;
}

const fn bit(c: u32) -> u32 {
    1 << c
}

/// The counts of one unit in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cell {
    counts: [u64; counter::N],
    processing_seconds: u128,
}

impl Cell {
    #[inline]
    fn add_bits(&mut self, mut mask: u32) {
        while mask != 0 {
            let i = mask.trailing_zeros() as usize;
            if let Some(c) = self.counts.get_mut(i) {
                *c = c.saturating_add(1);
            }
            mask &= mask - 1;
        }
    }

    fn add(&mut self, other: &Self) {
        for (a, b) in self.counts.iter_mut().zip(other.counts.iter()) {
            *a = a.saturating_add(*b);
        }
        self.processing_seconds = self.processing_seconds.saturating_add(other.processing_seconds);
    }

    fn get(&self, c: u32) -> u64 {
        self.counts.get(c as usize).copied().unwrap_or(0)
    }
}

/// Per (unit, procedure, month) flags for the distinct-procedure metrics.
mod flag {
    pub const ONLINE_DOSSIER: u8 = 1;
    pub const PAID_ONLINE: u8 = 2;
    pub const CITIZEN_DATA: u8 = 4;
}

/// Procedure attributes the hot path needs, as bits.
mod attr {
    pub const PAPER_RESULT: u8 = 1;
    pub const ELIGIBLE_FULL: u8 = 2;
    pub const SERVICE_FULL: u8 = 4;
}

/// Month key: `year · 12 + month − 1`.
fn month_key(d: Date) -> u32 {
    u32::try_from(d.year()).unwrap_or(0) * 12 + u32::from(d.month()) - 1
}

fn month_of_key(k: u32) -> (i32, u8) {
    (i32::try_from(k / 12).unwrap_or(0), u8::try_from(k % 12 + 1).unwrap_or(1))
}

/// The units and procedures records are classified against. Without units, every unit named by
/// a record is a root of its own; without procedures, every procedure is accepted and has no
/// paper result, and the distinct-procedure metrics are reported missing.
#[derive(Debug, Clone, Default)]
pub struct RecordContext {
    units: Option<UnitTree>,
    procedures: Option<ProcedureTable>,
    unit_ids: Arc<Interner>,
    procedure_ids: Arc<Interner>,
    procedure_attrs: Arc<Vec<u8>>,
}

impl RecordContext {
    /// A context from the (optional) unit tree and procedure table.
    #[must_use]
    pub fn new(units: Option<UnitTree>, procedures: Option<ProcedureTable>) -> Self {
        let unit_ids = units
            .as_ref()
            .map_or_else(Interner::default, |t| Interner::from_names(t.units().iter().map(|u| u.id.clone())));
        let procedure_ids = procedures
            .as_ref()
            .map_or_else(Interner::default, |t| Interner::from_names(t.list().iter().map(|p| p.procedure.clone())));
        let procedure_attrs = procedures.as_ref().map_or_else(Vec::new, |t| {
            t.list()
                .iter()
                .map(|p| {
                    let mut a = 0;
                    if p.paper_result {
                        a |= attr::PAPER_RESULT;
                    }
                    if p.eligible_full {
                        a |= attr::ELIGIBLE_FULL;
                    }
                    if p.service_level == ServiceLevel::Full {
                        a |= attr::SERVICE_FULL;
                    }
                    a
                })
                .collect()
        });
        Self {
            units,
            procedures,
            unit_ids: Arc::new(unit_ids),
            procedure_ids: Arc::new(procedure_ids),
            procedure_attrs: Arc::new(procedure_attrs),
        }
    }

    /// The unit tree, when one was given.
    #[must_use]
    pub const fn units(&self) -> Option<&UnitTree> {
        self.units.as_ref()
    }

    /// The procedure table, when one was given.
    #[must_use]
    pub const fn procedures(&self) -> Option<&ProcedureTable> {
        self.procedures.as_ref()
    }
}

/// A partial aggregate of dossier and feedback records: counters per unit and month, flags per
/// unit, procedure and month, and the rows rejected so far.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(into = "Wire", from = "Wire")]
pub struct DossierAggregate {
    units: Arc<Interner>,
    units_closed: bool,
    procedures: Arc<Interner>,
    procedures_closed: bool,
    procedure_attrs: Arc<Vec<u8>>,
    /// Per unit index: (month key, counters), few months each.
    cells: Vec<Vec<(u32, Cell)>>,
    flags: HashMap<(u32, u32, u32), u8, FxBuild>,
    rejected: Vec<Rejection>,
    feedback_read: bool,
}

/// The serialized form: names instead of hash maps, entries sorted.
#[derive(Debug, Serialize, Deserialize)]
struct Wire {
    units: Vec<String>,
    units_closed: bool,
    procedures: Vec<String>,
    procedures_closed: bool,
    procedure_attrs: Vec<u8>,
    cells: Vec<(u32, u32, Cell)>,
    flags: Vec<(u32, u32, u32, u8)>,
    rejected: Vec<Rejection>,
    feedback_read: bool,
}

impl From<DossierAggregate> for Wire {
    fn from(a: DossierAggregate) -> Self {
        let mut cells: Vec<(u32, u32, Cell)> = a
            .cells
            .iter()
            .enumerate()
            .flat_map(|(u, months)| months.iter().map(move |(m, c)| (u32::try_from(u).unwrap_or(u32::MAX), *m, *c)))
            .collect();
        cells.sort_by_key(|(u, m, _)| (*u, *m));
        let mut flags: Vec<(u32, u32, u32, u8)> = a.flags.iter().map(|((u, p, m), f)| (*u, *p, *m, *f)).collect();
        flags.sort_unstable();
        Self {
            units: a.units.names.clone(),
            units_closed: a.units_closed,
            procedures: a.procedures.names.clone(),
            procedures_closed: a.procedures_closed,
            procedure_attrs: a.procedure_attrs.to_vec(),
            cells,
            flags,
            rejected: a.rejected,
            feedback_read: a.feedback_read,
        }
    }
}

impl From<Wire> for DossierAggregate {
    fn from(w: Wire) -> Self {
        let units = Interner::from_names(w.units);
        let mut cells = vec![Vec::new(); units.names.len()];
        for (u, m, c) in w.cells {
            if let Some(months) = cells.get_mut(u as usize) {
                months.push((m, c));
            }
        }
        Self {
            units: Arc::new(units),
            units_closed: w.units_closed,
            procedures: Arc::new(Interner::from_names(w.procedures)),
            procedures_closed: w.procedures_closed,
            procedure_attrs: Arc::new(w.procedure_attrs),
            cells,
            flags: w.flags.into_iter().map(|(u, p, m, f)| ((u, p, m), f)).collect(),
            rejected: w.rejected,
            feedback_read: w.feedback_read,
        }
    }
}

/// A canonical view for equality: names instead of indices.
type Canonical = (
    BTreeMap<(String, u32), Cell>,
    BTreeMap<(String, String, u32), u8>,
    Vec<(String, u64, Option<String>, String)>,
    bool,
);

impl PartialEq for DossierAggregate {
    /// Equal when they hold the same counts for the same names (whatever the order of interning).
    fn eq(&self, other: &Self) -> bool {
        self.canonical() == other.canonical()
    }
}

impl Eq for DossierAggregate {}

fn lookup_error(column: &'static str, what: &str, id: &[u8]) -> FieldError {
    (column, format!("unknown {what} `{}`", String::from_utf8_lossy(id)))
}

impl DossierAggregate {
    /// An empty aggregate for records classified against `context`.
    #[must_use]
    pub fn new(context: &RecordContext) -> Self {
        Self {
            units: Arc::clone(&context.unit_ids),
            units_closed: context.units.is_some(),
            procedures: Arc::clone(&context.procedure_ids),
            procedures_closed: context.procedures.is_some(),
            procedure_attrs: Arc::clone(&context.procedure_attrs),
            cells: vec![Vec::new(); context.unit_ids.names.len()],
            flags: HashMap::default(),
            rejected: Vec::new(),
            feedback_read: false,
        }
    }

    fn canonical(&self) -> Canonical {
        let mut cells = BTreeMap::new();
        for (u, months) in self.cells.iter().enumerate() {
            for (m, c) in months {
                let key = (self.units.name(u32::try_from(u).unwrap_or(u32::MAX)).to_owned(), *m);
                cells.entry(key).or_insert_with(Cell::default).add(c);
            }
        }
        let flags = self
            .flags
            .iter()
            .map(|((u, p, m), f)| ((self.units.name(*u).to_owned(), self.procedures.name(*p).to_owned(), *m), *f))
            .collect();
        let mut rejected: Vec<_> =
            self.rejected.iter().map(|r| (r.source.clone(), r.row, r.column.clone(), r.reason.clone())).collect();
        rejected.sort();
        (cells, flags, rejected, self.feedback_read)
    }

    /// The rows rejected so far.
    #[must_use]
    pub fn rejected(&self) -> &[Rejection] {
        &self.rejected
    }

    pub(crate) fn reject(&mut self, r: Rejection) {
        self.rejected.push(r);
    }

    pub(crate) fn set_feedback_read(&mut self) {
        self.feedback_read = true;
    }

    /// Adds the rejections' row offset (for a piece of a file scanned from row 1).
    pub(crate) fn shift_rejections(&mut self, from: usize, by: u64) {
        for r in self.rejected.iter_mut().skip(from) {
            r.row = r.row.saturating_add(by);
        }
    }

    #[cfg(test)]
    pub(crate) fn clear_rejections(&mut self) {
        self.rejected.clear();
    }

    pub(crate) fn rejection_count(&self) -> usize {
        self.rejected.len()
    }

    #[inline]
    fn unit_id(&mut self, id: &[u8]) -> Result<u32, FieldError> {
        if id.is_empty() {
            return Err(("unit", "is empty".to_owned()));
        }
        if let Some(i) = self.units.get(id) {
            return Ok(i);
        }
        if self.units_closed {
            return Err(lookup_error("unit", "unit", id));
        }
        let name = std::str::from_utf8(id).map_err(|e| ("unit", format!("not UTF-8 (byte {})", e.valid_up_to())))?;
        let i = Arc::make_mut(&mut self.units).insert(name.to_owned());
        self.cells.resize_with(self.units.names.len(), Vec::new);
        Ok(i)
    }

    #[inline]
    fn procedure_id(&mut self, id: &[u8]) -> Result<u32, FieldError> {
        if id.is_empty() {
            return Err(("procedure", "is empty".to_owned()));
        }
        if let Some(i) = self.procedures.get(id) {
            return Ok(i);
        }
        if self.procedures_closed {
            return Err(lookup_error("procedure", "procedure", id));
        }
        let name =
            std::str::from_utf8(id).map_err(|e| ("procedure", format!("not UTF-8 (byte {})", e.valid_up_to())))?;
        Ok(Arc::make_mut(&mut self.procedures).insert(name.to_owned()))
    }

    #[inline]
    fn cell(&mut self, unit: u32, month: u32) -> Option<&mut Cell> {
        let months = self.cells.get_mut(unit as usize)?;
        let pos = match months.iter().rposition(|(m, _)| *m == month) {
            Some(p) => p,
            None => {
                months.push((month, Cell::default()));
                months.len() - 1
            }
        };
        months.get_mut(pos).map(|(_, c)| c)
    }

    /// Classifies one dossier from its fields (in [`super::records::DOSSIER_COLUMNS`] order,
    /// trimmed) and counts it; a record that cannot be classified changes nothing.
    pub(crate) fn add_dossier(&mut self, f: &[&[u8]; DOSSIER_FIELDS]) -> Result<(), FieldError> {
        let [
            _,
            unit,
            procedure,
            received,
            due,
            finished,
            chan,
            sreq,
            sdays,
            e_result,
            digitized,
            reused,
            shared,
            citizen,
            synced,
            fee,
            paid,
            complaint,
            rating,
        ] = *f;
        let unit = self.unit_id(unit)?;
        let procedure = self.procedure_id(procedure)?;
        let received = instant("received_at", received, DateOnly::StartOfDay)?
            .ok_or_else(|| ("received_at", "is empty".to_owned()))?;
        let due = instant("due_at", due, DateOnly::EndOfDay)?;
        let finished = instant("finished_at", finished, DateOnly::StartOfDay)?;
        if let Some(d) = due.filter(|d| *d < received) {
            return Err(("due_at", format!("due {} is before received {}", show(d), show(received))));
        }
        if let Some(fin) = finished.filter(|x| *x < received) {
            return Err(("finished_at", format!("finished {} is before received {}", show(fin), show(received))));
        }
        let chan = channel(chan)?;
        let requests = count("supplement_requests", sreq)?;
        let days = Days::parse("supplement_days", sdays)?;
        let e_result = boolean("e_result", e_result)?;
        let digitized = boolean("digitized", digitized)?;
        let reused = boolean("reused_data", reused)?;
        let shared = boolean("shared_storage", shared)?;
        let citizen = boolean("citizen_data", citizen)?;
        let synced = boolean("synced", synced)?;
        let fee = boolean("fee", fee)?;
        let paid = boolean("paid_online", paid)?;
        let complaint = boolean("complaint", complaint)?;
        let unsatisfied = rating_unsatisfied(rating)?;

        let local = received.local_date();
        let month = month_key(local);
        let attrs = self.procedure_attrs.get(procedure as usize).copied().unwrap_or(0);
        let paper = attrs & attr::PAPER_RESULT != 0;
        // The reference instant: when it finished, or the end of its month if still open.
        let reference = finished.unwrap_or_else(|| period_end(local));
        let late = requests > 1 || due.is_some_and(|d| days.shorter_than(reference.0.saturating_sub(d.0)));
        let online = chan == Channel::Online && (!paper || e_result);

        let mut mask = bit(counter::DOSSIERS);
        let mut set = |cond: bool, c: u32| {
            if cond {
                mask |= bit(c);
            }
        };
        set(!late, counter::ON_TIME);
        set(!late && !unsatisfied && !complaint, counter::SATISFIED);
        set(online, counter::ONLINE);
        set(online && !late, counter::ONLINE_ON_TIME);
        set(synced, counter::SYNCED);
        set(paper, counter::PAPER);
        set(paper && e_result, counter::PAPER_E_RESULT);
        set(digitized && (!paper || e_result), counter::DIGITIZED);
        set(reused, counter::REUSED);
        set(shared, counter::SHARED);
        set(citizen, counter::CITIZEN);
        set(fee, counter::FEE);
        set(fee && paid, counter::FEE_PAID_ONLINE);
        let eligible = attrs & attr::ELIGIBLE_FULL != 0;
        set(eligible, counter::ELIGIBLE_FULL);
        set(eligible && online && attrs & attr::SERVICE_FULL != 0, counter::FULL_ONLINE);
        set(chan == Channel::Online, counter::CHANNEL_ONLINE);
        set(chan == Channel::Direct, counter::CHANNEL_DIRECT);
        set(chan == Channel::Postal, counter::CHANNEL_POSTAL);
        set(finished.is_some(), counter::COMPLETED);

        let mut flags = 0;
        if online {
            flags |= flag::ONLINE_DOSSIER;
        }
        if fee && paid {
            flags |= flag::PAID_ONLINE;
        }
        if citizen {
            flags |= flag::CITIZEN_DATA;
        }
        if flags != 0 {
            *self.flags.entry((unit, procedure, month)).or_insert(0) |= flags;
        }
        if let Some(cell) = self.cell(unit, month) {
            cell.add_bits(mask);
            if let Some(fin) = finished {
                let secs = u128::try_from(fin.0.saturating_sub(received.0)).unwrap_or(0);
                cell.processing_seconds = cell.processing_seconds.saturating_add(secs);
            }
        }
        Ok(())
    }

    /// Classifies one feedback item and counts it.
    pub(crate) fn add_feedback(&mut self, r: &FeedbackRecord) -> Result<(), FieldError> {
        let trim = |s: &str| s.trim().as_bytes().to_vec();
        let unit = self.unit_id(&trim(&r.unit))?;
        let received = instant("received_at", r.received_at.trim().as_bytes(), DateOnly::StartOfDay)?
            .ok_or_else(|| ("received_at", "is empty".to_owned()))?;
        let due = instant("due_at", r.due_at.trim().as_bytes(), DateOnly::EndOfDay)?;
        let finished = instant("finished_at", r.finished_at.trim().as_bytes(), DateOnly::StartOfDay)?;
        if let Some(d) = due.filter(|d| *d < received) {
            return Err(("due_at", format!("due {} is before received {}", show(d), show(received))));
        }
        if let Some(fin) = finished.filter(|x| *x < received) {
            return Err(("finished_at", format!("finished {} is before received {}", show(fin), show(received))));
        }
        let about = match r.about.trim() {
            "rules" => counter::FEEDBACK_RULES,
            "staff" => counter::FEEDBACK_STAFF,
            "" | "other" => counter::FEEDBACK_OTHER,
            other => return Err(("about", format!("`{other}` is not `rules`, `staff` or `other`"))),
        };
        let unsatisfied = boolean("unsatisfied", r.unsatisfied.trim().as_bytes())?;
        let raised_again = boolean("raised_again", r.raised_again.trim().as_bytes())?;
        let local = received.local_date();
        let reference = finished.unwrap_or_else(|| period_end(local));
        let on_time = due.is_none_or(|d| reference <= d);
        let mut mask = bit(counter::FEEDBACK) | bit(about);
        if on_time {
            mask |= bit(counter::FEEDBACK_ON_TIME);
        }
        if on_time && !unsatisfied && !raised_again {
            mask |= bit(counter::FEEDBACK_SATISFIED);
        }
        if let Some(cell) = self.cell(unit, month_key(local)) {
            cell.add_bits(mask);
        }
        Ok(())
    }

    /// Adds `other` into `self`. Merging is associative and commutative: the result does not depend
    /// on the order pieces are merged in (compare with `==`, which ignores the order of interning).
    pub fn merge(&mut self, other: Self) {
        let unit_map = remap(&mut self.units, self.units_closed, &other.units);
        let procedure_map = remap(&mut self.procedures, self.procedures_closed, &other.procedures);
        self.cells.resize_with(self.units.names.len(), Vec::new);
        let map = |m: &Option<Vec<Option<u32>>>, i: u32| match m {
            None => Some(i),
            Some(v) => v.get(i as usize).copied().flatten(),
        };
        for (u, months) in other.cells.into_iter().enumerate() {
            let Some(target) = map(&unit_map, u32::try_from(u).unwrap_or(u32::MAX)) else { continue };
            for (m, c) in months {
                if let Some(cell) = self.cell(target, m) {
                    cell.add(&c);
                }
            }
        }
        for ((u, p, m), f) in other.flags {
            if let (Some(u), Some(p)) = (map(&unit_map, u), map(&procedure_map, p)) {
                *self.flags.entry((u, p, m)).or_insert(0) |= f;
            }
        }
        self.rejected.extend(other.rejected);
        self.rejected.sort_by(|a, b| (a.source.as_str(), a.row).cmp(&(b.source.as_str(), b.row)));
        self.feedback_read |= other.feedback_read;
    }

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
            for (_, c) in months.iter().filter(|(m, _)| in_period(*m)) {
                for target in std::iter::once(o).chain(out.ancestors(o)) {
                    if let Some(t) = cells.get_mut(target) {
                        t.add(c);
                    }
                }
            }
        }
        // Distinct-procedure flags per (unit, procedure), OR-ed over the period and the subtree.
        let mut flags: HashMap<(usize, u32), u8, FxBuild> = HashMap::default();
        for ((u, p, m), f) in &self.flags {
            if !in_period(*m) {
                continue;
            }
            let Some(o) = local_to_out.get(*u as usize).copied().flatten() else { continue };
            for target in std::iter::once(o).chain(out.ancestors(o)) {
                *flags.entry((target, *p)).or_insert(0) |= *f;
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
                    procedure_metrics(&mut metrics, table, &out, o, &flags, &self.procedures, &levels);
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
        let units = out.order.iter().filter_map(|o| by_out.get_mut(*o).and_then(Option::take)).collect();
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

fn show(i: Instant) -> String {
    let d = i.local_date();
    let secs = (i.0 + crate::date::VIETNAM_OFFSET_SECONDS).rem_euclid(86_400);
    format!("{d}T{:02}:{:02}:{:02}+07:00", secs / 3600, secs / 60 % 60, secs % 60)
}

/// The last instant of the month of `d`, Vietnam time.
fn period_end(d: Date) -> Instant {
    Date::new(d.year(), d.month(), days_in_month(d.year(), d.month())).map_or(Instant(i64::MAX), Date::end)
}

/// Maps the other interner's ids onto this one's (adding names when this one is open); `None`
/// when they are the same table.
fn remap(mine: &mut Arc<Interner>, closed: bool, other: &Arc<Interner>) -> Option<Vec<Option<u32>>> {
    if Arc::ptr_eq(mine, other) || mine.names == other.names {
        return None;
    }
    Some(
        other
            .names
            .iter()
            .map(|n| match mine.get(n.as_bytes()) {
                Some(i) => Some(i),
                None if !closed => Some(Arc::make_mut(mine).insert(n.clone())),
                None => None,
            })
            .collect(),
    )
}

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
    flags: &HashMap<(usize, u32), u8, FxBuild>,
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
        let f = ids.get(p.procedure.as_bytes()).and_then(|i| flags.get(&(o, i))).copied().unwrap_or(0);
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
