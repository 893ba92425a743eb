//! The one CSV record scanner of chiso: where records begin and end, and how a record splits into
//! fields. Every CSV reader uses it — the dossier hot path (push API and parallel driver) and the
//! readers of units, procedures, feedback and observations — so they all agree on records, row
//! numbers and bad quotes. No allocation per row, `memchr` to find line ends and quotes.
//!
//! # The rules
//!
//! - **Line ends** are those of the header: `\n` or `\r\n`, or `\r` alone (Excel for Mac's "CSV
//!   (Macintosh)"). Rows are numbered by line as a spreadsheet shows them (header = 1); a record
//!   that spans lines inside quotes has the number of the line where it starts.
//! - **Quotes** (RFC 4180): a `"` opens a quoted field only at the start of a field (after
//!   optional spaces or tabs); inside it, `""` is a quote and line ends are data. A `"` anywhere
//!   else does not change where the record ends (the field splitter rejects it as a bad quote).
//! - **Recovery from an unterminated quote**: a quoted field may span lines, but not more than
//!   [`MAX_QUOTED_BYTES`] (the 64 KiB field limit). A quoted field that is not closed within that,
//!   or by the end of the input, is *unterminated*: its record ends at the end of the line where
//!   that field opened, is rejected (row, column, "unterminated quote"), and reading resumes at the
//!   next line. So one stray quote costs one row, never the rows after it.
//!
//! Every decision looks at most [`MAX_QUOTED_BYTES`] past an opening quote, and the position of
//! the next quote is remembered between records, so scanning is linear in the input whatever it
//! holds. Because a record's end depends only on the bytes from its start, a block of records can
//! be cut at any record start and the pieces scanned in parallel give exactly what one pass gives.
use memchr::{memchr, memchr_iter, memchr2, memrchr};

/// The longest quoted field, in bytes, before its quote is taken as unterminated (the field limit).
pub const MAX_QUOTED_BYTES: usize = crate::input::MAX_FIELD_BYTES;

/// How the lines of a CSV file end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnd {
    /// `\n`, or `\r\n` (the `\r` is dropped).
    #[default]
    Lf,
    /// `\r` alone (classic Mac OS, Excel for Mac's "CSV (Macintosh)").
    Cr,
}

impl LineEnd {
    /// The byte that ends a line.
    #[must_use]
    pub const fn byte(self) -> u8 {
        match self {
            Self::Lf => b'\n',
            Self::Cr => b'\r',
        }
    }

    /// The line end of a file from its first bytes: that of its first line. `None` when more bytes
    /// are needed to tell (`eof` = no more will come).
    #[must_use]
    pub fn detect(start: &[u8], eof: bool) -> Option<Self> {
        match memchr2(b'\r', b'\n', start) {
            None => eof.then_some(Self::Lf),
            Some(i) if start.get(i) == Some(&b'\n') => Some(Self::Lf),
            Some(i) => match start.get(i + 1) {
                Some(b'\n') => Some(Self::Lf),
                Some(_) => Some(Self::Cr),
                None => eof.then_some(Self::Cr),
            },
        }
    }
}

/// One record found by [`Cursor::next`]: byte positions in the scanned buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// Where the record starts.
    pub start: usize,
    /// Where its bytes end (before its line end, and before the `\r` of a `\r\n`).
    pub end: usize,
    /// Where the next record starts.
    pub next: usize,
    /// The line ends it spans, its own included (0 for a last line without one).
    pub lines: u64,
    /// Whether its bytes hold a quote (else its fields are split at separators, nothing to unquote).
    pub quoted: bool,
    /// A quoted field was not closed within [`MAX_QUOTED_BYTES`] or by the end of the input: the
    /// record was cut at the end of the line where that field opened.
    pub unterminated: bool,
}

/// What [`Cursor::next`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A record.
    Record(Record),
    /// Where the record ends depends on bytes not yet in the buffer.
    NeedMore,
    /// The end of the buffer.
    End,
}

