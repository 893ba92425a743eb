//! Excel 2007+ workbooks (`.xlsx`) read as the CSV every reader of the crate takes (exports.md):
//! one sheet (the first unless named), from its header row, each cell written as the text a
//! canonical file would hold, so that a workbook and its CSV export score alike.
//!
//! - Text cells are written as they are; numbers as their shortest decimal (`1`, `2.5`); booleans
//!   as `true` / `false`; formulas as their cached values (what Excel last computed).
//! - Date cells (a number with a date format) are written `YYYY-MM-DD` when they hold no time of
//!   day, so that a due date keeps meaning the end of that day, else `YYYY-MM-DD HH:MM:SS` (Vietnam
//!   time, as a time without a zone always is); both the 1900 and the 1904 date systems. A plain
//!   number in a date column is not taken for a date serial: it is rejected by the date reader.
//! - A merged cell holds its value in its top-left cell only; the others are empty (a value the
//!   merge spans is not copied down: that would invent data).
//! - A cell holding an Excel error (`#N/A`, `#DIV/0!`) is written as `#ERROR` text; the reader of
//!   the column then rejects its row, naming the value.
//! - `header_row` (from 1, as Excel numbers rows) skips a title block above the header; the row
//!   numbers of rejections are the sheet's own row numbers.
//!
//! The whole sheet is read into memory (a sheet has at most 1 048 576 rows).

use std::io::Cursor;

use calamine::{Data, Dimensions, Reader, Xlsx};

use super::options::ColumnMap;
use crate::headers;
use crate::input::{InputError, Rejection};
use crate::labels::{ErrorText, RejectionText};

/// Which sheet, and where its header is.
#[derive(Debug, Clone, Default)]
pub struct SheetOptions {
    /// The sheet's name; `None` for the first.
    pub sheet: Option<String>,
    /// The header's row number (from 1, as Excel shows it); `None` to find it ([`read_sheet`]).
    pub header_row: Option<u32>,
}

/// Whether `bytes` start like a ZIP archive (an `.xlsx` file), whatever its name says.
#[must_use]
pub fn looks_like_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// A workbook's sheet as CSV bytes, with the number of rows above the first one written (so that
/// a caller can give rejections the sheet's row numbers), or a clear error naming `source`.
pub fn xlsx_to_csv(bytes: &[u8], source: &str, options: &SheetOptions) -> Result<(Vec<u8>, u64), InputError> {
    let sheet = read_sheet(bytes, source, options, &[], None)?;
    Ok((sheet.csv, sheet.rows_above))
}

/// A sheet read for a reader of some columns ([`read_sheet`]).
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The sheet from its header row, as CSV (one line per row).
    pub csv: Vec<u8>,
    /// The rows above the header.
    pub rows_above: u64,
    /// The sheet's name.
    pub name: String,
    /// The rows whose cell in a wanted column cannot be read (an Excel error, a formula without
    /// a computed value, a cell inside a merged range other than its first); they are blank lines
    /// of `csv`, so that the reader skips them and the other rows keep their numbers.
    pub rejected: Vec<Rejection>,
}

/// How many rows are looked at for the header when its row is not given.
const HEADER_SEARCH_ROWS: usize = 30;

/// Reads a sheet for a reader of the `wanted` columns (its header found under `map`).
///
/// Without `header_row`, the header is the first of the sheet's first rows that names the most
/// wanted columns (a title block above it names none); when no row names one, the first row. The
/// source of rejections is `source#sheet`. A line break inside a cell reads as a space, so that
/// each row of the sheet is one line of the CSV.
pub fn read_sheet(
    bytes: &[u8],
    source: &str,
    options: &SheetOptions,
    wanted: &[&str],
    map: Option<&ColumnMap>,
) -> Result<Sheet, InputError> {
    let fail = |reason: String| InputError::Header { file: source.to_owned(), reason };
    let not_workbook = |e: &dyn std::fmt::Display| fail(ErrorText::NotWorkbook.en(&[("reason", e)]));
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| not_workbook(&e))?;
    let sheets = book.sheet_names();
    let name = match &options.sheet {
        Some(wanted) => sheets
            .iter()
            .find(|s| *s == wanted)
            .cloned()
            .ok_or_else(|| fail(ErrorText::NoSuchSheet.en(&[("sheet", wanted), ("sheets", &sheets.join(", "))])))?,
        None => sheets.first().cloned().ok_or_else(|| not_workbook(&"no sheet"))?,
    };
    let range = book.worksheet_range(&name).map_err(|e| not_workbook(&e))?;
    let formulas = book.worksheet_formula(&name).ok();
    let merged = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
    let (top, left) = range.start().unwrap_or((0, 0));
    let rows: Vec<&[Data]> = range.rows().collect();
    let header_at = match options.header_row {
        Some(row) => {
            let at = usize::try_from(row.saturating_sub(1).saturating_sub(top)).unwrap_or(usize::MAX);
            if row.saturating_sub(1) < top || at >= rows.len().max(1) {
                let last = u64::from(top) + rows.len() as u64;
                return Err(fail(ErrorText::NoHeaderRow.en(&[("row", &row), ("rows", &last)])));
            }
            at
        }
        None => find_header(&rows, wanted, map),
    };
    let header: Vec<String> =
        rows.get(header_at).map(|r| r.iter().map(|c| headers::normalize(&cell_text(c))).collect()).unwrap_or_default();
    let used: Vec<Option<&str>> =
        header.iter().map(|h| wanted.iter().find(|w| super::options::names_under(h, w, map)).copied()).collect();
    let sheet_source = format!("{source}#{name}");
    let lookup = Lookup { formulas: formulas.as_ref(), merged: &merged, source: &sheet_source };
    let mut csv = Vec::with_capacity(range.height().saturating_mul(64));
    let mut rejected = Vec::new();
    let mut field = String::new();
    for (i, row) in rows.iter().enumerate().skip(header_at) {
        let at_row = top.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        let bad = if i == header_at { None } else { lookup.bad_cell(row, at_row, left, &used) };
        if let Some(r) = bad {
            rejected.push(r);
            csv.push(b'\n');
            continue;
        }
        for (j, cell) in row.iter().enumerate() {
            if j > 0 {
                csv.push(b',');
            }
            field.clear();
            write_cell(cell, &mut field);
            push_field(&mut csv, &field.replace("\r\n", " ").replace(['\n', '\r'], " "));
        }
        csv.push(b'\n');
    }
    let rows_above = u64::from(top) + header_at as u64;
    Ok(Sheet { csv, rows_above, name, rejected })
}

