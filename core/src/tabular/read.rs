//! Reading CSV by column name: the header resolved once (for these readers and the dossier
//! scanner alike), then one call per record with its row number.
//!
//! Records come from [`super::scan`], so these readers follow the same rules as the dossier
//! scanner: `\n`, `\r\n` or `\r` line ends, RFC 4180 quotes, and an unterminated quote costs its
//! own line only.

use std::io::Read;

use super::scan::{self, Cursor, LineEnd, SplitError, Step};
use crate::headers;
use crate::input::{InputError, MAX_FIELD_BYTES, Rejection};
use crate::labels::{ErrorText, RejectionText};

/// The reason given for a record cut short by an unterminated quote.
pub const UNTERMINATED_QUOTE: &str = RejectionText::UnterminatedQuote.text().en;

/// The reason given for a quote where RFC 4180 allows none.
pub const BAD_QUOTE: &str = RejectionText::BadQuote.text().en;

/// A record of a CSV file longer than this without an end is an error (not CSV).
pub const MAX_RECORD_BYTES: usize = 32 * 1024 * 1024;

/// The field separators a header may use, in order of preference on a tie.
pub const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// The separator of a file from its header record (exports.md): the one of `,` `;` tab that
/// splits it into the most columns that `wanted` knows (by name or alias); `,` when none does.
#[must_use]
pub fn detect_delimiter(record: &[u8], wanted: &[&str]) -> u8 {
    let mut best = (0usize, b',');
    for d in DELIMITERS {
        let known = known_columns(record, d, wanted);
        if known > best.0 {
            best = (known, d);
        }
    }
    best.1
}

/// How many of the fields of the header `record`, split at `delimiter`, name a column of `wanted`
/// (by name or alias); 0 when `delimiter` is not in it or a quote is bad. [`detect_delimiter`]
/// keeps the separator with the most; a reader whose header record depends on the separator (a
/// quoted name spanning lines) compares each separator's record by it.
#[must_use]
pub fn known_columns(record: &[u8], delimiter: u8, wanted: &[&str]) -> usize {
    let record = record.strip_prefix("\u{feff}".as_bytes()).unwrap_or(record);
    if memchr::memchr(delimiter, record).is_none() {
        return 0;
    }
    let mut known = 0;
    let _ = scan::split_fields_by(record, delimiter, &mut Vec::new(), |_, f| {
        let name = headers::normalize(&String::from_utf8_lossy(f));
        known += usize::from(wanted.iter().any(|w| headers::names(&name, w)));
    });
    known
}

/// The names of a comma-separated header record; see [`header_names_by`].
pub fn header_names(record: &[u8], source: &str) -> Result<Vec<String>, InputError> {
    header_names_by(record, b',', source)
}

/// The names of a header record whose fields are separated by `delimiter`: the BOM dropped,
/// normalized as [`headers::normalize`] says (trimmed, NFC, lower case).
pub fn header_names_by(record: &[u8], delimiter: u8, source: &str) -> Result<Vec<String>, InputError> {
    let record = record.strip_prefix("\u{feff}".as_bytes()).unwrap_or(record);
    let mut scratch = Vec::new();
    let mut names = Vec::new();
    scan::split_fields_by(record, delimiter, &mut scratch, |_, f| {
        names.push(headers::normalize(&String::from_utf8_lossy(f)));
    })
    .map_err(|_| InputError::Header { file: source.to_owned(), reason: ErrorText::HeaderBadQuote.en(&[]) })?;
    Ok(names)
}

