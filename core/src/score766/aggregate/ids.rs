//! Duplicate `dossier_id`s: a dossier whose id was already counted is still counted (the score is
//! what the data say) and gets a located warning naming the id and the row where it first occurred.
//!
//! # Memory and the hash
//!
//! Each counted dossier costs one 16-byte slot: a 64-bit hash of its id and its row, in an open
//! addressing table kept between 40 % and 80 % full (so 20 to 40 bytes of table per dossier); no id
//! text is kept. A file that can be read twice, read by a session that counted nothing before,
//! is checked compactly instead ([`DossierIds::compact`]): 56 bits of each hash and no row,
//! 6 to 8 bytes a dossier ([`super::fingerprints`]). An id whose bits were seen is a candidate, kept
//! with its id and row; when there is any, the file is read a second time and the row where each
//! candidate's 64-bit hash first occurs is noted ([`DossierIds::firsts`]): a candidate whose hash
//! occurs earlier is warned about exactly as the table would, one whose hash first occurs at its
//! own row (it only shared the 56 bits) is not. A file without repeats is read once. A duplicate is found when its row is read, while its id is still at hand, so the
//! warning names it. Two different ids with the same 64-bit hash would be taken for one: among
//! `n` distinct ids the odds of any such pair are about `n² / 2⁶⁵` — 3 in a million for 10 million
//! ids, 3 % for a billion. Such a false warning never changes a score. An empty id is not an
//! identifier and is never reported.
//!
//! # Which occurrence is first
//!
//! Ids are checked in input order: in one stream, the lowest row. The parallel driver scans a
//! block's pieces at once but checks their ids afterwards, piece by piece in row order, so the
//! warnings do not depend on the number of workers. After a merge of sessions, the session merged
//! into comes first: the other session's ids are checked against it in that session's row order,
//! and the warning names the other file (the id itself is then not at hand and is not named).

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::MAX_KEPT_REJECTIONS;
use super::fingerprints::Fingerprints;
use crate::input::Rejection;
use crate::labels::RejectionText;

/// Rows take the low 48 bits of a slot's key; the top 16 bits say which merged part (0 = this
/// stream's own rows).
const ROW_BITS: u32 = 48;
const ROW_MASK: u64 = (1 << ROW_BITS) - 1;

/// The column warnings name.
const COLUMN: &str = "dossier_id";

/// A 64-bit hash of an id (folded multiplications, as in wyhash and foldhash): fixed, so that the
/// same input gives the same warnings on every platform. Never 0 (the empty slot).
#[must_use]
pub(crate) fn hash_id(id: &[u8]) -> u64 {
    const K1: u64 = 0x9e37_79b9_7f4a_7c15;
    const K2: u64 = 0xd6e8_feb8_6659_fd93;
    let fold = |a: u64, b: u64| {
        let p = u128::from(a) * u128::from(b);
        u64::try_from(p & u128::from(u64::MAX)).unwrap_or(0) ^ u64::try_from(p >> 64).unwrap_or(0)
    };
    let mut h = K2 ^ u64::try_from(id.len()).unwrap_or(u64::MAX);
    let mut chunks = id.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = fold(h ^ u64::from_le_bytes(w), K1);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        if let Some(dst) = w.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        h = fold(h ^ u64::from_le_bytes(w), K1);
    }
    let h = fold(h ^ K1, K2);
    if h == 0 { 1 } else { h }
}

/// The ids of one parallel block's piece, checked by the driver once the piece's first row is
/// known.
#[derive(Debug, Clone, Default)]
struct Deferred {
    /// (hash, row from the piece's start, end of the id in `text`).
    ids: Vec<(u64, u64, usize)>,
    text: Vec<u8>,
}

