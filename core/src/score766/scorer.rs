//! Reading dossier records into an aggregate: the streaming push API ([`Scorer`]); the parallel
//! file driver is in `parallel`.
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1, and a record that spans
//! lines inside quotes has the number of the line where it starts. Both the push API (chunks cut
//! anywhere) and the parallel driver (blocks cut at record starts) find records with the one
//! scanner of [`crate::tabular::scan`] and count every line end, so they agree on records and row
//! numbers, embedded line ends, CR-only files and unterminated quotes included.
//!
//! Every accepted shape of CSV is read on this one path (exports.md): fields separated by `,`,
//! `;` or tab (detected from the header by the count of known columns every reader uses,
//! [`read::known_columns`]; see [`read_header`]),
//! UTF-8 with or without a byte order mark and UTF-16 with one (decoded by
//! [`crate::tabular::encoding`] as the bytes come), `\n`, `\r\n` or `\r` line ends.

use std::io::Read;
use std::sync::Arc;

use super::aggregate::{DossierAggregate, RecordContext};
use super::counts::Counts;
use super::explain::{Explainer, Explaining, Explanation};
use super::profile::Profile;
use super::records::{DOSSIER_COLUMNS, DOSSIER_FIELDS, DOSSIER_REQUIRED, DossierRecord, FeedbackRecord, FieldError};
use super::scorecard::{Scorecard, score_owned};
use crate::input::{InputError, MAX_FIELD_BYTES, Rejection};
use crate::labels::{ErrorText, RejectionText};
use crate::period::Period;
use crate::tabular::encoding::Decoder;
use crate::tabular::read::{self, BAD_QUOTE, UNTERMINATED_QUOTE};
use crate::tabular::scan::{self as csvscan, Cursor, LineEnd, Record, SplitError, Step};

/// A record longer than this without an end is an error (not CSV).
pub(super) const MAX_RECORD_BYTES: usize = read::MAX_RECORD_BYTES;

/// The bytes each worker scans per block of the parallel driver: two blocks (the one scanned and
/// the one read meanwhile) are resident, so this is most of the driver's memory beside the ids;
/// 2 MiB already amortises the per-block work (a reading thread, the workers' join, the ids'
/// grouping) to about 1 % of the scan.
pub(super) const BLOCK_PER_JOB: usize = 2 * 1024 * 1024;

/// Which header column feeds which dossier field, and what separates the fields.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    /// Per header column: the index in [`DOSSIER_COLUMNS`], or `None` for an unknown column.
    slots: Vec<Option<usize>>,
    /// The field separator: `,`, `;` or tab.
    pub(super) delimiter: u8,
}

impl Layout {
    /// The layout of the header `record`, whose fields are separated by `delimiter`.
    fn from_header(record: &[u8], delimiter: u8, source: &str) -> Result<Self, InputError> {
        let names = read::header_names_by(record, delimiter, source)?;
        let index = read::resolve_columns(&names, &DOSSIER_COLUMNS, &DOSSIER_REQUIRED, source)?;
        let mut slots = vec![None; names.len()];
        for (field, at) in index.iter().enumerate() {
            if let Some(slot) = at.and_then(|i| slots.get_mut(i)) {
                *slot = Some(field);
            }
        }
        Ok(Self { slots, delimiter })
    }

    /// A cursor over the records of a file of this layout.
    pub(super) fn cursor(&self, line_end: LineEnd) -> Cursor {
        Cursor::new(line_end, 0).with_delimiter(self.delimiter)
    }
}

/// The header at the start of `buf` (decoded, its byte order mark dropped): the layout it gives
/// and the header record. `None` when `buf` does not hold the whole header yet (`eof`: no byte
/// will be added) or is empty.
///
/// The separator is the one of `,` `;` tab whose reading of the header names the most dossier
/// columns ([`read::known_columns`], which [`read::detect_delimiter`] uses for every tabular
/// reader; `,` first on a tie, then `;`). Each separator reads its own header record: a quoted
/// name may span lines (a cell written with Alt+Enter) only where a quote opens a field, after
/// the separator.
pub(super) fn read_header(
    buf: &[u8],
    line_end: LineEnd,
    eof: bool,
    source: &str,
) -> Result<Option<(Layout, Record)>, InputError> {
    let mut best: Option<(usize, u8, Record)> = None;
    for delimiter in read::DELIMITERS {
        let header = match Cursor::new(line_end, 0).with_delimiter(delimiter).next(buf, eof) {
            Step::Record(header) => header,
            Step::NeedMore | Step::End => return Ok(None),
        };
        let bytes = buf.get(header.start..header.end).unwrap_or_default();
        let known = read::known_columns(bytes, delimiter, &DOSSIER_COLUMNS);
        if best.as_ref().is_none_or(|(most, ..)| known > *most) {
            best = Some((known, delimiter, header));
        }
    }
    let Some((_, delimiter, header)) = best else { return Ok(None) };
    if header.unterminated {
        return Err(InputError::Header { file: source.to_owned(), reason: ErrorText::HeaderBadQuote.en(&[]) });
    }
    let layout = Layout::from_header(buf.get(header.start..header.end).unwrap_or_default(), delimiter, source)?;
    Ok(Some((layout, header)))
}

