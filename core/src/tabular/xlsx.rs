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

use calamine::{Data, Reader, Xlsx};

use crate::input::InputError;
use crate::labels::ErrorText;

/// Which sheet, and where its header is.
#[derive(Debug, Clone, Default)]
pub struct SheetOptions {
    /// The sheet's name; `None` for the first.
    pub sheet: Option<String>,
    /// The header's row number (from 1, as Excel shows it); `None` for the first non-empty row.
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
    if let Some(row) = options.header_row {
        // calamine counts rows from 0.
        book.with_header_row(calamine::HeaderRow::Row(row.saturating_sub(1)));
    }
    let range = book.worksheet_range(&name).map_err(|e| not_workbook(&e))?;
    let first_row = range.start().map_or(0, |(row, _)| row);
    let mut out = Vec::with_capacity(range.height().saturating_mul(64));
    let mut field = String::new();
    for row in range.rows() {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            field.clear();
            write_cell(cell, &mut field);
            push_field(&mut out, &field);
        }
        out.push(b'\n');
    }
    Ok((out, u64::from(first_row)))
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
}