/// The ids counted so far and the warnings for the duplicates among them.
#[derive(Debug, Clone, Default)]
pub(crate) struct DossierIds {
    /// (hash, part << 48 | row); hash 0 marks an empty slot.
    slots: Vec<(u64, u64)>,
    len: usize,
    /// The source of each part: this stream's first, then those of merged sessions.
    sources: Vec<String>,
    warnings: Vec<Rejection>,
    warnings_omitted: u64,
    /// In a worker of the parallel driver: ids kept for the driver to check.
    deferred: Option<Deferred>,
    /// No check at all (asked for at national scale, where even the compact check costs CPU time).
    off: bool,
    /// The compact check of a file read twice: the ids' fingerprints, and the candidates.
    compact: Option<Box<Compact>>,
    /// The second reading of such a file: the first row of each candidate's hash.
    firsts: Option<Box<FxHashMap<u64, u64>>>,
}

/// The compact check: 56 bits of each id's hash (6 to 8 bytes a dossier instead of 20 to 40),
/// no rows. An id whose bits were seen is a candidate, kept with its row; the rows where the
/// candidates' hashes first occur come from a second reading of the file ([`DossierIds::firsts`]).
#[derive(Debug, Clone, Default)]
struct Compact {
    seen: Fingerprints,
    /// (hash, row, id).
    candidates: Vec<(u64, u64, Box<[u8]>)>,
}

/// The serialized form of [`DossierIds`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IdsWire {
    /// (hash, part << 48 | row), sorted.
    #[serde(default)]
    pub(crate) ids: Vec<(u64, u64)>,
    #[serde(default)]
    pub(crate) sources: Vec<String>,
    #[serde(default)]
    pub(crate) warnings: Vec<Rejection>,
    #[serde(default)]
    pub(crate) warnings_omitted: u64,
}

impl DossierIds {
    /// Ids kept as they come, for the parallel driver to check in row order ([`Self::check_from`]).
    pub(crate) fn deferred() -> Self {
        Self { deferred: Some(Deferred::default()), ..Self::default() }
    }

    /// Ids not checked at all: nothing is noted, no warning given.
    pub(crate) fn off() -> Self {
        Self { off: true, ..Self::default() }
    }

    /// Whether ids are not checked.
    pub(crate) const fn is_off(&self) -> bool {
        self.off
    }

    /// Whether nothing was noted, named or merged yet (a compact check can start).
    pub(crate) fn is_fresh(&self) -> bool {
        self.is_empty() && self.sources.is_empty() && self.deferred.is_none() && self.firsts.is_none()
    }

    /// Ids checked compactly ([`Compact`]): the warnings are known once [`Self::resolve`] is given
    /// the rows a second reading found ([`Self::firsts`]).
    pub(crate) fn compact() -> Self {
        Self { compact: Some(Box::default()), ..Self::default() }
    }

    /// For a second reading of the file: ids that note where each candidate's hash first occurs,
    /// or `None` when there is no candidate (no second reading is needed).
    pub(crate) fn firsts(&self) -> Option<Self> {
        let candidates = &self.compact.as_ref()?.candidates;
        if candidates.is_empty() {
            return None;
        }
        let firsts: FxHashMap<u64, u64> = candidates.iter().map(|(hash, ..)| (*hash, u64::MAX)).collect();
        Some(Self { firsts: Some(Box::new(firsts)), ..Self::default() })
    }

    /// Ends a compact check with the rows `second` (made by [`Self::firsts`]) found: a candidate
    /// whose hash first occurs at an earlier row is a duplicate, warned about as by the exact
    /// table; one whose hash first occurs at its own row only shared the kept bits of another.
    pub(crate) fn resolve(&mut self, second: Self) {
        let Some(compact) = self.compact.as_mut() else { return };
        let candidates = std::mem::take(&mut compact.candidates);
        let firsts = second.firsts.map(|f| *f).unwrap_or_default();
        let source = self.sources.first().cloned().unwrap_or_default();
        for (hash, row, id) in candidates {
            if let Some(first) = firsts.get(&hash).copied().filter(|first| *first < row) {
                let reason = self.reason(first.min(ROW_MASK), Some(&id));
                self.warn(Rejection { source: source.clone(), row, column: Some(COLUMN.to_owned()), reason });
            }
        }
    }

