//! Records → counts: a partial aggregate per unit and month, mergeable in any order.
//!
//! Memory is bounded by units × months (the counters) plus units × procedures × months (one byte
//! of flags for the distinct-procedure metrics); the one part that grows with rows is the table of
//! dossier ids (16 bytes a slot, or about 8 bytes a dossier in a file read twice: `ids`), for the
//! warnings on duplicates. A [`DossierAggregate`]'s
//! counts are a commutative monoid under [`DossierAggregate::merge`]: workers aggregate pieces of
//! a file and the pieces are merged in any order into the same counts as one pass (the parallel
//! driver checks the pieces' ids itself, in row order).

mod codec;
mod fingerprints;
mod ids;
mod intern;
mod rollup;

pub(crate) use ids::DossierIds;

use intern::Interner;

pub use rollup::{CountsOutcome, RECORDLESS};
pub(crate) use rollup::{DOSSIER_METRICS, FEEDBACK_METRICS, PROCEDURE_METRICS};

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::records::{
    Channel, DOSSIER_FIELDS, Days, FeedbackRecord, FieldError, ProcedureTable, ServiceLevel, boolean, channel, count,
    instant, rating_unsatisfied,
};
use crate::date::{Date, DateOnly, Instant, VIETNAM_OFFSET_SECONDS, days_in_month};
use crate::input::Rejection;
use crate::labels::RejectionText;
use crate::units::UnitTree;

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
    /// Dossiers of the unit and month that were rejected (their unit and received date read).
    pub const REJECTED_DOSSIERS: u32 = 26;
    /// Feedback items of the unit and month that were rejected.
    pub const REJECTED_FEEDBACK: u32 = 27;
    pub const N: usize = 28;
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
    /// Adds one to every counter whose bit is set, branch-free (the compiler vectorises it). A
    /// `u64` counter cannot overflow by increments of one.
    #[inline]
    fn add_bits(&mut self, mask: u32) {
        for (i, c) in self.counts.iter_mut().enumerate() {
            *c += u64::from((mask >> i) & 1);
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
pub(crate) mod flag {
    pub const ONLINE_DOSSIER: u8 = 1;
    pub const PAID_ONLINE: u8 = 2;
    pub const CITIZEN_DATA: u8 = 4;
}

/// Procedure attributes the hot path needs, as bits.
pub(crate) mod attr {
    pub const PAPER_RESULT: u8 = 1;
    pub const ELIGIBLE_FULL: u8 = 2;
    pub const SERVICE_FULL: u8 = 4;
}

/// Per procedure, 4 bits of [`flag`]s, 16 procedures to a word.
fn set_flags(procs: &mut Vec<u64>, p: u32, f: u8) {
    let word = p as usize / 16;
    if procs.len() <= word {
        procs.resize(word + 1, 0);
    }
    if let Some(w) = procs.get_mut(word) {
        *w |= u64::from(f) << ((p % 16) * 4);
    }
}

/// The (procedure, flags) pairs with flags set.
fn each_flag(procs: &[u64]) -> impl Iterator<Item = (u32, u8)> + '_ {
    procs.iter().enumerate().filter(|(_, w)| **w != 0).flat_map(|(i, w)| {
        (0..16u32).filter_map(move |k| {
            let f = u8::try_from((w >> (k * 4)) & 0xf).unwrap_or(0);
            (f != 0).then(|| (u32::try_from(i).unwrap_or(u32::MAX / 16) * 16 + k, f))
        })
    })
}

/// One unit's month: its counters and its procedures' flags.
#[derive(Debug, Clone, Default)]
struct MonthCell {
    month: u32,
    cell: Cell,
    procs: Vec<u64>,
}

/// The last few months seen, so that dossiers of the same months skip the calendar.
#[derive(Debug, Clone, Copy)]
struct MonthCache {
    /// Per entry: days since the epoch of the month's first day and of the next month's, and
    /// the month key. An empty entry has an empty range.
    entries: [(i64, i64, u32); 4],
    /// The entry replaced next.
    next: usize,
}

impl Default for MonthCache {
    fn default() -> Self {
        Self { entries: [(1, 0, 0); 4], next: 0 }
    }
}

impl MonthCache {
    /// The month key of an instant and the last instant of that month, Vietnam time.
    #[inline]
    fn month_of(&mut self, i: Instant) -> (u32, Instant) {
        let day = (i.0 + VIETNAM_OFFSET_SECONDS).div_euclid(86_400);
        let end = |next_first_day: i64| Instant(next_first_day * 86_400 - VIETNAM_OFFSET_SECONDS - 1);
        if let Some((_, next, key)) = self.entries.iter().find(|(first, next, _)| *first <= day && day < *next) {
            return (*key, end(*next));
        }
        let d = Date::from_days_since_epoch(day);
        let first = day - i64::from(d.day()) + 1;
        let entry = (first, first + i64::from(days_in_month(d.year(), d.month())), month_key(d));
        if let Some(slot) = self.entries.get_mut(self.next % 4) {
            *slot = entry;
        }
        self.next = (self.next + 1) % 4;
        (entry.2, end(entry.1))
    }
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
    /// Per unit index: its months (few), each with counters and procedure flags.
    cells: Vec<Vec<MonthCell>>,
    rejected: Vec<Rejection>,
    /// Rejections counted but not kept (beyond [`MAX_KEPT_REJECTIONS`]).
    rejected_omitted: u64,
    /// The dossier ids counted, for the warnings on duplicates.
    ids: DossierIds,
    feedback_read: bool,
    month_cache: MonthCache,
}

/// The rejections an aggregate keeps in detail: those of the lowest rows. The others are only
/// counted, so that a file of bad rows cannot make memory grow with its length.
pub const MAX_KEPT_REJECTIONS: usize = 10_000;

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
    rejected_omitted: u64,
    #[serde(default)]
    ids: ids::IdsWire,
    feedback_read: bool,
}