/// Where each `wanted` column is in the header `names` (`None` when absent), by its canonical
/// name or one of its aliases ([`headers::ALIASES`]: the Vietnamese headers of exports). A
/// missing column of `required` is an error, and so is a wanted column named twice, under one
/// name or two (which one would be meant?); a repeated unknown column is ignored like every
/// unknown column.
pub fn resolve_columns(
    names: &[String],
    wanted: &[&'static str],
    required: &[&'static str],
    source: &str,
) -> Result<Vec<Option<usize>>, InputError> {
    let mut index = Vec::with_capacity(wanted.len());
    for name in wanted {
        let mut at = names.iter().enumerate().filter(|(_, h)| headers::names(h, name)).map(|(i, _)| i);
        let first = at.next();
        if let (Some(a), Some(b)) = (first, at.next()) {
            return Err(InputError::Header {
                file: source.to_owned(),
                reason: ErrorText::HeaderRepeats.en(&[("column", name), ("first", &(a + 1)), ("second", &(b + 1))]),
            });
        }
        index.push(first);
    }
    if let Some(missing) = required.iter().find(|r| !names.iter().any(|n| headers::names(n, r))) {
        return Err(InputError::MissingColumn { file: source.to_owned(), column: (*missing).to_owned() });
    }
    Ok(index)
}

/// The columns of a CSV header that a reader asked for, by position.
#[derive(Debug)]
pub struct Columns {
    names: Vec<&'static str>,
    index: Vec<Option<usize>>,
    header: Vec<String>,
}

impl Columns {
    /// The name of the header's column `i` (from 0), for a rejection.
    fn header_name(&self, i: usize) -> Option<&str> {
        self.header.get(i).map(String::as_str)
    }
}

/// One CSV record, with its row number and access by column name.
#[derive(Debug)]
pub struct Row<'a> {
    source: &'a str,
    line: u64,
    fields: &'a [&'a [u8]],
    columns: &'a Columns,
}

impl Row<'_> {
    /// The row number (header = 1).
    #[must_use]
    pub const fn number(&self) -> u64 {
        self.line
    }

    /// The trimmed text of `column` ("" when the column is absent from the file or the row is short).
    pub fn get(&self, column: &'static str) -> Result<&str, Rejection> {
        let Some(pos) = self.columns.names.iter().position(|n| *n == column) else {
            return Ok("");
        };
        let Some(Some(idx)) = self.columns.index.get(pos) else { return Ok("") };
        let bytes = self.fields.get(*idx).copied().unwrap_or_default();
        if bytes.len() > MAX_FIELD_BYTES {
            let values: [(&str, &dyn std::fmt::Display); 2] = [("bytes", &bytes.len()), ("limit", &MAX_FIELD_BYTES)];
            return Err(self.reject(column, RejectionText::FieldTooLong.en(&values)));
        }
        std::str::from_utf8(bytes)
            .map(str::trim)
            .map_err(|e| self.reject(column, RejectionText::NotUtf8.en(&[("byte", &e.valid_up_to())])))
    }

    /// A rejection of this row for `column`.
    #[must_use]
    pub fn reject(&self, column: &str, reason: impl Into<String>) -> Rejection {
        Rejection {
            source: self.source.to_owned(),
            row: self.line,
            column: Some(column.to_owned()),
            reason: reason.into(),
        }
    }

    /// A rejection of this row as a whole.
    #[must_use]
    pub fn reject_row(&self, reason: impl Into<String>) -> Rejection {
        Rejection { source: self.source.to_owned(), row: self.line, column: None, reason: reason.into() }
    }
}

/// A CSV stream read in growing blocks and cut into records by [`scan::Cursor`].
/// The bytes a CSV reader reads at a time.
const REFILL_BYTES: usize = 64 * 1024;

struct RecordReader<R> {
    reader: R,
    buf: Vec<u8>,
    eof: bool,
    /// Bytes to read at the next refill (doubled while a record needs more, so that re-scanning
    /// an incomplete record stays linear; back to [`REFILL_BYTES`] once it is complete, so that the
    /// buffer of a large file stays small).
    want: usize,
    cursor: Option<Cursor>,
    /// The row of the record at the cursor.
    row: u64,
}

