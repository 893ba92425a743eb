//! Saved partials: a Decision 766 session's state as bytes, to load in another process (another
//! front end, another machine) and merge there.
//!
//! A province scores its month into a partial, sends the file, and the centre merges the partials
//! of every province into one scorecard: byte for byte the one a single session over all the
//! records gives (the rows a file rejected keep that file's name and rows, and a `dossier_id` seen
//! in two partials is warned about in the later one's rows, as when two sessions are merged in
//! one process).
//!
//! # Format (version 1)
//!
//! All integers little-endian. A **header**, readable without the body ([`PartialHeader::read`]):
//!
//! | bytes | field |
//! |---|---|
//! | 8 | magic [`MAGIC`] (`CHISOPRT`) |
//! | 2 | format version ([`FORMAT_VERSION`] = 1); another version is refused (`partial_version`), before any checksum, since another version may lay its header out otherwise |
//! | 1 + n | the profile name (length, then UTF-8) |
//! | 1 + n | the period or range (`2026-08`, `2026-01..2026-08`), as `--period` takes it |
//! | 8 | the context checksum: FNV-1a 64 of the body's context section |
//! | 8 | the body's length in bytes |
//! | 8 | the body's checksum: FNV-1a 64 of the body |
//! | 8 | the header's checksum: FNV-1a 64 of every header byte before it |
//!
//! then the **body** (lengths and counts are LEB128 varints, text is a varint length then UTF-8):
//!
//! 1. flags (bit 0 strict, bit 1 dossier ids checked for duplicates), and the five input names
//!    (dossiers, units, procedures, feedback, counts) that rejections and messages use;
//! 2. the **context** the records were classified against, as one JSON text:
//!    `{"units": [unit…] | null, "procedures": [procedure…] | null, "rejected": [rejection…]}` — the
//!    accepted rows of `units.csv` and `procedures.csv` (the fields of `formats.md`) and the rows
//!    those files rejected. Two partials merge only when their context checksums are equal: a
//!    record counted against another unit tree would be rolled up differently;
//! 3. the counts files loaded (per file: the period it fills, its name, its counts as the counts
//!    JSON of `formats.md`, the rows it rejected);
//! 4. the rows rejected outside the records (by a front end's own reading);
//! 5. the aggregate: the units and procedures named, counters per unit and month (28 varints and
//!    the seconds of processing), flags per unit, procedure and month, the rejected rows, and the
//!    dossier ids for the warnings on duplicates (per id: the 64-bit hash, 8 bytes, and the row as a
//!    varint difference from the previous id's, in row order: about 9 bytes a dossier).
//!
//! Any single damaged byte fails a checksum, a cut file fails the length (`partial_corrupt`), and
//! nothing is mixed: [`PartialHeader::check_merge`] refuses another profile, range or context
//! (`partial_mismatch`) before any body is read. Why by hand rather than a serde format: the
//! types' serde derives skip absent fields (which a non-self-describing binary format cannot
//! read back), and the few lines of varints here keep the format documented in one place with no
//! dependency.

use crate::error::ErrorCode;
use crate::input::Rejection;
use crate::labels::{ErrorText, Lang, localize};
use crate::period::{Period, PeriodRange};
use crate::units::{Unit, UnitTree};

use super::aggregate::DossierAggregate;
use super::counts::Counts;
use super::records::{Procedure, ProcedureTable};

/// The first eight bytes of every partial.
pub const MAGIC: [u8; 8] = *b"CHISOPRT";

/// The format version written, and the only one read.
pub const FORMAT_VERSION: u16 = 1;

/// The bytes of the header after its two texts: four 64-bit fields.
const HEADER_TAIL: usize = 32;

/// A partial that cannot be loaded or merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartialError {
    /// Not a partial, cut short, damaged (a checksum fails) or undecodable (`partial_corrupt`).
    #[error("{0}")]
    Corrupt(String),
    /// Of another format version (`partial_version`).
    #[error("{0}")]
    Version(String),
    /// Of another profile, period range or context than the one merged into (`partial_mismatch`).
    #[error("{0}")]
    Mismatch(String),
}

impl PartialError {
    /// The stable code.
    #[must_use]
    pub const fn code(&self) -> ErrorCode {
        match self {
            Self::Corrupt(_) => ErrorCode::PartialCorrupt,
            Self::Version(_) => ErrorCode::PartialVersion,
            Self::Mismatch(_) => ErrorCode::PartialMismatch,
        }
    }