/// Scans a block of complete dossier records. `first_row` is the row of the block's first line.
/// Returns the number of line ends scanned; with `strict`, stops at the first rejection.
#[expect(clippy::too_many_arguments, reason = "the state of one scan, passed down the hot path")]
pub(super) fn scan_block<S: DossierSink>(
    agg: &mut S,
    layout: &Layout,
    block: &[u8],
    first_row: u64,
    source: &str,
    strict: bool,
    scratch: &mut Vec<u8>,
    line_end: LineEnd,
) -> Result<u64, Rejection> {
    if memchr::memchr(b'"', block).is_none() {
        return scan_unquoted(agg, layout, block, first_row, source, strict, line_end);
    }
    let mut row = first_row;
    let mut cursor = layout.cursor(line_end);
    while let Step::Record(r) = cursor.next(block, true) {
        let this_row = row;
        row += r.lines;
        let record = block.get(r.start..r.end).unwrap_or_default();
        if record.is_empty() {
            continue; // a blank line
        }
        if !r.unterminated && !r.quoted {
            scan_line(agg, layout, record, this_row, source, strict)?;
            continue;
        }
        scan_quoted(agg, layout, record, r.unterminated, this_row, source, strict, scratch)?;
    }
    Ok(row - first_row)
}

/// Counts one record that has quotes (or is cut short by an unterminated one).
#[expect(clippy::too_many_arguments, reason = "the state of one scan, passed down the hot path")]
fn scan_quoted<S: DossierSink>(
    agg: &mut S,
    layout: &Layout,
    record: &[u8],
    unterminated: bool,
    this_row: u64,
    source: &str,
    strict: bool,
    scratch: &mut Vec<u8>,
) -> Result<(), Rejection> {
    let width = layout.slots.len();
    let mut fields: [&[u8]; DOSSIER_FIELDS] = [b""; DOSSIER_FIELDS];
    let mut too_long = None;
    let split = csvscan::split_fields_by(record, layout.delimiter, scratch, |i, f| {
        if let Some(Some(slot)) = layout.slots.get(i) {
            if f.len() > MAX_FIELD_BYTES {
                too_long = Some((*slot, f.len()));
            }
            if let Some(out) = fields.get_mut(*slot) {
                *out = csvscan::trim(f);
            }
        }
    });
    let reject = |column: Option<&str>, reason: String| Rejection {
        source: source.to_owned(),
        row: this_row,
        column: column.map(str::to_owned),
        reason,
    };
    let outcome = match split {
        Err(SplitError::BadQuote { field }) => {
            let column = layout.slots.get(field).copied().flatten().and_then(|s| DOSSIER_COLUMNS.get(s));
            let reason = if unterminated { UNTERMINATED_QUOTE } else { BAD_QUOTE };
            Err(reject(column.copied(), reason.to_owned()))
        }
        Ok(_) if unterminated => Err(reject(None, UNTERMINATED_QUOTE.to_owned())),
        Ok(n) if n != width => Err(reject(None, RejectionText::TooManyFields.en(&[("count", &n), ("width", &width)]))),
        Ok(_) => match too_long {
            Some((slot, len)) => Err(reject(DOSSIER_COLUMNS.get(slot).copied(), field_too_long(len))),
            None => {
                add_checked(agg, &fields, this_row, source).map_err(|(column, reason)| reject(Some(column), reason))
            }
        },
    };
    if let Err(r) = outcome {
        if strict {
            return Err(r);
        }
        agg.reject_row(r);
    }
    Ok(())
}

/// The reason for a field over [`MAX_FIELD_BYTES`].
fn field_too_long(len: usize) -> String {
    RejectionText::FieldTooLong.en(&[("bytes", &len), ("limit", &MAX_FIELD_BYTES)])
}

/// Counts one dossier whose fields are all UTF-8; a field that is not is rejected as such, naming
/// its column, before it can be taken for an unknown unit or counted under a mangled id.
///
/// Only the three identifiers (`dossier_id`, `unit`, `procedure`), which are counted or looked up
/// as they are, are checked before counting. Every other field is parsed as a date, a number, a
/// boolean or a word, which no byte outside UTF-8 can pass: such a record fails to parse, and only
/// then are its fields checked, so that the rejection says "not UTF-8" rather than the parser's
/// reason. The clean record, the common case, pays for a few short identifiers, not its whole line.
///
/// A counted dossier's id is noted at `row` of `source`, for the warnings on duplicates.
#[inline]
fn add_checked<S: DossierSink>(
    agg: &mut S,
    fields: &[&[u8]; DOSSIER_FIELDS],
    row: u64,
    source: &str,
) -> Result<(), (&'static str, String)> {
    let [id, unit, procedure, ..] = fields;
    if !(id.is_ascii() && unit.is_ascii() && procedure.is_ascii()) {
        not_utf8(fields)?;
    }
    agg.add_fields(fields, row, source).map_err(|parse_error| not_utf8(fields).err().unwrap_or(parse_error))
}

/// Where the scan puts each record: the aggregate (counting), or an explaining pass.
pub(super) trait DossierSink {
    /// Reads one dossier's trimmed fields at `row` of `source`, or says why it is rejected.
    fn add_fields(&mut self, fields: &[&[u8]; DOSSIER_FIELDS], row: u64, source: &str) -> Result<(), FieldError>;
    /// Keeps a rejected row.
    fn reject_row(&mut self, r: Rejection);
}

impl DossierSink for DossierAggregate {
    #[inline]
    fn add_fields(&mut self, fields: &[&[u8]; DOSSIER_FIELDS], row: u64, source: &str) -> Result<(), FieldError> {
        self.add_dossier(fields)?;
        let [id, ..] = fields;
        self.note_id(id, row, source);
        Ok(())
    }

    fn reject_row(&mut self, r: Rejection) {
        self.reject(r);
    }
}