impl From<DossierAggregate> for Wire {
    fn from(a: DossierAggregate) -> Self {
        let mut cells: Vec<(u32, u32, Cell)> = Vec::new();
        let mut flags: Vec<(u32, u32, u32, u8)> = Vec::new();
        for (u, months) in a.cells.iter().enumerate() {
            let u = u32::try_from(u).unwrap_or(u32::MAX);
            for mc in months {
                cells.push((u, mc.month, mc.cell));
                flags.extend(each_flag(&mc.procs).map(|(p, f)| (u, p, mc.month, f)));
            }
        }
        cells.sort_by_key(|(u, m, _)| (*u, *m));
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
            rejected_omitted: a.rejected_omitted,
            ids: a.ids.to_wire(),
            feedback_read: a.feedback_read,
        }
    }
}

impl From<Wire> for DossierAggregate {
    fn from(w: Wire) -> Self {
        let units = Interner::from_names(w.units);
        let mut cells: Vec<Vec<MonthCell>> = vec![Vec::new(); units.names.len()];
        for (u, m, c) in w.cells {
            if let Some(months) = cells.get_mut(u as usize) {
                months.push(MonthCell { month: m, cell: c, procs: Vec::new() });
            }
        }
        for (u, p, m, f) in w.flags {
            let Some(months) = cells.get_mut(u as usize) else { continue };
            let pos = match months.iter().position(|mc| mc.month == m) {
                Some(pos) => pos,
                None => {
                    months.push(MonthCell { month: m, ..MonthCell::default() });
                    months.len() - 1
                }
            };
            if let Some(mc) = months.get_mut(pos) {
                set_flags(&mut mc.procs, p, f);
            }
        }
        Self {
            units: Arc::new(units),
            units_closed: w.units_closed,
            procedures: Arc::new(Interner::from_names(w.procedures)),
            procedures_closed: w.procedures_closed,
            procedure_attrs: Arc::new(w.procedure_attrs),
            cells,
            rejected: w.rejected,
            rejected_omitted: w.rejected_omitted,
            ids: DossierIds::from_wire(w.ids),
            feedback_read: w.feedback_read,
            month_cache: MonthCache::default(),
        }
    }
}