    /// The message in `lang`.
    #[must_use]
    pub fn message_in(&self, lang: Lang) -> String {
        match self {
            Self::Corrupt(m) | Self::Version(m) | Self::Mismatch(m) => localize(m, lang).into_owned(),
        }
    }

    fn corrupt(file: &str, reason: String) -> Self {
        Self::Corrupt(ErrorText::FileReason.en(&[("file", &file), ("reason", &reason)]))
    }
}

/// FNV-1a, 64 bits: the checksum of the format (a single changed byte always changes it).
#[must_use]
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET, |h, b| (h ^ u64::from(*b)).wrapping_mul(PRIME))
}

/// The header of a partial: what it is for, read without its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialHeader {
    /// The format version ([`FORMAT_VERSION`]).
    pub version: u16,
    /// The profile name.
    pub profile: String,
    /// The period, or range of periods, of the session saved.
    pub period: PeriodRange,
    /// FNV-1a 64 of the context section (units, procedures and their rejected rows).
    pub context_checksum: u64,
    /// The body's length in bytes.
    pub body_len: u64,
    /// FNV-1a 64 of the body.
    pub body_checksum: u64,
    /// The header's length in bytes (where the body starts).
    pub header_len: usize,
}

impl PartialHeader {
    /// Reads and checks the header at the start of `bytes` (the whole partial, or only its first
    /// bytes: at most 8 + 2 + 256 + 256 + 32). `source` names the partial in errors.
    pub fn read(bytes: &[u8], source: &str) -> Result<Self, PartialError> {
        let mut r = Reader::new(bytes);
        let truncated = |expected: usize| {
            PartialError::corrupt(
                source,
                ErrorText::PartialTruncated.en(&[("found", &bytes.len()), ("expected", &expected)]),
            )
        };
        match r.take(MAGIC.len()) {
            Ok(magic) if magic == MAGIC => {}
            _ if bytes.len() < MAGIC.len() && MAGIC.starts_with(bytes) => return Err(truncated(MAGIC.len() + 2)),
            _ => return Err(PartialError::corrupt(source, ErrorText::PartialNotPartial.en(&[]))),
        }
        let version = r.u16().map_err(|_| truncated(MAGIC.len() + 2))?;
        if version != FORMAT_VERSION {
            let values: [(&str, &dyn std::fmt::Display); 2] = [("found", &version), ("expected", &FORMAT_VERSION)];
            let reason = ErrorText::PartialVersion.en(&values);
            return Err(PartialError::Version(ErrorText::FileReason.en(&[("file", &source), ("reason", &reason)])));
        }
        let fields = (|| -> Result<_, Malformed> {
            let profile = r.short_bytes()?;
            let period = r.short_bytes()?;
            Ok((profile, period, r.u64()?, r.u64()?, r.u64()?))
        })();
        let Ok((profile, period, context_checksum, body_len, body_checksum)) = fields else {
            return Err(truncated(r.at.max(bytes.len()).saturating_add(HEADER_TAIL)));
        };
        let covered = bytes.get(..r.at).unwrap_or_default();
        let header_checksum = r.u64().map_err(|_| truncated(r.at.saturating_add(8)))?;
        if fnv1a64(covered) != header_checksum {
            return Err(PartialError::corrupt(source, ErrorText::PartialHeaderChecksum.en(&[])));
        }
        let undecodable =
            |at: usize| PartialError::corrupt(source, ErrorText::PartialUndecodable.en(&[("offset", &at)]));
        let profile = std::str::from_utf8(profile).map_err(|_| undecodable(MAGIC.len() + 3))?.to_owned();
        let period = std::str::from_utf8(period)
            .ok()
            .and_then(|p| p.parse::<PeriodRange>().ok())
            .ok_or_else(|| undecodable(MAGIC.len() + 4 + profile.len()))?;
        Ok(Self { version, profile, period, context_checksum, body_len, body_checksum, header_len: r.at })
    }

    /// The whole partial's length: header and body.
    #[must_use]
    pub fn total_len(&self) -> u64 {
        u64::try_from(self.header_len).unwrap_or(u64::MAX).saturating_add(self.body_len)
    }

    /// Fails unless a partial with header `other` may be merged into one with this header: the
    /// same profile, period range and context ([`ErrorCode::PartialMismatch`]).
    pub fn check_merge(&self, other: &Self) -> Result<(), PartialError> {
        check_same(
            (&self.profile, self.period, self.context_checksum),
            (&other.profile, other.period, other.context_checksum),
        )
    }
}