/// The first field that is not UTF-8, as a rejection naming its column.
#[cold]
fn not_utf8(fields: &[&[u8]; DOSSIER_FIELDS]) -> Result<(), (&'static str, String)> {
    if fields.iter().all(|f| f.is_ascii()) {
        return Ok(());
    }
    for (f, name) in fields.iter().zip(DOSSIER_COLUMNS) {
        if let Err(e) = std::str::from_utf8(f) {
            return Err((name, RejectionText::NotUtf8.en(&[("byte", &e.valid_up_to())])));
        }
    }
    Ok(())
}

/// The positions of the separators of a line, found eight bytes at a time (fields are short, so
/// a vectorised search restarted at every separator costs more than it saves).
struct Separators<'a> {
    line: &'a [u8],
    /// Offset of the current word.
    at: usize,
    /// Marks (0x80) on the separator bytes of the current word not yet returned.
    marks: u64,
    /// The separator in every byte of a word.
    splat: u64,
}

impl<'a> Separators<'a> {
    /// The positions of `delimiter` (an ASCII byte: `,`, `;` or tab) in `line`.
    fn new(line: &'a [u8], delimiter: u8) -> Self {
        let mut c = Self { line, at: 0, marks: 0, splat: u64::from(delimiter) * 0x0101_0101_0101_0101 };
        c.marks = c.word_marks(0);
        c
    }

    /// Marks the bytes equal to the separator in the word at `at` (exactly: no carry crosses
    /// bytes).
    #[inline]
    fn word_marks(&self, at: usize) -> u64 {
        const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        let mut word = [0u8; 8];
        if let Some(bytes) = self.line.get(at..at + 8) {
            word.copy_from_slice(bytes);
        } else if let Some(tail) = self.line.get(at..) {
            // Pad with a byte that is no separator (they are all ASCII).
            word = [0xff; 8];
            if let Some(dst) = word.get_mut(..tail.len()) {
                dst.copy_from_slice(tail);
            }
        }
        let x = u64::from_le_bytes(word) ^ self.splat;
        !(((x & LOW7) + LOW7) | x | LOW7)
    }
}

impl Iterator for Separators<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.marks == 0 {
            self.at += 8;
            if self.at >= self.line.len() {
                return None;
            }
            self.marks = self.word_marks(self.at);
        }
        let byte = (self.marks.trailing_zeros() / 8) as usize;
        self.marks &= self.marks - 1;
        Some(self.at + byte)
    }
}

/// Stores field `n` in its slot (trimmed); returns (slot, length) when it is over the limit.
#[inline]
fn put_field<'a>(
    layout: &Layout,
    fields: &mut [&'a [u8]; DOSSIER_FIELDS],
    n: usize,
    f: &'a [u8],
) -> Option<(usize, usize)> {
    let slot = layout.slots.get(n).copied().flatten()?;
    if let Some(out) = fields.get_mut(slot) {
        *out = csvscan::trim(f);
    }
    (f.len() > MAX_FIELD_BYTES).then_some((slot, f.len()))
}

/// [`scan_block`] for a block without any quote: one record per line, fields cut at separators.
fn scan_unquoted<S: DossierSink>(
    agg: &mut S,
    layout: &Layout,
    block: &[u8],
    first_row: u64,
    source: &str,
    strict: bool,
    line_end: LineEnd,
) -> Result<u64, Rejection> {
    let eol = line_end.byte();
    let mut row = first_row;
    let mut rest = block;
    while !rest.is_empty() {
        let this_row = row;
        let (line, after) = match memchr::memchr(eol, rest) {
            Some(i) => {
                row += 1;
                (rest.get(..i).unwrap_or_default(), rest.get(i + 1..).unwrap_or_default())
            }
            None => (rest, &[][..]),
        };
        rest = after;
        let line = if line_end == LineEnd::Lf { line.strip_suffix(b"\r").unwrap_or(line) } else { line };
        if line.is_empty() {
            continue;
        }
        scan_line(agg, layout, line, this_row, source, strict)?;
    }
    Ok(row - first_row)
}

/// Splits one record of one line without quotes at its separators and counts it; a rejection is
/// kept in `agg`, or returned with `strict`.
#[inline]
fn scan_line<S: DossierSink>(
    agg: &mut S,
    layout: &Layout,
    line: &[u8],
    this_row: u64,
    source: &str,
    strict: bool,
) -> Result<(), Rejection> {
    let width = layout.slots.len();
    let mut fields: [&[u8]; DOSSIER_FIELDS] = [b""; DOSSIER_FIELDS];
    let mut n = 0;
    let mut too_long = None;
    let mut start = 0;
    for separator in Separators::new(line, layout.delimiter) {
        too_long = too_long.or(put_field(layout, &mut fields, n, line.get(start..separator).unwrap_or_default()));
        n += 1;
        start = separator + 1;
    }
    too_long = too_long.or(put_field(layout, &mut fields, n, line.get(start..).unwrap_or_default()));
    n += 1;
    let reject = |column: Option<&str>, reason: String| Rejection {
        source: source.to_owned(),
        row: this_row,
        column: column.map(str::to_owned),
        reason,
    };
    let outcome = if n != width {
        Err(reject(None, RejectionText::TooManyFields.en(&[("count", &n), ("width", &width)])))
    } else if let Some((slot, len)) = too_long {
        Err(reject(DOSSIER_COLUMNS.get(slot).copied(), field_too_long(len)))
    } else {
        add_checked(agg, &fields, this_row, source).map_err(|(column, reason)| reject(Some(column), reason))
    };
    if let Err(r) = outcome {
        if strict {
            return Err(r);
        }
        agg.reject_row(r);
    }
    Ok(())
}