impl<R: Read> RecordReader<R> {
    const fn new(reader: R) -> Self {
        Self { reader, buf: Vec::new(), eof: false, want: REFILL_BYTES, cursor: None, row: 1 }
    }

    /// Drops what was read, then reads more: `want` bytes, or twice as many when `grow`.
    fn refill(&mut self, grow: bool) -> std::io::Result<()> {
        if let Some(c) = self.cursor.as_mut() {
            let done = c.pos.min(self.buf.len());
            self.buf.drain(..done);
            c.shift(done);
        }
        if grow {
            self.want = self.want.saturating_mul(2);
        }
        let step = u64::try_from(self.want).unwrap_or(u64::MAX);
        let got = (&mut self.reader).take(step).read_to_end(&mut self.buf)?;
        self.eof = got == 0;
        Ok(())
    }

    /// The next record: its row and the range of its bytes in `self.buf`, and whether it is
    /// unterminated. `None` at the end.
    fn next(&mut self, source: &str) -> Result<Option<(u64, std::ops::Range<usize>, bool)>, InputError> {
        let io = |e: &std::io::Error| InputError::Io { file: source.to_owned(), reason: e.to_string() };
        loop {
            let Some(cursor) = self.cursor.as_mut() else {
                match LineEnd::detect(&self.buf, self.eof) {
                    Some(line_end) => self.cursor = Some(Cursor::new(line_end, 0)),
                    None => self.refill(false).map_err(|e| io(&e))?,
                }
                continue;
            };
            match cursor.next(&self.buf, self.eof) {
                Step::Record(r) => {
                    let row = self.row;
                    self.row = self.row.saturating_add(r.lines);
                    self.want = REFILL_BYTES;
                    return Ok(Some((row, r.start..r.end, r.unterminated)));
                }
                Step::End if self.eof => return Ok(None),
                Step::End => self.refill(false).map_err(|e| io(&e))?,
                Step::NeedMore => {
                    if self.buf.len().saturating_sub(cursor.pos) > MAX_RECORD_BYTES {
                        return Err(InputError::Io {
                            file: source.to_owned(),
                            reason: ErrorText::RecordTooLong.en(&[("row", &self.row), ("max", &MAX_RECORD_BYTES)]),
                        });
                    }
                    self.refill(true).map_err(|e| io(&e))?;
                }
            }
        }
    }
}

