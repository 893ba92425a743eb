//! A CSV stream rewritten into the shape its reader takes, under [`InputOptions`]: the rows above
//! the header skipped, the header's columns named by their canonical names (through the column
//! map), and, when the options change values (a column map's `values`, decimal commas), each
//! record's fields of those columns rewritten. Every reader then reads the result as a canonical
//! file: the options are applied here once, for all of them, the dossier scanner included.
//!
//! Row numbers are kept: the lines above the header (a title block, or the rows of a sheet above
//! its header) are carried as line ends inside the header's first field, which a header name
//! ignores (it is trimmed), so that the first record after the header has the row number it has
//! in the file or the sheet. Records are written back with their own line ends; a record that
//! cannot be split (a bad or unterminated quote) is passed on as it is, for its reader to reject.
//! When only the header changes, the rest of the stream is passed on untouched, at no cost.

use std::collections::HashMap;
use std::io::{self, Read};

use super::options::{InputOptions, decimal_comma_number};
use super::read::{self, Header};
use super::scan::{self, Cursor, LineEnd, Step};
use crate::input::InputError;
use crate::labels::ErrorText;

/// The columns whose values are numbers (read with `--decimal-comma`).
pub const NUMBER_COLUMNS: [&str; 6] =
    ["numerator", "denominator", "design_effect", "population", "supplement_requests", "supplement_days"];

#[derive(Debug, Clone)]
enum Phase {
    /// Looking for the header.
    Header,
    /// Rewriting the fields of the columns in `slots` (per field: the canonical column, when its
    /// values change).
    Body { delimiter: u8, slots: Vec<Option<&'static str>> },
    /// Passing bytes on.
    Pass,
}

/// The rewriting of one CSV stream, pushed in chunks cut anywhere ([the module](self)).
#[derive(Debug, Clone)]
pub struct Rewriter {
    options: InputOptions,
    wanted: Vec<&'static str>,
    required: Vec<&'static str>,
    source: String,
    /// Lines above the stream's first (the rows of a sheet above its header).
    lines_above: u64,
    pending: Vec<u8>,
    cursor: Option<Cursor>,
    phase: Phase,
    /// Records before the header, and their lines.
    skipped: (u32, u64),
    scratch: Vec<u8>,
    /// The canonical text of field values seen so far, per column (the few words of a column
    /// such as `channel` are normalized once, not once per row).
    seen: HashMap<(&'static str, Vec<u8>), Option<String>>,
}

/// The most values [`Rewriter`] remembers (a column of ids would otherwise fill memory).
const MAX_SEEN: usize = 4096;

impl Rewriter {
    /// A rewriting for a reader of `wanted` columns (`required` among them), of a stream named
    /// `source` whose first line is preceded by `lines_above` others.
    #[must_use]
    pub fn new(
        options: &InputOptions,
        (required, optional): (&[&'static str], &[&'static str]),
        source: &str,
        lines_above: u64,
    ) -> Self {
        Self {
            options: options.clone(),
            wanted: required.iter().chain(optional).copied().collect(),
            required: required.to_vec(),
            source: source.to_owned(),
            lines_above,
            pending: Vec::new(),
            cursor: None,
            phase: Phase::Header,
            skipped: (0, 0),
            scratch: Vec::new(),
            seen: HashMap::new(),
        }
    }

    /// Whether the header is written and the rest passes on untouched.
    #[must_use]
    pub const fn passing(&self) -> bool {
        matches!(self.phase, Phase::Pass)
    }

    /// Whether the header is written.
    #[must_use]
    pub const fn past_header(&self) -> bool {
        !matches!(self.phase, Phase::Header)
    }