/// What to score and how.
#[derive(Debug, Clone)]
pub struct ScoreOptions {
    /// The profile.
    pub profile: Profile,
    /// The period scored (a month, quarter or year: months are summed).
    pub period: Period,
    /// Stop at the first rejected row.
    pub strict: bool,
    /// The name of the dossier stream in rejections (`dossiers.csv`).
    pub source: String,
    /// Warn about a `dossier_id` given twice (default). A stream keeps 16 bytes a slot per
    /// dossier (a hash and a row, 20 to 40 bytes a dossier); a file that can be read twice, as
    /// the CLI's, about 8 (56 bits of each hash, the rows found by a second reading when some id
    /// may repeat): about 75 MB at 10 million dossiers, for about half again the CPU time. A
    /// national-scale run that knows its ids are unique may turn it off.
    pub check_duplicate_ids: bool,
}

impl ScoreOptions {
    /// Options for `period` with the default profile, not strict, source `dossiers.csv`.
    #[must_use]
    pub fn new(period: Period) -> Self {
        Self {
            profile: Profile::default(),
            period,
            strict: false,
            source: "dossiers.csv".to_owned(),
            check_duplicate_ids: true,
        }
    }
}

/// The counts file of one period of a series ([`Scorer::finish_series`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodCounts {
    /// The counts.
    pub counts: Counts,
    /// The file's name in rejections.
    pub source: String,
    /// The file's rows rejected when it was read.
    pub rejected: Vec<Rejection>,
}

/// The state of a CSV stream pushed in chunks.
#[derive(Debug, Clone, Default)]
struct CsvStream {
    /// The stream's encoding, told from its first bytes: what is pushed is decoded into `pending`.
    decoder: Decoder,
    /// Whether any byte was pushed: a stream of bytes without a header (a byte order mark alone)
    /// is an empty file, as the parallel driver finds; no CSV pushed at all is no CSV stream.
    started: bool,
    /// Decoded bytes not yet scanned (from the header until it is read).
    pending: Vec<u8>,
    /// At the start of the first incomplete record of `pending`, once the header is read.
    cursor: Option<Cursor>,
    /// `pending` is not searched for complete records again before it is this long: an
    /// incomplete record is re-scanned only after the bytes after it have doubled, so pushing
    /// one byte at a time stays linear.
    retry_at: usize,
    /// The row of the first line in `pending`.
    row: u64,
    layout: Option<Layout>,
    scratch: Vec<u8>,
}

/// Streaming scorer for bindings and the CLI: push dossier CSV in chunks cut anywhere, or records
/// already in memory, merge scorers that read other parts, then finish into a scorecard.
#[derive(Debug, Clone)]
pub struct Scorer {
    context: Arc<RecordContext>,
    options: ScoreOptions,
    aggregate: DossierAggregate,
    csv: CsvStream,
    records_pushed: u64,
    counts: Option<(Counts, String)>,
    rejected: Vec<Rejection>,
    jsonl: JsonlStream,
    /// The explaining pass, when the records are read to explain a number.
    explain: Option<Box<Explainer>>,
}

/// The state of a JSON lines stream pushed in chunks.
#[derive(Debug, Clone, Default)]
struct JsonlStream {
    pending: Vec<u8>,
    /// The line number of the first line in `pending`, from 1.
    line: u64,
}

impl Scorer {
    /// A scorer of records classified against `context`.
    #[must_use]
    pub fn new(options: ScoreOptions, context: Arc<RecordContext>) -> Self {
        let mut aggregate = DossierAggregate::new(&context);
        if !options.check_duplicate_ids {
            aggregate.set_ids(super::aggregate::DossierIds::off());
        }
        Self {
            aggregate,
            context,
            options,
            csv: CsvStream { row: 1, ..CsvStream::default() },
            records_pushed: 0,
            counts: None,
            rejected: Vec::new(),
            jsonl: JsonlStream { pending: Vec::new(), line: 1 },
            explain: None,
        }
    }

    /// A counts file (named `source`) that fills the metrics records cannot give.
    pub fn set_counts(&mut self, counts: Counts, source: &str) {
        self.counts = Some((counts, source.to_owned()));
    }

    /// Rows rejected elsewhere (reading units or procedures), to list in the scorecard.
    pub fn add_rejections(&mut self, rejected: impl IntoIterator<Item = Rejection>) {
        self.rejected.extend(rejected);
    }

    fn record_error(&mut self, r: Rejection) -> Result<(), InputError> {
        if self.options.strict {
            return Err(InputError::Strict(r));
        }
        self.aggregate.reject(r);
        Ok(())
    }

    /// Pushes the next bytes of a dossier CSV stream (header first). Chunks may be cut anywhere,
    /// even inside a quoted field, a header name or a UTF-16 character; the incomplete tail is
    /// kept for the next push or [`Self::finish`].
    pub fn push_csv(&mut self, chunk: &[u8]) -> Result<(), InputError> {
        self.csv.started |= !chunk.is_empty();
        self.decode(chunk, false)?;
        if self.csv.pending.len() < self.csv.retry_at {
            return Ok(());
        }
        if self.csv.layout.is_none() && !self.take_header(false)? {
            return self.wait_for_more();
        }
        if let Some(cursor) = &mut self.csv.cursor {
            let end = cursor.complete_end(&self.csv.pending);
            if end > 0 {
                self.process_complete(end)?;
            }
        }
        self.wait_for_more()
    }