/// A scanning position over a CSV buffer that may grow (streaming) or be cut at its front.
///
/// It remembers where the next quote is, so that lines without quotes cost one search for their
/// line end and nothing else, whatever comes after them.
#[derive(Debug, Clone, Default)]
pub struct Cursor {
    /// The start of the next record.
    pub pos: usize,
    eol: u8,
    /// The field separator: `,` (the default), `;` or tab.
    delimiter: u8,
    /// `quote_from..quote_at` holds no quote; `quote_at` is a quote when `quote_found`, else the
    /// end of what was searched.
    quote_from: usize,
    quote_at: usize,
    quote_found: bool,
    /// The bytes searched so far (tests check that scanning is linear).
    #[cfg(test)]
    pub(crate) examined: u64,
}

impl Cursor {
    /// `memchr` / `memrchr` of `byte` in `hay`, counting the bytes looked at in tests.
    #[inline]
    fn find(&mut self, byte: u8, hay: Option<&[u8]>, reverse: bool) -> Option<usize> {
        let hay = hay?;
        let found = if reverse { memrchr(byte, hay) } else { memchr(byte, hay) };
        #[cfg(test)]
        {
            let looked =
                if reverse { found.map_or(hay.len(), |i| hay.len() - i) } else { found.map_or(hay.len(), |i| i + 1) };
            self.examined += u64::try_from(looked).unwrap_or(u64::MAX);
        }
        found
    }

    /// A cursor at `pos` for a file whose lines end with `line_end`.
    #[must_use]
    pub fn new(line_end: LineEnd, pos: usize) -> Self {
        Self {
            pos,
            eol: line_end.byte(),
            delimiter: b',',
            quote_from: 0,
            quote_at: 0,
            quote_found: false,
            #[cfg(test)]
            examined: 0,
        }
    }

    /// The cursor for fields separated by `delimiter` (`,`, `;` or tab) rather than commas.
    #[must_use]
    pub const fn with_delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// The field separator it reads.
    #[must_use]
    pub const fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The line end it reads.
    #[must_use]
    pub const fn line_end(&self) -> LineEnd {
        if self.eol == b'\r' { LineEnd::Cr } else { LineEnd::Lf }
    }

    /// The bytes before `by` were dropped from the front of the buffer.
    pub const fn shift(&mut self, by: usize) {
        self.pos = self.pos.saturating_sub(by);
        if self.quote_from >= by {
            self.quote_from -= by;
            self.quote_at -= by;
        } else {
            self.quote_from = 0;
            self.quote_at = 0;
            self.quote_found = false;
        }
    }

    /// The first quote at or after `p`, or `buf.len()`.
    fn quote_after(&mut self, buf: &[u8], p: usize) -> usize {
        if self.quote_from <= p && p <= self.quote_at {
            if self.quote_found {
                return self.quote_at;
            }
        } else {
            self.quote_from = p;
            self.quote_at = p;
        }
        let from = self.quote_at;
        match self.find(b'"', buf.get(from..), false) {
            Some(i) => {
                self.quote_at = from + i;
                self.quote_found = true;
            }
            None => {
                self.quote_at = buf.len().max(from);
                self.quote_found = false;
                return buf.len();
            }
        }
        self.quote_at
    }

    /// The record at the cursor, which then moves past it. `eof`: no bytes will be added to `buf`.
    pub fn next(&mut self, buf: &[u8], eof: bool) -> Step {
        let start = self.pos;
        if start >= buf.len() {
            return Step::End;
        }
        let step = self.record_at(buf, start, eof);
        if let Step::Record(r) = step {
            self.pos = r.next;
        }
        step
    }