/// A canonical view for equality: names instead of indices.
type Canonical = (
    BTreeMap<(String, u32), Cell>,
    BTreeMap<(String, String, u32), u8>,
    Vec<(String, u64, Option<String>, String)>,
    u64,
    bool,
    ids::IdsWire,
);

impl PartialEq for DossierAggregate {
    /// Equal when they hold the same counts for the same names (whatever the order of interning).
    fn eq(&self, other: &Self) -> bool {
        self.canonical() == other.canonical()
    }
}

impl Eq for DossierAggregate {}

/// The received, due and finished instants of a dossier or a feedback item, the one rule for
/// both: received is required (a date alone is the start of its day), due (a date alone, the end
/// of its day) and finished may be empty, and neither may be before received.
#[inline]
fn timeline(
    received: &[u8],
    due: &[u8],
    finished: &[u8],
) -> Result<(Instant, Option<Instant>, Option<Instant>), FieldError> {
    let received = instant("received_at", received, DateOnly::StartOfDay)?
        .ok_or_else(|| ("received_at", RejectionText::Empty.en(&[])))?;
    let due = instant("due_at", due, DateOnly::EndOfDay)?;
    let finished = instant("finished_at", finished, DateOnly::StartOfDay)?;
    if let Some(d) = due.filter(|d| *d < received) {
        return Err((
            "due_at",
            RejectionText::DueBeforeReceived.en(&[("due", &show(d)), ("received", &show(received))]),
        ));
    }
    if let Some(fin) = finished.filter(|x| *x < received) {
        let values: [(&str, &dyn std::fmt::Display); 2] = [("finished", &show(fin)), ("received", &show(received))];
        return Err(("finished_at", RejectionText::FinishedBeforeReceived.en(&values)));
    }
    Ok((received, due, finished))
}

fn lookup_error(column: &'static str, text: RejectionText, id: &[u8]) -> FieldError {
    (column, text.en(&[(column, &String::from_utf8_lossy(id))]))
}

/// One dossier's fields, read and checked, before it is counted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dossier {
    pub unit: u32,
    pub procedure: u32,
    pub received: Instant,
    pub due: Option<Instant>,
    pub finished: Option<Instant>,
    pub channel: Channel,
    pub requests: u64,
    pub days: Days,
    pub e_result: bool,
    pub digitized: bool,
    pub reused: bool,
    pub shared: bool,
    pub citizen: bool,
    pub synced: bool,
    pub fee: bool,
    pub paid: bool,
    pub complaint: bool,
    pub unsatisfied: bool,
}

/// What one dossier counts towards: the bits of its [`counter`]s and of its procedure's [`flag`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Classified {
    /// One bit per [`counter`] the dossier adds one to (always [`counter::DOSSIERS`]).
    pub mask: u32,
    /// The [`flag`]s it sets for its unit, procedure and month.
    pub flags: u8,
}

/// What one feedback item counts towards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FeedbackClassified {
    /// Its unit (interned).
    pub unit: u32,
    /// Its month key.
    pub month: u32,
    /// The day it was received, Vietnam time.
    pub date: Date,
    /// One bit per [`counter`] it adds one to (always [`counter::FEEDBACK`]).
    pub mask: u32,
    /// Not finished (judged at the end of its month).
    pub open: bool,
    /// The sender said it was not satisfied.
    pub unsatisfied: bool,
    /// The sender raised it again.
    pub raised_again: bool,
}

