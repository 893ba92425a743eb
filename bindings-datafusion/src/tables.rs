//! Tables of chiso's inputs in DataFusion. The dossiers are read by DataFusion's own sources
//! (CSV, Parquet, …: partitioned scans, projection, and sources a distributed deployment already
//! knows how to ship); what chiso adds is the columns' names and types: every column is text, so
//! that nothing is inferred (a procedure code `1.000010` stays that text, not the float 1.00001,
//! and an empty field stays empty), and the Vietnamese headers of exports are read as the
//! canonical names through chiso's own aliases (`chiso::headers`).

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chiso::headers::DOSSIER_COLUMNS;
use datafusion::arrow::csv::ReaderBuilder;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::{DataFusionError, Result, exec_err};
use datafusion::datasource::MemTable;
use datafusion::execution::context::SessionContext;
use datafusion::prelude::CsvReadOptions;

/// The all-text schema of a CSV header line: each name mapped to its canonical name when it is
/// one of chiso's header aliases (`Mã hồ sơ` → `dossier_id`), kept as it is otherwise.
fn text_schema(header: &str, delimiter: u8) -> SchemaRef {
    let header = header.trim_start_matches('\u{feff}').trim_end_matches(['\r', '\n']);
    let fields: Vec<Field> = header
        .split(char::from(delimiter))
        .map(|name| {
            let name = name.trim().trim_matches('"');
            let canonical = crate::columns::canonical_name(name, &DOSSIER_COLUMNS).unwrap_or(name);
            Field::new(canonical, DataType::Utf8, true)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// The file whose header a table's schema is read from: `path` itself, or the first (by name)
/// file of the directory `path` ending in `extension`.
fn first_file(path: &Path, extension: &str) -> Result<PathBuf> {
    if !path.is_dir() {
        return Ok(path.to_owned());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(extension))
        .collect();
    files.sort();
    match files.into_iter().next() {
        Some(file) => Ok(file),
        None => exec_err!("{}: no `{extension}` file", path.display()),
    }
}

/// Registers the dossier CSV file `path` (or a directory of such files, one header each, read as
/// one table in several partitions) as the table `name`: every column as text, named as chiso
/// names it (a real export's Vietnamese headers become `dossier_id`, `unit`, …), fields separated
/// by `delimiter` (`b','`, or `b';'` for exports).
///
/// # Errors
/// The file's (or directory's) error, or DataFusion's.
pub async fn register_dossier_csv(ctx: &SessionContext, name: &str, path: &str, delimiter: u8) -> Result<()> {
    let extension = Path::new(path)
        .extension()
        .filter(|_| !Path::new(path).is_dir())
        .map_or_else(|| ".csv".to_owned(), |e| format!(".{}", e.to_string_lossy()));
    let file = first_file(Path::new(path), &extension)?;
    let mut header = String::new();
    std::io::BufReader::new(std::fs::File::open(&file)?).read_line(&mut header)?;
    let schema = text_schema(&header, delimiter);
    let options =
        CsvReadOptions::new().has_header(true).delimiter(delimiter).schema(&schema).file_extension(&extension);
    ctx.register_csv(name, path, options).await
}

/// Registers CSV bytes (`units.csv`, `procedures.csv`, …) as the in-memory table `name`, every
/// column as text, names as [`register_dossier_csv`] gives them.
///
/// # Errors
/// The CSV's error (a row of another number of fields), or DataFusion's.
pub fn register_text_csv(ctx: &SessionContext, name: &str, csv: &[u8], delimiter: u8) -> Result<()> {
    let header_end = csv.iter().position(|&b| b == b'\n').map_or(csv.len(), |i| i + 1);
    let header = String::from_utf8_lossy(csv.get(..header_end).unwrap_or_default());
    let schema = text_schema(&header, delimiter);
    let reader = ReaderBuilder::new(Arc::clone(&schema))
        .with_header(true)
        .with_delimiter(delimiter)
        .build(std::io::Cursor::new(csv))?;
    let batches = reader.collect::<std::result::Result<Vec<_>, _>>()?;
    let table = MemTable::try_new(schema, vec![batches])?;
    ctx.register_table(name, Arc::new(table)).map_err(|e| DataFusionError::Context(name.to_owned(), Box::new(e)))?;
    Ok(())
}