    fn record_at(&mut self, buf: &[u8], start: usize, eof: bool) -> Step {
        let eol = self.eol;
        let mut p = start;
        loop {
            // Outside quotes: the record ends at the first line end before the next quote.
            let q = self.quote_after(buf, p);
            if let Some(i) = self.find(eol, buf.get(p..q), false) {
                if p == start {
                    // The common case: one line, no quote.
                    let at = p + i;
                    let end = if eol == b'\n' && at > start && buf.get(at - 1) == Some(&b'\r') { at - 1 } else { at };
                    return Step::Record(Record {
                        start,
                        end,
                        next: at + 1,
                        lines: 1,
                        quoted: false,
                        unterminated: false,
                    });
                }
                return Step::Record(self.ended(buf, start, p + i, false));
            }
            if q >= buf.len() {
                return if eof { Step::Record(self.ended(buf, start, buf.len(), false)) } else { Step::NeedMore };
            }
            if !opens_field(buf, start, q, self.delimiter) {
                p = q + 1;
                continue;
            }
            // Inside a quoted field opened at `q`: its closing quote must come within the limit.
            let limit = q.saturating_add(1 + MAX_QUOTED_BYTES);
            let mut r = q + 1;
            loop {
                let window_end = limit.min(buf.len());
                let found = self.find(b'"', buf.get(r..window_end), false).map(|i| r + i);
                match found {
                    Some(c) => match buf.get(c + 1) {
                        Some(b'"') => r = c + 2,
                        None if !eof => return Step::NeedMore,
                        _ => {
                            p = c + 1;
                            break;
                        }
                    },
                    None if window_end < limit && !eof => return Step::NeedMore,
                    None => {
                        // Unterminated: the record ends with the line where the field opened.
                        return match self.find(eol, buf.get(q..), false) {
                            Some(i) => Step::Record(self.ended(buf, start, q + i, true)),
                            None if eof => Step::Record(self.ended(buf, start, buf.len(), true)),
                            None => Step::NeedMore,
                        };
                    }
                }
            }
        }
    }

    /// The record from `start` whose line end is at `at` (`buf.len()` for none).
    fn ended(&self, buf: &[u8], start: usize, at: usize, unterminated: bool) -> Record {
        let next = (at + 1).min(buf.len());
        let lines = count_byte(self.eol, buf.get(start..next).unwrap_or_default());
        let end = if self.eol == b'\n' && at > start && buf.get(at - 1) == Some(&b'\r') { at - 1 } else { at };
        let quoted = memchr(b'"', buf.get(start..end).unwrap_or_default()).is_some();
        Record { start, end, next, lines, quoted, unterminated }
    }

    /// Moves the cursor (at a record start) to the first record start at or after `target`, or to
    /// the end of `buf`. `buf` holds complete records.
    pub fn seek(&mut self, buf: &[u8], target: usize) {
        let eol = self.eol;
        while self.pos < target && self.pos < buf.len() {
            let q = self.quote_after(buf, self.pos);
            // Lines without quotes are records of one line each: jump over them.
            let plain_until = if q > target {
                match self.find(eol, buf.get(target.saturating_sub(1)..q), false) {
                    Some(i) => {
                        self.pos = target.saturating_sub(1) + i + 1;
                        return;
                    }
                    None => q,
                }
            } else {
                q
            };
            if let Some(i) = self.find(eol, buf.get(self.pos..plain_until), true) {
                self.pos += i + 1;
            }
            if self.pos >= target {
                return;
            }
            match self.next(buf, true) {
                Step::Record(_) => {}
                Step::NeedMore | Step::End => {
                    self.pos = buf.len();
                    return;
                }
            }
        }
    }

    /// The end of the complete records of `buf` from the cursor (a record start), which moves
    /// there: the start of a record that needs more bytes, or `buf.len()`.
    pub fn complete_end(&mut self, buf: &[u8]) -> usize {
        let eol = self.eol;
        loop {
            let q = self.quote_after(buf, self.pos);
            if let Some(i) = self.find(eol, buf.get(self.pos..q), true) {
                self.pos += i + 1;
            }
            if self.pos >= buf.len() {
                return buf.len();
            }
            match self.next(buf, false) {
                Step::Record(_) => {}
                Step::NeedMore | Step::End => return self.pos,
            }
        }
    }
}