    /// Names this stream `source` if no id named it yet (before a merge: the other stream's ids
    /// then come after this one's, named as theirs, even when this one has none yet).
    pub(crate) fn name_stream(&mut self, source: &str) {
        if self.sources.is_empty() {
            self.sources.push(source.to_owned());
        }
    }

    /// Notes a counted dossier's id at `row` of `source`.
    #[inline]
    pub(crate) fn note(&mut self, id: &[u8], row: u64, source: &str) {
        if id.is_empty() || self.off {
            return;
        }
        let hash = hash_id(id);
        if let Some(d) = &mut self.deferred {
            d.text.extend_from_slice(id);
            d.ids.push((hash, row, d.text.len()));
            return;
        }
        self.check(hash, row, id, source);
    }

    fn check(&mut self, hash: u64, row: u64, id: &[u8], source: &str) {
        if self.sources.is_empty() {
            self.sources.push(source.to_owned());
        }
        if let Some(firsts) = self.firsts.as_mut() {
            if let Some(first) = firsts.get_mut(&hash) {
                *first = (*first).min(row);
            }
            return;
        }
        if let Some(compact) = self.compact.as_mut() {
            if compact.seen.insert(hash) {
                compact.candidates.push((hash, row, id.into()));
            }
            return;
        }
        if let Some(first) = self.insert(hash, row.min(ROW_MASK)) {
            let reason = self.reason(first, Some(id));
            self.warn(Rejection { source: source.to_owned(), row, column: Some(COLUMN.to_owned()), reason });
        }
    }

    /// The reason of a warning for an id first seen at `first` (a slot's key).
    fn reason(&self, first: u64, id: Option<&[u8]>) -> String {
        let (part, row) = (first >> ROW_BITS, first & ROW_MASK);
        let source = usize::try_from(part).ok().and_then(|p| self.sources.get(p)).filter(|_| part > 0);
        let id = id.map(String::from_utf8_lossy);
        match (id, source) {
            (Some(id), None) => RejectionText::DuplicateDossierId.en(&[("id", &id), ("row", &row)]),
            (Some(id), Some(source)) => {
                RejectionText::DuplicateDossierIdIn.en(&[("id", &id), ("row", &row), ("source", source)])
            }
            (None, source) => {
                let source = source.or_else(|| self.sources.first()).map_or("", String::as_str);
                RejectionText::DuplicateDossierIn.en(&[("row", &row), ("source", &source)])
            }
        }
    }

    fn warn(&mut self, w: Rejection) {
        self.warnings.push(w);
        if self.warnings.len() >= 2 * MAX_KEPT_REJECTIONS {
            self.trim();
        }
    }

    /// Keeps the [`MAX_KEPT_REJECTIONS`] warnings of the lowest rows, counting the others.
    pub(crate) fn trim(&mut self) {
        self.warnings.sort_by(|a, b| (a.source.as_str(), a.row).cmp(&(b.source.as_str(), b.row)));
        if self.warnings.len() > MAX_KEPT_REJECTIONS {
            let dropped = self.warnings.len() - MAX_KEPT_REJECTIONS;
            self.warnings.truncate(MAX_KEPT_REJECTIONS);
            self.warnings_omitted = self.warnings_omitted.saturating_add(u64::try_from(dropped).unwrap_or(u64::MAX));
        }
    }

    /// Inserts `(hash, key)`; returns the key already there for `hash`, which stays.
    #[inline]
    fn insert(&mut self, hash: u64, key: u64) -> Option<u64> {
        // At most 80 % full: linear probing stays short.
        if (self.len + 1) * 5 > self.slots.len() * 4 {
            self.grow();
        }
        let cap = self.slots.len();
        let mut i = slot_of(hash, cap);
        for _ in 0..cap {
            match self.slots.get_mut(i) {
                Some(slot) if slot.0 == 0 => {
                    *slot = (hash, key);
                    self.len += 1;
                    return None;
                }
                Some(slot) if slot.0 == hash => return Some(slot.1),
                _ => i = if i + 1 == cap { 0 } else { i + 1 },
            }
        }
        None
    }