    /// Decodes `chunk` (UTF-8 as it is, UTF-16 to UTF-8) onto the pending bytes.
    fn decode(&mut self, chunk: &[u8], eof: bool) -> Result<(), InputError> {
        self.csv
            .decoder
            .push(chunk, eof, &mut self.csv.pending)
            .map_err(|reason| InputError::Io { file: self.options.source.clone(), reason })
    }

    /// Reads the header from the pending bytes, when they hold all of it (`eof`: no more will
    /// come), and drops it from them. Returns whether the header is read.
    fn take_header(&mut self, eof: bool) -> Result<bool, InputError> {
        let Some(line_end) = LineEnd::detect(&self.csv.pending, eof) else { return Ok(false) };
        let Some((layout, header)) = read_header(&self.csv.pending, line_end, eof, &self.options.source)? else {
            return Ok(false);
        };
        self.csv.row += header.lines;
        self.csv.pending.drain(..header.next.min(self.csv.pending.len()));
        self.csv.cursor = Some(layout.cursor(line_end));
        self.csv.layout = Some(layout);
        Ok(true)
    }

    /// Sets when to look for complete records again; fails on a record over the size limit.
    fn wait_for_more(&mut self) -> Result<(), InputError> {
        let incomplete = self.csv.pending.len();
        self.csv.retry_at = incomplete.saturating_mul(2);
        if incomplete > MAX_RECORD_BYTES {
            return Err(InputError::Io {
                file: self.options.source.clone(),
                reason: ErrorText::RecordTooLong.en(&[("row", &self.csv.row), ("max", &MAX_RECORD_BYTES)]),
            });
        }
        Ok(())
    }

    /// Scans `pending[..end]` (complete records, or the rest of the stream at its end) and drops
    /// it. The header is read.
    fn process_complete(&mut self, end: usize) -> Result<(), InputError> {
        let (Some(layout), Some(cursor)) = (&self.csv.layout, &mut self.csv.cursor) else { return Ok(()) };
        let pending = std::mem::take(&mut self.csv.pending);
        let mut scratch = std::mem::take(&mut self.csv.scratch);
        let block = pending.get(..end).unwrap_or_default();
        let (row, source, strict, line_end) =
            (self.csv.row, &self.options.source, self.options.strict, cursor.line_end());
        let lines = match self.explain.as_deref_mut() {
            None => scan_block(&mut self.aggregate, layout, block, row, source, strict, &mut scratch, line_end),
            Some(explainer) => {
                let mut sink = Explaining { agg: &mut self.aggregate, explainer };
                scan_block(&mut sink, layout, block, row, source, strict, &mut scratch, line_end)
            }
        };
        cursor.shift(end);
        self.csv.scratch = scratch;
        self.csv.pending = pending;
        self.csv.pending.drain(..end.min(self.csv.pending.len()));
        self.csv.row += lines.map_err(InputError::Strict)?;
        Ok(())
    }

    /// The bytes the CSV stream's scanner has searched so far.
    #[cfg(test)]
    pub(crate) fn csv_bytes_examined(&self) -> u64 {
        self.csv.cursor.as_ref().map_or(0, |c| c.examined)
    }

    /// Scans what is left of the CSV and JSON lines streams (a last line without a newline).
    fn flush_csv(&mut self) -> Result<(), InputError> {
        self.decode(&[], true)?;
        if self.csv.started && self.csv.layout.is_none() && self.csv.pending.is_empty() {
            return Err(InputError::Header { file: self.options.source.clone(), reason: ErrorText::EmptyFile.en(&[]) });
        }
        if !self.csv.pending.is_empty() {
            if self.csv.layout.is_none() {
                self.take_header(true)?;
            }
            let end = self.csv.pending.len();
            self.process_complete(end)?;
            self.csv.retry_at = 0;
        }
        if !self.jsonl.pending.is_empty() {
            let end = self.jsonl.pending.len();
            self.process_jsonl(end)?;
        }
        Ok(())
    }

    /// Counts one dossier already in memory. Its row in rejections is its position among pushed
    /// records, from 1.
    pub fn push_record(&mut self, record: &DossierRecord) -> Result<(), InputError> {
        self.push_fields(&record.fields())
    }

    /// Counts one dossier given as the text of its fields in [`DOSSIER_COLUMNS`] order, as
    /// [`Self::push_record`] does without owned strings (for the C binding's records).
    pub fn push_fields(&mut self, fields: &[&[u8]; DOSSIER_FIELDS]) -> Result<(), InputError> {
        self.records_pushed += 1;
        let trimmed: [&[u8]; DOSSIER_FIELDS] = fields.map(csvscan::trim);
        let (row, source) = (self.records_pushed, self.options.source.as_str());
        let added = match self.explain.as_deref_mut() {
            None => add_checked(&mut self.aggregate, &trimmed, row, source),
            Some(explainer) => {
                add_checked(&mut Explaining { agg: &mut self.aggregate, explainer }, &trimmed, row, source)
            }
        };
        if let Err((column, reason)) = added {
            let r = Rejection {
                source: self.options.source.clone(),
                row: self.records_pushed,
                column: Some(column.to_owned()),
                reason,
            };
            self.record_error(r)?;
        }
        Ok(())
    }