/// Whether the quote at `q` opens a quoted field: only blanks between it and the record's start or
/// the previous separator.
fn opens_field(buf: &[u8], start: usize, q: usize, delimiter: u8) -> bool {
    let mut b = q;
    while b > start && buf.get(b - 1).is_some_and(|&c| is_blank(c, delimiter)) {
        b -= 1;
    }
    b == start || buf.get(b - 1) == Some(&delimiter)
}

/// Spaces and tabs may pad a quoted field, except a tab that separates fields.
const fn is_blank(c: u8, delimiter: u8) -> bool {
    c == b' ' || (c == b'\t' && delimiter != b'\t')
}

fn count_byte(byte: u8, b: &[u8]) -> u64 {
    u64::try_from(memchr_iter(byte, b).count()).unwrap_or(u64::MAX)
}

/// Cuts `buf` (complete records from a record start) into at most `pieces` parts of about equal
/// size, each made of whole records. Returns the cut offsets, starting with 0 and ending with
/// `buf.len()`.
#[must_use]
pub fn split_records(buf: &[u8], line_end: LineEnd, pieces: usize) -> Vec<usize> {
    split_records_by(buf, line_end, b',', pieces)
}

/// [`split_records`] for fields separated by `delimiter` (`,`, `;` or tab): a quote opens a
/// quoted field (whose line ends are data) only at the start of a field, so where records end
/// depends on the separator.
#[must_use]
pub fn split_records_by(buf: &[u8], line_end: LineEnd, delimiter: u8, pieces: usize) -> Vec<usize> {
    let pieces = pieces.max(1);
    let mut cuts = vec![0];
    let mut cursor = Cursor::new(line_end, 0).with_delimiter(delimiter);
    for k in 1..pieces {
        cursor.seek(buf, buf.len() / pieces * k);
        if cursor.pos >= buf.len() {
            break;
        }
        cuts.push(cursor.pos);
    }
    cuts.push(buf.len());
    cuts.dedup();
    cuts
}

/// The number of line ends in `buf`.
#[must_use]
pub fn count_lines(buf: &[u8], line_end: LineEnd) -> u64 {
    count_byte(line_end.byte(), buf)
}

/// Every record of a whole input, one pass: (row, record bytes, unterminated), blank lines
/// skipped. For tests and the fuzzers' differential checks.
#[must_use]
pub fn all_records(buf: &[u8]) -> Vec<(u64, &[u8], bool)> {
    records_from(buf, &[0, buf.len()], b',')
}

/// [`all_records`] through pieces cut by [`split_records`] and scanned apart, then put together
/// as the parallel driver does (each piece's rows shifted by the line ends before it).
#[must_use]
pub fn all_records_in_pieces(buf: &[u8], pieces: usize) -> Vec<(u64, &[u8], bool)> {
    all_records_in_pieces_by(buf, b',', pieces)
}

/// [`all_records_in_pieces`] for fields separated by `delimiter`; one piece is one pass.
#[must_use]
pub fn all_records_in_pieces_by(buf: &[u8], delimiter: u8, pieces: usize) -> Vec<(u64, &[u8], bool)> {
    let line_end = LineEnd::detect(buf, true).unwrap_or_default();
    let cuts = split_records_by(buf, line_end, delimiter, pieces);
    records_from(buf, &cuts, delimiter)
}

fn records_from<'a>(buf: &'a [u8], cuts: &[usize], delimiter: u8) -> Vec<(u64, &'a [u8], bool)> {
    let line_end = LineEnd::detect(buf, true).unwrap_or_default();
    let mut out = Vec::new();
    let mut base = 1;
    for (a, b) in cuts.iter().zip(cuts.iter().skip(1)) {
        let piece = buf.get(*a..*b).unwrap_or_default();
        let mut cursor = Cursor::new(line_end, 0).with_delimiter(delimiter);
        let mut row = base;
        while let Step::Record(r) = cursor.next(piece, true) {
            let bytes = piece.get(r.start..r.end).unwrap_or_default();
            if !bytes.is_empty() {
                out.push((row, bytes, r.unterminated));
            }
            row += r.lines;
        }
        base += count_lines(piece, line_end);
    }
    out
}