    /// Doubles the table, so that it is 40 % full afterwards.
    fn grow(&mut self) {
        let cap = (self.slots.len() * 2).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); cap]);
        self.len = 0;
        for (hash, key) in old.into_iter().filter(|(h, _)| *h != 0) {
            self.insert(hash, key);
        }
    }

    /// Checks the ids the workers of one block deferred, each with the row its piece starts at
    /// (rows from the piece's start); the workers' lists are emptied. The ids are checked as if
    /// one by one in row order, but grouped by the top bits of their hash (a stable counting
    /// sort: equal hashes stay in row order): the table is then walked in order, not at random,
    /// which makes the check several times faster on a large table.
    pub(crate) fn check_block<'w>(&mut self, workers: impl IntoIterator<Item = (&'w mut Self, u64)>, source: &str) {
        if self.off {
            return;
        }
        let mut batch: Vec<(u64, u64, usize, usize, usize)> = Vec::new();
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for (worker, first_row) in workers {
            let Some(d) = worker.deferred.as_mut() else { continue };
            let mut start = 0;
            let piece = texts.len();
            for (hash, row, end) in d.ids.drain(..) {
                batch.push((hash, row.saturating_add(first_row), piece, start, end));
                start = end;
            }
            texts.push(std::mem::take(&mut d.text));
        }
        // Grouped by the top bits of the hash, in row order within a group: of two equal ids in
        // the block, the lower row comes first. A second reading needs no order but the rows'.
        if self.firsts.is_none() {
            batch = by_top_bits(&batch, |(hash, ..)| *hash);
        }
        let id_of = |piece: usize, start: usize, end: usize| texts.get(piece).and_then(|t| t.get(start..end));
        if let Some(compact) = self.compact.as_mut() {
            if self.sources.is_empty() && !batch.is_empty() {
                self.sources.push(source.to_owned());
            }
            let hashes: Vec<u64> = batch.iter().map(|(hash, ..)| *hash).collect();
            for at in compact.seen.insert_all(&hashes) {
                if let Some(&(hash, row, piece, start, end)) = batch.get(at) {
                    compact.candidates.push((hash, row, id_of(piece, start, end).unwrap_or_default().into()));
                }
            }
            return;
        }
        let needed = self.len + batch.len();
        while self.firsts.is_none() && needed * 5 > self.slots.len() * 4 {
            self.grow();
        }
        for (hash, row, piece, start, end) in batch {
            let id = id_of(piece, start, end).unwrap_or_default();
            self.check(hash, row, id, source);
        }
    }

    /// The warnings kept (after [`Self::trim`], the lowest rows).
    #[cfg(test)]
    pub(crate) fn warnings(&self) -> &[Rejection] {
        &self.warnings
    }

    #[cfg(test)]
    pub(crate) const fn warnings_omitted(&self) -> u64 {
        self.warnings_omitted
    }

    /// The warnings kept and the number omitted.
    pub(crate) fn into_warnings(self) -> (Vec<Rejection>, u64) {
        (self.warnings, self.warnings_omitted)
    }

    fn is_empty(&self) -> bool {
        self.len == 0 && self.warnings.is_empty() && self.warnings_omitted == 0 && self.compact.is_none()
    }

    /// The (hash, key) pairs, sorted by key: the order the rows were read in.
    fn entries_by_key(&self) -> Vec<(u64, u64)> {
        let mut entries: Vec<(u64, u64)> = self.slots.iter().copied().filter(|(h, _)| *h != 0).collect();
        entries.sort_unstable_by_key(|(_, key)| *key);
        entries
    }

    /// Adds the ids of another stream (another session's, or an aggregate made elsewhere) after
    /// this one's: its ids are checked against these in its row order, as a part of their own.
    pub(crate) fn merge(&mut self, mut other: Self) {
        if other.is_empty() {
            return;
        }
        if self.is_empty() && self.sources.is_empty() {
            // The parallel driver's ids handed to the session that lent them, or a fresh
            // aggregate merging workers: nothing to check against.
            let deferred = self.deferred.take();
            *self = Self { deferred, ..other };
            return;
        }
        if self.sources.is_empty() {
            self.sources.push(String::new());
        }
        let offset = u64::try_from(self.sources.len()).unwrap_or(u64::MAX);
        for (hash, key) in other.entries_by_key() {
            let (part, row) = ((key >> ROW_BITS).saturating_add(offset), key & ROW_MASK);
            if let Some(first) = self.insert(hash, (part << ROW_BITS) | row) {
                let source = usize::try_from(key >> ROW_BITS).ok().and_then(|p| other.sources.get(p)).cloned();
                let reason = self.reason(first, None);
                self.warn(Rejection {
                    source: source.unwrap_or_default(),
                    row,
                    column: Some(COLUMN.to_owned()),
                    reason,
                });
            }
        }
        self.sources.append(&mut other.sources);
        self.warnings.append(&mut other.warnings);
        self.warnings_omitted = self.warnings_omitted.saturating_add(other.warnings_omitted);
        self.trim();
    }

    /// The serialized form.
    pub(crate) fn to_wire(&self) -> IdsWire {
        let mut ids = self.entries_by_key();
        ids.sort_unstable();
        let mut warnings = self.warnings.clone();
        warnings.sort_by(|a, b| (a.source.as_str(), a.row, &a.reason).cmp(&(b.source.as_str(), b.row, &b.reason)));
        IdsWire { ids, sources: self.sources.clone(), warnings, warnings_omitted: self.warnings_omitted }
    }

    /// From the serialized form.
    pub(crate) fn from_wire(w: IdsWire) -> Self {
        let mut ids =
            Self { sources: w.sources, warnings: w.warnings, warnings_omitted: w.warnings_omitted, ..Self::default() };
        for (hash, key) in w.ids {
            ids.insert(if hash == 0 { 1 } else { hash }, key);
        }
        ids
    }
}