    /// Pushes the next bytes of a dossier JSON lines stream (named by the options' `source`);
    /// chunks may be cut anywhere.
    pub fn push_jsonl(&mut self, chunk: &[u8]) -> Result<(), InputError> {
        self.jsonl.pending.extend_from_slice(chunk);
        if let Some(last) = memchr::memrchr(b'\n', &self.jsonl.pending) {
            self.process_jsonl(last + 1)?;
        }
        Ok(())
    }

    fn process_jsonl(&mut self, end: usize) -> Result<(), InputError> {
        let mut pending = std::mem::take(&mut self.jsonl.pending);
        let block = pending.get(..end).unwrap_or_default();
        let source = self.options.source.clone();
        let first = self.jsonl.line;
        self.read_dossiers_jsonl_from(block, &source, first)?;
        self.jsonl.line += csvscan::count_lines(block, LineEnd::Lf);
        pending.drain(..end);
        self.jsonl.pending = pending;
        Ok(())
    }

    /// Reads dossiers as JSON lines (one object per line, the CSV's keys). A line that is not such
    /// an object is rejected with its line number.
    pub fn read_dossiers_jsonl(&mut self, bytes: &[u8], source: &str) -> Result<(), InputError> {
        self.read_dossiers_jsonl_from(bytes, source, 1)
    }

    fn read_dossiers_jsonl_from(&mut self, bytes: &[u8], source: &str, first: u64) -> Result<(), InputError> {
        for_each_json_line::<DossierRecord>(bytes, first, |row, parsed| {
            let outcome = parsed.and_then(|record| {
                let fields = record.fields().map(csvscan::trim);
                let added = match self.explain.as_deref_mut() {
                    None => self.aggregate.add_fields(&fields, row, source),
                    Some(explainer) => {
                        Explaining { agg: &mut self.aggregate, explainer }.add_fields(&fields, row, source)
                    }
                };
                added.map_err(|(c, reason)| (Some(c.to_owned()), reason))
            });
            match outcome {
                Ok(()) => Ok(()),
                Err((column, reason)) => {
                    self.record_error(Rejection { source: source.to_owned(), row, column, reason })
                }
            }
        })
    }

    /// Counts one feedback item; `row` names it in a rejection.
    pub fn push_feedback(&mut self, record: &FeedbackRecord, source: &str, row: u64) -> Result<(), InputError> {
        self.aggregate.set_feedback_read();
        if let Err((column, reason)) =
            add_feedback(&mut self.aggregate, self.explain.as_deref_mut(), record, source, row)
        {
            let r = Rejection { source: source.to_owned(), row, column: Some(column.to_owned()), reason };
            self.record_error(r)?;
        }
        Ok(())
    }

    /// Reads `feedback.csv`.
    pub fn read_feedback_csv<R: Read>(&mut self, reader: R, source: &str) -> Result<(), InputError> {
        self.aggregate.set_feedback_read();
        let mut rejected = Vec::new();
        let strict = self.options.strict;
        let (agg, mut explain) = (&mut self.aggregate, self.explain.as_deref_mut());
        super::records::read_feedback_rows(reader, source, strict, &mut rejected, |row, record| {
            add_feedback(agg, explain.as_deref_mut(), record, source, row).map_err(|(column, reason)| Rejection {
                source: source.to_owned(),
                row,
                column: Some(column.to_owned()),
                reason,
            })
        })?;
        for r in rejected {
            self.aggregate.reject(r);
        }
        Ok(())
    }

    /// Reads feedback as JSON lines.
    pub fn read_feedback_jsonl(&mut self, bytes: &[u8], source: &str) -> Result<(), InputError> {
        self.aggregate.set_feedback_read();
        for_each_json_line::<FeedbackRecord>(bytes, 1, |row, parsed| {
            let outcome = parsed.and_then(|record| {
                add_feedback(&mut self.aggregate, self.explain.as_deref_mut(), &record, source, row)
                    .map_err(|(c, reason)| (Some(c.to_owned()), reason))
            });
            match outcome {
                Ok(()) => Ok(()),
                Err((column, reason)) => {
                    self.record_error(Rejection { source: source.to_owned(), row, column, reason })
                }
            }
        })
    }

    /// Adds an aggregate made elsewhere (a worker, another process) to this scorer's. Its dossier
    /// ids come after this scorer's: a duplicate between them is warned about in the other's rows.
    pub fn add_aggregate(&mut self, aggregate: DossierAggregate) {
        self.aggregate.merge(aggregate);
    }

    /// Reads a whole dossier CSV stream with the parallel driver (`jobs` workers) into this
    /// scorer: its dossier ids are checked against those counted before, as in one stream.
    pub fn read_csv_parallel<R: Read + Send>(
        &mut self,
        reader: R,
        jobs: usize,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), InputError> {
        if let Some(explainer) = self.explain.as_deref() {
            // Explaining lists rows in reading order: one stream, read by this thread.
            let mut one = Self::new(self.options.clone(), Arc::clone(&self.context));
            one.set_explainer(explainer.fork());
            one.push_reader(reader, progress)?;
            return self.merge(one);
        }
        let ids = self.aggregate.take_ids();
        let (strict, source) = (self.options.strict, self.options.source.as_str());
        let aggregate =
            super::parallel::aggregate_with_ids(reader, source, &self.context, strict, jobs, ids, progress)?;
        self.aggregate.merge(aggregate);
        Ok(())
    }