/// Fails unless (profile, period range, context checksum) `theirs` equals `mine`.
pub(crate) fn check_same(mine: (&str, PeriodRange, u64), theirs: (&str, PeriodRange, u64)) -> Result<(), PartialError> {
    if mine.0 != theirs.0 || mine.1 != theirs.1 {
        let values: [(&str, &dyn std::fmt::Display); 4] =
            [("other_profile", &theirs.0), ("other_period", &theirs.1), ("profile", &mine.0), ("period", &mine.1)];
        return Err(PartialError::Mismatch(ErrorText::PartialMergeOther.en(&values)));
    }
    if mine.2 != theirs.2 {
        let (other, mine) = (format!("{:016x}", theirs.2), format!("{:016x}", mine.2));
        return Err(PartialError::Mismatch(ErrorText::PartialContext.en(&[("other", &other), ("mine", &mine)])));
    }
    Ok(())
}

/// The context of a session as its canonical JSON text (the context section of the format).
#[derive(Debug, serde::Serialize)]
struct ContextOut<'a> {
    units: Option<&'a [Unit]>,
    procedures: Option<&'a [Procedure]>,
    rejected: &'a [Rejection],
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextIn {
    units: Option<Vec<Unit>>,
    procedures: Option<Vec<Procedure>>,
    rejected: Vec<Rejection>,
}

/// The canonical bytes of a context: the units and procedures accepted and the rows rejected when
/// they were read.
#[must_use]
pub(crate) fn context_bytes(
    units: Option<&UnitTree>,
    procedures: Option<&ProcedureTable>,
    rejected: &[Rejection],
) -> Vec<u8> {
    let out =
        ContextOut { units: units.map(UnitTree::units), procedures: procedures.map(ProcedureTable::list), rejected };
    serde_json::to_vec(&out).unwrap_or_default()
}

/// A counts file loaded into a session: the period it fills, the counts, the rows it rejected,
/// its name.
pub(crate) type SavedCounts = (Period, Counts, Vec<Rejection>, String);

/// Everything a partial holds.
#[derive(Debug)]
pub(crate) struct Parts {
    pub profile: String,
    pub period: PeriodRange,
    pub strict: bool,
    pub check_duplicate_ids: bool,
    /// Dossiers, units, procedures, feedback, counts.
    pub names: [String; 5],
    pub units: Option<UnitTree>,
    pub procedures: Option<ProcedureTable>,
    /// The rows of the units and procedures files rejected.
    pub context_rejected: Vec<Rejection>,
    pub counts: Vec<SavedCounts>,
    /// Rows rejected outside the records and the context.
    pub rejected: Vec<Rejection>,
    pub aggregate: DossierAggregate,
}

/// Writes `parts` as a partial.
pub(crate) fn encode(parts: Parts) -> Vec<u8> {
    let context = context_bytes(parts.units.as_ref(), parts.procedures.as_ref(), &parts.context_rejected);
    let mut body = Writer::default();
    body.u8(u8::from(parts.strict) | (u8::from(parts.check_duplicate_ids) << 1));
    for name in &parts.names {
        body.str(name);
    }
    body.bytes(&context);
    body.len(parts.counts.len());
    for (period, counts, rejected, source) in &parts.counts {
        body.str(&period.to_string());
        body.str(source);
        body.bytes(&serde_json::to_vec(counts).unwrap_or_default());
        body.rejections(rejected);
    }
    body.rejections(&parts.rejected);
    parts.aggregate.encode(&mut body);
    let body = body.out;
    let mut head = Writer::default();
    head.out.extend_from_slice(&MAGIC);
    head.out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    head.short_str(&parts.profile);
    head.short_str(&parts.period.to_string());
    head.out.extend_from_slice(&fnv1a64(&context).to_le_bytes());
    head.out.extend_from_slice(&u64::try_from(body.len()).unwrap_or(u64::MAX).to_le_bytes());
    head.out.extend_from_slice(&fnv1a64(&body).to_le_bytes());
    let header_checksum = fnv1a64(&head.out);
    head.out.extend_from_slice(&header_checksum.to_le_bytes());
    head.out.extend_from_slice(&body);
    head.out
}