/// The most bits of a hash [`by_top_bits`] groups by.
const GROUP_BITS: u32 = 16;

/// `items` grouped by the top bits of `hash(item)` (about as many groups as items, at most
/// 2^[`GROUP_BITS`]), in their order within a group (a stable counting sort: two passes, no
/// comparison).
fn by_top_bits<T: Copy>(items: &[T], hash: impl Fn(&T) -> u64) -> Vec<T> {
    let bits = (usize::BITS - items.len().leading_zeros()).clamp(1, GROUP_BITS);
    let group = |item: &T| usize::try_from(hash(item) >> (64 - bits)).unwrap_or(0);
    let mut starts = vec![0usize; (1 << bits) + 1];
    for item in items {
        if let Some(n) = starts.get_mut(group(item) + 1) {
            *n += 1;
        }
    }
    for i in 1..starts.len() {
        let before = starts.get(i - 1).copied().unwrap_or(0);
        if let Some(n) = starts.get_mut(i) {
            *n += before;
        }
    }
    let mut out = items.to_vec();
    for item in items {
        if let Some(at) = starts.get_mut(group(item)) {
            if let Some(slot) = out.get_mut(*at) {
                *slot = *item;
            }
            *at += 1;
        }
    }
    out
}

/// The slot where `hash` is looked for first, in a table of `cap` slots (the high bits of
/// `hash · cap`, so that `cap` needs not be a power of two).
#[inline]
fn slot_of(hash: u64, cap: usize) -> usize {
    let cap = u128::try_from(cap).unwrap_or(0);
    usize::try_from((u128::from(hash) * cap) >> 64).unwrap_or(0)
}