    /// [`Self::read_csv_parallel`] of a file that `open` opens (once, or twice when some id may
    /// be a repeat). When no dossier was counted before and ids are checked, the check is
    /// compact ([`super::parallel`]): 6 to 8 bytes a dossier rather than 20 to 40, with the
    /// same warnings. Its ids can then not be checked against records counted after it: it is
    /// the last dossier input (the session refuses more). Returns whether the check was compact.
    pub(crate) fn read_csv_file<R: Read + Send>(
        &mut self,
        open: &mut dyn FnMut() -> std::io::Result<R>,
        jobs: usize,
        progress: &mut dyn FnMut(u64),
    ) -> Result<bool, InputError> {
        let explaining = self.explain.is_some();
        let ids = self.aggregate.ids_mut();
        if explaining || ids.is_off() || !ids.is_fresh() {
            let source = &self.options.source;
            let reader = open().map_err(|e| InputError::Io { file: source.clone(), reason: e.to_string() })?;
            return self.read_csv_parallel(reader, jobs, progress).map(|()| false);
        }
        let (strict, source) = (self.options.strict, self.options.source.as_str());
        let aggregate = super::parallel::aggregate_compact(open, source, &self.context, strict, jobs, progress)?;
        self.aggregate.merge(aggregate);
        Ok(true)
    }

    /// Merges another scorer (that read another part of the records) into this one. Its CSV
    /// stream, if any, is finished first: the two streams are separate files.
    pub fn merge(&mut self, mut other: Self) -> Result<(), InputError> {
        other.flush_csv()?;
        self.aggregate.ids_mut().name_stream(&self.options.source);
        self.aggregate.merge(other.aggregate);
        self.rejected.extend(other.rejected);
        if self.counts.is_none() {
            self.counts = other.counts;
        }
        match (self.explain.as_deref_mut(), other.explain) {
            (Some(mine), Some(theirs)) => mine.merge(*theirs),
            (None, theirs) => self.explain = theirs,
            (Some(_), None) => {}
        }
        Ok(())
    }

    /// Reads a whole CSV stream through [`Self::push_csv`] and flushes it.
    fn push_reader<R: Read>(&mut self, mut reader: R, progress: &mut dyn FnMut(u64)) -> Result<(), InputError> {
        let mut buf = vec![0u8; 1 << 20];
        let mut done = 0u64;
        loop {
            let n = reader
                .read(&mut buf)
                .map_err(|e| InputError::Io { file: self.options.source.clone(), reason: e.to_string() })?;
            if n == 0 {
                break;
            }
            self.push_csv(buf.get(..n).unwrap_or_default())?;
            done = done.saturating_add(n as u64);
            progress(done);
        }
        self.flush_csv()
    }

    /// Reads the records to explain a number: every record is counted as before and also given to
    /// `explainer`. Before any record. Dossier ids are not kept (an explanation has no warnings),
    /// so that memory is bounded by the rows listed.
    pub(crate) fn set_explainer(&mut self, explainer: Explainer) {
        self.aggregate.set_ids(super::aggregate::DossierIds::off());
        self.explain = Some(Box::new(explainer));
    }

    /// A scorer for another part of the same records (a sheet of a workbook), explaining the same
    /// number when this one does; merge it back with [`Self::merge`].
    pub(crate) fn fork(&self, options: ScoreOptions) -> Self {
        let mut other = Self::new(options, Arc::clone(&self.context));
        if let Some(explainer) = self.explain.as_deref() {
            other.set_explainer(explainer.fork());
        }
        other
    }

    /// Finishes the records and explains the number (see [`super::explain`]); `procedures` names
    /// the procedures file in the items. `None` when the scorer was not explaining.
    pub(crate) fn finish_explain(
        mut self,
        procedures: &str,
    ) -> Result<Option<Result<Explanation, String>>, InputError> {
        let (counts, _) = self.counts()?;
        let Some(explainer) = self.explain.take() else { return Ok(None) };
        Ok(Some(explainer.finish(&self.aggregate, &counts, &self.context, procedures)))
    }

    /// The rows rejected outside the records (units, procedures, the front end's), in order.
    pub(crate) fn rejections(&self) -> &[Rejection] {
        &self.rejected
    }

    /// Forgets the first `n` of [`Self::rejections`] (a merged session's copy of the context's).
    pub(crate) fn drop_first_rejections(&mut self, n: usize) {
        self.rejected.drain(..n.min(self.rejected.len()));
    }

    /// Sets the period scored by [`Self::finish`] (a session narrowing its range).
    pub(crate) const fn set_period(&mut self, period: Period) {
        self.options.period = period;
    }

    /// The aggregate so far: CSV records still held by the stream (an incomplete tail, or bytes
    /// pushed since the last scan, which waits for the held bytes to double) are not in it yet.
    #[must_use]
    pub const fn aggregate(&self) -> &DossierAggregate {
        &self.aggregate
    }

    /// Finishes the CSV stream and returns the aggregate.
    pub fn into_aggregate(mut self) -> Result<DossierAggregate, InputError> {
        self.flush_csv()?;
        Ok(self.aggregate)
    }

    /// Finishes the CSV stream and computes the counts of the period.
    pub fn counts(&mut self) -> Result<(Counts, Vec<Rejection>), InputError> {
        self.flush_csv()?;
        // Merged aggregates may each hold up to twice the kept number: list exactly the kept
        // number, whatever the front end (the C library listed 10 000 to 19 999).
        self.aggregate.trim_rejections();
        let extra = self.counts.as_ref().map(|(c, s)| (c, s.as_str()));
        self.period_counts(self.options.period, extra, &[])
    }