    /// Takes the next bytes of the stream (`eof`: the last) and appends what they become to `out`.
    /// Errors are those of the header (a mapped column missing, no row at `header_row`).
    pub fn push(&mut self, chunk: &[u8], eof: bool, out: &mut Vec<u8>) -> Result<(), InputError> {
        if self.passing() {
            out.extend_from_slice(&self.pending);
            self.pending.clear();
            out.extend_from_slice(chunk);
            return Ok(());
        }
        self.pending.extend_from_slice(chunk);
        if matches!(self.phase, Phase::Header) {
            self.header(eof, out)?;
        }
        if let Phase::Body { delimiter, slots } = &self.phase {
            let (delimiter, slots) = (*delimiter, slots.clone());
            self.body(delimiter, &slots, eof, out);
        }
        if self.passing() {
            out.extend_from_slice(&self.pending);
            self.pending.clear();
        }
        Ok(())
    }

    fn cursor(&mut self, eof: bool) -> Option<Cursor> {
        if self.cursor.is_none() {
            self.cursor = LineEnd::detect(&self.pending, eof).map(|l| Cursor::new(l, 0));
        }
        self.cursor.clone()
    }

    /// Drops the bytes before the cursor.
    fn consume(&mut self, mut cursor: Cursor) {
        let done = cursor.pos.min(self.pending.len());
        self.pending.drain(..done);
        cursor.shift(done);
        self.cursor = Some(cursor);
    }

    fn header(&mut self, eof: bool, out: &mut Vec<u8>) -> Result<(), InputError> {
        let Some(mut cursor) = self.cursor(eof) else { return Ok(()) };
        let skip = self.options.header_row.unwrap_or(1).saturating_sub(1);
        loop {
            match cursor.next(&self.pending, eof) {
                Step::NeedMore | Step::End if !eof => {
                    self.consume(cursor);
                    return Ok(());
                }
                Step::NeedMore => return Ok(()),
                Step::End if self.skipped.0 > 0 => {
                    let rows = self.skipped.1;
                    return Err(InputError::Header {
                        file: self.source.clone(),
                        reason: ErrorText::NoHeaderRow.en(&[("row", &(skip + 1)), ("rows", &rows)]),
                    });
                }
                Step::End => {
                    // Nothing at all: the reader says the file is empty.
                    self.phase = Phase::Pass;
                    return Ok(());
                }
                Step::Record(r) if self.skipped.0 < skip => {
                    self.skipped.0 += 1;
                    self.skipped.1 += r.lines;
                }
                Step::Record(r) => {
                    let record = self.pending.get(r.start..r.end).unwrap_or_default();
                    let own = u64::from(r.next > r.end);
                    let above = self.lines_above + self.skipped.1 + r.lines.saturating_sub(own);
                    if r.unterminated {
                        // The reader says what is wrong with this header.
                        out.extend_from_slice(self.pending.get(r.start..).unwrap_or_default());
                        self.pending.clear();
                        self.phase = Phase::Pass;
                        return Ok(());
                    }
                    let columns = (self.wanted.as_slice(), self.required.as_slice());
                    let header = read::resolve_header(record, columns, &self.options, &self.source)?;
                    self.write_header(&header, above, cursor.line_end(), out);
                    out.extend_from_slice(self.pending.get(r.end..r.next).unwrap_or_default());
                    self.phase = self.body_phase(&header);
                    self.consume(cursor.with_delimiter(header.delimiter));
                    return Ok(());
                }
            }
        }
    }

    /// The header with each wanted column under its canonical name, `above` line ends first.
    fn write_header(&self, header: &Header, above: u64, line_end: LineEnd, out: &mut Vec<u8>) {
        let eol = line_end.byte();
        for (i, name) in header.names.iter().enumerate() {
            if i > 0 {
                out.push(header.delimiter);
            }
            let canonical = header.index.iter().position(|at| *at == Some(i)).and_then(|w| self.wanted.get(w));
            let text = canonical.map_or(name.as_str(), |c| c);
            if i == 0 && above > 0 {
                out.push(b'"');
                out.extend(std::iter::repeat_n(eol, usize::try_from(above).unwrap_or(usize::MAX)));
                out.extend_from_slice(text.replace('"', "\"\"").as_bytes());
                out.push(b'"');
            } else {
                write_field(out, text.as_bytes(), header.delimiter);
            }
        }
    }