/// Reads a whole partial: its header is checked, then its length and body checksum, then the body
/// is decoded.
pub(crate) fn decode(bytes: &[u8], source: &str) -> Result<(PartialHeader, Parts), PartialError> {
    let header = PartialHeader::read(bytes, source)?;
    let found = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let expected = header.total_len();
    if found < expected {
        let values: [(&str, &dyn std::fmt::Display); 2] = [("found", &found), ("expected", &expected)];
        return Err(PartialError::corrupt(source, ErrorText::PartialTruncated.en(&values)));
    }
    if found > expected {
        return Err(PartialError::corrupt(source, ErrorText::PartialTooLong.en(&[("extra", &(found - expected))])));
    }
    let body = bytes.get(header.header_len..).unwrap_or_default();
    if fnv1a64(body) != header.body_checksum {
        return Err(PartialError::corrupt(source, ErrorText::PartialBodyChecksum.en(&[])));
    }
    let parts = decode_body(&header, body).map_err(|Malformed { at }| {
        let offset = header.header_len.saturating_add(at);
        PartialError::corrupt(source, ErrorText::PartialUndecodable.en(&[("offset", &offset)]))
    })?;
    Ok((header, parts))
}

fn decode_body(header: &PartialHeader, body: &[u8]) -> Result<Parts, Malformed> {
    let mut r = Reader::new(body);
    let flags = r.u8()?;
    if flags > 3 {
        return Err(r.malformed());
    }
    let mut names: [String; 5] = Default::default();
    for name in &mut names {
        *name = r.string()?;
    }
    let context_at = r.at;
    let context = r.bytes()?;
    if fnv1a64(context) != header.context_checksum {
        return Err(Malformed { at: context_at });
    }
    let (units, procedures, context_rejected) = read_context(context).ok_or(Malformed { at: context_at })?;
    let n = r.len()?;
    let mut counts: Vec<SavedCounts> = Vec::new();
    for _ in 0..n {
        let at = r.at;
        let period: Period = r.string()?.parse().map_err(|_| Malformed { at })?;
        let source = r.string()?;
        let at = r.at;
        let json: Counts = serde_json::from_slice(r.bytes()?).map_err(|_| Malformed { at })?;
        // Each counts file fills one period of the range, one file a period.
        let fits = header.period.iter().any(|p| p == period) && !counts.iter().any(|(p, ..)| *p == period);
        if !fits {
            return Err(Malformed { at });
        }
        counts.push((period, json, r.rejections()?, source));
    }
    let rejected = r.rejections()?;
    let aggregate = DossierAggregate::decode(&mut r)?;
    if r.at != body.len() {
        return Err(r.malformed());
    }
    Ok(Parts {
        profile: header.profile.clone(),
        period: header.period,
        strict: flags & 1 != 0,
        check_duplicate_ids: flags & 2 != 0,
        names,
        units,
        procedures,
        context_rejected,
        counts,
        rejected,
        aggregate,
    })
}

type Context = (Option<UnitTree>, Option<ProcedureTable>, Vec<Rejection>);

/// The context section read back; `None` when it is not one that [`context_bytes`] writes.
fn read_context(bytes: &[u8]) -> Option<Context> {
    let c: ContextIn = serde_json::from_slice(bytes).ok()?;
    let units = match c.units {
        Some(units) => {
            let rows = units.into_iter().zip(1u64..).map(|(u, i)| (i, u)).collect();
            let mut rejected = Vec::new();
            let tree = UnitTree::build(rows, "", &mut rejected).ok()?;
            // Units that were accepted once are accepted again.
            if !rejected.is_empty() {
                return None;
            }
            Some(tree)
        }
        None => None,
    };
    let procedures = c.procedures.map(ProcedureTable::new);
    let rebuilt = context_bytes(units.as_ref(), procedures.as_ref(), &c.rejected);
    // The same bytes again: nothing was dropped or reordered on the way.
    (rebuilt == bytes).then_some((units, procedures, c.rejected))
}

/// A body that does not decode, at this offset of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed {
    pub at: usize,
}