    /// The counts of `period` once the streams are finished, with every rejection a scorecard of
    /// that period lists: the scorer's own (units, procedures, the front end's), then
    /// `extra_rejected` (the rows of `extra`'s file rejected when it was read), the records', and
    /// `extra`'s units outside the unit tree.
    fn period_counts(
        &self,
        period: Period,
        extra: Option<(&Counts, &str)>,
        extra_rejected: &[Rejection],
    ) -> Result<(Counts, Vec<Rejection>), InputError> {
        let outcome = self.aggregate.counts(&self.context, period, extra);
        let mut rejected = self.rejected.clone();
        rejected.extend(extra_rejected.iter().cloned());
        rejected.extend(self.aggregate.rejected().iter().cloned());
        rejected.extend(outcome.rejected);
        if self.options.strict {
            if let Some(first) = rejected.first() {
                return Err(InputError::Strict(first.clone()));
            }
        }
        Ok((outcome.counts, rejected))
    }

    /// Finishes the streams and scores each period of a series from the one aggregate: the
    /// records were read once, and each period's scorecard is the one a scorer of that period
    /// alone, given the same inputs and that period's counts file, would finish with. The
    /// options' period is not used.
    pub fn finish_series(mut self, periods: Vec<(Period, Option<PeriodCounts>)>) -> Result<Vec<Scorecard>, InputError> {
        self.flush_csv()?;
        self.aggregate.trim_rejections();
        let omitted = self.aggregate.rejected_omitted();
        // Duplicate ids are warned about in every period's scorecard, as rejections are: each is
        // what a scorer of that period alone would list.
        let mut ids = self.aggregate.take_ids();
        ids.trim();
        let (warnings, warnings_omitted) = ids.into_warnings();
        let mut cards = Vec::with_capacity(periods.len());
        for (period, counts) in periods {
            let extra = counts.as_ref().map(|c| (&c.counts, c.source.as_str()));
            let extra_rejected = counts.as_ref().map_or(&[][..], |c| c.rejected.as_slice());
            let (counts, rejected) = self.period_counts(period, extra, extra_rejected)?;
            let mut card = score_owned(&self.options.profile, counts, rejected);
            card.rejected_omitted = omitted;
            card.warnings.clone_from(&warnings);
            card.warnings_omitted = warnings_omitted;
            cards.push(card);
        }
        Ok(cards)
    }

    /// Finishes the CSV stream and scores the period.
    pub fn finish(mut self) -> Result<Scorecard, InputError> {
        let (counts, rejected) = self.counts()?;
        let omitted = self.aggregate.rejected_omitted();
        let mut ids = self.aggregate.take_ids();
        ids.trim();
        let (warnings, warnings_omitted) = ids.into_warnings();
        // The aggregate is not needed any more: free it before the scorecard is built.
        self.aggregate = DossierAggregate::new(&RecordContext::default());
        let mut card = score_owned(&self.options.profile, counts, rejected);
        card.rejected_omitted = omitted;
        card.warnings = warnings;
        card.warnings_omitted = warnings_omitted;
        Ok(card)
    }
}

/// Calls `f(line number, parsed or (column, reason))` for every non-blank line of a JSON lines
/// stream.
pub(crate) fn for_each_json_line<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    first: u64,
    mut f: impl FnMut(u64, Result<T, (Option<String>, String)>) -> Result<(), InputError>,
) -> Result<(), InputError> {
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let row = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(first);
        let line = csvscan::trim(line.strip_suffix(b"\r").unwrap_or(line));
        let line = if row == 1 { line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line) } else { line };
        if line.is_empty() {
            continue;
        }
        let parsed = if line.len() > MAX_RECORD_BYTES {
            Err((None, RejectionText::LineTooLong.en(&[("max", &MAX_RECORD_BYTES)])))
        } else {
            serde_json::from_slice::<T>(line).map_err(|e| {
                let text = e.to_string();
                (None, text.split(" at line ").next().unwrap_or(&text).to_owned())
            })
        };
        f(row, parsed)?;
    }
    Ok(())
}

/// One feedback item counted, and given to the explainer when there is one.
fn add_feedback(
    agg: &mut DossierAggregate,
    explainer: Option<&mut Explainer>,
    record: &FeedbackRecord,
    source: &str,
    row: u64,
) -> Result<(), FieldError> {
    agg.add_feedback(record)?;
    if let Some(explainer) = explainer {
        let c = agg.classify_feedback(record)?;
        explainer.feedback(agg, &c, record, row, source);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Separators;

    #[test]
    fn separators_are_found_exactly() {
        for delimiter in [b',', b';', b'\t'] {
            let d = char::from(delimiter).to_string();
            for line in [
                "",
                ",",
                "a,b",
                ",-,-,--,,",
                "abcdefgh,ijklmnop,",
                "1234567,",
                "12345678,9",
                "ab,cd,ef,gh,ij,kl,mn,op,qr",
                "Có phí, lệ phí,Trực tuyến,;\t,",
            ] {
                let line = line.replace(',', &d);
                let expected: Vec<usize> =
                    line.bytes().enumerate().filter(|(_, c)| *c == delimiter).map(|(i, _)| i).collect();
                assert_eq!(Separators::new(line.as_bytes(), delimiter).collect::<Vec<_>>(), expected, "{line:?}");
            }
            let bytes: Vec<u8> = (0..=255u8).chain([delimiter; 9]).collect();
            let expected: Vec<usize> =
                bytes.iter().enumerate().filter(|(_, c)| **c == delimiter).map(|(i, _)| i).collect();
            assert_eq!(Separators::new(&bytes, delimiter).collect::<Vec<_>>(), expected);
        }
    }
}
