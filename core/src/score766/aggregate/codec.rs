//! The aggregate in the compact binary form of a saved partial (`score766::partial`, section 5 of
//! the body): the [`Wire`] form's fields as varints, the dossier ids in row order with their rows
//! as differences. Decoding checks every index against the tables it points into, so that a
//! decoded aggregate is one that counting could have made.

use std::collections::HashSet;

use super::ids::IdsWire;
use super::{Cell, DossierAggregate, Wire, counter};
use crate::score766::partial::{Malformed, Reader, Writer};

impl DossierAggregate {
    /// Writes the aggregate (section 5 of a partial's body), consuming it (its wire form takes
    /// the rejected rows and ids rather than copying them).
    pub(crate) fn encode(self, w: &mut Writer) {
        let wire = Wire::from(self);
        names(w, &wire.units);
        w.u8(u8::from(wire.units_closed));
        names(w, &wire.procedures);
        w.u8(u8::from(wire.procedures_closed));
        w.bytes(&wire.procedure_attrs);
        w.len(wire.cells.len());
        let mut last_unit = 0;
        for (u, m, cell) in &wire.cells {
            w.u64(u64::from(u - last_unit));
            last_unit = *u;
            w.u64(u64::from(*m));
            for c in cell.counts {
                w.u64(c);
            }
            w.varint(cell.processing_seconds);
        }
        w.len(wire.flags.len());
        let mut last_unit = 0;
        for (u, p, m, f) in &wire.flags {
            w.u64(u64::from(u - last_unit));
            last_unit = *u;
            w.u64(u64::from(*p));
            w.u64(u64::from(*m));
            w.u8(*f);
        }
        w.rejections(&wire.rejected);
        w.u64(wire.rejected_omitted);
        ids(w, wire.ids);
        w.u8(u8::from(wire.feedback_read));
    }

    /// Reads an aggregate written by [`Self::encode`].
    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Self, Malformed> {
        let units = read_names(r)?;
        let units_closed = r.bool()?;
        let procedures = read_names(r)?;
        let procedures_closed = r.bool()?;
        let procedure_attrs = r.bytes()?.to_vec();
        let n = r.len()?;
        let mut cells = Vec::with_capacity(n);
        let mut last = None;
        for _ in 0..n {
            let at = r.at;
            let u = next_unit(r, last.map(|(u, _)| u))?;
            let m = r.u32v()?;
            let mut cell = Cell::default();
            for c in &mut cell.counts {
                *c = r.u64v()?;
            }
            cell.processing_seconds = r.varint()?;
            if usize::try_from(u).map_or(true, |u| u >= units.len()) || last.is_some_and(|l| l >= (u, m)) {
                return Err(Malformed { at });
            }
            last = Some((u, m));
            cells.push((u, m, cell));
        }
        let flags = read_flags(r, units.len(), procedures.len())?;
        let rejected = r.rejections()?;
        let rejected_omitted = r.u64v()?;
        let ids = read_ids(r)?;
        let feedback_read = r.bool()?;
        let wire = Wire {
            units,
            units_closed,
            procedures,
            procedures_closed,
            procedure_attrs,
            cells,
            flags,
            rejected,
            rejected_omitted,
            ids,
            feedback_read,
        };
        Ok(Self::from(wire))
    }
}

fn names(w: &mut Writer, names: &[String]) {
    w.len(names.len());
    for n in names {
        w.str(n);
    }
}

/// Names, each once.
fn read_names(r: &mut Reader<'_>) -> Result<Vec<String>, Malformed> {
    let n = r.len()?;
    let mut seen = HashSet::with_capacity(n);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let at = r.at;
        let name = r.string()?;
        if !seen.insert(name.clone()) {
            return Err(Malformed { at });
        }
        out.push(name);
    }
    Ok(out)
}

/// A unit index written as the difference from the previous one.
fn next_unit(r: &mut Reader<'_>, last: Option<u32>) -> Result<u32, Malformed> {
    let at = r.at;
    let delta = r.u32v()?;
    last.unwrap_or(0).checked_add(delta).ok_or(Malformed { at })
}

type Flags = Vec<(u32, u32, u32, u8)>;

/// The (unit, procedure, month, flags) entries, in strictly increasing order, each within the
/// tables and with flags of the 4 bits a procedure has.
fn read_flags(r: &mut Reader<'_>, units: usize, procedures: usize) -> Result<Flags, Malformed> {
    let n = r.len()?;
    let mut flags = Vec::with_capacity(n);
    let mut last: Option<(u32, u32, u32)> = None;
    for _ in 0..n {
        let at = r.at;
        let u = next_unit(r, last.map(|(u, ..)| u))?;
        let (p, m, f) = (r.u32v()?, r.u32v()?, r.u8()?);
        let within = |i: u32, len: usize| usize::try_from(i).is_ok_and(|i| i < len);
        if !within(u, units) || !within(p, procedures) || f == 0 || f > 0xf || last.is_some_and(|l| l >= (u, p, m)) {
            return Err(Malformed { at });
        }
        last = Some((u, p, m));
        flags.push((u, p, m, f));
    }
    Ok(flags)
}

/// The dossier ids: the sources of their parts, the warnings so far, then per id its row key (as
/// the difference from the previous one, in row order) and its 64-bit hash.
fn ids(w: &mut Writer, ids: IdsWire) {
    names(w, &ids.sources);
    w.rejections(&ids.warnings);
    w.u64(ids.warnings_omitted);
    let mut by_key = ids.ids;
    by_key.sort_unstable_by_key(|(hash, key)| (*key, *hash));
    w.len(by_key.len());
    let mut last = 0;
    for (hash, key) in by_key {
        w.u64(key - last);
        last = key;
        w.fixed64(hash);
    }
}

fn read_ids(r: &mut Reader<'_>) -> Result<IdsWire, Malformed> {
    // Sources may repeat (two parts read from files of one name).
    let n = r.len()?;
    let sources = (0..n).map(|_| r.string()).collect::<Result<Vec<_>, _>>()?;
    let warnings = r.rejections()?;
    let warnings_omitted = r.u64v()?;
    let n = r.len()?;
    let mut ids = Vec::with_capacity(n);
    let mut key = 0u64;
    for _ in 0..n {
        let at = r.at;
        key = key.checked_add(r.u64v()?).ok_or(Malformed { at })?;
        let hash = r.fixed64()?;
        if hash == 0 {
            return Err(Malformed { at });
        }
        ids.push((hash, key));
    }
    Ok(IdsWire { ids, sources, warnings, warnings_omitted })
}

/// The number of counters a cell holds (the format writes every one).
const _: () = assert!(counter::N == 28, "a partial's cell holds 28 counters: a new counter is a new format version");