/// The writer of the format's primitives.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub out: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.out.push(v);
    }

    /// An unsigned LEB128 varint.
    pub fn varint(&mut self, mut v: u128) {
        loop {
            let low = u8::try_from(v & 0x7f).unwrap_or(0);
            v >>= 7;
            if v == 0 {
                self.out.push(low);
                return;
            }
            self.out.push(low | 0x80);
        }
    }

    pub fn u64(&mut self, v: u64) {
        self.varint(u128::from(v));
    }

    pub fn len(&mut self, n: usize) {
        self.u64(u64::try_from(n).unwrap_or(u64::MAX));
    }

    pub fn fixed64(&mut self, v: u64) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.out.extend_from_slice(b);
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// A text of at most 255 bytes (a header's), cut at a character boundary beyond that.
    fn short_str(&mut self, s: &str) {
        let mut end = s.len().min(255);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let s = s.get(..end).unwrap_or_default();
        self.out.push(u8::try_from(s.len()).unwrap_or(0));
        self.out.extend_from_slice(s.as_bytes());
    }

    pub fn rejection(&mut self, r: &Rejection) {
        self.str(&r.source);
        self.u64(r.row);
        match &r.column {
            Some(c) => {
                self.u8(1);
                self.str(c);
            }
            None => self.u8(0),
        }
        self.str(&r.reason);
    }

    pub fn rejections(&mut self, rs: &[Rejection]) {
        self.len(rs.len());
        for r in rs {
            self.rejection(r);
        }
    }
}

/// The reader of the format's primitives: every read is checked against the end.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pub at: usize,
}

impl<'a> Reader<'a> {
    pub const fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    pub const fn malformed(&self) -> Malformed {
        Malformed { at: self.at }
    }

    /// The bytes not read yet.
    pub const fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        let end = self.at.checked_add(n).ok_or(self.malformed())?;
        let out = self.bytes.get(self.at..end).ok_or(self.malformed())?;
        self.at = end;
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8, Malformed> {
        self.take(1)?.first().copied().ok_or(self.malformed())
    }

    fn u16(&mut self) -> Result<u16, Malformed> {
        let mut w = [0u8; 2];
        w.copy_from_slice(self.take(2)?);
        Ok(u16::from_le_bytes(w))
    }

    fn u64(&mut self) -> Result<u64, Malformed> {
        let mut w = [0u8; 8];
        w.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(w))
    }

    pub fn fixed64(&mut self) -> Result<u64, Malformed> {
        self.u64()
    }

    /// An unsigned LEB128 varint of at most 128 bits, in its shortest form.
    pub fn varint(&mut self) -> Result<u128, Malformed> {
        let start = self.at;
        let mut v: u128 = 0;
        for shift in (0..128).step_by(7) {
            let b = self.u8()?;
            let part = u128::from(b & 0x7f);
            if shift == 126 && part > 3 {
                return Err(Malformed { at: start });
            }
            v |= part << shift;
            if b & 0x80 == 0 {
                // A last byte of 0 after others is a longer form of a shorter varint.
                if b == 0 && shift > 0 {
                    return Err(Malformed { at: start });
                }
                return Ok(v);
            }
        }
        Err(Malformed { at: start })
    }

    pub fn u64v(&mut self) -> Result<u64, Malformed> {
        let at = self.at;
        u64::try_from(self.varint()?).map_err(|_| Malformed { at })
    }

    pub fn u32v(&mut self) -> Result<u32, Malformed> {
        let at = self.at;
        u32::try_from(self.varint()?).map_err(|_| Malformed { at })
    }

    /// A count of items that take at least one byte each: never more than the bytes left, so that
    /// no damaged count can make a reader reserve memory for items that are not there.
    pub fn len(&mut self) -> Result<usize, Malformed> {
        let at = self.at;
        let n = usize::try_from(self.varint()?).map_err(|_| Malformed { at })?;
        if n > self.remaining() {
            return Err(Malformed { at });
        }
        Ok(n)
    }

    pub fn bytes(&mut self) -> Result<&'a [u8], Malformed> {
        let n = self.len()?;
        self.take(n)
    }

    fn short_bytes(&mut self) -> Result<&'a [u8], Malformed> {
        let n = self.u8()?;
        self.take(usize::from(n))
    }

    pub fn string(&mut self) -> Result<String, Malformed> {
        let at = self.at;
        let b = self.bytes()?;
        std::str::from_utf8(b).map(str::to_owned).map_err(|_| Malformed { at })
    }

    pub fn bool(&mut self) -> Result<bool, Malformed> {
        let at = self.at;
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Malformed { at }),
        }
    }

    pub fn rejection(&mut self) -> Result<Rejection, Malformed> {
        let source = self.string()?;
        let row = self.u64v()?;
        let column = if self.bool()? { Some(self.string()?) } else { None };
        Ok(Rejection { source, row, column, reason: self.string()? })
    }

    pub fn rejections(&mut self) -> Result<Vec<Rejection>, Malformed> {
        let n = self.len()?;
        (0..n).map(|_| self.rejection()).collect()
    }
}