/// The row (from 0 in `rows`) among the first [`HEADER_SEARCH_ROWS`] that names the most wanted
/// columns; the first when none names any.
fn find_header(rows: &[&[Data]], wanted: &[&str], map: Option<&ColumnMap>) -> usize {
    let mut best = (0usize, 0usize);
    for (i, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let known = row
            .iter()
            .filter(|c| {
                let h = headers::normalize(&cell_text(c));
                !h.is_empty() && wanted.iter().any(|w| super::options::names_under(&h, w, map))
            })
            .count();
        if known > best.1 {
            best = (i, known);
        }
    }
    best.0
}

/// A cell's text (for a header).
fn cell_text(cell: &Data) -> String {
    let mut s = String::new();
    write_cell(cell, &mut s);
    s
}

/// What tells a cell that cannot be read: the sheet's formulas and merged ranges.
struct Lookup<'a> {
    formulas: Option<&'a calamine::Range<String>>,
    merged: &'a [Dimensions],
    source: &'a str,
}

impl Lookup<'_> {
    /// The rejection of a row (at `row`, from 0, of the sheet; its first cell in column `left`)
    /// whose cell in a used column cannot be read.
    fn bad_cell(&self, cells: &[Data], row: u32, left: u32, used: &[Option<&str>]) -> Option<Rejection> {
        for (j, cell) in cells.iter().enumerate() {
            let Some(Some(column)) = used.get(j) else { continue };
            let col = left.saturating_add(u32::try_from(j).unwrap_or(u32::MAX));
            let name = cell_name(row, col);
            let reason = match cell {
                Data::Error(e) => Some(RejectionText::CellError.en(&[("cell", &name), ("value", &e)])),
                Data::Empty => self.empty_reason(row, col, &name),
                Data::String(s) if s.is_empty() => self.empty_reason(row, col, &name),
                _ => None,
            };
            if let Some(reason) = reason {
                return Some(Rejection {
                    source: self.source.to_owned(),
                    row: u64::from(row) + 1,
                    column: Some((*column).to_owned()),
                    reason,
                });
            }
        }
        None
    }

    /// Why an empty cell is not simply empty: a formula without a computed value, or a place in a
    /// merged range that is not its first.
    fn empty_reason(&self, row: u32, col: u32, name: &str) -> Option<String> {
        let formula = self.formulas.and_then(|f| f.get_value((row, col))).filter(|f| !f.is_empty());
        if let Some(formula) = formula {
            return Some(RejectionText::FormulaNoValue.en(&[("cell", &name), ("formula", &format!("={formula}"))]));
        }
        let range = self.merged.iter().find(|d| d.contains(row, col) && d.start != (row, col))?;
        let first = cell_name(range.start.0, range.start.1);
        let span = format!("{first}:{}", cell_name(range.end.0, range.end.1));
        Some(RejectionText::MergedCell.en(&[("cell", &name), ("range", &span), ("first", &first)]))
    }
}

/// A cell's name as Excel shows it (`B7`), from its row and column from 0.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// The text of one cell, as a canonical CSV file would hold it.
fn write_cell(cell: &Data, out: &mut String) {
    use std::fmt::Write as _;
    match cell {
        Data::Empty => {}
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => out.push_str(s),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        // Rust prints the shortest text that reads back as the same number: 1, 2.5, 0.1.
        Data::Float(f) => {
            let _ = write!(out, "{f}");
        }
        Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            let _ = write!(out, "{y:04}-{mo:02}-{day:02}");
            if (h, mi, s) != (0, 0, 0) {
                let _ = write!(out, " {h:02}:{mi:02}:{s:02}");
            }
        }
        // A duration (`[hh]:mm:ss`): its number of days, as a decimal.
        Data::DateTime(d) => {
            let _ = write!(out, "{}", d.as_f64());
        }
        Data::Error(e) => {
            let _ = write!(out, "#ERROR {e}");
        }
    }
}

/// Appends one CSV field, quoted when it holds a comma, a quote or a line end.
fn push_field(out: &mut Vec<u8>, field: &str) {
    if field.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in field.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut out = Vec::new();
        for f in ["a", "b,c", "say \"hi\"", "two\nlines", ""] {
            push_field(&mut out, f);
            out.push(b',');
        }
        assert_eq!(String::from_utf8(out).unwrap(), "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",,");
    }

    #[test]
    fn not_a_workbook_is_a_clear_error() {
        let e = xlsx_to_csv(b"unit,name\n", "units.xlsx", &SheetOptions::default()).unwrap_err();
        assert!(e.to_string().starts_with("units.xlsx: cannot read the Excel workbook (.xlsx): "), "{e}");
        assert!(!looks_like_xlsx(b"unit,name\n"));
    }

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 1), "B7");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(0, 701), "ZZ1");
        assert_eq!(cell_name(0, 702), "AAA1");
    }
}