/// The one classification of a dossier, shared by the counting ([`DossierAggregate`]) and by
/// every pass that must agree with it record by record. `attrs` are its procedure's [`attr`]
/// bits; `month_end` the last instant of its month (the reference of a dossier still open).
#[inline]
pub(crate) fn classify(d: &Dossier, attrs: u8, month_end: Instant) -> Classified {
    let paper = attrs & attr::PAPER_RESULT != 0;
    // The reference instant: when it finished, or the end of its month if still open.
    let reference = d.finished.unwrap_or(month_end);
    let late = d.requests > 1 || d.due.is_some_and(|due| d.days.shorter_than(reference.0.saturating_sub(due.0)));
    let online = d.channel == Channel::Online && (!paper || d.e_result);

    let mut mask = bit(counter::DOSSIERS);
    let mut set = |cond: bool, c: u32| {
        if cond {
            mask |= bit(c);
        }
    };
    set(!late, counter::ON_TIME);
    set(!late && !d.unsatisfied && !d.complaint, counter::SATISFIED);
    set(online, counter::ONLINE);
    set(online && !late, counter::ONLINE_ON_TIME);
    set(d.synced, counter::SYNCED);
    set(paper, counter::PAPER);
    set(paper && d.e_result, counter::PAPER_E_RESULT);
    set(d.digitized && (!paper || d.e_result), counter::DIGITIZED);
    set(d.reused, counter::REUSED);
    set(d.shared, counter::SHARED);
    set(d.citizen, counter::CITIZEN);
    set(d.fee, counter::FEE);
    set(d.fee && d.paid, counter::FEE_PAID_ONLINE);
    let eligible = attrs & attr::ELIGIBLE_FULL != 0;
    set(eligible, counter::ELIGIBLE_FULL);
    set(eligible && online && attrs & attr::SERVICE_FULL != 0, counter::FULL_ONLINE);
    set(d.channel == Channel::Online, counter::CHANNEL_ONLINE);
    set(d.channel == Channel::Direct, counter::CHANNEL_DIRECT);
    set(d.channel == Channel::Postal, counter::CHANNEL_POSTAL);
    set(d.finished.is_some(), counter::COMPLETED);

    let mut flags = 0;
    if online {
        flags |= flag::ONLINE_DOSSIER;
    }
    if d.fee && d.paid {
        flags |= flag::PAID_ONLINE;
    }
    if d.citizen {
        flags |= flag::CITIZEN_DATA;
    }
    Classified { mask, flags }
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
            rejected: Vec::new(),
            rejected_omitted: 0,
            ids: DossierIds::default(),
            feedback_read: false,
            month_cache: MonthCache::default(),
        }
    }

    fn canonical(&self) -> Canonical {
        let mut cells = BTreeMap::new();
        let mut flags = BTreeMap::new();
        for (u, months) in self.cells.iter().enumerate() {
            let unit = self.units.name(u32::try_from(u).unwrap_or(u32::MAX));
            for mc in months {
                cells.entry((unit.to_owned(), mc.month)).or_insert_with(Cell::default).add(&mc.cell);
                for (p, f) in each_flag(&mc.procs) {
                    *flags.entry((unit.to_owned(), self.procedures.name(p).to_owned(), mc.month)).or_insert(0) |= f;
                }
            }
        }
        let mut rejected: Vec<_> =
            self.rejected.iter().map(|r| (r.source.clone(), r.row, r.column.clone(), r.reason.clone())).collect();
        rejected.sort();
        (cells, flags, rejected, self.rejected_omitted, self.feedback_read, self.ids.to_wire())
    }

    /// The rows rejected so far.
    #[must_use]
    pub fn rejected(&self) -> &[Rejection] {
        &self.rejected
    }

    pub(crate) fn reject(&mut self, r: Rejection) {
        self.rejected.push(r);
        if self.rejected.len() >= 2 * MAX_KEPT_REJECTIONS {
            self.trim_rejections();
        }
    }

    /// Keeps the [`MAX_KEPT_REJECTIONS`] rejections of the lowest rows, counting the others.
    pub(crate) fn trim_rejections(&mut self) {
        self.rejected.sort_by(|a, b| (a.source.as_str(), a.row).cmp(&(b.source.as_str(), b.row)));
        if self.rejected.len() > MAX_KEPT_REJECTIONS {
            let dropped = self.rejected.len() - MAX_KEPT_REJECTIONS;
            self.rejected.truncate(MAX_KEPT_REJECTIONS);
            self.rejected_omitted = self.rejected_omitted.saturating_add(u64::try_from(dropped).unwrap_or(u64::MAX));
        }
    }

    /// The number of rejections counted but not kept in detail.
    #[must_use]
    pub const fn rejected_omitted(&self) -> u64 {
        self.rejected_omitted
    }

    /// Notes the id of a dossier just counted, at `row` of `source` (a duplicate gets a warning).
    #[inline]
    pub(crate) fn note_id(&mut self, id: &[u8], row: u64, source: &str) {
        self.ids.note(id, row, source);
    }

    /// The ids, mutably (the parallel driver checks its workers' ids here).
    pub(crate) fn ids_mut(&mut self) -> &mut DossierIds {
        &mut self.ids
    }

    /// Takes the ids (leaving none), to lend them to the parallel driver or to score.
    pub(crate) fn take_ids(&mut self) -> DossierIds {
        std::mem::take(&mut self.ids)
    }

    /// Sets the ids (the parallel driver's workers keep theirs for it to check).
    pub(crate) fn set_ids(&mut self, ids: DossierIds) {
        self.ids = ids;
    }

    pub(crate) fn set_feedback_read(&mut self) {
        self.feedback_read = true;
    }

    /// Adds the rejections' row offset (for a piece of a file scanned from row 0).
    pub(crate) fn shift_rejections(&mut self, by: u64) {
        for r in &mut self.rejected {
            r.row = r.row.saturating_add(by);
        }
    }

    /// Takes the rejections kept so far (the count of omitted ones stays).
    pub(crate) fn take_rejections(&mut self) -> Vec<Rejection> {
        std::mem::take(&mut self.rejected)
    }

    /// Adds back rejections taken by [`Self::take_rejections`], keeping the lowest rows.
    pub(crate) fn restore_rejections(&mut self, earlier: Vec<Rejection>) {
        self.rejected.extend(earlier);
        if self.rejected.len() >= 2 * MAX_KEPT_REJECTIONS {
            self.trim_rejections();
        }
    }

    /// Forgets the rejections and the ids (whose rows differ when a file is read in pieces).
    #[cfg(test)]
    pub(crate) fn clear_rejections(&mut self) {
        self.rejected.clear();
        self.ids = DossierIds::default();
    }

    #[inline]
    fn unit_id(&mut self, id: &[u8]) -> Result<u32, FieldError> {
        if id.is_empty() {
            return Err(("unit", RejectionText::Empty.en(&[])));
        }
        if let Some(i) = self.units.get(id) {
            return Ok(i);
        }
        if self.units_closed {
            return Err(lookup_error("unit", RejectionText::UnknownUnit, id));
        }
        let name =
            std::str::from_utf8(id).map_err(|e| ("unit", RejectionText::NotUtf8.en(&[("byte", &e.valid_up_to())])))?;
        let i = Arc::make_mut(&mut self.units).insert(name.to_owned());
        self.cells.resize_with(self.units.names.len(), Vec::new);
        Ok(i)
    }

    #[inline]
    fn procedure_id(&mut self, id: &[u8]) -> Result<u32, FieldError> {
        if id.is_empty() {
            return Err(("procedure", RejectionText::Empty.en(&[])));
        }
        if let Some(i) = self.procedures.get(id) {
            return Ok(i);
        }
        if self.procedures_closed {
            return Err(lookup_error("procedure", RejectionText::UnknownProcedure, id));
        }
        let name = std::str::from_utf8(id)
            .map_err(|e| ("procedure", RejectionText::NotUtf8.en(&[("byte", &e.valid_up_to())])))?;
        Ok(Arc::make_mut(&mut self.procedures).insert(name.to_owned()))
    }

    #[inline]
    fn cell(&mut self, unit: u32, month: u32) -> Option<&mut MonthCell> {
        let months = self.cells.get_mut(unit as usize)?;
        let pos = match months.iter().rposition(|mc| mc.month == month) {
            Some(p) => p,
            None => {
                months.push(MonthCell { month, ..MonthCell::default() });
                months.len() - 1
            }
        };
        months.get_mut(pos)
    }

    /// Classifies one dossier from its fields (in [`super::records::DOSSIER_COLUMNS`] order,
    /// trimmed) and counts it; a record that cannot be classified changes nothing.
    #[inline]
    pub(crate) fn add_dossier(&mut self, f: &[&[u8]; DOSSIER_FIELDS]) -> Result<(), FieldError> {
        match self.read_dossier(f) {
            Ok(d) => {
                self.count_dossier(&d);
                Ok(())
            }
            Err(e) => {
                let [_, unit, _, received, ..] = *f;
                self.count_rejected(unit, received, counter::REJECTED_DOSSIERS);
                Err(e)
            }
        }
    }

    /// Every counter summed over units and months (for tests that recount records one by one).
    #[cfg(test)]
    pub(crate) fn counter_totals(&self) -> [u64; counter::N] {
        let mut t = [0u64; counter::N];
        for mc in self.cells.iter().flatten() {
            for (a, b) in t.iter_mut().zip(mc.cell.counts.iter()) {
                *a += b;
            }
        }
        t
    }

    /// Reads and classifies one dossier without counting it: the same reading and the same
    /// [`classify`] as [`Self::add_dossier`], for passes that must agree with the counts record by
    /// record (the unit and procedure are interned here, as counting would).
    pub(crate) fn classify_dossier(
        &mut self,
        f: &[&[u8]; DOSSIER_FIELDS],
    ) -> Result<(Dossier, Classified), FieldError> {
        let d = self.read_dossier(f)?;
        let (_, month_end) = self.month_cache.month_of(d.received);
        let attrs = self.procedure_attrs.get(d.procedure as usize).copied().unwrap_or(0);
        Ok((d, classify(&d, attrs, month_end)))
    }

    /// Counts a rejected record in its unit and month when both can be read, so that a unit
    /// whose only records were rejected has `invalid` metrics rather than a zero denominator's
    /// default (score766.md, "Zero is not unknown"). Off the hot path: only rejected records.
    #[cold]
    fn count_rejected(&mut self, unit: &[u8], received: &[u8], which: u32) {
        let Some(unit) = self.units.get(unit) else { return };
        let Ok(Some(received)) = instant("received_at", received, DateOnly::StartOfDay) else { return };
        let (month, _) = self.month_cache.month_of(received);
        if let Some(mc) = self.cell(unit, month) {
            mc.cell.add_bits(bit(which));
        }
    }

    /// Reads and checks every field of one dossier (the unit and procedure interned).
    #[inline]
    fn read_dossier(&mut self, f: &[&[u8]; DOSSIER_FIELDS]) -> Result<Dossier, FieldError> {
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
        let (received, due, finished) = timeline(received, due, finished)?;
        Ok(Dossier {
            unit,
            procedure,
            received,
            due,
            finished,
            channel: channel(chan)?,
            requests: count("supplement_requests", sreq)?,
            days: Days::parse("supplement_days", sdays)?,
            e_result: boolean("e_result", e_result)?,
            digitized: boolean("digitized", digitized)?,
            reused: boolean("reused_data", reused)?,
            shared: boolean("shared_storage", shared)?,
            citizen: boolean("citizen_data", citizen)?,
            synced: boolean("synced", synced)?,
            fee: boolean("fee", fee)?,
            paid: boolean("paid_online", paid)?,
            complaint: boolean("complaint", complaint)?,
            unsatisfied: rating_unsatisfied(rating)?,
        })
    }

    /// Counts one dossier read by [`Self::read_dossier`] in its unit and month.
    #[inline]
    fn count_dossier(&mut self, d: &Dossier) {
        let (month, month_end) = self.month_cache.month_of(d.received);
        let attrs = self.procedure_attrs.get(d.procedure as usize).copied().unwrap_or(0);
        let Classified { mask, flags } = classify(d, attrs, month_end);
        if let Some(mc) = self.cell(d.unit, month) {
            mc.cell.add_bits(mask);
            if let Some(fin) = d.finished {
                let secs = u128::try_from(fin.0.saturating_sub(d.received.0)).unwrap_or(0);
                mc.cell.processing_seconds = mc.cell.processing_seconds.saturating_add(secs);
            }
            if flags != 0 {
                set_flags(&mut mc.procs, d.procedure, flags);
            }
        }
    }

    /// Classifies one feedback item and counts it.
    pub(crate) fn add_feedback(&mut self, r: &FeedbackRecord) -> Result<(), FieldError> {
        self.read_feedback(r).inspect_err(|_| {
            let (unit, received) = (r.unit.trim().as_bytes(), r.received_at.trim().as_bytes());
            self.count_rejected(unit, received, counter::REJECTED_FEEDBACK);
        })
    }

    fn read_feedback(&mut self, r: &FeedbackRecord) -> Result<(), FieldError> {
        let c = self.classify_feedback(r)?;
        if let Some(mc) = self.cell(c.unit, c.month) {
            mc.cell.add_bits(c.mask);
        }
        Ok(())
    }

    /// Adds `other` into `self`. Merging the counts is associative and commutative: they do not
    /// depend on the order pieces are merged in (compare with `==`, which ignores the order of
    /// interning). The dossier ids are the exception: `other`'s come after `self`'s, so a duplicate
    /// between them is warned about in `other`'s rows.
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
            for theirs in months {
                let Some(mine) = self.cell(target, theirs.month) else { continue };
                mine.cell.add(&theirs.cell);
                if procedure_map.is_none() {
                    if mine.procs.len() < theirs.procs.len() {
                        mine.procs.resize(theirs.procs.len(), 0);
                    }
                    for (a, b) in mine.procs.iter_mut().zip(&theirs.procs) {
                        *a |= *b;
                    }
                } else {
                    for (p, f) in each_flag(&theirs.procs) {
                        if let Some(p) = map(&procedure_map, p) {
                            set_flags(&mut mine.procs, p, f);
                        }
                    }
                }
            }
        }
        self.rejected.extend(other.rejected);
        self.rejected_omitted = self.rejected_omitted.saturating_add(other.rejected_omitted);
        self.trim_rejections();
        self.ids.merge(other.ids);
        self.feedback_read |= other.feedback_read;
    }

    /// Reads and classifies one feedback item without counting it: the one classification that
    /// [`Self::add_feedback`] counts, for passes that must agree with it record by record.
    pub(crate) fn classify_feedback(&mut self, r: &FeedbackRecord) -> Result<FeedbackClassified, FieldError> {
        let trim = |s: &str| s.trim().as_bytes().to_vec();
        let unit = self.unit_id(&trim(&r.unit))?;
        let (received, due, finished) =
            timeline(r.received_at.trim().as_bytes(), r.due_at.trim().as_bytes(), r.finished_at.trim().as_bytes())?;
        let about = match r.about.trim() {
            t if t.eq_ignore_ascii_case("rules") => counter::FEEDBACK_RULES,
            t if t.eq_ignore_ascii_case("staff") => counter::FEEDBACK_STAFF,
            t if t.is_empty() || t.eq_ignore_ascii_case("other") => counter::FEEDBACK_OTHER,
            other => return Err(("about", RejectionText::NotAbout.en(&[("value", &other)]))),
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
        Ok(FeedbackClassified {
            unit,
            month: month_key(local),
            date: local,
            mask,
            open: finished.is_none(),
            unsatisfied,
            raised_again,
        })
    }

    /// The name of an interned unit (empty for an index it never gave).
    pub(crate) fn unit_name(&self, unit: u32) -> &str {
        self.units.name(unit)
    }

    /// Whether a feedback file was read (the feedback metrics are counted, zero or not).
    pub(crate) const fn feedback_was_read(&self) -> bool {
        self.feedback_read
    }
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

fn show(i: Instant) -> String {
    let d = i.local_date();
    let secs = (i.0 + crate::date::VIETNAM_OFFSET_SECONDS).rem_euclid(86_400);
    format!("{d}T{:02}:{:02}:{:02}+07:00", secs / 3600, secs / 60 % 60, secs % 60)
}

/// The last instant of the month of `d`, Vietnam time.
fn period_end(d: Date) -> Instant {
    Date::new(d.year(), d.month(), days_in_month(d.year(), d.month())).map_or(Instant(i64::MAX), Date::end)
}