/// Trims ASCII spaces and tabs from both ends.
#[must_use]
#[inline]
pub fn trim(b: &[u8]) -> &[u8] {
    // Nearly every field has neither at either end: two comparisons (a byte above the space is
    // neither), and no loop (the hot path trims every field of every dossier).
    match (b.first(), b.last()) {
        (Some(first), Some(last)) if *first > b' ' && *last > b' ' => b,
        (None, _) => b,
        _ => trim_blanks(b),
    }
}

/// [`trim`] byte by byte.
fn trim_blanks(mut b: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = b {
        b = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = b {
        b = rest;
    }
    b
}

/// A field at fault while splitting a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// A quoted field is followed by something other than a separator.
    BadQuote {
        /// The field's position, from 0.
        field: usize,
    },
}

/// Splits one record into comma-separated fields, calling `out(index, bytes)` for each. A record
/// with quotes is unquoted into `scratch`; others are sliced in place. Returns the number of fields.
pub fn split_fields<'a>(
    record: &'a [u8],
    scratch: &'a mut Vec<u8>,
    out: impl FnMut(usize, &'a [u8]),
) -> Result<usize, SplitError> {
    split_fields_by(record, b',', scratch, out)
}

/// [`split_fields`] for fields separated by `delimiter` (`,`, `;` or tab).
pub fn split_fields_by<'a>(
    record: &'a [u8],
    delimiter: u8,
    scratch: &'a mut Vec<u8>,
    mut out: impl FnMut(usize, &'a [u8]),
) -> Result<usize, SplitError> {
    if memchr(b'"', record).is_none() {
        let mut start = 0;
        let mut n = 0;
        for comma in memchr_iter(delimiter, record) {
            out(n, record.get(start..comma).unwrap_or_default());
            n += 1;
            start = comma + 1;
        }
        out(n, record.get(start..).unwrap_or_default());
        return Ok(n + 1);
    }
    // Slow path: unquote every field into `scratch`, remember ranges, then hand them out.
    scratch.clear();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    loop {
        let start = scratch.len();
        // Leading blanks before an opening quote are tolerated.
        let mut j = i;
        while record.get(j).is_some_and(|&c| is_blank(c, delimiter)) {
            j += 1;
        }
        if record.get(j) == Some(&b'"') {
            j += 1;
            loop {
                match record.get(j) {
                    None => return Err(SplitError::BadQuote { field: ranges.len() }),
                    Some(b'"') if record.get(j + 1) == Some(&b'"') => {
                        scratch.push(b'"');
                        j += 2;
                    }
                    Some(b'"') => {
                        j += 1;
                        break;
                    }
                    Some(&c) => {
                        scratch.push(c);
                        j += 1;
                    }
                }
            }
            while record.get(j).is_some_and(|&c| is_blank(c, delimiter)) {
                j += 1;
            }
            ranges.push((start, scratch.len()));
            match record.get(j) {
                None => break,
                Some(&c) if c == delimiter => i = j + 1,
                Some(_) => return Err(SplitError::BadQuote { field: ranges.len() - 1 }),
            }
        } else {
            let rest = record.get(i..).unwrap_or_default();
            let end = memchr(delimiter, rest).map_or(record.len(), |k| i + k);
            let field = record.get(i..end).unwrap_or_default();
            if memchr(b'"', field).is_some() {
                return Err(SplitError::BadQuote { field: ranges.len() });
            }
            scratch.extend_from_slice(field);
            ranges.push((start, scratch.len()));
            if end >= record.len() {
                break;
            }
            i = end + 1;
        }
    }
    let buf: &'a Vec<u8> = scratch;
    for (n, (a, b)) in ranges.iter().enumerate() {
        out(n, buf.get(*a..*b).unwrap_or_default());
    }
    Ok(ranges.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn trim_skips_the_loop_only_when_it_would_not_trim() {
        for f in ["", " ", "\t", "a", " a", "a ", "\ta\t", "\ra", "a\r", "\u{0}", "\u{a0}x\u{a0}", "a b", "  \t "] {
            assert_eq!(trim(f.as_bytes()), trim_blanks(f.as_bytes()), "{f:?}");
        }
    }

    use super::*;

    fn fields(record: &str) -> Result<Vec<String>, SplitError> {
        let mut scratch = Vec::new();
        let mut v = Vec::new();
        split_fields(record.as_bytes(), &mut scratch, |_, f| v.push(String::from_utf8_lossy(f).into_owned()))?;
        Ok(v)
    }

    fn records(buf: &str) -> Vec<(u64, String, bool)> {
        all_records(buf.as_bytes())
            .into_iter()
            .map(|(r, b, u)| (r, String::from_utf8_lossy(b).into_owned(), u))
            .collect()
    }

    #[test]
    fn splits_plain_and_quoted_fields() {
        assert_eq!(fields("a,b,,c").unwrap(), ["a", "b", "", "c"]);
        assert_eq!(fields("").unwrap(), [""]);
        assert_eq!(fields(r#""a,b","say ""hi""",c"#).unwrap(), ["a,b", r#"say "hi""#, "c"]);
        assert_eq!(fields("\"line\nbreak\",\"\"").unwrap(), ["line\nbreak", ""]);
        assert_eq!(fields(r#"x,"y""#).unwrap(), ["x", "y"]);
        assert_eq!(fields(r#"x,ab"c"#), Err(SplitError::BadQuote { field: 1 }));
        assert_eq!(fields(r#""ab"c,d"#), Err(SplitError::BadQuote { field: 0 }));
        assert_eq!(fields(r#""abc"#), Err(SplitError::BadQuote { field: 0 }));
    }

    #[test]
    fn records_end_at_line_ends_outside_quoted_fields() {
        assert_eq!(
            records("a,b\r\n\"x\ny\",z\n\nlast"),
            [(1, "a,b".into(), false), (2, "\"x\ny\",z".into(), false), (5, "last".into(), false)]
        );
        // A quote inside an unquoted field does not open anything: the record is its line.
        assert_eq!(
            records("h\n5\" screen\nnext\n"),
            [(1, "h".into(), false), (2, "5\" screen".into(), false), (3, "next".into(), false)]
        );
        // Junk after a closing quote, and a quote after it, stay on the line.
        assert_eq!(records("\"a\"x\"\nb\n"), [(1, "\"a\"x\"".into(), false), (2, "b".into(), false)]);
        // Spaces before an opening quote; an escaped quote before a line end.
        assert_eq!(records("a, \"b\"\"\nc\"\nd"), [(1, "a, \"b\"\"\nc\"".into(), false), (3, "d".into(), false)]);
    }

    #[test]
    fn an_unterminated_quote_costs_its_line_only() {
        // Row 3 opens a quote that never closes: rows 2 and 4 are kept, row 3 is cut at its line.
        let csv = "id,name\n1,a\n2,\"b\n3,c\n";
        assert_eq!(
            records(csv),
            [
                (1, "id,name".into(), false),
                (2, "1,a".into(), false),
                (3, "2,\"b".into(), true),
                (4, "3,c".into(), false)
            ]
        );
        // A field over the limit before its closing quote is unterminated too.
        let long = format!("h\n\"{}\nx\n{}\"\ny\n", "a".repeat(10), "b".repeat(MAX_QUOTED_BYTES));
        let got = records(&long);
        assert_eq!(got[1], (2, format!("\"{}", "a".repeat(10)), true));
        assert_eq!(got[2], (3, "x".into(), false));
        assert_eq!(got.last().unwrap(), &(5, "y".into(), false));
        // An unterminated field on the second line of a record ends the record with that line.
        assert_eq!(records("\"a\nb\",\"c\nd\n"), [(1, "\"a\nb\",\"c".into(), true), (3, "d".into(), false)]);
    }

    #[test]
    fn cr_only_files_are_read_by_line() {
        assert_eq!(LineEnd::detect(b"a,b\rc", false), Some(LineEnd::Cr));
        assert_eq!(LineEnd::detect(b"a,b\r\nc", false), Some(LineEnd::Lf));
        assert_eq!(LineEnd::detect(b"a,b\r", false), None);
        assert_eq!(LineEnd::detect(b"a,b", true), Some(LineEnd::Lf));
        assert_eq!(
            records("h\r1\r\"x\ry\"\r2\r"),
            [(1, "h".into(), false), (2, "1".into(), false), (3, "\"x\ry\"".into(), false), (5, "2".into(), false)]
        );
    }

    #[test]
    fn a_stray_quote_is_scanned_in_linear_time() {
        // 20 000 lines after an unterminated quote: each byte is looked at a bounded number of
        // times (the old scanner recounted the quotes of the whole record at every line end).
        let line = "123,abcdefgh,2025-07-01\n";
        let mut clean = String::from("a,b,c\n");
        for _ in 0..20_000 {
            clean.push_str(line);
        }
        let stray = clean.replacen("abcdefgh", "\"bcdefgh", 1);
        let examined = |buf: &str| {
            let mut c = Cursor::new(LineEnd::Lf, 0);
            let mut n = 0;
            while let Step::Record(_) = c.next(buf.as_bytes(), true) {
                n += 1;
            }
            assert_eq!(n, 20_001);
            c.examined
        };
        let (clean_work, stray_work) = (examined(&clean), examined(&stray));
        assert!(clean_work <= 3 * clean.len() as u64, "{clean_work}");
        assert!(stray_work <= 3 * clean.len() as u64 + 4 * MAX_QUOTED_BYTES as u64, "{stray_work} vs {clean_work}");
    }

    #[test]
    fn splits_blocks_at_record_starts() {
        let buf = b"1,\"a\nb\"\n2,x\n3,\"\n\"\n4,y\n5,\"z\n6,w\n";
        let whole = all_records(buf);
        for pieces in 1..8 {
            let cuts = split_records(buf, LineEnd::Lf, pieces);
            assert_eq!(cuts.first(), Some(&0));
            assert_eq!(cuts.last(), Some(&buf.len()));
            assert_eq!(all_records_in_pieces(buf, pieces), whole, "{pieces} pieces");
        }
        assert_eq!(trim(b"  a b\t"), b"a b");
    }

    #[test]
    fn pieces_of_a_semicolon_or_tab_file_are_cut_at_its_record_starts_only() {
        for d in [";", "\t"] {
            // A quoted field after the separator holds a line end, a separator and a comma: read
            // with commas, its second line would look like a record start.
            let buf = "1;\"a\n2;b,c\"\n3;x\n4;\"\n\"\n5;y\n".replace(';', d);
            let buf = buf.as_bytes();
            let delimiter = d.as_bytes()[0];
            let one = all_records_in_pieces_by(buf, delimiter, 1);
            let rows: Vec<u64> = one.iter().map(|r| r.0).collect();
            assert_eq!(rows, [1, 3, 4, 6], "{d:?}");
            let starts = [0, 12, 16, 22, buf.len()];
            for pieces in 1..12 {
                let cuts = split_records_by(buf, LineEnd::Lf, delimiter, pieces);
                assert!(cuts.iter().all(|c| starts.contains(c)), "{d:?} in {pieces} pieces: {cuts:?}");
                assert_eq!(all_records_in_pieces_by(buf, delimiter, pieces), one, "{d:?} in {pieces} pieces");
            }
            // The comma reading differs: that is why the driver reads the header first.
            assert_ne!(all_records(buf).len(), one.len());
        }
    }

    /// What the csv crate finds in well-formed CSV.
    fn csv_crate_records(buf: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(buf);
        let mut out = Vec::new();
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap() {
            out.push(record.iter().map(<[u8]>::to_vec).collect());
        }
        out
    }

    fn our_records(buf: &[u8], delimiter: u8, pieces: usize) -> Vec<(u64, Vec<Vec<u8>>)> {
        all_records_in_pieces_by(buf, delimiter, pieces)
            .into_iter()
            .map(|(row, bytes, unterminated)| {
                assert!(!unterminated);
                let mut scratch = Vec::new();
                let mut fields = Vec::new();
                split_fields_by(bytes, delimiter, &mut scratch, |_, f| fields.push(f.to_vec())).unwrap();
                (row, fields)
            })
            .collect()
    }

    fn arb_field() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            "[a-z0-9 ]{0,6}",
            proptest::collection::vec(
                prop_oneof![
                    Just("a"),
                    Just(","),
                    Just(";"),
                    Just("\t"),
                    Just("\""),
                    Just("\n"),
                    Just("\r\n"),
                    Just(" ")
                ],
                0..6
            )
            .prop_map(|v| v.concat()),
        ]
    }

    proptest::proptest! {
        #[test]
        fn pieces_one_pass_and_the_csv_crate_agree(
            rows in proptest::collection::vec(proptest::collection::vec(arb_field(), 1..4), 1..12),
            crlf in proptest::bool::ANY,
            pieces in 1usize..6,
            delimiter in proptest::sample::select(vec![b',', b';', b'\t']),
        ) {
            // Pieces cut for the parallel driver with the file's separator: a `;` or tab file's
            // quoted fields hold line ends (and the other separators) exactly as a comma file's.
            let d = char::from(delimiter);
            let mut buf = String::new();
            let mut expected_rows = Vec::new();
            for row in &rows {
                expected_rows.push(1 + buf.matches('\n').count() as u64);
                let cells: Vec<String> = row
                    .iter()
                    .map(|f| if f.contains(['"', d, '\n', '\r']) || f.is_empty() { format!("\"{}\"", f.replace('"', "\"\"")) } else { f.clone() })
                    .collect();
                buf.push_str(&cells.join(&d.to_string()));
                buf.push_str(if crlf { "\r\n" } else { "\n" });
            }
            let ours = our_records(buf.as_bytes(), delimiter, pieces);
            proptest::prop_assert_eq!(&ours, &our_records(buf.as_bytes(), delimiter, 1));
            proptest::prop_assert_eq!(ours.iter().map(|r| r.0).collect::<Vec<_>>(), expected_rows);
            proptest::prop_assert_eq!(ours.into_iter().map(|r| r.1).collect::<Vec<_>>(), csv_crate_records(buf.as_bytes(), delimiter));
        }

        #[test]
        fn pieces_and_one_pass_agree_on_any_bytes(
            bytes in proptest::collection::vec(proptest::sample::select(vec![b'a', b',', b';', b'\t', b'"', b'\n', b'\r', b' ']), 0..300),
            pieces in 1usize..6,
            delimiter in proptest::sample::select(vec![b',', b';', b'\t']),
        ) {
            proptest::prop_assert_eq!(all_records_in_pieces(&bytes, pieces), all_records(&bytes));
            proptest::prop_assert_eq!(
                all_records_in_pieces_by(&bytes, delimiter, pieces),
                all_records_in_pieces_by(&bytes, delimiter, 1)
            );
            // Streamed in chunks: the complete-end search finds the same record starts.
            let line_end = LineEnd::detect(&bytes, true).unwrap_or_default();
            let mut c = Cursor::new(line_end, 0).with_delimiter(delimiter);
            let mut ends = Vec::new();
            for len in 0..=bytes.len() {
                let end = c.complete_end(&bytes[..len]);
                if ends.last() != Some(&end) {
                    ends.push(end);
                }
            }
            let mut one = Cursor::new(line_end, 0).with_delimiter(delimiter);
            let mut starts = vec![0];
            while let Step::Record(r) = one.next(&bytes, true) {
                starts.push(r.next);
            }
            for e in ends {
                proptest::prop_assert!(starts.contains(&e), "{} not a record start", e);
            }
        }
    }
}
