//! One CSV writer for every table the front ends export (RFC 4180, for spreadsheets).
//!
//! A cell is either text or a number, and the writer treats them differently: a text cell that a
//! spreadsheet would read as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage
//! return) gets a leading `'`, so that a unit named `=HYPERLINK(…)` is shown, never run, in an
//! official's Excel (OWASP, "CSV injection"); a number cell is written as it is, so `-3` stays a
//! number. Cells holding a comma, a quote or a line break are quoted, quotes doubled. Rows end in
//! CRLF, as RFC 4180 and Excel expect.

use std::borrow::Cow;
use std::io::{self, Write};

/// The UTF-8 byte order mark: Excel reads a CSV as UTF-8 (Vietnamese text) only with it.
pub const BOM: &str = "\u{feff}";

/// One cell of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Text: quoted as needed, neutralised when a spreadsheet would read it as a formula.
    Text(&'a str),
    /// A number already formatted (`-3`, `16.50`): written as it is.
    Number(&'a str),
    /// Nothing (an empty cell).
    Empty,
}

/// Whether a spreadsheet would read `text` as a formula.
#[must_use]
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The text of a text cell as it goes into the file: neutralised, then quoted as needed.
#[must_use]
pub fn text_field(text: &str) -> Cow<'_, str> {
    let text: Cow<'_, str> = if looks_like_formula(text) { format!("'{text}").into() } else { text.into() };
    quoted(text)
}

fn quoted(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")).into() } else { text }
}

impl Cell<'_> {
    /// The cell as it goes into the file.
    #[must_use]
    pub fn field(&self) -> Cow<'_, str> {
        match *self {
            Cell::Text(t) => text_field(t),
            // A number never needs it, but a caller's mistake must not corrupt the row.
            Cell::Number(n) => quoted(n.into()),
            Cell::Empty => Cow::Borrowed(""),
        }
    }
}

/// Writes CSV rows to `out`.
#[derive(Debug)]
pub struct CsvWriter<W: Write> {
    out: W,
}

impl<W: Write> CsvWriter<W> {
    /// A writer that starts with the byte order mark.
    ///
    /// # Errors
    /// When `out` fails.
    pub fn with_bom(mut out: W) -> io::Result<Self> {
        out.write_all(BOM.as_bytes())?;
        Ok(Self { out })
    }

    /// A header row: every name is text.
    ///
    /// # Errors
    /// When the output fails.
    pub fn header<S: AsRef<str>>(&mut self, names: &[S]) -> io::Result<()> {
        self.row(names.iter().map(|n| Cell::Text(n.as_ref())))
    }

    /// One row.
    ///
    /// # Errors
    /// When the output fails.
    pub fn row<'c>(&mut self, cells: impl IntoIterator<Item = Cell<'c>>) -> io::Result<()> {
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            self.out.write_all(cell.field().as_bytes())?;
        }
        self.out.write_all(b"\r\n")
    }

    /// The output back.
    pub fn into_inner(self) -> W {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(cells: &[Cell<'_>]) -> String {
        let mut w = CsvWriter { out: Vec::new() };
        w.row(cells.iter().copied()).unwrap();
        String::from_utf8(w.into_inner()).unwrap()
    }

    #[test]
    fn formula_text_is_neutralised() {
        assert_eq!(text_field("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assert_eq!(text_field("=1+2"), "'=1+2");
        assert_eq!(text_field("+84 90"), "'+84 90");
        assert_eq!(text_field("-3"), "'-3");
        assert_eq!(text_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_field("\tx"), "'\tx");
        assert_eq!(text_field("\rx"), "\"'\rx\"");
    }

    #[test]
    fn ordinary_text_is_untouched_or_quoted() {
        assert_eq!(text_field("Thị trấn Phú Mỹ"), "Thị trấn Phú Mỹ");
        assert_eq!(text_field("a, b"), "\"a, b\"");
        assert_eq!(text_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(text_field("a=b"), "a=b");
        assert_eq!(text_field(""), "");
    }

    #[test]
    fn numbers_are_written_as_they_are() {
        assert_eq!(
            line(&[Cell::Number("-3"), Cell::Number("16.50"), Cell::Empty, Cell::Text("-3")]),
            "-3,16.50,,'-3\r\n"
        );
    }

    #[test]
    fn header_and_bom() {
        let mut w = CsvWriter::with_bom(Vec::new()).unwrap();
        w.header(&["unit", "=x"]).unwrap();
        w.row([Cell::Text("u,1"), Cell::Number("7")]).unwrap();
        assert_eq!(String::from_utf8(w.into_inner()).unwrap(), "\u{feff}unit,'=x\r\n\"u,1\",7\r\n");
    }
}