/// The reasons of the warnings by row, for tests.
#[cfg(test)]
pub(crate) fn reasons(ids: &DossierIds) -> std::collections::HashMap<u64, String> {
    ids.warnings.iter().map(|w| (w.row, w.reason.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_name_the_id_and_the_first_row() {
        let mut ids = DossierIds::default();
        for (row, id) in [(2, "A"), (3, "B"), (4, "A"), (5, ""), (6, ""), (7, "A")] {
            ids.note(id.as_bytes(), row, "d.csv");
        }
        let r = reasons(&ids);
        assert_eq!(r.len(), 2);
        assert_eq!(r[&4], "dossier_id `A` already at row 2");
        assert_eq!(r[&7], "dossier_id `A` already at row 2");
        assert_eq!(ids.warnings()[0].column.as_deref(), Some("dossier_id"));
    }

    #[test]
    fn the_table_grows_without_losing_ids() {
        let mut ids = DossierIds::default();
        for i in 0..50_000u64 {
            ids.note(format!("HS-{i}").as_bytes(), i + 2, "d.csv");
        }
        assert!(ids.warnings().is_empty());
        ids.note(b"HS-49999", 60_000, "d.csv");
        ids.note(b"HS-0", 60_001, "d.csv");
        assert_eq!(reasons(&ids)[&60_001], "dossier_id `HS-0` already at row 2");
        assert_eq!(ids.warnings().len(), 2);
        assert_ne!(hash_id(b""), 0);
        assert_ne!(hash_id(b"a"), hash_id(b"a\0"));
    }

    #[test]
    fn deferred_ids_are_checked_in_piece_order() {
        let mut stream = DossierIds::default();
        let (mut a, mut b) = (DossierIds::deferred(), DossierIds::deferred());
        b.note(b"X", 0, "");
        a.note(b"X", 0, "");
        a.note(b"Y", 1, "");
        stream.check_block([(&mut a, 2), (&mut b, 4)], "d.csv");
        assert_eq!(reasons(&stream)[&4], "dossier_id `X` already at row 2");
        assert!(a.warnings().is_empty() && a.deferred.as_ref().is_some_and(|d| d.ids.is_empty()));
    }

    /// Reads `blocks` (each a list of pieces of (row from the piece's start, id)) into `ids` as
    /// the parallel driver does; returns the row after the last.
    fn read_blocks(ids: &mut DossierIds, blocks: &[Vec<Vec<(u64, String)>>]) {
        let mut row = 2;
        for block in blocks {
            let mut workers: Vec<(DossierIds, u64)> = Vec::new();
            for piece in block {
                let mut w = DossierIds::deferred();
                for (r, id) in piece {
                    w.note(id.as_bytes(), *r, "");
                }
                workers.push((w, row));
                row += piece.len() as u64;
            }
            ids.check_block(workers.iter_mut().map(|(w, r)| (w, *r)), "d.csv");
        }
    }

    #[test]
    fn the_compact_check_read_twice_warns_as_the_exact_table() {
        // Ids in blocks of pieces: repeats inside a piece, across pieces and across blocks.
        let id = |i: u64| if i % 13 == 5 { format!("HS-{}", i / 3) } else { format!("HS-{i}") };
        let blocks: Vec<Vec<Vec<(u64, String)>>> = (0..5u64)
            .map(|b| (0..3u64).map(|p| (0..700u64).map(|r| (r, id(b * 2100 + p * 700 + r))).collect()).collect())
            .collect();
        let mut exact = DossierIds::default();
        read_blocks(&mut exact, &blocks);
        let mut compact = DossierIds::compact();
        read_blocks(&mut compact, &blocks);
        assert!(compact.warnings().is_empty());
        let mut second = compact.firsts().unwrap();
        read_blocks(&mut second, &blocks);
        compact.resolve(second);
        exact.trim();
        compact.trim();
        assert!(exact.warnings().len() > 100, "{}", exact.warnings().len());
        assert_eq!(compact.warnings(), exact.warnings());
        assert_eq!(compact.warnings_omitted(), exact.warnings_omitted());
        // Without a repeat there is nothing to read again.
        let mut unique = DossierIds::compact();
        read_blocks(&mut unique, &[vec![vec![(0, "A".to_owned()), (1, "B".to_owned())]]]);
        assert!(unique.firsts().is_none());
    }

    proptest::proptest! {
        /// Any ids (from a small alphabet, so that they repeat), cut into any blocks and pieces:
        /// the compact check read twice warns exactly as the table.
        #[test]
        fn the_compact_check_agrees_with_the_table(
            ids in proptest::collection::vec(0u8..40, 0..300),
            cuts in proptest::collection::vec(1usize..40, 1..12),
        ) {
            let mut blocks: Vec<Vec<Vec<(u64, String)>>> = Vec::new();
            let mut rest = &ids[..];
            let mut cut = cuts.iter().cycle();
            while !rest.is_empty() {
                let mut block = Vec::new();
                for _ in 0..3 {
                    let n = cut.next().copied().unwrap_or(1).min(rest.len());
                    let (piece, after) = rest.split_at(n);
                    block.push(piece.iter().enumerate().map(|(r, i)| (r as u64, format!("id{i}"))).collect());
                    rest = after;
                }
                blocks.push(block);
            }
            let mut exact = DossierIds::default();
            read_blocks(&mut exact, &blocks);
            let mut compact = DossierIds::compact();
            read_blocks(&mut compact, &blocks);
            if let Some(mut second) = compact.firsts() {
                read_blocks(&mut second, &blocks);
                compact.resolve(second);
            }
            exact.trim();
            compact.trim();
            proptest::prop_assert_eq!(compact.warnings(), exact.warnings());
        }
    }

    #[test]
    fn a_candidate_that_only_shares_the_kept_bits_is_not_warned_about() {
        let mut compact = DossierIds::compact();
        // Two hashes equal on the 56 kept bits, different on the other 8.
        let (a, b) = (0x1234_0056_789a_bcde_u64, 0x1234_ff56_789a_bcde_u64);
        compact.check(a, 2, b"A", "d.csv");
        compact.check(b, 3, b"B", "d.csv");
        compact.check(b, 4, b"B", "d.csv");
        let mut second = compact.firsts().unwrap();
        second.check(a, 2, b"A", "d.csv");
        second.check(b, 3, b"B", "d.csv");
        second.check(b, 4, b"B", "d.csv");
        compact.resolve(second);
        let r = reasons(&compact);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[&4], "dossier_id `B` already at row 3");
    }

    #[test]
    fn merged_sessions_come_after_and_are_named() {
        let (mut a, mut b) = (DossierIds::default(), DossierIds::default());
        a.note(b"X", 2, "a.csv");
        b.note(b"Y", 2, "b.csv");
        b.note(b"X", 3, "b.csv");
        b.note(b"Y", 4, "b.csv");
        a.merge(b);
        let w: Vec<_> = a.warnings().iter().map(|w| (w.source.as_str(), w.row, w.reason.as_str())).collect();
        assert_eq!(
            w,
            [("b.csv", 3, "dossier_id already at row 2 of `a.csv`"), ("b.csv", 4, "dossier_id `Y` already at row 2")]
        );
        a.note(b"Y", 9, "a.csv");
        assert!(reasons(&a)[&9].ends_with("already at row 2 of `b.csv`"), "{:?}", reasons(&a));
        let back = DossierIds::from_wire(a.to_wire());
        assert_eq!(back.to_wire().ids, a.to_wire().ids);
    }

    #[test]
    fn warnings_are_capped_at_the_lowest_rows() {
        let mut ids = DossierIds::default();
        ids.note(b"X", 1, "d.csv");
        let n = 2 * MAX_KEPT_REJECTIONS as u64 + 5;
        for row in (2..n + 2).rev() {
            ids.note(b"X", row, "d.csv");
        }
        ids.trim();
        assert_eq!(ids.warnings().len(), MAX_KEPT_REJECTIONS);
        assert_eq!(ids.warnings_omitted(), n - MAX_KEPT_REJECTIONS as u64);
        assert_eq!(ids.warnings()[0].row, 2);
    }
}
