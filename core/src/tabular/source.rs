//! A tabular input opened under its [`InputOptions`], as the canonical CSV its reader takes: a
//! workbook (told by its content, `PK\x03\x04`, or its `.xlsx` name) converted from its sheet, a CSV
//! file rewritten when the options change it ([`super::rewrite`]), any other passed on untouched.
//! Every reader of the crate (units, observations, procedures, feedback, dossiers) is opened here,
//! by the session API, so that the options mean the same for all of them.

use std::io::{self, Chain, Read};

use super::encoding::Utf8Reader;
use super::options::InputOptions;
use super::rewrite::{RewriteReader, Rewriter};
use crate::input::{InputError, Rejection};

/// The bytes a workbook starts with (a ZIP archive).
const ZIP_MAGIC: &[u8; 4] = b"PK\x03\x04";

/// Whether a name says a workbook.
#[must_use]
pub fn is_xlsx_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".xlsx")
}

type Peeked<R> = Chain<io::Cursor<Vec<u8>>, R>;

/// An input opened ([the module](self)).
#[derive(Debug)]
pub enum Opened<R> {
    /// Read as it is.
    Plain(Peeked<R>),
    /// A CSV stream rewritten.
    Rewritten(RewriteReader<Utf8Reader<Peeked<R>>>),
    /// A workbook's sheet, converted.
    Sheet(RewriteReader<io::Cursor<Vec<u8>>>),
}

impl<R: Read> Read for Opened<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Plain(r) => r.read(buf),
            Self::Rewritten(r) => r.read(buf),
            Self::Sheet(r) => r.read(buf),
        }
    }
}

/// An input, its name in rejections (`file.xlsx#Sheet` for a sheet), and the rows of a sheet
/// rejected while converting it (to add to the reader's own).
#[derive(Debug)]
pub struct Input<R> {
    /// The canonical CSV stream.
    pub reader: Opened<R>,
    /// The name to give the reader.
    pub source: String,
    /// Rows of a sheet rejected while converting it.
    pub rejected: Vec<Rejection>,
}

/// Opens `reader` (named `source`) for a reader of the `required` and `optional` columns. With
/// `strict`, a row of a sheet that cannot be converted is the error.
pub fn open<R: Read>(
    mut reader: R,
    source: &str,
    columns: (&[&'static str], &[&'static str]),
    options: &InputOptions,
    strict: bool,
) -> Result<Input<R>, InputError> {
    let mut head = Vec::with_capacity(ZIP_MAGIC.len());
    (&mut reader)
        .take(ZIP_MAGIC.len() as u64)
        .read_to_end(&mut head)
        .map_err(|e| InputError::Io { file: source.to_owned(), reason: e.to_string() })?;
    let is_xlsx = head.as_slice() == ZIP_MAGIC || is_xlsx_name(source);
    let peeked = io::Cursor::new(head).chain(reader);
    if is_xlsx {
        return open_sheet(peeked, source, columns, options, strict);
    }
    if !options.changes_csv() {
        return Ok(Input { reader: Opened::Plain(peeked), source: source.to_owned(), rejected: Vec::new() });
    }
    let rewriter = Rewriter::new(options, columns, source, 0);
    let reader = RewriteReader::new(Utf8Reader::new(peeked), rewriter, source)?;
    Ok(Input { reader: Opened::Rewritten(reader), source: source.to_owned(), rejected: Vec::new() })
}

#[cfg(feature = "xlsx")]
fn open_sheet<R: Read>(
    mut reader: Peeked<R>,
    source: &str,
    (required, optional): (&[&'static str], &[&'static str]),
    options: &InputOptions,
    strict: bool,
) -> Result<Input<R>, InputError> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|e| InputError::Io { file: source.to_owned(), reason: e.to_string() })?;
    let sheet_options = super::xlsx::SheetOptions { sheet: options.sheet.clone(), header_row: options.header_row };
    let wanted: Vec<&str> = required.iter().chain(optional).copied().collect();
    let sheet = super::xlsx::read_sheet(&bytes, source, &sheet_options, &wanted, options.columns.as_deref())?;
    drop(bytes);
    let name = format!("{source}#{}", sheet.name);
    if strict {
        if let Some(first) = sheet.rejected.into_iter().next() {
            return Err(InputError::Strict(first));
        }
        return open_csv_of_sheet(sheet.csv, sheet.rows_above, name, (required, optional), options, Vec::new());
    }
    open_csv_of_sheet(sheet.csv, sheet.rows_above, name, (required, optional), options, sheet.rejected)
}

/// The CSV of a sheet, rewritten: its header found already, its numbers numbers.
#[cfg(feature = "xlsx")]
fn open_csv_of_sheet<R>(
    csv: Vec<u8>,
    rows_above: u64,
    name: String,
    columns: (&[&'static str], &[&'static str]),
    options: &InputOptions,
    rejected: Vec<Rejection>,
) -> Result<Input<R>, InputError> {
    // The sheet's header row is found; its numbers are numbers, not text with decimal commas.
    let csv_options = InputOptions { header_row: None, delimiter: Some(b','), decimal_comma: false, ..options.clone() };
    let rewriter = Rewriter::new(&csv_options, columns, &name, rows_above);
    let reader = RewriteReader::new(io::Cursor::new(csv), rewriter, &name)?;
    Ok(Input { reader: Opened::Sheet(reader), source: name, rejected })
}

#[cfg(not(feature = "xlsx"))]
fn open_sheet<R: Read>(
    _: Peeked<R>,
    source: &str,
    _: (&[&'static str], &[&'static str]),
    _: &InputOptions,
    _: bool,
) -> Result<Input<R>, InputError> {
    Err(InputError::Header { file: source.to_owned(), reason: crate::labels::ErrorText::XlsxNotBuilt.en(&[]) })
}