/// Reads a CSV stream with a header, calling `on_row` for every record.
///
/// Fields are separated by `,`, `;` or tab, whichever splits the header into the most known
/// columns ([`detect_delimiter`]); headers may use the aliases of [`crate::headers`].
/// `required` columns must be in the header; `optional` ones may be (a column the reader uses
/// may not be named twice). Unknown columns are ignored, columns may come in any order, a UTF-8
/// BOM is skipped, blank lines are skipped. A record with more fields than the header, a bad or
/// unterminated quote, or one that `on_row` rejects, is pushed to `rejected`; a shorter record
/// reads its missing trailing fields as empty (hand-written files often drop trailing commas);
/// with `strict` the first rejection ends the read with [`InputError::Strict`].
pub fn read_csv<R: Read>(
    reader: R,
    source: &str,
    required: &[&'static str],
    optional: &[&'static str],
    strict: bool,
    rejected: &mut Vec<Rejection>,
    on_row: impl FnMut(&Row<'_>) -> Result<(), Rejection>,
) -> Result<(), InputError> {
    read_csv_with(reader, source, (required, optional), strict, &mut |r| rejected.push(r), on_row)
}

/// [`read_csv`] giving each rejected row to `on_reject` as it comes (a reader that keeps only
/// the first rows of a file of garbage does not hold them all first). `columns` are the required
/// and the optional ones.
pub fn read_csv_with<R: Read>(
    reader: R,
    source: &str,
    (required, optional): (&[&'static str], &[&'static str]),
    strict: bool,
    on_reject: &mut dyn FnMut(Rejection),
    mut on_row: impl FnMut(&Row<'_>) -> Result<(), Rejection>,
) -> Result<(), InputError> {
    // UTF-16 (Excel's "Unicode text") is decoded as it streams; other encodings are refused.
    let mut records = RecordReader::new(super::encoding::Utf8Reader::new(reader));
    let Some((_, range, unterminated)) = records.next(source)? else {
        return Err(InputError::Header { file: source.to_owned(), reason: ErrorText::EmptyFile.en(&[]) });
    };
    if unterminated {
        return Err(InputError::Header { file: source.to_owned(), reason: ErrorText::HeaderBadQuote.en(&[]) });
    }
    let wanted: Vec<&'static str> = required.iter().chain(optional).copied().collect();
    let header_bytes = records.buf.get(range).unwrap_or_default();
    let delimiter = detect_delimiter(header_bytes, &wanted);
    let header = header_names_by(header_bytes, delimiter, source)?;
    records.cursor = records.cursor.take().map(|c| c.with_delimiter(delimiter));
    let index = resolve_columns(&header, &wanted, required, source)?;
    let columns = Columns { names: wanted, index, header };
    let mut scratch = Vec::new();
    while let Some((line, range, unterminated)) = records.next(source)? {
        let bytes = records.buf.get(range).unwrap_or_default();
        if bytes.is_empty() {
            continue; // a blank line
        }
        let mut fields: Vec<&[u8]> = Vec::new();
        let split = scan::split_fields_by(bytes, delimiter, &mut scratch, |_, f| fields.push(f));
        let row = Row { source, line, fields: &fields, columns: &columns };
        let at = |field: usize| columns.header_name(field).unwrap_or("").to_owned();
        let outcome = match split {
            Err(SplitError::BadQuote { field }) if unterminated => Err(row.reject(&at(field), UNTERMINATED_QUOTE)),
            Err(SplitError::BadQuote { field }) => Err(row.reject(&at(field), BAD_QUOTE)),
            Ok(_) if unterminated => Err(row.reject_row(UNTERMINATED_QUOTE)),
            Ok(n) if n > columns.header.len() => {
                Err(row.reject_row(RejectionText::TooManyFields.en(&[("count", &n), ("width", &columns.header.len())])))
            }
            Ok(_) => on_row(&row),
        };
        if let Err(r) = outcome {
            if strict {
                return Err(InputError::Strict(r));
            }
            on_reject(r);
        }
    }
    Ok(())
}

/// Reads a non-negative integer that fits `u64`, naming the column on failure.
pub fn parse_u64(row: &Row<'_>, column: &'static str, text: &str) -> Result<u64, Rejection> {
    if text.is_empty() {
        return Err(row.reject(column, RejectionText::Empty.en(&[])));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(row.reject(column, RejectionText::NotCount.en(&[("value", &text)])));
    }
    text.parse::<u64>().map_err(|_| row.reject(column, RejectionText::CountOverflow.en(&[("value", &text)])))
}

/// A boolean as the tabular inputs spell it (exports.md): `1`/`0`, `true`/`false`, `yes`/`no`,
/// `có`/`không`, `x` (= true), in any case; empty = false. `None` for anything else.
#[must_use]
pub fn boolean_word(text: &str) -> Option<bool> {
    const TRUE: [&str; 5] = ["1", "true", "yes", "có", "x"];
    const FALSE: [&str; 4] = ["", "0", "false", "no"];
    match text {
        "" | "0" => Some(false),
        "1" => Some(true),
        t => {
            let folded = t.to_lowercase();
            if TRUE.contains(&folded.as_str()) {
                Some(true)
            } else if FALSE.contains(&folded.as_str()) || folded == "không" {
                Some(false)
            } else {
                None
            }
        }
    }
}

/// Reads a CSV boolean ([`boolean_word`]).
pub fn parse_bool(row: &Row<'_>, column: &'static str, text: &str) -> Result<bool, Rejection> {
    boolean_word(text).ok_or_else(|| row.reject(column, RejectionText::NotBoolean.en(&[("value", &text)])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(data: &[u8]) -> (Vec<(u64, String)>, Vec<Rejection>) {
        let mut rows = Vec::new();
        let mut rejected = Vec::new();
        read_csv(data, "t.csv", &["a"], &["b"], false, &mut rejected, |r| {
            rows.push((r.number(), r.get("a")?.to_owned()));
            Ok(())
        })
        .unwrap();
        (rows, rejected)
    }

    #[test]
    fn a_large_stream_is_read_in_a_small_buffer() {
        // Records cut by every refill: the buffer used to double at each cut, to half the file.
        let line = "aaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n";
        let data = line.repeat(8 * 1024 * 1024 / line.len());
        let mut records = RecordReader::new(data.as_bytes());
        let (mut count, mut largest) = (0, 0);
        while records.next("t.csv").unwrap().is_some() {
            count += 1;
            largest = largest.max(records.buf.capacity());
        }
        assert_eq!(count, data.len() / line.len());
        assert!(largest <= 4 * REFILL_BYTES, "a buffer of {largest} bytes");
    }

    #[test]
    fn semicolons_tabs_and_vietnamese_headers_read_like_commas() {
        // The same observations, as chiso writes them and as an official's spreadsheet exports them.
        let wanted = ["unit", "indicator", "period", "numerator", "denominator"];
        let read = |data: &str| {
            let mut rows = Vec::new();
            let mut rejected = Vec::new();
            read_csv(data.as_bytes(), "o.csv", &wanted, &[], false, &mut rejected, |r| {
                rows.push(wanted.iter().map(|c| r.get(c).map(str::to_owned)).collect::<Result<Vec<_>, _>>()?);
                Ok(())
            })
            .unwrap();
            (rows, rejected)
        };
        let canonical = read("unit,indicator,period,numerator,denominator\nkhom-a,satisfaction,2025,\"9,5\",10\n");
        let semicolons = read("\u{feff}Mã đơn vị;Chỉ tiêu;Kỳ;Tử số;Mẫu số\r\nkhom-a;satisfaction;2025;\"9,5\";10\r\n");
        let tabs = read("ĐƠN VỊ\tMã chỉ tiêu\tKỳ\tTử số\tMẫu số\nkhom-a\tsatisfaction\t2025\t9,5\t10\n");
        assert_eq!(canonical.0, [["khom-a", "satisfaction", "2025", "9,5", "10"]]);
        assert_eq!(semicolons, canonical);
        assert_eq!(tabs, canonical);
        // Commas inside a `;` file's fields are data; the detection counts known columns, not fields.
        assert_eq!(detect_delimiter(b"unit;indicator;note, with comma", &wanted), b';');
        assert_eq!(detect_delimiter(b"a,b;c", &wanted), b',');
        // A quoted tab-separated field may be padded with spaces, not with the separator.
        let mut scratch = Vec::new();
        let mut got = Vec::new();
        scan::split_fields_by(b"\"a\" \t\tb", b'\t', &mut scratch, |_, f| got.push(f.to_vec())).unwrap();
        assert_eq!(got, [b"a".to_vec(), Vec::new(), b"b".to_vec()]);
    }

    #[test]
    fn utf16_unicode_text_reads_and_utf16_without_bom_is_refused() {
        let text = "a\tb\r\nx\tđơn vị\r\n";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let mut got = Vec::new();
        read_csv(le.as_slice(), "t.txt", &["a", "b"], &[], false, &mut Vec::new(), |r| {
            got.push((r.get("a")?.to_owned(), r.get("b")?.to_owned()));
            Ok(())
        })
        .unwrap();
        assert_eq!(got, [("x".to_owned(), "đơn vị".to_owned())]);
        let e = read_csv(&le[2..], "t.txt", &["a"], &[], false, &mut Vec::new(), |_| Ok(())).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.txt: read failed: byte 1 is a zero byte: the file looks like UTF-16 without a byte order mark; save it as UTF-8, or as \"Unicode Text\" (UTF-16 with a BOM)"
        );
    }

    #[test]
    fn reads_by_name_skips_bom_and_reports_bad_rows() {
        let data = "\u{feff}b,a,extra\n1,2,x\n3,4,5,6\n5,6,y\n";
        let mut rows = Vec::new();
        let mut rejected = Vec::new();
        read_csv(data.as_bytes(), "t.csv", &["a", "b"], &["c"], false, &mut rejected, |r| {
            rows.push((r.number(), r.get("a")?.to_owned(), r.get("b")?.to_owned(), r.get("c")?.to_owned()));
            Ok(())
        })
        .unwrap();
        assert_eq!(rows, vec![(2, "2".into(), "1".into(), String::new()), (4, "6".into(), "5".into(), String::new())]);
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].row, 3);
    }

    #[test]
    fn missing_column_is_an_error() {
        let mut rejected = Vec::new();
        let err = read_csv("x\n1\n".as_bytes(), "t.csv", &["a"], &[], false, &mut rejected, |_| Ok(())).unwrap_err();
        assert_eq!(err.to_string(), "t.csv: the header has no `a` column");
        assert_eq!(err.code(), "missing_column");
    }

    #[test]
    fn a_column_named_twice_is_an_error_unless_unused() {
        let mut rejected = Vec::new();
        let err =
            read_csv("a,x,A\n1,2,3\n".as_bytes(), "t.csv", &["a"], &[], false, &mut rejected, |_| Ok(())).unwrap_err();
        assert_eq!(err.to_string(), "t.csv: the header names column `a` twice (columns 1 and 3)");
        assert_eq!(rows_of(b"a,x,x\n1,2,3\n").0, [(2, "1".into())]);
    }

    #[test]
    fn an_unterminated_quote_costs_its_row_only() {
        let (rows, rejected) = rows_of(b"a,b\n1,x\n2,\"y\n3,z\n");
        assert_eq!(rows, [(2, "1".into()), (4, "3".into())]);
        assert_eq!(rejected.len(), 1);
        assert_eq!((rejected[0].row, rejected[0].column.as_deref()), (3, Some("b")));
        assert!(rejected[0].reason.starts_with("an unterminated quote"), "{}", rejected[0].reason);
        // A stray quote inside an unquoted field is a bad quote of that row, and only that row.
        let (rows, rejected) = rows_of(b"a,b\n1,5\" x\n2,y\n");
        assert_eq!(rows, [(3, "2".into())]);
        assert_eq!((rejected[0].row, rejected[0].reason.as_str()), (2, BAD_QUOTE));
    }

    #[test]
    fn cr_only_line_ends_give_each_row_its_number() {
        let (rows, rejected) = rows_of(b"a,b\r1,x\r\"2\r\",y\r3,9,9\r4,z\r");
        assert_eq!(rows, [(2, "1".into()), (3, "2".into()), (6, "4".into())]);
        assert_eq!(rejected[0].row, 5);
        let (rows, _) = rows_of(b"a,b\r\n1,x\r\n\r\n2,y");
        assert_eq!(rows, [(2, "1".into()), (4, "2".into())]);
    }

    #[test]
    fn reads_in_small_blocks_as_in_one() {
        // Longer than the first read: records across refills keep their rows.
        let mut data = String::from("a,b\n");
        for i in 0..20_000 {
            data.push_str(&format!("{i},\"x\ny\"\n"));
        }
        let (rows, rejected) = rows_of(data.as_bytes());
        assert!(rejected.is_empty());
        assert_eq!(rows.len(), 20_000);
        assert_eq!(rows[19_999], (2 + 2 * 19_999, "19999".into()));
    }
}