    /// What follows the header: the columns whose values change, or nothing to do.
    fn body_phase(&self, header: &Header) -> Phase {
        let map = self.options.columns.as_deref();
        let mut slots = vec![None; header.names.len()];
        let mut any = false;
        for (column, at) in self.wanted.iter().zip(&header.index) {
            let changes = map.is_some_and(|m| m.has_values(column))
                || (self.options.decimal_comma && NUMBER_COLUMNS.contains(column));
            if let (true, Some(slot)) = (changes, at.and_then(|i| slots.get_mut(i))) {
                *slot = Some(*column);
                any = true;
            }
        }
        if any { Phase::Body { delimiter: header.delimiter, slots } } else { Phase::Pass }
    }

    /// Rewrites the complete records of `pending`.
    fn body(&mut self, delimiter: u8, slots: &[Option<&'static str>], eof: bool, out: &mut Vec<u8>) {
        let Some(mut cursor) = self.cursor(eof) else { return };
        let mut scratch = std::mem::take(&mut self.scratch);
        while let Step::Record(r) = cursor.next(&self.pending, eof) {
            let record = self.pending.get(r.start..r.end).unwrap_or_default();
            let verbatim = || self.pending.get(r.start..r.next).unwrap_or_default();
            if record.is_empty() || r.unterminated {
                out.extend_from_slice(verbatim());
                continue;
            }
            let mut fields: Vec<&[u8]> = Vec::new();
            if scan::split_fields_by(record, delimiter, &mut scratch, |_, f| fields.push(f)).is_err() {
                out.extend_from_slice(verbatim());
                continue;
            }
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(delimiter);
                }
                let Some(column) = slots.get(i).copied().flatten() else {
                    write_field(out, field, delimiter);
                    continue;
                };
                let key = (column, field.to_vec());
                let changed = match self.seen.get(&key) {
                    Some(known) => known.clone(),
                    None => {
                        let value = value(&self.options, column, field);
                        if self.seen.len() < MAX_SEEN {
                            self.seen.insert(key, value.clone());
                        }
                        value
                    }
                };
                write_field(out, changed.as_deref().map_or(*field, str::as_bytes), delimiter);
            }
            out.extend_from_slice(self.pending.get(r.end..r.next).unwrap_or_default());
        }
        self.scratch = scratch;
        self.consume(cursor);
    }
}

/// The canonical text of `field` in `column`, when the options change it.
fn value(options: &InputOptions, column: &str, field: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(field).ok()?.trim();
    if let Some(v) = options.columns.as_deref().and_then(|m| m.value(column, text)) {
        return Some(v.to_owned());
    }
    if options.decimal_comma && NUMBER_COLUMNS.contains(&column) {
        return decimal_comma_number(text);
    }
    None
}

/// Appends one field, quoted when it holds the separator, a quote or a line end.
fn write_field(out: &mut Vec<u8>, field: &[u8], delimiter: u8) {
    if field.iter().any(|b| *b == delimiter || matches!(b, b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in field {
            if *b == b'"' {
                out.push(b'"');
            }
            out.push(*b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field);
    }
}

/// The bytes read at a time.
const CHUNK: usize = 64 * 1024;

/// A reader of the rewritten stream ([the module](self)).
#[derive(Debug)]
pub struct RewriteReader<R> {
    inner: R,
    rewriter: Rewriter,
    out: Vec<u8>,
    at: usize,
    eof: bool,
}

impl<R: Read> RewriteReader<R> {
    /// Reads `inner` up to the end of its header, so that the errors of the header come here as
    /// [`InputError`]s (named `source`), not later as I/O errors.
    pub fn new(inner: R, rewriter: Rewriter, source: &str) -> Result<Self, InputError> {
        let mut reader = Self { inner, rewriter, out: Vec::new(), at: 0, eof: false };
        let mut chunk = vec![0u8; CHUNK];
        while !reader.rewriter.past_header() && !reader.eof {
            let n = reader
                .inner
                .read(&mut chunk)
                .map_err(|e| InputError::Io { file: source.to_owned(), reason: e.to_string() })?;
            reader.eof = n == 0;
            reader.rewriter.push(chunk.get(..n).unwrap_or_default(), reader.eof, &mut reader.out)?;
        }
        Ok(reader)
    }
}

impl<R: Read> Read for RewriteReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.at < self.out.len() {
                let n = buf.len().min(self.out.len() - self.at);
                let src = self.out.get(self.at..self.at + n).unwrap_or_default();
                buf.get_mut(..n).unwrap_or_default().copy_from_slice(src);
                self.at += n;
                return Ok(n);
            }
            self.out.clear();
            self.at = 0;
            if self.eof {
                return Ok(0);
            }
            if self.rewriter.passing() {
                return self.inner.read(buf);
            }
            let mut chunk = vec![0u8; CHUNK];
            let n = self.inner.read(&mut chunk)?;
            self.eof = n == 0;
            self.rewriter
                .push(chunk.get(..n).unwrap_or_default(), self.eof, &mut self.out)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tabular::options::ColumnMap;
    use std::sync::Arc;

    fn rewrite(options: &InputOptions, input: &[u8], above: u64, chunk: usize) -> Result<String, InputError> {
        let mut rw = Rewriter::new(options, (&["unit", "numerator"], &["kind"]), "o.csv", above);
        let mut out = Vec::new();
        for piece in input.chunks(chunk) {
            rw.push(piece, false, &mut out)?;
        }
        rw.push(b"", true, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn the_header_is_renamed_and_rows_above_kept_as_line_ends() {
        let map = ColumnMap::from_json(
            r#"{"columns": {"unit": "DV"}, "values": {"kind": {"toàn bộ": "census"}}}"#.as_bytes(),
            "m.json",
        )
        .unwrap();
        let options = InputOptions { header_row: Some(3), columns: Some(Arc::new(map)), ..InputOptions::default() };
        let input = "BÁO CÁO\n\nDV;Tử số;Loại;x\nk1;1,5;Toàn bộ;\"a;b\"\nk2;2;mẫu;\"q\"\"\n".as_bytes();
        for chunk in [1, 3, 1000] {
            let out = rewrite(&options, input, 1, chunk).unwrap();
            assert_eq!(out, "\"\n\n\nunit\";numerator;kind;x\nk1;1,5;census;\"a;b\"\nk2;2;mẫu;\"q\"\"\n", "{chunk}");
        }
        let decimal = InputOptions { decimal_comma: true, ..InputOptions::default() };
        let out = rewrite(&decimal, b"unit;numerator\r\nk1;1.234,5\r\n\r\nk2;x\r\n", 0, 2).unwrap();
        assert_eq!(out, "unit;numerator\r\nk1;1234.5\r\n\r\nk2;x\r\n");
        // Only the header changes: the rest passes untouched.
        let delimiter = InputOptions { delimiter: Some(b';'), ..InputOptions::default() };
        assert_eq!(rewrite(&delimiter, b"unit;numerator;y,z\nk1;\"", 0, 4).unwrap(), "unit;numerator;y,z\nk1;\"");
    }

    #[test]
    fn header_errors_name_the_map_and_the_row() {
        let map = ColumnMap::from_json(br#"{"columns": {"unit": "DV"}}"#, "m.json").unwrap();
        let options = InputOptions { columns: Some(Arc::new(map)), ..InputOptions::default() };
        let e = rewrite(&options, b"unit,numerator\n", 0, 5).unwrap_err();
        assert_eq!(e.to_string(), "o.csv: the header has no `DV` column, which m.json maps to `unit`");
        let far = InputOptions { header_row: Some(9), ..InputOptions::default() };
        let e = rewrite(&far, b"a\nb\n", 0, 5).unwrap_err();
        assert_eq!(e.to_string(), "o.csv: there is no header at row 9 (the file has 2 rows)");
    }
}
